"""GitLab Code Quality report (`artifacts: reports: codequality:`): a JSON array of issues with
description, check_name, fingerprint, severity and location.path / location.lines.begin."""

from __future__ import annotations

import json

from mcp_lint.model import Severity

# GitLab's levels are info, minor, major, critical, blocker.
SEVERITY = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}
SECURITY_ERROR = "critical"  # an error of a security rule (auth, secrets, personal data)


def issues(result) -> list:
    from mcp_lint.registry import rule_by_code_or_name
    from mcp_lint.rule_meta import security_severity

    out = []
    for f in result.findings:
        rule = rule_by_code_or_name(f.code)
        severity = SEVERITY[f.severity]
        if f.severity is Severity.ERROR and rule is not None and security_severity(rule) is not None:
            severity = SECURITY_ERROR
        out.append(
            {
                "type": "issue",
                "check_name": f.code,
                "description": f"{f.code} {f.message}",
                "content": {"body": f.fix_hint} if f.fix_hint else None,
                "categories": ["Security"] if severity == SECURITY_ERROR else ["Bug Risk"],
                "fingerprint": f.fingerprint,
                "severity": severity,
                "location": {"path": f.path, "lines": {"begin": f.location.line, "end": f.location.end_line}},
            }
        )
    for issue in out:
        if issue["content"] is None:
            del issue["content"]
    return out


def render(result, root=None, color: bool = False) -> str:
    return json.dumps(issues(result), indent=2, ensure_ascii=False) + "\n"
