"""谈心谈话 (RULES-EXT.md §9): talk records (日常 / 提醒 / 六必谈), the year's coverage per category as a matrix,
the talks before each 组织生活会, the 六必谈 triggers waiting for their talk, findings O04/O05.

model.py        the `Talk` record
store.py        reading, SaveTalk (validated), DeleteTalk
coverage.py     TX01 coverage per member and category, TX05 talks before each 组织生活会, TX07 pending triggers
findings.py     O04, O05
interchange.py  the `talks` section
"""

from __future__ import annotations

from db.talks import findings, interchange  # importing them registers the provider and the section
from db.talks.coverage import (
    CoverageRow,
    OrgLifeTalks,
    Pending,
    coverage,
    org_life_talks,
    pending_triggers,
    window_days,
)
from db.talks.model import Talk
from db.talks.store import delete_talk, get_talk, list_talks, save_talk, validate

__all__ = [
    "CoverageRow",
    "OrgLifeTalks",
    "Pending",
    "Talk",
    "coverage",
    "delete_talk",
    "findings",
    "get_talk",
    "interchange",
    "list_talks",
    "org_life_talks",
    "pending_triggers",
    "save_talk",
    "validate",
    "window_days",
]
