"""Inline suppressions, the same in every file kind (in that kind's comment syntax):

    x = risky()  # mcp-lint: ignore[MCP0701, MCP0403] reason
    # mcp-lint: ignore[MCP0701] reason           (own line: applies to the line below; further
                                                  own-line comments may sit in between)
    # mcp-lint: file-ignore[MCP0703] reason      (anywhere: the whole file)

Codes (or rule names) are required; a bare ignore is reported and not applied. Suppressions
that suppress nothing are reported as MCP0001."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Sequence, Set, Tuple

from mcp_lint.documents.base import Comment
from mcp_lint.model import Finding, Location

MARKER = "mcp-lint"  # lower-case; a file without it has no directives
DIRECTIVE = re.compile(r"mcp-lint\s*:\s*(?P<kind>file-ignore|ignore)\b(?P<rest>.*)", re.IGNORECASE)
CODES = re.compile(r"^\s*\[(?P<codes>[^\]]*)\]")
CODE_TOKEN = re.compile(r"^(MCP\d{4}|[a-z][a-z0-9-]*)$", re.IGNORECASE)


@dataclass
class Suppression:
    comment_line: int
    column: int
    end_column: int
    codes: Tuple[str, ...]  # as written, normalised upper-case codes or lower-case names
    file_level: bool
    target_line: int  # 0 for file-level
    used: Set[str] = field(default_factory=set)
    # For the autofix that removes unused codes (mcp_lint/suppress_fix.py):
    text: str = ""  # the comment without its marker
    own_line: bool = False
    gap: int = 0  # whitespace characters between the code and an end-of-line comment
    line_end: int = 0  # column one past the last character of the comment's line


@dataclass
class BadSuppression:
    line: int
    column: int
    end_column: int
    reason: str


def parse_comment(text: str) -> Optional[Tuple[str, Optional[List[str]]]]:
    """('ignore'|'file-ignore', codes or None when missing/malformed) for a directive comment."""
    match = DIRECTIVE.search(text)
    if match is None:
        return None
    kind = match.group("kind").lower()
    bracket = CODES.match(match.group("rest"))
    if bracket is None:
        return kind, None
    codes = [c.strip() for c in bracket.group("codes").split(",") if c.strip()]
    if not codes or not all(CODE_TOKEN.match(c) for c in codes):
        return kind, None
    return kind, [c.upper() if c.upper().startswith("MCP") else c.lower() for c in codes]


def collect(comments: Iterable[Comment], lines: Sequence[str]) -> Tuple[List[Suppression], List[BadSuppression]]:
    suppressions: List[Suppression] = []
    bad: List[BadSuppression] = []
    for comment in comments:
        parsed = parse_comment(comment.text)
        if parsed is None:
            continue
        kind, codes = parsed
        end = comment.column + len(comment.text) + 1
        if codes is None:
            bad.append(BadSuppression(comment.line, comment.column, end, f"`mcp-lint: {kind}` needs codes in brackets"))
            continue
        if kind == "file-ignore":
            target = 0
        elif comment.own_line:
            target = _next_code_line(lines, comment.line)
        else:
            target = comment.line
        whole = lines[comment.line - 1] if 0 < comment.line <= len(lines) else ""
        before = whole[: comment.column - 1]
        gap = len(before) - len(before.rstrip())
        suppressions.append(
            Suppression(
                comment.line, comment.column, end, tuple(codes), kind == "file-ignore", target,
                text=comment.text, own_line=comment.own_line, gap=gap, line_end=len(whole.rstrip("\r\n")) + 1,
            )
        )
    return suppressions, bad


def _next_code_line(lines: Sequence[str], line: int) -> int:
    """The line an own-line directive on `line` applies to: the next line that is not itself a
    comment, so several directives can be stacked. A blank line ends the search: the
    directive must sit directly above its target."""
    for index in range(line, len(lines)):
        stripped = lines[index].strip()
        if not stripped.startswith(("#", "//")):
            return index + 1
    return line + 1


def apply(findings: List[Finding], suppressions: List[Suppression]) -> List[Finding]:
    """The findings no suppression covers; marks the suppressions that were used."""
    kept = []
    for finding in findings:
        suppressor = _covering(finding, suppressions)
        if suppressor is None:
            kept.append(finding)
    return kept


def _covering(finding: Finding, suppressions: List[Suppression]) -> Optional[Suppression]:
    # Line directives first: when a file-ignore is redundant for this finding, the line
    # directive gets the credit wherever the two sit in the file.
    ordered = sorted(suppressions, key=lambda s: s.file_level)
    for sup in ordered:
        if not (sup.file_level or sup.target_line == finding.location.line):
            continue
        for code in sup.codes:
            if code == finding.code or code == finding.name:
                sup.used.add(code)
                return sup
    return None


def unused_locations(path: str, suppressions: List[Suppression], known: Set[str]) -> List[Tuple[Suppression, Location, str]]:
    """(suppression, location, message) for each suppression code that was unknown or did not fire."""
    result = []
    for sup in suppressions:
        for code in sup.codes:
            if code in sup.used:
                continue
            why = f"unknown rule {code!r}" if code not in known else f"no {code} finding here"
            result.append((sup, Location(path, sup.comment_line, sup.column, sup.comment_line, sup.end_column), f"Unused suppression: {why}"))
    return result
