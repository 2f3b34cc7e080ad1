"""Set, change or remove a ledger's password (issue #21): named operations, crash-safe.

Each is one named operation (an audit row, nothing to undo: no record changes) with a snapshot before it
(`before-password`, under the old password or none). The file is never re-keyed in place (`PRAGMA rekey`
rewrites page after page: a kill in the middle leaves half the pages under each key). Instead the whole
ledger is exported into a new file beside it, `.<name>.rekey`, under the new key (or none), that file is
fsynced and checked, the ledger's connection is closed with its write-ahead log emptied, and the new file is
renamed over the old one: the rename is atomic, so at every moment the file at the ledger's path opens with the
old password or with the new one. A leftover `.rekey` file (a crash before the rename) is removed the next
time the ledger is opened for work.

`_pause` is a test hook: it is called with the name of each step, so a test can SIGKILL the process there.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from db import cipher
from db.cipher import read_only_uri
from db.connection import Ledger
from db.errors import InputRefused, LedgerError, Problem
from db.ledger_file import _connect, _prepare

_pause: Callable[[str], None] | None = None

STEPS = ("snapshot", "exported", "closed", "renamed", "reopened")


def _step(name: str) -> None:
    if _pause is not None:
        _pause(name)


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.rekey")


def clean_leftovers(path: Path) -> None:
    """Remove what a password change killed before its rename left behind (the caller holds the lock)."""
    tmp = temp_path(path)
    for p in (tmp, *cipher.side_files(tmp)):
        with contextlib.suppress(OSError):
            p.unlink()


def _check_new(password: str) -> None:
    reason = cipher.validate_password(password)
    if reason:
        raise InputRefused([Problem(reason, column="新密码")], "新密码不符合要求，台账没有改动")


def set_password(ledger: Ledger, password: str) -> None:
    if ledger.encrypted:
        raise LedgerError("这份台账已经设有密码；要换一个，请用“修改密码”。")
    _check_new(password)
    _rekey(ledger, password, "SetPassword", "设置台账密码")


def change_password(ledger: Ledger, old_password: str, password: str) -> None:
    if not ledger.encrypted:
        raise LedgerError("这份台账还没有密码；请用“设置密码”。")
    _confirm_old(ledger, old_password)
    _check_new(password)
    _rekey(ledger, password, "ChangePassword", "修改台账密码")


def remove_password(ledger: Ledger, old_password: str) -> None:
    if not ledger.encrypted:
        raise LedgerError("这份台账没有设置密码，无需取消。")
    _confirm_old(ledger, old_password)
    _rekey(ledger, None, "RemovePassword", "取消台账密码")


def _confirm_old(ledger: Ledger, old_password: str) -> None:
    if ledger.key is None or old_password != ledger.key.password:
        raise InputRefused([Problem("当前密码不正确", column="当前密码")], "当前密码不正确，台账没有改动")


def _rekey(ledger: Ledger, password: str | None, name: str, label: str) -> None:
    if ledger._op is not None:
        raise LedgerError("不能在另一项修改进行中更改密码。")
    path = ledger.path
    ledger.snapshot("before-password")
    _step("snapshot")
    with ledger.operation(name, label):
        pass  # the audit row: who changed the protection and when (never the password)
    new_key = cipher.Key(password) if password is not None else None
    new_raw = new_key.new_salt_raw() if new_key is not None else None
    tmp = temp_path(path)
    clean_leftovers(path)
    conn = ledger.conn
    ledger.wait_background()  # a background checkpoint the audit row may have started holds the log
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # The export runs on an SQLCipher connection: the ledger's own when it is encrypted, a second one otherwise
    # (the file is plain SQLite, which SQLCipher reads without a key).
    src = conn if ledger.encrypted else cipher.connect(path, None, isolation_level=None)
    try:
        src.execute("PRAGMA busy_timeout=3000")
        cipher.export_to(src, tmp, new_raw)
    except BaseException as e:
        clean_leftovers(path)
        if isinstance(e, sqlite3.Error | OSError):
            from db.fileutil import write_failed

            raise write_failed(
                e, tmp, "新密码下的台账", after="台账没有改动，仍用原来的密码（或无密码）。"
            ) from e
        raise
    finally:
        if src is not conn:
            src.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    check = _connect(read_only_uri(tmp), new_raw, uri=True)
    try:
        verdict = [r[0] for r in check.execute("PRAGMA quick_check")]
    finally:
        check.close()
    if verdict != ["ok"]:
        clean_leftovers(path)
        raise LedgerError("新密码下的台账副本检查未通过，台账没有改动：" + "；".join(verdict[:3]))
    _step("exported")
    # close the ledger's connection: the write-ahead log is emptied and removed; an old log must never meet the
    # new file
    with contextlib.suppress(sqlite3.Error):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for side in cipher.side_files(path):
        if side.exists():
            if side.name.endswith("-wal") and side.stat().st_size > 0:
                ledger.conn = _reopen(ledger, ledger.raw_key)
                clean_leftovers(path)
                raise LedgerError(
                    "台账的预写日志没能清空，密码没有更改，台账保持原样。请关闭其他窗口后再试。"
                )
            with contextlib.suppress(OSError):
                side.unlink()
    _step("closed")
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    _step("renamed")
    ledger.key, ledger.raw_key = new_key, new_raw
    ledger.conn = _reopen(ledger, new_raw)
    ledger._memo.clear()
    ledger._table_stamps.clear()
    ledger._opened_stamp = -1
    ledger._tracked = None
    _step("reopened")


def _reopen(ledger: Ledger, raw_key: str | None) -> sqlite3.Connection:
    conn = _connect(ledger.path, raw_key, isolation_level=None, check_same_thread=False)
    _prepare(conn, ledger.path)
    conn.create_function("current_op", 0, ledger._current_op_id)
    return conn


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------- the lock


def suspend(ledger: Ledger) -> None:
    """Lock: close the ledger's connection and forget its key (the file lock stays: nobody else opens it)."""
    if not ledger.encrypted or ledger.locked:
        return
    ledger.wait_background()  # a snapshot being copied still reads with the key
    with contextlib.suppress(sqlite3.Error):
        ledger.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    ledger.conn.close()
    ledger.key = None
    ledger.raw_key = None
    ledger.locked = True


def resume(ledger: Ledger, password: str) -> None:
    """Unlock with the password: WrongPassword (the ledger stays locked) or the connection is open again."""
    if not ledger.locked:
        return
    from db.ledger_file import _unlock

    key = cipher.Key(password)
    raw = _unlock(ledger.path, key)
    ledger.conn = _reopen(ledger, raw)
    ledger.key, ledger.raw_key = key, raw
    ledger.locked = False
