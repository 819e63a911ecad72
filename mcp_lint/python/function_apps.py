"""MCP tools of an Azure Functions app (azure-functions 1.24 and later, the host's MCP extension).

A function app declares its tools with decorators that the Functions host reads; the project
imports no MCP SDK and starts no server (the host serves the tools over HTTP, behind its system
key unless host.json says otherwise), so these tools have no launch in the project model.

    @app.mcp_tool_trigger(arg_name="context", tool_name="save_snippet", ...)
    @app.generic_trigger(arg_name="context", type="mcpToolTrigger", toolName="save_snippet", ...)
        the host hands the function the whole call as JSON text in the `arg_name` parameter
        (`json.loads(context)["arguments"]`): that one parameter carries the caller's arguments
        (handler kind TRIGGER);
    @app.mcp_tool()
        the worker passes each argument to the parameter of its name and names the tool after the
        function (handler kind "tool"); a parameter another decorator binds (`arg_name=` of a
        blob input) or typed `MCPToolContext` is filled by the host, not by the caller.

Both the `ast` summaries (project model) and the libcst tree (file model) ask `tool_decorator`,
each with its own way of reading a keyword's literal.
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional, Set, Tuple

import libcst as cst

from mcp_lint.python.names import keyword, string_value

FRAMEWORK = "azure-functions"
TRIGGER = "trigger"  # handler kind: one parameter holds the call's JSON
PACKAGE = "azure.functions"
_TRIGGER_NAME_KEYWORDS = {"mcp_tool_trigger": "tool_name", "generic_trigger": "toolName"}
_TOOL_CONTEXT = "MCPToolContext"


def tool_decorator(method: str, literal: Callable[[str], Optional[str]], imports_functions: bool) -> Optional[Tuple[str, str]]:
    """(handler kind, tool name or "") when a decorator `<app>.<method>(...)` declares an MCP
    tool; `literal(keyword)` is the string literal given for that keyword, if any.
    `mcp_tool` is a common enough name that it counts only in a module importing azure.functions."""
    if method == "mcp_tool_trigger" or (method == "generic_trigger" and literal("type") == "mcpToolTrigger"):
        return TRIGGER, literal(_TRIGGER_NAME_KEYWORDS[method]) or ""
    if method == "mcp_tool" and imports_functions:
        return "tool", ""
    return None


def declared_tool(decorator: cst.Decorator, imports_functions: bool) -> Optional[Tuple[str, str]]:
    """`tool_decorator` for one libcst decorator."""
    call = decorator.decorator
    target = call.func if isinstance(call, cst.Call) else call
    if not isinstance(target, cst.Attribute):
        return None
    return tool_decorator(target.attr.value, lambda name: _literal_of(call, name) if isinstance(call, cst.Call) else None, imports_functions)


def trigger_parameter(function: cst.FunctionDef) -> Optional[str]:
    """The parameter a trigger decorator hands the call's JSON to (its `arg_name`)."""
    for decorator in function.decorators:
        found = declared_tool(decorator, False)
        if found is not None and found[0] == TRIGGER:
            return _literal_of(decorator.decorator, "arg_name")
    return None


def host_filled(function: cst.FunctionDef, annotations: Iterable[Tuple[str, Optional[str]]]) -> Set[str]:
    """Parameters of an `mcp_tool` function that the caller does not supply: those other
    decorators bind (`@app.blob_input(arg_name="file", ...)`) and an `MCPToolContext`.
    `annotations` gives (parameter, qualified annotation) pairs."""
    filled = {name for name, annotation in annotations if annotation and annotation.split(".")[-1] == _TOOL_CONTEXT}
    for decorator in function.decorators:
        call = decorator.decorator
        method = call.func.attr.value if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) else ""
        if method not in ("mcp_tool", "mcp_tool_property"):  # a property describes an argument
            bound = _literal_of(call, "arg_name") if isinstance(call, cst.Call) else None
            if bound:
                filled.add(bound)
    return filled


def _literal_of(call: cst.Call, name: str) -> Optional[str]:
    """The string literal given for keyword `name`, if any."""
    arg = keyword(call, name)
    return string_value(arg.value) if arg is not None else None
