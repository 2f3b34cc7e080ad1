"""Interchange section `members`: every member with their dated history (status, category, 党小组 changes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.dates import from_iso
from db.errors import InputRefused, Problem
from db.interchange import insert_row, section
from db.members.model import BOOL_FIELDS, COLUMNS, DATE_FIELDS, Member, validate
from db.members.store import insert

if TYPE_CHECKING:
    from db.connection import Ledger

KEYS = ["id", *COLUMNS]
HISTORY_KEYS = ["field", "from_value", "to_value", "changed_on", "reason"]


@section("members", order=30)
def dump_members(ledger: Ledger) -> list[dict[str, Any]]:
    hist: dict[int, list[dict[str, Any]]] = {}
    for h in ledger.query(f"SELECT member_id, {', '.join(HISTORY_KEYS)} FROM member_history ORDER BY id"):
        hist.setdefault(h["member_id"], []).append({k: h[k] for k in HISTORY_KEYS})
    out = []
    for r in ledger.query(f"SELECT {', '.join(KEYS)} FROM members ORDER BY id"):
        d = dict(r)
        for k in BOOL_FIELDS:
            d[k] = bool(d[k])
        d["history"] = hist.get(r["id"], [])
        out.append(d)
    return out


@dump_members.loader  # type: ignore[attr-defined,untyped-decorator]
def load_members(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    problems: list[Problem] = []
    for i, raw in enumerate(value):
        data: dict[str, Any] = {k: raw.get(k) for k in KEYS}
        for k in DATE_FIELDS:
            data[k] = from_iso(data[k])
        for k in BOOL_FIELDS:
            data[k] = bool(data[k])
        data["category"] = data["category"] or "full"
        data["status"] = data["status"] or "active"
        m = Member(**data)
        res = validate(m, strict_id=False)
        # A file from elsewhere may hold wrong ID numbers: `check` reports them (R01/R02); they are kept as given.
        m.id_number = raw.get("id_number")
        m.gender = raw.get("gender") or m.gender
        m.birth_date = from_iso(raw.get("birth_date")) or m.birth_date
        for p in res.errors:
            problems.append(Problem(f"{m.name or '（无姓名）'}：{p.message}", column=f"members[{i}]"))
        if not problems:
            insert(ledger, m, validate_first=False)
            for h in raw.get("history") or []:
                insert_row(
                    ledger, "member_history", {"member_id": m.id, **{k: h.get(k) for k in HISTORY_KEYS}}
                )
    if problems:
        raise InputRefused(problems, "交换文件中的党员信息有误，未写入任何内容")
