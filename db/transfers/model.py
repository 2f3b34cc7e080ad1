"""The 组织关系介绍信 record and the pure rules over it (RULES-EXT.md §11 ZZ05–ZZ08, ZZ13; RULES.md D20/D23).

A `Transfer` is one letter: `out` (this branch's member leaves; the letter is issued in three parts 存根/介绍信/回执
with one 第X号, numbered per year without gaps) or `in` (a member arrives with a letter from elsewhere).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.dates import add_months, add_years, month_key

DIRECTION_LABELS = {"out": "转出", "in": "转入"}
CHANNEL_LABELS = {"paper": "纸质介绍信", "online": "网上转接"}
CATEGORY_LABELS = {"full": "正式党员", "probationary": "预备党员"}
DEFAULT_VALID_DAYS = 30  # ZZ07: 10 同城 / 30 异地, ≤ 3 months; LOCAL, a setting
MAX_VALID_DAYS = 90
RECEIPT_MONTHS = 1  # ZZ06: the 回执 comes back within 1 month
DEFERRAL_MONTHS = 6  # ZZ13 / D23: a transferred-in 预备党员's 转正 may be deferred ≤ 6 months


@dataclass
class Transfer:
    direction: str
    member_id: int
    transfer_on: dt.date
    category: str = "full"
    letter_year: int | None = None
    letter_seq: int | None = None
    letter_no: str | None = None
    issued_on: dt.date | None = None
    from_org: str | None = None
    to_org: str | None = None
    addressee: str | None = None
    dues_paid_through: str | None = None  # "YYYY-MM"
    valid_days: int | None = None
    channel: str = "paper"
    reason: str | None = None
    handled_by: str | None = None
    receipt_on: dt.date | None = None
    receipt_by: str | None = None
    admitted_on: dt.date | None = None
    extension_months: int | None = None
    archive_checked: str | None = None
    notes: str | None = None
    id: int | None = None

    @property
    def number(self) -> str:
        """第X号 as printed on all three parts: the issuer's year and sequence (out), or as written (in)."""
        if self.direction == "out" and self.letter_year and self.letter_seq:
            return letter_number(self.letter_year, self.letter_seq)
        return self.letter_no or ""

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS.get(self.direction, self.direction)

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def valid_until(self) -> dt.date | None:
        return valid_until(self.issued_on or self.transfer_on, self.valid_days)

    @property
    def receipt_due(self) -> dt.date | None:
        """Out: the day the 回执 should be back at the latest (ZZ06): one month after the validity ends."""
        return receipt_due(self.issued_on or self.transfer_on, self.valid_days)

    def receipt_back(self, as_of: dt.date) -> bool:
        return self.receipt_on is not None and self.receipt_on <= as_of


def letter_number(year: int, seq: int) -> str:
    """ZZ05: the number the 存根, 介绍信 and 回执 share; a series per year: 2026-003."""
    return f"{year}-{seq:03d}"


def next_seq(used: list[int]) -> int:
    """The next number of a year's series: one above the highest (numbers are never reused, so no gaps)."""
    return max(used, default=0) + 1


def valid_until(issued_on: dt.date | None, valid_days: int | None) -> dt.date | None:
    """ZZ07: the last day the member may report with the letter (issued on day 0, valid `valid_days` days)."""
    if issued_on is None:
        return None
    return issued_on + dt.timedelta(days=valid_days or DEFAULT_VALID_DAYS)


def receipt_due(issued_on: dt.date | None, valid_days: int | None) -> dt.date | None:
    """ZZ06: the 回执 is returned within a month of receiving the member, who reports by the end of validity."""
    end = valid_until(issued_on, valid_days)
    return add_months(end, RECEIPT_MONTHS) if end else None


def receipt_overdue(t: Transfer, as_of: dt.date) -> bool:
    """L01 (ZZ06): a letter issued by `as_of` whose 回执 is not back as of then, past its due day."""
    if t.direction != "out":
        return False
    issued = t.issued_on or t.transfer_on
    due = receipt_due(issued, t.valid_days)
    return issued <= as_of and due is not None and as_of > due and not t.receipt_back(as_of)


def dues_behind(paid_through: str | None, transfer_on: dt.date) -> bool:
    """ZZ08 (threshold LOCAL): 党费 should be paid at least through the month before the transfer month."""
    prev = add_months(transfer_on.replace(day=1), -1)
    return paid_through is None or paid_through < month_key(prev)


def probation_end(admitted_on: dt.date | None, extension_months: int | None = None) -> dt.date | None:
    """D20: 预备期 = one year from the 支部大会 (plus an extension already decided, D27)."""
    if admitted_on is None:
        return None
    return add_months(add_years(admitted_on, 1), extension_months or 0)


def full_vote_latest(admitted_on: dt.date | None, extension_months: int | None = None) -> dt.date | None:
    """ZZ13 / D23: a transferred-in 预备党员's 转正 discussion may be deferred, but by no more than 6 months."""
    end = probation_end(admitted_on, extension_months)
    return add_months(end, DEFERRAL_MONTHS) if end else None


# ------------------------------------------------------------------------------------------ 大写 (ZZ05)

_UPPER = "零壹贰叁肆伍陆柒捌玖"


def upper_digits(n: int) -> str:
    """A year written digit by digit in 大写: 2026 → 贰零贰陆."""
    return "".join(_UPPER[int(c)] for c in str(n))


def upper_number(n: int) -> str:
    """A count 1–99 in 大写 with 拾: 6 → 陆, 10 → 拾, 30 → 叁拾, 15 → 拾伍, 90 → 玖拾."""
    if n < 0 or n > 999:
        raise ValueError(n)
    if n < 10:
        return _UPPER[n]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = f"{_UPPER[hundreds]}佰" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _UPPER[tens]) + "拾"
    elif hundreds and ones:
        out += "零"
    if ones:
        out += _UPPER[ones]
    return out


def upper_month(key: str | None) -> str:
    """党费已交到 "2026-06" → 贰零贰陆年陆月 (ZZ05: written in 大写)."""
    if not key:
        return ""
    y, m = key.split("-")
    return f"{upper_digits(int(y))}年{upper_number(int(m))}月"
