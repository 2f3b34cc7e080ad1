"""The bar chart of the 工作台's year at a glance: one per area, drawn from db/glance.py's charts (a bar opens the
section that fixes it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QSizePolicy,
    QWidget,
)

from db.glance import Chart
from desktop.style import ACCENT, OK_GREEN, TEXT_MUTED

__all__ = ["BarChart", "Chart"]


class BarChart(QFrame):
    """A small horizontal bar chart: label, bar (value against its total, or against the largest value), text."""

    ROW = 26

    def __init__(self, chart: Chart, on_open: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.chart = chart
        self.on_open = on_open
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("点击打开" + chart.title.split("：")[0])
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(chart.title)
        self.setFixedHeight(self.sizeHint().height())

    def changeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FontChange:
            self.setFixedHeight(self.sizeHint().height())

    def _metrics(self) -> QFontMetrics:
        return QFontMetrics(self.font())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        fm = self._metrics()
        line = max(self.ROW, fm.height() + 10)
        rows = max(1, len(self.chart.bars))
        h = 12 + fm.height() + 8 + rows * line + (fm.height() + 6 if self.chart.note else 0) + 8
        return QSize(320, h)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(260, self.sizeHint().height())

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self.on_open:
            self.on_open(self.chart.key)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.on_open:
            self.on_open(self.chart.key)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self._metrics()
        w = self.width()
        y = 10
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#222222"))
        p.drawText(QRectF(12, y, w - 24, fm.height() + 2), Qt.AlignmentFlag.AlignLeft, self.chart.title)
        p.setFont(self.font())
        y += fm.height() + 8
        line = max(self.ROW, fm.height() + 10)
        label_w = max([fm.horizontalAdvance(b.label) for b in self.chart.bars] + [40]) + 10
        text_w = max([fm.horizontalAdvance(b.text) for b in self.chart.bars] + [30]) + 10
        bar_x = 12 + label_w
        bar_w = max(40, w - bar_x - text_w - 12)
        peak = max([b.value for b in self.chart.bars if b.total is None] + [1])
        if not self.chart.bars:
            p.setPen(QColor(TEXT_MUTED))
            p.drawText(QRectF(12, y, w - 24, line), Qt.AlignmentFlag.AlignVCenter, "（暂无数据）")
            y += line
        for b in self.chart.bars:
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(12, y, label_w, line), Qt.AlignmentFlag.AlignVCenter, b.label)
            bh = min(14, line - 10)
            top = y + (line - bh) / 2
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#EEEAEA"))
            p.drawRoundedRect(QRectF(bar_x, top, bar_w, bh), 3, 3)
            total = b.total if b.total else peak
            frac = 0.0 if not total else max(0.0, min(1.0, b.value / total))
            if frac > 0:
                p.setBrush(QColor(OK_GREEN if b.ok else ACCENT))
                p.drawRoundedRect(QRectF(bar_x, top, max(4.0, bar_w * frac), bh), 3, 3)
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(bar_x + bar_w + 8, y, text_w, line), Qt.AlignmentFlag.AlignVCenter, b.text)
            y += line
        if self.chart.note:
            p.setPen(QColor(TEXT_MUTED))
            p.drawText(
                QRectF(12, y + 2, w - 24, fm.height() + 4), Qt.AlignmentFlag.AlignLeft, self.chart.note
            )
        p.end()
