"""Embedded-case data shared by the TypeScript project rules that leave a library package's
protections (limiter, SIGTERM handler, health route, JSON logger) to the package that runs it
(`mcp_lint.typescript.project.owned_elsewhere`)."""

from typing import Dict

# A workspace library (no `bin`, start script or Dockerfile) serving MCP over HTTP.
RUNNER_PATH = "packages/http-runners/src/runner.ts"
RUNNER = """
    import express from "express";
    import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
    export const app = express();
    app.post("/mcp", (req, res) => new StreamableHTTPServerTransport({}).handleRequest(req, res, req.body));
    console.log("mounted");
"""
RUNNER_LINE = 4  # the MCP route and its transport
_LIBRARY = {
    ".git": "gitdir: ../repo.git\n",
    "packages/http-runners/package.json": '{"name": "@acme/http-runners", "main": "dist/index.js", "scripts": {"build": "tsc"}}',
}


def library_alone() -> Dict[str, str]:
    """The library with no runnable package of its repository depending on it."""
    return dict(_LIBRARY)


def served_library(serving_source: str = "") -> Dict[str, str]:
    """The library run by the repository's `bin` package through another workspace package,
    whose source is `serving_source` (where the protection may live)."""
    files = {
        **_LIBRARY,
        "packages/cli/package.json": '{"name": "@acme/cli", "main": "dist/index.js", "dependencies": {"@acme/http-runners": "workspace:*"}}',
        "packages/server/package.json": '{"name": "acme-mcp", "bin": {"acme-mcp": "dist/cli.js"}, "dependencies": {"@acme/cli": "workspace:*"}}',
    }
    if serving_source:
        files["packages/cli/src/run.ts"] = serving_source
    return files
