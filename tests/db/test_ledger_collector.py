"""Read models are built with Python's cyclic collector held off (db/ledger.py, `collector_paused`): off during the
outermost build, nested builds and other threads counted, back on afterwards even when a build fails, and left
off when something else had turned it off."""

from __future__ import annotations

import gc
import threading

import pytest

from db.ledger import Ledger, collector_paused


def test_off_while_a_read_model_is_built_and_on_again_after(ledger: Ledger) -> None:
    seen: list[tuple[str, bool]] = []

    def inner() -> int:
        seen.append(("inner", gc.isenabled()))
        return int(ledger.scalar("SELECT count(*) FROM members"))

    def outer() -> int:
        seen.append(("outer", gc.isenabled()))
        n: int = ledger.memo_reads("test.inner", inner)
        seen.append(("outer after inner", gc.isenabled()))
        return n

    assert gc.isenabled()
    assert ledger.memo_reads("test.outer", outer) == 0
    assert seen == [("outer", False), ("inner", False), ("outer after inner", False)]
    assert gc.isenabled()


def test_on_again_after_a_build_that_fails(ledger: Ledger) -> None:
    def broken() -> None:
        assert not gc.isenabled()
        raise ValueError("build failed")

    with pytest.raises(ValueError):
        ledger.memo_reads("test.broken", broken)
    assert gc.isenabled()


def test_threads_are_counted_and_a_disabled_collector_stays_off() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=other)
    t.start()
    inside.wait(5)
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's build is still going
    release.set()
    t.join(5)
    assert gc.isenabled()

    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: not turned on by the build
    finally:
        gc.enable()
