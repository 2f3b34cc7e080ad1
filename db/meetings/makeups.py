"""补学 follow-ups: every absentee (请假 or 缺席) of a meeting gets one when the record is written
(`_sync_makeups`), and RecordMakeupStudy ticks it off or reopens it; `open_makeups` lists those still open.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db.dates import iso
from db.errors import InputRefused, Problem
from db.meetings.attendance import _names
from db.meetings.model import Meeting, _blank

if TYPE_CHECKING:
    from db.connection import Ledger


def _sync_makeups(ledger: Ledger, meeting_id: int, m: Meeting) -> None:
    """Each absentee (请假 or 缺席) gets a 补学 follow-up; an open one goes away if they were present after all."""
    absent = {a.member_id for a in m.absentees}
    have = {
        r[0]: r[1]
        for r in ledger.query(
            "SELECT member_id, done_on FROM meeting_makeups WHERE meeting_id=?", (meeting_id,)
        )
    }
    for mid in absent - set(have):
        ledger.conn.execute(
            "INSERT INTO meeting_makeups(meeting_id, member_id) VALUES (?, ?)", (meeting_id, mid)
        )
    for mid, done in have.items():
        if mid not in absent and done is None:
            ledger.conn.execute(
                "DELETE FROM meeting_makeups WHERE meeting_id=? AND member_id=?", (meeting_id, mid)
            )


def record_makeup(ledger: Ledger, makeup_id: int, done_on: dt.date | None, note: str | None = None) -> None:
    """RecordMakeupStudy: tick off (or, with None, reopen) an absentee's 补学."""
    row = ledger.query_one(
        "SELECT k.member_id, m.date FROM meeting_makeups k JOIN meetings m ON m.id=k.meeting_id WHERE k.id=?",
        (makeup_id,),
    )
    if row is None:
        raise KeyError(makeup_id)
    if done_on is not None and done_on < dt.date.fromisoformat(row[1]):
        raise InputRefused([Problem("补学日期不能早于会议日期", column="补学日期")])
    name = _names(ledger).get(row[0], "")
    with ledger.operation("RecordMakeupStudy", f"登记补学 {name}"):
        ledger.conn.execute(
            "UPDATE meeting_makeups SET done_on=?, note=? WHERE id=?", (iso(done_on), _blank(note), makeup_id)
        )


def open_makeups(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in ledger.query(
            "SELECT k.id, k.meeting_id, k.member_id, mb.name, m.date FROM meeting_makeups k "
            "JOIN meetings m ON m.id=k.meeting_id JOIN members mb ON mb.id=k.member_id "
            "WHERE k.done_on IS NULL ORDER BY m.date DESC"
        )
    ]
