"""Checklist item 12 for Kubernetes: an ingress-nginx Ingress routing the MCP endpoint must not
buffer the stream or cut long tool calls."""

from __future__ import annotations

from typing import List

from mcp_lint.model import Severity
from mcp_lint.rule import DocumentRule, Invalid, Valid
from mcp_lint_rules.proxy import STREAM_PATHS, is_stream_path, seconds

PREFIX = "nginx.ingress.kubernetes.io/"


class IngressBuffersStream(DocumentRule):
    """
    ## What it does
    Flags an ingress-nginx `Ingress` (class `nginx`, or carrying `nginx.ingress.kubernetes.io/`
    annotations) with a path that addresses the MCP endpoint (`/mcp`, `/sse`, `/messages`) when
    it sets `nginx.ingress.kubernetes.io/proxy-buffering: "on"` or a `proxy-read-timeout`
    annotation below a floor (default 300 s). The controller's defaults (buffering off, 60 s read
    timeout) are not reported: the Python SDKs keep event streams alive with a comment every 15 s.

    ## Why is this bad?
    Buffering holds progress notifications and streamed results back until the buffer fills or
    the call ends. The read timeout is the longest silence the controller accepts from the pod: a
    tool call answered with one JSON response after a longer silence fails with a 504.

    ## Example
    ```yaml
    metadata:
      annotations:
        nginx.ingress.kubernetes.io/proxy-buffering: "on"
        nginx.ingress.kubernetes.io/proxy-read-timeout: "30"
    ```

    ## Use instead
    ```yaml
    metadata:
      annotations:
        nginx.ingress.kubernetes.io/proxy-buffering: "off"
        nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
    ```

    ## Options
    `floor-seconds` (default 300); `stream-paths` (default `/mcp`, `/sse`, `/messages`).
    """

    code = "MCP1204"
    name = "ingress-buffers-stream"
    item = 12
    severity = Severity.WARNING
    summary = "Ingress in front of the MCP endpoint buffers the stream or cuts long tool calls"
    fix_hint = 'Annotate the Ingress with `nginx.ingress.kubernetes.io/proxy-buffering: "off"` and a `proxy-read-timeout` longer than the longest tool call.'
    kinds = ("k8s",)
    requires = ("Ingress",)
    options = {"stream-paths": STREAM_PATHS, "floor-seconds": 300}

    def check(self) -> None:
        for ingress in self.document.objects():
            if ingress.kind != "Ingress" or not self._is_nginx(ingress):
                continue
            paths = [p for p in self._paths(ingress) if is_stream_path(p, self.option("stream-paths"))]
            if paths:
                self._check_annotations(ingress, paths[0])

    def _is_nginx(self, ingress) -> bool:
        annotations = ingress.child("metadata.annotations")
        keys = [k.value for k, _ in annotations.node.value] if annotations else []
        cls = ingress.value("spec.ingressClassName") or ingress.value(["metadata", "annotations", "kubernetes.io/ingress.class"]) or ""
        return "nginx" in cls.lower() or any(str(k).startswith(PREFIX) for k in keys)

    def _paths(self, ingress) -> List[str]:
        found = []
        for rule in ingress.children("spec.rules"):
            found.extend(p.value("path") or "" for p in rule.children("http.paths"))
        return found

    def _check_annotations(self, ingress, path: str) -> None:
        buffering = ["metadata", "annotations", PREFIX + "proxy-buffering"]
        if (ingress.value(buffering) or "").lower() == "on":
            self.report(ingress.location_of(buffering), f"{ingress.label} routes `{path}` (MCP endpoint) with proxy buffering on: events reach clients in batches")
        timeout = ["metadata", "annotations", PREFIX + "proxy-read-timeout"]
        value = seconds(ingress.value(timeout) or "")
        floor = self.option("floor-seconds")
        if value is not None and value < floor:
            self.report(
                ingress.location_of(timeout),
                f"{ingress.label} routes `{path}` (MCP endpoint) with proxy-read-timeout {value:g} s: a tool call silent for longer is cut with a 504 (floor: {floor} s)",
            )

    VALID = [
        Valid(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: mcp
              annotations:
                nginx.ingress.kubernetes.io/proxy-buffering: "off"
                nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
            spec:
              ingressClassName: nginx
              rules:
                - host: mcp.example.com
                  http:
                    paths:
                      - path: /mcp
                        pathType: Prefix
                        backend: {service: {name: mcp, port: {number: 8000}}}
            """,
            path="k8s/ingress.yaml",
        ),
        Valid(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              annotations:
                nginx.ingress.kubernetes.io/proxy-buffering: "on"
                nginx.ingress.kubernetes.io/proxy-read-timeout: "10"
            spec:
              rules:
                - http:
                    paths:
                      - path: /static
                        pathType: Prefix
                        backend: {service: {name: web, port: {number: 80}}}
            """,
            path="k8s/web-ingress.yaml",
        ),
        Valid(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: mcp
              annotations:
                traefik.ingress.kubernetes.io/router.entrypoints: websecure
            spec:
              ingressClassName: traefik
              rules:
                - http:
                    paths:
                      - path: /mcp
                        pathType: Prefix
                        backend: {service: {name: mcp, port: {number: 8000}}}
            """,
            path="k8s/ingress.yaml",
        ),
    ]
    INVALID = [
        Invalid(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: mcp
              annotations:
                nginx.ingress.kubernetes.io/proxy-buffering: "on"
                nginx.ingress.kubernetes.io/proxy-read-timeout: "30"
            spec:
              rules:
                - http:
                    paths:
                      - path: /mcp
                        pathType: Prefix
                        backend: {service: {name: mcp, port: {number: 8000}}}
            """,
            path="k8s/ingress.yaml",
            count=2,
            line=6,
            message="Ingress `mcp` routes `/mcp` (MCP endpoint) with proxy buffering on",
        ),
        Invalid(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: api
              annotations:
                kubernetes.io/ingress.class: nginx
                nginx.ingress.kubernetes.io/proxy-read-timeout: "120"
            spec:
              rules:
                - http:
                    paths:
                      - path: /
                        pathType: Prefix
                        backend: {service: {name: web, port: {number: 80}}}
                      - path: /sse
                        pathType: Prefix
                        backend: {service: {name: mcp, port: {number: 8000}}}
            """,
            path="deploy/ingress.yml",
            line=7,
            message="proxy-read-timeout 120 s",
        ),
    ]
