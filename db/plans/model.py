"""工作计划 / 年度总结 / 书记述职提纲 (issue #19 item 4): sections of facts taken from the year's records, each fact
with the read model it came from, and the secretary's own text under each heading. The program writes no
sentences of its own: a fact is a label, a value and where it came from; everything else is the secretary's.
Finalised = frozen: the facts and text no longer change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

KINDS = ("plan", "summary", "report")
KIND_LABELS = {"plan": "工作计划", "summary": "年度工作总结", "report": "书记抓党建述职提纲"}


@dataclass
class Fact:
    label: str
    value: str  # as shown: a number, a money amount, a date and topic, a name list
    source: str  # the read model and key it came from, e.g. "meetings.year_summary.held.assembly"
    unit: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "value": self.value, "unit": self.unit, "source": self.source}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Fact:
        return cls(
            str(d.get("label") or ""),
            str(d.get("value") or ""),
            str(d.get("source") or ""),
            str(d.get("unit") or ""),
        )

    @property
    def shown_value(self) -> str:
        """The value as printed: money with a thousands separator (the stored value stays as the source gave it)."""
        if self.unit == "元":
            from decimal import Decimal, InvalidOperation

            try:
                return f"{Decimal(self.value):,.2f}"
            except InvalidOperation:
                return self.value
        return self.value

    @property
    def text(self) -> str:
        return f"{self.label}：{self.shown_value}{self.unit}"


@dataclass
class Section:
    key: str
    heading: str
    facts: list[Fact] = field(default_factory=list)
    text: str = ""  # the secretary's own words

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "heading": self.heading,
            "facts": [f.to_json() for f in self.facts],
            "text": self.text,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Section:
        return cls(
            str(d.get("key") or ""),
            str(d.get("heading") or ""),
            [Fact.from_json(f) for f in d.get("facts") or [] if isinstance(f, dict)],
            str(d.get("text") or ""),
        )


@dataclass
class Plan:
    year: int
    kind: str
    title: str
    sections: list[Section]
    built_on: dt.date
    finalized_on: dt.date | None = None
    id: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def frozen(self) -> bool:
        return self.finalized_on is not None

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)
