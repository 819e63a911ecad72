"""The per-file views of one unit's project model (and the holdings decided from it), remembered
across runs.

A run after a small change finds most units exactly as they were: building their project models
again from the cached summaries, only to derive the same `FileView`s, was a third of the parent's
time on a monorepo. The views are a function of the unit's Python files (path, content, whether
the text mentions MCP: `build_project_model` reads nothing else), of its `[project.scripts]`,
of the summary format and of mcp-lint's code (the cache's salt carries its fingerprint), so
that is the key: any edit to any Python file of the unit builds the model afresh.

A model some of whose files yielded no summary (a worker that died or ran out of time, a syntax
error) is not remembered: a limit of this run must not outlive it."""

from __future__ import annotations

import json
from typing import Callable, Dict, FrozenSet, Iterable, Optional, Tuple

from mcp_lint.python.project_model import SUMMARY_FORMAT, FileView

TABLE = "views"


def views_key(cache, python_files: Iterable[Tuple[str, Optional[str], bool]], scripts: Dict[str, str]) -> str:
    """`python_files`: (project-relative path, content hash, mentions MCP) of every Python file
    of the unit."""
    files = sorted(python_files, key=lambda item: item[0])
    return cache.key(TABLE, SUMMARY_FORMAT, json.dumps([files, sorted(scripts.items())]))


def cached_views(cache, key: str) -> Optional[Tuple[Dict[str, FileView], Dict[str, FrozenSet[str]]]]:
    """(views, per-file holdings decided across the unit: mcp_lint/python/holdings.py), both
    derived from the same files and so remembered together."""
    hit = cache.get(TABLE, key, Tuple[Dict[str, FileView], Dict[str, FrozenSet[str]]])
    if not isinstance(hit, (list, tuple)) or len(hit) != 2:
        return None
    views, decided = hit
    if not isinstance(views, dict) or not all(isinstance(v, FileView) for v in views.values()) or not isinstance(decided, dict):
        return None
    return views, decided


def remember_views(cache, key: str, views: Dict[str, FileView], decided: Dict[str, FrozenSet[str]], complete: bool) -> None:
    if complete:
        cache.put(TABLE, key, (views, decided))


class LazyModel:
    """The project model of a unit whose views came from the cache: built only if something
    asks for it (no built-in project rule does)."""

    def __init__(self, build: Callable[[], object], model=None):
        self._build = build
        self._model = model

    @property
    def built(self):
        """The model if it has been built (nothing is built to answer)."""
        return self._model

    def get(self):
        if self._model is None:
            self._model = self._build()
        return self._model
