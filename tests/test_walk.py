"""The fast walker visits what libcst's visitor visits, in the same order, minus trivia."""

import itertools
from pathlib import Path

import libcst as cst
import pytest

from mcp_lint.python import walk

ROOT = Path(__file__).resolve().parent.parent
# Real code with a wide range of syntax: this project, the fixtures and libcst's own sources.
SOURCES = sorted(
    itertools.chain(
        (ROOT / "mcp_lint").rglob("*.py"),
        (ROOT / "rules").rglob("*.py"),
        (ROOT / "fixtures").rglob("*.py"),
        itertools.islice(sorted(Path(cst.__file__).parent.rglob("*.py")), 120),
    )
)
TRIVIA = walk._TRIVIA


class _Order(cst.CSTVisitor):
    def __init__(self):
        self.seen = []

    def on_visit(self, node):
        if isinstance(node, TRIVIA):
            return False
        self.seen.append(type(node).__name__)
        return True


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_same_nodes_same_order_as_libcst(path):
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    expected = _Order()
    module.visit(expected)
    assert [type(n).__name__ for n in walk.walk(module)] == expected.seen


def test_visit_dispatch_skip_and_leave():
    module = cst.parse_module("def f(a):\n    return g(a)\n\nclass C:\n    x = h(1)\n")
    events = []

    class V:
        def visit_FunctionDef(self, node):
            events.append("enter f")
            return False  # skip the body: g(a) is not visited

        def leave_FunctionDef(self, node):
            events.append("leave f")

        def visit_Call(self, node):
            events.append(f"call {node.func.value}")

    walk.visit(module, V())
    assert events == ["enter f", "leave f", "call h"]


def test_fields_that_only_hold_trivia_are_not_read():
    assert walk._fields(cst.Call) == ("func", "args")
    assert walk._fields(cst.Param) == ("name", "annotation", "default")
    assert walk._fields(cst.Name) == ()
    # Annotations that name a non-trivia node class, even among trivia, are kept.
    assert walk._may_hold_node(cst.BaseExpression) and not walk._may_hold_node(cst.BaseParenthesizableWhitespace)


def test_remembered_answers_are_computed_once_per_node_until_forgotten():
    module = cst.parse_module("def f(x):\n    return x\n\ndef g(y):\n    return y\n")
    f, g = module.body
    calls = []

    def names(node):
        calls.append(node)
        return [n.value for n in walk.walk(node) if isinstance(n, cst.Name)]

    assert walk.remembered(f, names) == ["f", "x", "x"]
    assert walk.remembered(f, names) == ["f", "x", "x"] and calls == [f]
    assert walk.remembered(g, names) == ["g", "y", "y"] and calls == [f, g]
    walk.forget()
    walk.remembered(f, names)
    assert calls == [f, g, f]


def test_own_nodes_leave_out_code_that_runs_at_another_time():
    module = cst.parse_module("def f(x):\n    y = g(x)\n    def inner():\n        h()\n    k = lambda: m()\n    class C:\n        n()\n    return y\n")
    names = [n.value for n in walk.own_nodes(module.body[0].body) if isinstance(n, cst.Name)]
    assert names == ["y", "g", "x", "k", "y"]


def test_visit_each_calls_the_visitors_own_methods_in_the_order_of_visit():
    class Seen(cst.CSTVisitor):
        def __init__(self):
            self.seen = []

        def visit_Call(self, node):
            self.seen.append(("call", walk.children(node)[0].value))

        def visit_Name(self, node):
            self.seen.append(("name", node.value))

    module = cst.parse_module("x = f(g(y), z)\ndef h():\n    return k()\n")
    each, batched = Seen(), Seen()
    walk.visit_each(module, each)
    walk.visit(module, batched)
    assert each.seen == batched.seen and ("call", "g") in each.seen
    assert set(walk._EACH[Seen]) == {cst.Call, cst.Name}  # not the visitor base class's empty methods
