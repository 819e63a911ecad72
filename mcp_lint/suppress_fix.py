"""The autofix of MCP0001 (unused suppression): drop the codes that suppressed nothing, and
the whole comment when none is left (its line too, when the comment stood alone). Removing a
comment cannot change behaviour, so the fix is safe."""

from __future__ import annotations

from typing import Optional

from mcp_lint.model import Edit, Fix
from mcp_lint.suppress import CODES, DIRECTIVE, Suppression


def removal_fix(sup: Suppression, unused: set) -> Optional[Fix]:
    if not sup.text or not sup.line_end:
        return None  # built by an older cache entry or a caller that kept no comment text
    line = sup.comment_line
    text_start = sup.line_end - len(sup.text)
    match = DIRECTIVE.search(sup.text)
    if match is None:
        return None
    kept = [code for code in sup.codes if code not in unused]
    if kept:
        bracket = CODES.match(match.group("rest"))
        if bracket is None:
            return None
        start = text_start + match.start("rest") + bracket.start("codes")
        end = text_start + match.start("rest") + bracket.end("codes")
        return Fix(f"Remove unused code(s) {', '.join(sorted(unused))}", (Edit(line, start, line, end, ", ".join(kept)),))
    prefix = sup.text[: match.start()]
    if prefix.strip(" \t#/!"):  # another tool's comment shares the line: keep it
        cut = len(prefix.rstrip(" \t#/"))
        edit = Edit(line, text_start + cut, line, sup.line_end, "")
    elif sup.own_line:
        edit = Edit(line, 1, line + 1, 1, "")
    else:
        edit = Edit(line, sup.column - sup.gap, line, sup.line_end, "")
    return Fix("Remove the unused suppression comment", (edit,))
