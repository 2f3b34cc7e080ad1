"""组织生活 driven through its real widgets (offscreen): a year's 民主评议 for 12 members in a few actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from db import appraisals, findings
from db.connection import Ledger
from tests.orglife_data import add_committee, add_meeting, add_members

D = dt.date


@pytest.fixture
def branch_window(qtbot: Any, ledger: Ledger, sync_tasks: None) -> Any:
    from desktop.mainwindow import MainWindow

    ids = add_members(ledger, 12, 2)
    add_committee(ledger, ids[:3])
    add_meeting(ledger, ["assembly", "appraisal", "org_life"], D(2025, 12, 10))
    add_meeting(ledger, ["committee"], D(2025, 12, 12))
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    return w


def select_names(tab: Any, names: set[str]) -> None:
    sel = tab.table.selectionModel()
    sel.clearSelection()
    for r in range(tab.table.proxy.rowCount()):
        idx = tab.table.proxy.index(r, 0)
        if idx.data() in names:
            sel.select(idx, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def test_a_years_appraisal_for_12_members_in_few_actions(branch_window: Any, qtbot: Any) -> None:
    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.set_year(2025)
    tab = sec.appraisal
    # the year's 民主评议 meeting gives the date, the 党员大会/组织生活会 and the 支委会 that decides
    assert tab.held_on.value() == D(2025, 12, 10)
    assert tab.assembly.currentData() is not None and tab.org_life.currentData() == tab.assembly.currentData()
    assert "支委会" in tab.decision.currentText()
    assert len(tab.rows) == 14
    # action 1: everyone not yet rated → 合格; 预备党员 are left without an 等次
    assert tab.set_rest_qualified() == 12
    # action 2 and 3: pick three and press 1 (优秀); pick one and press 3 (基本合格)
    select_names(tab, {"正式1", "正式2", "正式3"})
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_1)
    select_names(tab, {"正式12"})
    qtbot.keyClick(tab.table, Qt.Key.Key_3)
    # a 预备党员 selected with the others is skipped, never graded
    select_names(tab, {"预备1"})
    qtbot.keyClick(tab.table, Qt.Key.Key_1)
    assert "未保存" in tab.hint.text() and "优秀3人" in tab.hint.text()
    # action 4: Ctrl+S
    qtbot.keyClick(tab.table, Qt.Key.Key_S, modifier=Qt.KeyboardModifier.ControlModifier)
    a = appraisals.get_appraisal(w.ledger, 2025)
    assert a is not None and a.held_on == D(2025, 12, 10)
    assert sorted(r.grade for r in a.results if r.grade) == ["basic"] + ["excellent"] * 3 + ["qualified"] * 8
    assert all(r.decision_id for r in a.results if r.grade)
    assert not tab.dirty
    assert [f for f in findings.check(w.ledger, D(2026, 1, 5)) if f.code in ("O01", "O02", "O03")] == []


def test_more_than_a_third_excellent_is_shown_before_saving(branch_window: Any, qtbot: Any) -> None:
    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.set_year(2025)
    tab = sec.appraisal
    tab.set_rest_qualified()
    select_names(tab, {f"正式{i}" for i in range(1, 6)})
    tab.set_grade("excellent")
    assert "优秀5人超过参评正式党员12人的三分之一（最多4人" in tab.hint.text()


def test_finding_opens_the_member_in_the_sheet(branch_window: Any, qtbot: Any) -> None:
    w = branch_window
    f = next(f for f in findings.check(w.ledger, D(2026, 1, 5)) if f.code == "O01")
    target = findings.SUBJECT_SECTIONS["member"]
    assert target == "roster"  # O01 names a member; the 组织生活 section also opens one by id
    w.show_section("orglife", "member", f.subject_id)
    tab = w.sections["orglife"].appraisal
    assert tab.table.current_row().member_id == f.subject_id


# ------------------------------------------------------------------------------------------ 谈心谈话


def test_a_talk_from_the_matrix_and_from_a_trigger(branch_window: Any, qtbot: Any, monkeypatch: Any) -> None:
    from db import talks
    from desktop.sections.orglife import talks as talks_ui

    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.set_year(2026)
    sec.tabs.setCurrentWidget(sec.talks)
    tab = sec.talks
    opened: list[Any] = []

    def fake_exec(dlg: Any) -> int:
        opened.append(dlg)
        dlg.topic.setPlainText("谈工作和思想")
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(talks_ui.TalkDialog, "exec", fake_exec)
    row = next(r for r in tab.matrix_model.rows if r.name == "正式5")
    assert set(row.missing) == {"committee_member", "member_member"}
    tab.new_talk(row.member_id)  # the secretary talks with 正式5
    (dlg,) = opened
    assert dlg.member.currentData() == row.member_id and "支委" in dlg.talker.currentText()
    saved = talks.list_talks(w.ledger)
    assert len(saved) == 1 and saved[0].topic == "谈工作和思想"
    row = next(r for r in tab.matrix_model.rows if r.name == "正式5")
    assert set(row.missing) == {"member_member"} and row.counts["committee_member"] == 1
    # the two 预备党员 joined on 2025-12-01: no pending trigger any more on 2026-11-22 (90 days)
    assert not tab.pending_box.isVisibleTo(tab)


def test_talk_dialog_refuses_the_same_person(branch_window: Any, qtbot: Any, monkeypatch: Any) -> None:
    from db import talks
    from desktop.sections.orglife.talks import TalkDialog

    errors: list[str] = []
    monkeypatch.setattr("desktop.sections.orglife.talks.show_error", lambda _p, e: errors.append(str(e)))
    w = branch_window
    dlg = TalkDialog(w.ledger, talks.Talk(D(2026, 11, 1), 1, 1), w)
    dlg.save()
    assert errors and "同一人" in errors[0]
    assert talks.list_talks(w.ledger) == []


# ------------------------------------------------------------------------------------------ 学时


def test_study_record_exemption_and_import(
    branch_window: Any, qtbot: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    import openpyxl

    from db import study
    from desktop.sections.orglife.study import ExemptionDialog, StudyRecordDialog

    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.set_year(2026)
    sec.tabs.setCurrentWidget(sec.study)
    tab = sec.study
    row = next(r for r in tab.model.rows if r.name == "正式5")
    assert row.target == 32 and not row.met
    dlg = StudyRecordDialog(w.ledger, study.StudyRecord(row.member_id, D(2026, 6, 1), "", 0), tab)  # type: ignore[arg-type]
    dlg.title.setText("区委党校集中轮训")
    dlg.hours.setText("31.5")
    dlg.save()
    assert dlg.result() == 1
    row = next(r for r in tab.model.rows if r.name == "正式5")
    assert str(row.total) == "31.5" and "差0.5学时" in tab.model.data(
        tab.model.index(tab.model.rows.index(row), 6)
    )
    ex = ExemptionDialog(w.ledger, row, 2026, tab)
    ex.reason.setText("身患重病")
    ex.save()
    row = next(r for r in tab.model.rows if r.name == "正式5")
    assert row.met and row.exemption == "身患重病"
    path = tmp_path / "学时.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "日期", "名称", "学时"])
    wb.active.append(["正式6", "2026-05-01", "网络学院专题", 32])
    wb.save(path)
    assert tab.import_path(path) == 1
    assert next(r for r in tab.model.rows if r.name == "正式6").met
    errors: list[str] = []
    monkeypatch.setattr("desktop.sections.orglife.study.show_error", lambda _p, e, *_a: errors.append(str(e)))
    wb.active.append(["查无此人", "2026-05-01", "x", 1])
    wb.save(path)
    assert tab.import_path(path) == 0 and "查无此人" in errors[0]


# ------------------------------------------------------------------------------------------ 整改


def test_rectification_entered_overdue_and_closed(branch_window: Any, qtbot: Any, monkeypatch: Any) -> None:
    from db import rectifications
    from desktop.sections.orglife.rectify import RectifyDialog

    errors: list[str] = []
    monkeypatch.setattr(
        "desktop.sections.orglife.rectify.show_error", lambda _p, e, *_a: errors.append(str(e))
    )
    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.set_year(2026)
    sec.tabs.setCurrentWidget(sec.rectify)
    tab = sec.rectify
    dlg = RectifyDialog(w.ledger, rectifications.Rectification(D(2026, 1, 20), ""), tab)
    dlg.problem.setPlainText("谈心谈话覆盖不全")
    dlg.measure.setText("支委分片包干")
    dlg.due_on.set_value(D(2026, 11, 21))
    dlg.save()
    assert dlg.result() == 1
    assert [tab.model.data(tab.model.index(0, c)) for c in (1, 5)] == ["支委会（班子）", "逾期未完成"]
    f = next(f for f in findings.check(w.ledger, D(2026, 11, 22)) if f.code == "O07")
    w.show_section("orglife", f.subject_type, f.subject_id)
    assert sec.tabs.currentWidget() is tab and tab.table.current_row().id == f.subject_id
    r = tab.table.current_row()
    close = RectifyDialog(w.ledger, r, tab)
    close.closed_on.set_value(D(2026, 11, 22))
    close.save()
    assert close.result() == 0 and "佐证" in errors[0]  # no evidence: refused, the dialog stays open
    close.evidence.setText("支委会会议记录")
    close.save()
    assert close.result() == 1
    assert tab.model.data(tab.model.index(0, 5)) == "已完成"
    assert not [f for f in findings.check(w.ledger, D(2026, 11, 22)) if f.code == "O07"]


def test_results_show_on_the_roster_and_in_the_persons_history(branch_window: Any, qtbot: Any) -> None:
    from desktop.sections.roster.status import history_rows

    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.set_year(2025)
    tab = sec.appraisal
    tab.set_rest_qualified()
    assert tab.save()
    first = tab.rows[0]
    w.show_section("roster")
    roster = w.sections["roster"]
    roster.ensure_fresh()
    col = [c.title for c in roster.model.columns].index("民主评议")
    i = next(i for i, m in enumerate(roster.model.rows) if m.id == first.member_id)
    assert roster.model.data(roster.model.index(i, col)) == "2025年 合格"
    rows = history_rows(w.ledger, first.member_id)
    assert {
        "date": "2025年12月10日",
        "field": "民主评议",
        "from": "",
        "to": "合格",
        "reason": "2025年度",
    } in rows


def test_tabs_are_loaded_when_shown(branch_window: Any, monkeypatch: Any) -> None:
    """A change reloads only the tab in view; the others are loaded, with the change, when they are shown; a
    member opened from elsewhere is selected on every tab, also on those loaded later."""
    from db import branch, talks

    w = branch_window
    w.show_section("orglife")
    sec = w.sections["orglife"]
    sec.set_year(2026)
    loads: list[str] = []
    for name in ("appraisal", "talks", "study", "rectify", "mobility", "honors", "care"):
        tab = getattr(sec, name)
        monkeypatch.setattr(
            tab, "load", lambda year, tab=tab, name=name: (loads.append(name), type(tab).load(tab, year))
        )
    assert sec.tabs.currentWidget() is sec.appraisal
    member = next(r for r in sec.appraisal.rows if r.name == "正式5").member_id
    secretary = branch.secretary_on(sec.ledger, D(2026, 3, 2))
    assert secretary is not None
    talks.save_talk(sec.ledger, talks.Talk(D(2026, 3, 2), secretary, member, topic="谈工作和思想"))
    assert loads == ["appraisal"]  # the 谈心谈话 tab is hidden: not loaded
    sec.tabs.setCurrentWidget(sec.talks)
    assert loads == ["appraisal", "talks"]
    row = next(r for r in sec.talks.matrix_model.rows if r.member_id == member)
    assert row.counts["committee_member"] == 1  # the talk saved while the tab was hidden
    sec.tabs.setCurrentWidget(sec.appraisal)
    sec.tabs.setCurrentWidget(sec.talks)
    assert loads == ["appraisal", "talks"]  # nothing changed since: shown as it was
    # a member opened from another screen: selected on the tabs loaded now and on those loaded later
    w.show_section("orglife", "member", member)
    assert sec.talks.matrix.current_row().member_id == member
    sec.tabs.setCurrentWidget(sec.study)
    assert loads[-1] == "study" and sec.study.table.current_row().member_id == member
