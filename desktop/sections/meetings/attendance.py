"""The meeting editor's 出席情况: the list of who is expected, pre-filled from the roster as of the meeting date
and following its kinds and 党小组, each one's status and reason, 列席 members added by hand, people not
counted in 应到 with the reason, the 应到/实到 counts, and the quorum and pass verdict of each 决议 that
follow from them (db.meetings computes both; nothing is counted here)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db import clock, meetings
from db.meetings import Attendance, Exclusion, Meeting
from db.rules import meetings as rules
from desktop.dialogs import show_error
from desktop.sections.meetings.controllers import member_choices
from desktop.sections.meetings.editor_base import EditorBase
from desktop.style import ERROR_RED, OK_GREEN, TEXT_MUTED

STATUS_ORDER = ("present", "leave", "absent", "observer")


class AttendancePart(EditorBase):
    """The 出席情况 box of MeetingEditor and what it does."""

    def _build_attendance(self) -> None:
        att = QGroupBox("出席情况（按会议日期的党员名单带出）")
        al = QVBoxLayout(att)
        self.counts = QLabel()
        self.counts.setStyleSheet("font-weight: bold;")
        al.addWidget(self.counts)
        self.att_table = QTableWidget(0, 4)
        self.att_table.setHorizontalHeaderLabels(["姓名", "人员类别", "出席情况", "原因"])
        self.att_table.verticalHeader().setVisible(False)
        self.att_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.att_table.setColumnWidth(0, 110)
        self.att_table.setColumnWidth(1, 150)
        self.att_table.setColumnWidth(2, 100)
        self.att_table.setMinimumHeight(220)
        self.att_table.itemChanged.connect(self._reason_changed)
        al.addWidget(self.att_table)
        row = QHBoxLayout()
        refill = QPushButton("按日期重新带出名单")
        refill.clicked.connect(self.refill_attendance)
        allp = QPushButton("全部设为出席")
        allp.clicked.connect(self.all_present)
        add_obs = QPushButton("添加列席党员…")
        add_obs.clicked.connect(self.add_observer)
        excl = QPushButton("所选不计入应到…")
        excl.clicked.connect(self.exclude_selected)
        for b in (refill, allp, add_obs, excl):
            row.addWidget(b)
        row.addStretch(1)
        al.addLayout(row)
        self.excl_label = QLabel()
        self.excl_label.setWordWrap(True)
        al.addWidget(self.excl_label)
        undo_excl = QPushButton("撤回不计入应到")
        undo_excl.clicked.connect(self.clear_exclusions)
        self.undo_excl = undo_excl
        al.addWidget(undo_excl, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(att)

    # -- attendance
    def _show_attendance(self) -> None:
        t = self.att_table
        labels = [rules.STATUS_LABELS[s] for s in STATUS_ORDER]
        t.blockSignals(True)
        t.setRowCount(len(self.attendance))
        for i, a in enumerate(self.attendance):
            name = QTableWidgetItem(a.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if a.can_vote:
                cat_text = "正式党员"
            elif a.category == "full" and a.no_vote:
                cat_text = "正式党员（无表决权）"
            else:
                cat_text = "预备党员（无表决权）"
            cat = QTableWidgetItem(cat_text)
            if a.no_vote and a.category == "full":
                cat.setToolTip(a.no_vote)
            cat.setFlags(cat.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if not a.can_vote:
                cat.setForeground(QBrush(QColor(TEXT_MUTED)))
            t.setItem(i, 0, name)
            t.setItem(i, 1, cat)
            combo = t.cellWidget(i, 2)
            if not isinstance(combo, QComboBox):  # the row's box is kept from one record to the next
                combo = QComboBox()
                combo.addItems(
                    labels
                )  # in one call: a branch of 500 has 500 of these (the status is by index)
                combo.currentIndexChanged.connect(
                    lambda k, row=i: self._status_changed(row, STATUS_ORDER[k]) if k >= 0 else None
                )
                t.setCellWidget(i, 2, combo)
            combo.blockSignals(True)
            combo.setCurrentIndex(STATUS_ORDER.index(a.status))
            combo.blockSignals(False)
            t.setItem(i, 3, QTableWidgetItem(a.reason or ""))
        t.blockSignals(False)
        ex = "；".join(f"{x.name}（{x.reason}）" for x in self.excluded)
        self.excl_label.setText(f"不计入应到人数：{ex}" if ex else "")
        self.excl_label.setVisible(bool(ex))
        self.undo_excl.setVisible(bool(ex))
        self.update_counts()

    def _status_changed(self, row: int, status: str) -> None:
        self.attendance[row].status = status
        if status == "present":
            self.attendance[row].reason = None
            self.att_table.blockSignals(True)
            self.att_table.setItem(row, 3, QTableWidgetItem(""))
            self.att_table.blockSignals(False)
        self.mark_changed()
        self.update_counts()

    def _reason_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 3 and 0 <= item.row() < len(self.attendance):
            self.attendance[item.row()].reason = item.text().strip() or None
            self.mark_changed()
            self.update_counts()

    def set_status(self, member_id: int, status: str, reason: str | None = None) -> None:
        """Set one person's status (also used by tests and keyboard-free flows)."""
        for i, a in enumerate(self.attendance):
            if a.member_id == member_id:
                combo = self.att_table.cellWidget(i, 2)
                assert isinstance(combo, QComboBox)
                combo.setCurrentIndex(STATUS_ORDER.index(status))
                if reason is not None:
                    self.att_table.setItem(i, 3, QTableWidgetItem(reason))
                return
        raise KeyError(member_id)

    def update_counts(self) -> None:
        m = Meeting(attendance=self.attendance)
        leave = sum(1 for a in self.attendance if a.status == "leave")
        absent = sum(1 for a in self.attendance if a.status == "absent")
        obs = sum(1 for a in self.attendance if a.status == "observer")
        self.counts.setText(
            f"应到 {len(m.expected)} 人（有表决权 {m.expected_voters}）　实到 {len(m.present)} 人"
            f"（有表决权 {m.present_voters}）　请假 {leave}　缺席 {absent}　列席 {obs}"
        )
        self.update_verdicts()

    def update_verdicts(self, *_a: Any) -> None:
        m = Meeting(
            attendance=self.attendance, kinds=[k for k, cb in self.kind_boxes.items() if cb.isChecked()]
        )
        for box in self.decisions:
            d = box.value()
            if box.is_blank():
                box.verdict.setText("填写决议内容和票数后显示能否通过；不填的决议不保存")
                box.verdict.setStyleSheet(f"color: {TEXT_MUTED};")
                continue
            if not d.has_vote:
                box.verdict.setText("未逐一表决（不计算票数）")
                box.verdict.setStyleSheet(f"color: {TEXT_MUTED};")
                continue
            v = m.verdict(d)
            text = v.summary + ("；" + "；".join(v.problems) if v.problems else "")
            box.verdict.setText(text)
            ok = v.quorum and v.passed and not v.problems
            box.verdict.setStyleSheet(f"color: {OK_GREEN if ok else ERROR_RED}; font-weight: bold;")

    def refill_attendance(self) -> None:
        d = self.date.value()
        kinds = [k for k, cb in self.kind_boxes.items() if cb.isChecked()]
        if d is None:
            show_error(self, "请先填写会议日期，再按日期带出名单。")
            return
        old = {a.member_id: a for a in self.attendance}
        fresh = meetings.expected_attendance(self.ledger, d, kinds, self.group.currentData())
        excluded = {x.member_id for x in self.excluded}
        self.attendance = []
        for a in fresh:
            if a.member_id in excluded:
                continue
            if a.member_id in old:
                a.status, a.reason = old[a.member_id].status, old[a.member_id].reason
            self.attendance.append(a)
        self.attendance += [
            a
            for a in old.values()
            if a.status == "observer" and a.member_id not in {x.member_id for x in self.attendance}
        ]
        self.mark_changed()
        self._show_attendance()

    def all_present(self) -> None:
        for a in self.attendance:
            if a.status != "observer":
                a.status, a.reason = "present", None
        self.mark_changed()
        self._show_attendance()

    def add_observer(self) -> None:
        listed = {a.member_id for a in self.attendance} | {x.member_id for x in self.excluded}
        people = [(i, n) for i, n in member_choices(self.ledger, self.date.value()) if i not in listed]
        if not people:
            show_error(self, "名单外已没有可添加的党员。外单位人员请写在“列席（外单位）”一栏。", "添加列席")
            return
        name, ok = QInputDialog.getItem(self, "添加列席党员", "选择党员：", [n for _, n in people], 0, False)
        if ok:
            mid = next(i for i, n in people if n == name)
            cat = meetings.category_on(self.ledger, mid, self.date.value() or clock.today())
            self.attendance.append(Attendance(mid, "observer", "列席", cat, name))
            self.mark_changed()
            self._show_attendance()

    def exclude_selected(self) -> None:
        row = self.att_table.currentRow()
        if not 0 <= row < len(self.attendance):
            show_error(self, "请先在名单中选中一人。", "不计入应到")
            return
        a = self.attendance[row]
        reason, ok = QInputDialog.getText(
            self,
            "不计入应到人数",
            f"{a.name}不计入应到人数的原因（按中组部解释：如因病不能表达意愿、自费出国半年以上等，须经上级党组织同意）：",
        )
        if ok and reason.strip():
            self.excluded.append(Exclusion(a.member_id, reason.strip(), a.name))
            del self.attendance[row]
            self.mark_changed()
            self._show_attendance()

    def clear_exclusions(self) -> None:
        self.excluded = []
        self.refill_attendance()

    def _follow_roster(self) -> None:
        """Kinds, date or 党小组 changed: 应到 follows (a 支委会 expects the 委员, a 党小组会 its group, on that
        date), keeping the statuses already set for people still expected."""
        if self.date.value() is None:
            return
        before = [(a.member_id, a.status) for a in self.attendance]
        self.refill_attendance()
        if [(a.member_id, a.status) for a in self.attendance] != before:
            self.section.ctx.status("出席名单已按会议类型和日期重新带出")
