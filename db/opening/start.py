"""`settings.records_start_on` (电子台账起始日期): where the electronic ledger starts.

Before that day the branch kept its records on paper, so the ledger's silence there proves nothing: a cadence
period that began before it, a dues month before it (unless 党费已交至 says otherwise), an R03 window reaching
back before it, a development clock or checklist whose evidence would predate it are not findings. A ledger
without the setting (every ledger made before issue #15) has no start and behaves as it always did.
`filter_findings` is the one place that applies the start to every finding code; the cadence grid, the dues book
and R03 use `records_start` to show those cells as 纸质台账 / 期初 rather than as missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from db import clock
from db.dates import add_months, from_iso, month_end

if TYPE_CHECKING:
    from db.connection import Ledger
    from db.findings import Finding

KEY = "records_start_on"
LABEL = "电子台账起始日期"

# Facts of the data itself, true whatever the start: never filtered.
_ALWAYS = frozenset({"R01", "R02", "M08", "P04", "T01", "T02", "T03", "T04", "T05"})
# A past or current period without the meeting: checked only for periods that begin on or after the start.
_CADENCE = frozenset({"M01", "M02", "M03", "M04", "M05", "M06", "M07", "M11"})
# About one meeting's record: a record of a meeting held before the start is history copied from paper.
_RECORD = frozenset({"M09", "M10"})


def records_start(ledger: Ledger) -> dt.date | None:
    """The start date, or None (no start: every period counts, as before issue #15)."""
    row = ledger.query_one("SELECT value FROM settings WHERE key=?", (KEY,))
    if row is None:
        return None
    import json

    value = json.loads(row[0])
    return from_iso(value) if isinstance(value, str) and value else None


def default_start(today: dt.date | None = None) -> dt.date:
    """The default offered in 新建支部: the first day of the current month (nothing of this month is on paper
    yet that the secretary would have to copy in; moved earlier, to the quarter's start, once the quarter's
    meetings are entered)."""
    today = today or clock.today()
    return today.replace(day=1)


def validate_start(value: object) -> str | None:
    """The stored form of a start date (ISO text) or None; ValueError with a Chinese message otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ValueError(f"“{LABEL}”应为日期（YYYY-MM-DD），现为“{value}”")


def set_records_start(ledger: Ledger, day: dt.date | None) -> None:
    """Set (or clear, with None) the start date, as one operation."""
    from db.errors import InputRefused, Problem

    if day is not None and day > clock.today():
        raise InputRefused([Problem(f"{LABEL}不能晚于今天", column=LABEL)])
    with ledger.operation("SetRecordsStart", f"设置{LABEL}"):
        if day is None:
            ledger.conn.execute("DELETE FROM settings WHERE key=?", (KEY,))
        else:
            from db.settings.store import set_value

            set_value(ledger, KEY, day.isoformat())


def first_ledger_month(start: dt.date | None) -> int | None:
    """Month index (year * 12 + month − 1) of the first whole month on or after the start: a month that began
    before the start (the start is not its first day) is still a paper month."""
    if start is None:
        return None
    i = start.year * 12 + start.month - 1
    return i if start.day == 1 else i + 1


def period_bounds(key: str | None) -> tuple[dt.date, dt.date] | None:
    """'2026' / '2026-H1' / '2026-Q3' / '2026-07' → (first day, last day); None for anything else."""
    if not key:
        return None
    try:
        if len(key) == 4:
            y = int(key)
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        y, rest = int(key[:4]), key[5:]
        if rest.startswith("Q"):
            q = int(rest[1:])
            first = dt.date(y, 3 * q - 2, 1)
            return first, month_end(dt.date(y, 3 * q, 1))
        if rest.startswith("H"):
            h = int(rest[1:])
            return dt.date(y, 6 * h - 5, 1), month_end(dt.date(y, 6 * h, 1))
        m = int(rest)
        first = dt.date(y, m, 1)
        return first, month_end(first)
    except (ValueError, IndexError):
        return None


def filter_findings(ledger: Ledger, as_of: dt.date, findings: Iterable[Finding]) -> list[Finding]:
    """Drop what the start date says is not a finding; without a start, everything is kept."""
    items = list(findings)
    start = records_start(ledger)
    if start is None:
        return items
    meeting_dates: dict[int, dt.date] = {}
    if any(f.code in _RECORD for f in items):
        meeting_dates = {
            int(r[0]): dt.date.fromisoformat(r[1])
            for r in ledger.query("SELECT id, date FROM meetings WHERE date IS NOT NULL")
        }
    return [f for f in items if _keep(f, start, as_of, meeting_dates)]


def _keep(f: Finding, start: dt.date, as_of: dt.date, meeting_dates: dict[int, dt.date]) -> bool:
    if f.code in _ALWAYS:
        return True
    bounds = period_bounds(f.period)
    if f.code in _CADENCE:
        return as_of >= start and (bounds is None or bounds[0] >= start)
    if f.code in _RECORD:
        held = meeting_dates.get(f.subject_id or 0)
        return held is None or held >= start
    if f.code == "P01":  # the year's 核定 is needed once the ledger counts dues of that year
        return as_of >= start and (bounds is None or bounds[1] >= start)
    if f.code in ("P02", "P03", "R03"):  # the dues book and R03 weigh the start and the opening balances
        return True
    if f.code == "D07" and f.due is not None:  # a half-year of 考察 that began before the start is on paper
        return add_months(f.due, -6) + dt.timedelta(days=1) >= start
    # every other code (development clocks D01–D29, P05, C01/C02, and codes added later): a deadline or a
    # period that ended before the start was met or missed on paper
    if f.due is not None and f.due < start:
        return False
    return not (bounds is not None and bounds[1] < start)
