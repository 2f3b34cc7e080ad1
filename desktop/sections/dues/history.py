"""A member's dues at a glance: the 核定 of every year, each month's due and paid with the unpaid streak, the
payments (a wrong one can be deleted), and 党费已交到 as the 组织关系介绍信 needs it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import dues
from db.errors import LedgerError
from db.rules import dues as rules
from db.rules.dues import month_zh
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections.dues.models import _cell_state
from desktop.style import ERROR_RED, WARN_AMBER
from desktop.widgets import Table


class HistoryDialog(QDialog):
    """A member's dues at a glance: the 核定 by year, every month's due and paid, the payments."""

    def __init__(self, parent: QWidget | None, ledger: Any, member_id: int, name: str) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.member_id = member_id
        self.setWindowTitle(f"党费明细：{name}")
        self.resize(760, 600)
        lay = QVBoxLayout(self)
        self.head = QLabel()
        self.head.setWordWrap(True)
        lay.addWidget(self.head)
        tabs = QTabWidget()
        self.bases = RowModel(
            [
                Col("年度", lambda b: b.year, "center", 60),
                Col("起始", lambda b: month_zh(b.valid_from) if b.valid_from else "1月", "center", 90),
                Col("类别", lambda b: b.kind_label, "center", 90),
                Col("计算基数", lambda b: b.base, "right", 100),
                Col("比例", lambda b: rules.rate_percent(b.rate), "center", 60),
                Col("月应交", lambda b: b.amount, "right", 90),
                Col("核定日期", lambda b: b.fixed_on if not b.draft else "待确认", "center", 120),
                Col("原因/备注", lambda b: b.reason or b.approval_ref or ""),
            ]
        )
        tabs.addTab(Table(self.bases, sortable=False), "历年核定")
        self.months = RowModel(
            [
                Col("月份", lambda c: month_zh(c.month), "center", 110),
                Col("应交", lambda c: c.due if c.belongs else "—", "right", 90),
                Col("已交", lambda c: c.paid if c.paid else "", "right", 90),
                Col(
                    "状态",
                    lambda c: _cell_state(c),
                    "center",
                    150,
                    color=lambda c: (
                        ERROR_RED if c.unpaid_streak >= 3 else (WARN_AMBER if c.unpaid_streak else None)
                    ),
                ),
            ]
        )
        tabs.addTab(Table(self.months, sortable=False), "逐月情况")
        self.pays = RowModel(
            [
                Col("所属月份", lambda p: month_zh(p.month), "center", 110),
                Col("金额", lambda p: p.amount, "right", 90),
                Col("交纳日期", lambda p: p.paid_on, "center", 130),
                Col("方式", lambda p: dues.method_label(p.method), "center", 80),
                Col("收款人", lambda p: p.collector or ""),
            ]
        )
        self.pay_table = Table(self.pays, sortable=False)
        pay_box = QWidget()
        pl = QVBoxLayout(pay_box)
        pl.addWidget(self.pay_table)
        row = QHBoxLayout()
        row.addStretch(1)
        delete = QPushButton("删除所选记录（录错时）")
        delete.clicked.connect(self._delete)
        row.addWidget(delete)
        pl.addLayout(row)
        tabs.addTab(pay_box, "交纳记录")
        lay.addWidget(tabs, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        lay.addWidget(close)
        self.reload()

    def reload(self) -> None:
        h = dues.member_history(self.ledger, self.member_id)
        self.bases.set_rows(h["bases"])
        self.months.set_rows(list(reversed(h["months"])))
        self.pays.set_rows(list(reversed(h["payments"])))
        up = h["paid_up_to"]
        streak = h["streak"]
        if up:
            shown = month_zh(up)
        else:
            shown = "（从首次核定起有未交月份，见“逐月情况”）" if h["payments"] else "（无交纳记录）"
        text = f"党费已交到：<b>{shown}</b>（用于组织关系介绍信）"
        if streak:
            color = ERROR_RED if streak >= 3 else WARN_AMBER
            text += f"　　<span style='color:{color}'>已连续 {streak} 个月未交</span>"
        self.head.setText(text)

    def _delete(self) -> None:
        p = self.pay_table.current_row()
        if p is None:
            return
        if not confirm(
            self,
            "删除交纳记录",
            f"删除 {month_zh(p.month)} 的 {p.amount:,.2f} 元交纳记录？（可撤销）",
            "删除",
            danger=True,
        ):
            return
        try:
            dues.delete_payment(self.ledger, p.id)
        except (LedgerError, KeyError) as e:
            show_error(self, str(e))
        self.reload()
