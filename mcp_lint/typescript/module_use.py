"""Which parts of a TS/JS module run when another module imports it by name.

A module imported for one helper (`import { maskTenantName } from "./terminal.js"`) loads, so
its top-level statements run, but of its functions only the imported ones and those they
mention run. Rules that follow imports from an entry point (the stdio writes of checklist
item 7) ask this instead of taking every function of every imported module as reachable: a
CLI's prompts and banners often sit in the module that also exports a small helper to the
server. Plain data (it crosses process boundaries); names only, no types: a mention of a
top-level name anywhere in a declaration counts as a use (conservative), except in comments,
in branches that end the process (`if (opts.help) { showHelp(); process.exit(0); }`) and in
branches that return before their function starts the server (a command-line mode)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, Optional, Set, Tuple

from mcp_lint.typescript.syntax import FUNCTION_TYPES, arguments, string_value

LOAD = ""  # the owner of code that runs when the module loads (top-level statements)
EVERYTHING = "*"  # an import that may use any export (namespace, default, require, re-export)
_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_MEMBER = re.compile(r"\.\s*([A-Za-z_$][\w$]*)")
_CLASSES = ("class_declaration", "abstract_class_declaration")
_DECLARATIONS = ("function_declaration", "generator_function_declaration", *_CLASSES)
_VARIABLES = ("lexical_declaration", "variable_declaration")
_DEFERRED_VALUES = FUNCTION_TYPES | {"class"}


@dataclass
class ModuleUse:
    """`mentions`: for each top-level declaration whose body runs only when called (functions,
    classes, `const f = () => ...`), the top-level and imported names it mentions; under LOAD,
    those that load-time code mentions; class methods are declarations of their own
    (`Class.method`), reached through the member names code mentions (`.method`, itself an
    entry listing the methods of that name). `bindings`: each name imported from a relative module
    (a project-relative stem, as in `FileFacts.imports`) -> (stem, the name it has there, or
    EVERYTHING for a default or namespace import). `loaded`: stems imported for their
    load-time code alone (`import "./setup.js"`). `erased`: stems imported or re-exported for
    types only (`import type`, `export type ... from`), which TypeScript removes: they load nothing."""

    mentions: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    bindings: Dict[str, Tuple[str, str]] = field(default_factory=dict)
    loaded: Tuple[str, ...] = ()
    erased: Tuple[str, ...] = ()
    # Member names the module's code mentions (`x.logMetrics()`, `.on("x", this.flush)`), and
    # the classes it declares that extend or implement another (a framework may call their methods).
    members: Tuple[str, ...] = ()
    derived: Tuple[str, ...] = ()
    # A barrel's re-exports: `export { a, b as c } from "./x.js"` -> {"a": (x, "a"), "c": (x, "b")}
    # (EVERYTHING for `export * as ns from`); `export * from "./x.js"` -> x in `star`.
    reexports: Dict[str, Tuple[str, str]] = field(default_factory=dict)
    star: Tuple[str, ...] = ()
    # Stems some code takes whole: `require("./x.js")`, `const x = await import("./x.js")` (a
    # destructuring `const { a } = await import("./x.js")` binds `a` instead).
    entire: Tuple[str, ...] = ()

    def taken_from(self, stem: str, running: Optional[Set[str]]) -> Optional[Set[str]]:
        """The names of module `stem` that the running declarations use (all `running` when
        None), and those a barrel re-exports from it that its importers take (`_passed_on`);
        None when any may be used: `require`, a namespace re-export, or a barrel whose code all runs."""
        if stem in self.entire:
            return None
        reexported = stem in self.star or any(bound == stem for bound, _ in self.reexports.values())
        imported = stem in self.loaded or any(bound == stem for bound, _ in self.bindings.values())
        if not imported and not reexported:
            return None  # `require(...)`, `import(...)`
        taken: Set[str] = set()
        if imported:
            # Everything may run: still only the bindings some code mentions (one named only in a
            # branch that ends the process, `if (opts.help) { showHelp(); process.exit(0); }`, is not).
            names = self.mentions if running is None else running
            used = {m for name in names for m in self.mentions.get(name, ())}
            taken = {name for local, (bound, name) in self.bindings.items() if bound == stem and local in used}
        passed = self._passed_on(stem, running) if reexported else set()
        return None if passed is None else taken | passed

    def _passed_on(self, stem: str, running: Optional[Set[str]]) -> Optional[Set[str]]:
        """What a barrel hands on to `stem` of the names its importers take: the re-exported
        ones under their names there, and to an `export * from` stem every wanted name the
        barrel does not declare itself (any star stem may hold it). None when any may
        be used (everything runs), or the stem is re-exported without names (`export * as ns`)."""
        named = {exported: name for exported, (bound, name) in self.reexports.items() if bound == stem}
        if running is None or EVERYTHING in named.values():
            return None
        passed = {named[n] for n in running if n in named}
        if stem in self.star:
            # (a name bound by an import may come through the star too: `import { a } from "./"`,
            # the barrel importing its own re-exports)
            passed |= {n for n in running if n != LOAD and n not in self.mentions and n not in self.reexports}
        return passed


def owner(node) -> str:
    """The top-level declaration (or class method) whose body holds `node`, or LOAD when it
    runs at load time."""
    top = node
    while top.parent is not None and top.parent.type != "program":
        top = top.parent
    return next((declared for declared, body, _ in _bodies(top) if body.start_byte <= node.start_byte < body.end_byte), LOAD)


def module_use(model, stem_of) -> ModuleUse:
    """`stem_of(specifier)`: the project-relative stem of a relative specifier, else None."""
    use = ModuleUse()
    erased, loaded = set(), set()
    for statement in model.nodes("import_statement"):
        stem = stem_of(string_value(model.doc, statement.child_by_field_name("source")) or "")
        if stem is None:
            continue
        taken = _taken(model, statement)
        if taken is None:
            erased.add(stem)
        elif not taken:
            loaded.add(stem)
        for local, name in taken or ():
            use.bindings[local] = (stem, name)
    entire = set()
    for call in model.nodes("call_expression"):
        function = call.child_by_field_name("function")
        if function is None or not (function.type == "import" or (function.type == "identifier" and model.text(function) == "require")):
            continue
        args = arguments(call)
        stem = stem_of(string_value(model.doc, args[0]) or "") if args else None
        if stem is None:
            continue
        taken = _destructured(model, call)
        if taken is None:
            entire.add(stem)
        for local, name in taken or ():
            use.bindings[local] = (stem, name)
    use.entire = tuple(sorted(entire))
    reexported = set()  # `export { a } from "./x.js"` loads x; `export type { A } from` does not
    for statement in model.doc.tree.root_node.named_children:
        source = statement.child_by_field_name("source") if statement.type == "export_statement" else None
        stem = stem_of(string_value(model.doc, source) or "") if source is not None else None
        if stem is not None:
            (erased if _exports_types_only(statement) else reexported).add(stem)
            _note_reexport(model, statement, stem, use)
    bound = {stem for stem, _ in use.bindings.values()} | reexported
    use.loaded = tuple(sorted(loaded - bound))
    use.erased = tuple(sorted(erased - loaded - bound))
    bodies = [pair for statement in model.doc.tree.root_node.named_children for pair in _bodies(statement)]
    names = {declared for declared, _, _ in bodies if declared != LOAD and "." not in declared} | set(use.bindings)
    # A method runs when code of the module calls it by name (`terminal.output(...)`, any
    # receiver): its key `Class.method` is reached through the member name `.method`.
    by_member: Dict[str, Set[str]] = {}
    for declared, _, _ in bodies:
        if "." in declared:
            by_member.setdefault("." + declared.split(".", 1)[1], set()).add(declared)
    mentions: Dict[str, Set[str]] = {LOAD: set()}
    members: Set[str] = set()
    for declared, body, methods in bodies:
        text = _body_text(model, body, _left_out(body, methods))
        words = {w for w in _WORD.findall(text) if w in names and w != declared}
        found = _MEMBER.findall(text)
        members.update(found)
        words |= {"." + m for m in found if "." + m in by_member}
        mentions.setdefault(declared, set()).update(words)
    mentions.update(by_member)
    use.members = tuple(sorted(members))
    use.derived = tuple(sorted(
        _name(node) for statement in model.doc.tree.root_node.named_children for node in (_declaration(statement),)
        if node is not None and node.type in _CLASSES and any(c.type == "class_heritage" for c in node.children)
    ))
    # `export { a, b as c }` hands bindings on to importers, which may call them.
    for statement in model.doc.tree.root_node.named_children:
        if statement.type == "export_statement" and statement.child_by_field_name("source") is None and _lists_exports(statement):
            mentions[LOAD].update(w for w in _WORD.findall(model.text(statement)) if w in use.bindings)
    use.mentions = {name: tuple(sorted(found)) for name, found in mentions.items()}
    return use


def live(use: ModuleUse, wanted: Iterable[str], called: Optional[Set[str]] = None) -> Optional[Set[str]]:
    """The top-level declarations (and class methods, as `Class.method`) that run when the
    names `wanted` are imported: load-time code always runs, so what it mentions too; the
    methods of a class imported by another module (its callers are there): with `called`, the
    member names the process's modules mention, only those called somewhere (a metrics dump
    only tests call runs nowhere), or any of a class that extends or implements another (a
    framework may call it). None when everything may run."""
    wanted = set(wanted)
    if EVERYTHING in wanted:
        return None
    methods = [key for key in use.mentions if "." in key and not key.startswith(".")]
    wanted |= {key for key in methods if key.split(".", 1)[0] in wanted and (
        called is None or key.split(".", 1)[0] in use.derived or key.split(".", 1)[1] in called)}
    running = {LOAD}
    pending = [LOAD, *wanted]
    while pending:
        name = pending.pop()
        running.add(name)
        pending.extend(m for m in use.mentions.get(name, ()) if m not in running)
    return running


def _taken(model, statement) -> Optional[Tuple[Tuple[str, str], ...]]:
    """(local name, name in the imported module) of each value an import takes; () for an
    import of the module's load-time code alone; None for an import of types only (erased)."""
    if _says_type(statement):
        return None
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    if clause is None:
        return ()  # `import "./setup.js"`
    taken = []
    for part in clause.named_children:
        if part.type == "identifier":  # a default import: which declaration it names is not tracked
            taken.append((model.text(part), EVERYTHING))
        elif part.type == "namespace_import":
            local = next((c for c in part.named_children if c.type == "identifier"), None)
            taken.append((model.text(local) if local is not None else EVERYTHING, EVERYTHING))
        elif part.type == "named_imports":
            for specifier in part.named_children:
                name, alias = specifier.child_by_field_name("name"), specifier.child_by_field_name("alias")
                if specifier.type == "import_specifier" and name is not None and not _says_type(specifier):
                    taken.append((model.text(alias if alias is not None else name), model.text(name)))
    return tuple(taken) if taken else None  # `import { type A }`: erased too


def _destructured(model, call) -> Optional[Tuple[Tuple[str, str], ...]]:
    """(local, name there) of `const { a, b: c } = await import("./x.js")` (or of `require`),
    else None: the module is taken whole."""
    node = call.parent
    while node is not None and node.type in ("await_expression", "parenthesized_expression"):
        node = node.parent
    pattern = node.child_by_field_name("name") if node is not None and node.type == "variable_declarator" else None
    if pattern is None or pattern.type != "object_pattern":
        return None
    taken = []
    for part in pattern.named_children:
        if part.type == "shorthand_property_identifier_pattern":
            taken.append((model.text(part), model.text(part)))
        elif part.type == "pair_pattern":
            key, value = part.child_by_field_name("key"), part.child_by_field_name("value")
            if key is None or value is None or value.type != "identifier":
                return None
            name = model.text(key).strip("'\"")
            taken.append((model.text(value), EVERYTHING if name == "default" else name))  # which declaration is the default is not tracked
        else:
            return None  # `...rest`, a default value: the whole module
    return tuple(taken)


def _note_reexport(model, statement, stem: str, use: ModuleUse) -> None:
    """`export * from`, `export * as ns from`, `export { a, b as c } from` (types left out)."""
    clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
    if clause is not None:
        for specifier in clause.named_children:
            name, alias = specifier.child_by_field_name("name"), specifier.child_by_field_name("alias")
            if specifier.type == "export_specifier" and name is not None and not _says_type(specifier):
                use.reexports[model.text(alias if alias is not None else name)] = (stem, model.text(name))
    elif any(c.type == "namespace_export" for c in statement.named_children):
        namespace = next(c for c in statement.named_children if c.type == "namespace_export")
        use.reexports[model.text(namespace.named_children[-1]) if namespace.named_children else EVERYTHING] = (stem, EVERYTHING)
    elif not _says_type(statement):
        use.star = tuple(sorted({*use.star, stem}))


def _exports_types_only(statement) -> bool:
    """`export type { A } from "./x.js"`, `export { type A, type B } from "./x.js"`."""
    if _says_type(statement):
        return True
    clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
    specifiers = [c for c in clause.named_children if c.type == "export_specifier"] if clause is not None else []
    return bool(specifiers) and all(_says_type(c) for c in specifiers)


def _says_type(node) -> bool:
    return any(child.type == "type" and not child.is_named for child in node.children)


def _bodies(statement):
    """(owner, node, methods left out of its text) covering a top-level statement:
    declarations that run when called under their name (a class's methods each under
    `Class.method`, before the class), the rest (values computed at load) under LOAD."""
    if statement.type in ("import_statement", "comment") or (statement.type == "export_statement" and _lists_exports(statement)):
        return  # bindings and export lists name things, comments mention them: they run nothing
    declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
    if declaration is None:
        yield LOAD, statement, ()
    elif declaration.type in _DECLARATIONS:
        name = _name(declaration) or LOAD
        methods = tuple(_methods(declaration)) if name != LOAD else ()
        for method in methods:
            yield f"{name}.{_name(method)}", method, ()
        yield name, declaration, methods  # the class itself (heritage, fields, constructor) runs when built
    elif declaration.type in _VARIABLES:
        for declarator in declaration.named_children:
            if declarator.type == "variable_declarator":
                yield _deferred_name(declarator), declarator, ()
    else:
        yield LOAD, statement, ()


def _declaration(statement):
    """The declaration a top-level statement makes (`export class X` -> the class), or None."""
    return statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement


def _methods(declaration):
    """A class's methods other than its constructor (they run only when called)."""
    body = declaration.child_by_field_name("body")
    for member in (body.named_children if body is not None and body.type == "class_body" else ()):
        if member.type == "method_definition" and _name(member) not in ("", "constructor"):
            yield member


def _name(node) -> str:
    name = node.child_by_field_name("name")
    return name.text.decode("utf-8", "replace") if name is not None else ""


def _left_out(body, methods) -> list:
    """What does not run for the server in `body`, in source order: the class's methods (their
    own entries), and branches that end the process (`if (opts.help) { showHelp();
    process.exit(0); }`: what they call runs only in a process that never serves)."""
    found = list(methods)
    own_entries = {(m.start_byte, m.end_byte) for m in methods}
    pending = [body]
    while pending:
        node = pending.pop()
        for child in node.named_children:
            if (child.start_byte, child.end_byte) in own_entries:
                continue
            if child.type == "comment" or _exiting_branch(child):
                found.append(child)  # a comment's words (`* if (opts.health) showHealth();`) run nothing
            else:
                pending.append(child)
    return sorted(found, key=lambda n: n.start_byte)


def _exiting_branch(node) -> bool:
    """An `if`/`else` block, or a `switch` case (`case "--help": printHelp(); process.exit(0);
    break;`), whose last statement ends the process; or a command-line mode that returns before
    its function starts the server (`if (process.argv.length > 2) { await runCli(argv); return; }`
    then `await startServer()`); or a command of a command-line dispatcher (`case "--setup":`,
    `if (command === "doctor")` where `command = process.argv[2]`): what any of them calls runs in
    a process that never serves."""
    if node.type == "switch_case":
        switch = node.parent.parent if node.parent is not None else None
        if _command_arm(node.child_by_field_name("value"), switch.child_by_field_name("value") if switch is not None else None, node):
            return True
        if _HTTP_TRANSPORT.search(node.text) and node.parent is not None and any(
                b"StdioServerTransport(" in case.text for case in node.parent.named_children if case is not node):
            return True  # `case "http": transport = await createHttpTransport(...)` beside `case "stdio":`: the HTTP process
        statements = [c for c in node.named_children if c != node.child_by_field_name("value") and c.type not in ("comment", "break_statement")]
    elif node.type == "statement_block" and node.parent is not None and node.parent.type in ("if_statement", "else_clause"):
        if node.parent.type == "if_statement" and node.parent.child_by_field_name("consequence") == node and _command_test(node.parent, node):
            return True
        statements = node.named_children
    else:
        return False
    last = statements[-1] if statements else None
    if last is not None and last.type == "expression_statement" and last.text.startswith(b"process.exit("):
        return True
    return last is not None and last.type == "return_statement" and _returns_before_serving(node)


# Flags that choose how the server runs (its transport, address, logging), not a command of their own.
_SERVING_FLAG = re.compile(rb"(?i)stdio|http|sse|serve|start|run|transport|port|host|mcp|debug|verbose|log|quiet|silent")


def _command_arm(literal, discriminant, branch) -> bool:
    """The branch taken for a command a person types, which a client launching the server does
    not pass: a flag (`case "--setup":`, f5xc's `handleCliCommand`), or any word compared with the
    command line itself (`command === "doctor"` where `command = process.argv[2]`, telegram-mcp-ts).
    What it calls runs in a process that does not serve. Not a branch that starts the server, nor
    a flag that picks a transport or a log level."""
    if literal is None or literal.type != "string":
        return False
    word = literal.text.strip(b"'\"`")
    command = re.fullmatch(rb"--?[A-Za-z][\w-]*", word) is not None or (
        re.fullmatch(rb"[A-Za-z][\w-]*", word) is not None and _from_argv(discriminant))
    return command and not _SERVING_FLAG.search(word) and not _STARTS_SERVER.search(branch.text)


def _command_test(statement, branch) -> bool:
    """`if (command === "doctor") {...}`: see `_command_arm`."""
    test = statement.child_by_field_name("condition")
    while test is not None and test.type == "parenthesized_expression" and test.named_children:
        test = test.named_children[0]
    if test is None or test.type != "binary_expression" or test.child_by_field_name("operator").text not in (b"===", b"=="):
        return False
    left, right = test.child_by_field_name("left"), test.child_by_field_name("right")
    literal, other = (right, left) if right is not None and right.type == "string" else (left, right)
    return _command_arm(literal, other, branch)


def _from_argv(node) -> bool:
    """`process.argv[2]`, or a name declared in an enclosing block as such (`const command =
    process.argv[2]`, `const [cmd] = process.argv.slice(2)`)."""
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node is None:
        return False
    if node.text.startswith(b"process.argv"):
        return True
    if node.type != "identifier":
        return False
    scope = node.parent
    while scope is not None:
        if scope.type in ("statement_block", "program"):
            for statement in scope.named_children:
                if statement.type in ("lexical_declaration", "variable_declaration"):
                    for declarator in statement.named_children:
                        name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                        if name is not None and value is not None and re.search(rb"\b%s\b" % re.escape(node.text), name.text) and value.text.startswith(b"process.argv"):
                            return True
        scope = scope.parent
    return False


_HTTP_TRANSPORT = re.compile(rb"\b(?:\w*(?:Http|HTTP|SSE|Sse)\w*Transport|create\w*(?:Http|HTTP|SSE|Sse)\w*)\s*\(")
_STARTS_SERVER = re.compile(rb"\b(?:\w*[Ss]erver\w*|\w*Transport)\s*\(|\.(?:connect|start|listen|serve|run)\s*\(")


def _returns_before_serving(block) -> bool:
    """The block is the `then` arm of an `if` and what follows the `if` in its own block starts
    the server: in the process that takes the arm, this function serves nothing."""
    statement = block.parent
    if statement is None or statement.type != "if_statement" or statement.child_by_field_name("consequence") != block:
        return False
    container = statement.parent
    if container is None:
        return False
    after = [c for c in container.named_children if c.start_byte >= statement.end_byte]
    return any(_STARTS_SERVER.search(c.text) for c in after)


def _body_text(model, body, left_out) -> str:
    """The text of `body` without the nodes `left_out` (a class without its methods)."""
    source, start, parts = model.doc.source, body.start_byte, []
    for node in left_out:
        parts.append(source[start:node.start_byte])
        start = node.end_byte
    parts.append(source[start:body.end_byte])
    return b" ".join(parts).decode("utf-8", "replace")


def _lists_exports(statement) -> bool:
    """`export { a, b as c }` or `export * from "./x.js"`: no declaration, no value; or
    `export default { register, run: start }`, an object of names only: it hands them to the
    importers (which may call them) and calls none itself."""
    if statement.child_by_field_name("declaration") is not None:
        return False
    value = statement.child_by_field_name("value")
    return value is None or value.type == "object" and all(
        member.type == "shorthand_property_identifier"
        or member.type == "pair" and member.child_by_field_name("value") is not None and member.child_by_field_name("value").type == "identifier"
        for member in value.named_children if member.type != "comment"
    )


def _deferred_name(declarator) -> str:
    """A declarator whose value runs only when called (`const f = () => ...`) is owned by its
    name; any other value is computed when the module loads."""
    name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
    if name is not None and name.type == "identifier" and value is not None and value.type in _DEFERRED_VALUES:
        return _name(declarator)
    return LOAD
