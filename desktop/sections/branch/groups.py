"""The 党小组 dialog: name, 组长 (any member on the roster), the dates it was set up and dissolved."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from db.branch import PartyGroup
from desktop.sections.branch.fields import _buttons, member_combo
from desktop.widgets import DateField


class GroupDialog(QDialog):
    def __init__(self, g: PartyGroup, choices: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("党小组")
        self.g = g
        form = QFormLayout(self)
        self.name = QLineEdit(g.name)
        self.leader = member_combo(choices, g.leader_id, "（未指定）")
        self.created = DateField()
        self.created.set_value(g.created_on)
        self.dissolved = DateField()
        self.dissolved.set_value(g.dissolved_on)
        self.notes = QLineEdit(g.notes or "")
        form.addRow("名称", self.name)
        form.addRow("组长", self.leader)
        form.addRow("成立日期", self.created)
        form.addRow("撤销日期", self.dissolved)
        form.addRow("备注", self.notes)
        form.addRow(_buttons(self))

    def value(self) -> PartyGroup:
        return PartyGroup(
            self.g.id,
            self.name.text().strip(),
            self.leader.currentData(),
            self.created.value(),
            self.dissolved.value(),
            self.notes.text().strip() or None,
        )
