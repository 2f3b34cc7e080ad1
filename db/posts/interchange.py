"""Interchange section `posts`: every designation with its members (`member_ids`, in order)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section
from db.posts.store import COLUMNS, _holders

if TYPE_CHECKING:
    from db.connection import Ledger

KEYS = ["id", *COLUMNS]


@section("posts", order=131)
def dump_posts(ledger: Ledger) -> list[dict[str, Any]]:
    holders = _holders(ledger)
    return [
        {**dict(r), "member_ids": holders.get(r["id"], [])}
        for r in ledger.query(f"SELECT {', '.join(KEYS)} FROM posts ORDER BY starts_on, id")
    ]


@dump_posts.loader  # type: ignore[attr-defined,untyped-decorator]
def load_posts(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for p in value:
        data = {k: p.get(k) for k in KEYS}
        pid = insert_row(ledger, "posts", data)
        for pos, mid in enumerate(p.get("member_ids") or []):
            insert_row(ledger, "post_members", {"post_id": pid, "member_id": mid, "position": pos})
