"""The ledger file: one SQLite file, locked for one writer, migrated, snapshotted, audited, undoable.

`open_ledger(path)` gives a `Ledger`. Every change runs inside `ledger.operation(name, label)`: one
transaction, an audit row with the before/after image of every row it touched (kept by triggers that the
schema generates for every tracked table), and an `OpResult` naming the tables it changed, so open screens
refresh only what they show. `ledger.undo_last()` reverses the last operation from its before-images.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db import cipher, clock
from db.errors import LedgerDamaged, LedgerError, LedgerOpenError, LedgerTooNew, NotALedger, WriteFailed
from db.filelock import FileLock

APPLICATION_ID = 0x424C4447  # "BLDG": marks a file as a 支部台账 ledger
SQLITE_HEADER = b"SQLite format 3\x00"
KEEP_RECENT_SNAPSHOTS = 10

# Tables that are bookkeeping, not the secretary's data: never audited, never undone.
UNTRACKED = {"ops", "changes"}


@dataclass
class OpResult:
    op_id: int
    name: str
    label: str
    tables: set[str] = field(default_factory=set)
    value: Any = None


@dataclass
class OpInfo:
    id: int
    name: str
    label: str
    at: str
    undone: bool
    undo_of: int | None
    changes: int


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


# ------------------------------------------------------------------------------------------ the ledger


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
        self._table_stamps: dict[str, int] = {}
        self._tracked: frozenset[str] | None = None
        self.warnings: list[str] = []  # things the secretary should know that did not stop the work
        conn.create_function("current_op", 0, self._current_op_id)

    # -- plumbing
    def _current_op_id(self) -> int | None:
        return self._op.id if self._op else None

    def close(self) -> None:
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

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

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

    def memo_reads(self, key: str, build: Any) -> Any:
        """A value built from the ledger and kept until an operation changes one of the tables its build read
        (as SQLite reports them to an authorizer while it runs, read models from `memo` included). A build that
        read a table whose changes are not recorded (the operations log, full-text indexes) is kept only until
        the next operation. Never reused inside an open operation or after a restore."""
        if self._op is not None:
            return build()
        stamp = self._stamp()
        hit = self._memo.get(key)
        if hit is not None:
            built_at, tables, value = hit
            if built_at == stamp or (tables is not None and not self._changed_after(built_at, tables)):
                self._note_reads(tables)
                return value
        value, tables = self._reading(build)
        self._memo[key] = (stamp, tables, value)
        return value

    def _stamp(self) -> int:
        self._reads_paused += 1
        try:
            stamp = int(self.scalar("SELECT coalesce(max(id), 0) FROM ops"))
        finally:
            self._reads_paused -= 1
        if self._opened_stamp < 0:
            self._opened_stamp = stamp
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
        if len(self._reads) == 1:
            self.conn.set_authorizer(self._authorize)
        try:
            value = build()
        finally:
            self._reads.pop()
            if not self._reads:
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
        conn = self.conn
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
            tables = {r[0] for r in conn.execute("SELECT DISTINCT tbl FROM changes WHERE op_id=?", (op.id,))}
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
        result = OpResult(op.id, name, label, tables, op.value)
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

    def history(self, limit: int = 200) -> list[OpInfo]:
        rows = self.query(
            """SELECT o.id, o.name, o.label, o.at, o.undone_by, o.undo_of,
                      (SELECT count(*) FROM changes c WHERE c.op_id=o.id) AS n
               FROM ops o ORDER BY o.id DESC LIMIT ?""",
            (limit,),
        )
        return [OpInfo(r[0], r[1], r[2], r[3], r[4] is not None, r[5], r[6]) for r in rows]

    def changes_of(self, op_id: int) -> list[sqlite3.Row]:
        return self.query(
            "SELECT id, tbl, row_id, action, before, after FROM changes WHERE op_id=? ORDER BY id", (op_id,)
        )

    def undoable(self) -> OpInfo | None:
        row = self.query_one(
            f"""SELECT o.id FROM ops o WHERE o.undone_by IS NULL AND o.undo_of IS NULL {self._not_failed()}
               AND EXISTS (SELECT 1 FROM changes c WHERE c.op_id=o.id) ORDER BY o.id DESC LIMIT 1"""
        )
        if row is None:
            return None
        return next(i for i in self.history(10_000) if i.id == row[0])

    def _has(self, table: str, column: str | None = None) -> bool:
        if column is None:
            return (
                self.query_one("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,))
                is not None
            )
        return any(r[1] == column for r in self.conn.execute(f'PRAGMA table_info("{table}")'))

    def _not_failed(self) -> str:
        return "AND o.undo_failed IS NULL" if self._has("ops", "undo_failed") else ""

    def _kept_blobs(self, op_id: int, tbl: str, row_id: int) -> dict[str, Any]:
        if not self._has("_undo_blobs"):
            return {}
        rows = self.query(
            "SELECT col, data FROM _undo_blobs WHERE op_id=? AND tbl=? AND row_id=?", (op_id, tbl, row_id)
        )
        return {r[0]: r[1] for r in rows}

    def undo_last(self) -> OpResult | None:
        """Reverse the last operation that is not yet undone, from its before-images (and the pictures its
        changes removed or replaced, kept in `_undo_blobs`). An undo that fails is rolled back whole, the
        operation is marked as not undoable (with the reason) and skipped from then on: one failed undo never
        blocks the earlier ones. Raises LedgerError saying so."""
        target = self.undoable()
        if target is None:
            return None
        try:
            with self.operation("Undo", f"撤销：{target.label}") as op:
                self._reverse(target.id)
                self.conn.execute("UPDATE ops SET undo_of=? WHERE id=?", (target.id, op.id))
                self.conn.execute("UPDATE ops SET undone_by=? WHERE id=?", (op.id, target.id))
                if self._has("_undo_blobs"):
                    self.conn.execute("DELETE FROM _undo_blobs WHERE op_id IN (?, ?)", (target.id, op.id))
        except sqlite3.Error as e:
            if _is_disk_fault(e) or not self._has("ops", "undo_failed"):
                raise
            reason = f"撤销时数据不一致（{e}）"
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("UPDATE ops SET undo_failed=? WHERE id=?", (reason, target.id))
            raise LedgerError(
                f"“{target.label}”不能撤销：{reason}。台账保持原样；这一步已标记为不能撤销，"
                "再按撤销会处理更早的操作。要回到这一步之前的状态，请用“文件 → 从快照恢复”。"
            ) from e
        return self.last_result

    def _reverse(self, op_id: int) -> None:
        self.conn.execute("PRAGMA defer_foreign_keys=ON")
        for ch in reversed(self.changes_of(op_id)):
            tbl, row_id, action = ch["tbl"], ch["row_id"], ch["action"]
            if action == "I":
                self.conn.execute(f'DELETE FROM "{tbl}" WHERE id=?', (row_id,))
                continue
            before = json.loads(ch["before"])
            blobs = _blob_columns(self.conn, tbl)
            values = {c: v for c, v in before.items() if c not in blobs}
            if blobs:
                values.update(self._kept_blobs(op_id, tbl, row_id))
            cols = list(values)
            if action == "U":
                sets = ", ".join(f'"{c}"=?' for c in cols)
                self.conn.execute(
                    f'UPDATE "{tbl}" SET {sets} WHERE id=?', [values[c] for c in cols] + [row_id]
                )
            else:  # "D"
                names = ", ".join(f'"{c}"' for c in cols)
                marks = ", ".join("?" for _ in cols)
                self.conn.execute(
                    f'INSERT INTO "{tbl}" ({names}) VALUES ({marks})', [values[c] for c in cols]
                )

    @property
    def encrypted(self) -> bool:
        return self.raw_key is not None or self.locked

    def reader(self) -> Ledger:
        """A read-only Ledger on its own connection, for background work (exports, packages) in another thread."""
        conn = _connect(
            f"file:{self.path}?mode=ro", self.raw_key, uri=True, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = cipher.row_type(conn)
        conn.execute("PRAGMA query_only=ON")
        return Ledger(self.path, conn, None, self.key, self.raw_key)

    # -- copies
    def snapshot(self, reason: str = "manual") -> Path:
        last_op = int(self.scalar("SELECT coalesce(max(id), 0) FROM ops"))
        now = clock.now()
        name = f"{self.path.stem}-{now:%Y%m%d-%H%M%S}-{now.microsecond:06d}-op{last_op}-{reason}.sqlite"
        target = snapshot_dir(self.path) / name
        _copy_database(self.conn, target, f"{SNAPSHOT_REASONS.get(reason, '')}快照", self.raw_key)
        prune_snapshots(self.path)
        return target

    def snapshot_if_changed(self, reason: str = "open") -> Path | None:
        last_op = int(self.scalar("SELECT coalesce(max(id), 0) FROM ops"))
        snaps = list_snapshots(self.path)
        if snaps and snapshot_info(snaps[0])[1] == last_op:
            return None
        return self.snapshot(reason)

    def backup(self, target: Path) -> Path:
        _copy_database(self.conn, target, "备份", self.raw_key)
        return target

    def restore_from(self, source: Path) -> Path:
        """Replace the whole ledger by a snapshot or backup, after snapshotting the current state."""
        _same_protection(source, self.raw_key)
        check = _check_file(source, raw_key=self.raw_key)
        if check != "ok":
            raise LedgerError(f"文件 {source.name} 不能用于恢复：{check}")
        before = self.snapshot("before-restore")
        src = _connect(f"file:{source}?mode=ro", self.raw_key, uri=True)
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


def _is_disk_fault(e: BaseException) -> bool:
    from db.fileutil import fault_kind

    return fault_kind(e) is not None


def _disk_fault(e: BaseException, path: Path) -> Exception:
    """A change the disk would not take (full, read-only, gone): WriteFailed naming the ledger. Other SQLite
    errors (a locked database, a constraint) pass through as they are."""
    from db.fileutil import write_failed

    if not _is_disk_fault(e):
        return e if isinstance(e, Exception) else RuntimeError(str(e))
    return write_failed(e, path, "台账的这次修改", after="这次修改没有保存，台账保持修改前的样子。")


_blob_cache: dict[tuple[int, str], set[str]] = {}


def _blob_columns(conn: sqlite3.Connection, tbl: str) -> set[str]:
    key = (id(conn), tbl)
    if key not in _blob_cache:
        _blob_cache[key] = {
            r[1] for r in conn.execute(f'PRAGMA table_info("{tbl}")') if str(r[2]).upper() == "BLOB"
        }
    return _blob_cache[key]


# ------------------------------------------------------------------------------------------ opening


def _connect(target: str | Path, raw_key: str | None, **kw: Any) -> sqlite3.Connection:
    """A connection to a ledger file: the standard sqlite3 module for a plain file (exactly as before issue
    #21), SQLCipher keyed with `raw_key` for an encrypted one."""
    if raw_key is None:
        plain: sqlite3.Connection = sqlite3.connect(target, **kw)
        return plain
    conn: sqlite3.Connection = cipher.connect(target, raw_key, **kw)
    return conn


def _same_protection(source: Path, raw_key: str | None) -> None:
    """Refuse a snapshot or backup that the ledger's current password (or its lack of one) cannot open, with
    what to do instead: copies are encrypted with the password they were made under."""
    encrypted = cipher.looks_encrypted(source)
    if raw_key is None and encrypted:
        raise LedgerError(
            f"文件 {source.name} 是设置密码后保存的（已加密），而台账现在没有密码，不能直接用它恢复。"
            "请用“打开台账”并输入当时的密码打开它，或先给台账设置同样的密码。"
        )
    if raw_key is not None and not encrypted:
        raise LedgerError(
            f"文件 {source.name} 是设置密码之前保存的（未加密），不能恢复到设有密码的台账中。"
            "请先在“设置 → 台账密码”中取消密码，恢复后再重新设置。"
        )
    if raw_key is not None:
        with open(source, "rb") as fh:
            salt = fh.read(cipher.SALT_SIZE)
        if not raw_key.endswith(salt.hex() + "'"):
            raise LedgerError(
                f"文件 {source.name} 是在另一个密码下保存的，不能恢复到现在的台账中。"
                "请用“打开台账”并输入当时的密码打开它。"
            )


def _check_file(path: Path, *, quick: bool = False, raw_key: str | None = None) -> str:
    """'ok' or a short Chinese reason why this file is not a healthy SQLite file. `quick`: SQLite's quick_check
    (every page, b-tree and record, but not whether each index matches its table): what opening a ledger runs,
    a fifth of the time of the full check on a large ledger; restores, upgrades and `verify` run the full one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as e:
        return f"无法读取（{e.strerror}）"
    if head != SQLITE_HEADER and raw_key is None:
        return "文件头不是 SQLite 数据库"
    try:
        conn = _connect(f"file:{path}?mode=ro", raw_key, uri=True)
        try:
            res = [r[0] for r in conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        return f"数据库错误：{e}"
    return "ok" if res == ["ok"] else "完整性检查未通过：" + "；".join(res[:3])


def _tracked_tables(conn: sqlite3.Connection) -> list[str]:
    """The audited tables: every table with an `id` primary key, not named `_…`, not the operations log."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
        if r[0] not in UNTRACKED
    ]


def audit_trigger_sql(conn: sqlite3.Connection) -> list[str]:
    """Guard + audit triggers for every tracked table (all tables with an `id` primary key, not named `_…`)."""
    stmts: list[str] = []
    keep_blobs = (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_undo_blobs'").fetchone()
        is not None
    )
    for tbl in _tracked_tables(conn):
        info = list(conn.execute(f'PRAGMA table_info("{tbl}")'))
        cols = [r[1] for r in info]
        pk = [r[1] for r in info if r[5]]
        if pk != ["id"]:
            raise RuntimeError(f"table {tbl} must have `id INTEGER PRIMARY KEY` to be audited")
        plain = [r[1] for r in info if str(r[2]).upper() != "BLOB"]

        def obj(prefix: str, plain: list[str] = plain) -> str:
            return "json_object(" + ", ".join(f"'{c}', {prefix}.\"{c}\"" for c in plain) + ")"

        guard = "SELECT RAISE(ABORT, 'write outside an operation') WHERE current_op() IS NULL"
        for ev in ("INSERT", "UPDATE", "DELETE"):
            stmts.append(
                f'CREATE TRIGGER "audit_guard_{tbl}_{ev.lower()}" BEFORE {ev} ON "{tbl}" BEGIN {guard}; END'
            )
        stmts.append(
            f'CREATE TRIGGER "audit_{tbl}_insert" AFTER INSERT ON "{tbl}" BEGIN '
            f"INSERT INTO changes(op_id, tbl, row_id, action, before, after) "
            f"VALUES (current_op(), '{tbl}', NEW.id, 'I', NULL, {obj('NEW')}); END"
        )
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in cols) or "0"
        stmts.append(
            f'CREATE TRIGGER "audit_{tbl}_update" AFTER UPDATE ON "{tbl}" WHEN {changed} BEGIN '
            f"INSERT INTO changes(op_id, tbl, row_id, action, before, after) "
            f"VALUES (current_op(), '{tbl}', NEW.id, 'U', {obj('OLD')}, {obj('NEW')}); END"
        )
        stmts.append(
            f'CREATE TRIGGER "audit_{tbl}_delete" AFTER DELETE ON "{tbl}" BEGIN '
            f"INSERT INTO changes(op_id, tbl, row_id, action, before, after) "
            f"VALUES (current_op(), '{tbl}', OLD.id, 'D', {obj('OLD')}, NULL); END"
        )
        if keep_blobs:
            for col in (r[1] for r in info if str(r[2]).upper() == "BLOB"):
                keep = (
                    "INSERT OR IGNORE INTO _undo_blobs(op_id, tbl, row_id, col, data) "
                    f"VALUES (current_op(), '{tbl}', OLD.id, '{col}', OLD.\"{col}\")"
                )
                stmts.append(
                    f'CREATE TRIGGER "audit_{tbl}_blob_{col}_delete" AFTER DELETE ON "{tbl}" '
                    f'WHEN OLD."{col}" IS NOT NULL BEGIN {keep}; END'
                )
                stmts.append(
                    f'CREATE TRIGGER "audit_{tbl}_blob_{col}_update" AFTER UPDATE OF "{col}" ON "{tbl}" '
                    f'WHEN OLD."{col}" IS NOT NEW."{col}" BEGIN {keep}; END'
                )
    return stmts


def install_audit_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create the audit triggers; called inside the migration transaction."""
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'audit\\_%' ESCAPE '\\'"
    ).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    for stmt in audit_trigger_sql(conn):
        conn.execute(stmt)


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    conn.row_factory = cipher.row_type(conn)
    if not isinstance(conn, sqlite3.Connection):  # SQLCipher: keep decrypted pages
        conn.execute(f"PRAGMA cache_size=-{cipher.CACHE_KIB}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=3000")
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # some removable-drive file systems refuse WAL; fall back safely
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")


def _no_op() -> None:
    return None


def _open_encrypted(path: Path, raw_key: str) -> sqlite3.Connection:
    """The working connection to an encrypted ledger, or WrongPassword (the file untouched)."""
    try:
        conn = _connect(path, raw_key, isolation_level=None, check_same_thread=False)
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e) or "encrypted" in str(e):
            raise cipher.WrongPassword(path) from e
        raise
    conn.execute(f"PRAGMA cache_size=-{cipher.CACHE_KIB}")
    return conn


def _unlock(path: Path, key: cipher.Key | None) -> str:
    """The raw key that opens this encrypted file, or PasswordNeeded / WrongPassword (the file untouched)."""
    if key is None:
        raise cipher.PasswordNeeded(path)
    raw = key.for_file(path)
    try:
        conn = cipher.connect(f"file:{path}?mode=ro", raw, uri=True)
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e) or "encrypted" in str(e):
            raise cipher.WrongPassword(path) from e
        raise
    conn.close()
    return raw


def open_ledger(
    path: str | os.PathLike[str],
    *,
    create: bool = False,
    lock: bool = True,
    snapshot_on_open: bool = True,
    target_version: int | None = None,
    password: str | cipher.Key | None = None,
) -> Ledger:
    """Open (or with create=True make) a ledger file.

    Raises LedgerLocked, LedgerTooNew, LedgerDamaged (the damaged file is set aside, never overwritten, and the
    newest good snapshots are listed) or NotALedger; all are LedgerOpenError (CLI exit 3).
    `password`: an encrypted ledger needs it (PasswordNeeded without, WrongPassword for a wrong one: neither
    touches the file); a new ledger made with one is encrypted; a plain ledger ignores it.
    `target_version` is for tests that build a file of an older schema.
    """
    from db.migrations import LATEST, migrate

    path = Path(path).absolute()
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise NotALedger(path) if path.exists() else LedgerOpenError(f"找不到台账文件 {path}。")
    file_lock = _FileLock(path) if lock else None
    if file_lock:
        try:
            file_lock.acquire()
        except OSError as e:
            from db.fileutil import write_failed

            raise write_failed(e, file_lock.path, "台账的锁文件", after="台账没有打开，文件保持原样。") from e
    created = False
    conn: sqlite3.Connection | None = None
    key = cipher.Key(password) if isinstance(password, str) else password
    raw_key: str | None = None
    try:
        if file_lock:
            from db import rekey

            rekey.clean_leftovers(path)
        if exists and cipher.looks_encrypted(path):
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
            else:
                verdict = _check_file(path, quick=True)
            if verdict != "ok":
                snaps = [s for s in list_snapshots(path) if _check_file(s, raw_key=raw_key) == "ok"]
                if verdict.startswith("文件头") and not snaps:
                    raise NotALedger(path)
                aside = path.with_name(f"{path.name}.damaged-{clock.now():%Y%m%d-%H%M%S}")
                os.replace(path, aside)
                for suffix in ("-wal", "-shm"):
                    side = path.with_name(path.name + suffix)
                    if side.exists():
                        os.replace(side, aside.with_name(aside.name + suffix))
                raise LedgerDamaged(path, verdict, aside, snaps)
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
        elif snapshot_on_open and exists:
            try:
                ledger.snapshot_if_changed("open")
            except WriteFailed as e:  # a safety copy only: the ledger opens, and the secretary is told
                ledger.warnings.append(f"打开时的自动快照没有保存。{e}")
        return ledger
    except BaseException as e:
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

    def close(self) -> None:
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
        conn = _connect(
            f"file:{path}?mode=ro", raw_key, uri=True, isolation_level=None, check_same_thread=False
        )
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
                src = str(path).replace("'", "''")
                mem.execute(f"ATTACH DATABASE 'file:{src}?mode=ro' AS src KEY \"{raw_key}\"")
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
    src = _connect(f"file:{snapshot}?mode=ro", raw_key, uri=True)
    try:
        _copy_database(src, ledger_path, raw_key=raw_key)
    finally:
        src.close()
