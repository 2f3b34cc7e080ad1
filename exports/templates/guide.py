"""`guide-list` 主题党日指导清单执行情况 — the year's list as the upper committee issued it, month by month, with
what the branch did: the 主题党日 held (date, topic), planned, changed or not carried out with the reason, or
missed (K01). Local practice (RULES-EXT.md §16.1), said so in the footer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import branch, clock, guide_lists
from db.dates import fmt_zh
from exports.registry import Params, Template, register
from exports.report import Block, Column, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = [
    Column("月份", 0.5, "center"),
    Column("主题", 1.7),
    Column("内容要点", 2.4),
    Column("参考形式", 1.0),
    Column("时间节点", 0.9),
    Column("执行情况", 0.9, "center"),
    Column("开展日期", 1.1, "center", "date"),
    Column("说明", 2.0),
]


def rows_for(gl: guide_lists.GuideList, on: dt.date) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for month, items in gl.months().items():
        for it in items:
            state = guide_lists.item_state(gl.year, it, on)
            held = it.meeting_date if it.meeting_date and it.meeting_date <= on else None
            note = ""
            if it.reason:
                note = it.reason
            elif held and it.meeting_topic and it.meeting_topic != it.theme:
                note = f"会议主题：{it.meeting_topic}"
            elif state == guide_lists.PLANNED and it.plan_date:
                note = f"计划于{fmt_zh(it.plan_date)}开展"
            rows.append(
                [
                    f"{month}月",
                    it.theme,
                    it.points or "",
                    it.forms or "",
                    it.node or "",
                    guide_lists.STATE_LABELS[state],
                    held,
                    note,
                ]
            )
    return rows


def build(ledger: Ledger, p: Params) -> Report:
    year = p.year or clock.today().year
    on = min(p.as_of_date(), dt.date(year, 12, 31))
    gl = guide_lists.get_list(ledger, year)
    blocks: list[Block] = []
    footer = guide_lists.LOCAL_NOTE
    if gl is None:
        blocks.append(Paragraph(f"{year}年没有导入上级党委下发的主题党日指导清单。"))
    else:
        c = guide_lists.counts(year, gl.items, on)
        src = "、".join(x for x in (gl.issuer, gl.title) if x)
        if src:
            blocks.append(Paragraph(f"清单来源：{src}"))
        blocks.append(Table(COLUMNS, rows_for(gl, on), font_size=8))
        footer = (
            f"共{len(gl.items)}项：已开展{c[guide_lists.DONE]}项，调整开展{c[guide_lists.CHANGED]}项，"
            f"未开展（已说明原因）{c[guide_lists.SKIPPED]}项，未开展（未说明）{c[guide_lists.MISSED]}项，"
            f"尚未到期{c[guide_lists.PLANNED] + c[guide_lists.OPEN]}项。" + footer
        )
    blocks.append(Signatures(["填表人", "支部书记"]))
    return Report(
        title=f"{year}年主题党日指导清单执行情况",
        subtitle=f"{branch.branch_name(ledger)}　　统计截至：{fmt_zh(on)}",
        orientation="landscape",
        blocks=blocks,
        footer_note=footer,
        sheet_name="指导清单执行",
    )


register(
    Template(
        key="guide-list",
        title="主题党日指导清单执行情况",
        build=build,
        needs=("year",),
        accepts=("year", "as_of"),
        period_note="指导清单按年度下发，执行情况按年度统计",
        description="上级党委下发的主题党日指导清单逐月列出，每项的开展情况：已开展（日期）、调整或未开展的原因、未开展",
    )
)
