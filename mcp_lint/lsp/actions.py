"""What the editor can do about a finding: apply its fix, suppress it on its line, fix the
whole file. Edits are computed here on plain text in mcp-lint's positions; the server turns
them into LSP edits."""

from __future__ import annotations

import difflib
from typing import Callable, List, Optional, Sequence, Tuple

from mcp_lint import suppress
from mcp_lint.documents import document_class
from mcp_lint.lsp.convert import lines_with_ends
from mcp_lint.fixer import MAX_PASSES, _still_parses, apply_edits, fixable
from mcp_lint.model import Edit, Finding

REASON = "<reason>"  # placeholder the user replaces with why the finding is accepted
# Comment marker per file kind where it is not `#`; kinds that cannot hold a comment at all
# (npm rejects comments in package.json) are None.
COMMENT_MARKERS = {"tsconfig": "//", "typescript": "//", "packagejson": None, "ecs": None}


def directive(code: str, marker: str) -> str:
    return f"{marker} mcp-lint: ignore[{code}] {REASON}"


def suppression_edit(rel: str, text: str, kind: str, line: int, code: str) -> Optional[Edit]:
    """An edit adding `# mcp-lint: ignore[CODE] <reason>` for a finding on `line`: at the end
    of the line when the file kind reads a comment there, else on its own line above. Each
    candidate is checked by parsing the edited text and collecting its suppressions exactly as
    a lint would, so a line continued with a backslash, a line inside a string or a
    Dockerfile instruction (comments only at line start) gets the form that really works."""
    marker = COMMENT_MARKERS.get(kind, "#")
    lines = text.splitlines()
    if marker is None or not 0 < line <= len(lines):
        return None
    current = lines[line - 1]
    newline = "\r\n" if "\r\n" in text else "\n"
    indent = current[: len(current) - len(current.lstrip())]
    candidates = [
        (Edit(line, len(current) + 1, line, len(current) + 1, f"  {directive(code, marker)}"), line),
        (Edit(line, 1, line, 1, f"{indent}{directive(code, marker)}{newline}"), line + 1),
    ]
    for edit, target in candidates:
        edited, _ = apply_edits(text, [edit])
        if _suppresses(rel, edited, kind, target, code):
            return edit
    return None


def _suppresses(rel: str, text: str, kind: str, line: int, code: str) -> bool:
    document = document_class(kind)(rel, text)
    try:
        document.parse()
        found, _ = suppress.collect(document.comments(), document.lines)
    except Exception:  # the edit broke the file (ParseError) or its comments: not this form
        return False
    return any(s.target_line == line and code in s.codes for s in found)


def fix_all(text: str, lint: Callable[[str], Sequence[Finding]], rel: str, unsafe: bool = False) -> str:
    """The text with every (safe, or also unsafe) fix applied, re-linting after each pass
    since a fix can uncover or remove others; a pass whose result no longer parses stops."""
    for _ in range(MAX_PASSES):
        findings = fixable(lint(text), unsafe)
        if not findings:
            break
        fixed, _ = apply_edits(text, [e for f in findings for e in f.fix.edits])
        if fixed == text or not _still_parses(rel, fixed):
            break
        text = fixed
    return text


def line_edits(before: str, after: str) -> List[Tuple[int, int, str]]:
    """Line-level replacements turning `before` into `after`, as (first line, end line, new
    text) with 0-based lines, end exclusive, so an editor keeps the cursor and folds on the
    lines that did not change. The end may be len(lines): the end of the text."""
    old, new = lines_with_ends(before), lines_with_ends(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [(i1, i2, "".join(new[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
