"""End-to-end: the CLI on the item 8/9/10 fixtures (health probes, schema snapshot, CI gates)
must report exactly the expected (path, line, code) set of its rule family; good fixtures
report nothing. Expectations as in test_fixtures_deploy (`expect:` comments, EXPECTED files)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mcp_lint.cli import main
from test_fixtures_deploy import expected

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FAMILIES = {"probes": "MCP08", "snapshot": "MCP09", "ci": "MCP10"}
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name.split("-")[0] in FAMILIES)


def lint(root: Path, select: str, monkeypatch, tmp_path: Path):
    monkeypatch.chdir(root)
    out = tmp_path / "report.json"
    args = ["check", ".", "--output-format", "json", "-o", str(out), "--select", select, "--no-cache", "--jobs", "1", "--exit-zero"]
    assert main(args) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not [e for e in report["errors"] if e["kind"] == "internal-error"], report["errors"]
    return {(f["path"], f["line"], f["code"]) for f in report["findings"]}


@pytest.mark.parametrize("name", NAMES)
def test_fixture(name, monkeypatch, tmp_path):
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    want = expected(root)
    if name.endswith("-good"):
        assert not want, "a good fixture must not expect findings"
    else:
        assert want, "a bad fixture must expect findings"
    assert lint(root, FAMILIES[name.split("-")[0]], monkeypatch, tmp_path / "out") == want


def test_every_family_has_good_and_bad_fixtures():
    for family in FAMILIES:
        assert {f"{family}-good", f"{family}-bad"} <= set(NAMES)
