"""The taint pass behind MCP0701 (mcp_lint/python/dataflow.py): `SeedTaint`, which tests each value
against every argument together before following the arguments one at a time, must find exactly
what following each argument on its own finds; each function body is read once."""

from __future__ import annotations

import textwrap
from typing import List

import libcst as cst

from mcp_lint.python import dataflow, walk
from mcp_lint.python.dataflow import DEFAULT_SANITIZERS, SeedTaint, expression_uses, tainted_names
from mcp_lint.python.mcp_model import ToolHandler

SOURCE = """
def handler(query, table, limit, params, note):
    sql = f"SELECT * FROM {table} WHERE q = '{query}'"
    size = len(query)
    for word in query.split():
        words.append(word)
    def closure():
        log(note)
    with open(table) as handle:
        text = handle.read()
    summary = (short := query[:10]) + "..."
    helper(query, other=table)
    log(sql, size, limit, word, text, short, params.arguments["x"], params.meta, locals(), "constant")
    log(str(note), ", ".join([table, note]), hashlib.sha256(query).hexdigest(), table.startswith("a"))
    log(db.search(query), {"k": table}, [x for x in note], -limit, not query, query if limit else table)

def helper(text, other=None):
    built = text + other
    log(built, text, other, unrelated)
"""


def _module() -> cst.Module:
    return cst.parse_module(textwrap.dedent(SOURCE))


def _function(module: cst.Module, name: str) -> cst.FunctionDef:
    return next(s for s in module.body if isinstance(s, cst.FunctionDef) and s.name.value == name)


def _logged(function: cst.FunctionDef) -> List[cst.BaseExpression]:
    return [a.value for n in walk.walk(function.body) if isinstance(n, cst.Call)
            and isinstance(n.func, cst.Name) and n.func.value == "log" for a in n.args]


def _handler(function: cst.FunctionDef) -> ToolHandler:
    return ToolHandler(function, "t", "tool", "fastmcp", argument_names=frozenset({"query", "table", "limit", "note"}),
                       argument_attrs=frozenset({"params.arguments"}))


def _one_seed_at_a_time(function, handler, safe, values):
    """What MCP0701 computed before SeedTaint: each seed followed alone, the others safe."""
    seeds = sorted((handler.argument_names | {a.split(".")[0] for a in handler.argument_attrs}) - safe)
    attrs = handler.argument_attrs if function is handler.function else frozenset()
    found = []
    for seed in seeds:
        names = tainted_names(function, handler, DEFAULT_SANITIZERS, safe | (set(seeds) - {seed}))
        seed_attrs = frozenset(a for a in attrs if a.split(".")[0] == seed)
        for value in values:
            used = expression_uses(value, names, seed_attrs, DEFAULT_SANITIZERS)
            if used is not None:
                found.append((seed, used))
    return found


def test_seed_taint_finds_what_each_seed_alone_finds():
    module = _module()
    handler = _handler(_function(module, "handler"))
    for name in ("handler", "helper"):
        function = _function(module, name)
        for safe in (frozenset(), frozenset({"limit"}), frozenset({"query", "params"})):
            values = _logged(function)
            taint = SeedTaint(function, handler, DEFAULT_SANITIZERS, safe)
            expected = _one_seed_at_a_time(function, handler, safe, values)
            assert taint.uses(values) == expected
            # one value at a time, as for the arguments of a call passed on
            assert [pair for value in values for pair in taint.uses([value])] == [
                pair for value in values for pair in _one_seed_at_a_time(function, handler, safe, [value])]


def test_seed_taint_names_the_argument_each_value_comes_from():
    module = _module()
    function = _function(module, "handler")
    taint = SeedTaint(function, _handler(function), DEFAULT_SANITIZERS, frozenset())
    text = {module.code_for_node(v): v for v in _logged(function)}
    assert [(seed, module.code_for_node(used)) for seed, used in taint.uses([text["sql"]])] == [("query", "sql"), ("table", "sql")]
    assert [seed for seed, _ in taint.uses([text['params.arguments["x"]']])] == ["params"]
    assert [seed for seed, _ in taint.uses([text["locals()"]])] == ["limit", "note", "params", "query", "table"]
    for quiet in ("size", '"constant"', "params.meta", "db.search(query)", "not query", 'table.startswith("a")',
                  "hashlib.sha256(query).hexdigest()"):
        assert taint.uses([text[quiet]]) == [] and not taint.reaches(text[quiet]), quiet
    # loop and walrus targets carry the seed; `open(table)` returns a new value, not the name
    assert [seed for seed, _ in taint.uses([text["word"], text["text"], text["short"]])] == ["query", "query"]


def test_a_function_body_is_read_once():
    module = _module()
    function = _function(module, "handler")
    body = dataflow._body(function)
    assert dataflow._body(function) is body
    assert set(body.calls) >= {"helper", "log", "len", "open", "str"}
    assert [[module.code_for_node(a.value) for a in args] for args, _ in body.calls["helper"]] == [["query", "table"]]
    assert {f.name.value for f in body.nested} == {"closure"}
    bound = {name for target, _ in body.pairs for name in dataflow._target_names(target)}
    assert bound == {"sql", "size", "word", "handle", "text", "summary", "short", "x"}
    helper = _function(module, "helper")
    taint = SeedTaint(helper, _handler(function), DEFAULT_SANITIZERS, frozenset())
    assert {seed for seed, _ in taint.uses(_logged(helper))} == {"query", "table"}  # through `helper(query, other=table)`


NUMBERS = """
def handler(query, areas):
    strength = areas[0].get("strength", 5)
    if strength % 2 == 0:
        strength += 1
    page = query.get("page")
    previous = page - 1
    label = "%s" % query
    log(strength, page, previous, label)
"""


def test_names_used_as_numbers_carry_no_caller_text():
    function = cst.parse_module(textwrap.dedent(NUMBERS)).body[0]
    handler = ToolHandler(function, "t", "tool", "fastmcp", argument_names=frozenset({"query", "areas"}))
    names = tainted_names(function, handler)
    # `strength % 2`, `strength += 1` and `page - 1`: numbers; `"%s" % query` formats text
    assert "label" in names and not {"strength", "page"} & names


def test_a_method_called_on_an_object_receives_the_argument_after_self():
    module = cst.parse_module(textwrap.dedent("""
        def handler(query, note):
            db.execute(query)
            Db.describe(note)

        class Db:
            def execute(self, sql, limit=10):
                log(sql, limit)

            @staticmethod
            def describe(table):
                log(table)
    """))
    handler = ToolHandler(_function(module, "handler"), "t", "tool", "fastmcp", argument_names=frozenset({"query", "note"}))
    methods = {f.name.value: f for f in walk.walk(module) if isinstance(f, cst.FunctionDef)}
    assert tainted_names(methods["execute"], handler) == {"sql"}  # not `self`, not `limit`
    assert tainted_names(methods["describe"], handler) == {"table"}  # no `self` to skip


def test_one_function_asked_with_two_handlers_gets_each_its_own_answer():
    """A function is tool code for one rule (seeded by the tool's arguments) and a logging sink
    for another (seeded by its own payload parameter): the answers must not be shared."""
    function = cst.parse_module("def run(sql, label):\n    text = sql.strip()\n    tag = label.upper()\n").body[0]
    as_tool = ToolHandler(function, "run", "tool", "fastmcp", argument_names=frozenset({"label"}))
    as_sink = ToolHandler(function, "run", "sink", "", argument_names=frozenset({"sql"}))
    assert {"label", "tag"} <= tainted_names(function, as_tool) and "text" not in tainted_names(function, as_tool)
    assert {"sql", "text"} <= tainted_names(function, as_sink) and "tag" not in tainted_names(function, as_sink)
