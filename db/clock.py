"""The one place the app asks what day (and time) it is.

Every rule, default and heading that depends on "today" calls `clock.today()`; wall-clock stamps (snapshots,
lock files, ``exported_at``) call `clock.now()`. Tests freeze both with the ``frozen_today`` fixture
(tests/conftest.py), so the suite gives the same verdict on any day.
"""

from __future__ import annotations

import datetime as dt
import os

# BRANCH_LEDGER_TODAY=YYYY-MM-DD fixes today for a whole process: the test suite sets it so that the `ledger`
# commands it runs as subprocesses see the same day as the tests. Not a setting for users.
_env = os.environ.get("BRANCH_LEDGER_TODAY")
_frozen: dt.date | None = dt.date.fromisoformat(_env) if _env else None


def today() -> dt.date:
    return _frozen if _frozen is not None else dt.date.today()


def now() -> dt.datetime:
    """The local wall clock; when today is frozen, that day at the real time of day (so stamps still advance)."""
    real = dt.datetime.now()
    return dt.datetime.combine(_frozen, real.time()) if _frozen is not None else real


def freeze(day: dt.date | None) -> None:
    """Fix today (None: back to the real clock). For tests and the benchmark only."""
    global _frozen
    _frozen = day
