"""Check that a change leaves mcp-lint's output unchanged on real trees (issue 13: "findings are
identical before and after").

    python bench/same_findings.py save DIR [TREE ...]     # before the change
    python bench/same_findings.py compare DIR [TREE ...]  # after it: exit 1 on any difference

Runs `python -P -m mcp_lint check --output-format json --no-cache` (the mcp-lint importable by this
Python) in each tree and keeps the findings and errors of each run in DIR/<tree name>.json. Without
TREE arguments the trees are the benchmark's (awslabs/mcp and every mid-size server under
$BENCH_REALCODE) and every real-code checkout under $MCP_LINT_REALCODE (never committed; see
bench/realcode.py). `--jobs N` runs N trees at a time (default 1; each run already uses every core)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List

REALCODE = Path(os.environ.get("MCP_LINT_REALCODE", "/work/realcode"))
BENCH = Path(os.environ.get("BENCH_REALCODE", str(REALCODE / "bench")))


def default_trees() -> List[Path]:
    trees = [BENCH / "awslabs__mcp", *sorted((BENCH / "mid").glob("*"))]
    for name in ("python-rules", "python-model", "typescript"):
        trees.extend(sorted((REALCODE / name).glob("*__*")))
    return [t for t in trees if t.is_dir()]


def output_of(tree: Path) -> dict:
    """The run's findings and errors (the summary holds timings, which differ run to run)."""
    done = subprocess.run(
        [sys.executable, "-P", "-m", "mcp_lint", "check", "--output-format", "json", "--no-cache", "."],
        cwd=tree, capture_output=True, text=True,
    )
    if done.returncode not in (0, 1):
        return {"exit": done.returncode, "stderr": done.stderr[-2000:]}
    report = json.loads(done.stdout)
    return {"exit": done.returncode, "findings": report["findings"], "errors": report["errors"]}


def name_of(tree: Path) -> str:
    return f"{tree.parent.name}--{tree.name}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("directory", type=Path)
    parser.add_argument("trees", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    trees = [t.resolve() for t in args.trees] or default_trees()
    args.directory.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        outputs = list(pool.map(output_of, trees))
    differences = 0
    for tree, output in zip(trees, outputs):
        stored = args.directory / f"{name_of(tree)}.json"
        if args.action == "save":
            stored.write_text(json.dumps(output, indent=1, sort_keys=True))
            continue
        before = json.loads(stored.read_text()) if stored.exists() else None
        if before != output:
            differences += 1
            _say_difference(tree, before, output)
    total = sum(len(o.get("findings", [])) for o in outputs)
    print(f"{len(trees)} trees, {total} findings; {differences} trees differ" if args.action == "compare" else f"saved {len(trees)} trees, {total} findings")
    return 1 if differences else 0


def _say_difference(tree: Path, before, after) -> None:
    print(f"DIFFERENT: {tree}")
    if before is None:
        print("  no saved output")
        return
    key = lambda f: json.dumps(f, sort_keys=True)  # noqa: E731
    old = {key(f) for f in before.get("findings", []) + before.get("errors", [])}
    new = {key(f) for f in after.get("findings", []) + after.get("errors", [])}
    for line in sorted(old - new)[:10]:
        print(f"  - {line[:300]}")
    for line in sorted(new - old)[:10]:
        print(f"  + {line[:300]}")
    if before.get("exit") != after.get("exit"):
        print(f"  exit {before.get('exit')} -> {after.get('exit')}")


if __name__ == "__main__":
    sys.exit(main())
