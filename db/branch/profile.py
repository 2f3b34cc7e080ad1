"""The branch profile: its name, upper organisation, park, founding date and enterprise (one row, id 1).

Also the two small views other areas ask of the branch: `require_branch` (for exports that need a name) and
`summary` (the 工作台's head line: name, member counts and 党小组 on a date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.branch.groups import groups_on
from db.dates import from_iso, iso
from db.errors import InputRefused, LedgerError, Problem

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass
class Branch:
    name: str = ""
    upper_org: str | None = None
    park: str | None = None
    founded_on: dt.date | None = None
    enterprise: str | None = None
    notes: str | None = None


def get_branch(ledger: Ledger) -> Branch | None:
    row = ledger.query_one("SELECT * FROM branch WHERE id=1")
    if row is None:
        return None
    return Branch(
        row["name"],
        row["upper_org"],
        row["park"],
        from_iso(row["founded_on"]),
        row["enterprise"],
        row["notes"],
    )


def branch_name(ledger: Ledger) -> str:
    b = get_branch(ledger)
    return b.name if b else ""


def save_branch(ledger: Ledger, b: Branch) -> None:
    if not b.name.strip():
        raise InputRefused([Problem("支部全称不能为空", column="支部全称")])
    with ledger.operation("SaveBranch", "修改支部信息"):
        ledger.conn.execute(
            "INSERT INTO branch(id, name, upper_org, park, founded_on, enterprise, notes) "
            "VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, "
            "upper_org=excluded.upper_org, park=excluded.park, founded_on=excluded.founded_on, "
            "enterprise=excluded.enterprise, notes=excluded.notes",
            (b.name.strip(), b.upper_org, b.park, iso(b.founded_on), b.enterprise, b.notes),
        )


def require_branch(ledger: Ledger) -> Branch:
    b = get_branch(ledger)
    if b is None:
        raise LedgerError("台账中还没有支部信息，请先填写支部全称。")
    return b


def summary(ledger: Ledger, on: dt.date) -> dict[str, Any]:
    """The branch's figures on a date; `voters`: 正式党员 with 表决权 that day (not under 留党察看, JG15, nor away
    with their vote counted elsewhere, LD03)."""
    from db.meetings.rights import no_vote_ids
    from db.members import counts_on
    from db.members.history import roster_on

    c = counts_on(ledger, on)
    no_vote = no_vote_ids(ledger, on)
    voters = sum(1 for r in roster_on(ledger, on) if r.category == "full" and r.id not in no_vote)
    return {"branch": branch_name(ledger), **c, "voters": voters, "groups": len(groups_on(ledger, on))}
