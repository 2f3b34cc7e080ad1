"""Long work off the GUI thread: one helper. The worker gets progress(done, total, label) and cancelled();
a progress dialog appears only if the work takes longer than about half a second. Tests set SYNC = True
to run the work inline.

A worker is kept (in `_running`) until its thread has *finished*, not merely until it reported its result:
dropping the last reference to a QThread whose run() has returned but whose thread is still winding down
destroys a running QThread, which Qt answers with abort() (exit 134) — at the latest at interpreter exit,
right after the window is closed. `shutdown()` asks every running worker to stop and waits for it; the app
calls it before the QApplication goes."""

from __future__ import annotations

import atexit
import contextlib
import gc
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

SYNC = False
_running: list[Any] = []

# While background work runs:
# - the GIL is handed over every half millisecond instead of every 5 ms: an exporter is pure-Python reportlab,
#   openpyxl and record reads, and each time the GUI thread comes back from Qt it waits for the GIL;
# - the collector's full (oldest-generation) pass is held back: a package's interchange document and reports
#   are a few million objects, and each full pass over them stopped every thread, the GUI's too, for 0.2–0.5 s
#   (gc.callbacks during a package build). Young generations are still collected as usual, reference counting
#   frees the rest, and the full pass runs again once the last worker has ended and its objects are gone.
# Measured with tests/bench/bench_gui.py's stall rows; both restored when the last worker ends.
SWITCH_INTERVAL = 0.0005
FULL_GC_HELD = 1_000_000_000  # the oldest generation's threshold while held: never reached
_quiet_lock = threading.Lock()
_quiet_users = 0
_quiet_saved: tuple[float, tuple[int, int, int]] = (0.005, (700, 10, 10))


def _quiet(on: bool) -> None:
    """Enter (on) or leave the background-work settings above; nested workers count."""
    global _quiet_users, _quiet_saved
    with _quiet_lock:
        if on:
            if _quiet_users == 0:
                _quiet_saved = (sys.getswitchinterval(), gc.get_threshold())
                sys.setswitchinterval(min(SWITCH_INTERVAL, _quiet_saved[0]))
                young, middle, _old = _quiet_saved[1]
                gc.set_threshold(young, middle, FULL_GC_HELD)
            _quiet_users += 1
        else:
            _quiet_users -= 1
            if _quiet_users == 0:
                sys.setswitchinterval(_quiet_saved[0])
                gc.set_threshold(*_quiet_saved[1])


@contextlib.contextmanager
def background_work() -> Iterator[None]:
    """The settings above around work in a thread of the caller's own (the 工作台's start-up fill), as every
    worker of `background` has them."""
    _quiet(True)
    try:
        yield
    finally:
        _quiet(False)


class _Worker(QThread):
    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object, str)

    def __init__(self, fn: Callable[..., Any]) -> None:
        super().__init__()
        self.fn = fn
        self.cancel_requested = False

    def run(self) -> None:
        _quiet(True)
        try:
            result = self.fn(self.progressed.emit, lambda: self.cancel_requested)
        except BaseException as e:  # noqa: BLE001 - reported to the GUI thread
            self.failed.emit(e, traceback.format_exc())
        else:
            self.done.emit(result)
        finally:
            _quiet(False)


def run_task(
    parent: QWidget | None,
    label: str,
    fn: Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    cancellable: bool = True,
) -> None:
    """Run fn(progress, cancelled) in the background; call on_done(result) or on_error(exc) on the GUI thread."""
    from desktop.dialogs import show_error

    def fail(e: BaseException) -> None:
        if on_error:
            on_error(e)
        else:
            show_error(parent, e, label)

    if SYNC:
        try:
            result = fn(lambda *a: None, lambda: False)
        except Exception as e:  # noqa: BLE001
            fail(e)
            return
        on_done(result)
        return

    worker = background(fn)
    dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(lambda: setattr(worker, "cancel_requested", True))

    def progressed(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    def finish() -> None:
        dialog.close()
        dialog.deleteLater()

    worker.progressed.connect(progressed)
    worker.done.connect(lambda r: (finish(), on_done(r)))
    worker.failed.connect(lambda e, tb: (finish(), fail(e)))
    QTimer.singleShot(0, worker.start)


def background(fn: Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]) -> _Worker:
    """A worker for fn(progress, cancelled) that is not yet started, for a window that shows the progress itself
    (run_task shows a dialog): the caller connects progressed / done(result) / failed(exc, traceback), then calls
    start(); setting cancel_requested asks fn to stop. It is kept until its thread has ended, and shutdown() stops
    and waits for it when the app quits."""
    worker = _Worker(fn)

    def finished() -> None:  # the thread has ended: only now may the QThread go
        if worker in _running:
            _running.remove(worker)
        worker.deleteLater()

    worker.finished.connect(finished)
    _running.append(worker)
    return worker


def running() -> int:
    """How many background tasks have not finished yet."""
    return len(_running)


def shutdown() -> None:
    """Ask every background task to stop and wait until its thread has ended (the exporters check the cancel
    flag between steps). Called when the app quits, before the QApplication is destroyed."""
    for worker in list(_running):
        worker.cancel_requested = True
    for worker in list(_running):
        worker.wait()
    _running.clear()


# A safety net for every way of leaving Python (the app's main() calls shutdown() itself, earlier).
atexit.register(shutdown)
