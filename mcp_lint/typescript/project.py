"""The TypeScript project pass: small per-file facts (relative imports, transports, signal
handlers...) collected in the per-file phase, merged by project rules. Module specifiers are
resolved against the project's own files only: relative imports (`./tools.js` may name
`tools.ts`, as TypeScript's NodeNext resolution allows) and tsconfig `paths` aliases given as
`@/x` or `~/x` prefixes of the source folder."""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from mcp_lint.config import NON_PRODUCTION_DIRS
from mcp_lint.model import Location
from mcp_lint.typescript.protocol_tests import TEST_NAME
from mcp_lint.reading import read_text
from mcp_lint.repository import repository_root
from mcp_lint.run_memo import per_run
from mcp_lint.typescript.module_use import ModuleUse
from mcp_lint.typescript.syntax import arguments, string_value

_SUFFIXES = ("", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_JS_TO_TS = {".js": (".ts", ".tsx", ".js"), ".mjs": (".mts", ".mjs"), ".cjs": (".cts", ".cjs"), ".jsx": (".tsx", ".jsx")}


# `process.env.TOKEN = ...`, `process.env["TOKEN"] ??= ...`: the project sets the variable itself.
_ENV_WRITE = re.compile(rb"""\bprocess\.env(?:\.([A-Za-z_$][\w$]*)|\[\s*["'`]([^"'`\]]+)["'`]\s*\])\s*(?:=(?![=>])|\?\?=|\|\|=)""")


def env_writes(data: bytes) -> FrozenSet[str]:
    """Environment variables a TS/JS file assigns (a token refreshed at run time and stored in
    `process.env`): read back per call, such a variable is the program's state, not its
    configuration."""
    if b"process.env" not in data:
        return frozenset()
    return frozenset((a or b).decode("utf-8", "replace") for a, b in _ENV_WRITE.findall(data))


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


# Folders of maintenance scripts, and of static files a web server hands to browsers
# (`public/mount.js`): code there that imports no MCP module is not the server's.
_NOT_SERVER_DIRS = frozenset({"scripts", "public", "static", "wwwroot"})


def not_shipped(model, path: str) -> bool:
    """Examples and tests; and maintenance scripts and browser code: a file under `scripts/` or
    `public/` that imports no MCP module (a start script that imports the server,
    `scripts/start-server.ts`, is the server)."""
    folders = path.split("/")[:-1]
    if NON_PRODUCTION_DIRS.intersection(folders):
        return True
    return bool(_NOT_SERVER_DIRS.intersection(folders)) and not any("mcp" in spec.lower() or "modelcontextprotocol" in spec for spec in module_specifiers(model))


def local_imports(path: str, specifiers: Iterable[str]) -> List[str]:
    """Project-relative candidate stems for relative specifiers; other specifiers are kept as
    `bare:<spec>` for tsconfig `paths` aliases to resolve in the project pass."""
    out = []
    for spec in specifiers:
        stem = relative_stem(path, spec)
        if stem is not None:
            out.append(stem)
        elif not spec.startswith("node:"):
            out.append("bare:" + spec)
    return out


def relative_stem(path: str, spec: str) -> Optional[str]:
    """The project-relative stem a relative specifier of the file at `path` names, else None."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), spec)) if spec.startswith(".") else None


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
    return next((candidate for candidate in _candidates(stem) if candidate in known), None)


def _candidates(stem: str) -> List[str]:
    """The files a module stem may name, in resolution order."""
    base, ext = posixpath.splitext(stem)
    return [base + alt for alt in _JS_TO_TS.get(ext, ())] + [stem + s for s in _SUFFIXES] + [f"{stem}/index{s}" for s in _SUFFIXES[1:]]


def stem_on_disk(root: Path, stem: str) -> bool:
    """Whether a file a module stem may name exists under `root` (the project's files on disk,
    analysed or not: a build output, an excluded folder)."""
    return any((root / candidate).is_file() for candidate in _candidates(stem))


_MAX_UNRESOLVED = 16


def displaced_import(path: str, specifiers: Iterable[str], known: Set[str], on_disk: Callable[[str], bool]) -> Optional[str]:
    """A relative import of the module at `path` that names nothing beside it (no project file,
    nothing on disk, `on_disk(stem)`) while the module it means is elsewhere in the project:
    `./lib/store.js` in `scripts/debug/server.js`, with `lib/store.js` at the root. The file is a
    copy moved away from the code it imports, and Node cannot load it. A module missing from
    the whole project (generated at build time, `../dist/x.js`) says nothing of the kind. At most
    `_MAX_UNRESOLVED` unresolved imports are looked for elsewhere (each looks at every file)."""
    unresolved = 0
    for spec in specifiers:
        stem = relative_stem(path, spec)
        if stem is None or resolve(stem, known) or on_disk(stem):
            continue
        unresolved += 1
        if unresolved > _MAX_UNRESOLVED:
            return None
        ext = posixpath.splitext(stem)[1]
        if ext and ext not in _JS_TO_TS and ext not in _SUFFIXES:
            continue  # `./data.json`, `./style.css`: not a module this resolution knows
        tail = "/".join(part for part in posixpath.splitext(spec)[0].split("/") if part not in (".", ".."))
        if tail and any(resolve(prefix + tail, known) for prefix in _prefixes_of(known, tail)):
            return spec
    return None


def _prefixes_of(known: Set[str], tail: str) -> Set[str]:
    """The folders (as `dir/` prefixes, `""` for the root) under which a known file's stem ends with `tail`."""
    found = set()
    for rel in known:
        stem = posixpath.splitext(rel)[0]
        for candidate in (stem, posixpath.dirname(stem)):  # `lib/store.ts`, `lib/store/index.ts`
            if candidate == tail:
                found.add("")
            elif candidate.endswith("/" + tail):
                found.add(candidate[: -len(tail)])
    return found


@dataclass
class FileFacts:
    """What project rules need from one TS file (plain data: it crosses process boundaries)."""

    path: str
    imports: List[str] = field(default_factory=list)
    stdio: Optional[Location] = None  # where the file starts a stdio transport
    http: Optional[Location] = None  # where it serves over HTTP
    findings: List[Tuple[Location, str, str, str]] = field(default_factory=list)  # (location, message, snippet, module_use.owner)
    flags: Set[str] = field(default_factory=set)
    use: Optional[ModuleUse] = None  # which parts run when imported by name (module_use.py), when a rule asks


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


def owned_elsewhere(root, evidence: Callable[[str], bool]) -> bool:
    """Whether a protection the unit at `root` lacks (a limiter, a SIGTERM handler, a health
    route, a JSON logger) is another package's to provide. True for a library package (no `bin`,
    start script or Dockerfile beside its package.json) that no runnable package of its own
    workspace depends on: the application that imports it owns the process. For a workspace
    library that the repository's own server runs (a monorepo's `http-runners` under its `bin`
    package), true only when the source of a package on the way from that server to it shows
    `evidence(text)`: those files belong to other units, so they are searched as text, not
    parsed. Only plain data is read, through the bounded reader."""
    if root is None:
        return False
    folder = Path(root)
    package = _manifest(folder)
    if package is None or _runnable(folder, package):
        return False
    serving = _workspace_packages(_workspace_top(folder)).serving(str(package.get("name")))
    return not serving or any(_source_shows(other, evidence) for other in serving)


def library_package(root) -> bool:
    """Whether the unit at `root` is a package others run (a package.json with no `bin`, start
    script or Dockerfile): any of its exports may be called by an importer elsewhere."""
    if root is None:
        return False
    package = _manifest(Path(root))
    return package is not None and not _runnable(Path(root), package)


def _manifest(folder: Path) -> Optional[dict]:
    text, _ = read_text(folder / "package.json", "packagejson")
    try:
        package = json.loads(text) if text else None
    except ValueError:
        return None
    return package if isinstance(package, dict) else None


def _runnable(folder: Path, package: dict) -> bool:
    if package.get("bin") or any((folder / name).is_file() for name in ("Dockerfile", "Containerfile")):
        return True
    scripts = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
    return any(name in scripts for name in _RUN_SCRIPTS)


_WORKSPACE_FILES = ("pnpm-workspace.yaml", "lerna.json", "nx.json", "turbo.json", "rush.json")


def _workspace_top(folder: Path) -> Path:
    """The workspace the package belongs to: the nearest folder above it that declares one
    (pnpm, lerna, nx, turbo, rush, or a package.json with `workspaces`), not above its Git
    repository; else that repository; else the package itself."""
    repository = repository_root(folder)
    for candidate in folder.parents:
        if any((candidate / name).is_file() for name in _WORKSPACE_FILES) or "workspaces" in (_manifest(candidate) or {}):
            return candidate
        if candidate == repository:
            break
    return repository or folder


@dataclass(frozen=True)
class _Workspace:
    folders: Dict[str, Path]  # package name -> folder
    needs: Dict[str, FrozenSet[str]]  # package name -> its runtime dependencies
    runnable: FrozenSet[str]

    def serving(self, name: str) -> List[Path]:
        """Folders of the packages that run `name` (runnable ones that depend on it, directly or
        through other packages of the workspace) and of the packages between them and it."""
        running = self.runnable | {other for r in self.runnable for other in self._reach(r)}
        return [self.folders[other] for other in sorted(running) if other != name and name in self._reach(other)]

    def _reach(self, name: str) -> Set[str]:
        seen: Set[str] = set()
        pending = list(self.needs.get(name, ()))
        while pending:
            other = pending.pop()
            if other in self.folders and other not in seen:
                seen.add(other)
                pending.extend(self.needs.get(other, ()))
        return seen


@per_run
def _workspace_packages(top: Path) -> _Workspace:
    from mcp_lint.units import _package_folders as package_folders

    folders: Dict[str, Path] = {}
    needs: Dict[str, FrozenSet[str]] = {}
    runnable: Set[str] = set()
    for folder in (top, *package_folders(top)):
        package = _manifest(folder)
        if package is None or not isinstance(package.get("name"), str):
            continue
        name = package["name"]
        dependencies = package.get("dependencies")
        folders[name] = folder
        needs[name] = frozenset(dependencies if isinstance(dependencies, dict) else ())
        if _runnable(folder, package):
            runnable.add(name)
    return _Workspace(folders, needs, frozenset(runnable))


_SOURCE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs")
_MAX_SOURCES = 2_000


def _source_shows(folder: Path, evidence: Callable[[str], bool]) -> bool:
    return any(evidence(text) for text in _package_sources(folder))


@per_run  # several rules ask about the same serving packages: each file is read once per run
def _package_sources(folder: Path) -> Tuple[str, ...]:
    """The TS/JS sources of the package at `folder` (not of packages nested in it, not tests,
    declarations or build output); at most _MAX_SOURCES files."""
    from mcp_lint.units import _SKIP_DIRS

    texts: List[str] = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".") and not (Path(current, d) / "package.json").is_file())
        for name in sorted(files):
            if not name.endswith(_SOURCE_SUFFIXES) or TEST_NAME.search(name) or name.endswith(".d.ts"):
                continue
            if len(texts) >= _MAX_SOURCES:
                return tuple(texts)
            text, _ = read_text(Path(current, name), "typescript")
            if text:
                texts.append(text)
    return tuple(texts)


# Files beside package.json that decide what a package builds and runs (a bundler's entries, a
# script, a Dockerfile's CMD): a TypeScript file one of them names may be built or run whatever
# the tsconfig includes.
_BUILD_FILES = re.compile(r"^(?:(?:package|nodemon|vercel|turbo|tsconfig[\w.-]*|wrangler)\.jsonc?|Dockerfile.*|Containerfile.*|Procfile|"
                          r"[\w.-]*\.config\.[cm]?[jt]s|[\w.-]*\.(?:ya?ml|sh|toml))$")
_TS_SOURCE = re.compile(r"(?<!\.d)\.(ts|tsx|mts|cts)$")


class BuildScope:
    """Which TypeScript files the package at `root` compiles, from the `include` and `files`
    of its compiling tsconfigs (a bundler follows imports from entries the build files name,
    so a file named there or imported by another module counts as built too: `named_by_build`
    here, `imported_by_others` below). Unknown (every file counts as built) when a compiling
    tsconfig lists neither (it inherits them, or is a solution file of `references` only)."""

    def __init__(self, root: Optional[Path]):
        self.root = Path(root) if root is not None else None
        self.spec = self._include_spec() if self.root is not None else None

    def _include_spec(self):
        import pathspec

        from mcp_lint.documents.jsonc import parse_jsonc
        from mcp_lint.typescript.packages import COMPILING_TSCONFIGS

        patterns: List[str] = []
        for name in COMPILING_TSCONFIGS:
            text, _ = read_text(self.root / name, "tsconfig")
            if not text:
                continue
            try:
                config, _ = parse_jsonc(text)
            except Exception:  # a broken tsconfig is MCP0000 elsewhere; nothing known of its scope
                return None
            listed = [config.get(key) for key in ("include", "files")] if config.kind == "object" else []
            entries = [e.value for node in listed if node is not None and node.kind == "array" for e in node.elements if isinstance(e.value, str)]
            if not entries:
                return None
            for entry in entries:
                entry = posixpath.normpath(entry)
                if not entry.startswith(".."):  # `../shared`: another package's files
                    patterns.append("/**" if entry == "." else "/" + entry)
        return pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None

    def compiles(self, path: str) -> bool:
        """`path` (relative to the package) is compiled, or nothing says otherwise."""
        return self.spec is None or not _TS_SOURCE.search(path) or self.spec.match_file(path)

    def named_by_build(self, path: str) -> bool:
        """A build file beside package.json names the file (`tsup` entries, `tsx server.ts`)."""
        stem = posixpath.splitext(posixpath.basename(path))[0]
        word = re.compile(r"(?<![\w-])%s(?![\w-])" % re.escape(stem))
        for child in sorted(self.root.iterdir()) if self.root is not None and self.root.is_dir() else ():
            if child.is_file() and _BUILD_FILES.match(child.name):
                text, _ = read_text(child, "build")
                if text and word.search(text):
                    return True
        return False


def imported_by_others(path: str, others: Iterable[Tuple[str, str]]) -> bool:
    """Whether a module of `others` ((project path, code)) imports the file at `path` by a
    specifier ending in its name (`./temp-server.js`; a folder's name for its `index.ts`), in
    an import, an export-from, `import(...)` or `require(...)` (not a script that reads the file)."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    name = posixpath.basename(posixpath.dirname(path)) if stem == "index" else stem
    if not name:
        return True
    specifier = re.compile(r"""(?:\bfrom|\bimport\s*\(?|\brequire\s*\()\s*["'`][^"'`\n]*\b%s(?:\.[cm]?[jt]sx?)?["'`]""" % re.escape(name))
    return any(other != path and specifier.search(code) for other, code in others)
