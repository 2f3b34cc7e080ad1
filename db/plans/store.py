"""Stored drafts: BuildPlanDraft (takes the facts; a draft already there keeps the secretary's text under each
heading and gets fresh facts), SavePlanText, FinalizePlan (frozen from then on), DeletePlan."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from db import clock
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem
from db.plans.draft import build_sections
from db.plans.model import KIND_LABELS, KINDS, Plan, Section

if TYPE_CHECKING:
    from db.connection import Ledger


def _plan(r: Any) -> Plan:
    return Plan(
        r["year"],
        r["kind"],
        r["title"],
        [Section.from_json(s) for s in json.loads(r["sections"] or "[]")],
        dt.date.fromisoformat(r["built_on"]),
        from_iso(r["finalized_on"]),
        r["id"],
    )


def list_plans(ledger: Ledger, year: int | None = None) -> list[Plan]:
    if year is None:
        rows = ledger.query("SELECT * FROM plans ORDER BY year, kind, id")
    else:
        rows = ledger.query("SELECT * FROM plans WHERE year=? ORDER BY kind, id", (year,))
    return [_plan(r) for r in rows]


def get_plan(ledger: Ledger, year: int, kind: str) -> Plan | None:
    r = ledger.query_one("SELECT * FROM plans WHERE year=? AND kind=?", (year, kind))
    return _plan(r) if r is not None else None


def _get(ledger: Ledger, plan_id: int) -> Plan:
    r = ledger.query_one("SELECT * FROM plans WHERE id=?", (plan_id,))
    if r is None:
        raise InputRefused([Problem(f"计划/总结 {plan_id} 不存在")])
    return _plan(r)


def _frozen(p: Plan) -> InputRefused:
    return InputRefused(
        [
            Problem(
                f"{p.year}年{p.kind_label}已于{fmt_zh(p.finalized_on)}定稿，不能再修改（可用“撤销”退回定稿前）"
            )
        ]
    )


def _sections_json(sections: list[Section]) -> str:
    return json.dumps([s.to_json() for s in sections], ensure_ascii=False)


def draft_plan(ledger: Ledger, year: int, kind: str) -> Plan:
    """The draft as it would be built now (not stored), with the text of a stored draft kept per heading."""
    if kind not in KINDS:
        raise InputRefused([Problem(f"类型“{kind}”无效，应为 {'、'.join(KINDS)}", column="kind")])
    title, sections = build_sections(ledger, year, kind)
    old = get_plan(ledger, year, kind)
    if old is not None:
        texts = {s.key: s.text for s in old.sections}
        for s in sections:
            s.text = texts.get(s.key, "")
        title = old.title or title
    return Plan(year, kind, title, sections, clock.today(), None, old.id if old else None)


def build_draft(ledger: Ledger, year: int, kind: str) -> Plan:
    """BuildPlanDraft: take the year's facts (again) and store the draft."""
    old = get_plan(ledger, year, kind)
    if old is not None and old.frozen:
        raise _frozen(old)
    p = draft_plan(ledger, year, kind)
    with ledger.operation("BuildPlanDraft", f"生成{year}年{KIND_LABELS[kind]}草稿") as op:
        if p.id is None:
            cur = ledger.conn.execute(
                "INSERT INTO plans (year, kind, title, sections, built_on) VALUES (?, ?, ?, ?, ?)",
                (year, kind, p.title, _sections_json(p.sections), iso(p.built_on)),
            )
            op.value = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                "UPDATE plans SET sections=?, built_on=? WHERE id=?",
                (_sections_json(p.sections), iso(p.built_on), p.id),
            )
            op.value = p.id
    p.id = int(op.value)
    return p


def save_text(ledger: Ledger, plan_id: int, texts: dict[str, str], title: str | None = None) -> None:
    """SavePlanText: the secretary's words under each heading (and the title)."""
    p = _get(ledger, plan_id)
    if p.frozen:
        raise _frozen(p)
    for s in p.sections:
        if s.key in texts:
            s.text = texts[s.key].strip()
    new_title = (title or "").strip() or p.title
    with ledger.operation("SavePlanText", f"修改{p.year}年{p.kind_label}"):
        ledger.conn.execute(
            "UPDATE plans SET title=?, sections=? WHERE id=?",
            (new_title, _sections_json(p.sections), plan_id),
        )


def finalize_plan(ledger: Ledger, plan_id: int, on: dt.date | None = None) -> None:
    """FinalizePlan: the draft is final; facts and text are frozen."""
    p = _get(ledger, plan_id)
    if p.frozen:
        raise _frozen(p)
    with ledger.operation("FinalizePlan", f"{p.year}年{p.kind_label}定稿"):
        ledger.conn.execute("UPDATE plans SET finalized_on=? WHERE id=?", (iso(on or clock.today()), plan_id))


def delete_plan(ledger: Ledger, plan_id: int) -> None:
    p = _get(ledger, plan_id)
    if p.frozen:
        raise _frozen(p)
    with ledger.operation("DeletePlan", f"删除{p.year}年{p.kind_label}草稿"):
        ledger.conn.execute("DELETE FROM plans WHERE id=?", (plan_id,))
