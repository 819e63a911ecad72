"""SARIF 2.1.0 for GitHub code scanning: relative URIs under %SRCROOT%, 1-based regions,
rule metadata with help text, Unicode code point columns."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any, Dict, List
from urllib.parse import quote

from mcp_lint import __version__
from mcp_lint.model import Finding, Location

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mcp-lint/mcp-lint"
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}


def _truncate(text: str, limit: int = 1024) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rule_descriptor(rule) -> Dict[str, Any]:
    doc = rule.doc() or rule.summary
    help_text = f"{rule.summary}\n\nFix: {rule.fix_hint}\n\n{doc}" if rule.fix_hint else doc
    tags = ["mcp"] + ([f"checklist-item-{rule.item}"] if rule.item else []) + list(rule.tags)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _truncate(rule.summary)},
        "fullDescription": {"text": _truncate(" ".join(doc.split()))},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": f"{INFORMATION_URI}#{rule.code.lower()}",
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": {
            "tags": tags[:20],
            "precision": "high",
            "problem.severity": _PROBLEM_SEVERITY[rule.severity.label],
        },
    }


def _artifact(path: str) -> Dict[str, Any]:
    if PurePosixPath(path).is_absolute():  # a file outside the project root: no base to resolve against
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.encode("utf-8", "surrogateescape")), "uriBaseId": "%SRCROOT%"}  # a non-UTF-8 name: its bytes


def _physical(loc: Location) -> Dict[str, Any]:
    return {
        "artifactLocation": _artifact(loc.path),
        "region": {
            "startLine": loc.line,
            "startColumn": loc.column,
            "endLine": loc.end_line,
            "endColumn": max(loc.end_column, 1),
        },
    }


def _result(finding: Finding, index: Dict[str, int]) -> Dict[str, Any]:
    message = finding.message if not finding.fix_hint else f"{finding.message}\nFix: {finding.fix_hint}"
    result: Dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": finding.severity.sarif_level,
        "message": {"text": message},
        "locations": [{"physicalLocation": _physical(finding.location)}],
        "partialFingerprints": {"mcpLint/v1": finding.fingerprint},
    }
    if finding.related:
        result["relatedLocations"] = [
            {"id": i + 1, "physicalLocation": _physical(r), "message": {"text": r.message or "related location"}}
            for i, r in enumerate(finding.related)
        ]
    return result


def document(result) -> Dict[str, Any]:
    rules = sorted({*result.rules, *_rules_of(result.findings)}, key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    notifications: List[Dict[str, Any]] = [
        {
            "level": "error" if d.kind == "internal-error" else "warning",
            "message": {"text": f"{d.path}: {d.kind}: {d.message}"},
        }
        for d in result.diagnostics
    ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mcp-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(r) for r in rules],
                    }
                },
                "invocations": [
                    {"executionSuccessful": not result.internal_errors, "toolExecutionNotifications": notifications}
                ],
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The project root mcp-lint ran on."}}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index) for f in result.findings],
            }
        ],
    }


def _rules_of(findings):
    from mcp_lint.registry import rule_by_code_or_name

    return {rule_by_code_or_name(f.code) for f in findings} - {None}


def render(result, root=None, color: bool = False) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
