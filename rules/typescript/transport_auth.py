"""Checklist item 2 for TypeScript: authenticate at the HTTP transport, compare secrets in
constant time."""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Tuple

from mcp_lint.documents.typescript import walk
from mcp_lint.literals import LOOPBACK_HOSTS
from mcp_lint.model import Finding, Severity
from mcp_lint.python.argument_kinds import words
from mcp_lint.python.auth import CONFIRMATION_WORDS
from mcp_lint.rule import Invalid, Valid
from mcp_lint.typescript.http import bind_hosts
from mcp_lint.typescript.model import model_of
from mcp_lint.typescript.project import not_shipped, relative_stem, resolve, tsconfig_aliases
from mcp_lint.typescript.rule import TypeScriptProjectRule, TypeScriptRule
from mcp_lint.typescript.syntax import (
    arguments, dotted, enclosing_function, last_name, method_name, parameters, pattern_names, string_value, unwrap,
)

CREDENTIAL_HEADER = re.compile(
    r"headers\??\.?(\.|\[\s*['\"]|\.get\(\s*['\"]|get\(\s*['\"])(authorization|x-api-key|api-key|apikey|x-auth-token|cookie|proxy-authorization)\b",
    re.IGNORECASE,
)
CREDENTIAL_HEADER_BYTES = re.compile(CREDENTIAL_HEADER.pattern.encode(), re.IGNORECASE)
# Where the caller's request lives in tool code: SDK extra/context, fastmcp session, req objects.
INBOUND = re.compile(r"requestInfo|\breq\b|\brequest\b|\bhttp\b|session|extra|ctx|context", re.IGNORECASE)
SECRET_NAME = re.compile(r"(secret_?key|private_?key|access_?key|secret|password|passwd|passphrase|apikey|api_key|authtoken|auth_token|accesstoken|access_token|bearertoken|bearer|token|signature|hmac|credentials?)$", re.IGNORECASE)
# Words of a name that make it a setting or a description of a secret, not the secret
# (`maxTokens`, `tokenType`, `pageToken`, `apiKeyHeader`), matched as whole words: `ADMIN_TOKEN`
# holds no `min`.
_NOT_SECRET_WORDS = frozenset({
    "max", "min", "count", "limit", "budget", "type", "name", "url", "uri", "path", "length", "usage", "cursor",
    "page", "next", "prev", "field", "header", "env", "kind", "param", "params", "prefix", "scheme", "format",
    "mode", "status", "label", "expiry", "expires", "expiration", "expired", "expire", "previous", "environment",
    "minimum", "maximum", "parameter",
    "is", "has",  # a predicate: `hasSecret = cfg.client_secret !== undefined` holds a boolean (as in Python)
})


def _not_secret(name: str) -> bool:
    parts = words(name)  # `ADMIN_TOKEN` -> admin, token; `maxTokens` -> max, tokens
    return any(w in _NOT_SECRET_WORDS or (w.endswith("s") and w[:-1] in _NOT_SECRET_WORDS) for w in parts) \
        or (len(parts) > 1 and parts[-1] in ("id", "ids"))


LITERALS = {"string", "number", "null", "undefined", "true", "false", "regex", "template_string"}
AUTH_NAME = re.compile(r"auth|bearer|jwt|token|api_?key|verify|passport|clerk|guard|protect|require_?user|credential|oauth|basic|signature", re.IGNORECASE)
NOT_AUTH = re.compile(r"^(cors|helmet|json|urlencoded|rateLimit|limiter|compression|morgan|bodyParser|cookieParser|express\.json|express\.static)", re.IGNORECASE)


def _is_literal(model, node) -> bool:
    node = unwrap(node)
    if node is None:
        return True
    if node.type == "template_string":
        return not any(c.type == "template_substitution" for c in node.named_children)
    if node.type == "identifier" and model.text(node) == "undefined":
        return True
    name = dotted(model.doc, node) if node.type == "member_expression" else None
    if name and _enum_member(name) and not SECRET_NAME.search(last_name(name)):
        return True  # `ts.SyntaxKind.ImplementsKeyword`: a constant whose value is in the code (not `Config.apiKey`)
    return node.type in LITERALS


def _enum_member(name: str) -> bool:
    """`GrantType.REFRESH_TOKEN`, `ts.SyntaxKind.ImplementsKeyword`: a member of an enum or a
    class constant (the owner is written in PascalCase)."""
    return "." in name and re.match(r"[A-Z][a-z]\w*$", name.rsplit(".", 2)[-2]) is not None


def _secret_operand(model, node) -> Optional[str]:
    """The secret-like name an operand denotes (`token`, `config.apiKey`, `process.env.SECRET`)."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "unary_expression":
        return None  # typeof x
    if node.type == "template_string":
        subs = [c for c in node.named_children if c.type == "template_substitution"]
        return next((n for n in (_secret_operand(model, s.named_children[0]) for s in subs if s.named_children) if n), None)
    name = dotted(model.doc, node)
    if not name:
        return None
    base = last_name(name)
    if base in ("length", "size"):
        return None
    if _enum_member(name):
        return None  # `GrantType.REFRESH_TOKEN`: an enum member or class constant, not a secret
    if "." in name and _LOCATIONS.search(name.rsplit(".", 2)[-2]):
        return None  # `OAUTH_ROUTES.token`: the path of the token endpoint, not a token
    if SECRET_NAME.search(base) and not _not_secret(base) and (not _SIGNATURE.search(base) or _signs(model)):
        return base
    return None


# `signature` is a secret where the file verifies signatures (a crypto or JWT library); elsewhere
# a content stamp or a function's signature (`sceneSignature(scene)`, tree-sitter node types).
_SIGNATURE = re.compile(r"signature$", re.IGNORECASE)
_SIGNING_MODULES = re.compile(r"^(?:node:)?crypto$|^(?:jsonwebtoken|jose|tweetnacl|@noble/.*|crypto-js|jws|node-forge|@octokit/webhooks.*|svix|stripe)$")


# What of Node's crypto verifies or makes signatures (not `randomUUID`, `createHash`).
_CRYPTO_SIGNING = frozenset({"createHmac", "Hmac", "createSign", "createVerify", "sign", "verify", "timingSafeEqual", "subtle", "webcrypto",
                             "createPublicKey", "createPrivateKey", "KeyObject", "default", "*", "crypto"})  # "crypto": `const crypto = require("crypto")`


def _signs(model) -> bool:
    return any(_SIGNING_MODULES.match(module) and (not module.endswith("crypto") or name in _CRYPTO_SIGNING)
               for module, name in model.imports.values())


# Objects whose properties are locations (`OAUTH_ROUTES.token` is `/oauth/token`).
_LOCATIONS = re.compile(r"(?i)(routes?|paths?|urls?|endpoints?)$")

# Calls that cut text into pieces: a loop over their result walks words, not credentials.
_TEXT_PIECES = re.compile(r"(?i)(tokeni[sz]e\w*|split|lex\w*|words|terms|match|matchAll)$")


def _piece_of_text(model, node) -> bool:
    """`token` in `for (const token of tokenize(query))` (or of a const holding `query.split(" ")`):
    a word of some text, named like a lexer's token, not a credential."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return False
    name = model.text(node)
    for loop in _enclosing(node, "for_in_statement"):
        left, right = loop.child_by_field_name("left"), loop.child_by_field_name("right")
        if left is not None and model.text(left) == name:
            if right is not None and right.type == "identifier" and _TEXT_PIECES_NAME.match(model.text(right)):
                return True  # `for (const token of queryTokens)`: the words of a query, however they were cut
            source = model.resolve_value(right)
            while source is not None and source.type == "binary_expression" and model.text(source.child_by_field_name("operator")) in ("??", "||"):
                given = unwrap(source.child_by_field_name("left"))  # `queryTokens ?? tokenize(query)`
                if given is not None and given.type == "identifier" and _TEXT_PIECES_NAME.match(model.text(given)):
                    source = unwrap(source.child_by_field_name("right"))
                else:
                    break
            if source is None or source.type != "call_expression" or not _TEXT_PIECES.search(last_name(model.callee(source))):
                return False
            # The text cut up: `x` of `x.split(...)`, else the first argument (`tokenize(query)`).
            func = source.child_by_field_name("function")
            cut = func.child_by_field_name("object") if func is not None and func.type == "member_expression" else next(iter(arguments(source)), None)
            return cut is not None and not _CREDENTIAL_TEXT.search(model.text(cut))
    return _element_of_pieces(model, node, name)


_ELEMENT_METHODS = {"every", "some", "map", "filter", "forEach", "find", "findIndex", "flatMap", "reduce"}


def _element_of_pieces(model, node, name: str) -> bool:
    """`token` in `a.pathTokens.every((token, i) => token === b.pathTokens[i])`: the parameter
    of a callback walking a list named as the pieces of some text."""
    func = enclosing_function(node)
    while func is not None:
        if any(name in pattern_names(model.doc, p) for p in parameters(func)):
            call = func.parent.parent if func.parent is not None and func.parent.type == "arguments" else None
            target = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
            receiver = target.child_by_field_name("object") if target is not None and target.type == "member_expression" else None
            return receiver is not None and method_name(model.doc, call) in _ELEMENT_METHODS \
                and bool(_TEXT_PIECES_NAME.search(last_name(model.text(receiver))))
        func = enclosing_function(func)
    return False


_CREDENTIAL_TEXT = re.compile(r"(?i)env|secret|token|key|pass|cred|auth")
# A list named as the pieces of some text (`queryTokens`, `search_terms`, `textWords`).
_TEXT_PIECES_NAME = re.compile(r"(?i)(?:query|search|text|input|phrase|content|name|path|heading)_?(?:tokens|terms|words)$")


def _enclosing(node, kind: str):
    parent = node.parent
    while parent is not None:
        if parent.type == kind:
            yield parent
        parent = parent.parent


REFRESH = """
    import jwt from "jsonwebtoken";
    export async function refresh(refreshToken, accessToken) {{
      {verify}
      if (!session || session.refreshToken !== refreshToken) throw new Error("Invalid refresh token");
      return decoded;
    }}
"""
MCP_SERVER = {"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}
CLEANUP_SCRIPT = "export const mine = (record: Rec, apiToken: string) => record.created_by_actor.id === apiToken;\n"


ARGUMENTS_STAMP = """
    import {{ {crypto} }} from "node:crypto";
    export function confirmed(pending: {{ signature: string }}, args: object) {{
      const signature = JSON.stringify(args);
      return pending.signature === signature;
    }}
"""


RETYPED = """
export async function init(rl: Prompt, session: Session) {{
  const passphrase = await rl.question("Passphrase: ");
  const confirmPass = await rl.question("Again: ");
  if ({stored} !== passphrase) {{
    throw new Error("the passphrases differ");
  }}
  const token = randomToken();
  const confirm = randomToken();
  if (!token || !confirm || confirm === token) {{
    throw new Error("retry");
  }}
}}
"""


class TsSecretComparedNonConstantTime(TypeScriptProjectRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags `===`, `!==`, `==`, `!=` between two non-literal values
    one of which names a secret (`token`, `apiKey`, `secret`, `password`, `hmac`; `signature` in
    a file that imports a crypto or JWT library (of Node's `crypto`, what signs or verifies:
    `createHmac`, `sign`, `timingSafeEqual`, `subtle`, not `randomUUID`), elsewhere a content stamp),
    and `startsWith` / `endsWith` of a credential against a secret, when the outcome decides
    something (as in Python): returned (an arrow function's value too), asserted, held in a
    `const` that decides, or the test of an `if` whose branches return, throw or answer the
    request (`res.status(401)`); not one that only picks a copy to update or a record to
    delete. Comparisons with
    literals (`token === undefined`, `scheme === "Bearer"`), with a template built from no
    secret (`` token === `--${flag}` ``: nothing secret to reveal), or with a constant that names no
    secret and holds a plain word (`accessToken !== GCLOUD_AUTH` where `GCLOUD_AUTH = "gcloud_auth"`,
    in the file or imported from a module of the project) or zeros (the zero address `"0x000..."`),
    with a constant of a package (`gateToken !== zeroAddress` of viem), with an enum member or class constant
    not named like a secret (`clause.token === ts.SyntaxKind.ImplementsKeyword`, not
    `Config.apiKey`), `typeof` checks, the length
    pre-check before `timingSafeEqual`, names that are not secrets (`maxTokens`,
    `nextPageToken`, `tokenType`, a predicate such as `hasSecret`, a property of a routes or paths object such as
    `OAUTH_ROUTES.token`), the words of a text that is not a credential (`for (const
    token of tokenize(query))`, of `query.split(" ")`, of `searchTerms`, a callback's word of
    `pathTokens.every(...)`), a category property against a constant (`node.type ===
    METHOD_SIGNATURE`), a value against a
    transform of itself (`apiKey.trim() !== apiKey`), a cached copy against the current value
    (`cachedApiKey === apiKey`, `existing.token === envToken`, `stored.password === env.password`), a token whose signature the function
    checked first (`jwt.verify(refreshToken, key)` before `session.refreshToken !== refreshToken`),
    a token the function computes and hands back in what it returns (a two-phase delete whose
    preview gives the caller the `confirmToken` to send next), a confirmation (an operand named
    with `confirm`, `confirmation`, `retype` or `repeat`: `confirmPass !== passphrase` at a prompt,
    a `confirmationToken` the caller echoes back), files under tests and examples,
    scripts under `scripts/` and browser code under `public/` that import no MCP module, and packages with no MCP or auth-server
    code at all (a web app of the repository beside its MCP server, its own package.json, no file
    importing an MCP SDK, defining tools or importing a JWT/OAuth library such as `jose`, and no
    Python code, whose server the TS code may serve) are not reported.

    ## Example
    ```ts
    if (req.headers.authorization !== `Bearer ${API_TOKEN}`) return res.status(401).end();
    if (req.get("Authorization")?.endsWith(SECRET_KEY)) next();
    ```

    ## Use instead
    ```ts
    const a = Buffer.from(given), b = Buffer.from(API_TOKEN);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return res.status(401).end();
    ```
    """

    code = "MCP0202"
    fix_hint = "Compare with `crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b))` after checking the lengths match."
    scope = "mcp-project"

    VALID = (
        # The project's web app beside its MCP server: a package of its own that no MCP code is in.
        Valid("""
            export function allowed(req: Request) { return req.headers.get("x-api-key") === process.env.ADMIN_API_KEY; }
        """, path="frontend/lib/auth.ts", files={"frontend/package.json": '{"name": "frontend"}', "frontend/lib/mcp-client.ts": "export const MCP_GATEWAY = process.env.MCP_GATEWAY_URL;\n"}),
        # A content stamp in a file that verifies no signatures (local-memory-mcp's dashboard).
        Valid("""
            export const changed = (scene: Scene, lastIncomingSignature: string) => sceneSignature(scene) !== lastIncomingSignature;
        """, path="src/ui/arena.ts", files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        # ... where crypto only makes ids (telegram-mcp-ts's confirmation of a tool call's arguments).
        Valid(ARGUMENTS_STAMP.format(crypto="randomUUID"), path="src/lib/confirm.ts", files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Valid("""
            import crypto from "node:crypto";
            import { zeroAddress } from "viem";
            import { ADC_MODE } from "./constants.js";
            export function check(token: string | undefined, expected: string) {
              if (token === undefined || typeof token !== "string") return false;
              const a = Buffer.from(token), b = Buffer.from(expected);
              if (a.length !== b.length) return false;
              if (tokenType === "Bearer" && header.startsWith("Bearer ")) return crypto.timingSafeEqual(a, b);
              if (options.grantType === GrantType.REFRESH_TOKEN) return true;
              return maxTokens === limit || nextPageToken === cursor;
            }
            export function refine(cfg: { client_id?: string; client_secret?: string }) {
              const hasId = cfg.client_id !== undefined, hasSecret = cfg.client_secret !== undefined;
              if (hasSecret !== hasId) throw new Error("client_id and client_secret go together");
            }
            export const isTokenRoute = (pathname: string) => pathname.endsWith(OAUTH_ROUTES.token);
            const GCLOUD_AUTH = "gcloud_auth";
            export const key = (accessToken: string) => accessToken !== GCLOUD_AUTH ? accessToken : "adc";
            const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
            export const gatedBy = (gateToken: string) => gateToken !== ZERO_ADDRESS;
            export const ungated = (gateToken: string) => gateToken === zeroAddress;
            export const mode = (accessToken: string) => accessToken === ADC_MODE;
            export function score(name: string, query: string) {
              const queryTokens = tokenize(query);
              for (const token of queryTokens) if (name === token) return 12;
              for (const token of query.split(" ")) if (token === name) return 8;
              return 0;
            }
            export const flagged = (token: string, flag: string) => token === `--${flag}` || token === `--${flag}=`;
            export function rank(searchTerms: string[], title: string) {
              for (const token of searchTerms) if (title === token || title.startsWith(token)) return 10;
              return 0;
            }
            export const samePath = (a: Entry, b: Entry) => a.pathTokens.every((token, i) => token === b.pathTokens[i]);
            export function overlap(name: string, query: string, queryTokens?: string[]) {
              const tokens = queryTokens ?? tokenize(query);
              for (const token of tokens) if (name === token || name.startsWith(token)) return 1;
            }
            export const isSignature = (node: SyntaxNode) => node.type === METHOD_SIGNATURE || node.kind === ts.SIGNATURE;
            export const padded = (apiKey: string) => apiKey.trim() !== apiKey;
            export function session(envToken: string) {
              const existing = store.load();
              if (existing && existing.token === envToken) return existing;
            }
            export async function syncEnvCredentials(env: Credentials) {
              const stored = await storage.load();
              if (stored?.email === env.email && stored?.password === env.password) return;
              await storage.save(env);
            }
            export function client(currentApiKey: string) {
              if (cachedClient && cachedClientApiKey === currentApiKey) return cachedClient;
              return build(currentApiKey);
            }
            export const implementsClause = (clause: ts.HeritageClause) => clause.token === ts.SyntaxKind.ImplementsKeyword;
        """, path="auth.ts", files={
            "server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n",
            "constants.ts": "export const ADC_MODE = 'application-default';\n",
        }),
        # A maintenance script of the repository, not the server (attio's cleanup CLI).
        Valid(CLEANUP_SCRIPT, path="scripts/cleanup/utils.ts", files={"src/server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        # Browser code a web view serves (saga-mcp's poll-generation `token`).
        Valid(CLEANUP_SCRIPT, path="tracker-view/public/mount.js", files={"src/server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        # Comparisons that decide nothing: which copy to update, what to delete (mittwald, neon).
        Valid("""
            export async function sync(session: Session, accessToken: string, stored: Stored, newRefreshToken: string) {
              if (session.auth.accessToken !== accessToken) {
                session.auth.accessToken = accessToken;
                changed = true;
              }
              const rotated = newRefreshToken !== stored.refreshToken;
              if (rotated) await model.deleteRefreshToken(stored);
            }
        """, path="src/server/mcp.ts", files=MCP_SERVER),
        # A two-phase confirmation whose preview hands the expected token to the caller (contentful).
        Valid("""
            export async function deleteEntry(args: Params) {
              const entry = await client.entry.get(args);
              const expectedToken = buildConfirmToken("entry", args.entryId, entry.sys.version);
              if (args.confirm !== true || args.confirmToken !== expectedToken) {
                return preview("entry", args.entryId, { entry }, expectedToken);
              }
              await client.entry.delete(args);
            }
        """, path="src/tools/deleteEntry.ts", files=MCP_SERVER),
        # A refresh token whose signature was checked first (endlessblink's auth-system.js).
        Valid(REFRESH.format(verify="const decoded = jwt.verify(refreshToken, this.secretKey);"), path="lib/auth.js", files=MCP_SERVER),
        # A passphrase typed twice at a prompt (trippy-mcp's init), a confirmation code that must
        # differ from the token it confirms (red-mcp-server).
        Valid(RETYPED.format(stored="confirmPass"), path="src/cli/init.ts", files=MCP_SERVER),
    )
    INVALID = (
        # ... not a stored secret whose name only holds a confirmation word's letters.
        Invalid(RETYPED.format(stored="session.unconfirmedPass"), path="src/cli/init.ts", line=4, files=MCP_SERVER),
        # ... the same comparison when the signature is checked only after it, or of another value.
        Invalid(REFRESH.format(verify="const decoded = jwt.decode(refreshToken);"), path="lib/auth.js", line=4, files=MCP_SERVER),
        Invalid(REFRESH.format(verify="const decoded = jwt.verify(accessToken, this.secretKey);"), path="lib/auth.js", line=4, files=MCP_SERVER),
        # ... but the package holds a Python MCP server: its TS web code is checked as before.
        Invalid("""
            export function allowed(req: Request) { return req.headers.get("x-api-key") === process.env.ADMIN_API_KEY; }
        """, path="web/auth.ts", line=1, files={"server.py": "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('notes')\n"}),
        # The MCP server's OAuth bridge: a package of its own, built on a JWT library.
        Invalid("""
            import { jwtVerify } from "jose";
            export function checkClient(body: any) { return body.client_secret === process.env.CLIENT_SECRET; }
        """, path="oauth-bridge/src/token.ts", line=2, files={
            "oauth-bridge/package.json": '{"name": "oauth-bridge"}',
            "oauth-bridge/src/metadata.ts": 'export const resource = "https://example.com/mcp";\n',
        }),
        Invalid("""
            export function allowed(req: Request) { return req.headers.get("x-api-key") === process.env.ADMIN_API_KEY; }
        """, path="frontend/lib/auth.ts", line=1, files={"frontend/package.json": '{"name": "frontend"}', "frontend/lib/mcp.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Invalid("""
            const API_TOKEN = process.env.API_TOKEN;
            app.use((req, res, next) => {
              if (req.headers.authorization !== `Bearer ${API_TOKEN}`) return res.status(401).end();
              next();
            });
        """, path="auth.ts", line=3, files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        # A constant holding more than zeros, or one of the project reached through an alias, may be a secret.
        Invalid("""
            import { OWNER } from "@/config";
            const PINNED = "0x5a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
            export const pinned = (gateToken: string) => gateToken !== PINNED;
            export const owned = (gateToken: string) => gateToken === OWNER;
        """, path="src/gate.ts", count=2, files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            app.post("/mcp", (req, res) => {
              if (!req.get("Authorization")?.endsWith(REMOTE_SECRET_KEY)) return res.status(401).end();
            });
        """, path="server.ts", line=3, message="endsWith"),
        # A class holding a secret is no enum: `Config.apiKey` is compared like any secret.
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            export const allowed = (token: string) => token === Config.apiKey;
        """, path="auth.ts", line=2),
        # An imported constant that holds no plain word (here the configured key) is a secret.
        Invalid("""
            import { MASTER_KEY } from "./config.js";
            export const allowed = (apiKey: string) => apiKey === MASTER_KEY;
        """, path="auth.ts", line=2, files={
            "server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n",
            "config.ts": "export const MASTER_KEY = process.env.MASTER_KEY ?? 'changeme';\n",
        }),
        # A cached key against what the caller sent is an auth check like any other.
        Invalid("""
            export const allowed = (req: Request) => cachedApiKey !== undefined && req.headers.authorization === cachedApiKey;
        """, path="auth.ts", line=1, files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        # A start script that imports the server is the server (notion's scripts/start-server.ts).
        Invalid("import { startServer } from '../src/openapi-mcp-server/index.js';\n" + CLEANUP_SCRIPT, path="scripts/start.ts", line=2,
                files={"src/server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Invalid("""
            const VALID_TOKENS = process.env.API_TOKENS.split(",");
            export function allowed(given: string) {
              for (const token of VALID_TOKENS) if (token === given) return true;
              return false;
            }
        """, path="auth.ts", line=3, files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        # A signature where the file verifies signatures with a crypto library.
        Invalid(ARGUMENTS_STAMP.format(crypto="randomUUID, createHmac"), path="src/lib/confirm.ts", line=4,
                files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        Invalid("""
            import crypto from "node:crypto";
            export const valid = (req: Request, expectedSignature: string) => req.headers["x-hub-signature"] === expectedSignature;
        """, path="webhook.ts", line=2, files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        # A property that is no category (`node.text`) against a secret-named constant.
        Invalid("""
            export const allowed = (req: Request) => req.body.text === ADMIN_TOKEN;
        """, path="auth.ts", line=1, files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
        # ... not a caller's own token echoed back, nor an expected one returned only inside the check.
        Invalid("""
            export function login(req: Request) {
              const token = req.headers["x-api-key"];
              if (token !== process.env.API_KEY) return { ok: false };
              return { ok: true, token: token };
            }
        """, path="auth.ts", line=3, files=MCP_SERVER),
        Invalid("""
            export function allowed(given: string) {
              const apiKey = loadKey();
              return given === apiKey;
            }
        """, path="auth.ts", line=3, files=MCP_SERVER),
        Invalid("""
            export function login(req: Request) {
              const token = req.get("x-api-key");
              if (token !== process.env.API_KEY) return { ok: false };
              return { ok: true, token: token };
            }
        """, path="auth.ts", line=3, files=MCP_SERVER),
        # Decisions made through a name, or by answering the request without returning.
        Invalid("""
            export function check(req: Request, res: Response, next: Next) {
              const valid = req.headers["x-api-key"] === process.env.API_KEY;
              if (!valid) return res.status(401).end();
              next();
            }
        """, path="auth.ts", line=2, files=MCP_SERVER),
        Invalid("""
            app.use((req, res, next) => {
              if (req.query.token === process.env.API_TOKEN) { next(); } else { res.status(401).send("no"); }
            });
        """, path="auth.ts", line=2, files=MCP_SERVER),
        Invalid("""
            export async function handle(req: Request, res: Response, given: Auth) {
              let revalidate = true;
              const opened = openSession(req.headers["mcp-session-id"]);
              revalidate = !opened || opened.token !== given.token;
              if (revalidate && !(await validateUpstream(given))) return res.status(401).end();
            }
        """, path="auth.ts", line=4, files=MCP_SERVER),
        # A callback walking the configured tokens compares secrets.
        Invalid("""
            export const allowed = (given: string) => VALID_TOKENS.some((token) => token === given);
        """, path="auth.ts", line=1, files={"server.ts": "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"}),
    )

    @classmethod
    def collect(cls, document, options):
        model = model_of(document)
        # MCP code (an MCP SDK imported, tools defined) or an auth server's (a JWT/OAuth library):
        # a package with neither is another app of the repository.
        serves = model.mcp_file or bool(model.tools) or any(_AUTH_LIBRARY.match(module) for module, _ in model.imports.values())
        if not_shipped(model, document.path):
            return {"found": [], "words": _word_constants(model), "serves": serves}
        found = [(document.location(node), message, document.snippet(node), sentinel) for node, message, sentinel in _comparisons(model)]
        return {"found": found, "words": _word_constants(model), "serves": serves}

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        if not any(facts["found"] for facts in facts_by_path.values()):
            return  # nothing to report; the Python model below is not built for nothing (a Python-only unit)
        python = project.model if project is not None else None
        if not any(facts.get("serves") for facts in facts_by_path.values()) and not (python is not None and python.modules):
            return  # a web app of a repository that also holds an MCP server: no MCP or auth-server code here (nor Python)
        known = set(facts_by_path)
        aliases = tsconfig_aliases(project.root if project is not None else None)
        for path in sorted(facts_by_path):
            for location, message, snippet, sentinel in facts_by_path[path]["found"]:
                if sentinel is not None:
                    stem, name = sentinel
                    target = resolve(stem, known, aliases)
                    if target is not None and name in facts_by_path[target]["words"]:
                        continue  # compared with another module's plain-word constant
                yield Finding(cls.code, cls.name, cls.item, cls.severity, location, message, cls.fix_hint, snippet=snippet)


# Libraries an authorization server (an MCP server's OAuth bridge) is built on.
_AUTH_LIBRARY = re.compile(r"^(?:jose|jsonwebtoken|oauth4webapi|openid-client|oidc-provider|passport(?:-[\w-]+)?|@node-oauth/[\w-]+|@fastify/jwt|express-jwt|@auth/[\w-]+|better-auth)$")


def _comparisons(model) -> Iterable[Tuple[object, str, Optional[Tuple[str, str]]]]:
    """(node, message, imported constant the secret is compared with, if any) for each
    comparison of a secret in non-constant time."""
    for node in model.nodes("binary_expression"):
        operator = model.text(node.child_by_field_name("operator"))
        if operator not in ("===", "!==", "==", "!="):
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if _is_literal(model, left) or _is_literal(model, right):
            continue
        named = [(side, _secret_operand(model, side)) for side in (left, right)]
        secret = next((name for side, name in named if name and not _piece_of_text(model, side)), None)
        if not secret or not _decides(model, node):
            continue
        others = [side for side, name in named if name is None]
        if _root_name(model, left) is not None and _root_name(model, left) == _root_name(model, right):
            continue  # `apiKey.trim() !== apiKey`: the value against itself, a format check
        if any(CONFIRMATION_WORDS.intersection(words(last_name(dotted(model.doc, unwrap(side)) or ""))) for side in (left, right)):
            continue  # `confirmPass !== passphrase`: a retype or confirmation check
        server_held = all(_configured(model, other) for other in others)  # no other side, or one read from the environment
        if server_held and any(name and (_SERVER_COPY.match(name) or _SERVER_COPY_HOLDER.match(_root_name(model, side) or "")) for side, name in named):
            continue  # `cachedClientApiKey === currentApiKey`, `existing.token === envToken`: two values the server holds
        if others and _word_constant(model, model.resolve_value(others[0])) is not None:
            continue  # `token !== GCLOUD_AUTH` with `const GCLOUD_AUTH = "gcloud_auth"` here
        if others and _library_constant(model, others[0]):
            continue  # `gateToken !== zeroAddress` (viem): a value every user of the package knows
        if others and _CATEGORY.fullmatch(last_name(dotted(model.doc, unwrap(others[0])) or "")):
            continue  # `prev.type === METHOD_SIGNATURE`: which kind of node, not a credential
        if others and unwrap(others[0]) is not None and unwrap(others[0]).type == "template_string":
            continue  # `token === \`--${flag}\``: text built from no secret (a secret inside is the other name)
        if any(_signature_checked(model, node, side) for side in (left, right)):
            continue  # `jwt.verify(refreshToken, key)` first: a guess never reaches the comparison
        if any(name and _handed_back(model, node, side) for side, name in named):
            continue  # a confirmation token the tool's own preview hands the caller: no secret from them
        sentinel = _imported_constant(model, others[0]) if others else None
        yield node, f"`{secret}` compared with `{operator}`: the time taken reveals how much of it matched", sentinel
    for call in model.nodes("call_expression"):
        method = method_name(model.doc, call)
        if method not in ("startsWith", "endsWith"):  # not `includes`: array membership
            continue
        args = arguments(call)
        if len(args) == 1 and not _is_literal(model, args[0]):
            secret = _secret_operand(model, args[0])
            if secret and not _piece_of_text(model, args[0]) and _decides(model, call):
                yield call, f"`{method}({secret})` matches a credential against a secret in non-constant time (and accepts any prefix/suffix)", None


# Where an expression's value stops flowing upwards: the statement (or function body) it is in.
_STATEMENT_END = re.compile(r"_statement$|^(?:variable_declarator|arrow_function|statement_block|program)$")
# Calls that end a request: an HTTP response sent, an assertion, a promise rejected.
_ENDS_REQUEST = {"status", "sendStatus", "writeHead", "code", "assert", "ok", "reject", "redirect"}


def _decides(model, comparison, depth: int = 0) -> bool:
    """Whether the comparison's outcome decides something (as in Python): it is returned (an
    arrow function's value too: `tokens.some((t) => t === given)`), asserted, or the test of an
    `if` (or loop) whose branches return, throw or answer the request; a `const` holding it
    decides where the name does. A comparison that only picks what to update, log or delete
    (`if (cached.token !== token) cached.token = token`) leaks nothing worth timing."""
    node = comparison
    while node.parent is not None and not _STATEMENT_END.search(node.type):
        if node.type == "assignment_expression" and node.child_by_field_name("left").type == "identifier":
            break  # `needsCheck = !opened || opened.t !== given.token`: decides where the name does
        node = node.parent
    if node.type in ("return_statement", "arrow_function"):  # reached from an arrow: its expression body
        return True
    if node.type in ("variable_declarator", "assignment_expression"):
        name = node.child_by_field_name("name" if node.type == "variable_declarator" else "left")
        scope = enclosing_function(node) or model.doc.tree.root_node
        return depth < 2 and name is not None and name.type == "identifier" and _name_decides(model, model.text(name), scope, node, depth)
    if node.type in ("if_statement", "while_statement", "for_statement", "do_statement"):
        condition = node.child_by_field_name("condition")
        if condition is None or not (condition.start_byte <= comparison.start_byte and comparison.end_byte <= condition.end_byte):
            return False
        return any(_exits(model, branch) for branch in node.children if branch is not condition)
    if node.type == "expression_statement":
        call = unwrap(node.named_children[0]) if node.named_children else None
        return call is not None and call.type == "call_expression" and last_name(model.callee(call)) in ("assert", "ok", "strictEqual")
    return False


def _exits(model, branch) -> bool:
    for each in walk(branch):
        if each.type in ("return_statement", "throw_statement"):
            return True
        if each.type == "call_expression" and method_name(model.doc, each) in _ENDS_REQUEST:
            return True
    return False


def _name_decides(model, name: str, scope, declarator, depth: int) -> bool:
    """`const sameAuth = a.password === b.password; if (!sameAuth) return ...`: the name's uses decide."""
    for each in walk(scope):
        if each.type == "identifier" and each.start_byte > declarator.end_byte and model.text(each) == name:
            if _decides(model, each, depth + 1):
                return True
    return False


def _handed_back(model, comparison, side) -> bool:
    """The secret-named value is one the function computes (`const expected =
    buildConfirmToken(...)`) and returns outside the comparison (`if (args.confirmToken !==
    expected) return preview(entry, expected)`): the two-phase confirmation hands the expected
    token to the caller, who may then send it. A caller's own token echoed back is no such value:
    it is read from the request or a parameter, not computed."""
    side = unwrap(side)
    function = enclosing_function(comparison)
    if side is None or side.type != "identifier" or function is None:
        return False
    name = model.text(side)
    computed = any(
        d.type == "variable_declarator" and model.text(d.child_by_field_name("name")) == name
        and unwrap(d.child_by_field_name("value")) is not None and unwrap(d.child_by_field_name("value")).type == "call_expression"
        and method_name(model.doc, unwrap(d.child_by_field_name("value"))) not in ("get", "header", "getHeader")  # a lookup, not computed
        and enclosing_function(d) == function
        for d in walk(function)
    )
    if not computed:
        return False
    for statement in walk(function):
        if statement.type == "return_statement" and enclosing_function(statement) == function:
            for each in walk(statement):
                if each.type == "identifier" and model.text(each) == name and not _compared(model, each):
                    return True
    return False


def _compared(model, identifier) -> bool:
    parent = identifier.parent
    while parent is not None and parent.type in ("parenthesized_expression", "member_expression", "non_null_expression"):
        parent = parent.parent
    return parent is not None and parent.type == "binary_expression" and model.text(parent.child_by_field_name("operator")) in ("===", "!==", "==", "!=")


# Calls that check a token's signature and throw (or reject) when it does not hold.
_VERIFIES = {"verify", "jwtVerify", "compactVerify", "verifyJwt", "verifyJWT"}


def _signature_checked(model, comparison, side) -> bool:
    """The compared name was passed to a signature check earlier in the same function
    (`jwt.verify(refreshToken, secretKey)`): only a token the server signed gets this far, so the
    comparison's timing tells a guesser nothing."""
    name = dotted(model.doc, side)
    function = enclosing_function(comparison)
    if not name or function is None:
        return False
    for call in walk(function):
        if call.type == "call_expression" and call.end_byte <= comparison.start_byte and method_name(model.doc, call) in _VERIFIES:
            args = arguments(call)
            if len(args) > 1 and dotted(model.doc, args[0]) == name:
                return True
    return False


# A secret-named value the server keeps from an earlier call: comparing it with the current one
# decides whether a cache is stale, and no caller's guess is in either side.
_SERVER_COPY = re.compile(r"(?:cached|previous|prev|last|old|stored|saved)[A-Z_]|(?:CACHED|PREVIOUS|PREV|LAST|OLD|STORED|SAVED)_")
# ... or the record it is kept in (`existing.token`, `cached.apiKey`: a session loaded from disk).
_SERVER_COPY_HOLDER = re.compile(r"(?:existing|cached|previous|prev|last|old|stored|saved)(?:[A-Z_]\w*)?$")


def _configured(model, node) -> bool:
    """A value named as read from the environment (`envToken`, `ENV_TOKEN`, `process.env.X`)."""
    name = dotted(model.doc, unwrap(node)) or ""
    return name.startswith("process.env") or bool(re.search(r"(?:^|[._])env(?:[A-Z_.]|$)|^ENV_", name))


def _root_name(model, node) -> Optional[str]:
    """The identifier a member chain or method call starts from (`apiKey` of `apiKey.trim()`)."""
    node = unwrap(node)
    while node is not None and node.type in ("call_expression", "member_expression", "non_null_expression", "parenthesized_expression"):
        node = node.child_by_field_name("function") if node.type == "call_expression" else (
            node.child_by_field_name("object") if node.type == "member_expression" else (node.named_children[0] if node.named_children else None))
    return model.text(node) if node is not None and node.type == "identifier" else None


# Properties that hold a category: compared with a constant, they ask which kind of thing.
_CATEGORY = re.compile(r"(?:node)?[tT]ype|kind|tagName|category|status|mode|format")


# A constant holding a plain word (a mode, a sentinel) is public: nothing secret to leak.
_PLAIN_WORD = re.compile(r"[A-Za-z]+(?:[_-][A-Za-z]+)*")


def _word_constant(model, node) -> Optional[str]:
    """A plain word (`"gcloud_auth"`), or a sentinel of zeros (the zero address `"0x000..."`,
    the nil UUID): no secret."""
    node = unwrap(node)
    if node is None or node.type != "string":
        return None
    value = string_value(model.doc, node)
    return value if value is not None and (len(value) <= 40 and _PLAIN_WORD.fullmatch(value) or _ZEROS.fullmatch(value)) else None


_ZEROS = re.compile(r"(?:0x)?0+(?:-0+)*")
# A package's module (`viem`, `@noble/hashes/utils`, `node:crypto`), not a project path or alias.
_PACKAGE_MODULE = re.compile(r"^(?:node:)?(?:@[\w.-]+/)?[A-Za-z][\w.-]*(?:/[\w./-]*)?$")


def _library_constant(model, node) -> bool:
    """An identifier imported by name from a package (`import { zeroAddress } from "viem"`)."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return False
    module, imported = model.imports.get(model.text(node), ("", ""))
    return bool(module) and imported not in ("*", "default") and _PACKAGE_MODULE.match(module) is not None


def _word_constants(model) -> List[str]:
    """Top-level `const NAME = "plain-word"` that name no secret (candidates for sentinels)."""
    found = []
    for declarator in model.nodes("variable_declarator"):
        name = declarator.child_by_field_name("name")
        if name is None or name.type != "identifier" or declarator.parent is None or declarator.parent.parent is None:
            continue
        if declarator.parent.parent.type not in ("program", "export_statement"):
            continue
        text = model.text(name)
        if not (SECRET_NAME.search(text) and not _not_secret(text)) and _word_constant(model, declarator.child_by_field_name("value")) is not None:
            found.append(text)
    return found


def _imported_constant(model, node) -> Optional[Tuple[str, str]]:
    """(project-relative stem, exported name) of an identifier imported by name from a relative module."""
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return None
    module, imported = model.imports.get(model.text(node), ("", ""))
    stem = relative_stem(model.doc.path, module)
    return (stem, imported) if stem is not None and imported and imported not in ("*", "default") else None


class TsCredentialCheckInTool(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags tool code that reads the caller's credentials itself:
    the `Authorization`, `X-API-Key` or `Cookie` header from `extra.requestInfo.headers`,
    `ctx.http?.req?.headers`, or a fastmcp session's headers. Reading the verified identity
    (`extra.authInfo`, `ctx.http?.authInfo`, `req.auth`) and other headers is fine.

    ## Example
    ```ts
    server.registerTool("me", {}, async (extra) => {
      const token = extra.requestInfo?.headers.authorization;
      ...
    });
    ```

    ## Use instead
    Mount `requireBearerAuth({ verifier })` on the MCP route and read `extra.authInfo` in the tool.
    """

    code = "MCP0201"
    fix_hint = "Authenticate at the transport (`requireBearerAuth({ verifier })` on the MCP route) and read the verified caller from `extra.authInfo` in the tool."
    requires = ("headers",)

    VALID = (
        Valid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("me", { description: "me" }, async (extra) => {
              const who = extra.authInfo?.clientId;
              const trace = extra.requestInfo?.headers["x-request-id"];
              return { content: [{ type: "text", text: String(who) }] };
            });
        """, path="server.ts"),
    )
    INVALID = (
        Invalid("""
            import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
            server.registerTool("me", { description: "me" }, async (extra) => {
              const token = extra.requestInfo?.headers.authorization;
              return { content: [{ type: "text", text: await whoami(token) }] };
            });
        """, path="server.ts", line=3),
    )

    def check(self) -> None:
        model = self.model
        if not model.tools:
            return
        root = self.document.tree.root_node
        seen = set()
        for match in CREDENTIAL_HEADER_BYTES.finditer(self.document.source):
            node = root.descendant_for_byte_range(match.start(), match.end())
            while node is not None and node.type not in ("member_expression", "subscript_expression", "call_expression"):
                node = node.parent
            if node is None:
                continue
            parent = node.parent
            while parent is not None and parent.type in ("member_expression", "subscript_expression", "call_expression", "non_null_expression") and len(model.text(parent)) < 200:
                node, parent = parent, parent.parent  # the outermost expression, reported once
            if parent is not None and parent.type == "assignment_expression" and parent.child_by_field_name("left") == node:
                continue  # setting an outbound request's header, not reading the caller's
            if node.start_byte in seen or not INBOUND.search(model.text(node)) or not model.in_tool_code(node):
                continue
            seen.add(node.start_byte)
            self.report_node(node, "tool code reads the caller's credentials itself instead of the transport authenticating the request")


# A route handler that checks the caller through a helper of its file.
WITH_AUTH_HELPER = """
    import express from "express";
    const app = express();
    async function withRequestAuth(req, res, run) {
      const token = req.headers.authorization;
      if (!token) { res.status(401).json({ error: "Unauthorized" }); return undefined; }
      return run();
    }
    app.post("/mcp", async (req, res) => {
      await withRequestAuth(req, res, async () => { await transport.handleRequest(req, res, req.body); });
    });
"""


def _loopback(model) -> Optional[str]:
    """The loopback host every `listen` of the file binds, if they all bind one."""
    hosts = bind_hosts(model)
    return hosts[0] if hosts and set(hosts) <= LOOPBACK_HOSTS else None


def _is_auth(model, node) -> bool:
    node = unwrap(node)
    if node is None:
        return False
    if node.type in ("arrow_function", "function_expression"):
        return _inline_auth(model, node)
    name = model.callee(node) if node.type == "call_expression" else dotted(model.doc, node)
    if not name and node.type == "array":
        return any(_is_auth(model, c) for c in node.named_children)
    func = model.resolve_function(node) if node.type == "identifier" else None
    if func is not None and _inline_auth(model, func):
        return True
    return bool(name) and not NOT_AUTH.search(last_name(name)) and bool(AUTH_NAME.search(name))


def _inline_auth(model, func, depth: int = 0) -> bool:
    """A handler or middleware that reads a credential and answers 401/403 itself, or through a
    same-file helper it calls (`await runWithRequestAuth(req, res, async () => ...)`)."""
    body = model.text(func)
    if re.search(r"\b40[13]\b|Unauthorized|Forbidden", body) and re.search(r"authorization|api[-_]?key|token|bearer|credential|auth", body, re.IGNORECASE):
        return True
    if depth > 0:
        return False
    helpers = (model.resolve_function(call.child_by_field_name("function")) for call in walk(func) if call.type == "call_expression"
               and unwrap(call.child_by_field_name("function")).type == "identifier")
    return any(h is not None and h is not func and _inline_auth(model, h, depth + 1) for h in helpers)


def _covers(mount: Optional[str], path: Optional[str]) -> bool:
    if mount is None or path is None:
        return True
    mount = mount.rstrip("/*") or "/"
    return mount == "/" or path == mount or path.startswith(mount + "/")


# MCP's JSON-RPC served by hand from an Express route (herrbasan/mcp_server).
JSON_RPC_ROUTE = """
import express from "express";
const app = express();
app.post("/mcp", async (req, res) => {
  const msg = req.body;
  switch (msg.method) {
    case "initialize": return res.json({ jsonrpc: "2.0", id: msg.id, result: { capabilities: { tools: {} } } });
    case "tools/list": return res.json({ jsonrpc: "2.0", id: msg.id, result: { tools } });
    case "tools/call": return res.json({ jsonrpc: "2.0", id: msg.id, result: await call(msg.params) });
  }
});
"""


class TsHttpTransportWithoutAuth(TypeScriptRule):
    """
    ## What it does
    In TypeScript and JavaScript: flags an HTTP route that serves MCP (its handler calls
    `transport.handleRequest`, `handlePostMessage`, creates an `SSEServerTransport`, uses
    `toNodeHandler`, or dispatches JSON-RPC `tools/call` itself) with no authentication before it: no auth middleware in the route itself
    (`app.post("/mcp", requireBearerAuth(...), handler)`), none mounted earlier with `app.use` on
    a covering path, and no inline 401/403 after reading a credential (in the handler, or in a
    same-file helper it calls: `await withRequestAuth(req, res, run)`). `cors()`,
    `express.json()`, `helmet()` and rate limiters are not authentication; middleware mounted
    after the route does not protect it. When the same route is also registered with auth
    elsewhere in the file (an `if (useOAuth)` branch), or when every `listen` of the file binds
    a loopback host (`app.listen(PORT, process.env.BIND_ADDRESS || "127.0.0.1")`: private unless
    a deployment sets it), the finding is info.

    ## Example
    ```ts
    app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
    ```

    ## Use instead
    ```ts
    app.post("/mcp", requireBearerAuth({ verifier }), async (req, res) => { ... });
    ```
    """

    code = "MCP0203"
    fix_hint = "Mount auth before the MCP route: `app.post(\"/mcp\", requireBearerAuth({ verifier }), handler)` or `app.use(\"/mcp\", auth)` above it."
    requires = ("handleRequest", "handlePostMessage", "SSEServerTransport", "toNodeHandler", "tools/call")

    VALID = (
        Valid("""
            import express from "express";
            import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
            const app = express();
            app.use(express.json());
            app.post("/mcp", requireBearerAuth({ verifier }), async (req, res) => {
              await transport.handleRequest(req, res, req.body);
            });
        """, path="server.ts"),
        Valid("""
            import express from "express";
            const app = express();
            app.use("/mcp", authMiddleware);
            app.all("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
        """, path="server.ts"),
        Valid("""
            import express from "express";
            const app = express();
            app.use("/mcp", authMiddleware(  { realm: "x" ;
            app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
        """, path="server.ts"),
        Valid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => {
              if (req.headers.authorization !== expected) { res.status(401).end(); return; }
              await transport.handleRequest(req, res, req.body);
            });
        """, path="server.ts"),
        Valid(WITH_AUTH_HELPER, path="server.ts"),  # the handler runs the request through a same-file auth helper
        Valid(JSON_RPC_ROUTE.replace('app.post("/mcp", async', 'app.post("/mcp", requireApiKey, async'), path="server.js"),
        Valid(JSON_RPC_ROUTE.replace('"tools/call"', '"tools/run"'), path="server.js"),  # no MCP method dispatched
    )
    INVALID = (
        Invalid(JSON_RPC_ROUTE, path="server.js", line=3),
        Invalid(WITH_AUTH_HELPER.replace("res.status(401).json({ error: \"Unauthorized\" });", "log(token);"), path="server.ts", line=8),
        Invalid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
            app.use(authMiddleware(  { realm: "x" ;
        """, path="server.ts", line=3),
        Invalid("""
            import express from "express";
            import cors from "cors";
            const app = express();
            app.use(cors({ exposedHeaders: ["mcp-session-id"] }));
            app.use("/api", authMiddleware);
            app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
            app.use(authMiddleware);
        """, path="server.ts", line=6),
        Invalid("""
            import express from "express";
            const app = express();
            if (useOAuth) {
              app.post("/mcp", authMiddleware, handler);
            } else {
              app.post("/mcp", handler);
            }
            async function handler(req, res) { await transport.handleRequest(req, res, req.body); }
        """, path="server.ts", line=6, severity="info"),
        Invalid("""
            import express from "express";
            const app = express();
            const BIND_ADDRESS = process.env.BIND_ADDRESS || "127.0.0.1";
            app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
            app.listen(3000, BIND_ADDRESS, () => console.error("listening"));
        """, path="server.ts", line=4, severity="info", message="bound to 127.0.0.1"),
        Invalid("""
            import express from "express";
            const app = express();
            app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });
            app.listen(3000, () => console.error("listening on every interface"));
        """, path="server.ts", line=3, severity="warning"),
    )

    def check(self) -> None:
        model = self.model
        routes = model.routes
        for index, route in enumerate(routes):
            if not route.serves_mcp or self.document.broken_before(route.call):
                continue
            if any(_is_auth(model, h) for h in route.handlers):
                continue
            earlier = [r for r in routes[:index] if r.method == "use" and r.app == route.app and _covers(r.path, route.path)]
            if any(_is_auth(model, h) for r in earlier for h in r.handlers):
                continue
            twin = any(r is not route and r.path == route.path and r.method == route.method and any(_is_auth(model, h) for h in r.handlers) for r in routes)
            loopback = _loopback(model)
            self.report_node(
                route.call,
                f"MCP route `{route.method.upper()} {route.path or '*'}` is served with no authentication before it"
                + (" in this branch (the same route has auth in another)" if twin else "")
                + (f", bound to {loopback} (reachable only from this host; info)" if loopback else ""),
                severity=Severity.INFO if twin or loopback else None,
            )
