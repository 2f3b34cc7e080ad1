"""Qt's own texts in Chinese: the application locale is zh_CN and Qt's qtbase_zh_CN translations are loaded.

Without this, every QDialogButtonBox and QMessageBox says OK / Cancel / Yes / No, text fields' context menus say
Undo / Cut / Copy / Paste / Select All, QFileDialog is English and the calendar follows the OS locale (issue #14).
The .qm file ships with PySide6 (`PySide6/Qt/translations` on Linux and macOS, `PySide6/translations` on
Windows); build.spec keeps exactly qtbase_zh_CN.qm of all Qt translations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

LANG = "zh_CN"
CATALOGS = ("qtbase",)

_installed: list[Any] = []  # translators must live as long as the application


def translation_dirs() -> list[Path]:
    """Where Qt's .qm files may be: what Qt itself reports first, then PySide6's own folders."""
    import PySide6
    from PySide6.QtCore import QLibraryInfo

    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    base = Path(PySide6.__file__).resolve().parent
    dirs += [base / "Qt" / "translations", base / "translations"]
    out: list[Path] = []
    for d in dirs:
        if d not in out:
            out.append(d)
    return out


def find_catalog(name: str, lang: str = LANG) -> Path | None:
    for d in translation_dirs():
        p = d / f"{name}_{lang}.qm"
        if p.is_file():
            return p
    return None


def install(qapp: Any) -> list[str]:
    """Set zh_CN as the default locale and load Qt's Chinese translations once; returns the loaded files.

    A missing catalog is not fatal (the app still works, with Qt's buttons in English)."""
    from PySide6.QtCore import QLocale, QTranslator

    QLocale.setDefault(QLocale(LANG))
    if _installed:
        return [t.filePath() for t in _installed]
    loaded: list[str] = []
    for name in CATALOGS:
        path = find_catalog(name)
        if path is None:
            continue
        tr = QTranslator(qapp)
        if tr.load(str(path)) and qapp.installTranslator(tr):
            _installed.append(tr)
            loaded.append(str(path))
    return loaded
