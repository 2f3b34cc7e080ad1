"""Small shared widgets: section headers, empty states, cards, a date field that takes what people type,
and a table view set up the house way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QCalendarWidget,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QTreeView,
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


def clear_viewport(area: QAbstractScrollArea) -> None:
    """Give a scroll area a viewport that paints no background of its own, made here rather than asked for.

    The first `viewport()` asked of any scroll area makes PySide look the viewport's class up among every class
    of QtWidgets not loaded yet: all of them are loaded then, with their ~80 enums, 15-25 ms on the way to the
    window's first paint. A viewport made in Python is known already; it keeps the name Qt gives its own."""
    viewport = QWidget(area)
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setAutoFillBackground(False)
    area.setViewport(viewport)


class WrapLabel(QLabel):
    """A word-wrapped label whose minimum height is what its text needs at the width it has. (QLabel's own is
    what it would need at its narrowest: two or three lines more than a wide window shows, which a section's
    minimum height then carries.)"""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        m = super().minimumSizeHint()
        if self.width() > m.width():
            return QSize(m.width(), self.heightForWidth(self.width()))
        return m

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # QLabel's own is the height at a width it picks itself (about 520 px), whatever the width it has
        s = super().sizeHint()
        if self.width() > self.minimumSizeHint().width():
            return QSize(s.width(), self.heightForWidth(self.width()))
        return s

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()


class ScrollBody(QScrollArea):
    """A dialog's fields, scrolling on a screen too short for them; the dialog's buttons stay outside, in view.

    It asks for the whole of its contents (QScrollArea asks for at most 36×24 characters), so the dialog opens
    as large as its fields on a big screen; desktop.fit then shrinks it to a small one, and this scrolls."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        clear_viewport(self)
        self.setWidget(body)
        self.body = body
        body.setAutoFillBackground(False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        body = self.body.sizeHint()
        return QSize(body.width() + self.verticalScrollBar().sizeHint().width(), body.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # as wide as the fields (they never scroll sideways), as short as a few lines
        width = self.body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(width, min(self.body.minimumSizeHint().height(), 4 * self.fontMetrics().height()))


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
        self.hint = WrapLabel(hint)
        self.hint.setObjectName("SectionHint")
        self.hint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        outer.addWidget(self.hint)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def add_button(self, button: QPushButton) -> QPushButton:
        self.buttons.addWidget(button)
        return button

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)


class ElidedLabel(QLabel):
    """One line that gives way on a narrow window: it asks for its whole text but can shrink, and then ends
    in … with the whole text in the tooltip (the branch's long name in the header bar)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(min(60, super().minimumSizeHint().width()), super().minimumSizeHint().height())

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self._update_tip()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._update_tip()

    def _elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def _update_tip(self) -> None:
        self.setToolTip(self.text() if self._elided() else "")

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if not self._elided():
            super().paintEvent(event)
            return
        p = QPainter(self)
        r = self.contentsRect()
        p.setPen(self.palette().color(self.foregroundRole()))
        p.drawText(
            r,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, r.width()),
        )
        p.end()


class FlowLayout(QLayout):
    """Items left to right, wrapping onto the next line when the width runs out (Qt's flow layout example):
    a toolbar of label + field pairs that a narrow window would otherwise cut."""

    def __init__(self, parent: QWidget | None = None, h_spacing: int = 8, v_spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._h = h_spacing
        self._v = v_spacing
        self._width = 0  # the width last laid out at: the minimum height is the lines needed there
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._place(rect, move=True)
        if rect.width() != self._width:
            # wrapped onto more (or fewer) lines: the parent's minimum height changes with it
            self._width = rect.width()
            self.invalidate()

    def _shown(self) -> list[QLayoutItem]:
        return [it for it in self._items if not it.isEmpty()]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        shown = self._shown()
        m = self.contentsMargins()
        w = sum(it.sizeHint().width() for it in shown) + self._h * max(0, len(shown) - 1)
        h = max((it.sizeHint().height() for it in shown), default=0)
        return QSize(w + m.left() + m.right(), h + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        size = QSize()
        for it in self._shown():
            size = size.expandedTo(it.minimumSize())
        m = self.contentsMargins()
        size += QSize(m.left() + m.right(), m.top() + m.bottom())
        if self._width > 0:
            size.setHeight(max(size.height(), self.heightForWidth(self._width)))
        return size

    def _place(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = 0
        for it in self._shown():
            hint = it.sizeHint().expandedTo(it.minimumSize())
            w = min(hint.width(), max(1, area.width()))
            if lines[-1] and x + w > area.width():
                lines.append([])
                x = 0
            lines[-1].append((it, QSize(w, hint.height())))
            x += w + self._h
        y = area.y()
        for line in lines:
            height = max((sz.height() for _it, sz in line), default=0)
            x = area.x()
            for it, sz in line:
                if move:
                    it.setGeometry(QRect(x, y + (height - sz.height()) // 2, sz.width(), sz.height()))
                x += sz.width() + self._h
            y += height + self._v
        return y - self._v - area.y() + m.top() + m.bottom() if self._shown() else m.top() + m.bottom()


def labelled(label: str, field: QWidget, parent: QWidget | None = None) -> QWidget:
    """A label and its field kept together (one item of a FlowLayout)."""
    box = QWidget(parent)
    lay = QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(6)
    lay.addWidget(QLabel(label))
    lay.addWidget(field)
    return box


class AdaptiveRow(QWidget):
    """A title part and a row of buttons: on one line when both fit, else the buttons on their own line below,
    right-aligned. Its minimum width is the two-line one, so a narrow window never cuts the title."""

    def __init__(
        self, left: QWidget, right: QWidget, parent: QWidget | None = None, *, wanted: Any = None
    ) -> None:
        super().__init__(parent)
        self.left = left
        self.right = right
        # the width the title part wants on one line (word-wrapped labels do not say it themselves)
        self.wanted = wanted
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.one_line: bool | None = None
        self._arrange(True)

    def _arrange(self, one_line: bool) -> None:
        if one_line == self.one_line:
            return
        self.one_line = one_line
        self.grid.removeWidget(self.left)
        self.grid.removeWidget(self.right)
        if one_line:
            self.grid.addWidget(self.left, 0, 0)
            self.grid.addWidget(self.right, 0, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.setColumnStretch(0, 1)
            self.grid.setRowStretch(1, 0)
        else:
            self.grid.addWidget(self.left, 0, 0, 1, 2)
            self.grid.addWidget(self.right, 1, 0, 1, 2, Qt.AlignmentFlag.AlignRight)
        self.updateGeometry()

    def wanted_width(self) -> int:
        left = self.wanted() if self.wanted is not None else self.left.sizeHint().width()
        return left + self.grid.horizontalSpacing() + self.right.sizeHint().width()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        m = super().minimumSizeHint()
        narrow = max(self.left.minimumSizeHint().width(), self.right.minimumSizeHint().width())
        return QSize(narrow, m.height())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange(self.width() >= self.wanted_width())

    def event(self, event: QEvent) -> bool:
        # the title's text changed (another meeting loaded): one line may no longer be enough, or be again
        if event.type() == QEvent.Type.LayoutRequest and self.width() > 0:
            self._arrange(self.width() >= self.wanted_width())
        return super().event(event)


class EmptyState(QWidget):
    """'还没有会议记录 — 新建会议': what to do next, with the button that does it."""

    def __init__(
        self, text: str, action_text: str | None = None, on_action: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.label = WrapLabel(text)
        self.label.setObjectName("EmptyState")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
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
        # however short the window, the header and two rows (and the scroll bar under them): a section that
        # cannot give that much scrolls as a whole instead of showing an empty strip
        self.setMinimumHeight(self.rows_height(2))
        self.doubleClicked.connect(self._activated)
        QShortcut(
            QKeySequence(Qt.Key.Key_Return),
            self,
            activated=self._activate_current,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

    def rows_height(self, rows: int) -> int:
        """The height that shows the header and `rows` rows whole, with a horizontal scroll bar."""
        self.ensurePolished()
        return (
            self.horizontalHeader().sizeHint().height()
            + rows * self.verticalHeader().defaultSectionSize()
            + self.horizontalScrollBar().sizeHint().height()
            + 2 * self.frameWidth()
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


class WrapDelegate(QStyledItemDelegate):
    """Item text that wraps at its column's width, with rows as tall as their text.

    A QTreeView with wordWrap sizes its rows as if every column were endless (Qt skips the column width to save
    time), so a long line is cut with … however wide the window; this delegate measures at the real width and
    asks the view for a new layout when a column is resized. Only `columns` wrap; the others keep their size.
    """

    def __init__(self, view: QTreeView, columns: tuple[int, ...] = (0,)) -> None:
        super().__init__(view)
        self.view = view
        self.columns = columns
        view.setWordWrap(True)
        view.setUniformRowHeights(False)
        view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(view.doItemsLayout)
        view.header().sectionResized.connect(lambda *_a: self._relayout.start())

    def _indent(self, index: QModelIndex | QPersistentModelIndex) -> int:
        if index.column() != 0:
            return 0
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        return self.view.indentation() * (depth + (1 if self.view.rootIsDecorated() else 0))

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if index.column() not in self.columns:
            return super().sizeHint(option, index)
        width = self.view.columnWidth(index.column()) - self._indent(index)
        opt = QStyleOptionViewItem(option)
        opt.rect = QRect(0, 0, max(1, width), 1)
        hint = super().sizeHint(opt, index)
        return QSize(min(hint.width(), max(1, width)), hint.height())


class SearchBox(QLineEdit):
    def __init__(self, placeholder: str = "搜索（Ctrl+F）", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(220)


def zh_date(d: dt.date | None) -> str:
    return fmt_zh(d)


class YearBox(QComboBox):
    """A year picker ("2026年"), newest first: `ahead` years after today's, `back` years before it; today's year
    chosen. `value()` is the chosen year; `set_value(y)` chooses it when listed."""

    def __init__(self, *, ahead: int = 1, back: int = 9) -> None:
        super().__init__()
        from db import clock

        today = clock.today().year
        for y in range(today + ahead, today - back - 1, -1):
            self.addItem(f"{y}年", y)
        self.setCurrentIndex(self.findData(today))

    def value(self) -> int:
        return int(self.currentData())

    def set_value(self, year: int) -> None:
        i = self.findData(year)
        if i >= 0:
            self.setCurrentIndex(i)
