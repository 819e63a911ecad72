"""Look-ups on disk remembered for the length of one engine run.

Project rules run once per project unit, and some of them search the whole repository (test
files, shell scripts): in a monorepo of sixty packages the same repository was walked and its
test files read sixty times per run. The tree does not change during a run, so a function
marked `@per_run` computes its answer once per run and argument; outside a run (a rule called
directly, tests) and in the next run (the language server's next pass) it computes afresh."""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, Optional, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
_memo: Optional[Dict[Any, Any]] = None  # None outside a run


@contextmanager
def scope() -> Iterator[None]:
    """One engine run; nested scopes share the outer one's answers."""
    global _memo
    if _memo is not None:
        yield
        return
    _memo = {}
    try:
        yield
    finally:
        _memo = None


def per_run(func: F) -> F:
    """Remember `func(*args)` (hashable arguments, an immutable result) for the current run."""

    @functools.wraps(func)
    def wrapper(*args):
        if _memo is None:
            return func(*args)
        key = (wrapper, args)
        if key not in _memo:
            _memo[key] = func(*args)
        return _memo[key]

    return wrapper  # type: ignore[return-value]
