"""The 发展党员 section: the pipeline cards (stage by stage) above and the chosen person's timeline of all 25
steps below, with the actions on that person (登记下一步, 修改信息, 延长预备期, 终止, 导出). The dialogs, the pipeline
and timeline models live beside it in this package."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import clock
from db import development as dev
from db.dates import fmt_zh
from db.rules import development as rules
from desktop import fit
from desktop.models import RowModel
from desktop.sections import Section
from desktop.sections.development.applicant import ApplicantDialog, ExtensionDialog, StopDialog
from desktop.sections.development.pipeline import PIPELINE_STAGES, _StageList, deadline_text, pipeline_rows
from desktop.sections.development.step import StepDialog
from desktop.sections.development.timeline import timeline_columns
from desktop.style import ERROR_RED
from desktop.widgets import EmptyState, SearchBox, SectionHeader, Table, WrapLabel, primary_button

# Below this height (of the section) the pipeline cards list names only.
COMPACT_HEIGHT = 640


class DevelopmentSection(Section):
    key = "development"
    title = "发展党员"
    watches = frozenset({"applicants", "applicant_steps", "members", "member_history", "settings"})

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.current_id: int | None = None
        self.header = SectionHeader("发展党员", "")
        self.add_btn = self.header.add_button(primary_button("新增入党申请人"))
        self.add_btn.setToolTip("Ctrl+N")
        self.add_btn.clicked.connect(self.new_item)
        self.export_btn = self.header.add_button(QPushButton("导出台账"))
        self.export_btn.setToolTip("发展党员工作台账（Ctrl+P）")
        self.export_btn.clicked.connect(self.export_ledger)
        self.layout_.addWidget(self.header)

        top = QHBoxLayout()
        self.search = SearchBox("搜索姓名…（Ctrl+F）")
        self.search.textChanged.connect(lambda _t: self._fill_pipeline())
        top.addWidget(self.search)
        self.show_done = QCheckBox("显示已转正和终止的")
        self.show_done.toggled.connect(lambda _c: self._fill_pipeline())
        top.addWidget(self.show_done)
        top.addStretch(1)
        self.layout_.addLayout(top)

        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "还没有发展党员记录 — 收到入党申请书后，新增入党申请人，从第1步开始逐步登记。",
            "新增入党申请人",
            self.new_item,
        )
        self.split = main = QSplitter(Qt.Orientation.Vertical)
        main.setObjectName("development")
        main.setChildrenCollapsible(False)
        self.compact = False
        self._split_user = False
        main.splitterMoved.connect(lambda *_a: setattr(self, "_split_user", True))
        self.pipe = pipe = QWidget()
        pl = QHBoxLayout(pipe)
        pl.setContentsMargins(0, 0, 0, 0)
        self.stage_lists: dict[str, _StageList] = {}
        for st in (*PIPELINE_STAGES, "done"):
            box = _StageList(st if st != "done" else "full")
            if st == "done":
                box.title.setText("已转正 / 终止")
            self.stage_lists[st] = box
            box.list.currentItemChanged.connect(self._picked)
            pl.addWidget(box, 1)
        main.addWidget(pipe)

        self.detail = detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 6, 0, 0)
        head = QHBoxLayout()
        self.person_title = QLabel()
        self.person_title.setObjectName("SectionTitle")
        self.person_title.setStyleSheet("font-size: 13pt;")
        head.addWidget(self.person_title)
        head.addStretch(1)
        self.step_btn = primary_button("登记下一步…")
        self.step_btn.setToolTip("双击时间线中的步骤也可登记或修改")
        self.step_btn.clicked.connect(self.record_next)
        self.edit_btn = QPushButton("修改信息…")
        self.edit_btn.clicked.connect(self.edit_person)
        self.ext_btn = QPushButton("延长预备期…")
        self.ext_btn.clicked.connect(self.extend)
        self.stop_btn = QPushButton("终止…")
        self.stop_btn.clicked.connect(self.stop)
        self.file_btn = QPushButton("导出纪实表")
        self.file_btn.clicked.connect(self.export_file)
        for b in (self.step_btn, self.edit_btn, self.ext_btn, self.stop_btn, self.file_btn):
            head.addWidget(b)
        dl.addLayout(head)
        self.person_info = WrapLabel()
        self.person_info.setObjectName("SectionHint")
        dl.addWidget(self.person_info)
        self.model: RowModel[dev.TimelineRow] = RowModel(timeline_columns(self._facts))
        self.table = Table(self.model, sortable=False)
        self.table.activated_row.connect(self.open_step)
        dl.addWidget(self.table, 1)
        self.none_label = QLabel("在上方选择一个人，查看25个步骤的时间线。")
        self.none_label.setObjectName("EmptyState")
        self.none_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dl.addWidget(self.none_label)
        main.addWidget(detail)
        main.setStretchFactor(0, 0)
        main.setStretchFactor(1, 1)
        self.stack.addWidget(main)
        self.stack.addWidget(self.empty)
        self.layout_.addWidget(self.stack, 1)
        self._rows: dict[str, list[dict[str, Any]]] = {}

    def _facts(self, r: dev.TimelineRow) -> str | None:
        from exports.templates.development import facts_text

        return "；".join(t for t in (facts_text(self.ledger, e) for e in r.entries) if t) or None

    # -- loading
    def refresh(self) -> None:
        today = clock.today()
        self._rows = pipeline_rows(self.ledger, today)
        total = sum(len(v) for v in self._rows.values())
        self.stack.setCurrentIndex(0 if total else 1)
        self.export_btn.setEnabled(bool(total))
        overdue = sum(1 for v in self._rows.values() for r in v if r["overdue"])
        counts = "，".join(
            f"{rules.STAGE_LABELS[s]} {len(self._rows.get(s, []))} 人" for s in PIPELINE_STAGES
        )
        self.header.set_hint(
            counts
            + (f"。{overdue} 人的下一步已超期（红色）。" if overdue else "。")
            + "每人显示下一步和期限；双击时间线中的步骤登记或修改。"
        )
        self._fill_pipeline()
        self._show_person(self.current_id)

    def _fill_pipeline(self) -> None:
        today = clock.today()
        words = self.search.text().strip()
        for st, box in self.stage_lists.items():
            box.list.blockSignals(True)
            box.list.clear()
            rows = (
                self._rows.get(st, [])
                if st != "done"
                else self._rows.get("full", []) + self._rows.get("stopped", [])
            )
            shown = 0
            for r in rows:
                if words and words not in r["name"]:
                    continue
                shown += 1
                item = QListWidgetItem(self._card_text(st, r, today))
                item.setData(Qt.ItemDataRole.UserRole, r["id"])
                if r["overdue"]:
                    item.setForeground(QBrush(QColor(ERROR_RED)))
                item.setToolTip(deadline_text(r, today))
                box.list.addItem(item)
                if r["id"] == self.current_id:
                    box.list.setCurrentItem(item)
            title = rules.STAGE_LABELS["full"] if st == "done" else rules.STAGE_LABELS[st]
            box.title.setText(("已转正 / 终止" if st == "done" else title) + f"（{shown}）")
            box.list.blockSignals(False)
            box.setVisible(st != "done" or self.show_done.isChecked())
        self.pipe.updateGeometry()
        self._size_split()

    def _card_text(self, st: str, r: dict[str, Any], today: Any) -> str:
        if st == "done":
            return f"{r['name']}（{rules.STAGE_LABELS[r['stage']]}）"
        return r["name"] if self.compact else f"{r['name']}\n{deadline_text(r, today)}"

    def _retext(self) -> None:
        """The cards' texts for the window's height, on the items there are: the lists are not rebuilt while
        the window is being resized (clearing a list inside a resize made Qt crash, rarely)."""
        today = clock.today()
        rows = {r["id"]: r for group in self._rows.values() for r in group}
        for st, box in self.stage_lists.items():
            for i in range(box.list.count()):
                item = box.list.item(i)
                r = rows.get(item.data(Qt.ItemDataRole.UserRole))
                if r is not None:
                    item.setText(self._card_text(st, r, today))
        self.pipe.updateGeometry()
        self._size_split()

    # -- fitting the window
    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        # On a short window (a laptop at 125–150%) a card lists names only — the next step and its date are in
        # the tooltip and under the chosen person's name — so that the timeline keeps its rows.
        compact = self.height() < COMPACT_HEIGHT
        if compact != self.compact:
            self.compact = compact
            for box in self.stage_lists.values():
                box.set_compact(compact)
            if self._rows:
                QTimer.singleShot(0, self, self._retext)  # after the resize, not inside it
        self._size_split()

    def _size_split(self) -> None:
        """The cards get what their people need up to two fifths of the height, the timeline the rest; once the
        secretary drags the divider (or it came back remembered) it stays hers."""
        if self._split_user or self.split.height() <= 0:
            return
        if fit.restored(self.split):
            self._split_user = True
            return
        total = sum(self.split.sizes())
        pipe, detail = self.pipe, self.detail
        low = pipe.minimumSizeHint().height()
        top = max(
            low, min(pipe.sizeHint().height(), total * 2 // 5, total - detail.minimumSizeHint().height())
        )
        if self.split.sizes()[0] != top:
            self.split.setSizes([top, total - top])

    def _picked(self, item: QListWidgetItem | None, _prev: Any = None) -> None:
        if item is None:
            return
        sender = self.sender()
        for box in self.stage_lists.values():
            if box.list is not sender:
                box.list.blockSignals(True)
                box.list.setCurrentRow(-1)
                box.list.clearSelection()
                box.list.blockSignals(False)
        self._show_person(item.data(Qt.ItemDataRole.UserRole))

    def _show_person(self, applicant_id: int | None) -> None:
        a = None
        if applicant_id is not None:
            try:
                a = dev.get_applicant(self.ledger, applicant_id)
            except KeyError:
                a = None
        self.current_id = a.id if a else None
        for w in (self.step_btn, self.edit_btn, self.ext_btn, self.stop_btn, self.file_btn, self.table):
            w.setVisible(a is not None)
        self.person_title.setVisible(a is not None)
        self.person_info.setVisible(a is not None)
        self.none_label.setVisible(a is None)
        if a is None:
            self.model.set_rows([])
            return
        today = clock.today()
        self.person_title.setText(f"{a.name}　{a.stage_label}")
        nxt = dev.next_step(self.ledger, a)
        parts = [
            x
            for x in (
                a.gender_label,
                fmt_zh(a.birth_date) and f"{fmt_zh(a.birth_date)}出生",
                a.education,
                a.job,
                a.masked_id,
            )
            if x
        ]
        line = "　".join(parts)
        if nxt is not None:
            due = f"，最迟 {fmt_zh(nxt.latest)}" if nxt.latest else ""
            early = f"，{fmt_zh(nxt.earliest)}起" if nxt.earliest and nxt.earliest > today else ""
            late = "（已超期）" if nxt.overdue(today) else ""
            line += f"\n下一步：{nxt.title}{early}{due}{late}"
        if a.ext_decided_on:
            line += f"\n{fmt_zh(a.ext_decided_on)}决定延长预备期{a.ext_months}个月"
        if a.stopped_on:
            line += f"\n{fmt_zh(a.stopped_on)}终止：{a.stop_reason or ''}"
        self.person_info.setText(line)
        self.model.set_rows(dev.timeline(self.ledger, a, today))
        # show where the record stands: the next step (or the last one done) in view
        if not self.table.select_where(lambda r: r is not None and nxt is not None and r.step.key == nxt.key):
            self.table.select_where(lambda r: r is not None and r.status == "open")
        active = a.stage not in ("stopped", "full")
        self.step_btn.setEnabled(nxt is not None)
        self.ext_btn.setEnabled(
            a.stage == "probationary" and a.ext_decided_on is None and "full_vote" not in a.steps
        )
        self.stop_btn.setEnabled(active)

    # -- Section API
    def new_item(self) -> None:
        dlg = ApplicantDialog(self.ledger, None, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved_id is not None:
            self.current_id = dlg.saved_id
            self.search.clear()
            self.ensure_fresh()
            self._show_person(dlg.saved_id)
            self.ctx.status(f"已新增入党申请人 {dlg.name.text().strip()}")

    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        if subject_type != "applicant" or subject_id is None:
            return
        self.current_id = int(subject_id)
        self.search.clear()
        self.ensure_fresh()
        a = None
        try:
            a = dev.get_applicant(self.ledger, self.current_id)
        except KeyError:
            return
        if a.stage in ("full", "stopped"):
            self.show_done.setChecked(True)
        self._fill_pipeline()
        self._show_person(self.current_id)

    # -- actions
    def current(self) -> dev.Applicant | None:
        if self.current_id is None:
            return None
        try:
            return dev.get_applicant(self.ledger, self.current_id)
        except KeyError:
            return None

    def _after(self, text: str) -> None:
        self.ensure_fresh()
        self._show_person(self.current_id)
        self.ctx.status(text)

    def record_next(self) -> None:
        a = self.current()
        if a is None:
            return
        nxt = dev.next_step(self.ledger, a)
        if nxt is not None:
            self.open_key(a, nxt.key, None)

    def open_step(self, row: dev.TimelineRow) -> None:
        a = self.current()
        if a is None:
            return
        if row.status == "waiting":
            missing = rules.prerequisites_missing(dev.person_of(self.ledger, a), row.step.key)
            self.ctx.status("请先登记：" + "、".join(rules.BY_KEY[k].title for k in missing))
            return
        if row.status == "stopped":
            return
        if row.step.repeatable and row.entries and row.status == "open":
            self.open_key(a, row.step.key, None)
            return
        self.open_key(a, row.step.key, row.entries[-1] if row.entries else None)

    def open_key(self, a: dev.Applicant, key: str, entry: dev.StepEntry | None) -> None:
        dlg = StepDialog(self.ledger, a, key, entry, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self._after(f"{a.name}：已登记“{rules.BY_KEY[key].title}”")

    def edit_person(self) -> None:
        a = self.current()
        if a is None:
            return
        dlg = ApplicantDialog(self.ledger, a, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self._after(f"已保存 {a.name} 的信息")

    def extend(self) -> None:
        a = self.current()
        if a is not None and ExtensionDialog(self.ledger, a, self).exec() == QDialog.DialogCode.Accepted:
            self._after(f"{a.name}：已延长预备期")

    def stop(self) -> None:
        a = self.current()
        if a is not None and StopDialog(self.ledger, a, self).exec() == QDialog.DialogCode.Accepted:
            self._after(f"{a.name}：已终止发展（Ctrl+Z 可撤销）")

    def export_ledger(self) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog("development", Params(year=clock.today().year))

    def export_file(self) -> None:
        from exports.registry import Params

        if self.current_id is not None:
            self.ctx.window.export_dialog("applicant-file", Params(applicant_id=self.current_id, masked=True))


SECTION = DevelopmentSection
