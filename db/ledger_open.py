"""Opening a ledger: for work (locked for one writer, migrated in a copy, snapshotted, checked, a damaged file
set aside), read-only for looking (an older format upgraded in memory, nothing written), and restoring a
snapshot into place."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from db import cipher, clock
from db.cipher import read_only_uri
from db.errors import LedgerDamaged, LedgerError, LedgerOpenError, LedgerTooNew, NotALedger, WriteFailed
from db.filelock import FileLock
from db.ledger import APPLICATION_ID, Ledger, _FileLock
from db.ledger_file import _check_file, _connect, _is_disk_fault, _no_op, _open_encrypted, _prepare, _unlock
from db.snapshots import _copy_database, list_snapshots

if TYPE_CHECKING:
    from db.early_open import EarlyOpen


def open_ledger(
    path: str | os.PathLike[str],
    *,
    create: bool = False,
    lock: bool = True,
    snapshot_on_open: bool = True,
    target_version: int | None = None,
    password: str | cipher.Key | None = None,
    early: EarlyOpen | None = None,
    snapshot_in_background: bool = False,
    snapshot_hold_s: float = 0.0,
    settle_later: bool = False,
) -> Ledger:
    """Open (or with create=True make) a ledger file.

    Raises LedgerLocked, LedgerTooNew, LedgerDamaged (the damaged file is set aside, never overwritten, and the
    newest good snapshots are listed) or NotALedger; all are LedgerOpenError (CLI exit 3).
    `password`: an encrypted ledger needs it (PasswordNeeded without, WrongPassword for a wrong one: neither
    touches the file); a new ledger made with one is encrypted; a plain ledger ignores it.
    `target_version` is for tests that build a file of an older schema.
    `early`: what `db.early_open.begin_open(path)` started (the lock taken, the quick check running in the
    background); its lock is taken over and its verdict used where it still counts. Given for another file, or
    with lock=False, it is handed back unused.
    `snapshot_in_background`: the open-time snapshot is copied in a background thread (Ledger.snapshot_later;
    the app shows the window meanwhile and reports a failure in its status bar) instead of before returning;
    with `snapshot_hold_s` it begins at `Ledger.release_background()` (the app: once the 工作台 has filled in),
    at the first operation, or after that many seconds.
    `settle_later` (with `early` whose check still runs, on a file already in WAL mode and of the latest schema):
    return without waiting for the check; the ledger reads meanwhile, and `Ledger.settle()` takes the verdict,
    which every write, copy and snapshot waits for first (LedgerDamaged from there, the file set aside as here).
    The app builds its window while the check of a large ledger ends, and shows it once settled.
    """
    from db.migrations import LATEST, migrate

    path = Path(path).absolute()
    if early is not None and not (lock and early.path == path):
        early.abandon()
        early = None
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        if early is not None:
            early.abandon()
        raise NotALedger(path) if path.exists() else LedgerOpenError(f"找不到台账文件 {path}。")
    file_lock = _FileLock(path) if lock else None
    if file_lock:
        held = early.take_lock() if early is not None else None
        if held is not None:
            file_lock = held
        else:
            early = None  # its lock was let go: its verdict no longer counts
            try:
                file_lock.acquire()
            except OSError as e:
                from db.fileutil import write_failed

                raise write_failed(
                    e, file_lock.path, "台账的锁文件", after="台账没有打开，文件保持原样。"
                ) from e
    created = False
    conn: sqlite3.Connection | None = None
    pending: EarlyOpen | None = None  # settle_later: the check whose verdict is still to come
    key = cipher.Key(password) if isinstance(password, str) else password
    raw_key: str | None = None
    try:
        if file_lock:
            from db import rekey

            rekey.clean_leftovers(path)
        if exists and cipher.looks_encrypted(path):
            if early is not None:
                early.abandon()  # checked as a plain file; this one is checked with its key below
                early = None
            if key is None:
                raise cipher.PasswordNeeded(path)
            raw_key = key.for_file(path)
            # One connection keys, checks and works: each SQLCipher connection pays its own key set-up, and the
            # quick check leaves the decrypted pages in this connection's cache for the first screen.
            conn = _open_encrypted(path, raw_key)
        elif create and not exists and key is not None:
            raw_key = key.new_salt_raw()
        if exists:
            if conn is not None:
                try:
                    res = [r[0] for r in conn.execute("PRAGMA quick_check")]
                    verdict = "ok" if res == ["ok"] else "完整性检查未通过：" + "；".join(res[:3])
                except sqlite3.DatabaseError as e:  # a page that does not decrypt (its HMAC fails)
                    verdict = f"数据库错误：{e}"
                if verdict != "ok":
                    conn.close()
                    conn = None
            elif early is not None and settle_later and early.checking() and _in_wal_mode(path):
                pending = early  # its verdict taken by Ledger.settle(); nothing is written before it
                conn = early.take_connection_unchecked()
                verdict = "ok"
            elif early is not None:
                verdict = settled_verdict(early)
                # opened with the check, its schema read (None unless the thread's verdict counted and was good)
                conn = early.take_connection()
            else:
                verdict = _check_file(path, quick=True)
            if verdict != "ok":
                _stop_fill(early)
                raise refused(path, verdict, raw_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            from db.fileutil import OWNER_ONLY

            os.close(
                os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, OWNER_ONLY)
            )  # SQLite's side files follow
            created = True
        if conn is None:
            conn = _connect(path, raw_key, isolation_level=None, check_same_thread=False)
        conn.row_factory = cipher.row_type(conn)
        conn.create_function("current_op", 0, _no_op)
        if exists:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise NotALedger(path)
            if version > LATEST:
                raise LedgerTooNew(path, version, LATEST)
            if pending is not None and version != (LATEST if target_version is None else target_version):
                verdict, pending = settled_verdict(pending), None  # a migration writes: the verdict first
                if verdict != "ok":
                    conn.close()
                    _stop_fill(early)
                    raise refused(path, verdict, raw_key)
        else:
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            version = 0
        _prepare(conn, path)
        ledger = Ledger(path, conn, file_lock, key if raw_key else None, raw_key)
        goal = LATEST if target_version is None else target_version
        if version < goal:
            if version > 0:
                ledger.snapshot("before-migrate")
            migrate(conn, goal)
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                raise LedgerError("升级后的完整性检查未通过：" + "；".join(integrity[:3]))
        elif snapshot_on_open and exists and snapshot_in_background:
            if pending is not None:
                # copied once the check has passed
                ledger.pending = Pending(pending, snapshot=True, hold_s=snapshot_hold_s)
            else:
                ledger.snapshot_later("open", snapshot_hold_s)
        elif snapshot_on_open and exists:
            try:
                ledger.snapshot_if_changed("open")
            except WriteFailed as e:  # a safety copy only: the ledger opens, and the secretary is told
                ledger.warnings.append(f"打开时的自动快照没有保存。{e}")
        if pending is not None and ledger.pending is None:
            ledger.pending = Pending(pending, snapshot=False)
        if early is not None:
            ledger.early_fill = early.take_fill()  # the 工作台 takes it while this connection changed nothing
        return ledger
    except BaseException as e:
        if early is not None:
            early.abandon()  # its lock is ours already (released below); this stops its early fill
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        if created:
            from db.fileutil import remove_with_side_files

            remove_with_side_files(path)
        if file_lock:
            file_lock.release()
        if not isinstance(e, LedgerError) and (isinstance(e, OSError) or _is_disk_fault(e)):
            from db.fileutil import write_failed

            after = "没有留下不完整的台账文件。" if created else "台账没有打开，文件保持原样。"
            raise write_failed(e, path, "台账文件", after=after) from e
        raise


def _in_wal_mode(path: Path) -> bool:
    """Whether the file's header says WAL (read and write versions 2): `_prepare`'s `journal_mode=WAL` then
    writes nothing."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(20)
    except OSError:
        return False
    return len(head) == 20 and head[18] == 2 and head[19] == 2


def refused(path: Path, verdict: str, raw_key: str | None) -> LedgerOpenError:
    """A file whose check failed, set aside (never overwritten) with the newest good snapshots listed: the
    LedgerDamaged to raise (NotALedger for a file that is no SQLite file and has no snapshots). No connection of
    ours may hold the file (Windows would not let it be renamed)."""
    snaps = [s for s in list_snapshots(path) if _check_file(s, raw_key=raw_key) == "ok"]
    if verdict.startswith("文件头") and not snaps:
        return NotALedger(path)
    aside = path.with_name(f"{path.name}.damaged-{clock.now():%Y%m%d-%H%M%S}")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    return LedgerDamaged(path, verdict, aside, snaps)


def _stop_fill(early: EarlyOpen | None) -> None:
    """Stop the early fill's process before a damaged file is set aside: on Windows a file another process
    has open cannot be renamed."""
    fill = early.take_fill() if early is not None else None
    if fill is not None:
        fill.discard()


def settled_verdict(early: EarlyOpen) -> str:
    """The quick check's verdict: the early thread's where it counts, else checked again here."""
    return early.verdict() or _check_file(early.path, quick=True)


class Pending:
    """A ledger opened with `settle_later`: the check whose verdict `Ledger.settle` takes, and whether the
    open-time snapshot is still to be started."""

    def __init__(self, early: EarlyOpen, snapshot: bool, hold_s: float = 0.0) -> None:
        self.early = early
        self.snapshot = snapshot
        self.hold_s = hold_s  # the snapshot's hold (open_ledger's snapshot_hold_s)

    def settle(self, ledger: Ledger) -> None:
        """Take the verdict. A good one starts the open-time snapshot; a bad one lets go of the file (the
        connection closed, the early fill stopped, the lock released) and raises LedgerDamaged, the file set
        aside, as `open_ledger` does."""
        verdict = settled_verdict(self.early)
        if verdict == "ok":
            if self.snapshot:
                ledger.snapshot_later("open", self.hold_s)
            return
        ledger.close(optimize=False)  # nothing written into a damaged file
        raise refused(ledger.path, verdict, ledger.raw_key)

    def checking(self) -> bool:
        """Whether the check still runs (what `settle` would wait for)."""
        return self.early.checking()

    def abandon(self) -> None:
        """Closed before the verdict: wait for the check, which reads the file."""
        self.early.abandon()


_SIDE_FILES = ("-wal", "-shm")


def _drop_side_files(path: Path, made: Sequence[str], *, locked: bool = False) -> None:
    """Remove the -wal/-shm files a read-only connection made beside a WAL-mode ledger (it cannot clean up
    after itself); never one that was there before or that holds frames, and never while a writer has the
    ledger open (a reader takes no lock: it looks for a writer by trying the lock for a moment)."""
    if not made:
        return
    probe: FileLock | None = None
    made_lock = False
    if not locked:
        probe = FileLock(path)
        made_lock = not probe.path.exists()
        try:
            if not probe.try_acquire():
                return  # a writer has it open now: the side files are its own
        except OSError:
            return
    try:
        wal = path.with_name(path.name + "-wal")
        if "-wal" in made:
            with contextlib.suppress(OSError):
                if wal.stat().st_size == 0:
                    wal.unlink()
        if "-shm" in made and not wal.exists():
            with contextlib.suppress(OSError):
                path.with_name(path.name + "-shm").unlink()
    finally:
        if probe is not None:
            if made_lock:  # leave the folder as it was (no lock file a reader made)
                probe.release_and_remove()
            else:
                probe.release()


class _ReadOnlyLedger(Ledger):
    def __init__(self, path: Path, conn: sqlite3.Connection, lock: _FileLock | None, made: list[str]) -> None:
        super().__init__(path, conn, lock)
        self._made = made

    def close(self, *, optimize: bool = True) -> None:  # a reader writes nothing: no optimize either
        self.conn.close()
        _drop_side_files(self.path, self._made, locked=self._lock is not None)
        if self._lock:
            self._lock.release()
            self._lock = None


def open_ledger_readonly(
    path: str | os.PathLike[str],
    *,
    lock: bool = False,
    upgrade: bool = True,
    password: str | cipher.Key | None = None,
) -> Ledger:
    """Open a ledger only to read it (`ledger check`, `dump`, `dues`, `export`, `package`, `backup`, `verify`).

    Never writes, migrates, snapshots, renames or moves the file. A damaged file raises LedgerDamaged and stays
    where it is (`set_aside` is None): setting a damaged file aside is part of opening it for work
    (`open_ledger`), not of looking at it. A file of an older format is upgraded in a copy in memory when
    `upgrade` is true; the file itself keeps its format. With `upgrade=False` it is read as it is (`verify`,
    `backup`: the file's own state). Raises the same LedgerOpenError kinds as `open_ledger` (CLI exit 3).
    """
    from db.migrations import LATEST, migrate

    path = Path(path).absolute()
    if not path.exists():
        raise LedgerOpenError(f"找不到台账文件 {path}。")
    if path.is_dir() or path.stat().st_size == 0:
        raise NotALedger(path)
    file_lock = _FileLock(path) if lock else None
    if file_lock:
        file_lock.acquire()
    made = [s for s in _SIDE_FILES if not path.with_name(path.name + s).exists()]
    conn: sqlite3.Connection | None = None
    key = cipher.Key(password) if isinstance(password, str) else password
    raw_key: str | None = None
    try:
        if cipher.looks_encrypted(path):
            raw_key = _unlock(path, key)
        verdict = _check_file(path, raw_key=raw_key)
        if verdict != "ok":
            snaps = [s for s in list_snapshots(path) if _check_file(s, raw_key=raw_key) == "ok"]
            if verdict.startswith("文件头") and not snaps:
                raise NotALedger(path)
            raise LedgerDamaged(path, verdict, None, snaps)
        conn = _connect(read_only_uri(path), raw_key, uri=True, isolation_level=None, check_same_thread=False)
        conn.row_factory = cipher.row_type(conn)
        conn.execute("PRAGMA busy_timeout=3000")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if app_id != APPLICATION_ID:
            raise NotALedger(path)
        if version > LATEST:
            raise LedgerTooNew(path, version, LATEST)
        if upgrade and version < LATEST:
            if raw_key is None:
                mem = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                conn.backup(mem)
            else:  # SQLCipher copies an encrypted file into a plain one by export, not by backup
                mem = cipher.connect(":memory:", None, isolation_level=None, check_same_thread=False)
                src = read_only_uri(path).replace("'", "''")
                mem.execute(f"ATTACH DATABASE '{src}' AS src KEY \"{raw_key}\"")
                mem.execute("SELECT sqlcipher_export('main', 'src')")
                mem.execute("DETACH DATABASE src")
                mem.execute(f"PRAGMA user_version={version}")
            conn.close()
            conn = mem
            conn.row_factory = cipher.row_type(conn)
            conn.create_function("current_op", 0, _no_op)
            conn.execute("PRAGMA foreign_keys=ON")
            migrate(conn, LATEST)
        conn.execute("PRAGMA query_only=ON")
        ledger = _ReadOnlyLedger(path, conn, file_lock, made)
        if raw_key is not None:
            ledger.key, ledger.raw_key = key, raw_key
        return ledger
    except BaseException:
        if conn is not None:
            conn.close()
        _drop_side_files(path, made, locked=file_lock is not None)
        if file_lock:
            file_lock.release()
        raise


def restore_snapshot_to(snapshot: Path, ledger_path: Path, password: str | cipher.Key | None = None) -> None:
    """Put a snapshot in place of a ledger file that is absent (set aside as damaged). Never overwrites.
    An encrypted snapshot needs its password; the restored file is encrypted with the same key."""
    if ledger_path.exists():
        raise LedgerError(f"{ledger_path} 已存在，不会覆盖它。")
    key = cipher.Key(password) if isinstance(password, str) else password
    raw_key = _unlock(snapshot, key) if cipher.looks_encrypted(snapshot) else None
    verdict = _check_file(snapshot, raw_key=raw_key)
    if verdict != "ok":
        raise LedgerError(f"快照 {snapshot.name} 不可用：{verdict}")
    src = _connect(read_only_uri(snapshot), raw_key, uri=True)
    try:
        _copy_database(src, ledger_path, raw_key=raw_key)
    finally:
        src.close()
