"""The four sheet imports by name, for the command line (`ledger import KIND FILE`) and the import dialog: one
entry point so both offer the same kinds with the same words."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.sheets.result import SheetImport

if TYPE_CHECKING:
    from db.connection import Ledger

# kind -> (what the secretary calls the sheet, the noun for one imported record)
KINDS: dict[str, tuple[str, str]] = {
    "members": ("花名册", "名党员"),
    "dues": ("党费收缴登记表", "笔党费"),
    "applicants": ("发展党员工作台账", "名发展党员"),
    "meetings": ("三会一课记录", "次会议"),
}
# Kinds `run` also takes that have their own screen (园区要求 › 导入指导清单), not the generic import dialog.
OTHER_KINDS: dict[str, tuple[str, str]] = {"guide": ("主题党日指导清单", "项")}


def run(
    kind: str,
    ledger: Ledger,
    path: Path,
    *,
    dry_run: bool = False,
    year: int | None = None,
    overrides: Any = None,
) -> SheetImport:
    """Check (dry_run) or import one sheet of the given kind. `year` is needed for dues."""
    if kind == "members":
        from db.members.import_sheet import import_members

        return import_members(ledger, path, dry_run, overrides=overrides)
    if kind == "dues":
        from db.dues.import_sheet import import_dues

        if year is None:
            raise ValueError("dues needs a year")
        return import_dues(ledger, path, year, dry_run, overrides=overrides)
    if kind == "applicants":
        from db.development.import_sheet import import_applicants

        return import_applicants(ledger, path, dry_run, overrides=overrides)
    if kind == "meetings":
        from db.meetings.import_sheet import import_meetings

        return import_meetings(ledger, path, dry_run, overrides=overrides)
    if kind == "guide":
        from db.guide_lists.import_sheet import import_guide_file

        return import_guide_file(ledger, path, year, dry_run, overrides=overrides)
    raise ValueError(kind)
