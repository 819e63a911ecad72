"""End-to-end: the CLI on the deployment fixtures (Dockerfile, manifests, compose, scripts)
must report exactly the expected (path, line, code) set; good fixtures report nothing.
Expectations are `expect: MCPnnnn` comments on the offending line, or `path:line CODE` lines in
the fixture's EXPECTED file (Dockerfiles, where a trailing comment would be part of the command)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import List, Set, Tuple

import pytest

from mcp_lint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NAMES = sorted(p.name for p in FIXTURES.glob("deploy-*") if p.is_dir())
SELECT = "MCP05,MCP0000"
_EXPECT = re.compile(r"expect:\s*(MCP\d{4}(?:\s*,\s*MCP\d{4})*)")

Key = Tuple[str, int, str]


def expected(root: Path) -> Set[Key]:
    found: Set[Key] = set()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != "EXPECTED"):
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _EXPECT.search(line)
            if match:
                found.update((rel, number, code.strip()) for code in match.group(1).split(","))
    listing = root / "EXPECTED"
    if listing.exists():
        for line in listing.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                where, code = line.split()
                path, _, number = where.rpartition(":")
                found.add((path, int(number), code))
    return found


def lint(root: Path, monkeypatch, tmp_path: Path, targets: List[str] = ()) -> Set[Key]:
    monkeypatch.chdir(root)
    out = tmp_path / "report.json"
    args = ["check", *(targets or ["."]), "--output-format", "json", "-o", str(out), "--select", SELECT, "--no-cache", "--jobs", "1", "--exit-zero"]
    assert main(args) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not [e for e in report["errors"] if e["kind"] == "internal-error"], report["errors"]
    return {(f["path"], f["line"], f["code"]) for f in report["findings"]}


@pytest.fixture
def project(tmp_path):
    def copy(name: str) -> Path:
        root = tmp_path / name
        shutil.copytree(FIXTURES / name, root)
        return root

    return copy


@pytest.mark.parametrize("name", NAMES)
def test_fixture(name, project, monkeypatch, tmp_path):
    root = project(name)
    want = expected(root)
    if name.endswith("-good") or name == "deploy-stdio":
        assert not want, "a good fixture must not expect findings"
    assert lint(root, monkeypatch, tmp_path) == want


def test_bad_fixtures_expect_something():
    for name in NAMES:
        if name.endswith("-bad"):
            assert expected(FIXTURES / name), name


def test_manifest_alone_still_sees_the_python_drain(project, monkeypatch, tmp_path):
    """pre-commit passes only the changed manifest: the drain in server/settings.py is still
    indexed, and only findings located in the manifest are reported."""
    root = project("deploy-k8s-bad")
    found = lint(root, monkeypatch, tmp_path, ["k8s/deployment.yaml"])
    assert found == {("k8s/deployment.yaml", 14, "MCP0502"), ("k8s/deployment.yaml", 16, "MCP0504")}


def test_python_file_alone_reports_nothing_of_the_manifest(project, monkeypatch, tmp_path):
    root = project("deploy-k8s-bad")
    assert lint(root, monkeypatch, tmp_path, ["server/settings.py"]) == set()


def test_script_alone_is_linked_to_its_dockerfile(project, monkeypatch, tmp_path):
    root = project("deploy-compose-bad")
    found = lint(root, monkeypatch, tmp_path, ["docker/docker-entrypoint.sh"])
    assert found == {("docker/docker-entrypoint.sh", 10, "MCP0501")}
