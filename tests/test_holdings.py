"""Pruning by holdings (mcp_lint/python/holdings.py): each holding must over-approximate what the
per-file model finds after the parse, and a file that holds nothing a rule needs is not parsed."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Dict, List

import pytest

from mcp_lint import engine
from mcp_lint.cache import Cache
from mcp_lint.config import Config
from mcp_lint.documents.python import PythonDocument
from mcp_lint.python import holdings
from mcp_lint.python.context import package_of
from mcp_lint.python.mcp_model import build_model
from mcp_lint.python.project_model import EMPTY_VIEW
from mcp_lint.registry import all_rules, implementations_of
from mcp_lint.rule import PythonRule


def _write(root: Path, files: Dict[str, str]) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def _planned(root: Path, monkeypatch, select=None, options=None):
    """Run the engine over `root`; return its plans with what `_holdings` decided for each."""
    seen: List = []
    original = engine._holdings

    def recording(plan):
        held = original(plan)
        seen.append((plan, *held))
        return held

    monkeypatch.setattr(engine, "_holdings", recording)
    config = Config(root=root, exclude=[])
    if select:
        config.select = select
    config.rule_options.update(options or {})
    result, plans = engine._run([root], config, False, 1, None, True, None, None, engine.profile.Clock())
    return result, seen


def _python_cases():
    for rule in all_rules():
        for impl in (rule, *implementations_of(rule)):
            if issubclass(impl, PythonRule):
                for case in (*impl.VALID, *impl.INVALID):
                    if case.path.endswith(".py"):
                        yield impl.code, case


CASES = list(_python_cases())


def test_holdings_cover_what_the_per_file_model_finds(tmp_path, monkeypatch):
    """Over every embedded Python case: where the per-file model finds tool code, an MCP file, an
    HTTP or run-time transport, the file (or its unit) holds it before the parse."""
    checked = 0
    for index, (code, case) in enumerate(CASES):
        root = tmp_path / f"case{index}"
        _write(root, {**case.files, case.path: case.source})
        _, seen = _planned(root, monkeypatch, select=[code])
        for plan, held, decided in seen:
            for rel, source in ((f.rel, f) for _, group in plan.groups for f in group if f.kind == "python"):
                text = engine.source_text(source)[0]
                document = PythonDocument(rel, text)
                try:
                    document.parse()
                except Exception:
                    continue
                view = plan.views.get(rel, EMPTY_VIEW)
                model = build_model(document.module, package_of(rel), view, document.location)
                where = f"{code} case {index} {rel}"
                if model.tool_code:
                    assert holdings.file_holds((holdings.TOOL_CODE,), text, view), where
                if model.handlers:
                    assert holdings.file_holds((holdings.TOOL_HANDLER,), text, view), where
                if model.is_mcp:
                    assert holdings.file_holds((holdings.MCP_CODE,), text, view), where
                if "http" in model.transports:
                    assert holdings.HTTP_SERVER in held, where
                if "dynamic" in model.transports:
                    assert holdings.DYNAMIC_TRANSPORT in held, where
                checked += 1
    assert checked > 300


SERVER = """
    import os
    from fastmcp import FastMCP
    from .paths import make_path

    OUT = os.getenv("OUT_DIR")
    mcp = FastMCP("files")

    @mcp.tool
    def save(name: str) -> str:
        return make_path(name, OUT)

    if __name__ == "__main__":
        mcp.run()
"""
PATHS = """
    def make_path(name, base=None):
        if not base:
            base = "/tmp"
        return base + "/" + name
"""
UNRELATED = """
    def shout(text):
        return text.upper()
"""


def test_env_fallback_module_imported_by_tool_code_is_parsed(tmp_path, monkeypatch):
    """MCP0102: the helper that substitutes a default is read (no finding), a module the tool
    file does not import is not parsed for it."""
    _write(tmp_path, {"pkg/__init__.py": "", "pkg/server.py": SERVER, "pkg/paths.py": PATHS, "pkg/text.py": UNRELATED})
    result, seen = _planned(tmp_path, monkeypatch, select=["MCP0102"])
    assert not [f for f in result.findings if f.code == "MCP0102"]
    (_, _, decided), = seen
    assert set(decided) == {"pkg/server.py", "pkg/paths.py"}
    _write(tmp_path, {"pkg/paths.py": PATHS.replace("if not base:\n            base = \"/tmp\"\n", "")})
    result, _ = _planned(tmp_path, monkeypatch, select=["MCP0102"])
    assert [f.path for f in result.findings if f.code == "MCP0102"] == ["pkg/server.py"]


def test_tool_code_reading_the_environment_only_inside_functions_scopes_nothing(tmp_path, monkeypatch):
    """MCP0102 reports module-level reads: a tool that reads the environment itself (MCP0101's
    concern) makes neither its file nor the modules it imports worth parsing for MCP0102; a
    name bound from a helper of the module (`OUT = out_dir()`) still counts."""
    inside = SERVER.replace('    OUT = os.getenv("OUT_DIR")\n', "").replace("make_path(name, OUT)", 'make_path(name, os.getenv("OUT_DIR"))')
    _write(tmp_path, {"pkg/__init__.py": "", "pkg/server.py": inside, "pkg/paths.py": PATHS})
    _, seen = _planned(tmp_path, monkeypatch, select=["MCP0102"])
    (_, _, decided), = seen
    assert decided == {}
    helper = SERVER.replace('OUT = os.getenv("OUT_DIR")', 'def out_dir():\n        return os.getenv("OUT_DIR")\n\n    OUT = out_dir()')
    _write(tmp_path, {"pkg/server.py": helper})
    _, seen = _planned(tmp_path, monkeypatch, select=["MCP0102"])
    (_, _, decided), = seen
    assert set(decided) == {"pkg/server.py", "pkg/paths.py"}


def test_class_level_import_makes_every_file_count(tmp_path, monkeypatch):
    text = SERVER.replace("from .paths import make_path\n", "") + "\nclass Holder:\n    from .paths import make_path\n"
    _write(tmp_path, {"pkg/__init__.py": "", "pkg/server.py": text, "pkg/text.py": UNRELATED})
    _, seen = _planned(tmp_path, monkeypatch, select=["MCP0102"])
    (_, _, decided), = seen
    assert "pkg/text.py" in decided


HTTP_SERVER = """
    from fastmcp import FastMCP
    from .gate import install

    mcp = FastMCP("notes")
    app = mcp.http_app()
    install(app)
"""
GATE = """
    from starlette.middleware.base import BaseHTTPMiddleware
    from starlette.responses import JSONResponse

    class TokenGate(BaseHTTPMiddleware):
        async def dispatch(self, request, call_next):
            if request.headers.get("authorization") != "Bearer x":
                return JSONResponse({"error": "unauthorized"}, status_code=401)
            return await call_next(request)

    def install(app):
        app.add_middleware(TokenGate)
"""


def test_http_rules_read_every_file_of_an_http_served_unit(tmp_path, monkeypatch):
    """MCP0203: auth in a module that never mentions MCP still counts when the unit serves HTTP."""
    _write(tmp_path, {"server.py": HTTP_SERVER, "gate.py": GATE})
    result, seen = _planned(tmp_path, monkeypatch, select=["MCP0203"])
    (_, held, _), = seen
    assert holdings.HTTP_SERVER in held
    assert not [f for f in result.findings if f.code == "MCP0203"]
    _write(tmp_path, {"gate.py": UNRELATED})
    result, _ = _planned(tmp_path, monkeypatch, select=["MCP0203"])
    assert [f.path for f in result.findings if f.code == "MCP0203"] == ["server.py"]


STDIO_SERVER = """
    from fastmcp import FastMCP
    from helpers import shout

    mcp = FastMCP("notes")

    @mcp.tool
    def loud(text: str) -> str:
        print("called")
        louder = shout(text)
        return louder + "!"

    if __name__ == "__main__":
        mcp.run()
"""


def test_a_file_that_holds_nothing_a_rule_needs_is_not_parsed(tmp_path, monkeypatch):
    """A stdio-only project: the helper has no tool registration, no HTTP server and nothing
    for MCP0102; only the server file is parsed, and MCP0703 still reports its print. A helper
    whose value the tool returns as its result is parsed: its returns reach the client."""
    _write(tmp_path, {"server.py": STDIO_SERVER, "helpers.py": UNRELATED})
    result, seen = _planned(tmp_path, monkeypatch)
    assert {r.rel for plan, _, _ in seen for r in plan.results if r.parsed} == {"server.py"}
    assert [f.location.line for f in result.findings if f.code == "MCP0703"] == [8]
    _write(tmp_path, {"server.py": STDIO_SERVER.replace("louder = shout(text)\n        return louder + \"!\"", "return shout(text)")})
    result, seen = _planned(tmp_path, monkeypatch)
    assert {r.rel for plan, _, _ in seen for r in plan.results if r.parsed} == {"server.py", "helpers.py"}


@pytest.mark.parametrize("code, needs", [
    ("MCP0401", ("tool handler",)), ("MCP0404", ("tool code",)), ("MCP0405", ("tool code", "middleware")),
    ("MCP0703", ("stdio process",)), ("MCP0102", ("tool env scope",)), ("MCP0701", ("tool code", "payload parameter")), ("MCP1001", ("mcp code",)), ("MCP0901", ("mcp code",)),
    ("MCP0101", ("tool code",)), ("MCP0201", ("tool code",)), ("MCP0603", ("tool code",)),
    ("MCP1105", ("tool handler",)), ("MCP1106", ("tool handler",)),
])
def test_rules_declare_their_needs(code, needs):
    rule = next(r for r in all_rules() if r.code == code)
    assert rule.needs == needs


def test_every_declared_need_is_a_holding():
    known = set(holdings.FILE_HOLDINGS) | set(holdings.UNIT_FILE_HOLDINGS)
    unit = {holdings.HTTP_SERVER, holdings.DYNAMIC_TRANSPORT, holdings.SETTINGS_CLASS}
    for rule in all_rules():
        for impl in (rule, *implementations_of(rule)):
            assert set(impl.needs) <= known, impl.code
            assert set(impl.needs_in_project) <= unit, impl.code


REGISTERED_ELSEWHERE = {
    "server.py": """
        from fastmcp import FastMCP
        from tools import search

        mcp = FastMCP("search")
        mcp.tool()(search)

        if __name__ == "__main__":
            mcp.run()
    """,
    "tools.py": """
        import os

        def search(query: str) -> str:
            key = os.getenv("SEARCH_KEY")
            return key + query
    """,
}


def test_tool_code_registered_from_another_module_is_parsed_and_reported(tmp_path, monkeypatch):
    """tools.py shows no registration itself: the project model's view carries its tool code."""
    _write(tmp_path, REGISTERED_ELSEWHERE)
    result, seen = _planned(tmp_path, monkeypatch, select=["MCP0101"])
    assert {r.rel for plan, _, _ in seen for r in plan.results if r.parsed} == {"tools.py"}
    assert [(f.path, f.location.line) for f in result.findings] == [("tools.py", 4)]


# -- needs_in_project across modules: MCP0103 needs a settings class somewhere in the unit ----

SETTINGS_SERVER = """\
from fastmcp import FastMCP
from .config import AppConfig

mcp = FastMCP("crm")


@mcp.tool
def find(email: str) -> str:
    return AppConfig().crm_url + email
"""
SETTINGS_BASE = "from pydantic_settings import BaseSettings as Root\n\n\nclass Base(Root):\n    debug: bool = False\n"
PLAIN_BASE = "class Base:\n    debug = False\n"
SETTINGS_CONFIG = "from .base import Base\n\n\nclass AppConfig(Base):\n    crm_url: str = ''\n"


def _settings_project(root, base: str):
    files = {"crm/__init__.py": "", "crm/server.py": SETTINGS_SERVER, "crm/config.py": SETTINGS_CONFIG, "crm/base.py": base}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _only_mcp0103(root):
    return Config(root=root, select=["MCP0103"], exclude=[])


def test_settings_rule_reports_through_an_aliased_base_in_another_module(tmp_path):
    result = engine.run([tmp_path], _only_mcp0103(_settings_project(tmp_path, SETTINGS_BASE)), jobs=1)
    assert [(f.code, f.path, f.location.line) for f in result.findings] == [("MCP0103", "crm/server.py", 9)]


def test_a_unit_without_a_settings_class_does_not_run_the_settings_rule(tmp_path):
    _settings_project(tmp_path, PLAIN_BASE)
    [(_, results)] = engine.unit_results([tmp_path], _only_mcp0103(tmp_path), jobs=1)
    assert all("MCP0103" not in r.facts for r in results)
    assert engine.run([tmp_path], _only_mcp0103(tmp_path), jobs=1).findings == []


def test_a_cached_file_is_linted_again_when_another_file_gains_a_settings_class(tmp_path):
    root = _settings_project(tmp_path / "p", PLAIN_BASE)
    cache = Cache(tmp_path / "cache", "salt")
    assert engine.run([root], _only_mcp0103(root), jobs=1, cache=cache).findings == []
    cache.close()
    (root / "crm/base.py").write_text(SETTINGS_BASE)  # crm/server.py itself is unchanged
    cache = Cache(tmp_path / "cache", "salt")
    found = engine.run([root], _only_mcp0103(root), jobs=1, cache=cache).findings
    cache.close()
    assert [(f.code, f.path) for f in found] == [("MCP0103", "crm/server.py")]


DRIVER = {
    "server.py": """
        from fastmcp import FastMCP
        from driver import Database
        from report import banner

        mcp = FastMCP("db")
        database = Database()

        @mcp.tool
        def query(statement: str) -> str:
            return str(len(database.run(statement)))

        if __name__ == "__main__":
            banner(1)
            mcp.run()
    """,
    "driver.py": """
        import logging

        log = logging.getLogger(__name__)

        class Database:
            def run(self, sql: str) -> list:
                log.info("running %s", sql)
                return []
    """,
    "report.py": """
        import logging

        log = logging.getLogger(__name__)

        def banner(count: int) -> None:
            log.info("serving %d tool", count)
    """,
}


def test_only_modules_with_a_payload_parameter_are_parsed_for_logged_arguments(tmp_path, monkeypatch):
    """MCP0701 reads tool code and functions that may log a payload-named parameter of their
    own (`sql`): the driver is parsed and reported; a start-up helper taking a count is not."""
    _write(tmp_path, DRIVER)
    result, seen = _planned(tmp_path, monkeypatch, select=["MCP0701"])
    assert {r.rel for plan, _, _ in seen for r in plan.results if r.parsed} == {"server.py", "driver.py"}
    assert [(f.path, f.location.line) for f in result.findings] == [("driver.py", 7)]


COMPARES_NO_SECRET = """
    from fastmcp import FastMCP

    mcp = FastMCP("rows")

    @mcp.tool
    def same(left: str, right: str) -> bool:
        if left != right:
            raise ValueError("different")
        return True
"""


def test_a_file_naming_no_secret_is_not_parsed_for_secret_comparisons(tmp_path, monkeypatch):
    """MCP0202 needs a secret word of its pattern in the text (any case, `apiKey` / `api-key`);
    with a pattern that is not a plain list of words, every file is read."""
    _write(tmp_path, {"server.py": COMPARES_NO_SECRET, "auth.py": "def check(x_api_key, expected):\n    return x_api_key == expected\n"})
    _, seen = _planned(tmp_path, monkeypatch, select=["MCP0202"])
    assert {r.rel for plan, _, _ in seen for r in plan.results if r.parsed} == {"auth.py"}
    _, seen = _planned(tmp_path, monkeypatch, select=["MCP0202"], options={"MCP0202": {"secret-pattern": "ri.ht"}})
    assert {r.rel for plan, _, _ in seen for r in plan.results if r.parsed} == {"server.py", "auth.py"}


@pytest.mark.parametrize("text, expected", [
    ("class Tools:\n    from mcp.server.fastmcp import Context\n", True),  # an import in a class body
    ("server = mcp.server.fastmcp.FastMCP('x')\n", True),  # an SDK class named in full
    ("app = fastmcp.FastMCP('x')\n", True),
    ("import mcp\n", False),  # module level: the summary shows it
    ("from awslabs.cloudwatch_mcp_server import tools\n", False),  # `_mcp_` is not the SDK
    ("def f():\n    x = 'fastmcp'\n", False),
    ("\timport fastmcp\n", True),
    ("prefix_mcp.server.x = 1\n", False),
])
def test_mcp_text_the_summary_does_not_show(text, expected):
    assert holdings._mcp_outside_summary(text) is expected
