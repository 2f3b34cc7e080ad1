"""Interchange section `talks`: every 谈心谈话 record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section
from db.talks.store import COLUMNS

if TYPE_CHECKING:
    from db.connection import Ledger

KEYS = ["id", *COLUMNS]


@section("talks", order=111)
def dump_talks(ledger: Ledger) -> list[dict[str, Any]]:
    return [dict(r) for r in ledger.query(f"SELECT {', '.join(KEYS)} FROM talks ORDER BY held_on, id")]


@dump_talks.loader  # type: ignore[attr-defined,untyped-decorator]
def load_talks(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for t in value:
        data = {k: t.get(k) for k in KEYS}
        data["kind"] = data["kind"] or "routine"
        data["mode"] = data["mode"] or "in_person"
        insert_row(ledger, "talks", data)
