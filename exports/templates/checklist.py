"""`checklist` 六个一自查表 — the year's self-check of each checklist in force (RULES.md §6.5): 项目, 标准要求,
自查情况, 佐证材料, 是否达标, 整改措施, with the evidence photos as thumbnails in the PDF."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import branch, checklists, clock
from db.dates import fmt_zh
from exports.registry import Params, Template, register
from exports.report import Block, Column, Image, Images, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = [
    Column("序号", 0.45, "center"),
    Column("项目", 1.7),
    Column("标准要求", 2.3),
    Column("自查情况", 2.2),
    Column("佐证材料", 1.5),
    Column("是否达标", 0.75, "center"),
    Column("整改措施", 2.0),
]


def rectification_text(r: checklists.Result) -> str:
    if not r.is_gap and not r.rectification:
        return ""
    parts = [r.rectification or "（未填写整改措施）"]
    if r.rect_due:
        parts.append(f"期限：{fmt_zh(r.rect_due)}")
    if r.rect_done:
        parts.append(f"已于{fmt_zh(r.rect_done)}完成")
    return "\n".join(parts)


def evidence_text(row: checklists.Row) -> str:
    parts = [row.result.documents or ""]
    if row.photo_count:
        parts.append(f"照片{row.photo_count}张（见附图）")
    return "\n".join(p for p in parts if p)


def build(ledger: Ledger, p: Params) -> Report:
    year = p.year or clock.today().year
    bname = branch.branch_name(ledger)
    blocks: list[Block] = []
    notes: list[str] = []
    names = checklists.checklist_names(ledger, year)
    for name in names:
        d = checklists.definition_for(ledger, year, name)
        rows: list[list[Any]] = []
        pics: list[Image] = []
        checked: list[dt.date] = []
        for row in checklists.year_rows(ledger, year, name):
            r = row.result
            label = f"　　{row.item.title}" if row.parent else row.item.title
            situation = r.evidence or ""
            if r.checked_on:
                checked.append(r.checked_on)
            rows.append(
                [
                    row.item.key,
                    label,
                    row.item.standard or "",
                    situation,
                    evidence_text(row),
                    r.status_label if r.status else "",
                    rectification_text(r),
                ]
            )
            for ph in checklists.photos(ledger, year, name, row.item.key):
                pics.append(
                    Image(
                        checklists.photo_thumb(ledger, ph.id),
                        f"{row.item.key} {row.item.title}" + (f"：{ph.caption}" if ph.caption else ""),
                        max_width_mm=58,
                        max_height_mm=40,
                    )
                )
        s = {"met": 0, "gap": 0, "open": 0}
        for row in checklists.year_rows(ledger, year, name):
            s["met"] += row.result.status == "met"
            s["gap"] += row.result.is_gap
            s["open"] += row.result.status is None
        heading = (
            f"“{name}”自查（{d.source}）"
            if len(names) > 1 and d.source
            else (f"“{name}”自查" if len(names) > 1 else None)
        )
        blocks.append(Table(COLUMNS, rows, heading=heading, font_size=8))
        notes.append(
            f"“{name}”共{len(rows)}项（含子项），达标{s['met']}项，未达标或部分达标{s['gap']}项，"
            f"未检查{s['open']}项" + (f"；检查日期{fmt_zh(max(checked))}" if checked else "")
        )
        if pics:
            blocks.append(Images(pics, heading="佐证照片" + (f"（{name}）" if len(names) > 1 else "")))
    if not any(isinstance(b, Table) and b.rows for b in blocks):
        blocks.append(Paragraph("本年度清单没有项目。"))
    blocks.append(Signatures(["自查人", "支部书记"]))
    d0 = checklists.definition_for(ledger, year, names[0])
    source = f"清单依据：{d0.source}。" if d0.source and len(names) == 1 else ""
    return Report(
        title=f"{year}年度“{'”“'.join(names)}”达标自查表",
        subtitle=f"{bname}",
        orientation="landscape",
        blocks=blocks,
        footer_note="；".join(notes) + "。" + source,
        sheet_name="自查表",
    )


register(
    Template(
        key="checklist",
        title="六个一自查表",
        build=build,
        needs=("year",),
        accepts=("year",),
        period_note="“六个一”达标自查按年度进行",
        description="本年度“六个一”（或本区清单）逐项自查：标准要求、自查情况、佐证材料、是否达标、整改措施，附佐证照片",
    )
)
