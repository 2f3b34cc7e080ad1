"""PySide6's import hook, made cheap.

Once PySide6 is imported, every later import (ours, the standard library's, on any thread) goes through
`shibokensupport.feature.feature_imported`, which asks whether the new module uses PySide (for the
`from __feature__ import ...` switches, which this app never uses) by `inspect.getsource(module)`: linecache,
encoding detection and the whole file split into lines, for each of the ~300 modules the app imports. That was
20 ms of the 工作台's start on the GUI thread alone (measured with the hook wrapped, 2026-12-03).

`quicken_feature_check()` answers the same question for a plain `.py` file by reading its bytes and looking for
b"PySide6" — the same answer: "PySide6" is ASCII, so it is in the decoded text exactly when it is in the bytes of
an ASCII-compatible source (UTF-8, GBK, Latin-1 …). Any other module (built in, a .pyc without source, frozen
in the PyInstaller bundle) and any read error go to PySide's own check, unchanged. Where PySide's internals are
not as expected (a later release), nothing is replaced.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

MARK = "_branch_ledger_quick"


def quick_uses_pyside(module: ModuleType, fallback: Any) -> bool:
    """Whether module's source mentions PySide6, as shibokensupport.feature._mod_uses_pyside answers it."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) if spec is not None else getattr(module, "__file__", None)
    if isinstance(origin, str) and origin.endswith(".py"):
        try:
            with open(origin, "rb") as fh:
                return b"PySide6" in fh.read()
        except OSError:
            pass
    return bool(fallback(module))


def quicken_feature_check() -> bool:
    """Replace PySide's per-import source check with quick_uses_pyside; True when it is (or already was) in place."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if (
        feature is None
        or not callable(original)
        or not isinstance(getattr(feature, "pyside_feature_dict", None), dict)
    ):
        return False
    if getattr(original, MARK, False):
        return True

    def _mod_uses_pyside(module: ModuleType) -> bool:
        return quick_uses_pyside(module, original)

    setattr(_mod_uses_pyside, MARK, True)
    _mod_uses_pyside.original = original  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", _mod_uses_pyside)  # noqa: B010 - a module's private name
    return True
