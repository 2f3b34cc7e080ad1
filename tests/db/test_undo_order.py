"""Undo deletes the rows an operation inserted run by run (`executemany`, db/ledger_undo.py): in the same order as
one at a time, the reverse of the inserts, whatever tables the runs alternate between."""

from __future__ import annotations

import datetime as dt

from db import dues, members
from db.connection import Ledger


def test_undo_deletes_the_inserted_rows_in_the_reverse_order_of_the_inserts(ledger: Ledger) -> None:
    ids = [
        members.add(ledger, members.Member(name=name, joined_on=dt.date(2015, 1, 1), category="full"))
        for name in ("张三", "李四", "王五")
    ]
    with ledger.operation("TestInserts", "测试：交替写入两张表") as op:
        for i, mid in enumerate(ids):
            for month in ("2026-01", "2026-02"):
                ledger.conn.execute(
                    "INSERT INTO dues_payments(member_id, month, amount, paid_on, method) "
                    "VALUES (?, ?, '10.00', '2026-03-01', 'cash')",
                    (mid, month),
                )
            ledger.conn.execute(
                "INSERT INTO remittances(period, amount, paid_on) VALUES (?, '1.00', '2026-03-02')",
                (f"2026-0{i + 1}",),
            )
        done = op.id
    made = ledger.rows("SELECT tbl, row_id FROM changes WHERE op_id=? ORDER BY id", (done,))
    assert [t for t, _ in made] == ["dues_payments", "dues_payments", "remittances"] * 3
    undo = ledger.undo_last()
    assert undo is not None
    undone = ledger.rows("SELECT tbl, row_id, action FROM changes WHERE op_id=? ORDER BY id", (undo.op_id,))
    assert undone == [(t, r, "D") for t, r in reversed(made)]
    assert ledger.scalar("SELECT count(*) FROM dues_payments") == 0
    assert ledger.scalar("SELECT count(*) FROM remittances") == 0
    assert dues.DuesBook.shared(ledger).people[ids[0]].paid == {}
