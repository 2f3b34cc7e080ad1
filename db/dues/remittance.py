"""上缴: the money the branch remits to the upper 党委 (RULES.md §2). Periods are written '2026-Q1', '2026-03',
'2026-H1' or '2026'; the period kind and due day come from settings. Here: reading and labelling periods, the
remittance records, the per-period view of what was collected against what was remitted (with the due date and the
overdue and late flags that P05 uses), and the SaveRemittance / DeleteRemittance operations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from db import clock, settings
from db.dates import add_months, iso
from db.dues.model import Remittance, _month_start, _remittance_from_row
from db.errors import InputRefused, Problem
from db.rules.dues import ZERO, DuesRuleError, money, money_text

if TYPE_CHECKING:
    from db.connection import Ledger
    from db.dues.book import DuesBook


PERIOD_KINDS = {"month": "每月", "quarter": "每季度", "half_year": "每半年"}


def period_months(period: str) -> list[int]:
    """'2026-Q1' / '2026-03' / '2026-H1' / '2026' → the month indexes it covers."""
    p = period.strip().upper()
    try:
        if "-Q" in p:
            y, q = p.split("-Q")
            start = int(y) * 12 + 3 * (int(q) - 1)
            if not 1 <= int(q) <= 4:
                raise ValueError
            return list(range(start, start + 3))
        if "-H" in p:
            y, h = p.split("-H")
            if h not in ("1", "2"):
                raise ValueError
            start = int(y) * 12 + 6 * (int(h) - 1)
            return list(range(start, start + 6))
        if "-" in p:
            y, m = p.split("-")
            if not 1 <= int(m) <= 12:
                raise ValueError
            return [int(y) * 12 + int(m) - 1]
        return list(range(int(p) * 12, int(p) * 12 + 12))
    except ValueError:
        raise DuesRuleError(f"“{period}”不是上缴期间（应写成 2026-Q1、2026-03、2026-H1 或 2026）") from None


def period_year(period: str) -> int:
    return period_months(period)[0] // 12


def period_label(period: str) -> str:
    p = period.upper()
    y = p[:4]
    if "-Q" in p:
        return f"{y}年第{p[-1]}季度"
    if "-H" in p:
        return f"{y}年{'上' if p[-1] == '1' else '下'}半年"
    if "-" in p:
        return f"{y}年{int(p[5:])}月"
    return f"{y}年"


def period_of(i: int, kind: str) -> str:
    y, m = divmod(i, 12)
    if kind == "month":
        return f"{y:04d}-{m + 1:02d}"
    if kind == "half_year":
        return f"{y:04d}-H{m // 6 + 1}"
    return f"{y:04d}-Q{m // 3 + 1}"


def period_due(period: str, due_day: int) -> dt.date:
    """The remittance is due on `due_day` of the month after the period (e.g. 10 April for Q1)."""
    nxt = _month_start(period_months(period)[-1])
    d = add_months(nxt, 1)
    return d.replace(day=min(due_day, 28))


def list_remittances(ledger: Ledger) -> list[Remittance]:
    return [_remittance_from_row(r) for r in ledger.query("SELECT * FROM remittances ORDER BY period, id")]


@dataclass
class RemitRow:
    period: str
    label: str
    collected: Decimal
    remitted: Decimal
    due_on: dt.date
    records: list[Remittance]
    overdue: bool  # due date passed, money collected, nothing remitted
    late: bool  # remitted after the due date

    @property
    def paid_on(self) -> dt.date | None:
        dates = [r.paid_on for r in self.records if r.paid_on]
        return max(dates) if dates else None

    @property
    def reference(self) -> str:
        return "；".join(r.reference for r in self.records if r.reference)


def _collected_by_month(
    ledger: Ledger, as_of: dt.date, year: int, from_book: bool = False
) -> dict[int, Decimal]:
    """Dues received per month of receipt in `year`, counting what was received on or before `as_of` (read
    once per state of the ledger, date and year). `from_book`: summed from the ledger's shared dues book, for a
    caller that has it built anyway (the findings): it holds every payment already. The book is taken inside
    the build, so the kept totals know the tables it read and go when they change."""

    def build() -> tuple[dict[int, Decimal], dict[int, int]]:
        if from_book:
            from db.dues.book import DuesBook

            return _book_collected(DuesBook.shared(ledger), as_of, year)
        return _read_collected_counted(ledger, as_of, year)

    found: tuple[dict[int, Decimal], dict[int, int]] = ledger.memo_reads(
        f"dues.collected.{as_of.isoformat()}.{year}",
        build,
        lambda kept, changed, since: _updated_collected(ledger, kept, changed, since, as_of, year),
    )
    return dict(found[0])


def _updated_collected(
    ledger: Ledger,
    kept: tuple[dict[int, Decimal], dict[int, int]],
    changed: set[str],
    since: int,
    as_of: dt.date,
    year: int,
) -> tuple[dict[int, Decimal], dict[int, int]] | None:
    """The kept totals brought up to date after operations that changed only payments: each payment removed
    or changed is taken off the month it was received in, each added or changed one put on, when that day is
    in the window (the year, up to `as_of`); a month whose last payment went is dropped, as a fresh read has
    no entry for it. None (read afresh) when another table changed too, or too much changed."""
    from db.dues.book import _MOST_CHANGES

    if changed != {"dues_payments"}:
        return None
    rows = ledger.changed_fields_since(since, "dues_payments", ("paid_on", "month", "amount"), _MOST_CHANGES)
    if rows is None:
        return None
    upto, start = _window(as_of, year)
    totals, counts = dict(kept[0]), dict(kept[1])
    for before, after in rows:
        for image, sign in ((before, -1), (after, 1)):
            if image is None:
                continue
            paid_on, month, text = image
            day = paid_on or f"{month}-01"
            if not start <= day <= upto:
                continue
            i = int(day[:4]) * 12 + int(day[5:7]) - 1
            amount = money(str(text))
            totals[i] = totals.get(i, ZERO) + amount if sign > 0 else totals.get(i, ZERO) - amount
            counts[i] = counts.get(i, 0) + sign
            if counts[i] == 0:
                del counts[i], totals[i]
    return totals, counts


def _window(as_of: dt.date, year: int | None) -> tuple[str, str]:
    """(last day, first day) of the window `_read_collected` counts: up to `as_of`, within `year` when given."""
    upto = as_of.isoformat() if year is None else min(as_of.isoformat(), f"{year:04d}-12-31")
    return upto, ("" if year is None else f"{year:04d}-01-01")


def _read_collected(ledger: Ledger, as_of: dt.date, year: int | None = None) -> dict[int, Decimal]:
    """Received per month of receipt, on or before `as_of` (and in `year` when given)."""
    return _read_collected_counted(ledger, as_of, year)[0]


def _read_collected_counted(
    ledger: Ledger, as_of: dt.date, year: int | None
) -> tuple[dict[int, Decimal], dict[int, int]]:
    """`_read_collected`, and how many payments make up each month's total."""
    upto, since = _window(as_of, year)
    out: dict[int, Decimal] = {}
    counts: dict[int, int] = {}
    parsed: dict[str, Decimal] = {}  # the same few amounts, thousands of times: each parsed once
    # Summed per month of receipt by SQLite: amounts stored as plain "123.45" text are added as whole cents
    # (exact integers); anything else is parsed here one by one, as before.
    for month, cents, text, n in ledger.rows(
        "SELECT substr(day, 1, 7), sum(CASE WHEN plain THEN CAST(replace(amount, '.', '') AS INTEGER) END), "
        "CASE WHEN plain THEN NULL ELSE amount END, count(*) FROM "
        "(SELECT coalesce(paid_on, month || '-01') AS day, amount, "
        "amount GLOB '[0-9]*.[0-9][0-9]' AND amount NOT GLOB '*[^0-9.]*' "
        "AND amount NOT GLOB '*.*.*' AS plain FROM dues_payments) "
        "WHERE day <= ? AND day >= ? GROUP BY 1, 3",
        (upto, since),
    ):
        i = int(month[:4]) * 12 + int(month[5:7]) - 1  # the month of a YYYY-MM-DD day
        counts[i] = counts.get(i, 0) + n
        if text is None:
            if cents is not None:
                out[i] = out.get(i, ZERO) + Decimal(cents).scaleb(-2)
            continue
        amount = parsed.get(text)
        if amount is None:
            amount = parsed[text] = money(text)
        out[i] = out.get(i, ZERO) + n * amount
    return out, counts


def _book_collected(book: DuesBook, as_of: dt.date, year: int) -> tuple[dict[int, Decimal], dict[int, int]]:
    """`_read_collected_counted` from the book's payments instead of a scan of the table: each month's total
    and day of each member, or each part's (day, amount) of a month paid in parts; a payment with no day is
    received on the first of the month it pays for, as there. The scan was 13-14 ms a year at 500 members and
    20 years, twice for P05; this 8-9 (tests/db/test_dues_book_payments.py holds the two equal)."""
    upto, since = _window(as_of, year)
    out: dict[int, Decimal] = {}
    counts: dict[int, int] = {}
    for person in book.people.values():
        split = person.split
        totals = person.paid
        for i, day in person.paid_on.items():
            parts = split.get(i)
            # one payment, as nearly always: summed here without a tuple and an inner loop for it (folding it into
            # the parts' loop below measured 1.5-3x slower)
            if parts is None:
                if not day:
                    day = f"{i // 12:04d}-{i % 12 + 1:02d}-01"
                if since <= day <= upto:
                    r = int(day[:4]) * 12 + int(day[5:7]) - 1
                    out[r] = out.get(r, ZERO) + totals[i]
                    counts[r] = counts.get(r, 0) + 1
                continue
            for part_day, amount in parts:
                got = part_day or f"{i // 12:04d}-{i % 12 + 1:02d}-01"
                if since <= got <= upto:
                    r = int(got[:4]) * 12 + int(got[5:7]) - 1
                    out[r] = out.get(r, ZERO) + amount
                    counts[r] = counts.get(r, 0) + 1
    return out, counts


def remittance_rows(
    ledger: Ledger, year: int, *, as_of: dt.date | None = None, from_book: bool = False
) -> list[RemitRow]:
    """上缴 by period of the year (period kind and due day from settings): collected (payments received in the
    period) vs remitted, the due date, overdue and late flags. Periods not yet over are included once started.
    `from_book`: the caller has the ledger's dues book built (`DuesBook.shared`): its payments are summed
    instead of read again."""
    as_of = as_of or clock.today()
    kind = str(settings.get(ledger, "remittance_period"))
    due_day = int(settings.get(ledger, "remittance_due_day"))
    collected = _collected_by_month(ledger, as_of, year, from_book)  # the periods are the year's months
    # as of the day: a remittance made later is not made yet (one without a day counts)
    remits = [r for r in list_remittances(ledger) if r.paid_on is None or r.paid_on <= as_of]
    periods: list[str] = []
    for i in range(year * 12, year * 12 + 12):
        p = period_of(i, kind)
        if p not in periods and _month_start(period_months(p)[0]) <= as_of:
            periods.append(p)
    for r in remits:
        if period_year(r.period) == year and r.period not in periods:
            periods.append(r.period)
    # each remittance's months, parsed once: not once for each period of the year (20 years of remittances)
    covers = [set(period_months(r.period)) for r in remits]
    out: list[RemitRow] = []
    for p in periods:
        months = set(period_months(p))
        got = sum((collected.get(i, ZERO) for i in months), ZERO)
        recs = [r for r in remits if r.period.upper() == p.upper()]
        covering = [r for r, covered in zip(remits, covers, strict=True) if months & covered]
        sent = sum((r.amount for r in recs), ZERO)
        due_on = period_due(p, due_day)
        paid_dates = [r.paid_on for r in recs if r.paid_on]
        late = bool(paid_dates) and max(paid_dates) > due_on
        overdue = as_of > due_on and got > 0 and not covering
        out.append(RemitRow(p, period_label(p), got, sent, due_on, recs, overdue, late))
    out.sort(key=lambda r: (period_months(r.period)[0], len(period_months(r.period))))
    return out


def _validate_remittance(r: Remittance) -> list[Problem]:
    problems = []
    try:
        period_months(r.period)
    except DuesRuleError as e:
        problems.append(Problem(str(e), column="上缴期间"))
    if r.amount <= 0:
        problems.append(Problem("上缴金额应大于0", column="金额"))
    return problems


def save_remittance(ledger: Ledger, r: Remittance) -> int:
    """SaveRemittance: money remitted to the upper 党委 for a period, with the date and bank reference."""
    r.period = r.period.strip().upper()
    problems = _validate_remittance(r)
    if problems:
        raise InputRefused(problems, "上缴记录未保存")
    with ledger.operation("SaveRemittance", f"上缴党费：{period_label(r.period)}") as op:
        if r.id is None:
            cur = ledger.conn.execute(
                "INSERT INTO remittances(period, amount, paid_on, reference, notes) VALUES (?, ?, ?, ?, ?)",
                (r.period, money_text(r.amount), iso(r.paid_on), r.reference, r.notes),
            )
            op.value = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                "UPDATE remittances SET period=?, amount=?, paid_on=?, reference=?, notes=? WHERE id=?",
                (r.period, money_text(r.amount), iso(r.paid_on), r.reference, r.notes, r.id),
            )
            op.value = r.id
    return int(op.value)


def delete_remittance(ledger: Ledger, remittance_id: int) -> None:
    with ledger.operation("DeleteRemittance", "删除上缴记录"):
        ledger.conn.execute("DELETE FROM remittances WHERE id=?", (remittance_id,))
