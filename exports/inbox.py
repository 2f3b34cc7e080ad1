"""The liaison's inbox: which hand-in packages a folder holds (`expand`) and verifying all of them at once
(`verify_all`), for 联络员汇总 (exports/aggregate.py).

`verify_all` gives, for every package and in the order given, exactly the `VerifyResult` that
`exports.package.verify_package` gives for it (tests/exports/test_aggregate_parallel.py compares the two on
good, changed, incomplete, padded and unreadable packages, folders and zips). It is faster on a thousand packages
because:

- from PROCESS_MIN packages on they are verified in spawned worker processes, one per core, a few packages per
  task. In threads, each package's manifest (parsed and its checksum re-encoded: ~1 ms holding the GIL) kept the
  other threads' hashing waiting: 1,000 packages took 5.3 s in two threads against 6.2 s of work; in two
  processes 3.9 s, start-up included. The frozen app's entry scripts call multiprocessing.freeze_support() so a
  worker started from the exe runs its task and nothing else; where no process can be started, or a worker dies,
  the packages left are verified in threads;
- fewer packages are verified in a thread pool of os.cpu_count() workers (hashlib and file reads release the GIL);
- a folder is checked by `verify_folder` (exports/package/verify.py, what verify_package does for a folder):
  one listing, one open of each file, a file read and hashed in one call;
- a package that cannot be read (a disk fault, a permission refused) becomes an unreadable row naming the
  cause instead of ending the whole run.

Zips go through `verify_package` itself (in the pool), as before.
"""

from __future__ import annotations

import contextlib
import os
import queue
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool as BrokenExecutor
from pathlib import Path
from typing import Any, TypeVar, overload

from exports.package import MANIFEST, VerifyResult, verify_package
from exports.package.verify import verify_folder
from exports.report import Cancelled, ExportCancelled, Progress, never, no_progress


def expand(paths: Iterable[Path]) -> list[Path]:
    """Packages named directly, or a folder holding many package folders and zips (one level down)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir() and not (p / MANIFEST).exists():
            for child in sorted(p.iterdir()):
                if child.name.startswith("."):
                    continue
                if (child.is_dir() and (child / MANIFEST).exists()) or child.suffix.lower() == ".zip":
                    out.append(child)
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def progress_label(done: int, total: int) -> str:
    return f"已检查 {done} / 共 {total} 个报送包"


def verify_one(path: Path, password: str | None = None, cancelled: Cancelled = never) -> VerifyResult:
    """One package, folder or zip; a disk fault while reading it makes it unreadable, named, not a crash."""
    path = Path(path)
    if cancelled():
        raise ExportCancelled()
    try:
        if path.is_file() and path.suffix.lower() == ".zip":
            return verify_package(path, password=password)
        return verify_folder(path, cancelled)
    except OSError as e:
        res = VerifyResult(path)
        res.error = f"读取失败：{e.strerror or e}"
        return res


# ------------------------------------------------------------------------------------------ many

# From this many packages on, and with more than one core, they are checked in worker processes (spawned, as on
# Windows; the frozen app's entry scripts call multiprocessing.freeze_support() first): each has its own GIL, so
# one package's manifest being parsed never keeps another's hashing waiting. Fewer packages are checked in
# threads: a worker process takes ~0.2 s to start, more than a few dozen packages take.
PROCESS_MIN = 48
CHUNK = 16  # packages a worker process checks per task: progress and cancel come back at least this often


def workers() -> int:
    return max(1, os.cpu_count() or 1)


T = TypeVar("T")


def _verify_chunk(
    jobs: list[tuple[Path, str | None]], then: Callable[[VerifyResult], Any] | None = None
) -> list[Any]:
    """A worker process's task: a few packages, verified as verify_one does (each result passed through `then`,
    when given, before it is sent back)."""
    return [
        verify_one(path, password) if then is None else then(verify_one(path, password))
        for path, password in jobs
    ]


def _process_pool(n: int) -> Executor | None:
    """A pool of `n` spawned worker processes, or None where processes cannot be had here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        return ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, ImportError, NotImplementedError, ValueError):  # no semaphores, no process creation
        return None


@overload
def verify_all(
    paths: Sequence[Path],
    password_for: Callable[[Path], str | None] = ...,
    *,
    progress: Progress = ...,
    cancelled: Cancelled = ...,
    max_workers: int | None = ...,
    processes: bool | None = ...,
    then: None = ...,
) -> list[VerifyResult]: ...


@overload
def verify_all(
    paths: Sequence[Path],
    password_for: Callable[[Path], str | None] = ...,
    *,
    progress: Progress = ...,
    cancelled: Cancelled = ...,
    max_workers: int | None = ...,
    processes: bool | None = ...,
    then: Callable[[VerifyResult], T],
) -> list[T]: ...


def verify_all(
    paths: Sequence[Path],
    password_for: Callable[[Path], str | None] = lambda p: None,
    *,
    progress: Progress = no_progress,
    cancelled: Cancelled = never,
    max_workers: int | None = None,
    processes: bool | None = None,
    then: Callable[[VerifyResult], Any] | None = None,
) -> list[Any]:
    """verify_package() of every path (or then(verify_package()), `then` a module-level function: in worker
    processes it runs there, and only what it returns comes back, ~1 KB for aggregate.row_from against ~35 KB for a
    VerifyResult with its manifest), in worker processes (`processes`; None: from PROCESS_MIN packages on, with
    more than one worker) or threads; the results in the order of `paths`. progress(done, total, label) after
    each package or task (in the order they finish); cancelled() is asked between files (threads) or tasks
    (processes) and stops the run with ExportCancelled, no package left running. Should the worker processes
    fail to start or die, the packages they had not checked are checked in threads."""
    total = len(paths)
    progress(0, total, progress_label(0, total))
    if not total:
        return []
    n = max_workers or workers()
    results: list[Any] = [None] * total
    state = {"done": 0}
    if processes if processes is not None else (n > 1 and total >= PROCESS_MIN):
        procs = _process_pool(n)
        if procs is not None:
            jobs = [(Path(p), password_for(p)) for p in paths]
            chunks = [list(range(i, min(i + CHUNK, total))) for i in range(0, total, CHUNK)]
            # a worker that could not start or died: the packages not yet checked go to the threads below
            with contextlib.suppress(BrokenExecutor, OSError):
                _drain(
                    procs,
                    [(idx, _verify_chunk, ([jobs[i] for i in idx], then)) for idx in chunks],
                    results,
                    state,
                    progress,
                    cancelled,
                )
    left = [i for i, r in enumerate(results) if r is None]
    if left:
        threads = ThreadPoolExecutor(max_workers=n, thread_name_prefix="inbox")
        tasks = [([i], _one, (paths[i], password_for(paths[i]), cancelled, then)) for i in left]
        _drain(threads, tasks, results, state, progress, cancelled)
    return [r for r in results if r is not None]


def _one(
    path: Path, password: str | None, cancelled: Cancelled, then: Callable[[VerifyResult], Any] | None
) -> list[Any]:
    res = verify_one(path, password, cancelled)
    return [res if then is None else then(res)]


def _drain(
    pool: Executor,
    tasks: Sequence[tuple[list[int], Callable[..., list[Any]], tuple[Any, ...]]],
    results: list[Any],
    state: dict[str, int],
    progress: Progress,
    cancelled: Cancelled,
) -> None:
    """Run `tasks` (the indices of `results` each fills, a function, its arguments) on `pool`, reporting progress
    as they finish; shuts the pool down, waiting for what runs, however it ends."""
    total = len(results)
    finished: queue.SimpleQueue[Future[list[Any]]] = queue.SimpleQueue()
    index: dict[Future[list[Any]], list[int]] = {}
    try:
        for idx, fn, args in tasks:
            fut = pool.submit(fn, *args)
            index[fut] = idx
            fut.add_done_callback(finished.put)
        pending = len(tasks)
        while pending:
            try:
                ready: Future[list[Any]] | None = finished.get(timeout=0.2)
            except queue.Empty:
                ready = None
            if cancelled():
                raise ExportCancelled()
            if ready is None:
                continue
            pending -= 1
            for i, res in zip(index[ready], ready.result(), strict=True):
                results[i] = res
            state["done"] += len(index[ready])
            if finished.empty() or not pending:  # one report per batch the workers hand over
                progress(state["done"], total, progress_label(state["done"], total))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
