"""The liaison's inbox: which hand-in packages a folder holds (`expand`) and verifying all of them at once
(`verify_all`), for 联络员汇总 (exports/aggregate.py).

`verify_all` gives, for every package and in the order given, exactly the `VerifyResult` that
`exports.package.verify_package` gives for it (tests/exports/test_aggregate_parallel.py compares the two on
good, changed, incomplete, padded and unreadable packages). It is faster on a thousand packages because:

- packages are verified in a thread pool of os.cpu_count() workers: hashlib and file reads release the GIL,
  so the hashing of one package runs while another's manifest is parsed;
- a folder is checked by `verify_folder` (exports/package/verify.py, what verify_package does for a folder):
  one listing, one open of each file, one reusable read buffer per thread;
- a package that cannot be read (a disk fault, a permission refused) becomes an unreadable row naming the
  cause instead of ending the whole run.

Zips go through `verify_package` itself (in the pool), as before.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

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


def workers() -> int:
    return max(1, os.cpu_count() or 1)


def verify_all(
    paths: Sequence[Path],
    password_for: Callable[[Path], str | None] = lambda p: None,
    *,
    progress: Progress = no_progress,
    cancelled: Cancelled = never,
    max_workers: int | None = None,
) -> list[VerifyResult]:
    """verify_package() of every path, in a thread pool; the results in the order of `paths`. progress(done,
    total, label) after each package (in the order they finish); cancelled() is asked between files and stops
    the run with ExportCancelled, no package left running."""
    total = len(paths)
    progress(0, total, progress_label(0, total))
    results: list[VerifyResult | None] = [None] * total
    if not total:
        return []
    finished: queue.SimpleQueue[Future[VerifyResult]] = queue.SimpleQueue()
    pool = ThreadPoolExecutor(max_workers=max_workers or workers(), thread_name_prefix="inbox")
    index: dict[Future[VerifyResult], int] = {}
    try:
        for i, p in enumerate(paths):
            fut = pool.submit(verify_one, p, password_for(p), cancelled)
            index[fut] = i
            fut.add_done_callback(finished.put)
        done = 0
        while done < total:
            try:
                ready: Future[VerifyResult] | None = finished.get(timeout=0.2)
            except queue.Empty:
                ready = None
            if cancelled():
                raise ExportCancelled()
            if ready is None:
                continue
            results[index[ready]] = ready.result()
            done += 1
            if finished.empty() or done == total:  # one report per batch the workers hand over
                progress(done, total, progress_label(done, total))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [r for r in results if r is not None]
