"""Reading the development ledger: applicants and their steps from the `applicants` and `applicant_steps`
tables (`list_applicants`, `get_applicant`, `applicant_choices`), and the row mapping the writers share
(`_params`, `_check_unique`).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from db.dates import fmt_zh, from_iso, iso
from db.development.model import COLUMNS, DATE_COLS, Applicant, StepEntry, _problem
from db.errors import InputRefused

if TYPE_CHECKING:
    from db.connection import Ledger


# ------------------------------------------------------------------------------------------ reading


def _entry(r: sqlite3.Row) -> StepEntry:
    codes = tuple(c for c in (r["override_codes"] or "").split(",") if c)
    return StepEntry(
        r["step"],
        dt.date.fromisoformat(r["date"]),
        r["seq"],
        r["actor"],
        json.loads(r["facts"]) if r["facts"] else {},
        r["meeting_id"],
        codes,
        r["override_reason"],
        r["id"],
    )


def _applicant(r: sqlite3.Row, steps: list[StepEntry]) -> Applicant:
    data: dict[str, Any] = {k: r[k] for k in COLUMNS}
    for k in DATE_COLS:
        data[k] = from_iso(data[k])
    data["frontline"] = bool(data["frontline"])
    a = Applicant(id=r["id"], **data)
    for s in sorted(steps, key=lambda e: (e.key, e.seq)):
        if s.key == "evaluations":
            a.evaluations.append(s)
        elif s.key == "probation_evaluations":
            a.probation_evaluations.append(s)
        else:
            a.steps[s.key] = s
    return a


def list_applicants(ledger: Ledger, *, include_stopped: bool = True) -> list[Applicant]:
    by: dict[int, list[StepEntry]] = {}
    for r in ledger.query("SELECT * FROM applicant_steps ORDER BY applicant_id, step, seq"):
        by.setdefault(r["applicant_id"], []).append(_entry(r))
    out = [_applicant(r, by.get(r["id"], [])) for r in ledger.query("SELECT * FROM applicants ORDER BY id")]
    return out if include_stopped else [a for a in out if a.stage != "stopped"]


def get_applicant(ledger: Ledger, applicant_id: int) -> Applicant:
    r = ledger.query_one("SELECT * FROM applicants WHERE id=?", (applicant_id,))
    if r is None:
        raise KeyError(applicant_id)
    steps = [
        _entry(x) for x in ledger.query("SELECT * FROM applicant_steps WHERE applicant_id=?", (applicant_id,))
    ]
    return _applicant(r, steps)


def applicant_choices(ledger: Ledger) -> list[tuple[int, str]]:
    """(id, label) for the 纪实表 export and pickers: name, stage and application date."""
    out = []
    for a in list_applicants(ledger):
        assert a.id is not None
        applied = a.date_of("applied")
        out.append((a.id, f"{a.name}（{a.stage_label}" + (f"，{fmt_zh(applied)}申请）" if applied else "）")))
    return out


# ------------------------------------------------------------------------------------------ row mapping


def _check_unique(ledger: Ledger, a: Applicant) -> None:
    if not a.id_number:
        return
    row = ledger.query_one(
        "SELECT name FROM applicants WHERE id_number=? AND id<>? AND stage<>'stopped'",
        (a.id_number, a.id or -1),
    )
    if row:
        raise InputRefused([_problem("id_number", f"公民身份号码与发展对象名单中的“{row[0]}”重复")])


def _params(a: Applicant) -> dict[str, Any]:
    d: dict[str, Any] = {k: getattr(a, k) for k in COLUMNS}
    for k in DATE_COLS:
        d[k] = iso(d[k])
    d["frontline"] = 1 if d["frontline"] else 0
    return d
