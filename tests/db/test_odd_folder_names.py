"""A ledger in a folder whose name holds a character an SQLite URI gives a meaning of its own ('#', '%', '?'):
every read-only connection (the quick check at opening, the background reader of the 工作台, the open-time
snapshot copied in the background, the check after a password change) opens that very file — the URI once
stopped at the '#' and opened another path."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import members, rekey
from db.cipher import read_only_uri
from db.connection import Ledger, open_ledger
from db.ledger_file import _check_file
from db.snapshots import list_snapshots

NAMES = ["一支部#2", "100%41党支部", "问?号", "a%23b"]
PW = "支部台账密码2026"


def _members_read_in_the_background(led: Ledger) -> int:
    """What the 工作台's fill reads: the member count through the ledger's read-only background reader."""
    reader = led.reader()
    try:
        return int(reader.scalar("SELECT count(*) FROM members"))
    finally:
        reader.close()


def test_the_uri_escapes_what_a_uri_reads_itself() -> None:
    assert read_only_uri("/d/一支部#2/x%41?.sqlite") == "file:/d/一支部%232/x%2541%3F.sqlite?mode=ro"
    assert read_only_uri(Path("/d/plain/ledger.sqlite")) == "file:/d/plain/ledger.sqlite?mode=ro"


@pytest.mark.parametrize("folder", NAMES)
def test_a_ledger_in_such_a_folder_opens_checks_reads_and_snapshots(tmp_path: Path, folder: str) -> None:
    path = tmp_path / folder / "ledger.sqlite"
    path.parent.mkdir()
    led = open_ledger(path, create=True)
    members.add(led, members.Member(name="张三"))
    led.close()
    assert _check_file(path, quick=True) == "ok"
    led = open_ledger(path, snapshot_in_background=True)  # the quick check, then the snapshot in a thread
    try:
        background = led.background_snapshot
        assert background is not None
        background.wait()
        assert background.error is None and background.made is not None and background.made.exists()
        assert _members_read_in_the_background(led) == 1
    finally:
        led.close()
    assert list_snapshots(path)


@pytest.mark.parametrize("folder", NAMES[:2])
def test_an_encrypted_ledger_in_such_a_folder(tmp_path: Path, folder: str) -> None:
    path = tmp_path / folder / "ledger.sqlite"
    path.parent.mkdir()
    led = open_ledger(path, create=True)
    members.add(led, members.Member(name="张三"))
    rekey.set_password(led, PW)  # checked through a read-only connection to the new file
    led.close()
    led = open_ledger(path, password=PW)
    try:
        assert _members_read_in_the_background(led) == 1
    finally:
        led.close()
