"""The JSON output: a stable, documented shape (see README, "JSON output").

Bump SCHEMA_VERSION on any breaking change to the shape."""

from __future__ import annotations

import json
from typing import Any, Dict

from mcp_lint import __version__
from mcp_lint.model import Finding

SCHEMA_VERSION = 1


def finding_to_json(finding: Finding) -> Dict[str, Any]:
    loc = finding.location
    autofix = None
    if finding.fix is not None:
        autofix = {
            "description": finding.fix.description,
            "applicability": finding.fix.applicability,
            "edits": [
                {"line": e.line, "column": e.column, "end_line": e.end_line, "end_column": e.end_column, "content": e.content}
                for e in finding.fix.edits
            ],
        }
    return {
        "code": finding.code,
        "name": finding.name,
        "item": finding.item,
        "severity": finding.severity.label,
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "message": finding.message,
        "fix": finding.fix_hint,
        "related": [r.to_json() for r in finding.related],
        "fingerprint": finding.fingerprint,
        "autofix": autofix,
    }


def document(result) -> Dict[str, Any]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in result.findings:
        counts[finding.severity.label] += 1
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "mcp-lint", "version": __version__},
        "findings": [finding_to_json(f) for f in result.findings],
        "errors": [d.to_json() for d in result.diagnostics],
        "summary": {"files_checked": result.files_checked, "findings": len(result.findings), **counts},
    }


def render(result, root=None, color: bool = False) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"


def render_lines(result, root=None, color: bool = False) -> str:
    """JSON Lines: one finding object (the `findings[]` shape above) per line, for streaming
    tools and `jq -c`; no envelope, so skipped files are not reported here."""
    return "".join(json.dumps(finding_to_json(f), ensure_ascii=False) + "\n" for f in result.findings)
