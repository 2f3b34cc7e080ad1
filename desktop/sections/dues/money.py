"""Money on the 党费 screens: shown with two decimals and a thousands separator, and read from what was typed
(refused with the field's name when it is not an amount of money; db.rules.dues says what is)."""

from __future__ import annotations

from decimal import Decimal

from db.errors import InputRefused, Problem
from db.rules import dues as rules
from db.rules.dues import DuesRuleError


def yuan(v: Decimal | None) -> str:
    return "" if v is None else f"{v:,.2f}"


def parse_money(text: str, label: str, *, required: bool = True) -> Decimal | None:
    text = text.strip()
    if not text:
        if required:
            raise InputRefused([Problem(f"请填写{label}")])
        return None
    try:
        return rules.money(text)
    except DuesRuleError as e:
        raise InputRefused([Problem(f"{label}：{e}")]) from None
