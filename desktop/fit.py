"""Every window fits the screen it opens on, and comes back as the secretary left it.

A 1366×768 laptop at 150% has 911×512 logical pixels (less the taskbar); the main window used to open at
1280×800 there, with its status bar and window buttons off the screen. `fit_geometry` is the one rule, a pure
function of the available geometry so that tests can feed it any screen: a remembered window comes back where it
was only if it still fits; otherwise the default size, shrunk to the free area and centred.

`manage(window, key, default)` applies that rule before the window is shown and remembers, when it is closed or
hidden, its size and position, whether it was maximised, and the sizes of every QSplitter inside it that has an
objectName. A splitter's sizes come back only when they fit the splitter as it is laid out now. The main window,
the welcome screen and 联络员汇总 call it themselves; every dialog the app opens gets it from `install`, an
application event filter that fits a dialog to the screen as it is shown (keyed by its class; a dialog gets
back only a size the secretary chose, and Qt centres it over its parent).

The state lives in one ini file in the data folder (`window-state.ini`, beside the ledger; portable mode keeps it
on the stick); `set_state_file` points it elsewhere (the tests point it at a temporary folder). `simulate_screen`
makes every window believe the free area is a given rectangle (the tests open each screen on 1280×720,
1093×614, 1366×768 and 911×512 this way; in real use the area comes from QScreen.availableGeometry()).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QSplitter, QWidget

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


class _Memory(QObject):
    """The event filter that saves a window's geometry and splitters when it is closed or hidden."""

    def __init__(self, window: QWidget, key: str) -> None:
        super().__init__(window)
        self.window = window
        self.key = key
        self.splitters: dict[str, _SplitterMemory] = {}
        # a dialog keeps a size only when it is not the one it was given (the secretary resized it)
        self.given: QSize | None = None
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # a minimised window is hidden spontaneously: that is not the secretary closing it
        if obj is getattr(self, "window", None) and (
            event.type() == QEvent.Type.Close
            or (event.type() == QEvent.Type.Hide and not event.spontaneous())
        ):
            self.save()
        return False

    def adopt_splitters(self) -> None:
        s = settings()
        for sp in self.window.findChildren(QSplitter):
            name = sp.objectName()
            if name and not name.startswith("qt_") and name not in self.splitters:
                self.splitters[name] = _SplitterMemory(sp, self.key, s)

    def save(self) -> None:
        w = self.window
        if w.isMinimized():
            return
        s = settings()
        maximised = w.isMaximized() or w.isFullScreen()
        geo = w.normalGeometry() if maximised else w.geometry()
        if geo.isValid() and (self.given is None or geo.size() != self.given):
            s.setValue(f"{self.key}/geometry", [geo.x(), geo.y(), geo.width(), geo.height()])
        if self.given is None:
            s.setValue(f"{self.key}/maximized", bool(maximised))
        self.adopt_splitters()
        for mem in self.splitters.values():
            mem.save(s)
        s.sync()


class _SplitterMemory(QObject):
    """Restores a splitter's remembered sizes the first time it is laid out, if they fit it then."""

    def __init__(self, splitter: QSplitter, window_key: str, s: QSettings) -> None:
        super().__init__(splitter)
        self.splitter = splitter
        self.prefix = f"{window_key}/splitters/{splitter.objectName()}"
        self.seen = False
        self.applied: str | None = None  # the orientation whose remembered sizes were applied
        self.wanted = {
            o: _int_list(s.value(f"{self.prefix}/{o}"))
            for o in ("horizontal", "vertical")
            if s.contains(f"{self.prefix}/{o}")
        }
        splitter.installEventFilter(self)

    def orientation(self) -> str:
        return "horizontal" if self.splitter.orientation() == Qt.Orientation.Horizontal else "vertical"

    def apply(self) -> bool:
        sizes = self.wanted.get(self.orientation())
        if sizes and splitter_sizes_fit(self.splitter, sizes):
            self.splitter.setSizes(sizes)
            self.applied = self.orientation()
            return True
        return False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is getattr(self, "splitter", None) and event.type() == QEvent.Type.Resize and not self.seen:
            sp = self.splitter
            if sp.isVisible() and sp.width() > 0 and sp.height() > 0:
                self.seen = True
                self.apply()
        return False

    def save(self, s: QSettings) -> None:
        if self.seen:
            s.setValue(f"{self.prefix}/{self.orientation()}", self.splitter.sizes())


def restored(splitter: QSplitter) -> bool:
    """The splitter got back the sizes the secretary left it with (so a section keeps its hands off)."""
    mem = splitter.findChild(_SplitterMemory)
    return mem is not None and mem.applied == mem.orientation()


def apply_remembered(splitter: QSplitter) -> bool:
    """Give a splitter its remembered sizes for its orientation now (after a section turned it); False when
    there are none or they do not fit."""
    mem = splitter.findChild(_SplitterMemory)
    return mem is not None and mem.apply()


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
    mem = window.findChild(_Memory)
    if mem is None:
        mem = _Memory(window, key)
    mem.given = geo.size() if is_dialog else None
    mem.adopt_splitters()
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


_SHOW = QEvent.Type.Show


class _DialogFitter(QObject):
    """Fits every dialog to the screen the moment it is shown (before Qt centres it over its parent). It sees
    every event of the application, so it looks at the event's type first and at nothing else."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() is not _SHOW or not isinstance(obj, QDialog):
            return False
        if (
            obj.isWindow()
            and not event.spontaneous()
            and type(obj).__name__ not in _NOT_MANAGED
            and obj.findChild(_Memory) is None
        ):
            default = obj.size() if obj.testAttribute(Qt.WidgetAttribute.WA_Resized) else obj.sizeHint()
            manage(obj, dialog_key(obj), default.expandedTo(obj.minimumSize()))
        return False


_fitter: _DialogFitter | None = None


def install() -> None:
    """Fit every dialog of the running application to its screen (idempotent)."""
    global _fitter
    app = QApplication.instance()
    if app is None or _fitter is not None:
        return
    _fitter = _DialogFitter(app)
    app.installEventFilter(_fitter)


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
    "install",
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
