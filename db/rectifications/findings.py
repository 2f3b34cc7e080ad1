"""Finding O07: a 组织生活会 整改 past its due date and not closed (条例 第十七条 会后整改; issue #17)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.dates import fmt_zh
from db.findings import Finding, provider
from db.rectifications.store import list_rectifications, whose
from db.rules.orglife import rectification_overdue

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("rectifications")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    out = []
    for r in list_rectifications(ledger, until=as_of):
        if not rectification_overdue(r.due_on, r.closed_on, as_of):
            continue
        who = whose(ledger, r)
        out.append(
            Finding(
                "O07",
                "warning",
                "rectification",
                r.id,
                who,
                f"组织生活会查摆的问题“{r.problem}”（{who}）整改时限{fmt_zh(r.due_on)}已过，尚未登记整改完成",
                period=str(r.found_on.year),
                due=r.due_on,
            )
        )
    return out
