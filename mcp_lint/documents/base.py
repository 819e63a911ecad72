"""What every parsed file offers the engine: its text, its comments and a way to turn a
rule's handle (a CST node, a YAML node, a line) into a `Location`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional


class ParseError(Exception):
    """The file could not be parsed; becomes an MCP0000 finding at (line, column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = max(1, line)
        self.column = max(1, column)


class SkipFile(Exception):
    """The file is of this kind but cannot be checked as written (a Helm template, say);
    the engine reports it as a "skipped" diagnostic instead of a finding."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Comment:
    line: int
    column: int  # 1-based
    text: str  # without the comment marker
    own_line: bool  # nothing but whitespace before it on its line


class Document:
    """A file of one kind, parsed once. Subclasses set `kind` and implement `parse`."""

    kind = "text"

    def __init__(self, path: str, text: str):
        self.path = path  # relative to the project root, '/' separators
        self.text = text
        # The file on disk, set by the engine: documents that follow includes or `extends`
        # resolve them relative to it. None when the text did not come from a file.
        self.disk_path: Optional[Path] = None
        self._lines: List[str] | None = None

    @property
    def lines(self) -> List[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def comments(self) -> Iterable[Comment]:
        """Comments in the file, for suppressions. Kinds without comments yield nothing."""
        return ()

    def parse(self) -> None:
        """Parse the text; raise `ParseError` when it is not valid for this kind."""
