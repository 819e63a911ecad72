"""What the health-probe rules (checklist item 8) read: the HTTP routes and ports the Python
server serves, and the probes that Dockerfiles, Kubernetes manifests and compose files point at
it. Every value is picklable (project-rule facts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Set, Tuple
from urllib.parse import urlsplit

import libcst as cst

from mcp_lint.literals import HEALTH_DOC, is_health_handler, parse_int
from mcp_lint.model import Location
from mcp_lint.python import walk
from mcp_lint.python.names import dotted, keyword, positional, string_value

from mcp_lint.deploy import flag_value, shell_words
from mcp_lint.documents import ecs

from ..deploy.facts import exec_words, servers_in
from ..deploy.sources import BATCH_KINDS, chart_commands, command_words, ecs_command, is_third_party_image, serving_chart, serving_containers

HEALTH_PATH = re.compile(r"(?:^|/)(?:health|healthz|health[-_]?check|livez|readyz|ready|readiness|live|liveness|ping|status|up)/?$", re.I)
# A route handler named like a health check (`health_check`, `healthz`, `get_health`): its author
# made it the probe endpoint, whatever path it is mounted on (`Route("/", endpoint=health_check)`).
# The endpoints the SDKs serve by default: a plain GET there is 400/405/406, never 200.
MCP_PATHS = {"/mcp", "/sse", "/messages"}
MCP_PATH_KEYWORDS = ("path", "streamable_http_path", "sse_path", "message_path")
ROUTE_DECORATORS = {"get", "head", "post", "put", "delete", "patch", "route", "api_route", "custom_route", "websocket"}
ROUTE_CALLS = {"Route", "add_route", "add_api_route", "custom_route", "WebSocketRoute"}
# Calls that add routes we cannot enumerate (sub-apps, routers with prefixes, exporters).
OPEN_ROUTE_CALLS = {"Mount", "mount", "include_router", "Host", "include_routes"}
PORT_FLAGS = ("--port", "-p", "--bind", "-b")
_URL = re.compile(r"https?://[^\s\"'`;|&)]+")
_URL_TAIL = ",.:"  # punctuation of the code around a URL (`Request(http://host/mcp, ...)` once split)
_POST_METHOD = re.compile(r"(?:^|\s)(?:-X\s*POST|--request[\s=]+POST)(?:\s|$)|\bmethod\s*[=:]\s*['\"]?POST\b")
# What sends a body: curl/wget flags, a keyword or property holding one, or a JSON-RPC message
# written in the command (positional bodies such as `Request(url, payload)` show one of these).
_BODY = re.compile(r"(?:^|\s)(?:-d|--data[\w-]*|--post-data|--json)(?:\s|=|$)|\b(?:data|body|json)\s*[=:]|jsonrpc|initialize|\.encode\(|dumps\(")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1"}
PROBE_TOOLS = ("curl", "wget")
SLIM_BASE = re.compile(r"(?:^|/)(?:distroless|scratch$)|-slim(?:$|[-@])|:slim(?:$|-)", re.I)


@dataclass(frozen=True)
class Probe:
    what: str  # "Dockerfile HEALTHCHECK", "readinessProbe of Deployment `mcp` container `server`"
    path: Optional[str]
    port: Optional[int]
    post: bool  # the probe sends a body (an MCP initialize), not a plain GET
    location: Location
    tool: str = ""  # "curl" | "wget" when the probe runs one
    image_lacks_tool: str = ""  # the slim base image that has no such tool, when known
    # The probe fails on an HTTP error status (a Kubernetes httpGet, `curl -f`, wget, urllib);
    # `curl URL` and `fetch(url).catch(...)` pass on any answer, so a 405 does not fail them.
    fails_on_error_status: bool = True
    # `-X POST` or urllib's `method='POST'` with nothing to send: the MCP endpoint answers 400 or
    # 415 (no JSON-RPC message, no `Content-Type: application/json`).
    bodiless_post: bool = False


@dataclass
class PythonHttp:
    servers: List[Location] = field(default_factory=list)  # HTTP transport calls of MCP servers
    routes: List[Tuple[str, Location]] = field(default_factory=list)
    open_routes: bool = False
    mcp_paths: Set[str] = field(default_factory=set)
    ports: Set[int] = field(default_factory=set)
    dynamic_port: bool = False
    # Health routes whose handler returns a constant: (path, location of the route).
    constant_health: List[Tuple[str, Location]] = field(default_factory=list)
    # Routes whose handler is named like a health check, whatever their path: (path, location).
    named_health: List[Tuple[str, Location]] = field(default_factory=list)


@dataclass
class DeployProbes:
    probes: List[Probe] = field(default_factory=list)
    ports: Set[int] = field(default_factory=set)  # from `--port` flags of server commands
    dynamic_port: bool = False
    has_image_healthcheck: bool = False  # a Dockerfile HEALTHCHECK (compose services inherit it)
    # Workloads serving the MCP server without a readiness probe / healthcheck: (label, location).
    unprobed: List[Tuple[str, Location]] = field(default_factory=list)


# -- Python -------------------------------------------------------------------------------




class PythonHttpReader:
    """Fed by a rule's visits; `facts` is the result."""

    def __init__(self, model, document):
        self.model = model
        self.document = document
        self.facts = PythonHttp()
        self._constant_handlers: Set[str] = set()  # functions of this file that return a constant response
        self._documented_health: Set[str] = set()  # functions whose docstring says they answer health checks
        # Loop variables over a literal table (`for route, handler in [("/health", health), ...]`):
        # name -> the values it takes, while the loop's body is read.
        self._loop_values: Dict[str, List[cst.BaseExpression]] = {}
        self._tables: Dict[int, Dict[str, cst.BaseExpression]] = {}  # per scope (id), its literal tables
        if model.is_mcp:
            self.facts.servers = [document.location(call) for call, kind in model.transport_calls if kind == "http"]

    def function(self, node: cst.FunctionDef) -> None:
        if _returns_constant(node):
            self._constant_handlers.add(node.name.value)
        if HEALTH_DOC.search(node.get_docstring() or ""):
            self._documented_health.add(node.name.value)  # `"""Root endpoint for health check."""`
        for dec in node.decorators:
            call = dec.decorator
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value in ROUTE_DECORATORS:
                self._route(call, node.name.value)

    def loop(self, node: cst.For, scope: cst.CSTNode) -> None:
        """`for route, handler in health_routes:` over a literal list of tuples (written in the
        loop or bound in the enclosing function or module): the columns each name takes."""
        tables: Dict[str, cst.BaseExpression] = {}
        if isinstance(node.iter, cst.Name):
            if id(scope) not in self._tables:
                self._tables[id(scope)] = _literal_tables(scope)
            tables = self._tables[id(scope)]
        rows = _literal_rows(node.iter, tables)
        targets = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) else []
        for index, element in enumerate(targets):
            if isinstance(element.value, cst.Name) and rows and all(isinstance(r, (cst.Tuple, cst.List)) and len(r.elements) == len(targets) for r in rows):
                self._loop_values[element.value.value] = [r.elements[index].value for r in rows]

    def end_loop(self, node: cst.For) -> None:
        targets = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) else []
        for element in targets:
            if isinstance(element.value, cst.Name):
                self._loop_values.pop(element.value.value, None)

    def _health_route(self, path: str, handler: str, where: Location) -> None:
        """A route that answers probes: a health path, or a handler named or documented as a
        health check;
        noted as constant when the handler (defined before) always answers the same."""
        named = is_health_handler(handler) or handler in self._documented_health
        if named:
            self.facts.named_health.append((path, where))
        if (named or HEALTH_PATH.search(path)) and handler in self._constant_handlers:
            self.facts.constant_health.append((path, where))

    def call(self, node: cst.Call) -> None:
        name = (dotted(node.func) or "").split(".")[-1]
        qualified = self.model.qualify(node.func) or ""
        if name in ROUTE_CALLS:
            self._route(node)
        elif name in OPEN_ROUTE_CALLS or qualified.startswith("prometheus_client.") or keyword(node, "prefix") is not None:
            self.facts.open_routes = True
        for key in MCP_PATH_KEYWORDS:
            arg = keyword(node, key)
            text = string_value(arg.value) if arg is not None else None
            if text and text.startswith("/") and self._is_server_call(node):
                self.facts.mcp_paths.add(text.rstrip("/") or "/")
        port = keyword(node, "port")
        if port is not None and self._is_server_call(node):
            value = port.value
            number = parse_int(value.value) if isinstance(value, cst.Integer) else None
            if number is not None:
                self.facts.ports.add(number)
            else:
                self.facts.dynamic_port = True

    def comparison(self, node: cst.Comparison, function: Optional[cst.FunctionDef]) -> None:
        """`if scope["path"] == "/health":` in a raw ASGI app (or `request.url.path == "/livez"`,
        in a function handed the request): the app answers that path itself. Not a file path
        compared in code that serves no request."""
        if function is None or not _REQUEST_PARAMS.intersection(p.name.value for p in function.params.params):
            return
        left = node.left
        for target in node.comparisons:
            right = target.comparator
            if isinstance(target.operator, cst.Equal):
                for subject, value in ((left, right), (right, left)):
                    text = string_value(value) if isinstance(value, cst.SimpleString) else None
                    if text and text.startswith("/") and _names_path(subject):
                        where = self.document.location(node)
                        self.facts.routes.append((text, where))
                        self._health_route(text, "", where)
            left = right

    def _is_server_call(self, node: cst.Call) -> bool:
        """A server constructor, a transport call, or a method of a known server."""
        if any(call is node for call, _ in self.model.transport_calls):
            return True
        if any(server.call is node for server in self.model.servers):
            return True
        func = node.func
        return isinstance(func, cst.Attribute) and self.model.server_named(dotted(func.value)) is not None

    def _route(self, call: cst.Call, handler: str = "") -> None:
        arg = keyword(call, "path") or positional(call, 0)
        if arg is not None and isinstance(arg.value, cst.Name) and arg.value.value in self._loop_values:
            for value in self._loop_values[arg.value.value]:  # each path of the table the loop walks
                self._one_route(call, string_value(value), handler)
            return
        self._one_route(call, string_value(arg.value) if arg is not None else None, handler)

    def _one_route(self, call: cst.Call, text: Optional[str], handler: str) -> None:
        if text is None or not text.startswith("/"):
            self.facts.open_routes = True
            return
        where = self.document.location(call)
        self.facts.routes.append((text, where))
        if not handler:  # `Route("/", endpoint=health_check)`, `Route("/", health_check)`
            endpoint = keyword(call, "endpoint") or positional(call, 1)
            handler = (dotted(endpoint.value) or "").rpartition(".")[2] if endpoint is not None else ""
        self._health_route(text, handler, where)


_REQUEST_PARAMS = {"scope", "request", "req"}  # an ASGI app's scope, a handler's request


def _names_path(expr: cst.BaseExpression) -> bool:
    """`path`, `request.url.path`, `scope["path"]`, `scope.get("path")`: a request's path."""
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
        return string_value(expr.slice[0].slice.value) == "path"
    if isinstance(expr, cst.Call):
        first = positional(expr, 0)
        return (dotted(expr.func) or "").endswith(".get") and first is not None and string_value(first.value) == "path"
    return (dotted(expr) or "").rpartition(".")[2] in ("path", "url_path", "request_path")


def _literal_rows(iterable: cst.BaseExpression, tables: Dict[str, cst.BaseExpression]) -> List[cst.BaseExpression]:
    """The elements of a literal list or tuple, written in place or bound to the name (`tables`:
    the scope's names bound once, by assignment, to a literal list or tuple)."""
    if isinstance(iterable, cst.Name):
        iterable = tables.get(iterable.value)
    return [e.value for e in iterable.elements] if isinstance(iterable, (cst.List, cst.Tuple)) else []


def _literal_tables(scope: cst.CSTNode) -> Dict[str, cst.BaseExpression]:
    """Names `scope` (a function or the module) binds exactly once, by assignment, each to the
    value it is bound to when that is a literal list or tuple."""
    found: Dict[str, List[cst.BaseExpression]] = {}
    for node in walk.walk(scope):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            found.setdefault(node.targets[0].target.value, []).append(node.value)
    return {name: values[0] for name, values in found.items() if len(values) == 1 and isinstance(values[0], (cst.List, cst.Tuple))}


def _returns_constant(function: cst.FunctionDef) -> bool:
    """The handler's body (docstring aside) is one `return` of a literal or of a response
    built from literals: it answers the same 200 whatever state the server is in."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    statements = [s for s in body if not _is_docstring(s)]
    if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine):
        return False
    small = statements[0].body
    return len(small) == 1 and isinstance(small[0], cst.Return) and small[0].value is not None and _constant(small[0].value)


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr) and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def _constant(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)):
        return True
    if isinstance(expr, cst.Name):
        return expr.value in ("True", "False", "None")
    if isinstance(expr, cst.Dict):
        return all(isinstance(e, cst.DictElement) and _constant(e.key) and _constant(e.value) for e in expr.elements)
    if isinstance(expr, (cst.List, cst.Tuple)):
        return all(_constant(e.value) for e in expr.elements)
    if isinstance(expr, cst.Call):  # JSONResponse({...}), PlainTextResponse("ok"), Response(status_code=200)
        name = (dotted(expr.func) or "").split(".")[-1]
        return name.endswith("Response") and all(_constant(a.value) for a in expr.args)
    return False


# -- deployment files ---------------------------------------------------------------------


def probe_from_command(words: List[str], what: str, location: Location) -> Optional[Probe]:
    """A probe command (`curl -f http://localhost:8000/health`): its URL, tool and method."""
    text = " ".join(words)
    urls = _URL.findall(text)
    tool = next((w.rsplit("/", 1)[-1] for w in words if w.rsplit("/", 1)[-1] in PROBE_TOOLS), "")
    if not urls:
        return Probe(what, None, None, False, location, tool) if tool else None
    path, port = _url_parts(urls[0].rstrip(_URL_TAIL))
    body = bool(_BODY.search(text))
    return Probe(
        what, path, port, body, location, tool,
        fails_on_error_status=not _passes_any_status(tool, words, text),
        bodiless_post=not body and bool(_POST_METHOD.search(text)),
    )


def _passes_any_status(tool: str, words: List[str], text: str) -> bool:
    """`curl URL` without `-f`/`--fail` exits 0 on a 4xx answer; Node's `fetch` resolves on any
    status unless the script reads it (`res.ok`, `res.status`)."""
    if tool == "curl":
        return not any(w in ("-f", "--fail", "--fail-with-body") or re.match(r"^-[a-zA-Z]*f[a-zA-Z]*$", w) for w in words)
    return "fetch(" in text and not re.search(r"\.ok\b|\.status\b", text)


def _url_parts(url: str) -> Tuple[Optional[str], Optional[int]]:
    """(path, port) of a URL to this container; (None, None) for another host or a template."""
    if "$" in url or "{" in url:
        return None, None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None, None
    if (parts.hostname or "") not in _LOCAL_HOSTS:
        return None, None
    return parts.path or "/", port or (443 if parts.scheme == "https" else 80)


def listen_ports(words: List[str], facts: DeployProbes) -> None:
    """Ports a server command binds (`uvicorn app --port 8000`, `gunicorn -b 0.0.0.0:8000`)."""
    for _, args in servers_in(words):
        for flag in PORT_FLAGS:
            present, value = flag_value(args, flag)
            if not present:
                continue
            number = parse_int((value or "").rsplit(":", 1)[-1])
            if number is not None:
                facts.ports.add(number)
            else:
                facts.dynamic_port = True


def dockerfile_probes(document) -> DeployProbes:
    facts = DeployProbes()
    stage = document.final_stage
    if stage is None:
        return facts
    chain = document.stage_chain(stage)
    base = chain[0].base
    runs = " ".join(i.args for s in chain for i in s.instructions if i.keyword in ("RUN", "COPY", "ADD"))
    for instruction in document.final_instructions("HEALTHCHECK"):
        words = shell_words(re.sub(r"^(?:--\S+\s+)*", "", instruction.args.strip()))
        if not words or words[0].upper() == "NONE":
            continue
        facts.has_image_healthcheck = True
        exec_form = _exec_words(" ".join(words[1:]))
        probe = probe_from_command(exec_form or words[1:], "Dockerfile HEALTHCHECK", document.location(instruction))
        if probe is not None:
            lacks = base if probe.tool and SLIM_BASE.search(base) and not re.search(rf"\b{probe.tool}\b", runs) else ""
            facts.probes.append(replace(probe, image_lacks_tool=lacks))
    for keyword_ in ("ENTRYPOINT", "CMD"):
        for instruction in document.final_instructions(keyword_):
            listen_ports(_exec_words(instruction.args) or shell_words(instruction.args), facts)
    return facts


def _exec_words(text: str) -> Optional[List[str]]:
    import json

    text = text.strip()
    if not text.startswith("["):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return exec_words(value)
    return None


def k8s_probes(document) -> DeployProbes:
    facts = DeployProbes()
    for workload in document.workloads():
        if workload.kind in BATCH_KINDS:
            continue
        for container in workload.containers():
            if is_third_party_image(container.value("image")):
                continue
            label = f"{workload.label} container `{container.value('name') or '?'}`"
            named = {p.value("name"): p.value("containerPort") for p in container.children("ports") if p.value("name")}
            for key in ("command", "args"):
                listen_ports(command_words(container.get(key)) or [], facts)
            for kind in PROBE_KINDS:
                probe = _k8s_probe(container, kind, f"{kind} of {label}", named)
                if probe is not None:
                    facts.probes.append(probe)
            if container.get("readinessProbe") is None and container.get("ports") is not None:
                facts.unprobed.append((f"{label} has no readinessProbe", container.location_of("name")))
    return facts


def _k8s_probe(container, kind: str, what: str, named: Dict[str, Optional[str]]) -> Optional[Probe]:
    probe = container.child(kind)
    return _probe_spec(probe, what, named) if probe is not None else None


def _probe_spec(probe, what: str, named: Dict[str, Optional[str]]) -> Optional[Probe]:
    """The probe a Kubernetes probe mapping (`httpGet` or `exec`) describes."""
    if probe.get("httpGet") is not None:
        port_text = probe.value("httpGet.port") or ""
        port_text = named.get(port_text) or port_text
        port = parse_int(port_text)
        return Probe(what, probe.value("httpGet.path") or "/", port, False, probe.location_of("httpGet.path"))
    words = command_words(probe.get("exec.command"))
    if words:
        return probe_from_command(words, what, probe.location_of("exec.command"))
    return None


PROXY_IMAGES = ("nginx", "caddy", "traefik", "envoy", "haproxy")


def _behind_proxy(document) -> bool:
    """A reverse proxy runs on the compose network: services it forwards to need no `ports:`."""
    for service in document.services():
        image = (service.value("image") or "").split("@")[0].rsplit("/", 1)[-1].split(":")[0].lower()
        if image.startswith(PROXY_IMAGES):
            return True
    return False


# A compose file for local work (`docker-compose.debug.yml`, `compose.dev.yaml`), a build of a
# development stage, and a command that waits for a debugger or reloads on edits.
_DEVELOPMENT_FILE = re.compile(r"(?:^|[.\-_])(?:dev|debug|development)(?:[.\-_]|$)", re.I)
_DEVELOPMENT_TARGETS = {"dev", "debug", "development"}
_DEVELOPMENT_WORDS = {"debugpy", "--wait-for-client", "--reload"}


def _for_development(document, service) -> bool:
    """A service run for local development, not deployed: nothing routes traffic to it that a
    healthcheck would hold back."""
    if _DEVELOPMENT_FILE.search(document.path.rsplit("/", 1)[-1]):
        return True
    if (service.value("build.target") or "").lower() in _DEVELOPMENT_TARGETS:
        return True
    words = [w for key in ("entrypoint", "command") for w in command_words(service.get(key)) or []]
    return bool(_DEVELOPMENT_WORDS.intersection(words))


def compose_probes(document) -> DeployProbes:
    facts = DeployProbes()
    proxied = _behind_proxy(document)
    for service in document.services():
        if service.get("build") is None and is_third_party_image(service.value("image")):
            continue
        if _for_development(document, service):
            continue
        for key in ("entrypoint", "command"):
            listen_ports(command_words(service.get(key)) or [], facts)
        test = service.get("healthcheck.test")
        words = command_words(test) or []
        if words and words[0] in ("CMD", "CMD-SHELL"):
            words = words[1:]
        disabled = service.value("healthcheck.disable") in ("true", "True") or words[:1] == ["NONE"]
        if words and not disabled:
            probe = probe_from_command(words, f"healthcheck of service `{service.name}`", service.location_of("healthcheck.test"))
            if probe is not None:
                facts.probes.append(probe)
        elif service.get("build") is not None and (service.get("ports") is not None or service.get("expose") is not None or proxied):
            facts.unprobed.append((f"service `{service.name}` has no healthcheck", service.key_location()))
    return facts


PROBE_KINDS = ("livenessProbe", "readinessProbe", "startupProbe")
PROBE_ACTIONS = ("httpGet", "exec", "tcpSocket", "grpc")


def helm_probes(document) -> DeployProbes:
    """Probes values.yaml gives the chart's containers, where a template uses them. A
    `readinessProbe:` written in a template itself (not from values, or switched on by a
    values flag such as `readinessProbe.enabled: true`) counts as a probe whose target we
    cannot read."""
    facts = DeployProbes()
    chart = serving_chart(document)
    if chart is None:
        return facts
    for words, _ in chart_commands(document):
        listen_ports(words, facts)
    label = f"Helm chart `{chart.name}`"
    ready = chart.literal_readiness and not chart.uses_key("readinessProbe")
    for kind in PROBE_KINDS:
        for setting in document.settings(kind):
            probe = document.object(setting)
            if probe is None or probe.value("enabled") in ("false", "False"):
                continue
            if not any(probe.get(a) is not None for a in PROBE_ACTIONS):
                # `{{- if .Values.readinessProbe.enabled }}` around a probe the template writes
                switched_on = probe.value("enabled") in ("true", "True")
                ready = ready or (kind == "readinessProbe" and switched_on and chart.literal_readiness)
                continue
            ready = ready or kind == "readinessProbe"
            found = _probe_spec(probe, f"{kind} of {label} (values `{setting.dotted}`)", {})
            if found is not None:
                facts.probes.append(found)
    if chart.serves_ports and not ready:
        facts.unprobed.append((f"{label} has no readinessProbe", document.values.location_of("image")))
    return facts


def ecs_probes(document) -> DeployProbes:
    """`healthCheck.command` of the task definition's serving containers (Docker's form:
    `["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"]`). A container without
    one is not reported: the load balancer's target group health check lives elsewhere."""
    facts = DeployProbes()
    for container, label in serving_containers(document):
        listen_ports(ecs_command(document, container)[0], facts)
        check = container.get("healthCheck")
        member = check.member("command") if check is not None and check.kind == "object" else None
        words = exec_words(ecs.strings(member[1]) or []) if member else []
        if words and words[0] in ("CMD", "CMD-SHELL"):
            words = words[1:]
        if words and words[0] != "NONE":
            probe = probe_from_command(words, f"healthCheck of {label}", document.location(member[1]))
            if probe is not None:
                facts.probes.append(probe)
    return facts


PROBE_READERS = {"dockerfile": dockerfile_probes, "k8s": k8s_probes, "compose": compose_probes, "helm": helm_probes, "ecs": ecs_probes}
