"""The old home of the roster import dialog, which is now the general sheet import dialog
(desktop/sheet_import_dialog.py: 花名册, 党费收缴登记表, 发展党员工作台账, 三会一课记录). Kept so existing imports work."""

from __future__ import annotations

from desktop.sheet_import_dialog import (
    FIRST_SHEET_COLUMN,
    PROBLEM_COLUMN,
    RosterImportDialog,
    SheetImportDialog,
    check_file,
    fit_to_screen,
    import_file,
    problems_by_cell,
    summary_text,
)

__all__ = [
    "FIRST_SHEET_COLUMN",
    "PROBLEM_COLUMN",
    "RosterImportDialog",
    "SheetImportDialog",
    "check_file",
    "fit_to_screen",
    "import_file",
    "problems_by_cell",
    "summary_text",
]
