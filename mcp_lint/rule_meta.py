"""Rule facts that output formats and docs need but rule classes do not declare themselves:
which rules carry an autofix, and which guard security (auth, secrets, personal data,
information disclosure). Kept here, in one table, so no rule module has to change; a rule
(or a third-party pack) can still declare `fix_applicability` or `security_severity` itself.

tests/test_outputs_sarif.py runs every rule's embedded cases and checks that a rule offers an
autofix exactly when this table says so."""

from __future__ import annotations

import re
from typing import Optional, Tuple

# code -> "safe" | "unsafe": the applicability of the autofix its findings carry.
AUTOFIX = {
    "MCP0001": "safe",  # remove the unused suppression (codes)
    "MCP0404": "unsafe",  # bare except -> except Exception
    "MCP0501": "unsafe",  # shell-form CMD/ENTRYPOINT -> exec form
    "MCP0702": "safe",  # include_payloads=True -> False
    "MCP0703": "safe",  # print(...) -> print(..., file=sys.stderr)
}

# code or code prefix -> CVSS-like score GitHub shows as critical/high/medium/low
# (>= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low). The longest matching key wins.
SECURITY_SEVERITY = {
    "MCP02": 7.5,  # authentication at the transport boundary
    "MCP0201": 7.5,  # credential checked inside tool code: sessions open unauthenticated
    "MCP0202": 7.4,  # secret compared in non-constant time
    "MCP0203": 8.2,  # HTTP transport without any authentication
    "MCP0204": 7.0,  # development token verifier in production
    "MCP0405": 5.3,  # exception details (paths, SQL, secrets) sent to the client
    "MCP0701": 6.5,  # tool arguments (personal data) written to logs
    "MCP0702": 6.5,  # request payloads logged
}


def fix_applicability(rule) -> Optional[str]:
    return getattr(rule, "fix_applicability", None) or AUTOFIX.get(rule.code)


def security_severity(rule) -> Optional[float]:
    declared = getattr(rule, "security_severity", None)
    if declared is not None:
        return float(declared)
    keys = [k for k in SECURITY_SEVERITY if rule.code.startswith(k)]
    return SECURITY_SEVERITY[max(keys, key=len)] if keys else None


def tags(rule) -> Tuple[str, ...]:
    """The rule's tags: its own, its checklist item, and `security` for security rules."""
    out = ["mcp", *([f"checklist-item-{rule.item}"] if rule.item else []), *rule.tags]
    if security_severity(rule) is not None:
        out.append("security")
    return tuple(dict.fromkeys(out))


# -- doc text --------------------------------------------------------------------------------

_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)


def section(doc: str, title: str) -> str:
    """The body of the `## title` section of a rule docstring ('' when absent)."""
    parts = _SECTION.split(doc)
    for index in range(1, len(parts) - 1, 2):
        if parts[index].strip() == title:
            return parts[index + 1].strip()
    return ""


def plain_paragraph(markdown: str, limit: int) -> str:
    """Markdown prose as one plain-text paragraph of at most `limit` characters, cut at a
    sentence (else a word) boundary. Code blocks are dropped, inline marks removed."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) -> text
    text = text.replace("`", "").replace("**", "")
    text = re.sub(r"(?<![\w*])[*_](?=\S)([^*_\n]+?)(?<=\S)[*_](?![\w*])", r"\1", text)  # *em*, _em_; not snake_case
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit]
    sentence = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if sentence > limit // 3:
        return cut[: sentence + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…" if " " in cut else cut[: limit - 1] + "…"
