"""What every sheet import hands back: the table as read, the problems by the sheet's row and column, how many
records were written (0 on a dry run or a refusal), and the JSON shape of `ledger import … --json`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.errors import Problem
from db.sheets.table import SheetTable


@dataclass
class SheetImport(SheetTable):
    imported: int = 0
    dry_run: bool = False
    kind: str = ""  # "members", "dues", "applicants", "meetings"

    @property
    def rows(self) -> int:
        return len(self.records)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """CONTRACT.md §2: {"imported": N, "errors": [{"row", "column", "message"}], "warnings": [...]}."""
        return {
            "imported": self.imported,
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
        }

    def problems_at(self, row: int) -> list[Problem]:
        return [p for p in self.errors + self.warnings if p.row == row]

    @classmethod
    def of(cls, table: SheetTable, **extra: Any) -> Any:
        return cls(**{f: getattr(table, f) for f in SheetTable.__dataclass_fields__}, **extra)

    def problem(self, message: str, row: int | None = None, column: str | None = None, **kw: Any) -> Problem:
        return Problem(message, row=row, column=column, file=self.file, **kw)
