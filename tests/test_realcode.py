"""bench/realcode.py on a synthetic checkout and verdict files made in tmp_path (no network)."""

import importlib.util
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SERVER = '''\
import logging
from mcp.server.fastmcp import FastMCP

log = logging.getLogger(__name__)
mcp = FastMCP("demo")


@mcp.tool()
def search(query: str) -> str:
    log.info("searching %s", query)
    return query


@mcp.tool()
def lookup(name):
    return name
'''


def _load():
    spec = importlib.util.spec_from_file_location("realcode", ROOT / "bench" / "realcode.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["realcode"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _verdict(path, line, code, verdict, reason="r"):
    return {"repo": "own/srv", "commit": "abc", "path": path, "line": line, "code": code, "verdict": verdict, "reason": reason}


def test_realcode_matches_verdicts(tmp_path, capsys):
    realcode = _load()
    bench, checkouts = tmp_path / "bench", tmp_path / "realcode"
    (bench / "repos").mkdir(parents=True)
    (bench / "repos" / "s.txt").write_text("# pins\nown/srv abc\nown/absent def\n")
    (checkouts / "s" / "own__srv").mkdir(parents=True)
    (checkouts / "s" / "own__srv" / "server.py").write_text(SERVER)
    verdicts = bench / "verdicts" / "s"
    verdicts.mkdir(parents=True)
    (verdicts / "own__srv.json").write_text(json.dumps([
        _verdict("server.py", 10, "MCP0701", "tp", "query is free text"),
        _verdict("server.py", 3, "MCP0601", "fn", "connection leak"),  # labelled miss of item 6
        _verdict("server.py", 5, "MCP0203", "tp", "finding that no longer fires"),  # stale: lost TP of item 2
    ]))
    (verdicts / "own__srv.a.json").write_text(json.dumps([
        _verdict("server.py", 10, "MCP0701", "fp"),  # same key in another file: warned; the later name (own__srv.json) wins
    ]))
    unjudged_file = tmp_path / "unjudged.json"

    assert realcode.main(["--bench", str(bench), "--realcode", str(checkouts), "--json",
                          "--write-unjudged", str(unjudged_file)]) == 0
    out = json.loads(capsys.readouterr().out)

    rows = {row["rule"]: row for row in out["precision"]}
    assert rows["MCP0701"]["tp"] == 1 and rows["MCP0701"]["fp"] == 0
    assert rows["MCP0701"]["precision_strict"] == 1.0
    assert rows["MCP1105"]["unjudged"] == 1 and rows["MCP1105"]["precision_strict"] is None
    assert rows["overall"]["tp"] == 1 and rows["overall"]["unjudged"] == 1
    recall = {row["item"]: row for row in out["recall"]}
    assert recall[7] == {"item": 7, "found": 1, "missed": 0, "recall": 1.0}
    assert recall[6]["found"] == 0 and recall[6]["missed"] == 1 and recall[6]["recall"] == 0.0
    assert recall[2]["missed"] == 1
    assert [v["code"] for v in out["stale"]] == ["MCP0203"]
    assert [(u["code"], u["line"]) for u in out["unjudged"]] == [("MCP1105", 15)]
    assert any("duplicate verdict" in w for w in out["warnings"])
    assert any("own/absent" in w and "no checkout" in w for w in out["warnings"])

    written = json.loads(unjudged_file.read_text())
    assert written == [{"repo": "own/srv", "commit": "abc", "path": "server.py", "line": 15, "code": "MCP1105",
                        "verdict": "", "reason": "", "message": written[0]["message"]}]


def test_mixed_severities_get_a_row_each():
    realcode = _load()
    report = realcode.Report(commit="x", sets=["s"], repos=["o/r"])
    report.findings = [realcode.Finding("o/r", "c", "a.py", "MCP0701", 1, "error", "m"),
                       realcode.Finding("o/r", "c", "a.py", "MCP0701", 2, "warning", "m")]
    realcode._match(report, {report.findings[1].key: realcode.Verdict("o/r", "a.py", "MCP0701", 2, "fp")})
    rows = {r["rule"]: r for r in realcode.precision_table(report)}
    assert rows["MCP0701"]["severity"] == "error/warning" and rows["MCP0701"]["fp"] == 1
    assert rows["MCP0701:error"]["unjudged"] == 1 and rows["MCP0701:warning"]["fp"] == 1


def test_disputed_counts_both_ways_and_fn_found_is_tp():
    realcode = _load()
    report = realcode.Report(commit="x", sets=["s"], repos=["o/r"])
    findings = [realcode.Finding("o/r", "c", "a.py", "MCP0701", line, "error", "m") for line in (1, 2, 3, 4)]
    report.findings = findings
    verdicts = {
        findings[0].key: realcode.Verdict("o/r", "a.py", "MCP0701", 1, "tp"),
        findings[1].key: realcode.Verdict("o/r", "a.py", "MCP0701", 2, "disputed"),
        findings[2].key: realcode.Verdict("o/r", "a.py", "MCP0701", 3, "fp"),
        findings[3].key: realcode.Verdict("o/r", "a.py", "MCP0701", 4, "fn"),
    }
    realcode._match(report, verdicts)
    row = realcode.precision_table(report)[0]
    assert (row["tp"], row["fp"], row["disputed"]) == (2, 1, 1)
    assert [r["rule"] for r in realcode.precision_table(report)] == ["MCP0701", "overall"]
    assert row["precision_strict"] == 0.5 and row["precision_lenient"] == 0.75
    assert realcode.recall_table(report) == [{"item": 7, "found": 2, "missed": 0, "recall": 1.0}]


def test_json_lists_the_findings_judged_wrong_and_markdown_prints_the_readme_tables():
    realcode = _load()
    report = realcode.Report(commit="abc123", sets=["s"], repos=["o/r"])
    findings = [realcode.Finding("o/r", "c", "a.py", "MCP0701", line, "warning", f"m{line}") for line in (1, 2, 3)]
    report.findings = findings
    realcode._match(report, {
        findings[0].key: realcode.Verdict("o/r", "a.py", "MCP0701", 1, "tp"),
        findings[1].key: realcode.Verdict("o/r", "a.py", "MCP0701", 2, "fp", reason="an id"),
        findings[2].key: realcode.Verdict("o/r", "a.py", "MCP0701", 3, "disputed", reason="a path"),
    })
    wrong = realcode.to_json(report)["wrong"]
    assert [(w["line"], w["verdict"], w["reason"], w["message"]) for w in wrong] == [
        (2, "fp", "an id", "m2"), (3, "disputed", "a path", "m3")]

    out = io.StringIO()
    realcode.print_markdown(report, out)
    text = out.getvalue()
    assert "commit `abc123`: 1 repositories, 3 findings, 0 unjudged" in text
    assert "| `MCP0701` | warning | 1 | 1 | 1 | 0.33 | 0.67 |" in text
    assert "| **overall** |  | 1 | 1 | 1 | 0.33 | 0.67 |" in text
    assert "| 7 | 1 | 0 | 1.00 |" in text


def test_a_labelled_miss_inside_a_reported_node_is_found_not_missed():
    realcode = _load()
    report = realcode.Report(commit="x", sets=["s"], repos=["o/r"])
    # `return Result(\n  message=f"...{e}",\n)` reported at its first line, the miss labelled at the second
    report.findings = [realcode.Finding("o/r", "c", "a.py", "MCP0405", 10, "warning", "m", end_line=13)]
    verdicts = {
        ("o/r", "a.py", "MCP0405", 10): realcode.Verdict("o/r", "a.py", "MCP0405", 10, "tp"),
        ("o/r", "a.py", "MCP0405", 12): realcode.Verdict("o/r", "a.py", "MCP0405", 12, "fn"),  # inside: the same violation
        ("o/r", "a.py", "MCP0405", 14): realcode.Verdict("o/r", "a.py", "MCP0405", 14, "fn"),  # after it: still missed
        ("o/r", "a.py", "MCP0401", 11): realcode.Verdict("o/r", "a.py", "MCP0401", 11, "fn"),  # another code: still missed
    }
    realcode._match(report, verdicts)
    assert sorted((v.code, v.line) for v in report.misses) == [("MCP0401", 11), ("MCP0405", 14)]
    assert realcode.recall_table(report) == [{"item": 4, "found": 1, "missed": 2, "recall": 0.333}]
