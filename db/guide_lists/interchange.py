"""Interchange section `guide_lists`: each year's 主题党日指导清单 with its items and what became of them (the
planned meeting, the meeting held, the change or skip with its reason)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger

LIST_KEYS = ["id", "year", "issuer", "title", "source", "imported_on"]
ITEM_KEYS = [
    "id",
    "month",
    "seq",
    "theme",
    "points",
    "forms",
    "node",
    "plan_id",
    "meeting_id",
    "deviation",
    "reason",
]


@section("guide_lists", order=120)
def dump_guide_lists(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for r in ledger.query(f"SELECT {', '.join(LIST_KEYS)} FROM guide_lists ORDER BY year"):
        d = dict(r)
        d["items"] = [
            dict(x)
            for x in ledger.query(
                f"SELECT {', '.join(ITEM_KEYS)} FROM guide_items WHERE list_id=? ORDER BY month, seq, id",
                (r["id"],),
            )
        ]
        out.append(d)
    return out


@dump_guide_lists.loader  # type: ignore[attr-defined,untyped-decorator]
def load_guide_lists(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for g in value:
        list_id = insert_row(ledger, "guide_lists", {k: g.get(k) for k in LIST_KEYS})
        seqs: dict[int, int] = {}
        for it in g.get("items") or []:
            data = {k: it.get(k) for k in ITEM_KEYS}
            month = int(data["month"])
            seqs[month] = max(seqs.get(month, 0) + 1, int(data["seq"] or 0))
            data["seq"] = seqs[month]
            data["list_id"] = list_id
            insert_row(ledger, "guide_items", data)
