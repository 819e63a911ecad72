"""Caddyfile: a small exact parser (no maintained Python library parses it).

Lexing follows Caddy's rules: tokens split on whitespace, `"..."` (with `\\"` escapes) and
`` `...` `` quote, `#` starts a comment only at the start of a token, a backslash before a
newline continues the line, `<<MARKER` opens a heredoc. A directive is the tokens of one
logical line; a lone `{` token opens its block and a lone `}` closes it (placeholders such as
`{$PORT}` are ordinary tokens). Unbalanced braces raise ParseError.

Snippets `(name) { ... }` are spliced where `import name` appears; `import <file or glob>`
splices other files, relative to this one, at most once per chain (an import cycle stops).
Spliced directives remember the `import` of this document that brought them in."""

from __future__ import annotations

import copy
import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set

from mcp_lint.documents.base import Comment, Document, ParseError, ReadBudget, SkipFile
from mcp_lint.model import Location
from mcp_lint.reading import bounded_glob

_HEREDOC = re.compile(r"<<([A-Za-z0-9_-]+)$")
MAX_IMPORT_DEPTH = 16
# Imports expanded per document: a snippet importing another three times, 16 levels deep, is
# 3**16 splices (Caddy rejects it; we must not hang on it).
MAX_IMPORTS = 200
# Blocks nest a handful of levels in real Caddyfiles; the tree is walked recursively.
MAX_NESTING = 100


@dataclass
class Token:
    text: str
    line: int
    column: int
    end_column: int
    quoted: bool
    newline_before: bool  # starts a new logical line


@dataclass
class Directive:
    name: str
    args: List[str]
    path: str
    line: int
    column: int
    end_column: int
    block: Optional[List["Directive"]] = None
    via: Optional["Directive"] = None  # the `import` in the linted document that brought it in

    def location(self, message: str = "") -> Location:
        return Location(self.path, self.line, self.column, self.line, self.end_column, message)

    def children(self, name: str) -> List["Directive"]:
        return [d for d in self.block or () if d.name == name]


def tokenize(text: str) -> tuple:
    """(tokens, comments) of a Caddyfile."""
    lexer = _Lexer(text)
    lexer.run()
    return lexer.tokens, lexer.comments


class _Lexer:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.tokens: List[Token] = []
        self.comments: List[Comment] = []
        self.newline = True

    def advance(self) -> str:
        char = self.text[self.pos]
        self.pos += 1
        if char == "\n":
            self.line += 1
            self.line_start = self.pos
        return char

    def run(self) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "\n":
                self.newline = True
                self.advance()
            elif char.isspace():
                self.advance()
            elif char == "\\" and text.startswith("\n", self.pos + 1):
                self.advance()  # a continuation: the logical line goes on
                self.advance()
            elif char == "#":
                self._comment()
            else:
                self._token()

    def _comment(self) -> None:
        end = self.text.find("\n", self.pos)
        end = len(self.text) if end < 0 else end
        own = not self.text[self.line_start:self.pos].strip()
        self.comments.append(Comment(self.line, self.pos - self.line_start + 1, self.text[self.pos + 1:end], own))
        self.pos = end

    def _token(self) -> None:
        line, column = self.line, self.pos - self.line_start + 1
        quote = self.text[self.pos] if self.text[self.pos] in "\"`" else ""
        value = self._quoted(quote) if quote else self._bare()
        heredoc = _HEREDOC.match(value) if not quote else None
        if heredoc and self.text.startswith("\n", self.pos):
            value = self._heredoc(heredoc.group(1), line, column)
        end = self.pos - self.line_start + 1 if self.line == line else column + 1
        self.tokens.append(Token(value, line, column, end, bool(quote), self.newline))
        self.newline = False

    def _bare(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and not self.text[self.pos].isspace():
            self.pos += 1
        return self.text[start:self.pos]

    def _quoted(self, quote: str) -> str:
        line, column = self.line, self.pos - self.line_start + 1
        self.advance()
        chars: List[str] = []
        while self.pos < len(self.text):
            char = self.advance()
            if char == quote:
                return "".join(chars)
            if char == "\\" and quote == '"' and self.text[self.pos:self.pos + 1] in ('"', "\\"):
                char = self.advance()
            chars.append(char)
        raise ParseError("unterminated quoted string", line, column)

    def _heredoc(self, marker: str, line: int, column: int) -> str:
        lines: List[str] = []
        self.advance()
        while self.pos < len(self.text):
            end = self.text.find("\n", self.pos)
            end = len(self.text) if end < 0 else end
            current = self.text[self.pos:end]
            self.pos = end
            if current.strip() == marker:
                return "\n".join(lines)
            lines.append(current)
            if end < len(self.text):
                self.advance()
        raise ParseError(f"heredoc <<{marker} is never closed", line, column)


def parse_tokens(tokens: List[Token], path: str) -> List[Directive]:
    """Group tokens into directives and blocks; raises ParseError on unbalanced braces."""
    stack: List[List[Directive]] = [[]]
    openers: List[Token] = []
    current: Optional[Directive] = None
    for token in tokens:
        brace = not token.quoted and token.text in ("{", "}")
        if token.newline_before:
            current = None
        if brace and token.text == "{":
            if len(openers) >= MAX_NESTING:
                raise SkipFile(f"blocks nested deeper than {MAX_NESTING} levels: too deep to analyse")
            if current is None:  # a block without a name: the global options block
                current = Directive("", [], path, token.line, token.column, token.end_column)
                stack[-1].append(current)
            current.block = []
            stack.append(current.block)
            openers.append(token)
            current = None
        elif brace:
            if len(stack) == 1:
                raise ParseError("unexpected '}' without an open block", token.line, token.column)
            stack.pop()
            openers.pop()
            current = None
        elif current is None:
            current = Directive(token.text, [], path, token.line, token.column, token.end_column)
            stack[-1].append(current)
        else:
            current.args.append(token.text)
    if openers:
        opener = openers[-1]
        raise ParseError("'{' is never closed", opener.line, opener.column)
    return stack[0]


class CaddyfileDocument(Document):
    kind = "caddyfile"

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.directives: List[Directive] = []
        self.snippets: Dict[str, List[Directive]] = {}
        self._comments: List[Comment] = []

    def parse(self) -> None:
        self._budget = ReadBudget()
        self._budget.spend(len(self.text))
        tokens, self._comments = tokenize(self.text)
        top = parse_tokens(tokens, self.path)
        # Snippets may be imported above their definition: collect them all first.
        self.snippets = {d.name[1:-1]: d.block or [] for d in top if _is_snippet(d)}
        seen = {self.disk_path.resolve()} if self.disk_path else set()
        self._imports_left = MAX_IMPORTS
        self.directives = self._expand(top, self.disk_path, None, seen, 0)

    def comments(self) -> Iterable[Comment]:
        return self._comments

    def sites(self) -> List[Directive]:
        """Site blocks (snippets and the global options block excluded). A Caddyfile with a
        single site may omit the braces: its first line is then the address."""
        entries = [d for d in self.directives if d.name and not _is_snippet(d)]
        if entries and entries[0].block is None:
            head = entries[0]
            return [Directive(head.name, head.args, head.path, head.line, head.column, head.end_column, entries[1:])]
        return [d for d in entries if d.block is not None]

    def _expand(self, directives: List[Directive], disk: Optional[Path], via, seen: Set[Path], depth: int) -> List[Directive]:
        out: List[Directive] = []
        self._budget.count(len(directives))
        for directive in directives:
            if directive.name == "import" and directive.args:
                out.extend(self._import(directive, disk, via or directive, seen, depth))
                continue
            if directive.block is not None:
                directive.block = self._expand(directive.block, disk, via, seen, depth)
            if via is not None:
                directive.via = via
            out.append(directive)
        return out

    def _import(self, directive: Directive, disk: Optional[Path], via: Directive, seen: Set[Path], depth: int) -> List[Directive]:
        target = directive.args[0]
        if depth >= MAX_IMPORT_DEPTH or self._imports_left <= 0:
            return []
        self._imports_left -= 1
        if target in self.snippets:
            self._budget.count(_size(self.snippets[target]))  # before copying it
            return self._expand(copy.deepcopy(self.snippets[target]), disk, via, seen, depth + 1)
        if disk is None:
            return []
        out: List[Directive] = []
        pattern = target if os.path.isabs(target) else str(disk.parent / target)
        root = self._root()
        for name in bounded_glob(pattern, root) if glob.has_magic(pattern) else [pattern]:
            resolved = Path(os.path.realpath(name))  # Path.resolve raises on a symlink loop
            if resolved in seen or root not in resolved.parents:
                continue  # an import cycle, or a file outside the project
            text = self.read_other(resolved, self._budget)  # None: a folder, a FIFO, too large
            if text is None:
                continue
            try:
                tokens, _ = tokenize(text)
                imported = parse_tokens(tokens, self._rel(resolved))
            except ParseError:
                continue  # reported when that file is linted itself
            out.extend(self._expand(imported, resolved, via, seen | {resolved}, depth + 1))
        return out

    def _root(self) -> Path:
        root = self.project_root()
        assert root is not None
        return root

    def _rel(self, file: Path) -> str:
        if self.disk_path is None:
            return file.as_posix()
        return Path(os.path.relpath(file, self._root())).as_posix()


def _size(directives: List[Directive]) -> int:
    count, stack = 0, list(directives)
    while stack:
        directive = stack.pop()
        count += 1
        stack.extend(directive.block or ())
    return count


def _is_snippet(directive: Directive) -> bool:
    return directive.name.startswith("(") and directive.name.endswith(")") and directive.block is not None


def walk(directives: Iterable[Directive]) -> Iterable[Directive]:
    for directive in directives:
        yield directive
        if directive.block:
            yield from walk(directive.block)

