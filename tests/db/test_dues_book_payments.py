"""The dues book's payments (`DuesBook.paid`, `last_paid_day`), read as one joined row per member (issue #16),
against the payments summed one by one: months paid in several parts on different days, on the same day and on
a day not known, amounts stored as plain text, on as-of dates on both sides of each payment; and the kept book
after a partial payment, the rest of it paid later, and their undo. The 上缴 totals (money received per month)
summed from the book, as the findings take them, against the table's own scan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from db import clock, dues, members
from db.connection import Ledger
from db.dues.book import DuesBook
from db.dues.remittance import _book_collected, _collected_by_month, _read_collected_counted
from db.rules.dues import ZERO, money, month_index

AS_OF = (
    dt.date(2024, 1, 1),
    dt.date(2025, 3, 4),
    dt.date(2025, 3, 5),
    dt.date(2025, 3, 6),
    dt.date(2025, 4, 19),
    dt.date(2025, 4, 20),
    dt.date(2026, 11, 30),
    dt.date(2030, 1, 1),
)


def _plain(ledger: Ledger, as_of: dt.date | None) -> dict[tuple[int, int], Decimal]:
    """Each (member, month)'s payments made by the day (a payment without a day always counts), one by one."""
    day = as_of.isoformat() if as_of else None
    out: dict[tuple[int, int], Decimal] = {}
    for mid, m, amount, on in ledger.rows(
        "SELECT member_id, month, amount, coalesce(paid_on, '') FROM dues_payments ORDER BY id"
    ):
        if day is None or on <= day:
            key = (mid, month_index(m))
            out[key] = out.get(key, ZERO) + money(amount)
    return out


def _assert_book_equals_plain(ledger: Ledger, book: DuesBook) -> None:
    everything = _plain(ledger, None)
    keys = {k for k in everything if k[0] in book.people}
    assert keys  # the demo has payments
    for as_of in (None, *AS_OF):
        plain = _plain(ledger, as_of)
        for mid, i in keys:
            assert book.paid(mid, i, as_of) == plain.get((mid, i), ZERO), (mid, i, as_of)
    for mid, person in book.people.items():
        latest = ledger.scalar(
            "SELECT coalesce(max(coalesce(paid_on, '')), '') FROM dues_payments WHERE member_id=?", (mid,)
        )
        assert person.last_paid_day == latest, mid
        assert sum(person.paid.values(), ZERO) == sum(
            (v for (m, _i), v in everything.items() if m == mid), ZERO
        )


def _pay(ledger: Ledger, mid: int, month: str, amount: str, day: str | None) -> None:
    ledger.conn.execute(
        "INSERT INTO dues_payments(member_id, month, amount, paid_on, method) VALUES (?, ?, ?, ?, 'cash')",
        (mid, month, amount, day),
    )


def _pay_march_in_parts(ledger: Ledger, ids: list[int]) -> None:
    """March 2025 of the second member in three parts (before, on an unknown day, after; one stored as '7.5'),
    of the third in two parts on the same day."""
    ledger.conn.execute("DELETE FROM dues_payments WHERE member_id IN (?, ?) AND month='2025-03'", ids[1:3])
    _pay(ledger, ids[1], "2025-03", "10.00", "2025-03-05")
    _pay(ledger, ids[1], "2025-03", "7.5", None)
    _pay(ledger, ids[1], "2025-03", "2.50", "2025-04-20")
    _pay(ledger, ids[2], "2025-03", "1.00", "2025-03-05")
    _pay(ledger, ids[2], "2025-03", "1.00", "2025-03-05")


def test_months_paid_in_parts_counted_by_the_day_each_part_was_paid(changed_ledger: Ledger) -> None:
    led = changed_ledger
    ids = sorted(members.names(led))
    with led.operation("TestEdit", "测试：分次交纳"):
        _pay_march_in_parts(led, ids)
    book = DuesBook(led)
    i = month_index("2025-03")
    assert book.paid(ids[1], i) == Decimal("20.00")
    assert book.paid(ids[1], i, dt.date(2025, 3, 4)) == Decimal("7.50")  # the part without a day
    assert book.paid(ids[1], i, dt.date(2025, 3, 5)) == Decimal("17.50")
    assert book.paid(ids[1], i, dt.date(2025, 4, 20)) == Decimal("20.00")
    assert book.paid(ids[2], i, dt.date(2025, 3, 4)) == ZERO
    assert book.paid(ids[2], i, dt.date(2025, 3, 5)) == Decimal("2.00")
    _assert_book_equals_plain(led, book)
    _assert_collected_equal(led, book)


def _assert_collected_equal(ledger: Ledger, book: DuesBook) -> None:
    """Received per month (and how many payments) from the book equal the scan of the table, for each year with
    payments and every as-of day, the window's edges on both sides of each part's day included."""
    years = range(2015, 2031)
    for as_of in AS_OF:
        for year in years:
            got = _book_collected(book, as_of, year)
            assert got == _read_collected_counted(ledger, as_of, year), (as_of, year)
    assert any(_read_collected_counted(ledger, dt.date(2030, 1, 1), year)[0] for year in years)


def test_received_totals_summed_from_the_book_equal_the_scan_of_the_table(changed_ledger: Ledger) -> None:
    """P05 takes each month's received total from the dues book the findings built (issue #16): a month paid in
    parts on different days (one not known: received on the first of the month it pays for), two parts on one
    day, an amount stored as '7.5', a payment made years after its month; and the totals kept by the findings
    after a payment is recorded and undone."""
    led = changed_ledger
    ids = sorted(members.names(led))
    with led.operation("TestEdit", "测试：分次交纳"):
        _pay_march_in_parts(led, ids)
        led.conn.execute("DELETE FROM dues_payments WHERE member_id=? AND month='2019-06'", (ids[3],))
        _pay(led, ids[3], "2019-06", "3", "2025-12-31")  # made up years later, received in 2025
        _pay(led, ids[3], "2019-06", "4.00", None)  # and a part with no day: received in June 2019
    _assert_collected_equal(led, DuesBook(led))
    today = clock.today()
    year = today.year
    month = f"{today:%Y-%m}"
    with led.operation("TestEdit", "测试：本月未交"):
        led.conn.execute("DELETE FROM dues_payments WHERE member_id=? AND month=?", (ids[4], month))
    kept = _collected_by_month(led, today, year, from_book=True)
    assert kept == _read_collected_counted(led, today, year)[0]
    dues.record_payment(led, ids[4], [month], today, amount=Decimal("0.50"))
    after = _collected_by_month(led, today, year, from_book=True)
    assert after == _read_collected_counted(led, today, year)[0]
    assert after != kept
    led.undo_last()
    assert _collected_by_month(led, today, year, from_book=True) == kept


def test_the_kept_book_follows_a_month_paid_in_two_parts_and_their_undo(changed_ledger: Ledger) -> None:
    led = changed_ledger
    today = clock.today()
    mid = sorted(members.names(led))[3]
    month = f"{today:%Y-%m}"
    with led.operation("TestEdit", "测试：本月未交"):
        led.conn.execute("DELETE FROM dues_payments WHERE member_id=? AND month=?", (mid, month))
    DuesBook.shared(led)  # kept from here on, brought up to date after each payment
    dues.record_payment(led, mid, [month], today - dt.timedelta(days=1), amount=Decimal("0.50"))
    _assert_book_equals_plain(led, DuesBook.shared(led))
    dues.record_payment(led, mid, [month], today)  # the rest of it, a day later
    book = DuesBook.shared(led)
    _assert_book_equals_plain(led, book)
    assert book.paid(mid, month_index(month), today - dt.timedelta(days=1)) == Decimal("0.50")
    assert book.people[mid].last_paid_day == today.isoformat()
    led.undo_last()
    book = DuesBook.shared(led)
    _assert_book_equals_plain(led, book)
    assert book.paid(mid, month_index(month)) == Decimal("0.50")
    led.undo_last()
    _assert_book_equals_plain(led, DuesBook.shared(led))


def test_a_stored_amount_holding_the_separator_is_read_row_by_row_and_refused_as_any_bad_amount(
    changed_ledger: Ledger,
) -> None:
    """The payments are joined with \\x1f per member: a value holding it (only a damaged or hand-edited file) is
    read again row by row, so it is refused as the amount it is, as any text that is not an amount."""
    import pytest

    from db.rules.dues import DuesRuleError

    led = changed_ledger
    mid = sorted(members.names(led))[4]
    with led.operation("TestEdit", "测试：损坏的金额"):
        led.conn.execute(
            "UPDATE dues_payments SET amount='5\x1f00' WHERE id=(SELECT min(id) FROM dues_payments WHERE member_id=?)",
            (mid,),
        )
    with pytest.raises(DuesRuleError, match="不是金额"):
        DuesBook(led)
    with led.operation("TestEdit", "测试：修好"):
        led.conn.execute("UPDATE dues_payments SET amount='5.00' WHERE amount='5\x1f00'")
    _assert_book_equals_plain(led, DuesBook(led))
