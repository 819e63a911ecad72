"""Where a shell logical line ends: the quoting contexts of POSIX shell, nested.

A line-by-line quote flag misreads valid scripts once quotes nest: inside `"$( ... )"` a new
context starts in which `'` and `"` open quotes again, and a heredoc opened inside `$(...)`
takes the following lines as its body, whatever quotes they hold. The scanner keeps a stack of
open contexts (`'`, `"`, `$(`, a nested `(`, a backquote) carried from line to line, each line
read once (linear time: an unclosed quote in a large script must not cost a re-scan per line).

It also hides each outermost command substitution behind a placeholder, so the caller can split
the line into words with `shlex` (which knows nothing of `$(...)`) and put the substitution's
text back into the word that holds it. Commands inside a substitution are not the script's own
commands: they are not split out."""

from __future__ import annotations

import re
from typing import List, Tuple

# `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`, `<<\EOF` (not `<<<`, a here-string).
_HEREDOC = re.compile(r"<<(-?)[ \t]*(?:'([^'\n]*)'|\"([^\"\n]*)\"|\\?([A-Za-z_][\w.-]*))")
_SUBSTITUTIONS = ("$(", "`")
PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


class Contexts:
    """Quoting state across the lines of one logical line."""

    def __init__(self) -> None:
        self.stack: List[str] = []
        self.flat: List[str] = []  # the line with outermost substitutions replaced by placeholders
        self.substitutions: List[str] = []  # their text, in order
        self._held: List[str] = []  # text of the substitution being read
        self.heredocs: List[Tuple[str, bool]] = []  # opened inside a substitution on the last line
        self.opened_substitution = False
        self.continued = False  # the last line ended with a backslash-newline

    @property
    def open(self) -> bool:
        return bool(self.stack)

    @property
    def in_substitution(self) -> bool:
        return any(context in _SUBSTITUTIONS for context in self.stack)

    def feed(self, line: str) -> None:
        """Read one physical line (without its line break)."""
        self.heredocs, self.continued = [], False
        index, length = 0, len(line)
        while index < length:
            index = self._step(line, index) + 1
        if self.continued:
            self._drop_backslash()
        elif self.stack:
            self._emit("\n")

    def feed_raw(self, line: str) -> None:
        """A heredoc body line inside a substitution: part of its text, not scanned."""
        self._emit(line + "\n")

    def _drop_backslash(self) -> None:
        """A backslash-newline joins the lines (the shell removes both characters)."""
        text = self._held if self.in_substitution else self.flat
        if text and text[-1] == "\\":
            text[-1] = " "

    def text(self) -> str:
        return "".join(self.flat)

    def restore(self, word: str) -> str:
        """A word of the flattened text with its substitutions put back."""
        return _PLACEHOLDER.sub(lambda m: self.substitutions[int(m.group(1))], word)

    def _step(self, line: str, index: int) -> int:
        """Handle the character at `index`; returns the index of the last character consumed."""
        char = line[index]
        top = self.stack[-1] if self.stack else None
        if top == "'":
            self._emit(char)
            if char == "'":
                self.stack.pop()
            return index
        pair = line[index : index + 2]
        if char == "\\":
            self._emit(pair)
            self.continued = index + 1 == len(line)
            return index + 1
        if top == '"':
            if char == '"':
                self.stack.pop()
            elif pair == "$(" or char == "`":
                return self._push(pair if pair == "$(" else char, index)
            self._emit(char)
            return index
        if char == "#" and (index == 0 or line[index - 1] in " \t;&|("):
            self._emit(line[index:])
            return len(line)
        if char in "'\"":
            self.stack.append(char)
        elif pair == "$(" or (char == "`" and top != "`"):
            return self._push(pair if pair == "$(" else char, index)
        elif char == "`" or (char == ")" and top in ("$(", "(")):
            return self._pop(char, index)
        elif char == "(" and top in ("$(", "("):
            self.stack.append("(")
        elif line.startswith("<<<", index):  # a here-string: its operand is a word, not a delimiter
            self._emit("<<<")
            return index + 2
        elif pair == "<<" and self.in_substitution:
            return self._heredoc(line, index)
        self._emit(char)
        return index

    def _push(self, opener: str, index: int) -> int:
        if not self.in_substitution:
            self._held = []
            self.opened_substitution = True
        self.stack.append(opener)
        self._emit(opener)
        return index + len(opener) - 1

    def _pop(self, closer: str, index: int) -> int:
        self._emit(closer)
        self.stack.pop()
        if not self.in_substitution and closer in ")`" and self._held is not None:
            self.substitutions.append("".join(self._held))
            self.flat.append(PLACEHOLDER.format(len(self.substitutions) - 1))
            self._held = None
        return index

    def _heredoc(self, line: str, index: int) -> int:
        match = _HEREDOC.match(line, index)
        if match is None:
            self._emit("<<")
            return index + 1
        delimiter = next(group for group in match.groups()[1:] if group is not None)
        self.heredocs.append((delimiter, match.group(1) == "-"))
        self._emit(match.group(0))
        return match.end() - 1

    def _emit(self, text: str) -> None:
        if self.in_substitution:
            self._held.append(text)
        else:
            self.flat.append(text)


def heredoc_end(line: str, delimiter: str, strip_tabs: bool) -> bool:
    return (line.lstrip("\t") if strip_tabs else line).strip() == delimiter


