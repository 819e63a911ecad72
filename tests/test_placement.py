"""Placement of project-level findings (issue #9): at the launch, once per served app, with the
project model's evidence as related locations (mcp_lint/python/placement.py)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from mcp_lint.cli import main

PROJECT = {
    "pyproject.toml": "[tool.mcp-lint]\n",
    "pkg/__init__.py": "",
    "pkg/server.py": """
        from fastmcp import FastMCP

        mcp = FastMCP("notes")

        @mcp.tool
        def add(text: str) -> str:
            return text
        """,
    "pkg/logs.py": """
        import logging

        def setup_logging() -> None:
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        """,
    "pkg/__main__.py": """
        import os

        from pkg.logs import setup_logging
        from pkg.server import mcp

        def main() -> None:
            setup_logging()
            if os.environ.get("MCP_TRANSPORT", "sse") == "sse":
                mcp.run(transport="sse", host="0.0.0.0", port=8000)
            else:
                mcp.run(transport="streamable-http", host="0.0.0.0", port=8000)

        main()
        """,
    # A client script sorts first and configures its own plain-text logging: not the server's.
    "a_client.py": """
        import logging
        from fastmcp import Client

        logging.basicConfig(level=logging.INFO, format="CLIENT %(message)s")
        client = Client("http://127.0.0.1:8000/mcp")
        """,
}
CODES = "MCP0203,MCP0301,MCP0704,MCP0801"


def _write(root: Path, files) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def _findings(root: Path, tmp_path: Path, fmt: str = "json"):
    out = tmp_path / f"report.{fmt}"
    main(["check", str(root), "--no-cache", "--select", CODES, "--output-format", fmt, "-o", str(out)])
    return json.loads(out.read_text(encoding="utf-8"))


def test_one_finding_per_served_app_at_its_first_launch_with_evidence(tmp_path):
    root = tmp_path / "proj"
    _write(root, PROJECT)
    findings = _findings(root, tmp_path)["findings"]
    assert sorted((f["code"], f["path"], f["line"]) for f in findings) == [
        (code, "pkg/__main__.py", 9) for code in CODES.split(",")
    ]
    for finding in findings:
        related = {(r["path"], r["line"], r["message"]) for r in finding["related"]}
        assert ("pkg/server.py", 3, "MCP server `mcp` built here") in related, finding
        assert ("pkg/__main__.py", 11, "the same app is also launched here (http)") in related, finding
    logging = next(f for f in findings if f["code"] == "MCP0704")
    assert "`mcp.run()` serves the MCP server over HTTP" in logging["message"]
    # The configuration the launching process imports, not the client script that sorts first.
    assert ("pkg/logs.py", 4, "plain-text logging configured here") in {(r["path"], r["line"], r["message"]) for r in logging["related"]}


# A demo launch beside the real one (skai-fastmcp-cloudrun's example_auth_server.py).
DEMO = """
    import uvicorn
    from pkg.server import mcp

    uvicorn.run(mcp.http_app(), host="0.0.0.0", port=9000)
    """


# ... of a server of its own.
OWN_DEMO = """
    import uvicorn
    from fastmcp import FastMCP

    demo = FastMCP("demo")
    uvicorn.run(demo.http_app(), host="0.0.0.0", port=9000)
    """


@pytest.mark.parametrize("text", [DEMO, OWN_DEMO])
@pytest.mark.parametrize("demo", ["example_auth_server.py", "server_demo.py", "examples/server.py", "demo_server.py"])
def test_a_demo_launch_yields_to_the_real_one(tmp_path, demo, text):
    root = tmp_path / "proj"
    _write(root, {**PROJECT, demo: text})
    findings = _findings(root, tmp_path)["findings"]
    assert sorted({(f["path"], f["line"]) for f in findings}) == [("pkg/__main__.py", 9)]
    # The demo's own plain-text logging is not the real server's.
    logging = next(f for f in findings if f["code"] == "MCP0704")
    assert {r["path"] for r in logging["related"] if r["message"] == "plain-text logging configured here"} == {"pkg/logs.py"}


def test_a_demo_logging_configuration_is_not_the_server_one(tmp_path):
    root = tmp_path / "proj"
    _write(root, {**{k: v for k, v in PROJECT.items() if k not in ("pkg/logs.py", "a_client.py")},
                  "pkg/__main__.py": PROJECT["pkg/__main__.py"].replace("from pkg.logs import setup_logging", "").replace("    setup_logging()", "    pass"),
                  "example_server.py": "import logging\nlogging.basicConfig(format='%(message)s')\n" + textwrap.dedent(OWN_DEMO)})
    logging = next(f for f in _findings(root, tmp_path)["findings"] if f["code"] == "MCP0704")
    assert logging["path"] == "pkg/__main__.py"
    assert "without ever configuring a JSON format" in logging["message"], logging["message"]


def test_a_demo_launch_alone_is_still_reported(tmp_path):
    root = tmp_path / "proj"
    project = {k: v for k, v in PROJECT.items() if k != "pkg/__main__.py"}
    _write(root, {**project, "example_auth_server.py": DEMO})
    findings = _findings(root, tmp_path)["findings"]
    assert {f["path"] for f in findings} == {"example_auth_server.py"}


def test_related_locations_reach_sarif(tmp_path):
    root = tmp_path / "proj"
    _write(root, PROJECT)
    sarif = _findings(root, tmp_path, "sarif")
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "MCP0801")
    texts = [r["message"]["text"] for r in result["relatedLocations"]]
    assert "MCP server `mcp` built here" in texts


def test_transport_chosen_by_a_variable_and_an_app_served_by_uvicorn(tmp_path):
    root = tmp_path / "proj"
    _write(root, {
        "pyproject.toml": "[tool.mcp-lint]\n",
        "server.py": """
            import os
            import uvicorn
            from fastmcp import FastMCP

            mcp = FastMCP("notes")

            def serve_http() -> None:
                app = mcp.http_app()
                uvicorn.run(app, host="0.0.0.0", port=8000)

            def main() -> None:
                transport = os.environ.get("MCP_TRANSPORT", "stdio")
                mcp.run(transport=transport)

            if __name__ == "__main__":
                main()
                serve_http()
            """,
    })
    findings = _findings(root, tmp_path)["findings"]
    auth = sorted((f for f in findings if f["code"] == "MCP0203"), key=lambda f: f["line"])
    assert [(f["line"], f["severity"]) for f in auth] == [(9, "warning")]
    related = {(r["line"], r["message"]) for r in auth[0]["related"]}
    assert (8, "the app or MCP transport this launch serves is created here") in related
    assert (5, "MCP server `mcp` built here") in related
    # The runtime-chosen launch of the same app is evidence, with where its transport is chosen.
    assert (13, "the same app is also launched here (dynamic)") in related


@pytest.mark.parametrize("serve, line", [
    # `config = uvicorn.Config(app)`, then `uvicorn.Server(config)`
    ("""
        async def serve() -> None:
            config = uvicorn.Config(mcp.streamable_http_app(), host="0.0.0.0", port=8000)
            server = uvicorn.Server(config)
            await server.serve()
        """, 7),
    # `uvicorn.Server(uvicorn.Config(app))`: reported at the Config call, where the app is handed over
    ("""
        def build_server() -> uvicorn.Server:
            return uvicorn.Server(
                uvicorn.Config(mcp.streamable_http_app(), host="0.0.0.0", port=8000)
            )

        async def serve() -> None:
            await build_server().serve()
        """, 8),
])
def test_uvicorn_config_and_server_are_one_launch(tmp_path, serve, line):
    root = tmp_path / "proj"
    _write(root, {
        "pyproject.toml": "[tool.mcp-lint]\n",
        "server.py": textwrap.dedent("""
            import uvicorn
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("notes")
            """) + textwrap.dedent(serve),
    })
    findings = _findings(root, tmp_path)["findings"]
    assert sorted((f["code"], f["line"]) for f in findings) == [("MCP0203", line), ("MCP0301", line), ("MCP0801", line)]



def test_transport_chosen_at_runtime_points_at_the_choice(tmp_path):
    root = tmp_path / "proj"
    _write(root, {
        "pyproject.toml": "[tool.mcp-lint]\n",
        "server.py": """
            import os
            from fastmcp import FastMCP

            mcp = FastMCP("notes")

            def main() -> None:
                transport = os.environ.get("MCP_TRANSPORT", "stdio")
                mcp.run(transport=transport, host="0.0.0.0")

            if __name__ == "__main__":
                main()
            """,
    })
    findings = _findings(root, tmp_path)["findings"]
    auth = [f for f in findings if f["code"] == "MCP0203"]
    assert [(f["line"], f["severity"]) for f in auth] == [(8, "info")]
    assert (7, "transport chosen here") in {(r["line"], r["message"]) for r in auth[0]["related"]}
