"""三会一课 section (being cut into files by concern; for now everything is in section.py)."""

from __future__ import annotations

from desktop.sections.meetings.section import (
    HIGHLIGHT,
    SECTION,
    STATE_COLORS,
    STATUS_ORDER,
    AgendaItemBox,
    CadenceGrid,
    DecisionBox,
    MakeupDialog,
    MeetingEditor,
    MeetingsSection,
    PlansDialog,
    cell_for,
    highlight_html,
    member_choices,
    new_meeting_for,
    parse_speeches,
    speeches_text,
)

__all__ = [
    "HIGHLIGHT",
    "SECTION",
    "STATE_COLORS",
    "STATUS_ORDER",
    "AgendaItemBox",
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
