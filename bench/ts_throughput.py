"""TypeScript throughput on the pinned real servers: parse + model + every TS rule, per file,
on one core (no worker processes, no cache), and peak memory as the tree grows. A script, not a
test.

    python bench/ts_throughput.py [ROOT]        # default /work/realcode/typescript

Files are those mcp-lint itself would lint there (default excludes, .gitignore). Each file goes
through `engine.lint_file` exactly as in a run; the project phase (merging facts) is excluded,
it is O(files) and tiny. Memory: peak RSS after linting the tree once, twice and four times in
the same process (each file's tree is dropped after its rules ran). Throughput is reported per
CPU-second of this process (what one core achieves) and as wall time, which on a shared
machine also counts time spent waiting for a core."""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from mcp_lint.config import Config
from mcp_lint.discovery import discover
from mcp_lint.engine import Settings, lint_file
from mcp_lint.registry import all_rules


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/realcode/typescript")
    config = Config(root=root)
    files, _ = discover([root], root, config.all_excludes, config.respect_gitignore, config.files)
    ts_files = [f for f in files if f.kind == "typescript"]
    settings = Settings(tuple(r.code for r in all_rules()), {})
    size = sum(f.path.stat().st_size for f in ts_files)
    print(f"{len(ts_files)} TS/JS files, {size / 1e6:.2f} MB under {root}")
    for f in ts_files[:20]:  # warm up: imports, parser creation
        lint_file(f, settings)
    for rounds in (1, 2, 4):
        start, cpu = time.perf_counter(), time.process_time()
        parsed = 0
        for _ in range(rounds):
            for f in ts_files:
                parsed += lint_file(f, settings).parsed
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        n = len(ts_files) * rounds
        print(f"{rounds}x: {n} files, wall {elapsed:.2f} s ({n / elapsed:.0f} files/s), CPU {cpu:.2f} s = {n / cpu:.0f} files per CPU-second "
              f"({parsed} parsed, the rest pruned by the text scan); peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
