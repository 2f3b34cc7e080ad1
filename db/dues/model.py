"""The 党费 records as plain dataclasses: a 核定 (`DuesBase`, with its 年薪制 month pay `MonthBase`), a payment and a
remittance; how a database row becomes one; the payment-method labels; the month-index helpers (year * 12 + month − 1)
the book, the grid and the remittances count in; and the one way a dues operation refuses input. No SQL here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from db.dates import from_iso
from db.dues.worksheet import Worksheet
from db.errors import InputRefused, Problem
from db.rules import dues as rules
from db.rules.dues import BASE_KINDS, KIND_LABELS, ZERO, DuesAmount, DuesRuleError, money, month_index

METHOD_LABELS = {"cash": "现金", "bank": "银行转账", "wechat": "微信", "alipay": "支付宝", "other": "其他"}


def method_label(code: str | None) -> str:
    return METHOD_LABELS.get(code or "", code or "")


def _idx(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _month_start(i: int) -> dt.date:
    y, m = divmod(i, 12)
    return dt.date(y, m + 1, 1)


@dataclass
class MonthBase:
    """年薪制: the pay received in one month and the dues on it."""

    id: int | None
    base_id: int
    month: str
    base: Decimal
    amount: Decimal
    cap_confirmed_on: dt.date | None = None
    notes: str | None = None


@dataclass
class DuesBase:
    """One 核定: a member's kind, base and monthly amount for a year (from `valid_from` on, if a change)."""

    id: int | None = None
    member_id: int = 0
    year: int = 0
    valid_from: str | None = None  # 'YYYY-MM' of a mid-year change
    kind: str = "employed"
    base: Decimal | None = None
    amount: Decimal | None = None
    approval_ref: str | None = None
    cap_confirmed_on: dt.date | None = None
    quarterly: bool = False
    worksheet: Worksheet | None = None
    draft: bool = False
    fixed_on: dt.date | None = None
    reason: str | None = None
    notes: str | None = None
    month_bases: dict[str, MonthBase] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def first_month(self) -> int:
        return month_index(self.valid_from) if self.valid_from else self.year * 12

    @property
    def rate(self) -> Decimal | None:
        if self.kind in BASE_KINDS and self.base is not None:
            return rules.rate_for(self.kind, self.base)
        return None

    def rule_amount(self, rounding: str, cap: Decimal) -> DuesAmount | None:
        """The amount by the rules for this row's kind and base (None when it cannot be computed)."""
        try:
            if self.kind in BASE_KINDS:
                if self.base is None:
                    return None
                return rules.monthly_dues(self.kind, self.base, rounding, cap=cap)
            return rules.monthly_dues(
                self.kind,
                self.base,
                rounding,
                chosen=self.amount,
                approval_ref=self.approval_ref or "-",
                cap=cap,
            )
        except DuesRuleError:
            return None

    def needs_cap_confirmation(self, rounding: str, cap: Decimal) -> bool:
        calc = self.rule_amount(rounding, cap)
        return bool(calc and calc.above_cap and self.cap_confirmed_on is None)


@dataclass
class Payment:
    id: int | None = None
    member_id: int = 0
    month: str = ""
    amount: Decimal = ZERO
    paid_on: dt.date | None = None
    method: str | None = None
    collector: str | None = None
    notes: str | None = None


@dataclass
class Remittance:
    id: int | None = None
    period: str = ""
    amount: Decimal = ZERO
    paid_on: dt.date | None = None
    reference: str | None = None
    notes: str | None = None


def _opt_money(v: Any) -> Decimal | None:
    return None if v in (None, "") else money(v)


def _month_base_from_row(r: Any) -> MonthBase:
    return MonthBase(
        r["id"],
        r["base_id"],
        r["month"],
        money(r["base"]),
        money(r["amount"]),
        from_iso(r["cap_confirmed_on"]),
        r["notes"],
    )


def _base_from_row(r: Any) -> DuesBase:
    return DuesBase(
        id=r["id"],
        member_id=r["member_id"],
        year=r["year"],
        valid_from=r["valid_from"],
        kind=r["kind"],
        base=_opt_money(r["base"]),
        amount=_opt_money(r["amount"]),
        approval_ref=r["approval_ref"],
        cap_confirmed_on=from_iso(r["cap_confirmed_on"]),
        quarterly=bool(r["quarterly"]),
        worksheet=Worksheet.from_json(r["worksheet"]),
        draft=bool(r["draft"]),
        fixed_on=from_iso(r["fixed_on"]),
        reason=r["reason"],
        notes=r["notes"],
    )


def _payment_from_row(r: Any) -> Payment:
    return Payment(
        r["id"],
        r["member_id"],
        r["month"],
        money(r["amount"]),
        from_iso(r["paid_on"]),
        r["method"],
        r["collector"],
        r["notes"],
    )


def _remittance_from_row(r: Any) -> Remittance:
    return Remittance(
        r["id"], r["period"], money(r["amount"]), from_iso(r["paid_on"]), r["reference"], r["notes"]
    )


def _refuse(msg: str, column: str | None = None) -> InputRefused:
    return InputRefused([Problem(msg, column=column)], "未保存")
