"""Timing a computation from nothing without taking from the app what it keeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def from_nothing(ledger: Any, fn: Callable[[], Any]) -> Callable[[], Any]:
    """fn run with nothing kept by the ledger (`Ledger.memo`, `memo_reads`), and what the ledger kept before
    given back after it. A secretary's window never drops what it keeps: until 2026-12-06 the benches cleared
    it for their cold `findings.check` rows and left it cleared, so the next action (recording a month's
    dues) built the dues book and the year's grid again and set that row's p95. What was kept is still good
    afterwards: nothing is written in between."""

    def run() -> Any:
        kept = dict(ledger._memo)  # noqa: SLF001 - measure the computation, not what was kept
        ledger._memo.clear()  # noqa: SLF001
        try:
            return fn()
        finally:
            ledger._memo.clear()  # noqa: SLF001
            ledger._memo.update(kept)  # noqa: SLF001

    return run
