"""Finding K02 (RULES-EXT.md §16.2, local practice): a milestone of a 书记项目 / 党建项目 under way that is past its
due date and not done. The due day itself is still in time; a milestone done after the as-of date is still late
on that date; a project not yet approved or already closed on the date has none."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.dates import fmt_zh
from db.findings import Finding, provider
from db.projects.store import list_projects

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("projects")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    out: list[Finding] = []
    for p in list_projects(ledger):
        for m in p.late_milestones(as_of):
            out.append(
                Finding(
                    "K02",
                    "warning",
                    "project",
                    p.id,
                    f"{p.title}：{m.title}",
                    f"{p.kind_label}“{p.title}”的节点“{m.title}”计划于{fmt_zh(m.due_on)}完成，已逾期未完成"
                    f"（{(as_of - m.due_on).days}天）",
                    period=str(m.due_on.year),
                    due=m.due_on,
                )
            )
    return out
