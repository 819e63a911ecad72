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


# -- one CPython parse per file: the project model's summary gates the rule phase's parse ----

_SERVER = (
    "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('s')\n\n\n"
    "@mcp.tool()\ndef search(query: str) -> str:\n    print(query)\n    return query\n\n\nmcp.run()\n"
)


def _summary(text: str):
    from mcp_lint.python.file_summary import summarise

    return summarise("server.py", text, "")


@pytest.mark.parametrize("tail, checked", [
    ("", True),
    ("x = " + "-" * 150 + "1\n", False),  # CPython accepts it; libcst would nest too deep
    ("type Alias = list[int]\n", False),  # newer syntax: only the rewritten text parsed
])
def test_the_summary_says_whether_the_rule_phase_needs_its_own_gate(tail, checked):
    assert _summary(_SERVER + tail).parse_checked is checked


def test_a_parse_checked_file_is_parsed_by_cpython_only_for_positions(monkeypatch):
    parses = []
    real = python_document.ast.parse
    monkeypatch.setattr(python_document.ast, "parse", lambda text, *a, **k: parses.append(text) or real(text, *a, **k))
    unchecked = PythonDocument("server.py", _SERVER)
    unchecked.parse()
    assert len(parses) == 1  # the gate's parse, kept for positions
    checked = PythonDocument("server.py", _SERVER)
    checked.parse_checked = True
    checked.parse()
    assert len(parses) == 1
    call = next(n for n in checked.module.body[-1].body if isinstance(n, cst.Expr)).value
    first = next(n for n in unchecked.module.body[-1].body if isinstance(n, cst.Expr)).value
    assert checked.location(call) == unchecked.location(first)  # positions parse it on demand, once
    checked.location(call.func)
    assert len(parses) == 2


def test_the_run_parses_a_summarised_module_with_cpython_once(tmp_path, monkeypatch):
    from mcp_lint.config import Config
    from mcp_lint.engine import run

    gated = []
    real_gate = python_document._check_depth
    monkeypatch.setattr(python_document, "_check_depth", lambda text: gated.append(text) or real_gate(text))
    (tmp_path / "server.py").write_text(_SERVER)
    (tmp_path / "deep.py").write_text(_SERVER + "x = " + "-" * 150 + "1\n")
    result = run([tmp_path], Config(root=tmp_path, exclude=[]), jobs=1)
    assert set(gated) == {(tmp_path / "deep.py").read_text()}  # server.py: its summary's parse served
    assert {f.code for f in result.findings if f.path == "server.py"} >= {"MCP0703"}  # placed by positions
    assert any(d.path == "deep.py" and "too deep" in d.message for d in result.diagnostics)
    monkeypatch.setattr(python_document, "parse_checked", lambda text, tree: False)  # summaries that vouch for nothing
    gated.clear()
    again = run([tmp_path], Config(root=tmp_path, exclude=[]), jobs=1)
    assert set(gated) == {(tmp_path / "deep.py").read_text(), _SERVER}
    assert [f.sort_key() for f in again.findings if f.path == "server.py"] == [f.sort_key() for f in result.findings if f.path == "server.py"]
