"""What a Python file, or a project unit, holds: the facts the engine prunes rules by before it
parses anything with libcst (a rule's `needs` and `needs_in_project`, see mcp_lint/rule.py).

Each holding is a cheap over-approximation of something the per-file MCP model finds only after
the parse: a file said not to hold "tool code" has no tool code in the model, whatever the
rules then ask. They come from the project model's view of the file (its `ast` summary, made
before the per-file phase) and from byte scans of the text, so a wrong "no" loses findings and a
wrong "yes" only costs a parse: when in doubt (no summary), a file holds everything."""

from __future__ import annotations

import re

from mcp_lint.python import argument_kinds
from mcp_lint.python.mcp_model import HTTP_TRANSPORTS, looks_like_server_name
from typing import Callable, Dict, FrozenSet, Iterable, Optional, Tuple

# -- per file ---------------------------------------------------------------------------------

TOOL_HANDLER = "tool handler"  # a function registered as a tool
TOOL_CODE = "tool code"  # a function that runs on a tool call (a handler or its helper)
PAYLOAD_PARAMETER = "payload parameter"  # a function that may log a payload-named parameter of its own
MCP_CODE = "mcp code"  # the per-file model may find the file takes part in a server (`is_mcp`)
STDIO_PROCESS = "stdio process"  # code that runs in a process serving MCP over stdio
MIDDLEWARE = "middleware"  # a class that may derive from a framework `Middleware`

# What a module's `ast` summary shows (FileView.shows).
REGISTRATION = "tool registration"
MCP_IMPORT = "mcp import"
RUN_HTTP = "run http"  # `x.run(transport="http")` on what may be a server
RUN_DYNAMIC = "run dynamic"  # `x.run(transport=t)` on what may be a server
PAYLOAD_NAMED = "payload-named parameter"  # a function parameter named like a payload (`sql`, `query`)

# Callees (last component) and keywords through which the per-file model registers a handler
# (mcp_model `_classify_decorators` / `_classify_registration_call`).
REGISTERING_CALLS = frozenset({"tool", "call_tool", "add_tool", "from_function"})
REGISTERING_KEYWORDS = frozenset({"tools", "on_call_tool"})
MCP_PACKAGES = ("mcp", "fastmcp")  # as mcp_model.MCP_PACKAGES
# What the summary does not show: an import inside a class body (it keeps module and function
# imports), and an SDK class named in full without an import (qualified as written). Two
# patterns, each tried only when a substring shows it may match: as one alternation, the
# regular expression engine tried both at every position (1.1 s over a 2,400-file monorepo).
_INDENTED_MCP_IMPORT = re.compile(r"^[ \t]+(?:from|import)[ \t][^\n]*\b(?:mcp|fastmcp)\b", re.MULTILINE)
_QUALIFIED_SDK = re.compile(r"\b(?:mcp\.server|fastmcp)\.")


def _mcp_outside_summary(text: str) -> bool:
    if ("mcp.server." in text or "fastmcp." in text) and _QUALIFIED_SDK.search(text):
        return True
    indented = text[:1] in (" ", "\t") or "\n " in text or "\n\t" in text
    return indented and _INDENTED_MCP_IMPORT.search(text) is not None


def summary_shows(summary, server_names: Iterable[str] = ()) -> Tuple[str, ...]:
    """What the module's `ast` summary shows, as supersets of what the per-file model finds:
    a call or decorator shaped like a tool registration (`@x.tool`, `x.add_tool(f)`,
    `Tool.from_function(f)`, `Server(tools=[...])`, an imported standalone `tool` decorator),
    an import of an MCP SDK, and `run()` calls that may start a server over HTTP or over a
    transport chosen at run time (`server_names`: the view's names of servers)."""
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
    bound = {"self", *server_names, *(b.target for unit in units for b in unit.bindings),
             *(p for unit in summary.functions for p in unit.params)}
    kinds = {_run_kind(c, bound) for c in calls}
    shows.extend(what for what, kind in ((RUN_HTTP, "http"), (RUN_DYNAMIC, "dynamic")) if kind in kinds)
    if any(_payload_named(p) for unit in summary.functions for p in unit.params):
        shows.append(PAYLOAD_NAMED)
    return tuple(shows)


def _payload_named(param: str) -> bool:
    """As MCP0701's sinks: a parameter named like a payload, not the whole arguments dict."""
    return argument_kinds.kind_of_name(param) == argument_kinds.PAYLOAD and param.lower() not in argument_kinds.WHOLE_ARGUMENTS


def _run_kind(call, bound) -> Optional[str]:
    """As mcp_model `_run_transport`, for a `run`/`run_async` call whose receiver the per-file
    model may take for a server (bound in the file, a server name of the view, or named like one)."""
    receiver, _, method = call.callee.rpartition(".")
    if method not in ("run", "run_async") or not (receiver in bound or looks_like_server_name(receiver.rpartition(".")[2])):
        return None
    value = call.kwarg("transport") or (call.args[0] if call.args else None)
    if value is None:
        return "stdio"
    if not value.startswith("s:"):
        return "dynamic"
    return "http" if value[2:] in HTTP_TRANSPORTS else "stdio"


def _shows(view, what: str) -> bool:
    """No summary (the module is not in the project model): it may show anything."""
    return view.shows is None or what in view.shows


def _handler(text: str, view) -> bool:
    """A tool handler: registered from another module (the view), or here, or a helper whose
    value a tool returns as its result. Calls inside a lambda are not in the summary."""
    return any(not entry.is_helper or entry.returns_result for entry in view.tool_code) or _shows(view, REGISTRATION) or (
        "lambda" in text and "tool" in text
    )


def _tool_code(text: str, view) -> bool:
    """A handler, or a helper a handler calls (same-file helpers need a handler here)."""
    return bool(view.tool_code) or _handler(text, view)


def _mcp_code(text: str, view) -> bool:
    """`McpModel.is_mcp`: a server built, typed or subclassed here (each needs an SDK import or
    the view's server names and classes), a handler, an SDK import, or a launch the view knows."""
    return bool(view.launches or view.server_names or view.server_classes) or _handler(text, view) or (
        _shows(view, MCP_IMPORT) or _mcp_outside_summary(text)
    )


FILE_HOLDINGS: Dict[str, Callable[[str, object], bool]] = {
    TOOL_HANDLER: _handler,
    TOOL_CODE: _tool_code,
    MCP_CODE: _mcp_code,
    STDIO_PROCESS: lambda text, view: bool(view.stdio),
    MIDDLEWARE: lambda text, view: "Middleware" in text,
    PAYLOAD_PARAMETER: lambda text, view: _shows(view, PAYLOAD_NAMED),
}
# Holdings that depend on other files of the unit, decided in the parent (`unit_file_holdings`).
TOOL_ENV_SCOPE = "tool env scope"  # tool code that may read the environment, or a module it may call
UNIT_FILE_HOLDINGS = (TOOL_ENV_SCOPE,)


def file_holds(needs: Iterable[str], text: str, view, decided: Optional[FrozenSet[str]] = None) -> bool:
    """Whether the file (its text and the project model's view of it) holds one of `needs`;
    `decided`: the holdings the parent decided for it from the whole unit (None: not known)."""
    return any(
        (decided is None or need in decided) if need in UNIT_FILE_HOLDINGS else FILE_HOLDINGS[need](text, view)
        for need in needs
    )


# -- per project unit -------------------------------------------------------------------------

HTTP_SERVER = "http server"  # a call that serves MCP over HTTP (or SSE)
DYNAMIC_TRANSPORT = "dynamic transport"  # a `run(...)` whose transport is chosen at run time
SETTINGS_CLASS = "settings class"  # a pydantic-settings class

# Text that every HTTP transport call of the per-file model contains: mcp_model TRANSPORT_CALLS
# and TRANSPORT_METHODS name one of these; `run(transport="http")` quotes one of the literals
# (run calls of summarised modules are read from their summary instead: RUN_HTTP).
_HTTP_NAMES = (
    b"SseServerTransport", b"StreamableHTTPSessionManager", b"uvicorn", b"hypercorn", b"sse_app", b"http_app",
    b"run_sse_async", b"run_streamable_http_async", b"run_http_async",
)
_HTTP_LITERALS = tuple(q + literal + q for literal in (b"sse", b"http", b"streamable-http", b"streamable_http") for q in (b'"', b"'"))
HTTP_LITERAL = "http literal"  # text mark
# `run(x)` / `run(transport=x)` with something other than a string literal.
_DYNAMIC_TEXT = re.compile(r"transport\s*=\s*[^\s\"']|\brun(?:_async)?[\s\\]*\((?:\s|\\|#[^\n]*)*[^\s)\"'#\\]")


ENV_READ = "env read"  # text mark: `os.getenv` / `os.environ.get` may be called here
RUN_TEXT = "run text"  # text mark: a `run()` call or a `transport=` may be here (see _DYNAMIC_TEXT)
TOOL_TEXT = "tool text"  # text mark: every registration shape names "tool" or `from_function`
LAMBDA = "lambda"  # text mark: calls inside a lambda are not in the summary
LAMBDA_TOOL = "lambda tool"  # text mark: a registration may hide in a lambda (see _tool_code)


def text_marks(data: bytes) -> FrozenSet[str]:
    """What one file's bytes show, for holdings decided across the unit."""
    marks = set()
    if b"getenv" in data or b"environ" in data:
        marks.add(ENV_READ)
    if b"lambda" in data:
        marks.add(LAMBDA)
    if b"tool" in data or b"from_function" in data:
        marks.add(TOOL_TEXT)
        if LAMBDA in marks:
            marks.add(LAMBDA_TOOL)
    if any(token in data for token in _HTTP_NAMES):
        marks.add(HTTP_SERVER)
    if any(token in data for token in _HTTP_LITERALS):
        marks.add(HTTP_LITERAL)
    if b"run" in data or b"transport" in data:
        marks.add(RUN_TEXT)
    if b"BaseSettings" in data:
        marks.add(SETTINGS_CLASS)
    return frozenset(marks)


def view_marks(view) -> FrozenSet[str]:
    """Project-unit holdings the project model sees in a file: launches it found (the per-file
    model adds them to the file's transports by line) and `run()` calls its summary shows."""
    kinds = {kind for _, kind in view.launches}
    shows = view.shows or ()
    marks = set()
    if kinds - {"stdio", "dynamic"} or RUN_HTTP in shows:
        marks.add(HTTP_SERVER)
    if "dynamic" in kinds or RUN_DYNAMIC in shows:
        marks.add(DYNAMIC_TRANSPORT)
    return frozenset(marks)


def unit_holdings(marks: Dict[str, FrozenSet[str]], views: Dict[str, object], text_of) -> FrozenSet[str]:
    """What the unit holds, from its Python files' text marks (`marks`, by path) and views
    (`text_of(rel)`: a file's text). The text tests for `run()` calls are loose
    (`asyncio.run(main())`, `scheme == "http"` pass): they stand only for Python files the
    project model has no summary of, or whose summary may miss a call (in a lambda)."""
    found = set()
    for rel, mark in marks.items():
        found |= mark & {HTTP_SERVER, SETTINGS_CLASS}
        view = views.get(rel)
        if view is None or view.shows is None or LAMBDA in mark:
            if HTTP_LITERAL in mark:
                found.add(HTTP_SERVER)
            if RUN_TEXT in mark and DYNAMIC_TRANSPORT not in found and _DYNAMIC_TEXT.search(text_of(rel) or ""):
                found.add(DYNAMIC_TRANSPORT)
    for view in views.values():
        found |= view_marks(view)
    return frozenset(found)


def project_holds(needs: Iterable[str], held: Optional[FrozenSet[str]]) -> bool:
    """`held` None: not known (a run without project units), so everything may be there."""
    return held is None or any(need in held for need in needs)


# -- per file, decided across the unit --------------------------------------------------------

_INDENTED_IMPORT = re.compile(r"^[ \t]+(?:from|import)[ \t]", re.MULTILINE)


def unit_file_holdings(marks: Dict[str, FrozenSet[str]], views: Dict[str, object], modules: Dict[str, object], text_of) -> Dict[str, FrozenSet[str]]:
    """The holdings of UNIT_FILE_HOLDINGS for each Python file of a unit (`marks`: text marks by
    path; `modules`: the project model's summaries by path; `text_of(rel)`: a file's text).

    TOOL_ENV_SCOPE (MCP0102): its findings are module-level environment reads used by tool code
    of the same file (so only files whose module-level calls may bind one), and they are dropped
    when the value is only passed to functions that substitute a default; the function is named
    through the file's imports (or is its own), so the facts that matter come from those files
    and the modules they import."""
    from mcp_lint.python.context import package_of
    from mcp_lint.python.file_summary import summarise

    candidates, targets = [], set()
    for rel, mark in marks.items():
        if ENV_READ not in mark or not _tool_code_in(rel, mark, views):
            continue
        text = text_of(rel) or ""
        summary = modules.get(rel) or summarise(rel, text, package_of(rel))
        if summary is None:
            return {rel: frozenset({TOOL_ENV_SCOPE}) for rel in marks}  # not known: every file
        if not _binds_env_at_module_level(summary):
            continue
        if _class_level_import(text):
            return {rel: frozenset({TOOL_ENV_SCOPE}) for rel in marks}  # imports not all known: every file
        candidates.append(rel)
        targets.update(target for unit in (summary.module, *summary.functions) for _, target in unit.imports)
    from mcp_lint.python.project_model import module_names

    parents = {t.rpartition(".")[0] for t in targets}
    scope = set(candidates)
    for rel in marks:
        if rel not in scope and any(_may_define(name, targets, parents) for name in module_names(rel)):
            scope.add(rel)
    return {rel: frozenset({TOOL_ENV_SCOPE}) for rel in scope}


def _binds_env_at_module_level(summary) -> bool:
    """Whether a module-level call may bind a name to an environment read, as MCP0102 reads
    them: `X = os.getenv(...)` / `environ.get(...)` under any import alias, or names bound from a
    function of the module (`A, B = load_settings()`)."""
    own = {unit.name for unit in summary.functions if not unit.cls}
    return any(
        call.callee.rpartition(".")[2] in ("getenv", "get") or call.callee in own for call in summary.module.calls
    )


def _tool_code_in(rel: str, mark: FrozenSet[str], views: Dict[str, object]) -> bool:
    from mcp_lint.python.project_model import EMPTY_VIEW

    view = views.get(rel, EMPTY_VIEW)
    if view.tool_code or LAMBDA_TOOL in mark:
        return True
    return REGISTRATION in view.shows if view.shows is not None else TOOL_TEXT in mark


def _class_level_import(text: str) -> bool:
    """An indented import whose nearest enclosing `class`/`def` line is a `class`: the summary
    keeps the imports of modules and functions, not of class bodies, so it does not know what
    such an import binds. Module-level `if`/`try` imports are in the summary."""
    lines = text.split("\n")
    for match in _INDENTED_IMPORT.finditer(text):
        number = text.count("\n", 0, match.start())
        indent = _indent(lines[number])
        for previous in reversed(lines[:number]):
            stripped = previous.strip()
            if not stripped or stripped.startswith("#") or _indent(previous) >= indent:
                continue
            indent = _indent(previous)
            if stripped.startswith(("def ", "async def ")):
                break
            if stripped.startswith("class "):
                return True
            if indent == 0:
                break
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _may_define(module: str, targets, parents) -> bool:
    """Whether a function `module.f` may be what an import target names or leads to: the target
    is the function (`pkg.utils.f`: `parents`), the module (`pkg.utils`) or a package above it."""
    if module in parents:
        return True
    parts = module.split(".")
    return any(".".join(parts[:i]) in targets for i in range(1, len(parts) + 1))
