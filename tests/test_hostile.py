"""Hostile targets: mcp-lint runs unattended on repositories it has never seen. Whatever the
files hold, a run ends in time with exit 0 or 1, valid output, every skipped file named with a
reason, no traceback, nothing executed, nothing outside the tree read, nothing in it written.

Every input is generated here; no binary blobs are committed."""

from __future__ import annotations

import functools
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Tuple

import pytest

from _project import EMPTY_CONFIG, SERVER

TIMEOUT = 60  # seconds for a whole run over every hostile input
BOMB_DEPTH = 9  # 10**9 leaves once expanded


def _alias_bomb(head: str, tail: str) -> str:
    """Billion laughs: each anchor is a list of ten aliases of the previous one."""
    lines = [head, 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, BOMB_DEPTH + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    return "\n".join(lines) + "\n" + tail.replace("LAST", f"*l{BOMB_DEPTH}") + "\n"


def _merge_bomb() -> str:
    """Merge keys nesting aliases: a key looked up in the last mapping, and not there, would be
    searched 10**9 times by a naive merge walk."""
    lines = ["x-base0: &m0 {a: b}"]
    for level in range(1, BOMB_DEPTH + 1):
        lines.append(f"x-base{level}: &m{level} {{<<: [{', '.join([f'*m{level - 1}'] * 10)}]}}")
    lines.append("services:\n  mcp:\n    <<: *m%d\n    command: python -m server" % BOMB_DEPTH)
    return "\n".join(lines) + "\n"


def _tag_attack(marker: Path) -> str:
    return f'!!python/object/apply:os.system ["touch {marker}"]'


def _deep_expression(depth: int = 3000) -> str:
    return "x = " + "(" * depth + "1" + ")" * depth + "\n" + "y = " + "[" * depth + "]" * depth + "\n"


TEXT_INPUTS: Dict[str, str] = {
    "syntax_error.py": "def broken(:\n    return 1\n",
    "indent_error.py": "def f():\nreturn 1\n",
    "crlf.py": "import os\r\nfrom mcp.server.fastmcp import FastMCP\r\nmcp = FastMCP('x')\r\n\r\n@mcp.tool()\r\ndef t() -> str:\r\n    return os.getenv('A')\r\n",
    "lone_cr.py": "import os\rfrom mcp.server.fastmcp import FastMCP\rmcp = FastMCP('x')\r@mcp.tool()\rdef t() -> str:\r    return os.getenv('A')\r",
    "deep.py": _deep_expression(),
    "deep_blocks.py": "".join("    " * i + "if x:\n" for i in range(150)) + "    " * 150 + "pass\n",
    "bad_cookie.py": "# -*- coding: no-such-codec -*-\nx = 1\n",
    "unicode_ünïcødé.py": "naïve = 'ü'\n",
    "with space.py": "x = 1\n",
    "tsconfig.json": '{"compilerOptions": {"strict": true,, } /* unterminated',
    "tsconfig.base.json": '{"extends": "./tsconfig.base.json", "compilerOptions": {"strict": 1}}',
    "tsconfig.app.json": '{"extends": ["/etc/passwd", "../../../../../../etc/hosts", 7, null]}',
    "nginx.conf": "include nginx.conf;\ninclude /dev/zero;\ninclude /etc/nginx/*.conf;\ninclude fifo.conf;\nhttp { server { listen 80; } }\n",
    "nginx/site.conf": "server { location / { proxy_pass http://x;\n",
    "Caddyfile": "example.com {\n  reverse_proxy localhost:8000 {\n    flush_interval -1\n",
    "Caddyfile.extra": "}}}\n{{{\nimport *\n",
    "Dockerfile": "FROM python:3.12\nCMD python -m server \\",
    "Dockerfile.empty": "",
    "entrypoint.sh": "#!/bin/sh\nexec python -m server \"$@\" \\",
    "quotes.sh": "#!/bin/sh\necho 'unterminated\ncat <<EOF\nno end\n",
    ".env.example": "A=\nB='unterminated\n=novalue\n\x0c\n",
    "package.json": '{"name": "x", "scripts": {"start": 5}, "dependencies": []',
    "package-lock/package.json": "[1, 2, 3]",
    "k8s/bomb.yaml": _alias_bomb("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: lol}", "spec: LAST"),
    "compose.yaml": _alias_bomb("services:\n  web:\n    image: x", "x-lol: LAST"),
    "docker-compose.merge.yaml": _merge_bomb(),
    "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  replicas: {{ .Values.replicas }}\n",
    "k8s/invalid.yaml": "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n",
    # A Helm chart whose values.yaml is hostile: an alias bomb under a probe the template uses,
    # and templates that reference values endlessly; a second chart whose values.yaml is invalid.
    "chart/Chart.yaml": "apiVersion: v2\nname: bomb\nversion: 0.1.0\n",
    "chart/values.yaml": _alias_bomb("image: {repository: ghcr.io/acme/mcp}", "readinessProbe: {exec: {command: LAST}}\nargs: LAST"),
    "chart/templates/deploy.yaml": "kind: Deployment\n" + "{{ .Values.readinessProbe }}{{ .Values.args }}\n" * 20_000,
    "chart2/Chart.yaml": "name: x\n",
    "chart2/values.yaml": "livenessProbe: [unclosed\n\tkey: {{ .Values.x }}\n",
    "chart2/templates/a.tpl": "{{ define \"x\" }}{{ end }}\n",
    "ecs/taskdef.json": '{"containerDefinitions": [' + "[" * 5000 + "]" * 5000 + ']}',
    "ecs/broken-task.json": '{"containerDefinitions": [{"name": "s", "healthCheck": {"command": "CMD-SHELL curl',
    "ecs/odd-task.json": '{"taskDefinition": {"containerDefinitions": {"name": 5}}, "containerDefinitions": 7}',
    "deploy/task.json": '{"containerDefinitions": [{"name": 1, "image": null, "stopTimeout": "soon", "command": [1, 2],'
    ' "environment": [{"name": "DRAIN_TIMEOUT", "value": true}, 3], "healthCheck": {"command": ["CMD", 5]}}, "x", null]}',
    "k8s/tabs.yaml": "apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n",
    ".github/workflows/ci.yml": "on: push\njobs:\n  a: [1, 2\n",
    ".github/workflows/weird.yml": "on: 5\njobs: 7\n",
    "suppress.py": "x = 1  # mcp-lint: ignore[\n# mcp-lint: file-ignore[MCP9999, ]] ]\n# mcp-lint: ignore[" + "A," * 5000 + "]\n",
}


def build_tree(root: Path, outside: Path, marker: Path) -> None:
    """Every hostile input under `root`; `outside` holds a server with an MCP finding that the
    run must never read (symlinks point to it)."""
    rng = random.Random(6)
    root.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret_server.py").write_text(SERVER, encoding="utf-8")
    (root / "pyproject.toml").write_text(EMPTY_CONFIG, encoding="utf-8")
    for rel, text in TEXT_INPUTS.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8", "surrogateescape"))
    (root / "k8s/tag.yaml").write_text(f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {_tag_attack(marker)}\n", encoding="utf-8")
    (root / "compose.tags.yaml").write_text(
        f"services:\n  web:\n    image: {_tag_attack(marker)}\n    environment: !!python/object/new:os.system [\"touch {marker}\"]\n",
        encoding="utf-8",
    )
    binary = {
        "random.py": bytes(rng.getrandbits(8) for _ in range(4096)),
        "nul.py": b"x = 1\n\0\0\0import os\n",
        "invalid_utf8.py": b"x = '\xff\xfe\xc3\x28'\n",
        "latin1.py": "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1"),
        "bom.py": b"\xef\xbb\xbfimport os\nx = os.getenv('A')\n",
        "bom_cookie.py": b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
        "huge_line.py": b"x = '" + b"a" * 5_000_000 + b"'\n",
        "big_ok.py": b"x = 1\n" * 300_000,
        "k8s/invalid_utf8.yaml": b"apiVersion: v1\nkind: Pod\nmetadata: {name: \xff}\n",
        "Dockerfile.bin": bytes(rng.getrandbits(8) for _ in range(2048)),
        "random.yaml": bytes(rng.getrandbits(8) for _ in range(2048)).replace(b"\0", b"a"),
    }
    for rel, data in binary.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (root / "empty.py").write_bytes(b"")
    (root / "newline\nname.py").write_text("x = 1\n", encoding="utf-8")
    # Symlinks: a loop, a dangling link, and links leaving the tree (file and folder).
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "up")
    os.symlink("self_a.py", root / "self_b.py")
    os.symlink("self_b.py", root / "self_a.py")
    os.symlink("does-not-exist.py", root / "dangling.py")
    os.symlink(outside / "secret_server.py", root / "linked_server.py")
    os.symlink(outside, root / "outside_dir")
    os.symlink("/dev/zero", root / "zero.py")
    # Paths that cannot be read as files.
    (root / "folder.py").mkdir()
    (root / "folder.py" / "inner.py").write_text("x = 1\n", encoding="utf-8")
    os.mkfifo(root / "fifo.py")
    os.mkfifo(root / "fifo.conf")
    os.mkfifo(root / "test_fifo.py")
    os.mkfifo(root / "mcp-tools.snapshot.json")
    locked = root / "locked.py"
    locked.write_text("x = 1\n", encoding="utf-8")
    locked.chmod(0)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("hostile")
    root, outside, marker = base / "repo", base / "outside", base / "MARKER"
    build_tree(root, outside, marker)
    return root, outside, marker


def snapshot_tree(root: Path) -> Dict[str, Tuple[int, int, int]]:
    """(mode, size, mtime_ns) of every entry, symlinks not followed."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            found[os.path.relpath(path, root)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def run_cli(target: Path, cwd: Path, *args: str, timeout: int = TIMEOUT) -> Tuple[int, str, str, float]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    env.pop("MCP_LINT_DEBUG", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mcp_lint", "check", str(target), "--no-cache", *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env,
    )
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


@pytest.fixture(scope="module")
def report(hostile, tmp_path_factory):
    """One JSON run over the whole hostile tree, named by absolute path from another folder."""
    root, outside, marker = hostile
    before = snapshot_tree(root)
    out = tmp_path_factory.mktemp("out") / "out.json"
    code, stdout, stderr, elapsed = run_cli(root, out.parent, "--output-format", "json", "-o", str(out))
    return {
        "code": code,
        "stderr": stderr,
        "elapsed": elapsed,
        "text": out.read_text(encoding="utf-8") if out.exists() else "",
        "before": before,
        "after": snapshot_tree(root),
    }


def _mentions(report_json: dict, rel: str) -> list:
    found = [e for e in report_json["errors"] if e["path"] == rel]
    found += [f for f in report_json["findings"] if f["path"] == rel and f["code"] == "MCP0000"]
    return found


def test_run_ends_in_time_with_exit_0_or_1_and_valid_json(report):
    assert report["code"] in (0, 1), report["stderr"]
    assert report["elapsed"] < TIMEOUT
    data = json.loads(report["text"])
    assert data["summary"]["files_checked"] > 0


def test_no_traceback_and_no_internal_error(report):
    assert "Traceback" not in report["stderr"]
    assert "internal error" not in report["stderr"]
    data = json.loads(report["text"])
    assert [e for e in data["errors"] if e["kind"] == "internal-error"] == []


def test_yaml_tags_construct_nothing(report, hostile):
    _, _, marker = hostile
    assert not marker.exists()


def test_nothing_in_the_target_is_written(report):
    assert report["after"] == report["before"]


def test_links_out_of_the_tree_are_not_followed(report, hostile):
    root, outside, _ = hostile
    data = json.loads(report["text"])
    assert not any("secret_server" in f["path"] or "outside_dir" in f["path"] for f in data["findings"])
    skipped = {e["path"]: e["message"] for e in data["errors"] if e["kind"] == "skipped"}
    assert "outside the project" in skipped["linked_server.py"]
    assert "outside the project" in skipped["outside_dir"]
    assert "outside the project" in skipped["zero.py"]


def test_output_never_shows_absolute_paths(report, hostile):
    root, _, _ = hostile
    base = str(root.parent)
    assert base not in report["text"]
    assert base not in report["stderr"]


@pytest.mark.parametrize("output_format", ["text", "sarif", "github"])
def test_other_formats_never_show_absolute_paths(hostile, tmp_path, output_format):
    root, _, _ = hostile
    code, stdout, stderr, _ = run_cli(root, tmp_path, "--output-format", output_format, "--select", "MCP00,MCP01,MCP05,MCP11")
    assert code in (0, 1), stderr
    assert str(root.parent) not in stdout + stderr
    assert "Traceback" not in stderr


SKIPPED_WITH_REASON = {
    "random.py": "",
    "nul.py": "NUL",
    "invalid_utf8.py": "utf-8",
    "bad_cookie.py": "encoding",
    "huge_line.py": "larger than",
    "big_ok.py": "too large to analyse",
    "fifo.py": "not a regular file",
    "dangling.py": "cannot read",
    "self_a.py": "symbolic links",
    "chart/templates/deployment.yaml": "template",
    "k8s/invalid_utf8.yaml": "utf-8",
    "Dockerfile.bin": "",
}
PARSE_ERRORS = ["syntax_error.py", "indent_error.py", "tsconfig.json", "Caddyfile", "k8s/invalid.yaml", "k8s/tabs.yaml"]


@pytest.mark.parametrize("rel", sorted(SKIPPED_WITH_REASON))
def test_unreadable_files_are_reported_as_skipped_with_a_reason(report, rel):
    data = json.loads(report["text"])
    found = [e for e in data["errors"] if e["path"] == rel and e["kind"] == "skipped"]
    found += [f for f in data["findings"] if f["path"] == rel and f["code"] == "MCP0000"]
    assert found, f"{rel} is not reported"
    assert SKIPPED_WITH_REASON[rel].lower() in (found[0].get("message") or "").lower()


@pytest.mark.parametrize("rel", PARSE_ERRORS)
def test_unparsable_files_are_reported(report, rel):
    assert _mentions(json.loads(report["text"]), rel), f"{rel} is not reported"


@pytest.mark.parametrize("rel", ["latin1.py", "bom.py", "crlf.py", "lone_cr.py", "empty.py", "with space.py", "unicode_ünïcødé.py"])
def test_odd_but_valid_files_are_linted(report, rel):
    data = json.loads(report["text"])
    assert not [e for e in data["errors"] if e["path"] == rel]
    assert not [f for f in data["findings"] if f["path"] == rel and f["code"] == "MCP0000"]


def test_line_endings_do_not_hide_findings(report):
    data = json.loads(report["text"])
    for rel in ("crlf.py", "lone_cr.py"):
        assert [f for f in data["findings"] if f["path"] == rel and f["code"] == "MCP0101"], rel


def test_locked_file_is_reported_unless_root_can_read_it(report, hostile):
    root, _, _ = hostile
    if os.access(root / "locked.py", os.R_OK):
        pytest.skip("running as root: a chmod 000 file stays readable")
    assert _mentions(json.loads(report["text"]), "locked.py")


def test_inputs_named_explicitly_in_process(hostile, capsys, monkeypatch):
    """Inputs as explicit targets (pre-commit style) through `cli.main`, in this process."""
    from mcp_lint.cli import main

    root, _, marker = hostile
    monkeypatch.chdir(root)
    names = ["deep.py", "nginx.conf", "Caddyfile.extra", "docker-compose.merge.yaml", "fifo.py", "linked_server.py", "zero.py", "self_a.py", "newline\nname.py", "random.py"]
    code = main([*names, "--no-cache", "--output-format", "json", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    data = json.loads(out)
    assert "Traceback" not in err
    assert not [e for e in data["errors"] if e["kind"] == "internal-error"]
    assert {"fifo.py", "linked_server.py", "zero.py", "self_a.py"} <= {e["path"] for e in data["errors"]}
    assert not marker.exists()


def test_empty_repository(tmp_path):
    (tmp_path / "pyproject.toml").write_text(EMPTY_CONFIG, encoding="utf-8")
    code, stdout, stderr, _ = run_cli(tmp_path, tmp_path, "--output-format", "json")
    assert code == 0, stderr
    assert json.loads(stdout)["findings"] == []


def test_empty_folder_without_config(tmp_path):
    (tmp_path / "repo").mkdir()
    code, stdout, stderr, _ = run_cli(tmp_path / "repo", tmp_path, "--output-format", "json")
    assert code == 0, stderr


@pytest.mark.parametrize(
    "config",
    [
        "[tool.mcp-lint]\nselect = 5\n",
        "[tool.mcp-lint]\nexclude = [1, 2]\n",
        "[tool.mcp-lint]\nfail-on = []\n",
        "[tool.mcp-lint.severity]\nMCP0101 = 3\n",
        "[tool.mcp-lint]\nper-file-ignores = 'x'\n",
        "[tool.mcp-lint\n",
        "[tool.mcp-lint]\nselect = ['MCP01'\n",
    ],
)
def test_config_with_wrong_types_exits_2_with_a_message(tmp_path, config):
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    (tmp_path / "server.py").write_text(SERVER, encoding="utf-8")
    code, stdout, stderr, _ = run_cli(tmp_path, tmp_path, "--output-format", "json")
    assert code == 2
    assert stderr.startswith("mcp-lint: error:"), stderr
    assert "Traceback" not in stderr


def test_fifo_given_explicitly_does_not_hang(hostile, tmp_path):
    root, _, _ = hostile
    code, stdout, stderr, elapsed = run_cli(root / "fifo.py", root, "--output-format", "json", timeout=30)
    assert code in (0, 1), stderr
    assert elapsed < 30


# -- round two (issue 15): a segfault, a corrupting fix, hangs, memory, the gate ---------------
# Each test failed before its fix (a crash, minutes of work, exit 2, or a silent pass); the
# shapes are generated here, scaled so that the fixed code takes well under a second each.

import signal  # noqa: E402
import textwrap  # noqa: E402

from mcp_lint import budget as budget_module  # noqa: E402
from mcp_lint.config import Config  # noqa: E402
from mcp_lint.engine import run as engine_run  # noqa: E402
from mcp_lint.reading import printable, read_bytes, split_lines  # noqa: E402
from mcp_lint.workers import MAX_CHUNK, Stream, Workers, available_cpus, guided_batches  # noqa: E402

FAST = 10  # seconds: what the fixed code needs for any one shape below is a small fraction


def _lint(root: Path, files: Dict[str, object], select=None, jobs: int = 1):
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    started = time.monotonic()
    result = engine_run([root], Config(root=root, select=select or ["ALL"], exclude=[]), jobs=jobs)
    assert time.monotonic() - started < FAST
    assert result.internal_errors == []
    return result


def _codes(result, rel: str) -> set:
    return {f.code for f in result.findings if f.path == rel}


def _skipped(result, rel: str) -> str:
    return " ".join(d.message for d in result.diagnostics if d.path == rel and d.kind == "skipped")


def test_nested_brackets_in_a_small_file_do_not_crash_the_process(tmp_path):
    """1,300 nested brackets in 2.6 KB made libcst overflow the C stack (signal 11)."""
    (tmp_path / "pyproject.toml").write_text(EMPTY_CONFIG)
    (tmp_path / "server.py").write_text(SERVER + "x = " + "[" * 1300 + "]" * 1300 + "\n")
    code, stdout, stderr, _ = run_cli(tmp_path, tmp_path, "--output-format", "json")
    assert code == 1, stderr
    assert [f for f in json.loads(stdout)["findings"] if f["code"] == "MCP0000"]


@pytest.mark.parametrize("tail", ["x = " + "-" * 3900 + "1", "x = " + "not " * 990 + "1", "x = " + "[" * 199 + "]" * 199])
def test_deep_expressions_below_the_crash_are_skipped_as_not_analysed(tmp_path, tail):
    """Just below the crash libcst took ~1 GB for 4 KB, and the rules died of RecursionError,
    which passed silently: now the gate stops the file before libcst (a parse error when CPython
    refuses it too, else skipped and reported as MCP0003)."""
    result = _lint(tmp_path, {"server.py": SERVER + tail + "\n"})
    assert _codes(result, "server.py") & {"MCP0000", "MCP0003"}
    assert "MCP0000" in _codes(result, "server.py") or "too deep" in _skipped(result, "server.py")


def test_a_long_comment_does_not_hide_a_server_module(tmp_path):
    """Appending 200 KB of comment lines to the server module turned its findings into exit 0."""
    comment = "".join(f"# generated line {i} with several words in it\n" for i in range(4500))
    result = _lint(tmp_path, {"server.py": SERVER + comment})
    assert "MCP0101" in _codes(result, "server.py")


def test_a_skipped_server_module_is_a_finding(tmp_path):
    """A server module past the token limit is MCP0003 (exit 1), not a silent pass; a skipped
    file that the project does not run is only a diagnostic."""
    bulk = "DATA = [" + "1, " * 60_000 + "]\n"
    result = _lint(tmp_path, {"server.py": SERVER + bulk, "helpers.py": bulk})
    assert _codes(result, "server.py") == {"MCP0003"}
    assert "tokens" in _skipped(result, "server.py")
    assert _codes(result, "helpers.py") == set() and "tokens" in _skipped(result, "helpers.py")


def test_a_helm_template_is_skipped_without_mcp0003(tmp_path):
    result = _lint(tmp_path, {"chart/templates/deploy.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n"})
    assert "template" in _skipped(result, "chart/templates/deploy.yaml")
    assert _codes(result, "chart/templates/deploy.yaml") == set()


def test_suppression_after_a_form_feed_applies_to_its_own_line(tmp_path):
    """str.splitlines put lines after a form feed or U+2028 one line off, so a suppression
    missed its finding (and was reported as unused)."""
    text = SERVER.replace('    key = os.getenv("API_KEY")', '    # mcp-lint: ignore[MCP0101] read per call on purpose\n    key = os.getenv("API_KEY")')
    result = _lint(tmp_path, {"server.py": "# \x0c page \u2028 break\n" + text}, select=["MCP0101", "MCP0001"])
    assert _codes(result, "server.py") == set()


def test_split_lines_only_breaks_at_newline_and_carriage_return():
    assert split_lines("a\x0cb\u2028c\x85d\r\ne\rf\n\ng") == ["a\x0cb\u2028c\x85d", "e", "f", "", "g"]
    assert "".join(split_lines("a\r\n\rb\n", keepends=True)) == "a\r\n\rb\n"


def _nginx_chain(levels: int) -> Dict[str, str]:
    files = {f"nginx/n{i}.conf": f"include n{i + 1}.conf;\ninclude n{i + 1}.conf;\n" for i in range(levels)}
    files[f"nginx/n{levels}.conf"] = "server { listen 80; }\n"
    return files


def test_nginx_includes_that_double_at_each_level_are_bounded(tmp_path):
    """30 files each including the next twice is 2**30 splices; killed at 60 s before."""
    result = _lint(tmp_path, _nginx_chain(17))
    assert "MCP0003" in _codes(result, "nginx/n0.conf")
    assert "too expensive" in _skipped(result, "nginx/n0.conf")


def test_tsconfig_extends_that_doubles_at_each_level_is_bounded(tmp_path):
    files = {f"tsconfig.l{i}.json": json.dumps({"extends": [f"./tsconfig.l{i + 1}.json"] * 2}) for i in range(16)}
    files["tsconfig.l16.json"] = json.dumps({"compilerOptions": {"strict": True}})
    _lint(tmp_path, files)


@pytest.mark.parametrize(
    "rel, text",
    [
        ("k8s/deploy.yaml", 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{"\n' + "\n" * 100_000),
        ("entrypoint.sh", "#!/bin/sh\necho 'open\n" + "line\n" * 32_000),
        ("Dockerfile", "FROM python:3.12 AS s0\n" + "".join(f"FROM s{i - 1} AS s{i}\n" for i in range(1, 8000)) + "CMD python -m server\n"),
        ("Caddyfile", "example.com {\n" + " \n" * 100_000 + "reverse_proxy x:1\n}\n"),
    ],
    ids=["helm-regex", "shell-unclosed-quote", "dockerfile-stage-chain", "caddy-blank-lines"],
)
def test_shapes_that_were_quadratic_end_quickly(tmp_path, rel, text):
    _lint(tmp_path, {"server.py": SERVER, rel: text})


def test_protocol_test_scan_is_linear(tmp_path):
    started = time.monotonic()
    from mcp_lint_rules.project.ci import has_protocol_test

    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("Client(\n" + " \n" * 500_000)
    assert has_protocol_test(tmp_path) is False
    assert time.monotonic() - started < 2


def test_protocol_test_scan_reaches_test_folders_first(tmp_path, monkeypatch):
    """invoiced-mcp: thousands of files under `packages/` used up the bounded walk before it
    reached the root `test/` folder that holds the protocol test."""
    from mcp_lint_rules.project import ci

    monkeypatch.setattr(ci, "MAX_WALKED", 50)
    for i in range(60):
        (tmp_path / "packages" / f"p{i}").mkdir(parents=True)
        (tmp_path / "packages" / f"p{i}" / "index.js").write_text("export {};\n")
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "mcp.js").write_text(
        'import { Client } from "@modelcontextprotocol/sdk/client/index.js";\n'
        'const client = new Client({ name: "t", version: "1" });\n'
        "await client.connect(new StdioClientTransport({ command: 'node' }));\nawait client.listTools();\n")
    assert ci.has_protocol_test(tmp_path) is True


def test_caddy_snippet_imported_many_times_is_bounded(tmp_path):
    """A 1.9 MB snippet imported 199 times took 8.6 GB: splices are counted before copying."""
    snippet = "(big) {\n" + "  header X-A b\n" * 30_000 + "}\n"
    sites = "".join(f"s{i}.example.com {{\n  import big\n}}\n" for i in range(199))
    result = _lint(tmp_path, {"Caddyfile": snippet + sites})
    assert "MCP0003" in _codes(result, "Caddyfile") and "too expensive" in _skipped(result, "Caddyfile")


def test_nginx_includes_are_counted_in_bytes(tmp_path, monkeypatch):
    from mcp_lint.documents import nginx

    monkeypatch.setattr(nginx, "MAX_NGINX_BYTES", 50_000)  # 1 MB in production
    files = {f"nginx/inc{i}.conf": "add_header X-A b;\n" * 1_500 for i in range(4)}
    files["nginx/nginx.conf"] = "http {\n" + "".join(f"include inc{i}.conf;\n" for i in range(4)) + "}\n"
    result = _lint(tmp_path, files)
    assert "more than 0.05 MB" in _skipped(result, "nginx/nginx.conf")
    assert _skipped(result, "nginx/inc0.conf") == ""


def test_large_gitignore_is_not_applied_and_said_so(tmp_path):
    result = _lint(tmp_path, {"server.py": SERVER, ".gitignore": "".join(f"/dir{i}/f{i}.txt\n" for i in range(30_000))})
    assert "MCP0101" in _codes(result, "server.py")
    assert "not applied" in _skipped(result, ".gitignore")


@pytest.mark.parametrize(
    "files",
    [
        {"other.py": "# coding: undefined\nx = 1\n"},
        {"package.json": '{"name": "\\ud800", "scripts": {"start": "node \\udc00 x"}}'},
        {"k8s/pod.yaml": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "\\ud800"\nspec:\n  containers:\n  - name: a\n    image: "\\udc00"\n'},
        {".gitignore": "[z-a]\n*.log\n"},
        {"app.py": SERVER.replace("mcp = FastMCP", "x = 1\nmcp = FastMCP") + "\nmcp.run(transport='sse', host='0.0.0.0', port=0x1F40)\n"},
        {"app.py": SERVER + "\nmcp.run(transport='sse', port='\u00b2')\n", "compose.yaml": "services:\n  web:\n    image: x\n    command: ['uvicorn', 'app:app', '--port', '\u00b2']\n"},
        {"package.json": '{"name": "x", "version": ' + "9" * 5000 + "}", "tsconfig.json": '{"compilerOptions": {"target": ' + "9" * 5000 + "}}"},
        {"app.py": SERVER + "\nmcp.run(transport='sse', port=" + "9" * 5000 + ")\n"},
        {"Caddyfile": "example.com {\n" + "a {\n" * 990 + "}\n" * 990 + "}\n"},
        {"app.py": SERVER + "\ny = " + " + ".join(["query"] * 3000) + "\nz = " + " << ".join(["1"] * 3000) + "\n"},
        {"tsconfig.json": json.dumps({"extends": "x" * 300}), "t2/tsconfig.json": json.dumps({"extends": "./" + "y" * 300})},
        {"Caddyfile": "example.com {\n  import /*/*/*\n}\n"},
    ],
    ids=["coding-undefined", "surrogate-json", "surrogate-yaml", "bad-gitignore-range", "hex-port", "superscript-digit",
         "huge-int-json", "huge-int-python", "caddy-990-blocks", "long-operator-chains", "long-extends-name", "caddy-import-root-glob"],
)
def test_one_file_never_ends_the_run(tmp_path, files):
    """Each of these ended the whole run with exit 2 and no report; now no internal error, and
    every output format renders and encodes."""
    from mcp_lint.reporters import reporter

    result = _lint(tmp_path, {"server.py": SERVER, **files})
    for output_format in ("text", "json", "sarif", "github"):
        reporter(output_format)(result, root=tmp_path, color=False).encode("utf-8", "backslashreplace")


def test_non_utf8_file_name_with_output_file(tmp_path, capsys, monkeypatch):
    from mcp_lint.cli import main

    (tmp_path / "pyproject.toml").write_text(EMPTY_CONFIG)
    (tmp_path / os.fsdecode(b"bad\xff.py")).write_text(SERVER)
    monkeypatch.chdir(tmp_path)
    for output_format in ("text", "json", "sarif", "github"):
        out = tmp_path.parent / f"{tmp_path.name}-names.{output_format}"
        assert main([".", "--no-cache", "--output-format", output_format, "-o", str(out)]) == 1, capsys.readouterr()
        assert "bad" in out.read_text(encoding="utf-8")


def test_control_characters_of_file_names_do_not_reach_the_terminal(tmp_path):
    (tmp_path / "pyproject.toml").write_text(EMPTY_CONFIG)
    (tmp_path / "evil\x1b[2J\x07.py").write_text(SERVER)
    code, stdout, stderr, _ = run_cli(tmp_path, tmp_path, "--output-format", "text")
    assert code == 1, stderr
    assert "\x1b" not in stdout and "\x07" not in stdout and "evil\\x1b[2J\\x07.py" in stdout
    assert printable("a\x1b\u2028\udcff") == "a\\x1b\\u2028\\udcff"


def test_symlinked_root_gitignore_outside_the_tree_is_not_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ignore").write_text("*.py\n")
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink(outside / "ignore", root / ".gitignore")
    result = _lint(root, {"server.py": SERVER})
    assert "MCP0101" in _codes(result, "server.py")
    assert "outside the project" in _skipped(result, ".gitignore")


def test_a_path_longer_than_path_max_is_reported(tmp_path):
    fd = os.open(tmp_path, os.O_RDONLY)
    for _ in range(22):
        os.mkdir("d" * 200, dir_fd=fd)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    out = os.open("server.py", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
    os.write(out, SERVER.encode())
    os.close(out)
    os.close(fd)
    result = engine_run([tmp_path], Config(root=tmp_path, exclude=[]), jobs=1)
    assert any("too long" in d.message for d in result.diagnostics)


def test_lone_cr_manifest_is_recognised():
    from mcp_lint.documents import refine_kind

    assert refine_kind("yaml", "k8s/pod.yaml", "apiVersion: v1\rkind: Pod\rmetadata:\r  name: x\r") == "k8s"
    assert refine_kind("yaml", "deploy/app.yaml", "x: 1\r\nservices:\r\n  web: {}\r\n") == "compose"


# -- the snapshot path option comes from the target: it must not steer file access ----------


@pytest.mark.parametrize("option", ["/dev/zero", "/etc/passwd", "fifo.json", "../escaped.json"])
def test_snapshot_path_option_stays_in_the_tree(tmp_path, capsys, monkeypatch, option):
    from mcp_lint.cli import main

    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text(f'[tool.mcp-lint.rules.MCP0902]\npath = "{option}"\n')
    (root / "server.py").write_text(SERVER)
    os.mkfifo(root / "fifo.json")
    monkeypatch.chdir(root)
    started = time.monotonic()
    assert main(["snapshot", ".", "--check"]) == 1
    assert main(["snapshot", "."]) == 2
    assert time.monotonic() - started < FAST
    assert not (tmp_path / "escaped.json").exists()
    out, err = capsys.readouterr()
    assert "root:" not in out + err


def _shadowing_target(root: Path) -> Path:
    """A target with its own `mcp_lint/` package that leaves a marker file when imported."""
    (root / "pyproject.toml").write_text(EMPTY_CONFIG)
    (root / "server.py").write_text(SERVER)
    (root / "mcp_lint").mkdir()
    for name in ("__init__.py", "__main__.py", "cli.py"):
        (root / "mcp_lint" / name).write_text("open('PWNED', 'w').close()\n")
    return root / "PWNED"


def _run_in(target: Path, command) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    return subprocess.run([*command, "check", ".", "--no-cache"], cwd=target, capture_output=True, text=True, timeout=TIMEOUT, env=env)


def test_the_console_script_inside_a_target_never_runs_the_targets_mcp_lint(tmp_path):
    """What the README tells users to run on untrusted checkouts, and what the pre-commit hooks
    and the GitHub Action run: the `mcp-lint` command lints the target and imports nothing of it."""
    script = Path(sys.executable).with_name("mcp-lint")
    if not script.exists():
        pytest.skip("mcp-lint is not installed as a command next to this Python (pip install -e .)")
    marker = _shadowing_target(tmp_path)
    done = _run_in(tmp_path, [str(script)])
    assert done.returncode == 1 and "MCP0101" in done.stdout, done.stderr
    assert not marker.exists()


@pytest.mark.skipif(sys.version_info < (3, 11), reason="-P is new in Python 3.11")
def test_python_dash_m_runs_the_targets_mcp_lint_and_dash_p_does_not(tmp_path):
    """Why the README says `mcp-lint` or `python -P -m mcp_lint`: plain `python -m mcp_lint`
    resolves the package from the current folder first, before any code of ours runs, so no
    fix on our side is possible; `-P` does not put the folder on sys.path."""
    marker = _shadowing_target(tmp_path)
    _run_in(tmp_path, [sys.executable, "-m", "mcp_lint"])
    assert marker.exists()  # the limitation the README documents
    marker.unlink()
    done = _run_in(tmp_path, [sys.executable, "-P", "-m", "mcp_lint"])
    assert done.returncode == 1 and "MCP0101" in done.stdout, done.stderr
    assert not marker.exists()


def test_hooks_and_action_run_the_console_script():
    """The pre-commit hooks and the GitHub Action invoke the `mcp-lint` command, never
    `python -m mcp_lint` (which a target's own `mcp_lint/` would hijack)."""
    import yaml

    root = Path(__file__).resolve().parents[1]
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks and all(hook["entry"].split()[0] == "mcp-lint" for hook in hooks)
    action = yaml.safe_load((root / "action.yml").read_text(encoding="utf-8"))
    scripts = [step["run"] for step in action["runs"]["steps"] if "run" in step]
    assert any("mcp-lint check" in run for run in scripts)
    assert not any("-m mcp_lint" in run for run in scripts)
    assert 'mcp-lint = "mcp_lint.cli:main"' in (root / "pyproject.toml").read_text(encoding="utf-8")


# -- processes ---------------------------------------------------------------------------------


def _square_or_die(item: int, how: Dict[int, str]) -> int:
    action = how.get(item)
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "stop":
        os.kill(os.getpid(), signal.SIGSTOP)
    if action == "spin":  # stuck, using CPU (as in native code that never returns)
        while True:
            pass
    if action == "block":  # stuck, using no CPU
        time.sleep(3600)
    return item * item


@pytest.mark.parametrize("how", [{7: "kill"}, {31: "stop"}, {3: "kill", 40: "stop"}])
def test_a_dead_or_stopped_worker_neither_hangs_the_run_nor_loses_results(how):
    started = time.monotonic()
    with Workers(2) as workers:
        results = workers.map(_square_or_die, list(range(60)), how, on_failure=lambda item, why: ("failed", item, why))
    assert time.monotonic() - started < FAST
    assert [r for r in results if isinstance(r, tuple)] == [("failed", i, r[2]) for i, r in zip(sorted(how), [r for r in results if isinstance(r, tuple)])]
    assert all(results[i] == i * i for i in range(60) if i not in how)


@pytest.mark.parametrize("count", [0, 1, 23, 24, 100, 1300])
def test_batches_shrink_to_single_items_as_the_work_runs_out(count):
    batches = guided_batches(count, 2)
    assert [i for batch in batches for i in batch] == list(range(count))  # each item once, in order
    sizes = [len(batch) for batch in batches]
    assert sizes == sorted(sizes, reverse=True) and all(1 <= size <= MAX_CHUNK for size in sizes)
    if count >= 8:  # the last items go one by one: no worker is left with a long batch at the end
        assert sizes[-4:] == [1, 1, 1, 1]
    if count == 1300:
        assert sizes[0] == MAX_CHUNK and len(batches) < count // 10  # few round trips while there is plenty


def test_batches_added_while_others_are_queued_stay_large_until_the_end():
    """A unit's 100 files added behind 1,000 queued ones are not cut to single files: the work
    left is theirs and the queue's."""
    assert [len(batch) for batch in guided_batches(100, 2, queued=1000)][:3] == [MAX_CHUNK] * 3
    assert [len(batch) for batch in guided_batches(100, 2, queued=0)][0] < MAX_CHUNK


def _negate(item: int) -> int:
    return -item


@pytest.mark.parametrize("jobs", [1, 2])
def test_work_added_by_a_callback_joins_the_run_under_way(jobs):
    """A stream of two kinds of task: each result goes to the callback of its own batch with its
    index there, and tasks added from a callback (a unit's files once its model is built) are
    run too, by the same workers when there are workers."""
    seen = []
    with Workers(jobs) as workers:
        stream = Stream(workers)

        def squared(index, value):
            seen.append(("square", index, value))
            if index == 5:  # half-way through the first batch
                stream.add(_negate, list(range(30)), lambda i, v: seen.append(("negate", i, v)), lambda item, why: None)

        stream.add(functools.partial(_square_or_die, how={}), list(range(40)), squared, lambda item, why: None)
        pools = []
        original = workers._pool
        workers._pool = lambda *args, **kwargs: pools.append(1) or original(*args, **kwargs)
        stream.run()
    assert sorted(seen) == sorted([("square", i, i * i) for i in range(40)] + [("negate", i, -i) for i in range(30)])
    if jobs == 2:
        assert len(pools) == 1  # one map: the added tasks did not wait for a second one


def _die_on_negative(item: int) -> int:
    if item < 0:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def test_a_worker_dying_on_a_task_added_mid_run_is_that_tasks_failure_alone():
    results, failures = {}, []
    with Workers(2) as workers:
        stream = Stream(workers)

        def first(index, value):
            results[("first", index)] = value
            if index == 0:
                stream.add(_die_on_negative, [100, -1, 101] * 10, lambda i, v: results.__setitem__(("added", i), v),
                           lambda item, why: failures.append(item) or "failed")

        stream.add(_die_on_negative, list(range(30)), first, lambda item, why: "failed")
        stream.run()
    assert all(results[("first", i)] == i for i in range(30))
    assert failures == [-1] * 10
    assert [results[("added", i)] for i in range(30)] == [100, "failed", 101] * 10


def test_a_pool_broken_while_batches_are_still_being_submitted_is_a_failed_pool_not_a_crash(monkeypatch):
    """A worker can die on its first batch while the parent still submits the others: `submit`
    then raises BrokenProcessPool itself. The run goes on as for any dead worker."""
    from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor

    original, calls = ProcessPoolExecutor.submit, [0]

    def submit(self, *args, **kwargs):
        calls[0] += 1
        if calls[0] == 2:
            raise BrokenProcessPool("a child process terminated abruptly")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    with Workers(2) as workers:
        results = workers.map(_square_or_die, list(range(40)), {}, on_failure=lambda item, why: ("failed", item))
    assert results == [i * i for i in range(40)]


def _lint_or_die(source, settings, parse_checked=False):
    from mcp_lint import engine

    if source.rel == "m7.py":
        os.kill(os.getpid(), signal.SIGKILL)
    if source.rel == "m9.py":
        os.kill(os.getpid(), signal.SIGSTOP)
    return engine._lint_file(source, settings, engine.FileResult(source.rel), parse_checked)


@pytest.mark.parametrize("how", [{5: "spin"}, {9: "block"}])
def test_a_stuck_worker_is_found_by_its_cpu_use_not_the_clock(how, monkeypatch):
    from mcp_lint import workers as workers_module

    monkeypatch.setattr(workers_module, "STALL_CPU_PER_FILE", 0.2)
    monkeypatch.setattr(workers_module, "IDLE_SECONDS", 1.5)
    started = time.monotonic()
    with Workers(2) as workers:
        results = workers.map(_square_or_die, list(range(30)), how, on_failure=lambda item, why: ("failed", item))
    assert time.monotonic() - started < FAST
    assert [r for r in results if isinstance(r, tuple)] == [("failed", next(iter(how)))]


def test_a_file_whose_worker_dies_or_stops_is_reported_as_not_analysed(tmp_path, monkeypatch):
    """A worker killed (SIGKILL) on m7.py and one stopped (SIGSTOP) on m9.py: the run ends in
    time with every other file's findings, and each of those two as MCP0003 with the reason."""
    from mcp_lint import engine

    files = {f"m{i}.py": SERVER.replace("search", f"search{i}") for i in range(30)}
    monkeypatch.setattr(engine, "lint_file", _lint_or_die)
    for rel, text in files.items():
        (tmp_path / rel).write_text(text)
    started = time.monotonic()
    result = engine_run([tmp_path], Config(root=tmp_path, exclude=[]), jobs=2)
    assert time.monotonic() - started < FAST
    assert _codes(result, "m7.py") == {"MCP0003"} and "worker process died" in _skipped(result, "m7.py")
    assert _codes(result, "m9.py") == {"MCP0003"} and "worker process stopped" in _skipped(result, "m9.py")
    assert all("MCP0101" in _codes(result, f"m{i}.py") for i in range(30) if i not in (7, 9))


_SIGNALLED_RUN = textwrap.dedent(
    """\
    import os, sys, time
    sys.path.insert(0, sys.argv[1])
    from mcp_lint.workers import Workers
    when, signum = sys.argv[2], int(sys.argv[3])
    if when == "while the pool forks":  # the race, made certain: the signal lands in an at-fork hook
        fired = []
        def signal_once():
            if not fired:
                fired.append(True)
                os.kill(os.getpid(), signum)
        os.register_at_fork(after_in_parent=signal_once)
    if when == "while wait() holds the futures' locks":  # the same, where the pool's wait() takes them
        from concurrent.futures import _base
        class SignalledWhileAcquiring(_base._AcquireFutures):
            def __enter__(self):
                for n, future in enumerate(self.futures):
                    future._condition.acquire()
                    if n == 0 and not fired:
                        fired.append(True)
                        os.kill(os.getpid(), signum)
        fired = []
        _base._AcquireFutures = SignalledWhileAcquiring
    with Workers(2) as workers:
        workers.map(time.sleep, [30] * 30)
    """
)


def _live_processes_of_session(session: int) -> list:
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "SIGINT", "SIGKILL"])
@pytest.mark.parametrize("when", ["after the workers started", "while the pool forks", "while wait() holds the futures' locks"])
def test_a_signal_to_the_parent_ends_the_run_and_every_worker(when, signum):
    """SIGTERM ends the parent by that signal, Ctrl-C by KeyboardInterrupt, and no worker outlives
    it, even a parent killed by SIGKILL. The signal used to raise an exception from the handler;
    landing in the pool's at-fork hook it was dropped, and the run waited for the workers the
    handler had just killed. After SIGKILL the workers lived on, blocked on their task queue.
    Ctrl-C raised while `wait()` held a future's lock left it held, and the interpreter's exit
    waited forever for the pool's thread blocked on it (a CI run hung so)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _SIGNALLED_RUN, str(Path(__file__).resolve().parents[1]), when, str(int(signum))],
        start_new_session=True, stderr=subprocess.PIPE, text=True,
    )
    try:
        if when == "after the workers started":
            children: list = []
            deadline = time.monotonic() + FAST
            while len(children) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
                children = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
            assert len(children) >= 2
            proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=FAST)
        assert proc.returncode == -signum, stderr  # died by the signal, as without a handler
        deadline = time.monotonic() + FAST
        while _live_processes_of_session(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _live_processes_of_session(proc.pid) == []
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever the outcome, nothing of it outlives the test
        except ProcessLookupError:
            pass  # the group is gone already: the expected outcome
        proc.wait()


def test_sigterm_to_a_check_run_ends_it_and_its_workers(tmp_path):
    """The command as users run it: `mcp-lint check --jobs 2` on enough files for a pool, SIGTERM
    once its workers exist: it ends by that signal and leaves no process behind."""
    (tmp_path / "pyproject.toml").write_text(EMPTY_CONFIG)
    for i in range(100):
        (tmp_path / f"m{i}.py").write_text(SERVER.replace("search", f"search{i}"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mcp_lint", "check", ".", "--no-cache", "--jobs", "2"],
        cwd=tmp_path, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + FAST
        while proc.poll() is None and time.monotonic() < deadline:
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
            if len(children) >= 2:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the run ended before its pool started: give it more files"
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=FAST)
        assert proc.returncode == -signal.SIGTERM, stderr
        deadline = time.monotonic() + FAST
        while _live_processes_of_session(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _live_processes_of_session(proc.pid) == []
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def _sigterm_is_default(item: int) -> bool:
    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_workers_do_not_inherit_the_parents_signal_handler():
    """Forked with the parent's SIGTERM handler, a worker sent SIGTERM (a kill of the process
    group) ran it on its copy of the worker table and killed its siblings."""
    with Workers(2) as workers:
        assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL
        assert workers.map(_sigterm_is_default, list(range(30))) == [True] * 30


def test_worker_count_follows_cpu_affinity(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert available_cpus() == 1


@pytest.mark.parametrize(
    "document, rel, text",
    [("dockerfile:DockerfileDocument", "Dockerfile", "FROM x\n"), ("yaml_docs:ComposeDocument", "deploy/stack.yaml", "services:\n  a:\n    image: x\n")],
)
def test_time_budget_turns_a_hang_into_a_skipped_file(tmp_path, monkeypatch, document, rel, text):
    """Whatever a parser or rule does past the per-file budget, the file is skipped with a
    reason (here a budget of 0.2 s of CPU time against a parse made to spin for a second); a deploy file is
    MCP0003, its kind decided from its content before the time ran out."""
    import importlib

    from mcp_lint import engine

    module, _, name = document.partition(":")
    cls = getattr(importlib.import_module(f"mcp_lint.documents.{module}"), name)

    def slow_parse(self):
        end = time.monotonic() + 1
        while time.monotonic() < end:
            pass

    monkeypatch.setattr(cls, "parse", slow_parse)
    monkeypatch.setattr(engine, "file_budget", lambda: budget_module.file_budget(0.2))
    result = _lint(tmp_path, {rel: text})
    assert _codes(result, rel) == {"MCP0003"} and "more than 0.2 s of CPU time" in _skipped(result, rel)


def test_bounded_reader_refuses_fifos_devices_and_paths_outside(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    assert read_bytes(tmp_path / "fifo") == (None, "not a regular file")
    assert read_bytes("/dev/zero")[1] == "not a regular file"
    assert read_bytes("/etc/hostname", root=tmp_path)[1] == "outside the project; not read"
    (tmp_path / "big").write_bytes(b"x" * 100)
    assert len(read_bytes(tmp_path / "big", limit=10)[0]) == 11


# -- the cache: files a document reads are part of its key --------------------------------------

READS_OTHERS = {
    "nginx": (
        {"nginx/nginx.conf": "server {\n    location /mcp {\n        include proxy.conf;\n    }\n}\n"},
        "nginx/proxy.conf",
        "proxy_pass http://127.0.0.1:8000;\nproxy_buffering off;\n",
        "proxy_pass http://127.0.0.1:8000;\nproxy_buffering on;\n",
    ),
    "caddyfile": (
        {"Caddyfile": "mcp.example.com {\n    handle /mcp* {\n        import proxy.caddy\n    }\n}\n"},
        "proxy.caddy",
        "reverse_proxy app:8000\n",
        "reverse_proxy app:8000 {\n    response_buffers 4MB\n}\n",
    ),
    "helm": (
        {
            "charts/mcp/Chart.yaml": "apiVersion: v2\nname: mcp\nversion: 0.1.0\n",
            "charts/mcp/values.yaml": "image: {repository: ghcr.io/acme/mcp}\nterminationGracePeriodSeconds: 20\nenv:\n  - {name: DRAIN_TIMEOUT_MS, value: '25000'}\n",
        },
        "charts/mcp/templates/deployment.yaml",
        "kind: Deployment\nspec:\n  terminationGracePeriodSeconds: 60\n",
        "kind: Deployment\nspec:\n  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}\n  env: {{ toYaml .Values.env }}\n",
    ),
    "tsconfig": (
        {
            "packages/server/tsconfig.json": '{\n  "extends": "../../tsconfig.base.json",\n  "compilerOptions": { "outDir": "dist" }\n}\n',
            "package.json": '{"name": "s", "dependencies": {"@modelcontextprotocol/sdk": "^1.0.0"}}',
        },
        "tsconfig.base.json",
        '{ "compilerOptions": { "strict": true } }',
        '{ "compilerOptions": { "strict": false } }',
    ),
}


@pytest.mark.parametrize("kind", sorted(READS_OTHERS))
def test_cached_results_follow_the_files_a_document_reads(tmp_path, kind):
    """A cached run equals a `--no-cache` run after an included, imported or extended file
    changes (they used to be left out of the cache key)."""
    from mcp_lint.cache import Cache

    files, dependency, before, after = READS_OTHERS[kind]
    root = tmp_path / "repo"
    root.mkdir()
    config = Config(root=root, exclude=[])

    def findings(cache):
        result = engine_run([root], config, jobs=1, cache=cache)
        cache.close()
        return [(f.path, f.location.line, f.code, f.message) for f in result.findings], result.diagnostics

    _lint(root, {**files, dependency: before})
    cached_before = findings(Cache(tmp_path / "cache", "salt"))
    assert cached_before == findings(Cache(tmp_path / "unused", "other")) == findings(Cache(tmp_path / "cache", "salt"))
    (root / dependency).write_text(after)
    fresh = findings(Cache(tmp_path / "fresh", "salt"))
    assert fresh != cached_before, "the dependency must matter for this test to mean anything"
    assert findings(Cache(tmp_path / "cache", "salt")) == fresh


@pytest.mark.parametrize(
    "rel, text, templated",
    [
        # cookiecutter's project folders and placeholders: not Python until rendered
        ("{{cookiecutter.project_slug}}/api.py", "from {{cookiecutter.project_slug}}.tools import mcp\n", True),
        ("pkg/settings.py", "def {{ handler_name }}():\n    pass\n", True),
        ("pkg/render.py", "{% if docker %}\nimport docker\n{% endif %}\n", True),
        # a syntax error without a placeholder is one, even beside a valid f-string escape
        ("pkg/broken.py", 'GREETING = f"{{literal}}"\ndef broken(:\n    pass\n', False),
    ],
)
def test_templated_python_is_skipped_not_a_parse_error(tmp_path, rel, text, templated):
    result = _lint(tmp_path, {rel: SERVER + text})
    assert ("MCP0000" not in _codes(result, rel)) is templated
    assert ("not Python until rendered" in _skipped(result, rel)) is templated
