"""Every case of issue 15 ("Hostile repositories, round two"), built in a temporary folder and
run through the CLI in a fresh process: exit code, wall time and peak RSS of each run.

    python bench/hostile_cases.py            # all cases
    python bench/hostile_cases.py nginx      # cases whose name contains "nginx"

A run is cut at 60 s and its address space capped at 4 GB (so that a regression cannot take the
machine down); the limits the issue asks for are 30 s and 1 GB, flagged in the last column."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

# MCP_LINT_SOURCE: another source tree to measure (a checkout of an earlier commit, say).
HERE = Path(os.environ.get("MCP_LINT_SOURCE") or Path(__file__).resolve().parents[1])
KILL_AFTER = 60
ADDRESS_CAP = 4 << 30
SERVER = textwrap.dedent(
    """\
    import os
    from mcp.server.fastmcp import FastMCP

    mcp = FastMCP("demo")


    @mcp.tool()
    def search(query: str) -> str:
        key = os.getenv("API_KEY")
        return key + query
    """
)
CONFIG = "[tool.mcp-lint]\n"


def write(root: Path, files: Dict[str, object]) -> None:
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8", "surrogatepass"))


def project(root: Path, files: Dict[str, object]) -> List[str]:
    write(root, {"pyproject.toml": CONFIG, **files})
    return []


# -- the cases ------------------------------------------------------------------------------


def nested_brackets(root):
    return project(root, {"server.py": SERVER + "x = " + "[" * 1300 + "]" * 1300 + "\n"})


def nested_brackets_below_crash(root):
    return project(root, {"server.py": SERVER + "x = " + "[" * 1000 + "]" * 1000 + "\n"})


def nested_unary_below_crash(root):
    return project(root, {"server.py": SERVER + "x = " + "-" * 990 + "1\n"})


def nested_not_below_crash(root):
    return project(root, {"server.py": SERVER + "x = " + "not " * 990 + "1\n"})


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


def fix_form_feed(root):
    project(root, {"server.py": "# \x0c odd \u2028 line \x1c ends \x85 here\n" + STDIO_SERVER})
    return ["--fix"]


def nginx_exponential(root):
    files = {f"nginx/n{i}.conf": f"include n{i + 1}.conf;\ninclude n{i + 1}.conf;\n" for i in range(30)}
    files["nginx/n30.conf"] = "server { listen 80; }\n"
    files["nginx/nginx.conf"] = "http { include n0.conf; }\n"
    return project(root, files)


def tsconfig_exponential(root):
    files = {f"tsconfig.l{i}.json": json.dumps({"extends": [f"./tsconfig.l{i + 1}.json"] * 2}) for i in range(16)}
    files["tsconfig.l16.json"] = json.dumps({"compilerOptions": {"strict": True}})
    files["tsconfig.json"] = json.dumps({"extends": "./tsconfig.l0.json"})
    return project(root, files)


def helm_blank_lines(root):
    return project(root, {"k8s/deploy.yaml": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{"\n' + "\n" * 100_000})


def shell_unclosed_quote_64k(root):
    return project(root, {"entrypoint.sh": "#!/bin/sh\necho 'open\n" + "line\n" * 13_000})


def shell_unclosed_quote_160k(root):
    return project(root, {"entrypoint.sh": "#!/bin/sh\necho 'open\n" + "line\n" * 32_000})


def dockerfile_chained_stages(root):
    stages = ["FROM python:3.12 AS s0"] + [f"FROM s{i - 1} AS s{i}" for i in range(1, 8000)]
    return project(root, {"Dockerfile": "\n".join(stages) + '\nCMD python -m server\n'})


def caddy_blank_lines(root):
    return project(root, {"Caddyfile": "example.com {\n" + " \n" * 200_000 + "reverse_proxy x:1\n}\n"})


def protocol_test_blank_lines(root):
    return project(root, {"server.py": SERVER, ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pytest\n",
                          "tests/test_x.py": "Client(\n" + " \n" * 900_000})


def caddy_snippet_imported(root):
    snippet = "(big) {\n" + "  header X-A b\n" * 120_000 + "}\n"
    sites = "".join(f"s{i}.example.com {{\n  import big\n}}\n" for i in range(199))
    return project(root, {"Caddyfile": snippet + sites})


def nginx_big_includes(root):
    big = "# " + "x" * 78 + "\n"
    files = {f"nginx/inc{i}.conf": "add_header X-A b;\n" * 1000 + big * 23_000 for i in range(40)}
    files["nginx/nginx.conf"] = "http {\n" + "".join(f"include inc{i}.conf;\n" for i in range(40)) + "}\n"
    return project(root, files)


def tsconfig_big_extends(root):
    return project(root, {"tsconfig.json": '{"extends": "./base.json"}', "base.json": '{"compilerOptions": {"a": "' + "x" * 30_000_000 + '"}}'})


def gitignore_24mb(root):
    return project(root, {"server.py": SERVER, ".gitignore": "".join(f"/dir{i}/file{i}.txt\n" for i in range(1_100_000))})


def coding_undefined(root):
    return project(root, {"server.py": SERVER, "other.py": "# coding: undefined\nx = 1\n"})


def surrogate_package_json(root):
    project(root, {"package.json": '{"name": "\\ud800", "scripts": {"start": "node \\udc00 x"}}'})
    return ["--output-format", "json", "-o", str(root.parent / "out.json")]


def surrogate_yaml(root):
    project(root, {"k8s/pod.yaml": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "\\ud800"\nspec:\n  containers:\n  - name: "\\ud800"\n    image: x\n    command: ["python", "\\udc00"]\n'})
    return ["--output-format", "sarif", "-o", str(root.parent / "out.json")]


def gitignore_bad_range(root):
    return project(root, {"server.py": SERVER, ".gitignore": "[z-a]\n*.log\n"})


def non_utf8_name_output(root):
    project(root, {"server.py": SERVER})
    (root / os.fsdecode(b"bad\xff.py")).write_text(SERVER)
    return ["-o", str(root.parent / "out.txt")]


def gate_big_comment(root):
    return project(root, {"server.py": SERVER + "# " + "x" * 200_000 + "\n"})


def port_hex(root):
    return project(root, {"server.py": SERVER + "\nmcp.run(transport='streamable-http', host='0.0.0.0', port=0x1F40)\n"})


def superscript_digit(root):
    return project(root, {"server.py": SERVER + "\nmcp.run(transport='sse', port='²')\n",
                          "compose.yaml": "services:\n  web:\n    image: x\n    ports: ['²:80']\n    stop_grace_period: ²s\n"})


def huge_int_json(root):
    return project(root, {"package.json": '{"name": "x", "version": ' + "9" * 5000 + "}", "tsconfig.json": '{"compilerOptions": {"target": ' + "9" * 5000 + "}}"})


def huge_int_python(root):
    return project(root, {"server.py": SERVER + "\nTIMEOUT = " + "9" * 5000 + "\nmcp.run(transport='sse', port=" + "9" * 5000 + ")\n"})


def caddy_nested_990(root):
    return project(root, {"Caddyfile": "example.com {\n" + "a {\n" * 990 + "}\n" * 990 + "}\n"})


def python_plus_chain(root):
    return project(root, {"server.py": SERVER + "\ny = " + " + ".join(["query"] * 3000) + "\n"})


def python_shift_chain(root):
    return project(root, {"server.py": SERVER + "\ny = " + " << ".join(["1"] * 3000) + "\n"})


def tsconfig_long_extends(root):
    return project(root, {"tsconfig.json": json.dumps({"extends": "x" * 300}), "t2/tsconfig.json": json.dumps({"extends": "./" + "y" * 300})})


def caddy_import_root_glob(root):
    return project(root, {"Caddyfile": "example.com {\n  import /*/*/*\n}\n"})


def snapshot_dev_zero(root):
    project(root, {"server.py": SERVER, "pyproject.toml": '[tool.mcp-lint.rules.MCP0902]\npath = "/dev/zero"\n'})
    return ["SNAPSHOT", "--check"]


def snapshot_fifo(root):
    project(root, {"server.py": SERVER, "pyproject.toml": '[tool.mcp-lint.rules.MCP0902]\npath = "fifo.json"\n'})
    os.mkfifo(root / "fifo.json")
    return ["SNAPSHOT", "--check"]


def snapshot_etc_passwd(root):
    project(root, {"server.py": SERVER, "pyproject.toml": '[tool.mcp-lint.rules.MCP0902]\npath = "/etc/passwd"\n'})
    return ["SNAPSHOT", "--check"]


def snapshot_write_outside(root):
    project(root, {"server.py": SERVER, "pyproject.toml": '[tool.mcp-lint.rules.MCP0902]\npath = "../escaped.json"\n'})
    return ["SNAPSHOT"]


def python_m_shadow(root):
    project(root, {"server.py": SERVER, "mcp_lint/__init__.py": "open('PWNED', 'w').close()\n",
                   "mcp_lint/__main__.py": "open('PWNED', 'w').close()\n"})
    return ["CWD"]


def python_dash_p_shadow(root):
    """The documented safe form: `python -P -m mcp_lint` (or the `mcp-lint` command)."""
    python_m_shadow(root)
    return ["CWD", "-P"]


def symlinked_gitignore(root):
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "ignore").write_text("*.py\n")
    project(root, {"server.py": SERVER})
    os.symlink(outside / "ignore", root / ".gitignore")
    return []


def long_path(root):
    """A server module under a path longer than PATH_MAX (built with directory descriptors)."""
    project(root, {"server.py": SERVER})
    fd = os.open(root, os.O_RDONLY)
    for _ in range(22):
        os.mkdir("d" * 200, dir_fd=fd)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    out = os.open("server2.py", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
    os.write(out, SERVER.encode())
    os.close(out)
    os.close(fd)
    return []


def lone_cr_manifest(root):
    return project(root, {"k8s/pod.yaml": "apiVersion: v1\rkind: Pod\rmetadata:\r  name: x\rspec:\r  containers:\r  - name: a\r    image: x:latest\r"})


def control_char_name(root):
    project(root, {"server.py": SERVER})
    (root / "evil\x1b[2J\x07.py").write_text(SERVER)
    return ["--output-format", "text"]


CASES: Dict[str, Callable[[Path], List[str]]] = {name: fn for name, fn in globals().items() if callable(fn) and getattr(fn, "__module__", "") == __name__ and name not in ("write", "project", "main", "run_case", "measure")}


# Refusing to write the snapshot outside the tree is a configuration error: exit 2, nothing written.
# `python -m mcp_lint` imports the target's own `mcp_lint/` before any code of ours can run; the
# README documents `mcp-lint` / `python -P -m mcp_lint` instead (python_dash_p_shadow).
EXPECTED = {"snapshot_write_outside": (2,)}


# -- running --------------------------------------------------------------------------------


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_CAP, ADDRESS_CAP))
    os.setsid()


def measure(argv: List[str], cwd: Path, env: dict) -> Tuple[Optional[int], float, float, str]:
    """(exit code or None when killed, seconds, peak RSS in MB of the process tree's largest member, stderr tail)."""
    started = time.monotonic()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=_cap)
    code: Optional[int] = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() - started > KILL_AFTER:
            os.killpg(proc.pid, signal.SIGKILL)
            _, _, usage = os.wait4(proc.pid, 0)
            code = None
            break
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    err.seek(0)
    stderr = err.read().decode("utf-8", "replace")
    tail = stderr.strip().splitlines()[-1:] or [""]
    if "Traceback" in stderr:
        tail = ["Traceback: " + tail[0]]
    return code, elapsed, max(usage.ru_maxrss, 0) / 1024, tail[0][:100]


def run_case(name: str, build: Callable[[Path], List[str]]) -> Tuple[Optional[int], float, float, str]:
    base = Path(tempfile.mkdtemp(prefix=f"mcp-lint-hostile-{name}-"))
    root = base / "repo"
    root.mkdir()
    try:
        args = build(root)
        # The rules package is the source tree's `rules/` folder, importable as mcp_lint_rules.
        shim = base / "shim"
        shim.mkdir()
        os.symlink(HERE / "rules", shim / "mcp_lint_rules")
        env = {**os.environ, "PYTHONPATH": f"{HERE}{os.pathsep}{shim}", "MCP_LINT_CACHE_DIR": str(base / "cache")}
        cwd = base
        if args[:1] == ["SNAPSHOT"]:
            argv = [sys.executable, "-m", "mcp_lint", "snapshot", str(root), *args[1:]]
        elif args[:1] == ["CWD"]:
            argv, cwd = [sys.executable, *args[1:], "-m", "mcp_lint", "check", ".", "--no-cache"], root
            env = {**os.environ, "MCP_LINT_CACHE_DIR": str(base / "cache")}
        else:
            argv = [sys.executable, "-m", "mcp_lint", "check", str(root), "--no-cache", *args]
        code, elapsed, rss, tail = measure(argv, cwd, env)
        if args[:1] == ["CWD"] and (root / "PWNED").exists():
            tail = "target code ran: " + tail
        if name == "snapshot_write_outside" and (base / "escaped.json").exists():
            tail = "wrote outside the tree: " + tail
        if name == "fix_form_feed":
            fixed = (root / "server.py").read_bytes()
            try:
                compile(fixed, "server.py", "exec")
            except SyntaxError as exc:
                tail = f"fixed file does not compile: {exc}"
            else:
                if b'print("searching", file=sys.stderr)' not in fixed:
                    tail = "fixed file: the safe fix was not applied where it belongs"
        return code, elapsed, rss, tail
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main(argv: List[str]) -> int:
    chosen = [n for n in CASES if not argv or any(a in n for a in argv)]
    print(f"{'case':34} {'exit':>5} {'seconds':>8} {'peak MB':>8}  within 30 s / 1 GB, exit 0-1   last stderr line")
    bad = 0
    for name in chosen:
        code, elapsed, rss, tail = run_case(name, CASES[name])
        ok = code in EXPECTED.get(name, (0, 1)) and elapsed < 30 and rss < 1024 and not tail.startswith(("target code", "wrote outside", "fixed file", "Traceback"))
        bad += not ok
        print(f"{name:34} {str(code):>5} {elapsed:8.2f} {rss:8.0f}  {'ok' if ok else 'FAIL':30} {tail}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
