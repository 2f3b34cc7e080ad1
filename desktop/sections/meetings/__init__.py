"""三会一课: the year's cadence (months × kinds, each cell held / missing / due / not required; a click opens or
creates the meeting), the meeting list with search as you type (matches highlighted), and the meeting editor —
kinds, time and place, host and recorder, attendance pre-filled from the roster as of the meeting date, 议题 with
minutes, decisions with the quorum and pass verdict computed while the vote is typed, 定稿 and dated
amendments, 补学, attachments, and the 记录本 / 签到表 print-outs. Plans (date, topic) feed the reminders.

One file per concern:
    section.py      the section: overview page (year, grid, list, search) stacked with the editor
    grid.py         the year grid of cadence cells
    editor.py       one meeting's form and its actions (save, 定稿, delete, print presets)
    editor_base.py  the editor state its parts share
    attendance.py   出席情况: who is expected on the date, statuses, 列席, not counted, counts and verdicts
    after_save.py   补学, amendments after 定稿, attachments
    agenda.py       the 议题 and 决议 boxes
    dialogs.py      登记补学 and 会议计划
    controllers.py  the non-layout helpers (new record for a date, speeches text, highlighting)

desktop.sections loads this package by name and reads `SECTION`."""

from __future__ import annotations

from desktop.sections.lazy import lazy_exports
from desktop.sections.meetings.controllers import (
    HIGHLIGHT,
    cell_for,
    highlight_html,
    member_choices,
    new_meeting_for,
    parse_speeches,
    speeches_text,
)
from desktop.sections.meetings.grid import STATE_COLORS, CadenceGrid
from desktop.sections.meetings.section import SECTION, MeetingsSection

# The editor and its parts, imported when first asked for: the section imports the editor when it first opens a
# meeting (its list is what a first visit shows).
_LAZY = {
    "AfterSavePart": "after_save",
    "AgendaItemBox": "agenda",
    "DecisionBox": "agenda",
    "STATUS_ORDER": "attendance",
    "AttendancePart": "attendance",
    "MakeupDialog": "dialogs",
    "PlansDialog": "dialogs",
    "MeetingEditor": "editor",
}


__getattr__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "HIGHLIGHT",
    "SECTION",
    "STATE_COLORS",
    "STATUS_ORDER",
    "AfterSavePart",
    "AgendaItemBox",
    "AttendancePart",
    "CadenceGrid",
    "DecisionBox",
    "MakeupDialog",
    "MeetingEditor",
    "MeetingsSection",
    "PlansDialog",
    "cell_for",
    "highlight_html",
    "member_choices",
    "new_meeting_for",
    "parse_speeches",
    "speeches_text",
]
