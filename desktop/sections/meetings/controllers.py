"""三会一课 controllers: the small functions behind the screens that are not layout — who can be picked as host,
recorder or speaker on a date, a new record pre-filled for a kind and date (attendance as of that date, the
usual host and recorder), 发言要点 text to and from speeches, search-hit highlighting, and the date a
cadence cell starts a new meeting with."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from db import branch, meetings
from db import members as members_mod
from db.meetings import AgendaItem, Meeting, Speech
from db.rules import meetings as rules

HIGHLIGHT = "#FFE082"


def member_choices(ledger: Any, on: dt.date | None) -> list[tuple[int, str]]:
    """People to pick as host/recorder/speaker: the roster on the meeting date (everyone if no date). Kept per
    date until the members change: a record's load fills four such lists."""
    got: tuple[tuple[int, str], ...] = ledger.memo_reads(
        f"meetings.member_choices.{on or ''}", lambda: _read_choices(ledger, on)
    )
    return list(got)


def _read_choices(ledger: Any, on: dt.date | None) -> tuple[tuple[int, str], ...]:
    if on is None:
        return tuple((m.id, m.name) for m in members_mod.list_members(ledger, include_inactive=False) if m.id)
    return tuple((r.id, r.name) for r in members_mod.roster_on(ledger, on))


def new_meeting_for(ledger: Any, kinds: list[str], on: dt.date, group_id: int | None = None) -> Meeting:
    """A new record with the attendance of that date pre-filled and the usual host/recorder."""
    m = Meeting(kinds=list(kinds), date=on, group_id=group_id)
    m.attendance = meetings.expected_attendance(ledger, on, m.kinds, group_id)
    if "group" in kinds and group_id is not None:
        g = next((g for g in branch.list_groups(ledger) if g.id == group_id), None)
        m.host_id = g.leader_id if g else None
    else:
        m.host_id = branch.secretary_on(ledger, on)
        t = branch.term_on(ledger, on)
        if t:
            m.recorder_id = next((s.member_id for s in t.seats_on(on) if s.role == "organization"), None)
    return m


def parse_speeches(text: str, names: dict[str, int]) -> list[Speech]:
    """One line per speaker, "姓名：要点"; a name on the roster is linked, anyone else is kept by name."""
    out: list[Speech] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in ("：", ":"):
            if sep in line:
                who, gist = line.split(sep, 1)
                who = who.strip()
                if who in names:
                    out.append(Speech(gist.strip(), speaker_id=names[who]))
                else:
                    out.append(Speech(gist.strip(), speaker_name=who or None))
                break
        else:
            out.append(Speech(line))
    return out


def speeches_text(m: Meeting, item: AgendaItem) -> str:
    return "\n".join(
        f"{s.speaker_name or m.name_of(s.speaker_id)}：{s.gist}"
        if (s.speaker_name or s.speaker_id)
        else s.gist
        for s in item.speeches
    )


def highlight_html(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out, pos = [], 0
    for start, length in spans:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<span style="background:{HIGHLIGHT}">{html.escape(text[start : start + length])}</span>')
        pos = start + length
    out.append(html.escape(text[pos:]))
    return "".join(out)


def cell_for(period: rules.Period, today: dt.date) -> dt.date:
    """The date a new meeting for a cadence cell starts with: today inside the period, else its last day."""
    return today if period.contains(today) else period.end
