"""The month-by-month views of the dues: a year's grid (one `YearRow` per member who belonged in any month of the
year, twelve `MonthCell`s with due, paid and the unpaid streak) that the 党费 screen, the exports and `ledger dues`
show; the year's totals for the dashboard and the report package; one member's history from their first 核定;
and "党费已交到 X年X月" for the 组织关系介绍信. All of it is read from the `DuesBook`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from db import clock
from db.dues.book import DuesBook, copied, past_with, touched_payments
from db.dues.model import DuesBase, _idx
from db.dues.reads import bases_of_member, payments_of
from db.dues.remittance import list_remittances, period_year
from db.rules.dues import ZERO, money_text, month_index, month_key_of

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass
class MonthCell:
    month: str
    due: Decimal
    paid: Decimal
    unpaid_streak: int
    belongs: bool
    past: bool
    # "paid" 期初已交 (党费已交至 from paper) / "paper" 期初 (before the ledger's start) / None
    opening: str | None = None

    @property
    def short(self) -> Decimal:
        return max(self.due - self.paid, ZERO)


@dataclass
class YearRow:
    member_id: int
    name: str
    base: DuesBase | None
    months: list[MonthCell]
    monthly_due: Decimal
    rate: Decimal | None

    @property
    def total_due(self) -> Decimal:
        return sum((c.due for c in self.months), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((c.paid for c in self.months), ZERO)

    @property
    def streak(self) -> int:
        """The longest streak shown in the year (for highlighting)."""
        return max((c.unpaid_streak for c in self.months), default=0)


def year_rows(
    ledger: Ledger, year: int, *, as_of: dt.date | None = None, book: DuesBook | None = None
) -> list[YearRow]:
    """Per member who belonged in any month of the year: the 核定 in effect and the 12 months. From the shared
    book, kept per year and day until an operation changes a table it read (the 工作台, 党费 and 园区工作 each
    ask for the year: 500 members are 6,000 cells); a book of the caller's own is read as it is."""
    as_of = as_of or clock.today()
    if book is not None or ledger.in_operation:
        return read_year_rows(ledger, year, as_of, book or DuesBook.shared(ledger))
    kept: list[YearRow] = ledger.memo_reads(
        f"dues.year_rows.{year}.{as_of.isoformat()}",
        lambda: read_year_rows(ledger, year, as_of, DuesBook.shared(ledger)),
        lambda rows, changed, since: _updated_rows(ledger, rows, changed, since, year, as_of),
    )
    return list(kept)  # the caller's own list (the rows are shared: read them, do not change them)


def _updated_rows(
    ledger: Ledger, rows: list[YearRow], changed: set[str], since: int, year: int, as_of: dt.date
) -> list[YearRow] | None:
    """The kept year brought up to date after operations that changed only payments (recording a month, a
    payment, their undo): a payment changes what was paid in its month and the unpaid streaks from that month
    on, nothing else of the grid (who belongs, the 核定, what is due, 期初 and which months are over do not read
    payments). The rows of members whose payments did not change in or before the year are kept as they are;
    the others are copied with their cells from the earliest changed month read again from the updated book.
    None (read afresh) when another table changed too, or too much changed."""
    if changed != {"dues_payments"}:
        return None
    touched = touched_payments(ledger, since)
    if touched is None:
        return None
    first, last = year * 12, year * 12 + 11
    earliest: dict[int, int] = {}  # member id -> the first month of the year to read again
    for mid, key in touched:
        i = month_index(key)
        if i <= last:  # a payment before the year changes the run carried into January
            earliest[mid] = min(earliest.get(mid, last), max(i, first))
    if not earliest:
        return rows
    book = DuesBook.shared(ledger)
    now = _idx(as_of)
    out: list[YearRow] = []
    for row in rows:
        start = earliest.get(row.member_id)
        if start is None:
            out.append(row)
            continue
        mid = row.member_id
        # from a month not over yet on, every month is not over and has no unpaid streak (`DuesBook.streaks`
        # gives each 0): recording or undoing this month's dues changes no streak, and counting them again for
        # 500 members was 3 of the grid's 5.5 ms
        streaks = book.streaks(mid, last, as_of, since=start) if start < now else {}
        cells = row.months[: start - first]
        for cell, i in zip(row.months[start - first :], range(start, last + 1), strict=True):
            cells.append(copied(cell, paid=book.paid(mid, i, as_of), unpaid_streak=streaks.get(i, 0)))
        out.append(copied(row, months=cells))
    return out


def read_year_rows(ledger: Ledger, year: int, as_of: dt.date, book: DuesBook) -> list[YearRow]:
    """`year_rows` computed from the book, nothing kept."""
    out: list[YearRow] = []
    first, last = year * 12, year * 12 + 11
    now = _idx(as_of)
    keys = [month_key_of(i) for i in range(first, last + 1)]
    for mid in book.member_ids_in_year(year):
        streaks = book.streaks(mid, last, as_of, since=first)  # the run into January counted back
        bases = book.year_bases(mid, year)  # base_for of each month, from one walk
        cells = []
        current = None  # the 核定 of the last month the member belonged
        for k, i in enumerate(range(first, last + 1)):
            b = bases[k]
            belongs = book.belongs(mid, i)
            if belongs:
                current = b
            cells.append(
                MonthCell(
                    keys[k],
                    book.due_with(mid, i, belongs, b),
                    book.paid(mid, i, as_of),
                    streaks.get(i, 0),
                    belongs,
                    past_with(i, b, now),
                    book.opening(mid, i),
                )
            )
        monthly = ZERO
        if current is not None and current.amount is not None:
            monthly = current.amount
        out.append(
            YearRow(mid, book.people[mid].name, current, cells, monthly, current.rate if current else None)
        )
    return out


def paid_up_to(ledger: Ledger, member_id: int, as_of: dt.date | None = None) -> str | None:
    """ "党费已交到 X年X月" for the 组织关系介绍信: the last month of the unbroken run of fully paid months from the
    member's first 核定 (prepaid months included), counting payments made on or before `as_of` when given.
    None when nothing was paid."""
    book = DuesBook.shared(ledger)  # read only: the book of the ledger as it is (kept until it changes)
    if member_id not in book.people:
        return None
    paid = {i for i in book.people[member_id].paid if book.paid(member_id, i, as_of) > 0}
    start = book.first_month(member_id)
    through = book.paid_through.get(member_id)  # 党费已交至 from paper (issue #15)
    if not paid:
        return month_key_of(through) if through is not None else None
    if start is None:
        start = min(paid)
    up_to: int | None = None
    if through is not None:
        up_to = through
        start = through + 1
    for i in range(min(start, min(paid)) if through is None else start, max(paid) + 1):
        due = book.due(member_id, i)
        got = book.paid(member_id, i, as_of)
        if due > 0:
            if got >= due:
                up_to = i
            else:
                break
        elif got > 0:
            up_to = i
    return month_key_of(up_to) if up_to is not None else None


def year_summary(ledger: Ledger, year: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """{"due", "paid", "remitted", "arrears_members"} for the year as of a day (default today): due and paid for
    the months of the year up to that month (payments made by the day); remitted = remittances for periods of the
    year made by the day; arrears_members = members with a past month of the year not fully paid."""
    today = as_of or clock.today()
    upto = min(year * 12 + 11, _idx(today))
    due = paid = ZERO
    arrears = 0
    for r in year_rows(ledger, year, as_of=today):
        short = False
        for k, c in enumerate(r.months):
            if year * 12 + k > upto:
                break
            if c.opening is not None and c.paid == 0:  # settled on paper (期初): counted neither way
                continue
            due += c.due
            paid += c.paid
            if c.past and c.paid < c.due:
                short = True
        arrears += short
    remitted = sum(
        (
            r.amount
            for r in list_remittances(ledger)
            if period_year(r.period) == year and (r.paid_on is None or r.paid_on <= today)
        ),
        ZERO,
    )
    return {
        "due": money_text(due),
        "paid": money_text(paid),
        "remitted": money_text(remitted),
        "arrears_members": arrears,
    }


def member_history(ledger: Ledger, member_id: int, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """A member's dues at a glance: the 核定 rows, every month from the first 核定 to the current month (due, paid,
    streak) and the payments, plus paid_up_to."""
    as_of = as_of or clock.today()
    book = DuesBook.shared(ledger)  # read only: the book of the ledger as it is (kept until it changes)
    start = book.first_month(member_id)
    months: list[MonthCell] = []
    pays = payments_of(ledger, member_id)
    if start is not None or pays:
        lo = start if start is not None else min(month_index(p.month) for p in pays)
        hi = max([_idx(as_of)] + [month_index(p.month) for p in pays])
        streaks = book.streaks(member_id, hi, as_of)
        months = [
            MonthCell(
                month_key_of(i),
                book.due(member_id, i),
                book.paid(member_id, i, as_of),
                streaks.get(i, 0),
                book.belongs(member_id, i),
                book.is_past(member_id, i, as_of),
                book.opening(member_id, i),
            )
            for i in range(lo, hi + 1)
        ]
    streak, _ = book.current_streak(member_id, as_of) if member_id in book.people else (0, 0)
    return {
        "bases": bases_of_member(ledger, member_id),
        "months": months,
        "payments": pays,
        "paid_up_to": paid_up_to(ledger, member_id, as_of),
        "streak": streak,
    }
