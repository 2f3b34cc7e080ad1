"""The shape of `ledger dues --year Y --json` (CONTRACT.md §2): the year's grid turned into plain JSON values, money
as decimal strings. The CLI prints it, the handover export reads its arrears from it; change it only as the
contract allows (additions)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db.dues.grid import MonthCell, year_rows
from db.rules import dues as rules
from db.rules.dues import money_text

if TYPE_CHECKING:
    from db.connection import Ledger


def dues_report(ledger: Ledger, year: int, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """`ledger dues --year Y --json`, exactly CONTRACT.md §2 (money as decimal strings)."""
    members = []
    for r in year_rows(ledger, year, as_of=as_of):
        b = r.base
        members.append(
            {
                "member_id": r.member_id,
                "name": r.name,
                "kind": b.kind if b else None,
                "base": money_text(b.base) if b else None,
                "rate": rules.rate_text(r.rate),
                "monthly_due": money_text(r.monthly_due),
                "months": [_month(c) for c in r.months],
                "total_due": money_text(r.total_due),
                "total_paid": money_text(r.total_paid),
            }
        )
    return {"year": year, "members": members}


def _month(c: MonthCell) -> dict[str, Any]:
    out: dict[str, Any] = {
        "month": c.month,
        "due": money_text(c.due),
        "paid": money_text(c.paid),
        "unpaid_streak": c.unpaid_streak,
    }
    # settled on paper (issue #15): "paid" 期初已交 or "paper" 期初; absent otherwise
    if c.opening is not None:
        out["opening"] = c.opening
    return out
