"""The roster in the ledger: reading members and the named operations that write them.

AddMember, UpdateMember (status, category and 党小组 changes go into the dated history, see history.py),
change of status, and deleting a member entered by mistake.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from db import clock
from db.dates import from_iso, iso
from db.errors import InputRefused, Problem
from db.members.model import BOOL_FIELDS, COLUMNS, DATE_FIELDS, STATUS_LABELS, Member, validate

if TYPE_CHECKING:
    from db.connection import Ledger


def _from_row(row: sqlite3.Row) -> Member:
    data: dict[str, Any] = dict(row)
    for k in DATE_FIELDS:
        data[k] = from_iso(data.get(k))
    for k in BOOL_FIELDS:
        data[k] = bool(data.get(k))
    values: dict[str, Any] = {k: data.get(k) for k in ["id", *COLUMNS]}
    return Member(**values)


def _to_params(m: Member) -> dict[str, Any]:
    d = asdict(m)
    for k in DATE_FIELDS:
        d[k] = iso(d[k])
    for k in BOOL_FIELDS:
        d[k] = 1 if d[k] else 0
    return d


# ------------------------------------------------------------------------------------------ reading


def get(ledger: Ledger, member_id: int) -> Member:
    row = ledger.query_one("SELECT * FROM members WHERE id=?", (member_id,))
    if row is None:
        raise KeyError(member_id)
    return _from_row(row)


def list_members(ledger: Ledger, *, include_inactive: bool = True) -> list[Member]:
    sql = "SELECT * FROM members"
    if not include_inactive:
        sql += " WHERE status='active'"
    sql += " ORDER BY CASE status WHEN 'active' THEN 0 ELSE 1 END, id"
    return [_from_row(r) for r in ledger.query(sql)]


def names(ledger: Ledger) -> dict[int, str]:
    return {r[0]: r[1] for r in ledger.query("SELECT id, name FROM members")}


# ------------------------------------------------------------------------------------------ writing


def _check_unique_id(ledger: Ledger, m: Member) -> None:
    if not m.id_number:
        return
    row = ledger.query_one(
        "SELECT id, name FROM members WHERE id_number=? AND id<>?", (m.id_number, m.id or -1)
    )
    if row:
        raise InputRefused([Problem(f"公民身份号码与已有党员“{row[1]}”重复", column="公民身份号码")])


def insert(ledger: Ledger, m: Member, *, validate_first: bool = True, strict_id: bool = True) -> int:
    """Insert inside the current operation; returns the new id."""
    if validate_first:
        res = validate(m, strict_id=strict_id)
        if res.errors:
            raise InputRefused(res.errors, f"党员“{m.name or '（无姓名）'}”的信息有误，未保存")
    _check_unique_id(ledger, m)
    params = _to_params(m)
    cols = COLUMNS if m.id is None else ["id", *COLUMNS]
    cur = ledger.conn.execute(
        f"INSERT INTO members({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})", params
    )
    return int(cur.lastrowid or 0) if m.id is None else m.id


def add(ledger: Ledger, m: Member) -> int:
    """AddMember: one operation."""
    with ledger.operation("AddMember", f"新增党员 {m.name}") as op:
        op.value = insert(ledger, m)
    return int(op.value)


def update(
    ledger: Ledger, m: Member, *, reason: str | None = None, changed_on: dt.date | None = None
) -> None:
    """UpdateMember: status, category and 党小组 changes are kept in the dated history."""
    assert m.id is not None
    res = validate(m)
    if res.errors:
        raise InputRefused(res.errors, f"党员“{m.name}”的信息有误，未保存")
    old = get(ledger, m.id)
    with ledger.operation("UpdateMember", f"修改党员 {m.name}"):
        _check_unique_id(ledger, m)
        for field in ("status", "category", "group_id"):
            before, after = getattr(old, field), getattr(m, field)
            if before != after:
                when = (m.status_changed_on if field == "status" else None) or changed_on or clock.today()
                if field == "category" and after == "full" and m.full_on:
                    when = m.full_on
                ledger.conn.execute(
                    "INSERT INTO member_history(member_id, field, from_value, to_value, changed_on, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        m.id,
                        field,
                        None if before is None else str(before),
                        None if after is None else str(after),
                        when.isoformat(),
                        reason,
                    ),
                )
        params = _to_params(m)
        sets = ", ".join(f"{c}=:{c}" for c in COLUMNS)
        ledger.conn.execute(f"UPDATE members SET {sets} WHERE id=:id", params)


def change_status(ledger: Ledger, member_id: int, status: str, on: dt.date, reason: str) -> None:
    """转出, 去世, 出党/除名, 停止党籍 (or back to 在册): the member stays in past records."""
    m = get(ledger, member_id)
    if status not in STATUS_LABELS:
        raise InputRefused([Problem("党籍状态不正确", column="党籍状态")])
    m.status = status
    m.status_changed_on = on
    update(ledger, m, reason=reason, changed_on=on)


def delete(ledger: Ledger, member_id: int) -> None:
    """Remove a member entered by mistake. A member who really left is given a status instead."""
    m = get(ledger, member_id)
    with ledger.operation("DeleteMember", f"删除党员 {m.name}"):
        try:
            ledger.conn.execute("UPDATE party_groups SET leader_id=NULL WHERE leader_id=?", (member_id,))
            ledger.conn.execute("DELETE FROM members WHERE id=?", (member_id,))
        except sqlite3.IntegrityError:
            raise InputRefused(
                [
                    Problem(
                        f"“{m.name}”已出现在会议、党费或其他记录中，不能删除。如已离开支部，请改为“转出”等党籍状态。"
                    )
                ]
            ) from None
