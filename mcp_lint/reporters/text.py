"""Human output: each finding with its source line, rule code and fix hint, then a summary.
Colour only on a terminal (rich decides); plain text otherwise."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Dict, List, Optional

from rich.console import Console
from rich.text import Text

from mcp_lint.model import Severity
from mcp_lint.reading import MAX_FILE_BYTES, printable, read_bytes, split_lines

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _source_line(root: Optional[Path], rel: str, line: int, cache: Dict[str, List[str]]) -> Optional[str]:
    if root is None:
        return None
    if rel not in cache:
        try:
            # utf-8-sig as the engine reads it: a BOM must not shift line 1's caret.
            data, _ = read_bytes(root / rel, MAX_FILE_BYTES, root)
            cache[rel] = split_lines((data or b"").decode("utf-8-sig", errors="replace"))
        except OSError:
            cache[rel] = []
    lines = cache[rel]
    return lines[line - 1] if 0 < line <= len(lines) else None


def render(result, root: Optional[Path] = None, color: bool = False, quiet: bool = False) -> str:
    """`quiet`: the findings only, without the summary and fix hints at the end."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, highlight=False, width=200, soft_wrap=True)
    cache: Dict[str, List[str]] = {}
    for f in result.findings:
        loc = f.location
        head = Text()
        head.append(f"{printable(loc.path)}:{loc.line}:{loc.column}: ", style="bold")
        head.append(f"{f.code} ", style=_STYLE[f.severity])
        if f.fix is not None:
            head.append("[*] ", style="bold green")  # an autofix exists (--fix / --unsafe-fixes)
        head.append(f"[{f.severity.label}] ", style=_STYLE[f.severity])
        head.append(printable(f.message))
        head.append(f"  ({f.name})", style="dim")
        console.print(head)
        source = _source_line(root, loc.path, loc.line, cache)
        # A line holding control characters (a terminal escape sequence) is not echoed.
        if source is not None and source.strip() and printable(source.replace("\t", " ")) == source.replace("\t", " "):
            gutter = f"{loc.line:>5} | "
            console.print(Text(gutter, style="dim") + Text(source.expandtabs(4)))
            end = loc.end_column if loc.end_line == loc.line else len(source) + 1
            # Columns count characters; tabs were expanded for display, so measure the expanded text.
            start_width = len(source[: loc.column - 1].expandtabs(4))
            width = len(source[: end - 1].expandtabs(4)) - start_width
            caret = Text(" " * start_width + "^" * max(1, width), style=_STYLE[f.severity])
            console.print(Text(" " * (len(gutter) - 2) + "| ", style="dim") + caret)
        for rel in f.related:
            console.print(Text(f"      related: {rel.path}:{rel.line}:{rel.column} {rel.message}", style="dim"))
        if f.fix_hint:
            console.print(Text("  help: ", style="bold green") + Text(f.fix_hint))
        console.print()
    for d in result.diagnostics:
        console.print(Text(f"{d.kind}: {printable(d.path)}: {printable(d.message)}" + (f" [{d.rule}]" if d.rule else ""), style="magenta"))
    if quiet:
        return buffer.getvalue()
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    checked = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''} checked"
    if result.findings:
        summary = (
            f"Found {len(result.findings)} finding{'s' if len(result.findings) != 1 else ''} "
            f"({counts[Severity.ERROR]} error, {counts[Severity.WARNING]} warning, {counts[Severity.INFO]} info) "
            f"in {checked}."
        )
        console.print(Text(summary, style="bold"))
        safe = sum(1 for f in result.findings if f.fix is not None and f.fix.applicability == "safe")
        unsafe = sum(1 for f in result.findings if f.fix is not None) - safe
        if safe or unsafe:
            hint = f"[*] {safe} fixable with --fix" + (f"; {unsafe} more with --fix --unsafe-fixes" if unsafe else "")
            console.print(Text(hint + " (--diff to preview)."))
    else:
        console.print(Text(f"All checks passed ({checked}).", style="bold green"))
    return buffer.getvalue()
