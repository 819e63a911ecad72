"""Which TS calls write to a log, and which functions are logging helpers.

A log call is `console.*`, a method of a known logger (`logger.info`), or an MCP logging
notification. A logging helper is a function (not a method) that passes some of its parameters
to a log call, itself or through another helper of its module (`const trace = (message) =>
writeLog(message)`): `log_helpers` gives, per helper, the parameter positions it writes. Helpers
of other modules that the file imports come from the engine's link pass
(`mcp_lint/typescript/tool_links.py`), as `ImportedLogHelper` entries on the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from mcp_lint.documents.typescript import walk
from mcp_lint.typescript.syntax import arguments, enclosing_function, last_name, parameters, pattern_names, within

STDOUT_CONSOLE = {"log", "info", "debug", "dir", "dirxml", "table", "count", "group", "groupCollapsed", "time", "timeEnd", "timeLog"}
LOG_METHODS = {"log", "info", "debug", "warn", "error", "trace", "fatal", "notice", "verbose", "silly"}
_HELPER_ROUNDS = 3  # helpers that call helpers, this many levels deep


@dataclass(frozen=True)
class Written:
    """The parameters a logging helper writes: their positions, and from which position a
    rest parameter (`...args`) takes every further argument."""

    positions: FrozenSet[int] = frozenset()
    rest: Optional[int] = None

    def of(self, args: list) -> list:
        picked = {i for i in self.positions if i < len(args)}
        if self.rest is not None and self.rest in self.positions:
            picked.update(range(self.rest, len(args)))
        return [args[i] for i in sorted(picked)]


@dataclass(frozen=True)
class ImportedLogHelper:
    """A logging helper of another module, as this file calls it (`log`, `logger.trace`)."""

    local: str
    positions: Tuple[int, ...]
    rest: int = -1

    @property
    def written(self) -> Written:
        return Written(frozenset(self.positions), self.rest if self.rest >= 0 else None)


def log_call(model, call) -> Optional[str]:
    """The receiver (or method) of a call that writes to a log, else None."""
    name = model.callee(call)
    method = last_name(name)
    receiver = name[: -len(method) - 1] if "." in name else ""
    if receiver == "console" and method in LOG_METHODS | STDOUT_CONSOLE:
        return receiver
    if name == "process.stderr.write":
        return "process.stderr"
    if receiver and method in LOG_METHODS and model.is_logger(receiver):
        return receiver
    if method in ("sendLoggingMessage",) or (method == "sendNotification" and "notifications/message" in model.text(call)):
        return receiver or method
    return None


def written_by_helper(model, call) -> list:
    """The arguments of a call to a logging helper (of this module or imported) that the helper
    writes to a log (`log("info", "tool call", { arguments })` where `function log(level,
    message, data)` passes `data` to `console.error`)."""
    name = model.callee(call)
    if not name:
        return []
    written = log_helpers(model).get(name) if "." not in name else None
    if written is None:
        imported = next((h for h in getattr(model.doc, "imported_log_helpers", ()) if h.local == name), None)
        written = imported.written if imported is not None else None
    return written.of(arguments(call)) if written is not None else []


def log_helpers(model) -> Dict[str, Written]:
    """This module's logging helpers (functions, not methods): name -> what they write.
    Memoised on the model."""
    found = getattr(model, "_log_helpers", None)
    if found is not None:
        return found
    found = model._log_helpers = {}
    candidates = [(name, func) for name, functions in model.functions_by_name.items() for func in functions
                  if func.type != "method_definition" and parameters(func)]
    for _ in range(_HELPER_ROUNDS):
        grew = False
        for name, func in candidates:
            written = _written_parameters(model, func, found)
            if written and (name not in found or found[name].positions != written):
                found[name] = Written(written, _rest_position(func))
                grew = True
        if not grew:
            break
    return found


def _written_parameters(model, func, helpers: Dict[str, Written]) -> FrozenSet[int]:
    """The positions of `func`'s parameters that reach a log call (or a known helper) in its
    own body, directly or through a local built from them (`const msg = `${args.join(" ")}`;
    process.stderr.write(msg)`)."""
    carried: Dict[str, Set[int]] = {}
    for i, pattern in enumerate(parameters(func)):
        for name in pattern_names(model.doc, pattern):
            carried.setdefault(name, set()).add(i)
    own = [n for n in model.nodes("call_expression", "variable_declarator") if within(n, func) and enclosing_function(n) == func]
    written: Set[int] = set()
    for node in own:  # source order: a local is declared before the call that writes it
        if node.type == "variable_declarator":
            value, target = node.child_by_field_name("value"), node.child_by_field_name("name")
            if value is not None and target is not None and target.type == "identifier" and _keeps_content(model, value):
                used = {model.text(u) for u in argument_uses(model, value, set(carried))}
                if used:
                    carried.setdefault(model.text(target), set()).update(*(carried[u] for u in used))
            continue
        if log_call(model, node) is not None:
            logged = [node.child_by_field_name("arguments")]
        else:
            helper = helpers.get(model.callee(node))
            logged = helper.of(arguments(node)) if helper is not None else []
        for value in logged:
            for use in argument_uses(model, value, set(carried)):
                written.update(carried[model.text(use)])
    return frozenset(written)


# Calls whose result is the text of their arguments (a local built with them still carries them).
_FORMATTING_CALLS = {"stringify", "String", "format", "join", "toString", "inspect", "trim", "toUpperCase", "toLowerCase"}


def _keeps_content(model, value) -> bool:
    """Whether a local's value holds its inputs' text: a template or a concatenation does, the
    result of an API call made with them (`await api.search(query)`) does not."""
    while value.type in ("await_expression", "parenthesized_expression") and value.named_child_count:
        value = value.named_children[0]
    return value.type != "call_expression" or last_name(model.callee(value)) in _FORMATTING_CALLS


def _rest_position(func) -> Optional[int]:
    params = parameters(func)
    last = params[-1] if params else None
    return len(params) - 1 if last is not None and last.type == "rest_pattern" else None


def argument_uses(model, node, names: set) -> List[object]:
    """Identifiers of `names` under `node` used for their content (not `.length`, `typeof x`,
    `Object.keys(x)`, nor as a property name)."""
    return [child for child in walk(node)
            if child.type in ("identifier", "shorthand_property_identifier") and model.text(child) in names
            and written_whole(model, child)]


_TYPE_WRAPPERS = ("as_expression", "satisfies_expression", "non_null_expression", "parenthesized_expression")


def written_whole(model, value) -> bool:
    """Whether the log gets `value`'s content, not only something derived from it that holds
    none: its size (`x.length`, `JSON.stringify(x).length`), its type, its keys, a test of it
    (`!!x`, `x === undefined`, `a && b`)."""
    parent = value.parent
    if parent.type in _TYPE_WRAPPERS:
        return written_whole(model, parent)  # `(args as Record<string, unknown>)`
    if parent.type == "member_expression" and parent.child_by_field_name("object") == value:
        return model.text(parent.child_by_field_name("property")) not in ("length", "size")
    if parent.type == "subscript_expression" and parent.child_by_field_name("object") == value:
        return written_whole(model, parent)  # `args[key]`: judged by what is done with it
    if parent.type == "unary_expression" and re.match(r"typeof\b|!", model.text(parent)):
        return False
    if parent.type == "arguments":
        call = parent.parent
        if re.match(r"Object\.(keys|entries)|Array\.isArray", model.text(call)):
            return False
        if model.text(call).startswith("JSON.stringify") and call.parent is not None and call.parent.type == "member_expression":
            return written_whole(model, call)  # `JSON.stringify(x).length`
    if parent.type == "binary_expression":
        operator = _operator(model, parent)
        if operator in ("??", "||") or (operator == "&&" and parent.child_by_field_name("right") == value):
            return written_whole(model, parent)  # `args ?? {}`, `ok && args`: the value may be the result
        return operator == "+"  # `x === undefined`, the test of `a && b`: not the content
    if parent.type == "ternary_expression" and parent.child_by_field_name("condition") == value:
        return False
    return True


def _operator(model, binary) -> str:
    operator = binary.child_by_field_name("operator")
    return model.text(operator) if operator is not None else ""
