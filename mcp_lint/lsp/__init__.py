"""The language server (`mcp-lint server`). Needs the `lsp` extra (pygls, lsprotocol), which the
linter itself does not: the server module is only imported when the command runs."""

from __future__ import annotations

import sys

EXTRA_HINT = 'mcp-lint server needs the language server extra: pip install "mcp-prodlint[lsp]"'


def main() -> int:
    """Run the server over stdio; exit 2 with a hint when the extra is not installed."""
    try:
        from mcp_lint.lsp.server import serve
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in ("pygls", "lsprotocol", "cattrs", "attrs"):
            print(f"mcp-lint: error: {EXTRA_HINT} ({exc.name} is missing)", file=sys.stderr)
            return 2
        raise
    return serve()
