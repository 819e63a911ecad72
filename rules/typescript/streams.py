"""Checklist item 12 for TypeScript: nothing in the Node server cuts a long event stream."""

from __future__ import annotations

import re
from typing import Optional

from mcp_lint.model import Severity
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.rule import TypeScriptRule
from mcp_lint.typescript.syntax import arguments, dotted, last_name, method_name, object_property, string_value, unwrap

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")


def _milliseconds(model, node, unit_default: str = "ms") -> Optional[float]:
    """A literal duration in ms (`30000`, `30_000`, `5 * 60 * 1000`, `"30s"`), None when not literal."""
    node = unwrap(node)
    if node is None:
        return None
    text = string_value(model.doc, node)
    if text is None:
        text = model.text(node).replace("_", "")
        if not re.fullmatch(r"[\d\s*.]+", text):
            return None
        try:
            value = 1.0
            for part in text.split("*"):
                value *= float(part)
        except ValueError:
            return None
        return value if unit_default == "ms" else value * 1000
    match = _DURATION.match(text)
    if match is None:
        return None
    factor = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}[match.group(2) or ("ms" if unit_default == "ms" else "s")]
    return float(match.group(1)) * factor


# Node's client calls: the request they return is one this process sends.
OUTGOING_CALLS = ("request", "get")


class SocketTimeoutCutsStream(TypeScriptRule):
    """
    ## What it does
    Flags a Node socket inactivity timeout shorter than `min-seconds` (default 300) on the server
    that carries MCP event streams: `httpServer.timeout = n`, `httpServer.setTimeout(n)`,
    `req.setTimeout(n)` / `res.setTimeout(n)`, the `connect-timeout` middleware
    (`app.use(timeout("30s"))`) and fastify's `connectionTimeout`. `requestTimeout`,
    `headersTimeout` and `keepAliveTimeout` are not reported: they bound receiving a request and
    idle keep-alive sockets, not an open response.

    ## Why is this bad?
    An SSE stream is idle between events. With `server.timeout = 1000` Node 20 reset an idle
    event stream after one second (ECONNRESET), while with `requestTimeout = 1000` the same
    stream still delivered an event after 2.5 s (measured). Long tool calls and server
    notifications are lost when the socket is cut.

    ## Example
    ```ts
    const httpServer = app.listen(3000);
    httpServer.timeout = 30_000;
    ```

    ## Use instead
    ```ts
    httpServer.timeout = 0; // streams stay open; bound request reading with requestTimeout
    ```
    """

    code = "MCP1205"
    name = "socket-timeout-cuts-stream"
    item = 12
    severity = Severity.WARNING
    summary = "Node socket timeout shorter than a long MCP stream may stay idle"
    fix_hint = "Leave `server.timeout` at 0 (or above the longest tool call); bound request reading with `requestTimeout` instead."
    options = {"min-seconds": 300}
    requires = ("timeout", "Timeout")
    scope = "mcp-project"

    VALID = (
        Valid("""
            const httpServer = app.listen(3000);
            httpServer.requestTimeout = 30_000;
            httpServer.headersTimeout = 10_000;
            httpServer.keepAliveTimeout = 5_000;
            httpServer.timeout = 0;
            setTimeout(() => process.exit(1), 10_000);
            await fetch(url, { signal: AbortSignal.timeout(5000) });
        """, path="server.ts", files={"mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Valid("""
            import * as https from "node:https";
            const req = https.request(TELEMETRY_URL, { method: "POST" });
            req.setTimeout(3000, () => req.destroy());
        """, path="telemetry.ts", files={"mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
    )
    INVALID = (
        Invalid("""
            const httpServer = app.listen(3000);
            httpServer.timeout = 30_000;
            httpServer.setTimeout(60 * 1000);
        """, path="server.ts", count=2, files={"mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Invalid("""
            import express from "express";
            const app = express();
            app.post("/mcp", (req, res) => {
              req.setTimeout(3000);
              transport.handleRequest(req, res, req.body);
            });
        """, path="server.ts", line=4, files={"mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Invalid("""
            import timeout from "connect-timeout";
            app.use(timeout("30s"));
        """, path="server.ts", line=2, files={"mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
    )

    def check(self) -> None:
        model = self.model
        floor = float(self.option("min-seconds")) * 1000
        for node in model.nodes("assignment_expression"):
            left = dotted(model.doc, node.child_by_field_name("left"))
            if left.endswith(".timeout") and re.search(r"server|http|app|listener", left.rsplit(".", 1)[0], re.IGNORECASE):
                self._judge(node, _milliseconds(model, node.child_by_field_name("right")), floor, f"`{left}`")
        for call in model.nodes("call_expression"):
            name = model.callee(call)
            method = method_name(model.doc, call)
            args = arguments(call)
            if method == "setTimeout" and "." in name and args and re.search(r"server|http|req|res|socket|app", name.rsplit(".", 1)[0], re.IGNORECASE):
                if not self._outgoing(call.child_by_field_name("function").child_by_field_name("object")):
                    self._judge(call, _milliseconds(model, args[0]), floor, f"`{name}()`")
            elif model.imported_from(name) == "connect-timeout" and args:
                self._judge(call, _milliseconds(model, args[0], unit_default="s"), floor, "connect-timeout")
            elif last_name(name) in ("fastify", "Fastify") and args:
                value = object_property(model.doc, args[0], "connectionTimeout")
                if value is not None:
                    self._judge(call, _milliseconds(model, value), floor, "fastify `connectionTimeout`")

    def _outgoing(self, receiver) -> bool:
        """`const req = https.request(...)`: a request this process sends, not a stream it serves."""
        value = self.model.resolve_value(receiver)
        if value is None or value.type != "call_expression":
            return False
        name = self.model.callee(value)
        return last_name(name) in OUTGOING_CALLS and self.model.imported_from(name).removeprefix("node:") in ("http", "https")

    def _judge(self, node, value: Optional[float], floor: float, what: str) -> None:
        if value is not None and 0 < value < floor:
            self.report_node(node, f"{what} of {value / 1000:g} s resets an idle MCP event stream")
