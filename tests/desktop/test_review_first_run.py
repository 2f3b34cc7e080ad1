"""Acceptance review of the first run: welcome, a new branch's 工作台, the messy Excel roster fixed in the dialog,
and the export dialog's defaults."""

from __future__ import annotations

from pathlib import Path

from desktop.welcome import Welcome


def test_welcome_has_the_red_band_and_the_app_icon(qtbot, tmp_path: Path) -> None:
    from PySide6.QtGui import QIcon, QPixmap
    from PySide6.QtWidgets import QApplication, QLabel, QWidget

    pm = QPixmap(32, 32)
    pm.fill()
    old = QApplication.windowIcon()
    QApplication.setWindowIcon(QIcon(pm))
    try:
        w = Welcome(tmp_path / "台账.sqlite")
        qtbot.addWidget(w)
        w.show()
        band = w.findChild(QWidget, "HeaderBar")
        assert band is not None and band.isVisible()
        assert w.findChild(QLabel, "HeaderTitle").text() == "支部台账"
        assert w.icon_label.pixmap() is not None and not w.icon_label.pixmap().isNull()
    finally:
        QApplication.setWindowIcon(old)


def test_new_branch_dashboard_says_how_to_start_not_all_done(qtbot, ledger, sync_tasks, monkeypatch) -> None:
    from desktop.mainwindow import MainWindow

    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    dash = w.sections["dashboard"]
    dash.ensure_fresh()
    assert dash.start.isVisible()
    assert not dash.empty.isVisible()
    assert "ledger" not in dash.counts.text()
    opened: list[bool] = []
    monkeypatch.setattr(w.sections["roster"], "import_excel", lambda path=None: opened.append(True))
    dash.start.button.click()
    assert opened == [True]
    assert w.current_section() is w.sections["roster"]


def test_demo_dashboard_has_no_start_hint(qtbot, main_window) -> None:
    dash = main_window.sections["dashboard"]
    dash.ensure_fresh()
    assert not dash.start.isVisible()
