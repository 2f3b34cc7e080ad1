"""The 三会一课 section: the overview page (year picker, the cadence grid, the meeting list with search as
you type and highlighted hits) stacked with the meeting editor; navigation between them, Ctrl+N/F/S, opening
a meeting from a finding, 会议计划 and the 台账 export."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import meetings
from db.dates import fmt_zh
from db.rules import meetings as rules
from desktop import fit
from desktop.dialogs import confirm
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.sections.lazy import LazyStackPage
from desktop.sections.meetings.controllers import cell_for, highlight_html, new_meeting_for
from desktop.sections.meetings.grid import STATE_COLORS, CadenceGrid
from desktop.sections.meetings.hits import HTML_ROLE, HitDelegate, hit_height
from desktop.style import TEXT_MUTED, WARN_AMBER
from desktop.widgets import EmptyState, SearchBox, SectionHeader, Table, primary_button

if TYPE_CHECKING:
    from desktop.sections.meetings.editor import MeetingEditor


class MeetingsSection(Section):
    key = "meetings"
    title = "三会一课"
    watches = frozenset(meetings.CHILD_TABLES) | {
        "members",
        "member_history",
        "party_groups",
        "committee_terms",
        "committee_members",
        "settings",
        "branch",
    }

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.header = SectionHeader("三会一课", "")
        self.new_btn = self.header.add_button(primary_button("新建会议（Ctrl+N）"))
        self.new_btn.clicked.connect(self.new_item)
        plans = self.header.add_button(QPushButton("会议计划…"))
        plans.clicked.connect(self.edit_plans)
        export = self.header.add_button(QPushButton("导出台账…"))
        export.clicked.connect(self.export_ledger)
        self.layout_.addWidget(self.header)
        self.stack = QStackedWidget()
        self.layout_.addWidget(self.stack, 1)

        # overview page
        over = QWidget()
        ol = QVBoxLayout(over)
        ol.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        self.year = QComboBox()
        self.year.currentIndexChanged.connect(lambda _i: self._show_grid())
        top.addWidget(self.year)
        for state in (rules.HELD, rules.MISSING, rules.DUE, rules.NOT_REQUIRED, rules.PAPER):
            lab = QLabel(f"  {rules.STATE_LABELS[state]}  ")
            lab.setStyleSheet(f"background: {STATE_COLORS[state]}; border: 1px solid #DDD;")
            top.addWidget(lab)
        top.addStretch(1)
        ol.addLayout(top)
        # the year grid above, the list below; on a short window the grid gives way first (it scrolls)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("meetings")
        self.split.setChildrenCollapsible(False)
        self.grid = CadenceGrid(self)
        self.split.addWidget(self.grid)
        self.list_pane = lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 4, 0, 0)
        srow = QHBoxLayout()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.run_search)
        self.search = SearchBox("搜索主题、议题、发言、决议（Ctrl+F），一个字也可以")
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        srow.addWidget(self.search, 1)
        self.search_info = QLabel()
        self.search_info.setObjectName("SectionHint")
        srow.addWidget(self.search_info)
        ll.addLayout(srow)
        self.lists = QStackedWidget()
        self.model: RowModel[meetings.MeetingRow] = RowModel(
            [
                Col("日期", lambda r: r.date, width=130),
                Col("类型", lambda r: r.kinds_label, width=170),
                Col("主题", lambda r: r.topic, width=300),
                Col("应到", lambda r: r.expected, align="center", width=50),
                Col("实到", lambda r: r.present, align="center", width=50),
                Col(
                    "状态",
                    lambda r: r.state_label,
                    width=110,
                    color=lambda r: None if r.finalized_on or r.paper else WARN_AMBER,
                ),
                Col(
                    "补学未完成",
                    lambda r: r.makeups_open or "",
                    align="center",
                    width=80,
                    color=lambda r: WARN_AMBER if r.makeups_open else None,
                ),
                Col("附件", lambda r: r.attachments or "", align="center", width=50),
            ]
        )
        self.table = Table(self.model)
        self.table.activated_row.connect(lambda r: self.open_meeting(r.id))
        self.empty = EmptyState("还没有会议记录 — 新建会议", "新建会议", self.new_item)
        self.results = QListWidget()
        self.results.setSpacing(2)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setUniformItemSizes(True)  # every hit is two lines: no hit is measured on its own
        # a hit is as wide as the list (a long snippet is cut; its tooltip has it whole)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.itemActivated.connect(self._open_result)
        self.results.itemClicked.connect(self._open_result)
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)
        self.lists.addWidget(self.results)
        # the list shows at least three meetings however short the window
        hit = hit_height(self.results) + 2 * self.results.spacing()
        self.lists.setMinimumHeight(max(self.table.rows_height(3), 3 * hit + 2 * self.results.frameWidth()))
        ll.addWidget(self.lists, 1)
        self.split.addWidget(lower)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self._split_user = False
        self.split.splitterMoved.connect(lambda *_a: setattr(self, "_split_user", True))
        ol.addWidget(self.split, 1)
        self.stack.addWidget(over)
        # the editor is built (and its module imported) when a meeting is first opened or started
        self._editor: LazyStackPage[MeetingEditor] = LazyStackPage(self.stack, self._make_editor)
        self._list_stale = False
        self.stack.currentChanged.connect(self._list_shown)

    @property
    def editor(self) -> MeetingEditor:
        return self._editor.get()

    def _make_editor(self) -> MeetingEditor:
        from desktop.sections.meetings.editor import MeetingEditor

        editor = MeetingEditor(self)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            editor,
            self.back_to_list,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        return editor

    def _editing(self) -> bool:
        """The editor is shown (never builds it)."""
        return self._editor.is_current()

    # -- data
    def refresh(self) -> None:
        if self._editing():
            # the list and the year grid are hidden behind the open record: filled when they are shown again
            self._list_stale = True
            if self.editor.meeting.id is not None and not self.editor.dirty:
                try:
                    self.editor.load(meetings.get_meeting(self.ledger, self.editor.meeting.id))
                except KeyError:  # undone or deleted
                    self.stack.setCurrentIndex(0)
            return
        self._refresh_list()

    def _list_shown(self, index: int) -> None:
        if index == 0 and self._list_stale:
            self._refresh_list()

    def _refresh_list(self) -> None:
        self._list_stale = False
        today = self.ctx.today()
        rows = meetings.list_meetings(self.ledger)
        years = sorted({r.date.year for r in rows} | {today.year}, reverse=True)
        current = self.year.currentData() or today.year
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)
        self._show_grid()
        self.model.set_rows(rows)
        if self.search.text().strip():
            self.run_search()
        else:
            self.lists.setCurrentWidget(self.table if rows else self.empty)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._size_split()

    def _size_split(self) -> None:
        """The whole year grid when the window has room for it and three meetings below; else the grid gives
        way (it scrolls). Once the secretary drags the divider (or it came back remembered) it stays hers."""
        if self._split_user or self.split.height() <= 0 or not self.grid.rowCount():
            return
        if fit.restored(self.split):
            self._split_user = True
            return
        total = sum(self.split.sizes())
        lower = self.list_pane.minimumSizeHint().height()
        grid = max(self.grid.minimumSizeHint().height(), min(self.grid.natural_height(), total - lower))
        if self.split.sizes()[0] != grid:
            self.split.setSizes([grid, max(lower, total - grid)])

    def _show_grid(self) -> None:
        year = self.year.currentData() or self.ctx.today().year
        rows = meetings.cadence_grid(self.ledger, year, self.ctx.today())
        self.grid.show_rows(rows)
        self._size_split()
        missing = sum(1 for r in rows for c in r.cells if c.state == rules.MISSING)
        due = sum(1 for r in rows for c in r.cells if c.state == rules.DUE)
        hint = f"{year}年："
        hint += f"缺开 {missing} 期（红色格）" if missing else "没有缺开的会议"
        if due:
            hint += f"；本期还要开 {due} 项（黄色格）"
        hint += "。单击格子打开或补录会议。"
        self.header.set_hint(hint)

    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.search_info.setText("")
            self.lists.setCurrentWidget(self.table if self.model.rows else self.empty)
            return
        hits = meetings.search(self.ledger, text)
        self.results.clear()
        for h in hits:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, h.meeting_id)
            item.setData(
                HTML_ROLE,
                f"<b>{fmt_zh(h.date)}</b>　{html.escape(h.kinds_label)}　{html.escape(h.topic)}"
                f'<br><span style="color:{TEXT_MUTED}">{h.field_label}：</span>'
                f"{highlight_html(h.snippet, h.spans)}",
            )
            item.setToolTip(f"{fmt_zh(h.date)}　{h.kinds_label}　{h.topic}\n{h.field_label}：{h.snippet}")
            self.results.addItem(item)
        self.search_info.setText(f"找到 {len(hits)} 处" if hits else "没有找到")
        self.lists.setCurrentWidget(self.results)

    def _open_result(self, item: QListWidgetItem) -> None:
        self.open_meeting(int(item.data(Qt.ItemDataRole.UserRole)))

    # -- navigation
    def _leave_editor_ok(self) -> bool:
        if self._editing() and self.editor.dirty:
            return confirm(
                self, "未保存的修改", "当前会议记录有未保存的修改，放弃这些修改吗？", "放弃修改", danger=True
            )
        return True

    def back_to_list(self) -> None:
        if not self._leave_editor_ok():
            return
        if self._editor.page is not None:
            self.editor.dirty = False
        self.stack.setCurrentIndex(0)  # the list is filled again if an operation changed it meanwhile

    def open_meeting(self, meeting_id: int) -> None:
        if not self._leave_editor_ok():
            return
        self.editor.after_create = None
        self.editor.load(meetings.get_meeting(self.ledger, meeting_id))
        self.stack.setCurrentWidget(self.editor)

    def start_new(self, kinds: list[str], on: dt.date, group_id: int | None = None) -> None:
        if not self._leave_editor_ok():
            return
        self.editor.after_create = None
        self.editor.load(new_meeting_for(self.ledger, kinds, on, group_id))
        self.editor.start_blank()
        self.stack.setCurrentWidget(self.editor)
        self.editor.topic.setFocus()

    def start_prefilled(self, m: meetings.Meeting, after_create: Any = None) -> bool:
        """A new record already filled in by another screen (a 指导清单 item's 主题党日: theme, points,
        attendance); `after_create(meeting_id)` runs once it is first saved (to link it back)."""
        self.ensure_fresh()
        if not self._leave_editor_ok():
            return False
        self.editor.load(m)
        self.editor.after_create = after_create
        self.editor.dirty = True  # filled in for her, not yet saved
        self.stack.setCurrentWidget(self.editor)
        self.editor.place.setFocus()
        return True

    def open_cell(self, row: meetings.CadenceRow, cell: meetings.Cell) -> None:
        if cell.meeting_ids:
            self.open_meeting(cell.meeting_ids[-1])
        else:
            self.start_new([row.kind], cell_for(cell.period, self.ctx.today()), row.group_id)

    # -- Section API
    def new_item(self) -> None:
        self.start_new([], self.ctx.today())

    def focus_search(self) -> None:
        if self._editing():
            self.back_to_list()
        self.search.setFocus()
        self.search.selectAll()

    def save(self) -> None:
        if self._editing():
            self.editor.save()

    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        self.ensure_fresh()
        if subject_type == "meeting" and subject_id is not None:
            with contextlib.suppress(KeyError):
                self.open_meeting(int(subject_id))
        elif self._editing():
            self.back_to_list()

    def edit_plans(self) -> None:
        from desktop.sections.meetings.dialogs import PlansDialog

        PlansDialog(self.ledger, self).exec()

    def export_ledger(self) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog(
            "meetings", Params(year=self.year.currentData() or self.ctx.today().year)
        )


SECTION = MeetingsSection
