"""Qt objects die while the QApplication lives: after each test and before the interpreter exits.

pytest-qt closes a test's widgets and calls deleteLater() on them, but nothing runs the event loop afterwards,
so every window of the session (with its sections, tables and models: some 7,500 Qt objects) used to stay
alive until the interpreter's exit, where they were destroyed after the QApplication, in no set order. That
is the heap abort after the summary line (`malloc(): unaligned fastbin chunk detected`, exit 134; issue #11).

Desktop tests never read or write the secretary's remembered window sizes: each test gets its own file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _the_apps_own_look(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The app's font, palette and style sheet, set once before the first widget and never taken back.

    Sizes are the ones the secretary gets. Setting and restoring the application style sheet per test
    replaced the global style-sheet style while widgets polished with it were still alive (deleted later),
    and a repaint after that aborted the process now and then (issue #11)."""
    from desktop import style

    style.apply(qapp)
    yield


@pytest.fixture(autouse=True)
def window_state_in_tmp(tmp_path: Path) -> Iterator[Path]:
    from desktop import fit

    path = tmp_path / "window-state.ini"
    fit.set_state_file(path)
    fit.simulate_screen(None)
    yield path
    fit.simulate_screen(None)
    fit.set_state_file(None)


def _flush_deletes() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True, scope="session")
def _qt_speaks_chinese(qapp) -> None:  # type: ignore[no-untyped-def]
    """As in the app (desktop.app.make_qapp): Qt's own buttons and menus in Chinese, the locale zh_CN."""
    from desktop import qtlocale

    qtlocale.install(qapp)


@pytest.fixture(autouse=True)
def _delete_the_tests_widgets(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    yield
    # pytest-qt has already closed and deleteLater()-ed the widgets given to qtbot.addWidget.
    _flush_deletes()


@pytest.fixture(autouse=True, scope="session")
def _no_qt_objects_left_at_exit() -> Iterator[None]:
    yield
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        from desktop.app import dispose_widgets

        dispose_widgets()
