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
