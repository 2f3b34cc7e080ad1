"""Every window fits the screen it opens on, and comes back as the secretary left it.

A 1366×768 laptop at 150% has 911×512 logical pixels (less the taskbar); the main window used to open at
1280×800 there, with its status bar and window buttons off the screen. `fit_geometry` is the one rule, a pure
function of the available geometry so that tests can feed it any screen: a remembered window comes back where it
was only if it still fits; otherwise the default size, shrunk to the free area and centred.

`manage(window, key, default)` applies that rule before the window is shown; `save(window)`, from its
closeEvent, remembers its size and position, whether it was maximised, and the sizes of every QSplitter inside
it that has an objectName (restored by `restore_splitters` when a section is laid out, and only when they fit
the splitter as it is then). The main window, the welcome screen and 联络员汇总 call both themselves; every
dialog the app opens is fitted by `install` as it is shown (keyed by its class; a dialog gets back only a size
the secretary chose, and Qt centres it over its parent).

The state lives in one ini file in the data folder (`window-state.ini`, beside the ledger; portable mode keeps it
on the stick); `set_state_file` points it elsewhere (the tests point it at a temporary folder). `simulate_screen`
makes every window believe the free area is a given rectangle (the tests open each screen on 1280×720,
1093×614, 1366×768 and 911×512 this way; in real use the area comes from QScreen.availableGeometry()).
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMargins, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QSplitter, QWidget

# Room for the window frame and title bar, not known before the window is shown (Windows 10/11 at any scale).
FRAME = QMargins(8, 31, 8, 8)
STATE_FILE_NAME = "window-state.ini"

_state_file: Path | None = None
_simulated: QRect | None = None


def set_state_file(path: Path | None) -> None:
    """Where window sizes are remembered; None: `window-state.ini` in the data folder."""
    global _state_file
    _state_file = Path(path) if path is not None else None


def state_file() -> Path:
    if _state_file is not None:
        return _state_file
    from db.paths import data_dir

    return data_dir() / STATE_FILE_NAME


def settings() -> QSettings:
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


# ------------------------------------------------------------------------------------------ the rule


def fit_geometry(
    remembered: QRect | None,
    default: QSize,
    minimum: QSize,
    available: QRect,
    frame: QMargins = FRAME,
) -> QRect:
    """The client rectangle of a top-level window on a screen whose free area is `available`.

    A remembered rectangle that lies wholly inside the free area (with room for its frame) and is not below the
    window's minimum comes back as it was. Otherwise: the remembered size if it still fits (else the default
    size), shrunk to the free area but not below the minimum, and centred in the free area."""
    room = available.marginsRemoved(frame)
    if remembered is not None and remembered.isValid() and _at_least(remembered.size(), minimum):
        if room.contains(remembered):
            return QRect(remembered)
        if _fits(remembered.size(), room.size()):
            return _centred(remembered.size(), room)
    size = QSize(min(default.width(), room.width()), min(default.height(), room.height())).expandedTo(minimum)
    return _centred(size, room)


def _fits(size: QSize, room: QSize) -> bool:
    return size.width() <= room.width() and size.height() <= room.height()


def _at_least(size: QSize, minimum: QSize) -> bool:
    return size.width() >= minimum.width() and size.height() >= minimum.height()


def _centred(size: QSize, room: QRect) -> QRect:
    r = QRect(QPoint(0, 0), size)
    r.moveCenter(room.center())
    # a window larger than the room (its minimum does not fit) keeps its title bar on the screen
    r.moveTop(max(r.top(), room.top()))
    r.moveLeft(max(r.left(), room.left()))
    return r


def simulate_screen(available: QRect | None) -> None:
    """Make every window fit `available` instead of the real screen (tests); None: the real screen again."""
    global _simulated
    _simulated = QRect(available) if available is not None else None


def available_geometry(widget: QWidget | None = None, near: QPoint | None = None) -> QRect:
    """The free area (without the taskbar) of the screen at `near`, else of the widget's, else the primary."""
    if _simulated is not None:
        return QRect(_simulated)
    screen = QGuiApplication.screenAt(near) if near is not None else None
    if screen is None and widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window().screen() if parent is not None else None) or widget.screen()
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)


# ------------------------------------------------------------------------------------------ memory
#
# No event filters: a Python filter also receives the events of an object that is being destroyed, and PySide
# then wraps a half-destroyed object (the suite aborted now and then). Windows are saved from their own
# closeEvent (MainWindow, Welcome, LiaisonWindow call `save`), dialogs when they finish, and a section's
# dividers are restored when its scroll area (an ancestor, so gone before them) lays it out.


def _rect_value(value: Any) -> QRect | None:
    if isinstance(value, QRect):
        return value
    if isinstance(value, (list, tuple)) and len(value) == 4:
        try:
            x, y, w, h = (int(v) for v in value)
        except (TypeError, ValueError):
            return None
        return QRect(x, y, w, h)
    return None


def _int_list(value: Any) -> list[int] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return None
    try:
        return [int(v) for v in value]
    except (TypeError, ValueError):
        return None


class _Splitter:
    """What is remembered of one named splitter, and whether it has been laid out (and so is worth saving)."""

    def __init__(self, prefix: str, s: QSettings) -> None:
        self.prefix = prefix
        self.seen = False
        self.applied: str | None = None  # the orientation whose remembered sizes were applied
        self.wanted = {
            o: _int_list(s.value(f"{prefix}/{o}"))
            for o in ("horizontal", "vertical")
            if s.contains(f"{prefix}/{o}")
        }

    def apply(self, sp: QSplitter) -> bool:
        sizes = self.wanted.get(_orientation(sp))
        if sizes and splitter_sizes_fit(sp, sizes):
            sp.setSizes(sizes)
            self.applied = _orientation(sp)
            return True
        return False


def _orientation(sp: QSplitter) -> str:
    return "horizontal" if sp.orientation() == Qt.Orientation.Horizontal else "vertical"


class _Memory:
    """A managed window's key, the size it was given (dialogs) and its splitters; kept on the window."""

    def __init__(self, key: str) -> None:
        self.key = key
        # a dialog keeps a size only when it is not the one it was given (the secretary resized it)
        self.given: QSize | None = None
        self.splitters: dict[str, _Splitter] = {}

    def splitter(self, sp: QSplitter) -> _Splitter | None:
        name = sp.objectName()
        if not name or name.startswith("qt_"):
            return None
        if name not in self.splitters:
            self.splitters[name] = _Splitter(f"{self.key}/splitters/{name}", settings())
        return self.splitters[name]


def _memory(widget: QWidget | None) -> _Memory | None:
    window = widget.window() if widget is not None else None
    mem = getattr(window, "_fit_memory", None) if window is not None else None
    return mem if isinstance(mem, _Memory) else None


def save(window: QWidget) -> None:
    """Remember a managed window's geometry and its dividers (call from closeEvent; dialogs do it themselves)."""
    mem = getattr(window, "_fit_memory", None)
    if not isinstance(mem, _Memory) or window.isMinimized():
        return
    s = settings()
    maximised = window.isMaximized() or window.isFullScreen()
    geo = window.normalGeometry() if maximised else window.geometry()
    if geo.isValid() and (mem.given is None or geo.size() != mem.given):
        s.setValue(f"{mem.key}/geometry", [geo.x(), geo.y(), geo.width(), geo.height()])
    if mem.given is None:
        s.setValue(f"{mem.key}/maximized", bool(maximised))
    for sp in window.findChildren(QSplitter):
        rec = mem.splitters.get(sp.objectName())
        if rec is not None and rec.seen:
            s.setValue(f"{rec.prefix}/{_orientation(sp)}", sp.sizes())
    s.sync()


def restore_splitters(root: QWidget) -> None:
    """Give the named splitters under `root` that are laid out now their remembered sizes, once each."""
    mem = _memory(root)
    if mem is None:
        return
    for sp in root.findChildren(QSplitter):
        rec = mem.splitter(sp)
        if rec is None or rec.seen or not sp.isVisible() or sp.width() <= 0 or sp.height() <= 0:
            continue
        rec.seen = True
        rec.apply(sp)


def restored(splitter: QSplitter) -> bool:
    """The splitter got back the sizes the secretary left it with (so a section keeps its hands off)."""
    mem = _memory(splitter)
    rec = mem.splitters.get(splitter.objectName()) if mem is not None else None
    return rec is not None and rec.applied == _orientation(splitter)


def apply_remembered(splitter: QSplitter) -> bool:
    """Give a splitter its remembered sizes for its orientation now (after a section turned it); False when
    there are none or they do not fit."""
    mem = _memory(splitter)
    rec = mem.splitter(splitter) if mem is not None else None
    return rec is not None and rec.apply(splitter)


def splitter_sizes_fit(splitter: QSplitter, sizes: list[int]) -> bool:
    """Remembered sizes fit when there is one per pane, they add up to no more than the splitter has now and no
    shown pane is below its minimum."""
    if len(sizes) != splitter.count() or any(v < 0 for v in sizes):
        return False
    horizontal = splitter.orientation() == Qt.Orientation.Horizontal
    room = (splitter.width() if horizontal else splitter.height()) - splitter.handleWidth() * (
        splitter.count() - 1
    )
    if sum(sizes) > room:
        return False
    for i, v in enumerate(sizes):
        pane = splitter.widget(i)
        if v == 0 or pane is None or pane.isHidden():
            continue
        need = pane.minimumSizeHint()
        if v < (need.width() if horizontal else need.height()):
            return False
    return True


def manage(
    window: QWidget, key: str, default: QSize | tuple[int, int], *, available: QRect | None = None
) -> QRect:
    """Size and place a top-level window before it is shown (see `fit_geometry`) and remember it from now on.

    Dialogs get only their size back; Qt centres them over their parent. Returns the geometry set."""
    if isinstance(default, tuple):
        default = QSize(*default)
    s = settings()
    remembered = _rect_value(s.value(f"{key}/geometry"))
    is_dialog = isinstance(window, QDialog)
    if available is None:
        available = available_geometry(
            window, None if is_dialog or remembered is None else remembered.center()
        )
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    if is_dialog:
        if remembered is not None:
            remembered = QRect(QPoint(0, 0), remembered.size())
            remembered.moveCenter(available.center())
        geo = fit_geometry(remembered, default, minimum, available)
        window.resize(geo.size())
    else:
        geo = fit_geometry(remembered, default, minimum, available)
        window.setGeometry(geo)
        if s.value(f"{key}/maximized") in (True, "true") and remembered is not None:
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    mem = getattr(window, "_fit_memory", None)
    if not isinstance(mem, _Memory) or mem.key != key:
        mem = _Memory(key)
        window._fit_memory = mem  # type: ignore[attr-defined]
    mem.given = geo.size() if is_dialog else None
    return geo


# Qt's own dialogs size themselves to their text and buttons.
_NOT_MANAGED = (
    "QMessageBox",
    "QInputDialog",
    "QFileDialog",
    "QProgressDialog",
    "QColorDialog",
    "QFontDialog",
)


def dialog_key(dialog: QDialog) -> str:
    module = type(dialog).__module__.removeprefix("desktop.")
    return f"dialogs/{module}.{type(dialog).__qualname__}"


def fit_dialog(dialog: QDialog) -> None:
    """Fit a dialog to the screen just before it is shown, once; it remembers its size when it finishes."""
    if (
        type(dialog).__name__ in _NOT_MANAGED
        or not dialog.isWindow()
        or isinstance(getattr(dialog, "_fit_memory", None), _Memory)
    ):
        return
    default = dialog.size() if dialog.testAttribute(Qt.WidgetAttribute.WA_Resized) else dialog.sizeHint()
    manage(dialog, dialog_key(dialog), default.expandedTo(dialog.minimumSize()))
    ref = weakref.ref(dialog)

    def finished(_result: int) -> None:
        d = ref()
        if d is not None:
            save(d)

    dialog.finished.connect(finished)


_installed = False


def install() -> None:
    """Fit every dialog of the app to its screen as it is shown (idempotent).

    QDialog's show, open and exec (as the app and the tests call them, from Python) fit the dialog first. No
    event filter: that would see every event of every object, the dying ones included."""
    global _installed
    if _installed:
        return
    _installed = True
    for name in ("show", "open", "exec"):
        original = getattr(QDialog, name)

        def fitted(self: QDialog, *args: Any, _original: Any = original) -> Any:
            fit_dialog(self)
            return _original(self, *args)

        fitted.__name__ = name
        setattr(QDialog, name, fitted)


def forget(key: str) -> None:
    """Drop what is remembered for one window (a test, or a reset)."""
    s = settings()
    s.remove(key)
    s.sync()


def saved_state(key: str) -> dict[str, Any]:
    """What is remembered for a window, as plain values (for tests and the about box)."""
    s = settings()
    s.beginGroup(key)
    out = {k: s.value(k) for k in s.allKeys()}
    s.endGroup()
    return out


__all__ = [
    "FRAME",
    "apply_remembered",
    "available_geometry",
    "dialog_key",
    "fit_dialog",
    "install",
    "restore_splitters",
    "save",
    "simulate_screen",
    "fit_geometry",
    "forget",
    "manage",
    "restored",
    "saved_state",
    "set_state_file",
    "settings",
    "splitter_sizes_fit",
    "state_file",
]
