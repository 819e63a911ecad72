"""What one file may cost: wall-clock time in the process that lints it, and memory in worker
processes. Past either, the file is reported as skipped ("too expensive") instead of hanging
the run or taking the machine's memory.

The time budget is an interval timer (SIGALRM) armed around the work on one file; its handler
raises `TooExpensive`, a BaseException so that no `except Exception` in a parser or rule can
swallow it. It needs the main thread of a POSIX process: elsewhere (an editor's worker thread)
the per-file gates of each parser still bound the work, only the catch-all is missing. A long
call into native code (libcst's parser) is interrupted when it returns; the parent's per-task
timeout (`workers.py`) covers a worker that never returns.

The memory cap (RLIMIT_AS) is set in worker processes only, never in the user's process (an
editor or a test runner that imports mcp-lint)."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from typing import Iterator

FILE_SECONDS = float(os.environ.get("MCP_LINT_FILE_SECONDS", "10"))
WORKER_MEMORY_BYTES = int(os.environ.get("MCP_LINT_WORKER_MEMORY", str(3 << 30)))


class TooExpensive(BaseException):
    """Work on one file went past its budget."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _can_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def file_budget(seconds: float = FILE_SECONDS) -> Iterator[None]:
    """Raise TooExpensive in the block once `seconds` have passed. An interval timer the host
    process armed itself (a test runner's timeout) is left alone when it fires first, and
    re-armed with its remaining time afterwards."""
    if seconds <= 0 or not _can_time():
        yield
        return
    outer = signal.getitimer(signal.ITIMER_REAL)
    if outer[0] and outer[0] <= seconds:
        yield
        return

    def expired(signum, frame):
        raise TooExpensive(f"analysis took longer than {seconds:g} s")

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0]:
            signal.setitimer(signal.ITIMER_REAL, max(outer[0] - (time.monotonic() - started), 0.001), outer[1])


def cap_worker_memory(limit: int = WORKER_MEMORY_BYTES) -> None:
    """In a worker process: past `limit` bytes of address space, allocations fail (MemoryError)
    instead of the machine swapping."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass
