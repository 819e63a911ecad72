"""What TypeScript code can fail with: whether a block can throw only what the code wrote or
what parsing the caller's input says (a Zod error, "Invalid URL"), never another system's text
(a backend's message, a host, a path it read). Asked by the `try` blocks of MCP0405 and by
`TsModel.absorbs` (the statements a helper runs before the `try` that catches everything)."""

from __future__ import annotations

from mcp_lint.documents.typescript import walk
from mcp_lint.typescript.error_classes import written_here
from mcp_lint.typescript.log_calls import log_call
from mcp_lint.typescript.model import enclosing_class_body
from mcp_lint.typescript.syntax import arguments, method_name, unwrap


# Methods of strings and arrays that throw nothing a caller could learn from.
_QUIET_METHODS = {"toString", "includes", "trim", "toLowerCase", "toUpperCase", "startsWith", "endsWith", "split", "join", "slice", "replace", "test",
                  # strings and arrays in memory (not `get`, `find`, `add`: a client's or a database's too)
                  "match", "matchAll", "replaceAll", "push", "map", "filter", "forEach", "some", "every", "indexOf", "substring",
                  "padStart", "padEnd", "repeat", "sort", "concat", "reduce", "flat", "flatMap", "charAt", "trimStart", "trimEnd",
                  "findIndex", "findLastIndex", "lastIndexOf", "reverse",
                  "toFixed", "localeCompare",
                  # dates in memory: an invalid one throws "Invalid time value", nothing of another system
                  "toISOString", "toJSON", "getTime", "toLocaleString", "toLocaleDateString", "toLocaleTimeString",
                  "toDateString", "toUTCString"}


# Zod schema builders and modifiers: building a schema throws nothing a caller could learn from.
_SCHEMA_METHODS = {"optional", "nullable", "nullish", "array", "default", "describe", "min", "max", "int", "positive",
                   "nonnegative", "length", "email", "url", "uuid", "regex", "trim", "passthrough", "strict", "partial"}
# Parsing a value: the error describes its shape ("Invalid URL", a ZodError's paths and expected
# types, JSON's "Unexpected token"), not a backend, a host or a secret.
_INPUT_CHECKS = {"parse", "safeParse", "parseAsync", "safeParseAsync", "parseStringPromise"}  # the last: xml2js's
# XML parsers built in memory (`new Parser({...})` of xml2js): their errors give a line and a column.
_XML_PARSERS = {"xml2js": {"Parser"}, "fast-xml-parser": {"XMLParser", "XMLValidator"}, "@xmldom/xmldom": {"DOMParser"}}
_STRUCTURE_CALLS = {"Object.entries", "Object.keys", "Object.values", "Object.fromEntries", "Array.isArray", "Array.from", "JSON.stringify",
                    "Number", "String", "Boolean", "parseInt", "parseFloat", "Math.min", "Math.max", "Math.round", "Math.floor", "Math.ceil",
                    "Date.now"}
_IN_MEMORY = {"URL", "Set", "Map", "Date", "RegExp"}  # constructions that reach nothing
# Libraries whose functions compute values in memory from what they are given, by module (None:
# every export): node's path arithmetic (strings in, strings out: a TypeError about an argument at
# worst), terminal colours (`chalk.yellow(text)`), YAML serialisation of a value the code built.
_PATH_FUNCTIONS = frozenset({"join", "resolve", "relative", "normalize", "dirname", "basename", "extname", "isAbsolute", "parse",
                             "format", "toNamespacedPath"})
_PURE_LIBRARIES = {"path": _PATH_FUNCTIONS, "node:path": _PATH_FUNCTIONS,
                   **dict.fromkeys(("chalk", "picocolors", "kleur", "kleur/colors", "colorette", "ansi-colors", "yoctocolors")),
                   "yaml": frozenset({"stringify"}), "js-yaml": frozenset({"dump"})}


def reaches_nothing(model, block, seen: frozenset = frozenset()) -> bool:
    """The `try` block can throw only from parsing: `new URL(...)`, a schema's `parse(...)` (a Zod
    schema it may build right there, mittwald's handler) or `JSON.parse`, with no other call,
    construction, `await` or `throw`; or it calls nothing that reaches another system at all
    (`process.env` reads, `JSON.stringify` of what it built, log lines, string and array methods,
    functions of pure libraries (path arithmetic, terminal colours, YAML of a value), functions that catch every error themselves, functions of the file that themselves reach
    nothing)."""
    if block is None:
        return False
    for node in walk(block):
        if node.type == "throw_statement" and not _throws_authored(model, node):
            return False
        if node.type == "await_expression" and not (_awaits_quiet(model, node, seen) or _awaits_input_check(model, node)):
            return False
        if node.type == "new_expression":
            constructor = node.child_by_field_name("constructor")
            if constructor is None or (model.text(constructor) not in _IN_MEMORY and not _authored_error(node, model)
                                       and not _xml_parser(model, model.text(constructor))):
                return False
        elif node.type == "call_expression":
            name, callee = method_name(model.doc, node), model.callee(node)
            if not (name in _INPUT_CHECKS or callee.startswith("z.") or callee in _STRUCTURE_CALLS or name in _SCHEMA_METHODS
                    or log_call(model, node)  # a log line: the logger keeps its own failures
                    or name in _QUIET_METHODS or _pure_library_call(model, callee) or _quiet_call(model, node, callee, seen)
                    or _in_memory_receiver(model, node, block)):
                return False
    return True


# Calls that fail on no value built from a tool's JSON arguments and literals (`JSON.stringify` fails
# only on a cycle or a BigInt, which such values never hold).
_TOTAL_CALLS = {"JSON.stringify", "String", "Number", "Boolean", "Date.now"}


def throws_nothing(model, block, seen: frozenset = frozenset()) -> bool:
    """The `try` block cannot fail at all: it only builds values from literals and names and
    hands them to functions of the file that do the same (a stub answering `return
    this.formatResponse({ store, status: "not_implemented" })`): its `catch` never runs. No
    `await`, `throw`, `new`, loop, parse, method call or property read but of `this` (`ids.length`
    fails when the caller left `ids` out; `a?.b` does not)."""
    if block is None or len(seen) >= 4:
        return False
    for node in walk(block):
        if node.type in ("await_expression", "throw_statement", "new_expression", "for_in_statement", "yield_expression", "subscript_expression"):
            return False
        if node.type == "member_expression" and not _optional(node) and node.child_by_field_name("object").type != "this" \
                and not (node.parent.type == "call_expression" and model.callee(node.parent) in _TOTAL_CALLS):
            return False  # `ids.length` fails when the caller left `ids` out
        if node.type == "spread_element" and node.parent is not None and node.parent.type == "array":
            return False  # `[...missing]` fails; `{ ...missing }` does not
        if node.type == "call_expression":
            callee = model.callee(node)
            if callee in _TOTAL_CALLS:
                continue
            functions = model.called_functions(callee)
            if not functions or not all(f.id in seen or throws_nothing(model, f.child_by_field_name("body"), seen | {f.id}) for f in functions):
                return False
    return True


def _optional(member) -> bool:
    """`a?.b`: a read that gives `undefined` instead of failing."""
    return any(c.type == "optional_chain" for c in member.children)


def _in_memory_receiver(model, call, scope) -> bool:
    """`fields.add(f)` where `const fields = new Set()` (a Map, an array or object literal) in the
    code judged: a collection in memory, whatever the method; so is a property of one
    (`urlObj.searchParams.get("gid")` where `const urlObj = new URL(url)`), and a field of the
    class the code belongs to (`this.alerts.get(id)` where `private alerts = new Map()` or the
    constructor sets `this.alerts = new Map()`)."""
    function = call.child_by_field_name("function")
    receiver = unwrap(function.child_by_field_name("object")) if function is not None and function.type == "member_expression" else None
    while receiver is not None and receiver.type == "member_expression" and not _this_field(model, receiver):
        receiver = unwrap(receiver.child_by_field_name("object"))
    if receiver is not None and receiver.type == "member_expression":
        return _in_memory_field(model, call, model.text(receiver.child_by_field_name("property")))
    if receiver is None or receiver.type != "identifier":
        return False
    name = model.text(receiver)
    for node in walk(scope):
        if node.type == "variable_declarator" and model.text(node.child_by_field_name("name")) == name:
            return _in_memory_value(model, node.child_by_field_name("value"))
    return False


def _this_field(model, node) -> bool:
    obj = node.child_by_field_name("object")
    return obj is not None and obj.type == "this"


def _in_memory_value(model, value) -> bool:
    value = unwrap(value) if value is not None else None
    if value is None:
        return False
    constructor = value.child_by_field_name("constructor") if value.type == "new_expression" else None
    return value.type in ("array", "object") or (constructor is not None and model.text(constructor) in _IN_MEMORY)


def _in_memory_field(model, node, field: str) -> bool:
    """A field of the class around `node` whose declaration (`private alerts = new Map()`) and
    every `this.alerts = ...` hold a collection in memory."""
    body = enclosing_class_body(node)
    found = model.field_values(body).get(field, ()) if body is not None else ()
    return any(v is not None for v in found) and all(_in_memory_value(model, v) for v in found if v is not None)


def _instance_method_quiet(model, call, callee: str, seen: frozenset) -> bool:
    """`this.costs.history()` or `costs.history()` on an instance of a class this file declares
    (`TsModel.instance_class`: `this.costs = new CostManager()`, `costs: CostManager`) whose
    methods of that name reach nothing or catch every error themselves. A class imported from
    the project is judged in its own module by the engine's link pass (`TsModel.absorbing_callee`)."""
    if "." not in callee or len(seen) >= 4:
        return False
    cls, method = model.instance_class(call)
    methods = model.class_methods(cls, method) if cls else []
    return bool(methods) and all(
        m.id in seen or model.absorbs(m) or reaches_nothing(model, m.child_by_field_name("body"), seen | {m.id}) for m in methods)


def _local_in_memory(model, callee: str, seen: frozenset) -> bool:
    """`analyzeQuery(query)` where every function of that name in this file reaches nothing
    either (its body judged as a `try` block would be; recursion counts as reaching nothing more);
    `this.formatResponse(data)` likewise, for the methods of that name."""
    functions = model.called_functions(callee)
    if not functions or len(seen) >= 4:
        return False
    return all(f.id in seen or reaches_nothing(model, f.child_by_field_name("body"), seen | {f.id}) for f in functions)


def _throws_authored(model, node) -> bool:
    """`throw new Error("No results")`: a message written in the code, nothing caught in it."""
    thrown = unwrap(node.named_children[0]) if node.named_children else None
    return thrown is not None and thrown.type == "new_expression" and _authored_error(thrown, model)


def _authored_error(new, model) -> bool:
    """`new Error("No results")`, `new McpError(ErrorCode.InvalidRequest, "Not allowed")`: a
    message written in the code, after codes (members and numbers) only; also a template or a
    concatenation whose code names no error text, response or output
    (`` `Invalid mode name: ${mode}` ``, not `` `Failed: ${err.message}` ``)."""
    args = [unwrap(a) for a in arguments(new)]
    if not args or not all(a.type in ("member_expression", "number") for a in args[:-1]):
        return False
    last = args[-1]
    return last.type == "string" or (last.type in ("template_string", "binary_expression") and written_here(model.text(last)))


def _pure_library_call(model, callee: str) -> bool:
    """`path.resolve(base, tail)`, `join(dir, name)` (`import path from "node:path"`, `import {
    join } from "path"`, also `path.posix.join`), `chalk.bold.red(text)`, `YAML.stringify(value)`:
    a function of a library in `_PURE_LIBRARIES` (not a project module of the same name)."""
    parts = callee.split(".")
    module, imported = model.imports.get(parts[0], ("", ""))
    if module not in _PURE_LIBRARIES:
        return False
    functions = _PURE_LIBRARIES[module]
    if len(parts) == 1:
        return functions is None or imported in functions
    if imported not in ("default", "*", parts[0]):
        return False
    rest = parts[2:] if parts[1] in ("posix", "win32") and functions is _PATH_FUNCTIONS else parts[1:]
    return functions is None or (len(rest) == 1 and rest[0] in functions)


def _quiet_call(model, call, callee: str, seen: frozenset) -> bool:
    """A call of code that no other system's error leaves: a function that catches every error
    itself, or a function, method or instance method of the file that reaches nothing."""
    return model.absorbing_callee(call) or _local_in_memory(model, callee, seen) or _instance_method_quiet(model, call, callee, seen)


def _awaits_quiet(model, node, seen: frozenset) -> bool:
    """`await helper(...)` where the helper catches every error itself or reaches nothing."""
    awaited = unwrap(node.named_children[0]) if node.named_children else None
    parent = node.parent
    if awaited is not None and awaited.type != "call_expression" and parent is not None and parent.type == "call_expression" \
            and parent.child_by_field_name("function") == node:
        awaited = parent  # `await postApi<T>(...)`: the parser reads `(await postApi)<T>(...)`
    return awaited is not None and awaited.type == "call_expression" and _quiet_call(model, awaited, model.callee(awaited), seen)


def _awaits_input_check(model, node) -> bool:
    """`await parser.parseStringPromise(xml)`, `await schema.parseAsync(args)`: parsing the input."""
    awaited = unwrap(node.named_children[0]) if node.named_children else None
    return awaited is not None and awaited.type == "call_expression" and method_name(model.doc, awaited) in _INPUT_CHECKS


def _xml_parser(model, constructor: str) -> bool:
    return constructor in _XML_PARSERS.get(model.imported_from(constructor) or "", ())


def runs_locally(model, node) -> bool:
    """Synchronous code that touches nothing outside the process: no `await`, no `...Sync` call
    (`readFileSync`, `execSync`), no `throw` but of a message the code wrote. What it can throw
    (a `TypeError` about a value) names no host, path or backend: the URL and headers a helper
    builds before the `try` that catches every error of its request (rhombus's `postApi`)."""
    for inner in walk(node):
        if inner.type == "await_expression" or (inner.type == "throw_statement" and not _throws_authored(model, inner)):
            return False
        if inner.type == "call_expression" and model.callee(inner).endswith("Sync"):
            return False
    return True

