"""`mcp-lint server` end to end: a real LSP client (pygls) spawns `python -m mcp_lint server` and
speaks JSON-RPC over its stdio, through initialize, didOpen, didChange, didSave, codeAction,
executeCommand, shutdown and exit."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path
from typing import Dict

import pytest

from _lsp_client import Editor, apply, codes, lsp
from mcp_lint.cli import main

STDIO_SERVER = textwrap.dedent(
    """\
    import os
    import sys

    from mcp.server.fastmcp import FastMCP

    mcp = FastMCP("notes")


    @mcp.tool()
    def add_note(text: str) -> str:
        folder = os.getenv("NOTES_DIR")
        print("😋 saved note")
        return folder + text


    if __name__ == "__main__":
        mcp.run()
    """
)
SETTINGS = textwrap.dedent(
    """\
    from pydantic_settings import BaseSettings


    class Settings(BaseSettings):
        drain_timeout_ms: int = 25000


    settings = Settings()
    """
)
HTTP_SERVER = textwrap.dedent(
    """\
    from mcp.server.fastmcp import FastMCP

    from app.settings import settings

    mcp = FastMCP("inventory")


    @mcp.tool()
    def stock(sku: str) -> int:
        return len(sku)


    app = mcp.streamable_http_app()
    """
)
DEPLOYMENT = textwrap.dedent(
    """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: inventory
    spec:
      template:
        spec:
          terminationGracePeriodSeconds: 20
          containers:
            - name: server
              image: ghcr.io/acme/inventory:1.0
              ports:
                - containerPort: 8000
    """
)


def project(root: Path, files: Dict[str, str], config: str = "[tool.mcp-lint]\n") -> Path:
    for rel, text in {"pyproject.toml": config, **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def drive(editor: Editor, script) -> None:
    async def run() -> None:
        await editor.start()
        try:
            await script(editor)
        finally:
            code = await editor.stop()
        assert code == 0

    asyncio.run(run())


def test_diagnostics_fixes_suppression_and_docs(tmp_path):
    root = project(tmp_path, {"server.py": STDIO_SERVER})

    async def script(editor: Editor) -> None:
        types = editor.types
        uri = editor.open("server.py")
        diagnostics = await editor.diagnostics(uri, lambda d: "MCP0703" in codes(d))
        stdout = next(d for d in diagnostics if d.code == "MCP0703")
        assert stdout.source == "mcp-lint"
        assert stdout.severity == types.DiagnosticSeverity.Error
        assert stdout.code_description.href == "https://github.com/mcp-lint/mcp-lint/blob/main/docs/rules/MCP0703.md"
        assert (stdout.range.start.line, stdout.range.start.character) == (11, 4)  # 0-based
        env = next(d for d in diagnostics if d.code == "MCP0101")
        assert (env.range.start.line, env.range.start.character, env.range.end.character) == (10, 13, 35)

        # The safe fix, in UTF-16 units: the emoji counts twice before the inserted argument.
        actions = await editor.code_actions(uri, 11)
        titles = [a.title for a in actions]
        fix = next(a for a in actions if a.title.startswith("Fix MCP0703"))
        assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
        assert fix.edit.document_changes[0].text_document.version == 1
        edit = fix.edit.document_changes[0].edits[0]
        assert (edit.range.start.line, edit.range.start.character, edit.new_text) == (11, 25, ", file=sys.stderr")  # 24 code points
        assert "Suppress MCP0703 on this line" in titles
        assert any(t.startswith("Open the documentation of MCP0703") for t in titles)
        fixed = apply(editor.texts[uri], fix.edit)
        assert '    print("😋 saved note", file=sys.stderr)\n' in fixed
        editor.change(uri, fixed)
        assert codes(await editor.diagnostics(uri)) == ["MCP0101"]

        # Suppress the remaining finding: an end-of-line comment with a reason placeholder.
        actions = await editor.code_actions(uri, 10)
        suppress = next(a for a in actions if a.title == "Suppress MCP0101 on this line")
        suppressed = apply(editor.texts[uri], suppress.edit)
        assert '    folder = os.getenv("NOTES_DIR")  # mcp-lint: ignore[MCP0101] <reason>\n' in suppressed
        editor.change(uri, suppressed)
        assert codes(await editor.diagnostics(uri)) == []  # suppressed, and the comment counts as used

        # Saving re-lints from the saved text; the rule's documentation opens through a command.
        editor.save(uri)
        assert (tmp_path / "server.py").read_text(encoding="utf-8") == suppressed
        opened = next(a for a in actions if a.title.startswith("Open the documentation of MCP0101"))
        assert await editor.command(opened.command.command, *opened.command.arguments) is True
        assert editor.shown == ["https://github.com/mcp-lint/mcp-lint/blob/main/docs/rules/MCP0101.md"]

    drive(Editor(root), script)


def test_cross_file_verdict_follows_either_side(tmp_path):
    root = project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/settings.py": SETTINGS,
            "app/server.py": HTTP_SERVER,
            "k8s/deployment.yaml": DEPLOYMENT,
            "Dockerfile": "FROM python:3.12-slim\nCOPY . .\nCMD uvicorn app.server:app\n",
        },
    )

    async def script(editor: Editor) -> None:
        manifest = editor.open("k8s/deployment.yaml")
        settings = editor.open("app/settings.py")
        diagnostics = await editor.diagnostics(manifest, lambda d: "MCP0502" in codes(d))
        grace = next(d for d in diagnostics if d.code == "MCP0502")
        assert grace.range.start.line == 7
        related = grace.related_information[0]
        assert related.location.uri == settings and related.location.range.start.line == 4
        assert related.message == "drain timeout set here"

        # Edit the other side (unsaved): the manifest's verdict is republished without it.
        editor.change(settings, SETTINGS.replace("25000", "10000"))
        await editor.diagnostics(manifest, lambda d: "MCP0502" not in codes(d))
        # And the manifest's own side: a shorter grace period brings it back.
        editor.change(manifest, DEPLOYMENT.replace("20", "5"))
        await editor.diagnostics(manifest, lambda d: "MCP0502" in codes(d))
        assert "MCP0502" not in codes(await editor.diagnostics(settings))

        # Another file kind, with an unsafe fix: offered, marked in its title, not preferred.
        dockerfile = editor.open("Dockerfile")
        await editor.diagnostics(dockerfile, lambda d: "MCP0501" in codes(d))
        [exec_form] = [a for a in await editor.code_actions(dockerfile, 2) if a.title.startswith("Fix MCP0501")]
        assert "(unsafe: may change behaviour)" in exec_form.title and not exec_form.is_preferred
        assert apply(editor.texts[dockerfile], exec_form.edit).endswith('CMD ["uvicorn", "app.server:app"]\n')

    drive(Editor(root), script)


def test_fix_all_and_configuration_reload(tmp_path):
    root = project(tmp_path, {"server.py": STDIO_SERVER.replace("print(", "print(1, ")})

    async def script(editor: Editor) -> None:
        types = editor.types
        uri = editor.open("server.py")
        await editor.diagnostics(uri, lambda d: codes(d) == ["MCP0101", "MCP0703"])
        assert "workspace/didChangeWatchedFiles" in editor.registrations

        # source.fixAll.mcp-lint: every safe fix, as line edits.
        actions = await editor.code_actions(uri, 0, only=[types.CodeActionKind.SourceFixAll])
        assert [a.kind for a in actions] == ["source.fixAll.mcp-lint"]
        fixed = apply(editor.texts[uri], actions[0].edit)
        assert 'print(1, "😋 saved note", file=sys.stderr)' in fixed
        assert await editor.code_actions(uri, 0, only=[types.CodeActionKind.Refactor]) == []

        # The same through executeCommand: the server asks the client to apply it.
        assert await editor.command("mcp-lint.fixAll", uri) is True
        assert apply(editor.texts[uri], editor.applied[-1]) == fixed

        # The configuration file changes on disk: reloaded, findings follow.
        (root / "pyproject.toml").write_text('[tool.mcp-lint]\nignore = ["MCP0101"]\n', encoding="utf-8")
        editor.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(editor.uri("pyproject.toml"), types.FileChangeType.Changed)])
        )
        await editor.diagnostics(uri, lambda d: codes(d) == ["MCP0703"])

        # A broken configuration is reported and the last good one kept.
        (root / "pyproject.toml").write_text('[tool.mcp-lint]\nselct = ["ALL"]\n', encoding="utf-8")
        config = editor.open("pyproject.toml")
        editor.save(config)
        editor.change(uri, editor.texts[uri] + "\n")
        assert codes(await editor.diagnostics(uri)) == ["MCP0703"]
        assert any("configuration error" in line and "selct" in line for line in editor.logs)

    drive(Editor(root), script)


def test_settings_broken_files_and_crashes_do_not_stop_the_server(tmp_path):
    root = project(tmp_path, {"server.py": STDIO_SERVER, "k8s/pod.yaml": DEPLOYMENT})

    async def script(editor: Editor) -> None:
        uri = editor.open("server.py")
        assert codes(await editor.diagnostics(uri, lambda d: bool(d))) == ["MCP0101"]  # select from settings

        # A file that does not parse is a diagnostic; the server keeps answering.
        broken = editor.open("broken.py", "from mcp.server.fastmcp import FastMCP\ndef f(:\n")
        parse = await editor.diagnostics(broken, lambda d: bool(d))
        assert codes(parse) == ["MCP0000"] and parse[0].range.start.line == 1
        manifest = editor.open("k8s/pod.yaml", "apiVersion: v1\nkind: Pod\nspec: [unclosed\n")
        assert codes(await editor.diagnostics(manifest, lambda d: bool(d))) == ["MCP0000"]

        # A buffer that is not on disk yet is linted too.
        new = editor.open("src/new_server.py", STDIO_SERVER)
        assert codes(await editor.diagnostics(new, lambda d: bool(d))) == ["MCP0101"]

        # Garbage in a command or a code action for an unknown document: an answer, no crash.
        assert await editor.command("mcp-lint.fixAll", {"nonsense": 1}) is None
        assert await editor.code_actions(editor.uri("unknown.py"), 0) == []
        editor.change(uri, STDIO_SERVER.replace("NOTES_DIR", "NOTES"))
        assert codes(await editor.diagnostics(uri)) == ["MCP0101"]

        # New settings from the editor replace the initial ones.
        editor.client.workspace_did_change_configuration(
            editor.types.DidChangeConfigurationParams(settings={"mcp-lint": {"select": ["MCP07"]}})
        )
        await editor.diagnostics(uri, lambda d: codes(d) == ["MCP0703"])

    drive(Editor(root, {"select": ["MCP00", "MCP01", "MCP05"]}), script)


def test_server_without_the_extra_exits_2_with_a_hint(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pygls", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "mcp_lint.lsp.server", raising=False)
    assert main(["server"]) == 2
    assert 'pip install "mcp-prodlint[lsp]"' in capsys.readouterr().err


@pytest.mark.parametrize(
    "rel, kind, text, line, expected",
    [
        ("server.py", "python", "x = os.getenv('A')\n", 1, "x = os.getenv('A')  # mcp-lint: ignore[MCP0101] <reason>\n"),
        # a comment after a line continuation is a syntax error: the line above instead
        ("server.py", "python", "x = 1 + \\\n    2\n", 1, "# mcp-lint: ignore[MCP0101] <reason>\nx = 1 + \\\n    2\n"),
        # Dockerfile comments only start lines; the indentation of the target line is kept
        ("Dockerfile", "dockerfile", "FROM x\n  CMD a b\n", 2, "FROM x\n  # mcp-lint: ignore[MCP0101] <reason>\n  CMD a b\n"),
        ("k8s/pod.yaml", "k8s", "kind: Pod\nspec: {}\n", 2, "kind: Pod\nspec: {}  # mcp-lint: ignore[MCP0101] <reason>\n"),
        ("tsconfig.json", "tsconfig", '{\r\n  "a": 1\r\n}\r\n', 2, '{\r\n  "a": 1  // mcp-lint: ignore[MCP0101] <reason>\r\n}\r\n'),
        ("package.json", "packagejson", '{\n  "a": 1\n}\n', 2, None),  # npm rejects comments
    ],
)
def test_suppression_edit_in_each_comment_syntax(rel, kind, text, line, expected):
    lsp()
    from mcp_lint.fixer import apply_edits
    from mcp_lint.lsp.actions import suppression_edit

    edit = suppression_edit(rel, text, kind, line, "MCP0101")
    assert (apply_edits(text, [edit])[0] if edit else None) == expected


def test_cached_results_do_not_carry_suppression_verdicts_between_lints(tmp_path):
    """A suppression used in one lint is unused (MCP0001) in the next when its finding goes."""
    lsp()
    from mcp_lint.lsp.session import Session, Settings

    suppressed = DEPLOYMENT.replace("Seconds: 20", "Seconds: 20  # mcp-lint: ignore[MCP0502] drained by the proxy")
    root = project(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "k8s/deployment.yaml": suppressed})
    session = Session(root.resolve(), Settings(select=["MCP00", "MCP0502"]))
    settings = root.resolve() / "app/settings.py"
    assert [f.code for f in session.lint({}).findings] == []
    assert [f.code for f in session.lint({settings: SETTINGS.replace("25000", "1000")}).findings] == ["MCP0001"]
    assert [f.code for f in session.lint({}).findings] == []


def test_a_failing_lint_is_logged_and_the_server_goes_on(tmp_path, monkeypatch):
    lsp()
    from mcp_lint.lsp import server as lsp_server
    from mcp_lint.lsp.session import Session

    root = project(tmp_path, {"server.py": STDIO_SERVER})
    ls = lsp_server.MCPLintServer()
    ls.folders = [root]
    logged = []
    monkeypatch.setattr(ls, "log", lambda level, message, once=False: logged.append(message))

    def crash(self, buffers):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(Session, "lint", crash)
    document = lsp_server.OpenDocument((root / "server.py").as_uri(), root / "server.py", 1, STDIO_SERVER)
    [(session, result, members)] = ls._lint([document], set(), True)
    assert result is None and members == [document]
    assert any("RuntimeError: engine bug" in line for line in logged)
