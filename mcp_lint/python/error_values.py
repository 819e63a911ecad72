"""What a value built inside an `except` block carries to the client, and whether a value that
tool code returns reads as a failure report. `Reader(model, catch).detail(expr)` finds the part
of a value through which the caught exception's text travels (`e`, `str(e)`, `e.response.text`,
a formatted traceback, through the names the block assigns); `Reader.error_value(expr, ...)`
says why a returned value reads as a failure sent as a successful result ("Error: ..." text, a
dict with an `error` key, `"status": "error"` or `"success": False`, a result object built with
`success=False`, what a formatter that builds no error result makes of the exception), never for
a result that carries an error flag (`flagged`) nor for the fields of a tool's declared output
type (`returns_domain_output`). `error_returns` lists the returns of a helper that read so, and
`builds_error_result` whether a same-file helper may produce a real error. `Catch` is the
`except` block a rule's traversal is in. Asked by MCP0401 and MCP0405; where an exception can
leave the code, and what an `except` catches, is `escapes.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.escapes import caught_types
from mcp_lint.python.mcp_model import McpModel
from mcp_lint.python.names import ERROR_FLAG_KEYWORDS, GENERIC_RETURNS, dotted, keyword, last_part, string_value

RESULT_TYPES = {"CallToolResult", "ToolResult"}
# Calls whose arguments travel unchanged to the client.
PASS_THROUGH_CALLS = {"TextContent", "dumps", "dict", "ErrorData", *RESULT_TYPES}
STRING_WRAPPERS = {"str", "repr", "format"}
# Attributes of a caught exception (or of what it holds: `e.response.text`) that carry text from
# the other system: its message, the upstream's response body, a command's output.
TEXT_ATTRIBUTES = {"args", "message", "msg", "text", "content", "body", "detail", "stderr", "stdout", "output"}
SERIALIZERS = {"to_json", "json", "model_dump_json", "to_dict", "dict", "model_dump"}  # an object's own data, as JSON or a dict
TYPE_CASTS = {"typing.cast", "typing_extensions.cast"}
TRACEBACK_FORMATTERS = {
    "traceback.format_exc",
    "traceback.format_exception",
    "traceback.format_exception_only",
    "traceback.format_tb",
}
# Text that opens a failure report: "Error: ...", "Failed to ...", "Unknown tool: x" (the fallback
# of a low-level dispatcher). Whole words: "Errors found in 3 files" is a report about errors.
ERROR_TEXT = re.compile(r"(?:error|failed|failure|unknown tool)\b", re.IGNORECASE)
ERROR_KEYS = {"error", "error_message"}
ERROR_STATUSES = {"error", "failed", "failure"}
# Standard-library exceptions (qualified) whose base class is the one their text is like: the
# `user-facing-exceptions` list names the base (`binascii.Error` is a ValueError: "Incorrect padding").
STDLIB_BASES = {
    "binascii.Error": "ValueError", "ipaddress.AddressValueError": "ValueError", "ipaddress.NetmaskValueError": "ValueError",
    "UnicodeDecodeError": "ValueError", "UnicodeEncodeError": "ValueError",
}


def short_code(node: cst.CSTNode) -> str:
    """The node's source on one line, cut to 60 characters (for messages)."""
    text = " ".join(cst.Module([]).code_for_node(node).split())  # one line, however the call is laid out
    return text if len(text) <= 60 else text[:57] + "..."


def is_false(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "False"


def flagged(call: cst.Call) -> bool:
    """`CallToolResult(..., isError=True)` / `ToolResult(..., is_error=...)`: a real error result."""
    flags = (keyword(call, flag) for flag in ERROR_FLAG_KEYWORDS)
    return any(arg is not None and not is_false(arg.value) for arg in flags)


def functions_by_name(model: McpModel, module: cst.Module) -> Dict[str, cst.FunctionDef]:
    """Every function of the file by name (the last definition wins, as at run time); found
    once per file and shared by the rules that ask (the model's per-file memo). Read-only."""
    functions = model.memo.get("functions-by-name")
    if functions is None:
        found = (n for n in walk.walk(module) if type(n) is cst.FunctionDef)
        functions = model.memo["functions-by-name"] = {f.name.value: f for f in found}
    return functions


def own_callee(func: cst.BaseExpression) -> Optional[str]:
    """The name of a same-file function or method a call names (`fmt(e)`, `self.fmt(e)`)."""
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
        return func.attr.value
    return None


def builds_error_result(func: cst.FunctionDef, functions: Dict[str, cst.FunctionDef], builders: Tuple[str, ...] = (),
                        depth: int = 2) -> bool:
    """Whether a same-file helper may produce a real error: it sets an error flag or raises,
    itself, through the same-file functions it calls (`depth` levels), or by calling a
    function of another module that does (`builders`, from the project model)."""
    def signals(node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Raise) or (isinstance(node, cst.Call) and (flagged(node) or dotted(node.func) in builders))

    if walk.find_own(func.body, signals):
        return True
    if depth <= 1:
        return False
    called = {c.func.value for c in walk.find_own(func.body, lambda n: isinstance(n, cst.Call) and isinstance(n.func, cst.Name))}
    return any(builds_error_result(functions[name], functions, builders, depth - 1) for name in called & functions.keys())


@dataclass
class Catch:
    """The `except` block the traversal is in: its function, bound name, caught types and the
    names it assigns (so `msg = f"Error: {e}"; return msg` is read through)."""

    function: Optional[cst.FunctionDef]
    name: Optional[str]
    types: Tuple[str, ...]
    assigned: Dict[str, cst.BaseExpression] = field(default_factory=dict)
    tried: Optional[cst.Try] = None  # the `try` statement the block handles
    quiet: Optional[bool] = None  # its body can catch no other system's text (MCP0405's `_quiet`), once asked
    dead: bool = False  # it catches only project exceptions that nothing raises: it never runs

    def only_catches(self, simple_names: Iterable[str]) -> bool:
        allowed = set(simple_names)
        return bool(self.types) and all(last_part(t) in allowed or STDLIB_BASES.get(t) in allowed for t in self.types)


def result_object(qualified: str) -> bool:
    """A class built to hold what is returned (`ProvisioningResult(success=False, message=f"... {e}")`):
    it keeps its arguments as they are. Not an exception class: raising is read apart."""
    last = last_part(qualified)
    return last[:1].isupper() and not last.endswith(("Error", "Exception", "Warning"))


class Reader:
    """Reads what a value built inside an `except` block carries to the client."""

    def __init__(self, model: McpModel, catch: Catch, functions: Optional[Dict[str, cst.FunctionDef]] = None):
        self.model = model
        self.catch = catch
        self.functions = functions or {}

    def _follow(self, expr: cst.Name, seen: frozenset, read: Callable) -> Optional[object]:
        value = self.catch.assigned.get(expr.value)
        if value is None or expr.value in seen:
            return None
        return read(value, seen | {expr.value})

    def _first(self, exprs: Iterable[cst.BaseExpression], seen: frozenset, read: Callable) -> Optional[object]:
        for expr in exprs:
            found = read(expr, seen)
            if found is not None:
                return found
        return None

    def detail(self, expr: cst.BaseExpression, seen: frozenset = frozenset()) -> Optional[cst.CSTNode]:
        """The sub-expression through which `expr` carries the caught exception's text (`e`,
        `str(e)`, `e.args`, `e.response.text`, a formatted traceback), else None. Attribute reads such as
        `e.response.status_code` and calls of arbitrary functions (which may sanitise) do not count."""
        name = self.catch.name
        if isinstance(expr, cst.Name):
            return expr if expr.value == name else self._follow(expr, seen, self.detail)
        if isinstance(expr, cst.Attribute):  # `e.args`, `e.message`, `e.response.text`: not `e.response.status_code`
            root = expr.value
            while isinstance(root, cst.Attribute):
                root = root.value
            carries = isinstance(root, cst.Name) and root.value == name and expr.attr.value in TEXT_ATTRIBUTES
            return expr if carries else None
        if isinstance(expr, cst.Subscript):
            return self.detail(expr.value, seen)
        if isinstance(expr, cst.FormattedString):
            parts = [p.expression for p in expr.parts if isinstance(p, cst.FormattedStringExpression)]
            return self._first(parts, seen, self.detail)
        if isinstance(expr, (cst.BinaryOperation, cst.ConcatenatedString, cst.BooleanOperation)):
            return self._first((expr.left, expr.right), seen, self.detail)  # `str(e) or type(e).__name__` too
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            return self._first((e.value for e in expr.elements), seen, self.detail)
        if isinstance(expr, cst.Dict):
            return self._first((e.value for e in expr.elements), seen, self.detail)
        if isinstance(expr, cst.Call):
            return self._call_detail(expr, seen)
        return None

    def _call_detail(self, call: cst.Call, seen: frozenset) -> Optional[cst.CSTNode]:
        qualified = self.model.qualify(call.func) or ""
        if qualified in TRACEBACK_FORMATTERS:
            return call
        args = [a.value for a in call.args]
        if qualified in STRING_WRAPPERS:
            return call if self._first(args[:1], seen, self.detail) is not None else None
        is_format = isinstance(call.func, cst.Attribute) and call.func.attr.value == "format"
        if is_format or last_part(qualified) in PASS_THROUGH_CALLS or result_object(qualified):
            return self._first(args, seen, self.detail)
        return None

    def error_value(self, expr: cst.BaseExpression, domain_output: bool, seen: frozenset = frozenset()) -> Optional[str]:
        """Why a returned value reads as a failure report (for the message), else None. A result
        that carries an error flag is a proper error result and never counts."""
        def read(e, s):
            return self.error_value(e, domain_output, s)

        if isinstance(expr, cst.Call):
            qualified = self.model.qualify(expr.func) or ""
            if qualified in TYPE_CASTS and len(expr.args) == 2:
                return read(expr.args[1].value, seen)  # `cast(T, message)`: the value itself
            last = last_part(qualified)
            if last in RESULT_TYPES and flagged(expr):
                return None
            func = expr.func
            if isinstance(func, cst.Attribute) and func.attr.value in SERIALIZERS and not expr.args:
                return read(func.value, seen)  # `ToolResult(success=False, ...).to_json()`: the object's report
            if result_object(qualified):  # `ToolResult(success=False, error_msg=...)`
                if domain_output:
                    return None  # the declared output type's own fields (MCP0405 reads what they carry)
                flag = next((k.keyword.value for k in expr.args if k.keyword is not None and k.keyword.value in ("success", "ok")
                             and is_false(k.value)), None)
                if flag is not None:
                    return f"`{last}(..., {flag}=False)`"
            helper = self.functions.get(own_callee(expr.func) or "")
            if helper is not None:
                return self._helper_reason(expr, helper, seen, read)
            if isinstance(expr.func, cst.Name) and expr.func.value in getattr(self.model.view, "quiet_helpers", ()):
                return self._formatter_reason(expr, expr.func.value, seen, read)  # imported, never signals an error
            if last in PASS_THROUGH_CALLS:
                keys = {a.keyword.value for a in expr.args if a.keyword is not None}
                if last == "dict" and keys & ERROR_KEYS and not domain_output:
                    return "a dict with an `error` key"
                return self._first((a.value for a in expr.args), seen, read)
        if isinstance(expr, (cst.List, cst.Tuple)):
            return self._first((e.value for e in expr.elements), seen, read)
        if isinstance(expr, cst.Dict):
            if domain_output or status_report(expr):
                return None  # the declared output schema has these fields on purpose
            return dict_reason(expr) or self._first((e.value for e in expr.elements), seen, read)
        if isinstance(expr, cst.Name) and expr.value != self.catch.name:
            return self._follow(expr, seen, read)
        found = self.detail(expr, seen)
        if found is not None:
            return f"a message built from `{short_code(found)}`"
        text = leading_text(expr)
        if text is not None and ERROR_TEXT.match(text.lstrip(" -*:[(\u274c\u26a0\ufe0f")):
            return f'the message "{text.strip()[:40]}"'
        return None

    def _helper_reason(self, call: cst.Call, helper: cst.FunctionDef, seen: frozenset, read: Callable) -> Optional[str]:
        """`return format_error_response(str(e))`: a same-file formatter that never sets an error
        flag nor raises turns whatever it is given into a successful result."""
        if builds_error_result(helper, self.functions, getattr(self.model.view, "error_builders", ())):
            return None
        return self._formatter_reason(call, helper.name.value, seen, read)

    def _formatter_reason(self, call: cst.Call, name: str, seen: frozenset, read: Callable) -> Optional[str]:
        """A helper that builds no error result, named for errors or given one: its value reads
        as a failure report."""
        lowered = name.lower()
        if "error" in lowered or "fail" in lowered or self._first((a.value for a in call.args), seen, read):
            return f"`{short_code(call)}` (a helper that builds no isError result)"
        return None


def leading_text(expr: cst.BaseExpression) -> Optional[str]:
    """The literal text a string expression starts with."""
    if isinstance(expr, cst.SimpleString):
        return string_value(expr)
    if isinstance(expr, cst.FormattedString):
        text = ""
        for part in expr.parts:
            if not isinstance(part, cst.FormattedStringText):
                break
            text += part.value
        return text
    if isinstance(expr, cst.ConcatenatedString):
        return leading_text(expr.left)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Modulo)):
        return leading_text(expr.left)
    return None


def status_report(expr: cst.Dict) -> bool:
    """`{"status": "unhealthy", "error": "..."}`: a status report (a health check's answer) whose
    `error` field describes what it observed."""
    statuses = [
        string_value(e.value) for e in expr.elements
        if isinstance(e, cst.DictElement) and string_value(e.key) == "status" and string_value(e.value) is not None
    ]
    return any(status.lower() not in ERROR_STATUSES for status in statuses)


def dict_reason(expr: cst.Dict) -> Optional[str]:
    """Why a dict literal reads as a failure report (an `error` key with a value, `"status":
    "error"`, `"success": False`), else None."""
    for element in expr.elements:
        if not isinstance(element, cst.DictElement):
            continue
        key = string_value(element.key)
        value = element.value
        if key in ERROR_KEYS and not (isinstance(value, cst.Name) and value.value in ("None", "False")):
            if string_value(value) != "":
                return f'a dict with an "{key}" key'
        if key == "status" and (string_value(value) or "").lower() in ERROR_STATUSES:
            return f'a dict with "status": "{string_value(value)}"'
        if key in ("success", "ok") and is_false(value):
            return f'a dict with "{key}": False'
    return None


def returns_domain_output(func: cst.FunctionDef) -> bool:
    """The tool declares its own output type (a model or TypedDict): an `error` field in it is
    part of the tool's documented result, not an error disguised as success."""
    if func.returns is None:
        return False
    return declares_output(func.returns.annotation)


def declares_output(annotation: cst.BaseExpression) -> bool:
    """A model of the tool's own (`SearchResult`), or a union holding one (`Union[MoveResponse,
    BulkMoveResponse]`, `dict[str, Any] | ErrorResponse`): not `str`, `dict`, `Any`, `CallToolResult`."""
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        members = [annotation.left, annotation.right]
    elif isinstance(annotation, cst.Subscript) and last_part(dotted(annotation.value)) in ("Union", "Optional"):
        members = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
    else:
        base = annotation.value if isinstance(annotation, cst.Subscript) else annotation
        name = dotted(base)
        return name is not None and last_part(name) not in GENERIC_RETURNS
    return any(declares_output(m) for m in members)  # `dict[str, Any] | ErrorResponse`: its error model is documented


class Returns(cst.CSTVisitor):
    """Every `return` of a function body (nested functions excluded) with the `except` block it
    is in, so each can be read with the caught exception's name."""

    def __init__(self, model: McpModel, function: cst.FunctionDef):
        self.model = model
        self.function = function
        self.catches: List[Catch] = []
        self.returns: List[Tuple[cst.Return, Catch]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.function

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        bound = node.name.name if node.name is not None else None
        name = bound.value if isinstance(bound, cst.Name) else None
        self.catches.append(Catch(self.function, name, caught_types(node, self.model)))

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler) -> None:
        self.catches.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.catches and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self.catches[-1].assigned[node.targets[0].target.value] = node.value

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.returns.append((node, self.catches[-1] if self.catches else Catch(self.function, None, ())))


def text_carried(value: cst.BaseExpression, function: cst.FunctionDef) -> cst.BaseExpression:
    """What `[TextContent(type="text", text=result)]` carries: the value `result` was bound to in
    the function (`result = await _dispatch_tool(name, arguments)`, a low-level server's
    dispatcher) or the text itself; any other value as it is."""
    if not (isinstance(value, (cst.List, cst.Tuple)) and len(value.elements) == 1 and isinstance(value.elements[0].value, cst.Call)):
        return value
    content = value.elements[0].value
    if not (dotted(content.func) or "").endswith("TextContent"):
        return value
    text = keyword(content, "text")
    if text is None:
        return value
    if not isinstance(text.value, cst.Name):
        return text.value
    bound = [a.value for a in walk.walk(function.body) if isinstance(a, cst.Assign) and len(a.targets) == 1
             and isinstance(a.targets[0].target, cst.Name) and a.targets[0].target.value == text.value.value]
    return bound[0] if len(bound) == 1 else value


def error_returns(function: cst.FunctionDef, model: McpModel, functions: Dict[str, cst.FunctionDef]) -> List[Tuple[cst.Return, str]]:
    """The returns of a (helper) function that read as failure reports, with why."""
    visitor = Returns(model, function)
    walk.visit(function, visitor)
    found = []
    for node, catch in visitor.returns:
        reason = Reader(model, catch, functions).error_value(node.value, False)
        if reason is not None:
            found.append((node, reason))
    return found

