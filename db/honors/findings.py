"""Findings L05 (a 限期改正 past its term or beyond 12 months, JG11) and L06 (光荣在党50年 eligible and not
recorded, JG04: listed from 1 March of the year whose 七一 finds 50 years since 转正); RULES-EXT.md §13."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import members as members_mod
from db.dates import fmt_zh
from db.findings import Finding, provider
from db.honors.model import badge_eligible_on, badge_listed, correct_end, correct_limit, correct_overdue
from db.honors.store import list_awards, list_dispositions

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("honors")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    roster = members_mod.roster_on(ledger, as_of)
    names = {r.id: r.name for r in roster}
    out: list[Finding] = []
    for d in list_dispositions(ledger):
        name = names.get(d.member_id)
        if name is None or not correct_overdue(d, as_of):
            continue
        end = min(correct_end(d), correct_limit(d))
        out.append(
            Finding(
                "L05",
                "warning",
                "member",
                d.member_id,
                name,
                f"{name}的限期改正（{fmt_zh(d.starts_on)}起）已于{fmt_zh(end)}到期，尚未办结；"
                "请期满考察并作出结论（限期一般6个月，最长不超过1年）",
                due=end,
            )
        )
    badges = {a.member_id for a in list_awards(ledger) if a.kind == "badge_50" and a.awarded_on <= as_of}
    for r in roster:
        full_on = r.member.full_on
        if r.id in badges or full_on is None or not badge_listed(full_on, as_of):
            continue
        day = badge_eligible_on(full_on)
        when = "已满" if day <= as_of else "将满"
        out.append(
            Finding(
                "L06",
                "reminder",
                "member",
                r.id,
                r.name,
                f"{r.name}（{fmt_zh(full_on)}转正）到{fmt_zh(day)}党龄{when}50年，可颁发“光荣在党50年”纪念章，"
                "尚未登记（每年七一前后颁发；7月1日为截止日系推定）",
                period=str(day.year),
                due=day,
            )
        )
    return out
