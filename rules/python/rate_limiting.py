"""Checklist item 3: rate limiting and session caps at the transport boundary, and a rate limit
reported to the model as a tool failure, not as a protocol error."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Tuple

import libcst as cst

from mcp_lint.deploy import DEPLOY_KINDS, deployed_over_http, transport_commands
from mcp_lint.model import Finding, Location, Severity
from mcp_lint.python import walk
from mcp_lint.python.mcp_model import SERVER_CLASSES, ToolCode
from mcp_lint.python.names import dotted, keyword, string_value
from mcp_lint.python.placement import at_launches
from mcp_lint.rule import Invalid, PythonProjectRule, PythonRule, Valid

# Inbound limiters: ASGI/Starlette middleware packages and fastmcp's rate-limiting middleware.
LIMITER_MODULES = ("slowapi", "limits", "fastapi_limiter", "ratelimit", "starlette_limiter", "fastmcp.server.middleware.rate_limiting")
LIMITER_CLASS = re.compile(r"rate_?limit|throttl|limiter", re.IGNORECASE)
# `RateLimitError`, `ThrottlingException`: what a limit raises, not a limit.
RAISED_CLASS = re.compile(r"(?:Error|Exception|Exceeded)$")
NO_LIMIT = (
    "nothing in the project limits requests: no limiter middleware, no uvicorn `limit_concurrency`, "
    "no nginx `limit_req`/`limit_conn` or ingress limit annotation"
)
CONCURRENCY_TEXT = re.compile(r"--limit-concurrency|UVICORN_LIMIT_CONCURRENCY|limit_concurrency")
INGRESS_LIMITS = ("limit-rps", "limit-rpm", "limit-connections")
INGRESS_PREFIX = "nginx.ingress.kubernetes.io/"
CADDY_RATE_LIMIT = re.compile(r"^[ \t]*rate_limit\b", re.MULTILINE)  # [ \t]: `\\s*` is quadratic on blank lines
NGINX_LIMITS = {"limit_req", "limit_conn"}


# A server whose transport is a command-line choice (the deploy files decide).
_CHOOSING_SERVER = """
import argparse
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("weather")

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--transport", default="stdio")
    mcp.run(transport=parser.parse_args().transport)
"""


class HttpTransportWithoutRateLimit(PythonProjectRule):
    """
    ## What it does
    Reports, once per project, an MCP server served over HTTP when nothing in the project limits
    the request rate or concurrency in front of it. Any of these counts as a limiter:
    - a limiter library imported anywhere (`slowapi`, `limits`, `fastapi_limiter`, `ratelimit`),
      fastmcp's `RateLimitingMiddleware` / `SlidingWindowRateLimitingMiddleware`, or a
      middleware class of the project named like a rate limiter or throttle (one that derives
      from another class; not an exception such as `RateLimitError`, nor a plain helper class
      that paces the server's own calls to an upstream API);
    - uvicorn's `limit_concurrency` (in code, `--limit-concurrency` in a Dockerfile, compose file,
      manifest or script, or `UVICORN_LIMIT_CONCURRENCY`);
    - nginx `limit_req` / `limit_conn`, an ingress-nginx `limit-rps` / `limit-rpm` /
      `limit-connections` annotation, a Traefik `rateLimit` / `inFlightReq` middleware, a Caddy
      `rate_limit` directive.

    stdio servers are not reported, nor a server whose transport is chosen at run time unless a
    deploy file of the project starts it over HTTP (`CMD ["server", "--transport", "sse"]`, or
    `ENV MCP_TRANSPORT=http` where the server reads that variable).

    ## Why is this bad?
    Every tool call can fan out to databases and paid APIs, and an HTTP endpoint can be called
    by any client in a loop. Without a limit one misbehaving agent exhausts the pool, the
    upstream quota or the budget for everybody; a limit at the boundary turns that into quick
    HTTP 429/503 answers.

    ## Example
    ```python
    mcp = FastMCP("search")
    mcp.run(transport="http", host="0.0.0.0", port=8000)
    ```

    ## Use instead
    ```python
    from fastmcp.server.middleware.rate_limiting import RateLimitingMiddleware

    mcp = FastMCP("search")
    mcp.add_middleware(RateLimitingMiddleware(max_requests_per_second=10, burst_capacity=20))
    ```
    or `limit_req` in the nginx in front, or `uvicorn ... --limit-concurrency 100`.

    ## Options
    `rate-limit-at-gateway` (default false): set it when an API gateway outside the repository
    limits the traffic.
    """

    code = "MCP0301"
    needs_in_project = ("http server", "dynamic transport")  # findings are at those calls
    name = "http-transport-without-rate-limit"
    item = 3
    severity = Severity.INFO
    summary = "MCP server served over HTTP with no rate limit in front of it"
    fix_hint = "Add a limiter at the boundary: fastmcp RateLimitingMiddleware, slowapi, uvicorn `--limit-concurrency`, nginx `limit_req`, or ingress `limit-rps`; set `rate-limit-at-gateway = true` if a gateway outside the repo does it."
    kinds = ("python", "nginx", "k8s", "dockerfile", "compose", "shell", "caddyfile")
    scope = "mcp-project"
    options = {"rate-limit-at-gateway": False}

    def __init__(self, ctx):
        super().__init__(ctx)
        self.limiter: Optional[str] = None

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        # A middleware derives from its framework's class; a base-less `RateLimiter` paces the
        # server's own calls to an upstream API, which limits nothing at the boundary.
        name = node.name.value
        if node.bases and LIMITER_CLASS.search(name) and not RAISED_CLASS.search(name):
            self.limiter = f"class `{node.name.value}`"

    def leave_Module(self, original_node: cst.Module) -> None:
        imported = [full for full in self.model.imports.aliases.values() if full.startswith(LIMITER_MODULES)]
        if imported:
            self.limiter = f"`{imported[0]}`"
        elif CONCURRENCY_TEXT.search(self.ctx.document.text):
            self.limiter = "`limit_concurrency`"
        serving: List[Finding] = []
        dynamic: List[Tuple[Finding, str]] = []
        if self.model.is_mcp:  # every HTTP call here: the project model keeps those that launch
            serving = [self._finding(call, "serves the MCP server over HTTP") for call, kind in self.model.transport_calls if kind == "http"]
            # A transport chosen at run time counts when a deploy file starts it over HTTP (check):
            # the finding, and the call as written for the message `check` completes.
            dynamic = [(self._finding(call, "picks its transport at runtime"), _shown(call))
                       for call, kind in self.model.transport_calls if kind == "dynamic"]
        self.facts = {"limiter": self.limiter, "serving": serving, "dynamic": dynamic}

    def _finding(self, call: cst.Call, serves: str) -> Finding:
        document = self.ctx.document
        message = f"`{_shown(call)}()` {serves} and {NO_LIMIT}"
        return self.make_finding(document.location(call), message, snippet=document.snippet(call))

    @classmethod
    def collect(cls, document, options):
        commands = transport_commands(document) if document.kind in DEPLOY_KINDS else []
        return {"limiter": _document_limiter(document), "serving": [], "dynamic": [], "commands": commands}

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if cls.project_option(project, "rate-limit-at-gateway"):
            return
        if any(facts["limiter"] for facts in facts_by_path.values()):
            return
        serving = [f for path in sorted(facts_by_path) for f in facts_by_path[path]["serving"]]
        serving += _deployed_over_http(facts_by_path, project)
        yield from at_launches(serving, project, per_app=True)  # once per served app, at its launch

    VALID = [
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.rate_limiting import RateLimitingMiddleware

            mcp = FastMCP("search")
            mcp.add_middleware(RateLimitingMiddleware(max_requests_per_second=10))

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            if __name__ == "__main__":
                mcp.run()
            """
        ),
        Valid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("search")
            app = mcp.streamable_http_app()

            if __name__ == "__main__":
                uvicorn.run(app, host="0.0.0.0", port=8000, limit_concurrency=64)
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("search")
            app = mcp.streamable_http_app()
            """,
            files={
                "deploy/nginx.conf": """
                    http {
                        limit_req_zone $binary_remote_addr zone=mcp:10m rate=5r/s;
                        server {
                            listen 80;
                            location /mcp {
                                limit_req zone=mcp burst=10;
                                proxy_pass http://127.0.0.1:8000;
                            }
                        }
                    }
                """,
            },
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("search")
            app = mcp.streamable_http_app()
            """,
            files={
                "k8s/ingress.yaml": """
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata:
                      name: mcp
                      annotations:
                        nginx.ingress.kubernetes.io/limit-rps: "5"
                    spec:
                      ingressClassName: nginx
                      rules:
                        - http:
                            paths:
                              - path: /mcp
                                pathType: Prefix
                                backend:
                                  service: {name: mcp, port: {number: 80}}
                """,
            },
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("search")
            mcp.run(transport="http")
            """,
            options={"rate-limit-at-gateway": True},
        ),
        Valid(  # a limiter middleware of the project's own
            """
            from fastmcp import FastMCP
            from starlette.middleware.base import BaseHTTPMiddleware

            class RateLimitMiddleware(BaseHTTPMiddleware):
                async def dispatch(self, request, call_next):
                    return await call_next(request)

            mcp = FastMCP("search")
            app = mcp.http_app()
            app.add_middleware(RateLimitMiddleware)
            """
        ),
        Valid(  # transport chosen at run time; the image picks stdio
            _CHOOSING_SERVER,
            path="server.py",
            files={"Dockerfile": 'FROM python:3.12-slim\nCMD ["python", "server.py", "--transport", "stdio"]\n'},
        ),
    ]
    INVALID = [
        Invalid(  # transport chosen at run time; the image starts it over SSE
            _CHOOSING_SERVER,
            path="server.py",
            files={"Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/server.py", "--transport", "sse"]\n'},
            line=9,
            message="`Dockerfile` starts it with `--transport sse`",
        ),
        Invalid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("search")

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """,
            line=6,
            message="`mcp.run()` serves the MCP server over HTTP",
            severity="info",
        ),
        Invalid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP as F

            server = F("search")

            if __name__ == "__main__":
                uvicorn.run(server.streamable_http_app(), host="0.0.0.0")
            """,
            files={"Dockerfile": 'FROM python:3.12-slim\nCMD ["python", "server.py"]\n'},
            count=1,
        ),
        Invalid(
            """
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("search")
            app = server.streamable_http_app()
            """,
            files={
                "deploy/nginx.conf": """
                    http {
                        limit_req_zone $binary_remote_addr zone=mcp:10m rate=5r/s;
                        server {
                            location /mcp { proxy_pass http://127.0.0.1:8000; }
                        }
                    }
                """,
            },
            line=4,
        ),
        Invalid(  # an exception named like a limit, and a helper pacing calls to an upstream API
            """
            import asyncio
            from fastmcp import FastMCP

            class RateLimitError(Exception):
                pass

            class RateLimiter:
                def __init__(self, per_minute: int = 30):
                    self.delay = 60 / per_minute

                async def acquire(self) -> None:
                    await asyncio.sleep(self.delay)

            mcp = FastMCP("search")

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """,
            line=17,
        ),
    ]


def _deployed_over_http(facts_by_path, project) -> List[Finding]:
    """Launches whose transport is chosen at run time and that a deploy command of the project
    starts over HTTP (`CMD ["server", "--transport", "sse"]`), with that command as evidence."""
    dynamic = [f for path in sorted(facts_by_path) for f in facts_by_path[path].get("dynamic", ())]
    commands = [c for facts in facts_by_path.values() for c in facts.get("commands", ())] if dynamic else []
    # Asked only then: in a cached run the model is built on first use (engine.Project).
    model = getattr(project, "model", None) if commands else None
    found: List[Finding] = []
    if model is not None:
        for finding, shown in dynamic:
            chosen = deployed_over_http(model, finding.location.path, finding.location.line, commands)
            if chosen is not None:
                command, written = chosen
                note = Location(command.path, command.line, 1, command.line, 1, f"started with {written} here")
                message = f"`{shown}()` picks its transport at runtime, `{command.path}` starts it with {written}, and {NO_LIMIT}"
                found.append(replace(finding, message=message, related=(*finding.related, note)))
    return found


def _shown(call: cst.Call) -> str:
    return dotted(call.func) or "the HTTP transport"


def _document_limiter(document) -> Optional[str]:
    """What limits requests in a non-Python file, for the project verdict; None when nothing."""
    kind = document.kind
    if kind == "nginx":
        found = next((d for d in document.walk() if d.name in NGINX_LIMITS), None)
        return f"nginx `{found.name}`" if found else None
    if kind == "caddyfile":
        return "Caddy `rate_limit`" if CADDY_RATE_LIMIT.search(document.text) else None
    if CONCURRENCY_TEXT.search(document.text):
        return "`--limit-concurrency`"
    if kind == "k8s":
        return _k8s_limiter(document)
    return None


def _k8s_limiter(document) -> Optional[str]:
    for obj in document.objects():
        annotations = obj.string_map("metadata.annotations")
        if any(key.startswith(INGRESS_PREFIX) and key[len(INGRESS_PREFIX):] in INGRESS_LIMITS for key in annotations):
            return f"ingress annotation on {obj.label}"
        if obj.kind == "Middleware" and (obj.get("spec.rateLimit") is not None or obj.get("spec.inFlightReq") is not None):
            return f"Traefik {obj.label}"
    return None


# A rate limit, said in an exception's message, its code constant or the exception class.
RATE_TEXT = re.compile(
    r"rate[\s_-]?limit|too[\s_-]many[\s_-](requests|calls)|quota|throttl|limit[\s_-](exceeded|reached)|retry[\s_-]after|\b429\b|limiter",
    re.IGNORECASE,
)
# Protocol-error classes: the SDK's (both majors), fastmcp's re-exports, fastmcp's middleware error.
PROTOCOL_ERRORS = {
    "mcp.McpError", "mcp.shared.exceptions.McpError", "mcp.MCPError", "mcp.shared.exceptions.MCPError",
    "fastmcp.exceptions.McpError", "fastmcp.exceptions.MCPError",
    "fastmcp.server.middleware.rate_limiting.RateLimitError",
}


class RateLimitAsProtocolError(PythonRule):
    """
    ## What it does
    Flags tool code that signals a rate limit or quota by raising the MCP protocol error
    (`McpError` in mcp 1.x, `MCPError` in mcp 2.x, fastmcp's re-exports and its middleware
    `RateLimitError`, or a same-file subclass of them). A raise counts as a rate limit when its
    message, error-code name or class name says so ("rate limit", "too many requests", "quota",
    "throttled", "retry after", 429), or when the `if` it sits in tests a limiter, throttle or
    quota.

    Raising `ToolError`, returning an `isError` result, the same errors raised by middleware
    (outside tool code), and argument errors about a `limit` parameter are not flagged.

    ## Why is this bad?
    With mcp 2.x (`MCPServer`, and the low-level server) a protocol error reaches the client as
    a JSON-RPC error: most hosts show a broken tool instead of telling the model to slow down,
    and the model cannot read "retry in 30 s". mcp 1.x and fastmcp convert it to an `isError`
    result today (fastmcp masks its text when `mask_error_details` is on), so there the finding
    is informational. Limits that protect the whole server belong at the transport boundary,
    where they answer HTTP 429 before any tool runs.

    ## Example
    ```python
    @server.tool()
    async def search(q: str) -> str:
        if not limiter.allow(q):
            raise MCPError(code=-32000, message="Rate limit exceeded, retry in 30 s")
    ```

    ## Use instead
    ```python
        if not limiter.allow(q):
            raise ToolError("Rate limit exceeded, retry in 30 s")
    ```
    and a server-wide limit in middleware (fastmcp `RateLimitingMiddleware`) or the proxy.
    """

    code = "MCP0302"
    name = "rate-limit-as-protocol-error"
    item = 3
    severity = Severity.WARNING
    summary = "Tool reports a rate limit as an MCP protocol error"
    fix_hint = "Raise ToolError (high-level servers) or return an isError result with the retry hint; enforce server-wide limits in middleware or at the proxy."
    requires = ("McpError", "MCPError", "RateLimitError")

    def __init__(self, ctx):
        super().__init__(ctx)
        self.subclasses: Dict[str, str] = {}  # same-file protocol-error subclass -> base
        self.raises: List[Tuple[cst.Raise, ToolCode, str]] = []  # (raise, code, text of the enclosing if tests)
        self.tests: List[cst.BaseExpression] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            qualified = self.model.qualify(base.value) or ""
            if qualified in PROTOCOL_ERRORS or dotted(base.value) in self.subclasses:
                self.subclasses[node.name.value] = qualified

    def visit_If(self, node: cst.If) -> None:
        self.tests.append(node.test)

    def leave_If(self, original_node: cst.If) -> None:
        self.tests.pop()

    def visit_Raise(self, node: cst.Raise) -> None:
        code = self.ctx.tool_code
        if code is not None and node.exc is not None:
            guard = " ".join(n for t in self.tests for n in _names(t))
            self.raises.append((node, code, guard))

    def leave_Module(self, original_node: cst.Module) -> None:
        # Classes may be defined below the tools that raise them: decide once all are known.
        for node, code, guard in self.raises:
            exc = node.exc
            cls = exc.func if isinstance(exc, cst.Call) else exc
            name = dotted(cls) or ""
            if (self.model.qualify(cls) or "") not in PROTOCOL_ERRORS and name not in self.subclasses:
                continue
            said = _said(exc)
            if not (RATE_TEXT.search(said) or RATE_TEXT.search(guard.replace(".", " "))):
                continue
            self._report(node, code, name.rsplit(".", 1)[-1])

    def _report(self, node: cst.Raise, code: ToolCode, cls: str) -> None:
        if self._protocol_error(code):
            self.report(
                node,
                f"{code.where} raises `{cls}` for a rate limit: the client gets a JSON-RPC protocol error, "
                "not a tool result the model can read and back off from",
            )
        else:
            self.report(
                node,
                f"{code.where} raises `{cls}` for a rate limit: this SDK turns it into an isError result today, "
                "but under mcp 2.x it becomes a JSON-RPC protocol error (and fastmcp masks its text with mask_error_details)",
                severity=Severity.INFO,
            )

    def _protocol_error(self, code: ToolCode) -> bool:
        """Whether the server sends a protocol error raised in a tool as a JSON-RPC error."""
        handler = code.handler
        if handler.kind == "lowlevel-v2" or handler.framework == "mcp2":
            return True
        if handler.framework != "unknown":
            return False
        # A registrar whose server is built elsewhere: the imports tell the SDK major.
        imports = self.model.imports
        if imports.imports_any("mcp.server.mcpserver"):
            return True
        mcp2_error = any(full in ("mcp.MCPError", "mcp.shared.exceptions.MCPError") for full in imports.aliases.values())
        return mcp2_error and not imports.imports_any("fastmcp")

    VALID = [
        Valid(
            """
            from mcp.server.mcpserver import MCPServer
            from mcp.server.mcpserver.exceptions import ToolError

            server = MCPServer("search")

            @server.tool()
            async def search(q: str) -> str:
                if not limiter.allow():
                    raise ToolError("Rate limit exceeded, retry in 30 s")
                return await backend(q)
            """
        ),
        Valid(
            """
            from mcp import MCPError
            from mcp.types import INVALID_PARAMS
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("search")

            @server.tool()
            async def search(q: str, limit: int = 10) -> list:
                if limit > 100:
                    raise MCPError(code=INVALID_PARAMS, message="limit must be at most 100")
                return await backend(q, limit)
            """
        ),
        Valid(
            """
            from fastmcp.server.middleware import Middleware
            from fastmcp.server.middleware.rate_limiting import RateLimitError

            class PerToolLimit(Middleware):
                async def on_call_tool(self, context, call_next):
                    if not bucket_for(context.message.name).consume():
                        raise RateLimitError("Too many calls to this tool")
                    return await call_next(context)
            """
        ),
        Valid(
            """
            from mcp.server.mcpserver import MCPServer
            from mcp.types import CallToolResult, TextContent

            server = MCPServer("search")

            @server.tool()
            async def search(q: str) -> CallToolResult:
                if quota.exhausted():
                    return CallToolResult(content=[TextContent(type="text", text="Quota exceeded")], is_error=True)
                return CallToolResult(content=[TextContent(type="text", text=await backend(q))])
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from mcp import MCPError
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("search")

            @server.tool()
            async def search(q: str) -> str:
                if not limiter.allow():
                    raise MCPError(code=-32000, message="Rate limit exceeded, retry in 30 s")
                return await backend(q)
            """,
            line=9,
            message="tool `search` raises `MCPError` for a rate limit: the client gets a JSON-RPC protocol error",
            severity="warning",
        ),
        Invalid(
            """
            from mcp import MCPError
            from mcp.server.mcpserver import MCPServer

            class QuotaExceeded(MCPError):
                def __init__(self):
                    super().__init__(code=-32001, message="daily quota used up")

            def _check(user):
                if usage[user] > 1000:
                    raise QuotaExceeded()

            server = MCPServer("geo")

            @server.tool(name="geocode")
            async def geocode(user: str, address: str) -> dict:
                _check(user)
                return await lookup(address)
            """,
            line=10,
            message="helper `_check` called by tool `geocode`",
        ),
        Invalid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.rate_limiting import RateLimitError

            mcp = FastMCP("search")

            @mcp.tool
            async def search(q: str) -> str:
                if not throttle.try_acquire():
                    raise RateLimitError()
                return await backend(q)
            """,
            line=9,
            severity="info",
        ),
        Invalid(
            """
            from mcp.shared.exceptions import McpError
            from mcp.types import ErrorData, INTERNAL_ERROR

            def register(server):
                @server.call_tool()
                async def call_tool(name, arguments):
                    if too_many(arguments["user"]):
                        raise McpError(ErrorData(code=INTERNAL_ERROR, message="Too many requests"))
                    return await dispatch(name, arguments)
            """,
            line=8,
            severity="info",
        ),
    ]


def _names(expr: cst.CSTNode) -> Iterable[str]:
    for node in walk.walk(expr):
        if isinstance(node, (cst.Name, cst.Attribute)):
            name = dotted(node)
            if name:
                yield name


def _said(exc: cst.BaseExpression) -> str:
    """The words of a raise: class name, string parts, names (code constants)."""
    parts = list(_names(exc))
    for node in walk.walk(exc):
        text = string_value(node) if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)) else None
        if text:
            parts.append(text)
        elif isinstance(node, cst.FormattedStringText):
            parts.append(node.value)
    return " ".join(parts).replace("_", " ")


SESSION_CAPS = ("max_sessions", "session_idle_timeout")
SDK_FRAMEWORKS = ("mcp1", "mcp2", "lowlevel")
SERVER_HTTP_METHODS = {"run", "run_async", "streamable_http_app", "run_streamable_http_async", "http_app", "run_http_async"}
# Calls where `session_idle_timeout=None` switches expiry off (fastmcp's own `http_app` and
# `run` read None as "use the setting", so they are not listed).
SESSION_MANAGERS = {
    "mcp.server.streamable_http_manager.StreamableHTTPSessionManager": "stateless",
    "mcp.server.streamable_http.StreamableHTTPSessionManager": "stateless",
    "fastmcp.server.http.create_streamable_http_app": "stateless_http",
}


class SessionCapDisabled(PythonRule):
    """
    ## What it does
    Flags `max_sessions=None` or `session_idle_timeout=None` passed to the SDK's server
    constructors, `run(...)`, `streamable_http_app(...)`, `StreamableHTTPSessionManager(...)` or
    fastmcp's `create_streamable_http_app(...)` (mcp ≥ 1.30 and 2.x cap sessions at 10 000 and
    expire idle ones after 30 minutes by default).

    Not flagged: stateless servers (`stateless_http=True`: no sessions are kept), finite values,
    and fastmcp's `http_app(session_idle_timeout=None)` / `run(...)`, where None means "use the
    default setting".

    ## Why is this bad?
    Each streamable-HTTP session keeps state and tasks in the server process. Without a cap or
    an idle timeout, clients that never send `DELETE` (most of them) accumulate sessions until
    the process runs out of memory; with them, excess clients get a quick HTTP 503 and
    abandoned sessions are reclaimed.

    ## Example
    ```python
    server.run("streamable-http", max_sessions=None, session_idle_timeout=None)
    ```

    ## Use instead
    ```python
    server.run("streamable-http", max_sessions=2000, session_idle_timeout=900)
    ```
    """

    code = "MCP0303"
    name = "session-cap-disabled"
    item = 3
    severity = Severity.WARNING
    summary = "Streamable-HTTP session cap or idle timeout switched off"
    fix_hint = "Keep a finite `max_sessions` and `session_idle_timeout` (or omit them for the SDK defaults), or run stateless with `stateless_http=True`."
    requires = ("max_sessions", "session_idle_timeout")

    def visit_Call(self, node: cst.Call) -> None:
        disabled = [k for k in SESSION_CAPS if _is_none(keyword(node, k))]
        if not disabled:
            return
        stateless_key = self._stateless_key(node)
        if stateless_key is None or _is_true(keyword(node, stateless_key)):
            return
        if isinstance(node.func, cst.Attribute):
            server = self.model.server_named(dotted(node.func.value))
            if server is not None and _is_true(server.constructor_kwarg("stateless_http")):
                return
        shown = dotted(node.func) or "call"
        for key in disabled:
            what = "no limit on concurrent sessions" if key == "max_sessions" else "idle sessions never expire"
            self.report(node, f"`{shown}({key}=None)` switches the session cap off: {what}, so abandoned sessions pile up in memory")

    def _stateless_key(self, node: cst.Call) -> Optional[str]:
        """The stateless flag of the call when it configures sessions, else None."""
        qualified = self.model.qualify(node.func) or ""
        if qualified in SESSION_MANAGERS:
            return SESSION_MANAGERS[qualified]
        if SERVER_CLASSES.get(qualified) in SDK_FRAMEWORKS:
            return "stateless_http"
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in SERVER_HTTP_METHODS:
            server = self.model.server_named(dotted(node.func.value))
            if server is not None and server.framework in SDK_FRAMEWORKS:
                return "stateless_http"
        return None

    VALID = [
        Valid(
            """
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("search")
            server.run("streamable-http", max_sessions=2000, session_idle_timeout=900)
            """
        ),
        Valid(
            """
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("search")
            app = server.streamable_http_app(stateless_http=True, session_idle_timeout=None)
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("search")
            app = mcp.http_app(path="/mcp", session_idle_timeout=None)
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("search", stateless_http=True)
            app = mcp.streamable_http_app(session_idle_timeout=None)
            """
        ),
        Valid(
            """
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("search")
            cache = TTLCache(max_sessions=None)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("search")

            if __name__ == "__main__":
                server.run("streamable-http", max_sessions=None, session_idle_timeout=None)
            """,
            line=6,
            count=2,
            message="`server.run(max_sessions=None)`",
        ),
        Invalid(
            """
            from mcp.server.lowlevel import Server
            from mcp.server.streamable_http_manager import StreamableHTTPSessionManager as Manager

            app = Server("search")
            manager = Manager(app=app, json_response=True, session_idle_timeout=None)
            """,
            line=5,
            message="idle sessions never expire",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP as F

            mcp = F("search")
            starlette_app = mcp.streamable_http_app(max_sessions=None, stateless_http=False)
            """,
            line=4,
        ),
    ]


def _is_none(arg: Optional[cst.Arg]) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "None"


def _is_true(arg: Optional[cst.Arg]) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"
