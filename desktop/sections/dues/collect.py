"""The 收缴登记 tab of the 党费 section: the year's grid (members × months, paid / 未交 / not in the branch),
the month, date, method and 收款人 of a collection, recording a month in one action with its exceptions,
补交/预交 and 按季交纳 for one member, and opening a member's history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import clock, dues
from db.errors import InputRefused, LedgerError, Problem
from db.rules.dues import month_zh
from desktop.dialogs import confirm, info, show_error
from desktop.models import Col, RowModel
from desktop.sections.dues.dialogs import CollectDialog, PaymentDialog
from desktop.sections.dues.history import HistoryDialog
from desktop.sections.dues.models import MONTH_TITLES, _grid_color, _grid_text, _grid_tip, _streak_now
from desktop.sections.dues.money import parse_money
from desktop.sections.dues.tabs import DuesTabs
from desktop.style import ERROR_RED
from desktop.widgets import DateField, EmptyState, FlowLayout, Table, labelled, primary_button


class CollectTab(DuesTabs):
    """The 收缴登记 tab: its widgets and its actions."""

    def _build_grid_tab(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        # label + field pairs that wrap onto a second line on a narrow window instead of widening it
        bar = FlowLayout(h_spacing=12)
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(f"{m}月", m)
        self.month.setCurrentIndex(clock.today().month - 1)
        bar.addWidget(labelled("月份", self.month))
        self.paid_on = DateField(required=True)
        self.paid_on.set_value(clock.today())
        self.paid_on.setMinimumWidth(150)
        self.paid_on.setMaximumWidth(170)
        bar.addWidget(labelled("交纳日期", self.paid_on))
        self.method = QComboBox()
        for code, label in dues.METHOD_LABELS.items():
            self.method.addItem(label, code)
        bar.addWidget(labelled("方式", self.method))
        self.collector = QLineEdit()
        self.collector.setPlaceholderText("组织委员姓名")
        self.collector.setFixedWidth(120)
        bar.addWidget(labelled("收款人", self.collector))
        self.collect_btn = primary_button("登记本月收缴…")
        self.collect_btn.setToolTip("勾选的党员按应交金额记为已交，只需处理没交或金额不同的人（Ctrl+N）")
        self.collect_btn.clicked.connect(self.collect_month)
        bar.addWidget(self.collect_btn)
        lay.addLayout(bar)
        bar2 = QHBoxLayout()
        self.pay_btn = QPushButton("补交/预交…")
        self.pay_btn.clicked.connect(self.pay_for_selected)
        self.quarter_btn = QPushButton("按季交纳…")
        self.quarter_btn.clicked.connect(self.quarter_for_selected)
        self.hist_btn = QPushButton("党费明细…")
        self.hist_btn.clicked.connect(self.history_for_selected)
        for b in (self.pay_btn, self.quarter_btn, self.hist_btn):
            bar2.addWidget(b)
        self.grid_hint = QLabel()
        self.grid_hint.setObjectName("SectionHint")
        bar2.addWidget(self.grid_hint, 1)
        lay.addLayout(bar2)
        cols: list[Col[dues.YearRow]] = [
            Col("姓名", lambda r: r.name, "center", 80),
            Col("月应交", lambda r: r.monthly_due, "right", 80),
        ]
        for k in range(12):
            cols.append(
                Col(
                    MONTH_TITLES[k],
                    lambda r, k=k: _grid_text(r.months[k]),
                    "right",
                    62,
                    color=lambda r, k=k: _grid_color(r.months[k]),
                    tooltip=lambda r, k=k: _grid_tip(r.months[k]),
                )
            )
        cols += [
            Col("全年应交", lambda r: r.total_due, "right", 90),
            Col("已交", lambda r: r.total_paid, "right", 90),
            Col(
                "连续未交",
                lambda r: _streak_now(r),
                "center",
                80,
                color=lambda r: ERROR_RED if _streak_now(r) >= 3 else None,
            ),
        ]
        self.grid_model: RowModel[dues.YearRow] = RowModel(cols)
        self.grid = Table(self.grid_model)
        self.grid.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # roster order until a header is clicked
        self.grid.activated_row.connect(lambda r: self.open_history(r.member_id, r.name))
        self.grid_stack = QStackedWidget()
        self.grid_stack.addWidget(self.grid)
        self.grid_empty = EmptyState(
            "这一年还没有党费核定 — 先在“核定”页为每名党员核定党费（可复制上年基数）",
            "去核定",
            lambda: self.tabs.setCurrentIndex(1),
        )
        self.grid_stack.addWidget(self.grid_empty)
        lay.addWidget(self.grid_stack, 1)
        self.tabs.addTab(page, "收缴登记")

    def collect_month(self) -> None:
        year = self.current_year()
        month = f"{year:04d}-{int(self.month.currentData()):02d}"
        if self.paid_on.error():
            show_error(self, f"交纳日期：{self.paid_on.error()}")
            return
        dlg = CollectDialog(self, month, self.rows)
        if not dlg.rows:
            info(self, "登记党费", f"{month_zh(month)}没有待登记的党员（都已登记，或尚未核定党费）。")
            return
        if not dlg.exec():
            return
        try:
            unpaid, amounts = dlg.exceptions()
            res = dues.record_month(
                self.ledger,
                month,
                self.paid_on.value() or clock.today(),
                method=self.method.currentData(),
                collector=self.collector.text().strip() or None,
                unpaid=unpaid,
                amounts=amounts,
            )
        except (InputRefused, LedgerError) as e:
            show_error(self, e, "党费未登记")
            return
        self.ctx.status(f"{month_zh(month)}：{res.describe()}")

    def pay_for_selected(self) -> None:
        r = self._selected()
        if r is None:
            info(self, "补交/预交", "请先在表中选中一名党员。")
            return
        dlg = PaymentDialog(self, r.name, self.current_year(), self.collector.text())
        if not dlg.exec():
            return
        try:
            amount = parse_money(dlg.amount.text(), "每月金额", required=False)
            if dlg.paid_on.error():
                raise InputRefused([Problem(f"交纳日期：{dlg.paid_on.error()}")])
            dues.record_payment(
                self.ledger,
                r.member_id,
                dlg.months(),
                dlg.paid_on.value() or clock.today(),
                amount=amount,
                method=dlg.method.currentData(),
                collector=dlg.collector.text().strip() or None,
            )
        except (InputRefused, LedgerError) as e:
            show_error(self, e, "党费未登记")

    def quarter_for_selected(self) -> None:
        r = self._selected()
        if r is None:
            info(self, "按季交纳", "请先在表中选中一名党员。")
            return
        q = (int(self.month.currentData()) - 1) // 3 + 1
        if not confirm(
            self,
            "按季交纳",
            f"登记{r.name}{self.current_year()}年第{q}季度党费（{self.paid_on.edit.text()}交纳）？",
            "登记",
        ):
            return
        try:
            dues.record_quarter(
                self.ledger,
                r.member_id,
                self.current_year(),
                q,
                self.paid_on.value() or clock.today(),
                method=self.method.currentData(),
                collector=self.collector.text().strip() or None,
            )
        except (InputRefused, LedgerError) as e:
            show_error(self, e, "党费未登记")

    def history_for_selected(self) -> None:
        r = self._selected()
        if r is None:
            info(self, "党费明细", "请先在表中选中一名党员。")
            return
        self.open_history(r.member_id, r.name)

    def open_history(self, member_id: int, name: str) -> None:
        HistoryDialog(self, self.ledger, member_id, name).exec()
        self.mark_dirty()
