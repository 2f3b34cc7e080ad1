"""学时 per member and year (RULES-EXT.md §10): hours from the branch meetings that count (XS04, a setting) at
1 学时 an hour (XS06), plus the records, against the target — 32 for every member (XS01), the committee's
configurable default (XS03) — pro rata for a member in the branch part of the year, none when exempted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from db import members as members_mod
from db.rules.orglife import MEMBER_TARGET, meeting_hours, prorated_target
from db.study.model import MeetingHours, MemberYear
from db.study.store import exemptions, list_records
from db.talks.coverage import Seats

if TYPE_CHECKING:
    from db.connection import Ledger

# XS04: which branch meetings count as 集体学习 (setting `study_meeting_kinds`, local practice).
COUNTED_KINDS = {
    "lecture": ("lecture",),
    "lecture_theme_day": ("lecture", "theme_day"),
    "all_study": ("lecture", "theme_day", "assembly", "group"),
}


def counted_kinds(ledger: Ledger) -> tuple[str, ...]:
    return COUNTED_KINDS.get(
        str(ledger.setting("study_meeting_kinds", "lecture_theme_day")), ("lecture", "theme_day")
    )


def committee_target(ledger: Ledger) -> Decimal:
    return Decimal(int(ledger.setting("study_target_committee", 56)))


def months_in_branch(m: members_mod.Member, year: int) -> int:
    """Whole months of the year from the day the member came into the branch (the month they came in counts when
    they came on its first day)."""
    since = m.in_branch_since or m.joined_on
    if since is None or since <= dt.date(year, 1, 1):
        return 12
    if since.year > year:
        return 0
    return 12 - since.month + (1 if since.day == 1 else 0)


def member_years(ledger: Ledger, year: int, as_of: dt.date | None = None) -> list[MemberYear]:
    """Every member on the roster at the year end (or `as_of`, if earlier) with the year's hours to that day."""
    day = min(as_of or dt.date(year, 12, 31), dt.date(year, 12, 31))
    committee = Seats(ledger).ids_on(day)
    default = Decimal(int(ledger.setting("study_default_meeting_hours", 2)))
    kinds = counted_kinds(ledger)
    from db.care.store import exempt_in_year  # 关怀豁免 (JG06): 学习教育不作硬性要求

    exempt = {**exempt_in_year(ledger, year), **{e.member_id: e.reason for e in exemptions(ledger, year)}}
    rows: dict[int, MemberYear] = {}
    on_committee_target: Decimal | None = None  # the setting read once, when a 委员 is on the roster
    for mo in members_mod.roster_on(ledger, day):
        if mo.id in committee:
            if on_committee_target is None:
                on_committee_target = committee_target(ledger)
            base = on_committee_target
        else:
            base = MEMBER_TARGET
        rows[mo.id] = MemberYear(
            mo.id,
            mo.name,
            mo.id in committee,
            prorated_target(base, months_in_branch(mo.member, year)),
            exemption=exempt.get(mo.id),
        )
    marks = ", ".join("?" for _ in kinds)
    counted = (
        "SELECT id FROM meetings m WHERE date BETWEEN ? AND ? "
        f"AND EXISTS (SELECT 1 FROM meeting_kinds k WHERE k.meeting_id=m.id AND k.kind IN ({marks}))"
    )
    window = (f"{year}-01-01", day.isoformat(), *kinds)
    # who was present, one row per meeting (a year of a 500-member branch is ~15,000 attendance rows), then
    # the meetings in date order: each member's meetings appended in that order
    present: dict[int, str] = {
        r[0]: r[1]
        for r in ledger.rows(
            "SELECT meeting_id, group_concat(member_id) FROM meeting_attendance "
            f"WHERE status='present' AND meeting_id IN ({counted}) GROUP BY meeting_id",
            window,
        )
    }
    for meeting_id, date, start_time, end_time, title in ledger.rows(
        "SELECT id, date, start_time, end_time, coalesce(lecture_title, topic, '') FROM meetings "
        f"WHERE id IN ({counted}) ORDER BY date, id",
        window,
    ):
        ids = present.get(meeting_id)
        if not ids:
            continue
        hours: MeetingHours | None = None  # one meeting's hours, the same for everyone present
        for member_id in ids.split(","):
            row = rows.get(int(member_id))
            if row is not None:
                if hours is None:
                    hours = MeetingHours(
                        meeting_id,
                        dt.date.fromisoformat(date),
                        title,
                        meeting_hours(start_time, end_time, default),
                    )
                row.meetings.append(hours)
    for rec in list_records(ledger, year, until=day):
        row = rows.get(rec.member_id)
        if row is not None:
            row.records.append(rec)
    return sorted(rows.values(), key=lambda r: (not r.on_committee, r.member_id))
