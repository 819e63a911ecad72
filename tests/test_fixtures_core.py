"""The bundled example servers, end to end through the CLI: the bad one trips every Python rule
of checklist items 1, 2, 4 and 7 exactly where its `expect:` markers say; the good one is clean."""

import json
import re
from pathlib import Path

import pytest

from mcp_lint.cli import main
from mcp_lint.config import Config
from mcp_lint.engine import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MARKER = re.compile(r"expect:\s*((?:MCP\d{4}[ ,]*)+)")


def expected_markers(root: Path) -> set:
    found = set()
    for path in root.rglob("*"):
        if path.is_file() and path.name != "README.md":
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                match = MARKER.search(line)
                if match:
                    for code in re.findall(r"MCP\d{4}", match.group(1)):
                        found.add((path.relative_to(root).as_posix(), number, code))
    return found


def lint_json(root: Path, tmp_path: Path, *extra: str):
    out = tmp_path / "report.json"
    code = main(["check", str(root), "--no-cache", "--output-format", "json", "-o", str(out), *extra])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_bad_server_findings_match_markers_exactly(tmp_path):
    root = FIXTURES / "bad-server"
    code, report = lint_json(root, tmp_path)
    assert code == 1
    got = {(f["path"], f["line"], f["code"]) for f in report["findings"]}
    assert got == expected_markers(root)
    assert report["errors"] == []


def test_bad_server_covers_items_1_2_4_7_with_fix_hints(tmp_path):
    _, report = lint_json(FIXTURES / "bad-server", tmp_path)
    assert {1, 2, 4, 7} <= {f["item"] for f in report["findings"]}
    assert all(f["fix"] for f in report["findings"])
    from mcp_lint.registry import all_rules

    python_codes = {r.code for r in all_rules() if r.item in (1, 2, 4, 7) and r.kinds == ("python",)}
    assert python_codes <= {f["code"] for f in report["findings"]}, "every item 1/2/4/7 rule is exercised"


def test_good_server_is_clean(tmp_path):
    code, report = lint_json(FIXTURES / "good-server", tmp_path)
    assert report["findings"] == [] and report["errors"] == []
    assert code == 0


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_pruning_changes_nothing(fixture):
    root = FIXTURES / fixture
    config = Config(root=root, exclude=[])
    pruned = run([root], config, jobs=1)
    full = run([root], config, jobs=1, prune=False)
    assert [(f.path, f.location.line, f.code, f.message) for f in pruned.findings] == [
        (f.path, f.location.line, f.code, f.message) for f in full.findings
    ]


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_sarif_of_every_fixture_validates(fixture, tmp_path):
    """Cross-file findings (related locations), every file kind: still schema-valid SARIF."""
    import jsonschema

    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    out = tmp_path / "report.sarif"
    main(["check", str(FIXTURES / fixture), "--no-cache", "--output-format", "sarif", "-o", str(out)])
    jsonschema.Draft4Validator(schema).validate(json.loads(out.read_text(encoding="utf-8")))
