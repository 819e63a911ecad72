"""TS handlers registered in another module (mcp_lint/typescript/tool_links.py): which shapes of
export and import make a module's function tool code, end to end through the engine (MCP0101
fires on an environment read only in tool code)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Dict, List

import pytest

from mcp_lint.config import Config
from mcp_lint.engine import run
from mcp_lint.typescript.project import env_writes
from mcp_lint.typescript.protocol_tests import is_test_file

SDK = 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nconst server = new McpServer({ name: "s", version: "1" });\n'
READ = "const key = process.env.API_KEY;"


def _env_reads_in_tool_code(tmp_path: Path, files: Dict[str, str], code: str = "MCP0101") -> List[str]:
    for rel, text in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    result = run([tmp_path], Config(root=tmp_path, select=[code], exclude=[]), jobs=1)
    assert not result.internal_errors
    return sorted(f"{f.path}:{f.location.line}" for f in result.findings)


LINKED = [
    pytest.param({
        "src/server.ts": SDK + 'import { search } from "./tools/search.js";\nserver.tool("search", "d", { q: z.string() }, search);\n',
        "src/tools/search.ts": f"export async function search({{ q }}) {{\n  {READ}\n  return {{ content: [] }};\n}}\n",
    }, ["src/tools/search.ts:2"], id="exported-function"),
    pytest.param({
        "src/server.ts": SDK + 'import * as tools from "./tools/index.js";\nserver.tool(tools.search.name, "d", {}, tools.search.execute);\n',
        "src/tools/index.ts": 'export { searchTool as search } from "./search.js";\n',
        "src/tools/search.ts": f"export const searchTool = {{\n  name: \"search\",\n  async execute() {{\n    {READ}\n    return {{ content: [] }};\n  }},\n}};\n",
    }, ["src/tools/search.ts:4"], id="namespace-import-renamed-reexport-method"),
    pytest.param({
        "src/server.ts": SDK + 'import search from "./search";\nserver.registerTool("search", {}, search);\n',
        "src/search.ts": f"const search = async () => {{\n  {READ}\n  return {{ content: [] }};\n}};\nexport default search;\n",
    }, ["src/search.ts:2"], id="default-export"),
    pytest.param({
        "src/server.ts": SDK + 'import { run } from "./a.js";\nserver.registerTool("run", {}, run);\n',
        "src/a.ts": 'export * from "./b.js";\n',
        "src/b.ts": 'export * from "./a.js";\n',
    }, [], id="re-export-cycle"),
    pytest.param({
        "src/server.ts": SDK + 'import { search } from "search-lib";\nserver.tool("search", "d", {}, search);\n',
        "src/search.ts": f"export async function search() {{\n  {READ}\n  return {{ content: [] }};\n}}\n",
    }, [], id="package-import-not-followed"),
    pytest.param({
        "src/server.ts": SDK + 'import { search } from "./tools.js";\nserver.tool("search", "d", {}, async () => ({ content: [] }));\n',
        "src/tools.ts": f"export async function search() {{\n  {READ}\n  return {{ content: [] }};\n}}\n",
    }, [], id="imported-but-not-the-handler"),
]


@pytest.mark.parametrize("files, expected", LINKED)
def test_linked_handlers_are_tool_code(tmp_path: Path, files: Dict[str, str], expected: List[str]) -> None:
    assert _env_reads_in_tool_code(tmp_path, files) == expected


def test_helpers_of_a_linked_handler_are_tool_code(tmp_path: Path) -> None:
    found = _env_reads_in_tool_code(tmp_path, {
        "src/server.ts": SDK + 'import { search } from "./tools.js";\nserver.tool("search", "d", {}, search);\n',
        "src/tools.ts": f"function client() {{\n  {READ}\n  return key;\n}}\nexport async function search() {{\n  return {{ content: [{{ type: 'text', text: client() }}] }};\n}}\n",
    })
    assert found == ["src/tools.ts:2"]


HELPER = f"export function apiKey() {{\n  {READ}\n  return key;\n}}\n"


@pytest.mark.parametrize("files, expected", [
    pytest.param({
        "src/server.ts": SDK + 'import { apiKey } from "./config.js";\nserver.tool("search", "d", {}, async () => ({ content: [{ type: "text", text: apiKey() }] }));\n',
        "src/config.ts": HELPER,
    }, ["src/config.ts:2"], id="helper-called-by-a-handler"),
    pytest.param({
        "src/server.ts": SDK + 'import { search } from "./tools.js";\nserver.tool("search", "d", {}, search);\n',
        "src/tools.ts": 'import * as config from "./config.js";\nexport async function search() {\n  return { content: [{ type: "text", text: config.apiKey() }] };\n}\n',
        "src/config.ts": HELPER,
    }, ["src/config.ts:2"], id="helper-of-a-linked-handler-namespace-import"),
    pytest.param({
        "src/server.ts": 'import { Server } from "@modelcontextprotocol/sdk/server/index.js";\nimport { handleCall } from "./call.js";\n'
                         'const server = new Server({ name: "s", version: "1" }, { capabilities: { tools: {} } });\n'
                         'server.setRequestHandler(CallToolRequestSchema, handleCall);\n',
        "src/call.ts": f"export async function handleCall(request) {{\n  {READ}\n  return {{ content: [] }};\n}}\n",
    }, ["src/call.ts:2"], id="lowlevel-handler-in-another-module"),
    pytest.param({
        "src/server.ts": SDK + 'import { apiKey } from "./config.js";\nconst key = apiKey();\nserver.tool("search", "d", {}, async () => ({ content: [{ type: "text", text: key }] }));\n',
        "src/config.ts": HELPER,
    }, [], id="helper-called-at-startup-only"),
])
def test_functions_tool_code_calls_in_other_modules(tmp_path: Path, files: Dict[str, str], expected: List[str]) -> None:
    assert _env_reads_in_tool_code(tmp_path, files) == expected


# A logging helper of another module that writes its rest parameter through a local
# (winor30/mcp-server-datadog's `log`), or a helper of that one (mobile-mcp's `trace`).
LOG_MODULE = """\
export function log(severity: string, ...args: unknown[]) {
  const line = `[${severity}] ${args.join(" ")}\\n`;
  process.stderr.write(line);
}
const writeLog = (message: string) => { console.error(message); };
export const trace = (message: string) => { writeLog(message); };
export function mark(label: string, data: unknown) { console.error(label, typeof data); }
export async function research(query: string) {
  const response = await api.start(query);
  console.error(`started ${response.id}`);
}
"""
LOGGING_SERVER = SDK + 'import { NAME } from "MODULE";\nserver.tool("search", "d", { q: z.string() }, async (args) => {\n  CALL;\n  return { content: [] };\n});\n'


@pytest.mark.parametrize("name, module, call, expected", [
    pytest.param("log", "./log.js", 'log("error", "search failed", JSON.stringify(args))', ["src/server.ts:5"], id="rest-parameter-through-a-local"),
    pytest.param("trace", "./log.js", "trace(`Invoking with ${args.q}`)", ["src/server.ts:5"], id="helper-of-a-helper"),
    pytest.param("log", "./log.js", 'log(`search ${args.q}`)', ["src/server.ts:5"], id="the-severity-position-written-too"),
    pytest.param("mark", "./log.js", 'mark("search", args)', [], id="helper-writes-only-the-type"),
    pytest.param("research", "./log.js", "research(args.q)", [], id="helper-logs-what-an-api-call-returned"),
    pytest.param("log", "log-lib", 'log("error", JSON.stringify(args))', [], id="package-helper-not-followed"),
])
def test_logging_helpers_of_other_modules(tmp_path: Path, name: str, module: str, call: str, expected: List[str]) -> None:
    server = LOGGING_SERVER.replace("NAME", name).replace("MODULE", module).replace("CALL", call)
    files = {"src/server.ts": server, "src/log.ts": LOG_MODULE}
    assert _env_reads_in_tool_code(tmp_path, files, code="MCP0701") == expected


def test_a_failing_link_pass_is_a_diagnostic(tmp_path: Path, monkeypatch) -> None:
    from mcp_lint.typescript import tool_links

    def broken(*args, **kwargs):
        raise KeyError("x")

    monkeypatch.setattr(tool_links, "link_handlers", broken)
    files = {"src/server.ts": SDK + 'import { search } from "./tools.js";\nserver.tool("search", "d", {}, search);\n',
             "src/tools.ts": f"export async function search() {{\n  {READ}\n  return {{ content: [] }};\n}}\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    result = run([tmp_path], Config(root=tmp_path, select=["MCP0101"], exclude=[]), jobs=1)
    assert [d.message for d in result.internal_errors] == ["TypeScript tool links failed: KeyError: 'x'"]
    assert result.findings == []  # the handler module is linted, without the link


@pytest.mark.parametrize("text, written", [
    (b"process.env.STRAVA_ACCESS_TOKEN = accessToken;", {"STRAVA_ACCESS_TOKEN"}),
    (b"process.env['API_KEY'] ??= key; process.env[`HOME_DIR`]||=dir", {"API_KEY", "HOME_DIR"}),
    (b"if (process.env.MODE === 'x' || process.env.A == b) {}", set()),  # comparisons read
    (b"const token = process.env.TOKEN; const f = (process.env.B) => 1;", set()),
    (b"process.env[name] = value;", set()),  # a computed name names no variable
])
def test_the_variables_a_module_assigns_in_process_env(text, written):
    assert env_writes(text) == written


@pytest.mark.parametrize("path, expected", [
    ("src/tools/search.test.ts", True),
    ("src/features/search/feature.spec.unit.ts", True),  # azure-devops' unit and integration specs
    ("src/features/work-items/__test__/test-utils.ts", True),
    ("src/index.ts", False),
    ("src/testing/harness.ts", False),
    ("types/search.spec.d.ts", False),
])
def test_which_ts_files_are_tests(path, expected):
    folders, _, name = path.rpartition("/")
    assert is_test_file(name, folders.split("/")) is expected


REGISTRAR = 'import type {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";\nexport function {name}(server: McpServer) {{\n  server.tool("{tool}", "d", {{}}, async () => {{\n    {read}\n    return {{ content: [] }};\n  }});\n}}\n{tail}'


TOOL_OBJECTS = ('export const listTasks = { name: "list_tasks", description: "d", inputSchema: {},\n  handler: async () => {\n    '
                + READ + '\n    return { content: [] };\n  } };\nexport const taskTools = [listTasks];\n')


@pytest.mark.parametrize("registry, expected", [
    ("", ["src/core.ts:4"]),  # a default export nothing imports: no tool
    ('import { handlers } from "./tools/_registry";\n', ["src/core.ts:4", "src/tools/defer.ts:3"]),  # generated: may import it
])
def test_a_default_export_a_generated_module_may_import_is_kept(tmp_path: Path, registry: str, expected: List[str]) -> None:
    files = {
        "src/server.ts": SDK + registry + 'import { addCore } from "./core.js";\naddCore(server);\n',
        "src/core.ts": REGISTRAR.format(name="addCore", tool="core", read=READ, tail=""),
        "src/tools/defer.ts": TOOL_OBJECTS.replace("export const listTasks", "const deferTool").replace("export const taskTools = [listTasks];", "export default deferTool;"),
    }
    assert _env_reads_in_tool_code(tmp_path, files) == expected


@pytest.mark.parametrize("server, extra, expected", [
    # A registrar the server's call to which was switched off, whose module nothing imports:
    # its tools reach no server (make.com-fastmcp-server), the wired one's do.
    ('import { addCore } from "./core.js";\naddCore(server);\n// addAdvanced(server);\n', "export default addAdvanced;\n", ["src/core.ts:4"]),
    # Called, through an import of its default export under another name.
    ('import { addCore } from "./core.js";\nimport more from "./advanced.js";\naddCore(server);\nmore(server);\n',
     "export default addAdvanced;\n", ["src/advanced.ts:4", "src/core.ts:4"]),
    # The project calls no registrar of its own: a library of them, every one kept.
    ("", "", ["src/advanced.ts:4", "src/core.ts:4"]),
    # A package with nothing to run (no `bin`, start script or Dockerfile): its importers may
    # call any registrar (cloudflare's mcp-common).
    ('import { addCore } from "./core.js";\naddCore(server);\n', "PACKAGE", ["src/advanced.ts:4", "src/core.ts:4"]),
])
def test_registrars_nothing_calls_register_no_tools(tmp_path: Path, server: str, extra: str, expected: List[str]) -> None:
    if extra == "PACKAGE":
        (tmp_path / "package.json").write_text('{"name": "@repo/common", "main": "src/server.ts"}', encoding="utf-8")
        extra = ""
    files = {
        "src/server.ts": SDK + server,
        "src/core.ts": REGISTRAR.format(name="addCore", tool="core", read=READ, tail=""),
        "src/advanced.ts": REGISTRAR.format(name="addAdvanced", tool="advanced", read=READ, tail=extra),
        "eslint.config.js": 'export default [{ ignores: ["src/advanced.ts"] }];\n',  # names the file, imports nothing
    }
    assert _env_reads_in_tool_code(tmp_path, files) == expected


# A barrel that imports a registrar and exports it again, beside a re-export (datocms's UI routers).
PASSING_BARREL = 'import { addAdvanced } from "../advanced.js";\nexport { addAdvanced };\nexport { addCore } from "../core.js";\n'


@pytest.mark.parametrize("server, barrel, expected", [
    # The barrel re-exporting the registrar is imported nowhere (its import switched off):
    # the re-export calls nothing (mcp-server-elasticsearch's `tools/watcher/index.ts`).
    ('import { addCore } from "./core.js";\naddCore(server);\n// import { addAdvanced } from "./tools/index.js";\n', "", ["src/core.ts:4"]),
    # The server imports the barrel and calls what it exports, by any name.
    ('import { addCore } from "./core.js";\nimport * as more from "./tools/index.js";\naddCore(server);\nObject.values(more).forEach((add) => add(server));\n',
     "", ["src/advanced.ts:4", "src/core.ts:4"]),
    # Imported and passed along "for backward compatibility", never called: no server gets its tools.
    ('import { addCore, addAdvanced } from "./tools/index.js";\naddCore(server);\n', PASSING_BARREL, ["src/core.ts:4"]),
    # ... but called by the name the barrel hands on, or handed on as a value.
    ('import { addCore, addAdvanced } from "./tools/index.js";\naddCore(server);\naddAdvanced(server);\n', PASSING_BARREL,
     ["src/advanced.ts:4", "src/core.ts:4"]),
    ('import { addCore, addAdvanced } from "./tools/index.js";\n[addCore, addAdvanced].forEach((add) => add(server));\n', PASSING_BARREL,
     ["src/advanced.ts:4", "src/core.ts:4"]),
])
def test_a_re_export_uses_a_registrar_only_where_its_module_is_imported(tmp_path: Path, server: str, barrel: str, expected: List[str]) -> None:
    files = {
        "src/server.ts": SDK + server,
        "src/core.ts": REGISTRAR.format(name="addCore", tool="core", read=READ, tail=""),
        "src/advanced.ts": REGISTRAR.format(name="addAdvanced", tool="advanced", read=READ, tail=""),
        "src/tools/index.ts": barrel or 'export { addAdvanced } from "../advanced.js";\n',
    }
    assert _env_reads_in_tool_code(tmp_path, files) == expected


@pytest.mark.parametrize("server, extra, expected", [
    # A module of tool objects that no file imports and that starts nothing: left behind
    # (mcp-server-elasticsearch's `tools/tasks/index.ts`), its tools reach no server; a script's
    # stale import of a moved file changes nothing.
    ('import { addCore } from "./core.js";\naddCore(server);\n', {}, ["src/core.ts:4"]),
    ('import { addCore } from "./core.js";\naddCore(server);\n', {"scripts/bench.ts": 'import { run } from "../tests/gone.js";\n'}, ["src/core.ts:4"]),
    # The server imports a module generated at build time (mcp-server-sdlc's `handlers/_registry`,
    # written by a codegen script): it may import any module.
    ('import { addCore } from "./core.js";\nimport { handlers } from "./tools/_registry";\naddCore(server);\n', {},
     ["src/core.ts:4", "src/tools/tasks.ts:3"]),
    # Imported through a tsconfig alias (`@/` names `src/`): reached.
    ('import { addCore } from "./core.js";\nimport { taskTools } from "@/tools/tasks";\naddCore(server);\nserveAll(server, taskTools);\n', {},
     ["src/core.ts:4", "src/tools/tasks.ts:3"]),
    # Imported: its tools are served, wherever the list goes.
    ('import { addCore } from "./core.js";\nimport { taskTools } from "./tools/tasks.js";\naddCore(server);\nserveAll(server, taskTools);\n', {},
     ["src/core.ts:4", "src/tools/tasks.ts:3"]),
    # The project loads modules by computed paths: any module may be one of them.
    ('import { addCore } from "./core.js";\naddCore(server);\nfor (const f of files) await import(`./tools/${f}`);\n', {},
     ["src/core.ts:4", "src/tools/tasks.ts:3"]),
])
def test_a_tool_module_nothing_imports_registers_nothing(tmp_path: Path, server: str, extra: Dict[str, str], expected: List[str]) -> None:
    files = {**extra,
        "src/server.ts": SDK + server,
        "src/core.ts": REGISTRAR.format(name="addCore", tool="core", read=READ, tail=""),
        "src/tools/tasks.ts": TOOL_OBJECTS,
    }
    assert _env_reads_in_tool_code(tmp_path, files) == expected


STORE = "export class Store {}\n"
COPY_SERVER = SDK + 'import { Store } from "./lib/store.js";\nserver.tool("get", "d", {}, async () => {\n  ' + READ + '\n  return { content: [] };\n});\n'


@pytest.mark.parametrize("files, expected", [
    # endlessblink: `scripts/debug/server.js` imports `./lib/store.js`, which is at the root: a moved copy
    pytest.param({"lib/store.js": STORE, "server.js": COPY_SERVER, "scripts/debug/server.js": COPY_SERVER},
                 ["server.js:5"], id="moved-copy-not-linted"),
    # the module it imports is nowhere in the project (generated at build time): linted as usual
    pytest.param({"scripts/debug/server.js": COPY_SERVER}, ["scripts/debug/server.js:5"], id="missing-everywhere"),
    # the import resolves beside it (a `.ts` source for a `.js` specifier)
    pytest.param({"lib/store.ts": STORE, "scripts/debug/lib/store.ts": STORE, "scripts/debug/server.js": COPY_SERVER},
                 ["scripts/debug/server.js:5"], id="resolves-beside"),
])
def test_a_copy_moved_away_from_its_imports_is_not_linted(tmp_path: Path, files: Dict[str, str], expected: List[str]) -> None:
    assert _env_reads_in_tool_code(tmp_path, files) == expected


# robinsonai-mcp-servers' toolkit: a scratch `temp-openai-mcp.ts` beside a package that builds `src` only.
SCRATCH = SDK + 'server.tool("chat", "d", {}, async () => {\n  ' + READ + '\n  return { content: [] };\n});\n'
SRC_ONLY = {"package.json": '{"name": "toolkit", "bin": {"toolkit": "./dist/index.js"}, "scripts": {"build": "tsup"}}',
            "tsconfig.json": '{\n  // only the sources\n  "compilerOptions": {"outDir": "dist", "rootDir": "src"},\n  "include": ["src"]\n}',
            "src/index.ts": SDK, "temp-openai-mcp.ts": SCRATCH}


@pytest.mark.parametrize("extra, expected", [
    pytest.param({}, [], id="never-built"),
    # Named by the bundler's entries, a start script, or imported by the server: built after all.
    pytest.param({"tsup.config.ts": 'export default { entry: ["src/index.ts", "temp-openai-mcp.ts"] };'}, ["temp-openai-mcp.ts:4"], id="bundler-entry"),
    pytest.param({"package.json": SRC_ONLY["package.json"].replace('"tsup"', '"tsup", "dev": "tsx temp-openai-mcp.ts"')},
                 ["temp-openai-mcp.ts:4"], id="run-by-a-script"),
    pytest.param({"src/index.ts": SDK + 'import "../temp-openai-mcp.js";\n'}, ["temp-openai-mcp.ts:4"], id="imported"),
    # A script that only reads the file's text does not build it.
    pytest.param({"extract.cjs": 'const fs = require("fs");\nfs.readFileSync("temp-openai-mcp.ts", "utf8");\n'}, [], id="read-by-a-script"),
    # A tsconfig that includes everything, or says nothing of what it includes (a solution file's
    # `references`, an inherited `include`): every file may be built.
    pytest.param({"tsconfig.json": '{"include": ["src", "*.ts"]}'}, ["temp-openai-mcp.ts:4"], id="included"),
    pytest.param({"tsconfig.json": '{"extends": "../tsconfig.base.json", "compilerOptions": {"outDir": "dist"}}'},
                 ["temp-openai-mcp.ts:4"], id="inherited-include"),
    pytest.param({"tsconfig.json": '{"files": [], "references": [{"path": "./src"}]}'}, ["temp-openai-mcp.ts:4"], id="solution-file"),
])
def test_a_file_its_package_never_builds_is_not_linted(tmp_path: Path, extra: Dict[str, str], expected: List[str]) -> None:
    assert _env_reads_in_tool_code(tmp_path, {**SRC_ONLY, **extra}) == expected


def test_the_unbuilt_file_is_named_in_a_diagnostic(tmp_path: Path) -> None:
    _write(tmp_path, SRC_ONLY)
    result = run([tmp_path], Config(root=tmp_path, select=["MCP0101"], exclude=[]), jobs=1)
    assert [d.path for d in result.diagnostics if "never builds it" in d.message] == ["temp-openai-mcp.ts"]


# trippy-mcp: a registration wrapper whose callback wraps the handler it is given in a `try`; the
# handler at each call goes to another module's function.
WRAPPED = {
    "src/server.ts": (SDK + 'import * as t from "./tools.js";\n'
                      "function register(server: McpServer, name: string, handler: (a: unknown) => Promise<unknown>) {\n"
                      '  server.registerTool(name, { description: "d", inputSchema: {} }, async (args: unknown) => {\n'
                      "    try {\n      return { content: [{ type: \"text\" as const, text: JSON.stringify(CALL) }] };\n"
                      '    } catch (e) {\n      return { content: [{ type: "text" as const, text: "failed" }], isError: true };\n    }\n  });\n}\n'
                      'register(server, "activity", (a) => t.myActivity(a));\n'),
    "src/tools.ts": ("export async function myActivity(args: unknown): Promise<unknown> {\n"
                     '  try {\n    return await fetch("https://api.example/x");\n'
                     "  } catch (e) {\n    return { error: `history unavailable: ${e instanceof Error ? e.message : String(e)}` };\n  }\n}\n"),
}


@pytest.mark.parametrize("call, expected", [
    pytest.param("await handler(args)", ["src/tools.ts:5"], id="called-inside-the-try"),
    # A callback that never calls the handler it was given: the handler runs nowhere.
    pytest.param("{ name }", [], id="never-called"),
])
def test_the_handlers_a_wrapping_registrar_is_given_are_tool_code(tmp_path: Path, call: str, expected: List[str]) -> None:
    files = {**WRAPPED, "src/server.ts": WRAPPED["src/server.ts"].replace("CALL", call)}
    assert _env_reads_in_tool_code(tmp_path, files, code="MCP0405") == expected


def _write(root: Path, files: Dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_an_import_on_disk_but_not_analysed_resolves(tmp_path: Path) -> None:
    """`./generated/store.js` is excluded from the run but there on disk (another `generated/store`
    in the project does not make it a moved copy): the server loads."""
    _write(tmp_path, {"src/generated/store.ts": STORE, "generated/store.js": STORE,
                      "server.js": COPY_SERVER.replace("./lib/store.js", "./generated/store.js")})
    result = run([tmp_path], Config(root=tmp_path, select=["MCP0101"], exclude=["/generated/"]), jobs=1)
    assert [f"{f.path}:{f.location.line}" for f in result.findings] == ["server.js:5"]


def test_the_moved_copy_is_named_in_a_diagnostic(tmp_path: Path) -> None:
    _write(tmp_path, {"lib/store.js": STORE, "scripts/debug/server.js": COPY_SERVER})
    result = run([tmp_path], Config(root=tmp_path, select=["MCP0101"], exclude=[]), jobs=1)
    assert [d.path for d in result.diagnostics if "cannot load" in d.message] == ["scripts/debug/server.js"]
    assert not result.findings


def test_a_file_of_thousands_of_unresolved_imports_is_looked_at_a_bounded_number_of_times():
    """A generated or hostile file importing thousands of missing relative modules: only the
    first few are looked for elsewhere in the project (each look walks every file)."""
    from mcp_lint.typescript.project import displaced_import

    looked = []
    known = {f"src/m{i}.ts" for i in range(200)}
    specs = [f"./missing{i}.js" for i in range(5000)]
    assert displaced_import("src/server.ts", specs, known, lambda stem: looked.append(stem) or False) is None
    assert len(looked) <= 17
    assert displaced_import("scripts/x.ts", ["./lib/m1.js"], {"lib/m1.ts"}, lambda stem: False) == "./lib/m1.js"


# A registrar whose server parameter is typed with an alias another module declares
# (BigRedCloud/red-mcp-server: `export type ServerType = McpServer;`).
ALIASED_SERVER = {
    "src/server.ts": ('import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'
                      'import { registerTools } from "./tools.js";\n'
                      'export type ServerType = {aliased};\n'
                      'const server = new McpServer({ name: "s", version: "1" });\nregisterTools(server);\n'),
    "src/tools.ts": ('import type { ServerType as Srv } from "./server.js";\n'
                     "export function registerTools(server: Srv) {\n"
                     '  server.tool("get_key", "d", {}, async () => {\n'
                     f"    {READ}\n"
                     "    return { content: [{ type: \"text\", text: key }] };\n"
                     "  });\n}\n"),
}


@pytest.mark.parametrize("aliased, expected", [
    ("McpServer", ["src/tools.ts:4"]),
    ("import('node:http').Server", []),  # another library's server: no MCP tools on it
])
def test_a_server_parameter_typed_with_an_alias_of_another_module(tmp_path: Path, aliased: str, expected: List[str]) -> None:
    files = {rel: text.replace("{aliased}", aliased) for rel, text in ALIASED_SERVER.items()}
    assert _env_reads_in_tool_code(tmp_path, files) == expected

