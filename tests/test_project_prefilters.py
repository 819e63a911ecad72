"""The literal checks in front of the project rules' regex scans of test files and scripts
still let every form through, and the repository walk is shared within a run."""

from pathlib import Path

from mcp_lint import run_memo
from mcp_lint_rules.project import practice
from mcp_lint_rules.project.ci import _opens_client


def test_every_form_of_a_protocol_request_is_still_seen():
    for text in (
        'curl -d \'{"jsonrpc": "2.0", "method": "tools/list"}\'',
        "payload = {'method': 'initialize'}",
        'echo "{\\"method\\": \\"tools/call\\"}" | python server.py',
        "npx @modelcontextprotocol/inspector --cli python s.py --method=tools/list",
        'cmd = [*inspector_cli, "--method", "tools/list"]',  # the Inspector CLI run from a pytest test (trakt_mcpserver)
    ):
        assert practice.speaks_protocol(text), text
    assert not practice.speaks_protocol("def method(self): return 'tools/list'")
    assert not practice.speaks_protocol('flags = ["--method", "--verbose"]; names = ["tools/list"]')


def test_a_fastmcp_client_is_still_seen():
    assert _opens_client("from fastmcp import Client\n\nasync with Client(mcp) as c:\n    pass\n")
    assert not _opens_client("from fastmcp import FastMCP\nclient = make()\n")


def test_every_snapshot_assertion_form_is_still_seen():
    assert practice.snapshot_tests(["expect(tools).toMatchInlineSnapshot()"])
    assert practice.snapshot_tests(["def test(tools, snapshot):\n    assert tools == snapshot\n"])
    assert practice.snapshot_tests(["snapshot.assert_match(tools_json)"])
    assert not practice.snapshot_tests(["assert result == expected"])


def test_the_walk_is_shared_within_a_run_and_fresh_in_the_next(tmp_path: Path):
    (tmp_path / "a.sh").write_text("echo\n")
    with run_memo.scope():
        first = practice._walk(tmp_path)
        (tmp_path / "b.sh").write_text("echo\n")
        assert practice._walk(tmp_path) is first
    assert [p.name for p in practice._walk(tmp_path)] == ["a.sh", "b.sh"]
