"""Which functions run at startup, before the server serves its first request.

A function runs at startup when the serving process calls it before it starts serving:

- at import time: a module-level statement of a module the process imports calls it
  (`DB_INFO = get_db_info()`), directly or through other functions;
- from an entrypoint (`main()`, a `__main__` module, a main guard, a script): a statement before
  the one that starts the server (`args = create_parser().parse_args()`, `get_client(args)`
  before `mcp.run()`), and in the serving statement, the calls that are not the launch itself.

Registered tool handlers never count: the framework calls them per request. A helper that tool
code also calls but that startup runs first (a client factory main() warms, a connection made at
import) reads its configuration at startup, so a missing value fails the start, not the first call.

Built from the project model's call graph (`ProjectModel.edges`), bounded by the graph's size.
"""

from __future__ import annotations

from typing import List, Set

from mcp_lint.python.file_summary import Statement

MAX_DEPTH = 12


def startup_units(model) -> Set[tuple]:
    """The (rel, qualname) keys of the functions (and module bodies) that run at startup."""
    return _Startup(model).run()


class _Startup:
    def __init__(self, model):
        self.m = model
        self.handlers = {(r.rel, r.qualname) for r in model.registrations}
        self.found: Set[tuple] = set()
        self.loaded: Set[str] = set()
        self.loaded_names: Set[tuple] = set()  # (dotted import, importing folder) already followed

    def run(self) -> Set[tuple]:
        for entry in self.m.entrypoints():
            self.load(entry.rel, entry=not entry.qualname)
            for key in self.m.entry_units((entry.rel, entry.qualname)):
                if key[1]:  # a module body entry was walked by load()
                    self.until_serving(key, 0)
        for registration in self.m.registrations:
            self.load(registration.rel)  # the module that defines a tool is imported to register it
        return self.found

    def load(self, rel: str, entry: bool = False) -> None:
        """A module the process imports: its top-level statements run (its main guard only when
        it is the entry module), and so do the modules it imports."""
        if rel in self.loaded or rel not in self.m.modules:
            return
        self.loaded.add(rel)
        summary = self.m.modules[rel]
        self.found.add((rel, ""))
        self._suite((rel, ""), [s for s in summary.module.body if entry or not s.main_guard], 0)
        self._load_imports(summary.module.imports, rel)

    def until_serving(self, key, depth: int) -> None:
        unit = self.m.units.get(key)
        if unit is None or depth > MAX_DEPTH or key in self.handlers:
            return
        self.found.add(key)
        self._suite(key, unit.body, depth)

    def _suite(self, key, statements: List[Statement], depth: int) -> bool:
        """Walk statements in order; True once one of them starts serving (the rest runs after)."""
        for statement in statements:
            if self._serves(key, statement):
                self._factories(key, statement)
                for index in statement.calls:
                    for target in self.m.edges[key][index][1]:
                        if self.m.reach.get(target):
                            self.until_serving(target, depth + 1)
                        else:
                            self.whole(target)
                for suite in statement.suites:
                    self._suite(key, suite, depth)
                return True
            for index in _all_calls(statement):
                for target in self.m.edges[key][index][1]:
                    self.whole(target)
        return False

    def _factories(self, key, statement: Statement) -> None:
        """`uvicorn.run("pkg.app:create_app", factory=True)`: the server calls the factory, all of
        it, before it serves (building the app, its settings, its routes)."""
        calls = set(_all_calls(statement))
        for serve in self.m.serves.get(key, ()):
            if any(self.m.edges[key][index][0] == serve.call for index in calls):
                factory = self.m.factory_named(serve)
                if factory is not None:
                    self.whole(factory)

    def whole(self, key) -> None:
        """A function called before serving: everything it calls runs then too."""
        pending = [key]
        while pending:
            current = pending.pop()
            if current in self.found or current in self.handlers or current not in self.m.units:
                continue
            self.found.add(current)
            for _, targets, _ in self.m.edges.get(current, ()):
                pending.extend(targets)
            self._load_imports(self.m.units[current].imports, current[0])

    def _load_imports(self, imports, rel: str) -> None:
        folder = rel.rpartition("/")[0]
        for _, target in imports:
            if (target, folder) in self.loaded_names:
                continue
            self.loaded_names.add((target, folder))
            found = self.m.imported_rel(target, rel)
            if found:
                self.load(found)

    def _serves(self, key, statement: Statement) -> bool:
        if not self.m.reach.get(key):
            return False  # nothing this unit runs or calls serves
        edges = self.m.edges[key]
        launches = {serve.call for serve in self.m.serves.get(key, ())}
        for index in _all_calls(statement):
            call, targets, _ = edges[index]
            if call in launches or any(self.m.reach.get(t) for t in targets):
                return True
        return False


def _all_calls(statement: Statement) -> List[int]:
    found = list(statement.calls)
    for suite in statement.suites:
        for inner in suite:
            found.extend(_all_calls(inner))
    return found
