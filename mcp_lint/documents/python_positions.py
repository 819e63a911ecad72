"""Positions of libcst nodes, computed only for the innermost statements that hold the nodes
asked for.

libcst's PositionProvider generates the code of the whole module and records where each node
starts and ends; on real files that costs more than the parse, and rules ask for the positions
of the few nodes they report. The code generation of a statement depends on nothing before it
but the line it starts on and the indentation of the blocks around it (every statement starts
at column 0 and indents itself), so a statement can be generated alone once its line is known.

The lines come from CPython's `ast` of the same text (parsed anyway to gate deep nesting): each
`ast` statement gives the line of its first token (a decorated definition: its first
decorator's); libcst's statements map onto `ast` ones block by block, in order (a `a; b` line
is one libcst statement and several `ast` ones), and the blank and comment lines a libcst
statement owns before its first token are counted back. A node is positioned by generating the
innermost statement of an indented block that holds it (a node of the block's compound
statement itself, e.g. a `def` line, needs that statement's lines before its first block, and
only up to the node: a decorator does not need the parameters after it). Every statement generated
this way is checked: its code must be the text at the line it was placed on and, when another
statement follows it in its block, it must end where that one starts; a statement that fails
(or whose `ast` counterpart is unknown) is left to the statement around it. When there is no
`ast` (newer syntax than this interpreter's, a short file) or a top-level statement fails,
positions are computed as libcst does, statement by statement from the top of the module."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import libcst as cst
from libcst.metadata import PositionProvider
from libcst.metadata.position_provider import NEWLINE_RE, PositionProvidingCodegenState

from mcp_lint.python import walk

# libcst compound statement -> the `ast` statement classes it corresponds to.
_COMPOUND: Dict[type, Tuple[type, ...]] = {
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.ClassDef: (ast.ClassDef,),
    cst.If: (ast.If,),
    cst.For: (ast.For, ast.AsyncFor),
    cst.While: (ast.While,),
    cst.With: (ast.With, ast.AsyncWith),
    cst.Try: (ast.Try,),
}
for _name in ("Match", "TryStar"):  # newer than some interpreters this runs on
    if hasattr(cst, _name) and hasattr(ast, _name):
        _COMPOUND[getattr(cst, _name)] = (getattr(ast, _name),)


def _first_line(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", None)
    return decorators[0].lineno if decorators else statement.lineno


def _pair(statements: Sequence[cst.CSTNode], nodes: Sequence[ast.stmt]) -> Optional[Dict[int, ast.stmt]]:
    """id(libcst statement) -> the `ast` statement of its first token, for one block; None when
    the two blocks do not map onto each other."""
    found: Dict[int, ast.stmt] = {}
    index = 0
    for statement in statements:
        if index >= len(nodes):
            return None
        node = nodes[index]
        if type(statement) is cst.SimpleStatementLine:
            index += len(statement.body)
        elif isinstance(node, _COMPOUND.get(type(statement), ())):
            index += 1
        else:
            return None
        found[id(statement)] = node
    return found if index == len(nodes) else None


def _blocks(statement: cst.CSTNode, node: ast.stmt) -> Iterator[Tuple[cst.CSTNode, Sequence[ast.stmt]]]:
    """The indented blocks of a compound statement with the `ast` statement lists they hold."""
    yield statement.body, node.body
    if isinstance(statement, cst.If):
        orelse = statement.orelse
        if isinstance(orelse, cst.If) and len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
            yield from _blocks(orelse, node.orelse[0])  # elif
        elif orelse is not None:
            yield orelse.body, node.orelse
    elif isinstance(statement, (cst.For, cst.While)):
        if statement.orelse is not None:
            yield statement.orelse.body, node.orelse
    elif type(statement) in (cst.Try, getattr(cst, "TryStar", None)):
        if len(statement.handlers) == len(node.handlers):
            for handler, ast_handler in zip(statement.handlers, node.handlers):
                yield handler.body, ast_handler.body
        if statement.orelse is not None:
            yield statement.orelse.body, node.orelse
        if statement.finalbody is not None:
            yield statement.finalbody.body, node.finalbody


def _cases(statement: cst.CSTNode, node: ast.stmt) -> Iterator[Tuple[cst.CSTNode, Sequence[ast.stmt]]]:
    if len(statement.cases) == len(node.cases):
        for case, ast_case in zip(statement.cases, node.cases):
            yield case.body, ast_case.body


class _PartialState(PositionProvidingCodegenState):
    """Code generation that stops once `target` is generated, or where the first indented block
    starts (raising out of it), keeping the nodes it has not finished in `open`. A decorator is
    reported far more often than the parameters after it, which can be most of the header; a call
    more often than the rest of its statement."""

    def before_codegen(self, node: cst.CSTNode) -> None:
        if type(node) is cst.IndentedBlock:
            self.stopped = True
            raise _Stop
        self.open.append(node)
        super().before_codegen(node)

    def after_codegen(self, node: cst.CSTNode) -> None:
        self.open.pop()
        super().after_codegen(node)
        if node is self.target:
            self.stopped = True
            raise _Stop


class _Stop(Exception):
    pass


class _Unit:
    """A statement that can be generated alone: a top-level one, or one in an indented block."""

    __slots__ = ("statement", "parent", "block", "indents", "node")

    def __init__(
        self, statement: cst.CSTNode, parent: Optional["_Unit"], block: Optional[cst.IndentedBlock], indents: Tuple[str, ...] = ()
    ):
        self.statement = statement
        self.parent = parent
        self.block = block  # the indented block holding it (None at the top level)
        self.indents = indents  # the indentation its code generation starts with
        self.node: Optional[ast.stmt] = None  # its `ast` counterpart, once paired


class StatementPositions:
    """Positions of nodes, generated per statement on demand (see the module doc). `get`
    returns None for the nodes no statement holds (the module itself, its header and footer
    lines): the caller resolves those over the whole file."""

    def __init__(self, module: cst.Module, text: str, tree: Optional[ast.Module]):
        self.module = module
        self.text = text if module.has_trailing_newline else text + module.default_newline
        self.provider = PositionProvider()
        self.paired: Dict[int, Optional[Dict[int, ast.stmt]]] = {}  # id(block) -> its pairing
        if tree is not None:
            self.paired[id(module)] = _pair(module.body, tree.body)
        self.fast = self.paired.get(id(module)) is not None
        self.owner: Dict[int, _Unit] = {}  # id(node) -> the innermost unit holding it
        self.unindexed: Iterator[cst.CSTNode] = iter(module.body)
        self.tried: set = set()  # (id(unit statement), id(target), "header" or None: whole) generated or failed
        self.partial: set = set()  # id(unit statement) generated up to a node at least once
        self.line_offsets: Optional[List[int]] = None
        # The fallback: libcst's PositionProvider stopped early, one statement after the other.
        self.state = self._state(self.provider)
        self.pending = iter([*module.header, *module.body])

    def get(self, node: cst.CSTNode):
        found = self.provider._computed.get(node)
        if found is not None or node is self.module:
            return found
        unit = self._owner(node) if self.fast else None
        if unit is not None:
            # The statement is generated up to the node first (a node of a compound statement's
            # own lines, a decorator, a parameter, the test of an `if`, is usually before its
            # first block), then whole, then the statements around it. A second node asked of the
            # same statement gets its lines up to the first block at once (a rule reporting each
            # parameter would otherwise generate the header again for every one).
            found = self._attempt(unit, node, partial=True, header=True) if id(unit.statement) in self.partial else None
            if found is None:
                self.partial.add(id(unit.statement))
                found = self._attempt(unit, node, partial=True)
            while found is None and unit is not None:
                found = self._attempt(unit, node, partial=False)
                unit = unit.parent
            if found is not None:
                return found
            self.fast = False  # a top-level statement failed its checks: from the top, as libcst
        # Trivia (no rule reports it), the module and its header and footer lines, or no `ast`.
        return self._from_top(node)

    def _attempt(self, unit: _Unit, node: cst.CSTNode, partial: bool, header: bool = False):
        key = (id(unit.statement), "header" if header else id(node) if partial else None)
        if key in self.tried:
            return None
        self.tried.add(key)
        return self.provider._computed.get(node) if self._generate(unit, node if partial and not header else None, header) else None

    def _state(self, provider: PositionProvider, kind: type = PositionProvidingCodegenState) -> PositionProvidingCodegenState:
        return kind(default_indent=self.module.default_indent, default_newline=self.module.default_newline, provider=provider)

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

    # -- which statement holds a node ---------------------------------------------------
    def _owner(self, node: cst.CSTNode) -> Optional[_Unit]:
        """The innermost unit holding the node. Top-level statements are indexed in order,
        only as far as needed (a walk costs a fraction of a code generation)."""
        key = id(node)
        found = self.owner.get(key)
        if found is not None:
            return found
        for statement in self.unindexed:
            self._index(_Unit(statement, None, None))
            found = self.owner.get(key)
            if found is not None:
                return found
        return None  # trivia, the module or its header and footer lines

    def _index(self, top: _Unit) -> None:
        """Every node of a top-level statement -> the innermost unit holding it. Indented
        blocks and `match` statements (whose cases it indents itself) indent what they hold."""
        owner, default = self.owner, self.module.default_indent
        stack: List[Tuple[cst.CSTNode, _Unit, Tuple[str, ...]]] = [(top.statement, top, ())]
        while stack:
            node, unit, indents = stack.pop()
            owner[id(node)] = unit
            kind = type(node)
            if kind is cst.IndentedBlock:
                inner = (*indents, default if node.indent is None else node.indent)
                stack.extend((each, _Unit(each, unit, node, inner), inner) for each in node.body)
                continue
            if kind is cst.Match:
                indents = (*indents, default if node.indent is None else node.indent)
            stack.extend((child, unit, indents) for child in walk.children(node))

    # -- where a statement starts --------------------------------------------------------
    def _ast_node(self, unit: _Unit) -> Optional[ast.stmt]:
        if unit.node is None:
            if unit.parent is None:
                pairing = self.paired.get(id(self.module))
            else:
                pairing = self._block_pairing(unit.parent, unit.block)
            unit.node = pairing.get(id(unit.statement)) if pairing is not None else None
        return unit.node

    def _block_pairing(self, parent: _Unit, block: cst.IndentedBlock) -> Optional[Dict[int, ast.stmt]]:
        key = id(block)
        if key not in self.paired:
            parent_node = self._ast_node(parent)
            if parent_node is not None:
                blocks = _cases if isinstance(parent.statement, cst.Match) else _blocks
                for cst_block, nodes in blocks(parent.statement, parent_node):
                    if isinstance(cst_block, cst.IndentedBlock):
                        self.paired[id(cst_block)] = _pair(cst_block.body, nodes)
            self.paired.setdefault(key, None)
        return self.paired[key]

    def _start(self, unit: _Unit) -> Optional[int]:
        """The line the statement's code generation starts on: its own blank and comment lines
        (and those before its first decorator) come before its first token."""
        node = self._ast_node(unit)
        if node is None:
            return None
        statement = unit.statement
        line = _first_line(node) - len(statement.leading_lines)
        decorators = getattr(statement, "decorators", ())
        if decorators:
            line -= len(decorators[0].leading_lines)
        return line

    def _next_start(self, unit: _Unit) -> Optional[int]:
        """Where the statement after this one starts: the next statement of its block, or the
        module's footer after the last top-level statement; None for the last statement of an
        indented block (the block's own trailing comment lines come between)."""
        body = unit.block.body if unit.block is not None else self.module.body
        position = next(i for i, each in enumerate(body) if each is unit.statement)
        if position + 1 < len(body):
            following = self.owner.get(id(body[position + 1]))
            if following is None:
                following = _Unit(body[position + 1], unit.parent, unit.block)
            return self._start(following)
        if unit.parent is None:
            return len(self._line_offsets()) - len(self.module.footer)
        return None

    # -- code generation -----------------------------------------------------------------
    def _generate(self, unit: _Unit, target: Optional[cst.CSTNode] = None, header: bool = False) -> bool:
        """Positions of every node of one statement (with a `target`: only up to it, and not past
        the statement's first indented block; with `header`: up to that block), kept only when its
        code is the text at the line it was placed on and (a whole statement) it ends where the
        next statement starts."""
        start = self._start(unit)
        offsets = self._line_offsets()
        if start is None or not 0 < start <= len(offsets):
            return False
        provider = PositionProvider()
        partial = target is not None or header
        state = self._state(provider, _PartialState if partial else PositionProvidingCodegenState)
        state.line = start
        state.indent_tokens = list(unit.indents)
        if partial:
            state.open = []
            state.target = target
            try:
                unit.statement._codegen(state)
            except Exception:
                if not getattr(state, "stopped", False):
                    raise
                # The nodes around the block were left unfinished: their ranges are not known.
                for each in state.open:
                    provider._computed.pop(each, None)
        else:
            unit.statement._codegen(state)
            end = self._next_start(unit)
            if end is not None and state.line != end:
                return False
        if not self.text.startswith("".join(state.tokens), offsets[start - 1]):
            return False
        self.provider._computed.update(provider._computed)
        return True

    def _line_offsets(self) -> List[int]:
        """Where each line starts in the text; one more entry than lines: where the next would."""
        if self.line_offsets is None:
            self.line_offsets = [0, *(match.end() for match in NEWLINE_RE.finditer(self.text))]
        return self.line_offsets
