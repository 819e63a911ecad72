"""reviewdog's Diagnostic Format (rdjson): `reviewdog -f=rdjson` posts the findings as review
comments, with suggestions from the autofix edits and the rule page as the code URL.
rdjson columns count UTF-8 bytes; ours count code points, so they are converted from the
source line when the file can be read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Optional

from mcp_lint.docs import REPOSITORY, help_uri
from mcp_lint.model import Severity

SEVERITY = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


class _Bytes:
    """Code point column -> UTF-8 byte column, per file line (read once)."""

    def __init__(self, root: Optional[Path]):
        self.root = root
        self.lines: Dict[str, List[str]] = {}

    def column(self, path: str, line: int, column: int) -> int:
        if self.root is None:
            return column
        if path not in self.lines:
            try:
                self.lines[path] = (self.root / path).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                self.lines[path] = []
        lines = self.lines[path]
        if not 0 < line <= len(lines):
            return column
        return len(lines[line - 1][: column - 1].encode("utf-8")) + 1

    def range(self, path: str, line: int, column: int, end_line: int, end_column: int) -> dict:
        return {
            "start": {"line": line, "column": self.column(path, line, column)},
            "end": {"line": end_line, "column": self.column(path, end_line, end_column)},
        }


def diagnostic(f, columns: _Bytes) -> dict:
    loc = f.location
    _range = lambda *span: columns.range(loc.path, *span)  # noqa: E731
    out = {
        "message": f.message + (f"\nhelp: {f.fix_hint}" if f.fix_hint else ""),
        "location": {"path": loc.path, "range": _range(loc.line, loc.column, loc.end_line, loc.end_column)},
        "severity": SEVERITY[f.severity],
        "code": {"value": f.code, "url": help_uri(f.code)},
    }
    if f.fix is not None:
        out["suggestions"] = [
            {"range": _range(e.line, e.column, e.end_line, e.end_column), "text": e.content} for e in f.fix.edits
        ]
    return out


def render(result, root=None, color: bool = False) -> str:
    columns = _Bytes(Path(root) if root is not None else None)
    document = {
        "source": {"name": "mcp-lint", "url": REPOSITORY},
        "severity": "WARNING",
        "diagnostics": [diagnostic(f, columns) for f in result.findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
