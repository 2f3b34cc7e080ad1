"""Interchange section `care`: the 关怀 register and the 走访慰问."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db import rowops
from db.care.model import CareEntry, Visit
from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger

ENTRY_KEYS = ["id", *rowops.columns(CareEntry)]
VISIT_KEYS = ["id", *rowops.columns(Visit)]


@section("care", order=123)
def dump_care(ledger: Ledger) -> dict[str, Any]:
    register = rowops.dump_table(ledger, "care_register", ENTRY_KEYS, "member_id, since, id")
    for e in register:
        e["exempt"] = bool(e["exempt"])
    visits = rowops.dump_table(ledger, "care_visits", VISIT_KEYS, "visited_on, id")
    for v in visits:
        v["signed"] = bool(v["signed"])
    return {"register": register, "visits": visits}


@dump_care.loader  # type: ignore[attr-defined,untyped-decorator]
def load_care(ledger: Ledger, value: dict[str, Any]) -> None:
    for e in value.get("register") or []:
        data = {k: e.get(k) for k in ENTRY_KEYS}
        data["exempt"] = int(bool(data["exempt"]))
        insert_row(ledger, "care_register", data)
    for v in value.get("visits") or []:
        data = {k: v.get(k) for k in VISIT_KEYS}
        data["occasion"] = data["occasion"] or "spring"
        data["way"] = data["way"] or "visit"
        data["signed"] = int(bool(data["signed"]))
        insert_row(ledger, "care_visits", data)
