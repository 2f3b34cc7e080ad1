"""Opening a ledger early (db/early_open.py): the lock taken and the quick check run in the background before Qt
loads, then taken over by open_ledger. What is checked, and when a file is refused, stay as they were."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import pytest

from db import branch, ledger_open, members
from db.connection import open_ledger
from db.early_open import begin_open
from db.errors import LedgerDamaged, LedgerLocked, LedgerOpenError
from db.filelock import FileLock
from tests.db.test_ledger_file import _member


def _plain(tmp_path: Path, name: str = "e.sqlite", n: int = 5) -> Path:
    path = tmp_path / name
    led = open_ledger(path, create=True)
    branch.save_branch(led, branch.Branch(name="早开测试支部"))
    for i in range(n):
        members.add(led, _member(f"党员{i}", None))
    led.close()
    return path


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for off in range(4096 * 2, min(len(data), 4096 * 6)):
        data[off] = 0x5A
    path.write_bytes(bytes(data))


def _locked_by_someone(path: Path) -> bool:
    probe = FileLock(path)
    if probe.try_acquire():
        probe.release()
        return False
    return True


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The quick checks open_ledger runs on its own thread (the early thread calls db.ledger_file's)."""
    seen: list[Path] = []
    real = ledger_open._check_file

    def spy(path: Path, **kw: Any) -> str:
        if kw.get("quick"):
            seen.append(path)
        return real(path, **kw)

    monkeypatch.setattr(ledger_open, "_check_file", spy)
    return seen


def test_the_early_verdict_is_used_and_the_lock_handed_over(tmp_path: Path, checks: list[Path]) -> None:
    path = _plain(tmp_path)
    early = begin_open(path)
    assert early is not None
    assert _locked_by_someone(path), "locked from the moment the check begins"
    assert "pid" in FileLock(path).path.read_text(encoding="utf-8"), "the lock file names its holder"
    led = open_ledger(path, early=early)
    try:
        assert checks == [], "open_ledger took the background verdict instead of checking again"
        assert led.scalar("SELECT count(*) FROM members") == 5
        assert _locked_by_someone(path)
        assert early.take_lock() is None, "the lock is the ledger's now"
    finally:
        led.close()
    assert not _locked_by_someone(path), "closing the ledger lets the lock go"


def test_a_damaged_file_found_early_is_set_aside_as_before(tmp_path: Path) -> None:
    path = _plain(tmp_path, n=30)
    _damage(path)
    early = begin_open(path)
    assert early is not None
    with pytest.raises(LedgerDamaged) as err:
        open_ledger(path, early=early)
    assert err.value.set_aside is not None and err.value.set_aside.exists()
    assert not path.exists()
    assert not _locked_by_someone(path), "a refused open lets the lock go"


def test_a_file_changed_after_the_check_began_is_checked_again(tmp_path: Path, checks: list[Path]) -> None:
    path = _plain(tmp_path)
    early = begin_open(path)
    assert early is not None
    early._thread.join()
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    led = open_ledger(path, early=early)
    led.close()
    assert checks == [path]


def test_a_change_in_the_wal_after_the_check_began_is_checked_again(
    tmp_path: Path, checks: list[Path]
) -> None:
    import sqlite3

    path = _plain(tmp_path)
    early = begin_open(path)
    assert early is not None
    early._thread.join()
    raw = sqlite3.connect(path)  # past our lock, as nothing in the app would do
    raw.execute("PRAGMA journal_mode=WAL")
    version = raw.execute("PRAGMA user_version").fetchone()[0]
    raw.execute(f"PRAGMA user_version={version}")  # the same value: page 1 written again, into the -wal
    raw.commit()
    assert path.with_name(path.name + "-wal").stat().st_size > 0
    led = open_ledger(path, early=early)
    led.close()
    raw.close()
    assert checks == [path]


def test_a_check_that_failed_in_its_thread_is_run_again(
    tmp_path: Path, checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import early_open

    def boom(path: Path, **kw: Any) -> str:
        raise MemoryError

    monkeypatch.setattr(early_open, "_check_file", boom)
    path = _plain(tmp_path)
    early = begin_open(path)
    assert early is not None
    led = open_ledger(path, early=early)
    led.close()
    assert checks == [path]


def test_no_early_start_for_what_open_ledger_must_judge_itself(tmp_path: Path) -> None:
    assert begin_open(tmp_path / "missing.sqlite") is None
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    assert begin_open(empty) is None
    notes = tmp_path / "notes.sqlite"
    notes.write_text("这不是数据库")
    assert begin_open(notes) is None
    assert begin_open(tmp_path) is None
    enc = tmp_path / "enc.sqlite"
    open_ledger(enc, create=True, password="早开测试密码2026").close()
    assert begin_open(enc) is None, "an encrypted file is checked with its key"
    assert not _locked_by_someone(enc)


def test_a_ledger_held_elsewhere_gets_no_early_start_and_names_the_holder(tmp_path: Path) -> None:
    path = _plain(tmp_path)
    holder = open_ledger(path)
    try:
        assert begin_open(path) is None
        with pytest.raises(LedgerLocked):
            open_ledger(path, early=None)
    finally:
        holder.close()


def test_an_early_start_not_used_hands_the_lock_back(tmp_path: Path, checks: list[Path]) -> None:
    first, second = _plain(tmp_path, "a.sqlite"), _plain(tmp_path, "b.sqlite")
    early = begin_open(first)
    assert early is not None
    led = open_ledger(second, early=early)  # another file: the early start is let go
    led.close()
    assert not _locked_by_someone(first)
    assert checks == [second]
    early = begin_open(first)
    assert early is not None
    led = open_ledger(first, lock=False, early=early)  # no lock wanted: nor its verdict
    led.close()
    assert not _locked_by_someone(first)
    early = begin_open(first)
    assert early is not None
    first.unlink()
    with pytest.raises(LedgerOpenError):
        open_ledger(first, early=early)
    assert not _locked_by_someone(first)


def test_the_app_starts_early_only_for_the_file_it_opens(tmp_path: Path) -> None:
    from desktop.app import early_open, parse_args

    path = _plain(tmp_path)
    args: argparse.Namespace = parse_args(["--db", str(path)])
    early = early_open(args)
    assert early is not None and early.path == path.absolute()
    early.abandon()
    assert not _locked_by_someone(path)
    assert early_open(parse_args(["--demo", "--db", str(path)])) is None
    assert early_open(parse_args(["--self-test"])) is None
    data = tmp_path / "data"
    assert early_open(parse_args(["--data-dir", str(data)])) is None, "no default ledger yet"


def _closed(conn: Any) -> bool:
    import sqlite3

    try:
        conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def _early_connection(early: Any) -> Any:
    early._thread.join()
    conn = early._conn
    assert conn is not None, "the thread opened the app's connection"
    return conn


def test_the_connection_opened_with_the_check_is_the_ledgers_its_schema_read(tmp_path: Path) -> None:
    path = _plain(tmp_path)
    early = begin_open(path)
    assert early is not None
    conn = _early_connection(early)
    led = open_ledger(path, early=early)
    try:
        assert led.conn is conn, "open_ledger worked on the connection the thread opened"
        assert early.take_connection() is None, "handed over once"
        # set up as open_ledger sets up its own: WAL, foreign keys, rows by name, writes only inside an operation
        assert led.scalar("PRAGMA journal_mode") == "wal"
        assert led.scalar("PRAGMA foreign_keys") == 1
        assert led.query("SELECT name FROM members ORDER BY id")[0]["name"] == "党员0"
        members.add(led, _member("早开新党员", None))
        assert led.scalar("SELECT count(*) FROM members") == 6
    finally:
        led.close()
    assert _closed(conn)


def test_the_early_connection_is_closed_before_a_damaged_file_is_set_aside(tmp_path: Path) -> None:
    path = _plain(tmp_path, n=30)
    _damage(path)
    early = begin_open(path)
    assert early is not None
    early._thread.join()
    conn = early._conn
    with pytest.raises(LedgerDamaged):
        open_ledger(path, early=early)
    assert conn is None or _closed(conn), "no handle of the app holds the set-aside file"


def test_a_file_changed_after_the_check_began_gets_a_connection_of_its_own(tmp_path: Path) -> None:
    path = _plain(tmp_path)
    early = begin_open(path)
    assert early is not None
    conn = _early_connection(early)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    led = open_ledger(path, early=early)
    try:
        assert led.conn is not conn
        assert _closed(conn), "the early connection does not outlive its verdict"
        assert led.scalar("SELECT count(*) FROM members") == 5
    finally:
        led.close()


def test_an_early_start_let_go_closes_its_connection(tmp_path: Path) -> None:
    first, second = _plain(tmp_path, "a.sqlite"), _plain(tmp_path, "b.sqlite")
    early = begin_open(first)
    assert early is not None
    conn = _early_connection(early)
    open_ledger(second, early=early).close()
    assert _closed(conn)
    early = begin_open(first)
    assert early is not None
    conn = _early_connection(early)
    early.abandon()
    assert _closed(conn)
    assert not _locked_by_someone(first)


def test_a_connection_that_could_not_be_opened_early_is_opened_as_before(
    tmp_path: Path, checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from db import early_open

    def refuse(*a: Any, **kw: Any) -> Any:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(early_open, "_connect", refuse)
    path = _plain(tmp_path)
    early = begin_open(path)
    assert early is not None
    early._thread.join()
    assert early._conn is None
    led = open_ledger(path, early=early)
    try:
        assert checks == [], "the verdict still counts"
        assert led.scalar("SELECT count(*) FROM members") == 5
    finally:
        led.close()


# ------------------------------------------------------------- settle_later: the window built during the check


class _Gate:
    """Stands in for the early thread's quick check: holds it until `open()`, then gives `verdict` (or the real
    check's)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, verdict: str | None = None) -> None:
        import threading

        from db import early_open

        self.event = threading.Event()
        self.verdict = verdict
        real = early_open._check_file

        def gated(path: Path, **kw: Any) -> str:
            self.event.wait(WORK_S)
            return self.verdict if self.verdict is not None else real(path, **kw)

        monkeypatch.setattr(early_open, "_check_file", gated)

    def open(self) -> None:
        self.event.set()


WORK_S = 120.0  # the longest any test here waits on a thread it released


def _wal(tmp_path: Path, name: str = "w.sqlite", n: int = 5) -> Path:
    path = _plain(tmp_path, name, n)
    assert path.read_bytes()[18:20] == b"\x02\x02", "a ledger the app made is in WAL mode"
    return path


def _opened_during_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verdict: str | None = None, **kw: Any
) -> tuple[Path, _Gate, Any, Any]:
    """A WAL ledger opened with settle_later while its (gated) check still runs: (path, gate, early, ledger)."""
    path = _wal(tmp_path)
    gate = _Gate(monkeypatch, verdict)
    early = begin_open(path)
    assert early is not None
    led = open_ledger(path, early=early, settle_later=True, **kw)
    assert led.pending is not None, "returned while the check runs"
    return path, gate, early, led


def test_a_ledger_opened_before_its_check_ended_reads_at_once_and_writes_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks: list[Path]
) -> None:
    from db.snapshots import list_snapshots

    path, gate, early, led = _opened_during_check(tmp_path, monkeypatch, snapshot_in_background=True)
    try:
        assert early.checking()
        assert led.scalar("SELECT count(*) FROM members") == 5, "reads meanwhile"
        assert list_snapshots(path) == [], "no snapshot of a file not yet checked"
        gate.open()
        members.add(led, _member("检查后新增", None))  # settles first
        assert led.pending is None
        assert led.scalar("SELECT count(*) FROM members") == 6
        assert checks == [], "the early verdict counted"
    finally:
        led.close()
    assert len(list_snapshots(path)) == 1, "the open-time snapshot, once the check passed"
    assert not _locked_by_someone(path)


def test_a_damaged_verdict_after_the_open_sets_the_file_aside_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, gate, _early, led = _opened_during_check(
        tmp_path, monkeypatch, "完整性检查未通过：测试", snapshot_in_background=True
    )
    before = path.read_bytes()
    conn = led.conn
    gate.open()
    with pytest.raises(LedgerDamaged) as err:
        members.add(led, _member("不该写入", None))
    assert "完整性检查未通过：测试" in str(err.value)
    aside = err.value.set_aside
    assert aside is not None and aside.read_bytes() == before, "set aside as it was: nothing written"
    assert not path.exists()
    assert _closed(conn)
    assert not _locked_by_someone(path)
    led.close()  # what the app does after, harmlessly


def test_settle_raises_for_a_damaged_file_and_every_copy_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _path, gate, _early, led = _opened_during_check(tmp_path, monkeypatch, "数据库错误：测试")
    gate.open()
    with pytest.raises(LedgerDamaged):
        led.backup(tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists(), "no backup of a damaged file"
    led.settle()  # once: the verdict was taken


def test_closed_before_the_verdict_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.snapshots import list_snapshots

    path, gate, early, led = _opened_during_check(tmp_path, monkeypatch, snapshot_in_background=True)
    gate.open()
    led.close()
    assert not early.checking(), "closing waits for the check, which reads the file"
    assert list_snapshots(path) == [] and path.exists()
    assert not _locked_by_someone(path)


def test_settle_later_only_where_nothing_need_be_written_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from db.migrations import LATEST

    # the check has ended already: as before
    path = _wal(tmp_path, "done.sqlite")
    early = begin_open(path)
    assert early is not None
    early._thread.join()
    led = open_ledger(path, early=early, settle_later=True)
    assert led.pending is None
    led.close()
    # a file not in WAL mode (its first open as one writes)
    rollback = _wal(tmp_path, "rollback.sqlite")
    raw = sqlite3.connect(rollback)
    raw.execute("PRAGMA journal_mode=DELETE")
    raw.close()
    gate = _Gate(monkeypatch)
    early = begin_open(rollback)
    assert early is not None
    gate.open()
    monkeypatch.setattr(early, "checking", lambda: True)  # as if still checking: only the mode decides
    led = open_ledger(rollback, early=early, settle_later=True)
    assert led.pending is None
    led.close()
    # an older schema (migrated, so written): the verdict first
    old = tmp_path / "old.sqlite"
    open_ledger(old, create=True, target_version=LATEST - 1).close()
    gate = _Gate(monkeypatch)
    early = begin_open(old)
    assert early is not None
    gate.open()
    monkeypatch.setattr(early, "checking", lambda: True)
    led = open_ledger(old, early=early, settle_later=True)
    try:
        assert led.pending is None
        assert led.scalar("PRAGMA user_version") == LATEST
    finally:
        led.close()
    # an older schema that fails its check: set aside before anything is migrated
    old2 = tmp_path / "old2.sqlite"
    open_ledger(old2, create=True, target_version=LATEST - 1).close()
    gate = _Gate(monkeypatch, verdict="完整性检查未通过：测试")
    early = begin_open(old2)
    assert early is not None
    gate.open()
    monkeypatch.setattr(early, "checking", lambda: True)
    with pytest.raises(LedgerDamaged) as err:
        open_ledger(old2, early=early, settle_later=True)
    assert err.value.set_aside is not None and err.value.set_aside.exists()
    assert not _locked_by_someone(old2)
