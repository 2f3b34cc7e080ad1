"""`study-hours` 党员学习培训学时登记表 — each member's 学时 of the year (RULES-EXT.md §10): the target (32; the
committee's configured value), hours from the branch's meetings that count, 集中培训, 网络培训, 自学 and other
records, the total, 达标 or the shortfall, exemptions; then every record (date, 名称, 形式, 组织单位, 学时)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from db import branch, clock, study
from db.dates import fmt_zh
from db.rules.orglife import STUDY_FORM_LABELS
from exports.registry import Params, Template, register
from exports.report import Block, Column, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = [
    Column("序号", 0.45, "center", "int"),
    Column("姓名", 0.9),
    Column("身份", 0.8, "center"),
    Column("目标学时", 0.7, "right"),
    Column("支部集体学习", 0.9, "right"),
    Column("集中培训", 0.75, "right"),
    Column("网络培训", 0.75, "right"),
    Column("自学及其他", 0.75, "right"),
    Column("合计", 0.6, "right"),
    Column("是否达标", 0.75, "center"),
    Column("备注", 2.0),
]
DETAIL = [
    Column("日期", 1.1),
    Column("姓名", 0.8),
    Column("名称", 2.6),
    Column("形式", 0.8, "center"),
    Column("组织单位", 1.4),
    Column("学时", 0.6, "right"),
    Column("佐证", 1.4),
]


def num(d: Decimal) -> str:
    s = f"{d}"
    return s[:-2] if s.endswith(".0") else s


def build(ledger: Ledger, p: Params) -> Report:
    year = p.year or clock.today().year
    day = min(p.as_of_date(), dt.date(year, 12, 31))
    rows_in = study.member_years(ledger, year, day)
    rows: list[list[Any]] = []
    detail: list[list[Any]] = []
    for i, r in enumerate(rows_in, start=1):
        by_form = {f: sum((x.hours for x in r.records if x.form == f), Decimal(0)) for f in STUDY_FORM_LABELS}
        other = by_form["collective"] + by_form["self"]
        if r.exemption:
            verdict, note = "不作要求", r.exemption
        elif r.total >= r.target:
            verdict, note = "达标", ""
        else:
            verdict, note = "未达标", f"差{num(r.short)}学时"
        if r.on_committee and r.central == 0 and not r.exemption:
            note = "；".join(x for x in (note, "本年无集中培训记录") if x)
        rows.append(
            [
                i,
                r.name,
                "书记/支委" if r.on_committee else "党员",
                num(r.target),
                num(r.meeting_hours),
                num(by_form["central"]),
                num(by_form["online"]),
                num(other),
                num(r.total),
                verdict,
                note,
            ]
        )
        for x in r.records:
            detail.append(
                [
                    fmt_zh(x.held_on),
                    r.name,
                    x.title,
                    x.form_label,
                    x.organizer or "",
                    num(x.hours),
                    x.evidence or "",
                ]
            )
    detail.sort(key=lambda d: (d[0], d[1]))
    met = sum(1 for r in rows_in if r.met)
    blocks: list[Block] = [Table(COLUMNS, rows, heading="逐人学时", font_size=8)]
    if detail:
        blocks.append(
            Table(
                DETAIL, detail, heading="培训学习记录（支部活动学时按出席记录计算，未逐条列出）", font_size=8
            )
        )
    else:
        blocks.append(Paragraph("本年度没有手工登记或导入的培训学习记录。"))
    blocks.append(Signatures(["填表人", "支部书记"]))
    target = num(study.committee_target(ledger))
    return Report(
        title=f"{year}年度党员学习培训学时登记表",
        subtitle=f"{branch.branch_name(ledger)}　　统计截至：{fmt_zh(day)}",
        orientation="landscape",
        blocks=blocks,
        footer_note=(
            f"共{len(rows_in)}人，达标或不作要求{met}人。党员集中学习培训每年一般不少于32学时（教育管理条例第二十条）；"
            f"书记、支委按{target}学时（2019—2023年规划数值，2026年未确认）。支部集体学习按出席每小时1学时计。"
        ),
        sheet_name="学时登记",
    )


register(
    Template(
        key="study-hours",
        title="党员学习培训学时登记表",
        build=build,
        needs=("year",),
        accepts=("year",),
        period_note="学时按年度统计",
        description="本年度每名党员的学时：支部集体学习、集中培训、网络培训、自学，合计与目标（32学时；支委按设置），以及逐条培训记录",
    )
)
