"""党费: the year's 核定 with the base worksheet, the monthly grid with the one-action collection, 补交/预交, a
member's dues history, and the 上缴 to the upper 党委. All numbers come from db.dues; no rule lives here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import clock, dues
from db.errors import InputRefused, LedgerError, Problem
from db.rules import dues as rules
from db.rules.dues import BASE_KINDS, DEDUCTIONS, KIND_LABELS, PAY_ITEMS, DuesRuleError, month_zh
from desktop.dialogs import confirm, info, show_error
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.style import ERROR_RED, OK_GREEN, WARN_AMBER
from desktop.widgets import DateField, EmptyState, SearchBox, SectionHeader, Table, primary_button

MONTH_TITLES = [f"{m}月" for m in range(1, 13)]


def yuan(v: Decimal | None) -> str:
    return "" if v is None else f"{v:,.2f}"


def parse_money(text: str, label: str, *, required: bool = True) -> Decimal | None:
    text = text.strip()
    if not text:
        if required:
            raise InputRefused([Problem(f"请填写{label}")])
        return None
    try:
        return rules.money(text)
    except DuesRuleError as e:
        raise InputRefused([Problem(f"{label}：{e}")]) from None


# ------------------------------------------------------------------------------------------ 核定 dialog


class BaseDialog(QDialog):
    """The base worksheet for one member and year: kind, pay items minus deductions → 税后 base, the rate and the
    monthly amount, live; above the cap the secretary confirms the amount; a mid-year change asks for the month
    and the reason."""

    def __init__(
        self,
        parent: QWidget | None,
        ledger: Any,
        member_id: int,
        name: str,
        year: int,
        current: dues.DuesBase | None,
        *,
        change: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.member_id = member_id
        self.year = year
        self.change = change
        self.setWindowTitle(f"{'年内调整' if change else '核定党费'}：{name}（{year}年）")
        self.setMinimumWidth(560)
        # The worksheet, the cap and a mid-year change together are taller than a 1366x768 laptop at 150%:
        # the fields scroll, the buttons stay in view.
        outer = QVBoxLayout(self)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)
        form = QFormLayout()
        self.kind = QComboBox()
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        form.addRow("党费类别", self.kind)
        self.use_ws = QCheckBox("按工资项目逐项计算（核算表）")
        form.addRow("", self.use_ws)
        self.base = QLineEdit()
        self.base.setPlaceholderText("税后月收入，如 8,400.00")
        form.addRow("计算基数（元/月）", self.base)
        lay.addLayout(form)

        self.ws_box = QGroupBox("基数核算：应计工资项目 − 个人缴纳的社保、公积金、年金和个人所得税")
        grid = QGridLayout(self.ws_box)
        self.items: dict[str, QLineEdit] = {}
        self.deds: dict[str, QLineEdit] = {}
        grid.addWidget(QLabel("<b>应计项目（每月）</b>"), 0, 0, 1, 2)
        grid.addWidget(QLabel("<b>扣除项目（每月）</b>"), 0, 2, 1, 2)
        for r, (code, label) in enumerate(PAY_ITEMS, start=1):
            e = QLineEdit()
            e.setPlaceholderText("0.00")
            self.items[code] = e
            grid.addWidget(QLabel(label), r, 0)
            grid.addWidget(e, r, 1)
        for r, (code, label) in enumerate(DEDUCTIONS, start=1):
            e = QLineEdit()
            e.setPlaceholderText("0.00")
            self.deds[code] = e
            grid.addWidget(QLabel(label), r, 2)
            grid.addWidget(e, r, 3)
        lay.addWidget(self.ws_box)

        form2 = QFormLayout()
        self.chosen = QLineEdit()
        self.chosen.setPlaceholderText("农民 0.20–1.00；经批准少交：批准的金额")
        form2.addRow("每月金额（元）", self.chosen)
        self.approval = QLineEdit()
        self.approval.setPlaceholderText("如 园区党委〔2026〕3号")
        form2.addRow("批准文号", self.approval)
        self.quarterly = QCheckBox("经支部同意按季度交纳")
        form2.addRow("", self.quarterly)
        self.confirmed = QLineEdit()
        self.confirm_label = QLabel("确认每月交纳（元）")
        form2.addRow(self.confirm_label, self.confirmed)
        self.valid_from = QComboBox()
        for m in range(2, 13):
            self.valid_from.addItem(f"{m}月起", f"{year:04d}-{m:02d}")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如 7月起岗位调整、工资变动")
        self.vf_label = QLabel("调整起始月")
        self.reason_label = QLabel("调整原因")
        form2.addRow(self.vf_label, self.valid_from)
        form2.addRow(self.reason_label, self.reason)
        lay.addLayout(form2)

        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setObjectName("DuesPreview")
        self.preview.setStyleSheet(
            "font-size: 11pt; padding: 6px; background: #FFFFFF; border: 1px solid #E3E3E3;"
        )
        lay.addWidget(self.preview)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("保存核定", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setProperty("primary", True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        if current is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(current.kind)))
            if current.worksheet is not None:
                self.use_ws.setChecked(True)
                for k, v in current.worksheet.items.items():
                    if k in self.items:
                        self.items[k].setText(f"{v:.2f}")
                for k, v in current.worksheet.deductions.items():
                    if k in self.deds:
                        self.deds[k].setText(f"{v:.2f}")
            if current.base is not None:
                self.base.setText(f"{current.base:.2f}")
            if current.kind in ("farmer", "reduced") and current.amount is not None:
                self.chosen.setText(f"{current.amount:.2f}")
            self.approval.setText(current.approval_ref or "")
            self.quarterly.setChecked(current.quarterly)
            if current.cap_confirmed_on and current.amount is not None:
                self.confirmed.setText(f"{current.amount:.2f}")
        for w in [
            self.base,
            self.chosen,
            self.approval,
            self.confirmed,
            *self.items.values(),
            *self.deds.values(),
        ]:
            w.textChanged.connect(self._update)
        self.kind.currentIndexChanged.connect(self._update)
        self.use_ws.toggled.connect(self._update)
        self._update()

    def entry(self) -> dues.BaseEntry:
        kind = self.kind.currentData()
        ws = None
        base = None
        if kind in BASE_KINDS:
            if self.use_ws.isChecked():
                ws = dues.Worksheet(
                    items={
                        k: v
                        for k, e in self.items.items()
                        if (v := parse_money(e.text(), "工资项目", required=False))
                    },
                    deductions={
                        k: v
                        for k, e in self.deds.items()
                        if (v := parse_money(e.text(), "扣除项目", required=False)) is not None
                    },
                )
            else:
                base = parse_money(self.base.text(), "计算基数")
        elif kind == "reduced" and self.base.text().strip():
            base = parse_money(self.base.text(), "计算基数")
        chosen = parse_money(self.chosen.text(), "每月金额") if kind in ("farmer", "reduced") else None
        confirmed = (
            parse_money(self.confirmed.text(), "确认金额", required=False)
            if self.confirmed.isVisible()
            else None
        )
        return dues.BaseEntry(
            self.member_id,
            self.year,
            kind,
            base=base,
            worksheet=ws,
            chosen=chosen,
            approval_ref=self.approval.text().strip() or None,
            quarterly=self.quarterly.isChecked(),
            confirmed_amount=confirmed,
        )

    def _update(self) -> None:
        kind = self.kind.currentData()
        base_kind = kind in BASE_KINDS
        self.use_ws.setVisible(base_kind)
        self.ws_box.setVisible(base_kind and self.use_ws.isChecked())
        self.base.setEnabled(not (base_kind and self.use_ws.isChecked()))
        self.base.setVisible(base_kind or kind == "reduced")
        self.chosen.setVisible(kind in ("farmer", "reduced"))
        self.approval.setVisible(kind in rules.APPROVAL_KINDS)
        for w, show in (
            (self.vf_label, self.change),
            (self.valid_from, self.change),
            (self.reason_label, self.change),
            (self.reason, self.change),
        ):
            w.setVisible(show)
        self._set_row_visible(self.base, base_kind or kind == "reduced")
        self._set_row_visible(self.chosen, kind in ("farmer", "reduced"))
        self._set_row_visible(self.approval, kind in rules.APPROVAL_KINDS)
        above = False
        try:
            e = self.entry()
            calc = dues.assess(self.ledger, e)
        except (InputRefused, LedgerError) as err:
            msg = err.problems[0].message if isinstance(err, InputRefused) and err.problems else str(err)
            self.preview.setText(f"<span style='color:{WARN_AMBER}'>{msg}</span>")
        else:
            if calc.rate is not None and calc.base is not None:
                text = (
                    f"税后基数 <b>{calc.base:,.2f}</b> 元 × {rules.rate_percent(calc.rate)}（全额累进）"
                    f" = 每月应交 <b>{calc.computed:,.2f}</b> 元"
                )
            else:
                text = f"{KIND_LABELS[kind]}：每月 <b>{calc.computed:,.2f}</b> 元"
            above = calc.above_cap
            if self.use_ws.isChecked() and base_kind and calc.base is not None:
                self.base.blockSignals(True)
                self.base.setText(f"{calc.base:.2f}")
                self.base.blockSignals(False)
            if above:
                text += (
                    f"<br><span style='color:{ERROR_RED}'>超过 {calc.cap:,.0f} 元（2017通知：一般不超过1000元）。"
                    f"请确认每月交纳金额：{calc.cap:,.2f} 至 {calc.computed:,.2f} 元之间；"
                    "不填写则先按上限记，并在工作台提醒确认。</span>"
                )
                if not self.confirmed.text().strip():
                    self.confirmed.setPlaceholderText(f"{calc.proposed:.2f}")
            self.preview.setText(text)
        self._set_row_visible(self.confirmed, above)
        self._fit()

    def _fit(self) -> None:
        """Grow to show every field when there is room on the screen; beyond that the fields scroll."""
        body = self.scroll.widget()
        body.adjustSize()
        want_w = max(self.width(), body.sizeHint().width() + 40)
        want_h = max(self.height(), body.sizeHint().height() + self.ok.sizeHint().height() + 48)
        screen = self.screen()
        if screen is not None:
            free = screen.availableGeometry()
            want_w = min(want_w, free.width() - 40)
            want_h = min(want_h, free.height() - 60)
        if (want_w, want_h) != (self.width(), self.height()):
            self.resize(want_w, want_h)

    def _set_row_visible(self, field: QWidget, show: bool) -> None:
        field.setVisible(show)
        for f in self.findChildren(QFormLayout):
            label = f.labelForField(field)
            if label is not None:
                label.setVisible(show)

    def _save(self) -> None:
        try:
            e = self.entry()
            if self.change:
                dues.save_base(
                    self.ledger, e, valid_from=self.valid_from.currentData(), reason=self.reason.text()
                )
            else:
                dues.save_base(self.ledger, e, reason=self.reason.text() or None)
        except (InputRefused, LedgerError) as err:
            if (
                isinstance(err, InputRefused)
                and any("须说明原因" in p.message for p in err.problems)
                and not self.change
            ):
                reason = self._ask_reason()
                if reason:
                    try:
                        dues.save_base(self.ledger, self.entry(), reason=reason)
                    except (InputRefused, LedgerError) as err2:
                        show_error(self, err2, "核定未保存")
                        return
                    self.accept()
                return
            show_error(self, err, "核定未保存")
            return
        self.accept()

    def _ask_reason(self) -> str:
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, "修改已核定的党费", "该党员本年党费已核定，修改须说明原因：")
        return text.strip() if ok else ""


# ------------------------------------------------------------------------------------------ collection dialog


class CollectDialog(QDialog):
    """One month's collection: everyone who owes is ticked with the standard amount; untick who did not pay,
    change an amount where someone paid differently; one click records the rest."""

    def __init__(self, parent: QWidget | None, month: str, rows: list[dues.YearRow]) -> None:
        super().__init__(parent)
        self.month = month
        self.setWindowTitle(f"登记{month_zh(month)}党费")
        self.setMinimumSize(480, 320)
        # 560x520 where the screen allows; a 1366x768 laptop at 150% has 512 logical pixels, and 登记 must show
        screen = self.screen()
        free_h = screen.availableGeometry().height() - 60 if screen is not None else 520
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
            r for r in rows if r.months[k].belongs and r.months[k].paid == 0 and (r.months[k].due > 0)
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


def _cell_state(c: dues.MonthCell) -> str:
    if not c.belongs:
        return "不在本支部"
    if c.due == 0:
        return "无需交纳"
    if c.paid >= c.due:
        return "已交清"
    if c.paid > 0:
        return f"少交 {c.due - c.paid:,.2f}"
    if c.unpaid_streak:
        return f"未交（连续{c.unpaid_streak}个月）"
    return "未到期"


# ------------------------------------------------------------------------------------------ the section


class DuesSection(Section):
    key = "dues"
    title = "党费"
    watches = frozenset(
        {
            "dues_bases",
            "dues_month_bases",
            "dues_payments",
            "remittances",
            "members",
            "member_history",
            "settings",
        }
    )

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("党费", "")
        self.layout_.addWidget(self.header)
        for text, key in (
            ("导出核定表", "dues-base"),
            ("导出收缴登记表", "dues"),
            ("导出公示", "dues-notice"),
        ):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, k=key: self.export(k))
            self.header.add_button(b)

        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        self.year = QComboBox()
        today = clock.today()
        for y in range(today.year + 1, today.year - 15, -1):
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(1)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.year)
        top.addSpacing(16)
        self.search = SearchBox("查找党员（Ctrl+F）")
        top.addWidget(self.search)
        top.addStretch(1)
        self.layout_.addLayout(top)

        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "还没有党员 — 先在“党员花名册”中添加党员，再来核定党费",
            "打开花名册",
            lambda: self.ctx.navigate("roster"),
        )
        self.tabs = QTabWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.empty)
        self.layout_.addWidget(self.stack, 1)

        self._build_grid_tab()
        self._build_base_tab()
        self._build_remit_tab()
        self.search.textChanged.connect(self._search)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=lambda: self.export("dues"))

    # -- tabs
    def _build_grid_tab(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("月份"))
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(f"{m}月", m)
        self.month.setCurrentIndex(clock.today().month - 1)
        bar.addWidget(self.month)
        bar.addWidget(QLabel("交纳日期"))
        self.paid_on = DateField(required=True)
        self.paid_on.set_value(clock.today())
        self.paid_on.setMaximumWidth(170)
        bar.addWidget(self.paid_on)
        bar.addWidget(QLabel("方式"))
        self.method = QComboBox()
        for code, label in dues.METHOD_LABELS.items():
            self.method.addItem(label, code)
        bar.addWidget(self.method)
        bar.addWidget(QLabel("收款人"))
        self.collector = QLineEdit()
        self.collector.setPlaceholderText("组织委员姓名")
        self.collector.setMaximumWidth(120)
        bar.addWidget(self.collector)
        self.collect_btn = primary_button("登记本月收缴…")
        self.collect_btn.setToolTip("勾选的党员按应交金额记为已交，只需处理没交或金额不同的人（Ctrl+N）")
        self.collect_btn.clicked.connect(self.collect_month)
        bar.addWidget(self.collect_btn)
        bar.addStretch(1)
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

    def _build_base_tab(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.copy_btn = QPushButton("复制上年基数（年初核定）")
        self.copy_btn.clicked.connect(self.copy_last_year)
        self.fix_btn = primary_button("确认全部核定")
        self.fix_btn.clicked.connect(self.fix_all)
        self.edit_btn = QPushButton("核定/修改…")
        self.edit_btn.clicked.connect(self.edit_selected)
        self.change_btn = QPushButton("年内调整…")
        self.change_btn.clicked.connect(lambda: self.edit_selected(change=True))
        self.cap_btn = QPushButton("确认超额金额…")
        self.cap_btn.clicked.connect(self.confirm_cap_selected)
        self.month_pay_btn = QPushButton("年薪制当月收入…")
        self.month_pay_btn.clicked.connect(self.month_pay_selected)
        for b in (
            self.copy_btn,
            self.fix_btn,
            self.edit_btn,
            self.change_btn,
            self.cap_btn,
            self.month_pay_btn,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.base_hint = QLabel()
        self.base_hint.setObjectName("SectionHint")
        self.base_hint.setWordWrap(True)
        lay.addWidget(self.base_hint)
        self.base_model: RowModel[BaseRow] = RowModel(
            [
                Col("姓名", lambda r: r.name, "center", 90),
                Col("状态", lambda r: r.state, "center", 150, color=lambda r: r.state_color),
                Col("类别", lambda r: r.base.kind_label if r.base else "", "center", 100),
                Col("计算基数", lambda r: r.base.base if r.base else None, "right", 110),
                Col("比例", lambda r: rules.rate_percent(r.base.rate) if r.base else "", "center", 70),
                Col("月应交", lambda r: r.base.amount if r.base else None, "right", 100),
                Col("核定日期", lambda r: r.base.fixed_on if r.base else None, "center", 130),
                Col("说明", lambda r: r.note),
            ]
        )
        self.base_table = Table(self.base_model)
        self.base_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.base_table.activated_row.connect(lambda _r: self.edit_selected())
        lay.addWidget(self.base_table, 1)
        self.tabs.addTab(page, "核定")

    def _build_remit_tab(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.remit_btn = primary_button("登记上缴…")
        self.remit_btn.clicked.connect(self.add_remittance)
        self.remit_del = QPushButton("删除上缴记录")
        self.remit_del.clicked.connect(self.delete_remittance)
        bar.addWidget(self.remit_btn)
        bar.addWidget(self.remit_del)
        self.remit_hint = QLabel()
        self.remit_hint.setObjectName("SectionHint")
        bar.addWidget(self.remit_hint, 1)
        lay.addLayout(bar)
        self.remit_model: RowModel[dues.RemitRow] = RowModel(
            [
                Col("上缴期间", lambda r: r.label, "center", 130),
                Col("本期收缴", lambda r: r.collected, "right", 110),
                Col("已上缴", lambda r: r.remitted, "right", 110),
                Col(
                    "差额",
                    lambda r: r.collected - r.remitted if r.collected != r.remitted else None,
                    "right",
                    90,
                ),
                Col("截止日期", lambda r: r.due_on, "center", 130),
                Col("上缴日期", lambda r: r.paid_on, "center", 130),
                Col("银行回单号", lambda r: r.reference, "left", 160),
                Col("状态", lambda r: _remit_state(r), "center", 110, color=lambda r: _remit_color(r)),
            ]
        )
        self.remit_table = Table(self.remit_model, sortable=False)
        self.remit_table.activated_row.connect(lambda _r: self.add_remittance())
        lay.addWidget(self.remit_table, 1)
        self.tabs.addTab(page, "上缴")

    # -- data
    def current_year(self) -> int:
        return int(self.year.currentData())

    def refresh(self) -> None:
        year = self.current_year()
        book = dues.DuesBook(self.ledger)
        if not self.collector.text().strip():
            # the same 组织委员 collects month after month: start with the last 收款人, not an empty box
            self.collector.setText(dues.last_collector(self.ledger) or "")
        if not book.people:
            self.stack.setCurrentWidget(self.empty)
            self.header.set_hint("还没有党员。")
            return
        self.stack.setCurrentWidget(self.tabs)
        today = clock.today()
        rows = dues.year_rows(self.ledger, year, as_of=today, book=book)
        self.rows = rows
        self.grid_model.set_rows(rows)
        has_base = any(r.base is not None for r in rows)
        self.grid_stack.setCurrentWidget(self.grid if has_base else self.grid_empty)
        behind = [r for r in rows if _streak_now(r) >= 3]
        due = sum(
            (c.due for r in rows for c in r.months if c.past or c.month <= f"{today:%Y-%m}"), Decimal(0)
        )
        paid = sum((r.total_paid for r in rows), Decimal(0))
        self.grid_hint.setText(
            f"双击党员查看明细。连续3个月以上未交：{len(behind)} 人" if behind else "双击党员查看明细。"
        )
        # 核定 tab
        base_rows = []
        cap = book.cap
        for r in rows:
            base_rows.append(BaseRow.make(r, year, book.rounding, cap))
        self.base_model.set_rows(base_rows)
        missing = sum(1 for b in base_rows if b.state in ("未核定", "沿用上年"))
        drafts = sum(1 for b in base_rows if b.state == "待确认（已复制）")
        over = sum(1 for b in base_rows if b.over_cap)
        hint = f"{year}年：{len(base_rows)} 名党员，"
        hint += f"{missing} 人未核定，" if missing else "全部已有核定，"
        hint += f"{drafts} 人待确认，" if drafts else ""
        hint += f"{over} 人超过1000元待书记确认。" if over else ""
        hint += "年初核定：先“复制上年基数”，逐人核对后“确认全部核定”；年内一般不变动，确需调整用“年内调整”并写明原因。"
        self.base_hint.setText(hint)
        self.fix_btn.setEnabled(drafts > 0)
        # 上缴 tab
        remit = dues.remittance_rows(self.ledger, year, as_of=today)
        self.remit_model.set_rows(remit)
        overdue = [r for r in remit if r.overdue]
        self.remit_hint.setText(
            ("逾期未上缴：" + "、".join(r.label for r in overdue))
            if overdue
            else ("本年还没有收缴记录" if not remit else "上缴周期和截止日见“设置”；双击一期登记上缴。")
        )
        self.header.set_hint(
            f"{year}年应交（截至本月）{due:,.2f} 元，已交 {paid:,.2f} 元。"
            + (f"{len(behind)} 人连续3个月以上未交；" if behind else "")
            + (f"{missing} 人未核定；" if missing else "")
            + (f"{len(overdue)} 期上缴逾期。" if overdue else "")
        )
        self._search(self.search.text())

    def _search(self, text: str) -> None:
        for t in (self.grid, self.base_table):
            t.proxy.set_search(text)

    # -- actions
    def _selected(self) -> dues.YearRow | None:
        if self.tabs.currentIndex() == 1:
            b = self.base_table.current_row()
            return b.row if b else None
        return self.grid.current_row()

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

    def edit_selected(self, change: bool = False) -> None:
        r = self._selected()
        if r is None:
            info(self, "核定党费", "请先在“核定”表中选中一名党员。")
            return
        if change and (r.base is None or r.base.year != self.current_year() or r.base.draft):
            info(self, "年内调整", f"{r.name}{self.current_year()}年还没有确认的核定，请先“核定/修改”。")
            return
        current = r.base
        BaseDialog(self, self.ledger, r.member_id, r.name, self.current_year(), current, change=change).exec()

    def copy_last_year(self) -> None:
        year = self.current_year()
        try:
            n = dues.copy_bases(self.ledger, year)
        except (InputRefused, LedgerError) as e:
            show_error(self, e)
            return
        info(
            self,
            "年初核定",
            f"已把 {n} 名党员上年的基数复制到{year}年，状态为“待确认”。请逐人核对（工资有变化的点"
            "“核定/修改”），然后点“确认全部核定”。"
            if n
            else f"没有可复制的：{year}年已有核定，或上年没有核定。",
        )

    def fix_all(self) -> None:
        year = self.current_year()
        if not confirm(
            self, "确认核定", f"确认{year}年全部“待确认”的党费核定？确认后年内一般不再变动。", "确认核定"
        ):
            return
        n = dues.fix_bases(self.ledger, year)
        self.ctx.status(f"已确认{year}年 {n} 名党员的党费核定")

    def confirm_cap_selected(self) -> None:
        b = self.base_table.current_row() if self.tabs.currentIndex() == 1 else None
        if b is None or not b.over_cap or b.base is None or b.base.id is None:
            info(self, "确认超额金额", "请先在“核定”表中选中一名“超过1000元待确认”的党员。")
            return
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(
            self,
            "确认超额金额",
            f"{b.name}按规定每月应交超过1000元（{b.note}）。\n2017通知：一般不超过1000元，本人自愿可多交。\n"
            "请确认每月交纳金额（元）：",
            text=f"{b.base.amount:.2f}" if b.base.amount is not None else "",
        )
        if not ok:
            return
        try:
            amount = parse_money(text, "确认金额")
            assert amount is not None
            dues.confirm_cap(self.ledger, b.base.id, amount)
        except (InputRefused, LedgerError) as e:
            show_error(self, e, "未确认")

    def month_pay_selected(self) -> None:
        r = self._selected()
        if r is None or r.base is None or r.base.kind != "annual_salary":
            info(self, "年薪制当月收入", "请先在“核定”表中选中一名“年薪制”党员。")
            return
        dlg = MonthPayDialog(self, r.name, self.current_year())
        if not dlg.exec():
            return
        try:
            pay = parse_money(dlg.pay.text(), "当月收入")
            assert pay is not None
            confirmed = parse_money(dlg.confirmed.text(), "确认金额", required=False)
            dues.set_month_pay(
                self.ledger, r.member_id, dlg.month.currentData(), pay, confirmed_amount=confirmed
            )
        except (InputRefused, LedgerError) as e:
            show_error(self, e, "未保存")

    def add_remittance(self) -> None:
        dlg = RemittanceDialog(self, self.remit_table.current_row(), self.current_year())
        if not dlg.exec():
            return
        try:
            dues.save_remittance(self.ledger, dlg.remittance())
        except (InputRefused, LedgerError) as e:
            show_error(self, e, "上缴记录未保存")

    def delete_remittance(self) -> None:
        row = self.remit_table.current_row()
        if row is None or not row.records:
            info(self, "删除上缴记录", "请先选中一条已上缴的期间。")
            return
        rec = row.records[-1]
        if confirm(
            self,
            "删除上缴记录",
            f"删除{row.label}上缴的 {rec.amount:,.2f} 元记录？（可撤销）",
            "删除",
            danger=True,
        ):
            assert rec.id is not None
            dues.delete_remittance(self.ledger, rec.id)

    def export(self, key: str) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog(key, Params(year=self.current_year()))

    # -- Section API
    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        self.ensure_fresh()
        if subject_type == "remittance":
            self.tabs.setCurrentIndex(2)
            return
        if subject_type in ("dues", "member") and subject_id is not None:
            self.tabs.setCurrentIndex(0)
            self.grid.select_where(lambda r: r is not None and r.member_id == subject_id)

    def new_item(self) -> None:
        idx = self.tabs.currentIndex()
        if idx == 0:
            self.collect_month()
        elif idx == 1:
            self.edit_selected()
        else:
            self.add_remittance()


class BaseRow:
    """A member's line on the 核定 tab."""

    def __init__(
        self,
        row: dues.YearRow,
        base: dues.DuesBase | None,
        state: str,
        color: str | None,
        note: str,
        over_cap: bool,
    ) -> None:
        self.row = row
        self.name = row.name
        self.member_id = row.member_id
        self.base = base
        self.state = state
        self.state_color = color
        self.note = note
        self.over_cap = over_cap

    @classmethod
    def make(cls, r: dues.YearRow, year: int, rounding: str, cap: Decimal) -> BaseRow:
        b = r.base
        note = ""
        over = False
        if b is None:
            return cls(r, None, "未核定", ERROR_RED, "", False)
        if b.year != year:
            return cls(r, b, "沿用上年", WARN_AMBER, f"按{b.year}年核定计，请核定{year}年", False)
        if b.needs_cap_confirmation(rounding, cap):
            calc = b.rule_amount(rounding, cap)
            over = True
            note = f"按规定应交 {calc.computed:,.2f} 元，暂按 {b.amount:,.2f} 元" if calc and b.amount else ""
            state, color = "超过1000元待确认", ERROR_RED
        elif b.draft:
            state, color = "待确认（已复制）", WARN_AMBER
        else:
            state, color = "已核定", OK_GREEN
        if b.valid_from:
            note = (note + "；" if note else "") + f"{month_zh(b.valid_from)}起调整：{b.reason or ''}"
        if b.approval_ref:
            note = (note + "；" if note else "") + f"批准：{b.approval_ref}"
        if b.quarterly:
            note = (note + "；" if note else "") + "按季交纳"
        if b.kind == "annual_salary":
            note = (note + "；" if note else "") + "年薪制：兑现月按当月收入"
        return cls(r, b, state, color, note, over)


def _grid_text(c: dues.MonthCell) -> str:
    if not c.belongs:
        return "—"
    if c.paid:
        return f"{c.paid:,.2f}"
    if c.past and c.due > 0:
        return "未交"
    return ""


def _grid_color(c: dues.MonthCell) -> str | None:
    if c.belongs and c.past and c.paid < c.due:
        return ERROR_RED if c.unpaid_streak >= 3 or c.paid == 0 else WARN_AMBER
    if c.paid and c.paid >= c.due:
        return None
    return None


def _grid_tip(c: dues.MonthCell) -> str:
    if not c.belongs:
        return f"{month_zh(c.month)}：不在本支部"
    text = f"{month_zh(c.month)}：应交 {c.due:,.2f} 元，已交 {c.paid:,.2f} 元"
    if c.unpaid_streak:
        text += f"；已连续 {c.unpaid_streak} 个月未交"
    return text


def _streak_now(r: dues.YearRow) -> int:
    past = [c for c in r.months if c.past]
    return past[-1].unpaid_streak if past else 0


def _remit_state(r: dues.RemitRow) -> str:
    if r.overdue:
        return "逾期未缴"
    if r.late:
        return "逾期上缴"
    if r.records:
        return "已上缴" if r.remitted >= r.collected else "部分上缴"
    if r.due_on >= clock.today():
        return "未到期"
    return "无需上缴" if r.collected == 0 else "未上缴"


def _remit_color(r: dues.RemitRow) -> str | None:
    if r.overdue:
        return ERROR_RED
    if r.late or (r.records and r.remitted < r.collected):
        return WARN_AMBER
    return None


SECTION = DuesSection
