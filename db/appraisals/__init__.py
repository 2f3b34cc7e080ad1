"""民主评议党员 (RULES-EXT.md §8): the year's 评议 linked to its 党员大会 (and the 组织生活会 where combined), each
member's 自评/互评/测评 facts and 等次 with the 支委会 or 党员大会 decision it rests on, findings O01–O03.

model.py        the `Appraisal` and `Result` records
store.py        reading, SaveAppraisal (validated: MP03, MP05, MP08, MP09), the year's sheet, counts
findings.py     O01–O03
interchange.py  the `appraisals` section

The pure rules (等次, the one-third share, levels) are in db/rules/orglife.py.
"""

from __future__ import annotations

from db.appraisals import findings, interchange  # importing them registers the provider and the section
from db.appraisals.model import (
    GRADE_LABELS,
    GRADES,
    PARTICIPATION,
    PARTICIPATION_LABELS,
    VOTE_KEYS,
    Appraisal,
    Result,
)
from db.appraisals.store import (
    SheetRow,
    decision_options,
    delete_appraisal,
    get_appraisal,
    grade_counts,
    grades_on,
    list_appraisals,
    meeting_options,
    member_results,
    save_appraisal,
    sheet,
    suggest,
    validate,
)

__all__ = [
    "GRADES",
    "GRADE_LABELS",
    "PARTICIPATION",
    "PARTICIPATION_LABELS",
    "VOTE_KEYS",
    "Appraisal",
    "Result",
    "SheetRow",
    "decision_options",
    "delete_appraisal",
    "findings",
    "get_appraisal",
    "grade_counts",
    "grades_on",
    "interchange",
    "list_appraisals",
    "meeting_options",
    "member_results",
    "save_appraisal",
    "sheet",
    "suggest",
    "validate",
]
