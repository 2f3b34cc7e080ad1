"""Dates as the party's paperwork uses them: calendar months, quarters, and the many ways people type a date."""

from __future__ import annotations

import datetime as dt
import re

from db import clock

Date = dt.date

_SEP_DATE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")
_MONTH_ONLY = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


class DateParseError(ValueError):
    pass


def parse_date(value: object, *, month_ok: bool = False) -> Date | None:
    """Parse what a secretary typed or what Excel stored; None for empty.

    Accepts datetime/date objects, `1990-05-01`, `1990.5.1`, `1990/5/1`, `1990年5月1日`, `19900501`, and
    (only with month_ok) a month `1990.05` / `1990年5月`, which becomes the first of that month.
    Raises DateParseError with a Chinese message for anything else.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # An Excel serial that openpyxl did not convert (cell formatted as number).
        if 1 <= value < 2958466:
            return (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value))).date()
        raise DateParseError(f"“{value}”不是日期")
    text = str(value).strip()
    if not text:
        return None
    m = _SEP_DATE.match(text) or _COMPACT.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            return dt.date(y, mo, d)
        except ValueError:
            raise DateParseError(f"“{text}”不是有效日期") from None
    m = _MONTH_ONLY.match(text)
    if m:
        if not month_ok:
            raise DateParseError(f"“{text}”只有年月，这里需要完整日期（年月日）")
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise DateParseError(f"“{text}”不是有效年月")
        return dt.date(y, mo, 1)
    raise DateParseError(f"“{text}”不是可识别的日期，请写成 1990-05-01、1990.5.1 或 1990年5月1日")


def iso(d: Date | None) -> str | None:
    return d.isoformat() if d else None


def from_iso(s: str | None) -> Date | None:
    return dt.date.fromisoformat(s) if s else None


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The days of a month, as calendar.monthrange gives them, without importing calendar (and locale) when the
    app starts."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def add_months(d: Date, months: int) -> Date:
    """Calendar month arithmetic: 31 January + 1 month = 28/29 February (the last day when the day is missing)."""
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    last = days_in_month(y, m + 1)
    return dt.date(y, m + 1, min(d.day, last))


def add_years(d: Date, years: int) -> Date:
    return add_months(d, 12 * years)


def month_key(d: Date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_start(key: str) -> Date:
    y, m = key.split("-")
    return dt.date(int(y), int(m), 1)


def month_end(d: Date) -> Date:
    return dt.date(d.year, d.month, days_in_month(d.year, d.month))


def quarter_of(d: Date) -> int:
    return (d.month - 1) // 3 + 1


def quarter_key(d: Date) -> str:
    return f"{d.year}-Q{quarter_of(d)}"


def quarter_bounds(year: int, q: int) -> tuple[Date, Date]:
    start = dt.date(year, 3 * q - 2, 1)
    return start, month_end(dt.date(year, 3 * q, 1))


def months_between(a: Date, b: Date) -> int:
    """Whole calendar months from a to b (b later), counting as add_months does."""
    n = (b.year - a.year) * 12 + (b.month - a.month)
    if add_months(a, n) > b:
        n -= 1
    return n


def age_on(birth: Date, on: Date) -> int:
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def fmt_zh(d: Date | None) -> str:
    """2026年11月22日, as on screen and in reports."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def fmt_zh_month(d: Date | None) -> str:
    return f"{d.year}年{d.month}月" if d else ""


def today() -> Date:
    return clock.today()
