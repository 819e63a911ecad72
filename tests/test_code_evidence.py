"""The small "what is this code" helpers behind MCP0701, MCP0703 and MCP0405 precision: lifespan
teardown, rejected lookups, dead option branches, and the project model facts they read."""

from __future__ import annotations

import textwrap

import libcst as cst

from mcp_lint.python import branches, choices, lifespan, walk
from mcp_lint.python.file_summary import summarise
from mcp_lint.python.project_model import ProjectModel


def _function(source: str) -> cst.FunctionDef:
    module = cst.parse_module(textwrap.dedent(source))
    return next(s for s in module.body if isinstance(s, cst.FunctionDef))


def _calls(function: cst.FunctionDef, name: str):
    return [n for n in walk.walk(function) if isinstance(n, cst.Call) and getattr(n.func, "value", None) == name]


LIFESPAN = """
async def life(server):
    log("a")
    try:
        pool = open_pool()
        yield pool
        log("b")
    except OSError:
        log("c")
    else:
        log("d")
    finally:
        log("e")
    log("f")
"""


def test_after_yield():
    function = _function(LIFESPAN)
    after = [lifespan.after_yield(function, call) for call in _calls(function, "log")]
    assert after == [False, True, False, True, True, True]


def test_no_yield_means_nothing_is_teardown():
    function = _function("def f():\n    log('x')\n")
    assert not lifespan.after_yield(function, _calls(function, "log")[0])


REJECT = """
def f(kind, command):
    if kind.strip().lower() not in ("a", "b"):
        log(kind)
    if command.split()[0] not in ("ls", "cat"):
        log(command)
    try:
        k = Kind[kind]
    except KeyError:
        log(kind)
    log(kind)
"""


def test_rejected_choice_only_in_the_failure_branch_of_the_same_value():
    function = _function(REJECT)
    module = cst.parse_module(textwrap.dedent(REJECT))
    sets = choices.fixed_sets(module)
    found = []
    for call in _calls(function, "log"):
        logged = call.args[0].value
        found.append(choices.rejected_choice(function, call, logged, sets))
    assert found == [True, False, True, False]


CHECKED = """
def f(method):
    methods = {"nearest": 0, "linear": 1, "area": 2}
    log(method)
    if method not in methods:
        log(method)
        raise ValueError("unknown method")
    chosen = methods[method]
    log(method)
"""


def test_checked_choice_in_a_local_table_and_past_a_lookup_that_raises():
    function = _function(CHECKED)
    found = [choices.rejected_choice(function, call, call.args[0].value, frozenset()) for call in _calls(function, "log")]
    assert found == [False, True, True]


FACTORY = """
def hints(fallback=None, table=None, strict=False):
    def wrap(func):
        def inner():
            hint = fallback
            if table:
                for kind, text in table.items():
                    hint = text
            if hint:
                pass
            if strict:
                pass
        return inner
    return wrap
"""


def test_never_true_needs_an_option_no_caller_passes():
    module = cst.parse_module(textwrap.dedent(FACTORY))
    factory = module.body[0]
    wrap = factory.body.body[0]
    inner = wrap.body.body[0]
    tests = {cst.Module([]).code_for_node(n.test): n.test for n in walk.walk(inner) if isinstance(n, cst.If)}
    stack = [factory, wrap, inner]
    assert branches.never_true(tests["hint"], stack, {"hints": ("fallback", "table", "strict")})
    assert branches.never_true(tests["strict"], stack, {"hints": ("strict",)})
    assert not branches.never_true(tests["hint"], stack, {"hints": ("table",)})  # `fallback` is passed somewhere
    assert not branches.never_true(tests["hint"], stack, {})  # called nowhere known


def test_model_lists_lifespans_and_unpassed_parameters():
    server = summarise("app/server.py", textwrap.dedent("""
        from mcp.server.fastmcp import FastMCP
        from app.life import life
        from app.errors import hints

        mcp = FastMCP("x", lifespan=life)

        @hints()
        def a(): ...

        @hints(table={})
        def b(): ...
    """), "app")
    life = summarise("app/life.py", "async def life(server):\n    yield\n", "app")
    errors = summarise("app/errors.py", "def hints(fallback=None, table=None):\n    return lambda f: f\n", "app")
    model = ProjectModel([server, life, errors])
    assert model.view("app/life.py").lifespans == ("life",)
    assert dict(model.view("app/errors.py").unpassed) == {"hints": ("fallback",)}
