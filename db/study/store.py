"""学时 records and exemptions in the ledger: SaveStudyRecord, DeleteStudyRecord, SetStudyExemption."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from db import members as members_mod
from db import rows
from db.dates import fmt_zh, iso
from db.errors import InputRefused, Problem
from db.rules.orglife import STUDY_FORMS, to_hours
from db.study.model import Exemption, StudyRecord

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = ("member_id", "held_on", "title", "form", "organizer", "hours", "evidence")


def _record(r: Any) -> StudyRecord:
    return StudyRecord(
        r["member_id"],
        dt.date.fromisoformat(r["held_on"]),
        r["title"],
        Decimal(r["hours"]),
        r["form"],
        r["organizer"],
        r["evidence"],
        r["id"],
    )


def list_records(
    ledger: Ledger, year: int | None = None, *, until: dt.date | None = None, member_id: int | None = None
) -> list[StudyRecord]:
    where, params = rows.dated("held_on", year, until)
    if member_id is not None:
        where.append("member_id=?")
        params.append(member_id)
    return [
        _record(r)
        for r in ledger.query(
            f"SELECT * FROM study_records WHERE {' AND '.join(where)} ORDER BY held_on, id", params
        )
    ]


def validate_record(ledger: Ledger, r: StudyRecord, people: dict[int, Any] | None = None) -> list[Problem]:
    people = people if people is not None else {m.id: m for m in members_mod.list_members(ledger) if m.id}
    out: list[Problem] = []
    if r.member_id not in people:
        out.append(Problem("请选择党员", column="党员"))
    if r.held_on is None:
        out.append(Problem("请填写日期", column="日期"))
    if not (r.title or "").strip():
        out.append(Problem("请填写培训或学习的名称", column="名称"))
    if r.form not in STUDY_FORMS:
        out.append(Problem(f"形式“{r.form}”无效（集中培训、集体学习、网络培训、自学）", column="形式"))
    try:
        to_hours(r.hours)
    except ValueError as e:
        out.append(Problem(str(e), column="学时"))
    return out


def _params(r: StudyRecord) -> dict[str, Any]:
    return {
        "member_id": r.member_id,
        "held_on": iso(r.held_on),
        "title": r.title.strip(),
        "form": r.form,
        "organizer": (r.organizer or "").strip() or None,
        "hours": str(to_hours(r.hours)),
        "evidence": (r.evidence or "").strip() or None,
    }


def write_record(ledger: Ledger, r: StudyRecord) -> int:
    r.id = rows.write(ledger, "study_records", _params(r), r.id)
    return r.id


def save_record(ledger: Ledger, r: StudyRecord) -> int:
    """SaveStudyRecord."""
    problems = validate_record(ledger, r)
    if problems:
        raise InputRefused(problems, "学时记录未保存")
    with ledger.operation(
        "SaveStudyRecord", f"学时 {fmt_zh(r.held_on)} {r.title}（{to_hours(r.hours)}学时）"
    ):
        return write_record(ledger, r)


def delete_record(ledger: Ledger, record_id: int) -> None:
    with ledger.operation("DeleteStudyRecord", "删除学时记录"):
        ledger.conn.execute("DELETE FROM study_records WHERE id=?", (record_id,))


def exemptions(ledger: Ledger, year: int | None = None) -> list[Exemption]:
    sql, params = "SELECT * FROM study_exemptions", []
    if year is not None:
        sql, params = sql + " WHERE year=?", [year]
    return [
        Exemption(r["member_id"], r["year"], r["reason"], r["id"])
        for r in ledger.query(sql + " ORDER BY year, member_id", params)
    ]


def set_exemption(ledger: Ledger, member_id: int, year: int, reason: str | None) -> None:
    """SetStudyExemption: 年老体弱、身患重病… (JG06) — no 学时 target that year; an empty reason removes it."""
    name = members_mod.names(ledger).get(member_id)
    if name is None:
        raise InputRefused([Problem("请选择党员", column="党员")])
    with ledger.operation(
        "SetStudyExemption", f"{year}年学时 {name}：{'不作硬性要求' if reason else '取消豁免'}"
    ):
        if (reason or "").strip():
            ledger.conn.execute(
                "INSERT INTO study_exemptions (member_id, year, reason) VALUES (?, ?, ?) "
                "ON CONFLICT(member_id, year) DO UPDATE SET reason=excluded.reason",
                (member_id, year, reason.strip()),  # type: ignore[union-attr]
            )
        else:
            ledger.conn.execute(
                "DELETE FROM study_exemptions WHERE member_id=? AND year=?", (member_id, year)
            )
