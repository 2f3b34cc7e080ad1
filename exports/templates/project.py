"""`project` 书记项目 项目书 and 进展表 — for each 书记项目 / 党建项目 of the year: the 项目书 (立项: 背景, 拟解决的
问题, 内容措施, 工作安排, 预期成效 with its targets, the owner, the enterprise goal) and the 进展表 (milestones with
due and done dates, late ones marked; progress notes with their evidence; at 结项 each target's actual figure
against the expected one). Local practice (RULES-EXT.md §16.2)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import branch, clock, projects
from db.dates import fmt_zh
from exports.registry import Params, Template, register
from exports.report import (
    Block,
    Column,
    Image,
    Images,
    KeyValues,
    PageBreak,
    Paragraph,
    Report,
    Signatures,
    Table,
)

if TYPE_CHECKING:
    from db.connection import Ledger

TARGETS = [
    Column("序号", 0.45, "center", "int"),
    Column("预期成效指标", 2.2),
    Column("预期", 1.4),
    Column("实际", 1.4),
    Column("是否达成", 0.8, "center"),
]
MILESTONES = [
    Column("序号", 0.45, "center", "int"),
    Column("节点", 2.6),
    Column("计划完成", 1.1, "center", "date"),
    Column("实际完成", 1.1, "center", "date"),
    Column("状态", 0.9, "center"),
]
PROGRESS = [
    Column("日期", 1.1, "center", "date"),
    Column("进展情况", 3.0),
    Column("佐证", 2.2),
]
MAX_PHOTOS = 6


def _milestone_state(m: projects.Milestone, on: dt.date) -> str:
    if m.done_on and m.done_on <= on:
        return "已完成" if m.done_on <= m.due_on else "逾期完成"
    if projects.milestone_late(m, on):
        return f"逾期{(on - m.due_on).days}天"
    return "进行中"


def _met(t: projects.Target) -> str:
    return "" if t.met is None else ("达成" if t.met else "未达成")


def project_blocks(ledger: Ledger, p: projects.Project, on: dt.date, meetings: dict[int, str]) -> list[Block]:
    owner = projects.owner_name(ledger, p)
    blocks: list[Block] = [
        KeyValues(
            [
                ("项目名称", p.title),
                ("项目类型", p.kind_label),
                ("负责人", owner),
                ("立项日期", fmt_zh(p.approved_on) if p.approved_on else "未立项"),
                ("服务的企业发展目标", p.goal or ""),
                ("融合方向", p.tags or ""),
                ("状态", projects.STATUS_LABELS[p.status_on(on)]),
                ("结项日期", fmt_zh(p.closed_on) if p.closed_on and p.closed_on <= on else ""),
            ],
            columns=2,
            heading=f"{p.kind_label}项目书",
        )
    ]
    for key, label in projects.FIELD_LABELS.items():
        blocks.append(Paragraph(getattr(p, key) or "（未填写）", heading=label))
    targets = [
        [i, t.indicator, t.expected or "", t.actual or "", _met(t)] for i, t in enumerate(p.targets, 1)
    ]
    blocks.append(Table(TARGETS, targets, heading="预期成效与实际完成", empty_text="（未列出可衡量的指标）"))
    blocks.append(PageBreak())
    blocks.append(
        Table(
            MILESTONES,
            [
                [
                    i,
                    m.title,
                    m.due_on,
                    m.done_on if m.done_on and m.done_on <= on else None,
                    _milestone_state(m, on),
                ]
                for i, m in enumerate(p.milestones, 1)
            ],
            heading=f"{p.title} — 进展表：计划节点",
            empty_text="（未设节点）",
        )
    )
    names = {m.id: m.title for m in p.milestones}
    tnames = {t.id: t.indicator for t in p.targets}
    rows: list[list[Any]] = []
    pictures: list[Image] = []
    for g in p.progress:
        if g.noted_on > on:
            continue
        evidence = []
        if g.milestone_id in names:
            evidence.append(f"节点：{names[g.milestone_id]}")
        if g.meeting_id in meetings:
            evidence.append(f"会议：{meetings[g.meeting_id]}")
        if g.target_id in tnames and g.figure:
            evidence.append(f"{tnames[g.target_id]}：{g.figure}")
        if g.photos:
            evidence.append(f"照片{len(g.photos)}张")
        rows.append([g.noted_on, g.text, "；".join(evidence)])
        for ph in g.photos:
            if len(pictures) < MAX_PHOTOS:
                pictures.append(Image(projects.photo_data(ledger, ph.id), ph.caption or ph.file_name, 55, 40))
    blocks.append(Table(PROGRESS, rows, heading="进展情况", empty_text="（尚无进展记录）"))
    if pictures:
        blocks.append(Images(pictures, heading="照片"))
    if p.closed_on and p.closed_on <= on:
        met, judged = p.targets_met()
        blocks.append(Paragraph(f"{p.outcome or ''}（预期指标达成{met}/{judged}项）", heading="结项总结"))
    blocks.append(Signatures(["项目负责人", "支部书记"]))
    return blocks


def build(ledger: Ledger, p: Params) -> Report:
    year = p.year or clock.today().year
    on = min(p.as_of_date(), dt.date(year, 12, 31))
    items = projects.list_projects(ledger, year)
    meetings = {
        int(r[0]): f"{fmt_zh(dt.date.fromisoformat(r[1]))} {r[2] or ''}".strip()
        for r in ledger.query("SELECT id, date, topic FROM meetings")
    }
    blocks: list[Block] = []
    for i, pr in enumerate(items):
        if i:
            blocks.append(PageBreak())
        blocks.extend(project_blocks(ledger, pr, on, meetings))
    if not items:
        blocks.append(Paragraph(f"{year}年没有登记书记项目或党建项目。"))
    late = sum(len(pr.late_milestones(on)) for pr in items)
    return Report(
        title=f"{year}年书记项目项目书及进展表",
        subtitle=f"{branch.branch_name(ledger)}　　统计截至：{fmt_zh(on)}",
        blocks=blocks,
        footer_note=f"共{len(items)}个项目，逾期未完成的节点{late}个。" + projects.LOCAL_NOTE,
        sheet_name="书记项目",
    )


register(
    Template(
        key="project",
        title="书记项目项目书及进展表",
        build=build,
        needs=("year",),
        accepts=("year", "as_of"),
        period_note="书记项目按年度立项",
        description="本年度每个书记项目/党建项目的项目书（背景、问题、措施、安排、预期成效）和进展表（节点、进展、佐证、结项成效）",
    )
)
