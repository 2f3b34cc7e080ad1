"""The roster as it stood on any date, from the members' current values and their dated history.

`member_history` keeps every change of status, category and 党小组 with its date; `roster_on` replays it so a
meeting of 2024 counts the members of 2024 (people who left later included). Also `history_of`, the dated
changes of one member as the roster screen shows them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.members.model import Member
from db.members.store import list_members

if TYPE_CHECKING:
    from db.connection import Ledger


def _history(ledger: Ledger) -> dict[tuple[int, str], list[tuple[str, str | None, str | None]]]:
    out: dict[tuple[int, str], list[tuple[str, str | None, str | None]]] = {}
    for r in ledger.query(
        "SELECT member_id, field, changed_on, from_value, to_value FROM member_history ORDER BY changed_on, id"
    ):
        out.setdefault((r[0], r[1]), []).append((r[2], r[3], r[4]))
    return out


def _value_on(current: Any, changes: list[tuple[str, str | None, str | None]], on: dt.date) -> Any:
    """The value a field had on a date, from its current value and dated changes."""
    day = on.isoformat()
    before = [c for c in changes if c[0] <= day]
    if before:
        return before[-1][2]
    if changes:
        return changes[0][1]
    return current


@dataclass(frozen=True)
class MemberOn:
    """A member as they stood on a date: in the branch, with that day's category and 党小组."""

    member: Member
    category: str
    group_id: int | None

    @property
    def id(self) -> int:
        assert self.member.id is not None
        return self.member.id

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def can_vote(self) -> bool:
        """Only 正式党员 vote (党章 第七条; RULES.md §1.2)."""
        return self.category == "full"


def category_on(
    m: Member, on: dt.date, history: list[tuple[str, str | None, str | None]] | None = None
) -> str:
    if m.full_on and m.full_on <= on:
        return "full"
    if m.joined_on and m.joined_on <= on and (m.full_on is None or m.full_on > on):
        if m.category == "full" and m.full_on is None:
            return "full"
        return "probationary"
    if history:
        return str(_value_on(m.category, history, on))
    return m.category


def in_branch_on(
    m: Member, on: dt.date, status_history: list[tuple[str, str | None, str | None]] | None = None
) -> bool:
    """Whether the member belonged to the branch (and was in good standing) on that date."""
    since = m.in_branch_since or m.joined_on
    if since and since > on:
        return False
    status = _value_on(m.status, status_history or [], on) if status_history else None
    if status is None:
        if m.status == "active" or m.status_changed_on and m.status_changed_on > on:
            status = "active"
        else:
            status = m.status
    return status == "active"


def roster_on(ledger: Ledger, on: dt.date, *, group_id: int | None = None) -> list[MemberOn]:
    """The roster as it stood on a date: members then in the branch (people who left later included). Read
    through one RosterIndex kept until the members or their history change (a check of the findings asks for
    a dozen dates); inside an operation, which may just have changed them, read afresh."""
    if ledger.in_operation:
        return read_roster_on(ledger, on, group_id=group_id)
    index: RosterIndex = ledger.memo_reads("members.roster_index", lambda: RosterIndex(ledger))
    if group_id is not None:
        return [r for r in index.on(on) if r.group_id == group_id]
    return list(index.on(on))  # the caller's own list: what is kept is not touched


def read_roster_on(ledger: Ledger, on: dt.date, *, group_id: int | None = None) -> list[MemberOn]:
    """`roster_on` read from the tables, nothing kept."""
    hist = _history(ledger)
    out: list[MemberOn] = []
    for m in list_members(ledger):
        assert m.id is not None
        if not in_branch_on(m, on, hist.get((m.id, "status"))):
            continue
        g = _value_on(m.group_id, hist.get((m.id, "group_id"), []), on)
        gid = int(g) if g not in (None, "") else None
        if group_id is not None and gid != group_id:
            continue
        out.append(MemberOn(m, category_on(m, on, hist.get((m.id, "category"))), gid))
    return out


_UNSET = object()  # a standing not worked out yet


class RosterIndex:
    """`roster_on` for many dates from one read of the members and their history. A member's standing changes
    only on the days named in their own dates and history (every test in `roster_on` is "that day <= the
    date"): it is worked out once per such stretch of days, and the roster once per stretch between any two."""

    def __init__(self, ledger: Ledger) -> None:
        self.members = list_members(ledger)
        self.hist = _history(ledger)
        own: dict[int, set[str]] = {}
        for (mid, _field), changes in self.hist.items():
            own.setdefault(mid, set()).update(c[0] for c in changes if c[0])
        # each member with their own break days and their standing in each stretch between them (worked out
        # when first asked for; _UNSET until then)
        self._own: list[tuple[Member, list[str], list[MemberOn | None | object]]] = []
        days: set[str] = set()
        for m in self.members:
            assert m.id is not None
            mine = own.get(m.id, set())
            for d in (m.in_branch_since, m.joined_on, m.full_on, m.status_changed_on):
                if d is not None:
                    mine.add(d.isoformat())
            self._own.append((m, sorted(mine), [_UNSET] * (len(mine) + 1)))
            days |= mine
        self._breaks = sorted(days)
        self._on: dict[dt.date, list[MemberOn]] = {}
        self._by_stretch: dict[int, list[MemberOn]] = {}
        # the members (by position) with each break day among their own: whose standing a stretch that begins on
        # that day may change
        self._at: dict[str, list[int]] = {}
        for pos, (_m, own_days, _standing) in enumerate(self._own):
            for break_day in own_days:
                self._at.setdefault(break_day, []).append(pos)
        # every member's standing in the stretch built last (None: not on the roster then), and that stretch: the
        # next stretch looks again only at the members whose own break days lie between the two (two years of
        # meetings of a 500-member branch are some 90 stretches, each of which looked at all 500)
        self._cur: list[MemberOn | None] = []
        self._cur_stretch = -1

    def on(self, day: dt.date) -> list[MemberOn]:
        """The roster on that day, as `roster_on(ledger, day)` gives it (shared: do not change it)."""
        got = self._on.get(day)
        if got is not None:
            return got
        stretch = bisect.bisect_right(self._breaks, day.isoformat())
        got = self._by_stretch.get(stretch)
        if got is None:
            got = self._by_stretch[stretch] = self._build(day, stretch)
        self._on[day] = got
        return got

    def _build(self, day: dt.date, stretch: int) -> list[MemberOn]:
        iso = day.isoformat()
        last = self._cur_stretch
        crossed = self._breaks[min(last, stretch) : max(last, stretch)] if last >= 0 else None
        moved = None if crossed is None else [pos for d in crossed for pos in self._at[d]]
        if moved is None or len(moved) > len(self._own):  # the first, or a long way from the last: everyone
            self._cur = [self._standing(pos, day, iso) for pos in range(len(self._own))]
        else:
            cur = self._cur
            for pos in moved:
                cur[pos] = self._standing(pos, day, iso)
        self._cur_stretch = stretch
        return [got for got in self._cur if got is not None]

    def _standing(self, pos: int, day: dt.date, iso: str) -> MemberOn | None:
        """The member at `pos` as they stood on the day (None: not on the roster), worked out once per stretch
        between their own break days."""
        m, mine, standing = self._own[pos]
        k = bisect.bisect_right(mine, iso)
        got = standing[k]
        if got is _UNSET:
            got = standing[k] = self._member_on(m, day)
        assert got is None or isinstance(got, MemberOn)
        return got

    def _member_on(self, m: Member, day: dt.date) -> MemberOn | None:
        assert m.id is not None
        hist = self.hist
        if not in_branch_on(m, day, hist.get((m.id, "status"))):
            return None
        g = _value_on(m.group_id, hist.get((m.id, "group_id"), []), day)
        gid = int(g) if g not in (None, "") else None
        return MemberOn(m, category_on(m, day, hist.get((m.id, "category"))), gid)


def counts_on(ledger: Ledger, on: dt.date) -> dict[str, int]:
    roster = roster_on(ledger, on)
    full = sum(1 for r in roster if r.category == "full")
    return {"total": len(roster), "full": full, "probationary": len(roster) - full}


def history_of(ledger: Ledger, member_id: int) -> list[sqlite3.Row]:
    return ledger.query(
        "SELECT field, from_value, to_value, changed_on, reason FROM member_history WHERE member_id=? "
        "ORDER BY changed_on, id",
        (member_id,),
    )
