"""MCP tools made from a FastAPI app's routes.

`FastMCP.from_fastapi(app=api)` (fastmcp) and `FastApiMCP(api)` (fastapi-mcp) read the app's
OpenAPI description and offer each route as a tool; a tool call becomes a request to the route
(through an in-process ASGI client). The route functions are then the tools' code: their body
parameters and query parameters carry the caller's arguments (`Depends(...)` ones are filled by
the app), and whatever they log, read or answer happens on a tool call.

    api = FastAPI()
    api.include_router(search.router)          # every route of the router, in any module
    for router in routers: api.include_router(router)
    mcp = FastMCP.from_fastapi(app=api)

Both offer every route unless told otherwise (`RouteFilter`). The route holders are the app
and the routers included into it (routers included into those, too), each known by where it is
bound: (module, scope, name). A route is a function decorated `@holder.get(...)`, `.post`,
`.put`, `.patch`, `.delete` or `.api_route` whose holder resolves to one of them. The tool's
name is the route's `operation_id` when it gives one, else the function's name (FastAPI's
generated operation id starts with it).

fastmcp's server serves as any FastMCP does (`mcp.http_app()` mounted, `mcp.run(...)`);
fastapi-mcp's mounts itself on the app it was given (`mcp.mount_http()`), so the launch of that
app (`uvicorn.run(api)`) serves it.

`FastMCP.from_openapi(...)` builds its tools from a description of a remote API: a server with
no handler code here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Set, Tuple

from mcp_lint.python.file_summary import literals

if TYPE_CHECKING:  # the model imports this module
    from mcp_lint.python.project_model import ProjectModel

# A route offered as a tool answers a failure with an HTTP response: the detail of an
# `HTTPException` reaches the client either way. What else a route raises differs:
# fastmcp calls the app in process with httpx's ASGI transport, which raises the route's own
# exception again in the tool (a `ToolError`'s text is sent, others as the server masks them);
# fastapi-mcp's transport does not, and the client reads a bare "Internal Server Error".
FASTAPI_MCP = "fastapi-mcp"  # the framework of a `FastApiMCP(api)` server (fastmcp's builders make FastMCP servers)
FASTMCP_ROUTES = "fastmcp-routes"
FASTAPI_MCP_ROUTES = "fastapi-mcp-routes"
ROUTE_FRAMEWORKS = (FASTMCP_ROUTES, FASTAPI_MCP_ROUTES)
# (fully qualified builder, keyword naming the app; None: the builder takes no app)
BUILDERS = {
    "fastmcp.FastMCP.from_fastapi": "app",
    "fastmcp.server.FastMCP.from_fastapi": "app",
    "fastmcp.server.server.FastMCP.from_fastapi": "app",
    "fastmcp.FastMCP.from_openapi": None,
    "fastmcp.server.FastMCP.from_openapi": None,
    "fastmcp.server.server.FastMCP.from_openapi": None,
    "fastapi_mcp.FastApiMCP": "fastapi",
    "fastapi_mcp.server.FastApiMCP": "fastapi",
}
# fastapi-mcp's server serves by mounting itself on the app it was given; the app's own launch
# (`uvicorn.run(api)`) is then the MCP launch.
MOUNTS = ("mount_http", "mount_sse", "mount")
BUILDER_NAMES = ("from_fastapi", "from_openapi", "FastApiMCP")  # last names: calls worth resolving
ROUTE_METHODS = {"get", "post", "put", "patch", "delete", "api_route"}

Holder = Tuple[str, str, str]  # (module, scope, name) of the binding of an app or a router


def server_framework(qualified: str) -> Optional[str]:
    """The framework of the server a builder call makes (fastmcp's are FastMCP servers), if it
    is one."""
    if qualified not in BUILDERS:
        return None
    return "fastmcp" if qualified.startswith("fastmcp.") else FASTAPI_MCP


def route_framework(qualified: str) -> str:
    """The framework of the tools a builder makes of an app's routes."""
    return FASTMCP_ROUTES if qualified.startswith("fastmcp.") else FASTAPI_MCP_ROUTES


def builder_app(qualified: str, call) -> Optional[str]:
    """The encoded app value a server builder is given (`app=api`, or its first argument), or
    None when the call builds no server from an app."""
    keyword = BUILDERS.get(qualified)
    if keyword is None:
        return None
    return call.kwarg(keyword) or (call.args[0] if call.args else None)


def holder_of(model: "ProjectModel", rel: str, scope: str, value: str) -> List[Holder]:
    """Where the app or router(s) an encoded value names are bound: a name, an element of a
    list of names (`for router in routers`), or the list itself."""
    if value.startswith("e:"):
        value = value[2:]
    if not value.startswith("n:"):
        return []
    symbol = model.resolve(rel, scope, value[2:])
    if symbol.kind not in ("global", "local"):
        return []
    if symbol.value.startswith("l:"):
        return [h for name in symbol.value[2:].split(",") for h in holder_of(model, symbol.rel, symbol.scope, f"n:{name}")]
    return [(symbol.rel, symbol.scope, symbol.name)]


class RouteFilter:
    """Which routes a builder offers: fastapi-mcp's `include_operations` / `exclude_operations`
    (operation ids) and `include_tags` / `exclude_tags` (the route's `tags=[...]`); fastmcp's
    `route_maps` / `route_map_fn` decide at run time. A filter whose lists cannot be read makes
    no route a known tool (a wrong tool would be linted as one)."""

    def __init__(self, model: "ProjectModel", rel: str, scope: str, builder) -> None:
        self.readable = not any(builder.kwarg(k) for k in ("route_maps", "route_map_fn"))
        self.lists: Dict[str, Tuple[str, ...]] = {}
        for keyword in ("include_operations", "exclude_operations", "include_tags", "exclude_tags"):
            value = builder.kwarg(keyword)
            if value is not None:
                found = _strings(model, rel, scope, value)
                self.readable = self.readable and found is not None
                self.lists[keyword] = found or ()

    def offers(self, operation: Optional[str], tags: Tuple[str, ...]) -> bool:
        if not self.readable:
            return False
        lists = self.lists
        if "include_operations" in lists and operation not in lists["include_operations"]:
            return False  # a route with no operation_id of its own has a generated one: not known here
        if operation is not None and operation in lists.get("exclude_operations", ()):
            return False
        if "include_tags" in lists and not set(tags) & set(lists["include_tags"]):
            return False
        return not set(tags) & set(lists.get("exclude_tags", ()))


def _strings(model: "ProjectModel", rel: str, scope: str, value: str) -> Optional[Tuple[str, ...]]:
    """The string literals a list value holds, here or where the name it is was bound."""
    if value.startswith("n:"):
        symbol = model.resolve(rel, scope, value[2:])
        value = symbol.value if symbol.kind in ("global", "local") else value
    return literals(value)


def exposed_routes(model: "ProjectModel", apps: Iterable[Holder], offered: RouteFilter) -> Iterable[Tuple[str, str, str]]:
    """(module, function qualname, tool name) of every route of the apps and of the routers
    included into them that the builder offers."""
    holders = _with_included(model, set(apps))
    for (rel, qualname), unit in model.units.items():
        if not unit.qualname or not unit.decorators:
            continue
        parent = qualname.rpartition(".")[0]
        scope = parent if (rel, parent) in model.units else ""
        for index in unit.decorators:
            call = unit.calls[index]
            receiver, _, method = call.callee.rpartition(".")
            if method in ROUTE_METHODS and receiver and any(h in holders for h in holder_of(model, rel, scope, f"n:{receiver}")):
                operation = call.kwarg("operation_id")
                operation = operation[2:] if operation is not None and operation.startswith("s:") else None
                if offered.offers(operation, literals(call.kwarg("tags")) or ()):
                    yield rel, qualname, operation or unit.name
                break


def _with_included(model: "ProjectModel", holders: Set[Holder]) -> Set[Holder]:
    """The holders and every router `include_router` adds to one of them, transitively."""
    includes = [(rel, scope, call) for (rel, scope), unit in model.units.items() for call in unit.calls
                if call.callee.endswith(".include_router") and call.args]
    grown = True
    while grown:
        grown = False
        for rel, scope, call in includes:
            receiver = call.callee[: -len(".include_router")]
            if any(h in holders for h in holder_of(model, rel, scope, f"n:{receiver}")):
                for added in holder_of(model, rel, scope, call.args[0]):
                    if added not in holders:
                        holders.add(added)
                        grown = True
    return holders
