"""书记项目 dialogs: 立项 (项目书), a milestone, a progress note with its evidence, 结项 against the targets. Each
saves through db.projects; a refusal is shown and the dialog stays open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import clock, members, projects
from db.dates import fmt_zh
from db.errors import LedgerError
from db.projects import Milestone, Progress, Project, Target
from desktop.dialogs import show_error
from desktop.widgets import DateField, ScrollBody, WrapLabel

if TYPE_CHECKING:
    from db.connection import Ledger


def _buttons(d: QDialog, lay: QVBoxLayout, ok: str) -> None:
    b = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    b.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    b.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    b.accepted.connect(d.accept)
    b.rejected.connect(d.reject)
    lay.addWidget(b)


def _text(value: str | None, height: int = 56, hint: str = "") -> QPlainTextEdit:
    w = QPlainTextEdit(value or "")
    w.setFixedHeight(height)
    w.setPlaceholderText(hint)
    return w


def targets_text(targets: list[Target]) -> str:
    return "\n".join(f"{t.indicator}：{t.expected}" if t.expected else t.indicator for t in targets)


def parse_targets(text: str, old: list[Target]) -> list[Target]:
    """One line per target, "指标：预期"; a target whose name stays keeps its id and its 结项 figures."""
    by_name = {t.indicator: t for t in old}
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        name, _, expected = line.replace(":", "：").partition("：")
        name = name.strip()
        t = by_name.get(name)
        out.append(
            Target(
                name,
                expected.strip() or None,
                t.actual if t else None,
                t.met if t else None,
                id=t.id if t else None,
            )
        )
    return out


class ProjectDialog(QDialog):
    """立项: the 项目书 — name, kind, owner (the 书记), goal, tags, the five 立项 parts, measurable targets."""

    def __init__(self, ledger: Ledger, p: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.p = p
        self.setWindowTitle("书记项目项目书（立项）")
        lay = QVBoxLayout(self)
        body = QWidget()
        form = QFormLayout(body)
        self.title = QLineEdit(p.title)
        form.addRow("项目名称", self.title)
        self.kind = QComboBox()
        for k, label in projects.KIND_LABELS.items():
            self.kind.addItem(label, k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(p.kind)))
        form.addRow("类型", self.kind)
        self.owner = QComboBox()
        self.owner.addItem("（未指定）", None)
        for m in members.list_members(ledger, include_inactive=False):
            self.owner.addItem(m.name, m.id)
        self.owner.setCurrentIndex(max(0, self.owner.findData(p.owner_id)))
        form.addRow("负责人（书记）", self.owner)
        self.goal = QLineEdit(p.goal or "")
        self.goal.setPlaceholderText("服务的企业发展目标，如：新产品良率提升至95%")
        form.addRow("服务的企业目标", self.goal)
        self.tags = QLineEdit(p.tags or "")
        self.tags.setPlaceholderText("、".join(projects.TAG_SUGGESTIONS))
        form.addRow("融合方向", self.tags)
        self.approved = DateField()
        self.approved.set_value(p.approved_on)
        form.addRow("立项日期", self.approved)
        self.parts: dict[str, QPlainTextEdit] = {}
        for key, label in projects.FIELD_LABELS.items():
            self.parts[key] = _text(getattr(p, key))
            form.addRow(label, self.parts[key])
        self.targets = _text(targets_text(p.targets), 64, "每行一项可衡量的指标，如：产品良率：95%")
        form.addRow("预期指标", self.targets)
        note = WrapLabel(f"评审要点（地方惯例）：{projects.REVIEW_WORDS}。{projects.LOCAL_NOTE}")
        note.setObjectName("SectionHint")
        form.addRow(note)
        lay.addWidget(ScrollBody(body), 1)
        _buttons(self, lay, "保存")

    def accept(self) -> None:
        if self.approved.error():
            show_error(self, f"立项日期：{self.approved.error()}")
            return
        p = self.p
        p.title = self.title.text()
        p.kind = self.kind.currentData()
        p.owner_id = self.owner.currentData()
        p.goal, p.tags = self.goal.text(), self.tags.text()
        p.approved_on = self.approved.value()
        for key, w in self.parts.items():
            setattr(p, key, w.toPlainText())
        p.targets = parse_targets(self.targets.toPlainText(), p.targets)
        try:
            projects.save_project(self.ledger, p)
        except LedgerError as e:
            show_error(self, e)
            return
        super().accept()


class MilestoneDialog(QDialog):
    def __init__(self, ledger: Ledger, m: Milestone, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.m = ledger, m
        self.setWindowTitle("项目节点")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.title = QLineEdit(m.title)
        form.addRow("节点", self.title)
        self.due = DateField(required=True)
        self.due.set_value(m.due_on)
        form.addRow("计划完成", self.due)
        self.done_on = DateField()
        self.done_on.set_value(m.done_on)
        form.addRow("实际完成", self.done_on)
        self.notes = QLineEdit(m.notes or "")
        form.addRow("备注", self.notes)
        lay.addLayout(form)
        _buttons(self, lay, "保存")

    def accept(self) -> None:
        for f, label in ((self.due, "计划完成"), (self.done_on, "实际完成")):
            if f.error():
                show_error(self, f"{label}：{f.error()}")
                return
        m = self.m
        m.title, m.due_on, m.done_on, m.notes = (
            self.title.text(),
            self.due.value(),
            self.done_on.value(),
            self.notes.text(),
        )  # type: ignore[assignment]
        try:
            projects.save_milestone(self.ledger, m)
        except LedgerError as e:
            show_error(self, e)
            return
        super().accept()


class ProgressDialog(QDialog):
    """A progress note with its evidence: the milestone (reached or not), a meeting, a figure, photos."""

    def __init__(self, ledger: Ledger, p: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.p = ledger, p
        self.photos: list[tuple[str, bytes, str | None]] = []
        self.setWindowTitle(f"记录进展：{p.title}")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.day = DateField(required=True)
        self.day.set_value(clock.today())
        form.addRow("日期", self.day)
        self.text = _text("", 64, "做了什么、取得了什么")
        form.addRow("进展情况", self.text)
        self.milestone = QComboBox()
        self.milestone.addItem("（不涉及节点）", None)
        for m in p.milestones:
            self.milestone.addItem(f"{m.title}（计划{fmt_zh(m.due_on)}）", m.id)
        form.addRow("节点", self.milestone)
        self.reached = QCheckBox("该节点已完成")
        form.addRow("", self.reached)
        self.meeting = QComboBox()
        self.meeting.addItem("（无）", None)
        for mid, day, topic in meeting_options(ledger, p.year):
            self.meeting.addItem(f"{fmt_zh(day)} {topic}", mid)
        form.addRow("相关会议", self.meeting)
        self.target = QComboBox()
        self.target.addItem("（无）", None)
        for t in p.targets:
            self.target.addItem(t.indicator, t.id)
        form.addRow("指标", self.target)
        self.figure = QLineEdit()
        self.figure.setPlaceholderText("当前数值，如 92%")
        form.addRow("数据", self.figure)
        self.photo_list = QListWidget()
        self.photo_list.setFixedHeight(52)
        form.addRow("照片", self.photo_list)
        add = QPushButton("添加照片…")
        add.clicked.connect(self.add_photo)
        form.addRow("", add)
        lay.addLayout(form)
        _buttons(self, lay, "保存")

    def add_photo(self, path: Any = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "选择照片", "", "图片 (*.jpg *.jpeg *.png *.bmp *.gif)"
            )
        if not path:
            return
        p = Path(path)
        self.photos.append((p.name, p.read_bytes(), None))
        self.photo_list.addItem(p.name)

    def accept(self) -> None:
        if self.day.error():
            show_error(self, f"日期：{self.day.error()}")
            return
        g = Progress(
            self.day.value(),  # type: ignore[arg-type]
            self.text.toPlainText(),
            self.milestone.currentData(),
            self.meeting.currentData(),
            self.target.currentData(),
            self.figure.text().strip() or None,
            project_id=self.p.id,
        )
        try:
            projects.add_progress(self.ledger, g, self.photos, reached=self.reached.isChecked())
        except LedgerError as e:
            show_error(self, e)
            return
        super().accept()


class CloseDialog(QDialog):
    """结项: the day, the outcome, each target's actual figure and whether it was reached."""

    def __init__(self, ledger: Ledger, p: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.p = ledger, p
        self.setWindowTitle(f"结项：{p.title}")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.day = DateField(required=True)
        self.day.set_value(p.closed_on or clock.today())
        form.addRow("结项日期", self.day)
        self.outcome = _text(p.outcome, 72, "取得的成效（与预期成效对照）")
        form.addRow("结项总结", self.outcome)
        self.rows: list[tuple[Target, QLineEdit, QComboBox]] = []
        for t in p.targets:
            actual = QLineEdit(t.actual or "")
            actual.setPlaceholderText(f"预期：{t.expected or '（未写）'}")
            met = QComboBox()
            for label, v in (("达成", True), ("未达成", False), ("（未评）", None)):
                met.addItem(label, v)
            met.setCurrentIndex({True: 0, False: 1, None: 2}[t.met] if t.actual else 0)
            form.addRow(f"{t.indicator}", actual)
            form.addRow("", met)
            self.rows.append((t, actual, met))
        if not p.targets:
            form.addRow(QLabel("（立项时未列出可衡量的指标）"))
        lay.addLayout(form)
        _buttons(self, lay, "结项")

    def accept(self) -> None:
        if self.day.error():
            show_error(self, f"结项日期：{self.day.error()}")
            return
        actuals = {t.id or 0: (a.text(), m.currentData()) for t, a, m in self.rows}
        try:
            projects.close_project(
                self.ledger, self.p.id or 0, self.day.value(), self.outcome.toPlainText(), actuals
            )  # type: ignore[arg-type]
        except LedgerError as e:
            show_error(self, e)
            return
        super().accept()


def meeting_options(ledger: Ledger, year: int) -> list[tuple[int, dt.date, str]]:
    from db import meetings

    return [
        (r.id, r.date, f"{r.kinds_label} {r.topic or ''}".strip())
        for r in meetings.list_meetings(ledger, year)
    ]
