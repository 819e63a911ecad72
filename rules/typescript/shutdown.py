"""Checklist item 5 for TypeScript: handle SIGTERM, and drain with a deadline."""

from __future__ import annotations

import re
from typing import Iterable

from mcp_lint.model import Finding, Severity
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.project import base_facts, owned_elsewhere
from mcp_lint.typescript.rule import TypeScriptProjectRule
from mcp_lint.typescript.syntax import arguments, last_name
from mcp_lint_rules.typescript.cases import RUNNER, RUNNER_LINE, RUNNER_PATH, served_library

# Libraries that install the signal handling and the bounded drain themselves.
SHUTDOWN_LIBRARIES = re.compile(r"^(@godaddy/terminus|lightship|http-terminator|stoppable|close-with-grace|@hono/node-server)$")
SERVERLESS = re.compile(r"^(agents(/.*)?|cloudflare:.*|mcp-handler|@vercel/.*|hono/vercel|@netlify/.*|@cloudflare/.*)$")
_SIGTERM_TEXT = re.compile(r"['\"]SIGTERM['\"]|['\"](?:" + SHUTDOWN_LIBRARIES.pattern.strip("^$") + r")['\"]")
# ... or a helper named for a forced exit (`forceExit()`, `armBoundedExit(reason)` of another module:
# trace-mcp's arms an unref'd timer that calls `process.exit(1)`).
_BOUND = re.compile(r"setTimeout\(|closeAllConnections\(|closeIdleConnections\(|terminate\(|forceExit|hardExit|boundedExit|timeout", re.IGNORECASE)


# A session transport closed before the server: the SDK's `close()` ends the transport's event
# streams (`this.session.transport.close()`, `transports[sessionId].close()`).
_CLOSES_TRANSPORT = re.compile(r"\btransports?\b(\[[^\]]*\])?\s*\??\.\s*close\s*\(", re.IGNORECASE)


def node_server_calls(model) -> Iterable:
    """Calls that start a Node HTTP server (`app.listen(...)`, `http.createServer(...)`, `serve(...)`)."""
    for call in model.nodes("call_expression"):
        name = model.callee(call)
        if last_name(name) in ("listen", "createServer", "serve") and (last_name(name) == "listen" or model.imported_from(name) in ("http", "https", "node:http", "node:https", "@hono/node-server")):
            yield call


def http_servers(model) -> set:
    """Names bound to Node HTTP servers."""
    return {last_name(target) for target in map(model._assigned_name, node_server_calls(model)) if target}


def _literal_ms(model, node):
    text = model.text(node).replace("_", "")
    if re.fullmatch(r"[\d\s*.]+", text):
        value = 1.0
        for part in text.split("*"):
            value *= float(part)
        return value
    return None


class SigtermNotHandled(TypeScriptProjectRule):
    """
    ## What it does
    Flags a TypeScript/JavaScript MCP server served over HTTP (Streamable HTTP, SSE, fastmcp
    `httpStream`, an express/hono/fastify route that hands requests to a transport) whose project
    registers no `SIGTERM` handler (`process.on/once("SIGTERM", ...)`) and uses no shutdown library
    (`@godaddy/terminus`, `lightship`, `http-terminator`, `stoppable`, `close-with-grace`). Servers
    that handle only `SIGINT` (the SDK examples do) are reported too, as are those whose only
    `SIGTERM` handler is in a development script (`scripts/watch.js`). Stdio servers are not: their
    host closes stdin; nor are Workers/Vercel handlers (no process signals) unless the project also
    serves them from a Node HTTP server of its own (`createServer`, `listen`: a container entry
    point); nor library packages (no `bin` or start script, no Dockerfile) that no runnable package
    of the repository depends on: their importing application owns the process.

    ## Why is this bad?
    Platforms stop containers with SIGTERM. Without a handler Node exits at once: in-flight tool
    calls are cut mid-way, open streams drop without a final event, and pools are not closed.

    ## Example
    ```ts
    process.on("SIGINT", async () => { await server.close(); process.exit(0); });
    app.listen(3000);
    ```

    ## Use instead
    ```ts
    for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, shutdown);
    ```
    """

    code = "MCP0505"
    name = "sigterm-not-handled"
    item = 5
    severity = Severity.WARNING
    summary = "HTTP-served TypeScript MCP server does not handle SIGTERM"
    fix_hint = "Register `process.once(\"SIGTERM\", shutdown)` that stops accepting, drains with a deadline and exits."

    VALID = (
        Valid("""
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        """, path="src/server.ts", files={"src/shutdown.ts": "process.once('SIGTERM', () => process.exit(0));\n"}),
        Valid("""
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            export function mount(app) { app.post("/mcp", (req, res) => new StreamableHTTPServerTransport({}).handleRequest(req, res)); }
        """, path="src/runner.ts", files={"package.json": '{"name": "@acme/http-runner", "main": "dist/index.js", "scripts": {"build": "tsc"}}'}),
        Valid("""
            import { createMcpHandler } from "agents/mcp";
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            export default { fetch: createMcpHandler(server).fetch };
        """, path="src/worker.ts"),
        Valid(RUNNER, path=RUNNER_PATH, files=served_library("process.once('SIGTERM', () => runner.close());\n")),
        Valid("""
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            process.on("SIGINT", () => process.exit(0));
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts"),
    )
    INVALID = (
        Invalid("""
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
            process.on("SIGINT", () => process.exit(0));
        """, path="src/server.ts", line=2),
        Invalid(RUNNER, path=RUNNER_PATH, line=RUNNER_LINE, files=served_library()),
        Invalid("""
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
            process.on("SIGINT", () => process.exit(0));
        """, path="src/server.ts", line=2, files={"scripts/inspect-watch.js": "process.on('SIGTERM', () => watcher.close());\n"}),
        Invalid("""
            import { createMcpHandler } from "mcp-handler";
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
            export const POST = createMcpHandler(server);
        """, path="api/mcp.ts", line=3, files={
            "src/runtime-server.ts": "import { createServer } from 'node:http';\nimport { POST } from '../api/mcp.js';\ncreateServer(handle).listen(8000);\n",
        }),
    )

    @classmethod
    def collect(cls, document, options):
        model = model_of(document)
        facts = base_facts(model)
        tooling = "scripts" in document.path.split("/")[:-1] and facts.http is None  # a dev script's own signals
        if not tooling and (any(signal == "SIGTERM" for signal, _, _ in model.signals) or re.search(r"['\"]SIGTERM['\"]", document.text)):
            facts.flags.add("sigterm")
        if any(SERVERLESS.match(module) for module, _ in model.imports.values()):
            facts.flags.add("serverless")  # Workers, Vercel functions: the platform ends requests, no signals
        if next(iter(node_server_calls(model)), None) is not None:
            facts.flags.add("node server")  # a Node process serves the handlers: it gets the signals
        if any(SHUTDOWN_LIBRARIES.match(module) for module, _ in model.imports.values()) or (
            document.error_ranges() and re.search(SHUTDOWN_LIBRARIES.pattern.strip("^$"), document.text)
        ):
            facts.flags.add("sigterm")
        return facts

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if any("sigterm" in f.flags for f in facts_by_path.values()):
            return
        in_node = any("node server" in f.flags for f in facts_by_path.values())
        served = sorted((f.http.line, path, f.http) for path, f in facts_by_path.items() if f.http is not None and (in_node or "serverless" not in f.flags))
        if served and not owned_elsewhere(getattr(project, "root", None), _SIGTERM_TEXT.search):
            yield Finding(cls.code, cls.name, cls.item, cls.severity, served[0][2],
                          "HTTP-served MCP server registers no SIGTERM handler: a stop cuts in-flight calls", cls.fix_hint)


class TsUnboundedDrain(TypeScriptProjectRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a `SIGTERM`/`SIGINT` handler that waits for the HTTP server
    to close (`await new Promise(r => server.close(r))`, `await app.close()`) with no deadline: no
    `setTimeout(() => process.exit(1), n)` armed in the handler (or a helper named for it:
    `forceExit()`, `armBoundedExit()`), no `closeAllConnections()` /
    `closeIdleConnections()`, no terminator timeout, no MCP transport closed first. Node's
    `server.close()` waits for every open response, and an MCP event stream never ends by itself
    (checked on Node 20: one open SSE response kept `close()` pending); closing the session's
    transport (`await transport.close()`, `transports[id].close()` for each) ends its streams.
    Not flagged in a project that serves MCP over stdio only: its HTTP servers (a webhook
    receiver, a dashboard) hold no MCP streams.

    ## Example
    ```ts
    process.on("SIGTERM", async () => {
      await new Promise((resolve) => httpServer.close(resolve));
      process.exit(0);
    });
    ```

    ## Use instead
    ```ts
    process.on("SIGTERM", async () => {
      setTimeout(() => process.exit(1), 10_000).unref();
      httpServer.closeIdleConnections();
      await new Promise((resolve) => httpServer.close(resolve));
      process.exit(0);
    });
    ```
    """

    code = "MCP0503"
    fix_hint = "Arm `setTimeout(() => process.exit(1), n).unref()` and call `closeIdleConnections()` before awaiting `server.close()`."

    VALID = (
        Valid("""
            const httpServer = app.listen(3000);
            process.on("SIGTERM", async () => {
              setTimeout(() => process.exit(1), 10_000).unref();
              await new Promise((resolve) => httpServer.close(resolve));
              process.exit(0);
            });
        """, path="src/server.ts", files={"src/mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Valid("""
            const httpServer = app.listen(3000);
            process.on("SIGTERM", () => { httpServer.close(); process.exit(0); });
            process.on("SIGINT", async () => { await server.close(); process.exit(0); });
        """, path="src/server.ts", files={"src/mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Valid("""
            const httpServer = app.listen(3000);
            process.on("SIGTERM", async () => {
              for (const id of Object.keys(transports)) {
                await transports[id].close();
              }
              await new Promise<void>((resolve) => httpServer.close(() => resolve()));
              process.exit(0);
            });
        """, path="src/server.ts", files={"src/mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Valid("""
            import { armBoundedExit } from "./bounded-shutdown.js";
            const httpServer = app.listen(3000);
            process.on("SIGTERM", async () => {
              armBoundedExit("SIGTERM");
              await new Promise((resolve) => httpServer.close(resolve));
              process.exit(0);
            });
        """, path="src/server.ts", files={"src/mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Valid(  # MCP is served over stdio; the HTTP server is a webhook receiver with no MCP streams
            """
            const httpServer = webhooks.listen(3001);
            process.on("SIGTERM", async () => {
              await new Promise((resolve) => httpServer.close(resolve));
              process.exit(0);
            });
            """,
            path="src/webhooks/server.ts",
            files={"src/index.ts": "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nawait server.connect(new StdioServerTransport());\n"},
        ),
    )
    INVALID = (
        # The transport is closed only after the server has drained.
        Invalid("""
            const httpServer = app.listen(3000);
            process.on("SIGTERM", async () => {
              await new Promise((resolve) => httpServer.close(resolve));
              await transport.close();
            });
        """, path="src/server.ts", line=2, files={"src/mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Invalid("""
            const httpServer = app.listen(3000);
            async function shutdown() {
              await new Promise((resolve) => httpServer.close(resolve));
              process.exit(0);
            }
            process.on("SIGTERM", shutdown);
        """, path="src/server.ts", line=6, files={"src/mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
    )

    @classmethod
    def collect(cls, document, options):
        model = model_of(document)
        facts = base_facts(model)
        for signal, call, handler in model.signals:
            if signal not in ("SIGTERM", "SIGINT") or handler is None:
                continue
            servers = http_servers(model)
            if not servers:
                continue
            body = cls._with_helpers(model, handler)
            close = r"\b(" + "|".join(re.escape(s) for s in sorted(servers)) + r")\s*\??\.\s*close\s*\("
            awaited_close = re.search(r"(await|new Promise)[^;]*" + close, body, re.DOTALL)
            if awaited_close and not _BOUND.search(body) and not _CLOSES_TRANSPORT.search(body[: awaited_close.start()]):
                message = f"{signal} handler waits for the HTTP server to close with no deadline: open streams keep it waiting forever"
                facts.findings.append((document.location(call), message, document.snippet(call), ""))
        return facts

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        facts = facts_by_path.values()
        if any(f.stdio is not None for f in facts) and not any(f.http is not None for f in facts):
            return  # MCP is served over stdio only: the project's HTTP servers (webhooks, dashboards) hold no MCP streams
        for f in sorted(facts, key=lambda f: f.path):
            for location, message, snippet, _ in f.findings:
                yield Finding(cls.code, cls.name, cls.item, cls.severity, location, message, cls.fix_hint, snippet=snippet)

    @staticmethod
    def _with_helpers(model, handler) -> str:
        """The handler's text plus that of same-file functions it calls (one level)."""
        parts = [model.text(handler)]
        for call in model.nodes("call_expression"):
            if handler.start_byte <= call.start_byte and call.end_byte <= handler.end_byte:
                for func in model.functions_by_name.get(last_name(model.callee(call)), ()):
                    if func != handler:
                        parts.append(model.text(func))
        return "\n".join(parts)


class TsGraceNotAboveDrain(TypeScriptProjectRule):
    """
    ## What it does
    TypeScript servers count: the deadline a `SIGTERM` handler arms
    (`setTimeout(() => process.exit(1), 30_000)`) is the server's drain time, compared with the
    platform's grace period (Kubernetes `terminationGracePeriodSeconds`, compose
    `stop_grace_period`) like a Python server's drain timeout.

    ## Example
    ```ts
    process.on("SIGTERM", () => { setTimeout(() => process.exit(1), 30_000).unref(); httpServer.close(); });
    ```
    with `terminationGracePeriodSeconds: 30`.

    ## Use instead
    A deadline below the grace period (25 s), or a longer grace period.
    """

    code = "MCP0502"
    shares_facts = True
    requires = ("SIGTERM",)

    VALID = (
        Valid("""
            process.on("SIGTERM", () => { setTimeout(() => process.exit(1), 20_000).unref(); httpServer.close(); });
        """, path="src/server.ts", files={"compose.yaml": "services:\n  mcp:\n    build: .\n    stop_grace_period: 30s\n"}),
    )
    INVALID = (
        Invalid("""
            services:
              mcp:
                build: .
                stop_grace_period: 30s
        """, path="compose.yaml", message="45", files={"src/server.ts": "process.on('SIGTERM', () => { setTimeout(() => process.exit(1), 45_000).unref(); httpServer.close(); });\n"}),
    )

    @classmethod
    def collect(cls, document, options):
        from mcp_lint_rules.deploy.facts import DeployFacts, Drain

        model = model_of(document)
        drains = []
        for signal, call, handler in model.signals:
            if signal != "SIGTERM" or handler is None:
                continue
            for timer in model.nodes("call_expression"):
                if not (handler.start_byte <= timer.start_byte < handler.end_byte) or model.callee(timer) != "setTimeout":
                    continue
                args = arguments(timer)
                if len(args) >= 2 and "exit" in model.text(args[0]):
                    milliseconds = _literal_ms(model, args[1])
                    if milliseconds:
                        drains.append(Drain(milliseconds / 1000, f"`setTimeout(..., {model.text(args[1])})` in the SIGTERM handler", document.location(timer)))
        return DeployFacts(drains=drains)
