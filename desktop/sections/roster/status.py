"""党籍变更 (转出, 去世, 出党/除名, 停止党籍, 恢复) with its date and reason, and the 变动记录 such
changes leave: a member's history of status, category and 党小组."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import appraisals, branch, clock, members
from db.dates import fmt_zh
from db.errors import InputRefused
from db.members import Member
from desktop.models import Col, RowModel
from desktop.sections.roster.form import _ErrorLabel
from desktop.widgets import DateField, EmptyState, Table

STATUS_ACTIONS = {  # what the secretary does -> the status it leads to
    "transferred_out": "转出",
    "deceased": "去世",
    "left": "出党/除名",
    "suspended": "停止党籍",
    "active": "恢复（在册）",
}
HISTORY_FIELDS = {
    "status": "党籍状态",
    "category": "人员类别",
    "group_id": "党小组",
    "in_branch_since": "转入本支部",
}


def history_rows(ledger: Any, member_id: int) -> list[dict[str, str]]:
    groups = {str(g.id): g.name for g in branch.list_groups(ledger)}

    def label(field: str, value: str | None) -> str:
        if value is None or value == "":
            return "（无）"
        if field == "status":
            return members.STATUS_LABELS.get(value, value)
        if field == "category":
            return members.CATEGORY_LABELS.get(value, value)
        if field == "group_id":
            return groups.get(value, f"已删除的党小组（{value}）")
        return value

    dated = []
    for h in members.history_of(ledger, member_id):
        dated.append(
            (
                h["changed_on"],
                {
                    "date": fmt_zh(dt.date.fromisoformat(h["changed_on"])),
                    "field": HISTORY_FIELDS.get(h["field"], h["field"]),
                    "from": label(h["field"], h["from_value"]),
                    "to": label(h["field"], h["to_value"]),
                    "reason": h["reason"] or "",
                },
            )
        )
    for year, held_on, result in appraisals.member_results(ledger, member_id):  # 民主评议 results (issue #17)
        dated.append(
            (
                held_on.isoformat(),
                {
                    "date": fmt_zh(held_on),
                    "field": "民主评议",
                    "from": "",
                    "to": result,
                    "reason": f"{year}年度",
                },
            )
        )
    return [row for _d, row in sorted(dated, key=lambda x: x[0])]


class StatusDialog(QDialog):
    """转出, 去世, 出党/除名, 停止党籍, 恢复: the date and the reason; the member stays in past records."""

    def __init__(self, ledger: Any, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.member = member
        self.setWindowTitle(f"党籍变更 — {member.name}")
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        form.addRow("现在", QLabel(member.status_label))
        self.status = QComboBox()
        for code, label in STATUS_ACTIONS.items():
            if code != member.status:
                self.status.addItem(label, code)
        form.addRow("变更为", self.status)
        self.date = DateField(required=True)
        self.date.set_value(clock.today())
        form.addRow("日期", self.date)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如 转往××党支部；介绍信编号……")
        form.addRow("原因/说明", self.reason)
        self.error = _ErrorLabel()
        form.addRow("", self.error)
        note = QLabel(
            "变更后，此前的会议、党费等记录中仍保留该党员；花名册默认只显示在册党员。"
            "转出时要开具组织关系介绍信的，请改用花名册的“转出…”（编号、存根登记簿和回执由程序记录）。"
        )
        note.setObjectName("SectionHint")
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        if self.date.error():
            self.error.show_text(f"日期：{self.date.error()}")
            return
        when = self.date.value()
        assert when is not None and self.member.id is not None
        if self.member.joined_on and when < self.member.joined_on:
            self.error.show_text("变更日期早于加入党组织日期")
            return
        try:
            members.change_status(
                self.ledger,
                self.member.id,
                self.status.currentData(),
                when,
                self.reason.text().strip() or self.status.currentText(),
            )
        except InputRefused as e:
            self.error.show_text("；".join(p.message for p in e.problems))
            return
        self.accept()


class HistoryDialog(QDialog):
    def __init__(self, ledger: Any, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"变动记录 — {member.name}")
        self.resize(640, 360)
        lay = QVBoxLayout(self)
        rows = history_rows(ledger, member.id) if member.id is not None else []
        cols: list[Col[dict[str, str]]] = [
            Col("日期", lambda r: r["date"], width=130),
            Col("变更项", lambda r: r["field"], width=90),
            Col("原来", lambda r: r["from"], width=100),
            Col("变为", lambda r: r["to"], width=100),
            Col("原因/说明", lambda r: r["reason"], width=180),
        ]
        self.model: RowModel[dict[str, str]] = RowModel(cols, rows)
        self.table = Table(self.model, sortable=False)
        if rows:
            lay.addWidget(self.table, 1)
        else:
            lay.addWidget(EmptyState("这名党员还没有党籍、类别或党小组的变动记录。"), 1)
        joined = f"加入党组织：{fmt_zh(member.joined_on) or '未填'}　　转正：{fmt_zh(member.full_on) or '—'}"
        hint = QLabel(joined)
        hint.setObjectName("SectionHint")
        lay.addWidget(hint)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
