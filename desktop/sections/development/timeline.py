"""The per-person timeline of the 25 steps, the table under the pipeline: its columns (number, step, status,
earliest/latest dates, rule checks, what was recorded, the documents each step needs), the status word of a step
(已超期 for an open step past its latest date) and its colour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from db import clock
from db import development as dev
from db.dates import fmt_zh
from db.rule_titles import rule_title, with_code
from desktop.models import Col
from desktop.style import ERROR_RED, OK_GREEN, TEXT_MUTED, WARN_AMBER

STATUS_COLORS = {"done": OK_GREEN, "open": "#1565C0", "waiting": TEXT_MUTED, "stopped": TEXT_MUTED}


def timeline_status(row: dev.TimelineRow, as_of: dt.date) -> str:
    """已完成 / 可办理 / 已超期 / 待前序步骤 / 已终止: an open step past its latest date says so."""
    if row.status == "open" and row.clock is not None and row.clock.overdue(as_of):
        return "已超期"
    return row.status_label


def _check_text(row: dev.TimelineRow) -> str | None:
    """The 检查 cell: the rule broken, in words (the first one, and how many more)."""
    titles = list(dict.fromkeys(rule_title(b.code) for b in row.breaches))
    if not titles:
        return None
    return titles[0] + (f" 等{len(titles)}项" if len(titles) > 1 else "")


def timeline_columns(facts: Callable[[dev.TimelineRow], str | None]) -> list[Col[dev.TimelineRow]]:
    """The timeline table's columns; `facts` gives a step's 情况 (it reads the open ledger)."""
    # what the secretary acts on first (status, the window, the rule checks), then the record, then the papers
    return [
        Col("序号", lambda r: r.step.no, align="center", width=44),
        Col("步骤", lambda r: r.step.title, width=170),
        Col(
            "状态",
            lambda r: timeline_status(r, clock.today()),
            align="center",
            width=84,
            color=lambda r: (
                ERROR_RED
                if r.status == "open" and r.clock and r.clock.overdue(clock.today())
                else STATUS_COLORS[r.status]
            ),
        ),
        Col("最早", lambda r: r.clock.earliest if r.clock and r.status != "done" else None, width=118),
        Col(
            "最迟",
            lambda r: r.clock.latest if r.clock and r.status != "done" else None,
            width=118,
            color=lambda r: ERROR_RED if r.clock and r.clock.overdue(clock.today()) else None,
        ),
        Col(
            "检查",
            _check_text,
            width=180,
            color=lambda r: ERROR_RED if any(b.severity == "error" for b in r.breaches) else WARN_AMBER,
            # the rule in words; its code only here, for reference
            tooltip=lambda r: "\n".join(f"{with_code(b.code)}：{b.message}" for b in r.breaches) or None,
        ),
        Col("日期", lambda r: "、".join(fmt_zh(e.date) for e in r.entries) or None, width=130),
        Col("办理人", lambda r: "、".join(e.actor for e in r.entries if e.actor) or None, width=110),
        Col("情况", facts, width=220),
        Col("应有材料", lambda r: r.step.documents, width=260),
    ]
