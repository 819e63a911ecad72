"""Which assignment reaches a read (mcp_lint/python/reaching.py): the last plain assignment on
every path when the statement structure shows it, else None (the taint pass stays
flow-insensitive there)."""

from __future__ import annotations

import textwrap
from typing import Dict, Optional

import libcst as cst
import pytest

from mcp_lint.python import walk
from mcp_lint.python.reaching import dominating_value

SOURCE = """
def handler(email, rows):
    try:
        deliver(email)
    except FileNotFoundError as e:
        text = f"missing: {e}"
        log("sibling", text)
    except Exception as e:
        text = f"failed for {email}"
        log("other sibling", text)
    branch = email
    if rows:
        branch = "fixed"
    log("after a branch", branch)
    for row in rows:
        log("loop", carried)
        carried = row
    with open(email) as handle:
        log("with", handle)
    handle = "later"
    chain = email
    chain = "plain"
    if rows:
        log("nested", chain)
    if (walrus := email):
        log("walrus", walrus)
    walrus = 1
    bound = "before"
    try:
        bound = email
    except ValueError:
        log("handler after a binding body", bound)
    caught = "before"
    try:
        deliver(email)
    except ValueError as caught:
        log("bound by except as", caught)
    added = "a"
    added += email
    log("augmented", added)
    updated = email
    updated = normalise(updated)
    log("derived from itself", updated)
    log("parameter", email)
    def inner():
        log("nested function", chain)
"""


def _reads() -> Dict[str, Optional[str]]:
    """label -> the reaching value's code (None: cannot tell) for each `log(label, name)`."""
    module = cst.parse_module(textwrap.dedent(SOURCE))
    function = module.body[0]
    found = {}
    for node in walk.walk(function):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "log":
            label, name = node.args[0].value.evaluated_value, node.args[1].value.value
            value = dominating_value(function, node, name)
            found[label] = module.code_for_node(value) if value is not None else None
    return found


@pytest.mark.parametrize("label, expected", [
    ("sibling", 'f"missing: {e}"'),             # not the other handler's assignment
    ("other sibling", 'f"failed for {email}"'),
    ("nested", '"plain"'),                       # through an enclosing `if`, to the last plain assignment
    ("after a branch", None),                    # an earlier `if` may rebind it
    ("loop", None),                              # a later iteration's assignment may reach
    ("with", None),                              # bound by `as`
    ("walrus", None),                            # bound in the test
    ("handler after a binding body", None),      # the `try` body may have run
    ("bound by except as", None),                # the handler binds it, not `caught = "before"`
    ("augmented", None),
    ("derived from itself", None),               # `x = f(x)` carries on what x held
    ("parameter", None),                         # the function's start: a parameter
    ("nested function", None),                   # not the function's own code
])
def test_reaching_value(label, expected):
    assert _reads()[label] == expected
