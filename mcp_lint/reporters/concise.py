"""One line per finding, `path:line:col: CODE [*] message`, for editors, grep and Vim's
errorformat (`%f:%l:%c: %m`). `[*]` marks a finding with an autofix."""

from __future__ import annotations


def render(result, root=None, color: bool = False) -> str:
    lines = []
    for f in result.findings:
        loc = f.location
        mark = " [*]" if f.fix is not None else ""
        lines.append(f"{loc.path}:{loc.line}:{loc.column}: {f.code}{mark} {f.message}")
    for d in result.diagnostics:
        lines.append(f"{d.path}: {d.kind}: {d.message}")
    return "".join(line + "\n" for line in lines)
