"""Findings O04 (a member with no 谈心谈话 in a year, per category: TX01) and O05 (a 组织生活会 without talks in
the window before it: TX05); RULES-EXT.md §9."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.appraisals.findings import start_on
from db.dates import fmt_zh
from db.findings import Finding, provider
from db.rules.orglife import CATEGORY_LABELS, talk_check_level
from db.talks.coverage import coverage, org_life_talks, window_days

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("talks")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    out: list[Finding] = []
    start = start_on(ledger)
    for year in (as_of.year - 1, as_of.year):
        if start and dt.date(year, 12, 31) < start:
            continue
        level = talk_check_level(year, as_of)
        if level is not None:
            out.extend(_coverage(ledger, year, as_of, level))
        out.extend(_org_life(ledger, year, as_of, start))
    return out


def _coverage(ledger: Ledger, year: int, as_of: dt.date, level: str) -> list[Finding]:
    out = []
    for row in coverage(ledger, year, as_of):
        for cat, owed in row.missing.items():
            who = "、".join(owed[:6]) + ("等" if len(owed) > 6 else "")
            if cat == "committee_committee":
                text = f"与支委{who}之间没有谈心谈话"
            elif cat == "committee_member" and owed != ["支委"]:
                text = f"没有与支委{who}谈心谈话"
            elif cat == "committee_member":
                text = "没有与支委谈心谈话"
            else:
                text = "没有与其他党员谈心谈话"
            out.append(
                Finding(
                    "O04",
                    level,
                    "member",
                    row.member_id,
                    row.name,
                    f"{year}年{row.name}{text}（{CATEGORY_LABELS[cat]}，每年一般不少于1次）",
                    period=str(year),
                    due=dt.date(year, 12, 31),
                )
            )
    return out


def _org_life(ledger: Ledger, year: int, as_of: dt.date, start: dt.date | None) -> list[Finding]:
    days = window_days(ledger)
    out = []
    for ol in org_life_talks(ledger, year, as_of):
        if ol.covered or (start and ol.date < start):
            continue
        out.append(
            Finding(
                "O05",
                "warning",
                "meeting",
                ol.meeting_id,
                f"{fmt_zh(ol.date)}组织生活会",
                f"{fmt_zh(ol.date)}的组织生活会前{days}天内没有谈心谈话记录（会前应开展谈心谈话；天数见“设置”，地方惯例）",
                period=str(year),
                due=ol.date,
            )
        )
    return out
