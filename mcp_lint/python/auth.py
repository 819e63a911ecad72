"""Is this code an authentication layer? Answered from what the code does, never from its name.

A class or function is an auth layer when its body reads a credential (an `Authorization`,
API-key or cookie header, `request.cookies`, fastmcp's `get_http_headers()` / `get_access_token()`;
not a header it writes as a dict key, `{"Authorization": f"Bearer {key}"}` for an upstream API)
and refuses the request (a 401/403 status, an `Unauthorized`/`Forbidden`/`Permission...` exception,
any exception whose message says "Unauthorized" or "Forbidden"),
or verifies a token with a JWT library (whose decode raises on a bad token). Constructing a known
auth component counts on its own: the SDKs' `auth=` / `token_verifier=` / `auth_server_provider=`
arguments, fastmcp and mcp auth providers, Starlette's `AuthenticationMiddleware`, FastAPI
security dependencies, authlib's resource protectors.

It also recognises the two fail-open shapes: a layer that lets every request through when the
expected key is empty (`if not API_KEY: return await call_next(request)`, `if API_KEY and token !=
API_KEY: deny`), and auth that is only mounted when an environment variable is set.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, List, Optional, Set

import libcst as cst

from mcp_lint.python import walk
from mcp_lint.python.names import dotted, keyword, last_part, positional, string_value

AUTH_KWARGS = ("auth", "token_verifier", "auth_server_provider")
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token", "x-access-token"})
# A project's own API-key header (`x-mcp-api-key`, `x-myapp-auth-token`), and a constant named for one
# (`MCP_API_KEY_HEADER = "x-mcp-api-key"`, read as `headers.get(MCP_API_KEY_HEADER)`).
CREDENTIAL_HEADER_NAME = re.compile(r"x-[a-z0-9-]*-(?:api-key|apikey|auth-token|access-token)")
CREDENTIAL_HEADER_CONSTANT = re.compile(r"[A-Z0-9_]*(?:API_KEY|APIKEY|AUTH|TOKEN)[A-Z0-9_]*_HEADER(?:_NAME)?")
# Headers that carry the MCP transport's own credential, not a key for some upstream API.
TRANSPORT_CREDENTIALS = frozenset({"authorization", "proxy-authorization", "cookie"})
DENY_STATUSES = frozenset({401, 403})
DENY_NAMES = frozenset({"HTTP_401_UNAUTHORIZED", "HTTP_403_FORBIDDEN", "UNAUTHORIZED", "FORBIDDEN"})
DENY_EXCEPTION = re.compile(r"unauthori[sz]ed|forbidden|permission|authenticationerror|authorizationerror|autherror|accessdenied", re.IGNORECASE)
DENY_TEXT = re.compile(r"\bunauthori[sz]ed\b|\bforbidden\b", re.IGNORECASE)
CREDENTIAL_GETTERS = frozenset({"get_http_headers", "get_access_token", "get_http_request"})
JWT_VERIFIERS = frozenset({"jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode", "authlib.jose.jwt.decode"})
# Components that authenticate as soon as they are built (a wrapper, a security dependency).
KNOWN_AUTH_PREFIXES = ("fastapi.security.", "authlib.integrations.")
KNOWN_AUTH_CLASSES = frozenset({
    "starlette.middleware.authentication.AuthenticationMiddleware",
    "mcp.server.auth.middleware.bearer_auth.RequireAuthMiddleware",
    "mcp.server.auth.middleware.bearer_auth.BearerAuthBackend",
    "authlib.oauth2.rfc6749.ResourceProtector",
})
# Providers and verifiers: they authenticate only once passed to a server (`auth=`).
AUTH_PROVIDER_PREFIXES = ("fastmcp.server.auth.", "mcp.server.auth.")
SECRET_NAME = re.compile(r"(?:^|_)(?:key|keys|token|tokens|secret|password|api_?key|credentials?)(?:_|$)", re.IGNORECASE)
ENV_READS = frozenset({"os.getenv", "os.environ.get", "os.environ"})
# Words that make a value a confirmation, in either language: a password typed again
# (`new_password != confirm_password`, `confirmPass !== passphrase`) or a token a caller
# echoes to confirm an action (`args.confirmToken !== expectedToken`): checked against the same
# person's other input or against what the server showed them, not a credential.
CONFIRMATION_WORDS = frozenset({"confirm", "confirmation", "confirmed", "retype", "retyped", "repeat", "repeated"})


def _last(expr: cst.BaseExpression) -> str:
    return last_part(dotted(expr))


def _nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    return walk.walk(node)


def plain_literal(raw: str) -> bool:
    """A string literal's source whose value is its text between the quotes: no escapes, and
    nothing `evaluated_value` could reject (non-ASCII bytes, NUL). Such a literal's value can be
    ruled out from the source text without evaluating it."""
    return "\\" not in raw and raw.isascii() and "\x00" not in raw


# Longest value a credential header literal can have, plus a prefix and triple quotes.
_HEADER_LITERAL = max(len(h) for h in CREDENTIAL_HEADERS) + 8


def _credential_header(name: Optional[str]) -> bool:
    return name is not None and (name in CREDENTIAL_HEADERS or CREDENTIAL_HEADER_NAME.fullmatch(name) is not None)


def _literal(node: cst.CSTNode) -> Optional[str]:
    """A str or bytes literal's text, lower-cased."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return value.lower() if isinstance(value, str) else None
    return None


def reads_credential(body: cst.CSTNode, qualify) -> bool:
    written = {id(n.key) for n in _nodes(body) if isinstance(n, cst.DictElement)}  # `{"Authorization": ...}` sent upstream
    for node in _nodes(body):
        if isinstance(node, cst.Param) and _header_param(node):
            return True
        if isinstance(node, cst.SimpleString) and id(node) not in written and _credential_header(_literal(node)):
            return True
        if isinstance(node, cst.Name) and CREDENTIAL_HEADER_CONSTANT.fullmatch(node.value):
            return True
        if isinstance(node, cst.Attribute) and node.attr.value == "cookies":
            return True
        if isinstance(node, cst.Call) and _last(node.func) in CREDENTIAL_GETTERS:
            return True
    return False


def _header_param(param: cst.Param) -> bool:
    """FastAPI `x_api_key: str = Header(...)` / `session: str = Cookie(...)` parameters."""
    default = param.default
    if not isinstance(default, cst.Call):
        return False
    kind = _last(default.func)
    return kind == "Cookie" or (kind == "Header" and _credential_header(param.name.value.replace("_", "-").lower()))


def denies(body: cst.CSTNode) -> bool:
    """Whether the code answers 401/403 (a status it sends, a denial it raises). A status a
    comparison tests (`if response.status_code == 403:`, `in (401, 403)`) is an upstream's
    answer read, not one given."""
    tested = {id(n) for c in _nodes(body) if type(c) is cst.Comparison for n in walk.walk(c) if type(n) is cst.Integer}
    for node in _nodes(body):
        if isinstance(node, cst.Integer) and node.evaluated_value in DENY_STATUSES and id(node) not in tested:
            return True
        if isinstance(node, (cst.Name, cst.Attribute)) and _last(node) in DENY_NAMES:
            return True
        if isinstance(node, cst.Raise) and _denying_raise(node):
            return True
    return False


def _denying_raise(node: cst.Raise) -> bool:
    """`raise HTTPException(status_code=403)`'s kin: a denial class (`Unauthorized`, `PermissionDenied`),
    or any exception whose message says so (`McpError(ErrorData(code=-32001, message="Unauthorized: ..."))`)."""
    if node.exc is None:
        return False
    raised = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
    return bool(DENY_EXCEPTION.search(_last(raised))) or any(
        DENY_TEXT.search(_literal(n) or "") for n in _nodes(node.exc) if isinstance(n, cst.SimpleString))


def verifies_jwt(body: cst.CSTNode, qualify) -> bool:
    return any(isinstance(n, cst.Call) and (qualify(n.func) or "") in JWT_VERIFIERS for n in _nodes(body))


def is_auth_layer(definition: cst.CSTNode, qualify) -> bool:
    """A class or function that reads a credential and refuses requests without a good one."""
    if verifies_jwt(definition, qualify):
        return True
    return reads_credential(definition, qualify) and denies(definition)


# What a subtree holds, as bits: is_auth_layer is (JWT) or (CREDENTIAL and DENIAL).
_JWT, _CREDENTIAL, _DENIAL = 1, 2, 4
_ALL = _JWT | _CREDENTIAL | _DENIAL
# Exact node types (libcst's classes are ABCs: isinstance is slow): definitions, and the nodes
# `verifies_jwt`, `reads_credential` and `denies` look at.
_DEFINITIONS = frozenset({cst.ClassDef, cst.FunctionDef})
_TELLING = frozenset({cst.Call, cst.Name, cst.Attribute, cst.SimpleString, cst.Param, cst.Integer, cst.Raise})


class AuthLayers:
    """`is_auth_layer` for the classes and functions of one file, each node looked at once.

    Rules ask about every class and function, and a method sits inside its class (a closure
    inside its function): walking each definition again would look at nested code once per
    enclosing definition. Here a definition's answer combines what its own statements hold
    with the remembered answers of the definitions nested in it. Same answers as
    `is_auth_layer`; one instance per file (`layers_of`)."""

    def __init__(self, qualify) -> None:
        self.qualify = qualify
        self._held: dict = {}  # definition node -> bits of its subtree

    def is_auth_layer(self, definition: cst.CSTNode) -> bool:
        bits = self._bits(definition)
        return bool(bits & _JWT) or (bits & (_CREDENTIAL | _DENIAL)) == (_CREDENTIAL | _DENIAL)

    def _bits(self, definition: cst.CSTNode) -> int:
        held = self._held.get(definition)
        if held is not None:
            return held
        bits = 0
        stack = [definition]
        definitions, telling, own, children = _DEFINITIONS, _TELLING, self._own, walk.children
        while stack and bits != _ALL:  # every bit found: the rest cannot change the answer
            node = stack.pop()
            kind = type(node)
            if kind in definitions and node is not definition:
                bits |= self._bits(node)
                continue
            if kind is cst.Comparison:  # a status it tests is read, not given (as in `denies`)
                bits |= self._bits_of_test(node)
                continue
            if kind is cst.DictElement and type(node.key) is cst.SimpleString:
                stack.append(node.value)  # a header it writes (`{"Authorization": f"Bearer {key}"}`), not one it reads
                continue
            if kind in telling:
                bits |= own(node)
            stack.extend(children(node))
        self._held[definition] = bits
        return bits

    def _bits_of_test(self, comparison: cst.Comparison) -> int:
        bits = 0
        for node in walk.walk(comparison):  # an expression: it holds no definition
            if type(node) in _TELLING and type(node) is not cst.Integer:
                bits |= self._own(node)
        return bits

    def _own(self, node: cst.CSTNode) -> int:
        """The bits `verifies_jwt`, `reads_credential` and `denies` test on this one node."""
        kind = type(node)
        if kind is cst.Call:
            bits = _CREDENTIAL if _last(node.func) in CREDENTIAL_GETTERS else 0
            return bits | (_JWT if (self.qualify(node.func) or "") in JWT_VERIFIERS else 0)
        if kind is cst.Name:
            return _DENIAL if node.value in DENY_NAMES else _CREDENTIAL if CREDENTIAL_HEADER_CONSTANT.fullmatch(node.value) else 0
        if kind is cst.Attribute:
            bits = _CREDENTIAL if node.attr.value == "cookies" else 0
            return bits | (_DENIAL if node.attr.value in DENY_NAMES and _last(node) in DENY_NAMES else 0)
        if kind is cst.SimpleString:
            if len(node.value) > _HEADER_LITERAL and plain_literal(node.value):
                return 0  # too long to be a header name
            return _CREDENTIAL if _credential_header(_literal(node)) else 0
        if kind is cst.Param:
            return _CREDENTIAL if _header_param(node) else 0
        if kind is cst.Integer:
            return _DENIAL if node.evaluated_value in DENY_STATUSES else 0
        if kind is cst.Raise:
            return _DENIAL if _denying_raise(node) else 0
        return 0


def layers_of(model) -> AuthLayers:
    """The file's shared AuthLayers (kept in the MCP model's per-file memo)."""
    layers = model.memo.get("auth-layers")
    if layers is None:
        layers = model.memo["auth-layers"] = AuthLayers(model.qualify)
    return layers


def _known(expr: cst.BaseExpression, qualify) -> bool:
    name = qualify(expr) or ""
    return name in KNOWN_AUTH_CLASSES or name.startswith(KNOWN_AUTH_PREFIXES)


def is_auth_provider(call: cst.Call, qualify) -> bool:
    """`JWTVerifier(...)`, `GitHubProvider(...)`, an SDK token verifier: auth once mounted."""
    return (qualify(call.func) or "").startswith(AUTH_PROVIDER_PREFIXES)


def is_known_auth(call: cst.Call, qualify) -> bool:
    """Builds or mounts a known auth component: `JWTVerifier(...)`,
    `add_middleware(AuthenticationMiddleware, backend=...)`, `Depends(HTTPBearer())`."""
    if _known(call.func, qualify):
        return True
    if _last(call.func) not in ("add_middleware", "Middleware"):
        return False
    first = positional(call, 0)
    return first is not None and _known(first.value, qualify)


def is_none(expr: Optional[cst.BaseExpression]) -> bool:
    return expr is None or (isinstance(expr, cst.Name) and expr.value == "None")


def auth_arguments(call: cst.Call) -> List[cst.Arg]:
    """`auth=` / `token_verifier=` / `auth_server_provider=` arguments that are not None."""
    if not any(arg.keyword is not None and arg.keyword.value in AUTH_KWARGS for arg in call.args):
        return []
    return [arg for arg in (keyword(call, k) for k in AUTH_KWARGS) if arg is not None and not is_none(arg.value)]


def referenced_layers(call: cst.Call) -> Iterator[str]:
    """Names a call may mount as middleware or dependency: the callee itself (a wrapper
    `ApiKeyAuth(app)` or an instance), the first argument of `add_middleware(X)`,
    `Middleware(X)`, `Depends(fn)`, `Security(fn)`, and the elements of `middleware=[...]`."""
    last = _last(call.func)
    yield last
    first = positional(call, 0) if last in ("add_middleware", "Middleware", "Depends", "Security") else None
    if first is not None:
        yield _last(first.value)
    if not any(arg.keyword is not None for arg in call.args):
        return
    for name in ("middleware", "dependencies", "dependency"):
        arg = keyword(call, name)
        if arg is not None and isinstance(arg.value, (cst.List, cst.Tuple)):
            for element in arg.value.elements:
                value = element.value
                yield _last(value.func) if isinstance(value, cst.Call) else _last(value)


# -- fail-open shapes -------------------------------------------------------------------------


def _secret_name(expr: cst.BaseExpression) -> Optional[str]:
    name = _last(expr)
    return name if name and SECRET_NAME.search(name) else None


def _unset_test(test: cst.BaseExpression) -> Optional[str]:
    """`not KEY`, `KEY is None`, `KEY == ""`, `not self.api_key`: the expected secret is unset."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _secret_name(test.expression)
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        empty = is_none(target.comparator) or string_value(target.comparator) == ""
        if empty and isinstance(target.operator, (cst.Is, cst.Equal)):
            return _secret_name(test.left)
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        return _unset_test(test.left) or _unset_test(test.right)
    return None


def _lets_through(body: cst.CSTNode) -> bool:
    """The branch hands the request on: `call_next(...)`, `self.app(...)`, `return True`."""
    for node in _nodes(body):
        if isinstance(node, cst.Call) and (_last(node.func) in ("call_next", "app") or dotted(node.func) == "self.app"):
            return True
        if isinstance(node, cst.Return) and isinstance(node.value, cst.Name) and node.value.value == "True":
            return True
    return False


def fail_open_checks(definition: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Places where an auth layer passes every request while its expected secret is empty."""
    for node in _nodes(definition):
        if isinstance(node, cst.If):
            if _unset_test(node.test) and _lets_through(node.body) and not _tests_looked_up(definition, node):
                yield node  # `if not API_KEY: return await call_next(request)`
            elif _guarded_comparison(node.test) and denies(node.body) and not _looked_up(_function_of(definition, node), dotted(node.test.left)):
                yield node  # `if API_KEY and token != API_KEY: deny` lets everything in when unset


def _tests_looked_up(definition: cst.CSTNode, node: cst.If) -> bool:
    """`if not access_token: return True` where `access_token = token_data.get(...)`: a local
    the layer looked up tested alone, not an expected secret (a token-refresh check)."""
    test = node.test
    tested = test.expression if isinstance(test, cst.UnaryOperation) else test.left if isinstance(test, cst.Comparison) else None
    return isinstance(tested, cst.Name) and _looked_up(_function_of(definition, node), tested.value)


def _guarded_comparison(test: cst.BaseExpression) -> bool:
    """`X and <comparison with X>`: the comparison only runs when the expected value is set."""
    if not (isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And)):
        return False
    guard = dotted(test.left)
    if guard is None:
        return False
    for node in _nodes(test.right):
        if isinstance(node, cst.Comparison) or (isinstance(node, cst.Call) and _last(node.func) == "compare_digest"):
            if any(dotted(n) == guard for n in _nodes(node) if isinstance(n, (cst.Name, cst.Attribute))):
                return True
    return False


def _function_of(definition: cst.CSTNode, node: cst.CSTNode) -> cst.CSTNode:
    """The innermost function of `definition` holding `node` (asked only of a reported check)."""
    found = definition
    for function in _nodes(definition):
        if isinstance(function, cst.FunctionDef) and any(n is node for n in _nodes(function)):
            found = function  # outer functions come first in the walk: the last is the innermost
    return found


def _looked_up(definition: cst.CSTNode, guard: str) -> bool:
    """The guard is a local the layer looked up or took from the request (`client =
    store.get_client(cid)`, `client_id = payload.get("client_id")`), not an expected secret:
    every binding of it here is a call that reads no environment or settings."""
    values = [t.value for t in _nodes(definition) if isinstance(t, cst.Assign)
              and any(isinstance(a.target, cst.Name) and a.target.value == guard for a in t.targets)]
    return bool(values) and all(isinstance(v, cst.Call) and not _EXPECTED_SOURCE.search(dotted(v.func) or "") for v in values)


# Where an expected secret comes from when a call returns it.
_EXPECTED_SOURCE = re.compile(r"environ|getenv|settings|config|secret", re.IGNORECASE)


def env_names(module: cst.Module, qualify) -> Set[str]:
    """Module-level names bound from an environment read (`AUTH_TOKEN = os.getenv(...)`)."""
    names: Set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None and reads_env(small.value, qualify):
                targets = small.targets if isinstance(small, cst.Assign) else [cst.AssignTarget(small.target)]
                names.update(t.target.value for t in targets if isinstance(t.target, cst.Name))
    return names


_STRING_METHODS = {"lower": str.lower, "upper": str.upper, "strip": str.strip, "casefold": str.casefold}


def holds_when_unset(test: cst.BaseExpression, qualify) -> Optional[bool]:
    """The value of an `if` test on one environment variable when that variable is unset, from
    the literal default of its read: `os.getenv("OMIT_AUTH", "false").lower() != "true"` holds
    (auth stays on without the variable); None when the test is not of that form."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = holds_when_unset(test.expression, qualify)
        return None if inner is None else not inner
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        value, target = _unset_value(test.left, qualify), test.comparisons[0]
        options = target.comparator.elements if isinstance(target.comparator, (cst.Tuple, cst.List, cst.Set)) else [target]
        literals = [string_value(o.value if isinstance(o, cst.BaseElement) else o.comparator) for o in options]
        if value is None or None in literals:
            return None
        operator = target.operator
        if isinstance(operator, (cst.Equal, cst.In)):
            return value in literals
        if isinstance(operator, (cst.NotEqual, cst.NotIn)):
            return value not in literals
        return None
    value = _unset_value(test, qualify)
    return None if value is None else bool(value)


def _unset_value(expr: cst.BaseExpression, qualify) -> Optional[str]:
    """`os.getenv("X", "False").lower()` -> "false": what the read gives when X is unset."""
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value in _STRING_METHODS and not expr.args:
        inner = _unset_value(expr.func.value, qualify)
        return None if inner is None else _STRING_METHODS[expr.func.attr.value](inner)
    if isinstance(expr, cst.Call) and (qualify(expr.func) or "") in ("os.getenv", "os.environ.get"):
        default = positional(expr, 1) or keyword(expr, "default")
        return string_value(default.value) if default is not None else ""
    return None


def reads_env(expr: cst.CSTNode, qualify, names: Iterable[str] = ()) -> bool:
    """The expression reads the environment, directly or through a name bound from it."""
    known = set(names)
    for node in _nodes(expr):
        if isinstance(node, cst.Call) and (qualify(node.func) or "") in ENV_READS:
            return True
        if isinstance(node, cst.Subscript) and (qualify(node.value) or "") == "os.environ":
            return True
        if isinstance(node, cst.Name) and node.value in known:
            return True
    return False
