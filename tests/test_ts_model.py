"""The TS model's view of tool registrations (mcp_lint/typescript/model.py): which calls register
tools, under which names, with which handler functions."""

from __future__ import annotations

import textwrap

import pytest

from mcp_lint.documents.typescript import TypeScriptDocument
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.snapshot import tools_built_at_run_time, tools_in_document

SDK = 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'

# A private method that registers the handler it is given through a bound, cast `mcp.tool`
# (knowledge-base-mcp-server's registerShapedTool).
BOUND_WRAPPER = SDK + """
class KnowledgeBaseServer {
  private registerShapedTool(mcp: McpServer, name: string, description: string, shape: any, handler: any): void {
    const registerTool = mcp.tool.bind(mcp) as unknown as (n: string, d: string, s: any, cb: any) => void;
    registerTool(name, description, shape, (args, extra) => handler(args, extra));
  }
  register(mcp: McpServer) {
    this.registerShapedTool(mcp, "kb_stats", "Stats", KB_STATS_INPUT, this.handleKbStats.bind(this));
    this.registerShapedTool(mcp, "diff_index", "Diff", DIFF_INPUT, this.handleDiff.bind(this));
  }
  private async handleKbStats(args: { kb: string }) { return { content: [] }; }
  private async handleDiff(args: { kb: string }) { return { content: [] }; }
}
"""
# A function whose registration callback only forwards to the handler it is given.
FORWARDING_WRAPPER = SDK + """
const server = new McpServer({ name: "s", version: "1" });
function register(name: string, shape: any, handler: (a: any) => Promise<any>) {
  server.tool(name, shape, async (args) => { return await handler(args); });
}
register("search", { q: z.string() }, async ({ q }) => ({ content: [{ type: "text", text: q }] }));
"""
# ... and one whose callback catches around it: tool code of its own.
CALLING_WRAPPER = SDK + """
const server = new McpServer({ name: "s", version: "1" });
function register(name: string, shape: any, handler: (a: any) => Promise<any>) {
  server.tool(name, shape, async (args) => {
    try { return await handler(args); } catch (e) { return { content: [], isError: true }; }
  });
}
register("search", { q: z.string() }, async ({ q }) => ({ content: [{ type: "text", text: q }] }));
"""
# A wrapper whose callback does work of its own around the handler (mobile-mcp's `tool`): the
# callback is the tool code every tool runs, so its registration stays.
TRYING_WRAPPER = SDK + """
const server = new McpServer({ name: "s", version: "1" });
const tool = (name: string, shape: any, cb: (args: any) => Promise<string>) => {
  server.registerTool(name, { inputSchema: shape }, async (args: any) => {
    try { return { content: [{ type: "text", text: await cb(args) }] }; }
    catch (error: any) { return { content: [{ type: "text", text: error.message }], isError: true }; }
  });
};
tool("list_apps", { device: z.string() }, async ({ device }) => device);
"""
AUDITING_WRAPPER = CALLING_WRAPPER.replace(
    "try { return await handler(args); } catch (e) { return { content: [], isError: true }; }",
    "await handler(args); return await audit(name);")
# Look-alikes: a helper that registers a fixed handler (its `handler` parameter is something
# else), and a wrapper nothing in the file calls (exported for other modules).
FIXED_HANDLER = SDK + """
const server = new McpServer({ name: "s", version: "1" });
function ping(name: string, handler: string) {
  server.tool(name, async () => ({ content: [{ type: "text", text: handler }] }));
}
ping("ping", "pong");
"""
UNCALLED = SDK + """
export const registerTool = (server: McpServer, name: string, schema: any, handler: any) => {
  server.tool(name, "d", schema, async (args: any, extra: any) => handler(args, extra));
};
"""


def _tools(code: str):
    doc = TypeScriptDocument("src/server.ts", textwrap.dedent(code))
    doc.parse()
    model = model_of(doc)
    return sorted((t.name, model.function_name(t.handler) if t.handler is not None else None, tuple(sorted(t.arg_names))) for t in model.tools)


@pytest.mark.parametrize("code, expected", [
    (BOUND_WRAPPER, [("diff_index", "handleDiff", ("args",)), ("kb_stats", "handleKbStats", ("args",))]),
    (CALLING_WRAPPER, [("name", "", ("args",))]),
    (FORWARDING_WRAPPER, [("search", "", ("q",))]),
    (TRYING_WRAPPER, [("name", "", ("args",))]),
    (AUDITING_WRAPPER, [("name", "", ("args",))]),
    (FIXED_HANDLER, [("name", "", ())]),
    (UNCALLED, [("name", "", ("args",))]),
])
def test_a_wrapper_that_registers_the_handler_it_is_given(code, expected):
    assert _tools(code) == expected


# A wrapper called in a loop with names read from a table (tableau-mcp's `_registerTool(tool,
# callback)` registering `tool.name`): tools known only at run time.
LOOPED_WRAPPER = SDK + """
class WebServer {
  async register(tools: any[]) {
    for (const tool of tools) {
      await this._registerTool(tool, async (args: any) => run(tool, args));
    }
  }
  private async _registerTool(tool: any, callback: any) {
    this.mcpServer.registerTool(tool.name, { description: tool.description }, callback);
  }
}
"""


def _document(code: str) -> TypeScriptDocument:
    doc = TypeScriptDocument("src/server.ts", textwrap.dedent(code))
    doc.parse()
    return doc


def test_a_wrapper_call_names_and_describes_its_tool_in_the_snapshot():
    tools = sorted((t.name, t.description) for t in tools_in_document(_document(BOUND_WRAPPER)))
    assert tools == [("diff_index", "Diff"), ("kb_stats", "Stats")]
    assert not tools_built_at_run_time(_document(BOUND_WRAPPER))


def test_a_wrapper_called_with_computed_names_has_tools_known_only_at_run_time():
    assert tools_in_document(_document(LOOPED_WRAPPER)) == []
    assert len(tools_built_at_run_time(_document(LOOPED_WRAPPER))) == 1


def test_a_wrapper_call_with_a_handler_of_another_module_keeps_its_name_and_description():
    code = 'import { handleKbStats } from "./handlers.js";\n' + BOUND_WRAPPER.replace("this.handleKbStats.bind(this)", "handleKbStats").replace(
        "  private async handleKbStats(args: { kb: string }) { return { content: [] }; }\n", "")
    document = _document(code)
    assert [t.name for t in model_of(document).handled_elsewhere] == ["kb_stats"]
    assert sorted((t.name, t.description) for t in tools_in_document(document)) == [("diff_index", "Diff"), ("kb_stats", "Stats")]


# Tools written as objects that a registry or a low-level dispatcher serves (pulsemcp's tool
# factories, actual-mcp-server's `ToolDefinition` modules imported with `import()`).
DEFINITIONS = """
import { z } from "zod";
const Input = z.object({ sessionId: z.string() });
const close: ToolDefinition = {
  name: "session_close",
  description: "Close a session",
  inputSchema: Input,
  call: async (args: unknown) => pool.close(args),
};
export function searchTool(client: Client) {
  return {
    name: "search_items",
    description: "Search",
    inputSchema: { type: "object", properties: { q: { type: "string" } } },
    async handler(params: { q: string }) { return client.search(params.q); },
  };
}
export default close;
"""
# Look-alikes: a display name with spaces, no input schema, a computed name, no handler function.
NOT_DEFINITIONS = """
export const docs = { name: "Search Stripe Docs", description: "d", inputSchema: S, execute: run };
export const menu = { name: "open", description: "Open a file", run: async () => open() };
export const bridged = tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, execute: async (a) => client.callTool(t.name, a) }));
export const row = { name: "search", description: "d", inputSchema: S, handler: "searchHandler" };
"""


def test_tool_definition_objects_are_tools():
    assert _tools(DEFINITIONS) == [("search_items", "handler", ("params",)), ("session_close", "call", ("args",))]
    described = sorted((t.name, t.description) for t in tools_in_document(_document(DEFINITIONS)))
    assert described == [("search_items", "Search"), ("session_close", "Close a session")]


def test_look_alike_objects_are_no_tools():
    assert _tools(NOT_DEFINITIONS) == []


def test_a_tool_object_at_the_top_level_is_registered_by_the_constant_holding_it():
    doc = _document(DEFINITIONS)
    model = model_of(doc)
    assert sorted(model.registrar_of(t.registration) for t in model.tools) == ["close", "searchTool"]


def test_a_handler_registered_by_a_call_is_not_a_second_tool_in_its_definition_object():
    code = SDK + """
async function run(args) { return args; }
server.registerTool("run", { inputSchema: {} }, run);
const runDef = { name: "run", description: "d", inputSchema: {}, handler: run };
"""
    assert _tools(code) == [("run", "run", ("args",))]


# A project's own registry: the definition handed to a call with its handler, last, as a literal
# or a const, the name a constant (mcp-server-linearapp's `registerTool(tool, handler)`).
HANDED_DEFINITIONS = """
import { registerTool, ToolHandler } from "../registry.js";
const TOOL_NAME = "get_labels";
const createIssueHandler: ToolHandler = async (args) => client.createIssue(args);
export const createIssueTool = registerTool(
  { name: "create_issue", description: "Create an issue", inputSchema: { type: "object", properties: {} } },
  createIssueHandler,
);
const labelsTool: Tool = { name: TOOL_NAME, description: "Labels", inputSchema: { type: "object", properties: {} } };
async function getLabels(params: { teamId: string }) { return client.labels(params.teamId); }
registerTool(labelsTool, getLabels);
"""


def test_a_definition_handed_to_a_call_with_its_handler_is_a_tool():
    assert _tools(HANDED_DEFINITIONS) == [("create_issue", "createIssueHandler", ("args",)), ("get_labels", "getLabels", ("params",))]
    model = model_of(_document(HANDED_DEFINITIONS))
    # the literal is registered as the module loads, whoever names the constant holding the
    # call's result; the const is registered where it is named (the call)
    assert sorted(model.registrar_of(t.registration) for t in model.tools) == ["", "labelsTool"]


def test_a_definition_handed_with_no_function_is_no_tool():
    code = HANDED_DEFINITIONS.replace("  createIssueHandler,\n", '  "createIssueHandler",\n').replace("registerTool(labelsTool, getLabels);", "describe(labelsTool);")
    assert _tools(code) == []


HELPER_REGISTRATIONS = """
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { RegisterToolFn } from "../middleware/error-handler.js";

export function registerProjectTools(server: McpServer, deps: { register: RegisterToolFn }): void {
  const { register: registerToolSafe } = deps;
  registerToolSafe(server, "list_projects", { description: "List projects", inputSchema: {} }, async () => app.list());
  deps.register(server, "drop_project", { description: "Drop one", inputSchema: { name: z.string() } }, async ({ name }) => app.drop(name));
  addPrompt(server, "summarize", { description: "Summarize", argsSchema: {} }, async () => prompt());
  registerToolSafe(logger, "not_a_server", { description: "d", inputSchema: {} }, async () => ({}));
  registerToolSafe(server, "Display Name", { description: "d", inputSchema: {} }, async () => ({}));
}
"""


def test_a_helper_given_the_server_registers_a_tool():
    """TeaRAGs-MCP: `registerToolSafe(server, name, { description, inputSchema }, handler)`, a
    helper of another module handed in as a dependency. A prompt helper (no `inputSchema`, not
    named for tools), a first argument that is no server, or a display name are no tools."""
    assert _tools(HELPER_REGISTRATIONS) == [("drop_project", "", ("name",)), ("list_projects", "", ())]


# JSON-RPC served without an SDK (herrbasan/mcp_server's Express route, bv-mcp's dispatch()):
# the `tools/call` branch is the one handler of every tool.
SWITCH_DISPATCH = """
import express from "express";
const app = express();
app.post("/mcp", express.json(), async (req, res) => {
  const msg = req.body;
  switch (msg.method) {
    case "initialize":
      return res.json({ jsonrpc: "2.0", id: msg.id, result: setup() });
    case "tools/list":
      return res.json({ jsonrpc: "2.0", id: msg.id, result: { tools: TOOLS } });
    case "tools/call": {
      const { name, arguments: args } = msg.params || {};
      return res.json({ jsonrpc: "2.0", id: msg.id, result: await run(name, args) });
    }
  }
});
async function run(name, args) { return audit(args); }
function setup() { return probe(); }
"""
IF_DISPATCH = """
export async function dispatch(method, params) {
  if (method === "initialize") return { protocolVersion: "2025-06-18" };
  if (method === "tools/list") return { tools: TOOLS };
  if ("tools/call" === method) {
    const toolArgs = params.arguments ?? {};
    return await runTool(params.name, toolArgs);
  }
  throw new Error("unknown method");
}
"""
# Look-alikes: a method tested to skip work (hf-mcp-server), logged before an SDK handles it
# (netlify-mcp), counted, or tested with no peer method (a proxy forwarding calls).
NOT_DISPATCH = """
function skipSetup(body) {
  const methodName = body?.method || "unknown";
  if (methodName === "initialize") return true;
  if (methodName === "tools/call") return !isGradio(body);
  return false;
}
async function handle(body, req) {
  if (body?.method === "tools/call") {
    log.info("tool call", body?.params?.name);
  } else if (body?.method === "tools/list") {
    log.info("tools list requested");
  }
  return sdkHandler(req);
}
function count(msg) {
  switch (msg.method) {
    case "tools/call": calls++; break;
    case "tools/list": lists++; break;
  }
}
function forward(msg) {
  if (msg.method === "tools/call") return upstream.send(msg.params);
  return next(msg);
}
function other(msg) {
  switch (msg.method) {
    case "tools/call": return call(msg.params);
    case "resources/list": return list(msg.params);
  }
}
"""


def _model(code: str):
    doc = TypeScriptDocument("src/server.js", textwrap.dedent(code))
    doc.parse()
    return model_of(doc)


def _tool_code_calls(model) -> list:
    return sorted(model.callee(c) for c in model.nodes("call_expression") if model.in_tool_code(c))


def test_a_json_rpc_switch_on_the_method_is_a_server_whose_tools_call_branch_is_tool_code():
    model = _model(SWITCH_DISPATCH)
    assert [(t.name, t.kind, t.args_object, sorted(t.arg_names)) for t in model.tools] == [
        ("tools/call", "jsonrpc", "msg.params.arguments", ["args"])]  # `name` is the tool's, not an argument
    assert _tool_code_calls(model) == ["audit", "res.json", "run"]  # not `setup()` of `initialize`
    assert [r.path for r in model.routes if r.serves_mcp] == ["/mcp"]


def test_a_json_rpc_if_chain_on_a_bare_method_binds_params_arguments():
    model = _model(IF_DISPATCH)
    assert [(t.kind, t.args_object, sorted(t.arg_names)) for t in model.tools] == [("jsonrpc", "params.arguments", ["toolArgs"])]
    assert _tool_code_calls(model) == ["runTool"]


def test_methods_tested_for_other_reasons_are_no_json_rpc_server():
    assert _model(NOT_DISPATCH).tools == []


CLASS_FIELDS = """
    import { CostTracker } from "./costs.js";
    class Server {
      private costs: CostTracker;
      private cache = new Map();
      private client;
      constructor(remote: boolean) {
        this.costs = new CostTracker();
        this.client = remote ? makeClient() : new LocalClient();
      }
      private format(data: unknown) { return JSON.stringify(data); }
      run() { return this.costs.history().concat(this.format(1), format(2)); }
    }
    function format(n: number) { return String(n); }
"""


def test_a_field_holding_one_class_instance_is_known_and_its_method_calls_are_listed():
    model = _model(CLASS_FIELDS)
    run = model.functions_by_name["run"][0]
    call = next(c for c in model.nodes("call_expression") if model.callee(c) == "this.costs.history")
    assert model.field_class(call, "costs") == "CostTracker"
    assert model.field_class(call, "client") == ""  # a call's value or another class: not known
    assert model.field_class(call, "cache") == "Map"
    assert model.instance_calls({run.id: run}) == [("this.costs.history", "CostTracker", "history")]


def test_a_bare_call_names_functions_and_a_this_call_names_methods():
    model = _model(CLASS_FIELDS)
    assert [f.type for f in model.called_functions("format")] == ["function_declaration"]
    assert [f.type for f in model.called_functions("this.format")] == ["method_definition"]
    assert model.called_functions("this.costs.history") == []


def test_a_variable_is_an_instance_of_its_parameter_type_or_of_the_class_a_const_holds():
    model = _model("""
        import { Accounts } from "./accounts.js";
        const shared = new Accounts();
        function register(server, accounts: Accounts, store: Store<string>) {
          server.tool("a", {}, async () => accounts.list());
          server.tool("b", {}, async () => { const accounts = makeAccounts(); return accounts.list(); });
          server.tool("c", {}, async () => shared.list() + store.list());
        }
    """)
    calls = {model.text(c): c for c in model.nodes("call_expression")}
    [first, second] = [c for c in model.nodes("call_expression") if model.callee(c) == "accounts.list"]
    assert model.instance_class(first) == ("Accounts", "list")
    assert model.instance_class(second) == ("", "list")  # the nearer const holds a call's value
    assert model.instance_class(calls["shared.list()"]) == ("Accounts", "list")
    assert model.instance_class(calls["store.list()"]) == ("", "list")  # a generic type: not a class name


def test_a_method_of_a_package_namespace_class_is_no_project_instance_call():
    from mcp_lint.typescript.tool_links import handler_references

    model = _model(SDK + """
        import * as k8s from "@kubernetes/client-node";
        import { Accounts } from "./accounts.js";
        const server = new McpServer({ name: "k", version: "1" });
        const kc = new k8s.KubeConfig();
        const accounts = new Accounts();
        server.tool("pods", {}, async () => ({ content: [{ type: "text", text: kc.getCurrentContext() + accounts.list() }] }));
    """)
    tool = model.tools[0].handler
    assert model.instance_calls({tool.id: tool}) == [("accounts.list", "Accounts", "list")]
    assert [(r.export, r.path, r.kind) for r in handler_references(model)] == [("Accounts", ("list",), "member")]
