"""Output formats: JSON shape, SARIF (schema-valid and within GitHub's ingestion rules),
GitHub workflow commands, text; determinism and fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from _project import SERVER, project, run, run_json
from mcp_lint.engine import RunResult
from mcp_lint.model import Diagnostic, Finding, Location, Severity
from mcp_lint.registry import all_rules
from mcp_lint.reporters import github, sarif, text

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
FINDING_KEYS = [
    "code", "name", "item", "severity", "path", "line", "column", "end_line", "end_column",
    "message", "fix", "related", "fingerprint", "autofix",
]


def _sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"  # hence Draft4Validator
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def _finding(location: Location, message: str, related=()) -> Finding:
    return Finding("MCP0101", "env-read-in-tool", 1, Severity.WARNING, location, message, "Hint.", tuple(related))


def _synthetic(path: str = "pkg/server.py", message: str = "bad thing", related=()) -> RunResult:
    finding = _finding(Location(path, 3, 5, 4, 2), message, related)
    return RunResult([finding], [Diagnostic("big.py", "skipped", "larger than 2 MB")], 2, list(all_rules()))


# ---------------------------------------------------------------------------------------
# JSON


def test_json_shape(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"src/app/server.py": SERVER, "broken.py": "import os\ndef f(:\n    os.getenv('X')\n"})
    code, report = run_json(capsys, monkeypatch, tmp_path)
    assert code == 1
    assert list(report) == ["version", "tool", "findings", "errors", "summary"]
    assert report["version"] == 1
    assert report["tool"] == {"name": "mcp-lint", "version": report["tool"]["version"]} and report["tool"]["version"]
    assert [list(f) for f in report["findings"]] == [FINDING_KEYS, FINDING_KEYS]
    parse_error, env = report["findings"]
    assert (parse_error["code"], parse_error["path"], parse_error["severity"]) == ("MCP0000", "broken.py", "error")
    assert parse_error["line"] >= 1 and parse_error["column"] >= 1  # 1-based even from libcst's 0-based column
    assert {k: env[k] for k in FINDING_KEYS if k not in ("message", "fix", "fingerprint")} == {
        "code": "MCP0101", "name": "env-read-in-tool", "item": 1, "severity": "warning",
        "path": "src/app/server.py", "line": 9, "column": 11, "end_line": 9, "end_column": 31,
        "related": [], "autofix": None,
    }
    assert "`API_KEY`" in env["message"] and "tool `search`" in env["message"]
    assert env["fix"].startswith("Read and validate the variable once at startup")
    assert len(env["fingerprint"]) == 32
    assert report["errors"] == []
    assert report["summary"] == {"files_checked": 2, "findings": 2, "error": 1, "warning": 1, "info": 0}


def test_json_errors_list_diagnostics(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"server.py": SERVER})
    (tmp_path / "latin.py").write_bytes(b"# os.getenv\n\nx = '\xe9'\n")
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert report["errors"] == [{"path": "latin.py", "kind": "skipped", "message": "not valid utf-8 text"}]


def test_fingerprint_survives_lines_inserted_above(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    _, before = run_json(capsys, monkeypatch, tmp_path)
    project(tmp_path, {"server.py": '"""Docs."""\n\nimport sys\n' + SERVER})
    _, after = run_json(capsys, monkeypatch, tmp_path)
    assert after["findings"][0]["line"] == before["findings"][0]["line"] + 3
    assert after["findings"][0]["fingerprint"] == before["findings"][0]["fingerprint"]
    # A different variable is a different finding.
    project(tmp_path, {"server.py": SERVER.replace("API_KEY", "TOKEN")})
    _, other = run_json(capsys, monkeypatch, tmp_path)
    assert other["findings"][0]["fingerprint"] != before["findings"][0]["fingerprint"]


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "text"])
def test_output_is_deterministic(tmp_path, capsys, monkeypatch, fmt):
    files = {f"pkg{i}/server.py": SERVER for i in range(3)}
    files["pkg1/extra.py"] = SERVER.replace("search", "lookup") + "x = 1  # mcp-lint: ignore[MCP9999]\n"
    project(tmp_path, files)
    first = run(capsys, monkeypatch, tmp_path, "--output-format", fmt)
    second = run(capsys, monkeypatch, tmp_path, "--output-format", fmt, "pkg2", "pkg0", "pkg1")
    assert first[0] == 1
    assert first == second


# ---------------------------------------------------------------------------------------
# SARIF


def test_sarif_validates_and_meets_github_rules(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"src/my app/server.py": SERVER})
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "sarif")
    assert code == 1
    log = json.loads(out)
    _sarif_validator().validate(log)
    assert log["version"] == "2.1.0" and log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run_,) = log["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    driver = run_["tool"]["driver"]
    assert driver["name"] == "mcp-lint" and driver["version"]
    for rule in driver["rules"]:
        assert rule["id"] and rule["name"] and len(rule["name"]) <= 255
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert len(rule["properties"]["tags"]) <= 20
    (result,) = run_["results"]
    assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"] == "MCP0101"
    assert result["level"] == "warning" and result["message"]["text"]
    assert len(result["locations"]) == 1
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "src/my%20app/server.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 9, "startColumn": 11, "endLine": 9, "endColumn": 31}
    assert result["partialFingerprints"]["mcpLint/v1"]


def test_sarif_synthetic_edge_cases_validate():
    related = (Location("other.py", 1, 1, 1, 5, "set here"), Location("third.py", 2, 1, 2, 3))
    log = sarif.document(_synthetic(related=related))
    _sarif_validator().validate(log)
    result = log["runs"][0]["results"][0]
    assert [r["message"]["text"] for r in result["relatedLocations"]] == ["set here", "related location"]
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes == [{"level": "warning", "message": {"text": "big.py: skipped: larger than 2 MB"}}]
    outside = sarif.document(_synthetic(path="/elsewhere/server.py"))
    _sarif_validator().validate(outside)
    assert outside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///elsewhere/server.py"
    }


def test_sarif_long_doc_is_truncated():
    class Long:
        code, name, item, fix_hint, tags, kinds, options = "MCP9998", "long-rule", None, "", (), (), {}
        summary = "s" * 2000
        severity = Severity.INFO

        @staticmethod
        def doc():
            return "word " * 1000

    descriptor = sarif._rule_descriptor(Long)
    assert len(descriptor["shortDescription"]["text"]) == 1024
    assert len(descriptor["fullDescription"]["text"]) <= 1000
    assert descriptor["properties"]["problem.severity"] == "recommendation"


# ---------------------------------------------------------------------------------------
# GitHub workflow commands


def test_github_format(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "github")
    assert code == 1
    (line,) = out.splitlines()
    prefix = "::warning file=server.py,line=9,col=11,endLine=9,endColumn=31,title=MCP0101 env-read-in-tool::"
    assert line.startswith(prefix)
    assert "%0Ahelp: Read and validate" in line


def test_github_escaping():
    out = github.render(_synthetic(path="a,b:c%d.py", message="50% done\r\nnext: line, more"))
    first, second = out.splitlines()
    assert first.startswith("::warning file=a%2Cb%3Ac%25d.py,line=3,col=5,endLine=4,endColumn=2,title=MCP0101 env-read-in-tool::")
    assert first.split("::", 2)[2].startswith("50%25 done%0D%0Anext: line, more%0Ahelp: ")
    assert second == "::warning file=big.py,title=mcp-lint skipped::larger than 2 MB"


# ---------------------------------------------------------------------------------------
# Text


def test_text_format(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"src/server.py": SERVER})
    code, out, _ = run(capsys, monkeypatch, tmp_path)
    assert code == 1
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert lines[0].startswith("src/server.py:9:11: MCP0101 [warning] `API_KEY` is read inside tool `search`")
    assert lines[1] == '    9 |     key = os.getenv("API_KEY")'
    assert lines[2] == "      |           " + "^" * 20
    assert lines[3].startswith("  help: Read and validate")
    assert lines[-1] == "Found 1 finding (0 error, 1 warning, 0 info) in 1 file checked."


def test_text_colour_only_when_asked(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" not in run(capsys, monkeypatch, tmp_path)[1]  # not a terminal
    assert "\x1b[" in run(capsys, monkeypatch, tmp_path, "--color", "always")[1]
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run(capsys, monkeypatch, tmp_path)[1]
    assert "\x1b[" not in run(capsys, monkeypatch, tmp_path, "--no-color")[1]
    assert "\x1b[" not in run(capsys, monkeypatch, tmp_path, "-o", "report.txt")[1]
    assert "\x1b[" not in (tmp_path / "report.txt").read_text()  # files are plain unless --color always
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, monkeypatch, tmp_path)[1]


def test_text_caret_under_tabs_and_bom(tmp_path):
    source = "\ufeffimport os\n\tx = os.getenv('A')\n"
    (tmp_path / "t.py").write_text(source, encoding="utf-8")
    findings = [_finding(Location("t.py", 2, 6, 2, 20), "m2"), _finding(Location("t.py", 1, 1, 1, 7), "m1")]
    out = text.render(RunResult(findings, [], 1, []), root=tmp_path).splitlines()
    assert out[1:3] == ["    2 |     x = os.getenv('A')", "      |         " + "^" * 14]
    assert out[6:8] == ["    1 | import os", "      | ^^^^^^"]


def test_output_file(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-file", "lint.sarif", "--output-format", "sarif")
    assert (code, out) == (1, "")
    _sarif_validator().validate(json.loads((tmp_path / "lint.sarif").read_text(encoding="utf-8")))
    code, _, err = run(capsys, monkeypatch, tmp_path, "--output-file", "server.py/x.txt")
    assert code == 2 and "cannot write server.py/x.txt" in err
