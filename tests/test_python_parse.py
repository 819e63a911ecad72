"""libcst's per-node checks are skipped while it parses text CPython accepted (a sixth of the
parse), with the same trees as a checked parse, and kept everywhere else."""

from pathlib import Path

import libcst as cst
import pytest

from mcp_lint.documents import python as python_document
from mcp_lint.documents.python import PythonDocument

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "fixtures").rglob("*.py"), *(ROOT / "mcp_lint" / "python").rglob("*.py")])


def _counting_name_checks(monkeypatch) -> list:
    calls = []
    checked = cst.Name._validate

    def counted(node):
        calls.append(node.value)
        checked(node)

    monkeypatch.setattr(cst.Name, "_validate", counted)
    return calls


def test_unchecked_trees_equal_checked_ones():
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        document = PythonDocument(path.name, text)
        document.parse()
        assert document.module.deep_equals(cst.parse_module(text)), path
        assert document.module.code == text
    assert len(SOURCES) > 100


def test_no_node_checks_while_parsing_text_cpython_accepts(monkeypatch):
    calls = _counting_name_checks(monkeypatch)
    PythonDocument("x.py", "def tool(query):\n    return query\n").parse()
    assert calls == []
    cst.Name("after")  # nodes built after the parse (autofixes) are checked again
    assert calls == ["after"]
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier")


def test_node_checks_kept_where_cpython_rejects_the_text(monkeypatch):
    calls = _counting_name_checks(monkeypatch)
    monkeypatch.setattr(python_document, "_cpython_parses", lambda text: False)  # as for newer syntax
    PythonDocument("x.py", "def tool(query):\n    return query\n").parse()
    assert "tool" in calls and "query" in calls


def test_checks_restored_when_the_parse_fails(monkeypatch):
    def overflowing(text):
        assert cst.CSTNode.__post_init__ is not python_document._VALIDATING  # inside the window
        raise RecursionError

    monkeypatch.setattr(python_document.cst, "parse_module", overflowing)
    with pytest.raises(python_document.ParseError, match="nesting too deep"):
        PythonDocument("x.py", "x = 1\n").parse()
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")
    assert cst.CSTNode.__post_init__ is python_document._VALIDATING
