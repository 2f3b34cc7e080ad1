"""The 工作台's first fill computed in a second process while the app starts (db/early_fill.py): the same figures
and findings the app computes itself, used only while they are still what the file holds."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import resources
from db import branch, early_fill, findings, interchange, members
from db.connection import open_ledger
from db.early_fill import EarlyFill
from db.early_open import begin_open
from db.glance import year_glance

ON = dt.date(2026, 5, 10)
WAIT = 120  # seconds a test waits for the process (the app itself never waits: it looks between parts)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    led = open_ledger(path, create=True)
    interchange.load_file(led, resources.demo_document())
    led.close()
    return path


@pytest.fixture
def always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start the process whatever this machine's cores."""
    monkeypatch.setattr(early_fill, "wanted", lambda path, cores=None: True)


@pytest.fixture
def sleeping(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process started is one that says nothing for a minute."""
    monkeypatch.setattr(
        early_fill, "command", lambda path, on: [sys.executable, "-c", "import time; time.sleep(60)"]
    )


def _here(path: Path, on: dt.date) -> dict[str, Any]:
    led = open_ledger(path)
    try:
        return {
            "figures": {"summary": branch.summary(led, on), "no_members": not members.names(led)},
            "found": findings.check(led, on),
            "charts": year_glance(led, on.year, on),
        }
    finally:
        led.close()


def _schema(path: Path) -> int:
    led = open_ledger(path)
    try:
        return int(led.scalar("PRAGMA schema_version"))
    finally:
        led.close()


@pytest.mark.parametrize("on", [ON, dt.date(2025, 11, 30)])
def test_the_process_finds_what_the_app_finds(demo_path: Path, always: None, on: dt.date) -> None:
    here = _here(demo_path, on)
    fill = EarlyFill.start(demo_path, on)
    assert fill is not None
    got = fill.result(on, _schema(demo_path), timeout=WAIT)
    assert got is not None
    assert got["figures"] == here["figures"]
    assert got["found"] == here["found"] and len(here["found"]) > 0
    assert [f.code for f in got["found"]] == [f.code for f in here["found"]]  # in the app's order
    assert got["charts"] == here["charts"] and got["charts"]


def test_another_day_or_schema_does_not_count(demo_path: Path, always: None) -> None:
    schema = _schema(demo_path)
    fill = EarlyFill.start(demo_path, ON)
    assert fill is not None
    assert fill.result(ON + dt.timedelta(days=1), schema, timeout=WAIT) is None
    fill = EarlyFill.start(demo_path, ON)
    assert fill is not None
    assert fill.result(ON, schema + 1, timeout=WAIT) is None  # a migration at open changed the schema


def test_a_failed_process_counts_for_nothing(tmp_path: Path, always: None) -> None:
    bad = tmp_path / "not-a-ledger.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    fill = EarlyFill.start(bad, ON)
    assert fill is not None
    assert fill.result(ON, 1, timeout=WAIT) is None  # never raises


def test_ready_once_the_process_has_answered(demo_path: Path, always: None) -> None:
    fill = EarlyFill.start(demo_path, ON)
    assert fill is not None
    deadline = time.monotonic() + WAIT
    while not fill.ready() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert fill.ready()
    assert fill.result(ON, _schema(demo_path)) is not None  # no wait needed once ready


def test_a_slow_process_is_stopped_and_the_wait_ends(demo_path: Path, always: None, sleeping: None) -> None:
    fill = EarlyFill.start(demo_path, ON)
    assert fill is not None
    assert not fill.ready()
    t0 = time.monotonic()
    assert fill.result(ON, 1, timeout=0.3) is None
    assert time.monotonic() - t0 < 10
    assert fill._proc.poll() is not None  # stopped, not left running


@pytest.mark.skipif(not hasattr(__import__("os"), "getpriority"), reason="POSIX nice values")
def test_the_process_runs_below_the_apps_priority(demo_path: Path, always: None, sleeping: None) -> None:
    import os

    fill = EarlyFill.start(demo_path, ON)
    assert fill is not None
    try:
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, fill._proc.pid) == min(19, mine + early_fill.NICE)
    finally:
        fill.discard()


def test_discard_stops_the_process(demo_path: Path, always: None, sleeping: None) -> None:
    fill = EarlyFill.start(demo_path, ON)
    assert fill is not None
    fill.discard()
    assert fill._proc.poll() is not None
    assert fill.result(ON, 1) is None


@pytest.mark.parametrize(
    ("cores", "mb", "expected"),
    [(1, 1, False), (2, 1, False), (2, 41, False), (3, 39, True), (3, 41, False), (4, 81, True)],
)
def test_started_only_where_a_second_process_gains(
    tmp_path: Path, cores: int, mb: int, expected: bool
) -> None:
    path = tmp_path / "sized.sqlite"
    with open(path, "wb") as fh:
        fh.truncate(mb * 1_000_000)
    assert early_fill.wanted(path, cores) is expected


def test_an_unknown_core_count_starts_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(early_fill.os, "cpu_count", lambda: None)
    (tmp_path / "a.sqlite").write_bytes(b"x")
    assert early_fill.wanted(tmp_path / "a.sqlite") is False


def test_open_ledger_hands_it_over_and_an_unchanged_ledger_gives_it_once(
    demo_path: Path, always: None
) -> None:
    early = begin_open(demo_path, fill_on=ON)
    assert early is not None
    led = open_ledger(demo_path, early=early)
    try:
        fill = led.take_early_fill()
        assert fill is not None
        assert led.take_early_fill() is None
        assert fill.result(ON, int(led.scalar("PRAGMA schema_version")), timeout=WAIT) is not None
    finally:
        led.close()


def test_a_ledger_that_changed_since_it_opened_drops_it(demo_path: Path, always: None) -> None:
    early = begin_open(demo_path, fill_on=ON)
    assert early is not None
    led = open_ledger(demo_path, early=early)
    try:
        fill = led.early_fill
        assert fill is not None
        b = branch.get_branch(led)
        assert b is not None
        b.park = "另一个园区"
        branch.save_branch(led, b)  # what the process read is no longer the file
        assert led.take_early_fill() is None
        assert fill._proc.poll() is not None
    finally:
        led.close()


def test_not_opened_after_all_stops_it(demo_path: Path, always: None) -> None:
    early = begin_open(demo_path, fill_on=ON)
    assert early is not None
    fill = early._fill
    assert fill is not None
    early.abandon()
    assert fill._proc.poll() is not None
    led = open_ledger(demo_path)  # the lock was handed back
    led.close()


def test_closing_the_ledger_stops_an_unread_one(demo_path: Path, always: None) -> None:
    early = begin_open(demo_path, fill_on=ON)
    assert early is not None
    led = open_ledger(demo_path, early=early)
    fill = led.early_fill
    assert fill is not None
    led.close()
    assert fill._proc.poll() is not None


def test_the_frozen_app_runs_it_through_its_own_flag(demo_path: Path) -> None:
    """`BranchLedger.exe --early-fill LEDGER DATE` (the frozen app's command) writes the same pickle as the
    source run's `python -m db.early_fill`."""
    import pickle

    out = subprocess.run(
        [sys.executable, "-m", "desktop.app", "--early-fill", str(demo_path), ON.isoformat()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    got = pickle.loads(out.stdout)
    assert got["on"] == ON.isoformat() and got["path"] == str(demo_path.absolute())
    assert got["found"] == _here(demo_path, ON)["found"]


def test_frozen_command_uses_the_flag(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    cmd = early_fill.command(tmp_path / "a.sqlite", ON)
    assert cmd == [sys.executable, "--early-fill", str(tmp_path / "a.sqlite"), "2026-05-10"]


def test_a_damaged_file_is_set_aside_only_after_the_process_reading_it_stopped(
    demo_path: Path, always: None, sleeping: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows a file another process holds open cannot be renamed: the fill's process goes first."""
    from db import early_open, ledger_open
    from db.errors import LedgerDamaged

    monkeypatch.setattr(early_open, "_check_file", lambda path, **kw: "完整性检查未通过：测试")
    early = begin_open(demo_path, fill_on=ON)
    assert early is not None
    fill = early._fill
    assert fill is not None
    running_when_set_aside: list[bool] = []
    real = ledger_open.refused

    def watched(path: Path, verdict: str, raw_key: Any) -> Any:
        running_when_set_aside.append(fill._proc.poll() is None)
        return real(path, verdict, raw_key)

    monkeypatch.setattr(ledger_open, "refused", watched)
    with pytest.raises(LedgerDamaged):
        open_ledger(demo_path, early=early)
    assert running_when_set_aside == [False]
