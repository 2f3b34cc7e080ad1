"""整改 tab: the problems found at the 组织生活会 — each member's and the committee's — with the measure, the due
date and the closure with its evidence; open ones of earlier years stay listed until closed. Overdue ones are
finding O07 on the 工作台. Rules: db.rectifications."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db import appraisals, clock, members, rectifications
from db.errors import LedgerError
from db.rectifications import Rectification
from db.rules.orglife import rectification_overdue
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections.tab import SectionTab
from desktop.style import ERROR_RED, OK_GREEN
from desktop.widgets import DateField, Table

if TYPE_CHECKING:
    from db.connection import Ledger


def status(r: Rectification, today: dt.date) -> str:
    if r.closed_on and r.closed_on <= today:
        return "已完成"
    if rectification_overdue(r.due_on, r.closed_on, today):
        return "逾期未完成"
    return "整改中"


class RectifyDialog(QDialog):
    """One problem found and its 整改: 组织生活会, 对象, 查摆日期, 问题, 措施, 时限, 完成日期, 佐证."""

    def __init__(self, ledger: Ledger, r: Rectification, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.original = r
        self.setWindowTitle("查摆问题与整改")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.meeting = QComboBox()
        self.meeting.addItem("（未链接会议）", None)
        for mid, label in appraisals.meeting_options(ledger, r.found_on.year, ("org_life",)):
            self.meeting.addItem(label, mid)
        if r.meeting_id is not None and self.meeting.findData(r.meeting_id) < 0:
            self.meeting.addItem(f"会议#{r.meeting_id}", r.meeting_id)
        self.meeting.setCurrentIndex(max(0, self.meeting.findData(r.meeting_id)))
        form.addRow("组织生活会", self.meeting)
        self.member = QComboBox()
        self.member.addItem(rectifications.COMMITTEE, None)
        for mo in members.roster_on(ledger, r.found_on):
            self.member.addItem(mo.name, mo.id)
        if r.member_id is not None and self.member.findData(r.member_id) < 0:
            self.member.addItem(rectifications.whose(ledger, r), r.member_id)
        self.member.setCurrentIndex(max(0, self.member.findData(r.member_id)))
        form.addRow("对象", self.member)
        self.found_on = DateField(required=True)
        self.found_on.set_value(r.found_on)
        form.addRow("查摆日期", self.found_on)
        self.problem = QPlainTextEdit(r.problem)
        self.problem.setFixedHeight(64)
        form.addRow("查摆出的问题", self.problem)
        self.measure = QLineEdit(r.measure or "")
        form.addRow("整改措施", self.measure)
        self.due_on = DateField()
        self.due_on.set_value(r.due_on)
        form.addRow("整改时限", self.due_on)
        self.closed_on = DateField()
        self.closed_on.set_value(r.closed_on)
        form.addRow("完成日期", self.closed_on)
        self.evidence = QLineEdit(r.evidence or "")
        self.evidence.setPlaceholderText("整改报告、制度文件、会议记录……（完成时必填）")
        form.addRow("佐证", self.evidence)
        lay.addLayout(form)
        b = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        b.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        b.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        b.accepted.connect(self.save)
        b.rejected.connect(self.reject)
        lay.addWidget(b)

    def save(self) -> None:
        for field, label in (
            (self.found_on, "查摆日期"),
            (self.due_on, "整改时限"),
            (self.closed_on, "完成日期"),
        ):
            if field.error():
                show_error(self, f"{label}：{field.error()}")
                return
        r = Rectification(
            self.found_on.value(),  # type: ignore[arg-type]
            self.problem.toPlainText().strip(),
            self.member.currentData(),
            self.meeting.currentData(),
            self.measure.text().strip() or None,
            self.due_on.value(),
            self.closed_on.value(),
            self.evidence.text().strip() or None,
            self.original.id,
        )
        try:
            rectifications.save_rectification(self.ledger, r)
        except LedgerError as e:
            show_error(self, e)
            return
        self.accept()


class RectifyTab(SectionTab):
    def __init__(self, section: Any) -> None:
        super().__init__(section)
        lay = self.lay
        bar, _add = self.button_bar(
            ("登记查摆问题（Ctrl+N）", self.add),
            (("修改 / 登记完成…", self.edit_current), ("删除", self.delete)),
        )
        self.open_only = QCheckBox("只看未完成")
        self.open_only.toggled.connect(lambda _on: self.load(self.year))
        bar.addWidget(self.open_only)
        bar.addStretch(1)
        today = clock.today
        cols: list[Col[Rectification]] = [
            Col("查摆日期", lambda r: r.found_on, width=120),
            Col("对象", lambda r: self._whose(r), width=110),
            Col("问题", lambda r: r.problem, width=230),
            Col("整改措施", lambda r: r.measure or "", width=180),
            Col("时限", lambda r: r.due_on, width=120),
            Col(
                "状态",
                lambda r: status(r, today()),
                color=lambda r: {"已完成": OK_GREEN, "逾期未完成": ERROR_RED}.get(status(r, today())),
            ),
        ]
        self.model: RowModel[Rectification] = RowModel(cols)
        self.table = Table(self.model)
        self.table.activated_row.connect(self.edit)
        lay.addWidget(self.table, 1)
        self.add_hint()
        self._names: dict[int, str] = {}

    def _whose(self, r: Rectification) -> str:
        return rectifications.COMMITTEE if r.member_id is None else self._names.get(r.member_id, "")

    def load(self, year: int) -> None:
        self.year = year
        today = clock.today()
        self._names = members.names(self.ledger)
        rows = rectifications.list_rectifications(self.ledger, year)
        carried = [r for r in rectifications.open_on(self.ledger, today) if r.found_on.year < year]
        rows = carried + rows
        if self.open_only.isChecked():
            rows = [r for r in rows if status(r, today) != "已完成"]
        self.model.set_rows(rows)
        late = sum(1 for r in rows if status(r, today) == "逾期未完成")
        going = sum(1 for r in rows if status(r, today) == "整改中")
        text = f"{year}年组织生活会查摆问题{len(rows) - len(carried)}项"
        if carried:
            text += f"，以前年度未完成{len(carried)}项"
        text += f"；整改中{going}项，逾期{late}项。完成后填写完成日期和佐证；逾期未完成的在工作台提示，并列入交接清单。"
        self.hint.setText(text)

    def add(self) -> None:
        today = clock.today()
        day = today if self.year >= today.year else dt.date(self.year, 12, 31)
        lives = appraisals.meeting_options(self.ledger, self.year, ("org_life",))
        r = Rectification(day, "", None, lives[0][0] if lives else None)
        if RectifyDialog(self.ledger, r, self).exec() == QDialog.DialogCode.Accepted:
            self.section.ctx.status("查摆问题已登记")

    def edit(self, r: Rectification) -> None:
        if RectifyDialog(self.ledger, r, self).exec() == QDialog.DialogCode.Accepted:
            self.section.ctx.status("整改记录已保存")

    def edit_current(self) -> None:
        r = self.table.current_row()
        if r is not None:
            self.edit(r)

    def delete(self) -> None:
        r = self.table.current_row()
        if r is None:
            return
        if confirm(
            self, "删除整改记录", f"删除“{r.problem[:30]}”这条记录吗？（可用 Ctrl+Z 撤销）", "删除", True
        ):
            rectifications.delete_rectification(self.ledger, r.id or 0)

    def show_rectification(self, rect_id: int) -> None:
        self.table.select_where(lambda r: r is not None and r.id == rect_id)
