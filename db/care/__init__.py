"""关怀 (RULES-EXT.md §13.2; issue #18 item 5): the register of 困难党员、老党员、患病… with the 关怀豁免 flag
(JG06: silences the 学时 finding O06 and the 失联-type R03 for the elderly or seriously ill), the 元旦春节 and
七一 走访慰问 with what was given (JG07, JG08); finding L07.

model.py        CareEntry, Visit and the 春节 season (L07)
store.py        reading; SaveCareEntry, SaveVisit (and their deletes); exempt_ids, exempt_in_year
findings.py     L07
interchange.py  the `care` section
"""

from __future__ import annotations

from db.care import findings, interchange  # importing them registers the provider and the section
from db.care.model import (
    CATEGORY_LABELS,
    FUND_LABELS,
    OCCASION_LABELS,
    WAY_LABELS,
    CareEntry,
    Visit,
    season_of,
)
from db.care.store import (
    delete_entry,
    delete_visit,
    exempt_ids,
    exempt_in_year,
    list_register,
    list_visits,
    save_entry,
    save_visit,
)

__all__ = [
    "CATEGORY_LABELS",
    "FUND_LABELS",
    "OCCASION_LABELS",
    "WAY_LABELS",
    "CareEntry",
    "Visit",
    "delete_entry",
    "delete_visit",
    "exempt_ids",
    "exempt_in_year",
    "findings",
    "interchange",
    "list_register",
    "list_visits",
    "save_entry",
    "save_visit",
    "season_of",
]
