"""The 核定 tab of the 党费 section: each member's base for the year and its state, 年初核定 (copy last year's
bases, review, confirm all), the worksheet for one member or a mid-year change, confirming an amount above
the cap, and a 年薪制 member's pay in one month."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from db import dues
from db.errors import InputRefused, LedgerError
from db.rules import dues as rules
from desktop.dialogs import confirm, info, show_error
from desktop.models import Col, RowModel
from desktop.sections.dues.dialogs import MonthPayDialog
from desktop.sections.dues.models import BaseRow
from desktop.sections.dues.money import parse_money
from desktop.sections.dues.tabs import DuesTabs
from desktop.sections.dues.worksheet import BaseDialog
from desktop.widgets import FlowLayout, Table, primary_button


class BaseTab(DuesTabs):
    """The 核定 tab: its widgets and its actions."""

    def _build_base_tab(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = FlowLayout()  # six buttons: a second line on a narrow window
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
