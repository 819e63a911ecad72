"""Where a project-level finding lands, and the evidence it carries (issue #9, "placement").

A finding about the whole server (no auth, no rate limit, no health route, plain-text logs) is
reported at the call that starts the server, once per launch, in the module that runs it, and
points at what the project model used to reach it: where the server is built, where its
transport is chosen, the ASGI app the launch serves. Rules hand in their candidate places
(Findings or Locations, in their own order); the model decides which of them are launches. A
demo's launch (`examples/`, `example_server.py`) is reported only when the project launches
no server elsewhere.

The project model is read through the object the engine passes."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from mcp_lint.config import NON_PRODUCTION_DIRS
from mcp_lint.model import Finding, Location
from mcp_lint.python.project_model import from_other_package

HTTP_LIKE = ("http", "dynamic")


def at_launches(candidates: List, project, transports: Sequence[str] = HTTP_LIKE, per_app: bool = False, fallback: bool = True) -> List:
    """Of the candidate places (Findings or Locations, in the rule's own order), those at a
    call that starts a serving entrypoint on one of `transports`, one per launch; Findings get
    the launch's evidence as related locations. `per_app`: one per served app instead (its
    other launches, e.g. the sse and http branches of one entrypoint, become related
    locations). When the project model knows none of them, the rule's first candidate as before
    (with `fallback=False`, none: the rule then places the finding itself)."""
    # A module of another package that joined the unit through an import launches that
    # package's server, not this unit's (mcp_lint/python/project_model.py from_other_package).
    candidates = [c for c in candidates if not from_other_package(getattr(c, "location", c).path)]
    # A demo's launch of the same app is the real launch's related location, not the other way.
    candidates.sort(key=lambda c: demo_file(getattr(c, "location", c).path))
    if not candidates:
        return []  # before asking for the model: it may be built on first use (engine.Project)
    model = getattr(project, "model", None)
    if model is not None:  # a call the model found serving another web app of the project is no launch
        candidates = [c for c in candidates if (getattr(c, "location", c).path, getattr(c, "location", c).line) not in model.other_apps]
    first = candidates[:1] if fallback else []
    if model is None:
        return first
    servings = [s for s in model.serving_entrypoints() if s.transport in transports]
    launches = _launches(servings)
    chosen: List = []
    apps: Dict[str, int] = {}  # served app -> index in chosen
    seen = set()
    for candidate in candidates:
        location = getattr(candidate, "location", candidate)
        key = (location.path, location.line)
        if key not in launches or key in seen:
            continue
        seen.add(key)
        app = launches[key][0]
        if per_app and app in apps:
            index = apps[app]
            also = replace(location, message=f"the same app is also launched here ({launches[key][1]})")
            chosen[index] = _add_related(chosen[index], [also])
            continue
        apps[app] = len(chosen)
        chosen.append(_add_related(candidate, launch_evidence(model, key, servings)))
    shipped = [c for c in chosen if not demo_file(getattr(c, "location", c).path)]
    return (shipped or chosen) or first


# `example_auth_server.py`, `demo_server.py`, `server_example.py`: a demo beside the real server.
_DEMO_NAME = re.compile(r"^(?:example|examples|demo|sample)_|_(?:example|demo|sample)$")


def demo_file(path: str) -> bool:
    """A file under examples/, demos/, tests/ ..., or named as an example: when the project
    also launches a server elsewhere, findings about the server land at that real launch."""
    parts = path.split("/")
    return bool(NON_PRODUCTION_DIRS.intersection(parts[:-1])) or bool(_DEMO_NAME.search(parts[-1].rsplit(".", 1)[0]))


def launch_evidence(model, key: Tuple[str, int], servings: Sequence) -> List[Location]:
    """Related locations for a finding at the launch `key` (rel, line) of one of `servings`
    (the model's serving entrypoints): the server construction, the app or transport the
    launch serves, the binding that chooses the transport."""
    found: List[Location] = []
    for serving in servings:
        launch = serving.launch
        if (launch.rel, launch.call.line) != key:
            continue
        server = serving.server
        if server is not None and not server.id.startswith("jsonrpc:"):
            found.append(_point((server.rel, server.line), f"MCP server `{server.name}` built here"))
        if launch.app is not None:
            found.append(_point((launch.rel, launch.app.line), "the app or MCP transport this launch serves is created here", launch.app.col))
        choice = model.transport_binding(launch)
        if choice is not None:
            found.append(_point(choice, "transport chosen here"))
    unique: List[Location] = []
    for location in found:
        if (location.path, location.line) != key and all((u.path, u.line) != (location.path, location.line) for u in unique):
            unique.append(location)
    return unique


def loaded_modules(project, rel: str) -> Set[str]:
    """The project modules a process started from module `rel` imports, transitively (imports
    inside functions too, and parent packages): where its logging may be configured."""
    model = getattr(project, "model", None)
    if model is None or rel not in model.modules:
        return {rel}
    seen: Set[str] = set()
    pending = [rel]
    while pending:
        current = pending.pop()
        if current in seen or current not in model.modules:
            continue
        seen.add(current)
        summary = model.modules[current]
        names = [target for unit in (summary.module, *summary.functions) for _, target in unit.imports]
        parts = current[:-3].split("/") if current.endswith(".py") else []
        names += [".".join(parts[:i]) for i in range(1, len(parts))]
        for name in names:
            found = model.imported_rel(name, current)
            if found:
                pending.append(found)
    return seen


def _launches(servings: Sequence) -> Dict[Tuple[str, int], Tuple[str, str]]:
    """(rel, line) of each launch -> (the app it serves, its transport). The app is the server
    when the model knows it, else the function that launches (its pieces serve one app)."""
    found: Dict[Tuple[str, int], Tuple[str, str]] = {}
    for serving in servings:
        launch = serving.launch
        app = launch.server or f"{launch.rel}:{launch.unit}"
        found.setdefault((launch.rel, launch.call.line), (app, serving.transport))
    return found


def _point(key: Tuple[str, int], message: str, col: Optional[int] = None) -> Location:
    rel, line = key
    column = col + 1 if col is not None else 1
    return Location(rel, line, column, line, column, message)


def _add_related(candidate, related: Iterable[Location]):
    if not isinstance(candidate, Finding):
        return candidate
    extra = [r for r in related if r not in candidate.related]
    return replace(candidate, related=(*candidate.related, *extra)) if extra else candidate
