"""A module written for a newer Python than the one running mcp-lint still reaches the project
model (mcp_lint/python/newer_syntax.py): the constructs older `ast` grammars reject are rewritten
with every line kept in place."""

from __future__ import annotations

import ast
import sys
import textwrap

import pytest

from mcp_lint.python.file_summary import summarise
from mcp_lint.python.newer_syntax import for_older_ast

# Python 3.12 syntax: f-strings that reuse their quotes or span lines (PEP 701), type parameters
# and a type alias (PEP 695).
NEWER = textwrap.dedent('''
    from enum import Enum
    from fastmcp import FastMCP

    mcp = FastMCP("docker")
    type Tags = list[str]

    def pick[NameEnum: Enum](names: list[NameEnum]) -> str:
        return f"{", ".join(n.value for n in names)}"

    class Box[T]:
        item: T

    @mcp.tool
    def deploy(stack: str) -> str:
        note = f"deploying {
            stack.upper()}"
        return cleanup(note)

    def cleanup(path: str) -> str:
        return f'{'+'.join(path)}'
''')


def test_rewritten_source_parses_with_every_line_in_place():
    older = for_older_ast(NEWER)
    tree = ast.parse(older)  # the running Python's grammar, whatever its version
    assert len(older.split("\n")) == len(NEWER.split("\n"))
    functions = {n.name: n.lineno for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    original = {name: number for number, line in enumerate(NEWER.split("\n"), 1)
                for name in functions if line.lstrip().startswith(f"def {name}")}
    assert functions == original
    assert "Tags = 0" in older and "class Box" in older


def test_the_model_reads_the_tool_of_a_newer_module():
    if sys.version_info < (3, 12):  # this Python cannot read it: the rewrite is what the model reads
        with pytest.raises(SyntaxError):
            ast.parse(NEWER)
    summary = summarise("server.py", NEWER, "")
    assert summary is not None
    calls = {c.func for unit in summary.functions if unit.qualname == "deploy" for c in unit.calls}
    assert "n:cleanup" in calls  # the call after the multi-line f-string, in the tool


def test_text_no_parser_reads_stays_unreadable():
    assert for_older_ast("def broken(:\n") is None
    assert summarise("bad.py", "def broken(:\n", "") is None
