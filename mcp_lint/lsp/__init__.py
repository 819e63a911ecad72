"""The language server (`mcp-lint server`). Needs the `lsp` extra (pygls, lsprotocol), which the
linter itself does not: the server module is only imported when the command runs."""

from __future__ import annotations

import sys

INSTALL = 'pip install "mcp-prodlint[lsp]"'
EXTRA_HINT = f"mcp-lint server needs the language server extra: {INSTALL}"


def add_parser(sub) -> None:
    """Register `mcp-lint server` (the CLI's subcommand convention: a parser whose `run` runs it)."""
    server = sub.add_parser("server", help=f"language server over stdio for editors (needs: {INSTALL})")
    server.set_defaults(run=lambda _args: main())


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
