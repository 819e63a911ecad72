"""TypeScript servers in the cross-file rules (schema snapshot, CI gates): these
implementations only *collect*, in the shape the owner rule merges (`shares_facts`), so the
owner's single check judges Python and TypeScript servers alike."""

from __future__ import annotations

from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.rule import TypeScriptProjectRule
from mcp_lint.typescript.snapshot import tools_built_at_run_time, tools_in_document

GIT = {".git/HEAD": "ref: refs/heads/main\n"}
TS_SERVER = """
    import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
    import { z } from "zod";
    const server = new McpServer({ name: "notes", version: "1.0.0" });
    server.registerTool("search", { description: "Search notes", inputSchema: { q: z.string().describe("query") } },
      async ({ q }) => ({ content: [{ type: "text", text: q }] }));
"""
SNAPSHOT = (
    '{"format": 1, "tools": [{"name": "search", "description": "Search notes", "inputSchema": '
    '{"type": "object", "properties": {"q": {"type": "string", "description": "query"}}, "required": ["q"]}}]}\n'
)
# The same tool, its handler imported: name and schema are in the registration, code elsewhere.
IMPORTED_HANDLER = TS_SERVER.replace('import { z } from "zod";', 'import { z } from "zod";\n    import { searchNotes } from "./notes.js";').replace(
    "async ({ q }) => ({ content: [{ type: \"text\", text: q }] })", "searchNotes")
NOTES_MODULE = 'export async function searchNotes({ q }: { q: string }) {\n  return { content: [{ type: "text", text: q }] };\n}\n'

# Tools named at run time: a base class every tool extends registers `this.name`.
BASE_TOOL_CLASS = """
    import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
    export abstract class BaseTool {
      abstract name: string;
      abstract run(args: unknown): Promise<unknown>;
      install(server: McpServer) {
        const config = { description: this.name, inputSchema: {} };
        return server.registerTool(this.name, config, (args: any) => this.run(args));
      }
    }
"""
# Tools registered in a loop, each handler looked up by name at run time.
HANDLER_TABLE_LOOP = """
    import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
    import { TOOLS, HANDLERS } from "./tools.js";
    const server = new McpServer({ name: "ci", version: "1.0.0" });
    TOOLS.forEach((tool) => {
      const handler = HANDLERS[tool.name];
      if (!handler) throw new Error(`no handler for ${tool.name}`);
      server.tool(tool.name, tool.description, { params: tool.inputSchema }, handler);
    });
"""
# A low-level server listing tools spread from other modules.
SPREAD_LIST = """
    import { Server } from "@modelcontextprotocol/sdk/server/index.js";
    import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
    import { INCIDENT_TOOLS, LOGS_TOOLS } from "./tools/index.js";
    const server = new Server({ name: "dd", version: "1.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: [...INCIDENT_TOOLS, ...LOGS_TOOLS],
    }));
"""

# A low-level server listing what its own methods return (QBO-MCP-TS, salesforce-mcp-ts).
METHOD_LIST = """
    import { Server } from "@modelcontextprotocol/sdk/server/index.js";
    import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
    class NotesServer {
      server = new Server({ name: "notes", version: "1.0.0" }, { capabilities: { tools: {} } });
      setup() {
        this.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: this.getToolDefinitions() }));
      }
      private getToolDefinitions() {
        return [...this.searchTools()];
      }
      private searchTools() {
        return [{ name: "search", description: "Search notes", inputSchema: { type: "object", properties: { q: { type: "string" } } } }];
      }
    }
"""

# A proxy: it lists, and forwards calls to, the tools another server answers (an IDE's).
PROXY_LIST = """
    import { Server } from "@modelcontextprotocol/sdk/server/index.js";
    import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
    const server = new Server({ name: "ide-proxy", version: "1.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      const response = await fetch(`${endpoint}/mcp/list_tools`);
      return { tools: await response.json() };
    });
    server.setRequestHandler(CallToolRequestSchema, async (request) => forward(request.params));
"""

# A generated API reference that holds the tools/list result (tools with their inputSchema).
API_REFERENCE = '{"server": {"name": "notes"}, "tools": [{"name": "search", "inputSchema": {"type": "object"}}]}\n'


class _SnapshotTools(TypeScriptProjectRule):
    """The file's statically computed tools, as the schema snapshot rules collect them."""

    shares_facts = True
    scope = "mcp-file"

    @classmethod
    def collect(cls, document, options):
        return {"tools": tools_in_document(document), "built": tools_built_at_run_time(document)}


class TsSchemaSnapshotMissing(_SnapshotTools):
    """
    ## What it does
    TypeScript tools count: a repository whose TS/JS server registers tools (`registerTool`,
    `tool`, fastmcp `addTool`, literal low-level `tools/list` entries, also
    returned by the functions or methods of its file that the handler calls) needs the committed
    snapshot too. `mcp-lint snapshot` writes their schemas from literal Zod shapes. A proxy
    whose tools/list handler `fetch`es another server's list has no tools of its own to pin.

    ## Example
    ```ts
    server.registerTool("search", { inputSchema: { q: z.string() } }, handler); // no mcp-tools.snapshot.json
    ```

    ## Use instead
    Run `mcp-lint snapshot` and commit `mcp-tools.snapshot.json` and its `.sha256`.
    """

    code = "MCP0901"
    VALID = (
        Valid(TS_SERVER, path="src/server.ts", files={**GIT, "mcp-tools.snapshot.json": SNAPSHOT}),
        Valid(TS_SERVER, path="src/server.ts", files={**GIT, "docs/api/server.json": API_REFERENCE}),  # a tools/list JSON by content
        Valid(BASE_TOOL_CLASS, path="src/tools/BaseTool.ts", files={**GIT, "test/tools.snapshot.json": API_REFERENCE}),
        Valid(SPREAD_LIST.replace("...INCIDENT_TOOLS, ...LOGS_TOOLS", ""), path="src/index.ts", files=GIT),  # lists no tools
        Valid(IMPORTED_HANDLER, path="src/server.ts", files={**GIT, "src/notes.ts": NOTES_MODULE, "mcp-tools.snapshot.json": SNAPSHOT}),
        Valid(PROXY_LIST, path="src/index.ts", files=GIT),  # no tools of its own to pin
    )
    INVALID = (
        Invalid(TS_SERVER, path="src/server.ts", files=GIT, line=4),
        Invalid(IMPORTED_HANDLER, path="src/server.ts", files={**GIT, "src/notes.ts": NOTES_MODULE}, line=5, message="`search`"),
        Invalid(TS_SERVER, path="src/server.ts", files={**GIT, "docs/api/server.json": API_REFERENCE.replace("inputSchema", "params")}),
        Invalid(BASE_TOOL_CLASS, path="src/tools/BaseTool.ts", files=GIT, line=7, message="known only at run time"),
        Invalid(SPREAD_LIST, path="src/index.ts", files=GIT, line=5, message="known only at run time"),
        Invalid(HANDLER_TABLE_LOOP, path="src/index.ts", files=GIT, line=7, message="known only at run time"),
        Invalid(METHOD_LIST, path="src/index.ts", files=GIT, line=12, message="registers 1 tool(s) (`search`)"),
    )


class TsSchemaSnapshotDrift(_SnapshotTools):
    """
    ## What it does
    TypeScript tools count: their static schemas (literal Zod shapes and objects) are compared
    with the committed snapshot like Python tools'.

    ## Example
    ```ts
    server.registerTool("search", { inputSchema: { query: z.string() } }, handler); // snapshot says `q`
    ```

    ## Use instead
    Keep the parameter, or re-run `mcp-lint snapshot` to accept the change and release it as breaking.
    """

    code = "MCP0902"
    VALID = (Valid(TS_SERVER, path="src/server.ts", files={"mcp-tools.snapshot.json": SNAPSHOT}),)
    INVALID = (
        Invalid(TS_SERVER.replace("q: z.string()", "query: z.string()").replace("({ q })", "({ query })").replace("text: q", "text: query"),
                path="src/server.ts", files={"mcp-tools.snapshot.json": SNAPSHOT}, line=4, message="q"),
        Invalid(IMPORTED_HANDLER.replace("q: z.string()", "query: z.string()"),
                path="src/server.ts", files={"src/notes.ts": NOTES_MODULE, "mcp-tools.snapshot.json": SNAPSHOT}, line=5, message="q"),
    )


NEUTRALISED = """
    name: ci
    on: [push]
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - run: npm test || true
"""


class _CiServer(TypeScriptProjectRule):
    """Whether the file is part of an MCP server, as the CI-gate rules collect it."""

    shares_facts = True
    scope = "mcp-file"

    @classmethod
    def collect(cls, document, options):
        model = model_of(document)
        if not (model.tools or model.servers or model.transports):
            return None
        node = model.tools[0].registration if model.tools else (model.transports[0][1] if model.transports else None)
        where = document.location(node) if node is not None else None
        return {"mcp": True, "tools": bool(model.tools), "where": where}


PREVIEW_PUSH = """
on:
  pull_request:
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - run: docker build -t ghcr.io/acme/notes:pr-${{ github.event.number }} . && docker push ghcr.io/acme/notes:pr-${{ github.event.number }}
"""
MANUAL_NPM_PUBLISH = """
on:
  workflow_dispatch:
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish --provenance
"""


class TsTestsNotGatingDeploy(_CiServer):
    """
    ## What it does
    A TypeScript/JavaScript MCP server makes the project an MCP server project for this check.

    ## Example
    A Node server whose release workflow pushes the image without waiting for `npm test`.

    ## Use instead
    `needs: [test]` on the release job.
    """

    code = "MCP1001"
    VALID = (  # a pull request's preview image is not a release
        Valid(PREVIEW_PUSH, path=".github/workflows/preview.yml", files={"src/server.ts": TS_SERVER}),
    )
    INVALID = (  # a hand-started npm release: reported, as advice
        Invalid(MANUAL_NPM_PUBLISH, path=".github/workflows/release.yml", files={"src/server.ts": TS_SERVER}, line=7, severity="info"),
        Invalid(MANUAL_NPM_PUBLISH.replace("workflow_dispatch:", "push:\n    tags: ['v*']"), path=".github/workflows/release.yml",
                files={"src/server.ts": TS_SERVER}, severity="warning"),
    )


PROTOCOL_CI = NEUTRALISED.replace("npm test || true", "npm test")
SDK_CLIENT_TEST = """
    import { Client } from "@modelcontextprotocol/sdk/client/index.js";
    import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
    import { server } from "../src/server.js";

    test("lists tools", async () => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const client = new Client({ name: "test", version: "1.0.0" });
      await Promise.all([client.connect(clientSide), server.connect(serverSide)]);
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["search"]);
    });
"""
UNIT_TEST = """
    import { search } from "../src/search.js";
    test("search", () => { expect(search("q")).toEqual([]); });
"""
FIXTURE = """
    import { Client } from "@modelcontextprotocol/sdk/client/index.js";
    import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
    export const test = base.extend({ client: async ({}, use) => {
      const client = new Client({ name: "test", version: "1.0.0" });
      await client.connect(new StdioClientTransport({ command: "node", args: ["dist/index.js"] }));
      await use(client);
    } });
"""
SPEC = """
    import { test, expect } from "./fixtures";
    test("search", async ({ client }) => { expect(await client.callTool({ name: "search", arguments: { q: "x" } })).toBeTruthy(); });
"""
RAW_RPC_TEST = """
    const res = await fetch(`${url}/mcp`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
"""
# saga-mcp: a test helper's own stdio client; the methods are named where it is called.
HOME_MADE_CLIENT = """
    class McpClient {
      send(method, params) { this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }) + '\\n'); }
      async callTool(name, args) { return this.send('tools/call', { name, arguments: args }); }
    }
"""


class TsNoProtocolTest(_CiServer):
    """
    ## What it does
    A TypeScript/JavaScript MCP server makes the project an MCP server project for this check,
    and TS/JS tests count as protocol tests: a file under `test/`, `tests/`, `__tests__/`, `e2e/` or
    named `*.test.ts` / `*.spec.js` / `*.e2e.ts` / `*_test.ts` (Deno) / `test-*.js` that connects the SDK `Client` over a transport
    (`StdioClientTransport`, `StreamableHTTPClientTransport`, `InMemoryTransport`...) and calls
    `listTools()` / `callTool()` (the client may come from a shared test fixture), or that sends JSON-RPC `initialize` / `tools/list` / `tools/call`
    (also through its own client: `send('tools/call', ...)` beside a `{ jsonrpc: '2.0', ... }` envelope).

    ## Example
    Vitest tests that only call the tool functions (`search("q")`).

    ## Use instead
    ```ts
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([client.connect(a), server.connect(b)]);
    expect((await client.listTools()).tools).toHaveLength(1);
    ```
    """

    code = "MCP1002"
    fix_hint = "Add a test that connects the SDK `Client` to the server (InMemoryTransport or StdioClientTransport) and calls `listTools()`/`callTool()`."
    VALID = (
        Valid(PROTOCOL_CI, path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER, "test/server.test.ts": SDK_CLIENT_TEST}),
        Valid(PROTOCOL_CI, path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER, "src/e2e.spec.js": RAW_RPC_TEST}),
        Valid(PROTOCOL_CI, path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER, "tests/fixtures.ts": FIXTURE, "tests/search.spec.ts": SPEC}),
        Valid(PROTOCOL_CI, path=".github/workflows/ci.yml", files={"src/util.ts": "export const x = 1;\n", "test/util.test.ts": UNIT_TEST}),
        # Deno's runner takes `x_test.ts` beside the code (`deno task test`)
        Valid(PROTOCOL_CI.replace("npm test", "deno task test"), path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER, "src/server_test.ts": SDK_CLIENT_TEST}),
        Valid(PROTOCOL_CI, path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER, "tests/helpers/scenario-engine.mjs": HOME_MADE_CLIENT}),
        # a client script named as a test beside the server (restaurant-ai-mcp's `test-client.js`)
        Valid(PROTOCOL_CI, path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER, "test-client.js": SDK_CLIENT_TEST}),
    )
    INVALID = (
        Invalid(PROTOCOL_CI, path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER, "test/search.test.ts": UNIT_TEST},
                line=1, message="no test opens an MCP client session"),
        Invalid(PROTOCOL_CI, path=".github/workflows/ci.yml",  # the client is built but never asked for tools
                files={"src/server.ts": TS_SERVER, "test/server.test.ts": SDK_CLIENT_TEST.replace("client.listTools()", "client.ping()")}),
        Invalid(PROTOCOL_CI, path=".github/workflows/ci.yml",  # a protocol test outside any test file is not a test
                files={"src/server.ts": TS_SERVER, "src/demo.ts": RAW_RPC_TEST}),
        Invalid(PROTOCOL_CI, path=".github/workflows/ci.yml",  # the same envelope naming no tools method
                files={"src/server.ts": TS_SERVER, "tests/helpers/scenario-engine.mjs": HOME_MADE_CLIENT.replace("'tools/call'", "'ping'")}),
        Invalid(PROTOCOL_CI, path=".github/workflows/ci.yml",  # `latest-client.js`: the name only ends in "test"
                files={"src/server.ts": TS_SERVER, "latest-client.js": SDK_CLIENT_TEST}),
        Invalid(TS_SERVER, path="src/server.ts", files={**GIT, "test/search.test.ts": UNIT_TEST}, line=4, message="reported at the server"),
    )


TOOLS_SNAPSHOT_TEST = """
    import { expect, it } from "vitest";
    import { buildTools } from "../tools";
    it("keeps the tool surface stable", () => {
      const surface = buildTools().map((t) => ({ name: t.name, required: t.inputSchema.required ?? [] }));
      expect(surface.map((tool) => tool.name)).toMatchSnapshot();
      expect(surface).toMatchSnapshot();
    });
"""


# A map of each tool's input schema under its name, and the script that compares the running
# server's tools/list with it, run as an npm script.
SCHEMA_MAP_CHECK = {
    "src/server.ts": TS_SERVER,
    "package.json": '{"name": "s", "scripts": {"validate:tool-schemas": "node scripts/capture-tool-schemas.mjs --check"}}',
    "scripts/capture-tool-schemas.mjs": "const SNAPSHOT = path.join(ROOT, 'tests', 'snapshots', 'mcp-input-schemas.json');\n",
    "tests/snapshots/mcp-input-schemas.json": '{"search": {"type": "object", "properties": {}}, "fetch": {"type": "object", "properties": {}}}',
}


class TsNoSchemaSnapshotGate(_CiServer):
    """
    ## What it does
    TypeScript tools count as tools whose snapshot CI should check.

    ## Example
    A workflow that never runs `mcp-lint snapshot --check` for a TS server with tools.

    ## Use instead
    A CI step `mcp-lint snapshot --check`.
    """

    code = "MCP1003"
    VALID = (  # a vitest snapshot of the generated tools' names and required parameters, run by `npm test`
        Valid(PROTOCOL_CI, path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER, "src/__tests__/tools.snapshot.test.ts": TOOLS_SNAPSHOT_TEST}),
        # CI runs an npm script whose Node script compares the tools with a schema map (claude-prompts-mcp)
        Valid(PROTOCOL_CI.replace("npm test", "npm run validate:tool-schemas"), path=".github/workflows/ci.yml", files=SCHEMA_MAP_CHECK),
    )
    INVALID = (
        Invalid(PROTOCOL_CI, path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER, "test/search.test.ts": UNIT_TEST}, line=1),
        # the same scripts, but no CI step runs the check
        Invalid(PROTOCOL_CI, path=".github/workflows/ci.yml", files=SCHEMA_MAP_CHECK, line=1),
        Invalid(  # a snapshot of a tool's result, in a test that lists the tools: the schemas are not pinned
            PROTOCOL_CI, path=".github/workflows/ci.yml",
            files={"src/server.ts": TS_SERVER, "test/server.test.ts": "const { tools } = await client.listTools();\nconst result = await client.callTool({ name: tools[0].name });\nexpect(result.content).toMatchInlineSnapshot();\n"},
        ),
    )


class TsDeployWithoutProbe(_CiServer):
    """
    ## What it does
    A TypeScript/JavaScript MCP server makes the project an MCP server project for this check.

    ## Example
    A deploy step of a Node server with no probe after it.

    ## Use instead
    A step that calls the deployed `/health` or lists tools after the deploy.
    """

    code = "MCP1004"


class TsGateNeutralised(_CiServer):
    """
    ## What it does
    A TypeScript/JavaScript MCP server makes the project an MCP server project for this check.

    ## Example
    `run: npm test || true` in the workflow of a Node MCP server.

    ## Use instead
    Let the test step fail the job.
    """

    code = "MCP1005"
    VALID = (Valid(NEUTRALISED, path=".github/workflows/ci.yml", files={"src/util.ts": "export const x = 1;\n"}),)
    INVALID = (Invalid(NEUTRALISED, path=".github/workflows/ci.yml", files={"src/server.ts": TS_SERVER}, line=7),)
