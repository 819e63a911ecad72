"""Applying autofixes (`--fix`, `--unsafe-fixes`, `--diff`), as ruff does: non-overlapping edits
per file, a re-parse check before anything is written, and re-linting until nothing fixable
is left (fixes can uncover or remove other findings).

Only findings whose fix is "safe" are applied unless unsafe fixes are asked for. Nothing is
written outside the project root, and a file whose fixed text no longer parses is left as is."""

from __future__ import annotations

import ast
import codecs
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from mcp_lint.documents import classify, document_class, refine_kind
from mcp_lint.documents.base import ParseError
from mcp_lint.model import Edit, Finding
from mcp_lint.reading import LINE_BREAKS, MAX_FILE_BYTES, read_bytes, split_lines

MAX_PASSES = 5


@dataclass
class FixReport:
    fixed: int = 0  # findings whose fix was applied
    originals: Dict[str, str] = field(default_factory=dict)  # rel path -> text before the first fix
    current: Dict[str, str] = field(default_factory=dict)  # rel path -> text after the last fix

    def diff(self) -> str:
        chunks = []
        for rel in sorted(self.current):
            chunks.extend(
                difflib.unified_diff(
                    split_lines(self.originals[rel], keepends=True),
                    split_lines(self.current[rel], keepends=True),
                    fromfile=f"a/{rel}",
                    tofile=f"b/{rel}",
                )
            )
        return "".join(chunks)


def _offsets(text: str, breaks: str) -> List[int]:
    starts, position = [0], 0
    for line in split_lines(text, keepends=True, breaks=breaks):  # the parser's line ends, not str.splitlines'

        position += len(line)
        starts.append(position)
    return starts


def apply_edits(text: str, edits: Sequence[Edit], breaks: str = LINE_BREAKS) -> Tuple[str, int]:
    """The text with the edits applied (1-based lines and columns, end exclusive, lines ending
    at `\\r\\n` or a character of `breaks`, as the parser that placed them counts them); an
    edit that overlaps one already taken is dropped. Returns (new text, number of edits applied)."""
    starts = _offsets(text, breaks)

    def offset(line: int, column: int) -> int:
        line = min(max(line, 1), len(starts) - 1) if len(starts) > 1 else 1
        return min(starts[line - 1] + column - 1, len(text))

    spans = sorted((offset(e.line, e.column), offset(e.end_line, e.end_column), e.content) for e in edits)
    kept, last_end = [], -1
    for start, end, content in spans:
        if start < last_end:
            continue  # overlaps the previous edit: left for the next pass
        kept.append((start, end, content))
        last_end = max(end, start)
    for start, end, content in reversed(kept):
        text = text[:start] + content + text[end:]
    return text, len(kept)


def _still_parses(rel: str, text: str, before: Optional[str] = None) -> bool:
    """The fixed text parses as its kind, and Python compiles (libcst accepts a few things
    CPython does not) unless the text before the fix did not compile either (newer syntax)."""
    if rel.endswith(".py") and not _compiles(text) and (before is None or _compiles(before)):
        return False
    kind = classify(rel, {})
    kind = refine_kind(kind, rel, text) if kind else None
    if kind is None:
        return True
    try:
        document_class(kind)(rel, text).parse()
    except ParseError:
        return False
    except Exception:
        return False
    return True


def _line_breaks(rel: str, text: str) -> str:
    kind = classify(rel, {})
    kind = refine_kind(kind, rel, text) if kind else None
    return document_class(kind).line_breaks if kind else LINE_BREAKS


def _compiles(text: str) -> bool:
    try:
        compile(text, "<fixed>", "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def fixable(findings: Sequence[Finding], unsafe: bool) -> List[Finding]:
    return [f for f in findings if f.fix is not None and (f.fix.applicability == "safe" or unsafe)]


def fix_files(
    lint: Callable[[], "object"], root: Path, unsafe: bool, write: bool
) -> Tuple[object, FixReport]:
    """Lint, apply fixes, repeat. `lint` re-runs the analysis on the current files. With
    `write=False` (`--diff`) a single pass is computed in memory and nothing is written."""
    report = FixReport()
    result = lint()
    root = getattr(result, "root", None) or root  # finding paths are relative to the run's base
    top = os.path.realpath(root)
    for _ in range(MAX_PASSES):
        by_path: Dict[str, List[Finding]] = {}
        for finding in fixable(result.findings, unsafe):
            by_path.setdefault(finding.path, []).append(finding)
        changed = False
        for rel, findings in sorted(by_path.items()):
            path = root / rel
            if not os.path.realpath(path).startswith(top + os.sep):
                continue
            data, _ = read_bytes(path, MAX_FILE_BYTES, root)
            if data is None or len(data) > MAX_FILE_BYTES:
                continue
            try:  # positions were computed on the text without a BOM, line endings kept
                before = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                continue  # a file in another encoding is never rewritten
            after, applied = apply_edits(before, [e for f in findings for e in f.fix.edits], _line_breaks(rel, before))
            if after == before or not _still_parses(rel, after, before):
                continue
            report.originals.setdefault(rel, before)
            report.current[rel] = after
            report.fixed += min(applied, len(findings))
            changed = True
            if write:
                bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
                path.write_bytes(bom + after.encode("utf-8"))
        if not changed or not write:
            break
        result = lint()
    return result, report
