"""Result cache: per-file results keyed by content hash, tool version, enabled rules and the
configuration that can change findings.

The cache lives outside the scanned tree (`$MCP_LINT_CACHE_DIR`, else `$XDG_CACHE_HOME/mcp-lint`,
else `~/.cache/mcp-lint`), because a linter run must not write into the repository it checks. It is
still treated as untrusted input: entries are JSON decoded only into mcp-lint's own dataclasses
(never pickle, which would let a planted cache file run code), and anything unreadable, corrupt
or written by another version is ignored, never fatal; an entry whose values do not have the
types its dataclass declares is a miss too. Keys hold project-relative paths and content
hashes, so one cache serves every checkout. The cache is bounded: entries unused for
MAX_AGE_DAYS are dropped, and past MAX_ENTRIES the least recently used ones go."""

from __future__ import annotations

import dataclasses
import enum
import functools
import gc
import hashlib
import importlib
import json
import os
import sqlite3
import time
import typing
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, Tuple

from mcp_lint import __version__

ENV_CACHE_DIR = "MCP_LINT_CACHE_DIR"
_TRUSTED_MODULES = ("mcp_lint.", "mcp_lint_rules.")
# 2: FileResult.kind, Suppression text and positions (the MCP0001 autofix); 3: FileResult
# dependencies and not_analysed, stamped entries; 5: summaries with character columns; 6: the
# compact codec (a class table per entry); 7: frozensets decode as frozensets; 8: FileView.class_ancestors;
# 10: FileView.ts_linked (TS handlers registered in another module); 11: HandlerRef.local and
# FileView.ts_log_helpers (TS logging helpers of other modules); 12: FileView.ts_absorbing, ts_defines_tools;
# 13: FileView.ts_displaced and the relative imports of the TS link pass; 14: FileView.ts_validated_arguments;
# 15: FileView.ts_authored_errors; 16: FileView.ts_result_builders; 17: ToolCodeEntry.returns_result;
# 20: FileView.ts_not_loaded (was ts_displaced); 21: HandlerRef kind "member" (methods of imported classes);
# 22: FileView.ts_fields_read.
_FORMAT = 22
_TABLE = "results_v2"  # the stamped table; format 1's `entries` is dropped when found
MAX_ENTRIES = 100_000
MAX_AGE_DAYS = 30


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- a small tagged JSON codec for our own dataclasses -------------------------------------


# An entry is one JSON array: [{"c": [[class name, [field names]], ...]}, value]. Every JSON
# object in the value is one tagged node, so decoding is one `object_hook` call per object inside
# the C decoder: {"d": class index, "f": [field values]} a dataclass, {"e": class index, "v": x}
# an enum member, {"t": [...]} a tuple, {"s": [...]} a set, {"z": [...]} a frozenset,
# {"m": [[key, value], ...]} a dict (pairs: its keys could look like tags); lists and scalars are themselves. Field values are
# positional against the entry's own table of names, so class and field names are written once
# per entry, not once per object (they were most of the bytes).


def encode(value: Any) -> Any:
    """`value` as the JSON-able structure of one entry."""
    encoder = _Encoder()
    node = encoder.node(value)
    return [{"c": encoder.table}, node]


def dumps(value: Any) -> str:
    return json.dumps(encode(value), separators=(",", ":"))


@dataclasses.dataclass(frozen=True)
class Encoded:
    """A value with its entry text, encoded where the value was made (a worker process) so that
    the parent, which writes the cache and is the busy one while the project models are built,
    does not encode it again. `text` is None when the value cannot be encoded."""

    value: Any
    text: Optional[str]


def encoded(value: Any) -> Encoded:
    try:
        return Encoded(value, dumps(value))
    except (TypeError, ValueError):
        return Encoded(value, None)


def loads(text: str) -> Any:
    """Decode an entry's JSON text. The cyclic garbage collector is paused meanwhile: an entry
    is a tree of fresh objects without cycles, and the collections its hundreds of thousands
    of allocations set off took half the time of a cached run."""
    decoder = _Decoder()
    paused = gc.isenabled()
    gc.disable()
    try:
        return decoder.value(json.loads(text, object_hook=decoder.node))
    finally:
        if paused:
            gc.enable()


def decode(value: Any) -> Any:
    """Decode an already parsed entry (the slow path of `loads`)."""
    decoder = _Decoder()

    def walk(item: Any) -> Any:
        if isinstance(item, list):
            return [walk(v) for v in item]
        if isinstance(item, dict):
            return decoder.node({k: walk(v) for k, v in item.items()})
        return item

    return decoder.value(walk(value))


_PLAIN = frozenset({str, int, float, bool, type(None)})


class _Encoder:
    def __init__(self) -> None:
        self.table: list = []
        self._index: Dict[type, int] = {}
        self._dataclasses: Dict[type, Tuple[int, Tuple[str, ...]]] = {}  # class -> (table index, fields)

    def _class(self, cls: type, names: Tuple[str, ...]) -> int:
        index = self._index.get(cls)
        if index is None:
            index = self._index[cls] = len(self.table)
            self.table.append([_qualname(cls), list(names)])
        return index

    def node(self, value: Any) -> Any:
        # The exact types that make up nearly every entry first, by one look-up each (the
        # workers encode every result: an isinstance chain per value was most of the cost).
        cls = type(value)
        if cls in _PLAIN:
            return value
        known = self._dataclasses.get(cls)
        if known is not None:
            return {"d": known[0], "f": [self.node(getattr(value, name)) for name in known[1]]}
        if cls is tuple:
            return {"t": [self.node(v) for v in value]}
        if cls is list:
            return [self.node(v) for v in value]
        return self._other(value)

    def _other(self, value: Any) -> Any:
        if value is None or isinstance(value, (str, int, float, bool)) and not isinstance(value, enum.Enum):
            return value
        if isinstance(value, enum.Enum):
            return {"e": self._class(type(value), ()), "v": value.value}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = _init_fields(type(value))
            index = self._class(type(value), names)
            self._dataclasses[type(value)] = (index, names)
            return {"d": index, "f": [self.node(getattr(value, name)) for name in names]}
        if isinstance(value, tuple):
            return {"t": [self.node(v) for v in value]}
        if isinstance(value, (set, frozenset)):
            return {"z" if isinstance(value, frozenset) else "s": sorted((self.node(v) for v in value), key=repr)}
        if isinstance(value, list):
            return [self.node(v) for v in value]
        if isinstance(value, dict):
            return {"m": [[self.node(k), self.node(v)] for k, v in value.items()]}
        raise TypeError(f"cannot cache a {type(value).__name__}")


class _Decoder:
    def __init__(self) -> None:
        self.classes: Optional[list] = None  # (class, field names, whether they are its init fields in order)

    def value(self, entry: Any) -> Any:
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] is _TABLE_READ):
            raise ValueError("not a cache entry")
        return entry[1]

    def node(self, obj: Dict[str, Any]) -> Any:
        """One JSON object whose members are already decoded (`object_hook`)."""
        if "d" in obj:
            cls, names, positional = self._entry(obj["d"])
            values = obj["f"]
            if len(values) != len(names):
                raise ValueError("wrong number of fields")
            return cls(*values) if positional else cls(**dict(zip(names, values)))
        if "t" in obj:
            return tuple(obj["t"])
        if "m" in obj:
            return {k: v for k, v in obj["m"]}
        if "s" in obj:
            return set(obj["s"])
        if "z" in obj:
            return frozenset(obj["z"])
        if "e" in obj:
            cls, names, _ = self._entry(obj["e"])
            if not issubclass(cls, enum.Enum):
                raise ValueError("not an enum")
            return cls(obj["v"])
        if "c" in obj and self.classes is None:  # the entry's first object: its table of classes
            self.classes = [self._resolve(item) for item in obj["c"]]
            return _TABLE_READ
        raise ValueError("unknown cache encoding")

    def _entry(self, index: Any):
        if self.classes is None or not isinstance(index, int) or not 0 <= index < len(self.classes):
            raise ValueError("no such class in the entry")
        return self.classes[index]

    @staticmethod
    def _resolve(item: Any):
        name, names = item
        cls = _trusted_class(name)
        if not (isinstance(cls, type) and issubclass(cls, enum.Enum) or dataclasses.is_dataclass(cls)):
            raise ValueError("neither a dataclass nor an enum")
        names = tuple(names)
        if not all(isinstance(n, str) for n in names):
            raise ValueError("field names must be strings")
        return cls, names, not issubclass(cls, enum.Enum) and names == _init_fields(cls)


_TABLE_READ = object()  # what the table object decodes to


_INIT_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _init_fields(cls: type) -> Tuple[str, ...]:
    names = _INIT_FIELDS.get(cls)
    if names is None:
        names = _INIT_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    return names


def well_typed(value: Any, hint: Any = Any) -> bool:
    """Whether a decoded value matches a type hint, and every dataclass in it its field types
    (a hand-edited or planted entry with a string where a list belongs must not crash the run)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hint is not Any and isinstance(hint, type) and not isinstance(value, hint):
            return False
        hints = _field_hints(type(value))
        return all(well_typed(getattr(value, name), hints.get(name, Any)) for name in hints)
    if hint is Any or isinstance(hint, (str, typing.TypeVar)):
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        return any(well_typed(value, arg) for arg in args)
    if origin in (list, set, frozenset):
        return isinstance(value, origin) and all(well_typed(v, args[0] if args else Any) for v in value)
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(well_typed(v, args[0]) for v in value)
        return not args or len(args) == len(value) and all(well_typed(v, a) for v, a in zip(value, args))
    if origin is dict:
        key, item = args if args else (Any, Any)
        return isinstance(value, dict) and all(well_typed(k, key) and well_typed(v, item) for k, v in value.items())
    if origin is not None:
        return isinstance(value, origin)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


_HINTS: Dict[type, Dict[str, Any]] = {}


def _is_instance(value: Any, expected: Any) -> bool:
    return expected is Any or not isinstance(expected, type) or isinstance(value, expected)


def _field_hints(cls: type) -> Dict[str, Any]:
    if cls not in _HINTS:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # a forward reference that does not resolve: check nothing
            hints = {}
        _HINTS[cls] = {f.name: hints.get(f.name, Any) for f in dataclasses.fields(cls) if f.init}
    return _HINTS[cls]


def _qualname(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


_CLASSES: Dict[str, type] = {}  # trusted names already resolved


def _trusted_class(name: str) -> type:
    found = _CLASSES.get(name)
    if found is not None:
        return found
    module, _, attr = str(name).partition(":")
    if not module.startswith(_TRUSTED_MODULES) and module not in ("mcp_lint", "mcp_lint_rules"):
        raise ValueError(f"untrusted class {name!r} in cache")
    obj: Any = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    if not isinstance(obj, type):
        raise ValueError("not a class")
    _CLASSES[name] = obj
    return obj


# -- storage --------------------------------------------------------------------------------


class Cache:
    """A sqlite file of (table, key) -> JSON. `salt` folds in everything run-wide."""

    def __init__(self, directory: Path, salt: str):
        self.directory = directory
        self.salt = hashlib.sha256(f"{_FORMAT}\0{__version__}\0{salt}".encode()).hexdigest()
        self._db: Optional[sqlite3.Connection] = None
        self._pending: Dict[Tuple[str, str], str] = {}
        self._used: set = set()  # (table, key) of hits, stamped at flush
        self.hits = 0
        self.misses = 0
        try:
            directory.mkdir(parents=True, exist_ok=True)
            _write_markers(directory)
            self._db = sqlite3.connect(str(directory / "results.sqlite"), timeout=5)
            self._db.execute("DROP TABLE IF EXISTS entries")
            self._db.execute(
                f"CREATE TABLE IF NOT EXISTS {_TABLE} (tbl TEXT, key TEXT, value TEXT, stamp INTEGER, PRIMARY KEY (tbl, key))"
            )
        except (OSError, sqlite3.Error):
            self._db = None  # read-only checkout, corrupt file, foreign format: run uncached

    def key(self, *parts: str) -> str:
        return hashlib.sha256("\0".join((self.salt, *parts)).encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, table: str, key: str, expected: Any = Any, touch: bool = True) -> Any:
        """The entry, or None when missing, unreadable or not of the `expected` type. A hit is
        stamped as recently used at the next flush unless `touch` is false (a write costs more
        than the look-up when the look-up is all a run does)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(f"SELECT value FROM {_TABLE} WHERE tbl = ? AND key = ?", (table, key)).fetchone()
            text, sealed = self._unseal(table, key, row[0]) if row else ("null", False)
            value = loads(text)
            if value is not None and not (sealed and _is_instance(value, expected)) and not well_typed(value, expected):
                value = None
        except Exception:  # corrupt or hostile entry: treat as a miss
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            if touch:
                self._used.add((table, key))
        return value

    @property
    def writes(self) -> bool:
        """Whether `put` stores anything (values are worth encoding ahead, in the workers)."""
        return self._db is not None

    def put(self, table: str, key: str, value: Any) -> None:
        """Store `value`, or an `Encoded` value's text as it is."""
        if self._db is None:
            return
        text = (value if isinstance(value, Encoded) else encoded(value)).text
        if text is not None:  # a rule's facts that cannot be encoded are simply not cached
            self._pending[(table, key)] = f"{text}\n{self._seal(table, key, text)}"

    # An entry carries a seal of its exact text: one this cache wrote is decoded into our own
    # classes as written, so the deep field-type check (most of a cached run's time on a large
    # project) is only needed for entries without a valid seal (edited, corrupt or planted).
    def _seal(self, table: str, key: str, text: str) -> str:
        return hashlib.sha256("\0".join((self.salt, table, key, text)).encode("utf-8", "surrogatepass")).hexdigest()

    def _unseal(self, table: str, key: str, raw: str) -> Tuple[str, bool]:
        text, newline, seal = str(raw).rpartition("\n")  # compact JSON never holds a raw newline
        if not newline:
            return str(raw), False
        return text, seal == self._seal(table, key, text)

    def flush(self) -> None:
        if self._db is None or not (self._pending or self._used):
            return
        now = int(time.time())
        try:
            with self._db:
                self._db.executemany(
                    f"INSERT OR REPLACE INTO {_TABLE} (tbl, key, value, stamp) VALUES (?, ?, ?, ?)",
                    [(t, k, v, now) for (t, k), v in self._pending.items()],
                )
                self._db.executemany(f"UPDATE {_TABLE} SET stamp = ? WHERE tbl = ? AND key = ?", [(now, t, k) for t, k in self._used])
                self._evict(now)
        except sqlite3.Error:
            pass
        self._pending.clear()
        self._used.clear()

    def _evict(self, now: int) -> None:
        assert self._db is not None
        self._db.execute(f"DELETE FROM {_TABLE} WHERE stamp < ?", (now - MAX_AGE_DAYS * 86400,))
        (count,) = self._db.execute(f"SELECT COUNT(*) FROM {_TABLE}").fetchone()
        if count > MAX_ENTRIES:
            self._db.execute(
                f"DELETE FROM {_TABLE} WHERE rowid IN (SELECT rowid FROM {_TABLE} ORDER BY stamp, rowid LIMIT ?)",
                (count - MAX_ENTRIES,),
            )

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> "Cache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class NullCache(Cache):
    def __init__(self) -> None:  # noqa: D107 - no storage at all
        self._db = None
        self._pending = {}
        self._used = set()
        self.salt = ""
        self.hits = self.misses = 0


def _write_markers(directory: Path) -> None:
    tag = directory / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# mcp-lint result cache; safe to delete.\n")
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")


def cache_directory(override: Optional[str] = None) -> Path:
    chosen = override or os.environ.get(ENV_CACHE_DIR)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mcp-lint"


def open_cache(salt: str, enabled: bool = True, override: Optional[str] = None) -> Cache:
    return Cache(cache_directory(override), salt) if enabled else NullCache()


def salt_for(rule_codes: Iterable[str], config_key: str) -> str:
    return json.dumps([sorted(rule_codes), config_key, code_fingerprint()])


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Size and modification time of every module of mcp-lint and its rules. The version alone is
    not enough: an editable or git install changes code without changing the version, and its cache
    would then serve findings of the old code. Stat calls only: a few milliseconds."""
    import mcp_lint
    import mcp_lint_rules  # the built-in rules (the repository's `rules/`)

    stamps = []
    for package in (mcp_lint, mcp_lint_rules):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*.py")):
            try:
                info = path.stat()
            except OSError:
                continue
            stamps.append(f"{path.relative_to(root)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode("utf-8", "surrogateescape")).hexdigest()
