"""Benchmark rows for 党费 (issue 4): recording a month for a 40-member branch (the one action) and `dues_report`
for a 60-member, 10-year ledger (the generated demo at that size). Measured, never asserted."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path
from typing import Any


def _forty(tmp: Path) -> Any:
    from db import branch, dues, members
    from db.connection import open_ledger

    ledger = open_ledger(tmp / "bench-dues-40.sqlite", create=True)
    branch.save_branch(ledger, branch.Branch(name="中共基准测试科技有限公司支部委员会"))
    with ledger.operation("BenchSetup", "基准数据"):
        for i in range(40):
            mid = members.insert(ledger, members.Member(name=f"党员{i:02d}", joined_on=dt.date(2010, 1, 1)))
            dues.save_base(
                ledger,
                dues.BaseEntry(mid, 2026, "employed", base=Decimal(3000 + 250 * i)),
                on=dt.date(2026, 1, 15),
            )
    return ledger


def run(tmp: Path) -> list[dict[str, Any]]:
    import json

    from db import dues, interchange
    from db.connection import open_ledger
    from resources.demo.generate import generate

    tmp.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    ledger = _forty(tmp)
    try:
        t0 = time.perf_counter()
        res = dues.record_month(
            ledger,
            "2026-03",
            dt.date(2026, 3, 10),
            collector="组织委员",
            unpaid=[1, 2],
            amounts={3: Decimal("100.00")},
        )
        took = time.perf_counter() - t0
        rows.append(
            {
                "name": "dues: record a month, 40 members (one action, 3 exceptions)",
                "value": took * 1000,
                "unit": "ms",
                "note": f"{res.recorded} payments in one operation",
            }
        )
    finally:
        ledger.close()

    doc = generate(seed=7, members=60, years=10)
    big = open_ledger(tmp / "bench-dues-60x10.sqlite", create=True)
    try:
        interchange.load(big, json.loads(json.dumps(doc)))
        n_pay = len(doc.get("dues_payments", []))
        year = dt.date(2026, 11, 22).year
        t0 = time.perf_counter()
        rep = dues.dues_report(big, year, as_of=dt.date(2026, 11, 22))
        took = time.perf_counter() - t0
        rows.append(
            {
                "name": "dues: dues_report, 60 members × 10 years",
                "value": took * 1000,
                "unit": "ms",
                "note": f"{len(rep['members'])} members in {year}, {n_pay} payments in the ledger",
            }
        )
        t0 = time.perf_counter()
        found = dues.findings(big, dt.date(2026, 11, 22))
        rows.append(
            {
                "name": "dues: findings P01–P05/R03, 60 members × 10 years",
                "value": (time.perf_counter() - t0) * 1000,
                "unit": "ms",
                "note": f"{len(found)} findings",
            }
        )
    finally:
        big.close()
    return rows


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        for r in run(Path(d)):
            print(f"{r['name']}: {r['value']:.1f} {r['unit']} ({r['note']})")
