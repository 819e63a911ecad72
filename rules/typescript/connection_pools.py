"""Checklist item 6 for TypeScript: pools at startup, connections released in `finally`."""

from __future__ import annotations

import re

from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.rule import TypeScriptRule
from mcp_lint.typescript.syntax import enclosing_function, last_name, within

ACQUIRE = {"connect": "pg", "getConnection": "mysql", "acquire": "generic-pool"}
POOL_RECEIVER = re.compile(r"pool|Pool|POOL")


def _released_in_finally(model, func, name: str) -> bool:
    var = re.escape(name)
    release = re.compile(rf"\b{var}\s*\??\.\s*(release|end|destroy|close)\s*\(|\brelease\(\s*{var}\b|\bdestroy\(\s*{var}\b")
    for try_stmt in model.nodes("try_statement"):
        if func.start_byte <= try_stmt.start_byte and try_stmt.end_byte <= func.end_byte:
            finalizer = try_stmt.child_by_field_name("finalizer")
            if finalizer is not None and release.search(model.text(finalizer)):
                return True
    body = model.text(func)
    return bool(re.search(rf"\.finally\(|\breturn\s+{var}\b|await using\s+{var}\b", body))



TENANT_POOL = """{imports}export async function me(tenant: string) {{
  const client = await tenantPool.acquire(tenant);
  const me = await client.api("/me").get();
  tenantPool.release(client);
  return me;
}}
"""

class TsConnectionAcquiredWithoutRelease(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags `const c = await pool.connect()` (node-postgres),
    `await pool.getConnection()` (mysql2, mariadb) or `await pool.acquire()` (generic-pool, in a file that imports it) whose
    connection is not released in the `finally` of a `try` in the same function. `pool.query()`
    (releases by itself), `c.release(true)` / `release(err)`, `.finally(() => c.release())`,
    `await using`, functions that return the connection, startup probes that exit the
    process on failure, and a release in the very next statement (`const c = await
    pool.connect(); c.release();`: nothing between them can throw) are fine.

    ## Example
    ```ts
    const client = await pool.connect();
    const res = await client.query(sql);
    client.release();
    ```

    ## Use instead
    ```ts
    const client = await pool.connect();
    try { return await client.query(sql); } finally { client.release(); }
    ```
    """

    code = "MCP0601"
    fix_hint = "Release in the `finally` of a `try` that starts right after the acquire: `try { ... } finally { client.release(); }`."
    requires = ("connect(", "getConnection(", "acquire(")

    VALID = (
        Valid("""
            import pg from "pg";
            const pool = new pg.Pool();
            export async function run(sql: string) {
              const client = await pool.connect();
              try { return await client.query(sql); } finally { client.release(); }
            }
            export async function probe() {
              let connection;
              try { connection = await pool.getConnection(); } finally { if (connection) connection.release(); }
            }
            export async function lease() { const c = await pool.connect(); return c; }
            export async function check() { const probe = await pool.connect(); probe.release(); }
            (async () => {
              try { const c = await pool.connect(); console.error("db ok"); c.release(); }
              catch (e) { console.error("db down", e); process.exit(1); }
            })();
        """, path="db.ts", files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        # A project's own cache named a pool: `acquire` gets or creates a shared client, nothing to release.
        Valid(TENANT_POOL.format(imports=""), path="pool.ts", files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
    )
    INVALID = (
        Invalid(TENANT_POOL.format(imports='import genericPool from "generic-pool";\n'), path="pool.ts", line=3,
                files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Invalid("""
            import pg from "pg";
            const pool = new pg.Pool();
            export async function run(sql: string) {
              const client = await pool.connect();
              const res = await client.query(sql);
              client.release();
              return res;
            }
        """, path="db.ts", line=4, files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
    )
    scope = "mcp-project"

    def check(self) -> None:
        model = self.model
        for call in model.nodes("call_expression"):
            name = model.callee(call)
            method = last_name(name)
            if method not in ACQUIRE or "." not in name:
                continue
            receiver = name[: -len(method) - 1]
            known = receiver in {model._assigned_name(n) for _, n in model.pools}
            if not known and not (POOL_RECEIVER.search(last_name(receiver)) and _library_in_reach(model, method)):
                continue
            if call.parent is None or call.parent.type != "await_expression":
                continue
            target = model._assigned_name(call.parent)
            func = enclosing_function(call)
            if not target or func is None or func.has_error:
                continue  # (a broken function may hold the `finally` we cannot see)
            if _startup_probe(model, call) or _released_in_finally(model, func, last_name(target)) or _released_next(model, call, last_name(target)):
                continue
            self.report_node(call, f"`{target}` from `{name}()` is not released in a `finally`: an exception leaks it from the pool")


def _library_in_reach(model, method: str) -> bool:
    """A pool named as such may come from another module (`import { pool } from "./db.js"`) for
    the drivers' `connect` / `getConnection`; `acquire` is generic-pool's only where the file
    imports it (a project's own `TenantPool.acquire()` is a get-or-create cache, ms-365)."""
    return method != "acquire" or any(module == "generic-pool" for module, _ in model.imports.values())


def _startup_probe(model, call) -> bool:
    """A connectivity check whose failure ends the process: the leak cannot outlive it."""
    parent = call.parent
    while parent is not None:
        if parent.type == "try_statement":
            handler = parent.child_by_field_name("handler")
            if handler is not None and re.search(r"exit\w*\(", model.text(handler), re.IGNORECASE):
                return True
        parent = parent.parent
    return False


def _released_next(model, call, var: str) -> bool:
    """`const client = await pool.connect(); client.release();`: a probe that gives the
    connection back in the very next statement; nothing between them can throw."""
    statement = call.parent
    while statement is not None and statement.type not in ("lexical_declaration", "variable_declaration", "expression_statement"):
        statement = statement.parent
    following = statement.next_named_sibling if statement is not None else None
    release = rf"\s*{re.escape(var)}\s*\??\.\s*(release|end|destroy|close)\s*\(\s*\)\s*;?\s*"
    return following is not None and re.fullmatch(release, model.text(following)) is not None


def _module_singleton(model, node) -> bool:
    """`pool ??= new Pool()`, `if (!pool) pool = new Pool()`, `this.pool = ...` guarded: created once."""
    parent = node.parent
    while parent is not None and parent.type in ("await_expression", "as_expression", "parenthesized_expression"):
        parent = parent.parent
    if parent is None:
        return False
    if parent.type == "augmented_assignment_expression":
        return True
    if parent.type == "assignment_expression":
        left = model.text(parent.child_by_field_name("left"))
        func = enclosing_function(node)
        return func is not None and re.search(rf"if\s*\(\s*!\s*{re.escape(left)}\b|{re.escape(left)}\s*(===?|!==?)\s*(null|undefined)", model.text(func)) is not None
    return False


class TsPoolCreatedInTool(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a connection pool or pooled client (`new pg.Pool()`,
    `mysql.createPool()`, `knex()`, `new PrismaClient()`, `new MongoClient()`, redis
    `createClient()`) created in tool code, where every call opens new connections, or in a
    per-request server factory (a function building an `McpServer` that a route handler calls,
    or the one passed to `createMcpHandler`). Lazy module singletons (`pool ??= new Pool()`,
    `if (!pool) pool = ...`) and factories called once at startup are fine.

    ## Example
    ```ts
    server.tool("q", { sql: z.string() }, async ({ sql }) => {
      const pool = new Pool({ connectionString: DB_URL });
      ...
    });
    ```

    ## Use instead
    Create the pool once at module level (or at startup) and use it in the tool.
    """

    code = "MCP0603"
    fix_hint = "Create the pool/client once at module level or startup and reuse it in the tool."
    requires = ("Pool", "createPool", "knex", "PrismaClient", "MongoClient", "createClient")

    VALID = (
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { Pool } from "pg";
            const pool = new Pool();
            let lazy: Pool | undefined;
            function getPool() { if (!lazy) lazy = new Pool(); return lazy; }
            server.tool("q", { sql: z.string() }, async ({ sql }) => ({ content: [{ type: "text", text: String(await getPool().query(sql)) }] }));
        """, path="server.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            import { Pool } from "pg";
            function createServer() {
              const pool = new Pool();
              return new McpServer({ name: "db", version: "1" });
            }
            await createServer().connect(new StdioServerTransport());
        """, path="server.ts"),
    )
    INVALID = (
        Invalid("""
            import express from "express";
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { Pool } from "pg";
            function getServer() {
              const pool = new Pool();
              const server = new McpServer({ name: "db", version: "1" });
              return server;
            }
            const app = express();
            app.post("/mcp", async (req, res) => { await getServer().connect(transport); await transport.handleRequest(req, res, req.body); });
        """, path="server.ts", line=5, message="per-request"),
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { PrismaClient } from "@prisma/client";
            server.tool("users", async () => {
              const prisma = new PrismaClient();
              return { content: [{ type: "text", text: JSON.stringify(await prisma.user.findMany()) }] };
            });
        """, path="server.ts", line=4),
    )

    def check(self) -> None:
        model = self.model
        factories = model.request_factories if model.pools else {}
        for library, node in model.pools:
            if _module_singleton(model, node):
                continue
            if model.in_tool_code(node):
                self.report_node(node, f"{library} pool/client created in tool code: a new pool on every call")
            elif any(within(node, f) for f in factories.values()):
                self.report_node(node, f"{library} pool/client created in a per-request server factory: a new pool on every request")
