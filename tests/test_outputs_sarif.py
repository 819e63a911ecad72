"""SARIF as GitHub code scanning reads it, and the rule pages it links to.

GitHub's documented rules ("SARIF support for code scanning" and "SARIF results exceed
limits", docs.github.com): at most 20 runs per file, 25,000 results and 25,000 rules per run,
1,000 locations per result, 20 tags per rule; `fullDescription` is shown as plain text and
cut at 1,000 characters; `security-severity` (0.0-10.0, as a string) rates rules tagged
`security`; related locations are reached through `[text](id)` links in the message."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import jsonschema
import pytest

from _project import SERVER, project, run
from mcp_lint.docs import PAGES, pages, rule_page
from mcp_lint.engine import RunResult
from mcp_lint.model import Finding, Location, Severity, fingerprint_findings
from mcp_lint.registry import all_rules
from mcp_lint.reporters import sarif
from mcp_lint.rule_meta import AUTOFIX, fix_applicability, security_severity
from mcp_lint.testing import run_case

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SECURITY_FAMILIES = ("MCP02", "MCP0405", "MCP0701", "MCP0702")  # auth, disclosure, personal data


def _validate(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert len(log["runs"]) <= 20
    for run_ in log["runs"]:
        assert len(run_["results"]) <= 25_000 and len(run_["tool"]["driver"]["rules"]) <= 25_000
        for rule in run_["tool"]["driver"]["rules"]:
            full = rule["fullDescription"]["text"]
            assert 0 < len(full) <= 1000 and "\n" not in full and "##" not in full and "`" not in full, rule["id"]
            assert 0 < len(rule["shortDescription"]["text"]) <= 1024
            assert rule["help"]["text"] and rule["help"]["markdown"].startswith(f"# {rule['id']} ")
            assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
            tags = rule["properties"]["tags"]
            assert len(tags) <= 20
            score = rule["properties"].get("security-severity")
            assert (score is not None) == ("security" in tags)
            if score is not None:
                assert 0.0 <= float(score) <= 10.0 and re.fullmatch(r"\d+\.\d", score)
        for result in run_["results"]:
            assert len(result["locations"]) <= 1000
            assert re.fullmatch(r"[0-9a-f]{16}:1", result["partialFingerprints"]["primaryLocationLineHash"])
            ids = {r["id"] for r in result.get("relatedLocations", [])}
            linked = {int(i) for i in re.findall(r"\]\((\d+)\)", result["message"]["text"])}
            assert linked == ids, "every related location is linked from the message"


def test_sarif_of_every_rule_meets_github_rules(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"server.py": SERVER})
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "sarif")
    log = json.loads(out)
    _validate(log)
    (run_,) = log["runs"]
    assert code == 1
    assert run_["automationDetails"] == {"id": "mcp-lint/"}
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert set(rules) == {r.code for r in all_rules()}
    for code_, rule in rules.items():
        is_security = code_.startswith(SECURITY_FAMILIES)
        assert ("security" in rule["properties"]["tags"]) == is_security, code_
    assert rules["MCP0203"]["properties"]["security-severity"] == "8.2"
    # Markdown marks go, identifiers stay whole.
    assert "http_app()" in rules["MCP0203"]["fullDescription"]["text"]
    assert "FASTMCP_SERVER_AUTH" in rules["MCP0203"]["fullDescription"]["text"]
    full = rules["MCP0101"]["fullDescription"]["text"]
    assert full.startswith("Flags") or full[0].isupper()
    assert len(full) < len(rules["MCP0101"]["help"]["markdown"])


def test_related_locations_are_linked_and_brackets_escaped():
    related = (Location("deploy/k8s.yaml", 3, 1, 3, 20, "grace period [30 s] set here"), Location("b.py", 2, 1, 2, 3))
    finding = Finding("MCP0502", "grace-period-not-above-drain", 5, Severity.ERROR, Location("a.py", 1, 1, 1, 2), "drain [60 s]", "Raise it.", related)
    log = sarif.document(RunResult(fingerprint_findings([finding]), [], 1, list(all_rules())))
    _validate(log)
    (result,) = log["runs"][0]["results"]
    assert result["message"]["text"] == (
        "drain \\[60 s\\]\nFix: Raise it.\nSee: [grace period \\[30 s\\] set here (deploy/k8s.yaml:3)](1), "
        "[related location (b.py:2)](2)"
    )
    assert [r["id"] for r in result["relatedLocations"]] == [1, 2]


def test_rule_pages_are_generated_and_current():
    folder = ROOT / PAGES
    expected = pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert on_disk == expected, "docs/rules is stale: run `python -m mcp_lint.docs README.md`"


def test_rule_command_prints_the_page(capsys):
    from mcp_lint.cli import main

    assert main(["rule", "MCP0703"]) == 0
    out = capsys.readouterr().out
    assert out == (ROOT / PAGES / "MCP0703.md").read_text(encoding="utf-8")
    assert "- Autofix: yes, safe" in out
    assert main(["rule", "MCP0101"]) == 0
    assert "- Autofix: no" in capsys.readouterr().out


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.options], ids=lambda r: r.code)
def test_option_defaults_are_printed_as_toml(rule):
    page = rule_page(rule)
    block = page.split("```toml\n", 1)[1].split("```", 1)[0]
    table = tomllib.loads(block)["tool"]["mcp-lint"]["rules"][rule.code]
    assert table == {k: list(v) if isinstance(v, tuple) else v for k, v in rule.options.items()}


def test_autofix_table_matches_the_rules_embedded_cases():
    """A rule has an autofix exactly when `rule_meta.AUTOFIX` says so (and with that
    applicability): checked on the findings of every rule's INVALID cases."""
    offered = {}
    for rule in all_rules():
        for case in rule.INVALID:
            for finding in run_case(rule, case):
                if finding.fix is not None:
                    offered[rule.code] = finding.fix.applicability
    engine = {"MCP0001"}  # the engine's own rule has no embedded cases: tested in test_outputs_adoption
    assert offered == {code: kind for code, kind in AUTOFIX.items() if code not in engine}
    for rule in all_rules():
        assert fix_applicability(rule) == AUTOFIX.get(rule.code)


def test_security_severity_table():
    scored = {r.code: security_severity(r) for r in all_rules() if security_severity(r) is not None}
    assert set(scored) == {r.code for r in all_rules() if r.code.startswith(SECURITY_FAMILIES)}
    assert all(0 < s < 10 for s in scored.values())
