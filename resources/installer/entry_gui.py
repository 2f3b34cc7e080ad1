"""PyInstaller entry of the windowed `BranchLedger` executable: the `branch-ledger` gui-script."""

import sys

# rthook_pyside.py held PySide6 off in a windowless process of this exe (PyInstaller's own PySide6 hook then
# imports nothing); nothing of it stays behind
if "PySide6" in sys.modules and sys.modules["PySide6"] is None:
    del sys.modules["PySide6"]

import multiprocessing  # noqa: E402

# First of all: a copy of this exe started as a worker process of the liaison's inbox (exports/inbox.py, spawned)
# runs its task here and exits, never reaching the app below. PyInstaller's multiprocessing hook makes this work
# on Windows and Linux alike; in a source run it does nothing.
multiprocessing.freeze_support()

# A windowed exe on Windows has no stdout: `BranchLedger.exe --self-test` typed into cmd would print nothing.
# For the self-test only, borrow the console of whoever started it, so the one-line verdict shows.
if sys.platform == "win32" and sys.stdout is None and "--self-test" in sys.argv[1:]:
    import ctypes

    if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
        sys.stdout = sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115

from desktop.app import main  # noqa: E402

sys.exit(main())
