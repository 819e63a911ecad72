"""The same suppression syntax works in every file kind, in that kind's comment syntax."""

import re
import textwrap

import pytest

from mcp_lint.config import Config
from mcp_lint.engine import run

CASES = {
    "Dockerfile": (
        "MCP0501",
        """
        FROM python:3.12-slim
        # mcp-lint: ignore[MCP0501] the image runs under tini injected by the platform
        CMD python -m server
        """,
    ),
    "k8s/deploy.yaml": (
        "MCP0504",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: mcp}
        spec:
          template:
            spec:
              containers:
                - name: server  # mcp-lint: ignore[MCP0504] drained by the mesh sidecar
                  image: ghcr.io/acme/mcp:1
                  ports: [{containerPort: 8000}]
        """,
    ),
    "nginx/site.conf": (
        "MCP1202",
        """
        server {
            listen 80;
            # mcp-lint: ignore[MCP1202] the app sends X-Accel-Buffering: no
            location /mcp {
                proxy_pass http://app:8000;
            }
        }
        """,
    ),
    "tsconfig.json": (
        "MCP1101",
        """
        {
          // mcp-lint: file-ignore[MCP1101] strictness is enforced by the base config in CI
          "compilerOptions": {"noUncheckedIndexedAccess": true, "sourceMap": true}
        }
        """,
    ),
}
# Files a kind's rule needs beside it: a tsconfig is checked only in a package that builds an MCP server.
AROUND = {"tsconfig.json": {"package.json": '{ "dependencies": { "@modelcontextprotocol/sdk": "^1.12.0" } }\n'}}


def lint(tmp_path, rel, text, code):
    for other, content in AROUND.get(rel, {}).items():
        (tmp_path / other).write_text(content)
    target = tmp_path / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(text).lstrip("\n"))
    return run([tmp_path], Config(root=tmp_path, select=[code, "MCP0001", "MCP0002"], exclude=[]), jobs=1)


@pytest.mark.parametrize("rel", sorted(CASES))
def test_suppression_applies(tmp_path, rel):
    code, text = CASES[rel]
    result = lint(tmp_path, rel, text, code)
    assert [f.code for f in result.findings] == []


@pytest.mark.parametrize("rel", sorted(CASES))
def test_without_the_comment_the_rule_fires(tmp_path, rel):
    code, text = CASES[rel]
    lines = [re.sub(r"\s*(#|//) mcp-lint:.*$", "", line) for line in textwrap.dedent(text).splitlines()]
    stripped = "\n".join(line for line in lines if line.strip())
    result = lint(tmp_path, rel, stripped, code)
    assert code in [f.code for f in result.findings]


@pytest.mark.parametrize("rel", sorted(CASES))
def test_wrong_code_is_reported_unused(tmp_path, rel):
    code, text = CASES[rel]
    result = lint(tmp_path, rel, text.replace(code + "]", "MCP9999]"), code)
    codes = [f.code for f in result.findings]
    assert code in codes and "MCP0001" in codes
