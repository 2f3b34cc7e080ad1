"""The search results of 三会一课: each hit two lines of rich text (date, kinds and topic; the field and its snippet
with the match highlighted), drawn by one delegate instead of a QLabel widget per hit. Two hundred labels, each
laid out for its size, made a keystroke on a large ledger take some 100 ms."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

HTML_ROLE = Qt.ItemDataRole.UserRole + 1  # the hit as rich text
MARGIN_X, MARGIN_Y = 6, 3


def hit_height(widget: QWidget) -> int:
    """One hit's height: two lines and the margins."""
    return 2 * widget.fontMetrics().lineSpacing() + 2 * MARGIN_Y + 4


class HitDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._doc = QTextDocument(self)
        self._doc.setDocumentMargin(0)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style draws the background, selection and focus; the text is drawn below
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        self._doc.setDefaultFont(opt.font)
        self._doc.setHtml(str(index.data(HTML_ROLE) or ""))
        painter.save()
        painter.setClipRect(opt.rect)
        painter.translate(opt.rect.left() + MARGIN_X, opt.rect.top() + MARGIN_Y)
        self._doc.drawContents(painter)
        painter.restore()

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        widget: Any = option.widget  # type: ignore[attr-defined]
        width = widget.viewport().width() - 2 * widget.spacing() if widget is not None else 0
        return QSize(width, 2 * option.fontMetrics.lineSpacing() + 2 * MARGIN_Y + 4)  # type: ignore[attr-defined]
