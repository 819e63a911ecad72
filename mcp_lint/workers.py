"""Worker processes for a run: started on first use of a large batch, shared by the run's
phases, and never allowed to hang the run or lose its report.

- A worker that dies (a crash in native code, the memory cap, `kill -9`) breaks the pool; a
  worker that is stopped (SIGSTOP) or stuck in native code makes no progress. Either way the
  workers are killed and the items not yet done are run again one at a time in a fresh
  single-worker pool, so that an item that kills its worker again is identified and reported
  through `on_failure` (for a file: skipped, "the worker process analysing it died"), while
  every other item still gets its result.
- No worker outlives the parent. SIGTERM or SIGINT to the parent kills the workers it knows,
  then SIGTERM ends the parent by that signal at once and SIGINT raises KeyboardInterrupt: from
  the handler when the main thread is outside the pool, else from our own code once the pool's
  call returns or polls. An exception raised from a signal handler can land anywhere: inside the
  pool's start-up (an at-fork hook, a `__del__`) Python drops it, so the run used to carry on and
  wait for the workers it had just killed; inside `wait()` it can leave a future's lock held, and
  the interpreter's exit then waits forever for the pool's thread blocked on that lock. On Linux each
  worker forked by the main thread also asks the kernel to kill it when the parent dies
  (`PR_SET_PDEATHSIG`), which covers a worker forked but not yet registered when the signal came,
  and a parent killed with SIGKILL.
  Workers do not keep the parent's handlers: a SIGTERM to the process group ends each of them
  alone, instead of running the parent's handler on a copy of its worker table.
- Each worker caps its own address space (`budget.cap_worker_memory`); the parent's is never
  touched.
- The default number of workers is the number of CPUs this process may run on (CPU
  affinity, a container's cpuset), not the machine's core count."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
import time
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from mcp_lint import gc_tuning
from mcp_lint.budget import FILE_SECONDS, cap_worker_memory

PARALLEL_THRESHOLD = 24  # below this many items a process pool costs more than it saves
MAX_CHUNK = 32
POLL_SECONDS = 0.5
# Stalls are judged on the workers' CPU time, not the clock, so that a loaded machine does not
# pass for a stuck worker: a worker that uses no CPU for IDLE_SECONDS while work is pending is
# blocked; workers that use more CPU than STALL_CPU_PER_FILE per file of their tasks without
# finishing one are stuck in native code (each file's own budget inside the worker, in Python,
# stops everything else long before).
IDLE_SECONDS = 120
STALL_CPU_PER_FILE = FILE_SECONDS * 3
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

_MISSING = object()


def available_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


_PR_SET_PDEATHSIG = 1


def _init_worker(parent: Optional[int]) -> None:
    """`parent`: the pid of the process whose main thread forked this worker, else None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills us on Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    if parent is not None:
        _die_with_parent(parent)
    cap_worker_memory()
    gc.set_threshold(*gc_tuning.THRESHOLD)


def _die_with_parent(parent: int) -> None:
    """The kernel's signal goes when the *thread* that forked ends, hence main-thread forks only."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError, TypeError):  # not Linux: the parent's signal handler is all there is
        return
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def guided_batches(count: int, jobs: int, queued: int = 0) -> List[List[int]]:
    """Indexes 0..count-1 in batches that shrink as the work runs out (guided scheduling): large
    batches first (fewer round trips to the workers), then smaller ones down to single items,
    so that no worker is left with a long batch while the others have nothing to do. `queued`:
    items already handed to the workers ahead of these (the work left is theirs too)."""
    batches, start = [], 0
    while start < count:
        size = max(1, min(MAX_CHUNK, (count - start + queued) // (jobs * 4)))
        batches.append(list(range(start, min(start + size, count))))
        start += size
    return batches


def _run_chunk(func: Callable, items: Sequence, constants: Tuple) -> List:
    return [func(item, *constants) for item in items]


def _kill_all(pool: ProcessPoolExecutor) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError, ValueError):
            pass


def _call(task: Tuple[Callable, Any, int]) -> Any:
    return task[0](task[1])


class Stream:
    """Tasks of several kinds run by the same workers: each batch of items comes with its own
    callbacks, and a callback may add more (a project unit's files, once its model is built),
    which join the run under way rather than wait for the others to finish."""

    def __init__(self, workers: "Workers"):
        self.workers = workers
        self._tasks: List[Tuple[Callable, Any, int]] = []  # not yet run: (func, item, handler key)
        self._handlers: Dict[int, Tuple[int, Callable[[int, Any], None], Callable[[Any, str], Any]]] = {}
        self._keys = 0

    def add(
        self, func: Callable, items: Sequence, on_result: Callable[[int, Any], None],
        on_failure: Callable[[Any, str], Any],
    ) -> None:
        """`func(item)` for each item (func picklable); callbacks as for `Workers.map`, with
        the item's index within `items`."""
        for index, item in enumerate(items):
            self._tasks.append((func, item, self._keys))
            self._handlers[self._keys] = (index, on_result, on_failure)
            self._keys += 1

    def run(self, on_started: Optional[Callable[[], None]] = None) -> None:
        """Until no task is left: tasks added by the callbacks included."""
        while self._tasks:
            tasks = self._tasks
            done = self.workers.map(
                _call, tasks, on_result=lambda position, value: self._result(tasks[position], value),
                on_failure=self._failure, on_started=on_started,
            )
            on_started = None
            self._tasks = tasks[len(done):]  # added by a callback in a run without workers

    def _result(self, task, value) -> None:
        index, on_result, _ = self._handlers.pop(task[2])
        on_result(index, value)

    def _failure(self, task, why: str) -> Any:
        return self._handlers[task[2]][2](task[1], why)


class PoolFailed(Exception):
    """The pool broke (a worker died) or stalled (a worker stopped or stuck)."""


class Workers:
    """`map(func, items, *constants)`: `func(item, *constants)` for every item, in order."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool: Optional[ProcessPoolExecutor] = None
        self._previous_handlers: Dict[int, Any] = {}
        self._interrupted = False  # SIGINT came: no more pools, whatever swallowed the exception
        self._pool_depth = 0  # > 0 while the main thread is inside the pool's machinery
        self._on_result: Callable[[int, Any], None] = lambda index, value: None
        self._on_started: Callable[[], None] = lambda: None

    # -- the one public operation ------------------------------------------------------------

    def map(
        self,
        func: Callable,
        items: Sequence,
        *constants,
        on_result: Optional[Callable[[int, Any], None]] = None,
        on_failure: Optional[Callable[[Any, str], Any]] = None,
        on_started: Optional[Callable[[], None]] = None,
    ) -> List:
        """`on_result(index, value)` is called once per item as its result arrives (progress,
        or work on the results so far while the workers go on with the others);
        `on_failure(item, why)` gives the result of an item whose worker died on it;
        `on_started()` once the workers have their items (work of the caller's own meanwhile).
        Items a callback appends to `items` while the workers run are run too, by the same
        workers; in a run without workers they are left to the caller (`Stream`). Returns the
        results of the items run, in order."""
        self._on_result = on_result or (lambda index, value: None)
        self._on_started = on_started or (lambda: None)
        count = len(items)
        if self.jobs <= 1 or count < PARALLEL_THRESHOLD:
            self._started()
            results = []
            for index in range(count):
                results.append(func(items[index], *constants))
                self._on_result(index, results[-1])
            return results
        results: List[Any] = [_MISSING] * count
        batches = guided_batches(count, self.jobs)
        with self._inside_pool():
            try:
                self._run(self._pool(), func, items, constants, batches, results)
            except PoolFailed:
                self._kill()
                self._isolate(func, items, constants, results, on_failure)
        return results

    # -- running and watching ----------------------------------------------------------------

    def _pool(self, jobs: Optional[int] = None) -> ProcessPoolExecutor:
        self._check_interrupt()
        if self.pool is None:
            context = multiprocessing.get_context()
            forked_here = context.get_start_method() == "fork" and threading.current_thread() is threading.main_thread()
            parent = os.getpid() if forked_here else None
            self.pool = ProcessPoolExecutor(
                max_workers=jobs or self.jobs, mp_context=context, initializer=_init_worker, initargs=(parent,)
            )
        return self.pool

    def _check_interrupt(self) -> None:
        if self._interrupted:
            raise KeyboardInterrupt

    @contextmanager
    def _inside_pool(self, check: bool = True) -> Iterator[None]:
        """While the main thread works the pool, Ctrl-C is raised here, at the end, or by the
        polling loop's `_check_interrupt`, never by the handler: raised wherever the signal
        lands, it could leave a future's lock held (`wait()` takes them all one by one), and
        the pool's manager thread, which the interpreter joins at exit, would wait for it forever."""
        self._pool_depth += 1
        try:
            yield
        finally:
            self._pool_depth -= 1
        if check:
            self._check_interrupt()

    def _run(
        self, pool: ProcessPoolExecutor, func, items, constants, batches: List[List[int]], results: List, grow: bool = True,
    ) -> None:
        """`grow`: items appended meanwhile are submitted as they come (not while isolating one item)."""
        futures: Dict[Future, List[int]] = {}
        workers = getattr(pool, "_max_workers", self.jobs)

        def submit(new: List[List[int]]) -> float:
            """Submits the batches; returns the CPU time past which they count as stuck."""
            for batch in new:
                try:
                    futures[pool.submit(_run_chunk, func, [items[i] for i in batch], constants)] = batch
                except BrokenProcessPool:  # a worker died on a batch submitted a moment before
                    raise PoolFailed("a worker process died") from None
            return STALL_CPU_PER_FILE * max(len(batch) for batch in new) * workers

        cpu_limit = submit(batches)
        pending = set(futures)
        self._started()
        cpu = cpu_at_progress = self._worker_cpu()
        busy = time.monotonic()  # when the workers last used CPU
        while pending:
            done, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            self._check_interrupt()
            now_cpu = self._worker_cpu()
            if now_cpu != cpu or done:
                busy = time.monotonic()
            cpu = now_cpu
            for future in done:
                try:
                    values = future.result()
                except BrokenProcessPool:
                    raise PoolFailed("a worker process died") from None
                for index, value in zip(futures[future], values):
                    results[index] = value
                    self._on_result(index, value)
                cpu_at_progress = cpu
            if grow and len(items) > len(results):
                first = len(results)
                results.extend([_MISSING] * (len(items) - first))
                queued = sum(len(futures[future]) for future in pending)
                added = [[first + i for i in batch] for batch in guided_batches(len(items) - first, self.jobs, queued)]
                submitted = len(futures)
                cpu_limit = max(cpu_limit, submit(added))
                pending.update(list(futures)[submitted:])  # the futures just added (a dict keeps their order)
            if pending and (self._stopped_worker() or time.monotonic() - busy > IDLE_SECONDS or cpu - cpu_at_progress > cpu_limit):
                raise PoolFailed("a worker process stopped or stalled")

    def _started(self) -> None:
        started, self._on_started = self._on_started, lambda: None  # once per map
        started()

    def _isolate(self, func, items, constants, results: List, on_failure) -> None:
        """One item at a time in a single-worker pool, restarted after each failure (items
        appended meanwhile included)."""
        index = -1
        while index + 1 < len(items):
            index += 1
            item = items[index]
            if index == len(results):
                results.append(_MISSING)
            if results[index] is not _MISSING:
                continue
            try:
                self._run(self._pool(jobs=1), func, items, constants, [[index]], results, grow=False)
            except PoolFailed as exc:
                self._kill()
                if on_failure is None:
                    raise RuntimeError(f"{exc} and no fallback was given") from None
                results[index] = on_failure(item, f"{exc} while working on it")
                self._on_result(index, results[index])

    def _worker_cpu(self) -> float:
        """CPU seconds used so far by the pool's workers (user and system, from /proc)."""
        total = 0
        for process in list(getattr(self.pool, "_processes", {}).values()):
            try:
                with open(f"/proc/{process.pid}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
            except (OSError, IndexError, ValueError):
                continue
        return total / _TICKS

    def _stopped_worker(self) -> bool:
        for process in list(getattr(self.pool, "_processes", {}).values()):
            try:
                with open(f"/proc/{process.pid}/stat", "rb") as handle:
                    state = handle.read().rsplit(b")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state in (b"T", b"t", b"Z"):  # stopped, traced, or dead and not yet reaped
                return True
        return False

    def _kill(self) -> None:
        """Kill the workers (a stopped one too) and forget the pool."""
        pool, self.pool = self.pool, None
        if pool is None:
            return
        _kill_all(pool)
        try:
            pool.shutdown(wait=False, cancel_futures=True)
        except Exception:  # a broken pool may complain on shutdown; it is gone either way
            pass
        _kill_all(pool)  # a worker spawned while the first round ran (a signal during a submit)
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.join(timeout=5)  # reap them: a killed worker must not linger as a zombie

    # -- lifetime ------------------------------------------------------------------------------

    def __enter__(self) -> "Workers":
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                try:
                    self._previous_handlers[signum] = signal.signal(signum, self._on_signal)
                except (ValueError, OSError):
                    pass
        return self

    def _on_signal(self, signum, frame) -> None:
        # Only signals and raises here: the main thread may be inside the pool, holding its
        # locks (a shutdown from here would deadlock).
        try:
            pids = list(getattr(self.pool, "_processes", None) or ())
        except RuntimeError:  # the pool's manager thread changed the table meanwhile
            pids = []
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if signum == signal.SIGINT:
            self._interrupted = True  # __exit__ reaps and shuts down as the exception unwinds
            if self._pool_depth == 0:
                raise KeyboardInterrupt
            return  # raised by `_inside_pool` once the pool's locks are let go
        # SIGTERM: end now, by that signal, as if this handler were not there. An exception
        # would not do: raised inside an at-fork hook or a finaliser it is printed and dropped.
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)
        os._exit(128 + signum)  # only if the signal is blocked in this thread

    def __exit__(self, exc_type, *exc) -> None:
        try:
            with self._inside_pool(check=exc_type is None):  # an exception on its way out stays the one
                if exc_type is not None:
                    self._kill()
                elif self.pool is not None:
                    self.pool.shutdown()
                    self.pool = None
        finally:
            for signum, handler in self._previous_handlers.items():
                signal.signal(signum, handler)
            self._previous_handlers.clear()
