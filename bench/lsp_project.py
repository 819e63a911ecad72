"""A synthetic MCP server project of a given size, for the language server's benchmark and
tests: one FastMCP server served over HTTP, tool modules registering on it (some with
checklist findings), settings with a drain timeout, and the deployment files around it
(Dockerfile, Kubernetes manifest whose grace period is checked against that timeout, nginx)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Dict

SERVER = textwrap.dedent(
    """\
    import os

    from mcp.server.fastmcp import FastMCP

    from app.settings import settings

    mcp = FastMCP("catalogue")
    """
)
SETTINGS = textwrap.dedent(
    """\
    from pydantic_settings import BaseSettings


    class Settings(BaseSettings):
        database_url: str
        drain_timeout_ms: int = {drain}


    settings = Settings()
    """
)
TOOLS = textwrap.dedent(
    """\
    import logging
    import os

    from app.server import mcp

    log = logging.getLogger(__name__)


    @mcp.tool()
    def lookup_{n}(sku: str, limit: int = 10) -> str:
        \"\"\"Look up item {n}.\"\"\"
        region = os.getenv("REGION_{n}")
        return f"{{region}}:{{sku}}:{{limit}}"


    @mcp.tool()
    def count_{n}(category: str) -> int:
        \"\"\"Count items in a category.\"\"\"
        try:
            return len(category)
        except ValueError as exc:
            return str(exc)
    """
)
HELPER = textwrap.dedent(
    """\
    def normalise_{n}(value: str) -> str:
        \"\"\"Plain helper without MCP.\"\"\"
        parts = [p.strip().lower() for p in value.split(",")]
        return ",".join(sorted(set(parts)))
    """
)
MAIN = textwrap.dedent(
    """\
    import uvicorn

    from app.server import mcp
    {imports}

    app = mcp.streamable_http_app()

    if __name__ == "__main__":
        uvicorn.run(app, host="0.0.0.0", port=8000)
    """
)
DEPLOYMENT = textwrap.dedent(
    """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: catalogue-mcp
    spec:
      template:
        spec:
          terminationGracePeriodSeconds: {grace}
          containers:
            - name: server
              image: ghcr.io/acme/catalogue-mcp:1.0.0
              ports:
                - containerPort: 8000
              readinessProbe:
                httpGet: {{path: /healthz, port: 8000}}
    """
)
DOCKERFILE = textwrap.dedent(
    """\
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install --no-cache-dir .
    CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
    """
)
NGINX = textwrap.dedent(
    """\
    events {}
    http {
      server {
        listen 80;
        location /mcp {
          proxy_pass http://127.0.0.1:8000;
          proxy_buffering on;
        }
      }
    }
    """
)


def files(count: int = 50, drain_ms: int = 25000, grace_s: int = 20) -> Dict[str, str]:
    """`count` files in all: deployment files, server, settings, then tool and helper modules."""
    fixed = {
        "pyproject.toml": '[project]\nname = "catalogue"\nversion = "1.0.0"\n\n[tool.mcp-lint]\n',
        "Dockerfile": DOCKERFILE,
        "k8s/deployment.yaml": DEPLOYMENT.format(grace=grace_s),
        "nginx/nginx.conf": NGINX,
        "app/__init__.py": "",
        "app/server.py": SERVER,
        "app/settings.py": SETTINGS.format(drain=drain_ms),
    }
    modules = count - len(fixed) - 1  # app/main.py comes last
    tools = [f"app/tools_{n:02d}.py" for n in range(0, modules, 2)]
    helpers = [f"app/helpers_{n:02d}.py" for n in range(1, modules, 2)]
    out = dict(fixed)
    out.update({path: TOOLS.format(n=int(path[-5:-3])) for path in tools})
    out.update({path: HELPER.format(n=int(path[-5:-3])) for path in helpers})
    imports = "\n".join(f"import app.tools_{int(p[-5:-3]):02d}  # noqa: F401" for p in tools)
    out["app/main.py"] = MAIN.format(imports=imports)
    return out


def write(root: Path, count: int = 50, **kwargs) -> Path:
    for rel, text in files(count, **kwargs).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root
