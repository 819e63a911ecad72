"""`engine.run(contents=...)`: text held in memory (editor buffers, stdin) replaces the disk."""

from __future__ import annotations

from pathlib import Path

from _project import CLEAN, SERVER
from mcp_lint.config import load_config
from mcp_lint.engine import run
from mcp_lint.registry import all_rules


def _codes(result):
    return [(f.path, f.location.line, f.code) for f in result.findings if f.code == "MCP0101"]


def test_buffer_replaces_disk_contents(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.mcp-lint]\n")
    (tmp_path / "server.py").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "server.py"
    config = load_config([target], None, {}, all_rules())
    assert _codes(run([target], config)) == []
    assert _codes(run([target], config, contents={target: SERVER})) == [("server.py", 9, "MCP0101")]
    assert (tmp_path / "server.py").read_text() == CLEAN  # nothing written


def test_buffer_for_a_file_not_on_disk(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.mcp-lint]\n")
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "src" / "new_server.py"
    config = load_config([tmp_path], None, {}, all_rules())
    result = run([target], config, contents={target: SERVER})
    assert _codes(result) == [("src/new_server.py", 9, "MCP0101")]


def test_buffer_inside_a_directory_run(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.mcp-lint]\n")
    (tmp_path / "server.py").write_text(CLEAN)
    (tmp_path / "other.py").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    config = load_config([tmp_path], None, {}, all_rules())
    result = run([tmp_path], config, contents={Path("other.py"): SERVER})
    assert _codes(result) == [("other.py", 9, "MCP0101")]
