"""tests/db: the demo ledger changed to have records on both sides of the as-of dates (`changed_ledger`, for the
fast paths and the kept read models), and the robustness suite of `load` reporting in the run's summary how many
bad documents it checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from db import members
from db.connection import Ledger


@pytest.fixture
def changed_ledger(demo_ledger: Ledger) -> Iterator[Ledger]:
    """The demo with records on both sides of the as-of dates: a member who left, a group change, a payment
    amount stored as plain text that is not in the "0.00" form, a payment without a day, unpaid runs."""
    led = demo_ledger
    ids = sorted(members.names(led))
    members.change_status(led, ids[0], "transferred_out", dt.date(2025, 12, 31), "转出到其他支部")
    with led.operation("TestEdit", "测试：改写记录"):
        pid = led.scalar("SELECT id FROM dues_payments ORDER BY id LIMIT 1")
        led.conn.execute("UPDATE dues_payments SET amount='5' WHERE id=?", (pid,))
        pid = led.scalar("SELECT id FROM dues_payments ORDER BY id DESC LIMIT 1")
        led.conn.execute("UPDATE dues_payments SET paid_on=NULL WHERE id=?", (pid,))
        # a quarterly payer, and a mid-year change of 核定 from July (the rows of a year in valid_from order)
        led.conn.execute("UPDATE dues_bases SET quarterly=1 WHERE member_id=?", (ids[5],))
        led.conn.execute(
            "INSERT INTO dues_bases(member_id, year, valid_from, kind, base, amount, fixed_on, reason) "
            "VALUES (?, 2026, '2026-07', 'employed', '9000.00', '135.00', '2026-06-20', '调薪')",
            (ids[6],),
        )
        led.conn.execute(
            "INSERT INTO dues_bases(member_id, year, valid_from, kind, base, amount, fixed_on, reason) "
            "VALUES (?, 2025, '2025-10', 'retired', '4000.00', '20.00', '2025-09-20', '退休')",
            (ids[6],),
        )
        # a 核定 over the cap confirmed by the secretary on a day
        led.conn.execute(
            "UPDATE dues_bases SET cap_confirmed_on='2024-01-05' WHERE id=(SELECT min(id) FROM dues_bases)"
        )
        # an unpaid run before the member left (counting back from after, it must stop at the months not owed)
        # and one running into the as-of dates
        led.conn.execute(
            "DELETE FROM dues_payments WHERE member_id=? AND month BETWEEN '2025-06' AND '2026-12'", (ids[0],)
        )
        led.conn.execute(
            "DELETE FROM dues_payments WHERE member_id=? AND month BETWEEN '2026-05' AND '2026-10'", (ids[3],)
        )
        led.conn.execute(
            "INSERT INTO member_history(member_id, field, changed_on, from_value, to_value) "
            "VALUES (?, 'group_id', '2025-07-01', NULL, NULL)",
            (ids[1],),
        )
    yield led
