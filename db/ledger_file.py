"""The ledger file below the Ledger: connecting (plain SQLite or SQLCipher), checking its integrity, the
connection settings, unlocking an encrypted file, and what a disk fault means."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from db import cipher
from db.checkpoint import SAFETY_PAGES
from db.cipher import read_only_uri
from db.errors import LedgerError

SQLITE_HEADER = b"SQLite format 3\x00"


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
        conn = _connect(read_only_uri(path), raw_key, uri=True)
        try:
            res = [r[0] for r in conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        return f"数据库错误：{e}"
    return "ok" if res == ["ok"] else "完整性检查未通过：" + "；".join(res[:3])


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    conn.row_factory = cipher.row_type(conn)
    if not isinstance(conn, sqlite3.Connection):  # SQLCipher: keep decrypted pages
        conn.execute(f"PRAGMA cache_size=-{cipher.CACHE_KIB}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=3000")
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # some removable-drive file systems refuse WAL; fall back safely
        conn.execute("PRAGMA journal_mode=DELETE")
    else:  # the log is checkpointed in the background (db/checkpoint.py); in the commit only past this
        conn.execute(f"PRAGMA wal_autocheckpoint={SAFETY_PAGES}")
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
        conn = cipher.connect(read_only_uri(path), raw, uri=True)
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e) or "encrypted" in str(e):
            raise cipher.WrongPassword(path) from e
        raise
    conn.close()
    return raw
