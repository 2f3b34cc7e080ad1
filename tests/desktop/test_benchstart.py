"""The hidden `--bench-start` flag: it starts the app on a ledger as a secretary's start does, writes the start's
figures (in order, since the process was created) and exits; without it, nothing about the start changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.connection import Ledger
from desktop import app as desktop_app
from desktop import benchstart

ROOT = Path(__file__).resolve().parents[2]
MARKS = ["to_main_ms", "qapp_ms", "opened_ms", "window_ms", "painted_ms", "complete_ms", "settled_ms"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "desktop.app", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_bench_start_opens_the_ledger_writes_the_figures_in_order_and_exits(
    demo_ledger: Ledger, tmp_path: Path
) -> None:
    path = Path(demo_ledger.path)
    demo_ledger.close()
    out = _run("--bench-start", str(tmp_path / "start.json"), "--db", str(path))
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads((tmp_path / "start.json").read_text(encoding="utf-8"))
    assert "error" not in result
    assert result["qt_platform"] == "offscreen"
    assert result["frozen"] is False
    figures = [result[m] for m in MARKS]
    assert figures == sorted(figures)  # each stage after the one before it
    assert figures[0] >= 0
    assert out.stdout.startswith("BENCH-START to_main=")
    # as a real start: the open-time snapshot; the window sizes beside the bench ledger, not in the user's folder
    assert (path.parent / "window-state.ini").exists()
    assert list((path.parent / "snapshots").rglob("*.sqlite"))


def test_bench_start_without_a_ledger_file_says_so_and_exits_1(tmp_path: Path) -> None:
    out = _run("--bench-start", str(tmp_path / "start.json"), "--db", str(tmp_path / "nothing.sqlite"))
    assert out.returncode == 1
    result = json.loads((tmp_path / "start.json").read_text(encoding="utf-8"))
    assert "nothing.sqlite" in result["error"]
    assert "Traceback" not in out.stderr


def test_the_flag_is_hidden_and_off_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert desktop_app.parse_args([]).bench_start is None
    assert desktop_app.parse_args(["--db", "x.sqlite"]).bench_start is None
    assert desktop_app.parse_args(["--bench-start", "r.json"]).bench_start == "r.json"
    with pytest.raises(SystemExit):
        desktop_app.parse_args(["--help"])
    assert "--bench-start" not in capsys.readouterr().out


def test_process_age_counts_from_the_process_start() -> None:
    age, clock = benchstart.process_age()
    if sys.platform.startswith("linux") or sys.platform == "win32":
        assert clock == "process"
    assert age >= 0
