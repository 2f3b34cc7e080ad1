"""RULES.md §4 as pure functions: committee set-up, term reminders, the 4/5 election rule and 当选."""

from __future__ import annotations

import datetime as dt

import pytest

from db.rules import committee as r

D = dt.date


# §4 "≥7 正式党员 → must set up a 支部委员会"
@pytest.mark.parametrize(("full", "needed"), [(0, False), (6, False), (7, True), (8, True), (50, True)])
def test_committee_threshold_counts_full_members(full: int, needed: bool) -> None:
    assert r.needs_committee(full) is needed


# §4 "3–5 members, generally ≤7"
@pytest.mark.parametrize(("seats", "ok"), [(2, False), (3, True), (5, True), (7, True), (8, False)])
def test_committee_seats(seats: int, ok: bool) -> None:
    assert (r.seat_problem(seats) is None) is ok


def test_term_is_three_years() -> None:
    assert r.term_end(D(2024, 3, 20)) == D(2027, 3, 19)
    assert r.term_end(D(2024, 2, 29)) == D(2027, 2, 27)  # 2027-02-28 is the anniversary of a leap day


# §4 reminders at −6, −3, −1 months and at expiry; overdue after; hard flag at +1 year.
ENDS = D(2027, 3, 19)


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (D(2026, 9, 18), "none"),
        (D(2026, 9, 19), "reminder_6m"),
        (D(2026, 12, 18), "reminder_6m"),
        (D(2026, 12, 19), "reminder_3m"),
        (D(2027, 2, 18), "reminder_3m"),
        (D(2027, 2, 19), "reminder_1m"),
        (D(2027, 3, 18), "reminder_1m"),
        (D(2027, 3, 19), "due_today"),
        (D(2027, 3, 20), "overdue"),
        (D(2028, 3, 19), "overdue"),  # postponed exactly one year: still within the limit
        (D(2028, 3, 20), "overdue_hard"),
    ],
)
def test_term_stage_thresholds(on: dt.date, code: str) -> None:
    assert r.term_stage(ENDS, on).code == code


def test_term_stage_month_end_arithmetic() -> None:
    # a term ending 31 August: −6 months is 28 February (calendar months, no day 31 in February)
    assert r.term_stage(D(2027, 8, 31), D(2027, 2, 27)).code == "none"
    assert r.term_stage(D(2027, 8, 31), D(2027, 2, 28)).code == "reminder_6m"


# §4 "election meeting valid when 有选举权 到会 > 4/5 of 应到会; 中组部 explanation accepts exactly 4/5"
@pytest.mark.parametrize(
    ("expected", "present", "inclusive", "strict"),
    [
        (20, 15, False, False),  # one below 4/5
        (20, 16, True, False),  # exactly 4/5: valid only under the 中组部 reading
        (20, 17, True, True),  # one above
        (10, 8, True, False),
        (10, 9, True, True),
        (7, 5, False, False),  # 4/5 of 7 = 5.6
        (7, 6, True, True),
        (5, 4, True, False),
        (5, 5, True, True),
        (0, 0, False, False),
        (10, 11, False, False),  # more present than expected: the record is wrong
    ],
)
def test_quorum_four_fifths(expected: int, present: int, inclusive: bool, strict: bool) -> None:
    assert r.quorum_ok(expected, present, r.QUORUM_INCLUSIVE) is inclusive
    assert r.quorum_ok(expected, present, r.QUORUM_STRICT) is strict


@pytest.mark.parametrize(
    ("expected", "inclusive", "strict"), [(20, 16, 17), (10, 8, 9), (7, 6, 6), (36, 29, 29), (5, 4, 5)]
)
def test_quorum_needed(expected: int, inclusive: int, strict: int) -> None:
    assert r.quorum_needed(expected, r.QUORUM_INCLUSIVE) == inclusive
    assert r.quorum_needed(expected, r.QUORUM_STRICT) == strict


# §4 "Winners need 赞成票 > ½ of 实到会有选举权人数"
@pytest.mark.parametrize(
    ("votes", "present", "ok"),
    [
        (10, 20, False),  # exactly half
        (11, 20, True),  # half + 1
        (9, 17, True),  # 8.5 → 9 is more than half
        (8, 17, False),
        (0, 0, False),
    ],
)
def test_majority_of_present(votes: int, present: int, ok: bool) -> None:
    assert r.majority_ok(votes, present) is ok


def test_outcome_more_winners_than_seats_by_votes() -> None:
    ballots = [r.Ballot(1, 18), r.Ballot(2, 15), r.Ballot(3, 12), r.Ballot(4, 11), r.Ballot(5, 10)]
    out = r.election_outcome(ballots, expected=22, present=20, seats=3)
    assert out.valid
    assert out.majority == (1, 2, 3, 4)  # 5 has exactly half
    assert out.elected == (1, 2, 3)


def test_outcome_tie_on_last_seat_needs_another_round() -> None:
    ballots = [r.Ballot(1, 18), r.Ballot(2, 12), r.Ballot(3, 12)]
    out = r.election_outcome(ballots, expected=20, present=20, seats=2)
    assert out.elected == (1,)
    assert set(out.tie_at_cut) == {2, 3}
    assert any("再次投票" in p for p in out.problems)


def test_outcome_without_quorum_elects_nobody() -> None:
    out = r.election_outcome([r.Ballot(1, 15)], expected=20, present=15, seats=1)
    assert not out.valid and out.elected == ()
    assert "16" in out.problems[0]
