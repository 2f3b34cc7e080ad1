"""The write-ahead log is copied into the ledger file in the background (db/checkpoint.py): after operations that
changed enough rows, a thread checkpoints on a connection of its own, so the committing (GUI) thread no longer
pays for it; the ledger's own connection checkpoints in a commit only past SAFETY_PAGES. Read here from the main
file alone (a copy of it without its log): the file holds a large load once the background checkpoint ran, and
does not when none ran."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import resources
from db import checkpoint, cipher, interchange
from db.connection import Ledger, open_ledger


def _members_in_file_alone(path: Path, tmp: Path, raw_key: str | None = None) -> int:
    """How many members the ledger file holds by itself, its write-ahead log left out."""
    alone = tmp / "alone.sqlite"
    shutil.copyfile(path, alone)
    conn = sqlite3.connect(alone) if raw_key is None else cipher.connect(alone, raw_key)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name='members'").fetchone():
            return 0  # not even the schema: everything is still in the log
        return int(conn.execute("SELECT count(*) FROM members").fetchone()[0])
    finally:
        conn.close()


def _load_demo(led: Ledger) -> int:
    before = led.conn.total_changes
    interchange.load_file(led, resources.demo_document())
    return int(led.conn.total_changes - before)


def test_a_large_operation_is_checkpointed_in_the_background(tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "l.sqlite", create=True)
    try:
        assert int(led.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]) == checkpoint.SAFETY_PAGES
        assert _load_demo(led) >= checkpoint.CHANGES_PER_CHECKPOINT
        started = led._checkpoint  # noqa: SLF001
        assert started is not None
        led.wait_background()  # what copies or replaces the file waits for it
        assert not started.running and started.error is None
        assert started.result is not None and started.result[0] == 0  # not held up by the ledger's own reads
        assert started.result[1] == started.result[2] > 0  # every frame of the log copied into the file
        members = int(led.scalar("SELECT count(*) FROM members"))
        assert members > 0 and _members_in_file_alone(led.path, tmp_path) == members
    finally:
        led.close()
    assert not (tmp_path / "l.sqlite-wal").exists()  # closing still empties and removes the log


def test_without_the_background_checkpoint_the_load_stays_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: with no background checkpoint, the ledger's own connection leaves the load in the log (it
    checkpoints only past SAFETY_PAGES), so the test above reads what the background one did."""
    from db import ledger as ledger_module

    monkeypatch.setattr(ledger_module, "CHANGES_PER_CHECKPOINT", 10**9)
    led = open_ledger(tmp_path / "l.sqlite", create=True)
    try:
        _load_demo(led)
        assert led._checkpoint is None  # noqa: SLF001
        assert _members_in_file_alone(led.path, tmp_path) == 0
    finally:
        led.close()
    conn = sqlite3.connect(tmp_path / "l.sqlite")  # closed: the log went into the file
    try:
        assert int(conn.execute("SELECT count(*) FROM members").fetchone()[0]) > 0
    finally:
        conn.close()


def test_an_encrypted_ledger_is_checkpointed_with_its_key(tmp_path: Path) -> None:
    led = open_ledger(tmp_path / "l.sqlite", create=True, password="检查点测试密码2026")
    try:
        assert led.raw_key is not None
        _load_demo(led)
        led.wait_background()
        members = int(led.scalar("SELECT count(*) FROM members"))
        assert members > 0 and _members_in_file_alone(led.path, tmp_path, led.raw_key) == members
    finally:
        led.close()


def test_small_operations_add_up_to_a_checkpoint_and_one_runs_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows changed are counted across operations; while a checkpoint still runs, a later operation starts
    none (and the count goes on, so the next one after it ends starts)."""
    from db import ledger as ledger_module
    from db import settings

    class Held:
        """A checkpoint that runs until the test lets it end."""

        made: list[Held] = []

        def __init__(self, path: Path, raw_key: str | None) -> None:
            self.running = True
            Held.made.append(self)

        def wait(self) -> None:
            self.running = False

    monkeypatch.setattr(ledger_module, "CHANGES_PER_CHECKPOINT", 10)
    monkeypatch.setattr(ledger_module, "BackgroundCheckpoint", Held)
    led = open_ledger(tmp_path / "l.sqlite", create=True)
    try:
        per_op = led.conn.total_changes
        settings.update(led, {"dues_cap": "1000"})
        per_op = led.conn.total_changes - per_op  # the setting, its audit row, the operation's row
        assert 0 < per_op < 10
        for i in range(1, 40):
            settings.update(led, {"dues_cap": str(1000 + i)})
        assert len(Held.made) == 1  # the first still runs: no second one
        Held.made[0].running = False
        settings.update(led, {"dues_cap": "2000"})
        assert len(Held.made) == 2  # it ended: the count that went on starts the next at once
    finally:
        led.close()
    assert not Held.made[-1].running  # closing waited for it
