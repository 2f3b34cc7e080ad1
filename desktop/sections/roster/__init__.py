"""党员花名册 section, as a package: see section.py. Re-exports what the section list and the tests import."""

from __future__ import annotations

from desktop.sections.roster.section import (
    HISTORY_FIELDS,
    STATUS_ACTIONS,
    HistoryDialog,
    MemberDialog,
    RosterSection,
    StatusDialog,
    check_member,
    history_rows,
    save_member,
)

SECTION = RosterSection

__all__ = [
    "HISTORY_FIELDS",
    "SECTION",
    "STATUS_ACTIONS",
    "HistoryDialog",
    "MemberDialog",
    "RosterSection",
    "StatusDialog",
    "check_member",
    "history_rows",
    "save_member",
]
