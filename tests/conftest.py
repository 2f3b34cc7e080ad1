"""Shared fixtures: a fresh ledger per test, the demo ledger, and the main window over it (offscreen)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite's "today": fixed, so that every verdict is the same on any day the suite runs. The app (and every
# `ledger` subprocess, through the environment) takes today from db.clock. Tests that need another day use the
# `frozen_today` fixture.
TEST_TODAY = "2026-11-22"
os.environ["BRANCH_LEDGER_TODAY"] = os.environ.get("LEDGER_TEST_TODAY", TEST_TODAY)

from desktop import pyside_enums, pyside_import  # noqa: E402

pyside_enums.install()  # as the app does: every GUI test runs on the enums the app makes (desktop/pyside_enums.py)
pyside_import.quick_import()  # and on PySide imported as the app imports it (desktop/pyside_import.py)

import resources  # noqa: E402
from db import branch, interchange  # noqa: E402
from db.connection import Ledger, open_ledger  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Call with a date to make it today for the rest of the test: ``frozen_today(dt.date(2026, 5, 10))``."""
    from db import clock

    def freeze(day: dt.date) -> None:
        monkeypatch.setattr(clock, "_frozen", day)

    return freeze


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    """A new, empty ledger with just the branch name."""
    led = open_ledger(tmp_path / "test.sqlite", create=True)
    branch.save_branch(led, branch.Branch(name="中共测试科技有限公司支部委员会", upper_org="测试园区党委"))
    yield led
    led.close()


@pytest.fixture
def demo_ledger(tmp_path: Path) -> Iterator[Ledger]:
    """The committed demo branch, loaded into a fresh file."""
    led = open_ledger(tmp_path / "demo.sqlite", create=True)
    interchange.load_file(led, resources.demo_document())
    yield led
    led.close()


@pytest.fixture
def sync_tasks() -> Iterator[None]:
    from desktop import tasks

    tasks.SYNC = True
    yield
    tasks.SYNC = False


@pytest.fixture
def main_window(qtbot, demo_ledger: Ledger, sync_tasks: None):  # type: ignore[no-untyped-def]
    from desktop.mainwindow import MainWindow

    w = MainWindow(demo_ledger)
    qtbot.addWidget(w)
    w.show()
    return w


# The load-robustness summary line (tests/db/test_load_robustness.py), here in the root conftest: the controller
# of a pytest-xdist run loads no other. Under pytest-xdist: what each worker process refused, summed here.
_WORKER_COUNTS: dict[str, int] = {}


def _robustness_counts() -> dict[str, int]:
    module = sys.modules.get("tests.db.test_load_robustness")
    return dict(getattr(module, "CHECKED", None) or {})


def pytest_sessionfinish(session: Any) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand the counts to the controller
        workeroutput["load_robustness"] = _robustness_counts()


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: unknown where xdist is not loaded
def pytest_testnodedown(node: Any, error: Any) -> None:
    for key, n in (getattr(node, "workeroutput", None) or {}).get("load_robustness", {}).items():
        _WORKER_COUNTS[key] = _WORKER_COUNTS.get(key, 0) + n


def pytest_terminal_summary(terminalreporter: Any) -> None:
    counts = {"new": 0, "existing": 0}
    for source in (_robustness_counts(), _WORKER_COUNTS):
        for key, n in source.items():
            counts[key] = counts.get(key, 0) + n
    if any(counts.values()):
        terminalreporter.write_line(
            "load robustness: {new} bad documents refused into a new ledger, {existing} into an existing one "
            "(each: exit 1, the JSON path named, nothing written)".format(**counts)
        )
