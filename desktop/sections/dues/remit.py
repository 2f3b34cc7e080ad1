"""The 上缴 tab of the 党费 section: each period's collected and remitted amounts, due date and bank reference,
recording a 上缴 and deleting a wrong one."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from db import dues
from db.errors import InputRefused, LedgerError
from desktop.dialogs import confirm, info, show_error
from desktop.models import Col, RowModel
from desktop.sections.dues.dialogs import RemittanceDialog
from desktop.sections.dues.models import _remit_color, _remit_state
from desktop.sections.dues.tabs import DuesTabs
from desktop.widgets import Table, primary_button


class RemitTab(DuesTabs):
    """The 上缴 tab: its widgets and its actions."""

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
