"""The model of 支部台账: the ledger file, its schema and migrations, all SQL, and the party rules.

Nothing in this package imports Qt; the headless `ledger` command and the GUI share it.
"""

from __future__ import annotations

from db import codecache

codecache.install_dataclasses()  # first: every dataclass of ours made from kept code (db/codecache.py)

from db.connection import Ledger, open_ledger  # noqa: E402
from db.errors import LedgerError  # noqa: E402

__all__ = ["Ledger", "LedgerError", "open_ledger"]
