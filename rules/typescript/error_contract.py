"""Checklist item 4 for TypeScript: tool failures are `isError` results with safe text;
protocol errors are for protocol problems."""

from __future__ import annotations

import re
from typing import Iterable

from mcp_lint.documents.typescript import walk
from mcp_lint.model import Severity
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.quiet import reaches_nothing, throws_nothing
from mcp_lint.typescript.result_reads import fields_read
from mcp_lint.typescript.rule import TypeScriptRule
from mcp_lint.typescript.syntax import arguments, enclosing_function, last_name, method_name, object_property, outer, unwrap, within

PROTOCOL_ERRORS = ("McpError", "ProtocolError")
PRECONDITION_CODES = re.compile(r"InvalidParams|MethodNotFound|InvalidRequest|UrlElicitationRequired|ParseError")
_ERROR_WORDS = re.compile(r"error|fail|unable|could not|couldn't|exception", re.IGNORECASE)
_SAFE_ERROR_PARTS = {"code", "name", "status", "statusCode", "errno"}
# Text that opens a failure report (as Python's ERROR_TEXT): "Error: ...", "Failed to ...", "❌ Unknown tool".
_FAILURE_OPENING = re.compile(r"[\s\W]*(?:error|failed|failure|unknown tool)\b", re.IGNORECASE)


def _content_text(model, result):
    """The `text` of the first item of a result's `content` array, if written there."""
    content = unwrap(object_property(model.doc, result, "content"))
    first = unwrap(content.named_children[0]) if content is not None and content.type == "array" and content.named_children else None
    return unwrap(object_property(model.doc, first, "text")) if first is not None and first.type == "object" else None


def literal_text(model, node) -> str:
    """The text a string or template literal starts with ('' for anything else)."""
    if node.type == "string":
        return model.text(node)[1:-1]
    if node.type == "template_string":
        return model.text(node)[1:].split("${", 1)[0]
    return ""


def _error_object_text(model, node) -> bool:
    """`JSON.stringify({ error: ... })` / `JSON.stringify({ success: false, ... })`: a failure object as text."""
    if node.type != "call_expression" or model.callee(node) != "JSON.stringify":
        return False
    args = arguments(node)
    value = unwrap(args[0]) if args else None
    if value is None or value.type != "object":
        return False
    success = object_property(model.doc, value, "success")
    return object_property(model.doc, value, "error") is not None or (success is not None and model.text(success) == "false")


def catch_of(node):
    """The catch clause whose body contains the node (innermost), or None."""
    parent = node.parent
    while parent is not None and parent.type not in ("arrow_function", "function_declaration", "function_expression", "method_definition"):
        if parent.type == "catch_clause":
            return parent
        parent = parent.parent
    return None


def catch_variables(model, catch) -> set:
    """The caught error's names: the catch parameter, aliases (`const error = err as Error`) and
    locals holding its text (`const message = error.response?.data?.message || error.message`)."""
    param = catch.child_by_field_name("parameter")
    if param is None or param.type != "identifier":
        return set()
    names = {model.text(param)}
    for decl in model.nodes("variable_declarator"):
        if catch.start_byte <= decl.start_byte < catch.end_byte:
            value = unwrap(decl.child_by_field_name("value"))
            target = decl.child_by_field_name("name")
            if value is None or target is None or target.type != "identifier":
                continue
            if value.type == "identifier" and model.text(value) in names or error_text_uses(model, value, names):
                names.add(model.text(target))
    return names


def error_text_uses(model, node, variables: set) -> list:
    """Uses of the caught error's text under `node` (`e.message`, `${e}`, `String(e)`, `e.stack`),
    not its code or name."""
    if not variables:
        return []
    found = []
    for child in walk(node):
        if child.type != "identifier" or model.text(child) not in variables:
            continue
        parent = outer(child)
        if parent.type == "member_expression" and model.text(parent.child_by_field_name("property")) in _SAFE_ERROR_PARTS:
            continue  # also through a cast: `(error as NodeJS.ErrnoException).code`
        if parent.type == "binary_expression" and "instanceof" in model.text(parent):
            continue
        if _sanitised(model, child):
            continue
        found.append(child)
    return found


# A project function that cleans an error's text for clients (`getSafeErrorMessage(error)`,
# `sanitizeError(e)`, `redactSecrets(err.message)`); not `safeStringify(err)`, which keeps it all.
_SANITIZER = re.compile(r"(?i)sanitiz|redact|scrub|safe\w*(?:error|message|msg|text)")


def _sanitised(model, use) -> bool:
    """The error (or its `.message`) is an argument of a sanitizer call."""
    node = use.parent if use.parent is not None and use.parent.type == "member_expression" else use
    arguments_node = node.parent
    call = arguments_node.parent if arguments_node is not None and arguments_node.type == "arguments" else None
    return call is not None and call.type == "call_expression" and bool(_SANITIZER.search(last_name(model.callee(call))))


ERROR_HELPER = """\
import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
function handleError(error: unknown, toolName: string) {{
  const message = error instanceof Error ? error.message : "Unknown error";
  return {{ content: [{{ type: "text" as const, text: `Operation failed: ${{message}}` }}]{flag} }};
}}
server.tool("search", "Search", {{ q: z.string() }}, async ({{ q }}) => {{
  try {{
    return {{ content: [{{ type: "text", text: await search(q) }}] }};
  }} catch (error) {{
    return handleError(error, "search");
  }}
}});
"""

VALIDATION_BRANCH = """\
import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
server.tool("get", "Get", {{ id: z.string() }}, async ({{ id }}) => {{
  if (!id.trim()) {{
    return {{ content: [{{ type: "text", text: {text} }}]{flag} }};
  }}
  return {{ content: [{{ type: "text", text: await fetchItem(id) }}] }};
}});
"""
ARROW_HELPER = """\
import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
const textOut = (text: string) => ({{ content: [{{ type: "text" as const, text }}]{flag} }});
server.tool("search", "Search", {{ q: z.string() }}, async ({{ q }}) => {{
  try {{
    return {{ content: [{{ type: "text", text: await search(q) }}] }};
  }} catch (error) {{
    return textOut("Search failed, try again later");
  }}
}});
"""

# Tool objects served by a low-level dispatcher that validates their arguments first
# (Wave-Engineering/mcp-server-sdlc), one of which parses them again in a `try`.
VALIDATING_DISPATCH = """
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { handlers } from "./handlers/registry.js";
const server = new Server({ name: "s", version: "1" }, { capabilities: { tools: {} } });
server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const h = handlers.find((t) => t.name === req.params.name);
  const parsed = h.inputSchema.safeParse(req.params.arguments);
  if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, parsed.error.message);
  return await h.execute(parsed.data);
});
"""
REGISTRY = 'import defer from "./defer.js";\nexport const handlers = [defer];\n'
REPARSED_TOOL = """
import { z } from "zod";
const inputSchema = z.object({ item: z.string() });
const deferTool = {
  name: "defer",
  description: "Defer an item",
  inputSchema,
  async execute(rawArgs) {
    let args;
    try {
      args = inputSchema.parse(rawArgs);
    } catch (err) {
      return { content: [{ type: "text", text: JSON.stringify({ ok: false, error: String(err) }) }] };
    }
    return { content: [{ type: "text", text: await defer(args.item) }] };
  },
};
export default deferTool;
"""


FASTMCP_TOOLS = """import {{ FastMCP }} from "fastmcp";
import {{ z }} from "zod";
import {{ formatError }} from "../utils/errors.js";

export function registerUserTools(server: FastMCP, client: Client) {{
  server.addTool({{
    name: "getUser",
    parameters: z.object({{ id: z.string() }}),
    execute: async ({{ id }}) => {{
      try {{ return JSON.stringify(await client.get(`/users/${{id}}`)); }}
      catch (error) {{ {handling} }}
    }},
  }});
}}
"""
FORMAT_ERROR = """export function formatError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `Error: ${message}`;
}
"""


def _stack_of(model, use) -> bool:
    """`err.stack`: the error's stack trace (the files and lines of the server's code)."""
    node, parent = use, use.parent
    while parent is not None and parent.type in ("as_expression", "parenthesized_expression", "non_null_expression", "satisfies_expression"):
        node, parent = parent, parent.parent  # `(e as Error).stack`
    return parent is not None and parent.type == "member_expression" and parent.child_by_field_name("object") == node \
        and model.text(parent.child_by_field_name("property")) == "stack"


# A stub whose `try` answers from literals and the arguments (robinsonai's openai-mcp).
STUB_TOOL = """
import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
function formatResponse(data: any) {{ return {{ content: [{{ type: "text", text: JSON.stringify(data, null, 2) }}] }}; }}
server.tool("cluster", {{ store: z.string() }}, async ({{ store }}) => {{
  try {{
    return formatResponse({answer});
  }} catch (error: any) {{
    return formatResponse({{ error: error.message }});
  }}
}});
"""


# A project's own registry of tool definitions and handlers, which its low-level `tools/call`
# dispatcher reads (mcp-server-linearapp).
REGISTERED_HANDLER = """
import { registerTool, ToolHandler } from "../registry.js";
const createIssueHandler: ToolHandler = async (args) => {
  try { return { content: [{ type: "text", text: await linear.createIssue(args) }] }; }
  catch (error) { return { content: [{ type: "text", text: `Error: ${(error as Error).message}` }], isError: true }; }
};
export const createIssueTool = registerTool(
  { name: "create_issue", description: "Create an issue", inputSchema: { type: "object", properties: {} } },
  createIssueHandler,
);
"""
TOOL_REGISTRY = {
    "src/registry.ts": (
        "const handlers: Record<string, ToolHandler> = {};\n"
        "export const registerTool = (tool: Tool, handler: ToolHandler) => { handlers[tool.name] = handler; return tool; };\n"
        "export const getToolHandler = (name: string) => handlers[name];\n"),
    "src/tools/index.ts": 'import "./create_issue.js";\n',
    "src/server.ts": (
        'import { Server } from "@modelcontextprotocol/sdk/server/index.js";\n'
        'import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";\n'
        'import { getToolHandler } from "./registry.js";\n'
        'import "./tools/index.js";\n'
        "server.setRequestHandler(CallToolRequestSchema, async (request) => getToolHandler(request.params.name)(request.params.arguments));\n"),
}


class TsErrorReturnedAsSuccess(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a tool handler's `catch` block that returns a result
    (`{ content: [...] }`) without `isError: true` (or with `isError: false`) while the text
    reports the failure (it uses the caught error or says error/failed), itself or through a
    same-file helper whose every return is such a result (`return handleError(error, name)`), or a
    helper of another module of the project whose every return is. In a fastmcp tool a string is
    such a result too (fastmcp sends a returned string as text without `isError`:
    `return formatErrorForMCP(error)`; throw a `UserError` instead). A
    same-file helper that builds `{ ..., isError: true }` counts as an error result; catch blocks
    that rethrow are fine (McpServer turns the throw into `isError`). A `try` that only parses a
    tool object's arguments again with the `inputSchema` the project's low-level dispatcher
    already validated them with (`h.inputSchema.safeParse(req.params.arguments)` before
    `h.execute(...)`) cannot fail, and its `catch` is not judged; nor is the `catch` of a `try`
    that cannot fail at all: it only builds a value from literals and names and hands it to
    functions of the file that do the same (a stub, `return this.formatResponse({ status:
    "not_implemented" })`); a read of an argument's property (`ids.length`), a method call, a
    parse, a `new` or an `await` can fail. Outside any `catch` (a
    validation branch, a "not found"), a tool handler's own result whose text is written as a
    failure report counts too: text opening with "Error"/"Failed"/"Unknown tool", or
    `JSON.stringify({ error: ... })` / `JSON.stringify({ success: false, ... })`.

    ## Example
    ```ts
    } catch (e) {
      return { content: [{ type: "text", text: `Error: ${String(e)}` }] };
    }
    ```

    ## Use instead
    ```ts
    } catch (e) {
      return { content: [{ type: "text", text: "Search failed" }], isError: true };
    }
    ```
    """

    code = "MCP0401"
    fix_hint = "Return `{ content: [...], isError: true }` (or rethrow: McpServer turns the throw into an isError result)."
    requires = ("catch", "content")

    VALID = (
        Valid(ERROR_HELPER.format(flag=", isError: true"), path="server.ts"),
        Valid(ARROW_HELPER.format(flag=", isError: true"), path="server.ts"),
        Valid(VALIDATION_BRANCH.format(text='"Error: id is required"', flag=", isError: true"), path="server.ts"),
        Valid(VALIDATION_BRANCH.format(text='"Errors found: none"', flag=""), path="server.ts"),  # a report about errors
        Valid(VALIDATION_BRANCH.format(text="JSON.stringify({ ok: true, errors: [] })", flag=""), path="server.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            function errorResult(text: string) { return { content: [{ type: "text", text }], isError: true }; }
            server.tool("s", { q: z.string() }, async ({ q }) => {
              try { return { content: [{ type: "text", text: await search(q) }] }; }
              catch (e) { return errorResult("search failed"); }
            });
            server.tool("t", { q: z.string() }, async ({ q }) => {
              try { return { content: [{ type: "text", text: await search(q) }] }; }
              catch { return { content: [{ type: "text", text: "[]" }] }; }
            });
        """, path="server.ts"),
        # The handler parses its arguments again with the schema the dispatcher validated them with.
        Valid(REPARSED_TOOL, path="src/handlers/defer.ts", files={"src/index.ts": VALIDATING_DISPATCH, "src/handlers/registry.ts": REGISTRY}),
        # A fastmcp tool throwing `UserError`, or another module's helper building an error result.
        Valid(FASTMCP_TOOLS.format(handling='throw new UserError("lookup failed");'), path="src/tools/user.ts"),
        Valid(FASTMCP_TOOLS.format(handling="return formatError(error);"), path="src/tools/user.ts",
              files={"src/utils/errors.ts": FORMAT_ERROR.replace("return `Error: ${message}`;", "return { content: [{ type: \"text\", text: message }], isError: true };")}),
        Valid(STUB_TOOL.format(answer='{ store, status: "not_implemented", note: `no ${store} clustering`, at: Date.now() }'), path="server.ts"),
        # A string returned by an McpServer tool is no result the SDK sends as a success.
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.tool("getUser", { id: z.string() }, async ({ id }) => {
              try { return { content: [{ type: "text", text: await lookup(id) }] }; }
              catch (error) { return `Error: ${error}`; }
            });
        """, path="server.ts"),
    )
    INVALID = (
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.tool("s", { q: z.string() }, async ({ q }) => {
              try { return { content: [{ type: "text", text: await search(q) }] }; }
              catch (e) {
                return { content: [{ type: "text", text: `Error: ${e}` }] };
              }
            });
        """, path="server.ts", line=5),
        # ... a dispatcher that does not validate: the handler's parse is the validation.
        Invalid(REPARSED_TOOL, path="src/handlers/defer.ts", line=12,
                files={"src/index.ts": VALIDATING_DISPATCH.replace("h.inputSchema.safeParse(req.params.arguments)", "{ success: true, data: req.params.arguments }"),
                       "src/handlers/registry.ts": REGISTRY}),
        # ... or that validates, but the `try` also does the tool's work.
        Invalid(REPARSED_TOOL.replace("args = inputSchema.parse(rawArgs);", "args = inputSchema.parse(rawArgs); await defer(args.item);"),
                path="src/handlers/defer.ts", line=12, files={"src/index.ts": VALIDATING_DISPATCH, "src/handlers/registry.ts": REGISTRY}),
        # ... a `try` that parses, builds a URL or calls out can fail.
        Invalid(STUB_TOOL.format(answer="JSON.parse(store)"), path="server.ts", line=7),
        Invalid(STUB_TOOL.format(answer="{ host: new URL(store).host }"), path="server.ts", line=7),
        Invalid(STUB_TOOL.format(answer="{ rows: await search(store) }"), path="server.ts", line=7),
        Invalid(STUB_TOOL.format(answer="{ size: store.length }"), path="server.ts", line=7),
        # Through a same-file helper that builds the result without the flag (pulumi/mcp-server).
        Invalid(ERROR_HELPER.format(flag=""), path="server.ts", line=10),
        # ... an arrow function whose body is the result (google-sheets-mcp-ts's `textOut`).
        Invalid(ARROW_HELPER.format(flag=""), path="server.ts", line=7),
        # Outside any catch, a failure report written as the result's text (cloud-run-mcp, f5xc-api-mcp).
        Invalid(VALIDATION_BRANCH.format(text='"Error: id is required"', flag=""), path="server.ts", line=4),
        Invalid(VALIDATION_BRANCH.format(text="JSON.stringify({ error: `no item ${id}` })", flag=""), path="server.ts", line=4),
        # fastmcp sends a returned string as a text result without the flag (lunchmoney-remote-mcp) ...
        Invalid(FASTMCP_TOOLS.format(handling="return `Error: ${error}`;"), path="src/tools/user.ts", line=11,
                message="tool failure returned as text: fastmcp sends a string"),
        # ... also when another module's helper builds that string.
        Invalid(FASTMCP_TOOLS.format(handling="return formatError(error);"), path="src/tools/user.ts", line=11, files={"src/utils/errors.ts": FORMAT_ERROR}),
    )

    def check(self) -> None:
        model = self.model
        for ret in model.nodes("return_statement"):
            catch = catch_of(ret)
            if catch is None:
                self._literal_report(ret)
                continue
            if not model.in_tool_code(ret) or model.reparses_validated_arguments(catch.parent) \
                    or throws_nothing(model, catch.parent.child_by_field_name("body")):
                continue  # the `catch` never runs
            value = ret.named_children[0] if ret.named_children else None
            result = model.result_of(value) if value is not None else None
            tool = model.tool_for(ret) if result == "text" else None
            if result != "plain" and not (tool is not None and tool.kind == "fastmcp" and enclosing_function(ret) == tool.handler):
                continue  # a string is a result only where fastmcp sends it as text
            if error_text_uses(model, value, catch_variables(model, catch)) or _ERROR_WORDS.search(model.text(value)):
                self.report_node(ret, "tool failure returned as a successful result: add `isError: true`" if result == "plain" else
                                 "tool failure returned as text: fastmcp sends a string as a successful result; throw a `UserError` instead")

    def _literal_report(self, ret) -> None:
        """Outside any `catch` (a validation branch, a "not found"): a tool handler's own result
        whose text is written as a failure report (`text: "Error: table not found"`,
        `text: JSON.stringify({ error: ... })`). No caught error to read: only the literal counts."""
        model = self.model
        value = unwrap(ret.named_children[0]) if ret.named_children else None
        tool = model.tool_for(ret) if value is not None else None
        if tool is None or enclosing_function(ret) != tool.handler or model.result_of(value, helpers=False) != "plain":
            return
        text = _content_text(model, value)
        if text is not None and (_FAILURE_OPENING.match(literal_text(model, text)) or _error_object_text(model, text)):
            self.report_node(ret, "tool failure returned as a successful result: add `isError: true`")


# Tools registered on `this` in a class extending `{base}`.
SERVER_SUBCLASS = """\
import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
class KonnectServer extends {base} {{
  register() {{
    this.tool("q", "Query", {{ sql: z.string() }}, async ({{ sql }}) => {{
      try {{ return await run(sql); }}
      catch (error) {{
        return {{ content: [{{ type: "text", text: `Query failed: ${{error.message}}` }}], isError: true }};
      }}
    }});
  }}
}}
"""


# A catch that throws Error values on, then sends the text of anything else thrown (yt-dlp-mcp).
NON_ERROR_FALLBACK = """\
import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
server.tool("search", "d", {{ q: z.string() }}, async ({{ q }}) => {{
  try {{
    return {{ content: [{{ type: "text", text: await search(q) }}] }};
  }} catch (error) {{
    if (error instanceof Error) {{
      {then}
    }}
    throw new Error(`Search failed: ${{String(error)}}`);
  }}
}});
"""


# A tool that checks the caller's URL and sends the parse error's text (astra-db-mcp).
URL_PARSE = """
    import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
    server.tool("open", { url: z.string() }, async ({ url }) => {
      try {
        const parsed = new URL(url);
        if (!["http:", "https:"].includes(parsed.protocol)) return { content: [{ type: "text", text: "http only" }], isError: true };
      } catch (e) {
        return { content: [{ type: "text", text: `Invalid URL format: ${e instanceof Error ? e.message : String(e)}` }], isError: true };
      }
      return await open(url);
    });
"""

# A class-based server whose tool reads only the class's own maps (robinsonai's openai-mcp cost alerts).
COST_ALERTS = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    class CostServer {{
      private server = new McpServer({{ name: "costs", version: "1" }});
      private alerts = {store};
      constructor() {{
        this.server.tool("list_alerts", {{}}, async () => {{
          try {{
            const alerts = Array.from(this.alerts.values());
            return this.formatResponse({{ alerts, count: alerts.length }});
          }} catch (error: any) {{
            return this.formatResponse({{ error: error.message }});
          }}
        }});
      }}
      private formatResponse(data: unknown) {{
        {format}
        return {{ content: [{{ type: "text", text: JSON.stringify(data) }}] }};
      }}
    }}
"""

# A class-based server whose tools ask a cost tracker the class keeps (robinsonai's openai-mcp
# `this.costManager`): the tracker's class is in the file or imported from the project.
COST_TRACKER = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    {head}
    class CostServer {{
      private server = new McpServer({{ name: "costs", version: "1" }});
      private costs: CostTracker;
      constructor() {{
        this.costs = new CostTracker();
        this.server.tool("cost_history", {{}}, async () => {{
          try {{
            const history = {call};
            return {{ content: [{{ type: "text", text: JSON.stringify(history) }}] }};
          }} catch (error: any) {{
            return {{ content: [{{ type: "text", text: error.message }}], isError: true }};
          }}
        }});
      }}
      private async summary() {{
        try {{
          return {{ total: this.costs.history().length, remote: (await fetch(COSTS_URL)).status }};
        }} catch (error) {{
          return {{ total: 0 }};
        }}
      }}
    }}
"""

ERRNO_PROBE = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    server.tool("probe", {{ path: z.string() }}, async ({{ path }}) => {{
      try {{
        return {{ content: [{{ type: "text", text: (await stat(path)).isDirectory() ? "directory" : "file" }}] }};
      }} catch (error) {{
        return {{ content: [{{ type: "text", text: {answer} }}], isError: true }};
      }}
    }});
"""

# A method forwarding to the imported function of the same name (European-Parliament's
# `this.dispatchToolCall(...)`): the call in it is the import's, not the method's own.
SAME_NAME_FORWARD = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    import {{ runTool }} from "./registry.js";
    class Dispatcher {{
      private server = new McpServer({{ name: "d", version: "1" }});
      constructor() {{
        this.server.tool("run", {{ name: z.string() }}, async ({{ name }}) => {{
          try {{
            return await this.runTool(name);
          }} catch (error: any) {{
            return {{ content: [{{ type: "text", text: error.message }}], isError: true }};
          }}
        }});
      }}
      private async runTool(name: string) {{
        return await runTool(name);
      }}
    }}
"""

# A registrar handed an instance of a class of the project (ms-365-mcp-server's
# `registerAuthTools(server, authManager: AuthManager)`).
ACCOUNT_TOOLS = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    {head}
    export function registerAccountTools(server: McpServer, accounts: {kind}) {{
      server.tool("list-accounts", {{}}, async () => {{
        try {{
          const found = await accounts.list();
          return {{ content: [{{ type: "text", text: JSON.stringify(found) }}] }};
        }} catch (error) {{
          return {{ content: [{{ type: "text", text: `Failed: ${{(error as Error).message}}` }}], isError: true }};
        }}
      }});
    }}
"""

ACCOUNT_CLASS = """
    {export}class Accounts {{
      private cache = new Map<string, string>();
      async list() {{
        {read}
        return [...this.cache.keys()];
      }}
    }}
"""

# The tracker's class: its records in memory, or read from another system.
COST_TRACKER_CLASS = """
    {export}class CostTracker {{
      private records: number[] = [];
      history() {{
        {read}
        return [...this.records].sort();
      }}
    }}
"""

# A parser class of the project whose method returns its failure as a field of its result, and
# a tool of another module that calls it (d365fo's metadata parser): what the tool reads of it.
PARSER_CLASS = """
    import {{ readFile }} from "node:fs/promises";
    export class Parser {{
      async parse(path: string) {{
        try {{
          return {{ success: true, data: JSON.parse(await readFile(path, "utf8")) }};
        }} catch (error) {{
          return {{ success: false, error: (error as Error).message }};
        }}
      }}
    }}
"""
PARSE_TOOL = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    import {{ z }} from "zod";
    import {{ Parser }} from "./parser.js";
    export function registerParseTools(server: McpServer, parser: Parser) {{
      server.tool("parse", {{ path: z.string() }}, async ({{ path }}) => {{
        {read}
        if (!ok) return {{ content: [{{ type: "text", text: {failure} }}], isError: true }};
        return {{ content: [{{ type: "text", text: JSON.stringify(data) }}] }};
      }});
    }}
"""

SANITIZED = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    server.tool("search_docs", {{ q: z.string() }}, async ({{ q }}) => {{
      try {{
        return {{ content: [{{ type: "text", text: await searchDocs(q) }}] }};
      }} catch (error) {{
        return {{ content: [{{ type: "text", text: `Search failed: ${{{text}}}` }}], isError: true }};
      }}
    }});
"""
LOCAL_ANALYSIS = """
    function summarise(text: string) {{
      const seen = new Set<string>();
      const words = text.toLowerCase().split(/\\s+/).filter((w) => w.length > 2);
      words.forEach((w) => seen.add(w));
      {reach}
      return words.map((w) => w.padEnd(12)).join("\\n") + count(words);
    }}
    const count = (words: string[]) => `${{new Set(words).size}} distinct`;
"""

DEFINITION_TOOL = """
    import { z } from "zod";
    const tool: ToolDefinition = {
      name: "session_close",
      description: "Close an idle session",
      inputSchema: z.object({ sessionId: z.string() }),
      call: async (args: unknown) => {
        try { return await pool.close(args); } catch (err) { return { success: false, error: String(err) }; }
      },
    };
    export default tool;
"""
# Tools written as objects in a module-level array, and a server that takes the arrays it lists.
ALERT_TOOLS = """
    export const alertTools = [{
      name: "create_alert",
      description: "Create an alert",
      inputSchema: { type: "object", properties: { rule: { type: "string" } } },
      handler: async (args: { rule: string }) => {
        try { return await api.createAlert(args.rule); }
        catch (e) { return { content: [{ type: "text", text: e.message }], isError: true }; }
      },
    }];
"""
ARRAY_SERVER = (
    'import { Server } from "@modelcontextprotocol/sdk/server/index.js";\n'
    'import { searchTools } from "./tools/search.js";\nTOOLS_LISTED\n'
    'const tools = [...searchTools];\n'
    'server.setRequestHandler(CallToolRequestSchema, async (req) => tools.find((t) => t.name === req.params.name).handler(req.params.arguments));\n'
)
SEARCH_TOOLS = 'export const searchTools = [{ name: "search", description: "Search", inputSchema: {}, handler: async () => ({ content: [] }) }];\n'
# ... and the server that imports every tool module at run time and dispatches to it.
REGISTRY_SERVER = (
    'import { Server } from "@modelcontextprotocol/sdk/server/index.js";\n'
    'const tools = Object.values(await import("./tools/index.js"));\n'
    'server.setRequestHandler(CallToolRequestSchema, async (req) => tools.find((t) => t.name === req.params.name).call(req.params.arguments));\n'
)


# A tool whose `try` awaits only a search helper that catches every error itself (jina's
# executeWebSearch), written in the tool's file or in another module.
SEARCH_HELPER = """
export async function executeSearch(query: string) {
  try {
    const response = await fetch(`https://search.example/?q=${query}`);
    return { results: await response.json() };
  } catch (error) {
    console.error("search failed", error);
    return { error: "Search failed" };
  }
}
"""
SEARCH_TOOL = """
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
IMPORT
server.registerTool("search", { inputSchema: { query: z.string() } }, async ({ query }) => {
  try {
    const found = await executeSearch(query);
    if ("error" in found) throw new Error("No results");
    return { content: [{ type: "text", text: JSON.stringify(found.results) }] };
  } catch (error) {
    return { content: [{ type: "text", text: `Error: ${error.message}` }], isError: true };
  }
});
"""


# A project error class (nikolai-vysotskyi/trace-mcp's `LockError`) a tool's catch sends the text of.
LOCK_ERROR = "export class LockError extends Error {\n  constructor(message: string, public readonly holder: unknown) {\n    super(message);\n  }\n}\n"
LOCK_THROWS = "export function claim(pid: number) {\n  throw new LockError(`Lock held by pid=${pid}`, { pid });\n}\n"
LOCK_STAND_IN = "jest.mock('./lock.js', () => ({ LockError: class LockError extends Error {} }));\nconst e = new LockError(String(thrown));\n"
LOCKED_TOOL = """
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { LockError, claim } from "./lock.js";
server.tool("reindex", "Reindex", {}, async () => {
  try {
    claim(process.pid);
    return { content: [{ type: "text", text: "ok" }] };
  } catch (e) {
    if (e instanceof LockError) return { content: [{ type: "text", text: e.message }], isError: true };
    throw e;
  }
});
"""


class TsExceptionDetailsToClient(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags tool code (and MCP routes) that send the caught error's
    own text to the client: `e.message`, `` `${err}` ``, `String(err)`, `err.stack`,
    `JSON.stringify(err)` in a returned result, a new error thrown from the `catch` (McpServer
    returns its message as the tool's result, the low-level `Server` as the JSON-RPC error's
    message), or an HTTP error response. Authored messages, a rethrow of the caught error,
    `e.code`/`e.name`, errors of classes listed in `user-facing-exceptions` or of the project's
    own error classes whose every message the project writes (each `new LockError(...)` passes a
    literal or template naming no error text, response or output, or a choice between two such
    (`failed ? "..." : `...``), and the class hands it to
    `Error` or composes its own) (in the branch of an `instanceof` test for them, `instanceof
    z.ZodError` too; the rest of the catch block is judged as usual), text sent only in development
    (`data: process.env.NODE_ENV === "development" ? err.message : undefined`), and text sent
    only after an `if (e instanceof Error) { ... throw/return }` branch (what reaches it is a
    thrown string or object, which the tool's own calls do not throw) are fine, and so is the
    text of a `try` that can throw only from parsing: `new URL(...)` ("Invalid URL"), a schema's
    `parse(...)` (a Zod schema it may build right there: the issues name paths and expected
    types), `JSON.parse` or an XML parser (xml2js's `new Parser().parseStringPromise(xml)`: a line
    and a column), or that calls nothing reaching another system and throws only messages it writes (a literal,
    or a template naming no error text: `` `Invalid mode: ${mode}` ``) (`process.env` reads,
    `JSON.stringify` of what it built, log lines, string and array methods, node's path arithmetic
    (`path.resolve(base, name)`), terminal colours (`chalk.yellow(text)`), YAML of a value
    (`YAML.stringify(data)`), any method of a collection the
    code builds itself (`new Set()`, an array) or that a field of its class always holds
    (`this.alerts` where the class sets only `new Map()` to it), functions and methods of the
    file that reach nothing themselves (`this.formatResponse(data)`), and methods of a class of the
    project that reach nothing, called on an instance of it: a field the class only ever sets to
    one (`this.costs.history()` where the class sets only `new CostTracker()` to `this.costs`), a
    parameter typed with it (`accounts: Accounts`) or a const holding `new Accounts()`; its `stack` is still reported:
    it names the server's files) or only functions that catch every error themselves
    (their body a `try` whose `catch` throws nothing, after only synchronous code that touches
    nothing outside the process, such as building the request's URL and headers; in the file or
    imported from another module of the project, also awaited with a type argument:
    `await postApi<T>(...)`). Text the project passes through its own sanitizer first
    (`getSafeErrorMessage(error)`, `sanitizeError(e)`, `redactSecrets(err.message)`; not
    `safeStringify(err)`, which keeps every field) is its choice and is not reported.
    A function of another module that returns the text in a field of its result (`return {
    success: false, error: e.message }`) sends it only where a caller passes it on: where every
    call of it in the project drops the value or reads only other fields (`if (result.success &&
    result.data)`, `const { success, data } = await parse(path)`), it is not reported.

    ## Example
    ```ts
    } catch (error) {
      return { content: [{ type: "text", text: `Query failed: ${error.message}` }], isError: true };
    }
    ```

    ## Use instead
    ```ts
    } catch (error) {
      logger.error({ err: error }, "query failed");
      return { content: [{ type: "text", text: "Query failed" }], isError: true };
    }
    ```
    """

    code = "MCP0405"
    fix_hint = "Log the error server-side and return a fixed, user-facing message (`isError: true`)."
    requires = ("catch",)

    VALID = (
        # A stub whose `try` reaches nothing: its `catch` never sees another system's text (robinsonai).
        Valid(STUB_TOOL.format(answer='{ store, status: "not_implemented", at: Date.now() }'), path="server.ts"),
        Valid(STUB_TOOL.format(answer='{ store, createdAt: new Date().toISOString() }'), path="server.ts"),
        # The project's own error class, every message of which the project writes (trace-mcp's `LockError`).
        Valid(LOCKED_TOOL, path="src/server.ts", files={"src/lock.ts": LOCK_ERROR + LOCK_THROWS}),
        # ... whatever a test's stand-in of the class makes up (knowledge-base-mcp-server's jest mocks).
        Valid(LOCKED_TOOL, path="src/server.ts", files={"src/lock.ts": LOCK_ERROR + LOCK_THROWS, "src/lock.test.ts": LOCK_STAND_IN}),
        Valid(SEARCH_TOOL.replace("IMPORT", "") + SEARCH_HELPER, path="src/server.ts"),
        # A `try` that only logs and counts (rhombus's count tool).
        Valid(SEARCH_TOOL.replace("IMPORT", "").replace("const found = await executeSearch(query);",
              'logger.info(`searching ${query}`);\n    const found = { results: query.split(" ") };'), path="src/server.ts"),
        # The helper builds its URL before the `try` that catches every error of the request, and
        # the tool awaits it with a type argument (rhombus's `postApi<T>(...)`).
        Valid(SEARCH_TOOL.replace("IMPORT", 'import { executeSearch } from "./search.js";').replace("await executeSearch(query)", "await executeSearch<Found>(query)"),
              path="src/server.ts", files={"src/search.ts": SEARCH_HELPER.replace("  try {", "  const url = BASE_URL + `?q=${query}`;\n  try {")}),
        # ... also through a wrapper of another module that only awaits it (rhombus's `createCameraPolicy`).
        Valid(SEARCH_TOOL.replace("IMPORT", 'import { executeSearch } from "./api.js";'), path="src/server.ts",
              files={"src/api.ts": 'import { postSearch } from "./network.js";\nexport async function executeSearch(query: string) {\n  return await postSearch(query);\n}\n',
                     "src/network.ts": SEARCH_HELPER.replace("executeSearch", "postSearch")}),
        # A `try` that parses the caller's JSON and builds a result with another module's helper (rhombus's door tool).
        Valid(SEARCH_TOOL.replace("IMPORT", 'import { textResult } from "./util.js";')
              .replace("const found = await executeSearch(query);", 'const found = JSON.parse(query);\n    if (!found) return textResult("empty");'),
              path="src/server.ts", files={"src/util.ts": 'export function textResult(text: string) {\n  return { content: [{ type: "text", text }] };\n}\n'}),
        # ... also a protocol error whose message the code writes after its code (GmailMcpServer).
        Valid(SEARCH_TOOL.replace("IMPORT", 'import { McpError, ErrorCode } from "@modelcontextprotocol/sdk/types.js";')
              .replace('throw new Error("No results")', 'throw new McpError(ErrorCode.InvalidRequest, "No results")') + SEARCH_HELPER, path="src/server.ts"),
        Valid(SEARCH_TOOL.replace("IMPORT", 'import { executeSearch } from "./search.js";'), path="src/server.ts",
              files={"src/search.ts": SEARCH_HELPER}),
        # An array of tools no module imports: no server serves them.
        Valid(ALERT_TOOLS, path="src/tools/alerts.ts",
              files={"src/index.ts": ARRAY_SERVER.replace("TOOLS_LISTED", ""), "src/tools/search.ts": SEARCH_TOOLS}),
        # The same object with no input schema: a command of the project's CLI, no tool.
        Valid(DEFINITION_TOOL.replace("      inputSchema: z.object({ sessionId: z.string() }),\n", ""), path="src/commands/session_close.ts",
              files={"src/index.ts": REGISTRY_SERVER}),
        Valid(NON_ERROR_FALLBACK.format(then='console.error(error);\n      throw new Error("Search failed");'), path="server.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.tool("s", { q: z.string() }, async ({ q }) => {
              try { return { content: [{ type: "text", text: await search(Query.parse({ q })) }] }; }
              catch (error) {
                if (error instanceof z.ZodError) {
                  return { content: [{ type: "text", text: error.issues.map((e) => e.message).join(", ") }], isError: true };
                }
                throw error;
              }
            });
        """, path="server.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.tool("q", { sql: z.string() }, async ({ sql }) => {
              try { return await run(sql); }
              catch (error) {
                console.error("query failed", error);
                if (error instanceof UserError) return { content: [{ type: "text", text: error.message }], isError: true };
                return { content: [{ type: "text", text: `Query failed (${error.code})` }], isError: true };
              }
            });
        """, path="server.ts", options={"user-facing-exceptions": ["UserError"]}),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.tool("q", { sql: z.string() }, async ({ sql }) => {
              try { return await run(sql); }
              catch (error) {
                console.error("query failed", error);
                if (error.code === "ETIMEDOUT") throw new Error("The query timed out");
                if (error.code === "EAUTH") throw new AppError("Authentication failed", { cause: error });
                if (error.code === "EINVAL") throw new ValidationFailure("Invalid search parameters", error.response?.data);
                throw error;
              }
            });
        """, path="server.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.tool("q", { sql: z.string() }, async (args) => {
              try { return await run(QuerySchema.parse(args)); }
              catch (error) {
                if (error instanceof ZodError) throw new Error(`Invalid arguments: ${error.message}`);
                throw error;
              }
            });
        """, path="server.ts"),
        # The error's code read through a cast chooses a fixed answer (sdl-mcp's probeRepositoryRoot).
        Valid(ERRNO_PROBE.format(answer='(error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "unreadable"'), path="server.ts"),
        Valid(SERVER_SUBCLASS.format(base="Base"), path="server.ts"),  # `this` is not a server
        Valid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => {
              try { await transport.handleRequest(req, res, req.body); }
              catch (error) {
                res.status(500).json({
                  jsonrpc: "2.0",
                  error: { code: -32603, message: "Internal server error",
                           data: process.env.NODE_ENV === "development" ? (error as Error).message : undefined },
                });
              }
            });
        """, path="server.ts"),
        Valid(URL_PARSE, path="server.ts"),  # only `new URL(url)` can throw: "Invalid URL"
        Valid(URL_PARSE.replace("const parsed = new URL(url);", 'const parsed = new URL(url);\n        const gid = parsed.searchParams.get("gid");'), path="server.ts"),
        # xml2js parsing the caller's XML (d365fo-mcp-server): its errors give a line and a column.
        Valid('import { Parser } from "xml2js";\n' + URL_PARSE.replace("const parsed = new URL(url);", "const parsed = await new Parser().parseStringPromise(url);"), path="server.ts"),
        # the project's sanitizer cleans the text first (jamf-docs-mcp-server's getSafeErrorMessage)
        Valid(SANITIZED.format(text="getSafeErrorMessage(error)"), path="server.ts"),
        # functions of the file that reach nothing either (couchbase's query-text analysis)
        Valid(URL_PARSE.replace("const parsed = new URL(url);", "const parsed = summarise(url);") + LOCAL_ANALYSIS.format(reach=""), path="server.ts"),
        # ... also when it throws a message it writes with the caller's value in it (trace-mcp's validateCorpusName).
        Valid(URL_PARSE.replace("const parsed = new URL(url);", "const parsed = summarise(url);")
              + LOCAL_ANALYSIS.format(reach="if (words.length > 99) throw new Error(`Too many words from ${words[0]}: ` + words.length);"), path="server.ts"),
        Valid(URL_PARSE.replace("const parsed = new URL(url);", "const parsed = JSON.stringify({ host: process.env.SSH_HOST || 'unset' });"), path="server.ts"),  # nothing to fail in another system
        # Path arithmetic reads no file (trace-mcp's resolveCloneDir).
        Valid('import path from "node:path";\n' + URL_PARSE.replace("const parsed = new URL(url);",
              "const parsed = new URL(path.posix.join(BASE, path.basename(url)));\n        if (path.isAbsolute(url)) throw new Error(`Refusing ${url}`);"),
              path="server.ts"),
        # Terminal colours, YAML of what the code built, an array's search: computed in memory
        # (modelcontextprotocol/servers' sequential thinking formats each thought with chalk).
        Valid('import chalk from "chalk";\nimport YAML from "yaml";\n' + URL_PARSE.replace("const parsed = new URL(url);",
              "const parsed = chalk.bold.yellow(url) + YAML.stringify({ url }) + [BASE].findIndex((b) => b === url);"),
              path="server.ts"),
        # The tool reads only the parser's flag and data, or takes only them: the failure's text stops there.
        Valid(PARSER_CLASS.format(), path="src/parser.ts", files={"src/tools.ts": PARSE_TOOL.format(
            read="if (!path) {\n          const result = { content: [] };\n          return result;\n        }\n"  # another `result` of another block
                 "        const result = await parser.parse(path);\n        const ok = result.success, data = result.data;", failure='"Could not parse"')}),
        Valid(PARSER_CLASS.format(), path="src/parser.ts", files={"src/tools.ts": PARSE_TOOL.format(
            read="const { success: ok, data } = await parser.parse(path);", failure='"Could not parse"')}),
        # ... or drops its value.
        Valid(PARSER_CLASS.format(), path="src/parser.ts", files={"src/tools.ts": PARSE_TOOL.format(
            read="await parser.parse(path);\n        const ok = true, data = path;", failure='"Could not parse"')}),
        # Only the class's own map and a method of the class that reaches nothing either.
        Valid(COST_ALERTS.format(store="new Map<string, number>()", format=""), path="server.ts"),
        # A method of the tracker the class keeps, which reaches nothing: its class in the file ...
        Valid(COST_TRACKER.format(head=COST_TRACKER_CLASS.format(export="", read=""), call="this.costs.history()"), path="server.ts"),
        # ... or imported from another module of the project.
        Valid(COST_TRACKER.format(head='import { CostTracker } from "./costs.js";', call="this.costs.history()"), path="src/server.ts",
              files={"src/costs.ts": COST_TRACKER_CLASS.format(export="export ", read="")}),
        # A parameter typed with a class of the file or of the project.
        Valid(ACCOUNT_TOOLS.format(head=ACCOUNT_CLASS.format(export="", read=""), kind="Accounts"), path="server.ts"),
        Valid(ACCOUNT_TOOLS.format(head='import { Accounts } from "./accounts.js";', kind="Accounts"), path="src/server.ts",
              files={"src/accounts.ts": ACCOUNT_CLASS.format(export="export ", read="")}),
        # A method of the class that catches every error itself, awaited.
        Valid(COST_TRACKER.format(head=COST_TRACKER_CLASS.format(export="", read=""), call="await this.summary()"), path="server.ts"),
        # Only the schema built right there and its `parse` can throw: a ZodError about the arguments.
        Valid(URL_PARSE.replace("const parsed = new URL(url);", "const shape = z.object({ url: z.string().url().optional() });\n        const parsed = shape.parse({ url });"), path="server.ts"),
    )
    INVALID = (
        Invalid(REGISTERED_HANDLER, path="src/tools/create_issue.ts", line=4, files=TOOL_REGISTRY),
        Invalid(ERRNO_PROBE.format(answer='(error as NodeJS.ErrnoException).message'), path="server.ts", line=6),
        # The tracker reads its records from another system: in the file or imported.
        Invalid(COST_TRACKER.format(head=COST_TRACKER_CLASS.format(export="", read="this.records = readFileSync(FILE);"),
                                    call="this.costs.history()"), path="server.ts", line=21),
        Invalid(COST_TRACKER.format(head='import { CostTracker } from "./costs.js";', call="this.costs.history()"), path="src/server.ts", line=13,
                files={"src/costs.ts": COST_TRACKER_CLASS.format(export="export ", read="this.records = readFileSync(FILE);")}),
        Invalid(SAME_NAME_FORWARD.format(), path="src/server.ts", line=10,
                files={"src/registry.ts": "export async function runTool(name: string) {\n  return await fetch(URL + name);\n}\n"}),
        # The class reads another system; an interface says nothing of what the instance does.
        Invalid(ACCOUNT_TOOLS.format(head='import { Accounts } from "./accounts.js";', kind="Accounts"), path="src/server.ts", line=9,
                files={"src/accounts.ts": ACCOUNT_CLASS.format(export="export ", read="await fetch(ACCOUNTS_URL);")}),
        Invalid(ACCOUNT_TOOLS.format(head="interface AccountStore { list(): Promise<string[]> }", kind="AccountStore"), path="server.ts", line=9),
        # The tool sends the parser's failure field, or another module's code uses the whole result.
        Invalid(PARSER_CLASS.format(), path="src/parser.ts", line=7, files={"src/tools.ts": PARSE_TOOL.format(
            read="const result = await parser.parse(path);\n        const ok = result.success, data = result.data;", failure="result.error")}),
        Invalid(PARSER_CLASS.format(), path="src/parser.ts", line=7, files={"src/tools.ts": PARSE_TOOL.format(
            read="const result = await parser.parse(path);\n        const ok = result.success, data = result;", failure='"Could not parse"')}),
        # ... also where the calling module's own handler is registered by a third module (its
        # calls are read wherever they are: the link pass runs before it knows its tool code).
        Invalid(PARSER_CLASS.format(), path="src/parser.ts", line=7, files={
            "src/index.ts": 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { z } from "zod";\n'
                            'import { handleParse } from "./tools.js";\nconst server = new McpServer({ name: "p", version: "1" });\n'
                            'server.tool("parse", { path: z.string() }, handleParse);\n',
            "src/tools.ts": 'import { Parser } from "./parser.js";\nconst parser = new Parser();\n'
                            'export async function handleParse({ path }: { path: string }) {\n'
                            '  const result = await parser.parse(path);\n'
                            '  if (!result.success) return { content: [{ type: "text", text: `Failed: ${result.error}` }], isError: true };\n'
                            '  return { content: [{ type: "text", text: JSON.stringify(result.data) }] };\n}\n'}),
        # A module of the project named `path` is not node's.
        Invalid('import chalk from "./chalk.js";\n' + URL_PARSE.replace("const parsed = new URL(url);", "const parsed = chalk.bold.yellow(url);"),
                path="server.ts", line=9),
        Invalid('import path from "./path.js";\n' + URL_PARSE.replace("const parsed = new URL(url);", "const parsed = new URL(path.resolve(BASE, url));"),
                path="server.ts", line=9),
        # The method of the imported class runs for the caller: the text its own catch returns is
        # sent (browserbase's `context.run(tool, params)`, whose caller's catch it leaves quiet).
        Invalid(COST_TRACKER_CLASS.format(export="export ", read="").replace(
                    "return [...this.records].sort();",
                    "try {\n          return await fetchRecords();\n        } catch (error) {\n          return [`failed: ${error.message}`];\n        }"),
                path="src/costs.ts", line=8,
                files={"src/server.ts": COST_TRACKER.format(head='import { CostTracker } from "./costs.js";', call="this.costs.history()")}),
        # A field that holds another value too is not known to be the tracker.
        Invalid(COST_TRACKER.format(head=COST_TRACKER_CLASS.format(export="", read=""), call="this.costs.history()")
                .replace("this.costs = new CostTracker();", "this.costs = new CostTracker();\n        this.costs = remoteTracker();"),
                path="server.ts", line=22),
        # ... one of whose messages carries a caught error's text.
        Invalid(LOCKED_TOOL, path="src/server.ts", line=8,
                files={"src/lock.ts": LOCK_ERROR + LOCK_THROWS + "export const wrap = (e: unknown) => new LockError(`lock failed: ${String(e)}`, null);\n"}),
        Invalid(ALERT_TOOLS, path="src/tools/alerts.ts", line=7, files={
            "src/index.ts": ARRAY_SERVER.replace("TOOLS_LISTED", 'import { alertTools } from "./tools/alerts.js";').replace("[...searchTools]", "[...searchTools, ...alertTools]"),
            "src/tools/search.ts": SEARCH_TOOLS,
        }),
        # ... nor when its `catch` hands the error to a function that rethrows it (strava-mcp).
        Invalid(SEARCH_TOOL.replace("IMPORT", 'import { executeSearch } from "./search.js";'), path="src/server.ts", line=9,
                files={"src/search.ts": SEARCH_HELPER.replace('return { error: "Search failed" };', "return await handleApiError(error);")}),
        # ... not when it awaits another system before its `try`.
        Invalid(SEARCH_TOOL.replace("IMPORT", 'import { executeSearch } from "./search.js";'), path="src/server.ts", line=9,
                files={"src/search.ts": SEARCH_HELPER.replace("  try {", "  const token = await fetchToken();\n  try {")}),
        # The helper hands the error on: its text reaches the tool's catch.
        Invalid(SEARCH_TOOL.replace("IMPORT", 'import { executeSearch } from "./search.js";'), path="src/server.ts", line=9,
                files={"src/search.ts": SEARCH_HELPER.replace('return { error: "Search failed" };', "throw error;")}),
        Invalid(SEARCH_TOOL.replace("IMPORT", "").replace('throw new Error("No results")', 'throw new McpError(ErrorCode.InternalError, found.error)')
                + SEARCH_HELPER, path="src/server.ts", line=9),  # a message it did not write
        # A tool written as an object that the project's registry serves (actual-mcp-server).
        Invalid(DEFINITION_TOOL, path="src/tools/session_close.ts", line=7, files={"src/index.ts": REGISTRY_SERVER}),
        # A registration wrapper whose catch narrows to ZodError first: the other errors' text
        # still reaches the client (atlas-mcp-server's registerTool).
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            export const registerTool = (server: McpServer, name: string, schema: any, handler: any) => {
              server.tool(name, "d", schema, async (args: any, extra: any) => {
                try { return await handler(args, extra); }
                catch (error) {
                  if (error instanceof z.ZodError) return respond(`Validation error: ${error.message}`);
                  if (verbose) return respond(error instanceof z.ZodError && error.message);
                  return respond(`Error: ${error instanceof Error ? error.message : "unknown"}`);
                }
              });
            };
        """, path="src/types/tool.ts", line=8, count=1),
        # The same fallback after a branch that goes on: it runs for Errors too.
        Invalid(NON_ERROR_FALLBACK.format(then="console.error(error.message);"), path="server.ts", line=9,
                message="(`error`)"),
        Invalid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => {
              try { await transport.handleRequest(req, res, req.body); }
              catch (error) {
                res.status(500).json({ error: { data: process.env.NODE_ENV === "production" ? (error as Error).message : undefined } });
              }
            });
        """, path="server.ts", line=6),
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.tool("q", { sql: z.string() }, async ({ sql }) => {
              try { return await run(sql); }
              catch (error) {
                return { content: [{ type: "text", text: `Query failed: ${error.message}` }], isError: true };
              }
            });
        """, path="server.ts", line=5),
        # A new error carrying the caught one's text: the SDK sends its message to the client.
        Invalid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              try { return await run(request.params.arguments?.sql as string); }
              catch (error) {
                throw new Error(`Failed to query: ${error.message}`);
              }
            });
        """, path="server.ts", line=5),
        Invalid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              try { return await kubectl(request.params.arguments); }
              catch (error) {
                throw new McpError(ErrorCode.InternalError, `kubectl failed: ${error.message}`, { cause: error });
              }
            });
        """, path="server.ts", line=5),
        # A fetch joins the URL parse in the `try`: its error text is no longer "Invalid URL".
        Invalid(URL_PARSE.replace("const parsed = new URL(url);", "const parsed = new URL(url); await fetch(parsed);"), path="server.ts", line=7),
        Invalid(URL_PARSE.replace("const parsed = new URL(url);", 'const parsed = new URL(url);\n        const gid = store.params.get(parsed.host);'), path="server.ts", line=8),
        Invalid('import { Parser } from "./feeds.js";\n' + URL_PARSE.replace("const parsed = new URL(url);", "const parsed = await new Parser().parseStringPromise(url);"), path="server.ts", line=9),
        Invalid(SANITIZED.format(text="safeStringify(error)"), path="server.ts", line=6),  # keeps every field
        # The stack of an error the `try` can only throw from parsing still names the server's files (square).
        Invalid(URL_PARSE.replace("e instanceof Error ? e.message : String(e)", "(e as Error).stack"), path="server.ts", line=7),
        # A store of another class (a database, an API) and a method that calls out are no memory.
        Invalid(COST_ALERTS.format(store="new AlertStore(process.env.DB_URL)", format=""), path="server.ts", line=11),
        Invalid(COST_ALERTS.format(store="new Map<string, number>()", format='await fetch("https://audit.example/log");'), path="server.ts", line=11),
        Invalid(URL_PARSE.replace("const parsed = new URL(url);", "const parsed = summarise(url);") + LOCAL_ANALYSIS.format(reach="lookup(words);"),
                path="server.ts", line=7),
        Invalid(URL_PARSE.replace("const parsed = new URL(url);", "const parsed = summarise(url);")
                + LOCAL_ANALYSIS.format(reach="if (words.length > 99) throw new Error(`Too many words: ${lastError.message}`);"), path="server.ts", line=7),
        Invalid(URL_PARSE.replace("const parsed = new URL(url);", "const parsed = shape.parse(loadDefaults(url));"), path="server.ts", line=7),
        # The error's text through a local.
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.tool("wiki", { path: z.string() }, async ({ path }) => {
              try { return await fetchPage(path); }
              catch (error) {
                const message = error.response?.data?.message || error.message;
                return { content: [{ type: "text", text: `Page not found: ${message}` }], isError: true };
              }
            });
        """, path="server.ts", line=6),
        # Registered on `this` in a class that extends the server class.
        Invalid(SERVER_SUBCLASS.format(base="McpServer"), path="server.ts", line=7),
        Invalid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              try { return await run(request.params.arguments?.sql as string); }
              catch (err) {
                const error = err as Error;
                return { content: [{ type: "text", text: `Error: ${error.message}` }], isError: true };
              }
            });
        """, path="server.ts", line=6),
        Invalid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => {
              try { await transport.handleRequest(req, res, req.body); }
              catch (error) { res.status(500).json({ error: { message: error.message } }); }
            });
        """, path="server.ts", line=5),
    )

    def check(self) -> None:
        model = self.model
        # the option's classes, and the project's own whose every message it writes itself
        user_facing = tuple(self.option("user-facing-exceptions")) + tuple(getattr(model.doc, "authored_errors", ()))
        mcp_routes = [r.handlers[-1] for r in model.routes if r.serves_mcp and r.handlers]
        for catch in model.nodes("catch_clause"):
            variables = catch_variables(model, catch)
            body = catch.child_by_field_name("body")
            if not variables or body is None:
                continue
            in_route = any(within(catch, h) for h in mcp_routes)
            if not in_route and not model.in_tool_code(catch):
                continue
            # `try { new URL(url) } catch (e) { ... e.message }`: the text is "Invalid URL"; but
            # the stack of even an authored error names the server's files (square's `err.stack`)
            quiet = reaches_nothing(model, catch.parent.child_by_field_name("body") if catch.parent is not None else None)
            exits = _exiting_error_branches(model, body, variables)
            function, reads = enclosing_function(catch), ()  # `reads`: what callers read of its value, once asked
            for node in self._sinks(model, body, in_route):
                uses = [u for sent in _sent(node) for u in error_text_uses(model, sent, variables)] if catch_of(node) == catch else []
                uses = [u for u in uses if not model.development_only(u) and not any(u.start_byte > b.end_byte for b in exits)
                        and not _narrowed_to(model, u, body, user_facing) and (not quiet or _stack_of(model, u))]
                if uses and node.type == "return_statement" and enclosing_function(node) == function:
                    reads = fields_read(model, function) if reads == () else reads
                    uses = [u for u in uses if not _unread_by_callers(model, u, node, reads)]
                if uses:
                    self.report_node(node, f"the caught error's own text (`{model.text(uses[0])}`) is sent to the client")

    def _sinks(self, model, body, in_route: bool) -> Iterable:
        for node in walk(body):
            if node.type == "return_statement":
                yield node
            elif node.type == "throw_statement" and not in_route and _throws_new(node):
                yield node  # both SDK servers send a thrown error's message to the client
            elif in_route and node.type == "call_expression" and method_name(model.doc, node) in ("json", "send", "end", "write"):
                yield node


def _narrowed_to(model, node, body, classes) -> bool:
    """`node` is in the branch of an `instanceof` test for one of `classes` inside `body`:
    `if (e instanceof z.ZodError) { ... }`, `e instanceof UserError ? e.message : "failed"`,
    `e instanceof UserError && e.message`."""
    pattern = re.compile(r"instanceof\s+(?:[\w$]+\.)*(?:%s)\b" % "|".join(map(re.escape, classes))) if classes else None
    parent = node.parent
    while pattern is not None and parent is not None and parent != body:
        if parent.type in ("if_statement", "ternary_expression"):
            test, branch = parent.child_by_field_name("condition"), parent.child_by_field_name("consequence")
        elif parent.type == "binary_expression" and model.text(parent.child_by_field_name("operator")) == "&&":
            test, branch = parent.child_by_field_name("left"), parent.child_by_field_name("right")
        else:
            test = branch = None
        if branch is not None and within(node, branch) and pattern.search(model.text(test)):
            return True
        parent = parent.parent
    return False



def _unread_by_callers(model, use, returned, reads) -> bool:
    """The function's callers in other modules never read the part of its returned value that
    holds `use`: they drop the value, or read other fields of the object (`return { success: false,
    error: e.message }` where each caller tests only `result.success`); `reads` is what they read
    (`result_reads.fields_read`)."""
    if reads is None:
        return False
    if not reads:
        return True
    value = unwrap(returned.named_children[0]) if returned.named_children else None
    if value is None or value.type != "object":
        return False
    pair = next((p for p in value.named_children if p.type == "pair" and within(use, p)), None)
    key = pair.child_by_field_name("key") if pair is not None else None
    return key is not None and key.type in ("property_identifier", "string") and model.text(key).strip("'\"") not in reads


def _sent(sink) -> list:
    """What a sink sends: a thrown error's message, else the whole returned or written value.
    The message is the first argument after a leading code (`McpError(ErrorCode.X, message)`);
    later arguments (`{ cause: error }`, a response body kept on the error) stay on the server."""
    if sink.type != "throw_statement":
        return [sink]
    args = [unwrap(a) for a in arguments(unwrap(sink.named_children[0]))]
    if args and args[0].type in ("member_expression", "number") and len(args) > 1:
        args = args[1:]
    return args[:1] if args and args[0].type != "object" else []


def _exiting_error_branches(model, body, variables: set) -> list:
    """`if (e instanceof Error) { ...; throw ... }` at the top of a catch block: what follows
    it runs only for a thrown value that is not an Error (`String(e)` of a string or object),
    whose text the tool's own calls never produce."""
    found = []
    for statement in body.named_children:
        if statement.type != "if_statement" or statement.child_by_field_name("alternative") is not None:
            continue
        test = model.text(statement.child_by_field_name("condition")).strip("() \n")
        branch = statement.child_by_field_name("consequence")
        if re.fullmatch(r"([\w$]+)\s+instanceof\s+Error", test) and test.split()[0] in variables and _always_exits(branch):
            found.append(statement)
    return found


def _always_exits(branch) -> bool:
    """The branch ends in a `throw` or a `return` (its last statement)."""
    last = branch.named_children[-1] if branch is not None and branch.type == "statement_block" and branch.named_children else branch
    return last is not None and last.type in ("throw_statement", "return_statement")


def _throws_new(node) -> bool:
    """`throw new Error(...)`: a new error whose message the code wrote (a rethrow of the caught
    error keeps the SDK's default, which every tool without a `catch` has too)."""
    thrown = unwrap(node.named_children[0]) if node.named_children else None
    return thrown is not None and thrown.type in ("new_expression", "call_expression")


class TsProtocolErrorForAppFailure(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags `throw new McpError(ErrorCode.InternalError, ...)` (v2
    `ProtocolError`), and any protocol error thrown from a `catch`, in tool code. In a low-level
    `tools/call` handler it becomes a JSON-RPC error the model never sees (warning); in McpServer
    handlers the SDK converts it to an `isError` result, so it is only info. `InvalidParams` /
    `MethodNotFound` for an unknown tool or bad arguments and `UrlElicitationRequired` are right.

    ## Example
    ```ts
    } catch (e) {
      throw new McpError(ErrorCode.InternalError, "database unavailable");
    }
    ```

    ## Use instead
    ```ts
    return { content: [{ type: "text", text: "Database unavailable, retry later" }], isError: true };
    ```
    """

    code = "MCP0402"
    fix_hint = "Return `{ content: [{ type: \"text\", text }], isError: true }`; keep McpError/ProtocolError for protocol failures (unknown tool, invalid params)."
    requires = ("McpError", "ProtocolError")

    VALID = (
        Valid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            import { McpError, ErrorCode, CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              switch (request.params.name) {
                case "a": return { content: [] };
                default: throw new McpError(ErrorCode.MethodNotFound, `Unknown tool ${request.params.name}`);
              }
            });
        """, path="server.ts"),
    )
    INVALID = (
        Invalid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            import { McpError, ErrorCode, CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              try { return { content: [{ type: "text", text: await query() }] }; }
              catch (e) { throw new McpError(ErrorCode.InternalError, "query failed"); }
            });
        """, path="server.ts", line=5, severity="warning"),
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            import { McpError, ErrorCode } from "@modelcontextprotocol/sdk/types.js";
            server.tool("q", async () => {
              throw new McpError(ErrorCode.InternalError, "backend down");
            });
        """, path="server.ts", line=4, severity="info"),
    )

    def check(self) -> None:
        model = self.model
        for throw in model.nodes("throw_statement"):
            value = unwrap(throw.named_children[0]) if throw.named_children else None
            if value is None or value.type != "new_expression" or last_name(model.callee(value)) not in PROTOCOL_ERRORS:
                continue
            args = arguments(value)
            code = model.text(args[0]) if args else ""
            if PRECONDITION_CODES.search(code):
                continue
            if not (re.search(r"InternalError|-32603", code) or catch_of(throw) is not None):
                continue
            if not model.in_tool_code(throw):
                continue
            tool = model.tool_for(throw)
            lowlevel = tool is not None and tool.kind == "lowlevel"
            self.report_node(
                throw,
                "application failure thrown as an MCP protocol error: return an `isError` result",
                severity=None if lowlevel else Severity.INFO,
            )


# Messages the server sends the client (logging, progress, list changes): not the tool's work.
PROTOCOL_MESSAGES = {"sendLoggingMessage", "sendNotification", "notification", "sendResourceUpdated",
                     "sendToolListChanged", "sendResourceListChanged", "sendPromptListChanged"}


# A low-level server dispatching to tools kept in a registry (pulsemcp's servers).
REGISTRY_DISPATCH = """
import {{ Server }} from "@modelcontextprotocol/sdk/server/index.js";
server.setRequestHandler(CallToolRequestSchema, async (request) => {{
  const {{ name, arguments: args }} = request.params;
  const tool = {lookup};
  return await tool.handler(args);
}});
"""


class TsUnhandledExceptionInLowlevelHandler(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a low-level `setRequestHandler(CallToolRequestSchema |
    "tools/call", handler)` that awaits work outside a `try` whose `catch` returns a result: a
    rejection becomes a JSON-RPC `-32603` error with the raw message instead of an `isError`
    result. Delegating to a same-file dispatcher that catches counts as handled; calls into
    other modules are not judged, nor is the handler of a tool looked up in a registry
    (`tools.find((t) => t.name === name).handler(args)`: its code is where the tool is
    defined), nor are messages to the client (`sendLoggingMessage`,
    `sendNotification`) sent before a protocol error for an unknown tool or invalid arguments.

    ## Example
    ```ts
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const rows = await pool.query(request.params.arguments?.sql as string);
      return { content: [{ type: "text", text: JSON.stringify(rows) }] };
    });
    ```

    ## Use instead
    Wrap the body in `try { ... } catch (e) { return { content: [...], isError: true }; }`.
    """

    code = "MCP0403"
    fix_hint = "Wrap the handler body in try/catch that logs and returns `{ content: [...], isError: true }`."
    requires = ("CallToolRequestSchema", "tools/call")

    VALID = (
        Valid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              if (request.params.name !== "q") throw new Error(`Unknown tool: ${request.params.name}`);
              try {
                const rows = await pool.query("select 1");
                return { content: [{ type: "text", text: JSON.stringify(rows) }] };
              } catch (e) {
                return { content: [{ type: "text", text: "query failed" }], isError: true };
              }
            });
        """, path="server.ts"),
        Valid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            import { handleTool } from "./tools.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => handleTool(request));
        """, path="server.ts"),
        Valid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
              if (!tools.has(request.params.name)) {
                await server.sendLoggingMessage({ level: "error", data: "unknown tool" });
                throw new McpError(ErrorCode.InvalidParams, "unknown tool");
              }
              try {
                await extra.sendNotification({ method: "notifications/progress", params: { progress: 0 } });
                return await run(request);
              } catch (e) {
                return { content: [{ type: "text", text: "failed" }], isError: true };
              }
            });
        """, path="server.ts"),
        Valid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              try {
                return await run(request);
              } catch (error) {
                let detail = "";
                try { detail = await error.response.text(); } catch (e) { /* no body */ }
                console.error("call failed", detail);
                return { content: [{ type: "text", text: "failed" }], isError: true };
              }
            });
        """, path="server.ts"),
        Valid(REGISTRY_DISPATCH.format(lookup="tools.find((t) => t.name === name)"), path="server.ts"),
        # A same-file tool wrapper also has a `handler`: still the registry's tool that runs.
        Valid(REGISTRY_DISPATCH.format(lookup="registry.get(name)") + "const wrapped = { handler: async (args: unknown) => await risky(args) };\n", path="server.ts"),
    )
    INVALID = (
        # The registry's tool runs inside a `try` whose `catch` rethrows: this handler's own doing.
        Invalid(REGISTRY_DISPATCH.format(lookup="tools.find((t) => t.name === name)").replace(
            "  return await tool.handler(args);", "  try { return await tool.handler(args); } catch (e) { throw new McpError(ErrorCode.InternalError, String(e)); }"),
            path="server.ts", line=5),
        # The looked-up value is not a tool of a registry: a client built per call.
        Invalid(REGISTRY_DISPATCH.format(lookup="new ToolClient(name)"), path="server.ts", line=5),
        Invalid("""
            import { Server } from "@modelcontextprotocol/sdk/server/index.js";
            server.setRequestHandler(CallToolRequestSchema, async (request) => {
              const rows = await pool.query(request.params.arguments?.sql as string);
              return { content: [{ type: "text", text: JSON.stringify(rows) }] };
            });
        """, path="server.ts", line=3),
    )

    def check(self) -> None:
        model = self.model
        for tool in model.tools:
            if tool.kind != "lowlevel" or tool.handler.has_error:
                continue
            node = self._unguarded(model, tool.handler, depth=0)
            if node is not None:
                self.report_node(node, "awaited work in a low-level tools/call handler is not inside a try/catch returning an `isError` result")

    def _unguarded(self, model, func, depth: int):
        for node in walk(func):
            if node.type == "await_expression" and enclosing_function(node) == func and not _guarded(model, node, func):
                inner = unwrap(node.named_children[0]) if node.named_children else None
                if inner is not None and inner.type == "call_expression" and last_name(model.callee(inner)) in PROTOCOL_MESSAGES:
                    continue  # a log or notification to the client, not the tool's work
                if inner is not None and inner.type == "call_expression" and _looked_up_tool(model, inner) and not any(_enclosing_tries(node, func)):
                    continue  # a registered tool's own handler: judged where the tool is defined (a `catch` here that rethrows is judged here)
                if inner is not None and inner.type == "call_expression":
                    targets = model.functions_by_name.get(last_name(model.callee(inner)), ())
                    if targets:
                        if depth < 3 and all(self._unguarded(model, t, depth + 1) is None for t in targets):
                            continue
                    elif model.imported_from(model.callee(inner)).startswith("."):
                        continue  # a project dispatcher in another module: not judged
                return node
        return None


def _looked_up_tool(model, call) -> bool:
    """`tool.handler(args)` with `const tool = tools.find((t) => t.name === name)` (or
    `registry.get(name)`, `TOOLS[name]`): the handler of a tool looked up in a registry, whose
    code is wherever that tool was defined (usually a module per tool)."""
    receiver = call.child_by_field_name("function")
    while receiver is not None and receiver.type == "member_expression":  # `toolEntry.tool.handler`
        receiver = receiver.child_by_field_name("object")
    if receiver is None or receiver.type != "identifier":
        return False
    value = model.local_value(receiver)
    if value is None:
        return False
    if value.type == "await_expression" and value.named_children:
        value = unwrap(value.named_children[0])
    return value.type == "subscript_expression" or (value.type == "call_expression" and last_name(model.callee(value)) in ("find", "get"))


def _enclosing_tries(node, func) -> Iterable:
    """The `try` statements of `func` whose block holds `node`, innermost first."""
    parent = node.parent
    while parent is not None and parent != func:
        if parent.type == "statement_block" and parent.parent is not None and parent.parent.type == "try_statement":
            yield parent.parent
        parent = parent.parent


def _guarded(model, node, func) -> bool:
    """Inside a `try` whose `catch` returns a result, or swallows the error (no `throw`: the
    handler goes on to its own result)."""
    for statement in _enclosing_tries(node, func):
        handler = statement.child_by_field_name("handler")
        if handler is not None and (re.search(r"\breturn\b", model.text(handler)) or not re.search(r"\bthrow\b", model.text(handler))):
            return True
    return False
