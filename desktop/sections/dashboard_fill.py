"""The 工作台's first fill at start-up, off the GUI thread: the branch's figures, every area's findings and each
year chart are computed in a thread on a read-only connection of its own (an SQLite connection belongs to the
thread that uses it; a password-protected ledger's reader opens with the same key) and handed to the GUI thread
part by part, while the window is already painted and taking input. What the reader built is kept by the
ledger when nothing changed meanwhile (Ledger.adopt_memo), so the next refresh reuses it. When a second process
computed the figures, findings and charts while the app started (db/early_fill.py), the thread shows those as
soon as they have come and computes the rest only for the views it keeps.

After handing over a part the thread waits until the GUI thread has shown it and painted (or SHOWN_WAIT_S):
showing a part calls Python (paint events, layout filters, the charts' painting) a dozen times, and each call
waited for the interpreter lock behind the thread's computing, up to 5 ms a time (sys.getswitchinterval) — the
window went 66–74 ms without turning on the 500-member ledger while its findings were shown."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal

from db.glance import parts, warm
from desktop.tasks import background_work

_running: list[Fill] = []
SHOWN_WAIT_S = 0.25  # the longest the thread waits for a part to be shown (a window that never paints)
_SHOWN = QEvent.Type(QEvent.registerEventType())


class _Relay(QObject):
    """Lives in the GUI thread: a signal emitted from the fill's thread is delivered there (queued)."""

    part = Signal(object)  # (fill, kind, value)

    def __init__(self) -> None:
        super().__init__()
        self.shown = threading.Event()

    def handled(self, _part: Any) -> None:
        """After the part's own slot: once the events it posted (layout, the update that paints) are handled —
        they are ahead of this one in the queue, the paint at low priority too — the thread may go on."""
        QCoreApplication.postEvent(self, QEvent(_SHOWN), Qt.EventPriority.LowEventPriority.value)

    def customEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.type() == _SHOWN:
            self.shown.set()


class Fill:
    """One fill of the 工作台 as of a date. `on_part((fill, kind, value))` runs on the GUI thread for each part, then
    "done" with the reader — or "failed" with the exception if the reading failed."""

    def __init__(self, ledger: Any, on: dt.date, on_part: Callable[[tuple[Any, str, Any]], None]) -> None:
        self.on = on
        self.cancelled = False
        self.relay = _Relay()
        self.relay.part.connect(on_part)
        self.relay.part.connect(self.relay.handled)  # after on_part: slots run in the order connected
        self.reader = ledger.reader()
        self.early = ledger.take_early_fill()  # db.early_fill.EarlyFill or None
        self.used_early = False  # whether the figures and findings shown came from it
        self.thread = threading.Thread(target=self._run, name="dashboard-fill", daemon=True)

    def start(self) -> None:
        _running.append(self)
        self.thread.start()

    def cancel(self) -> None:
        self.cancelled = True
        self.relay.shown.set()

    def _run(self) -> None:
        # the GIL handed over every half millisecond while it computes: each call the GUI thread makes into
        # Python (a paint, a layout filter, a keystroke) waited up to 5 ms behind it, a few in a row per paint
        with background_work():
            self._compute()

    def _early_now(self) -> dict[str, Any] | None:
        """What the early fill's process computed (db/early_fill.py), once it has answered and if it counts;
        None while it has not (the thread goes on computing) or when it cannot count (then never asked again)."""
        early = self.early
        if early is None or not early.ready():
            return None
        self.early = None
        got = early.result(self.on, int(self.reader.scalar("PRAGMA schema_version")))
        self.used_early = got is not None
        return got

    def _show(self, kind: str, value: Any) -> bool:
        """Hand a part to the GUI thread and wait until it is shown; False when the fill was cancelled."""
        self.relay.shown.clear()
        if self.cancelled:  # after the clear: a cancel from now on sets it again and ends the wait
            return False
        self.relay.part.emit((self, kind, value))
        self.relay.shown.wait(SHOWN_WAIT_S)  # the GUI thread shows it without us in its way
        return not self.cancelled

    def _compute(self) -> None:
        shown: set[str] = set()
        got: dict[str, Any] | None = None
        try:
            for kind, compute in parts(self.reader, self.on):
                if self.cancelled:
                    return
                if got is None:
                    got = self._early_now()
                    if got is not None:  # the process was first: what it computed is shown now
                        for k in ("figures", "found", "charts"):
                            if k not in shown:
                                shown.add(k)
                                if not self._show(k, got[k]):
                                    return
                value = compute()  # still computed: what it builds is kept for the next refresh
                if kind != "area" and kind not in shown:
                    shown.add(kind)
                    if not self._show(kind, value):
                        return
            if not self.cancelled:
                warm(self.reader)
            if not self.cancelled:
                self.relay.part.emit((self, "done", self.reader))
        except BaseException as e:  # noqa: BLE001 - handed to the GUI thread, which computes it there instead
            if not self.cancelled:
                self.relay.part.emit((self, "failed", e))
        finally:
            early, self.early = self.early, None
            if early is not None:  # slower than the thread, or cancelled: it is stopped
                early.discard()
            self.reader.close()

    def finished(self) -> None:
        """Called on the GUI thread once the fill's last part is handled: the thread has nothing left to do."""
        self.thread.join()
        if self in _running:
            _running.remove(self)


def shutdown() -> None:
    """Stop every fill and wait for its thread (the app calls this before the QApplication goes)."""
    for fill in list(_running):
        fill.cancel()
    for fill in list(_running):
        fill.thread.join()
    _running.clear()
