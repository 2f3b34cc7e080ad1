"""`appraisal` 民主评议党员情况登记表 — the year's 评议 (RULES-EXT.md §8): the date, the 党员大会 and 组织生活会 it
was held in, each member's part (参评 / 预备党员不定等次 / 在流入地评议 / 不参加), the 民主测评 votes, the 等次 and the
meeting whose 评定意见 it rests on, the 反馈 date; the counts per 等次 (年报表 第八表). Masked (the park
liaison's package): the counts only, no names beside grades."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import appraisals, branch, clock, members
from db.dates import fmt_zh
from db.rules.meetings import KIND_SHORT
from db.rules.orglife import GRADE_LABELS, GRADES, excellent_cap
from exports.registry import Params, Template, register
from exports.report import Block, Column, KeyValues, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = [
    Column("序号", 0.45, "center", "int"),
    Column("姓名", 0.9),
    Column("性别", 0.45, "center"),
    Column("类别", 0.75, "center"),
    Column("参评情况", 1.5),
    Column("优秀票", 0.55, "right", "int"),
    Column("合格票", 0.55, "right", "int"),
    Column("基本合格票", 0.7, "right", "int"),
    Column("不合格票", 0.6, "right", "int"),
    Column("评定等次", 0.75, "center"),
    Column("评定意见（会议）", 1.6),
    Column("反馈本人", 1.0),
    Column("备注", 1.6),
]


def meeting_label(ledger: Ledger, mid: int | None) -> str:
    if mid is None:
        return ""
    r = ledger.query_one(
        "SELECT m.date, group_concat(k.kind) AS kinds FROM meetings m LEFT JOIN meeting_kinds k "
        "ON k.meeting_id=m.id WHERE m.id=? GROUP BY m.id",
        (mid,),
    )
    if r is None:
        return ""
    kinds = [k for k in (r["kinds"] or "").split(",") if k in ("committee", "assembly", "org_life")]
    return f"{fmt_zh(dt.date.fromisoformat(r['date']))}{'、'.join(KIND_SHORT[k] for k in kinds)}"


def counts_block(a: appraisals.Appraisal | None, year: int) -> Table:
    c = appraisals.grade_counts(a)
    graded = sum(c[g] for g in GRADES)
    rows: list[list[Any]] = [[GRADE_LABELS[g], c[g]] for g in GRADES]
    rows += [
        ["预备党员（参加评议、不定等次）", c["probationary"]],
        ["在流入地党组织评议", c["elsewhere"]],
        ["不参加评议", c["absent"]],
        ["未评定", c["ungraded"]],
    ]
    return Table(
        [Column("项目", 3.0), Column("人数", 1.0, "right", "int")],
        rows,
        heading=f"{year}年民主评议党员情况（人数）",
        totals=["评定等次合计", graded],
    )


def build(ledger: Ledger, p: Params) -> Report:
    year = p.year or clock.today().year
    a = appraisals.get_appraisal(ledger, year)
    bname = branch.branch_name(ledger)
    blocks: list[Block] = []
    if a is None:
        blocks.append(Paragraph(f"{year}年还没有登记民主评议结果。"))
        note = ""
    else:
        c = appraisals.grade_counts(a)
        graded = sum(c[g] for g in GRADES)
        blocks.append(
            KeyValues(
                [
                    ("民主测评日期", fmt_zh(a.held_on)),
                    ("开展评议日期", fmt_zh(a.started_on)),
                    ("党员大会", meeting_label(ledger, a.assembly_id) or "（未链接）"),
                    ("合并召开组织生活会", meeting_label(ledger, a.org_life_id) or "否"),
                ],
                columns=2,
            )
        )
        if not p.masked:
            rows: list[list[Any]] = []
            for i, row in enumerate(appraisals.sheet(ledger, year), start=1):
                r = row.result
                m = members.get(ledger, row.member_id)
                note_parts = [x for x in (r.reason, r.follow_up) if x]
                rows.append(
                    [
                        i,
                        row.name,
                        members.GENDER_LABELS.get(m.gender or "", ""),
                        row.category_label,
                        r.participation_label,
                        r.votes_excellent,
                        r.votes_qualified,
                        r.votes_basic,
                        r.votes_unqualified,
                        r.grade_label,
                        meeting_label(ledger, r.decision_id) if r.grade else "",
                        fmt_zh(r.feedback_on),
                        "；".join(note_parts),
                    ]
                )
            blocks.append(Table(COLUMNS, rows, heading="逐人评议情况", font_size=8))
        blocks.append(counts_block(a, year))
        note = (
            f"评定等次{graded}人，其中优秀{c['excellent']}人（一般不超过三分之一，即最多{excellent_cap(graded)}人）。"
            "评定意见由支委会（不设支委会的由党员大会）作出；预备党员参加评议，不评定等次。"
        )
        if p.masked:
            note += "本表为脱敏版，只列人数。"
    blocks.append(Signatures(["填表人", "支部书记"]))
    return Report(
        title=f"{year}年度民主评议党员情况登记表",
        subtitle=bname,
        orientation="landscape",
        blocks=blocks,
        footer_note=note,
        sheet_name="民主评议",
    )


register(
    Template(
        key="appraisal",
        title="民主评议党员情况登记表",
        build=build,
        needs=("year",),
        accepts=("year",),
        period_note="民主评议党员按年度进行",
        description="本年度民主评议：每名党员的参评情况、测评票数、评定等次及评定意见所依据的会议，各等次人数",
        sensitive=("逐人等次（脱敏版只列各等次人数）",),
    )
)
