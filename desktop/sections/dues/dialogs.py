"""党费 dialogs for recording money: one month's collection (everyone ticked at the standard amount, only the
exceptions to change), 补交/预交 for one member, a 年薪制 member's pay in one month, and a 上缴 to the
upper 党委."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import clock, dues
from db.errors import InputRefused, Problem
from db.rules.dues import month_zh
from desktop import fit
from desktop.sections.dues.money import parse_money
from desktop.widgets import DateField


class CollectDialog(QDialog):
    """One month's collection: everyone who owes is ticked with the standard amount; untick who did not pay,
    change an amount where someone paid differently; one click records the rest."""

    def __init__(self, parent: QWidget | None, month: str, rows: list[dues.YearRow]) -> None:
        super().__init__(parent)
        self.month = month
        self.setWindowTitle(f"登记{month_zh(month)}党费")
        self.setMinimumSize(480, 320)
        # 560x520 where the screen allows; a 1366x768 laptop at 150% has 512 logical pixels, and 登记 must show
        free_h = fit.available_geometry(self).height() - 60
        self.resize(560, max(320, min(520, free_h)))
        lay = QVBoxLayout(self)
        intro = QLabel(
            "已勾选的党员按“应交”金额记为已交。没交的请取消勾选，金额不同的请直接改金额。"
            "已登记过本月的党员不在此列。"
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        k = int(month[5:]) - 1
        self.rows = [
            r
            for r in rows
            if r.months[k].belongs
            and r.months[k].paid == 0
            and r.months[k].due > 0
            and r.months[k].opening != "paid"  # paid on paper (党费已交至)
        ]
        self.table = QTableWidget(len(self.rows), 3)
        self.table.setHorizontalHeaderLabels(["已交", "姓名", "金额（元）"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 60)
        self.table.setColumnWidth(1, 160)
        for i, r in enumerate(self.rows):
            box = QTableWidgetItem()
            box.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            )
            quarterly = bool(r.base and r.base.quarterly)
            box.setCheckState(Qt.CheckState.Unchecked if quarterly else Qt.CheckState.Checked)
            self.table.setItem(i, 0, box)
            name = QTableWidgetItem(r.name + ("（按季交纳）" if quarterly else ""))
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(i, 1, name)
            self.table.setItem(i, 2, QTableWidgetItem(f"{r.months[k].due:.2f}"))
        lay.addWidget(self.table, 1)
        self.summary = QLabel()
        lay.addWidget(self.summary)
        self.table.itemChanged.connect(lambda _i: self._update())
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("登记", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.table.setCurrentCell(-1, -1)
        self.ok.setDefault(True)
        self.ok.setFocus()
        self._update()

    def set_paid(self, member_id: int, paid: bool) -> None:
        for i, r in enumerate(self.rows):
            if r.member_id == member_id:
                self.table.item(i, 0).setCheckState(
                    Qt.CheckState.Checked if paid else Qt.CheckState.Unchecked
                )

    def set_amount(self, member_id: int, amount: str) -> None:
        for i, r in enumerate(self.rows):
            if r.member_id == member_id:
                self.table.item(i, 2).setText(amount)

    def exceptions(self) -> tuple[list[int], dict[int, Decimal]]:
        """(who did not pay, who paid another amount) — what record_month takes."""
        k = int(self.month[5:]) - 1
        unpaid: list[int] = []
        amounts: dict[int, Decimal] = {}
        for i, r in enumerate(self.rows):
            checked = self.table.item(i, 0).checkState() == Qt.CheckState.Checked
            quarterly = bool(r.base and r.base.quarterly)
            if not checked:
                if not quarterly:
                    unpaid.append(r.member_id)
                continue
            amount = parse_money(self.table.item(i, 2).text(), f"{r.name}的金额")
            if quarterly or amount != r.months[k].due:
                assert amount is not None
                amounts[r.member_id] = amount
        return unpaid, amounts

    def _update(self) -> None:
        n = sum(
            1
            for i in range(self.table.rowCount())
            if self.table.item(i, 0) and self.table.item(i, 0).checkState() == Qt.CheckState.Checked
        )
        self.summary.setText(f"共 {len(self.rows)} 人应交，勾选 {n} 人")


class PaymentDialog(QDialog):
    """补交 / 预交 / 按季交纳 for one member."""

    def __init__(self, parent: QWidget | None, name: str, year: int, collector: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"补交/预交党费：{name}")
        form = QFormLayout(self)
        self.first = QComboBox()
        self.last = QComboBox()
        for y in (year - 1, year, year + 1):
            for m in range(1, 13):
                key = f"{y:04d}-{m:02d}"
                self.first.addItem(month_zh(key), key)
                self.last.addItem(month_zh(key), key)
        today = clock.today()
        cur = self.first.findData(f"{today.year:04d}-{today.month:02d}")
        self.first.setCurrentIndex(max(0, cur if cur >= 0 else 12))
        self.last.setCurrentIndex(self.first.currentIndex())
        form.addRow("从", self.first)
        form.addRow("到", self.last)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("不填 = 每月按应交未交的金额")
        form.addRow("每月金额（元）", self.amount)
        self.paid_on = DateField(required=True)
        self.paid_on.set_value(today)
        form.addRow("交纳日期", self.paid_on)
        self.method = QComboBox()
        for code, label in dues.METHOD_LABELS.items():
            self.method.addItem(label, code)
        form.addRow("交纳方式", self.method)
        self.collector = QLineEdit(collector)
        form.addRow("收款人", self.collector)
        form.addRow(QLabel("补交、预交的月数上限见“设置”（默认各6个月），超过的会被拒绝并说明原因。"))
        buttons = QDialogButtonBox()
        ok = buttons.addButton("登记", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def months(self) -> list[str]:
        a, b = self.first.currentIndex(), self.last.currentIndex()
        if b < a:
            a, b = b, a
        return [self.first.itemData(i) for i in range(a, b + 1)]


class MonthPayDialog(QDialog):
    """年薪制: the pay actually received in one month (e.g. the month the performance part is paid)."""

    def __init__(self, parent: QWidget | None, name: str, year: int) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"年薪制当月收入：{name}")
        form = QFormLayout(self)
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(f"{year}年{m}月", f"{year:04d}-{m:02d}")
        self.month.setCurrentIndex(11)
        form.addRow("月份", self.month)
        self.pay = QLineEdit()
        self.pay.setPlaceholderText("当月实际收到的税后收入，如 120,000.00")
        form.addRow("当月收入（元）", self.pay)
        self.confirmed = QLineEdit()
        self.confirmed.setPlaceholderText("超过1000元时：书记确认的金额（不填先按1000元）")
        form.addRow("确认金额（元）", self.confirmed)
        form.addRow(
            QLabel("年薪制党员以当月实际收入为基数；兑现绩效的月份，当月全部收入为基数（党费规定第三条）。")
        )
        buttons = QDialogButtonBox()
        ok = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class RemittanceDialog(QDialog):
    def __init__(self, parent: QWidget | None, row: dues.RemitRow | None, year: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记上缴党费")
        form = QFormLayout(self)
        self.period = QLineEdit(row.period if row else f"{year}-Q1")
        self.period.setPlaceholderText("2026-Q1、2026-03 或 2026-H1")
        form.addRow("上缴期间", self.period)
        self.amount = QLineEdit(
            f"{row.collected - row.remitted:.2f}" if row and row.collected > row.remitted else ""
        )
        form.addRow("上缴金额（元）", self.amount)
        self.paid_on = DateField(required=True)
        self.paid_on.set_value(clock.today())
        form.addRow("上缴日期", self.paid_on)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("银行回单号或转账流水号")
        form.addRow("银行回单号", self.reference)
        self.notes = QLineEdit()
        form.addRow("备注", self.notes)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def remittance(self) -> dues.Remittance:
        amount = parse_money(self.amount.text(), "上缴金额")
        assert amount is not None
        if self.paid_on.error():
            raise InputRefused([Problem(f"上缴日期：{self.paid_on.error()}")])
        return dues.Remittance(
            None,
            self.period.text().strip(),
            amount,
            self.paid_on.value(),
            self.reference.text().strip() or None,
            self.notes.text().strip() or None,
        )
