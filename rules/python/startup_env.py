"""Checklist item 1: validate required environment variables at startup."""

from __future__ import annotations

import libcst as cst

from mcp_lint.model import Severity
from mcp_lint.python.names import positional, string_value
from mcp_lint.rule import Invalid, PythonRule, Valid

ENV_GETTERS = {"os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop"}
ENV_MAPPING = "os.environ"
DOTENV_LOADERS = {"dotenv.load_dotenv", "dotenv.main.load_dotenv", "dotenv.dotenv_values"}


class EnvReadInTool(PythonRule):
    """
    ## What it does
    Flags environment variables read inside tool code: a tool handler, or a helper in the same
    file that a handler calls directly. Covers `os.getenv`, `os.environ.get`, `os.environ[...]`
    (through any import alias) and `load_dotenv()`.

    ## Why is this bad?
    A server that reads its configuration on the first tool call starts fine, passes its
    `initialize` probe, and then fails the first real request when the variable is missing.
    Reading and validating every variable at startup makes a bad deploy fail at deploy time.

    ## Example
    ```python
    @mcp.tool()
    def search(query: str) -> str:
        api_key = os.environ.get("SEARCH_API_KEY")
        return client(api_key).search(query)
    ```

    ## Use instead
    ```python
    SEARCH_API_KEY = os.environ["SEARCH_API_KEY"]  # fails at import time when missing

    @mcp.tool()
    def search(query: str) -> str:
        return client(SEARCH_API_KEY).search(query)
    ```
    A `pydantic-settings` `Settings()` object built at module level or in `main()` works too.

    ## Options
    `allowed` lists variables that may be read at call time (process plumbing such as `PATH`).
    """

    code = "MCP0101"
    name = "env-read-in-tool"
    item = 1
    severity = Severity.WARNING
    summary = "Environment variable read inside tool code instead of at startup"
    fix_hint = "Read and validate the variable once at startup (module level, main() or a Settings object) and use that value in the tool."
    requires = ("environ", "getenv", "dotenv")
    options = {"allowed": ["PATH", "HOME", "PWD", "TMPDIR", "TEMP", "TMP", "LANG", "TZ", "USER"]}

    def visit_Call(self, node: cst.Call) -> None:
        code = self.ctx.tool_code
        if code is None:
            return
        name = self.model.qualify(node.func)
        if name in DOTENV_LOADERS:
            self.report(node, f"`{name.split('.')[-1]}()` called inside tool code: configuration is loaded on every call")
        elif name in ENV_GETTERS:
            first = positional(node, 0)
            self._report_var(node, string_value(first.value) if first else None, code)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        code = self.ctx.tool_code
        if code is None or self.model.qualify(node.value) != ENV_MAPPING or len(node.slice) != 1:
            return
        index = node.slice[0].slice
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        self._report_var(node, key, code)

    def _report_var(self, node: cst.CSTNode, var, code) -> None:
        if var is not None and var in self.option("allowed"):
            return
        where = f"helper called by tool `{code.handler.tool_name}`" if code.is_helper else f"tool `{code.handler.tool_name}`"
        shown = f"`{var}`" if var else "an environment variable"
        self.report(node, f"{shown} is read inside {where}; a missing value surfaces only on the first call")

    VALID = [
        Valid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            API_KEY = os.environ["API_KEY"]
            mcp = FastMCP("demo")

            @mcp.tool()
            def search(query: str) -> str:
                return API_KEY + query
            """
        ),
        Valid(
            """
            import os, subprocess
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def run(cmd: str) -> str:
                env = os.environ.copy()
                path = os.getenv("PATH")
                return subprocess.run([cmd], env=env, capture_output=True, text=True).stdout
            """
        ),
        Valid(
            """
            import os

            def not_a_tool() -> str:
                return os.environ.get("SETTING", "x")
            """
        ),
        Valid(
            """
            import os
            from pydantic_ai import Agent

            agent = Agent("openai:gpt-4o")

            @agent.tool_plain
            def lookup(q: str) -> str:
                return os.getenv("KEY") or q
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            def search(query: str) -> str:
                key = os.environ.get("SEARCH_API_KEY")
                return key + query
            """,
            line=8,
            message="SEARCH_API_KEY",
        ),
        Invalid(
            """
            from os import environ as env, getenv
            from fastmcp import FastMCP as Server

            app = Server("demo")

            def _client():
                return env["DB_URL"]

            @app.tool(name="query")
            async def run_query(sql: str) -> str:
                return _client() + getenv("TOKEN")
            """,
            count=2,
            message="helper called by tool `query`",
        ),
        Invalid(
            """
            from dotenv import load_dotenv

            def register(mcp):
                @mcp.tool()
                def refresh() -> str:
                    load_dotenv()
                    return "ok"
            """,
            line=6,
        ),
    ]
