"""Checklist item 7: structured JSON logging, and never log tool call arguments."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst

from mcp_lint.python import argument_kinds, walk

from mcp_lint.model import Edit, Finding, Fix, Location, Severity
from mcp_lint.python.context import package_of
from mcp_lint.python.dataflow import DEFAULT_SANITIZERS, expression_uses, tainted_names
from mcp_lint.python.mcp_model import (
    CONTEXT_TYPES,
    MCP_PACKAGES,
    looks_like_server_name,
    TRANSPORT_CALLS,
    TRANSPORT_METHODS,
    ToolCode,
    ToolHandler,
)
from mcp_lint.python.names import callee, dotted, keyword, module_name_of, positional, string_value
from mcp_lint.python.project_index import module_names
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
STDOUT = "sys.stdout"
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


def _scalar_parameters(handler) -> List[str]:
    """Parameters typed `int`, `float`, `bool` or `Literal[...]` (also inside `Annotated[...]` or
    `Optional[...]`): a count, a flag or a fixed choice cannot carry what the user wrote, so
    logging them is not logging personal data."""
    names = []
    for param in handler.params:
        annotation = param.node.annotation.annotation if param.node.annotation is not None else None
        if param.annotation in _SCALARS or _scalar_annotation(annotation):
            names.append(param.name)
    return names


def _scalar_annotation(annotation: Optional[cst.BaseExpression]) -> bool:
    if isinstance(annotation, cst.Name):
        return annotation.value in ("int", "float", "bool")
    if not isinstance(annotation, cst.Subscript):
        return False
    base = (dotted(annotation.value) or "").split(".")[-1]
    if base == "Literal":
        return True
    first = annotation.slice[0].slice if annotation.slice else None
    return base in ("Annotated", "Optional") and isinstance(first, cst.Index) and _scalar_annotation(first.value)


DRIVER_SERVER = """
from fastmcp import FastMCP
from app.db import Database

mcp = FastMCP("x")
database = Database()

@mcp.tool
def query(statement: str) -> list:
    return database.run(statement)
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
    calls directly; the analysis follows the value through assignments, string building and
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
    modules, which are matched by name. Identifiers are not reported: cluster and resource ids,
    regions, table and database names, page tokens, enum members, counts, patterns over names
    (`like`, `filter_pattern`), the keys of the arguments dict (`mcp_lint/python/argument_kinds.py`
    holds the word lists). When one call logs several arguments, the message names the worst.
    The judgement is by name, so a free-text argument called `region` is missed.

    ## Known false positives
    Warnings on paths and URLs the caller passed (`output_file`, `script_path`) and on
    enum-like strings with neutral names (`source`): suppress them with a reason.

    ## Options
    Parameters typed `int`, `float`, `bool`, `Literal[...]` or an `Enum` of the module are not
    reported: a count, a flag or a fixed choice cannot carry what the user wrote.

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
    options = {"safe-parameters": [], "sanitizers": sorted(DEFAULT_SANITIZERS)}

    def __init__(self, ctx):
        super().__init__(ctx)
        self._loggers: Set[str] = set()
        self._contexts: Dict[cst.FunctionDef, Set[str]] = {}
        self._enums: Set[str] = set()
        self._classes: List[str] = []
        self._imported: Set[str] = set()
        self._sinks: List[dict] = []  # functions that log a payload-named parameter of their own
        self._calls: List[dict] = []  # calls in tool code that pass caller data on
        self._labels: Dict[int, str] = {}

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
        if any((dotted(b.value) or "").split(".")[-1] in ENUM_BASES for b in node.bases):
            self._enums.add(node.name.value)

    def visit_Call(self, node: cst.Call) -> None:
        code = self.ctx.tool_code
        kind = self._log_kind(node)
        if code is None:
            if kind == "server" and self.ctx.current_function is not None:
                self._note_sink(node, self.ctx.current_function)
            return
        if kind is None:
            self._note_call(node, code)
            return
        logged = self._logged_arguments(node, code)
        if not logged:
            return
        used, what_kind = max(logged, key=lambda pair: argument_kinds.rank(pair[1]))
        if what_kind != argument_kinds.IDENTIFIER:
            self._report(node, used, code, kind, what_kind)

    def _note_sink(self, node: cst.Call, function: cst.FunctionDef) -> None:
        """A function outside tool code that logs one of its own parameters named like a
        payload (`def execute(self, sql): log.debug(sql)`): tool code in another module may
        hand it a tool argument (matched in `check`)."""
        params = [p for p in (*function.params.posonly_params, *function.params.params)]
        if params and params[0].name.value in ("self", "cls") and self._classes:
            params = params[1:]
        sanitizers = self.option("sanitizers")
        for index, param in enumerate(params):
            name = param.name.value
            if argument_kinds.kind_of_name(name) != argument_kinds.PAYLOAD or name.lower() in argument_kinds.WHOLE_ARGUMENTS:
                continue
            seed = ToolHandler(function, function.name.value, "sink", "", argument_names=frozenset({name}))
            names = tainted_names(function, seed, sanitizers)
            if any(expression_uses(a.value, names, (), sanitizers) is not None for a in self._message_args(node)):
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
        func, args = _through_executor(node)
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        if name is None or name in ("print", "str", "len", "format", "join"):
            return
        position = 0
        for arg in args:
            if arg.star:
                continue
            tainted = self._tainted([arg.value], code)
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

    def _tainted(self, values: Sequence[cst.BaseExpression], code: ToolCode) -> Optional[Tuple[cst.CSTNode, str]]:
        found = self._logged_arguments(node=None, code=code, values=values)
        return max(found, key=lambda pair: argument_kinds.rank(pair[1])) if found else None

    def _logged_arguments(self, node: Optional[cst.Call], code: ToolCode, values: Sequence[cst.BaseExpression] = ()) -> List[Tuple[cst.CSTNode, str]]:
        """Each caller argument that reaches the call's message (or `values`), with what it
        probably holds. Taint is followed one seed parameter at a time, so a value is judged by
        the argument it comes from (`sql` built from `table` logs a table name; from `query`, a
        query)."""
        sanitizers = self.option("sanitizers")
        safe = {*self.option("safe-parameters"), *_scalar_parameters(code.handler)}
        handler = code.handler
        attrs = handler.argument_attrs if code.function is handler.function else frozenset()
        seeds = sorted((handler.argument_names | {a.split(".")[0] for a in handler.argument_attrs}) - safe)
        args = [cst.Arg(v) for v in values] if node is None else self._message_args(node)
        self._labels = _member_labels(args)
        logged = []
        for seed in seeds:
            names = tainted_names(code.function, handler, sanitizers, safe | (set(seeds) - {seed}))
            seed_attrs = frozenset(a for a in attrs if a.split(".")[0] == seed)
            for arg in args:
                used = expression_uses(arg.value, names, seed_attrs, sanitizers)
                if used is not None:
                    logged.append((used, self._argument_kind(used, seed, handler)))
        return logged

    def _argument_kind(self, used: cst.CSTNode, seed: str, handler) -> str:
        if isinstance(used, cst.Call):  # locals() / vars()
            return argument_kinds.PAYLOAD
        param = next((p for p in handler.params if p.name == seed), None)
        by_annotation = argument_kinds.kind_of_annotation(param.annotation if param else None, self._enums)
        by_seed = by_annotation or argument_kinds.kind_of_name(seed, handler.function.name.value)
        member = self._labels.get(id(used))
        if member is not None:
            return argument_kinds.kind_of_name(member)  # `ctx.model_name`, `arguments["_remaining_tokens"]`
        text = used.value if isinstance(used, cst.Name) else None
        if text is not None and text != seed and seed.lower() in argument_kinds.WHOLE_ARGUMENTS:
            return argument_kinds.kind_of_name(text)  # `continuation_id = arguments.get(...)`: judged by its own name
        return by_seed

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
            def list_tables(cluster_id: str, region: str, database: str, page_token: str = "", engine: Engine = Engine.OLAP, like: str = "") -> str:
                sql = f"SHOW TABLES FROM {database}"
                logger.info("listing %s in %s/%s (page %s, %s, like %s): %s", database, cluster_id, region, page_token, engine, like, sql)
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
    ]
    INVALID = [
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
            message="`logger.info()` in `execute_query` logs its parameter `query`, which tool `run_select` fills with the tool argument `query`",
            severity="warning",
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
    ]


EXECUTOR_CALLS = {"submit": 0, "to_thread": 0, "run_sync": 0, "run_in_threadpool": 0, "run_in_executor": 1}


def _through_executor(node: cst.Call) -> Tuple[cst.BaseExpression, Sequence[cst.Arg]]:
    """The function really called and its arguments, seeing through thread-pool helpers."""
    method = node.func.attr.value if isinstance(node.func, cst.Attribute) else node.func.value if isinstance(node.func, cst.Name) else ""
    skip = EXECUTOR_CALLS.get(method)
    positional = [a for a in node.args if a.keyword is None and not a.star]
    if skip is None or len(positional) <= skip or not isinstance(positional[skip].value, (cst.Name, cst.Attribute)):
        return node.func, node.args
    target = positional[skip].value
    rest = [a for a in node.args if a is not positional[skip] and not (a in positional[:skip])]
    return target, rest


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


def _member_labels(args: Sequence[cst.Arg]) -> Dict[int, str]:
    """For each name read through one attribute or literal key in the logged arguments, that
    attribute or key: what is logged is judged by it (`ctx.model_name` logs a model name)."""
    visitor = _Members()
    for arg in args:
        walk.visit(arg.value, visitor)
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
    tool = f"tool `{name}`" if code.handler.kind == "tool" else f"call_tool dispatcher `{name}`"
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
        receiver = dotted(func.value) or ""
        server = self.model.server_named(receiver)
        if server is not None:
            return server.framework == "fastmcp"
        return looks_like_server_name(receiver) and self.model.imports.imports_any("fastmcp")

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
# MCP0703: stdout writes in stdio servers


class _CallIds(cst.CSTVisitor):
    def __init__(self) -> None:
        self.ids: Set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        self.ids.add(id(node))


def _call_ids(node: cst.CSTNode) -> Set[int]:
    visitor = _CallIds()
    walk.visit(node, visitor)
    return visitor.ids


MCP_CLIENT_FACTORIES = {
    "Client", "ClientSession", "stdio_client", "sse_client", "streamablehttp_client", "streamable_http_client",
    "create_connected_server_and_client_session",
}


class _ServingPaths:
    """Which calls of a file cannot run while the server is serving, so their stdout writes are
    harmless: the branches of a `__main__` block, CLI command or `main()` that do not start
    the server (`--version`, a `list-tools` subcommand), and statements after the start call."""

    def __init__(self, module: cst.Module, model):
        self.model = model
        self.functions: List[cst.FunctionDef] = []
        walk.visit(module, _FunctionCollector(self.functions))
        self.starters: Set[str] = set()
        self._find_starters()
        self.cold: Set[int] = set()
        self.cold |= self._cold_statements(module.body)
        for statement in module.body:
            if _is_main_guard(statement) and not self.starts(statement):
                self.cold |= _call_ids(statement)
        for function in self.functions:
            if self.starts(function.body):
                self.cold |= self._cold_statements(function.body.body)
            elif _is_cli_command(function) or self._opens_client(function):
                self.cold |= _call_ids(function.body)

    def _opens_client(self, function: cst.FunctionDef) -> bool:
        """A function that talks to a server through an MCP client prints on the client side
        (demos, smoke tests, `async with Client(mcp) as c: print(await c.list_tools())`)."""
        for node in walk.walk(function.body):
            if isinstance(node, cst.Call):
                name = self.model.qualify(node.func) or ""
                if name.split(".")[0] in MCP_PACKAGES and name.split(".")[-1] in MCP_CLIENT_FACTORIES:
                    return True
        return False

    def _find_starters(self) -> None:
        changed = True
        while changed:  # main() -> serve() -> mcp.run()
            changed = False
            for function in self.functions:
                name = function.name.value
                if name not in self.starters and self.starts(function.body):
                    self.starters.add(name)
                    changed = True

    def starts(self, node: cst.CSTNode) -> bool:
        finder = _StartFinder(self)
        walk.visit(node, finder)
        return finder.found

    def is_start_call(self, call: cst.Call) -> bool:
        if (self.model.qualify(call.func) or "") in TRANSPORT_CALLS:
            return True
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in RUN_METHODS | set(TRANSPORT_METHODS):
            return False
        receiver = dotted(func.value) or ""
        return self.model.server_named(receiver) is not None or looks_like_server_name(receiver.split(".")[-1])

    def _cold_statements(self, statements) -> Set[int]:
        cold: Set[int] = set()
        started = False
        for statement in statements:
            if started:
                if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                    cold |= _call_ids(statement)  # runs after the server has stopped
            elif self.starts(statement):
                started = True
                cold |= self._cold_branches(statement)
            elif isinstance(statement, cst.If):
                # `if args.version: print(...); return` exits before the server starts.
                cold |= {i for suite in _suites(statement) if _exits(suite) for i in _call_ids(suite)}
        return cold

    def _cold_branches(self, statement: cst.CSTNode) -> Set[int]:
        """In a compound statement that starts the server, the alternatives that do not."""
        if not isinstance(statement, (cst.If, cst.Try, cst.Match, cst.With, cst.For, cst.While)):
            return set()
        cold: Set[int] = set()
        alternatives = isinstance(statement, (cst.If, cst.Try, cst.Match))
        for suite in _suites(statement):
            if self.starts(suite):
                cold |= self._cold_statements(suite.body)
            elif alternatives:
                cold |= _call_ids(suite)
        return cold


class _FunctionCollector(cst.CSTVisitor):
    def __init__(self, into: List[cst.FunctionDef]):
        self.into = into

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.into.append(node)


class _StartFinder(cst.CSTVisitor):
    def __init__(self, paths: _ServingPaths):
        self.paths = paths
        self.found = False

    def visit_Call(self, node: cst.Call) -> None:
        if self.paths.is_start_call(node):
            self.found = True

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.paths.starters:  # main(), asyncio.run(main()), anyio.run(main)
            self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # defining a function starts nothing


def _suites(statement: cst.CSTNode) -> Iterable[cst.BaseSuite]:
    """The blocks of a compound statement: if/elif/else, try/except/else/finally, match cases, loop bodies."""
    if isinstance(statement, cst.If):
        yield statement.body
        if isinstance(statement.orelse, cst.If):
            yield from _suites(statement.orelse)
        elif statement.orelse is not None:
            yield statement.orelse.body
    elif isinstance(statement, cst.Try):
        yield statement.body
        yield from (h.body for h in statement.handlers)
        yield from (part.body for part in (statement.orelse, statement.finalbody) if part is not None)
    elif isinstance(statement, cst.Match):
        yield from (case.body for case in statement.cases)
    else:
        yield statement.body


def _exits(suite: cst.BaseSuite) -> bool:
    """The block ends with `return`, `raise`, or `sys.exit(...)` / `parser.exit(...)`."""
    last = suite.body[-1] if suite.body else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1]
    if isinstance(last, (cst.Return, cst.Raise)):
        return True
    call = last.value if isinstance(last, cst.Expr) else None
    return isinstance(call, cst.Call) and (dotted(call.func) or "").split(".")[-1] in ("exit", "quit")


def _is_main_guard(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.If) or not isinstance(statement.test, cst.Comparison):
        return False
    test = statement.test
    sides = [test.left, *(c.comparator for c in test.comparisons)]
    return any(isinstance(s, cst.Name) and s.value == "__name__" for s in sides) and any(
        string_value(s) == "__main__" for s in sides
    )


def _is_cli_command(function: cst.FunctionDef) -> bool:
    """`@cli.command()`, `@app.command("x")`, `@click.command()`: runs only when that subcommand is chosen."""
    for decorator in function.decorators:
        target = callee(decorator.decorator)
        if isinstance(target, cst.Attribute) and target.attr.value == "command":
            return True
    return False


def _stream_is_stdout(arg: Optional[cst.Arg], model) -> bool:
    return arg is not None and model.qualify(arg.value) == STDOUT


class StdoutWriteInStdioServer(PythonProjectRule):
    """
    ## What it does
    Flags writes to standard output in the modules of a server that is served over stdio:
    `print(...)` without `file=` (or with `file=sys.stdout`), `sys.stdout.write`,
    `logging.basicConfig(stream=sys.stdout)`, `logging.StreamHandler(sys.stdout)`, loguru
    `logger.add(sys.stdout)`, structlog `PrintLoggerFactory()`, a rich `Console()` without
    `stderr=True` or `file=`, and `click.echo` / `typer.echo` without `err=True`. A module counts
    when it creates or runs a server or registers tools, or is imported (directly or not) by such
    a module; client scripts that only use the SDK's client do not.
    Error when the project only serves over stdio; warning when the transport is chosen at run
    time (or not started in code: `fastmcp run` and `mcp run` default to stdio).

    ## Why is this bad?
    Over stdio, standard output *is* the JSON-RPC channel. Any other text written there reaches
    the client as a broken message: clients fail with "Unexpected token ... is not valid JSON"
    or drop the connection. Standard error is the place for logs and diagnostics.

    Code that cannot run while serving is ignored: branches of a `__main__` block, `main()` or CLI
    subcommand that do not start the server, and statements after the server returns.

    ## Example
    ```python
    @mcp.tool()
    def search(query: str) -> str:
        print("searching...")
        return do_search(query)

    mcp.run()
    ```

    ## Use instead
    ```python
    @mcp.tool()
    def search(query: str) -> str:
        print("searching...", file=sys.stderr)  # or logging, which writes to stderr by default
        return do_search(query)
    ```
    """

    code = "MCP0703"
    scope = "mcp-project"  # facts may live in modules that never mention MCP
    name = "stdout-write-in-stdio-server"
    item = 7
    severity = Severity.ERROR
    summary = "Write to stdout in a stdio MCP server corrupts the protocol stream"
    fix_hint = "Write to stderr (print(..., file=sys.stderr)) or use logging, which writes to stderr by default."

    def visit_Module(self, node: cst.Module) -> None:
        path = self.ctx.document.path
        self.facts = {
            "names": module_names(path),
            # Server side only: a client script that imports the SDK and prints results is fine.
            "mcp": bool(self.model.servers or self.model.handlers or self.model.transports),
            "imports": [],
            "transports": sorted(self.model.transports),
            "servers": bool(self.model.servers),
            "candidates": [],
        }
        self._package = package_of(path)
        self._paths = _ServingPaths(node, self.model)

    def visit_Import(self, node: cst.Import) -> None:
        self.facts["imports"].extend(dotted(alias.name) or "" for alias in node.names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = module_name_of(node, self._package)
        self.facts["imports"].append(module)
        if not isinstance(node.names, cst.ImportStar):
            self.facts["imports"].extend(f"{module}.{dotted(a.name)}" for a in node.names)

    def visit_Call(self, node: cst.Call) -> None:
        if id(node) in self._paths.cold:
            return
        problem = self._stdout_write(node)
        if problem is not None:
            message, fix = problem
            self.facts["candidates"].append(
                self.make_finding(self.ctx.document.location(node), message, fix=fix, snippet=self.ctx.document.snippet(node))
            )

    def _stdout_write(self, node: cst.Call) -> Optional[Tuple[str, Optional[Fix]]]:
        name = self.model.qualify(node.func) or ""
        first = positional(node, 0)
        if name in ("print", "rich.print"):
            target = keyword(node, "file")
            if target is None or _stream_is_stdout(target, self.model):
                return f"`{name}()` writes to stdout", self._print_fix(node, target) if name == "print" else None
        elif name in ("sys.stdout.write", "sys.stdout.writelines", "sys.stdout.buffer.write"):
            return f"`{name}()` writes to stdout", None
        elif name == "logging.basicConfig" and _stream_is_stdout(keyword(node, "stream"), self.model):
            return "`logging.basicConfig(stream=sys.stdout)` sends every log line to stdout", None
        elif name == "logging.StreamHandler" and _stream_is_stdout(keyword(node, "stream") or first, self.model):
            return "`logging.StreamHandler(sys.stdout)` sends log lines to stdout", None
        elif name == "loguru.logger.add" and _stream_is_stdout(keyword(node, "sink") or first, self.model):
            return "loguru `logger.add(sys.stdout)` sends log lines to stdout", None
        elif name in ("structlog.PrintLoggerFactory", "structlog.WriteLoggerFactory") and not node.args:
            return f"structlog `{name.split('.')[-1]}()` writes to stdout by default", None
        elif name in ("rich.console.Console", "rich.Console") and not (_is_true(keyword(node, "stderr")) or keyword(node, "file")):
            return "rich `Console()` writes to stdout unless `stderr=True` or `file=` is given", None
        elif name in ("click.echo", "click.secho", "typer.echo", "typer.secho") and not _is_true(keyword(node, "err")):
            return f"`{name}()` writes to stdout unless `err=True`", None
        return None

    def _print_fix(self, node: cst.Call, target: Optional[cst.Arg]) -> Optional[Fix]:
        """`file=sys.stderr`, only when `sys` is imported as such (no import is added)."""
        if self.model.imports.aliases.get("sys") != "sys":
            return None
        doc = self.ctx.document
        if target is not None:
            loc = doc.location(target.value)
            edit = Edit(loc.line, loc.column, loc.end_line, loc.end_column, "sys.stderr")
        elif node.args:  # right after the last argument, before any trailing comma
            loc = doc.location(node.args[-1].value)
            edit = Edit(loc.end_line, loc.end_column, loc.end_line, loc.end_column, ", file=sys.stderr")
        else:
            loc = doc.location(node)
            edit = Edit(loc.end_line, loc.end_column - 1, loc.end_line, loc.end_column - 1, "file=sys.stderr")
        return Fix("Write to stderr instead", (edit,))

    @classmethod
    def check(cls, facts_by_path: Dict[str, Dict[str, Any]], project) -> Iterable[Finding]:
        transports = _project_transports(facts_by_path)
        if "http" in transports and not transports & {"stdio", "dynamic"}:
            return []
        if transports == {"stdio"}:
            severity, why = Severity.ERROR, "this server is served over stdio, where stdout is the JSON-RPC channel"
        elif transports:
            severity, why = Severity.WARNING, "the transport is chosen at run time, and over stdio stdout is the JSON-RPC channel"
        elif any(f.get("servers") for f in facts_by_path.values()):
            severity, why = Severity.WARNING, "no transport is started in code, and `fastmcp run` / `mcp run` serve over stdio by default"
        else:
            return []
        findings = []
        for path in sorted(_server_modules(facts_by_path)):
            for finding in facts_by_path[path]["candidates"]:
                findings.append(replace(finding, severity=severity, message=f"{finding.message}: {why}"))
        return findings

    VALID = [
        Valid(
            """
            import asyncio

            from fastmcp import Client, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def echo(text: str) -> str:
                return text

            async def demo():
                async with Client(mcp) as client:
                    print(await client.call_tool("echo", {"text": "hi"}))

            if __name__ == "__main__":
                asyncio.run(demo())
            """
        ),
        Valid(
            """
            import sys
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def search(query: str) -> str:
                print("searching", file=sys.stderr)
                return query

            if __name__ == "__main__":
                mcp.run()
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            def search(query: str) -> str:
                print("searching")
                return query

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """
        ),
        Valid(
            """
            import argparse
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            def main() -> None:
                args = argparse.ArgumentParser().parse_args()
                if args.list_tools:
                    print("search")
                    return
                mcp.run()
                print("server stopped")

            if __name__ == "__main__":
                main()
            """
        ),
        Valid(
            """
            import click
            from rich.console import Console
            from .server import mcp

            console = Console(stderr=True)

            @click.group()
            def cli():
                pass

            @cli.command()
            def tools():
                click.echo("search")
                print("more")

            @cli.command()
            def serve():
                click.echo("starting", err=True)
                mcp.run()
            """,
            path="pkg/cli.py",
            files={"pkg/__init__.py": "", "pkg/server.py": 'from fastmcp import FastMCP\nmcp = FastMCP("demo")\n'},
        ),
        Valid(
            """
            import asyncio
            from mcp import ClientSession, StdioServerParameters
            from mcp.client.stdio import stdio_client

            async def main():
                async with stdio_client(StdioServerParameters(command="python", args=["server.py"])) as (r, w):
                    async with ClientSession(r, w) as session:
                        await session.initialize()
                        print(await session.list_tools())

            asyncio.run(main())
            """,
            path="client.py",
            files={"server.py": 'from fastmcp import FastMCP\nmcp = FastMCP("demo")\nmcp.run()\n'},
        ),
        Valid(
            """
            def report(rows):
                print(rows)
            """,
            path="scripts/report.py",
            files={"server.py": 'from fastmcp import FastMCP\nmcp = FastMCP("demo")\nmcp.run()\n'},
        ),
    ]
    INVALID = [
        Invalid(
            """
            import sys
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            def search(query: str) -> str:
                print(f"searching {len(query)}")
                return query

            if __name__ == "__main__":
                print("Starting server...")
                mcp.run()
            """,
            count=2,
            severity="error",
            message="stdio",
        ),
        Invalid(
            """
            import logging
            import sys
            from .server import mcp

            logging.basicConfig(stream=sys.stdout, level=logging.INFO)

            @mcp.tool()
            def ping() -> str:
                sys.stdout.write("ping\\n")
                return "pong"
            """,
            path="pkg/tools.py",
            files={
                "pkg/__init__.py": "",
                "pkg/server.py": """
                    from fastmcp import FastMCP
                    mcp = FastMCP("demo")
                    """,
                "pkg/__main__.py": """
                    from .server import mcp
                    from . import tools
                    mcp.run()
                    """,
            },
            count=2,
            severity="error",
        ),
        Invalid(
            """
            import os
            from loguru import logger
            from rich.console import Console
            from fastmcp import FastMCP

            logger.add(sys.stdout, level="INFO")
            console = Console()
            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport=os.environ.get("TRANSPORT", "stdio"))
            """,
            count=2,
            severity="warning",
            message="chosen at run time",
        ),
        Invalid(
            """
            import sys

            def fmt(value):
                print(value, file=sys.stdout)
                return str(value)
            """,
            path="calc/helpers.py",
            files={
                "calc/__init__.py": "",
                "calc/server.py": """
                    from mcp.server.fastmcp import FastMCP
                    from .helpers import fmt

                    mcp = FastMCP("demo")

                    @mcp.tool()
                    def add(a: int, b: int) -> str:
                        return fmt(a + b)
                    """,
            },
            line=4,
            severity="warning",
            message="no transport is started in code",
        ),
    ]


SCRIPT_MAINS = frozenset({"main", "cli", "run_cli", "_main"})
NOT_SERVER_DIRS = frozenset({"scripts", "script", "examples", "example", "samples", "docs", "benchmarks", "bench", "evals", ".github", "tools"})


def _outside_server(path: str) -> bool:
    """A file under scripts/, examples/, docs/... runs on its own, not in the server process."""
    return bool(NOT_SERVER_DIRS & set(path.split("/")[:-1]))


def _server_modules(facts_by_path: Dict[str, Dict[str, Any]]) -> Set[str]:
    """Paths of MCP modules and of the project modules they import, transitively."""
    by_name = {name: path for path, facts in facts_by_path.items() for name in facts["names"]}
    included = {path for path, facts in facts_by_path.items() if facts["mcp"]}
    pending = list(included)
    while pending:
        for imported in facts_by_path[pending.pop()]["imports"]:
            path = by_name.get(imported)
            if path is not None and path not in included:
                included.add(path)
                pending.append(path)
    return included


# ---------------------------------------------------------------------------------------
# MCP0704: unstructured logging in HTTP servers

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


def _json_logging_import(full: str) -> bool:
    """A JSON logging package, structlog's `JSONRenderer`, or a project helper such as
    `from .log import JsonFormatter` / `setup_json_logging`."""
    last = full.split(".")[-1].lower()
    return full.startswith(JSON_LOGGING_PACKAGES) or ("json" in last and any(w in last for w in ("format", "render", "log")))


class UnstructuredLogging(PythonProjectRule):
    """
    ## What it does
    Reports, once per project, an HTTP-served MCP server whose logging is configured only with
    plain-text formats (`logging.basicConfig(format="%(asctime)s ...")`, a `logging.Formatter`,
    loguru without `serialize=True`, structlog without `JSONRenderer`), or that logs without
    configuring any format. JSON output from python-json-logger, structlog's `JSONRenderer`,
    loguru `serialize=True`, a `dictConfig` with a JSON formatter class, a custom
    `logging.Formatter` that emits JSON, or fastmcp's `StructuredLoggingMiddleware` all count as
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
        elif name in TEXT_CONFIGS:
            self._text_config(node, TEXT_CONFIGS[name])
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in LOG_METHODS:
            if _logger_receiver(node.func.value, self.model, self._loggers):
                self.facts["logs"] = True

    @staticmethod
    def _literal_config(node: cst.Call) -> bool:
        first = positional(node, 0)
        return first is not None and isinstance(first.value, cst.Dict)

    def _text_config(self, node: cst.Call, what: str) -> None:
        if not self.model.is_mcp and any(f.name.value in SCRIPT_MAINS for f in self.ctx.function_stack):
            return  # a command-line tool's own main() next to the server configures only itself
        doc = self.ctx.document
        message = f"Logging is configured as plain text with {what} in an HTTP-served MCP server ({LOW_SEVERITY})"
        self.facts["text"].append(self.make_finding(doc.location(node), message, snippet=doc.snippet(node)))

    @classmethod
    def check(cls, facts_by_path: Dict[str, Dict[str, Any]], project) -> Iterable[Finding]:
        every = facts_by_path.values()
        if "http" not in _project_transports(facts_by_path):
            return []
        if any(f["json"] or f["opaque"] for f in every):
            return []
        # The server's own modules first; a script or an example configures only itself.
        in_server = [f for facts in every if facts.get("mcp") for f in facts["text"]]
        elsewhere = [f for facts in every if not facts.get("mcp") for f in facts["text"] if not _outside_server(f.location.path)]
        texts = sorted(in_server, key=Finding.sort_key) or sorted(elsewhere, key=Finding.sort_key)
        if texts:
            return texts[:1]
        servers = sorted((f for facts in every for f in facts["servers"]), key=Finding.sort_key)
        if servers and any(f["logs"] for f in every):
            message = f"This HTTP-served MCP server logs but never configures a JSON log format ({LOW_SEVERITY})"
            return [replace(servers[0], message=message)]
        return []

    VALID = [
        Valid(  # a command-line tool's main() next to the server
            "import logging\n\ndef main() -> None:\n    logging.basicConfig(format='%(message)s')\n",
            path="pkg/contract.py",
            files={"server.py": "import logging\nfrom fastmcp import FastMCP\nmcp = FastMCP('x')\nlog = logging.getLogger(__name__)\nlog.info('starting')\nmcp.run(transport='http')\n"},
        ),
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
        Invalid(
            """
            import logging
            from mcp.server.fastmcp import FastMCP

            logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """,
            line=4,
            count=1,
            message="basicConfig",
            severity="info",
        ),
        Invalid(
            """
            from loguru import logger
            from .server import mcp

            logger.add("server.log", rotation="10 MB")

            @mcp.tool()
            def ping() -> str:
                logger.info("ping")
                return "pong"
            """,
            path="pkg/tools.py",
            files={
                "pkg/__init__.py": "",
                "pkg/server.py": """
                    from fastmcp import FastMCP
                    mcp = FastMCP("demo")
                    app = mcp.http_app()
                    """,
            },
            line=4,
            message="loguru",
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
            line=5,
            message="never configures a JSON log format",
        ),
    ]
