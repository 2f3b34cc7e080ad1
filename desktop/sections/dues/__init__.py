"""党费 section (being cut into files by concern; for now everything is in section.py)."""

from __future__ import annotations

from desktop.sections.dues.section import (
    MONTH_TITLES,
    SECTION,
    BaseDialog,
    BaseRow,
    CollectDialog,
    DuesSection,
    HistoryDialog,
    MonthPayDialog,
    PaymentDialog,
    RemittanceDialog,
    _grid_text,
    parse_money,
    yuan,
)

__all__ = [
    "MONTH_TITLES",
    "SECTION",
    "BaseDialog",
    "BaseRow",
    "CollectDialog",
    "DuesSection",
    "HistoryDialog",
    "MonthPayDialog",
    "PaymentDialog",
    "RemittanceDialog",
    "_grid_text",
    "parse_money",
    "yuan",
]
