"""Python source: one libcst parse per file, position metadata resolved only on demand."""

from __future__ import annotations

import ast
import io
import tokenize
from typing import Iterable, List, Optional, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from mcp_lint.documents.base import Comment, Document, ParseError
from mcp_lint.model import Location


class PythonDocument(Document):
    kind = "python"

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.module: Optional[cst.Module] = None
        self.wrapper: Optional[MetadataWrapper] = None
        self._metadata: dict = {}
        self._comments: Optional[List[Comment]] = None

    def parse(self) -> None:
        try:
            self.module = cst.parse_module(self.text)
        except cst.ParserSyntaxError as exc:
            line, column, message = _cpython_syntax_error(self.text) or (exc.raw_line, exc.raw_column + 1, exc.message)
            raise ParseError(f"invalid Python syntax: {message}", line, column) from None
        except RecursionError:
            raise ParseError("nesting too deep to parse") from None
        # The tree is fresh, so the defensive deep copy libcst makes by default is wasted work.
        self.wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)

    def metadata(self, provider):
        """libcst metadata for the whole file (e.g. ScopeProvider), computed on first request
        only: rules ask for it when they have something to check, not on every file."""
        assert self.wrapper is not None
        if provider not in self._metadata:
            self._metadata[provider] = self.wrapper.resolve(provider)
        return self._metadata[provider]

    def position(self, node: cst.CSTNode):
        """The node's CodeRange (positions are computed for the whole file on first use)."""
        return self.metadata(PositionProvider)[node]

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


def _python_comments(text: str) -> Iterable[Comment]:
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                line, col = tok.start
                own_line = not tok.line[:col].strip()
                yield Comment(line, col + 1, tok.string[1:], own_line)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return
