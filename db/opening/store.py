"""Opening balances per member (issue #15 §1): 党费已交至 (the last month paid for, from the paper 登记表) and the
last 组织生活 attended (from the paper 记录本), so arrears and R03 start from the truth without inventing payments
or meetings. 入党/转正 dates known from paper are the member's own fields (花名册)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db import clock
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem

if TYPE_CHECKING:
    from db.connection import Ledger

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Opening:
    member_id: int
    dues_paid_through: str | None = None  # "YYYY-MM"
    last_org_life_on: dt.date | None = None
    notes: str | None = None

    @property
    def empty(self) -> bool:
        return self.dues_paid_through is None and self.last_org_life_on is None and not self.notes


def list_openings(ledger: Ledger) -> list[Opening]:
    return [
        Opening(r["member_id"], r["dues_paid_through"], from_iso(r["last_org_life_on"]), r["notes"])
        for r in ledger.query(
            "SELECT member_id, dues_paid_through, last_org_life_on, notes FROM member_openings ORDER BY member_id"
        )
    ]


def openings_by_member(ledger: Ledger) -> dict[int, Opening]:
    return {o.member_id: o for o in list_openings(ledger)}


def month_problem(value: str | None) -> str | None:
    """A Chinese message when value is not a month "YYYY-MM" (None is fine: unknown)."""
    if value is None:
        return None
    m = _MONTH.match(value)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return f"“{value}”不是月份（应为 YYYY-MM，如 2026-10）"
    return None


def problems_of(o: Opening, where: str, name: str | None = None) -> list[Problem]:
    out: list[Problem] = []
    who = f"{name}：" if name else ""
    msg = month_problem(o.dues_paid_through)
    if msg:
        out.append(Problem(f"{who}党费已交至 {msg}", column=f"{where}.dues_paid_through"))
    today = clock.today()
    if o.last_org_life_on is not None and o.last_org_life_on > today:
        out.append(
            Problem(
                f"{who}最近一次组织生活 {fmt_zh(o.last_org_life_on)} 晚于今天",
                column=f"{where}.last_org_life_on",
            )
        )
    return out


def write_opening(ledger: Ledger, o: Opening) -> None:
    """Insert or replace one member's opening row (inside an operation); an empty row is deleted."""
    if o.empty:
        ledger.conn.execute("DELETE FROM member_openings WHERE member_id=?", (o.member_id,))
        return
    ledger.conn.execute(
        "INSERT INTO member_openings(member_id, dues_paid_through, last_org_life_on, notes) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(member_id) DO UPDATE SET dues_paid_through=excluded.dues_paid_through, "
        "last_org_life_on=excluded.last_org_life_on, notes=excluded.notes",
        (o.member_id, o.dues_paid_through, iso(o.last_org_life_on), o.notes),
    )


def save_openings(ledger: Ledger, rows: Iterable[Opening]) -> int:
    """Save many members' opening balances as one operation (all or nothing). Returns how many rows changed."""
    rows = list(rows)
    names = {r[0]: r[1] for r in ledger.query("SELECT id, name FROM members")}
    problems: list[Problem] = []
    for o in rows:
        if o.member_id not in names:
            problems.append(Problem(f"党员编号 {o.member_id} 不在花名册中", column="member_id"))
            continue
        problems.extend(problems_of(o, "期初", names[o.member_id]))
    if problems:
        raise InputRefused(problems, "期初数据有误，未保存")
    current = openings_by_member(ledger)
    changed = [o for o in rows if _differs(current.get(o.member_id), o)]
    if not changed:
        return 0
    with ledger.operation("SaveOpenings", f"录入期初数据（{len(changed)}人）"):
        for o in changed:
            write_opening(ledger, o)
    return len(changed)


def _differs(old: Opening | None, new: Opening) -> bool:
    if old is None:
        return not new.empty
    return (old.dues_paid_through, old.last_org_life_on, old.notes) != (
        new.dues_paid_through,
        new.last_org_life_on,
        new.notes,
    )
