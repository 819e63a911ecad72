"""Shell scripts (container entrypoints): the simple commands of the script, in order, with
their words and positions. Not a full shell grammar: enough to see which command runs last and
how it is started (`exec`, backgrounded), which is what entrypoint rules ask.

Words come from `shlex` (POSIX quoting), after `shell_contexts` has found where each logical
line ends (nested quoting contexts: quotes inside `"$(...)"`, heredocs inside a substitution)
and hidden command substitutions from it (a substitution's text stays inside its word). Heredoc
bodies are skipped; function bodies are marked so rules can tell them from commands the script
itself runs."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from mcp_lint.documents.base import Comment, Document, ParseError
from mcp_lint.documents.dockerfile import HEREDOC, QUOTED_TEXT
from mcp_lint.documents.shell_contexts import Contexts, heredoc_end
from mcp_lint.model import Location, Severity

SEPARATORS = frozenset({"&&", "||", ";", ";;", "|", "&", "(", ")", "|&", ";&", ";;&"})
# Words that open or close a compound command; the command proper follows them.
KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"})
CLOSERS = frozenset({"fi", "done", "esac", "}"})
_FUNCTION = re.compile(r"^\s*(?:function\s+)?[A-Za-z_][\w.-]*\s*\(\s*\)\s*\{?\s*$|^\s*function\s+[A-Za-z_][\w.-]*\s*\{?\s*$")


@dataclass(frozen=True)
class Command:
    words: Tuple[str, ...]  # without leading keywords such as `then`
    line: int
    end_line: int
    background: bool  # ended by `&`
    in_function: bool


class ShellDocument(Document):
    kind = "shell"

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.commands: List[Command] = []
        self.trapped_signals: set = set()
        self._comments: List[Comment] = []

    def location(self, command: Command, message: str = "") -> Location:
        text = self.line_text(command.line)
        column = len(text) - len(text.lstrip()) + 1
        return Location(self.path, command.line, column, command.end_line, len(self.line_text(command.end_line)) + 1, message)

    def last_command(self) -> Optional[Command]:
        """The last command the script itself runs (not in a function body)."""
        top = [c for c in self.commands if not c.in_function]
        return top[-1] if top else None

    def comments(self) -> Iterable[Comment]:
        return self._comments

    def parse(self) -> None:
        if "\x00" in self.text:  # no shell reads past a NUL byte; it would also collide with our placeholders
            before = self.text[: self.text.index("\x00")]
            raise ParseError("a NUL byte: not a shell script", before.count("\n") + 1, len(before) - before.rfind("\n"))
        lines = self.lines
        index, depth = 0, 0
        while index < len(lines):
            start = index
            contexts, index = self._logical_line(lines, index)
            text = contexts.text()
            if _FUNCTION.match(text):
                depth += 1
                continue
            words = [contexts.restore(word) for word in _split(text, start + 1)]
            depth = self._add_commands(words, start + 1, index, depth)
            for heredoc in HEREDOC.finditer(QUOTED_TEXT.sub("", text)):
                index = _skip_heredoc(lines, index, heredoc.group(3), heredoc.group(1) == "-")

    def _logical_line(self, lines: List[str], index: int) -> Tuple[Contexts, int]:
        """One logical line: continuations joined, read on while a quoting context is open,
        with the bodies of heredocs opened inside a command substitution. The context stack is
        carried from line to line (re-splitting the growing text at every line was quadratic:
        an unclosed quote in a 160 KB script took minutes)."""
        start, contexts = index, Contexts()
        while index < len(lines):
            self._note_comment(index, lines[index])
            contexts.feed(lines[index])
            index += 1
            for delimiter, strip_tabs in contexts.heredocs:
                while index < len(lines):
                    contexts.feed_raw(lines[index])
                    index += 1
                    if heredoc_end(lines[index - 1], delimiter, strip_tabs):
                        break
            if not contexts.open and not contexts.continued:
                return contexts, index
        # A plain quote left open is a syntax error bash reports too; past a command
        # substitution this reader may be the one that is wrong (a `case` pattern's lone `)`),
        # so it says so at info severity instead of failing the file.
        unsure = contexts.opened_substitution
        message = "quote opened here is never closed" + (" (or a construct mcp-lint's shell reader does not follow)" if unsure else "")
        raise ParseError(message, start + 1, 1, severity=Severity.INFO if unsure else None)

    def _note_comment(self, index: int, raw: str) -> None:
        stripped = raw.lstrip()
        if stripped.startswith("#"):
            column = len(raw) - len(stripped)
            self._comments.append(Comment(index + 1, column + 1, stripped[1:], True))
            return
        match = re.search(r"\s#", raw)
        if match and _balanced(raw[: match.start()]):
            self._comments.append(Comment(index + 1, match.start() + 2, raw[match.start() + 2 :], False))

    def _add_commands(self, words: List[str], line: int, end_line: int, depth: int) -> int:
        current: List[str] = []
        for word in [*words, ";"]:
            if word in SEPARATORS:
                self._finish(current, line, end_line, word == "&", depth > 0)
                current = []
            elif not current and word in CLOSERS:
                depth -= 1 if word == "}" and depth > 0 else 0
            elif not current and word in KEYWORDS:
                continue
            else:
                current.append(word)
        return depth

    def _finish(self, words: List[str], line: int, end_line: int, background: bool, in_function: bool) -> None:
        if not words:
            return
        if words[0] == "trap":
            self.trapped_signals.update(w.upper().replace("SIG", "") for w in words[2:])
        self.commands.append(Command(tuple(words), line, end_line, background, in_function))


def _balanced(text: str) -> bool:
    try:
        shlex.split(text, comments=True)
    except ValueError:
        return False
    return True


def _split(text: str, line: int) -> List[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return list(lexer)
    except ValueError as exc:
        # The contexts were balanced, so shlex and this reader disagree: not proof of an error.
        raise ParseError(f"cannot split into words: {exc}", line, 1, severity=Severity.INFO) from None


def _skip_heredoc(lines: List[str], index: int, delimiter: str, strip_tabs: bool) -> int:
    while index < len(lines):
        index += 1
        if heredoc_end(lines[index - 1], delimiter, strip_tabs):
            return index
    return index
