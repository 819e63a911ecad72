"""Adopting mcp-lint on an existing codebase, through the CLI: baselines, --add-noqa in every
commented file kind, and the autofix that removes unused suppressions (MCP0001)."""

from __future__ import annotations

import json

from _project import SERVER, project, run, run_json

DOCKERFILE = "FROM python:3.12\nCOPY . /app\nCMD python server.py\n"
COMPOSE = "services:\n  app:\n    image: demo\n    stop_grace_period: 10s\n"
K8S = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: demo\nspec:\n  template:\n    spec:\n"
    "      terminationGracePeriodSeconds: 10\n      containers:\n        - name: app\n          image: demo\n"
    "          ports:\n            - containerPort: 8000\n"
)
TSCONFIG = '{\n  // compiler settings\n  "compilerOptions": {\n    "strict": false\n  }\n}\n'


# ---------------------------------------------------------------------------------------
# Baseline


def test_baseline_reports_only_new_findings(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, _, err = run(capsys, monkeypatch, tmp_path, "--write-baseline", "mcp-lint-baseline.json")
    assert code == 0 and "wrote 1 finding to mcp-lint-baseline.json" in err
    stored = json.loads((tmp_path / "mcp-lint-baseline.json").read_text())
    assert stored["version"] == 1 and [e["code"] for e in stored["findings"]] == ["MCP0101"]
    code, out, err = run(capsys, monkeypatch, tmp_path, "--baseline", "mcp-lint-baseline.json")
    assert (code, "1 finding in the baseline not shown" in err) == (0, True)
    assert "All checks passed" in out
    # Lines added above move the old finding (same fingerprint) and add a new one.
    moved = SERVER.replace("import os\n", "import os\nimport sys\n").replace(
        "    return key + query", "    other = os.getenv('OTHER')\n    return key + query + other"
    )
    project(tmp_path, {"server.py": moved})
    code, report = run_json(capsys, monkeypatch, tmp_path, "--baseline", "mcp-lint-baseline.json")
    assert code == 1 and [(f["code"], f["line"]) for f in report["findings"]] == [("MCP0101", 11)]
    assert "`OTHER`" in report["findings"][0]["message"]


def test_baseline_errors_exit_2(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, _, err = run(capsys, monkeypatch, tmp_path, "--baseline", "nope.json")
    assert code == 2 and "baseline nope.json not found (create it with --write-baseline nope.json)" in err
    (tmp_path / "bad.json").write_text('{"version": 7}')
    code, _, err = run(capsys, monkeypatch, tmp_path, "--baseline", "bad.json")
    assert code == 2 and "not an mcp-lint baseline" in err
    code, _, err = run(capsys, monkeypatch, tmp_path, "--write-baseline", "b.json", "--fix")
    assert code == 2 and "choose one of --fix, --write-baseline" in err


# ---------------------------------------------------------------------------------------
# --add-noqa


def test_add_noqa_in_every_commented_kind_is_idempotent(tmp_path, capsys, monkeypatch):
    files = {
        "server.py": SERVER,
        "Dockerfile": DOCKERFILE,
        "compose.yaml": COMPOSE,
        "k8s/deploy.yaml": K8S,
        "tsconfig.json": TSCONFIG,
        "package.json": '{ "dependencies": { "@modelcontextprotocol/sdk": "^1.12.0" } }\n',  # a TS server package too
    }
    project(tmp_path, files)
    code, before = run_json(capsys, monkeypatch, tmp_path)
    assert code == 1
    kinds = {f["path"] for f in before["findings"]}
    assert {"server.py", "Dockerfile", "tsconfig.json"} <= kinds, kinds
    code, _, err = run(capsys, monkeypatch, tmp_path, "--add-noqa")
    assert code == 0 and "mcp-lint: added" in err and "could not" not in err
    code, after = run_json(capsys, monkeypatch, tmp_path, "--fail-on", "info")
    assert (code, after["findings"]) == (0, []), after["findings"]
    server = (tmp_path / "server.py").read_text()
    assert '    key = os.getenv("API_KEY")  # mcp-lint: ignore[MCP0101]\n' in server
    dockerfile = (tmp_path / "Dockerfile").read_text().splitlines()
    assert dockerfile[-2].startswith("# mcp-lint: ignore[") and dockerfile[-1] == "CMD python server.py"
    assert "// mcp-lint: ignore[" in (tmp_path / "tsconfig.json").read_text()
    snapshot = {rel: (tmp_path / rel).read_text() for rel in files}
    code, _, err = run(capsys, monkeypatch, tmp_path, "--add-noqa")
    assert code == 0 and "added 0 suppression comments in 0 files" in err
    assert {rel: (tmp_path / rel).read_text() for rel in files} == snapshot


def test_add_noqa_extends_a_directive_and_never_breaks_a_file(tmp_path, capsys, monkeypatch):
    server = SERVER.replace(
        'key = os.getenv("API_KEY")', 'key = os.getenv("API_KEY")  # mcp-lint: ignore[MCP0701] reviewed'
    ) + '\n\n@mcp.tool()\ndef docs(query: str) -> str:\n    return """text\n    """ + os.getenv(\n        "X")\n'
    project(tmp_path, {"server.py": server})
    code, before = run_json(capsys, monkeypatch, tmp_path)
    assert {(f["code"], f["line"]) for f in before["findings"]} >= {("MCP0101", 9)}
    code, _, err = run(capsys, monkeypatch, tmp_path, "--add-noqa")
    text = (tmp_path / "server.py").read_text()
    assert "# mcp-lint: ignore[MCP0701, MCP0101] reviewed" in text
    compile(text, "server.py", "exec")  # still Python
    assert '"""text\n    """' in text  # nothing was written into the string
    _, after = run_json(capsys, monkeypatch, tmp_path)
    assert [f["code"] for f in after["findings"] if f["code"] == "MCP0101"] == []


def test_add_noqa_after_a_continuation_and_where_no_comment_exists(tmp_path, capsys, monkeypatch):
    server = SERVER.replace('key = os.getenv("API_KEY")', 'key = "" + \\\n        os.getenv("API_KEY")')
    package = '{\n  "name": "x",\n  "scripts": {"start": "ts-node src/index.ts"},\n  "dependencies": {"@modelcontextprotocol/sdk": "1"}\n}\n'
    project(tmp_path, {"server.py": server, "package.json": package})
    code, before = run_json(capsys, monkeypatch, tmp_path)
    assert [(f["code"], f["path"], f["line"]) for f in before["findings"]] == [("MCP1104", "package.json", 3), ("MCP0101", "server.py", 10)]
    code, _, err = run(capsys, monkeypatch, tmp_path, "--add-noqa")
    assert code == 0
    assert "could not add a suppression comment for MCP1104 at package.json:3" in err  # JSON has no comments
    assert (tmp_path / "package.json").read_text() == package
    text = (tmp_path / "server.py").read_text()
    compile(text, "server.py", "exec")
    assert '        os.getenv("API_KEY")  # mcp-lint: ignore[MCP0101]\n' in text
    _, after = run_json(capsys, monkeypatch, tmp_path)
    assert [f["code"] for f in after["findings"]] == ["MCP1104"]


# ---------------------------------------------------------------------------------------
# MCP0001 autofix


def test_unused_suppressions_are_removed_by_fix(tmp_path, capsys, monkeypatch):
    server = (
        SERVER.replace('key = os.getenv("API_KEY")', 'key = os.getenv("API_KEY")  # mcp-lint: ignore[MCP0101, MCP0701] reason')
        .replace("import os\n", "import os  # mcp-lint: ignore[MCP0703]\n")
        .replace("@mcp.tool()\n", "# mcp-lint: ignore[MCP0404] stale\n@mcp.tool()\n")
        + "x = 1  # noqa: E501  # mcp-lint: ignore[MCP0102]\n"
    )
    project(tmp_path, {"server.py": server})
    _, report = run_json(capsys, monkeypatch, tmp_path)
    unused = [f for f in report["findings"] if f["code"] == "MCP0001"]
    assert len(unused) == 4 and all(f["autofix"]["applicability"] == "safe" for f in unused)
    code, _, err = run(capsys, monkeypatch, tmp_path, "--fix")
    assert "fixed 4 findings in 1 file" in err, err
    text = (tmp_path / "server.py").read_text()
    assert "import os\n" in text
    assert '    key = os.getenv("API_KEY")  # mcp-lint: ignore[MCP0101] reason\n' in text
    assert "MCP0404" not in text and "# mcp-lint: ignore[MCP0404]" not in text
    assert "\n\n\n@mcp.tool()\n" in text  # the own-line comment's line is gone, nothing else
    assert text.endswith("x = 1  # noqa: E501\n")
    _, after = run_json(capsys, monkeypatch, tmp_path)
    assert [f["code"] for f in after["findings"]] == []


def test_unused_suppressions_are_removed_in_other_kinds(tmp_path, capsys, monkeypatch):
    files = {
        "Dockerfile": 'FROM python:3.12\n# mcp-lint: ignore[MCP0501] reviewed\nCOPY . /app\nCMD ["python", "app.py"]\n',
        "compose.yaml": "services:\r\n  app:\r\n    image: demo  # mcp-lint: ignore[MCP0801]\r\n",
        "tsconfig.json": '{\n  // mcp-lint: ignore[MCP1101]\n  "compilerOptions": {"strict": true}\n}\n',
    }
    project(tmp_path, files)
    for rel, text in files.items():
        (tmp_path / rel).write_bytes(text.encode())  # keep the CRLF line endings
    code, _, err = run(capsys, monkeypatch, tmp_path, "--fix", "--select", "MCP0001,MCP05,MCP08,MCP11")
    assert "fixed 3 findings in 3 files" in err
    assert (tmp_path / "Dockerfile").read_text() == 'FROM python:3.12\nCOPY . /app\nCMD ["python", "app.py"]\n'
    assert (tmp_path / "compose.yaml").read_bytes() == b"services:\r\n  app:\r\n    image: demo\r\n"
    assert (tmp_path / "tsconfig.json").read_text() == '{\n  "compilerOptions": {"strict": true}\n}\n'
