"""三会一课 records on a real ledger: roster-as-of-date attendance, 应到/实到, votes, 定稿 and amendments, 补学,
attachments, search, cadence and findings M01–M11, interchange round trip (RULES.md §1, CONTRACT.md §3–4)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from db import findings, interchange, meetings
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from db.meetings import Attendance, Decision, Meeting
from db.rules import meetings as rules

D = dt.date


def member(
    i: int,
    name: str,
    *,
    category: str = "full",
    joined: str = "2015-07-01",
    group: int | None = 1,
    **extra: Any,
) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": i,
        "name": name,
        "category": category,
        "joined_on": joined,
        "full_on": None if category == "probationary" else None,
        "group_id": group,
    }
    d.update(extra)
    return d


def build(
    tmp_path: Path,
    people: list[dict[str, Any]],
    *,
    groups: list[dict[str, Any]] | None = None,
    terms: list[dict[str, Any]] | None = None,
    meetings_: list[dict[str, Any]] | None = None,
    founded: str = "2010-01-01",
    settings: dict[str, Any] | None = None,
    name: str = "t.sqlite",
) -> Ledger:
    led = open_ledger(tmp_path / name, create=True)
    doc = {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "中共测试支部", "founded_on": founded},
        "party_groups": groups
        if groups is not None
        else [{"id": 1, "name": "第一党小组", "created_on": "2010-01-01"}],
        "members": people,
        "committee_terms": terms or [],
        "meetings": meetings_ or [],
        "settings": settings or {},
    }
    interchange.load(led, doc)
    return led


def small_branch(tmp_path: Path, **kw: Any) -> Ledger:
    people = [member(i, n) for i, n in enumerate(["张一", "李二", "王三", "赵四", "钱五"], start=1)]
    people.append(member(6, "孙六", category="probationary", joined="2026-01-10"))
    # 周七 transferred out on 15 March 2026
    people.append(
        member(
            7,
            "周七",
            status="transferred_out",
            status_changed_on="2026-03-15",
            history=[
                {
                    "field": "status",
                    "from_value": "active",
                    "to_value": "transferred_out",
                    "changed_on": "2026-03-15",
                    "reason": "调动",
                }
            ],
        )
    )
    return build(tmp_path, people, **kw)


def committee_meeting(date: dt.date, present: int = 5, **kw: Any) -> Meeting:
    m = Meeting(kinds=["assembly"], date=date, place="会议室", host_id=1, recorder_id=2, topic="学习")
    m.attendance = [
        Attendance(i, "present" if i <= present else "absent", None if i <= present else "出差", "full")
        for i in range(1, 6)
    ]
    m.attendance.append(Attendance(6, "present", None, "probationary"))
    for k, v in kw.items():
        setattr(m, k, v)
    return m


# ---------------------------------------------------------------------------------------------- attendance


def test_expected_is_the_roster_on_the_meeting_date(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    feb = {a.name for a in meetings.expected_attendance(led, D(2026, 2, 20), ["assembly"])}
    apr = {a.name for a in meetings.expected_attendance(led, D(2026, 4, 20), ["assembly"])}
    assert "周七" in feb and "周七" not in apr  # transferred out in March
    assert "孙六" in feb and "孙六" in apr
    jan = {a.name for a in meetings.expected_attendance(led, D(2026, 1, 5), ["assembly"])}
    assert "孙六" not in jan  # not yet a member on 5 January
    by_name = {a.name: a for a in meetings.expected_attendance(led, D(2026, 4, 20), ["assembly"])}
    assert by_name["孙六"].category == "probationary" and not by_name["孙六"].can_vote
    led.close()


def test_counts_are_computed_and_probationary_do_not_vote(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    m = Meeting(kinds=["assembly"], date=D(2026, 4, 20), host_id=1, recorder_id=2)
    m.attendance = meetings.expected_attendance(led, m.date, m.kinds)  # type: ignore[arg-type]
    m.attendance[4].status, m.attendance[4].reason = "leave", "出差"
    m.excluded = []
    mid = meetings.create_meeting(led, m)
    got = meetings.get_meeting(led, mid)
    assert len(got.expected) == 6 and len(got.present) == 5
    assert got.expected_voters == 5 and got.present_voters == 4
    assert [k.name for k in got.makeups] == ["钱五"]  # the absentee gets a 补学 follow-up
    led.close()


def test_excluded_are_not_expected_and_need_a_reason(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    m = committee_meeting(D(2026, 4, 20))
    m.attendance = [a for a in m.attendance if a.member_id != 5]
    m.excluded = [meetings.Exclusion(5, "")]
    with pytest.raises(InputRefused, match="原因"):
        meetings.create_meeting(led, m)
    m.excluded = [meetings.Exclusion(5, "因病无法表达意愿，经上级党委同意")]
    mid = meetings.create_meeting(led, m)
    got = meetings.get_meeting(led, mid)
    assert got.expected_voters == 4 and got.excluded[0].name == "钱五"
    led.close()


# ---------------------------------------------------------------------------------------------- votes and M08


@pytest.mark.parametrize(
    ("present", "yes", "written", "m08"),
    [
        (5, 3, 0, False),  # 3 of 5 expected: passes
        (5, 2, 0, True),  # 2 of 5 recorded as passed: M08
        (3, 2, 1, False),  # written opinion makes 3 of 5
        (2, 2, 0, True),  # only 2 of 5 present: no quorum
    ],
)
def test_m08_quorum_and_pass(tmp_path: Path, present: int, yes: int, written: int, m08: bool) -> None:
    led = small_branch(tmp_path)
    d = Decision("同意吸收某某为预备党员", "show_of_hands", yes, present - yes, 0, written)
    meetings.create_meeting(led, committee_meeting(D(2026, 4, 20), present=present, decisions=[d]))
    codes = [f.code for f in findings.check(led, D(2026, 5, 1)) if f.subject_type == "meeting"]
    assert ("M08" in codes) is m08
    led.close()


def test_vote_more_than_present_is_refused(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    d = Decision("决定", "show_of_hands", 5, 1, 0, 0)
    with pytest.raises(InputRefused, match="多于到会"):
        meetings.create_meeting(led, committee_meeting(D(2026, 4, 20), present=5, decisions=[d]))
    led.close()


# ---------------------------------------------------------------------------------------------- 定稿, amendments


def test_finalize_then_amend_keeps_the_original(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    mid = meetings.create_meeting(led, committee_meeting(D(2026, 4, 20)))
    meetings.finalize_meeting(led, mid, on=D(2026, 4, 21))
    m = meetings.get_meeting(led, mid)
    assert m.finalized_on == D(2026, 4, 21)
    m.place = "党员活动室"
    with pytest.raises(InputRefused, match="定稿"):
        meetings.update_meeting(led, m)
    with pytest.raises(InputRefused, match="原因"):
        meetings.amend_meeting(led, m, "")
    changed = meetings.amend_meeting(led, m, "地点记错", on=D(2026, 5, 2))
    assert changed == ["place"]
    got = meetings.get_meeting(led, mid)
    assert got.place == "党员活动室"
    assert [(a.amended_on, a.field, a.before, a.after, a.reason) for a in got.amendments] == [
        (D(2026, 5, 2), "place", "会议室", "党员活动室", "地点记错")
    ]
    assert meetings.amend_meeting(led, got, "无变化") == []
    with pytest.raises(InputRefused):
        meetings.delete_meeting(led, mid)
    led.close()


def test_finalize_refuses_an_incomplete_record(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    m = committee_meeting(D(2026, 4, 20), present=4)
    m.attendance[4].reason = None
    m.recorder_id = None
    mid = meetings.create_meeting(led, m)
    with pytest.raises(InputRefused) as e:
        meetings.finalize_meeting(led, mid)
    assert "记录人" in str(e.value) and "原因" in str(e.value)
    codes = [f.code for f in findings.check(led, D(2026, 5, 1)) if f.subject_type == "meeting"]
    assert "M09" in codes
    led.close()


def test_recorder_marked_absent_is_m09_and_blocks_finalising(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    m = committee_meeting(D(2026, 4, 20), present=4)  # the fifth is away, with a reason
    away = m.attendance[4]
    m.recorder_id = away.member_id
    mid = meetings.create_meeting(led, m)
    f = [f for f in findings.check(led, D(2026, 5, 1)) if f.code == "M09" and f.subject_id == mid]
    assert f and "记录人" in f[0].message and "请假或缺席" in f[0].message
    with pytest.raises(InputRefused, match="记录人"):
        meetings.finalize_meeting(led, mid)
    led.close()


def test_attendance_not_covering_the_roster_is_m09(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    m = committee_meeting(D(2026, 4, 20))
    m.attendance = m.attendance[:5]  # 孙六 (预备党员) left off the list
    mid = meetings.create_meeting(led, m)
    f = [f for f in findings.check(led, D(2026, 5, 1)) if f.code == "M09" and f.subject_id == mid]
    assert f and "孙六" in f[0].message
    led.close()


def test_makeup_tick_off(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    mid = meetings.create_meeting(led, committee_meeting(D(2026, 4, 20), present=4))
    mk = meetings.get_meeting(led, mid).makeups[0]
    with pytest.raises(InputRefused):
        meetings.record_makeup(led, mk.id, D(2026, 4, 1))
    meetings.record_makeup(led, mk.id, D(2026, 4, 25), "自学会议精神")
    assert meetings.get_meeting(led, mid).makeups[0].done_on == D(2026, 4, 25)
    led.close()


def test_late_entry_is_m10(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    m = committee_meeting(D(2026, 3, 1))
    m.entered_on = D(2026, 4, 15)
    meetings.create_meeting(led, m)
    m2 = committee_meeting(D(2026, 4, 1))
    m2.entered_on = D(2026, 4, 30)
    meetings.create_meeting(led, m2)
    m10 = [f for f in findings.check(led, D(2026, 5, 1)) if f.code == "M10"]
    assert len(m10) == 1 and m10[0].severity == "reminder" and m10[0].period == "2026-03"
    led.close()


def test_undo_keeps_search_in_step(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    meetings.create_meeting(led, committee_meeting(D(2026, 4, 20), topic="学习安全生产条例"))
    assert meetings.search(led, "安全生产")
    led.undo_last()
    assert meetings.search(led, "安全生产") == []
    led.close()


# ---------------------------------------------------------------------------------------------- search


def test_search_one_two_and_three_characters(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    m = committee_meeting(D(2026, 4, 20), topic="学习二十届三中全会精神")
    m.agenda = [
        meetings.AgendaItem(
            "传达文件", "大家认为要结合研发工作抓落实", [meetings.Speech("要把精神落到项目上", speaker_id=2)]
        )
    ]
    m.decisions = [Decision("同意推荐李二为优秀党员", "show_of_hands", 5, 0, 0, 0)]
    mid = meetings.create_meeting(led, m)
    meetings.create_meeting(led, committee_meeting(D(2026, 5, 20), topic="党费收缴公示"))
    one = meetings.search(led, "研")  # 1 character: LIKE
    assert [h.meeting_id for h in one] == [mid] and one[0].field == "item"
    two = meetings.search(led, "党费")  # 2 characters: LIKE (trigram finds nothing for them)
    assert len(two) == 1 and two[0].topic == "党费收缴公示"
    three = meetings.search(led, "三中全会")  # 3+: FTS5 trigram
    assert [h.field for h in three] == ["topic"]
    hit = three[0]
    start, length = hit.spans[0]
    assert hit.snippet[start : start + length] == "三中全会"
    assert {h.field for h in meetings.search(led, "优秀党员")} == {"decision"}
    assert {h.field for h in meetings.search(led, "项目上")} == {"speech"}
    assert meetings.search(led, "不存在的词") == []
    assert meetings.search(led, "") == []
    led.close()


# ---------------------------------------------------------------------------------------------- attachments


def _png(w: int = 800, h: int = 600) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (w, h), (139, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def test_attachments_limit_thumbnail_and_soft_delete(tmp_path: Path) -> None:
    led = small_branch(tmp_path, settings={"attachment_max_mb": 1})
    mid = meetings.create_meeting(led, committee_meeting(D(2026, 4, 20)))
    aid = meetings.add_attachment(led, mid, "合影.png", _png())
    info = meetings.list_attachments(led, mid)[0]
    assert info.thumbnail and info.mime == "image/png"
    from PIL import Image

    assert max(Image.open(io.BytesIO(info.thumbnail)).size) <= meetings.THUMB_PX
    with pytest.raises(InputRefused, match="超过附件上限 1 MB"):
        meetings.add_attachment(led, mid, "大.pdf", b"x" * (1024 * 1024 + 1), "sign_in")
    meetings.remove_attachment(led, aid)
    assert meetings.list_attachments(led, mid) == []
    assert meetings.attachment_data(led, aid) == _png()  # never hard-deleted
    led.undo_last()
    assert len(meetings.list_attachments(led, mid)) == 1
    led.close()


# ---------------------------------------------------------------------------------------------- interchange


def test_round_trip_with_attachments(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    m = committee_meeting(D(2026, 4, 20), present=4, decisions=[Decision("决定一", "ballot", 3, 1, 0, 1)])
    m.agenda = [
        meetings.AgendaItem("议题一", "讨论", [meetings.Speech("发言", speaker_name="园区党委 陈同志")])
    ]
    mid = meetings.create_meeting(led, m)
    meetings.finalize_meeting(led, mid, on=D(2026, 4, 21))
    got = meetings.get_meeting(led, mid)
    got.topic = "学习（更正）"
    meetings.amend_meeting(led, got, "主题写错", on=D(2026, 4, 22))
    meetings.add_attachment(led, mid, "签到表.png", _png(300, 400), "sign_in")
    gone = meetings.add_attachment(led, mid, "废片.png", _png(10, 10))
    meetings.remove_attachment(led, gone)
    meetings.save_plan(
        led, meetings.PlannedMeeting(date=D(2026, 12, 5), kinds=["theme_day", "assembly"], topic="年终")
    )
    doc = interchange.dump(led)
    assert not interchange.schema_problems(doc)
    first = [x for x in doc["meetings"] if x["id"] == mid][0]
    assert first["attachments"][0]["data"] and first["amendments"][0]["field"] == "topic"
    led2 = open_ledger(tmp_path / "b.sqlite", create=True)
    interchange.load(led2, json.loads(interchange.dumps(doc)))
    doc2 = interchange.dump(led2)
    doc.pop("exported_at"), doc2.pop("exported_at")
    assert doc2 == doc
    assert meetings.attachment_data(led2, first["attachments"][0]["id"]) == _png(300, 400)
    assert meetings.search(led2, "更正")
    led.close()
    led2.close()


def test_load_minimal_contract_fields(tmp_path: Path) -> None:
    people = [member(i, f"党员{i}") for i in range(1, 4)]
    mt = [
        {
            "id": 3,
            "kinds": ["assembly", "theme_day"],
            "date": "2026-02-10",
            "host_id": 1,
            "recorder_id": 2,
            "topic": "主题党日",
            "minutes": "学习",
            "decisions": [
                {"text": "通过", "method": "show_of_hands", "yes": 3, "no": 0, "abstain": 0, "written": 0}
            ],
            "attendance": [
                {"member_id": 1, "status": "present", "reason": None},
                {"member_id": 2, "status": "present", "reason": None},
                {"member_id": 3, "status": "present", "reason": None},
            ],
            "excluded": [],
        }
    ]
    led = build(tmp_path, people, meetings_=mt)
    m = meetings.get_meeting(led, 3)
    assert m.kinds == ["assembly", "theme_day"] and m.entered_on == D(2026, 2, 10) and m.expected_voters == 3
    led.close()


def test_load_refuses_a_tampered_attachment(tmp_path: Path) -> None:
    people = [member(1, "甲")]
    mt = [
        {
            "id": 1,
            "kinds": ["assembly"],
            "date": "2026-02-10",
            "attachments": [{"name": "a.png", "data": "aGVsbG8=", "sha256": "0" * 64}],
        }
    ]
    with pytest.raises(InputRefused, match="校验值"):
        build(tmp_path, people, meetings_=mt)


# ---------------------------------------------------------------------------------------------- cadence


def _codes(led: Ledger, as_of: dt.date) -> list[tuple[str, str | None]]:
    return sorted((f.code, f.period) for f in findings.check(led, as_of) if f.code.startswith("M"))


def test_cadence_missing_and_due(tmp_path: Path) -> None:
    led = small_branch(tmp_path, settings={"meeting_check_years": 1})
    # 党员大会 on the last day of Q1 counts for Q1
    meetings.create_meeting(led, committee_meeting(D(2026, 3, 31)))
    grid = {r.label: r for r in meetings.cadence_grid(led, 2026, D(2026, 5, 10))}
    assembly = [c.state for c in grid["支部党员大会"].cells]
    assert assembly == [rules.HELD, rules.DUE, rules.FUTURE, rules.FUTURE]
    theme = [c.state for c in grid["主题党日"].cells][:6]
    assert theme == [rules.MISSING] * 4 + [rules.DUE, rules.FUTURE]
    # 5 正式党员 + no committee: no 支委会 required
    assert {c.state for c in grid["支部委员会"].cells} == {rules.NOT_REQUIRED}
    codes = _codes(led, D(2026, 5, 10))
    assert ("M01", "2026-Q1") not in codes and ("M11", "2026-Q2") in codes
    assert ("M05", "2026-01") in codes and ("M05", "2026-05") not in codes and ("M11", "2026-05") in codes
    assert ("M03", "2026-04") in codes
    assert not [c for c in codes if c[0] == "M02"]
    assert ("M04", "2026-Q1") in codes
    summary = meetings.year_summary(led, 2026, D(2026, 5, 10))
    assert summary["required"]["assembly"] == 1 and summary["held"]["assembly"] == 1
    assert summary["required"]["theme_day"] == 4 and summary["held"]["theme_day"] == 0
    led.close()


def test_past_year_org_life_and_appraisal(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    m = committee_meeting(D(2025, 12, 20), kinds=["assembly", "org_life"])
    m.attendance = [a for a in m.attendance]
    meetings.create_meeting(led, m)
    codes = _codes(led, D(2026, 1, 15))
    assert ("M07", "2025") in codes and ("M06", "2025") not in codes
    m06 = [f for f in findings.check(led, D(2026, 1, 15)) if f.code in ("M06", "M07")]
    assert all(f.severity == "error" for f in m06)
    led.close()


def test_group_created_mid_year(tmp_path: Path) -> None:
    groups = [
        {"id": 1, "name": "一组", "created_on": "2010-01-01"},
        {"id": 2, "name": "新组", "created_on": "2026-05-15"},
    ]
    people = [member(i, f"党员{i}", group=1 if i < 4 else 2) for i in range(1, 7)]
    led = build(tmp_path, people, groups=groups, settings={"meeting_check_years": 1})
    codes = [(f.code, f.subject_id, f.period) for f in findings.check(led, D(2026, 8, 10)) if f.code == "M03"]
    assert ("M03", 1, "2026-01") in codes
    assert [c[2] for c in codes if c[1] == 2] == ["2026-06", "2026-07"]
    led.close()


def _seven(extra_gone: bool) -> list[dict[str, Any]]:
    people = [member(i, f"党员{i}") for i in range(1, 8)]
    if extra_gone:  # one transfers out on 10 June: 6 正式党员 from then
        people[6].update(
            status="transferred_out",
            status_changed_on="2026-06-10",
            history=[
                {
                    "field": "status",
                    "from_value": "active",
                    "to_value": "transferred_out",
                    "changed_on": "2026-06-10",
                    "reason": "调动",
                }
            ],
        )
    return people


def test_committee_required_while_seven_full_members(tmp_path: Path) -> None:
    led = build(tmp_path, _seven(True), settings={"meeting_check_years": 1})
    m02 = [f.period for f in findings.check(led, D(2026, 9, 1)) if f.code == "M02"]
    assert m02 == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]  # dropped below 7 in June
    row = next(r for r in meetings.cadence_grid(led, 2026, D(2026, 9, 1)) if r.kind == "committee")
    assert row.cells[5].state == rules.NOT_REQUIRED
    led.close()


def test_committee_required_while_a_committee_exists_even_below_seven(tmp_path: Path) -> None:
    terms = [
        {
            "id": 1,
            "kind": "committee",
            "starts_on": "2025-01-01",
            "ends_on": "2027-12-31",
            "members": [
                {"member_id": i, "role": r}
                for i, r in ((1, "secretary"), (2, "organization"), (3, "propaganda"))
            ],
        }
    ]
    led = build(tmp_path, _seven(True), terms=terms, settings={"meeting_check_years": 1})
    m02 = [f.period for f in findings.check(led, D(2026, 9, 1)) if f.code == "M02"]
    assert m02 == [f"2026-{m:02d}" for m in range(1, 9)]
    # a 支委会 expects the 委员 only; the others present are 列席
    exp = meetings.expected_attendance(led, D(2026, 3, 5), ["committee"])
    assert [a.member_id for a in exp] == [1, 2, 3]
    led.close()


def test_lecture_cadence_setting(tmp_path: Path) -> None:
    led = small_branch(tmp_path, settings={"meeting_check_years": 1, "lecture_cadence": "half_year"})
    m04 = [f.period for f in findings.check(led, D(2026, 9, 1)) if f.code == "M04"]
    assert m04 == ["2026-H1"]
    led.close()


def test_check_json_shape(tmp_path: Path) -> None:
    led = small_branch(tmp_path, settings={"meeting_check_years": 1})
    js = [f.to_json() for f in findings.check(led, D(2026, 5, 10)) if f.code == "M01"]
    led.close()
    assert js == [
        {
            "code": "M01",
            "severity": "error",
            "subject": {"type": "period", "id": None, "name": "支部党员大会"},
            "period": "2026-Q1",
            "due": "2026-03-31",
            "message": js[0]["message"],
        }
    ]


def test_last_attendance_and_choices(tmp_path: Path) -> None:
    led = small_branch(tmp_path)
    meetings.create_meeting(led, committee_meeting(D(2026, 3, 1)))
    meetings.create_meeting(led, committee_meeting(D(2026, 4, 1), present=4))
    last = meetings.last_attendance(led)
    assert last[1] == D(2026, 4, 1) and last[5] == D(2026, 3, 1)
    choices = meetings.meeting_choices(led)
    assert choices[0][1].startswith("2026年4月1日 党员大会")
    led.close()


def test_no_meetings_are_owed_before_the_branch_was_founded(tmp_path: Path) -> None:
    led = small_branch(tmp_path, founded="2026-06-15")
    found = findings.check(led, D(2026, 11, 1))
    assemblies = sorted(f.period for f in found if f.code == "M01")
    theme_days = sorted(f.period for f in found if f.code == "M05")
    assert assemblies == ["2026-Q2", "2026-Q3"], "Q1 ended before the branch existed"
    assert theme_days == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    led.close()


def test_demo_minutes_quote_only_people_who_were_there() -> None:
    import resources

    doc = json.loads(resources.demo_document().read_text("utf-8"))
    for m in doc["meetings"]:
        there = {a["member_id"] for a in m["attendance"] if a["status"] in ("present", "observer")}
        for item in m.get("agenda") or []:
            for sp in item.get("speeches") or []:
                assert sp["speaker_id"] in there, (m["date"], m["topic"], sp)
