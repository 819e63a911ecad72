"""Checklist item 11 for TypeScript: every tool advertises a precise input schema."""

from __future__ import annotations

import re

from mcp_lint.documents.typescript import walk
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.rule import TypeScriptRule
from mcp_lint.typescript.syntax import parameters, unwrap

LOOSE_SCHEMA = re.compile(r"z\s*\.\s*(any|unknown)\s*\(\s*\)|z\s*\.\s*record\s*\(\s*z\s*\.\s*(any|unknown)\s*\(\s*\)\s*\)|\.passthrough\s*\(\s*\)|\.catchall\s*\(\s*z\s*\.\s*(any|unknown)")


def _reads_fields(model, tool, param) -> bool:
    """Whether the handler treats its first parameter as arguments (destructures it or reads a
    field that is not part of the SDK's context object)."""
    if param.type in ("object_pattern",):
        names = {model.text(c) for c in param.named_children}
        return not names <= {"signal", "sessionId", "authInfo", "requestId", "sendNotification", "sendRequest", "_meta", "requestInfo", "mcpReq", "http", "log", "session", "reportProgress"}
    if param.type != "identifier":
        return False
    name = model.text(param)
    context_fields = {"signal", "sessionId", "authInfo", "requestId", "sendNotification", "sendRequest", "_meta", "requestInfo", "mcpReq", "http", "taskStore", "session"}
    for node in walk(tool.handler):
        if node.type == "member_expression" and model.text(node.child_by_field_name("object")) == name:
            if model.text(node.child_by_field_name("property")) not in context_fields:
                return True
    return False


class TsToolWithoutInputSchema(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a tool registered with no input schema (`registerTool`
    without `inputSchema`, `server.tool(name, cb)` / `tool(name, description, cb)`) whose
    handler nevertheless reads arguments from its first parameter. Without a schema the SDK
    advertises an empty input schema and passes the callback only the request context, so the
    "arguments" it reads are the context object. Parameterless tools are fine.

    ## Example
    ```ts
    server.registerTool("search", { description: "Search notes" }, async (args) => search(args.query));
    ```

    ## Use instead
    ```ts
    server.registerTool("search", { description: "Search notes", inputSchema: { query: z.string() } },
      async ({ query }) => search(query));
    ```
    """

    code = "MCP1105"
    fix_hint = "Declare `inputSchema` (a Zod shape) for every tool that takes arguments."
    requires = ("registerTool", ".tool(")

    VALID = (
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("ping", { description: "ping" }, async (extra) => ({ content: [{ type: "text", text: String(extra.sessionId) }] }));
            server.tool("now", async () => ({ content: [{ type: "text", text: new Date().toISOString() }] }));
            server.registerTool("s", { inputSchema: { q: z.string() } }, async ({ q }) => ({ content: [] }));
        """, path="server.ts"),
    )
    INVALID = (
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("search", { description: "Search notes" }, async (args) => {
              return { content: [{ type: "text", text: await search(args.query) }] };
            });
        """, path="server.ts", line=2),
    )

    def check(self) -> None:
        model = self.model
        for tool in model.tools:
            if tool.kind != "mcp" or tool.schema is not None or tool.registration.has_error:
                continue
            params = parameters(tool.handler)
            if params and _reads_fields(model, tool, params[0]):
                self.report_node(tool.registration, f"tool `{tool.name}` has no input schema but its handler reads arguments: it receives only the request context")


class TsToolSchemaLoose(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a tool input schema that constrains nothing: `z.any()`,
    `z.unknown()`, `z.record(z.any())`, `.passthrough()` objects, or a field typed `z.any()` in
    the tool's Zod shape. `z.object({...}).strict()` and precise fields are fine; schemas
    imported from another module are not judged.

    ## Example
    ```ts
    server.registerTool("update", { inputSchema: { patch: z.any() } }, async ({ patch }) => apply(patch));
    ```

    ## Use instead
    ```ts
    server.registerTool("update", { inputSchema: { patch: PatchSchema } }, ...);
    ```
    """

    code = "MCP1106"
    fix_hint = "Describe the field precisely (`z.string()`, `z.object({...}).strict()`, `z.enum([...])`)."
    requires = ("z.",)

    VALID = (
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("s", { inputSchema: { q: z.string().min(1), limit: z.number().int().max(50) } }, async ({ q }) => ({ content: [] }));
        """, path="server.ts"),
    )
    INVALID = (
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("update", { inputSchema: { patch: z.any() } }, async ({ patch }) => ({ content: [] }));
        """, path="server.ts", line=2),
    )

    def check(self) -> None:
        model = self.model
        for tool in model.tools:
            schema = unwrap(tool.schema)
            if schema is None:
                continue
            match = LOOSE_SCHEMA.search(model.text(schema))
            if match:
                self.report_node(schema, f"input schema of `{tool.name}` uses `{match.group(0).strip()}`: it constrains nothing")
