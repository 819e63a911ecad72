"""The project-wide part of the MCP model: functions defined in one module and registered as
tools in another (`from .tools import find; mcp.tool(name="find")(find)`).

Built before the per-file phase from the few files whose text shows a registration call, so
that the module defining `find` knows it is tool code when its own rules run."""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Tuple

from mcp_lint.documents.python import PythonDocument
from mcp_lint.documents import mentions_mcp
from mcp_lint.python.mcp_model import ExternalRegistration, build_model

# Calls that can register a function object by name (decorator syntax registers local functions
# only): `add_tool(fn`, `.tool(fn`, `from_function(fn`, `.tool(name="x")(fn`, `on_call_tool=fn`,
# `tools=[fn`. Only files matching this are parsed for the index.
REGISTRATION_HINT = re.compile(
    r"(?:add_tool|\.tool|from_function)\s*\(\s*[A-Za-z_][\w.]*\s*[,)]"
    r"|\.tool\s*\([^()]*\)\s*\(\s*[A-Za-z_]"
    r"|\)\s*\(\s*[A-Za-z_][\w.]*\s*\)"  # `mcp.tool(annotations=X(...))(fn)`
    r"|on_call_tool\s*=\s*[A-Za-z_]"
    r"|\btools\s*=\s*[\[(]\s*[A-Za-z_]"
)


def module_names(rel: str) -> List[str]:
    """Every dotted name the file could be imported as: `src/pkg/tools.py` -> pkg.tools, tools, ..."""
    parts = rel[:-3].split("/") if rel.endswith(".py") else rel.split("/")
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return [".".join(parts[i:]) for i in range(len(parts)) if parts[i:]]


def registrations_in(rel: str, text: str, package: str) -> List[ExternalRegistration]:
    if not (REGISTRATION_HINT.search(text) and mentions_mcp(text.encode("utf-8", "surrogatepass"))):
        return []
    document = PythonDocument(rel, text)  # its parse guards libcst against crashing nesting
    try:
        document.parse()
        return build_model(document.module, package).external_registrations
    except Exception:  # unparsable or too deep files are reported by the per-file phase
        return []


class ProjectIndex:
    def __init__(self, registrations: Iterable[ExternalRegistration] = ()):
        self.by_module: Dict[str, List[ExternalRegistration]] = {}
        for registration in registrations:
            self.by_module.setdefault(registration.module, []).append(registration)

    def registered_in(self, rel: str) -> Tuple[ExternalRegistration, ...]:
        found: List[ExternalRegistration] = []
        for name in module_names(rel):
            found.extend(self.by_module.get(name, ()))
        return tuple(found)

    def __bool__(self) -> bool:
        return bool(self.by_module)
