"""组织生活会 查摆问题 and 整改: each member's and the committee's problems found, the measures, the due date and the
closure with evidence; open ones feed the 工作台 (finding O07) and the handover list.

model.py        the `Rectification` record
store.py        reading, SaveRectification (validated), DeleteRectification, open ones, handover items
findings.py     O07
interchange.py  the `rectifications` section
"""

from __future__ import annotations

from db.rectifications import findings, interchange  # importing them registers the provider and the section
from db.rectifications.model import Rectification
from db.rectifications.store import (
    COMMITTEE,
    delete_rectification,
    handover_items,
    list_rectifications,
    open_on,
    save_rectification,
    validate,
    whose,
)

__all__ = [
    "COMMITTEE",
    "Rectification",
    "delete_rectification",
    "findings",
    "handover_items",
    "interchange",
    "list_rectifications",
    "open_on",
    "save_rectification",
    "validate",
    "whose",
]
