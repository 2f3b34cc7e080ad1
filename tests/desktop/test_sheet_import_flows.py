"""The import dialog for every sheet (issue #15 §2): the secretary chooses 花名册/党费/发展党员/三会一课, sees the dry
run's problems by row and column and the unused columns before anything is written, fixes a cell in place,
imports all in one operation and undoes it with Ctrl+Z."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db.connection import Ledger
from tests.db.test_sheet_imports import (
    APPLICANT_HEADER,
    MEETING_HEADER,
    MONTHS,
    TODAY,
    add_roster,
    book,
    count,
    dev_rows,
    dues_rows,
    meeting_rows,
)
from tests.desktop.waits import WORK_MS


@pytest.fixture
def window(qtbot: Any, ledger: Ledger, sync_tasks: None, frozen_today: Any) -> Any:
    from desktop.mainwindow import MainWindow

    frozen_today(TODAY)
    add_roster(ledger)
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    return w


def open_dialog(window: Any, qtbot: Any, path: Path, kind: str, year: int | None = None) -> Any:
    from desktop.sheet_import_dialog import SheetImportDialog

    dlg = SheetImportDialog(window.ctx, path, window, kind=kind, year=year)
    qtbot.addWidget(dlg)
    return dlg


def test_dues_register_dry_run_fix_in_place_import_and_undo(
    window: Any, ledger: Ledger, qtbot: Any, tmp_path: Path
) -> None:
    from desktop.sheet_import_dialog import FIRST_SHEET_COLUMN, PROBLEM_COLUMN

    rows = dues_rows()
    rows[0][2] = "已交"  # 张伟 1月 is not an amount
    path = book(tmp_path / "党费登记.xlsx", ["序号", "姓名", *MONTHS, "合计"], rows)
    dlg = open_dialog(window, qtbot, path, "dues", 2026)
    assert dlg.windowTitle() == "从 Excel 导入党费收缴登记表" and dlg.year_box.isVisible() is not None
    res = dlg.checked
    assert res is not None and res.kind == "dues" and len(res.errors) == 1
    assert not dlg.import_btn.isEnabled()
    assert "未使用的列：“序号”" in dlg.summary.text()
    model = dlg.model
    by_row = {model.item(r, 0).text(): r for r in range(model.rowCount())}
    assert "不是金额" in model.item(by_row["4"], PROBLEM_COLUMN).text()
    col = FIRST_SHEET_COLUMN + res.columns.index("1月")
    assert model.item(by_row["4"], col).background().color().name() == "#fde2e2"
    assert count(ledger, "dues_payments") == 0

    dlg.set_cell(4, "1月", "30")
    qtbot.waitUntil(lambda: dlg.checked is not None and not dlg.checked.errors, timeout=WORK_MS)
    assert dlg.import_btn.isEnabled() and "28 笔党费" in dlg.import_btn.text()
    qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    assert dlg.imported is not None and dlg.imported.imported == 28
    assert "已导入 28 笔党费" in dlg.done_label.text() and "Ctrl+Z" in dlg.done_label.text()
    assert count(ledger, "dues_payments") == 28
    window.undo()
    assert count(ledger, "dues_payments") == 0


def test_wrong_kind_then_switch_to_meetings(window: Any, ledger: Ledger, qtbot: Any, tmp_path: Path) -> None:
    path = book(tmp_path / "三会一课.xlsx", MEETING_HEADER, meeting_rows())
    dlg = open_dialog(window, qtbot, path, "members")
    assert dlg.checked is not None and dlg.checked.errors and "没有找到表头" in dlg.summary.text()
    assert not dlg.import_btn.isEnabled() and not dlg.year_box.isVisibleTo(dlg)
    dlg.set_kind("meetings")
    qtbot.waitUntil(lambda: dlg.checked is not None and dlg.checked.kind == "meetings", timeout=WORK_MS)
    assert not dlg.checked.errors and "3 次会议" in dlg.import_btn.text()
    qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    assert count(ledger, "meetings") == 3 and "补录" in ledger.undoable().label
    # on the meetings screen: marked 补录（据纸质记录）with its counts, never printed as minutes
    window.show_section("meetings")
    sec = window.sections["meetings"]
    sec.ensure_fresh()
    mid = int(ledger.query("SELECT id FROM meetings WHERE date = '2026-06-18'")[0][0])
    sec.open_meeting(mid)
    ed = sec.editor
    assert ed.state.text().startswith("补录（据纸质记录）：应到 3 人、实到 2 人")
    assert not ed.print_btn.isEnabled() and not ed.sign_btn.isEnabled() and not ed.final_btn.isEnabled()


def test_applicants_show_rule_findings_before_import(
    window: Any, ledger: Ledger, qtbot: Any, tmp_path: Path
) -> None:
    from desktop.sheet_import_dialog import PROBLEM_COLUMN

    path = book(tmp_path / "发展.xlsx", APPLICANT_HEADER, dev_rows())
    dlg = open_dialog(window, qtbot, path, "applicants")
    assert dlg.checked is not None and not dlg.checked.errors
    assert "按发展党员工作规定" in dlg.summary.text()
    texts = [dlg.model.item(r, PROBLEM_COLUMN).text() for r in range(dlg.model.rowCount())]
    assert any("规则 " in t and "D02" in t for t in texts)
    qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    assert count(ledger, "applicants") == 3


def test_file_menu_offers_every_kind(window: Any) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("文件"))
    sub = next(a.menu() for a in menu.actions() if a.text() == "从 Excel 导入")
    sub.aboutToShow.emit()  # as Qt does when the submenu opens: its actions are made then
    assert [a.text() for a in sub.actions()] == [
        "花名册…",
        "党费收缴登记表…",
        "发展党员工作台账…",
        "三会一课记录…",
    ]
