"""Ledger.changed_fields_since: the fields of the row images the change log holds, read by SQLite's json_extract,
equal to what parsing each image in Python gives (the kept dues views read the payments an operation touched from
it), for inserts, updates and deletes, in the order made, and None past the limit."""

from __future__ import annotations

import json
from typing import Any

from db.connection import Ledger

FIELDS = ("member_id", "month", "amount", "paid_on")


def _parsed(ledger: Ledger, since: int) -> list[tuple[tuple[Any, ...] | None, tuple[Any, ...] | None]]:
    rows = ledger.query(
        "SELECT action, before, after FROM changes WHERE op_id > ? AND tbl='dues_payments' ORDER BY id",
        (since,),
    )
    out = []
    for _action, before, after in rows:
        images = [None if not i else tuple(json.loads(i).get(f) for f in FIELDS) for i in (before, after)]
        out.append((images[0], images[1]))
    return out


def _member(ledger: Ledger, name: str) -> int:
    with ledger.operation("AddMember", name):
        cur = ledger.conn.execute(
            "INSERT INTO members(name, gender, category, joined_on) VALUES (?, 'female', 'full', '2020-01-01')",
            (name,),
        )
    return int(cur.lastrowid or 0)


def test_inserts_updates_and_deletes_read_as_parsed(ledger: Ledger) -> None:
    a, b = _member(ledger, "甲"), _member(ledger, "乙")
    since = int(ledger.scalar("SELECT max(id) FROM ops"))
    with ledger.operation("Pay", "两笔"):
        for mid, month in ((a, "2026-01"), (b, "2026-02")):
            ledger.conn.execute(
                "INSERT INTO dues_payments(member_id, month, amount, paid_on, method) "
                "VALUES (?, ?, '12.50', '2026-02-03', 'cash')",
                (mid, month),
            )
    with ledger.operation("Fix", "改一笔"):
        ledger.conn.execute("UPDATE dues_payments SET month='2026-03', paid_on=NULL WHERE member_id=?", (b,))
    with ledger.operation("Drop", "删一笔"):
        ledger.conn.execute("DELETE FROM dues_payments WHERE member_id=?", (a,))
    got = ledger.changed_fields_since(since, "dues_payments", FIELDS, 1_000)
    assert got == _parsed(ledger, since)
    assert got == [
        (None, (a, "2026-01", "12.50", "2026-02-03")),
        (None, (b, "2026-02", "12.50", "2026-02-03")),
        ((b, "2026-02", "12.50", "2026-02-03"), (b, "2026-03", "12.50", None)),
        ((a, "2026-01", "12.50", "2026-02-03"), None),
    ]
    # only the operations after the one given; past the limit: None (building afresh is then the better way)
    assert ledger.changed_fields_since(since + 1, "dues_payments", FIELDS, 1_000) == got[2:]
    assert ledger.changed_fields_since(since, "dues_payments", FIELDS, 3) is None
    assert ledger.changed_fields_since(since, "dues_payments", FIELDS, 4) == got
    assert ledger.changed_fields_since(since, "meetings", FIELDS, 4) == []
