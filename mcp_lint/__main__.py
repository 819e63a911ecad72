"""`python -m mcp_lint`.

For `-m`, Python puts the current directory first on sys.path. Run inside the repository being
linted, that would let the target's own modules (a `random.py`, a `rules/` package) shadow the
standard library or ours, and run on import. The directory is dropped before anything else is
imported, unless mcp_lint itself is loaded from there (a source checkout).

What this file cannot do: Python resolves the package `mcp_lint` itself before running it, so a
target with its own `mcp_lint/` package, linted with `python -m mcp_lint` from inside it, runs
that package and never this file. The `mcp-lint` command and `python -P -m mcp_lint` (Python
3.11+, or PYTHONSAFEPATH=1) do not put the current directory on sys.path; the README says to use
them on untrusted checkouts (tests/test_hostile.py checks both)."""

import os
import sys

_HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_CWD = os.getcwd()
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _CWD or _CWD == _HOME]

from mcp_lint.cli import main  # noqa: E402  (after the sys.path fix, on purpose)

raise SystemExit(main())
