"""The item 11 and 12 fixtures (fixtures/proxy-*, fixtures/typescript-*) through the CLI: the
findings of those items must be exactly the expected ones (`expect: MCPnnnn` comments on the
offending line, or `path:line CODE` lines in the fixture's EXPECTED file); good fixtures give
none. Findings of other checklist items (a Dockerfile rule on the TypeScript fixture's image)
are not this test's business, parse errors are."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mcp_lint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NAMES = sorted(p.name for p in FIXTURES.glob("*") if p.is_dir() and p.name.startswith(("proxy-", "typescript-")))
EXPECT = re.compile(r"expect:\s*(MCP\d{4}(?:[\s,]+MCP\d{4})*)")
OWN_CODES = re.compile(r"^MCP(11|12)\d\d$|^MCP0000$")


def expected(root: Path) -> set:
    found = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if rel == "EXPECTED":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    where, code = line.split()
                    file, number = where.rsplit(":", 1)
                    found.add((file, int(number), code))
            continue
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(text)
            if match:
                found.update((rel, number, code) for code in re.findall(r"MCP\d{4}", match.group(1)))
    return found


def test_fixtures_exist():
    assert {"proxy-nginx-bad", "proxy-caddy-bad", "proxy-ingress-bad", "typescript-bad"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_fixture(name, tmp_path):
    root = FIXTURES / name
    out = tmp_path / "report.json"
    main(["check", str(root), "--output-format", "json", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not [e for e in report["errors"] if e["kind"] == "internal-error"], report["errors"]
    prefix = f"fixtures/{name}/"  # paths are relative to the repository, the configuration's root
    got = {(f["path"].replace(prefix, "", 1), f["line"], f["code"]) for f in report["findings"] if OWN_CODES.match(f["code"])}
    want = expected(root)
    if name.endswith("-good"):
        assert not want, "a good fixture must not expect findings"
    assert got == want, f"unexpected: {sorted(got - want)}; missing: {sorted(want - got)}"
