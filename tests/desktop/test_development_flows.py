"""发展党员 on real widgets (offscreen): one person from the application to 积极分子 — the new-applicant form, the
pipeline with the next step and its deadline, steps entered in order with their live checks, the override dialog
for a block rule, and show_subject from a finding."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from db import clock, findings, members
from db import development as dev
from db.connection import Ledger
from db.dates import add_months
from db.rules.idcard import check_char

TODAY = clock.today()
APPLIED = add_months(TODAY, -5)


def names_rule(message: Any, code: str) -> bool:
    """The step dialog names the rule in words; its code is kept in the tooltip (issue #14: no raw codes)."""
    from db.rules.development import RULE_TITLES

    return RULE_TITLES[code] in message.text() and code in message.toolTip()


def make_id(birth: dt.date) -> str:
    first = f"310117{birth:%Y%m%d}02{'3'}"
    return first + check_char(first)


@pytest.fixture
def window(qtbot: Any, ledger: Ledger, sync_tasks: None) -> Any:
    from desktop.mainwindow import MainWindow

    for i in range(3):
        members.add(
            ledger,
            members.Member(
                name=f"联系人{i}",
                gender="male",
                birth_date=dt.date(1980, 1, 1 + i),
                joined_on=dt.date(2005, 1, 1),
                full_on=dt.date(2006, 1, 1),
            ),
        )
    w = MainWindow(ledger)
    qtbot.addWidget(w)
    w.show()
    w.show_section("development")
    return w


def section(window: Any) -> Any:
    return window.sections["development"]


def test_empty_state_says_what_to_do(window: Any) -> None:
    sec = section(window)
    assert sec.stack.currentWidget() is sec.empty
    assert "还没有发展党员记录" in sec.empty.label.text()


def test_application_to_activist(window: Any, ledger: Ledger, qtbot: Any) -> None:
    from desktop.sections.development import ApplicantDialog, StepDialog

    sec = section(window)
    # 1. 新增入党申请人 (what Ctrl+N opens)
    dlg = ApplicantDialog(ledger, None, window)
    qtbot.addWidget(dlg)
    dlg.name.setText("周晓明")
    dlg.id_number.setText(make_id(dt.date(1999, 4, 2)))
    dlg.applied.set_value(APPLIED)
    dlg.save()
    assert dlg.result() == QDialog.DialogCode.Accepted and dlg.saved_id is not None
    aid = dlg.saved_id
    sec.current_id = aid
    sec.ensure_fresh()
    sec.refresh()
    items = sec.stage_lists["applicant"].list
    assert items.count() == 1
    text = items.item(0).text()
    assert (
        "周晓明" in text and "党组织派人谈话" in text and "已超期" in text
    )  # applied 5 months ago, no talk yet
    assert sec.person_title.text().startswith("周晓明")
    assert "下一步：党组织派人谈话" in sec.person_info.text()
    assert [f.code for f in findings.check(ledger, TODAY) if f.code.startswith("D")] == ["D02"]

    # 2. out of order: 积极分子 before the talk is refused in the live check
    a = dev.get_applicant(ledger, aid)
    step = StepDialog(ledger, a, "activist", None, window)
    qtbot.addWidget(step)
    step.date.set_value(add_months(APPLIED, 4))
    assert not step.ok.isEnabled() and "请先登记前面的步骤" in step.message.text()
    step.reject()

    # 3. the talk (late: a violation is recorded, not refused), from the timeline row
    row = next(r for r in sec.model.rows if r.step.key == "talked")
    assert row.status == "open" and row.clock.latest == add_months(APPLIED, 1)
    step = StepDialog(ledger, a, "talked", None, window)
    qtbot.addWidget(step)
    step.date.set_value(APPLIED + dt.timedelta(days=40))
    step.actor.setText("联系人0")
    assert names_rule(step.message, "D02") and step.ok.isEnabled()
    step.save()
    assert step.result() == QDialog.DialogCode.Accepted
    assert dev.get_applicant(ledger, aid).steps["talked"].actor == "联系人0"

    # 4. 积极分子 dated before the talk: refused (dates cannot go backwards), the button stays disabled
    a = dev.get_applicant(ledger, aid)
    step = StepDialog(ledger, a, "activist", None, window)
    qtbot.addWidget(step)
    step.date.set_value(APPLIED + dt.timedelta(days=20))
    step.widgets["recommended_via"].setCurrentIndex(step.widgets["recommended_via"].findData("party_members"))
    assert not step.ok.isEnabled() and "早于前一步" in step.message.text() and names_rule(step.message, "D03")
    step.save()
    assert "activist" not in dev.get_applicant(ledger, aid).steps  # nothing written
    # … corrected to a date after the talk and 3 months after the application: clean
    step.date.set_value(add_months(APPLIED, 3) + dt.timedelta(days=1))
    assert "符合规定" in step.message.text()
    step.save()
    assert step.result() == QDialog.DialogCode.Accepted
    a = dev.get_applicant(ledger, aid)
    assert a.stage == "activist" and a.steps["activist"].facts["recommended_via"] == "party_members"

    # 5. the pipeline moved the person on, with the next step
    sec.refresh()
    assert sec.stage_lists["applicant"].list.count() == 0
    item = sec.stage_lists["activist"].list.item(0)
    assert "周晓明" in item.text() and "报上级党委备案" in item.text()


def test_block_rule_override_dialog_keeps_the_reason(window: Any, ledger: Ledger, qtbot: Any) -> None:
    from desktop.sections.development import StepDialog

    aid = dev.add_applicant(
        ledger, dev.Applicant(name="吴越", id_number=make_id(dt.date(1995, 5, 5))), APPLIED
    )
    dev.record_step(ledger, aid, "talked", APPLIED)
    step = StepDialog(ledger, dev.get_applicant(ledger, aid), "activist", None, window)
    qtbot.addWidget(step)
    step.date.set_value(APPLIED)  # D03: the 积极分子 must be chosen after the application (block)
    assert names_rule(step.message, "D03") and "需说明理由" in step.message.text() and step.ok.isEnabled()

    def answer() -> None:
        from desktop.sections.development import OverrideDialog

        for w in QApplication.topLevelWidgets():
            if isinstance(w, OverrideDialog) and w.isVisible():
                w.reason.setPlainText("补录历史记录，原件如此")
                w._accept()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    step.save()
    s = dev.get_applicant(ledger, aid).steps["activist"]
    assert s.override_codes == ("D03",) and s.override_reason == "补录历史记录，原件如此"
    f = next(x for x in findings.check(ledger, TODAY) if x.code == "D03")
    assert "补录历史记录" in f.message


def test_show_subject_from_a_finding(window: Any, ledger: Ledger) -> None:
    aid = dev.add_applicant(
        ledger, dev.Applicant(name="郑好", id_number=make_id(dt.date(1996, 6, 6))), APPLIED
    )
    f = next(x for x in findings.check(ledger, TODAY) if x.code == "D02")
    window.show_section("dashboard")
    window.show_section(findings.SUBJECT_SECTIONS[f.subject_type], f.subject_type, f.subject_id)
    sec = section(window)
    assert sec.current_id == aid and sec.person_title.text().startswith("郑好")
    assert sec.table.isVisible()


def test_new_item_shortcut_opens_the_form(window: Any, qtbot: Any) -> None:
    from desktop.sections.development import ApplicantDialog

    seen: list[Any] = []

    def close() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, ApplicantDialog) and w.isVisible():
                seen.append(w)
                w.reject()
                return
        QTimer.singleShot(20, close)

    QTimer.singleShot(20, close)
    section(window).new_item()
    assert seen


def test_pipeline_and_timeline_say_overdue_and_no_deadline(demo_ledger: Ledger) -> None:
    """Every person shows the next step and its deadline; a step past its latest date reads 已超期 in the
    timeline (not 可办理), and a step with no latest date says so instead of a bare 可办理."""
    from desktop.sections.development import deadline_text, pipeline_rows, timeline_status

    day = dt.date(2026, 11, 22)  # the demo's today
    rows = pipeline_rows(demo_ledger, day)
    texts = {
        r["name"]: deadline_text(r, day)
        for st in ("applicant", "activist", "candidate", "probationary")
        for r in rows[st]
    }
    assert texts["曾燕建"] == "上级党委审批：已超期（应在2026年11月18日前）"
    assert texts["邓雨欣"] == "确定发展对象：可办理（无时限）"
    assert all("：" in t for t in texts.values()), texts
    a = next(x for x in dev.list_applicants(demo_ledger) if x.name == "曾燕建")
    tl = {r.step.key: r for r in dev.timeline(demo_ledger, a, day)}
    approval = next(r for r in tl.values() if r.status == "open")
    assert timeline_status(approval, day) == "已超期"
    assert timeline_status(approval, dt.date(2026, 11, 18)) == "可办理"


def test_vote_step_dialog_fits_a_laptop_screen(qtbot: Any, demo_ledger: Ledger) -> None:
    """The 支部大会 step with a long list of checks: the checks scroll inside the dialog, the vote grid keeps
    its height, and the dialog fits 1366×768 at 150 % (512 logical pixels, less the title bar)."""
    from desktop.sections.development import StepDialog

    # the app's own font and style sheet are the suite's (tests/desktop/conftest.py), as the secretary sees it
    a = next(x for x in dev.list_applicants(demo_ledger) if x.name == "韩思远")
    d = StepDialog(demo_ledger, a, "branch_vote")
    qtbot.addWidget(d)
    d.show()
    QApplication.processEvents()
    assert names_rule(d.message, "D15") and names_rule(d.message, "D13")
    assert d.sizeHint().height() <= 470 and d.height() <= 470
    box = d.widgets["yes"].parentWidget()
    assert box.height() >= box.sizeHint().height()
