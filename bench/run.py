"""Benchmark mcp-lint against peers on the same MCP-heavy trees, in one run.

    python bench/run.py [--quick] [--profile] [--trees NAME,...] [--skip PEER,...]

Sets up `bench/.venv` (gitignored) with mcp-lint and the peers from the package registry: semgrep
(with the two rules in bench/semgrep-two-rules.yaml), bandit, ruff and agent-audit (an MCP-specific
scanner), plus the sources of pylint, astroid and rich as a large non-MCP tree.

Trees (real code is fetched and extracted by hand, pinned in bench/repos/bench.txt, never committed;
`BENCH_REALCODE` moves the folder, default /work/realcode/bench):
  - the MCP monorepo: awslabs/mcp (~2,400 Python files, ~60 packages) in $BENCH_REALCODE/awslabs__mcp;
  - mid-size servers: every repository under $BENCH_REALCODE/mid;
  - growth: the mid-size set copied 1x, 2x and 4x;
  - the large non-MCP tree;
  - TypeScript trees, once mcp-lint reads TypeScript (see `typescript_trees`).
Each tree should be a git checkout (`git init` is enough): its root is then the repository root.

For each tree, in one run: mcp-lint cold (empty cache), cached (nothing changed: the whole-run
cache answers), cached with one file edited (the per-file cache and the project phase), one file of the largest package
cold (a pre-commit run) next to that package alone cold; the parse-only floor (libcst parses
exactly the Python files mcp-lint parsed, in as many processes as mcp-lint uses); ruff
--no-cache, bandit, semgrep (2 rules) and agent-audit. Wall time and peak RSS (of the largest
process of the tree of processes). `--profile` adds mcp-lint's per-phase and per-rule profile
(MCP_LINT_PROFILE). A script, not a test: timings depend on the machine and its load."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
VENV = HERE / ".venv"
PEERS = ["semgrep", "bandit", "ruff", "agent-audit", "pylint", "astroid", "rich"]
SEMGREP_RULES = HERE / "semgrep-two-rules.yaml"
REALCODE = Path(os.environ.get("BENCH_REALCODE", "/work/realcode/bench"))
PACKAGE_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "package.json")

FLOOR = r"""
import json, os, sys, libcst
from concurrent.futures import ProcessPoolExecutor

def parse(path):
    with open(path, encoding="utf-8-sig", errors="surrogateescape") as handle:
        libcst.parse_module(handle.read())

files = json.load(open(sys.argv[1]))
jobs = len(os.sched_getaffinity(0))
if jobs > 1 and len(files) >= 24:
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(parse, files, chunksize=max(1, min(32, len(files) // (jobs * 8)))))
else:
    for path in files:
        parse(path)
"""

Row = Tuple[str, float, float, float]  # tool, wall seconds, peak RSS MB, CPU seconds (user+sys, with children)


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


def _git_init(folder: Path) -> None:
    if not (folder / ".git").exists():
        sh("git", "init", "-q", str(folder))


def typescript_trees() -> Dict[str, Path]:
    """The `ts` stream's hook: TypeScript MCP servers, timed like the Python trees once mcp-lint
    reads TypeScript (a `typescript` document kind)."""
    out = subprocess.run([bin_("python"), "-c", "from mcp_lint.documents import KINDS; print('typescript' in KINDS)"],
                         capture_output=True, text=True)
    folder = Path(os.environ.get("BENCH_TYPESCRIPT", "/work/realcode/typescript"))
    if out.stdout.strip() != "True" or not folder.is_dir():
        print("== TypeScript trees: skipped (mcp-lint does not read TypeScript yet)", file=sys.stderr)
        return {}
    return {"TypeScript servers": folder}


def build_trees(work: Path, quick: bool, only: Optional[List[str]]) -> Dict[str, Path]:
    trees: Dict[str, Path] = {}
    monorepo, mid = REALCODE / "awslabs__mcp", REALCODE / "mid"
    if monorepo.is_dir():
        _git_init(monorepo)
        trees["monorepo"] = monorepo
    else:
        print(f"== monorepo: skipped, {monorepo} missing (fetch awslabs/mcp, bench/repos/bench.txt)", file=sys.stderr)
    if mid.is_dir():
        for repo in mid.iterdir():
            if repo.is_dir():
                _git_init(repo)
        for factor in (1,) if quick else (1, 2, 4):
            tree = work / f"mid-{factor}x"
            for copy in range(factor):
                shutil.copytree(mid, tree / f"copy{copy}", symlinks=True)
            trees[f"mid-size {factor}x"] = tree
    if not quick:
        large = work / "non-mcp"
        for package in ("pylint", "astroid", "rich"):
            shutil.copytree(site_packages() / package, large / package, ignore=shutil.ignore_patterns("__pycache__"))
        _git_init(large)
        trees["non-MCP (pylint+astroid+rich)"] = large
    trees.update(typescript_trees())
    return {k: v for k, v in trees.items() if not only or any(o in k for o in only)}


def measure(cmd: List[str], cwd: Path, env: Optional[dict] = None) -> Tuple[float, float, int, float]:
    """(wall seconds, peak RSS MB of the largest process among it and its children, exit code,
    CPU seconds of it and its children: on a shared machine the wall time says more about the
    load than about the tool)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def _row(measured: Tuple[float, float, int, float]) -> Tuple[float, float, float]:
    wall, rss, _, cpu = measured
    return wall, rss, cpu


def count(tree: Path) -> Tuple[int, int]:
    py = [p for p in tree.rglob("*.py") if ".git" not in p.parts]
    return len(py), sum(p.read_bytes().count(b"\n") for p in py)


def lint_cmd(*targets: str) -> List[str]:
    return [bin_("mcp-lint"), "check", *targets, "--output-format", "json", "-o", os.devnull]


def largest_package(tree: Path, parsed: List[str]) -> Tuple[Optional[Path], Optional[Path]]:
    """(package folder with the most parsed files, one parsed file in it)."""
    by_package: Dict[Path, List[Path]] = {}
    for name in parsed:
        path = Path(name)
        for folder in path.parents:
            if folder == tree or tree not in folder.parents:
                break
            if any((folder / m).is_file() for m in PACKAGE_MARKERS):
                by_package.setdefault(folder, []).append(path)
                break
    if not by_package:
        return None, None
    package = max(by_package, key=lambda p: (len(by_package[p]), str(p)))
    return package, sorted(by_package[package])[len(by_package[package]) // 2]


@contextlib.contextmanager
def edited(path: Path):
    """`path` with a comment line appended, restored (content and times) afterwards."""
    original, times = path.read_bytes(), path.stat()
    path.write_bytes(original + b"\n# edited by bench/run.py\n")
    try:
        yield
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def run_growth(tree: Path, work: Path) -> Tuple[List[Row], dict, Dict[str, str]]:
    """The 2x and 4x copies only need mcp-lint's cold time (linear growth)."""
    env = {**os.environ, "MCP_LINT_CACHE_DIR": str(work / f"cache-{tree.name}")}
    return [("mcp-lint cold", *_row(measure(lint_cmd("."), tree, env)))], {"phases": {}, "rules": {}}, {}


def run_tree(tree: Path, work: Path, skip=frozenset(), repeat: int = 1) -> Tuple[List[Row], dict, Dict[str, str]]:
    env = {**os.environ}
    rows: List[Row] = []
    notes: Dict[str, str] = {}

    def lint(label: str, *targets: str, cache: Optional[Path] = None) -> None:
        run_env = {**env, "MCP_LINT_CACHE_DIR": str(cache or (work / f"cache-{time.monotonic_ns()}"))}
        rows.append((label, *_row(measure(lint_cmd(*targets), tree, run_env))))

    profile_path = work / f"profile-{tree.name}.json"
    measure([*lint_cmd("."), "--no-cache"], tree, {**env, "MCP_LINT_PROFILE": str(profile_path)})
    profile = json.loads(profile_path.read_text(encoding="utf-8"))
    cache = work / f"cache-{tree.name}"
    lint("mcp-lint cold", ".", cache=cache)
    lint("mcp-lint cached", ".", cache=cache)
    package, one = largest_package(tree, profile["parsed"])
    if package is not None:
        with edited(one):  # the whole-run cache misses; the per-file cache holds every other file
            lint("mcp-lint cached, one file edited", ".", cache=cache)
        lint("mcp-lint one file (pre-commit, cold)", "--force-exclude", os.path.relpath(one, tree))
        lint("mcp-lint its package alone (cold)", os.path.relpath(package, tree))
        notes["one file"] = f"{os.path.relpath(one, tree)} of {os.path.relpath(package, tree)}"
    files = work / f"parsed-{tree.name}.json"
    files.write_text(json.dumps(profile["parsed"]), encoding="utf-8")
    floor = work / "floor.py"
    floor.write_text(FLOOR, encoding="utf-8")
    rows.append(("parse-only floor (libcst)", *_row(measure([bin_("python"), str(floor), str(files)], tree))))
    notes["parsed"] = f"{len(profile['parsed'])} Python files parsed"
    rows.append(("ruff --no-cache", *_row(measure([bin_("ruff"), "check", "--no-cache", "--exit-zero", "-q", "."], tree))))
    if "bandit" not in skip:
        rows.append(("bandit", *_row(measure([bin_("bandit"), "-r", "-q", "-f", "json", "-o", os.devnull, "."], tree))))
    semgrep = [bin_("semgrep"), "scan", "--config", str(SEMGREP_RULES), "--metrics", "off", "--disable-version-check",
               "--quiet", "--json", "-o", os.devnull, "."]
    rows.append(("semgrep (2 rules)", *_row(measure(semgrep, tree))))
    if Path(bin_("agent-audit")).exists() and "agent-audit" not in skip:
        rows.append(("agent-audit", *_row(measure([bin_("agent-audit"), "scan", ".", "-f", "json", "-o", os.devnull], tree))))
    if repeat > 1:
        headline = {
            "mcp-lint cold": lambda: measure(lint_cmd("."), tree, {**env, "MCP_LINT_CACHE_DIR": str(work / f"cache-{time.monotonic_ns()}")}),
            "parse-only floor (libcst)": lambda: measure([bin_("python"), str(floor), str(files)], tree),
            "semgrep (2 rules)": lambda: measure(semgrep, tree),
        }
        rows, spread = _medians(rows, headline, repeat)
        notes["repeated"] = spread
    return rows, profile, notes


def _medians(rows: List[Row], headline: Dict[str, Callable[[], Tuple[float, float, int, float]]], repeat: int) -> Tuple[List[Row], str]:
    """The headline rows measured `repeat` times in all, interleaved (cold, floor, semgrep, cold,
    ...: a load that comes and goes on a shared machine falls on all three alike), each row the
    median of its runs; with the range of the cold / floor ratio over the rounds."""
    runs: Dict[str, List[Row]] = {label: [row] for row in rows for label in headline if row[0] == label}
    for _ in range(repeat - 1):
        for label, run in headline.items():
            runs[label].append((label, *_row(run())))
    per_round = [cold[1] / floor[1] for cold, floor in zip(runs["mcp-lint cold"], runs["parse-only floor (libcst)"])]
    merged = [(label, *(statistics.median([r[i] for r in runs[label]]) for i in (1, 2, 3))) if label in runs else (label, wall, rss, cpu)
              for label, wall, rss, cpu in rows]
    return merged, f"{repeat} interleaved runs, medians; cold / floor per round {min(per_round):.2f} to {max(per_round):.2f}"


def ratios(rows: List[Row]) -> Dict[str, float]:
    by = {tool: (wall, rss, cpu) for tool, wall, rss, cpu in rows}
    out = {}

    def ratio(name: str, a: str, b: str) -> None:
        if a in by and b in by and by[b][0] > 0:
            out[name] = by[a][0] / by[b][0]
        if a in by and b in by and by[b][2] > 0:
            out[name.replace(" (target", ", CPU (target")] = by[a][2] / by[b][2]

    ratio("cold / parse-only floor (target <= 1.5)", "mcp-lint cold", "parse-only floor (libcst)")
    ratio("cold / semgrep 2 rules (target <= 0.75)", "mcp-lint cold", "semgrep (2 rules)")
    ratio("one file / its package (target <= 1.5)", "mcp-lint one file (pre-commit, cold)", "mcp-lint its package alone (cold)")
    ratio("cached / ruff --no-cache (target <= 1.5)", "mcp-lint cached", "ruff --no-cache")
    if "mcp-lint cold" in by:
        out["peak RSS MB of mcp-lint cold (target < 300)"] = by["mcp-lint cold"][1]
    return out


def emit(results, show_profile: bool) -> None:
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("| tree | tool | wall s | CPU s (user+sys) | peak RSS MB | x mcp-lint cold (wall) |")
    print("|---|---|---|---|---|---|")
    for name, (files, lines, rows, profile, notes) in results.items():
        cold = next((wall for tool, wall, _, _ in rows if tool == "mcp-lint cold"), None)
        for tool, wall, rss, cpu in rows:
            print(f"| {name} ({files} .py, {lines} lines) | {tool} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {wall / cold:.2f} |")
    print()
    for name, (files, lines, rows, profile, notes) in results.items():
        print(f"{name}: " + "; ".join(f"{k} {v:.2f}" for k, v in ratios(rows).items()) + "; " + "; ".join(f"{k}: {v}" for k, v in notes.items()))
        if show_profile and profile["phases"]:
            phases = ", ".join(f"{k} {v:.2f} s" for k, v in profile["phases"].items())
            top = ", ".join(f"{k} {v:.2f} s" for k, v in list(profile["rules"].items())[:10])
            print(f"  profile (--no-cache, worker times summed): {phases}\n  slowest rules: {top}")
    growth = [(n, r) for n, r in results.items() if n.startswith("mid-size")]
    for (base_name, base), (name, other) in zip(growth, growth[1:]):
        cold = lambda rows: next(c for t, _, _, c in rows if t == "mcp-lint cold")  # noqa: E731
        rss = lambda rows: next(m for t, _, m, _ in rows if t == "mcp-lint cold")  # noqa: E731
        print(f"growth {base_name} -> {name}: {other[0] / base[0]:.1f}x files, "
              f"{cold(other[2]) / cold(base[2]):.2f}x cold CPU time, {rss(other[2]) / rss(base[2]):.2f}x peak memory")
    boot = measure([bin_("mcp-lint"), "--version"], PROJECT)[0]
    print(f"`mcp-lint --version`: {boot:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="only 1x of the mid-size set, no non-MCP tree")
    parser.add_argument("--profile", action="store_true", help="print mcp-lint's per-phase and per-rule profile")
    parser.add_argument("--trees", help="comma-separated substrings of the tree names to run")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure mcp-lint cold, the floor and semgrep this many times, interleaved, and report medians")
    parser.add_argument("--skip", default="", help="comma-separated peers not to run (e.g. bandit,agent-audit: the slowest)")
    args = parser.parse_args()
    ensure_venv()
    with tempfile.TemporaryDirectory(prefix="mcp-lint-bench-") as tmp:
        work = Path(tmp)
        trees = build_trees(work, args.quick, args.trees.split(",") if args.trees else None)
        results = {}
        for name, tree in trees.items():
            files, lines = count(tree)
            print(f"== {name}: {files} Python files, {lines} lines", file=sys.stderr)
            growth_only = name.startswith("mid-size") and not name.startswith("mid-size 1x")
            rows, profile, notes = run_growth(tree, work) if growth_only else run_tree(tree, work, set(filter(None, args.skip.split(","))), args.repeat)
            results[name] = (files, lines, rows, profile, notes)
        emit(results, args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
