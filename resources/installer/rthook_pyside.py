"""PyInstaller run-time hook of the windowed `BranchLedger` executable (build.spec, GUI analysis only).

Custom run-time hooks run before PyInstaller's own, and PyInstaller's PySide6 hook imports PySide6.QtCore (to
look for an embedded qt.conf, which PySide's wheels make themselves) before main() is reached, in every process
of this exe.

- This exe started again as a process that never shows a window — the 工作台's early fill (`--early-fill`,
  db/early_fill.py) or a worker of the liaison's inbox (`--multiprocessing-fork`, exports/inbox.py) — has PySide6
  held off: with None in sys.modules, PyInstaller's hook finds no QtCore and leaves (that import was ~50 ms of the
  early fill's 0.5 s here). entry_gui.py takes the None out again before anything else runs.
- Any other start does here, first, what desktop.app.main() and make_qapp() do before Qt is imported: PySide's
  enums made the quick way (desktop/pyside_enums.py) and shiboken6 imported with its signature support's code
  taken from the file build.spec ships (desktop/pyside_import.py). main() repeating them does nothing.
"""

import sys

WINDOWLESS = ("--early-fill", "--multiprocessing-fork")

if sys.argv[1:2] and sys.argv[1] in WINDOWLESS:
    sys.modules["PySide6"] = None  # type: ignore[assignment]  # entry_gui.py removes it
else:
    from desktop import pyside_enums, pyside_import

    pyside_enums.install()
    pyside_import.quick_import()
