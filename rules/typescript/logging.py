"""Checklist item 7 for TypeScript: no stdout writes in stdio servers, no tool arguments in
logs, structured logs for HTTP servers."""

from __future__ import annotations

import re
from typing import Iterable

from mcp_lint.documents.typescript import walk
from mcp_lint.model import Finding, Severity
from mcp_lint.python.argument_kinds import IDENTIFIER, PAYLOAD, kind_of_name, rank
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.log_calls import STDOUT_CONSOLE, argument_uses, log_call, written_by_helper, written_whole
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.module_use import EVERYTHING, LOAD, live, module_use, owner
from mcp_lint.typescript.project import base_facts, not_shipped, owned_elsewhere, relative_stem, resolve, tsconfig_aliases
from mcp_lint.typescript.rule import TypeScriptProjectRule, TypeScriptRule
from mcp_lint.typescript.schemas import NON_TEXT_ZOD, holds_no_text, schema_objects, schema_pairs, schema_root
from mcp_lint.typescript.syntax import arguments, enclosing_function, last_name, parameters, unwrap, within
from mcp_lint_rules.typescript.cases import RUNNER, RUNNER_LINE, RUNNER_PATH, library_alone, served_library

# Libraries that write one JSON object per record (pino-pretty is handled per logger).
STRUCTURED_LOGGING = re.compile(r"^(pino(-http)?|bunyan|mongodb-log-writer|@aws-lambda-powertools/logger|@logtape/logtape|@google-cloud/logging(-winston)?)$")
_STRUCTURED_TEXT = re.compile(r"['\"](?:" + STRUCTURED_LOGGING.pattern.strip("^$") + r"|winston)['\"]")
_HTTP_CONTEXT = re.compile(
    r"\.listen\(|express\(|createServer\(|StreamableHTTPServerTransport|SSEServerTransport|httpStream|\bapp\.(get|post|all|use)\("
    r"|\b(?:Bun|Deno)\.serve\(|\bserve\(\s*\{[^)]*\bfetch\b"  # Hono's node-server `serve({ fetch: app.fetch, port })`, Bun, Deno
)


def _exits_after(model, call) -> bool:
    """A write followed, in the same block or an enclosing one, by a `process.exit(...)`
    statement, or by a `return` from the function that starts the stdio transport further
    down: usage, `--help`, `--version` or `--list-tools` output that ends the process before
    the server starts."""
    node = call
    for _ in range(8):
        block = node.parent
        while block is not None and block.type not in ("statement_block", "program", "switch_case"):
            block = block.parent
        if block is None or block.type == "program":
            return False
        for statement in block.named_children:
            if statement.start_byte <= call.end_byte:
                continue
            if statement.type == "expression_statement" and model.doc.source.startswith(b"process.exit(", statement.start_byte):
                return True
            if statement.type == "return_statement" and _stdio_started_after(model, statement):
                return True
        node = block
    return False


def _called_only_before_exit(model, node, memo: dict, depth: int = 0) -> bool:
    """The write is in a function of this file (not exported) that runs only where the process
    then ends: `printHelp()` called from nothing but `case "--help": printHelp(); process.exit(0);`
    (or from another such function). `memo`: answers per function, for the file's other writes."""
    function = enclosing_function(node)
    if depth == 0 and function is not None and function.id in memo:
        return memo[function.id]
    answer = _only_before_exit(model, function, memo, depth)
    if depth == 0 and function is not None:
        memo[function.id] = answer
    return answer


def _only_before_exit(model, function, memo: dict, depth: int) -> bool:
    name = next((n for n, found in model.functions_by_name.items() if function in found), None) if function is not None else None
    if not name or depth > 2 or (function.parent is not None and function.parent.type == "export_statement"):
        return False
    calls = [c for c in model.nodes("call_expression") if model.callee(c) == name]
    mentions = len(re.findall(rb"(?<![\w$.])%s(?![\w$])" % re.escape(name.encode()), model.doc.source))
    if not calls or mentions != len(calls) + 1:  # named once where it is declared, then only called (a comment naming it: kept)
        return False
    return all(_exits_after(model, c) or _called_only_before_exit(model, c, memo, depth + 1) for c in calls)


def _stdio_started_after(model, statement) -> bool:
    """The function `statement` returns from starts the stdio transport after it."""
    function = enclosing_function(statement)
    return function is not None and any(
        kind == "stdio" and statement.end_byte <= node.start_byte < function.end_byte and enclosing_function(node) == function
        for kind, node in model.transports
    )


# What a test that holds only on a terminal names, as in the Python rule (`TERMINAL_TESTS`).
_TERMINAL_TEST = re.compile(r"^(?:[\w.]+\.)?(?:isTTY|isatty\(\w*\)|isInteractive|interactive)$")


def _terminal_only(model, node) -> bool:
    """Inside the then-arm of `if (process.stdout.isTTY)` (or an `&&` with such an operand):
    a person at a terminal reads it; an MCP client's pipe is no TTY, so it never runs there."""
    branch = node.parent
    while branch is not None:
        if branch.type == "if_statement" and within(node, branch.child_by_field_name("consequence")):
            condition = model.text(branch.child_by_field_name("condition")).strip("() \n")
            if any(_TERMINAL_TEST.match(part.strip("() \n")) for part in condition.split("&&")):
                return True
        branch = branch.parent
    return False


def _in_http_context(model, node) -> bool:
    """Inside a function that serves HTTP (an HTTP branch of a dual-transport entry point, a
    route handler, a `listen` callback)."""
    func = enclosing_function(node)
    while func is not None:
        parent = func.parent
        if parent is not None and parent.type == "arguments":
            call = parent.parent
            name = model.callee(call) if call is not None else ""
            if last_name(name) in ("listen", "get", "post", "all", "use", "put", "delete", "on"):
                return True
        if _HTTP_CONTEXT.search(model.text(func)) and "StdioServerTransport" not in model.text(func):
            return True
        func = enclosing_function(func)
    branch = node.parent
    while branch is not None:
        if branch.type == "if_statement" and (_http_side(model, branch, node) or _other_arm_serves_stdio(model, branch, node)):
            return True
        if branch.type == "switch_case" and re.search(r"http|sse", model.text(branch.child_by_field_name("value")), re.IGNORECASE):
            return True
        branch = branch.parent
    return False


def _http_side(model, branch, node) -> bool:
    """Whether `node` is on the HTTP side of `if (isStdio) ... else ...` / `if (useHttp) ...`."""
    condition = model.text(branch.child_by_field_name("condition"))
    consequence = branch.child_by_field_name("consequence")
    in_then = consequence is not None and consequence.start_byte <= node.start_byte < consequence.end_byte
    negated = bool(re.match(r"\(\s*!", condition)) or "!==" in condition or "=== false" in condition
    if re.search(r"stdio", condition, re.IGNORECASE):
        return in_then == negated
    if re.search(r"http|sse|remote|port|listen", condition, re.IGNORECASE):
        return in_then != negated
    return False


def _other_arm_serves_stdio(model, branch, node) -> bool:
    """`if (deployCommand) { console.log(...) } else { serveStdio(...) }`: the arm the write is
    in never runs in the process that serves stdio, which the other arm starts."""
    consequence, alternative = branch.child_by_field_name("consequence"), branch.child_by_field_name("alternative")
    if consequence is None or alternative is None:
        return False
    mine, other = (consequence, alternative) if within(node, consequence) else (alternative, consequence)
    stdio = [t for kind, t in model.transports if kind == "stdio"]  # the model's stdio transports
    return any(within(t, other) for t in stdio) and not any(within(t, mine) for t in stdio)


def stdout_writes(model) -> Iterable[tuple]:
    """(node, message) for each write to standard output in the file."""
    exit_only: dict = {}  # function node id -> called only where the process then ends
    for call in model.nodes("call_expression"):
        name = model.callee(call)
        if name.startswith("console.") and last_name(name) in STDOUT_CONSOLE and name.count(".") == 1:
            message = f"`{name}` writes to stdout, the stdio server's protocol stream; use `console.error`"
        elif name == "process.stdout.write":
            message = "`process.stdout.write` writes into the stdio server's protocol stream"
        else:
            continue
        if _exits_after(model, call) or _in_http_context(model, call) or _terminal_only(model, call) \
                or _called_only_before_exit(model, call, exit_only):
            continue
        yield call, message
    for logger in model.loggers.values():
        if logger.stdout:
            yield logger.node, f"{logger.library} logger writes to stdout by default, the stdio server's protocol stream; send it to stderr (fd 2)"


def _writers(model, node):
    """Where the write at `node` runs (module_use.owner); for a logger the module keeps to itself
    (`const logger = pino()`, not exported), where it is used: building it writes nothing, and
    a logger used only by an HTTP transport's class writes nothing in a stdio process."""
    logger = next((l for l in model.loggers.values() if l.node is node), None)
    if logger is None or not logger.name or model.exported_value(logger.name) is not None:
        return owner(node)
    uses = [n for n in walk(model.doc.tree.root_node)  # identifiers are not indexed: one walk, for a file that builds a logger
            if n.type in ("identifier", "shorthand_property_identifier") and model.text(n) == logger.name and n.parent is not None and n.parent.type != "variable_declarator"]
    return tuple(dict.fromkeys(owner(n) for n in uses))  # a call on it, or handing it on (`pinoHttp({ logger })`)


def _redirects_console(model) -> bool:
    """`console.log = console.error` (or to a stderr writer): later writes are safe."""
    return any(model.text(node.child_by_field_name("left")) in ("console.log", "console.info", "console.debug")
               for node in model.nodes("assignment_expression"))


def _filters_stdout(model) -> bool:
    """`process.stdout.write = (chunk, ...) => ...`: the project replaces the stream's writer
    (to drop what is not a JSON-RPC message, or to send it to stderr). Installed before the
    transport connects, it guards what tool code writes, not what ran before it."""
    return any(model.text(node.child_by_field_name("left")) == "process.stdout.write"
               for node in model.nodes("assignment_expression"))


# A command-line mode in one arm of an `if`, the stdio server in the other.
DEPLOY_OR_SERVE = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    import {{ StdioServerTransport }} from "@modelcontextprotocol/sdk/server/stdio.js";
    if (process.argv.includes("--deploy")) {{
      {deploy}
    }} else {{
      {serve}
      await new McpServer({{ name: "n", version: "1" }}).connect(new StdioServerTransport());
    }}
"""


CLI_MODULE = """
    import { Command } from "commander";
    export async function runCli(args: string[]) {
      new Command().command("repos").action(async () => { console.log(await listRepos()); }).parse(args, { from: "user" });
    }
"""
CLI_MODE_ENTRY = (
    "import {{ runCli }} from './cli/index.js';\n"
    "import {{ StdioServerTransport }} from '@modelcontextprotocol/sdk/server/stdio.js';\n"
    "async function startServer() {{ await server.connect(new StdioServerTransport()); }}\n"
    "async function main() {{\n"
    "  if (process.argv.length > 2) {{\n    await runCli(process.argv.slice(2));\n    {end}\n  }}\n"
    "  await startServer();\n}}\n"
    "main();\n"
)
CLI_COMMANDS = """
    import {{ Command }} from "commander";
    function register(program: Command) {{ program.command("diff").action(async () => {{ console.log(await diff()); }}); }}
    {export}
"""
CLI_COMMAND_FILES = {
    "src/cli/index.ts": "import diffCli from './diff.cli.js';\nimport { Command } from 'commander';\n"
                        "export async function runCli(args: string[]) {\n  const program = new Command();\n  diffCli.register(program);\n  program.parse(args);\n}\n",
    "src/index.ts": CLI_MODE_ENTRY.format(end="return;"),
}
SETUP_MODULE = """
    export async function runSetupWizard() { console.log("Welcome to the setup wizard"); }
"""
HTTP_TRANSPORT_MODULE = """
    import pino from "pino";
    const logger = pino({{ level: "info" }});
    {load}
    export async function createHttpTransport(server: Server) {{
      logger.info("listening");
      return new StreamableHTTPServerTransport({{ sessionIdGenerator: undefined }});
    }}
"""
TRANSPORT_SWITCH = (
    "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n"
    "import { createHttpTransport } from './transports/http.js';\n"
    "let transport;\n"
    "switch (config.transport) {\n"
    "  case 'stdio':\n    transport = new StdioServerTransport();\n    break;\n"
    "  case 'http':\n    transport = await createHttpTransport(server);\n    break;\n"
    "}\n"
    "await server.connect(transport);\n"
)
DOCTOR_MODULE = """
    export async function runDoctor() { console.log("checking the session"); return 0; }
"""
DOCTOR_ENTRY = (
    "import {{ runDoctor }} from './lib/doctor.js';\n"
    "import {{ StdioServerTransport }} from '@modelcontextprotocol/sdk/server/stdio.js';\n"
    "async function main() {{ await server.connect(new StdioServerTransport()); }}\n"
    "const command = {command};\n"
    "if (command === 'doctor') {{\n  runDoctor().then((code) => process.exit(code));\n}} else {{\n  main();\n}}\n"
)
DISPATCH_ENTRY = (
    "import {{ runSetupWizard }} from './cli/setup.js';\n"
    "import {{ StdioServerTransport }} from '@modelcontextprotocol/sdk/server/stdio.js';\n"
    "async function handleCliCommand(args: string[]) {{\n  switch (args[0]) {{\n    {case}\n      break;\n    default:\n      return undefined;\n  }}\n}}\n"
    "const args = process.argv.slice(2);\n"
    "if (args.length > 0) {{\n  await handleCliCommand(args);\n  if (args[0].startsWith('-')) process.exit(0);\n}}\n"
    "await server.connect(new StdioServerTransport());\n"
)
HELP_IN_ENTRY = (
    "import {{ StdioServerTransport }} from '@modelcontextprotocol/sdk/server/stdio.js';\n"
    "function printHelp(): void {{ console.log('usage: cli-to-mcp [options]'); }}\n"
    "function parseArgs(args: string[]) {{\n  for (const arg of args) {{\n    switch (arg) {{\n{other}"
    "      case '--help':\n        printHelp();\n        process.exit(0);\n    }}\n  }}\n}}\n"
    "parseArgs(process.argv.slice(2));\nawait server.connect(new StdioServerTransport());\n"
)
DEDUPLICATOR = """
    export class RequestDeduplicator {
      private hits = 0;
      async run(key: string, work: () => Promise<unknown>) { this.hits++; return work(); }
      logMetrics() { console.log(`hits: ${this.hits}`); }
    }
"""
DEDUPLICATOR_SERVER = (
    "import {{ RequestDeduplicator }} from './utils/dedup.js';\n"
    "import {{ StdioServerTransport }} from '@modelcontextprotocol/sdk/server/stdio.js';\n"
    "const dedup = new RequestDeduplicator();\nawait dedup.run('k', fetchNotes);\n{call}\n"
    "await server.connect(new StdioServerTransport());\n"
)

# A barrel re-exporting a core (robinsonai's paid-agent `core/agent-core/index.ts`): the server
# imports one runner from it; the batch runner beside it prints.
BATCH = 'export function runBatch(jobs: string[]) {\n  console.log(`running ${jobs.length} jobs`);\n}\n'
BARREL_FILES = {
    "src/core/runner.ts": "export function runTask(task: string) {\n  return task.trim();\n}\n",
    "src/server.ts": ("{imports}"
                      "import {{ StdioServerTransport }} from '@modelcontextprotocol/sdk/server/stdio.js';\n"
                      "server.tool('run', {{}}, async () => ({{ content: [{{ type: 'text', text: {call} }}] }}));\n"
                      "await server.connect(new StdioServerTransport());\n"),
}


def _barrel(barrel: str, taken: str, call: str) -> dict:
    """The server takes `taken` from the barrel (nothing statically when empty) and answers `call`."""
    imports = f"import {{ {taken} }} from './core/index.js';\n" if taken else ""
    return {**BARREL_FILES, "src/core/index.ts": barrel, "src/server.ts": BARREL_FILES["src/server.ts"].format(imports=imports, call=call)}


STAR_BARREL = "export * from './runner.js';\nexport * from './batch.js';\n"


class TsStdoutWriteInStdioServer(TypeScriptProjectRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags `console.log/info/debug/dir/table/count/group/time*`,
    `process.stdout.write`, and pino/winston/bunyan loggers left on their default stdout
    destination, in modules reachable (over relative imports) from a file that starts a stdio
    transport (`new StdioServerTransport()`, `serveStdio`, fastmcp `start({transportType: "stdio"})`).
    Of a module imported by name only the imported functions, what they mention and its
    load-time code count (a CLI's prompts beside the one helper the server imports do not),
    also through a barrel (`export * from "./batch.js"`, `export { runTask } from "./runner.js"`:
    only the names importers take through it reach the modules it re-exports; what the server's
    own entry re-exports for the package's importers runs nothing), and of a
    dynamic import the names it destructures (`const { runTask } = await import("./core/index.js")`);
    of an imported class, the methods some module of the process calls (every method of a class
    that extends or implements another: a framework may call them); of a logger a module keeps
    to itself (not exported), the code that uses it (building it writes nothing).
    `console.error/warn/trace` go to stderr and are fine. Writes in HTTP-only code (route handlers,
    `listen` callbacks, functions that start Hono's `serve({ fetch })`, `Bun.serve` or `Deno.serve`, HTTP branches of dual-transport entry points), writes in the arm of an
`if` whose other arm starts the stdio transport (a deploy or CLI mode), or in the case of a transport
    `switch` that builds an HTTP transport beside the `stdio` case (and what it calls in other modules), usage/help output that exits
    the process (or returns from the function before it starts the stdio transport; so does what
    such a branch calls in other modules: `if (argv.length > 2) { await runCli(argv); return; }`), commands of a
    command-line dispatcher (`case "--setup": await runSetupWizard();`, or any word compared with the command line
    itself: `if (command === "doctor")` where `command = process.argv[2]`; not a branch that starts the server or a
    flag that picks a transport or a log level), a function of the module that only such exiting branches call, and projects that redirect `console.log = console.error` are not reported. In
    a project that replaces `process.stdout.write` with a filter (installed before the transport
    connects), writes in tool code are not reported; writes at startup (top-level code and the
    functions it calls, also when tools call them later) still are.

    ## Example
    ```ts
    const server = new McpServer({ name: "notes", version: "1.0.0" });
    console.log("starting notes server");
    await server.connect(new StdioServerTransport());
    ```

    ## Use instead
    ```ts
    console.error("starting notes server");
    const logger = pino({}, pino.destination(2));
    ```
    """

    code = "MCP0703"
    fix_hint = "Use `console.error` (stderr), or point the logger at fd 2 (`pino({}, pino.destination(2))`)."

    VALID = (
        Valid(DEPLOY_OR_SERVE.format(deploy='console.log("deploying...");', serve=""), path="src/index.ts"),  # the other arm serves (netlify-mcp)
        # `--version` printed, then `main` returns before it starts the stdio transport.
        Valid("""
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            async function main() {
              const flag = startupFlag(process.argv.slice(2));
              if (flag !== null) {
                console.log(flag);
                return;
              }
              await server.connect(new StdioServerTransport());
            }
            main();
        """, path="src/index.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            const server = new McpServer({ name: "n", version: "1" });
            console.error("ready");
            console.warn("careful");
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            if (process.argv.includes("--help")) {
              console.log("usage: notes-mcp");
              process.exit(0);
            }
            const server = new McpServer({ name: "n", version: "1" });
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts"),
        Valid("""
            import express from "express";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            async function runHttp() {
              const app = express();
              app.listen(3000, () => console.log("listening on 3000"));
            }
            async function runStdio() { await server.connect(new StdioServerTransport()); }
            if (process.env.TRANSPORT === "http") { await runHttp(); } else { await runStdio(); }
        """, path="src/index.ts"),
        # The HTTP mode of a `switch` on the transport, in a module of its own (legislation-mcp-ts, Hono).
        Valid("""
            import { serve } from "@hono/node-server";
            export async function startHttpServer() {
              console.log(`MCP endpoint: http://localhost:${port}/mcp`);
              serve({ fetch: app.fetch, port });
            }
        """, path="src/transports/http.ts", files={"src/index.ts": """
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            import { startHttpServer } from "./transports/http.js";
            switch (process.env.MCP_TRANSPORT || "stdio") {
              case "http": await startHttpServer(); break;
              default: await server.connect(new StdioServerTransport());
            }
        """}),
        Valid("""
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            function listTools() {
              console.log("Available tools — résumé:");
              tools.forEach((tool) => { console.log(`- ${tool.name}`); });
              process.exit(0);
            }
            if (argv.listTools) listTools();
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts"),
        Valid("""
            import pino from "pino";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            const logger = pino({ level: "info" }, pino.destination(2));
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts"),
        # A destination stream as the only argument: the process's stderr (pulumi/mcp-server).
        Valid("""
            import { pino } from "pino";
            import { stderr } from "process";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            export const logger = pino(pino.destination(stderr));
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts"),
        # A transport that writes to a file (or to fd 2) keeps stdout clean.
        Valid("""
            import pino from "pino";
            import path from "path";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            const audit = pino({
              transport: { target: "pino/file", options: { destination: path.join(logDir, "audit.log"), mkdir: true } },
            });
            const logger = pino({ level: "info" }, pino.destination({ dest: 2, sync: false }));
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts"),
        Valid("""
            export function helper() { console.log("this module is not imported by the stdio entry"); }
        """, path="src/unused.ts", files={"src/index.ts": "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nawait server.connect(new StdioServerTransport());\n"}),
        # The entry re-exports the module's types only: TypeScript erases that, nothing loads it.
        Valid("""
            export interface WebhookHandler { handle(body: string): Promise<void> }
            console.log("webhook server starting");
        """, path="src/webhook.ts", files={"src/index.ts": "export type { WebhookHandler } from './webhook.js';\nexport { type WebhookHandler as Handler } from './webhook.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nawait server.connect(new StdioServerTransport());\n"}),
        # The server takes one helper from the CLI's terminal module; its prompts never run
        # there (the class is built at load time, but its methods run only when called).
        Valid("""
            class Terminal {
              private frames = ["-", "\\\\"];
              output(text: string) { process.stdout.write(text); return true; }
            }
            const terminal = new Terminal();
            export const maskTenantName = (name: string) => name.replace(/^(.{3}).*/, "$1***");
            export function cliOutput(text: string) { console.log(text); }
            export const startSpinner = (text: string) => terminal.output(text);
            export const promptForChoice = async (choices: string[]) => { process.stdout.write(choices.join("\\n")); };
        """, path="src/utils/terminal.ts", files={
            "src/server.ts": "import { maskTenantName } from './utils/terminal.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nconsole.error(maskTenantName(tenant));\nawait server.connect(new StdioServerTransport());\n",
        }),
        # A command-line mode that returns before `main` starts the server (bitbucket's `runCli`).
        Valid(CLI_MODULE, path="src/cli/index.ts", files={"src/index.ts": CLI_MODE_ENTRY.format(end="return;")}),
        # ... whose commands sit in modules exporting `{ register }` objects: loading one calls nothing.
        Valid(CLI_COMMANDS.format(export="export default { register };"), path="src/cli/diff.cli.ts", files=CLI_COMMAND_FILES),
        # A method of an imported class that no module of the process calls (obsidian-mcp-ts's
        # `RequestDeduplicator.logMetrics`, called by tests only).
        Valid(DEDUPLICATOR, path="src/utils/dedup.ts", files={"src/server.ts": DEDUPLICATOR_SERVER.format(call="")}),
        # Of a barrel, only what the server takes through it runs (`export *`, `export { a } from`).
        Valid(BATCH, path="src/core/batch.ts", files=_barrel(STAR_BARREL, "runTask", "runTask('x')")),
        Valid(BATCH, path="src/core/batch.ts", files=_barrel("export { runTask } from './runner.js';\nexport { runBatch } from './batch.js';\n", "runTask", "runTask('x')")),
        Valid(BATCH, path="src/core/batch.ts", files=_barrel(
            STAR_BARREL, "", "await (async () => { const { runTask: run } = await import('./core/index.js'); return run('x'); })()")),
        # `--help` output of another module, called only in branches that end the process
        # (Hack23's European Parliament server), or in a comment.
        Valid("""
            export function showHelp() { console.log("usage: ep-mcp [--help]"); }
            /** @example if (parseArgs(argv).help) showHelp(); */
            export function parseArgs(argv: string[]) { return { help: argv.includes("--help") }; }
        """, path="src/cli.ts", files={
            "src/index.ts": "import { showHelp, parseArgs } from './cli.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n"
                            "const opts = parseArgs(process.argv);\nif (opts.help) {\n  showHelp();\n  process.exit(0);\n}\nawait server.connect(new StdioServerTransport());\n",
        }),
        # ... also when the server's entry re-exports another helper of that module for the
        # package's importers: the re-export runs nothing (the same server's `sanitizeUrl`).
        Valid("""
            export function showHelp() { console.log("usage: ep-mcp [--help]"); }
            export function parseArgs(argv: string[]) { return { help: argv.includes("--help") }; }
            export function sanitizeUrl(url: string) { return url.split("?")[0]; }
        """, path="src/cli.ts", files={
            "src/index.ts": "import { showHelp, parseArgs } from './cli.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n"
                            "export { sanitizeUrl } from './cli.js';\n"
                            "const opts = parseArgs(process.argv);\nif (opts.help) {\n  showHelp();\n  process.exit(0);\n}\nawait server.connect(new StdioServerTransport());\n",
        }),
        # `--help` handled in a `switch` case that ends the process (omnifocus-mcp's parseArgs).
        Valid("""
            export function printHelp() { console.log("usage: of-mcp [--help]"); }
            export function parseArgs(args: string[]) {
              for (const arg of args) {
                switch (arg) {
                  case "--help":
                  case "-h":
                    printHelp();
                    process.exit(0);
                    break;
                  default:
                    process.stderr.write("unknown argument");
                }
              }
            }
        """, path="src/cli.ts", files={
            "src/index.ts": "import { parseArgs } from './cli.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n"
                            "parseArgs(process.argv.slice(2));\nawait server.connect(new StdioServerTransport());\n",
        }),
        # ... in the entry module itself, by a function of its own that only that case calls (dbgso's cli-to-mcp).
        Valid(HELP_IN_ENTRY.format(other=""), path="src/index.ts"),
        # Commands of a command-line dispatcher (`--setup`): a person types them, a client
        # launching the server does not (f5xc-api-mcp's `handleCliCommand`).
        Valid(SETUP_MODULE, path="src/cli/setup.ts", files={"src/index.ts": DISPATCH_ENTRY.format(case='case "--setup":\n      await runSetupWizard();')}),
        # ... or a word compared with the command line itself (telegram-mcp-ts's `doctor`).
        Valid(DOCTOR_MODULE, path="src/lib/doctor.ts", files={"src/index.ts": DOCTOR_ENTRY.format(command="process.argv[2]")}),
        # A logger the HTTP transport's module keeps to itself, used only by that transport, which
        # the entry builds in the `http` case beside the `stdio` one (tak-server-mcp).
        Valid(HTTP_TRANSPORT_MODULE.format(load=""), path="src/transports/http.ts", files={"src/index.ts": TRANSPORT_SWITCH}),
        # Written only when stdout is a terminal: an MCP client's pipe is none (atlas-mcp-server).
        Valid("""
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            if (process.stdout.isTTY) {
              console.log(`Created logs directory`);
            }
            if (verbose && process.stdout.isTTY) console.log("verbose");
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts"),
    )
    INVALID = (
        # The server's entry imports the re-exported helper itself and calls it while serving.
        Invalid("""
            export function sanitizeUrl(url: string) { console.log(`sanitizing ${url}`); return url; }
        """, path="src/cli.ts", line=1, files={
            "src/index.ts": "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n"
                            "import { sanitizeUrl } from './cli.js';\nexport { sanitizeUrl } from './cli.js';\n"
                            "server.tool('fetch', { url: z.string() }, async ({ url }) => ({ content: [{ type: 'text', text: sanitizeUrl(url) }] }));\n"
                            "await server.connect(new StdioServerTransport());\n",
        }),
        Invalid(CLI_COMMANDS.format(export="export default { register, ready: register(new Command()) };"), path="src/cli/diff.cli.ts", line=2,
                files=CLI_COMMAND_FILES),
        # ... the same mode when it goes on to start the server: its output reaches the stream.
        Invalid(CLI_MODULE, path="src/cli/index.ts", line=3, files={"src/index.ts": CLI_MODE_ENTRY.format(end="")}),
        # ... or returns to a caller that then starts it.
        Invalid(CLI_MODULE, path="src/cli/index.ts", line=3, files={"src/index.ts": CLI_MODE_ENTRY.format(end="return;").replace(
            "  await startServer();\n}\nmain();\n", "}\nawait main();\nawait startServer();\n")}),
        # ... called by the server, or in a class that extends another (a framework may call it).
        Invalid(DEDUPLICATOR, path="src/utils/dedup.ts", line=4, files={"src/server.ts": DEDUPLICATOR_SERVER.format(call="dedup.logMetrics();")}),
        Invalid(BATCH, path="src/core/batch.ts", line=2, files=_barrel(STAR_BARREL, "runBatch", "runBatch([])")),
        Invalid(BATCH, path="src/core/batch.ts", line=2, files=_barrel("export { runBatch as batch } from './batch.js';\n", "batch", "batch([])")),
        # The barrel calling its own re-export through an import of itself (azure-devops's `from './'`).
        Invalid(BATCH, path="src/core/batch.ts", line=2, files=_barrel(
            "export * from './batch.js';\nimport { runBatch } from './';\nexport const handle = () => runBatch([]);\n", "handle", "String(handle())")),
        # A destructuring dynamic import takes only its names through the barrel (paid-agent's tools)...
        # ... a whole one takes everything.
        Invalid(BATCH, path="src/core/batch.ts", line=2, files=_barrel(STAR_BARREL, "", "String(await import('./core/index.js'))")),
        # A namespace re-export hands on the whole module.
        Invalid(BATCH, path="src/core/batch.ts", line=2, files=_barrel("export * as jobs from './batch.js';\n", "jobs", "String(jobs)")),
        Invalid(DEDUPLICATOR.replace("class RequestDeduplicator {", "class RequestDeduplicator extends Base {"), path="src/utils/dedup.ts", line=4,
                files={"src/server.ts": DEDUPLICATOR_SERVER.format(call="")}),
        # The write is in the arm that serves stdio.
        # Not a terminal: the pipe an MCP client reads.
        Invalid("""
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            if (!process.stdout.isTTY) { console.log("piped"); }
            if (process.stdout.isTTY || quiet) { } else { console.log("not a terminal"); }
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts", line=2, count=2),
        # ... not a word compared with anything else (a tool's name in a dispatcher).
        Invalid(DOCTOR_MODULE, path="src/lib/doctor.ts", line=1, files={"src/index.ts": DOCTOR_ENTRY.format(command="toolName()")}),
        # ... not when it is handed on as it loads (another module's code may write with it).
        Invalid(HTTP_TRANSPORT_MODULE.format(load='export const middleware = pinoHttp({ logger });'), path="src/transports/http.ts", line=2,
                files={"src/index.ts": TRANSPORT_SWITCH.replace("import { createHttpTransport }", "import { createHttpTransport, middleware }")}),
        # ... not when the module writes with it as it loads.
        Invalid(HTTP_TRANSPORT_MODULE.format(load='logger.info("http transport loaded");'), path="src/transports/http.ts", line=2,
                files={"src/index.ts": TRANSPORT_SWITCH}),
        # ... but a case that starts the server is the serving process.
        Invalid(SETUP_MODULE, path="src/cli/setup.ts", line=1, files={"src/index.ts": DISPATCH_ENTRY.format(
            case='case "--stdio":\n      await runSetupWizard();\n      await server.connect(new StdioServerTransport());')}),
        # ... but not when something else calls it on the way to serving.
        Invalid(HELP_IN_ENTRY.format(other='      case "--verbose":\n        printHelp();\n        break;\n'), path="src/index.ts", line=2),
        # A `switch` case that goes on to serve is no exit.
        Invalid("""
            export function parseArgs(args: string[]) {
              switch (args[0]) {
                case "--verbose":
                  console.log("verbose mode");
                  break;
                case "--version":
                  console.log("1.0");
                  process.exit(0);
              }
            }
        """, path="src/cli.ts", line=4, count=1, files={
            "src/index.ts": "import { parseArgs } from './cli.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n"
                            "parseArgs(process.argv.slice(2));\nawait server.connect(new StdioServerTransport());\n",
        }),
        Invalid(DEPLOY_OR_SERVE.format(deploy="", serve='console.log("serving");'), path="src/index.ts", line=6),
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            const server = new McpServer({ name: "n", version: "1" });
            server.tool("ping", async () => {
              console.log("ping called");
              await discover();
              return { content: [{ type: "text", text: "pong" }] };
            });
            async function discover() {
              console.log("discovering the browser connector");
            }
            await discover();
            const write = process.stdout.write.bind(process.stdout);
            process.stdout.write = (chunk: any, encoding?: any, callback?: any) => {
              if (typeof chunk === "string" && !chunk.startsWith("{")) return true;
              return write(chunk, encoding, callback);
            };
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts", line=10, count=1),  # at startup, before the filter; the tool's write is filtered
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            const server = new McpServer({ name: "n", version: "1" });
            console.log("starting");
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts", line=4, message="console.log"),
        Invalid("""
            export function search(q: string) {
              console.info(`searching ${q}`);
              return [];
            }
        """, path="src/tools.ts", line=2, files={"src/index.ts": "import { search } from './tools.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nserver.tool('search', async ({ q }) => ({ content: search(q) }));\nawait server.connect(new StdioServerTransport());\n"}),
        # The imported helper calls a method of a class built at load time.
        Invalid("""
            class Terminal {
              output(text: string) { process.stdout.write(text); return true; }
              clear() { console.log("\\x1b[2J"); }
            }
            const terminal = new Terminal();
            export const cliOutput = (text: string) => terminal.output(text);
        """, path="src/utils/terminal.ts", line=2, count=1, files={
            "src/server.ts": "import { cliOutput } from './utils/terminal.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\ncliOutput('ready');\nawait server.connect(new StdioServerTransport());\n",
        }),
        # The write returns from a helper that starts nothing: the server goes on after it.
        Invalid("""
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            function announce(flag: string | null) {
              if (flag !== null) {
                console.log(flag);
                return;
              }
            }
            async function main() {
              announce(startupFlag(process.argv.slice(2)));
              await server.connect(new StdioServerTransport());
            }
            main();
        """, path="src/index.ts", line=4),
        # A value re-exported from the entry loads the module: its load-time write runs.
        Invalid("""
            export function startWebhook() {}
            console.log("webhook server starting");
        """, path="src/webhook.ts", line=2, files={"src/index.ts": "export { startWebhook } from './webhook.js';\nexport type { Handler } from './handler.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nawait server.connect(new StdioServerTransport());\n"}),
        # The imported helper calls a function of its module that writes; load-time code runs too.
        Invalid("""
            function say(text: string) { console.log(text); }
            export function greet(name: string) { say(`hello ${name}`); }
            export function unused() { console.log("never called by the server"); }
            console.info("loaded");
        """, path="src/greet.ts", count=2, files={
            "src/index.ts": "import { greet } from './greet.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\ngreet('x');\nawait server.connect(new StdioServerTransport());\n",
        }),
        Invalid("""
            export function render(x: string) { console.log(x); return x; }
        """, path="lib/render.ts", line=1, files={
            "tsconfig.json": '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["lib/*"] } } }',
            "src/index.ts": "import { render } from '@lib/render';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\nawait server.connect(new StdioServerTransport());\n",
        }),
        Invalid("""
            import pino from "pino";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            export const logger = pino({ level: "info" });
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts", line=3, message="pino"),
        # pino-pretty writes to fd 1 unless given a destination.
        Invalid("""
            import pino from "pino";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            export const logger = pino({ transport: { target: "pino-pretty", options: { colorize: true } } });
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts", line=3, message="pino"),
        Invalid("""
            import pino from "pino";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            export const logger = pino({ level: "debug" }, pino.destination());
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts", line=3, message="pino"),
        # A destination stream as the only argument (no options): fd 1 when it names none.
        Invalid("""
            import { pino } from "pino";
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            export const logger = pino(pino.destination());
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts", line=3, message="pino"),
        Invalid("""
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            async function main() {
              console.log("starting");
              try { await server.connect(new StdioServerTransport()); } catch (e) { process.exit(1); }
            }
        """, path="src/index.ts", line=3),
        Invalid("""
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            process.stdout.write("hello\\n");
            await server.connect(new StdioServerTransport());
        """, path="src/index.ts", line=2),
    )

    @classmethod
    def collect(cls, document, options):
        model = model_of(document)
        facts = base_facts(model)
        if _redirects_console(model):
            facts.flags.add("redirect")
        if _filters_stdout(model):
            facts.flags.add("stdout-filter")
        for node, message in stdout_writes(model):
            facts.findings.append((document.location(node), message, document.snippet(node), _writers(model, node), model.in_tool_code(node) and not model.at_startup(node)))
        # `export_statement` is no node kind the model indexes: a barrel's re-exports are top-level statements.
        if facts.findings or model.nodes("import_statement") or any(c.type == "export_statement" for c in model.doc.tree.root_node.named_children):
            facts.use = module_use(model, lambda spec: relative_stem(document.path, spec))
        return facts

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        entries = [path for path, f in facts_by_path.items() if f.stdio is not None]
        if not entries:
            return
        wanted = _imported_names(facts_by_path, entries, tsconfig_aliases(project.root if project is not None else None))
        if any("redirect" in facts_by_path[p].flags for p in wanted):
            return
        filtered = any("stdout-filter" in facts_by_path[p].flags for p in wanted)
        # A module without a ModuleUse has no import, export or finding: it reaches no other module's class.
        called = {m for p in wanted if facts_by_path[p].use is not None for m in facts_by_path[p].use.members}
        for path in sorted(wanted):
            facts = facts_by_path[path]
            running = live(facts.use, wanted[path], called) if facts.use is not None else None
            for location, message, snippet, owned_by, in_tool_code in facts.findings:
                owners = owned_by if isinstance(owned_by, tuple) else (owned_by,)
                if (running is None or any(o in running for o in owners)) and not (filtered and in_tool_code):
                    yield Finding(cls.code, cls.name, cls.item, cls.severity, location, message, cls.fix_hint, snippet=snippet)


# Next.js loads every route and page of its `app/` (or `pages/`) folder into one server.
_NEXT_ROUTE = re.compile(r"(?:^|/)(?:app|pages)/(?:.*/)?(?:route|page|layout|middleware)\.[cm]?[jt]sx?$|(?:^|/)pages/api/")


def _process_files(facts_by_path, files, project) -> dict:
    """The files of the processes that run `files`: the modules that import them (directly or
    not), and everything those import; with every route of a Next.js app when one is such a route."""
    aliases = tsconfig_aliases(getattr(project, "root", None))
    known = set(facts_by_path)
    importers: dict = {}
    for path, facts in facts_by_path.items():
        for stem in facts.imports:
            target = resolve(stem, known, aliases)
            if target is not None:
                importers.setdefault(target, set()).add(path)
    roots = set(files)
    if any(_NEXT_ROUTE.search(f) for f in files):
        roots.update(p for p in facts_by_path if _NEXT_ROUTE.search(p))
    pending = list(roots)
    while pending:
        for importer in importers.get(pending.pop(), ()):
            if importer not in roots:
                roots.add(importer)
                pending.append(importer)
    return _imported_names(facts_by_path, sorted(roots), aliases)


def _imported_names(facts_by_path, entries, aliases) -> dict:
    """The files reachable from the entries over relative imports, each with the names its
    importers' running code takes from it (EVERYTHING for imports that may use any export).
    An entry runs all its own code, but what it re-exports runs only where an importer takes
    it (`export { sanitizeUrl } from "./cli.js"` in a server's entry does not run the CLI's
    banners). Names grow as more of an importer runs, so a file is read again when its own
    names grow."""
    known = set(facts_by_path)
    wanted = {entry: _own_code(facts_by_path[entry].use) for entry in entries}
    pending = list(entries)
    while pending:
        path = pending.pop()
        facts = facts_by_path[path]
        use = facts.use
        running = live(use, wanted[path]) if use is not None else None
        for stem in facts.imports:
            target = resolve(stem, known, aliases)
            if target is None or (use is not None and stem in use.erased):
                continue
            taken = use.taken_from(stem, running) if use is not None else None
            names = {EVERYTHING} if taken is None else taken
            have = wanted.get(target)
            if have is None or not names <= have:
                wanted.setdefault(target, set()).update(names)
                pending.append(target)
    return wanted


def _own_code(use) -> set:
    """Every declaration of a module (and its load-time code): all of it may run."""
    return {LOAD, *use.mentions} if use is not None else {EVERYTHING}


def _field_read(model, use):
    """`params.api` where the handler takes the arguments whole (`async (params) => ...`): what
    is written is that field, judged by its own name and schema, not the whole object."""
    parent = use.parent
    if parent is not None and parent.type == "member_expression" and parent.child_by_field_name("object") == use:
        return parent
    return use


def _text_free_whole(model, tool, use, schema: dict, fields: set) -> bool:
    """The handler's whole arguments object (`args`, `{ ...args, index: "[REDACTED]" }`) where
    every field of the tool's schema not overridden beside it holds no text: numbers, flags,
    enums and names of things (`{ policy, limit, summary, sortBy }`)."""
    params = parameters(tool.handler) if tool.handler is not None else []
    if not schema or not params or params[0].type != "identifier" or model.text(use) != model.text(params[0]):
        return False
    overridden = set()
    if use.parent is not None and use.parent.type == "spread_element" and use.parent.parent is not None:
        overridden = {model.text(p.child_by_field_name("key")).strip("'\"") for p in use.parent.parent.named_children
                      if p.type == "pair" and p.start_byte > use.end_byte}
    return all(key in fields or key in overridden or kind_of_name(key, tool.name) == IDENTIFIER for key in schema)


def _object_written(model, args, name: str) -> bool:
    """The arguments object itself (`args`, `request.params.arguments`) is written whole, not
    only a field of it (judged as that field) or something derived (`Object.keys(args)`)."""
    for node in walk(args):
        if node.type in ("identifier", "member_expression") and model.text(node) == name:
            parent = node.parent
            field_read = parent.type == "member_expression" and parent.child_by_field_name("object") == node
            if not field_read and written_whole(model, node):
                return True
    return False


def _field_written(model, read, tool: str, schema: dict, fields: set) -> bool:
    """A field of the arguments object that the log gets the content of (`args.notes`), as for
    a destructured argument: not a non-text or identifying field (`args.teamId`), nor only its
    size or a test of it (`args.items.length`, `!!args.data`); a field of a field
    (`args.alerting?.enabled`) is judged by its own name and type in the nested schema."""
    field = model.text(read.child_by_field_name("property"))
    if not written_whole(model, read):
        return False
    parent = read.parent
    if parent.type == "member_expression" and parent.child_by_field_name("object") == read:
        inner = model.text(parent.child_by_field_name("property"))
        value = schema.get(field)
        nested = re.search(rf"\b{re.escape(inner)}\s*:\s*(z\s*\.[^,}}]*)", model.text(value)) if value is not None else None
        if (nested and NON_TEXT_ZOD.match(nested.group(1))) or kind_of_name(inner, tool) == IDENTIFIER:
            return False
        if not written_whole(model, parent):
            return False
    return field not in fields and kind_of_name(field, tool) != IDENTIFIER


def _schema(model, tool) -> tuple:
    """(field -> its Zod value, None for a schema of another module; the fields that hold no
    text) of the tool's input schema (mcp_lint/typescript/schemas.py), when it can be seen: here,
    or in the module it is imported from (the link pass tells which fields hold no text)."""
    objects = schema_objects(model, tool.schema) if tool.schema is not None else None
    pairs = schema_pairs(model, objects) if objects is not None else None
    if pairs is not None:  # an unread spread is a field `schemas.UNREAD` of unknown content
        return dict(pairs), {key for key, value in pairs if holds_no_text(model, value)}
    imported = dict(getattr(model.doc, "imported_schemas", ())).get(schema_root(model, tool.schema)) if tool.schema is not None else None
    if imported:
        return {key: None for key, _ in imported}, {key for key, free in imported if free}
    return {}, set()


def _redacted(model, receiver: str, key_path: str) -> bool:
    logger = model.loggers.get(receiver) or model.loggers.get(last_name(receiver))
    if logger is None:
        return False
    for path in logger.redact:
        if path == key_path or path.startswith(key_path + ".") or key_path.startswith(path.rstrip("*").rstrip(".") + ".") or path.rstrip(".*") == key_path:
            return True
    return False


FASTMCP_FIELDS = """\
import {{ FastMCP }} from "fastmcp";
const server = new FastMCP({{ name: "make", version: "1.0.0" }});
server.addTool({{
  name: "create-webhook",
  parameters: z.object({{
    teamId: z.string().optional().describe("Filter by team ID"),
    name: z.string().describe("{described}"),
    notes: z.array(z.string()),
    alerting: z.object({{ enabled: z.boolean(), message: z.string() }}),
  }}),
  execute: async (args, {{ log }}) => {{
    log.info("creating", {logged});
    return "ok";
  }},
}});
"""

LOOKUP_HANDLER = """\
export async function handleLookup({ email }: { email: string }) {
  console.error(`lookup for ${email}`);
  return { content: [] };
}
"""
LOOKUP_SERVER = """\
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { handleLookup } from "./tools/lookup.js";
const server = new McpServer({ name: "people", version: "1.0.0" });
server.registerTool("lookup", { inputSchema: { email: z.string() } }, handleLookup);
"""


LOG_HELPER = """\
import {{ Server }} from "@modelcontextprotocol/sdk/server/index.js";
function log(level: string, message: string, data?: unknown) {{
  console.error(`[${{level}}] ${{message}}`, {written});
}}
server.setRequestHandler(CallToolRequestSchema, async (request) => {{
  const name = request.params.name;
  log("info", "tool call", {{ name, arguments: request.params.arguments }});
  return {{ content: [] }};
}});
"""

STDERR_HELPER = """\
import {{ Server }} from "@modelcontextprotocol/sdk/server/index.js";
function log(severity: string, ...args: unknown[]) {{
  const line = `[${{severity}}] ${{args.join(" ")}}`;
  process.stderr.write(line + "\\n");
}}
server.setRequestHandler(CallToolRequestSchema, async (request) => {{
  try {{ return await run(request); }}
  catch (e) {{
    log("error", "call failed", {logged});
    throw e;
  }}
}});
"""


WHOLE_PARAMS = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    server.tool("learn", "Learn an API", {{ api: z.enum(["admin", "storefront"]), note: z.string() }}, async (params) => {{
      console.error(`learning ${{{logged}}}`);
      return {{ content: [] }};
    }});
"""

SPREAD_SCHEMA_TOOL = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    server.registerTool("create-broadcast", {{ inputSchema: {{ name: z.string().describe("Name for the broadcast"),
      ...(sender ? {{}} : {{ from: z.string() }}) }} }}, async (args) => {{
      const {{ name }} = args; console.error(`creating ${{{logged}}}`);
      return {{ content: [] }};
    }});
"""
IMPORTED_SCHEMA_TOOL = """
    import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
    import { RepoArgs } from "./repo.types.js";
    server.tool("bb_get_repo", "Get a repository", RepoArgs.shape, async (args) => {
      methodLogger.debug("Tool called with args:", args);
      return { content: [] };
    });
"""
REPO_TYPES = """
    import {{ z }} from "zod";
    const Paging = z.object({{ limit: z.number().optional(), cursor: z.string().optional().describe("Pagination cursor") }});
    const Base = {{ workspaceSlug: z.string(), repoSlug: z.string() }};
    export const RepoArgs = z.object({{
      ...Base,
      {text}
      sinceCommit: z.string(),
      inline: z.object({{ path: z.string(), line: z.number() }}).optional(),
    }}).merge(Paging).strict();
"""
NAMED_LOGGER = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    server.registerTool("search", {{ inputSchema: {{ cql: z.string() }} }}, async (args) => {{
      {logger}.debug("Tool called with args:", args);
      return {{ content: [] }};
    }});
"""


class TsToolArgumentsLogged(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a logging call in a tool handler (`console.*`,
    `process.stderr.write`, a pino, winston or bunyan logger, `logger`/`log` objects,
    `server.sendLoggingMessage`, a `notifications/message` notification) whose arguments contain
    a caller argument: a destructured parameter (`async ({ email }) =>`), the arguments object
    (`args`, `args.email`), or a low-level handler's `request.params.arguments` and its aliases;
    also passed to a logging helper, of the same module or imported from another, in a parameter
    the helper writes, itself, through a local or through another helper (`log("info", "call", {
    args })` where `function log(level, message, data)` logs `data`). Derived values that hold
    no content (`args.items.length`, `JSON.stringify(x).length`, `typeof x`, `!!x`,
    `Object.keys(args)`), Zod number/boolean/enum fields (of fields too: `args.alerting?.enabled`),
    fields whose `.describe(...)` calls them the name of a thing or one of a few names
    (`.describe("Webhook name")`, as Python's `Field(description=...)`), arguments whose name
    says they identify something (`routeId`, `teamId`, `tableName`, `region`: the same judgement
    of names as the Python rule, for fields of the arguments object too), and keys covered by the pino logger's
    `redact` paths are not reported. Severity as in Python: an error for free text or a payload
    (`email`, `query`, the whole arguments object), a warning for a value whose name does not
    tell (`url`, a bare `name`); the message names the worst value logged. A field read from
    the arguments object (`params.api`) is judged as that field, by its name and schema; the
    object written whole, by its schema: when every field holds no text (numbers, flags, enums,
    names of things, objects of such fields) or is overridden beside a spread (`{ ...args, note:
    "[REDACTED]" }`), it is not reported. The schema is read where it is defined: in the
    registration, a constant of the file, or a module it is imported from (`RepoArgs.shape` from
    `./repo.types.js`), through `.extend(...)`, `.merge(...)`, `.strict()` and spreads.

    ## Example
    ```ts
    server.registerTool("lookup", { inputSchema: { email: z.string() } }, async ({ email }) => {
      logger.info(`lookup for ${email}`);
      return { content: [{ type: "text", text: await find(email) }] };
    });
    ```

    ## Use instead
    ```ts
    logger.info({ tool: "lookup" }, "lookup");
    ```
    """

    code = "MCP0701"
    fix_hint = "Log the tool name, duration and sizes (`x.length`), never argument values; or list the keys in pino's `redact`."
    requires = ("log", "Log", "console", "sendNotification")

    VALID = (
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { z } from "zod";
            server.registerTool("lookup", { inputSchema: { email: z.string(), limit: z.number() } }, async ({ email, limit }) => {
              console.error(`lookup limit=${limit} length=${email.length}`);
              return { content: [{ type: "text", text: "ok" }] };
            });
        """, path="server.ts"),
        Valid("""
            import pino from "pino";
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            const logger = pino({ redact: ["args.email"] });
            server.registerTool("lookup", { inputSchema: { email: z.string() } }, async (args) => {
              logger.info({ args }, "lookup");
              return { content: [] };
            });
        """, path="server.ts"),
        # The arguments logged whole, every text field overridden beside them: no text is written.
        Valid(WHOLE_PARAMS.format(logged='JSON.stringify({ ...params, note: "[REDACTED]" })'), path="server.ts"),
        Valid(WHOLE_PARAMS.replace("note: z.string()", "limit: z.number()").format(logged="JSON.stringify(params)"), path="server.ts"),
        # The arguments logged whole, their schema in a sibling module holding no text
        # (bitbucket's `GetRepositoryToolArgs`: slugs, a commit, a nested `{ path, line }`, paging).
        Valid(IMPORTED_SCHEMA_TOOL, path="src/tools/repo.tool.ts", files={"src/tools/repo.types.ts": REPO_TYPES.format(text="")}),
        # A field judged by its own schema beside a spread the reader cannot follow (resend's broadcasts).
        Valid(SPREAD_SCHEMA_TOOL.format(logged="name"), path="server.ts"),
        # A client whose name only ends in "logger" (a blog API) is no logger.
        Valid(NAMED_LOGGER.format(logger="blogger"), path="server.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("ping", { description: "ping" }, async (extra) => {
              console.error("ping from", extra.sessionId);
              return { content: [] };
            });
        """, path="server.ts"),
    )
    INVALID = (
        # ... but a text field in it, or in the schema it merges, is written with them.
        Invalid(IMPORTED_SCHEMA_TOOL, path="src/tools/repo.tool.ts", line=4,
                files={"src/tools/repo.types.ts": REPO_TYPES.format(text="query: z.string().describe('Free-text search'),")}),
        Invalid(IMPORTED_SCHEMA_TOOL, path="src/tools/repo.tool.ts", line=4,
                files={"src/tools/repo.types.ts": REPO_TYPES.format(text="").replace("limit: z.number()", "title: z.string()")}),
        # ... but the whole arguments: what the spread adds may be text.
        Invalid(SPREAD_SCHEMA_TOOL.format(logged="JSON.stringify(args)"), path="server.ts", line=4),
        # A logger named for what it logs (`methodLogger = Logger.forContext(...)`, atlassian-confluence).
        Invalid(NAMED_LOGGER.format(logger="methodLogger"), path="server.ts", line=3),
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { z } from "zod";
            server.registerTool("lookup", { inputSchema: { email: z.string() } }, async ({ email }) => {
              console.error(`lookup for ${email}`);
              return { content: [] };
            });
        """, path="server.ts", line=4),
        Invalid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              const { name, arguments: args } = request.params;
              logger.debug("call", name, args);
              return { content: [] };
            });
        """, path="server.ts", line=5),
        Invalid("""
            import { FastMCP } from "fastmcp";
            server.addTool({
              name: "add",
              parameters: z.object({ a: z.string(), b: z.string() }),
              execute: async (args) => {
                console.log(`[Zod] Adding ${args.a} and ${args.b}`);
                return String(args.a + args.b);
              },
            });
        """, path="server.ts", line=6),
        # A value its name does not tell (a URL): a warning, naming the worst value logged.
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("fetch-page", { inputSchema: { url: z.url(), after: z.string() } }, async ({ url, after }) => {
              console.error(`fetching ${after} of ${url}`);
              return { content: [] };
            });
        """, path="server.ts", line=3, severity="warning", message="`url`"),
        # The arguments taken whole, a text field of them logged: that field is named.
        Invalid(WHOLE_PARAMS.format(logged="params.note"), path="server.ts", line=3, message="`params.note`"),
        Invalid(WHOLE_PARAMS.format(logged='JSON.stringify({ ...params, api: "-" })'), path="server.ts", line=3, message="`params`"),
        # A handler exported by its own module, registered with an input schema in another.
        Invalid(LOOKUP_HANDLER, path="src/tools/lookup.ts", line=2, files={"src/server.ts": LOOKUP_SERVER}),
        # Through a same-file logging helper that writes its `data` parameter.
        Invalid(LOG_HELPER.format(written="data"), path="server.ts", line=7, message="request.params.arguments"),
        # A shorthand property handed to a logging helper (apify/apify-mcp-server: this crashed).
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            function log(level: string, message: string, data?: unknown) { console.error(level, message, data); }
            server.registerTool("lookup", { inputSchema: { email: z.string() } }, async ({ email }) => {
              log("info", "lookup", { email });
              return { content: [] };
            });
        """, path="server.ts", line=4, message="`email`"),
        # A default keeps the value: `x ?? {}` is the arguments when they were sent (JetBrains).
        Invalid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              console.error("call", request.params.name, request.params.arguments ?? {});
              return { content: [] };
            });
        """, path="server.ts", line=3),
        # Fields of the arguments object judged one by one (make.com-fastmcp-server): a free-text
        # list, a name described as a person's, a text field of a field.
        Invalid(FASTMCP_FIELDS.format(described="Webhook name", logged="{ notes: args.notes }"), path="server.ts",
                line=12, severity="error", message="`args.notes`"),
        Invalid(FASTMCP_FIELDS.format(described="Full name of the user", logged="{ name: args.name }"), path="server.ts", line=12),
        Invalid(FASTMCP_FIELDS.format(described="Webhook name", logged="{ alert: args.alerting?.message }"), path="server.ts",
                line=12, message="`args.alerting`"),
        # A helper writing its rest parameter to stderr through a local (winor30/mcp-server-datadog).
        Invalid(STDERR_HELPER.format(logged="JSON.stringify(request.params.arguments)"), path="server.ts", line=9,
                message="request.params.arguments"),
    )
    VALID = VALID + (
        # Only ids, names of things, sizes, tests and boolean fields of fields.
        Valid(FASTMCP_FIELDS.format(described="Webhook name (max 128 characters)", logged=(
            "{ teamId: args.teamId, name: args.name, count: args.notes.length, size: JSON.stringify(args.notes).length, "
            "has: !!args.notes, on: args.alerting?.enabled, fields: Object.keys(args).filter((k) => (args as Record<string, unknown>)[k] !== undefined) }")), path="server.ts"),
        # Only the names of the arguments a low-level handler was sent.
        Valid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              console.error("call", request.params.name, Object.keys(request.params.arguments ?? {}));
              return { content: [] };
            });
        """, path="server.ts"),
        # The helper writes only the size of `data`.
        Valid(LOG_HELPER.format(written="data?.length"), path="server.ts"),
        # The same stderr helper given the tool's name only.
        Valid(STDERR_HELPER.format(logged="request.params.name"), path="server.ts"),
        # An argument whose name says it identifies a record (r-huijts/strava-mcp).
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("export_route", { inputSchema: { routeId: z.string() } }, async ({ routeId }) => {
              console.error(`exporting route ${routeId}`);
              return { content: [{ type: "text", text: await exportRoute(routeId) }] };
            });
        """, path="server.ts"),
        # A listing cursor, a moment, and fixed choices through a schema constant (resend/mcp-send-email).
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            const EventSchema = z.enum(["email.sent", "email.bounced"]);
            server.registerTool("list-emails", { inputSchema: { after: z.string(), scheduledAt: z.string(), events: EventSchema.array().min(1) } },
              async ({ after, scheduledAt, events }) => {
                console.error(`listing after ${after} at ${scheduledAt} for ${events.join(", ")}`);
                return { content: [] };
              });
        """, path="server.ts"),
        # The arguments taken whole, one enum field of them logged (Shopify/dev-mcp).
        Valid(WHOLE_PARAMS.format(logged="params.api"), path="server.ts"),
        # Registered without an input schema: the first parameter is the request context.
        Valid(LOOKUP_HANDLER, path="src/tools/lookup.ts",
              files={"src/server.ts": LOOKUP_SERVER.replace('{ inputSchema: { email: z.string() } }', '{ description: "lookup" }')}),
    )

    def check(self) -> None:
        model = self.model
        for tool in model.tools:
            schema, fields = _schema(model, tool)
            fields = fields | set(self.option("safe-parameters"))
            names = {n for n in set(tool.arg_names) - fields if kind_of_name(n, tool.name) != IDENTIFIER}  # `routeId`: names a thing, as in Python
            if not names and not tool.args_object:
                continue
            for call in model.nodes("call_expression"):
                if not (tool.handler.start_byte <= call.start_byte and call.end_byte <= tool.handler.end_byte):
                    continue
                receiver = log_call(model, call)
                written = [call.child_by_field_name("arguments")] if receiver is not None else written_by_helper(model, call)
                if not written:
                    continue
                uses = [u for args in written for u in argument_uses(model, args, names)
                        if not (u.type == "shorthand_property_identifier" and receiver is not None
                                and _redacted(model, receiver, model.text(u)))]
                uses = [read for u in uses for read in (_field_read(model, u),)
                        if (_field_written(model, read, tool.name, schema, fields) if read is not u else not _text_free_whole(model, tool, u, schema, fields))]
                whole = bool(tool.args_object) and any(_object_written(model, args, tool.args_object) for args in written)
                if uses or whole:
                    # As in Python: an error for free text or a payload, a warning for a value
                    # its name does not tell (`endpoint`, a bare `name`); the message names the worst.
                    kinds = [(kind_of_name(model.text(u).split(".")[-1], tool.name), model.text(u)) for u in uses]
                    kind, shown = max(kinds, key=lambda k: rank(k[0])) if uses else (PAYLOAD, tool.args_object)
                    self.report_node(call, f"tool argument `{shown}` of `{tool.name}` written to a log",
                                     severity=None if kind == PAYLOAD else Severity.WARNING)


# An HTTP-served MCP server that logs with console.error.
HTTP_CONSOLE = """
import express from "express";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
console.error("up");
"""


HTTP_WORKER = """
    import { createServer } from "./server.js";
    import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
    export default { async fetch(request: Request) { const transport = new WebStandardStreamableHTTPServerTransport(); await createServer().connect(transport); return transport.handleRequest(request); } };
"""
STDIO_ENTRY = (
    "import { createServer } from './server.js';\nimport { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n"
    "console.error('starting');\nawait createServer().connect(new StdioServerTransport());\n"
)


class TsUnstructuredLogging(TypeScriptProjectRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a project that serves MCP over HTTP and logs with
    `console.*` in what that server's process runs (its file, the modules that import it and
    everything they import, every route of a Next.js app; a stdio entry beside it that does
    not import it does not count) and nothing else (no pino, no winston with `format.json()`, no bunyan, no log call of its
    own that writes one `JSON.stringify(record)` per line), or whose pino logger
    uses `pino-pretty` as its transport outside development. A library package (no `bin`, start
    script or Dockerfile) is flagged only when a runnable package of its repository depends on
    it and no package between them imports a JSON logger.

    ## Example
    ```ts
    app.post("/mcp", async (req, res) => { console.error("request", req.body?.method); ... });
    ```

    ## Use instead
    ```ts
    const logger = pino(); // one JSON object per line
    ```
    """

    code = "MCP0704"
    fix_hint = "Log JSON lines with pino (the default format) or winston `format.json()`."

    VALID = (
        Valid(RUNNER, path=RUNNER_PATH, files=library_alone()),
        Valid(RUNNER, path=RUNNER_PATH, files=served_library("import pino from 'pino';\nexport const logger = pino();\n")),
        Valid("""
            import pino from "pino";
            import express from "express";
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            const logger = pino();
            const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
            logger.info("up");
        """, path="server.ts"),
        # winston's JSON format built apart from createLogger, for file transports (atlas-mcp-server).
        Valid(HTTP_CONSOLE + """
            import winston from "winston";
            const fileFormat = winston.format.combine(winston.format.timestamp(), winston.format.json());
        """, path="server.ts"),
        # The HTTP worker logs nothing; the console output is the stdio entry's (intervals-icu-mcp-ts).
        Valid(HTTP_WORKER, path="src/worker.ts", files={"src/server.ts": "export function createServer() { return new McpServer({ name: 'n', version: '1' }); }\n", "src/index.ts": STDIO_ENTRY}),
        # The project's own JSON-lines logging (knowledge-base-mcp-server).
        Valid(HTTP_CONSOLE + """
            function access(entry: object) { process.stderr.write(`${JSON.stringify({ event: "http_access", ...entry })}\\n`); }
        """, path="server.ts"),
    )
    INVALID = (
        Invalid(RUNNER, path=RUNNER_PATH, line=RUNNER_LINE, files=served_library()),
        # Look-alikes: a JSON value printed for people, winston's text format, another library's json().
        Invalid(HTTP_CONSOLE + """
            import winston from "winston";
            import { format } from "other-logger";
            console.log(JSON.stringify(config, null, 2));
            console.error(`Sending payload ${JSON.stringify(payload)}`);
            console.error(`${JSON.stringify(payload)} was sent`);
            const logger = winston.createLogger({ format: winston.format.simple() });
            const f = format.json();
        """, path="server.ts", line=3, files={"scripts/mcp-client.js": "console.log(JSON.stringify({ id: 1, result }));\n"}),
        Invalid("""
            import express from "express";
            import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
            const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
            console.error("up");
        """, path="server.ts", line=3),
        # ... or the entry that imports and starts it does (pikvm's index.ts), or another route of its Next.js app.
        Invalid(HTTP_WORKER, path="src/worker.ts", line=3, files={
            "src/server.ts": "export function createServer() { return new McpServer({ name: 'n', version: '1' }); }\n",
            "src/index.ts": "import worker from './worker.js';\nconsole.log('serving');\nexport default worker;\n"}),
        Invalid(HTTP_WORKER, path="app/api/mcp/route.ts", line=3, files={
            "app/server.ts": "export function createServer() { return new McpServer({ name: 'n', version: '1' }); }\n",
            "app/api/authorize/route.ts": "export async function GET() { console.error('authorize'); return new Response(''); }\n"}),
        # ... but a module the HTTP worker imports logs with console.
        Invalid(HTTP_WORKER, path="src/worker.ts", line=3, files={
            "src/server.ts": "export function createServer() { console.log('creating'); return new McpServer({ name: 'n', version: '1' }); }\n",
            "src/index.ts": STDIO_ENTRY}),
    )

    @classmethod
    def collect(cls, document, options):
        model = model_of(document)
        facts = base_facts(model)
        calls = model.nodes("call_expression")
        shipped = not not_shipped(model, document.path)
        if any(l.structured for l in model.loggers.values()) or any(STRUCTURED_LOGGING.match(m) for m, _ in model.imports.values()) or (
            document.error_ranges() and re.search(r"['\"](pino|bunyan|winston)['\"]", document.text)
        ) or any(_json_format(model, c) or (shipped and _json_line(model, c)) for c in calls):
            facts.flags.add("structured")
        if any(model.callee(c).startswith("console.") for c in calls):
            facts.flags.add("console")
        return facts

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if any("structured" in f.flags for f in facts_by_path.values()):
            return
        if not any("console" in f.flags for f in facts_by_path.values()):
            return
        served = sorted((f.http, p) for p, f in facts_by_path.items() if f.http is not None)
        # Only what the HTTP server's process runs: a stdio entry's console output beside it is not its log.
        if not any("console" in facts_by_path[p].flags for p in _process_files(facts_by_path, [p for _, p in served], project)):
            return
        if served and not owned_elsewhere(getattr(project, "root", None), _STRUCTURED_TEXT.search):
            location = served[0][0]
            yield Finding(cls.code, cls.name, cls.item, cls.severity, location,
                          "HTTP-served MCP server logs with console.* only: plain text, not JSON", cls.fix_hint)


def _json_format(model, call) -> bool:
    """`winston.format.json()` in a file that imports winston: options built apart from
    `createLogger(...)` (a format shared by file transports) still make it log JSON."""
    return bool(re.search(r"(?:^|\.)format\.json$", model.callee(call))) and model.imported_from(model.callee(call)) in ("winston", "logform")


def _json_line(model, call) -> bool:
    """A log write whose whole record is one JSON object: `logger.warn(JSON.stringify({ event,
    ... }))`, `process.stderr.write(`${JSON.stringify(entry)}\\n`)` (a project's own JSON-lines
    logger). Indented output (`JSON.stringify(x, null, 2)`), a value inside a message
    (`${JSON.stringify(options)}` after text) and tests, examples and scripts are no log lines."""
    name = model.callee(call)
    receiver = name.rsplit(".", 1)[0] if "." in name else ""
    if not (name.startswith("console.") or name in ("process.stderr.write", "process.stdout.write") or (receiver and model.is_logger(receiver))):
        return False
    args = arguments(call)
    first = unwrap(args[0]) if args else None
    if first is not None and first.type == "template_string":  # `${JSON.stringify(entry)}\n`, nothing else
        parts = [c for c in first.named_children if c.type != "escape_sequence"]
        first = unwrap(parts[0].named_children[0]) if len(parts) == 1 and parts[0].type == "template_substitution" and parts[0].named_children else None
    if first is None or first.type != "call_expression" or model.callee(first) != "JSON.stringify":
        return False
    return len(arguments(first)) < 3


def _body_uses(model, args) -> list:
    """`req.body` (or a destructured alias of it) logged whole, not its JSON-RPC envelope fields."""
    found = []
    for node in walk(args):
        if node.type == "member_expression" and model.text(node.child_by_field_name("property")) == "body":
            parent = node.parent
            if parent is not None and parent.type == "member_expression" and model.text(parent.child_by_field_name("property")) in ("method", "id", "jsonrpc"):
                continue
            if parent is not None and parent.type == "member_expression" and model.text(parent.child_by_field_name("property")) in ("length", "size"):
                continue
            found.append(node)
    return found


class TsPayloadLoggingEnabled(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a log call that writes the whole request body
    (`console.log("Request body:", req.body)`, `logger.debug({ body: req.body })`) in a route
    that serves MCP or in middleware mounted for every path: the body of `tools/call` carries the
    tool arguments. Logging `req.body.method` or `req.body.id` (the JSON-RPC envelope) is fine, as
    are routes that do not serve MCP.

    ## Example
    ```ts
    app.post("/mcp", async (req, res) => {
      console.log("Request body:", req.body);
      await transport.handleRequest(req, res, req.body);
    });
    ```

    ## Use instead
    ```ts
    logger.info({ method: req.body?.method, id: req.body?.id }, "mcp request");
    ```
    """

    code = "MCP0702"
    fix_hint = "Log the JSON-RPC envelope (`req.body?.method`, `req.body?.id`), never the whole body."
    requires = ("body",)

    VALID = (
        Valid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => {
              console.error("mcp request", req.body?.method, req.body?.id);
              await transport.handleRequest(req, res, req.body);
            });
            app.post("/webhook", (req, res) => { console.log("webhook", req.body); res.end(); });
        """, path="server.ts"),
    )
    INVALID = (
        Invalid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => {
              console.log("Request body:", req.body);
              await transport.handleRequest(req, res, req.body);
            });
        """, path="server.ts", line=4),
        Invalid("""
            import express from "express";
            const app = express();
            app.use((req, res, next) => { logger.debug({ body: req.body }, "request"); next(); });
            app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
        """, path="server.ts", line=3),
    )

    def check(self) -> None:
        model = self.model
        if not any(r.serves_mcp for r in model.routes):
            return
        scopes = [r.handlers[-1] for r in model.routes if r.serves_mcp and r.handlers]
        scopes += [h for r in model.routes if r.method == "use" and r.path is None for h in r.handlers]
        scopes = [model.resolve_function(h) or h for h in scopes]
        for call in model.nodes("call_expression"):
            if not any(within(call, scope) for scope in scopes) or log_call(model, call) is None:
                continue
            if _body_uses(model, call.child_by_field_name("arguments")):
                self.report_node(call, "the whole request body is logged: for tools/call it holds the tool arguments")
