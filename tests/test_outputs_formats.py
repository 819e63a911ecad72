"""The line- and CI-oriented output formats through the real CLI: concise, gitlab (Code
Quality), junit, rdjson (reviewdog), json-lines, checklist (text and Markdown), --statistics."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from _project import CLEAN, SERVER, project, run

# A second finding (MCP0703, with a safe autofix) in a stdio server, with a non-ASCII line.
STDIO = SERVER.replace("import os", "import os\nimport sys").replace('mcp = FastMCP("demo")', 'mcp = FastMCP("démo")') + '\n\ndef report():\n    print("é done")\n\n\nreport()  # prints before serving: stdout is the stdio channel\nmcp.run()\n'


def _two_findings(tmp_path):
    return project(tmp_path, {"src/server.py": STDIO})


def test_concise(tmp_path, capsys, monkeypatch):
    _two_findings(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "concise")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("src/server.py:10:11: MCP0101 `API_KEY` is read inside tool `search`")
    assert any(line.startswith("src/server.py:15:5: MCP0703 [*] ") for line in lines), lines
    assert len(lines) == 2


def test_json_lines_one_object_per_finding(tmp_path, capsys, monkeypatch):
    _two_findings(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "json-lines")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and [r["code"] for r in records] == ["MCP0101", "MCP0703"]
    _, full, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "json")
    assert records == json.loads(full)["findings"]


def test_gitlab_code_quality(tmp_path, capsys, monkeypatch):
    _two_findings(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "gitlab")
    issues = json.loads(out)
    assert code == 1 and len(issues) == 2
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert isinstance(issue["location"]["lines"]["begin"], int)
    env, stdout = issues
    assert (env["check_name"], env["severity"], env["location"]["path"], env["location"]["lines"]["begin"]) == (
        "MCP0101", "minor", "src/server.py", 10,
    )
    assert stdout["check_name"] == "MCP0703" and stdout["severity"] == "major"
    assert len({i["fingerprint"] for i in issues}) == 2


def test_gitlab_security_errors_are_critical(tmp_path, capsys, monkeypatch):
    middleware = (
        "import os\nfrom starlette.middleware.base import BaseHTTPMiddleware\n\nAPI_KEY = os.environ['MCP_API_KEY']\n\n"
        "class ApiKeyMiddleware(BaseHTTPMiddleware):\n    async def dispatch(self, request, call_next):\n"
        "        if request.headers.get('x-api-key') != API_KEY:\n            return None\n        return await call_next(request)\n"
    )
    project(tmp_path, {"server.py": middleware})
    _, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "gitlab", "--select", "MCP0202")
    (issue,) = json.loads(out)
    assert (issue["check_name"], issue["severity"], issue["categories"]) == ("MCP0202", "critical", ["Security"])


def test_junit(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"a/server.py": STDIO, "b/server.py": SERVER})
    (tmp_path / "blob.py").write_bytes(b"x = 1\0\0")
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "junit")
    root = ET.fromstring(out)
    (suite,) = root.findall("testsuite")
    assert code == 1
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "3", "1")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert len(cases["a/server.py"].findall("failure")) == 2
    assert cases["b/server.py"].find("failure").get("message").startswith("MCP0101 ")
    assert cases["blob.py"].find("error").get("type") == "skipped"
    project(tmp_path / "clean", {"server.py": CLEAN})
    code, out, _ = run(capsys, monkeypatch, tmp_path / "clean", "--output-format", "junit")
    suite = ET.fromstring(out).find("testsuite")
    assert code == 0 and suite.get("failures") == "0" and len(suite.findall("testcase")) == 1


def test_rdjson(tmp_path, capsys, monkeypatch):
    _two_findings(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "rdjson")
    document = json.loads(out)
    assert code == 1 and document["source"]["name"] == "mcp-lint"
    env, stdout = document["diagnostics"]
    assert env["code"] == {"value": "MCP0101", "url": "https://github.com/mcp-lint/mcp-lint/blob/main/docs/rules/MCP0101.md"}
    assert env["severity"] == "WARNING"
    assert env["location"] == {"path": "src/server.py", "range": {"start": {"line": 10, "column": 11}, "end": {"line": 10, "column": 31}}}
    # The autofix becomes a suggestion; columns are UTF-8 bytes ("é" is two).
    (suggestion,) = stdout["suggestions"]
    assert suggestion["text"] == ", file=sys.stderr" or "sys.stderr" in suggestion["text"]
    line = (tmp_path / "src/server.py").read_text().splitlines()[14]
    end_chars = stdout["location"]["range"]["end"]["column"]
    assert end_chars == len(line.encode("utf-8")) + 1 and end_chars == len(line) + 2


def test_checklist_text_and_markdown(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"server.py": SERVER, "Dockerfile": "FROM python:3.12\nCMD python server.py\n"})
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "checklist")
    lines = out.splitlines()
    assert code == 1 and lines[0] == "MCP production checklist (2 files checked)"
    rows = {int(line[:2]): line for line in lines[2:14]}
    assert sorted(rows) == list(range(1, 13))
    assert "1 finding" in rows[1] and "(1 warning)" in rows[1]
    assert "finding" in rows[5]  # shell-form CMD: MCP0501
    assert rows[6].rstrip().endswith("pass")
    assert "not visible" in rows[12]  # no proxy or ingress configuration in the project
    assert "not applicable" not in out  # nothing here is TypeScript-only... except:
    code, md, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "checklist-markdown")
    table = [line for line in md.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert md.startswith("## MCP production checklist") and len(table) == 12
    assert table[0].startswith("| 1 | ") and "❌ 1 finding" in table[0]
    assert "👁️ not visible" in table[11]
    code, md, _ = run(capsys, monkeypatch, tmp_path, "--output-format", "checklist-markdown", "--ignore", "MCP06")
    assert "⏸️ not checked" in [line for line in md.splitlines() if line.startswith("| 6 |")][0]


def test_checklist_typescript_items_do_not_apply_to_python(tmp_path, capsys, monkeypatch):
    from mcp_lint.engine import RunResult
    from mcp_lint.registry import all_rules
    from mcp_lint.reporters import checklist

    result = RunResult([], [], 1, list(all_rules()), {"python": 1})
    rows = {r.item: r for r in checklist.rows(result)}
    ts_only = [r for r in all_rules() if r.item == 11 and not set(r.kinds) & {"python", "dockerfile"}]
    assert ts_only  # the TypeScript rules of item 11
    saved = list(result.rules)
    result.rules = [r for r in saved if r.item != 11 or r in ts_only]
    assert {r.item: r for r in checklist.rows(result)}[11].status == "not applicable"
    result.rules = saved
    assert rows[12].status == "not visible"


def test_statistics(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"a/server.py": STDIO, "b/server.py": SERVER})
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--statistics")
    assert code == 1
    assert out.splitlines() == ["2\tMCP0101\t    env-read-in-tool", "1\tMCP0703\t[*] stdout-write-in-stdio-server"]
    _, out, _ = run(capsys, monkeypatch, tmp_path, "--statistics", "--output-format", "json")
    assert json.loads(out)[0] == {"code": "MCP0101", "name": "env-read-in-tool", "count": 2, "fixable": False}
