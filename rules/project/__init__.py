"""Project-level rules: health probes (item 8), the tools/list schema snapshot (item 9) and CI
gates (item 10). They join facts from Python files, deployment files and CI workflows."""

from __future__ import annotations

from typing import Iterable, Optional

from mcp_lint.model import Finding, Location, Severity


def project_finding(
    rule, location: Location, message: str, *, severity: Optional[Severity] = None, related: Iterable[Location] = (), snippet: str = ""
) -> Finding:
    """A finding built in a project rule's `check` (a Python project rule cannot be
    instantiated there: it needs a file's context)."""
    return Finding(
        rule.code, rule.name, rule.item, severity or rule.severity, location, message, rule.fix_hint,
        related=tuple(related), snippet=snippet or message,
    )


def is_repository(project) -> bool:
    """Repository-level findings (no snapshot, no protocol test) need a repository: a Git
    checkout or a project with CI, at the unit's root or above it when the run covers it (a
    server in a sub-package of a checkout, see mcp_lint/units.py). A folder of loose files (a
    scratch copy, a test's throw-away project, a sub-folder checked on its own) is not one, and
    nagging there would be noise."""
    return project.repository is not None
