"""Long work off the GUI thread: one helper. The worker gets progress(done, total, label) and cancelled();
a progress dialog appears only if the work takes longer than about half a second. Tests set SYNC = True
to run the work inline."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

SYNC = False
_running: list[Any] = []


class _Worker(QThread):
    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object, str)

    def __init__(self, fn: Callable[..., Any]) -> None:
        super().__init__()
        self.fn = fn
        self.cancel_requested = False

    def run(self) -> None:
        try:
            result = self.fn(self.progressed.emit, lambda: self.cancel_requested)
        except BaseException as e:  # noqa: BLE001 - reported to the GUI thread
            self.failed.emit(e, traceback.format_exc())
        else:
            self.done.emit(result)


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

    worker = _Worker(fn)
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
        if worker in _running:
            _running.remove(worker)

    worker.progressed.connect(progressed)
    worker.done.connect(lambda r: (finish(), on_done(r)))
    worker.failed.connect(lambda e, tb: (finish(), fail(e)))
    _running.append(worker)
    QTimer.singleShot(0, worker.start)
