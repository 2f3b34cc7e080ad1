"""Finding K01 (RULES-EXT.md §16.1 YQ02, local practice): a past month's 指导清单 item with no 主题党日 linked
and no reason given. The month is past from the day after its last day; a linked meeting dated after the as-of
date does not count yet. Off when the setting `guide_list_check` says so (the upper committee does not ask)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import settings
from db.dates import month_end
from db.findings import Finding, provider
from db.guide_lists.model import MISSED, item_state
from db.guide_lists.store import get_list, years

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("guide_lists")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    if settings.get(ledger, "guide_list_check") == "off":
        return []
    out: list[Finding] = []
    for year in years(ledger):
        if year > as_of.year:
            continue
        gl = get_list(ledger, year)
        if gl is None:
            continue
        for it in gl.items:
            if item_state(year, it, as_of) != MISSED:
                continue
            out.append(
                Finding(
                    "K01",
                    "reminder",
                    "guide_item",
                    it.id,
                    f"{year}年{it.month}月 {it.theme}",
                    f"{year}年{it.month}月主题党日指导清单的“{it.theme}”没有关联已开展的主题党日，也没有说明调整或未开展的原因"
                    "（按园区清单开展，地方惯例）",
                    period=f"{year}-{it.month:02d}",
                    due=month_end(dt.date(year, it.month, 1)),
                )
            )
    return out
