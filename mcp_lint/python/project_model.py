"""The project model: the whole MCP server, across modules.

Built once per run (per project unit) in the parent process from the per-file summaries
(`file_summary.py`, extracted with `ast`, cached by content hash), it answers the questions one
file cannot:

- the module graph: which file an import names (absolute, relative, src-layout, namespace
  packages, `__init__` re-exports, aliases);
- servers as resolved symbols: globals bound to a server constructor, factory functions that
  return one, subclasses and their instances, class attributes, `self.server`, parameters of
  registrar functions bound by their callers;
- tool registrations anywhere on those servers, and hand-rolled JSON-RPC servers (a route that
  dispatches on `tools/call`); in a project that calls its registrar functions, one that nothing
  calls, imports or names registers nothing;
- a cross-module call graph (direct calls, methods on `self`, callbacks, dict dispatch, click
  and typer subcommands, argparse `set_defaults(func=...)`), so helpers of tools are tool code;
- entrypoints (`__main__` modules and guards, `[project.scripts]`, functions that serve and
  that nothing calls) and the transport each branch serves;
- which code runs in a process that serves stdio (`stdio_heat`), branch by branch.

Rules never see this object directly: the per-file phase gets a small `FileView` per file.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import tokenize
from dataclasses import dataclass, replace
from typing import Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from mcp_lint.cache import Encoded
from mcp_lint.python.auth import ENV_READS
from mcp_lint.python.file_summary import WEB_FRAMEWORKS, Binding, CallSite, ModuleSummary, Statement, Unit
from mcp_lint.python.holdings import summary_shows
from mcp_lint.python.names import ERROR_FLAG_KEYWORDS, GENERIC_RETURNS, LOWLEVEL_ATTRIBUTE, SUBCOMMAND_ATTACH, THREAD_POOL_CALLS, last_part
from mcp_lint.python.startup import startup_units
from mcp_lint.python import function_apps, web_tools
from mcp_lint.python.mcp_model import (
    HTTP_TRANSPORTS,
    SERVER_CLASSES,
    STANDALONE_TOOL_DECORATORS,
    TRANSPORT_CALLS,
    TRANSPORT_METHODS,
    looks_like_server_name,
    takes_by_position,
)

Key = Tuple[str, str]  # (rel, qualname); qualname "" is the module body
MAX_DEPTH = 12
SUMMARY_FORMAT = "17"  # bump when file_summary changes shape: cached summaries are then re-made
TOOL_CODE_DEPTH = 4  # handler -> helper -> helper -> helper
SERVE_METHODS = ("run", "run_async")
STDOUT_REDIRECTS = ("contextlib.redirect_stdout",)  # `with redirect_stdout(buffer):` captures the block's writes


def module_names(rel: str) -> List[str]:
    """Every dotted name the file could be imported as: `src/pkg/tools.py` -> pkg.tools, tools, ..."""
    parts = rel[:-3].split("/") if rel.endswith(".py") else rel.split("/")
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return [".".join(parts[i:]) for i in range(len(parts)) if parts[i:]]


_SDK_ROOTS = ("mcp", "fastmcp")  # an import of either puts MCP in a module
# ... unless it only names types a helper annotates or returns with (`from fastmcp import
# Context` in a service layer shared with a REST app): that serves nothing.
_SDK_TYPES = ("mcp.types", "fastmcp.Context", "fastmcp.server.context", "mcp.server.fastmcp.Context",
              "fastmcp.exceptions", "mcp.shared.exceptions", "fastmcp.utilities.types")


def _imports_sdk(target: str) -> bool:
    return target.split(".")[0] in _SDK_ROOTS and not any(target == t or target.startswith(t + ".") for t in _SDK_TYPES)


def from_other_package(rel: str) -> bool:
    """A module of another package of the repository that joined the unit because the unit
    imports it (mcp_lint/units.py): its definitions count (functions, server classes, tools
    registered on this unit's servers); its launches and entrypoints are its own package's."""
    return rel.startswith("../")


def normalise_transport(value: str) -> str:
    if value in HTTP_TRANSPORTS or value in ("streamable", "websocket", "ws"):
        return "http"
    return "stdio" if value == "stdio" else "dynamic"


@dataclass(frozen=True)
class ServerInfo:
    id: str  # "rel:line:col" of the construction, or "class:rel:Qual" for a subclass
    framework: str
    rel: str
    line: int
    name: str  # how the project names it: "weather", "QdrantMCPServer", "create_server()"
    auth: bool = False  # auth=, token_verifier=, auth_server_provider= given at construction


# Decorators registering a resource or prompt handler (fastmcp and the SDK's FastMCP; the
# low-level `Server`'s read and get handlers).
_OTHER_HANDLER_DECORATORS = frozenset({"resource", "prompt", "read_resource", "get_prompt"})


@dataclass(frozen=True)
class Registration:
    server: str  # ServerInfo.id, "" when the server is not known
    rel: str
    qualname: str  # the handler
    tool_name: str
    kind: str  # "tool" | "lowlevel-v1" | "lowlevel-v2" | "jsonrpc"; other handlers: the decorator's name
    line: int  # the handler's line
    framework: str = ""  # the handler's own, when not its server's (a web route offered as a tool)


@dataclass(frozen=True)
class Serve:
    rel: str
    unit: str
    call: CallSite
    server: str  # ServerInfo.id or ""
    transports: FrozenSet[str]
    text: str  # "mcp.run", "uvicorn.run"
    app: Optional[CallSite] = None  # the server's app call this launch serves (`app = mcp.http_app()`)


@dataclass(frozen=True)
class Entrypoint:
    kind: str  # "__main__ module" | "main guard" | "script" | "top-level" | "uncalled function"
    rel: str
    qualname: str
    line: int
    label: str  # "python -m pkg", "script mcp-foo", "python server.py"


@dataclass(frozen=True)
class ServingEntrypoint:
    """One way the project starts a server: where a rule should report project-level findings."""

    entrypoint: Entrypoint
    server: Optional[ServerInfo]
    transport: str  # "stdio" | "http" | "dynamic"
    launch: Serve  # the call that starts the server (its location is the launch location)

    @property
    def rel(self) -> str:
        return self.launch.rel


@dataclass(frozen=True)
class ToolCodeEntry:
    qualname: str
    tool_name: str
    kind: str
    framework: str
    is_helper: bool
    via: str  # the handler's "rel:qualname" for a helper
    returns_result: bool = False  # a helper whose return value a tool returns as its result (`return await impl(...)`)
    declared_output: bool = False  # ... of a tool that declares its own output type
    # ... returned only by calls that name it plainly (`return make_error(...)`, `self._fail(...)`
    # in its own module): the caller's file reads that call itself.
    returned_by_name: bool = False


@dataclass(frozen=True)
class HeatEntry:
    qualname: str
    severity: str  # "error" | "warning"
    cold_lines: FrozenSet[int]  # lines of this unit that never run in the stdio process


@dataclass(frozen=True)
class FileView:
    """What one file's rules need from the project model (picklable, cache-keyable)."""

    server_names: Tuple[Tuple[str, str], ...] = ()  # local dotted name -> framework
    not_servers: Tuple[str, ...] = ()  # names resolved to something that is not a server
    server_classes: Tuple[Tuple[str, str], ...] = ()  # classes (qualname) deriving from a server class
    tool_code: Tuple[ToolCodeEntry, ...] = ()
    stdio: Tuple[HeatEntry, ...] = ()
    stdio_reason: str = ""
    launches: Tuple[Tuple[int, str], ...] = ()  # (line, transport) of calls here that start a server
    lifespans: Tuple[str, ...] = ()  # qualnames of functions here passed as `lifespan=` (see lifespan.py)
    # (qualname, parameters) of functions here that are called and whose listed parameters no call passes
    unpassed: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    startup: Tuple[str, ...] = ()  # qualnames of functions here that run before the server serves
    # What the module's `ast` summary shows that lets the engine skip rules before the parse
    # (holdings.summary_shows: a tool registration, an MCP import); None: no summary of it.
    shows: Optional[Tuple[str, ...]] = None
    # (name here, last names of its ancestors outside the project) for project classes it names
    class_ancestors: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    # names here of project exception classes nothing raises, and of those raised with literal
    # messages only (`ProjectModel.unraised_exceptions_in`, `authored_exceptions_in`)
    unraised_exceptions: Tuple[str, ...] = ()
    authored_exceptions: Tuple[str, ...] = ()
    # TypeScript: this module's exports that are tool handlers registered in another module
    # (mcp_lint/typescript/tool_links.py; `Linked` entries)
    ts_linked: Tuple[Any, ...] = ()
    # TypeScript: logging helpers of other modules that this module's tool code calls
    # (`log_calls.ImportedLogHelper` entries)
    ts_log_helpers: Tuple[Any, ...] = ()
    # TypeScript: functions of other modules that this module's tool code calls and whose whole
    # body is a `try` whose `catch` throws nothing (their local names here)
    ts_absorbing: Tuple[str, ...] = ()
    # TypeScript: functions of other modules that this module's tool code calls and that return
    # one kind of tool result: (their local names here, "text" | "plain" | "error")
    ts_result_builders: Tuple[Tuple[str, str], ...] = ()
    # TypeScript: what the tool code of other modules reads of the values this module's functions
    # return: ((export, member path), the fields read, or None when a caller uses the whole value)
    ts_fields_read: Tuple[Any, ...] = ()
    # TypeScript: tool input schemas this module imports from another module of the project:
    # (local name, ((field, holds no text), ...)), read there (`tool_links.imported_schema_fields`)
    ts_imported_schemas: Tuple[Any, ...] = ()
    # TypeScript: the module writes tools as objects (`{ name, description, inputSchema, handler }`)
    ts_defines_tools: bool = False
    # TypeScript: ... and the project's low-level `tools/call` dispatcher validates each looked-up
    # tool's arguments with its `inputSchema` before calling it (`h.inputSchema.safeParse(...)`)
    ts_validated_arguments: bool = False
    # TypeScript: project error classes this module tests with `instanceof` whose every message is
    # written in the project (`error_classes.authored_error_classes`)
    ts_authored_errors: Tuple[str, ...] = ()
    # TypeScript: why the module never loads in the server, so it is not linted: a relative import
    # naming no file beside it but one elsewhere (`project.displaced_import`, a moved copy), or a
    # file its package never compiles (`project.BuildScope`)
    ts_not_loaded: str = ""
    # TypeScript: environment variables some module of the unit assigns (`process.env.X = ...`)
    ts_env_written: Tuple[str, ...] = ()
    # TS: module-level functions here that register tools and that nothing in the project names
    ts_unused_registrars: Tuple[str, ...] = ()
    # TS: (local name, server kind) of another module's type aliases of an SDK server class imported
    # here (`import type { ServerType } from "./server.js"`; tool_links.imported_server_types)
    ts_server_types: Tuple[Tuple[str, str], ...] = ()
    # names this file imports for project functions that never signal an error (`quiet_helpers_in`)
    quiet_helpers: Tuple[str, ...] = ()
    # names of the file's own functions and of the project functions it imports whose whole
    # body absorbs every exception (`absorbing_helpers_in`)
    absorbing_helpers: Tuple[str, ...] = ()
    # qualnames of module-level functions here that nothing uses (`ProjectModel._never_used`)
    unused: Tuple[str, ...] = ()
    # module-level names of this file that other modules import and use where the stdio process
    # runs (`from .ui import console` ... `console.print(...)`; `globals_used_by_stdio_in`)
    globals_used_by_stdio: Tuple[str, ...] = ()
    # names this file calls project functions of other modules by (`validation_error`, or
    # `tools_core.validation_error` through a module alias) that build an error result themselves
    error_builders: Tuple[str, ...] = ()
    # For a file with tool code: environment variables that code run at startup reads and fails
    # without (raises or exits): a tool reading them again reads what startup validated.
    startup_checked_env: Tuple[str, ...] = ()
    # (qualname, parameters) of this file's tool code whose listed parameters every call passes a
    # value other than a constant or its own parameter (`ProjectModel.always_passed`): their
    # `is None` fallbacks never run on those calls
    always_passed: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()

    def heat(self, qualname: str, line: int) -> Optional[str]:
        for entry in self.stdio:
            if entry.qualname == qualname:
                return None if line in entry.cold_lines else entry.severity
        return None


EMPTY_VIEW = FileView()


@dataclass
class _Symbol:
    kind: str  # "function" | "class" | "global" | "module" | "external" | "local" | "param"
    rel: str = ""
    name: str = ""  # qualname, global name, or external dotted
    value: str = ""  # bound value for globals and locals
    scope: str = ""  # unit qualname a local/param lives in


class ProjectModel:
    def __init__(self, summaries: Iterable[ModuleSummary], scripts: Dict[str, str] = None, text_of: Callable[[str], str] = None,
                 root_is_package: bool = False):
        self.modules: Dict[str, ModuleSummary] = {s.rel: s for s in summaries}
        self.scripts = dict(scripts or {})
        self.by_name: Dict[str, List[str]] = {}
        for rel in sorted(self.modules):
            for name in module_names(rel):
                self.by_name.setdefault(name, []).append(rel)
        root_package = self._root_package_name() if root_is_package else ""
        if root_package:
            for rel in sorted(self.modules):
                names = module_names(rel)
                self.by_name.setdefault(f"{root_package}.{names[0]}" if names else root_package, []).append(rel)
        self.units: Dict[Key, Unit] = {}
        self.classes: Dict[Key, object] = {}
        self._ends_process: Dict[Key, bool] = {}
        # Project classes some code instantiates (or raises), and whether every such call passes
        # only string literals (`raise PageNotFound("Page not found")`): their text is authored.
        self._instantiated: Dict[Key, bool] = {}
        self._named_classes: Dict[str, List[Tuple[str, Key]]] = {}  # `_classes_named_in`, per file
        for rel, summary in self.modules.items():
            self.units[(rel, "")] = summary.module
            for unit in summary.functions:
                self.units[(rel, unit.qualname)] = unit
            for cls in summary.classes:
                self.classes[(rel, cls.qualname)] = cls
        self._server_cache: Dict[Tuple[str, str, str], Optional[ServerInfo]] = {}
        self._rebinds: Dict[str, Dict[str, List[Tuple[str, str]]]] = {}  # `_global_rebinds`, per module
        self._silencing: Dict[Tuple[Key, int], bool] = {}  # `silences_stdout`, per unit and line
        self._resolved: Dict[Tuple[str, str, str], _Symbol] = {}
        self._near: Dict[Tuple[str, str], str] = {}
        self._import_tables: Dict[int, Dict[str, str]] = {}
        self._callers: Dict[Key, List[Tuple[Key, CallSite]]] = {}
        # A reader of a module's text: the rare question only the text answers (`_named_anywhere`).
        self.text_of: Callable[[str], str] = text_of or (lambda rel: "")
        self._wires_registrars: Optional[bool] = None
        self._tool_adder: Optional[List[ServerInfo]] = None
        self._unused: Dict[Key, bool] = {}
        self.servers: Dict[str, ServerInfo] = {}
        self.registrations: List[Registration] = []
        # Resource and prompt handlers: not tool code (no caller arguments the tool rules follow),
        # but they run in the serving process as tools do (the stdio heat counts them).
        self.other_handlers: List[Registration] = []
        self.edges: Dict[Key, List[Tuple[CallSite, Tuple[Key, ...], bool]]] = {}
        self.serves: Dict[Key, List[Serve]] = {}
        # (rel, line) of uvicorn calls that serve another web app of the project (`_other_web_app`)
        self.other_apps: Set[Tuple[str, int]] = set()
        self._subcommands: Dict[Key, List[Key]] = {}
        self.mounts: Dict[str, Set[str]] = {}  # server id -> ids of servers it mounts or imports
        self._defaults: Optional[Dict[Tuple[str, str], List[Key]]] = None
        self._methods_by_class: Optional[Dict[Key, List[Tuple[str, "Unit"]]]] = None  # (rel, class) -> its methods
        # (caller, callee) reached only as a function passed along: it runs in the process (stdio
        # heat) but its arguments are not the tool's, so rules track it themselves (executor sinks).
        self.callbacks: Set[Tuple[Key, Key]] = set()
        self._methods: Dict[Tuple[str, str], List[str]] = {}  # (rel, class) -> method qualnames
        for (rel, qualname), unit in self.units.items():
            if unit.cls:
                self._methods.setdefault((rel, unit.cls), []).append(qualname)
        self._by_rel: Optional[Dict[str, Dict[str, list]]] = None
        self.unsummarised: Tuple[str, ...] = ()  # see build_project_model
        self._build()

    # ---------------------------------------------------------------------------------
    # Module graph and name resolution

    def _root_package_name(self) -> str:
        """The name a repository whose root is a package (an `__init__.py` beside `server.py`, the
        checkout's folder named otherwise) is imported by: the first part of the absolute imports
        that name no module of the project while the rest does (`from scribe_mcp.server import app`
        with `server.py` at the root). "" when nothing imports it so."""
        votes: Dict[str, int] = {}
        for summary in self.modules.values():
            for unit in (summary.module, *summary.functions):
                for _, target in unit.imports:
                    head, _, rest = target.partition(".")
                    if rest and head not in self.by_name and head not in _SDK_ROOTS and self._names_project_code(rest):
                        votes[head] = votes.get(head, 0) + 1
        return max(sorted(votes), key=lambda name: votes[name]) if votes else ""

    def _names_project_code(self, dotted: str) -> bool:
        """`tools.entries` (a module) or `server.app` (a name the module defines), not
        `server.fastmcp.FastMCP` (`mcp.server...` beside a `server.py` of the project)."""
        if dotted in self.by_name:
            return True
        module, _, name = dotted.rpartition(".")
        summary = self.modules.get(self.by_name[module][0]) if module in self.by_name else None
        return summary is not None and (
            any(b.target == name for b in summary.module.bindings)
            or any(u.qualname == name for u in summary.functions) or any(c.qualname == name for c in summary.classes)
        )

    def module_rel(self, dotted: str, near: str = "") -> Optional[str]:
        candidates = self.by_name.get(dotted)
        if not candidates:
            return None
        if len(candidates) == 1 or not near:
            return min(candidates, key=len)
        key = (dotted, near.rpartition("/")[0])
        if key not in self._near:  # the module closest to the importing file wins
            self._near[key] = max(candidates, key=lambda rel: (_common_prefix(rel, near), -len(rel)))
        return self._near[key]

    def imported_rel(self, target: str, near: str) -> Optional[str]:
        """The project module that `import target` / `from pkg import target` in `near` loads:
        `target` itself, or the module it is a name of."""
        return self.module_rel(target, near) or self.module_rel(target.rpartition(".")[0], near)

    def resolve_qualified(self, qualified: str, near: str = "", depth: int = 0) -> _Symbol:
        parts = qualified.split(".")
        for i in range(len(parts), 0, -1):
            rel = self.module_rel(".".join(parts[:i]), near)
            if rel is not None:
                rest = ".".join(parts[i:])
                if not rest:
                    return _Symbol("module", rel)
                found = self.resolve(rel, "", rest, depth + 1)
                if found.kind == "external" and found.name == rest:
                    # The project module does not define it: the name is another package's
                    # (`mcp.server.stdio` beside the project's own `imsg/mcp/` package).
                    return _Symbol("external", name=qualified)
                return found
        return _Symbol("external", name=qualified)

    def resolve(self, rel: str, scope: str, dotted: str, depth: int = 0) -> _Symbol:
        """What `dotted` names in `scope` (a unit qualname) of module `rel`."""
        if depth > MAX_DEPTH or rel not in self.modules:
            return _Symbol("external", name=dotted)
        key = (rel, scope, dotted)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(rel, scope, dotted, depth)
        return found

    def _resolve(self, rel: str, scope: str, dotted: str, depth: int) -> _Symbol:
        head, _, rest = dotted.partition(".")
        summary = self.modules[rel]
        for unit in self._scopes(rel, scope):
            if unit.qualname and head in unit.params:
                return _Symbol("param", rel, head, scope=unit.qualname)
            imported = self._imports_of(unit).get(head)
            if imported is not None:
                return self._with_rest(self.resolve_qualified(imported, rel, depth), rest, depth)
            bound = _last_binding(unit, head)
            if bound is not None and unit.qualname:
                return self._attr(_Symbol("local", rel, head, bound, unit.qualname), rest)
            qualified = f"{unit.qualname}.{head}" if unit.qualname else head
            if (rel, qualified) in self.units and qualified != unit.qualname:
                return self._member(rel, qualified, rest)
            if (rel, qualified) in self.classes:
                return self._member(rel, qualified, rest, is_class=True)
        bound = _last_binding(summary.module, head)
        if bound is not None:
            return self._attr(_Symbol("global", rel, head, bound), rest)
        for star in summary.star_imports:
            found = self.resolve_qualified(f"{star}.{dotted}", rel, depth)
            if found.kind != "external":
                return found
        return _Symbol("external", name=dotted)

    def _imports_of(self, unit: Unit) -> Dict[str, str]:
        table = self._import_tables.get(id(unit))
        if table is None:
            table = self._import_tables[id(unit)] = {local: target for local, target in unit.imports if local}
        return table

    def _scopes(self, rel: str, scope: str) -> List[Unit]:
        """The unit and its enclosing function units, innermost first, then the module."""
        out = []
        parts = scope.split(".") if scope else []
        while parts:
            unit = self.units.get((rel, ".".join(parts)))
            if unit is not None and unit.qualname:
                out.append(unit)
            parts.pop()
        out.append(self.modules[rel].module)
        return out

    def _with_rest(self, symbol: _Symbol, rest: str, depth: int) -> _Symbol:
        if not rest:
            return symbol
        if symbol.kind == "module":
            return self.resolve(symbol.rel, "", rest, depth + 1)
        if symbol.kind == "external":
            return _Symbol("external", name=f"{symbol.name}.{rest}")
        if symbol.kind == "class":
            return self._member(symbol.rel, symbol.name, rest, is_class=True)
        return self._attr(symbol, rest)

    def _member(self, rel: str, qualname: str, rest: str, is_class: bool = False) -> _Symbol:
        if not rest:
            return _Symbol("class" if is_class else "function", rel, qualname)
        if (rel, f"{qualname}.{rest}") in self.units:
            return _Symbol("function", rel, f"{qualname}.{rest}")
        return _Symbol("attribute", rel, f"{qualname}.{rest}")

    @staticmethod
    def _attr(symbol: _Symbol, rest: str) -> _Symbol:
        if not rest:
            return symbol
        return _Symbol("attribute", symbol.rel, f"{symbol.name}.{rest}", symbol.value, symbol.scope)

    def qualify(self, rel: str, scope: str, dotted: str) -> str:
        """The external dotted name (`mcp.server.fastmcp.FastMCP`) or the project symbol's name."""
        symbol = self.resolve(rel, scope, dotted)
        return symbol.name if symbol.kind == "external" else ""

    # ---------------------------------------------------------------------------------
    # Servers

    def server_of(self, rel: str, scope: str, value: str, depth: int = 0) -> Optional[ServerInfo]:
        """The server an encoded value evaluates to, if any."""
        key = (rel, scope, value)
        if key in self._server_cache:
            return self._server_cache[key]
        self._server_cache[key] = None  # cycle guard
        found = self._server_of(rel, scope, value, depth) if depth <= MAX_DEPTH else None
        self._server_cache[key] = found
        return found

    def _server_of(self, rel: str, scope: str, value: str, depth: int) -> Optional[ServerInfo]:
        if value.startswith("c:"):
            unit = self.units.get((rel, scope))
            if unit is None:
                return None
            call = unit.calls[int(value[2:])]
            return self._constructed(rel, scope, call, depth)
        if not value.startswith("n:"):
            return None
        name = value[2:]
        head = name.split(".")[0]
        if head in ("self", "cls"):
            return self._self_server(rel, scope, name, depth)
        symbol = self.resolve(rel, scope, name)
        if symbol.kind in ("global", "local"):
            found = self.server_of(symbol.rel, symbol.scope, symbol.value, depth + 1)
            return found or (self._set_through_global(symbol.rel, symbol.name, depth) if symbol.kind == "global" else None)
        if symbol.kind == "param":
            return self._param_server(symbol, depth)
        if symbol.kind == "attribute":
            return self._attribute_server(symbol, depth)
        return None

    def _set_through_global(self, rel: str, name: str, depth: int) -> Optional[ServerInfo]:
        """A module global that starts as `mcp = None` and that a setter of the module rebinds
        (`def set_mcp_instance(instance): global mcp; mcp = instance`, called by the server's
        module with its server): the server the setter is given."""
        for qualname, value in self._global_rebinds(rel).get(name, ()):
            server = self.server_of(rel, qualname, value, depth + 1)
            if server is not None:
                return server
        return None

    def _global_rebinds(self, rel: str) -> Dict[str, List[Tuple[str, str]]]:
        """Per module: each global name its functions rebind (`global mcp; mcp = instance`) ->
        (function, value bound); read once per module (most have none)."""
        if rel not in self._rebinds:
            found: Dict[str, List[Tuple[str, str]]] = {}
            for unit in self.modules[rel].functions if rel in self.modules else ():
                for binding in unit.bindings if unit.globals else ():
                    if binding.target in unit.globals:
                        found.setdefault(binding.target, []).append((unit.qualname, binding.value))
            self._rebinds[rel] = found
        return self._rebinds[rel]

    def _constructed(self, rel: str, scope: str, call: CallSite, depth: int) -> Optional[ServerInfo]:
        if not call.callee:
            return None
        symbol = self.resolve(rel, scope, call.callee)
        if symbol.kind in ("local", "global") and symbol.value.startswith("o:"):
            # `server_class = CompatibleMCP if compat else FastMCP; server_class(...)`: either builds the server
            options = (self.resolve(symbol.rel, symbol.scope, name) for name in symbol.value[2:].split(","))
            symbol = next((o for o in options if o.kind == "class" or o.kind == "external" and o.name in SERVER_CLASSES), symbol)
        if symbol.kind == "external" and symbol.name in SERVER_CLASSES:
            return self._server(f"{rel}:{call.line}:{call.col}", SERVER_CLASSES[symbol.name], rel, call, scope)
        built = web_tools.server_framework(symbol.name) if symbol.kind == "external" else None
        if built:  # `FastMCP.from_fastapi(app=api)`, `FastApiMCP(api)`
            return self._server(f"{rel}:{call.line}:{call.col}", built, rel, call, scope)
        if symbol.kind == "class":
            framework = self.server_class_framework(symbol.rel, symbol.name)
            if framework:  # an instance of a subclass: tools registered on `self` are its tools too
                server = self._server(f"{rel}:{call.line}:{call.col}", framework, rel, call, scope)
                self.mounts.setdefault(server.id, set()).add(f"class:{symbol.rel}:{symbol.name}")
                return server
        if symbol.kind == "function":
            return self._factory_server(symbol.rel, symbol.name, depth)
        return None

    def _server(self, id_: str, framework: str, rel: str, call: CallSite, scope: str) -> ServerInfo:
        name = next((b.target for b in self.units[(rel, scope)].bindings if b.value.startswith("c:") and self.units[(rel, scope)].calls[int(b.value[2:])] == call), "")
        auth = any(call.kwarg(k) not in (None, "n:None") for k in ("auth", "token_verifier", "auth_server_provider"))
        return ServerInfo(id_, framework, rel, call.line, f"{scope}.{name}" if scope and name else name or f"{call.callee}(...)", auth)

    def _factory_server(self, rel: str, qualname: str, depth: int) -> Optional[ServerInfo]:
        unit = self.units.get((rel, qualname))
        if unit is None:
            return None
        for returned in unit.returns:
            server = self.server_of(rel, qualname, returned, depth + 1)
            if server is not None:
                return server
        if unit.return_annotation:
            symbol = self.resolve(rel, qualname, unit.return_annotation)
            if symbol.kind == "external" and symbol.name in SERVER_CLASSES:
                return ServerInfo(f"factory:{rel}:{qualname}", SERVER_CLASSES[symbol.name], rel, unit.line, f"{qualname}()")
        return None

    def server_class_framework(self, rel: str, qualname: str) -> Optional[str]:
        return next((SERVER_CLASSES[name] for name in self.external_ancestors(rel, qualname) if name in SERVER_CLASSES), None)

    def external_ancestors(self, rel: str, qualname: str, depth: int = 0) -> Tuple[str, ...]:
        """The classes from outside the project (builtins and packages, as written) that a
        project class derives from, directly or through project classes, depth first:
        `class FilterValidationError(ValueError)` -> ("ValueError",)."""
        cls = self.classes.get((rel, qualname))
        if cls is None or depth > MAX_DEPTH:
            return ()
        scope = qualname.rpartition(".")[0]
        found: List[str] = []
        for base in cls.bases:
            base = base[2:] if base.startswith("i:") else base  # `FastMCP[LifespanT]`
            if not base.startswith("n:"):
                continue
            symbol = self.resolve(rel, scope if (rel, scope) in self.units else "", base[2:])
            if symbol.kind == "external":
                found.append(symbol.name)
            elif symbol.kind == "class":
                found.extend(self.external_ancestors(symbol.rel, symbol.name, depth + 1))
        return tuple(found)

    def class_ancestors_in(self, rel: str) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
        """(name in the file, last names of its outside ancestors) for the project classes a
        file defines or imports: what `except FilterValidationError` really catches."""
        found = {}
        for local, (where, qualname) in self._classes_named_in(rel):
            ancestors = tuple(dict.fromkeys(a.split(".")[-1] for a in self.external_ancestors(where, qualname)))
            if ancestors:
                found[local] = ancestors
        return tuple(sorted(found.items()))

    def unraised_exceptions_in(self, rel: str) -> Tuple[str, ...]:
        """Names, in the file, of the project's exception classes it defines or imports that no
        code of the project instantiates or raises, nor any subclass of them: an `except` of
        only those never runs (chroma's `ValidationError` of its own, which nothing raises)."""
        return self._exception_names_in(rel, self._exception_classes()[0])

    def authored_exceptions_in(self, rel: str) -> Tuple[str, ...]:
        """Names, in the file, of the project's exception classes that every instantiation, of
        them and of their subclasses, gives only string literals: their text is the project's
        own (`raise PageNotFoundError("Page not found in this space")`, docmost)."""
        return self._exception_names_in(rel, self._exception_classes()[1])

    def _exception_names_in(self, rel: str, keys: FrozenSet[Key]) -> Tuple[str, ...]:
        return tuple(sorted({local for local, key in self._classes_named_in(rel) if key in keys})) if keys else ()

    def _classes_named_in(self, rel: str) -> List[Tuple[str, Key]]:
        """(name in the file, class) for the project classes a file defines or imports at module
        level. Asked for each file's view by several facts: resolved once."""
        memo = self._named_classes
        if rel not in memo:
            summary = self.modules[rel]
            names = [(cls.qualname, (rel, cls.qualname)) for cls in summary.classes]
            for local, _ in summary.module.imports:
                symbol = self.resolve(rel, "", local) if local else None
                if symbol is not None and symbol.kind == "class":
                    names.append((local, (symbol.rel, symbol.name)))
            memo[rel] = names
        return memo[rel]

    def _exception_classes(self) -> Tuple[FrozenSet[Key], FrozenSet[Key]]:
        """(never raised, raised with authored text only) among the project's exception classes
        the code names only in `except`, class, import and `isinstance` lines (a class named
        elsewhere may be raised where the model cannot see it)."""
        if not hasattr(self, "_exception_kinds"):
            exceptions = [key for key in self.classes if self._is_exception(key)]
            named = self._named_as_values({key[1].rsplit(".", 1)[-1] for key in exceptions})
            # A class's `except` also catches the subclasses raised: each class with its own.
            family: Dict[Key, Set[Key]] = {key: {key} for key in exceptions}
            for key in exceptions:
                pending, seen = self._project_bases(key), set()
                while pending:
                    base = pending.pop()
                    if base in family and base not in seen:
                        seen.add(base)
                        family[base].add(key)
                        pending.extend(self._project_bases(base))
            unraised, authored = set(), set()
            for key, members in family.items():
                if any(m[1].rsplit(".", 1)[-1] in named for m in members):
                    continue
                raised = [self._instantiated[m] for m in members if m in self._instantiated]
                if not raised:
                    unraised.add(key)
                elif all(raised):
                    authored.add(key)
            self._exception_kinds = (frozenset(unraised), frozenset(authored))
        return self._exception_kinds

    def _project_bases(self, key: Key) -> List[Key]:
        cls = self.classes.get(key)
        scope = key[1].rpartition(".")[0]
        bases = []
        for base in cls.bases if cls is not None else ():
            base = base[2:] if base.startswith("i:") else base
            symbol = self.resolve(key[0], scope if (key[0], scope) in self.units else "", base[2:]) if base.startswith("n:") else None
            if symbol is not None and symbol.kind == "class":
                bases.append((symbol.rel, symbol.name))
        return bases

    def _is_exception(self, key: Key) -> bool:
        return any(a.split(".")[-1].endswith(("Error", "Exception")) for a in self.external_ancestors(*key))

    def _named_as_values(self, names: Set[str]) -> Set[str]:
        """Of `names`, those a line of the project names other than an `except`, a class
        statement, an import or an `isinstance` test (`ERRORS = {404: NotFound}`, a docstring):
        such a class may be raised where the model cannot see it. One pass over the texts."""
        if not names:
            return set()
        word = re.compile(r"\b(%s)\b" % "|".join(sorted(map(re.escape, names))))
        found: Set[str] = set()
        for rel in self.modules:
            text = self.text_of(rel)
            if not word.search(text):
                continue
            for line in text.splitlines():
                code = _STRING_OR_COMMENT.sub("", line)  # `__all__` entries and notes name nothing
                if _NAMES_WITHOUT_RAISING.match(code) or "isinstance(" in code:
                    continue
                # A call or a `raise` of the class is an instantiation the model has seen.
                found.update(m.group(1) for m in word.finditer(code)
                             if not _CALLED.match(code, m.end()) and not code[: m.start()].rstrip().endswith("raise"))
        return found

    def quiet_helpers_in(self, rel: str) -> Tuple[str, ...]:
        """Names the file imports (at module level) for functions of other project modules that
        never signal an error: no `raise` and no error-flag keyword (`isError=`, `is_error=`),
        in them or in the project functions they call, two levels deep. Such a
        formatter turns whatever it is given into a plain value (`return format_error(e)`)."""
        found = set()
        for local, _ in self.modules[rel].module.imports:
            symbol = self.resolve(rel, "", local) if local and "." not in local else None
            if symbol is not None and symbol.kind == "function" and symbol.rel != rel and self._quiet(symbol.rel, symbol.name, 2):
                found.add(local)
        return tuple(sorted(found))

    def globals_used_by_stdio_in(self, rel: str) -> Tuple[str, ...]:
        """The names other project modules import from module `rel` (`from pkg.ui import
        console`) and use in code the stdio process runs: call (a method of) it, hand it to a
        call or bind it. A CLI module that imports the console for its own subcommands is
        loaded by the serving process too, but its commands never run there."""
        if not hasattr(self, "_stdio_globals"):  # one pass over the project, then per module
            heat, _ = self.stdio_heat()
            found: Dict[str, Set[str]] = {}
            for other, summary in self.modules.items():
                units = (summary.module, *summary.functions)
                imported = {local: target for unit in units for local, target in unit.imports if local and "." in target}
                for unit in units if imported else ():
                    entry = heat.get((other, unit.qualname))
                    for line, value in _mentions(unit) if entry is not None else ():
                        target = imported.get(value.split(".")[0])
                        if target is not None and line not in entry.cold_lines:
                            module, _, name = target.rpartition(".")
                            found.setdefault(module, set()).add(name)
            self._stdio_globals = found
        return tuple(sorted(set().union(*(self._stdio_globals.get(m, ()) for m in module_names(rel)))))

    def error_builders_in(self, rel: str) -> Tuple[str, ...]:
        """The callees, as the file writes them (`validation_error`, `tools_core.validation_error`
        through a module alias imported anywhere), that name functions of other project modules
        which signal an error: they raise or set an error flag (`return
        CallToolResult(..., isError=True)`), themselves or in the project functions they call
        (`_run_code` returning `tool_fail(...)`: not `_quiet`)."""
        summary = self.modules[rel]
        found = set()
        for unit in (summary.module, *summary.functions):
            for call in unit.calls:
                symbol = self.resolve(rel, unit.qualname, call.callee) if call.callee else None
                target = self.units.get((symbol.rel, symbol.name)) if symbol is not None and symbol.kind == "function" else None
                if target is not None and symbol.rel != rel and not self._quiet(symbol.rel, symbol.name, 2):
                    found.add(call.callee)
        return tuple(sorted(found))

    def absorbing_helpers_in(self, rel: str) -> Tuple[str, ...]:
        """Names of the file's functions (methods too, called as `self.f`), and names it imports
        at module level for functions of other project modules, whose whole body is a `try`
        with a broad `except` that does not raise (`Unit.absorbs`): calling one cannot raise."""
        found = {unit.name for unit in self.modules[rel].functions if unit.absorbs}
        for local, _ in self.modules[rel].module.imports:
            symbol = self.resolve(rel, "", local) if local and "." not in local else None
            if symbol is not None and symbol.kind == "function" and symbol.rel != rel:
                unit = self.units.get((symbol.rel, symbol.name))
                if unit is not None and unit.absorbs:
                    found.add(local)
        return tuple(sorted(found))

    def _quiet(self, rel: str, qualname: str, depth: int) -> bool:
        unit = self.units.get((rel, qualname))
        if unit is None or _signals_error(unit):
            return False
        # What it calls in any module of the project (`responses.tool_fail(...)` building
        # `CallToolResult(isError=...)`: freecad-mcp's `_run_json_code`)
        return depth <= 1 or all(self._quiet(target[0], target[1], depth - 1)
                                 for _, targets, _ in self.edges.get((rel, qualname), ()) for target in targets)

    def _self_server(self, rel: str, scope: str, name: str, depth: int) -> Optional[ServerInfo]:
        unit = self.units.get((rel, scope))
        cls = unit.cls if unit is not None else ""
        if not cls:
            return None
        if name in ("self", "cls"):
            framework = self.server_class_framework(rel, cls)
            if framework:
                return ServerInfo(f"class:{rel}:{cls}", framework, rel, self.classes[(rel, cls)].line, cls)
            return None
        attr = name.split(".", 1)[1]
        # `self.server = FastMCP(...)` in any method, or a class attribute `server = FastMCP(...)`.
        for q in self._methods.get((rel, cls), ()):
            for binding in self.units[(rel, q)].bindings:
                if binding.target == f"self.{attr}":
                    found = self.server_of(rel, q, binding.value, depth + 1)
                    if found is not None:
                        return found
        info = self.classes.get((rel, cls))
        for binding in getattr(info, "bindings", ()):
            if binding.target == attr:
                return self.server_of(rel, "", binding.value, depth + 1) if binding.value.startswith("n:") else self._class_attr_server(rel, cls, binding, depth)
        return None

    def _class_attr_server(self, rel: str, cls: str, binding, depth: int) -> Optional[ServerInfo]:
        """`class App: server = FastMCP("x")`: a call in the class body, resolved at module level."""
        info = self.classes[(rel, cls)]
        if not binding.value.startswith("c:"):
            return None
        call = info.calls[int(binding.value[2:])]
        symbol = self.resolve(rel, "", call.callee) if call.callee else None
        if symbol is not None and symbol.kind == "external" and symbol.name in SERVER_CLASSES:
            return ServerInfo(f"{rel}:{call.line}:{call.col}", SERVER_CLASSES[symbol.name], rel, call.line, f"{cls}.{binding.target}")
        return None

    def _attribute_server(self, symbol: _Symbol, depth: int) -> Optional[ServerInfo]:
        """`App.server` (class attribute) or `module.mcp` via an attribute chain."""
        qualname, _, attr = symbol.name.rpartition(".")
        info = self.classes.get((symbol.rel, qualname))
        for binding in getattr(info, "bindings", ()):
            if binding.target == attr:
                if binding.value.startswith("n:"):
                    return self.server_of(symbol.rel, "", binding.value, depth + 1)
                return self._class_attr_server(symbol.rel, qualname, binding, depth)
        return None

    def _param_server(self, symbol: _Symbol, depth: int) -> Optional[ServerInfo]:
        """A registrar's parameter: the server its callers pass."""
        for caller, value in self._passed_values(symbol):
            found = self.server_of(caller[0], caller[1], value, depth + 1)
            if found is not None:
                return found
        return None

    def _passed_values(self, symbol: _Symbol) -> Iterable[Tuple[Key, str]]:
        """(caller, encoded value) for what each direct call of the function passes to its
        parameter `symbol`, by keyword or by position."""
        unit = self.units.get((symbol.rel, symbol.scope))
        if unit is None or symbol.name not in unit.params:
            return
        index = unit.params.index(symbol.name)
        offset = 1 if unit.cls and unit.params[0] in ("self", "cls") else 0
        for caller, call in self._callers.get((symbol.rel, symbol.scope), ()):
            if call.callee.rpartition(".")[2] != unit.name:
                continue  # the helper passed along as a callback (`register(helper)`): not its arguments
            value = call.kwarg(symbol.name)
            if value is None and 0 <= index - offset < len(call.args):
                value = call.args[index - offset]
            if value:
                yield caller, value

    # ---------------------------------------------------------------------------------
    # Building

    def _build(self) -> None:
        self._subcommands = self._find_subcommands()
        for key, unit in self.units.items():
            self.edges[key] = [self._edge(key, unit, call) for call in unit.calls]
            for call, targets, _ in self.edges[key]:
                for target in targets:
                    self._callers.setdefault(target, []).append((key, call))
        for key, unit in self.units.items():
            self._registrations_in(key, unit)
            serves = [s for s in (self._serve(key, unit, call) for call in unit.calls) if s is not None]
            if serves and not from_other_package(key[0]):
                self.serves[key] = serves
        self._register_routes()
        self._hand_rolled()
        self.reach = self._reach()

    def _edge(self, key: Key, unit: Unit, call: CallSite) -> Tuple[CallSite, Tuple[Key, ...], bool]:
        rel, scope = key
        targets: List[Key] = []
        dispatch = False
        func = call.func
        if func.startswith("n:"):
            name = func[2:]
            if name.split(".")[0] in ("self", "cls") and unit.cls and name.count(".") == 1:
                method = (rel, f"{unit.cls}.{name.split('.')[1]}")
                if method in self.units:
                    targets.append(method)
            elif name.split(".")[0] == "self" and unit.cls and name.count(".") >= 2:
                targets.extend(self._self_attribute_method(rel, unit.cls, name.split(".")[1:]))
            else:
                symbol = self.resolve(rel, scope, name)
                targets.extend(self._callable(symbol))
                if symbol.kind == "class":
                    literal = all(a.startswith("s:") for a in (*call.args, *(v for _, v in call.kwargs)))
                    self._instantiated[(symbol.rel, symbol.name)] = self._instantiated.get((symbol.rel, symbol.name), True) and literal
                if symbol.kind in ("global", "local") and symbol.value.startswith("n:"):
                    # `vt_client_factory = _vt_client_factory`: a call of the alias runs the function
                    targets.extend(self._callable(self.resolve(symbol.rel, symbol.scope, symbol.value[2:]), functions_only=True))
                if symbol.kind == "local" and symbol.value.startswith("i:"):
                    targets.extend(self._items(rel, scope, symbol.value[2:]))
                    dispatch = True
                if self._sub_key(symbol) in self._subcommands:
                    targets.extend(self._subcommands[self._sub_key(symbol)])
                    dispatch = True
                if symbol.kind == "attribute" and name.count(".") == 1:
                    targets.extend(self._instance_method(symbol))
                if symbol.kind in ("external", "attribute") and "." in name:
                    defaults = self._set_defaults(rel, name.rsplit(".", 1)[1])
                    if defaults:
                        targets.extend(defaults)
                        dispatch = True
        elif func.startswith("i:"):
            targets.extend(self._items(rel, scope, func[2:]))
            dispatch = True
        # Functions passed as arguments run later (callbacks, `anyio.run(main)`); a thread pool
        # runs them within the call that hands them over (`pool.submit(f, q)`, `to_thread(f, q)`).
        in_pool = last_part(func) in THREAD_POOL_CALLS
        if last_part(func) in SUBCOMMAND_ATTACH or _registers_subcommand(unit, func):
            return call, tuple(dict.fromkeys(targets)), dispatch  # the group runs it, when chosen
        for value in (*call.args, *(v for _, v in call.kwargs)):
            if value.startswith("n:"):
                for target in self._callable(self.resolve(rel, scope, value[2:]), functions_only=True):
                    if target not in targets and not in_pool:
                        self.callbacks.add((key, target))
                    targets.append(target)
        return call, tuple(dict.fromkeys(targets)), dispatch

    @staticmethod
    def _sub_key(symbol: _Symbol) -> Key:
        return (symbol.rel, symbol.name) if symbol.kind in ("function", "global") else ("", "")

    def _callable(self, symbol: _Symbol, functions_only: bool = False) -> List[Key]:
        if symbol.kind == "function":
            return [(symbol.rel, symbol.name)]
        if symbol.kind == "class" and not functions_only:
            init = (symbol.rel, f"{symbol.name}.__init__")
            return [init] if init in self.units else []
        return []

    def _instance_method(self, symbol: _Symbol) -> List[Key]:
        """`obj.method` where `obj` is bound to an instance of a project class: `desktop =
        Desktop()` at module level, `tree = Tree(self)` in a function."""
        unit = self.units.get((symbol.rel, symbol.scope))
        if unit is None or not symbol.value.startswith("c:"):
            return []
        call = unit.calls[int(symbol.value[2:])]
        if not call.func.startswith("n:"):
            return []
        cls = self.resolve(symbol.rel, symbol.scope, call.func[2:])
        method = (cls.rel, f"{cls.name}.{symbol.name.rsplit('.', 1)[1]}")
        return [method] if cls.kind == "class" and method in self.units else []

    def _self_attribute_method(self, rel: str, cls: str, parts: List[str]) -> List[Key]:
        """`self.executor.validator.check(...)`: each attribute an instance of a project class
        that a method of the class before it assigns (`self.validator = CommandValidator()`)."""
        owner: Optional[Key] = (rel, cls)
        for attribute in parts[:-1]:
            owner = self._attribute_class(owner, attribute)
            if owner is None:
                return []
        method = (owner[0], f"{owner[1]}.{parts[-1]}")
        return [method] if method in self.units else []

    def _attribute_class(self, owner: Key, attribute: str) -> Optional[Key]:
        """The project class whose instance a method of `owner` binds to `self.<attribute>`."""
        if self._methods_by_class is None:
            self._methods_by_class = {}
            for (r, qualname), unit in self.units.items():
                if unit.cls and qualname.startswith(unit.cls + "."):
                    self._methods_by_class.setdefault((r, unit.cls), []).append((qualname, unit))
        for qualname, unit in self._methods_by_class.get(owner, ()):
            for binding in unit.bindings:
                if binding.target == f"self.{attribute}" and binding.value.startswith("c:"):
                    call = unit.calls[int(binding.value[2:])]
                    symbol = self.resolve(owner[0], qualname, call.func[2:]) if call.func.startswith("n:") else None
                    if symbol is not None and symbol.kind == "class":
                        return (symbol.rel, symbol.name)
        return None

    def _items(self, rel: str, scope: str, value: str) -> List[Key]:
        """The functions a dict or list of functions holds (`HANDLERS[cmd]` dispatches to one)."""
        if not value.startswith("n:"):
            return []
        symbol = self.resolve(rel, scope, value[2:])
        if symbol.kind not in ("global", "local") or not symbol.value[:2] in ("d:", "l:"):
            return []
        found = []
        for name in symbol.value[2:].split(","):
            found.extend(self._callable(self.resolve(symbol.rel, symbol.scope, name)))
        return found

    def _set_defaults(self, rel: str, attribute: str) -> List[Key]:
        """argparse: `parser.set_defaults(func=serve)` ... `args.func(args)`."""
        if self._defaults is None:
            self._defaults = {}
            for (r, q), unit in self.units.items():
                for call in unit.calls:
                    if call.callee.endswith(".set_defaults"):
                        for name, value in call.kwargs:
                            if value.startswith("n:"):
                                self._defaults.setdefault((r, name), []).extend(self._callable(self.resolve(r, q, value[2:])))
        return self._defaults.get((rel, attribute), [])

    def _find_subcommands(self) -> Dict[Key, List[Key]]:
        """click / typer: `@cli.command()` functions run when their group (`cli()`, `app()`) is called."""
        found: Dict[Key, List[Key]] = {}
        for (rel, qualname), unit in self.units.items():
            for index in unit.decorators:
                callee = unit.calls[index].callee
                receiver, _, method = callee.rpartition(".")
                if method == "command" and receiver and receiver not in ("click", "typer"):
                    parent = qualname.rpartition(".")[0]
                    symbol = self.resolve(rel, parent, receiver)
                    group = self._sub_key(symbol)
                    if group != ("", ""):
                        found.setdefault(group, []).append((rel, qualname))
            for call in unit.calls:
                if call.args and call.args[0].startswith("n:") and _registers_subcommand(unit, call.func):
                    # `app.command("start")(start)`, `app.callback()(main)`: the decorator applied by hand
                    inner = unit.calls[int(call.func[2:])].callee
                    group = self._sub_key(self.resolve(rel, qualname, inner.rpartition(".")[0]))
                    target = self._sub_key(self.resolve(rel, qualname, call.args[0][2:]))
                    if group != ("", "") and target != ("", ""):
                        found.setdefault(group, []).append(target)
                if last_part(call.callee) in SUBCOMMAND_ATTACH and "." in call.callee and call.args and call.args[0].startswith("n:"):
                    group = self._sub_key(self.resolve(rel, qualname, call.callee.rsplit(".", 1)[0]))
                    target = self._sub_key(self.resolve(rel, qualname, call.args[0][2:]))
                    if group != ("", "") and target != ("", ""):
                        found.setdefault(group, []).append(target)
        return found

    # -- registrations -----------------------------------------------------------------
    def _registrations_in(self, key: Key, unit: Unit) -> None:
        rel, scope = key
        parent = scope.rpartition(".")[0]
        if parent and self._never_used(rel, parent):
            return  # a registrar nothing calls, imports or names: its tools are never registered
        if unit.qualname:
            for index in unit.decorators:
                call = unit.calls[index]
                callee = call.callee
                if self.qualify(rel, parent if (rel, parent) in self.units else "", callee) in STANDALONE_TOOL_DECORATORS:
                    self._register(None, rel, scope, _name_arg(call, 0) or unit.name, "tool")
                    continue
                receiver, _, method = callee.rpartition(".")
                declared = function_apps.tool_decorator(method, lambda k: _literal(call.kwarg(k)), self._imports_functions(rel)) if receiver else None
                if declared is not None:
                    self._register(self._function_app(rel, unit), rel, scope, declared[1] or unit.name, declared[0])
                    continue
                if method not in ("tool", "call_tool", *_OTHER_HANDLER_DECORATORS) or not receiver:
                    factory = self._tool_decorator_factory(rel, parent if (rel, parent) in self.units else "", callee)
                    if factory is not None:  # `@write_tool(name="x")` returning `mcp.tool(name="x")`
                        self._register(factory, rel, scope, _name_arg(call, 0) or unit.name, "tool")
                    continue
                server = self._receiver_server(rel, parent if (rel, parent) in self.units else "", receiver)
                if server is None:
                    continue
                if method in _OTHER_HANDLER_DECORATORS:
                    self._register(server, rel, scope, unit.name, method, into=self.other_handlers)
                elif method == "tool":
                    self._register(server, rel, scope, _name_arg(call, 0) or unit.name, "tool")
                elif takes_by_position(unit.positional, 2):
                    self._register(server, rel, scope, unit.name, "lowlevel-v1")
        for call in unit.calls:
            self._registration_call(rel, scope, unit, call)

    def _imports_functions(self, rel: str) -> bool:
        summary = self.modules[rel]
        return any(target == function_apps.PACKAGE or target.startswith(function_apps.PACKAGE + ".")
                   for unit in (summary.module, *summary.functions) for _, target in unit.imports)

    def _function_app(self, rel: str, unit: Unit) -> ServerInfo:
        """The Azure Functions app whose host serves the project's MCP tools: one per project
        (an app's tools may be declared in registrars of several modules, on its parameter)."""
        existing = next((s for s in self.servers.values() if s.framework == function_apps.FRAMEWORK), None)
        return existing or ServerInfo(f"{function_apps.FRAMEWORK}:{rel}", function_apps.FRAMEWORK, rel, unit.line, "Azure Functions app")

    def _never_used(self, rel: str, qualname: str) -> bool:
        """A module-level function of the project that nothing calls, decorates, imports or
        names anywhere (as a value, in a list, in `__all__`): dead code, such as a
        `register_validation_tools(mcp)` that the server never calls. Asked for its tools'
        registrations and again for the file's view: answered once."""
        key = (rel, qualname)
        if key not in self._unused:
            self._unused[key] = self._unused_now(rel, qualname)
        return self._unused[key]

    def _unused_now(self, rel: str, qualname: str) -> bool:
        unit = self.units.get((rel, qualname))
        if unit is None or "." in qualname or unit.cls or unit.decorators or (rel, qualname) in self._callers:
            return False
        if rel.endswith("__init__.py") or not self._registrars_called():
            return False  # a library of registrars for others to call: every one may be used
        return not self._named_anywhere(rel, qualname)

    def _registrars_called(self) -> bool:
        """Whether the project itself calls a function that registers tools on its parameter
        (`register_project_tools(mcp)`): then it wires its registrars up, and one it never
        calls is left out on purpose."""
        if self._wires_registrars is None:
            self._wires_registrars = any(
                (rel, qualname.rpartition(".")[0]) in self._callers
                for (rel, qualname), unit in self.units.items() if "." in qualname
                for index in unit.decorators if unit.calls[index].callee.endswith(".tool")
            )
        return self._wires_registrars

    def _named_anywhere(self, rel: str, name: str, code_only: bool = False) -> bool:
        """Whether the project names the function `name` of module `rel` other than where it
        is defined (a call, a table entry, a callback, `__all__`): read from the texts of `rel`
        and of the modules that import it (no other module can name it), and only for the rare
        registrar that nothing calls. `code_only`: in `rel`, names in code only, not in its
        docstrings and comments (a tool object's module describes it by its name)."""
        modules = module_names(rel)
        importers = [other for other, summary in self.modules.items() if other != rel and any(
            target == m or target.startswith(m + ".") for unit in (summary.module, *summary.functions)
            for _, target in unit.imports for m in modules)]
        word = re.compile(r"\b%s\b" % re.escape(name))
        own = _code_names(self.text_of(rel), name) if code_only else len(word.findall(self.text_of(rel)))
        return own > 1 or any(word.search(self.text_of(other)) for other in importers)

    def _tool_decorator_factory(self, rel: str, scope: str, callee: str) -> Optional[ServerInfo]:
        """The server whose `tool(...)` decorator a project function returns (`def write_tool(**kw):
        ...; registered = mcp.tool(**kw); return registered`, perhaps only when writes are on):
        applied as `@write_tool(...)`, it registers the function as a tool of that server."""
        symbol = self.resolve(rel, scope, callee)
        unit = self.units.get((symbol.rel, symbol.name)) if symbol.kind == "function" else None
        if unit is None:
            return None
        bound = {b.target: b.value for b in unit.bindings}
        for value in unit.returns:
            inner = self.units.get((symbol.rel, f"{symbol.name}.{value[2:]}")) if value.startswith("n:") else None
            if inner is not None:  # `def decorator(fn): mcp.tool(**kw)(wrap(fn)); return fn` ... `return decorator`
                server = self._registering_decorator(symbol.rel, inner)
                if server is not None:
                    return server
                continue
            value = bound.get(value[2:], value) if value.startswith("n:") else value
            call = unit.calls[int(value[2:])] if value.startswith("c:") and value[2:].isdigit() else None
            receiver, _, method = call.callee.rpartition(".") if call is not None else ("", "", "")
            if method == "tool" and receiver:
                server = self._receiver_server(symbol.rel, symbol.name, receiver)
                if server is not None:
                    return server
        return None

    def _registering_decorator(self, rel: str, unit: Unit) -> Optional[ServerInfo]:
        """The server on which a decorator registers the function it is given, as it is or
        wrapped: `mcp.tool(**kw)(fn)`, `mcp.tool(**kw)(_build_wrapper(fn, model))` (a flattened
        signature, myfitnesspal's `flat_tool`)."""
        given = f"n:{unit.params[0]}" if unit.params else None
        for call in unit.calls:
            inner = unit.calls[int(call.func[2:])] if call.func.startswith("c:") and call.func[2:].isdigit() else None
            receiver, _, method = inner.callee.rpartition(".") if inner is not None else ("", "", "")
            if method != "tool" or not receiver or not call.args or given is None:
                continue
            registered = call.args[0]
            wrapped = unit.calls[int(registered[2:])] if registered.startswith("c:") and registered[2:].isdigit() else None
            if registered == given or (wrapped is not None and given in wrapped.args):
                return self._receiver_server(rel, unit.qualname, receiver)
        return None

    def _receiver_server(self, rel: str, scope: str, receiver: str) -> Optional[ServerInfo]:
        if receiver.endswith(LOWLEVEL_ATTRIBUTE):  # `mcp._mcp_server`: the FastMCP's own low-level server
            receiver = receiver[: -len(LOWLEVEL_ATTRIBUTE)]
        server = self.server_of(rel, scope, f"n:{receiver}")
        if server is None and looks_like_server_name(receiver.split(".")[-1]):
            symbol = self.resolve(rel, scope, receiver)
            if symbol.kind in ("param", "external") and not (symbol.kind == "external" and "." in symbol.name and not receiver.startswith(symbol.name)):
                # Resolution failed (a parameter nobody passes a server to, an import from
                # outside the project): fall back on the conventional name.
                return ServerInfo(f"name:{rel}:{receiver}", "unknown", rel, 0, receiver)
        return server


    def _registration_call(self, rel: str, scope: str, unit: Unit, call: CallSite) -> None:
        func = call.func
        if func.startswith("c:"):  # `mcp.tool(name="x")(fn)`, `mcp._mcp_server.call_tool()(dispatch)`
            inner = unit.calls[int(func[2:])]
            receiver, _, method = inner.callee.rpartition(".")
            if method in ("tool", "call_tool") and receiver and call.args:
                server = self._receiver_server(rel, scope, receiver)
                if server is not None and method == "tool":
                    self._register_value(server, rel, scope, call.args[0], _name_arg(inner, 0), "tool")
                elif server is not None:
                    self._register_value(server, rel, scope, call.args[0], "", "lowlevel-v1")
            return
        callee = call.callee
        receiver, _, method = callee.rpartition(".")
        if method in ("mount", "import_server") and receiver and call.args:
            parent = self.server_of(rel, scope, f"n:{receiver}")
            for value in call.args[:2]:
                child = self.server_of(rel, scope, value) if parent is not None else None
                if child is not None:
                    self.servers.setdefault(parent.id, parent)
                    self.servers.setdefault(child.id, child)
                    self.mounts.setdefault(parent.id, set()).add(child.id)
        if method in ("add_tool", "tool") and receiver and call.args:
            server = self._receiver_server(rel, scope, receiver)
            if server is not None:
                value = call.args[0]
                built = unit.calls[int(value[2:])] if value.startswith("c:") else None
                name = _name_arg(call, 1) or (_name_arg(built, 1) if built is not None and _builds_tool(built) else "")
                self._register_value(server, rel, scope, value, name, "tool")
        elif not receiver and "tool" in method.lower() and call.args and self.resolve(rel, scope, method).kind == "param":
            server = self._tool_adder_server()  # `def register_tools(add_tool): add_tool(query_fn, ...)`
            if server is not None:
                self._register_value(server, rel, scope, call.args[0], _name_arg(call, 1), "tool")
        elif _builds_tool(call) and not self._added_to_server(rel, scope, unit, call) and not self._built_unused(rel, scope, unit, call):
            self._register_value(None, rel, scope, call.args[0], _name_arg(call, 1), "tool")
        elif callee:
            qualified = self.qualify(rel, scope, callee)
            if qualified in SERVER_CLASSES:
                server = self.server_of(rel, scope, f"c:{unit.calls.index(call)}")
                tools = call.kwarg("tools")
                if tools:
                    self._register_value(server, rel, scope, tools, "", "tool")
                on_call = call.kwarg("on_call_tool")
                if on_call:
                    self._register_value(server, rel, scope, on_call, "", "lowlevel-v2")

    def _built_unused(self, rel: str, scope: str, unit: Unit, built: CallSite) -> bool:
        """`UpdateMyAccountTool = Tool.from_function(update_my_account)` at module level that
        nothing else in the project names: a tool object no server is given (redmine's five
        wrappers that `main.py` never adds), so it registers nothing."""
        if scope:
            return False
        value = f"c:{unit.calls.index(built)}"
        names = [b.target for b in unit.bindings if b.value == value and "." not in b.target]
        return bool(names) and not any(self._named_anywhere(rel, name, code_only=True) for name in names)

    def _added_to_server(self, rel: str, scope: str, unit: Unit, built: CallSite) -> bool:
        """Whether the tool object `built` (`FunctionTool.from_function(f)`) is handed straight
        to a known server's `add_tool`: that registration names its server."""
        value = f"c:{unit.calls.index(built)}"
        return any(
            call.callee.endswith(".add_tool") and call.args[:1] == (value,)
            and self._receiver_server(rel, scope, call.callee.rpartition(".")[0]) is not None
            for call in unit.calls
        )

    def _tool_adder_server(self) -> Optional[ServerInfo]:
        """The server whose registering method the project hands to its own code as a value
        (`register_tools(mcp.add_tool)`): a parameter named for
        tools that is called with a function (`add_tool(query_fn)`) then adds a tool to it. The
        value's road to the parameter (tables of modules, filtering wrappers) is not followed."""
        if self._tool_adder is None:
            passed = [
                server
                for (rel, qualname), unit in self.units.items() for call in unit.calls
                for value in (*call.args, *(v for _, v in call.kwargs))
                if value.startswith("n:") and value.endswith((".add_tool", ".tool"))
                for server in (self._receiver_server(rel, qualname, value[2:].rpartition(".")[0]),) if server is not None
            ]
            self._tool_adder = passed[:1]
        return self._tool_adder[0] if self._tool_adder else None

    def _register_value(self, server, rel: str, scope: str, value: str, tool_name: str, kind: str) -> None:
        for target in self._function_values(rel, scope, value):
            unit = self.units[target]
            self._register(server, target[0], target[1], tool_name or unit.name, kind)

    def _function_values(self, rel: str, scope: str, value: str, depth: int = 0) -> List[Key]:
        if depth > 4:
            return []
        if value.startswith("e:"):
            value = value[2:]
        if value.startswith(("l:", "o:")):
            return [k for name in value[2:].split(",") for k in self._function_values(rel, scope, "n:" + name, depth + 1)]
        if value.startswith("c:"):  # `mcp.add_tool(FunctionTool.from_function(f))`: the tool runs f
            call = self.units[(rel, scope)].calls[int(value[2:])]
            if _builds_tool(call):
                return self._function_values(rel, scope, call.args[0], depth + 1)
            return self._made_by(rel, scope, call)  # `mcp.tool()(make_handler(spec))`
        if not value.startswith("n:"):
            return []
        name = value[2:]
        if name.split(".")[0] in ("self", "cls") and name.count(".") == 1:
            unit = self.units.get((rel, scope))
            key = (rel, f"{unit.cls}.{name.split('.')[1]}") if unit is not None and unit.cls else None
            return [key] if key in self.units else []
        symbol = self.resolve(rel, scope, name)
        if symbol.kind == "function":
            return [(symbol.rel, symbol.name)]
        if symbol.kind == "param":
            return self._param_functions(symbol, depth)
        if symbol.kind not in ("global", "local"):
            return []
        unit = self.units[(symbol.rel, symbol.scope)]
        found: List[Key] = self._appended(symbol.rel, symbol.name) if symbol.kind == "global" else []
        for binding in unit.bindings:  # `f = find`, `f = partial(f, ...)`, `f = wrap(f)`: the tool runs find
            if binding.target != symbol.name:
                continue
            value = binding.value
            if value.startswith("c:"):
                call = unit.calls[int(value[2:])]
                if call.args and call.args[0] == f"n:{symbol.name}":
                    continue
                found.extend(self._wrapped_or_made(symbol.rel, symbol.scope, call, depth))
                continue
            found.extend(self._function_values(symbol.rel, symbol.scope, value, depth + 1))
        return list(dict.fromkeys(found))

    def _wrapped_or_made(self, rel: str, scope: str, call: CallSite, depth: int) -> List[Key]:
        """What a name bound to a call's value runs as a tool: the function the call wraps
        (`f = partial(find, ...)`, `f = wrap(f)`), else what the project factory it calls makes."""
        wrapped = self._function_values(rel, scope, call.args[0], depth + 1) if call.args else []
        return wrapped or self._made_by(rel, scope, call)

    def _made_by(self, rel: str, scope: str, call: CallSite) -> List[Key]:
        """The functions a project factory defines and returns (`make_tool_handler(tool, schema)`
        ending `return handler`): what is registered runs them. Not a forwarder that takes only
        `*args, **kwargs` (`@wraps(func) async def wrapper(*args, **kwargs)`): the tool is the
        function it was given, which this call does not show."""
        symbol = self.resolve(rel, scope, call.callee) if call.callee else None
        made = self._returned_functions((symbol.rel, symbol.name)) if symbol is not None and symbol.kind == "function" else []
        return [key for key in made if self.units[key].params]

    def _param_functions(self, symbol: _Symbol, depth: int) -> List[Key]:
        """A helper's parameter (`def add_read_only_tool(mcp, tool): mcp.add_tool(tool, ...)`):
        the functions its callers pass (`for tool in read_tools: add_read_only_tool(mcp, tool)`)."""
        return [key for caller, value in self._passed_values(symbol) for key in self._function_values(caller[0], caller[1], value, depth + 1)]

    def _appended(self, rel: str, name: str) -> List[Key]:
        """Functions a module collects into its list `name`: `@tools.append` on their definitions
        or `tools.append(f)` at module level (`for tool in ops_tools.tools: mcp.tool(tool)`)."""
        summary = self.modules[rel]
        method = f"{name}.append"
        found = [(rel, unit.qualname) for unit in summary.functions if any(unit.calls[i].callee == method for i in unit.decorators)]
        for call in summary.module.calls:
            if call.callee == method and call.args and call.args[0].startswith("n:"):
                symbol = self.resolve(rel, "", call.args[0][2:])
                if symbol.kind == "function":
                    found.append((symbol.rel, symbol.name))
        return found

    def _register(self, server: Optional[ServerInfo], rel: str, qualname: str, tool_name: str, kind: str,
                  into: Optional[List[Registration]] = None, framework: str = "") -> None:
        if server is not None:
            self.servers.setdefault(server.id, server)
        unit = self.units[(rel, qualname)]
        (self.registrations if into is None else into).append(
            Registration(server.id if server else "", rel, qualname, tool_name, kind, unit.line, framework))

    def _register_routes(self) -> None:
        """The routes of FastAPI apps a server offers as tools (`FastMCP.from_fastapi(app=api)`,
        `FastApiMCP(api)`; web_tools.py)."""
        for (rel, scope), unit in list(self.units.items()):
            for index, call in enumerate(unit.calls):
                if not call.callee.endswith(web_tools.BUILDER_NAMES):
                    continue
                qualified = self.qualify(rel, scope, call.callee)
                app = web_tools.builder_app(qualified, call)
                apps = web_tools.holder_of(self, rel, scope, app) if app else []
                server = self.server_of(rel, scope, f"c:{index}") if apps else None
                offered = web_tools.RouteFilter(self, rel, scope, call)
                for route_rel, qualname, name in web_tools.exposed_routes(self, apps, offered):
                    self._register(server, route_rel, qualname, name, "tool", framework=web_tools.route_framework(qualified))

    def _hand_rolled(self) -> None:
        """A function that dispatches on `tools/call` and `tools/list` / `initialize` is a
        JSON-RPC server written without an SDK; the code its `tools/call` branch reaches is
        tool code."""
        for (rel, qualname), unit in list(self.units.items()):
            if not qualname or "tools/call" not in unit.jsonrpc_methods or len(unit.jsonrpc_methods) < 2:
                continue
            summary = self.modules[rel]
            server = ServerInfo(f"jsonrpc:{rel}:{qualname}", "jsonrpc", rel, unit.line, qualname)
            self.servers[server.id] = server
            self.registrations.append(Registration(server.id, rel, qualname, "tools/call", "jsonrpc", unit.line))
            transport = "http" if summary.web_framework or unit.reads_json_body else ("stdio" if summary.reads_stdin else "dynamic")
            call = CallSite(f"n:{qualname}", unit.line, 0, unit.line, 0)
            self.serves.setdefault((rel, qualname), []).append(Serve(rel, qualname, call, server.id, frozenset({transport}), f"{qualname} (JSON-RPC route)"))

    def jsonrpc_tool_branch_calls(self, key: Key) -> List[Key]:
        """Functions called from the `tools/call` branch of a hand-rolled dispatcher."""
        unit = self.units[key]
        found: List[Key] = []

        def visit(statements: Iterable[Statement], inside: bool) -> None:
            for statement in statements:
                here = inside or statement.jsonrpc == "tools/call"
                if here:
                    for index in statement.calls:
                        found.extend(self.edges[key][index][1])
                for i, suite in enumerate(statement.suites):
                    visit(suite, here if not (statement.jsonrpc == "tools/call" and i > 0) else inside)

        visit(unit.body, False)
        return found

    # -- serving -------------------------------------------------------------------------
    def _serve(self, key: Key, unit: Unit, call: CallSite) -> Optional[Serve]:
        rel, scope = key
        callee = call.callee
        if call.func.startswith("m:"):  # `create_server().run(...)`
            base, _, method = call.func[2:].rpartition(".")
            server = self.server_of(rel, scope, base) if method in (*SERVE_METHODS, *TRANSPORT_METHODS) else None
            return self._serve_on(rel, scope, call, server, method, f"{self._callee_text(unit, base)}.{method}") if server else None
        if not callee:
            return None
        qualified = self.qualify(rel, scope, callee)
        if qualified in TRANSPORT_CALLS:
            if call.args and self._other_web_app(rel, scope, call.args[0]):
                self.other_apps.add((rel, call.line))
                return None  # `uvicorn.Config(create_admin_ui(state))`: another app of the project
            return Serve(rel, scope, call, "", frozenset({TRANSPORT_CALLS[qualified]}), callee)
        receiver, _, method = callee.rpartition(".")
        if not receiver or method not in (*SERVE_METHODS, *TRANSPORT_METHODS, *web_tools.MOUNTS):
            return None
        server = self._receiver_server(rel, scope, receiver)
        if server is None and method in MCP_APP_BUILDERS and self._shows_mcp(rel, 0):
            # `mcp: FastMCP = cls.get_mcp()`, then `mcp.http_app()`: an MCP server's HTTP app,
            # whichever server it is (these method names are the SDKs' own)
            return Serve(rel, scope, call, "", frozenset({"http"}), callee)
        return self._serve_on(rel, scope, call, server, method, callee)

    def _other_web_app(self, rel: str, scope: str, value: str, depth: int = 0) -> bool:
        """The app a uvicorn call serves is built by a project function of a web-framework
        module with no MCP in it or in the project modules it imports (no SDK import, no
        server), from arguments that are no server either: an admin UI or a webhook app served
        beside the MCP server, not the MCP server."""
        if depth > 4:
            return False
        if value.startswith("s:") and SCRIPT_TARGET.match(value[2:]):  # `uvicorn.run("api:app")`
            module, _, name = value[2:].partition(":")
            # a stale package path naming the launcher's own module (`"pkg.http_server:app"` run in
            # `pkg/server/http_server.py`) still names it
            own = posixpath.splitext(posixpath.basename(rel))[0] == module.rpartition(".")[2]
            rel, scope, value = self.module_rel(module, rel) or (rel if own else ""), "", f"n:{name}"
            if not rel:
                return False
        if value.startswith("n:"):
            symbol = self.resolve(rel, scope, value[2:])
            return symbol.kind in ("global", "local") and bool(symbol.value) and \
                self._other_web_app(symbol.rel, symbol.scope, symbol.value, depth + 1)
        unit = self.units.get((rel, scope))
        if not value.startswith("c:") or unit is None:
            return False
        call = unit.calls[int(value[2:])]
        qualified = self.qualify(rel, scope, call.callee) if call.callee else ""
        if qualified == "uvicorn.Config":  # `uvicorn.Server(config)`
            return bool(call.args) and self._other_web_app(rel, scope, call.args[0], depth + 1)
        if qualified.split(".")[0] in _WEB_PACKAGES:  # `app = FastAPI()` in a module with no MCP in reach,
            return not self._shows_mcp(rel) or self._web_app_beside_stdio(rel)  # or only a stdio server
        factory = self.resolve(rel, scope, call.callee) if call.callee else None
        if factory is None or factory.kind != "function" or factory.rel not in self.modules:
            return False
        return self.modules[factory.rel].web_framework and not self._shows_mcp(factory.rel) \
            and not any(self.server_of(rel, scope, a) for a in (*call.args, *(v for _, v in call.kwargs)))

    def _web_app_beside_stdio(self, rel: str) -> bool:
        """A module that runs its MCP server over stdio and attaches nothing of MCP to a web app
        (no MCP HTTP app built or mounted, no session manager or SSE transport, no request
        handed to one, no `tools/call` answered, no fastapi_mcp): a web framework app it builds
        is a sidecar of its own protocol (a websocket bridge), not the MCP server."""
        stdio = False
        module = self.modules[rel]
        for unit in (module.module, *module.functions):
            if unit.jsonrpc_methods or any(q.split(".")[0] == "fastapi_mcp" for _, q in unit.imports):
                return False
            for call in unit.calls:
                receiver, _, method = call.callee.rpartition(".")
                transport = TRANSPORT_METHODS.get(method) or TRANSPORT_CALLS.get(self.qualify(rel, unit.qualname, call.callee) if call.callee else "")
                if method in (*MCP_APP_BUILDERS, "mount", "handle_request", "handle_post_message", "connect_sse", "from_fastapi") \
                        or (transport == "http" and not call.callee.startswith("uvicorn")):
                    return False
                stdio = stdio or transport == "stdio" or (method in SERVE_METHODS and call.kwarg("transport") in (None, "s:stdio")
                                                          and self.server_of(rel, unit.qualname, f"n:{receiver}") is not None)
        return stdio

    def _shows_mcp(self, rel: str, levels: int = 3) -> bool:
        """The module, or a project module it imports (through `levels` imports: a package's
        `__init__` re-exports its routers), imports an MCP SDK, defines a server or dispatches
        `tools/call` itself (a JSON-RPC route written without an SDK)."""
        seen, frontier = {rel}, [rel]
        server_rels = {s.rel for s in self.servers.values()}
        for _ in range(levels + 1):
            following = []
            for current in frontier:
                module = self.modules[current]
                if current in server_rels or any("tools/call" in u.jsonrpc_methods for u in module.functions):
                    return True
                targets = {q for u in (module.module, *module.functions) for _, q in u.imports}
                if any(_imports_sdk(q) for q in targets):
                    return True
                following += [r for r in (self.imported_rel(q, current) for q in targets) if r is not None and r not in seen]
                seen.update(following)
            frontier = following
        return False

    @staticmethod
    def _callee_text(unit: Unit, value: str) -> str:
        return f"{unit.calls[int(value[2:])].callee}()" if value.startswith("c:") else value[2:]

    def _serve_on(self, rel: str, scope: str, call: CallSite, server: Optional[ServerInfo], method: str, callee: str) -> Optional[Serve]:
        if server is None:
            return None
        if method in web_tools.MOUNTS:  # `FastApiMCP(api).mount_http()`: served with the app
            if server.framework != web_tools.FASTAPI_MCP:
                return None
            self.servers.setdefault(server.id, server)
            return Serve(rel, scope, call, server.id, frozenset({"http"}), callee)
        if method in TRANSPORT_METHODS:
            self.servers.setdefault(server.id, server)
            return Serve(rel, scope, call, server.id, frozenset({TRANSPORT_METHODS[method]}), callee)
        if server.framework == "lowlevel" or (len(call.args) > 1 and not call.args[0].startswith(("s:", "S:"))):
            return None  # low-level `server.run(read, write, options)`: the transport is the context manager
        value = call.kwarg("transport") or (call.args[0] if call.args else None)
        if value is None and call.kwarg("**") is not None:
            value = "x"  # `run(**options)`: chosen at run time
        self.servers.setdefault(server.id, server)
        return Serve(rel, scope, call, server.id, self._transports(rel, scope, value), callee)

    def _transports(self, rel: str, scope: str, value: Optional[str], depth: int = 0) -> FrozenSet[str]:
        if value is None:
            return frozenset({"stdio"})  # every framework's default
        if value.startswith("s:"):
            return frozenset({normalise_transport(value[2:])})
        if value.startswith("S:"):
            return frozenset(normalise_transport(v) for v in value[2:].split("|"))
        if value.startswith("n:") and depth < 4:
            symbol = self.resolve(rel, scope, value[2:])
            if symbol.kind in ("local", "global") and symbol.value:
                return self._transports(symbol.rel, symbol.scope, symbol.value, depth + 1)
        return frozenset({"dynamic"})

    def transport_binding(self, serve: Serve) -> Optional[Tuple[str, int]]:
        """(rel, line) where the transport a launch passes by name is bound
        (`transport = os.getenv("MCP_TRANSPORT", "stdio")`), for placement evidence."""
        found = self._transport_bound(serve)
        return (found[0], found[2].line) if found else None

    def transport_variables(self, serve: Serve) -> Tuple[str, ...]:
        """The environment variables the transport a launch passes by name is read from
        (`os.getenv("MCP_TRANSPORT", "stdio").lower()` -> MCP_TRANSPORT)."""
        found = self._transport_bound(serve)
        if found is None:
            return ()
        rel, unit, binding = found
        calls = self.units[(rel, unit)].calls
        names: List[str] = []
        pending, seen = [binding.value], set()
        while pending:
            value = pending.pop()
            index = _call_index(value)
            if index is None or index in seen or index >= len(calls):
                continue
            seen.add(index)
            call = calls[index]
            pending.extend([call.func, *call.args])  # `m:c:1.lower`: a method of call 1's result
            if call.callee and call.args and call.args[0].startswith("s:") and self.qualify(rel, unit, call.callee) in ENV_READS:
                names.append(call.args[0][2:])
        return tuple(names)

    def _transport_bound(self, serve: Serve) -> Optional[Tuple[str, str, Binding]]:
        """(rel, unit, binding) of the name a launch passes as its transport."""
        value = serve.call.kwarg("transport") or (serve.call.args[0] if serve.call.args else None)
        if not value or not value.startswith("n:") or last_part(serve.text) not in SERVE_METHODS:
            return None
        if serve.call.callee and self.qualify(serve.rel, serve.unit, serve.call.callee) in TRANSPORT_CALLS:
            return None  # `uvicorn.run(app)`: the argument is the app
        symbol = self.resolve(serve.rel, serve.unit, value[2:])
        unit = self.units.get((symbol.rel, symbol.scope)) if symbol.kind in ("local", "global") else None
        bindings = [b for b in unit.bindings if b.target == symbol.name] if unit is not None else []
        return (symbol.rel, symbol.scope, bindings[-1]) if bindings else None

    def _reach(self) -> Dict[Key, FrozenSet[str]]:
        """Transports each unit can end up serving, through its calls (fixpoint over the graph)."""
        reach: Dict[Key, Set[str]] = {k: {t for s in self.serves.get(k, ()) for t in s.transports} for k in self.units}
        changed = True
        while changed:
            changed = False
            for key, edges in self.edges.items():
                current = reach[key]
                before = len(current)
                for _, targets, _ in edges:
                    for target in targets:
                        if target != key:
                            current |= reach.get(target, set())
                if len(current) != before:
                    changed = True
        return {k: frozenset(v) for k, v in reach.items()}

    # ---------------------------------------------------------------------------------
    # Entrypoints

    def entrypoints(self) -> List[Entrypoint]:
        if not hasattr(self, "_entrypoints"):  # asked by the stdio heat and the startup walk
            self._entrypoints = self._find_entrypoints()
        return list(self._entrypoints)

    def _find_entrypoints(self) -> List[Entrypoint]:
        found: List[Entrypoint] = []
        seen: Set[Key] = set()
        for name, target in sorted(self.scripts.items()):
            module, _, func = target.partition(":")
            rel = self.module_rel(module.strip())
            symbol = self.resolve(rel, "", func.strip()) if rel is not None else None
            if symbol is not None and symbol.kind == "global" and symbol.value.startswith("n:"):
                symbol = self.resolve(symbol.rel, "", symbol.value[2:])  # `main = cli`
            if symbol is not None and symbol.kind in ("function", "global"):
                key = (symbol.rel, symbol.name)
                seen.add(key)
                line = self.units[key].line if key in self.units else 1
                found.append(Entrypoint("script", key[0], key[1], line, f"script `{name}`"))
        for rel, summary in sorted(self.modules.items()):
            if from_other_package(rel):
                continue
            if rel.endswith("__main__.py"):
                module = self.package_name(rel.rpartition("/")[0]) or rel
                found.append(Entrypoint("__main__ module", rel, "", 1, f"python -m {module}"))
            elif any(s.main_guard for s in summary.module.body):
                guard = next(s for s in summary.module.body if s.main_guard)
                found.append(Entrypoint("main guard", rel, "", guard.line, f"python {rel}"))
            elif self.serves.get((rel, "")) or any(self.reach.get(t) for c, ts, _ in self.edges[(rel, "")] for t in ts):
                found.append(Entrypoint("top-level", rel, "", 1, f"python {rel}"))
        called = {t for edges in self.edges.values() for _, targets, _ in edges for t in targets}
        called.update(k for keys in self._subcommands.values() for k in keys)
        for key, unit in sorted(self.units.items()):
            # A function nothing calls is an entrypoint only if it runs a server (not if it just
            # builds an ASGI app, as an export script or a test helper does).
            if key[1] and key not in called and key not in seen and self.reach.get(key) and not unit.cls \
                    and any(not serve.text.endswith("_app") for serve in self._serves_from(key)):
                if not any(r.rel == key[0] and r.qualname == key[1] for r in self.registrations):
                    found.append(Entrypoint("uncalled function", key[0], key[1], unit.line, f"{key[1]}() in {key[0]}"))
        return found

    def ends_process(self, key: Key) -> bool:
        """A function whose body ends by ending the process (`sys.exit(0)`, `raise SystemExit`),
        or by calling one that does: a call to it never returns. Memoised: the stdio walk asks it
        of every branch's last call."""
        if key not in self._ends_process:
            self._ends_process[key] = False  # a recursive call does not end the process by itself
            unit = self.units.get(key)
            last = unit.body[-1] if unit is not None and key[1] and unit.body else None
            self._ends_process[key] = last is not None and (last.ends_process or (
                not last.suites and any(self.ends_process(t) for i in last.calls for t in self.edges[key][i][1])))
        return self._ends_process[key]

    def silences_stdout(self, key: Key, statement: Statement) -> bool:
        """A `with` block whose writes to stdout go elsewhere: `contextlib.redirect_stdout(...)`,
        or an instance of a project class whose `__enter__` rebinds `sys.stdout` (obsidian-milvus's
        `SuppressStdout`, which swaps in `os.devnull` until `__exit__`)."""
        if not statement.context:
            return False
        memo = (key, statement.line)
        if memo not in self._silencing:
            self._silencing[memo] = self._silences(key, statement)
        return self._silencing[memo]

    def _silences(self, key: Key, statement: Statement) -> bool:
        for index in statement.calls:
            func = self.edges[key][index][0].func
            if not func.startswith("n:"):
                continue
            if self.qualify(key[0], key[1], func[2:]) in STDOUT_REDIRECTS:
                return True
            symbol = self.resolve(key[0], key[1], func[2:])
            enter = self.units.get((symbol.rel, f"{symbol.name}.__enter__")) if symbol.kind == "class" else None
            if enter is not None and any(b.target == "sys.stdout" for b in enter.bindings):
                return True
        return False

    def package_name(self, folder: str) -> str:
        """The dotted name `python -m` takes for a folder: the folders that are packages."""
        parts = folder.split("/") if folder else []
        start = len(parts)
        while start > 0 and "/".join(parts[:start] + ["__init__.py"]) in self.modules:
            start -= 1
        return ".".join(parts[start:] if start < len(parts) else parts[-1:])

    def entry_units(self, key: Key) -> List[Key]:
        """The units an entrypoint runs: itself, or the subcommands of a typer/click app global,
        through the groups attached to it (`app.add_typer(mcp_app)`, then `@mcp_app.command()`)."""
        found: List[Key] = []
        pending, seen = [key], set()
        while pending:
            current = pending.pop(0)
            if current in seen:
                continue
            seen.add(current)
            if current in self.units:
                found.append(current)
            else:
                pending.extend(self._subcommands.get(current, ()))
        return found

    def serving_entrypoints(self) -> List[ServingEntrypoint]:
        """Each (entrypoint, launch call) pair: the call that starts a server on a transport."""
        out: List[ServingEntrypoint] = []
        for entry in self.entrypoints():
            for serve in [s for k in self.entry_units((entry.rel, entry.qualname)) for s in self._serves_from(k)]:
                for transport in sorted(serve.transports):
                    out.append(ServingEntrypoint(entry, self.servers.get(serve.server), transport, serve))
        for key, serves in self.serves.items():  # hand-rolled routes are served by the web framework
            for serve in serves:
                if serve.server.startswith("jsonrpc:"):
                    entry = Entrypoint("route", key[0], key[1], serve.call.line, serve.text)
                    out.append(ServingEntrypoint(entry, self.servers.get(serve.server), next(iter(serve.transports)), serve))
        return out

    def _serves_from(self, start: Key) -> List[Serve]:
        found: List[Serve] = []
        seen: Set[Key] = set()
        pending = [start]
        while pending:
            key = pending.pop()
            if key in seen or key not in self.units:
                continue
            seen.add(key)
            found.extend(self.serves.get(key, ()))
            for _, targets, _ in self.edges.get(key, ()):
                pending.extend(t for t in targets if self.reach.get(t))
        return self._launches(sorted(set(found), key=lambda s: (s.rel, s.call.line, s.call.col)))

    def _launches(self, serves: List[Serve]) -> List[Serve]:
        """Serve calls merged into launches: a mounted app with the call that serves its host app,
        an app with the uvicorn call that serves it, a transport object with its launcher."""
        return _merge_app_launches(self._with_mounted_apps(serves))

    def _with_mounted_apps(self, serves: List[Serve]) -> List[Serve]:
        """`app.mount("/mcp", mcp.http_app())` then `uvicorn.run(app)`, in any units of one
        module: the uvicorn call serves the mounted server's app, one launch."""
        apps = [s for s in serves if _serves_app(s)]
        # The mount may be on another path than the launcher's (module level, a launcher
        # reached from a script's `main()`): any app built in the launcher's module counts.
        launchers = {s.rel for s in serves if not s.server}
        if launchers:
            apps += [a for (rel, _), found in sorted(self.serves.items()) if rel in launchers
                     for a in found if _serves_app(a) and a not in apps]
        # An app factory named by an import string (`uvicorn.run("pkg.server:build_app", factory=True)`).
        for target in filter(None, (self.factory_named(s) for s in serves if not s.server)):
            apps += [a for a in self.serves.get(target, ()) if _serves_app(a) and a not in apps]
        merged: List[Serve] = []
        out: List[Serve] = []
        for serve in serves:
            app = next((a for a in apps if a.rel == serve.rel and self._mounted_on(a, serve)), None) if not serve.server else None
            built = [a for a in apps if self._built_by_callee(a, serve)] if app is None and not serve.server else []
            if app is not None:
                apps.remove(app)
                merged.append(app)
                serve = replace(serve, server=app.server, app=app.call)
            elif built:  # every app the builder may return (`if stateless: ... else: ...`); other launchers may run it too
                merged.extend(one for one in built if one not in merged)
                serve = replace(serve, server=built[0].server, app=built[0].call)
            out.append(serve)
        return [s for s in out if s not in merged]

    def factory_named(self, launcher: Serve) -> Optional[Key]:
        """The project function an import string names as the served app's factory
        (`uvicorn.run("pkg.server:build_app", factory=True)`)."""
        value = launcher.call.kwarg("app") or (launcher.call.args[0] if launcher.call.args else "")
        if not value.startswith("s:") or not SCRIPT_TARGET.match(value[2:]):
            return None
        module, _, function = value[2:].partition(":")
        rel = self.module_rel(module, launcher.rel)
        return (rel, function) if rel else None

    def _built_by_callee(self, app: Serve, launcher: Serve) -> bool:
        """`app = build_app(mcp)` then `uvicorn.run(app)`, `uvicorn.run(build_app(mcp))`, or
        `uvicorn.run("pkg.server:build_app", factory=True)`: the launcher serves what a project
        function returns, and `app` is built in that function."""
        unit = self.units.get((launcher.rel, launcher.unit))
        value = launcher.call.kwarg("app") or (launcher.call.args[0] if launcher.call.args else "")
        if unit is None or not value:
            return False
        if value.startswith("n:"):
            value = _last_binding(unit, value[2:]) or ""
        if value.startswith("s:"):
            return self.factory_named(launcher) == (app.rel, app.unit)
        index = _call_index(value) if value.startswith("c:") else None
        if index is None or index >= len(self.edges.get((launcher.rel, launcher.unit), ())):
            return False
        return (app.rel, app.unit) in self.edges[(launcher.rel, launcher.unit)][index][1]

    def _mounted_on(self, app: Serve, launcher: Serve) -> bool:
        """Whether `app`'s call is mounted (`X.mount(path, <app call>)`) on the object the
        launcher serves (its first argument names the same binding as X)."""
        if not launcher.call.args or not launcher.call.args[0].startswith("n:"):
            return False
        served = self.resolve(launcher.rel, launcher.unit, launcher.call.args[0][2:])
        if last_part(app.text) in web_tools.MOUNTS:
            return (served.rel, served.scope, served.name) in self._mounted_app(app)
        unit = self.units.get((app.rel, app.unit))
        if unit is None or served.kind not in ("global", "local") or app.call not in unit.calls:
            return False
        value = f"c:{unit.calls.index(app.call)}"
        for call in unit.calls:
            receiver, _, method = call.callee.rpartition(".")
            if method == "mount" and receiver and value in call.args:
                holder = self.resolve(app.rel, app.unit, receiver)
                if (holder.kind, holder.rel, holder.name) == (served.kind, served.rel, served.name):
                    return True
        return False

    def _mounted_app(self, mount: Serve) -> List[web_tools.Holder]:
        """Where the FastAPI app is bound that a fastapi-mcp server mounts itself on
        (`mcp = FastApiMCP(api)` ... `mcp.mount_http()`: `api`)."""
        symbol = self.resolve(mount.rel, mount.unit, mount.call.callee.rpartition(".")[0])
        index = _call_index(symbol.value) if symbol.kind in ("global", "local") and symbol.value.startswith("c:") else None
        unit = self.units.get((symbol.rel, symbol.scope))
        if index is None or unit is None or index >= len(unit.calls):
            return []
        built = unit.calls[index]
        app = web_tools.builder_app(self.qualify(symbol.rel, symbol.scope, built.callee), built)
        return web_tools.holder_of(self, symbol.rel, symbol.scope, app) if app else []

    # ---------------------------------------------------------------------------------
    # Tool code

    def tool_code(self) -> Dict[Key, ToolCodeEntry]:
        """Handlers, and the functions they reach through the call graph (TOOL_CODE_DEPTH deep)."""
        if hasattr(self, "_tool_code"):
            return self._tool_code
        code: Dict[Key, ToolCodeEntry] = {}
        frontier: List[Tuple[Key, ToolCodeEntry, int]] = []
        for registration in self.registrations:
            key = (registration.rel, registration.qualname)
            server = self.servers.get(registration.server)
            entry = ToolCodeEntry(registration.qualname, registration.tool_name, registration.kind,
                                  registration.framework or (server.framework if server else "unknown"), False, "")
            if registration.kind == "jsonrpc":
                frontier.extend((t, _helper(entry, t, key), 1) for t in self.jsonrpc_tool_branch_calls(key))
            elif key not in code or code[key].is_helper:
                code[key] = entry
                frontier.append((key, entry, 0))
        for key, entry in self._tool_wrappers().items():
            code.setdefault(key, entry)
        while frontier:
            key, entry, depth = frontier.pop(0)
            if entry.is_helper:
                if key in code:
                    continue
                code[key] = entry
            if depth >= TOOL_CODE_DEPTH:
                continue
            handler = (key[0], entry.qualname) if not entry.is_helper else tuple(entry.via.split(":", 1))
            for _, targets, _ in self.edges.get(key, ()):
                frontier.extend((t, _helper(entry, t, handler), depth + 1) for t in targets
                                if t[1] and t not in code and (key, t) not in self.callbacks)
        for key, by_name in self._result_helpers(code).items():
            handler = self.units.get(tuple(code[key].via.split(":", 1)))
            # A tool that declares its own output type (`-> FlowRunsResult`): an `error` field of
            # what it returns is part of that documented result.
            declared = handler is not None and last_part(handler.return_annotation) not in ("", *GENERIC_RETURNS)
            code[key] = replace(code[key], returns_result=True, declared_output=declared, returned_by_name=by_name)
        self._tool_code = code
        return code

    def _result_helpers(self, code: Dict[Key, ToolCodeEntry]) -> Dict[Key, bool]:
        """Helpers of tool code whose return value is the tool's result: called in a `return` of
        the handler (`return await upload_data_impl(...)`), or of such a helper, so what they
        return reaches the client as the handlers' own returns do; each with whether every such
        call names it plainly (`_plain_call`)."""
        found: Dict[Key, bool] = {}
        pending = [key for key, entry in code.items() if not entry.is_helper and entry.kind != "jsonrpc"]
        seen = set(pending)
        while pending:
            key = pending.pop()
            unit, edges = self.units.get(key), self.edges.get(key, ())
            for value in unit.returns if unit is not None else ():
                index = _call_index(value) if value.startswith("c:") else None
                call, targets, _ = edges[index] if index is not None and index < len(edges) else (None, (), None)
                for target in targets:
                    if target in code and code[target].is_helper and (target not in seen or target in found):
                        found[target] = found.get(target, True) and _plain_call(call.callee, key[0] == target[0])
                        if target not in seen:
                            seen.add(target)
                            pending.append(target)
        return found

    def _tool_wrappers(self) -> Dict[Key, ToolCodeEntry]:
        """The inner functions of the project's own decorators stacked on tools
        (`@mcp.tool()` over `@handle_tool_exceptions`, whose `wrapper` calls the tool inside a
        `try`): what the wrapper returns is what the client gets, for every tool it wraps. Kind
        "wrapper": its `*args, **kwargs` are no schema and no argument names of one tool."""
        wrapped: Dict[Key, Tuple[str, List[Registration]]] = {}  # wrapper -> (decorator as applied, tools)
        for registration in self.registrations:
            unit = self.units.get((registration.rel, registration.qualname))
            if unit is None or registration.kind != "tool":
                continue
            scope = registration.qualname.rpartition(".")[0]
            for index in unit.decorators:
                callee = unit.calls[index].callee
                symbol = self.resolve(registration.rel, scope if (registration.rel, scope) in self.units else "", callee) if callee else None
                if symbol is None or symbol.kind != "function":
                    continue
                for inner in self._returned_functions((symbol.rel, symbol.name)):
                    wrapped.setdefault(inner, (symbol.name, []))[1].append(registration)
        found: Dict[Key, ToolCodeEntry] = {}
        for key, (decorator, registrations) in wrapped.items():
            first = registrations[0]
            server = self.servers.get(first.server)
            name = first.tool_name if len(registrations) == 1 else f"{first.tool_name}` and {len(registrations) - 1} other tool(s) through `@{decorator}"
            found[key] = ToolCodeEntry(key[1], name, "wrapper", server.framework if server else "unknown", False, "")
        return found

    def _returned_functions(self, decorator: Key) -> List[Key]:
        """The functions defined inside `decorator` that it returns (`return wrapper`), also
        through a decorator factory (`def retry(n): def deco(f): ...; return deco`)."""
        unit = self.units.get(decorator)
        found: List[Key] = []
        for value in unit.returns if unit is not None else ():
            inner = (decorator[0], f"{decorator[1]}.{value[2:]}") if value.startswith("n:") else None
            if inner in self.units:
                found.extend(self._returned_functions(inner) or [inner])  # a factory's decorator, else the wrapper
        return found

    # ---------------------------------------------------------------------------------
    # Stdio: which code runs in a process that serves stdio

    def stdio_heat(self) -> Tuple[Dict[Key, HeatEntry], str]:
        if hasattr(self, "_heat"):
            return self._heat
        heat: Dict[Key, HeatEntry] = {}
        reason = ""
        for severity, wanted in (("error", {"stdio"}), ("warning", {"stdio", "dynamic"})):
            visits = _Heat(self, wanted).run()
            for key, cold in visits.items():
                if key not in heat:
                    heat[key] = HeatEntry(key[1], severity, frozenset(cold))
        if heat:
            reason = "stdio"
        elif any(s.framework != function_apps.FRAMEWORK for s in self.servers.values()) and not any(self.serves.values()):
            # No transport started in code: `fastmcp run` / `mcp run` serve over stdio by default
            # (not an Azure Functions app's tools: the Functions host serves them over HTTP).
            visits = _Heat(self, {"stdio"}).run_default()
            for key, cold in visits.items():
                heat[key] = HeatEntry(key[1], "warning", frozenset(cold))
            reason = "default"
        self._heat = (heat, reason)
        return self._heat

    # ---------------------------------------------------------------------------------
    # Per-file views

    def _per_file(self) -> Dict[str, Dict[str, list]]:
        if self._by_rel is None:
            heat, _ = self.stdio_heat()
            self._by_rel = {"code": _group(self.tool_code().items()), "heat": _group(heat.items()),
                            "serves": _group(self.serves.items()),
                            "startup": _group((key, key[1]) for key in self._startup_units() if key[1])}
        return self._by_rel

    def _startup_units(self) -> Set[Key]:
        if not hasattr(self, "_startup"):
            self._startup = startup_units(self)
        return self._startup

    def startup_checked_env(self) -> Tuple[str, ...]:
        """The environment variables a startup unit (module body or function run before the
        server serves) tests and stops without: `if not os.getenv("X"): raise ...`, or `token =
        os.environ.get("QUIP_TOKEN")` then `if not token: logger.error(...); sys.exit(1)` (a
        branch that raises or exits: the server does not start)."""
        if not hasattr(self, "_startup_env"):
            names: Set[str] = set()
            for key in self._startup_units():
                if key in self.units:
                    names.update(self._env_checked(*key))
            self._startup_env = tuple(sorted(names))
        return self._startup_env

    def _env_checked(self, rel: str, qualname: str) -> Set[str]:
        """Variables the unit tests in a branch that stops startup (a raise, an exit; not a
        `return`, which leaves a helper such as a diagnostics report, not the process)."""
        unit = self.units[(rel, qualname)]
        read = {i: call.args[0][2:] for i, call in enumerate(unit.calls)
                if call.callee and call.args and call.args[0].startswith("s:") and self.qualify(rel, qualname, call.callee) in ENV_READS}
        on_line = {unit.calls[i].line: var for i, var in read.items()}
        held = {b.target: on_line[b.line] for b in unit.bindings if b.line in on_line}  # `token = os.environ.get("X")`
        found: Set[str] = set()
        pending = list(unit.body) if read else []
        while pending:
            statement = pending.pop()
            if statement.branching and any(s.raises or s.ends_process for suite in statement.suites for s in suite):
                found.update(read[i] for i in statement.calls if i in read)  # `if not os.getenv("X"):`
                found.update(held[name] for name in statement.unset_tested if name in held)  # `if not token:`, `if not a or not b:`
            pending.extend(s for suite in statement.suites for s in suite)
        return found

    def view(self, rel: str) -> FileView:
        if rel not in self.modules:
            return EMPTY_VIEW
        summary = self.modules[rel]
        names: Dict[str, str] = {}
        not_servers: Set[str] = set()
        for local, _ in summary.module.imports:
            if not local:
                continue
            server = self.server_of(rel, "", f"n:{local}")
            if server is not None:
                names[local] = server.framework
            elif self.resolve(rel, "", local).kind not in ("external",):
                not_servers.add(local)
        for binding in summary.module.bindings:
            if binding.target not in names and "." not in binding.target:
                server = self.server_of(rel, "", f"n:{binding.target}")
                if server is not None:
                    names[binding.target] = server.framework
        for unit in summary.functions:
            for param in unit.params:
                server = self.server_of(rel, unit.qualname, f"n:{param}") if (rel, unit.qualname) in self._callers else None
                if server is not None:
                    names.setdefault(param, server.framework)
        classes = []
        for cls in summary.classes:
            framework = self.server_class_framework(rel, cls.qualname)
            if framework:
                classes.append((cls.qualname, framework))
        per_file = self._per_file()
        code = tuple(sorted(per_file["code"].get(rel, ()), key=lambda e: e.qualname))
        _, reason = self.stdio_heat()
        stdio = tuple(sorted(per_file["heat"].get(rel, ()), key=lambda e: e.qualname))
        launches = sorted({(serve.call.line, t) for serves in per_file["serves"].get(rel, ())
                           for serve in self._launches(serves)
                           if serve.server and not serve.server.startswith("jsonrpc:") for t in serve.transports})
        return FileView(tuple(sorted(names.items())), tuple(sorted(not_servers)), tuple(classes), code, stdio,
                        reason if stdio else "", tuple(launches),
                        tuple(sorted(q for r, q in self.lifespans() if r == rel)),
                        tuple(sorted((q, params) for (r, q), params in self.unpassed().items() if r == rel)),
                        tuple(sorted(per_file["startup"].get(rel, ()))), summary_shows(summary, names),
                        self.class_ancestors_in(rel), quiet_helpers=self.quiet_helpers_in(rel), absorbing_helpers=self.absorbing_helpers_in(rel),
                        unused=tuple(sorted(u.qualname for u in summary.functions if self._never_used(rel, u.qualname))),
                        globals_used_by_stdio=self.globals_used_by_stdio_in(rel), error_builders=self.error_builders_in(rel),
                        startup_checked_env=self.startup_checked_env() if code else (),
                        always_passed=self._always_passed_in(rel, code) if code else (),
                        unraised_exceptions=self.unraised_exceptions_in(rel) if code else (),
                        authored_exceptions=self.authored_exceptions_in(rel) if code else ())

    def unpassed(self) -> Dict[Key, Tuple[str, ...]]:
        """For each function the project calls, the parameters that no call passes (by position,
        keyword or `**` splat): inside it they always hold their defaults. A function also
        handed along as a callback is left out, since its callers are not all known."""
        return self._parameter_use()[0]

    def always_passed(self) -> Dict[Key, Tuple[str, ...]]:
        """For each function the project calls, the parameters that every call passes, by
        position or keyword, something other than a constant or a parameter of the caller's own
        (which may be its `None` default handed on): a name, a call, an attribute;
        `if config is None: config = Settings()` in it is a fallback no call of this project
        takes. Callbacks are left out, as for `unpassed`."""
        return self._parameter_use()[1]

    def _parameter_use(self) -> Tuple[Dict[Key, Tuple[str, ...]], Dict[Key, Tuple[str, ...]]]:
        if not hasattr(self, "_params_used"):
            unpassed: Dict[Key, Tuple[str, ...]] = {}
            always: Dict[Key, Tuple[str, ...]] = {}
            for target, callers in self._callers.items():
                unit = self.units.get(target)
                if unit is None or not target[1] or any((caller, target) in self.callbacks for caller, _ in callers):
                    continue
                offset = 1 if unit.cls and unit.params and unit.params[0] in ("self", "cls") else 0
                own = unit.params[offset:]
                passed: Set[str] = set()
                valued: Optional[Set[str]] = None  # passed a non-constant by every call so far
                for caller, call in callers:
                    by_call = {**dict(zip(own, call.args)), **{k: v for k, v in call.kwargs if k != "**"}}
                    if call.kwarg("**") is not None:
                        passed.update(unit.params)
                    passed.update(by_call)
                    # the caller's own parameter may be its `None` default handed on (`client(api_key=api_key)`)
                    handed_on = {f"n:{p}" for p in self.units[caller].params} if caller in self.units else set()
                    named = {p for p, value in by_call.items() if value != "x" and not value.startswith("s:") and value not in handed_on}
                    valued = named if valued is None else valued & named
                rest = tuple(p for p in own if p not in passed)
                if rest:
                    unpassed[target] = rest
                if valued:
                    always[target] = tuple(p for p in own if p in valued)
            self._params_used = (unpassed, always)
        return self._params_used

    def _always_passed_in(self, rel: str, code: Sequence[ToolCodeEntry]) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
        """`always_passed` for the file's tool code only (the one rule that asks judges tool code)."""
        qualnames = {entry.qualname for entry in code}
        return tuple(sorted((q, params) for (r, q), params in self.always_passed().items() if r == rel and q in qualnames))

    def lifespans(self) -> FrozenSet[Key]:
        """Functions passed as `lifespan=` to any call (an MCP server, Starlette, FastAPI)."""
        if not hasattr(self, "_lifespans"):
            found: Set[Key] = set()
            for (rel, scope), unit in self.units.items():
                for call in unit.calls:
                    value = call.kwarg("lifespan")
                    if value and value.startswith("n:"):
                        found.update(self._callable(self.resolve(rel, scope, value[2:]), functions_only=True))
            self._lifespans = frozenset(found)
        return self._lifespans


def _group(items) -> Dict[str, list]:
    grouped: Dict[str, list] = {}
    for (rel, _), value in items:
        grouped.setdefault(rel, []).append(value)
    return grouped


def _helper(entry: ToolCodeEntry, target: Key, handler: Tuple[str, str]) -> ToolCodeEntry:
    return ToolCodeEntry(target[1], entry.tool_name, entry.kind, entry.framework, True, f"{handler[0]}:{handler[1]}")


class _Heat:
    """Follows each entrypoint's serving path for the wanted transports."""

    def __init__(self, model: ProjectModel, wanted: Set[str]):
        self.m = model
        self.wanted = wanted
        self.cold: Dict[Key, Set[int]] = {}  # lines of a unit that do not run in the process
        self.hot_units: Set[Key] = set()  # units run in the process whatever the path
        self.served: Set[str] = set()
        self.any_unknown_server = False
        self.loaded: Set[str] = set()
        # Per module, the module-level flags the serving path has taken a branch on
        # (`if LOCAL_MODE: mcp.run("stdio")` -> "LOCAL_MODE"; its `else` -> "!LOCAL_MODE").
        self.flags: Dict[str, Set[str]] = {}

    def serves(self, key: Key) -> bool:
        return bool(self.m.reach.get(key, frozenset()) & self.wanted)

    def run(self) -> Dict[Key, Set[int]]:
        for entry in self.m.entrypoints():
            for key in self.m.entry_units((entry.rel, entry.qualname)):
                if self.serves(key):
                    # A script's function runs after its module's top level; a main guard's
                    # module is the entry unit itself, followed statement by statement.
                    self.load(entry.rel, entry=key == (entry.rel, ""))
                    self.follow(key)
        self.tools()
        return dict(self.cold)

    def run_default(self) -> Dict[Key, Set[int]]:
        for server in self.m.servers.values():
            self.served.add(server.id)
            self.load(server.rel)
        self.tools()
        return dict(self.cold)

    def tools(self) -> None:
        pending = list(self.served)
        while pending:  # a served server serves the servers it mounts
            for child in self.m.mounts.get(pending.pop(), ()):
                if child not in self.served:
                    self.served.add(child)
                    pending.append(child)
        for registration in self.m.registrations + self.m.other_handlers:
            if registration.kind == "jsonrpc":
                continue
            if registration.server in self.served or (self.any_unknown_server and registration.server):
                self.hot((registration.rel, registration.qualname))
                self.load(registration.rel)

    # -- paths ---------------------------------------------------------------------------
    def follow(self, key: Key, depth: int = 0) -> None:
        unit = self.m.units.get(key)
        if unit is None or depth > MAX_DEPTH:
            return
        cold: Set[int] = set()
        if key[1] == "":
            self._note_flags(key, unit.body, self.flags.setdefault(key[0], set()))
        self._follow_suite(key, unit.body, cold, depth)
        self._note_cold(key, cold)

    def _follow_suite(self, key: Key, statements, cold: Set[int], depth: int) -> None:
        started = False
        for statement in statements:
            if started:
                cold.update(range(statement.line, statement.end_line + 1))
            elif self._statement_serves(key, statement):
                started = True
                self._follow_statement(key, statement, cold, depth)
            else:
                self._hot_statement(key, statement, cold)

    def _follow_statement(self, key: Key, statement: Statement, cold: Set[int], depth: int) -> None:
        for index in statement.calls:
            self._follow_call(key, index, depth)
        for suite in statement.suites:
            if not suite:
                continue
            if statement.branching and not any(self._statement_serves(key, s) for s in suite):
                cold.update(range(suite[0].line, suite[-1].end_line + 1))
            else:
                self._follow_suite(key, suite, cold, depth)

    def _follow_call(self, key: Key, index: int, depth: int) -> None:
        call, targets, dispatch = self.m.edges[key][index]
        for serve in self.m.serves.get(key, ()):
            if serve.call == call and serve.transports & self.wanted:
                if serve.server:
                    self.served.add(serve.server)
                else:
                    self.any_unknown_server = True
        for target in targets:
            if self.serves(target):
                self.load(target[0])
                self.follow(target, depth + 1)
            elif not dispatch:
                self.hot(target)

    def _note_flags(self, key: Key, statements, flags: Set[str]) -> None:
        """The module-level flags whose branch the serving path takes: the process that
        serves has them set (or unset), so a branch on the opposite never runs in it."""
        for statement in statements:
            if not self._statement_serves(key, statement):
                continue
            serving = [i for i, suite in enumerate(statement.suites) if any(self._statement_serves(key, s) for s in suite)]
            if statement.flag and serving in ([0], [1]):
                flags.add(statement.flag if serving == [0] else _negated(statement.flag))
            for index in serving:
                self._note_flags(key, statement.suites[index], flags)

    def _statement_serves(self, key: Key, statement: Statement) -> bool:
        edges = self.m.edges[key]
        serves = self.m.serves.get(key, ())
        for index in statement.calls:
            call, targets, _ = edges[index]
            if any(s.call == call and s.transports & self.wanted for s in serves):
                return True
            if any(self.serves(t) for t in targets):
                return True
        return any(self._statement_serves(key, s) for suite in statement.suites for s in suite)

    def _hot_statement(self, key: Key, statement: Statement, cold: Set[int]) -> None:
        if statement.main_guard and key[1] == "":
            cold.update(range(statement.line, statement.end_line + 1))
            return
        # `if args.version: print(...); return` leaves before the server starts, and so does
        # `if args.logout: clear_profile_and_exit()`; `if sys.stdout.isatty(): print(banner)`
        # writes to a terminal, not to a client's pipe.
        self._cold_branches(key, statement, cold)
        for index in _all_calls(statement, lambda owner, suite: self._off_protocol(key, owner, suite)):
            for target in self.m.edges[key][index][1]:
                self.hot(target)

    def _cold_branches(self, key: Key, statement: Statement, cold: Set[int], callee: bool = False) -> None:
        """Marks the branches of `statement`, and of the statements nested in it, that never
        write to the protocol stream."""
        for suite in statement.suites:
            if not suite:
                continue
            if self._off_protocol(key, statement, suite, callee):
                cold.update(range(suite[0].line, suite[-1].end_line + 1))
            else:
                for inner in suite:
                    self._cold_branches(key, inner, cold, callee)

    def _off_protocol(self, key: Key, statement: Statement, suite, callee: bool = False) -> bool:
        """A branch of `statement` that never writes to the protocol stream: it leaves before the
        server starts, runs only on a terminal (the body of a terminal test), or only when a
        module-level flag has the value the serving process does not have. In a function the
        serving process calls (`callee`), only a branch that ends the process leaves: a `return`
        hands control back to a caller that goes on."""
        if statement.context:
            return self.m.silences_stdout(key, statement)
        if not statement.branching or not suite:
            return False
        if self._leaves(key, suite[-1], callee) or (statement.terminal_only and suite is statement.suites[0]):
            return True
        if not statement.flag or key[1] != "" or len(statement.suites) < 2:
            return False
        flags = self.flags.get(key[0], ())
        taken = statement.flag if suite is statement.suites[0] else _negated(statement.flag)
        return _negated(taken) in flags

    def _leaves(self, key: Key, statement: Statement, callee: bool = False) -> bool:
        """The statement returns or exits (only exits, in a `callee`), or calls a project
        function that always ends the process (its body ends in `sys.exit(...)`)."""
        if statement.ends_process or (statement.exits and not callee):
            return True
        edges = self.m.edges[key]
        return any(self.m.ends_process(target) for index in statement.calls for target in edges[index][1])

    def _note_cold(self, key: Key, cold: Set[int]) -> None:
        """A line is cold only if no path that reaches the unit runs it."""
        self.cold[key] = self.cold[key] & cold if key in self.cold else cold

    # -- whole units -----------------------------------------------------------------------
    def hot(self, key: Key) -> None:
        """A unit the serving process runs, and all it calls, except its branches that end the
        process or write only to a terminal (`if args.toolset_help: print(...); sys.exit(0)` in
        a helper that the entry calls before serving, insights-mcp)."""
        pending = [key]
        while pending:
            current = pending.pop()
            if current not in self.m.units or current in self.hot_units:
                continue
            self.hot_units.add(current)
            self.load(current[0])
            cold: Set[int] = set()
            skipped: Set[int] = set()  # calls made only in those branches
            for statement in self.m.units[current].body:
                self._cold_branches(current, statement, cold, callee=True)
                skipped.update(set(_all_calls(statement)) - set(_all_calls(statement, lambda owner, suite: self._off_protocol(current, owner, suite, callee=True))))
            self._note_cold(current, cold)
            for index, (_, targets, _) in enumerate(self.m.edges.get(current, ())):
                if index not in skipped:
                    pending.extend(targets)
            for _, target in self.m.units[current].imports:
                rel = self.m.module_rel(target.rpartition(".")[0] if not self.m.module_rel(target) else target, current[0])
                if rel:
                    self.load(rel)

    def load(self, rel: str, entry: bool = False) -> None:
        """A module imported in the process: its top-level code runs (except its main guard)."""
        if rel in self.loaded or rel not in self.m.modules:
            return
        self.loaded.add(rel)
        summary = self.m.modules[rel]
        if not entry and (rel, "") not in self.cold:
            # As on the serving path: no main guard, and no branch that ends the process
            # (`except ImportError: print(...); sys.exit(1)`) or runs only on a terminal.
            cold: Set[int] = set()
            self.cold[(rel, "")] = cold
            for statement in summary.module.body:
                self._hot_statement((rel, ""), statement, cold)
        parts = module_names(rel)[0].split(".") if module_names(rel) else []
        for i in range(1, len(parts)):
            parent = self.m.module_rel(".".join(parts[:i]), rel)
            if parent:
                self.load(parent)
        for _, target in summary.module.imports:
            found = self.m.imported_rel(target, rel)
            if found:
                self.load(found)


def _merge_app_launches(serves: List[Serve]) -> List[Serve]:
    """`uvicorn.run(mcp.streamable_http_app())` is one launch: the uvicorn call, serving that server.
    So is `config = uvicorn.Config(app)` then `uvicorn.Server(config)`, or
    `uvicorn.Server(uvicorn.Config(app))`: the Config call, where the app is handed over."""
    out: List[Serve] = []
    configs = {(o.rel, o.unit) for o in serves if last_part(o.text) == "Config"}
    for serve in serves:
        if last_part(serve.text) == "Server" and (serve.rel, serve.unit) in configs:
            continue  # `uvicorn.Server(config)` (also imported bare, or around the `uvicorn.Config(app)` call)
        # Same line (`uvicorn.run(mcp.http_app())`) or same function (`app = mcp.http_app()`
        # then `uvicorn.run(app)`): an app built by the server and the call that serves it.
        twin = next((o for o in out if o.rel == serve.rel and o.unit == serve.unit and o.transports == serve.transports
                     and _builds_app(o) != _builds_app(serve)
                     and (o.call.line == serve.call.line or (o if _builds_app(o) else serve).text.endswith("_app"))), None)
        if twin is None:
            out.append(serve)
            continue
        launcher, app = (twin, serve) if not _builds_app(twin) else (serve, twin)
        out[out.index(twin)] = Serve(launcher.rel, launcher.unit, launcher.call, app.server, launcher.transports, launcher.text,
                                     app.call if app.call.line != launcher.call.line else None)
    return _merge_transport_objects(out)


def _serves_app(serve: Serve) -> bool:
    """A server's app that another call serves: `mcp.http_app()`, or a fastapi-mcp server
    mounted on its FastAPI app (`mcp.mount_http()`)."""
    return bool(serve.server) and (serve.text.endswith("_app") or last_part(serve.text) in web_tools.MOUNTS)


def _builds_app(serve: Serve) -> bool:
    """The server's side of a launch (its app, or its own run call), not the uvicorn call: also
    an MCP app built on a receiver the model could not trace to a server (`self.sse_app()` in a
    patch function)."""
    return bool(serve.server) or last_part(serve.text) in MCP_APP_BUILDERS


TRANSPORT_OBJECTS = ("SseServerTransport", "StreamableHTTPSessionManager")


def _merge_transport_objects(serves: List[Serve]) -> List[Serve]:
    """A low-level server's SSE transport (or session manager) and the uvicorn call that serves
    the app routing to it, in one module (`create_app()` builds the transports, `main()` runs
    uvicorn on its result), are one launch: the uvicorn call."""
    launchers: Dict[Tuple[str, FrozenSet[str]], int] = {}  # the module's first other serve
    for i, serve in enumerate(serves):
        if last_part(serve.text) not in TRANSPORT_OBJECTS:
            launchers.setdefault((serve.rel, serve.transports), i)
    merged, dropped = list(serves), set()
    for i, serve in enumerate(serves):
        launcher = launchers.get((serve.rel, serve.transports))
        if launcher is not None and last_part(serve.text) in TRANSPORT_OBJECTS:
            dropped.add(i)
            if merged[launcher].app is None:
                merged[launcher] = replace(merged[launcher], app=serve.call)
    return [serve for i, serve in enumerate(merged) if i not in dropped]


def _plain_call(callee: str, same_module: bool) -> bool:
    """A call that names its function plainly: `make_error(...)`, or `self.fail(...)` within its module."""
    head, _, rest = callee.partition(".")
    if same_module and head in ("self", "cls"):
        return "." not in rest
    return not rest


def _call_index(value: str) -> Optional[int]:
    """The index of the call a summary value names (`c:3`, or `m:c:3.lower`: a method of its result)."""
    if value.startswith("m:"):
        value = value[2:].split(".", 1)[0]
    return int(value[2:]) if value.startswith("c:") and value[2:].isdigit() else None


def _signals_error(unit: Unit) -> bool:
    """The function raises or builds a result with an error flag itself."""
    return bool(unit.raises) or any(k in ERROR_FLAG_KEYWORDS for call in unit.calls for k, _ in call.kwargs)


def _negated(flag: str) -> str:
    return flag[1:] if flag.startswith("!") else "!" + flag


def _all_calls(statement: Statement, skip: Optional[Callable[[Statement, tuple], bool]] = None) -> List[int]:
    """The calls of a statement and its suites, except those of the suites `skip` names."""
    found = list(statement.calls)
    for suite in statement.suites:
        if skip is not None and skip(statement, suite):
            continue
        for inner in suite:
            found.extend(_all_calls(inner, skip))
    return found


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a.split("/"), b.split("/")):
        if x != y:
            break
        count += 1
    return count


def _last_binding(unit: Unit, name: str) -> Optional[str]:
    """The value a name is bound to in a unit; a server construction wins over later rebinding."""
    found = None
    for binding in unit.bindings:
        if binding.target == name:
            found = binding.value
    return found


# Lines that name an exception class without raising it: a handler, its definition, an import.
_CALLED = re.compile(r"\s*\(")
_STRING_OR_COMMENT = re.compile(r"""(["'])(?:\\.|(?!\1).)*\1|#.*""")
_NAMES_WITHOUT_RAISING = re.compile(r"\s*(?:except\b|class\s|from\s|import\s|[\w.]+\s*,?\s*\)?\s*$)")


# Methods that build an MCP server's HTTP app (fastmcp's `http_app`, the SDK's others).
MCP_APP_BUILDERS = ("http_app", "sse_app", "streamable_http_app")


def _code_names(text: str, name: str) -> int:
    """How often `name` occurs as a name token of `text` (not in strings or comments); every
    word occurrence when the text does not tokenize."""
    try:
        return sum(1 for token in tokenize.generate_tokens(io.StringIO(text).readline) if token.type == tokenize.NAME and token.string == name)
    except (tokenize.TokenError, SyntaxError):
        return len(re.findall(r"\b%s\b" % re.escape(name), text))


def _builds_tool(call: CallSite) -> bool:
    """`Tool.from_function(f, ...)` / `FunctionTool.from_function(f, ...)`: a tool object that runs f."""
    receiver, _, method = call.callee.rpartition(".")
    return method == "from_function" and bool(call.args) and receiver.split(".")[-1] in ("Tool", "FunctionTool")


def _registers_subcommand(unit: Unit, func: str) -> bool:
    """`app.command("verify-seed")(verify_seed)`: the decorator applied by hand registers the
    function as a subcommand of the group; it does not run it."""
    if not func.startswith("c:"):
        return False
    receiver, _, method = unit.calls[int(func[2:])].callee.rpartition(".")
    return method in ("command", "callback") and receiver not in ("", "click", "typer")


def _literal(value: Optional[str]) -> Optional[str]:
    """The text of an encoded string literal ("s:text"), else None."""
    return value[2:] if value and value.startswith("s:") else None


def _name_arg(call: CallSite, position: int) -> str:
    return _literal(call.kwarg("name") or (call.args[position] if position < len(call.args) else "")) or ""


SCRIPT_TARGET = re.compile(r"^[\w.]+:[\w.]+$")
_WEB_PACKAGES = frozenset(w.split(".")[0] for w in WEB_FRAMEWORKS)


# ---------------------------------------------------------------------------------------
# Building the model for a run


def _imported_modules(summary: ModuleSummary) -> Iterable[str]:
    units = (summary.module, *summary.functions)
    for unit in units:
        for _, target in unit.imports:
            yield target
            yield target.rpartition(".")[0]
    yield from summary.star_imports


def build_project_model(
    sources, text_of, hash_of, cache, package_of, scripts: Dict[str, str] = None, prefetched: Optional[Dict[str, object]] = None
) -> ProjectModel:
    """Summarise the Python files that mention MCP and, transitively, the project modules they
    import (helpers and CLI modules that never mention MCP), each once, cached by content hash.
    `prefetched`: summaries already made (`prefetch_summaries`), by path."""
    by_rel = {s.rel: s for s in sources if s.kind == "python"}
    names: Dict[str, List[str]] = {}
    for rel in by_rel:
        for name in module_names(rel):
            names.setdefault(name, []).append(rel)
    summaries: Dict[str, ModuleSummary] = {}
    pending = [s.rel for s in mentioning(by_rel.values(), hash_of)]
    seen = set(pending)
    texts: Dict[str, str] = {}
    unsummarised: List[str] = []  # files it wanted and could not summarise (unparsable, a limit)
    prefetched = prefetched or {}
    while pending:
        while pending:
            rel = pending.pop()
            summary = _summary(by_rel[rel], text_of, hash_of, cache, package_of, prefetched)
            if summary is None:
                unsummarised.append(rel)
                continue
            summaries[rel] = summary
            for module in _imported_modules(summary):
                for candidate in names.get(module, ()):
                    if candidate not in seen:
                        seen.add(candidate)
                        pending.append(candidate)
        if not any(_may_serve(summary) for summary in summaries.values()):
            break  # nothing builds or registers on a server: no need for the modules around
        # Modules that import a summarised one (a CLI that never mentions MCP but runs the
        # server) are found by a text scan of their import lines, not by parsing everything.
        wanted = {name.rsplit(".", 1)[-1] for rel in summaries for name in module_names(rel)[:1]}
        importer = re.compile(r"^\s*(?:from|import)\s+[\w.]*\b(?:%s)\b|^\s*from\s+\.+\s+import\s+.*\b(?:%s)\b" % (
            "|".join(map(re.escape, sorted(wanted))), "|".join(map(re.escape, sorted(wanted)))), re.MULTILINE) if wanted else None
        for rel, source in by_rel.items():
            if rel in seen or importer is None:
                continue
            if rel not in texts:
                texts[rel] = text_of(source) or ""
            if importer.search(texts[rel]):
                seen.add(rel)
                pending.append(rel)
    def module_text(rel: str) -> str:
        if rel not in texts:
            texts[rel] = (text_of(by_rel[rel]) or "") if rel in by_rel else ""
        return texts[rel]

    model = ProjectModel(summaries.values(), scripts, module_text, root_is_package="__init__.py" in by_rel)
    model.unsummarised = tuple(sorted(unsummarised))
    return model


_SERVER_HINTS = ("FastMCP", "MCPServer", "Server", ".tool", "call_tool", "add_tool", "from_function")


def _may_serve(summary: ModuleSummary) -> bool:
    """A cheap test: does the module build a server, register a tool or dispatch JSON-RPC?"""
    for unit in (summary.module, *summary.functions):
        if unit.jsonrpc_methods or any(call.callee.endswith(_SERVER_HINTS) for call in unit.calls):
            return True
    return any(base.endswith(_SERVER_HINTS) for cls in summary.classes for base in cls.bases)


def mentioning(sources, hash_of) -> List:
    """The Python files whose text mentions MCP: where `build_project_model` starts."""
    return [s for s in sources if s.kind == "python" and hash_of(s.rel) is not None and hash_of(s.rel)[1]]


def prefetch_summaries(batches, cache, mapper, ready: Callable[[int, Dict[str, object]], None]) -> None:
    """For each `(sources, hash_of)` batch (one per project unit), the summaries of its files by
    path, handed to `ready(index, summaries)` once all are in: cached ones as read (each entry read
    once), the missing ones of every batch made in one parallel `mapper(func, items, on_result)`
    (one batch for the run, not one per unit). `ready` runs while the workers go on with the
    other batches: the first batches that need nothing made wait until the first summary is in.
    `mapper` may return before its work is done (it only queues it): every batch is handed over
    from `on_result` then."""
    from mcp_lint.engine import summarise_source

    found: List[Dict[str, object]] = [{} for _ in batches]
    misses = []
    for index, (sources, hash_of) in enumerate(batches):
        for source in sources:
            if not hash_of(source.rel)[0]:
                continue
            hit = _cached(cache, _summary_key(cache, source, hash_of))
            if hit is None:
                misses.append((index, source, hash_of))
            else:
                found[index][source.rel] = hit
    missing = [0] * len(batches)
    for index, _, _ in misses:
        missing[index] += 1
    complete = [index for index in range(len(batches)) if not missing[index]]

    def arrived(position: int, made) -> None:
        index, source, hash_of = misses[position]
        summary = made.value if isinstance(made, Encoded) else made
        found[index][source.rel] = summary
        if summary is not None:  # unparsable files are re-read: the rule phase reports them
            cache.put("summary", _summary_key(cache, source, hash_of), made)
        missing[index] -= 1
        if not missing[index]:
            complete.append(index)
        while complete:
            done = complete.pop(0)
            ready(done, found[done])

    if misses:
        # The workers encode the summaries for the cache: the parent builds the models meanwhile.
        mapper(functools.partial(summarise_source, encode=cache.writes), [m[1] for m in misses], arrived)
    else:
        while complete:
            done = complete.pop(0)
            ready(done, found[done])


def _summary_key(cache, source, hash_of) -> str:
    return cache.key("summary", SUMMARY_FORMAT, source.rel, hash_of(source.rel)[0])


def _summary(source, text_of, hash_of, cache, package_of, prefetched) -> Optional[ModuleSummary]:
    from mcp_lint.python.file_summary import summarise

    if source.rel in prefetched:
        return prefetched[source.rel]  # read from the cache or made (and cached) by prefetch_summaries
    digest = hash_of(source.rel)[0]
    key = _summary_key(cache, source, hash_of) if digest else None
    hit = _cached(cache, key) if key is not None else None
    if hit is not None:
        return hit
    text = text_of(source)
    summary = summarise(source.rel, text, package_of(source.rel)) if text else None
    if key is not None and summary is not None:  # unparsable files are re-read: the rule phase reports them
        cache.put("summary", key, summary)
    return summary


def _cached(cache, key: str) -> Optional[ModuleSummary]:
    hit = cache.get("summary", key, ModuleSummary)
    return hit if isinstance(hit, ModuleSummary) else None


def project_scripts(root) -> Dict[str, str]:
    """`[project.scripts]` (and Poetry's `[tool.poetry.scripts]`) of the project's pyproject.toml."""
    from mcp_lint.config import tomllib

    path = root / "pyproject.toml"
    try:
        if not path.is_file() or path.stat().st_size > 1_000_000:
            return {}
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    scripts = dict(data.get("project", {}).get("scripts", {}) or {})
    scripts.update(data.get("tool", {}).get("poetry", {}).get("scripts", {}) or {})
    return {str(k): str(v) for k, v in scripts.items() if isinstance(v, str) and SCRIPT_TARGET.match(v.strip())}


def _mentions(unit) -> Iterator[Tuple[int, str]]:
    """(line, dotted name) of what a unit calls, hands to a call or binds by plain name."""
    for call in unit.calls:
        values = (call.func, *call.args, *(v for _, v in call.kwargs))
        yield from ((call.line, v[2:]) for v in values if v.startswith("n:"))
    yield from ((b.line, b.value[2:]) for b in unit.bindings if b.value.startswith("n:"))
