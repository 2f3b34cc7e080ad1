"""奖惩 (RULES-EXT.md §13.1, §13.3; issue #18 item 4): 表彰表扬 and the 光荣在党50年 纪念章 (JG01–JG04), 纪律处分
(JG15: 留党察看 takes the vote away for its period — read by the meetings' 应到有表决权 and the elections) and
组织处置 (JG10–JG13: 限期改正 with its clock, 劝退/除名 with the 5-year bar); findings L05, L06.

model.py        Award, Sanction, Disposition and the pure rules (JG01, JG04, JG11, JG15)
store.py        reading; SaveAward, SaveSanction, SaveDisposition (and their deletes); probation_ids
findings.py     L05, L06
interchange.py  the `honors` and `discipline` sections
"""

from __future__ import annotations

from db.honors import findings, interchange  # importing them registers the provider and the sections
from db.honors.model import (
    AWARD_LABELS,
    DISPOSITION_LABELS,
    LEVEL_LABELS,
    SANCTION_LABELS,
    Award,
    Disposition,
    Sanction,
    badge_eligible,
    badge_eligible_on,
    badge_year,
    correct_overdue,
    on_probation,
)
from db.honors.store import (
    barred_until,
    delete_award,
    delete_disposition,
    delete_sanction,
    list_awards,
    list_dispositions,
    list_sanctions,
    probation_ids,
    save_award,
    save_disposition,
    save_sanction,
)

__all__ = [
    "AWARD_LABELS",
    "DISPOSITION_LABELS",
    "LEVEL_LABELS",
    "SANCTION_LABELS",
    "Award",
    "Disposition",
    "Sanction",
    "badge_eligible",
    "badge_eligible_on",
    "badge_year",
    "barred_until",
    "correct_overdue",
    "delete_award",
    "delete_disposition",
    "delete_sanction",
    "findings",
    "interchange",
    "list_awards",
    "list_dispositions",
    "list_sanctions",
    "on_probation",
    "probation_ids",
    "save_award",
    "save_disposition",
    "save_sanction",
]
