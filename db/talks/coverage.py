"""The year's 谈心谈话 coverage (TX01) as a matrix per member and category, who is still owed a talk, the
talks before each 组织生活会 (TX05), and the 六必谈 triggers still waiting for their talk (TX07)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db import members as members_mod
from db.committee.terms import list_terms
from db.rules.orglife import CATEGORIES, in_talk_window, talk_category
from db.talks.model import Talk
from db.talks.store import list_talks

if TYPE_CHECKING:
    from db.connection import Ledger


class Seats:
    """Who held a committee seat (支委, or the lone 书记) on a date, from one read of the terms."""

    def __init__(self, ledger: Ledger) -> None:
        self.terms = list_terms(ledger)

    def ids_on(self, day: dt.date) -> set[int]:
        out: set[int] = set()
        for t in self.terms:
            if t.active_on(day):
                out |= {s.member_id for s in t.seats_on(day)}
        return out


@dataclass
class CoverageRow:
    """One member's talks of the year by category; `missing` names the categories still owed (TX01)."""

    member_id: int
    name: str
    on_committee: bool
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    total: int = 0
    last_on: dt.date | None = None
    missing: dict[str, list[str]] = field(default_factory=dict)  # category -> what is owed, in words

    def cell(self, category: str) -> str:
        """What the matrix shows: the count, or — where the category does not apply to this member."""
        if category == "committee_committee" and not self.on_committee:
            return "—"
        if category == "member_member" and self.on_committee:
            return "—"
        n = self.counts[category]
        return f"{n}" if category not in self.missing else f"{n}（缺）"


def talk_rule(ledger: Ledger) -> str:
    return str(ledger.setting("talk_rule", "minimum"))


def coverage(ledger: Ledger, year: int, as_of: dt.date | None = None) -> list[CoverageRow]:
    """TX01 for a year, with talks held on or before `as_of` (default: the year end). The members are those on
    the roster on that day; the 支委 those holding a seat then. Minimum reading (setting `talk_rule`): (a) every
    pair of 支委, (b) every 党员 with a 支委, (c) every 党员 with another 党员; `every_pair`: (b) with each 支委."""
    day = min(as_of or dt.date(year, 12, 31), dt.date(year, 12, 31))
    seats = Seats(ledger)
    committee = seats.ids_on(day)
    roster = members_mod.roster_on(ledger, day)
    names = {r.id: r.name for r in roster}
    rows = {r.id: CoverageRow(r.id, r.name, r.id in committee) for r in roster}
    pairs: set[frozenset[int]] = set()
    with_committee: dict[int, set[int]] = {}
    for t in list_talks(ledger, year, until=day):
        on = seats.ids_on(t.held_on)
        cat = talk_category(t.talker_id in on, t.member_id in on)
        pairs.add(frozenset((t.talker_id, t.member_id)))
        for me in (t.talker_id, t.member_id):
            row = rows.get(me)
            if row is None:
                continue
            row.counts[cat] += 1
            row.total += 1
            row.last_on = t.held_on
            if t.other(me) in on:
                with_committee.setdefault(me, set()).add(t.other(me))
    every_pair = talk_rule(ledger) == "every_pair"
    for row in rows.values():
        if row.on_committee:
            owed = [
                names[c]
                for c in sorted(committee)
                if c != row.member_id and c in names and frozenset((c, row.member_id)) not in pairs
            ]
            if owed:
                row.missing["committee_committee"] = owed
            continue
        if every_pair:
            owed = [
                names[c]
                for c in sorted(committee)
                if c in names and c not in with_committee.get(row.member_id, set())
            ]
            if owed:
                row.missing["committee_member"] = owed
        elif committee and not row.counts["committee_member"]:
            row.missing["committee_member"] = ["支委"]
        if len(roster) - len(committee) > 1 and not row.counts["member_member"]:
            row.missing["member_member"] = ["其他党员"]
    return sorted(rows.values(), key=lambda r: (not r.on_committee, r.member_id))


@dataclass(frozen=True)
class OrgLifeTalks:
    """A 组织生活会 and the talks held within the window before it (TX05)."""

    meeting_id: int
    date: dt.date
    talks: int
    meetings: int  # 谈心谈话 meetings (a meeting record of kind `talk`) in the window

    @property
    def covered(self) -> bool:
        return self.talks + self.meetings > 0


def window_days(ledger: Ledger) -> int:
    return int(ledger.setting("talk_window_days", 30))


def org_life_talks(ledger: Ledger, year: int, as_of: dt.date) -> list[OrgLifeTalks]:
    """Each 组织生活会 of the year held on or before `as_of`, with the talks of its window."""
    days = window_days(ledger)
    out = []
    lives = ledger.query(
        "SELECT DISTINCT m.id, m.date FROM meetings m JOIN meeting_kinds k ON k.meeting_id=m.id "
        "WHERE k.kind='org_life' AND m.date BETWEEN ? AND ? ORDER BY m.date",
        (f"{year}-01-01", min(f"{year}-12-31", as_of.isoformat())),
    )
    # only the days of the talks up to the date (list_talks would make a Talk of each, years of them)
    talk_days = [
        dt.date.fromisoformat(r[0])
        for r in ledger.rows(
            "SELECT held_on FROM talks WHERE held_on <= ? ORDER BY held_on, id", (as_of.isoformat(),)
        )
    ]
    meeting_days = [
        dt.date.fromisoformat(r[0])
        for r in ledger.query(
            "SELECT m.date FROM meetings m JOIN meeting_kinds k ON k.meeting_id=m.id WHERE k.kind='talk' AND m.date<=?",
            (as_of.isoformat(),),
        )
    ]
    for r in lives:
        d = dt.date.fromisoformat(r["date"])
        out.append(
            OrgLifeTalks(
                int(r["id"]),
                d,
                sum(1 for x in talk_days if in_talk_window(x, d, days)),
                sum(1 for x in meeting_days if in_talk_window(x, d, days)),
            )
        )
    return out


@dataclass(frozen=True)
class Pending:
    """A 六必谈 trigger (TX07) still waiting for its talk: the member, the trigger and the day it arose."""

    member_id: int
    name: str
    trigger: str
    since: dt.date


def pending_triggers(ledger: Ledger, as_of: dt.date, days: int = 90) -> list[Pending]:
    """Triggers the ledger knows of in the `days` before `as_of` — 批准为预备党员 (joined_on), 转正 (full_on), 组织关系转入
    (in_branch_since), a 基本合格/不合格 等次 to feed back — with no talk with that member on or after that day."""
    start = as_of - dt.timedelta(days=days)
    talks = list_talks(ledger, until=as_of)
    out: list[Pending] = []

    def talked_since(member_id: int, since: dt.date) -> bool:
        return any(t.member_id == member_id and t.held_on >= since for t in talks)

    for mo in members_mod.roster_on(ledger, as_of):
        m = mo.member
        events = [
            ("admitted", m.joined_on if m.in_branch_since in (None, m.joined_on) else None),
            ("full", m.full_on),
            (
                "transfer_in",
                m.in_branch_since if m.in_branch_since and m.in_branch_since != m.joined_on else None,
            ),
        ]
        for trig, day in events:
            if day and start <= day <= as_of and not talked_since(m.id or 0, day):
                out.append(Pending(mo.id, mo.name, trig, day))
    for r in ledger.query(
        "SELECT r.member_id, a.held_on FROM appraisal_results r JOIN appraisals a ON a.id=r.appraisal_id "
        "WHERE r.grade IN ('basic', 'unqualified') AND a.held_on BETWEEN ? AND ?",
        (start.isoformat(), as_of.isoformat()),
    ):
        day = dt.date.fromisoformat(r[1])
        if not talked_since(int(r[0]), day):
            out.append(
                Pending(int(r[0]), members_mod.names(ledger).get(int(r[0]), ""), "appraisal_feedback", day)
            )
    return sorted(out, key=lambda p: (p.since, p.member_id))


__all__ = [
    "CoverageRow",
    "OrgLifeTalks",
    "Pending",
    "Seats",
    "Talk",
    "coverage",
    "org_life_talks",
    "pending_triggers",
]
