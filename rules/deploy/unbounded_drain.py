"""Checklist item 5: the server's drain on SIGTERM must have an upper bound."""

from __future__ import annotations

from typing import Iterable

import libcst as cst

from mcp_lint.model import Finding, Severity
from mcp_lint.python.names import dotted, keyword, positional, string_value
from mcp_lint.python.splats import splat_keywords
from mcp_lint.rule import Invalid, PythonProjectRule, Valid

from .sources import FACT_READERS

UVICORN_STARTERS = {"uvicorn.run", "uvicorn.Config", "uvicorn.main.run", "uvicorn.config.Config"}
SDK_FRAMEWORKS = {"mcp1", "mcp2"}
SDK_HTTP_RUNNERS = {"run_streamable_http_async"}  # the SSE transport answers POSTs with 202 at once
UVICORN_MESSAGE = (
    "the server answers tool calls with `json_response=True`, so each POST stays open until its tool returns, and on "
    "SIGTERM uvicorn waits for every in-flight call without limit; a slow or hung tool outlasts the grace period, "
    "SIGKILL follows and the lifespan shutdown never runs"
)


class UnboundedDrain(PythonProjectRule):
    """
    ## What it does
    Flags an MCP server served over HTTP whose drain on SIGTERM has no upper bound:
    `uvicorn.run(...)` / `uvicorn.Config(...)` without `timeout_graceful_shutdown`, a `uvicorn`
    command (Dockerfile, compose, manifest, Helm values, ECS task definition, script) without
    `--timeout-graceful-shutdown` (or `UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN` set somewhere), and the SDK's own HTTP runner
    (`mcp.run(transport="streamable-http")`, `run_sse_async()`), which cannot set it.

    Only servers that answer with `json_response=True` are flagged (the keyword on `FastMCP(...)`,
    `streamable_http_app(...)`, `run(...)` or `StreamableHTTPSessionManager(...)`, or
    `settings.json_response = True`, anywhere in the project).

    Not flagged: stdio servers; projects with no MCP server served over HTTP; servers that answer
    over event streams (the default, stateful or `stateless_http`); gunicorn and hypercorn
    (finite defaults: 30 s and 3 s); fastmcp's `run(transport="http")` (it sets a 2 s bound
    itself); calls that pass `**options` unless `options` is a dict literal of the module
    without the key.

    ## Why is this bad?
    uvicorn's `timeout_graceful_shutdown` defaults to None: after SIGTERM it waits until every
    in-flight request has finished. Event streams are not the problem: the SDK answers over
    sse-starlette, which watches uvicorn's exit flag and closes its `EventSourceResponse`
    streams on shutdown (checked in mcp 2.3.0, which requires sse-starlette >= 3.0; read in
    sse-starlette 3.7.0 and uvicorn 0.54.0). With `json_response=True`, though, a tool call is
    an ordinary request held open until the tool returns, so the drain lasts as long as the
    slowest tool call, unbounded when a tool hangs on I/O; the platform's grace period runs out,
    SIGKILL follows, and the lifespan shutdown (closing pools, flushing telemetry) is skipped.

    ## Example
    ```python
    app = mcp.streamable_http_app()
    uvicorn.run(app, host="0.0.0.0", port=8000)
    ```

    ## Use instead
    ```python
    uvicorn.run(app, host="0.0.0.0", port=8000, timeout_graceful_shutdown=20)
    ```
    For `mcp.run(transport="streamable-http")`, serve `mcp.streamable_http_app()` with uvicorn
    yourself so that the timeout can be set.
    """

    code = "MCP0503"
    scope = "mcp-project"  # the drain may be set in a module that never mentions MCP
    name = "unbounded-drain"
    item = 5
    severity = Severity.WARNING
    summary = "HTTP server drains without a time limit on SIGTERM"
    fix_hint = "Bound the drain below the platform grace period: `timeout_graceful_shutdown=N` (uvicorn.run/Config) or `--timeout-graceful-shutdown N`; serve `streamable_http_app()` with uvicorn instead of the SDK runner."
    kinds = ("python", "dockerfile", "compose", "k8s", "shell", "dotenv", "helm", "ecs")
    requires = ("uvicorn", "UVICORN", "run", "sse_app", "http_app", "json_response")

    def __init__(self, ctx):
        super().__init__(ctx)
        self._json_response = False

    def visit_Call(self, node: cst.Call) -> None:
        arg = keyword(node, "json_response")
        self._json_response = self._json_response or (arg is not None and _is_true(arg.value))

    def visit_Assign(self, node: cst.Assign) -> None:
        named = any((dotted(t.target) or "").endswith("json_response") for t in node.targets)
        self._json_response = self._json_response or (named and _is_true(node.value))

    def leave_Module(self, original_node: cst.Module) -> None:
        # Python files: the shared MCP model gives the transports and the calls that start them.
        document, findings = self.ctx.document, []
        for call, kind in self.model.transport_calls:
            message = _unbounded_call(self.model, call, kind, original_node)
            if message:
                findings.append(self.make_finding(document.location(call), message, snippet=document.snippet(call)))
        self.facts = {"findings": findings, "mcp_http": self.model.is_mcp and "http" in self.model.transports,
                      "json_response": self._json_response}

    @classmethod
    def collect(cls, document, options):
        facts = FACT_READERS[document.kind](document)
        unbounded = [launch.location for launch in facts.launches if launch.server == "uvicorn" and not launch.bounded]
        return {"launches": unbounded, "uvicorn_env": facts.uvicorn_env}

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        mcp_http = any(f.get("mcp_http") for f in facts_by_path.values())
        uvicorn_env = any(f.get("uvicorn_env") for f in facts_by_path.values())
        json_response = any(f.get("json_response") for f in facts_by_path.values())
        for facts in facts_by_path.values():
            if not json_response:
                continue
            if facts.get("mcp_http") or mcp_http:
                yield from facts.get("findings", ())
            if mcp_http and not uvicorn_env:
                for location in facts.get("launches", ()):
                    message = f"`uvicorn` is started without `--timeout-graceful-shutdown`: {UVICORN_MESSAGE}"
                    # A PythonProjectRule cannot be instantiated without a Python file: build the finding here.
                    yield Finding(cls.code, cls.name, cls.item, cls.severity, location, message, cls.fix_hint, snippet="uvicorn command")

    VALID = [
        Valid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo", stateless_http=True)

            if __name__ == "__main__":
                uvicorn.run(mcp.streamable_http_app(), host="0.0.0.0", port=8000)
            """
        ),
        Valid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")
            app = mcp.streamable_http_app()

            if __name__ == "__main__":
                uvicorn.run(app, host="0.0.0.0", port=8000, timeout_graceful_shutdown=20)
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run()
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """
        ),
        Valid(
            """
            import uvicorn
            from fastapi import FastAPI

            app = FastAPI()

            if __name__ == "__main__":
                uvicorn.run(app)
            """
        ),
        Valid(
            'FROM python:3.12-slim\nCMD ["uvicorn", "server:app", "--host", "0.0.0.0"]\n',
            path="Dockerfile",
            files={
                "server.py": "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\napp = mcp.streamable_http_app()\n",
                "compose.yaml": "services:\n  mcp:\n    build: .\n    environment:\n      UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN: '20'\n",
            },
        ),
        Valid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo", json_response=True)

            def main(**options):
                uvicorn.run(mcp.streamable_http_app(), **options)
            """
        ),
    ]
    INVALID = [
        Invalid(  # only the streamable run: the legacy SSE transport answers each POST with 202 at once
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            def main(streamable: bool) -> None:
                if streamable:
                    mcp.settings.json_response = True
                    mcp.run(transport="streamable-http")
                else:
                    mcp.run(transport="sse")
            """,
            line=8,
            count=1,
        ),
        Invalid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo", json_response=True, stateless_http=True)
            options = {"host": "0.0.0.0", "port": 8000}

            def main() -> None:
                uvicorn.run(mcp.streamable_http_app(), **options)
            """,
            line=8,
            message="each POST stays open until its tool returns",
        ),
        Invalid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo", json_response=True)
            app = mcp.streamable_http_app()

            if __name__ == "__main__":
                uvicorn.run(app, host="0.0.0.0", port=8000)
            """,
            line=8,
            message="`uvicorn.run()` has no `timeout_graceful_shutdown`",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP as Server

            mcp = Server("demo")
            mcp.settings.json_response = True

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """,
            line=7,
            message="SDK runner",
        ),
        Invalid(
            """
            import uvicorn as uv
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("demo")

            async def main() -> None:
                config = uv.Config(server.streamable_http_app(json_response=True), port=8000)
                await uv.Server(config).serve()
            """,
            line=7,
            count=1,
        ),
        Invalid(
            'FROM python:3.12-slim\nCMD ["uvicorn", "server:app", "--host", "0.0.0.0"]\n',
            path="Dockerfile",
            files={"server.py": "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x', json_response=True)\napp = mcp.streamable_http_app()\n"},
            line=2,
            message="without `--timeout-graceful-shutdown`",
        ),
    ]


def _is_true(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True"


def _may_pass(call: cst.Call, name: str, module: cst.Module) -> bool:
    """The call passes keyword `name`, or a `**splat` that may hold it."""
    return keyword(call, name) is not None or splat_keywords(call, module).may_hold(name)


def _unbounded_call(model, call: cst.Call, kind: str, module: cst.Module) -> str:
    if kind != "http":
        return ""
    qualified = model.qualify(call.func) or ""
    if qualified in UVICORN_STARTERS:
        if _may_pass(call, "timeout_graceful_shutdown", module):
            return ""
        return f"`{qualified}()` has no `timeout_graceful_shutdown`: {UVICORN_MESSAGE}"
    if not isinstance(call.func, cst.Attribute):
        return ""
    server = model.server_named(dotted(call.func.value))
    method = call.func.attr.value
    if server is None or server.framework not in SDK_FRAMEWORKS or method not in ("run", "run_async", *SDK_HTTP_RUNNERS):
        return ""
    transport = keyword(call, "transport") or (positional(call, 0) if method in ("run", "run_async") else None)
    if transport is not None and string_value(transport.value) == "sse":
        return ""
    return (
        f"the SDK runner `{method}()` serves HTTP through uvicorn with no `timeout_graceful_shutdown` and no way to set it: "
        f"{UVICORN_MESSAGE}; serve `streamable_http_app()` with uvicorn instead"
    )

