"""The published pre-commit hooks: the manifest is valid for pre-commit itself, and the hooks,
as declared there, behave right when the real `pre-commit` runs them in a git repository.

`pre-commit try-repo` would clone this repository at HEAD and pip-install it (network, and
only committed files), so the hooks are replayed as `repo: local` hooks pointing at the
installed `mcp-lint` with the manifest's own entry, file types and flags."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from _project import CLEAN, SERVER, write

pre_commit_clientlib = pytest.importorskip("pre_commit.clientlib")

MANIFEST = Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml"
MCP_LINT = Path(sys.executable).parent / "mcp-lint"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def test_manifest_is_valid_for_pre_commit():
    hooks = {h["id"]: h for h in pre_commit_clientlib.load_manifest(str(MANIFEST))}
    assert set(hooks) == {"mcp-lint", "mcp-lint-fix", "mcp-lint-project"}
    assert hooks["mcp-lint-fix"]["entry"] == "mcp-lint check --force-exclude --fix"
    assert hooks["mcp-lint-fix"]["files"] == hooks["mcp-lint"]["files"]
    per_file = hooks["mcp-lint"]
    assert per_file["entry"] == "mcp-lint check --force-exclude"
    assert per_file["language"] == "python"
    assert per_file["types"] == ["text"]
    selects = re.compile(per_file["files"]).search
    for handled in ("src/server.py", "Dockerfile", "deploy/Dockerfile.prod", "k8s/app.yaml", "Caddyfile",
                    "nginx/site.conf", "tsconfig.json", "package.json", "docker-entrypoint.sh", ".env.example"):
        assert selects(handled), handled
    for other in ("README.md", "setup.cfg", "data.json"):
        assert not selects(other), other
    assert per_file["require_serial"] is True and per_file["pass_filenames"] is True
    assert per_file["minimum_pre_commit_version"] == "2.9.0"
    project = hooks["mcp-lint-project"]
    assert project["pass_filenames"] is False and project["always_run"] is True
    assert project["stages"] == ["pre-push", "manual"]


def _local_config() -> str:
    """The manifest's hooks as `repo: local` hooks running the installed mcp-lint."""
    hooks = []
    for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8")):
        command, _, args = hook["entry"].partition(" ")
        assert command == "mcp-lint"
        hooks.append({**hook, "entry": f"{MCP_LINT} {args}".strip(), "language": "system"})
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


@pytest.fixture
def git_repo(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    if not (MCP_LINT.exists() and PRE_COMMIT.exists()):
        pytest.skip("mcp-lint / pre-commit scripts not installed next to this Python")
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
    }

    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, timeout=60)

    assert call(git, "init", "-q", ".").returncode == 0
    write(repo, {"pyproject.toml": "[tool.mcp-lint]\n", ".pre-commit-config.yaml": _local_config()})
    return repo, call, git


def test_hook_fails_on_staged_finding_and_passes_when_clean(git_repo):
    repo, call, git = git_repo
    write(repo, {"app/server.py": SERVER, "tests/test_server.py": SERVER, "notes.txt": "os.getenv\n"})
    call(git, "add", "-A")
    proc = call(str(PRE_COMMIT), "run", "--color", "never")  # what `git commit` runs: the staged files
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "app/server.py:9:11: MCP0101" in proc.stdout
    assert "tests/test_server.py" not in proc.stdout  # excluded by default, even when named

    write(repo, {"app/server.py": CLEAN})
    call(git, "add", "-A")
    proc = call(str(PRE_COMMIT), "run", "--color", "never")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "mcp-lint...." in proc.stdout and "Passed" in proc.stdout


def test_project_hook_runs_in_manual_stage_only(git_repo):
    repo, call, git = git_repo
    write(repo, {"server.py": SERVER})
    call(git, "add", "-A")
    proc = call(str(PRE_COMMIT), "run", "mcp-lint-project", "--color", "never")
    assert "No hook with id `mcp-lint-project` in stage `pre-commit`" in proc.stdout  # not run on commit
    proc = call(str(PRE_COMMIT), "run", "mcp-lint-project", "--hook-stage", "manual", "--color", "never")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "server.py:9:11: MCP0101" in proc.stdout
