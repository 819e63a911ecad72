"""Configuration end to end: discovery, rule selection, per-file ignores, severities, rule
options, `--config`, excludes and .gitignore."""

from __future__ import annotations

from pathlib import Path

import pytest

from _project import CLEAN, SERVER, codes, project, run, run_json, write
from mcp_lint.config import Config, ConfigError, load_config
from mcp_lint.registry import all_rules


def test_config_discovered_upward_and_paths_relative_to_its_folder(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"src/app/server.py": SERVER}, config='[tool.mcp-lint]\nseverity = { MCP0101 = "error" }\n')
    # A pyproject.toml without our table on the way up is skipped, not taken as the root.
    write(tmp_path, {"src/pyproject.toml": "[project]\nname = 'x'\n"})
    _, report = run_json(capsys, monkeypatch, tmp_path / "src" / "app", ".")
    assert codes(report) == [("MCP0101", "src/app/server.py", 9)]
    assert report["findings"][0]["severity"] == "error"


def test_broken_pyproject_that_holds_our_table_is_an_error(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"sub/server.py": SERVER}, config="[tool.mcp-lint\nselect = []\n")
    code, _, err = run(capsys, monkeypatch, tmp_path / "sub")
    assert code == 2 and "invalid TOML" in err


def test_standalone_mcp_lint_toml(tmp_path, capsys, monkeypatch):
    project(tmp_path, config="[tool.other]\n")
    write(tmp_path, {"mcp-lint.toml": 'ignore = ["MCP0101"]\n'})
    assert run(capsys, monkeypatch, tmp_path)[0] == 0


@pytest.mark.parametrize("selector", ["MCP0101", "MCP01", "mcp0101", "env-read-in-tool", "ALL"])
def test_ignore_by_code_prefix_or_name(tmp_path, capsys, monkeypatch, selector):
    project(tmp_path, config=f'[tool.mcp-lint]\nignore = ["{selector}"]\n')
    code, out, _ = run(capsys, monkeypatch, tmp_path)
    assert code == 0 and "MCP0101" not in out


@pytest.mark.parametrize(
    "config, expected",
    [
        ('select = ["MCP0001"]', []),
        ('select = ["MCP00"]', []),
        ('select = ["MCP0001"]\nextend-select = ["env-read-in-tool"]', ["MCP0101"]),
        ('select = ["MCP01"]', ["MCP0101"]),
        ('extend-select = ["MCP01"]\nignore = ["MCP0101"]', []),
    ],
)
def test_select_and_extend_select(tmp_path, capsys, monkeypatch, config, expected):
    project(tmp_path, config=f"[tool.mcp-lint]\n{config}\n")
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert [f["code"] for f in report["findings"]] == expected


@pytest.mark.parametrize(
    "config, args, expected",
    [
        # --select starts over: the configured ignore no longer applies.
        ('ignore = ["MCP0101"]', ["--select", "MCP0101"], ["MCP0101"]),
        # --extend-select and --ignore adjust the configured selection instead of replacing it.
        ('ignore = ["MCP0101"]', ["--extend-select", "MCP0101"], ["MCP0101", "MCP0002"]),
        ('select = ["MCP0001"]', ["--extend-select", "MCP0101"], ["MCP0101"]),
        ('ignore = ["MCP0002"]', ["--ignore", "MCP0101"], []),
        ("", ["--ignore", "MCP0002"], ["MCP0101"]),
        ("", [], ["MCP0101", "MCP0002"]),
    ],
)
def test_command_line_selection_layers_on_config(tmp_path, capsys, monkeypatch, config, args, expected):
    bare = SERVER.replace('key = os.getenv("API_KEY")', 'key = os.getenv("API_KEY")\n    x = 1  # mcp-lint: ignore')
    project(tmp_path, {"server.py": bare}, config=f"[tool.mcp-lint]\n{config}\n")
    _, report = run_json(capsys, monkeypatch, tmp_path, *args)
    assert [f["code"] for f in report["findings"]] == expected


FOUR_SERVERS = {"legacy/server.py": SERVER, "scripts/tool.py": SERVER, "app/server.py": SERVER, "other/server.py": SERVER}


def test_per_file_ignores(tmp_path, capsys, monkeypatch):
    config = '[tool.mcp-lint.per-file-ignores]\n"legacy/*.py" = ["MCP0101"]\n"scripts/**" = ["ALL"]\n'
    project(tmp_path, FOUR_SERVERS, config=config)
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert codes(report) == [("MCP0101", "app/server.py", 9), ("MCP0101", "other/server.py", 9)]


def test_per_file_ignores_negated_glob(tmp_path, capsys, monkeypatch):
    project(tmp_path, FOUR_SERVERS, config='[tool.mcp-lint.per-file-ignores]\n"!app/**" = ["env-read-in-tool"]\n')
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert codes(report) == [("MCP0101", "app/server.py", 9)]  # ignored everywhere except app/


def test_per_file_ignores_prefix_applies_only_to_matching_files(tmp_path, capsys, monkeypatch):
    config = '[tool.mcp-lint.per-file-ignores]\n"legacy/*.py" = ["MCP01"]\n'
    project(tmp_path, {"legacy/server.py": SERVER, "server.py": SERVER}, config=config)
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert codes(report) == [("MCP0101", "server.py", 9)]


def test_severity_override_changes_level_and_exit_threshold(tmp_path, capsys, monkeypatch):
    project(tmp_path, config='[tool.mcp-lint.severity]\nMCP0101 = "error"\n')
    code, report = run_json(capsys, monkeypatch, tmp_path, "--fail-on", "error")
    assert code == 1
    assert report["findings"][0]["severity"] == "error"
    assert report["summary"]["error"] == 1 and report["summary"]["warning"] == 0


def test_severity_override_by_name_to_note(tmp_path, capsys, monkeypatch):
    project(tmp_path, config='[tool.mcp-lint.severity]\nenv-read-in-tool = "note"\n')
    code, report = run_json(capsys, monkeypatch, tmp_path, "--fail-on", "warning")
    assert code == 0
    assert report["findings"][0]["severity"] == "info"


def test_rule_options(tmp_path, capsys, monkeypatch):
    project(tmp_path, config='[tool.mcp-lint.rules.MCP0101]\nallowed = ["API_KEY"]\n')
    assert run(capsys, monkeypatch, tmp_path)[0] == 0
    project(tmp_path, config='[tool.mcp-lint.rules.env-read-in-tool]\nallowed = ["OTHER"]\n')
    assert run(capsys, monkeypatch, tmp_path)[0] == 1


@pytest.mark.parametrize(
    "table, message",
    [
        ("[tool.mcp-lint.rules.MCP0101]\nallow = []", "MCP0101 has no option 'allow' (options: allowed)"),
        ('[tool.mcp-lint.rules.MCP0101]\nallowed = "PATH"', "allowed: expected list, got str 'PATH'"),
        ("[tool.mcp-lint.rules.MCP0101]\nallowed = [1]", "allowed: expected list"),
        ("[tool.mcp-lint.rules.MCP9999]\nx = 1", "unknown rule 'MCP9999'"),
        ("[tool.mcp-lint]\nrules = 1", "expected [tool.mcp-lint.rules.CODE] tables"),
        ("[tool.mcp-lint.rules]\nMCP0101 = 1", "MCP0101: expected a table of options"),
    ],
)
def test_rule_option_errors(tmp_path, capsys, monkeypatch, table, message):
    project(tmp_path, config=table + "\n")
    code, _, err = run(capsys, monkeypatch, tmp_path)
    assert code == 2 and message in err


def test_config_path_option(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    write(tmp_path, {"ci/lint.toml": 'ignore = ["MCP0101"]\n', "ci/sev.toml": '[severity]\nMCP0101 = "error"\n'})
    assert run(capsys, monkeypatch, tmp_path, "--config", "ci/lint.toml")[0] == 0
    # The file's folder is not the project root: paths stay relative to where mcp-lint runs.
    _, report = run_json(capsys, monkeypatch, tmp_path, "--config", "ci/sev.toml", "server.py")
    assert [(f["path"], f["severity"]) for f in report["findings"]] == [("server.py", "error")]
    code, _, err = run(capsys, monkeypatch, tmp_path, "--config", "ci/missing.toml")
    assert code == 2 and "config file not found: ci/missing.toml" in err
    code, _, err = run(capsys, monkeypatch, tmp_path, "--config", "ci/lint.toml", "--config", "pyproject.toml")
    assert code == 2 and "only one configuration file" in err


def test_inline_config_overrides(tmp_path, capsys, monkeypatch):
    project(tmp_path, config='[tool.mcp-lint.severity]\nMCP0001 = "error"\n')
    assert run(capsys, monkeypatch, tmp_path, "--config", 'ignore = ["MCP0101"]')[0] == 0
    # Inline tables merge key by key with the file's.
    _, report = run_json(capsys, monkeypatch, tmp_path, "--config", 'severity.MCP0101 = "error"')
    assert report["findings"][0]["severity"] == "error"
    code, _, err = run(capsys, monkeypatch, tmp_path, "--config", "select = [")
    assert code == 2 and "not a path nor a valid 'key = value' override" in err
    code, _, err = run(capsys, monkeypatch, tmp_path, "--config", "nope = 1")
    assert code == 2 and "--config 'nope = 1': unknown key(s) nope" in err


def test_exclude_and_extend_exclude(tmp_path, capsys, monkeypatch):
    files = {"server.py": SERVER, "generated/server.py": SERVER, "tests/server.py": SERVER, "server.old/server.py": SERVER,
             "server_old/server.py": SERVER, "test-server/server.py": SERVER,
             "archived/server.py": SERVER, "src/_legacy/server.py": SERVER, "legacy/server.py": SERVER}
    project(tmp_path, files)
    _, report = run_json(capsys, monkeypatch, tmp_path)
    # tests/, `test-*/` fixtures (PortSwigger's vulnerable `test-server/`) and retired copies
    # (`server.old/`, `archived/`, `_legacy/`) by default; `server_old/` could be imported, and
    # `legacy/` is often still served
    assert [f["path"] for f in report["findings"]] == ["generated/server.py", "legacy/server.py", "server.py", "server_old/server.py"]
    project(tmp_path, files, config='[tool.mcp-lint]\nextend-exclude = ["generated/", "server_old/", "legacy/"]\n')
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert [f["path"] for f in report["findings"]] == ["server.py"]
    project(tmp_path, files, config='[tool.mcp-lint]\nexclude = ["generated/"]\n')  # replaces the defaults
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert [f["path"] for f in report["findings"]] == ["archived/server.py", "legacy/server.py", "server.old/server.py", "server.py", "server_old/server.py",
                                                       "src/_legacy/server.py", "test-server/server.py", "tests/server.py"]


def test_gitignore_honoured(tmp_path, capsys, monkeypatch):
    files = {"server.py": CLEAN, "scratch/server.py": SERVER, "pkg/.gitignore": "local_*.py\n", "pkg/local_x.py": SERVER}
    project(tmp_path, {**files, ".gitignore": "scratch/\n"})
    assert run(capsys, monkeypatch, tmp_path)[0] == 0
    project(tmp_path, files, config="[tool.mcp-lint]\nrespect-gitignore = false\n")
    _, report = run_json(capsys, monkeypatch, tmp_path)
    assert [f["path"] for f in report["findings"]] == ["pkg/local_x.py", "scratch/server.py"]


def _rules():
    return all_rules()


def test_enabled_rules_layering_unit(tmp_path):
    config = Config(root=tmp_path, ignore=["MCP0101"])
    assert "MCP0101" not in {r.code for r in config.enabled_rules(_rules())}
    config.cli.extend_select = ["MCP0101"]
    assert "MCP0101" in {r.code for r in config.enabled_rules(_rules())}
    config.cli.select = ["MCP00"]
    assert {r.code for r in config.enabled_rules(_rules())} == {"MCP0000", "MCP0001", "MCP0002", "MCP0003", "MCP0101"}


def test_load_config_without_any_file_uses_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MCP_LINT_OUTPUT_FORMAT", raising=False)
    write(tmp_path, {"server.py": SERVER})
    config = load_config([Path("server.py")], rules=_rules())
    assert (config.config_path, config.root) == (None, tmp_path.resolve())
    assert config.select == ["ALL"] and config.output_format == "text"
    with pytest.raises(ConfigError, match="unknown key\\(s\\) bogus"):
        load_config([Path("server.py")], "bogus = 2", rules=_rules())
