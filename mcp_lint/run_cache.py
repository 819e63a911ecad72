"""A whole `check` run remembered: the same command over an unchanged tree answers with the
report it printed last time, without importing the rules, libcst or the project model.

Per-file results are cached by content (mcp_lint/cache.py), but a run over them still rebuilds
every unit's project model and runs the project rules; on a large monorepo that costs seconds
where `ruff` answers in half a second. Most runs, though (pre-commit on a clean tree, CI re-runs,
an editor's save without changes), see a tree that has not changed at all since the last run.

What the report depends on, folded into one key:
  - mcp-lint's own code (`cache.code_fingerprint`), the Python running it and the folders on
    `sys.path` (installing or removing a rule pack changes their modification times);
  - the command line as parsed, the working directory, the environment variables that change
    output (MCP_LINT_*, colour, CI, terminal size) and whether stdout is a terminal;
  - the tree: path, size, modification time (ns), inode and mode of every file under the
    repository root of each target (`.git` and tool folders such as node_modules and .venv left
    out: nothing there is linted, and a run that lints such a file is not remembered), the
    configuration files any folder above it may hold, and the `--config` / `--baseline` files.
A stat walk, as git's index and make trust modification times: a few tens of milliseconds for a
2,400-file repository. Files outside that walk that a run read (an nginx include, a tsconfig
`extends` into node_modules) are stored with their content hashes and re-hashed before a hit is
used. Outside a Git repository the walk starts at the target's folder, and a run is not remembered
when a folder above it is a package or holds CI files (the run may read it); nor when it had
internal errors, when the tree changed while it ran, or when a file was modified within the last
two seconds (a coarse file-system clock could hide an edit).

Only plain reports are remembered: `--fix`, `--diff`, `--add-noqa`, `--write-baseline`, stdin,
`--verbose` (which prints the run's time), `--no-cache` and profiled runs always run."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Set, Tuple

TABLE = "run"
# Tool folders: never linted with the default excludes, and never read by the project rules
# (rules/project/practice.py skips them too). A run that does lint a file there is not stored.
SKIPPED_FOLDERS = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", "site-packages",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".mcp-lint-cache",
})
ENVIRONMENT = ("NO_COLOR", "FORCE_COLOR", "CI", "COLUMNS", "LINES", "TERM", "COLORTERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
MAX_ENTRIES = 200_000  # a tree larger than this is not stat-walked on every run
RECENT_NS = 2_000_000_000  # modified this recently: the file-system clock may not show the next edit
NOT_KEYED = ("run", "verbose", "no_cache", "cache_dir")  # options that cannot change the report


@dataclass
class Report:
    """What `check` printed: the report (to stdout or the output file), notes on stderr, the exit code."""

    text: str
    status: int
    notes: List[str] = field(default_factory=list)


@dataclass
class Lookup:
    """A key computed before the run: a stored report, or what is needed to store this run's."""

    key: str
    report: Optional[Report]
    tree: str  # the stat signature, compared again after the run
    newest_ns: int  # the latest modification time in it
    roots: Tuple[Path, ...]
    started_ns: int


def usable(args) -> bool:
    """Whether this `check` invocation prints a plain report that a later run may reuse."""
    return not (
        args.no_cache or args.verbose or args.fix or args.diff or args.add_noqa or args.write_baseline
        or args.show_files or args.show_settings or args.paths == [Path("-")] or os.environ.get("MCP_LINT_PROFILE")
    )


def lookup(args, cache) -> Optional[Lookup]:
    """The run's key and, when the same run over the same tree was stored, its report. None when
    this run cannot be remembered (see the module docstring)."""
    started = time.time_ns()
    roots = _walk_roots(args.paths or [Path(".")])
    if roots is None:
        return None
    skipped = _skipped_paths(args, cache.directory)
    signed = _tree_signature(roots, skipped)
    if signed is None:
        return None
    tree, newest = signed
    key = hashlib.sha256(f"{_invocation(args)}\0{tree}".encode("utf-8", "surrogateescape")).hexdigest()
    stored = cache.get(TABLE, key, dict, touch=False)  # entries age out; a rerun stores them again
    report = _report_if_valid(stored) if isinstance(stored, dict) else None
    return Lookup(key, report, tree, newest, roots, started)


def store(found: Lookup, cache, args, report: Report, result) -> None:
    """Remember this run's report under the key computed before it, unless the tree changed
    while it ran, a file is too recent to trust its time, or the run linted a skipped folder."""
    if report.status == 2 or _lints_skipped_folder(result):
        return
    after = _tree_signature(found.roots, _skipped_paths(args, cache.directory))
    if after is None or after[0] != found.tree or found.newest_ns >= found.started_ns - RECENT_NS:
        return
    cache.put(TABLE, found.key, {
        "text": report.text, "status": report.status, "notes": report.notes,
        "inputs": dict(getattr(result, "inputs", {}) or {}),
    })


def _report_if_valid(stored: dict) -> Optional[Report]:
    from mcp_lint.cache import content_hash
    from mcp_lint.reading import read_bytes

    inputs = stored.get("inputs")
    if not isinstance(inputs, dict):
        return None
    for path, digest in inputs.items():
        data, _ = read_bytes(Path(path))
        if data is None or content_hash(data) != digest:
            return None
    text, status, notes = stored.get("text"), stored.get("status"), stored.get("notes")
    if not isinstance(text, str) or not isinstance(status, int) or not isinstance(notes, list):
        return None
    return Report(text, status, [str(n) for n in notes])


def _invocation(args) -> str:
    """Everything but the tree that the report depends on."""
    from mcp_lint import __version__
    from mcp_lint.cache import code_fingerprint

    options = {k: _plain(v) for k, v in sorted(vars(args).items()) if k not in NOT_KEYED and not callable(v)}
    environment = {k: v for k, v in os.environ.items() if k.startswith("MCP_LINT_") or k in ENVIRONMENT}
    terminal = None
    if sys.stdout is not None and hasattr(sys.stdout, "isatty") and sys.stdout.isatty():
        try:
            terminal = tuple(os.get_terminal_size(sys.stdout.fileno()))
        except (OSError, ValueError):
            terminal = (0, 0)
    return json.dumps([
        __version__, code_fingerprint(), sys.version, sys.prefix, _path_stamps(), os.getcwd(),
        options, sorted(environment.items()), terminal, _file_stamps(_named_files(args)),
    ], default=str)


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, Path) else value


def _path_stamps() -> List[Tuple[str, int]]:
    stamps = []
    for entry in sys.path:
        try:
            stamps.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            stamps.append((entry, -1))
    return stamps


def _named_files(args) -> List[Path]:
    named = [Path(v) for v in (args.config or []) if "=" not in v or Path(v).exists()]
    if args.baseline:
        named.append(args.baseline)
    return named


def _file_stamps(paths: Sequence[Path]) -> List[str]:
    out = []
    for path in paths:
        try:
            out.append(_stamped(os.path.realpath(path), os.stat(path))[0])
        except OSError:
            out.append(f"{path}\0missing")
    return out


def _walk_roots(targets: Sequence[Path]) -> Optional[Tuple[Path, ...]]:
    """The repository root of each target, or the target's folder when no folder above it is a
    repository, a package or CI (then nothing above it joins the run: mcp_lint/units.py). None
    when the run may read folders above a target that the walk would not cover."""
    from mcp_lint.repository import repository_root

    roots: Set[Path] = set()
    for target in targets:
        absolute = Path(os.path.realpath(target))
        folder = absolute if absolute.is_dir() else absolute.parent
        root = repository_root(folder)
        if root is None and any(_joins_runs_below(above) for above in folder.parents):
            return None
        roots.add(root or folder)
    return tuple(sorted(roots))


def _joins_runs_below(folder: Path) -> bool:
    """A folder whose files a run below it may read: a package (its unit) or CI files."""
    from mcp_lint.repository import holds_repository, is_package

    return is_package(folder) or holds_repository(folder)


def _skipped_paths(args, cache_directory: Path) -> Set[str]:
    """Files a run writes into the tree (the report, the cache): their changes are ours."""
    skipped = {os.path.realpath(cache_directory)}
    if args.output_file is not None:
        skipped.add(os.path.realpath(args.output_file))
    return skipped


def _tree_signature(roots: Sequence[Path], skipped: Set[str]) -> Optional[Tuple[str, int]]:
    """(one line per file, the newest modification time among them)."""
    from mcp_lint.repository import CONFIG_NAMES

    lines: List[str] = []
    newest = 0
    for root in roots:
        # Configuration is searched upward from each target.
        above = [entry for folder in (root, *root.parents) for entry in _stamps_of(str(folder), (*CONFIG_NAMES, "pyproject.toml"))]
        for count, (line, mtime) in enumerate(itertools.chain(above, _walk(str(root), skipped))):  # lazily: bounded
            if count > MAX_ENTRIES:
                return None
            lines.append(line)
            newest = max(newest, mtime)
    return "\n".join(lines), newest


def _stamps_of(folder: str, names: Sequence[str]) -> Iterator[Tuple[str, int]]:
    for name in names:
        path = os.path.join(folder, name)
        try:
            info = os.stat(path)
        except OSError:
            continue
        yield _stamped(path, info)


def _stamped(path: str, info: os.stat_result) -> Tuple[str, int]:
    return f"{path}\0{info.st_size}:{info.st_mtime_ns}:{info.st_ino}:{info.st_mode}", info.st_mtime_ns


def _walk(root: str, skipped: Set[str]) -> Iterator[Tuple[str, int]]:
    """(`path stamp`, modification time) of every entry under root, in a stable order; symbolic
    links by their target text (the run does not follow them out of the tree)."""
    pending = [root]
    while pending:
        folder = pending.pop()
        if folder in skipped:
            continue
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            yield f"{folder}\0unreadable", 0
            continue
        subfolders = []
        for entry in entries:
            try:
                if entry.is_symlink():
                    yield f"{entry.path}\0link:{os.readlink(entry.path)}", 0
                elif entry.is_dir():
                    if entry.name not in SKIPPED_FOLDERS:
                        subfolders.append(entry.path)
                elif entry.path not in skipped:
                    yield _stamped(entry.path, entry.stat())
            except OSError:
                yield f"{entry.path}\0gone", 0
        pending.extend(reversed(subfolders))


def _lints_skipped_folder(result) -> bool:
    return any(part in SKIPPED_FOLDERS for path in getattr(result, "sources", ()) for part in Path(path).parts)
