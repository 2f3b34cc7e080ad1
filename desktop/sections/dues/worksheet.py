"""The 核定 worksheet dialog for one member and year: the 党费 kind, pay items minus deductions giving the 税后
base (or the base typed directly), the rate and the monthly amount computed live by db.dues.assess, the
amount above the cap confirmed by the secretary, and for a mid-year change the month and the reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import dues
from db.errors import InputRefused, LedgerError
from db.rules import dues as rules
from db.rules.dues import BASE_KINDS, DEDUCTIONS, KIND_LABELS, PAY_ITEMS
from desktop import fit
from desktop.dialogs import show_error
from desktop.sections.dues.money import parse_money
from desktop.style import ERROR_RED, WARN_AMBER


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
        free = fit.available_geometry(self)  # the real screen's, or the one a test simulates
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
