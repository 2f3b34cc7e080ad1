"""The open-time snapshot copied in a background thread (Ledger.snapshot_later, db.snapshots.BackgroundSnapshot):
the copy is the ledger as it stood when the copy began and is named after that state's last operation, whatever
is changed meanwhile; whatever replaces or copies the file waits for it; a failure is reported, never raised."""

from __future__ import annotations

import errno
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

from db import branch, cipher, members, snapshots
from db.connection import list_snapshots, open_ledger, snapshot_info
from db.errors import WriteFailed


def _changed(tmp_path: Path, n: int = 3, password: str | None = None) -> Path:
    path = tmp_path / "bg.sqlite"
    led = open_ledger(path, create=True, password=password)
    branch.save_branch(led, branch.Branch(name="后台快照支部"))
    for i in range(n):
        members.add(led, members.Member(name=f"党员{i}"))
    led.close()
    return path


def _count(snapshot: Path, password: str | None = None) -> int:
    if password is None:
        conn = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    else:
        conn = cipher.connect(snapshot, cipher.Key(password).for_file(snapshot))
    try:
        return int(conn.execute("SELECT count(*) FROM members").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(started, go): the background copy waits for `go` once its read transaction has begun."""
    started, go = threading.Event(), threading.Event()
    real = snapshots._copy_database

    def waiting(src: Any, target: Path, *a: Any, **kw: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            started.set()
            assert go.wait(30)
        real(src, target, *a, **kw)

    monkeypatch.setattr(snapshots, "_copy_database", waiting)
    return started, go


def test_a_changed_ledger_is_snapshotted_in_the_background(tmp_path: Path) -> None:
    path = _changed(tmp_path)
    led = open_ledger(path, snapshot_in_background=True)
    try:
        bg = led.background_snapshot
        assert bg is not None
        bg.wait()
        assert bg.error is None and bg.made is not None
        assert list_snapshots(path) == [bg.made]
        assert snapshot_info(bg.made)[1] == led.scalar("SELECT max(id) FROM ops")
        assert snapshot_info(bg.made)[2] == "open"
        assert _count(bg.made) == 3
    finally:
        led.close()
    led = open_ledger(path, snapshot_in_background=True)
    assert led.background_snapshot is None, "nothing changed since the last snapshot"
    led.close()
    assert len(list_snapshots(path)) == 1


def test_the_copy_is_the_state_when_it_began_and_named_after_it(
    tmp_path: Path, held: tuple[threading.Event, threading.Event]
) -> None:
    started, go = held
    path = _changed(tmp_path)
    led = open_ledger(path, snapshot_in_background=True)
    try:
        bg = led.background_snapshot
        assert bg is not None and started.wait(30)
        before = int(led.scalar("SELECT max(id) FROM ops"))
        members.add(led, members.Member(name="复制时新增"))  # the secretary works while it copies
        go.set()
        bg.wait()
        assert bg.made is not None
        assert snapshot_info(bg.made)[1] == before
        assert _count(bg.made) == 3, "the member added during the copy is not in it"
        assert led.scalar("SELECT count(*) FROM members") == 4
    finally:
        go.set()
        led.close()


def test_closing_a_snapshot_or_a_backup_wait_for_it(
    tmp_path: Path, held: tuple[threading.Event, threading.Event]
) -> None:
    started, go = held
    path = _changed(tmp_path)
    led = open_ledger(path, snapshot_in_background=True)
    bg = led.background_snapshot
    assert bg is not None and started.wait(30)
    threading.Timer(0.05, go.set).start()
    led.snapshot("manual")  # waits for the open-time copy, then makes its own
    assert not bg.running and bg.made is not None
    assert [snapshot_info(p)[2] for p in list_snapshots(path)] == ["manual", "open"]
    led.close()

    started.clear()
    go.clear()
    led = open_ledger(path, snapshot_in_background=False)
    members.add(led, members.Member(name="再改一次"))
    led.close()
    led = open_ledger(path, snapshot_in_background=True)
    bg = led.background_snapshot
    assert bg is not None and started.wait(30)
    threading.Timer(0.05, go.set).start()
    led.close()  # the lock is let go only once the copy is whole
    assert not bg.running and bg.made is not None and bg.made.exists()
    assert _count(bg.made) == 4

    started.clear()
    go.clear()
    led = open_ledger(path, snapshot_in_background=False)
    members.add(led, members.Member(name="第三次"))
    led.close()
    led = open_ledger(path, snapshot_in_background=True)
    try:
        bg = led.background_snapshot
        assert bg is not None and started.wait(30)
        threading.Timer(0.05, go.set).start()
        copy = led.backup(tmp_path / "备份.sqlite")  # waits for the open-time copy first
        assert not bg.running and bg.made is not None
        assert _count(copy) == _count(bg.made) == 5
    finally:
        go.set()
        led.close()


def test_a_full_disk_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _changed(tmp_path)

    def full(*a: Any, **kw: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    led = open_ledger(path, snapshot_in_background=True)
    try:
        bg = led.background_snapshot
        assert bg is not None
        bg.wait()
        assert isinstance(bg.error, WriteFailed) and "空间不足" in str(bg.error)
        assert bg.made is None and list_snapshots(path) == []
        members.add(led, members.Member(name="照常工作"))
        assert led.scalar("SELECT count(*) FROM members") == 4
    finally:
        led.close()
    folder = snapshots.snapshot_dir(path)
    assert not folder.exists() or not any(folder.iterdir()), "nothing half-written left behind"


def test_an_encrypted_ledger_is_snapshotted_encrypted(tmp_path: Path) -> None:
    pw = "后台快照密码2026"
    path = _changed(tmp_path, password=pw)
    led = open_ledger(path, password=pw, snapshot_in_background=True)
    try:
        bg = led.background_snapshot
        assert bg is not None
        bg.wait()
        assert bg.made is not None and cipher.looks_encrypted(bg.made)
        assert _count(bg.made, pw) == 3
    finally:
        led.close()


def test_a_held_copy_begins_when_released(tmp_path: Path) -> None:
    """The app holds the open-time copy until its 工作台 has filled in (snapshot_hold_s): nothing is copied
    before `release_background`, and the copy is the ledger as it was."""
    path = _changed(tmp_path)
    led = open_ledger(path, snapshot_in_background=True, snapshot_hold_s=30)
    try:
        bg = led.background_snapshot
        assert bg is not None
        bg._thread.join(0.2)  # noqa: SLF001 - a moment in which an unheld copy would have been made
        assert bg.running and bg.made is None and list_snapshots(path) == []
        led.release_background()
        bg._thread.join(30)  # noqa: SLF001 - released: not wait(), which releases too
        assert not bg.running and bg.error is None and bg.made is not None
        assert snapshot_info(bg.made)[1] == led.scalar("SELECT max(id) FROM ops")
        assert _count(bg.made) == 3
    finally:
        led.close()


def test_a_held_copy_begins_after_its_hold_without_a_release(tmp_path: Path) -> None:
    path = _changed(tmp_path)
    led = open_ledger(path, snapshot_in_background=True, snapshot_hold_s=0.05)
    try:
        bg = led.background_snapshot
        assert bg is not None
        bg._thread.join(30)  # noqa: SLF001 - never released: the hold ends by itself
        assert not bg.running and bg.made is not None and _count(bg.made) == 3
    finally:
        led.close()


def test_an_operation_during_the_hold_comes_after_the_copy_s_state(tmp_path: Path) -> None:
    """A write while the copy is held starts it first and waits until the copy has fixed the state it copies:
    the open-time snapshot never holds the day's first change."""
    path = _changed(tmp_path)
    led = open_ledger(path, snapshot_in_background=True, snapshot_hold_s=30)
    try:
        bg = led.background_snapshot
        assert bg is not None and bg.made is None
        before = int(led.scalar("SELECT max(id) FROM ops"))
        members.add(led, members.Member(name="打开后马上新增"))
        bg._thread.join(30)  # noqa: SLF001 - the operation released it
        assert not bg.running and bg.made is not None
        assert snapshot_info(bg.made)[1] == before
        assert _count(bg.made) == 3, "the member added after opening is not in the open-time snapshot"
        assert led.scalar("SELECT count(*) FROM members") == 4
    finally:
        led.close()


def test_closing_during_the_hold_makes_the_copy_first(tmp_path: Path) -> None:
    path = _changed(tmp_path)
    led = open_ledger(path, snapshot_in_background=True, snapshot_hold_s=30)
    bg = led.background_snapshot
    assert bg is not None
    led.close()  # waits for it: the hold ends at once
    assert not bg.running and bg.made is not None and list_snapshots(path) == [bg.made]
