"""What an `if` test guarantees inside its body: the caught exception's narrowed type, or that
the branch never runs because it tests an option no caller sets.

- `isinstance(e, (ValidationError, ValueError))` narrows `e` inside the body: its text is that
  of those types.
- A decorator factory's option (`def tool_errors(default_recovery=None): ...`) that no call in
  the project passes always holds its default. A test of it, or of a local that is only ever
  assigned from such options (directly, or as a `for` target over one), is then false whenever
  the default is falsy (`None`, `False`, `""`, `0`, an empty literal), and its body is dead code
  in this project. Which parameters no call passes comes from the project model
  (`FileView.unpassed`).
- The other way round, a fallback for a parameter that every call passes
  (`if config is None: config = Settings()`, `config or Settings()`, or the same on a local copy
  `cfg = config`) never runs from this project's calls (`FileView.always_passed`).
"""

from __future__ import annotations

from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.ancestry import path_to
from mcp_lint.python.names import dotted

_FALSY = frozenset({"None", "False"})
_MAX_DEPTH = 6


def isinstance_types(test: cst.BaseExpression, name: Optional[str]) -> Tuple[str, ...]:
    """The dotted types of `isinstance(name, X)` / `isinstance(name, (X, Y))`, else ()."""
    if name is None or not isinstance(test, cst.Call) or dotted(test.func) != "isinstance" or len(test.args) != 2:
        return ()
    subject, types = test.args[0].value, test.args[1].value
    if not (isinstance(subject, cst.Name) and subject.value == name):
        return ()
    elements = [e.value for e in types.elements] if isinstance(types, cst.Tuple) else [types]
    found = tuple(dotted(e) for e in elements)
    return () if any(t is None for t in found) else found


def never_true(test: cst.BaseExpression, stack: Sequence[cst.FunctionDef], unpassed: Dict[str, Tuple[str, ...]]) -> bool:
    """`if option:` / `if option is not None:` where the option is never set (see module doc).
    `stack` is the chain of enclosing functions, outermost first; the outermost is the one
    whose unpassed parameters count (a module-level factory)."""
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if isinstance(target.operator, cst.IsNot) and isinstance(target.comparator, cst.Name) and target.comparator.value == "None":
            test = test.left
    if not isinstance(test, cst.Name) or not stack:
        return False
    options = _falsy_options(stack[0], unpassed.get(stack[0].name.value, ()))
    return bool(options) and _unset(test.value, stack[-1], options, 0)


def _falsy_options(factory: cst.FunctionDef, unpassed: Sequence[str]) -> FrozenSet[str]:
    p = factory.params
    return frozenset(
        param.name.value for param in (*p.posonly_params, *p.params, *p.kwonly_params)
        if param.name.value in unpassed and param.default is not None and _falsy(param.default)
    )


def _falsy(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Name):
        return expr.value in _FALSY
    if isinstance(expr, (cst.SimpleString,)):
        return expr.evaluated_value in ("", b"")
    if isinstance(expr, cst.Integer):
        return expr.value == "0"
    if isinstance(expr, (cst.List, cst.Tuple, cst.Dict, cst.Set)):
        return not expr.elements
    return False


def _unset(name: str, function: cst.FunctionDef, options: FrozenSet[str], depth: int) -> bool:
    """`name` in `function` only ever holds a never-set option's (falsy) value, or values drawn
    from iterating one."""
    if depth > _MAX_DEPTH:
        return False
    sources = []
    own = {p.name.value for p in (*function.params.params, *function.params.kwonly_params)}
    for node in walk.walk(function.body):
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if isinstance(node, cst.Assign) and any(_binds(t.target, name) for t in node.targets):
            sources.append(node.value)
        elif isinstance(node, cst.AnnAssign) and _binds(node.target, name) and node.value is not None:
            sources.append(node.value)
        elif isinstance(node, (cst.AugAssign, cst.NamedExpr)) and _binds(node.target, name):
            return False
        elif isinstance(node, cst.For) and _binds(node.target, name):
            sources.append(_iterated(node.iter))
    if not sources:
        return name in options and name not in own
    return all(_falsy(v) or (isinstance(v, cst.Name) and v.value != name and _unset(v.value, function, options, depth + 1)) for v in sources)


def _binds(target: cst.BaseExpression, name: str) -> bool:
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(e.value, name) for e in target.elements)
    return False


def _iterated(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`options.items()` -> `options`: a loop over a never-set option never runs."""
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value in ("items", "values", "keys") and not expr.args:
        return expr.func.value
    return expr


def passed_fallback(function: cst.FunctionDef, node: cst.CSTNode, passed: Sequence[str]) -> bool:
    """`node` runs only when a parameter that every call of the project passes is missing: it
    lies in the body of `if p is None:` / `if not p:`, or on the right of `p or ...`, where `p` is
    one of `passed` (`FileView.always_passed`) and nothing in the function rebinds it
    (`config = config or Settings()` itself excepted)."""
    if not passed:
        return False
    path = path_to(function.body, node)
    for depth, ancestor in enumerate(path[:-1]):
        child = path[depth + 1]
        if isinstance(ancestor, cst.If) and child is ancestor.body:
            name = _missing_test(ancestor.test)
        elif isinstance(ancestor, cst.BooleanOperation) and isinstance(ancestor.operator, cst.Or) and child is ancestor.right:
            name = ancestor.left.value if isinstance(ancestor.left, cst.Name) else None
        else:
            continue
        if name is not None and _holds_passed(function, name, passed, ancestor):
            return True
    return False


def _holds_passed(function: cst.FunctionDef, name: str, passed: Sequence[str], fallback: cst.CSTNode) -> bool:
    """`name` is a passed parameter that nothing rebinds, or a local copy of one
    (`cfg = _config` before `if cfg is None:`) that nothing else assigns."""
    if name in passed:
        return not _rebound(function, name, fallback)
    copied = _assigned(function, name, fallback)
    return bool(copied) and all(isinstance(v, cst.Name) and v.value in passed and not _rebound(function, v.value, fallback) for v in copied)


def _missing_test(test: cst.BaseExpression) -> Optional[str]:
    """`p is None` / `not p` -> "p"."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not) and isinstance(test.expression, cst.Name):
        return test.expression.value
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.left, cst.Name):
        target = test.comparisons[0]
        if isinstance(target.operator, cst.Is) and isinstance(target.comparator, cst.Name) and target.comparator.value == "None":
            return test.left.value
    return None


def _rebound(function: cst.FunctionDef, name: str, fallback: cst.CSTNode) -> bool:
    """`name` is assigned in the function other than by the fallback itself (`p = p or X()`,
    or inside the `if p is None:` body)."""
    values = _assigned(function, name, fallback)
    return values is None or bool(values)


def _assigned(function: cst.FunctionDef, name: str, fallback: cst.CSTNode) -> Optional[List[cst.BaseExpression]]:
    """The values `name = value` gives `name` in the function outside the fallback, or None when
    something else binds it (an augmented or annotated assignment, a loop, a tuple target)."""
    inside = {id(n) for n in walk.walk(fallback)}
    values: List[cst.BaseExpression] = []
    for node in walk.walk(function.body):
        if id(node) in inside or isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if isinstance(node, cst.Assign) and any(_binds(t.target, name) for t in node.targets):
            if not all(isinstance(t.target, cst.Name) for t in node.targets):
                return None
            if not _falls_back(node.value, fallback):
                values.append(node.value)
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr, cst.For)) and _binds(node.target, name):
            return None
    return values


def _falls_back(value: cst.BaseExpression, fallback: cst.CSTNode) -> bool:
    return value is fallback or (isinstance(value, cst.CSTNode) and bool(path_to(value, fallback)))
