"""The shell: first run → 新建支部, the section list, undo from the keyboard, refusals shown as dialogs."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db import branch, clock, members
from db.connection import open_ledger
from tests.desktop.waits import WORK_MS


def _app(tmp_path: Path, **kw):  # type: ignore[no-untyped-def]
    from desktop.app import App

    args = argparse.Namespace(
        db=kw.get("db"), demo=kw.get("demo", False), data_dir=str(tmp_path / "data"), self_test=False
    )
    early = None
    if kw.get("early"):  # as desktop.app.main starts it: the lock and the quick check before the window
        from desktop.app import early_open

        early = early_open(args)
        assert early is not None
    return App(QApplication.instance(), args, early)


def test_first_run_shows_welcome_then_creates_the_branch(qtbot, tmp_path: Path, monkeypatch) -> None:
    app = _app(tmp_path)
    app.start()
    assert app.welcome is not None and app.window is None
    qtbot.addWidget(app.welcome)
    ok = app.create_new(
        {
            "name": "中共首次使用科技有限公司支部委员会",
            "upper_org": "园区综合党委",
            "park": "科技园",
            "founded_on": dt.date(2020, 7, 1),
        },
        app.welcome,
    )
    assert ok and app.window is not None
    qtbot.addWidget(app.window)
    assert app.window.windowTitle().endswith("中共首次使用科技有限公司支部委员会")
    b = branch.get_branch(app.ledger)
    assert b is not None and b.park == "科技园" and b.founded_on == dt.date(2020, 7, 1)
    assert app.ledger.path == tmp_path / "data" / "ledger.sqlite"
    app.window.close()
    assert app.ledger is None
    # the next start opens that ledger directly
    app2 = _app(tmp_path)
    app2.start()
    assert app2.window is not None
    qtbot.addWidget(app2.window)
    app2.window.close()


def test_demo_opens_a_throwaway_copy(qtbot, tmp_path: Path) -> None:
    app = _app(tmp_path, demo=True)
    app.start()
    qtbot.addWidget(app.window)
    assert app.window.demo and "示例" in app.window.header_title.text()
    folder = app.demo_dir
    assert folder is not None and folder.exists()
    assert members.counts_on(app.ledger, dt.date(2026, 11, 22))["total"] >= 30
    app.window.close()
    assert not folder.exists()


def test_the_ledger_started_early_opens_in_the_window(qtbot, tmp_path: Path) -> None:
    from db.filelock import FileLock

    path = tmp_path / "early.sqlite"
    led = open_ledger(path, create=True)
    branch.save_branch(led, branch.Branch(name="早开支部"))
    led.close()
    app = _app(tmp_path, db=str(path), early=True)
    app.start()
    assert app.window is not None and app.early is None
    qtbot.addWidget(app.window)
    assert branch.branch_name(app.ledger) == "早开支部"
    assert not FileLock(path).try_acquire(), "the lock taken early is the open ledger's"
    app.window.close()


def _checking_until(monkeypatch, verdict: str | None) -> list[str]:  # type: ignore[no-untyped-def]
    """Every early check reads as still running when the ledger is opened (as on a large file), and gives
    `verdict` (None: the real one) when asked; returns what the window did meanwhile, in order."""
    from db import early_open
    from desktop.mainwindow import MainWindow

    done: list[str] = []
    real = early_open._check_file
    monkeypatch.setattr(early_open.EarlyOpen, "checking", lambda self: True)
    monkeypatch.setattr(
        early_open, "_check_file", lambda path, **kw: verdict if verdict is not None else real(path, **kw)
    )
    real_verdict = early_open.EarlyOpen.verdict

    def verdict_taken(self):  # type: ignore[no-untyped-def]
        done.append("verdict")
        return real_verdict(self)

    monkeypatch.setattr(early_open.EarlyOpen, "verdict", verdict_taken)
    real_show = MainWindow.show
    monkeypatch.setattr(MainWindow, "show", lambda self: (done.append("show"), real_show(self)))
    real_init = MainWindow.__init__

    def built(self, *a, **kw):  # type: ignore[no-untyped-def]
        real_init(self, *a, **kw)
        done.append("built")

    monkeypatch.setattr(MainWindow, "__init__", built)
    from db import findings

    real_load = findings.load_providers_while

    def prewarm(go_on):  # type: ignore[no-untyped-def]
        done.append("prewarm")
        return real_load(go_on)

    monkeypatch.setattr(findings, "load_providers_while", prewarm)
    return done


def test_a_large_ledgers_window_is_built_while_its_check_ends_and_shown_after(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "large.sqlite"
    led = open_ledger(path, create=True)
    branch.save_branch(led, branch.Branch(name="大支部"))
    led.close()
    done = _checking_until(monkeypatch, None)
    app = _app(tmp_path, db=str(path), early=True)
    app.start()
    assert app.window is not None
    qtbot.addWidget(app.window)
    assert done == ["built", "prewarm", "verdict", "show"], "built (and the fill's modules imported) first"
    assert app.ledger.pending is None
    assert app.window.isVisible() and branch.branch_name(app.ledger) == "大支部"
    app.window.close()


def test_a_large_ledger_that_fails_its_check_is_never_shown(qtbot, tmp_path: Path, monkeypatch) -> None:
    from desktop.mainwindow import MainWindow

    path = tmp_path / "broken.sqlite"
    led = open_ledger(path, create=True)
    branch.save_branch(led, branch.Branch(name="损坏支部"))
    led.close()
    done = _checking_until(monkeypatch, "完整性检查未通过：测试")
    shown: list[str] = []
    monkeypatch.setattr("desktop.dialogs.QMessageBox.exec", lambda self: shown.append(self.text()) or 0)
    app = _app(tmp_path, db=str(path), early=True)
    app.start()
    assert done == ["built", "prewarm", "verdict"], "the window built meanwhile is never shown"
    assert app.window is None and app.welcome is not None
    qtbot.addWidget(app.welcome)
    assert shown and "已损坏" in shown[0] and "完整性检查未通过：测试" in shown[0]
    assert not path.exists() and list(tmp_path.glob("broken.sqlite.damaged-*")), "set aside as before"
    QApplication.sendPostedEvents(None, 0)  # the discarded window's deleteLater
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_an_early_start_the_app_does_not_use_is_let_go(qtbot, tmp_path: Path) -> None:
    from db.early_open import begin_open
    from db.filelock import FileLock

    path = tmp_path / "other.sqlite"
    open_ledger(path, create=True).close()
    app = _app(tmp_path, demo=True)
    app.early = begin_open(path)
    assert app.early is not None
    app.start()
    qtbot.addWidget(app.window)
    assert app.early is None
    probe = FileLock(path)
    assert probe.try_acquire(), "the demo opened; the other file is not left locked"
    probe.release()
    app.window.close()


def test_locked_ledger_is_explained_not_opened(qtbot, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "held.sqlite"
    held = open_ledger(path, create=True)
    branch.save_branch(held, branch.Branch(name="被占用支部"))
    shown: list[str] = []
    monkeypatch.setattr("desktop.dialogs.QMessageBox.exec", lambda self: shown.append(self.text()) or 0)
    try:
        app = _app(tmp_path, db=str(path))
        app.start()
        assert app.window is None and app.welcome is not None
        qtbot.addWidget(app.welcome)
        assert shown and "正在被使用" in shown[0]
    finally:
        held.close()


def test_sections_and_undo_shortcut(qtbot, main_window) -> None:
    w = main_window
    titles = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert titles[0] == "工作台" and "操作记录" in titles and "设置" in titles
    assert len(titles) == len(w.sections)
    led = w.ledger
    n = members.counts_on(led, clock.today())["total"]
    members.add(
        led,
        members.Member(
            name="临时",
            gender="male",
            birth_date=dt.date(1990, 1, 1),
            joined_on=dt.date(2015, 1, 1),
            full_on=dt.date(2016, 1, 1),
        ),
    )
    assert members.counts_on(led, clock.today())["total"] == n + 1
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert members.counts_on(led, clock.today())["total"] == n
    assert "已撤销" in w.statusBar().currentMessage()


def test_history_lists_operations_with_masked_personal_data(qtbot, main_window) -> None:
    w = main_window
    m = members.get(w.ledger, 1)
    m.phone = "13912345678"
    members.update(w.ledger, m)
    w.show_section("history")
    hist = w.sections["history"]
    assert hist.model.rows[0].label.startswith("修改党员")
    hist.table.selectRow(0)
    hist.show_detail()
    text = hist.detail.toPlainText()
    assert "13912345678" not in text and "已隐藏" in text


def test_settings_are_saved_and_validated(qtbot, main_window) -> None:
    w = main_window
    w.show_section("settings")
    s = w.sections["settings"]
    s.fields["late_entry_days"].setValue(45)
    s.save()
    assert w.ledger.setting("late_entry_days") == 45


_SCALED = r"""
import os, sys, tempfile
from pathlib import Path
from desktop.app import make_qapp
from db.connection import open_ledger
from db import interchange
import resources
from desktop.mainwindow import MainWindow
app = make_qapp(["t"])
led = open_ledger(Path(tempfile.mkdtemp()) / "s.sqlite", create=True)
interchange.load_file(led, resources.demo_document())
w = MainWindow(led); w.resize(1280, 800); w.show()
for key in w.sections:
    w.show_section(key); app.processEvents()
    img = w.grab()
    print(key, img.width(), img.height(), img.devicePixelRatio())
led.close()
"""


@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_every_section_draws_at_100_and_150_percent(scale: str) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale, PYTHONPATH=str(root))
    out = subprocess.run(
        [sys.executable, "-c", _SCALED], capture_output=True, text=True, env=env, cwd=root, timeout=180
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [ln.split() for ln in out.stdout.strip().splitlines()]
    assert lines, "no section drawn"
    for _key, width, height, ratio in lines:
        assert float(ratio) == pytest.approx(float(scale))
        assert int(width) >= 1280 * float(scale) - 1 and int(height) >= 800 * float(scale) - 1


@pytest.mark.parametrize("early", [False, True], ids=["checked-on-open", "checked-early"])
def test_damaged_ledger_offers_the_newest_snapshot_and_restores_it(
    qtbot, tmp_path: Path, monkeypatch, early: bool
) -> None:
    from desktop import welcome

    path = tmp_path / "broken.sqlite"
    led = open_ledger(path, create=True)
    branch.save_branch(led, branch.Branch(name="损坏后恢复的支部"))
    for i in range(30):
        members.add(led, members.Member(name=f"党员{i}", gender="male", birth_date=dt.date(1990, 1, 1)))
    led.snapshot("manual")
    led.close()
    data = bytearray(path.read_bytes())
    for off in range(4096 * 2, min(len(data), 4096 * 6)):
        data[off] = 0x5A
    path.write_bytes(bytes(data))
    offered: list[int] = []

    def choose_first(self) -> int:  # the secretary picks the newest snapshot offered
        offered.append(self.list.count())
        self.chosen = self.list.item(0).data(Qt.ItemDataRole.UserRole)
        return 1

    monkeypatch.setattr(welcome.SnapshotDialog, "exec", choose_first)
    app = _app(tmp_path, db=str(path), early=early)
    app.start()
    assert offered and offered[0] >= 1
    assert app.window is not None
    qtbot.addWidget(app.window)
    assert branch.branch_name(app.ledger) == "损坏后恢复的支部"
    assert list(tmp_path.glob("broken.sqlite.damaged-*")), "the damaged file is kept aside"
    app.window.close()


def _worked(tmp_path: Path) -> tuple[Path, int]:
    """A ledger changed since its newest snapshot (it has none), as after a day's work: an open-time snapshot
    is due. Returns its path and its last operation."""
    path = tmp_path / "worked.sqlite"
    led = open_ledger(path, create=True)
    branch.save_branch(led, branch.Branch(name="昨天改过的支部"))
    members.add(led, members.Member(name="张三"))
    last_op = int(led.scalar("SELECT max(id) FROM ops"))
    led.close()
    return path, last_op


def test_the_open_time_snapshot_is_copied_after_the_window_shows_and_a_failure_is_said(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    import errno
    import tempfile

    from db.connection import list_snapshots

    path, _last_op = _worked(tmp_path)

    def full(*a, **kw):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    app = _app(tmp_path, db=str(path), early=True)
    app.start()
    assert app.window is not None
    qtbot.addWidget(app.window)
    bg = app.ledger.background_snapshot
    assert bg is not None, "copied in the background, not before the window"
    qtbot.waitUntil(lambda: "快照没有保存" in app.window.statusBar().currentMessage(), timeout=WORK_MS)
    assert "空间不足" in app.window.statusBar().currentMessage()
    assert list_snapshots(path) == []
    monkeypatch.undo()
    app.window.close()
    assert app.ledger is None, "closing the window closed the ledger"


def test_the_open_time_snapshot_waits_for_the_dashboard_to_fill_in(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """The copy would share the disk and the processor with the 工作台's first fill: it begins once the fill
    is done (the hold's own limit is set far beyond the test here, so only that can start it)."""
    from db.connection import list_snapshots, snapshot_info
    from desktop import app as app_module

    monkeypatch.setattr(app_module, "SNAPSHOT_HOLD_S", 600.0)
    path, last_op = _worked(tmp_path)
    app = _app(tmp_path, db=str(path), early=True)
    app.start()
    assert app.window is not None
    qtbot.addWidget(app.window)
    bg = app.ledger.background_snapshot
    assert bg is not None
    dashboard = app.window.sections["dashboard"]
    assert list_snapshots(path) == [], "not copied before the 工作台 has filled in"
    with qtbot.waitSignal(dashboard.completed, timeout=WORK_MS):
        pass  # the fill runs once the event loop turns
    qtbot.waitUntil(lambda: not bg.running, timeout=WORK_MS)
    assert bg.made is not None and snapshot_info(bg.made)[1] == last_op
    app.window.close()
