"""The 三会一课 year grid: months across, kinds (and each 党小组) down, each cell held / missing / due / not
required in its colour; quarterly, half-yearly and yearly kinds span their months; a click opens the meeting
or starts one for that period. The states come from db.meetings.cadence_grid."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from db import meetings
from db.dates import fmt_zh
from db.rules import meetings as rules
from desktop.style import ERROR_RED

if TYPE_CHECKING:
    from desktop.sections.meetings.section import MeetingsSection


STATE_COLORS = {
    rules.HELD: "#DDEFDD",
    rules.MISSING: "#F8D7D7",
    rules.DUE: "#FFF0C8",
    rules.NOT_REQUIRED: "#EEEEEE",
    rules.FUTURE: "#FFFFFF",
    rules.PAPER: "#E8EEF5",
}


class CadenceGrid(QTableWidget):
    """Months across, kinds (and each 党小组) down; quarterly, half-yearly and yearly kinds span their months."""

    def __init__(self, section: MeetingsSection) -> None:
        super().__init__(0, 12)
        self.section = section
        self.rows: list[meetings.CadenceRow] = []
        self.setHorizontalHeaderLabels([f"{m}月" for m in range(1, 13)])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cellClicked.connect(self._clicked)
        self.setToolTip("单击格子：已开的打开会议记录，未开的新建一份")

    def show_rows(self, rows: list[meetings.CadenceRow]) -> None:
        self.clearSpans()
        self.rows = rows
        self.setRowCount(len(rows))
        self.setVerticalHeaderLabels([r.label for r in rows])
        for i, row in enumerate(rows):
            for c in row.cells:
                col = c.period.start.month - 1
                span = c.period.end.month - c.period.start.month + 1
                if span > 1:
                    self.setSpan(i, col, 1, span)
                text = rules.STATE_LABELS[c.state]
                if len(c.meeting_ids) > 1:
                    text += f" {len(c.meeting_ids)}次"
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(QColor(STATE_COLORS[c.state])))
                if c.state == rules.MISSING:
                    item.setForeground(QBrush(QColor(ERROR_RED)))
                item.setToolTip(
                    f"{c.period.label} {row.label}："
                    + {
                        rules.HELD: f"已开 {len(c.meeting_ids)} 次（单击打开）",
                        rules.MISSING: "没有记录（单击补录）",
                        rules.DUE: f"本期待开，{fmt_zh(c.period.end)}前（单击新建）",
                        rules.NOT_REQUIRED: "本期不要求",
                        rules.FUTURE: "尚未到期",
                        rules.PAPER: "电子台账起始日期之前，记在纸质台账上（单击可补录）",
                    }[c.state]
                )
                self.setItem(i, col, item)
        # as tall as its rows and no taller; on a short window the list below keeps its rows and this scrolls
        self.setMaximumHeight(self.natural_height())
        self.updateGeometry()

    def natural_height(self) -> int:
        """Every row shown, no scroll bar."""
        header = self.horizontalHeader().sizeHint().height()
        rows = sum(self.rowHeight(i) for i in range(self.rowCount()))
        return header + rows + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().sizeHint().width(), self.natural_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # the month header and two rows; the rest scrolls
        header = self.horizontalHeader().sizeHint().height()
        rows = sum(self.rowHeight(i) for i in range(min(2, self.rowCount())))
        return QSize(super().minimumSizeHint().width(), header + rows + 2 * self.frameWidth())

    def cell_at(self, row: int, col: int) -> tuple[meetings.CadenceRow, meetings.Cell] | None:
        if not 0 <= row < len(self.rows):
            return None
        r = self.rows[row]
        for c in r.cells:
            if c.period.start.month - 1 <= col <= c.period.end.month - 1:
                return r, c
        return None

    def _clicked(self, row: int, col: int) -> None:
        found = self.cell_at(row, col)
        if found:
            self.section.open_cell(*found)
