"""Latency of `mcp-lint server` as an editor sees it (a script, not a test).

Builds a 50-file MCP server project (bench/lsp_project.py) in a temporary folder, spawns
`python -m mcp_lint server` with a real LSP client over stdio, and measures:

- cold: from spawning the server, and from didOpen after initialize, to the first diagnostics;
- warm: from each didChange of an open tool module to the diagnostics of that version (the
  figure includes the server's debounce, which is also subtracted);
- cross-file: from a didChange of app/settings.py (drain timeout) to the republished
  diagnostics of the open Kubernetes manifest (MCP0502 appears or goes).

    python bench/lsp_latency.py [--files 50] [--edits 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import lsp_project  # noqa: E402
from _lsp_client import Editor, codes  # noqa: E402

from mcp_lint.lsp.server import DEBOUNCE_SECONDS  # noqa: E402


def summary(name: str, seconds: list) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    debounce = DEBOUNCE_SECONDS * 1000
    return (
        f"{name}: n={len(ms)} median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
        f" (minus the {debounce:.0f} ms debounce: median {statistics.median(ms) - debounce:.0f} ms,"
        f" p95 {p95 - debounce:.0f} ms, max {ms[-1] - debounce:.0f} ms)"
    )


async def arrival(editor: Editor, uri: str, after: float, predicate=lambda p: True) -> float:
    """Seconds from `after` to the first publication for `uri` received after it that
    satisfies `predicate` (the time is taken by the client when the message arrives)."""
    deadline = after + 30
    while time.perf_counter() < deadline:
        for stamp, params in editor.arrivals:
            if stamp >= after and params.uri == uri and predicate(params):
                return stamp - after
        await asyncio.sleep(0.005)
    raise AssertionError(f"no publication for {uri}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux), a figure the machine's load does not
    inflate the way it does wall time; -1 where /proc is not available."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(root: Path, edits: int) -> None:
    editor = Editor(root)
    spawned = time.perf_counter()
    await editor.start()
    initialised = time.perf_counter()
    tool = editor.open("app/tools_04.py")
    opened = time.perf_counter()
    first = opened + await arrival(editor, tool, opened, lambda p: bool(p.diagnostics))
    cpu = cpu_seconds(editor.client._server.pid)
    print(f"cold: first diagnostics {first - spawned:.2f} s after spawning the server "
          f"({initialised - spawned:.2f} s of it to initialize), {first - opened:.2f} s after didOpen; "
          f"server CPU time by then {cpu:.2f} s; load average {os.getloadavg()[0]:.1f}")

    warm = []
    original = editor.texts[tool]
    for index in range(edits):
        text = original.replace("limit: int = 10", f"limit: int = {index + 11}")
        editor.change(tool, text)
        sent = time.perf_counter()
        version = editor.versions[tool]
        warm.append(await arrival(editor, tool, sent, lambda p: p.version == version))
        await asyncio.sleep(0.05)
    print(summary("warm edit -> its diagnostics", warm))

    manifest = editor.open("k8s/deployment.yaml")
    settings = editor.open("app/settings.py")
    await editor.diagnostics(manifest, lambda d: "MCP0502" in codes(d))
    cross = []
    for index in range(max(2, edits // 4)):
        gone = index % 2 == 0
        drain = 10000 if gone else 25000
        editor.change(settings, editor.texts[settings].replace("25000", str(drain)).replace("10000", str(drain)))
        sent = time.perf_counter()
        wanted = lambda p: ("MCP0502" in codes(p.diagnostics)) != gone  # noqa: E731
        cross.append(await arrival(editor, manifest, sent, wanted))
    print(summary("cross-file: settings.py edit -> manifest's MCP0502 verdict", cross))
    await editor.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = lsp_project.write(Path(folder), args.files)
        print(f"project: {sum(1 for p in root.rglob('*') if p.is_file())} files")
        asyncio.run(measure(root, args.edits))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
