"""The year's self-check: one result per item (达标, 部分达标, 未达标, with evidence) and its 整改 (RULES.md §5, §6.5).

Results are kept by (year, checklist name, item key), so they survive a definition carried over from an
earlier year. Also the year at a glance built from them: the rows of the self-check screen, the year's
summary for the report package and the open 整改 for the handover list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.checklists.definitions import (
    DEFAULT_NAME,
    Definition,
    Item,
    checklist_names,
    definition_for,
    ensure_definition,
)
from db.checklists.photos import photos
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem

if TYPE_CHECKING:
    from db.connection import Ledger

STATUS_LABELS = {"met": "达标", "not_met": "未达标", "partly": "部分达标"}
STATUS_CHOICES = ("met", "partly", "not_met")


@dataclass
class Result:
    year: int
    checklist: str
    item_key: str
    status: str | None = None
    evidence: str | None = None
    documents: str | None = None
    checked_on: dt.date | None = None
    rectification: str | None = None
    rect_due: dt.date | None = None
    rect_done: dt.date | None = None
    id: int | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status or "", "未检查")

    @property
    def met(self) -> bool | None:
        return None if self.status is None else self.status == "met"

    @property
    def is_gap(self) -> bool:
        return self.status in ("not_met", "partly")


# ------------------------------------------------------------------------------------------ results


def _result(r: Any) -> Result:
    return Result(
        r["year"],
        r["checklist"],
        r["item_key"],
        r["status"],
        r["evidence"],
        r["documents"],
        from_iso(r["checked_on"]),
        r["rectification"],
        from_iso(r["rect_due"]),
        from_iso(r["rect_done"]),
        r["id"],
    )


def results(ledger: Ledger, year: int, name: str = DEFAULT_NAME) -> dict[str, Result]:
    return {
        r["item_key"]: _result(r)
        for r in ledger.query(
            "SELECT * FROM checklist_results WHERE year=? AND checklist=? ORDER BY id", (year, name)
        )
    }


def get_result(ledger: Ledger, result_id: int) -> Result | None:
    r = ledger.query_one("SELECT * FROM checklist_results WHERE id=?", (result_id,))
    return _result(r) if r else None


def validate_result(r: Result, d: Definition) -> list[Problem]:
    problems: list[Problem] = []
    it = d.find(r.item_key)
    title = it.title if it else r.item_key
    if it is None:
        problems.append(Problem(f"清单“{d.name}”中没有编号为“{r.item_key}”的项目", column="项目"))
    if r.status is not None and r.status not in STATUS_LABELS:
        problems.append(Problem("是否达标只能是：达标、部分达标、未达标", column="是否达标"))
    if r.checked_on and r.checked_on.year not in (r.year, r.year + 1):
        problems.append(
            Problem(f"{title}：检查日期 {fmt_zh(r.checked_on)} 不在 {r.year} 年度内", column="检查日期")
        )
    if r.rect_done and r.checked_on and r.rect_done < r.checked_on:
        problems.append(Problem(f"{title}：整改完成日期早于检查日期", column="整改完成日期"))
    if (r.rect_due or r.rect_done) and not (r.rectification or "").strip():
        problems.append(Problem(f"{title}：填写了整改期限，请同时写明整改措施", column="整改措施"))
    return problems


def save_result(ledger: Ledger, r: Result) -> int:
    """SaveChecklistResult: one item's self-check for the year (insert or update)."""
    d = definition_for(ledger, r.year, r.checklist)
    problems = validate_result(r, d)
    if problems:
        raise InputRefused(problems, "自查结果有误，未保存")
    it = d.find(r.item_key)
    with ledger.operation("SaveChecklistResult", f"{r.year}年自查：{it.title if it else r.item_key}") as op:
        ensure_definition(ledger, r.year, r.checklist)
        op.value = _write_result(ledger, r)
    return int(op.value)


def _write_result(ledger: Ledger, r: Result) -> int:
    vals = (
        r.status,
        r.evidence,
        r.documents,
        iso(r.checked_on),
        r.rectification,
        iso(r.rect_due),
        iso(r.rect_done),
    )
    row = ledger.query_one(
        "SELECT id FROM checklist_results WHERE year=? AND checklist=? AND item_key=?",
        (r.year, r.checklist, r.item_key),
    )
    if row is None:
        cur = ledger.conn.execute(
            "INSERT INTO checklist_results(year, checklist, item_key, status, evidence, documents, checked_on, "
            "rectification, rect_due, rect_done) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (r.year, r.checklist, r.item_key, *vals),
        )
        r.id = int(cur.lastrowid or 0)
    else:
        r.id = int(row[0])
        ledger.conn.execute(
            "UPDATE checklist_results SET status=?, evidence=?, documents=?, checked_on=?, rectification=?, "
            "rect_due=?, rect_done=? WHERE id=?",
            (*vals, r.id),
        )
    return r.id


# ------------------------------------------------------------------------------------------ the year at a glance


@dataclass
class Row:
    """One line of the year's self-check: the item, its parent (for a sub-item) and its result."""

    item: Item
    parent: Item | None
    result: Result
    photo_count: int = 0


def year_rows(ledger: Ledger, year: int, name: str = DEFAULT_NAME) -> list[Row]:
    d = definition_for(ledger, year, name)
    res = results(ledger, year, name)
    counts: dict[str, int] = {}
    for p in photos(ledger, year, name):
        counts[p.item_key] = counts.get(p.item_key, 0) + 1
    return [
        Row(it, parent, res.get(it.key) or Result(year, name, it.key), counts.get(it.key, 0))
        for it, parent in d.all_items()
    ]


def year_summary(ledger: Ledger, year: int) -> dict[str, int]:
    """{"items", "met", "sub_items", "sub_met"} over the checklists in force for the year."""
    out = {"items": 0, "met": 0, "sub_items": 0, "sub_met": 0}
    for name in checklist_names(ledger, year):
        for row in year_rows(ledger, year, name):
            k = "sub_items" if row.parent else "items"
            out[k] += 1
            if row.result.status == "met":
                out["sub_met" if row.parent else "met"] += 1
    return out


def open_rectifications(ledger: Ledger, year: int) -> list[dict[str, Any]]:
    """Undone 整改 of the year's gaps (for the handover list): checklist, key, title, status, measure, due."""
    out: list[dict[str, Any]] = []
    for name in checklist_names(ledger, year):
        for row in year_rows(ledger, year, name):
            r = row.result
            if r.is_gap and r.rect_done is None:
                out.append(
                    {
                        "year": year,
                        "checklist": name,
                        "key": row.item.key,
                        "title": row.item.title,
                        "parent": row.parent.title if row.parent else None,
                        "status": r.status,
                        "status_label": r.status_label,
                        "rectification": r.rectification,
                        "due": r.rect_due,
                        "result_id": r.id,
                    }
                )
    return out
