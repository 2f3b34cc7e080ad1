"""三会一课: the year's cadence (months × kinds, each cell held / missing / due / not required; a click opens or
creates the meeting), the meeting list with search as you type (matches highlighted), and the meeting editor —
kinds, time and place, host and recorder, attendance pre-filled from the roster as of the meeting date, 议题 with
minutes, decisions with the quorum and pass verdict computed while the vote is typed, 定稿 and dated
amendments, 补学, attachments, and the 记录本 / 签到表 print-outs. Plans (date, topic) feed the reminders."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import branch, clock, meetings
from db import members as members_mod
from db.dates import fmt_zh
from db.errors import InputRefused
from db.meetings import AgendaItem, Attendance, Decision, Exclusion, Meeting, Speech
from db.rules import meetings as rules
from desktop.dialogs import confirm, show_error
from desktop.models import Col, RowModel
from desktop.sections import Section
from desktop.style import ERROR_RED, OK_GREEN, TEXT_MUTED, WARN_AMBER
from desktop.widgets import DateField, EmptyState, SearchBox, SectionHeader, Table, primary_button

STATE_COLORS = {
    rules.HELD: "#DDEFDD",
    rules.MISSING: "#F8D7D7",
    rules.DUE: "#FFF0C8",
    rules.NOT_REQUIRED: "#EEEEEE",
    rules.FUTURE: "#FFFFFF",
}
STATUS_ORDER = ("present", "leave", "absent", "observer")
HIGHLIGHT = "#FFE082"


# ------------------------------------------------------------------------------------------ controllers


def member_choices(ledger: Any, on: dt.date | None) -> list[tuple[int, str]]:
    """People to pick as host/recorder/speaker: the roster on the meeting date (everyone if no date)."""
    if on is None:
        return [(m.id, m.name) for m in members_mod.list_members(ledger, include_inactive=False) if m.id]
    return [(r.id, r.name) for r in members_mod.roster_on(ledger, on)]


def new_meeting_for(ledger: Any, kinds: list[str], on: dt.date, group_id: int | None = None) -> Meeting:
    """A new record with the attendance of that date pre-filled and the usual host/recorder."""
    m = Meeting(kinds=list(kinds), date=on, group_id=group_id)
    m.attendance = meetings.expected_attendance(ledger, on, m.kinds, group_id)
    if "group" in kinds and group_id is not None:
        g = next((g for g in branch.list_groups(ledger) if g.id == group_id), None)
        m.host_id = g.leader_id if g else None
    else:
        m.host_id = branch.secretary_on(ledger, on)
        t = branch.term_on(ledger, on)
        if t:
            m.recorder_id = next((s.member_id for s in t.seats_on(on) if s.role == "organization"), None)
    return m


def parse_speeches(text: str, names: dict[str, int]) -> list[Speech]:
    """One line per speaker, "姓名：要点"; a name on the roster is linked, anyone else is kept by name."""
    out: list[Speech] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in ("：", ":"):
            if sep in line:
                who, gist = line.split(sep, 1)
                who = who.strip()
                if who in names:
                    out.append(Speech(gist.strip(), speaker_id=names[who]))
                else:
                    out.append(Speech(gist.strip(), speaker_name=who or None))
                break
        else:
            out.append(Speech(line))
    return out


def speeches_text(m: Meeting, item: AgendaItem) -> str:
    return "\n".join(
        f"{s.speaker_name or m.name_of(s.speaker_id)}：{s.gist}"
        if (s.speaker_name or s.speaker_id)
        else s.gist
        for s in item.speeches
    )


def highlight_html(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out, pos = [], 0
    for start, length in spans:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<span style="background:{HIGHLIGHT}">{html.escape(text[start : start + length])}</span>')
        pos = start + length
    out.append(html.escape(text[pos:]))
    return "".join(out)


def cell_for(period: rules.Period, today: dt.date) -> dt.date:
    """The date a new meeting for a cadence cell starts with: today inside the period, else its last day."""
    return today if period.contains(today) else period.end


# ------------------------------------------------------------------------------------------ small dialogs


class MakeupDialog(QDialog):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"登记补学：{name}")
        lay = QFormLayout(self)
        self.date = DateField(required=True)
        self.date.set_value(clock.today())
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：自学会议材料并向支部书记汇报心得")
        lay.addRow("补学日期", self.date)
        lay.addRow("说明", self.note)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        lay.addRow(bb)


class PlansDialog(QDialog):
    """会议计划: a date, the kinds and a topic; the reminders (M11) name the planned date."""

    def __init__(self, ledger: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.setWindowTitle("会议计划")
        self.resize(640, 420)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("计划好的会议会出现在工作台的提醒中；开过会后，计划可以删除。"))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["日期", "类型", "主题"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        lay.addWidget(self.table, 1)
        form = QHBoxLayout()
        self.date = DateField(required=True)
        self.kind = QComboBox()
        for k in rules.KINDS:
            self.kind.addItem(rules.KIND_LABELS[k], k)
        self.topic = QLineEdit()
        self.topic.setPlaceholderText("主题")
        add = primary_button("添加计划")
        add.clicked.connect(self.add)
        form.addWidget(self.date)
        form.addWidget(self.kind)
        form.addWidget(self.topic, 1)
        form.addWidget(add)
        lay.addLayout(form)
        row = QHBoxLayout()
        rm = QPushButton("删除所选计划")
        rm.clicked.connect(self.remove)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row.addWidget(rm)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.load()

    def load(self) -> None:
        self.plans = meetings.list_plans(self.ledger)
        self.table.setRowCount(len(self.plans))
        for i, p in enumerate(self.plans):
            for j, text in enumerate((fmt_zh(p.date), p.kinds_label, p.topic or "")):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def add(self) -> None:
        try:
            meetings.save_plan(
                self.ledger,
                meetings.PlannedMeeting(
                    date=self.date.value(), kinds=[self.kind.currentData()], topic=self.topic.text()
                ),
            )
        except InputRefused as e:
            show_error(self, e)
            return
        self.topic.clear()
        self.load()

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.plans) and self.plans[row].id is not None:
            meetings.delete_plan(self.ledger, int(self.plans[row].id or 0))
            self.load()


# ------------------------------------------------------------------------------------------ editor parts


class AgendaItemBox(QGroupBox):
    def __init__(self, editor: MeetingEditor, item: AgendaItem | None = None) -> None:
        super().__init__()
        self.editor = editor
        lay = QGridLayout(self)
        self.title_edit = QLineEdit(item.title if item else "")
        self.title_edit.setPlaceholderText("议题")
        self.minutes = QPlainTextEdit(item.minutes or "" if item else "")
        self.minutes.setPlaceholderText("讨论情况")
        self.minutes.setFixedHeight(60)
        self.speeches = QPlainTextEdit(speeches_text(editor.meeting, item) if item else "")
        self.speeches.setPlaceholderText("发言要点，每人一行，如：张三：同意，建议结合研发项目落实")
        self.speeches.setFixedHeight(72)
        rm = QPushButton("删除议题")
        rm.clicked.connect(lambda: editor.remove_item(self))
        lay.addWidget(QLabel("议题"), 0, 0)
        lay.addWidget(self.title_edit, 0, 1)
        lay.addWidget(rm, 0, 2)
        lay.addWidget(QLabel("讨论情况"), 1, 0)
        lay.addWidget(self.minutes, 1, 1, 1, 2)
        lay.addWidget(QLabel("发言要点"), 2, 0)
        lay.addWidget(self.speeches, 2, 1, 1, 2)
        for w in (self.title_edit,):
            w.textChanged.connect(editor.mark_changed)
        self.minutes.textChanged.connect(editor.mark_changed)
        self.speeches.textChanged.connect(editor.mark_changed)

    def is_blank(self) -> bool:
        """Nothing typed (the empty 议题 a new record starts with is not saved)."""
        return not any(
            w.strip()
            for w in (self.title_edit.text(), self.minutes.toPlainText(), self.speeches.toPlainText())
        )

    def value(self, names: dict[str, int]) -> AgendaItem:
        return AgendaItem(
            self.title_edit.text().strip(),
            self.minutes.toPlainText().strip() or None,
            parse_speeches(self.speeches.toPlainText(), names),
        )


class DecisionBox(QGroupBox):
    def __init__(self, editor: MeetingEditor, d: Decision | None = None) -> None:
        super().__init__()
        self.editor = editor
        lay = QGridLayout(self)
        self.text = QLineEdit(d.text if d else "")
        self.text.setPlaceholderText("决议/决定内容，如：同意确定某某为发展对象")
        self.method = QComboBox()
        for code, label in rules.METHOD_LABELS.items():
            self.method.addItem(label, code)
        if d and d.method:
            self.method.setCurrentIndex(max(0, self.method.findData(d.method)))
        self.spins: dict[str, QSpinBox] = {}
        row = QHBoxLayout()
        for key, label in (
            ("yes", "赞成"),
            ("no", "反对"),
            ("abstain", "弃权"),
            ("written", "书面意见（赞成）"),
        ):
            sp = QSpinBox()
            sp.setRange(0, 999)
            sp.setValue(int(getattr(d, key) or 0) if d else 0)
            sp.valueChanged.connect(editor.update_verdicts)
            sp.valueChanged.connect(editor.mark_changed)
            self.spins[key] = sp
            row.addWidget(QLabel(label))
            row.addWidget(sp)
        self.all_yes = QPushButton("全体赞成")
        self.all_yes.setToolTip("赞成票 = 到会的有表决权党员人数，反对、弃权、书面意见为 0")
        self.all_yes.clicked.connect(self.set_all_yes)
        row.addWidget(self.all_yes)
        row.addStretch(1)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        rm = QPushButton("删除决议")
        rm.clicked.connect(lambda: editor.remove_decision(self))
        lay.addWidget(QLabel("决议"), 0, 0)
        lay.addWidget(self.text, 0, 1)
        lay.addWidget(self.method, 0, 2)
        lay.addWidget(rm, 0, 3)
        lay.addLayout(row, 1, 1, 1, 3)
        lay.addWidget(self.verdict, 2, 1, 1, 3)
        self.text.textChanged.connect(editor.mark_changed)
        self.method.currentIndexChanged.connect(editor.update_verdicts)
        self.method.currentIndexChanged.connect(editor.mark_changed)
        self.method.currentIndexChanged.connect(self._method_changed)
        self._method_changed()

    def _method_changed(self, *_a: Any) -> None:
        voting = self.method.currentData() != "consensus"
        for sp in self.spins.values():
            sp.setEnabled(voting)
        self.all_yes.setEnabled(voting)

    def set_all_yes(self) -> None:
        """Everyone with a vote who is present votes 赞成 (the usual outcome, one click)."""
        voters = sum(1 for a in self.editor.attendance if a.status == "present" and a.can_vote)
        for key, v in (("no", 0), ("abstain", 0), ("written", 0), ("yes", voters)):
            self.spins[key].setValue(v)

    def is_blank(self) -> bool:
        """Nothing typed (the empty 决议 a new 支委会/党员大会 starts with is not saved)."""
        return not self.text.text().strip() and not any(sp.value() for sp in self.spins.values())

    def value(self) -> Decision:
        method = self.method.currentData()
        if method == "consensus":
            return Decision(self.text.text().strip(), method)
        return Decision(
            self.text.text().strip(),
            method,
            self.spins["yes"].value(),
            self.spins["no"].value(),
            self.spins["abstain"].value(),
            self.spins["written"].value(),
        )


# ------------------------------------------------------------------------------------------ the editor


class MeetingEditor(QWidget):
    """One meeting. Draft: saved as is; after 定稿 a save asks for the reason and becomes a dated amendment."""

    def __init__(self, section: MeetingsSection) -> None:
        super().__init__()
        self.section = section
        self.meeting = Meeting()
        self.dirty = False
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
        bar.addWidget(back)
        bar.addSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.heading)
        titles.addWidget(self.state)
        self.state.setWordWrap(True)
        bar.addLayout(titles, 1)
        for b in (self.delete_btn, self.sign_btn, self.print_btn, self.final_btn, self.save_btn):
            bar.addWidget(b)
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
        kinds_row = QHBoxLayout()
        self.kind_boxes: dict[str, QCheckBox] = {}
        for k in rules.KINDS:
            cb = QCheckBox(rules.KIND_SHORT[k])
            cb.toggled.connect(self._kinds_changed)
            self.kind_boxes[k] = cb
            kinds_row.addWidget(cb)
        kinds_row.addStretch(1)
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
        form.addWidget(QLabel("会议类型（可多选）"), 0, 0)
        form.addLayout(kinds_row, 0, 1, 1, 5)
        form.addWidget(QLabel("日期"), 1, 0)
        form.addWidget(self.date, 1, 1)
        form.addWidget(QLabel("时间"), 1, 2)
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QLabel("至"))
        times.addWidget(self.end)
        form.addLayout(times, 1, 3)
        form.addWidget(QLabel("地点"), 1, 4)
        form.addWidget(self.place, 1, 5)
        form.addWidget(QLabel("主持人"), 2, 0)
        form.addWidget(self.host, 2, 1)
        form.addWidget(QLabel("记录人"), 2, 2)
        form.addWidget(self.recorder, 2, 3)
        form.addWidget(QLabel("党小组"), 2, 4)
        form.addWidget(self.group, 2, 5)
        form.addWidget(QLabel("主题"), 3, 0)
        form.addWidget(self.topic, 3, 1, 1, 5)
        form.addWidget(QLabel("授课人"), 4, 0)
        form.addWidget(self.lecturer, 4, 1)
        form.addWidget(QLabel("党课题目"), 4, 2)
        form.addWidget(self.lecture_title, 4, 3, 1, 3)
        form.addWidget(QLabel("列席（外单位）"), 5, 0)
        form.addWidget(self.observers, 5, 1, 1, 5)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        form.setColumnStretch(5, 1)
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
        self.makeup_box = QGroupBox("补学（请假、缺席的同志）")
        ml = QVBoxLayout(self.makeup_box)
        self.makeup_table = QTableWidget(0, 3)
        self.makeup_table.setHorizontalHeaderLabels(["姓名", "补学日期", "说明"])
        self.makeup_table.verticalHeader().setVisible(False)
        self.makeup_table.horizontalHeader().setStretchLastSection(True)
        self.makeup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.makeup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.makeup_table.setMinimumHeight(110)
        self.makeup_table.setMaximumHeight(180)
        ml.addWidget(self.makeup_table)
        tick = QPushButton("登记所选补学…")
        tick.clicked.connect(self.record_makeup)
        ml.addWidget(tick, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.makeup_box)

        self.amend_box = QGroupBox("定稿后的更正记录（原记录保留）")
        aml = QVBoxLayout(self.amend_box)
        self.amend_table = QTableWidget(0, 5)
        self.amend_table.setHorizontalHeaderLabels(["日期", "项目", "原记录", "更正为", "原因"])
        self.amend_table.verticalHeader().setVisible(False)
        self.amend_table.horizontalHeader().setStretchLastSection(True)
        self.amend_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.amend_table.setMinimumHeight(90)
        self.amend_table.setMaximumHeight(160)
        aml.addWidget(self.amend_table)
        self.body.addWidget(self.amend_box)

        self.att_box = QGroupBox("附件（照片、签到表扫描件，保存在台账文件中）")
        atl = QVBoxLayout(self.att_box)
        self.files = QListWidget()
        self.files.setViewMode(QListWidget.ViewMode.IconMode)
        self.files.setIconSize(QSize(120, 90))
        self.files.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.files.setFixedHeight(150)
        self.files.itemDoubleClicked.connect(lambda _i: self.open_attachment())
        atl.addWidget(self.files)
        frow = QHBoxLayout()
        for text, fn in (
            ("添加照片…", lambda: self.add_attachment("photo")),
            ("添加签到表扫描件…", lambda: self.add_attachment("sign_in")),
            ("打开", self.open_attachment),
            ("删除所选附件", self.remove_attachment),
        ):
            b = QPushButton(text)
            b.clicked.connect(fn)
            frow.addWidget(b)
        frow.addStretch(1)
        atl.addLayout(frow)
        self.body.addWidget(self.att_box)
        self.body.addStretch(1)

    # -- helpers
    @property
    def ledger(self) -> Any:
        return self.section.ledger

    def mark_changed(self, *_a: Any) -> None:
        if not self._loading:
            self.dirty = True

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
            Attendance(a.member_id, a.status, a.reason, a.category, a.name or m.name_of(a.member_id))
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
        elif m.is_final:
            self.state.setText(f"已于{fmt_zh(m.finalized_on)}定稿；再修改会作为更正记录保存（写明原因）")
        else:
            self.state.setText("草稿：核对无误后请“定稿”" + ("；补记" if m.late(late) else ""))
        saved = m.id is not None
        self.final_btn.setEnabled(saved and not m.is_final)
        self.delete_btn.setVisible(saved and not m.is_final)
        self.print_btn.setEnabled(saved)
        self.sign_btn.setEnabled(saved)

    def _show_after_save(self, m: Meeting) -> None:
        self.makeup_box.setVisible(bool(m.makeups))
        self.makeup_table.setRowCount(len(m.makeups))
        for i, k in enumerate(m.makeups):
            for j, text in enumerate((k.name, fmt_zh(k.done_on) if k.done_on else "未补学", k.note or "")):
                it = QTableWidgetItem(text)
                if j == 1 and not k.done_on:
                    it.setForeground(QBrush(QColor(WARN_AMBER)))
                self.makeup_table.setItem(i, j, it)
        self.amend_box.setVisible(bool(m.amendments))
        self.amend_table.setRowCount(len(m.amendments))
        for i, a in enumerate(m.amendments):
            for j, text in enumerate(
                (fmt_zh(a.amended_on), a.field_label, a.before or "", a.after or "", a.reason)
            ):
                self.amend_table.setItem(i, j, QTableWidgetItem(text))
        self.att_box.setVisible(m.id is not None)
        self.files.clear()
        for att in m.attachments:
            item = QListWidgetItem(f"{att.kind_label}\n{att.name}")
            item.setData(Qt.ItemDataRole.UserRole, att.id)
            if att.thumbnail:
                pm = QPixmap()
                pm.loadFromData(att.thumbnail)
                item.setIcon(QIcon(pm))
            self.files.addItem(item)

    # -- attendance
    def _show_attendance(self) -> None:
        t = self.att_table
        t.blockSignals(True)
        t.setRowCount(len(self.attendance))
        for i, a in enumerate(self.attendance):
            name = QTableWidgetItem(a.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            cat = QTableWidgetItem("正式党员" if a.can_vote else "预备党员（无表决权）")
            cat.setFlags(cat.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if not a.can_vote:
                cat.setForeground(QBrush(QColor(TEXT_MUTED)))
            t.setItem(i, 0, name)
            t.setItem(i, 1, cat)
            combo = QComboBox()
            for s in STATUS_ORDER:
                combo.addItem(rules.STATUS_LABELS[s], s)
            combo.setCurrentIndex(STATUS_ORDER.index(a.status))
            combo.currentIndexChanged.connect(
                lambda _i, row=i, c=combo: self._status_changed(row, c.currentData())
            )
            t.setCellWidget(i, 2, combo)
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
                Attendance(a.member_id, a.status, a.reason, a.category, a.name) for a in self.attendance
            ],
            excluded=list(self.excluded),
            entered_on=m.entered_on,
            finalized_on=m.finalized_on,
            names=m.names,
        )

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

    def _follow_roster(self) -> None:
        """Kinds, date or 党小组 changed: 应到 follows (a 支委会 expects the 委员, a 党小组会 its group, on that
        date), keeping the statuses already set for people still expected."""
        if self.date.value() is None:
            return
        before = [(a.member_id, a.status) for a in self.attendance]
        self.refill_attendance()
        if [(a.member_id, a.status) for a in self.attendance] != before:
            self.section.ctx.status("出席名单已按会议类型和日期重新带出")

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

    def record_makeup(self) -> None:
        row = self.makeup_table.currentRow()
        if not 0 <= row < len(self.meeting.makeups):
            show_error(self, "请先选中一位需要补学的同志。", "登记补学")
            return
        k = self.meeting.makeups[row]
        dlg = MakeupDialog(k.name, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            meetings.record_makeup(self.ledger, k.id, dlg.date.value(), dlg.note.text())
        except InputRefused as e:
            show_error(self, e)
            return
        self._reload_keep_edits()

    def _reload_keep_edits(self) -> None:
        if self.meeting.id is None:
            return
        fresh = meetings.get_meeting(self.ledger, self.meeting.id)
        if self.dirty:  # keep what is typed; refresh only the saved-side lists
            self.meeting.makeups, self.meeting.attachments = fresh.makeups, fresh.attachments
            self._show_after_save(self.meeting)
        else:
            self.load(fresh)

    def add_attachment(self, kind: str) -> None:
        if self.meeting.id is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "选择附件",
            str(Path.home()),
            "图片或扫描件 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.pdf);;所有文件 (*)",
        )
        for p in paths:
            try:
                meetings.add_attachment(
                    self.ledger, self.meeting.id, Path(p).name, Path(p).read_bytes(), kind
                )
            except (InputRefused, OSError) as e:
                show_error(self, e)
        self._reload_keep_edits()

    def _selected_attachment(self) -> int | None:
        item = self.files.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def open_attachment(self) -> None:
        aid = self._selected_attachment()
        if aid is None:
            return
        info = next(a for a in self.meeting.attachments if a.id == aid)
        target = Path(tempfile.gettempdir()) / f"支部台账附件-{aid}-{info.name}"
        target.write_bytes(meetings.attachment_data(self.ledger, aid))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def remove_attachment(self) -> None:
        aid = self._selected_attachment()
        if aid is None:
            return
        if confirm(self, "删除附件", "删除所选附件？（可撤销）", "删除", danger=True):
            meetings.remove_attachment(self.ledger, aid)
            self._reload_keep_edits()


# ------------------------------------------------------------------------------------------ the section


class CadenceGrid(QTableWidget):
    """Months across, kinds (and each 党小组) down; quarterly, half-yearly and yearly kinds span their months."""

    def __init__(self, section: MeetingsSection) -> None:
        super().__init__(0, 12)
        self.section = section
        self.rows: list[meetings.CadenceRow] = []
        self.setHorizontalHeaderLabels([f"{m}月" for m in range(1, 13)])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(26)
        self.cellClicked.connect(self._clicked)
        self.setToolTip("单击格子：已开的打开会议记录，未开的新建一份")

    def show_rows(self, rows: list[meetings.CadenceRow]) -> None:
        self.clearSpans()
        self.rows = rows
        self.setRowCount(len(rows))
        self.setVerticalHeaderLabels([r.label for r in rows])
        for i, row in enumerate(rows):
            for c in row.cells:
                col = c.period.start.month - 1
                span = c.period.end.month - c.period.start.month + 1
                if span > 1:
                    self.setSpan(i, col, 1, span)
                text = rules.STATE_LABELS[c.state]
                if len(c.meeting_ids) > 1:
                    text += f" {len(c.meeting_ids)}次"
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(QColor(STATE_COLORS[c.state])))
                if c.state == rules.MISSING:
                    item.setForeground(QBrush(QColor(ERROR_RED)))
                item.setToolTip(
                    f"{c.period.label} {row.label}："
                    + {
                        rules.HELD: f"已开 {len(c.meeting_ids)} 次（单击打开）",
                        rules.MISSING: "没有记录（单击补录）",
                        rules.DUE: f"本期待开，{fmt_zh(c.period.end)}前（单击新建）",
                        rules.NOT_REQUIRED: "本期不要求",
                        rules.FUTURE: "尚未到期",
                    }[c.state]
                )
                self.setItem(i, col, item)
        h = self.horizontalHeader().height() + sum(self.rowHeight(i) for i in range(len(rows))) + 4
        self.setFixedHeight(h)

    def cell_at(self, row: int, col: int) -> tuple[meetings.CadenceRow, meetings.Cell] | None:
        if not 0 <= row < len(self.rows):
            return None
        r = self.rows[row]
        for c in r.cells:
            if c.period.start.month - 1 <= col <= c.period.end.month - 1:
                return r, c
        return None

    def _clicked(self, row: int, col: int) -> None:
        found = self.cell_at(row, col)
        if found:
            self.section.open_cell(*found)


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
        for state in (rules.HELD, rules.MISSING, rules.DUE, rules.NOT_REQUIRED):
            lab = QLabel(f"  {rules.STATE_LABELS[state]}  ")
            lab.setStyleSheet(f"background: {STATE_COLORS[state]}; border: 1px solid #DDD;")
            top.addWidget(lab)
        top.addStretch(1)
        ol.addLayout(top)
        self.grid = CadenceGrid(self)
        ol.addWidget(self.grid)
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
        ol.addLayout(srow)
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
                    color=lambda r: None if r.finalized_on else WARN_AMBER,
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
        self.results.itemActivated.connect(self._open_result)
        self.results.itemClicked.connect(self._open_result)
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)
        self.lists.addWidget(self.results)
        ol.addWidget(self.lists, 1)
        self.stack.addWidget(over)
        self.editor = MeetingEditor(self)
        self.stack.addWidget(self.editor)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.editor,
            self.back_to_list,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    # -- data
    def refresh(self) -> None:
        today = self.ctx.today()
        years = sorted(
            {r.date.year for r in meetings.list_meetings(self.ledger)} | {today.year}, reverse=True
        )
        current = self.year.currentData() or today.year
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)
        self._show_grid()
        rows = meetings.list_meetings(self.ledger)
        self.model.set_rows(rows)
        if self.search.text().strip():
            self.run_search()
        else:
            self.lists.setCurrentWidget(self.table if rows else self.empty)
        if (
            self.stack.currentWidget() is self.editor
            and self.editor.meeting.id is not None
            and not self.editor.dirty
        ):
            try:
                self.editor.load(meetings.get_meeting(self.ledger, self.editor.meeting.id))
            except KeyError:  # undone or deleted
                self.stack.setCurrentIndex(0)

    def _show_grid(self) -> None:
        year = self.year.currentData() or self.ctx.today().year
        rows = meetings.cadence_grid(self.ledger, year, self.ctx.today())
        self.grid.show_rows(rows)
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
            label = QLabel(
                f"<b>{fmt_zh(h.date)}</b>　{html.escape(h.kinds_label)}　{html.escape(h.topic)}"
                f'<br><span style="color:{TEXT_MUTED}">{h.field_label}：</span>'
                f"{highlight_html(h.snippet, h.spans)}"
            )
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(6, 3, 6, 3)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            item.setSizeHint(label.sizeHint() + QSize(0, 4))
            self.results.addItem(item)
            self.results.setItemWidget(item, label)
        self.search_info.setText(f"找到 {len(hits)} 处" if hits else "没有找到")
        self.lists.setCurrentWidget(self.results)

    def _open_result(self, item: QListWidgetItem) -> None:
        self.open_meeting(int(item.data(Qt.ItemDataRole.UserRole)))

    # -- navigation
    def _leave_editor_ok(self) -> bool:
        if self.stack.currentWidget() is self.editor and self.editor.dirty:
            return confirm(
                self, "未保存的修改", "当前会议记录有未保存的修改，放弃这些修改吗？", "放弃修改", danger=True
            )
        return True

    def back_to_list(self) -> None:
        if not self._leave_editor_ok():
            return
        self.editor.dirty = False
        self.stack.setCurrentIndex(0)
        self.refresh()

    def open_meeting(self, meeting_id: int) -> None:
        if not self._leave_editor_ok():
            return
        self.editor.load(meetings.get_meeting(self.ledger, meeting_id))
        self.stack.setCurrentWidget(self.editor)

    def start_new(self, kinds: list[str], on: dt.date, group_id: int | None = None) -> None:
        if not self._leave_editor_ok():
            return
        self.editor.load(new_meeting_for(self.ledger, kinds, on, group_id))
        self.editor.start_blank()
        self.stack.setCurrentWidget(self.editor)
        self.editor.topic.setFocus()

    def open_cell(self, row: meetings.CadenceRow, cell: meetings.Cell) -> None:
        if cell.meeting_ids:
            self.open_meeting(cell.meeting_ids[-1])
        else:
            self.start_new([row.kind], cell_for(cell.period, self.ctx.today()), row.group_id)

    # -- Section API
    def new_item(self) -> None:
        self.start_new([], self.ctx.today())

    def focus_search(self) -> None:
        if self.stack.currentWidget() is self.editor:
            self.back_to_list()
        self.search.setFocus()
        self.search.selectAll()

    def save(self) -> None:
        if self.stack.currentWidget() is self.editor:
            self.editor.save()

    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        self.ensure_fresh()
        if subject_type == "meeting" and subject_id is not None:
            with contextlib.suppress(KeyError):
                self.open_meeting(int(subject_id))
        elif self.stack.currentWidget() is self.editor:
            self.back_to_list()

    def edit_plans(self) -> None:
        PlansDialog(self.ledger, self).exec()

    def export_ledger(self) -> None:
        from exports.registry import Params

        self.ctx.window.export_dialog(
            "meetings", Params(year=self.year.currentData() or self.ctx.today().year)
        )


SECTION = MeetingsSection
