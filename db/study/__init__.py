"""党员教育培训学时 (RULES-EXT.md §10): hours per member and year from the branch meetings that count and from
training entered by hand or imported from a sheet, against the targets (32; the committee's configurable
default), exemptions (§13.2), finding O06.

model.py         `StudyRecord`, `Exemption`, `MemberYear`
store.py         SaveStudyRecord, DeleteStudyRecord, SetStudyExemption
hours.py         the member-year totals and targets (XS01, XS03, XS04, XS06)
import_sheet.py  学时 from a sheet, all or nothing
findings.py      O06
interchange.py   the `study_hours` section
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.lazy import lazy_names
from db.study import findings, interchange  # importing them registers the provider and the section
from db.study.hours import COUNTED_KINDS, committee_target, counted_kinds, member_years, months_in_branch
from db.study.model import Exemption, MeetingHours, MemberYear, StudyRecord
from db.study.store import delete_record, exemptions, list_records, save_record, set_exemption

if TYPE_CHECKING:
    from db.study.import_sheet import import_records, read_sheet

# The sheet import (and the roster sheet reader it uses, db/sheets) loads on first use: the findings and the
# 工作台's fill import this package, and have no sheet to read.
__getattr__ = lazy_names(
    globals(), {"db.study.import_sheet": ("import_records", "read_sheet")}, ("import_sheet",)
)


__all__ = [
    "COUNTED_KINDS",
    "Exemption",
    "MeetingHours",
    "MemberYear",
    "StudyRecord",
    "committee_target",
    "counted_kinds",
    "delete_record",
    "exemptions",
    "findings",
    "import_records",
    "interchange",
    "list_records",
    "member_years",
    "months_in_branch",
    "read_sheet",
    "save_record",
    "set_exemption",
]
