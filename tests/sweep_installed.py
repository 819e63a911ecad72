"""Real-world sweep (not collected by pytest: run it by hand). Lints every file of the
installed packages (the venv's site-packages, or the folders given) and fails on any internal
error, traceback, exit code other than 0/1, or a run over the time limit.

    .venv/bin/python tests/sweep_installed.py [FOLDER ...]
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

TIME_LIMIT = 1800


def sweep(folder: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="mcp-lint-sweep-") as scratch:
        out = Path(scratch) / "out.json"
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "mcp_lint", "check", str(folder), "--no-cache", "--output-format", "json", "-o", str(out),
             "--config", "respect-gitignore = false", "--config", "exclude = []"],
            cwd=scratch, capture_output=True, text=True, timeout=TIME_LIMIT,
        )
        elapsed = time.monotonic() - started
        report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    problems = []
    if done.returncode not in (0, 1):
        problems.append(f"exit code {done.returncode}")
    if "Traceback" in done.stderr or "internal error" in done.stderr:
        problems.append(done.stderr.strip()[-2000:])
    errors = report["errors"] if report else []
    internal = [e for e in errors if e["kind"] == "internal-error"]
    problems.extend(f"{e['path']}: {e.get('rule', 'engine')}: {e['message']}" for e in internal)
    skipped = [e for e in errors if e["kind"] == "skipped"]
    checked = report["summary"]["files_checked"] if report else 0
    parse_errors = sum(1 for f in (report or {}).get("findings", ()) if f["code"] == "MCP0000")
    print(f"{folder}: {checked} files in {elapsed:.0f} s, {parse_errors} parse errors, {len(skipped)} skipped")
    for problem in problems:
        print(f"  PROBLEM {problem}")
    return 1 if problems else 0


def main(argv: list) -> int:
    folders = [Path(a) for a in argv] or [Path(sysconfig.get_paths()["purelib"])]
    return max(sweep(folder) for folder in folders)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
