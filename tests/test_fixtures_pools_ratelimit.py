"""The item 3 and 6 fixtures (fixtures/pools-*, fixtures/ratelimit-*) through the CLI: the
MCP03xx/MCP06xx findings must be exactly the `expect:` markers; good fixtures give none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mcp_lint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NAMES = ["pools-bad", "pools-good", "ratelimit-bad", "ratelimit-good"]
EXPECT = re.compile(r"expect:\s*(MCP\d{4}(?:[\s,]+MCP\d{4})*)")


def expected(root: Path) -> set:
    found = set()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(text)
            if match:
                found.update((rel, number, code) for code in re.findall(r"MCP\d{4}", match.group(1)))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_fixture(name, tmp_path):
    root = FIXTURES / name
    out = tmp_path / "report.json"
    main(["check", str(root), "--select", "MCP03,MCP06", "--output-format", "json", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not [e for e in report["errors"] if e["kind"] == "internal-error"], report["errors"]
    prefix = f"fixtures/{name}/"  # paths are relative to the repository, the configuration's root
    got = {(f["path"].replace(prefix, "", 1), f["line"], f["code"]) for f in report["findings"]}
    want = expected(root)
    if name.endswith("-good"):
        assert not want, "a good fixture must not expect findings"
    assert got == want, f"unexpected: {sorted(got - want)}; missing: {sorted(want - got)}"
