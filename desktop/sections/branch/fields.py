"""The pieces the 支部信息 dialogs share: the 保存/取消 buttons, the member and 职务 pickers, and the check
that every date field holds a date before a dialog hands back its value."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QWidget,
)

from db.branch import ROLE_LABELS
from desktop.dialogs import show_error
from desktop.widgets import DateField


def _buttons(dlg: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dlg.accept)
    box.rejected.connect(dlg.reject)
    return box


def member_combo(choices: list[tuple[int, str]], current: int | None, blank: str | None = None) -> QComboBox:
    c = QComboBox()
    if blank is not None:
        c.addItem(blank, None)
    for mid, name in choices:
        c.addItem(name, mid)
    if current is not None:
        i = c.findData(current)
        if i < 0:
            c.addItem(f"（编号{current}）", current)
            i = c.count() - 1
        c.setCurrentIndex(i)
    return c


def role_combo(current: str | None, blank: str | None = None) -> QComboBox:
    c = QComboBox()
    if blank is not None:
        c.addItem(blank, None)
    for code, label in ROLE_LABELS.items():
        c.addItem(label, code)
    if current is not None:
        c.setCurrentIndex(max(0, c.findData(current)))
    return c


def _date_ok(fields: list[tuple[DateField, str]], parent: QWidget) -> bool:
    for f, label in fields:
        if f.error():
            show_error(parent, f"{label}：{f.error()}")
            return False
    return True
