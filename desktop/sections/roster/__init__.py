"""党员花名册: the roster table (search, filters, sort as you type; ID and phone masked), the member form, status
changes with date and reason, each member's history, and the way in from Excel and out to the printed roster.

section.py the section; form.py the member form; status.py 党籍变更 and 变动记录. This file re-exports SECTION
(read by desktop.sections) and the names other modules and the tests import."""

from __future__ import annotations

from desktop.sections.roster.form import MemberDialog, check_member, save_member
from desktop.sections.roster.section import SECTION, RosterSection
from desktop.sections.roster.status import (
    HISTORY_FIELDS,
    STATUS_ACTIONS,
    HistoryDialog,
    StatusDialog,
    history_rows,
)

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
