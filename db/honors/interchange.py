"""Interchange sections `honors` (表彰表扬 and 纪念章) and `discipline` (纪律处分 and 组织处置)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db import rowops
from db.honors.model import Award, Disposition, Sanction
from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger

AWARD_KEYS = ["id", *rowops.columns(Award)]
SANCTION_KEYS = ["id", *rowops.columns(Sanction)]
DISPOSITION_KEYS = ["id", *rowops.columns(Disposition)]


@section("honors", order=121)
def dump_honors(ledger: Ledger) -> list[dict[str, Any]]:
    return rowops.dump_table(ledger, "awards", AWARD_KEYS, "awarded_on, id")


@dump_honors.loader  # type: ignore[attr-defined,untyped-decorator]
def load_honors(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for a in value:
        data = {k: a.get(k) for k in AWARD_KEYS}
        data["level"] = data["level"] or "branch"
        insert_row(ledger, "awards", data)


@section("discipline", order=122)
def dump_discipline(ledger: Ledger) -> dict[str, Any]:
    return {
        "sanctions": rowops.dump_table(ledger, "sanctions", SANCTION_KEYS, "decided_on, id"),
        "dispositions": rowops.dump_table(ledger, "dispositions", DISPOSITION_KEYS, "starts_on, id"),
    }


@dump_discipline.loader  # type: ignore[attr-defined,untyped-decorator]
def load_discipline(ledger: Ledger, value: dict[str, Any]) -> None:
    for s in value.get("sanctions") or []:
        insert_row(ledger, "sanctions", {k: s.get(k) for k in SANCTION_KEYS})
    for d in value.get("dispositions") or []:
        insert_row(ledger, "dispositions", {k: d.get(k) for k in DISPOSITION_KEYS})
