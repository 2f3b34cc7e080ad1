"""Month arithmetic without the calendar module (db.dates.days_in_month), held equal to calendar's."""

from __future__ import annotations

import calendar
import datetime as dt

from db import dates


def test_days_in_month_is_calendars_over_three_centuries() -> None:
    for year in range(1899, 2101):
        for month in range(1, 13):
            assert dates.days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)


def test_month_arithmetic_at_the_month_ends() -> None:
    assert dates.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert dates.add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert dates.add_months(dt.date(1900, 1, 31), 1) == dt.date(1900, 2, 28)
    assert dates.add_months(dt.date(2000, 3, 31), -1) == dt.date(2000, 2, 29)
    assert dates.add_months(dt.date(2024, 12, 31), 2) == dt.date(2025, 2, 28)
    assert dates.add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert dates.month_end(dt.date(2100, 2, 3)) == dt.date(2100, 2, 28)
    assert dates.month_end(dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)


def test_snapshot_names_are_read_as_strptime_read_them() -> None:
    from pathlib import Path

    from db.snapshots import snapshot_info

    name = Path("台账-20261203-235959-000123-op42-open.sqlite")
    assert snapshot_info(name) == (dt.datetime(2026, 12, 3, 23, 59, 59), 42, "open")
    assert snapshot_info(name)[0] == dt.datetime.strptime("20261203235959", "%Y%m%d%H%M%S")
    old_style = Path("r-20250229-120000-op7-manual.sqlite")  # no microseconds; a day that never was
    try:
        snapshot_info(old_style)
    except ValueError:
        pass
    else:
        raise AssertionError("29 February 2025 is refused, as strptime refused it")
