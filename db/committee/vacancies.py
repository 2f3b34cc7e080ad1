"""Vacancies of the committee: a seat fallen vacant in a term, and (later) the 补选 that filled it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.dates import from_iso, iso
from db.errors import InputRefused, Problem
from db.interchange import insert_row

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass
class Vacancy:
    term_id: int
    role: str
    arose_on: dt.date
    member_id: int | None = None
    reason: str | None = None
    filled_by: int | None = None
    filled_on: dt.date | None = None
    notes: str | None = None
    id: int | None = None


def list_vacancies(ledger: Ledger, term_id: int | None = None) -> list[Vacancy]:
    sql = "SELECT * FROM committee_vacancies"
    params: tuple[Any, ...] = ()
    if term_id is not None:
        sql += " WHERE term_id=?"
        params = (term_id,)
    return [
        Vacancy(
            r["term_id"],
            r["role"],
            from_iso(r["arose_on"]) or dt.date.min,
            r["member_id"],
            r["reason"],
            r["filled_by"],
            from_iso(r["filled_on"]),
            r["notes"],
            r["id"],
        )
        for r in ledger.query(sql + " ORDER BY arose_on, id", params)
    ]


def save_vacancy(ledger: Ledger, v: Vacancy) -> int:
    """SaveVacancy: a seat fallen vacant in a term, and (later) the 补选 that filled it."""
    problems: list[Problem] = []
    if v.filled_on and v.filled_on < v.arose_on:
        problems.append(Problem("补选日期早于出缺日期", column="补选日期"))
    if v.role not in ("secretary", "deputy", "organization", "propaganda", "discipline", "member"):
        problems.append(Problem("职务不正确", column="职务"))
    if problems:
        raise InputRefused(problems, "缺额记录有误，未保存")
    vals = {
        "term_id": v.term_id,
        "role": v.role,
        "member_id": v.member_id,
        "arose_on": iso(v.arose_on),
        "reason": v.reason,
        "filled_by": v.filled_by,
        "filled_on": iso(v.filled_on),
        "notes": v.notes,
    }
    with ledger.operation("SaveVacancy", "保存支委缺额") as op:
        if v.id is None:
            v.id = insert_row(ledger, "committee_vacancies", vals)
        else:
            sets = ", ".join(f"{k}=?" for k in vals)
            ledger.conn.execute(f"UPDATE committee_vacancies SET {sets} WHERE id=?", (*vals.values(), v.id))
        op.value = v.id
    return int(op.value)


def delete_vacancy(ledger: Ledger, vacancy_id: int) -> None:
    with ledger.operation("DeleteVacancy", "删除支委缺额记录"):
        ledger.conn.execute("DELETE FROM committee_vacancies WHERE id=?", (vacancy_id,))
