"""The Ledger: one open ledger file and what is done with it — named operations in one transaction each, with an
audit row and the before-image of every row they touch; the read models' memo; snapshots, backups and restores;
verify. Opening a file is db/ledger_open.py, the change log's history and undo db/ledger_undo.py;
db/connection.py is the one place the rest imports from.
"""

from __future__ import annotations

import contextlib
import gc
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import cipher, clock, ledger_undo
from db.audit import _tracked_tables
from db.checkpoint import CHANGES_PER_CHECKPOINT, BackgroundCheckpoint
from db.cipher import read_only_uri
from db.errors import LedgerError, LedgerTooNew
from db.filelock import FileLock
from db.ledger_file import _check_file, _connect, _disk_fault, _is_disk_fault, _prepare, _same_protection
from db.ledger_undo import OpInfo as OpInfo
from db.snapshots import (
    SNAPSHOT_REASONS,
    BackgroundSnapshot,
    _copy_database,
    list_snapshots,
    prune_snapshots,
    snapshot_info,
    snapshot_target,
)

if TYPE_CHECKING:
    from db.early_fill import EarlyFill
    from db.ledger_open import Pending

APPLICATION_ID = 0x424C4447  # "BLDG": marks a file as a 支部台账 ledger


@dataclass
class OpResult:
    op_id: int
    name: str
    label: str
    tables: set[str] = field(default_factory=set)
    value: Any = None


class Operation:
    """The handle given inside `with ledger.operation(...)`; `op.value` is returned in the OpResult."""

    def __init__(self, ledger: Ledger, op_id: int, name: str, label: str) -> None:
        self.ledger = ledger
        self.id = op_id
        self.name = name
        self.label = label
        self.value: Any = None

    @property
    def conn(self) -> sqlite3.Connection:
        return self.ledger.conn


# ---------------------------------------------------------------------------------------------- the lock


_FileLock = FileLock  # the older private name


# ------------------------------------------------------------------------------------------ snapshots


# ------------------------------------------------------------------------------------------ the ledger


_collector_lock = threading.Lock()
_collector_users = 0
_collector_was_enabled = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a read model is built (threads and nesting counted).

    A build makes a few hundred thousand objects that stay (the dues book, the meetings of two years) and
    almost no cycles: each collection the allocations set off walks them again, and on a 500-member ledger
    that was a fifth of `findings.check` (480–580 → ~410 ms). Reference counting frees what a build drops;
    the collector runs as usual once the last build has ended."""
    global _collector_users, _collector_was_enabled
    with _collector_lock:
        if _collector_users == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_users += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_users -= 1
            if _collector_users == 0 and _collector_was_enabled:
                gc.enable()


class Ledger:
    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        lock: _FileLock | None,
        key: cipher.Key | None = None,
        raw_key: str | None = None,
    ) -> None:
        self.path = path
        self.conn = conn
        self._lock = lock
        # A password-protected ledger: its password and SQLCipher's raw key for this file (None: plain SQLite)
        self.key = key
        self.raw_key = raw_key
        self.locked = False  # an encrypted ledger whose connection is closed and key forgotten (db/rekey.py)
        self._op: Operation | None = None
        self.listeners: list[Any] = []  # callables(OpResult), e.g. the GUI's refresh hub
        self.last_result: OpResult | None = None
        self._memo: dict[str, tuple[int, frozenset[str] | None, Any]] = {}
        # What read models read: the tables each reading (a stack of them, innermost last) has touched so far,
        # and, per table, the last operation of this session that changed it (tables not changed since the
        # ledger was opened count as changed by the last operation before that).
        self._reads: list[set[str]] = []
        self._reads_paused = 0
        self._opened_stamp = -1
        self._reading_stamp: int | None = None  # the ops stamp while a read model is being built
        self._table_stamps: dict[str, int] = {}
        self._tracked: frozenset[str] | None = None
        self.warnings: list[str] = []  # things the secretary should know that did not stop the work
        self._background: BackgroundSnapshot | None = None  # the open-time snapshot, while it is copied
        # the log copied into the file in the background (db/checkpoint.py)
        self._checkpoint: BackgroundCheckpoint | None = None
        self._changes_unchecked = 0  # rows changed since the last checkpoint was started
        # the 工作台's first fill computed in a second process while the file was opened (db/early_fill.py)
        self.early_fill: EarlyFill | None = None
        # opened while its quick check still ran (open_ledger's settle_later): nothing written before `settle`
        self.pending: Pending | None = None
        conn.create_function("current_op", 0, self._current_op_id)

    # -- plumbing
    def _current_op_id(self) -> int | None:
        return self._op.id if self._op else None

    def take_early_fill(self) -> EarlyFill | None:
        """The early fill, once, if it can still count: this connection has changed nothing since it opened the
        file (which it holds the writer's lock of), so the file is as the process read it, data and all."""
        fill, self.early_fill = self.early_fill, None
        if fill is not None and self.conn.total_changes:
            fill.discard()
            return None
        return fill

    def settle(self) -> None:
        """Wait for the quick check of a ledger opened before it ended (`pending`), once: LedgerDamaged when it
        failed, the file then let go of and set aside. Every write, copy and snapshot settles first."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.settle(self)

    def close(self, *, optimize: bool = True) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.abandon()  # waits for the check, which reads the file
            optimize = False  # no verdict: nothing written
        fill, self.early_fill = self.early_fill, None
        if fill is not None:
            fill.discard()
        self.wait_background()
        if optimize:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA optimize")
        self.conn.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        """Like `query`, as plain tuples: for reading whole tables in hot loops (no Row per record)."""
        cur = self.conn.execute(sql, params)
        cur.row_factory = None
        rows: list[tuple[Any, ...]] = cur.fetchall()
        return rows

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    @property
    def in_operation(self) -> bool:
        """An operation is open: what was read before it may be changing (read models are built afresh)."""
        return self._op is not None

    def memo(self, key: str, build: Any) -> Any:
        """A read model built once per state of the ledger: rebuilt after any operation (every write is one, so
        the last operation's id is a sound version), never reused inside an open operation or after a restore.
        The tables it read count as read by any `memo_reads` that uses it."""
        if self._op is not None:
            return build()
        stamp = self._stamp()
        hit = self._memo.get(key)
        if hit is not None and hit[0] == stamp:
            self._note_reads(hit[1])
            return hit[2]
        value, tables = self._reading(build)
        self._memo[key] = (stamp, tables, value)
        return value

    def memo_reads(self, key: str, build: Any, update: Any = None) -> Any:
        """A value built from the ledger and kept until an operation changes one of the tables its build read
        (as SQLite reports them to an authorizer while it runs, read models from `memo` included). A build that
        read a table whose changes are not recorded (the operations log, full-text indexes) is kept only until
        the next operation. Never reused inside an open operation or after a restore.

        `update(value, changed, since)`, when given, may bring a kept value up to date instead of building it
        again: `changed` is the set of the tables it read that operations after op `since` changed (their rows
        are in the `changes` table: `changed_fields_since`); it returns the new value (a new object: the kept one
        may still be in use) or None to have it built afresh."""
        if self._op is not None:
            return build()
        stamp = self._stamp()
        hit = self._memo.get(key)
        if hit is not None:
            built_at, tables, value = hit
            if built_at == stamp or (tables is not None and not self._changed_after(built_at, tables)):
                self._note_reads(tables)
                return value
            if update is not None and tables is not None and built_at >= self._opened_stamp:
                changed = {t for t in tables if self._table_stamps.get(t, self._opened_stamp) > built_at}
                self._reads_paused += 1
                try:
                    # as a build: the collector held off while the update makes objects that stay (copies of
                    # 500 members' months after a month recorded), or its collections walk them again and again
                    with collector_paused():
                        value = update(value, changed, built_at)
                finally:
                    self._reads_paused -= 1
                if value is not None:
                    self._note_reads(tables)
                    self._memo[key] = (stamp, tables, value)
                    return value
        value, tables = self._reading(build)
        self._memo[key] = (stamp, tables, value)
        return value

    def changed_fields_since(
        self, op_id: int, table: str, fields: tuple[str, ...], limit: int
    ) -> list[tuple[tuple[Any, ...] | None, tuple[Any, ...] | None]] | None:
        """The given fields of each row image of the changes to `table` by the operations after `op_id`: (before,
        after) per change, in the order made, each a tuple of the fields' values or None where the change has no
        such image (an insert has no before). The fields are read by SQLite's json_extract, not parsed in Python:
        a month recorded for 500 members is 1,000 images. None when there are more than `limit` changes (building
        afresh is then the better way)."""
        n = len(fields)
        paths = [f"$.{f}" for f in fields]
        extract = ", ".join(["json_extract(before, ?)"] * n + ["json_extract(after, ?)"] * n)
        rows = self.rows(
            f"SELECT before IS NOT NULL, after IS NOT NULL, {extract} FROM changes INDEXED BY changes_op "
            "WHERE op_id > ? AND tbl=? ORDER BY id LIMIT ?",
            (*paths, *paths, op_id, table, limit + 1),
        )
        if len(rows) > limit:
            return None
        return [
            (tuple(r[2 : 2 + n]) if r[0] else None, tuple(r[2 + n : 2 + 2 * n]) if r[1] else None)
            for r in rows
        ]

    def adopt_memo(self, reader: Ledger) -> int:
        """Keep what a reader of this file (`reader()`, e.g. the 工作台's start-up fill in another thread) built
        at this ledger's present state: only values built when its last operation was this ledger's last one,
        never inside an open operation. Returns how many were kept."""
        if self._op is not None or reader.path != self.path:
            return 0
        stamp = self._stamp()
        kept = 0
        for key, (built_at, tables, value) in list(reader._memo.items()):
            if built_at == stamp:
                self._memo[key] = (built_at, tables, value)
                kept += 1
        return kept

    def _stamp(self) -> int:
        if self._reads and self._reading_stamp is not None:
            return self._reading_stamp  # nothing is written while a read model is being built
        self._reads_paused += 1
        try:
            stamp = int(self.scalar("SELECT coalesce(max(id), 0) FROM ops"))
        finally:
            self._reads_paused -= 1
        if self._opened_stamp < 0:
            self._opened_stamp = stamp
        if self._reads:
            self._reading_stamp = stamp
        return stamp

    def _changed_after(self, stamp: int, tables: frozenset[str]) -> bool:
        if stamp < self._opened_stamp:
            return True
        return any(self._table_stamps.get(t, self._opened_stamp) > stamp for t in tables)

    def _note_reads(self, tables: frozenset[str] | None) -> None:
        for reads in self._reads:
            if tables is None:
                reads.add("ops")  # an untracked read: the outer value is good only until the next operation
            else:
                reads.update(tables)

    def _reading(self, build: Any) -> tuple[Any, frozenset[str] | None]:
        """build() and the tables it read: None when one of them is not audited (its changes not recorded)."""
        reads: set[str] = set()
        self._reads.append(reads)
        outermost = len(self._reads) == 1
        if outermost:
            self._reading_stamp = None
            self.conn.set_authorizer(self._authorize)
        try:
            with collector_paused() if outermost else contextlib.nullcontext():
                value = build()
        finally:
            self._reads.pop()
            if not self._reads:
                self._reading_stamp = None
                self.conn.set_authorizer(None)
        if self._tracked is None:
            self._reads_paused += 1
            try:
                self._tracked = frozenset(_tracked_tables(self.conn))
            finally:
                self._reads_paused -= 1
        tables = frozenset(reads) if reads <= self._tracked else None
        self._note_reads(tables)
        return value, tables

    def _authorize(self, action: int, arg1: Any, _arg2: Any, _db: Any, _source: Any) -> int:
        if action == sqlite3.SQLITE_READ and not self._reads_paused and arg1:
            for reads in self._reads:
                reads.add(arg1)
        return sqlite3.SQLITE_OK

    @property
    def schema_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    def setting(self, key: str, default: Any = None) -> Any:
        from db import settings

        return settings.get(self, key, default)

    # -- operations
    @contextlib.contextmanager
    def operation(self, name: str, label: str, *, record: bool = True) -> Iterator[Operation]:
        """One named change: one transaction, audited, undoable. Nested calls join the outer one."""
        if self._op is not None:
            yield self._op
            return
        self.settle()
        background = self._background
        if background is not None:  # the open-time snapshot copies the ledger as it was before this
            background.ensure_begun()
        conn = self.conn
        changes_before = conn.total_changes
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            if _is_disk_fault(e):
                raise _disk_fault(e, self.path) from e
            raise
        try:
            now = clock.now().isoformat(timespec="seconds")
            cur = conn.execute("INSERT INTO ops(name, label, at) VALUES (?, ?, ?)", (name, label, now))
            op = Operation(self, int(cur.lastrowid or 0), name, label)
            self._op = op
            yield op
            # by the op_id index, always: a ledger loaded in one operation (an import, a handover copy) has
            # statistics that make SQLite scan the whole change log instead
            tables = {
                r[0]
                for r in conn.execute("SELECT tbl FROM changes INDEXED BY changes_op WHERE op_id=?", (op.id,))
            }
            if not tables and not record:
                conn.execute("DELETE FROM ops WHERE id=?", (op.id,))
            conn.execute("COMMIT")
        except BaseException as e:
            self._op = None
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error) and _is_disk_fault(e):
                raise _disk_fault(e, self.path) from e
            raise
        self._op = None
        self._checkpoint_after(conn.total_changes - changes_before)
        result = OpResult(op.id, name, label, tables, op.value)
        self._reading_stamp = None  # a write: no stamp read before it holds
        if tables:
            self._stamp()  # the first stamp of the session is the one before this operation at the latest
            for t in tables:
                self._table_stamps[t] = op.id
        for listener in list(self.listeners):
            listener(result)
        self.last_result = result

    def run(self, name: str, label: str, fn: Any, *args: Any, **kwargs: Any) -> OpResult:
        """Run fn(ledger, *args) as one operation and return its OpResult (value = fn's return)."""
        with self.operation(name, label) as op:
            op.value = fn(self, *args, **kwargs)
        assert self.last_result is not None
        return self.last_result

    # -- the change log: history and undo (db/ledger_undo.py)
    def history(self, limit: int = 200) -> list[OpInfo]:
        return ledger_undo.history(self, limit)

    def changes_of(self, op_id: int) -> list[sqlite3.Row]:
        return ledger_undo.changes_of(self, op_id)

    def undoable(self) -> OpInfo | None:
        return ledger_undo.undoable(self)

    def undo_last(self) -> OpResult | None:
        """Reverse the last operation not yet undone (`db.ledger_undo.undo_last`)."""
        return ledger_undo.undo_last(self)

    @property
    def encrypted(self) -> bool:
        return self.raw_key is not None or self.locked

    def reader(self) -> Ledger:
        """A read-only Ledger on its own connection, for background work (exports, packages) in another thread."""
        conn = _connect(
            read_only_uri(self.path), self.raw_key, uri=True, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = cipher.row_type(conn)
        conn.execute("PRAGMA query_only=ON")
        return Ledger(self.path, conn, None, self.key, self.raw_key)

    # -- copies
    def snapshot(self, reason: str = "manual") -> Path:
        self.wait_background()
        last_op = int(self.scalar("SELECT coalesce(max(id), 0) FROM ops"))
        target = snapshot_target(self.path, last_op, reason)
        _copy_database(self.conn, target, f"{SNAPSHOT_REASONS.get(reason, '')}快照", self.raw_key)
        prune_snapshots(self.path)
        return target

    def snapshot_if_changed(self, reason: str = "open") -> Path | None:
        if not self._changed_since_snapshot():
            return None
        return self.snapshot(reason)

    def _changed_since_snapshot(self) -> bool:
        last_op = int(self.scalar("SELECT coalesce(max(id), 0) FROM ops"))
        snaps = list_snapshots(self.path)
        return not (snaps and snapshot_info(snaps[0])[1] == last_op)

    def snapshot_later(self, reason: str = "open", hold_s: float = 0.0) -> BackgroundSnapshot | None:
        """snapshot_if_changed in a background thread (db.snapshots.BackgroundSnapshot), or None when the newest
        snapshot already holds the last operation. Whatever replaces or copies the file (a snapshot, a backup, a
        restore, a password change, locking, closing) waits for it first; an operation waits until it has fixed
        the state it copies. With `hold_s` the copy begins at `release_background()`, at the first operation,
        or after that many seconds, whichever comes first."""
        self.wait_background()
        if not self._changed_since_snapshot():
            return None
        self._background = BackgroundSnapshot(self.path, self.raw_key, reason, hold_s)
        return self._background

    def release_background(self) -> None:
        """The first screen has filled in: a held open-time snapshot (snapshot_later's `hold_s`) begins now."""
        background = self._background
        if background is not None:
            background.release()

    @property
    def background_snapshot(self) -> BackgroundSnapshot | None:
        """The snapshot snapshot_later started (running or ended), until something waited for it."""
        return self._background

    def wait_background(self) -> None:
        """Wait for what runs on the file in the background: the snapshot snapshot_later started and a checkpoint
        of the log (db/checkpoint.py), if they still run; and, first, for the verdict of a pending check."""
        self.settle()
        background, self._background = self._background, None
        if background is not None:
            background.wait()
        checkpoint, self._checkpoint = self._checkpoint, None
        if checkpoint is not None:
            checkpoint.wait()

    def _checkpoint_after(self, changed: int) -> None:
        """After an operation: once enough rows changed since the last checkpoint, copy the log into the file in
        the background (db/checkpoint.py); one at a time."""
        self._changes_unchecked += changed
        if self._changes_unchecked < CHANGES_PER_CHECKPOINT:
            return
        if self._checkpoint is not None and self._checkpoint.running:
            return  # the next operation asks again
        self._changes_unchecked = 0
        self._checkpoint = BackgroundCheckpoint(self.path, self.raw_key)

    def backup(self, target: Path) -> Path:
        self.wait_background()
        _copy_database(self.conn, target, "备份", self.raw_key)
        return target

    def restore_from(self, source: Path) -> Path:
        """Replace the whole ledger by a snapshot or backup, after snapshotting the current state."""
        _same_protection(source, self.raw_key)
        check = _check_file(source, raw_key=self.raw_key)
        if check != "ok":
            raise LedgerError(f"文件 {source.name} 不能用于恢复：{check}")
        before = self.snapshot("before-restore")
        src = _connect(read_only_uri(source), self.raw_key, uri=True)
        try:
            version = int(src.execute("PRAGMA user_version").fetchone()[0])
            from db.migrations import LATEST

            if version > LATEST:
                raise LedgerTooNew(source, version, LATEST)
            try:
                src.backup(self.conn)
            except sqlite3.Error as e:
                if not _is_disk_fault(e):
                    raise
                from db.fileutil import write_failed

                raise write_failed(
                    e,
                    self.path,
                    "恢复后的台账",
                    after=f"恢复前的状态已保存为快照 {before.name}，可以从它再恢复。",
                ) from e
        finally:
            src.close()
        _prepare(self.conn, self.path)
        self.conn.create_function("current_op", 0, self._current_op_id)
        self._memo.clear()
        self._table_stamps.clear()
        self._opened_stamp = -1
        self._tracked = None
        return before

    def verify(self) -> dict[str, Any]:
        """Integrity and foreign-key check with a verdict."""
        integrity = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        fk = [tuple(r) for r in self.conn.execute("PRAGMA foreign_key_check")]
        ok = integrity == ["ok"] and not fk
        return {
            "ok": ok,
            "path": str(self.path),
            "schema_version": self.schema_version,
            "integrity": integrity,
            "foreign_key_problems": len(fk),
            "operations": int(self.scalar("SELECT count(*) FROM ops")),
        }


# ------------------------------------------------------------------------------------------ opening
