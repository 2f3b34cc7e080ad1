"""The walk behind tests/desktop/test_fit.py: what a person would call clipped, overlapping or hidden, checked on
the widget tree of a window laid out at a given size.

- no shown widget is smaller than the layout would have given it (its minimum size, else its minimum size hint
  by its size policy; a word-wrapped label: the height its text needs at its width);
- none lies outside its parent (scrolled contents and the cells of item views excepted: they scroll);
- the widgets of one layout do not overlap;
- a list or table shows at least `min_rows` whole rows (a list squeezed to one row hides what it lists);
- a tree whose items wrap shows each item's text whole (the 工作台 findings were cut to eight characters).
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLayout,
    QLineEdit,
    QScrollBar,
    QSizePolicy,
    QStackedLayout,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QWidget,
)

IGNORED = QSizePolicy.Policy.Ignored


def describe(w: QWidget | None) -> str:
    parts = []
    while w is not None and len(parts) < 5:
        name = type(w).__name__
        if w.objectName() and not w.objectName().startswith("qt_"):
            name += f"#{w.objectName()}"
        text = getattr(w, "text", None)
        if callable(text):
            try:
                t = text()
            except TypeError:
                t = None
            if isinstance(t, str) and t:
                name += f"[{t[:18]}]"
        title = getattr(w, "title", None)
        if callable(title):
            try:
                t = title()
            except TypeError:
                t = None
            if isinstance(t, str) and t:
                name += f"[{t[:18]}]"
        parts.append(name)
        w = w.parentWidget()
    return " < ".join(parts)


def _scrolled(w: QWidget) -> bool:
    """w is the content of a scroll area or an item view (it moves with the scroll bars)."""
    p = w.parentWidget()
    gp = p.parentWidget() if p is not None else None
    return isinstance(gp, QAbstractScrollArea) and gp.viewport() is p


def _in_item_view(w: QWidget, top: QWidget) -> bool:
    p = w.parentWidget()
    while p is not None and p is not top:
        if isinstance(p, QAbstractItemView):
            return True
        p = p.parentWidget()
    return False


def _internal(w: QWidget) -> bool:
    """Parts Qt draws and sizes itself: headers, scroll bars, the editor inside a spin or combo box, the clear
    button inside a line edit."""
    p = w.parentWidget()
    return isinstance(w, (QHeaderView, QScrollBar)) or isinstance(p, (QAbstractSpinBox, QComboBox, QLineEdit))


def needed_size(w: QWidget) -> tuple[int, int]:
    """What a layout guarantees a widget (Qt's qSmartMinSize), and what its text needs when it wraps."""
    pol = w.sizePolicy()
    hint = w.minimumSizeHint()
    size_hint = w.sizeHint()
    explicit = w.minimumSize()

    scrolls = isinstance(w, QAbstractScrollArea)

    def one(policy: QSizePolicy.Policy, h: int, sh: int, e: int) -> int:
        if policy == IGNORED:
            return e
        base = h if policy.value & QSizePolicy.PolicyFlag.ShrinkFlag.value else max(h, sh)
        if e > 0 and scrolls:
            return (
                e  # what it holds scrolls: its explicit minimum is the layout's word (rows are checked apart)
            )
        # an explicit minimum smaller than what the contents need still clips them
        return max(e, base) if e > 0 else base

    need_w = one(pol.horizontalPolicy(), hint.width(), size_hint.width(), explicit.width())
    container = w.layout() is not None or isinstance(w, (QStackedWidget, QTabWidget))
    if w.hasHeightForWidth() and container:
        # a container's heightForWidth is what its layout would like, not what it needs (and a stack's is the
        # tallest page's): its children are checked one by one instead
        need_h = explicit.height()
    elif w.hasHeightForWidth() and pol.verticalPolicy() != IGNORED:
        # a word-wrapped label: the lines its text takes at its width
        need_h = max(w.heightForWidth(w.width()), explicit.height())
    else:
        need_h = one(pol.verticalPolicy(), hint.height(), size_hint.height(), explicit.height())
    # a fixed or maximum size smaller than the contents is a clip too, but the maximum wins in Qt's layouts
    return min(need_w, w.maximumWidth()), min(need_h, w.maximumHeight())


def _sublayouts(lay: QLayout) -> list[QLayout]:
    """The layouts nested in `lay` (a nested layout is a QObject child of the one it was added to)."""
    return [c for c in lay.children() if isinstance(c, QLayout)]


def _layout_widgets(lay: QLayout, top: QWidget, candidates: list[QWidget]) -> list[QWidget]:
    """Of `candidates`, those placed by `lay` or a layout nested in it (a stacked layout's pages excepted).

    Asked with indexOf rather than by walking itemAt(i).widget(): a QLayoutItem is no QObject, so a Python
    wrapper of an item Qt has since deleted stays in shiboken's map while a reference cycle keeps it alive, and
    a new widget allocated at the same address is then handed back as that stale QWidgetItem wrapper.
    """
    out = [x for x in candidates if lay.indexOf(x) >= 0 and x.isVisibleTo(top)]
    for sub in _sublayouts(lay):
        if not isinstance(sub, QStackedLayout):
            out.extend(_layout_widgets(sub, top, candidates))
    return out


def _indexes(view: QAbstractItemView, parent: QModelIndex | None = None) -> Iterator[QModelIndex]:
    """Every row of the view top to bottom (a tree's children when expanded)."""
    model = view.model()
    parent = parent if parent is not None else view.rootIndex()
    for r in range(model.rowCount(parent)):
        idx = model.index(r, 0, parent)
        yield idx
        if isinstance(view, QTreeView) and view.isExpanded(idx):
            yield from _indexes(view, idx)


def rows_problem(view: QAbstractItemView, min_rows: int) -> str | None:
    """A list that cannot show `min_rows` whole rows (or all it has, when fewer)."""
    if view.model() is None or isinstance(view, QHeaderView):
        return None
    area = view.viewport().rect()
    total = shown = 0
    for idx in _indexes(view):
        total += 1
        r = view.visualRect(idx)
        if r.height() > 0 and r.top() >= area.top() and r.bottom() <= area.bottom():
            shown += 1
        if shown >= min_rows:
            return None
        if total > 500:
            break
    if shown >= min(min_rows, total):
        return None
    return f"shows {shown} of {total} rows (needs {min(min_rows, total)}): {describe(view)}"


def wrapped_text_problems(view: QTreeView) -> list[str]:
    """Items of a word-wrapping tree whose text needs more lines than their row has."""
    out: list[str] = []
    for idx in _indexes(view):
        for col in range(view.model().columnCount(idx.parent())):
            cell = idx.siblingAtColumn(col)
            text = cell.data()
            rect = view.visualRect(cell)
            if not isinstance(text, str) or not text or rect.width() <= 0:
                continue
            font = cell.data(Qt.ItemDataRole.FontRole) or view.font()
            box = QRect(0, 0, max(1, rect.width() - 6), 100000)  # Qt's text margin: 3 px a side
            need = QFontMetrics(font).boundingRect(box, int(Qt.TextFlag.TextWordWrap), text).height()
            if need > rect.height():
                out.append(f"item text cut: {rect.width()}×{rect.height()} for {need} px of “{text[:24]}…”")
    return out


def fit_problems(top: QWidget, *, min_rows: int = 3) -> list[str]:
    """Everything clipped, outside its parent, overlapping or hidden in `top` as it is laid out now."""
    out: list[str] = []
    widgets = [w for w in top.findChildren(QWidget) if not w.isWindow() and w.isVisibleTo(top)]
    for w in widgets:
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and not _in_item_view(w, top):
            problem = rows_problem(w, min_rows)
            if problem:
                out.append(problem)
            if isinstance(w, QTreeView) and w.wordWrap():
                out.extend(f"{p}: {describe(w)}" for p in wrapped_text_problems(w))
        if _internal(w):
            continue
        in_view = _in_item_view(w, top)
        need_w, need_h = needed_size(w)
        if w.width() < need_w or w.height() < need_h:
            out.append(f"clipped: {w.width()}×{w.height()} < {need_w}×{need_h}: {describe(w)}")
        p = w.parentWidget()
        if p is not None and not _scrolled(w) and not in_view and not p.rect().contains(w.geometry()):
            g = w.geometry()
            out.append(
                f"outside its parent: {g.x()},{g.y()} {g.width()}×{g.height()} in "
                f"{p.width()}×{p.height()}: {describe(w)}"
            )
    for w in [top, *widgets]:
        lay = w.layout()
        if lay is None or isinstance(lay, QStackedLayout):
            continue
        children = [x for x in w.children() if isinstance(x, QWidget) and not x.isWindow()]
        todo = [lay]
        while todo:
            one = todo.pop()
            todo.extend(_sublayouts(one))
            shown = _layout_widgets(one, top, children)
            for i, a in enumerate(shown):
                for b in shown[i + 1 :]:
                    if a.geometry().intersects(b.geometry()):
                        out.append(f"overlap: {describe(a)} / {describe(b)}")
    return sorted(set(out))
