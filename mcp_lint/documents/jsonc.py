"""JSON with comments and trailing commas (tsconfig's dialect), parsed into nodes that keep
their positions. The standard library's `json` gives no positions and rejects comments; the
maintained JSONC libraries on PyPI give neither positions nor comments, so this is a small
exact recursive-descent parser. Plain JSON (package.json) is a subset of what it accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, List, Optional, Tuple

from mcp_lint.documents.base import Comment, ParseError
from mcp_lint.literals import MAX_DIGITS

_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS = {"true": True, "false": False, "null": None}
MAX_DEPTH = 200


@dataclass
class JsonNode:
    """A value with its span (1-based lines and columns, end column exclusive). Objects keep
    their members in order as (key node, value node); arrays keep their element nodes."""

    kind: str  # "object" | "array" | "string" | "number" | "bool" | "null"
    value: Any  # scalar value; None for containers
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0
    members: List[Tuple["JsonNode", "JsonNode"]] = field(default_factory=list)
    elements: List["JsonNode"] = field(default_factory=list)

    def get(self, key: str) -> Optional["JsonNode"]:
        """The value of `key` in an object (the last one when repeated, as JSON.parse does)."""
        found = self.member(key)
        return found[1] if found else None

    def member(self, key: str) -> Optional[Tuple["JsonNode", "JsonNode"]]:
        found = None
        for member in self.members:
            if member[0].value == key:
                found = member
        return found


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.comments: List[Comment] = []
        self.depth = 0

    @property
    def column(self) -> int:
        return self.pos - self.line_start + 1

    def error(self, message: str) -> ParseError:
        return ParseError(message, self.line, self.column)

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.text[self.pos] == "\n":
                self.line += 1
                self.line_start = self.pos + 1
            self.pos += 1

    def skip_space(self) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r\n\ufeff":
                self.advance()
            elif text.startswith("//", self.pos):
                self._comment(text.find("\n", self.pos), 0)
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    raise self.error("unterminated /* comment")
                self._comment(end, 2)
            else:
                return

    def _comment(self, end: int, closer: int) -> None:
        end = len(self.text) if end < 0 else end
        own_line = not self.text[self.line_start:self.pos].strip()
        self.comments.append(Comment(self.line, self.column, self.text[self.pos + 2:end], own_line))
        self.advance(end + closer - self.pos)

    def parse_document(self) -> JsonNode:
        self.skip_space()
        if self.pos >= len(self.text):
            raise self.error("empty document")
        node = self.value()
        self.skip_space()
        if self.pos < len(self.text):
            raise self.error(f"unexpected {self.text[self.pos]!r} after the value")
        return node

    def value(self) -> JsonNode:
        if self.pos >= len(self.text):
            raise self.error("unexpected end of file")
        char = self.text[self.pos]
        if char in "{[":
            return self.container(char)
        if char == '"':
            return self.string()
        match = _NUMBER.match(self.text, self.pos)
        if match:
            return self.scalar("number", _number(match), match.end() - self.pos)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, self.pos):
                return self.scalar("null" if literal is None else "bool", literal, len(word))
        raise self.error(f"unexpected {char!r}")

    def scalar(self, kind: str, value: Any, length: int) -> JsonNode:
        node = JsonNode(kind, value, self.line, self.column)
        self.advance(length)
        node.end_line, node.end_column = self.line, self.column
        return node

    def string(self) -> JsonNode:
        node = JsonNode("string", None, self.line, self.column)
        self.advance()
        chars: List[str] = []
        while True:
            if self.pos >= len(self.text) or self.text[self.pos] == "\n":
                raise ParseError("unterminated string", node.line, node.column)
            char = self.text[self.pos]
            if char == '"':
                break
            if char == "\\":
                chars.append(self._escape())
                continue
            chars.append(char)
            self.advance()
        self.advance()
        node.value = "".join(chars)
        node.end_line, node.end_column = self.line, self.column
        return node

    def _escape(self) -> str:
        code = self.text[self.pos + 1:self.pos + 2]
        if code == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", self.text[self.pos + 2:self.pos + 6]):
            self.advance(6)
            unit = int(self.text[self.pos - 4:self.pos], 16)
            if 0xD800 <= unit < 0xDC00 and re.match(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", self.text[self.pos:self.pos + 6]):
                self.advance(6)  # a surrogate pair: one character, as JSON.parse reads it
                return chr(0x10000 + ((unit - 0xD800) << 10) + int(self.text[self.pos - 4:self.pos], 16) - 0xDC00)
            # A lone surrogate cannot be encoded to UTF-8: U+FFFD, as a decoder does.
            return "\ufffd" if 0xD800 <= unit < 0xE000 else chr(unit)
        if code in _ESCAPES:
            self.advance(2)
            return _ESCAPES[code]
        raise self.error("invalid escape in string")

    def container(self, opener: str) -> JsonNode:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("nesting too deep")
        node = JsonNode("object" if opener == "{" else "array", None, self.line, self.column)
        closer = "}" if opener == "{" else "]"
        self.advance()
        self.skip_space()
        while not self.text.startswith(closer, self.pos):
            if opener == "{":
                node.members.append(self.member())
            else:
                node.elements.append(self.value())
            self.skip_space()
            if self.text.startswith(",", self.pos):
                self.advance()
                self.skip_space()  # a trailing comma before the closer is allowed
            elif not self.text.startswith(closer, self.pos):
                raise self.error(f"expected ',' or {closer!r}")
        self.advance()
        node.end_line, node.end_column = self.line, self.column
        self.depth -= 1
        return node

    def member(self) -> Tuple[JsonNode, JsonNode]:
        if not self.text.startswith('"', self.pos):
            raise self.error("expected a quoted key")
        key = self.string()
        self.skip_space()
        if not self.text.startswith(":", self.pos):
            raise self.error("expected ':' after the key")
        self.advance()
        self.skip_space()
        return key, self.value()


def _number(match: "re.Match[str]") -> Any:
    """int for an integer (float when it has more digits than CPython converts), else float."""
    text = match.group()
    if match.group(2) or match.group(3) or len(text) > MAX_DIGITS:
        return float(text)
    return int(text)


def parse_jsonc(text: str) -> Tuple[JsonNode, List[Comment]]:
    """The root node and the comments; raises ParseError at the first syntax error."""
    parser = _Parser(text)
    return parser.parse_document(), parser.comments
