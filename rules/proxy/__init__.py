"""Checklist item 12: the proxies in front of an MCP server must pass its event stream through
unbuffered and must not cut it. Shared here: which request paths carry the MCP stream,
duration parsing, and where to report a directive that came in through an include."""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Tuple

from mcp_lint.model import Location

# Paths of the MCP endpoints: streamable HTTP (`/mcp`), the legacy SSE transport (`/sse` for
# the stream, `/messages` for its POSTs). Configurable per rule with `stream-paths`.
STREAM_PATHS = ["/mcp", "/sse", "/messages"]

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|us|µs|ns|s|m|h|d|w|M|y)?")
_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}


def is_stream_path(pattern: str, stream_paths: Iterable[str]) -> bool:
    """Whether a path or path pattern (`/mcp`, `/mcp/*`, `/api/mcp*`, a regex `^/(mcp|sse)`)
    addresses one of the stream paths. `/` and `*` (everything) do not count: a catch-all is
    not evidence that the MCP endpoint goes through it."""
    for stream in stream_paths:
        word = re.escape(stream.strip("/"))
        # `/mcp` as a path segment (`/mcp`, `/mcp/*`, `/api/mcp`, `~ /mcp$`), or as a regex
        # alternative (`^/(mcp|sse)`), never a longer name such as `/mcp-admin`.
        if re.search(r"(/|[(|]/?)" + word + r"(?![\w-])", pattern):
            return True
    return False


def seconds(text: str) -> Optional[float]:
    """`300`, `300s`, `5m`, `1m30s`, `500ms` -> seconds; None when not a duration (a variable)."""
    text = text.strip()
    if not text or _DURATION_PART.sub("", text):
        return None
    total = 0.0
    for number, unit in _DURATION_PART.findall(text):
        total += float(number) * _SECONDS[unit or "s"]
    return total


def directive_location(directive, document_path: str, what: str) -> Tuple[Location, List[Location]]:
    """Report in the linted document: at the directive when it is written there, else at the
    include/import that brought it in, pointing at the directive as a related location."""
    if directive.path == document_path or directive.via is None:
        return directive.location(), []
    return directive.via.location(), [directive.location(what)]
