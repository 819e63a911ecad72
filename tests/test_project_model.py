"""The project model (mcp_lint/python/project_model.py) on the fixtures/model-* projects: the
findings each idiom must and must not produce, what the model resolves, and `mcp-lint inspect`."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from mcp_lint.cache import decode, encode
from mcp_lint.cli import main
from mcp_lint.config import load_config
from mcp_lint.inspect import build, describe, render_text
from mcp_lint.python.file_summary import summarise
from mcp_lint.registry import all_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NAMES = ["model-multimodule", "model-factory", "model-subclass", "model-cli", "model-dual", "model-handrolled", "model-function-app"]
CODES = "MCP0101,MCP0401,MCP0701,MCP0703"
EXPECT = re.compile(r"expect:\s*(MCP\d{4}(?:[\s,]+MCP\d{4})*)")


def expected(root: Path) -> set:
    found = set()
    for path in sorted(root.rglob("*.py")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(text)
            if match:
                found.update((path.relative_to(root).as_posix(), number, c) for c in re.findall(r"MCP\d{4}", match.group(1)))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_fixture_findings(name, tmp_path):
    root = FIXTURES / name
    out = tmp_path / "report.json"
    main(["check", str(root), "--no-cache", "--select", CODES, "--output-format", "json", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not [e for e in report["errors"] if e["kind"] == "internal-error"], report["errors"]
    prefix = f"fixtures/{name}/"
    got = {(f["path"].replace(prefix, "", 1), f["line"], f["code"]) for f in report["findings"]}
    want = expected(root)
    assert got == want, f"unexpected: {sorted(got - want)}; missing: {sorted(want - got)}"


def model_of(name: str):
    root = FIXTURES / name
    config = load_config([root], None, {}, all_rules())
    return build([root], config)


def tools_by_server(model):
    return {s.name: sorted(r.tool_name for r in model.registrations if r.server == s.id) for s in model.servers.values()}


def test_server_imported_from_another_module_is_resolved():
    model, _ = model_of("model-multimodule")
    assert tools_by_server(model) == {"weather": ["forecast"]}
    code = model.tool_code()
    helpers = {q for (rel, q), entry in code.items() if entry.is_helper and rel.endswith("util/fetch.py")}
    assert helpers == {"fetch_forecast", "_request", "_signed"}  # three calls deep, another module
    assert not any(q == "offline_report" for _, q in code)


def test_factory_registrar_parameter_and_loop():
    model, _ = model_of("model-factory")
    (server,) = model.servers.values()
    assert server.framework == "mcp1" and server.name.endswith("built")
    # a list of handlers, a table of (name, handler, description) rows, a decorator, a module's
    # list its functions are appended to (`@tools.append`, `tools.append(archive)`)
    assert tools_by_server(model)[server.name] == ["archive", "audit", "detect", "lookup", "ping", "summarise", "translate"]
    (launch,) = model.serving_entrypoints()
    assert (launch.transport, launch.rel, launch.launch.call.line) == ("http", "fixtures/model-factory/pkg/__main__.py", 3)
    assert launch.entrypoint.label == "python -m pkg"


def test_subclass_of_a_subclass_and_class_attribute():
    model, _ = model_of("model-subclass")
    assert [s.framework for s in model.servers.values() if s.name == "server"] == ["fastmcp"]
    assert tools_by_server(model)["Holder.server"] == ["hello"]
    assert sorted(r.tool_name for r in model.registrations) == ["add_note", "hello"]


def test_cli_subcommands_and_dict_dispatch_serve_one_branch():
    model, _ = model_of("model-cli")
    serving = {(s.entrypoint.label, s.transport) for s in model.serving_entrypoints()}
    assert serving == {("python fixtures/model-cli/pkg/cli.py", "stdio"), ("python fixtures/model-cli/pkg/admin.py", "stdio")}
    heat, _ = model.stdio_heat()
    hot = {q for (rel, q) in heat if heat[(rel, q)].cold_lines == frozenset() and q}
    assert {"serve", "search"} <= hot and not {"tools", "render", "version"} & hot
    assert ("fixtures/model-cli/pkg/report.py", "") not in heat  # only imported by `tools`


def test_dual_transport_entrypoints():
    model, _ = model_of("model-dual")
    serving = sorted((s.entrypoint.label.rsplit("/", 1)[-1], s.transport) for s in model.serving_entrypoints())
    assert serving == [("http_main.py", "http"), ("server.py", "http"), ("server.py", "stdio")]


def test_hand_rolled_json_rpc_server():
    model, _ = model_of("model-handrolled")
    (server,) = model.servers.values()
    assert (server.framework, server.name) == ("jsonrpc", "mcp_endpoint")
    assert [s.transport for s in model.serving_entrypoints()] == ["http"]
    code = model.tool_code()
    assert {q for _, q in code} == {"call_tool"}  # reached from the tools/call branch only


def test_inspect_text_and_json(capsys):
    model, commands = model_of("model-cli")
    out = io.StringIO()
    render_text(describe(model, commands), out)
    text = out.getvalue()
    assert "mcp  [fastmcp]" in text and "tool search(query)" in text and "over stdio" in text
    assert main(["inspect", str(FIXTURES / "model-factory"), "--output-format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (server,) = report["servers"]
    assert [t["name"] for t in server["tools"]] == ["archive", "audit", "detect", "lookup", "ping", "summarise", "translate"]
    assert [t["parameters"] for t in server["tools"]] == [["path"], ["path"], ["text"], ["term"], [], ["text"], ["text"]]
    assert [s["transport"] for e in report["entrypoints"] for s in e["serves"]] == ["http"]


def test_summary_round_trips_through_the_cache_codec():
    text = (FIXTURES / "model-dual" / "server.py").read_text(encoding="utf-8")
    summary = summarise("server.py", text, "")
    assert decode(json.loads(json.dumps(encode(summary)))) == summary
    assert summarise("bad.py", "def (:\n", "") is None


def test_http_rules_see_a_launch_on_a_factory_result(tmp_path):
    """`create_server().run(transport="streamable-http")` in a module that never mentions MCP:
    the project model hands the launch to the per-file model, so the project-level HTTP rules
    report at the launch call in the module that starts the server."""
    out = tmp_path / "report.json"
    main(["check", str(FIXTURES / "model-factory"), "--no-cache", "--select", "MCP0203", "--output-format", "json", "-o", str(out)])
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert [(f["path"], f["line"]) for f in findings] == [("fixtures/model-factory/pkg/__main__.py", 3)]


def test_project_level_findings_go_to_the_launch_of_the_serving_entrypoint(tmp_path):
    """An export script that builds the HTTP app (and sorts first) never serves; the findings
    belong at the launch call of the entrypoint that does."""
    (tmp_path / "pyproject.toml").write_text("[tool.mcp-lint]\n", encoding="utf-8")
    (tmp_path / "a_export.py").write_text('from server import mcp\n\ndef export():\n    return mcp.http_app().routes\n', encoding="utf-8")
    (tmp_path / "server.py").write_text(
        'from fastmcp import FastMCP\nmcp = FastMCP("x")\n\nif __name__ == "__main__":\n    mcp.run(transport="http", host="0.0.0.0")\n',
        encoding="utf-8",
    )
    findings = _checked(tmp_path, "MCP0301,MCP0801")
    assert sorted((f["code"], f["path"], f["line"]) for f in findings) == [("MCP0301", "server.py", 5), ("MCP0801", "server.py", 5)]


def test_summary_columns_count_characters_not_utf8_bytes():
    from mcp_lint.python.file_summary import summarise

    text = 'greeting = "héllo wörld"; mcp.run(transport="sse")\n'
    summary = summarise("server.py", text, "")
    calls = [c for c in summary.module.calls if c.func == "n:mcp.run"]
    assert [(c.line, c.col) for c in calls] == [(1, text.index("mcp.run"))]
    assert calls[0].end_col == text.index(")") + 1


def test_each_units_summaries_are_handed_over_once_as_soon_as_they_are_in():
    """One parallel batch for every unit; a unit's model can be built while the workers still
    summarise the files of the others (and a unit with nothing to summarise is not forgotten)."""
    from mcp_lint.cache import NullCache
    from mcp_lint.discovery import SourceFile
    from mcp_lint.python.project_model import prefetch_summaries

    def unit(*names):
        sources = [SourceFile(name, Path(name), "python") for name in names]
        return sources, lambda rel: ("digest-" + rel, True)

    batches = [unit("a/server.py", "a/tools.py"), unit(), unit("b/server.py")]
    events = []

    def mapper(func, items, on_result):
        for index, item in enumerate(items):
            events.append(("made", item.rel))
            on_result(index, f"summary of {item.rel}" if item.rel != "b/server.py" else None)

    prefetch_summaries(batches, NullCache(), mapper, lambda index, found: events.append(("ready", index, dict(found))))
    assert events == [
        ("made", "a/server.py"),
        ("ready", 1, {}),  # nothing to make: handed over once the workers have started
        ("made", "a/tools.py"),
        ("ready", 0, {"a/server.py": "summary of a/server.py", "a/tools.py": "summary of a/tools.py"}),
        ("made", "b/server.py"),
        ("ready", 2, {"b/server.py": None}),  # could not be summarised: the rule phase reports it
    ]


def test_a_mapper_that_only_queues_gets_every_unit_handed_over_once_from_its_results():
    """The engine's mapper queues the summaries on the run's stream of work and returns at once:
    a unit with nothing to make is handed over at the first summary (not before the workers
    start, and not a second time), the others as their last summary comes in."""
    from mcp_lint.cache import NullCache
    from mcp_lint.discovery import SourceFile
    from mcp_lint.python.project_model import prefetch_summaries

    def unit(*names):
        return [SourceFile(name, Path(name), "python") for name in names], lambda rel: ("digest-" + rel, True)

    queued, events = [], []
    prefetch_summaries([unit("a.py"), unit(), unit("b.py")], NullCache(),
                       lambda func, items, on_result: queued.append((items, on_result)),
                       lambda index, found: events.append((index, sorted(found))))
    assert events == []  # nothing handed over while the work is only queued
    (items, on_result), = queued
    for index, item in enumerate(items):
        on_result(index, f"summary of {item.rel}")
    assert events == [(1, []), (0, ["a.py"]), (2, ["b.py"])]


def test_a_failing_project_model_is_a_diagnostic_not_the_end_of_the_run(tmp_path, monkeypatch):
    from mcp_lint import engine
    from mcp_lint.config import Config

    (tmp_path / "server.py").write_text("import os\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n\n@mcp.tool()\ndef f(q: str) -> str:\n    print(q)\n    return q\n")
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\nCMD python server.py\n")

    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(engine, "_project_model", broken)
    result = engine.run([tmp_path], Config(root=tmp_path, exclude=[]), jobs=1)
    assert [d.message for d in result.internal_errors] == ["project model failed: IndexError: list index out of range"]
    assert any(f.path == "Dockerfile" for f in result.findings)  # the other files are still checked


def inspected_package(root: Path, capsys, package: str, modules: dict, scripts: str = "") -> dict:
    """`mcp-lint inspect --output-format json` of a package `package` with these modules,
    declared in a pyproject.toml (with `[project.scripts]` lines when given)."""
    (root / "pyproject.toml").write_text(f'[project]\nname = "{package}"\nversion = "1"\n' + (f"[project.scripts]\n{scripts}\n" if scripts else ""))
    (root / package).mkdir()
    for name, text in {"__init__": "", **modules}.items():
        (root / package / f"{name}.py").write_text(text)
    assert main(["inspect", str(root), "--output-format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_script_entrypoint_serves_the_app_mounted_at_module_level(tmp_path, capsys):
    report = inspected_package(tmp_path, capsys, "notes", {"main": (
        "import uvicorn\nfrom fastapi import FastAPI\nfrom fastmcp import FastMCP\n\n"
        "mcp = FastMCP('notes')\napp = FastAPI()\napp.mount('/mcp', mcp.http_app())\n\n\n"
        "def main():\n    uvicorn.run(app, host='127.0.0.1', port=8000)\n"
    )}, scripts='notes = "notes.main:main"')
    served = {(s["server"], s["transport"]) for e in report["entrypoints"] if e["label"] == "script `notes`" for s in e["serves"]}
    assert served == {("mcp", "http")}  # was ("?", "http"): the mount is not on main()'s path


def test_a_branch_that_tests_the_transport_name_serves_that_transport():
    """`elif transport == "stdio": mcp.run(transport=transport)` serves stdio, not a transport
    picked at run time; the name keeps its own value outside the branch."""
    text = (
        "import os\nfrom fastmcp import FastMCP\nmcp = FastMCP('x')\ntransport = os.getenv('T', 'stdio')\n"
        "if transport == 'both':\n    pass\nelif transport == 'stdio':\n    mcp.run(transport=transport)\n"
        "else:\n    mcp.run(transport=transport)\n"
    )
    summary = summarise("server.py", text, "")
    runs = [c for c in summary.module.calls if c.callee == "mcp.run"]
    assert [(c.line, c.kwarg("transport")) for c in runs] == [(8, "s:stdio"), (10, "n:transport")]


@pytest.mark.parametrize("ui_imports, served", [
    ("from starlette.applications import Starlette\n", set()),  # an admin UI: not the MCP server
    ("from starlette.applications import Starlette\nfrom notes.tools import mcp\n", {(None, "http")}),  # it may mount it
])
def test_a_uvicorn_launch_of_another_web_app_serves_no_mcp(tmp_path, capsys, ui_imports, served):
    """`uvicorn.Server(uvicorn.Config(create_ui_app()))` where the factory's module and the
    project modules it imports show no MCP (mcp-email-server's local management UI)."""
    report = inspected_package(tmp_path, capsys, "notes", {
        "tools": "from fastmcp import FastMCP\nmcp = FastMCP('notes')\n",
        "app": ui_imports + "\n\ndef create_ui_app(state):\n    return Starlette(routes=[])\n",
        "ui": "import uvicorn\nfrom notes.app import create_ui_app\nfrom notes.tools import mcp\n\n\ndef main():\n    application = create_ui_app({'server': mcp.name})\n"
              "    configuration = uvicorn.Config(application, host='127.0.0.1', port=0)\n    uvicorn.Server(configuration).run()\n",
    }, scripts='notes-ui = "notes.ui:main"')
    found = {(s["server"], s["transport"]) for e in report["entrypoints"] if e["label"] == "script `notes-ui`" for s in e["serves"]}
    assert found == served


def test_tools_passed_to_a_registering_helper_are_the_tools(tmp_path, capsys):
    """`for tool in READ_TOOLS: add_read_only(mcp, tool)` where the helper calls
    `mcp.add_tool(tool)` (PagerDuty's server): the helper's callers say which functions its
    parameter holds; a helper given something else registers nothing."""
    report = inspected_package(tmp_path, capsys, "pd", {
        "tools": "def list_incidents(query: str) -> str:\n    return query\n\n\ndef get_user(user_id: str) -> str:\n    return user_id\n\n\n"
                 "READ_TOOLS = [list_incidents, get_user]\n",
        "server": "from mcp.server.fastmcp import FastMCP\nfrom pd.tools import READ_TOOLS\n\nmcp = FastMCP('pd')\n\n\n"
                  "def add_read_only(server: FastMCP, tool) -> None:\n    server.add_tool(tool, annotations={'readOnlyHint': True})\n\n\n"
                  "def describe(server: FastMCP, text) -> None:\n    server.add_tool(text)\n\n\n"
                  "for tool in READ_TOOLS:\n    add_read_only(mcp, tool)\ndescribe(mcp, 'not a function')\n",
    })
    assert sorted(t["name"] for s in report["servers"] for t in s["tools"]) == ["get_user", "list_incidents"]


@pytest.mark.parametrize("adder, wrapper, found", [
    ("mcp.add_tool", "", ["kql_command", "kql_query"]),
    ("audit_log", "", []),  # a callback that is not the server's: `add_tool` adds nothing
    ("mcp.add_tool", "tools.register_tools(forward)", ["kql_command", "kql_query"]),  # a wrapper passed as a callback
])
def test_the_servers_add_tool_handed_to_a_registrar_registers_what_it_is_called_with(tmp_path, capsys, adder, wrapper, found):
    """`kusto_tools.register_tools(mcp.add_tool)`, the registrar calling `add_tool(kql_query,
    annotations=...)` (Microsoft's fabric-rti-mcp). A wrapper handed along as a callback
    (`register_tools(forward)`, `def forward(tool): add_tool(tool)`) is no tool itself."""
    report = inspected_package(tmp_path, capsys, "fabric", {
        "service": "def kql_query(query: str) -> str:\n    return query\n\n\ndef kql_command(command: str) -> str:\n    return command\n",
        "tools": "from fabric import service\n\n\ndef register_tools(add_tool) -> None:\n"
                 "    add_tool(service.kql_query, annotations={'readOnlyHint': True})\n    add_tool(service.kql_command)\n",
        "server": "from mcp.server.fastmcp import FastMCP\nfrom fabric import tools\n\nmcp = FastMCP('fabric')\n\n\n"
                  "def audit_log(entry) -> None:\n    print(entry)\n\n\n"
                  "def wire(add_tool) -> None:\n    def forward(tool):\n        add_tool(tool)\n\n    " + (wrapper or "pass") + "\n\n\n"
                  "wire(" + adder + ")\n" + ("" if wrapper else "tools.register_tools(" + adder + ")\n"),
    })
    assert sorted(t["name"] for s in report["servers"] for t in s["tools"]) == found


@pytest.mark.parametrize("added, server_tools, serverless", [
    ("mcp.add_tool(FunctionTool.from_function(get_buckets, tags={'storage'}))", ["get_buckets"], []),
    ("mcp.add_tool(FunctionTool.from_function(get_buckets, name='buckets'))", ["buckets"], []),  # ClickHouse's name
    ("audit.add_tool(FunctionTool.from_function(get_buckets))", [], ["get_buckets"]),  # not the server's add_tool
    ("mcp.add_tool(describe(get_buckets))", [], []),  # a call that builds no tool
])
def test_a_tool_object_built_from_a_function_and_added_to_the_server(tmp_path, capsys, added, server_tools, serverless):
    """`add_storage_tools(mcp)` calling `mcp.add_tool(FunctionTool.from_function(get_buckets,
    ...))` (Keboola's server): the tool runs `get_buckets` on the server the registrar is given.
    A tool object handed to something else is a tool of no known server."""
    report = inspected_package(tmp_path, capsys, "kbc", {
        "tools": "from fastmcp.tools import FunctionTool\n\n\ndef describe(fn):\n    return fn.__doc__\n\n\n"
                 "def get_buckets(bucket_ids: list[str]) -> list[str]:\n    return bucket_ids\n\n\n"
                 "def add_storage_tools(mcp, audit) -> None:\n    " + added + "\n",
        "server": "from fastmcp import FastMCP\nfrom kbc.tools import add_storage_tools\n\n\n"
                  "def create_server() -> FastMCP:\n    mcp = FastMCP('kbc')\n    add_storage_tools(mcp, object())\n    return mcp\n",
    })
    assert sorted(t["name"] for s in report["servers"] for t in s["tools"]) == server_tools
    assert sorted(t["name"] for t in report["tools_without_server"]) == serverless


@pytest.mark.parametrize("main, serverless", [
    ("from rm.news_tool import NewsTool\n\nmcp.add_tool(NewsTool.fn)\n", ["get_news"]),  # added by `main.py`
    ("\n", []),  # redmine: the wrapper module names it in its docstring only; nothing adds it
    ("from rm import news_tool\n\nTOOLS = [news_tool.NewsTool]\n", ["get_news"]),  # listed through its module
])
def test_a_module_level_tool_object_nothing_names_registers_nothing(tmp_path, capsys, main, serverless):
    """`NewsTool = Tool.from_function(get_news)` in its own module (redmine_mcp_server): a tool
    when the project uses the object, none when only its module's docstring names it."""
    report = inspected_package(tmp_path, capsys, "rm", {
        "news": "def get_news(project: str) -> list:\n    return []\n",
        "news_tool": '"""NewsTool: wraps get_news."""\nfrom fastmcp.tools import Tool\nfrom rm.news import get_news\n\n'
                     "NewsTool = Tool.from_function(get_news)  # NewsTool for the news endpoint\n",
        "main": "from fastmcp import FastMCP\n\nmcp = FastMCP('rm')\n" + main,
    })
    assert sorted(t["name"] for t in report["tools_without_server"]) == serverless


@pytest.mark.parametrize("launch", [
    "uvicorn.run(build_app(), host='0.0.0.0')",  # opik: the function's result served
    "app = build_app()\n    uvicorn.run(app, host='0.0.0.0')",  # boomi: through a local
    "uvicorn.run('web.server:build_app', factory=True)",  # opik's reload mode: an import string
])
def test_an_app_built_by_a_project_function_is_one_launch_with_the_uvicorn_call(tmp_path, capsys, launch):
    """`build_app()` returns `mcp.streamable_http_app()` (one of two, by a flag) and `main()`
    serves its result with uvicorn: one launch, at the uvicorn call, serving the server (it
    was three: each app call, and a uvicorn call serving an unknown server)."""
    report = inspected_package(tmp_path, capsys, "web", {
        "server": "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('web')\n\n\n"
                  "def build_app(stateless: bool = False):\n    if stateless:\n        return mcp.streamable_http_app()\n"
                  "    app = mcp.sse_app()\n    return app\n",
        "main": "import uvicorn\nfrom web.server import build_app\n\n\ndef main() -> None:\n    " + launch + "\n",
    }, scripts='web = "web.main:main"')
    serves = [(s["server"], s["transport"], s["call"]) for e in report["entrypoints"] if e["label"] == "script `web`" for s in e["serves"]]
    assert serves == [("mcp", "http", "uvicorn.run")]


def test_uvicorn_serving_another_functions_result_is_not_the_built_app(tmp_path, capsys):
    """The look-alike: `build_app()` is called, but uvicorn serves what `make_web()` returns."""
    report = inspected_package(tmp_path, capsys, "web", {
        "server": "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('web')\n\n\n"
                  "def build_app():\n    return mcp.streamable_http_app()\n",
        "main": "import uvicorn\nfrom web.server import build_app\n\n\ndef make_web():\n    return object()\n\n\n"
                "def main() -> None:\n    build_app()\n    uvicorn.run(make_web(), host='0.0.0.0')\n",
    }, scripts='web = "web.main:main"')
    serves = {(s["server"], s["call"]) for e in report["entrypoints"] if e["label"] == "script `web`" for s in e["serves"]}
    assert (None, "uvicorn.run") in serves and ("mcp", "uvicorn.run") not in serves


@pytest.mark.parametrize("launch, served", [
    ("mcp.run(transport)", {("mcp", "dynamic")}),  # FastMCP's transport passed by position (polygon-io)
    ("mcp.run('sse')", {("mcp", "http")}),
    ("mcp.run(read, write)", set()),  # the low-level shape: streams, the transport is elsewhere
])
def test_a_transport_passed_by_position_is_the_launchs_transport(tmp_path, capsys, launch, served):
    report = inspected_package(tmp_path, capsys, "poly", {"server": (
        "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('poly')\n\n\n"
        "def run(transport: str = 'stdio', read=None, write=None) -> None:\n    " + launch + "\n"
    )}, scripts='poly = "poly.server:run"')
    found = {(s["server"], s["transport"]) for e in report["entrypoints"] if e["label"] == "script `poly`" for s in e["serves"]}
    assert found == served


@pytest.mark.parametrize("choice, served", [
    ("CompatibleMCP if compat else FastMCP", {("main.server", "stdio")}),  # fabric-rti-mcp's class chosen by a flag
    ("FastMCP if compat else CompatibleMCP", {("main.server", "stdio")}),
    ("dict if compat else list", set()),  # a choice between classes that build no server
])
def test_a_server_built_by_a_class_chosen_at_run_time_is_a_server(tmp_path, capsys, choice, served):
    report = inspected_package(tmp_path, capsys, "rti", {"server": (
        "import os\nfrom mcp.server.fastmcp import FastMCP\n\n\nclass CompatibleMCP(FastMCP):\n    pass\n\n\n"
        "def main() -> None:\n    compat = os.getenv('COMPAT') == '1'\n    server_class = " + choice + "\n"
        "    server = server_class('rti')\n    server.run(transport='stdio')\n"
    )}, scripts='rti = "rti.server:main"')
    found = {(s["server"], s["transport"]) for e in report["entrypoints"] if e["label"] == "script `rti`" for s in e["serves"]}
    assert found == served


def test_the_top_level_of_a_scripts_module_runs_in_its_process(tmp_path, capsys):
    """`[project.scripts] poly = "poly.server:run"`: importing `poly.server` runs its top level
    (a `print` warning about a missing key, polygon-io's server) before `run()` serves stdio.
    A module the process never imports does not run."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "poly"\nversion = "1"\n[project.scripts]\npoly = "poly.server:run"\n')
    (tmp_path / "poly").mkdir()
    (tmp_path / "poly" / "__init__.py").write_text("")
    (tmp_path / "poly" / "server.py").write_text(
        "import os\nfrom mcp.server.fastmcp import FastMCP\n\nif not os.environ.get('KEY'):\n    print('KEY is not set')\n\n"
        "mcp = FastMCP('poly')\n\n\ndef run() -> None:\n    mcp.run()\n")
    (tmp_path / "poly" / "notes.py").write_text("print('a module nothing imports')\n")
    main(["check", str(tmp_path), "--select", "MCP0703", "--output-format", "json", "--no-cache"])
    found = [(f["path"].rsplit("/", 1)[-1], f["line"]) for f in json.loads(capsys.readouterr().out)["findings"]]
    assert found == [("server.py", 5)]


DISPATCH_SERVER = '''\
from mcp.server.lowlevel import Server
from mcp import types
from tools import _search_impl, _count_impl

server = Server("docs")

IMPLS = {
    "search": _search_impl,
    "count": _count_impl,
    "version": None,  # answered in call_tool itself
}


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    if name == "version":
        return [types.TextContent(type="text", text="1.0")]
    impl = IMPLS.get(name)
    return await impl(arguments)
'''
DISPATCHED_TOOLS = '''\
from mcp import types
from mcp.shared.exceptions import McpError
from mcp.types import INTERNAL_ERROR, ErrorData


async def _search_impl(arguments: dict) -> list[types.TextContent]:
    try:
        return [types.TextContent(type="text", text=await backend_search(arguments["q"]))]
    except Exception as e:
        raise McpError(ErrorData(code=INTERNAL_ERROR, message=f"search failed: {e}"))


async def _count_impl(arguments: dict) -> list[types.TextContent]:
    return [types.TextContent(type="text", text="0")]
'''


def test_a_dispatch_dict_with_a_placeholder_reaches_its_functions(tmp_path):
    """chroma_mcp_server: `IMPL_FUNCTIONS = {..., "get_version": None}` dispatched with
    `IMPL_FUNCTIONS.get(name)`: the `None` holds a place, the other values are tool code."""
    (tmp_path / "server.py").write_text(DISPATCH_SERVER, encoding="utf-8")
    (tmp_path / "tools.py").write_text(DISPATCHED_TOOLS, encoding="utf-8")
    out = tmp_path / "report.json"
    main(["check", str(tmp_path), "--no-cache", "--select", "MCP0402,MCP0405", "--output-format", "json", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert sorted((Path(f["path"]).name, f["line"], f["code"]) for f in report["findings"]) == [("tools.py", 10, "MCP0402"), ("tools.py", 10, "MCP0405")]


def _tools_of_package(tmp_path, name: str, files: dict) -> dict:
    """Tools by server of a package `name` (with `__init__.py`) holding `files`."""
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for rel, text in files.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(text)
    model, _ = build([tmp_path], load_config([tmp_path], None, {}, all_rules()))
    return tools_by_server(model)


def test_a_project_function_returning_the_servers_tool_decorator_registers_what_it_decorates(tmp_path):
    """`@write_tool(name="x")` where `write_tool` returns `mcp.tool(**kwargs)` (when writes are on;
    a pass-through otherwise): the decorated function is a tool of that server (mcp-server-for-ynab)."""
    assert _tools_of_package(tmp_path, "budget", {
        "server.py": 'from fastmcp import FastMCP\n\nmcp = FastMCP("budget")\n',
        "registration.py": (
            "from .server import mcp\n\n"
            "def write_tool(**kwargs):\n"
            "    if not writes_enabled():\n"
            "        def skip(fn):\n            return fn\n        return skip\n"
            "    registered = mcp.tool(**kwargs)\n    return registered\n\n"
            "def logged(**kwargs):\n    return log_calls(**kwargs)\n"
        ),
        "history.py": (
            "from .registration import write_tool, logged\n\n"
            '@write_tool(name="history_revert")\ndef revert(entry_id: str) -> dict:\n    return {}\n\n'
            "@logged(level=1)\ndef audit(entry_id: str) -> dict:\n    return {}\n"
        ),
    }) == {"mcp": ["history_revert"]}


# world_of_warcraft_mcp_server: the tools' module holds `mcp = None` until the server's module
# hands its server to a setter, and `@mcp_tool()` registers on that global.
GLOBAL_SETTER = {
    "server.py": ('from fastmcp import FastMCP\nfrom .tools.base import set_mcp_instance\n\n'
                  'mcp = FastMCP("guilds")\nset_mcp_instance(mcp)\nfrom .tools import realm  # noqa: E402\n'),
    "tools/__init__.py": "",
    "tools/base.py": (
        "mcp = None\n\n"
        "def set_mcp_instance(instance):\n    global mcp\n    mcp = instance\n\n"
        "def mcp_tool(*args, **kwargs):\n"
        "    def decorator(func):\n        return mcp.tool(*args, **kwargs)(func)\n"
        "    return decorator\n"
    ),
    "tools/realm.py": 'from .base import mcp_tool\n\n@mcp_tool()\nasync def get_realm_info(realm: str) -> dict:\n    return {}\n',
}


@pytest.mark.parametrize("setter, expected", [
    pytest.param("def set_mcp_instance(instance):\n    global mcp\n    mcp = instance\n", {"mcp": ["get_realm_info"]}, id="set-through-global"),
    # Without `global` the assignment binds a local: the module's `mcp` stays None.
    pytest.param("def set_mcp_instance(instance):\n    mcp = instance\n", {}, id="local-only"),
])
def test_a_global_a_setter_rebinds_is_the_server_it_is_given(tmp_path, setter, expected):
    base = GLOBAL_SETTER["tools/base.py"].replace("def set_mcp_instance(instance):\n    global mcp\n    mcp = instance\n", setter)
    assert _tools_of_package(tmp_path, "guilds", {**GLOBAL_SETTER, "tools/base.py": base}) == expected


def test_a_decorator_factory_whose_decorator_registers_the_function_wrapped_registers_what_it_decorates(tmp_path):
    """`@flat_tool(name="x")` whose inner decorator calls `mcp.tool(**kw)(_wrap(fn, model))` and
    returns `fn` unchanged (myfitnesspal's flattened signatures): the decorated function is a
    tool; one registering it as a resource (`mcp.resource(uri)(...)`) makes no tool."""
    assert _tools_of_package(tmp_path, "fitness", {
        "server.py": 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("fitness")\n',
        "flat.py": (
            "from .server import mcp\n\n"
            "def flat_tool(**tool_kwargs):\n"
            "    def decorator(fn):\n"
            "        model = params_model(fn)\n"
            "        mcp.tool(**tool_kwargs)(_wrap(fn, model))\n"
            "        return fn\n"
            "    return decorator\n\n"
            "def flat_resource(uri):\n"
            "    def decorator(fn):\n"
            "        mcp.resource(uri)(_wrap(fn, None))\n"
            "        return fn\n"
            "    return decorator\n"
        ),
        "diary.py": (
            "from .flat import flat_tool, flat_resource\n\n"
            '@flat_tool(name="get_diary")\ndef get_diary(params) -> str:\n    return ""\n\n'
            '@flat_resource("diary://today")\ndef today(params) -> str:\n    return ""\n'
        ),
    }) == {"mcp": ["get_diary"]}


def test_a_repository_whose_root_is_the_package_resolves_imports_by_the_packages_name(tmp_path):
    """`from scribe_mcp.server import app` in a checkout whose root holds `__init__.py` and
    `server.py` (scribe_mcp): the root is the package the imports name."""
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "server.py").write_text('from mcp.server.fastmcp import FastMCP\n\napp = FastMCP("scribe")\n\nimport scribe_mcp.tools.entries\n')
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "__init__.py").write_text("")
    (tmp_path / "tools" / "entries.py").write_text(
        "from scribe_mcp.server import app\nfrom pathlib import Path\n\n"
        "@app.tool()\nasync def append_entry(message: str) -> dict:\n    return {}\n"
    )
    config = load_config([tmp_path], None, {}, all_rules())
    model, _ = build([tmp_path], config)
    assert tools_by_server(model) == {"app": ["append_entry"]}
    assert model.module_rel("scribe_mcp.server") == "server.py"
    assert model.module_rel("mcp.server") is None  # the SDK's `mcp.server.fastmcp` is no module of the project


def _model_of_files(root: Path, files: dict):
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return build([root], load_config([root], None, {}, all_rules()))[0]


def test_lowlevel_call_tool_handler_that_cannot_take_name_and_arguments_is_not_registered(tmp_path):
    # The SDK calls `handler(name, arguments)`: a one-parameter function fails before its body
    # runs, so neither it nor what it calls is tool code (Azure-devops-mcp-python).
    registrar = (
        "from mcp.server import Server\nfrom ado.auth import token\n\n"
        "def configure(server: Server) -> None:\n"
        "    @server.call_tool()\n"
        "    async def list_projects(arguments: dict) -> list:\n        return token()\n\n"
        "    @server.call_tool()\n"
        "    async def dispatch(name: str, arguments: dict) -> list:\n        return []\n\n"
        "    @server.call_tool()\n"
        "    async def spread(*args) -> list:\n        return []\n"
    )
    model = _model_of_files(tmp_path, {
        "ado/__init__.py": "", "ado/auth.py": "import os\n\ndef token():\n    return os.environ['PAT']\n",
        "ado/tools.py": registrar,
        "ado/main.py": "from mcp.server import Server\nfrom ado.tools import configure\n\nserver = Server('ado')\nconfigure(server)\n",
    })
    assert sorted(r.qualname for r in model.registrations) == ["configure.dispatch", "configure.spread"]
    assert not any(q == "token" for _, q in model.tool_code())


@pytest.mark.parametrize("api, reported", [
    ("from fastapi import FastAPI\n\napp = FastAPI(title='uploads')\n", False),  # a REST API beside the stdio server
    # ... whose service layer names fastmcp's Context type (xiaohongshu-mcp-python): it serves nothing of MCP
    ("from fastapi import FastAPI\nfrom fastmcp import Context\n\napp = FastAPI(title='uploads')\n", False),
    ("from fastapi import FastAPI\nfrom fastmcp import FastMCP\n\napp = FastAPI(title='uploads')\n", True),
    ("from fastapi import FastAPI\nfrom main import mcp\n\napp = FastAPI()\napp.mount('/mcp', mcp.sse_app())\n", True),
    # an app whose route answers JSON-RPC itself (leonidas1712/mcp_servers): the MCP server
    ("from fastapi import FastAPI, Request\n\napp = FastAPI()\n\n\n@app.post('/mcp')\nasync def rpc(request: Request):\n"
     "    body = await request.json()\n    if body['method'] == 'tools/list':\n        return {'tools': []}\n"
     "    if body['method'] == 'tools/call':\n        return {'content': []}\n", True),
])
def test_a_uvicorn_import_string_naming_another_web_app_is_no_mcp_launch(tmp_path, api, reported):
    """`uvicorn.run("api:app")` in one branch, `mcp.run(transport="stdio")` in the other, where
    `api.app = FastAPI()` and its module shows no MCP (aap-mcp-server-python): no HTTP launch of
    the MCP server, so no HTTP finding falls back on that call; an app that mounts the server is one."""
    (tmp_path / "api.py").write_text(api, encoding="utf-8")
    (tmp_path / "main.py").write_text(
        "import argparse\nfrom mcp.server.fastmcp import FastMCP\nfrom api import app as api_app\n\nmcp = FastMCP('hybrid')\n\n"
        "if __name__ == '__main__':\n    parser = argparse.ArgumentParser()\n    parser.add_argument('--api', action='store_true')\n"
        "    if parser.parse_args().api:\n        import uvicorn\n        uvicorn.run('api:app', host='0.0.0.0', port=8000)\n"
        "    else:\n        mcp.run(transport='stdio')\n", encoding="utf-8")
    findings = _checked(tmp_path, "MCP0203,MCP0301")
    assert (("main.py", 12) in {(Path(f["path"]).name, f["line"]) for f in findings}) is reported


def test_a_cli_group_attached_to_the_app_serves_its_commands_and_a_project_package_named_mcp_is_not_the_sdk(tmp_path, capsys):
    """imessage_mcp: `imsg.mcp.server` imports `mcp.server.stdio` (the SDK, not the project's own
    `imsg/mcp/`), the `local` command of a group attached with `app.add_typer(mcp_app)` serves
    stdio, and `app.command("verify-seed")(verify_seed)` registers a command without running it:
    its echo is no write to the stdio server's stream."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "imsg"\nversion = "1"\n[project.scripts]\nimsg = "imsg.cli:app"\n')
    files = {
        "imsg/__init__.py": "", "imsg/mcp/__init__.py": "",
        "imsg/mcp/server.py": "from mcp.server.lowlevel import Server\nfrom mcp.server.stdio import stdio_server\n\n\n"
                              "async def on_call_tool(ctx, params):\n    return None\n\n\n"
                              "def build():\n    return Server(name='imsg', on_call_tool=on_call_tool)\n\n\n"
                              "async def run_local():\n    server = build()\n    async with stdio_server() as (read, write):\n"
                              "        await server.run(read, write, server.create_initialization_options())\n",
        "imsg/verify.py": "import typer\n\n\ndef verify_seed():\n    typer.echo('seed verified')\n",
        "imsg/cli.py": "import anyio\nimport typer\nfrom imsg.mcp.server import run_local\nfrom imsg.verify import verify_seed\n\n"
                       "app = typer.Typer()\nmcp_app = typer.Typer()\napp.add_typer(mcp_app, name='mcp')\napp.command('verify-seed')(verify_seed)\n\n\n"
                       "@mcp_app.command('local')\ndef mcp_local():\n    print('starting')\n    anyio.run(run_local)\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert main(["inspect", str(tmp_path), "--output-format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["framework"] for s in report["servers"]] == ["lowlevel"]
    served = {s["transport"] for e in report["entrypoints"] if e["label"] == "script `imsg`" for s in e["serves"]}
    assert served == {"stdio"}
    findings = _checked(tmp_path, "MCP0703")
    assert [(Path(f["path"]).name, f["line"]) for f in findings] == [("cli.py", 14)]


SIDECAR = """import asyncio
import uvicorn
from fastapi import FastAPI, WebSocket
from mcp.server.fastmcp import FastMCP

app = FastAPI()


@app.websocket("/ws")
async def bridge(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text(await websocket.receive_text())


async def serve_http():
    await uvicorn.Server(uvicorn.Config(app, host="0.0.0.0", port=8765)).serve()


async def serve_stdio():
    mcp = FastMCP("notebooks")
    {attach}await mcp.run_stdio_async()


if __name__ == "__main__":
    asyncio.run(serve_http() if "--websocket" in __import__("sys").argv else serve_stdio())
"""


@pytest.mark.parametrize("attach, reported", [
    ("", False),  # a websocket sidecar of its own protocol beside the stdio server (mcp-server-jupyter)
    ("app.mount('/mcp', mcp.sse_app())\n    ", True),  # the server's HTTP app mounted on it: the MCP server
])
def test_a_web_app_beside_a_stdio_server_is_no_mcp_launch_unless_mcp_is_attached(tmp_path, attach, reported):
    (tmp_path / "server.py").write_text(SIDECAR.format(attach=attach), encoding="utf-8")
    findings = _checked(tmp_path, "MCP0203,MCP0301")
    assert bool(findings) is reported


@pytest.mark.parametrize("served, reported", [
    ("app = FastAPI()\n", False),  # a REST app run by a stale import string naming this module
    ("from pkg.mcp_server import mcp\n\napp = FastAPI()\napp.mount('/mcp', mcp.sse_app())\n", True),
])
def test_a_stale_import_string_names_the_launching_module(tmp_path, served, reported):
    """`uvicorn.run("pkg.http_server:app")` written in `pkg/server/http_server.py` (the package
    moved; xiaohongshu-mcp-python): the string still names the module it is in."""
    (tmp_path / "pkg" / "server").mkdir(parents=True)
    for init in ("pkg/__init__.py", "pkg/server/__init__.py"):
        (tmp_path / init).write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "services.py").write_text(
        "from fastmcp import Context\n\n\ndef publish(title: str, ctx: Context = None) -> str:\n    return title\n",
        encoding="utf-8")
    (tmp_path / "pkg" / "mcp_server.py").write_text(
        "from mcp.server.fastmcp import FastMCP\nfrom pkg.services import publish\n\nmcp = FastMCP('x')\nmcp.tool()(publish)\n\n"
        "if __name__ == '__main__':\n    mcp.run()\n", encoding="utf-8")
    (tmp_path / "pkg" / "server" / "http_server.py").write_text(
        "import logging\nfrom fastapi import FastAPI\nfrom pkg.services import publish\n" + served
        + "\nif __name__ == '__main__':\n    import uvicorn\n    logging.basicConfig(level=logging.INFO)\n"
        "    uvicorn.run('pkg.http_server:app', host='0.0.0.0', port=8000)\n", encoding="utf-8")
    findings = _checked(tmp_path, "MCP0203,MCP0301,MCP0704")
    assert any(Path(f["path"]).name == "http_server.py" for f in findings) is reported


@pytest.mark.parametrize("register, registered", [
    ("    handler = make_handler(spec)\n    mcp.tool()(handler)\n", ["make_handler.handler"]),  # selenium_mcp_server
    ("    mcp.tool()(make_handler(spec))\n", ["make_handler.handler"]),
    ("    mcp.tool()(describe(spec))\n", []),  # a factory that returns no function of its own
    ("    mcp.tool()(forward(spec))\n", []),  # a forwarder taking `*args, **kwargs`: the tool is what it was given
    ("    mcp.tool()(retry(run))\n", []),  # a call that makes no function of its own (as `add_tool(describe(f))`)
    ("    handler = retry(run)\n    mcp.tool()(handler)\n", ["run"]),  # a name bound to a wrapped function: that function
])
def test_a_tool_made_by_a_factory_of_the_project_runs_the_function_it_returns(tmp_path, register, registered):
    model = _model_of_files(tmp_path, {"server.py": (
        "from fastmcp import FastMCP\n\nmcp = FastMCP('browser')\n\n\n"
        "def make_handler(spec):\n    async def handler(params: dict) -> str:\n        return spec.run(params)\n    return handler\n\n\n"
        "def describe(spec):\n    return {'name': spec.name}\n\n\n"
        "def forward(spec):\n    async def wrapper(*args, **kwargs):\n        return await spec(*args, **kwargs)\n    return wrapper\n\n\n"
        "def retry(f):\n    return f\n\n\n"
        "def run(q: str) -> str:\n    return q\n\n\n"
        "for spec in SPECS:\n" + register)})
    assert sorted(r.qualname for r in model.registrations) == registered


def test_a_tool_handing_on_a_same_file_helpers_report_lists_where_the_helper_builds_it(tmp_path):
    """One finding at the tool's `return fetch_item(...)`, whose related locations point at every
    failure report the helper builds (the helper's body is not reported again: MCP0401)."""
    (tmp_path / "server.py").write_text(
        "import httpx\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('items')\n\n\n"
        "def fetch_item(item_id: str) -> dict:\n    if not item_id:\n        return {'error': 'item_id is required'}\n"
        "    try:\n        return httpx.get(item_id).json()\n    except httpx.HTTPError as exc:\n        return {'error': str(exc)}\n\n\n"
        "@mcp.tool()\ndef get_item(item_id: str) -> dict:\n    return fetch_item(item_id)\n", encoding="utf-8")
    findings = _checked(tmp_path, "MCP0401")
    assert [f["line"] for f in findings] == [18]
    assert [(r["line"], r["message"]) for r in findings[0]["related"]] == [
        (9, "the failure report of helper `fetch_item`"), (13, "the failure report of helper `fetch_item`")]


def _checked(root: Path, select: str) -> list:
    """The JSON findings of `mcp-lint check root --select select`."""
    out = root / "report.json"
    main(["check", str(root), "--no-cache", "--select", select, "--output-format", "json", "-o", str(out)])
    return json.loads(out.read_text(encoding="utf-8"))["findings"]


# A FastAPI app offered as MCP tools (xymanchick/mcp-servers-xyber): routers of other modules,
# included through a list, become tools named by their operation_id.
ROUTES = {
    "pkg/__init__.py": "",
    "pkg/routes/__init__.py": "from fastapi import APIRouter\n\nfrom .search import router as search_router\n\nrouters: list[APIRouter] = [search_router]\n",
    "pkg/routes/search.py": (
        "import logging\nfrom fastapi import APIRouter, Depends, HTTPException\nfrom fastmcp.exceptions import ToolError\n\n"
        "logger = logging.getLogger(__name__)\nrouter = APIRouter()\n\n\n"
        "@router.post('/search', operation_id='paper_search')\n"
        "async def search(query: str, client=Depends(get_client)) -> list:\n"
        "    try:\n        return await client.search(query)\n"
        "    except ConnectionError as e:\n        raise ToolError(str(e)) from e\n"  # a bare 500 from a route: no text
        "    except Exception as e:\n        raise HTTPException(status_code=503, detail=str(e))\n"  # expect the detail
        "\n\ndef helper_not_routed(q: str) -> str:\n    return q\n"),
    "pkg/health.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/health')\ndef health() -> dict:\n    return {'ok': True}\n",
}
APP = (
    "from fastapi import FastAPI\nfrom fastmcp import FastMCP\n\nfrom pkg.health import router as health_router\n"
    "from pkg.routes import routers\n\n\ndef create_app() -> FastAPI:\n    source = FastAPI()\n"
    "    for router in routers:\n        source.include_router(router)\n"
    "    {build}\n    app = FastAPI()\n    app.include_router(health_router)\n    app.mount('/mcp', mcp.http_app(path='/'))\n    return app\n")


@pytest.mark.parametrize("build, framework", [
    ("mcp = FastMCP.from_fastapi(app=source, name='papers')", "fastmcp"),
    ("mcp = FastMCP.from_fastapi(source)", "fastmcp"),
])
def test_routes_of_a_fastapi_app_offered_as_tools_are_tools(tmp_path, build, framework):
    model = _model_of_files(tmp_path, {**ROUTES, "pkg/app.py": APP.replace("{build}", build)})
    assert [(r.rel, r.qualname, r.tool_name) for r in model.registrations] == [("pkg/routes/search.py", "search", "paper_search")]
    assert [s.framework for s in model.servers.values()] == [framework]


def test_routes_of_an_app_no_server_is_built_from_are_not_tools(tmp_path):
    model = _model_of_files(tmp_path, {**ROUTES, "pkg/app.py": APP.replace("{build}", "mcp = FastMCP('papers')")})
    assert model.registrations == []


FASTAPI_MCP_APP = ("from fastapi import FastAPI\nfrom fastapi_mcp import FastApiMCP\n\nfrom pkg.routes.search import router\n\n"
                   "app = FastAPI()\napp.include_router(router)\nmcp = FastApiMCP(app)\nmcp.mount_http()\n")


def test_fastapi_mcp_offers_the_routes_of_its_app(tmp_path):
    model = _model_of_files(tmp_path, {**ROUTES, "pkg/app.py": FASTAPI_MCP_APP})
    assert [(r.qualname, r.tool_name) for r in model.registrations] == [("search", "paper_search")]


@pytest.mark.parametrize("options, offered", [
    ("include_operations=['paper_search']", ["search"]),
    ("include_operations=OFFERED", ["search"]),  # a list bound to a name
    ("include_operations=['other_op']", []),
    ("exclude_operations=['paper_search']", []),
    ("include_tags=['mcp']", ["search"]),
    ("exclude_tags=['mcp']", []),
    ("include_tags=['admin']", []),
    ("include_operations=load_operations()", []),  # not readable here: no route is a known tool
])
def test_the_routes_fastapi_mcp_offers_follow_its_filters(tmp_path, options, offered):
    routes = dict(ROUTES)
    routes["pkg/routes/search.py"] = routes["pkg/routes/search.py"].replace(
        "operation_id='paper_search')", "operation_id='paper_search', tags=['mcp'])")
    app = FASTAPI_MCP_APP.replace("FastApiMCP(app)", f"FastApiMCP(app, {options})").replace("app = FastAPI()", "OFFERED = ['paper_search']\napp = FastAPI()")
    model = _model_of_files(tmp_path, {**routes, "pkg/app.py": app})
    assert [r.qualname for r in model.registrations] == offered


@pytest.mark.parametrize("app, reported", [
    # fastmcp's in-process transport raises the route's ToolError again in the tool: its text is sent
    (APP.replace("{build}", "mcp = FastMCP.from_fastapi(app=source)"), [14, 16]),
    (FASTAPI_MCP_APP, [16]),  # fastapi-mcp: an exception a route raises is a bare 500
])
def test_a_route_offered_as_a_tool_leaks_its_http_errors_detail(tmp_path, app, reported):
    for rel, text in {**ROUTES, "pkg/app.py": app}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert [f["line"] for f in _checked(tmp_path, "MCP0405") if f["path"].endswith("search.py")] == reported


def test_an_app_factory_named_by_an_import_string_runs_at_startup(tmp_path):
    """`uvicorn.run("pkg.app:create_app", factory=True)`: the factory's cached settings are built
    before the server serves, so a tool asking for them again reads nothing new (MCP0103)."""
    files = {
        "pkg/__init__.py": "",
        "pkg/settings.py": ("from functools import lru_cache\nfrom pydantic_settings import BaseSettings\n\n\n"
                            "class Settings(BaseSettings):\n    key: str\n\n\n@lru_cache\ndef get_settings() -> Settings:\n    return Settings()\n"),
        "pkg/app.py": ("from fastmcp import FastMCP\nfrom pkg.settings import get_settings\n\n\ndef create_app():\n"
                       "    mcp = FastMCP('s')\n\n    @mcp.tool()\n    def key_length() -> int:\n        return len(get_settings().key)\n\n"
                       "    get_settings()\n    return mcp.http_app()\n"),
        "pkg/__main__.py": '"""Run the MCP server."""\nimport uvicorn\n\nif __name__ == "__main__":\n    uvicorn.run("pkg.app:{factory}", factory=True)\n',
    }
    for factory, reported in (("create_app", []), ("missing_factory", [("settings.py", 11)])):
        for rel, text in files.items():
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_text(text.replace("{factory}", factory), encoding="utf-8")
        assert [(f["path"].rsplit("/", 1)[-1], f["line"]) for f in _checked(tmp_path, "MCP0103")] == reported


@pytest.mark.parametrize("launch, reported", [
    ("mcp.mount_http()\n\nif __name__ == '__main__':\n    uvicorn.run(app, host='0.0.0.0', port=8000)\n", True),
    ("mcp.mount()\n\nif __name__ == '__main__':\n    uvicorn.run(app, host='0.0.0.0', port=8000)\n", True),
])
def test_a_fastapi_mcp_server_is_launched_with_the_app_it_mounts_on(tmp_path, launch, reported):
    """`FastApiMCP(app).mount_http()`, then `uvicorn.run(app)`: an MCP server over HTTP (MCP0203)."""
    (tmp_path / "server.py").write_text(
        "import uvicorn\nfrom fastapi import FastAPI\nfrom fastapi_mcp import FastApiMCP\n\napp = FastAPI()\n\n\n"
        "@app.get('/items', operation_id='list_items')\ndef list_items() -> list:\n    return []\n\n\nmcp = FastApiMCP(app)\n" + launch,
        encoding="utf-8")
    assert bool(_checked(tmp_path, "MCP0203")) is reported


def test_a_fastmcp_server_mounting_another_server_serves_nothing_by_it(tmp_path):
    """fastmcp's `mcp.mount(sub)` composes servers; only fastapi-mcp's `mount` serves."""
    model = _model_of_files(tmp_path, {"server.py": (
        "from fastmcp import FastMCP\n\nmcp = FastMCP('main')\nsub = FastMCP('sub')\nmcp.mount(sub)\n\n"
        "if __name__ == '__main__':\n    mcp.run()\n")})
    assert [s.text for serves in model.serves.values() for s in serves] == ["mcp.run"]
