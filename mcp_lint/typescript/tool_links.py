"""Tool handlers defined in one TS module and registered in another.

A registration whose handler the registering file cannot see (`server.tool(name, desc, shape,
getProfile.execute)` with `getProfile` imported from `./tools/profile.js`, or
`server.registerTool("scrape", cfg, scrapeTool)`) leaves the handler's own module without tool
code, so every rule that asks "does this run for a caller?" stays quiet there. Before the
per-file phase, the engine reads the references each registering file makes
(`handler_references`), follows them through the project's own modules, re-exports included
(`link_handlers`), and hands each defining module the exports that are handlers (`Linked`);
that module's `TsModel` then treats them as tools of kind "linked".

Only the project's own modules are followed (relative specifiers and tsconfig aliases), and a
re-export chain at most `_MAX_HOPS` long: what cannot be resolved stays unlinked, as before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

from mcp_lint.typescript.project import Aliases, relative_stem, resolve
from mcp_lint.typescript.syntax import string_value

_MAX_HOPS = 4


@dataclass(frozen=True)
class HandlerRef:
    """A handler a registering file takes from another module: `specifier`'s export `export`,
    then `path` (object properties: `("execute",)` for `getProfile.execute`)."""

    specifier: str
    export: str
    path: Tuple[str, ...]
    has_arguments: bool  # the registration gives an input schema: the first parameter holds the arguments
    tool: str  # the tool's name when the registration writes it as a literal, else ""


@dataclass(frozen=True)
class Linked:
    """An export of this module that is a tool handler registered elsewhere."""

    export: str
    path: Tuple[str, ...]
    has_arguments: bool
    tool: str


def handler_references(model) -> List[HandlerRef]:
    """The handlers of this file's registrations that come from another module."""
    refs = []
    for dotted_name, has_arguments, tool in model.unresolved_handlers:
        first, *rest = dotted_name.split(".")
        module, imported = model.imports.get(first, ("", ""))
        if not module:
            continue
        if imported == "*":
            if not rest:
                continue
            imported, rest = rest[0], rest[1:]
        refs.append(HandlerRef(module, imported, tuple(rest), has_arguments, tool))
    return refs


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
    refs_by_file: Dict[str, List[HandlerRef]], known: Set[str], aliases: Aliases, model_of_file: Callable[[str], Optional[object]]
) -> Dict[str, Tuple[Linked, ...]]:
    """For each defining module (project-relative path), the handlers it exports. `model_of_file`
    gives a file's `TsModel` (or None) for following re-exports."""
    found: Dict[str, Set[Linked]] = {}
    for rel, refs in refs_by_file.items():
        for ref in refs:
            target = _defining_module(rel, ref.specifier, ref.export, known, aliases, model_of_file)
            if target is not None:
                path, name = target
                found.setdefault(path, set()).add(Linked(name, ref.path, ref.has_arguments, ref.tool))
    return {path: tuple(sorted(links, key=lambda l: (l.export, l.path, l.tool))) for path, links in sorted(found.items())}


def _defining_module(rel, specifier, export, known, aliases, model_of_file) -> Optional[Tuple[str, str]]:
    """(module path, its own name for the export) where `export` of `specifier`, imported by
    `rel`, is declared; None when it leaves the project or cannot be followed."""
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
        if model.exported_value(name) is not None:
            return path, name
        named, star = exports(model)
        if name in named:
            pending.append((path, named[name][0], named[name][1], hops + 1))
        else:
            pending.extend((path, source, name, hops + 1) for source in reversed(star))
    return None


def registering_text(text: str) -> bool:
    """A cheap test before parsing: the file may register a tool with an imported handler."""
    return ("import" in text or "require(" in text) and any(token in text for token in _REGISTRATION_TOKENS)


_REGISTRATION_TOKENS: Iterable[str] = (".tool(", "registerTool(", "addTool(")


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
