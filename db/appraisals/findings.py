"""Findings O01 (a 正式党员 without an 等次 once the year's 评议 was held), O02 (优秀 above the share allowed) and
O03 (an 等次 given to a 预备党员, or without the decision it rests on); RULES-EXT.md §8 MP01, MP03, MP05, MP06,
MP08."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import members as members_mod
from db.appraisals.model import Appraisal
from db.appraisals.store import get_appraisal, meeting_kinds
from db.dates import fmt_zh, from_iso
from db.findings import Finding, provider
from db.members.history import RosterIndex
from db.rules.orglife import DECISION_KINDS, appraisal_level, excellent_cap, excellent_over

if TYPE_CHECKING:
    from db.connection import Ledger


def start_on(ledger: Ledger) -> dt.date | None:
    """Where the electronic ledger starts (`records_start_on`, when the branch has set it)."""
    value = ledger.setting("records_start_on")
    try:
        return from_iso(value) if value else None
    except ValueError:
        return None


def held_on(ledger: Ledger, year: int, as_of: dt.date) -> tuple[Appraisal | None, dt.date | None]:
    """The year's 评议 and the day it was held, if on or before `as_of`: the 评议 record, else the first
    民主评议 meeting of the year (results not yet entered)."""
    a = get_appraisal(ledger, year)
    if a is not None:
        return a, a.held_on if a.held_on <= as_of else None
    first = ledger.scalar(
        "SELECT min(m.date) FROM meetings m JOIN meeting_kinds k ON k.meeting_id=m.id "
        "WHERE k.kind='appraisal' AND m.date BETWEEN ? AND ?",
        (f"{year}-01-01", min(f"{year}-12-31", as_of.isoformat())),
    )
    return None, from_iso(first)


def denominator(ledger: Ledger, a: Appraisal, on: dt.date) -> tuple[int, str]:
    """MP06: the D of 优秀 ≤ D/3 and what it is, per the `appraisal_denominator` setting (local practice)."""
    if ledger.setting("appraisal_denominator", "rated") == "all":
        return len(members_mod.roster_on(ledger, on)), "党员总数（含预备党员）"
    return sum(1 for r in a.results if r.grade), "参加评定等次的正式党员"


@provider("appraisals")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    out: list[Finding] = []
    start = start_on(ledger)
    for year in (as_of.year - 1, as_of.year):
        a, day = held_on(ledger, year, as_of)
        if day is None or (start and day < start):
            continue
        out.extend(_missing(ledger, year, a, day, as_of))
        if a is None:
            continue
        out.extend(_share(ledger, a, day))
        out.extend(_wrong(ledger, a, day))
    return out


def _missing(ledger: Ledger, year: int, a: Appraisal | None, day: dt.date, as_of: dt.date) -> list[Finding]:
    level = appraisal_level(day, as_of)
    if level is None:
        return []
    hist = members_mod._history(ledger)
    out = []
    for mo in members_mod.roster_on(ledger, day):
        if members_mod.category_on(mo.member, day, hist.get((mo.id, "category"))) != "full":
            continue
        r = a.result_for(mo.id) if a else None
        if r is not None and r.settled and r.participation != "probationary":
            continue
        out.append(
            Finding(
                "O01",
                level,
                "member",
                mo.id,
                mo.name,
                f"{year}年民主评议已于{fmt_zh(day)}进行，{mo.name}（正式党员）还没有评定等次，"
                "也没有记录在流入地评议或不参加的原因",
                period=str(year),
                due=dt.date(year, 12, 31),
            )
        )
    return out


def _share(ledger: Ledger, a: Appraisal, day: dt.date) -> list[Finding]:
    if ledger.setting("appraisal_excellent_cap", "third") == "none":
        return []
    excellent = sum(1 for r in a.results if r.grade == "excellent")
    d, what = denominator(ledger, a, day)
    if not excellent_over(excellent, d):
        return []
    return [
        Finding(
            "O02",
            "warning",
            "appraisal",
            a.id,
            f"{a.year}年民主评议",
            f"{a.year}年评定优秀{excellent}人，超过{what}{d}人的三分之一（最多{excellent_cap(d)}人）；"
            "优秀一般不超过党员总数的1/3（分母口径见“设置”，地方惯例）",
            period=str(a.year),
        )
    ]


def _wrong(ledger: Ledger, a: Appraisal, day: dt.date) -> list[Finding]:
    hist = members_mod._history(ledger)
    out = []
    # the members and the decision meetings' kinds read once, not once per result (a query or two each)
    index = (
        RosterIndex(ledger)
        if ledger.in_operation
        else ledger.memo_reads("members.roster_index", lambda: RosterIndex(ledger))
    )
    people = {m.id: m for m in index.members}
    decided: dict[int, tuple[str, ...] | None] = {}
    for r in a.results:
        if not r.grade:
            continue
        m = people.get(r.member_id)
        if m is None:
            raise KeyError(r.member_id)  # as members.get
        why = []
        if (
            members_mod.category_on(m, day, hist.get((r.member_id, "category"))) == "probationary"
            or r.participation == "probationary"
        ):
            why.append(f"{fmt_zh(day)}时是预备党员，预备党员参加评议但不评定等次")
        kinds = None
        if r.decision_id is not None:
            if r.decision_id not in decided:
                decided[r.decision_id] = meeting_kinds(ledger, r.decision_id)
            kinds = decided[r.decision_id]
        if kinds is None:
            why.append("没有链接作出评定意见的支委会或党员大会")
        elif not set(kinds) & set(DECISION_KINDS):
            why.append("所链接的会议不是支委会或党员大会")
        if why:
            out.append(
                Finding(
                    "O03",
                    "error",
                    "member",
                    r.member_id,
                    m.name,
                    # no 等次 by name here: the masked package carries findings, grades only as counts
                    f"{a.year}年民主评议：{m.name}被评定了等次，但" + "；".join(why),
                    period=str(a.year),
                )
            )
    return out
