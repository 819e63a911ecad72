"""Checklist item 9: a committed snapshot of the tools' schemas, and drift from it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, List, Optional

import libcst as cst

from mcp_lint import snapshot
from mcp_lint.literals import TOOLING_DIRS
from mcp_lint.reading import read_bytes
from mcp_lint.model import Finding, Location, Severity
from mcp_lint.python.project_model import from_other_package
from mcp_lint.reading import split_lines
from mcp_lint.rule import Invalid, PythonProjectRule, Valid

from . import is_repository, project_finding
from .ci import tool_snapshot_tests
from .practice import listed_tools, schema_folders, schema_maps, snapshot_files

SERVER = """
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")

@mcp.tool()
def search(query: str, limit: int = 10) -> str:
    \"\"\"Search the index.\"\"\"
    return query
"""
SEARCH_ENTRY = (
    '{"name": "search", "description": "Search the index.", "inputSchema": {"type": "object", "properties": '
    '{"query": {"type": "string"}, "limit": {"type": "integer", "default": 10}}, "required": ["query"]}}'
)
GIT = {".git/HEAD": "ref: refs/heads/main\n"}  # a Git checkout: repository-level rules apply
SNAPSHOT = '{"format": 1, "tools": [%s]}\n' % SEARCH_ENTRY
# A folder of per-tool input schemas, each file named after its tool (a test compares them).
OBJECT_SCHEMA = '{"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}\n'
PER_TOOL_SCHEMAS = {"tests/snapshots/search.json": OBJECT_SCHEMA, "tests/snapshots/fetch.json": OBJECT_SCHEMA}
# A generated API reference that records the tools/list result among other things.
API_REFERENCE = '{"server": {"name": "demo", "version": "1.0"}, "transport": {"type": "stdio"}, "tools": [%s], "prompts": []}\n' % SEARCH_ENTRY



# A test that runs over every tool definition: `for (const tool of allToolDefinitions)`,
# `tools.forEach((tool) =>`, `it.each(toolDefinitions)`, `for tool in TOOLS:`.
_EVERY_TOOL = re.compile(r"for\s*\(\s*(?:const|let|var)\s+\w*tool\w*\s+of\b|\w*tools?\w*\.forEach\(|\.each\(\s*\w*[Tt]ool|for\s+\w*tool\w*\s+in\b", re.I)



EVERY_TOOL_SNAPSHOT = """
import {{ allToolDefinitions }} from '../src/tools/index.js'
for ({loop}) {{
  it('keeps its schema', () => {{
    const jsonSchema = z.toJSONSchema(tool.inputSchema)
    expect(jsonSchema).toMatchSnapshot()
  }})
}}
"""

class _SnapshotFacts(PythonProjectRule):
    """Each file's statically computed tools (see `mcp_lint.snapshot`)."""

    kinds = ("python",)
    requires = ("tool", "Tool")
    needs = ("mcp code",)  # tools are handlers, or low-level ones in a file importing the SDK
    options = {"path": snapshot.DEFAULT_PATH}

    def leave_Module(self, original_node: cst.Module) -> None:
        locate = self.ctx.document.location
        self.facts = {"tools": snapshot.tools_in_module(original_node, self.model, locate),
                      "built": snapshot.tools_built_at_run_time(self.model, locate)}

    @staticmethod
    def tools(facts_by_path) -> List[snapshot.StaticTool]:
        found = [t for facts in facts_by_path.values() for t in facts.get("tools", ())]
        # The unit's own files first: a module imported from another package (`../core/...`)
        # may define tools of several servers; and the server's before a script's or an
        # example's (`scripts/list-tool-names.mjs` building a throwaway server to print names).
        return sorted(found, key=lambda t: (from_other_package(t.location.path), _tooling(t.location.path), t.location.path, t.location.line))

    @classmethod
    def snapshot_file(cls, project) -> str:
        return cls.project_option(project, "path")


def _tooling(path: str) -> bool:
    return bool(TOOLING_DIRS.intersection(path.split("/")[:-1]))


def _own_location(location: Location, project) -> Location:
    """A unit whose tools all come from another package's modules (`mcp.add_tool(scan)` of an
    imported function): the construction of its server, in its own files, when the model knows it."""
    model = getattr(project, "model", None) if from_other_package(location.path) else None
    own = sorted((s.rel, s.line) for s in model.servers.values() if not from_other_package(s.rel)) if model else []
    return Location(own[0][0], own[0][1], 1, own[0][1], 1) if own else location


class SchemaSnapshotMissing(_SnapshotFacts):
    """
    ## What it does
    Flags an MCP server project that registers tools but has no committed schema snapshot:
    neither `mcp-tools.snapshot.json` at the project root (or the file named by the `path`
    option), nor the checklist's own forms anywhere in the repository: a `schema-snapshot.sha256`,
    a `*.snapshot.json`, or a `tools/list` JSON (`tools_list.json`, `tools-list.json`,
    `tools-schema.json`, `tool_schemas_snapshot.json`), or any JSON file that holds a `tools/list`
    result (tool objects with `name` and `inputSchema`, or `input_schema` as `model_dump()`
    writes it, e.g. a generated API reference or a `.well-known` server card): under the
    package, or elsewhere in the repository when it lists every tool of this server. A folder
    of per-tool schema files named after the tools (`snapshots/search.json`), a JSON object
    holding each tool's input schema under its name (`{"search": {"type": "object", ...}}`,
    when it names every tool of this server) and a test that
    pins the tools with a committed snapshot (`expect(tools).toMatchSnapshot()`, syrupy's
    `assert tools == snapshot`, a loop over every tool definition snapshotting what it builds from
    each: `const jsonSchema = z.toJSONSchema(tool.inputSchema)`) count as snapshots too.

    Tools known only at run time count: names computed by handler classes
    (`types.Tool(name=self.name, ...)`, `server.registerTool(this.name, ...)` in a base tool
    class), handlers looked up by name in a loop (`TOOLS.forEach(t => server.tool(t.name, ...,
    HANDLERS[t.name]))`), and the tools a TypeScript `tools/list` handler lists, written in it,
    named as module constants (`tools: [SEARCH_TOOL]`) or spread from other modules
    (`tools: [...LOG_TOOLS]`). Reported once per server package, at the first tool
    registration. Only in a repository (a `.git` folder or CI workflows at the package root, or
    above it when the run spans that repository, e.g. `mcp-lint check .` at its root): loose
    folders of files are not nagged.

    ## Why is this bad?
    A tool's name and input schema are the server's public API: agents and clients are built
    against them. Without a committed baseline, renaming a tool or retyping a parameter ships
    unnoticed and breaks callers on the next deploy.

    ## Example
    A repository with `@mcp.tool()` functions and no snapshot file.

    ## Use instead
    ```sh
    mcp-lint snapshot            # writes mcp-tools.snapshot.json and its .sha256
    git add mcp-tools.snapshot.json mcp-tools.snapshot.json.sha256
    ```
    and run `mcp-lint snapshot --check` in CI.

    ## Options
    - `path`: the snapshot file, relative to the project root.
    """

    code = "MCP0901"
    name = "schema-snapshot-missing"
    item = 9
    severity = Severity.INFO
    summary = "MCP server has tools but no committed schema snapshot"
    fix_hint = "Run `mcp-lint snapshot`, commit the snapshot file and its .sha256, and gate CI on `mcp-lint snapshot --check`."

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        tools = cls.tools(facts_by_path)
        built = sorted((loc for facts in facts_by_path.values() for loc in facts.get("built", ())), key=lambda loc: (_tooling(loc.path), loc))
        path = cls.snapshot_file(project)
        if not (tools or built) or (Path(project.root) / path).exists() or not is_repository(project):
            return
        if snapshot_files(Path(project.root)):
            return  # the checklist's own form: a committed tools/list JSON or schema-snapshot.sha256
        repository, names = Path(project.repository or project.root), {t.name for t in tools}
        recorded = (*listed_tools(str(repository)), *schema_folders(str(repository)), *schema_maps(str(repository)))
        if any(names <= listed for _, listed in recorded):
            return  # a tools/list JSON, per-tool schema files or a map of schemas by tool name records every tool of this server
        if any(not names or any(n in t for n in names) or _EVERY_TOOL.search(t) for t in tool_snapshot_tests(Path(project.root))):
            return  # a test of these tools (or of every tool, in a loop) pins them with a committed snapshot
        if not tools:
            message = (f"the server has tools known only at run time ({len(built)} place(s): computed names such as "
                       "`Tool(name=self.name)`, handlers looked up by name, tool lists from other modules) but no "
                       f"schema snapshot `{path}` is committed; a static snapshot cannot name them: commit the tools/list "
                       "result of the running server and compare it in a test")
            yield project_finding(cls, built[0], message)
            return
        names = ", ".join(f"`{t}`" for t in sorted({t.name for t in tools})[:5])
        message = f"the server registers {len(tools)} tool(s) ({names}{', ...' if len(tools) > 5 else ''}) but no schema snapshot `{path}` is committed"
        yield project_finding(cls, _own_location(tools[0].location, project), message)

    VALID = [
        Valid(SERVER, files={**GIT, "mcp-tools.snapshot.json": SNAPSHOT}),
        Valid("from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('empty')\n", files=GIT),
        Valid(SERVER),
        Valid(SERVER, files={"api/tools.snapshot.json": SNAPSHOT}, options={"path": "api/tools.snapshot.json"}),
        Valid(SERVER, files={**GIT, "schema-snapshot.sha256": "3f1c0a  tools.json\n"}),
        Valid(SERVER, files={**GIT, "tests/data/tools_list.json": SNAPSHOT}),
        Valid(SERVER, files={**GIT, **PER_TOOL_SCHEMAS}),  # one schema file per tool, named after it
        # each tool's input schema under its name, in one file (claude-prompts-mcp)
        Valid(SERVER, files={**GIT, "server/tests/snapshots/mcp-input-schemas.json": '{"search": %s, "fetch": %s}' % (OBJECT_SCHEMA, OBJECT_SCHEMA)}),
        Valid(SERVER, files={**GIT, ".well-known/mcp/server-card.json": API_REFERENCE}),  # a server card listing the tools
        Valid(SERVER, files={**GIT, "tests/test_tools.py": "def test_tools(tools, snapshot):\n    assert [t.inputSchema for t in tools if t.name == 'search'] == snapshot\n"}),
        Valid(SERVER, files={**GIT, "docs/reference/api.json": API_REFERENCE}),  # a tools/list JSON by content
        # a test over every tool definition, snapshotting a local built from each (rethunk-mcp-ts)
        Valid(SERVER, files={**GIT, "tests/schemas.test.ts": EVERY_TOOL_SNAPSHOT.format(loop="const tool of allToolDefinitions")}),
        Valid(SERVER, path="plugins/search/server.py", files={**GIT, "plugins/search/pyproject.toml": "[project]\nname = 'search'\n", "docs/reference/api.json": API_REFERENCE}),
        Valid("from pydantic_ai import Agent\n\nagent = Agent('x')\n\n@agent.tool\ndef look(ctx, q: str) -> str:\n    return q\n"),
    ]
    INVALID = [
        # ... not a loop over something else, snapshotting what it renders, nor the tools' descriptions alone
        Invalid(SERVER, files={**GIT, "tests/schemas.test.ts": EVERY_TOOL_SNAPSHOT.format(loop="const tool of allToolDefinitions").replace(
            "z.toJSONSchema(tool.inputSchema)", "{ name: tool.name, description: tool.description }")}),
        Invalid(SERVER, files={**GIT, "tests/schemas.test.ts": EVERY_TOOL_SNAPSHOT.format(loop="const page of allPages").replace("tool.inputSchema", "page.html")}),
        Invalid(  # tools built by handler classes, named at run time
            """
            from mcp.server import Server
            from mcp.types import Tool

            server = Server("gsuite")

            class QueryEmails:
                name = "query_gmail_emails"

                def description(self) -> Tool:
                    return Tool(name=self.name, description="Query emails", inputSchema={"type": "object"})

            HANDLERS = {h.name: h for h in [QueryEmails()]}

            @server.list_tools()
            async def list_tools() -> list[Tool]:
                return [h.description() for h in HANDLERS.values()]
            """,
            files=GIT, line=10, message="known only at run time",
        ),
        Invalid(SERVER, files=GIT, line=5, message="no schema snapshot `mcp-tools.snapshot.json`"),
        # at the server's tool, not at a script's copy that only prints the tool names
        Invalid(SERVER, path="src/server.py", files={**GIT, "scripts/list_tools.py": SERVER}, line=5),
        # object schemas by name that are not this server's tools (data models)
        Invalid(SERVER, files={**GIT, "schemas/models.json": '{"User": %s, "Order": %s}' % (OBJECT_SCHEMA, OBJECT_SCHEMA)}, line=5),
        Invalid(  # tools registered in a loop over a table the file does not show
            """
            from mcp.server.fastmcp import FastMCP
            from .tools import TOOLS

            def register_tools(mcp: FastMCP) -> None:
                for tool in TOOLS:
                    func = tool.func
                    mcp.tool(name=tool.name, description=func.__doc__)(func)
            """,
            files=GIT, line=7, message="known only at run time",
        ),
        Invalid(SERVER, files={**GIT, "tests/test_render.py": "def test_render(snapshot):\n    assert render('x') == snapshot\n"}),  # pins something else
        Invalid(SERVER, files={**GIT, "tests/test_docs.py": "def test_docs(tools, snapshot):\n    assert [t for t in tools if t.name == 'lookup'] == snapshot\n"}),  # another server's tool
        Invalid(SERVER, files={**GIT, **{p.replace("search", "settings"): t for p, t in PER_TOOL_SCHEMAS.items()}}),  # not this server's tools
        Invalid(SERVER.replace("@mcp.tool()", "@mcp.tool"), files={**GIT, "docs/tools.md": "# Tools\n- search\n"}),
        Invalid(SERVER, files={**GIT, "docs/reference/api.json": API_REFERENCE.replace('"inputSchema"', '"arguments"')}),  # names only
        Invalid(  # another package's reference lists other tools (a namesake is not this server's record)
            SERVER + "\n@mcp.tool()\ndef fetch(url: str) -> str:\n    return url\n", path="plugins/search/server.py",
            files={**GIT, "plugins/search/pyproject.toml": "[project]\nname = 'search'\n", "docs/reference/api.json": API_REFERENCE},
        ),
        Invalid(
            """
            from fastmcp import FastMCP as F

            def register(server: F) -> None:
                def lookup(key: str) -> str:
                    return key

                server.add_tool(lookup)
            """,
            files={".gitlab-ci.yml": "test:\n  script:\n    - pytest\n"},
            line=4,
        ),
    ]


class SchemaSnapshotDrift(_SnapshotFacts):
    """
    ## What it does
    Compares the tools computed statically from the code with the committed snapshot (see
    `mcp-lint snapshot`) and reports each difference at the tool's registration (the snapshot
    file for a removed tool), with the snapshot as related location. Breaking changes (tool
    removed or renamed, parameter removed, renamed or retyped, parameter newly required) are
    errors; additive ones (tool added, optional parameter added, description changed) warnings.

    ## Why is this bad?
    Clients and agents call tools by name with arguments shaped by the published schema. A
    breaking change deployed without a deliberate snapshot update breaks them; even additive
    changes deserve a reviewed diff of the baseline.

    ## Example
    The snapshot says `limit` is an integer; the code now reads `limit: str = "10"`.

    ## Use instead
    Revert the change, or review it and regenerate the baseline with `mcp-lint snapshot`
    (committing the new snapshot makes the change visible in code review).

    ## Options
    - `path`: the snapshot file, relative to the project root.
    """

    code = "MCP0902"
    name = "schema-snapshot-drift"
    item = 9
    severity = Severity.ERROR
    summary = "Tool schemas differ from the committed snapshot"
    fix_hint = "Revert the schema change, or review it and run `mcp-lint snapshot` to update the committed baseline."

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        tools = cls.tools(facts_by_path)
        path = cls.snapshot_file(project)
        target = Path(project.root) / path
        data, _ = read_bytes(target, root=Path(project.root))  # regular files inside the project only
        if data is None:
            return  # MCP0901 reports a missing snapshot
        text = data.decode("utf-8", "replace")
        where = Location(path, 1, 1, 1, 1, "the committed schema snapshot")
        try:
            committed = snapshot.load(text)
        except ValueError as exc:
            yield project_finding(cls, where, f"the schema snapshot `{path}` cannot be read: {exc}")
            return
        current = snapshot.load(snapshot.render(snapshot.canonical(tools)))
        located = {t.name: t.location for t in reversed(tools)}
        for change in snapshot.diff(committed, current):
            location = located.get(change.tool) or _line_of(text, change.tool, path) or where
            severity = Severity.ERROR if change.breaking else Severity.WARNING
            message = f"{change.text}, compared with `{path}`"
            yield project_finding(cls, location, message, severity=severity, related=[where])

    VALID = [
        Valid(SERVER, files={"mcp-tools.snapshot.json": SNAPSHOT}),
        Valid(SERVER),
        Valid(
            SERVER.replace("def search(", "def search(  ").replace("return query", "return query.strip()"),
            files={"mcp-tools.snapshot.json": SNAPSHOT},
        ),
        Valid(
            """
            import mcp.types as types
            from mcp.server.lowlevel import Server

            server = Server("demo")

            @server.list_tools()
            async def list_tools():
                return [types.Tool(name="search", description="Search the index.", inputSchema={"type": "object", "properties": {"query": {"type": "string"}, "limit": {"type": "integer", "default": 10}}, "required": ["query"]})]
            """,
            files={"mcp-tools.snapshot.json": SNAPSHOT},
        ),
    ]
    INVALID = [
        Invalid(
            SERVER.replace("limit: int = 10", 'limit: str = "10"'),
            files={"mcp-tools.snapshot.json": SNAPSHOT},
            line=5,
            message="tool `search`, parameter `limit`: parameter retyped",
            severity="error",
        ),
        Invalid(
            SERVER.replace("limit: int = 10", "limit: int"),
            files={"mcp-tools.snapshot.json": SNAPSHOT},
            message="parameter newly required",
        ),
        Invalid(
            SERVER + '\n@mcp.tool()\ndef fetch(url: str = "") -> str:\n    return url\n',
            files={"mcp-tools.snapshot.json": SNAPSHOT},
            line=10,
            message="tool `fetch`: tool added",
            severity="warning",
        ),
        Invalid(
            '{"format": 1, "tools": [%s, {"name": "gone", "description": "", "inputSchema": {"type": "object", "properties": {"id": {"type": "integer"}}}}]}\n'
            % SEARCH_ENTRY,
            path="mcp-tools.snapshot.json",
            files={"server.py": SERVER},
            message="tool `gone`: tool removed",
        ),
    ]


def _line_of(text: str, tool: str, path: str) -> Optional[Location]:
    """Where the snapshot lists a tool that the code no longer registers."""
    needle = f'"name": "{tool}"'
    for number, line in enumerate(split_lines(text), start=1):
        column = line.find(needle)
        if column >= 0:
            return Location(path, number, column + 1, number, column + 1 + len(needle), "")
    return None
