"""Acceptance review of the first run: welcome, a new branch's 工作台, the messy Excel roster fixed in the dialog,
and the export dialog's defaults."""

from __future__ import annotations

from pathlib import Path

from desktop.welcome import Welcome
from tests.desktop.waits import WORK_MS


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
        qtbot.waitUntil(lambda b=before: dlg.checked is not b, timeout=WORK_MS)
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


def test_export_dialog_honours_the_preset_and_names_the_file(
    qtbot, main_window, tmp_path, monkeypatch
) -> None:
    import datetime as dt

    from desktop import export_dialog
    from desktop.export_dialog import ExportDialog
    from exports.registry import Params

    monkeypatch.setattr(export_dialog, "default_folder", lambda: tmp_path)
    ctx = main_window.ctx
    # 工作台 exports the 问题清单 as of the date it shows, not as of today
    d = ExportDialog(ctx, "findings", Params(year=2026, as_of=dt.date(2026, 10, 1)), main_window)
    qtbot.addWidget(d)
    assert d.params().as_of == dt.date(2026, 10, 1)
    out = Path(d.out.text())
    assert out.parent == tmp_path and out.name.endswith("工作提醒与问题清单-截至2026年10月1日.pdf")
    assert "ledger" not in d.description.text()
    # a masked preset stays masked (the 纪实表 from the development screen)
    d2 = ExportDialog(ctx, "applicant-file", Params(applicant_id=1, masked=True), main_window)
    qtbot.addWidget(d2)
    assert d2.params().masked is True
    assert d2.params().year is None and not d2.year.isEnabled()
    assert "（" not in Path(d2.out.text()).name and Path(d2.out.text()).name.count("-") == 2
    # a meeting record is named after the meeting, without a meaningless year
    d3 = ExportDialog(ctx, "meeting-record", Params(meeting_id=1), main_window)
    qtbot.addWidget(d3)
    assert "会议记录-" in d3.out.text() and "会议记录-2026年" not in d3.out.text()


def test_export_dialog_asks_before_replacing_and_refuses_a_missing_folder(
    qtbot, main_window, tmp_path, monkeypatch
) -> None:
    from desktop import export_dialog
    from desktop.export_dialog import ExportDialog
    from exports.registry import Params

    shown: list[str] = []
    monkeypatch.setattr("desktop.dialogs.show_error", lambda _p, e, *_a: shown.append(str(e)))
    asked: list[str] = []
    monkeypatch.setattr(
        "desktop.dialogs.confirm", lambda _p, _t, text, *_a, **_k: asked.append(text) or False
    )
    monkeypatch.setattr(export_dialog, "offer_open", lambda *a, **k: None)
    d = ExportDialog(main_window.ctx, "dues-notice", Params(year=2026), main_window)
    qtbot.addWidget(d)
    d.out.setText(str(tmp_path / "没有这个文件夹" / "a.pdf"))
    d.run()
    assert d.result_path is None and shown and "不存在" in shown[0]
    target = tmp_path / "公示.pdf"
    target.write_bytes(b"old")
    d.out.setText(str(target))
    d.run()
    assert asked and "公示.pdf" in asked[0]
    assert target.read_bytes() == b"old"  # not replaced without a yes
