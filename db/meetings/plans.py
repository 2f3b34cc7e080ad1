"""Planned meetings: a date, kinds and topic entered ahead (SavePlannedMeeting, DeletePlannedMeeting) that the
M11 reminder mentions before the meeting is due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db.dates import fmt_zh
from db.errors import InputRefused, Problem
from db.meetings.model import _blank
from db.rules.meetings import KIND_SHORT, KINDS

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass
class PlannedMeeting:
    id: int | None = None
    date: dt.date | None = None
    kinds: list[str] = field(default_factory=list)
    topic: str | None = None
    group_id: int | None = None
    notes: str | None = None

    @property
    def kinds_label(self) -> str:
        return "、".join(KIND_SHORT[k] for k in KINDS if k in self.kinds)


def list_plans(ledger: Ledger) -> list[PlannedMeeting]:
    return [
        PlannedMeeting(
            r["id"],
            dt.date.fromisoformat(r["date"]),
            [k for k in r["kinds"].split(",") if k],
            r["topic"],
            r["group_id"],
            r["notes"],
        )
        for r in ledger.query("SELECT * FROM planned_meetings ORDER BY date, id")
    ]


def save_plan(ledger: Ledger, p: PlannedMeeting) -> int:
    """SavePlannedMeeting: a date and topic the reminders (M11) mention before the meeting is due."""
    problems = []
    if p.date is None:
        problems.append(Problem("请填写计划日期", column="日期"))
    if not p.kinds or any(k not in KINDS for k in p.kinds):
        problems.append(Problem("请选择会议类型", column="会议类型"))
    if problems:
        raise InputRefused(problems, "会议计划有误，未保存")
    assert p.date is not None
    vals = (
        p.date.isoformat(),
        ",".join(k for k in KINDS if k in p.kinds),
        _blank(p.topic),
        p.group_id,
        _blank(p.notes),
    )
    with ledger.operation("SavePlannedMeeting", f"保存会议计划 {fmt_zh(p.date)} {p.kinds_label}") as op:
        if p.id is None:
            cur = ledger.conn.execute(
                "INSERT INTO planned_meetings(date, kinds, topic, group_id, notes) VALUES (?,?,?,?,?)", vals
            )
            op.value = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                "UPDATE planned_meetings SET date=?, kinds=?, topic=?, group_id=?, notes=? WHERE id=?",
                (*vals, p.id),
            )
            op.value = p.id
    p.id = int(op.value)
    return p.id


def delete_plan(ledger: Ledger, plan_id: int) -> None:
    with ledger.operation("DeletePlannedMeeting", "删除会议计划"):
        ledger.conn.execute("DELETE FROM planned_meetings WHERE id=?", (plan_id,))
