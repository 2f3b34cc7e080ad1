"""Interchange section `plans`: every stored 工作计划 / 年度总结 / 述职提纲 with its sections (facts with their
sources, the secretary's text), the day the facts were taken and the day it was finalised."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger

KEYS = ("id", "year", "kind", "title", "built_on", "finalized_on")


@section("plans", order=132)
def dump_plans(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        {**{k: r[k] for k in KEYS}, "sections": json.loads(r["sections"] or "[]")}
        for r in ledger.query("SELECT * FROM plans ORDER BY year, kind, id")
    ]


@dump_plans.loader  # type: ignore[attr-defined,untyped-decorator]
def load_plans(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    from db.plans.model import Section

    for p in value:
        data = {k: p.get(k) for k in KEYS}
        data["sections"] = json.dumps(
            [Section.from_json(s).to_json() for s in p.get("sections") or [] if isinstance(s, dict)],
            ensure_ascii=False,
        )
        insert_row(ledger, "plans", data)
