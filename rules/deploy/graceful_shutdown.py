"""Checklist item 5: graceful shutdown with drain. The server must receive SIGTERM (exec form,
PID 1), drain for a bounded time, and the platform must wait longer than that drain."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Tuple

from mcp_lint.model import Edit, Finding, Fix, Location, Severity
from mcp_lint.rule import Invalid, ProjectRule, Valid

from .facts import DeployFacts, Drain, Grace, format_seconds
from .sources import FACT_READERS, is_third_party_image, python_drains

INITS = {"tini", "tini-static", "dumb-init", "docker-init", "catatonit", "init"}
SHELLS = {"sh", "bash", "ash", "dash", "zsh"}
# Commands that start a long-running server process from an entrypoint script.
SERVER_COMMANDS = {"python", "python3", "uvicorn", "gunicorn", "hypercorn", "node", "fastmcp", "mcp", "uvx", "npx", "bun", "deno"}
RUNNERS = {"uv", "poetry", "pipenv", "pdm", "hatch", "rye"}  # `uv run python -m server`
USER_SWITCHERS = {"gosu", "su-exec"}  # `gosu app python server.py`
_SHELL_SYNTAX = re.compile(r"[$&|;'\"<>*?`(){}\[\]\\~#]")


def _base(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def _is_python(word: str) -> bool:
    return re.fullmatch(r"python(\d+(\.\d+)?)?", _base(word)) is not None


class ShellFormEntrypoint(ProjectRule):
    """
    ## What it does
    Flags a final-stage `CMD` or `ENTRYPOINT` in shell form (`CMD python -m server`), or in exec
    form wrapping a shell (`["sh", "-c", "uvicorn app:app"]`) whose last command does not start
    with `exec`. Also flags the entrypoint script the Dockerfile starts (`docker-entrypoint.sh`)
    when its last command launches the server (python, uvicorn, gunicorn, node, fastmcp,
    `uv run`...) without `exec`.

    Not flagged: exec form, shell form in earlier build stages, `exec` in front of the server,
    an init (`tini`, `dumb-init`) as ENTRYPOINT, scripts that trap SIGTERM and forward it, images
    built on a public proxy or database image (`FROM nginx:1.25`: the proxy beside the server).

    ## Why is this bad?
    In shell form `/bin/sh -c` is PID 1. The shell does not forward SIGTERM to the server, so the
    server never starts its drain: the platform waits the whole grace period and then SIGKILLs
    it, dropping every open session and skipping the shutdown cleanup. The same happens when a
    script starts the server as a child instead of replacing itself with `exec`.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY . /app
    CMD python -m server --port 8000
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    COPY . /app
    CMD ["python", "-m", "server", "--port", "8000"]
    ```
    In an entrypoint script, end with `exec python -m server` (or `exec "$@"`).
    """

    code = "MCP0501"
    name = "shell-form-entrypoint"
    item = 5
    severity = Severity.WARNING
    summary = "Container start command does not run the server as PID 1"
    fix_hint = "Use the exec form (`CMD [\"python\", \"-m\", \"server\"]`), start the server with `exec` in shell commands and entrypoint scripts, or put tini in front."
    kinds = ("dockerfile", "shell")

    @classmethod
    def collect(cls, document, options):
        if document.kind == "shell":
            return {"launch": _unexec_launch(document)}
        return _dockerfile_start(cls(), document)

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        scripts: Dict[str, List[Tuple[Location, str]]] = {}
        for path, facts in facts_by_path.items():
            if facts.get("launch"):
                scripts.setdefault(_base(path), []).append(facts["launch"])
        for path, facts in facts_by_path.items():
            yield from facts.get("findings", ())
        by_script: Dict[Tuple[Location, str], List[Location]] = {}
        for path, facts in facts_by_path.items():
            for name, started_at in facts.get("scripts", ()):
                for location, command in scripts.get(name, ()):
                    by_script.setdefault((location, command), []).append(started_at)
        for (location, command), starts in by_script.items():
            message = (
                f"`{location.path}` starts the server with `{command}` without `exec`: the script's shell stays PID 1, "
                "so SIGTERM never reaches the server and it is SIGKILLed without draining"
            )
            yield cls().make_finding(location, message, related=starts, snippet=command)

    VALID = [
        Valid('FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "-m", "server"]\n', path="Dockerfile"),
        # The reverse proxy's image beside the server (enterprise-mcp-bridge's examples).
        Valid("FROM nginx:1.25-alpine\nCMD envsubst < /t/app.conf > /etc/nginx/nginx.conf && nginx -g 'daemon off;'\n", path="Dockerfile.nginx"),
        Valid(
            """
            FROM python:3.12 AS build
            RUN pip wheel -w /wheels .
            CMD echo "build stage only"

            FROM python:3.12-slim
            COPY --from=build /wheels /wheels
            ENTRYPOINT ["uvicorn", "server:app", "--host", "0.0.0.0"]
            """,
            path="Dockerfile",
        ),
        Valid('FROM python:3.12-slim\nCMD ["sh", "-c", "exec python -m server"]\n', path="Dockerfile"),
        Valid("FROM python:3.12-slim\nCMD exec uvicorn server:app --port ${PORT:-8000}\n", path="Dockerfile"),
        Valid(
            'FROM python:3.12-slim\nRUN apt-get install -y tini\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD python -m server\n',
            path="Dockerfile",
        ),
        Valid(
            'FROM node:22-slim\nCOPY . .\nCMD ["/bin/sh", "-c", "npm run migrate && exec node dist/index.js"]\n',
            path="Dockerfile",
        ),
        Valid(
            """
            #!/bin/sh
            set -e
            python -m server.migrate
            exec uvicorn server:app --host 0.0.0.0
            """,
            path="docker-entrypoint.sh",
            files={"Dockerfile": 'FROM python:3.12\nCOPY docker-entrypoint.sh /\nENTRYPOINT ["/docker-entrypoint.sh"]\n'},
        ),
        Valid(
            """
            #!/bin/bash
            # Not started by any Dockerfile: a developer helper.
            python -m server --reload
            """,
            path="scripts/dev.sh",
            files={"Dockerfile": 'FROM python:3.12\nCMD ["python", "-m", "server"]\n'},
        ),
        Valid(
            """
            #!/bin/sh
            trap 'kill -TERM "$child"' TERM
            python -m server &
            child=$!
            wait "$child"
            """,
            path="entrypoint.sh",
            files={"Dockerfile": 'FROM python:3.12\nENTRYPOINT ["./entrypoint.sh"]\n'},
        ),
    ]
    INVALID = [
        Invalid("FROM python:3.12-slim\nCOPY . /app\nCMD python -m server --port 8000\n", path="Dockerfile", line=3, message="shell form"),
        Invalid("FROM ghcr.io/acme/nginx-mcp-server:1\nCMD nginx-mcp --port 8000\n", path="Dockerfile", line=2),  # an MCP server named for what it wraps
        Invalid(
            """
            FROM python:3.12 AS base
            CMD ["python", "-m", "server"]

            FROM base
            ENTRYPOINT uv run server
            """,
            path="Dockerfile",
            line=5,
            count=1,
        ),
        Invalid(
            'FROM python:3.12-slim\nCMD ["sh", "-c", "alembic upgrade head && uvicorn app:app --port $PORT"]\n',
            path="Dockerfile",
            line=2,
            message="without `exec`",
        ),
        Invalid(
            """
            #!/bin/sh
            set -e
            python -m server.migrate
            uv run python -m server --transport streamable-http  # the server
            """,
            path="docker/docker-entrypoint.sh",
            files={"Dockerfile": 'FROM python:3.12\nCOPY docker/docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\n'},
            line=4,
            message="`docker/docker-entrypoint.sh` starts the server with `uv run python -m server",
        ),
        Invalid(
            """
            #!/usr/bin/env bash
            set -euo pipefail
            export NODE_ENV=production
            node dist/index.js
            """,
            path="start.sh",
            files={"Dockerfile": 'FROM node:22-slim\nCOPY . /app\nCMD ["bash", "/app/start.sh"]\n'},
            line=4,
        ),
    ]


def _dockerfile_start(rule: ShellFormEntrypoint, document) -> dict:
    """Findings on the final image's start command, and the scripts it starts (by name)."""
    facts: dict = {"findings": [], "scripts": []}
    stage = document.final_stage
    if stage is not None and is_third_party_image(document.stage_chain(stage)[0].base):
        return facts  # an nginx or database image beside the server: not the server's process
    entrypoints, cmds = document.final_instructions("ENTRYPOINT"), document.final_instructions("CMD")
    entrypoint = entrypoints[-1] if entrypoints else None
    cmd = cmds[-1] if cmds else None
    if entrypoint is not None and cmd is not None and cmd.stage < entrypoint.stage:
        cmd = None  # ENTRYPOINT in a later stage resets the inherited CMD
    for instruction in (entrypoint, cmd):
        if instruction is None:
            continue
        form = instruction.exec_form
        if form and _base(form[0]) in INITS:
            return {"findings": [], "scripts": []}
        finding = _start_problem(rule, document, instruction, form)
        if finding is not None:
            facts["findings"].append(finding)
        first = _started_program(instruction, form)
        if first:
            facts["scripts"].append((_base(first), document.location(instruction, "started by this instruction")))
        if instruction is entrypoint and form is None:
            break  # a shell-form ENTRYPOINT ignores CMD
    return facts


def _start_problem(rule, document, instruction, form) -> Optional[Finding]:
    location = document.location(instruction)
    snippet = document.line_text(instruction.line).strip()
    if form is None and not _ends_with_exec(instruction.args):
        shown = f"{instruction.keyword} {instruction.args}"
        message = (
            f"`{shown[:60]}` uses the shell form: `/bin/sh -c` is PID 1 and does not forward SIGTERM, "
            "so the server never drains and is SIGKILLed at the end of the grace period"
        )
        return rule.make_finding(location, message, fix=_exec_form_fix(instruction), snippet=snippet)
    if form and len(form) >= 3 and _base(form[0]) in SHELLS and form[1] == "-c" and not _ends_with_exec(form[2]):
        message = (
            f"`{instruction.keyword}` runs the server under `{form[0]} -c` without `exec`: the shell stays PID 1 "
            "and does not forward SIGTERM, so the server never drains"
        )
        return rule.make_finding(location, message, fix_hint="Start the last command with `exec` (`sh -c \"... && exec uvicorn ...\"`).", snippet=snippet)
    return None


def _ends_with_exec(command: str) -> bool:
    last = re.split(r"&&|\|\||;", command)[-1].strip()
    return last.startswith("exec ")


def _started_program(instruction, form) -> str:
    """The program the start command runs: `./entrypoint.sh` for `sh -c "exec ./entrypoint.sh"`
    or `["bash", "/entrypoint.sh"]`."""
    if form is None:
        command = instruction.args
    elif len(form) >= 3 and _base(form[0]) in SHELLS and form[1] == "-c":
        command = form[2]
    elif len(form) >= 2 and _base(form[0]) in SHELLS and not form[1].startswith("-"):
        return form[1]
    else:
        return form[0] if form else ""
    words = re.split(r"&&|;", command)[-1].split()
    words = words[1:] if words[:1] == ["exec"] else words
    return words[0] if words else ""


def _exec_form_fix(instruction) -> Optional[Fix]:
    """Only for a one-line command without any shell syntax: splitting it on spaces is exact."""
    if not instruction.single_line or _SHELL_SYNTAX.search(instruction.args):
        return None
    words = instruction.args.split()
    edit = Edit(instruction.line, instruction.args_column, instruction.line, instruction.end_column, json.dumps(words))
    return Fix("Use the exec form (the server becomes PID 1 and receives SIGTERM)", (edit,), "unsafe")


def _unexec_launch(document) -> Optional[Tuple[Location, str]]:
    """The script's last command, when it starts a server in the foreground without `exec`."""
    command = document.last_command()
    if command is None or command.background or "TERM" in document.trapped_signals:
        return None
    words = list(command.words)
    while words and "=" in words[0] and not words[0].startswith("-"):
        words = words[1:]  # `PORT=8000 python ...`
    if words and _base(words[0]) in USER_SWITCHERS:
        words = words[2:]
    if not words or words[0] == "exec":
        return None
    program = _base(words[0])
    launches = program in SERVER_COMMANDS or _is_python(program) or (program in RUNNERS and words[1:2] == ["run"])
    if not launches:
        return None
    return document.location(command, "server started here"), " ".join(command.words[:5])


class GracePeriodNotAboveDrain(ProjectRule):
    """
    ## What it does
    Compares the platform's grace period with the server's drain timeout, across the project.
    Grace: Kubernetes `terminationGracePeriodSeconds` (30 s when absent) minus the pod's
    preStop sleep, also when a Helm chart's templates take it (and the preStop hook) from
    values.yaml; compose `stop_grace_period` (10 s when absent); the `stopTimeout` of an ECS
    task definition's essential containers (30 s when absent). Drain: uvicorn
    `timeout_graceful_shutdown` (code, `uvicorn_config`, `--timeout-graceful-shutdown`),
    gunicorn/hypercorn `--graceful-timeout`, and variables or settings named like
    `DRAIN_TIMEOUT_MS`, `SHUTDOWN_TIMEOUT`, `GRACEFUL_SHUTDOWN_TIMEOUT_S` (in manifests, compose
    `environment`, Helm values `env`, ECS `environment`, Dockerfile `ENV`, `.env.example`,
    `os.getenv` defaults, settings classes).
    A drain set on the workload itself (its env or args) wins over one found elsewhere; among
    several, the longest counts. `_MS` means milliseconds; bare numbers are seconds.

    Not flagged: a grace period longer than the drain; a project with no drain configured
    (nothing to compare); values that are not literals (`$(DRAIN)`, `${GRACE:-30s}`);
    Jobs and CronJobs; database or proxy containers from public images; a compose service
    built from another folder than the file that sets the drain (`build: ./frontend`); a compose
    service that runs a prebuilt image named neither like an MCP server nor like the project
    (`n8nio/n8n`, `node:22-alpine` running a one-off script) and neither sets a drain nor starts
    an HTTP server of its own.

    ## Why is this bad?
    When the grace period ends, the platform sends SIGKILL. A drain that is still waiting for
    sessions is cut off: in-flight tool calls drop, and the shutdown cleanup (closing pools,
    flushing logs) never runs. The grace period must be wider than the drain.

    ## Example
    ```yaml
    spec:
      template:
        spec:
          terminationGracePeriodSeconds: 20
          containers:
            - name: server
              env:
                - name: DRAIN_TIMEOUT_MS
                  value: "25000"
    ```

    ## Use instead
    ```yaml
          terminationGracePeriodSeconds: 40   # drain 25 s + preStop 5 s + margin
    ```
    """

    code = "MCP0502"
    scope = "mcp-project"  # the drain may be set in a module that never mentions MCP
    name = "grace-period-not-above-drain"
    item = 5
    severity = Severity.ERROR
    summary = "Platform grace period is not longer than the server's drain timeout"
    fix_hint = "Make the grace period (terminationGracePeriodSeconds / stop_grace_period / ECS stopTimeout) longer than the drain timeout plus any preStop sleep, or shorten the drain."
    kinds = ("k8s", "compose", "dockerfile", "dotenv", "shell", "python", "helm", "ecs")
    # `image` and `containerDefinitions`: a chart or task definition without a grace period
    # gets the platform default, compared with drains set elsewhere.
    requires = ("kind", "services", "TIMEOUT", "timeout", "Timeout", "GracePeriod", "image", "containerDefinitions")

    @classmethod
    def collect(cls, document, options):
        if document.kind == "python":
            return DeployFacts(drains=python_drains(document))
        return FACT_READERS[document.kind](document)

    @classmethod
    def check(cls, facts_by_path, project) -> Iterable[Finding]:
        everywhere = [d for facts in facts_by_path.values() for d in facts.drains]
        graces = [g for facts in facts_by_path.values() for g in facts.graces]
        # A Kustomize patch or a compose override file may set the grace of the same workload.
        overridden = {(g.platform, g.workload) for g in graces if g.explicit}
        for grace in graces:
            if not grace.runs_project(project.root.name):
                continue
            if grace.explicit or (grace.platform, grace.workload) not in overridden:
                drains = grace.local_drains or [d for d in everywhere if grace.applies_to(d)]
                if drains:
                    yield from cls._compare(grace, max(drains, key=lambda d: d.seconds))

    @classmethod
    def _compare(cls, grace: Grace, drain: Drain) -> Iterable[Finding]:
        window = grace.seconds - grace.prestop
        if window > drain.seconds:
            return
        prestop = f" minus the {format_seconds(grace.prestop)} preStop sleep" if grace.prestop else ""
        message = (
            f"{grace.platform} {grace.workload}: {grace.written}{prestop} leaves {format_seconds(window)} before SIGKILL, "
            f"but the drain timeout is {format_seconds(drain.seconds)} ({drain.what} in "
            f"{drain.location.path}:{drain.location.line}); the server is killed mid-drain"
        )
        related = [replace(drain.location, message="drain timeout set here")]
        yield cls().make_finding(grace.location, message, related=related, snippet=f"{grace.workload} {grace.written}")

    VALID = [
        Valid(  # a helper's private shutdown constant is not the server's drain
            "services:\n  mcp:\n    build: .\n",
            path="compose.yaml",
            files={"workers/harness.py": "import signal\n\n_DEFAULT_SHUTDOWN_TIMEOUT = 30.0\n"},
        ),
        Valid(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mcp}
            spec:
              template:
                spec:
                  terminationGracePeriodSeconds: 45
                  containers:
                    - name: server
                      image: ghcr.io/acme/mcp:1.0
                      env:
                        - name: DRAIN_TIMEOUT_MS
                          value: "25000"
            """,
            path="deploy/deployment.yaml",
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
            """,
            path="deploy/deployment.yaml",
        ),
        Valid(
            """
            services:
              db:
                image: postgres:16
              mcp:
                build: .
                stop_grace_period: 1m30s
                environment:
                  DRAIN_TIMEOUT: 60s
            """,
            path="compose.yaml",
        ),
        Valid(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: reindex}
            spec:
              template:
                spec:
                  containers:
                    - name: job
                      image: ghcr.io/acme/mcp:1.0
                      env:
                        - {name: SHUTDOWN_TIMEOUT, value: "120"}
            """,
            path="deploy/job.yaml",
        ),
        Valid(
            """
            services:
              mcp:
                build: .
                environment:
                  DRAIN_TIMEOUT_MS: ${DRAIN_TIMEOUT_MS:-30000}
            """,
            path="docker-compose.yml",
        ),
        Valid(
            """
            services:
              web:
                build: ./frontend
              api:
                build:
                  context: ./api
                stop_grace_period: 40s
            """,
            path="compose.yaml",
            files={"api/settings.py": "class Settings:\n    shutdown_timeout: int = 30\n"},
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
                      env: [{name: DRAIN_TIMEOUT, value: "45"}]
            """,
            path="k8s/base/deployment.yaml",
            files={
                "k8s/overlays/prod/grace-patch.yaml": """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: mcp}
                    spec:
                      template:
                        spec:
                          terminationGracePeriodSeconds: 60
                """,
            },
        ),
        Valid(  # another product's image and a base image running a one-off script are other programs
            """
            services:
              workflow-engine:
                image: n8nio/n8n:latest
                entrypoint: ["sh", "-c", "sleep 300"]
              extractor:
                image: node:22-alpine
                volumes: ["./:/app"]
                command: node /app/scripts/extract.js
            """,
            path="docker-compose.extract.yml",
            files={"server.py": "import uvicorn\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('search')\n_DRAIN_TIMEOUT = 30.0\n"},
        ),
    ]
    INVALID = [
        Invalid(  # the project's published image runs the server whose drain the code sets
            """
            services:
              server:
                image: ghcr.io/acme/search-mcp:latest
              worker:
                image: node:22-alpine
                command: uvicorn app:app --timeout-graceful-shutdown 15
            """,
            path="compose.yaml",
            files={"server.py": "import uvicorn\n\n_DRAIN_TIMEOUT = 30.0\n"},
            count=2,
        ),
        Invalid(
            "services:\n  mcp:\n    build: .\n",
            path="compose.yaml",
            files={"server.py": "import uvicorn\n\n_DRAIN_TIMEOUT = 30.0\n"},
            line=2,
            message="drain timeout is 30 s",
        ),
        Invalid(  # an ECS task definition: stopTimeout is the grace period
            """
            {
              "family": "mcp",
              "containerDefinitions": [
                {
                  "name": "server",
                  "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mcp:1",
                  "stopTimeout": 20,
                  "environment": [{"name": "DRAIN_TIMEOUT_MS", "value": "25000"}]
                }
              ]
            }
            """,
            path="ecs/task-definition.json",
            line=7,
            message="ECS task definition `mcp` container `server`: stopTimeout: 20 leaves 20 s before SIGKILL",
        ),
        Invalid(  # a Helm chart: the template takes the grace period from values.yaml
            "image: {repository: ghcr.io/acme/mcp}\nterminationGracePeriodSeconds: 15\n",
            path="chart/values.yaml",
            files={
                "chart/Chart.yaml": "apiVersion: v2\nname: mcp\nversion: 1.0.0\n",
                "chart/templates/deployment.yaml": "kind: Deployment\nspec:\n  template:\n    spec:\n"
                "      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}\n",
                ".env.example": "SHUTDOWN_TIMEOUT=20\n",
            },
            line=2,
            message="Kubernetes Helm chart `mcp`: terminationGracePeriodSeconds: 15 in values.yaml leaves 15 s",
        ),
        Invalid(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mcp}
            spec:
              template:
                spec:
                  terminationGracePeriodSeconds: 20
                  containers:
                    - name: server
                      image: ghcr.io/acme/mcp:1.0
                      env:
                        - name: DRAIN_TIMEOUT_MS
                          value: "25000"
            """,
            path="deploy/deployment.yaml",
            line=7,
            message="terminationGracePeriodSeconds: 20 leaves 20 s before SIGKILL, but the drain timeout is 25 s",
            severity="error",
        ),
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
                      lifecycle:
                        preStop:
                          exec: {command: ["sleep", "5"]}
            """,
            path="k8s/deployment.yaml",
            files={"src/server/settings.py": "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    drain_timeout_ms: int = 25000\n"},
            line=6,
            message="minus the 5 s preStop sleep leaves 25 s before SIGKILL, but the drain timeout is 25 s (`drain_timeout_ms = 25000` in src/server/settings.py:4)",
        ),
        Invalid(
            """
            services:
              mcp:
                build: .
                command: ["uvicorn", "server:app", "--timeout-graceful-shutdown", "15"]
            """,
            path="compose.yaml",
            line=2,
            message="no stop_grace_period (default 10 s)",
        ),
        Invalid(
            """
            services:
              mcp:
                build: .
                stop_grace_period: 30s
            """,
            path="compose.yaml",
            files={".env.example": "SHUTDOWN_TIMEOUT=45\n"},
            line=4,
            message="`SHUTDOWN_TIMEOUT=45` in .env.example:1",
        ),
    ]

