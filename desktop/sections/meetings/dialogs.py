"""三会一课 small dialogs: 登记补学 for one person, and 会议计划 (planned date, kind, topic) that feeds the
reminders (M11)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import clock, meetings
from db.dates import fmt_zh
from db.errors import InputRefused
from db.rules import meetings as rules
from desktop.dialogs import show_error
from desktop.widgets import DateField, primary_button


class MakeupDialog(QDialog):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"登记补学：{name}")
        lay = QFormLayout(self)
        self.date = DateField(required=True)
        self.date.set_value(clock.today())
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：自学会议材料并向支部书记汇报心得")
        lay.addRow("补学日期", self.date)
        lay.addRow("说明", self.note)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        lay.addRow(bb)


class PlansDialog(QDialog):
    """会议计划: a date, the kinds and a topic; the reminders (M11) name the planned date."""

    def __init__(self, ledger: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.setWindowTitle("会议计划")
        self.resize(640, 420)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("计划好的会议会出现在工作台的提醒中；开过会后，计划可以删除。"))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["日期", "类型", "主题"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        lay.addWidget(self.table, 1)
        form = QHBoxLayout()
        self.date = DateField(required=True)
        self.kind = QComboBox()
        for k in rules.KINDS:
            self.kind.addItem(rules.KIND_LABELS[k], k)
        self.topic = QLineEdit()
        self.topic.setPlaceholderText("主题")
        add = primary_button("添加计划")
        add.clicked.connect(self.add)
        form.addWidget(self.date)
        form.addWidget(self.kind)
        form.addWidget(self.topic, 1)
        form.addWidget(add)
        lay.addLayout(form)
        row = QHBoxLayout()
        rm = QPushButton("删除所选计划")
        rm.clicked.connect(self.remove)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row.addWidget(rm)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.load()

    def load(self) -> None:
        self.plans = meetings.list_plans(self.ledger)
        self.table.setRowCount(len(self.plans))
        for i, p in enumerate(self.plans):
            for j, text in enumerate((fmt_zh(p.date), p.kinds_label, p.topic or "")):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def add(self) -> None:
        try:
            meetings.save_plan(
                self.ledger,
                meetings.PlannedMeeting(
                    date=self.date.value(), kinds=[self.kind.currentData()], topic=self.topic.text()
                ),
            )
        except InputRefused as e:
            show_error(self, e)
            return
        self.topic.clear()
        self.load()

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.plans) and self.plans[row].id is not None:
            meetings.delete_plan(self.ledger, int(self.plans[row].id or 0))
            self.load()
