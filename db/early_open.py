"""The first steps of opening a plain ledger, taken as soon as the app knows which file it will open.

SQLite's quick_check reads every page of the file: 20 ms on a ten-year, 60-member ledger and 150-170 ms on a
20-year, 500-member one (81 MB), all of it on the GUI thread before the window could be built. SQLite lets go
of Python's GIL while it checks, so `begin_open` starts it in a background thread before Qt and the window's
modules are imported (another 150-250 ms of work on the GUI thread), and `open_ledger(path, early=...)` takes
its verdict where it would have run the check itself.

Nothing about what is checked changes:
- the writer's lock (`<ledger>.lock`) is taken before the check starts and handed to `open_ledger`, so no
  other writer can change the file between the check and the open;
- what a rekey killed before its rename left behind is cleaned up first, as `open_ledger` does before it
  checks;
- the verdict counts only while the file, its -wal and the lock are as they were: same inode, size and
  modification time (otherwise, or when the thread failed, `open_ledger` checks again itself);
- an encrypted file (its check needs the password), a missing or empty file, or a ledger another writer holds
  get no early start: `open_ledger` does everything as before, and says who holds it.

The same thread also opens the connection the app will work on and has SQLite read the ledger's schema into it
(`PRAGMA`s and SQL that name no table leave it unread): ~400 statements, most of them the audit triggers, parsed
on the first statement of every connection, 12 ms on the GUI thread that now falls on the thread's core. It
only reads (the first write, `journal_mode=WAL`, stays in `open_ledger`, after the verdict) and is handed over
only with a verdict that counts; otherwise, or when anything about it failed, it is closed before the file is
set aside or checked again, and `open_ledger` connects as before.

Whoever calls `begin_open` and then does not open the file hands the lock back with `abandon()`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from db.filelock import FileLock
from db.ledger_file import SQLITE_HEADER, _check_file, _connect

if TYPE_CHECKING:
    from db.early_fill import EarlyFill

_Stamp = tuple[tuple[int, int, int] | None, ...]


def _stamp(path: Path) -> _Stamp:
    """What would show a change to the ledger: (inode, size, mtime) of the file and of its -wal. An empty -wal
    counts as none: the check's own read-only connection may leave one, and it holds no change."""
    out: list[tuple[int, int, int] | None] = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = os.stat(p)
        except OSError:
            out.append(None)
        else:
            out.append((st.st_ino, st.st_size, st.st_mtime_ns) if st.st_size or p == path else None)
    return tuple(out)


class EarlyOpen:
    """A plain ledger locked for writing, its quick_check running in a background thread."""

    def __init__(self, path: Path, lock: FileLock, fill_on: dt.date | None = None) -> None:
        self.path = path
        self._lock: FileLock | None = lock
        self._stamp = _stamp(path)
        self._verdict: str | None = None
        self._conn: sqlite3.Connection | None = None  # the app's connection, its schema read (see above)
        self._primed = threading.Event()  # set once the thread has opened it (or failed to)
        self._thread = threading.Thread(target=self._run, name="ledger-quick-check", daemon=True)
        self._thread.start()
        # the 工作台's first fill, computed in a second process under this lock (db/early_fill.py)
        self._fill: EarlyFill | None = None
        if fill_on is not None:
            from db.early_fill import EarlyFill

            self._fill = EarlyFill.start(path, fill_on)

    def _run(self) -> None:
        try:
            self._conn = _read_schema(self.path)
        finally:
            self._primed.set()
        try:
            self._verdict = _check_file(self.path, quick=True)
        except Exception:  # noqa: BLE001 - anything odd: open_ledger checks again on its own thread
            self._verdict = None

    def take_connection(self) -> sqlite3.Connection | None:
        """The connection opened with the check, now the caller's: only after a `verdict()` that counted (it is
        closed when the verdict does not), and once."""
        conn, self._conn = self._conn, None
        return conn

    def checking(self) -> bool:
        """Whether the check still runs."""
        return self._thread.is_alive()

    def take_connection_unchecked(self) -> sqlite3.Connection | None:
        """The connection opened with the check, before its verdict (for `open_ledger(settle_later=True)`, which
        reads with it and writes nothing until `Ledger.settle` has the verdict): waits only for the connection."""
        self._primed.wait()
        return self.take_connection()

    def _drop_connection(self) -> None:
        conn = self.take_connection()
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def take_lock(self) -> FileLock | None:
        """The lock, now the caller's to release (None when it was taken already or handed back)."""
        lock, self._lock = self._lock, None
        return lock

    def take_fill(self) -> EarlyFill | None:
        """The process computing the 工作台's first fill (None when none was started), now the caller's."""
        fill, self._fill = self._fill, None
        return fill

    def verdict(self) -> str | None:
        """The check's verdict ('ok' or the reason) once it is done, or None when it does not count: the thread
        failed, or the file changed since the check began."""
        self._thread.join()
        if self._verdict is None or _stamp(self.path) != self._stamp:
            self._drop_connection()
            return None
        if self._verdict != "ok":
            self._drop_connection()  # the file is set aside next: no handle of ours may hold it (Windows)
        return self._verdict

    def abandon(self) -> None:
        """Not opened after all: stop the early fill, wait for the check (it reads the file) and hand the lock
        back."""
        fill = self.take_fill()
        if fill is not None:
            fill.discard()
        self._thread.join()
        self._drop_connection()
        lock = self.take_lock()
        if lock is not None:
            lock.release()


def _read_schema(path: Path) -> sqlite3.Connection | None:
    """A connection to the ledger as `open_ledger` makes one, the schema read into it; None when that failed
    (`open_ledger` then connects itself and meets whatever the trouble was)."""
    try:
        conn = _connect(path, None, isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 0").fetchall()
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        return None
    return conn


def begin_open(path: str | os.PathLike[str], fill_on: dt.date | None = None) -> EarlyOpen | None:
    """Lock a plain ledger file and start its quick_check in the background; None where `open_ledger` had better
    do it all itself (see the module docstring). Never raises for a file it cannot use. `fill_on`: also start
    computing the 工作台's first fill as of that day in a second process (db/early_fill.py), under the lock."""
    path = Path(path).absolute()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        with open(path, "rb") as fh:
            if fh.read(16) != SQLITE_HEADER:  # encrypted, or no ledger at all
                return None
    except OSError:
        return None
    lock = FileLock(path)
    try:
        if not lock.try_acquire():
            return None
        lock.name_holder()
        from db import rekey

        rekey.clean_leftovers(path)
        return EarlyOpen(path, lock, fill_on)
    except Exception:  # noqa: BLE001 - no early start; open_ledger meets the same trouble and names it
        with contextlib.suppress(OSError):
            lock.release()
        return None
