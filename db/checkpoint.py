"""Checkpoints of the write-ahead log off the GUI thread.

SQLite copies the write-ahead log back into the ledger file (a checkpoint) once the log holds 1,000 pages, inside
the commit that crossed the mark, on the committing thread: the GUI's. A month recorded for 500 members writes
1.3 MB to the log (the payments and their undo images), so every operation or two paid 5–15 ms more, and the
first write after a while of smaller ones paid for all of them at once (50–100 ms: the 500-member bench's
slowest 登记本月党费).

The ledger's own connection now checkpoints only when the log has grown to `SAFETY_PAGES` (a background
checkpoint that could not keep up); after operations that changed `CHANGES_PER_CHECKPOINT` rows since the last
one, `BackgroundCheckpoint` runs a PASSIVE checkpoint on a connection of its own in a thread (SQLite lets go of
the GIL while it copies). Nothing about durability changes: every commit is on the disk in the log already
(synchronous=FULL); a checkpoint only moves it into the file, and SQLite replays a log a crash left behind.
The thread's connection is open only while it checkpoints; whatever replaces or copies the file waits for it
(`Ledger.wait_background`), as it waits for a background snapshot.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

# The ledger's own connection checkpoints in its commit only past this many pages of log (40 MB at 4 KiB).
SAFETY_PAGES = 10_000
# Rows changed (table rows and their audit rows alike) since the last checkpoint that start one in the
# background: about SQLite's own 1,000 pages.
CHANGES_PER_CHECKPOINT = 2_000


class BackgroundCheckpoint:
    """One PASSIVE checkpoint of the ledger's log, in a daemon thread, on a connection opened for it."""

    def __init__(self, path: Path, raw_key: str | None) -> None:
        self.path = path
        self.raw_key = raw_key
        self.error: str | None = None  # why it did not run (the next one, or the ledger's own, does the work)
        self.result: tuple[int, int, int] | None = None  # (busy, frames in the log, frames checkpointed)
        self.thread = threading.Thread(target=self._run, name="ledger-checkpoint", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from db.ledger_file import _connect

        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(self.path, self.raw_key, isolation_level=None, check_same_thread=False)
            row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.result = (int(row[0]), int(row[1]), int(row[2]))
        except sqlite3.Error as e:  # a full disk, a file gone: the log keeps every commit
            self.error = str(e)
        finally:
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def wait(self) -> None:
        self.thread.join()
