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
    row = model.given[0]  # 赵六, changed in place, as the 六个一 section does with its photo counts
    i = model.rows.index(row)
    row.n, row.name = -1, "孙八"
    model.dataChanged.emit(model.index(i, 0), model.index(i, 1))
    # moved to its place by its new value, as a dynamic sort moved it
    assert _shown(proxy) == ["孙八", "钱七"]
    proxy.set_search("孙")
    assert _shown(proxy) == ["孙八"]
    proxy.set_search("")
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert _shown(proxy) == ["孙八", "钱七"]


def test_data_answers_its_roles_as_ints_or_enums_and_nothing_else(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QModelIndex

    from desktop.models import ROW_ROLE, SORT_ROLE

    model: RowModel[R] = RowModel(
        [
            Col("姓名", lambda r: r.name, tooltip=lambda r: f"提示{r.name}"),
            Col("数", lambda r: r.n, align="right", color=lambda r: "#b3261e" if r.n < 0 else None),
        ],
        [R("张三", -3), R("李四", 1)],
    )
    role = Qt.ItemDataRole
    name, n, n_ok = model.index(0, 0), model.index(0, 1), model.index(1, 1)
    for r in (role.DisplayRole, int(role.DisplayRole)):  # an enum from Python, an int from Qt
        assert model.data(name, r) == "张三"
    assert model.data(n, SORT_ROLE) == -3 and model.data(n, ROW_ROLE) is model.rows[0]
    assert (
        model.data(n, role.TextAlignmentRole) == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.data(name, role.ToolTipRole) == "提示张三" and model.data(n, role.ToolTipRole) is None
    red = model.data(n, role.ForegroundRole)
    assert red.color().name() == "#b3261e"
    assert model.data(n, int(role.ForegroundRole)) is red  # one brush per colour
    assert model.data(n_ok, role.ForegroundRole) is None and model.data(name, role.ForegroundRole) is None
    for other in (
        role.DecorationRole,
        role.FontRole,
        role.BackgroundRole,
        role.CheckStateRole,
        role.SizeHintRole,
    ):
        assert model.data(name, other) is None
    assert model.data(QModelIndex(), role.DisplayRole) is None
    assert model.data(model.index(5, 0), role.DisplayRole) is None  # no such row
