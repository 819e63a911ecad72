"""Checklist item 11, Python analogue: the input schema a tool advertises is derived from its
parameter annotations, so every argument needs a precise type."""

from __future__ import annotations

from typing import List, Optional, Set

import libcst as cst

from mcp_lint.model import Severity
from mcp_lint.python.mcp_model import Param, ToolHandler, _unquote
from mcp_lint.python.names import keyword, string_value
from mcp_lint.rule import Invalid, PythonRule, Valid

# What each framework advertises for an unannotated parameter (verified on mcp 2.3 and fastmcp 4.2).
UNANNOTATED_SCHEMA = {
    "mcp1": 'the mcp SDK advertises it as `"type": "string"`{default} and accepts any value',
    "mcp2": 'the mcp SDK advertises it as `"type": "string"`{default} and accepts any value',
    "fastmcp": "fastmcp advertises an empty schema `{{}}`: clients are told nothing and may send anything",
    # azure-functions 1.26 `mcp_tool()`: an unannotated parameter is typed `str`.
    "azure-functions": "Azure Functions advertises it as a `string` property{default}: clients are not told what value it takes",
}
LOOSE_NAMES = {"typing.Any", "typing_extensions.Any", "object", "dict", "list", "typing.Dict", "typing.List"}
ANY_NAMES = {"typing.Any", "typing_extensions.Any", "object"}
WRAPPERS = {"typing.Optional", "typing.Annotated", "typing_extensions.Annotated"}


def _tool_params(handler: Optional[ToolHandler]):
    """Argument parameters of a decorator-registered tool that appear in its input schema
    (`*args`/`**kwargs` excluded: no schema can describe them; nor parameters hidden by the
    decorator's `exclude_args=[...]`, which the server fills itself). Low-level handlers
    hand-write their schema: not checked; nor are the tools of a low-level server's `.tool`
    decorator (the SDK's low-level `Server` has none: the project wrote it, and builds the
    schema its own way)."""
    if handler is None or handler.kind != "tool" or handler.framework == "lowlevel":
        return []
    hidden = _excluded_args(handler.function)
    return [p for p in handler.params if p.node.star not in ("*", "**") and p.name not in hidden]


def _excluded_args(function: cst.FunctionDef) -> Set[str]:
    """Names listed in `exclude_args=[...]` of the function's registration decorators."""
    names: Set[str] = set()
    for decorator in function.decorators:
        call = decorator.decorator
        arg = keyword(call, "exclude_args") if isinstance(call, cst.Call) else None
        if arg is not None and isinstance(arg.value, (cst.List, cst.Tuple, cst.Set)):
            names.update(v for v in (string_value(e.value) for e in arg.value.elements) if v)
    return names



def _one_line(code: str, limit: int = 80) -> str:
    """Source shown in a message: whitespace folded, long text cut."""
    text = " ".join(code.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

class ToolParameterUnannotated(PythonRule):
    """
    ## What it does
    Flags a parameter of a tool handler (`@mcp.tool()`, `@mcp.tool`, `mcp.add_tool(fn)`, a tool
    registered in a registrar function) that has no type annotation. Injected parameters
    (`ctx: Context`, `self`, fastmcp dependencies), `*args`/`**kwargs` and low-level
    `@server.call_tool()` handlers (whose schema is written by hand) are not flagged.

    ## Why is this bad?
    The tool's input schema is generated from the annotations. Without one, the mcp SDK
    advertises the parameter as `"type": "string"` (even `limit=10`) while accepting any value,
    and fastmcp advertises `{}`: clients send the wrong type, and nothing validates what arrives.

    ## Example
    ```python
    @mcp.tool()
    def search(query, limit=10) -> list[str]:
        ...
    ```

    ## Use instead
    ```python
    @mcp.tool()
    def search(query: str, limit: int = 10) -> list[str]:
        ...
    ```
    """

    code = "MCP1105"
    needs = ("tool handler",)  # reports parameters of tool handlers only
    name = "tool-parameter-unannotated"
    item = 11
    severity = Severity.WARNING
    summary = "Tool parameter without a type annotation: its advertised input schema is wrong or empty"
    fix_hint = "Annotate the parameter with its precise type (`limit: int = 10`, `Annotated[str, Field(description=...)]`)."
    requires = ("tool",)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        handler = self.model.handlers.get(node)
        for param in _tool_params(handler):
            if param.node.annotation is None:
                self.report(param.node, self._message(handler, param))

    def _message(self, handler: ToolHandler, param: Param) -> str:
        default = param.node.default
        shown = f" (even with default `{_one_line(cst.Module([]).code_for_node(default))}`)" if default is not None else ""
        consequence = UNANNOTATED_SCHEMA.get(handler.framework, "its input schema gives no type: clients may send anything").format(default=shown)
        return f"parameter `{param.name}` of tool `{handler.tool_name}` has no type annotation: {consequence}"

    VALID = [
        Valid(  # an Azure Functions trigger hands the call's JSON to `context`: no schema parameter
            """
            import azure.functions as func

            app = func.FunctionApp()

            @app.generic_trigger(arg_name="context", type="mcpToolTrigger", toolName="hello", toolProperties="[]")
            def hello(context) -> str:
                return "hi"
            """
        ),
        Valid(
            """
            from typing import Annotated
            from pydantic import Field
            from mcp.server.fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool()
            async def search(query: Annotated[str, Field(description="text")], ctx: Context, limit: int = 10) -> list:
                return []
            """
        ),
        Valid(
            """
            from mcp.server.lowlevel import Server

            server = Server("demo")

            @server.call_tool()
            async def call_tool(name, arguments):
                return []
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def helper(x, y=3):
                return x

            @mcp.tool
            def run(cmd: str, *args, **kwargs) -> str:
                return helper(cmd)
            """
        ),
        Valid(
            """
            class Service:
                def __init__(self, mcp):
                    mcp.add_tool(self.lookup)

                def lookup(self, key: str) -> str:
                    return key
            """
        ),
    ]
    INVALID = [
        Invalid(  # an Azure Functions tool: the worker types an unannotated parameter `str`
            """
            import azure.functions as func

            app = func.FunctionApp()

            @app.mcp_tool()
            @app.blob_input(arg_name="file", connection="Storage", path="s/{mcptoolargs.name}")
            def get_snippet(file, name, limit: int = 5) -> str:
                return file.read()
            """,
            line=7,
            count=1,
            message="parameter `name` of tool `get_snippet` has no type annotation: Azure Functions advertises it as a `string` property",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            def search(query: str, limit=10) -> list:
                return []
            """,
            line=6,
            count=1,
            message='parameter `limit` of tool `search` has no type annotation: the mcp SDK advertises it as `"type": "string"` (even with default `10`)',
        ),
        Invalid(
            """
            from fastmcp import FastMCP as F

            app = F("demo")

            @app.tool
            def fetch(url, ctx=None) -> str:
                return url
            """,
            count=2,
            message="fastmcp advertises an empty schema `{}`",
        ),
        Invalid(
            """
            def register(mcp):
                def lookup(key) -> str:
                    return key
                mcp.add_tool(lookup)
            """,
            line=2,
            message="parameter `key` of tool `lookup`",
        ),
    ]


class ToolParameterLooselyTyped(PythonRule):
    """
    ## What it does
    Flags a tool handler parameter annotated with a type that puts no constraint in the input
    schema: `Any`, `object`, bare `dict`/`list`/`Dict`/`List`, or a container of such a type
    (`dict[str, Any]`, `list[Any]`, `list[dict]`, `Optional[Any]`) or a union of such types
    (`dict | list | None`), also inside `Annotated[...]`.
    TypedDicts, pydantic models, `Literal`, enums and typed containers are precise and are not
    flagged, nor are low-level handlers (nor the tools of a low-level server's own `.tool` decorator), nor parameters hidden from the schema by the
    decorator's `exclude_args=[...]` (the server fills them; clients never send them).

    ## Why is this bad?
    The advertised schema says "any object" or nothing at all, so the model guesses the shape,
    and the handler receives unvalidated data it must check by hand.

    ## Example
    ```python
    @mcp.tool()
    def create_issue(fields: dict[str, Any]) -> str:
        ...
    ```

    ## Use instead
    ```python
    class IssueFields(BaseModel):
        title: str
        labels: list[str] = []

    @mcp.tool()
    def create_issue(fields: IssueFields) -> str:
        ...
    ```
    """

    code = "MCP1106"
    needs = ("tool handler",)  # reports parameters of tool handlers only
    name = "tool-parameter-loosely-typed"
    item = 11
    severity = Severity.INFO
    summary = "Tool parameter typed so loosely that its input schema constrains nothing"
    fix_hint = "Model the input with a pydantic model or TypedDict (or a precise type) so the schema and the validation are one declaration."
    requires = ("tool",)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        handler = self.model.handlers.get(node)
        for param in _tool_params(handler):
            annotation = param.node.annotation
            if annotation is not None and self._loose(_unquote(annotation.annotation)):
                shown = _one_line(cst.Module([]).code_for_node(annotation.annotation))
                self.report(param.node, f"parameter `{param.name}` of tool `{handler.tool_name}` is typed `{shown}`: its input schema accepts any value")

    def _loose(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):  # `Any | None`, `dict | list`
            return self._loose_union([expr.left, expr.right])
        if not isinstance(expr, cst.Subscript):
            return self.model.qualify(expr) in LOOSE_NAMES
        base = self.model.qualify(expr.value) or ""
        elements = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
        if base in WRAPPERS and elements:
            return self._loose(elements[0])
        if base == "typing.Union":
            return self._loose_union(elements)
        container = base.split(".")[-1].lower() in ("dict", "list", "mapping", "sequence", "set")
        return container and any(self._loose(e) for e in elements[-1:])  # `list[Any]`, `list[dict]`

    def _loose_union(self, members: List[cst.BaseExpression]) -> bool:
        """Every member but `None` accepts anything of its kind: `dict | list | None`."""
        others = [member for member in members if not _is_none(member)]
        return bool(others) and all(self._loose(member) for member in others)

    VALID = [
        Valid(  # a low-level server's own `.tool` decorator publishes the schema it builds (scribe_mcp)
            """
            from mcp.server import Server

            app = Server("scribe")
            setattr(app, "tool", registry_decorator)

            @app.tool()
            async def append_entry(message: str, meta: dict | None = None) -> dict:
                return await store(message, meta)
            """
        ),
        Valid(
            """
            from enum import Enum
            from typing import Annotated, Literal, TypedDict
            from pydantic import BaseModel, Field
            from mcp.server.fastmcp import FastMCP

            class Filters(TypedDict):
                status: str

            class Query(BaseModel):
                text: str

            class Sort(Enum):
                ASC = "asc"

            mcp = FastMCP("demo")

            @mcp.tool()
            def search(
                q: Query,
                filters: Filters,
                mode: Literal["fast", "deep"],
                sort: Sort,
                tags: list[str],
                weights: dict[str, float],
                rows: list[Filters],
                matrix: list[list[float]],
                note: Annotated[str, Field(max_length=200)] = "",
            ) -> list:
                return []
            """
        ),
        Valid(
            """
            from typing import Any
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool(exclude_args=["session_state", "http_client"])
            def lookup(key: str, session_state: dict | None = None, http_client: Any = None) -> str:
                return key
            """
        ),
        Valid(
            """
            from typing import Any
            from mcp.server.lowlevel import Server

            server = Server("demo")

            @server.call_tool()
            async def call_tool(name: str, arguments: dict[str, Any]) -> list:
                return []
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from typing import Any, Dict
            from fastmcp import FastMCP

            mcp = FastMCP("jira")

            @mcp.tool(exclude_args=["state"])
            def create_issue(project: str, fields: Dict[str, Any], extra: dict, payload: Any = None, state: Any = None,
                             rows: list[dict] | None = None) -> str:
                return project
            """,
            count=4,
            message="parameter `fields` of tool `create_issue` is typed `Dict[str, Any]`",
            severity="info",
        ),
        Invalid(
            """
            import typing as t
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool(name="store")
            def save(value: t.Optional[t.Any], meta: "object | None" = None) -> str:
                return "ok"
            """,
            count=2,
            message="tool `store`",
        ),
        Invalid(  # unions of unconstrained kinds (freecad-mcp's `normal_approx: dict | list | None`)
            """
            from typing import Union
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("cad")

            @mcp.tool()
            def find_faces(normal: dict | list | None = None, center: Union[dict, list, None] = None,
                           radius: float | dict | None = None, axis: Union[str, list[float]] = "z") -> list:
                return []
            """,
            count=2,
            message="`dict | list | None`",
        ),
    ]


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"
