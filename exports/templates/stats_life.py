"""The `stats` template's 流动党员 and 奖惩/关怀 figures as of 31 December (issue #18): counts only, no names, no
reasons. Kept apart from stats.py (which only calls `life_blocks`) so the 增减 table can grow there alongside."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from db import care, honors, members, mobility
from db.dates import add_months
from exports.report import Block, Column, Table

if TYPE_CHECKING:
    from db.connection import Ledger

COLS = [Column("项目", 3.0), Column("数量", 1.0, "right")]


def mobility_rows(ledger: Ledger, year: int) -> list[list[Any]]:
    on = dt.date(year, 12, 31)
    roster = {r.id for r in members.roster_on(ledger, on)}
    away = [o for o in mobility.away_on(ledger, on) if o.member_id in roster]
    six = add_months(on, -6)
    lost = [x for x in mobility.list_lost(ledger) if x.lost_on(on) and x.member_id in roster]
    elsewhere = [m for m in mobility.list_elsewhere(ledger) if m.month.startswith(f"{year}-")]
    return [
        ["外出流动党员（12月31日仍在外）", len(away)],
        ["　其中：持流动党员活动证", sum(1 for o in away if o.card_no)],
        ["　　　　外出6个月以上", sum(1 for o in away if o.left_on <= six)],
        ["　　　　在固定地点满6个月、应转移组织关系", sum(1 for o in away if mobility.needs_transfer(o, on))],
        ["　　　　经批准不计入应到有表决权", sum(1 for o in away if o.vote_elsewhere)],
        ["失联党员", len(lost)],
        ["　其中：失联6个月以上", sum(1 for x in lost if mobility.review_due(x, on))],
        [f"{year}年在流入地交纳党费（人·月）", len(elsewhere)],
    ]


def honors_rows(ledger: Ledger, year: int) -> list[list[Any]]:
    on = dt.date(year, 12, 31)
    in_year = f"{year}-"
    awards = Counter(
        a.kind for a in honors.list_awards(ledger) if a.awarded_on.isoformat().startswith(in_year)
    )
    sanctions = Counter(
        s.kind for s in honors.list_sanctions(ledger) if s.decided_on.isoformat().startswith(in_year)
    )
    dispositions = Counter(
        d.kind for d in honors.list_dispositions(ledger) if d.starts_on.isoformat().startswith(in_year)
    )
    rows: list[list[Any]] = [[f"受表彰表扬：{label}", awards[k]] for k, label in honors.AWARD_LABELS.items()]
    rows += [[f"受纪律处分：{label}", sanctions[k]] for k, label in honors.SANCTION_LABELS.items()]
    rows.append(["12月31日处于留党察看期", len(honors.probation_ids(ledger, on))])
    rows += [[f"组织处置：{label}", dispositions[k]] for k, label in honors.DISPOSITION_LABELS.items()]
    return rows


def care_rows(ledger: Ledger, year: int) -> list[list[Any]]:
    on = dt.date(year, 12, 31)
    active = [e for e in care.list_register(ledger) if e.active_on(on)]
    visits = care.list_visits(ledger, year=year)
    money = sum((Decimal(v.amount) for v in visits if v.amount), Decimal("0"))
    return [
        *[
            [f"在册{label}", len({e.member_id for e in active if e.category == k})]
            for k, label in care.CATEGORY_LABELS.items()
            if k != "other"
        ],
        ["关怀豁免（组织活动和学习不作硬性要求）", len({e.member_id for e in active if e.exempt})],
        [f"{year}年走访慰问（人次）", len(visits)],
        ["　其中：元旦春节", sum(1 for v in visits if v.occasion == "spring")],
        ["　　　　七一", sum(1 for v in visits if v.occasion == "july1")],
        [f"{year}年慰问金合计（元）", f"{money:.2f}"],
    ]


def life_blocks(ledger: Ledger, year: int) -> list[Block]:
    """八、流动党员 and 九、表彰、处分与关怀 — the year's figures as of 31 December (counts only)."""
    return [
        Table(COLS, mobility_rows(ledger, year), heading="八、流动党员（截至12月31日）"),
        Table(
            COLS, honors_rows(ledger, year) + care_rows(ledger, year), heading=f"九、{year}年表彰、处分与关怀"
        ),
    ]
