"""Repository-level rules (schema snapshot MCP0901, CI gates MCP1001-MCP1003) for a server that
lives in a sub-package of a repository (getzep/graphiti's `mcp_server/`): the repository's CI
files join the sub-package's unit, and the unit counts as a repository when the run spans it
(mcp_lint/units.py). A folder checked on its own inside a larger checkout stays a folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from _project import write
from mcp_lint.cli import main

SERVER = """\
from fastmcp import FastMCP

mcp = FastMCP("notes")


@mcp.tool
def add_note(text: str) -> str:
    return text


if __name__ == "__main__":
    mcp.run(transport="http", host="0.0.0.0", port=8000)
"""
CI = """\
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pytest -q
  release:
    runs-on: ubuntu-latest
    steps:
      - run: docker push ghcr.io/acme/notes:1
"""
PYPROJECT = "[project]\nname = '{}'\nversion = '0'\n"
REPOSITORY_LEVEL = ("MCP0901", "MCP1001", "MCP1002", "MCP1003")


def _findings(cwd: Path, *targets: str) -> list:
    out = cwd.parent / f"{cwd.name}.report.json"
    old = os.getcwd()
    os.chdir(cwd)
    try:
        args = ["check", *targets, "--no-cache", "--jobs", "1", "--select", "MCP09,MCP10", "--exit-zero"]
        assert main([*args, "--output-format", "json", "-o", str(out)]) == 0
    finally:
        os.chdir(old)
    report = json.loads(out.read_text(encoding="utf-8"))
    return sorted((f["path"], f["line"], f["code"]) for f in report["findings"])


def _repository(root: Path, git: bool, packages=("mcp_server",)) -> Path:
    files = {".github/workflows/ci.yml": CI}
    if git:
        files[".git/HEAD"] = "ref: refs/heads/main\n"
    for package in packages:
        files[f"{package}/pyproject.toml"] = PYPROJECT.format(package.replace("/", "-"))
        files[f"{package}/server.py"] = SERVER
    return write(root, files)


@pytest.mark.parametrize("git", [True, False], ids=["git-checkout", "ci-files-only"])
def test_server_in_a_sub_package_gets_the_findings_of_the_flat_layout(tmp_path, git):
    nested = _repository(tmp_path / "nested", git)
    flat = write(tmp_path / "flat", {".github/workflows/ci.yml": CI, "pyproject.toml": PYPROJECT.format("flat"), "server.py": SERVER})
    if git:
        write(flat, {".git/HEAD": "ref: refs/heads/main\n"})
    want = [
        (".github/workflows/ci.yml", 1, "MCP1002"),
        (".github/workflows/ci.yml", 1, "MCP1003"),
        (".github/workflows/ci.yml", 12, "MCP1001"),
        ("server.py", 6, "MCP0901"),
    ]
    assert _findings(flat, ".") == want
    nested_want = sorted((("mcp_server/" + p) if p == "server.py" else p, line, code) for p, line, code in want)
    assert _findings(nested, ".") == nested_want


def test_two_servers_in_one_repository_get_repository_findings_once(tmp_path):
    root = _repository(tmp_path / "repo", git=True, packages=("services/notes", "services/search"))
    found = _findings(root, ".")
    assert found == [
        (".github/workflows/ci.yml", 1, "MCP1002"),
        (".github/workflows/ci.yml", 1, "MCP1003"),
        (".github/workflows/ci.yml", 12, "MCP1001"),
        ("services/notes/server.py", 6, "MCP0901"),  # each package commits its own snapshot
        ("services/search/server.py", 6, "MCP0901"),
    ]
    # Whatever the order of the targets, once the run spans the repository.
    assert _findings(root, "services/search", "services/notes", ".github/workflows/ci.yml") == found
    # Pre-commit, given the files: the same findings.
    assert _findings(root, ".github/workflows/ci.yml", "services/notes/server.py", "services/search/server.py") == found


def test_a_sub_folder_checked_on_its_own_is_not_the_repository_above_it(tmp_path):
    """As `mcp-lint check fixtures/x` inside this checkout: the repository above the target is not
    part of the run, so a package without CI files of its own gets no repository-level finding."""
    root = _repository(tmp_path / "repo", git=True)
    assert _findings(root, "mcp_server") == []
    assert _findings(root, "mcp_server/server.py") == []
    assert _findings(root / "mcp_server", ".") == []
    # With CI files of its own, the sub-folder is a repository (fixtures/ci-bad).
    write(root, {"mcp_server/.gitlab-ci.yml": "test:\n  script:\n    - pytest\n"})
    assert {code for _, _, code in _findings(root, "mcp_server")} == set(REPOSITORY_LEVEL) - {"MCP1001"}


def test_a_nested_repository_keeps_its_own_ci(tmp_path):
    """A vendored checkout with its own `.git` is its own repository: the outer workflows do not
    join it, so the outer release job is not reported against the inner server."""
    root = write(tmp_path / "outer", {".git/HEAD": "ref: refs/heads/main\n", ".github/workflows/ci.yml": CI})
    write(root, {"vendor/inner/.git/HEAD": "ref: refs/heads/main\n", "vendor/inner/pyproject.toml": PYPROJECT.format("inner"), "vendor/inner/server.py": SERVER})
    assert _findings(root, ".") == [
        ("vendor/inner/pyproject.toml", 1, "MCP1002"),  # the inner repository has no workflow
        ("vendor/inner/server.py", 6, "MCP0901"),
    ]


def test_a_protocol_test_anywhere_in_the_repository_counts(tmp_path):
    """MCP1002 is repository-level: the main server's protocol test covers an example server in
    its own package (dbt-labs/dbt-mcp's `examples/*`), as it did when the repository was one unit."""
    root = _repository(tmp_path / "repo", git=True, packages=("server", "examples/demo"))
    assert ("MCP1002" in {code for _, _, code in _findings(root, ".")})
    write(root, {"server/tests/test_protocol.py": "from fastmcp import Client\nfrom server import mcp\n\nasync def test_list():\n    async with Client(mcp) as client:\n        assert await client.list_tools()\n"})
    assert "MCP1002" not in {code for _, _, code in _findings(root, ".")}
