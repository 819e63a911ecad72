"""The shared MCP model of a Python file: servers, handlers, argument parameters, transports."""

import textwrap

import libcst as cst
import pytest

from mcp_lint.python.context import package_of
from mcp_lint.python.mcp_model import build_model


def model_of(code: str, package: str = ""):
    return build_model(cst.parse_module(textwrap.dedent(code)), package)


def handlers(model):
    return {h.function.name.value: h for h in model.handlers.values()}


def test_sdk1_fastmcp_decorator_with_alias_and_context_excluded():
    m = model_of(
        """
        from mcp.server.fastmcp import FastMCP as F, Context
        srv = F("demo")

        @srv.tool(name="find")
        async def search(query: str, limit: int = 5, ctx: Context = None) -> str:
            return query
        """
    )
    assert [s.framework for s in m.servers] == ["mcp1"]
    h = handlers(m)["search"]
    assert h.tool_name == "find" and h.kind == "tool"
    assert [p.name for p in h.params] == ["query", "limit"]


def test_fastmcp_bare_decorator_positional_name_and_dependency_defaults():
    m = model_of(
        """
        import fastmcp
        from fastmcp.dependencies import CurrentContext
        mcp = fastmcp.FastMCP("demo")

        @mcp.tool
        def a(x: int, ctx=CurrentContext()) -> int:
            return x

        @mcp.tool("bee")
        def b(y: str) -> str:
            return y
        """
    )
    h = handlers(m)
    assert m.frameworks == {"fastmcp"}
    assert [p.name for p in h["a"].params] == ["x"]
    assert h["b"].tool_name == "bee"


def test_sdk2_mcpserver_and_lowlevel_v2_callback():
    m = model_of(
        """
        from mcp.server import MCPServer, Server

        server = MCPServer("demo")

        async def handle(ctx, params):
            return params.arguments["q"]

        low = Server("low", on_call_tool=handle)

        @server.tool()
        def ping() -> str:
            return "pong"
        """
    )
    h = handlers(m)
    assert h["handle"].kind == "lowlevel-v2"
    assert h["handle"].argument_attrs == {"params.arguments"}
    assert h["ping"].framework == "mcp2"


def test_lowlevel_v1_call_tool_dispatcher_and_helper_is_tool_code():
    m = model_of(
        """
        from mcp.server.lowlevel import Server

        def serve():
            server = Server("fetch")

            @server.call_tool()
            async def call_tool(name: str, arguments: dict):
                return fetch(arguments["url"])

        def fetch(url):
            return url
        """
    )
    h = handlers(m)["call_tool"]
    assert h.kind == "lowlevel-v1" and h.argument_names == {"arguments"}
    helper = [c for c in m.tool_code.values() if c.is_helper]
    assert [c.function.name.value for c in helper] == ["fetch"]


def test_add_tool_from_function_and_constructor_tools_list():
    m = model_of(
        """
        from mcp.server.fastmcp import FastMCP
        from mcp.server.fastmcp.tools import Tool

        def one(a: int) -> int: return a
        def two(b: int) -> int: return b
        def three(c: int) -> int: return c

        mcp = FastMCP("x", tools=[Tool.from_function(three)])

        def main():
            mcp.add_tool(one, name="uno")
            mcp.tool(two)
        """
    )
    h = handlers(m)
    assert set(h) == {"one", "two", "three"}
    assert h["one"].tool_name == "uno"


def test_registrar_parameter_fallback_and_annotation():
    m = model_of(
        """
        from fastmcp import FastMCP

        def register_tools(app):
            @app.tool()
            def a(x: str) -> str:
                return x

        def register_more(target: "FastMCP"):
            @target.tool()
            def b(y: str) -> str:
                return y
        """
    )
    assert set(handlers(m)) == {"a", "b"}


def test_imported_server_in_other_module_is_recognised():
    m = model_of(
        """
        from .server import mcp

        @mcp.tool()
        def lookup(term: str) -> str:
            return term
        """,
        package="app",
    )
    assert set(handlers(m)) == {"lookup"}


def test_subclass_self_tool_registration():
    m = model_of(
        """
        from fastmcp import FastMCP

        class QServer(FastMCP):
            def setup(self):
                def store(info: str) -> str:
                    return info
                self.tool(store, name="qdrant-store")
        """
    )
    assert handlers(m)["store"].tool_name == "qdrant-store"


def test_standalone_fastmcp_tool_decorator():
    m = model_of(
        """
        from fastmcp.tools import tool

        @tool
        def marked(x: int) -> int:
            return x
        """
    )
    assert set(handlers(m)) == {"marked"}


@pytest.mark.parametrize(
    "code",
    [
        # pydantic-ai agents have `.tool` too
        """
        from pydantic_ai import Agent
        agent = Agent("m")

        @agent.tool
        def f(ctx, x: str) -> str:
            return x
        """,
        # LangChain's @tool
        """
        from langchain_core.tools import tool

        @tool
        def f(x: str) -> str:
            return x
        """,
        # `app` bound to something that is not a server
        """
        from somewhere import Toolbox
        app = Toolbox()

        @app.tool()
        def f(x: str) -> str:
            return x
        """,
    ],
)
def test_look_alikes_are_not_tools(code):
    assert not model_of(code).handlers


@pytest.mark.parametrize(
    "call, expected",
    [
        ("mcp.run()", {"stdio"}),
        ('mcp.run(transport="stdio")', {"stdio"}),
        ('mcp.run("sse")', {"http"}),
        ('mcp.run(transport="streamable-http")', {"http"}),
        ("mcp.run(transport=args.transport)", {"dynamic"}),
        ("uvicorn.run(mcp.streamable_http_app(), port=8000)", {"http"}),
        ("asyncio.run(mcp.run_stdio_async())", {"stdio"}),
    ],
)
def test_transports(call, expected):
    m = model_of(
        f"""
        import asyncio, uvicorn
        from mcp.server.fastmcp import FastMCP
        mcp = FastMCP("t")
        {call}
        """
    )
    assert m.transports == expected


def test_package_of_handles_src_layout():
    assert package_of("src/pkg/tools.py") == "pkg"
    assert package_of("server.py") == ""
    assert package_of("a/b/c.py") == "a.b"


def test_registration_through_aliases_and_wrappers():
    m = model_of(
        """
        from functools import partial
        from fastmcp import FastMCP

        class QServer(FastMCP):
            def setup_tools(self):
                async def find(query: str, collection: str) -> list:
                    return [query]

                find_foo = find
                find_foo = partial(find_foo, collection="c")
                self.tool(find_foo, name="qdrant-find")
        """
    )
    assert handlers(m)["find"].tool_name == "qdrant-find"


def test_factory_bound_server_manual_decorator_and_self_attribute():
    m = model_of(
        """
        from mcp.server.fastmcp import FastMCP
        from .factory import create_server

        app = create_server()

        @app.tool()
        def a(x: str) -> str:
            return x

        class Module:
            def __init__(self, mcp: FastMCP):
                self.mcp = mcp

            def register(self, mcp):
                mcp.tool(name="vault")(self.get_vault)

                @self.mcp.tool()
                def b(y: str) -> str:
                    return y

            def get_vault(self, vault_id: str) -> str:
                return vault_id
        """,
        package="pkg",
    )
    h = handlers(m)
    assert set(h) == {"a", "b", "get_vault"}
    assert h["get_vault"].tool_name == "vault"
    assert [p.name for p in h["get_vault"].params] == ["vault_id"]


def test_functions_registered_from_another_module(tmp_path):
    from mcp_lint.config import Config
    from mcp_lint.engine import run

    pkg = tmp_path / "src" / "notes"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "server.py").write_text(
        "from mcp.server.fastmcp import FastMCP\n"
        "from .tools import find\n"
        "from notes import admin\n"
        "mcp = FastMCP('n')\n"
        "mcp.tool(name='find')(find)\n"
        "mcp.add_tool(admin.purge)\n"
    )
    (pkg / "tools.py").write_text("import os\n\ndef find(q: str) -> str:\n    return os.getenv('K') + q\n")
    (pkg / "admin.py").write_text("import os\n\ndef purge(q: str) -> str:\n    return os.environ['K']\n")
    result = run([tmp_path], Config(root=tmp_path, select=["MCP0101"], exclude=[]), jobs=1)
    assert sorted((f.path, f.location.line) for f in result.findings) == [
        ("src/notes/admin.py", 4),
        ("src/notes/tools.py", 4),
    ]
    assert "tool `find`" in [f for f in result.findings if f.path.endswith("tools.py")][0].message


def test_lowlevel_run_on_streams_is_not_a_transport_choice():
    m = model_of(
        """
        from mcp.server.lowlevel import Server
        from mcp.server.stdio import stdio_server

        server = Server("x")

        async def main():
            async with stdio_server() as (read, write):
                await server.run(read, write, server.create_initialization_options())
        """
    )
    assert m.transports == {"stdio"}


def test_project_subclass_bound_to_conventional_name():
    m = model_of(
        """
        from mcp_atlassian.utils.fastmcp import ErrorPreservingFastMCP

        jira_mcp = ErrorPreservingFastMCP("jira")

        @jira_mcp.tool(name="get_issue")
        async def get_issue(issue_key: str) -> str:
            return issue_key
        """,
        package="mcp_atlassian.servers",
    )
    assert handlers(m)["get_issue"].tool_name == "get_issue"


def test_run_on_an_imported_server_records_the_transport():
    m = model_of(
        """
        from .server import mcp, server

        async def main():
            mcp.run(transport="sse")
            await server.run(read_stream, write_stream, options)
        """,
        package="pkg",
    )
    assert m.transports == {"http"}


@pytest.mark.parametrize("literal", [
    '"plain"', "''", '""""""', "'''multi\nline'''", 'r"raw"', 'R"C:\\dir"', 'u"old"', '"tab\\there"',
    '"\\N{BULLET} point"', "'quote \" inside'", '"""a "quoted" b"""', 'b"bytes"', 'Rb"raw bytes"', '"naïve"',
    '"line\\\ncontinued"', "'''ends with quote\\''''",
])
def test_string_values_are_the_literals_values(literal):
    """The quick reading of an unescaped literal agrees with libcst's evaluation of every literal."""
    from mcp_lint.python.names import string_value

    node = cst.parse_expression(literal)
    expected = node.evaluated_value
    assert string_value(node) == (expected if isinstance(expected, str) else None)


def test_azure_functions_tools_and_the_parameters_that_carry_arguments():
    m = model_of(
        """
        import azure.functions as func
        app = func.FunctionApp()

        @app.generic_trigger(arg_name="ctx", type="mcpToolTrigger", toolName="save")
        @app.generic_output_binding(arg_name="file", type="blob", path="s/{mcptoolargs.name}")
        def save_snippet(file, ctx) -> str:
            return "ok"

        @app.mcp_tool_trigger(arg_name="context", tool_name="hello")
        def hello(context) -> str:
            return "hi"

        @app.mcp_tool()
        @app.mcp_tool_property(arg_name="name", description="the snippet")
        @app.blob_input(arg_name="blob", path="s/{mcptoolargs.name}")
        def get_snippet(blob, name: str, limit: int = 5, context: func.MCPToolContext = None) -> str:
            return name

        @app.generic_trigger(arg_name="timer", type="timerTrigger", schedule="0 * * * * *")
        def refresh(timer) -> None:
            pass
        """
    )
    h = handlers(m)
    assert sorted(h) == ["get_snippet", "hello", "save_snippet"]
    assert (h["save_snippet"].kind, h["save_snippet"].tool_name, h["save_snippet"].argument_names) == ("trigger", "save", {"ctx"})
    assert (h["hello"].tool_name, h["hello"].argument_names) == ("hello", {"context"})
    assert (h["get_snippet"].kind, h["get_snippet"].framework) == ("tool", "azure-functions")
    assert [p.name for p in h["get_snippet"].params] == ["name", "limit"]
    assert not m.transports


def test_mcp_tool_of_another_library_is_no_azure_function():
    m = model_of(
        """
        from toolkit import registry

        @registry.mcp_tool()
        def lookup(term: str) -> str:
            return term
        """
    )
    assert not m.handlers
