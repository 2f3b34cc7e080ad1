"""Interchange section `study_hours`: the 学时 records entered by hand or imported (`records`) and the yearly
exemptions (`exemptions`). Hours from the branch's meetings are not stored: they follow from attendance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section
from db.study.store import COLUMNS

if TYPE_CHECKING:
    from db.connection import Ledger

RECORD_KEYS = ["id", *COLUMNS]
EXEMPTION_KEYS = ["member_id", "year", "reason"]


@section("study_hours", order=112)
def dump_study(ledger: Ledger) -> dict[str, Any]:
    return {
        "records": [
            dict(r)
            for r in ledger.query(f"SELECT {', '.join(RECORD_KEYS)} FROM study_records ORDER BY held_on, id")
        ],
        "exemptions": [
            dict(r)
            for r in ledger.query(
                f"SELECT {', '.join(EXEMPTION_KEYS)} FROM study_exemptions ORDER BY year, member_id"
            )
        ],
    }


@dump_study.loader  # type: ignore[attr-defined,untyped-decorator]
def load_study(ledger: Ledger, value: dict[str, Any]) -> None:
    from db.rules.orglife import to_hours

    for r in value.get("records") or []:
        data = {k: r.get(k) for k in RECORD_KEYS}
        data["form"] = data["form"] or "central"
        data["hours"] = str(to_hours(data["hours"]))
        insert_row(ledger, "study_records", data)
    for e in value.get("exemptions") or []:
        insert_row(ledger, "study_exemptions", {k: e.get(k) for k in EXEMPTION_KEYS})
