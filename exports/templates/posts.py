"""`posts` 党员示范岗/责任区一览表 (RULES-EXT.md §16.3, YQ09–YQ12): every 先锋岗, 示范岗, 责任区 and 突击队 held in the
year — 类型, 名称, 范围, 责任党员, 职责, 承诺, 挂牌 and 到期/摘牌 — for the wall and the 报送包. Names only: the list is
meant to be put up ("亮出党员身份"), it carries no personal data."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import branch, clock, members, posts
from exports.registry import Params, Template, register
from exports.report import Column, Paragraph, Report, Table

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = [
    Column("序号", 0.45, "center"),
    Column("类型", 0.95, "center"),
    Column("岗位/责任区", 1.6),
    Column("范围", 1.2),
    Column("责任党员", 1.2),
    Column("职责", 1.9),
    Column("承诺", 2.0),
    Column("挂牌日期", 1.05, "center", "date"),
    Column("到期/摘牌", 1.05, "center", "date"),
    Column("状态", 0.7, "center"),
]


def rows(ledger: Ledger, year: int, masked: bool = False) -> list[list[Any]]:
    """One row per post held in the year; `masked` leaves out the 摘牌原因 (it may be a personal reason)."""
    names = members.names(ledger)
    on = min(clock.today(), dt.date(year, 12, 31))
    out: list[list[Any]] = []
    for n, p in enumerate(posts.posts_of_year(ledger, year), start=1):
        state = p.state_label(on)
        if p.end_reason and p.ends_on and p.ends_on <= on and not masked:
            state += f"（{p.end_reason}）"
        out.append(
            [
                n,
                p.kind_label,
                p.name,
                p.scope or "",
                "、".join(names.get(i, "") for i in p.member_ids),
                p.duty or "",
                p.pledge or "",
                p.starts_on,
                p.ends_on,
                state,
            ]
        )
    return out


def build(ledger: Ledger, p: Params) -> Report:
    year = p.year or clock.today().year
    body = rows(ledger, year, p.masked)
    blocks: list[Any] = [
        Table(
            COLUMNS,
            body,
            font_size=8.5,
            empty_text=f"{year}年没有设立党员示范岗、责任区 — 在“园区工作”中新建",
        )
    ]
    if not body:
        blocks.append(Paragraph("可在“园区工作 › 示范岗”中登记先锋岗、示范岗、责任区和突击队。"))
    counts: dict[str, int] = {}
    for r in body:
        counts[r[1]] = counts.get(r[1], 0) + 1
    note = "；".join(f"{k}{v}个" for k, v in counts.items()) or "无"
    return Report(
        title=f"{year}年度党员示范岗、责任区一览表",
        subtitle=branch.branch_name(ledger),
        orientation="landscape",
        blocks=blocks,
        footer_note=f"本年度在岗：{note}。设岗定责、承诺践诺（《中国共产党党员教育管理工作条例》第二十二条）。",
        sheet_name="示范岗",
    )


register(
    Template(
        key="posts",
        title="党员示范岗/责任区一览表",
        build=build,
        needs=("year",),
        accepts=("year",),
        period_note="示范岗一览表按年度编制",
        description="本年度党员先锋岗、示范岗、责任区、突击队：责任党员、职责、承诺、挂牌和到期日期（可上墙）",
        sensitive=("摘牌原因",),
    )
)
