"""YAML deployment files: Kubernetes manifests and compose files.

PyYAML's `compose_all` with `SafeLoader` (libyaml's composer when it builds the same trees) gives
node trees with positions (marks) and never constructs Python objects from tags. Rules navigate
with dotted paths (`spec.template.spec`, integer segments index sequences); merge keys
(`<<: *defaults`, common in compose files) are followed. A file with unquoted Go template actions (`{{ ... }}`, a Helm chart template) is not
YAML until rendered: it is skipped, not reported as an error."""

from __future__ import annotations

import bisect
import re
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mcp_lint.documents.base import Comment, Document, ParseError, SkipFile
from mcp_lint.model import Location
from mcp_lint.reading import YAML_BREAKS, split_lines

Path = Union[str, Sequence[Union[str, int]]]
# Horizontal whitespace only: `\s*` after `^` in MULTILINE mode rescans every following blank
# line from each line start (quadratic: `{{` and 100k blank lines took minutes).
_TEMPLATE = re.compile(r"^[ \t]*(?:-[ \t]+)?(?:[\w.\"'-]+[ \t]*:[ \t]+)?\{\{", re.MULTILINE)

# Workload kind -> path of its pod spec.
POD_SPEC_PATHS = {
    "Deployment": "spec.template.spec",
    "StatefulSet": "spec.template.spec",
    "DaemonSet": "spec.template.spec",
    "ReplicaSet": "spec.template.spec",
    "Job": "spec.template.spec",
    "CronJob": "spec.jobTemplate.spec.template.spec",
    "Pod": "spec",
}


def _segments(path: Path) -> List[Union[str, int]]:
    if isinstance(path, str):
        return [int(p) if p.isdigit() else p for p in path.split(".")] if path else []
    return list(path)


def mapping_entry(node: Optional[Node], key: str) -> Optional[Tuple[ScalarNode, Node]]:
    """(key node, value node) of `key` in a mapping, following `<<` merge keys (own keys
    first, then each merged mapping in order). Each mapping is searched once and without
    recursion: aliases let a small file merge the same mapping 10**9 times, or chain
    thousands of merges."""
    stack: List[Node] = [node] if node is not None else []
    seen: Set[int] = set()
    while stack:
        current = stack.pop()
        if not isinstance(current, MappingNode) or id(current) in seen:
            continue
        seen.add(id(current))
        merged: List[Node] = []
        for key_node, value in current.value:
            if isinstance(key_node, ScalarNode):
                if key_node.value == key:
                    return key_node, value
                if key_node.value == "<<":
                    merged.extend(value.value if isinstance(value, SequenceNode) else [value])
        stack.extend(reversed(merged))
    return None


def scalar(node: Optional[Node]) -> Optional[str]:
    return node.value if isinstance(node, ScalarNode) else None


def items(node: Optional[Node]) -> List[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


class YamlObject:
    """A mapping in a YAML document with path helpers; the base of Kubernetes objects,
    compose services and any sub-mapping (a container, a pod spec)."""

    def __init__(self, document: "YamlDocument", node: MappingNode):
        self.document = document
        self.node = node

    def _walk(self, path: Path) -> Tuple[Optional[Node], Optional[Node], int]:
        """(node at path or None, the key/item node of the deepest segment found, segments found)."""
        node: Optional[Node] = self.node
        handle: Optional[Node] = None
        found = 0
        for segment in _segments(path):
            if isinstance(segment, int):
                seq = items(node)
                if segment >= len(seq):
                    return None, handle, found
                node = handle = seq[segment]
            else:
                entry = mapping_entry(node, segment)
                if entry is None:
                    return None, handle, found
                handle, node = entry
            found += 1
        return node, handle, found

    def get(self, path: Path) -> Optional[Node]:
        return self._walk(path)[0]

    def value(self, path: Path) -> Optional[str]:
        """The scalar at `path` as written (always a string), or None."""
        return scalar(self.get(path))

    def string_map(self, path: Path) -> Dict[str, str]:
        """The scalar entries of the mapping at `path` (labels, selectors, environment)."""
        node = self.get(path)
        if not isinstance(node, MappingNode):
            return {}
        return {k.value: v.value for k, v in node.value if isinstance(k, ScalarNode) and isinstance(v, ScalarNode)}

    def child(self, path: Path) -> Optional["YamlObject"]:
        node = self.get(path)
        return YamlObject(self.document, node) if isinstance(node, MappingNode) else None

    def children(self, path: Path) -> List["YamlObject"]:
        """The mappings of the sequence at `path` (containers, env entries...)."""
        return [YamlObject(self.document, n) for n in items(self.get(path)) if isinstance(n, MappingNode)]

    def location_of(self, path: Path, message: str = "") -> Location:
        """Where `path` is written: its key (or sequence item); for a missing path, where it
        should go (`parent_location`)."""
        node, handle, found = self._walk(path)
        if node is None or handle is None:
            return self.parent_location(path, message)
        return self.document.location(handle, message)

    def parent_location(self, path: Path, message: str = "") -> Location:
        """The key of the deepest existing ancestor of `path`; the mapping itself when none."""
        segments = _segments(path)
        _, handle, found = self._walk(segments[:-1])
        if handle is None or found == 0:
            first = self.node.value[0][0] if self.node.value else self.node
            return self.document.location(first, message)
        return self.document.location(handle, message)


# libyaml's composer (PyYAML's C extension) builds the same node trees about 20 times faster.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def compose(text: str) -> List[Node]:
    """The documents of a YAML stream as node trees with marks, as PyYAML's pure-Python
    `SafeLoader` composes them. libyaml composes them when its trees are known to be the same:
    it accepts tabs where PyYAML does not, and it places the end of a collection that closes
    the stream one line further when the text has no final line break. Its errors are left to
    the pure-Python loader, whose messages (and `RecursionError` past deep nesting) are the ones
    reported."""
    if _FAST_LOADER is not None and text[-1:] and text[-1] in YAML_BREAKS and "\t" not in text:
        try:
            return [root for root in yaml.compose_all(text, Loader=_FAST_LOADER) if root is not None]
        except (yaml.YAMLError, UnicodeError):  # UnicodeError: lone surrogates cannot be encoded for libyaml
            pass
    return [root for root in yaml.compose_all(text, Loader=yaml.SafeLoader) if root is not None]


class YamlDocument(Document):
    kind = "yaml"
    line_breaks = YAML_BREAKS  # PyYAML's marks count NEL, U+2028 and U+2029 as line breaks

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.roots: List[Node] = []
        self._comments: Optional[List[Comment]] = None

    def parse(self) -> None:
        if "{{" in self.text and _TEMPLATE.search(self.text):
            raise SkipFile("template (`{{ ... }}` outside quotes, e.g. a Helm chart): not YAML until rendered", limit=False)
        try:
            self.roots = compose(self.text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise ParseError(f"invalid YAML: {exc.problem or exc.context}", line, column) from None
        except yaml.YAMLError as exc:
            raise ParseError(f"invalid YAML: {exc}") from None
        except RecursionError:
            raise ParseError("nesting too deep to parse") from None

    def location(self, node: Node, message: str = "") -> Location:
        """A scalar's own span; for a multi-line collection, its first key or item (the span
        of a collection runs to where the next key starts, which is no use in a report)."""
        start, end = node.start_mark, node.end_mark
        if isinstance(node, (MappingNode, SequenceNode)) and node.value and end.line > start.line:
            first = node.value[0]
            return self.location(first[0] if isinstance(node, MappingNode) else first, message)
        return Location(self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1, message)

    def mappings(self) -> Iterator[YamlObject]:
        for root in self.roots:
            if isinstance(root, MappingNode):
                yield YamlObject(self, root)

    def comments(self) -> Iterable[Comment]:
        if self._comments is None:
            self._comments = list(_yaml_comments(self.text, self.lines))
        return self._comments


def _yaml_comments(text: str, lines: List[str]) -> Iterator[Comment]:
    """`#` that starts a comment: at line start or after whitespace, outside scalars."""
    spans: List[Tuple[int, int]] = []  # (start, end) offsets of scalar tokens
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return
    starts = [s for s, _ in spans]
    offset = 0
    for number, line in enumerate(split_lines(text, keepends=True, breaks=YAML_BREAKS), start=1):
        for match in re.finditer(r"(?:^|(?<=\s))#", line):
            at = offset + match.start()
            i = bisect.bisect_right(starts, at) - 1
            if i >= 0 and spans[i][0] <= at < spans[i][1]:
                continue
            own = not line[: match.start()].strip()
            yield Comment(number, match.start() + 1, line[match.start() + 1 :].rstrip(YAML_BREAKS), own)
            break
        offset += len(line)


class K8sObject(YamlObject):
    """One Kubernetes object (a top-level document, or an item of a `kind: List`)."""

    def __init__(self, document: "YamlDocument", node: MappingNode):
        super().__init__(document, node)
        self.kind = self.value("kind") or ""
        self.name = self.value("metadata.name") or ""

    @property
    def pod_spec_path(self) -> Optional[str]:
        return POD_SPEC_PATHS.get(self.kind)

    def pod_spec(self) -> Optional[YamlObject]:
        path = self.pod_spec_path
        return self.child(path) if path else None

    def pod_labels(self) -> Dict[str, str]:
        path = self.pod_spec_path
        if path is None:
            return {}
        return self.string_map(path[: -len("spec")] + "metadata.labels")

    def containers(self) -> List[YamlObject]:
        spec = self.pod_spec()
        return spec.children("containers") if spec is not None else []

    @property
    def label(self) -> str:
        return f"{self.kind} `{self.name}`" if self.name else self.kind


class KubernetesDocument(YamlDocument):
    kind = "k8s"

    def objects(self) -> List[K8sObject]:
        found: List[K8sObject] = []
        for mapping in self.mappings():
            obj = K8sObject(self, mapping.node)
            if obj.kind == "List" or obj.kind.endswith("List") and mapping.get("items") is not None:
                found.extend(K8sObject(self, item.node) for item in mapping.children("items"))
            elif obj.kind:
                found.append(obj)
        return found

    def workloads(self) -> List[K8sObject]:
        return [o for o in self.objects() if o.pod_spec_path is not None]


class ComposeService(YamlObject):
    def __init__(self, document: "YamlDocument", node: MappingNode, name: str, key: ScalarNode):
        super().__init__(document, node)
        self.name = name
        self.key = key

    def key_location(self, message: str = "") -> Location:
        return self.document.location(self.key, message)


class ComposeDocument(YamlDocument):
    kind = "compose"

    def services(self) -> List[ComposeService]:
        found: List[ComposeService] = []
        for mapping in self.mappings():
            services = mapping.get("services")
            if isinstance(services, MappingNode):
                for key, node in services.value:
                    if isinstance(key, ScalarNode) and isinstance(node, MappingNode):
                        found.append(ComposeService(self, node, key.value, key))
        return found
