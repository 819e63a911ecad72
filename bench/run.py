"""Benchmark mcp-lint against peers on the same trees, in one run.

    python bench/run.py [--quick] [--markdown]

Sets up `bench/.venv` (gitignored) with mcp-lint and the peers (semgrep, bandit, ruff) plus the
sources of pylint, astroid and rich, all from the package registry; nothing else is downloaded.
Trees:
  - large non-MCP tree: the installed pylint + astroid + rich packages (~390 files, ~120k lines);
  - MCP-heavy trees: every bundled fixture copied 1x, 4x and 16x.
For each tree it times mcp-lint cold (empty cache) and cached, ruff --no-cache, bandit and semgrep
with two rules, recording wall time and the peak RSS of the process tree, and prints the ratios.
It also times a pre-commit style run on 3 files of the large tree. A script, not a test: timings
depend on the machine."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
VENV = HERE / ".venv"
PEERS = ["semgrep", "bandit", "ruff", "pylint", "astroid", "rich"]
SEMGREP_RULES = HERE / "semgrep-two-rules.yaml"


def sh(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, **kwargs)


def bin_(name: str) -> str:
    return str(VENV / "bin" / name)


def ensure_venv() -> None:
    if not (VENV / "bin" / "python").exists():
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".installed"
    if not stamp.exists():
        sh(bin_("python"), "-m", "pip", "install", "--quiet", "-e", str(PROJECT), *PEERS)
        stamp.write_text("ok")


def site_packages() -> Path:
    out = subprocess.run([bin_("python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def build_trees(work: Path, quick: bool) -> Dict[str, Path]:
    trees = {}
    large = work / "large-non-mcp"
    for package in ("pylint", "astroid", "rich"):
        shutil.copytree(site_packages() / package, large / package, ignore=shutil.ignore_patterns("__pycache__"))
    trees["large non-MCP (pylint+astroid+rich)"] = large
    for factor in (1, 4) if quick else (1, 4, 16):
        tree = work / f"mcp-heavy-{factor}x"
        for copy in range(factor):
            for fixture in sorted((PROJECT / "fixtures").iterdir()):
                if fixture.is_dir():
                    shutil.copytree(fixture, tree / f"copy{copy}" / fixture.name)
        trees[f"MCP-heavy fixtures {factor}x"] = tree
    return trees


def measure(cmd: List[str], cwd: Path, env: Optional[dict] = None) -> Tuple[float, float, int]:
    """(wall seconds, peak RSS MB of the process and its waited-for children, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def count(tree: Path) -> Tuple[int, int]:
    files = [p for p in tree.rglob("*") if p.is_file()]
    py = [p for p in files if p.suffix == ".py"]
    return len(files), sum(p.read_bytes().count(b"\n") for p in py)


def run_tree(name: str, tree: Path, cache_dir: Path) -> List[Tuple[str, float, float]]:
    env = {**os.environ, "MCP_LINT_CACHE_DIR": str(cache_dir)}
    rows = []
    lint = [bin_("mcp-lint"), "check", ".", "--output-format", "json", "-o", os.devnull]
    rows.append(("mcp-lint cold", *measure(lint, tree, env)[:2]))
    rows.append(("mcp-lint cached", *measure(lint, tree, env)[:2]))
    rows.append(("ruff --no-cache", *measure([bin_("ruff"), "check", "--no-cache", "--exit-zero", "-q", "."], tree)[:2]))
    rows.append(("bandit", *measure([bin_("bandit"), "-r", "-q", "-f", "json", "-o", os.devnull, "."], tree)[:2]))
    rows.append((
        "semgrep (2 rules)",
        *measure([bin_("semgrep"), "scan", "--config", str(SEMGREP_RULES), "--metrics", "off", "--disable-version-check",
                  "--quiet", "--json", "-o", os.devnull, "."], tree)[:2],
    ))
    return rows


def precommit_run(tree: Path, cache_dir: Path) -> Tuple[float, float]:
    files = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*.py"))[:3]
    env = {**os.environ, "MCP_LINT_CACHE_DIR": str(cache_dir)}
    wall, rss, _ = measure([bin_("mcp-lint"), "check", "--force-exclude", *files], tree, env)
    return wall, rss


def startup() -> float:
    wall, _, _ = measure([bin_("mcp-lint"), "--version"], PROJECT)
    return wall


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the 16x tree")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table for the README")
    args = parser.parse_args()
    ensure_venv()
    with tempfile.TemporaryDirectory(prefix="mcp-lint-bench-") as tmp:
        work = Path(tmp)
        trees = build_trees(work, args.quick)
        results = {}
        for name, tree in trees.items():
            files, lines = count(tree)
            print(f"== {name}: {files} files, {lines} Python lines", file=sys.stderr)
            results[name] = (files, lines, run_tree(name, tree, work / f"cache-{tree.name}"))
        large = next(iter(trees.values()))
        commit = precommit_run(large, work / f"cache-{large.name}")
        boot = startup()
    emit(results, commit, boot, args.markdown)
    return 0


def emit(results, commit, boot, markdown: bool) -> None:
    header = "| tree | tool | wall s | peak RSS MB | x mcp-lint cold |"
    print(header)
    print("|---|---|---|---|---|")
    for name, (files, lines, rows) in results.items():
        cold = rows[0][1]
        for tool, wall, rss in rows:
            print(f"| {name} ({files} files, {lines} lines) | {tool} | {wall:.2f} | {rss:.0f} | {wall / cold:.2f} |")
    print()
    print(f"pre-commit run on 3 files of the large tree (warm cache): {commit[0]:.2f} s, {commit[1]:.0f} MB")
    print(f"`mcp-lint --version`: {boot:.2f} s")
    heavy = [(n, r) for n, r in results.items() if n.startswith("MCP-heavy")]
    if len(heavy) > 1:
        base_name, (base_files, _, base_rows) = heavy[0]
        for name, (files, _, rows) in heavy[1:]:
            scale = files / base_files
            growth = rows[0][1] / base_rows[0][1]
            print(f"growth {base_name} -> {name}: {scale:.1f}x files, {growth:.1f}x cold time, "
                  f"{rows[0][2] / base_rows[0][2]:.2f}x peak memory")


if __name__ == "__main__":
    raise SystemExit(main())
