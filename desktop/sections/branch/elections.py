"""The 选举记录 dialog with the live verdicts (the 4/5 rule on who came, 当选 at more than half of them),
and the 支委缺额与补选 dialog that records a vacancy and the 补选 that filled it (RULES.md §4)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from db import checklists, clock
from db.branch import TERM_KIND_LABELS, Term
from db.checklists import ELECTION_KIND_LABELS, Candidate, Election, Vacancy
from db.dates import fmt_zh
from db.rules import committee as rules
from desktop.dialogs import show_error
from desktop.sections.branch.fields import _buttons, _date_ok, member_combo, role_combo
from desktop.style import ERROR_RED, OK_GREEN
from desktop.widgets import DateField, ScrollBody


class ElectionDialog(QDialog):
    """An election with the live verdicts: the 4/5 rule on who came, and 当选 at more than half of them."""

    def __init__(
        self,
        e: Election,
        choices: list[tuple[int, str]],
        terms: list[Term],
        mode: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("选举记录")
        self.resize(780, 640)
        self.e = e
        self.mode = mode
        self.choices = choices
        outer = QVBoxLayout(self)
        # everything but 保存/取消 scrolls on a short laptop screen
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.kind = QComboBox()
        for code, label in ELECTION_KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(self.kind.findData(e.kind))
        self.held = DateField(required=True)
        self.held.set_value(e.held_on if e.held_on != dt.date.min else None)
        self.term = QComboBox()
        self.term.addItem("（尚未录入届次）", None)
        for t in terms:
            self.term.addItem(f"{TERM_KIND_LABELS[t.kind]} {fmt_zh(t.starts_on)}起", t.id)
        if e.term_id is not None:
            self.term.setCurrentIndex(max(0, self.term.findData(e.term_id)))
        self.expected = QSpinBox()
        self.present = QSpinBox()
        self.seats_n = QSpinBox()
        for sb, v in ((self.expected, e.expected), (self.present, e.present), (self.seats_n, e.seats)):
            sb.setRange(0, 500)
            sb.setValue(v or 0)
            sb.valueChanged.connect(self.update_verdict)
        self.seats_n.setRange(0, rules.SEATS_MAX)
        form.addRow("类型", self.kind)
        form.addRow("选举日期", self.held)
        form.addRow("所选届次", self.term)
        counts = QHBoxLayout()
        counts.addWidget(QLabel("应到有选举权"))
        counts.addWidget(self.expected)
        counts.addWidget(QLabel("实到有选举权"))
        counts.addWidget(self.present)
        counts.addWidget(QLabel("应选名额"))
        counts.addWidget(self.seats_n)
        counts.addStretch(1)
        form.addRow("人数", counts)
        lay.addLayout(form)
        self.quorum = QLabel()
        self.quorum.setWordWrap(True)
        self.quorum.setStyleSheet("font-weight: bold;")
        lay.addWidget(self.quorum)
        self.cands = QTableWidget(0, 6)
        self.cands.setHorizontalHeaderLabels(["候选人", "赞成", "反对", "弃权", "当选后职务", "结果"])
        self.cands.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.cands.verticalHeader().setDefaultSectionSize(34)
        # the header and three candidates however short the screen
        self.cands.setMinimumHeight(self.cands.horizontalHeader().sizeHint().height() + 3 * 34 + 4)
        for c in e.candidates:
            self._add_cand(c)
        lay.addWidget(self.cands, 1)
        row = QHBoxLayout()
        add = QPushButton("添加候选人")
        add.clicked.connect(lambda: self._add_cand(Candidate(0)))
        rem = QPushButton("删除所选候选人")
        rem.clicked.connect(self._remove_cand)
        row.addWidget(add)
        row.addWidget(rem)
        row.addStretch(1)
        lay.addLayout(row)
        form2 = QFormLayout()
        self.approved = DateField()
        self.approved.set_value(e.secretary_approved_on)
        self.approval_ref = QLineEdit(e.secretary_approval_ref or "")
        self.filed = DateField()
        self.filed.set_value(e.members_filed_on)
        self.filing_ref = QLineEdit(e.members_filing_ref or "")
        self.notes = QPlainTextEdit(e.notes or "")
        self.notes.setFixedHeight(50)
        form2.addRow("书记、副书记报上级批准日期", self.approved)
        form2.addRow("批复文号", self.approval_ref)
        form2.addRow("委员报上级备案日期", self.filed)
        form2.addRow("备案文号", self.filing_ref)
        form2.addRow("备注", self.notes)
        lay.addLayout(form2)
        outer.addWidget(ScrollBody(body), 1)
        outer.addWidget(_buttons(self))
        self._ready = True
        self.update_verdict()

    def _add_cand(self, c: Candidate) -> None:
        r = self.cands.rowCount()
        self.cands.insertRow(r)
        self.cands.setCellWidget(r, 0, member_combo(self.choices, c.member_id or None, "（请选择）"))
        for col, v in ((1, c.votes_for), (2, c.votes_against), (3, c.abstain)):
            sb = QSpinBox()
            sb.setRange(0, 500)
            sb.setValue(v or 0)
            sb.valueChanged.connect(self.update_verdict)
            self.cands.setCellWidget(r, col, sb)
        self.cands.setCellWidget(r, 4, role_combo(c.role, "委员"))
        self.cands.setCellWidget(r, 5, QLabel())
        self.cands.cellWidget(r, 0).currentIndexChanged.connect(self.update_verdict)
        self.update_verdict()

    def _remove_cand(self) -> None:
        if self.cands.currentRow() >= 0:
            self.cands.removeRow(self.cands.currentRow())
            self.update_verdict()

    def candidates(self) -> list[Candidate]:
        out = []
        for r in range(self.cands.rowCount()):
            who = self.cands.cellWidget(r, 0).currentData()
            out.append(
                Candidate(
                    int(who) if who is not None else -(r + 1),
                    self.cands.cellWidget(r, 1).value(),
                    self.cands.cellWidget(r, 2).value(),
                    self.cands.cellWidget(r, 3).value(),
                    None,
                    self.cands.cellWidget(r, 4).currentData(),
                )
            )
        return out

    def election(self) -> Election:
        return Election(
            self.held.value() or dt.date.min,
            self.kind.currentData(),
            self.term.currentData(),
            self.expected.value(),
            self.present.value(),
            self.seats_n.value() or None,
            "secret",
            self.approved.value(),
            self.approval_ref.text().strip() or None,
            self.filed.value(),
            self.filing_ref.text().strip() or None,
            self.notes.toPlainText().strip() or None,
            self.candidates(),
            self.e.id,
        )

    def update_verdict(self) -> None:
        if not getattr(self, "_ready", False):
            return
        e = self.election()
        v = checklists.verdict(e, self.mode)
        self.quorum.setText(v.text() + ("；" + "；".join(v.problems) if v.problems and v.quorum_ok else ""))
        self.quorum.setStyleSheet(f"font-weight: bold; color: {OK_GREEN if v.quorum_ok else ERROR_RED};")
        for r, c in enumerate(e.candidates):
            lab = self.cands.cellWidget(r, 5)
            if not isinstance(lab, QLabel):
                continue
            if not v.quorum_known or not v.quorum_ok:
                lab.setText("—")
            elif c.member_id in v.elected:
                lab.setText("当选")
                lab.setStyleSheet(f"color: {OK_GREEN}; font-weight: bold;")
            elif c.member_id in v.tie:
                lab.setText("票数相等，须再投票")
                lab.setStyleSheet(f"color: {ERROR_RED};")
            else:
                lab.setText("未当选" if (c.votes_for or 0) * 2 <= (e.present or 0) else "得票过半，名额已满")
                lab.setStyleSheet("")

    def value(self) -> Election | None:
        if not _date_ok(
            [(self.held, "选举日期"), (self.approved, "批准日期"), (self.filed, "备案日期")], self
        ):
            return None
        e = self.election()
        if any(c.member_id < 0 for c in e.candidates):
            show_error(self, "请为每一行选择候选人")
            return None
        v = checklists.verdict(e, self.mode)
        for c in e.candidates:
            c.elected = c.member_id in v.elected if v.quorum_known else None
        return e


class VacancyDialog(QDialog):
    def __init__(
        self,
        v: Vacancy,
        terms: list[Term],
        choices: list[tuple[int, str]],
        elections: list[Election],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("支委缺额与补选")
        self.v = v
        form = QFormLayout(self)
        self.term = QComboBox()
        for t in terms:
            self.term.addItem(f"{TERM_KIND_LABELS[t.kind]} {fmt_zh(t.starts_on)}起", t.id)
        self.term.setCurrentIndex(max(0, self.term.findData(v.term_id)))
        self.role = role_combo(v.role)
        self.member = member_combo(choices, v.member_id, "（未指定）")
        self.arose = DateField(required=True)
        self.arose.set_value(v.arose_on if v.arose_on != dt.date.min else None)
        self.reason = QLineEdit(v.reason or "")
        self.filled_by = QComboBox()
        self.filled_by.addItem("（尚未补选）", None)
        for e in elections:
            if e.kind == "by":
                self.filled_by.addItem(f"{fmt_zh(e.held_on)} 补选", e.id)
        self.filled_by.setCurrentIndex(max(0, self.filled_by.findData(v.filled_by)))
        self.filled_on = DateField()
        self.filled_on.set_value(v.filled_on)
        form.addRow("届次", self.term)
        form.addRow("出缺职务", self.role)
        form.addRow("原任", self.member)
        form.addRow("出缺日期", self.arose)
        form.addRow("原因", self.reason)
        form.addRow("补选记录", self.filled_by)
        form.addRow("补选日期", self.filled_on)
        form.addRow(_buttons(self))

    def value(self) -> Vacancy | None:
        if not _date_ok([(self.arose, "出缺日期"), (self.filled_on, "补选日期")], self):
            return None
        if self.term.currentData() is None:
            show_error(self, "请先录入届次")
            return None
        return Vacancy(
            self.term.currentData(),
            self.role.currentData(),
            self.arose.value() or clock.today(),
            self.member.currentData(),
            self.reason.text().strip() or None,
            self.filled_by.currentData(),
            self.filled_on.value(),
            self.v.notes,
            self.v.id,
        )
