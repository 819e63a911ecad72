"""Checklist item 2: authenticate at the HTTP transport boundary, never inside tool handlers."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

import libcst as cst

from mcp_lint.config import NON_PRODUCTION_DIRS
from mcp_lint.deploy import DEPLOY_KINDS, Bridge, bridges, deployed_over_http, transport_commands
from mcp_lint.literals import LOOPBACK_HOSTS
from mcp_lint.model import Finding, Location, Severity
from mcp_lint.python import auth, walk
from mcp_lint.python.argument_kinds import words
from mcp_lint.python.dataflow import tainted_names
from mcp_lint.python.effects import only_logs
from mcp_lint.python.mcp_model import SERVER_CLASSES, ToolCode
from mcp_lint.python.names import dotted, keyword, last_part, positional, string_value
from mcp_lint.python.placement import at_launches
from mcp_lint.python.splats import splat_keywords
from mcp_lint.rule import Invalid, PythonProjectRule, PythonRule, Valid

SECRET_PATTERN = r"token|secret|api_?key|password|passwd|bearer|signature|hmac|digest"
# A word next to the secret word that makes the name describe something else: `token_count`,
# `max_tokens`-style LLM budgets, `token_type`, `signature` of a function in schema code.
NON_SECRET_WORDS = frozenset({
    "count", "counts", "num", "number", "max", "min", "limit", "limits", "len", "length", "size", "total",
    "used", "usage", "budget", "remaining", "estimate", "cost", "rate", "per", "type", "types", "kind", "scheme",
    "prefix", "name", "names", "id", "ids", "index", "idx", "url", "uri", "endpoint", "path", "file", "header",
    "field", "env", "var", "expiry", "expires", "exp", "ttl", "is", "has", "format", "alg", "algorithm",
    "position", "pos", "offset", "start", "end", "tool", "func", "fn", "function", "method", "param", "params",
    "schema", "inspect", "encoding", "location", "page", "next", "continuation", "cursor", "sync",
    "stop", "eos", "bos", "pad", "sep", "unk", "special", "prev", "previous", "use", "redirect", "str", "hint",
    "claim", "claims", "scope", "scopes", "audience", "issuer", "status", "version", "mode",
    # A hash of a key compared to a stored hash: timing reveals hash bytes, which do not help
    # to find the key.
    "hash", "hashed", "sha", "sha256", "fingerprint",
    # Where a secret is kept, not the secret: `secret_arn`, `secret_ref`, `token_path`.
    "arn", "ref", "store", "vault", "provider",
})
# A word after the secret word that makes the name a set of secrets' label: `token_group`
# (a cache namespace such as "workspace"); before it, the secret of a group (`group_token`).
GROUPING_WORDS = frozenset({"group", "groups", "namespace", "namespaces", "category", "label"})
# Words that name a secret only in some files: `token` is a lexeme where text is tokenized
# (`token == previous`), `digest` is a content hash unless the file computes HMACs (importing
# `hmac` for `compare_digest` alone does not make its hashes keyed), and
# `signature` (SIGNING_PACKAGES below) a stamp unless it checks signatures.
TOKENIZER_PACKAGES = ("tokenize", "sqlparse", "pygments", "tiktoken", "nltk", "transformers", "tokenizers", "spacy", "lark", "ply")
# `signature` is a cryptographic one only where a file checks signatures (a webhook's HMAC, a JWT).
SIGNING_PACKAGES = ("hmac", "jwt", "jose", "itsdangerous", "cryptography", "nacl", "ecdsa", "Crypto")
AUTH_CODE_PACKAGES = ("starlette", "fastapi", "jwt", "jose", "authlib", "itsdangerous", "hmac", "secrets")
NOT_AN_OPERAND_OF_INTEREST = {"len", "type", "id", "bool", "int", "float", "isinstance", "callable", "inspect.signature"}
COMPARE_DIGEST = {"hmac.compare_digest", "secrets.compare_digest"}
HMAC_CONSTRUCTORS = {"hmac.new", "hmac.digest", "hmac.HMAC", "cryptography.hazmat.primitives.hmac.HMAC", "Crypto.Hash.HMAC.new"}
AUTH_MODULE = re.compile(r"auth|security|middleware|credential", re.IGNORECASE)
AUTH_FUNCTION = re.compile(r"auth|verify|validate_(?:token|key)|check_(?:token|key|api_key|password)|credential|login", re.IGNORECASE)
CREDENTIAL_HEADERS = sorted(auth.CREDENTIAL_HEADERS)
TRANSPORT_CREDENTIALS = auth.TRANSPORT_CREDENTIALS
HEADER_GETTERS = {"get", "getlist", "get_all"}
# `token.strip() == expected.encode()`: the receiver names the value.
TRANSPARENT_METHODS = {"encode", "decode", "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "removeprefix"}


def _snake(identifier: str) -> str:
    """`accessToken` -> `access_token`, `x-api-key` -> `x_api_key`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", identifier).replace("-", "_").lower()


def _last(expr: cst.BaseExpression) -> str:
    return last_part(dotted(expr))


def _is_constant(expr: cst.BaseExpression) -> bool:
    """Literals, None/True/False, and enum members such as `TokenType.BEARER`."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float, cst.Imaginary)):
        return True
    if isinstance(expr, cst.Name):
        return expr.value in ("None", "True", "False")
    if isinstance(expr, cst.FormattedString):
        return not any(isinstance(p, cst.FormattedStringExpression) for p in expr.parts)
    if isinstance(expr, cst.UnaryOperation):
        return _is_constant(expr.expression)
    if isinstance(expr, cst.Attribute) and expr.attr.value.isupper():
        owner = dotted(expr.value) or ""
        return owner.split(".")[-1][:1].isupper()
    return False


def secret_spellings(pattern: str) -> Optional[Tuple[str, ...]]:
    """How the words of a secret pattern can be written in source text, lower-cased: an
    identifier matches a word after `_snake` (`accessToken`, `API-KEY` and `api_key` all read as
    `..._token` / `api_key`), so `api_?key` is written `apikey`, `api_key` or `api-key`. None when
    the pattern is not a plain alternation of words (a custom regular expression)."""
    found: List[str] = []
    for word in pattern.split("|"):
        if not re.fullmatch(r"[a-z0-9]+(?:_\??[a-z0-9]+)*", word):
            return None
        parts = re.split(r"_\??", word)
        found.extend(separator.join(parts) for separator in ("", "_", "-"))
    return tuple(dict.fromkeys(found))


def _computes_hmac(model) -> bool:
    """The file computes a keyed hash (`hmac.new(key, data, sha256)`): its digests are MACs.
    Asked by both secret-comparison rules: answered once per file."""
    if "computes-hmac" not in model.memo:
        model.memo["computes-hmac"] = model.imports.imports_any("hmac", "cryptography", "Crypto") and any(
            model.qualify(call.func) in HMAC_CONSTRUCTORS for call in model.calls)
    return model.memo["computes-hmac"]


class SecretMatcher:
    """Decides whether an expression names a secret: its last identifier (a name, attribute,
    string key or called function) matches the secret pattern as whole words, and neither it nor
    its owner carries a word that makes it a count, type, name or similar."""

    def __init__(self, model, pattern: str, module: Optional[cst.Module] = None):
        # Module constants bound once to a string literal (`TOKEN_FALLBACK = "__fallback__"`):
        # their value is in the source, so comparing with one reveals nothing.
        self.literals = _literal_constants(module) if module is not None else frozenset()
        dropped = set()
        if model.imports.imports_any(*TOKENIZER_PACKAGES):
            dropped.add("token")
        if not _computes_hmac(model):
            dropped.add("digest")
        if not model.imports.imports_any(*SIGNING_PACKAGES):
            dropped.add("signature")  # a cache stamp (`(st_mtime_ns, st_size)`), unless the file signs
        words = "|".join(w for w in pattern.split("|") if w not in dropped) or "(?!)"
        self.regex = re.compile(rf"(?:^|_)(?:{words})(?:_|$)")
        self.model = model

    def verdict(self, expr: cst.BaseExpression) -> Optional[Tuple[str, bool]]:
        """(identifier, is_secret) when `expr` mentions a secret word; is_secret is False when a
        describing word (`token_count`, `tool.signature`) says it is something else."""
        if isinstance(expr, cst.Await):
            return self.verdict(expr.expression)
        if isinstance(expr, cst.FormattedString):
            inner = (p.expression for p in expr.parts if isinstance(p, cst.FormattedStringExpression))
            return next(filter(None, (self.verdict(e) for e in inner)), None)
        identifier = self._identifier(expr)
        if identifier is None or not self.regex.search(_snake(identifier)):
            return None
        # The owner can say what the word means too: `tool.signature`, `page.token`.
        owner = _snake(_last(expr.value)) if isinstance(expr, cst.Attribute) else ""
        words = f"{owner}_{_snake(identifier)}".split("_")
        # where the secret word ends (`api_key` spans two words)
        secret_end = next((i for i in range(len(words)) if self.regex.search("_".join(words[: i + 1]))), len(words))
        return identifier, not NON_SECRET_WORDS.intersection(words) and not GROUPING_WORDS.intersection(words[secret_end + 1:])

    def _measures(self, expr: cst.BaseExpression) -> bool:
        """`len(...)`, `type(...)`: a property of a value, never the value."""
        return isinstance(expr, cst.Call) and self.model.qualify(expr.func) in NOT_AN_OPERAND_OF_INTEREST

    def _identifier(self, expr: cst.BaseExpression) -> Optional[str]:
        if isinstance(expr, cst.Name):
            return expr.value
        if isinstance(expr, cst.Attribute):
            return expr.attr.value
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
            return string_value(expr.slice[0].slice.value)
        if isinstance(expr, cst.Call):
            if self.model.qualify(expr.func) in NOT_AN_OPERAND_OF_INTEREST:
                return None
            if isinstance(expr.func, cst.Attribute) and expr.func.attr.value in TRANSPARENT_METHODS:
                return self._identifier(expr.func.value)
            if isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "get":
                first = positional(expr, 0)
                return string_value(first.value) if first is not None else None
            return _last(expr.func) or None
        return None

    def secret_pair(self, left: cst.BaseExpression, right: cst.BaseExpression, code: Optional[ToolCode]) -> Optional[str]:
        """The secret named by a comparison of two non-constant operands, or None. Two tool
        arguments compared (`new_password == confirm`) hold no server secret to leak."""
        if _is_constant(left) or _is_constant(right):
            return None
        if any(isinstance(side, cst.Name) and side.value in self.literals for side in (left, right)):
            return None
        if code is not None and _from_arguments(left, code) and _from_arguments(right, code):
            return None
        if any(self._measures(side) for side in (left, right)):
            return None  # `len(proof) != SIGNATURE_BYTES`: a size, whatever the other side is called
        if _untransformed(left).deep_equals(_untransformed(right)):
            return None  # `api_key != api_key.strip()`: a value against its own cleaned form
        if any(auth.CONFIRMATION_WORDS.intersection(words(self._identifier(side) or "")) for side in (left, right)):
            return None  # `new_password != confirm_password`: a retype or confirmation check
        verdicts = [v for v in (self.verdict(left), self.verdict(right)) if v is not None]
        if not verdicts or not all(secret for _, secret in verdicts):
            return None  # `page.token == other.token`: one side says what kind of value both are
        return verdicts[0][0]


def _literal_constants(module: cst.Module) -> FrozenSet[str]:
    """Names the module binds exactly once, at its top level, to a string literal."""
    bound: Dict[str, int] = {}
    literal: Set[str] = set()
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target] if isinstance(small, cst.AnnAssign) else []
            for target in targets:
                if isinstance(target, cst.Name):
                    bound[target.value] = bound.get(target.value, 0) + 1
                    if isinstance(small.value, cst.SimpleString):
                        literal.add(target.value)
    return frozenset(name for name in literal if bound[name] == 1)


def _untransformed(expr: cst.BaseExpression) -> cst.BaseExpression:
    """The value under case and whitespace methods: `key` for `key.strip().lower()`."""
    while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value in TRANSPARENT_METHODS:
        expr = expr.func.value
    return expr


def _root(expr: cst.BaseExpression) -> Optional[str]:
    while isinstance(expr, (cst.Attribute, cst.Subscript, cst.Call)):
        expr = expr.func if isinstance(expr, cst.Call) else expr.value
    return expr.value if isinstance(expr, cst.Name) else None


def _from_arguments(expr: cst.BaseExpression, code: ToolCode) -> bool:
    return _root(expr) in code.handler.argument_names


def _handed_back(function: cst.FunctionDef, side: cst.BaseExpression) -> bool:
    """`expected_token = _confirm_token(path, content)` compared with what the caller sent, and
    then returned to the caller (in the return value, or in a dict or list the function builds
    and returns: a two-phase confirmation's preview, ha-mcp): as in TypeScript, a token the
    function computes and hands back is no secret from the caller."""
    if not isinstance(side, cst.Name):
        return False
    name, nodes = side.value, walk.own_nodes(function.body)
    computed = any(isinstance(n, cst.Assign) and isinstance(n.value, cst.Call) and _last(n.value.func) not in _LOOKUPS and any(
        isinstance(t.target, cst.Name) and t.target.value == name for t in n.targets) for n in nodes)
    if not computed:
        return False
    returned = {n.value.value for n in nodes if isinstance(n, cst.Return) and isinstance(n.value, cst.Name)}
    holders = [n.value for n in nodes if isinstance(n, cst.Return) and n.value is not None]
    holders += [n.value for n in nodes if isinstance(n, (cst.Assign, cst.AnnAssign)) and n.value is not None and any(
        isinstance(target, cst.Name) and target.value in returned
        or isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and target.value.value in returned
        for target in ([t.target for t in n.targets] if isinstance(n, cst.Assign) else [n.target]))]
    return any(_names_outside_comparisons(holder, name) for holder in holders)


# Calls that look a value up (in a request, a mapping, the environment) rather than compute it.
_LOOKUPS = {"get", "pop", "getlist", "getenv", "header", "getHeader"}


def _names_outside_comparisons(expr: cst.BaseExpression, name: str) -> bool:
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Comparison):
            continue
        if isinstance(node, cst.Name) and node.value == name:
            return True
        stack.extend(walk.children(node))
    return False


def _equality_pairs(node: cst.Comparison) -> List[Tuple[cst.BaseExpression, cst.BaseExpression, bool]]:
    """(left, right, negated) for every `==` / `!=` link of a (possibly chained) comparison."""
    pairs = []
    left = node.left
    for target in node.comparisons:
        if isinstance(target.operator, (cst.Equal, cst.NotEqual)):
            pairs.append((left, target.comparator, isinstance(target.operator, cst.NotEqual)))
        left = target.comparator
    return pairs


def _source(module: cst.Module, node: cst.CSTNode) -> str:
    return module.code_for_node(node).strip()


# ---------------------------------------------------------------------------------------


class CredentialCheckInTool(PythonRule):
    """
    ## What it does
    Flags tool code (a tool handler or a same-file helper it calls) that authenticates the
    caller itself: it reads a credential header (`Authorization`, `Cookie`, `X-API-Key`, ...) from
    `get_http_headers()`, `get_http_request().headers`, `ctx.request_context.request.headers`,
    `ctx.headers` or any `request.headers`; asks fastmcp for the credential headers it strips by
    default (`get_http_headers(include_all=True)`, `include={"authorization"}`); or compares a
    token the caller sent (a tool argument, or a value read from a request header) to a secret.
    A helper comparing the server's own values (an upstream session token with the copy it
    keeps, a license file's HMAC) authenticates no caller and is not reported. One finding per
    function, at the most telling place.

    A custom API-key header (`X-API-Key`, `api-key`) that the tool only forwards, never compares,
    is the caller's own key for an upstream API (bring-your-own-key servers): nothing is
    authenticated there, and it is not reported. Forwarding the `Authorization` header is.

    Reading the verified identity is fine and not flagged: `get_access_token()`,
    `CurrentAccessToken()`, `TokenClaim(...)`, and per-tool authorization such as fastmcp's
    `@mcp.tool(auth=require_scopes("x"))`. A comparison whose only effect is a log line
    (`if token != fallback: logger.debug(...)`) decides nothing and is not reported. Middleware,
    token verifiers and auth providers are not tool code. Non-credential headers (`x-request-id`, a gateway's `x-forwarded-user`) are
    not flagged.

    ## Why is this bad?
    By the time a tool runs, `initialize` has succeeded and the session is open: the client has
    listed every tool without credentials, and a bad token only fails later, per call, leaving a
    half-open session that clients handle inconsistently. A check that each tool must remember
    is also a check one tool will forget, and over stdio the header is simply absent. Forwarding
    the caller's bearer token to an upstream API (token passthrough) is forbidden by the MCP
    authorization spec.

    ## Example
    ```python
    @mcp.tool
    def orders(customer: str) -> list:
        token = get_http_headers(include_all=True).get("authorization", "")
        if token.removeprefix("Bearer ") != API_KEY:
            raise ToolError("unauthorized")
        return db.orders(customer)
    ```

    ## Use instead
    ```python
    mcp = FastMCP("shop", auth=JWTVerifier(jwks_uri=..., issuer=..., audience="shop"))

    @mcp.tool
    def orders(customer: str) -> list:
        caller = get_access_token()  # already verified at the HTTP boundary
        return db.orders(customer, on_behalf_of=caller.client_id)
    ```

    ## Options
    `headers` lists the header names (case-insensitive) that carry credentials.
    """

    code = "MCP0201"
    needs = ("tool code",)  # reports checks in tool code only
    name = "credential-check-in-tool"
    item = 2
    severity = Severity.ERROR
    summary = "Tool code authenticates the caller itself instead of the HTTP transport"
    fix_hint = (
        "Authenticate at the transport: `auth=`/`token_verifier=` on the server (SDK), `auth=<provider>` "
        "(fastmcp) or an ASGI middleware; inside tools read the verified caller with `get_access_token()`. "
        "Do not forward the caller's token upstream: use token exchange."
    )
    requires = ("headers", "==", "!=", "compare_digest")
    options = {"headers": CREDENTIAL_HEADERS, "secret-pattern": SECRET_PATTERN}

    def __init__(self, ctx):
        super().__init__(ctx)
        self.matcher = SecretMatcher(ctx.model, self.option("secret-pattern"), ctx.document.module)
        self.credentials = {h.lower() for h in self.option("headers")}
        self.header_vars: Dict[cst.FunctionDef, Set[str]] = {}
        # function -> (rank, node, message); lower rank = more telling
        self.signals: Dict[cst.FunctionDef, List[Tuple[int, cst.CSTNode, str]]] = {}
        self.named_reads: Set[cst.FunctionDef] = set()  # functions reading non-credential headers by name
        self.custom_reads: Set[cst.FunctionDef] = set()  # functions reading a custom API-key header
        self.store_targets: Set[int] = set()
        self.log_only_tests: Set[int] = set()  # nodes of `if` tests whose branch only logs
        self.caller_values: Dict[cst.FunctionDef, Set[str]] = {}  # locals computed from caller data

    # -- where headers come from -------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node in self.model.tool_code:
            params = [*node.params.params, *node.params.kwonly_params]
            defaults = {p.name.value for p in params if isinstance(p.default, cst.Call) and (dotted(p.default.func) or "").endswith("CurrentHeaders")}
            self.header_vars[node] = defaults

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.store_targets.add(id(node.target))  # `headers["Authorization"] = ...` builds outgoing headers

    def visit_Assign(self, node: cst.Assign) -> None:
        code = self.ctx.tool_code
        if code is None:
            return
        names = {t.target.value for t in node.targets if isinstance(t.target, cst.Name)}
        if self._is_headers(node.value, code.function):
            self.header_vars[code.function].update(names)
        if self._from_caller(node.value, code):
            self.caller_values.setdefault(code.function, set()).update(names)

    def _from_caller(self, expr: cst.BaseExpression, code: ToolCode) -> bool:
        """Whether the value is the caller's: a tool argument (in a helper, a parameter a call
        passes one to: the project's taint, `dataflow.tainted_names`), a header of the request, or
        a local computed from one. A helper
        comparing the server's own values (an upstream session token with its cached copy, a
        license file's HMAC) authenticates no caller."""
        part = expr
        while isinstance(part, (cst.Attribute, cst.Subscript, cst.Call)):  # `request.headers.get("x").strip()`
            if self._is_headers(part, code.function):
                return True
            part = part.func if isinstance(part, cst.Call) else part.value
        root = _root(expr)
        return root is not None and (
            root in self.header_vars.get(code.function, ()) or root in self.caller_values.get(code.function, ())
            or root in tainted_names(code.function, code.handler)  # an argument, or what it flowed into
        )

    def _is_headers(self, expr: cst.BaseExpression, func: cst.FunctionDef) -> bool:
        if isinstance(expr, cst.Call):
            return self._is_header_getter(expr)
        if isinstance(expr, cst.Attribute):
            # `spec.headers` of a tool argument is caller data, not the transport request.
            return expr.attr.value == "headers" and _root(expr) not in self.model.tool_code[func].handler.argument_names
        return isinstance(expr, cst.Name) and expr.value in self.header_vars.get(func, ())

    def _is_header_getter(self, call: cst.Call) -> bool:
        return (self.model.qualify(call.func) or "").split(".")[-1] == "get_http_headers"

    # -- signals -----------------------------------------------------------------------
    def visit_Subscript(self, node: cst.Subscript) -> None:
        code = self.ctx.tool_code
        if code is None or id(node) in self.store_targets or len(node.slice) != 1:
            return
        index = node.slice[0].slice
        if isinstance(index, cst.Index) and self._is_headers(node.value, code.function):
            self._header_read(node, string_value(index.value), code)

    def visit_Call(self, node: cst.Call) -> None:
        code = self.ctx.tool_code
        if code is None:
            return
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in HEADER_GETTERS and self._is_headers(func.value, code.function):
            first = positional(node, 0)
            self._header_read(node, string_value(first.value) if first else None, code)
        elif self._is_header_getter(node):
            self._header_request(node, code)
        elif self.model.qualify(func) in COMPARE_DIGEST and len(node.args) >= 2:
            given = (node.args[0].value, node.args[1].value)
            if self.matcher.secret_pair(*given, code) and any(self._from_caller(v, code) for v in given):
                self._signal(code, 2, node, f"{code.where} verifies a credential itself (`{_source(self.ctx.document.module, func)}`)")

    def visit_If(self, node: cst.If) -> None:
        if node.orelse is None and only_logs(node.body):
            # `if token != fallback: logger.debug(...)`: the comparison picks a log line, it
            # lets nobody in or out.
            self.log_only_tests.update(id(n) for n in walk.walk(node.test))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        code = self.ctx.tool_code
        if code is None or id(node) in self.log_only_tests:
            return
        for left, right, _ in _equality_pairs(node):
            secret = self.matcher.secret_pair(left, right, code)
            if secret and (self._from_caller(left, code) or self._from_caller(right, code)):
                self._signal(code, 2, node, f"{code.where} compares `{secret}` itself to authenticate the caller")

    def _header_read(self, node: cst.CSTNode, key: Optional[str], code: ToolCode) -> None:
        if key is None:
            return
        if key.lower() in self.credentials:
            self._signal(code, 0, node, f"{code.where} reads the `{key}` header itself: the caller is authenticated after the session is open")
            if key.lower() not in TRANSPORT_CREDENTIALS:
                self.custom_reads.add(code.function)
        else:
            self.named_reads.add(code.function)

    def _header_request(self, node: cst.Call, code: ToolCode) -> None:
        include = keyword(node, "include")
        if include is not None and isinstance(include.value, (cst.Set, cst.List, cst.Tuple)):
            asked = [string_value(e.value) or "" for e in include.value.elements]
            wanted = [h for h in asked if h.lower() in self.credentials]
            if wanted:
                self._signal(code, 1, node, f"{code.where} asks for the `{wanted[0]}` header that fastmcp strips by default")
        include_all = keyword(node, "include_all") or positional(node, 0)
        if include_all is not None and isinstance(include_all.value, cst.Name) and include_all.value.value == "True":
            self._signal(code, 3, node, f"{code.where} takes every header including `Authorization` (`include_all=True`)")

    def _signal(self, code: ToolCode, rank: int, node: cst.CSTNode, message: str) -> None:
        self.signals.setdefault(code.function, []).append((rank, node, message))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        signals = self.signals.pop(original_node, [])
        if original_node in self.named_reads:
            # `include_all=True` only to read, say, `x-request-id`: no credential is touched.
            signals = [s for s in signals if s[0] != 3]
        if original_node in self.custom_reads and not any(s[0] == 2 for s in signals):
            # A custom API-key header read and never compared: the caller's own key for an
            # upstream API, forwarded. Nothing authenticates the caller here.
            signals = [s for s in signals if s[0] == 1]
        if signals:
            _, node, message = min(signals, key=lambda s: s[0])
            self.report(node, message)

    VALID = [
        Valid(
            # The token comes from the verified auth context; comparing it with the request's
            # own token only picks a debug line, nothing is allowed or refused on it.
            """
            import logging
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_access_token

            log = logging.getLogger(__name__)
            mcp = FastMCP("tracker")

            def upstream_token(request_token: str) -> str:
                verified = get_access_token()
                if verified and verified.token:
                    if verified.token != request_token:
                        log.debug("using the token from the auth context")
                    return verified.token
                return request_token

            @mcp.tool
            def my_issues(project: str, request_token: str = "") -> list:
                return list_issues(project, upstream_token(request_token))
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_access_token, get_http_headers

            mcp = FastMCP("shop")

            @mcp.tool
            def orders(customer: str) -> list:
                caller = get_access_token()
                request_id = get_http_headers().get("x-request-id")
                return list_orders(customer, caller.client_id, request_id)
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth import require_scopes
            from fastmcp.server.dependencies import CurrentAccessToken, TokenClaim
            from fastmcp.server.auth import AccessToken

            mcp = FastMCP("admin")

            @mcp.tool(auth=require_scopes("admin"))
            def purge(cache: str, token: AccessToken = CurrentAccessToken(), user: str = TokenClaim("sub")) -> str:
                return f"{user} purged {cache} ({token.client_id})"
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware import Middleware
            from fastmcp.server.dependencies import get_http_headers

            class ApiKeyMiddleware(Middleware):
                async def on_request(self, context, call_next):
                    if get_http_headers(include_all=True).get("x-api-key") != EXPECTED:
                        raise PermissionError("bad key")
                    return await call_next(context)

            mcp = FastMCP("demo", middleware=[ApiKeyMiddleware()])

            @mcp.tool
            def ping() -> str:
                return "pong"
            """
        ),
        Valid(
            """
            import httpx
            from mcp.server.fastmcp import FastMCP, Context

            mcp = FastMCP("proxy")
            UPSTREAM_TOKEN = load_token()

            @mcp.tool()
            async def lookup(q: str, ctx: Context) -> str:
                user = ctx.request_context.request.headers.get("x-forwarded-user")
                headers = {"Authorization": f"Bearer {UPSTREAM_TOKEN}"}
                headers["X-On-Behalf-Of"] = user
                async with httpx.AsyncClient(headers=headers) as client:
                    return (await client.get("/search", params={"q": q})).text
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_http_headers

            mcp = FastMCP("trace")

            @mcp.tool
            def whoami(max_tokens: int, token_count: int) -> str:
                headers = get_http_headers(include_all=True)
                if token_count == max_tokens:
                    return "budget reached"
                return headers.get("x-request-id", "")
            """
        ),
        Valid(
            """
            import httpx
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_http_headers

            mcp = FastMCP("search")

            @mcp.tool
            async def web_search(query: str) -> dict:
                user_key = get_http_headers(include_all=True).get("x-api-key")
                async with httpx.AsyncClient(headers={"X-API-Key": user_key}) as client:
                    return (await client.get("https://api.search.example/v1", params={"q": query})).json()
            """
        ),
        Valid(  # a shared API key from the environment: the checklist's bearer-token pattern
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import StaticTokenVerifier

            settings = load_settings()
            verifier = StaticTokenVerifier(tokens={settings.api_token: {"client_id": "ci", "scopes": []}})
            mcp = FastMCP("svc", auth=verifier)
            """
        ),
        Valid(
            # Helpers comparing the server's own values: a license file's HMAC, an upstream
            # session token against the copy kept (boomi, patent_mcp_server, trw-mcp).
            """
            import hmac
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("patents")
            _SESSION = {"token": None}

            def _licensed(data: bytes, signature: str) -> bool:
                expected = hmac.new(LICENSE_KEY, data, "sha256").hexdigest()
                return hmac.compare_digest(expected, signature)

            def _refresh_session() -> str:
                token = fetch_upstream_token()
                if token != _SESSION["token"]:
                    raise RuntimeError("upstream session rotated")
                return token

            @mcp.tool()
            def search(query: str) -> list:
                if not _licensed(read_license(), read_signature()):
                    return []
                _refresh_session()
                return run(query)
            """
        ),
    ]
    INVALID = [
        Invalid(
            # The same comparison, but its branch refuses the call: that authenticates.
            """
            import logging
            from fastmcp import FastMCP

            log = logging.getLogger(__name__)
            mcp = FastMCP("tracker")

            def check(request_token: str) -> None:
                if request_token != SHARED_TOKEN:
                    log.debug("token mismatch")
                    raise PermissionError("unauthorized")

            @mcp.tool
            def my_issues(project: str, request_token: str = "") -> list:
                check(request_token)
                return list_issues(project)
            """,
            line=8,
            message="compares `request_token` itself",
        ),
        Invalid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_http_headers

            mcp = FastMCP("shop")

            @mcp.tool
            def orders(customer: str) -> list:
                headers = get_http_headers(include_all=True)
                token = headers.get("Authorization", "").removeprefix("Bearer ")
                if token != API_KEY:
                    raise PermissionError("unauthorized")
                return list_orders(customer)
            """,
            count=1,
            line=9,
            message="tool `orders` reads the `Authorization` header",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP, Context

            mcp = FastMCP("files")

            def _require_auth(ctx: Context) -> None:
                auth = ctx.request_context.request.headers["authorization"]
                verify(auth)

            @mcp.tool()
            def read_file(path: str, ctx: Context) -> str:
                _require_auth(ctx)
                return open(path).read()
            """,
            line=6,
            message="helper `_require_auth` called by tool `read_file`",
        ),
        Invalid(
            """
            import httpx
            from fastmcp import FastMCP as F
            from fastmcp.server.dependencies import get_http_headers as headers_of

            app = F("gh")

            @app.tool(name="list_issues")
            async def issues(repo: str) -> list:
                upstream = headers_of(include={"Authorization"})
                return httpx.get(f"https://api.github.com/repos/{repo}/issues", headers=upstream).json()
            """,
            line=9,
            message="asks for the `Authorization` header",
        ),
        Invalid(
            """
            import hmac
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("billing")

            @server.tool()
            def refund(order_id: str, api_key: str) -> str:
                if not hmac.compare_digest(api_key.encode(), ADMIN_KEY.encode()):
                    return "denied"
                return do_refund(order_id)
            """,
            line=8,
            message="tool `refund` verifies a credential itself",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP, Context

            mcp = FastMCP("admin")

            @mcp.tool()
            def purge(cache: str, ctx: Context) -> str:
                key = ctx.request_context.request.headers.get("x-api-key")
                if key != ADMIN_API_KEY:
                    raise PermissionError("denied")
                return do_purge(cache)
            """,
            count=1,
            message="reads the `x-api-key` header",
        ),
    ]


# ---------------------------------------------------------------------------------------


SIGNED_STAMP = """
{imports}from mcp.server.fastmcp import FastMCP

mcp = FastMCP("files")
_MEMO = {{}}

@mcp.tool()
def read_config(path: str) -> str:
    stat = os.stat(path)
    signature = (stat.st_mtime_ns, stat.st_size)
    cached = _MEMO.get(path)
    if cached is not None and cached[0] == signature:
        return cached[1]
    return load(path)
"""


# A cache key chosen by comparing `{name}` with a default imported from another module.
TOKEN_GROUP = """
from mcp.server.fastmcp import FastMCP
from .config import DEFAULT_GROUP

def memory_key(user: str, {name}: str) -> str:
    if {name} == DEFAULT_GROUP:
        return user
    return f"{{user}}:{{{name}}}"
"""


# A file that imports `hmac` for `compare_digest` elsewhere: its own digests are content hashes
# (freecad-mcp, pfsense-mcp-server) unless it computes an HMAC.
DIGEST_CHECK = """
import hashlib, hmac
from mcp.server.fastmcp import FastMCP

KEY = b"k"
mcp = FastMCP("files")

def _hash(data: bytes) -> str:
    return {hashed}

@mcp.tool()
def verify(path: str, expected_digest: str, token: str) -> bool:
    digest = _hash(open(path, "rb").read())
    if digest != expected_digest:
        raise ValueError("the file changed")
    return hmac.compare_digest(token, KEY.decode())
"""


# A password typed twice in a web form beside the server (precis-mcp's account page).
RETYPED_PASSWORD = """
from fastapi import FastAPI, Form, HTTPException
from mcp.server.fastmcp import FastMCP

app = FastAPI()
mcp = FastMCP("notes")

@app.post("/account/password")
def change_password(user=Depends(current_user), new_password: str = Form(...), confirm_password: str = Form(...)):
    if new_password != {other}:
        raise HTTPException(400, "the passwords differ")
    user.set_password(new_password)
"""


# A two-phase confirmation (ha-mcp): the preview hands the caller the token to send back.
CONFIRM_PREVIEW = """
import hmac
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("files")

def _confirm_token(path: str, content: str) -> str:
    return hashlib.sha256(f"{{path}}:{{content}}".encode()).hexdigest()

def _maybe_preview(call, path: str, new_content: str):
    supplied_token = {supplied}
    expected_token = _confirm_token(path, new_content)
    if supplied_token != expected_token:
        preview: dict = {{"written": False, {returned}}}
        return preview
    return None
"""


class SecretComparedNonConstantTime(PythonRule):
    """
    ## What it does
    Flags `==` / `!=` between two non-literal values when one of them names a secret (a name,
    attribute, string key or function whose words include `token`, `secret`, `api_key`,
    `password`, `bearer`, `signature`, `hmac` or `digest`), in files of an MCP server or of web
    and auth code (web and auth libraries imported, a module named like `auth.py` / `security.py`,
    or a function named like `verify_token` / `authenticate`). Anywhere in the file, not only in
    tool code: middleware, verifiers and auth helpers are where these comparisons usually live.

    Only comparisons that decide something are flagged: returned, asserted, or the test of an
    `if` whose branches raise or return. Not flagged: comparisons with `None`, `""`, other literals or enum members
    (`scheme == "Bearer"`, `token_type == TokenType.BEARER`), `len(...)` / `type(...)` (whatever the
    other side is called: `len(proof) != SIGNATURE_BYTES`), a value against its own cleaned form
    (`api_key != api_key.strip()`),
    membership and dict lookups (`tokens.get(token)`), and names that only mention a secret word
    next to a counting or describing word: `max_tokens`, `token_count`, `num_tokens`,
    `token_limit`, `token_type`, `tool.signature`, `page.token`, or after it a grouping word
    (`token_group`, a label; not `group_token`); nor a module constant bound once
    to a string literal (`TOKEN_FALLBACK = "__fallback__"`: its value is public); nor a token the
    function computes (not looks up) and hands back to the caller in what it returns (a two-phase
    confirmation's preview); nor a pair whose other side is
    such a name (`page.token == other.token`), nor two arguments of the same tool, nor a
    confirmation (an operand named with `confirm`, `confirmation`, `retype` or `repeat`: a
    password typed again, `new_password != confirm_password`, or a token the caller echoes to
    confirm an action). In files that
    import a tokenizer (sqlparse, tiktoken, pygments, ...) `token` means a lexeme, and in files
    that compute no HMAC (`hmac.new(...)`, `hmac.digest(...)`; importing `hmac` only for
    `compare_digest` is not enough) `digest` means a content hash, and in files that import no signing
    library (hmac, jwt, jose, itsdangerous, cryptography, ...) `signature` means a stamp (a file's
    `(st_mtime_ns, st_size)`): none is then treated as a secret.

    ## Why is this bad?
    `==` on strings stops at the first differing byte, so the response time leaks how much of a
    guessed token is right, and a remote attacker can recover it byte by byte.

    ## Example
    ```python
    if request.headers.get("x-api-key") != API_KEY:
        return JSONResponse({"error": "unauthorized"}, status_code=401)
    ```

    ## Use instead
    ```python
    provided = request.headers.get("x-api-key", "")
    if not hmac.compare_digest(provided.encode(), API_KEY.encode()):
        return JSONResponse({"error": "unauthorized"}, status_code=401)
    ```

    ## Options
    `secret-pattern`: the regular expression (alternatives of whole words) that marks a secret.
    """

    code = "MCP0202"
    scope = "mcp-project"  # facts may live in modules that never mention MCP
    name = "secret-compared-non-constant-time"
    item = 2
    severity = Severity.ERROR
    summary = "Secret compared with == / != (timing leak)"
    fix_hint = "Compare with `hmac.compare_digest(a.encode(), b.encode())`, which takes the same time wherever the values differ."
    requires = ("==", "!=")
    options = {"secret-pattern": SECRET_PATTERN}

    @classmethod
    def may_fire(cls, text: str, options) -> bool:
        """Only a file whose text names a secret word in some case and spelling can compare one."""
        spellings = secret_spellings(options.get("secret-pattern", SECRET_PATTERN))
        if spellings is None:
            return True
        lowered = text.lower()
        return any(spelling in lowered for spelling in spellings)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.matcher = SecretMatcher(ctx.model, self.option("secret-pattern"), ctx.document.module)
        self.enabled = ctx.model.is_mcp or ctx.model.imports.imports_any(*AUTH_CODE_PACKAGES)
        # Comparisons whose outcome decides access: returned, asserted, or the test of a branch
        # that raises or returns. A comparison that only picks a log line or a label
        # (`"private" if key != TRIAL_KEY else "trial"`) leaks nothing worth attacking.
        self.decisions: Set[int] = set()

    def _decides(self, expr: Optional[cst.BaseExpression]) -> None:
        if expr is not None:
            self.decisions.update(id(n) for n in walk.walk(expr) if isinstance(n, cst.Comparison))

    def visit_Return(self, node: cst.Return) -> None:
        self._decides(node.value)

    def visit_Assert(self, node: cst.Assert) -> None:
        self._decides(node.test)

    def visit_If(self, node: cst.If) -> None:
        if not (self.enabled or self._auth_code()):
            return  # visit_Comparison ignores the test's comparisons (same functions enclose them)
        comparisons = [n for n in walk.walk(node.test) if type(n) is cst.Comparison]
        if not comparisons:
            return  # nothing the branches could make a decision
        branches = [node.body] + ([node.orelse] if node.orelse is not None else [])
        exits = _EXITS
        if any(type(n) in exits for branch in branches for n in walk.walk(branch)):
            self.decisions.update(id(n) for n in comparisons)

    def _auth_code(self) -> bool:
        """An auth helper outside any MCP or web module: `def verify_token(token, expected)`,
        or any function of `auth.py` / `security.py`."""
        if AUTH_MODULE.search(self.ctx.document.path.rsplit("/", 1)[-1]):
            return True
        return any(AUTH_FUNCTION.search(f.name.value) for f in self.ctx.function_stack)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if id(node) not in self.decisions or not (self.enabled or self._auth_code()):
            return
        function = self.ctx.function_stack[-1] if self.ctx.function_stack else None
        for left, right, negated in _equality_pairs(node):
            secret = self.matcher.secret_pair(left, right, self.ctx.tool_code)
            if secret and function is not None and any(_handed_back(function, side) for side in (left, right)):
                continue  # a confirmation token the function's own preview hands the caller: no secret from them
            if secret:
                module = self.ctx.document.module
                suggestion = f"{'not ' if negated else ''}hmac.compare_digest({_encoded(module, left)}, {_encoded(module, right)})"
                self.report(
                    node,
                    f"`{secret}` is compared with `{'!=' if negated else '=='}`: the time taken leaks how much of the value matches",
                    fix_hint=f"Use `{suggestion}` (import hmac); it takes the same time wherever the values differ.",
                )
                return

    VALID = [
        Valid(CONFIRM_PREVIEW.format(supplied='call.data.get("confirm_token")', returned='"confirm_token": expected_token,')),
        # A label of a set of credentials compared with another module's default (google_workspace_fastmcp2).
        Valid(TOKEN_GROUP.format(name="token_group")),
        # A file's stamp named `signature`, in a file that checks no signatures (ha-mcp).
        Valid(SIGNED_STAMP.format(imports="import os\n")),
        Valid(DIGEST_CHECK.format(hashed="hashlib.sha256(data).hexdigest()")),
        Valid(RETYPED_PASSWORD.format(other="confirm_password")),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            TRIAL_KEY = "k-free-trial"
            mcp = FastMCP("render")

            def describe(api_key: str, fallback_token: str, token: str) -> str:
                kind = "private" if api_key != TRIAL_KEY else "trial"
                if token != fallback_token:
                    logger.debug("using the token from the auth context")
                return kind
            """
        ),
        Valid(  # a shape check and a whitespace check, in a file that signs (pfsense)
            """
            import hmac
            from cryptography.hazmat.primitives.asymmetric import ed25519
            from mcp.server.fastmcp import FastMCP

            _SIGNATURE_BYTES = 64
            mcp = FastMCP("fw")

            def check(proof: bytes, api_key: str) -> None:
                if len(proof) != _SIGNATURE_BYTES:
                    raise ValueError("proof must be a 64-byte signature")
                if api_key != api_key.strip():
                    raise ValueError("api key has surrounding whitespace")
            """
        ),
        Valid(  # a sentinel constant of the module: its value is in the source (zscaler)
            """
            from mcp.server.fastmcp import FastMCP

            TOKEN_FALLBACK = "__server_token_fallback__"
            mcp = FastMCP("zs")

            def is_fallback(outcome) -> bool:
                return getattr(outcome, "data", outcome) == TOKEN_FALLBACK
            """
        ),
        Valid(
            """
            import hmac
            from starlette.middleware.base import BaseHTTPMiddleware

            class ApiKeyMiddleware(BaseHTTPMiddleware):
                async def dispatch(self, request, call_next):
                    scheme, _, token = request.headers.get("authorization", "").partition(" ")
                    if scheme.lower() != "bearer" or token == "" or token is None:
                        return unauthorized()
                    if not hmac.compare_digest(token.encode(), self.api_key.encode()):
                        return unauthorized()
                    return await call_next(request)
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("llm")

            @mcp.tool()
            def summarize(text: str, max_tokens: int = 256) -> str:
                token_count = count_tokens(text)
                if token_count == max_tokens or num_tokens(text) != token_limit:
                    return text
                if len(token) == 32 and type(secret) == str:
                    return text
                return shorten(text, max_tokens)
            """
        ),
        Valid(
            """
            from fastmcp.server.auth import TokenVerifier, AccessToken

            class StaticKeys(TokenVerifier):
                async def verify_token(self, token: str) -> AccessToken | None:
                    claims = self.tokens.get(token)
                    if token in self.revoked or claims is None:
                        return None
                    if claims["token_type"] == TokenType.BEARER and token_type == other.token_type:
                        return AccessToken(token=token, client_id=claims["sub"], scopes=[])
                    return None
            """
        ),
        Valid(
            """
            import sqlparse
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("sql")

            @mcp.tool()
            def first_keyword(sql: str) -> str:
                previous = None
                for token in sqlparse.parse(sql)[0].flatten():
                    if token == previous:
                        continue
                    previous = token
                return str(previous)
            """
        ),
        Valid(
            """
            import inspect

            def same_shape(a, b) -> bool:
                return inspect.signature(a) == inspect.signature(b)

            def check(password, confirm):
                return password == confirm
            """
        ),
        Valid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("db")

            def _connect(secret_arn: str):
                existing = POOL.get("db")
                if secret_arn and getattr(existing, "secret_arn", "") != secret_arn:
                    return reconnect(secret_arn)
                return existing
            """
        ),
    ]
    INVALID = [
        # ... not when the token is not handed back, nor when what is returned is the caller's own, looked up
        Invalid(CONFIRM_PREVIEW.format(supplied='call.data.get("confirm_token")', returned='"size": len(new_content),'), line=12),
        Invalid(CONFIRM_PREVIEW.format(supplied='call.data.get("confirm_token")', returned='"confirm_token": supplied_token,').replace(
            "expected_token = _confirm_token(path, new_content)", "expected_token = call.data.get(\"expected\")"), line=12),
        # The token of a group is a credential.
        Invalid(TOKEN_GROUP.format(name="group_token"), line=5),
        # Two keys, each cleaned: still a key against another (the look-alike of `key != key.strip()`).
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("fw")

            def check(api_key: str) -> None:
                if api_key.strip() != EXPECTED_API_KEY.strip():
                    raise PermissionError("bad key")
            """,
            line=6,
        ),
        # The same comparison where the file signs (HMAC): `signature` may be one.
        Invalid(SIGNED_STAMP.format(imports="import os, hmac\n"), line=12, message="`signature`"),
        Invalid(DIGEST_CHECK.format(hashed="hmac.new(KEY, data, hashlib.sha256).hexdigest()"), line=13, message="`digest`"),
        Invalid(RETYPED_PASSWORD.format(other="user.password"), line=9, message="`new_password`"),
        Invalid(
            """
            import os
            from starlette.middleware.base import BaseHTTPMiddleware
            from starlette.responses import JSONResponse

            API_KEY = os.environ["MCP_API_KEY"]

            class ApiKeyMiddleware(BaseHTTPMiddleware):
                async def dispatch(self, request, call_next):
                    if request.headers.get("x-api-key") != API_KEY:
                        return JSONResponse({"error": "unauthorized"}, status_code=401)
                    return await call_next(request)
            """,
            line=9,
            message="`x-api-key` is compared with `!=`",
        ),
        Invalid(
            """
            from mcp.server.auth.provider import AccessToken, TokenVerifier

            class SharedSecretVerifier(TokenVerifier):
                def __init__(self, secret: str):
                    self.secret = secret

                async def verify_token(self, token: str) -> AccessToken | None:
                    if token == self.secret:
                        return AccessToken(token=token, client_id="ops", scopes=[])
                    return None
            """,
            line=8,
            message="`token` is compared with `==`",
        ),
        Invalid(
            """
            import hashlib, hmac as _hmac
            from fastapi import FastAPI, Request, HTTPException

            app = FastAPI()

            @app.post("/webhook")
            async def webhook(request: Request):
                expected = _hmac.new(KEY, await request.body(), hashlib.sha256).hexdigest()
                if expected != request.headers["X-Hub-Signature"]:
                    raise HTTPException(403)
                auth = request.headers.get("authorization")
                if auth != f"Bearer {MCP_TOKEN}":
                    raise HTTPException(401)
            """,
            count=2,
        ),
        Invalid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("admin")

            @mcp.tool
            def rotate(adminPassword: str) -> str:
                if adminPassword == load_admin_password():
                    return rotate_keys()
                return "denied"
            """,
            line=7,
            message="`adminPassword`",
        ),
        Invalid(
            """
            import os

            def verify_token(token: str) -> bool:
                expected = os.environ["MCP_TOKEN"]
                return token == expected
            """,
            path="app/helpers.py",
            files={"app/server.py": "from fastmcp import FastMCP\nmcp = FastMCP('x')\n"},
            line=5,
        ),
    ]


def _encoded(module: cst.Module, expr: cst.BaseExpression) -> str:
    source = _source(module, expr)
    atomic = isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.FormattedString, cst.SimpleString))
    return f"{source}.encode()" if atomic else f"({source}).encode()"


# ---------------------------------------------------------------------------------------

_EXITS = frozenset({cst.Raise, cst.Return})  # exact types (libcst's isinstance is slow)
SERVER_FACTORY_NAMES = {"FastMCP", "MCPServer", "from_fastapi", "from_openapi", "as_proxy", "create_proxy", "__init__"}
AUTH_ENV = "FASTMCP_SERVER_AUTH"
DEPLOY_ENV_FILES = (".env", ".env.*", "Dockerfile*", "docker-compose*.y*ml", "compose*.y*ml", "fly.toml")
# mcp 1.x FastMCP and fastmcp bind 127.0.0.1 unless `host=` or FASTMCP_HOST says otherwise.
DEFAULT_LOOPBACK_SERVERS = {"mcp1", "fastmcp"}
SDK_RUNNERS = {"run", "run_async", "run_http_async", "run_sse_async", "run_streamable_http_async"}
SDK_HOST_ENV = "FASTMCP_HOST"
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def _is_server_constructor(call: cst.Call, model) -> bool:
    return model.qualify(call.func) in SERVER_CLASSES or _last(call.func) in SERVER_FACTORY_NAMES


def _is_middleware_decorator(decorator: cst.Decorator) -> bool:
    """`@app.middleware("http")`: Starlette/FastAPI function middleware."""
    return isinstance(decorator.decorator, cst.Call) and _last(decorator.decorator.func) == "middleware"


# Servers whose transport is chosen at run time, from a flag and from a variable (MCP0203 cases).
_SDK_DEFAULT_HOST = """
    from mcp.server.fastmcp import FastMCP

    mcp = FastMCP("notes")

    if __name__ == "__main__":
        mcp.run(transport="sse")
"""
_FLAG_SERVER = """
import argparse
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("weather")

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--transport", default="stdio", choices=["stdio", "sse"])
    mcp.run(transport=parser.parse_args().transport)
"""
_ENV_SERVER = """
import os
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("weather")

if __name__ == "__main__":
    transport = os.getenv("MCP_TRANSPORT", "stdio").lower()
    mcp.run(transport=transport)
"""


# A launch on the host its caller passes, after a check that the host is a loopback one.
REFUSES_REMOTE = """
from fastmcp import FastMCP

mcp = FastMCP("hmc")


def main_http(host: str = "127.0.0.1", port: int = 8000, allow_remote: bool = False) -> None:
    if not allow_remote and not _is_loopback(host):
        {guard}
    mcp.run(transport="streamable-http", host=host, port=port)
"""


KEYED_ASGI_WRAPPER = """
    import os
    import uvicorn
    from fastapi import FastAPI
    from starlette.responses import Response
    from mcp.server.lowlevel import Server
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

    {header} = "{value}"
    server = Server("kodi")
    manager = StreamableHTTPSessionManager(app=server)

    def _enforce(scope):
        expected = os.environ["MCP_API_KEY"]
        headers = {{k.lower(): v for (k, v) in scope.get("headers") or []}}
        if headers.get({header}.encode("ascii"), b"").decode() != expected:
            return Response(status_code=401, content="Unauthorized")
        return None

    async def asgi_app(scope, receive, send):
        refused = _enforce(scope)
        if refused is not None:
            return await refused(scope, receive, send)
        await manager.handle_request(scope, receive, send)

    app = FastAPI()
    app.mount("/mcp", asgi_app)
    uvicorn.run(app, host="0.0.0.0", port=8000)
"""


# A fastmcp middleware that checks the bearer key and refuses with a JSON-RPC error whose message
# says so (ms-access-mcp-server).
MCP_ERROR_MIDDLEWARE = """
import hmac
from fastmcp import FastMCP
from fastmcp.exceptions import McpError
from fastmcp.server.dependencies import get_http_headers
from fastmcp.server.middleware import Middleware
from mcp.types import ErrorData


class ApiKeyMiddleware(Middleware):
    async def on_call_tool(self, context, call_next):
        token = get_http_headers().get("authorization", "").removeprefix("Bearer ")
        if not hmac.compare_digest(token, KEY):
            raise McpError(ErrorData(code=-32001, message="{message}"))
        return await call_next(context)


mcp = FastMCP("access")
mcp.add_middleware(ApiKeyMiddleware())

if __name__ == "__main__":
    mcp.run(transport="http", host="0.0.0.0", port=8000)
"""


class HttpTransportWithoutAuth(PythonProjectRule):
    """
    ## What it does
    Flags an MCP server served over HTTP (`run(transport="http" | "streamable-http" | "sse")`,
    `http_app()`, `streamable_http_app()`, `sse_app()`, `uvicorn.run(...)`, ...) when no module of
    the project configures authentication. Authentication is recognised from what the code does,
    never from a class name (mcp_lint/python/auth.py): `auth=`, `token_verifier=` or
    `auth_server_provider=` on a server, `server.auth = ...`, fastmcp/mcp auth providers, Starlette's
    `AuthenticationMiddleware`, FastAPI security classes, authlib, a `FASTMCP_SERVER_AUTH` setting,
    or a middleware, dependency or app wrapper of the project that reads a credential
    (`Authorization`, an API-key header such as the project's own `x-mcp-api-key` or a constant named for
    one, `MCP_API_KEY_HEADER`; a cookie; not a header it writes as a dict key for an upstream API,
    `{"Authorization": f"Bearer {token}"}`) and answers 401/403 (a status it only tests,
    `if response.status_code == 403:`, is an upstream's answer), or verifies a JWT, and is
    mounted or instantiated somewhere. A class called `...Middleware` that only logs does not
    count; one called `OAuthWrapper` that checks the bearer token does. Reported at the call that
    starts the server over HTTP, once per served app (other launches of the same app are related
    locations), with the server construction, the app served and the binding that chooses the
    transport as related locations; where the project model sees no launch, at the first call
    that creates an HTTP transport.

    A transport chosen at runtime (`run(transport=args.transport)`) or an HTTP server bound to a
    loopback host is reported as info, saying why; a transport chosen at runtime is a warning
    again when a deploy file that starts its entrypoint chooses HTTP (`CMD ["server",
    "--transport", "sse"]`, or `ENV MCP_TRANSPORT=http` where the server reads that variable),
    with that command as a related location. A host read from the environment with a
    loopback default (`host=os.getenv("MCP_HOST", "127.0.0.1")`), or from a command-line option
    of the same file with a loopback default (`add_argument("--mcp-host", default="127.0.0.1")`),
    or a host parameter the launching function refuses beyond loopback (`if not
    _is_loopback(host): raise ValueError(...)`), counts as loopback, and so does no host at all on mcp 1.x `FastMCP` or fastmcp (both bind
    127.0.0.1 unless `FASTMCP_HOST` says otherwise): the server is private unless a deployment
    sets it. When a top-level env or deploy file (`.env*`, `Dockerfile*`, compose files,
    `fly.toml`) names the variable, it is a warning again.

    A bridge that a deploy file starts to serve a stdio server over HTTP (`supergateway --stdio
    "node dist/index.js"`, `mcp-proxy --host 0.0.0.0 --port 8080 -- python server.py`, `mcpo --
    uvx mcp-server-time`, or the bridge's own image given the server as its command) is reported
    at that command, in any project: these bridges ask callers for no credential (mcpo only
    with `--api-key`), so what the server does about auth cannot help. Info when it binds
    loopback (mcp-proxy's default).

    ## Why is this bad?
    Without auth at the transport, anyone who can reach the port can `initialize` a session,
    list every tool and call them. Auth checked later, inside tools, still lets the session open.

    ## Example
    ```python
    mcp = FastMCP("crm")
    mcp.run(transport="http", host="0.0.0.0", port=8000)
    ```

    ## Use instead
    ```python
    mcp = FastMCP("crm", auth=JWTVerifier(jwks_uri=JWKS_URL, issuer=ISSUER, audience="crm"))
    mcp.run(transport="http", host="0.0.0.0", port=8000)
    ```

    ## Options
    `auth-at-gateway`: set to true when an API gateway or service mesh in front of the server
    authenticates every request; the rule then stays quiet.
    """

    code = "MCP0203"
    needs_in_project = ("http server", "dynamic transport")  # findings are at those calls
    scope = "mcp-project"  # facts may live in modules that never mention MCP
    kinds = ("python", *DEPLOY_KINDS)  # deploy files may choose the transport chosen at run time
    name = "http-transport-without-auth"
    item = 2
    severity = Severity.WARNING
    summary = "MCP server served over HTTP without authentication"
    fix_hint = (
        "Configure auth at the transport: `auth=<provider>` on a fastmcp server, `auth=AuthSettings(...)` "
        "with `token_verifier=` on the SDK server, or an ASGI auth middleware; set the `auth-at-gateway` "
        "option if a gateway authenticates requests."
    )
    options = {"auth-at-gateway": False}

    def __init__(self, ctx):
        super().__init__(ctx)
        # auth: a known auth component is configured here; layers: classes and functions of this
        # file that authenticate by structure (mcp_lint/python/auth.py); refs: names this file
        # mounts or instantiates. Auth is present when some file's ref is some file's layer.
        # classes: class name -> base names ("<server>" for an SDK server class), so that
        # `auth=` on a subclass of a server defined in another module counts (auth_calls).
        self.facts = {"auth": False, "layers": [], "refs": [], "transports": [], "classes": {}, "auth_calls": [], "dynamic": [], "loopback_env": []}

    @classmethod
    def collect(cls, document, options):
        """A deploy file: the commands that may choose a transport (a flag, or variables set), and
        the bridges it starts that serve a stdio server over HTTP."""
        return {"commands": transport_commands(document), "bridges": bridges(document)}

    def visit_Call(self, node: cst.Call) -> None:
        arguments = auth.auth_arguments(node)
        if _is_server_constructor(node, self.model) and (arguments or self._splat_auth(node)):
            self.facts["auth"] = True
        elif arguments:
            self.facts["auth_calls"].append(_last(node.func))
        elif auth.is_known_auth(node, self.model.qualify):
            self.facts["auth"] = True
        self.facts["refs"].extend(n for n in auth.referenced_layers(node) if n)

    def _splat_auth(self, node: cst.Call) -> bool:
        """`FastMCP(**options)`: auth when the dict bound in this file sets it; a splat that
        cannot be read may hold it (benefit of the doubt)."""
        splats = splat_keywords(node, self.ctx.document.module)
        if splats.unresolved:
            return True
        return any(not auth.is_none(splats.keywords[k]) for k in auth.AUTH_KWARGS if k in splats.keywords)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if auth.layers_of(self.model).is_auth_layer(node):
            self.facts["layers"].append(node.name.value)
        self.facts["classes"][node.name.value] = [
            "<server>" if self.model.qualify(b.value) in SERVER_CLASSES else _last(b.value) for b in node.bases
        ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node in self.model.tool_code or not auth.layers_of(self.model).is_auth_layer(node):
            return  # a check inside a tool is MCP0201's business, not transport auth
        self.facts["layers"].append(node.name.value)
        if any(_is_middleware_decorator(d) for d in node.decorators):
            self.facts["refs"].append(node.name.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Attribute) and target.target.attr.value == "auth" and not auth.is_none(node.value):
                self.facts["auth"] = True

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if AUTH_ENV not in node.value and auth.plain_literal(node.value):
            return  # its value is its text: not the variable's name
        if node.evaluated_value == AUTH_ENV:
            self.facts["auth"] = True

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self.model.is_mcp:
            return
        # Every HTTP call here (dynamic ones after): the project model keeps those that launch.
        calls = self.model.transport_calls
        chosen = [c for c in calls if c[1] == "http"] + [c for c in calls if c[1] == "dynamic"]
        for call, kind in chosen:
            host, variable = self._host(call)
            finding = self._finding(call, kind, host, variable)
            self.facts["transports"].append(finding)
            if kind == "dynamic":  # (line, the call as written): a deploy file may choose HTTP
                self.facts["dynamic"].append((finding.location.line, _source(self.ctx.document.module, call.func)))
            if kind == "http" and host in LOOPBACK_HOSTS and variable and ENV_NAME.fullmatch(variable):
                # (line, variable, the call as written): a deploy file may set another host
                self.facts["loopback_env"].append((finding.location.line, variable, _source(self.ctx.document.module, call.func)))

    def _host(self, call: cst.Call) -> Tuple[Optional[str], Optional[str]]:
        """The host the transport binds by default, and the variable that may change it:
        `run(host=...)`, else the server's `host=` constructor argument or a
        `server.settings.host = "..."` assignment in this file; a literal, or an environment read
        with a literal default (`os.getenv("MCP_HOST", "127.0.0.1")`, directly or through a name)."""
        host = keyword(call, "host")
        if host is not None and isinstance(host.value, cst.Name) and self._refuses_remote(call, host.value.value):
            return "127.0.0.1", None
        if host is not None:
            return self._host_value(host.value)
        receiver = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else None
        server = self.model.server_named(receiver)
        if server is not None and server.constructor_kwarg("host") is not None:
            return self._host_value(server.constructor_kwarg("host").value)
        hosts = {
            self._host_value(n.value)
            for n in walk.walk(self.ctx.document.module)
            if isinstance(n, cst.Assign) and any(dotted(t.target) == f"{receiver}.settings.host" for t in n.targets)
        }
        values = {value for value, _ in hosts}
        if not values and _built_here_without_host(server) and _method(call) in SDK_RUNNERS:
            return "127.0.0.1", SDK_HOST_ENV  # the SDK's own default, which the environment may change
        if len(values) != 1:
            return None, None
        # `host = args.mcp_host` in one branch, `"127.0.0.1"` in the other: the same default,
        # named with the option that may change it.
        return values.pop(), next((var for _, var in sorted(hosts, key=str) if var), None)

    def _host_value(self, expr: cst.BaseExpression, follow: bool = True) -> Tuple[Optional[str], Optional[str]]:
        if isinstance(expr, cst.Call) and self.model.qualify(expr.func) in ("os.getenv", "os.environ.get"):
            var, default = positional(expr, 0), positional(expr, 1) or keyword(expr, "default")
            if var is not None and default is not None:
                return string_value(default.value), string_value(var.value)
            return None, None
        if isinstance(expr, cst.Attribute):  # `args.mcp_host`: an argparse option's default
            return self._option_default(expr.attr.value)
        if isinstance(expr, cst.Name) and follow:
            bound = [
                n.value for n in walk.walk(self.ctx.document.module)
                if isinstance(n, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == expr.value for t in n.targets)
            ]
            return self._host_value(bound[0], follow=False) if len(bound) == 1 else (None, None)
        return string_value(expr), None

    def _refuses_remote(self, call: cst.Call, name: str) -> bool:
        """The function that launches with `host=<name>` first refuses a host beyond loopback:
        `if not allow_remote and not _is_loopback(host): raise ValueError(...)` (hmc-mcp)."""
        for function in walk.walk(self.ctx.document.module):
            if isinstance(function, cst.FunctionDef) and any(n is call for n in walk.walk(function.body)):
                return any(
                    isinstance(statement, cst.If) and _raises(statement.body) and _tests_loopback(statement.test, name)
                    for statement in function.body.body
                )
        return False

    def _option_default(self, dest: str) -> Tuple[Optional[str], Optional[str]]:
        """The literal default of this file's `parser.add_argument("--mcp-host", default=...)`
        whose destination is `dest`, and the option's flag."""
        for node in walk.walk(self.ctx.document.module):
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "add_argument":
                flag = positional(node, 0)
                flag_text = string_value(flag.value) if flag is not None else None
                default = keyword(node, "default")
                if flag_text and flag_text.lstrip("-").replace("-", "_") == dest and default is not None:
                    return string_value(default.value), flag_text
        return None, None

    def _finding(self, call: cst.Call, kind: str, host_value: Optional[str], host_var: Optional[str]) -> Finding:
        doc = self.ctx.document
        shown = _source(doc.module, call.func)
        if kind == "dynamic":
            message = f"`{shown}(...)` picks its transport at runtime and no module configures authentication; if it serves HTTP, anyone who reaches it can open a session"
            severity = Severity.INFO
        elif host_value in LOOPBACK_HOSTS:
            unless = f" unless `{host_var}` names another host" if host_var else ""
            message = f"`{shown}(...)` serves MCP over HTTP without authentication, bound to {host_value}{unless} (reachable only from this host; info)"
            severity = Severity.INFO
        else:
            message = f"`{shown}(...)` serves MCP over HTTP and no module of the project configures authentication: anyone who reaches it can open a session and call every tool"
            severity = None
        return self.make_finding(doc.location(call), message, severity=severity, snippet=doc.snippet(call))

    @classmethod
    def check(cls, facts_by_path, project):
        if cls.project_option(project, "auth-at-gateway"):
            return []
        bridged = [_bridge_finding(cls, b) for facts in facts_by_path.values() for b in facts.get("bridges", ()) if not b.api_key]
        return bridged + cls._served_without_auth(facts_by_path, project)

    @classmethod
    def _served_without_auth(cls, facts_by_path, project) -> List[Finding]:
        python = {path: facts for path, facts in facts_by_path.items() if "transports" in facts}
        layers = {name for facts in python.values() for name in facts["layers"]}
        mounted = any(layers.intersection(facts["refs"]) for facts in python.values())
        servers = _server_subclasses(python.values())
        mounted = mounted or any(servers.intersection(facts["auth_calls"]) for facts in python.values())
        if mounted or any(f["auth"] for f in python.values()) or _env_files_set_auth(project.root):
            return []
        commands = [c for facts in facts_by_path.values() for c in facts.get("commands", ())]
        candidates = []
        for facts in python.values():
            dynamic = dict(facts["dynamic"])
            loopback = {line: (variable, shown) for line, variable, shown in facts["loopback_env"]}
            candidates.extend(
                _deployed_over_http(finding, dynamic[finding.location.line], commands, project)
                if finding.location.line in dynamic else
                _deployed_elsewhere(finding, *loopback[finding.location.line], project.root)
                if finding.location.line in loopback else finding
                for finding in facts["transports"]
            )
        candidates.sort(key=lambda f: (-f.severity, f.sort_key()))  # HTTP on all interfaces first
        return at_launches(candidates, project, per_app=True)  # once per served app, at its launch

    VALID = [
        Valid(MCP_ERROR_MIDDLEWARE.format(message="Unauthorized: bearer token missing or invalid")),
        # An ASGI wrapper that reads the project's own API-key header, named by a constant (kodi_mcp_server).
        Valid(KEYED_ASGI_WRAPPER.format(header="MCP_API_KEY_HEADER", value="x-mcp-api-key")),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("notes")

            @mcp.tool
            def add(text: str) -> str:
                return text

            if __name__ == "__main__":
                mcp.run()
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from .auth import verifier

            mcp = FastMCP("crm", auth=verifier)

            @mcp.tool
            def find(email: str) -> dict:
                return {}

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """,
            path="crm/server.py",
            files={"crm/__init__.py": "", "crm/auth.py": "from fastmcp.server.auth.providers.jwt import JWTVerifier\nverifier = JWTVerifier(jwks_uri='https://id.example.com/jwks')\n"},
        ),
        Valid(
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("files")

            @mcp.tool()
            def read(path: str) -> str:
                return open(path).read()

            app = mcp.streamable_http_app()

            if __name__ == "__main__":
                uvicorn.run("app.server:app", host="0.0.0.0", port=8080)
            """,
            path="app/server.py",
            files={
                "app/__init__.py": "",
                "app/security.py": """
                    from starlette.middleware.authentication import AuthenticationMiddleware
                    from .server import app

                    app.add_middleware(AuthenticationMiddleware, backend=ApiKeyBackend())
                """,
            },
        ),
        Valid(
            """
            from fastapi import Depends, FastAPI, Header, HTTPException
            from fastmcp import FastMCP

            def require_api_key(x_api_key: str = Header(alias="X-API-Key")) -> None:
                if not hmac.compare_digest(x_api_key, API_KEY):
                    raise HTTPException(status_code=401)

            mcp = FastMCP("inventory")
            mcp_app = mcp.http_app(path="/")
            api = FastAPI(lifespan=mcp_app.lifespan, dependencies=[Depends(require_api_key)])
            api.mount("/mcp", mcp_app)
            """
        ),
        Valid(
            """
            import hmac, os
            import uvicorn
            from starlette.responses import PlainTextResponse
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            class OAuthWrapper:
                def __init__(self, app):
                    self.app = app

                async def __call__(self, scope, receive, send):
                    headers = dict(scope.get("headers") or [])
                    token = headers.get(b"authorization", b"").decode()
                    if not hmac.compare_digest(token, "Bearer " + os.environ["TOKEN"]):
                        await PlainTextResponse("unauthorized", status_code=401)(scope, receive, send)
                        return
                    await self.app(scope, receive, send)

            uvicorn.run(OAuthWrapper(mcp.streamable_http_app()), host="0.0.0.0", port=8000)
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("internal")

            if __name__ == "__main__":
                mcp.run(transport="streamable-http", host="0.0.0.0")
            """,
            options={"auth-at-gateway": True},
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from .auth import verifier

            options = dict(name="crm", auth=verifier)
            mcp = FastMCP(**options)

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """,
            path="crm/server.py",
            files={"crm/__init__.py": "", "crm/auth.py": "verifier = build_verifier()\n"},
        ),
        Valid(
            """
            from fastmcp.server.auth.providers.github import GitHubProvider
            from .base import ShopServer

            mcp = ShopServer("shop", auth=GitHubProvider(client_id=CLIENT_ID, client_secret=SECRET, base_url=URL))

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """,
            path="shop/server.py",
            files={"shop/__init__.py": "", "shop/base.py": "from fastmcp import FastMCP\n\nclass ShopServer(FastMCP):\n    pass\n"},
        ),
        # Bridges that serve nothing, or ask callers for a key: mcpo told `--api-key`, supergateway
        # as a client of a remote SSE server, mcp-proxy's own image with no server to run.
        Valid('FROM python:3.12-slim\nCMD ["uvx", "mcpo", "--port", "8000", "--api-key", "k", "--", "uvx", "mcp-server-time"]\n', path="Dockerfile"),
        Valid('FROM node:22-slim\nCMD ["npx", "-y", "supergateway", "--sse", "https://mcp.example.com/sse"]\n', path="Dockerfile"),
        Valid('FROM python:3.12-alpine\nENTRYPOINT ["catatonit", "--", "mcp-proxy"]\n', path="Dockerfile"),
        Valid(
            'FROM node:22-slim\nCMD ["npx", "supergateway", "--stdio", "node dist/index.js", "--port", "8000"]\n',
            path="Dockerfile",
            options={"auth-at-gateway": True},
        ),
    ]
    INVALID = [
        Invalid(MCP_ERROR_MIDDLEWARE.format(message="Rate limit reached"), line=21),  # a refusal, but not of the credential
        Invalid(  # a client of an upstream API: the header it writes and the upstream's 401 it reports are no auth (xyber's twitter)
            """
            import aiohttp
            from fastmcp import FastMCP

            mcp = FastMCP("trends")

            class TrendsClient:
                async def fetch(self, token: str) -> dict:
                    headers = {"Authorization": f"Bearer {token}"}
                    async with aiohttp.ClientSession() as session:
                        async with session.get("https://api.example.com/trends", headers=headers) as response:
                            if response.status != 200:
                                raise RuntimeError("upstream answered 401 Unauthorized: check the bearer token")
                            return await response.json()

            client = TrendsClient()

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """,
            line=18,
        ),
        Invalid(  # an app built on a receiver the model cannot trace, then served: one launch, at uvicorn
            """
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            async def patched_run_sse_async(self: FastMCP) -> None:
                starlette_app = self.sse_app()
                config = uvicorn.Config(starlette_app, host="0.0.0.0", port=8000)
                await uvicorn.Server(config).serve()

            FastMCP.run_sse_async = patched_run_sse_async
            """,
            line=6,
            count=1,
        ),
        # A stdio server exposed over SSE by a bridge in the image (ticktick-mcp-ts), whatever the
        # server itself does; the ENTRYPOINT and CMD of an image make one command line (trakt).
        Invalid(
            'FROM node:22-slim\nCMD ["sh", "-c", "npx supergateway --stdio \'node dist/index.js\' --port ${PORT}"]\n',
            path="Dockerfile",
            line=2,
            severity="warning",
            message="`supergateway` serves the stdio server `node dist/index.js` over HTTP on 0.0.0.0",
        ),
        Invalid(
            'FROM ghcr.io/sparfenyuk/mcp-proxy:latest\nENTRYPOINT ["mcp-proxy"]\nCMD ["--host", "0.0.0.0", "--port", "8080", "--", "python3", "server.py"]\n',
            path="Dockerfile",
            line=3,
            severity="warning",
            message="`mcp-proxy` serves the stdio server `python3 server.py` over HTTP on 0.0.0.0",
        ),
        Invalid(  # the bridge's own image, given the server as its command
            """
            services:
              files:
                image: supercorp/supergateway:latest
                command: ["--stdio", "npx -y @modelcontextprotocol/server-filesystem /data", "--port", "8000"]
                ports: ["8000:8000"]
            """,
            path="compose.yaml",
            line=4,
            severity="warning",
        ),
        Invalid(  # mcp-proxy binds loopback unless told otherwise
            'FROM python:3.12-slim\nCMD ["mcp-proxy", "--port", "8080", "--", "uvx", "mcp-server-fetch"]\n',
            path="Dockerfile",
            severity="info",
            message="bound to 127.0.0.1",
        ),
        # ... not one that reads another header and answers 401 (a request id is no credential).
        Invalid(KEYED_ASGI_WRAPPER.format(header="REQUEST_ID_HEADER", value="x-request-id"), line=27),
        Invalid(  # a function reading an upstream's 401/403 authenticates no caller (nfl_mcp)
            """
            from fastmcp import FastMCP
            from .http import get_http_headers

            mcp = FastMCP("news")

            def fetch_news(team: str) -> dict:
                response = client.get(f"{API}/{team}", headers=get_http_headers("news"))
                if response.status_code in (401, 403):
                    return {}
                return response.json()

            CACHE = {team: fetch_news(team) for team in TEAMS}

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """,
            line=15,
        ),
        Invalid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("crm")

            @mcp.tool
            def find(email: str) -> dict:
                return {}

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """,
            line=10,
            severity="warning",
            message="`mcp.run(...)` serves MCP over HTTP",
        ),
        Invalid(
            """
            import uvicorn
            from starlette.applications import Starlette
            from starlette.middleware import Middleware
            from starlette.middleware.cors import CORSMiddleware
            from starlette.routing import Mount
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("search")
            app = Starlette(
                routes=[Mount("/", app=server.streamable_http_app())],
                middleware=[Middleware(CORSMiddleware, allow_origins=["*"])],
            )
            uvicorn.run(app, host="0.0.0.0", port=8000)
            """,
            line=13,  # at the launch; the app built on line 10 is a related location
            count=1,
            message="`uvicorn.run(...)`",
        ),
        Invalid(
            """
            import argparse
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("weather")

            def main() -> None:
                parser = argparse.ArgumentParser()
                parser.add_argument("--transport", default="stdio", choices=["stdio", "sse"])
                mcp.run(transport=parser.parse_args().transport)
            """,
            line=9,
            severity="info",
            message="picks its transport at runtime",
        ),
        Invalid(  # the host is a command-line option whose default is loopback, in every branch
            """
            import argparse
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("ghidra")

            if __name__ == "__main__":
                parser = argparse.ArgumentParser()
                parser.add_argument("--mcp-host", type=str, default="127.0.0.1")
                args = parser.parse_args()
                if args.mcp_host:
                    mcp.settings.host = args.mcp_host
                else:
                    mcp.settings.host = "127.0.0.1"
                mcp.run(transport="sse")
            """,
            severity="info",
            message="bound to 127.0.0.1 unless `--mcp-host` names another host",
        ),
        Invalid(  # no host at all: the SDK binds 127.0.0.1 unless FASTMCP_HOST says otherwise
            _SDK_DEFAULT_HOST,
            severity="info",
            message="bound to 127.0.0.1 unless `FASTMCP_HOST` names another host",
        ),
        Invalid(  # a server built in another module, where a host may be given: not the default
            "from core import server\n\nserver.run(transport='streamable-http')\n",
            path="main.py",
            files={"core.py": "from mcp.server.fastmcp import FastMCP\n\nserver = FastMCP('workspace', host='0.0.0.0')\n"},
            severity="warning",
        ),
        Invalid(  # ... which the image sets: a container listens on every interface
            _SDK_DEFAULT_HOST,
            path="server.py",
            files={"Dockerfile": 'FROM python:3.12-slim\nENV FASTMCP_HOST=0.0.0.0\nCMD ["python", "server.py"]\n'},
            severity="warning",
            message="which `Dockerfile` sets",
        ),
        Invalid(  # the image starts the entrypoint with an HTTP transport: a warning
            _FLAG_SERVER,
            path="server.py",
            files={"Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/server.py", "--transport", "sse"]\n'},
            severity="warning",
            message="starts it with `--transport sse`",
        ),
        Invalid(  # ... given as the CMD's arguments to an exec-form ENTRYPOINT
            _FLAG_SERVER,
            path="server.py",
            files={"Dockerfile": 'FROM python:3.12-slim\nENTRYPOINT ["python", "server.py"]\nCMD ["--transport", "sse"]\n'},
            severity="warning",
            message="starts it with `--transport sse`",
        ),
        Invalid(  # the image sets the variable the server reads its transport from
            _ENV_SERVER,
            path="server.py",
            files={"Dockerfile": 'FROM python:3.12-slim\nENV MCP_TRANSPORT=streamable-http\nCMD ["python", "server.py"]\n'},
            severity="warning",
            message="starts it with `MCP_TRANSPORT=streamable-http`",
        ),
        Invalid(  # still info: the image chooses stdio
            _FLAG_SERVER,
            path="server.py",
            files={"Dockerfile": 'FROM python:3.12-slim\nCMD ["python", "server.py", "--transport", "stdio"]\n'},
            severity="info",
            message="picks its transport at runtime",
        ),
        Invalid(  # still info: the image sets a variable this server does not read
            _ENV_SERVER,
            path="server.py",
            files={"Dockerfile": 'FROM python:3.12-slim\nENV OTHER_TRANSPORT=sse\nCMD ["python", "server.py"]\n'},
            severity="info",
            message="picks its transport at runtime",
        ),
        Invalid(  # still info: the image starts another program over SSE
            _FLAG_SERVER,
            path="server.py",
            files={"Dockerfile": 'FROM python:3.12-slim\nCMD ["python", "proxy.py", "--transport", "sse"]\n'},
            severity="info",
            message="picks its transport at runtime",
        ),
        Invalid(
            """
            from fastmcp import FastMCP

            mcp = FastMCP("dev-tools")

            if __name__ == "__main__":
                mcp.run(transport="sse", host="127.0.0.1", port=9000)
            """,
            severity="info",
            message="bound to 127.0.0.1",
        ),
        # The launching function refuses a host beyond loopback unless told otherwise (hmc-mcp).
        Invalid(
            REFUSES_REMOTE.format(guard="raise ValueError(f'{host} is beyond loopback')"),
            line=9,
            severity="info",
            message="bound to 127.0.0.1",
        ),
        # ... a look-alike that only warns: the host the caller passes is bound.
        Invalid(
            REFUSES_REMOTE.format(guard="logger.warning('binding %s', host)"),
            line=9,
            severity="warning",
            message="no module of the project configures authentication",
        ),
        Invalid(
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("vectors")

            if __name__ == "__main__":
                mcp.settings.host = "localhost"
                mcp.run(transport="sse")
            """,
            severity="info",
            message="bound to localhost",
        ),
        Invalid(
            # Host from the environment with a loopback default: private unless a deployment
            # sets the variable, so info, naming it.
            """
            import os
            from fastmcp import FastMCP

            mcp = FastMCP("ledger")
            BIND = os.environ.get("LEDGER_BIND_HOST", "127.0.0.1")

            def main():
                mcp.run(transport="http", host=BIND, port=8080)
            """,
            severity="info",
            message="bound to 127.0.0.1 unless `LEDGER_BIND_HOST` names another host",
        ),
        Invalid(
            # The same read defaulting to every interface stays a warning.
            """
            import os
            from fastmcp import FastMCP

            mcp = FastMCP("ledger")

            def main():
                mcp.run(transport="http", host=os.getenv("LEDGER_BIND_HOST", "0.0.0.0"), port=8080)
            """,
            severity="warning",
        ),
        Invalid(
            """
            import uuid
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")

            class RequestIdMiddleware:
                def __init__(self, app):
                    self.app = app

                async def __call__(self, scope, receive, send):
                    scope.setdefault("state", {})["request_id"] = str(uuid.uuid4())
                    await self.app(scope, receive, send)

            uvicorn.run(RequestIdMiddleware(mcp.streamable_http_app()), host="0.0.0.0", port=8000)
            """,
            line=15,
            message="no module of the project configures authentication",
        ),
        Invalid(
            """
            from fastmcp import FastMCP

            settings = {"name": "crm", "auth": None}
            mcp = FastMCP(**settings)

            if __name__ == "__main__":
                mcp.run(transport="http", host="0.0.0.0", port=8000)
            """,
            line=7,
        ),
    ]


BRIDGE_FIX = (
    "Put an authenticating reverse proxy in front of the bridge and publish only that (or give mcpo "
    "`--api-key`), or serve the server's own HTTP transport with auth configured."
)


def _bridge_finding(rule, found: Bridge) -> Finding:
    """A gateway in a deploy file that serves a stdio server over HTTP: it authenticates no
    caller, whatever the server does (a stdio server has no transport auth of its own)."""
    command = found.command
    served = f"`{found.tool}` serves the stdio server `{found.server}` over HTTP"
    if found.host in LOOPBACK_HOSTS:
        message, severity = f"{served} without authentication, bound to {found.host} (reachable only from this host or container; info)", Severity.INFO
    else:
        message, severity = f"{served} on {found.host} and asks callers for no credential: anyone who reaches the port can open a session and call every tool", Severity.WARNING
    location = Location(command.path, command.line, 1, command.line, 1)
    return Finding(rule.code, rule.name, rule.item, severity, location, message, BRIDGE_FIX, snippet=command.text)


def _deployed_over_http(finding: Finding, shown: str, commands, project) -> Finding:
    """A launch whose transport is chosen at run time, escalated from info when a deploy
    command that starts its entrypoint chooses HTTP."""
    model = getattr(project, "model", None)
    found = deployed_over_http(model, finding.location.path, finding.location.line, commands) if model and commands else None
    if found is None:
        return finding
    command, written = found
    note = Location(command.path, command.line, 1, command.line, 1, f"started with {written} here")
    return replace(
        finding,
        message=f"`{shown}(...)` picks its transport at runtime and `{command.path}` starts it with {written}: MCP over HTTP, and no module of the project configures authentication",
        severity=Severity.WARNING,
        related=(*finding.related, note),
    )


def _server_subclasses(all_facts) -> Set[str]:
    """Names of the project's classes that derive, directly or through project classes, from an
    SDK server class (`class KeboolaMcpServer(FastMCP)`)."""
    classes: Dict[str, List[str]] = {}
    for facts in all_facts:
        classes.update(facts["classes"])
    found: Set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, bases in classes.items():
            if name not in found and any(b == "<server>" or b in found for b in bases):
                found.add(name)
                changed = True
    return found


def _env_files_set_auth(root: Path) -> bool:
    """`FASTMCP_SERVER_AUTH=...` in a top-level env or deploy file (fastmcp 2.x reads it)."""
    return _deploy_file_naming(root, AUTH_ENV) is not None


def _tests_loopback(test: cst.BaseExpression, name: str) -> bool:
    """The test reads `name` and asks whether it is a loopback host (a call named so, or a
    comparison with a loopback literal)."""
    nodes = list(walk.walk(test))
    if not any(isinstance(n, cst.Name) and n.value == name for n in nodes):
        return False
    return any(
        (isinstance(n, cst.Call) and re.search(r"loopback|localhost|is_local", _last(n.func), re.IGNORECASE))
        or (isinstance(n, cst.SimpleString) and string_value(n) in LOOPBACK_HOSTS)
        for n in nodes
    )


def _built_here_without_host(server) -> bool:
    """A mcp 1.x `FastMCP` or fastmcp server constructed in this file with no `host=` (nor a
    `**options` that may hold one): it binds the SDK's default. One built in another module
    may have been given a host there."""
    return server is not None and server.framework in DEFAULT_LOOPBACK_SERVERS and server.call is not None \
        and not any(arg.star for arg in server.call.args)


def _method(call: cst.Call) -> str:
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else ""


def _deploy_file_naming(root: Path, variable: str) -> Optional[Path]:
    """The first top-level env or deploy file that names `variable` (or a name it begins), if any."""
    from mcp_lint.reading import read_bytes  # regular files only, size-capped

    top = os.path.realpath(root)
    for pattern in DEPLOY_ENV_FILES:
        for path in sorted(root.glob(pattern)):
            if not os.path.realpath(path).startswith(top + os.sep):
                continue  # a symlink out of the project is not the project's configuration
            data, _ = read_bytes(path)
            if data is not None and re.search(rb"\b%s" % re.escape(variable.encode()), data):  # also FASTMCP_SERVER_AUTH_*
                return path
    return None


def _deployed_elsewhere(finding: Finding, variable: str, shown: str, root: Path) -> Finding:
    """A launch bound to a loopback host that `variable` may change, back to a warning when a
    deploy or env file of the project sets that variable (a container binds 0.0.0.0)."""
    path = _deploy_file_naming(root, variable)
    if path is None:
        return finding
    written = path.relative_to(root).as_posix()
    return replace(
        finding,
        message=f"`{shown}(...)` serves MCP over HTTP on the host `{variable}` names, which `{written}` sets, and no module of the project configures authentication",
        severity=Severity.WARNING,
        related=(*finding.related, Location(written, 1, 1, 1, 1, f"sets `{variable}`")),
    )


# ---------------------------------------------------------------------------------------

DEV_VERIFIERS = {"StaticTokenVerifier", "DebugTokenVerifier"}
DEV_GUARD = re.compile(r"dev|debug|test|local", re.IGNORECASE)


def _has_literal_token(call: cst.Call) -> bool:
    """`StaticTokenVerifier(tokens={"dev-token": {...}})`: a key that is a string literal."""
    arg = keyword(call, "tokens") or positional(call, 0)
    if arg is None or not isinstance(arg.value, cst.Dict):
        return False
    return any(isinstance(e, cst.DictElement) and string_value(e.key) is not None for e in arg.value.elements)


class DevTokenVerifier(PythonRule):
    """
    ## What it does
    Flags fastmcp's development verifiers, `StaticTokenVerifier(...)`
    (`fastmcp.server.auth.providers.jwt`, tokens kept in a plain dict) and
    `DebugTokenVerifier(...)` (`fastmcp.server.auth.providers.debug`, accepts every non-empty
    token unless given `validate=`), in non-test code. Files under `tests/`, `examples/`, `demo/`
    and constructions inside an `if`/conditional expression whose test mentions dev, debug, test
    or local are left alone. `DebugTokenVerifier(validate=...)` is reported as info: the callable
    decides, but the standard checks (expiry, audience, issuer) are bypassed. A
    `StaticTokenVerifier` whose tokens come from configuration rather than string literals
    (`tokens={settings.api_token: {...}}`) is not reported: that is a shared bearer API key read
    from the environment, the checklist's own API-key pattern.

    ## Why is this bad?
    Both exist for local development: the server looks protected (clients must send a bearer
    token) while any token, or a token committed to the repository, gets in.

    ## Example
    ```python
    auth = StaticTokenVerifier(tokens={"dev-secret": {"client_id": "me", "scopes": ["admin"]}})
    mcp = FastMCP("ops", auth=auth)
    ```

    ## Use instead
    ```python
    auth = JWTVerifier(jwks_uri=JWKS_URL, issuer=ISSUER, audience="ops")
    mcp = FastMCP("ops", auth=auth)
    ```
    """

    code = "MCP0204"
    name = "dev-token-verifier"
    item = 2
    severity = Severity.WARNING
    summary = "Development token verifier used in production code"
    fix_hint = "Use a real verifier: `JWTVerifier`, `IntrospectionTokenVerifier` or an OAuth provider; keep static/debug verifiers for tests."
    requires = tuple(sorted(DEV_VERIFIERS))

    def __init__(self, ctx):
        super().__init__(ctx)
        parts = ctx.document.path.split("/")
        self.skip_file = bool(NON_PRODUCTION_DIRS.intersection(parts[:-1]))
        self.guards: List[bool] = []  # one per enclosing if / conditional expression

    def visit_If(self, node: cst.If) -> None:
        self.guards.append(bool(DEV_GUARD.search(self.ctx.document.module.code_for_node(node.test))))

    def leave_If(self, original_node: cst.If) -> None:
        self.guards.pop()

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self.guards.append(bool(DEV_GUARD.search(self.ctx.document.module.code_for_node(node.test))))

    def leave_IfExp(self, original_node: cst.IfExp) -> None:
        self.guards.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if self.skip_file or any(self.guards):
            return
        qualified = self.model.qualify(node.func) or ""
        name = qualified.split(".")[-1]
        if name not in DEV_VERIFIERS or not qualified.startswith("fastmcp."):
            return
        if name == "StaticTokenVerifier":
            # Tokens from configuration are a shared API key (checklist item 2); only literals leak.
            if _has_literal_token(node):
                self.report(node, "`StaticTokenVerifier` with a token written in the source: anyone who reads the code can call every tool")
        elif keyword(node, "validate") is None and positional(node, 0) is None:
            self.report(node, "`DebugTokenVerifier()` without `validate=` accepts every non-empty bearer token: the server only looks protected")
        else:
            self.report(
                node,
                "`DebugTokenVerifier(validate=...)` skips expiry, audience and issuer checks; fine only if the callable really verifies the token",
                severity=Severity.INFO,
            )

    VALID = [
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import JWTVerifier

            mcp = FastMCP("ops", auth=JWTVerifier(jwks_uri="https://id.example.com/jwks", audience="ops"))
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import StaticTokenVerifier

            def make_server():
                return FastMCP("ops", auth=StaticTokenVerifier(tokens={"t": {"client_id": "c", "scopes": []}}))
            """,
            path="tests/helpers.py",
        ),
        Valid(
            """
            import os
            from fastmcp import FastMCP
            from fastmcp.server.auth import DebugTokenVerifier, JWTVerifier

            if os.getenv("ENV") == "local-dev":
                auth = DebugTokenVerifier()
            else:
                auth = JWTVerifier(jwks_uri=os.environ["JWKS_URL"])
            mcp = FastMCP("ops", auth=auth)
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            class StaticTokenVerifier:
                def __init__(self, tokens):
                    self.tokens = tokens

            mcp = FastMCP("ops")
            checker = StaticTokenVerifier({"a": 1})
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.debug import DebugTokenVerifier

            auth = DebugTokenVerifier() if settings.debug else production_auth()
            mcp = FastMCP("ops", auth=auth)
            """,
            path="examples/quickstart.py",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import StaticTokenVerifier

            auth = StaticTokenVerifier(tokens={"prod-key-123": {"client_id": "ops", "scopes": ["admin"]}})
            mcp = FastMCP("ops", auth=auth)
            """,
            line=4,
            message="`StaticTokenVerifier`",
        ),
        Invalid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth import DebugTokenVerifier as Verifier

            mcp = FastMCP("ops", auth=Verifier())
            """,
            line=4,
            severity="warning",
            message="accepts every non-empty bearer token",
        ),
        Invalid(
            """
            import fastmcp.server.auth.providers.debug as debug
            from fastmcp import FastMCP

            mcp = FastMCP("ops", auth=debug.DebugTokenVerifier(validate=lambda t: t.startswith("sk-")))
            """,
            severity="info",
            message="skips expiry, audience and issuer checks",
        ),
    ]


# ---------------------------------------------------------------------------------------


TOKEN_REFRESH_LAYER = """
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse

class BrokerAuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        token_data = await self.broker.token(request.headers.get("authorization", ""))
        if token_data is None:
            return JSONResponse({{"error": "unauthorized"}}, status_code=401)
        return await call_next(request)

    def _token_needs_refresh(self, token_data, request) -> bool:
        access_token = {looked_up}
        if {test}:
            return True
        return expired(access_token)
"""


class FailOpenAuth(PythonRule):
    """
    ## What it does
    Flags authentication that lets every request in when it is not configured:
    - an auth layer (a middleware, dependency or wrapper that reads a credential and answers
      401/403, see MCP0203) with a branch that passes the request on when the expected secret
      is empty (`if not API_KEY: return await call_next(request)`), or that only refuses when
      the secret is set (`if API_KEY and token != API_KEY: return 401`). A guard the layer
      looked up or took from the request (`client = store.get_client(cid)`, `requested =
      request.query_params.get("client_id")`, a token-refresh check's `access_token =
      token_data.get("access_token")`) is not an expected secret and is not reported;
    - auth mounted only when an environment variable is set: an `if` whose test reads the
      environment and whose body configures auth (`auth=`, an auth middleware, `server.auth =`)
      with no `else` that does, or `auth=Provider() if os.getenv("X") else None`.

    ## Why is this bad?
    A missing or misspelled variable in one deployment silently turns authentication off: the
    server starts, passes its probes, and serves every tool to anyone who reaches it. Auth
    should fail closed: refuse to start (or refuse every request) when its secret is missing.

    ## Example
    ```python
    class ApiKeyMiddleware(BaseHTTPMiddleware):
        async def dispatch(self, request, call_next):
            if not API_KEY:
                return await call_next(request)  # auth off when MCP_API_KEY is unset
            if not hmac.compare_digest(request.headers.get("x-api-key", ""), API_KEY):
                return JSONResponse({"error": "unauthorized"}, status_code=401)
            return await call_next(request)
    ```

    ## Use instead
    ```python
    API_KEY = os.environ["MCP_API_KEY"]  # a missing key stops the server at startup
    ```
    and keep the middleware's only path to `call_next` behind a successful check. For local
    development without auth, bind to 127.0.0.1 and make the opt-out explicit
    (`--insecure-no-auth`), never the default.
    """

    code = "MCP0205"
    scope = "mcp-project"  # auth helpers often live in modules that never mention MCP
    name = "fail-open-auth"
    item = 2
    severity = Severity.WARNING
    summary = "Authentication is switched off when its secret or setting is missing"
    fix_hint = "Fail closed: require the secret at startup (os.environ[...] or a required Settings field) and never pass requests through when it is empty."
    requires = ("getenv", "environ", "call_next", "auth", "401", "403", "Unauthorized", "settings")

    def __init__(self, ctx):
        super().__init__(ctx)
        self.env_names: Optional[Set[str]] = None
        self.layer_names: Optional[Set[str]] = None
        self.class_depth = 0

    def _env(self) -> Set[str]:
        if self.env_names is None:
            self.env_names = auth.env_names(self.ctx.document.module, self.model.qualify)
        return self.env_names

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.class_depth += 1
        if auth.layers_of(self.model).is_auth_layer(node):
            self._report_open_checks(node, node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_depth -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.class_depth or len(self.ctx.function_stack) > 1 or node in self.model.tool_code:
            return  # methods are judged with their class; tool code is MCP0201's
        if auth.layers_of(self.model).is_auth_layer(node):
            self._report_open_checks(node, node.name.value)

    def _report_open_checks(self, definition: cst.CSTNode, name: str) -> None:
        for node in auth.fail_open_checks(definition):
            self.report(node.test, f"auth layer `{name}` lets every request through when its expected secret is empty: a missing variable turns authentication off")

    def visit_If(self, node: cst.If) -> None:
        if not self._env_opt_in(node.test):
            return
        if self._configures_auth(node.body) and not (node.orelse is not None and (self._configures_auth(node.orelse) or _raises(node.orelse))):
            self.report(node.test, "authentication is configured only when this environment check passes: without the variable the server runs open")

    def visit_IfExp(self, node: cst.IfExp) -> None:
        if self._env_opt_in(node.test) and self._configures_auth(node.body) and auth.is_none(node.orelse):
            self.report(node, "authentication is configured only when this environment check passes: without the variable the server runs open")

    def _env_opt_in(self, test: cst.BaseExpression) -> bool:
        """The test reads the environment and may fail when the variable is unset (an opt-out
        whose default keeps the branch, `getenv("OMIT_AUTH", "false") != "true"`, is none)."""
        return auth.reads_env(test, self.model.qualify, self._env()) and auth.holds_when_unset(test, self.model.qualify) is not True

    def _configures_auth(self, body: cst.CSTNode) -> bool:
        layers = self._layers()
        for node in walk.walk(body):
            if isinstance(node, cst.Call):
                if auth.is_known_auth(node, self.model.qualify) or auth.is_auth_provider(node, self.model.qualify):
                    return True
                if _is_server_constructor(node, self.model) and auth.auth_arguments(node):
                    return True
                if _last(node.func) in ("add_middleware", "Middleware") and layers.intersection(auth.referenced_layers(node)):
                    return True
            if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Attribute) and node.target.attr.value == "auth":
                return True
        return False

    def _layers(self) -> Set[str]:
        if self.layer_names is None:
            self.layer_names = {
                n.name.value for n in walk.walk(self.ctx.document.module)
                if isinstance(n, (cst.ClassDef, cst.FunctionDef)) and auth.layers_of(self.model).is_auth_layer(n)
            }
        return self.layer_names

    VALID = [
        Valid(
            """
            import hmac, os
            from starlette.middleware.base import BaseHTTPMiddleware
            from starlette.responses import JSONResponse

            API_KEY = os.environ["MCP_API_KEY"]

            class ApiKeyMiddleware(BaseHTTPMiddleware):
                async def dispatch(self, request, call_next):
                    if not hmac.compare_digest(request.headers.get("x-api-key", ""), API_KEY):
                        return JSONResponse({"error": "unauthorized"}, status_code=401)
                    return await call_next(request)
            """
        ),
        Valid(
            """
            import os
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import JWTVerifier

            if os.getenv("JWKS_URL"):
                auth = JWTVerifier(jwks_uri=os.environ["JWKS_URL"])
            else:
                raise SystemExit("JWKS_URL is required")
            mcp = FastMCP("ops", auth=auth)
            """
        ),
        Valid(
            """
            import os
            from starlette.middleware.base import BaseHTTPMiddleware

            DEBUG = os.getenv("DEBUG")

            class TimingMiddleware(BaseHTTPMiddleware):
                async def dispatch(self, request, call_next):
                    if not DEBUG:
                        return await call_next(request)
                    return await timed(call_next, request)
            """
        ),
        Valid(  # a token the layer looked up, tested alone: "it needs a refresh", not "let it in"
            TOKEN_REFRESH_LAYER.format(test="not access_token", looked_up='token_data.get("access_token")'),
            files={"app/server.py": "from fastmcp import FastMCP\nmcp = FastMCP('x')\n"},
        ),
        Valid(  # the guarded value is the one the caller sent, after the client was authenticated
            """
            from starlette.middleware.base import BaseHTTPMiddleware
            from starlette.responses import JSONResponse

            class ClientAuthMiddleware(BaseHTTPMiddleware):
                async def dispatch(self, request, call_next):
                    client = store.client_for_token(request.headers.get("authorization", ""))
                    if client is None:
                        return JSONResponse({"error": "unauthorized"}, status_code=401)
                    requested = request.query_params.get("client_id")
                    if requested and requested != client.id:
                        return JSONResponse({"error": "unauthorized"}, status_code=401)
                    return await call_next(request)
            """,
            files={"app/server.py": "from fastmcp import FastMCP\nmcp = FastMCP('x')\n"},
        ),
        # An explicit opt-out whose default keeps auth on (skai-fastmcp-cloudrun).
        Valid(
            """
            import os
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.github import GitHubProvider

            auth = None
            if os.getenv("DANGEROUSLY_OMIT_AUTH", "false").lower() != "true":
                auth = GitHubProvider()
            if not os.getenv("DISABLE_AUTH"):
                auth = GitHubProvider()
            mcp = FastMCP("ops", auth=auth)
            """
        ),
    ]
    INVALID = [
        Invalid(  # ... but the expected secret of the layer, tested beside a local of the same name
            TOKEN_REFRESH_LAYER.format(test="not self.access_token", looked_up='request.headers.get("authorization")'),
            files={"app/server.py": "from fastmcp import FastMCP\nmcp = FastMCP('x')\n"},
        ),
        # The same opt-out spelled as an opt-in: without the variable, no auth.
        Invalid(
            """
            import os
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.github import GitHubProvider

            auth = None
            if os.getenv("REQUIRE_AUTH", "false").lower() == "true":
                auth = GitHubProvider()
            if os.getenv("AUTH_MODE", "none") not in ("none", "off"):
                auth = GitHubProvider()
            mcp = FastMCP("ops", auth=auth)
            """,
            line=6,
            count=2,
        ),
        Invalid(
            """
            import hmac, os
            from starlette.middleware.base import BaseHTTPMiddleware
            from starlette.responses import JSONResponse

            API_KEY = os.getenv("MCP_API_KEY", "")

            class ApiKeyMiddleware(BaseHTTPMiddleware):
                async def dispatch(self, request, call_next):
                    if not API_KEY:
                        return await call_next(request)
                    if not hmac.compare_digest(request.headers.get("x-api-key", ""), API_KEY):
                        return JSONResponse({"error": "unauthorized"}, status_code=401)
                    return await call_next(request)
            """,
            line=9,
            message="auth layer `ApiKeyMiddleware` lets every request through",
        ),
        Invalid(
            """
            import os
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import JWTVerifier

            auth = JWTVerifier(jwks_uri=os.environ["JWKS_URL"]) if os.getenv("ENABLE_AUTH") else None
            mcp = FastMCP("ops", auth=auth)
            """,
            line=5,
            message="configured only when this environment check passes",
        ),
        Invalid(
            """
            import os
            from starlette.applications import Starlette
            from starlette.middleware.authentication import AuthenticationMiddleware

            app = Starlette()
            if os.environ.get("MCP_AUTH_TOKEN"):
                app.add_middleware(AuthenticationMiddleware, backend=TokenBackend())
            """,
            line=6,
        ),
        Invalid(
            """
            from fastapi import Header, HTTPException

            def verify_key(x_api_key: str = Header(default="")) -> None:
                expected = settings.api_key
                if expected and x_api_key != expected:
                    raise HTTPException(status_code=403, detail="bad key")
            """,
            path="app/auth.py",
            files={"app/server.py": "from fastmcp import FastMCP\nmcp = FastMCP('x')\n"},
            line=5,
        ),
    ]


def _raises(body: cst.CSTNode) -> bool:
    return any(isinstance(n, cst.Raise) or (isinstance(n, cst.Call) and _last(n.func) in ("exit", "SystemExit")) for n in walk.walk(body))


# ---------------------------------------------------------------------------------------

CREDENTIAL_KWARG = re.compile(r"(?:^|_)(?:secret|token|tokens|api_?key|password|passwd|key|bearer)(?:_|$)", re.IGNORECASE)
NOT_A_CREDENTIAL_KWARG = re.compile(r"public|url|uri|endpoint|header|name|type|path|env|file|prefix|scheme|alg|audience|issuer|ttl|expir|length|size|count|limit|id$", re.IGNORECASE)
AUTH_COMPONENT = re.compile(r"(?:Middleware|Provider|Verifier|Auth|Backend|Proxy)$")


class LiteralCredentialInConstructor(PythonRule):
    """
    ## What it does
    Flags a string literal passed as a credential (a keyword such as `api_key=`, `token=`,
    `secret_key=`, `client_secret=`, `password=`) to an MCP server constructor, an auth provider
    or verifier, or a middleware being mounted: `FastMCP(..., api_key="sk-...")`,
    `app.add_middleware(ApiKeyMiddleware, api_key="letmein")`,
    `Middleware(SessionMiddleware, secret_key="dev")`, `GitHubProvider(client_secret="...")`.
    Files under `tests/`, `examples/` and `demo/` are left alone, as are empty strings and
    keywords that name something public (`public_key=`, `token_url=`, `api_key_header=`).
    `StaticTokenVerifier` token lists are MCP0204's.

    ## Why is this bad?
    The credential is published with the source: everyone who can read the repository (or the
    image) can call the server, sign its sessions or impersonate its OAuth client, and rotating it
    needs a code change and a redeploy.

    ## Example
    ```python
    app.add_middleware(ApiKeyMiddleware, api_key="k-9f2c1e")
    ```

    ## Use instead
    ```python
    app.add_middleware(ApiKeyMiddleware, api_key=os.environ["MCP_API_KEY"])
    ```
    """

    code = "MCP0206"
    scope = "mcp-project"  # apps are often assembled in modules that never mention MCP
    name = "literal-credential-in-constructor"
    item = 2
    severity = Severity.WARNING
    summary = "Credential written as a string literal in a server, auth or middleware constructor"
    fix_hint = "Read the credential from the environment or a secret store at startup (os.environ[...] / a required Settings field)."
    requires = ("Middleware", "Provider", "Verifier", "Auth", "Backend", "FastMCP", "MCPServer", "Proxy")

    def __init__(self, ctx):
        super().__init__(ctx)
        parts = ctx.document.path.split("/")
        self.skip_file = bool(NON_PRODUCTION_DIRS.intersection(parts[:-1]))

    def visit_Call(self, node: cst.Call) -> None:
        if self.skip_file or not self._is_auth_or_server(node):
            return
        for arg in node.args:
            if arg.keyword is None or not CREDENTIAL_KWARG.search(arg.keyword.value) or NOT_A_CREDENTIAL_KWARG.search(arg.keyword.value):
                continue
            if string_value(arg.value):
                self.report(arg, f"`{arg.keyword.value}=` is a string literal in `{_last(node.func)}(...)`: the credential ships with the source")

    def _is_auth_or_server(self, call: cst.Call) -> bool:
        name = _last(call.func)
        if name in DEV_VERIFIERS:
            return False  # MCP0204 reports these
        if name in ("add_middleware", "Middleware"):
            return True
        qualify = self.model.qualify
        return _is_server_constructor(call, self.model) or bool(AUTH_COMPONENT.search(name)) or auth.is_known_auth(call, qualify) or auth.is_auth_provider(call, qualify)

    VALID = [
        Valid(
            """
            import os
            from starlette.middleware import Middleware
            from starlette.middleware.sessions import SessionMiddleware
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import JWTVerifier

            mcp = FastMCP("x", auth=JWTVerifier(public_key="-----BEGIN PUBLIC KEY-----", issuer="https://id.example.com"))
            middleware = [Middleware(SessionMiddleware, secret_key=os.environ["SESSION_SECRET"])]
            app = mcp.http_app(middleware=middleware)
            app.add_middleware(ApiKeyMiddleware, api_key_header="X-API-Key", api_key="")
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP

            def build():
                return FastMCP("x", auth=GitHubProvider(client_id="demo", client_secret="demo-secret"))
            """,
            path="examples/github_auth.py",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from fastmcp import FastMCP
            from .auth import ApiKeyMiddleware

            mcp = FastMCP("x")
            app = mcp.http_app()
            app.add_middleware(ApiKeyMiddleware, api_key="k-9f2c1e")
            """,
            path="pkg/server.py",
            files={"pkg/__init__.py": "", "pkg/auth.py": ""},
            line=6,
            message="`api_key=` is a string literal in `add_middleware(...)`",
        ),
        Invalid(
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.github import GitHubProvider

            mcp = FastMCP("x", auth=GitHubProvider(client_id="Iv1.abc", client_secret="4f0c2b9e7d", base_url="https://mcp.example.com"))
            """,
            line=4,
            message="`client_secret=`",
        ),
    ]
