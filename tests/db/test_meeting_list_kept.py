"""The 三会一课 list is kept between operations (db/meetings/store.py `list_meetings`, issue #16): after each kind
of change it reads — a record's attendance and kinds, an attachment, a 补学 ticked off, the 补记 setting, a
member's change that touches none of them, an undo — the kept list equals one read afresh."""

from __future__ import annotations

import dataclasses
import datetime as dt

from db import clock, meetings, members, settings
from db.connection import Ledger
from db.meetings.store import _read_list


def _assert_fresh(led: Ledger) -> None:
    assert meetings.list_meetings(led) == _read_list(led, None)


def test_the_kept_list_follows_every_change_it_reads(demo_ledger: Ledger) -> None:
    led = demo_ledger
    first = meetings.list_meetings(led)
    assert first and meetings.list_meetings(led) == first
    assert meetings.list_meetings(led) is not meetings.list_meetings(led)  # each caller has its own list

    draft = next(r for r in first if r.finalized_on is None and not r.paper)
    m = meetings.get_meeting(led, draft.id)
    present = next(a for a in m.attendance if a.status == "present")
    m.attendance = [
        dataclasses.replace(a, status="absent", reason="出差") if a is present else a for a in m.attendance
    ]
    m.kinds = tuple(sorted({*m.kinds, "lecture"}))
    if "lecture" in m.kinds and not m.lecture_title:
        m.lecture_title = "党课：测试"
    meetings.update_meeting(led, m)
    _assert_fresh(led)
    row = next(r for r in meetings.list_meetings(led) if r.id == draft.id)
    assert row.present == draft.present - 1

    meetings.add_attachment(led, draft.id, "签到表.txt", b"sign-in", kind="other")
    _assert_fresh(led)
    assert (
        next(r for r in meetings.list_meetings(led) if r.id == draft.id).attachments == draft.attachments + 1
    )

    open_makeup = led.scalar("SELECT id FROM meeting_makeups WHERE done_on IS NULL ORDER BY id LIMIT 1")
    assert open_makeup is not None  # the demo has absentees with 补学 to do
    meetings.record_makeup(led, open_makeup, clock.today())
    _assert_fresh(led)

    days = int(settings.get(led, "late_entry_days"))
    settings.update(led, {"late_entry_days": 1 if days != 1 else 2})
    _assert_fresh(led)

    members.add(led, members.Member(name="列表外的人", joined_on=dt.date(2020, 1, 1)))
    _assert_fresh(led)

    for _ in range(5):  # the five operations above, newest first
        led.undo_last()
        _assert_fresh(led)
    assert meetings.list_meetings(led) == first
