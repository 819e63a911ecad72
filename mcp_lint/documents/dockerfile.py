"""Dockerfiles: instructions with their positions, build stages, exec/shell form.

A small exact parser instead of `dockerfile-parse`: that library reports line numbers but no
columns, drops comments (needed for suppressions) and would be one more dependency for a
grammar that fits in a page. Handled: parser directives (`# syntax=`, `# escape=`), line
continuations (with comment and blank lines inside them), BuildKit heredocs (`<<EOF`,
`<<-EOF`, quoted delimiters), exec form (a JSON array of strings; anything else is shell
form, as Docker does) and multi-stage builds (`FROM image AS name`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

from mcp_lint.deploy import shell_words
from mcp_lint.documents.base import Comment, Document, ParseError
from mcp_lint.model import Location

INSTRUCTIONS = frozenset(
    {
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
        "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    }
)
HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
_DIRECTIVE = re.compile(r"^#\s*([A-Za-z][\w-]*)\s*=\s*(\S*)\s*$")
_INSTRUCTION = re.compile(r"^(\s*)([A-Za-z]+)(?=\s|$)")
HEREDOC = re.compile(r"(?<![<\d])<<(-?)\s*(['\"]?)([A-Za-z_][\w.-]*)\2")
# Quoted text, except a quoted heredoc delimiter: `echo "a<<b"` starts no heredoc.
# Quoted text, except a heredoc's quoted delimiter (`<<'EOF'`, `<< "EOF"`, `<<- 'EOF'`).
QUOTED_TEXT = re.compile(r"(?<!<<)(?<!<<-)(?<!<< )(?<!<<- )(?<!<<\t)(['\"]).*?\1")
_FROM = re.compile(r"^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?\s*$", re.IGNORECASE)


@dataclass
class Instruction:
    keyword: str  # upper-case
    args: str  # the argument text, continuations joined, without heredoc bodies
    line: int
    column: int  # of the keyword
    end_line: int
    end_column: int
    args_column: int  # where the arguments start on the first line
    stage: int  # index of the build stage it belongs to
    heredocs: Tuple[str, ...] = ()

    @property
    def single_line(self) -> bool:
        return self.line == self.end_line

    @property
    def exec_form(self) -> Optional[List[str]]:
        """The JSON array of an exec-form instruction, or None for shell form."""
        text = self.args.strip()
        if not text.startswith("["):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None  # Docker runs an invalid JSON array as a shell command
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        return None


@dataclass
class Stage:
    index: int
    base: str  # image or earlier stage name
    name: str  # lower-case; "" when unnamed
    instructions: List[Instruction] = field(default_factory=list)


class DockerfileDocument(Document):
    kind = "dockerfile"

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.instructions: List[Instruction] = []
        self.stages: List[Stage] = []
        self.directives: Dict[str, str] = {}
        self._comments: List[Comment] = []

    # -- queries ---------------------------------------------------------------------
    @property
    def final_stage(self) -> Optional[Stage]:
        return self.stages[-1] if self.stages else None

    def stage_chain(self, stage: Stage) -> List[Stage]:
        """`stage` and the earlier stages it is built FROM, base first (they share CMD, ENV...)."""
        chain = [stage]  # built child first, reversed at the end: linear in the chain's length
        by_name = {s.name: s for s in self.stages if s.name}
        while True:
            parent = by_name.get(chain[-1].base.lower())
            if parent is None or parent.index >= chain[-1].index:  # indices fall: no cycle
                return chain[::-1]
            chain.append(parent)

    def final_instructions(self, keyword: str) -> List[Instruction]:
        """Instructions of one keyword that the final image inherits, in order."""
        stage = self.final_stage
        if stage is None:
            return []
        return [i for s in self.stage_chain(stage) for i in s.instructions if i.keyword == keyword]

    def location(self, instruction: Instruction, message: str = "") -> Location:
        return Location(self.path, instruction.line, instruction.column, instruction.end_line, instruction.end_column, message)

    def comments(self) -> Iterable[Comment]:
        return self._comments

    # -- parsing ---------------------------------------------------------------------
    def parse(self) -> None:
        lines = self.lines
        index = self._read_directives(lines)
        escape = self.directives.get("escape", "\\")
        if escape not in ("\\", "`"):
            raise ParseError(f"invalid escape directive {escape!r} (expected \\ or `)", 1, 1)
        while index < len(lines):
            raw = lines[index]
            stripped = raw.strip()
            if not stripped:
                index += 1
            elif stripped.startswith("#"):
                self._add_comment(index, raw)
                index += 1
            else:
                index = self._read_instruction(lines, index, escape)

    def _read_directives(self, lines: List[str]) -> int:
        """Parser directives only count before any comment, blank line or instruction."""
        index = 0
        while index < len(lines):
            match = _DIRECTIVE.match(lines[index].strip())
            if match is None or match.group(1).lower() in self.directives:
                break
            self.directives[match.group(1).lower()] = match.group(2)
            self._add_comment(index, lines[index])
            index += 1
        return index

    def _add_comment(self, index: int, raw: str) -> None:
        column = raw.index("#")
        self._comments.append(Comment(index + 1, column + 1, raw[column + 1 :], True))

    def _read_instruction(self, lines: List[str], start: int, escape: str) -> int:
        raw = lines[start]
        match = _INSTRUCTION.match(raw)
        if match is None:
            raise ParseError(f"expected an instruction, found {raw.strip()[:30]!r}", start + 1, len(raw) - len(raw.lstrip()) + 1)
        keyword = match.group(2).upper()
        if keyword not in INSTRUCTIONS:
            raise ParseError(f"unknown instruction {match.group(2)!r}", start + 1, match.start(2) + 1)
        args_column = len(raw) - len(raw[match.end(2) :].lstrip()) + 1
        parts, index = self._join_continuations(lines, start, escape, raw[match.end(2) :])
        args = "".join(parts)
        end = index - 1
        heredocs: List[str] = []
        if keyword in HEREDOC_INSTRUCTIONS:
            for heredoc in HEREDOC.finditer(QUOTED_TEXT.sub("", args)):
                body, index = _read_heredoc(lines, index, heredoc.group(3), heredoc.group(1) == "-", start + 1)
                heredocs.append(body)
                end = index - 1
        instruction = Instruction(
            keyword, args.strip(), start + 1, match.start(2) + 1, end + 1, len(lines[end]) + 1, args_column,
            max(0, len(self.stages) - 1), tuple(heredocs),
        )
        self._add_instruction(instruction)
        return index

    def _join_continuations(self, lines: List[str], start: int, escape: str, first: str) -> Tuple[List[str], int]:
        parts: List[str] = []
        text, index = first, start + 1
        while True:
            body = text.rstrip()
            if not body.endswith(escape):
                parts.append(text)
                return parts, index
            parts.append(body[: -len(escape)])
            # Comment and blank lines inside a continued instruction are dropped by Docker.
            while index < len(lines) and (not lines[index].strip() or lines[index].lstrip().startswith("#")):
                if lines[index].strip():
                    self._add_comment(index, lines[index])
                index += 1
            if index >= len(lines):
                return parts, index
            text, index = lines[index], index + 1

    def _add_instruction(self, instruction: Instruction) -> None:
        if instruction.keyword == "FROM":
            match = _FROM.match(instruction.args)
            if match is None:
                raise ParseError("FROM needs an image", instruction.line, instruction.column)
            instruction.stage = len(self.stages)
            self.stages.append(Stage(len(self.stages), match.group(1), (match.group(2) or "").lower()))
        elif not self.stages and instruction.keyword not in ("ARG",):
            raise ParseError(f"{instruction.keyword} before the first FROM", instruction.line, instruction.column)
        if self.stages:
            self.stages[-1].instructions.append(instruction)
        self.instructions.append(instruction)


def _read_heredoc(lines: List[str], index: int, delimiter: str, strip_tabs: bool, line: int) -> Tuple[str, int]:
    body: List[str] = []
    while index < len(lines):
        text = lines[index].lstrip("\t") if strip_tabs else lines[index]
        index += 1
        if text == delimiter:
            return "\n".join(body), index
        body.append(text)
    raise ParseError(f"heredoc `<<{delimiter}` is never closed", line, 1)


def env_pairs(args: str) -> List[Tuple[str, str]]:
    """The (name, value) pairs of an `ENV` instruction's arguments: `ENV A=1 B="x y"`, or the
    legacy `ENV A 1`."""
    words = shell_words(args)
    if words and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    return [(name, value) for name, _, value in (w.partition("=") for w in words if "=" in w)]
