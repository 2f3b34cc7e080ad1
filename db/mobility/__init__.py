"""流动党员 (RULES-EXT.md §12; issue #18 item 3): 外出 records with the 活动证 (LD04–LD07), the 流出地's contact log
(LD01), 党费 paid at the 流入地 counted once (LD08, read by the DuesBook), members left out of 应到有表决权 while
away (LD03, read by the meetings), 失联 records (LD11); findings L02–L04.

model.py        Outing, Contact, ElsewhereMonth, Lost and the pure rules (ZZ01, LD01, LD03, LD11)
store.py        reading; SaveOuting, SaveContact, SetDuesElsewhere, SaveLost (and their deletes)
findings.py     L02, L03, L04
interchange.py  the `mobility` section
"""

from __future__ import annotations

from db.mobility import findings, interchange  # importing them registers the provider and the section
from db.mobility.model import (
    KIND_LABELS,
    WAY_LABELS,
    Contact,
    ElsewhereMonth,
    Lost,
    Outing,
    contact_overdue,
    needs_transfer,
    review_due,
    vote_withheld,
)
from db.mobility.store import (
    away_on,
    delete_contact,
    delete_lost,
    delete_outing,
    elsewhere_months,
    list_elsewhere,
    list_lost,
    list_outings,
    save_contact,
    save_lost,
    save_outing,
    set_dues_elsewhere,
    vote_withheld_ids,
)

__all__ = [
    "KIND_LABELS",
    "WAY_LABELS",
    "Contact",
    "ElsewhereMonth",
    "Lost",
    "Outing",
    "away_on",
    "contact_overdue",
    "delete_contact",
    "delete_lost",
    "delete_outing",
    "elsewhere_months",
    "findings",
    "interchange",
    "list_elsewhere",
    "list_lost",
    "list_outings",
    "needs_transfer",
    "review_due",
    "save_contact",
    "save_lost",
    "save_outing",
    "set_dues_elsewhere",
    "vote_withheld",
    "vote_withheld_ids",
]
