"""Python source: one libcst parse per file, position metadata resolved only on demand."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from contextlib import contextmanager
from typing import Iterable, Iterator, List, Optional, Tuple

import libcst as cst
from libcst._nodes.base import CSTNode
from libcst.metadata import MetadataWrapper, PositionProvider

from mcp_lint.documents.base import Comment, Document, ParseError, SkipFile
from mcp_lint.documents.python_positions import StatementPositions
from mcp_lint.model import Location

# libcst's native parser recurses on the C stack and crashes the process (no exception) near
# 1,300 nested brackets (a 2.6 KB file), and its memory grows quadratically well before (a
# 4 KB chain of 3,900 unary minus signs takes 870 MB). CPython refuses more than 200 nested
# brackets itself; other nesting (operator chains, `not not ...`, `a.b.c...`) is measured on
# CPython's AST first, which fails cleanly. The rules walk libcst's tree recursively (two or
# three Python frames per level, and libcst has more levels than CPython's AST), so the limit
# is set where they still run within Python's default recursion limit; hand-written code
# nests a few dozen levels at most. Every level costs at least one character, so only a file
# shorter than MAX_DEPTH characters needs no gate.
MAX_DEPTH = 100
# libcst spends 25-50 us and 3-5 KB of memory per token: a 2 MB file of short statements takes
# half a minute and gigabytes. Past this many tokens (a few seconds) a file is skipped: such
# files are generated code, not servers written by hand.
MAX_TOKENS = 100_000
# Own-line comments are one token each (as for libcst): a long comment is no reason to skip.
_TOKEN = re.compile(r"^[ \t]*#[^\r\n]*|\w+|[^\w\s]", re.MULTILINE)


class PythonDocument(Document):
    kind = "python"

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.module: Optional[cst.Module] = None
        self.wrapper: Optional[MetadataWrapper] = None
        self._metadata: dict = {}
        self._comments: Optional[List[Comment]] = None
        self._positions: Optional[StatementPositions] = None
        # CPython's parse of the same text: where statements start (python_positions.py).
        self._ast: Optional[ast.Module] = None
        # Set when CPython's parser already accepted this text within MAX_DEPTH (the project
        # model's summary parsed it: `ModuleSummary.parse_checked`): the gate below needs no
        # second `ast` parse, and positions parse it only if a rule asks for one.
        self.parse_checked = False
        self._ast_tried = False

    def parse(self) -> None:
        try:
            self._parse()
        except ParseError as exc:
            if _template(self.path, self.lines, exc.line):
                raise SkipFile("template (`{{ ... }}` or `{% ... %}` placeholders, e.g. a cookiecutter project): "
                               "not Python until rendered", limit=False) from None
            raise

    def _parse(self) -> None:
        valid_for_cpython = self.check_limits()
        try:
            with _unvalidated(valid_for_cpython):
                self.module = cst.parse_module(self.text)
        except cst.ParserSyntaxError as exc:
            line, column, message = _cpython_syntax_error(self.text) or (exc.raw_line, exc.raw_column + 1, exc.message)
            raise ParseError(f"invalid Python syntax: {message}", line, column) from None
        except RecursionError:
            raise ParseError("nesting too deep to parse") from None
        except cst.CSTValidationError as exc:  # e.g. an identifier libcst's Unicode tables reject
            line, column, message = _cpython_syntax_error(self.text) or (1, 1, str(exc))
            raise ParseError(f"libcst cannot represent this file: {message}", line, column) from None
        # The tree is fresh, so the defensive deep copy libcst makes by default is wasted work.
        self.wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)

    def check_limits(self) -> bool:
        """The checks made before libcst parses (SkipFile or ParseError past a limit); returns
        whether CPython's own parser accepts the file (else only libcst can tell)."""
        if len(self.text) > MAX_TOKENS:  # fewer characters than the limit: fewer tokens too
            tokens = len(_TOKEN.findall(self.text))
            if tokens > MAX_TOKENS:
                raise SkipFile(f"{tokens} tokens: too large to analyse (limit {MAX_TOKENS})")
        if self.parse_checked:
            return True
        if len(self.text) <= MAX_DEPTH:
            return _cpython_parses(self.text)
        # CPython's tree is kept: it places statements for the positions (python_positions.py).
        self._ast, self._ast_tried = _check_depth(self.text), True
        return self._ast is not None

    def metadata(self, provider):
        """libcst metadata for the whole file (e.g. ScopeProvider), computed on first request
        only: rules ask for it when they have something to check, not on every file."""
        assert self.wrapper is not None
        if provider not in self._metadata:
            self._metadata[provider] = self.wrapper.resolve(provider)
        return self._metadata[provider]

    def position(self, node: cst.CSTNode):
        """The node's CodeRange: positions are computed for the innermost statement that holds
        the node only (whole-file positions cost more than the parse)."""
        if PositionProvider in self._metadata:
            return self._metadata[PositionProvider][node]
        if self._positions is None:
            assert self.module is not None
            self._positions = StatementPositions(self.module, self.text, self._cpython_tree())
        found = self._positions.get(node)
        return found if found is not None else self.metadata(PositionProvider)[node]

    def _cpython_tree(self) -> Optional[ast.Module]:
        if not self._ast_tried and len(self.text) > MAX_DEPTH:
            self._ast_tried = True
            try:
                self._ast = ast.parse(self.text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._ast = None
        return self._ast

    def location(self, node: cst.CSTNode, message: str = "") -> Location:
        rng = self.position(node)
        # libcst columns are 0-based; ours are 1-based with an exclusive end.
        return Location(self.path, rng.start.line, rng.start.column + 1, rng.end.line, rng.end.column + 1, message)

    def snippet(self, node: cst.CSTNode) -> str:
        assert self.module is not None
        code = self.module.code_for_node(node)
        return code if len(code) <= 400 else code[:400]

    def comments(self) -> Iterable[Comment]:
        if self._comments is None:
            self._comments = list(_python_comments(self.text))
        return self._comments


_VALIDATING = CSTNode.__post_init__


def _no_validation(node: CSTNode) -> None:
    pass


@contextmanager
def _unvalidated(skip: bool) -> Iterator[None]:
    """libcst checks every node it builds as it is created (`__post_init__` calls `_validate`:
    an identifier is an identifier, parentheses pair up), a sixth of the parse. For text that
    CPython's own parser has accepted those checks cannot fail on the parser's output (libcst's
    authors note the same in `CSTNode.__post_init__`), so they are switched off while the parser
    builds the tree, and kept where CPython rejected the text (newer syntax, or an identifier
    libcst's tables and Python's disagree on). Nodes the rules build later are checked as usual."""
    if not skip:
        yield
        return
    CSTNode.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        yield
    finally:
        CSTNode.__post_init__ = _VALIDATING  # type: ignore[method-assign]


def _cpython_syntax_error(text: str) -> Optional[Tuple[int, int, str]]:
    """CPython's own location and wording of the error (libcst's can be a line late).
    `ast.parse` only parses; nothing in the file runs."""
    try:
        ast.parse(text)
    except SyntaxError as exc:
        if exc.lineno:
            return exc.lineno, max(1, exc.offset or 1), exc.msg
    except (ValueError, RecursionError, MemoryError):
        pass
    return None


def _cpython_parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _check_depth(text: str) -> Optional[ast.Module]:
    """ParseError when CPython itself cannot parse the nesting; SkipFile when the file is valid
    but too deep for libcst. Other syntax errors are left to libcst (it knows newer syntax
    than the running interpreter). Returns CPython's tree when it has one."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        if "too many nested" in str(exc.msg) or _looks_deep(text):
            raise ParseError(f"invalid Python syntax: {exc.msg}", exc.lineno or 1, exc.offset or 1) from None
        return None
    except (RecursionError, MemoryError):
        raise ParseError("nesting too deep to parse") from None
    except ValueError:
        return None  # NUL bytes and the like: libcst reports them
    if _deeper_than(tree, MAX_DEPTH):
        raise SkipFile(f"expression nesting deeper than {MAX_DEPTH} levels: too deep to analyse")
    return tree


_UNARY_RUN = re.compile(r"(?:[-+~][ \t]*){200}|(?:\bnot\s+){200}")


def _looks_deep(text: str) -> bool:
    """For a file CPython cannot parse (perhaps newer syntax that libcst knows): whether its
    brackets or unary chains nest deeper than CPython would ever accept, from the characters."""
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth = max(0, depth - 1)
    return deepest > 200 or _UNARY_RUN.search(text) is not None


# Nodes whose children may lie outside their own span: a decorated definition's decorators
# come before its `def` line.
_SPAN_OUTLIERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def parse_checked(text: str, tree: ast.Module) -> bool:
    """Whether `tree`, CPython's parse of `text`, lets libcst parse the text without the gate
    of `check_limits` (see `PythonDocument.parse_checked`)."""
    return len(text) <= MAX_DEPTH or not _deeper_than(tree, MAX_DEPTH)


def _deeper_than(tree: ast.AST, limit: int) -> bool:
    """Whether the nesting depth as libcst will build it exceeds `limit` (iterative: the tree may
    be deep). `a or b or c` is one flat node in CPython's AST but a chain of binary nodes in
    libcst. A one-line subtree spanning n characters nests at most n + 2 levels (every level
    costs a character, plus the context and operator leaves), so a subtree that cannot reach
    the limit from where it starts is not walked: most statements are short lines."""
    stack = [(tree, 1, True)]
    while stack:
        node, depth, spans = stack.pop()
        if depth > limit:
            return True
        spans = spans and not isinstance(node, ast.JoinedStr)  # f-string parts' offsets are not trusted
        end = getattr(node, "end_col_offset", None) if spans else None
        if end is not None and node.lineno == node.end_lineno and not isinstance(node, _SPAN_OUTLIERS):
            if depth + (end - node.col_offset) + _SPAN_SLACK <= limit:
                continue  # UTF-8 byte offsets: at least as many as the characters
        step = len(node.values) if isinstance(node, ast.BoolOp) else 1
        stack.extend((child, depth + step, spans) for child in ast.iter_child_nodes(node))
    return False


_SPAN_SLACK = 4  # more than the n + 2 bound needs


def _python_comments(text: str) -> Iterable[Comment]:
    try:
        # newline="": lines end at \n, \r\n or a lone \r, as for libcst (the default only splits at \n).
        for tok in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            if tok.type == tokenize.COMMENT:
                line, col = tok.start
                own_line = not tok.line[:col].strip()
                yield Comment(line, col + 1, tok.string[1:], own_line)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _template(path: str, lines: List[str], line: int) -> bool:
    """A file that does not parse because it is a template: in a folder a template tool names
    (`{{cookiecutter.project_slug}}/`), or with a placeholder on the line that fails."""
    return "{{" in path or (0 < line <= len(lines) and _JINJA.search(lines[line - 1]) is not None)
