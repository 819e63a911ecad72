"""A progress bar on stderr for long runs, shown only to a person at a terminal: never when
stderr is not a TTY, in CI (`CI` set), with -q, or for short runs."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Callable, Iterator, Optional

MIN_FILES = 300  # below this a run takes about a second: a bar would only flicker


def wanted(quiet: bool, stream=None, environ=None) -> bool:
    stream = sys.stderr if stream is None else stream
    environ = os.environ if environ is None else environ
    isatty = getattr(stream, "isatty", None)
    return not quiet and not environ.get("CI") and bool(isatty and isatty())


@contextlib.contextmanager
def bar(enabled: bool, stream=None) -> Iterator[Optional[Callable[[int, int], None]]]:
    """Yields a `progress(done, total)` callback for `engine.run`, or None when disabled."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr if stream is None else stream, force_terminal=True)
    progress = Progress(
        TextColumn("mcp-lint"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True
    )
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if total < MIN_FILES:
            return
        if task is None:
            progress.start()
            task = progress.add_task("lint", total=total)
        progress.update(task, completed=done)

    try:
        yield update
    finally:
        if task is not None:
            progress.stop()
