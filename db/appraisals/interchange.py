"""Interchange section `appraisals`: each year's 民主评议 with every member's result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.appraisals.store import RESULT_COLUMNS
from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger

KEYS = ["id", "year", "started_on", "held_on", "assembly_id", "org_life_id", "plan", "notes"]


@section("appraisals", order=110)
def dump_appraisals(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for r in ledger.query(f"SELECT {', '.join(KEYS)} FROM appraisals ORDER BY year"):
        d = dict(r)
        d["results"] = [
            dict(x)
            for x in ledger.query(
                f"SELECT {', '.join(RESULT_COLUMNS)} FROM appraisal_results WHERE appraisal_id=? ORDER BY id",
                (r["id"],),
            )
        ]
        out.append(d)
    return out


@dump_appraisals.loader  # type: ignore[attr-defined,untyped-decorator]
def load_appraisals(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for a in value:
        insert_row(ledger, "appraisals", {k: a.get(k) for k in KEYS})
        for r in a.get("results") or []:
            data = {k: r.get(k) for k in RESULT_COLUMNS}
            data["participation"] = data["participation"] or "rated"
            insert_row(ledger, "appraisal_results", {"appraisal_id": a["id"], **data})
