"""Interchange section `opening_balances` (issue #15): per member 党费已交至 and the last 组织生活 known from paper.
The start date itself is `settings.records_start_on`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.dates import from_iso, iso
from db.errors import InputRefused, Problem
from db.interchange import section
from db.opening.store import Opening, list_openings, problems_of, write_opening

if TYPE_CHECKING:
    from db.connection import Ledger


@section("opening_balances", order=35)
def dump_openings(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        {
            "member_id": o.member_id,
            "dues_paid_through": o.dues_paid_through,
            "last_org_life_on": iso(o.last_org_life_on),
            "notes": o.notes,
        }
        for o in list_openings(ledger)
    ]


@dump_openings.loader  # type: ignore[attr-defined,untyped-decorator]
def load_openings(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    problems: list[Problem] = []
    known = {r[0] for r in ledger.query("SELECT id FROM members")}
    seen: set[int] = set()
    rows: list[Opening] = []
    for i, raw in enumerate(value):
        where = f"opening_balances[{i}]"
        mid = raw.get("member_id")
        if not isinstance(mid, int) or mid not in known:
            problems.append(Problem(f"党员编号 {mid} 不在 members 中", column=f"{where}.member_id"))
            continue
        if mid in seen:
            problems.append(Problem(f"党员编号 {mid} 的期初数据重复", column=f"{where}.member_id"))
            continue
        seen.add(mid)
        o = Opening(
            mid, raw.get("dues_paid_through"), from_iso(raw.get("last_org_life_on")), raw.get("notes")
        )
        problems.extend(problems_of(o, where))
        rows.append(o)
    if problems:
        raise InputRefused(problems, "交换文件中的期初数据有误，未写入任何内容")
    for o in rows:
        write_opening(ledger, o)
