"""The 三会一课 list is kept between operations (db/meetings/store.py `list_meetings`, issue #16) and brought up to
date by reading again only the meetings an operation changed: after each kind of change it reads — a record's
attendance and kinds, an attachment, a 补学 ticked off, a new record, a deleted draft, an amendment after 定稿,
the 补记 setting (the whole list read again), a change to a member that touches none of them, an undo — the
kept list equals one read afresh, in the same order."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from db import clock, meetings, members, settings
from db.connection import Ledger
from db.meetings import store
from db.meetings.store import _read_list


def _assert_fresh(led: Ledger) -> None:
    assert meetings.list_meetings(led) == _read_list(led, None)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The meeting ids each read of the list asked for (None: all of them)."""
    seen: list[Any] = []
    real = store._read_list

    def spy(ledger: Ledger, year: int | None, ids: list[int] | None = None) -> Any:
        seen.append(ids)
        return real(ledger, year, ids)

    monkeypatch.setattr(store, "_read_list", spy)
    return seen


def test_the_kept_list_follows_every_change_it_reads(demo_ledger: Ledger, reads: list[Any]) -> None:
    led = demo_ledger
    first = meetings.list_meetings(led)
    assert first and meetings.list_meetings(led) == first
    assert reads == [None]  # read once, then kept
    assert meetings.list_meetings(led) is not meetings.list_meetings(led)  # each caller has its own list

    draft = next(r for r in first if r.finalized_on is None and not r.paper)
    m = meetings.get_meeting(led, draft.id)
    present = next(a for a in m.attendance if a.status == "present")
    m.attendance = [
        dataclasses.replace(a, status="absent", reason="出差") if a is present else a for a in m.attendance
    ]
    m.kinds = tuple(sorted({*m.kinds, "lecture"}))
    if not m.lecture_title:
        m.lecture_title = "党课：测试"
    meetings.update_meeting(led, m)
    reads.clear()
    _assert_fresh(led)
    assert reads[0] == [draft.id]  # only the record saved was read again
    row = next(r for r in meetings.list_meetings(led) if r.id == draft.id)
    assert row.present == draft.present - 1 and "lecture" in row.kinds

    meetings.add_attachment(led, draft.id, "签到表.txt", b"sign-in", kind="other")
    _assert_fresh(led)
    assert (
        next(r for r in meetings.list_meetings(led) if r.id == draft.id).attachments == draft.attachments + 1
    )

    open_makeup = led.scalar("SELECT id FROM meeting_makeups WHERE done_on IS NULL ORDER BY id LIMIT 1")
    assert open_makeup is not None  # the demo has absentees with 补学 to do
    meetings.record_makeup(led, open_makeup, clock.today())
    _assert_fresh(led)

    # a new record the earliest of all, and one on the same day as the newest: the order is the list's
    oldest = meetings.create_meeting(
        led, meetings.Meeting(date=first[-1].date - dt.timedelta(days=1), kinds=("committee",), topic="最早")
    )
    newest = meetings.create_meeting(
        led, meetings.Meeting(date=first[0].date, kinds=("committee",), topic="同日")
    )
    _assert_fresh(led)
    ids = [r.id for r in meetings.list_meetings(led)]
    assert ids[-1] == oldest and newest in ids[:3]

    meetings.delete_meeting(led, oldest)
    _assert_fresh(led)
    assert oldest not in {r.id for r in meetings.list_meetings(led)}

    final = next(r for r in first if r.finalized_on is not None and not r.paper)
    fm = meetings.get_meeting(led, final.id)
    fm.topic = (fm.topic or "") + "（更正）"
    assert meetings.amend_meeting(led, fm, "笔误")
    _assert_fresh(led)
    assert next(r for r in meetings.list_meetings(led) if r.id == final.id).topic.endswith("（更正）")

    days = int(settings.get(led, "late_entry_days"))
    reads.clear()
    settings.update(led, {"late_entry_days": 1 if days != 1 else 2})
    _assert_fresh(led)
    assert reads[0] is None  # the 补记 setting: the whole list read again

    members.add(led, members.Member(name="列表外的人", joined_on=dt.date(2020, 1, 1)))
    reads.clear()
    _assert_fresh(led)
    assert reads == []  # kept: nothing read again (the comparison reads on its own)

    for _ in range(9):  # the nine operations above, newest first
        led.undo_last()
        _assert_fresh(led)
    assert meetings.list_meetings(led) == first
