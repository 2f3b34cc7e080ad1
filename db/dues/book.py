"""The dues read model (`DuesBook`): everything needed to answer a dues question, read once from the ledger —
each member's stretches in the branch and in good standing (from the status history), their 核定 rows with the
年薪制 month pay, and the payments by month — and the questions over it: did a member belong in a month, which
核定 was in effect, what was due and paid, is the month (or a quarterly payer's quarter) over, and the unpaid
streaks that P02/P03 count, running across years. The grid, the operations and the findings read through it."""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from db import settings
from db.dates import from_iso
from db.dues.model import DuesBase, _idx, _month_base_from_row
from db.dues.worksheet import Worksheet
from db.opening.start import first_ledger_month, records_start
from db.rules import dues as rules
from db.rules.dues import ZERO, money, month_index, month_key_of

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass
class _Person:
    id: int
    name: str
    spans: list[tuple[dt.date, dt.date | None]]  # [start, end) in the branch and in good standing
    bases: list[DuesBase]
    paid: dict[int, Decimal]  # all payments for each month, whenever paid
    # the day of each month's latest payment ('' when the day is not known: always counted), and for the few
    # months paid in more than one payment each payment's (day, amount): what an earlier as-of date counts
    paid_on: dict[int, str]
    split: dict[int, list[tuple[str, Decimal]]]
    last_paid_day: str  # the latest known payment day of the member: later as-of dates need no filtering


class DuesBook:
    """Everything needed to answer dues questions, read once: members' spans in the branch, 核定 rows with their
    month pay, payments by month. Month arguments are month indexes (year * 12 + month − 1)."""

    @classmethod
    def shared(cls, ledger: Ledger) -> DuesBook:
        """The book for the ledger's current state, built once and shared by read-only callers: kept until an
        operation changes a table it read."""
        book: DuesBook = ledger.memo_reads(
            "dues.book",
            lambda: cls(ledger),
            lambda kept, changed, since: _updated(ledger, kept, changed, since),
        )
        return book

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.rounding = str(settings.get(ledger, "rounding"))
        self.cap = money(settings.get(ledger, "dues_cap"))
        self.makeup_max = int(settings.get(ledger, "makeup_max_months"))
        self.prepay_max = int(settings.get(ledger, "prepay_max_months"))
        status_hist: dict[int, list[tuple[str, str | None, str | None]]] = {}
        for r in ledger.query(
            "SELECT member_id, changed_on, from_value, to_value FROM member_history WHERE field='status' "
            "ORDER BY changed_on, id"
        ):
            status_hist.setdefault(r[0], []).append((r[1], r[2], r[3]))
        bases: dict[int, list[DuesBase]] = {}
        by_id: dict[int, DuesBase] = {}
        for b in read_bases(ledger):
            bases.setdefault(b.member_id, []).append(b)
            assert b.id is not None
            by_id[b.id] = b
        for r in ledger.query("SELECT * FROM dues_month_bases ORDER BY month"):
            owner = by_id.get(r["base_id"])
            if owner is not None:
                owner.month_bases[r["month"]] = _month_base_from_row(r)
        paid, paid_on, split, last_day = _read_payments(ledger)
        # where the electronic ledger starts and each member's 党费已交至 from paper (issue #15)
        self.start_month = first_ledger_month(records_start(ledger))
        self.paid_through: dict[int, int] = {
            r[0]: month_index(r[1])
            for r in ledger.query(
                "SELECT member_id, dues_paid_through FROM member_openings WHERE dues_paid_through IS NOT NULL"
            )
        }
        # months paid at the 流入地 with the 活动证 (LD08, db/mobility): neither owed nor payable here
        self.elsewhere: set[tuple[int, int]] = {
            (int(r[0]), month_index(r[1]))
            for r in ledger.query("SELECT member_id, month FROM dues_elsewhere")
        }
        self.people: dict[int, _Person] = {}
        self._spans_memo: dict[int, list[tuple[int, int | None]]] = {}
        # (year, first month) of each 核定 row of a member, in the book's order: what `streaks` follows month by
        # month, and `first_month` reads (DuesBase.first_month parses valid_from on every call)
        self._starts_memo: dict[int, list[tuple[int, int]]] = {}
        for r in ledger.query(
            "SELECT id, name, joined_on, in_branch_since, status, status_changed_on FROM members ORDER BY id"
        ):
            spans = _spans(
                from_iso(r["in_branch_since"]) or from_iso(r["joined_on"]),
                r["status"],
                from_iso(r["status_changed_on"]),
                status_hist.get(r["id"], []),
            )
            self.people[r["id"]] = _Person(
                r["id"],
                r["name"],
                spans,
                bases.get(r["id"], []),
                paid.get(r["id"], {}),
                paid_on.get(r["id"], {}),
                split.get(r["id"], {}),
                last_day.get(r["id"], ""),
            )

    # -- per member and month
    def belongs(self, mid: int, i: int) -> bool:
        """Belonged to the branch (in good standing) on at least one day of month i."""
        return any(lo <= i and (hi is None or i < hi) for lo, hi in self._month_spans(mid))

    def _month_spans(self, mid: int) -> list[tuple[int, int | None]]:
        """The spans as month indexes [first, end): a span [a, b) touches month i when a is on or before its
        last day and b after its first day."""
        got = self._spans_memo.get(mid)
        if got is None:
            got = self._spans_memo[mid] = [
                (_idx(a), None if b is None else _idx(b) + (0 if b.day == 1 else 1))
                for a, b in self.people[mid].spans
            ]
        return got

    def base_for(self, mid: int, i: int) -> DuesBase | None:
        """The 核定 in effect in month i: that year's latest row starting by then; else the last earlier row."""
        year = i // 12
        found: DuesBase | None = None
        for b in self.people[mid].bases:
            if b.year < year or (b.year == year and b.first_month <= i):
                found = b
            elif b.year > year:
                break
        return found

    def year_bases(self, mid: int, year: int) -> list[DuesBase | None]:
        """`base_for` of each month of the year, from one walk of the member's rows: the last row of the year
        started by then, else the last row of an earlier year."""
        earlier: DuesBase | None = None
        same: list[DuesBase] = []
        for b in self.people[mid].bases:
            if b.year < year:
                earlier = b
            elif b.year == year:
                same.append(b)
            else:
                break
        out: list[DuesBase | None] = []
        for i in range(year * 12, year * 12 + 12):
            found = earlier
            for b in same:
                if b.first_month <= i:
                    found = b
            out.append(found)
        return out

    def due(self, mid: int, i: int) -> Decimal:
        return self.due_with(mid, i, self.belongs(mid, i), self.base_for(mid, i))

    def due_with(self, mid: int, i: int, belongs: bool, b: DuesBase | None) -> Decimal:
        """`due` of month i given whether the member belonged then and the 核定 in effect."""
        if not belongs or (mid, i) in self.elsewhere:
            return ZERO
        if b is None:
            return ZERO
        if b.year == i // 12 and b.kind == "annual_salary":
            mb = b.month_bases.get(month_key_of(i))
            if mb is not None:
                return mb.amount
        return b.amount if b.amount is not None else ZERO

    def opening(self, mid: int, i: int) -> str | None:
        """期初 state of month i (issue #15): "elsewhere" when paid at the 流入地 (LD08); "paid" when the member's 党费已交至 from paper covers it; "paper" when
        it lies before the electronic ledger's start and no 已交至 is known (not counted either way); None when
        the ledger counts the month. With a known 已交至, the months after it count even before the start: the
        arrears known from paper start from the truth."""
        if (mid, i) in self.elsewhere:
            return "elsewhere"  # paid at the 流入地 (LD08): counted there, not here
        through = self.paid_through.get(mid)
        if through is not None:
            return "paid" if i <= through else None
        if self.start_month is not None and i < self.start_month:
            return "paper"
        return None

    def paid(self, mid: int, i: int, as_of: dt.date | None = None) -> Decimal:
        """Paid for month i: everything recorded, or (with `as_of`) only payments made on or before that day
        (a payment whose day is not known counts)."""
        p = self.people[mid]
        if as_of is None:
            return p.paid.get(i, ZERO)
        day = as_of.isoformat()
        if p.last_paid_day <= day:
            return p.paid.get(i, ZERO)
        parts = p.split.get(i)
        if parts is None:  # one payment (or none): all of it if made by then
            return p.paid.get(i, ZERO) if p.paid_on.get(i, "") <= day else ZERO
        return sum((a for d, a in parts if d <= day), ZERO)

    def is_past(self, mid: int, i: int, as_of: dt.date) -> bool:
        """A month is in arrears only once it is over (for quarterly payers: once its quarter is over)."""
        return past_with(i, self.base_for(mid, i), _idx(as_of))

    def _starts(self, mid: int) -> list[tuple[int, int]]:
        got = self._starts_memo.get(mid)
        if got is None:
            got = self._starts_memo[mid] = [(b.year, b.first_month) for b in self.people[mid].bases]
        return got

    def first_month(self, mid: int) -> int | None:
        starts = self._starts(mid)
        return min(first for _year, first in starts) if starts else None

    def streaks(self, mid: int, upto: int, as_of: dt.date, since: int | None = None) -> dict[int, int]:
        """Unpaid streak ending at each month from the member's first 核定 (or from month `since`, the run
        carried into it counted back as `current_streak` does) through `upto` (0 when not counting).
        Plain month indexes in the loop: the 核定 in effect is followed along the sorted rows, not looked up."""
        out: dict[int, int] = {}
        first = self.first_month(mid)
        if first is None:
            return out
        start = first if since is None or since <= first else since
        run = self._count_back(mid, start - 1, first, as_of) if start > first else 0
        person = self.people[mid]
        bases = person.bases
        starts = self._starts(mid)
        # every payment made by the as-of day: the month's total, without filtering by day (paid())
        all_by_then = person.last_paid_day <= as_of.isoformat()
        totals = person.paid
        spans = self._month_spans(mid)
        now = _idx(as_of)
        k = -1  # bases[k] is the 核定 in effect in month i (base_for), advanced as i grows
        for i in range(start, upto + 1):
            year = i // 12
            while k + 1 < len(starts) and (
                starts[k + 1][0] < year or (starts[k + 1][0] == year and starts[k + 1][1] <= i)
            ):
                k += 1
            b = bases[k] if k >= 0 else None
            last = i - i % 3 + 2 if b is not None and b.quarterly else i
            if last >= now:  # not over yet (a quarterly payer: not till the quarter is)
                out[i] = 0
                continue
            unpaid = totals.get(i, ZERO) == 0 if all_by_then else self.paid(mid, i, as_of) == 0
            if unpaid and self.opening(mid, i) is not None:  # 期初 from paper (issue #15): not counted
                run = out[i] = 0
                continue
            owes = False
            if b is not None and any(lo <= i and (hi is None or i < hi) for lo, hi in spans):
                if b.year == year and b.kind == "annual_salary" and month_key_of(i) in b.month_bases:
                    owes = b.month_bases[month_key_of(i)].amount > 0
                else:
                    owes = b.amount is not None and b.amount > 0
            run = run + 1 if owes and unpaid else 0
            out[i] = run
        return out

    def current_streak(self, mid: int, as_of: dt.date) -> tuple[int, int]:
        """(streak, last month index) at the last month that is over as of the date: `streaks` at that month,
        counted back from it instead of forward from the member's first 核定 (the run ends at the first month
        that breaks it, so only the streak's own months are looked at)."""
        last = _idx(as_of) - 1
        start = self.first_month(mid)
        if start is None:
            return 0, last
        # a quarterly payer's unfinished quarter does not count: take the last month that counts
        while last >= start and not self.is_past(mid, last, as_of):
            last -= 1
        if last < start:
            return 0, last
        return self._count_back(mid, last, start, as_of), last

    def _count_back(self, mid: int, last: int, start: int, as_of: dt.date) -> int:
        """The unpaid run `streaks` carries at month `last`, counted back from it to the member's first 核定
        month `start`: the run ends at the first month that breaks it, so only its own months are looked at."""
        person = self.people[mid]
        bases = person.bases
        starts = self._starts(mid)
        all_by_then = person.last_paid_day <= as_of.isoformat()
        totals = person.paid
        spans = self._month_spans(mid)
        now = _idx(as_of)
        run = 0
        for i in range(last, start - 1, -1):
            year = i // 12
            k = -1  # the 核定 `streaks` follows in month i: the leading rows that have started by then
            while k + 1 < len(starts) and (
                starts[k + 1][0] < year or (starts[k + 1][0] == year and starts[k + 1][1] <= i)
            ):
                k += 1
            b = bases[k] if k >= 0 else None
            if (i - i % 3 + 2 if b is not None and b.quarterly else i) >= now:
                continue  # not over yet: `streaks` leaves the run as it was
            unpaid = totals.get(i, ZERO) == 0 if all_by_then else self.paid(mid, i, as_of) == 0
            if not unpaid or self.opening(mid, i) is not None:
                break
            owes = False
            if b is not None and any(lo <= i and (hi is None or i < hi) for lo, hi in spans):
                if b.year == year and b.kind == "annual_salary" and month_key_of(i) in b.month_bases:
                    owes = b.month_bases[month_key_of(i)].amount > 0
                else:
                    owes = b.amount is not None and b.amount > 0
            if not owes:
                break
            run += 1
        return run

    def member_ids_in_year(self, year: int) -> list[int]:
        return [mid for mid in self.people if any(self.belongs(mid, year * 12 + k) for k in range(12))]

    def timing_problem(self, month: int, paid_on: dt.date) -> str | None:
        return rules.timing_problem(
            month_key_of(month), month_key_of(_idx(paid_on)), self.makeup_max, self.prepay_max
        )


def past_with(i: int, b: DuesBase | None, now: int) -> bool:
    """`is_past` of month i given the 核定 in effect and the as-of month."""
    last = i - i % 3 + 2 if b is not None and b.quarterly else i
    return last < now


_SEP = "\x1f"  # between the values group_concat joins: no month, amount or ISO day contains it


def _read_payments(
    ledger: Ledger,
) -> tuple[
    dict[int, dict[int, Decimal]],
    dict[int, dict[int, str]],
    dict[int, dict[int, list[tuple[str, Decimal]]]],
    dict[int, str],
]:
    """Every payment, by member and month: the month's total, the day of its latest payment and (for a month
    paid in more than one payment) each payment's (day, amount); and each member's latest payment day.

    Read as one row per member, each column a joined string that is split, mapped and zipped in C: a row per
    payment (59,000 on a 500-member, 20-year ledger) cost a Python tuple and a turn of a Python loop each,
    40-70 ms of a 100-150 ms book. A branch pays the same few amounts in the same 240 months thousands of
    times: each text is parsed once."""
    paid: dict[int, dict[int, Decimal]] = {}
    paid_on: dict[int, dict[int, str]] = {}
    split: dict[int, dict[int, list[tuple[str, Decimal]]]] = {}
    last_day: dict[int, str] = {}
    months: dict[str, int] = {}  # month_index of each stored YYYY-MM
    amounts: dict[str, Decimal] = {}
    for mid, month_text, amount_text, day_text in ledger.rows(
        # the separator written into the statement: as char(31) it was a function called on every row (+10 ms)
        f"SELECT member_id, group_concat(month, '{_SEP}'), group_concat(amount, '{_SEP}'), "
        f"group_concat(coalesce(paid_on, ''), '{_SEP}') FROM dues_payments GROUP BY member_id"
    ):
        keys = month_text.split(_SEP)
        texts = amount_text.split(_SEP)
        days = day_text.split(_SEP)
        if not len(keys) == len(texts) == len(days):  # a stored value holds the separator: read row by row
            rows = ledger.rows(
                "SELECT month, amount, coalesce(paid_on, '') FROM dues_payments WHERE member_id=? ORDER BY id",
                (mid,),
            )
            keys, texts, days = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
        for m in set(keys).difference(months):
            months[m] = int(m[:4]) * 12 + int(m[5:7]) - 1
        for t in set(texts).difference(amounts):
            amounts[t] = ZERO + money(t)  # as a month's total is summed from ZERO (no '-0.00')
        idx = list(map(months.__getitem__, keys))
        values = list(map(amounts.__getitem__, texts))
        on = dict(zip(idx, days, strict=True))
        if len(on) == len(idx):  # one payment a month, as nearly always
            paid[mid] = dict(zip(idx, values, strict=True))
            paid_on[mid] = on
            split[mid] = {}
        else:
            parts: dict[int, list[tuple[str, Decimal]]] = {}
            for i, day, amount in zip(idx, days, values, strict=True):
                parts.setdefault(i, []).append((day, amount))
            paid[mid], paid_on[mid], split[mid] = {}, {}, {}
            for i, got in parts.items():
                _put_month(paid[mid], paid_on[mid], split[mid], i, got)
        last_day[mid] = max(days)
    return paid, paid_on, split, last_day


def _put_month(
    paid: dict[int, Decimal],
    paid_on: dict[int, str],
    split: dict[int, list[tuple[str, Decimal]]],
    i: int,
    parts: list[tuple[str, Decimal]],
) -> str:
    """Month i of a member from its payments' (day, amount): the total, the latest day, and the parts kept
    when there is more than one. Returns the latest day."""
    total = ZERO
    latest = ""
    for day, amount in parts:
        total += amount
        if day > latest:
            latest = day
    paid[i] = total
    paid_on[i] = latest
    if len(parts) > 1:
        split[i] = parts
    else:
        split.pop(i, None)
    return latest


_BASE_COLUMNS = (
    "id, member_id, year, valid_from, kind, base, amount, approval_ref, cap_confirmed_on, quarterly, worksheet, "
    "draft, fixed_on, reason, notes"
)


def read_bases(ledger: Ledger) -> list[DuesBase]:
    """Every 核定 row as `_base_from_row` reads it, in the book's order, from plain tuples: a branch stores the
    same few amounts and days thousands of times, each parsed once (10,000 rows on 500 members and 20 years)."""
    amounts: dict[str, Decimal] = {}
    days: dict[str, dt.date] = {}

    def amount(v: object) -> Decimal | None:
        if v is None or v == "":
            return None
        if type(v) is not str:
            return money(v)
        got = amounts.get(v)
        if got is None:
            got = amounts[v] = money(v)
        return got

    def day(v: str | None) -> dt.date | None:
        if not v:
            return None
        got = days.get(v)
        if got is None:
            got = days[v] = dt.date.fromisoformat(v)
        return got

    return [
        DuesBase(
            id=bid,
            member_id=mid,
            year=year,
            valid_from=valid_from,
            kind=kind,
            base=amount(base),
            amount=amount(amt),
            approval_ref=approval_ref,
            cap_confirmed_on=day(cap_on),
            quarterly=bool(quarterly),
            worksheet=Worksheet.from_json(worksheet) if worksheet else None,
            draft=bool(draft),
            fixed_on=day(fixed_on),
            reason=reason,
            notes=notes,
        )
        for (
            bid,
            mid,
            year,
            valid_from,
            kind,
            base,
            amt,
            approval_ref,
            cap_on,
            quarterly,
            worksheet,
            draft,
            fixed_on,
            reason,
            notes,
        ) in ledger.rows(
            f"SELECT {_BASE_COLUMNS} FROM dues_bases ORDER BY member_id, year, coalesce(valid_from, ''), id"
        )
    ]


_R = TypeVar("_R")


def copied(record: _R, **changes: Any) -> _R:
    """dataclasses.replace for the plain records of the kept dues views (no __post_init__, no slots), without
    replace's look at the fields and call of __init__ on every copy: a third of the time, and recording a month
    for 500 members copies 1,500 of them (tests/db/test_dues_kept.py holds the two equal)."""
    new: _R = object.__new__(type(record))
    new.__dict__.update(record.__dict__)
    new.__dict__.update(changes)
    return new


# More payment changes than this since the kept book: reading them all back costs about what a new book does.
_MOST_CHANGES = 20_000


def touched_payments(ledger: Ledger, since: int) -> set[tuple[int, str]] | None:
    """The (member id, month key) pairs whose payments the operations after op `since` added, changed or
    removed; None when they are too many to be worth reading one by one."""
    # the book and the year grid each ask after the same operation: read once per state of the ledger (the
    # kept dict is dropped at the next operation)
    kept: dict[int, set[tuple[int, str]] | None] = ledger.memo("dues.touched_payments", dict)
    if since not in kept:
        rows = ledger.changed_fields_since(since, "dues_payments", ("member_id", "month"), _MOST_CHANGES)
        kept[since] = (
            None
            if rows is None
            else {(int(image[0]), str(image[1])) for pair in rows for image in pair if image is not None}
        )
    return kept[since]


def _updated(ledger: Ledger, book: DuesBook, changed: set[str], since: int) -> DuesBook | None:
    """The kept book brought up to date after operations that changed only payments (recording a month, a
    payment, their undo): the (member, month) pairs they touched are read again, in the order a new book reads
    them, into copies of the members concerned; the kept book itself is left as it was. None (build afresh)
    when another table the book reads changed too, or too much changed."""
    if changed != {"dues_payments"}:
        return None
    touched = touched_payments(ledger, since)
    if touched is None:
        return None
    new = copy.copy(book)
    new.ledger = ledger
    new.people = people = dict(book.people)
    by_month: dict[str, list[int]] = {}  # a month recorded for the branch is one month of 500 members
    for mid, m in touched:
        by_month.setdefault(m, []).append(mid)
    months = {m: month_index(m) for m in by_month}
    amounts: dict[Any, Decimal] = {}  # each stored amount parsed once, as `_read_payments` does
    fresh: dict[tuple[int, int], list[tuple[str, Decimal]]] = {}
    for m, mids in by_month.items():
        # by an index: `(member_id, month) IN (…)` read every payment of each member touched (10× slower for a
        # month recorded for 500 members); pairs looked up from a JSON list, 1.7 ms against 1.0 by month
        sql = "SELECT member_id, amount, coalesce(paid_on, '') FROM dues_payments WHERE month=? AND "
        for mid, text, day in ledger.rows(
            sql + "member_id IN (SELECT value FROM json_each(?)) ORDER BY id", (m, json.dumps(mids))
        ):
            amount = amounts.get(text)
            if amount is None:
                amount = amounts[text] = money(text)
            fresh.setdefault((mid, months[m]), []).append((day, amount))
    lost: set[int] = set()  # members who lost a payment made on their latest payment day
    for mid, m in touched:
        person = people.get(mid)
        if person is None:
            continue  # not a member of the book (a payment of a member who is not in the roster any more)
        if person is book.people[mid]:
            person = people[mid] = copied(
                person, paid=dict(person.paid), paid_on=dict(person.paid_on), split=dict(person.split)
            )
        i = months[m]
        if person.paid_on.get(i) == person.last_paid_day:
            lost.add(mid)
        got = fresh.get((mid, i))
        if got is None:
            person.paid.pop(i, None)
            person.paid_on.pop(i, None)
            person.split.pop(i, None)
            continue
        latest = _put_month(person.paid, person.paid_on, person.split, i, got)
        if latest > person.last_paid_day:
            person.last_paid_day = latest
    for mid in lost:  # the latest day may be gone: looked for again among their months' latest days, in C
        person = new.people[mid]
        person.last_paid_day = max(person.paid_on.values(), default="")
    return new


def _spans(
    start: dt.date | None,
    status: str,
    changed_on: dt.date | None,
    history: list[tuple[str, str | None, str | None]],
) -> list[tuple[dt.date, dt.date | None]]:
    """The stretches in which a member was in the branch and 'active' (a status change on day d ends it on d)."""
    begin = start or dt.date(1900, 1, 1)
    events: list[tuple[dt.date, str]] = []
    if history:
        current = history[0][1] or "active"
        events = [(dt.date.fromisoformat(d), to or "active") for d, _f, to in history]
    elif status != "active" and changed_on is not None:
        current = "active"
        events = [(changed_on, status)]
    else:
        current = status
    spans: list[tuple[dt.date, dt.date | None]] = []
    seg_start = dt.date(1900, 1, 1)
    for day, to in events:
        if current == "active":
            spans.append((seg_start, day))
        seg_start, current = day, to
    if current == "active":
        spans.append((seg_start, None))
    out: list[tuple[dt.date, dt.date | None]] = []
    for a, b in spans:
        a2 = max(a, begin)
        if b is None or b > a2:
            out.append((a2, b))
    return out
