"""`make bench`: speed and memory, measured (never asserted). Prints a table and writes bench-results/bench.json.

Rows come from this file (start-up of the 工作台) and from every tests/bench/bench_*.py module that exposes
`run(tmp: Path) -> list[dict]` with {"name", "value", "unit", "note"}.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from db import clock

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "bench-results"

_STARTUP_SNIPPET = r"""
import sys, time, os
t0 = time.perf_counter()
mode, path = sys.argv[1], sys.argv[2]
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
from PySide6.QtCore import QTimer
if mode == "bare":
    app = QApplication([])
    w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1280, 800); w.show()
else:
    from desktop.app import make_qapp
    app = make_qapp(["bench"])
    from db.connection import open_ledger
    from desktop import fit
    from desktop.mainwindow import MainWindow
    fit.set_state_file(path + ".window-state.ini")  # never the user's own window memory
    ledger = open_ledger(path, snapshot_on_open=False)
    w = MainWindow(ledger); w.resize(1280, 800); w.show()
def done():
    elapsed = time.perf_counter() - t0
    import resource
    print(f"{elapsed:.4f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def make_big_ledger(tmp: Path, members: int = 60, years: int = 10) -> Path:
    """A generated 10-year, 60-member ledger (every area's generator included)."""
    from db import interchange
    from db.connection import open_ledger
    from resources.demo.generate import generate

    doc = generate(seed=7, members=members, years=years)
    path = tmp / "big.sqlite"
    led = open_ledger(path, create=True)
    try:
        interchange.load(led, doc)
    finally:
        led.close()
    return path


def _median_run(mode: str, path: Path, n: int = 5) -> tuple[float, float]:
    times, mems = [], []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install has compiled .pyc files; measure that
    for _ in range(n):
        out = subprocess.run(
            [sys.executable, "-c", _STARTUP_SNIPPET, mode, str(path)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        t, m = out.stdout.strip().splitlines()[-1].split()
        times.append(float(t))
        mems.append(float(m))
    times.sort()
    mems.sort()
    return times[len(times) // 2], mems[len(mems) // 2]


def startup_rows(tmp: Path) -> list[dict[str, Any]]:
    t0 = time.perf_counter()
    path = make_big_ledger(tmp)
    build = time.perf_counter() - t0
    bare_t, bare_m = _median_run("bare", path)
    app_t, app_m = _median_run("app", path)
    size_mb = path.stat().st_size / 1e6
    return [
        {
            "name": "generate+load 10-year 60-member ledger",
            "value": build,
            "unit": "s",
            "note": f"file {size_mb:.1f} MB",
        },
        {
            "name": "bare QMainWindow shown",
            "value": bare_t * 1000,
            "unit": "ms",
            "note": f"peak RSS {bare_m:.0f} MB",
        },
        {
            "name": "工作台 interactive (10y/60 members)",
            "value": app_t * 1000,
            "unit": "ms",
            "note": f"peak RSS {app_m:.0f} MB",
        },
        {
            "name": "工作台 start-up / bare window",
            "value": app_t / bare_t,
            "unit": "ratio",
            "note": "median of 5",
        },
    ]


def main() -> int:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="branch-ledger-bench-") as tmp_name:
        tmp = Path(tmp_name)
        sources: list[tuple[str, Any]] = [("startup", startup_rows)]
        for mod_path in sorted(HERE.glob("bench_*.py")):
            module = importlib.import_module(f"tests.bench.{mod_path.stem}")
            sources.append((mod_path.stem, module.run))
        for name, fn in sources:
            sub = tmp / name
            sub.mkdir()
            try:
                for row in fn(sub):
                    row.setdefault("note", "")
                    row["group"] = name
                    rows.append(row)
            except Exception as e:  # noqa: BLE001 - one broken row must not hide the others
                rows.append(
                    {
                        "group": name,
                        "name": f"{name} FAILED",
                        "value": float("nan"),
                        "unit": "",
                        "note": f"{type(e).__name__}: {e}"[:200],
                    }
                )
    width = max(len(r["name"]) for r in rows) + 2
    print(f"{'measure':<{width}} {'value':>12}  unit   note")
    for r in rows:
        print(f"{r['name']:<{width}} {r['value']:>12.3f}  {r['unit']:<5}  {r['note']}")
    OUT.mkdir(exist_ok=True)
    doc = {
        "when": clock.now().isoformat(timespec="seconds"),  # when the run was made, not a verdict
        "machine": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "self_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows": rows,
    }
    (OUT / "bench.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    print(f"\nwritten {OUT / 'bench.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
