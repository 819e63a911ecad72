"""Checklist item 3 for TypeScript: a rate limit in front of HTTP servers, bounded session maps."""

from __future__ import annotations

import re
from typing import Iterable

from mcp_lint.model import Finding, Severity
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.project import base_facts, owned_elsewhere
from mcp_lint.typescript.rule import TypeScriptProjectRule, TypeScriptRule
from mcp_lint.typescript.syntax import arguments, dotted, method_name, unwrap
from mcp_lint_rules.typescript.cases import RUNNER, RUNNER_LINE, RUNNER_PATH, library_alone, served_library

LIMITER_MODULES = re.compile(
    r"^(express-rate-limit|express-slow-down|rate-limiter-flexible|@fastify/rate-limit|fastify-rate-limit|hono-rate-limiter|"
    r"@upstash/ratelimit|limiter|bottleneck|express-brute|@nestjs/throttler|koa-ratelimit)$"
)


# A limiter function of the project's own: `rateLimit(...)`, `createRateLimiter(...)`, `throttle(...)`.
_OWN_LIMITER = re.compile(r"(?i)rate_?limit\w*\s*\(|throttle\w*\s*\(")


_LIMITER_TEXT = re.compile(LIMITER_MODULES.pattern.replace("^(", "['\"](").replace(")$", ")['\"]"))


def _shows_limiter(text: str) -> bool:
    return bool(_LIMITER_TEXT.search(text) or _OWN_LIMITER.search(text))


class TsHttpTransportWithoutRateLimit(TypeScriptProjectRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a project that serves MCP over HTTP with no rate limiter
    in its source: no `express-rate-limit`, `rate-limiter-flexible`, `@fastify/rate-limit`,
    `hono-rate-limiter`, `@upstash/ratelimit`, `express-slow-down` or similar import, and no
    function of its own named like a rate limiter. (Limits in an nginx/ingress/Caddy file in
    front are read by the deployment rules of this code.) A library package (no `bin`, start
    script or Dockerfile) is reported only when a runnable package of its repository depends on
    it: otherwise the application that imports it owns the limit.

    ## Example
    ```ts
    app.post("/mcp", async (req, res) => transport.handleRequest(req, res, req.body));
    ```

    ## Use instead
    ```ts
    app.use("/mcp", rateLimit({ windowMs: 60_000, limit: 120 }));
    ```
    """

    code = "MCP0301"
    fix_hint = "Add a limiter in front of the MCP route (`express-rate-limit`, `@fastify/rate-limit`, `hono-rate-limiter`) or at the proxy (nginx `limit_req`)."

    VALID = (
        Valid("""
            import rateLimit from "express-rate-limit";
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            app.use(rateLimit({ windowMs: 60000, limit: 100 }));
            const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        """, path="server.ts"),
        Valid(RUNNER, path=RUNNER_PATH, files=library_alone()),
        Valid(RUNNER, path=RUNNER_PATH, files=served_library("import rateLimit from 'express-rate-limit';\n")),
    )
    INVALID = (
        Invalid("""
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        """, path="server.ts", line=2),
        Invalid(RUNNER, path=RUNNER_PATH, line=RUNNER_LINE, files=served_library()),
    )

    @classmethod
    def collect(cls, document, options):
        model = model_of(document)
        facts = base_facts(model)
        if any(LIMITER_MODULES.match(module) for module, _ in model.imports.values()) or _OWN_LIMITER.search(document.text) or (
            document.error_ranges() and _LIMITER_TEXT.search(document.text)  # an import in a broken region
        ):
            facts.flags.add("limiter")
        return facts

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if any("limiter" in f.flags for f in facts_by_path.values()):
            return
        served = sorted((f.http.line, path, f.http) for path, f in facts_by_path.items() if f.http is not None)
        if served and not owned_elsewhere(getattr(project, "root", None), _shows_limiter):
            yield Finding(cls.code, cls.name, cls.item, cls.severity, served[0][2],
                          "MCP server served over HTTP with no rate limiter in the project", cls.fix_hint)


class SessionMapUnbounded(TypeScriptRule):
    """
    ## What it does
    Flags Streamable-HTTP or SSE transports stored per session in a map or object
    (`transports[sessionId] = transport`, `transports.set(id, transport)`) that nothing in the
    file ever removes (`transports.delete(id)`, `delete transports[id]`, typically in
    `transport.onclose` or `res.on("close")`). Bounded caches (`new LRUCache({ max })`) and
    stateless transports are fine.

    ## Why is this bad?
    The TypeScript SDK keeps no session cap of its own: every client that opens a session and
    goes away leaves a transport (and its server) in the map. Memory grows until the process is
    killed.

    ## Example
    ```ts
    onsessioninitialized: (id) => { transports[id] = transport; },
    ```

    ## Use instead
    ```ts
    transport.onclose = () => { if (transport.sessionId) delete transports[transport.sessionId]; };
    ```
    """

    code = "MCP0304"
    name = "session-map-unbounded"
    item = 3
    severity = Severity.WARNING
    summary = "Per-session transports kept in a map that is never evicted"
    fix_hint = "Delete the session's entry when its transport closes (`transport.onclose`), or use a bounded cache."
    requires = ("Transport",)

    VALID = (
        Valid("""
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            const transports: Record<string, StreamableHTTPServerTransport> = {};
            const transport = new StreamableHTTPServerTransport({
              sessionIdGenerator: () => randomUUID(),
              onsessioninitialized: (id) => { transports[id] = transport; },
            });
            transport.onclose = () => { if (transport.sessionId) delete transports[transport.sessionId]; };
        """, path="server.ts"),
        Valid("""
            import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
            const transports = new Map<string, SSEServerTransport>();
            const transport = new SSEServerTransport("/messages", res);
            transports.set(transport.sessionId, transport);
            res.on("close", () => transports.delete(transport.sessionId));
        """, path="server.ts"),
    )
    INVALID = (
        Invalid("""
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            const transports: Record<string, StreamableHTTPServerTransport> = {};
            const transport = new StreamableHTTPServerTransport({
              sessionIdGenerator: () => randomUUID(),
              onsessioninitialized: (id) => { transports[id] = transport; },
            });
        """, path="server.ts", line=5),
    )

    def check(self) -> None:
        model = self.model
        transport_vars = {model._assigned_name(node) for kind, node in model.transports if kind in ("http", "sse")}
        transport_vars.discard("")
        if not transport_vars:
            return
        stores = []
        for node in model.nodes("assignment_expression"):
            left = unwrap(node.child_by_field_name("left"))
            right = dotted(model.doc, node.child_by_field_name("right"))
            if left is not None and left.type == "subscript_expression" and right in transport_vars:
                stores.append((dotted(model.doc, left.child_by_field_name("object")), node))
        for call in model.nodes("call_expression"):
            if method_name(model.doc, call) == "set":
                args = arguments(call)
                if len(args) == 2 and dotted(model.doc, args[1]) in transport_vars:
                    function = call.child_by_field_name("function")
                    stores.append((dotted(model.doc, function.child_by_field_name("object")), call))
        text = self.document.text
        for container, node in stores:
            if not container:
                continue
            name = re.escape(container.rsplit(".", 1)[-1])
            if re.search(rf"{name}\s*\??\.\s*(delete|clear)\s*\(|delete\s+[\w.]*{name}\s*\[", text) or re.search(r"LRU|TTLCache|max(Size|Entries)", text):
                continue
            self.report_node(node, f"session transports stored in `{container}` are never removed: the map grows with every session")
