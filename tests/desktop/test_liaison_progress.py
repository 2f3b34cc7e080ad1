"""联络员汇总 checks packages in a background thread: progress in the window (已检查 N / 共 M 个报送包), a 取消
that stops cleanly and leaves the last result and no file behind, unreadable packages named in Chinese."""

from __future__ import annotations

import faulthandler
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from desktop import liaison, tasks
from exports import inbox as pool
from tests.desktop.waits import WORK_MS
from tests.exports.test_park_forms import make_package


@pytest.fixture
def thirty(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    for i in range(1, 31):
        make_package(folder / f"p{i:02d}", i)
    return folder


def _checked(qtbot: Any, w: liaison.LiaisonWindow, timeout: int = WORK_MS) -> None:
    """Wait until the window's check has ended. Should it not, every thread's stack goes to stderr (what the check
    was doing), and the check is stopped before the window closes."""
    try:
        qtbot.waitUntil(lambda: w.worker is None, timeout=timeout)
    except Exception:
        faulthandler.dump_traceback(all_threads=True)
        print(f"liaison check still running: progress {w.progress_label.text()!r}", file=sys.stderr)
        if w.worker is not None:
            w.worker.cancel_requested = True
            w.worker.wait(30_000)
        raise


def _window(qtbot: Any) -> liaison.LiaisonWindow:
    w = liaison.LiaisonWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def test_progress_advances_in_the_window(qtbot: Any, thirty: Path) -> None:
    assert not tasks.SYNC
    w = _window(qtbot)
    seen: list[int] = []
    w.progress_bar.valueChanged.connect(seen.append)
    w.add_paths([thirty])
    assert w.progress_row.isVisible() and not w.add_dir_btn.isEnabled()
    w.add_paths([thirty.parent / "另一个"])  # Ctrl+O while it runs: ignored, one check at a time
    assert w.paths == [thirty]
    _checked(qtbot, w)
    assert len(w.result.counted) == 30 and w.model.rowCount() == 30
    assert seen and seen[-1] == 30 and seen == sorted(seen)
    assert w.progress_label.text() == "已检查 30 / 共 30 个报送包"
    assert not w.progress_row.isVisible() and w.add_dir_btn.isEnabled() and w.xlsx_btn.isEnabled()


def test_cancel_keeps_the_last_result_and_writes_nothing(
    qtbot: Any, thirty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = _window(qtbot)
    first = sorted(thirty.iterdir())[:2]
    w.add_paths(first)
    _checked(qtbot, w)
    assert len(w.result.counted) == 2
    real = pool.verify_one
    gate: list[int] = []

    def slow(path: Path, password: Any = None, cancelled: Any = None) -> Any:
        gate.append(1)
        while not cancelled():  # a package that takes until the liaison gives up
            time.sleep(0.005)
        return real(path, password, cancelled)

    monkeypatch.setattr(pool, "verify_one", slow)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    w.add_paths([thirty])
    qtbot.waitUntil(lambda: bool(gate), timeout=WORK_MS)
    assert w.cancel_btn.isEnabled()
    w.cancel_btn.click()
    _checked(qtbot, w, 30_000)
    assert "已取消" in w.message.text()
    assert len(w.result.counted) == 2 and w.model.rowCount() == 2  # the last whole result, unchanged
    assert w.paths == first
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written, nothing half-written


def test_an_unreadable_package_is_named_in_chinese(
    qtbot: Any, thirty: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pool.verify_folder
    bad = sorted(thirty.iterdir())[4]

    def flaky(path: Path, cancelled: Any = None) -> Any:
        if path == bad:
            raise PermissionError(13, "拒绝访问")
        return real(path)

    monkeypatch.setattr(pool, "verify_folder", flaky)
    broken = sorted(thirty.iterdir())[7]
    (broken / "data.json").unlink()
    w = _window(qtbot)
    w.add_paths([thirty])
    _checked(qtbot, w)
    assert len(w.result.counted) == 28
    text = w.message.text()
    assert w.message.isVisible() and "未计入的报送包" in text
    assert bad.name in text and "拒绝访问" in text and broken.name in text
    row = next(r for r in w.model.rows if r.source == bad)
    assert row.status_label == "无法读取，未计入"


def test_closing_the_window_while_checking_stops_the_thread(qtbot: Any, thirty: Path) -> None:
    w = _window(qtbot)
    w.add_paths([thirty])
    w.close()
    assert w.worker is None or w.worker.isFinished()
    qtbot.waitUntil(lambda: tasks.running() == 0, timeout=WORK_MS)
