"""The MCP model of one TypeScript/JavaScript file: what every TS rule asks.

Built from one walk over the tree: servers (`McpServer`, low-level `Server`, fastmcp
`FastMCP`, parameters typed with a server), tools and their handler functions (`registerTool`,
`tool`, fastmcp `addTool`, low-level `setRequestHandler(CallToolRequestSchema | "tools/call")`,
class-based `this.invoke.bind(this)`, `this.tool(...)` in a class extending `McpServer`, and
each call of a same-file wrapper that registers the handler it is given; tools written as
objects, `{ name: "x", description, inputSchema, handler }`, wherever they are registered, or
handed to a call with their handler (`registerTool({ name, description, inputSchema }, handler)`,
a project's own registry); the
`tools/call` branch of a JSON-RPC dispatcher written without an SDK, `switch (msg.method)`), which
names in a handler hold caller arguments, the tool code (handlers plus same-file helpers they
call; handlers and helpers of other modules are linked by tool_links.py), transports, HTTP apps with their middleware
and routes in order, loggers, pools, environment reads and signal handlers.

Like the Python model it is deliberately conservative: what it cannot resolve (a handler
imported from a package, a registration in a loop) is not tool code, so rules stay quiet; nor
are the registrations of a registrar the project never calls (the link pass names them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Set, Tuple

from mcp_lint.documents.typescript import walk
from mcp_lint.typescript.syntax import (
    FUNCTION_TYPES,
    arguments,
    callee,
    dotted,
    enclosing_function,
    is_function,
    last_name,
    method_name,
    object_property,
    parameter_type,
    parameters,
    pattern_names,
    string_value,
    text,
    unwrap,
    within,
)

SERVER_CLASSES = {"McpServer": "mcp", "Server": "lowlevel", "FastMCP": "fastmcp"}
MCP_MODULES = re.compile(r"^@modelcontextprotocol/|^fastmcp$|^mcp-handler$|^agents/mcp$")
TRANSPORTS = {
    "StdioServerTransport": "stdio",
    "StreamableHTTPServerTransport": "http",
    "NodeStreamableHTTPServerTransport": "http",
    "WebStandardStreamableHTTPServerTransport": "http",
    "SSEServerTransport": "sse",
}
HTTP_APP_FACTORIES = {"express": "express", "createMcpExpressApp": "express", "Router": "express",
                      "fastify": "fastify", "Fastify": "fastify"}
HTTP_APP_CLASSES = {"Hono": "hono"}
ROUTE_METHODS = {"get", "post", "put", "delete", "patch", "all", "use", "options", "head"}
POOL_FACTORIES = {
    "Pool": "pg", "createPool": "mysql", "knex": "knex", "PrismaClient": "prisma", "MongoClient": "mongodb",
    "createClient": "redis", "Redis": "redis", "createConnection": "mysql", "Sequelize": "sequelize",
    "DataSource": "typeorm", "drizzle": "drizzle",
}
POOL_MODULES = re.compile(r"^(pg|mysql2?(/promise)?|mariadb|knex|@prisma/client|mongodb|redis|ioredis|sequelize|typeorm|drizzle-orm.*|@neondatabase/serverless|postgres)$")
ENV_OBJECTS = ("process.env", "Bun.env", "import.meta.env")
ENV_OBJECT = re.compile(rb"\b(?:process\.env|Bun\.env|import\.meta\.env)\b(?!\w)")
CALL_TOOL = re.compile(r"^(CallToolRequestSchema|['\"`]tools/call['\"`])$")
# What a hand-written JSON-RPC dispatcher handles beside `tools/call` (as in the Python model)
JSONRPC_PEERS = frozenset({"initialize", "tools/list"})
_READS_PARAMS = re.compile(r"\bparams\b")
_VALIDATES_LOOKED_UP = re.compile(r"\.inputSchema\s*\.\s*(?:safeParse|parse)\s*\(")
LIST_TOOLS = re.compile(r"^(ListToolsRequestSchema|['\"`]tools/list['\"`])$")
# The handler property of a tool written as an object (`{ name, description, inputSchema, handler }`).
_DEFINITION_HANDLERS = ("handler", "call", "execute", "run", "handle", "callback")
_TOOL_NAME = re.compile(r"[\w.\-/]{1,128}")  # the characters MCP allows in a tool name
_DEFINITION_TEXT = re.compile(r"\b(?:" + "|".join(_DEFINITION_HANDLERS) + r")\s*[:(,}]")

_INTERESTING = frozenset(
    {"call_expression", "new_expression", "binary_expression",
     "catch_clause", "throw_statement", "return_statement", "variable_declarator", "import_statement",
     "assignment_expression", "augmented_assignment_expression", "try_statement", "class_declaration",
     "class", "if_statement"} | FUNCTION_TYPES
)


# A condition true only outside production: `NODE_ENV === "development"`, `NODE_ENV !== "production"`,
# `isDevelopment`, `config.debug`.
_DEVELOPMENT_TEST = re.compile(
    r"NODE_ENV['\"\]]?\s*===?\s*['\"](development|dev|test)['\"]|NODE_ENV['\"\]]?\s*!==?\s*['\"]production['\"]"
    r"|^\(?\s*[\w.]*\b(isDev|isDevelopment|IS_DEV|DEV|debug|DEBUG)\s*\)?$"
)
# Where a pino destination points: fd 2 / stderr, or fd 1 / stdout (`pino.destination()` with no
# argument is fd 1). Anything else (a path, a stream variable) is not the protocol stream.
_STDERR_DESTINATION = re.compile(r"\b(destination|dest|fd)\s*[(:]\s*(2\b|['\"]/dev/stderr['\"]|process\.stderr)|process\.stderr")
_DESTINATION_CALL = re.compile(r"\s*(\w+\.)?destination\s*\(")
_STDOUT_DESTINATION = re.compile(r"\b(destination|dest|fd)\s*(\(\s*\)|[(:]\s*(1\b|['\"]/dev/stdout['\"]|process\.stdout))|process\.stdout")

@dataclass(eq=False)
class Tool:
    name: str
    registration: object  # the call node
    handler: object  # function node
    # "mcp" (registerTool / tool), "fastmcp" (addTool), "lowlevel" (tools/call handler), "jsonrpc" (the
    # `tools/call` branch of a dispatcher written without an SDK: `handler` is that branch), "linked"
    kind: str
    schema: object = None  # inputSchema / parameters node, None when absent
    has_schema_slot: bool = True  # False for forms whose schema is not in the registration
    arg_names: Set[str] = field(default_factory=set)  # names bound to caller arguments
    args_object: str = ""  # low-level: the request parameter (`request.params.arguments`)
    # A call of a registration wrapper: the expressions its name and description come from
    # (the registration's own arguments otherwise; see snapshot.py)
    name_node: object = None
    description_node: object = None


@dataclass(eq=False)
class Route:
    app: str
    method: str
    path: Optional[str]  # None: mounted on every path (`app.use(mw)`)
    call: object
    handlers: list  # argument nodes after the path, in order
    serves_mcp: bool = False


@dataclass(eq=False)
class Logger:
    name: str
    library: str  # pino, winston, bunyan
    node: object
    stdout: bool  # writes to standard output
    structured: bool
    redact: List[str] = field(default_factory=list)


@dataclass(eq=False)
class EnvRead:
    name: str  # variable name, '' when computed
    node: object
    function: object  # enclosing function node or None (module level)
    bound_to: str = ""  # module-level `const X = process.env.X`
    defaulted: bool = False  # `?? x`, `|| x`, or a default in destructuring
    fallback: str = ""  # the text of that default
    presence_tested: bool = False  # in `if (process.env.X) ...` (its test or its body), `X ? a : b`, `X && a`
    flag: bool = False  # compared with a fixed value (`=== "true"`, `!== "false"`) or made a boolean (`Boolean(X)`, `!!X`)
    forwarded: bool = False  # passed on under its own name (`env: { KUBECONFIG: process.env.KUBECONFIG }`)
    falls_back: bool = False  # the last operand of a chain after other values (`args.project || process.env.X`)
    recorded: bool = False  # a property of an object literal that keeps `null` / `undefined` for unset (`model: process.env.MODEL || null`)

    @property
    def optional(self) -> bool:
        """Read with a real default (`|| "./data/nodes.db"`), only where a test showed the
        variable is set, as a flag, forwarded to a child process as it is, or as the fallback of
        a value the caller may give (the code goes on without it): an optional setting. An empty default (`?? ""`, `|| undefined`) stands for
        a required value."""
        return self.presence_tested or self.flag or self.forwarded or self.falls_back or self.recorded or (
            self.defaulted and self.fallback not in ('""', "''", "``", "undefined", "null", ""))


# String methods that only clean a value read from the environment, and those that parse it into
# a list (`process.env.MODELS?.split(",").map((m) => m.trim()) || []`: the default is the
# variable's, since a split value is never empty).
_CLEANERS = frozenset({"trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "normalize", "replace", "replaceAll",
                       "split", "map", "filter"})
# A variable that holds a credential: a fallback for the caller's own token is still required
# (`request.params.apifyToken || process.env.APIFY_TOKEN`: without either the call fails).
# The credential word names what the variable holds when it ends the name, alone or before a
# form of the same value (`GITHUB_TOKEN`, `API_KEY_ID`, `SA_KEY_JSON`, `TOKEN_FILE`); first or in the
# middle it qualifies something else (`TOKEN_OPTIMIZER_MODEL`, `AUTH_METHOD`, `KEY_VAULT_NAME`).
_CREDENTIAL_NAME = re.compile(
    r"(?:^|_)(?:TOKEN|KEY|SECRET|PASSWORD|PASS|PAT|CREDENTIALS?|AUTH)(?:_(?:ID|JSON|B64|BASE64|PEM|FILE|PATH|ENCODED|VALUE))?$",
    re.IGNORECASE)


# `raw != null`, `raw !== undefined`: a test that the variable is set.
_SET_TEST = re.compile(r"([\w$]+)\s*!==?\s*(?:null|undefined)")
# `!raw`, `!raw.trim()`, `!raw?.length`: holds when the variable is unset or empty.
_UNSET_TEST = re.compile(r"!\s*([\w$]+)(?:\??\.trim\(\)|\??\.length)?")
# `raw === "team"`: holds only when the variable is set (to that word).
_EQUALS_WORD = re.compile(r"([\w$]+)\s*===?\s*(['\"])[^'\"]+\2|(['\"])[^'\"]+\3\s*===?\s*([\w$]+)")


class TsModel:
    def __init__(self, doc):
        self.doc = doc
        self.by_type: Dict[str, list] = {}
        self.imports: Dict[str, tuple] = {}  # local name -> (module, imported name)
        self.functions_by_name: Dict[str, list] = {}
        self.servers: Dict[str, str] = {}  # variable / receiver text -> server kind
        self.tools: List[Tool] = []
        self.dispatch_branches: list = []  # the `tools/call` branches of the file's JSON-RPC dispatchers (tools)
        # (dotted handler expression, "tool" | "lowlevel", registration gives a schema, tool name) of
        # registrations whose handler is not in this file: tool_links.py follows them into the
        # modules defining them
        self.unresolved_handlers: List[Tuple[str, str, bool, str]] = []
        self.linked_helpers: list = []  # exported functions that tool code of other modules calls
        self.list_tools_handlers: list = []
        self.opaque_registrations: list = []  # tool registrations whose handler no file shows (`handlers[tool.name]`)
        # Tools registered here with a handler imported from another module: their name and
        # schema are here (the snapshot's), their code there (a "linked" tool of that module).
        self.handled_elsewhere: List[Tool] = []
        self.transports: List[tuple] = []  # (kind, node)
        self.apps: Dict[str, str] = {}
        self.routes: List[Route] = []
        self.loggers: Dict[str, Logger] = {}
        self.pools: List[tuple] = []  # (library, node)
        self.env_reads: List[EnvRead] = []
        self.signals: List[tuple] = []  # (signal, call node, handler node or None)
        self._tool_code: Optional[Dict[int, object]] = None
        self._startup_code: Optional[Dict[int, object]] = None
        self._absorbing: Dict[int, bool] = {}  # function node id -> `absorbs`, once asked
        self._field_values: Dict[int, Dict[str, list]] = {}  # class body node id -> `field_values`, once asked
        self._declarators_by_name: Optional[Dict[str, list]] = None  # `_declarators`, once asked
        self._callees: Dict[int, str] = {}
        self._server_aliases: Optional[Dict[str, str]] = None  # `server_type_aliases`, once asked
        self._index()
        self._find_imports()
        self._find_servers()
        self._find_tools()
        self._find_definition_objects()
        self._find_jsonrpc_dispatch()
        self._drop_unused_registrars(getattr(doc, "unused_registrars", ()))
        self.dispatch_branches = [t.handler for t in self.tools if t.kind == "jsonrpc"]
        self._find_linked_tools(getattr(doc, "linked_handlers", ()))
        self._find_transports_apps_pools_loggers()
        self._find_env_reads()

    # -- indexing ----------------------------------------------------------------------------

    def _index(self) -> None:
        self.by_type = capture(self.doc.tree, self.doc.grammar, _INTERESTING)
        for func in self.nodes(*FUNCTION_TYPES):
            name = self.function_name(func)
            if name:
                self.functions_by_name.setdefault(name, []).append(func)

    def nodes(self, *kinds: str) -> list:
        if len(kinds) == 1:
            return self.by_type.get(kinds[0], [])
        out = [n for k in kinds for n in self.by_type.get(k, [])]
        out.sort(key=lambda n: n.start_byte)
        return out

    def text(self, node) -> str:
        return text(self.doc, node)

    def callee(self, call) -> str:
        """`callee()` memoised per node: most rules ask it of every call in the file."""
        name = self._callees.get(call.id)
        if name is None:
            name = self._callees[call.id] = callee(self.doc, call)
        return name

    def function_name(self, func) -> str:
        name = func.child_by_field_name("name")
        if name is not None:
            return self.text(name)
        parent = func.parent
        if parent is not None and parent.type == "variable_declarator":
            return self.text(parent.child_by_field_name("name"))
        if parent is not None and parent.type in ("pair", "public_field_definition"):
            key = parent.child_by_field_name("key") or parent.child_by_field_name("name")
            return self.text(key)
        return ""

    # -- imports and servers -----------------------------------------------------------------

    def _find_imports(self) -> None:
        for stmt in self.nodes("import_statement"):
            source = string_value(self.doc, stmt.child_by_field_name("source"))
            if source is None:
                continue
            for clause in stmt.named_children:
                if clause.type != "import_clause":
                    continue
                for part in clause.named_children:
                    if part.type == "identifier":
                        self.imports[self.text(part)] = (source, "default")
                    elif part.type == "namespace_import":
                        for ident in part.named_children:
                            self.imports[self.text(ident)] = (source, "*")
                    elif part.type == "named_imports":
                        for spec in part.named_children:
                            if spec.type != "import_specifier":
                                continue
                            name = self.text(spec.child_by_field_name("name"))
                            alias = spec.child_by_field_name("alias")
                            self.imports[self.text(alias) if alias is not None else name] = (source, name)
        for decl in self.nodes("variable_declarator"):
            value = unwrap(decl.child_by_field_name("value"))
            if value is not None and value.type == "call_expression" and self.text(value.child_by_field_name("function")) == "require":
                args = arguments(value)
                source = string_value(self.doc, args[0]) if args else None
                if source is None:
                    continue
                for name in pattern_names(self.doc, decl.child_by_field_name("name")):
                    self.imports[name] = (source, name)

    def imported_from(self, name: str) -> str:
        """The module a (dotted) name's first part was imported from, '' when not imported."""
        return self.imports.get(name.split(".", 1)[0], ("", ""))[0]

    @property
    def mcp_file(self) -> bool:
        return any(MCP_MODULES.search(module) for module, _ in self.imports.values()) or bool(getattr(self.doc, "server_types", ()))

    def server_type_aliases(self) -> Dict[str, str]:
        """Type aliases this module declares for an SDK server class (`export type ServerType =
        McpServer;`), with the class's kind: a parameter typed with one holds that server."""
        if self._server_aliases is not None:
            return self._server_aliases
        found: Dict[str, str] = {}
        self._server_aliases = found
        if b"type " not in self.doc.source:
            return found
        for statement in self.doc.tree.root_node.named_children:  # declared at the top level
            alias = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
            if alias is None or alias.type != "type_alias_declaration":
                continue
            name, value = alias.child_by_field_name("name"), alias.child_by_field_name("value")
            kind = SERVER_CLASSES.get(self._class_name(self.text(value).strip())) if value is not None else None
            if name is not None and kind is not None and (kind != "lowlevel" or "Server" in self.imports):
                found[self.text(name)] = kind
        return found

    def _class_name(self, name: str) -> str:
        """`McpServer` for `McpServer`, `sdk.McpServer` or an alias imported from the SDK."""
        base = last_name(name)
        module, imported = self.imports.get(name.split(".", 1)[0], ("", ""))
        if imported not in ("", "default", "*") and MCP_MODULES.search(module):
            return imported
        return base

    def _find_servers(self) -> None:
        for new in self.nodes("new_expression"):
            kind = SERVER_CLASSES.get(self._class_name(self.callee(new)))
            if kind == "lowlevel" and not (self.mcp_file and "Server" in self.imports):
                continue  # `new Server()` of some other library
            if kind is not None:
                target = self._assigned_name(new)
                if target:
                    self.servers[target] = kind
        aliased = {**self.server_type_aliases(), **dict(getattr(self.doc, "server_types", ()))}  # this module's, then imported
        for func in self.nodes(*FUNCTION_TYPES):
            for index, param in enumerate(parameters(func)):
                annotation = parameter_type(func, index).split("<", 1)[0].strip()
                kind = SERVER_CLASSES.get(annotation) or aliased.get(annotation)
                if kind is not None and param.type == "identifier":
                    self.servers.setdefault(self.text(param), kind)

    def _assigned_name(self, node) -> str:
        """The variable or property an expression is assigned to (`const x = ...`, `this.x = ...`)."""
        parent = node.parent
        while parent is not None and parent.type in ("await_expression", "as_expression", "parenthesized_expression", "non_null_expression"):
            parent = parent.parent
        if parent is None:
            return ""
        if parent.type == "variable_declarator":
            return self.text(parent.child_by_field_name("name"))
        if parent.type == "assignment_expression":
            return dotted(self.doc, parent.child_by_field_name("left"))
        if parent.type == "public_field_definition":
            return "this." + self.text(parent.child_by_field_name("name"))
        return ""

    def _in_server_class(self, node) -> bool:
        """Inside a class that extends an MCP server class (`class X extends McpServer`), where
        `this` is the server."""
        for cls in self.nodes("class_declaration", "class"):
            if within(node, cls):
                heritage = next((c for c in cls.named_children if c.type == "class_heritage"), None)
                match = re.search(r"extends\s+([\w.]+)", self.text(heritage)) if heritage is not None else None
                if match and SERVER_CLASSES.get(self._class_name(match.group(1))) in ("mcp", "fastmcp"):
                    return True
        return False

    def is_server(self, receiver: str) -> bool:
        if receiver in self.servers or last_name(receiver) in self.servers:
            return True
        return bool(re.search(r"(server|mcp)$", receiver, re.IGNORECASE)) and self.mcp_file

    # -- tools -------------------------------------------------------------------------------

    def _find_tools(self) -> None:
        wrapped = []
        for call in self.nodes("call_expression"):
            name = self._bound_method(call) or self.callee(call)
            method = last_name(name)
            receiver = name[: -len(method) - 1] if "." in name else ""
            args = arguments(call)
            if not (receiver and self.is_server(receiver)) and self._registers_on_server(call, method, args):
                # `registerToolSafe(server, "list_projects", { description, inputSchema }, handler)`:
                # a helper of another module, or one handed in (`deps.register`), that registers on
                # the server it is given
                schema = self._config_schema(args)
                wrapped.append((call, args[1], schema, args[-1], schema is not None))
                continue
            if not args or not receiver:
                continue
            if method == "registerTool" and len(args) >= 2:
                config = self.resolve_value(args[1]) if len(args) >= 3 else None
                schema = object_property(self.doc, config, "inputSchema") if config is not None else None
                wrapped.append((call, args[0], schema, args[-1], schema is not None))
            elif method == "tool" and len(args) >= 2 and (self.is_server(receiver) or receiver == "this" and self._in_server_class(call)) \
                    and self._literal_or_name(args[0]):
                schema = next((a for a in args[1:-1] if self._is_schema_shape(a)), None)
                # `shape?.shape ?? {}` is a schema too, though not one the rules can read
                has_arguments = schema is not None or any(unwrap(a).type in ("binary_expression", "ternary_expression") for a in args[1:-1])
                wrapped.append((call, args[0], schema, args[-1], has_arguments))
            elif method == "addTool" and len(args) == 1 and unwrap(args[0]).type == "object":
                spec = args[0]
                execute = object_property(self.doc, spec, "execute")
                if execute is None:
                    continue
                handler = self.resolve_function(execute)
                self._add_tool(call, object_property(self.doc, spec, "name"), handler, "fastmcp",
                               object_property(self.doc, spec, "parameters"), execute, True)
            elif method == "setRequestHandler" and len(args) >= 2:
                schema_name = self.text(args[0])
                if CALL_TOOL.match(schema_name):
                    handler = self.resolve_function(args[-1])
                    if handler is not None:
                        tool = Tool("tools/call", call, handler, "lowlevel", None, False)
                        self._bind_lowlevel(tool)
                        self.tools.append(tool)
                    else:
                        self._unresolved(args[-1], "lowlevel", False, "tools/call")
                elif LIST_TOOLS.match(schema_name):
                    self.list_tools_handlers.append(call)
        for call, name_node, schema, handler_node, has_arguments in wrapped:
            if not self._add_wrapper_calls(call, name_node, schema, handler_node, has_arguments):
                self._add_tool(call, name_node, self.resolve_function(handler_node), "mcp", schema, handler_node, has_arguments)
                self._add_wrapped_handlers(call, handler_node)

    def _registers_on_server(self, call, callee: str, args) -> bool:
        """`helper(server, "name", config, handler)`: a server of this file, a literal tool name,
        a function last, and a tool's config (`inputSchema`) or a helper named for tools. The
        helper is another module's or handed in (a function of this file is read as a wrapper,
        `_add_wrapper_calls`)."""
        if len(args) < 3 or not self.is_server(self.text(args[0])) or unwrap(args[1]).type != "string":
            return False
        if self.resolve_function(call.child_by_field_name("function")) is not None:
            return False
        if not _TOOL_NAME.fullmatch(string_value(self.doc, args[1]) or "") or self.resolve_function(args[-1]) is None:
            return False
        return self._config_schema(args) is not None or "tool" in callee.lower()

    def _config_schema(self, args):
        """The `inputSchema` of a helper registration's config object (the third of four or more arguments)."""
        config = self.resolve_value(args[2]) if len(args) >= 4 else None
        return object_property(self.doc, config, "inputSchema") if config is not None and unwrap(config).type == "object" else None

    def _find_definition_objects(self) -> None:
        """Tool definitions written as objects (`const tool = { name: "close_session",
        description, inputSchema, call: async (args) => ... }`) that a registry or a low-level
        dispatcher serves (`tools.find(t => t.name === name).handler(args)`, a dynamic
        `import("./tools/index.js")`), or handed to a call with their handler, last
        (`registerTool({ name, description, inputSchema }, createIssueHandler)`: a project's own
        registry, which its `tools/call` dispatcher reads): a name (literal, or a constant holding
        one), a description, an input schema and a handler function together say what the object
        is, wherever it is registered."""
        if "inputSchema" not in self.doc.text:
            return
        # nodes are rebuilt on access: compare spans; an object holding its handler is not read again as handed
        known = {(t.handler.start_byte, t.handler.end_byte) for t in self.tools if t.handler is not None}
        defined: Set[Tuple[int, int]] = set()
        for obj, handler in (*self._held_definitions(), *self._handed_definitions()):
            if handler is None or (handler.start_byte, handler.end_byte) in known or (obj.start_byte, obj.end_byte) in defined \
                    or object_property(self.doc, obj, "description") is None:
                continue
            name, schema = object_property(self.doc, obj, "name"), object_property(self.doc, obj, "inputSchema")
            if name is None or schema is None or not _TOOL_NAME.fullmatch(string_value(self.doc, self.resolve_value(name)) or ""):
                continue  # a name with spaces is a display name (`"Search Docs"`), not the tool's
            tool = Tool(self._tool_name(name), obj, handler, "mcp", schema, name_node=name,
                        description_node=object_property(self.doc, obj, "description"))
            self._bind_arguments(tool, True)
            self.tools.append(tool)
            known.add((handler.start_byte, handler.end_byte))
            defined.add((obj.start_byte, obj.end_byte))

    def _held_definitions(self) -> Iterator[Tuple[object, object]]:
        """(object, the handler function it holds) for each object literal of the file."""
        if not _DEFINITION_TEXT.search(self.doc.text):
            return  # no property or method named like a handler: the tree is not walked
        for obj in walk(self.doc.tree.root_node):
            if obj.type == "object":
                yield obj, (next((self.resolve_function(v) for v in (object_property(self.doc, obj, k) for k in _DEFINITION_HANDLERS) if v is not None), None)
                            or next((m for m in obj.named_children if m.type == "method_definition" and self.function_name(m) in _DEFINITION_HANDLERS), None))

    def _handed_definitions(self) -> Iterator[Tuple[object, object]]:
        """(object, function) for each object literal handed to a call whose last argument is a
        function; the object may be a const of the file."""
        for call in self.nodes("call_expression"):
            args = arguments(call)
            handler = self.resolve_function(args[-1]) if len(args) >= 2 else None
            if handler is not None:
                for arg in args[:-1]:
                    value = self.resolve_value(arg)
                    if value is not None and value.type == "object":
                        yield value, handler

    def _bound_method(self, call) -> str:
        """`registerTool(...)` where `const registerTool = mcp.tool.bind(mcp) as ...` in the same
        function: the method it calls (`mcp.tool`), else ""."""
        function = unwrap(call.child_by_field_name("function"))
        if function is None or function.type != "identifier" or enclosing_function(call) is None:
            return ""
        value = self.local_value(function)
        value = unwrap(value) if value is not None else None
        name = self.callee(value) if value is not None and value.type == "call_expression" else ""
        return name[: -len(".bind")] if name.endswith(".bind") else ""

    def _add_wrapper_calls(self, registration, name_node, schema, handler_node, has_arguments) -> bool:
        """A same-file function that registers the handler it is given (`registerShapedTool(mcp,
        name, description, shape, annotations, handler)` whose registration's callback calls
        `handler`): each of its calls in the file is the registration, with that call's
        arguments in the parameters' places. False when the registration is no such wrapper's,
        or the file never calls it."""
        wrapper, slot = self._wrapper_slots(registration)
        handed = self._handed_parameter(handler_node, slot)
        if handed is None:
            return False
        calls = self._wrapper_calls(wrapper)
        description = self._description_node(registration)
        for call in calls:
            args = arguments(call)

            def given(node, args=args):
                """The call's argument in the place of the wrapper's parameter `node` names."""
                index = slot.get(self.text(node)) if node is not None else None
                return args[index] if index is not None and index < len(args) else node

            handler = args[handed] if handed < len(args) else None
            tool = self._add_tool(call, given(name_node), self.resolve_function(handler) if handler is not None else None,
                                  "mcp", given(schema), handler, has_arguments)
            if tool is not None:
                tool.name_node, tool.description_node = given(name_node), given(description)
        return bool(calls)

    def _wrapper_slots(self, registration) -> Tuple[object, Dict[str, int]]:
        """The named function around a registration, and the index of each of its parameters."""
        wrapper = enclosing_function(registration)
        while wrapper is not None and not self.function_name(wrapper):
            wrapper = enclosing_function(wrapper)
        params = [pattern_names(self.doc, p) for p in parameters(wrapper)] if wrapper is not None else []
        return wrapper, {names[0]: i for i, names in enumerate(params) if len(names) == 1}

    def _wrapper_calls(self, wrapper) -> list:
        name = self.function_name(wrapper) if wrapper is not None else ""
        return [c for c in self.nodes("call_expression") if name and last_name(self.callee(c)) == name and not within(c, wrapper)]

    def _add_wrapped_handlers(self, registration, handler_node) -> None:
        """A same-file registration wrapper whose callback does more than forward to the handler
        it is given (a `try` around `await handler(runtime(), args)`, trippy-mcp's `register`):
        the callback stays the registered tool, and the handler each call of the wrapper hands
        it runs inside, so it is tool code too (`(rt, a) => t.searchTokens(rt, a)`)."""
        wrapper, slot = self._wrapper_slots(registration)
        node = unwrap(handler_node)
        body = node.child_by_field_name("body") if slot and node is not None and is_function(node) else None
        called = next((slot[self.callee(c)] for c in walk(body) if c.type == "call_expression" and self.callee(c) in slot), None) \
            if body is not None else None
        for call in self._wrapper_calls(wrapper) if called is not None else ():
            args = arguments(call)
            handler = self.resolve_function(args[called]) if called < len(args) else None
            if handler is not None:
                self.linked_helpers.append(handler)

    def _description_node(self, registration):
        """The description a `registerTool(name, { description })` / `tool(name, description,
        ...)` registration gives, else None."""
        args = arguments(registration)
        if len(args) < 3:
            return None
        config = unwrap(self.resolve_value(args[1]))
        return object_property(self.doc, config, "description") if config is not None and config.type == "object" else args[1]

    def _handed_parameter(self, handler_node, slot: Dict[str, int]) -> Optional[int]:
        """The index of the wrapper's parameter the registration's handler is, or only forwards
        to (`(args, extra) => handler(args, extra)`), else None. A callback that does more (a
        `try` around the handler, telemetry) is tool code of its own: the registration stays."""
        node = unwrap(handler_node)
        if node is not None and node.type == "identifier" and self.text(node) in slot:
            return slot[self.text(node)]
        body = node.child_by_field_name("body") if node is not None and is_function(node) else None
        if body is not None and body.type == "statement_block":
            statements = body.named_children
            body = statements[0].named_children[0] if len(statements) == 1 and statements[0].type in ("return_statement", "expression_statement") and statements[0].named_children else None
        call = unwrap(body)
        if call is None or call.type != "call_expression":
            return None
        return slot.get(self.callee(call))

    def registrar_of(self, node) -> str:
        """The name of the module-level function whose body holds `node` (`export function
        addScenarioTools(server) { server.addTool(...) }`), or "" (top-level code, a default
        export, which any importer may name as it likes). For a tool written as an object at
        the top level, the module constant holding it (`export const alertTools = [{...}]`)."""
        outer, func = None, enclosing_function(node)
        while func is not None:
            outer, func = func, enclosing_function(func)
        if outer is None:
            return self._holding_constant(node) if node.type == "object" else ""
        statement = outer.parent.parent if outer.parent is not None and outer.parent.type == "variable_declarator" else outer
        holder = statement.parent if statement is not None else None
        if holder is not None and holder.type == "export_statement":
            if self.text(holder).startswith("export default"):
                return ""
            holder = holder.parent
        return self.function_name(outer) if holder is not None and holder.type == "program" else ""

    def _holding_constant(self, node) -> str:
        """The name of the top-level `const` whose value holds `node`, else "" (also when a call
        is handed it on the way: `export const t = registerTool({ name, ... }, handler)` registers
        it as the module loads, whoever names `t`)."""
        while node.parent is not None and node.type != "variable_declarator":
            if node.type == "arguments":
                return ""
            node = node.parent
        statement = node.parent
        holder = statement.parent if statement is not None else None
        if holder is not None and holder.type == "export_statement":
            holder = holder.parent
        name = node.child_by_field_name("name") if node.type == "variable_declarator" else None
        return self.text(name) if name is not None and name.type == "identifier" and holder is not None and holder.type == "program" else ""

    def _drop_unused_registrars(self, unused) -> None:
        """Registrations inside functions nothing in the project calls or names (the engine's
        link pass decides, `tool_links.unused_registrars`): no server ever gets those tools."""
        if unused:
            self.tools = [t for t in self.tools if self.registrar_of(t.registration) not in unused]
            self.handled_elsewhere = [t for t in self.handled_elsewhere if self.registrar_of(t.registration) not in unused]
            self.opaque_registrations = [c for c in self.opaque_registrations if self.registrar_of(c) not in unused]

    def _literal_or_name(self, node) -> bool:
        node = unwrap(node)
        return node is not None and (string_value(self.doc, node) is not None or node.type in ("identifier", "member_expression"))

    def _is_schema_shape(self, node) -> bool:
        node = unwrap(node)
        if node is None:
            return False
        if node.type == "object":
            return not all(k.endswith("Hint") or k == "title" for k in _keys(self, node)) or not _keys(self, node)
        return node.type in ("call_expression", "identifier", "member_expression")

    def _add_tool(self, call, name_node, handler, kind: str, schema, handler_node=None, has_arguments: bool = False) -> Optional[Tool]:
        """The tool registered (or registered with a handler of another module), else None."""
        if handler is None:
            if handler_node is None:
                return None
            if self._unresolved(handler_node, "tool", has_arguments, (string_value(self.doc, name_node) if name_node is not None else None) or ""):
                tool = Tool(self._tool_name(name_node), call, None, kind, schema)
                self.handled_elsewhere.append(tool)
                return tool
            self.opaque_registrations.append(call)
            return None
        tool = Tool(self._tool_name(name_node), call, handler, kind, schema)
        # With no input schema the SDK passes only the context: the first parameter is not arguments.
        self._bind_arguments(tool, schema is not None or kind == "fastmcp")
        self.tools.append(tool)
        return tool

    def _unresolved(self, handler_node, kind: str, has_arguments: bool, tool_name: str) -> bool:
        """Leaves a handler imported from another module to the link pass (True), else False."""
        reference = dotted(self.doc, unwrap(handler_node))
        if reference and self.imported_from(reference):
            self.unresolved_handlers.append((reference, kind, has_arguments, tool_name))
            return True
        return False

    def _tool_name(self, name_node) -> str:
        if name_node is None:
            return ""
        return string_value(self.doc, name_node) or string_value(self.doc, self.resolve_value(name_node)) or self.text(name_node)

    def _bind_arguments(self, tool: Tool, has_arguments: bool) -> None:
        params = parameters(tool.handler)
        if params and has_arguments:
            tool.arg_names.update(pattern_names(self.doc, params[0]))

    def _find_linked_tools(self, linked: Iterable) -> None:
        """Tools registered in another module with a handler this module exports (tool_links.py).
        Their registration is the export's declaration; their schema, an `inputSchema` /
        `schema` / `parameters` property beside the handler in the same object, if any."""
        for link in linked:
            holder, handler = self.linked_function(link.export, link.path)
            if handler is None:
                continue
            if link.kind == "helper":
                self.linked_helpers.append(handler)
            elif link.kind == "lowlevel":
                tool = Tool("tools/call", self.export_declaration(link.export), handler, "lowlevel", None, False)
                self._bind_lowlevel(tool)
                self.tools.append(tool)
            else:
                # registered by name in another module: that registration is the tool, not the object here
                self.tools = [t for t in self.tools if not (t.handler == handler and t.registration.type == "object")]
                schema = next((s for key in ("inputSchema", "schema", "parameters") for s in (object_property(self.doc, holder, key),) if s is not None), None)
                tool = Tool(link.tool or link.export, self.export_declaration(link.export), handler, "linked", schema, has_schema_slot=False)
                self._bind_arguments(tool, link.has_arguments or schema is not None)
                self.tools.append(tool)

    def linked_function(self, export: str, path=()) -> tuple:
        """(the object holding it, the function) this module exports as `export`, then `path`
        (object properties or methods; of an exported class, its method); (None, None) when it is
        not a function declared here."""
        holder, value = None, self.exported_value(export)
        if value is None and len(path) == 1:
            return None, self.exported_method(export, path[0])
        for key in path:
            holder, value = value, _member(self, value, key)
        return holder, (self.resolve_function(value) if value is not None else None)

    def absorbs(self, function) -> bool:
        """The function's body ends in a `try` whose `catch` throws nothing and awaits nothing (`try
        { ... } catch (e) { return { error: ... }; }`; not `return await handleApiError(e)`, which
        may rethrow), and what it runs before that `try` runs locally (building a URL and headers,
        `quiet.runs_locally`): no error of another system leaves it."""
        if function is None:
            return False
        if function.id not in self._absorbing:
            self._absorbing[function.id] = False  # a recursive call absorbs nothing more
            self._absorbing[function.id] = self._absorbs(function)
        return self._absorbing[function.id]

    def _absorbs(self, function) -> bool:
        from mcp_lint.typescript.quiet import runs_locally

        body = function.child_by_field_name("body")
        statements = [c for c in body.named_children if c.type != "comment"] if body is not None and body.type == "statement_block" else []
        if not statements or statements[-1].type != "try_statement":
            return False
        tried = statements[-1]
        handler = next((c for c in tried.named_children if c.type == "catch_clause"), None)
        ending = next((c for c in tried.named_children if c.type == "finally_clause"), None)
        return handler is not None and not any(
            n.type == "throw_statement" and enclosing_function(n) == function for part in (handler, ending) if part is not None for n in walk(part)
        ) and all(runs_locally(self, part) for part in (*statements[:-1], handler, ending) if part is not None)

    def result_of(self, value, helpers: bool = True) -> Optional[str]:
        """What a returned value is as a tool result: "error" (a result literal with `isError`
        not false, or one that spreads in other fields), "plain" (a `{ content }` literal without
        the flag), "text" (a string: fastmcp sends it as a text result without the flag), or None
        when unknown. A call is judged by its function: of this file, through every `return`
        (a helper naming `isError` anywhere builds error results), or imported from a module where
        every return is one kind (the engine's link pass, `tool_links.imported_result_builders`)."""
        value = unwrap(value)
        if value is None:
            return None
        if value.type == "object":
            flag = object_property(self.doc, value, "isError")
            if flag is not None:
                return "plain" if self.text(flag) == "false" else "error"
            if object_property(self.doc, value, "content") is None:
                return None
            return "error" if any(c.type == "spread_element" for c in value.named_children) else "plain"
        if value.type in ("string", "template_string") or (value.type == "binary_expression" and _concatenates_text(value)):
            return "text"
        if value.type == "call_expression" and helpers:
            name = self.callee(value)
            imported = dict(getattr(self.doc, "result_imports", ())).get(name)
            if imported is not None:
                return imported
            for func in self.functions_by_name.get(last_name(name), ()):
                return "error" if "isError" in self.text(func) else self.returns_of(func)
        return None

    def returns_of(self, function) -> Optional[str]:
        """The one kind (`result_of`, helpers not followed) of every value the function returns
        (an arrow function's expression body included: `(text) => ({ content: [...] })`)."""
        values = [r.named_children[0] for r in self.nodes("return_statement") if r.named_children and enclosing_function(r) == function]
        body = function.child_by_field_name("body")
        if body is not None and body.type != "statement_block":
            values.append(body)
        kinds = {self.result_of(value, helpers=False) for value in values}
        return kinds.pop() if len(kinds) == 1 else None

    def learn_absorbing_imports(self, names) -> None:
        """Tell the model which imported functions no other system's error can leave (the link
        pass learns them module by module); answers of `absorbs` given before are asked again."""
        names = tuple(sorted(names))
        if names != tuple(getattr(self.doc, "absorbing_imports", ())):
            self.doc.absorbing_imports = names
            self._absorbing.clear()

    def absorbing_callee(self, call) -> bool:
        """A call of a function that catches every error itself: of this file (`this.run(...)`
        for the methods of that name), or imported from a module where it does, or a method of
        an imported class that does (`this.costs.history()`; the engine's link pass,
        `tool_links.imported_absorbing_helpers`)."""
        name = self.callee(call)
        if name in getattr(self.doc, "absorbing_imports", ()):
            return True
        return any(self.absorbs(f) for f in self.called_functions(name))

    def called_functions(self, callee: str) -> list:
        """The functions of this file a call names: `analyzeQuery(...)` the functions of that name
        (not a method of the same name, which forwards to an imported `analyzeQuery`),
        `this.format(...)` the methods (and function-valued fields) of that name."""
        member = callee.startswith("this.")
        name = callee[len("this."):] if member else callee
        if not name or "." in name:
            return []
        return [f for f in self.functions_by_name.get(name, ()) if _is_member(f) == member]

    # -- classes -----------------------------------------------------------------------------

    def field_values(self, class_body) -> Dict[str, list]:
        """The values a class gives each of its fields: its declarations (`private alerts = new
        Map()`) and every `this.alerts = ...` in the class; one walk per class."""
        found = self._field_values.get(class_body.id)
        if found is None:
            found = self._field_values[class_body.id] = {}
            for inner in walk(class_body):
                if inner.type in ("public_field_definition", "field_definition"):
                    value = inner.child_by_field_name("value")
                    found.setdefault(self.text(inner.child_by_field_name("name")), []).append(value)
                elif inner.type == "assignment_expression":
                    left = inner.child_by_field_name("left")
                    if left is not None and left.type == "member_expression" and left.child_by_field_name("object").type == "this":
                        found.setdefault(self.text(left.child_by_field_name("property")), []).append(inner.child_by_field_name("right"))
        return found

    def field_class(self, node, field: str) -> str:
        """The class whose instance every value of `this.<field>` holds, in the class around
        `node` (`this.costs = new CostManager()`); '' when there is none or they differ."""
        body = enclosing_class_body(node)
        values = [unwrap(v) for v in self.field_values(body).get(field, ()) if v is not None] if body is not None else []
        classes = {self.text(v.child_by_field_name("constructor")) if v.type == "new_expression" else "" for v in values}
        return classes.pop() if len(classes) == 1 else ""

    def instance_class(self, call) -> Tuple[str, str]:
        """(class, method) of a method call on an instance of a class: `this.costs.history()`
        where the class always sets `new CostTracker()` to the field (`field_class`), or
        `auth.listAccounts()` where `auth` is a parameter typed `AuthManager` or a local or
        module const holding `new AuthManager()` (`variable_class`); ("", "") otherwise."""
        parts = self.callee(call).split(".")
        if len(parts) == 3 and parts[0] == "this":
            return self.field_class(call, parts[1]), parts[2]
        if len(parts) == 2 and parts[0] not in ("this", "super"):
            return self.variable_class(call, parts[0]), parts[1]
        return "", ""

    def variable_class(self, node, name: str) -> str:
        """The class of the variable `name` seen from `node`: the type of the nearest enclosing
        function's parameter of that name (`authManager: AuthManager`), or the `new C(...)` a const
        of that function (or of the module) holds; '' when it is declared otherwise."""
        if name in self.imports:
            return ""
        func = enclosing_function(node)
        while True:
            declared = self._declared_class(func, name)
            if declared is not None:
                return declared
            if func is None:
                return ""
            func = enclosing_function(func)

    def _declared_class(self, func, name: str) -> Optional[str]:
        """The class `name` has in `func`'s own scope ('' when declared with no known class),
        None when that scope does not declare it."""
        for param in (func.child_by_field_name("parameters").named_children if func is not None and func.child_by_field_name("parameters") is not None else ()):
            pattern = param.child_by_field_name("pattern")
            if pattern is not None and pattern.type == "identifier" and self.text(pattern) == name:
                annotation = param.child_by_field_name("type")
                kind = annotation.named_children[0] if annotation is not None and annotation.named_children else None
                return self.text(kind) if kind is not None and kind.type == "type_identifier" else ""
        for decl in self._declarators().get(name, ()):
            if enclosing_function(decl) != func:
                continue
            value = unwrap(decl.child_by_field_name("value"))
            return self.text(value.child_by_field_name("constructor")) if value is not None and value.type == "new_expression" else ""
        return None

    def _declarators(self) -> Dict[str, list]:
        """The file's `const`/`let`/`var` declarators by the name they declare, once asked."""
        if self._declarators_by_name is None:
            self._declarators_by_name = {}
            for decl in self.nodes("variable_declarator"):
                self._declarators_by_name.setdefault(self.text(decl.child_by_field_name("name")), []).append(decl)
        return self._declarators_by_name

    def class_methods(self, class_name: str, method: str) -> list:
        """The methods named `method` of the classes this file declares as `class_name`."""
        return [m for cls in self.nodes("class_declaration") if self.text(cls.child_by_field_name("name")) == class_name
                for m in self._methods_named(cls, method)]

    def _methods_named(self, cls, method: str) -> list:
        body = cls.child_by_field_name("body")
        return [m for m in (body.named_children if body is not None else ())
                if m.type == "method_definition" and self.text(m.child_by_field_name("name")) == method]

    def instance_calls(self, code: Dict[int, object]) -> List[Tuple[str, str, str]]:
        """(callee, class, method) of each call in `code` (functions by node id) of a method on an
        instance of an imported class (`instance_class`): `this.costs.history()` with `this.costs
        = new CostManager()` and `CostManager` imported."""
        classes: Dict[str, Set[Tuple[str, str]]] = {}
        for call in self.nodes("call_expression"):
            name = self.callee(call)
            if name.count(".") not in (1, 2) or not any(within(call, func) for func in code.values()):
                continue
            cls, method = self.instance_class(call)
            classes.setdefault(name, set()).add((cls, method))
        # a callee written alike for instances of different classes (or of none) is left out
        return [(name, cls, method) for name, found in classes.items() if len(found) == 1
                for cls, method in found if cls in self.imports]  # `new k8s.KubeConfig()`: a package's

    def imported_calls(self, code: Dict[int, object]) -> List[str]:
        """Dotted names of the imported functions that `code` (functions by node id) calls:
        what tool code reaches in other modules (`handleQuery`, `analytics.queryApiRequests`)."""
        found: List[str] = []
        calls = self.nodes("call_expression")
        for func in code.values():
            for call in calls:
                if within(call, func):
                    name = self.callee(call)
                    if name and name not in found and self.imported_from(name):
                        found.append(name)
        return found

    def exported_value(self, name: str):
        """What this module exports as `name` and declares itself: the function, object or other
        value (`export function f`, `export const X = {...}`, `export { local as name }`,
        `export default ...` for "default"), else None."""
        root = self.doc.tree.root_node
        for stmt in root.named_children:
            if stmt.type != "export_statement" or stmt.child_by_field_name("source") is not None:
                continue
            value = stmt.child_by_field_name("value")
            if value is not None:
                if name == "default":
                    return self.resolve_value(value) if unwrap(value).type == "identifier" else unwrap(value)
                continue
            declaration = stmt.child_by_field_name("declaration")
            if declaration is not None:
                if is_function(declaration) and self.text(declaration.child_by_field_name("name")) == name:
                    return declaration
                for decl in declaration.named_children:
                    if decl.type == "variable_declarator" and self.text(decl.child_by_field_name("name")) == name:
                        return unwrap(decl.child_by_field_name("value"))
                continue
            for clause in stmt.named_children:
                for spec in clause.named_children if clause.type == "export_clause" else ():
                    alias = spec.child_by_field_name("alias")
                    if self.text(alias if alias is not None else spec.child_by_field_name("name")) == name:
                        local = self.text(spec.child_by_field_name("name"))
                        found = self.functions_by_name.get(local)
                        return found[0] if found else self._declared_value(local)
        return None

    def exported_method(self, class_name: str, method: str):
        """The method `method` of the class this module exports as `class_name` (`export class
        CostTracker { history() {...} }`), else None."""
        for stmt in self.doc.tree.root_node.named_children:
            declaration = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else None
            if declaration is not None and declaration.type == "class_declaration" and self.text(declaration.child_by_field_name("name")) == class_name:
                return next(iter(self._methods_named(declaration, method)), None)
        return None

    def _declared_value(self, name: str):
        for decl in self.nodes("variable_declarator"):
            if self.text(decl.child_by_field_name("name")) == name and decl.child_by_field_name("value") is not None:
                return unwrap(decl.child_by_field_name("value"))
        return None

    def export_declaration(self, name: str):
        """The statement exporting `name` (where linked tools are reported), else the module."""
        value = self.exported_value(name)
        node = value
        while node is not None and node.parent is not None and node.parent.type != "program":
            node = node.parent
        return node if node is not None else self.doc.tree.root_node

    def _bind_lowlevel(self, tool: Tool) -> None:
        """Names holding `request.params.arguments` in a low-level handler."""
        params = parameters(tool.handler)
        if params and params[0].type == "identifier":
            self._bind_request(tool, f"{self.text(params[0])}.params")

    def _bind_request(self, tool: Tool, request_params: str) -> None:
        """Names holding `<request_params>.arguments` in the tool's handler, with simple aliases
        (`const { name, arguments: args } = msg.params || {}`)."""
        tool.args_object = f"{request_params}.arguments"
        params_aliases = {request_params}
        for decl in self.nodes("variable_declarator"):
            if not within(decl, tool.handler):
                continue
            value = dotted(self.doc, _defaulted(unwrap(decl.child_by_field_name("value"))))
            target = decl.child_by_field_name("name")
            if not value or target is None:
                continue
            if target.type == "identifier":
                if value in params_aliases:
                    params_aliases.add(self.text(target))
                elif (value == tool.args_object or value.startswith(tool.args_object + ".") or value.split(".")[0] in tool.arg_names
                      or any(value == f"{a}.arguments" or value.startswith(f"{a}.arguments.") for a in params_aliases)):
                    tool.arg_names.add(self.text(target))
            elif target.type == "object_pattern":
                if value in params_aliases:
                    for child in target.named_children:
                        if child.type == "pair_pattern" and self.text(child.child_by_field_name("key")) == "arguments":
                            tool.arg_names.update(pattern_names(self.doc, child.child_by_field_name("value")))
                        elif self.text(child) == "arguments":
                            tool.arg_names.add("arguments")
                elif value in tool.arg_names or value == tool.args_object:
                    tool.arg_names.update(pattern_names(self.doc, target))

    # -- hand-written JSON-RPC ---------------------------------------------------------------

    def _find_jsonrpc_dispatch(self) -> None:
        """A JSON-RPC server written without an SDK: `switch (msg.method)` with a `tools/call`
        case beside `tools/list` or `initialize` (or an `if` on the method that returns from its
        `tools/call` branch, with the other methods tested in the same function). The branch is
        one low-level handler for every tool (kind "jsonrpc") when it reads the call's `params` (a
        method tested to count or skip something is no dispatch): it and the functions it calls are
        tool code, not the rest of the dispatcher; the caller's arguments are
        `msg.params.arguments` (`params.arguments` when the method is a bare `method`)."""
        if "tools/call" not in self.doc.text:
            return
        for case, branch, subject in [*self._switch_branches(), *self._if_branches()]:
            if not _READS_PARAMS.search(self.text(branch)):
                continue  # a branch that never reads the call's `params` dispatches nothing (a metrics count)
            tool = Tool("tools/call", case, branch, "jsonrpc", None, False)
            request = subject.rsplit(".", 1)[0] if "." in subject else ""
            if request:
                self._bind_request(tool, f"{request}.params")
            elif "params" in self._names_in_scope(branch):
                self._bind_request(tool, "params")
            self.tools.append(tool)

    def _switch_branches(self) -> Iterable[tuple]:
        """(the `case "tools/call":`, the case whose statements run for it, the switch's subject)."""
        for switch in walk(self.doc.tree.root_node):
            body = switch.child_by_field_name("body") if switch.type == "switch_statement" else None
            cases = [c for c in body.named_children if c.type == "switch_case"] if body is not None else []
            methods = [string_value(self.doc, c.child_by_field_name("value")) for c in cases]
            if "tools/call" in methods and JSONRPC_PEERS.intersection(methods):
                at = methods.index("tools/call")
                # `case "tools/call":` with no statements of its own falls through to the next one
                runs = next((c for c in cases[at:] if len([s for s in c.named_children if s.type != "comment"]) > 1), cases[at])
                yield cases[at], runs, dotted(self.doc, switch.child_by_field_name("value"))

    def _if_branches(self) -> Iterable[tuple]:
        """(the `if (msg.method === "tools/call")`, its consequence, `msg.method`) where the
        consequence returns and the same function tests the method for a peer method too."""
        tests = [(stmt, self._method_compared(stmt)) for stmt in self.nodes("if_statement")]
        for stmt, (subject, method) in tests:
            if method != "tools/call":
                continue
            func = enclosing_function(stmt)
            branch = stmt.child_by_field_name("consequence")
            peers = {m for other, (s, m) in tests if s == subject and (func is None or within(other, func))}
            if peers & JSONRPC_PEERS and any(n.type == "return_statement" for n in walk(branch)):
                yield stmt, branch, subject

    def _method_compared(self, if_statement) -> Tuple[str, str]:
        """(`msg.method`, "tools/call") for `if (msg.method === "tools/call")`, else ("", "")."""
        test = unwrap(if_statement.child_by_field_name("condition"))
        if test is None or test.type != "binary_expression" or self.text(test.child_by_field_name("operator")) not in ("===", "=="):
            return "", ""
        sides = [test.child_by_field_name("left"), test.child_by_field_name("right")]
        for subject, value in (sides, sides[::-1]):
            name, method = dotted(self.doc, subject), string_value(self.doc, value)
            if method and name and last_name(name).lower().endswith("method"):
                return name, method
        return "", ""

    def _names_in_scope(self, node) -> Set[str]:
        """The parameters and local declarations of the function around `node`."""
        func = enclosing_function(node)
        names = {n for p in parameters(func) for n in pattern_names(self.doc, p)} if func is not None else set()
        names.update(n for d in self.nodes("variable_declarator") if func is None or within(d, func)
                     for n in pattern_names(self.doc, d.child_by_field_name("name")))
        return names

    def resolve_value(self, node):
        """A same-file `const x = <value>` behind an identifier (registration configs are often
        module constants), else the node itself."""
        node = unwrap(node)
        if node is not None and node.type in ("identifier", "shorthand_property_identifier"):
            return self._declared_value(self.text(node)) or node
        return node

    def local_value(self, name_node):
        """The value of the last `const name = ...` of the function around `name_node` before it
        (`const tool = tools.find(...)` in a handler), else None: unlike `resolve_value`, a
        declaration of the same name in another function does not count."""
        func, name, found = enclosing_function(name_node), self.text(name_node), None
        for node in walk(func) if func is not None else ():
            if node.type == "variable_declarator" and node.start_byte < name_node.start_byte and self.text(node.child_by_field_name("name")) == name:
                found = unwrap(node.child_by_field_name("value"))
        return found

    def resolve_function(self, node):
        """The function a handler expression denotes: a literal function, a same-file function
        or const, `this.method(.bind(this))`, or the function passed to a wrapper call."""
        for _ in range(8):
            node = unwrap(node)
            if node is None:
                return None
            if is_function(node):
                return node
            if node.type == "call_expression":
                name = self.callee(node)
                if name.endswith(".bind"):
                    node = node.child_by_field_name("function").child_by_field_name("object")
                    continue
                funcs = [a for a in arguments(node) if is_function(unwrap(a)) or unwrap(a).type == "identifier"]
                if not funcs:
                    return None
                node = funcs[-1]
                continue
            if node.type in ("identifier", "member_expression"):
                found = self.functions_by_name.get(last_name(dotted(self.doc, node)) if node.type == "member_expression" and self.text(node).startswith("this.") else self.text(node))
                return found[0] if found else None
            return None
        return None

    @property
    def tool_code(self) -> Dict[int, object]:
        """Handlers and the same-file functions they call (transitively), by node id."""
        if self._tool_code is None:
            handlers = [t.handler for t in self.tools] + self.linked_helpers
            self._tool_code = self._called_from({f.id: f for f in handlers})
        return self._tool_code

    @property
    def startup_code(self) -> Dict[int, object]:
        """The same-file functions the module's load-time code calls (transitively), by node id:
        its top-level statements and the bodies of top-level `(async () => { ... })()` calls."""
        if self._startup_code is None:
            top_level = [call for call in self.nodes("call_expression") if enclosing_function(call) is None]
            self._startup_code = self._called_from({f.id: f for f in self._immediately_invoked()}, top_level)
        return self._startup_code

    def _immediately_invoked(self) -> list:
        found = []
        for call in self.nodes("call_expression"):
            func = unwrap(call.child_by_field_name("function"))
            if func is not None and is_function(func) and enclosing_function(func) is None:
                found.append(func)
        return found

    def code_reached_from(self, functions) -> Dict[int, object]:
        """`functions` and the same-file functions they call, transitively, by node id."""
        return self._called_from({f.id: f for f in functions})

    def _called_from(self, code: Dict[int, object], first_calls=()) -> Dict[int, object]:
        """`code` and the same-file functions it calls, or `first_calls` call, transitively."""
        calls = self.nodes("call_expression")
        pending = list(code.values())
        batch = list(first_calls)
        while True:
            for call in batch:
                for target in self._same_file_targets(call):
                    if target.id not in code:
                        code[target.id] = target
                        pending.append(target)
            if not pending:
                return code
            func = pending.pop()
            batch = [call for call in calls if within(call, func)]

    def _same_file_targets(self, call) -> list:
        name = self.callee(call)
        if not name or ("." in name and not name.startswith("this.")):
            return []
        return self.functions_by_name.get(last_name(name), [])

    @property
    def request_factories(self) -> Dict[int, object]:
        """Functions that build an MCP server and run per HTTP request or session: called from a
        route handler, or passed to `createMcpHandler(...)` (the SDK's recommended shape)."""
        factories: Dict[int, object] = {}
        builders = [f for f in self.nodes(*FUNCTION_TYPES)
                    if any(within(n, f) and SERVER_CLASSES.get(self._class_name(self.callee(n))) for n in self.nodes("new_expression"))]
        handlers = [h for r in self.routes for h in r.handlers]
        for func in builders:
            name = self.function_name(func)
            parent = func.parent
            if parent is not None and parent.type == "arguments" and last_name(self.callee(parent.parent)) == "createMcpHandler":
                factories[func.id] = func
            elif name and any(last_name(self.callee(c)) == name and any(within(c, h) for h in handlers) for c in self.nodes("call_expression")):
                factories[func.id] = func
        return factories

    def development_only(self, node) -> bool:
        """The node is evaluated only in development: in the branch of a condition that tests
        for it (`process.env.NODE_ENV === "development" ? err.message : undefined`,
        `if (NODE_ENV !== "production") { ... }`), within its function."""
        child, parent = node, node.parent
        while parent is not None and parent.type not in FUNCTION_TYPES:
            if parent.type in ("ternary_expression", "if_statement") and child == parent.child_by_field_name("consequence"):
                if _DEVELOPMENT_TEST.search(self.text(parent.child_by_field_name("condition"))):
                    return True
            child, parent = parent, parent.parent
        return False

    def in_tool_code(self, node) -> bool:
        return self._in(self.tool_code, node)

    def at_startup(self, node) -> bool:
        """The node runs when the module loads (top level, or a function that code calls)."""
        return enclosing_function(node) is None or self._in(self.startup_code, node)

    def _in(self, code: Dict[int, object], node) -> bool:
        func = enclosing_function(node)
        while func is not None:
            if func.id in code:
                return True
            func = enclosing_function(func)
        # a JSON-RPC dispatcher's `tools/call` branch is tool code, not its whole function
        return any(branch.id in code and within(node, branch) for branch in self.dispatch_branches)

    @property
    def validates_looked_up_arguments(self) -> bool:
        """A low-level `tools/call` handler here validates the looked-up tool's arguments with
        that tool's own `inputSchema` before calling it (`h.inputSchema.parse(args)`, or
        `safeParse` and a test of `.success`)."""
        for tool in self.tools:
            text = self.text(tool.handler) if tool.kind in ("lowlevel", "jsonrpc") else ""
            found = _VALIDATES_LOOKED_UP.search(text)
            if found and ("safeParse" not in found.group(0) or ".success" in text):
                return True
        return False

    def reparses_validated_arguments(self, try_statement) -> bool:
        """The `try` only parses a tool object's arguments again with the `inputSchema` the
        project's dispatcher validated them with (`args = inputSchema.parse(rawArgs)`; the link
        pass says whether it does): its `catch` cannot run."""
        tool = self.tool_for(try_statement) if getattr(self.doc, "validated_arguments", False) else None
        if tool is None or tool.registration.type != "object" or tool.schema is None:
            return False
        params = parameters(tool.handler)
        body = try_statement.child_by_field_name("body")
        if not params or params[0].type != "identifier" or body is None:
            return False
        parse, argument = f"{self.text(tool.schema)}.parse", [self.text(params[0])]
        calls = [c for c in self.nodes("call_expression") if within(c, body)]
        return bool(calls) and all(self.callee(c) == parse and [self.text(a) for a in arguments(c)] == argument for c in calls)

    def tool_for(self, node) -> Optional[Tool]:
        """The tool whose handler contains the node (directly, not through helpers)."""
        for tool in self.tools:
            if within(node, tool.handler):
                return tool
        return None

    # -- transports, apps, pools, loggers ---------------------------------------------------------

    def _find_transports_apps_pools_loggers(self) -> None:
        for new in self.nodes("new_expression"):
            name = self.callee(new)
            cls = self._class_name(name)
            if cls in TRANSPORTS:
                self.transports.append((TRANSPORTS[cls], new))
            elif cls in HTTP_APP_CLASSES:
                self._add_app(new, HTTP_APP_CLASSES[cls])
            elif last_name(name) in POOL_FACTORIES and self._pool_module(name):
                self.pools.append((POOL_FACTORIES[last_name(name)], new))
        for call in self.nodes("call_expression"):
            name = self.callee(call)
            base = last_name(name)
            if base in ("serveStdio",) or (base == "start" and "stdio" in self.text(call.child_by_field_name("arguments"))):
                self.transports.append(("stdio", call))
            elif base == "start" and re.search(r"httpStream|sse", self.text(call.child_by_field_name("arguments"))):
                self.transports.append(("http", call))
            elif base in ("createMcpHandler", "toNodeHandler", "createMcpHonoApp"):
                self.transports.append(("http", call))
            if base in HTTP_APP_FACTORIES and (name in ("express", "express.Router", "Router", "fastify", "Fastify", "createMcpExpressApp") or self.imported_from(name) in ("express", "fastify")):
                self._add_app(call, HTTP_APP_FACTORIES[base])
            elif base in POOL_FACTORIES and self._pool_module(name):
                self.pools.append((POOL_FACTORIES[base], call))
            elif self._logger_library(name):
                self._add_logger(call, self._logger_library(name))
        for call in self.nodes("call_expression"):
            name = self.callee(call)
            method = last_name(name)
            receiver = name[: -len(method) - 1] if "." in name else ""
            if receiver in self.apps and method in ROUTE_METHODS:
                self._add_route(receiver, method, call)
            elif receiver == "process" and method in ("on", "once", "addListener", "prependListener"):
                args = arguments(call)
                signal = string_value(self.doc, args[0]) if args else None
                if signal and signal.startswith("SIG"):
                    self.signals.append((signal, call, self.resolve_function(args[-1]) if len(args) > 1 else None))

    def _pool_module(self, name: str) -> bool:
        module = self.imported_from(name)
        return bool(module and POOL_MODULES.match(module))

    def _add_app(self, node, kind: str) -> None:
        target = self._assigned_name(node)
        if target:
            self.apps[target] = kind

    def _add_route(self, app: str, method: str, call) -> None:
        args = arguments(call)
        path = string_value(self.doc, args[0]) if args else None
        handlers = args[1:] if path is not None or (args and unwrap(args[0]).type in ("array", "regex")) else args
        route = Route(app, method, path, call, handlers)
        route.serves_mcp = method != "use" and any(self._serves_mcp(h) for h in handlers[-1:])
        self.routes.append(route)

    def _serves_mcp(self, handler) -> bool:
        func = self.resolve_function(handler) or unwrap(handler)
        body = self.text(func)
        return bool(re.search(r"\.handleRequest\(|\.handlePostMessage\(|new SSEServerTransport\(|toNodeHandler\(|StreamableHTTPServerTransport\(", body)) \
            or any(within(branch, func) for branch in self.dispatch_branches)

    def _logger_library(self, name: str) -> str:
        module = self.imported_from(name)
        base = last_name(name)
        if module == "pino" and (name.split(".")[0] in self.imports) and base in (name.split(".")[0], "default", "pino"):
            return "pino"
        if module == "winston" and base == "createLogger":
            return "winston"
        if module == "bunyan" and base == "createLogger":
            return "bunyan"
        return ""

    def _add_logger(self, call, library: str) -> None:
        body = self.text(call.child_by_field_name("arguments"))
        if library == "pino":
            stdout = self._pino_writes_stdout(call)
            structured = "pino-pretty" not in body
        elif library == "winston":
            stdout = "Console" in body and "stderrLevels" not in body
            structured = "json" in body
        else:
            stdout = "stream" not in body
            structured = True
        redact = re.findall(r"['\"]([\w.*\[\]\"']+)['\"]", _redact_text(body))
        name = self._assigned_name(call) or "logger"
        self.loggers[name] = Logger(name, library, call, stdout, structured, redact)

    def _pino_writes_stdout(self, call) -> bool:
        """pino writes to fd 1 unless told otherwise: by a destination stream as its second
        argument, or by a `transport` whose targets name their destination. `pino-pretty` and
        `pino/file` targets without a destination write to fd 1 too; other targets (OpenTelemetry,
        a log service) and a list of targets built elsewhere do not count as stdout."""
        args = arguments(call)
        options = self.text(args[0]) if args else ""
        if len(args) >= 2 or _DESTINATION_CALL.match(options):  # `pino(pino.destination(stderr))`: a stream alone
            return bool(_STDOUT_DESTINATION.search(self.text(args[-1])))
        if _STDERR_DESTINATION.search(options):
            return False
        if not re.search(r"\btransports?\b", options):
            return True
        if _STDOUT_DESTINATION.search(options):
            return True
        defaulting = len(re.findall(r"target:\s*['\"](pino-pretty|pino/file)['\"]", options))
        return defaulting > len(re.findall(r"\b(destination|dest|fd):", options))

    def is_logger(self, receiver: str) -> bool:
        base = last_name(receiver)
        # `logger`, `log`, and names that say so: `methodLogger = Logger.forContext(...)`, `audit_logger`
        return receiver in self.loggers or base in self.loggers or bool(re.fullmatch(r"_?(?:logger|log|LOGGER|Logger|LOG)|[A-Za-z_]\w*(?:Logger|_logger|_LOGGER)", base))

    # -- environment --------------------------------------------------------------------------

    def _find_env_reads(self) -> None:
        # Found from the text (a handful of hits) rather than by visiting every member expression.
        root = self.doc.tree.root_node
        for match in ENV_OBJECT.finditer(self.doc.source):
            node = root.descendant_for_byte_range(match.start(), match.end())
            while node is not None and node.end_byte - node.start_byte < match.end() - match.start():
                node = node.parent
            read = node.parent if node is not None else None
            if read is None or read.type not in ("member_expression", "subscript_expression") or read.child_by_field_name("object") != node:
                continue
            parent = read.parent
            if parent is not None and parent.type == "assignment_expression" and parent.child_by_field_name("left") == read:
                continue  # a write, not a read
            self.env_reads.append(self._env_read(self._variable_name(read), read))
        for decl in self.nodes("variable_declarator"):
            value = unwrap(decl.child_by_field_name("value"))
            pattern = decl.child_by_field_name("name")
            if value is not None and pattern is not None and pattern.type == "object_pattern" and dotted(self.doc, value) == "process.env":
                for child in pattern.named_children:
                    read = self._env_read(pattern_names(self.doc, child)[0] if pattern_names(self.doc, child) else "", child)
                    read.defaulted = child.type == "object_assignment_pattern"
                    read.fallback = self.text(child.child_by_field_name("right")) if read.defaulted else ""
                    self.env_reads.append(read)
        for call in self.nodes("call_expression"):
            if self.callee(call) == "Deno.env.get":
                args = arguments(call)
                self.env_reads.append(self._env_read(string_value(self.doc, args[0]) or "" if args else "", call))

    def _env_read(self, name: str, node) -> EnvRead:
        read = EnvRead(name, node, enclosing_function(node))
        outer = node
        parent = node.parent
        while parent is not None and parent.type in ("as_expression", "non_null_expression", "parenthesized_expression", "satisfies_expression"):
            outer, parent = parent, parent.parent
        fallback = self._chain_default(self._cleaned(outer))
        if fallback is not None:
            read.defaulted = True
            read.fallback = self.text(fallback)
        read.falls_back = self._ends_chain_of_other_values(outer) and not _CREDENTIAL_NAME.search(name)
        read.recorded = fallback is not None and self.text(fallback) in ("null", "undefined") and not _CREDENTIAL_NAME.search(name) \
            and self._property_value(self._chain_top(self._cleaned(outer)))
        if read.function is None and parent is not None and parent.type == "variable_declarator":
            read.bound_to = self.text(parent.child_by_field_name("name"))
        # `const proxy = process.env.A || process.env.B || undefined; if (proxy) ...`
        read.presence_tested = bool(name) and (self._presence_tested(node, name) or self._local_tested(read, outer))
        read.flag = self._as_flag(outer, parent) or self._local_flag(read, outer)
        read.forwarded = bool(name) and parent is not None and parent.type == "pair" and parent.child_by_field_name("value") == outer \
            and self.text(parent.child_by_field_name("key")).strip("'\"") == name
        return read

    def _property_value(self, node) -> bool:
        """`{ clientVersion: <node> }`: the value of an object literal's property (a record the
        code builds: `null` there says "not set", not a value a call will fail without)."""
        parent = node.parent
        while parent is not None and parent.type == "parenthesized_expression":
            node, parent = parent, parent.parent
        return parent is not None and parent.type == "pair" and parent.child_by_field_name("value") == node

    def _cleaned(self, outer):
        """The read with the string cleaning or list parsing around it (`process.env.X?.trim()`,
        `.toLowerCase()`, `.split(",")`): `process.env.X?.trim() || DEFAULT` falls back as
        `process.env.X || DEFAULT` does."""
        node = outer
        while node.parent is not None and node.parent.type == "member_expression" and node.parent.child_by_field_name("object") == node \
                and self.text(node.parent.child_by_field_name("property")) in _CLEANERS and node.parent.parent is not None \
                and node.parent.parent.type == "call_expression" and node.parent.parent.child_by_field_name("function") == node.parent:
            node = node.parent.parent
        return node

    def _chain_top(self, outer):
        """The whole `||` / `??` chain the read is an operand of (the read itself when none)."""
        top = outer
        while top.parent is not None and (top.parent.type == "parenthesized_expression" or (
                top.parent.type == "binary_expression" and self.text(top.parent.child_by_field_name("operator")) in ("??", "||"))):
            top = top.parent
        return top

    def _ends_chain_of_other_values(self, outer) -> bool:
        """`args.projectId || process.env.DEFAULT_PROJECT`, `session?.agent ?? process.env.AGENT`:
        the variable only fills in for a value the caller or the session may give, as the last
        operand of the chain; an earlier environment read makes it an alternative name instead."""
        top = self._chain_top(outer)
        if top is outer:
            return False
        last = unwrap(top)
        while last is not None and last.type == "binary_expression" and self.text(last.child_by_field_name("operator")) in ("??", "||"):
            last = unwrap(last.child_by_field_name("right"))
        return last is not None and within(outer, last) and not ENV_OBJECT.search(self.doc.source, top.start_byte, outer.start_byte)

    def _chain_default(self, outer):
        """The last operand of the `||` / `??` chain the read is in, when the read is not it
        (`process.env.X || "./data"`, `options.env || process.env.ENV || "master"`)."""
        top = self._chain_top(outer)
        last = unwrap(top)
        while last is not None and last.type == "binary_expression" and self.text(last.child_by_field_name("operator")) in ("??", "||"):
            last = unwrap(last.child_by_field_name("right"))
        return last if last is not None and top is not outer and not within(outer, last) else None

    def _as_flag(self, outer, parent) -> bool:
        """`X === "true"`, `X?.toLowerCase() !== "false"`, `Boolean(X)`, `!!X`: only whether it is
        set, or to which fixed value, matters (the code goes on without it)."""
        if parent is None:
            return False
        if parent.type == "member_expression" and parent.parent is not None and parent.parent.type == "call_expression":
            call = parent.parent
            if self.text(parent).startswith(self.text(outer) + "?.") and _is_condition(call):
                return True  # `if (process.env.HOST?.includes("podman"))`: unset is a plain no
            return self._as_flag(call, call.parent)  # `X?.toLowerCase() === "pat"`
        if parent.type == "binary_expression" and self.text(parent.child_by_field_name("operator")) in ("===", "!==", "==", "!="):
            other = parent.child_by_field_name("right" if parent.child_by_field_name("left") == outer else "left")
            return string_value(self.doc, other) is not None
        if parent.type == "unary_expression" and parent.parent is not None and self.text(parent.parent).startswith("!!"):
            return True  # `!!X` (a single `!` is how a required value is checked: `if (!X) throw`)
        if parent.type == "arguments" and parent.parent is not None and self.callee(parent.parent) == "Boolean":
            return True
        if parent.type == "arguments" and parent.parent is not None and method_name(self.doc, parent.parent) == "test":
            receiver = unwrap(parent.parent.child_by_field_name("function").child_by_field_name("object"))
            return receiver is not None and receiver.type == "regex"  # `/^(1|true)$/i.test(X ?? "")`
        if parent.type == "binary_expression" and self.text(parent.child_by_field_name("operator")) == "??" \
                and parent.child_by_field_name("left") == outer and string_value(self.doc, parent.child_by_field_name("right")) == "":
            return self._as_flag(parent, parent.parent)  # `X ?? ""` inside such a test
        if parent.type == "binary_expression" and self.text(parent.child_by_field_name("operator")) in ("||", "&&"):
            return self._as_flag(parent, parent.parent)  # `Boolean(process.env.A || process.env.B)`, `!!(A && B)`
        if parent.type == "parenthesized_expression":
            return self._as_flag(parent, parent.parent)
        if parent.type == "array" and parent.parent is not None and parent.parent.type == "member_expression" \
                and self.text(parent.parent.child_by_field_name("property")) == "filter" and parent.parent.parent is not None \
                and [self.text(a) for a in arguments(parent.parent.parent)] == ["Boolean"]:
            return True  # `[A, B].filter(Boolean).length > 1`: which of them are set
        return False

    def _holding_local(self, read: EnvRead, outer):
        """(declarator, local name) of the function's local that holds the read, through a
        default, parentheses and method calls (`const v = (process.env.X ?? "").trim()`), or None."""
        node = outer
        while node.parent is not None and (node.parent.type == "parenthesized_expression"
                                           or (node.parent.type == "binary_expression" and self.text(node.parent.child_by_field_name("operator")) in ("??", "||"))
                                           or (node.parent.type == "member_expression" and node.parent.parent is not None and node.parent.parent.type == "call_expression")
                                           or (node.parent.type == "arguments" and node.parent.named_children[:1] == [node])):
            # through a method of the value, or a function given it first (`normalizeOptionalPath(X)`)
            node = node.parent.parent if node.parent.type in ("member_expression", "arguments") else node.parent
        declarator = node.parent
        if read.function is None or declarator is None or declarator.type != "variable_declarator" or declarator.child_by_field_name("value") != node:
            return None
        return declarator, self.text(declarator.child_by_field_name("name"))

    def _local_flag(self, read: EnvRead, outer) -> bool:
        """`const v = (process.env.X ?? "").trim().toLowerCase(); return v === "true" || v === "1"`:
        a local holding the read that is only ever compared with fixed values (or used where
        such a comparison holds)."""
        held = self._holding_local(read, outer)
        if held is None:
            return False
        declarator, local = held
        uses = [n for n in walk(read.function) if n.type == "identifier" and self.text(n) == local and n.start_byte > declarator.end_byte]
        return bool(uses) and all(self._as_flag(u, u.parent) or self._narrowed_to_words(u, local) for u in uses)

    def _narrowed_to_words(self, use, local: str) -> bool:
        """`if (raw === "team" || raw === "enterprise") return raw;`: in that branch the local
        holds one of the fixed words."""
        node = use
        while node.parent is not None and not is_function(node.parent):
            parent = node.parent
            if parent.type in ("if_statement", "ternary_expression") and node == parent.child_by_field_name("consequence"):
                operands = list(self._chain_operands(parent.child_by_field_name("condition")))
                if operands and all(self._equals_word(o, local) for o in operands):
                    return True
            node = parent
        return False

    def _equals_word(self, test, local: str) -> bool:
        equals = _EQUALS_WORD.fullmatch(self.text(test))
        return bool(equals) and local in (equals.group(1), equals.group(4))

    def _presence_tested(self, node, name: str) -> bool:
        """Whether `node` is a presence test of the variable `name` (`if (process.env.X)`,
        `process.env.X ? a : b`, `process.env.X && a`) or runs only when one passed."""
        child, parent = node, node.parent
        while parent is not None and not is_function(parent):
            test = None
            if parent.type in ("if_statement", "ternary_expression"):
                test = parent.child_by_field_name("condition")
                branch = parent.child_by_field_name("consequence")
                if not (child == test or child == branch):
                    test = None
            elif parent.type == "binary_expression" and self.text(parent.child_by_field_name("operator")) == "&&":
                test = parent.child_by_field_name("left")
            if test is not None and self._tests_variable(test, name):
                return True
            child, parent = parent, parent.parent
        return False

    def _local_tested(self, read: EnvRead, outer) -> bool:
        """`const d = process.env.X?.trim(); if (d) return d;`, `if (raw != null) ...`, `raw ? a : b`,
        `if (!d) return false;`, `if (!d.trim()) return null;`: a local holding the read is tested for being set, and the
        function goes on without it (a branch for the unset case that neither throws nor exits)."""
        held = self._holding_local(read, outer)
        if held is None:
            return False
        declarator, local = held
        for node in walk(read.function):
            if node.start_byte <= declarator.end_byte:
                continue
            # `raw ? Number(raw) : undefined`, `Number.isFinite(raw) && raw > 0 ? raw : DEFAULT`: the other arm goes on
            if node.type == "ternary_expression" and (
                any(self._checks_local(test, local, read.name) for test in self._chain_operands(node.child_by_field_name("condition")))
                or self._guarded_or_nothing(node, local)
            ):
                return True
            # `...(token && { headers: { authorization: token } })`: used only when set
            if node.type == "binary_expression" and self.text(node.child_by_field_name("operator")) == "&&" \
                    and self._tests_local(unwrap(node.child_by_field_name("left")), local):
                return True
        for node in self.nodes("if_statement"):
            if not (within(node, read.function) and node.start_byte > declarator.end_byte):
                continue
            for test in self._chain_operands(node.child_by_field_name("condition")):
                if self._tests_local(test, local):
                    return True
                if test.type == "unary_expression" and _UNSET_TEST.fullmatch(self.text(test)) \
                        and _UNSET_TEST.fullmatch(self.text(test)).group(1) == local \
                        and not self._fails(node.child_by_field_name("consequence")):
                    return True
        return False

    def _tests_local(self, test, local: str) -> bool:
        """`if (raw)`, `raw != null`: the test holds when the local is set."""
        set_test = _SET_TEST.fullmatch(self.text(test)) if test is not None else None
        return test is not None and ((test.type == "identifier" and self.text(test) == local) or bool(set_test and set_test.group(1) == local))

    def _checks_local(self, test, local: str, variable: str) -> bool:
        """`raw`, `raw != null`, or, for a setting that is no credential, a check given the local
        alone (`Number.isFinite(raw)`) or a comparison of it with a number (`raw > 0`); a
        credential's stand-in (`isApiKey(key) ? key : "anonymous"`) still fails the call."""
        if self._tests_local(test, local):
            return True
        if _CREDENTIAL_NAME.search(variable):
            return False
        if test.type == "call_expression":
            args = arguments(test)
            return len(args) == 1 and self.text(args[0]) == local
        if test.type == "binary_expression" and self.text(test.child_by_field_name("operator")) in ("<", "<=", ">", ">="):
            sides = [unwrap(test.child_by_field_name(f)) for f in ("left", "right")]
            return any(s is not None and self.text(s) == local for s in sides) and any(s is not None and s.type == "number" for s in sides)
        return False

    def _guarded_or_nothing(self, ternary, local: str) -> bool:
        """`isAuditMode(raw) ? raw : null`: a check of the local, and nothing when it fails."""
        condition = unwrap(ternary.child_by_field_name("condition"))
        other = unwrap(ternary.child_by_field_name("alternative"))
        args = arguments(condition) if condition is not None and condition.type == "call_expression" else []
        return len(args) == 1 and self.text(args[0]) == local and other is not None and self.text(other) in ("null", "undefined")

    def _fails(self, branch) -> bool:
        """The branch throws or exits on its own path, not only inside a nested `if` about
        something else (`if (!serviceAccount) { mode = "user"; const id = env.ID; if (!id)
        process.exit(1); }` goes on without the service account)."""
        statements = branch.named_children if branch is not None and branch.type == "statement_block" else [branch]
        return any(s is not None and s.type != "if_statement" and _FAILS.search(self.text(s)) for s in statements)

    def _tests_variable(self, test, name: str) -> bool:
        """The test checks the variable is set: it is the test, or an operand of its `&&` / `||`
        chain (`if (AUTH === "pat" && process.env.PAT)`)."""
        return any(self._reads_variable(node, name) for node in self._chain_operands(test))

    def _chain_operands(self, test) -> Iterable:
        """The operands of a condition's `&&` / `||` chain (the condition itself when it is none)."""
        pending = [test]
        while pending:
            node = unwrap(pending.pop())
            if node is None:
                continue
            if node.type == "binary_expression" and self.text(node.child_by_field_name("operator")) in ("&&", "||"):
                pending += [node.child_by_field_name("left"), node.child_by_field_name("right")]
            else:
                yield node

    def _reads_variable(self, node, name: str) -> bool:
        """`process.env.X` / `process.env["X"]` (any of the env objects) naming `name`."""
        if node is None or node.type not in ("member_expression", "subscript_expression"):
            return False
        return self.text(node.child_by_field_name("object")) in ENV_OBJECTS and self._variable_name(node) == name

    def _variable_name(self, read) -> str:
        """The variable `env.X` / `env["X"]` names ('' when computed)."""
        if read.type == "member_expression":
            return self.text(read.child_by_field_name("property"))
        return string_value(self.doc, read.child_by_field_name("index")) or ""


_FAILS = re.compile(r"\bthrow\b|process\.exit\(")


def _is_condition(node) -> bool:
    """The whole condition of an `if` or a ternary (through parentheses)."""
    child, parent = node, node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        child, parent = parent, parent.parent
    return parent is not None and parent.type in ("if_statement", "ternary_expression") and parent.child_by_field_name("condition") == child


def _defaulted(node):
    """`x` of `x || {}` and `x ?? {}`, else the node."""
    if node is not None and node.type == "binary_expression" and node.child_by_field_name("operator").type in ("||", "??"):
        if unwrap(node.child_by_field_name("right")).type == "object":
            return unwrap(node.child_by_field_name("left"))
    return node


def _member(model: TsModel, obj, key: str):
    """`obj.key` for an object literal: a property's value or a method (`execute(args) {...}`)."""
    found = object_property(model.doc, obj, key)
    if found is not None or obj is None or unwrap(obj).type != "object":
        return found
    return next((m for m in unwrap(obj).named_children if m.type == "method_definition" and model.text(m.child_by_field_name("name")) == key), None)


def _is_member(func) -> bool:
    """A method, or a function held by a class field or an object property: called on its
    holder, never by its bare name."""
    return func.type == "method_definition" or (func.parent is not None and func.parent.type in ("public_field_definition", "pair"))


def enclosing_class_body(node):
    """The body of the class `node` is in, else None."""
    node = node.parent
    while node is not None and node.type != "class_body":
        node = node.parent
    return node


def _keys(model: TsModel, node) -> List[str]:
    from mcp_lint.typescript.syntax import object_keys

    return object_keys(model.doc, node)


def _redact_text(body: str) -> str:
    match = re.search(r"redact\s*:\s*(\[[^\]]*\]|\{[^}]*\})", body)
    return match.group(1) if match else ""


def capture(tree, grammar: str, kinds) -> Dict[str, list]:
    """Nodes of the given types by type, in source order, found by a tree-sitter query (in C:
    about twice as fast as visiting every node from Python). A query is compiled per grammar:
    the TS and TSX grammars number their node types differently."""
    query = _QUERIES.get((grammar, kinds))
    if query is None:
        import tree_sitter

        pattern = " ".join(f"({kind}) @{kind}" for kind in sorted(kinds) if kind not in _NOT_IN_GRAMMAR)
        query = _QUERIES[(grammar, kinds)] = tree_sitter.Query(tree.language, pattern)
    cursor_class = getattr(__import__("tree_sitter"), "QueryCursor", None)
    found = cursor_class(query).captures(tree.root_node) if cursor_class is not None else query.captures(tree.root_node)
    if isinstance(found, list):  # bindings before 0.23 return (node, name) pairs
        grouped: Dict[str, list] = {}
        for node, name in found:
            grouped.setdefault(name, []).append(node)
        found = grouped
    return {kind: sorted(nodes, key=lambda n: n.start_byte) for kind, nodes in found.items()}


_QUERIES: Dict[tuple, object] = {}
_NOT_IN_GRAMMAR = {"function", "class"}  # node types listed for older grammars; not queryable here


def model_of(doc) -> TsModel:
    """The document's model, built once and shared by every rule of the file."""
    model = getattr(doc, "_ts_model", None)
    if model is None:
        model = TsModel(doc)
        doc._ts_model = model
    return model


def _concatenates_text(node) -> bool:
    """`"Error: " + e.message`: a `+` with a string or template operand."""
    operator = node.child_by_field_name("operator")
    if operator is None or operator.type != "+":
        return False
    return any(unwrap(side) is not None and (unwrap(side).type in ("string", "template_string") or
               (unwrap(side).type == "binary_expression" and _concatenates_text(unwrap(side))))
               for side in (node.child_by_field_name("left"), node.child_by_field_name("right")))
