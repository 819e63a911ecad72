"""Checklist item 5: on Kubernetes, a preStop delay absorbs the endpoint-removal race."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from mcp_lint.model import Finding, Location, Severity
from mcp_lint.rule import Invalid, ProjectRule, Valid

from .sources import BATCH_KINDS, is_third_party_image


@dataclass(frozen=True)
class _Container:
    name: str
    ports: Tuple[str, ...]
    location: Location  # where `lifecycle` should go: the container's first line


@dataclass(frozen=True)
class _Workload:
    label: str
    labels: Tuple[Tuple[str, str], ...]
    containers: Tuple[_Container, ...]  # serving containers without a preStop hook
    first_serving: Optional[_Container]  # when no container declares a port


class MissingPrestopDelay(ProjectRule):
    """
    ## What it does
    Flags a container of a Kubernetes workload (Deployment, StatefulSet, DaemonSet,
    ReplicaSet, Pod) that serves traffic (declares a `containerPort`, or its pod is selected
    by a Service in the project) and has no `lifecycle.preStop` hook.

    Not flagged: Jobs and CronJobs; containers with any preStop hook (a `sleep` action, an
    exec or an httpGet: its length is the author's choice), also when a Kustomize patch of
    the same workload adds it; containers of public database, broker or proxy images.

    ## Why is this bad?
    SIGTERM and the removal of the pod from the Service endpoints happen at the same time, and
    endpoint updates take a few seconds to reach every node and load balancer. A server that
    stops listening at once still receives requests in that window, which fail. A short preStop
    sleep keeps it serving until the endpoint removal has propagated; SIGTERM comes after.

    ## Example
    ```yaml
    containers:
      - name: server
        image: ghcr.io/acme/mcp:1.0
        ports: [{containerPort: 8000}]
    ```

    ## Use instead
    ```yaml
    containers:
      - name: server
        image: ghcr.io/acme/mcp:1.0
        ports: [{containerPort: 8000}]
        lifecycle:
          preStop:
            sleep: {seconds: 5}   # or exec: {command: ["sleep", "5"]} before Kubernetes 1.29
    ```
    Remember that the preStop time counts against `terminationGracePeriodSeconds`.
    """

    code = "MCP0504"
    name = "missing-prestop-delay"
    item = 5
    severity = Severity.INFO
    summary = "Serving Kubernetes container has no preStop delay"
    fix_hint = "Add `lifecycle.preStop` with a short sleep (5 s) and keep terminationGracePeriodSeconds above drain + sleep."
    kinds = ("k8s",)

    @classmethod
    def collect(cls, document, options):
        workloads: List[_Workload] = []
        selectors: List[Tuple[Tuple[str, str], ...]] = []
        hooked: List[Tuple[str, Optional[str]]] = []  # (workload, container) with a preStop hook
        for obj in document.objects():
            if obj.kind == "Service":
                selector = tuple(sorted(obj.string_map("spec.selector").items()))
                if selector:
                    selectors.append(selector)
            elif obj.pod_spec_path and obj.kind not in BATCH_KINDS:
                workload = _workload(obj)
                if workload is not None:
                    workloads.append(workload)
                hooked.extend((obj.label, c.value("name")) for c in obj.containers() if c.get("lifecycle.preStop") is not None)
        return {"workloads": workloads, "selectors": selectors, "hooked": hooked}

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        selectors = [s for facts in facts_by_path.values() for s in facts["selectors"]]
        # A Kustomize patch of the same workload may add the hook.
        hooked = {h for facts in facts_by_path.values() for h in facts["hooked"]}
        for facts in facts_by_path.values():
            for workload in facts["workloads"]:
                for container in _serving(workload, selectors):
                    if (workload.label, container.name) in hooked:
                        continue
                    yield cls().make_finding(container.location, _message(workload, container), snippet=f"{workload.label} {container.name}")

    VALID = [
        Valid(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mcp}
            spec:
              template:
                spec:
                  containers:
                    - name: server
                      image: ghcr.io/acme/mcp:1.0
                      ports: [{containerPort: 8000}]
                      lifecycle:
                        preStop:
                          sleep: {seconds: 5}
            """,
            path="k8s/deployment.yaml",
        ),
        Valid(
            """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers:
                        - name: job
                          image: ghcr.io/acme/mcp:1.0
                          ports: [{containerPort: 9090}]
            """,
            path="k8s/cron.yaml",
        ),
        Valid(
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: cache}
            spec:
              template:
                spec:
                  containers:
                    - name: redis
                      image: redis:7
                      ports: [{containerPort: 6379}]
            """,
            path="k8s/redis.yaml",
        ),
        Valid(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: worker}
            spec:
              template:
                metadata: {labels: {app: worker}}
                spec:
                  containers:
                    - name: worker
                      image: ghcr.io/acme/worker:1.0
            """,
            path="k8s/worker.yaml",
            files={"k8s/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: mcp}\nspec:\n  selector: {app: mcp}\n  ports: [{port: 80}]\n"},
        ),
        Valid(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mcp}
            spec:
              template:
                spec:
                  containers:
                    - name: server
                      image: ghcr.io/acme/mcp:1.0
                      ports: [{containerPort: 8000}]
            """,
            path="k8s/base/deployment.yaml",
            files={
                "k8s/overlays/prod/prestop-patch.yaml": """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: mcp}
                    spec:
                      template:
                        spec:
                          containers:
                            - name: server
                              lifecycle:
                                preStop: {exec: {command: ["sleep", "5"]}}
                """,
            },
        ),
    ]
    INVALID = [
        Invalid(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mcp}
            spec:
              template:
                spec:
                  containers:
                    - name: server
                      image: ghcr.io/acme/mcp:1.0
                      ports:
                        - containerPort: 8000
            """,
            path="k8s/deployment.yaml",
            line=8,
            message="container `server` of Deployment `mcp` serves port 8000",
            severity="info",
        ),
        Invalid(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mcp}
            spec:
              template:
                metadata:
                  labels: {app: mcp, tier: web}
                spec:
                  containers:
                    - name: server
                      image: ghcr.io/acme/mcp:1.0
            """,
            path="k8s/deployment.yaml",
            files={"k8s/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: mcp}\nspec:\n  selector: {app: mcp}\n  ports: [{port: 80, targetPort: 8000}]\n"},
            line=10,
            message="selected by a Service",
        ),
    ]


def _workload(obj) -> Optional[_Workload]:
    serving: List[_Container] = []
    first: Optional[_Container] = None
    for container in obj.containers():
        if is_third_party_image(container.value("image")) or container.get("lifecycle.preStop") is not None:
            continue
        ports = tuple(p.value("containerPort") or "" for p in container.children("ports"))
        entry = _Container(container.value("name") or "?", tuple(p for p in ports if p), container.location_of("lifecycle"))
        first = first or entry
        if entry.ports:
            serving.append(entry)
    if first is None:
        return None
    labels = tuple(sorted(obj.pod_labels().items()))
    return _Workload(obj.label, labels, tuple(serving), None if serving else first)


def _serving(workload: _Workload, selectors) -> Iterable[_Container]:
    if workload.containers:
        return workload.containers
    labels = set(workload.labels)
    if workload.first_serving is not None and any(set(s) <= labels for s in selectors):
        return (workload.first_serving,)
    return ()


def _message(workload: _Workload, container: _Container) -> str:
    how = f"serves port {', '.join(container.ports)}" if container.ports else "is selected by a Service"
    return (
        f"container `{container.name}` of {workload.label} {how} but has no preStop delay: requests routed before the "
        "endpoint removal reaches every node arrive after SIGTERM and fail"
    )
