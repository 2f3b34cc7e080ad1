"""党小组: the branch's groups, each with a leader and the dates it was set up and dissolved (RULES.md §4).

Members carry their group in `members.group_id` (with its dated history); a group that has members or
meetings is not deleted but given a dissolution date.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.dates import from_iso, iso
from db.errors import InputRefused, Problem

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass
class PartyGroup:
    id: int | None = None
    name: str = ""
    leader_id: int | None = None
    created_on: dt.date | None = None
    dissolved_on: dt.date | None = None
    notes: str | None = None

    def exists_on(self, on: dt.date) -> bool:
        return (self.created_on is None or self.created_on <= on) and (
            self.dissolved_on is None or self.dissolved_on > on
        )


def _group(row: sqlite3.Row) -> PartyGroup:
    return PartyGroup(
        row["id"],
        row["name"],
        row["leader_id"],
        from_iso(row["created_on"]),
        from_iso(row["dissolved_on"]),
        row["notes"],
    )


def list_groups(ledger: Ledger) -> list[PartyGroup]:
    return [_group(r) for r in ledger.query("SELECT * FROM party_groups ORDER BY id")]


def groups_on(ledger: Ledger, on: dt.date) -> list[PartyGroup]:
    return [g for g in list_groups(ledger) if g.exists_on(on)]


def save_group(ledger: Ledger, g: PartyGroup) -> int:
    if not g.name.strip():
        raise InputRefused([Problem("党小组名称不能为空", column="名称")])
    if g.created_on and g.dissolved_on and g.dissolved_on <= g.created_on:
        raise InputRefused([Problem("撤销日期应晚于成立日期", column="撤销日期")])
    params = (g.name.strip(), g.leader_id, iso(g.created_on), iso(g.dissolved_on), g.notes)
    with ledger.operation("SaveGroup", f"保存党小组 {g.name}") as op:
        if g.id is None:
            cur = ledger.conn.execute(
                "INSERT INTO party_groups(name, leader_id, created_on, dissolved_on, notes) VALUES (?,?,?,?,?)",
                params,
            )
            op.value = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                "UPDATE party_groups SET name=?, leader_id=?, created_on=?, dissolved_on=?, notes=? WHERE id=?",
                (*params, g.id),
            )
            op.value = g.id
    return int(op.value)


def delete_group(ledger: Ledger, group_id: int) -> None:
    n = ledger.scalar("SELECT count(*) FROM members WHERE group_id=?", (group_id,))
    if n:
        raise InputRefused([Problem(f"该党小组还有 {n} 名党员，请先调整他们的党小组，或填写撤销日期")])
    with ledger.operation("DeleteGroup", "删除党小组"):
        try:
            ledger.conn.execute("DELETE FROM party_groups WHERE id=?", (group_id,))
        except sqlite3.IntegrityError:
            raise InputRefused([Problem("该党小组已有会议记录，不能删除；请填写撤销日期")]) from None
