"""Findings C01 (an item) and C02 (a 六有 sub-item) not met, or only partly, in the year's self-check."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.checklists.definitions import checklist_names
from db.checklists.results import year_rows
from db.dates import fmt_zh
from db.findings import Finding, provider

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("checklists")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """C01 an item, C02 a 六有 sub-item not met (or only partly) in the year's self-check, 整改 not yet done.

    The year of `as_of` is used; before the year's first check, last year's open gaps are still reported."""
    out: list[Finding] = []
    day = as_of.isoformat()
    for name in checklist_names(ledger, as_of.year):
        year = as_of.year
        checked = ledger.scalar(
            "SELECT count(*) FROM checklist_results WHERE year=? AND checklist=? AND status IS NOT NULL "
            "AND (checked_on IS NULL OR checked_on<=?)",
            (year, name, day),
        )
        if not checked:
            year -= 1
        for row in year_rows(ledger, year, name):
            r = row.result
            if (
                not r.is_gap
                or (r.checked_on and r.checked_on > as_of)
                or (r.rect_done and r.rect_done <= as_of)
            ):
                continue
            what = f"{row.parent.title} — {row.item.title}" if row.parent else row.item.title
            msg = f"{year}年“{name}”自查：{what} {r.status_label}"
            if r.rectification:
                msg += f"；整改措施：{r.rectification}"
                if r.rect_due:
                    msg += f"（{'已超过' if r.rect_due < as_of else ''}期限{fmt_zh(r.rect_due)}）"
            else:
                msg += "；请填写整改措施和整改期限"
            out.append(
                Finding(
                    "C02" if row.parent else "C01",
                    "warning",
                    "checklist_item",
                    r.id,
                    row.item.title,
                    msg,
                    period=str(year),
                    due=r.rect_due,
                )
            )
    return out
