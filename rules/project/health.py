"""Checklist item 8: the platform's health probes must be able to succeed, and an HTTP MCP
server needs a route for them (the MCP endpoint itself answers a plain GET with 400/405/406)."""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Set

import libcst as cst

from mcp_lint.model import Finding, Location, Severity
from mcp_lint.python.placement import at_launches
from mcp_lint.rule import Invalid, PythonProjectRule, Valid

from . import project_finding
from .probes import HEALTH_PATH, MCP_PATHS, PROBE_READERS, DeployProbes, Probe, PythonHttp, PythonHttpReader

FASTMCP_SERVER = """
from fastmcp import FastMCP

mcp = FastMCP("demo")

@mcp.tool
def ping() -> str:
    return "pong"

if __name__ == "__main__":
    mcp.run(transport="http", host="0.0.0.0", port=8000)
"""
ROUTE_TABLE = """
def add_routes(server):
    if server.settings.debug is False:
        routes = [("{path}", status), ("/", index)]
        for route, handler in routes:
            server.custom_route(route, methods=["GET"])(handler)
"""
HEALTHY_SERVER = FASTMCP_SERVER.replace(
    "\nif __name__",
    '\n@mcp.custom_route("/health", methods=["GET"])\nasync def health(request):\n'
    '    if DRAINING.is_set():\n        return PlainTextResponse("draining", status_code=503)\n    return PlainTextResponse("ok")\n\nif __name__',
)
CONSTANT_HEALTH_SERVER = FASTMCP_SERVER.replace(
    "\nif __name__", '\n@mcp.custom_route("/health", methods=["GET"])\nasync def health(request):\n    """Liveness."""\n    return JSONResponse({"status": "ok"})\n\nif __name__'
)

# A chart whose template writes the readiness probe itself, inside `{{- if .Values.readinessProbe.enabled }}`.
SWITCHED_PROBE_CHART = {
    "server.py": HEALTHY_SERVER,
    "chart/Chart.yaml": "apiVersion: v2\nname: mcp\nversion: 1.0.0\n",
    "chart/templates/deployment.yaml": "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
    "        - name: server\n          ports:\n            - containerPort: 8000\n"
    "          {{- if .Values.readinessProbe.enabled }}\n          readinessProbe:\n            httpGet: {path: /health, port: 8000}\n"
    "            periodSeconds: {{ .Values.readinessProbe.periodSeconds }}\n          {{- end }}\n",
}
# A low-level server served over SSE by a Starlette app and uvicorn, with a health handler at `/`.
RAW_ASGI = """
import uvicorn
from mcp.server.fastmcp import FastMCP
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

mcp = FastMCP("tests")
manager = StreamableHTTPSessionManager(app=mcp._mcp_server)

async def asgi_app(scope, receive, send):
    if scope["path"] == "{path}":
        await send({{"type": "http.response.start", "status": 200, "headers": []}})
        await send({{"type": "http.response.body", "body": b"ok"}})
        return
    await manager.handle_request(scope, receive, send)

async def main_http(host: str, port: int) -> None:
    config = uvicorn.Config(app=asgi_app, host=host, port=port)
    server = uvicorn.Server(config)
    await server.serve()
"""
LOWLEVEL_SSE_SERVER = """
from mcp.server import Server

app = Server("sql")

async def run_sse(host: str, port: int) -> None:
    import uvicorn
    from mcp.server.sse import SseServerTransport
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Mount, Route

    sse = SseServerTransport("/messages/")

    async def handle_sse(request):
        async with sse.connect_sse(request.scope, request.receive, request._send) as streams:
            await app.run(streams[0], streams[1], app.create_initialization_options())

    async def health_check(request):
        return Response(RESPONSE)

    web = Starlette(routes=[Route("/", endpoint=health_check), Route("/sse", endpoint=handle_sse), Mount("/messages/", app=sse.handle_post_message)])
    config = uvicorn.Config(web, host=host, port=port)
    server = uvicorn.Server(config)
    await server.serve()
"""


class _ProbeFacts(PythonProjectRule):
    """Shared collection: routes and ports from Python, probes from deployment files."""

    scope = "mcp-project"  # routes may live in a plain FastAPI module
    kinds = ("python", "dockerfile", "k8s", "compose", "helm", "ecs")
    needs_in_project = ("http server",)  # every finding needs an MCP server served over HTTP

    def visit_Module(self, node: cst.Module) -> None:
        self.reader = PythonHttpReader(self.model, self.ctx.document)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.reader.function(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.reader.call(node)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self.reader.comparison(node, self.ctx.function_stack[-1] if self.ctx.function_stack else None)

    def visit_For(self, node: cst.For) -> None:
        scope = self.ctx.function_stack[-1] if self.ctx.function_stack else self.ctx.document.module
        self.reader.loop(node, scope)

    def leave_For(self, original_node: cst.For) -> None:
        self.reader.end_loop(original_node)

    def leave_Module(self, original_node: cst.Module) -> None:
        self.facts = self.reader.facts

    @classmethod
    def collect(cls, document, options):
        return PROBE_READERS[document.kind](document)


def _python(facts_by_path) -> List[PythonHttp]:
    return [f for f in facts_by_path.values() if isinstance(f, PythonHttp)]


def _deploy(facts_by_path) -> List[DeployProbes]:
    return [f for f in facts_by_path.values() if isinstance(f, DeployProbes)]


def _servers(facts_by_path) -> List[Location]:
    return sorted(loc for f in _python(facts_by_path) for loc in f.servers)


def _server_note(servers: List[Location]) -> List[Location]:
    return [replace(servers[0], message="the MCP server is started over HTTP here")] if servers else []


def _norm(path: str) -> str:
    return path.split("?")[0].rstrip("/") or "/"


class HttpServerWithoutHealthRoute(_ProbeFacts):
    """
    ## What it does
    Flags an MCP server served over HTTP (streamable HTTP or SSE) when no module of the
    project defines a health route: `@mcp.custom_route("/health", ...)`, a Starlette
    `Route("/healthz", ...)`, a FastAPI `@app.get("/livez")` and the like (`health`, `healthz`,
    `livez`, `readyz`, `ready`, `live`, `ping`, `status`, `up`). A route whose handler is named
    like a health check (`health_check`, `healthz`, `get_health`, `readiness`), or documented as
    one (a docstring that says "health check"), counts whatever its path:
    `Route("/", endpoint=health_check)` is the probe endpoint its author chose. Routes
    registered in a loop over a literal table (`for path, handler in [("/health", health),
    ...]: mcp.custom_route(path)(handler)`) count with each path of the table, and so does a
    path a raw ASGI app answers itself (`if scope["path"] == "/health":`).

    Reported at the call that starts the server over HTTP, once per served app (its sse and
    http branches, or `uvicorn.Config` + `uvicorn.Server`, are one finding; the other launches
    are related locations), with the server construction, the app served and the routes found
    (not health paths) as related locations.

    Not flagged: stdio servers; projects whose routes come partly from sub-apps or prefixed
    routers that cannot be read statically while a deployment probe already targets a
    non-MCP path.

    Reported as info: every health route returns a constant (`return JSONResponse({"status":
    "ok"})`), a probe that cannot fail: it stays green while the server drains after SIGTERM
    (checklist item 5: the health endpoint answers 503 from then on) and while the database the
    tools need is unreachable.

    ## Why is this bad?
    Load balancers, Kubernetes and Docker need a cheap endpoint that answers a GET with 200.
    The MCP endpoint cannot be that endpoint: a GET without a session is answered 400, 405 or
    406. Without a health route, probes either hit the MCP endpoint (and fail) or are left out,
    and a hung process keeps receiving traffic.

    ## Example
    ```python
    mcp = FastMCP("demo")
    mcp.run(transport="http", port=8000)
    ```

    ## Use instead
    ```python
    @mcp.custom_route("/health", methods=["GET"])
    async def health(request):
        if shutting_down.is_set():
            return PlainTextResponse("draining", status_code=503)
        return PlainTextResponse("ok")
    ```
    Keep the protocol-level check (initialize + tools/list) in an external probe.
    """

    code = "MCP0801"
    name = "http-server-without-health-route"
    item = 8
    severity = Severity.WARNING
    summary = "HTTP MCP server has no health route"
    fix_hint = 'Add a GET route for probes, e.g. `@mcp.custom_route("/health", methods=["GET"])` returning 200.'

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        servers = _servers(facts_by_path)
        python = _python(facts_by_path)
        health = sorted({(path, loc) for f in python for path, loc in [*f.routes, *f.named_health]
                         if HEALTH_PATH.search(path) or (path, loc) in f.named_health}, key=lambda pair: pair[1])
        constant = {loc for f in python for _, loc in f.constant_health}
        if servers and health and all(loc in constant for _, loc in health):
            path, location = sorted(health, key=lambda pair: pair[1])[0]
            message = (f"the health route `{path}` answers 200 whatever happens: while the server drains after SIGTERM, "
                       "or cannot reach what its tools need, probes still see it healthy and keep sending it traffic")
            finding = project_finding(cls, location, message, severity=Severity.INFO)
            yield replace(finding, fix_hint="Answer 503 once shutdown has begun (and when a dependency the tools need is down); keep the body cheap.")
            return
        if not servers or health:
            return
        probes = [p for d in _deploy(facts_by_path) for p in d.probes if p.path and _norm(p.path) not in MCP_PATHS]
        if probes and any(f.open_routes for f in python):
            return  # a mounted sub-app may well serve the path the probe uses
        message = "the MCP server is served over HTTP but no module defines a health route (`/health`, `/healthz`...) for probes"
        routes = [replace(loc, message=f"route `{path}` found: not a health path") for f in python for path, loc in f.routes
                  if _norm(path) not in MCP_PATHS | {_norm(p) for p in f.mcp_paths}]
        candidates = [project_finding(cls, location, message, related=sorted(routes)[:3]) for location in servers]
        yield from at_launches(candidates, project, per_app=True)  # once per served app, at its launch

    VALID = [
        Valid(FASTMCP_SERVER.replace("\nif __name__", "\nmcp.custom_route('/health-check', methods=['GET'])(status)\n\nif __name__")),
        # Routes registered in a loop over a table of (path, handler) pairs (quilt).
        Valid(FASTMCP_SERVER.replace("\nif __name__", ROUTE_TABLE.format(path="/healthz") + "\nif __name__")),
        Valid(  # a root route documented as the health check
            """
            import uvicorn
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("portal")
            app = FastAPI()
            app.mount("/mcp", mcp.http_app())

            @app.get("/")
            async def read_root():
                \"\"\"Root endpoint for health check.\"\"\"
                return {"status": "ok" if database.ready() else "starting"}

            uvicorn.run(app, host="0.0.0.0", port=8000)
            """
        ),
        # A handler named like a health check is the probe endpoint, whatever its path.
        Valid(LOWLEVEL_SSE_SERVER.replace("RESPONSE", '"ok" if pool.ping() else "down", status_code=200 if pool.ping() else 503')),
        Valid(HEALTHY_SERVER),
        Valid(RAW_ASGI.format(path="/health/liveness")),  # a raw ASGI app answering the probe itself (allure-testops)
        Valid(FASTMCP_SERVER.replace('transport="http", host="0.0.0.0", port=8000', "")),
        Valid(
            """
            import uvicorn
            from fastapi import FastAPI
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")
            app = FastAPI()

            @app.get("/healthz")
            def healthz():
                return {"ok": not draining.is_set()}

            app.mount("/", mcp.streamable_http_app())
            uvicorn.run(app, port=8000)
            """
        ),
        Valid(
            """
            from starlette.applications import Starlette
            from starlette.routing import Mount, Route
            from mcp.server.fastmcp import FastMCP as F

            mcp = F("demo")
            app = Starlette(routes=[Route("/livez", live), Mount("/", app=mcp.sse_app())])
            """,
        ),
        Valid(
            FASTMCP_SERVER,
            path="server.py",
            files={"health.py": 'from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/ping")\ndef ping():\n    return state.health()\n'},
        ),
    ]
    INVALID = [
        # The same loop over paths none of which is a health route.
        Invalid(FASTMCP_SERVER.replace("\nif __name__", ROUTE_TABLE.format(path="/stats") + "\nif __name__"), line=16),
        Invalid(  # a server app mounted on a FastAPI app that uvicorn serves in main(): one launch
            """
            import uvicorn
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("portal")
            app = FastAPI()
            app.mount("/mcp", mcp.http_app())

            def main() -> None:
                uvicorn.run(app, host="0.0.0.0", port=8000)

            if __name__ == "__main__":
                main()
            """,
            line=10, count=1,
        ),
        Invalid(CONSTANT_HEALTH_SERVER, line=9, message="answers 200 whatever happens", severity="info"),
        Invalid(LOWLEVEL_SSE_SERVER.replace("RESPONSE", '"SQL server is running"'), line=21, message="the health route `/` answers 200", severity="info"),
        Invalid(  # `uvicorn.Config` + `uvicorn.Server` is one launch: one finding
            LOWLEVEL_SSE_SERVER.replace('Route("/", endpoint=health_check), ', ""),
            line=22, count=1, message="no module defines a health route",
        ),
        Invalid(  # the sse and http branches of one entrypoint serve one app: one finding
            """
            import os
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def main() -> None:
                transport = os.environ.get("MCP_TRANSPORT", "sse")
                if transport == "sse":
                    mcp.run(transport="sse", host="0.0.0.0", port=8000)
                else:
                    mcp.run(transport="streamable-http", host="0.0.0.0", port=8000)

            if __name__ == "__main__":
                main()
            """,
            line=9, count=1,
        ),
        Invalid(FASTMCP_SERVER, line=10, message="no module defines a health route"),
        Invalid(RAW_ASGI.format(path="/metrics"), line=16, message="no module defines a health route"),
        # a path compared in code handed no request is a file's, not a route
        Invalid(RAW_ASGI.format(path="/health").replace("async def asgi_app(scope, receive, send):", "async def asgi_app(config, receive, send):")
                .replace('scope["path"]', "path"), line=16),
        Invalid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            def add(a: int, b: int) -> int:
                return a + b

            uvicorn.run(mcp.streamable_http_app(), host="0.0.0.0", port=8000)
            """,
            line=10,
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.custom_route("/version", methods=["GET"])
            async def version(request):
                return PlainTextResponse("1.0")

            mcp.run(transport="sse")
            """,
            line=9,
        ),
    ]


class ProbeCannotSucceed(_ProbeFacts):
    """
    ## What it does
    Flags a Dockerfile `HEALTHCHECK`, a Kubernetes liveness/readiness/startup probe (also one a
    Helm chart's templates take from values.yaml), a compose `healthcheck` or an ECS task
    definition's `healthCheck.command` that cannot succeed against this server:
    - it sends a plain GET to the MCP endpoint (`/mcp`, `/sse`, `/messages`, or the path set in
      code), which answers 400, 405 or 406 without a session, or a POST with no body, which it
      answers 400 or 415;
    - it targets a path no route serves, when every route of the HTTP app is known statically;
    - it targets a port the server does not listen on, when the listening ports are literal;
    - it runs `curl` or `wget` in an image whose final stage is `distroless`, `scratch` or a
      `*-slim` base that does not install it.

    Not flagged: projects without an MCP server served over HTTP (the probes are another
    service's); probes that POST a body (an MCP `initialize` probe); a GET that passes on any answer
    (`curl` without `-f`, Node's `fetch(url).catch(...)` that never reads the status: it only
    shows the port is open); URLs with variables; apps that
    mount sub-apps or prefixed routers (routes unknown); ports read from the environment; Alpine
    and full Debian bases (BusyBox wget, curl present).

    ## Why is this bad?
    A probe that can never pass marks a healthy server unhealthy: Kubernetes restarts it in a
    loop or never sends it traffic, compose dependants never start, and Docker reports it
    unhealthy forever.

    ## Example
    ```yaml
    readinessProbe:
      httpGet: {path: /mcp, port: 8000}
    ```

    ## Use instead
    ```yaml
    readinessProbe:
      httpGet: {path: /health, port: 8000}
    ```
    with a `/health` route in the server; use Python (`python -c "import urllib.request; ..."`)
    in slim images, or install curl in the final stage.
    """

    code = "MCP0802"
    name = "probe-cannot-succeed"
    item = 8
    severity = Severity.ERROR
    summary = "Health probe cannot succeed against this server"
    fix_hint = "Point the probe at a health route the app serves, on the port it listens on, with a tool the image contains."

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        servers = _servers(facts_by_path)
        if not servers:
            return  # no MCP server served over HTTP here: the probes are another service's
        python = _python(facts_by_path)
        deploy = _deploy(facts_by_path)
        served: Dict[str, Location] = {_norm(path): loc for f in python for path, loc in f.routes}
        mcp_paths = MCP_PATHS | {p for f in python for p in f.mcp_paths}
        routes_known = not any(f.open_routes for f in python)
        ports = {p for f in python for p in f.ports} | {p for d in deploy for p in d.ports}
        ports_known = bool(ports) and not any(f.dynamic_port for f in python) and not any(d.dynamic_port for d in deploy)
        for probe in sorted((p for d in deploy for p in d.probes), key=lambda p: p.location):
            message = _problem(probe, mcp_paths, set(served) if routes_known else None, ports if ports_known else None)
            if message:
                yield project_finding(cls, probe.location, f"{probe.what} {message}", related=_server_note(servers))

    VALID = [
        Valid(  # a chart whose template takes the probe from values.yaml; the subchart's value is not ours
            "image: {repository: ghcr.io/acme/mcp}\nlivenessProbe:\n  httpGet: {path: /health, port: http}\n"
            "redis:\n  livenessProbe:\n    httpGet: {path: /mcp, port: 6379}\n",
            path="chart/values.yaml",
            files={
                "server.py": HEALTHY_SERVER,
                "chart/Chart.yaml": "apiVersion: v2\nname: mcp\nversion: 1.0.0\n",
                "chart/templates/deployment.yaml": "kind: Deployment\n{{- with .Values.livenessProbe }}\nlivenessProbe: {{- toYaml . | nindent 12 }}\n{{- end }}\n",
            },
        ),
        Valid(  # a JSON file naming containerDefinitions outside a task definition
            '{"example": {"containerDefinitions": [{"name": "s", "image": "acme/mcp",\n'
            '  "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8000/mcp"]}}]}}\n',
            path="deploy/notes.json",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(
            "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nHEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1\n",
            path="Dockerfile",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mcp}\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          image: ghcr.io/acme/mcp:1\n          ports: [{name: http, containerPort: 8000}]\n          readinessProbe:\n            httpGet: {path: /health, port: http}\n",
            path="k8s/deployment.yaml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(
            "services:\n  mcp:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-sf\", \"-X\", \"POST\", \"http://localhost:8000/mcp\", \"-d\", \"{}\"]\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(
            "FROM python:3.12-alpine\nHEALTHCHECK CMD wget -qO- http://localhost:8000/status || exit 1\n",
            path="Dockerfile",
            files={"server.py": FASTMCP_SERVER.replace("port=8000", "port=int(os.environ['PORT'])"), "app.py": "app.mount('/', other)\n"},
        ),
        Valid(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: mcp}\nspec:\n  containers:\n    - name: server\n      image: ghcr.io/acme/mcp:1\n      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n",
            path="pod.yaml",
            files={"server.py": HEALTHY_SERVER.replace("port=8000", "port=int(os.environ.get('PORT', '8000'))").replace('"/health"', '"/healthz"')},
        ),
        Valid(
            "services:\n  graph:\n    image: neo4j:5.26\n    healthcheck:\n      test: [\"CMD\", \"wget\", \"-qO-\", \"http://localhost:7474\"]\n  mcp:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/health\"]\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER, "Dockerfile": "FROM python:3.12\nRUN apt-get install -y curl\n"},
        ),
        Valid(  # passes on any answer, 405 included (weak, but it does succeed)
            "services:\n  mcp:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"node\", \"-e\", \"fetch('http://localhost:8000/mcp').catch(() => process.exit(1))\"]\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER, "Dockerfile": "FROM node:22\n"},
        ),
        Valid(  # the same POST carrying an initialize request
            "services:\n  mcp:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"python\", \"-c\", \"import json, urllib.request as u; "
            "u.urlopen(u.Request('http://localhost:8000/mcp', json.dumps(INIT).encode(), method='POST'))\"]\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(
            "FROM python:3.12\nCOPY . /app\nHEALTHCHECK CMD curl -s http://localhost:8000/mcp || exit 1\n",
            path="Dockerfile",
            files={"server.py": HEALTHY_SERVER},
        ),
    ]
    INVALID = [
        Invalid(
            '{"family": "mcp", "containerDefinitions": [{"name": "server", "image": "acme/mcp:1",\n'
            '  "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8000/mcp || exit 1"]}}]}\n',
            path="ecs/task-definition.json",
            files={"server.py": HEALTHY_SERVER},
            line=2,
            message="healthCheck of task definition `mcp` container `server` sends a plain GET on the MCP endpoint `/mcp`",
        ),
        Invalid(
            "FROM python:3.12\nCOPY . /app\nHEALTHCHECK CMD curl -fsS http://localhost:8000/mcp || exit 1\n",
            path="Dockerfile",
            files={"server.py": HEALTHY_SERVER},
            line=3,
            message="plain GET on the MCP endpoint `/mcp`",
        ),
        Invalid(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mcp}\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          image: ghcr.io/acme/mcp:1\n          livenessProbe:\n            httpGet: {path: /mcp, port: 8000}\n",
            path="k8s/deployment.yaml",
            files={"server.py": HEALTHY_SERVER},
            line=11,
            message="plain GET on the MCP endpoint `/mcp`",
        ),
        Invalid(
            "FROM python:3.12-slim\nCOPY . /app\nHEALTHCHECK --interval=30s CMD curl -f http://localhost:8000/health || exit 1\n",
            path="Dockerfile",
            files={"server.py": HEALTHY_SERVER},
            line=3,
            message="`curl`",
        ),
        Invalid(
            "services:\n  mcp:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"python\", \"-c\", \"import urllib.request as u; u.urlopen('http://localhost:8000/healthz')\"]\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
            line=5,
            message="requests `/healthz`, which no route of the HTTP app serves",
        ),
        Invalid(  # urllib's POST with nothing to send: 415 without a JSON body (the URL ends before `,`)
            "services:\n  mcp:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"python\", \"-c\", \"import urllib.request as u; "
            "u.urlopen(u.Request('http://localhost:8000/mcp', headers={'Accept': 'application/json'}, method='POST'))\"]\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
            line=5,
            message="sends a POST with no body to the MCP endpoint `/mcp`,",
        ),
        Invalid(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: mcp}\nspec:\n  containers:\n    - name: server\n      image: ghcr.io/acme/mcp:1\n      readinessProbe:\n        httpGet: {path: /health, port: 8080}\n",
            path="pod.yaml",
            files={"server.py": HEALTHY_SERVER},
            message="port 8080",
        ),
    ]


def _problem(probe: Probe, mcp_paths: Set[str], served: Optional[Set[str]], ports: Optional[Set[int]]) -> str:
    """What makes the probe fail, or "" when nothing is known to."""
    if probe.image_lacks_tool:
        return (
            f"runs `{probe.tool}`, but the final image is built on `{probe.image_lacks_tool}`, which has no "
            f"`{probe.tool}`, and the Dockerfile does not install it"
        )
    if probe.path is not None and not probe.post:
        path = _norm(probe.path)
        if path in mcp_paths:
            if not probe.fails_on_error_status:
                return ""  # it passes on the endpoint's 405: weak, but it succeeds
            if probe.bodiless_post:
                return f"sends a POST with no body to the MCP endpoint `{path}`, which answers 400/415 without a JSON-RPC message: it never succeeds"
            return f"sends a plain GET on the MCP endpoint `{path}`, which answers 400/405/406 without a session: it never succeeds"
        if served is not None and path not in served:
            found = ", ".join(f"`{p}`" for p in sorted(served)) or "none besides the MCP endpoint"
            return f"requests `{path}`, which no route of the HTTP app serves (routes found: {found})"
    if ports is not None and probe.port is not None and probe.port not in ports:
        return f"targets port {probe.port}, but the server listens on {', '.join(str(p) for p in sorted(ports))}"
    return ""


class WorkloadWithoutProbes(_ProbeFacts):
    """
    ## What it does
    Flags, in a project whose MCP server is served over HTTP, a Kubernetes container that
    declares ports but has no `readinessProbe` (for a Helm chart: a Deployment, StatefulSet or
    DaemonSet template with a `containerPort` and no readiness probe, neither written in a
    template nor taken from a non-empty, enabled value), and a compose service built from the project
    that publishes or exposes ports, or is reached through a reverse proxy on the compose
    network (an nginx, Caddy, Traefik, Envoy or HAProxy service in the same file), but has no
    `healthcheck` (and no Dockerfile `HEALTHCHECK` to inherit).

    Not flagged: stdio servers; Jobs and CronJobs; public database, broker and proxy images;
    compose services that only use a prebuilt image (it may carry its own HEALTHCHECK), and
    services for local development (in a compose file named like `docker-compose.debug.yml` or
    `compose.dev.yaml`, built from a `dev` or `debug` stage, or run under `debugpy` or with
    `--reload`); ECS
    containers without `healthCheck` (the load balancer's target group checks them, outside
    the task definition).

    ## Why is this bad?
    Without a readiness probe Kubernetes sends traffic to a pod as soon as the process starts,
    before the server listens, and keeps sending it to a pod that hangs. Without a healthcheck
    compose cannot order dependants (`depends_on: condition: service_healthy`) and `docker ps`
    cannot tell a wedged server from a working one.

    ## Example
    ```yaml
    containers:
      - name: server
        image: ghcr.io/acme/mcp:1.0
        ports: [{containerPort: 8000}]
    ```

    ## Use instead
    ```yaml
    containers:
      - name: server
        image: ghcr.io/acme/mcp:1.0
        ports: [{containerPort: 8000}]
        readinessProbe:
          httpGet: {path: /health, port: 8000}
    ```
    """

    code = "MCP0803"
    name = "workload-without-probes"
    item = 8
    severity = Severity.INFO
    summary = "Workload serving the MCP server has no readiness probe or healthcheck"
    fix_hint = "Add a readinessProbe (Kubernetes) or a healthcheck (compose) against the server's health route."

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        servers = _servers(facts_by_path)
        if not servers:
            return
        deploy = _deploy(facts_by_path)
        image_check = any(d.has_image_healthcheck for d in deploy)
        for facts in deploy:
            for label, location in facts.unprobed:
                if image_check and label.startswith("service "):
                    continue
                message = f"{label}, so traffic reaches it before it is ready and while it hangs"
                yield project_finding(cls, location, message, related=_server_note(servers))

    VALID = [
        Valid(  # a debugging setup: the server waits for a debugger to attach (mcp-servers-xyber)
            "services:\n  mcp:\n    build:\n      context: .\n      target: {target}\n"
            "    command: {command}\n    ports: ['8100:8100']\n".format(target="prod", command='["python", "-m", "debugpy", "--wait-for-client", "-m", "server"]'),
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(  # built from the development stage
            "services:\n  mcp:\n    build:\n      context: .\n      target: dev\n    command: python server.py\n    ports: ['8100:8100']\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(  # a compose file for development
            "services:\n  mcp:\n    build: .\n    command: python server.py\n    ports: ['8100:8100']\n",
            path="docker-compose.debug.yml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(  # reached only through the proxy, and probed
            "services:\n  proxy:\n    image: nginx:1.27\n    ports: ['443:443']\n  mcp:\n    build: .\n"
            "    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/health\"]\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(  # not published and no proxy in front: nothing routes traffic to it
            "services:\n  mcp:\n    build: .\n    command: python server.py\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mcp}\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          image: ghcr.io/acme/mcp:1\n          ports: [{containerPort: 8000}]\n          readinessProbe:\n            httpGet: {path: /health, port: 8000}\n",
            path="k8s/deployment.yaml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mcp}\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          image: ghcr.io/acme/mcp:1\n          ports: [{containerPort: 8000}]\n",
            path="k8s/deployment.yaml",
            files={"server.py": FASTMCP_SERVER.replace('transport="http", host="0.0.0.0", port=8000', "")},
        ),
        Valid(
            "services:\n  mcp:\n    build: .\n    ports: ['8000:8000']\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER, "Dockerfile": "FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost:8000/health\n"},
        ),
        Valid(
            "services:\n  db:\n    image: postgres:16\n    ports: ['5432:5432']\n  mcp:\n    image: ghcr.io/acme/mcp:1\n    ports: ['8000:8000']\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
        ),
        Valid(  # the template writes the probe, switched on by a values flag (kubectl-mcp-server)
            "image:\n  repository: ghcr.io/acme/mcp\nreadinessProbe:\n  enabled: true\n  periodSeconds: 10\n",
            path="chart/values.yaml",
            files=SWITCHED_PROBE_CHART,
        ),
    ]
    INVALID = [
        Invalid(  # the same template with the flag switched off
            "image:\n  repository: ghcr.io/acme/mcp\nreadinessProbe:\n  enabled: false\n  periodSeconds: 10\n",
            path="chart/values.yaml",
            files=SWITCHED_PROBE_CHART,
            line=1,
            message="Helm chart `mcp` has no readinessProbe",
        ),
        Invalid(  # a chart serving a port whose template renders the readiness probe only when values set one
            "image:\n  repository: ghcr.io/acme/mcp\nreadinessProbe: {}\n",
            path="chart/values.yaml",
            files={
                "server.py": HEALTHY_SERVER,
                "chart/Chart.yaml": "apiVersion: v2\nname: mcp\nversion: 1.0.0\n",
                "chart/templates/deployment.yaml": "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                "        - name: server\n          ports:\n            - containerPort: 8000\n"
                "          {{- with .Values.readinessProbe }}\n          readinessProbe: {{- toYaml . | nindent 12 }}\n          {{- end }}\n",
            },
            line=1,
            message="Helm chart `mcp` has no readinessProbe",
        ),
        Invalid(
            "services:\n  proxy:\n    image: caddy:2\n    ports: ['443:443']\n  mcp:\n    build: .\n  worker-db:\n    image: postgres:16\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
            line=5,
            message="service `mcp` has no healthcheck",
            count=1,
        ),
        Invalid(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mcp}\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          image: ghcr.io/acme/mcp:1\n          ports: [{containerPort: 8000}]\n          livenessProbe:\n            httpGet: {path: /health, port: 8000}\n",
            path="k8s/deployment.yaml",
            files={"server.py": HEALTHY_SERVER},
            line=8,
            message="has no readinessProbe",
        ),
        Invalid(
            "services:\n  mcp:\n    build: .\n    ports: ['8000:8000']\n",
            path="compose.yaml",
            files={"server.py": HEALTHY_SERVER},
            line=2,
            message="service `mcp` has no healthcheck",
        ),
        Invalid(  # a production stage in a production file: no development words
            "services:\n  mcp:\n    build:\n      context: .\n      target: production\n"
            "    command: [\"uvicorn\", \"server:app\", \"--host\", \"0.0.0.0\"]\n    ports: ['8000:8000']\n",
            path="docker-compose.devices.yml",
            files={"server.py": HEALTHY_SERVER},
            line=2,
            message="service `mcp` has no healthcheck",
        ),
        Invalid(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: mcp}\nspec:\n  containers:\n    - name: server\n      image: ghcr.io/acme/mcp:1\n      ports: [{containerPort: 8000}]\n",
            path="pod.yaml",
            files={"server.py": FASTMCP_SERVER},
            line=6,
        ),
    ]
