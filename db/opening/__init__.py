"""Where the electronic ledger starts, and what the paper said on that day (issue #15 §1).

start.py holds `settings.records_start_on` (电子台账起始日期): before it nothing is "missing" — cadence periods,
dues months, R03 and clocks whose evidence would predate it are not findings; `filter_findings` applies it to
every finding code in one place. store.py holds each member's opening balances (党费已交至, 最近一次组织生活 known
from paper); interchange.py the `opening_balances` section of the interchange document.

The names load with their module on first use (db/lazy.py): the 工作台 asks whether the 建账步骤 are open before
the window's first paint, and the interchange reader the sections' module pulls in is not needed for that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.lazy import lazy_names

if TYPE_CHECKING:
    from db.opening.start import (
        KEY,
        default_start,
        filter_findings,
        first_ledger_month,
        records_start,
        set_records_start,
    )
    from db.opening.steps import SetupStep, setup_open, setup_steps, skip_step
    from db.opening.store import Opening, list_openings, openings_by_member, save_openings

_HOMES = {
    "db.opening.start": (
        "KEY",
        "default_start",
        "filter_findings",
        "first_ledger_month",
        "records_start",
        "set_records_start",
    ),
    "db.opening.steps": ("SetupStep", "setup_open", "setup_steps", "skip_step"),
    "db.opening.store": ("Opening", "list_openings", "openings_by_member", "save_openings"),
}

__getattr__ = lazy_names(globals(), _HOMES, ("interchange", "start", "steps", "store"))

__all__ = [
    "KEY",
    "Opening",
    "SetupStep",
    "default_start",
    "filter_findings",
    "first_ledger_month",
    "interchange",
    "list_openings",
    "openings_by_member",
    "records_start",
    "save_openings",
    "set_records_start",
    "setup_open",
    "setup_steps",
    "skip_step",
]
