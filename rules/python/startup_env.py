"""Checklist item 1: validate required environment variables at startup."""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Set, Tuple

import libcst as cst

from mcp_lint.python import branches, walk
from mcp_lint.python.absence import absence_handled, fallback_params, read_as_flag

from mcp_lint.config import NON_PRODUCTION_DIRS
from mcp_lint.model import Severity
from mcp_lint.python.context import package_of
from mcp_lint.python.mcp_model import ToolCode
from mcp_lint.python.names import dotted, keyword, positional, string_value
from mcp_lint.rule import Invalid, PythonProjectRule, PythonRule, Valid

ENV_GETTERS = {"os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop"}
ENV_OPTIONAL_GETTERS = {"os.getenv", "os.environ.get"}
ENV_MAPPING = "os.environ"
DOTENV_LOADERS = {"dotenv.load_dotenv", "dotenv.main.load_dotenv", "dotenv.dotenv_values"}


def _subscript_key(node: cst.Subscript) -> Optional[cst.BaseExpression]:
    """The key expression of `os.environ[...]`, else None (a slice, several indexes)."""
    index = node.slice[0].slice if len(node.slice) == 1 else None
    return index.value if isinstance(index, cst.Index) else None


# A tool that falls back when the variable is unset, then names it in its error (mcp-server-kicad).
FALLBACK_THEN_NAMED = """
import os
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError

mcp = FastMCP("cad")


def docs_home() -> str:
    return os.environ.get("DOCS_HOME") or "/tmp/docs"


@mcp.tool()
def export(path: str) -> str:
    result = run_cli(path)
    if result.crashed and {unset}:
        result = run_cli(path, home=fallback_home())
    if result.crashed:
        tried = HOME or os.environ.get("DOCS_HOME")
        raise ToolError(f"kicad-cli could not start ({{tried}})")
    return result.out
"""
STARTUP_CHECKED = """
import logging
import os
import sys
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("quip")

@mcp.tool()
def read_sheet(thread_id: str) -> str:
    token = os.environ.get("QUIP_TOKEN")
    if not token:
        raise ValueError("QUIP_TOKEN is not set")
    return fetch(thread_id, token)

def main():
    token = os.environ.get("QUIP_TOKEN")
    if not token:
        {missing}
    mcp.run()

if __name__ == "__main__":
    main()
"""


PASSED_KEY = """
import os
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("search")
API_KEY = os.environ["SEARCH_KEY"]

def connect(api_key=None):
    key = api_key or os.getenv("SEARCH_KEY")
    return key

@mcp.tool()
def search(q: str) -> str:
    return connect(API_KEY) + q
"""


class EnvReadInTool(PythonRule):
    """
    ## What it does
    Flags environment variables read inside tool code: a tool handler, or a helper it calls (in
    any module of the project, as the project model's call graph sees it). Covers `os.getenv`,
    `os.environ.get`, `os.environ[...]` (through any import alias) and `load_dotenv()`. A read
    with a default other than `""` or `None` (`os.getenv("USE_RERANKING", "false")`,
    `os.getenv("PORT", DEFAULT_PORT)`) is an optional setting and is not reported; an empty
    default is, since it stands for a required value, unless the function handles the missing
    value with a fallback (`if not base: base = home`, `if not raw: return None` or `return
    DEFAULT_TIMEOUT`, `if not key or not secret: return None`, `... or DEFAULT`, a missing
    branch that only logs at debug or info level, "not set, will use the default", a value
    used only under `if value:`, `if value and ...:`, `if os.getenv("X"):` or `if value :=
    os.getenv(...):` with no `else` or with an `else` that builds the same thing another way
    (`client = Client(path)` / `else: client = Client()`, default credentials), a read inside
    such a branch, a value picked by whether it is set (`"anthropic" if os.getenv("KEY") else
    None`), a branch that wants the
    variable unset among alternative credentials (`if A and not (os.getenv("B") or ...):`), a
    mode compared with fixed values with no failing `else`, an on/off flag
    (`os.getenv("LOCAL", "").lower() in ("1", "true")`, `os.getenv("X") is not None`,
    `bool(os.getenv("DISPLAY") or os.getenv("WAYLAND_DISPLAY"))`), a dict
    key dropped when `None`, a read passed straight to a function of the module that takes a
    missing value as valid (`realm_from(os.getenv("IPA_CONFDIR"))` where it starts `if not
    confdir: return None`, or `if not isinstance(raw, str): return None`), or the
    read is the default of another read, or the function already read the variable as optional
    (`if crashed and not os.environ.get("X"): retry()`, then `tried = home or os.environ.get("X")`); a value cleaned through `(read or "").strip()` counts as
    the read), nor a dict of several reads under their own names (`{"A": os.getenv("A", ""),
    "B": ...}`, a snapshot for diagnostics); a missing branch that raises or returns an error
    message, or logs a warning or an error, is lazy validation and is reported. A read
    whose variable name is not a literal (`os.getenv(name)` in a generic accessor) names no
    variable of its own and is not reported, nor is a variable the tool code sets itself
    (`os.environ["YOLO_CONFIG_DIR"] = ...` for a library it loads) and reads back in the same
    function, nor a read in a branch no tool call runs (`if api_key is None:` where the handler's
    `api_key: str` has no default: the schema requires it; `api_key or os.getenv("KEY")` or
    `if api_key is None:` in a helper that every call of the project hands a key). A helper that the process also runs before serving (called at import time through
    module-level code, or by `main()` before `mcp.run()`, as the project model's call graph
    sees it) reads its variables at startup and is not reported, nor is a variable that startup
    code tests and stops without (`token = os.getenv("QUIP_TOKEN")` then `if not token:
    sys.exit(1)` in `main()`, also among others: `if not base or not token:`, or a raise): the tool reads again what startup validated. A variable read several times
    in one function is reported once, at its first read (the one to move to startup).

    ## Why is this bad?
    A server that reads its configuration on the first tool call starts fine, passes its
    `initialize` probe, and then fails the first real request when the variable is missing.
    Reading and validating every variable at startup makes a bad deploy fail at deploy time.

    ## Example
    ```python
    @mcp.tool()
    def search(query: str) -> str:
        api_key = os.environ.get("SEARCH_API_KEY")
        return client(api_key).search(query)
    ```

    ## Use instead
    ```python
    SEARCH_API_KEY = os.environ["SEARCH_API_KEY"]  # fails at import time when missing

    @mcp.tool()
    def search(query: str) -> str:
        return client(SEARCH_API_KEY).search(query)
    ```
    A `pydantic-settings` `Settings()` object built at module level or in `main()` works too.

    ## Known false positives
    A fallback the function-local check does not see (the value passed to another function that
    substitutes a default), and a startup call the call graph misses (through a framework
    callback). Suppress with a reason where that applies.

    ## Options
    `allowed` lists variables that may be read at call time (process plumbing such as `PATH`,
    the XDG folders and the standard proxy variables).
    """

    code = "MCP0101"
    needs = ("tool code",)  # reports reads in tool code only
    name = "env-read-in-tool"
    item = 1
    # Judged on 61 real servers: the wrong findings were optional variables whose absence the
    # code handles a few lines later, and helpers main() or import-time code runs first; both
    # are now recognised (absence.py, startup.py).
    severity = Severity.WARNING
    summary = "Environment variable read inside tool code instead of at startup"
    fix_hint = "Read and validate the variable once at startup (module level, main() or a Settings object) and use that value in the tool."
    requires = ("environ", "getenv", "dotenv")
    options = {
        "allowed": [
            # what the operating system sets
            "PATH", "HOME", "PWD", "TMPDIR", "TEMP", "TMP", "LANG", "TZ", "USER", "USERNAME", "LOGNAME", "SHELL", "TERM",
            "APPDATA", "LOCALAPPDATA", "USERPROFILE", "HOMEPATH", "SystemRoot", "ProgramFiles", "ComSpec", "COMSPEC",
            "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
            # standard variables that client libraries read themselves (code passing them on sets nothing)
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "SOCKS_PROXY",
            "http_proxy", "https_proxy", "no_proxy", "all_proxy", "KUBECONFIG",
            # ... the CA bundles TLS clients trust (OpenSSL, requests, curl, Node)
            "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS",
        ]
    }

    def __init__(self, ctx):
        super().__init__(ctx)
        self._written: Set[Tuple[int, Optional[str]]] = set()  # (function id, variable) set by the code
        self._reported: Set[Tuple[int, str]] = set()  # (function id, variable): one finding each
        # (function id, variable) read as optional there: later reads in that function are too
        # (`if ... and not os.environ.get("X"): fallback()`, then `tried = home or os.environ.get("X")`)
        self._optional: Set[Tuple[int, str]] = set()
        self._snapshot: Set[int] = set()  # reads not to report: an environment snapshot (`visit_Dict`), an optional argument
        self._dead: Set[int] = set()  # nodes of branches no tool call runs (`visit_If`)
        self._fallbacks: Optional[Dict[str, Tuple[Tuple[str, ...], Set[str]]]] = None  # module function -> (params, fallback params)

    def _lazy_code(self):
        """The tool code this node runs in, unless startup runs that helper first."""
        code = self.ctx.tool_code
        return None if code is None or code.at_startup else code

    def visit_If(self, node: cst.If) -> None:
        """`if api_key is None:` in a handler whose `api_key: str` the schema requires: the branch
        never runs on a tool call (a fallback for other callers of the function)."""
        code = self._lazy_code()
        test = node.test
        if code is None or code.is_helper or not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
            return
        target = test.comparisons[0]
        if (isinstance(test.left, cst.Name) and isinstance(target.operator, cst.Is) and isinstance(target.comparator, cst.Name)
                and target.comparator.value == "None" and code.handler.never_none(test.left.value)):
            self._dead.update(id(n) for n in walk.walk(node.body))

    def visit_Dict(self, node: cst.Dict) -> None:
        """`{"A": os.getenv("A", ""), "B": os.getenv("B", "")}`: a snapshot of the environment under
        the variables' own names (shown masked in diagnostics, handed on whole), not a setting
        the tool needs."""
        if self._lazy_code() is None:
            return
        own = [e.value for e in node.elements if isinstance(e, cst.DictElement) and self._reads_key(e.value, string_value(e.key))]
        if len(own) > 1:
            self._snapshot.update(id(value) for value in own)

    def _reads_key(self, value: cst.BaseExpression, key: Optional[str]) -> bool:
        if key is None:
            return False
        if isinstance(value, cst.Call) and self.model.qualify(value.func) in ENV_GETTERS:
            first = positional(value, 0)
            return first is not None and string_value(first.value) == key
        if isinstance(value, cst.Subscript) and self.model.qualify(value.value) == ENV_MAPPING:
            subscript = _subscript_key(value)
            return subscript is not None and string_value(subscript) == key
        return False

    def visit_Call(self, node: cst.Call) -> None:
        code = self._lazy_code()
        if code is None or id(node) in self._snapshot or id(node) in self._dead:
            return
        self._note_optional_arguments(node)
        name = self.model.qualify(node.func)
        if name in DOTENV_LOADERS:
            self.report(node, f"`{name.split('.')[-1]}()` called inside tool code: configuration is loaded on every call")
        elif name in ENV_GETTERS:
            first = positional(node, 0)
            default = positional(node, 1) or keyword(node, "default")
            function = self.ctx.current_function
            var = string_value(first.value) if first is not None else None
            if (default is not None and not _stands_for_missing(default.value)) or (
                    # `base = os.getenv("BASE"); if not base: base = home`: optional too
                    function is not None and absence_handled(node, function, self._is_optional_read)):
                self._optional.add((id(function), var))  # `os.getenv("PORT", DEFAULT_PORT)`: a missing value changes nothing
                return
            if (id(function), var) not in self._optional:
                self._report_var(node, first.value if first else None, code)

    def _note_optional_arguments(self, call: cst.Call) -> None:
        """`_read_realm_from_config(os.environ.get("IPA_CONFDIR"))` where that function of this
        module starts `if not confdir: return None`: it takes a missing value as a valid one,
        and the read is an optional setting (an argument in place, not through a local)."""
        if not isinstance(call.func, cst.Name):
            return
        if self._fallbacks is None:
            module = self.ctx.document.module
            self._fallbacks = {
                name: (tuple(p.name.value for p in function.params.params), fallback_params(function))
                for name, function in (_module_functions(module).items() if module is not None else ())
            }
        params, optional = self._fallbacks.get(call.func.value, ((), set()))
        for index, arg in enumerate(call.args):
            param = arg.keyword.value if arg.keyword is not None else (params[index] if index < len(params) and arg.star == "" else None)
            if param in optional:
                self._snapshot.add(id(arg.value))

    def _is_optional_read(self, call: cst.Call) -> bool:
        return self.model.qualify(call.func) in ENV_OPTIONAL_GETTERS

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._note_write(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._note_write(node.target)

    def _note_write(self, target: cst.BaseExpression) -> None:
        """`os.environ["X"] = ...` sets a variable (for a library the tool loads); a read of X
        in the same function (the assignment's own target first) reads back that value, not the
        deployment's configuration."""
        if isinstance(target, cst.Subscript) and self.model.qualify(target.value) == ENV_MAPPING:
            key = _subscript_key(target)
            self._written.add((id(self.ctx.current_function), string_value(key) if key is not None else None))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        code = self._lazy_code()
        if code is None or id(node) in self._snapshot or id(node) in self._dead or self.model.qualify(node.value) != ENV_MAPPING:
            return
        key = _subscript_key(node)
        name = string_value(key) if key is not None else None
        if name is not None and (id(self.ctx.current_function), name) in self._written:
            return
        self._report_var(node, key, code)

    def _report_var(self, node: cst.CSTNode, key: Optional[cst.BaseExpression], code) -> None:
        var = string_value(key) if key is not None else None
        if var is None or var in self.option("allowed"):
            return  # `os.getenv(name)` in a generic accessor names no variable of its own
        if (id(self.ctx.current_function), var) in self._reported:
            return  # read again in the same function (after its check): the first read is the one to move
        if var in self.model.view.startup_checked_env:
            return  # startup reads it and stops without it: the tool reads a value startup validated
        function = self.ctx.current_function
        if function is not None and branches.passed_fallback(function, node, self.model.always_passed.get(function, ())):
            return  # `api_key or os.getenv("KEY")` where every call hands in the key: not read on a call
        self._reported.add((id(self.ctx.current_function), var))
        where = code.where
        shown = f"`{var}`" if var else "an environment variable"
        self.report(node, f"{shown} is read inside {where}; a missing value surfaces only on the first call")

    VALID = [
        Valid(FALLBACK_THEN_NAMED.format(unset='not os.environ.get("DOCS_HOME")')),
        # startup stops without the variable (quip, perplexity-mcp): the tool reads what startup validated
        Valid(STARTUP_CHECKED.format(missing='print("QUIP_TOKEN is not set", file=sys.stderr)\n        sys.exit(1)')),
        Valid(STARTUP_CHECKED.format(missing='raise RuntimeError("QUIP_TOKEN is required")')),
        # ... also as one of several in the test (`if not a or not b:`, world_of_warcraft's credentials pair).
        Valid(STARTUP_CHECKED.format(missing='raise RuntimeError("QUIP_TOKEN is required")').replace(
            "    if not token:\n        raise RuntimeError", '    base = os.environ.get("QUIP_BASE_URL")\n    if not base or token is None:\n        raise RuntimeError')),
        Valid(  # optional settings: a key dropped when None, a mode compared with fixed values
            """
            import os
            import mysql.connector
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("mysql")

            def connection_config() -> dict:
                config = {"host": HOST, "auth_plugin": os.getenv("MYSQL_AUTH_PLUGIN")}
                config = {k: v for k, v in config.items() if v is not None}
                ssl_mode = os.getenv("MYSQL_SSL_MODE", "").upper()
                if ssl_mode == "DISABLED":
                    config["ssl_disabled"] = True
                elif ssl_mode in ("REQUIRED", "VERIFY_CA"):
                    config["ssl_verify_cert"] = True
                return config

            @mcp.tool()
            def tables() -> list:
                return mysql.connector.connect(**connection_config()).cursor().execute("SHOW TABLES")
            """
        ),
        Valid(  # an optional setting used only when it is set: without it the feature is skipped
            """
            import os
            import mysql.connector
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("mysql")

            def connection_config() -> dict:
                config = {"host": HOST, "user": USER}
                ssl_ca = os.getenv("MYSQL_SSL_CA")
                if ssl_ca:
                    config["ssl_ca"] = ssl_ca
                return config

            @mcp.tool()
            def tables() -> list:
                return mysql.connector.connect(**connection_config()).cursor().execute("SHOW TABLES")
            """
        ),
        Valid(  # web-search-mcp: an environment snapshot for diagnostics; `(read or "").strip()` used only when set
            """
            import os
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("search")

            @mcp.tool()
            def search(query: str) -> list:
                if diagnostics_enabled():
                    env = {"SEARX_URL": os.environ.get("SEARX_URL", ""), "BRAVE_API_KEY": os.environ.get("BRAVE_API_KEY", "")}
                    emit("search.start", mask_env_values(env))
                params = {"q": query}
                language = (os.environ.get("SEARX_LANGUAGE") or "").strip()
                if language:
                    params["language"] = language
                params["provider"] = "brave" if os.environ.get("BRAVE_KEY") else "searx" if os.getenv("SEARX_KEY") else None
                return run(params)
            """
        ),
        Valid(  # cloudera: the CA bundle TLS clients read themselves, looked up among candidates
            """
            import os
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("workbench")

            @mcp.tool()
            def list_projects() -> list:
                for candidate in (os.environ.get("SSL_CERT_FILE"), os.environ.get("REQUESTS_CA_BUNDLE"), "/etc/ssl/certs/ca.pem"):
                    if candidate and os.path.exists(candidate):
                        return fetch(verify=candidate)
                return fetch()
            """
        ),
        Valid(  # redmine: a fallback for a required argument, which a tool call always carries
            """
            import os
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("redmine")

            @mcp.tool()
            def create_issue(subject: str, api_key: str) -> dict:
                if api_key is None:
                    api_key = os.environ.get("REDMINE_USER_API_KEY") or os.environ.get("REDMINE_ADMIN_API_KEY")
                if not api_key:
                    raise ValueError("api_key is required")
                return post(subject, api_key)
            """
        ),
        Valid(  # the tool sets a variable for the library it loads, and logs it
            """
            import logging
            import os
            from pathlib import Path
            from mcp.server.fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("vision")

            @mcp.tool()
            def detect(path: str) -> list:
                os.environ["YOLO_CONFIG_DIR"] = str(Path("models").absolute())
                logger.info("models in %s", os.environ["YOLO_CONFIG_DIR"])
                from ultralytics import YOLO
                return YOLO("yolov8n.pt")(path)
            """
        ),
        Valid(  # an optional endpoint: the missing branch notes the default and goes on
            """
            import logging
            import os
            from mcp.server.fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("scanner")

            @mcp.tool()
            def scan(path: str) -> dict:
                api_url = os.environ.get("SCANNER_URL")
                if api_url:
                    logger.debug("SCANNER_URL is set: %s", api_url)
                else:
                    logger.debug("SCANNER_URL not set, using the public endpoint")
                return ScannerClient(api_url=api_url).scan(path)
            """
        ),
        Valid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            API_KEY = os.environ["API_KEY"]
            mcp = FastMCP("demo")

            @mcp.tool()
            def search(query: str) -> str:
                return API_KEY + query
            """
        ),
        Valid(
            """
            import os, subprocess
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def run(cmd: str) -> str:
                env = os.environ.copy()
                verbose = os.getenv("RUN_VERBOSE", "false") == "true"
                path = os.getenv("PATH")
                return subprocess.run([cmd], env=env, capture_output=True, text=True).stdout
            """
        ),
        Valid(
            """
            import os

            def not_a_tool() -> str:
                return os.environ.get("SETTING", "x")
            """
        ),
        Valid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            DEFAULT_HOST = "localhost"
            mcp = FastMCP("demo")

            def env_flag(name: str) -> bool:
                return os.environ.get(name, "").lower() in ("1", "true")

            @mcp.tool()
            def connect(target: str) -> str:
                host = os.getenv("BLENDER_HOST", DEFAULT_HOST)
                data = os.environ.get("XDG_DATA_HOME", os.path.expanduser("~/.local/share"))
                return host + data + str(env_flag("VERBOSE")) + target
            """
        ),
        Valid(
            """
            import os
            from pydantic_ai import Agent

            agent = Agent("openai:gpt-4o")

            @agent.tool_plain
            def lookup(q: str) -> str:
                return os.getenv("KEY") or q
            """
        ),
        Valid(
            # Optional settings whose absence selects a fallback on the next lines: another
            # folder, a service-specific read with a global one as its default, "no allowlist".
            """
            import os
            from pathlib import Path
            from fastmcp import FastMCP

            mcp = FastMCP("files")

            def export_dir() -> Path:
                folder = os.environ.get("APP_EXPORT_DIR")
                if not folder:
                    folder = str(Path.home() / "exports")
                return Path(folder)

            def gateway(service: str):
                return os.getenv(f"{service}_GATEWAY", os.getenv("APP_GATEWAY"))

            def allowed_hosts():
                raw = os.environ.get("APP_ALLOWED_HOSTS", "").strip()
                if not raw:
                    return None
                return [h.strip() for h in raw.split(",")]

            @mcp.tool
            def export(name: str) -> str:
                return str(export_dir() / name) + str(gateway("S3")) + str(allowed_hosts())
            """
        ),
        Valid(
            # The connection helper first runs at import, through a module-level call chain:
            # a missing WAREHOUSE_DSN raises KeyError when the module loads, not on a tool call.
            """
            import os
            from sqlalchemy import create_engine
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("warehouse")
            _engine = None

            def _connect():
                return create_engine(os.environ["WAREHOUSE_DSN"])

            def engine():
                global _engine
                if _engine is None:
                    _engine = _connect()
                return _engine

            def describe() -> str:
                return engine().dialect.name

            BACKEND = describe()

            @mcp.tool()
            def tables() -> list:
                return engine().table_names()
            """
        ),
        Valid(
            # main() parses and checks the settings (argparse defaults from the environment) and
            # builds the client before serving; the tool path re-parses only if startup did not.
            """
            import argparse, os
            from fastmcp import FastMCP

            mcp = FastMCP("vectors")
            _store = None

            def build_parser():
                parser = argparse.ArgumentParser()
                parser.add_argument("--host", default=os.getenv("VEC_HOST"))
                return parser

            def store(args=None):
                global _store
                if _store is None:
                    if args is None:
                        args = build_parser().parse_args()
                    _store = connect(args.host)
                return _store

            @mcp.tool
            def collections() -> list:
                return store().list()

            def main():
                parser = build_parser()
                args = parser.parse_args()
                if not args.host:
                    parser.error("--host or VEC_HOST is required")
                store(args)
                mcp.run()

            if __name__ == "__main__":
                main()
            """
        ),
        Valid(  # optional settings in other shapes: a walrus test, an on/off flag, a constant
            # default, a pair tested together with a `return None` fallback, a test joined by `and`
            """
            import os
            from fastmcp import FastMCP

            mcp = FastMCP("library")
            DEFAULT_LOCK_TIMEOUT = 45.0

            def cli_options() -> list:
                options = []
                if provider := os.environ.get("BROWSER_PROVIDER"):
                    options.extend(["-p", provider])
                if os.environ.get("BROWSER_HEADED", "").lower() in ("1", "true"):
                    options.append("--headed")
                return options

            def lock_timeout() -> float:
                raw = os.getenv("LIBRARY_LOCK_TIMEOUT", "").strip()
                if not raw:
                    return DEFAULT_LOCK_TIMEOUT
                return float(raw)

            def web_client():
                library_id = os.getenv("LIBRARY_ID")
                api_key = os.getenv("LIBRARY_API_KEY")
                if not library_id or not api_key:
                    return None
                return Client(library_id, api_key)

            def s3_config(config):
                if os.getenv("S3_TOKEN"):
                    config.token = os.getenv("S3_TOKEN")
                if os.getenv("AZURE_CONNECTION_STRING") and not (os.getenv("AZURE_ACCOUNT_KEY") or os.getenv("AZURE_SAS_TOKEN")):
                    return {"connection_string": os.getenv("AZURE_CONNECTION_STRING")}
                return config

            def audit(name: str) -> None:
                if os.environ.get("PYTEST_CURRENT_TEST") or os.environ.get("MCP_SERVER_DISABLE_LOGGING"):
                    return
                write_audit_line(name)

            def provider_info() -> dict:
                return {"provider": "docker", "experimental": os.environ.get("KIND_EXPERIMENTAL_PROVIDER") is not None}

            def realm_from(confdir):
                if not confdir:
                    return None
                return read_realm(confdir)

            def normalize_login(raw):
                if not isinstance(raw, str):
                    return None
                return raw.strip().lower()

            def detect_realm() -> str:
                owner = normalize_login(os.environ.get("GITHUB_LOGIN"))  # grok-mcp-server
                realm = realm_from(os.environ.get("IPA_CONFDIR"))
                if not realm:
                    realm = realm_from(confdir=os.environ.get("IPA_CONFDIR_OLD"))
                if realm:
                    return realm
                raise ValueError("Cannot detect the realm")

            def has_display() -> bool:
                return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))

            def check_configured(allow: list) -> bool:
                return bool(allow or os.environ.get("GITHUB_LOGIN_HINT", "").strip())  # grok-mcp-server

            def github_headers() -> dict:
                headers = {"Accept": "application/json"}
                token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
                if token:
                    headers["Authorization"] = f"Bearer {token}"
                return headers

            def chronicle_client():
                service_account_path = os.getenv("SECOPS_SA_PATH")
                if service_account_path:
                    client = SecOpsClient(service_account_path=service_account_path)
                else:
                    client = SecOpsClient()
                return client

            def embedding_model(configured: str) -> str:
                env_model = os.getenv("EMBEDDING_MODEL")
                if env_model and configured == "default":
                    configured = env_model
                return configured

            @mcp.tool
            def search(query: str) -> list:
                local = os.getenv("LIBRARY_LOCAL", "").lower() in ["true", "yes", "1"]
                client = None if local else web_client()
                return run(query, cli_options(), lock_timeout(), embedding_model("default"), client, s3_config({}), chronicle_client(), provider_info(), audit("search"), has_display(), detect_realm(), github_headers(), check_configured([]))
            """
        ),
        # the key a helper falls back to reading is handed in by every call (a startup global)
        Valid(PASSED_KEY),
    ]
    INVALID = [
        Invalid(PASSED_KEY.replace("connect(API_KEY)", "connect()"), line=8),
        # ... nor when the tool hands on a parameter of its own, which may be its `None` default (redmine, rocketnet)
        Invalid(PASSED_KEY.replace("def search(q: str) -> str:\n    return connect(API_KEY)", "def search(q: str, key: str | None = None) -> str:\n    return connect(key)"), line=8),
        # ... not when the function's own test is not about the variable (another function's fallback does not count)
        Invalid(FALLBACK_THEN_NAMED.format(unset="not HOME"), line=18),
        Invalid(  # the last alternative of an `or`, when its absence is an error
            """
            import os
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("releases")

            @mcp.tool()
            def latest() -> dict:
                token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
                if token is None:
                    raise RuntimeError("set GITHUB_TOKEN or GH_TOKEN")
                return fetch_latest(token)
            """,
            line=8,
            message="`GH_TOKEN`",
        ),
        # ... when startup only warns, or stops on another variable: the tool's read is the check
        Invalid(STARTUP_CHECKED.format(missing='logging.warning("QUIP_TOKEN is not set")'), line=10),
        # ... or only in a test where it being set runs the body (`if not base or token:`)
        Invalid(STARTUP_CHECKED.format(missing='raise RuntimeError("QUIP_TOKEN is required")').replace(
            "    if not token:\n        raise RuntimeError", '    base = os.environ.get("QUIP_BASE_URL")\n    if not base or token:\n        raise RuntimeError'), line=10),
        # a `return` counts as no stop: in a startup helper (a diagnostics report, mcp-zenml) it leaves the helper only
        Invalid(STARTUP_CHECKED.format(missing='return'), line=10),
        Invalid(STARTUP_CHECKED.format(missing='sys.exit(1)').replace('token = os.environ.get("QUIP_TOKEN")\n    if not token:\n        sys.exit(1)',
                                                                        'base = os.environ.get("QUIP_BASE_URL")\n    if not base:\n        sys.exit(1)'), line=10),
        Invalid(  # an argument of a function of the module that fails without it, or has no such function
            """
            import os
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("ipa")

            def connect(url):
                if not url:
                    raise ValueError("IPA_URL is not set")
                return open_session(url)

            def login_of(raw):
                if not isinstance(raw, str):
                    raise ValueError("GITHUB_LOGIN is not set")
                return raw.strip()

            @mcp.tool()
            def whoami() -> str:
                return connect(os.environ.get("IPA_URL")).whoami(realm_from(os.environ.get("IPA_REALM")), login_of(os.environ.get("GITHUB_LOGIN")))
            """,
            count=3,
        ),
        Invalid(  # the same fallback for arguments that may be missing or null
            """
            import os
            from typing import Optional
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("redmine")

            @mcp.tool()
            def create_issue(subject: str, api_key: Optional[str], token: "str | None", url: str = None) -> dict:
                if api_key is None:
                    api_key = os.environ.get("USER_API_KEY") or os.environ.get("ADMIN_API_KEY")
                if url is None:
                    url = os.environ.get("USER_URL") or os.environ.get("ADMIN_URL")
                if token is None:
                    token = os.environ.get("USER_TOKEN") or os.environ.get("ADMIN_TOKEN")
                if not api_key or not url or not token:
                    raise ValueError("api_key, url and token are required")
                return post(subject, api_key, url, token)
            """,
            count=3,
        ),
        Invalid(  # look-alikes of the snapshot and the optional read: a dict under other names, a value used unchecked
            """
            import os
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("search")

            @mcp.tool()
            def search(query: str) -> list:
                config = {"url": os.environ.get("SEARX_URL", ""), "key": os.environ.get("BRAVE_API_KEY", "")}
                single = {"SEARX_TOKEN": os.environ.get("SEARX_TOKEN", "")}
                language = (os.environ.get("SEARX_LANGUAGE") or "").strip()
                return run(query, config, single, bool(query), language=language, engine=bool(query) or os.environ.get("SEARX_ENGINE"), up=bool(ping(os.environ.get("SEARX_PING"))))
            """,
            count=6,
        ),
        Invalid(  # checked, then read again once it is known to be set: one finding per variable
            """
            import os
            from fastmcp import FastMCP

            mcp = FastMCP("connectors")

            def neo4j_config() -> dict:
                if os.getenv("NEO4J_USER") is None:
                    raise ValueError("NEO4J_USER is not set")
                if os.getenv("NEO4J_TOKEN"):
                    token = os.getenv("NEO4J_PASSWORD")
                return {"user": os.getenv("NEO4J_USER"), "token": token}

            @mcp.tool
            def create_connector(name: str) -> dict:
                return neo4j_config()
            """,
            count=2,  # NEO4J_USER once; NEO4J_PASSWORD (guarded by a test of another variable)
        ),
        Invalid(  # the same shapes where the missing value is an error: a message, a failing else
            """
            import os
            from fastmcp import FastMCP

            mcp = FastMCP("library")

            def web_client():
                library_id = os.getenv("LIBRARY_ID")
                api_key = os.getenv("LIBRARY_API_KEY")
                if not library_id or not api_key:
                    return "Error: LIBRARY_ID and LIBRARY_API_KEY must be set"
                return Client(library_id, api_key)

            def cli_options() -> list:
                if provider := os.environ.get("BROWSER_PROVIDER"):
                    return ["-p", provider]
                else:
                    raise ValueError("BROWSER_PROVIDER is required")

            def mode() -> str:
                if os.environ.get("LIBRARY_MODE", "").lower() == "local":
                    return "local"
                else:
                    raise ValueError("only LIBRARY_MODE=local is supported")

            def chronicle_client():
                service_account_path = os.getenv("SECOPS_SA_PATH")
                if service_account_path:
                    client = SecOpsClient(service_account_path=service_account_path)
                else:
                    client = None
                return client.chronicle()

            @mcp.tool
            def search(query: str) -> list:
                return run(query, web_client(), cli_options(), mode(), chronicle_client())
            """,
            count=5,
        ),
        Invalid(  # through a module-level alias, called from another module (google/mcp-security's gti server)
            """
            import os

            def _client_factory():
                api_key = os.getenv("VT_APIKEY")
                if not api_key:
                    raise ValueError("VT_APIKEY environment variable is required")
                return Client(api_key)

            client_factory = _client_factory
            """,
            path="vt_clients.py",
            files={"server.py": (
                "from fastmcp import FastMCP\nfrom vt_clients import client_factory\n\nmcp = FastMCP('vt')\n\n\n"
                "@mcp.tool\ndef url_report(url: str) -> dict:\n    return client_factory().get(url)\n"
            )},
            line=4,
        ),
        # Through an attribute holding an instance of a project class (`self.validator`).
        Invalid(
            """
            import os
            import subprocess
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("shell")

            class Validator:
                def allowed(self) -> list:
                    return os.environ.get("ALLOW_COMMANDS", "").split(",")

            class Executor:
                def __init__(self):
                    self.validator = Validator()

                def run(self, command: str) -> str:
                    if command.split()[0] not in self.validator.allowed():
                        raise ValueError("command not allowed")
                    return subprocess.run(command.split(), capture_output=True, text=True).stdout

            executor = Executor()

            @mcp.tool()
            def shell(command: str) -> str:
                return executor.run(command)
            """,
            line=9,
            message="ALLOW_COMMANDS",
        ),
        Invalid(  # the missing branch warns and goes on: the first call fails without the key
            """
            import logging
            import os
            from mcp.server.fastmcp import FastMCP

            logger = logging.getLogger(__name__)
            mcp = FastMCP("scanner")

            @mcp.tool()
            def scan(path: str) -> dict:
                api_key = os.environ.get("SCANNER_API_KEY")
                if not api_key:
                    logger.warning("SCANNER_API_KEY is not set")
                return ScannerClient(api_key=api_key).scan(path)
            """,
            line=10,
            message="SCANNER_API_KEY",
        ),
        Invalid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            def search(query: str) -> str:
                key = os.environ.get("SEARCH_API_KEY")
                return key + query
            """,
            line=8,
            message="SEARCH_API_KEY",
        ),
        Invalid(
            """
            from os import environ as env, getenv
            from fastmcp import FastMCP as Server

            app = Server("demo")

            def _client():
                return env["DB_URL"]

            @app.tool(name="query")
            async def run_query(sql: str) -> str:
                return _client() + getenv("TOKEN")
            """,
            count=2,
            message="helper `_client` called by tool `query`",
        ),
        Invalid(
            """
            from dotenv import load_dotenv

            def register(mcp):
                @mcp.tool()
                def refresh() -> str:
                    load_dotenv()
                    return "ok"
            """,
            line=6,
        ),
        Invalid(
            # The missing branch is an error, raised or returned: validated lazily, per call.
            """
            import os
            from fastmcp import FastMCP

            mcp = FastMCP("files")

            def allowed_hosts():
                raw = os.environ.get("APP_ALLOWED_HOSTS", "").strip()
                if not raw:
                    return "Error: APP_ALLOWED_HOSTS is not set"
                return raw.split(",")

            @mcp.tool
            def fetch(url: str) -> str:
                if not os.getenv("APP_FETCH_TOKEN", "").strip():
                    raise ValueError("APP_FETCH_TOKEN is required")
                return get(url, allowed_hosts())
            """,
            count=2,
        ),
        Invalid(
            # Called by main() only after the server stopped serving: the tool reads it first.
            """
            import os
            from fastmcp import FastMCP

            mcp = FastMCP("vectors")

            def client():
                return connect(os.environ.get("VEC_HOST"))

            @mcp.tool
            def collections() -> list:
                return client().list()

            def main():
                mcp.run()
                client().close()

            if __name__ == "__main__":
                main()
            """,
            line=7,
            message="`VEC_HOST` is read inside helper `client` called by tool `collections`",
        ),
    ]


def _stands_for_missing(default: cst.BaseExpression) -> bool:
    """`""` and `None` defaults stand for a value that must be set; any other default (a literal,
    a constant, an expression such as `os.path.expanduser("~/.local")`) makes the variable optional."""
    return string_value(default) == "" or (isinstance(default, cst.Name) and default.value == "None")



class RequiredEnvUnvalidated(PythonProjectRule):
    """
    ## What it does
    Flags a module-level `X = os.getenv("NAME")` or `os.environ.get("NAME")` without a default
    or with an empty-string default (so `X` is silently `None` or `""` when the variable is unset)
    when tool code uses `X` and nothing tests it: no `if not X: raise`, `assert X`, `X or ...`,
    `X is None`, or a check loop over the values. A check that raises on the tool path
    (`if not API_KEY: raise ValueError(...)` inside the tool) validates lazily, on the first
    call, and does not count; a tool that branches on an optional value does. Names bound from a
    same-file config helper (`A, B = load_secrets()`) that returns such reads and raises nothing
    count too (config helpers in other modules are not followed yet). A value that tool code only
    passes on, as it is, to project functions that substitute a default when it is missing
    (`make_path(out, BASE)` with `if not base: base = home` in any module) is optional and is
    not reported.

    ## Why is this bad?
    The server imports and starts fine without the variable and then fails on a tool call, with
    an error about `None` (or sends `"Bearer None"` upstream). A required variable should stop the
    process at startup, where the deploy pipeline sees it.

    Reported as info: whether a variable is required is a design fact the linter cannot see (many
    client libraries accept `None` and fall back to their own configuration).

    ## Example
    ```python
    API_KEY = os.getenv("WEATHER_API_KEY")

    @mcp.tool()
    def forecast(city: str) -> str:
        return fetch(city, headers={"Authorization": f"Bearer {API_KEY}"})
    ```

    ## Use instead
    ```python
    API_KEY = os.getenv("WEATHER_API_KEY")
    if not API_KEY:
        raise SystemExit("WEATHER_API_KEY is not set")
    ```
    or `API_KEY = os.environ["WEATHER_API_KEY"]`, or a required field on a `BaseSettings` class.
    """

    code = "MCP0102"
    scope = "mcp-project"  # the function that substitutes a default may live in a helper module
    name = "required-env-unvalidated"
    item = 1
    severity = Severity.INFO
    summary = "Environment variable read without default or startup check, used in tool code"
    fix_hint = "Fail at startup when the variable is missing: `os.environ[\"NAME\"]`, or `if not X: raise SystemExit(...)` right after the read."
    # A helper module that substitutes the default need not read the environment: the files that
    # matter are those whose tool code may read it and the modules they import (holdings.py).
    needs = ("tool env scope",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.checked: Set[str] = set()  # names tested somewhere in the file
        self.lazy: Set[int] = set()  # nodes of tests that only validate on the tool path
        self.module = _module_name(ctx.document.path)
        # "fallbacks": (qualified function, parameter, position) whose missing value the function
        # replaces; "candidates": (finding, argument slots the value only ever fills).
        self.facts = {"fallbacks": [], "candidates": []}

    def _check(self, node: cst.CSTNode) -> None:
        if id(node) not in self.lazy:
            self.checked |= _names_in(node)

    def visit_If(self, node: cst.If) -> None:
        if self.ctx.tool_code is not None and any(type(n) is cst.Raise for n in walk.walk(node.body)):
            # `if not API_KEY: raise ...` inside a tool validates lazily, on the first call: the
            # very thing this rule is about. (A tool branching on an optional value is fine.)
            self.lazy.update(id(n) for n in walk.walk(node.test))
            return
        self._check(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._check(node.test)

    def visit_Assert(self, node: cst.Assert) -> None:
        self._check(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._check(node.test)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        self._check(node)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if any(isinstance(t.comparator, cst.Name) and t.comparator.value == "None" for t in node.comparisons):
            self._check(node)

    def visit_For(self, node: cst.For) -> None:
        # `for name, value in [("A", A), ...]: if not value: raise` validates every listed value.
        self.checked |= _names_in(node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.checked |= _names_in(node.iter)

    def leave_Module(self, original_node: cst.Module) -> None:
        functions = _module_functions(original_node)
        for name, function in functions.items():
            positions = {p.name.value: i for i, p in enumerate(function.params.params)}
            for param in fallback_params(function):
                self.facts["fallbacks"].append((f"{self.module}.{name}" if self.module else name, param, positions.get(param)))
        reads = [
            (target, call)
            for statement in original_node.body
            for target, call in _module_env_reads(statement, self.model, functions)
            if target.value not in self.checked
        ]
        if not reads:
            return
        rebound = _rebound_names(original_node)
        for target, call in reads:
            if target.value not in rebound:
                self._check_uses(target, call)

    def _check_uses(self, target: cst.Name, call: cst.Call) -> None:
        uses = [(f, code, use) for f, code in self.model.tool_code.items() if (use := _global_use(f, target.value)) is not None]
        if not uses:
            return
        slots: Optional[List[Tuple[str, Optional[int], Optional[str]]]] = []
        for function, _, _ in uses:
            found = _argument_slots(function, target.value, lambda e: _qualified_callee(self.model, self.module, e))
            slots = None if found is None or slots is None else slots + found
        _, code, use = uses[0]
        var = string_value(positional(call, 0).value)
        default = positional(call, 1) or keyword(call, "default")
        empty = "empty" if default is not None and string_value(default.value) == "" else "None"
        doc = self.ctx.document
        finding = self.make_finding(
            doc.location(call),
            f"`{target.value}` is {empty} when `{var}` is unset, and {code.where} uses it; nothing checks it at startup",
            related=[doc.location(use, f"used in {code.where}")],
            snippet=doc.snippet(call),
        )
        self.facts["candidates"].append((finding, tuple(slots or ())))

    @classmethod
    def check(cls, facts_by_path, project):
        fallbacks = set()
        for facts in facts_by_path.values():
            for function, param, position in facts["fallbacks"]:
                fallbacks.update({(function, None, param), (function, position, None)})
        for facts in facts_by_path.values():
            for finding, slots in facts["candidates"]:
                # Only ever passed to functions that substitute a default for a missing value:
                # the variable is optional (`make_path(out, BASE)` with `if not base: base = home`).
                if not slots or not all(slot in fallbacks for slot in slots):
                    yield finding

    VALID = [
        Valid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            TIMEOUT = os.getenv("TIMEOUT")
            mcp = FastMCP("demo")

            @mcp.tool()
            def fetch(url: str) -> str:
                return client.get(url, TIMEOUT=5).TIMEOUT
            """
        ),
        Valid(
            """
            import os
            import sys
            from mcp.server.fastmcp import FastMCP

            API_KEY = os.getenv("WEATHER_API_KEY")
            mcp = FastMCP("weather")

            @mcp.tool()
            def forecast(city: str) -> str:
                return f"{city}: {API_KEY}"

            if __name__ == "__main__":
                if not API_KEY:
                    sys.exit("WEATHER_API_KEY is required")
                mcp.run()
            """
        ),
        Valid(
            """
            import os
            from fastmcp import FastMCP

            BASE_URL = os.getenv("BASE_URL", "https://api.example.com")
            TOKEN = os.environ["API_TOKEN"]
            mcp = FastMCP("demo")

            @mcp.tool
            def fetch(path: str) -> str:
                return BASE_URL + path + TOKEN
            """
        ),
        Valid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            SENTRY_DSN = os.environ.get("SENTRY_DSN")
            mcp = FastMCP("demo")

            def main():
                init_sentry(SENTRY_DSN)
                mcp.run()

            @mcp.tool()
            def ping() -> str:
                return "pong"
            """
        ),
        Valid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            GITHUB_TOKEN = os.getenv("GITHUB_TOKEN")
            mcp = FastMCP("gh")

            @mcp.tool()
            def repos(user: str) -> str:
                if GITHUB_TOKEN is None:
                    return "anonymous listing"
                return list_private(user, GITHUB_TOKEN)
            """
        ),
        Valid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            DB_URL = os.getenv("DB_URL")
            REDIS_URL = os.getenv("REDIS_URL")
            for name, value in {"DB_URL": DB_URL, "REDIS_URL": REDIS_URL}.items():
                if not value:
                    raise RuntimeError(f"missing {name}")
            mcp = FastMCP("demo")

            @mcp.tool()
            def query(sql: str) -> str:
                return run(DB_URL, sql)
            """
        ),
        Valid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            def load_secrets():
                user, password = os.getenv("DB_USER"), os.getenv("DB_PASSWORD")
                if not (user and password):
                    raise SystemExit("DB_USER and DB_PASSWORD are required")
                return user, password

            DB_USER, DB_PASSWORD = load_secrets()
            mcp = FastMCP("db")

            @mcp.tool()
            def query(sql: str) -> list:
                return connect(DB_USER, DB_PASSWORD).run(sql)
            """
        ),
        Valid(
            # The value is only handed to a helper that substitutes a default folder when it
            # is missing: an optional setting.
            """
            import os
            from fastmcp import FastMCP
            from studio.paths import output_dir

            OUT_ROOT = os.getenv("STUDIO_OUT_ROOT")
            mcp = FastMCP("studio")

            @mcp.tool
            def render(scene: str, folder: str = "") -> str:
                return str(output_dir(folder, OUT_ROOT) / scene)
            """,
            path="studio/server.py",
            files={
                "studio/__init__.py": "",
                "studio/paths.py": """
                    from pathlib import Path

                    def output_dir(folder, root=None):
                        if not root:
                            root = str(Path.home() / "renders")
                        return Path(root) / folder
                """,
            },
        ),
    ]
    INVALID = [
        Invalid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            API_KEY = os.getenv("WEATHER_API_KEY")
            mcp = FastMCP("weather")

            @mcp.tool()
            def forecast(city: str) -> str:
                return fetch(city, headers={"Authorization": f"Bearer {API_KEY}"})
            """,
            line=4,
            message="`API_KEY` is None when `WEATHER_API_KEY` is unset, and tool `forecast`",
            severity="info",
        ),
        Invalid(
            """
            from os import environ
            from fastmcp import FastMCP as F

            DATABASE_URL = environ.get("DATABASE_URL", None)
            app = F("db")

            def _connect():
                return connect(DATABASE_URL)

            @app.tool(name="run_sql")
            async def run(sql: str) -> list:
                return _connect().execute(sql)
            """,
            line=4,
            message="helper `_connect` called by tool `run_sql`",
        ),
        Invalid(
            """
            import os

            TOKEN = os.getenv("JIRA_TOKEN")
            JIRA_URL = os.getenv("JIRA_URL", "https://jira.example.com")

            def register(mcp):
                @mcp.tool()
                def issue(key: str) -> dict:
                    return get(f"{JIRA_URL}/issue/{key}", token=TOKEN)
            """,
            count=1,
            line=3,
        ),
        Invalid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            API_KEY = os.getenv("SEARCH_API_KEY", "")
            mcp = FastMCP("search")

            @mcp.tool()
            def search(q: str) -> str:
                if not API_KEY:
                    raise ValueError("SEARCH_API_KEY is not set")
                return fetch(q, API_KEY)
            """,
            line=4,
            message="`API_KEY` is empty when `SEARCH_API_KEY` is unset",
        ),
        Invalid(
            """
            import os
            from mcp.server.fastmcp import FastMCP

            def load_secrets():
                user = os.getenv("DB_USER", "")
                return user, os.getenv("DB_PASSWORD", "")

            DB_USER, DB_PASSWORD = load_secrets()
            mcp = FastMCP("db")

            @mcp.tool()
            def query(sql: str) -> list:
                return connect(DB_USER, DB_PASSWORD).run(sql)
            """,
            count=2,
            message="`DB_PASSWORD` is empty when `DB_PASSWORD` is unset",
        ),
        Invalid(
            # Handed to a helper that uses it as it is: still None when unset.
            """
            import os
            from fastmcp import FastMCP
            from studio.paths import output_dir

            OUT_ROOT = os.getenv("STUDIO_OUT_ROOT")
            mcp = FastMCP("studio")

            @mcp.tool
            def render(scene: str, folder: str = "") -> str:
                return str(output_dir(folder, OUT_ROOT) / scene)
            """,
            path="studio/server.py",
            files={
                "studio/__init__.py": "",
                "studio/paths.py": """
                    from pathlib import Path

                    def output_dir(folder, root=None):
                        if not folder:
                            folder = "default"
                        return Path(root) / folder
                """,
            },
            line=5,
        ),
    ]


def _module_env_reads(statement: cst.BaseStatement, model, functions: Dict[str, cst.FunctionDef]) -> Iterable[Tuple[cst.Name, cst.Call]]:
    """`X = os.getenv("NAME")` / `X: str | None = os.environ.get("NAME", None)` at module level, and
    names bound from a same-file config helper that returns such reads without checking them
    (`A, B = load_secrets()`)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return
    for small in statement.body:
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target, value = small.targets[0].target, small.value
        elif isinstance(small, cst.AnnAssign):
            target, value = small.target, small.value
        else:
            continue
        if isinstance(target, cst.Name) and _is_optional_env_read(value, model):
            yield target, value
        elif isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in functions:
            yield from _helper_reads(target, functions[value.func.value], model)


def _module_functions(module: cst.Module) -> Dict[str, cst.FunctionDef]:
    return {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}


def _helper_reads(target: cst.BaseExpression, helper: cst.FunctionDef, model) -> Iterable[Tuple[cst.Name, cst.Call]]:
    """Pairs (module-level name, env read in the helper) for `A, B = helper()` where the helper
    returns optional env reads (directly or through its locals) and raises nothing."""
    if any(isinstance(n, cst.Raise) for n in walk.walk(helper.body)):
        return  # the helper validates what it reads
    returns = [n for n in walk.walk(helper.body) if isinstance(n, cst.Return) and n.value is not None]
    if len(returns) != 1:
        return
    local_reads: Dict[str, cst.Call] = {}
    for node in walk.walk(helper.body):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            if _is_optional_env_read(node.value, model):
                local_reads[node.targets[0].target.value] = node.value
    value = returns[0].value
    targets = [e.value for e in target.elements] if isinstance(target, (cst.Tuple, cst.List)) else [target]
    values = [e.value for e in value.elements] if isinstance(value, (cst.Tuple, cst.List)) else [value]
    if len(targets) != len(values):
        return
    for name, returned in zip(targets, values):
        if not isinstance(name, cst.Name):
            continue
        if _is_optional_env_read(returned, model):
            yield name, returned
        elif isinstance(returned, cst.Name) and returned.value in local_reads:
            yield name, local_reads[returned.value]


def _is_optional_env_read(value, model) -> bool:
    if not isinstance(value, cst.Call) or model.qualify(value.func) not in ENV_OPTIONAL_GETTERS:
        return False
    first, default = positional(value, 0), positional(value, 1) or keyword(value, "default")
    if first is None or string_value(first.value) is None:
        return False
    # No default, `None`, or `""`: all leave the variable falsy when it is unset.
    return default is None or (isinstance(default.value, cst.Name) and default.value.value == "None") or string_value(default.value) == ""


def _rebound_names(module: cst.Module) -> Set[str]:
    """Names assigned more than once at module level, or declared `global` in a function
    (set again in `main()`, a fallback): managed somewhere, not silently None."""
    counts: Dict[str, int] = {}
    for statement in module.body:
        for node in walk.walk(statement) if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)) else ():
            if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Name):
                counts[node.target.value] = counts.get(node.target.value, 0) + 1
    rebound = {name for name, count in counts.items() if count > 1}
    for node in walk.walk(module):
        if isinstance(node, cst.Global):
            rebound.update(item.name.value for item in node.names)
    return rebound


def _global_use(function: cst.FunctionDef, name: str) -> Optional[cst.Name]:
    """The first read of module-level `name` in the function (None when it is local there)."""
    params = {p.name.value for p in walk.walk(function.params) if isinstance(p, cst.Param)}
    if name in params:
        return None
    first = None
    not_reads = set()  # `obj.name` and `f(name=...)` hold Name nodes that are not variables
    for node in walk.walk(function.body):
        if isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign)) and isinstance(node.target, cst.Name):
            if node.target.value == name:
                return None  # a local of the same name
        elif isinstance(node, cst.Attribute):
            not_reads.add(id(node.attr))
        elif isinstance(node, cst.Arg) and node.keyword is not None:
            not_reads.add(id(node.keyword))
        elif first is None and isinstance(node, cst.Name) and node.value == name and id(node) not in not_reads:
            first = node
    return first


def _argument_slots(function: cst.FunctionDef, name: str, qualify) -> Optional[List[Tuple[str, Optional[int], Optional[str]]]]:
    """(callee, position, keyword) of each argument that passes module-level `name` as it is, when
    the function reads `name` only that way; None when it also uses the value itself."""
    slots: List[Tuple[str, Optional[int], Optional[str]]] = []
    passed = set()
    for node in walk.walk(function.body):
        if isinstance(node, cst.Call):
            for index, arg in enumerate(node.args):
                if isinstance(arg.value, cst.Name) and arg.value.value == name and not arg.star:
                    callee = qualify(node.func)
                    if callee is None:
                        return None
                    keyword_name = arg.keyword.value if arg.keyword is not None else None
                    slots.append((callee, None if keyword_name else index, keyword_name))
                    passed.add(id(arg.value))
    reads = [n for n in walk.walk(function.body) if isinstance(n, cst.Name) and n.value == name]
    keywords = {id(n.keyword) for n in walk.walk(function.body) if isinstance(n, cst.Arg) and n.keyword is not None}
    attrs = {id(n.attr) for n in walk.walk(function.body) if isinstance(n, cst.Attribute)}
    if any(id(n) not in passed and id(n) not in keywords and id(n) not in attrs for n in reads):
        return None
    return slots


def _qualified_callee(model, module: str, expr: cst.BaseExpression) -> Optional[str]:
    """`make_path` -> `pkg.utils.make_path` (imported) or `pkg.server.make_path` (defined here)."""
    name = dotted(expr)
    if not name:
        return None
    if name.split(".")[0] in model.imports.aliases:
        return model.qualify(expr) or name
    return f"{module}.{name}" if module else name


def _names_in(expr: cst.CSTNode) -> Set[str]:
    name = cst.Name  # exact type: libcst's isinstance is slow, and Name has no subclasses
    return {node.value for node in walk.walk(expr) if type(node) is name}


BASE_SETTINGS = {
    "pydantic_settings.BaseSettings",
    "pydantic_settings.main.BaseSettings",
    "pydantic.BaseSettings",
    "pydantic.env_settings.BaseSettings",
    "pydantic.v1.BaseSettings",
}


CACHED_CONFIG = """
from pydantic_settings import BaseSettings

class Config(BaseSettings):
    api_key: str

_singleton = None

def _build_config() -> Config:
    return Config()

def get_config() -> Config:
    global _singleton
    if _singleton is None:
        _singleton = _build_config()
    return _singleton
"""
CONFIG_SERVER = """
from fastmcp import FastMCP
from app.config import get_config

mcp = FastMCP("trw")

@mcp.tool
def search(q: str) -> str:
    return get_config().api_key + q

def main() -> None:
    get_config()
    mcp.run()

if __name__ == "__main__":
    main()
"""


INJECTED_SETTINGS = """
from pydantic_settings import BaseSettings
from mcp.server.fastmcp import FastMCP

class Settings(BaseSettings):
    api_key: str

SETTINGS = Settings()
mcp = FastMCP("demo")

def rollback(name: str, config: "Settings | None" = None) -> str:
    if config is None:
        config = Settings()
    return config.api_key + name

def audit(name, config=None):
    config = config or Settings()
    return name

@mcp.tool()
def undo(name: str) -> str:
    audit(name, SETTINGS)
    return rollback(name, config=SETTINGS)
"""


class SettingsConstructedInTool(PythonProjectRule):
    """
    ## What it does
    Flags tool code (a tool handler, or a same-file helper it calls) that instantiates a
    `pydantic-settings` `BaseSettings` subclass, defined in the same file or in another module of
    the project, including subclasses of subclasses. A cached accessor (`get_settings()`) that
    builds the object is not flagged when it is also called at startup (module level, `main()`,
    from this module or another, as the project model's call graph sees it); nor is a fallback
    for a settings parameter that every call in the project passes
    (`if config is None: config = Settings()` in a helper the tools hand their settings to).

    ## Why is this bad?
    `Settings()` reads and validates the environment when it is built. Built inside a tool, a
    missing or malformed variable passes every startup probe and fails the first real call, and
    the environment is re-read on every call.

    ## Example
    ```python
    class Settings(BaseSettings):
        api_key: str

    @mcp.tool()
    def search(q: str) -> str:
        return client(Settings().api_key).search(q)
    ```

    ## Use instead
    ```python
    settings = Settings()  # module level or main(): raises at startup when api_key is missing

    @mcp.tool()
    def search(q: str) -> str:
        return client(settings.api_key).search(q)
    ```
    """

    code = "MCP0103"
    needs_in_project = ("settings class",)  # findings build a pydantic-settings class
    scope = "mcp-project"  # facts may live in modules that never mention MCP
    name = "settings-constructed-in-tool"
    item = 1
    severity = Severity.WARNING
    summary = "pydantic-settings object built inside tool code instead of at startup"
    fix_hint = "Build the Settings object once at startup (module level or main()) and pass it to the tools, e.g. through a module global or the lifespan context."
    # No pruning per file by text: the file that builds the object may name it anything
    # (`AppConfig()`); the unit must hold a settings class (`needs_in_project`) for any class to
    # derive from one, so a unit without one has nothing to report (and positions to spare).

    def __init__(self, ctx):
        super().__init__(ctx)
        self.module = _module_name(ctx.document.path)
        # qualified class -> qualified bases, for every top-level class of the file
        self.facts = {"classes": {}, "calls": []}
        self.candidates: List[Tuple[str, cst.Call, ToolCode]] = []
        self.called_at_startup: Set[str] = set()

    def _qualified(self, expr: cst.BaseExpression) -> str:
        name = dotted(expr) or ""
        if name.split(".")[0] in self.model.imports.aliases:
            return self.model.qualify(expr) or name
        return f"{self.module}.{name}" if self.module else name

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.ctx.at_module_level:
            self.facts["classes"][self._qualified(node.name)] = [self._qualified(b.value) for b in node.bases]

    def visit_Call(self, node: cst.Call) -> None:
        code = self.ctx.tool_code
        name = dotted(node.func)
        if code is None:
            if isinstance(node.func, cst.Name):
                self.called_at_startup.add(node.func.value)
        elif name and name.split(".")[-1][:1].isupper():
            self.candidates.append((self._qualified(node.func), node, code))

    def leave_Module(self, original_node: cst.Module) -> None:
        doc = self.ctx.document
        for qualified, call, code in self.candidates:
            if code.at_startup or code.is_helper and code.function.name.value in self.called_at_startup:
                continue  # a cached accessor that startup already called once (here, or from `main()` elsewhere)
            if branches.passed_fallback(code.function, call, self.model.always_passed.get(code.function, ())):
                continue  # `if config is None: config = Settings()` where every call hands in the caller's settings
            where = code.where
            message = (
                f"`{qualified.split('.')[-1]}()` (a pydantic-settings class) is built inside {where}: the environment "
                "is read on every call, so a missing variable fails the call instead of the startup"
            )
            finding = self.make_finding(doc.location(call), message, snippet=doc.snippet(call))
            self.facts["calls"].append((qualified, finding))

    @classmethod
    def check(cls, facts_by_path, project):
        classes: Dict[str, List[str]] = {}
        for facts in facts_by_path.values():
            classes.update(facts["classes"])
        settings = _subclasses_of(BASE_SETTINGS, classes)
        for facts in facts_by_path.values():
            for qualified, finding in facts["calls"]:
                if qualified in settings:
                    yield finding

    VALID = [
        Valid(
            """
            from pydantic_settings import BaseSettings
            from mcp.server.fastmcp import FastMCP

            class Settings(BaseSettings):
                api_key: str

            settings = Settings()
            mcp = FastMCP("demo")

            @mcp.tool()
            def search(q: str) -> str:
                return settings.api_key + q
            """
        ),
        Valid(
            """
            from functools import lru_cache
            from pydantic_settings import BaseSettings
            from fastmcp import FastMCP

            class Settings(BaseSettings):
                db_url: str

            @lru_cache
            def get_settings() -> Settings:
                return Settings()

            mcp = FastMCP("db")

            @mcp.tool
            def query(sql: str) -> str:
                return run(get_settings().db_url, sql)

            if __name__ == "__main__":
                get_settings()
                mcp.run()
            """
        ),
        # trw-mcp: a cached accessor in another module, which `main()` calls before serving
        Valid(CACHED_CONFIG, path="app/config.py", files={"app/server.py": CONFIG_SERVER}),
        Valid(
            """
            from pydantic import BaseModel
            from mcp.server.fastmcp import FastMCP

            class SearchRequest(BaseModel):
                q: str

            mcp = FastMCP("demo")

            @mcp.tool()
            def search(q: str) -> str:
                return SearchRequest(q=q).q
            """
        ),
        Valid(
            """
            from fastmcp import FastMCP
            from .config import Settings

            mcp = FastMCP("demo")

            def main() -> None:
                settings = Settings()
                mcp.run()

            @mcp.tool
            def echo(text: str) -> str:
                return text
            """,
            path="pkg/server.py",
            files={"pkg/__init__.py": "", "pkg/config.py": "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    token: str\n"},
        ),
        # trw-mcp: a fallback for a settings object that every call of the helper hands in
        Valid(INJECTED_SETTINGS),
        Valid(INJECTED_SETTINGS.replace("    if config is None:\n        config = Settings()", "    cfg = config\n    if cfg is None:\n        cfg = Settings()")),
    ]
    INVALID = [
        # ... the same helper when one call leaves the settings out, passes `None`, or the helper
        # empties them first: the fallback runs on the tool call
        Invalid(INJECTED_SETTINGS.replace("return rollback(name, config=SETTINGS)", "return rollback(name)"), line=12),
        Invalid(INJECTED_SETTINGS.replace("audit(name, SETTINGS)", "audit(name, None)"), line=16),
        Invalid(INJECTED_SETTINGS.replace("    if config is None:", "    config = None\n    if config is None:"), line=13),
        Invalid(INJECTED_SETTINGS.replace("    if config is None:\n        config = Settings()", "    cfg = config\n    if not enabled:\n        cfg = None\n    if cfg is None:\n        cfg = Settings()"), line=15),
        # ... the same accessor when `main()` only serves: the first tool call builds the config
        Invalid(CACHED_CONFIG, path="app/config.py", files={"app/server.py": CONFIG_SERVER.replace("    get_config()\n", "")}, line=9),
        Invalid(
            """
            from pydantic_settings import BaseSettings
            from mcp.server.fastmcp import FastMCP

            class Settings(BaseSettings):
                api_key: str

            mcp = FastMCP("demo")

            @mcp.tool()
            def search(q: str) -> str:
                return client(Settings().api_key).search(q)
            """,
            line=11,
            message="`Settings()` (a pydantic-settings class) is built inside tool `search`",
        ),
        Invalid(
            """
            from fastmcp import FastMCP as F
            from .config import AppConfig

            app = F("crm")

            def _client():
                return connect(AppConfig().crm_url)

            @app.tool(name="find_customer")
            async def find(email: str) -> dict:
                return _client().find(email)
            """,
            path="crm/server.py",
            files={
                "crm/__init__.py": "",
                "crm/config.py": """
                    import pydantic_settings

                    class BaseConfig(pydantic_settings.BaseSettings):
                        debug: bool = False

                    class AppConfig(BaseConfig):
                        crm_url: str
                """,
            },
            line=7,
            message="helper `_client` called by tool `find_customer`",
        ),
        Invalid(
            """
            from pydantic_settings import BaseSettings, SettingsConfigDict

            class GitHubSettings(BaseSettings):
                model_config = SettingsConfigDict(env_prefix="GITHUB_")
                token: str

            def register(mcp):
                @mcp.tool()
                def list_repos(org: str) -> list:
                    cfg = GitHubSettings()
                    return fetch_repos(org, cfg.token)
            """,
            line=10,
        ),
    ]


def _module_name(path: str) -> str:
    """`src/pkg/config.py` -> `pkg.config`; `pkg/__init__.py` -> `pkg`."""
    package = package_of(path)
    stem = path.rsplit("/", 1)[-1][:-3] if path.endswith(".py") else ""
    if stem in ("", "__init__"):
        return package
    return f"{package}.{stem}" if package else stem


def _subclasses_of(roots: Set[str], classes: Dict[str, List[str]]) -> Set[str]:
    """Every class (qualified) that inherits, directly or through project classes, from a root."""
    found: Set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, bases in classes.items():
            if name not in found and any(b in roots or b in found for b in bases):
                found.add(name)
                changed = True
    return found


# Server-side secrets: what signs sessions and tokens, or lets callers in. Upstream API keys
# (`OPENAI_API_KEY`) and database passwords are credentials this server presents elsewhere: a
# placeholder there breaks calls but opens nothing. Names that describe a secret's settings
# (`JWT_LIFETIME_SECONDS`, `AUTH_TOKEN_COOKIE_NAME`, `JWT_ALGORITHM`) are not secrets.
SERVER_SECRET = re.compile(r"(?:^|_)(?:secret|jwt|signing|session_key|auth_token|auth_key|mcp_api_key|mcp_token|master_key)(?:_|$)", re.IGNORECASE)
SECRET_SETTING = re.compile(r"(?:^|_)(?:name|lifetime|seconds|minutes|hours|days|ttl|expiry|expires|expire|algorithm|alg|url|uri|host|port|header|cookie|path|file|len|length|issuer|audience|prefix|suffix|allow|allowed|enable|enabled|disable|disabled|backend|provider|region|skew|leeway|clock|tolerance|timeout|scope|scopes|type|mode|version|level)(?:_|$)", re.IGNORECASE)


class SecretWithInsecureDefault(PythonRule):
    """
    ## What it does
    Flags a server-side secret read from the environment with a literal fallback:
    `os.getenv("JWT_SECRET", "change-me")`, `os.environ.get("SESSION_SECRET", "dev")`, anywhere in
    the server (module level, settings helpers, middleware arguments such as
    `SessionMiddleware(secret_key=os.getenv("K", "dev"))`). Secrets are variables whose name
    includes SECRET, JWT, SIGNING, SESSION_KEY, AUTH_TOKEN, AUTH_KEY, MCP_API_KEY, MCP_TOKEN or
    MASTER_KEY, unless another word says it is a setting of the secret (`JWT_LIFETIME_SECONDS`,
    `AUTH_TOKEN_COOKIE_NAME`, `GCP_SECRET_PREFIX`, `ALLOW_TEST_JWT`, `JWT_CLOCK_SKEW`), or a read
    compared with fixed values (`os.getenv("JWT_RBAC", "false").lower() in ("1", "true")`: an
    on/off switch). An empty-string default is MCP0102's case (a falsy value that a
    startup check can catch); upstream API keys and database passwords are credentials the
    server presents elsewhere, not secrets that let callers in. Files under `examples/`,
    `tests/` and `demo/` are left alone.

    ## Why is this bad?
    When the variable is missing in one deployment, the server starts anyway with a secret that
    is written in its public source: anyone can sign a session cookie or a token it accepts, or
    send the fallback password. The deploy should fail instead.

    ## Example
    ```python
    JWT_SECRET = os.getenv("JWT_SECRET", "change-me")
    ```

    ## Use instead
    ```python
    JWT_SECRET = os.environ["JWT_SECRET"]  # a missing secret stops the server at startup
    ```
    """

    code = "MCP0104"
    scope = "mcp-project"  # secrets are read in config modules that never mention MCP
    name = "secret-with-insecure-default"
    item = 1
    severity = Severity.WARNING
    summary = "Secret read from the environment with a hard-coded fallback value"
    fix_hint = "Require the secret: `os.environ[\"NAME\"]` or a required Settings field, so a missing value stops the server at startup."
    requires = ("getenv", "environ")

    def __init__(self, ctx):
        super().__init__(ctx)
        self._flags: Set[int] = set()  # reads compared with fixed values: on/off switches

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for read in walk.walk(node.left):
            if isinstance(read, cst.Call) and self.model.qualify(read.func) in ENV_OPTIONAL_GETTERS and read_as_flag(node, read):
                self._flags.add(id(read))

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualify(node.func) not in ENV_OPTIONAL_GETTERS or id(node) in self._flags:
            return
        first, default = positional(node, 0), positional(node, 1) or keyword(node, "default")
        var = string_value(first.value) if first is not None else None
        fallback = string_value(default.value) if default is not None else None
        if var and fallback and SERVER_SECRET.search(var) and not SECRET_SETTING.search(var) and not self._example_file():
            self.report(node, f"`{var}` falls back to the literal {fallback[:20]!r} when unset: the server runs with a secret published in its source")

    def _example_file(self) -> bool:
        return bool(NON_PRODUCTION_DIRS.intersection(self.ctx.document.path.split("/")[:-1]))

    VALID = [
        Valid(
            """
            import os
            from fastmcp import FastMCP

            JWT_SECRET = os.environ["JWT_SECRET"]
            JWT_LIFETIME_SECONDS = int(os.getenv("JWT_LIFETIME_SECONDS", "3600"))
            COOKIE = os.getenv("AUTH_TOKEN_COOKIE_NAME", "auth_token")
            PREFIX = os.getenv("GCP_SECRET_PREFIX", "boomi-mcp")  # names entries in a secret store
            TEST_TOKENS = os.getenv("ALLOW_TEST_JWT", "false").lower() == "true"  # an on/off switch
            SKEW = int(os.getenv("FASTMCP_SERVER_AUTH_JWT_CLOCK_SKEW", "60"))  # seconds of leeway
            RBAC = os.getenv("QDRANT_JWT_RBAC", "false").lower() in ("true", "1", "yes")  # an on/off switch
            NEO4J_PASSWORD = os.getenv("NEO4J_PASSWORD", "password")
            OPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "EMPTY")
            SESSION_SECRET = os.getenv("SESSION_SECRET", "")
            LOG_LEVEL = os.getenv("LOG_LEVEL", "info")
            mcp = FastMCP("x")
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import os
            from fastmcp import FastMCP

            JWT_SECRET = os.getenv("JWT_SECRET", "change-me")
            mcp = FastMCP("x")
            """,
            line=4,
            message="`JWT_SECRET` falls back to the literal 'change-me'",
        ),
        Invalid(
            """
            from os import environ
            from starlette.applications import Starlette
            from starlette.middleware import Middleware
            from starlette.middleware.sessions import SessionMiddleware

            app = Starlette(middleware=[Middleware(SessionMiddleware, secret_key=environ.get("APP_SESSION_SECRET", "dev"))])
            """,
            path="web/app.py",
            files={"web/server.py": "from fastmcp import FastMCP\nmcp = FastMCP('x')\n"},
            line=6,
        ),
    ]
