"""Which functions the project model says run at startup (mcp_lint/python/startup.py)."""

from __future__ import annotations

import textwrap

from mcp_lint.config import load_config
from mcp_lint.inspect import build
from mcp_lint.python.startup import startup_units

SERVER = '''
    import os
    from fastmcp import FastMCP
    from app.db import describe

    mcp = FastMCP("app")
    INFO = describe()

    def parser():
        return os.getenv("APP_HOST")

    def client():
        return os.getenv("APP_TOKEN")

    def shutdown():
        return os.getenv("APP_FLUSH")

    @mcp.tool
    def search(q: str) -> str:
        return client() + parser() + q

    def main():
        parser()
        mcp.run()
        shutdown()

    if __name__ == "__main__":
        main()
'''
DB = '''
    def engine():
        return connect()

    def describe():
        return engine()

    def unused():
        return 1
'''


def test_import_time_chains_and_code_before_serving_run_at_startup(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "server.py").write_text(textwrap.dedent(SERVER))
    (tmp_path / "app" / "db.py").write_text(textwrap.dedent(DB))
    model, _ = build([tmp_path], load_config([tmp_path]))
    found = {key for key in startup_units(model) if key[1]}
    assert ("app/db.py", "describe") in found and ("app/db.py", "engine") in found  # module-level call chain
    assert ("app/server.py", "parser") in found and ("app/server.py", "main") in found  # before mcp.run()
    assert ("app/server.py", "shutdown") not in found  # after the server stopped
    assert ("app/server.py", "search") not in found and ("app/server.py", "client") not in found  # tool path only
    assert ("app/db.py", "unused") not in found
