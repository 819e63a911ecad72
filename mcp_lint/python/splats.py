"""What a `**kwargs` splat passes: `FastMCP("x", **options)` where `options = {"auth": ...}` or
`options = dict(mask_error_details=True)` is bound in the same file, or `**build_options()` where
that same-file function returns dict literals. Rules ask this before
assuming a splat may hold (or lack) the option they look for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.names import dotted, string_value


@dataclass
class SplatKeywords:
    keywords: Dict[str, cst.BaseExpression] = field(default_factory=dict)  # resolved keys -> values
    unresolved: bool = False  # some splat could not be read: it may hold anything

    def may_hold(self, name: str) -> bool:
        return name in self.keywords or self.unresolved


def _dict_keys(value: cst.BaseExpression) -> Optional[Dict[str, cst.BaseExpression]]:
    """Keys of a dict literal with string keys, or of `dict(a=..., b=...)`; None otherwise."""
    if isinstance(value, cst.Dict):
        keys: Dict[str, cst.BaseExpression] = {}
        for element in value.elements:
            key = string_value(element.key) if isinstance(element, cst.DictElement) else None
            if key is None:
                return None  # a `**nested` or computed key: not a closed set
            keys[key] = element.value
        return keys
    if isinstance(value, cst.Call) and dotted(value.func) == "dict" and all(a.keyword is not None for a in value.args):
        return {a.keyword.value: a.value for a in value.args}
    return None


# Methods that add keys to a dict after its literal: `options.update(auth=...)`.
_MUTATORS = frozenset({"update", "setdefault", "__setitem__"})


def _bindings(module: cst.Module, name: str) -> list:
    """Every value assigned to `name` anywhere in the file; None for a binding that cannot be
    read (an item assignment `options["auth"] = ...`, `options |= ...`, `options.update(...)`, a
    parameter of that name), which makes the dict open-ended."""
    values = []
    for node in walk.walk(module):
        if isinstance(node, cst.AugAssign) and dotted(node.target) == name:
            values.append(None)
        elif isinstance(node, cst.Param) and node.name.value == name:
            values.append(None)
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if node.func.attr.value in _MUTATORS and dotted(node.func.value) == name:
                values.append(None)
        elif isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name) and target.target.value == name:
                    values.append(node.value)
                elif isinstance(target.target, cst.Subscript) and dotted(target.target.value) == name:
                    values.append(None)
        elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name) and node.target.value == name and node.value is not None:
            values.append(node.value)
    return values


def _returned(module: cst.Module, function: str) -> list:
    """What a same-file function returns (`**build_options()`), each return's value; a function
    that is not found, or a bare `return`, leaves the splat unresolved."""
    for node in module.body:
        if isinstance(node, cst.FunctionDef) and node.name.value == function:
            returns = [n for n in walk.walk(node.body) if isinstance(n, cst.Return)]
            return [r.value for r in returns] if returns else []
    return []


def splat_keywords(call: cst.Call, module: cst.Module) -> SplatKeywords:
    """The keywords a call's `**splats` pass, resolved through dict literals bound in the file."""
    result = SplatKeywords()
    for arg in call.args:
        if arg.star != "**":
            continue
        value = arg.value
        if isinstance(value, cst.Name):
            candidates = _bindings(module, value.value)
        elif isinstance(value, cst.Call) and isinstance(value.func, cst.Name):
            candidates = _returned(module, value.func.value)
        else:
            candidates = [value]
        if not candidates:
            result.unresolved = True
        for candidate in candidates:
            keys = _dict_keys(candidate) if candidate is not None else None
            if keys is None:
                result.unresolved = True
            else:
                result.keywords.update(keys)
    return result
