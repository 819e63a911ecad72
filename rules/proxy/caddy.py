"""Checklist item 12 for Caddy: a `reverse_proxy` in front of the MCP stream must not buffer it."""

from __future__ import annotations

from typing import Dict, List, Optional

from mcp_lint.documents.caddyfile import Directive
from mcp_lint.model import Severity
from mcp_lint.rule import DocumentRule, Invalid, Valid
from mcp_lint_rules.proxy import STREAM_PATHS, directive_location, is_stream_path

ROUTING_BLOCKS = {"handle", "handle_path", "route"}
RESPONSE_BUFFERING = ("response_buffers", "buffer_responses")  # the second is the pre-2.7 spelling


class CaddyProxyBuffersStream(DocumentRule):
    """
    ## What it does
    Flags a Caddy `reverse_proxy` that serves the MCP endpoint (a site, `handle`, `handle_path`
    or `route` whose path matcher, inline or named, addresses `/mcp`, `/sse` or `/messages`, or
    the proxy's own matcher) and sets `response_buffers` (or the older `buffer_responses`).
    Snippets (`import name`) and imported files are followed.

    ## Why is this bad?
    With `response_buffers` Caddy reads up to that many bytes of the upstream's body before it
    sends anything, whatever the content type: progress notifications and results of a
    streaming tool call arrive late, in one batch, or not before the client gives up.

    Caddy's defaults are right for MCP: it flushes `text/event-stream` and responses without a
    length immediately, and a `flush_interval` is ignored for them. So neither a positive
    `flush_interval` nor a missing `flush_interval -1` is reported.

    ## Example
    ```caddyfile
    mcp.example.com {
        handle /mcp* {
            reverse_proxy app:8000 {
                response_buffers 4MB
            }
        }
    }
    ```

    ## Use instead
    ```caddyfile
    mcp.example.com {
        handle /mcp* {
            reverse_proxy app:8000 {
                flush_interval -1
            }
        }
    }
    ```

    ## Options
    `stream-paths`: the request paths of the MCP endpoint (default `/mcp`, `/sse`, `/messages`).
    """

    code = "MCP1201"
    name = "caddy-proxy-buffers-stream"
    item = 12
    severity = Severity.WARNING
    summary = "Caddy reverse_proxy buffers the MCP event stream"
    fix_hint = "Remove `response_buffers` from the reverse_proxy serving the MCP endpoint (`flush_interval -1` makes immediate flushing explicit)."
    kinds = ("caddyfile",)
    requires = ("response_buffers", "buffer_responses", "import")
    options = {"stream-paths": STREAM_PATHS}

    def check(self) -> None:
        for site in self.document.sites():
            matchers = _named_matchers(site.block or [])
            addresses = [site.name, *site.args]
            self._visit(site.block or [], any(self._matches(a) for a in addresses), matchers)

    def _matches(self, pattern: str) -> bool:
        return is_stream_path(pattern, self.option("stream-paths"))

    def _stream_matcher(self, argument: Optional[str], inherited: bool, matchers: Dict[str, List[str]]) -> bool:
        """Whether a directive's matcher argument selects the stream (no matcher: inherited)."""
        if argument is None or not argument.startswith(("/", "@", "*")):
            return inherited
        if argument.startswith("@"):
            return any(self._matches(p) for p in matchers.get(argument, ()))
        return self._matches(argument)

    def _visit(self, directives: List[Directive], stream: bool, matchers: Dict[str, List[str]]) -> None:
        for directive in directives:
            first = directive.args[0] if directive.args else None
            if directive.name == "reverse_proxy":
                if self._stream_matcher(first, stream, matchers):
                    self._check_proxy(directive)
            elif directive.name in ROUTING_BLOCKS:
                self._visit(directive.block or [], self._stream_matcher(first, stream, matchers), matchers)
            elif directive.block is not None and not directive.name.startswith("@"):
                self._visit(directive.block, stream, matchers)

    def _check_proxy(self, proxy: Directive) -> None:
        for directive in proxy.block or ():
            if directive.name in RESPONSE_BUFFERING and directive.args[:1] != ["0"]:
                location, related = directive_location(directive, self.document.path, "buffering set here")
                self.report(
                    location,
                    f"`{' '.join([directive.name, *directive.args])}` on the reverse_proxy to "
                    f"{' '.join(a for a in proxy.args if not a.startswith(('/', '@')))} (MCP endpoint): Caddy holds "
                    "back that much of the event stream before the client sees any of it",
                    related=related,
                )

    VALID = [
        Valid(
            """
            mcp.example.com {
                handle /mcp* {
                    reverse_proxy app:8000 {
                        flush_interval -1
                    }
                }
            }
            """,
            path="Caddyfile",
        ),
        Valid(
            """
            example.com {
                handle /mcp* {
                    reverse_proxy app:8000
                }
                handle /downloads/* {
                    reverse_proxy files:9000 {
                        response_buffers 4MB
                    }
                }
            }
            """,
            path="Caddyfile",
        ),
        Valid(
            """
            example.com {
                reverse_proxy /mcp* app:8000 {
                    flush_interval 1s
                }
            }
            """,
            path="Caddyfile",
        ),
    ]
    INVALID = [
        Invalid(
            """
            mcp.example.com {
                handle /mcp* {
                    reverse_proxy app:8000 {
                        response_buffers 4MB
                    }
                }
            }
            """,
            path="Caddyfile",
            line=4,
            message="`response_buffers 4MB` on the reverse_proxy to app:8000",
        ),
        Invalid(
            """
            (buffered) {
                response_buffers 1MB
            }

            example.com {
                @stream path /sse /messages/*
                reverse_proxy @stream backend:3000 {
                    import buffered
                }
            }
            """,
            path="Caddyfile",
            line=2,
            count=1,
        ),
        Invalid(
            """
            :8080

            route /api/mcp/* {
                reverse_proxy localhost:3000 {
                    buffer_responses
                }
            }
            """,
            path="Caddyfile.prod",
            count=1,
            line=5,
        ),
    ]


def _named_matchers(directives: List[Directive]) -> Dict[str, List[str]]:
    """`@name path /a /b` and `@name { path /a }` -> {"@name": ["/a", "/b"]} (path and
    path_regexp; other matcher types contribute no path)."""
    found: Dict[str, List[str]] = {}
    for directive in directives:
        if not directive.name.startswith("@"):
            continue
        lines = [[directive.args[0], *directive.args[1:]]] if directive.args else []
        lines += [[d.name, *d.args] for d in directive.block or ()]
        for kind, *values in lines:
            if kind == "path":
                found.setdefault(directive.name, []).extend(values)
            elif kind == "path_regexp" and values:
                found.setdefault(directive.name, []).append(values[-1])
    return found
