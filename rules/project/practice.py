"""The checklist's own practices for items 9 and 10 that are not mcp-lint's commands: a protocol
test written as a shell script or a CI step (curl sending `initialize` / `tools/list`), and a
schema snapshot kept as a committed `tools/list` JSON or a `schema-snapshot.sha256`, compared by
a test or a CI step. Files are read from disk (bounded), never executed."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import FrozenSet, Iterable, Iterator, Sequence, Tuple

from mcp_lint.literals import home_made_client
from mcp_lint.reading import read_bytes
from mcp_lint.run_memo import per_run

# A JSON-RPC request for an MCP method, as written in a shell or YAML string (quotes may be
# escaped), or the Inspector CLI's `--method tools/list`.
PROTOCOL_CALL = re.compile(
    r"""\\?["']method\\?["']\s*:\s*\\?["'](?:initialize|tools/list|tools/call)\\?["']|--method[ =](?:tools/list|tools/call)"""
    r"""|--method["']\s*,\s*["'](?:tools/list|tools/call)\b"""  # an argument list: `[..., "--method", "tools/list"]`
)
# Each form of PROTOCOL_CALL holds one of these: a text with none of them needs no regex scan.
_PROTOCOL_LITERALS = ("method\"", "method'", "method\\", "--method")
# Committed snapshots of the tools' schemas in the forms the checklist describes.
SNAPSHOT_NAME = re.compile(
    r"^(?:schema[-_]snapshot\.sha256|.*\.snapshot\.json(?:\.sha256)?|tools?[-_]?list(?:[-_]snapshot)?\.json"
    r"|(?:mcp[-_])?tools?[-_](?:schema|snapshot)s?\.json|tool[-_]schemas?[-_]snapshot\.json)$",
    re.I,
)
# A snapshot matcher in a test, and the tools' schemas it may be applied to.
# A snapshot assertion (vitest/jest, syrupy) and what it pins; it counts when that names tools.
SNAPSHOT_ASSERTION = re.compile(
    r"expect\(([^;\n]{0,200}?)\)\s*\.toMatch(?:Inline|File)?Snapshot\(|assert\s+([^\n]{0,200}?)==\s*snapshot\b"
    r"|snapshot\.assert_match\(([^\n]{0,200})"
)
PINS_TOOLS = re.compile(r"tool|inputSchema|input_schema", re.I)
MAX_JSON_FILES = 400
MAX_JSON_BYTES = 2_000_000
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "site-packages", "__pycache__", "build", "dist", ".tox", ".nox"}
MAX_WALKED = 8000
MAX_READ = 256_000
MAX_SCRIPTS = 300


@per_run  # snapshot_files, listed_tools and protocol_scripts each walk the same roots
def _walk(root: Path) -> Tuple[Path, ...]:
    return tuple(_walk_tree(root))


def _walk_tree(root: Path) -> Iterator[Path]:
    walked = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not (d.startswith(".") and d not in (".github", ".well-known")))
        for name in sorted(files):
            walked += 1
            if walked > MAX_WALKED:
                return
            path = Path(folder) / name
            if not os.path.islink(path):  # may point out of the tree
                yield path


def _text(path: Path) -> str:
    data, _ = read_bytes(path)  # regular files only: a FIFO would block
    return data[:MAX_READ].decode("utf-8", "replace") if data is not None else ""


def speaks_protocol(text: str) -> bool:
    """The text sends an MCP request: a JSON-RPC `initialize` / `tools/list` / `tools/call`
    (over HTTP with curl or httpx, or to the server's stdin, also through a home-made client
    that names the method where it calls it: `rpc("tools/call", ...)`), or the Inspector CLI's
    `--method tools/list`."""
    return (any(literal in text for literal in _PROTOCOL_LITERALS) and bool(PROTOCOL_CALL.search(text))) or home_made_client(text)


@per_run
def protocol_scripts(root: Path) -> Tuple[str, ...]:
    """Shell scripts of the repository that talk MCP to a running server."""
    found, read = [], 0
    for path in _walk(root):
        if path.suffix not in (".sh", ".bash") or read >= MAX_SCRIPTS:
            continue
        read += 1
        if speaks_protocol(_text(path)):
            found.append(path.relative_to(root).as_posix())
    return tuple(found)


def protocol_steps(commands: Iterable[str]) -> bool:
    return any(speaks_protocol(command) for command in commands)


@per_run
def snapshot_files(root: Path) -> Tuple[str, ...]:
    """Committed files that hold (or hash) the tools' schemas, relative to `root`: by name, or
    any JSON file that holds a `tools/list` result (see `listed_tools`). Remembered for the run:
    every package of a monorepo asks about the same repository root."""
    named = tuple(p.relative_to(root).as_posix() for p in _walk(root) if SNAPSHOT_NAME.match(p.name))
    return named + tuple(path for path, _ in listed_tools(str(root)) if path not in named)


def listed_tools(root: str) -> Tuple[Tuple[str, FrozenSet[str]], ...]:
    """JSON files under `root` that hold a `tools/list` result (tool objects with `name` and
    `inputSchema`, or `input_schema` as `model_dump()` writes it), wherever they are and
    whatever they are called (a generated API reference, say), with the tool names they list."""
    return _json_records(root)[0]


def schema_folders(root: str) -> Tuple[Tuple[str, FrozenSet[str]], ...]:
    """Folders of per-tool schema files under `root`: two or more JSON files, each one object
    schema (`"properties"`, `"type": "object"`) named after its tool (`snapshots/search.json`
    holds the `inputSchema` of `search`), with the names. A committed baseline too, in the form
    a test that compares each tool's schema with `SNAPSHOT_DIR / f"{tool}.json"` keeps."""
    return _json_records(root)[1]


def schema_maps(root: str) -> Tuple[Tuple[str, FrozenSet[str]], ...]:
    """JSON files under `root` that hold each tool's input schema under its name
    (`{"search": {"type": "object", "properties": ...}, ...}`, claude-prompts-mcp's
    `mcp-input-schemas.json`), with the names: a baseline when the names are the server's tools."""
    return _json_records(root)[2]


@per_run
def _json_records(root: str) -> Tuple[tuple, tuple, tuple]:
    """(tools/list files, per-tool schema folders, schema maps) under `root`, each JSON file
    read once. Remembered for the run (not longer: the language server's next pass must see an
    edited file)."""
    listed, by_folder, maps, read = [], {}, [], 0
    for path in _walk(Path(root)):
        if path.suffix != ".json" or read >= MAX_JSON_FILES:
            continue
        read += 1
        document = _json_document(path)
        names = _tool_names(document)
        if names:
            listed.append((path.relative_to(root).as_posix(), names))
        elif _object_schema(document):
            by_folder.setdefault(path.parent.relative_to(root).as_posix(), set()).add(path.stem)
        elif _schemas_by_name(document):
            maps.append((path.relative_to(root).as_posix(), frozenset(document)))
    folders = tuple((folder, frozenset(stems)) for folder, stems in by_folder.items() if len(stems) >= 2)
    return tuple(listed), folders, tuple(maps)


def _json_document(path: Path):
    """The parsed file, when it may hold tools or a schema (a cheap byte test first), else None."""
    data, _ = read_bytes(path, MAX_JSON_BYTES)
    if data is None or len(data) > MAX_JSON_BYTES or not any(k in data for k in (b'"inputSchema"', b'"input_schema"', b'"properties"')):
        return None
    try:
        return json.loads(data.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return None


def _tool_names(document) -> FrozenSet[str]:
    if isinstance(document, dict):  # {"tools": [...]} or a JSON-RPC response {"result": {"tools": [...]}}
        result = document.get("result")
        document = document.get("tools", result.get("tools") if isinstance(result, dict) else None)
    if not isinstance(document, list):
        return frozenset()
    # `input_schema`: the SDK's `Tool` dumped by attribute name (`model_dump()`)
    return frozenset(t["name"] for t in document if isinstance(t, dict) and isinstance(t.get("name"), str)
                     and isinstance(t.get("inputSchema", t.get("input_schema")), dict))


def _schemas_by_name(document) -> bool:
    """Two or more object schemas, each under a name (`schema_maps`)."""
    return isinstance(document, dict) and len(document) >= 2 and all(
        isinstance(name, str) and _object_schema(schema) for name, schema in document.items())


def _object_schema(document) -> bool:
    return isinstance(document, dict) and isinstance(document.get("properties"), dict) and document.get("type", "object") == "object"


def folder_named(folder: str, texts: Iterable[str]) -> bool:
    """A test that compares tools' input schemas names the folder as a path segment in a string
    (`Path(__file__).parent / "snapshots"`, `"tests/snapshots/"`): it reads the files there. A
    test that only names a folder of other schemas (a config's) does not count."""
    name = re.escape(Path(folder).name)
    # joined to a path (`/ "snapshots"`), or a path string through it (`"tests/snapshots"`, `"snapshots/"`)
    pattern = re.compile(r"""/\s*["']%s["']|["'][\w./-]*/%s/?["']|["']%s/""" % (name, name, name))
    return bool(Path(folder).name) and any(_INPUT_SCHEMA.search(text) and pattern.search(text) for text in texts)


_INPUT_SCHEMA = re.compile(r"inputSchema|input_schema")


def snapshot_tests(test_texts: Iterable[str]) -> bool:
    """A test pins the tools with a snapshot assertion (vitest/jest `expect(tools).toMatchSnapshot()`,
    syrupy's `assert tools == snapshot`): the snapshot is committed beside it and the test fails
    on change. A snapshot of anything else (a rendered result) does not count."""
    return any(
        _pins_tools(next(g for g in match.groups() if g is not None), text)
        for text in test_texts
        if "napshot" in text  # every form names it (toMatchSnapshot, snapshot): skip the scan
        for match in SNAPSHOT_ASSERTION.finditer(text)
    )


def _pins_tools(subject: str, text: str) -> bool:
    """The snapshot's subject names the tools, or is a local built from them (`const jsonSchema =
    z.toJSONSchema(tool.inputSchema)` in a loop over the tool definitions)."""
    if PINS_TOOLS.search(subject):
        return True
    name = subject.strip()
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", name):
        return False
    bound = re.search(r"(?:const|let|var)\s+%s\s*(?::[^=]{0,80})?=\s*([^;]{0,300})" % re.escape(name), text)
    return bound is not None and _SCHEMA_OF_TOOL.search(bound.group(1)) is not None


# What a local built for a snapshot must read to pin the tools' schemas (not their descriptions).
_SCHEMA_OF_TOOL = re.compile(r"inputSchema|input_schema|toJSONSchema|zodToJsonSchema")


def compared(snapshots: Sequence[str], commands: Iterable[str], test_texts: Iterable[str]) -> bool:
    """Whether a CI step or a test names one of the snapshot files (it reads it to compare)."""
    names = {Path(s).name for s in snapshots}
    if not names:
        return False
    return any(name in text for text in (*commands, *test_texts) for name in names)
