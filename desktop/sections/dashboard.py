"""工作台 (home): as of today or any chosen date, everything the branch must still do — overdue, due this month,
coming in the next 30 days, the rest — grouped by area, each line opening the screen that fixes it; and this
year at a glance (meetings held vs required, dues collected vs due, applicants by stage, checklist items met) as
small charts drawn with QPainter. The findings are exactly those of `ledger check` (db.findings.check)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import branch, clock, findings
from db.dates import fmt_zh, month_end
from db.findings import Finding
from db.glance import parts as glance_parts
from desktop import fit
from desktop.sections import Section, dashboard_fill
from desktop.sections.glance import BarChart, Chart
from desktop.sections.setup_steps import SetupPanel, open_step
from desktop.style import SEVERITY_COLORS
from desktop.widgets import Card, DateField, EmptyState, SectionHeader, WrapDelegate

if TYPE_CHECKING:
    from db import opening

BUCKETS = (
    ("overdue", "已逾期 / 须纠正"),
    ("month", "本月到期"),
    ("soon", "未来30天内"),
    ("later", "其他提醒"),
)
AREA_ORDER = list(findings.AREAS.values())
FINDING_ROLE = Qt.ItemDataRole.UserRole + 10
# Below this width the year at a glance moves under the findings (a 1366×768 laptop at 150%).
WIDE_DASHBOARD = 900
# The start-up fill begins after the first paint (or after this long, if the window is not painted).
FILL_AFTER_MS = 300
GLANCE_MIN = 300
GLANCE_WIDTH = 340
GLANCE_MAX = 460


# ------------------------------------------------------------------------------------------ controller


def bucket_of(f: Finding, as_of: dt.date) -> str:
    """Where a finding goes on the home screen: past its due date (or an error with none) is overdue; then due
    by the end of this month; then within 30 days; everything else is listed under 其他提醒."""
    if f.due is None:
        return "overdue" if f.severity == "error" else "later"
    if f.due < as_of:
        return "overdue"
    if f.due <= month_end(as_of):
        return "month"
    if f.due <= as_of + dt.timedelta(days=30):
        return "soon"
    return "later"


def grouped(found: list[Finding], as_of: dt.date) -> dict[str, dict[str, list[Finding]]]:
    """{bucket: {area: [findings, most severe and earliest due first]}}, buckets and areas in display order."""
    out: dict[str, dict[str, list[Finding]]] = {k: {} for k, _ in BUCKETS}
    for f in found:
        out[bucket_of(f, as_of)].setdefault(f.area, []).append(f)
    for areas in out.values():
        for fs in areas.values():
            fs.sort(key=lambda f: (findings.SEVERITY_ORDER[f.severity], f.due or dt.date.max, f.code))
    return {
        b: dict(sorted(a.items(), key=lambda kv: AREA_ORDER.index(kv[0]) if kv[0] in AREA_ORDER else 99))
        for b, a in out.items()
    }


# ------------------------------------------------------------------------------------------ widgets


class DashboardSection(Section):
    key = "dashboard"
    title = "工作台"
    # emitted when the figures, the findings and every chart are shown (at start-up they come after the window is
    # painted)
    shown = Signal()
    # emitted when a refresh is over: after `shown`, and at start-up once the fill's thread has also computed
    # what later refreshes reuse (when a second process computed the findings it showed; db/early_fill.py)
    completed = Signal()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._fill: dashboard_fill.Fill | None = None
        self._fill_on: dt.date | None = (
            None  # the start-up fill's date, until it starts after the first paint
        )
        # At start-up (the app's main window) the first refresh shows its parts one turn of the event loop at
        # a time; later refreshes reuse what findings.check kept and are shown at once.
        self.progressive = bool(getattr(ctx.window, "progressive", False))
        self.header = SectionHeader("工作台", "")
        self.export_btn = QPushButton("导出问题清单（Ctrl+P）")
        self.export_btn.clicked.connect(self.export_findings)
        self.header.add_button(self.export_btn)
        self.layout_.addWidget(self.header)
        row = QHBoxLayout()
        row.addWidget(QLabel("查看日期："))
        self.as_of = DateField()
        self.as_of.setFixedWidth(170)
        self.as_of.set_value(clock.today())
        self.as_of.changed.connect(self._date_changed)
        row.addWidget(self.as_of)
        today_btn = QPushButton("今天")
        today_btn.clicked.connect(lambda: self.as_of.set_value(clock.today()))
        row.addWidget(today_btn)
        self.counts = QLabel()
        self.counts.setObjectName("SectionHint")
        row.addSpacing(16)
        row.addWidget(self.counts, 1)
        self.layout_.addLayout(row)

        # Findings first: they get the width they need and wrap; the year at a glance sits beside them on a
        # wide window and moves below them on a narrow one (see _fit_width).
        self.split = split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("dashboard")
        split.setChildrenCollapsible(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 6, 6, 0)
        # a new ledger's 建账步骤 (issue #15): above the findings until the required steps are done
        self.setup = SetupPanel(self._open_step, self._skip_step)
        self.setup.hide()
        ll.addWidget(self.setup)
        ll.addStretch(0)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["事项", "期限", "代码"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setItemDelegate(WrapDelegate(self.tree))
        self.tree.itemActivated.connect(self._activated)
        self.tree.header().setStretchLastSection(False)
        from PySide6.QtWidgets import QHeaderView

        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # 期限 is a date or nothing: as wide as the widest date, not measured row by row (each new width laid the
        # wrapped rows out again as the findings came in)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.tree.setColumnWidth(1, self.tree.fontMetrics().horizontalAdvance("0000年00月00日") + 24)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        # Codes (M02, D17…) are for the docs and the command line: hidden; a right click on the header shows them.
        self.tree.setColumnHidden(2, True)
        self.tree.header().setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.show_codes = QAction("显示规则代码", self.tree.header())
        self.show_codes.setCheckable(True)
        self.show_codes.toggled.connect(lambda on: self.tree.setColumnHidden(2, not on))
        self.tree.header().addAction(self.show_codes)
        self.tree.setMinimumHeight(110)
        ll.addWidget(self.tree, 1)
        self.empty = EmptyState("截至所选日期，没有发现问题或待办事项。支部工作都已按时完成。")
        self.empty.hide()
        ll.addWidget(self.empty, 1)
        # A new branch has no members yet: "nothing to do" would be wrong; say how to start instead.
        self.start = EmptyState(
            "还没有党员。先把花名册建起来：从已有的 Excel 花名册导入（表头顺序不限，导入前会逐行检查），"
            "或在“党员花名册”中逐个新增。",
            "从 Excel 导入花名册",
            self._start_import,
        )
        self.start.hide()
        ll.addWidget(self.start, 1)
        hint = QLabel("双击或按回车打开处理该事项的页面。")
        hint.setObjectName("SectionHint")
        ll.addWidget(hint)
        split.addWidget(left)

        self.glance_body = right = QWidget()
        self.glance_layout = rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 6, 0, 0)
        # The charts have fixed heights; make the scroll area honour them instead of squeezing them together.
        rl.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.cards_grid = grid = QGridLayout()
        self.cards = {
            "total": Card("党员总数"),
            "full": Card("正式党员"),
            "probationary": Card("预备党员"),
            "groups": Card("党小组"),
        }
        rl.addLayout(grid)
        self.glance_title = QLabel()
        self.glance_title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        rl.addWidget(self.glance_title)
        self.charts_box = QGridLayout()
        rl.addLayout(self.charts_box)
        rl.addStretch(1)
        self.glance = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(right)
        scroll.setMinimumWidth(GLANCE_MIN)
        scroll.setMinimumHeight(96)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        self.layout_.addWidget(split, 1)
        self.wide: bool | None = None
        self._place_cards(wide=True)
        self.charts: list[BarChart] = []
        self.found: list[Finding] = []
        self._tree_shows: tuple[Any, ...] | None = None  # what `_fill_tree` last showed (`_show_found`)
        self.no_members = False
        self.setup_open = False
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.mark_dirty)

    # -- behaviour
    def _date_changed(self) -> None:
        if self.as_of.value() is not None:
            self.mark_dirty()

    def date(self) -> dt.date:
        return self.as_of.value() or clock.today()

    def mark_dirty(self) -> None:
        self._stop_fill()  # what a fill under way would show is out of date
        super().mark_dirty()

    def refresh(self) -> None:
        on = self.date()
        self._stop_fill()
        b = branch.get_branch(self.ledger)
        parts = [p for p in ((b.upper_org if b else None), (b.park if b else None)) if p]
        self.header.set_hint("　".join(parts) + f"　　截至{fmt_zh(on)}")
        # the 建账步骤 of a new ledger are its first screen: known before the paint (a few small reads)
        from db import opening

        self.setup_open = opening.setup_open(self.ledger)
        if self.setup_open:
            self.setup.set_steps(opening.setup_steps(self.ledger))
        self.setup.setVisible(self.setup_open)
        if self.progressive:
            # The first time, at start-up: the window is painted and takes input first; the figures, findings
            # and charts are computed in a thread after the first paint and shown as each part arrives.
            self.progressive = False
            self._fill_on = on
            self.counts.setText("正在检查…")
            for card in self.cards.values():
                card.set("…", "正在统计")
            self.installEventFilter(self)
            QTimer.singleShot(FILL_AFTER_MS, self, self._start_fill)
            return
        for kind, compute in glance_parts(self.ledger, on):
            value = compute()
            if kind != "area":
                self._show_part(kind, value, on)
        self.shown.emit()
        self.completed.emit()

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if obj is self and event.type() == QEvent.Type.Paint and self._fill_on is not None:
            QTimer.singleShot(0, self, self._start_fill)  # once this paint is on the screen
        return False

    def _start_fill(self) -> None:
        self.removeEventFilter(self)
        on, self._fill_on = self._fill_on, None
        if on is None or self._fill is not None:
            return  # started already, or refreshed since
        if not self.isVisible():
            self._dirty = True  # closed or left before the fill began: computed when shown again
            return
        try:
            self._fill = dashboard_fill.Fill(self.ledger, on, self._on_part)
        except Exception:  # noqa: BLE001 - no second connection: computed here, as any later refresh is
            self._dirty = True
            self.ensure_fresh()
            return
        self._fill.start()

    def _stop_fill(self, wait: bool = False) -> None:
        self._fill_on = None
        if self._fill is not None:
            self._fill.cancel()
            if wait:
                self._fill.thread.join()
            self._fill = None

    def stop_filling(self) -> None:
        """The window closes: the start-up fill stops and lets go of the file (a demo copy is deleted after)."""
        if self._fill is not None or self._fill_on is not None:
            self._stop_fill(wait=True)
            self._dirty = True

    def _on_part(self, part: tuple[Any, str, Any]) -> None:
        fill, kind, value = part
        if fill is not self._fill:
            return  # refreshed or marked out of date since: a later refresh shows the ledger as it is
        if kind == "failed":
            self._fill = None
            self._dirty = True  # computed here instead, where a failure is reported as any refresh's is
            if self.isVisible():
                self.ensure_fresh()
            return
        if kind == "done":
            self._fill = None
            self.ledger.adopt_memo(value)  # the next refresh reuses what the thread computed
            self.completed.emit()
            return
        self._show_part(kind, value, fill.on)

    def _show_part(self, kind: str, value: Any, on: dt.date) -> None:
        if kind == "figures":
            self._show_figures(value)
        elif kind == "found":
            self.found = value
            self._show_found(on)
            self._clear_charts()
        elif kind == "charts":
            self._add_charts(on, value)
            if self._fill is not None:  # the start-up fill's last part shown; its thread may still compute
                self.shown.emit()

    def _show_figures(self, fig: dict[str, Any]) -> None:
        s = fig["summary"]
        self.cards["total"].set(str(s["total"]), "在册党员")
        # 留党察看 (JG15) and 流动 members whose vote sits elsewhere (LD03) are 正式党员 without a vote
        voters = s.get("voters", s["full"])
        self.cards["full"].set(
            str(s["full"]), "有表决权" if voters == s["full"] else f"其中{voters}人有表决权"
        )
        self.cards["probationary"].set(str(s["probationary"]), "预备期内")
        self.cards["groups"].set(str(s["groups"]), "")
        self.no_members = fig["no_members"]

    def _show_found(self, on: dt.date) -> None:
        # The same findings as of the same day, grouped and folded the same way: the tree stays as it is (and
        # keeps the secretary's folding and place). After most operations nothing the tree shows changed —
        # recording or undoing a month's dues, 498 payments at 500 members, left the findings as they were —
        # and building its items again took 8-14 ms of that action.
        focus = (self.setup.next.area or None) if self.setup_open and self.setup.next else None
        shows = (on, focus, self.setup_open, self.no_members, list(self.found))
        if shows != self._tree_shows:
            self._fill_tree(on)
            self._tree_shows = shows
        counts = {sev: sum(1 for f in self.found if f.severity == sev) for sev in findings.SEVERITIES}
        self.counts.setText(
            f"问题 {counts['error']} 条　提醒 {counts['warning']} 条　待办 {counts['reminder']} 条"
        )

    def _fill_tree(self, on: dt.date) -> None:
        from db.rule_titles import with_code

        self.tree.clear()
        groups = grouped(self.found, on)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        # while the 建账步骤 are open, the next step's area comes first and the others are folded: no alarm wall
        focus = (self.setup.next.area or None) if self.setup_open and self.setup.next else None
        for bkey, blabel in BUCKETS:
            areas = groups[bkey]
            if focus is not None:
                areas = dict(sorted(areas.items(), key=lambda kv: kv[0] != focus))
            n = sum(len(v) for v in areas.values())
            if not n:
                continue
            top = QTreeWidgetItem([f"{blabel}（{n}条）", "", ""])
            top.setFont(0, bold)
            if bkey == "overdue":
                top.setForeground(0, QColor(SEVERITY_COLORS["error"]))
            self.tree.addTopLevelItem(top)
            for area, fs in areas.items():
                a = QTreeWidgetItem([f"{area}（{len(fs)}）", "", ""])
                top.addChild(a)
                for f in fs:
                    leaf = QTreeWidgetItem(
                        [
                            f"【{findings.SEVERITY_LABELS[f.severity]}】{f.message}",
                            fmt_zh(f.due) if f.due else "",
                            f.code,
                        ]
                    )
                    leaf.setForeground(0, QColor(SEVERITY_COLORS[f.severity]))
                    # the rule in words; the code only for reference (its column is hidden unless asked for)
                    leaf.setToolTip(0, f"{f.message}\n规则：{with_code(f.code)}")
                    leaf.setToolTip(2, with_code(f.code))
                    leaf.setData(0, FINDING_ROLE, f)
                    a.addChild(leaf)
                a.setExpanded((bkey != "later" or len(fs) <= 5) and (focus is None or area == focus))
            top.setExpanded(True)
        self.tree.setVisible(bool(self.found))
        self.empty.setVisible(not self.found and not self.no_members)
        self.start.setVisible(self.no_members and not self.setup_open)

    def _clear_charts(self) -> None:
        for c in self.charts:
            self.charts_box.removeWidget(c)
            c.hide()  # out of its layout it would lie over the cards until deleted, when the event loop turns
            c.deleteLater()
        self.charts = []
        self.glance_title.setText("")

    def _add_charts(self, on: dt.date, glance: list[Chart]) -> None:
        for chart in glance:
            self.charts.append(BarChart(chart, self._open_section))
        self.glance_title.setText(f"{on.year}年概况" if self.charts else "")
        self._place_charts()

    # -- fitting the width
    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_width()

    def _fit_width(self) -> None:
        """Wide: the year at a glance is a column beside the findings, as narrow as its cards allow. Narrow (a
        laptop at 125–150%): it moves below the findings, cards in one row and charts two by two, so that the
        findings keep the whole width."""
        wide = self.width() >= WIDE_DASHBOARD
        if wide == self.wide:
            return
        self.wide = wide
        self.split.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        self.glance.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if wide else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self._place_cards(wide)
        self._place_charts()
        # wide: the column is as wide as its cards and charts need, with room for its scroll bar
        self.glance_layout.activate()
        need = (
            self.glance_body.minimumSizeHint().width()
            + self.glance.verticalScrollBar().sizeHint().width()
            + 2
        )
        column = max(min(GLANCE_MAX, self.width() * 28 // 100), GLANCE_WIDTH, need)
        self.glance.setMinimumWidth(max(GLANCE_MIN, need) if wide else 0)
        if fit.apply_remembered(self.split):
            return
        total = self.split.width() if wide else self.split.height()
        if total > 0:
            side = column if wide else max(120, total * 2 // 5)
            self.split.setSizes([max(1, total - side), side])

    def _place_cards(self, wide: bool) -> None:
        for i, c in enumerate(self.cards.values()):
            self.cards_grid.removeWidget(c)
            if wide:
                self.cards_grid.addWidget(c, i // 2, i % 2)
            else:
                self.cards_grid.addWidget(c, 0, i)

    def _place_charts(self) -> None:
        per_row = 1 if self.wide in (None, True) else 2
        for c in self.charts:
            self.charts_box.removeWidget(c)
        for i, c in enumerate(self.charts):
            self.charts_box.addWidget(c, i // per_row, i % per_row)

    def _start_import(self) -> None:
        self.ctx.navigate("roster")
        roster = self.ctx.window.sections.get("roster") if self.ctx.window is not None else None
        if roster is not None:
            roster.import_excel()

    def _open_step(self, step: opening.SetupStep) -> None:
        open_step(self.ctx.window, step)

    def _skip_step(self, step: opening.SetupStep) -> None:
        from db import opening

        opening.skip_step(self.ledger, step.key)

    def _open_section(self, key: str) -> None:
        self.ctx.navigate(key)

    def _activated(self, item: QTreeWidgetItem, _col: int) -> None:
        f = item.data(0, FINDING_ROLE)
        if isinstance(f, Finding):
            self.open_finding(f)

    def open_finding(self, f: Finding) -> None:
        target = findings.section_for(f)
        if target:
            self.ctx.navigate(target, f.subject_type, f.subject_id, code=f.code)

    def export_findings(self) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog("findings", Params(year=self.date().year, as_of=self.date()))

    def focus_search(self) -> None:
        self.as_of.setFocus()

    def visible_findings(self) -> list[tuple[str, str, Finding]]:
        """(bucket label, area label, finding) as shown in the tree, top to bottom (for tests and accessibility)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                area = top.child(j)
                for k in range(area.childCount()):
                    out.append((top.text(0), area.text(0), area.child(k).data(0, FINDING_ROLE)))
        return out


SECTION = DashboardSection
