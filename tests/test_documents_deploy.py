"""Parser unit tests for the deployment document kinds: Dockerfile, Kubernetes/compose YAML,
shell scripts and `.env` examples."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from mcp_lint.config import Config
from mcp_lint.documents.base import ParseError, SkipFile
from mcp_lint.documents.dockerfile import DockerfileDocument
from mcp_lint.documents.dotenv import DotenvDocument
from mcp_lint.documents.shell import ShellDocument
from mcp_lint.documents.yaml_docs import ComposeDocument, KubernetesDocument, compose
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


def _marked(nodes):
    """Every node of the trees with its tag, value and start and end marks (aliases once)."""
    out, seen, pending = [], set(), list(reversed(nodes))
    while pending:
        node = pending.pop()
        out.append((node.tag, node.value if isinstance(node.value, str) else None,
                    node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column))
        if id(node) in seen or isinstance(node.value, str):
            continue
        seen.add(id(node))
        children = [part for pair in node.value for part in pair] if node.tag.endswith(":map") else node.value
        pending.extend(reversed(children))
    return out


@pytest.mark.parametrize("text", [
    "a: 1\n",
    "a: 1",  # no final line break: libyaml would end the mapping a line further
    "a:\n  b: 1  # trailing comment",
    "- x\n- y",
    "a: |\n  x\n  y",
    "a:\tb\n",  # a tab libyaml accepts and PyYAML rejects
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: [1, 2]\n---\nz: 'h\u00e9llo \U0001f600'\r\n",
    "key: [unclosed\n",
    "a:\u2028  b: 1\n",
])
def test_yaml_trees_are_the_pure_python_loaders(text):
    """libyaml composes where it gives the same trees; PyYAML's own loader everywhere else."""
    def pure():
        return [r for r in yaml.compose_all(text, Loader=yaml.SafeLoader) if r is not None]

    try:
        expected = _marked(pure())
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            compose(text)
        return
    assert _marked(compose(text)) == expected


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
    # What the loaders skip (python-dotenv warns, Node's dotenv is silent) is skipped: the rest loads.
    doc = DotenvDocument(".env.sample", "A=1\n!!!\n;; Rename this file to .env\nB=2\n")
    doc.parse()
    assert [(e.key, e.value, e.line) for e in doc.entries] == [("A", "1", 1), ("B", "2", 4)]


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


# -- Helm chart values and ECS task definitions ----------------------------------------------

from mcp_lint.documents import classify, refine_kind  # noqa: E402
from mcp_lint.documents.ecs import EcsTaskDefinitionDocument  # noqa: E402
from mcp_lint.documents.helm import HelmValuesDocument  # noqa: E402
from mcp_lint_rules.deploy.sources import ecs_facts, helm_facts  # noqa: E402
from mcp_lint_rules.project.probes import ecs_probes, helm_probes  # noqa: E402

CHART_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          ports:
            - containerPort: 8000
          {{- with .Values.mcp.readinessProbe }}
          readinessProbe: {{- toYaml . | nindent 12 }}
          {{- end }}
          args: {{ toJson .Values.mcp.args }}
"""
CHART_VALUES = """\
image: {repository: ghcr.io/acme/mcp}
mcp:
  readinessProbe:
    httpGet: {path: /healthz, port: 8000}
  args: ["uvicorn", "app:app", "--port", "8000"]
redis:
  readinessProbe:
    httpGet: {path: /mcp, port: 6379}
"""


def helm(tmp_path: Path, values: str = CHART_VALUES, template: str = CHART_TEMPLATE, chart: bool = True) -> HelmValuesDocument:
    folder = tmp_path / "charts" / "mcp"
    (folder / "templates").mkdir(parents=True)
    if chart:
        (folder / "Chart.yaml").write_text("apiVersion: v2\nname: mcp-server\nversion: 1.0.0\n")
    (folder / "templates" / "deployment.yaml").write_text(template)
    (folder / "values.yaml").write_text(values)
    document = HelmValuesDocument("charts/mcp/values.yaml", values)
    document.disk_path = folder / "values.yaml"
    document.parse()
    return document


def test_values_yaml_and_task_definitions_are_classified_by_content():
    assert classify("charts/mcp/values.yaml", {}) == "yaml" and refine_kind("yaml", "charts/mcp/values.yaml", "a: 1\n") == "helm"
    assert refine_kind("yaml", "charts/mcp/values.yaml", "apiVersion: v1\nkind: Pod\n") == "k8s"
    assert refine_kind("yaml", "charts/mcp/other.yaml", "a: 1\n") is None
    assert [classify(p, {}) for p in ("ecs/api.json", "task-definition.json", ".aws/taskdef.json", "specs/a.json", "data.json")] == [
        "json", "json", "json", None, None,
    ]
    assert refine_kind("json", "ecs/api.json", '{"containerDefinitions": []}') == "ecs"
    assert refine_kind("json", "ecs/api.json", '{"ContainerDefinitions": []}') is None  # CloudFormation's spelling


def test_chart_values_count_only_where_a_template_uses_them(tmp_path):
    document = helm(tmp_path)
    assert document.chart.name == "mcp-server" and document.chart.serves_ports
    assert [s.dotted for s in document.settings("readinessProbe")] == ["mcp.readinessProbe"]  # not the subchart's
    probes = helm_probes(document)
    assert [(p.path, p.port, p.location.line) for p in probes.probes] == [("/healthz", 8000, 4)]
    assert probes.ports == {8000} and probes.unprobed == []


def test_values_yaml_outside_a_chart_is_not_read(tmp_path):
    document = helm(tmp_path, values="livenessProbe: [unclosed\n", chart=False)
    assert document.chart is None and document.roots == []
    assert helm_probes(document).probes == [] and helm_facts(document).graces == []


def test_chart_without_readiness_and_grace_periods(tmp_path):
    template = CHART_TEMPLATE.replace("readinessProbe", "livenessProbe")
    document = helm(tmp_path, values=CHART_VALUES.replace("mcp:\n", "mcp:\n  env: {DRAIN_TIMEOUT_MS: '40000'}\n"), template=template)
    assert [label for label, _ in helm_probes(document).unprobed] == ["Helm chart `mcp-server` has no readinessProbe"]
    grace = helm_facts(document).graces
    assert [(g.seconds, g.explicit, g.local_drains) for g in grace] == [(30.0, False, [])]  # env unused by the template


def test_chart_grace_from_values_from_the_template_and_disabled_probes(tmp_path):
    values = CHART_VALUES.replace("  readinessProbe:\n", "  readinessProbe:\n    enabled: false\n") + "terminationGracePeriodSeconds: 50\n"
    template = CHART_TEMPLATE + "      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}\n"
    document = helm(tmp_path, values=values, template=template)
    assert helm_probes(document).probes == []
    (grace,) = helm_facts(document).graces
    assert (grace.seconds, grace.explicit, grace.location.line) == (50.0, True, 11)
    literal = helm(tmp_path / "b", template=CHART_TEMPLATE + "      terminationGracePeriodSeconds: 90\n")
    (grace,) = helm_facts(literal).graces
    assert (grace.seconds, grace.location.path, grace.location.line) == (90.0, "charts/mcp/templates/deployment.yaml", 14)


def ecs_document(text: str) -> EcsTaskDefinitionDocument:
    document = EcsTaskDefinitionDocument("ecs/task.json", textwrap.dedent(text))
    document.parse()
    return document


def test_task_definition_containers_commands_probes_and_stop_timeouts():
    document = ecs_document(
        """\
        {"taskDefinition": {"family": "mcp", "containerDefinitions": [
          {"name": "server", "image": "acme/mcp:1", "entryPoint": ["uvicorn"], "command": ["app:app", "--port", "8080"],
           "stopTimeout": 45, "environment": [{"name": "SHUTDOWN_TIMEOUT", "value": "30"}],
           "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/ready || exit 1"]}},
          {"name": "envoy", "image": "envoyproxy/envoy:v1.31", "healthCheck": {"command": ["CMD", "curl", "http://localhost:9901/mcp"]}},
          {"name": "agent", "image": "acme/agent", "essential": false}
        ]}}
        """
    )
    assert document.family == "mcp" and len(document.containers()) == 3
    probes = ecs_probes(document)
    assert [(p.path, p.port, p.tool) for p in probes.probes] == [("/ready", 8080, "curl")] and probes.ports == {8080}
    facts = ecs_facts(document)
    (grace,) = facts.graces
    assert (grace.platform, grace.workload, grace.seconds, [d.seconds for d in grace.local_drains]) == (
        "ECS", "task definition `mcp` container `server`", 45.0, [30.0])
    assert [(launch.server, launch.bounded) for launch in facts.launches] == [("uvicorn", False)]


def test_containerdefinitions_elsewhere_is_not_a_task_definition():
    document = ecs_document('{"docs": {"containerDefinitions": [{"name": "x", "image": "acme/x"}]}}')
    assert document.containers() == [] and ecs_facts(document).graces == []


def test_task_definition_in_a_project_without_an_http_mcp_server(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'web'\n")
    (tmp_path / "app.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    (tmp_path / "ecs").mkdir()
    (tmp_path / "ecs" / "web.json").write_text(
        '{"containerDefinitions": [{"name": "web", "image": "acme/web", "portMappings": [{"containerPort": 80}],'
        ' "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:80/mcp"]}}]}'
    )
    result = run([tmp_path], Config(root=tmp_path, exclude=[], select=["MCP08"]), jobs=1)
    assert result.findings == [] and not result.internal_errors


def test_an_mcp_server_named_after_what_it_wraps_is_not_a_public_image():
    from mcp_lint_rules.deploy.sources import is_third_party_image

    assert is_third_party_image("prom/prometheus:v2.53") and is_third_party_image("redis:7")
    assert not is_third_party_image("ghcr.io/acme/prometheus-mcp-server:1.0") and not is_third_party_image("acme/redis-mcp")


@pytest.mark.parametrize(
    "fixture, expected",
    [
        ("deploy-ecs-bad", [("infra/taskdef.json", 9, "uvicorn server.app:app --host 0.0.0.0 --port 8000")]),
        ("deploy-helm-bad", [("charts/inventory/values.yaml", 6, "uvicorn server.app:app --host 0.0.0.0 --port 8000")]),
    ],
)
def test_inspect_lists_chart_and_task_definition_commands(fixture, expected, monkeypatch, capsys):
    import json

    from mcp_lint.cli import main

    monkeypatch.chdir(Path(__file__).resolve().parent.parent / "fixtures" / fixture)
    assert main(["inspect", ".", "--output-format", "json"]) == 0
    commands = json.loads(capsys.readouterr().out)["deploy_commands"]
    assert [(c["path"], c["line"], c["command"]) for c in commands] == expected


def test_shell_here_string_inside_command_substitution_is_not_a_heredoc():
    """`<<< "$var"` feeds a word to stdin; read as `<< "$var"` it would open a heredoc that
    swallows the rest of the script (gitlab-mcp's release script)."""
    doc = parsed(
        ShellDocument,
        """
        names=$(while read -r n; do
          echo "$n"
        done <<< "$numbers" | sort -u)
        echo "$names"
        """,
    )
    assert [(c.line, c.end_line) for c in doc.commands] == [(1, 3), (4, 4)]


@pytest.mark.parametrize("opener", ["cat << 'EOF'", 'cat <<"EOF"', "cat <<- 'EOF'", "cat <<'EOF'"])
def test_shell_heredoc_with_a_quoted_delimiter_after_a_space_is_skipped(opener):
    """`cat << 'EOF'`: the body is text (an apostrophe in "don't" opens no quote); the quoted
    delimiter was taken for quoted text and removed, so the body was read as commands (an
    unclosed quote on two real servers' scripts)."""
    doc = parsed(ShellDocument, f"{opener}\nDon't run this by hand.\nEOF\necho done\n")
    assert [(c.line, c.words[0]) for c in doc.commands] == [(1, "cat"), (4, "echo")]


def test_a_shell_script_holding_a_nul_byte_is_a_parse_error_not_a_crash():
    """Found by the fuzz test: `\\x000\\x00` collided with the reader's own placeholders
    (an IndexError). A NUL byte ends any shell's reading: the file is reported as unparsable."""
    from mcp_lint.documents.shell import ShellDocument

    with pytest.raises(ParseError) as info:
        ShellDocument("start.sh", "echo ok\n\x000\x00\n").parse()
    assert (info.value.line, info.value.column) == (2, 1)
