"""Snapshots of a ledger: where they live, their names (when, last operation, why), which are kept, and the
consistent copy that makes them (and backups), encrypted like the ledger."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from pathlib import Path

from db import cipher

KEEP_RECENT_SNAPSHOTS = 10


def snapshot_dir(ledger_path: Path) -> Path:
    return ledger_path.parent / "snapshots" / ledger_path.stem


_SNAP_RE = re.compile(r"-(\d{8})-(\d{6})(?:-(\d+))?-op(\d+)-([a-z-]+)\.sqlite$")


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
    when = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
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
