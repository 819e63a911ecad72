"""Helm chart values: `values.yaml` beside a `Chart.yaml` and a `templates/` folder.

Charts keep probes, grace periods and commands in values.yaml and let the templates copy them
in (`{{- toYaml .Values.livenessProbe | nindent 12 }}`, `{{- with .Values.readinessProbe }}`).
The templates are not YAML until rendered, so they are only scanned as text, within a byte
budget: which `.Values` paths they use, whether they write a readiness probe, a container port
or a grace period literally. A setting in values.yaml counts only when a template uses it (or
the mapping it sits in): values of subcharts and unused defaults configure nothing here.
values.yaml itself is read with PyYAML's safe loader like any other YAML document; a
`values.yaml` that is not in a chart is not parsed and yields nothing."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

from yaml.nodes import MappingNode, Node, ScalarNode

from mcp_lint.documents import HELM_VALUES_NAMES
from mcp_lint.documents.base import ReadBudget
from mcp_lint.documents.yaml_docs import YamlDocument, YamlObject, scalar

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".tpl")
MAX_TEMPLATES = 200
MAX_SETTING_DEPTH = 6  # `server.deployment.probes.readinessProbe` is as deep as charts go
_VALUES_REF = re.compile(r"\.Values((?:\.[A-Za-z_][\w-]*)+)")
_LITERAL_GRACE = re.compile(r"^[ \t]*terminationGracePeriodSeconds[ \t]*:[ \t]*[\"']?(\d+)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)
_LITERAL_READINESS = re.compile(r"^[ \t]*readinessProbe[ \t]*:", re.MULTILINE)
_CONTAINER_PORT = re.compile(r"^[ \t]*(?:-[ \t]+)?containerPort[ \t]*:", re.MULTILINE)
_SERVING_KIND = re.compile(r"^kind[ \t]*:[ \t]*[\"']?(?:Deployment|StatefulSet|DaemonSet)\b", re.MULTILINE)


@dataclass(frozen=True)
class LiteralGrace:
    """`terminationGracePeriodSeconds: N` written in a template itself."""

    seconds: int
    path: str  # project-relative path of the template
    line: int


@dataclass
class Chart:
    """What the chart's templates say, read as text."""

    name: str
    uses: Set[Tuple[str, ...]] = field(default_factory=set)  # `.Values.a.b` -> ("a", "b")
    literal_graces: List[LiteralGrace] = field(default_factory=list)
    literal_readiness: bool = False  # a `readinessProbe:` line in a template
    serves_ports: bool = False  # a Deployment/StatefulSet/DaemonSet template with a containerPort
    has_workload: bool = False

    def uses_path(self, path: Tuple[str, ...]) -> bool:
        """A template uses the value at `path`: itself, a mapping above it (`with .Values.server`)
        or a value inside it (`.Values.readinessProbe.httpGet.path`)."""
        return any(path[: len(used)] == used or used[: len(path)] == path for used in self.uses)

    def uses_key(self, key: str) -> bool:
        return any(key in used for used in self.uses)


@dataclass(frozen=True)
class Setting:
    """A value of values.yaml that a template uses: its path, key node and value node."""

    path: Tuple[str, ...]
    key: ScalarNode
    node: Node

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


class HelmValuesDocument(YamlDocument):
    kind = "helm"

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.chart: Optional[Chart] = None

    def parse(self) -> None:
        # Outside a chart the file configures nothing we read: not even parsed (an invalid
        # values.yaml of some other tool is not ours to report).
        self.chart = self._read_chart()
        if self.chart is not None:
            super().parse()

    @property
    def values(self) -> Optional[YamlObject]:
        return next(self.mappings(), None)

    def settings(self, key: str) -> List[Setting]:
        """Every mapping entry named `key` (at any depth up to MAX_SETTING_DEPTH) that a
        template uses; empty when this values.yaml is not in a chart."""
        values = self.values
        if self.chart is None or values is None:
            return []
        return [s for s in _entries(values.node, key) if self.chart.uses_path(s.path)]

    def command_lines(self) -> List[List[Setting]]:
        """The command lines values.yaml gives containers: a `command` and an `args` in the
        same mapping are one line (command first), as Kubernetes joins them."""
        by_parent: Dict[Tuple[str, ...], List[Setting]] = {}
        for key in ("command", "args"):
            for setting in self.settings(key):
                by_parent.setdefault(setting.path[:-1], []).append(setting)
        return list(by_parent.values())

    def object(self, setting: Setting) -> Optional[YamlObject]:
        return YamlObject(self, setting.node) if isinstance(setting.node, MappingNode) else None

    def image(self) -> Optional[str]:
        """The chart's own image (`image.repository`, or `image: repo:tag`)."""
        values = self.values
        if values is None:
            return None
        return values.value("image.repository") or values.value("image")

    def _read_chart(self) -> Optional[Chart]:
        """The chart around this file, or None when there is none on disk (Chart.yaml and a
        templates/ folder beside it)."""
        if self.disk_path is None or self.path.rsplit("/", 1)[-1] not in HELM_VALUES_NAMES:
            return None
        folder = Path(os.path.realpath(self.disk_path)).parent
        templates = folder / "templates"
        budget = ReadBudget()
        manifest = self.read_other(folder / "Chart.yaml", budget)
        if manifest is None or not templates.is_dir():
            return None
        name = re.search(r"^name[ \t]*:[ \t]*[\"']?([\w.-]+)", manifest, re.MULTILINE)
        chart = Chart(name.group(1) if name else folder.name)
        for path in _template_files(templates):
            text = self.read_other(path, budget)
            if text is None:
                continue
            chart.uses.update(tuple(ref.strip(".").split(".")) for ref in _VALUES_REF.findall(text))
            rel = self._relative(path)
            for match in _LITERAL_GRACE.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                chart.literal_graces.append(LiteralGrace(int(match.group(1)), rel, line))
            chart.literal_readiness = chart.literal_readiness or bool(_LITERAL_READINESS.search(text))
            if _SERVING_KIND.search(text):
                chart.has_workload = True
                chart.serves_ports = chart.serves_ports or bool(_CONTAINER_PORT.search(text))
        return chart

    def _relative(self, path: Path) -> str:
        root = self.project_root()
        return os.path.relpath(os.path.realpath(path), root).replace(os.sep, "/") if root else path.name


def _template_files(templates: Path) -> List[Path]:
    """The chart's template files (not those of subcharts under charts/), at most MAX_TEMPLATES."""
    found: List[Path] = []
    for count, (folder, dirs, files) in enumerate(os.walk(templates)):
        if count >= MAX_TEMPLATES:
            break
        dirs.sort()
        for name in sorted(files):
            if name.endswith(TEMPLATE_SUFFIXES):
                found.append(Path(folder) / name)
                if len(found) >= MAX_TEMPLATES:
                    return found
    return found


def _entries(root: Node, key: str) -> Iterator[Setting]:
    """Entries named `key` below `root`, breadth first, without following a mapping twice
    (aliases may share one mapping among many keys)."""
    seen: Set[int] = set()
    level: List[Tuple[Tuple[str, ...], Node]] = [((), root)]
    for _ in range(MAX_SETTING_DEPTH):
        following: List[Tuple[Tuple[str, ...], Node]] = []
        for path, node in level:
            if not isinstance(node, MappingNode) or id(node) in seen:
                continue
            seen.add(id(node))
            for key_node, value in node.value:
                name = scalar(key_node)
                if name is None or not isinstance(key_node, ScalarNode):
                    continue
                if name == key:
                    yield Setting((*path, name), key_node, value)
                else:
                    following.append(((*path, name), value))
        level = following
