"""A unit's per-file views come from the cache while its Python files are unchanged, and its
project model is then built only when a project rule asks for it."""

from pathlib import Path

from _project import count_calls
from mcp_lint import engine
from mcp_lint.cache import Cache
from mcp_lint.config import Config
from mcp_lint.python.project_model import FileView, HeatEntry
from mcp_lint.cache import dumps, loads

SERVER = """\
from mcp.server.fastmcp import FastMCP
from helpers import lookup

mcp = FastMCP("demo")


@mcp.tool()
def search(query: str) -> str:
    return lookup(query)
"""

HELPERS = """\
import os


def lookup(query):
    return os.getenv("KEY") + query
"""

HTTP_SERVER = """\
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo", host="0.0.0.0")


@mcp.tool()
def search(query: str) -> str:
    return query


if __name__ == "__main__":
    mcp.run(transport="streamable-http")
"""


def _write(root: Path, files) -> None:
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text)


def _run(root: Path, cache_dir: Path, select, monkeypatch):
    builds = count_calls(monkeypatch, engine, "build_project_model")
    cache = Cache(cache_dir, "salt")
    result = engine.run([root], Config(root=root, select=select, exclude=[]), jobs=1, cache=cache)
    cache.close()
    return result, len(builds)


def _shown(result):
    return [(f.code, f.location, f.message, f.related, f.fingerprint) for f in result.findings]


def test_unchanged_unit_takes_its_views_from_the_cache(tmp_path, monkeypatch):
    project = tmp_path / "p"
    _write(project, {"server.py": SERVER, "helpers.py": HELPERS})
    first, built = _run(project, tmp_path / "cache", ["MCP0101"], monkeypatch)
    assert built == 1 and [f.path for f in first.findings] == ["helpers.py"]  # a helper of a tool reads env
    second, built = _run(project, tmp_path / "cache", ["MCP0101"], monkeypatch)
    assert built == 0  # no project rule asked for the model
    assert _shown(second) == _shown(first)


def test_a_change_to_another_file_rebuilds_the_views(tmp_path, monkeypatch):
    """helpers.py is unchanged, but server.py no longer calls it: it is no tool code any more."""
    project = tmp_path / "p"
    _write(project, {"server.py": SERVER, "helpers.py": HELPERS})
    _run(project, tmp_path / "cache", ["MCP0101"], monkeypatch)
    (project / "server.py").write_text(SERVER.replace("return lookup(query)", "return query"))
    result, built = _run(project, tmp_path / "cache", ["MCP0101"], monkeypatch)
    assert built == 1 and result.findings == []


def test_a_project_rule_gets_the_model_built_on_demand(tmp_path, monkeypatch):
    project = tmp_path / "p"
    _write(project, {"server.py": HTTP_SERVER})
    first, _ = _run(project, tmp_path / "cache", ["MCP0203"], monkeypatch)
    assert first.findings and first.findings[0].path == "server.py"
    second, built = _run(project, tmp_path / "cache", ["MCP0203"], monkeypatch)
    assert built == 1  # placed at the launch the model knows, as in the first run
    assert _shown(second) == _shown(first)


def test_views_of_a_model_with_an_unsummarised_file_are_not_remembered(tmp_path, monkeypatch):
    project = tmp_path / "p"
    _write(project, {"server.py": SERVER, "helpers.py": HELPERS + "\ndef broken(:\n"})
    _run(project, tmp_path / "cache", ["MCP0101"], monkeypatch)
    _, built = _run(project, tmp_path / "cache", ["MCP0101"], monkeypatch)
    assert built == 1


def test_views_round_trip_through_the_codec_with_frozensets():
    view = FileView(server_names=(("mcp", "fastmcp"),), stdio=(HeatEntry("f", "error", frozenset({1, 9, 17})),))
    back = loads(dumps({"server.py": view}))["server.py"]
    assert back == view and isinstance(back.stdio[0].cold_lines, frozenset)
    assert dumps(back) == dumps(view)  # the per-file cache key: the same whatever the set's order


def test_no_rule_of_another_language_builds_the_model_of_an_unchanged_python_unit(tmp_path, monkeypatch):
    """A code's TypeScript project check runs on every unit: with no TypeScript facts it must not
    ask for the Python model (MCP0202's did: 4 s on a 60-package monorepo after a one-file edit)."""
    project = tmp_path / "p"
    _write(project, {"server.py": SERVER, "helpers.py": HELPERS})
    first, _ = _run(project, tmp_path / "cache", ["MCP0101", "MCP0202"], monkeypatch)
    second, built = _run(project, tmp_path / "cache", ["MCP0101", "MCP0202"], monkeypatch)
    assert built == 0
    assert _shown(second) == _shown(first)
