"""Output formats. Each reporter turns a RunResult into text; the CLI writes it.
One line per format: name -> "module:function"."""

from __future__ import annotations

import importlib
from typing import Callable

REPORTERS = {
    "text": "mcp_lint.reporters.text:render",
    "json": "mcp_lint.reporters.json_report:render",
    "sarif": "mcp_lint.reporters.sarif:render",
    "github": "mcp_lint.reporters.github:render",
    "concise": "mcp_lint.reporters.concise:render",
    "gitlab": "mcp_lint.reporters.gitlab:render",
    "junit": "mcp_lint.reporters.junit:render",
    "rdjson": "mcp_lint.reporters.rdjson:render",
    "json-lines": "mcp_lint.reporters.json_report:render_lines",
    "checklist": "mcp_lint.reporters.checklist:render_text",
    "checklist-markdown": "mcp_lint.reporters.checklist:render_markdown",
}
FORMATS = tuple(REPORTERS)


def reporter(name: str) -> Callable:
    module, _, func = REPORTERS[name].partition(":")
    return getattr(importlib.import_module(module), func)
