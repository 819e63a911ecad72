"""Checklist item 6: one database pool per process, created at startup; a connection is
acquired per call and always released."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, Iterator, List, Optional, Set, Tuple

import libcst as cst

from mcp_lint.literals import parse_int
from mcp_lint.model import Finding, Severity
from mcp_lint.python import walk
from mcp_lint.python.mcp_model import McpModel
from mcp_lint.python.names import dotted, keyword, positional, string_value
from mcp_lint.python.singletons import kept_by_callers, returns_result_of
from mcp_lint.rule import Invalid, PythonProjectRule, PythonRule, Valid

# Constructors of pools and of pooled clients (one object holds many connections).
POOL_FACTORIES = {
    "asyncpg.create_pool", "asyncpg.pool.create_pool",
    "psycopg_pool.ConnectionPool", "psycopg_pool.AsyncConnectionPool",
    "psycopg_pool.NullConnectionPool", "psycopg_pool.AsyncNullConnectionPool",
    "psycopg2.pool.SimpleConnectionPool", "psycopg2.pool.ThreadedConnectionPool",
    "sqlalchemy.create_engine", "sqlalchemy.engine.create_engine",
    "sqlalchemy.ext.asyncio.create_async_engine",
    "aiomysql.create_pool", "aiomysql.pool.create_pool",
    "redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.Redis.from_url",
    "redis.ConnectionPool", "redis.BlockingConnectionPool",
    "redis.asyncio.Redis", "redis.asyncio.from_url", "redis.asyncio.Redis.from_url",
    "redis.asyncio.ConnectionPool", "redis.asyncio.BlockingConnectionPool",
    "pymongo.MongoClient", "pymongo.AsyncMongoClient", "motor.motor_asyncio.AsyncIOMotorClient",
}
# Not pools: `clickhouse_connect.get_client()` clients share one process-wide urllib3 pool
# manager by default (read in clickhouse-connect 1.12.0), so a client per call opens no pool.
ENGINE_FACTORIES = {"sqlalchemy.create_engine", "sqlalchemy.engine.create_engine", "sqlalchemy.ext.asyncio.create_async_engine"}
# Single connections (no pool behind them). sqlite is left out: one connection to a local
# file is the normal way to use it.
CONNECTION_FACTORIES = {
    "asyncpg.connect", "psycopg.connect", "psycopg.Connection.connect", "psycopg.AsyncConnection.connect",
    "psycopg2.connect", "aiomysql.connect", "pymysql.connect", "MySQLdb.connect", "mysql.connector.connect",
}
# Pool methods that hand out a connection the caller must give back:
# method -> (receiver kind, must be awaited). `lock.acquire()` is never awaited into a variable
# from something named like a pool, `engine.connect()` needs an engine.
ACQUIRE_METHODS = {
    "acquire": ("pool", True),
    "getconn": ("any", False),
    "get_connection": ("pool", False),
    "connect": ("engine", False),
    "raw_connection": ("engine", False),
}
RELEASE_METHODS = {"release", "putconn", "close", "aclose"}
EXIT_STACK_METHODS = {"callback", "push_async_callback", "push", "enter_context", "enter_async_context"}
CACHE_DECORATORS = {"functools.lru_cache", "functools.cache", "async_lru.alru_cache", "alru_cache", "lru_cache", "cache"}
UNKNOWN_TRANSPORT = " (no transport found in the project: harmless if it is only served over stdio)"
FASTMCP_LIFESPAN = {"fastmcp.server.lifespan.lifespan", "fastmcp.server.lifespan", "fastmcp.lifespan"}


def unawait(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.expression if isinstance(expr, cst.Await) else expr


def own_nodes(func: cst.FunctionDef) -> List[cst.CSTNode]:
    """The nodes of a function's body, without nested functions, classes and lambdas (their
    code runs at another time)."""
    return walk.own_nodes(func.body)


def mentions(node: cst.CSTNode, name: str) -> bool:
    return any(isinstance(n, cst.Name) and n.value == name for n in walk.walk(node))


def receiver_label(expr: cst.BaseExpression) -> str:
    """`pool` / `self.pool` / `"pool"` for `ctx...lifespan_context["pool"]`; "" otherwise."""
    name = dotted(expr)
    if name:
        return name
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
        return string_value(expr.slice[0].slice.value) or ""
    return ""


def single_target(node: cst.CSTNode) -> Optional[Tuple[cst.BaseExpression, cst.BaseExpression]]:
    """(target, value) of `x = value` / `x: T = value`."""
    kind = type(node)  # exact types: called on every node of a function body
    if kind is cst.Assign and len(node.targets) == 1:
        return node.targets[0].target, node.value
    if kind is cst.AnnAssign and node.value is not None:
        return node.target, node.value
    return None


def globals_of(func: cst.FunctionDef) -> Set[str]:
    return {item.name.value for node in own_nodes(func) if isinstance(node, cst.Global) for item in node.names}


def where_of(model: McpModel, func: cst.FunctionDef) -> str:
    code = model.tool_code.get(func)
    return code.where if code is not None else f"`{func.name.value}()`"


class _BoundNames(PythonRule):
    """Shared state: names bound anywhere in the file to a pool or engine constructor, so that
    `db.acquire()` counts when `db = await asyncpg.create_pool(...)`."""

    def __init__(self, ctx):
        super().__init__(ctx)
        self.pools: Set[str] = set()
        self.engines: Set[str] = set()
        self.functions: List[cst.FunctionDef] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)

    def _note_binding(self, node: cst.CSTNode) -> None:
        pair = single_target(node)
        value = unawait(pair[1]) if pair else None
        if not isinstance(value, cst.Call):
            return
        name, qualified = dotted(pair[0]), self.model.qualify(value.func) or ""
        if name and qualified in POOL_FACTORIES:
            self.pools.add(name)
            if qualified in ENGINE_FACTORIES:
                self.engines.add(name)

    def visit_Assign(self, node: cst.Assign) -> None:
        self._note_binding(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._note_binding(node)

    def acquisition(self, value: cst.BaseExpression) -> Optional[str]:
        """`pool` when `value` checks a connection out of a pool (`await pool.acquire()`,
        `pool.getconn()`, `engine.connect()`), else None."""
        call = unawait(value)
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return None
        spec = ACQUIRE_METHODS.get(call.func.attr.value)
        if spec is None:
            return None
        kind, awaited = spec
        if awaited and not isinstance(value, cst.Await):
            return None
        label = receiver_label(call.func.value)
        last = label.rsplit(".", 1)[-1].lower()
        if kind == "pool" and not ("pool" in last or label in self.pools):
            return None
        if kind == "engine" and not ("engine" in last or label in self.engines):
            return None
        return label or "the pool"


@dataclass
class _Acquired:
    var: str
    statement: cst.CSTNode  # the assignment
    call: cst.Call
    pool: str
    opened: str = ""  # the factory of a connection opened per call (`psycopg.connect`), else ""


# Connections opened per call, also sqlite and DuckDB: a file handle and a lock, not a pool slot.
PER_CALL_FACTORIES = CONNECTION_FACTORIES | {"sqlite3.connect", "duckdb.connect"}


class ConnectionAcquiredWithoutRelease(_BoundNames):
    """
    ## What it does
    Flags a connection checked out of a pool into a variable (`conn = await pool.acquire()`
    for asyncpg and aiomysql, `pool.getconn()` for psycopg_pool and psycopg2, `engine.connect()`
    or `engine.raw_connection()` for SQLAlchemy, redis `pool.get_connection()`) when nothing
    gives it back, when the release (`pool.release(conn)`, `putconn(conn)`, `conn.close()`) is
    not in the `finally` of a `try`, or when the connection is used before that `try` starts (a
    cursor taken from a connection just opened, `cur = conn.cursor()`, is no use that can fail).

    A connection opened per call (`psycopg.connect`, `psycopg2.connect`, `asyncpg.connect`,
    `pymysql.connect`, `sqlite3.connect`, `duckdb.connect`, ...) and closed outside a `finally`
    (or never) is reported as a warning: CPython closes it when the connection object is
    collected, which an exception's traceback or a reference cycle can delay, so the server
    holds a database connection (or a sqlite file lock) it no longer uses. Only in tool code
    and in modules of the MCP server (a one-off script that opens a connection is not).

    Not flagged: `async with pool.acquire() as conn`, `with pool.connection() as conn`,
    `with conn:`, connections handed to an `ExitStack`/`AsyncExitStack`, functions that return
    the connection to their caller (a factory; the caller owns it), connections stored on an
    attribute (see MCP0602), and `except` blocks that release before re-raising when the normal
    path releases too.

    ## Why is this bad?
    When a query raises (a timeout, a constraint violation, a cancelled call), the release is
    skipped and the connection never returns to the pool. After `max_size` such failures every
    tool call waits on `acquire()` forever: the server is up, answers `initialize`, and hangs
    on every real call.

    ## Example
    ```python
    @mcp.tool()
    async def count_orders(customer: str) -> int:
        conn = await pool.acquire()
        n = await conn.fetchval("SELECT count(*) FROM orders WHERE customer = $1", customer)
        await pool.release(conn)
        return n
    ```

    ## Use instead
    ```python
    @mcp.tool()
    async def count_orders(customer: str) -> int:
        async with pool.acquire() as conn:
            return await conn.fetchval("SELECT count(*) FROM orders WHERE customer = $1", customer)
    ```
    """

    code = "MCP0601"
    name = "connection-acquired-without-release"
    item = 6
    severity = Severity.ERROR
    summary = "Pooled connection acquired without a guaranteed release"
    fix_hint = "Use the pool's context manager (`async with pool.acquire() as conn:` / `with pool.connection() as conn:`), or release in the `finally` of a `try` that starts right after the acquire."
    requires = ("acquire", "getconn", "connect", "get_connection")  # "connect" also covers sqlite3/psycopg.connect
    scope = "mcp-project"  # database helpers often live in a module that never mentions MCP

    def leave_Module(self, original_node: cst.Module) -> None:
        for func in self.functions:
            for acquired in self._acquisitions(func):
                problem = self._problem(func, acquired)
                if not problem:
                    continue
                where = where_of(self.model, func)
                if acquired.opened:
                    self.report(
                        acquired.call,
                        f"`{acquired.var}` is opened with `{acquired.opened}()` in {where} {problem.replace('released', 'closed')}: "
                        "the connection stays open until garbage collection reaches it (later still when a traceback "
                        "or a reference cycle holds the frame)",
                        severity=Severity.WARNING,
                        fix_hint="Open it in a `with` block (`with closing(sqlite3.connect(path)) as conn:`, `with psycopg.connect(dsn) as conn:`) or close it in the `finally` of a `try` that starts right after the connect.",
                    )
                else:
                    self.report(acquired.call, f"`{acquired.var}` is checked out of `{acquired.pool}` in {where} {problem} until the pool is exhausted")

    def _acquisitions(self, func: cst.FunctionDef) -> Iterator[_Acquired]:
        for node in own_nodes(func):
            pair = single_target(node)
            if pair is None or not isinstance(pair[0], cst.Name):
                continue
            pool = self.acquisition(pair[1])
            if pool is not None:
                yield _Acquired(pair[0].value, node, unawait(pair[1]), pool)
                continue
            call = unawait(pair[1])
            factory = self.model.qualify(call.func) if isinstance(call, cst.Call) else None
            if factory in PER_CALL_FACTORIES and (func in self.model.tool_code or self.model.is_mcp):
                yield _Acquired(pair[0].value, node, call, factory, opened=factory)

    def _problem(self, func: cst.FunctionDef, acquired: _Acquired) -> str:
        var = acquired.var
        finally_tries, loose, in_except = [], 0, 0
        for node in own_nodes(func):
            if self._hands_over(node, var):
                return ""
            if isinstance(node, cst.Try) and node.finalbody is not None and _releases(node.finalbody, var):
                finally_tries.append(node)
            elif isinstance(node, cst.ExceptHandler) and _releases(node.body, var):
                in_except += 1
        loose = sum(1 for node in own_nodes(func) if _is_release(node, var))
        if finally_tries:
            return self._used_before_try(func, acquired, finally_tries)
        if loose > in_except and in_except:
            return ""  # released on the error path and on the normal path
        if loose:
            return "and released outside a `finally`: each call that raises before the release leaks a connection"
        return "and never released: every call leaks a connection"

    def _hands_over(self, node: cst.CSTNode, var: str) -> bool:
        """The connection leaves this function's responsibility: returned, stored on an
        attribute or in a container, used as a context manager, or given to an exit stack."""
        if isinstance(node, cst.Return) and node.value is not None:
            return _direct(node.value, var)
        if isinstance(node, cst.WithItem):
            return _direct(node.item, var)
        pair = single_target(node)
        if pair is not None and not isinstance(pair[0], cst.Name):
            return _direct(pair[1], var)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in EXIT_STACK_METHODS:
            return _direct(node, var)
        return False

    def _used_before_try(self, func: cst.FunctionDef, acquired: _Acquired, tries: List[cst.Try]) -> str:
        """Statements between the acquire and the guarding `try` (same block) must not use it."""
        if any(acquired.statement is n for t in tries for part in (t.body, *t.handlers, t.orelse) if part is not None for n in walk.walk(part)):
            return ""  # acquired inside the guarded block itself, or again in one of its `except` clauses
        for node in own_nodes(func):
            body = getattr(node, "body", None)
            statements = list(body) if isinstance(body, (list, tuple)) else []
            start = _index_of(statements, acquired.statement)
            if start is None:
                continue
            for statement in statements[start + 1 :]:
                if statement in tries:
                    return ""
                if mentions(statement, acquired.var) and not (acquired.opened and _opens_cursor(statement, acquired.var)):
                    return "and used before the `try` whose `finally` releases it: an error there leaks a connection"
            return ""
        return ""

    VALID = [
        Valid(  # a cursor of a connection just opened, taken before the `try`: nothing there can fail (Code-Index-MCP)
            """
            import sqlite3
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("bm25")

            @mcp.tool()
            def search(query: str) -> list:
                conn = sqlite3.connect("index.db")
                cursor = conn.cursor()
                try:
                    return cursor.execute("SELECT path FROM docs WHERE body MATCH ?", (query,)).fetchall()
                finally:
                    conn.close()
            """
        ),
        Valid(  # a one-off script next to the server
            "import duckdb\n\ndef main() -> int:\n    con = duckdb.connect('md:')\n    con.execute('SELECT 1')\n    return 0\n",
            path="scripts/nightly.py",
            files={"server.py": "from fastmcp import FastMCP\nmcp = FastMCP('x')\n"},
        ),
        Valid(
            """
            import sqlite3
            import psycopg
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            @mcp.tool()
            def find_note(title: str) -> str:
                try:
                    conn = sqlite3.connect("notes.db")
                    row = conn.execute("SELECT body FROM notes WHERE title = ?", (title,)).fetchone()
                    return row[0] if row else ""
                finally:
                    if "conn" in locals():
                        conn.close()

            @mcp.tool()
            def count_users() -> int:
                with psycopg.connect("dbname=app") as conn:
                    return conn.execute("SELECT count(*) FROM users").fetchone()[0]
            """
        ),
        Valid(  # a slot checked out again in the `except` of the `try` whose `finally` releases it (web-search-mcp)
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("browse")

            @mcp.tool()
            async def render(url: str) -> str:
                pool = mcp.get_context().request_context.lifespan_context.pool
                slot = None
                try:
                    slot = await pool.acquire()
                    return await slot.render(url)
                except WorkerCrashed:
                    await pool.release(slot)
                    slot = await pool.acquire()
                    return await slot.render(url)
                finally:
                    if slot is not None:
                        await pool.release(slot)
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("orders")

            @mcp.tool()
            async def count_orders(customer: str) -> int:
                pool = mcp.get_context().request_context.lifespan_context.pool
                async with pool.acquire() as conn:
                    return await conn.fetchval("SELECT count(*) FROM orders WHERE customer = $1", customer)
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from .db import pool

            mcp = FastMCP("orders")

            @mcp.tool
            async def cancel(order_id: int) -> str:
                conn = await pool.acquire()
                try:
                    await conn.execute("UPDATE orders SET state = 'cancelled' WHERE id = $1", order_id)
                finally:
                    await pool.release(conn)
                return "ok"
            """
        ),
        Valid(
            """
            from contextlib import asynccontextmanager
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("pg")

            async def checkout(db_pool):
                conn = await db_pool.acquire()
                await conn.execute("SET statement_timeout = 5000")
                return conn

            @asynccontextmanager
            async def connection(db_pool):
                conn = await db_pool.acquire()
                try:
                    yield conn
                finally:
                    await db_pool.release(conn)
            """
        ),
        Valid(
            """
            from contextlib import AsyncExitStack
            import asyncio
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("pg")
            lock = asyncio.Lock()

            @mcp.tool()
            async def report(day: str) -> str:
                async with AsyncExitStack() as stack:
                    conn = await pool.acquire()
                    stack.push_async_callback(pool.release, conn)
                    got = await lock.acquire()
                    return await conn.fetchval("SELECT report($1)", day)
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP
            from sqlalchemy import create_engine, text

            engine = create_engine("postgresql+psycopg://db/app")
            mcp = FastMCP("sa")

            @mcp.tool()
            def tables() -> list[str]:
                conn = engine.connect()
                with conn:
                    return [r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables"))]
            """
        ),
        Valid(
            """
            import psycopg2
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("pg")

            @mcp.tool()
            def version() -> str:
                conn = None
                try:
                    conn = db_pool.getconn()
                    with conn.cursor() as cur:
                        cur.execute("SELECT version()")
                        return cur.fetchone()[0]
                finally:
                    if conn is not None:
                        db_pool.putconn(conn)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import sqlite3
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            @mcp.tool()
            def find_note(title: str) -> str:
                conn = sqlite3.connect("notes.db")
                row = conn.execute("SELECT body FROM notes WHERE title = ?", (title,)).fetchone()
                conn.close()
                return row[0] if row else ""
            """,
            line=8,
            message="`conn` is opened with `sqlite3.connect()` in tool `find_note` and closed outside a `finally`",
            severity="warning",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("orders")

            @mcp.tool()
            async def count_orders(customer: str) -> int:
                conn = await pool.acquire()
                n = await conn.fetchval("SELECT count(*) FROM orders WHERE customer = $1", customer)
                await pool.release(conn)
                return n
            """,
            line=7,
            message="`conn` is checked out of `pool` in tool `count_orders` and released outside a `finally`",
        ),
        Invalid(
            """
            import asyncpg
            from fastmcp import FastMCP

            mcp = FastMCP("orders")
            db = None

            async def main():
                global db
                db = await asyncpg.create_pool("postgresql://db/app")

            @mcp.tool
            async def last_order() -> dict:
                conn = await db.acquire()
                return dict(await conn.fetchrow("SELECT * FROM orders ORDER BY id DESC LIMIT 1"))
            """,
            line=13,
            message="and never released",
        ),
        Invalid(
            """
            def register(mcp, db_pool):
                @mcp.tool()
                def search(term: str) -> list:
                    conn = db_pool.getconn()
                    cur = conn.cursor()
                    try:
                        cur.execute("SELECT name FROM items WHERE name ILIKE %s", (f"%{term}%",))
                        return cur.fetchall()
                    finally:
                        db_pool.putconn(conn)
            """,
            line=4,
            message="used before the `try`",
        ),
        Invalid(
            """
            from sqlalchemy.ext.asyncio import create_async_engine
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("sa")
            engine = create_async_engine("postgresql+asyncpg://db/app")

            async def _rows(sql):
                conn = await engine.connect()
                result = await conn.execute(sql)
                await conn.close()
                return result.all()

            @mcp.tool()
            async def query(sql: str) -> list:
                return await _rows(sql)
            """,
            line=8,
            message="helper `_rows` called by tool `query`",
        ),
    ]


def _direct(expr: cst.BaseExpression, var: str) -> bool:
    """`var` itself, in a tuple/list, or passed as an argument (`Repo(conn)`, `closing(conn)`):
    not merely used (`dict(await conn.fetchrow(...))`)."""
    expr = unawait(expr)
    if isinstance(expr, cst.Name):
        return expr.value == var
    if isinstance(expr, (cst.Tuple, cst.List)):
        return any(_direct(e.value, var) for e in expr.elements)
    if isinstance(expr, cst.Call):
        return any(isinstance(a.value, cst.Name) and a.value.value == var for a in expr.args)
    return False


def _index_of(statements: list, target: cst.CSTNode) -> Optional[int]:
    """Position of the statement holding `target` (an assignment inside a SimpleStatementLine)."""
    for i, statement in enumerate(statements):
        if statement is target or (isinstance(statement, cst.SimpleStatementLine) and target in statement.body):
            return i
    return None


def _is_release(node: cst.CSTNode, var: str) -> bool:
    """`pool.release(conn)`, `pool.putconn(conn)`, `conn.close()`, `conn.release()`."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return False
    if node.func.attr.value not in RELEASE_METHODS:
        return False
    target = node.func.value
    if isinstance(target, cst.Name) and target.value == var:
        return True
    return any(isinstance(arg.value, cst.Name) and arg.value.value == var for arg in node.args)


def _opens_cursor(statement: cst.CSTNode, var: str) -> bool:
    """`cursor = conn.cursor()`: on a connection just opened, a cursor object made without a
    round trip cannot fail (a pooled one may be broken: `cursor()` then raises)."""
    pair = single_target(statement.body[0]) if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    value = pair[1] if pair is not None else None
    return (isinstance(value, cst.Call) and not value.args and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "cursor" and isinstance(value.func.value, cst.Name) and value.func.value.value == var)


def _releases(block: cst.CSTNode, var: str) -> bool:
    return any(_is_release(node, var) for node in walk.walk(block))


class ConnectionHeldPerSession(_BoundNames, PythonProjectRule):
    """
    ## What it does
    Flags a single database connection (not a pool) that outlives a call:
    - opened in a server lifespan and handed to the tools (`yield {"db": conn}`,
      `yield AppContext(conn=conn)`, `app.state.conn = conn`), including one connection checked
      out of a pool for the whole lifespan;
    - opened in tool code and kept on an attribute or a module global (`self.conn = ...`,
      `global _conn; _conn = await asyncpg.connect(...)`).

    With mcp 1.x (`mcp.server.fastmcp`) served over HTTP it also warns about a *pool* created in
    the `FastMCP(lifespan=...)` function: the 1.x SDK runs that lifespan once per session, so
    every client session opens its own pool.

    Not flagged: pools in lifespans (mcp 2.x and fastmcp run them once per process); servers
    that are only served over stdio (one client per process, one connection is enough); sqlite.
    When no transport is found anywhere in the project the finding is a warning.

    ## Why is this bad?
    One connection serves one query at a time: concurrent tool calls from several sessions
    queue behind each other or fail (asyncpg: "another operation is in progress"), a broken
    connection is never replaced, and a transaction left open by one call leaks into the next.
    A pool per session multiplies the connection count by the number of clients.

    ## Example
    ```python
    @asynccontextmanager
    async def lifespan(server):
        conn = await asyncpg.connect(DSN)
        yield {"conn": conn}
        await conn.close()
    ```

    ## Use instead
    ```python
    @asynccontextmanager
    async def lifespan(server):
        pool = await asyncpg.create_pool(DSN)
        try:
            yield {"pool": pool}
        finally:
            await pool.close()
    ```
    and `async with pool.acquire() as conn:` in each tool. Under mcp 1.x with HTTP, create the
    pool in the Starlette app's lifespan or at startup instead of the server lifespan.
    """

    code = "MCP0602"
    name = "connection-held-per-session"
    item = 6
    severity = Severity.ERROR
    summary = "One database connection shared across calls and sessions"
    fix_hint = "Keep a pool (created once per process) in the lifespan or a module global and acquire a connection per call with `async with pool.acquire() as conn:`."
    requires = ("connect", "acquire", "getconn", "create_pool", "Pool", "engine", "lifespan")

    def __init__(self, ctx):
        super().__init__(ctx)
        self.lifespans: Dict[str, str] = {}  # lifespan function name -> framework of its server

    def visit_Call(self, node: cst.Call) -> None:
        arg = keyword(node, "lifespan")
        if arg is not None and isinstance(arg.value, cst.Name):
            server = next((s for s in self.model.servers if s.call is node), None)
            self.lifespans.setdefault(arg.value.value, server.framework if server else "")

    def leave_Module(self, original_node: cst.Module) -> None:
        held: List[Finding] = []
        per_session: List[Finding] = []
        for func in self.functions:
            framework = self._lifespan_framework(func)
            if framework is not None:
                held.extend(self._held_in_lifespan(func))
                if framework == "mcp1":
                    per_session.extend(self._pools_in(func))
            elif func in self.model.tool_code:
                held.extend(self._kept_by_tool(func))
        self.facts = {"held": held, "per_session": per_session, "transports": sorted(self.model.transports)}

    def _lifespan_framework(self, func: cst.FunctionDef) -> Optional[str]:
        if func.name.value in self.lifespans:
            return self.lifespans[func.name.value]
        if any(self.model.qualify(_callee(d.decorator)) in FASTMCP_LIFESPAN for d in func.decorators):
            return "fastmcp"
        return None

    def _connection(self, value: cst.BaseExpression) -> Optional[str]:
        """How a connection is opened by `value`, for messages; None when it is not one."""
        call = unawait(value)
        if isinstance(call, cst.Call):
            qualified = self.model.qualify(call.func) or ""
            if qualified in CONNECTION_FACTORIES:
                return f"`{qualified}()`"
        pool = self.acquisition(value)
        return f"a connection checked out of `{pool}`" if pool else None

    def _held_in_lifespan(self, func: cst.FunctionDef) -> Iterator[Finding]:
        opened: Dict[str, Tuple[cst.CSTNode, str]] = {}
        for node in own_nodes(func):
            pair = single_target(node)
            if pair is not None and isinstance(pair[0], cst.Name) and self._connection(pair[1]):
                opened[pair[0].value] = (unawait(pair[1]), self._connection(pair[1]))
            elif isinstance(node, cst.WithItem) and node.asname is not None and isinstance(node.asname.name, cst.Name):
                how = self._connection(node.item)
                if how:
                    opened[node.asname.name.value] = (unawait(node.item), how)
        for node in own_nodes(func):
            shared = self._shared_value(node)
            if shared is None:
                continue
            for var, (call, how) in opened.items():
                if mentions(shared, var):
                    yield self._finding(call, f"{how} is opened in lifespan `{func.name.value}()` and shared through `{var}`")
            for inner in walk.walk(shared):
                inline = isinstance(inner, cst.Call) and (self.model.qualify(inner.func) or "") in CONNECTION_FACTORIES
                if inline or (isinstance(inner, cst.Await) and self.acquisition(inner)):
                    how = self._connection(inner)
                    yield self._finding(inner, f"{how} is opened in lifespan `{func.name.value}()` and handed to the tools")

    def _shared_value(self, node: cst.CSTNode) -> Optional[cst.BaseExpression]:
        """What a lifespan hands to the tools: a yielded value or one stored on an attribute."""
        if isinstance(node, cst.Yield) and isinstance(node.value, cst.BaseExpression):
            return node.value
        pair = single_target(node)
        if pair is not None and isinstance(pair[0], (cst.Attribute, cst.Subscript)):
            return pair[1]
        return None

    def _kept_by_tool(self, func: cst.FunctionDef) -> Iterator[Finding]:
        names = globals_of(func)
        for node in own_nodes(func):
            pair = single_target(node)
            if pair is None:
                continue
            target, value = pair
            kept = isinstance(target, cst.Attribute) or (isinstance(target, cst.Name) and target.value in names)
            how = self._connection(value) if kept else None
            if how:
                where = where_of(self.model, func)
                yield self._finding(unawait(value), f"{how} is opened in {where} and kept in `{dotted(target)}` for later calls")

    def _pools_in(self, func: cst.FunctionDef) -> Iterator[Finding]:
        for node in own_nodes(func):
            if isinstance(node, cst.Call) and (self.model.qualify(node.func) or "") in POOL_FACTORIES:
                name = dotted(node.func) or "pool"
                message = (
                    f"`{name}()` runs in lifespan `{func.name.value}()` of an mcp 1.x `FastMCP` server served over HTTP: "
                    "the 1.x SDK runs this lifespan once per session, so every session opens its own pool"
                )
                fix = "Create the pool once per process (module startup or the Starlette app lifespan), or upgrade to mcp 2.x / fastmcp, which run the server lifespan once."
                yield self.make_finding(
                    self.ctx.document.location(node), message, severity=Severity.WARNING, fix_hint=fix, snippet=self.ctx.document.snippet(node)
                )

    def _finding(self, node: cst.CSTNode, what: str) -> Finding:
        document = self.ctx.document
        message = f"{what}: one connection serves every call of every session, one query at a time"
        return self.make_finding(document.location(node), message, snippet=document.snippet(node))

    @classmethod
    def check(cls, facts_by_path, project):
        transports = {t for facts in facts_by_path.values() for t in facts["transports"]}
        http = bool(transports & {"http", "dynamic"})
        for facts in facts_by_path.values():
            if http or not transports:
                for finding in facts["held"]:
                    yield finding if http else replace(finding, severity=Severity.WARNING, message=finding.message + UNKNOWN_TRANSPORT)
            if "http" in transports:
                yield from facts["per_session"]

    VALID = [
        Valid(
            """
            from contextlib import asynccontextmanager
            import asyncpg
            from mcp.server.mcpserver import MCPServer

            @asynccontextmanager
            async def lifespan(server):
                pool = await asyncpg.create_pool("postgresql://db/app")
                try:
                    yield {"pool": pool}
                finally:
                    await pool.close()

            server = MCPServer("db", lifespan=lifespan)

            if __name__ == "__main__":
                server.run("streamable-http")
            """
        ),
        Valid(
            """
            from contextlib import asynccontextmanager
            import asyncpg
            from mcp.server.fastmcp import FastMCP

            @asynccontextmanager
            async def lifespan(server):
                conn = await asyncpg.connect("postgresql://localhost/notes")
                try:
                    yield {"conn": conn}
                finally:
                    await conn.close()

            mcp = FastMCP("notes", lifespan=lifespan)

            if __name__ == "__main__":
                mcp.run()
            """
        ),
        Valid(
            """
            from contextlib import asynccontextmanager
            import aiosqlite
            from fastmcp import FastMCP

            @asynccontextmanager
            async def lifespan(server):
                async with aiosqlite.connect("notes.db") as db:
                    yield {"db": db}

            mcp = FastMCP("notes", lifespan=lifespan)
            mcp.run(transport="http")
            """
        ),
        Valid(
            """
            import asyncpg
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("db")

            @mcp.tool()
            async def ping_db(dsn: str) -> str:
                conn = await asyncpg.connect(dsn)
                try:
                    return await conn.fetchval("SELECT version()")
                finally:
                    await conn.close()

            mcp.run(transport="streamable-http")
            """
        ),
        Valid(
            """
            from contextlib import asynccontextmanager
            import asyncpg
            from fastmcp import FastMCP

            @asynccontextmanager
            async def lifespan(server):
                pool = await asyncpg.create_pool("postgresql://db/app")
                yield {"pool": pool}
                await pool.close()

            mcp = FastMCP("db", lifespan=lifespan)
            mcp.run(transport="http")
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from contextlib import asynccontextmanager
            from dataclasses import dataclass, replace
            import asyncpg
            from mcp.server.mcpserver import MCPServer

            @dataclass
            class AppContext:
                conn: asyncpg.Connection

            @asynccontextmanager
            async def lifespan(server):
                conn = await asyncpg.connect("postgresql://db/app")
                try:
                    yield AppContext(conn=conn)
                finally:
                    await conn.close()

            server = MCPServer("db", lifespan=lifespan)
            server.run("streamable-http")
            """,
            line=12,
            message="`asyncpg.connect()` is opened in lifespan `lifespan()` and shared through `conn`",
            severity="error",
        ),
        Invalid(
            """
            import psycopg
            from fastmcp import FastMCP

            mcp = FastMCP("pg")
            _conn = None

            @mcp.tool
            async def query(sql: str) -> list:
                global _conn
                if _conn is None:
                    _conn = await psycopg.AsyncConnection.connect("dbname=app")
                cur = await _conn.execute(sql)
                return await cur.fetchall()

            if __name__ == "__main__":
                mcp.run(transport="http", port=8000)
            """,
            line=11,
            message="kept in `_conn` for later calls",
        ),
        Invalid(
            """
            from contextlib import asynccontextmanager
            import asyncpg
            from mcp.server.fastmcp import FastMCP

            @asynccontextmanager
            async def app_lifespan(server):
                pool = await asyncpg.create_pool("postgresql://db/app", max_size=5)
                try:
                    yield {"pool": pool}
                finally:
                    await pool.close()

            mcp = FastMCP("db", lifespan=app_lifespan)

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """,
            line=7,
            message="once per session",
            severity="warning",
        ),
        Invalid(
            """
            from contextlib import asynccontextmanager
            import aiomysql
            from mcp.server.fastmcp import FastMCP

            @asynccontextmanager
            async def lifespan(server):
                yield {"db": await aiomysql.connect(host="db", db="shop")}

            mcp = FastMCP("shop", lifespan=lifespan)
            """,
            line=7,
            severity="warning",
            message="no transport found",
        ),
    ]


def _callee(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.func if isinstance(expr, cst.Call) else expr


class PoolCreatedInTool(_BoundNames):
    """
    ## What it does
    Flags tool code (a handler or a same-file helper it calls) that creates a pool or a pooled
    client: `asyncpg.create_pool`, `psycopg_pool.ConnectionPool`, psycopg2 pools,
    `sqlalchemy.create_engine` / `create_async_engine`, `aiomysql.create_pool`,
    `redis.Redis(...)` / `from_url`, `MongoClient`, `AsyncIOMotorClient`. Not
    `clickhouse_connect.get_client` (its clients share one pool manager per process).

    A lazy singleton (`global _pool; if _pool is None: _pool = await create_pool(...)`, or an
    attribute cache, or an `lru_cache`d accessor, or a factory helper whose callers keep its
    result that way: `if ENGINE is None: ENGINE = new_engine()`) is reported as info only: it
    works, but a bad DSN then fails the first call instead of the deploy. Creation at module
    level, in `main()` or in a lifespan is not tool code and is not reported, and neither is a
    cached factory that startup already runs (import-time code or `main()` calls it first).

    ## Why is this bad?
    A pool per call opens (and usually leaks) a set of connections on every tool call: the
    database's connection limit is reached after a few dozen calls, each call pays the TCP and
    authentication handshake, and nothing bounds the total any more.

    ## Example
    ```python
    @mcp.tool()
    async def find_user(email: str) -> dict:
        pool = await asyncpg.create_pool(DSN)
        async with pool.acquire() as conn:
            return dict(await conn.fetchrow("SELECT * FROM users WHERE email = $1", email))
    ```

    ## Use instead
    Create the pool once in the lifespan (or in `main()`), pass it to the tools through the
    lifespan context or a module global, and only `acquire()` in the tool.
    """

    code = "MCP0603"
    needs = ("tool code",)  # reports pools built in tool code only
    name = "pool-created-in-tool"
    item = 6
    severity = Severity.ERROR
    summary = "Connection pool or pooled client created inside tool code"
    fix_hint = "Create the pool/client once at startup (lifespan, main() or module level) and reuse it; acquire a connection per call."
    requires = ("pool", "Pool", "engine", "Redis", "redis", "from_url", "Client", "get_client")

    def leave_Module(self, original_node: cst.Module) -> None:
        qualify = self.model.qualify
        for func, code in self.model.tool_code.items():
            factories = [
                (node, qualified) for node in own_nodes(func) if type(node) is cst.Call
                for qualified in (qualify(node.func),) if qualified in POOL_FACTORIES
            ]
            if not factories:
                continue  # what the report needs is only worked out for functions that build one
            cached = any(qualify(_callee(d.decorator)) in CACHE_DECORATORS for d in func.decorators)
            names, tested = globals_of(func), _tested_names(func)
            assigned = {}
            for node in own_nodes(func):
                pair = single_target(node)
                if pair is not None and isinstance(unawait(pair[1]), cst.Call):
                    assigned[id(unawait(pair[1]))] = pair[0]
            for node, qualified in factories:
                # A factory helper whose callers keep the result: `ENGINE = new_engine()` under
                # `if ENGINE is None`. Built at startup too (import, main()), it is not lazy at all.
                holder = kept_by_callers(func, original_node) if returns_result_of(func, node) else None
                if holder is not None and code.at_startup:
                    continue
                self._report(node, qualified, code.where, cached, assigned.get(id(node)), names, tested, holder)

    def _report(self, call, qualified, where, cached, target, names, tested, holder=None) -> None:
        shown = f"`{dotted(call.func) or qualified}()`"
        label = dotted(target) if target is not None else None
        kept = target is not None and (isinstance(target, cst.Attribute) or (isinstance(target, cst.Name) and target.value in names))
        if cached or holder or (kept and label in tested):
            where_kept = "an `lru_cache`d accessor" if cached else f"`{holder or label}`"
            self.report(
                call,
                f"{shown} runs lazily in {where} and is cached in {where_kept}: it is created on the first call, "
                "so a bad DSN or an unreachable database fails that call instead of the startup",
                severity=Severity.INFO,
            )
        elif kept:
            self.report(call, f"{shown} runs in {where} and replaces `{label}` on every call (nothing checks whether it exists): the previous pool's connections leak")
        else:
            self.report(call, f"{shown} runs in {where}: every call opens a new pool of connections instead of reusing one")

    VALID = [
        Valid(
            # The factory's caller keeps the engine in a global it tests first (and rebuilds it
            # only after dispose() on a failed connect); import-time code calls it first.
            """
            import os
            from sqlalchemy import create_engine
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("sql")
            POOL = None

            def build_engine():
                return create_engine(os.environ["SQL_DSN"], pool_size=2)

            def connection():
                global POOL
                try:
                    if POOL is None:
                        POOL = build_engine()
                    return POOL.connect()
                except Exception:
                    if POOL is not None:
                        POOL.dispose()
                    POOL = build_engine()
                    return POOL.connect()

            def server_version() -> str:
                with connection() as conn:
                    return conn.dialect.name

            VERSION = server_version()

            @mcp.tool()
            def tables() -> str:
                with connection() as conn:
                    return str(conn.execute("select 1"))
            """
        ),
        Valid(
            """
            import clickhouse_connect
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("ch")

            @mcp.tool()
            def list_databases() -> list:
                client = clickhouse_connect.get_client(host="ch")
                return client.command("SHOW DATABASES")
            """
        ),
        Valid(
            """
            import asyncpg
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("users")
            pool = None

            async def main():
                global pool
                pool = await asyncpg.create_pool("postgresql://db/app")
                await mcp.run_stdio_async()

            @mcp.tool()
            async def find_user(email: str) -> dict:
                async with pool.acquire() as conn:
                    return dict(await conn.fetchrow("SELECT * FROM users WHERE email = $1", email))
            """
        ),
        Valid(
            """
            from contextlib import asynccontextmanager
            from redis.asyncio import Redis
            from fastmcp import FastMCP, Context

            @asynccontextmanager
            async def lifespan(server):
                client = Redis.from_url("redis://cache:6379/0")
                yield {"redis": client}
                await client.aclose()

            mcp = FastMCP("cache", lifespan=lifespan)

            @mcp.tool
            async def get_key(key: str, ctx: Context) -> str:
                return await ctx.lifespan_context["redis"].get(key)
            """
        ),
        Valid(
            """
            from sqlalchemy import create_engine
            from mcp.server.fastmcp import FastMCP

            engine = create_engine("postgresql+psycopg://db/app", pool_size=5)
            mcp = FastMCP("sa")

            def make_engine(url):
                return create_engine(url)

            @mcp.tool()
            def count(table: str) -> int:
                with engine.connect() as conn:
                    return conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
            """
        ),
        Valid(
            """
            import redis
            from pydantic_ai import Agent

            agent = Agent("openai:gpt-4o")

            @agent.tool_plain
            def cached(key: str) -> str:
                return redis.Redis().get(key)
            """
        ),
    ]
    INVALID = [
        Invalid(
            # The same cached factory, first called by a tool: lazy, so info.
            """
            import os
            from sqlalchemy import create_engine
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("sql")
            POOL = None

            def build_engine():
                return create_engine(os.environ["SQL_DSN"], pool_size=2)

            def connection():
                global POOL
                if POOL is None:
                    POOL = build_engine()
                return POOL.connect()

            @mcp.tool()
            def tables() -> str:
                with connection() as conn:
                    return str(conn.execute("select 1"))
            """,
            line=9,
            severity="info",
            message="is cached in `POOL`",
        ),
        Invalid(
            # A caller that builds a fresh engine without keeping it: a pool per call.
            """
            import os
            from sqlalchemy import create_engine
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("sql")
            POOL = None

            def build_engine():
                return create_engine(os.environ["SQL_DSN"], pool_size=2)

            def connection():
                global POOL
                if POOL is None:
                    POOL = build_engine()
                return POOL.connect()

            @mcp.tool()
            def tables() -> str:
                with connection() as conn:
                    return str(conn.execute("select 1"))

            @mcp.tool()
            def ping() -> str:
                return str(build_engine().connect())
            """,
            line=9,
            severity="error",
        ),
        Invalid(
            """
            import asyncpg
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("users")

            @mcp.tool()
            async def find_user(email: str) -> dict:
                pool = await asyncpg.create_pool("postgresql://db/app")
                async with pool.acquire() as conn:
                    return dict(await conn.fetchrow("SELECT * FROM users WHERE email = $1", email))
            """,
            line=8,
            message="`asyncpg.create_pool()` runs in tool `find_user`: every call opens a new pool",
            severity="error",
        ),
        Invalid(
            """
            import redis.asyncio as redis
            from fastmcp import FastMCP as F

            app = F("cache")

            def _client():
                return redis.from_url("redis://cache:6379/0")

            @app.tool(name="get_key")
            async def get(key: str) -> str:
                return await _client().get(key)
            """,
            line=7,
            message="helper `_client` called by tool `get_key`",
        ),
        Invalid(
            """
            import aiomysql
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("shop")
            _pool = None

            async def get_pool():
                global _pool
                if _pool is None:
                    _pool = await aiomysql.create_pool(host="db", db="shop")
                return _pool

            @mcp.tool()
            async def products() -> list:
                pool = await get_pool()
                async with pool.acquire() as conn:
                    async with conn.cursor() as cur:
                        await cur.execute("SELECT name FROM products")
                        return await cur.fetchall()
            """,
            line=10,
            severity="info",
            message="cached in `_pool`",
        ),
        Invalid(
            """
            from pymongo import MongoClient

            def register(mcp):
                @mcp.tool()
                def find_docs(collection: str) -> list:
                    client = MongoClient("mongodb://mongo:27017")
                    return list(client.app[collection].find().limit(10))
            """,
            line=6,
        ),
    ]


def _tested_names(func: cst.FunctionDef) -> Set[str]:
    """Dotted names that an `if` in the function tests (`if _pool is None`, `if not self.pool`)."""
    found: Set[str] = set()
    for node in own_nodes(func):
        if isinstance(node, cst.If):
            found.update(n for n in (dotted(x) for x in walk.walk(node.test) if isinstance(x, (cst.Name, cst.Attribute))) if n)
    return found


# Size keywords per constructor; SQLAlchemy is handled apart (pool_size + max_overflow).
SIZE_KEYWORDS = {
    "asyncpg.create_pool": "max_size", "asyncpg.pool.create_pool": "max_size",
    "psycopg_pool.ConnectionPool": "max_size", "psycopg_pool.AsyncConnectionPool": "max_size",
    "aiomysql.create_pool": "maxsize", "aiomysql.pool.create_pool": "maxsize",
    "psycopg2.pool.SimpleConnectionPool": "maxconn", "psycopg2.pool.ThreadedConnectionPool": "maxconn",
    "pymongo.MongoClient": "maxPoolSize", "pymongo.AsyncMongoClient": "maxPoolSize",
    "motor.motor_asyncio.AsyncIOMotorClient": "maxPoolSize",
}
# The size rule reads every module of a project with an MCP server: its cases need one.
IN_MCP_PROJECT = {"path": "db.py", "files": {"server.py": "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('app')\n"}}
SA_DEFAULTS = {"pool_size": 5, "max_overflow": 10}  # sqlalchemy.pool.QueuePool


def _int(arg: Optional[cst.Arg]) -> Optional[int]:
    if arg is None:
        return None
    value = arg.value
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        inner = _int(cst.Arg(value.expression))
        return -inner if inner is not None else None
    if isinstance(value, cst.Integer):
        return parse_int(value.value)
    return None


class PoolSizeUnbounded(PythonRule):
    """
    ## What it does
    Reports pool sizes written as literals above a bound (option `max-pool-size`, default 20):
    asyncpg and psycopg_pool `max_size`, psycopg2 `maxconn`, aiomysql `maxsize`, SQLAlchemy
    `pool_size + max_overflow` (and `max_overflow=-1`, no limit at all), redis
    `max_connections`, pymongo/motor `maxPoolSize`.

    Sizes from variables or settings are not judged, nor are library defaults.

    ## Why is this bad?
    The size is per process. With several workers and replicas the total (size × workers ×
    replicas) easily exceeds the database's `max_connections`, and new connections are then
    refused under load, exactly when they are needed. A large pool rarely helps an MCP server:
    tool calls are limited by the model's pace, not by connection count.

    ## Example
    ```python
    pool = await asyncpg.create_pool(DSN, min_size=10, max_size=100)
    ```

    ## Use instead
    ```python
    pool = await asyncpg.create_pool(DSN, min_size=1, max_size=int(os.environ.get("DB_POOL_MAX", "10")))
    ```
    and size it from the database limit divided by workers × replicas.

    ## Options
    `max-pool-size` (default 20).
    """

    code = "MCP0604"
    name = "pool-size-unbounded"
    item = 6
    severity = Severity.INFO
    summary = "Connection pool sized above the configured bound"
    fix_hint = "Size the pool from the database's connection limit divided by workers × replicas (and make it configurable); keep it at or below `max-pool-size`."
    requires = ("max_size", "maxsize", "maxconn", "pool_size", "max_overflow", "max_connections", "maxPoolSize", "Pool(")
    scope = "mcp-project"
    options = {"max-pool-size": 20}

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.model.qualify(node.func) or ""
        if qualified in ENGINE_FACTORIES:
            self._check_engine(node, qualified)
        elif qualified in SIZE_KEYWORDS:
            key = SIZE_KEYWORDS[qualified]
            position = 1 if key == "maxconn" else None
            arg = keyword(node, key) or (positional(node, position) if position is not None else None)
            self._check(node, qualified, _int(arg), f"`{key}`")
        elif qualified.startswith("redis.") and qualified in POOL_FACTORIES:
            self._check(node, qualified, _int(keyword(node, "max_connections")), "`max_connections`")

    def _check_engine(self, node: cst.Call, qualified: str) -> None:
        given = {k: _int(keyword(node, k)) for k in SA_DEFAULTS if keyword(node, k) is not None}
        if not given or any(v is None for v in given.values()) or keyword(node, "poolclass") is not None:
            return
        if given.get("max_overflow") == -1:
            self.report(node, f"`{dotted(node.func)}(max_overflow=-1)` puts no limit on the connections this process opens")
            return
        total = sum(given.get(k, default) for k, default in SA_DEFAULTS.items())
        self._check(node, qualified, total, "`pool_size + max_overflow`")

    def _check(self, node: cst.Call, qualified: str, size: Optional[int], what: str) -> None:
        bound = self.option("max-pool-size")
        if size is not None and size > bound:
            self.report(
                node,
                f"`{dotted(node.func) or qualified}()` allows {size} connections per process ({what}), above {bound}: "
                "multiplied by workers and replicas this can exceed the database's connection limit",
            )

    VALID = [
        Valid(
            """
            import asyncpg

            async def make_pool(dsn):
                return await asyncpg.create_pool(dsn, min_size=1, max_size=10)
            """,
            **IN_MCP_PROJECT,
        ),
        Valid(
            """
            import os
            from sqlalchemy import create_engine

            engine = create_engine(os.environ["DB_URL"], pool_size=int(os.environ.get("POOL", "50")), max_overflow=0)
            """,
            **IN_MCP_PROJECT,
        ),
        Valid(
            """
            from sqlalchemy import create_engine
            from sqlalchemy.pool import NullPool

            engine = create_engine("postgresql://db/app", poolclass=NullPool, max_overflow=100)
            """,
            **IN_MCP_PROJECT,
        ),
        Valid(
            """
            import redis
            from psycopg_pool import ConnectionPool

            cache = redis.Redis(host="cache", max_connections=20)
            pool = ConnectionPool("dbname=app", min_size=2, max_size=8)
            """,
            **IN_MCP_PROJECT,
        ),
        Valid(
            """
            import asyncpg

            async def make_pool(dsn):
                return await asyncpg.create_pool(dsn, max_size=50)
            """,
            options={"max-pool-size": 64},
            **IN_MCP_PROJECT,
        ),
    ]
    INVALID = [
        Invalid(
            """
            import asyncpg

            async def make_pool(dsn):
                return await asyncpg.create_pool(dsn, min_size=10, max_size=100)
            """,
            **IN_MCP_PROJECT,
            line=4,
            message="allows 100 connections per process (`max_size`)",
            severity="info",
        ),
        Invalid(
            """
            from sqlalchemy.ext.asyncio import create_async_engine

            engine = create_async_engine("postgresql+asyncpg://db/app", pool_size=20, max_overflow=20)
            other = create_async_engine("postgresql+asyncpg://db/other", max_overflow=-1)
            """,
            count=2,
            **IN_MCP_PROJECT,
        ),
        Invalid(
            """
            from psycopg2.pool import ThreadedConnectionPool
            import redis.asyncio as aioredis

            pool = ThreadedConnectionPool(1, 50, dsn="dbname=app")
            cache = aioredis.from_url("redis://cache", max_connections=500)
            """,
            count=2,
            **IN_MCP_PROJECT,
        ),
    ]
