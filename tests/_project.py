"""Helpers for the end-to-end CLI tests: write a small project, run `mcp_lint.cli.main`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Dict, Tuple

from mcp_lint.cli import main

# One MCP0101 (env-read-in-tool) finding at 9:11-9:31 (`os.getenv("API_KEY")`).
SERVER = textwrap.dedent(
    """\
    import os
    from mcp.server.fastmcp import FastMCP

    mcp = FastMCP("demo")


    @mcp.tool()
    def search(query: str) -> str:
        key = os.getenv("API_KEY")
        return key + query
    """
)
CLEAN = textwrap.dedent(
    """\
    import os
    from mcp.server.fastmcp import FastMCP

    API_KEY = os.environ["API_KEY"]
    mcp = FastMCP("demo")


    @mcp.tool()
    def search(query: str) -> str:
        return API_KEY + query
    """
)
# Stops config discovery from climbing above the temporary project.
EMPTY_CONFIG = "[tool.mcp-lint]\n"


def write(root: Path, files: Dict[str, str]) -> Path:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def project(root: Path, files: Dict[str, str] = None, config: str = EMPTY_CONFIG) -> Path:
    """A project with `pyproject.toml` holding `config` and, by default, one finding in server.py."""
    return write(root, {"pyproject.toml": config, **({"server.py": SERVER} if files is None else files)})


def run(capsys, monkeypatch, cwd: Path, *args: str) -> Tuple[int, str, str]:
    """(exit code, stdout, stderr) of `mcp-lint ARGS` run in `cwd`."""
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("MCP_LINT_OUTPUT_FORMAT", raising=False)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, monkeypatch, cwd: Path, *args: str) -> Tuple[int, dict]:
    code, out, err = run(capsys, monkeypatch, cwd, *args, "--output-format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


def codes(report: dict) -> list:
    return [(f["code"], f["path"], f["line"]) for f in report["findings"]]


def count_calls(monkeypatch, owner, name: str) -> list:
    """Wrap `owner.name` for the test; the returned list grows by one entry per call."""
    calls: list = []
    real = getattr(owner, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls
