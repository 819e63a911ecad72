"""Checklist item 8 for TypeScript: an HTTP server answers a health route."""

from __future__ import annotations

import re
from typing import Iterable

from mcp_lint.model import Finding
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.project import is_library_unit
from mcp_lint.typescript.rule import TypeScriptProjectRule
from mcp_lint_rules.project.probes import HEALTH_PATH


class TsHttpServerWithoutHealthRoute(TypeScriptProjectRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags an express/hono/fastify app that serves MCP (a route
    handing requests to a transport) while no route anywhere in the project answers a health
    path (`/health`, `/healthz`, `/livez`, `/readyz`, `/ping`, `/status`...). fastmcp's
    `httpStream` server answers `/health` itself unless `health: { enabled: false }`.

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
    )
    INVALID = (
        Invalid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
            app.listen(3000);
        """, path="src/server.ts", line=3),
    )

    @classmethod
    def collect(cls, document, options):
        model = model_of(document)
        health = any(r.path and HEALTH_PATH.search(r.path) for r in model.routes)
        if document.error_ranges():  # a route in a broken region: look for its path in the text
            health = health or any(HEALTH_PATH.search(m) for m in re.findall(r"['\"`](/[\w/-]*)['\"`]", document.text))
        health = health or any(kind == "http" and "httpStream" in model.text(node) and "enabled: false" not in model.text(node) for kind, node in model.transports)
        served = [document.location(r.call) for r in model.routes if r.serves_mcp]
        return {"health": health, "served": served}

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if any(f["health"] for f in facts_by_path.values()):
            return
        served = sorted(loc for f in facts_by_path.values() for loc in f["served"])
        if served and not is_library_unit(getattr(project, "root", None)):
            yield Finding(cls.code, cls.name, cls.item, cls.severity, served[0],
                          "HTTP MCP server has no health route: probes must hit the MCP endpoint or nothing", cls.fix_hint)
