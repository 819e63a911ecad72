"""What a Python file, or a project unit, holds: the facts the engine prunes rules by before it
parses anything with libcst (a rule's `needs` and `needs_in_project`, see mcp_lint/rule.py).

Each holding is a cheap over-approximation of something the per-file MCP model finds only after
the parse: a file said not to hold "tool code" has no tool code in the model, whatever the
rules then ask. They come from the project model's view of the file (its `ast` summary, made
before the per-file phase) and from byte scans of the text, so a wrong "no" loses findings and a
wrong "yes" only costs a parse: when in doubt (no summary), a file holds everything."""

from __future__ import annotations

import re
from typing import Callable, Dict, FrozenSet, Iterable, Optional, Tuple

# -- per file ---------------------------------------------------------------------------------

TOOL_CODE = "tool code"  # a function that runs on a tool call (a handler or its helper)
MCP_CODE = "mcp code"  # the per-file model may find the file takes part in a server (`is_mcp`)
STDIO_PROCESS = "stdio process"  # code that runs in a process serving MCP over stdio
MIDDLEWARE = "middleware"  # a class that may derive from a framework `Middleware`

# What a module's `ast` summary shows (FileView.shows).
REGISTRATION = "tool registration"
MCP_IMPORT = "mcp import"

# Callees (last component) and keywords through which the per-file model registers a handler
# (mcp_model `_classify_decorators` / `_classify_registration_call`).
REGISTERING_CALLS = frozenset({"tool", "call_tool", "add_tool", "from_function"})
REGISTERING_KEYWORDS = frozenset({"tools", "on_call_tool"})
MCP_PACKAGES = ("mcp", "fastmcp")  # as mcp_model.MCP_PACKAGES
# What the summary does not show: an import inside a class body (it keeps module and function
# imports), and an SDK class named in full without an import (qualified as written).
_MCP_OUTSIDE_SUMMARY = re.compile(r"^[ \t]+(?:from|import)[ \t][^\n]*\b(?:mcp|fastmcp)\b|\b(?:mcp\.server|fastmcp)\.", re.MULTILINE)


def summary_shows(summary) -> Tuple[str, ...]:
    """What the module's `ast` summary shows, as supersets of what the per-file model finds:
    a call or decorator shaped like a tool registration (`@x.tool`, `x.add_tool(f)`,
    `Tool.from_function(f)`, `Server(tools=[...])`, an imported standalone `tool` decorator),
    and an import of an MCP SDK."""
    units = (summary.module, *summary.functions)
    targets = [target for unit in units for _, target in unit.imports]
    calls = [c for unit in units for c in unit.calls] + [c for cls in summary.classes for c in cls.calls]
    shows = []
    if any(c.func.rsplit(".", 1)[-1] in REGISTERING_CALLS or any(k in REGISTERING_KEYWORDS for k, _ in c.kwargs) for c in calls) or any(
        t.rsplit(".", 1)[-1] == "tool" for t in targets  # `from fastmcp.tools import tool as register`
    ):
        shows.append(REGISTRATION)
    if any(t.split(".")[0] in MCP_PACKAGES for t in targets):
        shows.append(MCP_IMPORT)
    return tuple(shows)


def _shows(view, what: str) -> bool:
    """No summary (the module is not in the project model): it may show anything."""
    return view.shows is None or what in view.shows


def _tool_code(text: str, view) -> bool:
    # Calls inside a lambda are not in the summary.
    return bool(view.tool_code) or _shows(view, REGISTRATION) or ("lambda" in text and "tool" in text)


def _mcp_code(text: str, view) -> bool:
    """`McpModel.is_mcp`: a server built, typed or subclassed here (each needs an SDK import or
    the view's server names and classes), a handler, an SDK import, or a launch the view knows."""
    return bool(view.launches or view.server_names or view.server_classes) or _tool_code(text, view) or (
        _shows(view, MCP_IMPORT) or bool(_MCP_OUTSIDE_SUMMARY.search(text))
    )


FILE_HOLDINGS: Dict[str, Callable[[str, object], bool]] = {
    TOOL_CODE: _tool_code,
    MCP_CODE: _mcp_code,
    STDIO_PROCESS: lambda text, view: bool(view.stdio),
    MIDDLEWARE: lambda text, view: "Middleware" in text,
}


def file_holds(needs: Iterable[str], text: str, view) -> bool:
    """Whether the file (its text and the project model's view of it) holds one of `needs`."""
    return any(FILE_HOLDINGS[need](text, view) for need in needs)


# -- per project unit -------------------------------------------------------------------------

HTTP_SERVER = "http server"  # a call that serves MCP over HTTP (or SSE)
DYNAMIC_TRANSPORT = "dynamic transport"  # a `run(...)` whose transport is chosen at run time
SETTINGS_CLASS = "settings class"  # a pydantic-settings class

# Text that every HTTP transport call of the per-file model contains (mcp_model
# TRANSPORT_CALLS, TRANSPORT_METHODS and `run(transport="http")` with a literal).
_HTTP_TEXT = (
    b"SseServerTransport", b"StreamableHTTPSessionManager", b"uvicorn", b"hypercorn", b"sse_app", b"http_app",
    b"run_sse_async", b"run_streamable_http_async", b"run_http_async",
    *(quote + literal + quote for literal in (b"sse", b"http", b"streamable-http", b"streamable_http") for quote in (b'"', b"'")),
)
# `run(x)` / `run(transport=x)` with something other than a string literal.
_DYNAMIC_TEXT = re.compile(rb"transport\s*=\s*[^\s\"']|\brun(?:_async)?[\s\\]*\((?:\s|\\|#[^\n]*)*[^\s)\"'#\\]")


def text_marks(data: bytes) -> FrozenSet[str]:
    """Project-unit holdings one Python file's bytes show."""
    marks = set()
    if any(token in data for token in _HTTP_TEXT):
        marks.add(HTTP_SERVER)
    if _DYNAMIC_TEXT.search(data):
        marks.add(DYNAMIC_TRANSPORT)
    if b"BaseSettings" in data:
        marks.add(SETTINGS_CLASS)
    return frozenset(marks)


def view_marks(view) -> FrozenSet[str]:
    """Project-unit holdings the project model sees in a file: launches it found (the per-file
    model adds them to the file's transports by line)."""
    kinds = {kind for _, kind in view.launches}
    marks = set()
    if kinds - {"stdio", "dynamic"}:
        marks.add(HTTP_SERVER)
    if "dynamic" in kinds:
        marks.add(DYNAMIC_TRANSPORT)
    return frozenset(marks)


def unit_holdings(marks: Iterable[FrozenSet[str]], views: Iterable) -> FrozenSet[str]:
    found = set()
    for mark in marks:
        found |= mark
    for view in views:
        found |= view_marks(view)
    return frozenset(found)


def project_holds(needs: Iterable[str], held: Optional[FrozenSet[str]]) -> bool:
    """`held` None: not known (a run without project units), so everything may be there."""
    return held is None or any(need in held for need in needs)
