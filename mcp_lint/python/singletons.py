"""Lazy singletons: a value built once and kept, rather than built on every call.

`_pool` is a lazy singleton when the function that builds it keeps the result in a module
global (declared `global`) or an attribute and tests that holder first (`if _pool is None:`).
The building may sit in a factory helper (`def new_engine(): return create_engine(...)`) whose
callers do the keeping: `ENGINE = new_engine()` under `if ENGINE is None:`, or again after
`ENGINE.dispose()` on a failed connect. The factory is then cached by its callers.
"""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.names import dotted


def returns_result_of(func: cst.FunctionDef, call: cst.Call) -> bool:
    """`return create_engine(...)` (or `x = create_engine(...); ... return x`) in `func`."""
    bound = {dotted(t.target) for n in _own(func) if isinstance(n, cst.Assign) and _unawait(n.value) is call
             for t in n.targets}
    for node in _own(func):
        if isinstance(node, cst.Return) and node.value is not None:
            value = _unawait(node.value)
            if value is call or (isinstance(value, cst.Name) and value.value in bound):
                return True
    return False


def kept_by_callers(factory: cst.FunctionDef, module: cst.Module) -> Optional[str]:
    """The global or attribute the factory's callers in this module keep its result in, when
    every call to it there is kept in one that the caller also tests; None otherwise."""
    name = factory.name.value
    labels: List[str] = []
    for caller in (n for n in walk.walk(module) if isinstance(n, cst.FunctionDef) and n is not factory):
        calls = [n for n in _own(caller) if isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == name]
        if not calls:
            continue
        declared = {item.name.value for n in _own(caller) if isinstance(n, cst.Global) for item in n.names}
        tested = {dotted(x) for n in _own(caller) if isinstance(n, cst.If)
                  for x in walk.walk(n.test) if isinstance(x, (cst.Name, cst.Attribute))}
        kept = 0
        for node in _own(caller):
            if isinstance(node, cst.Assign) and len(node.targets) == 1 and any(_unawait(node.value) is c for c in calls):
                target = node.targets[0].target
                label = dotted(target)
                holder = isinstance(target, cst.Attribute) or (isinstance(target, cst.Name) and target.value in declared)
                if label and holder and label in tested:
                    labels.append(label)
                    kept += 1
        if kept != len(calls):
            return None  # some call builds a fresh one each time
    return labels[0] if labels else None


def _unawait(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.expression if isinstance(expr, cst.Await) else expr


def _own(func: cst.FunctionDef) -> List[cst.CSTNode]:
    """The function's own nodes (not those of nested functions, classes and lambdas)."""
    return walk.own_nodes(func.body)
