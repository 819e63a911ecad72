"""Property-based fuzzing of every document parser and of the suppression-comment parser: any
text parses, or fails with `ParseError` (or `SkipFile`), never with another exception."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcp_lint import suppress
from mcp_lint.documents import DOCUMENT_TYPES, available_kinds, document_class
from mcp_lint.documents.base import Comment, ParseError, SkipFile

# CI (CI=true) replays a fixed sequence so a landing never depends on luck; a developer's run
# explores new inputs each time (MCP_LINT_FUZZ_EXAMPLES raises the count for a longer hunt).
EXAMPLES = settings(
    max_examples=int(os.environ.get("MCP_LINT_FUZZ_EXAMPLES", "200")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)

# Characters that matter to the parsers: brackets, quotes, comment markers, YAML and Go
# template syntax, line endings, escapes, plus anything at all.
SYNTAX = st.sampled_from(list("{}[]()<>\"'`#;:,=-|&*!%@$\\/\t\r\n ") + ["{{", "}}", "<<", "\\\n", "\r\n", "&a", "*a", "<<: *a", "!!python/object/apply:os.system", "mcp-lint: ignore[", "import ", "include ", "extends", "FROM ", "RUN ", "CMD ", "apiVersion: v1\nkind: Pod\n", "services:\n", "def f(", "@mcp.tool()\n", "\ufeff", "\x00"])
TEXT = st.lists(st.one_of(SYNTAX, st.text(max_size=8)), max_size=40).map("".join)

PATHS = {
    "python": "server.py",
    "dockerfile": "Dockerfile",
    "k8s": "k8s/deploy.yaml",
    "compose": "compose.yaml",
    "caddyfile": "Caddyfile",
    "nginx": "nginx.conf",
    "tsconfig": "tsconfig.json",
    "shell": "entrypoint.sh",
    "dotenv": ".env.example",
    "packagejson": "package.json",
    "workflow": ".github/workflows/ci.yml",
    "typescript": "server.ts",
    "helm": "chart/values.yaml",  # no chart on disk here: see test_chart_values_and_templates below
    "ecs": "ecs/task-definition.json",
}


def test_every_document_kind_is_fuzzed():
    assert set(DOCUMENT_TYPES) <= set(PATHS), "add the new kind to PATHS"


def _parse_and_read(kind: str, text: str) -> None:
    document = document_class(kind)(PATHS[kind], text)
    try:
        document.parse()
    except (ParseError, SkipFile):
        return
    comments = list(document.comments())
    assert all(isinstance(c, Comment) and c.line >= 1 and c.column >= 1 for c in comments)
    suppress.collect(comments, document.lines)


@pytest.mark.parametrize("kind", available_kinds())
@EXAMPLES
@given(text=TEXT)
def test_parser_accepts_or_raises_parse_error(kind, text):
    _parse_and_read(kind, text)


@pytest.mark.parametrize("kind", available_kinds())
@EXAMPLES
@given(text=st.text(max_size=300))
def test_parser_on_arbitrary_unicode(kind, text):
    _parse_and_read(kind, text)


CHART_SYNTAX = st.sampled_from(
    ["livenessProbe:", "readinessProbe:", "startupProbe:", "terminationGracePeriodSeconds: ", "httpGet:", "path: /mcp",
     "command: ", "args: ", "env:", "lifecycle:", "preStop:", "enabled: false", "image:", "repository: x", "  ", "- ",
     ".Values.", "{{ toYaml .Values.readinessProbe }}", "kind: Deployment", "containerPort: 8000", "\n", "&a ", "*a", "<<: *a"]
)
CHART_TEXT = st.lists(st.one_of(CHART_SYNTAX, SYNTAX, st.text(max_size=6)), max_size=40).map("".join)


@EXAMPLES
@given(values=CHART_TEXT, template=CHART_TEXT)
def test_chart_values_and_templates(tmp_path_factory, values, template):
    """A values.yaml read with its chart (Chart.yaml and templates on disk), then every fact
    the rules take from it: only ParseError or SkipFile may stop it."""
    from mcp_lint_rules.deploy.sources import helm_facts
    from mcp_lint_rules.project.probes import helm_probes

    folder = tmp_path_factory.mktemp("chart")
    (folder / "templates").mkdir()
    (folder / "Chart.yaml").write_text("name: fuzz\n")
    (folder / "templates" / "deployment.yaml").write_text(template, encoding="utf-8", errors="surrogatepass")
    document = document_class("helm")("values.yaml", values)
    document.disk_path = folder / "values.yaml"
    (folder / "values.yaml").write_text(values, encoding="utf-8", errors="surrogatepass")
    try:
        document.parse()
    except (ParseError, SkipFile):
        return
    helm_facts(document)
    helm_probes(document)


ECS_KEYS = st.sampled_from(
    ["containerDefinitions", "taskDefinition", "healthCheck", "command", "entryPoint", "stopTimeout", "environment",
     "essential", "name", "value", "image", "family"]
)
ECS_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10),
    st.sampled_from(["CMD-SHELL", "CMD", "NONE", "curl -f http://localhost:8000/mcp", "uvicorn", "DRAIN_TIMEOUT_MS", "postgres:16"]),
)
ECS_JSON = st.recursive(ECS_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(ECS_KEYS, inner, max_size=5)), max_leaves=30)


@EXAMPLES
@given(value=st.dictionaries(ECS_KEYS, ECS_JSON, max_size=4))
def test_task_definitions(value):
    """Any JSON shape under the task definition's keys: the readers take what fits."""
    import json

    text = json.dumps(value)
    from mcp_lint_rules.deploy.sources import ecs_facts
    from mcp_lint_rules.project.probes import ecs_probes

    document = document_class("ecs")("ecs/task.json", text)
    try:
        document.parse()
    except (ParseError, SkipFile):
        return
    ecs_facts(document)
    ecs_probes(document)


@EXAMPLES
@given(text=st.one_of(TEXT, st.text(max_size=200)).map(lambda t: "mcp-lint: " + t))
def test_parse_comment_never_raises(text):
    parsed = suppress.parse_comment(text)
    if parsed is not None:
        kind, codes = parsed
        assert kind in ("ignore", "file-ignore")
        assert codes is None or all(isinstance(c, str) and c for c in codes)


@EXAMPLES
@given(
    comments=st.lists(st.tuples(st.integers(1, 50), st.integers(1, 80), TEXT, st.booleans()), max_size=10),
    lines=st.lists(st.text(max_size=40), max_size=30),
)
def test_collect_never_raises(comments, lines):
    found, bad = suppress.collect([Comment(*c) for c in comments], lines)
    assert all(s.file_level or s.target_line >= 1 for s in found)
    assert all(b.reason for b in bad)


# -- issue 15: line ends, autofix round trips, shapes that used to hang ----------------------

import textwrap  # noqa: E402

from mcp_lint.reading import split_lines  # noqa: E402

# Characters str.splitlines treats as line ends but Python, libcst and YAML do not.
ODD_BREAKS = ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
LINE_ENDS = ["\n", "\r\n", "\r"]
YAML_SAFE = {ord(c): "\u2028" for c in "\x0b\x0c\x1c\x1d\x1e"}  # YAML rejects these control characters
STDIO_SERVER = textwrap.dedent(
    """\
    import sys

    from mcp.server.fastmcp import FastMCP

    mcp = FastMCP("demo")


    @mcp.tool()
    def search(query: str) -> str:
        print("searching")
        return query


    if __name__ == "__main__":
        mcp.run()
    """
)
FIX_EXAMPLES = settings(
    max_examples=int(os.environ.get("MCP_LINT_FUZZ_EXAMPLES", "15")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@EXAMPLES
@given(text=st.lists(st.one_of(st.sampled_from(ODD_BREAKS + LINE_ENDS), st.text(max_size=5)), max_size=30).map("".join))
def test_split_lines_breaks_only_at_newline_cr_and_crlf(text):
    lines = split_lines(text, keepends=True)
    assert "".join(lines) == text
    assert all(line.endswith(("\n", "\r")) for line in lines[:-1])
    assert all("\n" not in line[:-1] and "\r" not in line.rstrip("\r\n") for line in lines)
    assert split_lines(text) == [line.rstrip("\r\n") if line.endswith(("\n", "\r")) else line for line in lines]


@FIX_EXAMPLES
@given(
    prefix=st.lists(
        st.tuples(st.text(alphabet=st.sampled_from(ODD_BREAKS + list("ab #\"'")), max_size=6), st.sampled_from(LINE_ENDS)),
        min_size=1,
        max_size=6,
    ),
    line_end=st.sampled_from(LINE_ENDS),
)
def test_fix_round_trip_always_compiles_and_edits_the_right_line(tmp_path_factory, prefix, line_end):
    """Odd characters and line ends before fixable code: `--fix` writes code that compiles, with
    the edit on the line the finding names."""
    from mcp_lint.config import Config
    from mcp_lint.engine import run
    from mcp_lint.fixer import fix_files

    root = tmp_path_factory.mktemp("fix")
    head = "".join(f"# {text}{end}" for text, end in prefix)
    (root / "server.py").write_bytes((head + STDIO_SERVER.replace("\n", line_end)).encode("utf-8"))
    config = Config(root=root, select=["MCP0703"], exclude=[])
    result, report = fix_files(lambda: run([root], config, jobs=1), root, unsafe=False, write=True)
    fixed = (root / "server.py").read_bytes()
    compile(fixed, "server.py", "exec")
    assert report.fixed == 1 and result.findings == []
    assert b'print("searching", file=sys.stderr)' in fixed
    assert fixed.replace(b", file=sys.stderr", b"") == (head + STDIO_SERVER.replace("\n", line_end)).encode("utf-8")


@pytest.mark.parametrize("kind", ["python", "dockerfile", "k8s", "shell", "caddyfile", "tsconfig"])
@EXAMPLES
@given(breaks=st.lists(st.sampled_from(ODD_BREAKS), min_size=1, max_size=4).map("".join))
def test_comment_lines_agree_with_document_lines(kind, breaks):
    """A comment's line number, as the parser reports it, names the line of `document.lines`
    that holds it, whatever odd characters precede it (suppressions depend on it)."""
    marker = "mcp-lint: ignore[MCP0101] why"
    texts = {
        "python": f"x = 1  # {breaks}\n# {marker}\ny = 2\n",
        "dockerfile": f"FROM x\n# {breaks}\n# {marker}\nCMD y\n",
        "k8s": f"apiVersion: v1  # {breaks.translate(YAML_SAFE)}\nkind: Pod\n# {marker}\nspec: {{}}\n",
        "shell": f"#!/bin/sh\n# {breaks}\n# {marker}\nexec y\n",
        "caddyfile": f"# {breaks}\n# {marker}\nexample.com {{\n}}\n",
        "tsconfig": f'// {breaks}\n// {marker}\n{{"compilerOptions": {{}}}}\n',
    }
    document = document_class(kind)(PATHS[kind], texts[kind])
    document.parse()
    found = [c for c in document.comments() if "mcp-lint" in c.text]
    assert found and all(marker in document.line_text(c.line) for c in found)
