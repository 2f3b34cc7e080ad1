"""Interchange sections of the committee: `committee_terms` (each term with its seats)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger


TERM_KEYS = ["id", "kind", "elected_on", "starts_on", "ends_on", "approval_ref", "notes"]
SEAT_KEYS = ["member_id", "role", "from_on", "to_on", "notes"]


@section("committee_terms", order=40)
def dump_terms(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for t in ledger.query(f"SELECT {', '.join(TERM_KEYS)} FROM committee_terms ORDER BY id"):
        d = dict(t)
        d["members"] = [
            dict(s)
            for s in ledger.query(
                f"SELECT {', '.join(SEAT_KEYS)} FROM committee_members WHERE term_id=? ORDER BY id",
                (t["id"],),
            )
        ]
        out.append(d)
    return out


@dump_terms.loader  # type: ignore[attr-defined,untyped-decorator]
def load_terms(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for t in value:
        data = {k: t.get(k) for k in TERM_KEYS}
        data["kind"] = data["kind"] or "committee"
        insert_row(ledger, "committee_terms", data)
        for s in t.get("members") or []:
            insert_row(ledger, "committee_members", {"term_id": t["id"], **{k: s.get(k) for k in SEAT_KEYS}})
