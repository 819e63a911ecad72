"""`mcp-lint inspect` on TypeScript servers (mcp_lint/inspect_ts.py): servers, tools with their
argument names (handlers in other modules through check's link pass), transports and MCP
routes, in text and JSON."""

from __future__ import annotations

import json
import textwrap

from mcp_lint.cli import main

SDK = (
    'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'
    'import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";\n'
    'import { z } from "zod";\n'
)
STDIO_SERVER = SDK + textwrap.dedent(
    """\
    const server = new McpServer({ name: "demo", version: "1.0.0" });
    server.registerTool("search", { inputSchema: { q: z.string() } }, async ({ q }) => {
      return { content: [{ type: "text", text: q }] };
    });
    await server.connect(new StdioServerTransport());
    """
)
HTTP_SERVER = textwrap.dedent(
    """\
    import express from "express";
    import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
    import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

    const app = express();
    app.use(express.json());
    app.post("/mcp", async (req, res) => {
      const server = new McpServer({ name: "web", version: "1.0.0" });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    });
    app.get("/health", (req, res) => res.send("ok"));
    app.listen(3000);
    """
)
LINKED_INDEX = SDK + textwrap.dedent(
    """\
    import { getProfile } from "./tools/profile.js";

    const server = new McpServer({ name: "linked", version: "1.0.0" });
    server.registerTool("profile", { inputSchema: { id: z.string() } }, getProfile);
    await server.connect(new StdioServerTransport());
    """
)
LINKED_HANDLER = textwrap.dedent(
    """\
    export async function getProfile({ id }: { id: string }) {
      return { content: [{ type: "text", text: id }] };
    }
    """
)


def _project(tmp_path, files):
    (tmp_path / "package.json").write_text('{"name": "demo", "type": "module"}\n', encoding="utf-8")
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _inspect(capsys, root, *extra):
    assert main(["inspect", str(root), *extra]) == 0
    return capsys.readouterr().out


def _json(capsys, root):
    return json.loads(_inspect(capsys, root, "--output-format", "json"))["typescript"]


def test_stdio_server_tool_and_transport(tmp_path, capsys):
    root = _project(tmp_path, {"src/index.ts": STDIO_SERVER})
    report = _json(capsys, root)
    assert report["modules"] == 1
    assert report["servers"] == [{"name": "server", "kind": "mcp", "declared": "new", "path": "src/index.ts", "line": 4}]
    assert report["tools"] == [{"name": "search", "kind": "mcp", "registered": "src/index.ts:5", "handler": "src/index.ts:5",
                                "arguments": ["q"], "handler_elsewhere": False}]
    assert report["transports"] == [{"kind": "stdio", "path": "src/index.ts", "line": 8}]
    assert report["routes"] == [] and report["not_read"] == []
    text = _inspect(capsys, root)
    assert text.startswith("0 Python modules and 1 TypeScript modules in the model\n\nTypeScript servers\n")
    assert "  server  [mcp]  src/index.ts:4\n" in text
    assert "  tool search(q)  [mcp]  src/index.ts:5  -> src/index.ts:5\n" in text
    assert "TypeScript transports\n  stdio  src/index.ts:8\n" in text
    assert "\nServers\n  (none found)\n" in text  # the Python sections follow, as before


def test_express_route_serving_mcp(tmp_path, capsys):
    root = _project(tmp_path, {"src/http.ts": HTTP_SERVER})
    report = _json(capsys, root)
    assert report["transports"] == [{"kind": "http", "path": "src/http.ts", "line": 9}]
    # Only the route that serves MCP: not `app.use(express.json())` nor the health route.
    assert report["routes"] == [{"app": "app", "method": "POST", "route": "/mcp", "path": "src/http.ts", "line": 7}]
    text = _inspect(capsys, root)
    assert "TypeScript routes serving MCP\n  POST /mcp  on app  src/http.ts:7\n" in text


def test_tool_whose_handler_another_module_exports(tmp_path, capsys):
    root = _project(tmp_path, {"src/index.ts": LINKED_INDEX, "src/tools/profile.ts": LINKED_HANDLER})
    report = _json(capsys, root)
    assert report["modules"] == 2
    assert report["tools"] == [{"name": "profile", "kind": "mcp", "registered": "src/index.ts:7", "handler": "src/tools/profile.ts:1",
                                "arguments": ["id"], "handler_elsewhere": True}]
    assert "  tool profile(id)  [mcp]  src/index.ts:7  -> src/tools/profile.ts:1\n" in _inspect(capsys, root)


def test_file_that_does_not_parse_is_listed_not_fatal(tmp_path, capsys):
    broken = "const = = = ;\n" + "}}}} ((( ]]] {{{ \n" * 40
    root = _project(tmp_path, {"src/index.ts": STDIO_SERVER, "src/broken.ts": broken})
    report = _json(capsys, root)
    assert report["modules"] == 1 and [t["name"] for t in report["tools"]] == ["search"]
    assert [item["path"] for item in report["not_read"]] == ["src/broken.ts"]
    assert "does not parse" in report["not_read"][0]["reason"]
    assert "TypeScript files not read\n  src/broken.ts: does not parse" in _inspect(capsys, root)


def test_json_is_sorted_and_deterministic(tmp_path, capsys):
    root = _project(tmp_path, {"src/index.ts": LINKED_INDEX, "src/tools/profile.ts": LINKED_HANDLER,
                               "src/a_stdio.ts": STDIO_SERVER, "src/http.ts": HTTP_SERVER})
    first = _inspect(capsys, root, "--output-format", "json")
    assert first == _inspect(capsys, root, "--output-format", "json")
    report = json.loads(first)["typescript"]
    assert [t["name"] for t in report["tools"]] == ["profile", "search"]
    assert [(s["path"], s["line"]) for s in report["servers"]] == [("src/a_stdio.ts", 4), ("src/http.ts", 8), ("src/index.ts", 6)]
    assert [(t["kind"], t["path"]) for t in report["transports"]] == [("stdio", "src/a_stdio.ts"), ("http", "src/http.ts"), ("stdio", "src/index.ts")]


def test_python_only_project_prints_as_before(tmp_path, capsys):
    (tmp_path / "server.py").write_text('from fastmcp import FastMCP\nmcp = FastMCP("x")\n', encoding="utf-8")
    text = _inspect(capsys, tmp_path)
    assert text.startswith("1 Python modules in the model\n\nServers\n") and "TypeScript" not in text
    assert json.loads(_inspect(capsys, tmp_path, "--output-format", "json"))["typescript"]["modules"] == 0


def test_registration_whose_handler_no_file_shows(tmp_path, capsys):
    looped = SDK + textwrap.dedent(
        """\
        import { handlers, tools } from "./table.js";
        const server = new McpServer({ name: "loop", version: "1.0.0" });
        for (const tool of tools) {
          server.tool(tool.name, tool.description, handlers[tool.name]);
        }
        """
    )
    report = _json(capsys, _project(tmp_path, {"src/index.ts": looped}))
    assert report["tools"] == [] and report["unresolved_registrations"] == [{"path": "src/index.ts", "line": 7}]
    assert "  a registration whose handler no file shows  src/index.ts:7\n" in _inspect(capsys, tmp_path)


JSON_RPC_ROUTE = """\
import express from "express";
const app = express();
app.post("/mcp", async (req, res) => {
  const msg = req.body;
  switch (msg.method) {
    case "initialize": return res.json({ jsonrpc: "2.0", id: msg.id, result: {} });
    case "tools/list": return res.json({ jsonrpc: "2.0", id: msg.id, result: { tools } });
    case "tools/call": return res.json({ jsonrpc: "2.0", id: msg.id, result: await call(msg.params) });
  }
});
"""


def test_a_json_rpc_route_written_without_an_sdk_is_a_server(tmp_path, capsys):
    root = _project(tmp_path, {"src/server.js": JSON_RPC_ROUTE})
    report = _json(capsys, root)
    assert report["servers"] == [{"name": "POST /mcp handler", "kind": "jsonrpc", "declared": "dispatch", "path": "src/server.js", "line": 8}]
    assert [(t["name"], t["kind"], t["registered"]) for t in report["tools"]] == [("tools/call", "jsonrpc", "src/server.js:8")]
    assert report["routes"] == [{"app": "app", "method": "POST", "route": "/mcp", "path": "src/server.js", "line": 3}]
    assert "  POST /mcp handler  [jsonrpc, written without an SDK]  src/server.js:8\n" in _inspect(capsys, root)
