"""The sections of the main window. Each module defines `SECTION`, a Section subclass. Only modules that exist
are shown, in this order: a feature that is not done is not in the list."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from db import clock

if TYPE_CHECKING:
    from db.connection import Ledger, OpResult
    from desktop.mainwindow import MainWindow

SECTION_MODULES = (
    "desktop.sections.dashboard",
    "desktop.sections.branch",
    "desktop.sections.roster",
    "desktop.sections.meetings",
    "desktop.sections.orglife",
    "desktop.sections.guide",
    "desktop.sections.dues",
    "desktop.sections.development",
    "desktop.sections.checklist",
    "desktop.sections.park",
    "desktop.sections.package",
    "desktop.sections.history",
    "desktop.sections.settings",
)
# The navigation list's titles, known without importing the sections: the main window imports a section (and
# what it needs: its models, exporters …) only when it is first shown. Each must equal its class's `title`
# (tests/desktop/test_lazy_start.py).
SECTION_TITLES = {
    "dashboard": "工作台",
    "branch": "支部信息",
    "roster": "党员花名册",
    "meetings": "三会一课",
    "orglife": "组织生活",
    "guide": "园区要求",
    "dues": "党费",
    "development": "发展党员",
    "checklist": "六个一",
    "park": "园区工作",
    "package": "报送",
    "history": "操作记录",
    "settings": "设置",
}


class Context:
    """What a section may use: the ledger, the change hub, and navigation to other sections."""

    def __init__(self, ledger: Ledger, window: MainWindow) -> None:
        self.ledger = ledger
        self.window = window
        self.hub = window.hub

    def navigate(
        self, key: str, subject_type: str | None = None, subject_id: Any = None, *, code: str | None = None
    ) -> None:
        self.window.show_section(key, subject_type, subject_id, code=code)

    def today(self) -> dt.date:
        return clock.today()

    def status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 6000)


class Section(QWidget):
    key = ""
    title = ""
    # Tables whose changes make this section refresh; empty = any change.
    watches: frozenset[str] = frozenset()

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self._dirty = True
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(20, 16, 20, 16)
        ctx.hub.changed.connect(self._on_changed)
        ctx.hub.ledger_replaced.connect(self.mark_dirty)

    @property
    def ledger(self) -> Ledger:
        return self.ctx.ledger

    def _on_changed(self, result: OpResult) -> None:
        if not self.watches or (result.tables & self.watches):
            self.mark_dirty()

    def mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.ensure_fresh()

    def ensure_fresh(self) -> None:
        if self._dirty:
            self._dirty = False
            self.refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.ensure_fresh()

    # Overridables
    def refresh(self) -> None:
        """Reload what the section shows from the ledger."""

    def show_subject(self, subject_type: str | None, subject_id: Any) -> None:
        """Open a record (from a finding or another section)."""

    def new_item(self) -> None:
        """Ctrl+N."""

    def focus_search(self) -> None:
        """Ctrl+F: the section's search box (`self.search`) when it has one."""
        search = getattr(self, "search", None)
        if search is not None:
            search.setFocus()
            search.selectAll()

    def save(self) -> None:
        """Ctrl+S."""


def section_entries() -> list[tuple[str, str, str]]:
    """(key, title, module) of every section whose module exists, in order, without importing any of them."""
    out = []
    for name in SECTION_MODULES:
        if importlib.util.find_spec(name) is None:
            continue
        key = name.rsplit(".", 1)[1]
        out.append((key, SECTION_TITLES[key], name))
    return out


def section_class(module: str) -> type[Section]:
    cls: type[Section] = importlib.import_module(module).SECTION
    return cls


def section_classes() -> list[type[Section]]:
    out = []
    for name in SECTION_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        out.append(module.SECTION)
    return out
