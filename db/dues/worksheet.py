"""The base worksheet (RULES.md §2.1): the included monthly wage items and the member's own deductions from which a
member's 党费基数 is worked out, stored as JSON on the 核定 row. The arithmetic is db/rules/dues.py's; this file
only holds the items, checks their names against the known pay items and deductions, and turns them to and from
JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from db.rules import dues as rules
from db.rules.dues import DEDUCTIONS, PAY_ITEMS, ZERO, DuesRuleError, money, money_text


@dataclass
class Worksheet:
    """The base worksheet (RULES.md §2.1): included monthly wage items and the member's own deductions."""

    items: dict[str, Decimal] = field(default_factory=dict)
    deductions: dict[str, Decimal] = field(default_factory=dict)

    def base(self) -> Decimal:
        return rules.base_from_worksheet(self.items, self.deductions)

    @property
    def items_total(self) -> Decimal:
        return sum(self.items.values(), ZERO)

    @property
    def deductions_total(self) -> Decimal:
        return sum(self.deductions.values(), ZERO)

    def to_json(self) -> dict[str, dict[str, str]]:
        return {
            "items": {k: money_text(v) or "0.00" for k, v in self.items.items()},
            "deductions": {k: money_text(v) or "0.00" for k, v in self.deductions.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> Worksheet | None:
        if not data:
            return None
        if isinstance(data, str):
            data = json.loads(data)
        known_items = dict(PAY_ITEMS)
        known_ded = dict(DEDUCTIONS)
        items = {k: money(v) for k, v in (data.get("items") or {}).items() if v not in (None, "")}
        deds = {k: money(v) for k, v in (data.get("deductions") or {}).items() if v not in (None, "")}
        for k in list(items) + list(deds):
            if k not in known_items and k not in known_ded:
                raise DuesRuleError(f"基数核算表中有未知项目“{k}”")
        return cls(items, deds)
