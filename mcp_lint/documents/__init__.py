"""One parsed document type per file kind, and how a path is classified into a kind.

Document classes are imported lazily (by dotted path) so that start-up does not pay for
parsers a run never uses."""

from __future__ import annotations

import importlib
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import Dict, Optional, Type

DOCUMENT_TYPES: Dict[str, str] = {
    "python": "mcp_lint.documents.python:PythonDocument",
}


def document_class(kind: str) -> Type:
    module, _, name = DOCUMENT_TYPES[kind].partition(":")
    return getattr(importlib.import_module(module), name)


def classify(rel: str, overrides: Dict[str, str]) -> Optional[str]:
    """The kind of a project-relative path, or None when no rule reads such files."""
    for glob, kind in overrides.items():
        if fnmatchcase(rel, glob) or PurePosixPath(rel).match(glob):
            return None if kind == "ignore" else kind
    name = rel.rsplit("/", 1)[-1]
    if name.endswith(".py"):
        return "python"
    return None
