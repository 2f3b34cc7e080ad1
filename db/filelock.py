"""The one-writer lock: an OS lock on `<ledger>.lock`, whose text names the holder.

The lock file is never deleted. Deleting it on release let a racing process lock the old inode while another
created and locked a new file under the same name: two writers at once (issue #13). The file stays; its text is
cleared on release (while the lock is still held) and rewritten by the next holder. A stale text (a crashed
holder) is harmless: only the OS lock counts, and the OS drops it with the process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from db import clock
from db.errors import LedgerLocked


def host_name() -> str:
    """This computer's name, for the lock file's "who holds it", without importing `socket` (4-5 ms of the
    app's start, before the window): uname's node name, which is what `socket.gethostname()` returns on Linux
    and macOS; on Windows the name Windows keeps in COMPUTERNAME (its NetBIOS name: the same name in capitals,
    cut to 15 letters where it is longer); `socket.gethostname()` where neither is there."""
    if sys.platform == "win32":
        name = os.environ.get("COMPUTERNAME", "")
        if name:
            return name
    elif hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


class FileLock:
    LOCK_OFFSET = 1 << 20  # Windows: lock a byte far past the text so others can still read who holds it

    def __init__(self, ledger_path: Path) -> None:
        self.path = ledger_path.with_name(ledger_path.name + ".lock")
        self.fh: Any = None

    @staticmethod
    def holder_text() -> str:
        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001 - getuser raises several kinds on odd systems
            user = "?"
        return json.dumps(
            {
                "user": user,
                "host": host_name(),
                "pid": os.getpid(),
                "since": clock.now().isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
        )

    def describe_holder(self) -> str:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8").strip() or "{}")
            since = dt.datetime.fromisoformat(info["since"])
            return (
                f"计算机“{info.get('host', '?')}”上的用户“{info.get('user', '?')}”"
                f"自 {since.year}年{since.month}月{since.day}日 {since:%H:%M} 起打开着它"
            )
        except Exception:  # noqa: BLE001 - any unreadable holder file gets the generic text
            return "另一个支部台账窗口或另一台电脑正打开着它"

    def _open(self) -> Any:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
        fd = os.open(self.path, flags, 0o600)  # names the holder: owner-only where the OS allows
        return os.fdopen(fd, "r+b")

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; False (and nothing held) if somebody does."""
        for _ in range(20):
            got = self._try_once()
            if got is not None:
                return got
        return False

    def _same_file(self, fh: Any) -> bool:
        """Whether the locked file is still the one under our name (a reader may have removed a lock file it
        made, see `release_and_remove`): a lock on a removed file would lock nobody out."""
        if sys.platform == "win32":
            return True  # an open file cannot be removed there
        try:
            st, mine = os.stat(self.path), os.fstat(fh.fileno())
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino)

    def _try_once(self) -> bool | None:
        fh = self._open()
        try:
            if sys.platform == "win32":
                import msvcrt

                fh.seek(self.LOCK_OFFSET)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        if not self._same_file(fh):
            fh.close()
            return None  # try again on the file now under the name
        self.fh = fh
        return True

    def release_and_remove(self) -> None:
        """Remove the lock file while holding it, then let go. Only for a lock file this process made just to
        look for a writer (a read-only open): every acquirer checks that the file it locked is still under the
        name, so removing it while held can never let two holders in. Writers never remove it."""
        if self.fh is None:
            return
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                self.path.unlink()
        self.release()

    def acquire(self) -> None:
        if not self.try_acquire():
            raise LedgerLocked(self.path.with_suffix(""), self.describe_holder())
        self.name_holder()

    def name_holder(self) -> None:
        """Write who holds the lock into the lock file (while holding it)."""
        fh = self.fh
        if fh is None:
            return
        with contextlib.suppress(OSError):  # a full disk cannot name the holder; the OS lock is what counts
            fh.seek(0)
            fh.truncate()
            fh.write(self.holder_text().encode("utf-8"))
            fh.flush()

    def release(self) -> None:
        if self.fh is None:
            return
        fh, self.fh = self.fh, None
        try:
            with contextlib.suppress(OSError):  # cleared while still held: nobody holds it after this
                fh.seek(0)
                fh.truncate()
                fh.flush()
            if sys.platform == "win32":
                import msvcrt

                fh.seek(self.LOCK_OFFSET)
                with contextlib.suppress(OSError):
                    msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        finally:
            fh.close()  # closing drops the flock; the file itself stays (see the module docstring)
