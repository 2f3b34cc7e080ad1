"""工作台 (home): the branch at a glance and, as of today or any chosen date, everything that is missing,
overdue or wrong; each line opens the screen that fixes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton

from db import branch, findings
from db.dates import fmt_zh
from db.findings import Finding
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.style import SEVERITY_COLORS
from desktop.widgets import Card, DateField, EmptyState, SectionHeader, Table


class DashboardSection(Section):
    key = "dashboard"
    title = "工作台"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("工作台", "")
        self.layout_.addWidget(self.header)
        row = QHBoxLayout()
        row.addWidget(QLabel("查看日期："))
        self.as_of = DateField()
        self.as_of.setFixedWidth(170)
        self.as_of.set_value(dt.date.today())
        self.as_of.changed.connect(self._date_changed)
        row.addWidget(self.as_of)
        today_btn = QPushButton("今天")
        today_btn.clicked.connect(lambda: self.as_of.set_value(dt.date.today()))
        row.addWidget(today_btn)
        row.addStretch(1)
        self.layout_.addLayout(row)
        grid = QGridLayout()
        self.cards = {
            "total": Card("党员总数"),
            "full": Card("正式党员"),
            "probationary": Card("预备党员"),
            "groups": Card("党小组"),
        }
        for i, c in enumerate(self.cards.values()):
            grid.addWidget(c, 0, i)
        self.layout_.addLayout(grid)
        self.findings_title = QLabel()
        self.findings_title.setObjectName("SectionTitle")
        self.findings_title.setStyleSheet("font-size: 12pt;")
        self.layout_.addWidget(self.findings_title)
        cols = [
            Col("类别", lambda f: findings.SEVERITY_LABELS[f.severity], align="center", width=60,
                color=lambda f: SEVERITY_COLORS[f.severity]),
            Col("方面", lambda f: f.area, width=90),
            Col("事项", lambda f: f.message, width=620),
            Col("期限", lambda f: f.due, width=130),
            Col("代码", lambda f: f.code, align="center", width=60),
        ]
        self.model: RowModel[Finding] = RowModel(cols)
        self.table = Table(self.model)
        self.table.activated_row.connect(self.open_finding)
        self.layout_.addWidget(self.table, 1)
        self.empty = EmptyState("截至所选日期，没有发现问题或待办事项。")
        self.empty.hide()
        self.layout_.addWidget(self.empty, 1)
        hint = QLabel("双击一条事项，打开处理它的页面。")
        hint.setObjectName("SectionHint")
        self.layout_.addWidget(hint)

    def _date_changed(self) -> None:
        if self.as_of.value() is not None:
            self.mark_dirty()

    def date(self) -> dt.date:
        return self.as_of.value() or dt.date.today()

    def refresh(self) -> None:
        on = self.date()
        s = branch.summary(self.ledger, on)
        b = branch.get_branch(self.ledger)
        parts = [p for p in ((b.upper_org if b else None), (b.park if b else None)) if p]
        self.header.set_hint("　".join(parts) + f"　　截至{fmt_zh(on)}")
        self.cards["total"].set(str(s["total"]), "在册党员")
        self.cards["full"].set(str(s["full"]), "有表决权")
        self.cards["probationary"].set(str(s["probationary"]), "预备期内")
        self.cards["groups"].set(str(s["groups"]), "")
        found = findings.check(self.ledger, on)
        self.model.set_rows(found)
        counts = {sev: sum(1 for f in found if f.severity == sev) for sev in findings.SEVERITIES}
        self.findings_title.setText(
            f"问题 {counts['error']} 条　提醒 {counts['warning']} 条　待办 {counts['reminder']} 条"
        )
        self.table.setVisible(bool(found))
        self.empty.setVisible(not found)

    def open_finding(self, f: Finding) -> None:
        target = findings.SUBJECT_SECTIONS.get(f.subject_type)
        if target:
            self.ctx.navigate(target, f.subject_type, f.subject_id)


SECTION = DashboardSection
