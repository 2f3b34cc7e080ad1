"""Figures of a year: `year_summary` (people by stage at the year's end, admitted and converted; for the
dashboard and the 报送包 manifest) and `yearly_figures` (the development part of 党内统计, RULES.md §6.6).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import clock, members
from db.dates import age_on
from db.development.model import Applicant
from db.development.person import _RosterCache, person_of
from db.development.store import list_applicants
from db.rules import development as rules

if TYPE_CHECKING:
    from db.connection import Ledger


def _stage_on(p: rules.Person, on: dt.date) -> str | None:
    v = rules.as_of_view(p, on)
    if v.d("applied") is None:
        return None
    return rules.derive_stage(v)


def year_summary(ledger: Ledger, year: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """{"by_stage": {stage: int} as of the year's end (or the as-of day, default today, when earlier),
    "admitted": 接收预备党员 in the year, "converted": 转正 (approved) in the year — by that day}."""
    on = min(dt.date(year, 12, 31), as_of or clock.today())
    by_stage = {s: 0 for s in rules.STAGES}
    admitted = converted = 0
    cache = _RosterCache(ledger)
    for a in list_applicants(ledger):
        p = person_of(ledger, a, cache)
        st = _stage_on(p, on)
        if st is not None:
            by_stage[st] += 1
        g, u = p.d("branch_vote"), p.d("full_approved")
        if g is not None and g.year == year and g <= on:
            admitted += 1
        if u is not None and u.year == year and u <= on:
            converted += 1
    return {"by_stage": by_stage, "admitted": admitted, "converted": converted}


def yearly_figures(ledger: Ledger, year: int) -> dict[str, Any]:
    """Development figures for 党内统计 (RULES.md §6.6): people admitted as 预备党员 (支部大会 passed) in the year.

    {"year", "admitted", "women", "minorities", "age_35_under" (age on the 支部大会 day), "college" (大专及以上),
     "frontline" (生产工作一线), "by_occupation": {code: int} (members.OCCUPATION_LABELS codes, "unknown" if
     not given), "converted" (转正 approved in the year), "applied", "activists", "candidates" (new in the year)}
    """
    out: dict[str, Any] = {
        "year": year,
        "admitted": 0,
        "women": 0,
        "minorities": 0,
        "age_35_under": 0,
        "college": 0,
        "frontline": 0,
        "by_occupation": {},
        "converted": 0,
        "applied": 0,
        "activists": 0,
        "candidates": 0,
    }
    occ: dict[str, int] = {}
    for a in list_applicants(ledger):

        def in_year(key: str, a: Applicant = a) -> bool:
            d = a.date_of(key)
            return d is not None and d.year == year

        out["applied"] += in_year("applied")
        out["activists"] += in_year("activist")
        out["candidates"] += in_year("candidate")
        out["converted"] += in_year("full_approved")
        g = a.date_of("branch_vote")
        if g is None or g.year != year:
            continue
        out["admitted"] += 1
        out["women"] += a.gender == "female"
        out["minorities"] += bool(a.ethnicity) and a.ethnicity not in ("汉族", "汉")
        out["age_35_under"] += a.birth_date is not None and age_on(a.birth_date, g) <= 35
        out["college"] += (a.education or "") in members.COLLEGE_OR_ABOVE
        out["frontline"] += bool(a.frontline)
        code = a.occupation or "unknown"
        occ[code] = occ.get(code, 0) + 1
    out["by_occupation"] = occ
    return out
