"""Findings L02 (away ≥ 6 months at a fixed place without transfer, ZZ01), L03 (a 流动党员 without contact for
more than half a year, LD01/LD09) and L04 (失联 ≥ 6 months: the 停止党籍 review, LD11 — a prompt, never an
automatic action); RULES-EXT.md §12."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import members as members_mod
from db.dates import fmt_zh
from db.findings import Finding, provider
from db.mobility.model import (
    Lost,
    contact_overdue,
    needs_transfer,
    review_due,
    review_due_on,
    transfer_due_on,
)
from db.mobility.store import list_lost, list_outings

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("mobility")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    roster = {r.id: r.name for r in members_mod.roster_on(ledger, as_of)}
    out: list[Finding] = []
    for o in list_outings(ledger):
        name = roster.get(o.member_id)
        if name is None:
            continue
        if needs_transfer(o, as_of):
            due = transfer_due_on(o)
            out.append(
                Finding(
                    "L02",
                    "warning",
                    "member",
                    o.member_id,
                    name,
                    f"{name}自{fmt_zh(o.left_on)}起在{o.destination}固定地点工作生活已满6个月，"
                    "应及时转移组织关系（不再按流动党员管理）",
                    due=due,
                )
            )
        if contact_overdue(o, as_of):
            last = o.last_contact(as_of)
            since = f"最后一次联系为{fmt_zh(last)}" if last else f"外出（{fmt_zh(o.left_on)}）后没有联系记录"
            out.append(
                Finding(
                    "L03",
                    "warning",
                    "member",
                    o.member_id,
                    name,
                    f"流动党员{name}（{o.destination}）超过半年没有联系（{since}）；流出地党支部应经常保持联系",
                )
            )
    lost = list_lost(ledger)
    recorded = {x.member_id for x in lost}
    # the 失联 month of the member record (采集表 item, RULES §7.1) counts as well where no 失联 record was kept
    for r in members_mod.roster_on(ledger, as_of):
        lost_since = r.member.lost_contact_since
        if lost_since is not None and r.id not in recorded:
            lost.append(Lost(r.id, lost_since))
    for x in lost:
        name = roster.get(x.member_id)
        if name is None or not review_due(x, as_of):
            continue
        out.append(
            Finding(
                "L04",
                "reminder",
                "member",
                x.member_id,
                name,
                f"{name}自{fmt_zh(x.since)}起失联已满6个月，请支部研究是否按规定停止其党籍（须经组织程序，系统不会自动处理）",
                due=review_due_on(x),
            )
        )
    return out
