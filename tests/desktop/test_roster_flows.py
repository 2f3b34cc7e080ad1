"""党员花名册 flows on real widgets (offscreen): the member form refuses a wrong ID with a clear message and saves
a right one; an Excel sheet with errors is shown, fixed in place and imported; the roster is exported to PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from db import clock, members
from db.connection import Ledger
from tests.desktop.waits import WORK_MS
from tests.roster_data import make_id, write_sheet

BIRTH = dt.date(1988, 4, 9)
GOOD_ID = make_id(BIRTH, "female", 7)


@pytest.fixture
def window(qtbot: Any, ledger: Ledger, sync_tasks: None) -> Any:
    from desktop.mainwindow import MainWindow

    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    w.show_section("roster")
    return w


def roster(window: Any) -> Any:
    return window.sections["roster"]


def test_empty_state_says_what_to_do(window: Any) -> None:
    sec = roster(window)
    assert sec.stack.currentWidget() is sec.empty
    assert "还没有党员" in sec.empty.label.text()
    assert sec.empty.button.text() == "新增党员" and sec.empty_import.text() == "从 Excel 导入"


def test_add_member_wrong_id_refused_then_right_id_saved(window: Any, ledger: Ledger, qtbot: Any) -> None:
    from desktop.sections.roster import MemberDialog

    dlg = MemberDialog(ledger, None, window)
    qtbot.addWidget(dlg)
    dlg.name.setText("刘晓燕")
    dlg.id_number.setText(GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1"))
    dlg.joined_on.edit.setText("2012.7.1")
    dlg.full_on.edit.setText("2013年7月1日")
    dlg.save()
    assert dlg.result() == 0  # not accepted
    assert members.list_members(ledger) == []
    msg = dlg.errors["id_number"].text()
    assert "校验位" in msg and dlg.errors["id_number"].isVisibleTo(dlg)
    assert "未保存" in dlg.banner.text()

    dlg.id_number.setText(GOOD_ID.lower())
    dlg.gender.setCurrentIndex(dlg.gender.findData("male"))  # disagrees with the number: still refused
    dlg.save()
    assert members.list_members(ledger) == [] and "不一致" in dlg.errors["gender"].text()

    dlg.gender.setCurrentIndex(0)  # 按身份证号
    dlg.save()
    assert dlg.result() == 1 and dlg.saved_id is not None
    (m,) = members.list_members(ledger)
    assert m.id_number == GOOD_ID and m.gender == "female" and m.birth_date == BIRTH
    assert m.joined_on == dt.date(2012, 7, 1) and m.full_on == dt.date(2013, 7, 1)
    sec = roster(window)
    sec.ensure_fresh()
    assert sec.stack.currentIndex() == 0 and sec.model.rowCount() == 1
    shown = sec.table.model().index(0, 4).data()
    assert shown == members.get(ledger, m.id).masked_id and GOOD_ID not in shown


def test_form_date_typo_is_shown_inline(window: Any, ledger: Ledger, qtbot: Any) -> None:
    from desktop.sections.roster import MemberDialog

    dlg = MemberDialog(ledger, None, window)
    qtbot.addWidget(dlg)
    dlg.name.setText("王磊")
    dlg.joined_on.edit.setText("2012.13.1")
    dlg.save()
    assert members.list_members(ledger) == []
    assert "不是有效日期" in dlg.errors["joined_on"].text()


def _add(ledger: Ledger, name: str, seq: int, **kw: Any) -> int:
    b = dt.date(1980 + seq, 1, 1)
    return members.add(
        ledger,
        members.Member(
            name=name,
            id_number=make_id(b, "male", seq),
            joined_on=dt.date(2005, 1, 1),
            full_on=dt.date(2006, 1, 1),
            **kw,
        ),
    )


def test_search_filter_and_status_change(window: Any, ledger: Ledger, qtbot: Any) -> None:
    from desktop.sections.roster import StatusDialog

    a = _add(ledger, "张伟", 1, job="研发")
    _add(ledger, "李强", 2, job="销售")
    sec = roster(window)
    sec.ensure_fresh()
    sec.search.setText("销售")
    assert sec.table.proxy.rowCount() == 1
    sec.search.clear()
    assert sec.table.proxy.rowCount() == 2
    dlg = StatusDialog(ledger, members.get(ledger, a), window)
    qtbot.addWidget(dlg)
    dlg.status.setCurrentIndex(dlg.status.findData("transferred_out"))
    dlg.date.set_value(dt.date(2026, 3, 10))
    dlg.reason.setText("转往苏州某公司党支部")
    dlg.save()
    assert dlg.result() == 1
    sec.ensure_fresh()
    assert sec.table.proxy.rowCount() == 1  # 在册 only
    sec.status_filter.setCurrentIndex(sec.status_filter.findData(None))
    assert sec.table.proxy.rowCount() == 2
    from desktop.sections.roster import history_rows

    (h,) = history_rows(ledger, a)
    assert h["to"] == "已转出" and h["reason"] == "转往苏州某公司党支部" and h["date"] == "2026年3月10日"


def test_show_subject_selects_and_opens_the_member(
    window: Any, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.sections import roster as mod

    _add(ledger, "张伟", 1)
    b = _add(ledger, "李强", 2)
    members.change_status(ledger, b, "suspended", dt.date(2026, 1, 1), "停止党籍")
    opened: list[Any] = []
    monkeypatch.setattr(mod.MemberDialog, "exec", lambda self: opened.append(self.member.id) or 0)
    window.show_section("roster", "member", b)
    sec = roster(window)
    assert sec.table.current_row().id == b and opened == [b]


def test_import_sheet_with_errors_fix_in_place_then_import(
    window: Any, ledger: Ledger, qtbot: Any, tmp_path: Path
) -> None:
    from desktop.roster_import_dialog import FIRST_SHEET_COLUMN, PROBLEM_COLUMN, RosterImportDialog

    ids = [make_id(dt.date(1985, 1, 1 + i), "male", i) for i in range(4)]
    wrong = ids[1][:-1] + ("0" if ids[1][-1] != "0" else "1")
    path = write_sheet(
        tmp_path / "我们的花名册.xlsx",
        ["序号", "姓名", "身份证号", "性别", "入党日期", "转正日期", "党小组"],
        [
            [1, "赵一", ids[0], "男", "2010-01-01", "2011-01-01", "第一党小组"],
            [2, "钱二", wrong, "男", "2010-01-01", "2011-01-01", "第一党小组"],
            [3, "孙三", ids[2], "女", "2010-01-01", "2011-01-01", "第二党小组"],
            [4, "李四", ids[3], "男", "2010.1.1", "2011.1.1", "第二党小组"],
        ],
        title_rows=[["某某支部党员花名册"]],
    )
    dlg = RosterImportDialog(window.ctx, path, window)
    qtbot.addWidget(dlg)
    res = dlg.checked
    assert res is not None and len(res.errors) == 2
    assert not dlg.import_btn.isEnabled()
    assert "2 行" in dlg.summary.text() or "2 处" in dlg.summary.text()
    # the problems table: rows 4 and 5 of the sheet, the bad cells highlighted, the text in the problem column
    model = dlg.model
    headers = [model.horizontalHeaderItem(j).text() for j in range(model.columnCount())]
    assert headers[:2] == ["行", "问题"] and headers[FIRST_SHEET_COLUMN:] == res.columns
    by_row = {model.item(r, 0).text(): r for r in range(model.rowCount())}
    assert "校验位" in model.item(by_row["4"], PROBLEM_COLUMN).text()
    assert "不一致" in model.item(by_row["5"], PROBLEM_COLUMN).text()
    id_col = FIRST_SHEET_COLUMN + res.columns.index("身份证号")
    assert model.item(by_row["4"], id_col).background().color().name() == "#fde2e2"
    assert model.item(by_row["4"], id_col).text() == wrong  # the sheet's own value
    assert (
        dlg.only_problems.isChecked()
        and dlg.table.isRowHidden(by_row["6"])
        and not dlg.table.isRowHidden(by_row["4"])
    )

    dlg.set_cell(4, "身份证号", ids[1])
    qtbot.waitUntil(lambda: dlg.checked is not None and len(dlg.checked.errors) == 1, timeout=WORK_MS)
    dlg.set_cell(5, "性别", "男" if int(ids[2][16]) % 2 else "女")
    qtbot.waitUntil(lambda: dlg.checked is not None and not dlg.checked.errors, timeout=WORK_MS)
    assert dlg.import_btn.isEnabled() and "4" in dlg.import_btn.text()
    assert members.list_members(ledger) == []  # nothing written by the checks
    qtbot.mouseClick(dlg.import_btn, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.MouseButton.LeftButton)
    assert dlg.imported is not None and dlg.imported.imported == 4
    assert "已导入 4 名党员" in dlg.done_label.text() and "第一党小组" in dlg.done_label.text()
    assert {m.name for m in members.list_members(ledger)} == {"赵一", "钱二", "孙三", "李四"}
    sec = roster(window)
    sec.ensure_fresh()
    assert sec.model.rowCount() == 4 and sec.group_filter.count() == 4  # 全部 + 2 groups + 未分


def test_import_refuses_old_xls_clearly(window: Any, qtbot: Any, tmp_path: Path) -> None:
    from desktop.roster_import_dialog import RosterImportDialog

    p = tmp_path / "旧表.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0")
    dlg = RosterImportDialog(window.ctx, p, window)
    qtbot.addWidget(dlg)
    assert "另存为" in dlg.summary.text() and "旧表.xls" in dlg.summary.text()
    assert not dlg.import_btn.isEnabled()


def test_export_roster_to_pdf_via_the_export_dialog(
    window: Any, ledger: Ledger, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop import export_dialog
    from exports.registry import Params

    _add(ledger, "张伟", 1)
    _add(ledger, "李强", 2)
    offered: list[Path] = []
    monkeypatch.setattr(export_dialog, "offer_open", lambda parent, path, title="": offered.append(path))
    dlg = export_dialog.ExportDialog(window.ctx, "roster", Params(year=clock.today().year), window)
    qtbot.addWidget(dlg)
    assert dlg.current().key == "roster"
    out = tmp_path / "花名册.pdf"
    dlg.pdf.setChecked(True)
    dlg.out.setText(str(out))
    dlg.run()
    assert offered == [out] and out.exists()
    from pypdf import PdfReader

    text = "".join(p.extract_text() or "" for p in PdfReader(str(out)).pages).replace(" ", "")
    assert "张伟" in text and "李强" in text and "党员花名册" in text


def test_export_button_opens_the_dialog_preset_to_roster(
    window: Any, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, Any]] = []
    monkeypatch.setattr(window, "export_dialog", lambda key=None, params=None: calls.append((key, params)))
    _add(ledger, "张伟", 1)
    sec = roster(window)
    sec.ensure_fresh()
    sec.export_btn.click()
    assert calls and calls[0][0] == "roster"
