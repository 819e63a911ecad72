"""tsconfig.json: JSON with comments, and `compilerOptions` merged along the `extends` chain.

`extends` (a string, or a list since TypeScript 5.0 where later entries win) names a file
relative to the tsconfig or a package under `node_modules` (looked up from the tsconfig's
folder upwards, best effort). A base that cannot be found or parsed makes the merged view
incomplete, and rules must then stay quiet about options it could have set. Cycles end the
chain at the repeated file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set

from mcp_lint.documents.base import Comment, Document, ParseError, ReadBudget
from mcp_lint.documents.jsonc import JsonNode, parse_jsonc
from mcp_lint.model import Location

MAX_CHAIN = 32  # deeper `extends` chains are treated as unresolved
# Bases merged per document: a chain of files each extending the next twice is exponential.
MAX_MERGES = 256


@dataclass(frozen=True)
class Setting:
    """A compiler option's effective value and where it was set."""

    value: Any
    location: Location
    inherited: bool  # set in a base config, not in this file


@dataclass
class CompilerOptions:
    settings: Dict[str, Setting]
    complete: bool  # every base in the chain was found and parsed
    unresolved: List[str]  # `extends` values that could not be followed

    def value(self, name: str) -> Any:
        setting = self.settings.get(name)
        return setting.value if setting else None


def node_location(path: str, node: JsonNode, message: str = "") -> Location:
    return Location(path, node.line, node.column, node.end_line, node.end_column, message)


class JsonDocument(Document):
    """A JSON(C) file parsed into position-keeping nodes; the root must be an object."""

    def __init__(self, path: str, text: str):
        super().__init__(path, text)
        self.root: Optional[JsonNode] = None
        self._comments: List[Comment] = []

    def parse(self) -> None:
        self.root, self._comments = parse_jsonc(self.text)
        if self.root.kind != "object":
            raise ParseError(f"expected a JSON object at the top level, found {self.root.kind}", self.root.line, self.root.column)

    def comments(self) -> Iterable[Comment]:
        return self._comments

    def location(self, node: JsonNode, message: str = "") -> Location:
        return node_location(self.path, node, message)

    def key_location(self, key: str) -> Location:
        """The key `key` of the root object, or the root's opening brace when it is absent."""
        assert self.root is not None
        member = self.root.member(key)
        return self.location(member[0] if member else _opening(self.root))


def _opening(node: JsonNode) -> JsonNode:
    return JsonNode(node.kind, None, node.line, node.column, node.line, node.column + 1)


class TsconfigDocument(JsonDocument):
    kind = "tsconfig"
    _options: Optional[CompilerOptions] = None

    def compiler_options(self) -> CompilerOptions:
        """`compilerOptions` merged over the `extends` chain (this file's own values win)."""
        assert self.root is not None
        if self._options is None:
            result = CompilerOptions({}, True, [])
            seen = {Path(os.path.realpath(self.disk_path))} if self.disk_path else set()
            _Chain(self, result).merge(self.root, self.path, self.disk_path, inherited=False, seen=seen)
            self._options = result
        return self._options

    def parse(self) -> None:
        super().parse()
        self._options = None
        self.compiler_options()  # reads the bases now, so that they join the dependencies


class _Chain:
    def __init__(self, document: TsconfigDocument, result: CompilerOptions):
        self.document = document
        self.root = document.project_root()
        self.result = result
        self.budget = ReadBudget()
        self.parsed: Dict[Path, Optional[JsonNode]] = {}  # each base is read and parsed once
        self.merges = 0

    def merge(self, node: JsonNode, rel: str, disk: Optional[Path], inherited: bool, seen: Set[Path]) -> None:
        if len(seen) > MAX_CHAIN:
            self._unresolved("extends chain too deep")
            return
        extends = node.get("extends")
        for spec in _extends_values(extends):
            base = self._find(spec, disk)
            if base is None:
                self._unresolved(spec)
            elif base not in seen:  # a cycle ends here: the repeated file was merged already
                self._merge_file(base, spec, seen | {base})
        options = node.get("compilerOptions")
        if options is not None and options.kind == "object":
            for key, value in options.members:
                self.result.settings[key.value] = Setting(_plain(value), node_location(rel, key), inherited)

    def _merge_file(self, path: Path, spec: str, seen: Set[Path]) -> None:
        self.merges += 1
        if self.merges > MAX_MERGES:
            self._unresolved(f"{spec} (more than {MAX_MERGES} bases merged)")
            return
        if path not in self.parsed:
            self.parsed[path] = self._parse(path)
        base = self.parsed[path]
        if base is None:
            self._unresolved(spec)
            return
        if base.kind == "object":
            self.merge(base, self._rel(path), path, inherited=True, seen=seen)

    def _parse(self, path: Path) -> Optional[JsonNode]:
        text = self.document.read_other(path, self.budget)
        if text is None:
            return None
        try:
            return parse_jsonc(text)[0]
        except ParseError:
            return None

    def _unresolved(self, spec: str) -> None:
        self.result.complete = False
        self.result.unresolved.append(spec)

    def _rel(self, path: Path) -> str:
        if self.root is None:
            return path.as_posix()
        return Path(os.path.relpath(path, self.root)).as_posix()

    def _find(self, spec: str, disk: Optional[Path]) -> Optional[Path]:
        found = self._lookup(spec, disk)
        # A base outside the project (`"extends": "/etc/..."`, `../../..`) is not ours to read.
        if found is None or self.root is None or found == self.root or self.root in found.parents:
            return found
        return None

    def _lookup(self, spec: str, disk: Optional[Path]) -> Optional[Path]:
        if disk is None:
            return None
        folder = Path(os.path.realpath(disk)).parent
        if spec.startswith((".", "/")) or os.path.isabs(spec):
            return _existing(folder / spec)
        for parent in (folder, *folder.parents):  # a package: node_modules from here upwards
            found = _existing(parent / "node_modules" / spec)
            if found is not None:
                return found
            if self.root is not None and parent == self.root:
                break
        return None


def _existing(candidate: Path) -> Optional[Path]:
    """TypeScript's lookup: the path itself, with `.json` added, or a folder's tsconfig.json."""
    try:
        for path in (candidate, candidate.with_name(candidate.name + ".json"), candidate / "tsconfig.json"):
            if path.is_file():
                return Path(os.path.realpath(path))
    except (OSError, ValueError):  # a name too long for the filesystem, a NUL byte
        pass
    return None


def _extends_values(node: Optional[JsonNode]) -> List[str]:
    if node is None:
        return []
    if node.kind == "string":
        return [node.value]
    return [e.value for e in node.elements if e.kind == "string"]


def _plain(node: JsonNode) -> Any:
    """A scalar's value; containers are reduced to their kind (rules only compare scalars)."""
    return node.value if node.kind not in ("object", "array") else node.kind
