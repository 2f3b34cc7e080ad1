"""The table model keeps each column's sort keys and each row's search text for the rows it has; a new set of
rows, or a row changed in place (dataChanged), is sorted and searched by its new values."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from desktop.models import Col, FilterProxy, RowModel


@dataclass
class R:
    name: str
    n: int


def _shown(proxy: FilterProxy) -> list[str]:
    return [proxy.index(i, 0).data() for i in range(proxy.rowCount())]


def test_sort_and_search_follow_new_and_changed_rows(qapp) -> None:  # type: ignore[no-untyped-def]
    model: RowModel[R] = RowModel([Col("姓名", lambda r: r.name), Col("数", lambda r: r.n)])
    proxy = FilterProxy()
    proxy.setSourceModel(model)
    model.set_rows([R("张三", 3), R("李四", 1), R("王五", 2)])
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert _shown(proxy) == ["李四", "王五", "张三"]
    proxy.set_search("王")
    assert _shown(proxy) == ["王五"]
    proxy.set_search("")
    model.set_rows([R("赵六", 9), R("钱七", 0)])
    assert _shown(proxy) == ["钱七", "赵六"]
    proxy.set_search("赵")
    assert _shown(proxy) == ["赵六"]
    proxy.set_search("")
    row = model.rows[0]  # changed in place, as the 六个一 section does with its photo counts
    row.n, row.name = -1, "孙八"
    model.dataChanged.emit(model.index(0, 0), model.index(0, 1))
    proxy.set_search("孙")
    assert _shown(proxy) == ["孙八"]
    proxy.set_search("")
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert _shown(proxy) == ["孙八", "钱七"]
