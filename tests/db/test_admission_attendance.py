"""The person admitted at a 接收预备党员 支部大会 (RULES.md D20: on the roster from that day) is not in that
meeting's 应到 nor on its sign-in sheet, and the meeting is not found short of them (issue #14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db import findings, meetings
from db.meetings import Attendance, Meeting
from exports import registry
from tests.db.test_meetings import build, member

D = dt.date
VOTE_DAY = D(2026, 5, 10)


def _branch(tmp_path: Path):  # type: ignore[no-untyped-def]
    people = [member(i, n) for i, n in enumerate(["张一", "李二", "王三", "赵四", "钱五"], start=1)]
    # 吴八 was admitted as 预备党员 by the 支部大会 of 10 May 2026: 加入党组织日期 = that day
    people.append(member(8, "吴八", category="probationary", joined=VOTE_DAY.isoformat()))
    # 郑九 transferred in on the same day: a member already, expected from that day
    people.append(member(9, "郑九", joined="2012-07-01", in_branch_since=VOTE_DAY.isoformat()))
    return build(tmp_path, people)


def test_not_expected_on_the_day_admitted_but_the_day_after(tmp_path: Path) -> None:
    led = _branch(tmp_path)
    before = {
        a.name for a in meetings.expected_attendance(led, VOTE_DAY - dt.timedelta(days=1), ["assembly"])
    }
    on = {a.name for a in meetings.expected_attendance(led, VOTE_DAY, ["assembly"])}
    after = {a.name for a in meetings.expected_attendance(led, VOTE_DAY + dt.timedelta(days=1), ["assembly"])}
    assert "吴八" not in before and "吴八" not in on and "吴八" in after
    assert "郑九" not in before and "郑九" in on  # a transfer-in keeps an earlier 加入党组织日期
    assert meetings.admitted_on(led, VOTE_DAY) == {8}
    assert meetings.admitted_on(led, VOTE_DAY + dt.timedelta(days=1)) == set()
    led.close()


def test_admission_meeting_is_complete_without_them_and_signin_leaves_them_out(tmp_path: Path) -> None:
    led = _branch(tmp_path)
    m = Meeting(
        kinds=["assembly"], date=VOTE_DAY, place="会议室", host_id=1, recorder_id=2, topic="讨论接收吴八"
    )
    m.attendance = meetings.expected_attendance(led, VOTE_DAY, ["assembly"])
    assert len(m.expected) == 6  # 张一…钱五 and 郑九
    mid = meetings.create_meeting(led, m)
    m09 = [f for f in findings.check(led, D(2026, 6, 1)) if f.code == "M09" and f.subject_id == mid]
    assert not any("吴八" in f.message for f in m09)

    # an older record that listed the admitted person: the sign-in sheet still leaves them out
    m2 = Meeting(kinds=["assembly"], date=VOTE_DAY, place="会议室", host_id=1, recorder_id=2, topic="学习")
    m2.attendance = [Attendance(i, "present", None, "full") for i in (1, 2, 3, 4, 5, 9)]
    m2.attendance.append(Attendance(8, "present", None, "probationary"))
    mid2 = meetings.create_meeting(led, m2)
    import openpyxl

    for meeting_id in (mid, mid2):
        out = registry.export(
            led, "sign-in", registry.Params(meeting_id=meeting_id), "xlsx", tmp_path / f"s{meeting_id}.xlsx"
        )
        values = [c for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True) for c in r]
        assert "吴八" not in values and "郑九" in values and "张一" in values
        assert any(isinstance(v, str) and "应到6人" in v for v in values)
    led.close()
