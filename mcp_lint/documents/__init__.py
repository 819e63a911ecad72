"""One parsed document type per file kind, and how a path is classified into a kind.

Classification is two-step: `classify` decides from the path alone (cheap, during discovery);
for YAML, whose meaning depends on content, `refine_kind` decides from the text once it has
been read (a Kubernetes manifest, a compose file, a CI workflow, or nothing we lint).
Document classes are imported lazily (by dotted path) so that start-up does not pay for
parsers a run never uses."""

from __future__ import annotations

import importlib
import re
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import Dict, Optional, Type

DOCUMENT_TYPES: Dict[str, str] = {
    "python": "mcp_lint.documents.python:PythonDocument",
    "dockerfile": "mcp_lint.documents.dockerfile:DockerfileDocument",
    "k8s": "mcp_lint.documents.yaml_docs:KubernetesDocument",
    "compose": "mcp_lint.documents.yaml_docs:ComposeDocument",
    "caddyfile": "mcp_lint.documents.caddyfile:CaddyfileDocument",
    "nginx": "mcp_lint.documents.nginx:NginxDocument",
    "tsconfig": "mcp_lint.documents.tsconfig:TsconfigDocument",
    "shell": "mcp_lint.documents.shell:ShellDocument",
    "dotenv": "mcp_lint.documents.dotenv:DotenvDocument",
    "packagejson": "mcp_lint.documents.packagejson:PackageJsonDocument",
    "workflow": "mcp_lint.documents.workflow:WorkflowDocument",
    "typescript": "mcp_lint.documents.typescript:TypeScriptDocument",
    "helm": "mcp_lint.documents.helm:HelmValuesDocument",
    "ecs": "mcp_lint.documents.ecs:EcsTaskDefinitionDocument",
}
YAML = "yaml"  # provisional kind: refined from content
JSON = "json"  # provisional kind: an ECS task definition or nothing, from content
KINDS = tuple(DOCUMENT_TYPES)

_COMPOSE_NAME = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_DOCKERFILE_NAME = re.compile(r"^(Dockerfile|Containerfile)([.-][\w.-]+)?$|^[\w.-]+\.(Dockerfile|Containerfile)$", re.IGNORECASE)
_WORKFLOW_PATH = re.compile(r"(^|/)\.github/workflows/[^/]+\.ya?ml$|(^|/)\.gitlab-ci\.ya?ml$")
_TS_SUFFIX = re.compile(r"\.[mc]?[jt]sx?$")
_TS_SKIPPED = re.compile(r"\.d\.[mc]?ts$|\.min\.[mc]?js$")  # declarations, minified bundles
# JSON files worth reading for an ECS task definition: named for ECS, Fargate or the task
# (`task-definition.json`, `taskdef.json`, `ecs/api.json`) or kept with deployment files. The
# content decides: `"containerDefinitions"` must occur (the document checks where).
_ECS_CANDIDATE = re.compile(r"task|(?<![a-z])(?:ecs|aws|fargate)(?![a-z])|deploy|infra|container", re.IGNORECASE)
ECS_MARKER = '"containerDefinitions"'
HELM_VALUES_NAMES = ("values.yaml", "values.yml")
_NGINX_NAME = re.compile(r"^nginx[\w.-]*\.conf$|\.nginx$|^[\w.-]+\.nginx\.conf$")


# A file that can take part in an MCP server mentions it (imports, server classes, package
# names) or registers tools; MCP-scoped rules skip everything else. Plain substring tests: a
# case-insensitive regex is several times slower on large trees.
# `registerTool`: the TS SDK's registration (`server.registerTool(...)`), in a module that may name
# MCP nowhere else.
_MCP_MARKERS = (b"mcp", b"MCP", b"Mcp", b".tool", b"call_tool", b"add_tool", b"modelcontextprotocol", b"registerTool")


def mentions_mcp(data: bytes) -> bool:
    return any(marker in data for marker in _MCP_MARKERS)


def document_class(kind: str) -> Type:
    module, _, name = DOCUMENT_TYPES[kind].partition(":")
    return getattr(importlib.import_module(module), name)


def available_kinds() -> tuple:
    """Kinds whose document module exists in this installation."""
    found = []
    for kind, target in DOCUMENT_TYPES.items():
        if importlib.util.find_spec(target.partition(":")[0]) is not None:
            found.append(kind)
    return tuple(found)


def classify(rel: str, overrides: Dict[str, str]) -> Optional[str]:
    """The kind of a project-relative path, `YAML` when content decides, or None when no rule
    reads such files. `overrides` (config `[tool.mcp-lint.files]`) map globs to kinds first."""
    for glob, kind in overrides.items():
        if fnmatchcase(rel, glob) or PurePosixPath(rel).match(glob):
            return None if kind == "ignore" else kind
    name = rel.rsplit("/", 1)[-1]
    if name.endswith(".py"):
        return "python"
    if _TS_SUFFIX.search(name):
        return None if _TS_SKIPPED.search(name) else "typescript"
    if _DOCKERFILE_NAME.match(name):
        return "dockerfile"
    if name.endswith((".yaml", ".yml")):
        return YAML
    if name == "Caddyfile" or name.startswith("Caddyfile.") or name.endswith(".caddyfile") or name.endswith(".Caddyfile"):
        return "caddyfile"
    if _NGINX_NAME.search(name) or "/nginx/" in f"/{rel}" and name.endswith(".conf"):
        return "nginx"
    if re.match(r"^tsconfig([.-][\w.-]+)?\.json$", name):
        return "tsconfig"
    if name == "package.json":
        return "packagejson"
    if name.endswith(".sh") or name in ("entrypoint", "docker-entrypoint"):
        return "shell"
    if name in (".env.example", ".env.sample", ".env.template", ".env.dist") or name.endswith(".env.example"):
        return "dotenv"
    if name.endswith(".json") and _ECS_CANDIDATE.search(rel):
        return JSON
    return None


def refine_kind(kind: str, rel: str, text: str) -> Optional[str]:
    """For YAML and JSON: decide from content which kind the file is (None: not one we lint)."""
    if kind == JSON:
        return "ecs" if ECS_MARKER in text else None
    if kind != YAML:
        return kind
    if "\r" in text:  # a lone CR ends a line in YAML; `^` in a MULTILINE regex needs \n
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _WORKFLOW_PATH.search(rel):
        return "workflow"
    name = rel.rsplit("/", 1)[-1]
    if _COMPOSE_NAME.match(name):
        return "compose"
    if re.search(r"^apiVersion\s*:", text, re.MULTILINE) and re.search(r"^kind\s*:", text, re.MULTILINE):
        return "k8s"
    if re.search(r"^services\s*:", text, re.MULTILINE) and not re.search(r"^(on|jobs)\s*:", text, re.MULTILINE):
        return "compose"
    if name in HELM_VALUES_NAMES:
        return "helm"  # chart values when a Chart.yaml and templates/ sit beside it (the document checks)
    return None
