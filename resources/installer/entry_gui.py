"""PyInstaller entry of the windowed `BranchLedger` executable: the `branch-ledger` gui-script."""

import sys

# A windowed exe on Windows has no stdout: `BranchLedger.exe --self-test` typed into cmd would print nothing.
# For the self-test only, borrow the console of whoever started it, so the one-line verdict shows.
if sys.platform == "win32" and sys.stdout is None and "--self-test" in sys.argv[1:]:
    import ctypes

    if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
        sys.stdout = sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115

from desktop.app import main  # noqa: E402

sys.exit(main())
