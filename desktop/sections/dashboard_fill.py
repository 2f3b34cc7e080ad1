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

import collections
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal

from db.glance import parts, warm
from desktop.tasks import background_work

_running: list[Fill] = []
_running_lock = threading.Lock()
SHOWN_WAIT_S = 0.25  # the longest the thread waits for a part to be shown (a window that never paints)
_SHOWN = QEvent.Type(QEvent.registerEventType())


class _Relay(QObject):
    """The one hand-over point of every fill, living in the GUI thread for the whole session: a part emitted from a
    fill's thread is delivered there (queued) and given to that fill's on_part.

    One for all fills rather than one per fill: a QObject of a fill's own went when the last Python reference to
    the fill did, which could be while Qt still held a queued part or a posted event for it, or in whichever
    thread dropped that reference; this one is never deleted while the app runs (shutdown() lets it go, with no
    fill left). A fill is plain Python, freed anywhere."""

    part = Signal(object)  # (fill, kind, value)

    def __init__(self) -> None:
        super().__init__()
        self._waiting: collections.deque[Fill] = collections.deque()  # handed parts, oldest first
        self.part.connect(self._deliver)

    def _deliver(self, part: tuple[Any, str, Any]) -> None:
        fill, kind = part[0], part[1]
        try:
            if kind in ("done", "failed"):
                fill.finished()  # its thread has nothing left to do: ended here (it is ending), then let go
            if not fill.cancelled and fill.receiver_alive():
                fill.on_part(part)
        finally:
            # Once the events this part's showing posted (layout, the update that paints) are handled — they are
            # ahead of this one in the queue, the paint at low priority too — the fill's thread may go on.
            self._waiting.append(fill)
            QCoreApplication.postEvent(self, QEvent(_SHOWN), Qt.EventPriority.LowEventPriority.value)

    def customEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.type() == _SHOWN and self._waiting:
            self._waiting.popleft().shown.set()


_relay: _Relay | None = None


def relay() -> _Relay:
    """The session's relay, made on first use (a Fill is made on the GUI thread, so it lives there)."""
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


class Fill:
    """One fill of the 工作台 as of a date. `on_part((fill, kind, value))` runs on the GUI thread for each part, then
    "done" with the reader — or "failed" with the exception if the reading failed; by then the fill has finished
    (its thread ended, the fill let go). Nothing is handed to on_part once the fill is cancelled, nor once the
    widget whose method it is has been deleted."""

    def __init__(self, ledger: Any, on: dt.date, on_part: Callable[[tuple[Any, str, Any]], None]) -> None:
        self.on = on
        self.cancelled = False
        self.on_part = on_part
        self.shown = threading.Event()  # set on the GUI thread once the part handed over is shown
        self._relay = relay()
        self.reader = ledger.reader()
        self.early = ledger.take_early_fill()  # db.early_fill.EarlyFill or None
        self.used_early = False  # whether the figures and findings shown came from it
        self.thread = threading.Thread(target=self._run, name="dashboard-fill", daemon=True)

    def receiver_alive(self) -> bool:
        """Whether on_part's widget still exists (a window closed and deleted while a part was on its way)."""
        import shiboken6

        owner = getattr(self.on_part, "__self__", None)
        return not isinstance(owner, QObject) or shiboken6.isValid(owner)

    def start(self) -> None:
        with _running_lock:
            _running.append(self)
        self.thread.start()

    def cancel(self) -> None:
        self.cancelled = True
        self.shown.set()

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
        self.shown.clear()
        if self.cancelled:  # after the clear: a cancel from now on sets it again and ends the wait
            return False
        self._relay.part.emit((self, kind, value))
        self.shown.wait(SHOWN_WAIT_S)  # the GUI thread shows it without us in its way
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
                self._relay.part.emit((self, "done", self.reader))
        except BaseException as e:  # noqa: BLE001 - handed to the GUI thread, which computes it there instead
            if not self.cancelled:
                self._relay.part.emit((self, "failed", e))
        finally:
            early, self.early = self.early, None
            if early is not None:  # slower than the thread, or cancelled: it is stopped
                early.discard()
            self.reader.close()
            if self.cancelled:  # no "done" will reach the GUI thread to call finished(): the fill goes now
                self._forget()

    def finished(self) -> None:
        """On the GUI thread, once the fill's last part has come: waits for its thread's last steps, lets it go."""
        self.thread.join()
        self._forget()

    def _forget(self) -> None:
        with _running_lock:
            if self in _running:
                _running.remove(self)


def shutdown() -> None:
    """Stop every fill and wait for its thread (the app calls this before the QApplication goes), then let the
    relay go while the QApplication is still there."""
    global _relay
    with _running_lock:
        fills = list(_running)
    for fill in fills:
        fill.cancel()
    for fill in fills:
        fill.thread.join()
    with _running_lock:
        _running.clear()
    if _relay is not None:
        _relay.deleteLater()
        _relay = None
