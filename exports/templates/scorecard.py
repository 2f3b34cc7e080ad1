"""`scorecard` 星级自评表 (RULES-EXT.md §16.4, YQ13–YQ17): the year's self-assessment under the scheme in force —
each item with its points, how it is evidenced, what the ledger shows (or the secretary's check) and the score;
the total and the stars of the scheme's own thresholds. An example scheme says so on the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db import branch, clock, scorecards
from db.dates import fmt_zh
from exports.registry import Params, Template, register
from exports.report import Column, KeyValues, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = [
    Column("编号", 0.5, "center"),
    Column("指标", 1.9),
    Column("评分规则", 2.2),
    Column("分值", 0.6, "right"),
    Column("佐证方式", 1.4),
    Column("佐证情况", 2.6),
    Column("达标", 0.6, "center"),
    Column("得分", 0.6, "right"),
]


def _met(v: bool | None) -> str:
    return "未核对" if v is None else ("是" if v else "否")


def _detail(s: scorecards.ItemScore, masked: bool) -> str:
    """What the ledger shows; masked, a 工作提醒 item keeps its count and codes but not whom they name, and a manual
    check's evidence text (free text) is left out."""
    if not masked:
        return s.evidence.detail
    if s.item.evidence == "findings_clear":
        return s.evidence.detail.split("：", 1)[0]
    if s.item.evidence == "manual":
        return _met(s.evidence.met)
    return s.evidence.detail


def build(ledger: Ledger, p: Params) -> Report:
    year = p.year or clock.today().year
    bname = branch.branch_name(ledger)
    scheme = scorecards.scheme_for(ledger, year)
    if scheme is None or scheme.id is None:
        return Report(
            title=f"{year}年度星级自评表",
            subtitle=bname,
            blocks=[
                Paragraph(
                    "还没有导入评分标准 — 在“园区工作 › 星级自评”中导入上级党委的评分标准（或示例标准）。"
                )
            ],
            sheet_name="星级自评",
        )
    ys = scorecards.year_score(ledger, scheme.id, year, as_of=p.as_of)
    body: list[list[Any]] = [
        [
            s.item.key,
            s.item.title,
            s.item.standard or "",
            str(s.item.points),
            s.item.evidence_label,
            _detail(s, p.masked),
            _met(s.evidence.met),
            str(s.score),
        ]
        for s in ys.items
    ]
    stars = "" if ys.stars is None else f"{ys.stars}星"
    levels = "；".join(f"{lv.stars}星≥{lv.min_score}分" for lv in scheme.stars) or "评分标准未设星级线"
    blocks: list[Any] = []
    if scheme.example:
        note = scheme.notes or scorecards.EXAMPLE_NOTE
        blocks.append(Paragraph(note if note.startswith("示例") else f"示例，非正式标准：{note}"))
    blocks += [
        KeyValues(
            [
                ("评分标准", scheme.name),
                ("发布单位", scheme.issuer or "（未注明）"),
                ("自评得分", f"{ys.total} / {scheme.total_points}"),
                ("对应星级", stars or "（不设星级）"),
                ("星级线", levels),
                ("计算日期", fmt_zh(ys.as_of)),
            ],
            columns=2,
        ),
        Table(
            COLUMNS,
            body,
            font_size=8,
            totals=["", "合计", "", str(scheme.total_points), "", "", "", str(ys.total)],
        ),
        Signatures(["自评人", "支部书记"]),
    ]
    gaps = len(ys.gaps)
    return Report(
        title=f"{year}年度星级自评表",
        subtitle=bname,
        orientation="landscape",
        blocks=blocks,
        footer_note=f"共{len(ys.items)}项，失分或未核对{gaps}项。计算项由台账记录自动得出；"
        "评分标准、分值和星级线均为上级党委（地方）规定，以其正式文件为准。",
        sheet_name="星级自评",
    )


register(
    Template(
        key="scorecard",
        title="星级自评表",
        build=build,
        needs=("year",),
        accepts=("year",),
        period_note="星级自评按年度进行",
        description="按导入的评分标准逐项自评：分值、佐证方式、台账中的佐证情况、得分、星级（示例标准会注明）",
        sensitive=("工作提醒涉及的党员姓名", "人工核对的佐证说明"),
    )
)
