"""Per-phase and per-rule timings, on request (`MCP_LINT_PROFILE=report.json`).

As Fixit does, every rule's visit and leave methods are timed (wrapped once per process, so a
run without the variable pays nothing); so are parsing, the MCP model, position look-ups, the
project index and each rule's `collect`/`check`. Workers time their own files and send the
times back with each file's result; the parent adds its phases and writes one JSON report:
{"phases": {name: seconds}, "rules": {code: seconds}, "calls": {...}, "parsed": [paths]}.
Times nest (a rule's visits include the positions it asks for)."""

from __future__ import annotations

import functools
import json
import os
import time
from contextlib import contextmanager
from typing import Dict, Iterable, Iterator, List

ENV = "MCP_LINT_PROFILE"
_times: Dict[str, float] = {}
_calls: Dict[str, int] = {}
_installed = False


def enabled() -> bool:
    return bool(os.environ.get(ENV))


def add(name: str, seconds: float) -> None:
    _times[name] = _times.get(name, 0.0) + seconds
    _calls[name] = _calls.get(name, 0) + 1


@contextmanager
def phase(name: str) -> Iterator[None]:
    if not enabled():
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        add(name, time.perf_counter() - start)


class Clock:
    """The parent's phases, kept apart from the per-file times that inline runs collect."""

    def __init__(self) -> None:
        self.times: Dict[str, float] = {}
        self.on = enabled()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            if self.on:
                self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - start

    def merge(self, timings: Dict[str, float]) -> None:
        for name, seconds in timings.items():
            self.times[name] = self.times.get(name, 0.0) + seconds


def take() -> Dict[str, float]:
    """This process's timings since the last call (sent back with a file's result)."""
    out = dict(_times)
    _times.clear()
    _calls.clear()
    return out


def _timed(name: str, func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            add(name, time.perf_counter() - start)

    return wrapper


def install(rules: Iterable[type]) -> None:
    """Wrap, once per process, the methods whose time the report breaks down."""
    global _installed
    if _installed or not enabled():
        return
    _installed = True
    from mcp_lint.documents.python import PythonDocument
    from mcp_lint.python import context

    PythonDocument.parse = _timed("phase:parse (libcst)", PythonDocument.parse)
    PythonDocument.position = _timed("phase:positions", PythonDocument.position)
    PythonDocument.metadata = _timed("phase:metadata (scopes, whole-file positions)", PythonDocument.metadata)
    context.build_model = _timed("phase:MCP model", context.build_model)
    for rule in rules:
        for attr, value in list(vars(rule).items()):
            if callable(value) and attr.startswith(("visit_", "leave_")):
                setattr(rule, attr, _timed(f"rule:{rule.code}", value))
            elif attr in ("check", "collect") and isinstance(value, classmethod):
                setattr(rule, attr, classmethod(_timed(f"rule:{rule.code}", value.__func__)))


def write(path: str, phases: Dict[str, float], parsed: List[str]) -> None:
    rules = {k[5:]: round(v, 4) for k, v in sorted(phases.items(), key=lambda kv: -kv[1]) if k.startswith("rule:")}
    named = {k.removeprefix("phase:"): round(v, 4) for k, v in phases.items() if not k.startswith("rule:")}
    report = {"phases": named, "rules": rules, "parsed": sorted(parsed)}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=1)
