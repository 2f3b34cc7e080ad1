"""`meetings_between` reads a period's meetings in one go: each the same record `get_meeting` gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db import interchange, meetings
from db.connection import open_ledger


def test_meetings_between_equals_get_meeting_one_by_one(tmp_path: Path) -> None:
    import resources

    led = open_ledger(tmp_path / "demo.sqlite", create=True)
    try:
        interchange.load_file(led, resources.demo_document())
        for start, end in (
            (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
            (dt.date(2025, 3, 1), dt.date(2025, 5, 31)),
        ):
            got = meetings.meetings_between(led, start, end)
            want = [r.id for r in meetings.list_meetings(led) if start <= r.date <= end]
            assert want and sorted(got) == sorted(want)
            for mid in want:
                assert got[mid] == meetings.get_meeting(led, mid)
        assert meetings.meetings_between(led, dt.date(1990, 1, 1), dt.date(1990, 12, 31)) == {}
    finally:
        led.close()
