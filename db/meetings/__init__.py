"""三会一课 and organisational life: meeting records, attendance from the roster as of the meeting date, votes,
定稿 and amendments, 补学, attachments, plans, cadence (RULES.md §1), search, findings M01–M11 and the
`meetings` / `planned_meetings` interchange sections.

The public API is re-exported here, so callers write `from db import meetings` and `meetings.create_meeting(...)`.
The files, one concern each (the pure rules they apply are in db/rules/meetings.py):
    model.py        the dataclasses of a record and their computed figures (应到, 实到, vote verdict)
    validation.py   what refuses a save (validate) and what refuses 定稿 (completeness, M09)
    attendance.py   who was expected on a date: the roster then, the 党小组, the 委员; RosterCache
    store.py        reading a record and the list; CreateMeeting, UpdateMeeting, FinalizeMeeting, DeleteMeeting
    amendments.py   AmendMeeting after 定稿, field by field with its reason
    makeups.py      补学 follow-ups of absentees; RecordMakeupStudy
    attachments.py  AddAttachment, RemoveAttachment, list and data (thumbnails from db/media.py)
    plans.py        planned meetings (SavePlannedMeeting, DeletePlannedMeeting)
    fulltext.py     the FTS5 search index and search
    cadence.py      the year grid per kind and 党小组, and the year summary
    checks.py       the findings provider M01–M11
    interchange.py  the `meetings` and `planned_meetings` sections of the interchange document
"""

from __future__ import annotations

from db.media import THUMB_PX

# The name this module always gave its thumbnails (PNG bytes, or None for what is not a picture), kept so
# meetings.make_thumbnail still works; db.media.make_thumbnail is the checklists' stricter (PNG, mime) one.
from db.media import thumbnail_or_none as make_thumbnail
from db.meetings.amendments import amend_meeting, describe
from db.meetings.attachments import add_attachment, attachment_data, list_attachments, remove_attachment
from db.meetings.attendance import (
    RosterCache,
    admitted_on,
    category_on,
    expected_attendance,
    last_attendance,
)
from db.meetings.cadence import CadenceRow, Cell, cadence_grid, year_summary
from db.meetings.checks import findings
from db.meetings.fulltext import FTS_FIELDS, SearchHit, make_snippet, rebuild_index, search
from db.meetings.interchange import MEETING_KEYS, dump_meetings, dump_plans, load_meetings, load_plans
from db.meetings.makeups import open_makeups, record_makeup
from db.meetings.model import (
    ATTACHMENT_KINDS,
    ATTENDANCE_STATUSES,
    CHILD_TABLES,
    FIELD_LABELS,
    PAPER_LABEL,
    WHOLE_BRANCH_KINDS,
    AgendaItem,
    Amendment,
    AttachmentInfo,
    Attendance,
    Decision,
    Exclusion,
    Makeup,
    Meeting,
    Speech,
    kinds_needing_group,
)
from db.meetings.plans import PlannedMeeting, delete_plan, list_plans, save_plan
from db.meetings.store import (
    MeetingRow,
    create_meeting,
    delete_meeting,
    finalize_meeting,
    get_meeting,
    list_meetings,
    meeting_choices,
    meetings_between,
    update_meeting,
)
from db.meetings.validation import completeness, validate

__all__ = [
    "PAPER_LABEL",
    "ATTACHMENT_KINDS",
    "ATTENDANCE_STATUSES",
    "CHILD_TABLES",
    "FIELD_LABELS",
    "FTS_FIELDS",
    "MEETING_KEYS",
    "THUMB_PX",
    "WHOLE_BRANCH_KINDS",
    "AgendaItem",
    "Amendment",
    "AttachmentInfo",
    "Attendance",
    "CadenceRow",
    "Cell",
    "Decision",
    "Exclusion",
    "Makeup",
    "Meeting",
    "MeetingRow",
    "PlannedMeeting",
    "RosterCache",
    "SearchHit",
    "Speech",
    "add_attachment",
    "amend_meeting",
    "attachment_data",
    "cadence_grid",
    "category_on",
    "completeness",
    "create_meeting",
    "delete_meeting",
    "delete_plan",
    "describe",
    "dump_meetings",
    "dump_plans",
    "expected_attendance",
    "admitted_on",
    "finalize_meeting",
    "findings",
    "get_meeting",
    "kinds_needing_group",
    "last_attendance",
    "list_attachments",
    "list_meetings",
    "list_plans",
    "load_meetings",
    "load_plans",
    "make_snippet",
    "make_thumbnail",
    "meeting_choices",
    "meetings_between",
    "open_makeups",
    "rebuild_index",
    "record_makeup",
    "remove_attachment",
    "save_plan",
    "search",
    "update_meeting",
    "validate",
    "year_summary",
]
