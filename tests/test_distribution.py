"""What a user installs and what CI runs: licence and metadata, an sdist that carries its own
tests, the composite GitHub Action and the project's own CI workflow."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from _project import CLEAN, SERVER, project
from _workflows import action_problems, run_lines, workflow_problems

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _supported_pythons():
    low = int(re.fullmatch(r">=3\.(\d+)", PYPROJECT["requires-python"]).group(1))
    declared = sorted(int(c.rsplit(".", 1)[1]) for c in PYPROJECT["classifiers"] if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    return low, declared


def test_licence_and_metadata():
    assert PYPROJECT["license"] == {"text": "MIT"}
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Permission is hereby granted, free of charge" in licence
    assert "License :: OSI Approved :: MIT License" in PYPROJECT["classifiers"]
    low, declared = _supported_pythons()
    assert declared[0] == low and declared == list(range(low, declared[-1] + 1)), "one classifier per supported version"
    assert {"Homepage", "Documentation", "Issues", "Source"} <= set(PYPROJECT["urls"])


def _git_files(*folders):
    try:
        out = subprocess.run(["git", "ls-files", *folders], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None  # not a git checkout (an unpacked sdist): nothing to compare with
    return {line for line in out.splitlines() if line}


def _build_sdist(outdir: Path) -> Path:
    if importlib.util.find_spec("build") is not None:
        command = [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--skip-dependency-check", "--outdir", str(outdir)]
    else:
        command = [sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(outdir)!r})"]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (sdist,) = outdir.glob("*.tar.gz")
    return sdist


@pytest.mark.skipif(_git_files() is None, reason="needs the git checkout to compare with")
def test_sdist_carries_what_its_tests_need(tmp_path):
    sdist = _build_sdist(tmp_path)
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    needed = _git_files("tests", "fixtures", "docs", "mcp_lint", "rules")
    needed |= {"LICENSE", "README.md", "pyproject.toml", ".pre-commit-hooks.yaml", "action.yml", ".github/workflows/ci.yml"}
    missing = sorted(n for n in needed if n not in names and not n.endswith((".pyc",)))
    assert not missing, f"not in the sdist: {missing[:20]}"
    assert not any("__pycache__" in n or n.startswith(".venv/") for n in names)


def test_composite_action():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action_problems(action) == []
    assert {"paths", "args", "version"} <= set(action["inputs"])
    steps = action["runs"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert "always()" in upload["if"], "the upload must run although the lint step found problems"
    lint = next(s for s in steps if s.get("id") == "lint")
    assert "set +e" in lint["run"] and "--output-format sarif" in lint["run"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "mcp-prodlint" in install["run"]


def test_ci_workflow_tests_every_supported_python_and_lints_the_fixtures():
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    assert workflow_problems(workflow) == []
    low, declared = _supported_pythons()
    matrix = workflow["jobs"]["tests"]["strategy"]["matrix"]["python-version"]
    assert [int(v.split(".")[1]) for v in matrix] == declared
    lines = run_lines(workflow)
    assert "mcp-lint check fixtures/good-server" in lines
    bad = lines.index("mcp-lint check fixtures/bad-server --output-format concise")
    assert lines[bad + 1].strip() == "test $? -eq 1"


def test_the_fixture_verdicts_ci_relies_on(capsys, monkeypatch):
    from mcp_lint.cli import main

    monkeypatch.chdir(ROOT)
    assert main(["check", "fixtures/good-server", "-q"]) == 0
    assert main(["check", "fixtures/bad-server", "-q"]) == 1


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
@pytest.mark.parametrize("files, exit_code", [({"server.py": SERVER}, "1"), ({"server.py": CLEAN}, "0")])
def test_the_actions_lint_step_runs(tmp_path, files, exit_code):
    """The composite action's lint step, run as GitHub would: findings do not fail the step
    (the upload must still run), the exit code is an output, the checklist goes to the summary."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    script = next(s for s in action["runs"]["steps"] if s.get("id") == "lint")["run"]
    project(tmp_path, files)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PATHS": ".", "ARGS": "--no-cache", "SARIF": "out/mcp-lint.sarif",
        "GITHUB_OUTPUT": str(tmp_path / "github_output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    (tmp_path / "out").mkdir()
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "github_output").read_text() == f"exit-code={exit_code}\n"
    assert json.loads((tmp_path / "out/mcp-lint.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "summary.md").read_text().startswith("## MCP production checklist")
