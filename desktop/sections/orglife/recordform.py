"""A small form dialog for the plain records of issue #18 (流动党员, 奖惩, 关怀): one row per field, built from a
list of `Field`s, saved through the store's named operation; a refusal is shown in Chinese and the dialog stays
open with what was typed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
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

from db import clock, members
from db.errors import LedgerError
from desktop.dialogs import show_error
from desktop.widgets import DateField, WrapLabel

if TYPE_CHECKING:
    from collections.abc import Callable

    from db.connection import Ledger


@dataclass
class Field:
    attr: str
    label: str
    kind: str = "text"  # text | long | date | date_req | member | combo | check
    options: dict[str, str] | None = None  # combo: code -> label
    placeholder: str = ""
    allow_empty: bool = False  # combo: an empty choice (None)


class RecordDialog(QDialog):
    def __init__(
        self,
        ledger: Ledger,
        title: str,
        fields: list[Field],
        record: Any,
        save: Callable[[Ledger, Any], Any],
        parent: QWidget | None = None,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.record = record
        self.fields = fields
        self.save_fn = save
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        if note:
            hint = WrapLabel(note)
            hint.setObjectName("SectionHint")
            lay.addWidget(hint)
        form = QFormLayout()
        self.widgets: dict[str, QWidget] = {}
        for f in fields:
            w = self._widget(f, getattr(record, f.attr))
            self.widgets[f.attr] = w
            form.addRow(f.label, w)
        lay.addLayout(form)
        b = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        b.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        b.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        b.accepted.connect(self.save)
        b.rejected.connect(self.reject)
        lay.addWidget(b)
        self.setMinimumWidth(420)

    def _widget(self, f: Field, value: Any) -> QWidget:
        if f.kind in ("date", "date_req"):
            d = DateField(required=f.kind == "date_req")
            d.set_value(value)
            return d
        if f.kind == "member":
            c = QComboBox()
            for mo in members.roster_on(self.ledger, clock.today()):
                c.addItem(mo.name, mo.id)
            if value is not None and c.findData(value) < 0:
                c.addItem(members.names(self.ledger).get(value, f"党员#{value}"), value)
            c.setCurrentIndex(max(0, c.findData(value)))
            return c
        if f.kind == "combo":
            c = QComboBox()
            if f.allow_empty:
                c.addItem("（未填）", None)
            for code, label in (f.options or {}).items():
                c.addItem(label, code)
            c.setCurrentIndex(max(0, c.findData(value)))
            return c
        if f.kind == "check":
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if f.kind == "long":
            t = QPlainTextEdit(value or "")
            t.setFixedHeight(56)
            t.setPlaceholderText(f.placeholder)
            return t
        e = QLineEdit("" if value is None else str(value))
        e.setPlaceholderText(f.placeholder)
        return e

    def value_of(self, f: Field) -> Any:
        w = self.widgets[f.attr]
        if isinstance(w, DateField):
            return w.value()
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText().strip() or None
        assert isinstance(w, QLineEdit)
        return w.text().strip() or None

    def set_value(self, attr: str, value: Any) -> None:
        """For tests and callers: put a value in a field as the secretary would."""
        w = self.widgets[attr]
        if isinstance(w, DateField):
            w.set_value(value)
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value)))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, QLineEdit):
            w.setText("" if value is None else str(value))

    def save(self) -> None:
        for f in self.fields:
            w = self.widgets[f.attr]
            if isinstance(w, DateField) and w.error():
                show_error(self, f"{f.label}：{w.error()}")
                return
        values = {f.attr: self.value_of(f) for f in self.fields}
        record = dataclasses.replace(self.record, **values)
        try:
            self.save_fn(self.ledger, record)
        except LedgerError as e:
            show_error(self, e)
            return
        self.record = record
        self.accept()
