"""`branch-ledger --bench-start RESULT.json --db LEDGER`: measure this process's own start, then exit.

A hidden flag (not in `--help`) for the start-up figures of the bundle: the installed Windows app under Wine
(resources/installer/start-bench.sh, run by smoke-windows.sh), the Linux bundle from `make dist` and the app run
from source. The app starts exactly as a secretary starts it (desktop.app: make_qapp, then App opening the ledger
with its open-time snapshot and the progressive 工作台), and this module only watches:

    to_main_ms    the process created -> our main() runs (PyInstaller's bootloader, the interpreter, the imports
                  of desktop.app; for a frozen app the part a source run does not have)
    qapp_ms       -> the QApplication made (Qt, style, fonts, Chinese translations)
    opened_ms     -> the ledger opened (App.open_path: lock, migrations check, open-time snapshot started; a
                     large ledger's quick check may still run, db/ledger_open.py settle_later)
    window_ms     -> the main window built (while that check ends), the check passed, the window shown
    painted_ms    -> the 工作台 painted and the event loop back, ready for input: the headline figure, measured as
                     tests/bench/run.py measures it (first Paint of the window, then one event-loop turn)
    complete_ms   -> the 工作台's figures, findings and charts shown
    settled_ms    -> the start-up fill's thread done: after complete_ms, also what later refreshes reuse computed
                     (later than complete_ms when a second process computed the findings; db/early_fill.py)

Every figure is the time since the operating system created the process (GetProcessTimes on Windows,
/proc/self/stat on Linux, whose clock ticks are 10 ms), so it includes what happens before any Python runs.
Elsewhere, `clock` says "python" and the times start when this module was first imported.
The result is a JSON object written to RESULT (a windowed exe has no stdout) and, when there is a stdout, one
line `BENCH-START painted=… ms …`. Exit code 0, or 1 with {"error": …} when the ledger did not open.

Window sizes are remembered in the ledger's folder (unless --data-dir says otherwise), never in the user's.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

_IMPORTED = time.perf_counter()
TIMEOUT_MS = 300_000  # give up (exit 1) if the 工作台 never completes


def process_age() -> tuple[float, str]:
    """(seconds since the OS created this process, "process"); ("python" clock) where the OS does not say."""
    try:
        if sys.platform == "win32":
            return _age_windows(), "process"
        if sys.platform.startswith("linux"):
            return _age_linux(), "process"
    except (OSError, ValueError, AttributeError):
        pass
    return time.perf_counter() - _IMPORTED, "python"


def _age_linux() -> float:
    with open("/proc/self/stat", "rb") as fh:
        stat = fh.read()
    # the command name (field 2) may hold spaces: the fields after its closing parenthesis are plain
    fields = stat[stat.rindex(b")") + 2 :].split()
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22, starttime: clock ticks since boot
    return time.clock_gettime(time.CLOCK_BOOTTIME) - started


def _age_windows() -> float:
    import ctypes
    from ctypes import wintypes

    k32 = ctypes.WinDLL("kernel32", use_last_error=True)
    # the pseudo-handle -1 comes back as a large unsigned int: without argtypes ctypes would pass it as a C int
    k32.GetCurrentProcess.restype = wintypes.HANDLE
    k32.GetProcessTimes.argtypes = [wintypes.HANDLE] + [ctypes.POINTER(wintypes.FILETIME)] * 4
    k32.GetProcessTimes.restype = wintypes.BOOL
    k32.GetSystemTimePreciseAsFileTime.argtypes = [ctypes.POINTER(wintypes.FILETIME)]
    k32.GetSystemTimePreciseAsFileTime.restype = None
    created, exited, kernel, user = (wintypes.FILETIME() for _ in range(4))
    if not k32.GetProcessTimes(
        k32.GetCurrentProcess(),
        ctypes.byref(created),
        ctypes.byref(exited),
        ctypes.byref(kernel),
        ctypes.byref(user),
    ):
        raise OSError(ctypes.get_last_error(), "GetProcessTimes")
    now = wintypes.FILETIME()
    k32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

    def ticks(ft: Any) -> int:  # 100 ns units
        return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

    return (ticks(now) - ticks(created)) / 1e7


def peak_rss_mb() -> float | None:
    """Peak resident memory of this process (Windows: peak working set; Linux: VmHWM)."""
    try:
        if sys.platform == "win32":
            import ctypes
            from ctypes import wintypes

            class Counters(ctypes.Structure):
                _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
                    (n, ctypes.c_size_t)
                    for n in (
                        "PeakWorkingSetSize",
                        "WorkingSetSize",
                        "QuotaPeakPagedPoolUsage",
                        "QuotaPagedPoolUsage",
                        "QuotaPeakNonPagedPoolUsage",
                        "QuotaNonPagedPoolUsage",
                        "PagefileUsage",
                        "PeakPagefileUsage",
                    )
                ]

            c = Counters()
            c.cb = ctypes.sizeof(c)
            k32 = ctypes.WinDLL("kernel32")
            k32.GetCurrentProcess.restype = wintypes.HANDLE
            k32.K32GetProcessMemoryInfo.argtypes = [wintypes.HANDLE, ctypes.POINTER(Counters), wintypes.DWORD]
            k32.K32GetProcessMemoryInfo.restype = wintypes.BOOL
            if not k32.K32GetProcessMemoryInfo(k32.GetCurrentProcess(), ctypes.byref(c), c.cb):
                return None
            return c.PeakWorkingSetSize / 2**20
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration, AttributeError, ValueError):
        return None


def run(args: Any) -> int:
    """Start the app on args.db as main() would, write the start's figures to args.bench_start, exit."""
    from desktop import app as desktop_app

    marks: dict[str, float] = {}
    clock = process_age()[1]

    def mark(name: str) -> None:
        marks.setdefault(name, process_age()[0] * 1000)

    mark("to_main_ms")
    out = Path(args.bench_start)
    result: dict[str, Any] = {
        "tool": "branch-ledger --bench-start",
        "platform": sys.platform,
        "frozen": bool(getattr(sys, "frozen", False)),
        "clock": clock,
        "ledger": str(args.db),
    }
    if not args.db or not Path(args.db).is_file():
        result["error"] = f"no ledger file: {args.db}"
        return _finish(out, result, marks, 1)
    if args.data_dir is None:  # window sizes beside the bench ledger, never in the user's data folder
        args.data_dir = str(Path(args.db).resolve().parent)

    early = desktop_app.early_open(args)  # as main() does, before Qt is imported
    from desktop import pyside_import

    pyside_import.quick_import()  # as make_qapp() does, before this module's own Qt import
    from PySide6.QtCore import QEvent, QObject, QTimer

    qapp = desktop_app.make_qapp([sys.argv[0]])
    mark("qapp_ms")
    result["qt_platform"] = qapp.platformName()

    class Watched(desktop_app.App):
        def _build_main(self, ledger: Any, demo: bool = False) -> Any:
            mark("opened_ms")
            return super()._build_main(ledger, demo)

        def _present(self, ledger: Any, window: Any) -> None:
            super()._present(ledger, window)
            mark("window_ms")

    class FirstPaint(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and "painted" not in seen:
                seen.add("painted")
                # interactive: painted, and the event loop is back for the first keystroke
                QTimer.singleShot(0, lambda: (mark("painted_ms"), done()))
            return False

    def done() -> None:
        if "painted_ms" in marks and "complete_ms" in marks and "settled_ms" in marks:
            qapp.quit()

    def give_up() -> None:
        result["error"] = f"the 工作台 did not complete within {TIMEOUT_MS // 1000} s"
        qapp.quit()

    seen: set[str] = set()
    spy = FirstPaint()
    app = Watched(qapp, args, early)
    app.start()
    window = app.window
    if window is None:
        result["error"] = "the ledger did not open"
        desktop_app.dispose_widgets()
        return _finish(out, result, marks, 1)
    # App.start only built and showed the window: its first paint comes from the event loop, below
    window.installEventFilter(spy)
    window.sections["dashboard"].shown.connect(lambda: (mark("complete_ms"), done()))
    window.sections["dashboard"].completed.connect(lambda: (mark("settled_ms"), done()))
    QTimer.singleShot(TIMEOUT_MS, give_up)
    qapp.exec()
    rss = peak_rss_mb()
    if rss is not None:
        result["peak_rss_mb"] = round(rss, 1)
    window.removeEventFilter(spy)
    app.window = None
    desktop_app.dispose_widgets()
    if app.ledger is not None:
        app.ledger.close()
        app.ledger = None
    return _finish(out, result, marks, 1 if "error" in result else 0)


def _finish(out: Path, result: dict[str, Any], marks: dict[str, float], code: int) -> int:
    result.update({k: round(v, 1) for k, v in marks.items()})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if sys.stdout is not None:
        figures = " ".join(f"{k.removesuffix('_ms')}={v:.0f}ms" for k, v in marks.items())
        print(
            f"BENCH-START {figures}" + (f" error={result['error']}" if "error" in result else ""), flush=True
        )
    return code
