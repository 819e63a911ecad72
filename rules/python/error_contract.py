"""Checklist item 4: typed error handling. A failed tool call reaches the model as an `isError`
result (never as a successful payload, never as a JSON-RPC protocol error), cancellation
propagates, and exception details stay on the server."""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Set, Tuple

import libcst as cst

from mcp_lint.python import branches, walk, web_tools
from mcp_lint.python.ancestry import path_to

from mcp_lint.literals import parse_int
from mcp_lint.model import Edit, Fix, Severity
from mcp_lint.python.error_values import (
    Catch, Reader, builds_error_result, error_returns, functions_by_name, is_false, own_callee, returns_domain_output, short_code,
    text_carried,
)
from mcp_lint.python.escapes import STR_METHODS, bookkeeping_call, catches_only, caught_types, escape_points, plain_safe_call, suspends
from mcp_lint.python.mcp_model import ToolCode
from mcp_lint.python.names import dotted, keyword, last_part, positional, through_thread_pool
from mcp_lint.python.splats import splat_keywords
from mcp_lint.python.tasks import drains_cancelled_task, stops_loop_on_cancel
from mcp_lint.rule import Invalid, PythonRule, Valid

# The SDK's protocol-error class -> who defines it: "1" (mcp 1.x McpError), "2" (mcp 2.x MCPError),
# "fastmcp" (fastmcp re-exports the SDK class under both names).
MCP_ERRORS = {
    "mcp.McpError": "1",
    "mcp.shared.exceptions.McpError": "1",
    "mcp.MCPError": "2",
    "mcp.shared.exceptions.MCPError": "2",
    "fastmcp.exceptions.McpError": "fastmcp",
    "fastmcp.exceptions.MCPError": "fastmcp",
}
HTTP_EXCEPTIONS = {"fastapi.HTTPException", "fastapi.exceptions.HTTPException", "starlette.exceptions.HTTPException"}
# JSON-RPC codes by value; anything else inside -32768..-32000 is reserved too.
CODE_NAMES = {
    -32700: "PARSE_ERROR",
    -32600: "INVALID_REQUEST",
    -32601: "METHOD_NOT_FOUND",
    -32602: "INVALID_PARAMS",
    -32603: "INTERNAL_ERROR",
    -32042: "URL_ELICITATION_REQUIRED",
    -32021: "MISSING_REQUIRED_CLIENT_CAPABILITY",
}
# These codes tell the client the request itself cannot be served: a protocol error is right.
PROTOCOL_ONLY_CODES = {"URL_ELICITATION_REQUIRED", "MISSING_REQUIRED_CLIENT_CAPABILITY"}
# Codes that describe how a call went (the spec wants argument failures as isError results too).
APP_FAILURE_CODES = {"INTERNAL_ERROR", "INVALID_PARAMS"}

_HELPER_REPORTS = 10  # related locations per helper whose failure reports a tool hands on
CANCELLATION = {
    "BaseException",
    "asyncio.CancelledError",
    "asyncio.exceptions.CancelledError",
    "anyio.get_cancelled_exc_class()",
    "trio.Cancelled",
}
# fastmcp re-raises its own exceptions verbatim; only other exceptions are masked.
FASTMCP_UNMASKED = {"ToolError", "ValidationError", "ResourceError", "PromptError", "NotFoundError", "AuthorizationError"}


# -- shared helpers --------------------------------------------------------------------------


def _where(code: ToolCode) -> str:
    """Like `ToolCode.where`, but names a low-level dispatcher (tool name "*") by its function."""
    handler = code.handler
    owner = f"tool `{handler.tool_name}`" if handler.is_named_tool else f"call_tool handler `{handler.function.name.value}`"
    return f"helper `{code.function.name.value}` called by {owner}" if code.is_helper else owner


def _except_label(types: Tuple[str, ...]) -> str:
    if not types:
        return "`except:`"
    shown = types[0] if len(types) == 1 else f"({', '.join(types)})"
    return f"`except {shown}`"


def _error_fields(call: cst.Call) -> Tuple[Optional[cst.BaseExpression], Optional[cst.BaseExpression]]:
    """(code, message) of `McpError(ErrorData(code, message))` (1.x) or `MCPError(code, message)` (2.x)."""
    first = positional(call, 0)
    source = call
    if first is not None and isinstance(first.value, cst.Call) and last_part(dotted(first.value.func)) == "ErrorData":
        source = first.value
    arg_code = keyword(source, "code") or positional(source, 0)
    arg_message = keyword(source, "message") or positional(source, 1)
    return (arg_code.value if arg_code else None, arg_message.value if arg_message else None)


def _int_value(expr: cst.BaseExpression) -> Optional[int]:
    if isinstance(expr, cst.Integer):
        return parse_int(expr.value)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus) and isinstance(expr.expression, cst.Integer):
        value = parse_int(expr.expression.value)
        return -value if value is not None else None
    return None


def _code_label(expr: Optional[cst.BaseExpression]) -> Tuple[Optional[str], bool]:
    """The error code's name (or number) and whether it lies outside the reserved JSON-RPC range."""
    if expr is None:
        return None, False
    number = _int_value(expr)
    if number is not None:
        return CODE_NAMES.get(number, str(number)), not -32768 <= number <= -32000
    name = last_part(dotted(expr))
    return (name or None), False


class _ExceptAware(PythonRule):
    """Base for rules that need the `except` block the traversal is in (in the current function)."""

    def __init__(self, ctx):
        super().__init__(ctx)
        self._catches: List[Catch] = []
        self._tries: List[cst.Try] = []

    def visit_Try(self, node: cst.Try) -> None:
        self._tries.append(node)

    def leave_Try(self, original_node: cst.Try) -> None:
        self._tries.pop()

    def reader(self, catch: Catch) -> Reader:
        return Reader(self.model, catch, self._functions_of_file())

    def _functions_of_file(self) -> Dict[str, cst.FunctionDef]:
        """Built on first use (most files never need it) and shared through the model's memo."""
        return functions_by_name(self.model, self.ctx.document.module)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        bound = node.name.name if node.name is not None else None
        name = bound.value if isinstance(bound, cst.Name) else None
        tried = self._tries[-1] if self._tries else None
        dead = catches_only(node, self.model.view.unraised_exceptions)
        self._catches.append(Catch(self.ctx.current_function, name, caught_types(node, self.model), tried=tried, dead=dead))

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler) -> None:
        self._catches.pop()

    def report(self, node: cst.CSTNode, message: Optional[str] = None, **details) -> None:
        if not any(catch.dead for catch in self._catches):  # code in a dead `except` never runs
            super().report(node, message, **details)

    def visit_Assign(self, node: cst.Assign) -> None:
        catch = self.catch
        if catch is not None and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            catch.assigned[node.targets[0].target.value] = node.value

    @property
    def catch(self) -> Optional[Catch]:
        """The innermost `except` block, unless a nested function was entered since."""
        if self._catches and self._catches[-1].function is self.ctx.current_function:
            return self._catches[-1]
        return None

    def returning_tool(self) -> Optional[ToolCode]:
        """The tool handler whose own body the traversal is in, or a helper whose value the tool
        returns as its result (`return await upload_data_impl(...)`): its `return` reaches the client."""
        code = self.ctx.tool_code
        if code is None or (code.is_helper and not code.returns_result) or code.function is not self.ctx.current_function:
            return None
        return code


# A dispatcher's answer to a tool name it does not know: the request itself is wrong.
_UNKNOWN_TOOL = re.compile(r"unknown tool|tool not found|no such tool|invalid tool name|tool .{0,20} not found", re.IGNORECASE)


def _fastmcp_unmasked(name: str) -> bool:
    return last_part(name) in FASTMCP_UNMASKED


CLIENT_LOG_METHODS = {"error", "warning", "info", "debug", "log", "report_progress"}


# -- MCP0401 ---------------------------------------------------------------------------------


# A class-based server whose tools answer failures through a method (`{returns}`, `{result}`).
DISPATCHING_HANDLER = """
            from mcp.server import Server
            from mcp.types import TextContent

            server = Server("ipa")

            async def _dispatch(name: str, args: dict) -> str:
                try:
                    return await run_command(name, args)
                except Exception as exc:
                    {failed}

            @server.call_tool()
            async def handle(name: str, arguments: dict | None) -> list[TextContent]:
                result = await _dispatch(name, arguments or {{}})
                return [TextContent(type="text", text=result)]
"""
NOTES_SERVER = """\
from mcp.server.fastmcp import FastMCP

class NotesServer:
    def __init__(self):
        self.mcp = FastMCP("notes")
        self._register_tools()

    def format_error_response(self, error: Exception) -> {returns}:
        return {result}

    def _register_tools(self) -> None:
        @self.mcp.tool()
        def create_note(title: str) -> str:
            try:
                return store.create(title)
            except Exception as e:
                return self.format_error_response(e)
"""


# A tool module of the okctl package (oceanbase/mcp-oceanbase) whose tool returns what an imported
# formatter makes of the exception; the formatter lives in `okctl/errors.py`.
OKCTL_TOOLS = """
            import subprocess
            from okctl.errors import format_error
            from okctl.server import mcp

            @mcp.tool()
            def list_clusters() -> str:
                try:
                    return subprocess.run(["okctl", "cluster", "list"], capture_output=True, text=True, check=True).stdout
                except subprocess.CalledProcessError as e:
                    return format_error(e)
            """
# A registrar module (lamaalrajih/kicad-mcp's validation tools); `registrar_server(call)` is the
# server module, calling the registrar or not.
REGISTRAR_TOOLS = """
from mcp.server.fastmcp import FastMCP

def register_validation_tools(mcp: FastMCP) -> None:
    @mcp.tool()
    def validate(path: str) -> str:
        try:
            return check(path)
        except Exception as e:
            return f"Error: {e}"
"""


def registrar_server(call: str) -> dict:
    return {
        "kicad/__init__.py": "",
        "kicad/server.py": "from mcp.server.fastmcp import FastMCP\nfrom kicad.project import register_project_tools\n"
                           f"mcp = FastMCP('kicad')\nregister_project_tools(mcp)\n{call}\n",
        "kicad/project.py": "def register_project_tools(mcp):\n    @mcp.tool()\n    def open_project(path: str) -> str:\n        return path\n",
    }


OKCTL_PACKAGE = {"okctl/__init__.py": "", "okctl/server.py": "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('okctl')\n"}


# A project decorator for tools, whose wrapper recovers from any exception by RECOVERY, and two
# tools under it.
WRAPPING_DECORATOR = """
    import functools
    from typing import cast
    from mcp.server.fastmcp.exceptions import ToolError

    def handle_exceptions(func):
        @functools.wraps(func)
        async def wrapper(*args, **kwargs):
            try:
                return await func(*args, **kwargs)
            except Exception as e:
                RECOVERY

        return wrapper
"""
WRAPPED_TOOLS = (
    "from mcp.server.fastmcp import FastMCP\nfrom ddb.common import handle_exceptions\n\nmcp = FastMCP('ddb')\n\n\n"
    "@mcp.tool()\n@handle_exceptions\nasync def get_item(table: str, key: str) -> dict:\n    return await client.get(table, key)\n\n\n"
    "@mcp.tool()\n@handle_exceptions\nasync def put_item(table: str, item: dict) -> dict:\n    return await client.put(table, item)\n"
)


IMPORTED_BUILDER = """\
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("p")

@mcp.tool()
def run(command: str):
    from pkg.tools import core as tools_core

    def bad_input(cause: str):
        return tools_core.validation_error(cause)

    try:
        verb = parse(command)
    except ValueError as e:
        return bad_input(str(e))
    return verb
"""
BUILDER = """\
from mcp.types import CallToolResult, TextContent

def validation_error(body: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=body)]{flag})
"""

MEASURE_TOOL = """
from mcp.server.fastmcp import FastMCP
from pkg.core import run_code

mcp = FastMCP("cad")


def _measure(doc: str, fail_prefix: str):
    return run_code(f"measure({doc!r})", fail_prefix)


@mcp.tool()
def measure(doc: str):
    return _measure(doc, "Failed to measure")
"""
UPLOAD_IMPL = """
from pathlib import Path


async def upload_impl(name: str) -> dict:
    try:
        Path(name).write_text("x")
    except OSError as exc:
        return {"status": "error", "message": f"Failed to write file: {exc}"}
    return {"status": "ok"}
"""
UPLOAD_TOOL = """
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from pkg.files import upload_impl

mcp = FastMCP("files")


@mcp.tool()
async def upload(name: str) -> dict:
    {body}
"""
# A result object of the project with a success flag, sent as JSON (mcp-server-jupyter).
RESULT_OBJECT = """
from dataclasses import asdict, dataclass
import json

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("files")


@dataclass
class ToolResult:
    success: bool
    data: object = None
    error_msg: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self))


@mcp.tool()
def upload_file(path: str, content: str) -> {returns}:
    try:
        write(path, content)
    except OSError as e:
        return ToolResult(success={flag}, error_msg=str(e)){serialize}
    return ToolResult(success=True, data=path){serialize}
"""
DECLARED_RESULT = RESULT_OBJECT.format(returns="UploadResult", flag="False", serialize="").replace("ToolResult", "UploadResult")
ERROR_BUILDER = """
def make_error(message: str) -> dict:
    return {"success": False, "error": message}
"""
BUILDER_TOOL = """
from mcp.server.fastmcp import FastMCP
{imports}

mcp = FastMCP("items")


@mcp.tool()
def get_item(item_id: str) -> dict:
    if not item_id:
        return {call}("item_id is required")
    return {{"id": item_id}}
"""
FETCH_HELPER_TOOL = """
import httpx
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("items")


def fetch_item(item_id: str) -> dict:
    try:
        return httpx.get(f"https://api.example.com/{item_id}").json()
    except httpx.HTTPError as exc:
        return {"error": str(exc)}


@mcp.tool()
def get_item(item_id: str) -> dict:
    return fetch_item(item_id)
"""
LOWLEVEL_REGISTRAR = """
from mcp.server import Server
from mcp.types import TextContent

def configure_core_tools(server: Server) -> None:
    @server.call_tool()
    async def list_projects({params}) -> list:
        if not arguments.get("org"):
            return [TextContent(type="text", text="Error: org is required")]
        return [TextContent(type="text", text="ok")]
"""
LOWLEVEL_MAIN = """
from mcp.server import Server
from ado.tools.core import configure_core_tools

server = Server("ado")
configure_core_tools(server)
"""


class ErrorReturnedAsSuccess(_ExceptAware):
    """
    ## What it does
    Flags a tool handler that returns a failure report as an ordinary result: from an `except`
    block, a string starting with "Error"/"Failed", a value built from the caught exception
    (`str(e)`, `f"...{e}"`, a traceback), a dict with an `"error"` key, `"status": "error"` or
    `"success": False`, `json.dumps({...})` of such a dict, or `[TextContent(text=...)]` /
    `CallToolResult(content=...)` carrying one without an error flag. Outside `except` blocks
    (validation branches such as `if b == 0: return {"error": ...}`, the "Unknown tool" fallback of
    a low-level dispatcher) the same literal reports count. A tool that returns what a same-file
    helper returns (`return helper(x)`, `return await asyncio.to_thread(helper, x)`, or a low-level
    handler's `result = await dispatch(name, arguments)` returned as `[TextContent(text=result)]`) is reported
    when that helper returns such a report, and so is the report a formatter builds without an
    error flag: a same-file function or method (`return self.format_error_response(e)`), or a
    function imported from another module of the project that neither raises nor sets an error
    flag, itself or through the functions of its module it calls (`return format_error(e)`).
    A same-file formatter that calls an error builder of another module (one that raises or sets
    the flag: `return tools_core.validation_error(body)`, through a module alias too) builds an
    error result. A decorator of the project stacked on tools (`@mcp.tool()` over `@handle_exceptions`) is
    checked as the tools it wraps: what its inner wrapper returns is what their clients get
    (one finding per decorator, naming the tools). `typing.cast(T, value)` returns the value.
    One finding per tool, at its first such return; the
    others (nested or sibling `try` blocks) are listed as related locations.

    Fallback values unrelated to an error (`return []` after a cache miss, "Errors found: 3"),
    `CallToolResult(isError=True)` / `is_error=True`, fastmcp `ToolResult(..., is_error=True)`,
    raising `ToolError`, and helpers that no tool passes through are not reported. A dict return
    is not reported when the tool declares its own output type (`-> SearchResult`, also a union of
    such types: `-> SuccessResponse | ErrorResponse`): an error field
    there is part of the documented schema. A helper of any module whose value a tool returns
    unchanged (`return await upload_data_impl(...)`, through such helpers too) is checked as the
    tool is: its returns are the tool's result (reported in the helper, naming the tool), unless
    the tool's own finding already names it (a same-file helper, or an error builder such as
    `make_error` that the tool returns by name). Nor is
    anything in an `except` that catches only exception classes of the project that no code
    of it raises (see MCP0402): that block never runs. A low-level `call_tool` handler that cannot
    take `(name, arguments)` (`async def list_projects(arguments)`) never runs: the SDK's call
    fails with a TypeError before its body.

    ## Why is this bad?
    The client receives `isError: false`. Agents and hosts that branch on the flag treat the
    failure as data: they cache it, summarise it, or chain the next tool on it, and monitoring
    that counts failed calls sees none.

    ## Example
    ```python
    @mcp.tool()
    async def execute_sql(sql: str) -> str:
        try:
            return format_rows(await db.fetch(sql))
        except Exception as e:
            return f"Error: {e}"
    ```

    ## Use instead
    ```python
    from mcp.server.fastmcp.exceptions import ToolError  # fastmcp: fastmcp.exceptions

    @mcp.tool()
    async def execute_sql(sql: str) -> str:
        try:
            return format_rows(await db.fetch(sql))
        except asyncpg.PostgresError as e:
            logger.exception("query failed")
            raise ToolError("The query failed; check the SQL syntax and table names.") from e
    ```
    A low-level `call_tool` handler returns `CallToolResult(content=[...], isError=True)`
    (`is_error=True` in mcp 2.x).
    """

    code = "MCP0401"
    needs = ("tool handler",)  # reports returns of tool handlers only
    name = "error-returned-as-success"
    item = 4
    severity = Severity.WARNING
    summary = "Tool returns an error as a successful result"
    fix_hint = (
        "Raise ToolError (mcp.server.fastmcp.exceptions / mcp.server.mcpserver.exceptions / fastmcp.exceptions) "
        "with a user-facing message, or return CallToolResult(..., isError=True) (is_error=True in mcp 2.x)."
    )
    requires = ("return",)

    def __init__(self, ctx):
        super().__init__(ctx)
        # handler -> (return, why, where) in source order; reported once per handler, so nested or
        # sibling `try` blocks of one tool count once (the rest become related locations).
        self.found: Dict[cst.FunctionDef, List[Tuple[cst.Return, str, str]]] = {}
        self._by_tool: Dict[str, List[Tuple[ToolCode, List[Tuple[cst.Return, str, str]]]]] = {}
        self._helper_returns: Dict[cst.FunctionDef, List[Tuple[cst.Return, str]]] = {}
        # (tool, same-file helper) pairs whose call the tool's own report reads (`return make_error(...)`).
        self._read_at_call: Set[Tuple[str, cst.FunctionDef]] = set()

    def visit_Return(self, node: cst.Return) -> None:
        code = self.returning_tool()
        if code is None or node.value is None:
            return
        catch = self.catch
        domain = returns_domain_output(code.function) or code.declared_output
        if catch is not None:
            reason = self.reader(catch).error_value(node.value, domain)
            where = f"from {_except_label(catch.types)}"
        else:
            # Outside `except`: a validation branch or an "unknown tool" fallback. Only literal
            # failure reports count here: there is no caught exception to read.
            reason = self.reader(Catch(code.function, None, ())).error_value(node.value, domain)
            where = "outside any `except`"
        if reason is None:
            reason = self._passed_through(node.value, domain, code.function)
            where = "" if reason is None else where
        if reason is not None:
            self.found.setdefault(code.function, []).append((node, reason, where))

    def _passed_through(self, value: cst.BaseExpression, domain: bool, function: cst.FunctionDef) -> Optional[str]:
        """`return helper(...)` / `return await asyncio.to_thread(helper, ...)` where a same-file
        helper returns a failure report: the tool hands it on as its own successful result.
        Helpers in other modules are not followed (the per-file model does not resolve them)."""
        if domain:
            return None
        helper = self._helper_called(value, function)
        if helper is None:
            return None
        returns = error_returns(helper, self.model, self._functions_of_file())
        if not returns:
            return None
        self._helper_returns[helper] = returns
        _, reason = returns[0]
        return f"what helper `{helper.name.value}` returns ({reason})"

    def _helper_called(self, value: cst.BaseExpression, function: cst.FunctionDef) -> Optional[cst.FunctionDef]:
        value = text_carried(value, function)
        call = value.expression if isinstance(value, cst.Await) else value
        if not isinstance(call, cst.Call):
            return None
        target, _ = through_thread_pool(call)  # `await asyncio.to_thread(helper, q)` returns what helper returns
        if not isinstance(target, cst.Name):
            return None
        helper = self._functions_of_file().get(target.value)
        if helper is None or helper in self.model.handlers:
            return None
        return helper

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        found = self.found.pop(original_node, None)
        if not found:
            return
        code = self.model.tool_code[original_node]
        if code.is_helper:  # the tool's result helpers in this file: one finding for them all (leave_Module)
            if not self._read_by_callers(code):
                self._by_tool.setdefault(code.handler.tool_name, []).append((code, found))
            return
        self._read_at_call.update((code.handler.tool_name, helper) for helper in (
            self._helper_called(node.value, code.function) for node, _, _ in found) if helper is not None)
        self._report_returns(code, found, "in this tool")

    def _read_by_callers(self, code: ToolCode) -> bool:
        """A result helper whose callers' files report its calls themselves: named for errors,
        building no error result, and returned only by calls that name it (the caller reads
        `return make_error(...)` as the failure report)."""
        name = code.function.name.value.lower()
        return code.returned_by_name and ("error" in name or "fail" in name) and not builds_error_result(
            code.function, self._functions_of_file(), getattr(self.model.view, "error_builders", ()))

    def leave_Module(self, original_node: cst.Module) -> None:
        for tool, helpers in self._by_tool.items():
            helpers = [(code, found) for code, found in helpers if (tool, code.function) not in self._read_at_call]
            if helpers:
                code = helpers[0][0]
                scope = "in this tool" if len(helpers) == 1 else "in its helpers here"
                self._report_returns(code, [item for _, found in helpers for item in found], scope)

    def _report_returns(self, code: ToolCode, found: List[Tuple[cst.Return, str, str]], scope: str) -> None:
        node, reason, where = found[0]
        doc = self.ctx.document
        related = [doc.location(other, "also returned as a successful result") for other, _, _ in found[1:]]
        # Where the same-file helpers these returns hand on build their failure reports.
        helpers = dict.fromkeys(h for h in (self._helper_called(n.value, code.function) for n, _, _ in found) if h in self._helper_returns)
        for helper in helpers:
            related.extend(doc.location(r, f"the failure report of helper `{helper.name.value}`")
                           for r, _ in self._helper_returns[helper][:_HELPER_REPORTS])
        more = f" ({len(found) - 1} more such return{'s' if len(found) > 2 else ''} {scope})" if len(found) > 1 else ""
        self.report(
            node,
            f"{_where(code)} returns {reason}{' ' + where if where else ''} as a successful result: "
            f"the client sees isError=false{more}",
            related=related,
        )

    VALID = [
        # ... whose dispatcher raises: the SDK sets isError.
        Valid(DISPATCHING_HANDLER.format(failed='raise RuntimeError(f"{name} failed") from exc')),
        # A nested helper returns what an error builder of another module makes (precis-mcp).
        Valid(IMPORTED_BUILDER, path="pkg/server.py", files={"pkg/__init__.py": "", "pkg/tools/__init__.py": "",
                                                             "pkg/tools/core.py": BUILDER.format(flag=", isError=True")}),
        Valid(IMPORTED_BUILDER.replace("import core as tools_core", "import core").replace("from pkg.tools import core", "from pkg.tools.core import validation_error")
              .replace("tools_core.validation_error", "validation_error"), path="pkg/server.py",
              files={"pkg/__init__.py": "", "pkg/tools/__init__.py": "", "pkg/tools/core.py": BUILDER.format(flag=", isError=True")}),
        Valid(NOTES_SERVER.format(returns="CallToolResult", result='CallToolResult(content=[], isError=True)')),  # a flagged result
        Valid(
            """
            from mcp.server.fastmcp import FastMCP
            from mcp.server.fastmcp.exceptions import ToolError

            mcp = FastMCP("db")

            @mcp.tool()
            async def get_user(user_id: int) -> str:
                try:
                    return await lookup(user_id)
                except KeyError as e:
                    raise ToolError("Not found") from e
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP
            from mcp.types import CallToolResult, TextContent

            mcp = FastMCP("db")

            @mcp.tool()
            async def query(sql: str) -> CallToolResult:
                try:
                    rows = await run(sql)
                except Exception as e:
                    return CallToolResult(content=[TextContent(type="text", text="Error: query failed")], isError=True)
                if not rows:
                    return CallToolResult(content=[TextContent(type="text", text="Errors found: none")])
                return CallToolResult(content=[TextContent(type="text", text=str(rows))])
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.tools.tool import ToolResult

            mcp = FastMCP("cache")

            @mcp.tool
            def recent(key: str) -> list:
                try:
                    return CACHE[key]
                except KeyError:
                    return []

            @mcp.tool
            def health() -> dict:
                try:
                    return {"status": "healthy", "version": ping()}
                except ConnectionError as e:
                    return {"status": "unhealthy", "error": str(e)}

            @mcp.tool
            def remote(key: str) -> ToolResult:
                try:
                    return ToolResult(content=fetch(key))
                except OSError as e:
                    return ToolResult(content=f"Error: upstream unavailable", is_error=True)
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def read(path: str) -> str:
                return _load(path)

            def _load(path):
                try:
                    return open(path).read()
                except OSError as e:
                    raise ToolError("cannot read the file") from e

            def _fallback(path):
                try:
                    return open(path).read()
                except OSError as e:
                    return f"Error: {e}"

            def parse(text):
                try:
                    return int(text)
                except ValueError as e:
                    return {"error": str(e)}
            """
        ),
        Valid(
            """
            from pydantic import BaseModel
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("search")

            class SearchResult(BaseModel):
                hits: list[str] = []
                error: str | None = None

            @server.tool()
            async def search(q: str) -> SearchResult:
                try:
                    return SearchResult(hits=await backend(q))
                except TimeoutError:
                    return {"hits": [], "error": "search backend timed out"}
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            async def run(cmd: str) -> str:
                try:
                    out = await execute(cmd)
                except FileNotFoundError:
                    out = ""

                def fmt(e):
                    try:
                        return str(e)
                    except Exception as err:
                        return f"Error: {err}"
                formatted = fmt(out)
                return formatted
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP
            from mcp.types import CallToolResult, TextContent

            mcp = FastMCP("svc")

            def error_result(message: str) -> CallToolResult:
                return CallToolResult(content=[TextContent(type="text", text=message)], isError=True)

            @mcp.tool()
            async def sync(repo: str) -> CallToolResult:
                try:
                    await pull(repo)
                except Exception as e:
                    return error_result(f"Error: sync of {repo} failed")
                return CallToolResult(content=[TextContent(type="text", text="ok")])
            """
        ),
        Valid(  # a registrar nothing calls, imports or names: its tools are never registered
            REGISTRAR_TOOLS, path="kicad/validation.py", files=registrar_server("")),
        Valid(  # the imported helper raises, or builds a flagged result through a helper of its module
            OKCTL_TOOLS,
            path="okctl/tools.py",
            files={
                **OKCTL_PACKAGE,
                "okctl/errors.py": "def format_error(e):\n    return _flagged(f'failed: {e}')\n\n"
                                   "def _flagged(text):\n    return CallToolResult(content=[text], isError=True)\n",
            },
        ),
        Valid(
            OKCTL_TOOLS,
            path="okctl/tools.py",
            files={
                **OKCTL_PACKAGE,
                "okctl/errors.py": "def format_error(e):\n    raise ToolError('the command failed') from e\n",
            },
        ),
        Valid(  # a decorator whose wrapper raises the tool error: the client sees isError=true
            WRAPPING_DECORATOR.replace("RECOVERY", 'raise ToolError("the table call failed") from e'),
            path="ddb/common.py",
            files={"ddb/__init__.py": "", "ddb/server.py": WRAPPED_TOOLS},
        ),
        # A formatter whose helper of a third module builds the flagged result (freecad-mcp's
        # `_run_code` returning `tool_fail(...)`): an error result, whatever text it is given.
        Valid(MEASURE_TOOL, path="pkg/server.py", files={
            "pkg/__init__.py": "",
            "pkg/responses.py": "from mcp.types import CallToolResult, TextContent\n\n\ndef tool_fail(text):\n"
                                "    return CallToolResult(content=[TextContent(type='text', text=text)], isError=True)\n",
            "pkg/core.py": "from pkg.responses import tool_fail\n\n\ndef run_code(code, fail_prefix):\n    try:\n        return execute(code)\n"
                           "    except Exception as e:\n        return tool_fail(f'{fail_prefix}: {e}')\n"}),
        # ... nor when the tool declares its own output type, whose fields the report fills (prefect's `-> FlowRunsResult`).
        Valid(UPLOAD_IMPL, path="pkg/files.py", files={"pkg/__init__.py": "", "pkg/server.py": UPLOAD_TOOL.format(
            body="return await upload_impl(name)").replace("-> dict:", "-> UploadResult:")}),
        # ... not when the tool reads the helper's report and raises on a failure.
        Valid(UPLOAD_IMPL, path="pkg/files.py", files={"pkg/__init__.py": "", "pkg/server.py": UPLOAD_TOOL.format(
            body='result = await upload_impl(name)\n    if result["status"] == "error":\n        raise ToolError(result["message"])\n    return result')}),
        # The SDK calls a call_tool handler with (name, arguments): one that takes only the
        # arguments fails with a TypeError before its body runs (Azure-devops-mcp-python).
        Valid(LOWLEVEL_REGISTRAR.format(params="arguments: dict"), path="ado/tools/core.py",
              files={"ado/__init__.py": "", "ado/tools/__init__.py": "", "ado/main.py": LOWLEVEL_MAIN}),
        Valid(RESULT_OBJECT.format(returns="str", flag="True", serialize=".to_json()").replace("error_msg=str(e)", "data=None")),
        Valid(RESULT_OBJECT.format(returns="ToolResult", flag="False", serialize="").replace("ToolResult", "UploadResult")),  # the declared output type
        Valid(RESULT_OBJECT.format(returns="Union[UploadResult, None]", flag="False", serialize="").replace("ToolResult", "UploadResult")),
        Valid(RESULT_OBJECT.format(returns="UploadResult | dict", flag="False", serialize="").replace("ToolResult", "UploadResult").replace(" | dict", " | UploadResult")),
        # An error builder the tool returns by name: the tool's own file reports that return, not the builder's body too.
        Valid(ERROR_BUILDER, path="pkg/errors.py", files={"pkg/__init__.py": "", "pkg/server.py": BUILDER_TOOL.format(
            imports="from pkg.errors import make_error", call="make_error")}),
    ]
    INVALID = [
        Invalid(RESULT_OBJECT.format(returns="str", flag="False", serialize=".to_json()"), line=24, message="`ToolResult(..., success=False)`"),
        Invalid(RESULT_OBJECT.format(returns="dict", flag="False", serialize=".model_dump()"), line=24),
        Invalid(RESULT_OBJECT.format(returns="Union[dict, str]", flag="False", serialize=".model_dump()"), line=24),  # generic members
        Invalid(RESULT_OBJECT.format(returns="TextContent | EmbeddedResource", flag="False", serialize=".to_json()"), line=24),  # SDK content types
        # ... but the builder's body is the report when the call names it through its module (the caller does not read it).
        Invalid(ERROR_BUILDER, path="pkg/errors.py", line=2, files={"pkg/__init__.py": "", "pkg/server.py": BUILDER_TOOL.format(
            imports="from pkg import errors", call="errors.make_error")}),
        # One finding for a same-file builder or helper: at the tool's return, the helper's report related.
        Invalid(ERROR_BUILDER + BUILDER_TOOL.format(imports="", call="make_error"), line=13, count=1),
        Invalid(FETCH_HELPER_TOOL, line=16, count=1, message="returns what helper `fetch_item` returns"),
        # A helper of another module whose value the tool returns as its result (matlab-mcp-server-python).
        Invalid(UPLOAD_IMPL, path="pkg/files.py", line=8, message="helper `upload_impl` called by tool `upload` returns",
                files={"pkg/__init__.py": "", "pkg/server.py": UPLOAD_TOOL.format(body="return await upload_impl(name)")}),
        Invalid(LOWLEVEL_REGISTRAR.format(params="name: str, arguments: dict"), path="ado/tools/core.py", line=8,
                files={"ado/__init__.py": "", "ado/tools/__init__.py": "", "ado/main.py": LOWLEVEL_MAIN}),
        # The same builder without the error flag: a plain result.
        Invalid(IMPORTED_BUILDER, path="pkg/server.py", line=15, files={"pkg/__init__.py": "", "pkg/tools/__init__.py": "",
                                                                       "pkg/tools/core.py": BUILDER.format(flag="")}),
        Invalid(  # a decorator of the project stacked on the tools: its wrapper's return is theirs (awslabs)
            WRAPPING_DECORATOR.replace("RECOVERY", 'return {"error": str(e)}'),
            path="ddb/common.py", line=11, message="tool `get_item` and 1 other tool(s) through `@handle_exceptions`",
            files={"ddb/__init__.py": "", "ddb/server.py": WRAPPED_TOOLS},
        ),
        Invalid(  # ... made by a decorator factory (`@recover("ddb")`)
            """
            import functools

            def recover(label):
                def decorate(func):
                    @functools.wraps(func)
                    async def wrapper(*args, **kwargs):
                        try:
                            return await func(*args, **kwargs)
                        except Exception as e:
                            return {"error": f"{label}: {e}"}
                    return wrapper
                return decorate
            """,
            path="ddb/common.py", line=10, message="through `@recover`",
            files={"ddb/__init__.py": "", "ddb/server.py": WRAPPED_TOOLS.replace("@handle_exceptions", '@recover("ddb")').replace("import handle_exceptions", "import recover")},
        ),
        Invalid(  # ... through `typing.cast` (zenml's `return cast(T, _make_error_result(...))`)
            WRAPPING_DECORATOR.replace("RECOVERY", 'return cast(dict, {"error": str(e)})'),
            path="ddb/common.py", line=11, message='a dict with an "error" key',
            files={"ddb/__init__.py": "", "ddb/server.py": WRAPPED_TOOLS},
        ),
        Invalid(  # the same registrar, called by the server
            REGISTRAR_TOOLS, path="kicad/validation.py", line=9, message="tool `validate`",
            files={**registrar_server("from kicad.validation import register_validation_tools\nregister_validation_tools(mcp)")},
        ),
        Invalid(  # ... or only named, in a list the server loops over
            REGISTRAR_TOOLS, path="kicad/validation.py", line=9, message="tool `validate`",
            files=registrar_server("import kicad.validation as v\nfor register in [v.register_validation_tools]:\n    register(mcp)"),
        ),
        Invalid(  # a formatter imported from another module of the project (oceanbase okctl)
            OKCTL_TOOLS,
            path="okctl/tools.py",
            files={
                **OKCTL_PACKAGE,
                "okctl/errors.py": "def format_error(e):\n    return f'failed: {e}'\n",
            },
            line=10,
            message="`format_error(e)` (a helper that builds no isError result)",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("postgres-mcp")

            @mcp.tool(description="Run a read-only query")
            async def execute_sql(sql: str) -> str:
                try:
                    rows = await pool.fetch(sql)
                    return format_rows(rows)
                except Exception as e:
                    return f"Error: {e}"
            """,
            line=11,
            message="tool `execute_sql` returns a message built from `e`",
        ),
        Invalid(
            """
            import json
            from fastmcp import FastMCP as F

            app = F("clickhouse")

            @app.tool(name="run_select")
            def run_select_query(query: str):
                try:
                    return client.query(query).result_rows
                except Exception as err:
                    logger.error("query failed")
                    return {"status": "error", "message": "Query failed"}

            @app.tool
            def list_tables(db: str):
                try:
                    return json.dumps(client.tables(db))
                except Exception as err:
                    msg = f"Failed to list tables: {err}"
                    return json.dumps({"error": msg})
            """,
            count=2,
            message='"status": "error"',
        ),
        Invalid(
            """
            from mcp.server import Server
            from mcp.types import TextContent

            server = Server("fetch")

            @server.call_tool()
            async def call_tool(name, arguments):
                try:
                    return [TextContent(type="text", text=await fetch(arguments["url"]))]
                except Exception as e:
                    return [TextContent(type="text", text=str(e))]
            """,
            line=11,
            message="call_tool handler `call_tool`",
        ),
        Invalid(
            """
            def register(mcp):
                @mcp.tool()
                def delete_file(path: str) -> dict:
                    try:
                        os.remove(path)
                        return {"success": True}
                    except OSError:
                        return {"success": False, "reason": "could not delete"}
            """,
            line=8,
            message='"success": False',
        ),
        Invalid(
            """
            import mcp.types as types
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("postgres-mcp")

            def format_text_response(text):
                return [types.TextContent(type="text", text=str(text))]

            def format_error_response(error: str):
                return format_text_response(f"Error: {error}")

            @mcp.tool(description="List all schemas")
            async def list_schemas():
                try:
                    return format_text_response(await fetch_schemas())
                except Exception as e:
                    logger.error(f"Error listing schemas: {e}")
                    return format_error_response(str(e))
            """,
            line=18,
            message="`format_error_response(str(e))` (a helper that builds no isError result)",
        ),
        Invalid(  # a method of the class that registers the tools
            NOTES_SERVER.format(returns="str", result='f"Error: {error}"'),
            line=17,
            message="`self.format_error_response(e)`",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("calc")

            @mcp.tool()
            def divide(a: float, b: float) -> dict:
                if b == 0:
                    return {"error": "division by zero"}
                return {"result": a / b}
            """,
            line=8,
            message="outside any `except`",
        ),
        Invalid(
            """
            from mcp.server import Server
            from mcp.types import TextContent

            server = Server("tools")

            @server.call_tool()
            async def handle(name: str, arguments: dict) -> list[TextContent]:
                if name == "echo":
                    return [TextContent(type="text", text=arguments["text"])]
                return [TextContent(type="text", text=f"Unknown tool: {name}")]
            """,
            line=10,
            message='the message "Unknown tool:"',
        ),
        # A low-level handler wraps a dispatcher's text in TextContent (freeipa-mcp-py's `_dispatch_tool`).
        Invalid(DISPATCHING_HANDLER.format(failed='return f"Error: {exc}"'), line=15, message="what helper `_dispatch` returns"),
        Invalid(
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("db")

            def _query(sql):
                try:
                    return run(sql)
                except DatabaseError as e:
                    return f"Query failed: {e}"

            @mcp.tool
            async def query(sql: str) -> str:
                return await asyncio.to_thread(_query, sql)
            """,
            line=14,
            message="what helper `_query` returns",
        ),
        Invalid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("kv")

            @mcp.tool
            async def get(key: str) -> dict:
                try:
                    try:
                        return {"value": await store.get(key)}
                    except KeyError:
                        return {"error": f"no key {key}"}
                except Exception as e:
                    return {"error": str(e)}
            """,
            count=1,
            line=11,
            message="1 more such return",
        ),
    ]


# -- MCP0402 ---------------------------------------------------------------------------------



UNRAISED_PROJECT_ERROR = """
from mcp.server.fastmcp import FastMCP
from mcp.shared.exceptions import McpError
from mcp.types import INVALID_PARAMS, ErrorData

mcp = FastMCP("collections")

class ValidationError(Exception):
    pass

@mcp.tool()
def create_collection(name: str) -> str:
    try:
        return store(name)
    except ValidationError as e:
        raise McpError(ErrorData(code=INVALID_PARAMS, message=f"Validation Error: {{e}}"))

def store(name: str) -> str:
    if not name:
        raise {raised}
    return name
"""

class ProtocolErrorForAppFailure(_ExceptAware):
    """
    ## What it does
    Flags `raise McpError(ErrorData(...))` (mcp 1.x) or `raise MCPError(...)` (mcp 2.x, and
    fastmcp's re-exports) in tool code when the code is `INTERNAL_ERROR`, `INVALID_PARAMS`, a
    number outside the reserved JSON-RPC range, or when it is raised from an `except` block (an
    upstream, database or I/O failure turned into a protocol error).

    `UrlElicitationRequiredError`, `URL_ELICITATION_REQUIRED` and
    `MISSING_REQUIRED_CLIENT_CAPABILITY` (the request cannot be served at all), a dispatcher's
    answer to a tool name it does not know (`McpError(INTERNAL_ERROR, f"Unknown tool: {name}")`:
    the request is wrong, whatever the code) and code outside tools are not reported, nor is
    anything in an `except` that catches only exception classes of the project that no code of
    it raises or instantiates, nor any subclass (`mcp_lint/python/project_model.py`,
    `unraised_exceptions_in`): that block never runs (MCP0401 and MCP0405 skip it too).

    ## Why is this bad?
    A protocol error says the request was malformed or could not be processed; a tool that ran
    and failed should return an `isError` result the model can read and react to. mcp 2.x
    (`MCPServer` and the low-level server) sends `MCPError` to the client as a JSON-RPC error,
    which most hosts show as a broken tool instead of passing it to the model. mcp 1.x and
    fastmcp still convert it to `isError`, so there the finding is informational: the code
    changes meaning on upgrade.

    ## Example
    ```python
    @server.call_tool()
    async def call_tool(name, arguments):
        try:
            page = await client.get(arguments["url"])
        except httpx.HTTPError as e:
            raise McpError(ErrorData(code=INTERNAL_ERROR, message=f"Failed to fetch {arguments['url']}"))
    ```

    ## Use instead
    ```python
        except httpx.HTTPError:
            return CallToolResult(content=[TextContent(type="text", text="Fetch failed")], isError=True)
    ```
    In high-level servers raise `ToolError("...")`.

    ## Options
    `allowed-codes` lists code names or numbers a tool may raise as protocol errors (for example
    `["INVALID_PARAMS"]` if your clients rely on it for argument errors).
    """

    code = "MCP0402"
    name = "protocol-error-for-app-failure"
    item = 4
    severity = Severity.WARNING
    summary = "Tool raises an MCP protocol error for an application failure"
    fix_hint = (
        "Raise ToolError (high-level servers) or return CallToolResult(..., isError=True) (low-level servers); "
        "keep McpError/MCPError for failures of the protocol request itself."
    )
    requires = ("McpError", "MCPError")
    options = {"allowed-codes": []}

    def visit_Raise(self, node: cst.Raise) -> None:
        code = self.ctx.tool_code
        if code is None or not isinstance(node.exc, cst.Call):
            return
        family = MCP_ERRORS.get(self.model.qualify(node.exc.func) or "")
        if family is None:
            return
        label, custom = _code_label(_error_fields(node.exc)[0])
        allowed = {str(c) for c in self.option("allowed-codes")}
        if label in PROTOCOL_ONLY_CODES or label in allowed:
            return
        if _UNKNOWN_TOOL.search(self.ctx.document.module.code_for_node(node.exc)):
            return  # `McpError(INTERNAL_ERROR, f"Unknown tool: {name}")`: a protocol error, if with the wrong code
        in_except = self.catch is not None
        if not (label in APP_FAILURE_CODES or custom or in_except):
            return
        why = f"code {label}" if label in APP_FAILURE_CODES or custom else "raised from an `except` block"
        cls = last_part(dotted(node.exc.func))
        if self._converted(code, family):
            self.report(
                node,
                f"{_where(code)} raises `{cls}` ({why}) for an application failure: today the SDK converts it to "
                "isError, but this changes meaning under mcp 2.x, where it becomes a JSON-RPC protocol error",
                severity=Severity.INFO,
            )
        else:
            self.report(
                node,
                f"{_where(code)} raises `{cls}` ({why}) for an application failure: mcp 2.x sends it as a "
                "JSON-RPC protocol error, not an isError result the model can read",
            )

    def _converted(self, code: ToolCode, family: str) -> bool:
        """Whether the serving framework still turns the protocol error into an isError result."""
        handler = code.handler
        if handler.kind == "lowlevel-v1" or handler.framework in ("mcp1", "fastmcp"):
            return True
        if handler.kind == "lowlevel-v2" or handler.framework == "mcp2":
            return False
        imports = self.model.imports  # a registrar whose server is built elsewhere
        if imports.imports_any("mcp.server.mcpserver"):
            return False
        return imports.imports_any("fastmcp", "mcp.server.fastmcp") or family != "2"

    VALID = [
        # An `except` of the project's own error class that nothing raises never runs (chroma).
        Valid(UNRAISED_PROJECT_ERROR.format(raised="ValueError('empty name')")),
        Valid(  # the dispatcher's fallback for a name it does not know
            """
            from mcp.server import Server
            from mcp.shared.exceptions import McpError
            from mcp.types import INTERNAL_ERROR, ErrorData, TextContent

            server = Server("data")

            @server.call_tool()
            async def call_tool(name: str, arguments: dict) -> list[TextContent]:
                if name == "load_csv":
                    return [TextContent(type="text", text=load(arguments["path"]))]
                raise McpError(ErrorData(code=INTERNAL_ERROR, message=f"Unknown tool: {name}"))
            """
        ),
        Valid(
            """
            from mcp.server.mcpserver import MCPServer
            from mcp.shared.exceptions import UrlElicitationRequiredError
            from mcp.types import ElicitRequestURLParams

            server = MCPServer("drive")

            @server.tool()
            async def list_files() -> list[str]:
                if not await authorized():
                    raise UrlElicitationRequiredError([ElicitRequestURLParams(message="Sign in", url=URL, elicitation_id="a")])
                return await files()
            """
        ),
        Valid(
            """
            from mcp import MCPError
            from mcp.types import INTERNAL_ERROR

            async def main():
                try:
                    await connect()
                except OSError as e:
                    raise MCPError(code=INTERNAL_ERROR, message="cannot connect") from e
            """
        ),
        Valid(
            """
            from mcp.server.mcpserver import MCPServer
            from mcp.server.mcpserver.exceptions import ToolError

            server = MCPServer("fetch")

            @server.tool()
            async def fetch(url: str) -> str:
                try:
                    return await get(url)
                except OSError as e:
                    raise ToolError("Fetch failed") from e
            """
        ),
        Valid(
            """
            from mcp import MCPError
            from mcp.types import INVALID_PARAMS
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("calc")

            @server.tool()
            def divide(a: float, b: float) -> float:
                if b == 0:
                    raise MCPError(code=INVALID_PARAMS, message="b must not be zero")
                return a / b
            """,
            options={"allowed-codes": ["INVALID_PARAMS"]},
        ),
        Valid(
            """
            from mcp import MCPError
            from mcp.types import METHOD_NOT_FOUND
            from mcp.server import Server

            async def handle(ctx, params):
                raise MCPError(code=METHOD_NOT_FOUND, message=f"Unknown tool {params.name}")

            server = Server("x", on_call_tool=handle)
            """
        ),
    ]
    INVALID = [
        # ... once something raises it, or a subclass of it, also by name alone.
        Invalid(UNRAISED_PROJECT_ERROR.format(raised="ValidationError('empty name')"), line=15),
        Invalid(UNRAISED_PROJECT_ERROR.format(raised="EmptyName").replace("class ValidationError(Exception):\n    pass",
                "class ValidationError(Exception):\n    pass\n\nclass EmptyName(ValidationError):\n    pass"), line=18),
        Invalid(
            """
            from mcp.server import Server
            from mcp.shared.exceptions import McpError
            from mcp.types import ErrorData, INTERNAL_ERROR, TextContent

            async def serve():
                server = Server("mcp-fetch")

                @server.call_tool()
                async def call_tool(name, arguments) -> list[TextContent]:
                    try:
                        content = await fetch_url(arguments["url"])
                    except Exception as e:
                        raise McpError(ErrorData(code=INTERNAL_ERROR, message=f"Failed to fetch"))
                    return [TextContent(type="text", text=content)]
            """,
            line=13,
            severity="info",
            message="changes meaning under mcp 2.x",
        ),
        Invalid(
            """
            from mcp import MCPError
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("billing")

            @server.tool()
            async def charge(amount: int) -> str:
                if amount > LIMIT:
                    raise MCPError(code=402, message="Over the limit")
                return await pay(amount)
            """,
            line=9,
            severity="warning",
            message="code 402",
        ),
        Invalid(
            """
            import mcp
            from mcp.types import INVALID_PARAMS

            def register(server):
                @server.tool()
                async def lookup(sku: str) -> str:
                    try:
                        return await inventory(sku)
                    except LookupError:
                        raise mcp.MCPError(INVALID_PARAMS, "Unknown SKU")
            """,
            line=10,
            severity="warning",
        ),
        Invalid(
            """
            from fastmcp import FastMCP
            from fastmcp.exceptions import McpError
            from mcp.types import ErrorData

            mcp = FastMCP("x")

            @mcp.tool
            async def sync_repo(url: str) -> str:
                try:
                    return await clone(url)
                except OSError as e:
                    raise McpError(ErrorData(code=-32000, message="clone failed")) from e
            """,
            line=12,
            severity="info",
            message="raised from an `except` block",
        ),
    ]


# -- MCP0403 ---------------------------------------------------------------------------------


class UnhandledExceptionInLowlevelHandler(PythonRule):
    """
    ## What it does
    Flags an mcp 2.x low-level `on_call_tool=` handler in which an await, a call or a raise can
    let an exception escape: it is not inside a `try` whose `except Exception` (or broader)
    block returns a result instead of re-raising. Delegating to a same-file helper that does
    the catching counts as protected; `raise MCPError(...)` is a deliberate protocol error. A
    handler that ends by handing the call to code outside the file
    (`return await service.call_tool(...)`) is reported as a warning: whether that code
    catches cannot be seen from here.

    mcp 1.x `@server.call_tool()` handlers (the SDK converts exceptions to `isError`) and
    high-level tools are not reported.

    ## Why is this bad?
    Under mcp 2.x the low-level server does not wrap the handler: an escaping exception becomes
    JSON-RPC error -32603 "Internal server error". The model never sees an `is_error` result it
    could recover from, and the host typically reports the tool as broken.

    ## Example
    ```python
    async def handle_call_tool(ctx, params: CallToolRequestParams) -> CallToolResult:
        rows = await db.fetch(params.arguments["sql"])
        return CallToolResult(content=[TextContent(type="text", text=render(rows))])

    server = Server("db", on_call_tool=handle_call_tool)
    ```

    ## Use instead
    ```python
    async def handle_call_tool(ctx, params: CallToolRequestParams) -> CallToolResult:
        try:
            rows = await db.fetch(params.arguments["sql"])
        except MCPError:
            raise
        except Exception:
            logger.exception("tool %s failed", params.name)
            return CallToolResult(content=[TextContent(type="text", text="Query failed")], is_error=True)
        return CallToolResult(content=[TextContent(type="text", text=render(rows))])
    ```
    """

    code = "MCP0403"
    name = "unhandled-exception-in-lowlevel-handler"
    item = 4
    severity = Severity.ERROR
    summary = "mcp 2.x low-level call_tool handler lets exceptions escape as JSON-RPC -32603"
    fix_hint = (
        "Wrap the handler body in try/except Exception that logs and returns "
        "CallToolResult(content=[...], is_error=True); re-raise MCPError only for protocol failures."
    )
    requires = ("on_call_tool",)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        handler = self.model.handlers.get(node)
        if handler is None or handler.kind != "lowlevel-v2":
            return
        statements = list(node.body.body)
        points = self._escapes(statements, follow_helpers=True)
        if not points:
            return
        first = points[0]
        doc = self.ctx.document
        related = [doc.location(first, "can raise here")]
        target = self._delegate(statements)
        if target is not None and not self._escapes(statements[:-1], follow_helpers=True):
            self.report(
                node.name,
                f"on_call_tool handler `{node.name.value}` hands the call to `{short_code(target.func)}` outside any "
                "try/except: unless that code catches every exception, mcp 2.x answers with JSON-RPC error -32603 "
                "instead of an is_error result",
                severity=Severity.WARNING,
                related=related,
            )
            return
        self.report(
            node.name,
            f"on_call_tool handler `{node.name.value}` lets exceptions escape (first at line {doc.location(first).line}: "
            f"`{short_code(first)}`): mcp 2.x answers with JSON-RPC error -32603 instead of an is_error result",
            related=related,
        )

    def _delegate(self, statements: List[cst.CSTNode]) -> Optional[cst.Call]:
        """`return [await] service.call_tool(...)` ending the handler, to code this file does not
        define: whether it catches cannot be seen here."""
        last = statements[-1] if statements else None
        if not (isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[0], cst.Return)):
            return None
        value = last.body[0].value
        value = value.expression if isinstance(value, cst.Await) else value
        if isinstance(value, cst.Call) and self._helper(value) is None:
            return value
        return None

    def _escapes(self, statements: Iterable[cst.CSTNode], follow_helpers: bool) -> List[cst.CSTNode]:
        def safe_call(call: cst.Call, awaited: bool) -> bool:
            if plain_safe_call(self.model, call, awaited):
                return True
            helper = self._helper(call) if follow_helpers else None
            return helper is not None and not self._escapes(helper.body.body, follow_helpers=False)

        return escape_points(statements, self.model, lambda name: name in MCP_ERRORS or last_part(name) == "MCPError", safe_call)

    def _helper(self, call: cst.Call) -> Optional[cst.FunctionDef]:
        if not isinstance(call.func, cst.Name):
            return None
        for tool_code in self.model.tool_code.values():
            if tool_code.is_helper and tool_code.function.name.value == call.func.value:
                return tool_code.function
        return None

    VALID = [
        Valid(
            """
            import logging
            from mcp import MCPError
            from mcp.server import Server
            from mcp.types import CallToolResult, TextContent

            logger = logging.getLogger(__name__)

            async def handle_call_tool(ctx, params):
                try:
                    rows = await db.fetch(params.arguments["sql"])
                except MCPError:
                    raise
                except Exception:
                    logger.exception("tool failed")
                    return CallToolResult(content=[TextContent(type="text", text="Query failed")], is_error=True)
                return CallToolResult(content=[TextContent(type="text", text=str(len(rows)))])

            server = Server("db", on_call_tool=handle_call_tool)
            """
        ),
        Valid(
            """
            from mcp.server import Server
            from mcp.types import CallToolResult, TextContent

            async def dispatch(name, args):
                try:
                    return CallToolResult(content=[TextContent(type="text", text=await TOOLS[name](**args))])
                except Exception as e:
                    return CallToolResult(content=[TextContent(type="text", text="failed")], is_error=True)

            async def on_call(ctx, params):
                return await dispatch(params.name, params.arguments or {})

            server = Server("svc", on_call_tool=on_call)
            """
        ),
        Valid(
            """
            from mcp.server import Server
            from mcp.types import TextContent

            server = Server("fetch")

            @server.call_tool()
            async def call_tool(name, arguments):
                return [TextContent(type="text", text=await fetch(arguments["url"]))]
            """
        ),
        Valid(
            """
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("x")

            @server.tool()
            async def fetch(url: str) -> str:
                return await get(url)
            """
        ),
        Valid(
            """
            from mcp import MCPError
            from mcp.server import Server
            from mcp.types import CallToolResult, TextContent, METHOD_NOT_FOUND

            async def on_call(ctx, params):
                if params.name != "echo":
                    raise MCPError(code=METHOD_NOT_FOUND, message="unknown tool")
                return CallToolResult(content=[TextContent(type="text", text=str(params.arguments))])

            server = Server("echo", on_call_tool=on_call)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from mcp.server import Server
            from mcp.types import CallToolResult, TextContent

            async def handle_call_tool(ctx, params):
                rows = await db.fetch(params.arguments["sql"])
                return CallToolResult(content=[TextContent(type="text", text=str(rows))])

            server = Server("db", on_call_tool=handle_call_tool)
            """,
            line=4,
            message="first at line 5",
        ),
        Invalid(
            """
            from mcp.server import Server as LowLevel
            from mcp.types import CallToolResult, TextContent

            async def on_call(ctx, params):
                try:
                    text = await fetch(params.arguments["url"])
                except TimeoutError:
                    return CallToolResult(content=[TextContent(type="text", text="timed out")], is_error=True)
                return CallToolResult(content=[TextContent(type="text", text=text)])

            app = LowLevel("fetch", on_call_tool=on_call)
            """,
            message="`on_call`",
        ),
        Invalid(
            """
            from mcp.server import Server
            from mcp.types import CallToolResult, TextContent

            async def dispatch(name, args):
                return await TOOLS[name](**args)

            async def on_call(ctx, params):
                try:
                    text = await dispatch(params.name, params.arguments)
                except Exception as e:
                    logger.exception("failed")
                    raise
                return CallToolResult(content=[TextContent(type="text", text=text)])

            server = Server("svc", on_call_tool=on_call)
            """,
            line=7,
            severity="error",
        ),
        Invalid(
            """
            from mcp.server import Server

            def build(service) -> Server:
                async def on_call_tool(ctx, params):
                    arguments = dict(params.arguments) if params.arguments else {}
                    return await service.call_tool(params.name, arguments)

                return Server("jobs", on_call_tool=on_call_tool)
            """,
            line=4,
            severity="warning",
            message="hands the call to `service.call_tool`",
        ),
    ]


# -- MCP0404 ---------------------------------------------------------------------------------


def _defers_reraise(handler: cst.ExceptHandler, function: cst.FunctionDef) -> bool:
    """The handler records the cancellation in a flag (`cancelled = True`) and the function
    raises under `if <flag>:` later: the cancel is held back until shielded work ends, not lost."""
    flags = {
        target.target.value
        for node in walk.walk(handler.body)
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Name) and node.value.value == "True"
        for target in node.targets
        if isinstance(target.target, cst.Name)
    }
    return bool(flags) and any(
        isinstance(node, cst.If) and isinstance(node.test, cst.Name) and node.test.value in flags
        and walk.find_own(node.body, lambda n: isinstance(n, cst.Raise))
        for node in walk.walk(function.body)
    )


SELF_TASK = """
import asyncio
from fastmcp import FastMCP

mcp = FastMCP("home")

class Client:
    async def disconnect(self) -> None:
        if self.listener:
            {cancel}
            try:
                await self.listener
            except asyncio.CancelledError:
                pass
            finally:
                self.listener = None

client = Client()

@mcp.tool
async def reconnect() -> str:
    await client.disconnect()
    return "ok"
"""

# A tool that starts a background loop which stops when the task is cancelled.
CLEANUP_LOOP = """
import asyncio
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("drive")


@mcp.tool()
async def upload(name: str) -> str:
    asyncio.create_task(cleanup_loop())
    return name


async def cleanup_loop() -> None:
    while True:
        try:
            await asyncio.sleep(60)
            purge_expired()
        except asyncio.CancelledError:
            break{after}
"""


class SwallowedCancellation(PythonRule):
    """
    ## What it does
    Flags, in async tool code, an `except` that catches cancellation (bare `except:`,
    `except BaseException`, `except asyncio.CancelledError`,
    `except anyio.get_cancelled_exc_class()`, or a tuple containing one) around an `await`,
    and does not re-raise.

    `except Exception` (cancellation is a `BaseException` since Python 3.8), blocks containing a
    `raise`, blocks that record the cancel in a flag the function re-raises on later
    (`cancelled = True`, then `if cancelled: raise asyncio.CancelledError` after shielded work),
    `try` bodies that never await, sync functions (cancellation is only delivered at
    an await), and a loop that stops on cancel (`except CancelledError: break` out of the
    function's loop, with nothing awaited after it: the task ends) are not reported. Nor is the cancel-and-drain idiom (`task.cancel()`, then a `try`
    that only does `await task`; the task may be an attribute, `self.task`): the `CancelledError`
    caught there is the cancelled child's. It
    also swallows the caller's own cancellation if that arrives during the same await; code that
    must tell the two apart checks `asyncio.current_task().cancelling()` and re-raises.

    ## Why is this bad?
    Client cancellation (`notifications/cancelled`), request timeouts and server shutdown all
    cancel the tool's task. Swallowing the `CancelledError` keeps the work running, returns a
    result nobody waits for, and makes graceful shutdown hang until the platform kills the
    process. anyio cancel scopes can also misbehave when the exception does not propagate.

    ## Example
    ```python
    @mcp.tool()
    async def crawl(url: str) -> str:
        try:
            return await fetch_all(url)
        except:
            return "crawl failed"
    ```

    ## Use instead
    ```python
        except Exception as e:
            raise ToolError("crawl failed") from e
    ```
    or re-raise cancellation explicitly (`except asyncio.CancelledError: cleanup(); raise`).
    """

    code = "MCP0404"
    needs = ("tool code",)  # reports async tool code only
    name = "swallowed-cancellation"
    item = 4
    severity = Severity.ERROR
    summary = "Async tool code catches cancellation without re-raising it"
    fix_hint = "Catch Exception instead, or re-raise CancelledError after cleanup (`except asyncio.CancelledError: ...; raise`)."
    requires = ("except",)

    def visit_Try(self, node: cst.Try) -> None:
        code, func = self.ctx.tool_code, self.ctx.current_function
        if code is None or func is None or func.asynchronous is None or not walk.find_own(node.body, suspends):
            return
        if drains_cancelled_task(node, func):
            return  # `task.cancel(); try: await task except CancelledError: pass`: the child's error
        for handler in node.handlers:
            types = caught_types(handler, self.model)
            caught = [t for t in types if t in CANCELLATION]
            if (types and not caught) or walk.find_own(handler.body, lambda n: isinstance(n, cst.Raise)):
                continue
            if _defers_reraise(handler, func):
                continue  # `cancelled = True` here, `if cancelled: raise` once the shielded work ends
            if stops_loop_on_cancel(handler, node, func):
                continue  # `except CancelledError: break` ends the function's loop: the task finishes
            what = f"`{caught[0]}`" if caught and caught[0] != "BaseException" else "`asyncio.CancelledError`"
            self.report(
                handler,
                f"{_except_label(types)} in async {_where(code)} catches {what} and the block does not re-raise: "
                "a cancelled call keeps running and shutdown waits for it",
                fix=self._fix(handler, types),
            )

    def _fix(self, handler: cst.ExceptHandler, types: Tuple[str, ...]) -> Optional[Fix]:
        """Narrow a bare `except:` or a lone `except BaseException` to `except Exception`.
        Unsafe: the block stops catching cancellation, KeyboardInterrupt and SystemExit."""
        doc = self.ctx.document
        if not types:
            start = doc.location(handler)
            column = start.column + len("except")
            edit = Edit(start.line, column, start.line, column, " Exception")
        elif types == ("BaseException",) and not isinstance(handler.type, cst.Tuple):
            where = doc.location(handler.type)
            edit = Edit(where.line, where.column, where.end_line, where.end_column, "Exception")
        else:
            return None
        return Fix("Catch Exception so cancellation propagates", (edit,), applicability="unsafe")

    VALID = [
        # A background cleanup loop that stops on cancel (google_workspace_fastmcp2).
        Valid(CLEANUP_LOOP.format(after="")),
        Valid(  # the cancel is held back while a shielded close finishes, then re-raised
            """
            import asyncio
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("browser")

            @mcp.tool()
            async def close_session() -> str:
                task = asyncio.create_task(close_browser())
                cancelled = False
                while True:
                    try:
                        await asyncio.shield(task)
                        break
                    except asyncio.CancelledError:
                        cancelled = True
                if cancelled:
                    raise asyncio.CancelledError
                return "closed"
            """
        ),
        Valid(
            """
            import asyncio
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("crawler")

            @mcp.tool()
            async def crawl(url: str) -> str:
                try:
                    return await fetch_all(url)
                except asyncio.CancelledError:
                    await close_browser()
                    raise
                except Exception:
                    return "crawl failed"
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def parse(text: str) -> int:
                try:
                    return int(text)
                except:
                    return 0
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            async def ratio(a: int, b: int) -> float:
                try:
                    value = a / b
                except BaseException:
                    value = 0.0
                return value
            """
        ),
        Valid(
            """
            import asyncio

            async def worker(queue):
                while True:
                    try:
                        await queue.get()
                    except asyncio.CancelledError:
                        break
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            async def fetch(url: str) -> str:
                try:
                    return await get(url)
                except BaseException as e:
                    logger.warning("fetch failed: %s", type(e).__name__)
                    raise
            """
        ),
        Valid(
            # Cancel a child task and wait for it to unwind: the CancelledError is the child's.
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("reports")

            async def _stop(job: asyncio.Task) -> None:
                job.cancel()
                try:
                    await job
                except asyncio.CancelledError:
                    pass
                except Exception:
                    log.warning("job failed while stopping", exc_info=True)

            @mcp.tool
            async def build_report(name: str) -> str:
                job = asyncio.create_task(render(name))
                done, _ = await asyncio.wait({job}, timeout=60)
                if not done:
                    await _stop(job)
                    return "timed out"
                return job.result()
            """
        ),
        # The task kept on an attribute, a `finally` that forgets it (ha-mcp's WebSocket client).
        Valid(SELF_TASK.format(cancel="self.listener.cancel()")),
    ]
    INVALID = [
        # The loop stops, but the function goes on awaiting: the cancel is swallowed.
        Invalid(CLEANUP_LOOP.format(after="\n    await flush_all()"), line=18),
        # The same drain with no cancel before it: the CancelledError may be the caller's.
        Invalid(SELF_TASK.format(cancel="log.info('closing')"), line=12),
        Invalid(  # the flag is set but nothing raises on it: the cancel is lost
            """
            import asyncio
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("browser")

            @mcp.tool()
            async def close_session() -> str:
                task = asyncio.create_task(close_browser())
                cancelled = False
                try:
                    await asyncio.shield(task)
                except asyncio.CancelledError:
                    cancelled = True
                return "closed (cancelled)" if cancelled else "closed"
            """,
            line=12,
        ),
        Invalid(
            # Awaiting a task nobody cancelled here: the CancelledError may be the caller's.
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("reports")

            async def _finish(job: asyncio.Task) -> None:
                try:
                    await job
                except asyncio.CancelledError:
                    pass

            @mcp.tool
            async def build_report(name: str) -> str:
                job = asyncio.create_task(render(name))
                await _finish(job)
                return job.result()
            """,
            line=9,
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("crawler")

            @mcp.tool()
            async def crawl(url: str) -> str:
                try:
                    return await fetch_all(url)
                except:
                    return "crawl failed"
            """,
            line=9,
            message="`except:` in async tool `crawl` catches `asyncio.CancelledError`",
        ),
        Invalid(
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("jobs")

            async def _wait(job):
                try:
                    await asyncio.wait_for(job, 30)
                except (asyncio.TimeoutError, asyncio.CancelledError):
                    return None

            @mcp.tool
            async def run_job(name: str) -> str:
                return str(await _wait(start(name)))
            """,
            line=9,
            message="helper `_wait` called by tool `run_job`",
        ),
        Invalid(
            """
            import anyio

            def register(mcp):
                @mcp.tool()
                async def stream(topic: str) -> list:
                    out = []
                    try:
                        async for item in subscribe(topic):
                            out.append(item)
                    except anyio.get_cancelled_exc_class():
                        pass
                    return out
            """,
            line=10,
            message="`anyio.get_cancelled_exc_class()`",
        ),
        Invalid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            async def upload(path: str) -> str:
                try:
                    await send(path)
                except BaseException:
                    logger.exception("upload failed")
                return "done"
            """,
            line=9,
        ),
    ]


# -- MCP0405 ---------------------------------------------------------------------------------


# A fastmcp server whose tool wraps a backend error in the project's own exception (MCP0405 cases).
# A fastmcp server without mask_error_details whose tool only calls a helper that catches `{caught}`.
UNMASKED_DIAG = """
from fastmcp import FastMCP

mcp = FastMCP("diag")


def run_command(command: str) -> str:
    \"\"\"Run a diagnostic command.\"\"\"
    try:
        result = subprocess.run(command, shell=True, text=True, capture_output=True)
        return result.stdout if result.returncode == 0 else f"Error: {{result.stderr}}"
    except {caught} as e:
        return f"Exception occurred: {{e}}"


@mcp.tool()
async def check_run(scene: str) -> str:
    return run_command("diag check run --scene={{}}".format(scene))
"""
# A fastmcp tool whose whole body is guarded; before and after the `try` it only builds its
# answer with `{build}(...)` (graphiti-fastmcp's ErrorResponse).
GUARDED_TOOL = """
from fastmcp import FastMCP

mcp = FastMCP("memory")


@mcp.tool()
async def add_memory(name: str) -> dict:
    if queue is None:
        return {build}(error="Services not initialized")
    try:
        await queue.add(name)
        return {{"queued": name}}
    except Exception as e:
        logger.error(f"queue failed: {{e}}")
        return {build}(error="could not queue the episode")
"""
# ... logging with loguru and the traceback module, checking a `str` argument before the `try`
# (xiaohongshu-mcp-python).
LOGURU_TOOL = """
import traceback

from fastmcp import FastMCP
from loguru import logger

mcp = FastMCP("memory")


@mcp.tool()
async def add_memory(name: str) -> dict:
    if not name or not {checked}.strip():
        return {{"success": False, "error": "name is required"}}
    try:
        await queue.add(name)
        return {{"queued": name}}
    except Exception as e:
        {log}.error(f"queue failed: {{e}}")
        {log}.error(traceback.format_exc())
        return {{"success": False, "error_type": type(e).__name__}}
"""
# A tool that asks the client to confirm (google_workspace_fastmcp2's compose tools).
ELICITING_TOOL = """
import asyncio
from fastmcp import Context, FastMCP
from fastmcp.exceptions import ToolError

mcp = FastMCP("mail")


@mcp.tool
async def send(to: str, ctx: Context) -> str:
    try:
        answer = await asyncio.wait_for({asked}(f"Send to {{to}}?"), timeout=60)
    except Exception as e:
        raise ToolError(f"Confirmation failed: {{e}}") from e
    return str(answer)
"""
# The same helper in another module of the project, imported by the server.
DIAG_HELPER = """
import subprocess


def run_command(command: str) -> str:
    \"\"\"Run a diagnostic command.\"\"\"
    try:
        return subprocess.run(command, shell=True, text=True, capture_output=True).stdout
    except {caught} as e:
        return f"Exception occurred: {{e}}"
"""
DIAG_SERVER = """
from fastmcp import FastMCP
from diag_helpers import run_command

mcp = FastMCP("diag")


@mcp.tool()
async def check_run(scene: str) -> str:
    return run_command(f"diag check run --scene={scene}")
"""
# A tool that only quotes its arguments (alibabacloud-hologres-mcp-server's procedure call).
QUOTING_TOOL = """
from fastmcp import FastMCP

mcp = FastMCP("sql")


@mcp.tool()
def quote(args: list[str]) -> str:
    return ", ".join([{value}.replace("'", "''").strip() for a in args])
"""
PORTAL_SERVER = """
            from fastmcp import FastMCP

            mcp = FastMCP("portal"MASK)

            class PortalError(Exception):
                pass

            @mcp.tool
            def search(term: str) -> list:
                try:
                    return index.search(term)
                except Exception as e:
                    raise PortalError(f"search failed: {e}")
            """


LOWLEVEL_DISPATCH = """
import httpx
from mcp.server.fastmcp import FastMCP
import mcp.types as types

mcp = FastMCP("maps")

async def geocode(address: str) -> list:
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(URL, params={{"address": address}})
            response.raise_for_status()
        return [types.TextContent(type="text", text=response.text)]
    except httpx.HTTPError as e:
        raise Exception(f"HTTP request failed: {{str(e)}}") from e

async def dispatch(name: str, arguments: dict) -> list:
    return await geocode(arguments["address"])

{server}._mcp_server.call_tool()(dispatch)
"""


SESSION_TOOLS = """
from fastmcp import FastMCP
from fastmcp.exceptions import ToolError

mcp = FastMCP("tracker")

class Session:
    def register(self) -> None:
        @mcp.tool
        def logout() -> dict:
            try:
                self._logger.debug("logout")
                self._token = None
                if hasattr(mcp, "context"):
                    mcp.context.pop("token", None)
                WORK
                return {"authenticated": False}
            except Exception as e:
                raise ToolError(f"Logout failed: {e}") from e
"""



AUTHORED_PROJECT_ERROR = """
from fastmcp import FastMCP
from fastmcp.exceptions import ToolError
from docs.store import PageNotFound, find_page

mcp = FastMCP("docs", mask_error_details=True)

@mcp.tool()
def get_page(page_id: str) -> dict:
    try:
        return find_page(page_id)
    except PageNotFound as exc:
        raise ToolError(str(exc)) from exc
"""


def _docs_package(raised: str) -> dict:
    store = "class PageNotFound(Exception):\n    pass\n\ndef find_page(page_id):\n    row = query(page_id)\n    if row is None:\n        raise %s\n    return row\n"
    return {"docs/__init__.py": "", "docs/store.py": store % raised}

class ExceptionDetailsToClient(_ExceptAware):
    """
    ## What it does
    Flags tool code that sends a caught exception's text to the client: `ToolError(str(e))`,
    `ToolError(f"...{e}")` (any exception class, `raise PortalError(f"...{e}")`, when the file
    builds a server that sends every exception's text: fastmcp without `mask_error_details`, the
    mcp SDK's `FastMCP` and low-level `Server`),
    `McpError(ErrorData(message=str(e)))` / `MCPError(message=...)`,
    or an error result (`CallToolResult(isError=True)`, `ToolResult(is_error=True)`) whose
    content is built from `e` or `traceback.format_exc()`; a log notification to the client
    built from it (`await ctx.error(f"failed: {e}")`); the same raised from a fastmcp
    `Middleware` hook (`on_call_tool`, `on_request`), which wraps every tool call; helpers
    the tool runs in a thread pool (`asyncio.to_thread(helper, ...)`, `run_in_executor`,
    `pool.submit(helper, ...)`); and a
    helper of tool code that returns a `CallToolResult` it built (the tool's result, made to be
    returned as is; a helper's other returns are the tool's to shape). Also reports (info, once per
    constructor) a fastmcp `FastMCP(...)` without `mask_error_details=True` when a tool in the
    file can raise an unexpected exception: fastmcp then sends `str(e)` of every crash (a call
    to a helper whose whole body is a `try` with a broad `except` that does not raise cannot,
    in the same file or imported from another module of the project). In a FastAPI route that a
    server offers as a tool (`FastMCP.from_fastapi(app=api)`, `FastApiMCP(api)`), an
    `HTTPException` whose `detail` is built from `e` is reported: the error response's body is
    the tool's error text. fastmcp calls the app in process and gets the route's other exceptions
    back as a tool's own (`ToolError(str(e))` is reported there too); under fastapi-mcp they are a
    bare `500 Internal Server Error`.

    A context log call that is not awaited (`ctx.info(f"...{e}")` as a statement) builds a
    coroutine and drops it: nothing is sent, and it is not reported. Exceptions whose text is
    meant for users (`ToolError`, `ValueError`, pydantic
    `ValidationError`, `JSONDecodeError`, xml's `ParseError`; in TS zod's `ZodError` and fastmcp's `UserError`;
    configurable; also the standard library's subclasses of a listed class: `binascii.Error`, `UnicodeDecodeError`
    are ValueErrors), messages that do not use `e`, and
    attribute reads such as `e.response.status_code` are not reported (the message, an upstream's
    response body or a command's output are: `e.message`, `e.response.text`, `e.stderr`), nor is what is built in
    the body of an `if` that narrows the exception to such a type (`if isinstance(e,
    ValidationError):`) or that tests an option of a decorator factory which no call in the
    project passes (`elif recovery_hint:` in `def tool_errors(recovery_hint=None)` applied as
    `@tool_errors()` everywhere: dead code here; see `mcp_lint/python/branches.py`), nor an
    `except` whose `try` only keeps the server's own state (assignments, `hasattr`, dict `get`
    / `pop`, logging: no other system's text can be caught there) or only asks the client
    (`await ctx.elicit(...)`, under `asyncio.wait_for` too: the client's own answer). Plain
    returns of `str(e)` from an `except` are reported by MCP0401, not here; a tool that declares
    its own output type and returns it carrying the text (`ProvisioningResult(success=False,
    message=f"... {e}")`, which MCP0401 leaves alone) is reported here.

    ## Why is this bad?
    Exception text from drivers and HTTP clients carries connection strings, hostnames, SQL,
    file paths and sometimes credentials. Sent to the client it reaches the model, the
    transcript and whoever reads it, and it hands an attacker a map of the backend.

    ## Example
    ```python
    @mcp.tool
    async def query(sql: str) -> list[dict]:
        try:
            return await db.fetch(sql)
        except Exception as e:
            raise ToolError(f"Database error: {e}") from e
    ```

    ## Use instead
    ```python
        except Exception as e:
            logger.exception("query failed")
            raise ToolError("Database error; the query was not executed") from e
    ```
    and construct fastmcp servers with `FastMCP("db", mask_error_details=True)`.

    ## Options
    `user-facing-exceptions` lists exception class names whose text is safe to show (by default
    the SDKs' tool errors, validation errors, and `KeyError`/`IndexError`, whose text is the
    missing key or "index out of range"); the project's own subclasses of them count too
    (`class FilterValidationError(ValueError)`), and so does an exception class of the project
    that every raise, of it and of its subclasses, gives only a message written in the code
    (`raise PageNotFoundError("Page not found in this space")`) and that the code names
    nowhere else (a class kept in a table may be raised with any text). An `except` of only
    project classes that nothing raises never runs and is not reported (see MCP0402).
    """

    code = "MCP0405"
    needs = ("tool code", "middleware")  # tool code, or the hooks of a fastmcp Middleware
    name = "exception-details-to-client"
    item = 4
    severity = Severity.WARNING
    summary = "Exception details are sent to the client"
    fix_hint = (
        "Log the exception server-side (logger.exception) and send a fixed, user-facing message; "
        "for fastmcp pass mask_error_details=True."
    )
    requires = ("except", "FastMCP")
    # Errors whose text is meant for the caller: raised for the caller (fastmcp `ToolError`, the
    # npm fastmcp's `UserError`) or about the caller's own input (pydantic / zod validation).
    # KeyError and IndexError: their text is the missing key or "index out of range"; xml's
    # ParseError, like JSONDecodeError, the line and column where a document is malformed.
    options = {"user-facing-exceptions": [
        "ToolError", "UserError", "ValueError", "ValidationError", "ZodError", "JSONDecodeError", "ParseError", "KeyError", "IndexError",
    ]}

    def __init__(self, ctx):
        super().__init__(ctx)
        self.classes: List[cst.ClassDef] = []
        self._ifs: List[cst.If] = []
        self._unmasked: Optional[bool] = None  # this file builds a server that sends str(e) (_unmasked_here)
        # Calls that are a whole statement: a context log method is a coroutine function, so
        # `ctx.info(f"... {e}")` without `await` builds a coroutine and drops it: nothing is sent.
        self._discarded: Set[int] = set()

    def visit_Expr(self, node: cst.Expr) -> None:
        self._discarded.add(id(node.value))

    def visit_Module(self, node: cst.Module) -> None:
        for server in self.model.servers:
            if server.framework != "fastmcp" or server.call is None:
                continue
            if self._masks(server):
                continue
            raising = [
                h.tool_name
                for h in self.model.handlers.values()
                if h.kind == "tool" and h.framework in ("fastmcp", "unknown") and self._can_crash(h.function)
            ]
            if raising:
                names = ", ".join(f"`{n}`" for n in raising[:3]) + (", ..." if len(raising) > 3 else "")
                self.report(
                    server.call,
                    f"`{server.receiver}` is built without mask_error_details=True: an unexpected exception in "
                    f"{names} reaches the client as `Error calling tool '<name>': <str(e)>`",
                    severity=Severity.INFO,
                    fix_hint="Pass mask_error_details=True (or set FASTMCP_MASK_ERROR_DETAILS=true) and raise ToolError for messages meant for the user.",
                )

    def _unmasked_here(self) -> bool:
        """Tool code of a file that builds a server which sends what a tool raises as its error
        text: fastmcp without mask_error_details (`Error calling tool '<name>': <str(e)>`), the
        mcp SDK's FastMCP (`Error executing tool <name>: <str(e)>`) and its low-level server."""
        if self.ctx.tool_code is None:
            return False
        if self._unmasked is None:
            self._unmasked = any(
                s.call is not None and (s.framework in ("mcp1", "lowlevel") or (s.framework == "fastmcp" and not self._masks(s)))
                for s in self.model.servers
            )
        return self._unmasked

    def _masks(self, server) -> bool:
        arg = server.constructor_kwarg("mask_error_details")
        if arg is not None:
            return not is_false(arg.value)
        splats = splat_keywords(server.call, self.ctx.document.module)
        if "mask_error_details" in splats.keywords:
            return not is_false(splats.keywords["mask_error_details"])
        if splats.unresolved:
            return True  # `**options` built at run time may well hold it
        # Set through fastmcp.settings elsewhere in the file.
        return "mask_error_details" in self.ctx.document.text.replace("mask_error_details=", "")

    def _can_crash(self, func: cst.FunctionDef) -> bool:
        """A call, await or raise of a non-fastmcp exception that no broad `except` absorbs (not a
        string method of a `str` argument, which the framework validated: `feed_id.strip()`)."""
        handler = self.model.handlers.get(func)
        texts = {p.name for p in handler.params if p.annotation == "str"} if handler is not None else set()

        def safe_call(call: cst.Call, awaited: bool) -> bool:
            method = call.func if isinstance(call.func, cst.Attribute) else None
            if method is not None and method.attr.value in STR_METHODS and isinstance(method.value, cst.Name) and method.value.value in texts:
                return not awaited
            return self._safe_call(call, awaited)

        return bool(escape_points(func.body.body, self.model, _fastmcp_unmasked, safe_call))

    def _safe_call(self, call: cst.Call, awaited: bool) -> bool:
        if plain_safe_call(self.model, call, awaited):
            return True
        # a helper of this file or imported from another module whose whole body absorbs every
        # exception (the project model's summaries say which)
        return (own_callee(call.func) or "") in getattr(self.model.view, "absorbing_helpers", ())

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()

    def _in_tool_middleware(self) -> bool:
        """A method of a fastmcp `Middleware` subclass: its `on_call_tool` / `on_request` hooks
        wrap every tool call, so what they raise reaches the client like a tool's own error."""
        if not self.classes or self.ctx.current_function is None:
            return False
        cls = self.classes[-1]
        return any(last_part(self.model.qualify(b.value)) == "Middleware" and "fastmcp" in (self.model.qualify(b.value) or "") for b in cls.bases)

    def _where_raised(self) -> str:
        code = self.ctx.tool_code
        if code is not None:
            return _where(code)
        return f"middleware `{self.classes[-1].name.value}.{self.ctx.current_function.name.value}`"

    def visit_Call(self, node: cst.Call) -> None:
        """`await ctx.error(f"failed: {e}")`: a log notification the client shows."""
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in CLIENT_LOG_METHODS:
            return
        if id(node) in self._discarded:
            return
        catch = self._leaky_catch(node)
        if catch is None:
            return
        if dotted(func.value) not in self._context_params():
            return
        message = keyword(node, "message") or positional(node, 0)
        found = self.reader(catch).detail(message.value) if message is not None else None
        if found is not None:
            self.report(
                node,
                f"{_where(self.ctx.tool_code)} sends `{short_code(found)}` from {_except_label(catch.types)} to the client "
                f"as a log message (`{short_code(func)}`): exception text can expose hosts, queries or credentials",
            )

    def _context_params(self) -> set:
        """Parameters of the current function that hold the MCP request context."""
        function = self.ctx.current_function
        if function is None:
            return set()
        names = set()
        for param in [*function.params.params, *function.params.kwonly_params]:
            annotation = dotted(param.annotation.annotation) if param.annotation is not None else None
            if last_part(annotation) == "Context" or param.name.value == "ctx":
                names.add(param.name.value)
        return names

    def visit_Raise(self, node: cst.Raise) -> None:
        catch = self._leaky_catch(node)
        if catch is None or not isinstance(node.exc, cst.Call):
            return
        qualified = self.model.qualify(node.exc.func) or ""
        framework = self.ctx.tool_code.handler.framework if self.ctx.tool_code is not None else ""
        if qualified in HTTP_EXCEPTIONS and framework in web_tools.ROUTE_FRAMEWORKS:
            message = keyword(node.exc, "detail") or positional(node.exc, 1)  # the error response's body
            message = message.value if message is not None else None
        elif framework == web_tools.FASTAPI_MCP_ROUTES:
            return  # anything else a route raises is a bare 500 "Internal Server Error" there
        elif qualified in MCP_ERRORS:
            message = _error_fields(node.exc)[1]
        elif last_part(qualified) == "ToolError" or self._unmasked_here():
            message = keyword(node.exc, "message") or positional(node.exc, 0)
            message = message.value if message is not None else None
            qualified = qualified or (dotted(node.exc.func) or "exception")
        else:
            return
        found = self.reader(catch).detail(message) if message is not None else None
        if found is not None:
            self.report(
                node,
                f"{self._where_raised()} sends `{short_code(found)}` from {_except_label(catch.types)} to the client "
                f"in `{last_part(qualified)}`: exception text can expose hosts, queries or credentials",
            )

    def visit_Return(self, node: cst.Return) -> None:
        catch = self._leaky_catch(node)
        code = self.returning_tool() or self._returning_result(node)
        if catch is None or code is None or node.value is None:
            return
        reader = self.reader(catch)
        if reader.error_value(node.value, returns_domain_output(code.function)) is not None:
            return  # MCP0401 reports this return, and its fix removes the detail too
        found = reader.detail(node.value)
        if found is not None:
            self.report(
                node,
                f"{_where(code)} returns `{short_code(found)}` from {_except_label(catch.types)} to the client: "
                "exception text can expose hosts, queries or credentials",
            )

    def _returning_result(self, node: cst.Return) -> Optional[ToolCode]:
        """A helper of tool code that builds the tool's result itself (`return
        CallToolResult(isError=True, content=[...])`): what it returns is made for the client."""
        code = self.ctx.tool_code
        if code is None or code.function is not self.ctx.current_function:
            return None
        value = node.value
        return code if isinstance(value, cst.Call) and last_part(self.model.qualify(value.func)) == "CallToolResult" else None

    def _quiet(self, tried: cst.Try) -> bool:
        """No call or await in the `try` body can fail with another system's text (nor a `yield`:
        a context manager's caller's errors arrive there)."""
        model = self.model
        if walk.find_own(tried.body, lambda n: isinstance(n, cst.Yield)):
            return False
        return not escape_points(tried.body.body, model, lambda _: False, lambda call, awaited: bookkeeping_call(model, call, awaited))

    def _leaky_catch(self, node: cst.CSTNode) -> Optional[Catch]:
        catch = self.catch
        if catch is None:
            return None  # outside any `except`: the common case, settled before the tool lookups
        if self.ctx.tool_code is None and not self._in_tool_middleware():
            return None
        if catch.only_catches(self._user_facing()) or self._guarded(node, catch):
            return None
        if catch.tried is not None and catch.quiet is None:
            catch.quiet = self._quiet(catch.tried)  # once per `except`, however many sinks it holds
        if catch.quiet:
            return None  # the `try` only sets attributes, reads dicts and logs: no backend text can be caught
        return catch

    def _user_facing(self) -> Set[str]:
        """The `user-facing-exceptions` option and the project's classes derived from them
        (`class FilterValidationError(ValueError)`, raised with the project's own messages)."""
        listed = set(self.option("user-facing-exceptions"))
        view = self.model.view
        return listed | set(view.authored_exceptions) | {name for name, ancestors in view.class_ancestors if listed.intersection(ancestors)}

    def visit_If(self, node: cst.If) -> None:
        self._ifs.append(node)

    def leave_If(self, original_node: cst.If) -> None:
        self._ifs.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        catch = self.catch
        if catch is not None and self._guarded(node, catch):
            return  # the value built there never reaches the client from this `except`
        super().visit_Assign(node)

    def _guarded(self, node: cst.CSTNode, catch: Catch) -> bool:
        """In the body of an `if` that narrows the exception to a user-facing type
        (`if isinstance(e, ValidationError):`), or that tests an option no caller sets (dead in
        this project; `mcp_lint/python/branches.py`)."""
        if not self._ifs:
            return False
        user_facing = self._user_facing()
        unpassed = dict(self.model.view.unpassed)
        for test_if in reversed(self._ifs):
            types = branches.isinstance_types(test_if.test, catch.name)
            narrowed = bool(types) and all(last_part(t) in user_facing for t in types)
            if (narrowed or branches.never_true(test_if.test, self.ctx.function_stack, unpassed)) and path_to(test_if.body, node):
                return True
        return False

    VALID = [
        # The project's own error class, raised only with messages it wrote (docmost).
        Valid(AUTHORED_PROJECT_ERROR, path="docs/server.py", files=_docs_package('PageNotFound("Page not found in this space")')),
        # ... and an `except` of a project class that nothing raises, which never runs.
        Valid(AUTHORED_PROJECT_ERROR, path="docs/server.py", files=_docs_package('ValueError(f"lookup failed: {row}")')),
        Valid(LOWLEVEL_DISPATCH.format(server="mcp").replace("httpx.HTTPError", "KeyError")),  # the text is the key
        Valid(LOWLEVEL_DISPATCH.format(server="mcp").replace('{str(e)}', '{e.response.status_code}')),  # a status, no text
        Valid(LOWLEVEL_DISPATCH.format(server="mcp").replace("httpx.HTTPError", "ET.ParseError")),  # a line and a column
        # binascii.Error is a ValueError: "Incorrect padding" (bauer-group's base64 upload).
        Valid("import binascii\n" + LOWLEVEL_DISPATCH.format(server="mcp").replace("httpx.HTTPError", "(binascii.Error, ValueError)")),
        Valid(LOWLEVEL_DISPATCH.format(server="registry")),  # `registry` is no server
        Valid(PORTAL_SERVER.replace("MASK", ", mask_error_details=True")),  # masked: fastmcp sends a generic message
        Valid(UNMASKED_DIAG.format(caught="Exception")),  # the tool's only call absorbs every exception
        Valid(DIAG_SERVER, files={"diag_helpers.py": DIAG_HELPER.format(caught="Exception")}),  # imported from another module
        Valid(QUOTING_TOOL.format(value="str(a)")),  # string methods of `str(x)` cannot raise
        Valid(SESSION_TOOLS.replace("WORK", "self._user = None")),  # the `try` only keeps the server's own state
        Valid(GUARDED_TOOL.format(build="ErrorResponse")),  # the project's result models, built to be returned (graphiti)
        Valid(LOGURU_TOOL.format(checked="name", log="logger")),
        Valid(ELICITING_TOOL.format(asked="ctx.elicit")),  # only the client is asked: its own error
        Valid(DECLARED_RESULT.replace("error_msg=str(e)", 'error_msg="the file could not be written"')),
        Valid(  # a helper's plain return is the tool's to shape: only a result object it builds is sent as is
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("calendar")

            def authenticated_service(email: str):
                try:
                    return build_service(load_credentials(email))
                except Exception as e:
                    return f"Could not sign in: {e}"

            @mcp.tool()
            def list_events(email: str) -> str:
                service = authenticated_service(email)
                if isinstance(service, str):
                    return "Sign-in failed; check the server's credentials"
                return service.events()
            """
        ),
        Valid(  # the project's own ValueError, raised with its own messages, defined in another module
            """
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            from search.filters import FilterError, parse_filters

            mcp = FastMCP("search", mask_error_details=True)

            @mcp.tool
            async def search_people(query: str, filters: str = "") -> list:
                try:
                    return await run(query, parse_filters(filters))
                except FilterError as e:
                    raise ToolError(str(e)) from e
            """,
            path="search/server.py",
            files={
                "search/__init__.py": "",
                "search/filters.py": "class InputError(ValueError):\n    pass\n\n\nclass FilterError(InputError):\n    pass\n\n\ndef parse_filters(text):\n    raise FilterError(f'unknown filter in {text!r}')\n",
            },
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            mcp = FastMCP("db", mask_error_details=True)

            @mcp.tool
            async def get_user(user_id: int) -> dict:
                try:
                    return await users.get(user_id)
                except KeyError as e:
                    raise ToolError("Not found") from e
            """
        ),
        Valid(
            """
            from datetime import date
            from mcp.server.fastmcp import FastMCP
            from mcp.server.fastmcp.exceptions import ToolError

            mcp = FastMCP("cal")

            @mcp.tool()
            def events(day: str) -> list:
                try:
                    when = date.fromisoformat(day)
                except ValueError as e:
                    raise ToolError(f"Invalid date {day!r}: {e}") from e
                return list_events(when)
            """
        ),
        Valid(
            """
            import httpx
            from mcp.server.mcpserver import MCPServer
            from mcp.server.mcpserver.exceptions import ToolError

            server = MCPServer("gh")

            @server.tool()
            async def issue(number: int) -> str:
                try:
                    return await get_issue(number)
                except httpx.HTTPStatusError as e:
                    raise ToolError(f"GitHub answered {e.response.status_code} for issue {number}") from e
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            mcp = FastMCP("x")

            @mcp.tool
            def echo(text: str) -> str:
                if not text:
                    raise ToolError("text must not be empty")
                return text
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            mcp = FastMCP("db")

            def report(e):
                raise ToolError(str(e))

            @mcp.tool
            async def query(sql: str) -> str:
                try:
                    return await run(sql)
                except Exception as e:
                    return f"Error: {e}"
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP, Context
            from fastmcp.exceptions import ToolError
            from fastmcp.server.middleware import Middleware

            mcp = FastMCP("db", mask_error_details=True)

            class ErrorTranslation(Middleware):
                async def on_call_tool(self, context, call_next):
                    try:
                        return await call_next(context)
                    except Exception as exc:
                        logger.exception("tool failed")
                        raise ToolError("The tool failed; the error was logged") from exc

            @mcp.tool
            async def query(sql: str, ctx: Context) -> list:
                try:
                    return await db.fetch(sql)
                except Exception as e:
                    await ctx.error("query failed; see the server log")
                    logger.error("query failed: %s", e)
                    return []
            """
        ),
        Valid(  # not awaited: the coroutine is dropped and no notification is sent
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("db", mask_error_details=True)

            @mcp.tool
            def query(sql: str, ctx: Context) -> list:
                try:
                    return db.fetch(sql)
                except Exception as e:
                    ctx.error(f"query failed: {e}")
                    return []
            """
        ),
        Valid(  # the hint branch is dead (no use of the factory passes a hint); the other is narrowed to a user-facing type
            """
            import functools
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError
            from pydantic import ValidationError

            mcp = FastMCP("kb", mask_error_details=True)

            def with_hints(fallback_hint=None, hints=None):
                def wrap(func):
                    @functools.wraps(func)
                    async def inner(*args, **kwargs):
                        try:
                            return await func(*args, **kwargs)
                        except Exception as e:
                            hint = fallback_hint
                            if hints:
                                for kind, text in hints.items():
                                    if isinstance(e, kind):
                                        hint = text
                            if isinstance(e, ValidationError):
                                message = f"invalid input: {e}"
                            elif hint:
                                message = f"{e} (hint: {hint})"
                            else:
                                raise
                            raise ToolError(message) from e
                    return inner
                return wrap

            @mcp.tool
            @with_hints()
            async def list_buckets() -> list:
                return await storage.buckets()
            """
        ),
    ]
    INVALID = [
        # ... not when one raise passes a text it did not write.
        Invalid(AUTHORED_PROJECT_ERROR, path="docs/server.py", files=_docs_package('PageNotFound(f"lookup failed: {row}")'), line=12),
        Invalid(  # a context manager's `yield`: the errors of the `with` body arrive there
            """
            from contextlib import contextmanager
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            mcp = FastMCP("mail")

            @contextmanager
            def mail_errors(action: str):
                try:
                    yield
                except Exception as e:
                    raise ToolError(f"Failed {action}: {e}") from e

            @mcp.tool
            def create_tag(name: str) -> dict:
                with mail_errors("creating a tag"):
                    return client.create_tag(name)
            """,
            line=12,
        ),
        # the same `try` also calls the backend
        Invalid(SESSION_TOOLS.replace("WORK", "client.revoke(self._token)"), line=18, message="tool `logout` sends `e`"),
        # A dispatcher registered on FastMCP's own low-level server (baidu-maps/mcp).
        Invalid(LOWLEVEL_DISPATCH.format(server="mcp"), line=14, message="call_tool handler `dispatch`"),
        # Another module's `Error` is no ValueError (only the standard library's binascii.Error is).
        Invalid("import pika\n" + LOWLEVEL_DISPATCH.format(server="mcp").replace("httpx.HTTPError", "(pika.Error, ValueError)"), line=16),
        # ... through what the exception holds: the upstream's response body (nextcloud-mcp-server's mail)
        Invalid(LOWLEVEL_DISPATCH.format(server="mcp").replace('{str(e)}', '{e.response.text[:500]}'), line=14),
        # ... through a fallback for an empty message (nextcloud-mcp-server's `str(e) or type(e).__name__`)
        Invalid(LOWLEVEL_DISPATCH.format(server="mcp").replace('f"HTTP request failed: {str(e)}"', 'str(e) or type(e).__name__'), line=14),
        Invalid(  # a helper the tool runs in a thread pool (the model follows `pool.submit(f, q)`)
            """
            import concurrent.futures
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            mcp = FastMCP("warehouse", mask_error_details=True)
            POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4)

            def execute_query(query: str) -> str:
                try:
                    return client.query(query)
                except Exception as err:
                    raise ToolError(f"Query execution failed: {err}")

            @mcp.tool
            def run_query(query: str) -> str:
                return POOL.submit(execute_query, query).result(timeout=30)
            """,
            line=12, message="helper `execute_query`",
        ),
        # any exception a tool of an unmasked fastmcp server raises reaches the client
        Invalid(PORTAL_SERVER.replace("MASK", ""), line=13, message="in `PortalError`"),
        Invalid(  # a helper that builds the tool's result; the tool returns it as is
            """
            from mcp.server.fastmcp import FastMCP
            from mcp import types

            mcp = FastMCP("calendar")

            def authenticated_service(email: str):
                try:
                    return build_service(load_credentials(email))
                except Exception as e:
                    return types.CallToolResult(isError=True, content=[types.TextContent(type="text", text=f"Could not sign in: {e}")])

            @mcp.tool()
            def list_events(email: str):
                service = authenticated_service(email)
                if isinstance(service, types.CallToolResult):
                    return service
                return service.events()
            """,
            line=10,
            message="helper `authenticated_service`",
        ),
        Invalid(  # a project exception that derives from Exception only: its text may be anything
            """
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            from search.backend import BackendError, run

            mcp = FastMCP("search", mask_error_details=True)

            @mcp.tool
            async def search_people(query: str) -> list:
                try:
                    return await run(query)
                except BackendError as e:
                    raise ToolError(str(e)) from e
            """,
            path="search/server.py",
            files={
                "search/__init__.py": "",
                "search/backend.py": "class BackendError(Exception):\n    pass\n\n\nasync def run(query):\n    try:\n        return await fetch(query)\n    except OSError as e:\n        raise BackendError(e) from e\n",
            },
            line=13,
        ),
        Invalid(
            """
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            mcp = FastMCP("db", mask_error_details=True)

            @mcp.tool
            async def query(sql: str) -> list:
                try:
                    return await db.fetch(sql)
                except Exception as e:
                    raise ToolError(f"Database error: {e}") from e
            """,
            line=11,
            message="sends `e`",
            count=1,
        ),
        Invalid(
            """
            import traceback
            from mcp.server import Server
            from mcp.types import CallToolResult, TextContent

            server = Server("ops")

            @server.call_tool()
            async def call_tool(name, arguments):
                try:
                    return await TOOLS[name](**arguments)
                except Exception:
                    return CallToolResult(content=[TextContent(type="text", text=traceback.format_exc())], isError=True)
            """,
            line=12,
            message="`traceback.format_exc()`",
        ),
        Invalid(
            """
            from mcp import MCPError
            from mcp.types import INTERNAL_ERROR

            def register(server):
                @server.tool()
                async def sync(repo: str) -> str:
                    try:
                        return await pull(repo)
                    except OSError as err:
                        raise MCPError(code=INTERNAL_ERROR, message=str(err))
            """,
            line=10,
            message="`str(err)`",
        ),
        Invalid(
            """
            from fastmcp import FastMCP as F

            mcp = F("files")

            @mcp.tool
            def read(path: str) -> str:
                return open(path).read()
            """,
            line=3,
            severity="info",
            message="`read`",
        ),
        Invalid(  # the helper catches ValueError only: anything else escapes
            UNMASKED_DIAG.format(caught="ValueError"),
            line=3,
            severity="info",
            message="`check_run`",
        ),
        Invalid(DIAG_SERVER, files={"diag_helpers.py": DIAG_HELPER.format(caught="ValueError")}, line=4, message="`check_run`"),
        Invalid(GUARDED_TOOL.format(build="render_error"), line=3, message="`add_memory`"),  # a function may raise
        Invalid(LOGURU_TOOL.format(checked="prefix", log="logger"), line=6, message="`add_memory`"),  # not the str argument
        # A declared result model carrying the exception's text (nextcloud-mcp-server's ProvisioningResult):
        # not an error disguised as success (MCP0401), but the text still reaches the client.
        Invalid(DECLARED_RESULT, line=24, message="returns `str(e)`"),
        Invalid(ELICITING_TOOL.format(asked="mailer.send"), line=13),
        Invalid(LOGURU_TOOL.format(checked="name", log="audit"), line=6, message="`add_memory`"),  # not a logger
        Invalid(QUOTING_TOOL.format(value="load(a)"), line=3, message="`quote`"),  # `load` may raise
        Invalid(
            """
            from fastmcp import FastMCP

            options = {"name": "files", "instructions": "Read files"}
            mcp = FastMCP(**options)

            @mcp.tool
            def read(path: str) -> str:
                return open(path).read()
            """,
            line=4,
            severity="info",
        ),
        Invalid(
            """
            from mcp.server.fastmcp.exceptions import ToolError

            def register(mcp):
                @mcp.tool()
                def convert(amount: float, currency: str) -> float:
                    try:
                        return amount * rates()[currency]
                    except Exception as e:
                        msg = "Conversion failed: " + repr(e)
                        raise ToolError(msg)
            """,
            line=10,
            message="`repr(e)`",
        ),
        Invalid(
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("db", mask_error_details=True)

            @mcp.tool
            async def query(sql: str, ctx: Context) -> list:
                try:
                    return await db.fetch(sql)
                except Exception as e:
                    await ctx.error(f"query failed: {e}")
                    return []
            """,
            line=10,
            message="as a log message (`ctx.error`)",
        ),
        Invalid(
            """
            from fastmcp.exceptions import ToolError
            from fastmcp.server.middleware import Middleware

            class ErrorTranslation(Middleware):
                async def on_call_tool(self, context, call_next):
                    try:
                        return await call_next(context)
                    except Exception as exc:
                        raise ToolError(f"Tool failed: {exc}") from exc
            """,
            line=9,
            message="middleware `ErrorTranslation.on_call_tool` sends `exc`",
        ),
        Invalid(
            """
            import asyncio
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            mcp = FastMCP("files", mask_error_details=True)

            def _convert(path):
                try:
                    return render(path)
                except OSError as e:
                    raise ToolError(str(e))

            @mcp.tool
            async def convert(path: str) -> str:
                return await asyncio.to_thread(_convert, path)
            """,
            line=11,
            message="helper `_convert` called by tool `convert`",
        ),
        Invalid(  # one use passes a hint, so its branch is live
            """
            import functools
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError
            from pydantic import ValidationError

            mcp = FastMCP("kb", mask_error_details=True)

            def with_hints(fallback_hint=None, hints=None):
                def wrap(func):
                    @functools.wraps(func)
                    async def inner(*args, **kwargs):
                        try:
                            return await func(*args, **kwargs)
                        except Exception as e:
                            hint = fallback_hint
                            if hints:
                                for kind, text in hints.items():
                                    if isinstance(e, kind):
                                        hint = text
                            if isinstance(e, ValidationError):
                                message = f"invalid input: {e}"
                            elif hint:
                                message = f"{e} (hint: {hint})"
                            else:
                                raise
                            raise ToolError(message) from e
                    return inner
                return wrap

            @mcp.tool
            @with_hints()
            async def list_buckets() -> list:
                return await storage.buckets()

            @mcp.tool
            @with_hints(fallback_hint="retry in a minute")
            async def list_files() -> list:
                return await storage.files()
            """,
            line=26,
            message="sends `e`",
        ),
        Invalid(  # narrowed to a type whose text is not meant for users
            """
            from fastmcp import FastMCP
            from fastmcp.exceptions import ToolError

            mcp = FastMCP("kb", mask_error_details=True)

            @mcp.tool
            async def fetch(key: str) -> str:
                try:
                    return await store.get(key)
                except Exception as e:
                    if isinstance(e, (ValueError, ConnectionError)):
                        raise ToolError(f"fetch failed: {e}") from e
                    raise
            """,
            line=12,
        ),
    ]
