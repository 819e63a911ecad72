"""`mcp-lint check --add-noqa`: suppress every current finding with an `mcp-lint: ignore[CODE]`
comment, in each file kind's comment syntax (ruff's `--add-noqa`, for adopting the linter on
an existing codebase).

Each comment is placed at the end of the finding's line, or, where that is not a comment in
that kind (a Dockerfile instruction, a line inside a string), on its own line just above. A
placement is kept only if the file still parses and the new comment is read back as a
suppression of exactly that line; otherwise the finding is left as it was. Existing
directives on the line get the new codes added to their brackets. Running it again adds
nothing: suppressed findings are no longer reported."""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from mcp_lint import suppress
from mcp_lint.documents import classify, document_class, refine_kind
from mcp_lint.model import Finding

# Comment marker per file kind; kinds without comments (package.json) are absent.
MARKERS = {
    "python": "#", "dockerfile": "#", "k8s": "#", "compose": "#", "workflow": "#", "caddyfile": "#",
    "nginx": "#", "shell": "#", "dotenv": "#", "helm": "#", "tsconfig": "//", "typescript": "//",
}
# Engine findings about suppressions or unparsable files cannot be suppressed usefully.
NOT_SUPPRESSIBLE = {"MCP0000", "MCP0001", "MCP0002"}


@dataclass
class NoqaReport:
    added: int = 0  # comments written or extended
    files: List[str] = field(default_factory=list)
    skipped: List[Tuple[str, int, Tuple[str, ...]]] = field(default_factory=list)  # (path, line, codes)


def add_noqa(findings: Sequence[Finding], root: Path, file_kinds: Dict[str, str]) -> NoqaReport:
    report = NoqaReport()
    by_path: Dict[str, Dict[int, List[str]]] = {}
    for finding in findings:
        if finding.code not in NOT_SUPPRESSIBLE:
            codes = by_path.setdefault(finding.path, {}).setdefault(finding.location.line, [])
            if finding.code not in codes:
                codes.append(finding.code)
    top = os.path.realpath(root)
    for rel, lines in sorted(by_path.items()):
        path = root / rel
        if not os.path.realpath(path).startswith(top + os.sep) or not path.is_file():
            continue
        _add_to_file(path, rel, lines, file_kinds, report)
    return report


def _add_to_file(path: Path, rel: str, wanted: Dict[int, List[str]], file_kinds: Dict[str, str], report: NoqaReport) -> None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # files in other encodings are never rewritten
        report.skipped.extend((rel, line, tuple(codes)) for line, codes in wanted.items())
        return
    kind = classify(rel, file_kinds)
    kind = refine_kind(kind, rel, text) if kind else None
    marker = MARKERS.get(kind or "")
    changed = text
    for line in sorted(wanted, reverse=True):  # bottom up: inserted lines shift nothing still to do
        codes = tuple(sorted(wanted[line]))
        new = _place(changed, rel, kind, marker, line, codes) if marker else None
        if new is None:
            report.skipped.append((rel, line, codes))
            continue
        changed = new
        report.added += 1
    if changed != text:
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        path.write_bytes(bom + changed.encode("utf-8"))
        report.files.append(rel)


def _place(text: str, rel: str, kind: str, marker: str, line: int, codes: Tuple[str, ...]) -> Optional[str]:
    """The text with `line` suppressed for `codes`, or None when no placement is safe."""
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        return None
    existing = _existing_directive(text, rel, kind, line)
    candidates = []
    if existing is not None:
        candidates.append((_extend(lines, existing, codes), line))
    candidates.append((_end_of_line(lines, line, marker, codes), line))
    candidates.append((_own_line(lines, line, marker, codes), line + 1))
    for candidate, target in candidates:
        if candidate is not None and _covers(candidate, rel, kind, target, codes):
            return candidate
    return None


def _directive(codes: Sequence[str]) -> str:
    return f"mcp-lint: ignore[{', '.join(codes)}]"


def _end_of_line(lines: List[str], line: int, marker: str, codes: Tuple[str, ...]) -> str:
    body, ending = _split_ending(lines[line - 1])
    out = list(lines)
    out[line - 1] = f"{body.rstrip()}  {marker} {_directive(codes)}{ending}"
    return "".join(out)


def _own_line(lines: List[str], line: int, marker: str, codes: Tuple[str, ...]) -> str:
    body, ending = _split_ending(lines[line - 1])
    indent = body[: len(body) - len(body.lstrip())]
    out = list(lines)
    out.insert(line - 1, f"{indent}{marker} {_directive(codes)}{ending or os.linesep}")
    return "".join(out)


def _extend(lines: List[str], sup: suppress.Suppression, codes: Tuple[str, ...]) -> Optional[str]:
    """Add `codes` into the brackets of an end-of-line directive already on the line."""
    body, ending = _split_ending(lines[sup.comment_line - 1])
    start = sup.column - 1
    comment = body[start:]
    match = suppress.DIRECTIVE.search(comment)
    bracket = suppress.CODES.match(match.group("rest")) if match else None
    if bracket is None:
        return None
    merged = list(dict.fromkeys([*sup.codes, *codes]))
    at = match.start("rest") + bracket.start("codes")
    end = match.start("rest") + bracket.end("codes")
    out = list(lines)
    out[sup.comment_line - 1] = body[:start] + comment[:at] + ", ".join(merged) + comment[end:] + ending
    return "".join(out)


def _split_ending(line: str) -> Tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body):]


def _parse(text: str, rel: str, kind: str):
    document = document_class(kind)(rel, text)
    try:
        document.parse()
    except Exception:  # ParseError or SkipFile: the placement broke the file
        return None
    return document


def _existing_directive(text: str, rel: str, kind: str, line: int) -> Optional[suppress.Suppression]:
    document = _parse(text, rel, kind)
    if document is None:
        return None
    sups, _ = suppress.collect(document.comments(), document.lines)
    return next((s for s in sups if s.comment_line == line and s.target_line == line and not s.file_level), None)


def _covers(text: str, rel: str, kind: str, target: int, codes: Tuple[str, ...]) -> bool:
    document = _parse(text, rel, kind)
    if document is None:
        return False
    sups, _ = suppress.collect(document.comments(), document.lines)
    covered = {c for s in sups if s.target_line == target and not s.file_level for c in s.codes}
    return set(codes) <= covered
