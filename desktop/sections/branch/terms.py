"""The 支委会届次 dialog: 支部委员会 or 只设书记 (advice from the number of 正式党员, RULES.md §4), the
term's dates (end defaults to start + 3 years) and its seats with 职务 and the dates each was held."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from db.branch import TERM_KIND_LABELS, Seat, Term
from db.rules import committee as rules
from desktop.dialogs import show_error
from desktop.sections.branch.fields import _buttons, _date_ok, member_combo, role_combo
from desktop.widgets import DateField, ScrollBody


class TermDialog(QDialog):
    """A term: 支部委员会 or 只设书记, dates (end defaults to start + 3 years), and its seats."""

    def __init__(
        self, t: Term, choices: list[tuple[int, str]], full_count: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("支委会届次")
        self.resize(720, 560)
        self.t = t
        self.choices = choices
        outer = QVBoxLayout(self)
        # everything but 保存/取消 scrolls on a short laptop screen
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        advice = QLabel(
            f"支部现有正式党员{full_count}名："
            + (
                "7名以上，应设立支部委员会，一般由3至5人组成，最多不超过7人。"
                if rules.needs_committee(full_count)
                else "不足7名，不设支部委员会，只设书记一名，必要时可设副书记一名。"
            )
        )
        advice.setWordWrap(True)
        advice.setObjectName("SectionHint")
        lay.addWidget(advice)
        form = QFormLayout()
        self.kind = QComboBox()
        for code, label in TERM_KIND_LABELS.items():
            self.kind.addItem(label, code)
        default_kind = t.kind if t.id else ("committee" if rules.needs_committee(full_count) else "secretary")
        self.kind.setCurrentIndex(self.kind.findData(default_kind))
        self.elected = DateField()
        self.elected.set_value(t.elected_on)
        self.starts = DateField(required=True)
        self.starts.set_value(t.starts_on)
        self.ends = DateField()
        self.ends.set_value(t.ends_on)
        self.ends.setToolTip("留空则按任期3年自动计算")
        self.starts.changed.connect(self._suggest_end)
        self.ref = QLineEdit(t.approval_ref or "")
        self.notes = QLineEdit(t.notes or "")
        form.addRow("类型", self.kind)
        form.addRow("选举日期", self.elected)
        form.addRow("任期开始", self.starts)
        form.addRow("任期结束", self.ends)
        form.addRow("上级批复文号", self.ref)
        form.addRow("备注", self.notes)
        lay.addLayout(form)
        lay.addWidget(QLabel("成员（出缺时填写“离任日期”，补选的成员填写“到任日期”）："))
        self.seats = QTableWidget(0, 4)
        self.seats.setHorizontalHeaderLabels(["姓名", "职务", "到任日期", "离任日期"])
        self.seats.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.seats.verticalHeader().setDefaultSectionSize(34)
        # the header and three members however short the screen
        self.seats.setMinimumHeight(self.seats.horizontalHeader().sizeHint().height() + 3 * 34 + 4)
        for s in t.seats:
            self._add_seat(s)
        lay.addWidget(self.seats, 1)
        row = QHBoxLayout()
        add = QPushButton("添加成员")
        add.clicked.connect(lambda: self._add_seat(Seat(member_id=0, role="member")))
        rem = QPushButton("删除所选成员")
        rem.clicked.connect(
            lambda: self.seats.removeRow(self.seats.currentRow()) if self.seats.currentRow() >= 0 else None
        )
        row.addWidget(add)
        row.addWidget(rem)
        row.addStretch(1)
        lay.addLayout(row)
        outer.addWidget(ScrollBody(body), 1)
        outer.addWidget(_buttons(self))

    def _suggest_end(self) -> None:
        s = self.starts.value()
        if s and not self.ends.edit.text().strip():
            self.ends.edit.setPlaceholderText(f"留空为 {rules.term_end(s).isoformat()}（任期3年）")

    def _add_seat(self, s: Seat) -> None:
        r = self.seats.rowCount()
        self.seats.insertRow(r)
        self.seats.setCellWidget(r, 0, member_combo(self.choices, s.member_id or None, "（请选择）"))
        self.seats.setCellWidget(r, 1, role_combo(s.role))
        for col, d in ((2, s.from_on), (3, s.to_on)):
            f = DateField()
            f.set_value(d)
            self.seats.setCellWidget(r, col, f)
        self.seats.setProperty(f"seat_id_{r}", s.id)
        self._ids = getattr(self, "_ids", {})
        self._ids[r] = s.id

    def value(self) -> Term | None:
        dates = [(self.elected, "选举日期"), (self.starts, "任期开始"), (self.ends, "任期结束")]
        seats = []
        for r in range(self.seats.rowCount()):
            who = self.seats.cellWidget(r, 0).currentData()
            if who is None:
                show_error(self, f"第{r + 1}行：请选择成员姓名")
                return None
            f_from, f_to = self.seats.cellWidget(r, 2), self.seats.cellWidget(r, 3)
            dates += [(f_from, f"第{r + 1}行到任日期"), (f_to, f"第{r + 1}行离任日期")]
            seats.append(
                Seat(None, int(who), self.seats.cellWidget(r, 1).currentData(), f_from.value(), f_to.value())
            )
        if not _date_ok(dates, self):
            return None
        old = {s.member_id: s.id for s in self.t.seats}
        for s in seats:
            s.id = old.pop(s.member_id, None)
        return Term(
            self.t.id,
            self.kind.currentData(),
            self.elected.value(),
            self.starts.value(),
            self.ends.value(),
            self.ref.text().strip() or None,
            self.notes.text().strip() or None,
            seats,
        )
