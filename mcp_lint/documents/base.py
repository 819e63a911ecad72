"""What every parsed file offers the engine: its text, its comments and a way to turn a
rule's handle (a CST node, a YAML node, a line) into a `Location`."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, TypeVar

from mcp_lint.reading import LINE_BREAKS, MAX_FILE_BYTES, read_bytes, split_lines

T = TypeVar("T")

# What one document may expand to through includes, imports and `extends` (see ReadBudget).
MAX_EXPANDED_BYTES = 4_000_000
MAX_EXPANDED_NODES = 50_000


class ParseError(Exception):
    """The file could not be parsed; becomes an MCP0000 finding at (line, column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1, severity=None):
        super().__init__(message)
        self.message = message
        self.line = max(1, line)
        self.column = max(1, column)
        # None: the rule's own (error). A reader that cannot tell whether the file is really
        # broken (a grammar that lags the language) says so with a lower severity.
        self.severity = severity


class SkipFile(Exception):
    """The file is of this kind but cannot be checked as written (a Helm template, say);
    the engine reports it as a "skipped" diagnostic instead of a finding."""

    def __init__(self, reason: str, limit: bool = True):
        super().__init__(reason)
        self.reason = reason
        # True: a limit of mcp-lint's or an unreadable file (reported as MCP0003 on files the
        # project runs); False: a file that is not this kind until something renders it.
        self.limit = limit


@dataclass(frozen=True)
class Comment:
    line: int
    column: int  # 1-based
    text: str  # without the comment marker
    own_line: bool  # nothing but whitespace before it on its line


class Document:
    """A file of one kind, parsed once. Subclasses set `kind` and implement `parse`."""

    kind = "text"
    line_breaks = LINE_BREAKS  # characters that end a line for this kind's parser (and \r\n)

    def __init__(self, path: str, text: str):
        self.path = path  # relative to the project root, '/' separators
        self.text = text
        # The file on disk, set by the engine: documents that follow includes or `extends`
        # resolve them relative to it. None when the text did not come from a file.
        self.disk_path: Optional[Path] = None
        self._lines: List[str] | None = None
        # Other files read while parsing (project-relative path -> content hash), for the cache.
        self.dependencies: Dict[str, str] = {}
        self._derived: Dict[Callable, Any] = {}

    @property
    def lines(self) -> List[str]:
        if self._lines is None:
            self._lines = split_lines(self.text, breaks=self.line_breaks)
        return self._lines

    def project_root(self) -> Optional[Path]:
        """The project folder (symlinks resolved), from the file on disk and its relative path."""
        if self.disk_path is None:
            return None
        return Path(os.path.realpath(self.disk_path)).parents[len(self.path.split("/")) - 1]

    def read_other(self, path: Path, budget: "ReadBudget") -> Optional[str]:
        """The text of another file this one names (an include, an import, a base config): a
        regular file inside the project, within the document's byte budget (SkipFile past
        it). Its hash joins the document's dependencies. None when it cannot be
        read (outside the project, missing, a FIFO, not UTF-8)."""
        root = self.project_root()
        if root is None:
            return None
        data, _ = read_bytes(path, min(budget.left(), MAX_FILE_BYTES), root)
        if data is None or len(data) > MAX_FILE_BYTES:
            return None
        budget.spend(len(data))
        rel = os.path.relpath(os.path.realpath(path), root).replace(os.sep, "/")
        self.dependencies[rel] = hashlib.sha256(data).hexdigest()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None

    def derived(self, compute: Callable[["Document"], T]) -> T:
        """`compute(self)`, computed once per document: several rules collect the same facts
        (the CI rules all read one workflow's jobs and steps)."""
        if compute not in self._derived:
            self._derived[compute] = compute(self)
        return self._derived[compute]

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def comments(self) -> Iterable[Comment]:
        """Comments in the file, for suppressions. Kinds without comments yield nothing."""
        return ()

    def parse(self) -> None:
        """Parse the text; raise `ParseError` when it is not valid for this kind."""


class ReadBudget:
    """Bytes and nodes one document may expand to through includes, imports or extends: past
    either, the document is skipped as too expensive (a chain of small files each including
    the next twice is exponential; forty 2 MB includes are 80 MB of text)."""

    def __init__(self, max_bytes: int = MAX_EXPANDED_BYTES, max_nodes: int = MAX_EXPANDED_NODES):
        self.max_bytes = max_bytes
        self.max_nodes = max_nodes
        self.bytes = 0
        self.nodes = 0

    def left(self) -> int:
        return max(0, self.max_bytes - self.bytes)

    def spend(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.max_bytes:
            raise SkipFile(f"too expensive: with the files it includes, more than {self.max_bytes / 1_000_000:g} MB")

    def count(self, nodes: int = 1) -> None:
        self.nodes += nodes
        if self.nodes > self.max_nodes:
            raise SkipFile(f"too expensive: includes expand to more than {self.max_nodes} directives")
