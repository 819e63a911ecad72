"""`.env.example`-style files: `KEY=value` lines (optionally `export KEY=value`), quoted values,
`#` comments on their own line or after an unquoted value, bare `KEY` lines (compose accepts
them: the value comes from the environment). Any other line is skipped, as the loaders do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional

from mcp_lint.documents.base import Comment, Document
from mcp_lint.model import Location

_ENTRY = re.compile(r"^(\s*)(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*(?:=\s*(.*))?$")


@dataclass(frozen=True)
class Entry:
    key: str
    value: Optional[str]  # None for a bare `KEY`
    line: int
    column: int  # of the key


class DotenvDocument(Document):
    kind = "dotenv"

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.entries: List[Entry] = []
        self._comments: List[Comment] = []

    def get(self, key: str) -> Optional[Entry]:
        found = [e for e in self.entries if e.key == key]
        return found[-1] if found else None  # the last assignment wins

    def location(self, entry: Entry, message: str = "") -> Location:
        return Location(self.path, entry.line, entry.column, entry.line, len(self.line_text(entry.line)) + 1, message)

    def comments(self) -> Iterable[Comment]:
        return self._comments

    def parse(self) -> None:
        open_quote = ""  # inside a multi-line quoted value until this quote closes it
        for number, raw in enumerate(self.lines, start=1):
            stripped = raw.strip()
            if open_quote:
                open_quote = "" if open_quote in raw else open_quote
                continue
            if not stripped:
                continue
            if stripped.startswith("#"):
                self._comments.append(Comment(number, raw.index("#") + 1, raw[raw.index("#") + 1 :], True))
                continue
            match = _ENTRY.match(raw)
            if match is None:
                continue  # python-dotenv and Node's dotenv skip such a line (`;; comment`) and load the rest
            value = match.group(3)
            if value is not None:
                if value[:1] in ("'", '"') and value.find(value[0], 1) < 0:
                    open_quote = value[0]
                value = self._value(value, number, match.start(3))
            self.entries.append(Entry(match.group(2), value, number, match.start(2) + 1))

    def _value(self, text: str, line: int, offset: int) -> str:
        if text[:1] in ("'", '"'):
            quote = text[0]
            end = text.find(quote, 1)
            if end < 0:
                return text[1:]  # a multi-line value: its first line is enough for the rules
            self._trailing_comment(text, end + 1, line, offset)
            return text[1:end]
        comment = re.search(r"\s#", text)
        if comment is None:
            return text.strip()
        self._trailing_comment(text, comment.start(), line, offset)
        return text[: comment.start()].strip()

    def _trailing_comment(self, text: str, start: int, line: int, offset: int) -> None:
        hash_at = text.find("#", start)
        if hash_at >= 0:
            self._comments.append(Comment(line, offset + hash_at + 1, text[hash_at + 1 :], False))
