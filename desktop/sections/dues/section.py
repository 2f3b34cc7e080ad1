"""The 党费 section: the year and the member search over three tabs — 收缴登记 (collect.py), 核定 (bases.py)
and 上缴 (remit.py) — with the year's totals in the header, the empty state, the exports, opening a member or
a 上缴 period from a finding, and Ctrl+N doing the current tab's main action. All numbers come from db.dues;
no rule lives here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QTabWidget

from db import clock, dues
from desktop.sections.dues.bases import BaseTab
from desktop.sections.dues.collect import CollectTab
from desktop.sections.dues.models import BaseRow, _streak_now
from desktop.sections.dues.opening import OpeningTab
from desktop.sections.dues.remit import RemitTab
from desktop.widgets import EmptyState, SearchBox, SectionHeader, YearBox

_Basis = tuple[int, str, Decimal, list[tuple[int, Any]]]


def _same_basis(a: _Basis, b: _Basis) -> bool:
    """The 核定 tab would show the same: same year and rules, the same members in order with the same 核定
    (the very objects: a base read again is another object, and a changed one always is)."""
    return (
        a[:3] == b[:3]
        and len(a[3]) == len(b[3])
        and all(x[0] == y[0] and x[1] is y[1] for x, y in zip(a[3], b[3], strict=True))
    )


class DuesSection(CollectTab, BaseTab, RemitTab, OpeningTab):
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
            "member_openings",
        }
    )

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._base_basis: _Basis | None = None  # what the 核定 tab's rows were made from
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
        self.year = YearBox(ahead=1, back=14)
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
        self._build_opening_tab()
        self.search.textChanged.connect(self._search)
        self.tabs.currentChanged.connect(lambda _i: self._fill_openings())
        QShortcut(QKeySequence("Ctrl+E"), self, activated=lambda: self.export("dues"))

    # -- data
    def refresh(self) -> None:
        year = self.current_year()
        book = dues.DuesBook.shared(
            self.ledger
        )  # kept between operations; after payments, brought up to date
        if not self.collector.text().strip():
            # the same 组织委员 collects month after month: start with the last 收款人, not an empty box
            self.collector.setText(dues.last_collector(self.ledger) or "")
        if not book.people:
            self.stack.setCurrentWidget(self.empty)
            self.header.set_hint("还没有党员。")
            return
        self.stack.setCurrentWidget(self.tabs)
        today = clock.today()
        rows = dues.year_rows(self.ledger, year, as_of=today)  # kept for the 工作台 and 园区工作 too
        self.rows = rows
        self.grid_model.set_rows(rows)
        has_base = any(r.base is not None for r in rows)
        self.grid_stack.setCurrentWidget(self.grid if has_base else self.grid_empty)
        behind = [r for r in rows if _streak_now(r) >= 3]
        now = f"{today:%Y-%m}"  # formatted once, not for each of 500 members' 12 months
        due = sum(
            (
                c.due
                for r in rows
                for c in r.months
                if (c.past or c.month <= now) and not (c.opening and not c.paid)  # 期初: on paper
            ),
            Decimal(0),
        )
        paid = sum((r.total_paid for r in rows), Decimal(0))
        self.grid_hint.setText(
            f"双击党员查看明细。连续3个月以上未交：{len(behind)} 人" if behind else "双击党员查看明细。"
        )
        # 核定 tab: what it shows reads the 核定 alone, which recording a payment leaves as they were (the same
        # objects in the year's rows brought up to date): 500 rows made and the table reset again for nothing
        cap = book.cap
        basis = (year, book.rounding, cap, [(r.member_id, r.base) for r in rows])
        if self._base_basis is None or not _same_basis(self._base_basis, basis):
            self.base_model.set_rows([BaseRow.make(r, year, book.rounding, cap) for r in rows])
        else:
            for b, r in zip(self.base_model.given, rows, strict=True):  # as given: the table may be sorted
                b.row = r  # the member's year as it is now, for whoever opens it from this tab
        self._base_basis = basis
        base_rows = self.base_model.rows
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
        # the 期初 grid (a row of widgets per member) is filled when it is shown, not after every payment
        self.openings_stale = True
        if self.tabs.currentWidget() is self.opening_page:
            self._fill_openings()
        self._search(self.search.text())

    def _search(self, text: str) -> None:
        for t in (self.grid, self.base_table):
            t.proxy.set_search(text)

    # -- actions
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
        elif idx == 2:
            self.add_remittance()


SECTION = DuesSection
