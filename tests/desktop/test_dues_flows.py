"""党费 screens driven with qtbot: fix a year's bases (年初核定: copy, review one in the worksheet, confirm all) and
record a month with one exception — one action plus the exceptions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db import clock, dues, members
from db.connection import Ledger
from desktop.sections import dues as section_mod
from desktop.sections.dues import bases as bases_mod
from desktop.sections.dues import collect as collect_mod

YEAR = clock.today().year


@pytest.fixture
def branch_of_five(ledger: Ledger) -> list[int]:
    ids = []
    for i, name in enumerate(["赵一", "钱二", "孙三", "李四", "周五"]):
        ids.append(members.add(ledger, members.Member(name=name, joined_on=dt.date(2010 + i, 3, 1))))
    for mid in ids:
        dues.save_base(
            ledger, dues.BaseEntry(mid, YEAR - 1, "employed", base=D("4900.00")), on=dt.date(YEAR - 1, 1, 20)
        )
    return ids


@pytest.fixture
def window(qtbot: Any, ledger: Ledger, sync_tasks: None) -> Any:
    from desktop.mainwindow import MainWindow

    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    return w


def open_dues(window: Any) -> section_mod.DuesSection:
    window.show_section("dues")
    sec = window.current_section()
    assert isinstance(sec, section_mod.DuesSection)
    sec.year.setCurrentIndex(sec.year.findData(YEAR))
    return sec


def test_empty_branch_says_what_to_do(window: Any, ledger: Ledger) -> None:
    sec = open_dues(window)
    assert sec.stack.currentWidget() is sec.empty
    assert "花名册" in sec.empty.label.text()
    members.add(ledger, members.Member(name="新党员", joined_on=dt.date(2020, 1, 1)))
    # members but no 核定 at all: the grid's empty state points to the 核定 tab
    assert sec.stack.currentWidget() is sec.tabs
    assert sec.grid_stack.currentWidget() is sec.grid_empty
    assert [r.state for r in sec.base_model.rows] == ["未核定"]


def test_fix_a_years_bases(
    qtbot: Any, window: Any, ledger: Ledger, branch_of_five: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    sec = open_dues(window)
    # no 核定 for this year yet: last year's amounts carry on and the 核定 tab says so
    assert [r.state for r in sec.base_model.rows] == ["沿用上年"] * 5
    monkeypatch.setattr(bases_mod, "info", lambda *a, **k: None)
    monkeypatch.setattr(bases_mod, "confirm", lambda *a, **k: True)
    sec.tabs.setCurrentIndex(1)
    qtbot.mouseClick(sec.copy_btn, Qt.MouseButton.LeftButton)
    states = [r.state for r in sec.base_model.rows]
    assert states == ["待确认（已复制）"] * 5
    assert sec.fix_btn.isEnabled()

    # review one member in the worksheet: pay items minus deductions give a new base
    def fill(dlg: section_mod.BaseDialog) -> int:
        dlg.use_ws.setChecked(True)
        dlg.items["basic"].setText("6000")
        dlg.items["bonus"].setText("1000")
        dlg.deds["pension"].setText("480")
        dlg.deds["income_tax"].setText("120")
        assert "6,400.00" in dlg.preview.text() and "96.00" in dlg.preview.text()
        assert dlg.base.text() == "6400.00"
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
        return 1

    monkeypatch.setattr(section_mod.BaseDialog, "exec", fill)
    assert sec.base_table.select_where(lambda r: r.name == "钱二")
    qtbot.mouseClick(sec.edit_btn, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(sec.fix_btn, Qt.MouseButton.LeftButton)
    rows = {r.name: r for r in sec.base_model.rows}
    assert all(r.state == "已核定" for r in rows.values())
    assert rows["钱二"].base.amount == D("96.00") and rows["钱二"].base.base == D("6400.00")
    assert rows["赵一"].base.amount == D("49.00")
    assert not sec.fix_btn.isEnabled()
    assert sec.grid_stack.currentWidget() is sec.grid


def test_record_a_month_with_one_exception(
    qtbot: Any, window: Any, ledger: Ledger, branch_of_five: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dues.copy_bases(ledger, YEAR)
    dues.fix_bases(ledger, YEAR)
    sec = open_dues(window)
    sec.month.setCurrentIndex(0)  # January
    sec.paid_on.set_value(dt.date(YEAR, 1, 10))
    sec.collector.setText("组织委员")
    absent, other = branch_of_five[2], branch_of_five[4]

    def exceptions(dlg: section_mod.CollectDialog) -> int:
        assert len(dlg.rows) == 5
        dlg.set_paid(absent, False)  # the one exception: 孙三 did not pay
        dlg.set_amount(other, "60.00")  # 周五 paid a little more
        assert "勾选 4 人" in dlg.summary.text()
        return 1

    monkeypatch.setattr(section_mod.CollectDialog, "exec", exceptions)
    qtbot.mouseClick(sec.collect_btn, Qt.MouseButton.LeftButton)
    pays = {p.member_id: p for p in dues.payments_of(ledger, month=f"{YEAR}-01")}
    assert set(pays) == set(branch_of_five) - {absent}
    assert pays[other].amount == D("60.00") and pays[branch_of_five[0]].amount == D("49.00")
    assert pays[branch_of_five[0]].collector == "组织委员" and pays[branch_of_five[0]].paid_on == dt.date(
        YEAR, 1, 10
    )
    assert ledger.last_result is not None and ledger.last_result.name == "RecordMonth"
    # the grid shows the month; the absent member's January is empty or 未交, never an amount
    row = next(r for r in sec.grid_model.rows if r.member_id == absent)
    assert section_mod._grid_text(row.months[0]) in ("", "未交")
    paid_row = next(r for r in sec.grid_model.rows if r.member_id == other)
    assert section_mod._grid_text(paid_row.months[0]) == "60.00"
    # the member's history at a glance
    h = section_mod.HistoryDialog(sec, ledger, other, "周五")
    qtbot.addWidget(h)
    assert "党费已交到" in h.head.text()
    jan = next(c for c in h.months.rows if c.month == f"{YEAR}-01")
    assert jan.paid == D("60.00")
    # last year's months were never paid in this test ledger, so the unbroken run is not yet "paid up"
    assert dues.paid_up_to(ledger, other) is None and "有未交月份" in h.head.text()


def test_makeup_beyond_limit_is_refused_with_reason(
    qtbot: Any, window: Any, ledger: Ledger, branch_of_five: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    sec = open_dues(window)
    sec.year.setCurrentIndex(sec.year.findData(YEAR - 1))
    errors: list[str] = []
    monkeypatch.setattr(collect_mod, "show_error", lambda _p, e, *_a: errors.append(str(e)))

    def choose(dlg: section_mod.PaymentDialog) -> int:
        dlg.first.setCurrentIndex(dlg.first.findData(f"{YEAR - 2}-01"))
        dlg.last.setCurrentIndex(dlg.first.findData(f"{YEAR - 2}-01"))
        dlg.paid_on.set_value(dt.date(YEAR - 1, 12, 1))
        return 1

    monkeypatch.setattr(section_mod.PaymentDialog, "exec", choose)
    assert sec.grid.select_where(lambda r: r.name == "赵一")
    qtbot.mouseClick(sec.pay_btn, Qt.MouseButton.LeftButton)
    assert errors and "超过补交上限 6 个月" in errors[0]
    assert not dues.payments_of(ledger)


def test_payments_leave_the_base_tab_as_it_was_and_a_base_change_remakes_it(
    window: Any, ledger: Ledger, branch_of_five: list[int]
) -> None:
    dues.copy_bases(ledger, YEAR)
    sec = open_dues(window)
    before = list(sec.base_model.rows)
    assert [b.state for b in before] == ["待确认（已复制）"] * 5
    sec.search.setText("赵")  # the section's search: both tabs
    assert sec.base_table.proxy.rowCount() == 1
    dues.record_payment(ledger, branch_of_five[0], [f"{YEAR}-01"], dt.date(YEAR, 1, 10))
    after = sec.base_model.rows
    assert all(a is b for a, b in zip(before, after, strict=True)), "a payment changes no 核定: rows kept"
    assert sec.base_table.proxy.rowCount() == 1, "the search still applies"
    first = next(b for b in after if b.member_id == branch_of_five[0])
    assert first.row is next(r for r in sec.rows if r.member_id == branch_of_five[0]), "its year as it is now"
    assert first.row.months[0].paid > 0
    dues.fix_bases(ledger, YEAR)  # the 核定 change: the tab is made again and shows it
    assert [b.state for b in sec.base_model.rows] == ["已核定"] * 5
    assert not any(a is b for a, b in zip(before, sec.base_model.rows, strict=True))
    assert sec.base_table.proxy.rowCount() == 1 and sec.grid.proxy.rowCount() == 1
