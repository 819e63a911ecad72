"""The command line end to end: exit codes, sub-commands and error messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from _project import CLEAN, EMPTY_CONFIG, SERVER, project, run, run_json
from mcp_lint import __version__
from mcp_lint.cli import main


def test_clean_project_exits_0(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"server.py": CLEAN})
    code, out, err = run(capsys, monkeypatch, tmp_path)
    assert (code, err) == (0, "")
    assert "All checks passed (1 file checked)" in out


def test_findings_exit_1(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "check", ".")
    assert code == 1
    assert "server.py:9:11: MCP0101" in out


def test_subcommand_defaults_to_check(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--select", "MCP0101")
    assert code == 1 and "MCP0101" in out


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_unknown_code_on_command_line_exits_2(tmp_path, capsys, monkeypatch, option):
    project(tmp_path)
    code, out, err = run(capsys, monkeypatch, tmp_path, option, "MCP0101,MCP9999")
    assert code == 2
    assert f"--{option.lstrip('-')}: 'MCP9999' matches no rule" in err
    assert out == ""


@pytest.mark.parametrize(
    "config, message",
    [
        ('select = ["MCP9999"]', "select: 'MCP9999' matches no rule"),
        ('ignore = ["made-up-name"]', "ignore: 'made-up-name' matches no rule"),
        ('[tool.mcp-lint.per-file-ignores]\n"a.py" = ["XYZ1"]', "'XYZ1' matches no rule"),
        ('[tool.mcp-lint.severity]\nMCP9999 = "error"', "unknown rule 'MCP9999'"),
        ("colour = true", "unknown key(s) colour in [tool.mcp-lint]"),
        ('extend_select = ["MCP0101"]', "unknown key(s) extend_select in [tool.mcp-lint] (did you mean 'extend-select'?)"),
        ("select = 3", "select: expected a list of strings, got 3"),
        ('select = ["MCP0101", ""]', "select: empty entry"),
        ("respect-gitignore = \"yes\"", "respect-gitignore: expected true or false"),
        ('fail-on = "fatal"', "unknown severity 'fatal'"),
        ('output-format = "xml"', "output-format: expected one of text, json, sarif, github"),
        ('exclude = ["\\\\"]', "exclude: invalid glob"),
    ],
)
def test_config_errors_exit_2_with_precise_message(tmp_path, capsys, monkeypatch, config, message):
    project(tmp_path, config=f"[tool.mcp-lint]\n{config}\n")
    code, out, err = run(capsys, monkeypatch, tmp_path)
    assert code == 2, err
    assert message in err
    assert str(tmp_path / "pyproject.toml") in err  # says which file
    assert out == ""


def test_invalid_toml_exits_2(tmp_path, capsys, monkeypatch):
    project(tmp_path, config="[tool.mcp-lint]\nselect = [\n")
    code, _, err = run(capsys, monkeypatch, tmp_path)
    assert code == 2
    assert "pyproject.toml: invalid TOML" in err


def test_missing_path_exits_2(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, out, err = run(capsys, monkeypatch, tmp_path, "server.py", "nope.py")
    assert code == 2
    assert "no such file or directory: nope.py" in err
    assert out == ""


def test_fail_on_threshold(tmp_path, capsys, monkeypatch):
    project(tmp_path)  # one warning
    assert run(capsys, monkeypatch, tmp_path, "--fail-on", "error")[0] == 0
    assert run(capsys, monkeypatch, tmp_path, "--fail-on", "warning")[0] == 1
    assert run(capsys, monkeypatch, tmp_path, "--fail-on", "note")[0] == 1


def test_fail_on_from_config(tmp_path, capsys, monkeypatch):
    project(tmp_path, config='[tool.mcp-lint]\nfail-on = "error"\n')
    assert run(capsys, monkeypatch, tmp_path)[0] == 0


def test_exit_zero_hides_findings_but_not_errors(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--exit-zero")
    assert code == 0 and "MCP0101" in out
    assert run(capsys, monkeypatch, tmp_path, "--exit-zero", "--select", "NOPE")[0] == 2
    assert run(capsys, monkeypatch, tmp_path, "--exit-zero", "missing.py")[0] == 2


def test_bad_option_value_is_a_usage_error(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, _, err = run(capsys, monkeypatch, tmp_path, "--output-format", "xml")
    assert code == 2 and "invalid choice: 'xml'" in err
    code, _, err = run(capsys, monkeypatch, tmp_path, "--jobs", "0")
    assert code == 2 and "--jobs must be at least 1" in err


def test_output_format_from_environment(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MCP_LINT_OUTPUT_FORMAT", "json")
    assert main([]) == 1
    assert json.loads(capsys.readouterr().out)["findings"][0]["code"] == "MCP0101"
    assert main(["--output-format", "github"]) == 1  # the option beats the environment
    assert capsys.readouterr().out.startswith("::warning ")
    monkeypatch.setenv("MCP_LINT_OUTPUT_FORMAT", "yaml")
    assert main([]) == 2
    assert "environment variable MCP_LINT_OUTPUT_FORMAT" in capsys.readouterr().err


def test_rule_prints_its_doc(capsys):
    assert main(["rule", "MCP0101"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# MCP0101 env-read-in-tool")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix", "allowed = ["):
        assert section in out
    assert main(["rule", "env-read-in-tool"]) == 0
    assert capsys.readouterr().out == out


def test_rule_unknown_or_missing_exits_2(capsys):
    assert main(["rule", "nope"]) == 2
    assert "unknown rule 'nope'" in capsys.readouterr().err
    assert main(["rule"]) == 2
    assert "give a rule code or --all" in capsys.readouterr().err


def test_rule_all_json(capsys):
    assert main(["rule", "--all", "--output-format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    by_code = {r["code"]: r for r in rules}
    assert {"MCP0000", "MCP0001", "MCP0002", "MCP0101"} <= set(by_code)
    assert "## What it does" in by_code["MCP0101"]["doc"]


def test_rules_lists_every_rule(capsys):
    assert main(["rules", "--output-format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    mcp0101 = next(r for r in rules if r["code"] == "MCP0101")
    assert mcp0101["name"] == "env-read-in-tool"
    assert mcp0101["severity"] == "warning"
    assert mcp0101["item"] == 1
    assert "allowed" in mcp0101["options"]
    assert [r["code"] for r in rules] == sorted(r["code"] for r in rules)
    assert main(["rules"]) == 0
    listing = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["MCP0101", "env-read-in-tool"] in [words[:2] for words in listing]
    assert ["MCP0703", "[*]", "stdout-write-in-stdio-server"] in [words[:3] for words in listing]  # has an autofix


def test_version_and_help_return_0(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"mcp-lint {__version__}"
    assert main(["check", "--help"]) == 0
    assert "--output-format" in capsys.readouterr().out


def test_python_dash_m(tmp_path):
    project(tmp_path)
    version = subprocess.run([sys.executable, "-m", "mcp_lint", "--version"], capture_output=True, text=True)
    assert (version.returncode, version.stdout.strip()) == (0, f"mcp-lint {__version__}")
    proc = subprocess.run(
        [sys.executable, "-m", "mcp_lint", "check", "--output-format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    assert [f["code"] for f in json.loads(proc.stdout)["findings"]] == ["MCP0101"]


def test_output_file_creates_parent_folders(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "-o", "reports/lint.json", "--output-format", "json")
    assert code == 1 and out == ""
    assert json.loads((tmp_path / "reports" / "lint.json").read_text())["summary"]["findings"] == 1


def test_only_excluded_or_unknown_files_named_exit_0(tmp_path, capsys, monkeypatch):
    """What pre-commit does: name files explicitly; those we don't handle are skipped quietly."""
    project(tmp_path, {"server.py": SERVER, "README.md": "# hi\n", "build/gen.py": SERVER})
    assert run(capsys, monkeypatch, tmp_path, "README.md")[0] == 0
    assert run(capsys, monkeypatch, tmp_path, "--force-exclude", "build/gen.py")[0] == 0
    assert run(capsys, monkeypatch, tmp_path, "build/gen.py")[0] == 1  # named without --force-exclude: linted


def test_json_report_on_clean_run(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"server.py": CLEAN, "other.py": "x = 1\n"}, config=EMPTY_CONFIG)
    code, report = run_json(capsys, monkeypatch, tmp_path)
    assert code == 0
    assert report["findings"] == [] and report["errors"] == []


def test_rule_crash_exits_2_and_still_reports(tmp_path, capsys, monkeypatch):
    from mcp_lint.registry import rule_by_code_or_name

    def visit_Call(self, node):  # libcst collects visitors by function name
        raise RuntimeError("kaboom")

    monkeypatch.setattr(rule_by_code_or_name("MCP0101"), "visit_Call", visit_Call)
    project(tmp_path, {"server.py": SERVER + "x = 1  # mcp-lint: ignore\n"})
    # --no-cache: the cache cannot know the rule was patched.
    code, out, err = run(capsys, monkeypatch, tmp_path, "--exit-zero", "--no-cache")
    assert code == 2
    assert "internal error in MCP0101 on server.py: RuntimeError: kaboom" in err
    assert "server.py:11:8: MCP0002" in out  # the other findings are still printed
