"""`mcp-lint snapshot [PATHS] [--output FILE] [--check]`: the static tools/list snapshot."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional, Tuple

from mcp_lint.cli import error


def add_parser(sub) -> None:
    snapshot = sub.add_parser("snapshot", help="write (or --check) the static tools/list schema snapshot")
    snapshot.add_argument("paths", nargs="*", type=Path, help="files or directories (default: the current directory)")
    snapshot.add_argument("--output", type=Path, help="snapshot file, for a run with one project unit with tools (default: the MCP0902 `path` option, else mcp-tools.snapshot.json, at each unit's root)")
    snapshot.add_argument("--check", action="store_true", help="compare with the committed snapshot; exit 1 on drift")
    snapshot.add_argument("--config", action="append", help="path to pyproject.toml / mcp-lint.toml, or an inline 'key = value' override")
    snapshot.set_defaults(run=run)


def run(args) -> int:
    """One snapshot per project unit, as `check` sees units (mcp_lint/units.py): run at a
    monorepo root or inside one of its packages, a package's snapshot is the same file with the
    same tools. Units with tools or a committed snapshot take part (none: the first unit)."""
    from mcp_lint import snapshot
    from mcp_lint.cli_check import paths_and_config

    loaded = paths_and_config(args, {"select": [snapshot.SNAPSHOT_RULE]})
    if isinstance(loaded, int):
        return loaded
    targets, config = loaded
    units = snapshot.project_tools(targets, config)
    chosen = [u for u in units if u.tools or os.path.lexists(u.file)] or units[:1]
    if args.output is not None and len(chosen) > 1:
        names = ", ".join(_shown(u.root) for u in chosen)
        return error(f"--output names one file, but this run has {len(chosen)} project units with tools ({names}); run `mcp-lint snapshot` without --output, or in one of them")
    codes = [_one(args, unit) for unit in chosen]
    return max(codes)


def _one(args, unit) -> int:
    from mcp_lint import snapshot

    output, root, problem = _snapshot_file(args, unit)
    if problem:
        print(f"mcp-lint: error: {problem}; nothing read or written", file=sys.stderr)
        return 1 if args.check else 2
    text = snapshot.render(snapshot.canonical(unit.tools))
    if args.check:
        return _check(output, text, root)
    if os.path.lexists(output) and not os.path.isfile(output):
        return error(f"{_shown(output)} exists and is not a regular file; not written")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        Path(f"{output}.sha256").write_text(snapshot.sha256_line(text, output.name), encoding="utf-8")
    except OSError as exc:
        return error(f"cannot write {_shown(output)}: {exc.strerror}")
    count = len({t.name for t in unit.tools})
    print(f"wrote {_shown(output)} ({count} tool{'s' if count != 1 else ''}) and {output.name}.sha256")
    return 0


def _shown(path: Path) -> str:
    """A path as the user can use it: relative to the current directory when under it."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    return os.path.relpath(absolute, here) if absolute.startswith(here + os.sep) else absolute


def _snapshot_file(args, unit) -> Tuple[Path, Optional[Path], Optional[str]]:
    """(snapshot path, the folder it must stay in or None, why it cannot be used or None).
    `--output` is the user's own choice; the MCP0902 `path` option comes from the linted
    repository's configuration and may only name a file inside the unit."""
    from mcp_lint.reading import inside

    if args.output is not None:
        return args.output, None, None
    if not inside(unit.file, unit.root):
        return unit.file, unit.root, f"the MCP0902 `path` option {unit.path_option!r} names a file outside the project"
    return unit.file, unit.root, None


def _check(output: Path, text: str, root: Optional[Path] = None) -> int:
    from mcp_lint import snapshot
    from mcp_lint.reading import MAX_FILE_BYTES, read_bytes

    shown = _shown(output)
    if not os.path.lexists(output):
        print(f"{shown}: no snapshot committed; run `mcp-lint snapshot` and commit it")
        return 1
    data, why = read_bytes(output, MAX_FILE_BYTES, root)  # regular files only, size-capped
    if data is not None and len(data) > MAX_FILE_BYTES:
        data, why = None, f"larger than {MAX_FILE_BYTES // 1_000_000} MB"
    try:
        if data is None:
            raise ValueError(why)
        committed = snapshot.load(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        print(f"{shown}: cannot read the committed snapshot: {exc}")
        return 1
    changes = snapshot.diff(committed, snapshot.load(text))
    if not changes:
        print(f"{shown}: up to date")
        return 0
    breaking = sum(1 for c in changes if c.breaking)
    for change in changes:
        print(f"{shown}: {change.text}")
    print(f"schema drift: {breaking} breaking, {len(changes) - breaking} additive; review, then run `mcp-lint snapshot` and commit the result")
    return 1
