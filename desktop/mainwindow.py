"""The main window: a red header bar that names the branch, a navigation list of the sections that work, and
the section on the right. Keyboard: Ctrl+N 新建, Ctrl+F 搜索, Ctrl+S 保存, Ctrl+Z 撤销, Ctrl+P 导出."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import branch, clock
from db.connection import SNAPSHOT_REASONS, Ledger, list_snapshots, snapshot_info
from db.dates import fmt_zh
from desktop import fit
from desktop.dialogs import confirm, info, offer_open, show_error
from desktop.hub import Hub
from desktop.sections import Context, Section, section_class, section_entries
from desktop.widgets import ElidedLabel, clear_viewport

# Below this width the navigation list takes only what its titles need (a 1366×768 laptop at 125% or 150%);
# below this height (or width) the sections keep narrower margins.
WIDE_WINDOW = 1200
TALL_WINDOW = 700
NAV_WIDE = 168
SECTION_MARGINS = (20, 16, 20, 16)
SECTION_MARGINS_SMALL = (14, 10, 14, 10)
NAV_SHORT = "#NavList::item { padding: 2px 12px; }"


class SectionScroll(QScrollArea):
    """Holds one section in the stack. A section fits the window at every size the app supports
    (tests/desktop/test_fit.py); on a still smaller window it scrolls instead of being squeezed.

    The section gets the whole viewport but never less than its minimum size. (QScrollArea's own
    widgetResizable would keep it at its *preferred* height whenever a word-wrapped label is inside — nearly
    always — and scroll a section that fits.)"""

    def __init__(self, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        clear_viewport(self)
        self.setWidget(section)
        section.setAutoFillBackground(False)
        section.installEventFilter(self)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if obj is self.section and event.type() == QEvent.Type.LayoutRequest:
            self.place()
        return super().eventFilter(obj, event)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.place()

    def place(self) -> None:
        need = self.section.minimumSizeHint().expandedTo(self.section.minimumSize())
        room = self.maximumViewportSize()
        w, h = max(room.width(), need.width()), max(room.height(), need.height())
        if h > room.height():  # a vertical scroll bar takes its width
            w = max(room.width() - self.verticalScrollBar().sizeHint().width(), need.width())
        if w > room.width():
            h = max(room.height() - self.horizontalScrollBar().sizeHint().height(), need.height())
        if self.section.size() != QSize(w, h):
            self.section.resize(w, h)
        # its dividers come back once it is laid out (after this event, when the sizes are real)
        QTimer.singleShot(0, self, lambda: fit.restore_splitters(self.section))


def _relayout(widget: QWidget) -> None:
    for layout in widget.findChildren(QLayout):
        layout.invalidate()
    for layout in widget.findChildren(QLayout):
        layout.activate()


class _FirstPaint(QObject):
    """Lays a section out again after its first paint, once (see MainWindow._placed)."""

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, obj, lambda: _relayout(obj))
        return False


class Sections(Mapping[str, Section]):
    """The window's sections by key, in navigation order. A section is imported and built the first time it is
    asked for (shown, navigated to, or looked up): the 工作台 opens without importing the other screens, their
    models and exporters. Iterating gives the keys only and builds nothing; `built()` is what exists so far."""

    def __init__(self, window: MainWindow, entries: list[tuple[str, str, str]]) -> None:
        self._window = window
        self._modules = {key: module for key, _title, module in entries}
        self._built: dict[str, Section] = {}

    def __getitem__(self, key: str) -> Section:
        section = self._built.get(key)
        if section is None:
            module = self._modules[key]  # KeyError for an unknown key, as a dict would
            section = self._built[key] = section_class(module)(self._window.ctx)
            self._window._placed(key, section)
        return section

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def built(self) -> dict[str, Section]:
        return dict(self._built)


class MainWindow(QMainWindow):
    closed = Signal()
    switch_ledger = Signal(object)  # Path or None (welcome)

    def __init__(self, ledger: Ledger, *, demo: bool = False, progressive: bool = False) -> None:
        super().__init__()
        self.ledger = ledger
        self.demo = demo
        # the app's start: the 工作台 is painted first and fills in its findings and charts after (dashboard.py)
        self.progressive = progressive
        self.hub = Hub(self)
        ledger.listeners.append(self.hub.notify)
        self.hub.changed.connect(lambda _r: self._refresh_header())
        self.ctx = Context(ledger, self)
        self.setWindowTitle("支部台账")
        # below the free area of a 1366×768 laptop at 150% (911×512 logical, less taskbar and title bar)
        self.setMinimumSize(700, 400)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = QWidget()
        header.setObjectName("HeaderBar")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        hl = QHBoxLayout(header)
        hl.setContentsMargins(16, 8, 16, 8)
        self.header_title = ElidedLabel()
        self.header_title.setObjectName("HeaderTitle")
        self.header_info = ElidedLabel()
        hl.addWidget(self.header_title, 1)
        hl.addWidget(self.header_info)
        outer.addWidget(header)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("NavList")
        self.nav.setFixedWidth(NAV_WIDE)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        entries = section_entries()
        self.sections = Sections(self, entries)
        for key, title, _module in entries:
            self.stack.addWidget(QWidget())  # a placeholder until the section is first shown
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._nav_changed)
        from desktop.lock import install as install_lock

        self.lock = install_lock(self)  # 锁定台账 (Ctrl+L, idle minutes) and 台账密码 (issue #21)
        self._build_menus()
        self._refresh_header()
        self.nav.setCurrentRow(0)
        # made now, not on the first message, so that a message never shrinks the section under the mouse
        self.statusBar().setSizeGripEnabled(True)
        if demo:
            self.statusBar().showMessage("这是示例支部的临时副本：可以随意尝试，关闭后不保留。")
        self._fit_nav()
        fit.install()
        fit.manage(self, "main", (1280, 800))

    # -- navigation
    def _nav_changed(self, row: int) -> None:
        if row >= 0:
            self.sections[list(self.sections)[row]]  # built (and placed in the stack) on first use
            self.stack.setCurrentIndex(row)

    def _placed(self, key: str, section: Section) -> None:
        """A section just built takes its placeholder's place in the stack, with this window's margins."""
        row = list(self.sections).index(key)
        placeholder = self.stack.widget(row)
        current = self.stack.currentIndex()
        margins = self._section_margins()
        section.layout_.setContentsMargins(*margins)
        # made a child of the stack before the section goes in: under the app's style sheet each new parent
        # polishes the whole tree below it again (5–20 ms a section on its first visit, twice before)
        self.stack.insertWidget(row, SectionScroll(section, self.stack))
        # A section built while the window is shown is polished (the style sheet's sizes) as it is first shown,
        # after its inner layouts were measured: measure them again once it has been painted, or a nested
        # scroll area keeps its rows a pixel too short (tests/desktop/test_fit.py, the 设置 section).
        section.installEventFilter(_FirstPaint(section))
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if current == row:
            self.stack.setCurrentIndex(row)

    def current_section(self) -> Section | None:
        w = self.stack.currentWidget()
        return w.section if isinstance(w, SectionScroll) else None

    def _fit_nav(self) -> None:
        """On a narrow window the navigation list gives the section the width its titles do not need, and on
        a small one the sections' margins shrink."""
        margins = self._section_margins()
        for section in self.sections.built().values():
            if section.layout_.contentsMargins().left() != margins[0]:
                section.layout_.setContentsMargins(*margins)
        # thirteen sections in the height a 1366×768 laptop at 150% leaves (about 380 px): tighter rows, no scrolling
        short = self.height() < TALL_WINDOW
        if self.nav.property("short") != short:
            self.nav.setProperty("short", short)
            self.nav.setStyleSheet(NAV_SHORT if short else "")
        if self.width() >= WIDE_WINDOW:
            width = NAV_WIDE
        else:
            self.nav.ensurePolished()
            fm = self.nav.fontMetrics()
            texts = [self.nav.item(i).text() for i in range(self.nav.count())]
            # item padding 14 px each side, the 4 px mark of the current item, and the frame
            width = min(NAV_WIDE, max((fm.horizontalAdvance(t) for t in texts), default=60) + 28 + 4 + 8)
        if self.nav.width() != width:
            self.nav.setFixedWidth(width)

    def _section_margins(self) -> tuple[int, int, int, int]:
        small = self.width() < WIDE_WINDOW or self.height() < TALL_WINDOW
        return SECTION_MARGINS_SMALL if small else SECTION_MARGINS

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._fit_nav()
        super().resizeEvent(event)

    def show_section(
        self, key: str, subject_type: str | None = None, subject_id: Any = None, *, code: str | None = None
    ) -> None:
        """Show a section, at a subject if given; a finding's `code` lets a section with tabs pick the one that
        fixes it (`show_finding`)."""
        keys = list(self.sections)
        if key not in self.sections:
            return
        self.nav.setCurrentRow(keys.index(key))
        section = self.sections[key]
        section.ensure_fresh()
        if code is not None and hasattr(section, "show_finding"):
            section.show_finding(code, subject_type, subject_id)
        elif subject_type is not None:
            section.show_subject(subject_type, subject_id)

    def _refresh_header(self) -> None:
        name = branch.branch_name(self.ledger) or "（未填写支部名称）"
        self.header_title.setText(name + ("　【示例】" if self.demo else ""))
        self.header_info.setText(f"今天 {fmt_zh(clock.today())}　　台账：{self.ledger.path.name}")
        self.setWindowTitle(f"支部台账 — {name}")

    # -- menus and shortcuts
    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        m.addAction(self._action("新建台账…", self.new_ledger))
        m.addAction(self._action("打开台账…", self.open_ledger, QKeySequence.StandardKey.Open))
        m.addAction(self._action("打开示例支部", lambda: self.switch_ledger.emit("demo")))
        m.addSeparator()
        m.addAction(self._action("备份台账…", self.backup))
        m.addAction(self._action("从快照恢复…", self.restore_snapshot))
        m.addSeparator()
        m.addAction(self.password_action)
        m.addAction(self.lock_action)
        m.addSeparator()
        m.addAction(self._action("导出报表…", self.export_dialog, QKeySequence.StandardKey.Print))
        imp = m.addMenu("从 Excel 导入")
        # filled as it is first shown: the sheet importers are not imported for the first screen
        imp.aboutToShow.connect(lambda: self._fill_import_menu(imp))
        m.addSeparator()
        m.addAction(self._action("退出", self.close, QKeySequence.StandardKey.Quit))
        e = mb.addMenu("编辑(&E)")
        self.undo_action = self._action("撤销", self.undo, QKeySequence.StandardKey.Undo)
        e.addAction(self.undo_action)
        e.addSeparator()
        e.addAction(self._action("新建", lambda: self._delegate("new_item"), QKeySequence.StandardKey.New))
        e.addAction(
            self._action("搜索", lambda: self._delegate("focus_search"), QKeySequence.StandardKey.Find)
        )
        e.addAction(self._action("保存", lambda: self._delegate("save"), QKeySequence.StandardKey.Save))
        r = mb.addMenu("报表(&R)")
        r.addAction(self._action("园区表格…", self.forms_dialog))
        h = mb.addMenu("帮助(&H)")
        h.addAction(self._action("使用说明…", self.show_help, QKeySequence.StandardKey.HelpContents))
        h.addSeparator()
        h.addAction(self._action("关于支部台账", self.about))

    def _delegate(self, method: str) -> None:
        s = self.current_section()
        if s is not None:
            getattr(s, method)()

    # -- actions
    def undo(self) -> None:
        target = self.ledger.undoable()
        if target is None:
            self.statusBar().showMessage("没有可以撤销的操作", 4000)
            return
        try:
            self.ledger.undo_last()
        except Exception as e:  # noqa: BLE001
            show_error(self, e, "撤销未完成")
            return
        self.statusBar().showMessage(f"已撤销：{target.label}", 6000)

    def _fill_import_menu(self, menu: Any) -> None:
        if menu.actions():
            return
        for kind, (label, _noun) in self._import_kinds():
            menu.addAction(self._action(f"{label}…", lambda _c=False, k=kind: self.import_sheet(k)))

    @staticmethod
    def _import_kinds() -> list[tuple[str, tuple[str, str]]]:
        from db.sheets.imports import KINDS

        return list(KINDS.items())

    def import_sheet(self, kind: str = "members", path: Any = None) -> Any:
        """从 Excel 导入 one of the sheets secretaries keep: choose the file, see the dry run, then import."""
        from desktop.sheet_import_dialog import SheetImportDialog

        dlg = SheetImportDialog(self.ctx, path, self, kind=kind)
        if dlg.path is not None:
            dlg.exec()
        return dlg

    def export_dialog(self, template: str | None = None, params: Any = None) -> None:
        from desktop.export_dialog import ExportDialog

        ExportDialog(self.ctx, template, params, self).exec()

    def forms_dialog(self) -> None:
        from desktop.forms_dialog import FormsDialog

        FormsDialog(self.ctx, self).exec()

    def backup(self) -> None:
        default = str(Path.home() / f"{self.ledger.path.stem}-备份-{clock.today():%Y%m%d}.sqlite")
        path, _ = QFileDialog.getSaveFileName(self, "备份台账", default, "台账文件 (*.sqlite)")
        if not path:
            return
        try:
            self.ledger.backup(Path(path))
        except Exception as e:  # noqa: BLE001
            show_error(self, e, "备份未完成")
            return
        offer_open(self, Path(path), "备份完成")

    def restore_snapshot(self) -> None:
        from desktop.welcome import SnapshotDialog

        snaps = list_snapshots(self.ledger.path)
        if not snaps:
            info(self, "从快照恢复", "还没有快照。每次打开台账、升级和恢复之前，程序都会自动保存快照。")
            return
        dlg = SnapshotDialog(snaps, self)
        if not dlg.exec() or dlg.chosen is None:
            return
        when, _op, reason = snapshot_info(dlg.chosen)
        if not confirm(
            self,
            "从快照恢复",
            f"用 {when:%Y年%m月%d日 %H:%M} 的快照（{SNAPSHOT_REASONS.get(reason, reason)}）替换当前台账？\n"
            "恢复前会先为当前状态保存一个快照，可以再恢复回来。",
            "恢复",
            danger=True,
        ):
            return
        try:
            self.ledger.restore_from(dlg.chosen)
        except Exception as e:  # noqa: BLE001
            show_error(self, e, "恢复未完成")
            return
        self.hub.ledger_replaced.emit()
        self._refresh_header()
        self.statusBar().showMessage("已从快照恢复", 6000)

    def new_ledger(self) -> None:
        self.switch_ledger.emit("new")

    def open_ledger(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "打开台账", str(self.ledger.path.parent), "台账文件 (*.sqlite);;所有文件 (*)"
        )
        if path:
            self.switch_ledger.emit(Path(path))

    def show_help(self, start: str | None = None) -> None:
        """The user guides, rendered in the app (offline); `start` opens one (e.g. "guide-dues.md")."""
        from desktop.help import HelpDialog

        HelpDialog(self, start).exec()

    def about(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("branch-ledger")
        except PackageNotFoundError:
            v = "开发版"
        info(
            self,
            "关于支部台账",
            f"支部台账 {v}\n\n离线的党支部工作台账：花名册、三会一课、党费、发展党员、六个一。\n"
            f"台账文件：{self.ledger.path}",
        )

    def discard(self) -> None:
        """Built but never shown (its ledger failed the check that ran while it was built, desktop/app.py): what
        it set up let go, nothing of it remembered (closing would save its size), deleted."""
        self.lock.shutdown()
        self.closed.disconnect()
        self.switch_ledger.disconnect()
        self.deleteLater()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.lock.shutdown()
        dashboard = self.sections.built().get("dashboard")
        if dashboard is not None:
            dashboard.stop_filling()  # type: ignore[attr-defined]
        fit.save(self)
        self.closed.emit()
        super().closeEvent(event)
