"""学时 tab: each member's hours of the year — from the branch's meetings that count and from training entered
by hand or imported from a sheet — against the target (32; the committee's configurable value), with
exemptions; the dialogs to enter a record, set an exemption and see one member's hours. Rules: db.study."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import clock, study
from db.errors import LedgerError
from db.rules import orglife
from db.study import MemberYear, StudyRecord
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections.orglife.talks import member_choices
from desktop.sections.tab import SectionTab
from desktop.style import ERROR_RED, OK_GREEN, TEXT_MUTED
from desktop.widgets import DateField, Table, WrapLabel

if TYPE_CHECKING:
    from db.connection import Ledger


def num(d: Decimal) -> str:
    s = f"{d}"
    return s[:-2] if s.endswith(".0") else s


def state(r: MemberYear) -> str:
    if r.exemption:
        return f"不作硬性要求（{r.exemption}）"
    if r.total >= r.target:
        return "已达标"
    return f"差{num(r.short)}学时"


def _buttons(dlg: QDialog, ok: str) -> QDialogButtonBox:
    b = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    b.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    b.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    b.rejected.connect(dlg.reject)
    return b


class StudyRecordDialog(QDialog):
    """A training or study record: 党员, 日期, 名称, 形式, 组织单位, 学时, 佐证."""

    def __init__(self, ledger: Ledger, r: StudyRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.record = r
        self.setWindowTitle("登记学时")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.member = QComboBox()
        self.member.addItem("（请选择）", None)
        for mid, label in member_choices(ledger, r.held_on or clock.today()):
            self.member.addItem(label, mid)
        self.member.setCurrentIndex(max(0, self.member.findData(r.member_id)))
        form.addRow("党员", self.member)
        self.held_on = DateField(required=True)
        self.held_on.set_value(r.held_on)
        form.addRow("日期", self.held_on)
        self.title = QLineEdit(r.title)
        self.title.setPlaceholderText("如：区委党校党员集中轮训班")
        form.addRow("名称", self.title)
        self.form_box = QComboBox()
        for f in orglife.STUDY_FORMS:
            self.form_box.addItem(orglife.STUDY_FORM_LABELS[f], f)
        self.form_box.setCurrentIndex(max(0, self.form_box.findData(r.form)))
        form.addRow("形式", self.form_box)
        self.organizer = QLineEdit(r.organizer or "")
        self.organizer.setPlaceholderText("上级党委、党校、本支部、学习平台")
        form.addRow("组织单位", self.organizer)
        self.hours = QLineEdit(num(r.hours) if r.hours else "")
        self.hours.setPlaceholderText("如 4 或 1.5（脱产培训每天8学时，讲座半天4学时）")
        form.addRow("学时", self.hours)
        self.evidence = QLineEdit(r.evidence or "")
        self.evidence.setPlaceholderText("签到表、结业证书、平台截图")
        form.addRow("佐证", self.evidence)
        lay.addLayout(form)
        b = _buttons(self, "保存")
        b.accepted.connect(self.save)
        lay.addWidget(b)

    def save(self) -> None:
        if self.held_on.error():
            show_error(self, f"日期：{self.held_on.error()}")
            return
        try:
            hours = orglife.to_hours(self.hours.text())
        except ValueError as e:
            show_error(self, str(e))
            return
        r = StudyRecord(
            self.member.currentData(),
            self.held_on.value(),  # type: ignore[arg-type]
            self.title.text().strip(),
            hours,
            self.form_box.currentData(),
            self.organizer.text().strip() or None,
            self.evidence.text().strip() or None,
            self.record.id,
        )
        try:
            study.save_record(self.ledger, r)
        except LedgerError as e:
            show_error(self, e)
            return
        self.accept()


class ExemptionDialog(QDialog):
    """年老体弱、行动不便、身患重病: 学时 not required that year (JG06); an empty reason removes it."""

    def __init__(self, ledger: Ledger, row: MemberYear, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.row, self.year = ledger, row, year
        self.setWindowTitle(f"{year}年学时豁免 — {row.name}")
        lay = QVBoxLayout(self)
        note = WrapLabel(
            "对年老体弱、行动不便、身患重病的党员，组织活动和学习教育不作硬性要求（教育管理条例 第二十三条），"
            "可送学上门。写明原因后，本年度不再提示学时不足；清空原因即取消。"
        )
        note.setObjectName("SectionHint")
        lay.addWidget(note)
        self.reason = QLineEdit(row.exemption or "")
        self.reason.setPlaceholderText("如：年逾八旬、行动不便，送学上门")
        lay.addWidget(self.reason)
        b = _buttons(self, "保存")
        b.accepted.connect(self.save)
        lay.addWidget(b)

    def save(self) -> None:
        try:
            study.set_exemption(
                self.ledger, self.row.member_id, self.year, self.reason.text().strip() or None
            )
        except LedgerError as e:
            show_error(self, e)
            return
        self.accept()


class StudyDetailDialog(QDialog):
    """One member's hours of the year: the meetings that counted and the records (a record can be deleted)."""

    def __init__(self, ledger: Ledger, row: MemberYear, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.setWindowTitle(f"{year}年学时明细 — {row.name}")
        self.resize(720, 420)
        lay = QVBoxLayout(self)
        items: list[tuple[dt.date, str, str, str, Decimal, int | None]] = [
            (m.date, "支部活动（集体学习）", m.title, "本支部", m.hours, None) for m in row.meetings
        ]
        items += [(r.held_on, r.form_label, r.title, r.organizer or "", r.hours, r.id) for r in row.records]
        items.sort(key=lambda x: x[0])
        cols: list[Col[tuple[dt.date, str, str, str, Decimal, int | None]]] = [
            Col("日期", lambda x: x[0], width=120),
            Col("形式", lambda x: x[1], width=140),
            Col("名称", lambda x: x[2], width=220),
            Col("组织单位", lambda x: x[3], width=100),
            Col("学时", lambda x: num(x[4]), "right"),
        ]
        self.model: RowModel[Any] = RowModel(cols, items)
        self.table = Table(self.model)
        lay.addWidget(self.table, 1)
        total = WrapLabel(
            f"合计 {num(row.total)} 学时（支部活动 {num(row.meeting_hours)}，其他 {num(row.record_hours)}），"
            f"目标 {num(row.target)} 学时。支部活动的学时按出席记录自动计算，如有出入请修改会议记录。"
        )
        total.setObjectName("SectionHint")
        lay.addWidget(total)
        bar = QHBoxLayout()
        delete = QPushButton("删除选中的学时记录")
        delete.clicked.connect(self.delete)
        bar.addWidget(delete)
        bar.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bar.addWidget(close)
        lay.addLayout(bar)

    def delete(self) -> None:
        x = self.table.current_row()
        if x is None or x[5] is None:
            show_error(self, "请选中一条手工登记或导入的学时记录（支部活动的学时来自会议出席记录）")
            return
        if confirm(
            self, "删除学时记录", f"删除“{x[2]}”（{num(x[4])}学时）吗？（可用 Ctrl+Z 撤销）", "删除", True
        ):
            study.delete_record(self.ledger, x[5])
            self.accept()


class StudyTab(SectionTab):
    def __init__(self, section: Any) -> None:
        super().__init__(section)
        lay = self.lay
        bar, _add = self.button_bar(
            ("登记学时（Ctrl+N）", self.add_record),
            (
                ("从 Excel 导入…", self.import_sheet),
                ("明细…", self.show_detail),
                ("学时豁免…", self.set_exemption),
            ),
        )
        bar.addStretch(1)
        cols: list[Col[MemberYear]] = [
            Col("党员", lambda r: r.name + ("（支委）" if r.on_committee else ""), width=120),
            Col("目标", lambda r: num(r.target), "right", width=60),
            Col("支部活动", lambda r: num(r.meeting_hours), "right", width=80),
            Col("其他培训", lambda r: num(r.record_hours), "right", width=80),
            Col("合计", lambda r: num(r.total), "right", width=60),
            Col("集中培训", lambda r: r.central, "right", width=80),
            Col(
                "情况",
                state,
                color=lambda r: (
                    TEXT_MUTED if r.exemption else (OK_GREEN if r.total >= r.target else ERROR_RED)
                ),
            ),
        ]
        self.model: RowModel[MemberYear] = RowModel(cols)
        self.table = Table(self.model)
        self.table.activated_row.connect(lambda r: self._detail(r))
        lay.addWidget(self.table, 1)
        self.add_hint()

    def load(self, year: int) -> None:
        self.year = year
        today = clock.today()
        rows = study.member_years(self.ledger, year, min(today, dt.date(year, 12, 31)))
        self.model.set_rows(rows)
        short = [r for r in rows if not r.met]
        kinds = "、".join(
            {"lecture": "党课", "theme_day": "主题党日", "assembly": "党员大会", "group": "党小组会"}[k]
            for k in study.counted_kinds(self.ledger)
        )
        behind = "截至今天尚未达到全年目标" if year >= today.year else "未达标"
        text = f"{year}年：{len(rows)}人，" + (f"{len(short)}人{behind}" if short else "全部达标或豁免")
        text += (
            f"。党员目标32学时；书记、支委{num(study.committee_target(self.ledger))}学时（2019规划数值，2026年未确认，见“设置”）；"
            f"计入学时的支部活动：{kinds}（地方惯例），按出席每小时1学时。"
        )
        self.hint.setText(text)

    def _year_day(self) -> dt.date:
        today = clock.today()
        return today if self.year >= today.year else dt.date(self.year, 12, 31)

    def add_record(self) -> None:
        row = self.table.current_row()
        r = StudyRecord(row.member_id if row else 0, self._year_day(), "", Decimal(0))
        if StudyRecordDialog(self.ledger, r, self).exec() == QDialog.DialogCode.Accepted:
            self.section.ctx.status("学时记录已保存")

    def import_sheet(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入学时表", str(Path.home()), "Excel 工作簿 (*.xlsx)")
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> int:
        try:
            n = study.import_records(self.ledger, path)
        except LedgerError as e:
            show_error(self, e, "学时表未导入")
            return 0
        self.section.ctx.status(f"已导入 {n} 条学时记录")
        return n

    def _detail(self, row: MemberYear) -> None:
        StudyDetailDialog(self.ledger, row, self.year, self).exec()

    def show_detail(self) -> None:
        row = self.table.current_row()
        if row is not None:
            self._detail(row)

    def set_exemption(self) -> None:
        row = self.table.current_row()
        if row is None:
            show_error(self, "请先选中一名党员")
            return
        ExemptionDialog(self.ledger, row, self.year, self).exec()

    def show_member(self, member_id: int) -> None:
        self.table.select_where(lambda r: r is not None and r.member_id == member_id)
