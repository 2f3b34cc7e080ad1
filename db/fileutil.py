"""Write files whole or not at all, and say plainly when the disk would not let us.

`atomic_path` gives a temporary name in the target's folder; the caller writes there; it is fsynced and renamed
over the target. Any failure on the way (a full disk, a stick pulled out, a read-only folder, SQLite's own
"disk is full"/"disk I/O error") removes the temporary file and its SQLite side files, leaves the old target as
it was and raises `WriteFailed`, whose text names the target and says what to do. `explain_write_error` is the
one place that turns such a failure into that sentence; everything that writes files (backups, snapshots,
exports, packages, the ledger's own transactions) goes through it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from db.errors import WriteFailed

# Files that hold the whole ledger (snapshots, backups, handover copies, new ledgers): owner-only on POSIX.
OWNER_ONLY = 0o600

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", -1), getattr(errno, "EFBIG", -1)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_GONE = {
    errno.ENOENT,
    errno.EIO,
    errno.ENODEV,
    errno.ENXIO,
    errno.ENOTDIR,
    getattr(errno, "ESHUTDOWN", -1),
    getattr(errno, "ESTALE", -1),
}
# SQLite's primary result codes for the same three situations (sqlite3.Error.sqlite_errorcode & 0xFF).
_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CANTOPEN, _SQLITE_PERM = 13, 8, 10, 14, 3

KIND_FULL, KIND_READ_ONLY, KIND_GONE, KIND_OTHER = "full", "read_only", "gone", "other"


def fault_kind(err: BaseException) -> str | None:
    """'full' | 'read_only' | 'gone' | 'other' for a failure of the disk; None for anything else (a bug, bad
    input): those are not this module's to explain."""
    if isinstance(err, WriteFailed):
        return err.kind
    if isinstance(err, OSError):
        code = err.errno
        if code in _FULL:
            return KIND_FULL
        if code in _READ_ONLY or getattr(err, "winerror", None) in (5, 32, 33):
            return KIND_READ_ONLY
        if code in _GONE or getattr(err, "winerror", None) in (2, 3, 21, 1167):
            return KIND_GONE
        return KIND_OTHER
    if isinstance(err, sqlite3.OperationalError | sqlite3.DatabaseError):
        code = int(getattr(err, "sqlite_errorcode", 0) or 0) & 0xFF
        text = str(err).lower()
        if code == _SQLITE_FULL or "disk is full" in text:
            return KIND_FULL
        if code in (_SQLITE_READONLY, _SQLITE_PERM) or "readonly" in text:
            return KIND_READ_ONLY
        if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "disk i/o error" in text or "unable to open" in text:
            return KIND_GONE
        return None
    return None


def explain_write_error(err: BaseException, target: Path, what: str = "文件", after: str = "") -> str:
    """One Chinese sentence: what could not be written, where, why, what to do, and what was kept.
    `after` replaces the default ending (原有的文件没有改动……)."""
    kind = fault_kind(err) or KIND_OTHER
    ending = after or "原有的文件没有改动，也没有留下写了一半的文件。"
    if kind == KIND_FULL:
        why = "磁盘空间不足"
        todo = "请删除不需要的文件腾出空间，或换一个空间更大的磁盘、U盘或文件夹后再试"
    elif kind == KIND_READ_ONLY:
        why = "不能写入（文件夹只读、U盘写保护、没有权限，或文件正被 Excel、WPS、资源管理器等程序打开）"
        todo = "请关闭打开它的程序、检查U盘的写保护开关，或换一个文件夹后再试"
    elif kind == KIND_GONE:
        why = "找不到目标文件夹或磁盘读写出错（U盘、移动硬盘可能已被拔出，或文件夹已被删除）"
        todo = "请重新插好U盘、确认文件夹还在，然后再试"
    else:
        detail = getattr(err, "strerror", None) or str(err)
        why = f"写入出错（{detail}）"
        todo = "请换一个文件夹再试"
    return f"{what}没有写成：{target}。原因：{why}。{todo}。{ending}"


def write_failed(
    err: BaseException, target: str | os.PathLike[str], what: str = "文件", after: str = ""
) -> WriteFailed:
    target = Path(target)
    if isinstance(err, WriteFailed) and not after and what == "文件":
        return err
    kind = fault_kind(err) or KIND_OTHER
    wf = WriteFailed(explain_write_error(err, target, what, after), target, kind, getattr(err, "errno", None))
    wf.__cause__ = err
    return wf


def is_disk_fault(err: BaseException) -> bool:
    return isinstance(err, OSError) or fault_kind(err) is not None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_with_side_files(path: Path) -> None:
    """Remove a (temporary) file and what SQLite may have left beside it."""
    for p in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(OSError):
            p.unlink()


def set_mode(path: Path, mode: int) -> None:
    """chmod where the OS has POSIX modes; Windows keeps the folder's inherited permissions (documented)."""
    if sys.platform != "win32":
        os.chmod(path, mode)


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike[str], *, what: str = "文件", mode: int | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it is renamed over `target`, on error removed.

    A disk failure (OSError, or SQLite's full/readonly/I/O errors) while writing becomes `WriteFailed` naming
    `target`; other errors pass through unchanged. `mode` (e.g. OWNER_ONLY) sets the file's permissions;
    without it the file gets the usual ones (0666 less the umask)."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=".part" + target.suffix, dir=target.parent
        )
        os.close(fd)
    except OSError as e:
        raise write_failed(e, target, what) from e
    tmp_path = Path(tmp)
    later = _later.get()
    try:
        yield tmp_path
        if later is None:
            _fsync(tmp_path)
        set_mode(tmp_path, 0o666 & ~_umask() if mode is None else mode)
        os.replace(tmp_path, target)
        if later is not None:
            later.add(target, what)
    except BaseException as e:
        remove_with_side_files(tmp_path)
        if isinstance(e, WriteFailed):
            raise
        if isinstance(e, OSError) or fault_kind(e) is not None:
            raise write_failed(e, target, what) from e
        raise


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:  # opened for writing: Windows flushes only a handle that may write
        os.fsync(fh.fileno())


class SyncLater:
    """The fsyncs of `fsync_later`: each file is handed to one background thread as soon as it is in place;
    `wait()` returns when every one is done and raises the first that failed, as `WriteFailed` naming its file."""

    def __init__(self) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(1, thread_name_prefix="fsync")
        self.jobs: list[tuple[Path, str, Future[None]]] = []

    def add(self, path: Path, what: str) -> None:
        self.jobs.append((path, what, self.pool.submit(_fsync, path)))

    def wait(self) -> None:
        jobs, self.jobs = self.jobs, []
        for path, what, job in jobs:
            try:
                job.result()
            except OSError as e:
                raise write_failed(e, path, what) from e


_later: ContextVar[SyncLater | None] = ContextVar("fsync_later", default=None)


@contextlib.contextmanager
def fsync_later() -> Iterator[SyncLater]:
    """Inside, `atomic_path` renames a file into place at once and fsyncs it in a background thread, while the
    caller goes on to the next file: for a folder of files written under a temporary name and renamed into place
    as a whole only after `wait()` (the hand-in package), so that its files are on the disk before it has its
    final name, and the flushing overlaps the rendering instead of adding to it. On leaving, the thread is
    waited for (a failure is then only raised by `wait()`)."""
    syncs = SyncLater()
    token = _later.set(syncs)
    try:
        yield syncs
    finally:
        _later.reset(token)
        syncs.pool.shutdown(wait=True)


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes, *, what: str = "文件") -> Path:
    with atomic_path(target, what=what) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text_atomic(target: str | os.PathLike[str], text: str, *, what: str = "文件") -> Path:
    return write_bytes_atomic(target, text.encode("utf-8"), what=what)
