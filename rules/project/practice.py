"""The checklist's own practices for items 9 and 10 that are not mcp-lint's commands: a protocol
test written as a shell script or a CI step (curl sending `initialize` / `tools/list`), and a
schema snapshot kept as a committed `tools/list` JSON or a `schema-snapshot.sha256`, compared by
a test or a CI step. Files are read from disk (bounded), never executed."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Iterator, List, Sequence

from mcp_lint.reading import read_bytes

# A JSON-RPC request for an MCP method, as written in a shell or YAML string (quotes may be
# escaped), or the Inspector CLI's `--method tools/list`.
PROTOCOL_CALL = re.compile(
    r"""\\?["']method\\?["']\s*:\s*\\?["'](?:initialize|tools/list|tools/call)\\?["']|--method[ =](?:tools/list|tools/call)"""
)
# Committed snapshots of the tools' schemas in the forms the checklist describes.
SNAPSHOT_NAME = re.compile(
    r"^(?:schema[-_]snapshot\.sha256|.*\.snapshot\.json(?:\.sha256)?|tools?[-_]?list(?:[-_]snapshot)?\.json"
    r"|(?:mcp[-_])?tools?[-_](?:schema|snapshot)s?\.json|tool[-_]schemas?[-_]snapshot\.json)$",
    re.I,
)
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "site-packages", "__pycache__", "build", "dist", ".tox", ".nox"}
MAX_WALKED = 8000
MAX_READ = 256_000
MAX_SCRIPTS = 300


def _walk(root: Path) -> Iterator[Path]:
    walked = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not (d.startswith(".") and d != ".github"))
        for name in sorted(files):
            walked += 1
            if walked > MAX_WALKED:
                return
            path = Path(folder) / name
            if not os.path.islink(path):  # may point out of the tree
                yield path


def _text(path: Path) -> str:
    data, _ = read_bytes(path)  # regular files only: a FIFO would block
    return data[:MAX_READ].decode("utf-8", "replace") if data is not None else ""


def speaks_protocol(text: str) -> bool:
    """The text sends an MCP request: a JSON-RPC `initialize` / `tools/list` / `tools/call`
    (over HTTP with curl or httpx, or to the server's stdin), or the Inspector CLI's
    `--method tools/list`."""
    return bool(PROTOCOL_CALL.search(text))


def protocol_scripts(root: Path) -> List[str]:
    """Shell scripts of the repository that talk MCP to a running server."""
    found, read = [], 0
    for path in _walk(root):
        if path.suffix not in (".sh", ".bash") or read >= MAX_SCRIPTS:
            continue
        read += 1
        if speaks_protocol(_text(path)):
            found.append(path.relative_to(root).as_posix())
    return found


def protocol_steps(commands: Iterable[str]) -> bool:
    return any(speaks_protocol(command) for command in commands)


def snapshot_files(root: Path) -> List[str]:
    """Committed files that hold (or hash) the tools' schemas, relative to `root`."""
    return [p.relative_to(root).as_posix() for p in _walk(root) if SNAPSHOT_NAME.match(p.name)]


def compared(snapshots: Sequence[str], commands: Iterable[str], test_texts: Iterable[str]) -> bool:
    """Whether a CI step or a test names one of the snapshot files (it reads it to compare)."""
    names = {Path(s).name for s in snapshots}
    if not names:
        return False
    return any(name in text for text in (*commands, *test_texts) for name in names)
