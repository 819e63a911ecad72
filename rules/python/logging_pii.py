"""Checklist item 7: structured JSON logging, and never log tool call arguments."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst

from mcp_lint.python import argument_kinds, choices, walk

from mcp_lint.model import Edit, Finding, Fix, Severity
from mcp_lint.python.dataflow import DEFAULT_SANITIZERS, SeedTaint, expression_uses, tainted_names
from mcp_lint.python.mcp_model import CONTEXT_TYPES, SERVER_CLASSES, ToolCode, ToolHandler
from mcp_lint.python.names import dotted, keyword, positional, string_value, through_thread_pool
from mcp_lint.python.placement import at_launches, demo_file, loaded_modules
from mcp_lint.python.project_model import module_names
from mcp_lint.rule import Invalid, PythonProjectRule, PythonRule, Valid

LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg", "trace",
     "success", "adebug", "ainfo", "awarning", "aerror", "aexception", "acritical", "alog"}
)
# structlog / loguru calls whose keyword arguments end up on every later log line.
BIND_METHODS = frozenset({"bind", "new", "contextualize"})
LOGGER_NAMES = frozenset({"logger", "log", "_logger", "_log", "LOGGER", "LOG", "logging"})
LOGGER_FACTORIES = frozenset(
    {"logging.getLogger", "structlog.get_logger", "structlog.getLogger", "structlog.stdlib.get_logger",
     "structlog.wrap_logger"}
)
LOGGER_OBJECTS = frozenset({"logging", "loguru.logger", "structlog.contextvars"})
CLIENT_LOG_METHODS = frozenset({"debug", "info", "warning", "error", "log"})
GET_CONTEXT = frozenset({"fastmcp.server.dependencies.get_context", "fastmcp.get_context"})
# Keyword arguments of logging calls that carry no message data.
CONTROL_KEYWORDS = frozenset({"exc_info", "stack_info", "stacklevel", "file", "sep", "end", "flush"})
LOGGING_MIDDLEWARE = frozenset({"LoggingMiddleware", "StructuredLoggingMiddleware"})
RUN_METHODS = frozenset({"run", "run_async", "run_http_async", "run_stdio_async", "run_sse_async",
                         "run_streamable_http_async"})
ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"})


def _logger_receiver(expr: cst.BaseExpression, model, known: Set[str]) -> bool:
    """`logger`, `self.log`, `logging`, loguru's `logger`, a `getLogger(...)` result or a bound logger."""
    if isinstance(expr, cst.Call):
        func = expr.func
        if model.qualify(func) in LOGGER_FACTORIES:
            return True
        return isinstance(func, cst.Attribute) and func.attr.value in BIND_METHODS and _logger_receiver(func.value, model, known)
    name = dotted(expr)
    if name is None:
        return False
    return name in known or model.qualify(expr) in LOGGER_OBJECTS or name.split(".")[-1] in LOGGER_NAMES


def _logger_assignment(node: cst.Assign, model, known: Set[str]) -> Iterable[str]:
    """Names bound to a logger: `log = structlog.get_logger()`, `log = logger.bind(tool="x")`."""
    if _logger_receiver(node.value, model, known) and isinstance(node.value, cst.Call):
        for target in node.targets:
            name = dotted(target.target)
            if name:
                yield name


def _is_true(arg: Optional[cst.Arg]) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"


def _project_transports(facts_by_path: Dict[str, Dict[str, Any]]) -> Set[str]:
    found: Set[str] = set()
    for facts in facts_by_path.values():
        found |= set(facts.get("transports", ()))
    return found


_SCALARS = {"int", "float", "bool", "builtins.int", "builtins.float", "builtins.bool"}
# Parsed values that cannot hold what the user wrote: a moment, a UUID, a decimal number.
_SCALAR_TYPES = ("int", "float", "bool", "datetime", "date", "time", "timedelta", "UUID", "Decimal")


PRIORITY_ENUM = "from enum import Enum\n\nclass Priority(str, Enum):\n    P0 = 'P0'\n    P1 = 'P1'\n"
PRIORITY_TOOL = """
import logging
from mcp.server.fastmcp import FastMCP
from app.models import Priority

logger = logging.getLogger(__name__)
mcp = FastMCP("prd")

@mcp.tool()
def create_prd(title_hint: str, priority: str = "P1") -> str:
    try:
        level = Priority(priority)
    except ValueError as err:
        raise ValueError("bad priority") from err
    logger.info("prd created", extra={"priority": priority})
    return str(level)
"""


def _scalar_parameters(handler) -> List[str]:
    """Parameters typed `int`, `float`, `bool`, `datetime`, `UUID`, ... or `Literal[...]` (also
    inside `Annotated[...]` or `Optional[...]`), or `Union[int, str]` where the function reads them
    with `int(x)`: a count, a flag, a moment or a fixed choice cannot carry what the user wrote,
    so logging them is not logging personal data."""
    names = []
    converted = None
    for param in handler.params:
        annotation = param.node.annotation.annotation if param.node.annotation is not None else None
        if param.annotation in _SCALARS or _scalar_annotation(annotation):
            names.append(param.name)
        elif _number_or_text(annotation):
            converted = _converted_to_numbers(handler.function) if converted is None else converted
            if param.name in converted:
                names.append(param.name)  # `Union[int, str]` read as `int(x)`: a number sent as text
    return names


def _number_or_text(annotation: Optional[cst.BaseExpression]) -> bool:
    """`Union[int, str]`, `int | str` (also inside `Optional[...]` / `Annotated[...]`)."""
    members = _union_members(annotation)
    return "str" in members and bool(members & {"int", "float"}) and members <= {"int", "float", "str", "None"}


def _union_members(annotation: Optional[cst.BaseExpression]) -> Set[str]:
    if isinstance(annotation, cst.Name):
        return {annotation.value}
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        return _union_members(annotation.left) | _union_members(annotation.right)
    if isinstance(annotation, cst.Subscript):
        base = (dotted(annotation.value) or "").split(".")[-1]
        elements = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
        if base in ("Union", "Optional"):
            return set().union(*(_union_members(e) for e in elements)) | ({"None"} if base == "Optional" else set())
        if base == "Annotated" and elements:
            return _union_members(elements[0])
    return {"?"}


def _converted_to_numbers(function: cst.FunctionDef) -> Set[str]:
    """Names the function converts with `int(x)` / `float(x)`."""
    return {
        node.args[0].value.value for node in walk.own_nodes(function.body)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("int", "float")
        and len(node.args) == 1 and isinstance(node.args[0].value, cst.Name)
    }


def _scalar_annotation(annotation: Optional[cst.BaseExpression]) -> bool:
    """A scalar type, also optional: `bool | None`, `Union[int, None]`, `Optional[int]`."""
    if isinstance(annotation, (cst.Name, cst.Attribute)):
        return (dotted(annotation) or "").split(".")[-1] in _SCALAR_TYPES
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        sides = [side for side in (annotation.left, annotation.right) if not _is_none(side)]
        return bool(sides) and all(_scalar_annotation(side) for side in sides)
    if not isinstance(annotation, cst.Subscript):
        return False
    base = (dotted(annotation.value) or "").split(".")[-1]
    if base == "Literal":
        return True
    elements = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
    if base == "Union":
        members = [e for e in elements if not _is_none(e)]
        return bool(members) and all(_scalar_annotation(e) for e in members)
    return base in ("Annotated", "Optional") and bool(elements) and _scalar_annotation(elements[0])


def _is_none(annotation: cst.BaseExpression) -> bool:
    return isinstance(annotation, cst.Name) and annotation.value == "None"


DRIVER_SERVER = """
from fastmcp import FastMCP
from app.db import Database

mcp = FastMCP("x")
database = Database()

@mcp.tool
def query(statement: str) -> list:
    return database.run(statement)
"""

GUARDED_SERVER = """
from fastmcp import FastMCP
from app.guard import check_sql

mcp = FastMCP("x")

@mcp.tool
def run_sql(statement: str) -> str:
    if not check_sql(statement):
        return "refused"
    return "ok"
"""


# A tool whose `except` branches assign the same name, one with the argument (MCP0701 cases).
SIBLING_BRANCHES = """
            import logging
            from fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("mail")

            @mcp.tool
            def send(email: str) -> str:
                try:
                    return deliver(email)
                except FileNotFoundError as e:
                    error_text = f"secrets file missing: {e}"LOG_FIRST
                    return error_text
                except Exception as e:
                    error_text = f"could not send to {email}: {e}"LOG_SECOND
                    return error_text
            """


# A tool that logs a value it derived from `{arg}` under the name `{local}`.
ATTACHMENT_ID = """
import logging
from fastmcp import FastMCP

mcp = FastMCP("calendar")
log = logging.getLogger(__name__)

@mcp.tool
def attach({arg}: str) -> str:
    {local} = {arg}.rsplit("/", 1)[-1]
    log.info("attaching %s", {local})
    return {local}
"""


LOGGING_SERVER = """
    import logging
    from mcp.server.fastmcp import FastMCP

    logger = logging.getLogger(__name__)

    class LoggingFastMCP(FastMCP):
        async def call_tool(self, name, arguments):
            logger.info({logged})
            return await super().call_tool(name, arguments)

    mcp = LoggingFastMCP("fitness")
"""



STOCK_CODE = """
import logging
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("quotes")
log = logging.getLogger(__name__)

@mcp.tool()
def daily_bars(code: str) -> dict:
    \"\"\"Daily price bars.

    Args:
        code: {described}
    \"\"\"
    log.info("fetching bars for code=%s", code)
    return {{}}
"""

class ToolArgumentsLogged(PythonProjectRule):
    """
    ## What it does
    Flags logging calls in tool code whose message, format arguments, f-string, `extra=` or
    keyword arguments contain a tool argument or a value built from one: stdlib `logging`
    (`logger.info`, `logging.warning`, `log.exception`, `logger.log(level, ...)`), structlog
    (`log.info("event", query=query)`, `log.bind(...)`), loguru, `print`, and `locals()` or a
    whole `**kwargs` / low-level `arguments` dict. Client-visible logs (`ctx.info(...)` on an MCP
    `Context`) are reported as warnings. Tool code is a tool handler or a same-file helper it
    calls directly, and a server subclass's `call_tool(self, name, arguments)` override, which
    every tool call passes through, logs `arguments` as tool arguments; the analysis follows the value through assignments, string building and
    unpacking (`sql = f"SELECT ... {query}"` then `logger.info(sql)`).

    ## Why is this bad?
    Tool arguments are whatever the user told the AI: questions, names, e-mail addresses,
    documents. Logging them copies that personal data into log storage and to the log vendor,
    without the user's consent, and log retention rarely matches data-protection rules.
    `ctx.info(...)` sends the text to the client instead, which is less severe but still echoes
    the data into another system's logs.

    ## Example
    ```python
    @mcp.tool()
    def search(query: str) -> str:
        logger.info(f"search called with {query}")
        return index.search(query)
    ```

    ## Use instead
    ```python
    @mcp.tool()
    def search(query: str) -> str:
        logger.info("search called", extra={"tool_name": "search", "query_length": len(query)})
        return index.search(query)
    ```
    Log the tool name, duration, session id and sizes; never the values.

    ## Severity
    Error when the logged value is free text or a payload: an argument (or a value built from
    one, or read from it by a key or attribute) named like a query, SQL, message, body,
    document, prompt, e-mail or a person's name, `arguments` / `**kwargs` as a whole, or
    `locals()`. Warning when what it holds cannot be told from its name (`url`, `source`, a bare
    `name` of a tool about neither people nor resources), and for drivers and services of other
    modules (and helpers that tool code of another module calls), which are matched by name. Identifiers are not reported: cluster and resource ids,
    regions, table and database names, page tokens, enum members, counts, patterns over names
    (`like`, `filter_pattern`), the keys of the arguments dict, paths of files on the server
    (`output_file`, `notebook_path`, a `pathlib.Path` annotation; `mcp_lint/python/argument_kinds.py`
    holds the word lists), and a value named as an identifier that the tool derived from an
    argument whose name says nothing (`file_id = attachment.rsplit("/", 1)[-1]`; from a `query`
    it is still the query). The code can also show an argument to be a name whatever it is called
    (`mcp_lint/python/choices.py`): its `Field(description=...)` or docstring entry says it is
    `one of` some quoted names, gives only identifier-shaped examples (`e.g. 'cp',
    'describe-instances'`), calls it the name of a thing (`Profile name to use`, `Name of the
    saved report`; descriptions of people, addresses or free text never count, nor `filter by
    name`), an identifier (`URI slug, not the display name`, `Identifier of the board`) or an
    entry of a code list (`Stock code (5 digits)`, `ISO country code`); or
    the value is logged where it just failed a lookup in a fixed set of names (the body of
    `if x not in SUPPORTED:`, the `else` of `if x in SUPPORTED:`, the `except` after
    `SomeKind[x]`), so what is logged is the unrecognised name, or after a lookup that raises
    when it fails (`TABLE[x]`, or `Priority(x)` of a project enum in a `try` whose every `except`
    raises), so what is logged is one of the names. When one call logs several
    arguments, the message names the worst. The judgement is by name and description, so a
    free-text argument called `region` is missed, and so is a path under a user's home folder.

    ## Known false positives
    Warnings on URLs the caller passed (`url`) and on enum-like strings with neutral names that
    neither a description nor a lookup shows to be choices: suppress them with a reason.

    ## Options
    Parameters typed `int`, `float`, `bool`, `datetime` (`date`, `UUID`, `Decimal`, ...),
    `Literal[...]` or an `Enum` of the module are not reported, nor one typed `Union[int, str]`
    that the tool reads with `int(x)` (a number sent as text): a count, a flag, a moment or a
    fixed choice cannot carry what the user wrote.

    `safe-parameters` lists parameter names whose values are never personal (for example an
    enum-like `sort_by`); `sanitizers` lists functions whose result reveals nothing about their
    argument (`len`, `type`, hashing and redaction helpers; `module.*` matches a whole module).
    """

    code = "MCP0701"
    name = "tool-arguments-logged"
    item = 7
    severity = Severity.ERROR
    summary = "Tool call argument written to a log"
    fix_hint = "Log the tool name, duration, session id and sizes (len(x)), never argument values; redact if a value is truly needed."
    requires = ("log", "print", "ctx", "context", "Context", "tool", "Tool")  # "tool": calls into drivers
    scope = "mcp-project"  # a driver module that logs SQL never mentions MCP
    # Findings and passed-on calls are in tool code; a sink elsewhere needs a function with a
    # payload-named parameter (holdings.py): other files are not parsed for this rule.
    needs = ("tool code", "payload parameter")
    options = {"safe-parameters": [], "sanitizers": sorted(DEFAULT_SANITIZERS)}

    def __init__(self, ctx):
        super().__init__(ctx)
        self._loggers: Set[str] = set()
        self._contexts: Dict[cst.FunctionDef, Set[str]] = {}
        # enum classes: the file's own (`visit_ClassDef`) and the project's it names (`class_ancestors`)
        self._enums: Set[str] = {name for name, ancestors in self.model.view.class_ancestors if ENUM_BASES.intersection(ancestors)}
        self._classes: List[str] = []
        self._class_nodes: List[cst.ClassDef] = []
        self._imported: Set[str] = set()
        self._sinks: List[dict] = []  # functions that log a payload-named parameter of their own
        self._calls: List[dict] = []  # calls in tool code that pass caller data on
        self._labels: Dict[int, str] = {}
        self._taints: Dict[cst.FunctionDef, Tuple[ToolCode, SeedTaint]] = {}
        self._seed_kinds: Dict[Tuple[cst.FunctionDef, str, int], str] = {}
        self._fixed_sets: Optional[FrozenSet[str]] = None  # module-level literal sets of names

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._imported.add((dotted(alias.name) or "").split(".")[-1])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, Sequence):
            self._imported.update(alias.name.value for alias in node.names if isinstance(alias.name, cst.Name))
        if node.module is not None:
            self._imported.add((dotted(node.module) or "").split(".")[-1])

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()
        self._class_nodes.pop()

    def leave_Module(self, original_node: cst.Module) -> None:
        self.facts = {"sinks": self._sinks, "calls": self._calls, "imported": sorted(self._imported)}

    def visit_Assign(self, node: cst.Assign) -> None:
        self._loggers.update(_logger_assignment(node, self.model, self._loggers))
        if isinstance(node.value, cst.Call) and self.model.qualify(node.value.func) in GET_CONTEXT:
            for target in node.targets:
                if isinstance(target.target, cst.Name) and self.ctx.current_function is not None:
                    self._context_names(self.ctx.current_function).add(target.target.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node.name.value)
        self._class_nodes.append(node)
        if any((dotted(b.value) or "").split(".")[-1] in ENUM_BASES for b in node.bases):
            self._enums.add(node.name.value)

    def visit_Call(self, node: cst.Call) -> None:
        code = self.ctx.tool_code
        kind = self._log_kind(node)
        if code is None and kind == "server" and self._logs_every_call(node):
            return
        if code is None or _callers_arguments_unknown(code):
            # Outside tool code, or in a helper that tool code of another module calls (which of
            # its parameters carry tool arguments is known there): a sink, matched in `check`.
            if kind == "server" and self.ctx.current_function is not None:
                self._note_sink(node, self.ctx.current_function)
            return
        if kind is None:
            self._note_call(node, code)
            return
        logged = [(used, self._unless_rejected(node, code, used, what_kind)) for used, what_kind in self._logged_arguments(node, code)]
        if not logged:
            return
        used, what_kind = max(logged, key=lambda pair: argument_kinds.rank(pair[1]))
        if what_kind != argument_kinds.IDENTIFIER:
            self._report(node, used, code, kind, what_kind)

    def _unless_rejected(self, node: cst.Call, code: ToolCode, used: cst.CSTNode, what_kind: str) -> str:
        """IDENTIFIER when the call logs a value that was looked up in a fixed set of names (and
        failed, or passed a lookup that raises on failure)."""
        if what_kind == argument_kinds.IDENTIFIER:
            return what_kind
        if self._fixed_sets is None:
            self._fixed_sets = choices.fixed_sets(self.ctx.document.module)
        return argument_kinds.IDENTIFIER if choices.rejected_choice(code.function, node, used, self._fixed_sets, self._enums) else what_kind

    def _logs_every_call(self, node: cst.Call) -> bool:
        """`def call_tool(self, name, arguments)` of a server subclass (every tool call passes
        there: genetec's and myfitnesspal's `LoggingFastMCP`) logging the `arguments` dict: reported."""
        function = self.ctx.current_function
        cls = self._class_nodes[-1] if self._class_nodes else None
        params = [p.name.value for p in function.params.params] if function is not None else []
        if function is None or function.name.value != "call_tool" or cls is None or len(params) < 3 \
                or not any(self.model.qualify(base.value) in SERVER_CLASSES for base in cls.bases):
            return False
        if not self._logs_parameter(node, function, params[2]):
            return False
        self.report(node, f"`{cls.name.value}.call_tool` logs `{params[2]}`, the arguments of every tool call")
        return True

    def _logs_parameter(self, node: cst.Call, function: cst.FunctionDef, param: str) -> bool:
        """The logging call `node` writes the function's parameter `param` or a value built from it."""
        sanitizers = self.option("sanitizers")
        names = tainted_names(function, ToolHandler(function, function.name.value, "sink", "", argument_names=frozenset({param})), sanitizers)
        return any(expression_uses(a.value, names, (), sanitizers, at=(function, node)) is not None for a in self._message_args(node))

    def _note_sink(self, node: cst.Call, function: cst.FunctionDef) -> None:
        """A function outside tool code that logs one of its own parameters named like a
        payload (`def execute(self, sql): log.debug(sql)`): tool code in another module may
        hand it a tool argument (matched in `check`)."""
        params = [p for p in (*function.params.posonly_params, *function.params.params)]
        if params and params[0].name.value in ("self", "cls") and self._classes:
            params = params[1:]
        for index, param in enumerate(params):
            name = param.name.value
            if argument_kinds.kind_of_name(name) != argument_kinds.PAYLOAD or name.lower() in argument_kinds.WHOLE_ARGUMENTS:
                continue
            if self._logs_parameter(node, function, name):
                document = self.ctx.document
                self._sinks.append({
                    "function": function.name.value, "cls": self._classes[-1] if self._classes else None,
                    "modules": module_names(document.path), "param": name, "index": index,
                    "location": document.location(node), "call": dotted(node.func) or "logging call",
                })
                return

    def _note_call(self, node: cst.Call, code: ToolCode) -> None:
        """A call in tool code that passes caller data (free text or unknown) to a function or
        method by name, recorded for matching with the sinks of this and other modules. A
        function handed to a thread pool (`executor.submit(f, q)`, `asyncio.to_thread(f, q)`,
        `loop.run_in_executor(None, f, q)`) counts as called with the arguments that follow."""
        func, args = through_thread_pool(node)
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        if name is None or name in ("print", "str", "len", "format", "join"):
            return
        position = 0
        for arg in args:
            if arg.star:
                continue
            tainted = self._tainted([arg.value], code, at=node)
            if tainted and tainted[1] != argument_kinds.IDENTIFIER:
                used, what_kind = tainted
                text = self.ctx.document.module.code_for_node(used)
                self._calls.append({
                    "name": name, "method": isinstance(func, cst.Attribute),
                    "index": None if arg.keyword is not None else position,
                    "keyword": arg.keyword.value if arg.keyword is not None else None,
                    "kind": what_kind, "what": text if len(text) <= 40 else text[:37] + "...",
                    "argument": isinstance(used, cst.Name) and used.value in code.handler.argument_names,
                    "where": code.where, "location": self.ctx.document.location(node),
                })
            if arg.keyword is None:
                position += 1

    def _tainted(self, values: Sequence[cst.BaseExpression], code: ToolCode, at: cst.Call) -> Optional[Tuple[cst.CSTNode, str]]:
        found = self._logged_arguments(node=None, code=code, values=values, at=at)
        return max(found, key=lambda pair: argument_kinds.rank(pair[1])) if found else None

    def _logged_arguments(
        self, node: Optional[cst.Call], code: ToolCode, values: Sequence[cst.BaseExpression] = (), at: Optional[cst.Call] = None,
    ) -> List[Tuple[cst.CSTNode, str]]:
        """Each caller argument that reaches the call's message (or `values`), with what it
        probably holds. Taint is followed one seed parameter at a time, so a value is judged by
        the argument it comes from (`sql` built from `table` logs a table name; from `query`, a
        query)."""
        exprs = list(values) if node is None else [arg.value for arg in self._message_args(node)]
        found = self._taint(code).uses(exprs, at=node or at)
        if not found:
            return []
        self._labels = _member_labels(exprs)
        return [(used, self._argument_kind(used, seed, code.handler)) for seed, used in found]

    def _taint(self, code: ToolCode) -> SeedTaint:
        """The taint of `code`'s function, built on its first question and kept for the file."""
        kept = self._taints.get(code.function)
        if kept is None or kept[0] is not code:
            safe = {*self.option("safe-parameters"), *_scalar_parameters(code.handler)}
            kept = self._taints[code.function] = (code, SeedTaint(code.function, code.handler, self.option("sanitizers"), safe))
        return kept[1]

    def _argument_kind(self, used: cst.CSTNode, seed: str, handler) -> str:
        if isinstance(used, cst.Call):  # locals() / vars()
            return argument_kinds.PAYLOAD
        member = self._labels.get(id(used))
        if member is not None:
            return argument_kinds.kind_of_name(member)  # `ctx.model_name`, `arguments["_remaining_tokens"]`
        text = used.value if isinstance(used, cst.Name) else None
        if text is not None and text != seed and seed.lower() in argument_kinds.WHOLE_ARGUMENTS:
            return argument_kinds.kind_of_name(text)  # `continuation_id = arguments.get(...)`: judged by its own name
        # The module's enums seen so far only grow, so their count tells the answer apart.
        key = (handler.function, seed, len(self._enums))
        by_seed = self._seed_kinds.get(key)
        if by_seed is None:
            by_seed = self._seed_kinds[key] = self._seed_kind(seed, handler)
        if by_seed == argument_kinds.UNKNOWN and text is not None and text != seed and argument_kinds.kind_of_name(text) == argument_kinds.IDENTIFIER:
            return argument_kinds.IDENTIFIER  # `file_id` taken from an `attachment` (an id or a URL): named for what it became
        return by_seed

    def _seed_kind(self, seed: str, handler) -> str:
        """What the argument `seed` holds, by its annotation, its description, then its name."""
        param = next((p for p in handler.params if p.name == seed), None)
        by_annotation = argument_kinds.kind_of_annotation(param.annotation if param else None, self._enums)
        if by_annotation is None and param is not None and choices.described_as_choice(param.node, handler.function.get_docstring()):
            by_annotation = argument_kinds.IDENTIFIER  # documented as one of a few names
        return by_annotation or argument_kinds.kind_of_name(seed, handler.function.name.value)

    def _log_kind(self, node: cst.Call) -> Optional[str]:
        """"server" for server-side logs and print, "client" for `ctx.<level>()`, else None."""
        if self.model.qualify(node.func) == "print":
            return "server"
        func = node.func
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        if method in CLIENT_LOG_METHODS and isinstance(func.value, cst.Name) and self._is_context(func.value.value):
            return "client"
        if method in LOG_METHODS | BIND_METHODS and _logger_receiver(func.value, self.model, self._loggers):
            return "server"
        if self.model.qualify(func) == "structlog.contextvars.bind_contextvars":
            return "server"
        return None

    @staticmethod
    def _message_args(node: cst.Call) -> Iterable[cst.Arg]:
        # A `.log(level, ...)` level is a constant in practice, so it needs no special case.
        return [a for a in node.args if a.keyword is None or a.keyword.value not in CONTROL_KEYWORDS]

    def _is_context(self, name: str) -> bool:
        return any(name in self._context_names(f) for f in self.ctx.function_stack)

    def _context_names(self, function: cst.FunctionDef) -> Set[str]:
        """Parameters of `function` annotated as an MCP `Context` (plus `get_context()` results)."""
        names = self._contexts.get(function)
        if names is None:
            names = self._contexts[function] = set()
            p = function.params
            for param in [*p.posonly_params, *p.params, *p.kwonly_params]:
                annotation = param.annotation.annotation if param.annotation is not None else None
                qualified = self.model.qualify(annotation) if annotation is not None else None
                if qualified and (qualified in CONTEXT_TYPES or qualified.split(".")[-1] == "Context"):
                    names.add(param.name.value)
        return names

    def _report(self, node: cst.Call, used: cst.CSTNode, code: ToolCode, kind: str, what_kind: str) -> None:
        text = self.ctx.document.module.code_for_node(used)
        text = text if len(text) <= 40 else text[:37] + "..."
        seeds = code.handler.argument_names | code.handler.argument_attrs
        if isinstance(used, cst.Call):
            what = f"`{text}`, which holds every local variable including the tool arguments"
        elif text in seeds or isinstance(used, cst.Attribute):
            what = f"the tool argument `{text}`"
        else:
            what = f"`{text}`, which is built from the tool arguments"
        tool = _tool_label(code)
        call = dotted(node.func) or "logging call"
        if kind == "client":
            self.report(
                node,
                f"`{call}()` in {tool} sends {what} to the client's log",
                severity=Severity.WARNING,
                fix_hint="Send the client a fixed message (what is happening, counts, progress), not the argument values.",
            )
        elif what_kind == argument_kinds.PAYLOAD:
            self.report(node, f"`{call}()` in {tool} logs {what} (free text or payload)")
        else:
            self.report(node, f"`{call}()` in {tool} logs {what}", severity=Severity.WARNING)

    @classmethod
    def check(cls, facts_by_path: Dict[str, Dict[str, Any]], project) -> Iterable[Finding]:
        """Tool code in one module hands a tool argument to a function or method of another
        module that logs that parameter. Calls are matched by name, position or keyword and an
        import of the sink's class, function or module: a heuristic, so these are warnings."""
        sinks = [(path, s) for path, facts in facts_by_path.items() for s in facts.get("sinks", ())]
        reported = set()
        for path, facts in sorted(facts_by_path.items()):
            imported = set(facts.get("imported", ()))
            for call in facts.get("calls", ()):
                for sink_path, sink in sinks:
                    # a sink of the same module is known by its name; one of another module needs an import
                    if id(sink) in reported or not _passes_to(call, sink, None if sink_path == path else imported):
                        continue
                    reported.add(id(sink))
                    owner = f"{sink['cls']}.{sink['function']}" if sink["cls"] else sink["function"]
                    what = f"the tool argument `{call['what']}`" if call.get("argument") else f"`{call['what']}`, built from the tool arguments"
                    message = (
                        f"`{sink['call']}()` in `{owner}` logs its parameter `{sink['param']}`, which {call['where']} "
                        f"fills with {what} ({call['location'].path}:{call['location'].line})"
                    )
                    yield Finding(cls.code, cls.name, cls.item, Severity.WARNING, sink["location"], message, cls.fix_hint,
                                  related=(call["location"],), snippet=message)

    VALID = [
        # An entry of a code list, as its docstring says (jquants-mcp's stock codes).
        Valid(STOCK_CODE.format(described="Stock code (5 digits, e.g. 27800)")),
        # A server subclass's `call_tool` that logs the tool's name and the number of arguments.
        Valid(LOGGING_SERVER.format(logged='"calling %s with %d arguments", name, len(arguments)')),
        # An id taken from an attachment argument, named for what it became (google_workspace_fastmcp2).
        Valid(ATTACHMENT_ID.format(arg="attachment", local="file_id")),
        Valid(  # the helper that tool code of another module calls logs only a count
            """
            import logging

            logger = logging.getLogger(__name__)

            def check_sql(query: str) -> bool:
                if "DROP" in query.upper():
                    logger.warning("dangerous statement of %d characters", len(query))
                    return False
                return True
            """,
            path="app/guard.py",
            files={"app/server.py": GUARDED_SERVER},
        ),
        Valid(  # the tool hands the driver only a table name; the module that logs is not imported
            """
            import logging

            log = logging.getLogger(__name__)

            class Database:
                def run(self, sql: str, limit: int = 100) -> list:
                    log.debug("running %s", sql)
                    return []
            """,
            path="app/db.py",
            files={"app/server.py": DRIVER_SERVER.replace("def query(statement: str)", "def query(table_name: str)").replace("database.run(statement)", 'database.run(f"SELECT * FROM {table_name}")'),
                   "app/other.py": DRIVER_SERVER.replace("from app.db import Database", "from app.cache import Cache as Database")},
        ),
        Valid(
            """
            import logging
            from typing import Annotated, Literal
            from fastmcp import FastMCP
            from pydantic import Field

            logger = logging.getLogger(__name__)
            mcp = FastMCP("jobs")

            @mcp.tool
            def slow(duration: int, verbose: bool = False, mode: Literal["fast", "full"] = "fast",
                     refresh: Annotated[bool, Field(description="re-read")] = False) -> str:
                logger.info(f"running for {duration}s, verbose={verbose}, mode={mode}, refresh={refresh}")
                return "ok"
            """
        ),
        # trw-mcp: logged after a project enum (its name says nothing) accepted it; every `except` raises
        Valid(PRIORITY_TOOL, path="app/server.py", files={"app/models.py": PRIORITY_ENUM}),
        Valid(
            """
            import logging
            from mcp.server.fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("demo")

            @mcp.tool()
            def search(query: str, limit: int = 10) -> str:
                logger.info("search called")
                logger.info("query length %d, type %s", len(query), type(query).__name__)
                results = index.search(query, limit)
                logger.info("found %d results", len(results))
                return str(results)
            """
        ),
        Valid(
            """
            import logging
            from mcp.server.lowlevel import Server

            log = logging.getLogger("server")
            server = Server("demo")

            @server.call_tool()
            async def call_tool(name: str, arguments: dict) -> list:
                log.info("tool %s called", name)
                log.debug("argument keys: %d", len(arguments))
                return []
            """
        ),
        Valid(
            """
            import logging
            logger = logging.getLogger(__name__)

            def helper_not_a_tool(query: str) -> None:
                logger.info("query %s", query)
            """
        ),
        Valid(
            """
            import structlog
            from fastmcp import FastMCP

            log = structlog.get_logger()
            mcp = FastMCP("demo")

            @mcp.tool
            def sort_items(sort_by: str, items: list[str]) -> list[str]:
                log.info("sorting", sort_by=sort_by, count=len(items), empty=not items)
                return sorted(items)
            """,
            options={"safe-parameters": ["sort_by"]},
        ),
        Valid(
            """
            import hashlib, logging, sys
            from fastmcp import FastMCP, Context

            logger = logging.getLogger(__name__)
            mcp = FastMCP("demo")

            @mcp.tool
            async def lookup(email: str, ctx: Context) -> str:
                digest = hashlib.sha256(email.encode()).hexdigest()
                logger.info("lookup for %s", digest)
                await ctx.info("looking up the user")
                print("lookup done", file=sys.stderr)
                return "ok"
            """
        ),
        Valid(
            """
            import enum, logging
            from mcp.server.fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("warehouse")

            class Engine(enum.Enum):
                OLAP = "olap"

            @mcp.tool()
            def list_tables(cluster_id: str, region: str, database: str, page_token: str = "", engine: Engine = Engine.OLAP, like: str = "", realm: str = "") -> str:
                sql = f"SHOW TABLES FROM {database}"
                logger.info("listing %s in %s/%s (page %s, %s, like %s, realm %s): %s", database, cluster_id, region, page_token, engine, like, realm, sql)
                return run(sql)

            @mcp.tool()
            def create_pipeline(name: str, arguments: dict, ctx) -> str:
                logger.info("creating pipeline %s with %s (%d tokens left, %d content tokens)", name, list(arguments.keys()),
                            arguments["_remaining_tokens"], arguments["budget"].content_tokens)
                return "ok"
            """
        ),
        Valid(
            """
            import logging
            from pydantic_ai import Agent

            agent = Agent("openai:gpt-4o")
            logger = logging.getLogger(__name__)

            @agent.tool_plain
            def lookup(q: str) -> str:
                logger.info("q=%s", q)
                return q
            """
        ),
        Valid(  # each logged value is a name, shown by the code rather than by its parameter's name
            """
            import enum, logging
            from typing import Annotated
            from fastmcp import FastMCP
            from pydantic import Field

            logger = logging.getLogger(__name__)
            mcp = FastMCP("tools")
            EXPANSIONS = frozenset({"labels", "history", "attachments"})
            SYNONYMS = {"label": "labels"}

            class Origin(enum.Enum):
                CHAT = "chat"
                IMPORT = "import"

            @mcp.tool
            def explain(program: Annotated[str, Field(description="Program to explain (e.g. 'git', 'docker-compose')")],
                        command: str | None = Field(default=None, description="Subcommand, e.g. 'rebase' or 'cherry-pick'")) -> str:
                logger.info(f"explaining {program} {command or ''}")
                return ""

            def _expansions(expand: str) -> set:
                chosen = set()
                for part in expand.split(","):
                    name = part.strip().lower()
                    name = SYNONYMS.get(name, name)
                    if name in EXPANSIONS:
                        chosen.add(name)
                    else:
                        logger.warning("skipping unknown expansion %s", part.strip())
                return chosen

            @mcp.tool
            def save_note(text: str, origin: str = "chat", expand: str = "", export_path: str = "") -> str:
                '''Save a note.

                Args:
                    text: the note
                    origin: where it comes from, one of 'chat' or 'import'
                '''
                try:
                    kind = Origin[origin.upper()]
                except KeyError:
                    logger.warning("unknown origin %r, using chat", origin)
                    kind = Origin.CHAT
                logger.info("saving a %s note", origin)
                if export_path:
                    logger.info(f"also writing to {export_path}")
                return str(_expansions(expand))
            """
        ),
        Valid(  # a number sent as text, read with int(); a moment
            """
            import logging
            from datetime import datetime
            from typing import Optional, Union
            from fastmcp import FastMCP

            log = logging.getLogger(__name__)
            mcp = FastMCP("tasks")

            @mcp.tool
            def progress(hours_ago: Optional[Union[int, str]] = None, since: Optional[datetime] = None) -> list:
                try:
                    return load(int(hours_ago) if hours_ago is not None else None, since)
                except Exception as e:
                    log.error("progress failed: %s hours_ago=%s since=%s", e, hours_ago, since)
                    raise
            """
        ),
        Valid(  # optional flags and numbers written as unions with None
            """
            import logging
            from typing import Union
            from fastmcp import FastMCP

            log = logging.getLogger(__name__)
            mcp = FastMCP("teams")

            @mcp.tool
            def update_member(member_id: int, is_admin: bool | None = None, ref: Union[int, None] = None) -> dict:
                log.debug("update member=%s is_admin=%s ref=%s", member_id, is_admin, ref)
                return save(member_id, is_admin, ref)
            """
        ),
        # the logged name's last assignment before the log holds no argument
        Valid(SIBLING_BRANCHES.replace("LOG_FIRST", "\n                    logger.error(error_text)").replace("LOG_SECOND", "")),
    ]
    INVALID = [
        Invalid(STOCK_CODE.format(described="Python code to run against the price table"), line=14),
        # ... and one that logs the arguments: every tool call's (myfitnesspal's `LoggingFastMCP`).
        Invalid(LOGGING_SERVER.format(logged='"calling %s with %s", name, arguments'), line=8, message="LoggingFastMCP.call_tool"),
        # ... the same lookup whose `except` goes on: the value logged may be anything the caller sent
        Invalid(PRIORITY_TOOL.replace('raise ValueError("bad priority") from err', "level = None"), path="app/server.py",
                files={"app/models.py": PRIORITY_ENUM}, line=14),
        # A name that says id does not make a query one.
        Invalid(ATTACHMENT_ID.format(arg="query", local="query_id"), line=10),
        Invalid(  # text or a number is still text
            """
            import logging
            from fastmcp import FastMCP

            log = logging.getLogger(__name__)
            mcp = FastMCP("teams")

            @mcp.tool
            def rename(member_id: int, nickname: str | int | None = None) -> dict:
                log.debug("rename member=%s nickname=%s", member_id, nickname)
                return save(member_id, nickname)
            """,
            line=9,
        ),
        Invalid(  # the sibling branch's assignment holds the argument
            SIBLING_BRANCHES.replace("LOG_FIRST", "").replace("LOG_SECOND", "\n                    logger.error(error_text)"),
            line=16,
        ),
        Invalid(
            """
            import logging

            log = logging.getLogger(__name__)

            class Database:
                def run(self, sql: str, limit: int = 100) -> list:
                    log.debug("running %s", sql)
                    return []
            """,
            path="app/db.py",
            files={"app/server.py": DRIVER_SERVER},
            line=7,
            message="`log.debug()` in `Database.run` logs its parameter `sql`, which tool `query` fills with the tool argument `statement`",
            severity="warning",
        ),
        Invalid(  # a helper that tool code of another module calls with the tool argument
            """
            import logging

            logger = logging.getLogger(__name__)

            def check_sql(query: str) -> bool:
                if "DROP" in query.upper():
                    logger.warning(f"dangerous statement: {query[:50]}")
                    return False
                return True
            """,
            path="app/guard.py",
            files={"app/server.py": GUARDED_SERVER},
            line=7,
            message="`logger.warning()` in `check_sql` logs its parameter `query`, which tool `run_sql` fills with the tool argument `statement`",
            severity="warning",
        ),
        Invalid(
            """
            import logging
            from concurrent.futures import ThreadPoolExecutor
            from mcp.server.fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("warehouse")
            POOL = ThreadPoolExecutor(4)

            def execute_query(query: str) -> list:
                logger.info(f"Executing query: {query}")
                return []

            @mcp.tool()
            def run_select(query: str) -> list:
                return POOL.submit(execute_query, query).result(timeout=30)
            """,
            line=10,
            message="`logger.info()` in helper called by tool `run_select` logs the tool argument `query`",
            severity="error",  # the pool runs it within the tool's call: tool code (the project model)
        ),
        Invalid(
            """
            import logging
            from mcp.server.fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("warehouse")

            @mcp.tool()
            def run_query(table_name: str, query: str) -> str:
                logger.info("table %s: running %s", table_name.upper(), query.strip())
                return execute(table_name, query)
            """,
            line=9,
            message="logs the tool argument `query` (free text or payload)",
            severity="error",
        ),
        Invalid(
            """
            import logging
            from fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("configs")

            @mcp.tool
            def send_invite(team_id: str, name: str) -> str:
                logger.info(f"inviting {name} to {team_id}")
                return "ok"
            """,
            line=9,
            message="logs the tool argument `name`",
            severity="warning",
        ),
        Invalid(
            """
            import logging
            from mcp.server.fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("clickhouse")

            @mcp.tool()
            def run_select_query(query: str) -> str:
                logger.info(f"Executing SELECT query: {query}")
                return execute(query)
            """,
            line=9,
            message="logs the tool argument `query`",
            severity="error",
        ),
        Invalid(
            """
            from fastmcp import FastMCP as F
            from loguru import logger

            app = F("db")

            def _run(sql):
                logger.debug("running {}", sql)

            @app.tool(name="search")
            def search_customers(name: str, city: str = "") -> str:
                q = name.strip().lower()
                sql = f"SELECT * FROM customers WHERE name = '{q}'"
                _run(sql)
                return sql
            """,
            line=7,
            message="helper called by tool `search`",
        ),
        Invalid(
            """
            import structlog
            from mcp.server.lowlevel import Server

            server = Server("demo")
            log = structlog.get_logger()

            @server.call_tool()
            async def handle(name: str, arguments: dict) -> list:
                bound = log.bind(tool=name, args=arguments)
                text = arguments.get("text", "")
                log.info("called", length=len(text), preview=text[:20])
                return []
            """,
            count=2,
        ),
        Invalid(
            """
            import logging
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            def register(mcp):
                @mcp.tool()
                async def send_mail(to: str, body: str, ctx: Context) -> str:
                    await ctx.info(f"sending mail to {to}")
                    print("mail", locals())
                    return "sent"
            """,
            count=2,
            message="sends the tool argument `to` to the client's log",
            severity="warning",
        ),
        Invalid(
            """
            import logging
            from mcp.server.mcpserver import MCPServer

            log = logging.getLogger(__name__)
            server = MCPServer("demo")

            @server.tool()
            def translate(**kwargs) -> str:
                for key, value in kwargs.items():
                    log.log(logging.INFO, "arg %s=%s", key, value)
                return ""
            """,
            line=10,
            message="`key`, which is built from the tool arguments",
        ),
        Invalid(  # only the command's first word is checked; described people; a URL
            """
            import logging
            from typing import Annotated
            from fastmcp import FastMCP
            from pydantic import Field

            logger = logging.getLogger(__name__)
            mcp = FastMCP("shell")
            ALLOWED = ("ls", "cat", "grep")

            @mcp.tool
            def run(command: str) -> str:
                if command.split()[0] not in ALLOWED:
                    logger.warning("refusing %s", command)
                    return "refused"
                return ""

            @mcp.tool
            def find_member(who: Annotated[str, Field(description="Name or e-mail, e.g. 'jane.doe', 'j.doe'")], page_url: str = "") -> str:
                logger.info(f"looking up {who} from {page_url}")
                return ""
            """,
            count=2,
        ),
    ]




class _Members(cst.CSTVisitor):
    """For the name at the root of `x.a["b"].model_name` (or `x.get("path")`), the outermost
    attribute or literal key read from it: parents are visited before their children."""

    def __init__(self) -> None:
        self.labels: Dict[int, str] = {}
        self.methods: Set[int] = set()  # `query.strip` in `query.strip()` is a method, not a member

    def _label(self, base: cst.BaseExpression, member: Optional[str]) -> None:
        while isinstance(base, (cst.Attribute, cst.Subscript)):
            base = base.value
        if member and isinstance(base, cst.Name):
            self.labels.setdefault(id(base), member)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if id(node) not in self.methods:
            self._label(node.value, node.attr.value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        index = node.slice[0].slice if len(node.slice) == 1 else None
        self._label(node.value, string_value(index.value) if isinstance(index, cst.Index) else None)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            self.methods.add(id(func))
            if func.attr.value == "get" and node.args:
                self._label(func.value, string_value(node.args[0].value))


def _callers_arguments_unknown(code: ToolCode) -> bool:
    """Tool code the project model found called from a tool of another module: the handler it
    is given names no arguments, so nothing in it can be traced to them here."""
    handler = code.handler
    return code.is_helper and handler.function is code.function and not (handler.argument_names or handler.argument_attrs)


def _member_labels(exprs: Sequence[cst.BaseExpression]) -> Dict[int, str]:
    """For each name read through one attribute or literal key in the logged values, that
    attribute or key: what is logged is judged by it (`ctx.model_name` logs a model name)."""
    visitor = _Members()
    for expr in exprs:
        walk.visit(expr, visitor)
    return visitor.labels


def _passes_to(call: dict, sink: dict, imported: Optional[Set[str]]) -> bool:
    """The tool code's call reaches the sink: same name, the argument lands on the logged
    parameter, and the calling module imports the sink's class, function or module."""
    if call["name"] != sink["function"] or call["method"] != bool(sink["cls"]):
        return False
    if call["keyword"] is not None and call["keyword"] != sink["param"]:
        return False
    if call["keyword"] is None and call["index"] != sink["index"]:
        return False
    if imported is None:
        return True
    owners = {sink["cls"] or sink["function"], *(m.split(".")[-1] for m in sink["modules"])}
    return bool(owners & imported)


def _tool_label(code: ToolCode) -> str:
    name = code.handler.tool_name
    tool = f"tool `{name}`" if code.handler.is_named_tool else f"call_tool dispatcher `{name}`"
    return f"helper called by {tool}" if code.is_helper else tool


class PayloadLoggingEnabled(PythonRule):
    """
    ## What it does
    Flags fastmcp's `LoggingMiddleware(include_payloads=True)` and
    `StructuredLoggingMiddleware(include_payloads=True)` (error), and a fastmcp server run or
    constructed with `log_level="DEBUG"` (warning).

    ## Why is this bad?
    With `include_payloads=True` the middleware serialises every request message into the log,
    so every tool call's arguments land in log storage. At DEBUG level fastmcp itself logs each
    call as `Handler called: call_tool <name> with <arguments>`
    (`fastmcp/server/mixins/mcp_operations.py`), so a DEBUG server leaks arguments whatever the
    tool code does. DEBUG is a warning because it is sometimes set for a local run only.

    ## Example
    ```python
    from fastmcp.server.middleware.logging import StructuredLoggingMiddleware

    mcp.add_middleware(StructuredLoggingMiddleware(include_payloads=True))
    mcp.run(transport="http", log_level="DEBUG")
    ```

    ## Use instead
    ```python
    mcp.add_middleware(StructuredLoggingMiddleware(include_payload_length=True))
    mcp.run(transport="http", log_level="INFO")
    ```
    """

    code = "MCP0702"
    name = "payload-logging-enabled"
    item = 7
    severity = Severity.ERROR
    summary = "Request payloads (tool arguments) are logged"
    fix_hint = "Keep include_payloads=False (log payload length instead) and run production servers at INFO or above."
    requires = ("include_payloads", "log_level")

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.model.qualify(node.func) or ""
        if qualified.startswith("fastmcp.") and qualified.split(".")[-1] in LOGGING_MIDDLEWARE:
            self._check_middleware(node, qualified.split(".")[-1])
        elif self._is_fastmcp_server_call(node):
            level = keyword(node, "log_level")
            if level is not None and (string_value(level.value) or "").upper() == "DEBUG":
                self.report(
                    level,
                    'fastmcp server runs with log_level="DEBUG": fastmcp logs every tool call with its arguments at DEBUG',
                    severity=Severity.WARNING,
                    fix_hint='Use log_level="INFO" (or set FASTMCP_LOG_LEVEL per environment) so call arguments are not logged.',
                )

    def _check_middleware(self, node: cst.Call, name: str) -> None:
        arg = keyword(node, "include_payloads")
        if not _is_true(arg):
            return
        loc = self.ctx.document.location(arg.value)
        fix = Fix("Set include_payloads=False", (Edit(loc.line, loc.column, loc.end_line, loc.end_column, "False"),))
        self.report(arg, f"`{name}(include_payloads=True)` writes every request, tool arguments included, to the log", fix=fix)

    def _is_fastmcp_server_call(self, node: cst.Call) -> bool:
        """`FastMCP(...)` from fastmcp, or `.run*(...)` on a fastmcp server (the SDK's `run` takes no log level)."""
        server_class = self.model.qualify(node.func) or ""
        if server_class.startswith("fastmcp.") and server_class.endswith("FastMCP"):
            return True
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in RUN_METHODS:
            return False
        server = self.model.server_for(dotted(func.value))
        return server is not None and server.framework == "fastmcp"

    VALID = [
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.logging import LoggingMiddleware, StructuredLoggingMiddleware

            mcp = FastMCP("demo")
            mcp.add_middleware(LoggingMiddleware(include_payload_length=True))
            mcp.add_middleware(StructuredLoggingMiddleware(include_payloads=False))
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="http", log_level="INFO")
            """
        ),
        Valid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")
            uvicorn.run(mcp.streamable_http_app(), log_level="debug")
            """
        ),
        Valid(
            """
            from myapp.middleware import LoggingMiddleware

            middleware = LoggingMiddleware(include_payloads=True)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.logging import StructuredLoggingMiddleware

            mcp = FastMCP("demo")
            mcp.add_middleware(StructuredLoggingMiddleware(include_payloads=True))
            """,
            line=5,
            message="StructuredLoggingMiddleware(include_payloads=True)",
            severity="error",
        ),
        Invalid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware import logging as mw

            mcp = FastMCP("demo", middleware=[mw.LoggingMiddleware(include_payloads=True, max_payload_length=500)])
            """,
            line=4,
        ),
        Invalid(
            """
            from fastmcp import FastMCP as F

            server = F("demo")

            if __name__ == "__main__":
                server.run(transport="http", host="0.0.0.0", log_level="DEBUG")
            """,
            line=6,
            severity="warning",
        ),
        Invalid(
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            asyncio.run(mcp.run_http_async(log_level="debug"))
            """,
            message="log_level",
        ),
    ]


# ---------------------------------------------------------------------------------------
# MCP0704: unstructured logging in HTTP servers

SCRIPT_MAINS = frozenset({"main", "cli", "run_cli", "_main"})
NOT_SERVER_DIRS = frozenset({"scripts", "script", "examples", "example", "samples", "docs", "benchmarks", "bench", "evals", ".github", "tools"})


def _outside_server(path: str) -> bool:
    """A file under scripts/, examples/, docs/... runs on its own, not in the server process."""
    return bool(NOT_SERVER_DIRS & set(path.split("/")[:-1]))


JSON_LOGGING_PACKAGES = (
    "pythonjsonlogger", "json_log_formatter", "json_logging", "ecs_logging", "logfire", "structlog_gcp",
    "google.cloud.logging",
)
TEXT_CONFIGS = {
    "logging.basicConfig": "`logging.basicConfig()`",
    "logging.Formatter": "`logging.Formatter(...)`",
    "logging.config.dictConfig": "`logging.config.dictConfig()`",
    "loguru.logger.add": "loguru `logger.add()` without `serialize=True`",
    "loguru.logger.configure": "loguru `logger.configure()` without `serialize`",
    "structlog.configure": "`structlog.configure()` without `JSONRenderer`",
}
# Configuration read from elsewhere: its format cannot be seen, so nothing is reported.
OPAQUE_CONFIGS = frozenset({"logging.config.fileConfig", "logging.config.listen"})
LOW_SEVERITY = "info: plain text does not break the server, it only makes incidents slower to investigate"


def _message_only(formatter: cst.Call) -> bool:
    """`logging.Formatter("%(message)s")`: each line is the message and nothing else."""
    first = positional(formatter, 0) or keyword(formatter, "fmt")
    return first is not None and string_value(first.value) == "%(message)s"


def _json_logging_import(full: str) -> bool:
    """A JSON logging package, structlog's `JSONRenderer`, or a project helper such as
    `from .log import JsonFormatter` / `setup_json_logging`."""
    last = full.split(".")[-1].lower()
    return full.startswith(JSON_LOGGING_PACKAGES) or ("json" in last and any(w in last for w in ("format", "render", "log")))


_CONFIGURED_HERE = "plain-text logging configured here"


def _text_logging_at(launch: Finding, texts: List[Tuple[str, Finding]], loaded: Set[str]) -> Finding:
    """The finding at a launch, pointing at the plain-text configuration its process most
    likely runs: one in the launching module first, then in a module it imports, then the
    server's modules, then the rest; never a demo's (`example_server.py` configures only itself)."""
    launched = launch.message  # "`mcp.run()`"
    path = launch.location.path
    texts = [t for t in texts if demo_file(path) or not demo_file(t[1].location.path)]
    if not texts:
        message = f"{launched} serves the MCP server over HTTP and the project logs without ever configuring a JSON format ({LOW_SEVERITY})"
        return replace(launch, message=message)
    what, config = min(texts, key=lambda t: (t[1].location.path != path, t[1].location.path not in loaded, texts.index(t)))
    message = f"{launched} serves the MCP server over HTTP and logging is configured as plain text with {what} ({LOW_SEVERITY})"
    related = (replace(config.location, message=_CONFIGURED_HERE), *launch.related)
    return replace(launch, message=message, related=related)


# A uvicorn launch of a Starlette app whose SSE handler runs the low-level server (the model
# cannot tie the two to one app): MCP0704 is reported once, at the launch.
_SSE_APP = {
    "pkg/__init__.py": "",
    "pkg/run_sse.py": """
        import uvicorn
        from starlette.applications import Starlette
        from .sse import SSEHandler
        from .server import server

        def main() -> None:
            app = Starlette(routes=SSEHandler(server).routes())
            uvicorn.Server(uvicorn.Config(app, host="0.0.0.0", port=3001)).run()
        """,
    "pkg/server.py": """
        import logging
        from mcp.server.lowlevel import Server

        logging.basicConfig(level=logging.DEBUG)
        server = Server("demo")
        """,
    "pkg/sse.py": """
        from mcp.server.sse import SseServerTransport
        from starlette.routing import Route

        class SSEHandler:
            def __init__(self, server):
                self.server = server
                self.sse = SseServerTransport("/messages")

            async def handle_sse(self, request):
                async with self.sse.connect_sse(request.scope, request.receive, request._send) as streams:
                    await self.server.run(streams[0], streams[1], self.server.create_initialization_options())

            def routes(self):
                return [Route("/sse", endpoint=self.handle_sse)]
        """,
}


def _one_per_config(findings: List[Finding]) -> List[Finding]:
    """Launches whose processes run the same plain-text configuration are one finding, at the
    first launch, the others as related locations: one change fixes them all (and two launches
    the model cannot tie to one app, a uvicorn launch and the SSE handler it serves, are not
    reported twice)."""
    kept: Dict[Tuple[str, int], int] = {}
    out: List[Finding] = []
    for finding in findings:
        config = next((r for r in finding.related if r.message == _CONFIGURED_HERE), None)
        key = (config.path, config.line) if config is not None else None
        if key is None or key not in kept:
            if key is not None:
                kept[key] = len(out)
            out.append(finding)
            continue
        first = out[kept[key]]
        also = replace(finding.location, message="also launched here, with the same logging configuration")
        out[kept[key]] = replace(first, related=(*first.related, also))
    return out



MESSAGE_ONLY_LOG = """
    import json
    import logging
    from dataclasses import asdict
    from fastmcp import FastMCP

    class ToolLogger:
        def __init__(self):
            handler = logging.FileHandler("calls.jsonl")
            handler.setFormatter(logging.Formatter("%(message)s"))
            self._file_logger = logging.getLogger("calls")
            self._file_logger.addHandler(handler)

        def write(self, record):
            self._file_logger.info({message})

    mcp = FastMCP("cards")
    mcp.run(transport="http")
"""


class UnstructuredLogging(PythonProjectRule):
    """
    ## What it does
    Reports an HTTP-served MCP server whose logging is configured only with plain-text formats
    (`logging.basicConfig(format="%(asctime)s ...")`, a `logging.Formatter`, loguru without
    `serialize=True`, structlog without `JSONRenderer`), or that logs without configuring any
    format. The finding is at the call that starts the server over HTTP (once per served app,
    and once for launches whose processes run the same plain-text configuration),
    with the plain-text configuration as related location: the one in the launching module
    first, else one in the server's modules (a client or example script that configures its
    own logging is not where the server is reported). When no launch is seen in the code (the
    server is started by a command outside it), it is at the configuration, and only if a module
    of the MCP server serves HTTP: a helper web server (a local OAuth callback under uvicorn) does
    not make the MCP server HTTP-served. JSON output from python-json-logger, structlog's `JSONRenderer`,
    loguru `serialize=True`, a `dictConfig` with a JSON formatter class, a custom
    `logging.Formatter` that emits JSON, a `logging.Formatter("%(message)s")` in a module whose
    every log message is `json.dumps(record)`, or fastmcp's `StructuredLoggingMiddleware` all count as
    structured. Projects served only over stdio are not reported: their logs go to the local
    client's stderr capture, not to a log pipeline. Configuration loaded from a file
    (`fileConfig`, `dictConfig(yaml.safe_load(...))`) is not judged.

    ## Why is this bad?
    A production server needs log lines it can query: `level`, `ts`, `session_id`,
    `tool_name`, `duration_ms`. Text lines have to be parsed back with fragile patterns before
    a dashboard can group slow tools or follow one session. This is informational: it does not
    break anything today.

    ## Example
    ```python
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    mcp.run(transport="http")
    ```

    ## Use instead
    ```python
    from pythonjsonlogger.json import JsonFormatter

    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    mcp.run(transport="http")
    ```
    """

    code = "MCP0704"
    needs_in_project = ("http server",)  # only HTTP-served projects are reported
    scope = "mcp-project"  # facts may live in modules that never mention MCP
    name = "unstructured-logging"
    item = 7
    severity = Severity.INFO
    summary = "HTTP-served MCP server logs plain text instead of JSON"
    fix_hint = (
        "Emit JSON lines with level, ts, session_id, tool_name and duration_ms (python-json-logger, structlog "
        "JSONRenderer, loguru serialize=True, or fastmcp StructuredLoggingMiddleware + TimingMiddleware)."
    )

    def __init__(self, ctx):
        super().__init__(ctx)
        self._loggers: Set[str] = set()
        self._message_formats: List[cst.Call] = []  # `logging.Formatter("%(message)s")`: judged by what the file logs
        self._json_messages: List[bool] = []  # per log call of the file: is its message `json.dumps(...)`?

    def visit_Module(self, node: cst.Module) -> None:
        imported = self.model.imports.aliases.values()
        self.facts = {
            "transports": sorted(self.model.transports),
            "json": any(_json_logging_import(full) for full in imported),
            "opaque": False,
            "logs": False,
            "text": [],
            "mcp": self.model.is_mcp,
            "servers": [
                self.make_finding(self.ctx.document.location(s.call), snippet=self.ctx.document.snippet(s.call))
                for s in self.model.servers
                if s.call is not None
            ],
        }

    def leave_Module(self, original_node: cst.Module) -> None:
        doc = self.ctx.document
        for formatter in self._message_formats:
            # The message alone, and every message a `json.dumps(record)`: one JSON object per line
            # (genetec's tool-call log); any other message makes it plain text.
            if self._json_messages and all(self._json_messages):
                self.facts["json"] = True
            else:
                self._text_config(formatter, TEXT_CONFIGS["logging.Formatter"])
        # Candidate places: this file's calls that serve over HTTP (the project model keeps the launches).
        self.facts["launches"] = [
            self.make_finding(doc.location(call), f"`{dotted(call.func) or 'the HTTP transport'}()`", snippet=doc.snippet(call))
            for call, kind in self.model.transport_calls if kind == "http"
        ]

    def visit_Assign(self, node: cst.Assign) -> None:
        self._loggers.update(_logger_assignment(node, self.model, self._loggers))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "JSONRenderer":
            self.facts["json"] = True

    def visit_DictElement(self, node: cst.DictElement) -> None:
        """dictConfig formatters `{"()": "pythonjsonlogger.json.JsonFormatter"}`, loguru `{"serialize": True}`."""
        key = string_value(node.key)
        value = node.value
        if key in ("()", "class") and "json" in (string_value(value) or dotted(value) or "").lower():
            self.facts["json"] = True
        elif key == "serialize" and isinstance(value, cst.Name) and value.value == "True":
            self.facts["json"] = True

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        """A home-made `logging.Formatter` subclass that serialises records to JSON."""
        if any(self.model.qualify(base.value) == "logging.Formatter" for base in node.bases):
            source = self.ctx.document.module.code_for_node(node)
            if "json" in node.name.value.lower() or "dumps(" in source:
                self.facts["json"] = True

    def visit_Call(self, node: cst.Call) -> None:
        name = self.model.qualify(node.func) or ""
        if name.startswith("fastmcp.") and name.endswith("StructuredLoggingMiddleware"):
            self.facts["json"] = True
        elif name == "loguru.logger.add" and _is_true(keyword(node, "serialize")):
            self.facts["json"] = True
        elif name in OPAQUE_CONFIGS or (name == "logging.config.dictConfig" and not self._literal_config(node)):
            self.facts["opaque"] = True
        elif name == "logging.Formatter" and _message_only(node) and not self._in_script_main():
            self._message_formats.append(node)
        elif name in TEXT_CONFIGS:
            self._text_config(node, TEXT_CONFIGS[name])
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in LOG_METHODS:
            if _logger_receiver(node.func.value, self.model, self._loggers):
                self.facts["logs"] = True
            if _logger_receiver(node.func.value, self.model, self._loggers) or "log" in (dotted(node.func.value) or "").rpartition(".")[2].lower():
                first = positional(node, 0)  # `self._file_logger.info(json.dumps(asdict(record)))`
                self._json_messages.append(first is not None and isinstance(first.value, cst.Call) and self.model.qualify(first.value.func) == "json.dumps")

    @staticmethod
    def _literal_config(node: cst.Call) -> bool:
        first = positional(node, 0)
        return first is not None and isinstance(first.value, cst.Dict)

    def _in_script_main(self) -> bool:
        """In a command-line tool's own main() next to the server: it configures only itself."""
        return not self.model.is_mcp and any(f.name.value in SCRIPT_MAINS for f in self.ctx.function_stack)

    def _text_config(self, node: cst.Call, what: str) -> None:
        if self._in_script_main():
            return
        doc = self.ctx.document
        message = f"Logging is configured as plain text with {what} in an HTTP-served MCP server ({LOW_SEVERITY})"
        self.facts["text"].append((what, self.make_finding(doc.location(node), message, snippet=doc.snippet(node))))

    @classmethod
    def check(cls, facts_by_path: Dict[str, Dict[str, Any]], project) -> Iterable[Finding]:
        every = facts_by_path.values()
        if "http" not in _project_transports(facts_by_path):
            return []
        if any(f["json"] or f["opaque"] for f in every):
            return []
        # The server's own modules first; a script or an example configures only itself.
        in_server = [t for facts in every if facts.get("mcp") for t in facts["text"]]
        elsewhere = [t for facts in every if not facts.get("mcp") for t in facts["text"] if not _outside_server(t[1].location.path)]
        texts = sorted(in_server, key=lambda t: t[1].sort_key()) or sorted(elsewhere, key=lambda t: t[1].sort_key())
        servers = sorted((f for facts in every for f in facts["servers"]), key=Finding.sort_key)
        if not texts and not (servers and any(f["logs"] for f in every)):
            return []
        # At each HTTP launch the project model knows.
        candidates = sorted((f for facts in every for f in facts.get("launches", ())), key=Finding.sort_key)
        launches = at_launches(candidates, project, transports=("http",), per_app=True, fallback=False)
        if launches:
            configs = texts + [t for t in sorted(elsewhere, key=lambda t: t[1].sort_key()) if t not in texts]
            return _one_per_config([_text_logging_at(launch, configs, loaded_modules(project, launch.path)) for launch in launches])
        if not any("http" in facts["transports"] for facts in every if facts.get("mcp")):
            return []  # only a helper web server serves HTTP (an OAuth callback), not the MCP server
        if texts:  # no launch seen (started by a command outside the code): at the configuration
            return [texts[0][1]]
        message = f"This HTTP-served MCP server logs but never configures a JSON log format ({LOW_SEVERITY})"
        return [replace(servers[0], message=message)]

    VALID = [
        Valid(  # ... and not again at that handler, which the model does not tie to the launched app
            _SSE_APP["pkg/sse.py"], path="pkg/sse.py", files=_SSE_APP,
        ),
        Valid(  # a command-line tool's main() next to the server
            "import logging\n\ndef main() -> None:\n    logging.basicConfig(format='%(message)s')\n",
            path="pkg/contract.py",
            files={"server.py": "import logging\nfrom fastmcp import FastMCP\nmcp = FastMCP('x')\nlog = logging.getLogger(__name__)\nlog.info('starting')\nmcp.run(transport='http')\n"},
        ),
        Valid(  # a client script's basicConfig is not the place to report: the server's launch is
            "import logging\nfrom fastmcp import Client\n\nclient = Client('http://127.0.0.1:8000/mcp')\n"
            "logging.basicConfig(level=logging.INFO, format='CLIENT %(message)s')\n",
            path="a_client.py",
            files={"server.py": "import logging\nfrom fastmcp import FastMCP\nmcp = FastMCP('x')\nlog = logging.getLogger(__name__)\nlog.info('starting')\nmcp.run(transport='http')\n"},
        ),
        Valid(  # the only HTTP server is a local OAuth callback; the MCP server's transport comes from the environment
            """
            import logging
            from uvicorn import Config, Server

            logging.getLogger(__name__).addHandler(logging.StreamHandler())
            logging.basicConfig(format="%(levelname)s [%(name)s] %(message)s")

            async def login(app) -> None:
                server = Server(Config(app, host="127.0.0.1", port=6785))
                await server.serve()
            """,
            path="pkg/oauth/login.py",
            files={"pkg/main.py": "import os\nfrom pkg.server import build\n\ndef main() -> None:\n    build().run(transport=os.environ.get('MCP_TRANSPORT', 'stdio'))\n",
                   "pkg/server.py": "from mcp.server.fastmcp import FastMCP\n\ndef build():\n    return FastMCP('x')\n"},
        ),
        # The message alone, every message a JSON record: one JSON object per line (genetec's tool-call log).
        Valid(MESSAGE_ONLY_LOG.format(message="json.dumps(asdict(record))")),
        Valid(  # an example script configures only its own process
            "import logging\nlogging.basicConfig(format='%(message)s')\n",
            path="examples/demo.py",
            files={"server.py": "import logging\nfrom fastmcp import FastMCP\nmcp = FastMCP('x')\nlog = logging.getLogger(__name__)\nlog.info('starting')\nmcp.run(transport='http')\n"},
        ),
        Valid(
            """
            import logging
            from pythonjsonlogger.json import JsonFormatter
            from fastmcp import FastMCP

            handler = logging.StreamHandler()
            handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(message)s"))
            logging.basicConfig(level=logging.INFO, handlers=[handler])
            mcp = FastMCP("demo")
            mcp.run(transport="http")
            """
        ),
        Valid(
            """
            import logging
            from mcp.server.fastmcp import FastMCP

            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
            mcp = FastMCP("demo")
            mcp.run()
            """
        ),
        Valid(
            """
            import structlog
            from fastmcp import FastMCP

            structlog.configure(processors=[structlog.processors.TimeStamper(fmt="iso"), structlog.processors.JSONRenderer()])
            log = structlog.get_logger()
            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """
        ),
        Valid(
            """
            from loguru import logger
            from fastmcp import FastMCP

            logger.remove()
            logger.add(sys.stderr, serialize=True)
            mcp = FastMCP("demo")
            app = mcp.http_app()
            """
        ),
        Valid(
            """
            import logging.config
            from fastmcp import FastMCP
            from fastmcp.server.middleware.logging import StructuredLoggingMiddleware

            logging.config.dictConfig({"version": 1, "formatters": {"plain": {"format": "%(message)s"}}})
            mcp = FastMCP("demo", middleware=[StructuredLoggingMiddleware()])
            app = mcp.http_app()
            """,
            path="app/server.py",
        ),
    ]
    INVALID = [
        # ... not when a message is plain text.
        Invalid(MESSAGE_ONLY_LOG.format(message="f\"{record.tool_name} took {record.duration_ms} ms\""), line=17),
        Invalid(
            """
            import logging
            from mcp.server.fastmcp import FastMCP

            logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """,
            line=8,
            count=1,
            message="basicConfig",
            severity="info",
        ),
        Invalid(  # the uvicorn launch of an app whose SSE handler runs the server: one finding, here
            _SSE_APP["pkg/run_sse.py"], path="pkg/run_sse.py", files=_SSE_APP, count=1, message="basicConfig",
        ),
        Invalid(  # at the launch, in the module that serves, not at the configuration in tools.py
            """
            from fastmcp import FastMCP
            mcp = FastMCP("demo")
            app = mcp.http_app()
            """,
            path="pkg/server.py",
            files={
                "pkg/__init__.py": "from . import tools\n",
                "pkg/tools.py": """
                    from loguru import logger
                    from .server import mcp

                    logger.add("server.log", rotation="10 MB")

                    @mcp.tool()
                    def ping() -> str:
                        logger.info("ping")
                        return "pong"
                    """,
            },
            line=3,
            message="loguru",
        ),
        Invalid(  # a client script next to the server configures its own process: the server's launch is reported
            """
            import logging
            import uvicorn
            from fastmcp import FastMCP

            logging.basicConfig(level=logging.INFO, format="SERVER %(levelname)s %(message)s")
            mcp = FastMCP("demo")

            if __name__ == "__main__":
                uvicorn.run(mcp.http_app(), host="127.0.0.1", port=8000)
            """,
            path="http_server.py",
            files={"a_client.py": "import asyncio, logging\nfrom fastmcp import Client\n\nclient = Client('http://127.0.0.1:8000/mcp')\n"
                                  "logging.basicConfig(level=logging.INFO, format='CLIENT %(message)s')\n"},
            line=9,
            count=1,
        ),
        Invalid(
            """
            import logging
            from fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("demo")

            @mcp.tool
            def ping() -> str:
                logger.info("ping")
                return "pong"

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0")
            """,
            line=13,
            message="without ever configuring a JSON format",
        ),
    ]
