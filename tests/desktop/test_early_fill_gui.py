"""The 工作台 shows the figures and findings a second process computed while the app started (db/early_fill.py),
then its charts; its thread still computes every area, so later refreshes reuse what it built. Anything that
does not count is computed in the thread, as without the process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import resources
from db import branch, clock, early_fill, findings, interchange
from db.connection import Ledger, open_ledger
from db.early_open import begin_open
from db.glance import Bar, Chart, year_glance
from tests.desktop.waits import WORK_MS

ON = dt.date(2026, 5, 10)


class _Early:
    """Stands for db.early_fill.EarlyFill: answers what it was given, records what it was asked."""

    def __init__(self, got: dict[str, Any] | None) -> None:
        self.got = got
        self.asked: list[tuple[dt.date, int]] = []
        self.discarded = False

    def ready(self) -> bool:
        return True

    def result(self, on: dt.date, schema: int, timeout: float = 0.0) -> dict[str, Any] | None:
        self.asked.append((on, schema))
        self.discarded = True  # as EarlyFill.result: the process is gone afterwards
        return self.got

    def discard(self) -> None:
        self.discarded = True


@pytest.fixture
def reopened(tmp_path: Path) -> Any:
    """The demo branch, loaded, closed and opened again: a connection that has changed nothing yet, as at
    start-up (the early result counts only then)."""
    path = tmp_path / "demo.sqlite"
    led = open_ledger(path, create=True)
    interchange.load_file(led, resources.demo_document())
    led.close()
    led = open_ledger(path, snapshot_on_open=False)
    yield led
    led.close()


def _window(qtbot: Any, ledger: Ledger) -> Any:
    from desktop.mainwindow import MainWindow

    w = MainWindow(ledger, progressive=True)
    qtbot.addWidget(w)
    return w


def _filled(qtbot: Any, ledger: Ledger, early: Any) -> Any:
    """The 工作台 opened at start-up on `ledger` with `early` standing for the process; its section once filled."""
    ledger.early_fill = early
    w = _window(qtbot, ledger)
    dash = w.sections["dashboard"]
    with qtbot.waitSignal(dash.completed, timeout=WORK_MS):
        w.show()
    return dash


def _codes(dash: Any) -> list[str]:
    return [f.code for _b, _a, f in dash.visible_findings()]


def test_the_early_findings_are_shown_then_the_areas_are_computed_for_later(
    qtbot: Any, reopened: Ledger, frozen_today: Any
) -> None:
    frozen_today(ON)
    every = findings.check(reopened, ON)
    assert len(every) > 2
    summary = dict(branch.summary(reopened, ON), total=987)  # a figure only the early result has
    charts = [Chart("dues", "只有早算的结果里才有的图", [Bar("已收/应收", 1.0, 2.0, "1/2")])]
    early = _Early(
        {"figures": {"summary": summary, "no_members": False}, "found": every[:2], "charts": charts}
    )
    reopened.early_fill = early  # type: ignore[assignment]
    w = _window(qtbot, reopened)
    dash = w.sections["dashboard"]
    order: list[str] = []
    dash.shown.connect(lambda: order.append("shown"))
    dash.completed.connect(lambda: order.append("completed"))
    with qtbot.waitSignal(dash.completed, timeout=WORK_MS):
        w.show()
    assert order == ["shown", "completed"]
    assert early.asked == [(ON, int(reopened.scalar("PRAGMA schema_version")))]
    assert dash.cards["total"].value.text() == "987"
    assert sorted(_codes(dash)) == sorted(f.code for f in every[:2])  # what the process found, as it found it
    assert [c.chart for c in dash.charts] == charts
    # every area and the charts were computed in the thread as well, and kept: the next refresh is served from it
    kept = set(reopened._memo)
    assert "dues.book" in kept and any(k.startswith("glance.") for k in kept)
    dash.refresh()
    assert sorted(_codes(dash)) == sorted(f.code for f in every)
    assert [c.chart for c in dash.charts] == year_glance(reopened, ON.year, ON)


class _Slow(_Early):
    """A process that has not answered by the time the thread is done."""

    def ready(self) -> bool:
        return False


class _Late(_Early):
    """A process that answers while the thread computes: after it has shown the figures, before the findings."""

    def __init__(self, got: dict[str, Any]) -> None:
        super().__init__(got)
        self.looks = 0

    def ready(self) -> bool:
        self.looks += 1
        return self.looks > 3


def test_a_process_that_answers_midway_has_its_findings_and_charts_shown(
    qtbot: Any, reopened: Ledger, frozen_today: Any
) -> None:
    frozen_today(ON)
    every = findings.check(reopened, ON)
    charts = [Chart("dues", "进程算好的图", [])]
    early = _Late({"figures": {"summary": {}, "no_members": True}, "found": every[:1], "charts": charts})
    reopened.early_fill = early  # type: ignore[assignment]
    w = _window(qtbot, reopened)
    dash = w.sections["dashboard"]
    kinds: list[str] = []
    real = dash._show_part

    def show_part(kind: str, value: Any, on: dt.date) -> None:
        kinds.append(kind)
        real(kind, value, on)

    dash._show_part = show_part
    with qtbot.waitSignal(dash.completed, timeout=WORK_MS):
        w.show()
    assert kinds == ["figures", "found", "charts"]  # each shown once: the figures the thread's, the rest its
    assert dash.cards["total"].value.text() != ""  # the thread's figures (the process's were never shown)
    assert _codes(dash) == [every[0].code] and [c.chart for c in dash.charts] == charts


@pytest.mark.parametrize(
    ("early", "asked"), [(_Slow(None), False), (_Early(None), True)], ids=["slow", "no-count"]
)
def test_a_process_that_is_slower_or_does_not_count_changes_nothing_and_is_stopped(
    qtbot: Any, reopened: Ledger, frozen_today: Any, early: _Early, asked: bool
) -> None:
    """Slower than the thread: never waited for. Its result does not count (another day, a changed schema, a
    failure): computed here. Either way it is stopped by the time the thread is done."""
    frozen_today(ON)
    dash = _filled(qtbot, reopened, early)
    assert bool(early.asked) is asked and early.discarded
    assert sorted(_codes(dash)) == sorted(f.code for f in findings.check(reopened, ON))


def test_a_ledger_changed_before_the_fill_never_asks(qtbot: Any, reopened: Ledger, frozen_today: Any) -> None:
    frozen_today(ON)
    early = _Early({"figures": {}, "found": [], "charts": []})
    reopened.early_fill = early  # type: ignore[assignment]
    b = branch.get_branch(reopened)
    assert b is not None
    b.park = "改过的园区"
    branch.save_branch(reopened, b)
    w = _window(qtbot, reopened)
    dash = w.sections["dashboard"]
    with qtbot.waitSignal(dash.completed, timeout=WORK_MS):
        w.show()
    assert early.discarded and not early.asked
    assert sorted(_codes(dash)) == sorted(f.code for f in findings.check(reopened, ON))


def test_the_app_start_uses_the_process_end_to_end(
    qtbot: Any, tmp_path: Path, frozen_today: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As desktop.app starts a plain ledger: begin_open starts the process, open_ledger hands it over, the
    工作台's fill shows what it computed — the same as a refresh here."""
    monkeypatch.setattr(early_fill, "wanted", lambda path, cores=None: True)
    path = tmp_path / "demo.sqlite"
    led = open_ledger(path, create=True)
    interchange.load_file(led, resources.demo_document())
    led.close()
    frozen_today(ON)
    early = begin_open(path, fill_on=clock.today())
    assert early is not None
    led = open_ledger(path, early=early, snapshot_on_open=False)
    try:
        w = _window(qtbot, led)
        dash = w.sections["dashboard"]
        fills: list[Any] = []
        real_start = dash._start_fill

        def start() -> None:
            real_start()
            fills.append(dash._fill)

        dash._start_fill = start
        # here the thread would be first (this process has every module imported): let the process answer first,
        # as it does while a real start imports Qt and builds the window
        assert led.early_fill is not None
        qtbot.waitUntil(led.early_fill.ready, timeout=WORK_MS)
        with qtbot.waitSignal(dash.completed, timeout=WORK_MS):
            w.show()
        assert fills and fills[0] is not None and fills[0].used_early
        shown = (sorted(_codes(dash)), dash.cards["total"].value.text(), [c.chart for c in dash.charts])
        dash.refresh()
        assert (
            sorted(_codes(dash)),
            dash.cards["total"].value.text(),
            [c.chart for c in dash.charts],
        ) == shown
        assert int(shown[1]) > 0 and shown[0]
        w.close()
    finally:
        led.close()


def test_the_gui_self_test_checks_the_early_fill_process(tmp_path: Path) -> None:
    """`BranchLedger --self-test` (run on every bundle by make dist-test and the Windows smoke test) starts the
    early fill's process from the program itself and compares what it found."""
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "desktop.app", "--self-test"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    line = next(x for x in out.stdout.splitlines() if x.startswith("SELF-TEST OK (gui)"))
    found = int(line.split("early_fill_findings=")[1].split()[0])
    assert found > 0
