"""nginx configuration, parsed with crossplane (maintained by NGINX; comments kept).

`include` is followed like nginx does (relative paths from the linted file's folder, globs
expanded); the included directives are spliced into the tree in place of the `include`,
each remembering its own file and the `include` of this document that brought it in. A file
that includes itself, directly or through others, is spliced once: the walk never loops.
crossplane reports lines only: a directive's column is found by locating its name on its
line, after the previous directive found on that line."""

from __future__ import annotations

import glob
from functools import lru_cache
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Set

import crossplane

from mcp_lint.documents.base import Comment, Document, ParseError, ReadBudget
from mcp_lint.model import Location
from mcp_lint.reading import bounded_glob, split_lines


@dataclass
class Directive:
    name: str
    args: List[str]
    path: str  # project-relative file it is written in
    line: int
    column: int
    end_column: int
    block: Optional[List["Directive"]] = None
    # The `include` in the linted document through which this directive arrived (None: written there).
    via: Optional["Directive"] = None

    def location(self, message: str = "") -> Location:
        return Location(self.path, self.line, self.column, self.line, self.end_column, message)

    def children(self, name: str) -> List["Directive"]:
        return [d for d in self.block or () if d.name == name]

    def last(self, name: str) -> Optional["Directive"]:
        found = self.children(name)
        return found[-1] if found else None


@dataclass
class _File:
    path: str
    lines: List[str]
    cursor: Dict[int, int] = field(default_factory=dict)  # line -> column after the last directive found

    def place(self, name: str, line: int) -> tuple:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        start = self.cursor.get(line, 0)
        match = _name_pattern(name).search(text, start)
        if match is None:
            return 1, max(2, len(text) + 1)
        self.cursor[line] = match.end()
        return match.start() + 1, match.end() + 1


@lru_cache(maxsize=512)
def _name_pattern(name: str) -> "re.Pattern[str]":
    return re.compile(r"(?<![^\s;{}])" + re.escape(name) + r"(?![^\s;{}])")


class NginxDocument(Document):
    kind = "nginx"

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.directives: List[Directive] = []
        self.unresolved_includes: List[str] = []
        self._comments: List[Comment] = []

    def parse(self) -> None:
        # crossplane lexes one character at a time (about 1.3 s per MB): a configuration and
        # what it includes may add up to MAX_NGINX_BYTES; real ones are a few KB.
        self._budget = ReadBudget(max_bytes=MAX_NGINX_BYTES)
        self._budget.spend(len(self.text.encode("utf-8", "surrogatepass")))
        self._texts: Dict[str, str] = {}
        if self.disk_path is None:
            payload = _parse_text(self.text, self.path)
            main = None
        else:
            main = str(self.disk_path)
            payload = _parse_with_includes(main, self.project_root(), self._read_include)
            self.unresolved_includes = payload["unresolved"]
        configs = payload["config"]
        for error in payload["errors"]:
            if error["file"] != configs[0]["file"]:
                continue  # an included file's own problems are reported when it is linted
            raise ParseError(_clean(error["error"]), error.get("line") or 1)
        self._build(configs, main)

    def _build(self, configs: list, main: Optional[str]) -> None:
        root = self._project_root()
        files = [_File(self._rel(Path(c["file"]), root) if main else self.path, self._lines_of(c["file"], main)) for c in configs]
        builder = _TreeBuilder(configs, files, self._budget)
        self.directives = builder.block(0, configs[0]["parsed"], via=None, active={0})
        self._comments = builder.comments

    def _lines_of(self, file: str, main: Optional[str]) -> List[str]:
        if main is None or file == main:
            return self.lines
        return split_lines(self._texts.get(file, ""))

    def _read_include(self, path: str) -> bool:
        """Read an included file through the bounded reader (its bytes count against the
        document's budget; its hash joins the dependencies). False when it cannot be read."""
        text = self.read_other(Path(path), self._budget)
        if text is None:
            return False
        self._texts[path] = text
        return True

    def _project_root(self) -> Optional[Path]:
        return self.project_root()

    def _rel(self, file: Path, root: Optional[Path]) -> str:
        if root is None:
            return file.as_posix()
        return Path(os.path.relpath(os.path.normpath(file), root)).as_posix()

    def comments(self) -> Iterable[Comment]:
        return self._comments

    def walk(self, directives: Optional[List[Directive]] = None) -> Iterable[Directive]:
        """Every directive, depth first, included ones in place."""
        for directive in self.directives if directives is None else directives:
            yield directive
            if directive.block:
                yield from self.walk(directive.block)


class _TreeBuilder:
    def __init__(self, configs: list, files: List[_File], budget: ReadBudget):
        self.configs = configs
        self.files = files
        self.budget = budget  # splices are counted: files including the next twice are exponential
        self.comments: List[Comment] = []

    def block(self, index: int, statements: list, via: Optional[Directive], active: Set[int]) -> List[Directive]:
        out: List[Directive] = []
        file = self.files[index]
        self.budget.count(len(statements))
        for stmt in statements:
            if stmt["directive"] == "#":
                if index == 0:
                    self._comment(file, stmt)
                continue
            column, end = file.place(stmt["directive"], stmt["line"])
            directive = Directive(stmt["directive"], stmt["args"], file.path, stmt["line"], column, end, via=via)
            if "block" in stmt:
                directive.block = self.block(index, stmt["block"], via, active)
            out.append(directive)
            for included in stmt.get("includes", ()):
                if included not in active:  # a cycle: this file is being spliced already
                    out.extend(self.block(included, self.configs[included]["parsed"], via or directive, active | {included}))
        return out

    def _comment(self, file: _File, stmt: dict) -> None:
        text = file.lines[stmt["line"] - 1] if stmt["line"] <= len(file.lines) else ""
        position = text.rfind("#" + stmt["comment"])
        if position < 0:
            return
        self.comments.append(Comment(stmt["line"], position + 1, stmt["comment"], not text[:position].strip()))


MAX_INCLUDED_FILES = 200
MAX_NGINX_BYTES = 1_000_000


def _parse_with_includes(main: str, root: Optional[Path], read: Callable[[str], bool]) -> dict:
    """crossplane's payload (config list, errors) for `main` and the files it includes, plus
    the includes not followed. Includes are resolved here rather than by crossplane, which opens
    whatever they name: `include /dev/zero;` or a FIFO never ends, and /etc is not the project.
    Only regular files inside the project, under the size cap, are read."""
    configs: list = []
    errors: list = []
    unresolved: List[str] = []
    index = {main: 0}
    queue = [main]
    for fname in queue:  # grows while included files are found
        payload = crossplane.parse(fname, comments=True, single=True, catch_errors=True, check_ctx=False, check_args=False)
        errors.extend(payload["errors"])
        config = payload["config"][0]
        for stmt in _statements(config["parsed"]):
            if stmt["directive"] != "include" or not stmt["args"]:
                continue
            found, problem = _include_targets(stmt["args"][0], os.path.dirname(main), root)
            if problem and fname == main:
                unresolved.append(f"{stmt['args'][0]}: {problem}")
            stmt["includes"] = []
            for target in found:
                if target not in index and len(queue) <= MAX_INCLUDED_FILES and read(target):
                    index[target] = len(queue)
                    queue.append(target)
                if target in index:
                    stmt["includes"].append(index[target])
        configs.append(config)
    return {"config": configs, "errors": errors, "unresolved": unresolved}


def _statements(statements: list) -> Iterable[dict]:
    for stmt in statements:
        yield stmt
        yield from _statements(stmt.get("block") or ())


def _include_targets(argument: str, folder: str, root: Optional[Path]) -> tuple:
    """(files to read, why some or all were not) for one `include` argument, resolved like
    crossplane does (relative to the main file's folder)."""
    if root is None:
        return [], "no project folder to resolve it in"
    base = os.path.realpath(root)
    pattern = os.path.normpath(os.path.join(folder, argument))
    if not _inside(pattern, base) and not _inside(os.path.realpath(pattern), base):
        return [], "outside the project; not read"
    candidates = bounded_glob(pattern, base) if glob.has_magic(pattern) else [pattern]
    found = [c for c in candidates if _inside(os.path.realpath(c), base) and _small_regular_file(c)]
    if not found or len(found) < len(candidates):
        return found, "not found, not a regular file, too large or outside the project"
    return found, None


def _inside(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


def _small_regular_file(path: str) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size <= MAX_NGINX_BYTES


def _parse_text(text: str, name: str) -> dict:
    """crossplane reads files only: a text without a file on disk is parsed from a temporary
    copy, without following includes (there is no folder to resolve them against)."""
    with tempfile.TemporaryDirectory(prefix="mcp-lint-nginx-") as folder:
        target = os.path.join(folder, os.path.basename(name) or "nginx.conf")
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        return crossplane.parse(target, comments=True, single=True, catch_errors=True, check_ctx=False, check_args=False)


def _clean(message: str) -> str:
    """crossplane appends ` in /abs/path:line`; the finding already says where."""
    return re.sub(r" in \S+:\d+$", "", message)
