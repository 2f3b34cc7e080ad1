"""书记项目 tab: the year's 书记项目 / 党建项目 above (status, milestones done, late ones), the selected project's
milestones, progress notes and targets below; 立项, 节点, 记录进展, 结项. Late milestones are K02 on the 工作台.
Rules: db.projects."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import clock, projects
from db.projects import Milestone, Progress, Project, Target
from desktop.dialogs import confirm
from desktop.models import Col, RowModel
from desktop.sections.guide.project_dialogs import CloseDialog, MilestoneDialog, ProgressDialog, ProjectDialog
from desktop.style import ERROR_RED, OK_GREEN
from desktop.widgets import EmptyState, Table, WrapLabel, primary_button

if TYPE_CHECKING:
    from db.connection import Ledger


def milestone_state(m: Milestone, today: dt.date) -> str:
    if m.done_on and m.done_on <= today:
        return "已完成" if m.done_on <= m.due_on else "逾期完成"
    if projects.milestone_late(m, today):
        return f"逾期{(today - m.due_on).days}天"
    return "进行中"


class ProjectsTab(QWidget):
    def __init__(self, section: Any) -> None:
        super().__init__()
        self.section = section
        self.year = clock.today().year
        self._names: dict[int, str] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        new = primary_button("立项…")
        new.clicked.connect(self.new_project)
        bar.addWidget(new)
        for text, fn in (
            ("修改项目书…", self.edit_current),
            ("添加节点…", self.add_milestone),
            ("记录进展…", self.add_progress),
            ("结项…", self.close_current),
            ("删除项目", self.delete_current),
            ("删除节点/进展", self.delete_detail),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.stack = QStackedWidget()
        self.empty = EmptyState("本年度还没有书记项目 — 点“立项”登记项目书", "立项…", self.new_project)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("guide-projects")
        split.setChildrenCollapsible(False)
        today = clock.today
        self.model: RowModel[Project] = RowModel(
            [
                Col("项目名称", lambda p: p.title, width=240, tooltip=lambda p: p.title),
                Col("类型", lambda p: p.kind_label, width=70),
                Col("负责人", lambda p: self._names.get(p.owner_id or 0, ""), width=70),
                Col("服务的企业目标", lambda p: p.goal or "", width=180, tooltip=lambda p: p.goal),
                Col("状态", lambda p: projects.STATUS_LABELS[p.status_on(today())], width=70),
                Col(
                    "节点",
                    lambda p: (
                        f"{sum(1 for m in p.milestones if m.done_on and m.done_on <= today())}/{len(p.milestones)}"
                    ),
                    align="center",
                    width=60,
                ),
                Col(
                    "逾期节点",
                    lambda p: len(p.late_milestones(today())) or "",
                    align="center",
                    width=70,
                    color=lambda p: ERROR_RED if p.late_milestones(today()) else None,
                ),
            ]
        )
        self.table = Table(self.model)
        self.table.activated_row.connect(lambda p: self.edit(p))
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.show_detail())
        split.addWidget(self.table)
        self.detail = QTabWidget()
        self.detail.tabBar().setUsesScrollButtons(False)
        self.ms_model: RowModel[Milestone] = RowModel(
            [
                Col("节点", lambda m: m.title, width=240),
                Col("计划完成", lambda m: m.due_on, width=130),
                Col("实际完成", lambda m: m.done_on, width=130),
                Col(
                    "状态",
                    lambda m: milestone_state(m, today()),
                    width=100,
                    color=lambda m: (
                        ERROR_RED
                        if projects.milestone_late(m, today())
                        else (OK_GREEN if m.done_on else None)
                    ),
                ),
            ]
        )
        self.ms_table = Table(self.ms_model)
        self.ms_table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.ms_table.activated_row.connect(self.edit_milestone)
        self.detail.addTab(self.ms_table, "节点")
        self.pg_model: RowModel[Progress] = RowModel(
            [
                Col("日期", lambda g: g.noted_on, width=130),
                Col("进展情况", lambda g: g.text, width=320),
                Col("佐证", lambda g: self.evidence(g), width=260),
            ]
        )
        self.pg_table = Table(self.pg_model)
        self.pg_table.activated_row.connect(self.show_photos)
        self.detail.addTab(self.pg_table, "进展")
        self.tg_model: RowModel[Target] = RowModel(
            [
                Col("预期成效指标", lambda t: t.indicator, width=220),
                Col("预期", lambda t: t.expected or "", width=140),
                Col("实际", lambda t: t.actual or "", width=140),
                Col("是否达成", lambda t: "" if t.met is None else ("达成" if t.met else "未达成"), width=80),
            ]
        )
        self.detail.addTab(Table(self.tg_model), "预期成效")
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        body = QWidget()
        bl = QVBoxLayout(body)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(split, 1)
        self.hint = WrapLabel("")
        self.hint.setToolTip(projects.LOCAL_NOTE)
        self.hint.setObjectName("SectionHint")
        bl.addWidget(self.hint)
        self.stack.addWidget(body)
        self.stack.addWidget(self.empty)
        lay.addWidget(self.stack, 1)

    @property
    def ledger(self) -> Ledger:
        return self.section.ledger  # type: ignore[no-any-return]

    def evidence(self, g: Progress) -> str:
        p = self.table.current_row()
        out = []
        if p is not None:
            ms = {m.id: m.title for m in p.milestones}
            ts = {t.id: t.indicator for t in p.targets}
            if g.milestone_id in ms:
                out.append(f"节点：{ms[g.milestone_id]}")
            if g.target_id in ts and g.figure:
                out.append(f"{ts[g.target_id]}：{g.figure}")
        if g.meeting_id:
            out.append("有会议记录")
        if g.photos:
            out.append(f"照片{len(g.photos)}张")
        return "；".join(out)

    def load(self, year: int) -> None:
        self.year = year
        from db import members

        self._names = members.names(self.ledger)
        keep = self.table.current_row()
        rows = projects.list_projects(self.ledger, year)
        self.model.set_rows(rows)
        if not rows:
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentWidget(self.stack.widget(0))
        if keep is None or not self.table.select_where(lambda p: p is not None and p.id == keep.id):
            self.table.selectRow(0)
        self.show_detail()
        today = clock.today()
        late = sum(len(p.late_milestones(today)) for p in rows)
        self.hint.setText(
            f"{year}年{len(rows)}个项目，逾期未完成的节点{late}个（在工作台提醒）。双击项目修改项目书，双击节点登记完成。"
        )

    def show_detail(self) -> None:
        p = self.table.current_row()
        self.ms_model.set_rows(p.milestones if p else [])
        self.pg_model.set_rows(p.progress if p else [])
        self.tg_model.set_rows(p.targets if p else [])

    def show_project(self, project_id: int) -> None:
        self.table.select_where(lambda p: p is not None and p.id == project_id)
        self.show_detail()
        self.detail.setCurrentIndex(0)

    def _current(self) -> Project | None:
        p = self.table.current_row()
        if p is None:
            self.section.ctx.status("请先选中一个项目")
        return p  # type: ignore[no-any-return]

    # -- actions
    def new_project(self) -> None:
        from db import branch

        today = clock.today()
        p = Project(self.year, "", owner_id=branch.secretary_on(self.ledger, today), approved_on=today)
        if ProjectDialog(self.ledger, p, self).exec() == QDialog.DialogCode.Accepted:
            self.section.ctx.status("已立项")

    def edit(self, p: Project) -> None:
        ProjectDialog(self.ledger, projects.get_project(self.ledger, p.id or 0), self).exec()

    def edit_current(self) -> None:
        p = self._current()
        if p is not None:
            self.edit(p)

    def add_milestone(self) -> None:
        p = self._current()
        if p is not None:
            MilestoneDialog(self.ledger, Milestone("", clock.today(), project_id=p.id), self).exec()

    def edit_milestone(self, m: Milestone) -> None:
        MilestoneDialog(self.ledger, m, self).exec()

    def add_progress(self) -> None:
        p = self._current()
        if p is not None and ProgressDialog(self.ledger, p, self).exec() == QDialog.DialogCode.Accepted:
            self.detail.setCurrentIndex(1)

    def show_photos(self, g: Progress) -> None:
        """A progress note's photos, at thumbnail size, with their captions."""
        from PySide6.QtGui import QPixmap
        from PySide6.QtWidgets import QDialogButtonBox, QLabel

        if not g.photos:
            self.section.ctx.status("这条进展没有照片")
            return
        d = QDialog(self)
        d.setWindowTitle(f"进展照片（{len(g.photos)}张）")
        lay = QVBoxLayout(d)
        row = QHBoxLayout()
        for ph in g.photos:
            box = QVBoxLayout()
            pic = QLabel()
            pm = QPixmap()
            pm.loadFromData(ph.thumbnail or projects.photo_data(self.ledger, ph.id))
            pic.setPixmap(pm)
            box.addWidget(pic)
            box.addWidget(QLabel(ph.caption or ph.file_name))
            row.addLayout(box)
        lay.addLayout(row)
        b = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        b.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        b.rejected.connect(d.reject)
        lay.addWidget(b)
        d.exec()

    def close_current(self) -> None:
        p = self._current()
        if p is not None:
            CloseDialog(self.ledger, projects.get_project(self.ledger, p.id or 0), self).exec()

    def delete_detail(self) -> None:
        """The milestone or progress note selected in the lower tab."""
        if self.detail.currentWidget() is self.ms_table:
            m = self.ms_table.current_row()
            if m is not None and confirm(
                self, "删除节点", f"删除节点“{m.title}”吗？（可用 Ctrl+Z 撤销）", "删除", True
            ):
                projects.delete_milestone(self.ledger, m.id or 0)
        elif self.detail.currentWidget() is self.pg_table:
            g = self.pg_table.current_row()
            if g is not None and confirm(
                self,
                "删除进展",
                f"删除这条进展（{g.text[:20]}）及其照片吗？（可用 Ctrl+Z 撤销）",
                "删除",
                True,
            ):
                projects.delete_progress(self.ledger, g.id or 0)
        else:
            self.section.ctx.status("请在“节点”或“进展”中选中要删除的一条")

    def delete_current(self) -> None:
        p = self._current()
        if p is not None and confirm(
            self, "删除项目", f"删除“{p.title}”及其节点和进展吗？（可用 Ctrl+Z 撤销）", "删除", True
        ):
            projects.delete_project(self.ledger, p.id or 0)
