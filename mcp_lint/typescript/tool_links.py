"""Tool code that crosses TS modules.

The TS model is per file: a registration whose handler the registering file cannot see
(`server.tool(name, desc, shape, getProfile.execute)` with `getProfile` imported from
`./tools/profile.js`), or a handler that calls a function of another module
(`handleCallToolRequest(...)` from `./schemas/call.js`), leaves that module without tool code,
so every rule that asks "does this run for a caller?" stays quiet there. Before the per-file
phase the engine reads, per registering file, the references its registrations and tool code
make to other modules (`handler_references`), follows them through the project's own modules,
re-exports included, and from each module reached follows the calls its new tool code makes
(`link_handlers`), a few modules deep. Each module reached is told which of its exports are
handlers or helpers (`Linked`), and its `TsModel` counts them as tool code. A file whose tool
code calls another module's logging helper is told which of its arguments that helper writes
(`imported_log_helpers`).

The same pass names the registrars nothing calls (`unused_registrars`): module-level functions
that register tools and that the project names nowhere else outside comments, in a runnable
package that wires up registrars of its own; their registrations are no tools.

Only the project's own modules are followed (relative specifiers and tsconfig aliases), a
re-export chain at most `_MAX_HOPS` long and calls `_MAX_DEPTH` modules away from a
registration: what cannot be resolved stays unlinked, as before."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

from mcp_lint.literals import TOOLING_DIRS
from mcp_lint.typescript.log_calls import ImportedLogHelper, log_helpers
from mcp_lint.typescript.project import Aliases, relative_stem, resolve
from mcp_lint.typescript.protocol_tests import is_test_file
from mcp_lint.typescript.schemas import Fields, fields_of, schema_root
from mcp_lint.typescript.syntax import string_value

_MAX_HOPS = 4  # re-exports followed from an import to the declaring module
_MAX_DEPTH = 3  # modules of helpers followed from the registering one
# (calling file, the name or callee there, (defining module, its name there), (method,) or ()): see `link_handlers`.
HelperCall = Tuple[str, str, Tuple[str, str], Tuple[str, ...]]


@dataclass(frozen=True)
class HandlerRef:
    """A function a file's tool code takes from another module: `specifier`'s export `export`,
    then `path` (object properties: `("execute",)` for `getProfile.execute`)."""

    specifier: str
    export: str
    path: Tuple[str, ...]
    kind: str  # "tool" (a registration's handler), "lowlevel" (a tools/call handler), "helper" (called by tool code)
    has_arguments: bool = False  # a tool's registration gives an input schema: its first parameter holds the arguments
    tool: str = ""  # the tool's name when the registration writes it as a literal
    local: str = ""  # the name as the file calls it (`log`, `utils.log`)


@dataclass(frozen=True)
class Linked:
    """An export of this module that is a handler registered elsewhere, or a helper that tool
    code elsewhere calls."""

    export: str
    path: Tuple[str, ...]
    kind: str
    has_arguments: bool = False
    tool: str = ""


def handler_references(model) -> List[HandlerRef]:
    """What a file's own registrations and tool code take from other modules."""
    refs = [ref for reference, kind, has_arguments, tool in model.unresolved_handlers
            for ref in _reference(model, reference, kind, has_arguments, tool)]
    return refs + helper_references(model, model.tool_code)


def helper_references(model, code) -> List[HandlerRef]:
    """The imported functions that `code` (functions by node id) calls, and the methods it calls
    on instances of imported classes (kind "member": linked as helpers, and judged for what
    they can throw under the callee's text)."""
    refs = [ref for name in model.imported_calls(code) for ref in _reference(model, name, "helper", False, "")]
    for callee, cls, method in model.instance_calls(code):
        module, imported = model.imports[cls]
        if imported not in ("*", "default"):
            refs.append(HandlerRef(module, imported, (method,), "member", local=callee))
    return refs


def _reference(model, dotted_name: str, kind: str, has_arguments: bool, tool: str) -> List[HandlerRef]:
    first, *rest = dotted_name.split(".")
    module, imported = model.imports.get(first, ("", ""))
    if not module:
        return []
    if imported == "*":
        if not rest:
            return []
        imported, rest = rest[0], rest[1:]
    return [HandlerRef(module, imported, tuple(rest), kind, has_arguments, tool, dotted_name)]


def exports(model) -> Tuple[Dict[str, Tuple[str, str]], List[str]]:
    """The module's re-exports, `{name: (specifier, name there)}`, and its `export * from`
    specifiers. Names it declares itself are found by the model (`TsModel.exported_value`)."""
    named: Dict[str, Tuple[str, str]] = {}
    star: List[str] = []
    doc = model.doc
    for stmt in doc.tree.root_node.named_children:
        if stmt.type != "export_statement":
            continue
        source = string_value(doc, stmt.child_by_field_name("source"))
        if source is None:
            continue
        clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
        if clause is None:
            if not any(c.type == "namespace_export" for c in stmt.named_children):
                star.append(source)
            continue
        for spec in clause.named_children:
            if spec.type == "export_specifier":
                name = model.text(spec.child_by_field_name("name"))
                alias = spec.child_by_field_name("alias")
                named[model.text(alias) if alias is not None else name] = (source, name)
    return named, star


def link_handlers(
    refs_by_file: Dict[str, List[HandlerRef]], known: Set[str], aliases: Aliases, model_of_file: Callable[[str], Optional[object]],
    helpers_called: Optional[List[HelperCall]] = None,
) -> Dict[str, Tuple[Linked, ...]]:
    """For each module reached (project-relative path), its exports that are tool code.
    `model_of_file` gives a file's `TsModel` (or None): it is read for re-exports and for the
    calls of the newly linked functions. `helpers_called`, when given, receives each imported
    function that tool code calls by a plain name, as (calling file, name there, (defining
    module, name there), ()), and each method of an imported class it calls on an instance, as
    (calling file, the call's callee there, (defining module, the class's name there), (method,))."""
    found: Dict[str, Set[Linked]] = {}
    pending = [(rel, ref, 0) for rel, refs in sorted(refs_by_file.items()) for ref in refs]
    while pending:
        rel, ref, depth = pending.pop(0)
        declares = _declares_method(ref.path[0]) if ref.kind == "member" else _declares_value
        target = _defining_module(rel, ref.specifier, ref.export, known, aliases, model_of_file, declares)
        if target is None:
            continue
        if helpers_called is not None and ref.local and (ref.kind == "member" or (ref.kind == "helper" and not ref.path)):
            helpers_called.append((rel, ref.local, target, ref.path))
        path, name = target
        # a method of an imported class runs for the caller as a helper does
        link = Linked(name, ref.path, "helper" if ref.kind == "member" else ref.kind, ref.has_arguments, ref.tool)
        links = found.setdefault(path, set())
        if link in links:
            continue
        links.add(link)
        if depth < _MAX_DEPTH:
            pending.extend((path, helper, depth + 1) for helper in _calls_of(model_of_file(path), link))
    return {path: tuple(sorted(links, key=lambda l: (l.export, l.path, l.kind, l.tool))) for path, links in sorted(found.items())}


def imported_log_helpers(
    helpers_called: List[HelperCall], model_of_file: Callable[[str], Optional[object]],
) -> Dict[str, Tuple[ImportedLogHelper, ...]]:
    """For each file whose tool code (its own, or linked to it) calls a function of another
    project module that writes some of its parameters to a log: those functions as it calls
    them (`log("error", `${JSON.stringify(args)}`)` with `log` from `./utils/helper.js`).
    `helpers_called` is what `link_handlers` resolved."""
    found: Dict[str, Set[ImportedLogHelper]] = {}
    for rel, local, (path, name), member in helpers_called:
        if member:
            continue
        model = model_of_file(path)
        written = log_helpers(model).get(name) if model is not None else None
        if written is not None:
            rest = written.rest if written.rest is not None else -1
            found.setdefault(rel, set()).add(ImportedLogHelper(local, tuple(sorted(written.positions)), rest))
    return {rel: tuple(sorted(helpers, key=lambda h: h.local)) for rel, helpers in sorted(found.items())}


def imported_absorbing_helpers(
    helpers_called: List[HelperCall], model_of_file: Callable[[str], Optional[object]],
) -> Dict[str, Tuple[str, ...]]:
    """For each file whose tool code calls functions of other project modules that no error of
    another system can leave: their names there. Such a function catches every error itself
    (`TsModel.absorbs`: the whole body a `try` whose `catch` throws nothing) or reaches nothing
    (`quiet.reaches_nothing`: `createToolTextContent(text)` builds a result), counting what it
    calls in other modules the same way: a `return await postApi(...)` wrapper of an absorbing
    `postApi` is one too (rhombus). A `try` around such calls catches nothing they could throw."""
    from mcp_lint.typescript.quiet import reaches_nothing

    found: Dict[str, Set[str]] = {}
    changed = True
    while changed:  # until no module learns of another quiet import (each pass adds one at least)
        changed = False
        for rel, local, (path, name), member in helpers_called:
            if local in found.get(rel, ()):
                continue
            model = model_of_file(path)
            if model is None:
                continue
            model.learn_absorbing_imports(found.get(path, ()))  # what the defining module imports quietly
            _, function = model.linked_function(name, member)
            if function is not None and (model.absorbs(function) or reaches_nothing(model, function.child_by_field_name("body"))):
                found.setdefault(rel, set()).add(local)
                changed = True
    return {rel: tuple(sorted(names)) for rel, names in sorted(found.items())}


def helper_fields_read(
    helpers_called: List[HelperCall], model_of_file: Callable[[str], Optional[object]],
) -> Dict[str, Tuple[Tuple[Tuple[str, Tuple[str, ...]], Optional[Tuple[str, ...]]], ...]]:
    """For each module whose functions the tool code of other modules calls: per function (its
    export and member path), the fields those callers read of the value it returns
    (`result_reads.reads_of_calls`), or None where one of them uses the whole value."""
    from mcp_lint.typescript.result_reads import reads_of_calls

    found: Dict[str, Dict[Tuple[str, Tuple[str, ...]], Optional[frozenset]]] = {}
    for rel, local, (path, name), member in helpers_called:
        caller = model_of_file(rel)
        read = reads_of_calls(caller, local) if caller is not None else None
        entries = found.setdefault(path, {})
        prior = entries.get((name, member), frozenset())
        entries[(name, member)] = None if prior is None or read is None else prior | read
    return {path: tuple((key, tuple(sorted(read)) if read is not None else None) for key, read in sorted(entries.items()))
            for path, entries in sorted(found.items())}


def imported_result_builders(
    helpers_called: List[HelperCall], model_of_file: Callable[[str], Optional[object]],
) -> Dict[str, Tuple[Tuple[str, str], ...]]:
    """For each file whose tool code calls functions of other project modules that return one
    kind of tool result (`TsModel.returns_of`: always text, always a `{ content }` without
    `isError`, always an error result): (their names there, that kind)."""
    found: Dict[str, Set[Tuple[str, str]]] = {}
    for rel, local, (path, name), member in helpers_called:
        if member:
            continue
        model = model_of_file(path)
        _, function = model.linked_function(name, ()) if model is not None else (None, None)
        kind = model.returns_of(function) if function is not None else None
        if kind is not None:
            found.setdefault(rel, set()).add((local, kind))
    return {rel: tuple(sorted(builders)) for rel, builders in sorted(found.items())}


def schema_imports(model) -> Tuple[Tuple[str, str, str], ...]:
    """(local name, module specifier, exported name) of each tool input schema this module takes
    from another module of the project (`inputSchema: SearchToolArgs.shape`)."""
    found = []
    for tool in model.tools:
        root = schema_root(model, tool.schema) if tool.schema is not None else ""
        spec, name = model.imports.get(root, ("", "")) if root else ("", "")
        if spec.startswith(".") and name not in ("", "*", "default") and (root, spec, name) not in found:
            found.append((root, spec, name))
    return tuple(found)


def imported_schema_fields(imports_by_file: Dict[str, Tuple[Tuple[str, str, str], ...]], known: Set[str], aliases: Aliases,
                           model_of_file: Callable[[str], Optional[object]]) -> Dict[str, Tuple[Tuple[str, Fields], ...]]:
    """For each module whose tools take their input schema from another module: (local name,
    the schema's fields, each with whether it holds no text), read in the defining module
    (`schemas.fields_of`), through re-exports. A schema that cannot be read there is left out."""
    found: Dict[str, Tuple[Tuple[str, Fields], ...]] = {}
    for rel, imports in sorted(imports_by_file.items()):
        told = []
        for local, spec, export in imports:
            defined = _defining_module(rel, spec, export, known, aliases, model_of_file)
            model = model_of_file(defined[0]) if defined is not None else None
            value = model.exported_value(defined[1]) if model is not None else None
            fields = fields_of(model, value) if value is not None else None
            if fields:
                told.append((local, fields))
        if told:
            found[rel] = tuple(told)
    return found


# `export type ServerType = McpServer;`: a text test before any module is parsed for its aliases.
_SERVER_ALIAS = re.compile(r"\btype\s+[\w$]+\s*=\s*[\w$.]*\b(?:McpServer|Server|FastMCP)\b")
_NAMED_IMPORT = re.compile(r"\bimport\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['\"]([^'\"]+)['\"]")


def imported_server_types(sources: Iterable[str], code_of: Callable[[str], str], known: Set[str], aliases: Aliases,
                          model_of_file: Callable[[str], Optional[object]]) -> Dict[str, Tuple[Tuple[str, str], ...]]:
    """For each module that imports another module's alias of an SDK server class (`import type
    { ServerType } from "../server.js"`, where `export type ServerType = McpServer;`): (local
    name, server kind), so that a registrar's `server: ServerType` parameter is a server there."""
    modules = sorted(sources)
    kinds: Dict[Tuple[str, str], str] = {}
    for rel in modules:
        model = model_of_file(rel) if _SERVER_ALIAS.search(code_of(rel)) else None
        for name, kind in (model.server_type_aliases().items() if model is not None else ()):
            kinds[(rel, name)] = kind
    names = {name for _, name in kinds}
    found: Dict[str, Tuple[Tuple[str, str], ...]] = {}
    for rel in modules if names else ():
        told = []
        for listed, spec in _NAMED_IMPORT.findall(code_of(rel)):
            for item in listed.split(","):
                words = item.split()
                words = words[1:] if words[:1] == ["type"] else words
                if not words or words[0] not in names:
                    continue
                defined = _defining_module(rel, spec, words[0], known, aliases, model_of_file,
                                           lambda model, name: name in model.server_type_aliases())
                if defined in kinds:
                    told.append((words[-1], kinds[defined]))  # `ServerType as Srv`: the local name is last
        if told:
            found[rel] = tuple(told)
    return found


def _calls_of(model, link: Linked) -> List[HandlerRef]:
    """What a newly linked function (and the same-file functions it calls) takes from other modules."""
    if model is None:
        return []
    _, function = model.linked_function(link.export, link.path)
    return helper_references(model, model.code_reached_from([function])) if function is not None else []


def _declares_value(model, name: str) -> bool:
    return model.exported_value(name) is not None


def _declares_method(method: str) -> Callable:
    return lambda model, name: model.exported_method(name, method) is not None


def _defining_module(rel, specifier, export, known, aliases, model_of_file, declares: Callable = _declares_value) -> Optional[Tuple[str, str]]:
    """(module path, its own name for the export) where `export` of `specifier`, imported by
    `rel`, is declared (a value, or what `declares(model, name)` says); None when it leaves the
    project or cannot be followed."""
    pending = [(rel, specifier, export, 0)]
    seen: Set[Tuple[str, str]] = set()
    while pending:
        importer, spec, name, hops = pending.pop()
        stem = relative_stem(importer, spec)
        path = resolve(stem if stem is not None else "bare:" + spec, known, aliases)
        if path is None or (path, name) in seen or hops > _MAX_HOPS:
            continue
        seen.add((path, name))
        model = model_of_file(path)
        if model is None:
            continue
        if declares(model, name):
            return path, name
        named, star = exports(model)
        if name in named:
            pending.append((path, named[name][0], named[name][1], hops + 1))
        else:
            pending.extend((path, source, name, hops + 1) for source in reversed(star))
    return None


def registrars(model) -> Tuple[str, ...]:
    """The module-level functions of a file whose bodies register tools (`TsModel.registrar_of`)."""
    calls = [t.registration for t in model.tools + model.handled_elsewhere if t.kind != "linked"] + model.opaque_registrations
    return tuple(sorted({name for name in map(model.registrar_of, calls) if name}))


# Comments, where a call that was switched off stays (`// addAdvancedTools(server);`); not `//` in a URL.
_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\w])//[^\n]*", re.S)


# `export { addWatch, addStats } from "./watch.js";`: passes names on, calls nothing.
_REEXPORT = re.compile(r"""\bexport\s+(?:type\s+)?\{[^{}]*\}\s*from\s*["'][^"'\n]+["']\s*;?""")
_COMPUTED_IMPORT = re.compile(r"""\b(?:import|require)\s*\(\s*(?!["')])""")
# `import { a } from "./x.js"`, `export { a, b as c } from "./y.js"`, `export { a };`: names passed along.
_NAME_LISTS = re.compile(r"""\b(?:import|export)\s+(?:type\s+)?\{[^{}]*\}\s*(?:from\s*["'][^"'\n]+["'])?\s*;?""")
# A module of the project taken whole: `import * as tools from "./tools/index.js"`, `require("./tools")`.
_WHOLE_MODULE = re.compile(r"""\bimport\s+\*\s+as\s+[\w$]+\s+from\s*["']\.|\brequire\s*\(\s*["']\.""")
# What a module loaded without an import shows: a server, transport or listener of its own, a
# command line, or an export a framework or runtime loads (`export default`, a route's `POST`).
_MAY_BE_LOADED = re.compile(r"\bnew\s+[\w.]*(?:Server|FastMCP|Transport)\b|\.(?:listen|connect)\s*\(|\bprocess\.argv\b"
                            r"|\bexport\s+default\b|\bexport\s+(?:async\s+)?function\s+(?:GET|POST|PUT|DELETE|PATCH)\b|\bas\s+(?:GET|POST)\b")
_ASSET = re.compile(r"\.(?:json|css|scss|svg|png|html|md|txt|node|wasm|yaml|yml)$", re.IGNORECASE)
_SPECIFIER = re.compile(r"""(?:\bfrom|\bimport|\brequire)\s*\(?\s*["']([^"'\n]+)["']""")


def strip_comments(text: str) -> str:
    """The text without comments, where a call that was switched off stays."""
    return _COMMENT.sub(" ", text)


def unused_registrars(found: Dict[str, Tuple[str, ...]], code_of: Callable[[str], str], files: Iterable[str],
                      aliases: Optional[Aliases] = None) -> Dict[str, Tuple[str, ...]]:
    """Of the registrars in `found` (file -> names), those the project never names outside
    comments other than where it declares them: no server gets their tools. A re-export names
    them only for the modules that import the re-exporting one: in a barrel nothing imports
    (`tools/watcher/index.ts` whose import was switched off), it is no use; nor is any mention in
    a module that nothing imports and that starts nothing (a folder of tool objects left behind);
    and where the project takes every module by name, neither is an import or export list that
    only passes the name along. Only when the project itself calls some registrar: a library of registrars leaves the calling
    to others. `code_of` gives a file's text without comments (`strip_comments`)."""
    names = {name for group in found.values() for name in group}
    if not names:
        return {}
    files = list(files)
    texts = {rel: code_of(rel) for rel in files}
    imported_files = _imported_files(texts, aliases)
    alternatives = "|".join(re.escape(n) for n in sorted(names))
    word = re.compile(r"(?<![\w$])(%s)(?![\w$])" % alternatives)
    # `export default addTools;`: an importer may call it by any name, so an import of the
    # module (its file name in another file) counts as a use.
    default_export = re.compile(r"\bexport\s+default\s+(%s)\s*;?" % alternatives)
    stems = {rel: posixpath.splitext(posixpath.basename(rel))[0] for rel in found}
    seen: Dict[str, Dict[str, int]] = {}  # name -> file -> mentions
    defaults: Set[Tuple[str, str]] = set()
    imported: Set[str] = set()
    # Where every module of the project is taken by name (no `import * as tools`, no relative
    # `require`), a registrar named only in import and export lists is passed along, never called
    # (datocms's routers kept in barrels "for backward compatibility").
    by_name = not any(_WHOLE_MODULE.search(text) for text in texts.values())
    for rel in files:
        text = texts[rel]
        if imported_files is not None and rel not in imported_files:
            text = _REEXPORT.sub(" ", text)
        if rel in found:
            defaults.update((rel, m.group(1)) for m in default_export.finditer(text))
            text = default_export.sub(" ", text)
        imported.update(other for other, stem in stems.items()
                        if other != rel and stem in text and _imports_stem(text, stem))
        if by_name:
            text = _NAME_LISTS.sub(" ", text)
        if any(name in text for name in names):
            for match in word.finditer(text):
                per_file = seen.setdefault(match.group(1), {})
                per_file[rel] = per_file.get(rel, 0) + 1

    # A module no other file imports and that starts nothing itself is loaded by nothing (unless
    # the project imports modules by computed paths): no mention of its registrars counts.
    computed = any(_COMPUTED_IMPORT.search(text) for text in texts.values())
    unreached = set() if computed or imported_files is None else \
        {rel for rel in found if rel not in imported_files and not _MAY_BE_LOADED.search(texts[rel])}

    def used(rel: str, name: str) -> bool:
        if rel in unreached:
            return False
        mentions = seen.get(name, {})
        return (mentions.get(rel, 0) > 1 or any(other != rel for other in mentions)
                or ((rel, name) in defaults and (rel in imported or imported_files is None)))

    if not any(used(rel, name) for rel, group in found.items() for name in group):
        return {}
    unused = {rel: tuple(name for name in group if not used(rel, name)) for rel, group in found.items()}
    return {rel: group for rel, group in sorted(unused.items()) if group}


def _served(rel: str) -> bool:
    """Whether a file may be server code: not a test, nor under a scripts or examples folder
    (whose stale imports of moved files say nothing about the server)."""
    folders = rel.split("/")[:-1]
    return not (is_test_file(posixpath.basename(rel), folders) or TOOLING_DIRS.intersection(folders))


def _imported_files(texts: Dict[str, str], aliases: Optional[Aliases] = None) -> Optional[Set[str]]:
    """The files (of `texts`) another file imports, with a relative specifier or a tsconfig alias
    (`@/tools/x`); None when server code imports a relative module that is not there
    (`./handlers/_registry` generated at build time: it may import any module)."""
    known = set(texts)
    found: Set[str] = set()
    for rel, text in texts.items():
        for match in _SPECIFIER.finditer(text):
            spec = match.group(1)
            stem = relative_stem(rel, spec)
            target = resolve(stem if stem is not None else "bare:" + spec, known, *([aliases] if aliases is not None else []))
            if target is None and stem is not None and not _ASSET.search(spec) and _served(rel):
                return None
            if target is not None and target != rel:
                found.add(target)
    return found


def _imports_stem(text: str, stem: str) -> bool:
    """Whether `text` imports a module whose file is named `stem` (`from "./tools/x.js"`,
    `require("./x")`, `import("../x.ts")`)."""
    return re.search(r"""(?:\bfrom|\bimport|\brequire)\s*\(?\s*["'][^"'\n]*/%s(?:\.[cm]?[jt]sx?)?["']""" % re.escape(stem), text) is not None


def registering_text(text: str) -> bool:
    """A cheap test before parsing: the file may register a tool (and so hold tool code that
    reaches other modules), or write a tool as an object (`{ name, description, inputSchema,
    handler }`)."""
    return "inputSchema" in text or (("import" in text or "require(" in text) and any(token in text for token in _REGISTRATION_TOKENS))


_REGISTRATION_TOKENS: Iterable[str] = (".tool(", "registerTool(", "addTool(", "CallToolRequestSchema", "tools/call")


def parsed_model(rel: str, text: Optional[str]):
    """The `TsModel` of a file read for linking, or None when it cannot be parsed."""
    from mcp_lint.documents.typescript import TypeScriptDocument
    from mcp_lint.typescript.model import model_of

    if not text:
        return None
    document = TypeScriptDocument(rel, text)
    try:
        document.parse()
        return model_of(document)
    except Exception:  # noqa: BLE001 - unparsable or past a limit: the rule phase reports it
        return None
