"""mcp-lint's positions and findings in LSP terms.

mcp-lint counts 1-based lines and 1-based columns in Unicode code points, end exclusive; LSP
counts 0-based lines and characters in the code units the client and server agreed on at
initialisation (UTF-16 unless the client offers another), so a character outside the Basic
Multilingual Plane is one column for mcp-lint and two characters for most editors. Lines are
split as LSP splits them (\\n, \\r\\n, \\r)."""

from __future__ import annotations

import re
from typing import Callable, List, Optional, Sequence

from lsprotocol import types

from mcp_lint.model import Edit, Finding, Location, Severity

# The one place rule documentation is linked from (codeDescription, "open documentation").
DOCS_URL = "https://github.com/mcp-lint/mcp-lint/blob/main/docs/rules/{code}.md"
SOURCE = "mcp-lint"
UNNECESSARY = frozenset({"MCP0001"})  # unused suppressions: editors grey them out

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def doc_url(code: str) -> str:
    return DOCS_URL.format(code=code)


def split_lines(text: str) -> List[str]:
    """The lines of `text` as LSP numbers them (a final line break opens an empty last line)."""
    return _LINE_BREAK.split(text)


def lines_with_ends(text: str) -> List[str]:
    """Like `split_lines`, each line keeping its line break (no empty last line)."""
    return _LINE_WITH_END.findall(text)


def end_of_text(text: str, encoding: str) -> types.Position:
    lines = split_lines(text)
    return types.Position(len(lines) - 1, units(lines[-1], encoding))


def units(text: str, encoding: str = types.PositionEncodingKind.Utf16) -> int:
    """The length of `text` in the client's code units."""
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def position(lines: Sequence[str], line: int, column: int, encoding: str) -> types.Position:
    """A 1-based (line, code-point column) as an LSP position, clamped to the text."""
    if line > len(lines):
        last = lines[-1] if lines else ""
        return types.Position(max(len(lines) - 1, 0), units(last, encoding))
    index = max(line, 1) - 1
    text = lines[index]
    return types.Position(index, units(text[: min(max(column - 1, 0), len(text))], encoding))


def to_range(lines: Sequence[str], line: int, column: int, end_line: int, end_column: int, encoding: str) -> types.Range:
    return types.Range(position(lines, line, column, encoding), position(lines, end_line, end_column, encoding))


def location_range(lines: Sequence[str], loc: Location, encoding: str) -> types.Range:
    return to_range(lines, loc.line, loc.column, loc.end_line, loc.end_column, encoding)


def text_edit(lines: Sequence[str], edit: Edit, encoding: str) -> types.TextEdit:
    return types.TextEdit(to_range(lines, edit.line, edit.column, edit.end_line, edit.end_column, encoding), edit.content)


def diagnostic(
    finding: Finding,
    lines: Sequence[str],
    encoding: str,
    related_lines: Callable[[str], Sequence[str]],
    uri_of: Callable[[str], str],
) -> types.Diagnostic:
    """The LSP diagnostic for a finding in a document whose text is `lines`. Related locations
    may be in other files: `related_lines(rel)` gives their text, `uri_of(rel)` their URI."""
    message = finding.message
    if finding.fix_hint:
        message = f"{message}\nFix: {finding.fix_hint}"
    related: Optional[List[types.DiagnosticRelatedInformation]] = [
        types.DiagnosticRelatedInformation(
            types.Location(uri_of(loc.path), location_range(related_lines(loc.path), loc, encoding)),
            loc.message or "related location",
        )
        for loc in finding.related
    ] or None
    return types.Diagnostic(
        range=location_range(lines, finding.location, encoding),
        message=message,
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=doc_url(finding.code)),
        source=SOURCE,
        related_information=related,
        tags=[types.DiagnosticTag.Unnecessary] if finding.code in UNNECESSARY else None,
        data={"fingerprint": finding.fingerprint, "fixable": finding.fix is not None},
    )
