"""The meeting editor's repeated boxes: one 议题 (title, 讨论情况, 发言要点 one speaker a line) and one 决议
(text, method, the vote with 全体赞成, and the verdict the editor writes into it while the vote is typed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)

from db.meetings import AgendaItem, Decision
from db.rules import meetings as rules
from desktop.sections.meetings.controllers import parse_speeches, speeches_text

if TYPE_CHECKING:
    from desktop.sections.meetings.editor import MeetingEditor


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
