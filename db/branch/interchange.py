"""Interchange sections `branch`, `party_groups`, `committee_terms`."""

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
