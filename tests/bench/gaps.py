"""The GUI thread's longest wait while work runs in the background: the gap between two ticks of a 5 ms timer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def longest_gap(app: Any, start: Callable[[], None], busy: Callable[[], bool]) -> tuple[float, float]:
    """(longest gap in ms between two ticks of a 5 ms timer on the GUI thread, seconds until done): `start()`
    sets the work going the way the app does, and the event loop turns until `busy()` is false."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    gaps: list[int] = []
    clock_ = QElapsedTimer()
    clock_.start()
    last = [clock_.elapsed()]

    def tick() -> None:
        now = clock_.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    t0 = time.perf_counter()
    timer.start()
    start()
    while busy():
        app.processEvents()
        time.sleep(0.001)
    took = time.perf_counter() - t0
    timer.stop()
    return float(max(gaps, default=0)), took
