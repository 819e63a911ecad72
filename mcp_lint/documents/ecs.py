"""AWS ECS task definitions: the JSON registered with `aws ecs register-task-definition`
(`containerDefinitions` at the top level, as in `task-definition.json` or CodeDeploy's
`taskdef.json`) or printed by `describe-task-definition` (under `taskDefinition`).

Each container definition says what runs (`entryPoint`, `command`), how it is probed
(`healthCheck.command`, Docker's `CMD`/`CMD-SHELL` form) and how long ECS waits between
SIGTERM and SIGKILL (`stopTimeout`, 30 s when absent). Parsed with the position-keeping JSON
parser; a file whose `containerDefinitions` sits anywhere else (documentation, a CloudFormation
template's `ContainerDefinitions`) has no containers."""

from __future__ import annotations

from typing import List, Optional, Tuple

from mcp_lint.documents.jsonc import JsonNode
from mcp_lint.documents.tsconfig import JsonDocument


class EcsTaskDefinitionDocument(JsonDocument):
    kind = "ecs"

    @property
    def definition(self) -> Optional[JsonNode]:
        """The task definition object: the root, or its `taskDefinition` member."""
        root = self.root
        if root is None:
            return None
        if root.get("containerDefinitions") is not None:
            return root
        inner = root.get("taskDefinition")
        return inner if inner is not None and inner.kind == "object" else None

    @property
    def family(self) -> str:
        definition = self.definition
        node = definition.get("family") if definition is not None else None
        return node.value if node is not None and node.kind == "string" else ""

    def command_parts(self, container: JsonNode) -> List[Tuple[JsonNode, List[str]]]:
        """(key node, strings) of `entryPoint` then `command`: together, what the container runs."""
        found = []
        for key in ("entryPoint", "command"):
            member = container.member(key)
            values = strings(member[1]) if member else None
            if values:
                found.append((member[0], values))
        return found

    def containers(self) -> List[JsonNode]:
        definition = self.definition
        node = definition.get("containerDefinitions") if definition is not None else None
        if node is None or node.kind != "array":
            return []
        return [c for c in node.elements if c.kind == "object"]


def string(node: Optional[JsonNode]) -> Optional[str]:
    return node.value if node is not None and node.kind == "string" else None


def strings(node: Optional[JsonNode]) -> Optional[List[str]]:
    """An array of strings (a command); None when absent or not all strings."""
    if node is None or node.kind != "array" or not all(e.kind == "string" for e in node.elements):
        return None
    return [e.value for e in node.elements]


def number_text(node: Optional[JsonNode]) -> Optional[str]:
    """A number (or a numeric string) as text, for duration parsing."""
    if node is None:
        return None
    if node.kind == "number" and not isinstance(node.value, bool):
        return str(node.value)
    return node.value if node.kind == "string" else None
