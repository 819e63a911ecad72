"""The linting state of one project in the language server, free of any LSP type.

A session owns a project root, its configuration and an in-memory result cache. Each lint is
one engine pass over the whole root with every open buffer of that project as in-memory
content, so per-file results of unchanged files come from the cache (keyed by content hash)
and only the edited buffers are re-analysed; project rules then merge the cached facts of
every file with the fresh facts of the edited ones. That is what keeps a cross-file verdict
(grace period vs drain timeout, "no auth anywhere") current when either side changes."""

from __future__ import annotations

import hashlib
import pickle
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from mcp_lint import __version__
from mcp_lint.cache import Cache, salt_for
from mcp_lint.config import Config, ConfigError, find_config, load_config
from mcp_lint.engine import RunResult, run
from mcp_lint.registry import RegistryError, all_rules

CONFIG_FILES = ("pyproject.toml", "mcp-lint.toml")


class MemoryCache(Cache):
    """The engine's cache interface kept in this process, bounded (least recently used goes).

    Values are stored serialised and rebuilt on every hit, as the disk cache does: the engine
    marks suppressions as used on the results it is given, so handing out the same object
    twice would carry one lint's verdicts into the next. Pickle is safe here, unlike on disk:
    the bytes never leave this process and were produced by it from its own results (the
    engine pickles the same objects to its worker processes); it rebuilds them about 2.5x
    faster than the disk cache's JSON decoding."""

    def __init__(self, salt: str, limit: int = 20_000):
        self.salt = hashlib.sha256(f"{__version__}\0{salt}".encode()).hexdigest()
        self._db = None
        self._pending = {}
        self._entries: "OrderedDict[tuple, Any]" = OrderedDict()
        self.limit = limit
        self.hits = self.misses = 0

    def get(self, table: str, key: str, expected: Any = Any) -> Any:
        # `expected` (the disk cache type-checks planted entries) needs no check: every value
        # here was produced by this process.
        stored = self._entries.get((table, key))
        if stored is None:
            self.misses += 1
            return None
        self._entries.move_to_end((table, key))
        self.hits += 1
        return pickle.loads(stored)

    def put(self, table: str, key: str, value: Any) -> None:
        try:
            self._entries[(table, key)] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        except (TypeError, ValueError, pickle.PicklingError, AttributeError):
            return  # facts that cannot be encoded are simply not cached
        self._entries.move_to_end((table, key))
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self._entries.clear()


@dataclass
class Settings:
    """Editor settings (initializationOptions or workspace/didChangeConfiguration), applied on
    top of the project's configuration like the command line's --select / --ignore."""

    select: Optional[List[str]] = None
    extend_select: Optional[List[str]] = None
    ignore: Optional[List[str]] = None

    @classmethod
    def from_json(cls, data: Any) -> "Settings":
        if not isinstance(data, dict):
            return cls()
        data = data.get("mcp-lint", data.get("mcpLint", data))  # a client may nest them under our name
        if not isinstance(data, dict):
            return cls()

        def strings(*keys: str) -> Optional[List[str]]:
            for key in keys:
                value = data.get(key)
                if isinstance(value, str):
                    value = [v for v in value.split(",") if v.strip()]
                if isinstance(value, list) and all(isinstance(v, str) for v in value):
                    return [v.strip() for v in value]
            return None

        return cls(strings("select"), strings("extend-select", "extendSelect"), strings("ignore"))

    def overrides(self) -> Dict[str, Any]:
        return {"select": self.select, "extend-select": self.extend_select, "ignore": self.ignore}


def project_root(path: Path, folders: Sequence[Path]) -> Path:
    """Where the project of a file starts: the folder of its nearest configuration, else the
    innermost workspace folder holding it, else its own folder."""
    try:
        found = find_config(path if path.exists() else path.parent)
    except ConfigError:  # a broken config still marks the project; the session reports the error
        found = next((p / name for p in path.parents for name in CONFIG_FILES if (p / name).is_file()), None)
    if found is not None:
        return found.parent.resolve()
    holders = [f for f in folders if _inside(path, f)]
    return max(holders, key=lambda f: len(f.parts)).resolve() if holders else path.parent.resolve()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


class Session:
    """One project: its configuration, cache and the last lint's result."""

    def __init__(self, root: Path, settings: Settings):
        self.root = root
        self.settings = settings
        self.config: Config = Config(root=root)
        self.config_error: Optional[str] = None
        self.cache: Cache = MemoryCache("")
        self.reload()

    def reload(self) -> None:
        """Read the configuration again (after the config file or the settings changed). A
        broken configuration keeps the last good one and is reported, never fatal."""
        try:
            rules = all_rules()
            config = load_config([self.root], None, self.settings.overrides(), rules)
        except (ConfigError, RegistryError) as exc:
            self.config_error = str(exc)
            return
        self.config_error = None
        if config.config_path is None:  # no config file: the project is the workspace folder
            config = replace(config, root=self.root)
        self.config = config
        codes = [r.code for r in config.enabled_rules(rules)]
        self.cache = MemoryCache(salt_for(codes, config.cache_key()))

    def lint(self, buffers: Dict[Path, str]) -> RunResult:
        """One pass over the project with `buffers` (absolute path -> unsaved text) replacing
        the disk. Buffers of new files not yet on disk are linted as named files."""
        unsaved = [path for path in buffers if not path.exists()]
        return run([self.config.root, *unsaved], self.config, jobs=1, cache=self.cache, contents=buffers)

    def base(self, result: RunResult) -> Path:
        """What the result's finding paths are relative to: the engine says so when it can
        (a result with a `root`), else they are relative to the configuration's root."""
        return getattr(result, "root", None) or self.config.root

    def path(self, result: RunResult, rel: str) -> Path:
        return self.base(result) / rel

    def rel(self, result: RunResult, path: Path) -> str:
        """The path findings of `result` use for the file at `path`."""
        from mcp_lint.discovery import relative

        return relative(Path(path).resolve(), self.base(result).resolve())
