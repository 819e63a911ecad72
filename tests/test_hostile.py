"""Hostile targets: mcp-lint runs unattended on repositories it has never seen. Whatever the
files hold, a run ends in time with exit 0 or 1, valid output, every skipped file named with a
reason, no traceback, nothing executed, nothing outside the tree read, nothing in it written.

Every input is generated here; no binary blobs are committed."""

from __future__ import annotations

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
