"""Interchange section `rectifications`: the 组织生活会 查摆问题 and their 整改."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section
from db.rectifications.store import COLUMNS

if TYPE_CHECKING:
    from db.connection import Ledger

KEYS = ["id", *COLUMNS]


@section("rectifications", order=113)
def dump_rectifications(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        dict(r) for r in ledger.query(f"SELECT {', '.join(KEYS)} FROM rectifications ORDER BY found_on, id")
    ]


@dump_rectifications.loader  # type: ignore[attr-defined,untyped-decorator]
def load_rectifications(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for r in value:
        insert_row(ledger, "rectifications", {k: r.get(k) for k in KEYS})
