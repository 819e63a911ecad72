"""Checklist item 8 for TypeScript: an HTTP server answers a health route."""

from __future__ import annotations

import re
from typing import Iterable

from mcp_lint.model import Finding
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.http import fastmcp_health_option, named_health_route
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.project import owned_elsewhere
from mcp_lint.typescript.rule import TypeScriptProjectRule
from mcp_lint_rules.project.probes import HEALTH_PATH, PythonHttp
from mcp_lint_rules.typescript.cases import RUNNER, RUNNER_LINE, RUNNER_PATH, library_alone, served_library

_QUOTED_PATH = re.compile(r"['\"`](/[\w/-]*)['\"`]")


def _shows_health_path(text: str) -> bool:
    """A quoted health path in the text (a route in a region the parser could not read, or in
    another package's source)."""
    return any(HEALTH_PATH.search(path) for path in _QUOTED_PATH.findall(text))


EXPRESS_MCP = """
    import express from "express";
    const app = express();
    {route}
    app.post("/mcp", async (req, res) => {{ await transport.handleRequest(req, res, req.body); }});
"""


class TsHttpServerWithoutHealthRoute(TypeScriptProjectRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags an express/hono/fastify app that serves MCP (a route
    handing requests to a transport) while no route anywhere in the project answers a health
    path (`/health`, `/healthz`, `/livez`, `/readyz`, `/ping`, `/status`...) or is the health
    check by its handler's name (`app.get("/", healthCheck)`) or the comment above it (`//
    Health check endpoint`), as a Python handler's name or docstring says. fastmcp's
    `httpStream` server answers `/health` itself unless its constructor says
    `new FastMCP({ ..., health: { enabled: false } })` (in any module of the project): then its
    `start()` call is flagged when no route answers a health path. A library package (no `bin`,
    start script or Dockerfile) is flagged only when a runnable package of its repository
    depends on it and no package between them quotes a health path.

    ## Example
    ```ts
    app.post("/mcp", async (req, res) => transport.handleRequest(req, res, req.body));
    app.listen(3000);
    ```

    ## Use instead
    ```ts
    app.get("/health", (_req, res) => res.json({ ok: true }));
    ```
    """

    code = "MCP0801"
    fix_hint = "Add `app.get(\"/health\", ...)` answering 200 without touching the MCP session machinery, and point the probes at it."

    VALID = (
        Valid("""
            import express from "express";
            const app = express();
            app.get("/healthz", (_req, res) => res.send("ok"));
            app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
        """, path="src/server.ts"),
        Valid("""
            import { FastMCP } from "fastmcp";
            const server = new FastMCP({ name: "x", version: "1.0.0" });
            server.start({ transportType: "httpStream", httpStream: { port: 8080 } });
        """, path="src/server.ts"),
        Valid("""
            import server from "./server.js";
            server.start({ transportType: "httpStream", httpStream: { port: Number(process.env.PORT ?? 8080) } });
        """, path="src/http.ts", files={"src/server.ts": """
            import { FastMCP } from "fastmcp";
            export default new FastMCP({ name: "x", version: "1.0.0", health: { enabled: true, path: "/livez" } });
        """}),
        # a route its comment or its handler's name calls the health check (atlassian-bitbucket's `/`)
        Valid(EXPRESS_MCP.format(route='// Health check endpoint\n            app.get("/", (_req, res) => res.send("ok"));'), path="src/server.ts"),
        Valid(EXPRESS_MCP.format(route='app.get("/", healthCheck);'), path="src/server.ts"),
        Valid(RUNNER, path=RUNNER_PATH, files=library_alone()),
        Valid(RUNNER, path=RUNNER_PATH, files=served_library("app.get('/healthz', (_req, res) => res.send('ok'));\n")),
    )
    INVALID = (
        # The health switch is a constructor option; `start()` only picks the transport.
        Invalid("""
            import { FastMCP } from "fastmcp";
            const server = new FastMCP({ name: "x", version: "1.0.0", health: { enabled: false } });
            server.start({ transportType: "httpStream", httpStream: { port: 8080 } });
        """, path="src/server.ts", line=3, message="built-in `/health` switched off"),
        Invalid("""
            import server from "./server.js";
            server.start({ transportType: "httpStream", httpStream: { port: 8080 } });
        """, path="src/http.ts", files={"src/server.ts": """
            import { FastMCP } from "fastmcp";
            export default new FastMCP({ name: "x", version: "1.0.0", health: { enabled: false } });
        """}, line=2),
        Invalid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
            app.listen(3000);
        """, path="src/server.ts", line=3),
        Invalid(RUNNER, path=RUNNER_PATH, line=RUNNER_LINE, files=served_library()),
        Invalid(EXPRESS_MCP.format(route='// Landing page\n            app.get("/", (_req, res) => res.send("ok"));'), path="src/server.ts", line=5),
        Invalid(EXPRESS_MCP.format(route='app.get("/", healthcareSearch);'), path="src/server.ts", line=4),
    )

    @classmethod
    def collect(cls, document, options):
        model = model_of(document)
        health = any(r.path and (HEALTH_PATH.search(r.path) or named_health_route(model, r)) for r in model.routes)
        if document.error_ranges():  # a route in a broken region: look for its path in the text
            health = health or _shows_health_path(document.text)
        served = [document.location(r.call) for r in model.routes if r.serves_mcp]
        return {"health": health, "served": served, "fastmcp_starts": _fastmcp_http_starts(model),
                "fastmcp_health_off": fastmcp_health_option(model) is False}

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        facts = facts_by_path.values()
        if any(f["health"] for f in facts) or owned_elsewhere(getattr(project, "root", None), _shows_health_path):
            return
        # fastmcp answers /health itself unless its constructor (maybe in another module than
        # the `start()` call) says `health: { enabled: false }`.
        starts = sorted(loc for f in facts for loc in f["fastmcp_starts"])
        if starts and not any(f["fastmcp_health_off"] for f in facts):
            return
        served = sorted(loc for f in facts for loc in f["served"])
        if served:
            yield Finding(cls.code, cls.name, cls.item, cls.severity, served[0],
                          "HTTP MCP server has no health route: probes must hit the MCP endpoint or nothing", cls.fix_hint)
        elif starts:
            yield Finding(cls.code, cls.name, cls.item, cls.severity, starts[0],
                          "fastmcp serves over HTTP with its built-in `/health` switched off (`health: { enabled: false }`) "
                          "and no route answers a health path", cls.fix_hint)


def _fastmcp_http_starts(model) -> list:
    """`server.start({ transportType: "httpStream", ... })` calls of fastmcp servers."""
    return [model.doc.location(node) for kind, node in model.transports
            if kind == "http" and model.callee(node).endswith("start") and "httpStream" in model.text(node)]


EXPRESS_SERVER = """
    import express from "express";
    import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
    const app = express();
    app.get("/healthz", (_req, res) => res.send(draining ? 503 : 200));
    app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
    app.listen(3000);
"""
FASTMCP_SERVER = """
    import { FastMCP } from "fastmcp";
    const server = new FastMCP({ name: "x", version: "1.0.0" });
    server.start({ transportType: "httpStream", httpStream: { port: 8080 } });
"""
STDIO_SERVER = """
    import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
    import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
    const server = new McpServer({ name: "x", version: "1.0.0" });
    await server.connect(new StdioServerTransport());
"""


def _pod(probe: str, port: int = 3000) -> str:
    return (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: mcp}}\nspec:\n  containers:\n    - name: server\n"
            f"      image: ghcr.io/acme/mcp:1\n      ports: [{{containerPort: {port}}}]\n{probe}")


class _HttpServing(TypeScriptProjectRule):
    """What a TS file serves over HTTP, in the shape the probe rules merge with Python's."""

    shares_facts = True
    scope = "mcp-project"  # the health route may live in a plain express module

    @classmethod
    def collect(cls, document, options):
        from mcp_lint.typescript.http import http_serving

        return PythonHttp(**vars(http_serving(model_of(document))))


class TsProbeCannotSucceed(_HttpServing):
    """
    ## What it does
    TypeScript servers count: the routes an express/hono/fastify app answers (`app.get("/healthz", ...)`),
    its MCP route and its literal `listen` port are compared with the probes like a Python
    server's. fastmcp's `httpStream` server answers `/health` (or its `health.path`) and `/ready`;
    its MCP endpoint is `/mcp` unless `httpStream.endpoint` says otherwise. Routers mounted with
    `app.use(router)`, `app.route(...)` or `register(...)` make the route list unknown.

    ## Example
    ```ts
    app.post("/mcp", handler); app.get("/healthz", health); app.listen(3000);
    ```
    with `readinessProbe: {httpGet: {path: /mcp, port: 3000}}`.

    ## Use instead
    `httpGet: {path: /healthz, port: 3000}`.
    """

    code = "MCP0802"
    VALID = (
        Valid(_pod("      readinessProbe:\n        httpGet: {path: /healthz, port: 3000}\n"), path="pod.yaml", files={"src/server.ts": EXPRESS_SERVER}),
        Valid(_pod("      readinessProbe:\n        httpGet: {path: /health, port: 8080}\n", 8080), path="pod.yaml", files={"src/server.ts": FASTMCP_SERVER}),
        Valid(_pod("      readinessProbe:\n        httpGet: {path: /status, port: 3000}\n"), path="pod.yaml",
              files={"src/server.ts": EXPRESS_SERVER.replace("app.listen", "app.use(statusRouter);\n    app.listen")}),
        Valid(_pod("      readinessProbe:\n        httpGet: {path: /, port: 3000}\n"), path="pod.yaml",  # the router is mounted elsewhere
              files={"src/mcp.ts": EXPRESS_SERVER.replace("const app = express()", "const app = express.Router()").replace('"/mcp"', '"/"')}),
        Valid(_pod("      readinessProbe:\n        httpGet: {path: /status, port: 9000}\n"), path="pod.yaml",
              files={"src/server.ts": EXPRESS_SERVER.replace("app.listen(3000)", "app.use(statusRouter);\n    app.listen(Number(process.env.PORT ?? 3000))")}),
    )
    INVALID = (
        Invalid(_pod("      readinessProbe:\n        httpGet: {path: /mcp, port: 3000}\n"), path="pod.yaml", files={"src/server.ts": EXPRESS_SERVER},
                line=10, message="MCP endpoint `/mcp`"),
        Invalid(_pod("      readinessProbe:\n        httpGet: {path: /health, port: 3000}\n"), path="pod.yaml", files={"src/server.ts": EXPRESS_SERVER},
                line=10, message="which no route of the HTTP app serves"),
        Invalid(_pod("      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n"), path="pod.yaml", files={"src/server.ts": EXPRESS_SERVER},
                message="port 8080, but the server listens on 3000"),
        Invalid(_pod("      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n"), path="pod.yaml",
                files={"src/server.ts": EXPRESS_SERVER.replace("app.listen(3000)", "http.createServer(app).listen(3000)")},
                message="port 8080, but the server listens on 3000"),
        Invalid(_pod("      readinessProbe:\n        httpGet: {path: /healthz, port: 8080}\n", 8080), path="pod.yaml",
                files={"src/server.ts": FASTMCP_SERVER.replace('version: "1.0.0"', 'version: "1.0.0", health: { path: "/livez" }')},
                message="requests `/healthz`"),
    )


class TsWorkloadWithoutProbes(_HttpServing):
    """
    ## What it does
    A TypeScript/JavaScript MCP server served over HTTP (an app route handing requests to a
    transport, fastmcp `httpStream`) makes the workloads that run it need a readiness probe or a
    healthcheck; a stdio-only server does not.

    ## Example
    A Deployment of an express MCP server with ports and no `readinessProbe`.

    ## Use instead
    `readinessProbe: {httpGet: {path: /healthz, port: 3000}}`.
    """

    code = "MCP0803"
    VALID = (
        Valid(_pod(""), path="pod.yaml", files={"src/index.ts": STDIO_SERVER}),
        Valid(_pod("      readinessProbe:\n        httpGet: {path: /healthz, port: 3000}\n"), path="pod.yaml", files={"src/server.ts": EXPRESS_SERVER}),
    )
    INVALID = (
        Invalid(_pod(""), path="pod.yaml", files={"src/server.ts": EXPRESS_SERVER}, line=6, message="has no readinessProbe"),
        Invalid("services:\n  mcp:\n    build: .\n    ports: ['8080:8080']\n", path="compose.yaml", files={"src/server.ts": FASTMCP_SERVER},
                line=2, message="service `mcp` has no healthcheck"),
    )
