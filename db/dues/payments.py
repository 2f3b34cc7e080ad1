"""Collecting 党费 (RULES.md §2.2): RecordMonth, the one monthly action (everyone who owes for the month paid the
standard amount, except the exceptions the secretary names; quarterly payers are left for their quarter);
RecordPayment for one member and one or more months (补交 and 预交 within the limits in settings); the quarterly
payment with the branch's consent; DeletePayment. Each is refused whole, with the reasons, when any part of it is
not allowed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from db.dates import iso
from db.dues.book import DuesBook
from db.dues.model import Payment, _refuse
from db.dues.reads import _member_name
from db.errors import InputRefused, Problem
from db.rules.dues import ZERO, money, money_text, month_index, month_zh

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass
class MonthRecorded:
    recorded: int = 0
    total: Decimal = ZERO
    already: list[str] = field(default_factory=list)  # names already recorded for the month
    unpaid: list[str] = field(default_factory=list)
    quarterly: list[str] = field(default_factory=list)  # quarterly payers left for their quarter

    def describe(self) -> str:
        parts = [f"已登记 {self.recorded} 人，共 {self.total:,.2f} 元"]
        if self.unpaid:
            parts.append("未交：" + "、".join(self.unpaid))
        if self.quarterly:
            parts.append("按季交纳（未计入）：" + "、".join(self.quarterly))
        if self.already:
            parts.append(f"此前已登记 {len(self.already)} 人")
        return "；".join(parts)


_INSERT = (
    "INSERT INTO dues_payments(member_id, month, amount, paid_on, method, collector, notes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _values(p: Payment) -> tuple[object, ...]:
    return (p.member_id, p.month, money_text(p.amount), iso(p.paid_on), p.method, p.collector, p.notes)


def _insert_payment(ledger: Ledger, p: Payment) -> int:
    cur = ledger.conn.execute(_INSERT, _values(p))
    return int(cur.lastrowid or 0)


def record_month(
    ledger: Ledger,
    month: str,
    paid_on: dt.date,
    *,
    method: str = "cash",
    collector: str | None = None,
    unpaid: Iterable[int] = (),
    amounts: Mapping[int, Decimal] | None = None,
) -> MonthRecorded:
    """RecordMonth — the one monthly action: everyone who owes for the month and has nothing recorded yet paid the
    standard amount on `paid_on`, except the members in `unpaid` (did not pay) and in `amounts` (paid another
    amount). Quarterly payers are left out unless they are in `amounts`. Refused whole if the 补交/预交 limits
    are passed."""
    amounts = dict(amounts or {})
    unpaid_set = set(unpaid)
    book = DuesBook.shared(ledger)  # read only: the book of the ledger as it is (kept until it changes)
    i = month_index(month)
    res = MonthRecorded()
    problems: list[Problem] = []
    todo: list[Payment] = []
    for mid, amt in amounts.items():
        if mid in book.people and book.opening(mid, i) == "elsewhere" and money(amt) > 0:
            problems.append(
                Problem(
                    f"{book.people[mid].name}{month_zh(month)}的党费已在流入地党组织交纳，不能重复登记（LD08）"
                )
            )
        if mid not in book.people or not book.belongs(mid, i):
            name = book.people[mid].name if mid in book.people else str(mid)
            problems.append(Problem(f"{name}在{month_zh(month)}不在本支部，不能登记党费"))
        elif money(amt) < 0:
            problems.append(Problem(f"{book.people[mid].name}的金额不能为负数"))
    timing = book.timing_problem(i, paid_on)
    if timing:
        problems.append(Problem(timing))
    for mid, person in book.people.items():
        if not book.belongs(mid, i):
            continue
        due = book.due(mid, i)
        if book.paid(mid, i) != 0:
            if due > 0 or mid in amounts:
                res.already.append(person.name)
            continue
        if book.opening(mid, i) == "paid" and mid not in amounts:  # paid on paper (党费已交至, issue #15)
            res.already.append(person.name)
            continue
        if mid in unpaid_set:
            res.unpaid.append(person.name)
            continue
        if mid in amounts:
            amt = money(amounts[mid])
            if amt == 0:
                res.unpaid.append(person.name)
                continue
        else:
            if due <= 0:
                continue
            b = book.base_for(mid, i)
            if b is not None and b.quarterly:
                res.quarterly.append(person.name)
                continue
            amt = due
        todo.append(Payment(None, mid, month, amt, paid_on, method, collector))
    if problems:
        raise InputRefused(problems, f"{month_zh(month)}党费未登记")
    with ledger.operation("RecordMonth", f"登记{month_zh(month)}党费（{len(todo)}人）") as op:
        # in the order of `todo`, one statement run for each (498 payments at 500 members)
        ledger.conn.executemany(_INSERT, [_values(p) for p in todo])
        for p in todo:
            res.recorded += 1
            res.total += p.amount
        op.value = res
    return res


def record_payment(
    ledger: Ledger,
    member_id: int,
    months: Iterable[str],
    paid_on: dt.date,
    *,
    amount: Decimal | None = None,
    method: str = "cash",
    collector: str | None = None,
    notes: str | None = None,
) -> list[int]:
    """RecordPayment: one member pays for one or more months (补交 of past months, 预交 of coming ones).
    `amount` is per month; default: what is still owed for each month. Refused whole, with the reason, beyond
    the 补交/预交 limits (settings), for months the member was not in the branch, or for months already paid."""
    book = DuesBook.shared(ledger)  # read only: the book of the ledger as it is (kept until it changes)
    name = _member_name(ledger, member_id)
    problems: list[Problem] = []
    todo: list[Payment] = []
    keys = sorted(set(months))
    if not keys:
        raise _refuse("请选择要交纳的月份")
    for key in keys:
        i = month_index(key)
        if not book.belongs(member_id, i):
            problems.append(Problem(f"{name}在{month_zh(key)}不在本支部（或尚未成为预备党员），不需交纳"))
            continue
        if book.opening(member_id, i) == "elsewhere":
            problems.append(Problem(f"{name}{month_zh(key)}的党费已在流入地党组织交纳，不能重复登记（LD08）"))
            continue
        timing = book.timing_problem(i, paid_on)
        if timing:
            problems.append(Problem(timing))
            continue
        owed = book.due(member_id, i) - book.paid(member_id, i)
        amt = money(amount) if amount is not None else owed
        if amt <= 0:
            problems.append(
                Problem(
                    f"{name}{month_zh(key)}的党费已交清"
                    if amount is None
                    else f"{month_zh(key)}的金额应大于0"
                )
            )
            continue
        todo.append(Payment(None, member_id, key, amt, paid_on, method, collector, notes))
    if problems:
        raise InputRefused(problems, f"{name}的党费未登记")
    span = month_zh(keys[0]) + (f"至{month_zh(keys[-1])}" if len(keys) > 1 else "")
    with ledger.operation("RecordPayment", f"登记党费：{name} {span}") as op:
        op.value = [_insert_payment(ledger, p) for p in todo]
    return list(op.value)


def record_quarter(
    ledger: Ledger,
    member_id: int,
    year: int,
    quarter: int,
    paid_on: dt.date,
    *,
    method: str = "cash",
    collector: str | None = None,
) -> list[int]:
    """Quarterly payment with the branch's consent (党费规定 第十二条): the three months of the quarter at once."""
    book = DuesBook.shared(ledger)  # read only: the book of the ledger as it is (kept until it changes)
    name = _member_name(ledger, member_id)
    months = [f"{year:04d}-{m:02d}" for m in range(3 * quarter - 2, 3 * quarter + 1)]
    b = book.base_for(member_id, month_index(months[0])) if member_id in book.people else None
    if b is None or not b.quarterly:
        raise _refuse(f"{name}未经支部同意按季度交纳党费（在党费核定中勾选“按季度交纳”）")
    owed = [
        m
        for m in months
        if book.belongs(member_id, month_index(m))
        and book.due(member_id, month_index(m)) > book.paid(member_id, month_index(m))
    ]
    if not owed:
        raise _refuse(f"{name}{year}年第{quarter}季度的党费已交清")
    return record_payment(
        ledger,
        member_id,
        owed,
        paid_on,
        method=method,
        collector=collector,
        notes=f"按季度交纳（{year}年第{quarter}季度）",
    )


def delete_payment(ledger: Ledger, payment_id: int) -> None:
    row = ledger.query_one("SELECT member_id, month FROM dues_payments WHERE id=?", (payment_id,))
    if row is None:
        raise KeyError(payment_id)
    with ledger.operation(
        "DeletePayment", f"删除党费记录：{_member_name(ledger, row[0])} {month_zh(row[1])}"
    ):
        ledger.conn.execute("DELETE FROM dues_payments WHERE id=?", (payment_id,))
