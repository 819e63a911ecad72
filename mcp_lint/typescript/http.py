"""What a TypeScript/JavaScript file serves over HTTP, for the health-probe rules (checklist
item 8): where it serves MCP, the literal routes its apps answer, whether some routes cannot be
enumerated (routers, whose paths are relative to their mount point; sub-apps mounted with
`use`/`route`/`register`; computed paths), the
MCP endpoint paths, and the ports it listens on. fastmcp's `httpStream` server answers
`GET /health` (path and switch in the constructor's `health` option) and `GET /ready` itself;
its MCP endpoint is `httpStream.endpoint`, `/mcp` by default."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Set, Tuple

from mcp_lint.literals import HEALTH_DOC, is_health_handler
from mcp_lint.model import Location
from mcp_lint.typescript.project import base_facts
from mcp_lint.typescript.syntax import arguments, last_name, method_name, object_property, string_value, unwrap

# Calls on an app that add routes we cannot list (hono sub-apps, fastify plugins, Node handlers).
_MOUNTS = {"route", "register", "mount", "basePath"}
_SERVE_CALLS = {"serve", "listen", "start"}


@dataclass
class HttpServing:
    servers: List[Location] = field(default_factory=list)
    routes: List[Tuple[str, Location]] = field(default_factory=list)
    open_routes: bool = False
    mcp_paths: Set[str] = field(default_factory=set)
    ports: Set[int] = field(default_factory=set)
    dynamic_port: bool = False
    # Routes whose handler is named like a health check, or that a comment calls one: (path, location).
    named_health: List[Tuple[str, Location]] = field(default_factory=list)


def http_serving(model) -> HttpServing:
    doc = model.doc
    found = HttpServing()
    served = base_facts(model).http
    if served is not None:
        found.servers.append(served)
    routers = _routers(model)
    for route in model.routes:
        where = doc.location(route.call)
        if route.app in routers:
            found.open_routes = True  # its paths are relative to where another module mounts it
        elif route.method == "use":
            # `app.use(express.json())` adds no route; `app.use("/api", router)` or `app.use(router)` may.
            found.open_routes = found.open_routes or any(unwrap(h).type != "call_expression" for h in route.handlers)
        elif route.path is None:
            found.open_routes = True  # a computed, array or regex path
        else:
            found.routes.append((route.path, where))
            if route.serves_mcp:
                found.mcp_paths.add(route.path)
            elif named_health_route(model, route):
                found.named_health.append((route.path, where))
    for call in model.nodes("call_expression"):
        name = model.callee(call)
        method = last_name(name)
        receiver = name[: -len(method) - 1] if "." in name else ""
        if receiver in model.apps and method in _MOUNTS:
            found.open_routes = True
        if method_name(doc, call) in _SERVE_CALLS:  # also `http.createServer(app).listen(3000)`
            _read_port(model, call, found)
    for kind, node in model.transports:
        if kind == "http" and model.callee(node).endswith("start") and "httpStream" in model.text(node):
            _fastmcp(model, node, found)
    if found.servers and not found.ports:
        found.dynamic_port = True  # it listens somewhere we did not see (another module, a helper)
    return found


def named_health_route(model, route) -> bool:
    """`app.get("/", healthCheck)`, or a route under a comment that says what it is for
    (`// Health check endpoint` on the line before): the probe endpoint its author chose."""
    if any(is_health_handler(last_name(model.text(h))) for h in route.handlers if unwrap(h).type in ("identifier", "member_expression")):
        return True
    statement = route.call
    while statement.parent is not None and statement.type != "expression_statement":
        statement = statement.parent
    comment = statement.prev_named_sibling
    return (comment is not None and comment.type == "comment" and comment.end_point[0] + 1 >= statement.start_point[0]
            and bool(HEALTH_DOC.search(model.text(comment))))


def _routers(model) -> Set[str]:
    """Apps made by `Router()` / `express.Router()`."""
    found = set()
    for decl in model.nodes("variable_declarator"):
        value = unwrap(decl.child_by_field_name("value"))
        if value is not None and value.type == "call_expression" and last_name(model.callee(value)) == "Router":
            found.add(model.text(decl.child_by_field_name("name")))
    return found


def _read_port(model, call, found: HttpServing) -> None:
    """`app.listen(3000)`, `listen({ port })`, `serve({ fetch, port })`, fastmcp `httpStream.port`."""
    args = arguments(call)
    if not args:
        return
    first = unwrap(args[0])
    value = None
    if first.type == "object":
        value = object_property(model.doc, first, "port")
        stream = object_property(model.doc, first, "httpStream")
        value = value if value is not None else (object_property(model.doc, stream, "port") if stream is not None else None)
    elif method_name(model.doc, call) == "listen":
        value = first
    if value is None:
        return
    port = _literal_int(model, value)
    if port is None:
        found.dynamic_port = True
    else:
        found.ports.add(port)


def _literal_int(model, node) -> Optional[int]:
    node = model.resolve_value(node)
    if node is not None and node.type == "number":
        try:
            return int(model.text(node).replace("_", ""))
        except ValueError:
            return None
    return None


def _fastmcp(model, start, found: HttpServing) -> None:
    doc = model.doc
    where = doc.location(start)
    options = arguments(start)
    stream = object_property(doc, options[0], "httpStream") if options else None
    endpoint = string_value(doc, object_property(doc, stream, "endpoint")) if stream is not None else None
    found.mcp_paths.add(endpoint or "/mcp")
    found.routes.append((endpoint or "/mcp", where))
    if stream is None or object_property(doc, stream, "basePath") is not None:
        found.open_routes = True  # options built elsewhere, or every path under a prefix
    health = fastmcp_health_option(model)
    if health is False:
        return
    found.routes.append((health or "/health", where))
    found.routes.append(("/ready", where))


def bind_hosts(model) -> List[Optional[str]]:
    """The host each `listen` / `serve` call of the file binds: "" for none written (Node binds
    every interface), the literal, or the default of an environment read
    (`process.env.BIND_ADDRESS || "127.0.0.1"`, directly or through a same-file const); None
    when it cannot be read."""
    hosts: List[Optional[str]] = []
    for call in model.nodes("call_expression"):
        method = method_name(model.doc, call)
        args = arguments(call)
        if method not in ("listen", "serve") or not args:
            continue
        first = unwrap(args[0])
        if first.type == "object":
            host = object_property(model.doc, first, "host") or object_property(model.doc, first, "hostname")
        elif method == "listen":
            host = args[1] if len(args) >= 2 and unwrap(args[1]).type not in ("arrow_function", "function_expression", "function") else None
        else:
            continue
        hosts.append("" if host is None else _host_value(model, host))
    return hosts


def _host_value(model, node) -> Optional[str]:
    node = model.resolve_value(node)
    if node is not None and node.type == "binary_expression" and model.text(node.child_by_field_name("operator")) in ("||", "??"):
        node = unwrap(node.child_by_field_name("right"))  # the default when the variable is unset
    return string_value(model.doc, node) if node is not None else None


def fastmcp_health_option(model):
    """The `health` option of `new FastMCP({...})`: False when disabled, its literal `path`,
    or None for the default."""
    for new in model.nodes("new_expression"):
        if last_name(model.callee(new)) != "FastMCP":
            continue
        args = arguments(new)
        health = object_property(model.doc, args[0], "health") if args else None
        if health is None:
            return None
        enabled = object_property(model.doc, health, "enabled")
        if enabled is not None and model.text(enabled) == "false":
            return False
        return string_value(model.doc, object_property(model.doc, health, "path"))
    return None
