"""Where an exception can leave Python code, and which calls cannot fail: the awaits, calls and
raises of a function or a `try` body that no broad `except` absorbs (`escape_points`), what an
`except` names and catches (`caught_types`, `catches_only`), and the calls that fail with nothing
worth catching (`plain_safe_call`: result builders, builtins, logging, string methods of strings;
`bookkeeping_call`: also the server's own state and elicitation). Asked by MCP0403 (an exception
escaping a low-level handler), MCP0404 (the points where cancellation is delivered: `suspends`)
and MCP0405 (whether a `try` body can catch another system's text); the TypeScript counterpart
is `mcp_lint/typescript/quiet.py`."""

from __future__ import annotations

from typing import Callable, Iterable, List, Tuple

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.mcp_model import McpModel
from mcp_lint.python.names import dotted, last_part

BROAD_CATCHES = {"Exception", "BaseException"}
# Calls that cannot fail for reasons a handler should catch: result builders, builtins, logging.
SAFE_CALLS = {
    "CallToolResult", "TextContent", "ImageContent", "AudioContent", "EmbeddedResource", "ResourceLink", "ErrorData",
    "str", "repr", "len", "isinstance", "bool", "list", "dict", "tuple", "set", "sorted", "print", "type",
    "format_exc", "format_exception", "print_exc",  # traceback: formats what was caught
    "get",  # dict.get; an awaited `client.get(...)` is never safe
}
LOGGER_HEADS = {"logger", "logging", "log", "_logger", "LOGGER"}
# Calls that keep the server's own state: their errors (AttributeError, KeyError) carry no
# backend's text. Not `update`/`append`: a client object's `update` may well be I/O.
BOOKKEEPING = frozenset({"hasattr", "getattr", "setattr", "pop", "get", "setdefault", "keys", "values", "items", "copy", "clear"})
# Methods of `str` that cannot raise on any string (their arguments aside).
STR_METHODS = frozenset({"replace", "strip", "lstrip", "rstrip", "lower", "upper", "title", "casefold", "split",
                         "splitlines", "startswith", "endswith", "join", "format", "zfill", "ljust", "rjust", "center"})


def suspends(node: cst.CSTNode) -> bool:
    """An `await`, `async with` or `async for`: the points where cancellation is delivered."""
    if isinstance(node, cst.Await):
        return True
    return isinstance(node, (cst.With, cst.For)) and node.asynchronous is not None


def caught_types(handler: cst.ExceptHandler, model: McpModel) -> Tuple[str, ...]:
    """Qualified names an `except` catches; () for a bare `except:`."""
    if handler.type is None:
        return ()
    names = []
    for expr in caught_exprs(handler):
        if isinstance(expr, cst.Call):
            names.append(f"{model.qualify(expr.func) or '?'}()")
        else:
            names.append(model.qualify(expr) or "?")
    return tuple(names)


def catches_only(handler: cst.ExceptHandler, names: Tuple[str, ...]) -> bool:
    """The handler names only classes among `names` (`except ValidationError as e:`)."""
    return handler.type is not None and bool(names) and all(isinstance(e, cst.Name) and e.value in names for e in caught_exprs(handler))


def caught_exprs(handler: cst.ExceptHandler) -> List[cst.BaseExpression]:
    """What an `except` names: one class or each of a tuple's."""
    return [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]


class Escapes(cst.CSTVisitor):
    """Where an exception can leave a function: awaits, calls and raises that no broad `except`
    absorbs. `allowed_raise` says which raised classes the framework handles itself;
    `safe_call(call, awaited)` which calls cannot fail in a way worth catching."""

    def __init__(self, model: McpModel, allowed_raise: Callable[[str], bool], safe_call: Callable[[cst.Call, bool], bool]):
        self.model = model
        self.allowed_raise = allowed_raise
        self.safe_call = safe_call
        self.points: List[cst.CSTNode] = []
        self.protected = 0
        self.rethrows: set = set()  # ids of bare `raise` re-raising only allowed classes

    def _raise_ok(self, node: cst.Raise) -> bool:
        if node.exc is None:
            return id(node) in self.rethrows
        exc = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
        return self.allowed_raise(self.model.qualify(exc) or "")

    def absorbs(self, handler: cst.ExceptHandler) -> bool:
        broad = handler.type is None or any(last_part(t) in BROAD_CATCHES for t in caught_types(handler, self.model))
        raises = walk.find_own(handler.body, lambda n: isinstance(n, cst.Raise))
        return broad and all(self._raise_ok(r) for r in raises)

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return False
        if isinstance(node, cst.ExceptHandler) and node.type is not None:
            if all(self.allowed_raise(t) for t in caught_types(node, self.model)):
                bare = walk.find_own(node.body, lambda n: isinstance(n, cst.Raise) and n.exc is None)
                self.rethrows.update(id(r) for r in bare)
        if isinstance(node, cst.Try) and any(self.absorbs(h) for h in node.handlers):
            self.protected += 1
            walk.visit(node.body, self)
            self.protected -= 1
            for part in (*node.handlers, node.orelse, node.finalbody):
                if part is not None:
                    walk.visit(part, self)
            return False
        if not self.protected and self._escapes(node):
            self.points.append(node)
        return True

    def _escapes(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Raise):
            return not self._raise_ok(node)
        if isinstance(node, cst.Await):
            return not (isinstance(node.expression, cst.Call) and self.safe_call(node.expression, True))
        if isinstance(node, cst.Call):
            return not self.safe_call(node, False)
        return suspends(node)


def escape_points(
    nodes: Iterable[cst.CSTNode],
    model: McpModel,
    allowed_raise: Callable[[str], bool],
    safe_call: Callable[[cst.Call, bool], bool],
) -> List[cst.CSTNode]:
    """The points of `nodes` where an exception can leave (see `Escapes`), in source order."""
    visitor = Escapes(model, allowed_raise, safe_call)
    for node in nodes:
        walk.visit(node, visitor)
    return visitor.points


def plain_safe_call(model: McpModel, call: cst.Call, awaited: bool) -> bool:
    """Result builders (the SDK's and the project's `...Response` / `...Result` classes),
    builtins, logging and exception constructors (raising is judged apart).
    Nothing awaited is: awaits are where I/O happens."""
    if awaited:
        return False
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString)):
        return True  # a method of a string literal: `"--scene={}".format(scene)`, `", ".join(names)`
    if isinstance(func, cst.Attribute) and func.attr.value in STR_METHODS and a_string(model, func.value):
        return True  # a string method of a string: `str(arg).replace("'", "''").strip()`
    name = model.qualify(func) or ""
    last = last_part(name)
    if last in SAFE_CALLS or last.endswith(("Error", "Exception")):
        return True
    if last[:1].isupper() and last.endswith(("Response", "Result")):
        return True  # a result model built to be returned: `ErrorResponse(error=msg)`
    # a logger, by its qualified or its written name (loguru's `logger` qualifies as `loguru.logger`)
    return name.split(".")[0] in LOGGER_HEADS or (dotted(func) or "").split(".")[0] in LOGGER_HEADS


def bookkeeping_call(model: McpModel, call: cst.Call, awaited: bool) -> bool:
    """A safe call (`plain_safe_call`), one of `BOOKKEEPING`, or a log call through an
    attribute (`self._logger.info(...)`)."""
    if plain_safe_call(model, call, awaited) or elicits(model, call):
        return True
    if awaited:
        return False
    parts = (dotted(call.func) or "").split(".")
    return parts[-1] in BOOKKEEPING or (len(parts) >= 2 and parts[-2] in LOGGER_HEADS)


def elicits(model: McpModel, call: cst.Call) -> bool:
    """`await ctx.elicit(...)`, also under `asyncio.wait_for`: a request to the MCP client
    itself, whose errors are the client's own answer (or a timeout), no backend's text."""
    if (model.qualify(call.func) or "") == "asyncio.wait_for" and call.args and isinstance(call.args[0].value, cst.Call):
        call = call.args[0].value
    return isinstance(call.func, cst.Attribute) and call.func.attr.value == "elicit"


def a_string(model: McpModel, expr: cst.BaseExpression) -> bool:
    """A literal or f-string, `str(x)` / `repr(x)`, or a string method of one."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return True
    if not isinstance(expr, cst.Call):
        return False
    if isinstance(expr.func, cst.Attribute):
        return expr.func.attr.value in STR_METHODS and a_string(model, expr.func.value)
    return (model.qualify(expr.func) or "") in ("str", "repr")
