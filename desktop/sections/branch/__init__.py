"""支部信息 section, as a package: see section.py. Re-exports what the section list and the tests import."""

from __future__ import annotations

from desktop.sections.branch.section import (
    BranchSection,
    ElectionDialog,
    GroupDialog,
    TermDialog,
    VacancyDialog,
    member_combo,
    role_combo,
)

SECTION = BranchSection

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
