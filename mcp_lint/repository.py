"""What a repository and a package are to mcp-lint (mcp_lint/units.py explains what it is used for). Kept apart
from units.py, which loads the configuration machinery: the whole-run cache asks before anything
else is imported (mcp_lint/run_cache.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

PACKAGE_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "package.json")
CONFIG_NAMES = ("mcp-lint.toml", ".mcp-lint.toml")


def repository_root(folder: Path) -> Optional[Path]:
    """The nearest folder upward holding `.git` (a directory, or a file in a worktree)."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def holds_repository(folder: Path) -> bool:
    """A Git checkout or a project with CI at this folder."""
    return (
        os.path.lexists(folder / ".git")
        or os.path.isdir(folder / ".github" / "workflows")
        or os.path.isfile(folder / ".gitlab-ci.yml")
    )


def is_package(folder: Path) -> bool:
    """A package folder, or one with its own mcp-lint configuration (a project the user set apart).
    A `setup.py` beside an `__init__.py` is a module of an import package (`app/setup.py` for a
    first-run wizard), not a distribution's build script."""
    return any(
        os.path.isfile(folder / marker) and not (marker == "setup.py" and os.path.isfile(folder / "__init__.py"))
        for marker in (*PACKAGE_MARKERS, *CONFIG_NAMES)
    )
