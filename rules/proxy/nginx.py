"""Checklist item 12 for nginx: a location proxying the MCP stream must not buffer, cache or
cut it."""

from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

from mcp_lint.documents.nginx import Directive
from mcp_lint.model import Severity
from mcp_lint.rule import DocumentRule, Invalid, Valid
from mcp_lint_rules.proxy import STREAM_PATHS, directive_location, is_stream_path, seconds

NGINX_DEFAULT_READ_TIMEOUT = 60


class _StreamLocations(DocumentRule):
    """Finds each `location` that proxies the MCP stream, with its enclosing contexts
    (innermost last) so that inherited settings can be looked up as nginx does."""

    kinds = ("nginx",)
    requires = ("proxy_pass", "include")

    def stream_locations(self) -> Iterable[Tuple[Directive, List[Directive]]]:
        yield from self._walk(self.document.directives, [])

    def _walk(self, directives: List[Directive], contexts: List[Directive]) -> Iterable[Tuple[Directive, List[Directive]]]:
        for directive in directives:
            if directive.block is None or directive.name in ("if", "limit_except", "upstream", "map", "types"):
                continue
            inner = [*contexts, directive]
            if directive.name == "location" and self._is_stream(directive):
                yield directive, inner
            yield from self._walk(directive.block, inner)

    def _is_stream(self, location: Directive) -> bool:
        proxy = location.last("proxy_pass")
        if proxy is None or location.path != self.document.path:
            return False  # locations written in an included file are checked in that file
        paths = self.option("stream-paths")
        upstream_path = _url_path(proxy.args[0]) if proxy.args else ""
        return is_stream_path(location.args[-1] if location.args else "", paths) or is_stream_path(upstream_path, paths)

    @staticmethod
    def effective(name: str, contexts: List[Directive]) -> Optional[Directive]:
        """The directive in force for the innermost context: nginx inherits a directive from the
        nearest enclosing context that sets it."""
        for context in reversed(contexts):
            found = context.last(name)
            if found is not None:
                return found
        return None

    def report_at(self, location: Directive, setting: Directive, message: str, severity: Optional[Severity] = None) -> None:
        if setting.path == self.document.path and setting.via is None:
            where, related = setting.location(), []
        else:
            where, related = directive_location(setting, self.document.path, "set here")
        if setting.line != location.line or setting.path != location.path:
            related.append(location.location("the MCP location"))
        self.report(where, message, related=related, severity=severity)


def _url_path(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else ""


def _describe(location: Directive) -> str:
    return f"`location {' '.join(location.args)}`"


class NginxProxyBuffersStream(_StreamLocations):
    """
    ## What it does
    Flags an nginx `location` that proxies the MCP endpoint (its path, or the `proxy_pass`
    URL's path, addresses `/mcp`, `/sse` or `/messages`) when the response may be buffered or
    cached: `proxy_buffering on` in force (set there or inherited from `server`/`http`),
    `proxy_cache` enabled, or `proxy_ignore_headers X-Accel-Buffering` with buffering left at
    nginx's default (on). Included files are followed. Without any of these, a location that does
    not say `proxy_buffering off` is reported as info only: nginx's default is to buffer, but it
    honours the `X-Accel-Buffering: no` header that the Python MCP SDKs send on event streams;
    other servers (the TypeScript SDK, custom code) may not send it.

    ## Why is this bad?
    A buffered event stream reaches the client in batches or at the end: progress notifications
    arrive late, and a client that waits for the first event of a long tool call times out.
    A cached stream is worse: one client's events are replayed to another.

    ## Example
    ```nginx
    location /mcp {
        proxy_pass http://mcp_backend;
        proxy_buffering on;
    }
    ```

    ## Use instead
    ```nginx
    location /mcp {
        proxy_pass http://mcp_backend;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_buffering off;
        proxy_cache off;
    }
    ```

    ## Options
    `stream-paths`: the request paths of the MCP endpoint (default `/mcp`, `/sse`, `/messages`).
    """

    code = "MCP1202"
    name = "nginx-proxy-buffers-stream"
    item = 12
    severity = Severity.WARNING
    summary = "nginx location buffers or caches the MCP event stream"
    fix_hint = "In the location proxying the MCP endpoint set `proxy_buffering off;` and `proxy_cache off;` (and do not ignore `X-Accel-Buffering`)."
    options = {"stream-paths": STREAM_PATHS}

    def check(self) -> None:
        for location, contexts in self.stream_locations():
            self._check_buffering(location, contexts)
            cache = self.effective("proxy_cache", contexts)
            if cache is not None and cache.args and cache.args[0] != "off":
                self.report_at(location, cache, f"{_describe(location)} caches the MCP stream with `proxy_cache {cache.args[0]}`: events are stored and replayed instead of streamed")

    def _check_buffering(self, location: Directive, contexts: List[Directive]) -> None:
        buffering = self.effective("proxy_buffering", contexts)
        if buffering is not None:
            if buffering.args[:1] == ["on"]:
                self.report_at(location, buffering, f"`proxy_buffering on` is in force for {_describe(location)}, which proxies the MCP stream: events reach clients in batches")
            return
        ignored = self.effective("proxy_ignore_headers", contexts)
        if ignored is not None and any(a.lower() == "x-accel-buffering" for a in ignored.args):
            self.report_at(location, ignored, f"{_describe(location)} ignores the upstream's `X-Accel-Buffering: no` and leaves nginx's default `proxy_buffering on`: the MCP stream is buffered")
            return
        self.report(
            location.location(),
            f"{_describe(location)} proxies the MCP stream without `proxy_buffering off`: it relies on the server sending `X-Accel-Buffering: no` (the Python SDKs do)",
            severity=Severity.INFO,
        )

    VALID = [
        Valid(
            """
            server {
                listen 80;
                location /mcp {
                    proxy_pass http://127.0.0.1:8000;
                    proxy_http_version 1.1;
                    proxy_buffering off;
                    proxy_cache off;
                }
                location /static/ {
                    root /srv;
                    proxy_buffering on;
                }
            }
            """,
            path="nginx.conf",
        ),
        Valid(
            """
            http {
                proxy_buffering off;
                server {
                    location ~ ^/(mcp|sse) {
                        proxy_pass http://backend;
                    }
                    location / {
                        proxy_pass http://frontend;
                        proxy_cache pages;
                    }
                }
            }
            """,
            path="nginx.conf",
        ),
        Valid(
            """
            server {
                location /mcp {
                    include snippets/stream.conf;
                    proxy_pass http://app:8000;
                }
            }
            """,
            path="deploy/nginx/site.conf",
            files={"deploy/nginx/snippets/stream.conf": "proxy_buffering off;\n"},
        ),
    ]
    INVALID = [
        Invalid(
            """
            server {
                location /mcp {
                    proxy_pass http://127.0.0.1:8000;
                    proxy_buffering on;
                }
            }
            """,
            path="nginx.conf",
            line=4,
            message="`proxy_buffering on` is in force for `location /mcp`",
            severity="warning",
        ),
        Invalid(
            """
            http {
                proxy_cache_path /var/cache/nginx keys_zone=api:10m;
                server {
                    proxy_cache api;
                    location = /sse {
                        proxy_pass http://app:8000;
                        proxy_buffering off;
                    }
                }
            }
            """,
            path="nginx.conf",
            line=4,
            count=1,
            message="caches the MCP stream with `proxy_cache api`",
        ),
        Invalid(
            """
            server {
                location /api/ {
                    proxy_pass http://app:8000/mcp/;
                    proxy_ignore_headers X-Accel-Buffering;
                }
            }
            """,
            path="mcp.nginx",
            line=4,
            message="ignores the upstream's `X-Accel-Buffering: no`",
        ),
        Invalid(
            """
            server {
                location /mcp/ {
                    proxy_pass http://app:8000;
                }
            }
            """,
            path="nginx.conf",
            line=2,
            severity="info",
        ),
        Invalid(
            """
            server {
                location /mcp {
                    proxy_pass http://app:8000;
                    include buffered.conf;
                }
            }
            """,
            path="nginx/default.conf",
            files={"nginx/buffered.conf": "proxy_buffering on;\n"},
            line=4,
            message="`proxy_buffering on`",
        ),
    ]


class NginxStreamReadTimeout(_StreamLocations):
    """
    ## What it does
    Flags a `proxy_read_timeout` (in the location proxying the MCP endpoint, or inherited from
    its `server`/`http`) shorter than a floor (default 300 s). nginx's own default (60 s) is not
    reported: the Python SDKs send a keep-alive comment on event streams every 15 s, which
    resets this idle timer.

    ## Why is this bad?
    `proxy_read_timeout` is the longest silence nginx accepts from the upstream. A tool call that
    answers with one JSON response (`json_response=True`, or a server that sends no keep-alives)
    is silent until it finishes, so any call longer than the timeout fails with a 504 while the
    server keeps working on it.

    ## Example
    ```nginx
    location /mcp {
        proxy_pass http://mcp_backend;
        proxy_read_timeout 30s;
    }
    ```

    ## Use instead
    ```nginx
    location /mcp {
        proxy_pass http://mcp_backend;
        proxy_read_timeout 3600s;  # longer than the longest tool call
    }
    ```

    ## Options
    `floor-seconds` (default 300); `stream-paths` (default `/mcp`, `/sse`, `/messages`).
    """

    code = "MCP1203"
    name = "nginx-stream-read-timeout"
    item = 12
    severity = Severity.WARNING
    summary = "nginx proxy_read_timeout on the MCP location is shorter than the longest tool call may take"
    fix_hint = "Raise `proxy_read_timeout` on the MCP location above your longest tool call (and the server's keep-alive interval), e.g. `proxy_read_timeout 3600s;`."
    options = {"stream-paths": STREAM_PATHS, "floor-seconds": 300}

    def check(self) -> None:
        floor = self.option("floor-seconds")
        for location, contexts in self.stream_locations():
            timeout = self.effective("proxy_read_timeout", contexts)
            value = seconds(timeout.args[0]) if timeout is not None and timeout.args else None
            if value is not None and value < floor:
                self.report_at(
                    location,
                    timeout,
                    f"`proxy_read_timeout {timeout.args[0]}` applies to {_describe(location)}: a tool call silent for longer "
                    f"than {value:g} s is cut with a 504 (floor: {floor} s)",
                )

    VALID = [
        Valid(
            """
            server {
                location /mcp {
                    proxy_pass http://app:8000;
                    proxy_read_timeout 1h;
                }
                location /health {
                    proxy_pass http://app:8000;
                    proxy_read_timeout 5s;
                }
            }
            """,
            path="nginx.conf",
        ),
        Valid(
            """
            server {
                location /mcp {
                    proxy_pass http://app:8000;
                }
            }
            """,
            path="nginx.conf",
        ),
        Valid(
            """
            server {
                location /mcp {
                    proxy_pass http://app:8000;
                    proxy_read_timeout 120s;
                }
            }
            """,
            path="nginx.conf",
            options={"floor-seconds": 60},
        ),
    ]
    INVALID = [
        Invalid(
            """
            server {
                location /mcp {
                    proxy_pass http://app:8000;
                    proxy_read_timeout 30s;
                }
            }
            """,
            path="nginx.conf",
            line=4,
            message="`proxy_read_timeout 30s` applies to `location /mcp`",
        ),
        Invalid(
            """
            http {
                proxy_read_timeout 90;
                server {
                    location /sse {
                        proxy_pass http://app:8000;
                        proxy_buffering off;
                    }
                    location /messages/ {
                        proxy_pass http://app:8000;
                        proxy_read_timeout 10m;
                    }
                }
            }
            """,
            path="nginx.conf",
            line=2,
            count=1,
        ),
    ]
