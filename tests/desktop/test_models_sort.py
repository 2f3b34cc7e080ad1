"""A table's rows are sorted by the model itself (RowModel.sort), not by the proxy: the same order Qt's own proxy
sort gave (stable, in both directions, one header click after another, values that do not compare ordered as
text), the selection kept on its row, and no Python comparison called back by Qt when the rows are set again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSortFilterProxyModel, Qt

from desktop.models import SORT_ROLE, Col, FilterProxy, RowModel

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


@dataclass
class R:
    tag: int  # which row it is: rows that sort alike are told apart by it
    a: Any
    b: Any


COLUMNS = [Col("行", lambda r: r.tag), Col("甲", lambda r: r.a), Col("乙", lambda r: r.b)]


class QtSorted(QSortFilterProxyModel):
    """Qt's own proxy sort over the model's rows, with the comparison FilterProxy.lessThan makes."""

    def lessThan(self, left: Any, right: Any) -> bool:  # noqa: N802 - Qt override
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


def _tags(proxy: Any) -> list[int]:
    return [proxy.index(i, 0).data(SORT_ROLE) for i in range(proxy.rowCount())]


values = st.one_of(
    st.none(),
    st.just(""),
    st.integers(-3, 3),
    st.sampled_from(["张三", "李四", "王五", "a", "b"]),
    st.dates(dt.date(2020, 1, 1), dt.date(2020, 1, 5)),
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(values, values), max_size=25),
    clicks=st.lists(
        st.tuples(st.sampled_from([1, 2, -1]), st.sampled_from([ASC, DESC])), min_size=1, max_size=3
    ),
)
def test_the_model_sorts_as_qts_proxy_sorted(
    qapp: Any, rows: list[tuple[Any, Any]], clicks: list[Any]
) -> None:
    items = [R(i, a, b) for i, (a, b) in enumerate(rows)]
    ours = RowModel(COLUMNS)
    mine = FilterProxy()
    mine.setSourceModel(ours)
    theirs_model = RowModel(COLUMNS)
    theirs = QtSorted()
    theirs.setSourceModel(theirs_model)
    theirs.setSortRole(SORT_ROLE)
    ours.set_rows(items)
    theirs_model.set_rows(items)
    _tags(
        theirs
    )  # shown, as in a view: Qt's proxy sorts the rows it has mapped (unmapped, it sorts otherwise)
    for column, order in clicks:  # header clicks one after another: each sorts what the last one showed
        mine.sort(column, order)
        QSortFilterProxyModel.sort(theirs, column, order)
        assert _tags(mine) == _tags(theirs)
    # new rows are shown in the order of the last click, as the proxy's dynamic sort showed them
    again = list(reversed(items))
    ours.set_rows(again)
    theirs_model.set_rows(again)
    assert _tags(mine) == _tags(theirs)
    assert ours.given == again  # the rows as given stay at hand


def test_setting_rows_again_calls_no_python_comparison(qapp: Any, monkeypatch: Any) -> None:
    calls: list[int] = []
    original = FilterProxy.lessThan

    def counting(self: FilterProxy, left: Any, right: Any) -> bool:
        calls.append(1)
        return original(self, left, right)

    monkeypatch.setattr(FilterProxy, "lessThan", counting)
    model = RowModel(COLUMNS)
    proxy = FilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(1, DESC)
    model.set_rows([R(i, i % 7, str(i)) for i in range(300)])
    assert proxy.rowCount() == 300
    assert _tags(proxy)[:3] == [6, 13, 20]  # 6 first, rows that sort alike in the order given
    assert calls == []
    assert proxy.sortColumn() == -1  # the proxy filters; the rows come sorted


def test_a_header_click_keeps_the_selected_row_and_a_search(qtbot: Any) -> None:
    from desktop.widgets import Table

    model = RowModel(COLUMNS)
    table = Table(model)
    qtbot.addWidget(table)
    model.set_rows([R(0, 3, "丙"), R(1, 1, "甲"), R(2, 2, "乙")])
    table.sortByColumn(-1, ASC)
    assert _tags(table.proxy) == [0, 1, 2]
    table.select_where(lambda r: r.tag == 2)
    table.sortByColumn(1, ASC)
    assert _tags(table.proxy) == [1, 2, 0]
    assert table.current_row().tag == 2
    table.proxy.set_search("乙")
    assert _tags(table.proxy) == [2]
    table.proxy.set_search("")
    table.sortByColumn(1, DESC)
    assert _tags(table.proxy) == [0, 2, 1]
    assert table.current_row().tag == 2
    table.sortByColumn(-1, ASC)  # no sort column: the order the rows were given in
    assert _tags(table.proxy) == [0, 1, 2]
    assert table.current_row().tag == 2
