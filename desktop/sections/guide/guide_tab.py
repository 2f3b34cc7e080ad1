"""主题党日指导清单 tab: the year's list from the upper committee month by month, each item's state (已开展 with
the date, 已安排, 已调整 / 未开展 with the reason, 未开展 = K01), and the actions on an item: 按清单安排 (one planned
主题党日 with the theme and points), 记录会议 (the meeting editor opens filled in; saving links it), 关联已开展的
会议, 调整/未开展 with the reason. Rules: db.guide_lists."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import clock, guide_lists
from db.dates import fmt_zh
from db.errors import LedgerError
from db.guide_lists import GuideItem
from desktop.dialogs import show_error
from desktop.models import Col, RowModel
from desktop.style import ERROR_RED, OK_GREEN, TEXT_MUTED, WARN_AMBER
from desktop.widgets import DateField, EmptyState, Table, WrapLabel, primary_button

if TYPE_CHECKING:
    from db.connection import Ledger

STATE_COLORS = {
    guide_lists.DONE: OK_GREEN,
    guide_lists.CHANGED: WARN_AMBER,
    guide_lists.SKIPPED: TEXT_MUTED,
    guide_lists.MISSED: ERROR_RED,
}


def _box(title: str, parent: QWidget) -> tuple[QDialog, QVBoxLayout, QFormLayout]:
    d = QDialog(parent)
    d.setWindowTitle(title)
    lay = QVBoxLayout(d)
    form = QFormLayout()
    lay.addLayout(form)
    return d, lay, form


def _buttons(d: QDialog, lay: QVBoxLayout, ok: str) -> None:
    b = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    b.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    b.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    b.accepted.connect(d.accept)
    b.rejected.connect(d.reject)
    lay.addWidget(b)


class PlanDialog(QDialog):
    """按清单安排: the day of the month's 主题党日; the theme and points come from the item."""

    def __init__(self, year: int, item: GuideItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("按清单安排主题党日")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("清单月份", QLabel(f"{year}年{item.month}月"))
        theme = WrapLabel(item.theme)
        form.addRow("主题", theme)
        points = WrapLabel(item.points or "（清单未列要点）")
        form.addRow("内容要点", points)
        self.date = DateField(required=True)
        self.date.set_value(item.plan_date or guide_lists.default_plan_date(year, item.month, clock.today()))
        form.addRow("计划日期", self.date)
        lay.addLayout(form)
        note = WrapLabel("保存后在“三会一课 › 会议计划”中列出，到期前在工作台提醒；开会后点“记录会议”。")
        note.setObjectName("SectionHint")
        lay.addWidget(note)
        _buttons(self, lay, "安排")  # type: ignore[arg-type]

    def accept(self) -> None:
        if self.date.error():
            show_error(self, f"计划日期：{self.date.error()}")
            return
        super().accept()


class GuideTab(QWidget):
    def __init__(self, section: Any) -> None:
        super().__init__()
        self.section = section
        self.year = clock.today().year
        self.guide: guide_lists.GuideList | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "还没有本年度的主题党日指导清单 — 导入上级党委下发的清单（Excel 或 JSON）",
            "导入指导清单…",
            lambda: self.section.import_list(),
        )
        body = QWidget()
        bl = QVBoxLayout(body)
        bl.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.plan_btn = primary_button("按清单安排…")
        self.plan_btn.clicked.connect(self.plan_current)
        bar.addWidget(self.plan_btn)
        for text, fn in (
            ("记录会议…", self.hold_current),
            ("关联已开展的会议…", self.link_current),
            ("调整 / 未开展…", self.deviate_current),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            bar.addWidget(b)
        bar.addStretch(1)
        bl.addLayout(bar)
        today = clock.today
        cols: list[Col[GuideItem]] = [
            Col("月份", lambda i: i.month, align="center", width=50),
            Col("主题", lambda i: i.theme, width=150, tooltip=lambda i: i.theme),
            Col("内容要点", lambda i: i.points or "", width=170, tooltip=lambda i: i.points),
            Col("参考形式", lambda i: i.forms or "", width=90),
            Col("时间节点", lambda i: i.node or "", width=80),
            Col(
                "执行情况",
                lambda i: self.state_label(i),
                width=100,
                color=lambda i: STATE_COLORS.get(guide_lists.item_state(self.year, i, today())),
            ),
            Col("说明", lambda i: self.note(i), width=200, tooltip=lambda i: self.note(i) or None),
        ]
        self.model: RowModel[GuideItem] = RowModel(cols)
        self.table = Table(self.model)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # month by month
        self.table.activated_row.connect(lambda _i: self.plan_or_hold())
        bl.addWidget(self.table, 1)
        self.hint = WrapLabel("")
        self.hint.setObjectName("SectionHint")
        bl.addWidget(self.hint)
        self.stack.addWidget(body)
        self.stack.addWidget(self.empty)
        lay.addWidget(self.stack, 1)

    @property
    def ledger(self) -> Ledger:
        return self.section.ledger  # type: ignore[no-any-return]

    def state_label(self, it: GuideItem) -> str:
        return guide_lists.STATE_LABELS[guide_lists.item_state(self.year, it, clock.today())]

    def note(self, it: GuideItem) -> str:
        state = guide_lists.item_state(self.year, it, clock.today())
        if it.reason:
            return it.reason
        if state == guide_lists.DONE and it.meeting_date:
            return f"{fmt_zh(it.meeting_date)}主题党日"
        if it.meeting_date:
            return f"会议定于{fmt_zh(it.meeting_date)}"
        if it.plan_date:
            return f"计划于{fmt_zh(it.plan_date)}开展"
        return ""

    def load(self, year: int) -> None:
        self.year = year
        self.guide = guide_lists.get_list(self.ledger, year)
        if self.guide is None:
            self.stack.setCurrentWidget(self.empty)
            self.model.set_rows([])
            return
        self.stack.setCurrentWidget(self.stack.widget(0))
        self.model.set_rows([i for items in self.guide.months().values() for i in items])
        c = guide_lists.counts(year, self.guide.items, clock.today())
        src = self.guide.issuer or self.guide.title or self.guide.source or "上级党委"
        self.hint.setText(
            f"{src}下发，共{len(self.guide.items)}项：已开展{c[guide_lists.DONE]}，已调整{c[guide_lists.CHANGED]}，"
            f"未开展（已说明）{c[guide_lists.SKIPPED]}，未开展{c[guide_lists.MISSED]}，已安排{c[guide_lists.PLANNED]}，"
            f"待安排{c[guide_lists.OPEN]}。双击一项：未安排的按清单安排，已安排的记录会议。"
        )

    def current(self) -> GuideItem | None:
        it = self.table.current_row()
        if it is None:
            self.section.ctx.status("请先在清单中选中一项")
        return it  # type: ignore[no-any-return]

    def show_item(self, item_id: int) -> None:
        self.table.select_where(lambda i: i is not None and i.id == item_id)

    # -- actions
    def plan_or_hold(self) -> None:
        it = self.current()
        if it is None:
            return
        if it.plan_id is None and it.meeting_id is None:
            self.plan(it)
        elif it.meeting_id is None:
            self.hold(it)

    def plan_current(self) -> None:
        it = self.current()
        if it is not None:
            self.plan(it)

    def plan(self, it: GuideItem, on: dt.date | None = None) -> None:
        if on is None:
            d = PlanDialog(self.year, it, self)
            if d.exec() != QDialog.DialogCode.Accepted:
                return
            on = d.date.value()
        try:
            guide_lists.plan_item(self.ledger, it.id or 0, on)
        except LedgerError as e:
            show_error(self, e)
            return
        self.section.ctx.status(f"已按清单安排{fmt_zh(on)}主题党日：{it.theme}")

    def hold_current(self) -> None:
        it = self.current()
        if it is not None:
            self.hold(it)

    def hold(self, it: GuideItem) -> None:
        """The meeting editor, filled in from the item; saved, the meeting is linked to it."""
        if it.meeting_id is not None:
            self.section.ctx.navigate("meetings", "meeting", it.meeting_id)
            return
        m = guide_lists.meeting_for(self.ledger, it.id or 0)
        item_id = it.id or 0

        def link(mid: int) -> None:
            try:
                guide_lists.link_meeting(self.ledger, item_id, mid)
            except LedgerError as e:
                self.section.ctx.status(f"会议已保存，但未关联清单项目：{e}")

        self.section.ctx.navigate("meetings")
        meetings_section = self.section.ctx.window.sections["meetings"]
        meetings_section.start_prefilled(m, link)

    def link_current(self) -> None:
        it = self.current()
        if it is None:
            return
        d, lay, form = _box("关联已开展的主题党日", self)
        combo = QComboBox()
        combo.addItem("（不关联）", None)
        for mid, day, topic in guide_lists.theme_days_in(self.ledger, self.year, it.month):
            combo.addItem(f"{fmt_zh(day)} {topic}", mid)
        if it.meeting_id is not None and combo.findData(it.meeting_id) < 0:
            combo.addItem(f"{fmt_zh(it.meeting_date)} {it.meeting_topic or ''}", it.meeting_id)
        combo.setCurrentIndex(
            max(0, combo.findData(it.meeting_id)) if it.meeting_id else min(1, combo.count() - 1)
        )
        form.addRow(f"{it.month}月的主题党日", combo)
        _buttons(d, lay, "关联")
        if d.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            guide_lists.link_meeting(self.ledger, it.id or 0, combo.currentData())
        except LedgerError as e:
            show_error(self, e)

    def deviate_current(self) -> None:
        it = self.current()
        if it is None:
            return
        d, lay, form = _box("调整或未开展", self)
        kind = QComboBox()
        kind.addItem("调整开展（换了主题、形式或月份）", "changed")
        kind.addItem("未开展", "skipped")
        kind.addItem("（取消说明）", None)
        kind.setCurrentIndex(max(0, kind.findData(it.deviation)))
        form.addRow("情况", kind)
        reason = QPlainTextEdit(it.reason or "")
        reason.setPlaceholderText("原因（必填），如：春节假期，改为线上学习")
        reason.setFixedHeight(72)
        form.addRow("原因", reason)
        _buttons(d, lay, "保存")
        if d.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            guide_lists.set_deviation(self.ledger, it.id or 0, kind.currentData(), reason.toPlainText())
        except LedgerError as e:
            show_error(self, e)
