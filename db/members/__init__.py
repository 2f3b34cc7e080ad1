"""党员花名册: the roster, its validation (RULES.md §7) and the roster as it stood on any date.

model.py      the `Member` record, labels and choices, `validate`
store.py      reading members and the named operations that write them
history.py    the dated history and the roster as of a date (`roster_on`, `counts_on`)
findings.py   R01/R02
interchange.py  the `members` section of the interchange document
import_sheet.py the Excel/CSV roster import (imported on its own: `from db.members import import_sheet`)

Everything callers use is re-exported here, so `from db import members; members.X` keeps working.
"""

from __future__ import annotations

from db.members import findings, interchange  # importing them registers the R01/R02 provider and the section
from db.members.history import (
    MemberOn,
    _history,
    _value_on,
    category_on,
    counts_on,
    history_of,
    in_branch_on,
    roster_on,
)
from db.members.model import (
    BOOL_FIELDS,
    CATEGORY_LABELS,
    COLLEGE_OR_ABOVE,
    COLUMNS,
    DATE_FIELDS,
    EDUCATION_CHOICES,
    ETHNICITY_CHOICES,
    FIELD_LABELS,
    GENDER_LABELS,
    OCCUPATION_LABELS,
    STATUS_LABELS,
    Member,
    validate,
)
from db.members.store import add, change_status, delete, get, insert, list_members, names, update

__all__ = [
    "BOOL_FIELDS",
    "CATEGORY_LABELS",
    "COLLEGE_OR_ABOVE",
    "COLUMNS",
    "DATE_FIELDS",
    "EDUCATION_CHOICES",
    "ETHNICITY_CHOICES",
    "FIELD_LABELS",
    "GENDER_LABELS",
    "OCCUPATION_LABELS",
    "STATUS_LABELS",
    "Member",
    "MemberOn",
    "_history",  # used by db/meetings.py (attendance as of a date)
    "_value_on",  # used by db/meetings.py
    "add",
    "category_on",
    "change_status",
    "counts_on",
    "delete",
    "findings",  # the module (its provider runs through db.findings.check)
    "get",
    "history_of",
    "in_branch_on",
    "insert",
    "interchange",
    "list_members",
    "names",
    "roster_on",
    "update",
    "validate",
]
