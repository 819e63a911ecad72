"""The result cache: hits on unchanged content, misses on change, and never trusts its file."""

import json
import sqlite3
from pathlib import Path

import pytest

from mcp_lint.cache import Cache, decode, dumps, encode, loads, open_cache, salt_for
from mcp_lint.config import Config
from mcp_lint.engine import run
from mcp_lint.model import Finding, Location, Severity

SERVER = """\
import os
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool()
def search(query: str) -> str:
    return os.getenv("KEY") + query
"""


def lint(root, cache):
    return run([root], Config(root=root, select=["MCP0101"], exclude=[]), jobs=1, cache=cache)


def test_second_run_is_served_from_cache_and_identical(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "server.py").write_text(SERVER)
    first_cache = Cache(tmp_path / "cache", "salt")
    first = lint(project, first_cache)
    first_cache.close()
    second_cache = Cache(tmp_path / "cache", "salt")
    second = lint(project, second_cache)
    assert second_cache.hits >= 1 and second_cache.misses == 0
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in second.findings]
    assert len(second.findings) == 1


def test_changed_content_or_salt_misses(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "server.py").write_text(SERVER)
    cache = Cache(tmp_path / "cache", "salt")
    lint(project, cache)
    cache.close()
    (project / "server.py").write_text(SERVER.replace("KEY", "OTHER"))
    cache = Cache(tmp_path / "cache", "salt")
    result = lint(project, cache)
    assert cache.misses >= 1 and "OTHER" in result.findings[0].message
    other_salt = Cache(tmp_path / "cache", "another rule set")
    assert other_salt.get("file", other_salt.key("file", "server.py")) is None


def test_corrupt_cache_file_is_ignored(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "server.py").write_text(SERVER)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "results.sqlite").write_bytes(b"this is not a database" * 100)
    result = lint(project, Cache(tmp_path / "cache", "salt"))
    assert len(result.findings) == 1


def test_hostile_entry_cannot_name_foreign_classes(tmp_path):
    cache = Cache(tmp_path / "cache", "salt")
    key = cache.key("file", "x")
    for payload in (json.dumps({"__dc__": "os:system", "f": {}}), json.dumps([{"c": [["os:system", []]]}, {"d": 0, "f": []}])):
        cache._db.execute("INSERT OR REPLACE INTO results_v2 VALUES (?, ?, ?, 0)", ("file", key, payload))
        assert cache.get("file", key) is None  # a miss, not an import of os.system


def test_codec_round_trips_findings_and_containers():
    finding = Finding("MCP0101", "env-read-in-tool", 1, Severity.WARNING, Location("a.py", 1, 2, 1, 5), "m", "h")
    assert decode(json.loads(json.dumps(encode([finding, (1, 2), {"k": {3}}])))) == [finding, (1, 2), {"k": {3}}]
    tricky = {"d": 1, "t": (finding, None), "c": [{"m": frozenset({"s"})}], 3: Severity.ERROR, "e": [True, 1.5]}
    assert loads(dumps(tricky)) == tricky  # keys that look like the codec's tags are data


def test_codec_reads_fields_by_name_when_the_order_differs():
    """An entry names its fields: one written before a field moved still decodes by name."""
    location = Location("a.py", 1, 2, 3, 4)
    (head, node) = encode(location)
    names = head["c"][0][1]
    head["c"][0][1] = list(reversed(names))
    node["f"] = list(reversed(node["f"]))
    assert loads(json.dumps([head, node])) == location
    head["c"][0][1] = names[:-1]  # a field the class no longer has, or one missing: a miss
    with pytest.raises(ValueError):
        loads(json.dumps([head, node]))


def test_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MCP_LINT_CACHE_DIR", str(tmp_path / "cache"))
    cache = open_cache(salt_for(["MCP0101"], ""), enabled=False)
    cache.put("file", "k", 1)
    cache.close()
    assert not (tmp_path / "cache").exists()


def test_default_location_is_outside_the_project(tmp_path, monkeypatch):
    from mcp_lint.cli import main

    project = tmp_path / "p"
    project.mkdir()
    (project / "server.py").write_text(SERVER)
    monkeypatch.delenv("MCP_LINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    before = sorted(p.name for p in project.rglob("*"))
    assert main(["check", str(project), "--output-format", "json", "-o", str(tmp_path / "out.json")]) == 1
    assert sorted(p.name for p in project.rglob("*")) == before
    assert (tmp_path / "xdg" / "mcp-lint" / "results.sqlite").is_file()
    with sqlite3.connect(tmp_path / "xdg" / "mcp-lint" / "results.sqlite") as db:
        assert db.execute("SELECT count(*) FROM results_v2").fetchone()[0] >= 1


def test_wrongly_typed_entries_are_misses_not_crashes(tmp_path):
    """A planted entry that decodes into our own classes, but with a string where a list
    belongs (or an int where registrations belong), used to crash the run."""
    from mcp_lint.engine import FileResult

    project = tmp_path / "p"
    project.mkdir()
    (project / "server.py").write_text(SERVER)
    cache = Cache(tmp_path / "cache", "salt")
    lint(project, cache)
    cache.close()
    db = sqlite3.connect(str(tmp_path / "cache" / "results.sqlite"))
    rows = db.execute("SELECT tbl, key, value FROM results_v2").fetchall()
    assert rows
    for table, key, value in rows:
        text, _, seal = value.rpartition("\n")  # the planted entry keeps the stale seal of the original
        entry = json.loads(text)
        if table == "file":
            (classes, result) = entry[0]["c"], entry[1]
            fields = classes[result["d"]][1]
            result["f"][fields.index("findings")] = "not a list"
            result["f"][fields.index("dependencies")] = {"m": [["../../etc/passwd", 7]]}
        else:
            entry = 42
        db.execute("UPDATE results_v2 SET value = ? WHERE tbl = ? AND key = ?", (f"{json.dumps(entry)}\n{seal}", table, key))
    db.commit()
    db.close()
    again = Cache(tmp_path / "cache", "salt")
    result = lint(project, again)
    assert again.hits == 0 and len(result.findings) == 1
    assert decode(encode(FileResult("x.py", dependencies={"a": "b"}))).dependencies == {"a": "b"}


def test_cache_is_bounded_by_age_and_count(tmp_path, monkeypatch):
    from mcp_lint import cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 5)
    cache = Cache(tmp_path / "cache", "salt")
    cache._db.execute("INSERT INTO results_v2 VALUES ('file', 'ancient', '1', 0)")
    for index in range(8):
        cache.put("file", f"k{index}", index)
    cache.flush()
    keys = {row[0] for row in cache._db.execute("SELECT key FROM results_v2")}
    assert "ancient" not in keys and len(keys) == 5
    assert cache.get("file", "k7") == 7


def test_the_cache_salt_changes_when_mcp_lint_code_changes():
    """An editable or git install changes code without changing the version: its cached findings must
    not be served to the new code."""
    import os

    import mcp_lint_rules
    from mcp_lint.cache import code_fingerprint, salt_for

    module = Path(mcp_lint_rules.__file__)
    before = os.stat(module)
    code_fingerprint.cache_clear()
    salt = salt_for(["MCP0101"], "config")
    try:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
        code_fingerprint.cache_clear()
        assert salt_for(["MCP0101"], "config") != salt
    finally:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
        code_fingerprint.cache_clear()
    assert salt_for(["MCP0101"], "config") == salt


def test_values_encoded_in_the_workers_are_stored_without_encoding_again(tmp_path, monkeypatch):
    import mcp_lint.cache as cache_module
    from mcp_lint.cache import Encoded, encoded
    from mcp_lint.discovery import SourceFile
    from mcp_lint.engine import FileResult, Settings, _lint_one, summarise_source

    (tmp_path / "server.py").write_text(SERVER)
    source = SourceFile("server.py", tmp_path / "server.py", "python")
    settings = Settings(("MCP0101",), {})
    made = _lint_one((source, settings, True, False))
    assert isinstance(made, Encoded) and isinstance(made.value, FileResult) and made.value.findings
    assert isinstance(_lint_one((source, settings, False, False)), FileResult)  # no cache: nothing encoded
    summary = summarise_source(source, encode=True)
    assert isinstance(summary, Encoded) and summary.value == summarise_source(source)

    cache = Cache(tmp_path / "cache", "salt")
    monkeypatch.setattr(cache_module, "dumps", lambda value: pytest.fail("encoded again in the parent"))
    cache.put("file", "k", made)
    cache.put("summary", "s", summary)
    cache.close()
    monkeypatch.undo()
    reopened = Cache(tmp_path / "cache", "salt")
    assert reopened.get("file", "k") == made.value
    assert reopened.get("summary", "s") == summary.value
    assert encoded({1, object()}).text is None  # what cannot be encoded is not stored
