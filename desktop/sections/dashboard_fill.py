"""The 工作台's first fill at start-up, off the GUI thread: the branch's figures, every area's findings and each
year chart are computed in a thread on a read-only connection of its own (an SQLite connection belongs to the
thread that uses it; a password-protected ledger's reader opens with the same key) and handed to the GUI thread
part by part, while the window is already painted and taking input. What the reader built is kept by the
ledger when nothing changed meanwhile (Ledger.adopt_memo), so the next refresh reuses it."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Signal

from db import branch, findings
from desktop.sections.glance import GLANCE_BUILDERS, glance_charts

_running: list[Fill] = []


def parts(ledger: Any, on: dt.date) -> Iterator[tuple[str, Callable[[], Any]]]:
    """The fill, in the order it is shown: (kind, compute). The same reads as an immediate refresh makes."""

    def figures() -> dict[str, Any]:
        from db import members

        return {"summary": branch.summary(ledger, on), "no_members": not members.names(ledger)}

    yield "figures", figures
    found: list[findings.Finding] = []
    for area in findings.areas():
        yield "area", lambda area=area: found.extend(findings.check_area(ledger, area, on))
    yield "found", lambda: findings.finish(ledger, on, found)
    for build in GLANCE_BUILDERS:
        yield "charts", lambda build=build: glance_charts(ledger, build, on.year, on)


class _Relay(QObject):
    """Lives in the GUI thread: a signal emitted from the fill's thread is delivered there (queued)."""

    part = Signal(object)  # (fill, kind, value)


class Fill:
    """One fill of the 工作台 as of a date. `on_part((fill, kind, value))` runs on the GUI thread for each part, then
    "done" with the reader — or "failed" with the exception if the reading failed."""

    def __init__(self, ledger: Any, on: dt.date, on_part: Callable[[tuple[Any, str, Any]], None]) -> None:
        self.on = on
        self.cancelled = False
        self.relay = _Relay()
        self.relay.part.connect(on_part)
        self.reader = ledger.reader()
        self.thread = threading.Thread(target=self._run, name="dashboard-fill", daemon=True)

    def start(self) -> None:
        _running.append(self)
        self.thread.start()

    def cancel(self) -> None:
        self.cancelled = True

    def _run(self) -> None:
        try:
            for kind, compute in parts(self.reader, self.on):
                if self.cancelled:
                    return
                value = compute()
                if kind != "area":
                    self.relay.part.emit((self, kind, value))
            if not self.cancelled:
                self.relay.part.emit((self, "done", self.reader))
        except BaseException as e:  # noqa: BLE001 - handed to the GUI thread, which computes it there instead
            if not self.cancelled:
                self.relay.part.emit((self, "failed", e))
        finally:
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
