"""支部信息: the branch profile, 党小组 with their 组长, the committee (or lone 书记) by term with seats and roles,
elections with the live 4/5 and majority verdicts, vacancies and 补选 (RULES.md §4).

section.py the section and its four tabs; groups.py, terms.py, elections.py the dialogs they open; fields.py the
pickers and buttons those dialogs share. This file re-exports SECTION (read by desktop.sections) and the names
other modules and the tests import."""

from __future__ import annotations

from desktop.sections.branch.elections import ElectionDialog, VacancyDialog
from desktop.sections.branch.fields import member_combo, role_combo
from desktop.sections.branch.groups import GroupDialog
from desktop.sections.branch.section import SECTION, BranchSection
from desktop.sections.branch.terms import TermDialog

__all__ = [
    "SECTION",
    "BranchSection",
    "ElectionDialog",
    "GroupDialog",
    "TermDialog",
    "VacancyDialog",
    "member_combo",
    "role_combo",
]
