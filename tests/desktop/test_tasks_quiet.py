"""Background work runs with a short GIL switch interval and the collector's full pass held back (desktop/tasks.py,
issue 16 §3); both are restored when the last worker ends, whatever the work did."""

from __future__ import annotations

import gc
import sys
from typing import Any

from desktop import tasks


def test_settings_held_while_a_worker_runs_and_restored_after(qapp: Any) -> None:
    before = (sys.getswitchinterval(), gc.get_threshold())
    seen: list[Any] = []

    def work(progress: Any, cancelled: Any) -> str:
        seen.append((sys.getswitchinterval(), gc.get_threshold()))
        inner = tasks._Worker(lambda p, c: seen.append((sys.getswitchinterval(), gc.get_threshold())))
        inner.run()  # a second worker inside the first: leaving it must not restore yet
        seen.append((sys.getswitchinterval(), gc.get_threshold()))
        return "ok"

    tasks._Worker(work).run()
    assert (sys.getswitchinterval(), gc.get_threshold()) == before
    for interval, (young, middle, old) in seen:
        assert interval <= tasks.SWITCH_INTERVAL
        assert (young, middle) == before[1][:2] and old == tasks.FULL_GC_HELD


def test_restored_when_the_work_fails(qapp: Any) -> None:
    before = (sys.getswitchinterval(), gc.get_threshold())
    errors: list[Any] = []

    def work(progress: Any, cancelled: Any) -> None:
        raise ValueError("坏了")

    w = tasks._Worker(work)
    w.failed.connect(lambda e, tb: errors.append(e))
    w.run()
    assert (sys.getswitchinterval(), gc.get_threshold()) == before
    assert errors and isinstance(errors[0], ValueError)
