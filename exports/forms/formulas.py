"""A template's own formulas, kept working when a repeating row grows into many (openpyxl's insert_rows moves
cells but never rewrites a reference).

When row r becomes rows r..r+n-1:
- a range that ends on row r and starts on or above it grows to the last new row (`=SUM(C5:C5)` over the
  repeated row 5 of 36 members becomes `=SUM(C5:C40)`; `=SUM(C3:C5)` becomes `=SUM(C3:C40)`);
- every reference below row r moves down by n-1 (the total row's `=C6*2` becomes `=C41*2`);
- a reference to row r alone, from outside the row, stays on the first repeated row;
- a formula inside the repeated row is copied into every new row, its references to row r following the row
  (`=D5*12` becomes `=D6*12`, `=D7*12`, …), as Excel's fill-down does.
References from other sheets (`'基本情况'!C5:C5`) are re-ranged the same way. Whole-column (`C:C`) and
whole-row (`5:5`) references, defined names, conditional formats and data validations are not rewritten:
docs/forms.md says so.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.formula.tokenizer import Tokenizer
from openpyxl.formula.translate import Translator

_CELL = re.compile(r"^(\$?[A-Za-z]{1,3}\$?)(\d+)$")


def _sheet_of(ref: str) -> tuple[str | None, str]:
    if "!" not in ref:
        return None, ref
    sheet, _, cells = ref.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cells


def _shift_ref(cells: str, r: int, extra: int) -> str:
    parts = cells.split(":")
    parsed = [_CELL.match(p) for p in parts]
    if not all(parsed) or len(parts) > 2:
        return cells  # C:C, 5:5, a name: left as written
    rows = [int(m.group(2)) for m in parsed if m]
    cols = [m.group(1) for m in parsed if m]
    if len(rows) == 1:
        row = rows[0]
        return f"{cols[0]}{row + extra if row > r else row}"
    top, bottom = rows
    new_top = top + extra if top > r else top
    new_bottom = bottom + extra if bottom >= r else bottom  # ends on or below the repeated row: grows/moves
    return f"{cols[0]}{new_top}:{cols[1]}{new_bottom}"


def shift_formula(formula: str, sheet: str, target: str, r: int, extra: int) -> str:
    """`formula` (in sheet `sheet`) after row r of sheet `target` grew by `extra` rows."""
    try:
        tok = Tokenizer(formula)
    except Exception:  # noqa: BLE001 - a formula openpyxl cannot read is kept as written
        return formula
    out = []
    changed = False
    for t in tok.items:
        value = t.value
        if t.type == "OPERAND" and t.subtype == "RANGE":
            ref_sheet, cells = _sheet_of(value)
            if (ref_sheet or sheet) == target:
                new = _shift_ref(cells, r, extra)
                if new != cells:
                    changed = True
                    value = value[: len(value) - len(cells)] + new
        out.append(value)
    return "=" + "".join(out) if changed else formula


def is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def shift_workbook(wb: Any, target: str, r: int, extra: int, skip_row: int | None = None) -> None:
    """Rewrite every formula of the workbook after row r of sheet `target` grew by `extra` rows (run after
    insert_rows, so cells below have already moved). `skip_row`: the repeated row's own formulas, handled by
    `fill_down`."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not is_formula(cell.value):
                    continue
                if ws.title == target and cell.row == skip_row:
                    continue
                cell.value = shift_formula(cell.value, ws.title, target, r, extra)


def fill_down(ws: Any, r: int, n: int) -> None:
    """Copy the formulas of row r into rows r+1..r+n-1, references following the row (Excel's fill-down)."""
    for cell in list(ws[r]):
        if not is_formula(cell.value):
            continue
        for k in range(1, n):
            dest = ws.cell(r + k, cell.column)
            dest.value = Translator(cell.value, origin=cell.coordinate).translate_formula(dest.coordinate)
