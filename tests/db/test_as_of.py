"""“As of a date” means as of that date: every finding provider uses only what was recorded as having happened on
or before the as-of date. Each test puts the record that would settle a finding on the day after D (or later) and
checks that the finding is still there as of D, and gone once the record's day has come (issue: findings true as
of their date)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db import branch, checklists, dues, meetings
from db.connection import Ledger
from db.findings import Finding, check
from db.meetings import Attendance, Meeting
from db.rules.dues import money
from tests.db.test_dues import add_member, base
from tests.db.test_meetings import build, member

D = dt.date


def found(led: Ledger, day: dt.date, code: str) -> list[Finding]:
    return [f for f in check(led, day) if f.code == code]


# ---------------------------------------------------------------------------------------------------- dues


def test_p02_counts_months_paid_only_after_the_as_of_date(ledger: Ledger) -> None:
    """Base 3000.00 for 2026, January–April paid on 20 June: as of 10 May, January–April are unpaid."""
    mid = add_member(ledger, "甲", D(2015, 1, 1))
    base(ledger, mid, 2026, "3000.00")
    dues.record_payment(ledger, mid, ["2026-01", "2026-02", "2026-03", "2026-04"], D(2026, 6, 20))
    p02 = found(ledger, D(2026, 5, 10), "P02")
    assert [(f.subject_id, f.period) for f in p02] == [(mid, "2026-04")]
    assert "连续 4 个月" in p02[0].message
    # on the day of the payment the four months are paid; May is one month behind, no finding
    assert not found(ledger, D(2026, 6, 20), "P02")
    # the report as of 10 May agrees with the finding
    months = next(
        m for m in dues.dues_report(ledger, 2026, as_of=D(2026, 5, 10))["members"] if m["member_id"] == mid
    )
    april = next(c for c in months["months"] if c["month"] == "2026-04")
    assert (april["paid"], april["unpaid_streak"]) == ("0.00", 4)


def test_p03_counts_months_paid_after_the_as_of_date(ledger: Ledger) -> None:
    mid = add_member(ledger, "乙", D(2015, 1, 1))
    base(ledger, mid, 2026, "3000.00")
    dues.record_payment(ledger, mid, [f"2026-{m:02d}" for m in range(1, 7)], D(2026, 7, 20))
    assert [f.subject_id for f in found(ledger, D(2026, 7, 19), "P03")] == [mid]
    assert not found(ledger, D(2026, 7, 20), "P03")


def test_r03_ignores_a_payment_made_after_the_as_of_date(ledger: Ledger) -> None:
    """One payment paid on 10 October and no attendance: as of 20 May an R03 is due."""
    mid = add_member(ledger, "丙", D(2015, 1, 1))
    base(ledger, mid, 2025, "3000.00")
    base(ledger, mid, 2026, "3000.00")
    dues.record_payment(ledger, mid, ["2026-10"], D(2026, 10, 10))
    assert [f.subject_id for f in found(ledger, D(2026, 5, 20), "R03")] == [mid]
    assert not found(ledger, D(2026, 10, 10), "R03")


def test_r03_ignores_attendance_after_the_as_of_date(tmp_path: Path) -> None:
    led = build(
        tmp_path,
        [member(1, "张一"), member(2, "李二")],
        meetings_=[
            {
                "id": 1,
                "kinds": ["assembly"],
                "date": "2026-10-15",
                "host_id": 1,
                "recorder_id": 2,
                "attendance": [
                    {"member_id": 1, "status": "present"},
                    {"member_id": 2, "status": "present"},
                ],
            }
        ],
    )
    assert {f.subject_id for f in found(led, D(2026, 5, 20), "R03")} == {1, 2}
    assert not found(led, D(2026, 10, 15), "R03")


def test_p05_remittance_paid_after_the_as_of_date_is_still_overdue(ledger: Ledger) -> None:
    mid = add_member(ledger, "丁", D(2015, 1, 1))
    base(ledger, mid, 2026, "3000.00")
    for m in (1, 2, 3):
        dues.record_payment(ledger, mid, [f"2026-{m:02d}"], D(2026, m, 10))
    dues.save_remittance(
        ledger, dues.Remittance(period="2026-Q1", amount=money("45.00"), paid_on=D(2026, 5, 6))
    )
    assert [f.period for f in found(ledger, D(2026, 5, 5), "P05")] == ["2026-Q1"]
    assert not found(ledger, D(2026, 5, 6), "P05")
    rows = dues.remittance_rows(ledger, 2026, as_of=D(2026, 5, 5))
    assert rows[0].overdue and rows[0].remitted == 0


def test_p01_base_fixed_after_the_as_of_date(ledger: Ledger) -> None:
    mid = add_member(ledger, "戊", D(2015, 1, 1))
    entry = dues.BaseEntry(member_id=mid, year=2026, kind="employed", base=money("3000.00"))
    dues.save_base(ledger, entry, on=D(2026, 5, 1))
    assert [f.subject_id for f in found(ledger, D(2026, 4, 30), "P01")] == [mid]
    assert not found(ledger, D(2026, 5, 1), "P01")


# ------------------------------------------------------------------------------------------------ meetings


def _theme_day(day: str) -> dict[str, object]:
    return {
        "id": 1,
        "kinds": ["theme_day"],
        "date": day,
        "host_id": 1,
        "recorder_id": 2,
        "attendance": [{"member_id": 1, "status": "present"}, {"member_id": 2, "status": "present"}],
    }


def test_m11_a_meeting_held_after_the_as_of_date_is_still_to_be_held(tmp_path: Path) -> None:
    """A 主题党日 on 15 October: as of 10 October, October's 主题党日 is still to be held."""
    led = build(tmp_path, [member(1, "张一"), member(2, "李二")], meetings_=[_theme_day("2026-10-15")])
    m11 = [f for f in found(led, D(2026, 10, 10), "M11") if f.period == "2026-10" and "主题党日" in f.message]
    assert len(m11) == 1
    assert not [
        f for f in found(led, D(2026, 10, 15), "M11") if f.period == "2026-10" and "主题党日" in f.message
    ]


def test_cadence_grid_as_of_shows_a_later_meeting_as_not_yet_held(tmp_path: Path) -> None:
    led = build(tmp_path, [member(1, "张一"), member(2, "李二")], meetings_=[_theme_day("2026-10-15")])
    rows = meetings.cadence_grid(led, 2026, as_of=D(2026, 10, 10))
    theme = next(r for r in rows if r.kind == "theme_day")
    october = next(c for c in theme.cells if c.period.key == "2026-10")
    assert october.state != "held" and not october.meeting_ids


def test_m10_late_entry_is_judged_only_once_entered(tmp_path: Path) -> None:
    """A meeting entered on 20 November for 1 September: as of 1 October it does not exist yet (M05 for
    September would be a past-period finding only after September, and the M10 only from its entry)."""
    led = build(tmp_path, [member(1, "张一"), member(2, "李二")])
    m = Meeting(
        kinds=["theme_day"],
        date=D(2026, 9, 1),
        host_id=1,
        recorder_id=2,
        topic="主题党日",
        entered_on=D(2026, 11, 20),
        attendance=[Attendance(member_id=1, status="present"), Attendance(member_id=2, status="present")],
    )
    meetings.create_meeting(led, m)
    assert not found(led, D(2026, 10, 1), "M10")
    assert [f.period for f in found(led, D(2026, 11, 20), "M10")] == ["2026-09"]


# ------------------------------------------------------------------------------------------------ committee


def test_t02_an_election_after_the_as_of_date_does_not_renew_the_term(tmp_path: Path) -> None:
    people = [member(i, f"党员{i}") for i in range(1, 8)]
    terms = [
        {
            "id": 1,
            "elected_on": "2023-03-01",
            "starts_on": "2023-03-01",
            "ends_on": "2026-02-28",
            "members": [{"member_id": 1, "role": "secretary"}],
        },
        {
            "id": 2,
            "elected_on": "2026-06-01",
            "starts_on": "2026-06-01",
            "ends_on": "2029-05-31",
            "members": [{"member_id": 1, "role": "secretary"}],
        },
    ]
    led = build(tmp_path, people, terms=terms)
    assert found(led, D(2026, 5, 1), "T02")
    assert not found(led, D(2026, 6, 1), "T02")


# ------------------------------------------------------------------------------------------------ checklists


def test_c01_a_gap_found_or_closed_after_the_as_of_date(ledger: Ledger) -> None:
    """An item found not met on 10 February and put right on 1 March: nothing known as of 9 February, a C01
    from 10 February, none from 1 March."""
    key = checklists.definition_for(ledger, 2026).items[0].key
    checklists.save_result(
        ledger,
        checklists.Result(
            year=2026,
            checklist=checklists.DEFAULT_NAME,
            item_key=key,
            status="not_met",
            checked_on=D(2026, 2, 10),
            rectification="补齐活动阵地",
            rect_due=D(2026, 3, 31),
            rect_done=D(2026, 3, 1),
        ),
    )
    assert not found(ledger, D(2026, 2, 9), "C01")
    assert found(ledger, D(2026, 2, 10), "C01")
    assert not found(ledger, D(2026, 3, 1), "C01")


def test_term_without_an_end_date_ends_after_three_years(tmp_path: Path) -> None:
    """One rule for a term without an end date: load, import and GUI all take start + 3 years − 1 day."""
    people = [member(i, f"党员{i}") for i in range(1, 8)]
    terms = [
        {
            "id": 1,
            "elected_on": "2023-03-01",
            "starts_on": "2023-03-01",
            "ends_on": None,
            "members": [{"member_id": 1, "role": "secretary"}],
        }
    ]
    led = build(tmp_path, people, terms=terms)
    term = branch.list_terms(led)[0]
    assert term.ends_on == D(2026, 2, 28)
    assert found(led, D(2026, 3, 1), "T02")
    assert found(led, D(2025, 12, 1), "T01")


# ------------------------------------------------------------------------------------------------ members


def test_r01_a_member_who_joins_after_the_as_of_date_is_not_on_the_roster_yet(ledger: Ledger) -> None:
    from db import members
    from db.members.store import insert

    m = members.Member(
        name="己", category="full", joined_on=D(2015, 1, 1), in_branch_since=D(2026, 6, 1), id_number="123"
    )
    with ledger.operation("AddMember", "新增党员 己"):  # as `load` keeps it: a number that is wrong
        mid = insert(ledger, m, strict_id=False)
    assert not [f for f in found(ledger, D(2026, 5, 31), "R01") if f.subject_id == mid]
    assert [f.subject_id for f in found(ledger, D(2026, 6, 1), "R01")] == [mid]


# ------------------------------------------------------------------------------------------------ development


def test_d02_an_applicant_stopped_after_the_as_of_date_was_still_in_progress(ledger: Ledger) -> None:
    """Applied on 10 January 2022, never talked with, stopped on 1 June: the D02 stands as of 31 May."""
    from db import development as dev
    from tests.db.test_development import new_applicant

    aid = new_applicant(ledger)
    assert "D02" in {f.code for f in check(ledger, D(2022, 5, 31)) if f.subject_id == aid}
    dev.stop(ledger, aid, D(2022, 6, 1), "本人撤回申请")
    assert "D02" in {f.code for f in check(ledger, D(2022, 5, 31)) if f.subject_id == aid}
    assert not [f for f in check(ledger, D(2022, 6, 1)) if f.subject_id == aid and f.code.startswith("D")]


# ------------------------------------------------------------------------------------------------ summaries


def test_dues_year_summary_counts_what_was_paid_and_remitted_by_the_day(ledger: Ledger) -> None:
    """The 工作台 chart and the package summary as of a day: a payment and a remittance made after it are not
    there yet."""
    mid = add_member(ledger, "庚", D(2015, 1, 1))
    base(ledger, mid, 2026, "3000.00")  # 15.00 a month
    dues.record_payment(ledger, mid, ["2026-01", "2026-02", "2026-03"], D(2026, 3, 10))
    dues.record_payment(ledger, mid, ["2026-04"], D(2026, 6, 20))
    dues.save_remittance(
        ledger, dues.Remittance(period="2026-Q1", amount=money("45.00"), paid_on=D(2026, 6, 1))
    )
    before = dues.year_summary(ledger, 2026, D(2026, 5, 31))
    assert (before["due"], before["paid"], before["remitted"]) == ("75.00", "45.00", "0.00")
    assert before["arrears_members"] == 1
    after = dues.year_summary(ledger, 2026, D(2026, 6, 20))
    assert (after["paid"], after["remitted"]) == ("60.00", "45.00")
