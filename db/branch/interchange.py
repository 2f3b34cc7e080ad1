"""Interchange sections `branch` (the profile) and `party_groups`; `committee_terms` is in db/committee."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.interchange import insert_row, section

if TYPE_CHECKING:
    from db.connection import Ledger


@section("branch", order=10)
def dump_branch(ledger: Ledger) -> dict[str, Any] | None:
    row = ledger.query_one(
        "SELECT name, upper_org, park, founded_on, enterprise, notes FROM branch WHERE id=1"
    )
    return dict(row) if row else None


@dump_branch.loader  # type: ignore[attr-defined,untyped-decorator]
def load_branch(ledger: Ledger, value: dict[str, Any]) -> None:
    keys = ["name", "upper_org", "park", "founded_on", "enterprise", "notes"]
    insert_row(ledger, "branch", {"id": 1, **{k: value.get(k) for k in keys}})


GROUP_KEYS = ["id", "name", "leader_id", "created_on", "dissolved_on", "notes"]


@section("party_groups", order=20)
def dump_groups(ledger: Ledger) -> list[dict[str, Any]]:
    return [dict(r) for r in ledger.query(f"SELECT {', '.join(GROUP_KEYS)} FROM party_groups ORDER BY id")]


@dump_groups.loader  # type: ignore[attr-defined,untyped-decorator]
def load_groups(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    for g in value:
        insert_row(ledger, "party_groups", {k: g.get(k) for k in GROUP_KEYS})
