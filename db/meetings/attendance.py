"""Attendance as of a date (RULES.md §1.2): who was expected at a meeting on its date — the roster as it stood
then, the 党小组 for a group meeting, the 委员 for a 支委会 — each member's category on that date, and when
each member last attended. `RosterCache` reads members, their history and the committee terms once for many
dates (the cadence grid, findings and the interchange loader use it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from db import members as members_mod
from db.meetings.model import WHOLE_BRANCH_KINDS, Attendance, Meeting
from db.meetings.rights import no_vote_ids

if TYPE_CHECKING:
    from db.connection import Ledger


def _names(ledger: Ledger) -> dict[int, str]:
    return members_mod.names(ledger)


MAX_IDS = 500  # more members than this are read whole and picked out here (SQLite's limit on parameters)


def last_attendance(
    ledger: Ledger,
    as_of: dt.date | None = None,
    *,
    since: dt.date | None = None,
    member_ids: Iterable[int] | None = None,
) -> dict[int, dt.date]:
    """Member id -> the last meeting date they were present at, on or before `as_of` when given (R03 uses it).
    `since`: only meetings on or after that day (members not seen since are left out); `member_ids`: only
    those members. Both read by an index instead of every attendance row of the ledger."""
    limit = as_of.isoformat() if as_of else "9999-12-31"
    ids = None if member_ids is None else sorted(set(member_ids))
    if since is not None:
        # the meetings of the window by date, their attendance by meeting
        rows = ledger.rows(
            "SELECT a.member_id, max(m.date) FROM meeting_attendance a JOIN meetings m ON m.id=a.meeting_id "
            "WHERE a.meeting_id IN (SELECT id FROM meetings WHERE date BETWEEN ? AND ?) "
            "AND a.status IN ('present', 'observer') GROUP BY a.member_id",
            (since.isoformat(), limit),
        )
    elif ids is not None and len(ids) <= MAX_IDS:
        if not ids:
            return {}
        rows = ledger.rows(
            "SELECT a.member_id, max(m.date) FROM meeting_attendance a JOIN meetings m ON m.id=a.meeting_id "
            f"WHERE a.member_id IN ({', '.join('?' * len(ids))}) "
            "AND a.status IN ('present', 'observer') AND m.date <= ? GROUP BY a.member_id",
            (*ids, limit),
        )
    else:
        rows = ledger.rows(
            "SELECT a.member_id, max(m.date) FROM meeting_attendance a JOIN meetings m ON m.id=a.meeting_id "
            "WHERE a.status IN ('present', 'observer') AND m.date <= ? GROUP BY a.member_id",
            (limit,),
        )
    if ids is not None and (since is not None or len(ids) > MAX_IDS):
        wanted = set(ids)
        rows = [r for r in rows if r[0] in wanted]
    return {r[0]: dt.date.fromisoformat(r[1]) for r in rows}


class RosterCache:
    """The roster on many dates from one read of members, their history and the committee terms (what
    `members.roster_on` gives, without re-reading the tables for every date)."""

    def __init__(self, ledger: Ledger) -> None:
        from db import branch
        from db.members.history import RosterIndex

        # the roster index kept until the members change (shared with roster_on); afresh inside an operation
        self._index = (
            RosterIndex(ledger)
            if ledger.in_operation
            else ledger.memo_reads("members.roster_index", lambda: RosterIndex(ledger))
        )
        self.members = self._index.members
        self.hist = self._index.hist
        self.terms = branch.list_terms(ledger)

    def on(self, day: dt.date) -> list[members_mod.MemberOn]:
        return self._index.on(day)

    def seat_ids(self, day: dt.date) -> list[int]:
        current = [t for t in self.terms if t.active_on(day)]
        return [s.member_id for s in current[-1].seats_on(day)] if current else []


def expected_attendance(
    ledger: Ledger,
    on: dt.date,
    kinds: list[str],
    group_id: int | None = None,
    cache: RosterCache | None = None,
) -> list[Attendance]:
    """Pre-filled attendance: who was expected on that date (RULES.md §1.2) — the roster as it stood then
    (people who left later included), the 党小组 for a group meeting, the 委员 for a 支委会. All 'present'.

    Someone who joined the Party that very day is not expected: the 支部大会 that admits a 预备党员 puts them on
    the roster from its date (D20), but they were not a member when it met, so they are neither in its 应到 nor
    on its sign-in sheet (issue #14)."""
    people = _expected_people(ledger, on, kinds, group_id, cache)
    withheld = no_vote_ids(ledger, on)
    return [Attendance(r.id, "present", None, r.category, r.name, withheld.get(r.id)) for r in people]


def _expected_people(
    ledger: Ledger,
    on: dt.date,
    kinds: list[str],
    group_id: int | None = None,
    cache: RosterCache | None = None,
) -> list[members_mod.MemberOn]:
    """Who `expected_attendance` lists, as they stood on the day."""
    cache = cache or RosterCache(ledger)
    roster = [r for r in cache.on(on) if r.member.joined_on != on]  # admitted_that_day
    if not kinds or any(k in WHOLE_BRANCH_KINDS for k in kinds):
        people = roster
    elif "group" in kinds:
        people = [r for r in roster if group_id is not None and r.group_id == group_id]
    elif "committee" in kinds:
        seat_ids = cache.seat_ids(on)
        by_id = {r.id: r for r in roster}
        people = [by_id[i] for i in seat_ids if i in by_id]  # a 委员 no longer on the roster is not expected
    else:  # 谈心谈话: whoever took part is added by hand
        people = []
    return people


def admitted_that_day(m: members_mod.Member, on: dt.date) -> bool:
    """Joined the Party on that day: admitted as 预备党员 by a 支部大会 held that day (a transfer-in keeps their
    earlier 加入党组织日期)."""
    return m.joined_on == on


def admitted_on(ledger: Ledger, on: dt.date) -> set[int]:
    """Ids of the members admitted on that day (not expected at that day's meetings)."""
    return {m.id for m in members_mod.list_members(ledger) if m.id is not None and admitted_that_day(m, on)}


def category_on(ledger: Ledger, member_id: int, on: dt.date) -> str:
    for r in members_mod.roster_on(ledger, on):
        if r.id == member_id:
            return r.category
    try:
        return members_mod.get(ledger, member_id).category
    except KeyError:
        return "full"


def _expected_ids(ledger: Ledger, m: Meeting, cache: RosterCache | None = None) -> set[int] | None:
    if m.date is None or not m.kinds or "talk" in m.kinds and len(m.kinds) == 1:
        return None
    # the member's own id, not MemberOn.id's property call (44,000 of them in the findings at 500 members), whose
    # assert told mypy what holds here too: a member on the roster is a stored one, its id set
    return {r.member.id for r in _expected_people(ledger, m.date, m.kinds, m.group_id, cache)}  # type: ignore[misc]


def _fill_categories(ledger: Ledger, m: Meeting) -> None:
    if m.date is None:
        return
    withheld = no_vote_ids(ledger, m.date)
    for a in m.attendance:
        a.no_vote = withheld.get(a.member_id)
    if all(a.category is not None for a in m.attendance):
        return  # every category known: the roster is not needed
    roster = {r.id: r.category for r in members_mod.roster_on(ledger, m.date)}
    for a in m.attendance:
        if a.category is None:
            a.category = roster.get(a.member_id) or category_on(ledger, a.member_id, m.date)
