"""Findings R01 (invalid ID number) and R02 (gender or birth date disagreeing with it) on the members of the branch
as it stood on the as-of date (someone who joined later is not there yet; someone who left later still is)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.findings import Finding, provider
from db.members.history import roster_on
from db.rules import idcard

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("members")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """R01 invalid ID number, R02 gender/birth date disagreeing with it (members on the roster of the day)."""
    out: list[Finding] = []
    for m in (r.member for r in roster_on(ledger, as_of)):
        if not m.id_number:
            continue
        try:
            info = idcard.parse(m.id_number, as_of)
        except ValueError as e:
            out.append(Finding("R01", "error", "member", m.id, m.name, f"{m.name}的公民身份号码无效：{e}"))
            continue
        wrong = []
        if m.gender and m.gender != info.gender:
            wrong.append("性别")
        if m.birth_date and m.birth_date != info.birth_date:
            wrong.append("出生日期")
        if wrong:
            out.append(
                Finding(
                    "R02",
                    "error",
                    "member",
                    m.id,
                    m.name,
                    f"{m.name}的{'和'.join(wrong)}与公民身份号码不一致，请核对",
                )
            )
    return out
