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


def _messy_sheet(path: Path) -> Path:
    """What a secretary really keeps: a title row and a date row above the header, merged title cells, a 序号
    column, one ID typed as a number (Excel kept 15 digits), one with a wrong check digit, a sex that disagrees
    with the ID, future 入党 dates, dates in five spellings."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws["A1"] = "中共示例科技有限公司支部委员会党员花名册"
    ws.merge_cells("A1:L1")
    ws["A2"] = "填报日期：2026年11月1日"
    ws.append(
        [
            "序号",
            "姓名",
            "性别",
            "民族",
            "身份证号",
            "出生年月",
            "文化程度",
            "人员类别",
            "入党时间",
            "转正时间",
        ]
        + ["联系电话", "所在党小组"]
    )
    rows = [
        [1, "张伟", "男", "汉族", "110101199003074514", "1990.03", "本科", "正式党员", dt.date(2012, 6, 1)]
        + ["2013.6.1", "13812345678", "第一党小组"],
        [2, "李娜", "女", "汉族", 110101199204153000, "1992-04", "硕士研究生", "正式党员", "2015年7月1日"]
        + ["2016/7/1", "13900001111", "第一党小组"],
        [3, "王强", "男", "回族", "11010119880808123X", "1988年8月", "大学本科", "预备党员", "2026-05-20"]
        + [None, "13700002222", "第二党小组"],
        [4, "赵敏", "女", "汉族", "110101199501011233", "1995.01", "大专", "正式党员", "2019.7.1"]
        + ["2020.7.1", "13600003333", "第二党小组"],
        [5, "刘洋", "男", "汉族", "110101198512129873", "1985.12", "本科", "正式党员", "2030.1.1"]
        + ["2031.1.1", "13500004444", "第一党小组"],
    ]
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_messy_roster_fixed_in_the_dialog_then_printed(
    qtbot, ledger, sync_tasks, tmp_path, monkeypatch
) -> None:
    from db import members
    from desktop.mainwindow import MainWindow
    from desktop.roster_import_dialog import RosterImportDialog

    sheet = _messy_sheet(tmp_path / "花名册.xlsx")
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    dlg = RosterImportDialog(w.ctx, sheet, w)
    qtbot.addWidget(dlg)
    dlg.show()
    res = dlg.checked
    assert res is not None and res.header_row == 3
    bad = {(p.row, p.column) for p in res.errors}
    assert bad == {(5, "身份证号"), (6, "身份证号"), (7, "性别"), (8, "入党时间"), (8, "转正时间")}
    assert not dlg.import_btn.isEnabled()
    assert members.names(ledger) == {}  # a dry run writes nothing
    # the problem text is readable in the table itself: rows with problems grow to show it wrapped
    assert dlg.table.rowHeight(1) > dlg.table.verticalHeader().defaultSectionSize()
    for row, col, value in [
        (5, "身份证号", "110101199204153729"),
        (6, "身份证号", "110101198808081231"),
        (7, "性别", "男"),
        (8, "入党时间", "2010.1.1"),
        (8, "转正时间", "2011.1.1"),
    ]:
        before = dlg.checked
        dlg.set_cell(row, col, value)
        qtbot.waitUntil(lambda b=before: dlg.checked is not b)
    assert dlg.checked is not None and not dlg.checked.errors
    assert dlg.import_btn.isEnabled() and dlg.import_btn.text() == "导入 5 名党员"
    dlg.import_btn.click()
    assert dlg.imported is not None and dlg.imported.imported == 5
    roster = {m.name: m for m in members.list_members(ledger)}
    assert roster["李娜"].id_number == "110101199204153729"
    assert str(roster["刘洋"].joined_on) == "2010-01-01"
    sec = w.sections["roster"]
    w.show_section("roster")
    assert sec.table.model().rowCount() == 5
    # print the 党员花名册 through the export dialog (Ctrl+P), as PDF
    from desktop.export_dialog import ExportDialog
    from exports.registry import Params

    monkeypatch.setattr("desktop.export_dialog.offer_open", lambda *a, **k: None)
    ex = ExportDialog(w.ctx, "roster", Params(year=2026), w)
    qtbot.addWidget(ex)
    ex.out.setText(str(tmp_path / "花名册.pdf"))
    ex._out_touched = True
    ex.run()
    assert ex.result_path is not None and ex.result_path.exists()
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(ex.result_path)).pages)
    assert "党员花名册" in text and "李娜" in text


def test_import_dialog_fits_a_small_screen(qtbot, ledger, sync_tasks, tmp_path) -> None:
    from desktop.mainwindow import MainWindow
    from desktop.roster_import_dialog import RosterImportDialog

    w = MainWindow(ledger)
    qtbot.addWidget(w)
    dlg = RosterImportDialog(w.ctx, _messy_sheet(tmp_path / "a.xlsx"), w)
    qtbot.addWidget(dlg)
    free = dlg.screen().availableGeometry()
    assert dlg.width() <= free.width() and dlg.height() <= free.height()
