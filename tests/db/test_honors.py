"""奖惩 (RULES-EXT.md §13.1, §13.3; issue #18 item 4): JG01 (优秀共产党员 only for 正式党员), the 光荣在党50年 day
(JG04: day before / on / after), 留党察看 taking the vote away in a 支部大会 and an election (JG15), the 限期改正
clock (JG11) and L05/L06 at their edges with records on both sides of the as-of date."""

from __future__ import annotations

import datetime as dt

import pytest

from db import findings, honors, meetings, members
from db.committee.elections import Candidate, Election, validate_election
from db.connection import Ledger
from db.errors import InputRefused
from db.honors import Award, Disposition, Sanction
from db.honors.model import badge_eligible, badge_eligible_on, badge_listed, correct_overdue
from tests.orglife_data import add_members

D = dt.date


def codes(ledger: Ledger, on: dt.date, code: str) -> list[findings.Finding]:
    return [f for f in findings.check(ledger, on) if f.code == code]


# ------------------------------------------------------------------------------------------ JG04


@pytest.mark.parametrize(
    ("full_on", "eligible_on"),
    [
        (D(1976, 7, 1), D(2026, 7, 1)),  # 50 years on the cut-off day itself
        (D(1976, 6, 30), D(2026, 7, 1)),
        (D(1976, 7, 2), D(2027, 7, 1)),  # one day short at 2026's 七一: next year
        (D(1976, 1, 1), D(2026, 7, 1)),
        (D(1976, 12, 31), D(2027, 7, 1)),
        (D(1972, 2, 29), D(2022, 7, 1)),
    ],
)
def test_jg04_eligible_day_counts_from_full_membership(full_on: dt.date, eligible_on: dt.date) -> None:
    assert badge_eligible_on(full_on) == eligible_on


@pytest.mark.parametrize(
    ("day", "eligible"),
    [(D(2026, 6, 30), False), (D(2026, 7, 1), True), (D(2026, 7, 2), True)],
)
def test_jg04_day_before_on_after(day: dt.date, eligible: bool) -> None:
    assert badge_eligible(D(1976, 7, 1), day) is eligible
    assert badge_eligible(None, day) is False


def test_jg04_counts_from_full_not_from_joining(ledger: Ledger) -> None:
    """Joined 1975-07-01 (50 years in 2025), 转正 1976-07-01: eligible in 2026, not 2025."""
    with ledger.operation("Seed", "测试"):
        mid = members.insert(
            ledger,
            members.Member(name="老党员", gender="male", joined_on=D(1975, 7, 1), full_on=D(1976, 7, 1)),
        )
    assert codes(ledger, D(2025, 7, 1), "L06") == []
    assert codes(ledger, D(2026, 2, 28), "L06") == []  # the spring list starts 1 March
    soon = codes(ledger, D(2026, 3, 1), "L06")
    assert len(soon) == 1 and "将满50年" in soon[0].message and soon[0].severity == "reminder"
    assert "已满50年" in codes(ledger, D(2026, 7, 1), "L06")[0].message
    honors.save_award(ledger, Award(mid, "badge_50", D(2026, 7, 1), level="upper", awarded_by="园区党委"))
    assert len(codes(ledger, D(2026, 6, 30), "L06")) == 1  # recorded after that day
    assert codes(ledger, D(2026, 7, 1), "L06") == []
    assert codes(ledger, D(2026, 11, 22), "L06") == []


def test_badge_listed_edges() -> None:
    assert not badge_listed(D(1976, 7, 1), D(2026, 2, 28))
    assert badge_listed(D(1976, 7, 1), D(2026, 3, 1))
    assert not badge_listed(D(1976, 7, 2), D(2026, 3, 1))


# ------------------------------------------------------------------------------------------ JG01


def test_jg01_excellent_member_only_for_full_members(ledger: Ledger) -> None:
    full, prob = add_members(ledger, 1, 1, prob_joined=D(2026, 1, 10))
    with pytest.raises(InputRefused) as e:
        honors.save_award(ledger, Award(prob, "excellent_member", D(2026, 6, 28), level="committee"))
    assert "只能授予正式党员" in e.value.problems[0].message and "预备1" in e.value.problems[0].message
    honors.save_award(ledger, Award(prob, "praise", D(2026, 6, 28), title="抗洪表现突出"))  # 表扬 is fine
    honors.save_award(ledger, Award(full, "excellent_member", D(2026, 6, 28), level="committee"))
    assert [a.kind for a in honors.list_awards(ledger)] == ["praise", "excellent_member"]


def test_jg01_uses_the_category_on_the_award_day(ledger: Ledger) -> None:
    with ledger.operation("Seed", "测试"):
        mid = members.insert(
            ledger,
            members.Member(name="新转正", gender="female", joined_on=D(2025, 5, 1), full_on=D(2026, 5, 1)),
        )
    with pytest.raises(InputRefused):
        honors.save_award(ledger, Award(mid, "excellent_member", D(2026, 4, 30)))
    honors.save_award(ledger, Award(mid, "excellent_member", D(2026, 5, 1)))


# ------------------------------------------------------------------------------------------ JG15


def _assembly(ledger: Ledger, day: dt.date, present: set[int], ids: list[int]) -> meetings.Meeting:
    m = meetings.Meeting(
        kinds=["assembly"], date=day, place="会议室", topic="表决", host_id=ids[0], recorder_id=ids[1]
    )
    m.attendance = [
        meetings.Attendance(
            a.member_id,
            "present" if a.member_id in present else "absent",
            None if a.member_id in present else "出差",
            a.category,
        )
        for a in meetings.expected_attendance(ledger, day, ["assembly"])
    ]
    mid = meetings.create_meeting(ledger, m)
    return meetings.get_meeting(ledger, mid)


def test_probation_member_is_not_a_voter_in_a_branch_assembly(ledger: Ledger) -> None:
    ids = add_members(ledger, 5)
    honors.save_sanction(
        ledger, Sanction(ids[4], "probation", D(2026, 3, 1), ends_on=D(2027, 3, 1), decided_by="园区纪委")
    )
    # on probation: 4 expected voters; ids[4] present does not count, 2 of 4 is not more than half
    m = _assembly(ledger, D(2026, 6, 1), {ids[0], ids[1], ids[4]}, ids)
    assert m.expected_voters == 4 and m.present_voters == 2
    verdict = m.verdict(meetings.Decision("决议", "show_of_hands", 2, 0, 0))
    assert not verdict.quorum
    assert "留党察看" in (next(a for a in m.attendance if a.member_id == ids[4]).no_vote or "")
    # the day before the sanction: 5 voters, 3 present — quorum
    before = _assembly(ledger, D(2026, 2, 28), {ids[0], ids[1], ids[4]}, ids)
    assert before.expected_voters == 5 and before.present_voters == 3
    assert before.verdict(meetings.Decision("决议", "show_of_hands", 3, 0, 0)).quorum
    # the day the period ends: the vote is back
    after = _assembly(ledger, D(2026, 11, 1), {ids[0]}, ids)
    assert after.expected_voters == 4
    honors.save_sanction(
        ledger,
        honors.list_sanctions(ledger)[0].__class__(ids[3], "probation", D(2025, 1, 1), ends_on=D(2026, 1, 1)),
    )
    back = meetings.Meeting(
        kinds=["assembly"],
        date=D(2026, 1, 1),
        attendance=meetings.expected_attendance(ledger, D(2026, 1, 1), ["assembly"]),
    )
    assert back.expected_voters == 5
    day_before = meetings.Meeting(
        kinds=["assembly"],
        date=D(2025, 12, 31),
        attendance=meetings.expected_attendance(ledger, D(2025, 12, 31), ["assembly"]),
    )
    assert day_before.expected_voters == 4


def test_probation_member_cannot_stand_for_election(ledger: Ledger) -> None:
    ids = add_members(ledger, 5)
    honors.save_sanction(ledger, Sanction(ids[2], "probation", D(2026, 3, 1)))
    e = Election(
        held_on=D(2026, 6, 1), expected=4, present=4, seats=3, candidates=[Candidate(i) for i in ids[:3]]
    )
    problems = [p.message for p in validate_election(ledger, e)]
    assert any("留党察看" in p and "正式3" in p for p in problems)
    e.held_on = D(2027, 3, 1)  # default period: one year
    assert not any("留党察看" in p for p in validate_election(ledger, e) for p in [p.message])


def test_probation_longer_than_two_years_is_refused(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    with pytest.raises(InputRefused) as e:
        honors.save_sanction(ledger, Sanction(mid, "probation", D(2026, 1, 1), ends_on=D(2028, 1, 2)))
    assert "最长2年" in e.value.problems[0].message
    honors.save_sanction(ledger, Sanction(mid, "probation", D(2026, 1, 1), ends_on=D(2028, 1, 1)))


# ------------------------------------------------------------------------------------------ JG11 / L05


def test_jg11_term_beyond_twelve_months_and_no_filing_are_refused(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    with pytest.raises(InputRefused) as e:
        honors.save_disposition(
            ledger, Disposition(mid, "correct", D(2026, 1, 5), D(2026, 1, 10), ends_on=D(2027, 1, 11))
        )
    assert "最长不超过1年" in e.value.problems[0].message
    honors.save_disposition(
        ledger, Disposition(mid, "correct", D(2026, 1, 5), D(2026, 1, 10), ends_on=D(2027, 1, 10))
    )
    with pytest.raises(InputRefused) as e:
        honors.save_disposition(ledger, Disposition(mid, "correct", None, D(2026, 1, 10)))  # type: ignore[arg-type]
    assert "事前备案" in e.value.problems[0].message


def test_l05_past_its_term(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    d = Disposition(mid, "correct", D(2026, 1, 5), D(2026, 1, 10))  # default: 6 months → 2026-07-10
    honors.save_disposition(ledger, d)
    assert codes(ledger, D(2026, 7, 10), "L05") == []
    got = codes(ledger, D(2026, 7, 11), "L05")
    assert len(got) == 1 and "2026年7月10日" in got[0].message
    assert codes(ledger, D(2026, 1, 9), "L05") == []  # before it started
    d.closed_on = D(2026, 7, 9)
    d.outcome = "已改正"
    honors.save_disposition(ledger, d)
    assert codes(ledger, D(2026, 7, 11), "L05") == []
    assert correct_overdue(d, D(2026, 7, 8)) is False


def test_l05_beyond_twelve_months_whatever_the_term() -> None:
    d = Disposition(1, "correct", D(2025, 1, 5), D(2025, 1, 10), ends_on=D(2026, 1, 10))
    assert not correct_overdue(d, D(2026, 1, 10))
    assert correct_overdue(d, D(2026, 1, 11))
    assert not correct_overdue(Disposition(1, "remove", D(2025, 1, 5), D(2025, 1, 10)), D(2027, 1, 1))


def test_five_year_bar_after_removal(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    honors.save_disposition(
        ledger, Disposition(mid, "remove", D(2026, 2, 1), D(2026, 3, 1), closed_on=D(2026, 4, 1))
    )
    assert honors.barred_until(ledger, mid) == D(2031, 4, 1)


def test_five_year_bar_refuses_a_new_application(ledger: Ledger) -> None:
    from db import development as dev
    from db.honors.store import readmission_refusal
    from db.rules.idcard import check_char

    base = "11010519900101001"
    idn = base + check_char(base)
    with ledger.operation("Seed", "测试"):
        mid = members.insert(
            ledger,
            members.Member(
                name="前党员", gender="male", joined_on=D(2015, 1, 1), full_on=D(2016, 1, 1), id_number=idn
            ),
        )
    honors.save_disposition(
        ledger, Disposition(mid, "remove", D(2026, 2, 1), D(2026, 3, 1), closed_on=D(2026, 4, 1))
    )
    assert readmission_refusal(ledger, idn, D(2031, 3, 31)) is not None
    assert readmission_refusal(ledger, idn, D(2031, 4, 1)) is None
    with pytest.raises(InputRefused) as e:
        dev.add_applicant(ledger, dev.Applicant(name="前党员", id_number=idn), D(2026, 10, 8))
    assert "5年内不得重新入党" in e.value.problems[-1].message


def test_the_branch_figures_count_voters_without_the_member_on_probation(ledger: Ledger) -> None:
    """The 工作台's 正式党员 card says how many have a vote: a 留党察看 member is 正式 but has none (JG15)."""
    from db import branch

    ids = add_members(ledger, 5)
    honors.save_sanction(ledger, Sanction(ids[4], "probation", D(2026, 3, 1), ends_on=D(2027, 3, 1)))
    before, during, back = (branch.summary(ledger, d) for d in (D(2026, 2, 28), D(2026, 3, 1), D(2027, 3, 1)))
    assert (before["full"], before["voters"]) == (5, 5)
    assert (during["full"], during["voters"]) == (5, 4)
    assert (back["full"], back["voters"]) == (5, 5)
