"""PyInstaller run-time hook of the windowed `BranchLedger` executable (build.spec, GUI analysis only).

Custom run-time hooks run before PyInstaller's own, and PyInstaller's PySide6 hook imports PySide6.QtCore (to
look for an embedded qt.conf) before main() is reached. So what desktop.app.main() and make_qapp() do before Qt is
imported happens here, first: PySide's enums made the quick way (desktop/pyside_enums.py) and shiboken6 imported
with its signature support's code taken from the file build.spec ships (desktop/pyside_import.py). Both calls are
no-ops when main() repeats them."""

from desktop import pyside_enums, pyside_import

pyside_enums.install()
pyside_import.quick_import()
