"""The whole-run cache (mcp_lint/run_cache.py): an unchanged tree answers with the stored report,
without running the engine; any change the report could depend on runs it again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from _project import CLEAN, SERVER, count_calls, project, run
from mcp_lint import engine, run_cache

PAST = time.time() - 60  # older than run_cache.RECENT_NS: the file-system clock can be trusted


def settle(root: Path) -> None:
    """Date every file of the tree a minute back, as in a checkout edited earlier."""
    for folder, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), (PAST, PAST))


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".git").mkdir()
    project(root)
    settle(root)
    return root


@pytest.fixture
def engine_runs(monkeypatch):
    """How many times the engine ran."""
    return count_calls(monkeypatch, engine, "run")


def check(capsys, monkeypatch, root, tmp_path, *args):
    return run(capsys, monkeypatch, root, "check", ".", "--cache-dir", str(tmp_path / "cache"), *args)


def test_unchanged_tree_replays_the_report_without_running_the_engine(repo, tmp_path, capsys, monkeypatch, engine_runs):
    first = check(capsys, monkeypatch, repo, tmp_path)
    second = check(capsys, monkeypatch, repo, tmp_path)
    assert first[0] == 1 and "MCP0101" in first[1]
    assert second == first
    assert len(engine_runs) == 1


def test_an_edited_file_runs_again(repo, tmp_path, capsys, monkeypatch, engine_runs):
    check(capsys, monkeypatch, repo, tmp_path)
    (repo / "server.py").write_text(CLEAN)
    settle(repo)
    code, out, _ = check(capsys, monkeypatch, repo, tmp_path)
    assert (code, len(engine_runs)) == (0, 2)
    assert "MCP0101" not in out


@pytest.mark.parametrize("change", [
    lambda root: (root / "tests").mkdir() or (root / "tests" / "test_client.py").write_text("x = 1\n"),  # read by CI rules, never linted
    lambda root: (root / "mcp-lint.toml").write_text("ignore = ['MCP0101']\n"),
    lambda root: (root.parent / "pyproject.toml").write_text("[tool.mcp-lint]\n"),  # configuration above the repository
    lambda root: os.chmod(root / "server.py", 0o600),
])
def test_any_change_in_the_tree_or_its_configuration_runs_again(repo, tmp_path, capsys, monkeypatch, engine_runs, change):
    check(capsys, monkeypatch, repo, tmp_path)
    change(repo)
    settle(repo.parent)
    check(capsys, monkeypatch, repo, tmp_path)
    assert len(engine_runs) == 2


def test_other_options_or_environment_run_again(repo, tmp_path, capsys, monkeypatch, engine_runs):
    check(capsys, monkeypatch, repo, tmp_path)
    check(capsys, monkeypatch, repo, tmp_path, "--output-format", "json")
    monkeypatch.setenv("NO_COLOR", "1")
    check(capsys, monkeypatch, repo, tmp_path, "--output-format", "json")
    check(capsys, monkeypatch, repo, tmp_path, "--output-format", "json")
    assert len(engine_runs) == 3


def test_a_recently_modified_file_is_not_trusted(repo, tmp_path, capsys, monkeypatch, engine_runs):
    (repo / "server.py").write_text(SERVER)  # now: an edit in the same clock tick could follow unseen
    check(capsys, monkeypatch, repo, tmp_path)
    check(capsys, monkeypatch, repo, tmp_path)
    assert len(engine_runs) == 2


def test_outside_a_repository_the_walk_starts_at_the_target(tmp_path, capsys, monkeypatch, engine_runs):
    root = project(tmp_path / "plain")  # no folder above it is a package or a repository
    settle(root)
    check(capsys, monkeypatch, root, tmp_path)
    check(capsys, monkeypatch, root, tmp_path)
    assert len(engine_runs) == 1


def test_a_target_inside_a_package_outside_a_repository_always_runs(tmp_path, capsys, monkeypatch, engine_runs):
    package = project(tmp_path / "package")  # its pyproject.toml is above the target: the unit is the package
    target = package / "sub"
    target.mkdir()
    (target / "server.py").write_text(SERVER)
    settle(package)
    check(capsys, monkeypatch, target, tmp_path)
    check(capsys, monkeypatch, target, tmp_path)
    assert len(engine_runs) == 2


def test_a_report_written_into_the_tree_does_not_defeat_the_cache(repo, tmp_path, capsys, monkeypatch, engine_runs):
    check(capsys, monkeypatch, repo, tmp_path, "-o", "report.txt")
    written = (repo / "report.txt").read_text()
    (repo / "report.txt").unlink()
    code, _, _ = check(capsys, monkeypatch, repo, tmp_path, "-o", "report.txt")
    assert (code, len(engine_runs)) == (1, 1)
    assert (repo / "report.txt").read_text() == written


def test_baseline_note_is_said_again(repo, tmp_path, capsys, monkeypatch, engine_runs):
    check(capsys, monkeypatch, repo, tmp_path, "--write-baseline", str(tmp_path / "base.json"))
    os.utime(tmp_path / "base.json", (PAST, PAST))
    first = check(capsys, monkeypatch, repo, tmp_path, "--baseline", str(tmp_path / "base.json"))
    second = check(capsys, monkeypatch, repo, tmp_path, "--baseline", str(tmp_path / "base.json"))
    assert "in the baseline not shown" in first[2]
    assert second == first
    assert len(engine_runs) == 2  # --write-baseline, then the first --baseline run


@pytest.mark.parametrize("options", [["--no-cache"], ["--verbose"], ["--diff"], ["--fix"]])
def test_runs_that_do_more_than_report_always_run(repo, tmp_path, capsys, monkeypatch, engine_runs, options):
    check(capsys, monkeypatch, repo, tmp_path, *options)
    check(capsys, monkeypatch, repo, tmp_path, *options)
    assert len(engine_runs) == 2


def test_a_file_read_outside_the_tree_is_checked_by_content(tmp_path):
    outside = tmp_path / "shared.conf"
    outside.write_text("a")
    from mcp_lint.cache import content_hash

    stored = {"text": "report", "status": 1, "notes": [], "inputs": {str(outside): content_hash(b"a")}}
    assert run_cache._report_if_valid(stored) == run_cache.Report("report", 1, [])
    outside.write_text("b")
    assert run_cache._report_if_valid(stored) is None
    outside.unlink()
    assert run_cache._report_if_valid(stored) is None


def test_a_run_that_lints_a_tool_folder_is_not_remembered():
    class Result:
        sources = ["node_modules/pkg/server.py"]

    assert run_cache._lints_skipped_folder(Result())
    Result.sources = ["src/server.py"]
    assert not run_cache._lints_skipped_folder(Result())
