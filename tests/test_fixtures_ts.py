"""The TypeScript example servers end to end through the CLI: the bad ones trip exactly the
findings their `expect:` markers name (every TS rule is exercised), the good one is clean."""

import json
import re
from pathlib import Path

import pytest

from mcp_lint.cli import main
from mcp_lint.registry import all_rules, implementations_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MARKER = re.compile(r"expect:\s*((?:MCP\d{4}[ ,]*)+)")


def markers(root: Path) -> set:
    found = set()
    for path in sorted(root.rglob("*.ts")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = MARKER.search(line)
            if match:
                found.update((path.relative_to(root).as_posix(), number, code) for code in re.findall(r"MCP\d{4}", match.group(1)))
    return found


def lint(root: Path, tmp_path: Path):
    out = tmp_path / "report.json"
    code = main(["check", str(root), "--no-cache", "--output-format", "json", "-o", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["ts-bad-http", "ts-bad-stdio"])
def test_bad_ts_servers_match_markers_exactly(name, tmp_path):
    root = FIXTURES / name
    code, report = lint(root, tmp_path)
    got = {(f["path"], f["line"], f["code"]) for f in report["findings"]}
    assert code == 1 and report["errors"] == []
    assert got == markers(root)
    assert all(f["fix"] for f in report["findings"])


def test_bad_ts_servers_exercise_every_ts_rule():
    # Implementations that only feed an owner's cross-file check are covered by their embedded cases.
    own_checks = [i for r in all_rules() for i in implementations_of(r) if not getattr(i, "shares_facts", False)]
    ts_codes = {i.code for i in own_checks} | {r.code for r in all_rules() if r.kinds == ("typescript",)}
    ts_codes -= {"MCP0704"}  # needs a console-only HTTP server: covered by its embedded cases
    exercised = {code for name in ("ts-bad-http", "ts-bad-stdio") for _, _, code in markers(FIXTURES / name)}
    assert ts_codes <= exercised, sorted(ts_codes - exercised)


def test_good_ts_server_is_clean(tmp_path):
    code, report = lint(FIXTURES / "ts-good", tmp_path)
    assert report["findings"] == [] and report["errors"] == []
    assert code == 0
