"""The TypeScript project pass: small per-file facts (relative imports, transports, signal
handlers...) collected in the per-file phase, merged by project rules. Module specifiers are
resolved against the project's own files only: relative imports (`./tools.js` may name
`tools.ts`, as TypeScript's NodeNext resolution allows) and tsconfig `paths` aliases given as
`@/x` or `~/x` prefixes of the source folder."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Set, Tuple

from mcp_lint.model import Location
from mcp_lint.typescript.syntax import arguments, string_value

_SUFFIXES = ("", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_JS_TO_TS = {".js": (".ts", ".tsx", ".js"), ".mjs": (".mts", ".mjs"), ".cjs": (".cts", ".cjs"), ".jsx": (".tsx", ".jsx")}


def module_specifiers(model) -> List[str]:
    """Every module a file imports or re-exports, statically (`import`, `export ... from`,
    `require("...")`, `import("...")`)."""
    doc = model.doc
    found: List[str] = []
    for stmt in model.nodes("import_statement"):
        source = string_value(doc, stmt.child_by_field_name("source"))
        if source:
            found.append(source)
    root = doc.tree.root_node
    for stmt in root.named_children:
        if stmt.type == "export_statement":
            source = string_value(doc, stmt.child_by_field_name("source"))
            if source:
                found.append(source)
    for call in model.nodes("call_expression"):
        function = call.child_by_field_name("function")
        if function is not None and function.type in ("import", "identifier") and doc.text_of(function) in ("require", "import"):
            args = arguments(call)
            value = string_value(doc, args[0]) if args else None
            if value:
                found.append(value)
    return found


def local_imports(path: str, specifiers: Iterable[str]) -> List[str]:
    """Project-relative candidate stems for relative specifiers; other specifiers are kept as
    `bare:<spec>` for tsconfig `paths` aliases to resolve in the project pass."""
    folder = posixpath.dirname(path)
    out = []
    for spec in specifiers:
        if spec.startswith("."):
            out.append(posixpath.normpath(posixpath.join(folder, spec)))
        elif not spec.startswith("node:"):
            out.append("bare:" + spec)
    return out


Aliases = List[Tuple[str, List[str]]]  # (specifier prefix, project-relative target prefixes)
_DEFAULT_ALIASES: Aliases = [("@/", ["src/", ""]), ("~/", ["src/", ""]), ("#/", ["src/", ""])]


def tsconfig_aliases(root) -> Aliases:
    """`compilerOptions.paths` of the project's root tsconfig.json, relative to its `baseUrl`;
    the common `@/`, `~/`, `#/` source aliases when there is none."""
    from pathlib import Path

    from mcp_lint.documents.tsconfig import TsconfigDocument
    from mcp_lint.reading import read_text

    if root is None:
        return _DEFAULT_ALIASES
    text, _ = read_text(Path(root) / "tsconfig.json", "tsconfig")
    if not text:
        return _DEFAULT_ALIASES
    document = TsconfigDocument("tsconfig.json", text)
    try:
        document.parse()
    except Exception:  # an unreadable tsconfig is MCP0000 elsewhere; aliases just fall back
        return _DEFAULT_ALIASES
    options = document.root.get("compilerOptions")
    paths = options.get("paths") if options is not None and options.kind == "object" else None
    base_node = options.get("baseUrl") if options is not None and options.kind == "object" else None
    base = base_node.value if base_node is not None and isinstance(base_node.value, str) else "."
    if paths is None or paths.kind != "object":
        return _DEFAULT_ALIASES
    aliases = []
    for key, value in paths.members:
        targets = [t.value for t in value.elements if isinstance(t.value, str)] if value.kind == "array" else []
        prefixes = []
        for target in targets:
            joined = posixpath.normpath(posixpath.join(base, target.rstrip("*")))
            prefixes.append("" if joined == "." else joined + ("/" if target.endswith("/*") else ""))
        aliases.append((str(key.value).rstrip("*"), prefixes))
    return sorted(aliases, key=lambda a: -len(a[0])) or _DEFAULT_ALIASES


def resolve(stem: str, known: Set[str], aliases: Aliases = _DEFAULT_ALIASES) -> Optional[str]:
    """The project file a stem names (`src/tools.js` -> `src/tools.ts`, `src/lib` ->
    `src/lib/index.ts`, `@/lib/db` -> `src/lib/db.ts` through the aliases)."""
    if stem.startswith("bare:"):
        spec = stem[len("bare:"):]
        for prefix, targets in aliases:
            if spec == prefix.rstrip("/") or spec.startswith(prefix):
                for target in targets:
                    found = resolve(posixpath.normpath(target + spec[len(prefix):]) if target + spec[len(prefix):] else ".", known, ())
                    if found:
                        return found
        return None
    base, ext = posixpath.splitext(stem)
    for candidate in [base + alt for alt in _JS_TO_TS.get(ext, ())] + [stem + s for s in _SUFFIXES] + [f"{stem}/index{s}" for s in _SUFFIXES[1:]]:
        if candidate in known:
            return candidate
    return None


def reachable(entries: Iterable[str], imports: Dict[str, List[str]], aliases: Aliases = _DEFAULT_ALIASES) -> Set[str]:
    """Files reachable from `entries` over resolved imports (iterative)."""
    known = set(imports)
    seen: Set[str] = set()
    stack = [e for e in entries]
    while stack:
        path = stack.pop()
        if path in seen:
            continue
        seen.add(path)
        for stem in imports.get(path, ()):
            target = resolve(stem, known, aliases)
            if target is not None and target not in seen:
                stack.append(target)
    return seen


@dataclass
class FileFacts:
    """What project rules need from one TS file (plain data: it crosses process boundaries)."""

    path: str
    imports: List[str] = field(default_factory=list)
    stdio: Optional[Location] = None  # where the file starts a stdio transport
    http: Optional[Location] = None  # where it serves over HTTP
    findings: List[Tuple[Location, str, str]] = field(default_factory=list)  # (location, message, snippet)
    flags: Set[str] = field(default_factory=set)


def base_facts(model) -> FileFacts:
    """A fresh copy of the file's common facts (computed once per file, shared by the rules)."""
    cached = getattr(model, "_base_facts", None)
    if cached is None:
        cached = model._base_facts = _base_facts(model)
    return FileFacts(cached.path, list(cached.imports), cached.stdio, cached.http)


def _base_facts(model) -> FileFacts:
    doc = model.doc
    facts = FileFacts(doc.path, local_imports(doc.path, module_specifiers(model)))
    for kind, node in model.transports:
        if kind == "stdio" and facts.stdio is None:
            facts.stdio = doc.location(node)
        elif kind in ("http", "sse") and facts.http is None:
            facts.http = doc.location(node)
    if facts.http is None and any(r.serves_mcp for r in model.routes):
        facts.http = doc.location(next(r.call for r in model.routes if r.serves_mcp))
    return facts


_RUN_SCRIPTS = ("start", "serve", "start:prod", "start:http", "start:sse", "prod")


def is_library_unit(root) -> bool:
    """A package others import (package.json without `bin` or a start script, and no Dockerfile
    beside it): the process that serves its HTTP code, with its signal handling, limiter and
    health route, is another unit's. Only plain data is read (bounded, JSON only)."""
    import json
    from pathlib import Path

    from mcp_lint.reading import read_text

    if root is None:
        return False
    folder = Path(root)
    text, _ = read_text(folder / "package.json", "packagejson")
    if not text or any((folder / name).is_file() for name in ("Dockerfile", "Containerfile")):
        return False
    try:
        package = json.loads(text)
    except ValueError:
        return False
    if not isinstance(package, dict) or package.get("bin"):
        return False
    scripts = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
    return not any(name in scripts for name in _RUN_SCRIPTS)
