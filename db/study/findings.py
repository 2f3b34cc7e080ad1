"""Finding O06: 学时 below target for a past year (warning), or a member on course to miss it from 1 October
(reminder); RULES-EXT.md §10 XS01, XS03; exempted members (§13.2 JG06) are left out."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.appraisals.findings import start_on
from db.findings import Finding, provider
from db.rules.orglife import study_level
from db.study.hours import member_years

if TYPE_CHECKING:
    from db.connection import Ledger


def _num(d: object) -> str:
    s = f"{d}"
    return s[:-2] if s.endswith(".0") else s


@provider("study")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    out: list[Finding] = []
    start = start_on(ledger)
    for year in (as_of.year - 1, as_of.year):
        if start and dt.date(year, 12, 31) < start:
            continue
        if year == as_of.year and as_of < dt.date(year, 10, 1):
            continue
        for row in member_years(ledger, year, as_of):
            if row.exemption is not None:
                continue
            level = study_level(year, row.total, row.target, as_of)
            if level is None:
                continue
            who = "书记、支委" if row.on_committee else "党员"
            text = (
                f"{year}年{row.name}学时{_num(row.total)}，低于{who}目标{_num(row.target)}学时"
                if level == "warning"
                else f"{year}年{row.name}截至目前学时{_num(row.total)}，按进度年底达不到{_num(row.target)}学时"
            )
            out.append(
                Finding(
                    "O06",
                    level,
                    "member",
                    row.member_id,
                    row.name,
                    text + "（集中学习培训每年一般不少于32学时；支委目标见“设置”）",
                    period=str(year),
                    due=dt.date(year, 12, 31),
                )
            )
    return out
