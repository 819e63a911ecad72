"""SARIF 2.1.0 for GitHub code scanning: relative URIs under %SRCROOT%, 1-based regions,
Unicode code point columns; per rule a one-paragraph plain `fullDescription`, the rule page as
`help` (Markdown) and `helpUri`, `security` tag and `security-severity` on security rules;
related locations linked from the message; line-independent fingerprints."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any, Dict, List
from urllib.parse import quote

from mcp_lint import __version__
from mcp_lint.docs import REPOSITORY as INFORMATION_URI
from mcp_lint.model import Finding, Location

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
AUTOMATION_CATEGORY = "mcp-lint"
# GitHub code scanning's documented limits (docs.github.com, "SARIF support for code scanning"
# and "SARIF results exceed limits"): checked by tests/test_outputs_sarif.py.
MAX_FULL_DESCRIPTION = 1000
MAX_TAGS = 20


def _truncate(text: str, limit: int = 1024) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rule_descriptor(rule) -> Dict[str, Any]:
    from mcp_lint.docs import help_uri, rule_page
    from mcp_lint.rule_meta import plain_paragraph, section, security_severity, tags

    doc = rule.doc() or rule.summary
    what = section(doc, "What it does") or doc
    page = rule_page(rule)
    properties: Dict[str, Any] = {
        "tags": list(tags(rule))[:MAX_TAGS],
        "precision": "high",
        "problem.severity": _PROBLEM_SEVERITY[rule.severity.label],
    }
    score = security_severity(rule)
    if score is not None:
        properties["security-severity"] = f"{score:.1f}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _truncate(rule.summary)},
        # GitHub shows this as one plain paragraph under the alert title, cut at 1000 characters.
        "fullDescription": {"text": plain_paragraph(what, MAX_FULL_DESCRIPTION)},
        "help": {"text": page, "markdown": page},
        "helpUri": help_uri(rule.code),
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": properties,
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


def _escape(text: str) -> str:
    """Brackets are link syntax in a SARIF message that embeds links: escape literal ones."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _message(finding: Finding) -> str:
    """The message, the fix hint, and one embedded link `[text](id)` per related location so
    that GitHub shows the cross-file evidence."""
    text = finding.message if not finding.fix_hint else f"{finding.message}\nFix: {finding.fix_hint}"
    if not finding.related:
        return text
    links = ", ".join(
        f"[{_escape(r.message or 'related location')} ({_escape(r.path)}:{r.line})]({i + 1})" for i, r in enumerate(finding.related)
    )
    return f"{_escape(text)}\nSee: {links}"


def _result(finding: Finding, index: Dict[str, int]) -> Dict[str, Any]:
    result: Dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": finding.severity.sarif_level,
        "message": {"text": _message(finding)},
        "locations": [{"physicalLocation": _physical(finding.location)}],
        # Line-independent (rule, path, normalised snippet, occurrence): alerts follow code that
        # moves. GitHub combines primaryLocationLineHash with the path and rule itself.
        "partialFingerprints": {
            "mcpLint/v1": finding.fingerprint,
            "primaryLocationLineHash": f"{finding.fingerprint[:16]}:1",
        },
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
                # The category GitHub keys alerts by (everything before the last slash).
                "automationDetails": {"id": f"{AUTOMATION_CATEGORY}/"},
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
