"""Deployment facts per file kind (see `facts.py` for what is collected and why)."""

from __future__ import annotations

import posixpath
import re
from typing import List, Optional, Set, Tuple

import libcst as cst
from yaml.nodes import MappingNode, ScalarNode

from mcp_lint.documents.yaml_docs import YamlObject, items, scalar
from mcp_lint.model import Location
from mcp_lint.python import walk
from mcp_lint.python.names import ImportTable, dotted, keyword, positional, string_value

from mcp_lint.documents import ecs
from mcp_lint.deploy import image_name, shell_words
from mcp_lint.documents.dockerfile import env_pairs

from .facts import DRAIN_NAME, DeployFacts, Drain, Grace, command_facts, drain_from_variable, duration, exec_words, note_variable

K8S_DEFAULT_GRACE = 30.0  # PodSpec.terminationGracePeriodSeconds: "Defaults to 30 seconds"
COMPOSE_DEFAULT_GRACE = 10.0  # compose stop_grace_period / `docker stop` timeout
BATCH_KINDS = ("Job", "CronJob")
# Public images of databases (graph and vector stores too), brokers, proxies and their admin
# UIs: their grace period, probes and ports are not the MCP server's. Matched on the image's
# last path part (`pgvector/pgvector:pg17` -> `pgvector`).
THIRD_PARTY_IMAGES = (
    "postgres", "pgvector", "redis", "valkey", "mysql", "mariadb", "mongo", "memcached", "rabbitmq", "nats", "kafka",
    "zookeeper", "elasticsearch", "opensearch", "minio", "nginx", "caddy", "traefik", "envoy", "haproxy",
    "grafana", "prometheus", "jaeger", "all-in-one", "opentelemetry-collector", "localstack", "cloud-sql-proxy",
    "neo4j", "memgraph", "falkordb", "qdrant", "weaviate", "milvus", "chroma", "clickhouse", "cassandra", "etcd",
    "ollama", "redpanda", "pgadmin", "adminer", "keycloak", "vault", "consul", "loki", "tempo", "zipkin", "mailhog",
)
ENV_GETTERS = {"os.getenv", "os.environ.get"}
SERVER_PACKAGES = ("mcp", "fastmcp", "uvicorn", "hypercorn", "gunicorn", "starlette", "fastapi")
_SLEEP = re.compile(r"\bsleep\s+(\d+(?:\.\d+)?)s?\b")


def is_third_party_image(image: Optional[str]) -> bool:
    """A public database, broker or proxy image; an MCP server named after what it wraps
    (`prometheus-mcp-server`, `redis-mcp`) is not one."""
    if not image:
        return False
    name = image_name(image).lower()
    return name.startswith(THIRD_PARTY_IMAGES) and "mcp" not in name


def command_words(node) -> Optional[List[str]]:
    """Words of a command written as a YAML string or list (list items with spaces, as in
    `["sh", "-c", "uvicorn app --port 80"]`, are split too); None when not literal."""
    text = scalar(node)
    if text is not None:
        return shell_words(text)
    values = [scalar(n) for n in items(node)]
    if not values or any(v is None for v in values):
        return None
    return exec_words(values)


# -- Kubernetes ---------------------------------------------------------------------------


def prestop_seconds(container: YamlObject, hook: str = "lifecycle.preStop") -> float:
    """Seconds a container's preStop hook sleeps (`sleep.seconds`, or `sleep N` in exec)."""
    seconds = duration(container.value(f"{hook}.sleep.seconds"))
    if seconds is not None:
        return seconds
    words = command_words(container.get(f"{hook}.exec.command")) or []
    match = _SLEEP.search(" ".join(words))
    return float(match.group(1)) if match else 0.0


def k8s_facts(document) -> DeployFacts:
    facts = DeployFacts()
    for workload in document.workloads():
        spec = workload.pod_spec()
        if spec is None or workload.kind in BATCH_KINDS:
            continue
        containers = spec.children("containers")
        if containers and all(is_third_party_image(c.value("image")) for c in containers):
            continue
        local: List[Drain] = []
        for container in containers:
            _container_facts(container, facts, local)
        grace = _k8s_grace(workload, spec)
        if grace is not None:
            grace.prestop = max((prestop_seconds(c) for c in containers), default=0.0)
            grace.local_drains = local
            facts.graces.append(grace)
    return facts


def _container_facts(container: YamlObject, facts: DeployFacts, local: List[Drain]) -> None:
    for env in container.children("env"):
        name = env.value("name")
        if name:
            note_variable(name, env.value("value"), env.location_of("value"), facts, local)
    words = [*(command_words(container.get("command")) or []), *(command_words(container.get("args")) or [])]
    if words:
        where = "args" if container.get("args") is not None else "command"
        command_facts(words, container.location_of(where), facts, local)


def _k8s_grace(workload, spec: YamlObject) -> Optional[Grace]:
    path = f"{workload.pod_spec_path}.terminationGracePeriodSeconds"
    written = spec.value("terminationGracePeriodSeconds")
    if written is None:
        location = workload.parent_location(path)
        return Grace("Kubernetes", workload.label, K8S_DEFAULT_GRACE, "no terminationGracePeriodSeconds (default 30 s)", location, explicit=False)
    seconds = duration(written)
    if seconds is None:
        return None
    return Grace("Kubernetes", workload.label, seconds, f"terminationGracePeriodSeconds: {written}", workload.location_of(path))


# -- compose ------------------------------------------------------------------------------


def compose_facts(document) -> DeployFacts:
    facts = DeployFacts()
    for service in document.services():
        if service.get("build") is None and is_third_party_image(service.value("image")):
            continue
        local: List[Drain] = []
        _compose_environment(service, facts, local)
        launches = len(facts.launches)
        for key in ("entrypoint", "command"):
            words = command_words(service.get(key))
            if words:
                command_facts(words, service.location_of(key), facts, local)
        grace = _compose_grace(service)
        if grace is not None:
            grace.local_drains = local
            grace.context = _build_context(service)
            if service.get("build") is None and not local and len(facts.launches) == launches:
                grace.image = image_name(service.value("image") or "")
            facts.graces.append(grace)
    return facts


def _build_context(service) -> Optional[str]:
    """The service's build context relative to the project root; None when unknown or remote."""
    if service.get("build") is None:
        return None
    text = service.value("build") or service.value("build.context") or "."
    if ":" in text:
        return None  # a Git URL
    path = posixpath.normpath(posixpath.join(posixpath.dirname(service.document.path), text))
    return None if path.startswith("..") else path


def _compose_environment(service, facts: DeployFacts, local: List[Drain]) -> None:
    env = service.get("environment")
    if isinstance(env, MappingNode):
        for key, value in env.value:
            if isinstance(key, ScalarNode):
                note_variable(key.value, scalar(value), service.document.location(key), facts, local)
    for node in items(env):
        text = scalar(node)
        if text and "=" in text:
            name, _, value = text.partition("=")
            note_variable(name.strip(), value, service.document.location(node), facts, local)


def _compose_grace(service) -> Optional[Grace]:
    label = f"service `{service.name}`"
    written = service.value("stop_grace_period")
    if written is None:
        location = service.key_location()
        return Grace("compose", label, COMPOSE_DEFAULT_GRACE, "no stop_grace_period (default 10 s)", location, explicit=False)
    seconds = duration(written)
    if seconds is None:
        return None
    return Grace("compose", label, seconds, f"stop_grace_period: {written}", service.location_of("stop_grace_period"))


# -- Helm chart values --------------------------------------------------------------------


def serving_chart(document):
    """The chart of a values.yaml when it deploys a long-running workload of the project's
    own image (not a database or proxy chart) and its values.yaml holds a mapping (findings
    are placed in it); None otherwise."""
    chart = document.chart
    if chart is None or document.values is None or not chart.has_workload or is_third_party_image(document.image()):
        return None
    return chart


def chart_commands(document) -> List[Tuple[List[str], Location]]:
    """The command lines values.yaml gives the chart's containers, each placed at its last
    part (`args` when given, as for Kubernetes)."""
    found = []
    for parts in document.command_lines():
        words = [w for setting in parts for w in (command_words(setting.node) or [])]
        if words:
            found.append((words, document.location(parts[-1].key)))
    return found


def helm_facts(document) -> DeployFacts:
    facts = DeployFacts()
    chart = serving_chart(document)
    if chart is None:
        return facts
    local: List[Drain] = []
    for key in ("env", "extraEnv"):
        for setting in document.settings(key):
            _helm_environment(document, setting.node, facts, local)
    for words, location in chart_commands(document):
        command_facts(words, location, facts, local)
    grace = _helm_grace(document, chart)
    if grace is not None:
        hooks = [document.object(s) for s in document.settings("lifecycle")]
        grace.prestop = max((prestop_seconds(h, "preStop") for h in hooks if h is not None), default=0.0)
        grace.local_drains = local
        facts.graces.append(grace)
    return facts


def _helm_environment(document, node, facts: DeployFacts, local: List[Drain]) -> None:
    """`env` as a Kubernetes list (`- name: X` / `value: Y`) or as a `NAME: value` mapping."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and isinstance(value, ScalarNode):
                note_variable(key.value, value.value, document.location(key), facts, local)
    for entry in items(node):
        env = YamlObject(document, entry) if isinstance(entry, MappingNode) else None
        if env is not None and env.value("name"):
            note_variable(env.value("name"), env.value("value"), env.location_of("value"), facts, local)


def _helm_grace(document, chart) -> Optional[Grace]:
    label = f"Helm chart `{chart.name}`"
    for setting in document.settings("terminationGracePeriodSeconds"):
        written = scalar(setting.node)
        seconds = duration(written)
        if seconds is not None:
            return Grace("Kubernetes", label, seconds, f"{setting.dotted}: {written} in values.yaml", document.location(setting.key))
    for literal in chart.literal_graces:
        location = Location(literal.path, literal.line, 1, literal.line, 2)
        return Grace("Kubernetes", label, float(literal.seconds), f"terminationGracePeriodSeconds: {literal.seconds} in the template", location)
    if chart.uses_key("terminationGracePeriodSeconds"):
        return None  # set from a value we cannot read (another values file, `--set`)
    location = document.values.parent_location("terminationGracePeriodSeconds")
    return Grace("Kubernetes", label, K8S_DEFAULT_GRACE, "no terminationGracePeriodSeconds (default 30 s)", location, explicit=False)


# -- ECS task definitions -----------------------------------------------------------------

ECS_DEFAULT_GRACE = 30.0  # ContainerDefinition.stopTimeout: 30 s when unset (Fargate and the EC2 agent)


def serving_containers(document):
    """(container, label) of the task definition's essential containers of the project's own
    image (sidecars marked `"essential": false` and public database or proxy images are not
    the server)."""
    found = []
    for container in document.containers():
        essential = container.get("essential")
        if essential is not None and essential.value is False or is_third_party_image(ecs.string(container.get("image"))):
            continue
        name = ecs.string(container.get("name")) or "?"
        family = document.family
        found.append((container, f"task definition `{family}` container `{name}`" if family else f"container `{name}`"))
    return found


def ecs_command(document, container) -> Tuple[List[str], Optional[Location]]:
    """The container's command line (`entryPoint` then `command`) and where it is written."""
    parts = document.command_parts(container)
    words = [w for _, values in parts for w in exec_words(values)]
    return words, document.location(parts[-1][0]) if parts else None


def ecs_facts(document) -> DeployFacts:
    facts = DeployFacts()
    for container, label in serving_containers(document):
        local: List[Drain] = []
        environment = container.get("environment")
        for env in environment.elements if environment is not None and environment.kind == "array" else ():
            name = ecs.string(env.get("name")) if env.kind == "object" else None
            if name:
                note_variable(name, ecs.number_text(env.get("value")), document.location(env), facts, local)
        words, where = ecs_command(document, container)
        if words and where is not None:
            command_facts(words, where, facts, local)
        grace = _ecs_grace(document, container, label)
        if grace is not None:
            grace.local_drains = local
            facts.graces.append(grace)
    return facts


def _ecs_grace(document, container, label: str) -> Optional[Grace]:
    member = container.member("stopTimeout")
    if member is None:
        name = container.member("name")
        location = document.location(name[0] if name else container)
        return Grace("ECS", label, ECS_DEFAULT_GRACE, "no stopTimeout (default 30 s)", location, explicit=False)
    written = ecs.number_text(member[1])
    seconds = duration(written)
    if seconds is None:
        return None
    return Grace("ECS", label, seconds, f"stopTimeout: {written}", document.location(member[0]))


# -- Dockerfile, scripts, .env ------------------------------------------------------------


def dockerfile_facts(document) -> DeployFacts:
    facts = DeployFacts()
    for instruction in document.final_instructions("ENV"):
        for name, value in env_pairs(instruction.args):
            note_variable(name, value, document.location(instruction), facts)
    for keyword_ in ("ENTRYPOINT", "CMD"):
        found = document.final_instructions(keyword_)
        if found:
            last = found[-1]
            words = last.exec_form
            words = exec_words(words) if words else shell_words(last.args)
            command_facts(words, document.location(last), facts)
    return facts


def shell_facts(document) -> DeployFacts:
    facts = DeployFacts()
    for command in document.commands:
        words = list(command.words[1:] if command.words[0] in ("export", "readonly") else command.words)
        location = document.location(command)
        for word in words:
            if "=" not in word or word.startswith("-"):
                break
            name, _, value = word.partition("=")
            note_variable(name, value, location, facts)
        command_facts(words, location, facts)
    return facts


def dotenv_facts(document) -> DeployFacts:
    facts = DeployFacts()
    for entry in document.entries:
        note_variable(entry.key, entry.value, document.location(entry), facts)
    return facts


# -- Python -------------------------------------------------------------------------------


class _DrainVisitor(cst.CSTVisitor):
    """Drain timeouts written in Python: `timeout_graceful_shutdown=N` (uvicorn), a
    `{"timeout_graceful_shutdown": N}` config dict (fastmcp `uvicorn_config`), settings fields
    and constants named like a drain timeout, and `os.getenv("DRAIN_TIMEOUT_MS", "25000")`."""

    def __init__(self, document):
        self.document = document
        self.imports = ImportTable()
        self.calls: List[cst.Call] = []
        self.drains: List[Drain] = []
        self.imported_roots: Set[str] = set()

    def visit_Import(self, node: cst.Import) -> None:
        self.imports.add(node)
        self.imported_roots.update((dotted(a.name) or "").split(".")[0] for a in node.names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.imports.add(node)
        if node.module is not None and not node.relative:
            self.imported_roots.add((dotted(node.module) or "").split(".")[0])

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)
        arg = keyword(node, "timeout_graceful_shutdown")
        if arg is not None:
            self._literal("timeout_graceful_shutdown", arg.value, node, "`timeout_graceful_shutdown={}`")

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if string_value(node.key) == "timeout_graceful_shutdown":
            self._literal("timeout_graceful_shutdown", node.value, node, '`"timeout_graceful_shutdown": {}`')

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self._setting(node.target.value, node.value, node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self._setting(node.targets[0].target.value, node.value, node)

    def _setting(self, name: str, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        if name.startswith("_") and not self._serves():
            return  # a module-private timeout of a helper (a subprocess harness), not the server's drain
        if isinstance(value, cst.Call) and (self.imports.qualify(value.func) or "").endswith("Field"):
            arg = keyword(value, "default") or positional(value, 0)
            value = arg.value if arg is not None else value
        # The name is checked first: a location costs a code generation up to the node.
        if isinstance(value, (cst.Integer, cst.Float)) and DRAIN_NAME.search(name):
            self._add(drain_from_variable(name, value.value, self.document.location(node), f"`{name} = {value.value}`"))

    def _serves(self) -> bool:
        """The module imports an MCP SDK or an HTTP server stack."""
        return bool(self.imported_roots & set(SERVER_PACKAGES))

    def _literal(self, name: str, value: cst.BaseExpression, node: cst.CSTNode, template: str) -> None:
        if isinstance(value, (cst.Integer, cst.Float)) and DRAIN_NAME.search(name):
            self._add(drain_from_variable(name, value.value, self.document.location(node), template.format(value.value)))

    def _add(self, drain: Optional[Drain]) -> None:
        if drain is not None:
            self.drains.append(drain)

    def leave_Module(self, original_node: cst.Module) -> None:
        for call in self.calls:
            if self.imports.qualify(call.func) not in ENV_GETTERS:
                continue
            name, default = positional(call, 0), keyword(call, "default") or positional(call, 1)
            var = string_value(name.value) if name is not None else None
            value = _literal_text(default.value) if default is not None else None
            if var and value is not None and DRAIN_NAME.search(var):
                self._add(drain_from_variable(var, value, self.document.location(call), f'`{var}` (default "{value}")'))


def _literal_text(expr: cst.BaseExpression) -> Optional[str]:
    if isinstance(expr, (cst.Integer, cst.Float)):
        return expr.value
    return string_value(expr)


def python_drains(document) -> List[Drain]:
    visitor = _DrainVisitor(document)
    walk.visit_each(document.module, visitor)  # it skips no children and leaves only the module
    visitor.leave_Module(document.module)
    return visitor.drains


FACT_READERS = {
    "k8s": k8s_facts,
    "compose": compose_facts,
    "dockerfile": dockerfile_facts,
    "shell": shell_facts,
    "dotenv": dotenv_facts,
    "helm": helm_facts,
    "ecs": ecs_facts,
}
