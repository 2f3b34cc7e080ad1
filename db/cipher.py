"""A password-protected ledger: the whole file encrypted at rest with SQLCipher 4 (issue #21).

Without a password nothing here is used: the ledger is plain SQLite through the standard `sqlite3` module,
exactly as before. With one, every connection to the file (the ledger's own, background readers, the integrity
check, snapshot and backup copies) goes through `connect`, which keys it with SQLCipher's raw key form
`x'<key><salt>'`, where key = PBKDF2-HMAC-SHA512(password, salt, 256000, 32 bytes) and salt = the file's first
16 bytes — byte for byte what SQLCipher 4 derives from `PRAGMA key='password'` itself (so the standard
`sqlcipher` shell opens the file with the password), but derived once per salt and session instead of once per
connection: opening stays fast. Copies are made with the same key *and* salt, so one password opens the ledger,
its snapshots, backups and handover copies.

There is no back door: the password is never stored, and a forgotten one cannot be recovered.

The SQLCipher module raises its own exception classes; `connect` gives connections whose errors are the standard
`sqlite3` ones (same class names, same error codes), so every `except sqlite3.Error` in db/ works unchanged.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.errors import LedgerOpenError

KDF_ITER = 256_000  # SQLCipher 4 defaults: PBKDF2-HMAC-SHA512, 256000 iterations, 32-byte key, 16-byte salt
SALT_SIZE = 16
SQLITE_HEADER = b"SQLite format 3\x00"
MIN_PASSWORD = 6
# Page cache of an encrypted ledger's own connection (KiB; SQLite's default is 2000): a page read from the cache
# is not decrypted again, and a ten-year ledger is a few MB
CACHE_KIB = 32_000
ENV_PASSWORD = "LEDGER_PASSWORD"
ENV_NEW_PASSWORD = "LEDGER_NEW_PASSWORD"
NO_RECOVERY = (
    "密码不会保存在任何地方，也没有“找回密码”：忘记密码，台账就再也打不开了，开发者也无法恢复。"
    "请把密码记在只有您能拿到的地方（例如和纸质记录本一起锁在柜子里）。"
)


class PasswordNeeded(LedgerOpenError):
    """The ledger is encrypted and no password was given (CLI exit 3)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"台账文件 {path} 设有密码（已加密），需要输入密码才能打开。"
            f"命令行请用 --password-file 文件 或环境变量 {ENV_PASSWORD} 提供密码。文件未作任何改动。"
        )


class WrongPassword(LedgerOpenError):
    """The password does not open this file. Never a reason to set the file aside as damaged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"密码不正确，台账文件 {path} 没有打开（文件未作任何改动）。请检查大小写和输入法后再试。"
            "如果确认密码无误仍打不开，文件的开头可能已损坏，请用快照或备份恢复。"
        )


def load_sqlcipher() -> Any:
    try:
        from sqlcipher3 import dbapi2  # SQLCipher 4 (sqlcipher3 ≥ 0.6.2 ships it inside the wheel)
    except ImportError as e:  # pragma: no cover - a broken install
        raise LedgerOpenError(
            "本程序缺少加密组件（sqlcipher3），无法打开设有密码的台账。请重新安装支部台账。"
        ) from e
    return dbapi2


def cipher_version() -> str:
    sc = load_sqlcipher()
    conn = sc.connect(":memory:")
    try:
        return str(conn.execute("PRAGMA cipher_version").fetchone()[0])
    finally:
        conn.close()


def looks_encrypted(path: Path) -> bool:
    """True when the file is not plain SQLite but could be an SQLCipher file (random from the first byte, a
    whole number of pages). A plain ledger whose first 16 bytes were damaged keeps the rest of SQLite's header
    (bytes 21–23 are always 64, 32, 32) and is damaged, not encrypted."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(head) < 100 or head[:16] == SQLITE_HEADER:
        return False
    return head[21:24] != b"\x40\x20\x20" and size % 512 == 0


def validate_password(password: str) -> str | None:
    """A Chinese reason why this password is not accepted, or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 位。"
    if password != password.strip():
        return "密码的开头和结尾不能是空格。"
    return None


@dataclass
class Key:
    """The password of one ledger, and the keys derived from it (one per salt, derived once)."""

    password: str
    _derived: dict[bytes, str] = field(default_factory=dict, repr=False)

    def raw(self, salt: bytes) -> str:
        """SQLCipher's raw key literal for this salt."""
        hit = self._derived.get(salt)
        if hit is None:
            import hashlib  # here: a plain ledger's start never needs it (4 ms before the window's first paint)

            key = hashlib.pbkdf2_hmac("sha512", self.password.encode("utf-8"), salt, KDF_ITER, 32)
            hit = f"x'{key.hex()}{salt.hex()}'"
            self._derived[salt] = hit
        return hit

    def for_file(self, path: Path) -> str:
        with open(path, "rb") as fh:
            salt = fh.read(SALT_SIZE)
        return self.raw(salt)

    def new_salt_raw(self) -> str:
        return self.raw(os.urandom(SALT_SIZE))


def _translate(e: BaseException) -> BaseException:
    cls = getattr(sqlite3, type(e).__name__, sqlite3.DatabaseError)
    if not (isinstance(cls, type) and issubclass(cls, sqlite3.Error)):
        cls = sqlite3.DatabaseError
    new = cls(*e.args)
    for attr in ("sqlite_errorcode", "sqlite_errorname"):
        if hasattr(e, attr):
            with contextlib.suppress(AttributeError, TypeError):
                setattr(new, attr, getattr(e, attr))
    return new


_classes: tuple[type, type] | None = None


def _wrapped_classes() -> tuple[type, type]:
    """Connection and cursor subclasses that raise the standard sqlite3 exceptions."""
    global _classes
    if _classes is not None:
        return _classes
    sc = load_sqlcipher()
    err = sc.Error

    class Cursor(sc.Cursor):  # type: ignore[misc,name-defined]
        def execute(self, *a: Any) -> Any:
            try:
                return super().execute(*a)
            except err as e:
                raise _translate(e) from None

        def executemany(self, *a: Any) -> Any:
            try:
                return super().executemany(*a)
            except err as e:
                raise _translate(e) from None

        def executescript(self, *a: Any) -> Any:
            try:
                return super().executescript(*a)
            except err as e:
                raise _translate(e) from None

        def fetchone(self) -> Any:
            try:
                return super().fetchone()
            except err as e:
                raise _translate(e) from None

        def fetchmany(self, *a: Any) -> Any:
            try:
                return super().fetchmany(*a)
            except err as e:
                raise _translate(e) from None

        def fetchall(self) -> Any:
            try:
                return super().fetchall()
            except err as e:
                raise _translate(e) from None

        def __next__(self) -> Any:
            try:
                return super().__next__()
            except err as e:
                raise _translate(e) from None

    class Connection(sc.Connection):  # type: ignore[misc,name-defined]
        def cursor(self, factory: Any = Cursor) -> Any:
            try:
                return super().cursor(factory)
            except err as e:  # a closed connection (a locked ledger)
                raise _translate(e) from None

        def execute(self, sql: str, params: Any = ()) -> Any:
            return self.cursor().execute(sql, params)

        def executemany(self, sql: str, params: Any) -> Any:
            return self.cursor().executemany(sql, params)

        def executescript(self, script: str) -> Any:
            return self.cursor().executescript(script)

        def commit(self) -> None:
            try:
                super().commit()
            except err as e:
                raise _translate(e) from None

        def rollback(self) -> None:
            try:
                super().rollback()
            except err as e:
                raise _translate(e) from None

        def backup(self, target: Any, **kw: Any) -> None:
            try:
                super().backup(target, **kw)
            except err as e:
                raise _translate(e) from None

    _classes = (Connection, Cursor)
    return _classes


def row_type(conn: Any) -> Any:
    """The Row class that fits this connection (the standard one, or SQLCipher's)."""
    if isinstance(conn, sqlite3.Connection):
        return sqlite3.Row
    return load_sqlcipher().Row


def connect(
    target: str | Path,
    raw_key: str | None,
    *,
    uri: bool = False,
    isolation_level: str | None = "",
    check_same_thread: bool = True,
    verify: bool = True,
) -> Any:
    """An SQLCipher connection keyed with `raw_key` (None: an unencrypted file or memory, through SQLCipher).
    `verify` reads the schema once: a wrong key raises sqlite3.DatabaseError("file is not a database")."""
    sc = load_sqlcipher()
    conn_cls, _ = _wrapped_classes()
    kw: dict[str, Any] = {"uri": uri, "check_same_thread": check_same_thread, "factory": conn_cls}
    if isolation_level != "":
        kw["isolation_level"] = isolation_level
    conn = sc.connect(str(target), **kw)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if raw_key is not None:
            conn.execute(f'PRAGMA key = "{raw_key}"')
        if verify:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def read_only_uri(path: str | os.PathLike[str]) -> str:
    """The SQLite URI that opens `path` read-only. The characters a URI gives a meaning of its own ('%', '?',
    '#') are escaped: a ledger in a folder named "一支部#2" is opened there, not in a folder "一支部"."""
    text = os.fspath(path).replace("%", "%25").replace("?", "%3F").replace("#", "%23")
    return f"file:{text}?mode=ro"


def opens_with(path: Path, key: Key) -> bool:
    try:
        conn = connect(read_only_uri(path), key.for_file(path), uri=True)
    except (sqlite3.DatabaseError, OSError):
        return False
    conn.close()
    return True


def export_to(src: Any, target: Path, raw_key: str | None) -> None:
    """Write the whole database of connection `src` (an SQLCipher connection, keyed or not) into the new file
    `target`, encrypted with `raw_key` (None or '': plain SQLite). The caller makes `target` a temporary name."""
    key_sql = "''" if not raw_key else f'"{raw_key}"'
    target_sql = str(target).replace("'", "''")
    version = int(src.execute("PRAGMA user_version").fetchone()[0])
    app_id = int(src.execute("PRAGMA application_id").fetchone()[0])
    src.execute(f"ATTACH DATABASE '{target_sql}' AS export KEY {key_sql}")
    try:
        src.execute("PRAGMA export.journal_mode=DELETE")
        src.execute("SELECT sqlcipher_export('export')")
        src.execute(f"PRAGMA export.user_version={version}")
        src.execute(f"PRAGMA export.application_id={app_id}")
    finally:
        src.execute("DETACH DATABASE export")


def read_password_file(path: str | os.PathLike[str]) -> str:
    """The password in a file: its first line, without the line end (UTF-8, a BOM allowed)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    return lines[0] if lines else ""


def side_files(path: Path) -> Iterator[Path]:
    for suffix in ("-wal", "-shm", "-journal"):
        yield path.with_name(path.name + suffix)
