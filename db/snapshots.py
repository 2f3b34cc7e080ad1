"""Snapshots of a ledger: where they live, their names (when, last operation, why), which are kept, and the
consistent copy that makes them (and backups), encrypted like the ledger."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
import threading
from pathlib import Path

from db import cipher, clock
from db.cipher import read_only_uri

KEEP_RECENT_SNAPSHOTS = 10


def snapshot_dir(ledger_path: Path) -> Path:
    return ledger_path.parent / "snapshots" / ledger_path.stem


_SNAP_RE = re.compile(r"-(\d{8})-(\d{6})(?:-(\d+))?-op(\d+)-([a-z-]+)\.sqlite$")


def snapshot_target(ledger_path: Path, last_op: int, reason: str) -> Path:
    """Where a snapshot taken now of the ledger as it stood after operation `last_op` goes."""
    now = clock.now()
    name = f"{ledger_path.stem}-{now:%Y%m%d-%H%M%S}-{now.microsecond:06d}-op{last_op}-{reason}.sqlite"
    return snapshot_dir(ledger_path) / name


def list_snapshots(ledger_path: Path) -> list[Path]:
    """Newest first."""
    folder = snapshot_dir(ledger_path)
    if not folder.is_dir():
        return []
    snaps = [p for p in folder.iterdir() if _SNAP_RE.search(p.name)]
    return sorted(snaps, key=lambda p: p.name, reverse=True)


def snapshot_info(path: Path) -> tuple[dt.datetime, int, str]:
    """(when, last operation id, reason) of a snapshot file."""
    m = _SNAP_RE.search(path.name)
    if not m:
        raise ValueError(path.name)
    day, time = m.group(1), m.group(2)  # read by hand: strptime imports calendar and locale at start-up
    when = dt.datetime(
        int(day[:4]), int(day[4:6]), int(day[6:]), int(time[:2]), int(time[2:4]), int(time[4:])
    )
    return when, int(m.group(4)), m.group(5)


SNAPSHOT_REASONS = {
    "open": "打开时",
    "before-migrate": "升级前",
    "before-restore": "恢复前",
    "before-load": "载入前",
    "manual": "手动",
    "before-password": "改密码前",
}


def prune_snapshots(ledger_path: Path) -> None:
    """Keep the newest 10, plus the newest of every older month."""
    snaps = list_snapshots(ledger_path)
    keep = set(snaps[:KEEP_RECENT_SNAPSHOTS])
    seen_months: set[str] = set()
    for p in snaps:
        month = snapshot_info(p)[0].strftime("%Y%m")
        if month not in seen_months:
            seen_months.add(month)
            keep.add(p)
    for p in snaps:
        if p not in keep:
            with contextlib.suppress(OSError):
                p.unlink()


def _copy_database(
    src: sqlite3.Connection, target: Path, what: str = "台账副本", raw_key: str | None = None
) -> None:
    """A consistent copy through SQLite's backup API, written to a temporary name and renamed; owner-only
    where the OS allows. A full or vanished disk raises WriteFailed naming `target` (nothing left behind).
    `raw_key`: the source is encrypted; the copy is encrypted with the same key and salt (db/cipher.py)."""
    from db.fileutil import OWNER_ONLY, atomic_path

    with atomic_path(target, what=what, mode=OWNER_ONLY) as tmp:
        dst = sqlite3.connect(tmp) if raw_key is None else cipher.connect(tmp, raw_key, verify=False)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()


class BackgroundSnapshot:
    """A snapshot copied in a background thread through a read-only connection of its own: in WAL mode the copy
    is the ledger as it stood when the copy began (the last operation read in the same read transaction names
    it), whatever the window changes meanwhile. SQLite lets go of the GIL while it copies. The open-time snapshot
    of a large ledger (81 MB: 0.3-0.4 s, more on a slow disk) no longer holds up the first screen.

    With `hold_s`, the copy waits until `release()` or for at most that many seconds before it begins: the app
    holds the open-time copy until its first screen has filled in, which it would otherwise share the disk and
    the processor with (at 500 members on two cores the 工作台's findings came 60-90 ms later beside it). A
    write must not come before the copy's read transaction, or the copy would hold it: `Ledger.operation`
    calls `ensure_begun()` first.

    Once it has ended (`running` false), `made` is the snapshot, or `error` what stopped it (nothing is left
    behind: the copy is written to a temporary name and renamed)."""

    def __init__(
        self,
        ledger_path: Path,
        raw_key: str | None,
        reason: str,
        hold_s: float = 0.0,
    ) -> None:
        self.ledger_path = ledger_path
        self.reason = reason
        self.made: Path | None = None
        self.error: BaseException | None = None
        self._raw_key = raw_key
        self._hold_s = hold_s
        self._go = threading.Event()  # the hold is over
        if hold_s <= 0:
            self._go.set()
        self._begun = threading.Event()  # the copy's read transaction holds its state (or the copy ended)
        self._thread = threading.Thread(target=self._run, name=f"snapshot-{reason}", daemon=True)
        self._thread.start()

    def release(self) -> None:
        """End the hold: the copy begins now."""
        self._go.set()

    def ensure_begun(self) -> None:
        """End the hold and wait until the copy has fixed the state it copies (or ended): a write after this is
        not in the copy."""
        self._go.set()
        self._begun.wait()

    def _run(self) -> None:
        try:
            self._go.wait(self._hold_s)
            from db.ledger_file import _connect

            uri = read_only_uri(self.ledger_path)
            src = _connect(uri, self._raw_key, uri=True, isolation_level=None)
            try:
                src.execute("PRAGMA busy_timeout=3000")
                src.execute("BEGIN")  # one read transaction: the operation named is the state copied
                last_op = int(src.execute("SELECT coalesce(max(id), 0) FROM ops").fetchone()[0])
                self._begun.set()
                target = snapshot_target(self.ledger_path, last_op, self.reason)
                _copy_database(src, target, f"{SNAPSHOT_REASONS.get(self.reason, '')}快照", self._raw_key)
                src.execute("COMMIT")
            finally:
                src.close()
            prune_snapshots(self.ledger_path)
            self.made = target
        except Exception as e:  # noqa: BLE001 - reported through `error`: a safety copy never stops the work
            self.error = e
        finally:
            self._raw_key = None
            self._begun.set()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self) -> None:
        self._go.set()
        self._thread.join()
