"""Project-level pruning (mcp_lint/project_requires.py): a rule whose `project_requires` strings
occur in no file of the unit is not run there; findings stay the same, and cached results follow
the strings when another file gains or loses them."""

from mcp_lint.cache import Cache
from mcp_lint.config import Config
from mcp_lint.engine import run, unit_results
from mcp_lint.project_requires import found_in, idle_codes
from rules.python.startup_env import SettingsConstructedInTool

SERVER = """\
from fastmcp import FastMCP
from .config import AppConfig

mcp = FastMCP("crm")


@mcp.tool
def find(email: str) -> str:
    return AppConfig().crm_url + email
"""
SETTINGS_BASE = "from pydantic_settings import BaseSettings as Root\n\n\nclass Base(Root):\n    debug: bool = False\n"
PLAIN_BASE = "class Base:\n    debug = False\n"
CONFIG = "from .base import Base\n\n\nclass AppConfig(Base):\n    crm_url: str = ''\n"


def _project(root, base: str):
    for rel, text in {"crm/__init__.py": "", "crm/server.py": SERVER, "crm/config.py": CONFIG, "crm/base.py": base}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _config(root):
    return Config(root=root, select=["MCP0103"], exclude=[])


def test_found_in_reads_the_bytes_and_errs_towards_present():
    tokens = ("BaseSettings", "Other")
    assert found_in(b"class S(BaseSettings):\n    pass\n", tokens) == {"BaseSettings"}
    assert found_in(b"# -*- coding: utf-8 -*-\nx = 1\n", tokens) == frozenset()
    assert found_in(b"# -*- coding: latin-1 -*-\nx = 1\n", tokens) == frozenset()
    # UTF-7 can spell ASCII letters with other bytes; an unknown codec cannot be judged.
    assert found_in(b"# coding: utf-7\nx = 1\n", tokens) == set(tokens)
    assert found_in(b"#!/usr/bin/env python\n# coding: no-such-codec\n", tokens) == set(tokens)
    assert found_in(b"x = 1\n", ()) == frozenset()


def test_idle_codes_names_rules_whose_strings_no_file_holds():
    assert idle_codes([SettingsConstructedInTool], frozenset()) == {"MCP0103"}
    assert idle_codes([SettingsConstructedInTool], frozenset({"BaseSettings"})) == frozenset()


def test_the_rule_reports_through_an_aliased_base_in_another_module(tmp_path):
    result = run([tmp_path], _config(_project(tmp_path, SETTINGS_BASE)), jobs=1)
    assert [(f.code, f.path, f.location.line) for f in result.findings] == [("MCP0103", "crm/server.py", 9)]


def test_a_project_without_the_string_does_not_run_the_rule(tmp_path):
    _project(tmp_path, PLAIN_BASE)
    [(_, results)] = unit_results([tmp_path], _config(tmp_path), jobs=1)
    server = next(r for r in results if r.rel == "crm/server.py")
    assert server.parsed and "MCP0103" not in server.facts
    assert run([tmp_path], _config(tmp_path), jobs=1).findings == []


def test_a_cached_file_is_linted_again_when_another_file_gains_the_string(tmp_path):
    root = _project(tmp_path / "p", PLAIN_BASE)
    cache = Cache(tmp_path / "cache", "salt")
    assert run([root], _config(root), jobs=1, cache=cache).findings == []
    cache.close()
    (root / "crm/base.py").write_text(SETTINGS_BASE)  # crm/server.py itself is unchanged
    cache = Cache(tmp_path / "cache", "salt")
    found = run([root], _config(root), jobs=1, cache=cache).findings
    cache.close()
    assert [(f.code, f.path) for f in found] == [("MCP0103", "crm/server.py")]
