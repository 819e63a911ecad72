"""The MCP model of one Python file, shared by every Python rule.

It answers: does this file create or use an MCP server (which SDK), which functions are tool
handlers and how they were registered, which of their parameters carry caller-supplied
arguments (not injected `Context` or dependencies), which same-file helpers those handlers
call, and which transports the file starts. Everything is static: nothing is imported.

Receivers count as servers when they are bound to a server class (through any import alias),
annotated with one, `self` in a subclass of one, or (fallback, because real registrar
functions rarely annotate) a parameter or imported name with a conventional server name
whose `.tool` is used for registration. `@agent.tool` (pydantic-ai) or LangChain's `@tool`
are therefore not tools.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

import libcst as cst

from mcp_lint.python import function_apps, walk

from mcp_lint.python.names import LOWLEVEL_ATTRIBUTE, ImportTable, callee, dotted, keyword, positional, string_value

# Fully qualified server classes -> framework label.
SERVER_CLASSES: Dict[str, str] = {
    "mcp.server.fastmcp.FastMCP": "mcp1",
    "mcp.server.fastmcp.server.FastMCP": "mcp1",
    "mcp.server.FastMCP": "mcp1",  # re-exported by mcp.server in 1.x
    "mcp.server.mcpserver.MCPServer": "mcp2",
    "mcp.server.mcpserver.server.MCPServer": "mcp2",
    "mcp.server.MCPServer": "mcp2",
    "mcp.server.lowlevel.Server": "lowlevel",
    "mcp.server.lowlevel.server.Server": "lowlevel",
    "mcp.server.Server": "lowlevel",
    "fastmcp.FastMCP": "fastmcp",
    "fastmcp.server.FastMCP": "fastmcp",
    "fastmcp.server.server.FastMCP": "fastmcp",
}
STANDALONE_TOOL_DECORATORS = {"fastmcp.tools.tool", "fastmcp.tools.function_tool.tool", "fastmcp.tool"}
TOOL_FACTORY_CLASSES = {"Tool", "FunctionTool"}  # X.from_function(fn)
CONTEXT_TYPES = {
    "mcp.server.fastmcp.Context",
    "mcp.server.fastmcp.server.Context",
    "mcp.server.mcpserver.Context",
    "mcp.server.mcpserver.context.Context",
    "fastmcp.Context",
    "fastmcp.server.Context",
    "fastmcp.server.context.Context",
}
# fastmcp dependency-injection defaults: the parameter is not a tool argument.
DEPENDENCY_DEFAULTS = {
    "Depends", "CurrentContext", "CurrentAccessToken", "CurrentHeaders", "CurrentRequest",
    "CurrentFastMCP", "TokenClaim", "Progress",
}
# Conventional names of server objects (`mcp`, `app`, `server`, `jira_mcp`, `mcp_server`): a
# receiver so named whose `.tool` registers functions is taken for a server even when it is a
# registrar's unannotated parameter or imported from another module of the project.
_SERVER_NAME = re.compile(r"^(?:app|srv|server|mcp\w*|\w+_mcp|\w+_server)$")


def looks_like_server_name(name: str) -> bool:
    return bool(_SERVER_NAME.match(name))


def takes_by_position(positional: int, count: int) -> bool:
    """Whether a function with `positional` positional parameters (-1: `*args`) can be called
    with `count` positional arguments. The low-level SDK calls a `call_tool` handler as
    `handler(name, arguments)`: one that cannot take both fails with a TypeError before its
    body runs (the SDK sends that as the tool's error), so its body is no tool code."""
    return positional < 0 or positional >= count

MCP_PACKAGES = ("mcp", "fastmcp")

HTTP_TRANSPORTS = {"sse", "streamable-http", "streamable_http", "http"}
TRANSPORT_METHODS = {
    "run_stdio_async": "stdio",
    "run_sse_async": "http",
    "run_streamable_http_async": "http",
    "run_http_async": "http",
    "sse_app": "http",
    "streamable_http_app": "http",
    "http_app": "http",
}
TRANSPORT_CALLS = {
    "mcp.server.stdio.stdio_server": "stdio",
    "mcp.server.sse.SseServerTransport": "http",
    "mcp.server.streamable_http_manager.StreamableHTTPSessionManager": "http",
    "uvicorn.run": "http",
    "uvicorn.Config": "http",
    "uvicorn.Server": "http",
    "hypercorn.asyncio.serve": "http",
}


@dataclass(frozen=True)
class Server:
    receiver: str  # dotted text naming it in this file: "mcp", "self", "self.server"
    framework: str  # "mcp1" | "mcp2" | "lowlevel" | "fastmcp" | "unknown"
    call: Optional[cst.Call] = None  # the constructor call, when made in this file

    def constructor_kwarg(self, name: str) -> Optional[cst.Arg]:
        return keyword(self.call, name) if self.call is not None else None


@dataclass(frozen=True)
class Param:
    name: str
    node: cst.Param
    annotation: Optional[str]  # qualified dotted annotation, if simple


# Names in an annotation that let a value be None (or anything): `Optional[str]`, `str | None`, `Any`.
_MAY_BE_NONE = frozenset({"None", "Optional", "Any", "object"})


@dataclass
class ToolHandler:
    function: cst.FunctionDef
    tool_name: str  # the registered name; for low-level dispatchers, the function's name
    kind: str  # "tool" | "lowlevel-v1" (call_tool decorator) | "lowlevel-v2" (on_call_tool=)
    framework: str
    params: List[Param] = field(default_factory=list)  # argument parameters only
    # Names and dotted attributes whose values come from the caller's arguments.
    argument_names: FrozenSet[str] = frozenset()
    argument_attrs: FrozenSet[str] = frozenset()

    @property
    def is_named_tool(self) -> bool:
        """Registered as one named tool, not as a low-level dispatcher of every call."""
        return self.kind in ("tool", "wrapper", function_apps.TRIGGER)

    def never_none(self, name: str) -> bool:
        """An argument the schema requires and types without `None` (`api_key: str`, no
        default): the SDK rejects a call without it or with null before the handler runs, so
        `if api_key is None:` never holds on a tool call."""
        param = next((p for p in self.params if p.name == name), None) if self.kind == "tool" else None
        if param is None or param.node.default is not None or param.node.annotation is None:
            return False
        annotation = param.node.annotation.annotation
        if any(isinstance(n, (cst.SimpleString, cst.ConcatenatedString)) for n in walk.walk(annotation)):
            return False  # a quoted annotation (`"str | None"`), or `Literal[...]` values: not read here
        return not any(isinstance(n, cst.Name) and n.value in _MAY_BE_NONE for n in walk.walk(annotation))


@dataclass(frozen=True)
class ToolCode:
    """A function whose body runs on a tool call: the handler itself or a same-file helper it calls."""

    function: cst.FunctionDef
    handler: ToolHandler
    is_helper: bool
    # The helper also runs before the server serves (called at import or by main() first): what
    # it reads or builds is read or built at startup, not first on a tool call.
    at_startup: bool = False
    # A helper whose return value the tool returns as its result (the project model's
    # `ToolCodeEntry.returns_result`): its returns reach the client as the handler's do.
    returns_result: bool = False
    declared_output: bool = False  # ... of a tool that declares its own output type (`-> FlowRunsResult`)
    returned_by_name: bool = False  # ... by calls that name it plainly (`ToolCodeEntry.returned_by_name`)

    @property
    def where(self) -> str:
        """How a message names this code: "tool `x`" or "helper `h` called by tool `x`"."""
        tool = f"tool `{self.handler.tool_name}`"
        return f"helper `{self.function.name.value}` called by {tool}" if self.is_helper else tool


@dataclass
class McpModel:
    imports: ImportTable
    servers: List[Server] = field(default_factory=list)
    handlers: Dict[cst.FunctionDef, ToolHandler] = field(default_factory=dict)
    tool_code: Dict[cst.FunctionDef, ToolCode] = field(default_factory=dict)
    transports: Set[str] = field(default_factory=set)  # "stdio", "http", "dynamic"
    # Each call that starts or creates a transport, with its kind (for rules that report at it).
    transport_calls: List[Tuple[cst.Call, str]] = field(default_factory=list)
    frameworks: Set[str] = field(default_factory=set)
    imports_mcp: bool = False
    view: object = None  # project_model.FileView of this file
    # Tool code's parameters that every call in the project passes (`FileView.always_passed`)
    always_passed: Dict[cst.FunctionDef, Tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    calls: List[cst.Call] = field(default_factory=list, repr=False, compare=False)  # every call of the file, in source order
    # Tool registrations whose function this file does not show (`mcp.tool(name=n)(tool.func)`
    # in a loop over a table): tools known only at run time.
    opaque_registrations: List[cst.CSTNode] = field(default_factory=list, repr=False, compare=False)
    # Answers that several rules ask about this file, computed once by the helper that owns
    # each key (e.g. auth.layers_of) and shared by every rule of the traversal.
    memo: Dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def qualify(self, expr: cst.BaseExpression) -> Optional[str]:
        return self.imports.qualify(expr)

    @property
    def is_mcp(self) -> bool:
        """The file takes part in an MCP server: it creates one, registers tools, imports an SDK,
        or (as the project model found) starts a server built elsewhere."""
        return bool(self.servers or self.handlers or self.imports_mcp or getattr(self.view, "launches", ()))

    def server_for(self, receiver: Optional[str]) -> Optional[Server]:
        """The server a name refers to, in this file or (through the project model) elsewhere."""
        found = self.server_named(receiver)
        if found is None and receiver:
            framework = dict(getattr(self.view, "server_names", ())).get(receiver)
            found = Server(receiver, framework) if framework else None
        return found

    def server_named(self, receiver: Optional[str]) -> Optional[Server]:
        for server in self.servers:
            if server.receiver == receiver:
                return server
        return None


class _Collector(cst.CSTVisitor):
    """One pass that records what resolution needs; resolution happens after, when all
    imports and bindings of the file are known."""

    def __init__(self, imports: ImportTable):
        self.imports = imports
        self.functions: Dict[str, List[cst.FunctionDef]] = {}
        self.function_class: Dict[cst.FunctionDef, Optional[cst.ClassDef]] = {}
        self.assignments: List[Tuple[str, cst.Call]] = []
        # `f2 = f`, `f2 = wrap(f, ...)`, `f2 = partial(f, ...)`: the registered callable runs f.
        self.function_aliases: Dict[str, List[str]] = {}
        self.calls: List[cst.Call] = []
        self.decorator_calls: Set[int] = set()
        self.server_subclasses: List[cst.ClassDef] = []
        self.params: List[cst.Param] = []
        self.class_stack: List[Optional[cst.ClassDef]] = []
        self.scope: List[str] = []  # names of the enclosing classes and functions
        self.qualnames: Dict[str, cst.FunctionDef] = {}

    def visit_Import(self, node: cst.Import) -> None:
        self.imports.add(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.imports.add(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.class_stack.append(node)
        self.scope.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_stack.pop()
        self.scope.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.setdefault(node.name.value, []).append(node)
        self.scope.append(node.name.value)
        self.qualnames[".".join(self.scope)] = node
        self.function_class[node] = self.class_stack[-1] if self.class_stack else None
        self.class_stack.append(None)  # methods of a nested class are not this function's
        for dec in node.decorators:
            if isinstance(dec.decorator, cst.Call):
                self.decorator_calls.add(id(dec.decorator))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.class_stack.pop()
        self.scope.pop()

    def visit_Param(self, node: cst.Param) -> None:
        self.params.append(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        source = value if isinstance(value, cst.Name) else None
        if isinstance(value, cst.Call):
            first = positional(value, 0)
            source = first.value if first is not None and isinstance(first.value, cst.Name) else None
        for target in node.targets:
            name = dotted(target.target)
            if not name:
                continue
            if isinstance(value, cst.Call):
                self.assignments.append((name, value))
            if source is not None and isinstance(target.target, cst.Name):
                self.function_aliases.setdefault(name, []).append(source.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        name = dotted(node.target)
        if name and isinstance(node.value, cst.Call):
            self.assignments.append((name, node.value))

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)


def build_model(
    module: cst.Module,
    package: str = "",
    view=None,
    locate=None,
) -> McpModel:
    """The model of one file. `view` is what the project model (`project_model.py`) knows
    about this file: servers imported or built by factories elsewhere, tool code registered or
    called from other modules."""
    from mcp_lint.python.project_model import EMPTY_VIEW

    imports = ImportTable(package)
    collector = _Collector(imports)
    walk.visit(module, collector)
    model = McpModel(imports=imports, imports_mcp=imports.imports_any(*MCP_PACKAGES), calls=collector.calls)
    model.view = view if view is not None else EMPTY_VIEW
    model.always_passed = {collector.qualnames[q]: params for q, params in model.view.always_passed if q in collector.qualnames}
    builder = _Resolver(model, collector, locate)
    builder.resolve()
    return model


class _Resolver:
    def __init__(self, model: McpModel, collected: _Collector, locate=None):
        self.model = model
        self.locate = locate  # node -> Location, to match launches the project model found
        self.c = collected
        self.non_servers: Set[str] = set()

    # -- servers -----------------------------------------------------------------------
    def resolve(self) -> None:
        self._find_servers()
        self._find_handlers()
        self._find_helpers()
        self._find_transports()
        self.model.frameworks = {s.framework for s in self.model.servers if s.framework != "unknown"}

    def _server_framework(self, expr: Optional[cst.BaseExpression]) -> Optional[str]:
        if expr is None:
            return None
        return SERVER_CLASSES.get(self.model.qualify(expr) or "")

    def _add_server(self, server: Server) -> None:
        if self.model.server_named(server.receiver) is None:
            self.model.servers.append(server)

    def _find_servers(self) -> None:
        for name, call in self.c.assignments:
            framework = self._server_framework(call.func)
            if framework:
                self._add_server(Server(name, framework, call))
            elif self._is_foreign_call(call):
                # `app = FastAPI()`, `agent = Toolbox()`: bound to another library's object.
                self.non_servers.add(name)
        for param in self.c.params:
            if param.annotation is not None:
                framework = self._server_framework(_unquote(param.annotation.annotation))
                if framework:
                    self._add_server(Server(param.name.value, framework))
        server_classes = dict(self.model.view.server_classes)
        for func, cls in self.c.function_class.items():
            if cls is not None and any(self._server_framework(b.value) for b in cls.bases):
                framework = next(filter(None, (self._server_framework(b.value) for b in cls.bases)))
                self._add_server(Server("self", framework))
            elif cls is not None and cls.name.value in server_classes:  # a subclass of a subclass
                self._add_server(Server("self", server_classes[cls.name.value]))

    def _is_foreign_call(self, call: cst.Call) -> bool:
        """A call to something imported from a package other than the MCP SDKs or this project."""
        name = dotted(call.func)
        if name is None:
            return False
        full = self.model.imports.aliases.get(name.split(".")[0])
        if full is None:
            return False  # a local factory such as `create_server()` may well return a server
        return not full.startswith((".", *self.model.imports.package_prefixes(), *MCP_PACKAGES))

    def _receiver(self, expr: cst.BaseExpression) -> Optional[Server]:
        """The server a `.tool`-style attribute is called on, including fallback names."""
        name = dotted(expr)
        if name is None:
            return None
        if name.endswith(LOWLEVEL_ATTRIBUTE):  # FastMCP's own low-level server
            name = name[: -len(LOWLEVEL_ATTRIBUTE)]
        server = self.model.server_named(name)
        if server is not None:
            return server
        framework = dict(self.model.view.server_names).get(name)
        if framework is not None:
            server = Server(name, framework)
            self._add_server(server)
            return server
        if name.split(".")[0] in self.model.view.not_servers:
            return None  # resolved by the project model to something that is not a server
        if looks_like_server_name(name.split(".")[-1]) and name not in self.non_servers:
            # Imported from another module of the project, or a registrar's parameter.
            return Server(name, "unknown")
        return None

    # -- handlers ----------------------------------------------------------------------
    def _find_handlers(self) -> None:
        for entry in self.model.view.tool_code:
            target = self.c.qualnames.get(entry.qualname)
            if target is not None and not entry.is_helper:
                self._add_handler(target, entry.kind if entry.kind != "jsonrpc" else "tool", entry.framework, entry.tool_name)
        unused = tuple(q + "." for q in getattr(self.model.view, "unused", ()))
        dead = {id(f) for qualname, f in self.c.qualnames.items() if unused and qualname.startswith(unused)}
        for functions in self.c.functions.values():
            for func in functions:
                if id(func) not in dead:  # tools of a registrar nothing calls are never registered
                    self._classify_decorators(func)
        for call in self.c.calls:
            if id(call) not in self.c.decorator_calls:
                self._classify_registration_call(call)

    def _classify_decorators(self, func: cst.FunctionDef) -> None:
        for dec in func.decorators:
            target = callee(dec.decorator)
            call = dec.decorator if isinstance(dec.decorator, cst.Call) else None
            declared = function_apps.declared_tool(dec, self.model.imports.imports_any(function_apps.PACKAGE))
            if declared is not None:
                kind, name = declared
                self._add_handler(func, kind, function_apps.FRAMEWORK, name or func.name.value)
            elif self.model.qualify(target) in STANDALONE_TOOL_DECORATORS:
                self._add_handler(func, "tool", "fastmcp", _tool_name(call, func))
            elif isinstance(target, cst.Attribute):
                server = self._receiver(target.value)
                if server is None:
                    continue
                if target.attr.value == "tool":
                    self._note_server(server)
                    self._add_handler(func, "tool", server.framework, _tool_name(call, func))
                elif target.attr.value == "call_tool":
                    self._note_server(server)
                    self._add_handler(func, "lowlevel-v1", "lowlevel", func.name.value)

    def _classify_registration_call(self, call: cst.Call) -> None:
        func = call.func
        first = positional(call, 0)
        if isinstance(func, cst.Call):  # `mcp.tool(name="x")(fn)`: the decorator applied by hand
            inner = func.func
            if isinstance(inner, cst.Attribute) and inner.attr.value in ("tool", "call_tool") and first is not None:
                server = self._receiver(inner.value)
                if server is not None and inner.attr.value == "tool":
                    self._register(first.value, "tool", server, func, 0)
                elif server is not None:  # `mcp._mcp_server.call_tool()(dispatch)`
                    self._register(first.value, "lowlevel-v1", server, None, 0)
            return
        if isinstance(func, cst.Attribute) and first is not None:
            method = func.attr.value
            if method in ("add_tool", "tool"):
                server = self._receiver(func.value)
                if server is not None:
                    self._register(first.value, "tool", server, call, 1)
            elif method == "from_function" and (dotted(func.value) or "").split(".")[-1] in TOOL_FACTORY_CLASSES:
                self._register(first.value, "tool", Server("", "unknown"), call, 1)
        framework = self._server_framework(call.func)
        if framework:
            server = Server("", framework)
            tools = keyword(call, "tools")
            if tools is not None and isinstance(tools.value, (cst.List, cst.Tuple)):
                for element in tools.value.elements:
                    self._register(element.value, "tool", server, None, 0)
            on_call = keyword(call, "on_call_tool")
            if on_call is not None:
                self._register(on_call.value, "lowlevel-v2", server, None, 0)

    def _register(self, expr: cst.BaseExpression, kind: str, server: Server, call: Optional[cst.Call], name_position: int) -> None:
        """Record `expr` (a function, a local alias of one, `self.method`) as a handler
        registered on `server`. An imported function is the project model's to register: it
        reaches the defining module's model through its `FileView`."""
        if server.receiver:
            self._note_server(server)
        target = self._function_named(_last_name(expr))
        if target is not None:
            tool_name = _tool_name(call, target, name_position) if kind == "tool" else target.name.value
            self._add_handler(target, kind, server.framework, tool_name)
        elif kind == "tool" and server.framework != "unknown":
            self.model.opaque_registrations.append(call if call is not None else expr)

    def _note_server(self, server: Server) -> None:
        if server.framework == "unknown":
            self._add_server(server)

    def _function_named(self, name: str) -> Optional[cst.FunctionDef]:
        """The function a name refers to, following local aliases and wrapper calls."""
        pending, seen = [name], set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            found = self.c.functions.get(current)
            if found:
                return found[-1]
            pending.extend(self.c.function_aliases.get(current, ()))
        return None

    def _add_handler(self, func: cst.FunctionDef, kind: str, framework: str, tool_name: str) -> None:
        positional_params = [*func.params.posonly_params, *func.params.params]
        star = isinstance(func.params.star_arg, cst.Param)
        if func in self.model.handlers or (kind == "lowlevel-v1" and not takes_by_position(-1 if star else len(positional_params), 2)):
            return
        handler = ToolHandler(func, tool_name, kind, framework)
        if kind == "tool":
            handler.params = [p for p in self._params(func) if self._is_argument(p)]
            if framework == function_apps.FRAMEWORK:
                filled = function_apps.host_filled(func, ((p.name, p.annotation) for p in handler.params))
                handler.params = [p for p in handler.params if p.name not in filled]
            handler.argument_names = frozenset(p.name for p in handler.params)
        elif kind == function_apps.TRIGGER:
            carrier = function_apps.trigger_parameter(func)
            handler.params = [p for p in self._params(func) if p.name == carrier]
            handler.argument_names = frozenset(p.name for p in handler.params)
        elif kind == "lowlevel-v1" and len(positional_params) >= 2:
            param = positional_params[1]
            handler.params = [Param(param.name.value, param, None)]
            handler.argument_names = frozenset({param.name.value})
        elif kind == "lowlevel-v2" and len(positional_params) >= 2:
            param = positional_params[1]
            handler.argument_attrs = frozenset({f"{param.name.value}.arguments"})
        self.model.handlers[func] = handler
        self.model.tool_code[func] = ToolCode(func, handler, is_helper=False)

    def _params(self, func: cst.FunctionDef) -> Iterable[Param]:
        p = func.params
        every = [*p.posonly_params, *p.params, *p.kwonly_params]
        for extra in (p.star_arg, p.star_kwarg):
            if isinstance(extra, cst.Param):
                every.append(extra)
        for param in every:
            annotation = None
            if param.annotation is not None:
                annotation = self.model.qualify(_unquote(param.annotation.annotation))
            yield Param(param.name.value, param, annotation)

    def _is_argument(self, param: Param) -> bool:
        if param.name in ("self", "cls"):
            return False
        if param.annotation is not None:
            if param.annotation in CONTEXT_TYPES:
                return False
            if param.annotation.split(".")[-1] == "Context" and self.model.imports_mcp:
                return False
        default = param.node.default
        if isinstance(default, cst.Call):
            name = (dotted(default.func) or "").split(".")[-1]
            if name in DEPENDENCY_DEFAULTS:
                return False
        return True

    def _find_helpers(self) -> None:
        """Same-file functions a handler calls directly run on the tool call too (depth 1);
        the project model adds helpers deeper down and in other modules."""
        startup = {self.c.qualnames[q] for q in self.model.view.startup if q in self.c.qualnames}
        for func, handler in list(self.model.handlers.items()):
            for name in _called_names(func):
                helper = self._function_named(name)
                if helper is not None and helper not in self.model.tool_code:
                    self.model.tool_code[helper] = ToolCode(helper, handler, True, helper in startup)
        by_qualname = {h.function: h for h in self.model.handlers.values()}
        for entry in self.model.view.tool_code:
            helper = self.c.qualnames.get(entry.qualname)
            if helper is None or not entry.is_helper or helper in self.model.tool_code:
                continue
            via_rel, _, via = entry.via.partition(":")
            handler = by_qualname.get(self.c.qualnames.get(via)) if via in self.c.qualnames else None
            if handler is None:  # the handler lives in another module: name it, no argument names
                handler = ToolHandler(helper, entry.tool_name, entry.kind, entry.framework)
            self.model.tool_code[helper] = ToolCode(helper, handler, True, helper in startup)
        for entry in self.model.view.tool_code:  # same-file helpers included
            helper = self.c.qualnames.get(entry.qualname)
            code = self.model.tool_code.get(helper) if entry.returns_result else None
            if code is not None and code.is_helper:
                self.model.tool_code[helper] = replace(
                    code, returns_result=True, declared_output=entry.declared_output, returned_by_name=entry.returned_by_name)

    # -- transports --------------------------------------------------------------------
    def _find_transports(self) -> None:
        for call in self.c.calls:
            qualified = self.model.qualify(call.func) or ""
            if qualified in TRANSPORT_CALLS:
                self._add_transport(call, TRANSPORT_CALLS[qualified])
                continue
            if not isinstance(call.func, cst.Attribute):
                continue
            method = call.func.attr.value
            server = self.model.server_named(dotted(call.func.value)) or self._imported_server(call)
            if server is None:
                continue
            if method in TRANSPORT_METHODS:
                self._add_transport(call, TRANSPORT_METHODS[method])
            elif method in ("run", "run_async") and server.framework != "lowlevel":
                # The low-level `Server.run(read, write, options)` serves streams opened by a
                # transport context manager (stdio_server, SSE), recorded through TRANSPORT_CALLS.
                self._add_transport(call, _run_transport(call))
        if self.locate is not None and self.model.view.launches:
            self._project_launches()

    def _project_launches(self) -> None:
        """Launches only the project model can see (`create_server().run(...)`, an instance of a
        subclass defined elsewhere), matched to this file's calls by line."""
        known = {id(call) for call, _ in self.model.transport_calls}
        wanted = {}
        for line, kind in self.model.view.launches:
            wanted.setdefault(line, kind if kind != "stdio" or line not in wanted else wanted[line])
        lines = set(wanted) - {self.locate(call).line for call, _ in self.model.transport_calls}
        if not lines:
            return
        for call in self.c.calls:
            if id(call) in known or not isinstance(call.func, cst.Attribute):
                continue
            method = call.func.attr.value
            if method in TRANSPORT_METHODS or method in ("run", "run_async"):
                line = self.locate(call).line
                if line in lines:
                    self._add_transport(call, wanted[line])
                    lines.discard(line)

    def _imported_server(self, call: cst.Call) -> Optional[Server]:
        """`mcp.run()` on a server imported from another module (`from .server import mcp`).
        A non-string first argument is the low-level `server.run(read, write, options)`."""
        receiver = call.func.value
        if not isinstance(receiver, cst.Name) or receiver.value not in self.model.imports.aliases:
            return None
        first = positional(call, 0)
        if first is not None and string_value(first.value) is None:
            return None
        return self._receiver(receiver)

    def _add_transport(self, call: cst.Call, kind: str) -> None:
        self.model.transports.add(kind)
        self.model.transport_calls.append((call, kind))


def _last_name(expr: cst.BaseExpression) -> str:
    """`fn` for `fn`, `method` for `self.method` (bound methods registered by hand)."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value in ("self", "cls"):
        return expr.attr.value
    return ""


def _run_transport(call: cst.Call) -> str:
    arg = keyword(call, "transport") or positional(call, 0)
    if arg is None:
        return "stdio"  # every framework's default
    value = string_value(arg.value)
    if value is None:
        return "dynamic"
    return "http" if value in HTTP_TRANSPORTS else "stdio"


def _tool_name(call: Optional[cst.Call], func: cst.FunctionDef, name_position: int = 0) -> str:
    if call is not None:
        arg = keyword(call, "name") or positional(call, name_position)
        value = string_value(arg.value) if arg is not None else None
        if value:
            return value
    return func.name.value


def _unquote(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`"FastMCP"` string annotations are parsed into an expression."""
    text = string_value(expr)
    if text is not None:
        try:
            return cst.parse_expression(text)
        except cst.ParserSyntaxError:
            return expr
    return expr


class _CalledNames(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: Set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self.names.add(node.func.value)
        # `asyncio.to_thread(fn, ...)`, `loop.run_in_executor(pool, fn, ...)`,
        # `anyio.to_thread.run_sync(fn, ...)`: fn runs on the tool call, in a worker thread.
        runner = (dotted(node.func) or "").split(".")[-1]
        index = {"to_thread": 0, "run_sync": 0, "run_in_threadpool": 0, "run_in_executor": 1}.get(runner)
        target = positional(node, index) if index is not None else None
        if target is not None and isinstance(target.value, cst.Name):
            self.names.add(target.value.value)


def _called_names(func: cst.FunctionDef) -> Set[str]:
    visitor = _CalledNames()
    walk.visit(func.body, visitor)
    return visitor.names
