"""TypeScript servers in the cross-file rules (schema snapshot, CI gates): these
implementations only *collect*, in the shape the owner rule merges (`shares_facts`), so the
owner's single check judges Python and TypeScript servers alike."""

from __future__ import annotations

from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.rule import TypeScriptProjectRule
from mcp_lint.typescript.snapshot import tools_in_document

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


class _SnapshotTools(TypeScriptProjectRule):
    """The file's statically computed tools, as the schema snapshot rules collect them."""

    shares_facts = True
    scope = "mcp-file"

    @classmethod
    def collect(cls, document, options):
        return {"tools": tools_in_document(document)}


class TsSchemaSnapshotMissing(_SnapshotTools):
    """
    ## What it does
    TypeScript tools count: a repository whose TS/JS server registers tools (`registerTool`,
    `tool`, fastmcp `addTool`, literal low-level `tools/list` entries) needs the committed
    snapshot too. `mcp-lint snapshot` writes their schemas from literal Zod shapes.

    ## Example
    ```ts
    server.registerTool("search", { inputSchema: { q: z.string() } }, handler); // no mcp-tools.snapshot.json
    ```

    ## Use instead
    Run `mcp-lint snapshot` and commit `mcp-tools.snapshot.json` and its `.sha256`.
    """

    code = "MCP0901"
    VALID = (Valid(TS_SERVER, path="src/server.ts", files={**GIT, "mcp-tools.snapshot.json": SNAPSHOT}),)
    INVALID = (Invalid(TS_SERVER, path="src/server.ts", files=GIT, line=4),)


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
