"""The kept 党费 read models brought up to date after payment-only operations equal fresh reads (issue #16): the
year grid and the money received per month; and the money received counts every payment of an odd amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from db import dues, members
from db.connection import Ledger
from db.dues.book import DuesBook
from db.dues.remittance import _read_collected
from db.rules.dues import ZERO, money
from tests.db.test_findings_fast import _plain_collected


def test_money_received_counts_every_payment_of_the_same_odd_amount(demo_ledger: Ledger) -> None:
    """Amounts not stored in the "0.00" form are grouped by their text: three payments of "5" received in one
    month are 15, not 5 (the 上缴 collected totals and P05 undercounted them)."""
    led = demo_ledger
    with led.operation("TestEdit", "测试：改写记录"):
        month = led.scalar(
            "SELECT substr(paid_on, 1, 7) FROM dues_payments WHERE paid_on IS NOT NULL "
            "GROUP BY 1 HAVING count(*) >= 3 ORDER BY 1 LIMIT 1"
        )
        ids = [
            r[0]
            for r in led.rows(
                "SELECT id FROM dues_payments WHERE substr(paid_on, 1, 7)=? ORDER BY id LIMIT 3", (month,)
            )
        ]
        led.conn.executemany("UPDATE dues_payments SET amount='5' WHERE id=?", [(i,) for i in ids])
    i = int(month[:4]) * 12 + int(month[5:7]) - 1
    as_of = dt.date(int(month[:4]) + 1, 1, 1)
    everything = _plain_collected(led, as_of)
    assert _read_collected(led, as_of) == everything
    others = everything[i] - sum(
        (
            money(r[0])
            for r in led.rows(
                "SELECT amount FROM dues_payments WHERE substr(paid_on, 1, 7)=? AND amount != '5'", (month,)
            )
        ),
        ZERO,
    )
    assert others == Decimal("15.00")


def test_kept_year_grids_and_received_totals_brought_up_to_date_equal_fresh_reads(
    changed_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After payment-only operations (a month recorded, payments for an earlier year's month received this
    year, their undo) the kept 党费 grids and money-received totals are updated from the changed payments, not
    read again, and equal what a fresh read gives: as of days before and after the payments, for the year of the
    payments, the year before (whose run carries into January) and the year after."""
    from db.dues import grid, remittance

    led = changed_ledger
    dates = (
        dt.date(2026, 11, 22),
        dt.date(2026, 11, 30),
        dt.date(2026, 10, 31),
        dt.date(2025, 12, 31),
        dt.date(2027, 1, 31),
    )
    years = (2025, 2026, 2027)
    fresh_rows, fresh_collected = grid.read_year_rows, remittance._read_collected_counted
    built: list[str] = []
    monkeypatch.setattr(grid, "read_year_rows", lambda *a: built.append("grid") or fresh_rows(*a))
    monkeypatch.setattr(
        remittance, "_read_collected_counted", lambda *a: built.append("collected") or fresh_collected(*a)
    )

    def check() -> None:
        for day in dates:
            for year in years:
                kept = dues.year_rows(led, year, as_of=day)
                assert kept == fresh_rows(led, year, day, DuesBook(led)), (day, year)
                got = remittance._collected_by_month(led, day, year)
                assert got == fresh_collected(led, day, year)[0], (day, year)

    check()  # kept from here on
    built.clear()
    ids = sorted(members.names(led))

    def payments_edit(sql: str, *args: object) -> None:
        with led.operation("TestEdit", "测试：改写党费记录"):
            led.conn.execute(sql, args)

    steps = [
        lambda: dues.record_month(led, "2026-11", dt.date(2026, 11, 20)),
        # January and February unpaid, then last year's last months taken away too: only the run carried
        # into January changes
        lambda: payments_edit(
            "DELETE FROM dues_payments WHERE member_id=? AND month IN ('2026-01', '2026-02')", ids[4]
        ),
        lambda: payments_edit(
            "DELETE FROM dues_payments WHERE member_id=? AND month IN ('2025-11', '2025-12')", ids[4]
        ),
        lambda: dues.record_payment(led, ids[3], ["2026-06"], dt.date(2026, 11, 21), amount=Decimal("5")),
        # received in a month nothing else was received in (and back: the month's entry goes)
        lambda: payments_edit(
            "UPDATE dues_payments SET amount='7', paid_on='2027-01-10' WHERE id=(SELECT max(id) FROM dues_payments)"
        ),
        led.undo_last,
        led.undo_last,
        led.undo_last,
        led.undo_last,
        led.undo_last,
    ]
    for step in steps:
        step()
        check()
    assert built == []  # every kept value was brought up to date, none read again


def test_copied_is_dataclasses_replace_for_the_kept_records(demo_ledger: Ledger) -> None:
    import dataclasses

    from db.dues.book import _Person, copied
    from db.dues.grid import MonthCell, YearRow

    for cls in (_Person, MonthCell, YearRow):
        assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__"), cls
    rows = dues.year_rows(demo_ledger, 2026, as_of=dt.date(2026, 6, 30))
    row = rows[0]
    cell = row.months[3]
    for record, changes in (
        (cell, {"paid": Decimal("12.34"), "unpaid_streak": 7}),
        (row, {"months": row.months[:2]}),
        (row, {}),
    ):
        got, want = copied(record, **changes), dataclasses.replace(record, **changes)
        assert got == want and type(got) is type(want) and got is not record
        assert record != got or not changes, "the original is left as it was"
    person = next(iter(DuesBook.shared(demo_ledger).people.values()))
    mine = copied(person, paid=dict(person.paid))
    assert mine == dataclasses.replace(person, paid=dict(person.paid))
    mine.paid[999_999] = Decimal("1")
    assert 999_999 not in person.paid
