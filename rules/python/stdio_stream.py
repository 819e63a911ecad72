"""Checklist item 7: over stdio, standard output is the JSON-RPC channel."""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from mcp_lint.model import Edit, Fix, Severity
from mcp_lint.python import lifespan
from mcp_lint.python.names import keyword, positional
from mcp_lint.rule import Invalid, PythonRule, Valid

STDOUT = "sys.stdout"
RICH_CONSOLES = ("rich.console.Console", "rich.Console")
WHY = {
    ("stdio", "error"): "this code runs in a process that serves MCP over stdio, where stdout is the JSON-RPC channel",
    ("stdio", "warning"): "this code runs in a process whose transport is chosen at run time, and over stdio stdout is the JSON-RPC channel",
    ("default", "warning"): "no transport is started in code, and `fastmcp run` / `mcp run` serve over stdio by default",
}


def _is_true(arg: Optional[cst.Arg]) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"


_PRINT_KEYWORDS = frozenset({"sep", "end", "file", "flush"})  # all the builtin `print` accepts


LOCAL_MODE = """
import os
import sys
from fastmcp import FastMCP

LOCAL_MODE = os.getenv("LOCAL", "") == "true"
mcp = FastMCP("desk")

if LOCAL_MODE:
    try:
        import keyring
    except ImportError:
        print("keyring is required in local mode")
        sys.exit(1)
else:
    print("[INFO] secrets from the cloud store")
if not LOCAL_MODE:
    print("[INFO] OAuth on")
{extra}
if __name__ == "__main__":
    if LOCAL_MODE:
        mcp.run(transport="stdio")
    else:
        print("use server_http.py")
        sys.exit(1)
"""


ADDED_COMMANDS = {
    "pkg/__init__.py": "",
    "pkg/cli/__init__.py": (
        "import click\n\n@click.group()\ndef main():\n    pass\n\n"
        "def register_commands():\n    from pkg.cli.graph import graph\n    from pkg.cli.serve import serve\n"
        "    main.add_command(serve)\n    main.add_command(graph)\n\nregister_commands()\n"
    ),
    "pkg/__main__.py": "from pkg.cli import main\n\nif __name__ == '__main__':\n    main()\n",
    "pkg/server.py": 'from fastmcp import FastMCP\nmcp = FastMCP("demo")\n',
}
ADDED_SERVE = """\
import click
from pkg.server import mcp

@click.command()
def serve():
    click.echo("starting"{err})
    mcp.run()
"""

OPTIONAL_IMPORT = """\
import sys

try:
    import typer
except ImportError:
    {then}
"""
OPTIONAL_IMPORT_SERVER = """\
from fastmcp import FastMCP
from pkg import cli

mcp = FastMCP("demo")

if __name__ == "__main__":
    mcp.run()
"""
REDIRECTED = """\
import io
from contextlib import redirect_stdout
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("repl")

@mcp.tool()
def run(code: str) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        {body}
    {after}
    return buffer.getvalue()

if __name__ == "__main__":
    mcp.run()
"""
# A project context manager that swaps stdout for os.devnull while the components start
# (obsidian-milvus-FastMCP's `SuppressStdout`); `Manager.__init__` prints its progress.
SUPPRESSED = """\
import os
import sys
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("vault")

class Quiet:
    def __enter__(self):
        self._saved = {saved}
        {enter}
        return self

    def __exit__(self, *exc):
        sys.stdout = self._saved

class Manager:
    def __init__(self):
        print("connecting to the vector store")

def initialize():
    with Quiet():
        return Manager()

@mcp.tool()
def search(query: str) -> str:
    {tool}
    return query

if __name__ == "__main__":
    initialize()
    mcp.run()
"""
GRAPH_CONSOLE = """\
import click
from rich.console import Console
from rich.live import Live
from pkg.server import mcp
console = Console()
SPINNER = spinner_for(console=None)

@click.command()
def graph():
    console.print("graph started")
    with Live("loading", console=console):
        pass
"""

# Another CLI module that prints with the shared console in its own subcommand.
OTHER_COMMAND = """\
import click
from pkg.cli.graph import console

@click.command()
def other():
    console.print("other")
"""



HELP_AND_EXIT = """
import sys
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("insights")

def print_help_and_exit(args) -> None:
    if "--toolset-help" in args:
        print("# Toolsets")
        {leave}

def main() -> None:
    print_help_and_exit(sys.argv)
    mcp.run()
"""

class StdoutWriteInStdioServer(PythonRule):
    """
    ## What it does
    Flags writes to standard output in code that runs in a process serving MCP over stdio:
    `print(...)` without `file=` (or with `file=sys.stdout`), `sys.stdout.write`,
    `logging.basicConfig(stream=sys.stdout)`, `logging.StreamHandler(sys.stdout)`, loguru
    `logger.add(sys.stdout)`, structlog `PrintLoggerFactory()`, a rich `Console()` without
    `stderr=True` or `file=`, and `click.echo` / `typer.echo` without `err=True`. A rich
    console bound at module level (`console = Console()`) writes only when used: it is reported
    when code that runs in the stdio process calls it or hands it on (`Live(console=console)`),
    in its own module or in another that imports it.

    Which code runs there comes from the project model: each entrypoint (`__main__` modules and
    guards, `[project.scripts]`, functions that serve and nothing calls) is followed branch by
    branch to the call that starts a server over stdio (`run()` with no transport or
    `transport="stdio"`, `run_stdio_async()`, `stdio_server()`). Code on that path before the
    server starts, the tools, resource and prompt handlers of the server it starts and everything
    they call (in any module), and the top level of every module the process imports are
    checked. A `print(...)` with a keyword `print` does not take (`exc_info=True`) raises before
    it writes and is not reported, nor is a write inside `with contextlib.redirect_stdout(...)`
    (captured into a buffer) or a project class's block whose `__enter__` rebinds `sys.stdout`
    (`with SuppressStdout():`), nor in code that runs only from such a block. CLI subcommands (click and typer, decorated or attached with
    `add_command` / `add_typer`; argparse handlers attached with `set_defaults(func=...)`) and
    dict-dispatched handlers that never serve, branches that end the process first (`return`,
    `sys.exit()`, or a call to a function that always exits; also nested in another
    statement, an `except ImportError:` that exits, also at the top of a module the server
    imports, and in a function the serving path calls, where only an exit leaves:
    `if args.toolset_help: print(...); sys.exit(0)`), branches on a module-level flag the
    stdio launch contradicts (`if not LOCAL_MODE:` when the server runs over stdio only under
    `if LOCAL_MODE:`), output under a terminal test
    (`if sys.stdout.isatty():`, `if config.is_interactive:`: a person reads it, not a client),
    modules only they import, HTTP-only entrypoints and code after the server returns are not, nor is the teardown of a server lifespan (the code
    after its `yield`, `mcp_lint/python/lifespan.py`): the mcp SDK (1.x and 2.x) leaves the
    lifespan only once stdin has reached EOF, and fastmcp after the stdio transport has closed,
    so the session is over and nothing reads stdout as protocol. The startup half before the
    `yield` runs while the client already reads stdout, and is reported. Error when the branch serves stdio; warning when
    its transport is chosen at run time, or when no transport is started in code at all
    (`fastmcp run` and `mcp run` default to stdio).

    ## Why is this bad?
    Over stdio, standard output *is* the JSON-RPC channel. Any other text written there reaches
    the client as a broken message: clients fail with "Unexpected token ... is not valid JSON"
    or drop the connection. Standard error is the place for logs and diagnostics.

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
    needs = ("stdio process",)  # the project model says which code runs in a stdio server
    requires = ("print", "stdout", "LoggerFactory", "Console", "echo")  # every write it reports names one
    scope = "mcp-project"  # the code may live in modules that never mention MCP
    name = "stdout-write-in-stdio-server"
    item = 7
    severity = Severity.ERROR
    summary = "Write to stdout in a stdio MCP server corrupts the protocol stream"
    fix_hint = "Write to stderr (print(..., file=sys.stderr)) or use logging, which writes to stderr by default."

    def __init__(self, ctx):
        super().__init__(ctx)
        self._scope: List[str] = []
        # A module-level `console = Console()` that writes to stdout does nothing until used:
        # name -> its construction, and the (unit, line) of every reference to it
        # (`console.print(...)`, `Live(console=console)`).
        self._consoles: Dict[str, cst.Call] = {}
        self._console_mentions: Dict[str, List[Tuple[str, int]]] = {}
        self._not_references: Set[int] = set()  # ids of Name nodes that are no reference to a console

    def visit_Module(self, node: cst.Module) -> None:
        if not self.model.view.stdio:
            return
        for statement in node.body:
            for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
                if (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
                        and isinstance(small.value, cst.Call) and self.model.qualify(small.value.func) in RICH_CONSOLES
                        and self._stdout_write(small.value) is not None):
                    self._consoles[small.targets[0].target.value] = small.value
                    self._not_references.add(id(small.targets[0].target))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in self._consoles:
            self._not_references.add(id(node.attr))  # `rich.console`, `self.console`

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value in self._consoles:
            self._not_references.add(id(node.keyword))  # the `console=` of `Live(console=console)`

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self._consoles and id(node) not in self._not_references:
            self._console_mentions.setdefault(node.value, []).append((self._unit(), self.ctx.document.location(node).line))

    def leave_Module(self, original_node: cst.Module) -> None:
        view = self.model.view
        for name, call in self._consoles.items():
            # Used or handed on where the stdio process runs, here or in a module that imports it: it writes.
            if any(view.heat(unit, line) is not None for unit, line in self._console_mentions.get(name, ())) \
                    or name in view.globals_used_by_stdio:
                self._report_write(call, self._stdout_write(call), "", self.ctx.document.location(call).line)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._scope.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._scope.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scope.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scope.pop()

    def _unit(self) -> str:
        """The qualname of the innermost function, as the project model names it."""
        names = list(self._scope)
        while names and self.ctx.current_function is not None and names[-1] != self.ctx.current_function.name.value:
            names.pop()  # a class body inside a function: its code belongs to the function
        return ".".join(names) if self.ctx.current_function is not None else ""

    def visit_Call(self, node: cst.Call) -> None:
        view = self.model.view
        if not view.stdio:
            return
        problem = self._stdout_write(node)
        if problem is None:
            return
        unit = self._unit()
        if not unit and any(node is call for call in self._consoles.values()):
            return  # a module-level console: decided at the end of the module, by its uses
        self._report_write(node, problem, unit, self.ctx.document.location(node).line)

    def _report_write(self, node: cst.Call, problem: Tuple[str, Optional[Fix]], unit: str, line: int) -> None:
        view = self.model.view
        severity = view.heat(unit, line)
        if severity is None or self._in_teardown(unit, node):
            return
        message, fix = problem
        why = WHY.get((view.stdio_reason, severity), WHY[("stdio", "warning")])
        self.report(node, f"{message}: {why}", fix=fix, severity=Severity.ERROR if severity == "error" else Severity.WARNING)

    def _in_teardown(self, unit: str, node: cst.Call) -> bool:
        """After the `yield` of a server lifespan: it runs once the stdio session has ended."""
        function = self.ctx.current_function
        return (function is not None and unit in self.model.view.lifespans
                and lifespan.after_yield(function, node))

    def _stdout_write(self, node: cst.Call) -> Optional[Tuple[str, Optional[Fix]]]:
        name = self.model.qualify(node.func) or ""
        first = positional(node, 0)
        if name == "print" and any(a.keyword is not None and a.keyword.value not in _PRINT_KEYWORDS for a in node.args):
            return None  # `print(..., exc_info=True)` raises TypeError before it writes anything
        if name in ("print", "rich.print"):
            target = keyword(node, "file")
            if target is None or self._is_stdout(target):
                return f"`{name}()` writes to stdout", self._print_fix(node, target) if name == "print" else None
        elif name in ("sys.stdout.write", "sys.stdout.writelines", "sys.stdout.buffer.write"):
            return f"`{name}()` writes to stdout", None
        elif name == "logging.basicConfig" and self._is_stdout(keyword(node, "stream")):
            return "`logging.basicConfig(stream=sys.stdout)` sends every log line to stdout", None
        elif name == "logging.StreamHandler" and self._is_stdout(keyword(node, "stream") or first):
            return "`logging.StreamHandler(sys.stdout)` sends log lines to stdout", None
        elif name == "loguru.logger.add" and self._is_stdout(keyword(node, "sink") or first):
            return "loguru `logger.add(sys.stdout)` sends log lines to stdout", None
        elif name in ("structlog.PrintLoggerFactory", "structlog.WriteLoggerFactory") and not node.args:
            return f"structlog `{name.split('.')[-1]}()` writes to stdout by default", None
        elif name in RICH_CONSOLES and not (_is_true(keyword(node, "stderr")) or keyword(node, "file")):
            return "rich `Console()` writes to stdout unless `stderr=True` or `file=` is given", None
        elif name in ("click.echo", "click.secho", "typer.echo", "typer.secho") and not _is_true(keyword(node, "err")):
            return f"`{name}()` writes to stdout unless `err=True`", None
        return None

    def _is_stdout(self, arg: Optional[cst.Arg]) -> bool:
        return arg is not None and self.model.qualify(arg.value) == STDOUT

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

    VALID = [
        # The stdio launch runs only with LOCAL_MODE set: branches on it being unset, and an
        # `except` that exits before serving, never write to the client's pipe (boomi).
        Valid(LOCAL_MODE.format(extra="")),
        Valid(  # the banner is printed only when a person, not an MCP client, holds stdout
            """
            import sys
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            def main() -> None:
                if sys.stdout.isatty() and "--quiet" not in sys.argv:
                    print("notes server, waiting for a client on stdio")
                mcp.run()

            if __name__ == "__main__":
                main()
            """
        ),
        Valid(  # the `--logout` branch calls a function that always ends the process
            """
            import sys
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            def logout_and_exit() -> None:
                print("Logged out.")
                sys.exit(0)

            def main() -> None:
                if "--logout" in sys.argv:
                    logout_and_exit()
                mcp.run()

            if __name__ == "__main__":
                main()
            """
        ),
        # The server's HTTP app is built from a local the model cannot trace to the server (an
        # annotated `cls.get_mcp()`): HTTP, not the stdio default (python-mcp-graphql-service-template).
        Valid(
            """
            from typing import Any
            from fastmcp import FastMCP

            class MathServer:
                @classmethod
                def get_app(cls):
                    mcp: FastMCP[Any] = cls.get_mcp()
                    return mcp.http_app(path="/")

                @classmethod
                def get_mcp(cls) -> FastMCP[Any]:
                    mcp = FastMCP("math")

                    @mcp.tool
                    def add(a: int, b: int) -> int:
                        print(f"adding {a} and {b}")
                        return a + b

                    return mcp
            """
        ),
        # A helper the entry calls before serving prints only in a branch that ends the process
        # (insights-mcp's `print_toolset_help_and_exit`); a `return` there would not leave.
        Valid(HELP_AND_EXIT.format(leave="sys.exit(0)")),
        # A client demo in the server's own file: the demo never serves.
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
        # A keyword `print` does not take (a logging call turned into a print): a TypeError, no write.
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            def search(query: str) -> str:
                try:
                    return lookup(query)
                except KeyError as e:
                    print(f"lookup failed: {e}", exc_info=True)
                    raise

            if __name__ == "__main__":
                mcp.run()
            """
        ),
        # Served over HTTP only.
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
        # Branches that leave before serving, and code after the server returns.
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
        # click subcommands that print and never serve; the serving one writes to stderr.
        Valid(
            """
            import click
            from rich.console import Console
            from .report import render
            from .server import mcp

            console = Console(stderr=True)

            @click.group()
            def cli():
                pass

            @cli.command()
            def tools():
                click.echo("search")
                render()

            @cli.command()
            def serve():
                click.echo("starting", err=True)
                mcp.run()

            if __name__ == "__main__":
                cli()
            """,
            path="pkg/cli.py",
            files={
                "pkg/__init__.py": "",
                "pkg/server.py": 'from fastmcp import FastMCP\nmcp = FastMCP("demo")\n',
                "pkg/report.py": "def render():\n    print('table')\n",
            },
        ),
        # Subcommands attached by `main.add_command(...)` at import (iterorganization/imas-mcp):
        # registering one does not run it; only `serve` serves.
        Valid(
            "import click\n\n@click.command()\ndef graph():\n    click.echo('graph started')\n",
            path="pkg/cli/graph.py",
            files={**ADDED_COMMANDS, "pkg/cli/serve.py": ADDED_SERVE.format(err=", err=True")},
        ),
        # argparse subcommands whose handlers are attached with `set_defaults(func=run)` while
        # the parser is built, before the server starts (retospect/precis-mcp).
        Valid(
            "def add_parser(sub):\n    p = sub.add_parser('tools')\n    p.set_defaults(func=run)\n\n"
            "def run(args):\n    print('search')\n",
            path="pkg/tools_cmd.py",
            files={
                "pkg/__init__.py": "",
                "pkg/server.py": 'from fastmcp import FastMCP\nmcp = FastMCP("demo")\n',
                "pkg/main.py": (
                    "import argparse\nfrom pkg import tools_cmd\nfrom pkg.server import mcp\n\n"
                    "def main():\n    parser = argparse.ArgumentParser()\n    sub = parser.add_subparsers(dest='cmd')\n"
                    "    sub.add_parser('serve')\n    tools_cmd.add_parser(sub)\n    args = parser.parse_args()\n"
                    "    if args.cmd == 'serve':\n        mcp.run()\n        return\n    args.func(args)\n\n"
                    "if __name__ == '__main__':\n    main()\n"
                ),
            },
        ),
        # A module the server imports ends the process when its import fails: nothing is served yet.
        Valid(OPTIONAL_IMPORT.format(then="print('typer is required')\n    sys.exit(1)"), path="pkg/cli.py",
              files={"pkg/__init__.py": "", "pkg/server.py": OPTIONAL_IMPORT_SERVER}),
        # Output captured by `redirect_stdout` into a buffer the tool returns (imas-mcp's repl tool).
        Valid(REDIRECTED.format(body="print(evaluate(code))", after="")),
        # What runs only inside a project class's block that rebinds `sys.stdout` writes elsewhere.
        Valid(SUPPRESSED.format(saved="sys.stdout", enter='sys.stdout = open(os.devnull, "w")', tool="pass")),
        # A module-level rich console used only by a subcommand that never serves: building it
        # writes nothing (imas-mcp's CLI modules, imported by the serving process).
        Valid(GRAPH_CONSOLE, path="pkg/cli/graph.py",
              files={**ADDED_COMMANDS, "pkg/cli/serve.py": ADDED_SERVE.format(err=", err=True")}),
        # ... and used by the serving command only in a branch that ends the process.
        Valid(GRAPH_CONSOLE, path="pkg/cli/graph.py",
              files={**ADDED_COMMANDS, "pkg/cli/serve.py": ADDED_SERVE.format(err=", err=True").replace(
                  "from pkg.server import mcp\n", "import sys\nfrom pkg.server import mcp\nfrom pkg.cli.graph import console\n").replace(
                  "def serve():\n", "@click.option('--check', is_flag=True)\ndef serve(check: bool):\n    if check:\n        console.print('ok')\n        sys.exit(0)\n")}),
        # ... and shared with another CLI module that uses it in its own subcommand only (hmc-mcp).
        Valid(GRAPH_CONSOLE, path="pkg/cli/graph.py",
              files={**ADDED_COMMANDS, "pkg/cli/serve.py": ADDED_SERVE.format(err=", err=True"),
                     "pkg/cli/__init__.py": ADDED_COMMANDS["pkg/cli/__init__.py"].replace(
                         "    main.add_command(graph)\n", "    main.add_command(graph)\n    from pkg.cli.other import other\n    main.add_command(other)\n"),
                     "pkg/cli/other.py": OTHER_COMMAND}),
        # Handlers dispatched through a dict: only `serve` serves.
        Valid(
            """
            import sys
            from server import mcp

            def list_tools():
                print("search")

            def serve():
                mcp.run()

            COMMANDS = {"list": list_tools, "serve": serve}

            def main():
                COMMANDS[sys.argv[1]]()

            if __name__ == "__main__":
                main()
            """,
            path="cli.py",
            files={"server.py": 'from fastmcp import FastMCP\nmcp = FastMCP("demo")\n'},
        ),
        # An HTTP-only entrypoint of a project whose other entrypoint serves stdio.
        Valid(
            """
            import uvicorn
            from server import mcp

            def main():
                print("listening on :8000")
                uvicorn.run(mcp.streamable_http_app(), port=8000)

            if __name__ == "__main__":
                main()
            """,
            path="http_main.py",
            files={
                "server.py": 'from fastmcp import FastMCP\nmcp = FastMCP("demo")\n',
                "stdio_main.py": "from server import mcp\n\nif __name__ == '__main__':\n    mcp.run()\n",
            },
        ),
        # A client script next to a stdio server.
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
        # The teardown of a lifespan defined in another module: after its `yield` the session is over.
        Valid(
            """
            import sys
            from contextlib import asynccontextmanager

            @asynccontextmanager
            async def warehouse_lifespan(server):
                pool = await open_pool()
                print("pool ready", file=sys.stderr)
                try:
                    yield {"pool": pool}
                    print("serving ended")
                finally:
                    await pool.close()
                    if pool.leaked:
                        print(f"{pool.leaked} connections leaked")
                print("bye")
            """,
            path="app/lifecycle.py",
            files={"app/server.py": "from mcp.server.fastmcp import FastMCP\nfrom app.lifecycle import warehouse_lifespan\n"
                                    "mcp = FastMCP('w', lifespan=warehouse_lifespan)\n\nif __name__ == '__main__':\n    mcp.run()\n"},
        ),
    ]
    INVALID = [
        Invalid(HELP_AND_EXIT.format(leave="return"), line=8, severity="error"),
        # A print after the redirected block writes to the protocol stream again.
        Invalid(REDIRECTED.format(body="value = evaluate(code)", after="print(value)"), line=12),
        # A context manager that leaves stdout alone: the constructor's print reaches the client.
        Invalid(SUPPRESSED.format(saved="os.getcwd()", enter="os.chdir(os.sep)", tool="pass"), line=18),
        # ... and a tool that builds the class outside the block: its print is on the protocol stream.
        Invalid(SUPPRESSED.format(saved="sys.stdout", enter='sys.stdout = open(os.devnull, "w")', tool="Manager()"), line=18),
        # The same branch goes on: the server starts after the message.
        Invalid(OPTIONAL_IMPORT.format(then="print('typer missing: no CLI')\n    typer = None"), path="pkg/cli.py", line=6,
                files={"pkg/__init__.py": "", "pkg/server.py": OPTIONAL_IMPORT_SERVER}),
        # The same console, used where the server starts, or shared with other modules.
        Invalid(GRAPH_CONSOLE + "\n@click.command()\ndef serve():\n    console.print('starting')\n    mcp.run()\n",
                path="pkg/cli/graph.py", line=5,
                files={**ADDED_COMMANDS, "pkg/cli/serve.py": "from pkg.cli.graph import serve\n"}),
        Invalid(GRAPH_CONSOLE + "\n@click.command()\ndef serve():\n    banner(console)\n    mcp.run()\n",
                path="pkg/cli/graph.py", line=5,
                files={**ADDED_COMMANDS, "pkg/cli/serve.py": "from pkg.cli.graph import serve\n"}),
        Invalid(GRAPH_CONSOLE, path="pkg/cli/graph.py", line=5,
                files={**ADDED_COMMANDS, "pkg/cli/serve.py": ADDED_SERVE.format(err=", err=True").replace(
                    "from pkg.server import mcp\n", "from pkg.server import mcp\nfrom pkg.cli.graph import console\n").replace(
                    "    mcp.run()", "    console.print('ready')\n    mcp.run()")}),
        # The subcommand attached by `add_command` that serves writes its banner to stdout.
        Invalid(ADDED_SERVE.format(err=""), path="pkg/cli/serve.py", line=6,
                files={**ADDED_COMMANDS, "pkg/cli/graph.py": "import click\n\n@click.command()\ndef graph():\n    pass\n"}),
        # The same process, on the flag's own branch: it prints before serving.
        Invalid(LOCAL_MODE.format(extra='if LOCAL_MODE:\n    print("[INFO] local mode")\n'), line=19, count=1),
        # A resource handler runs in the stdio process as a tool does.
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("boards")

            @mcp.resource("kicad://bom/{project}")
            def bom(project: str) -> str:
                print(f"building BOM for {project}")
                return render(project)

            if __name__ == "__main__":
                mcp.run()
            """,
            line=7,
        ),
        Invalid(  # methods of project classes, called on instances (module-level, local) from the tool
            """
            class Tree:
                def collect(self) -> list:
                    print("walking the tree")
                    return []

            class Desktop:
                def get_state(self) -> str:
                    tree = Tree()
                    return str(tree.collect())
            """,
            path="desk/screen.py",
            files={"desk/__init__.py": "", "desk/server.py": """
                from mcp.server.fastmcp import FastMCP
                from desk.screen import Desktop

                mcp = FastMCP("desk")
                desktop = Desktop()

                @mcp.tool()
                def state() -> str:
                    return desktop.get_state()

                if __name__ == "__main__":
                    mcp.run()
            """},
            line=3,
            severity="error",
        ),
        Invalid(  # the opposite test: the banner goes to the client's pipe
            """
            import sys
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            def main() -> None:
                if not sys.stdout.isatty():
                    print("notes server, waiting for a client on stdio")
                mcp.run()

            if __name__ == "__main__":
                main()
            """,
            line=8,
            severity="error",
        ),
        Invalid(  # the helper returns: the server starts after its banner
            """
            import sys
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            def show_banner() -> None:
                print("notes server")
                return

            def main() -> None:
                if "--banner" in sys.argv:
                    show_banner()
                mcp.run()

            if __name__ == "__main__":
                main()
            """,
            line=7,
            severity="error",
        ),
        # A lifespan's startup (the client reads stdout from the moment it spawns the server), its
        # `except` (a startup failure lands there too), and a per-call context manager's exit.
        Invalid(
            """
            from contextlib import asynccontextmanager
            from mcp.server.fastmcp import FastMCP

            @asynccontextmanager
            async def lifespan(server):
                print("opening pool")
                try:
                    pool = await open_pool()
                    yield {"pool": pool}
                except OSError as e:
                    print(f"pool failed: {e}")
                    raise

            @asynccontextmanager
            async def timed(name):
                yield
                print(f"{name} done")

            mcp = FastMCP("w", lifespan=lifespan)

            @mcp.tool()
            async def count(table: str) -> int:
                async with timed("count"):
                    return 0

            if __name__ == "__main__":
                mcp.run()
            """,
            count=3,
            severity="error",
        ),
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
        # Tools of a server built in another module, a module-level stdout logger.
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
            import sys
            from loguru import logger
            from rich.console import Console
            from fastmcp import FastMCP

            logger.add(sys.stdout, level="INFO")
            console = Console()
            mcp = FastMCP("demo")

            if __name__ == "__main__":
                console.print("[bold]demo[/bold] starting")
                mcp.run(transport=os.environ.get("TRANSPORT", "stdio"))
            """,
            count=2,
            severity="warning",
            message="chosen at run time",
        ),
        # A helper three calls deep in another module, no transport started in code.
        Invalid(
            """
            import sys

            def fmt(value):
                return show(value)

            def show(value):
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
            line=7,
            severity="warning",
            message="no transport is started in code",
        ),
        # A dual-transport server: the stdio branch is checked, the HTTP one is not.
        Invalid(
            """
            import sys
            from fastmcp import FastMCP

            weather = FastMCP("weather")

            @weather.tool
            def forecast(city: str) -> str:
                print("forecast", city)
                return city

            def main():
                if "--http" in sys.argv:
                    print("serving HTTP")
                    weather.run(transport="http")
                else:
                    weather.run()

            if __name__ == "__main__":
                main()
            """,
            count=1,
            line=8,
            severity="error",
        ),
    ]
