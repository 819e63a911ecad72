"""Which keywords a `**options` splat can pass, when `options` is a dict literal of the module.

`uvicorn.run(app, **config)` may set any option, so rules that look for a keyword give up on a
splat; but when `config = {"host": ..., "port": ...}` (or `dict(host=..., port=...)`) is the only
binding of that name in the module and nothing adds keys to it later, the splat passes exactly
those keys. Anything else (a parameter, a function result, `config["x"] = ...`, `config.update`,
a `**` inside the literal) is unknown.
"""

from __future__ import annotations

from typing import FrozenSet, List, Optional

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.names import string_value

_MUTATORS = frozenset({"update", "setdefault", "__setitem__", "pop", "clear"})


class _Bindings(cst.CSTVisitor):
    def __init__(self, name: str):
        self.name = name
        self.values: List[Optional[cst.BaseExpression]] = []  # None: bound in a way we cannot read
        self.mutated = False

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name) and target.target.value == self.name:
                self.values.append(node.value)
            elif isinstance(target.target, cst.Subscript) and _is_name(target.target.value, self.name):
                self.mutated = True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.target.value == self.name:
            self.values.append(node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if _is_name(node.target, self.name):
            self.mutated = True

    def visit_Param(self, node: cst.Param) -> None:
        if node.name.value == self.name:
            self.values.append(None)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _MUTATORS and _is_name(func.value, self.name):
            self.mutated = True


def _is_name(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name


def splat_keys(module: cst.Module, arg: cst.Arg) -> Optional[FrozenSet[str]]:
    """The keys a `**name` argument passes, or None when they cannot be known."""
    if arg.star != "**" or not isinstance(arg.value, cst.Name):
        return None
    bindings = _Bindings(arg.value.value)
    walk.visit(module, bindings)
    if bindings.mutated or len(bindings.values) != 1 or bindings.values[0] is None:
        return None
    return _literal_keys(bindings.values[0])


def _literal_keys(value: cst.BaseExpression) -> Optional[FrozenSet[str]]:
    if isinstance(value, cst.Dict):
        keys = []
        for element in value.elements:
            key = string_value(element.key) if isinstance(element, cst.DictElement) else None
            if key is None:
                return None  # `**more` or a computed key
            keys.append(key)
        return frozenset(keys)
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict":
        if any(a.keyword is None for a in value.args):
            return None
        return frozenset(a.keyword.value for a in value.args)
    return None
