"""Thin, typed table models: a list of row objects, columns that say how to show and sort each value, and one
shared sort/filter proxy that searches every column as you type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from db.dates import fmt_zh

T = TypeVar("T")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


@dataclass
class Col(Generic[T]):
    title: str
    get: Callable[[T], Any]
    align: str = "left"
    width: int | None = None
    color: Callable[[T], str | None] | None = None
    tooltip: Callable[[T], str | None] | None = None


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return fmt_zh(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def sort_key(value: Any) -> Any:
    """Native values for sorting; empty last."""
    if value is None or value == "":
        return "\uffff"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return int(value)
    return value


_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "center": Qt.AlignmentFlag.AlignCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
}

# The roles `RowModel.data` answers, as plain ints: Qt asks every cell it paints for a dozen roles (decoration,
# font, background, check state, size hint…), and the others are answered None before the index is looked at.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ANSWERED = frozenset({_DISPLAY, int(SORT_ROLE), int(ROW_ROLE), _ALIGNMENT, _FOREGROUND, _TOOLTIP})
_BRUSHES: dict[str, QBrush] = {}  # one brush per colour, not one per cell painted


def brush(color: str) -> QBrush:
    got = _BRUSHES.get(color)
    if got is None:
        got = _BRUSHES[color] = QBrush(QColor(color))
    return got


class RowModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Col[T]], rows: Sequence[T] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = list(rows)
        # Per column, every row's sort key; per row, its text for the search: computed once for the rows the
        # model has, so that sorting and each keystroke of a search do not ask data() for every cell again.
        self._sort_keys: dict[int, list[Any]] = {}
        self._texts: list[str] | None = None
        self.modelReset.connect(self._forget)
        self.dataChanged.connect(self._forget)
        self.rowsInserted.connect(self._forget)
        self.rowsRemoved.connect(self._forget)

    def _forget(self, *_args: Any) -> None:
        self._sort_keys.clear()
        self._texts = None

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._forget()
        self.endResetModel()

    def sort_keys(self, column: int) -> list[Any]:
        keys = self._sort_keys.get(column)
        if keys is None or len(keys) != len(self.rows):
            get = self.columns[column].get
            keys = self._sort_keys[column] = [sort_key(get(r)) for r in self.rows]
        return keys

    def row_text(self, row: int) -> str:
        """Every column's text of a row, lower case, for the search."""
        if self._texts is None or len(self._texts) != len(self.rows):
            self._texts = [" ".join(display(c.get(r)) for c in self.columns).lower() for r in self.rows]
        return self._texts[row]

    def row_at(self, row: int) -> T:
        return self.rows[row]

    # Qt overrides
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role not in _ANSWERED:
            return None
        r = index.row()
        if not 0 <= r < len(self.rows) or not index.isValid():
            return None
        row = self.rows[r]
        col = self.columns[index.column()]
        if role == _DISPLAY:
            return display(col.get(row))
        if role == SORT_ROLE:
            return sort_key(col.get(row))
        if role == ROW_ROLE:
            return row
        if role == _ALIGNMENT:
            return _ALIGN.get(col.align)
        if role == _FOREGROUND:
            c = col.color(row) if col.color else None
            return brush(c) if c else None
        if role == _TOOLTIP and col.tooltip:
            return col.tooltip(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None


class FilterProxy(QSortFilterProxyModel):
    """Sorts by native values; filters rows where every word of the search text appears in some column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._words: list[str] = []
        self.extra: Callable[[Any], bool] | None = None

    def _refilter(self, change: Callable[[], None]) -> None:
        """Qt 6.9+ wants begin/endFilterChange around the change; older Qt only has invalidateFilter."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def set_search(self, text: str) -> None:
        words = [w.lower() for w in text.split()]
        if words == self._words:  # the same words (a section's refresh sets them again): rows as filtered
            return
        self._refilter(lambda: setattr(self, "_words", words))

    def set_extra_filter(self, fn: Callable[[Any], bool] | None) -> None:
        self._refilter(lambda: setattr(self, "extra", fn))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if self.extra is not None:
            row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
            if not self.extra(row):
                return False
        if not self._words:
            return True
        if isinstance(model, RowModel):
            texts = model.row_text(source_row)
            return all(w in texts for w in self._words)
        texts = " ".join(
            str(model.data(model.index(source_row, c, source_parent), Qt.ItemDataRole.DisplayRole) or "")
            for c in range(model.columnCount())
        ).lower()
        return all(w in texts for w in self._words)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if isinstance(model, RowModel) and self.sortRole() == SORT_ROLE:
            keys = model.sort_keys(left.column())
            a, b = keys[left.row()], keys[right.row()]
        else:
            a, b = left.data(self.sortRole()), right.data(self.sortRole())
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
