"""GitHub Actions workflow commands: one annotation per finding."""

from __future__ import annotations

from mcp_lint.model import Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result, root=None, color: bool = False) -> str:
    lines = []
    for f in result.findings:
        loc = f.location
        props = ",".join(
            [
                f"file={_escape_property(loc.path)}",
                f"line={loc.line}",
                f"col={loc.column}",
                f"endLine={loc.end_line}",
                f"endColumn={loc.end_column}",
                f"title={_escape_property(f'{f.code} {f.name}')}",
            ]
        )
        message = f"{f.message}" + (f"\nhelp: {f.fix_hint}" if f.fix_hint else "")
        lines.append(f"::{_LEVEL[f.severity]} {props}::{_escape_data(message)}")
    for d in result.diagnostics:
        level = "error" if d.kind == "internal-error" else "warning"
        lines.append(f"::{level} file={_escape_property(d.path)},title=mcp-lint {d.kind}::{_escape_data(d.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
