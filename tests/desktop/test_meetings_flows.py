"""三会一课 screens driven with qtbot: entering last month's 支委会 with attendance and a vote and finalising it,
the live quorum verdict, the cadence grid opening a meeting, search with highlights, printing presets, and the
M-codes of `ledger check --json` on a ledger built here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db import clock, findings, meetings
from db.connection import Ledger
from db.dates import add_months
from db.rules import meetings as rules
from desktop.sections import meetings as section_mod
from desktop.sections.meetings import editor as editor_mod
from tests.db.test_meetings import build, member

TODAY = clock.today()


def _committee_ledger(tmp_path: Path) -> Ledger:
    people = [
        member(i, n)
        for i, n in enumerate(["张书记", "李组织", "王宣传", "赵纪检", "钱委员", "孙党员", "吴党员"], start=1)
    ]
    people.append(member(8, "周预备", category="probationary", joined=str(add_months(TODAY, -4))))
    terms = [
        {
            "id": 1,
            "kind": "committee",
            "starts_on": "2024-01-01",
            "ends_on": "2028-12-31",
            "members": [
                {"member_id": i, "role": r}
                for i, r in (
                    (1, "secretary"),
                    (2, "organization"),
                    (3, "propaganda"),
                    (4, "discipline"),
                    (5, "member"),
                )
            ],
        }
    ]
    return build(tmp_path, people, terms=terms)


@pytest.fixture
def window(qtbot, tmp_path: Path, sync_tasks: None):  # type: ignore[no-untyped-def]
    from desktop.mainwindow import MainWindow

    led = _committee_ledger(tmp_path)
    w = MainWindow(led)
    qtbot.addWidget(w)
    w.show()
    w.show_section("meetings")
    yield w
    w.close()
    led.close()


def test_enter_last_months_committee_with_vote_and_finalize(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sec = window.sections["meetings"]
    monkeypatch.setattr(editor_mod, "confirm", lambda *a, **k: True)
    errors: list[str] = []
    monkeypatch.setattr(editor_mod, "show_error", lambda _p, e, *a: errors.append(str(e)))
    # click last month's 支委会 cell in the cadence grid: a new record, attendance = the 委员 that day
    last_month = add_months(TODAY, -1)
    sec.year.setCurrentIndex(sec.year.findData(last_month.year))
    row = next(i for i, r in enumerate(sec.grid.rows) if r.kind == "committee")
    cell = sec.grid.cell_at(row, last_month.month - 1)
    assert cell is not None and cell[1].state == rules.MISSING
    sec.grid.cellClicked.emit(row, last_month.month - 1)
    ed = sec.editor
    assert sec.stack.currentWidget() is ed
    assert ed.kind_boxes["committee"].isChecked()
    ed.date.set_value(last_month.replace(day=8))
    ed.refill_attendance()
    assert [a.name for a in ed.attendance] == ["张书记", "李组织", "王宣传", "赵纪检", "钱委员"]
    assert ed.host.currentText() == "张书记" and ed.recorder.currentText() == "李组织"
    ed.start.setText("14:30")
    ed.end.setText("15:40")
    ed.place.setText("三楼会议室")
    ed.topic.setText("研究确定发展对象")
    ed.set_status(5, "leave", "出差")
    assert "应到 5 人" in ed.counts.text() and "实到 4 人" in ed.counts.text()
    item = ed.add_item(None)
    item.title_edit.setText("讨论确定发展对象")
    item.speeches.setPlainText("王宣传：同意，表现突出\n园区党委 陈组织员：程序符合要求")
    box = ed.add_decision(None)
    box.text.setText("同意确定某某为发展对象")
    # the verdict follows the vote as it is typed (§1.2: more than half of 应到会有表决权 = 3 of 5)
    box.spins["yes"].setValue(2)
    assert "未通过" in box.verdict.text() and "至少需赞成3票" in box.verdict.text()
    box.spins["yes"].setValue(3)
    assert "通过" in box.verdict.text() and "未通过" not in box.verdict.text()
    box.spins["yes"].setValue(4)
    qtbot.keyClick(ed.topic, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not errors, errors
    mid = ed.meeting.id
    assert mid is not None and not ed.dirty
    # 打印 buttons preset the export dialog
    opened: list[tuple[str, object]] = []
    monkeypatch.setattr(window, "export_dialog", lambda key, params=None: opened.append((key, params)))
    ed.print_btn.click()
    ed.sign_btn.click()
    assert [k for k, _ in opened] == ["meeting-record", "sign-in"]
    assert all(p.meeting_id == mid for _, p in opened)  # type: ignore[attr-defined]
    ed.final_btn.click()
    assert not errors, errors
    m = meetings.get_meeting(window.ledger, mid)
    assert m.is_final and m.kinds == ["committee"] and m.place == "三楼会议室"
    assert (len(m.expected), len(m.present), m.expected_voters) == (5, 4, 5)
    assert m.decisions[0].yes == 4 and m.verdict(m.decisions[0]).passed
    assert [s.speaker_name or m.name_of(s.speaker_id) for s in m.agenda[0].speeches] == [
        "王宣传",
        "园区党委 陈组织员",
    ]
    assert [k.name for k in m.makeups] == ["钱委员"]
    # after 定稿 a change becomes a dated amendment with its reason
    monkeypatch.setattr(editor_mod.QInputDialog, "getText", lambda *a, **k: ("地点写错", True))
    ed.place.setText("党员活动室")
    assert ed.save()
    m = meetings.get_meeting(window.ledger, mid)
    assert [(a.field, a.before, a.after, a.reason) for a in m.amendments] == [
        ("place", "三楼会议室", "党员活动室", "地点写错")
    ]
    # back on the list, the grid shows the month held
    sec.back_to_list()
    row = next(i for i, r in enumerate(sec.grid.rows) if r.kind == "committee")
    assert sec.grid.cell_at(row, last_month.month - 1)[1].state == rules.HELD  # type: ignore[index]


def test_search_as_you_type_highlights(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    led = window.ledger
    m = section_mod.new_meeting_for(led, ["assembly"], add_months(TODAY, -2))
    m.topic = "学习安全生产条例"
    m.host_id, m.recorder_id = 1, 2
    meetings.create_meeting(led, m)
    sec = window.sections["meetings"]
    sec.refresh()
    sec.search.setText("安全")
    sec.run_search()
    assert sec.lists.currentWidget() is sec.results and sec.results.count() == 1
    from desktop.sections.meetings.hits import HTML_ROLE

    assert 'background:#FFE082">安全</span>' in sec.results.item(0).data(
        HTML_ROLE
    )  # as the delegate draws it
    sec.search.setText("")
    sec.run_search()
    assert sec.lists.currentWidget() is sec.table


def test_finding_opens_the_meeting(window) -> None:  # type: ignore[no-untyped-def]
    led = window.ledger
    m = section_mod.new_meeting_for(led, ["assembly"], add_months(TODAY, -2))
    m.recorder_id = None
    mid = meetings.create_meeting(led, m)
    f = next(f for f in findings.check(led, TODAY) if f.code == "M09")
    window.show_section("meetings", f.subject_type, f.subject_id)
    sec = window.sections["meetings"]
    assert sec.stack.currentWidget() is sec.editor and sec.editor.meeting.id == mid


def test_check_json_reports_m_codes(tmp_path: Path) -> None:
    led = _committee_ledger(tmp_path)
    path = led.path
    led.close()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "exports.cli",
            "--db",
            str(path),
            "check",
            "--as-of",
            f"{TODAY.year}-{TODAY.month:02d}-{min(TODAY.day, 28):02d}",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    doc = json.loads(out.stdout)
    codes = {f["code"] for f in doc["findings"]}
    assert {"M05", "M11"} <= codes
    if TODAY.month > 1:
        assert "M02" in codes  # 7 正式党员 and a committee: a 支委会 every month
    m02 = [f for f in doc["findings"] if f["code"] == "M02"]
    for f in m02:
        assert f["severity"] == "error" and f["subject"]["type"] == "period" and f["due"]


def test_new_meeting_expected_list_follows_kind_and_date(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+N then ticking 支委会: 应到 becomes the 委员 on that date (RULES.md §1.2), not the whole branch,
    and statuses already set are kept; the record opens with one empty 议题 and, once it is a 支委会, one empty
    决议; empty ones are not saved; 全体赞成 fills the vote in one click."""
    sec = window.sections["meetings"]
    errors: list[str] = []
    monkeypatch.setattr(editor_mod, "show_error", lambda _p, e, *a: errors.append(str(e)))
    sec.new_item()
    ed = sec.editor
    assert len(ed.attendance) == 8 and len(ed.items) == 1 and not ed.decisions
    ed.set_status(5, "leave", "出差")
    ed.kind_boxes["committee"].setChecked(True)
    assert [a.name for a in ed.attendance] == ["张书记", "李组织", "王宣传", "赵纪检", "钱委员"]
    assert next(a for a in ed.attendance if a.member_id == 5).status == "leave"
    assert len(ed.decisions) == 1
    ed.date.set_value(add_months(TODAY, -1).replace(day=8))
    assert len(ed.attendance) == 5 and "应到 5 人" in ed.counts.text()
    ed.topic.setText("研究党费收缴")
    # an empty 决议 says what it needs instead of a red 未通过
    assert "未通过" not in ed.decisions[0].verdict.text()
    ed.decisions[0].text.setText("同意上报党费收缴情况")
    ed.decisions[0].all_yes.click()
    assert ed.decisions[0].spins["yes"].value() == 4  # 5 委员, one on leave
    assert "通过" in ed.decisions[0].verdict.text() and "未通过" not in ed.decisions[0].verdict.text()
    assert ed.save(), errors
    m = meetings.get_meeting(window.ledger, ed.meeting.id)
    assert m.agenda == [] and [(d.text, d.yes, d.no) for d in m.decisions] == [("同意上报党费收缴情况", 4, 0)]
    assert (len(m.expected), len(m.present)) == (5, 4)


def test_talk_has_no_expected_list_until_unticked(window) -> None:  # type: ignore[no-untyped-def]
    sec = window.sections["meetings"]
    sec.new_item()
    ed = sec.editor
    ed.kind_boxes["talk"].setChecked(True)
    assert ed.attendance == []  # 谈心谈话: whoever took part is added by hand
    ed.kind_boxes["talk"].setChecked(False)
    assert len(ed.attendance) == 8


def test_list_behind_an_open_record_is_filled_when_shown_again(window) -> None:  # type: ignore[no-untyped-def]
    """Saving (or undoing) while a record is open reloads the record, not the hidden list and year grid;
    going back shows them as the ledger now is. The 出席情况 boxes are kept from one record to the next, each
    showing its own record's status and changing its own row."""
    led = window.ledger
    sec = window.sections["meetings"]
    first = section_mod.new_meeting_for(led, ["assembly"], add_months(TODAY, -2))
    first.topic = "学习党章"
    first.host_id, first.recorder_id = 1, 2
    for a in first.attendance:
        a.status = "absent" if a.member_id == 3 else "present"
    a_id = meetings.create_meeting(led, first)
    second = section_mod.new_meeting_for(led, ["assembly"], add_months(TODAY, -1))
    second.topic = "学习条例"
    second.host_id, second.recorder_id = 1, 2
    for a in second.attendance:
        a.status = "leave" if a.member_id == 3 else "present"
        a.reason = "出差" if a.member_id == 3 else None
    b_id = meetings.create_meeting(led, second)
    sec.back_to_list()
    assert sorted(r.topic for r in sec.model.rows) == sorted(["学习条例", "学习党章"])

    sec.open_meeting(a_id)
    ed = sec.editor
    boxes = [ed.att_table.cellWidget(i, 2) for i in range(ed.att_table.rowCount())]
    row3 = next(i for i, a in enumerate(ed.attendance) if a.member_id == 3)
    assert boxes[row3].currentText() == rules.STATUS_LABELS["absent"]
    ed.topic.setText("学习新党章")
    assert ed.save()
    assert sec.stack.currentWidget() is ed and ed.topic.text() == "学习新党章"
    assert "学习新党章" not in [r.topic for r in sec.model.rows]  # hidden: not filled yet
    sec.open_meeting(b_id)
    assert [ed.att_table.cellWidget(i, 2) for i in range(ed.att_table.rowCount())] == boxes  # kept
    assert boxes[row3].currentText() == rules.STATUS_LABELS["leave"]
    assert not ed.dirty  # showing a record's status is not a change
    boxes[row3].setCurrentIndex(0)  # 出席
    assert ed.attendance[row3].status == "present" and ed.dirty
    assert ed.save()
    assert len(meetings.get_meeting(led, b_id).present) == len(ed.attendance)
    window.undo()  # the status change undone while the record is open: the record shows it
    assert ed.attendance[row3].status == "leave" and boxes[row3].currentText() == rules.STATUS_LABELS["leave"]
    sec.back_to_list()
    assert sorted(r.topic for r in sec.model.rows) == sorted(["学习条例", "学习新党章"])
    window.undo()  # with the list shown, it follows at once
    assert sorted(r.topic for r in sec.model.rows) == sorted(["学习条例", "学习党章"])


def test_people_to_pick_follow_the_roster(window) -> None:  # type: ignore[no-untyped-def]
    """The host/recorder lists are kept per date until the members change: a member who leaves is gone from
    the lists of later dates and still on those of earlier ones, and comes back with the undo."""
    import datetime as dt

    from db import members
    from desktop.sections.meetings.controllers import member_choices

    led = window.ledger
    day, later = dt.date(2026, 6, 1), dt.date(2026, 12, 1)
    before = member_choices(led, later)
    assert (7, "吴党员") in before and member_choices(led, later) == before
    member_choices(led, later).clear()  # a caller's copy: what is kept is not touched
    assert member_choices(led, later) == before
    members.change_status(led, 7, "transferred_out", dt.date(2026, 9, 1), "转出到其他支部")
    assert (7, "吴党员") not in member_choices(led, later)
    assert (7, "吴党员") in member_choices(led, day)
    assert (7, "吴党员") not in member_choices(led, None)  # no date: the members in the branch now
    window.undo()
    assert member_choices(led, later) == before
