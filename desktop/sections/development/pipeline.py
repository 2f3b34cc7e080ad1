"""The pipeline model of 发展党员: per stage, each person with the next step, its earliest and latest
dates and whether it is overdue; the one-line deadline text shown under a name; the card that lists
one stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QVBoxLayout,
)

from db import development as dev
from db.dates import fmt_zh
from db.rules import development as rules

PIPELINE_STAGES = ("applicant", "activist", "candidate", "probationary")


def pipeline_rows(ledger: Any, as_of: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Per stage: each person with the next step, its dates and whether it is overdue."""
    pending = {d["applicant_id"]: d for d in dev.pending_steps(ledger, as_of)}
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in rules.STAGES}
    for a in dev.list_applicants(ledger):
        d = pending.get(a.id, {})
        out.setdefault(a.stage, []).append(
            {
                "id": a.id,
                "name": a.name,
                "stage": a.stage,
                "step": d.get("next_step"),
                "earliest": d.get("earliest"),
                "due": d.get("due"),
                "overdue": bool(d.get("overdue")),
            }
        )
    for rows in out.values():
        rows.sort(key=lambda r: (not r["overdue"], r["due"] or dt.date.max, r["name"]))
    return out


def deadline_text(row: dict[str, Any], as_of: dt.date) -> str:
    if not row.get("step"):
        return "全部步骤已完成" if row["stage"] == "full" else ""
    if row.get("due"):
        if row["overdue"]:
            return f"{row['step']}：已超期（应在{fmt_zh(row['due'])}前）"
        return f"{row['step']}：{fmt_zh(row['due'])}前"
    if row.get("earliest") and row["earliest"] > as_of:
        return f"{row['step']}：{fmt_zh(row['earliest'])}起可办理"
    return f"{row['step']}：可办理（无时限）"


class _StageList(QFrame):
    def __init__(self, stage: str) -> None:
        super().__init__()
        self.setObjectName("Card")
        self.lay = lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel(rules.STAGE_LABELS[stage])
        self.title.setObjectName("CardTitle")
        lay.addWidget(self.title)
        self.list = QListWidget()
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        lay.addWidget(self.list, 1)
        self.set_compact(False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As tall as its people (so the timeline below gets the rest), at least its minimum."""
        lst = self.list
        # a row's height as laid out (wrapped at the card's width), else as hinted
        rows = sum(
            max(lst.visualItemRect(lst.item(i)).height(), lst.sizeHintForRow(i)) + 2 * lst.spacing()
            for i in range(lst.count())
        )
        m = self.lay.contentsMargins()
        height = m.top() + m.bottom() + self.title.sizeHint().height() + self.lay.spacing() + rows + 6
        return QSize(super().sizeHint().width(), max(height, self.minimumSizeHint().height()))

    def set_compact(self, compact: bool) -> None:
        """Room for two people: two lines each, or one (names only) on a short window."""
        lines = 2 if compact else 5
        fm = self.list.fontMetrics()
        self.list.setMinimumHeight(lines * (fm.lineSpacing() + 4) + 2 * self.list.spacing() + 4)
