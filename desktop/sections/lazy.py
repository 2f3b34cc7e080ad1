"""Pages a section builds only when they are first shown or asked for: the tabs of a QTabWidget (LazyTabs) and a
page of a QStackedWidget that is not the first one shown (LazyStackPage). A section's first visit then builds
what it shows and nothing else; a page never shown is never built, so never refreshed either.

A section names each lazy page with a `LazyPage` attribute: reading `section.talks` builds the page if it is
not built yet, so code and tests that reach a page by its attribute keep working. Code that only wants to act
on pages that exist (a refresh) asks `built()`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from PySide6.QtWidgets import QStackedWidget, QTabWidget, QWidget

W = TypeVar("W", bound=QWidget)


class LazyTabs:
    """The pages of `tabs`, each made by its factory the first time its tab becomes current or the page is asked
    for (`page`). Until then the tab holds an empty placeholder. `on_built(name, page)` runs after a page is
    built and has taken its placeholder's place, before whoever listens to `currentChanged` hears of it."""

    def __init__(self, tabs: QTabWidget, on_built: Callable[[str, QWidget], None] | None = None) -> None:
        self.tabs = tabs
        self.on_built = on_built
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._holders: dict[str, QWidget] = {}
        self._pages: dict[str, QWidget] = {}
        self._order: list[str] = []
        # connected first: a page is built before the section's own currentChanged handlers run
        tabs.currentChanged.connect(self._current_changed)

    def add(self, name: str, label: str, factory: Callable[[], QWidget], *, build: bool = False) -> None:
        self._order.append(name)
        if build:
            page = factory()
            self._pages[name] = page
            self.tabs.addTab(page, label)
            return
        holder = QWidget()
        self._factories[name] = factory
        self._holders[name] = holder
        self.tabs.addTab(holder, label)

    def page(self, name: str) -> QWidget:
        """The page, built now if it was not yet."""
        page = self._pages.get(name)
        if page is None:
            page = self._build(name)
        return page

    def is_built(self, name: str) -> bool:
        return name in self._pages

    def built(self) -> dict[str, QWidget]:
        """The pages built so far, in tab order."""
        return {n: self._pages[n] for n in self._order if n in self._pages}

    def name_at(self, index: int) -> str | None:
        w = self.tabs.widget(index)
        for name in self._order:
            if self._pages.get(name) is w or self._holders.get(name) is w:
                return name
        return None

    def current_name(self) -> str | None:
        return self.name_at(self.tabs.currentIndex())

    def _current_changed(self, index: int) -> None:
        name = self.name_at(index)
        if name is not None and name not in self._pages:
            self._build(name)

    def _build(self, name: str) -> QWidget:
        factory = self._factories.pop(name)
        holder = self._holders.pop(name)
        page = factory()
        self._pages[name] = page
        tabs = self.tabs
        i = tabs.indexOf(holder)
        current = tabs.currentIndex()
        label, tip, enabled = tabs.tabText(i), tabs.tabToolTip(i), tabs.isTabEnabled(i)
        # the page takes the placeholder's place without the tab widget saying that its current tab changed
        blocked = tabs.blockSignals(True)
        try:
            tabs.insertTab(i, page, label)
            tabs.removeTab(i + 1)
            tabs.setTabToolTip(i, tip)
            tabs.setTabEnabled(i, enabled)
            tabs.setCurrentIndex(current)
        finally:
            tabs.blockSignals(blocked)
        holder.deleteLater()
        if self.on_built is not None:
            self.on_built(name, page)
        return page


class LazyStackPage(Generic[W]):
    """One page of a QStackedWidget made the first time it is asked for (`get`), then added to the stack."""

    def __init__(self, stack: QStackedWidget, factory: Callable[[], W]) -> None:
        self.stack = stack
        self.factory = factory
        self.page: W | None = None

    def get(self) -> W:
        if self.page is None:
            self.page = self.factory()
            self.stack.addWidget(self.page)
        return self.page

    def is_current(self) -> bool:
        """Whether it is built and shown (never builds it)."""
        return self.page is not None and self.stack.currentWidget() is self.page


class LazyPage(Generic[W]):
    """`section.<name>`: the page of that name of `section.pages` (a LazyTabs), built on first access."""

    def __init__(self, pages_attr: str = "pages") -> None:
        self.pages_attr = pages_attr
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> LazyPage[W]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> W: ...
    def __get__(self, obj: Any, owner: type) -> Any:
        if obj is None:
            return self
        pages: LazyTabs = getattr(obj, self.pages_attr)
        return pages.page(self.name)


def lazy_exports(package: str, names: dict[str, str]) -> Callable[[str], Any]:
    """A package's module `__getattr__` (PEP 562) that imports `package.<names[name]>` when `name` is first asked
    for: a section package names its tabs' classes without importing them before the tab is built."""

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module hook's own name
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
