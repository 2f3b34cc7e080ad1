"""The meeting editor: one record's form — kinds, date, time and place, host and recorder, 党小组, topic and
党课, 议题 with minutes and speeches, 决议 — and its actions: save (a draft as is; after 定稿 a dated
amendment with its reason), 定稿, delete a draft, and the 记录本 / 签到表 print presets. Attendance
(attendance.py) and the boxes shown after saving (after_save.py) are its two parts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import branch, meetings
from db import members as members_mod
from db.dates import fmt_zh
from db.errors import InputRefused
from db.meetings import AgendaItem, Attendance, Decision, Exclusion, Meeting
from db.rules import meetings as rules
from desktop.dialogs import confirm, show_error
from desktop.sections.meetings.after_save import AfterSavePart
from desktop.sections.meetings.agenda import AgendaItemBox, DecisionBox
from desktop.sections.meetings.attendance import AttendancePart
from desktop.sections.meetings.controllers import member_choices
from desktop.widgets import AdaptiveRow, DateField, FlowLayout, primary_button

if TYPE_CHECKING:
    from desktop.sections.meetings.section import MeetingsSection


# Below this width the meeting's fields take two pairs a row instead of three.
WIDE_FORM = 900


class MeetingEditor(AttendancePart, AfterSavePart):
    """One meeting. Draft: saved as is; after 定稿 a save asks for the reason and becomes a dated amendment."""

    def __init__(self, section: MeetingsSection) -> None:
        super().__init__()
        self.section = section
        self.meeting = Meeting()
        self.dirty = False
        self.after_create: Any = None  # set by MeetingsSection.start_prefilled
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        back = QPushButton("← 返回会议列表")
        back.clicked.connect(section.back_to_list)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 12.5pt; font-weight: bold;")
        self.state = QLabel()
        self.state.setObjectName("SectionHint")
        self.save_btn = primary_button("保存（Ctrl+S）")
        self.save_btn.clicked.connect(self.save)
        self.final_btn = QPushButton("定稿")
        self.final_btn.clicked.connect(self.finalize)
        self.print_btn = QPushButton("打印记录本页…")
        self.print_btn.clicked.connect(lambda: self.print_template("meeting-record"))
        self.sign_btn = QPushButton("打印签到表…")
        self.sign_btn.clicked.connect(lambda: self.print_template("sign-in"))
        self.delete_btn = QPushButton("删除草稿")
        self.delete_btn.clicked.connect(self.delete)
        # the title part and the buttons on one line when they fit; on a narrow window the buttons move to a
        # line of their own so that the heading and the status line are never cut
        left = QWidget()
        lh = QHBoxLayout(left)
        lh.setContentsMargins(0, 0, 0, 0)
        lh.addWidget(back, 0, Qt.AlignmentFlag.AlignTop)
        lh.addSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.heading)
        titles.addWidget(self.state)
        self.heading.setWordWrap(True)
        self.state.setWordWrap(True)
        lh.addLayout(titles, 1)
        right = QWidget()
        rh = QHBoxLayout(right)
        rh.setContentsMargins(0, 0, 0, 0)
        for b in (self.delete_btn, self.sign_btn, self.print_btn, self.final_btn, self.save_btn):
            rh.addWidget(b)
        self.bar = AdaptiveRow(left, right, wanted=lambda: self._title_width(back))
        bar.addWidget(self.bar)
        outer.addLayout(bar)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        # -- kinds and header fields
        basics = QGroupBox("会议信息")
        form = QGridLayout(basics)
        kinds_row = FlowLayout(h_spacing=14)
        self.kind_boxes: dict[str, QCheckBox] = {}
        for k in rules.KINDS:
            cb = QCheckBox(rules.KIND_SHORT[k])
            cb.toggled.connect(self._kinds_changed)
            self.kind_boxes[k] = cb
            kinds_row.addWidget(cb)
        self.date = DateField(required=True)
        self.date.changed.connect(self._date_changed)
        self.start = QLineEdit()
        self.start.setPlaceholderText("14:30")
        self.end = QLineEdit()
        self.end.setPlaceholderText("16:00")
        self.place = QLineEdit()
        self.host = QComboBox()
        self.recorder = QComboBox()
        self.group = QComboBox()
        self.group.currentIndexChanged.connect(self._group_changed)
        self.topic = QLineEdit()
        self.topic.setPlaceholderText("会议主题")
        self.lecturer = QLineEdit()
        self.lecture_title = QLineEdit()
        self.observers = QLineEdit()
        self.observers.setPlaceholderText("非本支部的列席人员，如：园区党委组织员 陈某")
        times = QHBoxLayout()
        times.setContentsMargins(0, 0, 0, 0)
        times.addWidget(self.start)
        times.addWidget(QLabel("至"))
        times.addWidget(self.end)
        self.times = QWidget()
        self.times.setLayout(times)
        kinds = QWidget()
        kinds.setLayout(kinds_row)
        self.form = form
        # (label, field, narrow: takes the whole row on a narrow window, wide: spans the row on a wide one)
        self.fields = [
            (QLabel("会议类型（可多选）"), kinds),
            (QLabel("日期"), self.date),
            (QLabel("时间"), self.times),
            (QLabel("地点"), self.place),
            (QLabel("主持人"), self.host),
            (QLabel("记录人"), self.recorder),
            (QLabel("党小组"), self.group),
            (QLabel("主题"), self.topic),
            (QLabel("授课人"), self.lecturer),
            (QLabel("党课题目"), self.lecture_title),
            (QLabel("列席（外单位）"), self.observers),
        ]
        self.wide_form: bool | None = None
        self._place_fields(True)
        self.body.addWidget(basics)
        for w in (
            self.start,
            self.end,
            self.place,
            self.topic,
            self.lecturer,
            self.lecture_title,
            self.observers,
        ):
            w.textChanged.connect(self.mark_changed)
        for c in (self.host, self.recorder):
            c.currentIndexChanged.connect(self.mark_changed)

        # -- attendance
        self._build_attendance()

        # -- agenda
        ag = QGroupBox("议题及讨论")
        self.agenda_lay = QVBoxLayout(ag)
        self.items: list[AgendaItemBox] = []
        add_item = QPushButton("添加议题")
        add_item.clicked.connect(lambda: self.add_item(None))
        self.agenda_lay.addWidget(add_item, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(ag)
        texts = QGroupBox("会议内容与遗留问题")
        tl = QFormLayout(texts)
        self.minutes = QPlainTextEdit()
        self.minutes.setPlaceholderText("传达、报告、学习的内容概要")
        self.minutes.setFixedHeight(80)
        self.leftover = QPlainTextEdit()
        self.leftover.setFixedHeight(48)
        tl.addRow("会议内容", self.minutes)
        tl.addRow("遗留问题", self.leftover)
        self.minutes.textChanged.connect(self.mark_changed)
        self.leftover.textChanged.connect(self.mark_changed)
        self.body.addWidget(texts)

        # -- decisions
        dg = QGroupBox("决议及表决（到会和通过按应到会有表决权党员计算）")
        self.dec_lay = QVBoxLayout(dg)
        self.decisions: list[DecisionBox] = []
        add_dec = QPushButton("添加决议")
        add_dec.clicked.connect(lambda: self.add_decision(None))
        self.dec_lay.addWidget(add_dec, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(dg)

        # -- after saving: 补学, amendments, attachments
        self._build_after_save()
        self.body.addStretch(1)

    # -- fitting the width
    def _title_width(self, back: QPushButton) -> int:
        """The back button and the heading and status line each on one line."""
        self.heading.ensurePolished()
        self.state.ensurePolished()
        text = max(
            self.heading.fontMetrics().horizontalAdvance(self.heading.text()),
            self.state.fontMetrics().horizontalAdvance(self.state.text()),
        )
        return back.sizeHint().width() + 12 + text + 8

    def _place_fields(self, wide: bool) -> None:
        """Three label/field pairs a row on a wide window, two on a narrow one (地点 was cut off at 125%)."""
        if wide == self.wide_form:
            return
        self.wide_form = wide
        form = self.form
        for label, field in self.fields:
            form.removeWidget(label)
            form.removeWidget(field)
        names = [label.text() for label, _f in self.fields]
        at = dict(zip(names, self.fields, strict=True))
        if wide:
            rows = [
                [("会议类型（可多选）", 5)],
                [("日期", 1), ("时间", 1), ("地点", 1)],
                [("主持人", 1), ("记录人", 1), ("党小组", 1)],
                [("主题", 5)],
                [("授课人", 1), ("党课题目", 3)],
                [("列席（外单位）", 5)],
            ]
        else:
            rows = [
                [("会议类型（可多选）", 3)],
                [("日期", 1), ("时间", 1)],
                [("地点", 1), ("党小组", 1)],
                [("主持人", 1), ("记录人", 1)],
                [("主题", 3)],
                [("授课人", 1), ("党课题目", 1)],
                [("列席（外单位）", 3)],
            ]
        for r, row in enumerate(rows):
            col = 0
            for name, span in row:
                label, field = at[name]
                form.addWidget(label, r, col)
                form.addWidget(field, r, col + 1, 1, span)
                col += 1 + span
        for c in range(6):
            form.setColumnStretch(c, 1 if c in ((1, 3, 5) if wide else (1, 3)) else 0)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_fields(self.width() >= WIDE_FORM)

    # -- helpers
    def _fill_people(self, combo: QComboBox, chosen: int | None, on: dt.date | None) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("（未填）", None)
        people = member_choices(self.ledger, on)
        if chosen is not None and chosen not in {i for i, _ in people}:
            people.append((chosen, self.meeting.name_of(chosen) or members_mod.get(self.ledger, chosen).name))
        for i, name in people:
            combo.addItem(name, i)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)

    def name_map(self) -> dict[str, int]:
        return {name: i for i, name in member_choices(self.ledger, self.date.value())}

    # -- loading
    def load(self, m: Meeting) -> None:
        self._loading = True
        self.meeting = m
        if not m.names:
            m.names = members_mod.names(self.ledger)
        for k, cb in self.kind_boxes.items():
            cb.blockSignals(True)
            cb.setChecked(k in m.kinds)
            cb.blockSignals(False)
        self.date.set_value(m.date)
        self.start.setText(m.start_time or "")
        self.end.setText(m.end_time or "")
        self.place.setText(m.place or "")
        self._fill_people(self.host, m.host_id, m.date)
        self._fill_people(self.recorder, m.recorder_id, m.date)
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("（不属于党小组会）", None)
        for g in branch.list_groups(self.ledger):
            self.group.addItem(g.name, g.id)
        self.group.setCurrentIndex(max(0, self.group.findData(m.group_id)))
        self.group.blockSignals(False)
        self.topic.setText(m.topic or "")
        self.lecturer.setText(m.lecturer or "")
        self.lecture_title.setText(m.lecture_title or "")
        self.observers.setText(m.observers or "")
        self.minutes.setPlainText(m.minutes or "")
        self.leftover.setPlainText(m.leftover or "")
        self.attendance = [
            Attendance(
                a.member_id, a.status, a.reason, a.category, a.name or m.name_of(a.member_id), a.no_vote
            )
            for a in m.attendance
        ]
        self.excluded = [
            Exclusion(x.member_id, x.reason, x.name or m.name_of(x.member_id)) for x in m.excluded
        ]
        self._show_attendance()
        for box in list(self.items):
            self.remove_item(box)
        for it in m.agenda:
            self.add_item(it)
        for dbox in list(self.decisions):
            self.remove_decision(dbox)
        for d in m.decisions:
            self.add_decision(d)
        self._show_after_save(m)
        self._kinds_changed()
        self._update_heading()
        self._loading = False
        self.dirty = False

    def _update_heading(self) -> None:
        m = self.meeting
        self.heading.setText("新建会议记录" if m.id is None else f"{fmt_zh(m.date)} {m.kinds_label}")
        late = int(self.ledger.setting("late_entry_days") or 30)
        if m.id is None:
            self.state.setText("草稿，尚未保存")
        elif m.is_paper:
            counts = "、".join(
                f"{label} {n} 人"
                for label, n in (("应到", m.expected_count), ("实到", m.present_count))
                if n is not None
            )
            self.state.setText(
                f"{meetings.PAPER_LABEL}"
                + (f"：{counts}" if counts else "")
                + "。只计入三会一课的次数，不是完整的会议记录，以纸质记录本为准"
            )
        elif m.is_final:
            self.state.setText(f"已于{fmt_zh(m.finalized_on)}定稿；再修改会作为更正记录保存（写明原因）")
        else:
            self.state.setText("草稿：核对无误后请“定稿”" + ("；补记" if m.late(late) else ""))
        saved = m.id is not None
        self.final_btn.setEnabled(saved and not m.is_final and not m.is_paper)
        self.delete_btn.setVisible(saved and not m.is_final)
        self.print_btn.setEnabled(saved and not m.is_paper)  # never presented as minutes
        self.sign_btn.setEnabled(saved and not m.is_paper)

    def current_meeting(self) -> Meeting:
        m = self.meeting
        names = self.name_map()
        return Meeting(
            id=m.id,
            kinds=[k for k, cb in self.kind_boxes.items() if cb.isChecked()],
            date=self.date.value(),
            start_time=self.start.text().strip() or None,
            end_time=self.end.text().strip() or None,
            place=self.place.text(),
            host_id=self.host.currentData(),
            recorder_id=self.recorder.currentData(),
            group_id=self.group.currentData(),
            topic=self.topic.text(),
            lecturer=self.lecturer.text(),
            lecture_title=self.lecture_title.text(),
            minutes=self.minutes.toPlainText(),
            leftover=self.leftover.toPlainText(),
            observers=self.observers.text(),
            notes=m.notes,
            agenda=[b.value(names) for b in self.items if not b.is_blank()],
            decisions=[b.value() for b in self.decisions if not b.is_blank()],
            attendance=[
                Attendance(a.member_id, a.status, a.reason, a.category, a.name, a.no_vote)
                for a in self.attendance
            ],
            excluded=list(self.excluded),
            entered_on=m.entered_on,
            finalized_on=m.finalized_on,
            source=m.source,
            expected_count=m.expected_count,
            present_count=m.present_count,
            names=m.names,
        )

    # -- kinds, date, group
    def _kinds_changed(self, *_a: Any) -> None:
        kinds = [k for k, cb in self.kind_boxes.items() if cb.isChecked()]
        self.group.setEnabled("group" in kinds)
        self.lecturer.setEnabled("lecture" in kinds)
        self.lecture_title.setEnabled("lecture" in kinds)
        if not self._loading:
            self._follow_roster()
            if self.meeting.id is None and not self.decisions and any(k in rules.VOTING_KINDS for k in kinds):
                self.add_decision(None)
        self.mark_changed()
        self.update_verdicts()

    def _date_changed(self) -> None:
        if self._loading:
            return
        d = self.date.value()
        if d is not None:
            self._fill_people(self.host, self.host.currentData(), d)
            self._fill_people(self.recorder, self.recorder.currentData(), d)
            self._follow_roster()
        self.mark_changed()

    def _group_changed(self, *_a: Any) -> None:
        if not self._loading:
            self._follow_roster()
        self.mark_changed()

    # -- agenda and decisions
    def start_blank(self) -> None:
        """A new record opens with one empty 议题 and, for a 支委会/党员大会, one empty 决议 to type into
        (left empty, they are not saved)."""
        self._loading = True
        self.add_item(None)
        if any(k in rules.VOTING_KINDS for k in self.meeting.kinds):
            self.add_decision(None)
        self._loading = False
        self.dirty = False

    def add_item(self, item: AgendaItem | None) -> AgendaItemBox:
        box = AgendaItemBox(self, item)
        self.items.append(box)
        self.agenda_lay.insertWidget(self.agenda_lay.count() - 1, box)
        self.mark_changed()
        return box

    def remove_item(self, box: AgendaItemBox) -> None:
        self.items.remove(box)
        box.setParent(None)
        box.deleteLater()
        self.mark_changed()

    def add_decision(self, d: Decision | None) -> DecisionBox:
        box = DecisionBox(self, d)
        self.decisions.append(box)
        self.dec_lay.insertWidget(self.dec_lay.count() - 1, box)
        self.update_verdicts()
        self.mark_changed()
        return box

    def remove_decision(self, box: DecisionBox) -> None:
        self.decisions.remove(box)
        box.setParent(None)
        box.deleteLater()
        self.mark_changed()

    # -- actions
    def save(self) -> bool:
        """Save the form; returns False when refused or cancelled."""
        m = self.current_meeting()
        if self.date.error():
            show_error(self, f"会议日期：{self.date.error()}")
            return False
        try:
            if m.id is None:
                mid = meetings.create_meeting(self.ledger, m)
                hook, self.after_create = self.after_create, None
                if hook is not None:
                    hook(mid)
            elif self.meeting.is_final:
                if not self.dirty:
                    return True
                reason, ok = QInputDialog.getText(
                    self, "更正已定稿的记录", "这份记录已定稿。请写明更正原因（原记录会保留在更正记录中）："
                )
                if not ok:
                    return False
                meetings.amend_meeting(self.ledger, m, reason)
                mid = m.id
            else:
                meetings.update_meeting(self.ledger, m)
                mid = m.id
        except InputRefused as e:
            show_error(self, e)
            return False
        self.load(meetings.get_meeting(self.ledger, mid))
        self.section.ctx.status("会议记录已保存")
        return True

    def finalize(self) -> None:
        if self.dirty and not self.save():
            return
        if self.meeting.id is None:
            return
        if not confirm(
            self,
            "定稿",
            "定稿后，这份记录的修改都会作为带日期的更正记录保存，原记录保留。确定定稿吗？",
            "定稿",
        ):
            return
        try:
            meetings.finalize_meeting(self.ledger, self.meeting.id)
        except InputRefused as e:
            show_error(self, e, "暂不能定稿")
            return
        self.load(meetings.get_meeting(self.ledger, self.meeting.id))
        self.section.ctx.status("已定稿")

    def delete(self) -> None:
        if self.meeting.id is None:
            return
        if not confirm(self, "删除草稿", "删除这份草稿记录？（可在“操作记录”中撤销）", "删除", danger=True):
            return
        try:
            meetings.delete_meeting(self.ledger, self.meeting.id)
        except InputRefused as e:
            show_error(self, e)
            return
        self.dirty = False
        self.section.back_to_list()

    def print_template(self, key: str) -> None:
        if (self.dirty or self.meeting.id is None) and not self.save():
            return
        from exports.registry import Params

        self.section.ctx.window.export_dialog(key, Params(meeting_id=self.meeting.id))
