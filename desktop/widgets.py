"""Small shared widgets: section headers, empty states, cards, a date field that takes what people type,
and a table view set up the house way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from db.dates import DateParseError, fmt_zh, parse_date
from desktop.models import ROW_ROLE, FilterProxy, RowModel


def primary_button(text: str, parent: QWidget | None = None) -> QPushButton:
    b = QPushButton(text, parent)
    b.setProperty("primary", True)
    return b


class SectionHeader(QWidget):
    """Title, one line that says where you are and what is left, and the section's buttons on the right.

    The hint sits on its own full-width row so a long, wrapped hint gets the height it needs."""

    def __init__(self, title: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 6)
        outer.setSpacing(2)
        lay = QHBoxLayout()
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(title)
        self.title.setObjectName("SectionTitle")
        lay.addWidget(self.title)
        lay.addStretch(1)
        self.buttons = QHBoxLayout()
        lay.addLayout(self.buttons)
        outer.addLayout(lay)
        self.hint = QLabel(hint)
        self.hint.setObjectName("SectionHint")
        self.hint.setWordWrap(True)
        self.hint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        outer.addWidget(self.hint)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def add_button(self, button: QPushButton) -> QPushButton:
        self.buttons.addWidget(button)
        return button

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)


class EmptyState(QWidget):
    """'还没有会议记录 — 新建会议': what to do next, with the button that does it."""

    def __init__(
        self, text: str, action_text: str | None = None, on_action: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.label = QLabel(text)
        self.label.setObjectName("EmptyState")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        if action_text:
            self.button = primary_button(action_text)
            self.button.clicked.connect(on_action)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.button)
            row.addStretch(1)
            lay.addLayout(row)
        lay.addStretch(2)


class Card(QFrame):
    def __init__(self, title: str, value: str = "", note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 10, 14, 10)
        self.title = QLabel(title)
        self.title.setObjectName("CardTitle")
        self.value = QLabel(value)
        self.value.setObjectName("CardValue")
        self.note = QLabel(note)
        self.note.setObjectName("SectionHint")
        self.note.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.value)
        lay.addWidget(self.note)

    def set(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)


class DateField(QWidget):
    """A date the secretary can type as 2024-05-01, 2024.5.1 or 2024年5月1日, or pick from a calendar.
    Empty is allowed unless `required`. `value()` returns a date or None; `error()` says what is wrong."""

    changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, required: bool = False, month_ok: bool = False
    ) -> None:
        super().__init__(parent)
        self.required = required
        self.month_ok = month_ok
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("如 2024-05-01 或 2024年5月1日")
        self.edit.editingFinished.connect(self._normalise)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.pick = QToolButton()
        self.pick.setText("▾")
        self.pick.setToolTip("从日历中选择")
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pick.clicked.connect(self._popup)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.pick)
        self.setFocusProxy(self.edit)

    def _popup(self) -> None:
        menu = QMenu(self)
        cal = QCalendarWidget()
        cal.setGridVisible(True)
        d = self.value_or_none()
        if d:
            cal.setSelectedDate(QDate(d.year, d.month, d.day))
        act = QWidgetAction(menu)
        act.setDefaultWidget(cal)
        menu.addAction(act)
        cal.clicked.connect(lambda q: (self.set_value(dt.date(q.year(), q.month(), q.day())), menu.close()))
        menu.exec(self.mapToGlobal(self.rect().bottomLeft()))

    def _normalise(self) -> None:
        d = self.value_or_none()
        if d is not None:
            self.edit.setText(fmt_zh(d))
        self._mark()

    def _mark(self) -> None:
        self.edit.setProperty("invalid", self.error() is not None)
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)

    def value_or_none(self) -> dt.date | None:
        try:
            return parse_date(self.edit.text(), month_ok=self.month_ok)
        except DateParseError:
            return None

    def value(self) -> dt.date | None:
        return self.value_or_none()

    def error(self) -> str | None:
        text = self.edit.text().strip()
        if not text:
            return "不能为空" if self.required else None
        try:
            parse_date(text, month_ok=self.month_ok)
        except DateParseError as e:
            return str(e)
        return None

    def set_value(self, d: dt.date | None) -> None:
        self.edit.setText(fmt_zh(d) if d else "")
        self._mark()
        self.changed.emit()

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt override
        self.edit.setToolTip(text)


class Table(QTableView):
    """A table view set up the house way: zebra rows, row selection, sortable, generous rows."""

    activated_row = Signal(object)

    def __init__(self, model: RowModel[Any], parent: QWidget | None = None, *, sortable: bool = True) -> None:
        super().__init__(parent)
        self.source = model
        if model.parent() is None:
            # The table owns its model: a parentless model lives as long as its Python wrapper, and at exit
            # that can outlive the QApplication and be destroyed in any order by the interpreter's teardown.
            model.setParent(self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(sortable)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        h = self.horizontalHeader()
        h.setHighlightSections(False)
        h.setStretchLastSection(True)
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, col in enumerate(model.columns):
            if col.width:
                self.setColumnWidth(i, col.width)
        self.doubleClicked.connect(self._activated)
        QShortcut(
            QKeySequence(Qt.Key.Key_Return),
            self,
            activated=self._activate_current,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

    def _activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.activated_row.emit(row)

    def _activate_current(self) -> None:
        idx = self.currentIndex()
        if idx.isValid():
            self._activated(idx)

    def current_row(self) -> Any:
        idx = self.currentIndex()
        return idx.data(ROW_ROLE) if idx.isValid() else None

    def select_where(self, pred: Any) -> bool:
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if pred(idx.data(ROW_ROLE)):
                self.setCurrentIndex(idx)
                self.scrollTo(idx)
                return True
        return False


class SearchBox(QLineEdit):
    def __init__(self, placeholder: str = "搜索（Ctrl+F）", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(220)


def zh_date(d: dt.date | None) -> str:
    return fmt_zh(d)
