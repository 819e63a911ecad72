"""Command-line conventions through the real CLI: stdin, statistics, show-files/settings,
-q/-v, colour, progress, typo suggestions, closed pipes, grammar, --diff messages,
.mcp-lint.toml, shell completion."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pytest

from _project import CLEAN, SERVER, project, run, run_json
from mcp_lint.cli import main, parse_command_line


# ---------------------------------------------------------------------------------------
# stdin


def test_stdin_with_filename_uses_that_paths_config_and_project(tmp_path, capsys, monkeypatch):
    project(tmp_path / "svc", {"src/server.py": CLEAN, "src/helpers.py": "def register(mcp):\n    pass\n"},
            config='[tool.mcp-lint]\nignore = ["MCP0102"]\n')
    monkeypatch.setattr(sys, "stdin", io.StringIO(SERVER))
    code, report = run_json(capsys, monkeypatch, tmp_path, "check", "-", "--stdin-filename", "svc/src/server.py")
    assert code == 1
    assert [(f["code"], f["path"], f["line"]) for f in report["findings"]] == [("MCP0101", "src/server.py", 9)]
    assert (tmp_path / "svc/src/server.py").read_text() == CLEAN  # the disk copy is not touched
    # The configuration of svc/ applies: its ignore list, its root for paths.
    monkeypatch.setattr(sys, "stdin", io.StringIO(SERVER.replace("def search", "def search2")))
    code, report = run_json(capsys, monkeypatch, tmp_path, "-", "--stdin-filename", "svc/src/new.py", "--select", "MCP0101")
    assert [f["path"] for f in report["findings"]] == ["src/new.py"]


def test_stdin_kind_follows_the_filename(tmp_path, capsys, monkeypatch):
    project(tmp_path, {})
    monkeypatch.setattr(sys, "stdin", io.StringIO("FROM python:3.12\nCMD python server.py\n"))
    code, out, _ = run(capsys, monkeypatch, tmp_path, "-", "--stdin-filename", "Dockerfile", "--output-format", "concise")
    assert code == 1 and out.startswith("Dockerfile:2:1: MCP0501")


def test_stdin_without_filename_is_stdin_py(tmp_path, capsys, monkeypatch):
    project(tmp_path, {})
    monkeypatch.setattr(sys, "stdin", io.StringIO(SERVER))
    code, out, _ = run(capsys, monkeypatch, tmp_path, "-", "--output-format", "concise")
    assert code == 1 and out.startswith("stdin.py:9:11: MCP0101 ")
    assert not (tmp_path / "stdin.py").exists()


def test_stdin_misuse_is_a_usage_error(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, _, err = run(capsys, monkeypatch, tmp_path, "--stdin-filename", "x.py", "server.py")
    assert code == 2 and "--stdin-filename goes with `-`" in err
    for option in ("--fix", "--diff", "--add-noqa"):
        code, _, err = run(capsys, monkeypatch, tmp_path, "-", option)
        assert code == 2 and "cannot be combined with --fix, --diff or --add-noqa" in err
    code, _, err = run(capsys, monkeypatch, tmp_path, "-", "server.py")
    assert code == 2 and "must be the only path" in err


# ---------------------------------------------------------------------------------------
# show-files, show-settings, -q, -v


def test_show_files_lists_kinds_and_lints_nothing(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"server.py": "def broken(:\n", "Dockerfile": "FROM x\n", "tests/test_a.py": "", "notes.txt": ""})
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--show-files")
    assert code == 0
    assert out.splitlines() == ["Dockerfile\tdockerfile", "server.py\tpython"]


def test_show_settings_is_toml_with_the_resolved_values(tmp_path, capsys, monkeypatch):
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    config = '[tool.mcp-lint]\nignore = ["MCP07"]\n[tool.mcp-lint.rules.MCP0101]\nallowed = ["HOME"]\n'
    project(tmp_path, config=config)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--show-settings", "--fail-on", "error")
    settings = tomllib.loads(out)
    assert code == 0
    assert settings["config-file"] == str(tmp_path / "pyproject.toml")
    assert settings["fail-on"] == "error"
    assert "MCP0101" in settings["enabled-rules"] and not any(c.startswith("MCP07") for c in settings["enabled-rules"])
    assert settings["rules"]["MCP0101"] == {"allowed": ["HOME"]}


def test_quiet_and_verbose(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, out, err = run(capsys, monkeypatch, tmp_path, "-q")
    assert code == 1 and "MCP0101" in out and "Found" not in out and "help:" in out and err == ""
    project(tmp_path / "clean", {"server.py": CLEAN})
    code, out, err = run(capsys, monkeypatch, tmp_path / "clean", "-q")
    assert (code, out, err) == (0, "", "")
    code, out, err = run(capsys, monkeypatch, tmp_path / "clean", "-v")
    assert code == 0 and "All checks passed (1 file checked)." in out
    assert f"configuration {tmp_path / 'clean' / 'pyproject.toml'}" in err
    assert "1 file checked (1 python)" in err


# ---------------------------------------------------------------------------------------
# colour and progress


def test_color_decision_order():
    from mcp_lint.cli_check import use_color

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert use_color("auto", False, Tty(), {}) is True
    assert use_color("auto", False, io.StringIO(), {}) is False
    assert use_color("auto", False, io.StringIO(), {"FORCE_COLOR": "1"}) is True
    assert use_color("auto", False, io.StringIO(), {"FORCE_COLOR": "0"}) is False
    assert use_color("auto", False, Tty(), {"NO_COLOR": "1", "FORCE_COLOR": "1"}) is False
    assert use_color("always", False, io.StringIO(), {"NO_COLOR": "1"}) is True
    assert use_color("never", False, Tty(), {"FORCE_COLOR": "1"}) is False
    assert use_color("auto", True, Tty(), {"FORCE_COLOR": "1"}) is False


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal_outside_ci(tmp_path, capsys, monkeypatch):
    from mcp_lint import progress

    project(tmp_path, {f"pkg{i}/server.py": CLEAN for i in range(4)})
    monkeypatch.setattr(progress, "MIN_FILES", 2)
    monkeypatch.delenv("CI", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache"]) == 0
    assert "mcp-lint" in terminal.getvalue() and "4/4" in terminal.getvalue()
    for blocker in (["-q"], ["CI"]):
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        if blocker == ["CI"]:
            monkeypatch.setenv("CI", "true")
        assert main(["check", "--no-cache", *[b for b in blocker if b.startswith("-")]]) == 0
        assert terminal.getvalue() == ""
    assert progress.wanted(False, io.StringIO(), {}) is False  # not a terminal


# ---------------------------------------------------------------------------------------
# typos, closed pipes, grammar, --diff, .mcp-lint.toml


def test_mistyped_command_and_option_suggestions(tmp_path, capsys, monkeypatch):
    project(tmp_path)
    code, _, err = run(capsys, monkeypatch, tmp_path, "chek")
    assert code == 2 and "unknown command 'chek' (did you mean 'check'?)" in err
    assert "no such file" not in err
    code, _, err = run(capsys, monkeypatch, tmp_path, "snapshto")
    assert code == 2 and "did you mean 'snapshot'?" in err
    code, _, err = run(capsys, monkeypatch, tmp_path, "check", "--statistcs")
    assert code == 2 and "unrecognized arguments: --statistcs (did you mean: --statistcs -> --statistics?)" in err
    (tmp_path / "chek").mkdir()  # a real folder of that name is linted, not "corrected"
    assert run(capsys, monkeypatch, tmp_path, "chek")[0] == 0


def test_closed_pipe_exits_quietly(tmp_path):
    script = "import sys; from mcp_lint.cli import main; sys.exit(main(['rules']))"
    proc = subprocess.run(
        f'"{sys.executable}" -c "{script}" | head -1', shell=True, capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.stdout.startswith("MCP0000")
    assert proc.stderr == ""


def test_diff_explains_when_only_unsafe_fixes_exist(tmp_path, capsys, monkeypatch):
    project(tmp_path, {"Dockerfile": "FROM python:3.12\nCMD python server.py\n"})
    code, out, err = run(capsys, monkeypatch, tmp_path, "--diff")
    assert (code, out) == (0, "")
    assert "no fixes to show (1 more with --unsafe-fixes)" in err
    code, out, _ = run(capsys, monkeypatch, tmp_path, "--diff", "--unsafe-fixes")
    assert code == 1 and '+CMD ["python", "server.py"]' in out


@pytest.mark.parametrize("name", ["mcp-lint.toml", ".mcp-lint.toml"])
def test_standalone_config_files(tmp_path, capsys, monkeypatch, name):
    (tmp_path / name).write_text('ignore = ["MCP0101"]\n')
    (tmp_path / "server.py").write_text(SERVER)
    code, out, _ = run(capsys, monkeypatch, tmp_path)
    assert code == 0 and "All checks passed (1 file checked)." in out
    (tmp_path / name).write_text("colour = 1\n")
    code, _, err = run(capsys, monkeypatch, tmp_path)
    assert code == 2 and name in err


# ---------------------------------------------------------------------------------------
# shell completion


def test_completion_scripts_cover_commands_and_options(capsys):
    for shell in ("bash", "zsh", "fish"):
        assert main(["completion", shell]) == 0
        out = capsys.readouterr().out
        for word in ("check", "rules", "snapshot", "--output-format", "--statistics", "checklist-markdown"):
            assert word.lstrip("-") in out, (shell, word)
    assert main(["completion", "tcsh"]) == 2


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_completion_completes(tmp_path):
    script = subprocess.run([sys.executable, "-m", "mcp_lint", "completion", "bash"], capture_output=True, text=True).stdout
    probe = script + (
        '\nCOMP_WORDS=(mcp-lint check --output-f); COMP_CWORD=2; _mcp_lint; echo "${COMPREPLY[@]}"'
        '\nCOMP_WORDS=(mcp-lint check --output-format ch); COMP_CWORD=3; _mcp_lint; echo "${COMPREPLY[@]}"'
        '\nCOMP_WORDS=(mcp-lint ru); COMP_CWORD=1; _mcp_lint; echo "${COMPREPLY[@]}"'
    )
    lines = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, cwd=tmp_path).stdout.splitlines()
    assert lines == ["--output-format --output-file", "checklist checklist-markdown", "rule rules"]


def test_parse_command_line_runs_nothing():
    args = parse_command_line(["check", "src", "--output-format", "sarif", "-o", "x.sarif"])
    assert args.command == "check" and args.output_format == "sarif"
    assert parse_command_line(["--select", "MCP07"]).command == "check"


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish not installed")
def test_fish_completion_completes(tmp_path):
    script = tmp_path / "mcp-lint.fish"
    script.write_text(subprocess.run([sys.executable, "-m", "mcp_lint", "completion", "fish"], capture_output=True, text=True).stdout)
    assert subprocess.run(["fish", "-n", str(script)]).returncode == 0
    probe = f'source {script}; complete -C "mcp-lint check --output-format che"; complete -C "mcp-lint ru"'
    out = subprocess.run(["fish", "-c", probe], capture_output=True, text=True, cwd=tmp_path).stdout
    assert [line.split("\t")[0] for line in out.splitlines()] == ["checklist", "checklist-markdown", "rule", "rules"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh not installed")
def test_zsh_completion_is_valid_zsh(tmp_path):
    folder = tmp_path / "functions"
    folder.mkdir()
    (folder / "_mcp-lint").write_text(subprocess.run([sys.executable, "-m", "mcp_lint", "completion", "zsh"], capture_output=True, text=True).stdout)
    assert subprocess.run(["zsh", "-n", str(folder / "_mcp-lint")]).returncode == 0
    probe = f"fpath=({folder} $fpath); autoload -U compinit && compinit -u -d {tmp_path}/zcompdump; echo $_comps[mcp-lint]"
    assert subprocess.run(["zsh", "-f", "-c", probe], capture_output=True, text=True).stdout.strip() == "_mcp-lint"
