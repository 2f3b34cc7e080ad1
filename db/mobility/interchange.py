"""Interchange section `mobility`: the 外出 records with their contact logs, the months of 党费 paid at the
流入地 (LD08) and the 失联 records (LD11)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db import rowops
from db.interchange import insert_row, section
from db.mobility.model import Contact, ElsewhereMonth, Lost, Outing

if TYPE_CHECKING:
    from db.connection import Ledger

OUTING_KEYS = ["id", *rowops.columns(Outing)]
CONTACT_KEYS = ["id", *[k for k in rowops.columns(Contact) if k != "outing_id"]]
ELSEWHERE_KEYS = [k for k in rowops.columns(ElsewhereMonth)]
LOST_KEYS = ["id", *rowops.columns(Lost)]


@section("mobility", order=120)
def dump_mobility(ledger: Ledger) -> dict[str, Any]:
    outings = rowops.dump_table(ledger, "mobility_outings", OUTING_KEYS, "left_on, id")
    for o in outings:
        o["fixed_place"] = bool(o["fixed_place"])
        o["vote_elsewhere"] = bool(o["vote_elsewhere"])
        o["contacts"] = [
            dict(r)
            for r in ledger.query(
                f"SELECT {', '.join(CONTACT_KEYS)} FROM mobility_contacts WHERE outing_id=? ORDER BY contacted_on, id",
                (o["id"],),
            )
        ]
    return {
        "outings": outings,
        "dues_elsewhere": rowops.dump_table(ledger, "dues_elsewhere", ELSEWHERE_KEYS, "member_id, month"),
        "lost": rowops.dump_table(ledger, "mobility_lost", LOST_KEYS, "since, id"),
    }


@dump_mobility.loader  # type: ignore[attr-defined,untyped-decorator]
def load_mobility(ledger: Ledger, value: dict[str, Any]) -> None:
    for o in value.get("outings") or []:
        data = {k: o.get(k) for k in OUTING_KEYS}
        data["kind"] = data["kind"] or "work"
        data["fixed_place"] = int(bool(data["fixed_place"]))
        data["vote_elsewhere"] = int(bool(data["vote_elsewhere"]))
        insert_row(ledger, "mobility_outings", data)
        for c in o.get("contacts") or []:
            row = {k: c.get(k) for k in CONTACT_KEYS}
            row["way"] = row["way"] or "phone"
            insert_row(ledger, "mobility_contacts", {**row, "outing_id": o["id"]})
    for m in value.get("dues_elsewhere") or []:
        insert_row(ledger, "dues_elsewhere", {k: m.get(k) for k in ELSEWHERE_KEYS})
    for x in value.get("lost") or []:
        insert_row(ledger, "mobility_lost", {k: x.get(k) for k in LOST_KEYS})
