"""党费: the year's 核定 with the base worksheet, the monthly grid with the one-action collection, 补交/预交, a
member's dues history, and the 上缴 to the upper 党委. All numbers come from db.dues; no rule lives here.

One file per concern:
    section.py    the section: year, search, the three tabs, header totals, exports, Ctrl+N
    tabs.py       what the tabs share (the year, the rows, the member selected)
    collect.py    收缴登记 tab: the year's grid, recording a month, 补交/预交, 按季交纳
    bases.py      核定 tab: 年初核定, the worksheet, mid-year changes, the cap, 年薪制 months
    remit.py      上缴 tab
    worksheet.py  the 核定 worksheet dialog
    dialogs.py    collection, 补交/预交, 年薪制 month pay and 上缴 dialogs
    history.py    a member's dues history dialog
    models.py     what the tables show: the 核定 row, grid cells, history and 上缴 states
    money.py      money shown and read

desktop.sections loads this package by name and reads `SECTION`."""

from __future__ import annotations

from desktop.sections.dues.bases import BaseTab
from desktop.sections.dues.collect import CollectTab
from desktop.sections.dues.dialogs import CollectDialog, MonthPayDialog, PaymentDialog, RemittanceDialog
from desktop.sections.dues.history import HistoryDialog
from desktop.sections.dues.models import MONTH_TITLES, BaseRow, _grid_text
from desktop.sections.dues.money import parse_money, yuan
from desktop.sections.dues.remit import RemitTab
from desktop.sections.dues.section import SECTION, DuesSection
from desktop.sections.dues.tabs import DuesTabs
from desktop.sections.dues.worksheet import BaseDialog

__all__ = [
    "MONTH_TITLES",
    "SECTION",
    "BaseDialog",
    "BaseRow",
    "BaseTab",
    "CollectDialog",
    "CollectTab",
    "DuesSection",
    "DuesTabs",
    "HistoryDialog",
    "MonthPayDialog",
    "PaymentDialog",
    "RemitTab",
    "RemittanceDialog",
    "_grid_text",
    "parse_money",
    "yuan",
]
