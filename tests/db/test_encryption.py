"""Password-protected ledgers (issue #21): encrypted at rest with SQLCipher 4, copies under the same key, a wrong
password refused without touching anything, a crash-safe password change, migrations and undo unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import resources
from db import cipher, interchange, members, rekey
from db.connection import (
    list_snapshots,
    open_ledger,
    open_ledger_readonly,
    restore_snapshot_to,
)
from db.errors import InputRefused, LedgerDamaged, LedgerError, LedgerLocked
from db.migrations import LATEST

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PW = "红旗渠-1965"
PW2 = "new-secret-42"

# The demo branch's members in the file (those who left included), from the demo itself: it grows with the app.
DEMO_MEMBERS = len(json.loads(resources.demo_document().read_text(encoding="utf-8"))["members"])


def secrets() -> list[bytes]:
    """Every ID number, name and phone of the demo branch (members and applicants), as UTF-8 bytes."""
    doc = json.loads(resources.demo_document().read_text(encoding="utf-8"))
    values: set[str] = set()
    for person in doc["members"] + doc.get("applicants", []):
        for key in ("id_number", "name", "phone"):
            if person.get(key):
                values.add(str(person[key]))
    assert len(values) > 60
    return sorted(v.encode("utf-8") for v in values)


def leaks(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [s for s in secrets() if s in data]


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("enc")
    path = folder / "demo.sqlite"
    with open_ledger(path, create=True, password=PW) as led:
        interchange.load_file(led, resources.demo_document())
    return path


def fresh_copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / src.name
    shutil.copyfile(src, dst)
    return dst


def test_plain_ledger_is_plain_sqlite(tmp_path: Path) -> None:
    with open_ledger(tmp_path / "p.sqlite", create=True) as led:
        assert not led.encrypted
        assert type(led.conn) is sqlite3.Connection  # the standard module: the plain path is unchanged
    assert (tmp_path / "p.sqlite").read_bytes()[:16] == b"SQLite format 3\x00"


def test_file_snapshots_and_backups_hold_no_personal_data(encrypted_demo: Path, tmp_path: Path) -> None:
    path = fresh_copy(encrypted_demo, tmp_path)
    assert leaks(path) == []
    assert cipher.looks_encrypted(path)
    with open_ledger(path, password=PW) as led:
        assert led.encrypted
        assert led.scalar("SELECT count(*) FROM members") == DEMO_MEMBERS
        members.add(led, members.Member(name="新党员甲", id_number="11010519491231002X"))
        backup = led.backup(tmp_path / "backups" / "b.sqlite")
        led.snapshot("manual")
        reader = led.reader()
        assert reader.scalar("SELECT count(*) FROM members") == DEMO_MEMBERS + 1
        reader.close()
    snaps = list_snapshots(path)
    assert len(snaps) >= 2
    for f in [path, backup, *snaps]:
        assert leaks(f) == [], f
        assert b"11010519491231002X" not in f.read_bytes()
        assert f.read_bytes()[:16] != b"SQLite format 3\x00"
    # the copies open with the same password and are whole
    for f in [backup, *snaps]:
        with open_ledger_readonly(f, password=PW) as copy:
            assert copy.verify()["ok"]
    # a plain copy of the same data does leak: the test would catch a copy written unencrypted
    with open_ledger(tmp_path / "plain.sqlite", create=True) as led:
        interchange.load_file(led, resources.demo_document())
    assert leaks(tmp_path / "plain.sqlite")


def test_standard_sqlcipher_key_opens_the_file(encrypted_demo: Path) -> None:
    """The raw key is what SQLCipher 4 derives from the password itself: the sqlcipher shell opens the file."""
    sc = cipher.load_sqlcipher()
    conn = sc.connect(f"file:{encrypted_demo}?mode=ro", uri=True)
    conn.execute(f"PRAGMA key = '{PW}'")
    assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == DEMO_MEMBERS
    conn.close()


def test_without_or_with_a_wrong_password_nothing_changes(encrypted_demo: Path, tmp_path: Path) -> None:
    path = fresh_copy(encrypted_demo, tmp_path)
    before = digest(tmp_path)
    for attempt in (None, "wrong-password", PW + "0"):
        with pytest.raises((cipher.PasswordNeeded, cipher.WrongPassword)) as info:
            open_ledger(path, password=attempt)
        assert isinstance(info.value, cipher.PasswordNeeded if attempt is None else cipher.WrongPassword)
        assert not isinstance(info.value, LedgerDamaged)
        assert "密码" in str(info.value)
        with pytest.raises((cipher.PasswordNeeded, cipher.WrongPassword)):
            open_ledger_readonly(path, password=attempt)
    after = digest(tmp_path)
    assert {k: v for k, v in after.items() if not k.endswith(".lock")} == before
    assert not list(tmp_path.glob("*.damaged-*"))
    assert list_snapshots(path) == []
    with open_ledger(path, password=PW) as led:  # and the right one still opens it
        assert led.verify()["ok"]


def test_the_lock_holds_for_an_encrypted_ledger(encrypted_demo: Path, tmp_path: Path) -> None:
    path = fresh_copy(encrypted_demo, tmp_path)
    with open_ledger(path, password=PW):
        with pytest.raises(LedgerLocked):
            open_ledger(path, password=PW)
        with pytest.raises(LedgerLocked):
            open_ledger(path)  # the lock is checked before the password is asked for


def test_errors_are_the_standard_sqlite3_ones(tmp_path: Path) -> None:
    with open_ledger(tmp_path / "e.sqlite", create=True, password=PW) as led:
        with pytest.raises(sqlite3.OperationalError) as info:
            led.conn.execute("SELECT nope FROM members")
        assert "nope" in str(info.value)
        with pytest.raises(sqlite3.Error):
            led.conn.execute("INSERT INTO members(name) VALUES ('x')")  # outside an operation: the guard
        with pytest.raises(sqlite3.IntegrityError), led.operation("T", "t"):
            led.conn.execute("INSERT INTO members(id, name) VALUES (1, 'a')")
            led.conn.execute("INSERT INTO members(id, name) VALUES (1, 'b')")
        assert led.scalar("SELECT count(*) FROM members") == 0


def test_undo_and_restore_on_an_encrypted_ledger(tmp_path: Path) -> None:
    path = tmp_path / "u.sqlite"
    with open_ledger(path, create=True, password=PW) as led:
        members.add(led, members.Member(name="张三"))
        snap = led.snapshot("manual")
        members.add(led, members.Member(name="李四"))
        rekey.change_password(led, PW, PW2)
        assert led.undo_last() is not None  # the password change has nothing to undo: 李四 goes
        assert [r[0] for r in led.query("SELECT name FROM members")] == ["张三"]
        # a snapshot made under the old password cannot be restored into the re-keyed ledger: said plainly
        with pytest.raises(LedgerError, match="另一个密码"):
            led.restore_from(snap)
        newer = led.snapshot("manual")
        members.add(led, members.Member(name="王五"))
        led.restore_from(newer)
        assert [r[0] for r in led.query("SELECT name FROM members")] == ["张三"]
    # a damaged-and-set-aside ledger is restored from an encrypted snapshot with its password
    gone = tmp_path / "restored.sqlite"
    restore_snapshot_to(newer, gone, PW2)
    assert leaks(gone) == [] and cipher.looks_encrypted(gone)
    with open_ledger(gone, password=PW2) as led:
        assert led.scalar("SELECT count(*) FROM members") == 1


def test_a_damaged_encrypted_file_is_set_aside_only_with_the_right_password(
    encrypted_demo: Path, tmp_path: Path
) -> None:
    path = fresh_copy(encrypted_demo, tmp_path)
    data = bytearray(path.read_bytes())
    for off in range(4096 * 3, 4096 * 5):
        data[off] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(cipher.WrongPassword):
        open_ledger(path, password="wrong-password")
    assert path.exists()
    with pytest.raises(LedgerDamaged) as info:
        open_ledger(path, password=PW)
    assert info.value.set_aside is not None and info.value.set_aside.exists()


def test_set_change_remove(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with open_ledger(path, create=True) as led:
        members.add(led, members.Member(name="张三", id_number="11010519491231002X"))
        with pytest.raises(InputRefused):
            rekey.set_password(led, "short")
        rekey.set_password(led, PW)
        assert led.encrypted and cipher.looks_encrypted(path)
        members.add(led, members.Member(name="李四"))  # the re-opened connection works, audited
        with pytest.raises(InputRefused):
            rekey.change_password(led, "not-the-old-one", PW2)
        rekey.change_password(led, PW, PW2)
        names = [o.name for o in led.history()]
        assert {"SetPassword", "ChangePassword"} <= set(names)
    assert b"11010519491231002X" not in path.read_bytes()
    with pytest.raises(cipher.WrongPassword):
        open_ledger(path, password=PW)
    with open_ledger(path, password=PW2) as led:
        rekey.remove_password(led, PW2)
        assert not led.encrypted
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    with open_ledger(path) as led:
        assert led.scalar("SELECT count(*) FROM members") == 2
        assert led.verify()["ok"]
    reasons = [p.name for p in list_snapshots(path) if "before-password" in p.name]
    assert len(reasons) == 3
    assert not rekey.temp_path(path).exists()


def test_migrate_an_encrypted_ledger_of_the_first_schema(tmp_path: Path) -> None:
    plain = tmp_path / "v1-plain.sqlite"
    shutil.copyfile(FIXTURES / "ledger-v1.sqlite", plain)
    path = tmp_path / "v1.sqlite"
    key = cipher.Key(PW)
    src = cipher.connect(plain, None)
    version = src.execute("PRAGMA user_version").fetchone()[0]
    assert version == 1
    cipher.export_to(src, path, key.new_salt_raw())
    src.close()
    assert cipher.looks_encrypted(path)
    with open_ledger_readonly(path, password=PW) as ro:  # read in a copy upgraded in memory
        assert ro.schema_version == LATEST
    with open_ledger(path, password=PW) as led:
        assert led.schema_version == LATEST
        assert led.verify()["ok"]
        n = led.scalar("SELECT count(*) FROM members")
    (before,) = [p for p in list_snapshots(path) if p.name.endswith("before-migrate.sqlite")]
    assert cipher.looks_encrypted(before)
    with open_ledger_readonly(before, password=PW, upgrade=False) as old:
        assert old.schema_version == 1
        assert old.scalar("SELECT count(*) FROM members") == n


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from db import rekey
    from db.connection import open_ledger
    path, old, new, where = sys.argv[1:5]
    led = open_ledger(path, password=old, snapshot_on_open=False)

    def die(step):
        if step == where:
            os.kill(os.getpid(), signal.SIGKILL)
        if where.startswith("vm-") and step == "snapshot":  # inside the export, after N virtual-machine steps
            left = [int(where[3:])]

            def tick():
                left[0] -= 1
                if left[0] <= 0:
                    os.kill(os.getpid(), signal.SIGKILL)
                return 0

            led.conn.set_progress_handler(tick, 1000)

    rekey._pause = die
    rekey.change_password(led, old, new)
    print("done")
    """
)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
@pytest.mark.parametrize("where", ["vm-5", "vm-60", "snapshot", "exported", "closed", "renamed", "reopened"])
def test_kill_during_a_password_change(encrypted_demo: Path, tmp_path: Path, where: str) -> None:
    path = fresh_copy(encrypted_demo, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(path), PW, PW2, where],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    opened = []
    for pw in (PW, PW2):
        try:
            led = open_ledger(path, password=pw)
        except cipher.WrongPassword:
            continue
        with led:
            assert led.verify()["ok"]
            assert led.scalar("SELECT count(*) FROM members") == DEMO_MEMBERS
        opened.append(pw)
    assert len(opened) == 1, opened
    expected = PW if where in ("vm-5", "vm-60", "snapshot", "exported", "closed") else PW2
    assert opened == [expected]
    assert not rekey.temp_path(path).exists()  # the next open cleaned up what the kill left
    assert leaks(path) == []
    assert not list(tmp_path.glob("*.damaged-*"))
