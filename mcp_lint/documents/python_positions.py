"""Positions of libcst nodes, computed only for the top-level statements that hold the nodes
asked for.

libcst's PositionProvider generates the code of the whole module and records where each node
starts and ends; on real files that costs more than the parse, and rules ask for positions of
the few nodes they report. The code generation of a top-level statement depends on nothing
before it but the line it starts on (every top-level statement starts at column 0 with no
indentation), so a statement can be generated alone once that line is known.

The lines come from CPython's `ast` of the same text (parsed anyway to gate deep nesting):
each top-level `ast` statement gives its first line (a decorated definition: its first
decorator's), libcst's statements map onto them in order (a `a; b` line is one libcst
statement and several `ast` ones), and the blank and comment lines a libcst statement owns
before its first token are counted back. Every statement generated this way is checked
against the text: its code must be the text found at its start line and it must end where the
next statement starts. When the `ast` is missing (newer syntax than this interpreter's, a
short file) or a check fails, positions are computed as before, statement by statement from
the top of the module."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Optional

import libcst as cst
from libcst.metadata import PositionProvider
from libcst.metadata.position_provider import NEWLINE_RE, PositionProvidingCodegenState

from mcp_lint.python import walk


def first_lines(tree: ast.Module) -> List[int]:
    """The line of the first token of each top-level statement of CPython's tree."""
    return [node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno for node in tree.body]


def codegen_starts(module: cst.Module, lines: List[int]) -> Optional[List[int]]:
    """The line on which the code generation of each of `module.body` starts (its leading
    blank and comment lines included), from `first_lines` of the same text; None when the two
    trees do not map onto each other."""
    starts: List[int] = []
    index = 0
    for statement in module.body:
        if index >= len(lines):
            return None
        line = lines[index] - len(statement.leading_lines)
        decorators = getattr(statement, "decorators", ())
        if decorators:
            line -= len(decorators[0].leading_lines)
        starts.append(line)
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return starts if index == len(lines) else None


class StatementPositions:
    """Positions of nodes, generated per top-level statement on demand (see the module doc).
    `get` returns None for the nodes no statement holds (the module itself, its header and
    footer lines): the caller resolves those over the whole file."""

    def __init__(self, module: cst.Module, text: str, lines: Optional[List[int]]):
        self.module = module
        self.text = text
        self.provider = PositionProvider()
        self.starts = codegen_starts(module, lines) if lines is not None else None
        self.owner: Dict[int, int] = {}  # id(node) -> index of the top-level statement holding it
        self.unindexed: Iterator[int] = iter(range(len(module.body)))
        self.generated: set = set()
        self.line_offsets: Optional[List[int]] = None
        # The fallback: libcst's PositionProvider stopped early, one statement after the other.
        self.state = self._state()
        self.pending = iter([*module.header, *module.body])

    def get(self, node: cst.CSTNode):
        found = self.provider._computed.get(node)
        if found is not None:
            return found
        if self.starts is not None:
            index = self._owner(node)
            if index is not None and index not in self.generated:
                self.generated.add(index)
                if self._generate(index):
                    return self.provider._computed.get(node)
                self.starts = None  # the line table is wrong: from the top, as libcst would
        return self._from_top(node)

    def _state(self, provider: Optional[PositionProvider] = None) -> PositionProvidingCodegenState:
        return PositionProvidingCodegenState(
            default_indent=self.module.default_indent,
            default_newline=self.module.default_newline,
            provider=provider if provider is not None else self.provider,
        )

    def _from_top(self, node: cst.CSTNode):
        computed = self.provider._computed
        found = computed.get(node)
        while found is None:
            item = next(self.pending, None)
            if item is None:
                return None
            item._codegen(self.state)
            found = computed.get(node)
        return found

    def _owner(self, node: cst.CSTNode) -> Optional[int]:
        """Which top-level statement holds the node: the statements are indexed, in order,
        only as far as needed (a walk costs a fraction of a code generation)."""
        key = id(node)
        found = self.owner.get(key)
        if found is not None:
            return found
        body = self.module.body
        for index in self.unindexed:
            inside = False
            for each in walk.walk(body[index]):
                self.owner[id(each)] = index
                inside = inside or each is node
            if inside:
                return index
        return None  # trivia, the module or its header and footer lines

    def _generate(self, index: int) -> bool:
        """Positions of every node of one top-level statement, kept only when its code is the
        text at the line it was placed on and it ends where the next statement starts."""
        assert self.starts is not None
        provider = PositionProvider()
        state = self._state(provider)
        state.line = start = self.starts[index]
        self.module.body[index]._codegen(state)
        offsets = self._line_offsets()
        following = index + 1
        end = self.starts[following] if following < len(self.starts) else len(offsets) - len(self.module.footer)
        if state.line != end or not 0 < start <= len(offsets):
            return False
        if not self._text().startswith("".join(state.tokens), offsets[start - 1]):
            return False
        self.provider._computed.update(provider._computed)
        return True

    def _text(self) -> str:
        """The text the module's code generation produces before the trailing newline that a
        file without one loses at the end."""
        return self.text if self.module.has_trailing_newline else self.text + self.module.default_newline

    def _line_offsets(self) -> List[int]:
        """Where each line starts in `_text()`; one more entry than lines: where the next would."""
        if self.line_offsets is None:
            self.line_offsets = [0, *(match.end() for match in NEWLINE_RE.finditer(self._text()))]
        return self.line_offsets
