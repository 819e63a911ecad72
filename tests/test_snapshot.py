"""`mcp-lint snapshot`: static extraction, canonical output, and drift classified by --check."""

from __future__ import annotations

import json
import textwrap

import libcst as cst

from _project import project, run, run_json
from mcp_lint import snapshot
from mcp_lint.python.mcp_model import build_model

SERVER = textwrap.dedent(
    '''\
    from typing import Annotated, Literal, Optional
    from mcp.server.fastmcp import FastMCP
    from pydantic import Field

    mcp = FastMCP("demo")


    @mcp.tool()
    def search(query: str, limit: int = 10, mode: Literal["fast", "deep"] = "fast") -> str:
        """Search things."""
        return query


    @mcp.tool(description="Tag a document.")
    def tag(doc: Annotated[int, Field(description="document id")], tags: Optional[list[str]] = None, raw=3) -> str:
        return ""
    '''
)


def schemas(source: str) -> dict:
    module = cst.parse_module(textwrap.dedent(source))
    tools = snapshot.tools_in_module(module, build_model(module), lambda node: None)
    return {t.name: t.entry() for t in tools}


def test_schema_from_annotations():
    tools = schemas(SERVER)
    assert tools["search"]["description"] == "Search things."
    assert tools["search"]["inputSchema"] == {
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "limit": {"type": "integer", "default": 10},
            "mode": {"enum": ["fast", "deep"], "type": "string", "default": "fast"},
        },
        "required": ["query"],
    }
    tag = tools["tag"]["inputSchema"]["properties"]
    assert tools["tag"]["description"] == "Tag a document."
    assert tag["doc"] == {"type": "integer", "description": "document id"}
    assert tag["tags"] == {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}], "default": None}
    assert tag["raw"] == {"default": 3}


def test_low_level_tool_literal():
    tools = schemas(
        """
        from mcp import types
        from mcp.server.lowlevel import Server

        server = Server("x")

        @server.list_tools()
        async def list_tools():
            return [types.Tool(name="echo", description="Echo.", inputSchema={"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]})]
        """
    )
    assert tools["echo"]["inputSchema"]["required"] == ["text"]


def test_unknown_type_is_noted_not_guessed():
    tools = schemas("from mcp.server.fastmcp import FastMCP\nfrom x import Thing\nmcp = FastMCP('d')\n\n@mcp.tool()\ndef f(t: Thing) -> str:\n    return ''\n")
    assert set(tools["f"]["inputSchema"]["properties"]["t"]) == {"$comment"}


def test_write_then_check_detects_a_retyped_parameter(tmp_path, capsys, monkeypatch):
    root = project(tmp_path, {"server.py": SERVER})
    code, out, _ = run(capsys, monkeypatch, root, "snapshot")
    assert code == 0, out
    written = (root / "mcp-tools.snapshot.json").read_text(encoding="utf-8")
    assert [t["name"] for t in json.loads(written)["tools"]] == ["search", "tag"]
    assert (root / "mcp-tools.snapshot.json.sha256").read_text().split()[0] == snapshot.digest(written)
    assert run(capsys, monkeypatch, root, "snapshot", "--check")[0] == 0

    (root / "server.py").write_text(SERVER.replace("limit: int = 10", 'limit: str = "10"'), encoding="utf-8")
    code, out, _ = run(capsys, monkeypatch, root, "snapshot", "--check")
    assert code == 1
    assert "tool `search`, parameter `limit`: parameter retyped" in out and "(breaking)" in out


def test_diff_classifies_changes():
    old = {"a": {"name": "a", "description": "x", "inputSchema": {"properties": {"p": {"type": "string"}}, "required": []}}, "gone": {"name": "gone"}}
    new = {
        "a": {"name": "a", "description": "y", "inputSchema": {"properties": {"p": {"type": "string"}, "q": {"type": "integer"}}, "required": ["p"]}},
        "fresh": {"name": "fresh", "inputSchema": {"properties": {"z": {}}}},
    }
    found = {(c.tool, c.parameter, c.kind, c.breaking) for c in snapshot.diff(old, new)}
    assert found == {
        ("gone", "", "tool removed", True),
        ("fresh", "", "tool added", False),
        ("a", "", "description changed", False),
        ("a", "p", "parameter newly required", True),
        ("a", "q", "optional parameter added", False),
    }


def test_check_without_snapshot_fails(tmp_path, capsys, monkeypatch):
    root = project(tmp_path, {"server.py": SERVER})
    code, out, _ = run(capsys, monkeypatch, root, "snapshot", "--check")
    assert code == 1 and "no snapshot committed" in out


# -- the project model: the tools the rules see --------------------------------------------

ACROSS_MODULES = {
    "weather/app.py": 'from mcp.server.fastmcp import FastMCP\n\nweather = FastMCP("weather")\n',
    "weather/tools.py": textwrap.dedent(
        '''\
        from weather.app import weather as wx


        @wx.tool()
        def forecast(city: str, days: int = 3) -> str:
            """Forecast for a city."""
            return city
        '''
    ),
    "weather/factory.py": textwrap.dedent(
        '''\
        from mcp.server.fastmcp import FastMCP


        def create_server() -> FastMCP:
            return FastMCP("alerts")


        class Alerts(FastMCP):
            pass
        '''
    ),
    "weather/more.py": textwrap.dedent(
        '''\
        from weather.factory import Alerts, create_server

        alerts = create_server()
        station = Alerts("station")


        @alerts.tool()
        def warn(region: str) -> str:
            return region


        @station.tool()
        def reading(sensor: str) -> str:
            return sensor
        '''
    ),
    "weather/__init__.py": "",
}


def test_tools_on_servers_imported_renamed_built_or_subclassed_elsewhere(tmp_path, capsys, monkeypatch):
    """A tool registered on a server imported from another module under another name (and on
    a factory's server, and on an instance of a subclass) is in the snapshot: the old
    per-file index only knew receivers named like `mcp`. And `check` counts the same tools."""
    root = project(tmp_path, {**ACROSS_MODULES, ".git/HEAD": "ref: refs/heads/main\n"})  # MCP0901 wants a repository
    code, out, _ = run(capsys, monkeypatch, root, "snapshot")
    assert code == 0, out
    tools = {t["name"]: t for t in json.loads((root / "mcp-tools.snapshot.json").read_text(encoding="utf-8"))["tools"]}
    assert set(tools) == {"forecast", "warn", "reading"}
    assert tools["forecast"]["inputSchema"] == {
        "type": "object",
        "properties": {"city": {"type": "string"}, "days": {"type": "integer", "default": 3}},
        "required": ["city"],
    }
    for written in ("mcp-tools.snapshot.json", "mcp-tools.snapshot.json.sha256"):
        (root / written).unlink()
    code, report = run_json(capsys, monkeypatch, root, "check", "--select", "MCP0901")
    (missing,) = [f["message"] for f in report["findings"] if f["code"] == "MCP0901"]
    assert "registers 3 tool(s) (`forecast`, `reading`, `warn`)" in missing


MONOREPO = {
    ".git/HEAD": "ref: refs/heads/main\n",
    "services/alpha/pyproject.toml": "[project]\nname = 'alpha'\n",
    "services/alpha/alpha/__init__.py": "",
    "services/alpha/alpha/server.py": 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("alpha")\n',
    "services/alpha/alpha/tools.py": "from alpha.server import mcp as app\n\n\n@app.tool()\ndef lookup(key: str) -> str:\n    return key\n",
    "services/beta/pyproject.toml": "[project]\nname = 'beta'\n",
    "services/beta/server.py": 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("beta")\n\n\n@mcp.tool()\ndef ping() -> str:\n    return "pong"\n',
    "docs/notes.py": "x = 1\n",
}


def _names(path) -> list:
    return [t["name"] for t in json.loads(path.read_text(encoding="utf-8"))["tools"]]


def test_monorepo_root_and_package_write_the_same_per_package_snapshots(tmp_path, capsys, monkeypatch):
    """Units as `check` has them: at the monorepo root, one snapshot per package at its root
    (where MCP0901/MCP0902 look for it), the same file as a run inside the package writes."""
    from _project import write

    root = write(tmp_path, MONOREPO)
    alpha, beta = root / "services/alpha", root / "services/beta"
    code, out, _ = run(capsys, monkeypatch, root, "snapshot")
    assert code == 0, out
    assert "services/alpha/mcp-tools.snapshot.json (1 tool)" in out
    assert _names(alpha / "mcp-tools.snapshot.json") == ["lookup"] and _names(beta / "mcp-tools.snapshot.json") == ["ping"]
    assert not (root / "mcp-tools.snapshot.json").exists()
    at_root = (alpha / "mcp-tools.snapshot.json").read_text(encoding="utf-8")

    (alpha / "mcp-tools.snapshot.json").unlink()
    assert run(capsys, monkeypatch, alpha, "snapshot")[0] == 0
    assert (alpha / "mcp-tools.snapshot.json").read_text(encoding="utf-8") == at_root
    assert run(capsys, monkeypatch, root, "snapshot", "--check")[0] == 0
    code, report = run_json(capsys, monkeypatch, root, "check", "--select", "MCP09")
    assert report["findings"] == []

    write(root, {"services/beta/server.py": MONOREPO["services/beta/server.py"].replace("def ping()", "def ping(host: str)")})
    code, out, _ = run(capsys, monkeypatch, root, "snapshot", "--check")
    assert code == 1 and "services/beta/mcp-tools.snapshot.json: tool `ping`, parameter `host`: required parameter added" in out
    assert "services/alpha/mcp-tools.snapshot.json: up to date" in out
    assert run(capsys, monkeypatch, alpha, "snapshot", "--check")[0] == 0

    code, _, err = run(capsys, monkeypatch, root, "snapshot", "--output", "all.json")
    assert code == 2 and "2 project units" in err and not (root / "all.json").exists()


def test_a_committed_tools_list_dumped_by_attribute_name_counts_as_a_snapshot(tmp_path):
    import json

    from mcp_lint_rules.project.practice import listed_tools

    tools = {"tools": [{"name": "search", "input_schema": {"type": "object", "properties": {}}}]}
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "contract_snapshot.json").write_text(json.dumps(tools))
    (tmp_path / "other.json").write_text(json.dumps({"tools": [{"name": "x", "input_schema": "not a schema"}]}))
    assert listed_tools(str(tmp_path)) == (("tests/contract_snapshot.json", frozenset({"search"})),)
