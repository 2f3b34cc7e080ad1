"""Plain reads of the dues records: one 核定 with its 年薪制 months, a year's or a member's 核定 rows, payments by
member or month, each member's last payment date, and the last 收款人 (the collector the payment form starts
with). Also the member-name lookup that the 核定 and payment operations share for their refusals and audit labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from db.dues.book import DuesBook
from db.dues.model import DuesBase, Payment, _base_from_row, _month_base_from_row, _payment_from_row, _refuse

if TYPE_CHECKING:
    from db.connection import Ledger


def bases_of_year(ledger: Ledger, year: int) -> list[DuesBase]:
    book = DuesBook(ledger)
    return [b for p in book.people.values() for b in p.bases if b.year == year]


def bases_of_member(ledger: Ledger, member_id: int) -> list[DuesBase]:
    """All 核定 rows of a member, oldest first: the history of bases, kinds and mid-year changes."""
    book = DuesBook(ledger)
    return list(book.people[member_id].bases) if member_id in book.people else []


def get_base(ledger: Ledger, base_id: int) -> DuesBase:
    row = ledger.query_one("SELECT * FROM dues_bases WHERE id=?", (base_id,))
    if row is None:
        raise KeyError(base_id)
    b = _base_from_row(row)
    for r in ledger.query("SELECT * FROM dues_month_bases WHERE base_id=? ORDER BY month", (base_id,)):
        b.month_bases[r["month"]] = _month_base_from_row(r)
    return b


def payments_of(ledger: Ledger, member_id: int | None = None, *, month: str | None = None) -> list[Payment]:
    sql = "SELECT * FROM dues_payments WHERE 1=1"
    params: list[Any] = []
    if member_id is not None:
        sql += " AND member_id=?"
        params.append(member_id)
    if month is not None:
        sql += " AND month=?"
        params.append(month)
    return [_payment_from_row(r) for r in ledger.query(sql + " ORDER BY month, id", params)]


def last_payment(
    ledger: Ledger, as_of: dt.date | None = None, *, member_ids: Iterable[int] | None = None
) -> dict[int, dt.date]:
    """Member id → the last date they paid dues (on or before `as_of` when given); `member_ids`: only those
    members, read by the member index instead of every payment."""
    limit = as_of.isoformat() if as_of else "9999-12-31"
    where = ""
    params: list[object] = [limit]
    wanted = None if member_ids is None else set(member_ids)
    if wanted is not None and len(wanted) <= 500:  # more are read whole (SQLite's limit on parameters)
        if not wanted:
            return {}
        where = f" AND member_id IN ({', '.join('?' * len(wanted))})"
        params += sorted(wanted)
    return {
        r[0]: dt.date.fromisoformat(r[1])
        for r in ledger.query(
            "SELECT member_id, max(paid_on) FROM dues_payments WHERE paid_on IS NOT NULL AND paid_on <= ?"
            + where
            + " GROUP BY member_id",
            params,
        )
        if wanted is None or r[0] in wanted
    }


def last_collector(ledger: Ledger) -> str | None:
    """Who collected the most recent payment that names a collector (the 收款人 the form starts with)."""
    row = ledger.query_one(
        "SELECT collector FROM dues_payments WHERE coalesce(trim(collector), '') != '' "
        "ORDER BY paid_on DESC, id DESC LIMIT 1"
    )
    return str(row[0]).strip() if row else None


def _member_name(ledger: Ledger, member_id: int) -> str:
    name = ledger.scalar("SELECT name FROM members WHERE id=?", (member_id,))
    if name is None:
        raise _refuse(f"没有编号为 {member_id} 的党员")
    return str(name)
