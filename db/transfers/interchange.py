"""Interchange section `transfers`: every 组织关系介绍信, out and in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section
from db.transfers.store import COLUMNS

if TYPE_CHECKING:
    from db.connection import Ledger

KEYS = ["id", *COLUMNS]


@section("transfers", order=115)
def dump_transfers(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        dict(r) for r in ledger.query(f"SELECT {', '.join(KEYS)} FROM transfers ORDER BY transfer_on, id")
    ]


@dump_transfers.loader  # type: ignore[attr-defined,untyped-decorator]
def load_transfers(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for t in value:
        data = {k: t.get(k) for k in KEYS}
        data["category"] = data["category"] or "full"
        data["channel"] = data["channel"] or "paper"
        insert_row(ledger, "transfers", data)
