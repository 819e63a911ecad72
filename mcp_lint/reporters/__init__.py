"""Output formats. Each reporter turns a RunResult into text; the CLI writes it."""

from __future__ import annotations

import importlib
from typing import Callable

REPORTERS = {
    "text": "mcp_lint.reporters.text:render",
    "json": "mcp_lint.reporters.json_report:render",
    "sarif": "mcp_lint.reporters.sarif:render",
    "github": "mcp_lint.reporters.github:render",
}


def reporter(name: str) -> Callable:
    module, _, func = REPORTERS[name].partition(":")
    return getattr(importlib.import_module(module), func)
