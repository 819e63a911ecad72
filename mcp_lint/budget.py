"""What one file may cost: CPU time in the process that lints it, and memory in worker
processes. Past either, the file is reported as skipped ("too expensive") instead of hanging
the run or taking the machine's memory.

The time budget is a CPU-time interval timer (ITIMER_PROF, SIGPROF) armed around the work on
one file: CPU time, not wall-clock time, so that a loaded machine (CI runners, eight jobs on two
cores) does not turn a slow but legitimate file into a skipped one from run to run. Work that
blocks without using the CPU cannot happen in a file's analysis (the bounded reader opens no
FIFO or device); a worker stuck anyway is the parent's per-task timeout's. Its handler
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


TIMER = getattr(signal, "ITIMER_PROF", None)
SIGNAL = getattr(signal, "SIGPROF", None)


class TooExpensive(BaseException):
    """Work on one file went past its budget."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _can_time() -> bool:
    return TIMER is not None and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def file_budget(seconds: float = FILE_SECONDS) -> Iterator[None]:
    """Raise TooExpensive in the block once `seconds` have passed. An interval timer the host
    process armed itself (a test runner's timeout) is left alone when it fires first, and
    re-armed with its remaining time afterwards."""
    if seconds <= 0 or not _can_time():
        yield
        return
    outer = signal.getitimer(TIMER)
    if outer[0] and outer[0] <= seconds:
        yield
        return

    def expired(signum, frame):
        raise TooExpensive(f"analysis took more than {seconds:g} s of CPU time")

    started = time.process_time()
    previous = signal.signal(SIGNAL, expired)
    signal.setitimer(TIMER, seconds)
    try:
        yield
    finally:
        signal.setitimer(TIMER, 0)
        signal.signal(SIGNAL, previous)
        if outer[0]:
            signal.setitimer(TIMER, max(outer[0] - (time.process_time() - started), 0.001), outer[1])


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
