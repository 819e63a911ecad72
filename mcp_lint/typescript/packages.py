"""Is this package an MCP server? The package is the project unit (the nearest folder with a
package.json, pyproject.toml...), and the answer comes from small per-file signals merged by
project rules, so that the compiler and start-up rules of checklist item 11 judge the
package that builds the server and not a UI, a client or a sibling library of the same
repository.

A package is a server package when
- one of its TS/JS files builds or runs a server: it constructs `McpServer`, the SDK's
  low-level `Server` or fastmcp's `FastMCP` (assigned or returned), receives one as a typed
  parameter (a tool registrar), registers tools, or starts a server transport; or
- none of its files shows either side of MCP but its package.json depends on an MCP server
  library (`@modelcontextprotocol/sdk`, `fastmcp`, `mcp-handler`...): the server's shared tool
  schemas, or a server whose construction lies in a workspace library.
A Dockerfile or `bin` that runs the package is not asked: a UI has its own Dockerfile too,
and a client CLI its `bin`.

A package whose MCP code only uses the client side (`Client` and the client transports,
`createMCPClient` of the AI SDK) is a client, not a server, whatever it depends on. A package
without TypeScript server code (a Vite or Next.js UI, a Python server's examples) is not one.

The package's scripts are read here too: which script chain a name runs, and whether the
build is a bundler's (tsup, esbuild, vite...) rather than tsc's."""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from mcp_lint.documents.base import ParseError
from mcp_lint.documents.jsonc import JsonNode, parse_jsonc
from mcp_lint.reading import read_text
from mcp_lint.typescript.model import MCP_MODULES, SERVER_CLASSES, model_of
from mcp_lint.typescript.project import module_specifiers
from mcp_lint.units import _package_folders as package_folders  # the bounded walk units use for image names

# Libraries a server is built on (a dependency on one says "server" only when something runs the package).
SERVER_LIBRARIES = re.compile(r"^(@modelcontextprotocol/(sdk|server)|fastmcp|mcp-handler|@vercel/mcp-adapter|mcp-framework)$")
CLIENT_MODULES = re.compile(r"^@modelcontextprotocol/(sdk/client(/.*)?|client(/.*)?)$|^@ai-sdk/mcp$|^@mastra/mcp$")
CLIENT_FACTORIES = re.compile(r"^(experimental_)?createMCPClient$|^MCPClient$")
DEPENDENCY_KEYS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
LOCAL_VERSIONS = ("workspace:", "file:", "link:", "portal:")  # a dependency on a package of this repository

SCRIPT_CALL = re.compile(r"\b(?:npm\s+(?:run(?:-script)?\s+(?P<npm>[\w:.-]+)|(?P<npm_start>start)\b)|(?:yarn|pnpm|bun)\s+(?:run\s+)?(?P<other>[\w:.-]+))")
# A bundler emits the JavaScript; the tsconfig's emit settings are then not what ships.
BUNDLER = re.compile(r"(?:^|[\s;&|(/])(?:tsup|tsdown|esbuild|(?:electron-)?vite|rollup|webpack|rspack|ncc|parcel|unbuild|pkgroll|bun\s+build)(?=\s|$|[;&|)])")
# tsc emitting JavaScript (not `tsc --noEmit` or `--emitDeclarationOnly`, which only check or write .d.ts).
TSC = re.compile(r"(?:^|[\s;&|(/])(?:tsc|vue-tsc)(?=\s|$|[;&|)])(?P<args>[^;&|]*)")
TSC_NO_JS = re.compile(r"--noEmit\b|--emitDeclarationOnly\b")
# The tsconfigs that compile a package (test, lint and shared-base configs do not).
COMPILING_TSCONFIGS = tuple(f"tsconfig{v}.json" for v in ("", ".build", ".prod", ".production", ".release", ".server", ".app", ".lib"))


def called_scripts(command: str) -> List[str]:
    """Package scripts a command runs: `npm start`, `npm run build:prod`, `yarn serve`, `pnpm run x`."""
    return [m.group("npm") or m.group("npm_start") or m.group("other") for m in SCRIPT_CALL.finditer(command)]


def script_chain(scripts: Dict[str, str], name: str) -> List[str]:
    """The script `name` and every script it runs through npm/yarn/pnpm/bun, in order, once each."""
    chain, pending = [], [name]
    while pending:
        current = pending.pop(0)
        if current in scripts and current not in chain:
            chain.append(current)
            pending.extend(called_scripts(scripts[current]))
    return chain


def builds_with_bundler(scripts: Dict[str, str]) -> bool:
    """The `build` script (and the scripts it runs) bundles with tsup/esbuild/vite/..., and no
    script of the package has tsc emit JavaScript (a `build:docker` running tsc for the image
    makes the tsconfig's emit settings matter again)."""
    bundled = any(BUNDLER.search(scripts[name]) for name in script_chain(scripts, "build"))
    emitted = any(not TSC_NO_JS.search(m.group("args")) for c in scripts.values() for m in TSC.finditer(c))
    return bundled and not emitted


@dataclass
class PackageSignal:
    """What one file says about its package (plain data: it crosses process boundaries)."""

    path: str
    kind: str  # "source" or "manifest"
    role: str = ""  # sources: "server", "client", "mcp" (another MCP use) or "" (none)
    mcp_dependency: bool = False  # manifest: depends on an MCP server library
    scripts: Dict[str, str] = field(default_factory=dict)  # manifest: name -> command
    packages: List[str] = field(default_factory=list)  # sources: the packages imported by name
    local_dependencies: List[str] = field(default_factory=list)  # manifest: `workspace:` / `file:` / `link:` ones


def source_role(model) -> str:
    """"server" when the file builds or runs an MCP server, "client" when its MCP use is the
    client side only, "mcp" when it uses an MCP library otherwise, "" when it uses none."""
    cached = getattr(model, "_package_role", None)
    if cached is None:
        cached = model._package_role = _source_role(model)
    return cached


def _source_role(model) -> str:
    # Tool registrations are MCP idioms wherever they are (`registerTool`, `setRequestHandler(
    # CallToolRequestSchema)`, a `.tool()` on a known server), also on a server built by a
    # workspace library of the repository.
    if model.tools or model.transports or any(r.serves_mcp for r in model.routes):
        return "server"
    # Typed `server: Server` parameters and constructions count in files that use an MCP
    # library (`Server` alone is also node:http's).
    if model.mcp_file and (model.servers or _constructs_server(model)):
        return "server"
    for local, (module, imported) in model.imports.items():
        if CLIENT_MODULES.match(module) or CLIENT_FACTORIES.match(imported) or CLIENT_FACTORIES.match(local):
            return "client"
    return "mcp" if model.mcp_file else ""


def _constructs_server(model) -> bool:
    """`new McpServer(...)` anywhere (also returned from a factory or passed on, which the
    model's `servers` map does not record)."""
    for new in model.nodes("new_expression"):
        name = model._class_name(model.callee(new))
        if name in SERVER_CLASSES and (name != "Server" or MCP_MODULES.search(model.imported_from(model.callee(new)) or "")):
            return True
    return False


def collect_signal(document) -> Optional[PackageSignal]:
    """The signal of a TS/JS source or a package.json; None for other files."""
    if document.kind == "typescript":
        model = model_of(document)
        role = source_role(model)
        packages = sorted({_package_name(spec) for spec in module_specifiers(model) if not spec.startswith((".", "/", "node:"))}) if not role else []
        return PackageSignal(document.path, "source", role=role, packages=packages)
    if document.kind == "packagejson":
        return _manifest_signal(document)
    return None


def _manifest_signal(document) -> PackageSignal:
    root = document.root
    dependencies, local = set(), set()
    for key in DEPENDENCY_KEYS:
        node = root.get(key)
        if node is not None and node.kind == "object":
            dependencies.update(str(k.value) for k, _ in node.members)
            local.update(str(k.value) for k, v in node.members if isinstance(v.value, str) and v.value.startswith(LOCAL_VERSIONS))
    scripts = {name: node.value for name, node in document.scripts().items()}
    return PackageSignal(document.path, "manifest", mcp_dependency=any(SERVER_LIBRARIES.match(d) for d in dependencies),
                         scripts=scripts, local_dependencies=sorted(local))


def _package_name(specifier: str) -> str:
    """`@acme/core/server` -> `@acme/core`; `express/lib` -> `express`."""
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def is_server_package(signals: Iterable[PackageSignal]) -> bool:
    """Whether the package whose files sent these signals builds or contains an MCP server."""
    signals = list(signals)
    roles = {s.role for s in signals if s.kind == "source"}
    if "server" in roles:
        return True
    if "client" in roles:
        return False
    manifests = [s for s in signals if s.kind == "manifest"]
    if roles == {""}:  # sources, none of which uses an MCP library
        local = {name for s in manifests for name in s.local_dependencies}
        if not any(local.intersection(s.packages) for s in signals if s.kind == "source"):
            return False  # nor a workspace library that may build the server: the dependency is unused
    return any(s.mcp_dependency for s in manifests)


def extended_by_server_members(root: Optional[Path], config: str) -> bool:
    """Whether a workspace member below the unit's root (a package folder up to four levels
    down) that depends on an MCP server library has a compiling tsconfig extending `config`
    (unit-relative): the root's shared base is then the server's config, though the root
    package itself builds nothing. The members' sources are not read: their dependency says
    "server side" here. Small JSON files only, read through the bounded reader."""
    if root is None:
        return False
    target = Path(os.path.realpath(root / config))
    for folder in package_folders(Path(root)):
        if folder == Path(root) or not _depends_on_server_library(folder):
            continue
        for name in COMPILING_TSCONFIGS:
            if target in _relative_bases_on_disk(folder / name):
                return True
    return False


def _depends_on_server_library(folder: Path) -> bool:
    text, _ = read_text(folder / "package.json", "packagejson")
    try:
        manifest = json.loads(text) if text else None
    except ValueError:
        return False
    if not isinstance(manifest, dict):
        return False
    names = [d for key in DEPENDENCY_KEYS if isinstance(manifest.get(key), dict) for d in manifest[key]]
    return any(SERVER_LIBRARIES.match(d) for d in names)


def _relative_bases_on_disk(path: Path) -> List[Path]:
    """The files a tsconfig's relative `extends` names, resolved as TypeScript does."""
    text, _ = read_text(path, "tsconfig")
    if not text:
        return []
    try:
        root = parse_jsonc(text)[0]
    except ParseError:
        return []
    folder = path.parent.as_posix()
    return [Path(os.path.realpath(c)) for c in relative_bases(root, folder)]


def extends_specs(root: Optional[JsonNode]) -> List[str]:
    """A tsconfig's `extends` values (a string, or a list since TypeScript 5.0)."""
    node = root.get("extends") if root is not None and root.kind == "object" else None
    if node is None:
        return []
    values = [node] if node.kind == "string" else node.elements if node.kind == "array" else []
    return [v.value for v in values if v.kind == "string"]


def relative_bases(root: Optional[JsonNode], folder: str) -> List[str]:
    """Where a tsconfig's relative `extends` may point, as TypeScript looks them up (the path,
    with `.json`, a folder's tsconfig.json), joined to its folder."""
    out = []
    for spec in extends_specs(root):
        if spec.startswith("."):
            path = posixpath.normpath(posixpath.join(folder, spec))
            out.extend((path, path + ".json", posixpath.join(path, "tsconfig.json")))
    return out


def package_scripts(signals: Iterable[PackageSignal], folder: str) -> Optional[Dict[str, str]]:
    """The scripts of the package.json in `folder` (else the unit's root one), if any."""
    manifests = {posixpath.dirname(s.path): s for s in signals if s.kind == "manifest"}
    found = manifests.get(folder) or manifests.get("")
    return found.scripts if found is not None else None
