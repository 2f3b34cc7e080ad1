"""Start-up imports only what the 工作台 needs, builds the other sections when they are first shown, and shows the
工作台's findings and charts after the window is painted — the same findings and charts as a refresh made at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from db import clock, findings
from db.connection import Ledger
from desktop.sections import SECTION_TITLES, section_class, section_entries

ROOT = Path(__file__).resolve().parents[2]

_OPEN_WINDOW = r"""
import sys
from desktop.app import make_qapp
app = make_qapp(["test"])
from db.connection import open_ledger
from desktop import fit
from desktop.mainwindow import MainWindow
fit.set_state_file(sys.argv[2])
ledger = open_ledger(sys.argv[1], snapshot_on_open=False)
w = MainWindow(ledger, progressive=True)
w.show()
app.processEvents()
heavy = ("openpyxl", "reportlab", "exports", "jsonschema", "pypdf", "desktop.sections.roster",
         "desktop.sections.meetings", "desktop.sections.dues", "desktop.sections.development",
         "desktop.export_dialog")
print(" ".join(m for m in heavy if m in sys.modules) or "-")
w.close()
ledger.close()
"""


def test_opening_the_main_window_imports_no_exporter_and_no_other_section(
    demo_ledger: Ledger, tmp_path: Path
) -> None:
    path = demo_ledger.path
    demo_ledger.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", _OPEN_WINDOW, str(path), str(tmp_path / "ws.ini")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "-"


def test_every_section_title_is_its_class_title() -> None:
    entries = section_entries()
    assert [key for key, _t, _m in entries] == list(SECTION_TITLES)
    for key, title, module in entries:
        cls = section_class(module)
        assert (cls.key, cls.title) == (key, title)


def test_a_section_is_built_when_first_shown_and_kept(main_window: Any) -> None:
    w = main_window
    assert set(w.sections.built()) == {"dashboard"}
    assert [w.nav.item(i).text() for i in range(w.nav.count())] == list(SECTION_TITLES.values())
    w.show_section("dues")
    dues = w.sections.built()["dues"]
    assert w.current_section() is dues and dues.isVisible()
    assert w.stack.currentWidget().section is dues
    w.show_section("dashboard")
    w.show_section("dues")
    assert w.sections["dues"] is dues
    w.nav.setCurrentRow(list(w.sections).index("roster"))  # a click in the navigation list
    assert w.current_section() is w.sections.built()["roster"]


def test_progressive_dashboard_shows_what_an_immediate_refresh_shows(qtbot: Any, demo_ledger: Ledger) -> None:
    from desktop.mainwindow import MainWindow

    w = MainWindow(demo_ledger, progressive=True)
    qtbot.addWidget(w)
    dash = w.sections["dashboard"]
    with qtbot.waitSignal(dash.completed, timeout=20000):
        w.show()
        assert dash.counts.text() == "正在检查…"  # the window is shown before the findings are
    progressive = (dash.visible_findings(), [c.chart for c in dash.charts], dash.counts.text())
    assert [f for _b, _a, f in progressive[0]] and progressive[1]
    assert sorted(f.to_json()["code"] for _b, _a, f in progressive[0]) == sorted(
        f.code for f in findings.check(demo_ledger, clock.today())
    )
    dash.refresh()  # at once, as every refresh after the first
    assert (dash.visible_findings(), [c.chart for c in dash.charts], dash.counts.text()) == progressive


def test_a_refresh_during_the_progressive_one_wins(qtbot: Any, demo_ledger: Ledger) -> None:
    import datetime as dt

    from desktop.mainwindow import MainWindow

    w = MainWindow(demo_ledger, progressive=True)
    qtbot.addWidget(w)
    dash = w.sections["dashboard"]
    w.show()
    day = dt.date(2025, 6, 30)
    dash.as_of.set_value(day)  # the secretary picks a date before the start-up findings are in
    qtbot.wait(200)
    expected = findings.check(demo_ledger, day)
    assert expected != findings.check(demo_ledger, clock.today())
    shown = [f for _b, _a, f in dash.visible_findings()]
    assert sorted(shown, key=repr) == sorted(expected, key=repr)
    assert dash.glance_title.text() == "2025年概况"
