"""Finding L07: no 元旦春节 visit recorded for a registered 困难党员/老党员 (JG07, a reminder from 1 December to the
end of February; RULES-EXT.md §13.2)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import members as members_mod
from db.care.model import SEASON_CATEGORIES, season_bounds, season_of, visited_in_season
from db.care.store import list_register, list_visits
from db.findings import Finding, provider

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("care")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    year = season_of(as_of)
    if year is None:
        return []
    names = {r.id: r.name for r in members_mod.roster_on(ledger, as_of)}
    visits = list_visits(ledger)
    _lo, hi = season_bounds(year)
    out: list[Finding] = []
    seen: set[int] = set()
    for e in list_register(ledger):
        name = names.get(e.member_id)
        if (
            name is None
            or e.member_id in seen
            or e.category not in SEASON_CATEGORIES
            or not e.active_on(as_of)
        ):
            continue
        seen.add(e.member_id)
        if visited_in_season(visits, e.member_id, year, as_of):
            continue
        out.append(
            Finding(
                "L07",
                "reminder",
                "member",
                e.member_id,
                name,
                f"{year}年元旦春节期间尚未登记对{e.category_label}{name}的走访慰问（春节前完成）",
                period=str(year),
                due=hi,
            )
        )
    return out
