"""`mcp-lint snapshot` on TypeScript servers: literal Zod shapes become JSON Schema, code-built
schemas are marked as not captured, low-level tools/list literals are read."""

import json

from mcp_lint.cli import main

SERVER = """\
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { shared } from "./schemas.js";

const searchConfig = {
  description: "Search notes",
  inputSchema: {
    q: z.string().min(1).describe("query"),
    limit: z.number().int().max(50).default(10),
    tags: z.array(z.enum(["a", "b"])).optional(),
    mode: z.union([z.literal("fast"), z.literal("deep")]).nullable(),
  },
};
const server = new McpServer({ name: "notes", version: "1.0.0" });
server.registerTool("search", searchConfig, async ({ q }) => ({ content: [{ type: "text", text: q }] }));
server.registerTool("strict", { inputSchema: z.object({ id: z.string() }).strict() }, async ({ id }) => ({ content: [] }));
server.registerTool("imported", { inputSchema: shared }, async (args) => ({ content: [] }));
server.tool("ping", "Ping the server", async () => ({ content: [] }));

const COUNT_TOOL = { name: "count", description: "Count rows", inputSchema: { type: "object", properties: { table: { type: "string" } } } };
const low = new Server({ name: "low", version: "1" }, { capabilities: { tools: {} } });
low.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{ name: "query", description: "Run SQL", inputSchema: { type: "object", properties: { sql: { type: "string" } } } }, COUNT_TOOL],
}));

const DB_TOOLS = [{ name: "vacuum", description: "Vacuum", inputSchema: { type: "object", properties: {} } }];
const db = new Server({ name: "db", version: "1" }, { capabilities: { tools: {} } });
db.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: DB_TOOLS }));
"""


def test_snapshot_of_typescript_tools(tmp_path, monkeypatch):
    (tmp_path / "mcp-lint.toml").write_text("", encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "server.ts").write_text(SERVER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["snapshot"]) == 0
    tools = {t["name"]: t for t in json.loads((tmp_path / "mcp-tools.snapshot.json").read_text(encoding="utf-8"))["tools"]}
    # count: a module constant listed; vacuum: in a module constant array listed
    assert set(tools) == {"search", "strict", "imported", "ping", "query", "count", "vacuum"}
    search = tools["search"]
    assert search["description"] == "Search notes"
    assert search["inputSchema"] == {
        "type": "object",
        "properties": {
            "q": {"type": "string", "minLength": 1, "description": "query"},
            "limit": {"type": "integer", "maximum": 50, "default": 10},
            "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
            "mode": {"anyOf": [{"anyOf": [{"const": "fast"}, {"const": "deep"}]}, {"type": "null"}]},
        },
        "required": ["mode", "q"],
    }
    assert tools["strict"]["inputSchema"]["additionalProperties"] is False
    assert "not captured" in tools["imported"]["inputSchema"]["$comment"]
    assert tools["ping"] == {"name": "ping", "description": "Ping the server", "inputSchema": {"type": "object", "properties": {}}}
    assert tools["query"]["inputSchema"]["properties"] == {"sql": {"type": "string"}}
    assert tools["count"]["description"] == "Count rows"
    assert main(["snapshot", "--check"]) == 0
