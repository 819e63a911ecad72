"""Parser unit tests for the deployment document kinds: Dockerfile, Kubernetes/compose YAML,
shell scripts and `.env` examples."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mcp_lint.config import Config
from mcp_lint.documents.base import ParseError, SkipFile
from mcp_lint.documents.dockerfile import DockerfileDocument
from mcp_lint.documents.dotenv import DotenvDocument
from mcp_lint.documents.shell import ShellDocument
from mcp_lint.documents.yaml_docs import ComposeDocument, KubernetesDocument
from mcp_lint.model import Severity
from mcp_lint.engine import run
from mcp_lint_rules.deploy.facts import drain_from_variable, duration, servers_in
from mcp_lint.model import Location


def parsed(cls, text, path="x"):
    document = cls(path, textwrap.dedent(text).lstrip("\n"))
    document.parse()
    return document


# -- Dockerfile ---------------------------------------------------------------------------


def test_dockerfile_continuations_heredocs_and_stages():
    doc = parsed(
        DockerfileDocument,
        """
        # syntax=docker/dockerfile:1
        ARG PY=3.12
        FROM python:${PY} AS build
        RUN pip install \\
            # a comment inside the continuation
            uv \\

            && echo done
        RUN <<EOF
        echo "it's fine"
        EOF
        COPY <<-'CONF' /etc/app.conf
        \tkey = value
        \tCONF
        FROM build AS final
          cmd ["python", "-m", "server"]
        """,
    )
    keywords = [(i.keyword, i.line, i.column, i.end_line) for i in doc.instructions]
    assert keywords == [
        ("ARG", 2, 1, 2), ("FROM", 3, 1, 3), ("RUN", 4, 1, 8), ("RUN", 9, 1, 11), ("COPY", 12, 1, 14),
        ("FROM", 15, 1, 15), ("CMD", 16, 3, 16),
    ]
    assert doc.instructions[2].args.split() == ["pip", "install", "uv", "&&", "echo", "done"]
    assert doc.instructions[3].heredocs == ('echo "it\'s fine"',)
    assert doc.instructions[4].heredocs == ("key = value",)
    assert doc.directives == {"syntax": "docker/dockerfile:1"}
    assert [s.name for s in doc.stage_chain(doc.final_stage)] == ["build", "final"]
    assert doc.final_instructions("CMD")[0].exec_form == ["python", "-m", "server"]
    assert [c.line for c in doc.comments()] == [1, 5]


def test_dockerfile_exec_and_shell_form():
    doc = parsed(DockerfileDocument, 'FROM x\nCMD ["a", "b"]\nCMD [a, b]\nCMD ["a", 1]\nCMD a b\n')
    assert [i.exec_form for i in doc.instructions[1:]] == [["a", "b"], None, None, None]


def test_dockerfile_escape_directive():
    doc = parsed(DockerfileDocument, "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir C:\\ `\n    && echo ok\n")
    assert doc.instructions[1].end_line == 4
    assert doc.instructions[1].args.split() == ["dir", "C:\\", "&&", "echo", "ok"]


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("FROM x\nBOGUS y\n", 2, "unknown instruction"),
        ("CMD x\n", 1, "before the first FROM"),
        ("FROM x\nRUN <<EOF\necho\n", 2, "never closed"),
        ("FROM x\n[\"a\"]\n", 2, "expected an instruction"),
    ],
)
def test_dockerfile_errors(text, line, fragment):
    with pytest.raises(ParseError) as info:
        DockerfileDocument("Dockerfile", text).parse()
    assert info.value.line == line and fragment in info.value.message


def test_dockerfile_suppression_applies_to_the_next_instruction(tmp_path: Path):
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12\n# mcp-lint: ignore[MCP0501] tini is added by the platform (--init)\nCMD python \\\n    -m server\n"
    )
    result = run([tmp_path], Config(root=tmp_path, select=["MCP0501", "MCP0001"], exclude=[]), jobs=1)
    assert result.findings == []


# -- YAML -------------------------------------------------------------------------------


MANIFEST = """
apiVersion: apps/v1
kind: Deployment   # the server
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: server
          image: ghcr.io/acme/web:1   # pinned
          args: ["--flag", "value # not a comment"]
          command:
            - |
              echo "# not a comment either"
---
# an empty document follows
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      selector: {app: web}
"""


def test_kubernetes_objects_paths_and_locations():
    doc = parsed(KubernetesDocument, MANIFEST, "k8s/web.yaml")
    deployment, service = doc.objects()
    assert (deployment.kind, deployment.name, service.kind) == ("Deployment", "web", "Service")
    assert deployment.pod_labels() == {"app": "web"}
    assert service.string_map("spec.selector") == {"app": "web"}
    container = deployment.containers()[0]
    assert container.value("image") == "ghcr.io/acme/web:1"
    assert deployment.value("spec.template.spec.containers.0.name") == "server"
    assert deployment.location_of("spec.template.spec.containers.0.image") == Location("k8s/web.yaml", 12, 11, 12, 16)
    # A missing key points at its parent's key.
    missing = deployment.location_of("spec.template.spec.terminationGracePeriodSeconds")
    assert (missing.line, missing.column, missing.end_column) == (9, 5, 9)
    assert (container.location_of("lifecycle").line, container.location_of("lifecycle").column) == (11, 11)
    assert [(c.line, c.text.strip(), c.own_line) for c in doc.comments()] == [
        (2, "the server", False), (12, "pinned", False), (18, "an empty document follows", True),
    ]


def test_yaml_merge_keys_and_compose_services():
    doc = parsed(
        ComposeDocument,
        """
        x-base: &base
          stop_grace_period: 30s
          environment: {A: "1"}
        services:
          api:
            <<: *base
            build: .
          db:
            image: postgres:16
        """,
        "compose.yaml",
    )
    api, db = doc.services()
    assert (api.name, api.value("stop_grace_period"), api.string_map("environment")) == ("api", "30s", {"A": "1"})
    assert api.key_location().line == 5 and db.get("build") is None


def test_yaml_helm_template_is_skipped_but_quoted_templates_parse():
    with pytest.raises(SkipFile):
        KubernetesDocument("t.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n").parse()
    with pytest.raises(SkipFile):
        KubernetesDocument("t.yaml", "{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\n{{- end }}\n").parse()
    doc = parsed(KubernetesDocument, 'apiVersion: v1\nkind: PrometheusRule\nmetadata:\n  name: "{{ $labels.x }}"\n')
    assert doc.objects()[0].name == "{{ $labels.x }}"


def test_yaml_error_position():
    with pytest.raises(ParseError) as info:
        KubernetesDocument("x.yaml", "apiVersion: v1\nkind: Pod\nspec: [a, b\n").parse()
    assert info.value.line == 4 and "invalid YAML" in info.value.message


# -- shell ------------------------------------------------------------------------------


def test_shell_commands():
    doc = parsed(
        ShellDocument,
        """
        #!/bin/sh
        set -e
        trap 'kill -TERM $pid' TERM
        start() {
          python slow.py
        }
        cat <<EOF > /tmp/motd
        don't parse "this
        EOF
        if [ -n "$DEBUG" ]; then echo "debug"; fi
        MESSAGE="two
        lines"
        PORT=8000 uvicorn app:app \\
          --host 0.0.0.0 &  # started in the background
        wait
        """,
    )
    words = [(c.words[0], c.line, c.in_function, c.background) for c in doc.commands]
    assert words == [
        ("set", 2, False, False), ("trap", 3, False, False), ("python", 5, True, False), ("cat", 7, False, False),
        ("[", 10, False, False), ("echo", 10, False, False), ("MESSAGE=two\nlines", 11, False, False),
        ("PORT=8000", 13, False, True), ("wait", 15, False, False),
    ]
    assert doc.trapped_signals == {"TERM"}
    assert doc.last_command().words == ("wait",)
    assert [(c.line, c.own_line) for c in doc.comments()] == [(1, True), (14, False)]


def test_shell_unclosed_quote():
    with pytest.raises(ParseError) as info:
        ShellDocument("x.sh", 'echo "never closed\n').parse()
    assert info.value.severity is None  # the rule's own (error): bash rejects this too
    # Past a command substitution the reader may be the one that is wrong (a `case` pattern's
    # lone `)` inside `$(...)`): advice, never an error on a script bash may accept.
    with pytest.raises(ParseError) as info:
        ShellDocument("x.sh", 'kind="$(case $1 in a) echo "it\'s";; esac)"\necho done\n').parse()
    assert info.value.severity == Severity.INFO


def test_shell_quotes_nested_in_command_substitution():
    """Valid bash (`bash -n` accepts it) that a line-by-line quote tracker misreads: a heredoc
    whose body has unbalanced quotes inside a quoted `$(...)`, and a quoted multi-line sed
    script with continuation backslashes and `['\\"]` inside `$(...)`."""
    doc = parsed(
        ShellDocument,
        """
        #!/usr/bin/env bash
        NAME="$(python3 - "$CFG" <<'END'
        import re, sys
        m = re.search(r'^name\\s*=\\s*"([^"]+)"', open(sys.argv[1]).read())
        print(m.group(1) if m else 'don't know')
        END
        )"
        found=$(printf '%s' "$row" | sed -nE \\
            "s/.*from[[:space:]]*['\\"]pkg-a.*/\\1/p; \\
             s/.*require\\(['\\"]pkg-b.*/\\1/p")
        exec python -m server --name "$NAME" &
        """,
    )
    assert [(c.line, c.end_line, c.background) for c in doc.commands] == [(2, 7, False), (8, 10, False), (11, 11, True)]
    assert doc.commands[0].words[0].startswith("NAME=$(python3 - \"$CFG\" <<'END'\nimport re")  # outer quotes removed
    assert doc.commands[1].words[0].startswith("found=$(printf '%s'")
    assert doc.commands[2].words == ("exec", "python", "-m", "server", "--name", "$NAME")


# -- .env -------------------------------------------------------------------------------


def test_dotenv_entries():
    doc = parsed(
        DotenvDocument,
        """
        # comment
        export A=1
        B='x y'  # trailing
        C
        D="first
        second"
        E=value # note
        F=a#b
        """,
    )
    assert [(e.key, e.value, e.line) for e in doc.entries] == [
        ("A", "1", 2), ("B", "x y", 3), ("C", None, 4), ("D", "first", 5), ("E", "value", 7), ("F", "a#b", 8),
    ]
    assert [(c.line, c.own_line) for c in doc.comments()] == [(1, True), (3, False), (7, False)]
    with pytest.raises(ParseError):
        DotenvDocument(".env.example", "A=1\n!!!\n").parse()


# -- facts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, unit, seconds",
    [("30", 1.0, 30.0), ("25000", 0.001, 25.0), ("1m30s", 1.0, 90.0), ("500ms", 1.0, 0.5), ('"45s"', 1.0, 45.0),
     ("${GRACE:-30s}", 1.0, None), ("$(DRAIN)", 1.0, None), ("", 1.0, None)],
)
def test_duration(text, unit, seconds):
    assert duration(text, unit) == seconds


def test_drain_names_and_units():
    where = Location("x", 1, 1, 1, 2)
    assert drain_from_variable("DRAIN_TIMEOUT_MS", "25000", where).seconds == 25.0
    assert drain_from_variable("MCP_GRACEFUL_SHUTDOWN_TIMEOUT_SECONDS", "40", where).seconds == 40.0
    assert drain_from_variable("drain_timeout_ms", "1500", where).seconds == 1.5
    assert drain_from_variable("UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN", "20", where).seconds == 20.0
    assert drain_from_variable("REQUEST_TIMEOUT", "20", where) is None
    assert drain_from_variable("DRAIN_TIMEOUT_MS", "${DRAIN}", where) is None


def test_servers_in_commands():
    assert [s for s, _ in servers_in(["python", "-m", "uvicorn", "app:app"])] == ["uvicorn"]
    assert [s for s, _ in servers_in(["uv", "run", "--frozen", "gunicorn", "-k", "uvicorn.workers.UvicornWorker"])] == ["gunicorn"]
    assert list(servers_in(["pip", "install", "uvicorn"])) == []
    assert [a for _, a in servers_in(["uvicorn", "app", "--port", "80", "&&", "echo"])] == [["app", "--port", "80"]]


def test_dockerfile_quoted_heredoc_marker_is_text():
    doc = parsed(DockerfileDocument, 'FROM x\nRUN echo "a<<b" && cat <<"EOF" > /f\nhi\nEOF\nCMD ["x"]\n')
    assert [(i.keyword, i.heredocs) for i in doc.instructions] == [("FROM", ()), ("RUN", ("hi",)), ("CMD", ())]
