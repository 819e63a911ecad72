"""Monorepos (fixtures/monorepo): nearest configuration per file, one project unit at a time,
pre-commit runs that read only their units, and the path base of each output format."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest

from mcp_lint import engine
from mcp_lint.cache import Cache
from mcp_lint.cli import main
from mcp_lint.config import load_config
from mcp_lint.discovery import SourceFile
from mcp_lint.registry import all_rules
from mcp_lint.units import Layout, absolute_imports, deploy_references, module_name

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "monorepo"
WEATHER = "services/weather"
NOTES = "services/notes"


def _checkout(fixture: Path, root: Path, monkeypatch) -> Path:
    shutil.copytree(fixture, root)
    (root / ".git").mkdir()  # the repository root: configuration lookup and SARIF paths stop here
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def repo(tmp_path, monkeypatch):
    return _checkout(FIXTURE, tmp_path / "repo", monkeypatch)


def _json(*args: str) -> dict:
    out = Path(os.getcwd()).parent / "report.json"
    main(["check", "--no-cache", "--output-format", "json", "-o", str(out), *args])
    return json.loads(out.read_text(encoding="utf-8"))


def _keys(report: dict) -> set:
    return {(f["path"], f["line"], f["code"]) for f in report["findings"]}


def test_findings_do_not_depend_on_argument_order(repo):
    forward = _json(WEATHER, NOTES, "docker-compose.yml")
    backward = _json("docker-compose.yml", NOTES, WEATHER)
    assert forward["findings"] == backward["findings"]
    assert _keys(forward) == _keys(_json("."))


def test_each_package_keeps_its_own_ignore_and_per_file_ignores(repo):
    found = _keys(_json("."))
    assert (f"{NOTES}/server.py", 12, "MCP0101") in found  # notes: defaults
    assert not any(code == "MCP0101" for path, _, code in found if path.startswith(WEATHER))  # weather: ignore
    # `"/server.py" = ["MCP0701"]` is anchored at weather's folder: only its own server.py.
    assert (f"{NOTES}/server.py", 13, "MCP0701") in found
    assert (f"{WEATHER}/server.py", 13, "MCP0701") not in found
    assert (f"{WEATHER}/server.py", 18, "MCP0203") in found  # weather is linted


def test_command_line_applies_on_top_of_every_configuration(repo):
    selected = _keys(_json(".", "--select", "MCP0101"))
    # `--select` starts over, dropping weather's configured ignore (ruff's layering).
    assert {path for path, _, _ in selected} == {f"{NOTES}/server.py", f"{WEATHER}/server.py"}
    assert not [k for k in _keys(_json(".", "--ignore", "MCP0701,MCP0101")) if k[2] in ("MCP0701", "MCP0101")]


def test_root_compose_joins_the_units_it_builds(repo):
    layout = Layout(load_config([repo], None, {}, all_rules()))
    compose = SourceFile("docker-compose.yml", repo / "docker-compose.yml", "yaml")
    read = lambda f: f.path.read_text(encoding="utf-8")  # noqa: E731
    assert layout.joins(compose, read) == {repo / WEATHER, repo / NOTES}
    units = layout.units([compose], False, lambda root: [], read)
    assert [(u.root, [f.rel for f in u.files]) for u in units] == [
        (repo / NOTES, ["../../docker-compose.yml"]),
        (repo / WEATHER, ["../../docker-compose.yml"]),
    ]
    assert layout.unit_root(repo / WEATHER / "deep") == repo / WEATHER
    assert layout.unit_root(repo / "docs") == repo  # outside any package: the repository root


def test_deploy_references():
    assert deploy_references("dockerfile", "FROM python\nCOPY services/notes /app\nCOPY --from=build /x /y\n") == (
        {"services/notes"},
        set(),
    )
    manifest = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: ghcr.io/acme/weather:1.2\n"
    assert deploy_references("yaml", manifest) == (set(), {"weather"})


def test_one_file_reads_only_its_unit(repo, monkeypatch):
    read = []
    original = engine.read_bytes

    def recording(path):
        read.append(Path(os.path.abspath(path)).relative_to(repo).as_posix())
        return original(path)

    monkeypatch.setattr(engine, "read_bytes", recording)
    target = Path(f"{WEATHER}/units.py")
    config = load_config([target], None, {}, all_rules())
    result = engine.run([target], config, jobs=1)
    # Its unit's sources, and probes of its unit's optional files (a tools/list snapshot, tsconfig).
    assert {f"{WEATHER}/units.py", f"{WEATHER}/server.py"} <= set(read)
    assert {p for p in read if not p.startswith(f"{WEATHER}/")} == {"docker-compose.yml"}
    assert not [f for f in result.findings if f.path != f"{WEATHER}/units.py"]  # only the given file reports
    assert result.files_checked == 1


def test_one_file_findings_match_its_package_run(repo):
    whole = {k for k in _keys(_json(WEATHER)) if k[0] == "server.py"}  # JSON: relative to the package
    assert whole and _keys(_json(f"{WEATHER}/server.py")) == whole


def test_path_bases_text_is_relative_to_cwd_sarif_and_github_to_the_repository(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo / "services")
    main(["check", "--no-cache", "notes/server.py"])
    text = capsys.readouterr().out
    assert "notes/server.py:12:11: MCP0101" in text and f"{NOTES}/server.py" not in text
    main(["check", "--no-cache", "--output-format", "github", "notes/server.py"])
    assert f"file={NOTES}/server.py,line=12" in capsys.readouterr().out
    main(["check", "--no-cache", "--output-format", "sarif", "notes/server.py"])
    sarif = json.loads(capsys.readouterr().out)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {f"{NOTES}/server.py"}


def test_findings_identical_with_workers_and_cache(tmp_path):
    """Every fixture in one run: one process without cache, two workers with a cold cache,
    then with the warm cache, give the same findings (parallel batches across units)."""
    from mcp_lint.cache import Cache
    from mcp_lint.config import Config

    fixtures = FIXTURE.parent
    config = Config(root=fixtures, exclude=[])
    key = lambda result: [(f.path, f.location, f.code, f.message, f.fingerprint) for f in result.findings]  # noqa: E731
    alone = engine.run([fixtures], config, jobs=1)
    assert len(alone.findings) > 50
    cache = Cache(tmp_path / "cache", "salt")
    cold = engine.run([fixtures], config, jobs=2, cache=cache)
    warm = engine.run([fixtures], config, jobs=2, cache=cache)
    assert cache.hits > 0
    assert key(alone) == key(cold) == key(warm)


# -- packages of one repository that import each other (fixtures/workspace, a uv workspace) ------

WORKSPACE = Path(__file__).resolve().parent.parent / "fixtures" / "workspace"
INVENTORY = "packages/core/src/acme_core/inventory.py"
SERVER = "packages/server/src/acme_server/server.py"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    return _checkout(WORKSPACE, tmp_path / "workspace", monkeypatch)


def test_server_package_sees_the_tools_and_server_class_of_a_sibling_package(workspace):
    findings = _json(".")["findings"]
    keys = [(f["path"], f["line"], f["code"]) for f in findings]
    # `mcp.add_tool(find_item)` in the server package makes the core function a tool; the
    # server class comes from the core package too, so `@mcp.tool()` registers `reserve`.
    assert (INVENTORY, 9, "MCP0401") in keys
    assert (SERVER, 18, "MCP0701") in keys
    assert len(keys) == len(set(keys))  # the core file is in two units: each finding once
    # The legacy package's module builds a server of its own: a helper imported from it does
    # not bring its tools into the new server.
    registers = [f["message"] for f in findings if f["code"] == "MCP0901" and f["path"] == SERVER]
    assert len(registers) == 1 and "registers 2 tool(s) (`find_item`, `reserve`)" in registers[0]


def test_core_package_alone_has_no_tool_of_its_own(workspace):
    assert not [k for k in _keys(_json("packages/core")) if k[2] == "MCP0401"]


def test_pre_commit_on_the_server_file_reads_the_imported_package_from_disk(workspace):
    # Repository-level rules (MCP0901) stay quiet when the run spans one sub-folder (units.py).
    whole = {k for k in _keys(_json(".")) if k[0] == SERVER and k[2] != "MCP0901"}
    assert whole == {(SERVER, 18, "MCP0701")}
    assert _keys(_json(SERVER)) == whole


def test_imports_resolve_to_module_names():
    text = "import os\nfrom acme_core.inventory import find_item, reserve as r\nfrom . import local\nimport acme_core.base\n"
    assert absolute_imports(text) == {"os", "acme_core.inventory", "acme_core.inventory.find_item", "acme_core.inventory.reserve", "acme_core.base"}
    assert module_name("src/acme_core/inventory.py") == "acme_core.inventory"
    assert module_name("acme_core/__init__.py") == "acme_core"
    assert module_name("scripts/build-docs.py") is None  # not importable


def test_launches_of_an_imported_module_belong_to_its_own_package(tmp_path, monkeypatch):
    # A plugin package imports a helper from the core package's launch module. The launch there
    # serves the core's server, whose auth lives in a module the plugin never imports: the plugin's
    # unit must not report that launch as an HTTP server without auth (nor fall back to it).
    files = {
        "core/pyproject.toml": '[project]\nname = "acme-core"\n',
        "core/src/acme_core/__init__.py": "",
        "core/src/acme_core/app.py": textwrap.dedent('''
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import JWTVerifier

            mcp = FastMCP("core", auth=JWTVerifier(jwks_uri="https://id.example/jwks.json", issuer="https://id.example", audience="core"))
            '''),
        "core/src/acme_core/launch.py": textwrap.dedent('''
            import uvicorn
            from mcp.types import TextContent


            def banner(name: str) -> str:
                return f"acme {name}"


            def start() -> None:
                from acme_core.app import mcp
                uvicorn.run(mcp.streamable_http_app, host="0.0.0.0", port=8000)
            '''),
        "plugin/pyproject.toml": '[project]\nname = "acme-plugin"\ndependencies = ["acme-core"]\n',
        "plugin/src/acme_plugin/__init__.py": "",
        "plugin/src/acme_plugin/tools.py": textwrap.dedent('''
            from mcp.server.fastmcp import FastMCP

            from acme_core.launch import banner

            plugin = FastMCP(banner("plugin"))


            @plugin.tool()
            def ping() -> str:
                return "pong"
            '''),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    keys = _keys(_json("."))
    assert not [k for k in keys if k[2] == "MCP0203"]


def test_setup_module_inside_an_import_package_is_not_a_package_root(tmp_path):
    from mcp_lint.repository import is_package

    app = tmp_path / "app"
    app.mkdir()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (app / "__init__.py").write_text("")
    (app / "setup.py").write_text("def first_run_wizard():\n    pass\n")  # a module of `app`
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "setup.py").write_text("from setuptools import setup\nsetup(name='legacy')\n")
    assert is_package(tmp_path) and not is_package(app) and is_package(legacy)


def _events(monkeypatch) -> list:
    """("lint", rel) as each file is linted and ("finish", unit folder) as each unit's project
    rules run, in the order they happen."""
    events = []
    lint_file, finish = engine.lint_file, engine._finish

    def linting(source, settings, parse_checked=False):
        events.append(("lint", source.rel))
        return lint_file(source, settings, parse_checked)

    def finishing(plan, layout):
        events.append(("finish", plan.unit.root.name))
        return finish(plan, layout)

    monkeypatch.setattr(engine, "lint_file", linting)
    monkeypatch.setattr(engine, "_finish", finishing)
    return events


def test_a_units_project_rules_run_as_soon_as_its_files_are_linted(repo, monkeypatch, tmp_path):
    """The project rules of one unit run while the files of the others are still being linted
    (beside the workers), and those of a unit answered from the cache before any file is linted."""
    targets = [repo / WEATHER, repo / NOTES]
    config = load_config(targets, None, {}, all_rules())
    events = _events(monkeypatch)
    first = engine.run(targets, config, jobs=1)
    finishes = [i for i, e in enumerate(events) if e[0] == "finish"]
    lints = [i for i, e in enumerate(events) if e[0] == "lint"]
    assert len(finishes) == 2 and finishes[0] < max(lints)  # the first unit's rules ran before the last file
    assert events[finishes[0] - 1][0] == "lint"  # right after that unit's last file
    cache = Cache(tmp_path / "cache", "salt")
    engine.run(targets, config, jobs=1, cache=cache)
    cache.flush()
    edited = next((repo / NOTES).rglob("*.py"))
    edited.write_text(edited.read_text() + "\n# edited\n")
    events.clear()
    again = engine.run(targets, config, jobs=1, cache=cache)
    assert events[0] == ("finish", "weather") and ("lint", edited.relative_to(repo / NOTES).as_posix()) in events
    assert [f.sort_key() for f in again.findings] == [f.sort_key() for f in first.findings]
    events.clear()
    cache.flush()
    engine.run(targets, config, jobs=1, cache=cache)  # every file from the cache: no worker starts
    assert sorted(events) == [("finish", "notes"), ("finish", "weather")]
