"""Checklist item 10: CI gates (tests before release, a protocol test, the schema snapshot gate,
a post-deploy probe) and gates that cannot fail."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, List, Optional

import libcst as cst

from mcp_lint import snapshot
from mcp_lint.model import Finding, Location, Severity
from mcp_lint.rule import Invalid, PythonProjectRule, Valid

from . import is_repository, project_finding
from .ci import (
    WorkflowFacts, ci_client_scripts, ci_script_texts, ci_workflow, shown, has_protocol_test, repository_location, test_texts, tested_by_scripts,
    tool_snapshot_tests, workflow_facts,
)
from .practice import compared, folder_named, protocol_scripts, protocol_steps, schema_folders, schema_maps, snapshot_files
from .schema_snapshot import PER_TOOL_SCHEMAS

SERVER = """
from fastmcp import FastMCP

mcp = FastMCP("demo")

@mcp.tool
def add(a: int, b: int) -> int:
    return a + b
"""
PROTOCOL_TEST = """
import pytest
from fastmcp import Client
from server import mcp

async def test_tools_list():
    async with Client(mcp) as client:
        assert [t.name for t in await client.list_tools()] == ["add"]
"""
# A test comparing each tool's inputSchema with `snapshots/<tool>.json`.
SCHEMA_FOLDER_TEST = """
import json
from pathlib import Path

SNAPSHOT_DIR = Path(__file__).parent / "snapshots"

async def test_schema_matches(tool):
    assert tool.inputSchema == json.loads((SNAPSHOT_DIR / f"{tool.name}.json").read_text())
"""
CI = """
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e .[test]
      - run: pytest -q
      - run: mcp-lint snapshot --check
"""
WITH_TESTS = {"server.py": SERVER, "tests/test_protocol.py": PROTOCOL_TEST}
# A test step allowed to fail once, then run again on failure by a step that can fail the job.
RETRIED = """      - id: tests
        run: pytest -q
        continue-on-error: true
      - name: Rerun the tests
        if: steps.tests.outcome == 'failure'
        run: pytest -q --last-failed
"""
# A package whose `npm test` runs a smoke script, and that script in Node: it starts the
# built server over stdio and lists its tools.
NPM_PACKAGE = '{"name": "demo", "scripts": {"test": "npm run build && npm run test:smoke", "test:smoke": "node scripts/smoke.mjs"}}'
STDIO_RPC = """
import json
import subprocess


class StdioClient:
    def __init__(self):
        self.proc = subprocess.Popen(["python", "server.py"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def rpc(self, method, params=None):
        self.proc.stdin.write(json.dumps({{"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {{}}}}) + "\\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())


def test_server():
    assert StdioClient().rpc("{method}", {{"name": "add", "arguments": {{"a": 1, "b": 2}}}})
"""
NODE_CLIENT_SCRIPT = """
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
const client = new Client({ name: "smoke", version: "1" });
await client.connect(new StdioClientTransport({ command: "node", args: ["dist/index.js"] }));
const { tools } = await client.listTools();
if (!tools.length) throw new Error("no tools");
"""
# A smoke script (not a test file) that starts the installed server and lists its tools.
CLIENT_SCRIPT = """
import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

async def main():
    async with stdio_client(StdioServerParameters(command="demo-server")) as (r, w):
        async with ClientSession(r, w) as session:
            await session.initialize()
            assert [t.name for t in (await session.list_tools()).tools] == ["add"]

anyio.run(main)
"""
# Pushes that release nothing (MCP1001): a pull request's preview image, the image the tests
# run in (test jobs `needs:` it), a copy of a third-party image; and a hand-started release.
PREVIEW_PUSH = """
on:
  pull_request:
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/acme/mcp:pr-${{ github.event.number }}
"""
CI_IMAGE_PUSH = """
on: [push]
jobs:
  ci-image:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          file: Dockerfile.test
          push: true
  unit:
    needs: [ci-image]
    runs-on: ubuntu-latest
    container: ghcr.io/acme/mcp-ci:latest
    steps:
      - run: pytest -q
"""
MIRROR_PUSH = """
on:
  schedule:
    - cron: "0 3 * * 0"
jobs:
  copy:
    runs-on: ubuntu-latest
    steps:
      - run: |
          SRC=redis:7
          docker pull "$SRC"
          docker tag "$SRC" "ghcr.io/acme/$SRC"
          docker push "ghcr.io/acme/$SRC"
"""
MANUAL_PUBLISH = """
on:
  workflow_dispatch:
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: uv build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


BUN_PUBLISH = """on:
  release:
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: bun run test
      - run: npm publish --provenance
"""

CHECKING_PACKAGE = '{"name": "ris", "scripts": {"test": "vitest run", "check": "pnpm run lint && pnpm run test", "lint": "eslint ."}}'

EXPRESSION_PUSH = """on:
  push:
    branches: [main]
  pull_request:
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v6
        with:
          push: ${{ github.event_name != 'pull_request' }}
"""


LOWLEVEL_BRIDGE = """\
from mcp.server.lowlevel import Server
from mcp.types import Tool

server = Server("bridge")


@server.list_tools()
async def list_tools():
    return {listing}


@server.call_tool()
async def call_tool(name, arguments):
    return await upstream.call_tool(name, arguments)
"""


class _CiFacts(PythonProjectRule):
    """Shared collection: the MCP server (Python files) and the workflows."""

    kinds = ("python", "workflow")
    needs = ("mcp code",)  # a Python file's facts are its server (`is_mcp`)

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self.model.is_mcp:
            return
        node = next((s.call for s in self.model.servers if s.call is not None), None)
        node = node or next((h.function.name for h in self.model.handlers.values()), None)
        where = self.ctx.document.location(node) if node is not None else None
        self.facts = {"mcp": True, "tools": self._has_tools(original_node), "where": where}

    def _has_tools(self, module: cst.Module) -> bool:
        """Tools of its own: registered ones, or `Tool(...)` objects a module lists for a
        low-level server (a proxy forwarding other servers' tools has none to snapshot)."""
        if any(h.kind == "tool" for h in self.model.handlers.values()):
            return True
        locate = self.ctx.document.location
        return bool(snapshot.tools_in_module(module, self.model, locate) or snapshot.tools_built_at_run_time(self.model, locate))

    @classmethod
    def collect(cls, document, options):
        return document.derived(workflow_facts)

    @staticmethod
    def workflows(facts_by_path) -> List[WorkflowFacts]:
        return [f for f in facts_by_path.values() if isinstance(f, WorkflowFacts) and f.active]

    @staticmethod
    def servers(facts_by_path) -> List[dict]:
        return [f for f in facts_by_path.values() if isinstance(f, dict) and f.get("mcp")]

    @classmethod
    def server_location(cls, facts_by_path) -> Optional[Location]:
        found = sorted(f["where"] for f in cls.servers(facts_by_path) if f.get("where") is not None)
        return found[0] if found else None


class TestsNotGatingDeploy(_CiFacts):
    """
    ## What it does
    Flags a workflow step that publishes or deploys (`docker push`, `docker/build-push-action`
    with `push: true` or an expression that may be true, such as
    `${{ github.event_name != 'pull_request' }}`, `twine upload`, `uv publish`, `npm`/`pnpm`/`yarn`/`bun publish`,
    `kubectl apply`, `helm upgrade`,
    `flyctl deploy`, `gcloud run deploy`, deploy actions) in a job that neither runs tests
    earlier (pytest, tox, nox, `npm test`...) nor depends through `needs:` on a job that does.
    GitLab jobs without `needs:` wait for the earlier stages, which counts.

    A release is what publishes this repository's package or image, or deploys it. Not flagged,
    because they release nothing: `mcp-publisher publish` (the server's metadata in the MCP
    registry, pointing at a package released elsewhere); workflows triggered only by pull requests (preview images of
    unmerged code); a push from a job that test jobs `needs:` (the image CI runs in, or the
    candidate the tests check before a later job promotes it); pushing an image the job pulled
    and did not build (a mirror of a third-party image); a line that only prints (`echo
    "skipping npm publish"`). Node's own runner (`node --test`) counts as a test run, and so do
    the package's npm scripts a step runs when they run the tests (`pnpm run check` where
    `check` runs `pnpm run test`), and `npm publish` whose `prepublishOnly`, `prepack` or
    `prepare` script does (package.json is read, never run). Not
    flagged either: workflows triggered
    by `workflow_run` (they run after another workflow, usually the CI one, has finished);
    projects without an MCP server. A workflow that only runs when started by hand
    (`workflow_dispatch`) or by another workflow (`workflow_call`) is reported at info severity:
    a person chooses what to release and the tests may have passed on it elsewhere, but nothing
    in the pipeline makes sure.

    ## Why is this bad?
    A release that does not wait for the tests ships whatever was pushed, broken or not; the
    tests then only report after the damage.

    ## Example
    ```yaml
    jobs:
      test: {runs-on: ubuntu-latest, steps: [{run: pytest}]}
      release:
        runs-on: ubuntu-latest
        steps: [{run: docker push ghcr.io/acme/mcp:latest}]
    ```

    ## Use instead
    ```yaml
      release:
        needs: [test]
        runs-on: ubuntu-latest
        steps: [{run: docker push ghcr.io/acme/mcp:latest}]
    ```
    """

    code = "MCP1001"
    name = "tests-not-gating-deploy"
    item = 10
    severity = Severity.WARNING
    summary = "Release or deploy step does not wait for the tests"
    fix_hint = "Make the job `needs:` the test job (or run the tests earlier in the same job)."

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if cls.servers(facts_by_path):
            for workflow in cls.workflows(facts_by_path):
                for issue in workflow.ungated:
                    if any(tested_by_scripts(Path(folder), issue.commands) for folder in dict.fromkeys((project.root, project.repository or project.root))):
                        continue  # `pnpm run check` (its script runs the tests), `npm publish` with a testing `prepublishOnly`
                    finding = project_finding(cls, issue.location, issue.message)
                    yield finding.with_severity(Severity.INFO) if issue.manual else finding

    VALID = [
        Valid(CI + "  release:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push ghcr.io/acme/mcp:1\n", path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        Valid(  # Deno's test runner gates the publish in the same job
            "on: push\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno task test\n      - run: docker push ghcr.io/acme/mcp:1\n",
            path=".github/workflows/ci.yml", files={"server.py": SERVER},
        ),
        Valid(
            "on:\n  workflow_run:\n    workflows: [ci]\n    types: [completed]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: flyctl deploy\n",
            path=".github/workflows/deploy.yml",
            files={"server.py": SERVER},
        ),
        Valid(
            "stages: [test, deploy]\nunit:\n  stage: test\n  script:\n    - pytest\nship:\n  stage: deploy\n  script:\n    - kubectl apply -f k8s/\n",
            path=".gitlab-ci.yml",
            files={"server.py": SERVER},
        ),
        Valid(
            "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: false\n",
            path=".github/workflows/build.yml",
            files={"server.py": SERVER},
        ),
        Valid(CI + "  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push ghcr.io/acme/mcp:1\n", path=".github/workflows/ci.yml", files={"app.py": "print('not mcp')\n"}),
        Valid(PREVIEW_PUSH, path=".github/workflows/preview.yml", files={"server.py": SERVER}),
        Valid(CI_IMAGE_PUSH, path=".github/workflows/tests.yml", files={"server.py": SERVER}),
        Valid(MIRROR_PUSH, path=".github/workflows/mirror.yml", files={"server.py": SERVER}),
        Valid(BUN_PUBLISH, path=".github/workflows/cd.yml", files={"server.py": SERVER}),  # `bun run test` is a test run
        # The MCP registry entry is metadata about a package released elsewhere, not code.
        Valid(BUN_PUBLISH.replace("bun run test", "./mcp-publisher login github-oidc").replace("npm publish --provenance", "./mcp-publisher publish"),
              path=".github/workflows/registry.yml", files={"server.py": SERVER}),
        Valid(EXPRESSION_PUSH.replace("github.event_name != 'pull_request'", "false"), path=".github/workflows/docker.yml", files={"server.py": SERVER}),
        # Node's own test runner gates the publish (sdl-mcp's grammar wrappers).
        Valid(BUN_PUBLISH.replace("bun run test", "node --experimental-strip-types --test tests/unit/manifest.test.ts"),
              path=".github/workflows/cd.yml", files={"server.py": SERVER}),
        # The tests run through the package's scripts: a script that runs them, or the
        # `prepublishOnly` hook `npm publish` runs first (ris-mcp-ts).
        Valid(BUN_PUBLISH.replace("bun run test", "pnpm run check"), path=".github/workflows/cd.yml",
              files={"server.py": SERVER, "package.json": CHECKING_PACKAGE}),
        Valid(BUN_PUBLISH.replace("bun run test", "pnpm build"), path=".github/workflows/cd.yml",
              files={"server.py": SERVER, "package.json": CHECKING_PACKAGE.replace('"lint": "eslint ."', '"lint": "eslint .", "prepublishOnly": "pnpm run check"')}),
        # A job that only says it skips publishing.
        Valid(BUN_PUBLISH.replace("bun run test", "bun run build").replace("npm publish --provenance", "echo \"Version exists, skipping npm publish.\""),
              path=".github/workflows/cd.yml", files={"server.py": SERVER}),
    ]
    INVALID = [
        Invalid(CI + "  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push ghcr.io/acme/mcp:1\n", path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=14, message="job `release` runs `docker push`"),
        Invalid(BUN_PUBLISH.replace("bun run test", "bun run build"), path=".github/workflows/cd.yml", files={"server.py": SERVER}, line=8, message="runs `npm publish`"),
        # `node --version` is no test; an echo beside a real publish does not hide it.
        Invalid(BUN_PUBLISH.replace("bun run test", "node --version").replace("npm publish --provenance", "|\n          echo publishing\n          npm publish"),
                path=".github/workflows/cd.yml", files={"server.py": SERVER}, line=8, message="runs `npm publish`"),
        Invalid(  # `npm ci` installs: the package's `ci` script (which tests) is not run
            BUN_PUBLISH.replace("bun run test", "npm ci"), path=".github/workflows/cd.yml",
            files={"server.py": SERVER, "package.json": CHECKING_PACKAGE.replace('"lint": "eslint ."', '"lint": "eslint .", "ci": "npm run test"')},
            line=8, message="runs `npm publish`",
        ),
        Invalid(  # scripts that do not run the tests
            BUN_PUBLISH.replace("bun run test", "pnpm run lint"), path=".github/workflows/cd.yml",
            files={"server.py": SERVER, "package.json": CHECKING_PACKAGE.replace('"lint": "eslint ."', '"lint": "eslint .", "prepublishOnly": "pnpm run lint"')},
            line=8, message="runs `npm publish`",
        ),
        Invalid(  # a pnpm release with no test before it
            BUN_PUBLISH.replace("bun run test", "pnpm build").replace("npm publish --provenance", "pnpm publish --access public"),
            path=".github/workflows/cd.yml", files={"server.py": SERVER}, message="runs `pnpm publish`",
        ),
        Invalid(  # pushes on the main branch and tags, where the expression is true
            EXPRESSION_PUSH, path=".github/workflows/docker.yml", files={"server.py": SERVER}, line=10,
            message="with `push: ${{ github.event_name != 'pull_request' }}`",
        ),
        Invalid(
            "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n      - run: pytest\n",
            path=".github/workflows/build.yml",
            files={"server.py": SERVER},
            line=6,
        ),
        Invalid(
            "stages: [test, deploy]\nunit:\n  stage: test\n  script:\n    - pytest\nship:\n  stage: deploy\n  needs: []\n  script:\n    - kubectl apply -f k8s/\n",
            path=".gitlab-ci.yml",
            files={"server.py": SERVER},
            line=10,
        ),
        Invalid(MANUAL_PUBLISH, path=".github/workflows/publish.yml", files={"server.py": SERVER}, line=8, severity="info", message="started by hand"),
        Invalid(  # a push that no test job waits for is a release even when it sits beside the tests
            CI_IMAGE_PUSH.replace("    needs: [ci-image]\n", ""), path=".github/workflows/tests.yml", files={"server.py": SERVER}, line=6, severity="warning",
        ),
        Invalid(MIRROR_PUSH.replace("docker pull \"$SRC\"", "docker build -t \"$SRC\" ."), path=".github/workflows/mirror.yml", files={"server.py": SERVER}),
    ]


class NoProtocolTest(_CiFacts):
    """
    ## What it does
    Flags a repository with an MCP server where no test opens an MCP client session
    (`fastmcp.Client(...)`, `mcp.Client(...)`, `ClientSession(...)`,
    `create_connected_server_and_client_session`, `streamablehttp_client`, `stdio_client`) and
    no workflow or test runs the MCP Inspector CLI (`--method tools/list`, also as a test's
    argument list), nor does a test runner's configuration start the
    Inspector for browser tests (as Playwright's `webServer` does). A test that sends JSON-RPC
    `initialize`, `tools/list` or `tools/call` over HTTP counts too, in a test file, a CI step or a shell script of the
    repository (`curl ... -d '{"jsonrpc": "2.0", "method": "tools/list", ...}'`), and so does
    a script that a CI step runs, itself (`python scripts/smoke.py`) or through the package's
    npm scripts (`npm test` -> `node scripts/mcp-smoke-test.mjs`), when it opens a client
    session (`stdio_client` + `ClientSession`, `fastmcp.Client`, the TS SDK's `Client`). Test files
    and scripts are read from disk (bounded in number and size), never run. The finding is
    repository-level: it is reported at the workflow that runs the tests (else the first
    workflow), else at pyproject.toml, else at the server, and says so; only in a repository
    (a `.git` folder or CI workflows at the project root, or above it when the run spans that
    repository). The workflows at a repository's root count for a server in a sub-package.

    ## Why is this bad?
    Unit tests of the tool functions do not exercise what clients see: registration, schema
    generation, argument validation, error mapping and the protocol handshake. A test through a
    real client session catches a server that imports fine but lists no tools or rejects calls.

    ## Example
    Tests that call `add(1, 2)` directly.

    ## Use instead
    ```python
    async def test_tools():
        async with fastmcp.Client(mcp) as client:   # in memory, no network
            assert (await client.call_tool("add", {"a": 1, "b": 2})).data == 3
    ```
    """

    code = "MCP1002"
    name = "no-protocol-test"
    item = 10
    severity = Severity.INFO
    summary = "No test talks to the server through an MCP client session"
    fix_hint = "Add a test that opens a client session on the server (fastmcp.Client(mcp), mcp's ClientSession) and lists/calls tools."

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if not cls.servers(facts_by_path) or not is_repository(project):
            return
        workflows, root = cls.workflows(facts_by_path), Path(project.root)
        commands = [c for w in workflows for c in w.commands]
        if any(w.runs_inspector for w in workflows) or protocol_steps(commands):
            return
        # Repository-level: a protocol test anywhere in the repository counts (an example
        # server in `examples/x/` of a repository whose main server is tested is not flagged).
        for folder in dict.fromkeys((root, Path(project.repository or root))):
            if has_protocol_test(folder) or protocol_scripts(folder) or ci_client_scripts(folder, commands):
                return
        location, where = repository_location(workflows, root, cls.server_location(facts_by_path))
        if location is not None:
            yield project_finding(cls, location, f"no test opens an MCP client session on the server ({where})")

    VALID = [
        Valid(CI, path=".github/workflows/ci.yml", files=WITH_TESTS),
        # a test fixture driving the server over stdio with JSON-RPC it writes itself (mcp-server-kicad)
        Valid(CI, path=".github/workflows/ci.yml", files={"server.py": SERVER, "tests/conftest.py": STDIO_RPC.format(method="tools/call")}),
        Valid(
            CI,
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "tests/test_http.py": "from mcp import ClientSession\nfrom mcp.client.streamable_http import streamablehttp_client\n"},
        ),
        Valid(CI.replace("pytest -q", "npx @modelcontextprotocol/inspector --cli python server.py --method tools/list"), path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        Valid(CI, path=".github/workflows/ci.yml", files={"app.py": "print('no server here')\n"}),
        Valid(  # browser tests drive the MCP Inspector, which Playwright starts, against the server
            CI.replace("pytest -q", "npx playwright test"), path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "playwright.config.ts": "export default { webServer: [{ command: 'npx @modelcontextprotocol/inspector', port: 6274 }] };\n"},
        ),
        Valid("[project]\nname = 'demo'\n", path="pyproject.toml", files={"server.py": SERVER}),
        Valid(
            CI.replace("pytest -q", """curl -sf -X POST localhost:8000/mcp -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'"""),
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER},
        ),
        Valid(
            CI,
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "scripts/smoke.sh": "#!/bin/sh\ncurl -sf \"$URL/mcp\" -d '{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {}}'\n"},
        ),
        Valid(  # a CI step runs a script that opens a client session over stdio
            CI.replace("pytest -q", "uv run python scripts/check_wheel.py"), path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "scripts/check_wheel.py": CLIENT_SCRIPT},
        ),
        Valid(  # `npm test` runs a Node script that opens a client session (tacticlaunch/mcp-linear)
            CI.replace("pytest -q", "npm test"), path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "package.json": NPM_PACKAGE, "scripts/smoke.mjs": NODE_CLIENT_SCRIPT},
        ),
        Valid(  # a repository-level finding goes to the workflow that runs the tests
            "on: pull_request_target\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n",
            path=".github/workflows/a-labeler.yml",
            files={"server.py": SERVER, ".github/workflows/ci.yml": CI},
        ),
    ]
    INVALID = [
        Invalid(CI, path=".github/workflows/ci.yml", files={"server.py": SERVER, "tests/test_add.py": "from server import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"}, line=1, message="reported at the workflow"),
        Invalid(CI, path=".github/workflows/ci.yml", files={"server.py": SERVER, "tests/conftest.py": STDIO_RPC.format(method="ping")}, line=1),
        Invalid(  # the client script exists but no CI step runs it
            CI, path=".github/workflows/ci.yml", files={"server.py": SERVER, "scripts/check_wheel.py": CLIENT_SCRIPT},
        ),
        Invalid(  # `npm test` runs a Node script that only imports the build
            CI.replace("pytest -q", "npm test"), path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "package.json": NPM_PACKAGE, "scripts/smoke.mjs": 'import "../dist/index.js";\n'},
        ),
        Invalid(
            CI,
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "scripts/smoke.sh": "#!/bin/sh\ncurl -sf \"$URL/health\"\n",
                   ".github/workflows/a-labeler.yml": "on: pull_request_target\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n"},
            message="reported at the workflow `.github/workflows/ci.yml`",
        ),
        Invalid("[project]\nname = 'demo'\n", path="pyproject.toml", files={"server.py": SERVER, ".git/HEAD": "ref: refs/heads/main\n"}, message="no CI workflow"),
        Invalid(
            CI,
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "tests/test_http.py": "import httpx\n\ndef test_root():\n    assert httpx.Client().get('http://x').status_code\n"},
        ),
        Invalid(  # Playwright tests of a web page, no Inspector
            CI.replace("pytest -q", "npx playwright test"), path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "playwright.config.ts": "export default { webServer: [{ command: 'npm run dev', port: 5173 }] };\n"},
        ),
    ]


class NoSchemaSnapshotGate(_CiFacts):
    """
    ## What it does
    Flags a repository with MCP tools of its own (registered tools, or `Tool(...)` objects a
    low-level server lists; a bridge forwarding other servers' tools has none) and CI workflows
    where no workflow step runs the schema
    snapshot gate `mcp-lint snapshot --check` (or one of the commands in the `commands`
    option), and no CI step or test reads a committed snapshot in the checklist's own form (a
    `schema-snapshot.sha256` checked with `sha256sum -c`, a `tools/list` JSON, by name or by
    content, with `inputSchema` or, as `model_dump()` writes it, `input_schema`, or a JSON object
    of each tool's input schema under its name, that a step, a script a step runs (directly or
    through an npm script: `npm run validate:tool-schemas` -> `node scripts/capture.mjs --check`)
    regenerates or a test compares), and no test pins the tools' schemas
    with a snapshot matcher (vitest/jest `toMatchSnapshot` on the tools' `inputSchema`, syrupy's
    `== snapshot`). Reported at the workflow that runs the tests. A workflow file whose every
    line is commented out is not a workflow.

    ## Why is this bad?
    A committed snapshot only protects clients when CI compares it with the code: without the
    gate a renamed tool or retyped parameter merges without anyone reviewing the API change.

    ## Example
    A workflow that runs `pytest` and `ruff` only.

    ## Use instead
    ```yaml
      - run: mcp-lint snapshot --check
    ```

    ## Options
    - `commands`: other commands that count as the gate (substrings of a step's script).
    """

    code = "MCP1003"
    name = "no-schema-snapshot-gate"
    item = 10
    severity = Severity.INFO
    summary = "No CI workflow runs the schema snapshot check"
    fix_hint = "Add a CI step `mcp-lint snapshot --check` (after committing the snapshot with `mcp-lint snapshot`)."
    options = {"commands": []}

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        workflows = cls.workflows(facts_by_path)
        if not workflows or not any(f.get("tools") for f in cls.servers(facts_by_path)):
            return
        extra = list(cls.project_option(project, "commands"))
        commands = [c for w in workflows for c in w.commands]
        for command in commands:
            if any(c in command for c in extra) or any("mcp-lint snapshot" in l and "--check" in l for l in command.splitlines()):
                return
        # Repository-level, like the workflows: a sub-package's unit sees the gate at the root.
        root = Path(project.root)
        for folder in dict.fromkeys((root, Path(project.repository or root))):
            snapshots = [*snapshot_files(folder), *(path for path, _ in schema_maps(str(folder)))]
            steps = [*commands, *(text for _, text in ci_script_texts(folder, commands))]
            if compared(snapshots, steps, test_texts(folder)):
                return  # a committed snapshot that a step, a script a step runs, or a test reads
            if any(folder_named(schemas, test_texts(folder)) for schemas, _ in schema_folders(str(folder))):
                return  # per-tool schema files a test reads from their folder
        if tool_snapshot_tests(root):
            return  # this package's tests pin its tools with a committed snapshot (`toMatchSnapshot`)
        first = ci_workflow(workflows)
        message = f"no workflow runs `mcp-lint snapshot --check`, so tool schema changes merge unreviewed (reported at `{shown(first)}`)"
        yield project_finding(cls, Location(first, 1, 1, 1, 1), message)

    VALID = [
        Valid(CI, path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        Valid(CI.replace("mcp-lint snapshot --check", "make schema-check"), path=".github/workflows/ci.yml", files={"server.py": SERVER}, options={"commands": ["make schema-check"]}),
        Valid(CI.replace("mcp-lint snapshot --check", "ruff check ."), path=".github/workflows/ci.yml", files={"server.py": "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('no tools yet')\n"}),
        Valid(  # a bridge: its low-level handlers forward the tools of the servers it is configured with
            CI.replace("mcp-lint snapshot --check", "ruff check ."), path=".github/workflows/ci.yml",
            files={"server.py": LOWLEVEL_BRIDGE.format(listing="await upstream.list_tools()")},
        ),
        Valid(
            "test:\n  script:\n    - pytest\n    - mcp-lint snapshot --check\n",
            path=".gitlab-ci.yml",
            files={"server.py": SERVER},
        ),
        Valid(
            CI.replace("mcp-lint snapshot --check", "python scripts/dump_tools.py | sha256sum -c schema-snapshot.sha256"),
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "schema-snapshot.sha256": "3f1c0a  -\n"},
        ),
        Valid(
            CI.replace("mcp-lint snapshot --check", "ruff check ."),
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "tests/tools_list.json": "{}\n",
                   "tests/test_schema.py": "import json, pathlib\n\ndef test_tools_unchanged(tools):\n    assert tools == json.loads(pathlib.Path(__file__).with_name('tools_list.json').read_text())\n"},
        ),
        Valid(  # CI regenerates a reference that holds the tools/list result and fails on a diff
            CI.replace("mcp-lint snapshot --check", "python docs/gen.py > docs/api/reference.json && git diff --exit-code -- docs/api"),
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "docs/api/reference.json": '{"tools": [{"name": "add", "inputSchema": {"type": "object"}}]}\n'},
        ),
        Valid(  # a snapshot test of the generated tools (committed __snapshots__)
            CI.replace("mcp-lint snapshot --check", "npm test"),
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "src/__tests__/tools.snapshot.test.ts":
                   "it('keeps the tool surface', () => {\n  expect(tools.map(t => [t.name, t.inputSchema.required])).toMatchSnapshot()\n})\n"},
        ),
        Valid(  # per-tool schema files a test reads from their folder
            CI.replace("mcp-lint snapshot --check", "pytest"), path=".github/workflows/ci.yml",
            files={"server.py": SERVER, **PER_TOOL_SCHEMAS, "tests/test_schemas.py": SCHEMA_FOLDER_TEST},
        ),
        Valid(  # the only workflow is commented out line by line: there is no CI to add the gate to
            "# name: release\n# on:\n#   push:\n# jobs:\n#   build:\n#     steps:\n#       - run: pytest\n",
            path=".github/workflows/release.yml", files={"server.py": SERVER},
        ),
    ]
    INVALID = [
        Invalid(  # the same handlers listing tools of its own
            CI.replace("mcp-lint snapshot --check", "ruff check ."), path=".github/workflows/ci.yml",
            files={"server.py": LOWLEVEL_BRIDGE.format(listing='[Tool(name="search", inputSchema={"type": "object"})]')},
        ),
        Invalid(CI.replace("mcp-lint snapshot --check", "ruff check ."), path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=1),
        Invalid(  # a snapshot matcher on something other than the tools
            CI.replace("mcp-lint snapshot --check", "ruff check ."), path=".github/workflows/ci.yml",
            files={"server.py": SERVER, "tests/render.test.ts": "it('renders', () => { expect(render('x')).toMatchSnapshot() })\n"},
        ),
        Invalid(CI.replace("mcp-lint snapshot --check", "ruff check ."), path=".github/workflows/ci.yml", files={"server.py": SERVER, "tools_list.json": "{}\n"}),
        Invalid(CI.replace("mcp-lint snapshot --check", "mcp-lint snapshot"), path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        Invalid(  # the schema files are committed, but no test reads their folder
            CI.replace("mcp-lint snapshot --check", "pytest"), path=".github/workflows/ci.yml",
            files={"server.py": SERVER, **PER_TOOL_SCHEMAS, "tests/test_schemas.py": SCHEMA_FOLDER_TEST.replace('"snapshots"', '"fixtures"')},
        ),
        Invalid(  # a test reads the folder, but not to compare the tools' input schemas (config schemas)
            CI.replace("mcp-lint snapshot --check", "pytest"), path=".github/workflows/ci.yml",
            files={"server.py": SERVER, **PER_TOOL_SCHEMAS, "tests/test_schemas.py": SCHEMA_FOLDER_TEST.replace("tool.inputSchema", "config")},
        ),
        Invalid("test:\n  script:\n    - pytest\n", path=".gitlab-ci.yml", files={"server.py": SERVER}, message="no workflow runs"),
    ]


class DeployWithoutPostDeployProbe(_CiFacts):
    """
    ## What it does
    Flags a workflow step that deploys (`kubectl apply`, `helm upgrade`, `flyctl deploy`,
    `gcloud run deploy`, deploy actions...) when no later step of the job, nor of a job that
    `needs:` it, probes the deployment: a `curl`/`wget` against it, a smoke-test or probe
    script, the MCP Inspector, an MCP client call (`initialize`, `tools/list`).

    Not flagged: publishing an image or package (nothing runs yet); projects without an MCP
    server.

    ## Why is this bad?
    A deployment can succeed while the server it deployed cannot serve: a missing secret, a
    crash on the first tool call, a wrong port. Without a post-deploy probe the pipeline
    reports success and users find the outage.

    ## Example
    ```yaml
    steps:
      - run: flyctl deploy --remote-only
    ```

    ## Use instead
    ```yaml
    steps:
      - run: flyctl deploy --remote-only
      - run: python scripts/smoke.py https://mcp.example.com/mcp   # initialize + tools/list
    ```
    """

    code = "MCP1004"
    name = "deploy-without-post-deploy-probe"
    item = 10
    severity = Severity.INFO
    summary = "Deploy step is not followed by a probe of the deployment"
    fix_hint = "Add a step after the deploy that runs initialize + tools/list (or a smoke test) against the deployed URL and fails the job."

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if cls.servers(facts_by_path):
            for workflow in cls.workflows(facts_by_path):
                for issue in workflow.unprobed:
                    yield project_finding(cls, issue.location, issue.message)

    DEPLOY = CI + "  deploy:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - run: flyctl deploy --remote-only\n"
    VALID = [
        Valid(DEPLOY + "      - run: python scripts/smoke.py https://mcp.example.com/mcp\n", path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        Valid(DEPLOY + "  verify:\n    needs: deploy\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsS https://mcp.example.com/health\n", path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        Valid(CI + "  publish:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push ghcr.io/acme/mcp:1\n", path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        Valid(DEPLOY, path=".github/workflows/ci.yml", files={"app.py": "print('no server')\n"}),
        Valid(  # a comment that names a deploy runs nothing; the deploy before it is probed (jquants-mcp)
            CI + "  deploy:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: gcloud run services update mcp --region eu --image ghcr.io/acme/mcp:1\n"
            "      - run: |\n          # replaces the old `gcloud run deploy` job\n          curl -fsS https://mcp.example.com/health\n",
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER},
        ),
        Valid(  # only a comment names the deploy
            CI + "  notes:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          # `flyctl deploy` now runs in release.yml\n          echo done\n",
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER},
        ),
        Valid(
            CI + "  chart:\n    runs-on: ubuntu-latest\n    steps:\n      - run: helm install test chart/ --dry-run --set image.tag=ci\n",
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER},
        ),
    ]
    INVALID = [
        Invalid(DEPLOY, path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=15, message="job `deploy` deploys with `flyctl deploy`"),
        Invalid(
            "on: push\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: google-github-actions/deploy-cloudrun@v2\n        with:\n          service: mcp\n",
            path=".github/workflows/deploy.yml",
            files={"server.py": SERVER},
            line=6,
        ),
        Invalid("deploy:\n  stage: deploy\n  script:\n    - helm upgrade --install mcp chart/\n", path=".gitlab-ci.yml", files={"server.py": SERVER}, line=4),
        Invalid(  # a new image for a Cloud Run service is a deploy
            CI + "  deploy:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - run: gcloud run services update mcp \\\n          --image ghcr.io/acme/mcp:1\n",
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER},
            line=15,
            message="deploys with `gcloud run services update`",
        ),
        Invalid(  # reported at the deploy, not at the step that installs flyctl
            CI + "  deploy:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - uses: superfly/flyctl-actions/setup-flyctl@master\n      - run: flyctl deploy --remote-only\n",
            path=".github/workflows/ci.yml",
            files={"server.py": SERVER},
            line=16,
            count=1,
        ),
    ]


class GateNeutralised(_CiFacts):
    """
    ## What it does
    Flags a test or lint step that cannot fail the pipeline: `continue-on-error: true` on the
    step or its job (GitHub), `allow_failure: true` (GitLab), or a test/lint command ending in
    `|| true`, `|| exit 0`, `|| :` or `; exit 0`.

    Not flagged: other commands with `|| true` (an optional cache restore, `pip install
    flake8`); a `continue-on-error` step whose outcome a later step of the job acts on and can
    fail the job with (a retry of the tests, `exit 1` when `steps.<id>.outcome` is `failure`;
    a step that only prints does not count); a `continue-on-error` step that repeats a test
    command another step of the job always runs and can fail on (`pytest -q --cov` beside
    `pytest -q`: a coverage report); a `|| true` whose script later exits non-zero itself
    (`if grep -q FAILED out.txt; then exit 1; fi`); workflows that only run on a schedule (they
    gate no change); projects without an MCP server.

    ## Why is this bad?
    The gate looks green whatever happens: failing tests, or pytest's exit code 5 when it
    collected no test at all, pass silently and the release goes out.

    ## Example
    ```yaml
      - run: pytest || true
    ```

    ## Use instead
    ```yaml
      - run: pytest
    ```
    Mark known failures with `pytest.mark.xfail` instead of disabling the gate.
    """

    code = "MCP1005"
    name = "gate-neutralised"
    item = 10
    severity = Severity.WARNING
    summary = "Test or lint step cannot fail the pipeline"
    fix_hint = "Remove `continue-on-error`/`allow_failure` and the trailing `|| true` / `; exit 0` so a failure fails the job."

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if cls.servers(facts_by_path):
            for workflow in cls.workflows(facts_by_path):
                for issue in workflow.neutralised:
                    yield project_finding(cls, issue.location, issue.message)

    VALID = [
        Valid(CI, path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        Valid(CI.replace("pip install -e .[test]", "pip install -e .[test] || true"), path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        Valid("test:\n  script:\n    - pytest\nnightly:\n  allow_failure: true\n  script:\n    - ./scripts/bench.sh\n", path=".gitlab-ci.yml", files={"server.py": SERVER}),
        Valid(CI.replace("pytest -q", "pytest -q || true"), path=".github/workflows/ci.yml", files={"app.py": "print('no server')\n"}),
        # A later step acts on the failure: a retry that can fail the job (pubnub, attio).
        Valid(CI.replace("      - run: pytest -q\n", RETRIED), path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        # The result checked in a later step's script, which fails the job (langgraph's docs checks).
        Valid(CI.replace("      - run: pytest -q\n", RETRIED.replace("if: steps.tests.outcome == 'failure'\n        run: pytest -q --last-failed",
                                                                "run: |\n          if [ \"${{ steps.tests.outcome }}\" == \"failure\" ]; then exit 1; fi")),
              path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        # The same tests gate in another step; this one only adds a coverage report (local-memory-mcp).
        Valid(CI.replace("      - run: pytest -q\n", "      - run: pytest -q\n      - run: pytest -q --cov=src\n        continue-on-error: true\n"),
              path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        # Output captured, then read: the script fails the step itself (sdl-mcp).
        Valid(CI.replace("      - run: pytest -q\n", "      - run: |\n          pytest -q > out.txt 2>&1 || true\n          cat out.txt\n          if grep -q FAILED out.txt; then exit 1; fi\n"),
              path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        # Installing a linter is no lint step.
        Valid(CI.replace("pip install -e .[test]", "pip install flake8 2>/dev/null || true"), path=".github/workflows/ci.yml", files={"server.py": SERVER}),
        # A nightly report: it gates no change.
        Valid(CI.replace("on: [push]", "on:\n  schedule:\n    - cron: '0 3 * * 1'\n  workflow_dispatch:").replace("pytest -q", "pytest -q || true"),
              path=".github/workflows/health.yml", files={"server.py": SERVER}),
    ]
    INVALID = [
        Invalid(CI.replace("pytest -q", "pytest -q || true"), path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=9, message="ends with `|| true`"),
        Invalid(CI.replace("      - run: pytest -q\n", "      - run: pytest -q\n        continue-on-error: true\n"), path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=9, message="`continue-on-error: true`"),
        Invalid("lint:\n  allow_failure: true\n  script:\n    - ruff check .\n", path=".gitlab-ci.yml", files={"server.py": SERVER}, line=4, message="`allow_failure: true`"),
        # The later step only prints what went wrong: the failure is still ignored (DollhouseMCP).
        Invalid(CI.replace("      - run: pytest -q\n", RETRIED.replace("run: pytest -q --last-failed", "run: echo 'tests failed, see the log'")),
                path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=10, message="`continue-on-error: true`"),
        # The later step reads another step's outcome: this one's failure is still ignored.
        Invalid(CI.replace("      - run: pytest -q\n", RETRIED.replace("steps.tests.outcome", "steps.lint.outcome")),
                path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=10, message="`continue-on-error: true`"),
        Invalid(CI.replace("mcp-lint snapshot --check", "mypy src; exit 0"), path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=10),
        # Other tests than the blocking ones; and a script that exits non-zero only before it.
        Invalid(CI.replace("      - run: pytest -q\n", "      - run: pytest -q\n      - run: pytest -q tests/integration\n        continue-on-error: true\n"),
                path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=10, message="`continue-on-error: true`"),
        Invalid(CI.replace("      - run: pytest -q\n", "      - run: |\n          test -f setup.cfg || exit 1\n          pytest -q || true\n"),
                path=".github/workflows/ci.yml", files={"server.py": SERVER}, line=9, message="ends with `|| true`"),
    ]
