"""Tables of tests for the pure 三会一课 rules (RULES.md §1.1 cadence, §1.2 quorum and pass)."""

from __future__ import annotations

import datetime as dt

import pytest

from db.rules import meetings as r

D = dt.date


# §1.2: "半数以上" strictly; the denominator is 应到会有表决权, written opinions counted.
@pytest.mark.parametrize(
    ("expected", "present", "yes", "written", "quorum", "passed"),
    [
        (10, 5, 5, 0, False, False),  # exactly half present: no quorum (§1.2 strict)
        (10, 6, 5, 0, True, False),  # quorum, exactly half of 应到 in favour: fails
        (10, 6, 6, 0, True, True),  # half + 1 passes
        (10, 6, 5, 1, True, True),  # a counted written opinion makes half + 1 (细则 第二十一条)
        (10, 10, 5, 0, True, False),  # all present: still measured against 应到, 5 of 10 fails
        (9, 5, 5, 0, True, True),  # odd: 5 of 9 is more than half
        (9, 4, 4, 0, False, False),  # 4 of 9 present: no quorum
        (7, 4, 4, 0, True, True),
        (7, 7, 3, 0, True, False),
        (1, 1, 1, 0, True, True),
        (0, 0, 0, 0, False, False),  # nobody expected to vote: nothing can pass
        (20, 11, 10, 0, True, False),  # passing is not "majority of those present"
        (20, 11, 10, 1, True, True),
    ],
)
def test_quorum_and_pass(
    expected: int, present: int, yes: int, written: int, quorum: bool, passed: bool
) -> None:
    v = r.judge_vote(expected, present, yes, 0, 0, written)
    assert v.quorum is quorum
    assert v.passed is passed


@pytest.mark.parametrize(("n", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (10, 6), (11, 6), (36, 19)])
def test_votes_needed(n: int, needed: int) -> None:
    assert r.votes_needed(n) == needed
    assert r.more_than_half(needed, n) and not r.more_than_half(needed - 1, n)


def test_vote_totals_that_do_not_add_up() -> None:
    v = r.judge_vote(10, 6, 5, 1, 1, 0)
    assert any("多于到会" in p for p in v.problems)
    v = r.judge_vote(10, 6, 6, 0, 0, 5, absent_voters=4)
    assert any("书面意见" in p for p in v.problems)
    assert not r.judge_vote(10, 6, 4, 1, 1, 4, absent_voters=4).problems


@pytest.mark.parametrize(
    ("cadence", "count", "first_key", "last_key"),
    [
        ("month", 12, "2026-01", "2026-12"),
        ("quarter", 4, "2026-Q1", "2026-Q4"),
        ("half_year", 2, "2026-H1", "2026-H2"),
        ("year", 1, "2026", "2026"),
    ],
)
def test_periods(cadence: str, count: int, first_key: str, last_key: str) -> None:
    ps = r.periods_of(2026, cadence)
    assert len(ps) == count and ps[0].key == first_key and ps[-1].key == last_key
    assert ps[0].start == D(2026, 1, 1) and ps[-1].end == D(2026, 12, 31)


def test_last_day_of_quarter_belongs_to_that_quarter() -> None:
    q1 = r.period_containing(D(2026, 3, 31), "quarter")
    assert q1.key == "2026-Q1" and q1.end == D(2026, 3, 31)
    assert r.period_containing(D(2026, 4, 1), "quarter").key == "2026-Q2"
    assert r.period_containing(D(2024, 2, 29), "month").end == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("as_of", "required", "held", "state"),
    [
        (D(2026, 4, 1), True, 0, r.MISSING),  # Q1 over, nothing held (§1.1)
        (D(2026, 3, 31), True, 0, r.DUE),  # last day of the quarter: still due (M11), not missing
        (D(2026, 3, 31), True, 1, r.HELD),
        (D(2026, 2, 1), True, 0, r.DUE),
        (D(2025, 12, 31), True, 0, r.FUTURE),
        (D(2026, 5, 1), False, 0, r.NOT_REQUIRED),
        (D(2026, 5, 1), False, 1, r.HELD),  # held though not required still counts as held
    ],
)
def test_cell_state(as_of: dt.date, required: bool, held: int, state: str) -> None:
    q1 = r.periods_of(2026, "quarter")[0]
    assert r.cell_state(q1, required, held, as_of) == state


@pytest.mark.parametrize(
    ("created", "dissolved", "month", "required"),
    [
        (None, None, 1, True),
        (D(2026, 5, 15), None, 4, False),  # not yet created
        (D(2026, 5, 15), None, 5, False),  # created mid-May: owes one from June
        (D(2026, 5, 15), None, 6, True),
        (D(2026, 6, 1), None, 6, True),  # created on the 1st: owes June
        (D(2020, 1, 1), D(2026, 5, 20), 5, False),  # dissolved in May
        (D(2020, 1, 1), D(2026, 5, 20), 4, True),
    ],
)
def test_group_required(
    created: dt.date | None, dissolved: dt.date | None, month: int, required: bool
) -> None:
    p = r.periods_of(2026, "month")[month - 1]
    assert r.group_required(created, dissolved, p) is required


@pytest.mark.parametrize(("days", "late"), [(0, False), (30, False), (31, True), (200, True)])
def test_late_entry(days: int, late: bool) -> None:
    assert r.is_late(D(2026, 1, 1), D(2026, 1, 1) + dt.timedelta(days=days), 30) is late


def test_lecture_cadence_from_settings() -> None:
    assert r.cadence_of("lecture", "half_year") == "half_year"
    assert r.cadence_of("assembly", "year") == "quarter"
