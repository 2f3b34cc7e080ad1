"""Thin, typed table models: a list of row objects, columns that say how to show and sort each value, and one
shared sort/filter proxy that searches every column as you type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cmp_to_key
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


def _compare(a: Any, b: Any) -> int:
    """-1, 0 or 1 as FilterProxy.lessThan orders two keys: natively, or as text where they do not compare."""
    try:
        return -1 if a < b else 1 if b < a else 0
    except TypeError:
        sa, sb = str(a), str(b)
        return -1 if sa < sb else 1 if sb < sa else 0


class RowModel(QAbstractTableModel, Generic[T]):
    """Row objects shown by columns. The model keeps its rows in the order they are shown: `sort` (a header
    clicked, `sortByColumn`) orders them in Python, once, by the column's keys, and `set_rows` puts new rows in
    that order; `given` keeps them in the order `set_rows` had them. Sorted by the proxy instead, every reset
    had Qt call a Python `lessThan` n·log n times, each comparison making two source indexes that ask
    `rowCount` and `columnCount` again: 36 of the 40 ms it took to show the 1,148 meetings of a 20-year
    ledger anew."""

    def __init__(self, columns: Sequence[Col[T]], rows: Sequence[T] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.given: list[T] = list(rows)
        self.rows: list[T] = list(rows)
        self._order: list[int] = list(range(len(self.rows)))  # rows[i] is given[_order[i]]
        self._sorted_by: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)  # column −1: as given
        # Per column, every given row's sort key; per shown row, its text for the search: computed once for the
        # rows the model has, so that sorting and each keystroke of a search do not ask data() for every cell.
        self._sort_keys: dict[int, list[Any]] = {}
        self._texts: list[str] | None = None
        self.modelReset.connect(self._forget)
        self.dataChanged.connect(self._changed)
        self.rowsInserted.connect(self._forget)
        self.rowsRemoved.connect(self._forget)

    def _forget(self, *_args: Any) -> None:
        self._sort_keys.clear()
        self._texts = None

    def _changed(self, *_args: Any) -> None:
        """Rows changed in place: searched and sorted by their new values (as a dynamic proxy moved them)."""
        self._forget()
        if self._sorted_by[0] >= 0:
            self._reorder()

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.given = list(rows)
        self._forget()
        self._order = self._sorted(list(range(len(self.given))))
        self.rows = [self.given[i] for i in self._order]
        self.endResetModel()

    def sort_keys(self, column: int) -> list[Any]:
        """The column's sort key of each given row (in the order of `given`)."""
        keys = self._sort_keys.get(column)
        if keys is None or len(keys) != len(self.given):
            get = self.columns[column].get
            keys = self._sort_keys[column] = [sort_key(get(r)) for r in self.given]
        return keys

    def _sorted(self, order: list[int]) -> list[int]:
        """`order` (indexes into `given`) sorted by the sort column as a view's QSortFilterProxyModel sorted it
        (tests/desktop/test_models_sort.py holds the two equal): stably in both directions, so that rows that
        sort alike keep the order they were shown in (new rows: the order given), and values that do not
        compare with each other compared as text. Without a sort column, the order `set_rows` gave."""
        column, how = self._sorted_by
        if column < 0:  # no column: as given (descending: the other way round, as Qt does)
            return sorted(order, reverse=how == Qt.SortOrder.DescendingOrder)
        keys = self.sort_keys(column)
        reverse = how == Qt.SortOrder.DescendingOrder  # stable too: rows that sort alike keep their order
        try:
            return sorted(order, key=keys.__getitem__, reverse=reverse)
        except TypeError:

            def by_keys(a: int, b: int) -> int:
                return _compare(keys[a], keys[b])

            return sorted(order, key=cmp_to_key(by_keys), reverse=reverse)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt override: the rows in the column's order (column −1: the order `set_rows` gave)."""
        self._sorted_by = (column if column < len(self.columns) else -1, order)
        self._reorder()

    def _reorder(self) -> None:
        new = self._sorted(self._order)
        if new == self._order:
            return
        self.layoutAboutToBeChanged.emit()
        moved_to = {g: i for i, g in enumerate(new)}  # given index -> its new row
        old = self.persistentIndexList()  # the selection and current row of the views, kept on their rows
        self.changePersistentIndexList(
            old,
            [
                self.index(moved_to[self._order[p.row()]], p.column()) if p.isValid() else QModelIndex()
                for p in old
            ],
        )
        self._order = new
        self.rows = [self.given[i] for i in new]
        self._texts = None  # the search texts follow the rows shown
        self.layoutChanged.emit()

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

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt override: a RowModel sorts its own rows (RowModel.sort), and this proxy keeps their order and only
        filters them; another model is sorted here, by `lessThan`."""
        model = self.sourceModel()
        if isinstance(model, RowModel):
            if self.sortColumn() != -1:
                super().sort(-1, Qt.SortOrder.AscendingOrder)  # the source's order (descending: reversed)
            model.sort(column, order)
            return
        super().sort(column, order)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        """A model other than a RowModel (which sorts itself): by its sort role's values, ordered as RowModel
        orders its keys."""
        return _compare(left.data(self.sortRole()), right.data(self.sortRole())) < 0
