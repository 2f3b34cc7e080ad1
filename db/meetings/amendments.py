"""Amendments after 定稿: AmendMeeting writes a dated change with its reason beside the original text, field
by field, as `describe` renders each amendable field for a reader to compare.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import clock
from db.dates import iso
from db.errors import InputRefused, Problem
from db.meetings.attendance import _fill_categories
from db.meetings.model import Meeting
from db.meetings.store import _op_label, _update_row, get_meeting
from db.meetings.validation import _refuse_if_invalid

if TYPE_CHECKING:
    from db.connection import Ledger


def describe(m: Meeting) -> dict[str, str]:
    """Each amendable field as the text a reader compares (before/after of an amendment)."""

    def person(i: int | None) -> str:
        return m.name_of(i)

    out: dict[str, str] = {
        "kinds": m.kinds_label,
        "date": iso(m.date) or "",
        "start_time": m.start_time or "",
        "end_time": m.end_time or "",
        "place": m.place or "",
        "host_id": person(m.host_id),
        "recorder_id": person(m.recorder_id),
        "group_id": "" if m.group_id is None else str(m.group_id),
        "topic": m.topic or "",
        "lecturer": m.lecturer or "",
        "lecture_title": m.lecture_title or "",
        "minutes": m.minutes or "",
        "leftover": m.leftover or "",
        "observers": m.observers or "",
        "notes": m.notes or "",
    }
    out["agenda"] = "\n".join(
        f"{i}. {it.title}"
        + (f"：{it.minutes}" if it.minutes else "")
        + "".join(f"\n   {s.speaker_name or person(s.speaker_id)}：{s.gist}" for s in it.speeches)
        for i, it in enumerate(m.agenda, start=1)
    )
    out["decisions"] = "\n".join(
        f"{i}. {d.text}（{d.method_label}"
        + (
            f"，赞成{d.yes or 0} 反对{d.no or 0} 弃权{d.abstain or 0} 书面意见{d.written or 0}"
            if d.has_vote
            else ""
        )
        + "）"
        for i, d in enumerate(m.decisions, start=1)
    )
    out["attendance"] = "；".join(
        f"{a.name or person(a.member_id)} {a.status_label}" + (f"（{a.reason}）" if a.reason else "")
        for a in m.attendance
    )
    out["excluded"] = "；".join(f"{x.name or person(x.member_id)}（{x.reason}）" for x in m.excluded)
    return out


def amend_meeting(ledger: Ledger, m: Meeting, reason: str, on: dt.date | None = None) -> list[str]:
    """AmendMeeting: a change after 定稿, dated, with its reason; the original text is kept beside it.
    Returns the fields changed (none: nothing is written)."""
    assert m.id is not None
    if not (reason or "").strip():
        raise InputRefused([Problem("请写明更正原因", column="更正原因")])
    old = get_meeting(ledger, m.id)
    if not old.is_final:
        raise InputRefused([Problem("草稿可以直接修改，不需要更正记录")])
    _refuse_if_invalid(m)
    _fill_categories(ledger, m)
    m.names = old.names
    before, after = describe(old), describe(m)
    changed = [k for k in before if before[k] != after[k]]
    if not changed:
        return []
    when = (on or clock.today()).isoformat()
    with ledger.operation("AmendMeeting", _op_label("更正会议记录", m)):
        for k in changed:
            ledger.conn.execute(
                "INSERT INTO meeting_amendments(meeting_id, amended_on, field, before, after, reason) "
                "VALUES (?,?,?,?,?,?)",
                (m.id, when, k, before[k], after[k], reason.strip()),
            )
        _update_row(ledger, m.id, m)
    return changed
