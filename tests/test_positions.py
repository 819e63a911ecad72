"""Positions computed statement by statement equal libcst's whole-file PositionProvider for
every node of every Python fixture and of mcp-lint's own sources."""

import ast
from pathlib import Path

import pytest
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


# Hard cases for positions generated statement by statement from CPython's lines (each longer
# than the files CPython does not parse first); all but the last together are one more.
PAD = "# a comment line long enough for the file to be parsed by CPython too, whatever follows\n"
HARD_CASES = [
    "import os; import sys;\nx = 1 ; y = 2\n\n# own line\n\n\n@dec  # trailing\n\n# between\n@other(\n    1,\n)\nasync def f(a,\n      b=g(1)):\n    return a\n",
    "class A:\n    '''doc'''\n\n    class B:\n        # inside\n        def m(self):\n            pass\n\n\n            # after, deeper\n    # after, shallower\n\n    x = [\n  1,\n    ]\n",
    "def f():\n\tif x:\n\t\ty = 'é𝔘'; z = \"ü\"\n\telif y:\n\t\tpass\n\telse:\n\t\treturn (a +\n\\\n\t\t\tb)\n\tfor i in r: break\n\telse: pass\n",
    "x = 1\n\x0c\ndef g():\n    y = 2\n    while y:\n        y -= \\\n            1\n    else:\n        z = '''a\nb\n'''\n",
    "try:\n    a()\nexcept (ValueError,\n        KeyError) as e:\n    b()\nexcept Exception:\n    pass\nelse:\n    c()\nfinally:\n    d()\nwith open(p) as f, open(q) as g:\n    h()\n",
    "match command:\n    case [x, y]:\n        go(x)\n    case {'k': v} if v:\n        match v:\n          case 1:\n              one()\n    case _:\n        other()\n",
    PAD.replace("\n", "\r\n") + "if a:\r\n    b = 1\r\n\r\n    # c\r\n    d = f'{b}'\r\nelse:\r\n    pass\r\n",
    "@decorated\ndef h(): return 1\nclass C: x = 1; y = 2\nasync def k():\n    async for i in j:\n        await i\n    async with m as n: pass\nlambda_ = lambda: (yield)\ntry:\n    pass\nexcept* ValueError:\n    pass\n",
    PAD + "\n\n# only comments at the end of a body\ndef f():\n    x = 1\n    # c1\n\n# c2\n\n",
    PAD + "def last():\n    return 1",  # no trailing newline
]


def _fast_check(text: str, fast: bool = True) -> PythonDocument:
    """Every non-trivia node first (last first), on the per-statement path; then every node
    that libcst positions (a few whitespace nodes are shared, and positioned once)."""
    document = PythonDocument("x.py", text)
    document.parse()
    expected = MetadataWrapper(document.module, unsafe_skip_copy=True).resolve(PositionProvider)
    for node in reversed(list(walk.walk(document.module))):
        assert document.position(node) == expected[node], (text, type(node).__name__)
    assert document._positions.fast is fast, text  # whether every statement passed its checks
    everything, pending = [], [document.module]
    while pending:
        node = pending.pop()
        everything.append(node)
        pending.extend(node.children)
    for node in everything:
        if node in expected:
            assert document.position(node) == expected[node], (text, type(node).__name__)
    return document


def test_per_statement_positions_on_hard_cases():
    for text in [*HARD_CASES, "\n".join(HARD_CASES[:-1])]:
        _fast_check(text)
    # `@\` puts the decorator's name a line below its `@`: the checks catch it, and the
    # positions come from the top of the module.
    _fast_check("@\\\ndecorated\ndef h():\n    return 1\n" + HARD_CASES[1], fast=False)


def test_header_nodes_asked_first_to_last_equal_libcst_positions():
    """A header is generated only up to the node asked for (a decorator, not the parameters after
    it): asking its nodes in source order generates it again, further each time."""
    for text in [*HARD_CASES[:-1], "@tool(description='d')\ndef f(a: Annotated[str, Field(description='x')] = 'y', *, b: int = 2) -> str:\n    return a\n"]:
        document = PythonDocument("x.py", text)
        document.parse()
        expected = MetadataWrapper(document.module, unsafe_skip_copy=True).resolve(PositionProvider)
        for node in walk.walk(document.module):
            assert document.position(node) == expected[node], (text, type(node).__name__)
    document = PythonDocument("x.py", text)
    document.parse()
    function = document.module.body[0]
    assert document.position(function.decorators[0]).start.line == 1
    assert function.params.params[0] not in document._positions.provider._computed  # not generated yet


def test_a_node_costs_only_its_statement():
    text = PAD + "a = 1\n\n\ndef f(x=g(1)):\n    y = h(x)\n    return y\n\n\nclass C:\n    def m(self):\n        return k(2)\n"
    document = PythonDocument("x.py", text)
    document.parse()
    module = document.module
    method = module.body[2].body.body[0]
    call = method.body.body[0].body[0].value  # k(2)
    assert document.position(call).start.line == 12
    computed = document._positions.provider._computed
    assert module.body[0] not in computed and module.body[1] not in computed and method not in computed
    function = module.body[1]
    default = function.params.params[0].default  # g(1): the `def` line is generated, not the body
    assert document.position(default).start.line == 5
    assert function not in computed and function.body.body[0] not in computed
    assert document.position(function).end.line == 7  # the whole function now


def test_wrong_statement_lines_are_caught():
    """A line table off by one fails the checks: the positions come from the top instead."""
    text = PAD + "import os\n\n\ndef f():\n    return os.environ['A']\n\n\nx = f()\n"
    document = PythonDocument("x.py", text)
    document.parse()
    for node in ast.walk(document._ast):
        if hasattr(node, "lineno"):
            node.lineno += 1
    expected = MetadataWrapper(document.module, unsafe_skip_copy=True).resolve(PositionProvider)
    for node in reversed(list(walk.walk(document.module))):
        assert document.position(node) == expected[node]
    assert not document._positions.fast


# -- the nesting gate walks only what could reach the limit ---------------------------------

def _full_depth(tree: ast.AST) -> int:
    """The whole-tree depth as libcst nests it (the reference for `_deeper_than`)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        step = len(node.values) if isinstance(node, ast.BoolOp) else 1
        stack.extend((child, depth + step) for child in ast.iter_child_nodes(node))
    return deepest


NESTED = [
    "x = " + "-" * 60 + "a\n",
    "x = " + "[" * 40 + "a" + "]" * 40 + "\n",
    "x = a" + ".b" * 70 + "\n",
    "x = " + " or ".join("abcdefghij" * 3) + "\n",
    "x = f'{" + "(" * 30 + "a" + ")" * 30 + "!r:{" + "[" * 20 + "b" + "]" * 20 + "}}'\n",
    "@decorator(" + "[" * 45 + "1" + "]" * 45 + ")\ndef f(): pass\n",
    "def f():\n" + "".join("    " * i + "if a:\n" for i in range(1, 30)) + "    " * 30 + "pass\n",
    "x = lambda: " + "not " * 40 + "a\n",
    "x = {**a, 'k': [*b, *-c]}\ny = a if b else c if d else e if f else g\n",
    "x = 'é' * 3 + " + "(" * 30 + "'ü'" + ")" * 30 + "\n",
]


@pytest.mark.parametrize("text", NESTED)
def test_nesting_gate_agrees_with_the_whole_tree_walk(text):
    from mcp_lint.documents.python import _deeper_than

    tree = ast.parse(text)
    depth = _full_depth(tree)
    for limit in range(1, depth + 3):
        assert _deeper_than(tree, limit) == (depth > limit), (limit, depth)


def test_nesting_gate_agrees_on_the_fixtures():
    from mcp_lint.documents.python import _deeper_than

    root = Path(__file__).resolve().parent.parent
    checked = 0
    for path in sorted([*(root / "fixtures").rglob("*.py"), *(root / "mcp_lint").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        depth = _full_depth(tree)
        for limit in (depth - 3, depth - 1, depth, depth + 1):
            assert _deeper_than(tree, limit) == (depth > limit), (path, limit, depth)
        checked += 1
    assert checked > 100


def test_a_header_asked_node_by_node_is_generated_twice_at_most(monkeypatch):
    """The first node of a statement is generated up to itself; a second one of the same statement
    gets the lines up to its first block at once, which places every later parameter too (a rule
    reporting each parameter generated the header again for every one)."""
    from mcp_lint.documents.python_positions import StatementPositions

    text = PAD + "@tool(description='d')\ndef f(a: str, b: str, c: str, d: str) -> str:\n    return a\n"
    generated = []
    real = StatementPositions._generate
    monkeypatch.setattr(StatementPositions, "_generate", lambda self, unit, target=None, header=False: generated.append(header) or real(self, unit, target, header))
    document = PythonDocument("x.py", text)
    document.parse()
    expected = MetadataWrapper(document.module, unsafe_skip_copy=True).resolve(PositionProvider)
    function = document.module.body[0]
    for param in function.params.params:
        assert document.position(param) == expected[param]
    assert generated == [False, True]
