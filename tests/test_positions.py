"""Positions computed statement by statement equal libcst's whole-file PositionProvider for
every node of every Python fixture and of mcp-lint's own sources."""

from pathlib import Path

from libcst.metadata import MetadataWrapper, PositionProvider

from mcp_lint.documents.python import PythonDocument
from mcp_lint.python import walk

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "fixtures").rglob("*.py"), ROOT / "mcp_lint" / "engine.py", ROOT / "mcp_lint" / "config.py"])
TRICKY = "# header comment\n\n\nimport os; import sys\n@dec\n\n# c\nclass A:\n    x = (1,\n  2)\n\n\n# trailing comment"


def _check(text: str) -> int:
    document = PythonDocument("x.py", text)
    document.parse()
    expected = MetadataWrapper(document.module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = list(walk.walk(document.module))
    for node in reversed(nodes):  # worst order for the incremental computation: last first
        assert document.position(node) == expected[node], (text[:80], type(node).__name__)
    return len(nodes)


def test_statement_positions_equal_libcst_positions():
    assert sum(_check(path.read_text(encoding="utf-8")) for path in SOURCES) > 5_000
    _check(TRICKY)
    _check("")
    _check("x = 1")  # no trailing newline


def test_positions_stop_early():
    document = PythonDocument("x.py", "a = 1\nb = 2\nc = 3\n")
    document.parse()
    first = document.module.body[0]
    assert document.position(first).start.line == 1
    assert PositionProvider not in document._metadata and next(document._positions.pending) is document.module.body[1]
