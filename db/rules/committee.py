"""The committee's rules as pure functions (RULES.md §4): how it is set up, when its term needs attention, and
whether an election meeting was valid and who was elected. No ledger access here: plain numbers and dates in,
verdicts out, each with a test table citing the rule.

Integer arithmetic only (no fractions in floating point): "present > 4/5 of expected" is `5*present > 4*expected`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from db.dates import add_months, add_years

COMMITTEE_THRESHOLD = 7  # 正式党员 from which a 支部委员会 is required (条例 第二十条)
MIN_FULL = 3  # 正式党员 needed for a branch of its own (条例 第四条)
MAX_MEMBERS = 50  # a branch generally has at most 50 members
SEATS_USUAL = (3, 5)  # a committee has 3–5 members ...
SEATS_MAX = 7  # ... generally not more than 7
TERM_YEARS = 3  # 条例 第二十一条
POSTPONE_MAX_YEARS = 1  # 选举条例 第三条: postponing a 换届 is limited to 1 year

# The quorum of an election meeting (RULES.md §4 "RULE (选举)"): the rule text says 有选举权 到会 must exceed
# 4/5 of 应到会; the 中组部 explanation accepts exactly 4/5 ("五分之四以上" includes 本数). Which reading the
# branch follows is the setting `election_quorum`; the default follows the 中组部 explanation.
QUORUM_INCLUSIVE = "four_fifths_inclusive"
QUORUM_STRICT = "four_fifths_strict"


# ------------------------------------------------------------------------------------------ set-up


def needs_committee(full_members: int) -> bool:
    """≥7 正式党员 → a 支部委员会 must be set up; fewer → one 书记 (+ 副书记 if needed). 条例 第二十条."""
    return full_members >= COMMITTEE_THRESHOLD


def seat_problem(seats: int) -> str | None:
    """A committee has 3–5 members, generally not more than 7 (条例 第二十条)."""
    if seats < SEATS_USUAL[0]:
        return f"支部委员会至少由3人组成（现为{seats}人）"
    if seats > SEATS_MAX:
        return f"支部委员会一般不超过7人（现为{seats}人）"
    return None


def term_end(starts_on: dt.date, years: int = TERM_YEARS) -> dt.date:
    """The last day of a term that starts on `starts_on` (3 years: 2024-03-20 → 2027-03-19)."""
    return add_years(starts_on, years) - dt.timedelta(days=1)


# ------------------------------------------------------------------------------------------ term reminders


@dataclass(frozen=True)
class TermStage:
    """Where a term stands on a date. `code`: none, reminder_6m, reminder_3m, reminder_1m, due_today, overdue,
    overdue_hard (more than the 1 year a 换届 may be postponed)."""

    code: str
    label: str
    since: dt.date | None  # the threshold date this stage began


REMINDER_STEPS = (
    (6, "reminder_6m", "届满前6个月"),
    (3, "reminder_3m", "届满前3个月"),
    (1, "reminder_1m", "届满前1个月"),
)


def term_reminder_dates(ends_on: dt.date) -> list[tuple[dt.date, str]]:
    """The reminder dates of a term ending on `ends_on`: −6, −3, −1 months (calendar months) and the day itself."""
    out = [(add_months(ends_on, -months), label) for months, _code, label in REMINDER_STEPS]
    out.append((ends_on, "届满当天"))
    return out


def term_stage(ends_on: dt.date, on: dt.date) -> TermStage:
    """RULES.md §4: reminders at −6/−3/−1 months and at expiry; overdue after; hard flag past +1 year.

    The last day of the term (`ends_on`) is still inside the term; the day after is overdue. A 换届 postponed by
    exactly one year is still within the limit; the day after that is the hard flag.
    """
    if on > add_years(ends_on, POSTPONE_MAX_YEARS):
        return TermStage(
            "overdue_hard", "届满超过1年未换届", add_years(ends_on, POSTPONE_MAX_YEARS) + dt.timedelta(days=1)
        )
    if on > ends_on:
        return TermStage("overdue", "已届满未换届", ends_on + dt.timedelta(days=1))
    if on == ends_on:
        return TermStage("due_today", "今天届满", ends_on)
    stage = TermStage("none", "", None)
    for months, code, label in REMINDER_STEPS:  # 6, 3, 1: the latest threshold passed wins
        when = add_months(ends_on, -months)
        if on >= when:
            stage = TermStage(code, label, when)
    return stage


# ------------------------------------------------------------------------------------------ elections


def quorum_needed(expected: int, mode: str = QUORUM_INCLUSIVE) -> int:
    """The fewest 有选举权 present that make the election meeting valid."""
    if expected <= 0:
        return 0
    if mode == QUORUM_STRICT:
        return (4 * expected) // 5 + 1  # smallest p with 5p > 4e
    return -(-4 * expected // 5)  # smallest p with 5p >= 4e


def quorum_ok(expected: int, present: int, mode: str = QUORUM_INCLUSIVE) -> bool:
    """Election meeting valid: 有选举权 到会 > 4/5 of 应到会 (strict), or ≥ 4/5 (中组部 explanation, default)."""
    if expected <= 0 or present < 0 or present > expected:
        return False
    if mode == QUORUM_STRICT:
        return 5 * present > 4 * expected
    return 5 * present >= 4 * expected


def majority_ok(votes_for: int, present: int) -> bool:
    """当选: 赞成票 more than half of 实到会有选举权的人数 — exactly half is not enough."""
    return present > 0 and 2 * votes_for > present


def votes_needed(present: int) -> int:
    """The fewest 赞成票 that elect (present // 2 + 1)."""
    return present // 2 + 1


@dataclass(frozen=True)
class Ballot:
    key: int  # the candidate (member id or position)
    votes_for: int


@dataclass(frozen=True)
class Outcome:
    elected: tuple[int, ...]  # keys elected, most votes first
    majority: tuple[int, ...]  # keys with more than half, most votes first
    tie_at_cut: tuple[int, ...]  # keys tied on the last seat: another round is needed for them
    valid: bool  # the meeting had its quorum
    problems: tuple[str, ...]


def election_outcome(
    ballots: Sequence[Ballot],
    expected: int,
    present: int,
    seats: int | None = None,
    mode: str = QUORUM_INCLUSIVE,
) -> Outcome:
    """Who is elected: the meeting must have its quorum; a candidate needs more than half of those present; if
    more candidates have a majority than there are seats, the most votes win; a tie on the last seat is left to
    another round (选举条例: 得票超过半数的人数多于应选名额时，以得票多少为序；票数相等不能确定时再投票)."""
    problems: list[str] = []
    valid = quorum_ok(expected, present, mode)
    if not valid:
        problems.append(
            f"到会有选举权党员{present}人，未达到应到会{expected}人的五分之四"
            + ("以上" if mode == QUORUM_INCLUSIVE else "（须超过）")
            + f"（至少需要{quorum_needed(expected, mode)}人），选举无效"
        )
    for b in ballots:
        if b.votes_for > present:
            problems.append(f"候选人赞成票{b.votes_for}多于实到人数{present}")
    if not valid:
        return Outcome((), (), (), False, tuple(problems))
    winners = sorted((b for b in ballots if majority_ok(b.votes_for, present)), key=lambda b: -b.votes_for)
    majority = tuple(b.key for b in winners)
    if seats is None or len(winners) <= seats:
        return Outcome(majority, majority, (), True, tuple(problems))
    cut = winners[seats - 1].votes_for if seats > 0 else None
    above = [b.key for b in winners if cut is not None and b.votes_for > cut]
    at_cut = [b.key for b in winners if b.votes_for == cut]
    if len(above) + len(at_cut) <= seats:
        return Outcome(tuple(above + at_cut), majority, (), True, tuple(problems))
    problems.append("得票相等，不能确定最后的当选人，须就票数相等的候选人再次投票")
    return Outcome(tuple(above), majority, tuple(at_cut), True, tuple(problems))
