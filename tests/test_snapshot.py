"""`mcp-lint snapshot`: static extraction, canonical output, and drift classified by --check."""

from __future__ import annotations

import json
import textwrap

import libcst as cst

from _project import project, run
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
