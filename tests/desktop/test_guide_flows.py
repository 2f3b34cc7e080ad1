"""园区要求 driven through its real widgets (offscreen): import the upper committee's 指导清单 sheet, plan a month
from its item, hold the meeting in the meeting editor that opens filled in, see the item carried out; change
another with its reason; a 书记项目 立项 with a milestone that turns late (K02)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from db import findings, guide_lists, meetings, projects
from db.connection import Ledger
from tests.guide_data import sheet_a, sheet_bad
from tests.orglife_data import add_committee, add_members

D = dt.date


@pytest.fixture
def window(qtbot: Any, ledger: Ledger, sync_tasks: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    from desktop.mainwindow import MainWindow
    from desktop.sections.guide import section as guide_section

    ids = add_members(ledger, 6)
    add_committee(ledger, ids[:3])
    told: list[str] = []
    monkeypatch.setattr(guide_section, "info", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(guide_section, "show_error", lambda _p, text: told.append(str(text)))
    w = MainWindow(ledger)
    w.told = told
    qtbot.addWidget(w)
    w.show()
    return w


def row_of(tab: Any, month: int, seq: int = 1) -> int:
    for r in range(tab.table.proxy.rowCount()):
        it = tab.table.proxy.index(r, 0).data(Qt_ROW)
        if it.month == month and it.seq == seq:
            return r
    raise AssertionError(month)


from desktop.models import ROW_ROLE as Qt_ROW  # noqa: E402


def select(tab: Any, month: int, seq: int = 1) -> None:
    tab.table.selectRow(row_of(tab, month, seq))


def state_text(tab: Any, month: int) -> str:
    return str(tab.table.proxy.index(row_of(tab, month), 5).data())


def test_import_plan_hold_and_see_it_carried_out(
    window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.sections.guide.guide_tab import PlanDialog

    w = window
    w.show_section("guide")
    sec = w.sections["guide"]
    tab = sec.guide
    assert tab.stack.currentWidget() is tab.empty  # 还没有本年度的指导清单 — 导入…
    # a bad sheet is refused with file, row and column
    assert not sec.import_list(str(sheet_bad(tmp_path / "bad.xlsx")))
    assert "bad.xlsx，第3行，“月份”" in w.told[-1]
    # the committee's sheet
    assert sec.import_list(str(sheet_a(tmp_path / "清单.xlsx")))
    assert "13 项" in w.told[-1]
    assert tab.model.rowCount() == 13 and tab.table.proxy.index(0, 0).data() == "1"
    assert state_text(tab, 1) == "未开展" and state_text(tab, 12) == "待安排"
    # plan November from its item: one action, the planned 主题党日 carries the theme and points
    select(tab, 11)
    monkeypatch.setattr(
        PlanDialog,
        "exec",
        lambda self: (self.date.set_value(D(2026, 11, 20)), QDialog.DialogCode.Accepted)[1],
    )
    tab.plan_current()
    plan = meetings.list_plans(w.ledger)[0]
    assert (plan.date, plan.kinds, plan.topic) == (D(2026, 11, 20), ["theme_day"], "组织生活会准备")
    assert state_text(tab, 11) == "已安排"
    # hold it: the meeting editor opens filled in; saved, the meeting is linked to the item
    select(tab, 11)
    tab.hold_current()
    ms = w.sections["meetings"]
    assert ms.stack.currentWidget() is ms.editor
    assert ms.editor.topic.text() == "组织生活会准备" and ms.editor.date.value() == D(2026, 11, 20)
    ms.editor.place.setText("三楼会议室")
    ms.editor.recorder.setCurrentIndex(2)
    assert ms.editor.save()
    _, item = guide_lists.get_item(w.ledger, tab.model.rows[row_of(tab, 11)].id)
    assert (
        item.meeting_id is not None
        and meetings.get_meeting(w.ledger, item.meeting_id).topic == "组织生活会准备"
    )
    w.show_section("guide")
    assert state_text(tab, 11) == "已开展"
    assert "2026年11月20日主题党日" in str(tab.table.proxy.index(row_of(tab, 11), 6).data())
    # the committee sends a revised sheet: replaced, what was done kept
    assert sec.import_list(str(sheet_a(tmp_path / "修订.xlsx")), replace=True)
    assert state_text(tab, 11) == "已开展"
    # January has no 主题党日 and no reason: K01; changed with a reason, it is not
    assert any(f.code == "K01" and f.period == "2026-01" for f in findings.check(w.ledger, D(2026, 11, 22)))
    guide_lists.set_deviation(w.ledger, tab.model.rows[row_of(tab, 1)].id, "changed", "与园区联合开展")
    assert state_text(tab, 1) == "已调整"
    assert not any(
        f.code == "K01" and f.period == "2026-01" for f in findings.check(w.ledger, D(2026, 11, 22))
    )
    # the finding opens the item
    w.show_section("guide", "guide_item", tab.model.rows[row_of(tab, 2)].id)
    assert tab.table.current_row().month == 2


def test_project_with_a_late_milestone(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.sections.guide.project_dialogs import MilestoneDialog, ProjectDialog

    w = window
    w.show_section("guide")
    sec = w.sections["guide"]
    sec.tabs.setCurrentWidget(sec.projects)
    tab = sec.projects
    assert tab.stack.currentWidget() is tab.empty

    def fill(self: ProjectDialog) -> int:
        self.title.setText("党员先锋岗助力客户交付")
        self.goal.setText("按期交付率98%")
        self.parts["background"].setPlainText("交付延期较多")
        self.targets.setPlainText("按期交付率：98%\n客户满意度：90分")
        self.accept()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ProjectDialog, "exec", fill)
    tab.new_project()
    p = projects.list_projects(w.ledger, 2026)[0]
    assert p.owner_id is not None and [t.expected for t in p.targets] == ["98%", "90分"]
    assert tab.model.rowCount() == 1

    def milestone(self: MilestoneDialog) -> int:
        self.title.setText("交付流程梳理")
        self.due.set_value(D(2026, 11, 21))
        self.accept()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(MilestoneDialog, "exec", milestone)
    tab.add_milestone()
    assert tab.ms_model.rowCount() == 1 and "逾期1天" in str(tab.ms_table.proxy.index(0, 3).data())
    assert [f.code for f in findings.check(w.ledger, D(2026, 11, 22)) if f.code == "K02"] == ["K02"]
    assert str(tab.table.proxy.index(0, 6).data()) == "1"


def test_demo_project_photos_and_late_milestone(main_window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    w = main_window
    w.show_section("guide", "project", 2)
    sec = w.sections["guide"]
    assert sec.tabs.currentWidget() is sec.projects and sec.current_year() == 2026
    tab = sec.projects
    assert tab.table.current_row().id == 2
    states = [str(tab.ms_table.proxy.index(r, 3).data()) for r in range(tab.ms_table.proxy.rowCount())]
    assert "逾期53天" in states and "逾期完成" in states
    shown: list[Any] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: shown.append(self) or 0)
    tab.show_photos(tab.pg_model.given[0])  # the first progress entry as read (the table shows newest first)
    assert shown and "1张" in shown[0].windowTitle()
