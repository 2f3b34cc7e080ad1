"""组织关系转接 (RULES-EXT.md §11, issue #18): 介绍信 out (three parts, numbered per year) and in, the 回执, the
member's roster status following the letter, finding L01 (and D23 for a transferred-in 预备党员, ZZ13), the 年报 增减.

model.py        the `Transfer` record and the pure rules (number, validity, 回执 due, 大写, 预备期)
store.py        reading, TransferOut, RecordReceipt, TransferIn, SaveTransfer, DeleteTransfer
findings.py     L01, D23 (ZZ13)
yearly.py       the year's 增减 for the 党内统计 (年初 + 增 − 减 = 年末)
interchange.py  the `transfers` section
"""

from __future__ import annotations

from db.transfers import findings, interchange  # importing them registers the provider and the section
from db.transfers.model import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    DIRECTION_LABELS,
    Transfer,
    dues_behind,
    full_vote_latest,
    letter_number,
    probation_end,
    receipt_due,
    receipt_overdue,
    upper_digits,
    upper_month,
    upper_number,
    valid_until,
)
from db.transfers.store import (
    delete_transfer,
    draft_out,
    get_transfer,
    issuer_name,
    list_transfers,
    record_receipt,
    transfer_choices,
    transfer_in,
    transfer_out,
    update_details,
    valid_days_setting,
    validate,
)
from db.transfers.yearly import DECREASE_LABELS, INCREASE_LABELS, YearChanges, year_changes

__all__ = [
    "CATEGORY_LABELS",
    "CHANNEL_LABELS",
    "DECREASE_LABELS",
    "DIRECTION_LABELS",
    "INCREASE_LABELS",
    "Transfer",
    "YearChanges",
    "delete_transfer",
    "draft_out",
    "dues_behind",
    "findings",
    "full_vote_latest",
    "get_transfer",
    "interchange",
    "issuer_name",
    "letter_number",
    "list_transfers",
    "probation_end",
    "receipt_due",
    "receipt_overdue",
    "record_receipt",
    "transfer_choices",
    "transfer_in",
    "transfer_out",
    "update_details",
    "upper_digits",
    "upper_month",
    "upper_number",
    "valid_days_setting",
    "valid_until",
    "validate",
    "year_changes",
]
