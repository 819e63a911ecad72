"""--fix, --unsafe-fixes and --diff: safe edits applied, unsafe ones only on request, nothing
written with --diff, re-parse checked, idempotent."""

import textwrap

from mcp_lint.cli import main
from mcp_lint.fixer import apply_edits
from mcp_lint.model import Edit

STDIO_SERVER = textwrap.dedent(
    """\
    import asyncio
    import sys

    from fastmcp import FastMCP

    mcp = FastMCP("notes")


    @mcp.tool
    async def export(folder: str) -> str:
        print("exporting")
        try:
            await asyncio.sleep(0)
        except:
            return "failed"
        return "ok"


    if __name__ == "__main__":
        mcp.run()
    """
)


def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.mcp-lint]\n")
    server = tmp_path / "server.py"
    server.write_text(STDIO_SERVER)
    return server


def check(tmp_path, *args):
    return main(["check", str(tmp_path), "--no-cache", "--select", "MCP0703,MCP0404", *args])


def test_fix_applies_safe_fixes_only(tmp_path, capsys):
    server = project(tmp_path)
    assert check(tmp_path, "--fix") == 1  # the unsafe one remains
    text = server.read_text()
    assert 'print("exporting", file=sys.stderr)' in text
    assert "except:" in text
    out = capsys.readouterr()
    assert "fixed 1 finding in 1 file" in out.err
    assert "MCP0404 [*]" in out.out and "MCP0703" not in out.out


def test_unsafe_fixes_on_request_and_idempotent(tmp_path, capsys):
    server = project(tmp_path)
    assert check(tmp_path, "--fix", "--unsafe-fixes") == 0
    fixed = server.read_text()
    assert "except Exception:" in fixed and "file=sys.stderr" in fixed
    compile(fixed, "server.py", "exec")  # still valid Python
    assert check(tmp_path, "--fix", "--unsafe-fixes") == 0
    assert server.read_text() == fixed


def test_diff_writes_nothing(tmp_path, capsys):
    server = project(tmp_path)
    assert check(tmp_path, "--diff") == 1
    out = capsys.readouterr().out
    assert out.startswith("--- a/server.py\n+++ b/server.py\n")
    assert '+    print("exporting", file=sys.stderr)' in out
    assert server.read_text() == STDIO_SERVER


def test_crlf_and_bom_are_kept(tmp_path):
    server = project(tmp_path)
    server.write_bytes(b"\xef\xbb\xbf" + STDIO_SERVER.replace("\n", "\r\n").encode())
    check(tmp_path, "--fix")
    data = server.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b'print("exporting", file=sys.stderr)\r\n' in data


def test_overlapping_edits_keep_the_first():
    text, applied = apply_edits("abcdef\n", [Edit(1, 2, 1, 4, "X"), Edit(1, 3, 1, 5, "Y"), Edit(1, 6, 1, 6, "Z")])
    assert (text, applied) == ("aXdeZf\n", 2)
