"""`findings` 工作提醒与问题清单 — everything `ledger check` reports as of a date, grouped by area, most severe
first, each with its due date (CONTRACT.md §4)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import branch, findings
from db.dates import fmt_zh
from exports.registry import Params, Template, register
from exports.report import Block, Column, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = [
    Column("序号", 0.45, "center"),
    Column("类别", 0.55, "center"),
    Column("事项", 5.0),
    Column("涉及", 1.2),
    Column("期间", 0.8, "center"),
    Column("期限", 1.1, "center", "date"),
    Column("代码", 0.55, "center"),
]
AREA_ORDER = list(findings.AREAS.values())


def build(ledger: Ledger, p: Params) -> Report:
    on = p.as_of_date()
    found = findings.check(ledger, on)
    groups: dict[str, list[findings.Finding]] = {}
    for f in found:
        groups.setdefault(f.area, []).append(f)
    blocks: list[Block] = []
    n = 0
    for area in sorted(groups, key=lambda a: AREA_ORDER.index(a) if a in AREA_ORDER else 99):
        items = sorted(
            groups[area],
            key=lambda f: (findings.SEVERITY_ORDER[f.severity], f.due or dt.date.max, f.code, f.subject_name),
        )
        rows: list[list[Any]] = []
        for f in items:
            n += 1
            rows.append(
                [
                    n,
                    findings.SEVERITY_LABELS[f.severity],
                    f.message,
                    f.subject_name,
                    f.period or "",
                    f.due,
                    f.code,
                ]
            )
        blocks.append(Table(COLUMNS, rows, heading=f"{area}（{len(items)}条）", font_size=8))
    if not found:
        blocks.append(Paragraph(f"截至{fmt_zh(on)}，没有发现问题或待办事项。"))
    blocks.append(Signatures(["支部书记"]))
    counts = {s: sum(1 for f in found if f.severity == s) for s in findings.SEVERITIES}
    overdue = sum(1 for f in found if f.due and f.due < on)
    return Report(
        title="工作提醒与问题清单",
        subtitle=f"{branch.branch_name(ledger)}　　截至{fmt_zh(on)}",
        orientation="landscape",
        blocks=blocks,
        footer_note=(
            f"共{len(found)}条：问题{counts['error']}条、提醒{counts['warning']}条、待办{counts['reminder']}条，"
            f"其中已过期限{overdue}条。“问题”须纠正，“提醒”须关注，“待办”是近期要做的事。"
        ),
        sheet_name="问题清单",
    )


register(
    Template(
        key="findings",
        title="工作提醒与问题清单",
        build=build,
        accepts=("year", "as_of"),
        period_note="问题清单列出截至某一天的全部问题和提醒，请用 --as-of 指定截至日期",
        description="截至某日的全部问题、提醒和待办（与“工作台”相同），按方面分组",
    )
)
