"""The ledger file: lock, migrations (from a real v1 file), refusal of newer files, damaged files, snapshots,
backup/restore, the audit trail and undo."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from db import branch, members
from db.connection import (
    KEEP_RECENT_SNAPSHOTS,
    list_snapshots,
    open_ledger,
    prune_snapshots,
    restore_snapshot_to,
    snapshot_dir,
)
from db.errors import LedgerDamaged, LedgerLocked, LedgerOpenError, LedgerTooNew, NotALedger
from db.filelock import FileLock
from db.migrations import LATEST, STEPS, split_sql

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _member(name: str = "张三", idn: str | None = "11010519491231002X") -> members.Member:
    return members.Member(
        name=name, id_number=idn, joined_on=dt.date(1990, 1, 1), full_on=dt.date(1991, 1, 1)
    )


# ---------------------------------------------------------------------------------------------- the lock


def test_second_open_is_refused_naming_the_holder(ledger) -> None:
    with pytest.raises(LedgerLocked) as err:
        open_ledger(ledger.path)
    text = str(err.value)
    assert "正在被使用" in text and "用户" in text and "计算机" in text


def test_the_holder_names_this_computer_as_socket_would(monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import os
    import socket
    import sys

    from db import filelock

    if hasattr(os, "uname"):
        assert filelock.host_name() == socket.gethostname()
    assert json.loads(filelock.FileLock.holder_text())["host"] == filelock.host_name()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("COMPUTERNAME", "DESKTOP-7H2K3L1")
    assert filelock.host_name() == "DESKTOP-7H2K3L1"
    monkeypatch.delenv("COMPUTERNAME")
    assert filelock.host_name() == socket.gethostname(), "no COMPUTERNAME: asked of socket"


def test_lock_is_released_on_close_and_a_stale_lock_file_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    open_ledger(path, create=True).close()
    # The lock file is never deleted (deleting it let two processes hold "the" lock at once, issue #13):
    # it stays, names nobody, and is not locked.
    assert path.with_name("a.sqlite.lock").read_bytes() == b""
    probe = FileLock(path)
    assert probe.try_acquire()
    probe.release()
    # A crashed app leaves its lock file behind, but no OS lock: the next open takes it over.
    path.with_name("a.sqlite.lock").write_text(
        '{"user": "old", "host": "pc", "pid": 1, "since": "2026-01-01T00:00:00"}'
    )
    led = open_ledger(path)
    led.close()


# ---------------------------------------------------------------------------------------------- migrations


def test_fresh_file_is_at_latest_version_with_application_id(ledger) -> None:
    assert ledger.schema_version == LATEST
    assert ledger.scalar("PRAGMA application_id") == 0x424C4447
    assert ledger.scalar("PRAGMA journal_mode") == "wal"
    assert ledger.scalar("PRAGMA foreign_keys") == 1


def test_upgrade_from_the_committed_v1_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "ledger-v1.sqlite", path)
    led = open_ledger(path)
    try:
        assert led.schema_version == LATEST
        assert led.verify()["ok"]
        names = {m.name for m in members.list_members(led)}
        assert names == {"王一", "李二", "张三", "赵四"}
        assert branch.branch_name(led) == "中共升级测试有限公司支部委员会"
        gone = next(m for m in members.list_members(led) if m.name == "张三")
        assert gone.status == "transferred_out"
        # history survives: 张三 was in the branch before the transfer, not after
        on_before = {r.name for r in members.roster_on(led, dt.date(2024, 6, 1))}
        on_after = {r.name for r in members.roster_on(led, dt.date(2024, 7, 1))}
        assert "张三" in on_before and "张三" not in on_after
        # the upgraded file still takes audited, undoable writes
        members.add(led, _member("新人", None))
        assert led.undo_last() is not None
    finally:
        led.close()
    if LATEST > 1:
        snaps = list_snapshots(path)
        assert any("before-migrate" in s.name for s in snaps), "a copy must be kept before upgrading"


def test_a_file_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    open_ledger(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={LATEST + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LedgerTooNew) as err:
        open_ledger(path)
    assert "更新版本" in str(err.value)
    assert path.read_bytes() == before
    probe = FileLock(path)  # the refused open let go of the lock
    assert probe.try_acquire()
    probe.release()


def test_failed_migration_rolls_back_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from db import migrations

    path = tmp_path / "m.sqlite"
    shutil.copyfile(FIXTURES / "ledger-v1.sqlite", path)
    if LATEST == 1:
        pytest.skip("only one schema step so far")

    def broken(conn: sqlite3.Connection, step: migrations.Step) -> None:
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(migrations, "apply_step", broken)
    with pytest.raises(RuntimeError):
        open_ledger(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_migration_steps_are_numbered_without_gaps() -> None:
    assert [s.version for s in STEPS] == list(range(1, LATEST + 1))


def test_split_sql_keeps_trigger_bodies_whole() -> None:
    stmts = split_sql(
        "CREATE TABLE a(id INTEGER PRIMARY KEY);\n-- note\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
        "  SELECT 1; SELECT 2;\nEND;\n"
    )
    assert len(stmts) == 2 and stmts[1].endswith("END;")


# ---------------------------------------------------------------------------------------------- damaged files


def test_damaged_file_is_set_aside_and_snapshots_offered(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    led = open_ledger(path, create=True)
    branch.save_branch(led, branch.Branch(name="损坏测试支部"))
    for i in range(30):
        members.add(led, _member(f"党员{i}", None))
    led.snapshot("manual")
    led.close()
    data = bytearray(path.read_bytes())
    for off in range(4096 * 2, min(len(data), 4096 * 6)):
        data[off] = 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(LedgerDamaged) as err:
        open_ledger(path)
    e = err.value
    assert e.set_aside is not None and e.set_aside.exists(), "the damaged file is kept, never overwritten"
    assert not path.exists()
    assert e.snapshots, "the newest good snapshot is offered"
    restore_snapshot_to(e.snapshots[0], path)
    led = open_ledger(path)
    try:
        assert branch.branch_name(led) == "损坏测试支部"
        assert led.scalar("SELECT count(*) FROM members") == 30
    finally:
        led.close()


def test_a_random_file_is_not_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库")
    with pytest.raises(NotALedger):
        open_ledger(path)
    assert path.read_text() == "这不是数据库"


def test_a_foreign_sqlite_file_is_not_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.close()
    with pytest.raises(NotALedger):
        open_ledger(path)


def test_missing_file_is_an_open_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerOpenError):
        open_ledger(tmp_path / "nope.sqlite")


# ---------------------------------------------------------------------------------------------- snapshots, backup


def test_snapshot_on_open_only_when_changed(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    led = open_ledger(path, create=True)
    branch.save_branch(led, branch.Branch(name="快照支部"))
    led.close()
    open_ledger(path).close()
    assert len(list_snapshots(path)) == 1
    open_ledger(path).close()
    assert len(list_snapshots(path)) == 1, "no new snapshot when nothing changed"
    led = open_ledger(path)
    members.add(led, _member())
    led.close()
    open_ledger(path).close()
    assert len(list_snapshots(path)) == 2


def test_snapshot_retention_keeps_ten_recent_and_one_per_month(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    folder = snapshot_dir(path)
    folder.mkdir(parents=True)
    for month in range(1, 7):
        for day in (1, 15):
            (
                folder / f"r-2025{month:02d}{day:02d}-120000-000000-op{month * 100 + day}-open.sqlite"
            ).write_bytes(b"x")
    for i in range(12):
        (folder / f"r-20261101-12{i:02d}00-000000-op{900 + i}-open.sqlite").write_bytes(b"x")
    prune_snapshots(path)
    kept = list_snapshots(path)
    recent = [p for p in kept if "-202611" in p.name]
    old = [p for p in kept if "-2025" in p.name]
    assert len(recent) == KEEP_RECENT_SNAPSHOTS
    assert len(old) == 6 and all("15-120000" in p.name for p in old), "the newest of each older month"


def test_backup_and_restore_round_trip(ledger, tmp_path: Path) -> None:
    members.add(ledger, _member("甲", None))
    backup = ledger.backup(tmp_path / "backup.sqlite")
    members.add(ledger, _member("乙", None))
    assert ledger.scalar("SELECT count(*) FROM members") == 2
    before = ledger.restore_from(backup)
    assert before.exists(), "the state before the restore is snapshotted"
    assert [m.name for m in members.list_members(ledger)] == ["甲"]
    # restoring the pre-restore snapshot brings 乙 back
    ledger.restore_from(before)
    assert sorted(m.name for m in members.list_members(ledger)) == ["乙", "甲"]
    # the restored ledger still writes through audited operations
    members.add(ledger, _member("丙", None))
    assert ledger.verify()["ok"]


def test_restore_refuses_a_damaged_source(ledger, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(Exception, match="不能用于恢复"):
        ledger.restore_from(bad)


# ---------------------------------------------------------------------------------------------- audit and undo


def test_every_write_is_an_audited_operation(ledger) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="outside an operation"):
        ledger.conn.execute("INSERT INTO members(name) VALUES ('无名')")
    mid = members.add(ledger, _member())
    op = ledger.history(1)[0]
    assert op.name == "AddMember" and op.label == "新增党员 张三"
    changes = ledger.changes_of(op.id)
    assert [(c["tbl"], c["row_id"], c["action"]) for c in changes] == [("members", mid, "I")]
    assert ledger.last_result is not None and ledger.last_result.tables == {"members"}


def test_undo_reverses_inserts_updates_and_deletes_in_order(ledger) -> None:
    mid = members.add(ledger, _member())
    m = members.get(ledger, mid)
    m.job = "工程师"
    members.update(ledger, m)
    members.change_status(ledger, mid, "transferred_out", dt.date(2026, 3, 1), "调动")
    assert members.get(ledger, mid).status == "transferred_out"
    ledger.undo_last()
    back = members.get(ledger, mid)
    assert back.status == "active" and back.job == "工程师"
    assert members.history_of(ledger, mid) == []
    ledger.undo_last()
    assert members.get(ledger, mid).job is None
    members.delete(ledger, mid)
    ledger.undo_last()
    assert members.get(ledger, mid).name == "张三"
    undone = [o for o in ledger.history() if o.undone]
    assert len(undone) == 3


def test_failed_operation_writes_nothing(ledger) -> None:
    n_ops = len(ledger.history())
    with pytest.raises(RuntimeError), ledger.operation("Broken", "出错的操作"):
        members.insert(ledger, _member("半截"))
        raise RuntimeError("boom")
    assert ledger.scalar("SELECT count(*) FROM members") == 0
    assert len(ledger.history()) == n_ops


def test_reader_sees_committed_data_and_cannot_write(ledger) -> None:
    members.add(ledger, _member())
    reader = ledger.reader()
    try:
        assert reader.scalar("SELECT count(*) FROM members") == 1
        with pytest.raises(sqlite3.OperationalError):
            reader.conn.execute("DELETE FROM members")
    finally:
        reader.close()


def test_files_are_written_whole_with_ordinary_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from db.fileutil import write_text_atomic

    target = write_text_atomic(tmp_path / "out.txt", "内容")
    mode = stat.S_IMODE(target.stat().st_mode)
    mask = os.umask(0)
    os.umask(mask)
    assert mode == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"], "no temporary file left behind"
