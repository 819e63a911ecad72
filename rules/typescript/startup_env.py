"""Checklist item 1 for TypeScript: read and validate configuration at startup."""

from __future__ import annotations

import re
from typing import Iterable

from mcp_lint.model import Finding
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.rule import TypeScriptProjectRule, TypeScriptRule

# Variables the runtime or the platform sets, which code legitimately consults anywhere.
# What the Node runtime and CI set (the operating system's variables are in the `allowed` option).
# The runtime's and the OS's own (`PATHEXT`: Windows' executable extensions, like `PATH`).
RUNTIME_VARIABLES = {"NODE_ENV", "DEBUG", "CI", "PATHEXT"}


# A server registering a handler another module exports (the cases of cross-module tool code).
LINKED_SERVER = """\
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { getProfile } from "./tools/index.js";
const server = new McpServer({ name: "strava", version: "1.0.0" });
server.tool(getProfile.name, "The athlete's profile", {}, getProfile.execute);
"""
GET_PROFILE = """\
export const getProfile = {
  name: "get-profile",
  execute: async () => {
    const token = process.env.STRAVA_ACCESS_TOKEN;
    return { content: [{ type: "text", text: await fetchProfile(token) }] };
  },
};
"""



OPTIONAL_SHAPES = """\
import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
function fetchVia(url: string) {{
  const proxy = process.env.PROXY_URL || process.env.HTTPS_PROXY || undefined;
  if (!proxy) {{
    {proxy_missing};
  }}
  return fetch(url, {{ agent: agentFor(proxy) }});
}}
function runtime() {{
  if (process.env.CONTAINER_HOST{probe}includes("podman")) {{ return "podman"; }}
  return "docker";
}}
server.registerTool("get", {{ inputSchema: {{ url: z.string() }} }}, async ({{ url }}) => ({{
  content: [{{ type: "text", text: runtime() + (await fetchVia(url)).status }}],
}}));
"""

MODEL_LIST = """
    import {{ McpServer }} from "@modelcontextprotocol/sdk/server/mcp.js";
    function customModels(): string[] {{
      return process.env.CUSTOM_MODELS?.split(",").map((m) => m.trim()).filter(Boolean){default};
    }}
    server.tool("models", {{}}, async () => ({{ content: [{{ type: "text", text: customModels().join(", ") }}] }}));
"""


class TsEnvReadInTool(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags `process.env.X`, `process.env["X"]`, `const { X } =
    process.env`, `Bun.env.X` and `Deno.env.get("X")` read inside tool code (a tool handler, or
    a helper it calls, in its module or another of the project). Reads at module level, in startup functions, and in the tool's
    registration config (evaluated once) are fine, as are runtime variables such as `NODE_ENV`,
    the variables the `allowed` option lists (the proxy variables, ...), variables the project
    assigns itself (`process.env.ACCESS_TOKEN = refreshed` in any of its modules: state kept in
    the environment, not configuration), and optional settings:
    read with a default other than an empty one (`process.env.DB_PATH || "./data/nodes.db"`, also
    after cleaning: `process.env.NAME?.trim() || "kb"`, or parsing into a list:
    `process.env.MODELS?.split(",").map((m) => m.trim()) || []`; `?? ""` stands for a required value), only where a test showed the variable is set
    (`if (process.env.PORT) { ... }`, `process.env.X ? a : b`, or a local holding the read, or
    a chain of reads ending in `undefined`, tested with a branch that goes on or a ternary:
    `raw ? Number(raw) : undefined`), as a flag (`===
    "true"`, `Boolean(...)`, `!!X`, `!!(X && Y)`, `/^(1|true)$/i.test(X ?? "")`, `if (process.env.HOST?.includes("podman"))`, a local
    holding the read only compared with fixed values, or used only where such a comparison holds:
    `if (tier === "team") return tier;`, `[A, B].filter(Boolean).length > 1`), a local tested by a function and given up when the test
    fails (`isMode(raw) ? raw : null`), a setting that is no credential checked in a ternary with
    a default (`Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_TTL`), a local used only under
    `&&` (`...(token && { headers: { credentials: token } })`), forwarded
    as it is to a child process (`env: { KUBECONFIG: process.env.KUBECONFIG }`), or kept as `null`
    or `undefined` in a record or an options object the code builds (`{ model: process.env.AGENT_MODEL
    || null }`, `{ executablePath: process.env.CHROME_PATH || undefined }`; not a credential, a
    name ending in `TOKEN`, `KEY`, `SECRET`, ... or such a word and `_ID`, `_JSON`, `_FILE`, ...:
    `TOKEN_OPTIMIZER_MODEL` is no credential). A local
    holding the read may go through method calls (`process.env.TOKEN?.trim()`) or a function
    given it (`normalizeOptionalPath(process.env.CONFIG_HOME)`) and be tested
    with `if (raw != null)` too. A read whose name is computed (`process.env[key]`) names no
    variable of its own and is not reported, as in Python. A default may
    end a chain (`options.env || process.env.ENV || "master"`); a read that ends a chain after
    a value the caller or the session may give (`args.project || process.env.DEFAULT_PROJECT`)
    only fills in for it, and is optional too, unless it holds a credential
    (`args.token || process.env.API_TOKEN`: without either the call fails); after another read
    (`process.env.API_KEY || process.env.KEY`) it is another name for a required value.

    ## Example
    ```ts
    server.registerTool("search", { inputSchema: { q: z.string() } }, async ({ q }) => {
      const key = process.env.SEARCH_API_KEY;
      ...
    });
    ```

    ## Use instead
    ```ts
    const config = ConfigSchema.parse(process.env); // at startup: fails before serving
    ```
    """

    code = "MCP0101"
    fix_hint = "Read and validate the variable once at startup (a config module: `Env.parse(process.env)`) and use that value in the tool."
    requires = ("env",)

    VALID = (
        # A chain ending in `undefined` held by a local tested for presence (perplexity), an
        # optional-chained probe as a condition (DesktopCommanderMCP).
        Valid(OPTIONAL_SHAPES.format(proxy_missing="return fetch(url)", probe="?."), path="server.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            const API_KEY = process.env.API_KEY ?? "";
            server.registerTool("search", { description: process.env.TOOL_DESCRIPTION }, async () => {
              if (process.env.NODE_ENV === "development") console.error("dev");
              const dbPath = process.env.NODE_DB_PATH || "./data/nodes.db";
              const service = process.env.OTEL_SERVICE_NAME?.trim() || "knowledge-base";
              const conflict = [process.env.ANTHROPIC_API_KEY, process.env.OPENAI_API_KEY].filter(Boolean).length > 1;
              const { LIMIT = "20" } = process.env;
              if (process.env.PORT) {
                const port = parseInt(process.env.PORT, 10);
              }
              const host = process.env.HOST ? process.env.HOST : "127.0.0.1";
              const proxy = process.env.HTTPS_PROXY || process.env.HTTP_PROXY;
              const unsafe = process.env.ALLOW_UNSAFE_FLAGS === "true" || !!process.env.MASK_SECRETS;
              const remote = Boolean(process.env.ENABLE_SSE || process.env.ENABLE_HTTP);
              const codespaces = !!(process.env.CODESPACE_NAME && process.env.CODESPACES_DOMAIN);
              await run("kubectl", { env: { ...process.env, KUBECONFIG: process.env.KUBECONFIG } });
              const method = process.env.AUTH_METHOD?.toLowerCase() === "pat" ? "pat" : "identity";
              if (method === "pat" && process.env.DEVOPS_PAT) {
                const token = process.env.DEVOPS_PAT;
              }
              const environment = options.environment || process.env.DEFAULT_ENVIRONMENT || "master";
              const org = process.env.DEFAULT_ORG;
              if (org) return { content: [{ type: "text", text: org }] };
              const telemetry = process.env.TELEMETRY_OFF;
              if (!telemetry) console.error("telemetry on");
              const verbose = (process.env.VERBOSE_LOGGING ?? "").trim().toLowerCase();
              if (verbose === "true" || verbose === "1") console.error("verbose");
              const token = process.env.BITBUCKET_TOKEN?.trim();
              if (token) return { content: [{ type: "text", text: "bitbucket" }] };
              const raw = process.env.CACHE_TTL_MS;
              if (raw != null) console.error("ttl", Number(raw));
              const timeoutRaw = process.env.OTEL_TIMEOUT_MS;
              const timeoutMs = timeoutRaw ? Number(timeoutRaw) : undefined;
              const project = args.projectId || process.env.DEFAULT_PROJECT;
              const configHome = normalizeOptionalPath(process.env.SDL_CONFIG_HOME);
              if (configHome) console.error(configHome);
              const noAddon = /^(1|true)$/i.test(process.env.DISABLE_NATIVE_ADDON ?? "");
              const extensions = process.env.PATHEXT?.split(";");
              const roots = process.env.ALLOWED_ROOTS ?? "";
              if (!roots.trim()) console.error("no root restrictions");
              const tier = process.env.PLAN_TIER;
              if (tier === "team" || tier === "enterprise") console.error(tier);
              const modeRaw = process.env.AUDIT_MODE;
              const mode = isAuditMode(modeRaw) ? modeRaw : null;
              const ttlRaw = Number(process.env.RESOLVE_INDEX_TTL_MS);
              const ttl = Number.isFinite(ttlRaw) && ttlRaw > 0 ? ttlRaw : DEFAULT_TTL_MS;
              const chromaToken = process.env.CHROMA_AUTH_TOKEN;
              const client = new AdminClient({ host, ...(chromaToken && { headers: { credentials: chromaToken } }) });
              args.agent ??= session?.lastSeenAgent ?? process.env.MCP_CLIENT_NAME;
              for (const key of ["PATH", "HOME"]) childEnv[key] = process.env[key];
              return { content: [{ type: "text", text: API_KEY.slice(0, 1) }] };
            });
        """, path="server.ts"),
        # A record the tool builds, keeping `null` for an unset variable (token-optimizer's event metadata).
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("record", {}, async () => {
              const event = { model: process.env.AGENT_MODEL || null, branch: (process.env.GIT_BRANCH?.trim() || null) };
              const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH || undefined });
              return { content: [{ type: "text", text: JSON.stringify({ ...event, ...identity() }) + browser }] };
            });
            function identity() {
              return { version: process.env.TOKEN_OPTIMIZER_CLIENT_VERSION || null, pool: process.env.KEY_POOL_NAME || null };
            }
        """, path="server.ts"),
        # A list parsed from the variable, empty when it is unset (d365fo's CUSTOM_MODELS); a value
        # cleaned with `replace` before its default, as with `trim`.
        Valid(MODEL_LIST.format(default=" || []"), path="server.ts"),
        Valid(MODEL_LIST.format(default=" || []").replace('process.env.CUSTOM_MODELS?.split(",").map((m) => m.trim()).filter(Boolean) || []',
                                                          'process.env.API_BASE?.replace(/\\/+$/, "") || "http://localhost:8080"'), path="server.ts"),
    )
    INVALID = (
        # ... not without the default.
        Invalid(MODEL_LIST.format(default=""), path="server.ts", line=3),
        Invalid(OPTIONAL_SHAPES.format(proxy_missing='throw new Error("a proxy is required")', probe="."),
                path="server.ts", count=2, message="CONTAINER_HOST"),
        # ... not a credential in it, nor `null` kept in a local the call then needs.
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("record", {}, async () => {
              const client = new Client({ apiKey: process.env.AGENT_API_KEY || null });
              const model = process.env.AGENT_MODEL || null;
              const signer = new Signer({ key: process.env.SERVICE_KEY_JSON || undefined, file: process.env.TOKEN_FILE || null });
              return { content: [{ type: "text", text: await client.complete(model) + signer }] };
            });
        """, path="server.ts", count=4),
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("search", { inputSchema: { q: z.string() } }, async ({ q }) => {
              const key = process.env.SEARCH_API_KEY;
              const region = (process.env.SEARCH_REGION ?? "").trim();
              const index = process.env.SEARCH_INDEX?.trim() || "";
              const keys = [process.env.SEARCH_KEY].filter(isValidKey);
              if (region === "eu") console.error("eu");
              return { content: [{ type: "text", text: region + index }] };
            });
        """, path="server.ts", line=3, message="SEARCH_API_KEY", count=4),  # the region is also used as text: not a flag
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("search", {}, async () => {
              const key = process.env.SEARCH_API_KEY;
              const auth = isApiKey(key) ? key : "anonymous";
              const region = process.env.SEARCH_REGION;
              if (region === "eu" || anyRegion) return { content: [{ type: "text", text: await search(auth, region) }] };
              return { content: [] };
            });
        """, path="server.ts", count=2),  # a fallback that is a value; a use where the word test may not hold
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("search", {}, async () => {
              if (process.env.REGION) console.error("region set");
              return { content: [{ type: "text", text: await search(process.env.SEARCH_API_KEY) }] };
            });
        """, path="server.ts", line=4, count=1, message="SEARCH_API_KEY"),
        # Given to a function that requires it, then checked with a failing branch; a `test` of
        # something other than a regular expression is no flag.
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("search", {}, async () => {
              const key = normalize(process.env.SEARCH_API_KEY);
              if (!key) throw new Error("SEARCH_API_KEY is required");
              const ok = urlPattern.test(process.env.SEARCH_URL ?? "");
              const region = process.env.SEARCH_REGION ?? "";
              if (!region.trim()) throw new Error("SEARCH_REGION is required");
              return { content: [{ type: "text", text: await search(key, ok, region) }] };
            });
        """, path="server.ts", line=3, count=3),
        # The caller's credential or the server's: without either the call fails.
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("run", {}, async (args) => {
              const token = args.apifyToken || process.env.APIFY_TOKEN;
              return { content: [{ type: "text", text: await run(token) }] };
            });
        """, path="server.ts", line=3, message="APIFY_TOKEN"),
        # Two names for one required value: the last one has no fallback of its own.
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("search", {}, async () => {
              const key = process.env.SEARCH_API_KEY || process.env.SEARCH_KEY;
              return { content: [{ type: "text", text: await search(key) }] };
            });
        """, path="server.ts", line=3, message="SEARCH_KEY", count=1),
        # A ternary on something else uses the value whether it is set or not.
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("search", {}, async ({ fast }) => {
              const timeoutRaw = process.env.SEARCH_TIMEOUT_MS;
              const timeoutMs = fast ? 100 : Number(timeoutRaw);
              return { content: [{ type: "text", text: await search(timeoutMs) }] };
            });
        """, path="server.ts", line=3, message="SEARCH_TIMEOUT_MS"),
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("search", {}, async () => {
              const key = process.env.SEARCH_API_KEY ?? "";
              return { content: [{ type: "text", text: await search(key) }] };
            });
        """, path="server.ts", line=3, message="SEARCH_API_KEY"),
        # Held through a method call, and required: the unset branch throws (lazy validation).
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("repos", {}, async () => {
              const token = process.env.BITBUCKET_TOKEN?.trim();
              if (!token) throw new Error("BITBUCKET_TOKEN is required");
              return { content: [{ type: "text", text: await list(token) }] };
            });
        """, path="server.ts", line=3, message="BITBUCKET_TOKEN"),
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            function client() {
              const { API_TOKEN } = process.env;
              return new Client(API_TOKEN);
            }
            server.tool("list", async () => ({ content: [{ type: "text", text: await client().list() }] }));
        """, path="server.ts", line=3),
        # Checked per call, failing when unset: a required setting read late.
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("search", {}, async () => {
              const key = process.env.SEARCH_API_KEY;
              if (!key) throw new Error("SEARCH_API_KEY is not set");
              return { content: [{ type: "text", text: await search(key) }] };
            });
        """, path="server.ts", line=3, message="SEARCH_API_KEY"),
        # The handler is an object property of a tool module, registered through a barrel file;
        # only a test sets the variable (a fixture, not the server's own state).
        Invalid(GET_PROFILE, path="src/tools/getProfile.ts", line=4, message="STRAVA_ACCESS_TOKEN",
            files={"src/tools/index.ts": "export * from './getProfile.js';\n", "src/server.ts": LINKED_SERVER,
                   "src/tools/getProfile.spec.ts": "process.env.STRAVA_ACCESS_TOKEN = 'test-token';\n"}),
    )
    VALID = VALID + (
        # The project stores the token there itself after an OAuth refresh (strava-mcp).
        Valid(GET_PROFILE, path="src/tools/getProfile.ts",
            files={"src/tools/index.ts": "export * from './getProfile.js';\n", "src/server.ts": LINKED_SERVER,
                   "src/auth.ts": "export function store(token: string) {\n  process.env.STRAVA_ACCESS_TOKEN = token;\n}\n"}),
        # The same module, exported but registered with a handler of the registering file.
        Valid(GET_PROFILE, path="src/tools/getProfile.ts",
            files={"src/tools/index.ts": "export * from './getProfile.js';\n",
                   "src/server.ts": LINKED_SERVER.replace("getProfile.execute", "async () => ({ content: [] })")}),
    )

    def check(self) -> None:
        model = self.model
        for read in model.env_reads:
            if read.function is None or not read.name or read.optional or read.name in RUNTIME_VARIABLES \
                    or read.name in self.option("allowed") or "import.meta" in model.text(read.node):
                continue  # a computed name (`process.env[key]`) names no variable of its own
            if read.name in getattr(model.doc, "env_written", ()):
                continue  # the project stores it there itself (a refreshed token): state, not configuration
            if model.in_tool_code(read.node):
                name = read.name or "an environment variable"
                self.report_node(read.node, f"`{name}` read from the environment inside tool code, on every call")


class TsRequiredEnvUnvalidated(TypeScriptProjectRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags a module-level `const X = process.env.X` (type
    `string | undefined`) that tool code uses while nothing checks it at startup: no default
    (`?? "x"`, `|| "x"`), no `if (!X) throw` / `process.exit`, no `assert(X)`, no schema
    (`z.object(...).parse(process.env)`, envalid, `createEnv`), in this module or another
    one (an entry point that checks the variable and exits before serving), and no branch on
    it (`if (PROJECT_ID) return PROJECT_ID;`: an optional setting, the code has a path
    without it). A non-null
    assertion (`process.env.X!`) is not validation: it only silences the compiler.

    ## Example
    ```ts
    const API_KEY = process.env.API_KEY!;
    server.registerTool("search", cfg, async ({ q }) => fetch(url, { headers: { key: API_KEY } }));
    ```

    ## Use instead
    ```ts
    const API_KEY = process.env.API_KEY;
    if (!API_KEY) throw new Error("API_KEY is required");
    ```
    """

    code = "MCP0102"
    fix_hint = "Fail at startup when it is missing: `if (!X) throw new Error(\"X is required\")`, or parse `process.env` with a Zod schema; `X!` is not a check."
    requires = ("env",)

    VALID = (
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            const API_KEY = process.env.API_KEY;
            const PIPELINE = process.env.PIPELINE_ID;
            if (!API_KEY || !PIPELINE) { console.error("API_KEY and PIPELINE_ID are required"); process.exit(1); }
            server.tool("s", async () => ({ content: [{ type: "text", text: API_KEY + PIPELINE }] }));
        """, path="server.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            const PROJECT_ID = process.env.PROJECT_ID;
            server.tool("s", async ({ id }) => {
              if (PROJECT_ID) { return { content: [{ type: "text", text: PROJECT_ID }] }; }
              return { content: [{ type: "text", text: id }] };
            });
        """, path="server.ts"),  # branched on: an optional setting (unset, the caller's id is used)
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            const REGION = process.env.REGION || "eu";
            server.tool("s", async () => ({ content: [{ type: "text", text: REGION }] }));
        """, path="server.ts"),
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            const API_KEY = process.env.API_KEY;
            export function createServer() {
              const server = new McpServer({ name: "s", version: "1" });
              server.tool("s", async () => ({ content: [{ type: "text", text: await search(API_KEY) }] }));
              return server;
            }
        """, path="src/server.ts", files={"src/index.ts": """
            import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
            import { createServer } from "./server.js";
            const API_KEY = process.env.API_KEY;
            if (!API_KEY) { console.error("API_KEY is required"); process.exit(1); }
            await createServer().connect(new StdioServerTransport());
        """}),
    )
    INVALID = (
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            const API_KEY = process.env.API_KEY!;
            server.tool("s", async () => ({ content: [{ type: "text", text: API_KEY }] }));
        """, path="server.ts", line=2, message="API_KEY"),
    )

    @classmethod
    def collect(cls, document, options):
        """The module-level reads of this file that tool code uses unchecked, and the variables
        this file checks at startup (an entry point often checks what a server module reads)."""
        model = model_of(document)
        module_reads = [r for r in model.env_reads if r.function is None and r.bound_to and not r.defaulted]
        source = document.text
        if not module_reads or re.search(r"\.parse\(\s*process\.env|cleanEnv\(|createEnv\(|envalid|safeParse\(\s*process\.env", source):
            return {"checked": [r.name for r in module_reads], "unchecked": []}
        checked, unchecked = [], []
        for read in module_reads:
            if _checked(source, read.bound_to):
                checked.append(read.name)
            elif model.tools and any(model.in_tool_code(node) for node in _identifiers(model, read.bound_to)):
                unchecked.append((read.name, read.bound_to, document.location(read.node), document.snippet(read.node)))
        return {"checked": checked, "unchecked": unchecked}

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        checked = {name for facts in facts_by_path.values() for name in facts["checked"]}
        for facts in facts_by_path.values():
            for name, bound_to, location, snippet in facts["unchecked"]:
                if name not in checked:
                    message = f"`{bound_to}` is `string | undefined`: read without a default or a startup check, and used in tool code"
                    yield Finding(cls.code, cls.name, cls.item, cls.severity, location, message, cls.fix_hint, snippet=snippet)


def _checked(source: str, var: str) -> bool:
    """Whether the file checks the constant `var` (`if (!X)`, `if (!A || !X)`, `X === undefined`,
    `assert(X)`, ...) or branches on it as an optional setting (`if (X) return X;`: the code
    has a path without it)."""
    var = re.escape(var)
    return re.search(
        rf"(?:if\s*\(|\|\||&&)\s*!\s*{var}\b|{var}\s*===?\s*(undefined|null|['\"]{{2}})|assert\w*\(\s*{var}\b|if\s*\(\s*{var}\s*(==|\)|&&|\|\|)|{var}\s*\?\?=|typeof\s+{var}",
        source,
    ) is not None


def _identifiers(model, name: str):
    from mcp_lint.documents.typescript import walk

    for func in model.tool_code.values():
        for node in walk(func):
            if node.type == "identifier" and model.text(node) == name:
                yield node
