"""Which files a run looks at, and what kind each one is.

Directories are walked honouring `.gitignore` files (at every level) and the configured
excludes; symlinks that leave the project, or loop, are not followed. Files named explicitly
(pre-commit) are always taken unless `force_exclude` is set, as in ruff."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import pathspec

from mcp_lint.documents import classify
from mcp_lint.model import Diagnostic
from mcp_lint.reading import read_bytes, split_lines


@dataclass(frozen=True, order=True)
class SourceFile:
    rel: str  # project-relative, '/' separators
    path: Path
    kind: str
    # Text held in memory (an editor buffer, stdin) that replaces what is on disk.
    content: Optional[bytes] = field(default=None, compare=False, repr=False)


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# Every path is matched against every pattern: a .gitignore of a million lines took 82 s and
# 1.2 GB. Real ones hold a few hundred patterns; past these limits the file is not applied.
MAX_GITIGNORE_BYTES = 256_000
MAX_GITIGNORE_PATTERNS = 5_000


class QuickSpec:
    """A gitignore spec with a fast "no pattern can match" answer: one combined regex of its
    including patterns rejects most paths at once; only paths it matches go through the spec's
    own last-match-wins evaluation, so answers are the spec's exactly."""

    def __init__(self, spec: pathspec.GitIgnoreSpec):
        self.spec = spec
        regexes = [p.regex.pattern for p in spec.patterns if getattr(p, "regex", None) is not None and p.include]
        try:
            combined = "|".join(f"(?:{re.sub(r'[(][?]P<[^>]+>', '(?:', r)})" for r in regexes)
            self.any = re.compile(combined) if regexes else None
        except re.error:
            self.any = re.compile("")  # always defer to the spec
        self.empty = not regexes

    def match_file(self, path: str) -> bool:
        if self.empty or (self.any is not None and not self.any.search(path)):
            return False
        return self.spec.match_file(path)


class _Ignores:
    def __init__(self, root: Path, excludes: Sequence[str], respect_gitignore: bool, excluded=None):
        self.root = root
        self.excluded = excluded  # (absolute path, is_dir) -> bool: per-folder configurations
        self.excludes = QuickSpec(pathspec.GitIgnoreSpec.from_lines(excludes))
        self.respect_gitignore = respect_gitignore
        self.gitignores: Dict[str, QuickSpec] = {}
        self.diagnostics: List[Diagnostic] = []

    def load_gitignore(self, folder: Path, folder_rel: str) -> None:
        if not self.respect_gitignore or not os.path.lexists(folder / ".gitignore"):
            return
        rel = f"{folder_rel}/.gitignore" if folder_rel else ".gitignore"
        data, why = read_bytes(folder / ".gitignore", MAX_GITIGNORE_BYTES, self.root)
        if data is not None and len(data) > MAX_GITIGNORE_BYTES:
            data, why = None, f"larger than {MAX_GITIGNORE_BYTES // 1000} KB"
        if data is None:
            self.diagnostics.append(Diagnostic(rel, "skipped", f"{why}; its patterns are not applied"))
            return
        spec = _gitignore_spec(data)
        if spec is None:
            self.diagnostics.append(Diagnostic(rel, "skipped", f"more than {MAX_GITIGNORE_PATTERNS} patterns; not applied"))
            return
        self.gitignores[folder_rel] = spec

    def ignored(self, rel: str, is_dir: bool) -> bool:
        probe = rel + "/" if is_dir else rel
        if self.excludes.match_file(probe):
            return True
        if self.excluded is not None and self.excluded(self.root / rel, is_dir):
            return True
        for base, spec in self.gitignores.items():
            if base and not (rel == base or rel.startswith(base + "/")):
                continue
            sub = rel[len(base) + 1 :] if base else rel
            if sub and spec.match_file(sub + "/" if is_dir else sub):
                return True
        return False


_SPECS: Dict[bytes, Optional[QuickSpec]] = {}  # digest of a .gitignore -> its spec (None: too many patterns)
MAX_REMEMBERED_SPECS = 64


def _gitignore_spec(data: bytes) -> Optional[QuickSpec]:
    """The spec of a .gitignore's content, compiled once per distinct content: the packages of
    a monorepo each hold a copy of the same template, and compiling its patterns was most of
    discovery's time."""
    key = hashlib.sha256(data).digest()
    if key in _SPECS:
        return _SPECS[key]
    patterns = [line for line in split_lines(data.decode("utf-8", "replace")) if line.strip() and not line.startswith("#")]
    spec = QuickSpec(pathspec.GitIgnoreSpec(_compiled(patterns))) if len(patterns) <= MAX_GITIGNORE_PATTERNS else None
    if len(_SPECS) >= MAX_REMEMBERED_SPECS:
        _SPECS.clear()
    _SPECS[key] = spec
    return spec


def _compiled(lines: List[str]) -> list:
    """Each pattern on its own: one git cannot use (`[z-a]`) is dropped, as git drops it,
    instead of discarding the whole file or ending the run."""
    patterns = []
    for line in lines:
        try:
            patterns.extend(pathspec.GitIgnoreSpec.from_lines([line]).patterns)
        except Exception:  # pathspec raises re.error, ValueError, TypeError for odd patterns
            continue
    return patterns


def discover(
    targets: Sequence[Path],
    root: Path,
    excludes: Sequence[str],
    respect_gitignore: bool = True,
    kind_overrides: Optional[Dict[str, str]] = None,
    force_exclude: bool = False,
    excluded: Optional[Callable[[Path, bool], bool]] = None,
) -> Tuple[List[SourceFile], List[Diagnostic]]:
    """`excluded` adds excludes that depend on the folder (the nearest configuration's)."""
    root = root.resolve()
    ignores = _Ignores(root, excludes, respect_gitignore, excluded)
    ignores.load_gitignore(root, "")
    found: Dict[str, SourceFile] = {}
    diagnostics: List[Diagnostic] = []

    def add(path: Path, explicit: bool, walked: bool = False) -> None:
        rel = relative(path, root)
        kind = classify(rel, kind_overrides or {})
        if kind is None:
            return
        if not walked and (not explicit or force_exclude) and ignores.ignored(rel, is_dir=False):
            return  # (the walk yields only files it found not ignored)
        found.setdefault(rel, SourceFile(rel, path, kind))

    for target in targets:
        if not os.path.lexists(target):
            diagnostics.append(Diagnostic(str(target), "io-error", "path does not exist"))
            continue
        resolved = Path(os.path.realpath(target))  # Path.resolve raises on a symlink loop
        if target.is_symlink() and not resolved.is_relative_to(root):
            diagnostics.append(Diagnostic(relative(target.absolute(), root), "skipped", "symlink points outside the project"))
            continue
        if resolved.is_dir():
            if force_exclude and ignores.ignored(relative(resolved, root), is_dir=True):
                continue
            for path, explicit in _walk(resolved, root, ignores, diagnostics):
                add(path, explicit, walked=True)
        elif resolved.is_file() or _is_special(resolved):
            add(target.absolute() if not resolved.is_relative_to(root) else resolved, explicit=True)
        elif classify(relative(target.absolute(), root), kind_overrides or {}) is not None:
            diagnostics.append(Diagnostic(relative(target.absolute(), root), "skipped", "cannot read: a symlink loop or a dangling link"))
    diagnostics.extend(ignores.diagnostics)
    return sorted(found.values()), diagnostics


def _walk(start: Path, root: Path, ignores: _Ignores, diagnostics: List[Diagnostic]) -> Iterator[Tuple[Path, bool]]:
    seen_dirs = set()
    stack = [start]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            key = info.st_ino, info.st_dev
        except OSError as exc:  # a path longer than PATH_MAX (4,096 bytes), say: never silently
            if exc.errno != errno.ENOENT:
                diagnostics.append(Diagnostic(relative(folder, root), "io-error", f"cannot list directory: {exc.strerror or exc}"))
            continue
        if key in seen_dirs:
            continue  # a symlink loop
        seen_dirs.add(key)
        folder_rel = relative(folder, root) if folder != root else ""
        if folder != root:
            ignores.load_gitignore(folder, folder_rel)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            diagnostics.append(Diagnostic(folder_rel or ".", "io-error", f"cannot list directory: {exc.strerror}"))
            continue
        subdirs = []
        for entry in entries:
            rel = f"{folder_rel}/{entry.name}" if folder_rel else entry.name
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError as exc:  # a symlink loop (ELOOP), say: say so for files we would read
                if classify(rel, {}) is not None and not ignores.ignored(rel, False):
                    diagnostics.append(Diagnostic(rel, "skipped", f"cannot read: {exc.strerror or exc}"))
                continue
            if entry.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    if not ignores.ignored(rel, is_dir):
                        diagnostics.append(Diagnostic(rel, "skipped", "symlink points outside the project; not followed"))
                    continue
            if ignores.ignored(rel, is_dir):
                continue
            if is_dir:
                subdirs.append(path)
            else:
                yield path, False
        stack.extend(reversed(subdirs))


def _is_special(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)
