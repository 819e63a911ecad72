"""Embedded cases of the TypeScript rules (implementations of shared codes and TS-only
rules), run through the real engine like every other rule's cases."""

import pytest

from mcp_lint.registry import all_rules, implementations_of
from mcp_lint.testing import check_case

TS_RULES = [impl for rule in all_rules() for impl in implementations_of(rule)]
CASES = [
    pytest.param(rule, case, id=f"{rule.code}-ts-{kind}-{i}")
    for rule in TS_RULES
    for kind, cases in (("valid", rule.VALID), ("invalid", rule.INVALID))
    for i, case in enumerate(cases)
]


def test_every_shared_code_has_one_owner():
    codes = [r.code for r in all_rules()]
    assert len(codes) == len(set(codes))
    for impl in TS_RULES:
        assert impl.implements.code == impl.code and "typescript" in impl.implements.kinds


@pytest.mark.parametrize("rule, case", CASES)
def test_ts_embedded_case(rule, case):
    check_case(rule, case)


def test_rule_explanation_shows_both_languages(capsys):
    from mcp_lint.cli import main

    assert main(["rule", "MCP0703"]) == 0
    out = capsys.readouterr().out
    assert "```python" in out and "## In TypeScript / JavaScript" in out and "```ts" in out


def test_one_sarif_rule_per_code(tmp_path):
    import json

    from mcp_lint.cli import main

    (tmp_path / "mcp-lint.toml").write_text("", encoding="utf-8")
    (tmp_path / "server.py").write_text(
        "import os\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n\n@mcp.tool()\ndef t() -> str:\n    return os.getenv('A')\n",
        encoding="utf-8",
    )
    (tmp_path / "server.ts").write_text(
        'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'
        'server.tool("t", async () => ({ content: [{ type: "text", text: process.env.A }] }));\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.sarif"
    main(["check", str(tmp_path), "--no-cache", "--select", "MCP0101", "--output-format", "sarif", "-o", str(out)])
    run = json.loads(out.read_text(encoding="utf-8"))["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]].count("MCP0101") == 1
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]} == {"server.py", "server.ts"}


def test_suppression_comments_in_typescript(tmp_path):
    from mcp_lint.config import Config
    from mcp_lint.engine import run

    (tmp_path / "server.ts").write_text(
        'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'
        'server.tool("a", async () => ({ content: [{ type: "text", text: process.env.A }] })); // mcp-lint: ignore[MCP0101] read once per call on purpose\n'
        "// mcp-lint: ignore[env-read-in-tool] the next line reads it too\n"
        'server.tool("b", async () => ({ content: [{ type: "text", text: process.env.B }] }));\n'
        'server.tool("c", async () => ({ content: [{ type: "text", text: process.env.C }] }));\n'
        "/* mcp-lint: ignore[MCP0703] nothing here */\n",
        encoding="utf-8",
    )
    result = run([tmp_path], Config(root=tmp_path, exclude=[]), jobs=1)
    assert [(f.code, f.location.line) for f in result.findings] == [("MCP0101", 5), ("MCP0001", 6)]
