"""The TS model's package question: does this package build an MCP server? (mcp_lint/typescript/packages.py)"""

import textwrap

import pytest

from mcp_lint.documents.typescript import TypeScriptDocument
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.packages import PackageSignal, builds_with_bundler, is_server_package, script_chain, source_role


def role(code: str) -> str:
    doc = TypeScriptDocument("src/index.ts", textwrap.dedent(code))
    doc.parse()
    return source_role(model_of(doc))


@pytest.mark.parametrize(
    "code, expected",
    [
        ('import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'
         'export function build() { return new McpServer({ name: "x", version: "1" }); }\n', "server"),
        ('import { Server } from "@modelcontextprotocol/sdk/server/index.js";\n'
         'export const make = () => new Server({ name: "x", version: "1" }, { capabilities: {} });\n', "server"),
        ('import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'
         'export function register(server: McpServer) { server.registerTool("ping", {}, async () => ({ content: [] })); }\n', "server"),
        # A tool registered on a server a workspace library built.
        ('import type { Ctx } from "@acme/mcp-common";\n'
         'export function tools(ctx: Ctx) { ctx.registerTool("run", { description: "d" }, async () => ({ content: [] })); }\n', "server"),
        ('import { Client } from "@modelcontextprotocol/sdk/client/index.js";\n'
         'import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";\n'
         'const client = new Client({ name: "c", version: "1" });\n'
         'await client.connect(new StdioClientTransport({ command: "node", args: ["server.js"] }));\n', "client"),
        ('import { experimental_createMCPClient } from "ai";\n'
         'const mcp = await experimental_createMCPClient({ transport: { type: "sse", url: "http://x/sse" } });\n', "client"),
        # node:http's Server is no MCP server.
        ('import { Server } from "node:http";\nexport const s = new Server();\n', ""),
        ('export const title = "MCP dashboard";\n', ""),
    ],
)
def test_source_role(code, expected):
    assert role(code) == expected


def test_server_sources_win_over_client_ones_and_dependencies_decide_otherwise():
    server, client = PackageSignal("a.ts", "source", role="server"), PackageSignal("b.ts", "source", role="client")
    with_sdk = PackageSignal("package.json", "manifest", mcp_dependency=True)
    assert is_server_package([client, server])
    assert not is_server_package([client, with_sdk])  # an SDK used for the client only
    assert is_server_package([PackageSignal("c.ts", "source", role="mcp"), with_sdk])  # shared tool schemas of a server
    # Sources that use no MCP library: the dependency is unused, unless they use a workspace
    # library that may build the server.
    assert not is_server_package([PackageSignal("c.ts", "source", packages=["express"]), with_sdk])
    workspace = PackageSignal("package.json", "manifest", mcp_dependency=True, local_dependencies=["@acme/core"])
    assert is_server_package([PackageSignal("c.ts", "source", packages=["@acme/core"]), workspace])
    assert is_server_package([with_sdk])  # no sources in sight: the dependency decides
    assert not is_server_package([PackageSignal("package.json", "manifest")])


def test_bundler_builds():
    assert builds_with_bundler({"build": "npm run clean && tsup src/index.ts --dts", "clean": "rm -rf dist", "check": "tsc --noEmit"})
    assert builds_with_bundler({"build": "vite build"})
    assert not builds_with_bundler({"build": "tsc -p tsconfig.build.json"})
    # esbuild bundles the CLI, but tsc emits the image's server.
    assert not builds_with_bundler({"build": "esbuild src/cli.ts --bundle", "build:runtime": "tsc"})
    assert not builds_with_bundler({"start": "node dist/index.js"})


def test_script_chain_follows_npm_yarn_pnpm_and_stops_at_cycles():
    scripts = {"start": "npm run serve", "serve": "pnpm prod", "prod": "yarn start", "dev": "tsx src/index.ts"}
    assert script_chain(scripts, "start") == ["start", "serve", "prod"]
    assert script_chain(scripts, "missing") == []
