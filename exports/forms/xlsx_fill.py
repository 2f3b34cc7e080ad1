"""Fill an .xlsx form template with openpyxl: every cell holding `{{ … }}` (or `{% … %}`) is checked against
the 字段表 and rendered in the sandbox; a row that names fields of a list (`{{ 党员.姓名 }}`) repeats once per
row of that list, with its styles, height and merged cells, and everything below moves down (merged titles
and totals included). The template's own formulas and text are kept; what the ledger writes is never a
formula: a filled value that starts with = + - @ is stored as text."""

from __future__ import annotations

import copy
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from db.fileutil import atomic_path
from exports.forms.engine import FormError, Usage, check_source, evaluate, finalize, render

_SOLE = re.compile(r"^\s*\{\{(?P<expr>(?:(?!\}\}|\{\{).)*)\}\}\s*$", re.S)
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class _Row:
    sheet: str
    row: int
    cells: list[tuple[int, str]]  # (column, template text)
    repeat: str | None  # the list this row repeats over


def is_template_text(v: Any) -> bool:
    return isinstance(v, str) and ("{{" in v or "{%" in v)


def where(ws: Worksheet, coordinate: str) -> str:
    return f"工作表“{ws.title}”{coordinate}"


def load(path: Path) -> Any:
    try:
        return load_workbook(path)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        if isinstance(e, FileNotFoundError):
            raise FormError([(str(path), "找不到这个文件")], path.name) from None
        raise FormError([(str(path), f"不是可读的 Excel（.xlsx）文件：{e}")], path.name) from None


def scan(wb: Any, usage: Usage) -> list[_Row]:
    """The rows holding template text, each checked; problems go to `usage`."""
    rows: list[_Row] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            found: list[tuple[int, str]] = []
            lists: set[str] = set()
            for cell in row:
                if isinstance(cell, MergedCell) or not is_template_text(cell.value):
                    continue
                text = str(cell.value)
                w = where(ws, cell.coordinate)
                mine = usage.child()
                if not check_source(text, w, mine):
                    usage.problems.extend(mine.problems)
                    continue
                for path, places in mine.fields.items():
                    for p in places:
                        usage.add(path, p)
                    lst = usage.dictionary.list_of(path)
                    if lst:
                        lists.add(lst)
                found.append((cell.column, text))
            if not found:
                continue
            r = row[0].row
            if len(lists) > 1:
                usage.problems.append(
                    (where(ws, f"第{r}行"), f"一行只能按一个列表重复，这一行用了：{'、'.join(sorted(lists))}")
                )
                continue
            rows.append(_Row(ws.title, r, found, next(iter(lists)) if lists else None))
    return rows


def put(cell: Cell, value: Any) -> None:
    """Write a filled value; a string is always text, never a formula (= + - @ at the start stays text)."""
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, Decimal):
        cell.value = float(value)
        cell.number_format = "#,##0.00"
        return
    if isinstance(value, int):
        cell.value = value
        return
    text = "" if value is None else str(value)
    cell.value = text if text != "" else None
    if text:
        cell.data_type = "s"


def _row_context(ctx: dict[str, Any], lst: str, item: dict[str, Any]) -> dict[str, Any]:
    parts = lst.split(".")
    out = dict(ctx)
    node = out
    for p in parts[:-1]:
        node[p] = dict(node[p])
        node = node[p]
    node[parts[-1]] = item
    return out


def _items(ctx: dict[str, Any], lst: str) -> list[dict[str, Any]]:
    node: Any = ctx
    for p in lst.split("."):
        node = node[p]
    return list(node)


def _fill_cell(cell: Cell, text: str, ctx: dict[str, Any], w: str) -> None:
    m = _SOLE.match(text)
    if m:
        value = evaluate(m.group("expr"), ctx, w)
        if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
            value = finalize(value)
        put(cell, value)
    else:
        put(cell, render(text, ctx, w))


def _expand(ws: Worksheet, r: int, n: int) -> None:
    """Make row r into n rows (n >= 2): insert n-1 copies below it with its styles, height and merged cells;
    move merged ranges and row heights below it down."""
    from exports.forms.formulas import fill_down, shift_workbook

    extra = n - 1
    merges = list(ws.merged_cells.ranges)
    own = [m for m in merges if m.min_row == r and m.max_row == r]
    heights = {i: d.height for i, d in ws.row_dimensions.items() if i > r and d.height is not None}
    ws.insert_rows(r + 1, extra)
    for m in merges:
        if m.min_row > r:
            m.shift(0, extra)
        elif m.min_row < r <= m.max_row or (m.min_row == r and m.max_row > r):
            m.expand(down=extra)
    shift_workbook(ws.parent, ws.title, r, extra, skip_row=r)
    fill_down(ws, r, n)
    for i in sorted(heights, reverse=True):
        ws.row_dimensions[i + extra].height = heights[i]
        ws.row_dimensions[i].height = None
    src_height = ws.row_dimensions[r].height
    for k in range(1, n):
        rr = r + k
        for c in range(1, ws.max_column + 1):
            src = ws.cell(r, c)
            if isinstance(src, MergedCell):
                continue
            dst = ws.cell(rr, c)
            if src.has_style:
                dst._style = copy.copy(src._style)
        if src_height is not None:
            ws.row_dimensions[rr].height = src_height
        for m in own:
            ws.merge_cells(start_row=rr, end_row=rr, start_column=m.min_col, end_column=m.max_col)


def fill_xlsx(template: Path, out: Path, ctx: dict[str, Any], usage: Usage) -> int:
    """Fill `template` into `out` (temporary name, then renamed); returns the number of list rows written.
    Raises FormError (nothing written) when any cell names an unknown field or is refused."""
    wb = load(template)
    rows = scan(wb, usage)
    if usage.problems:
        raise FormError(usage.problems, template.name)
    written = 0
    for ws in wb.worksheets:
        mine = sorted((x for x in rows if x.sheet == ws.title), key=lambda x: x.row, reverse=True)
        for plan in mine:
            if plan.repeat is None:
                for col, text in plan.cells:
                    cell = ws.cell(plan.row, col)
                    _fill_cell(cell, text, ctx, where(ws, cell.coordinate))
                continue
            items = _items(ctx, plan.repeat)
            if not items:
                for col, _text in plan.cells:
                    ws.cell(plan.row, col).value = None
                continue
            if len(items) > 1:
                _expand(ws, plan.row, len(items))
            for k, item in enumerate(items):
                row_ctx = _row_context(ctx, plan.repeat, item)
                for col, text in plan.cells:
                    cell = ws.cell(plan.row + k, col)
                    _fill_cell(cell, text, row_ctx, where(ws, cell.coordinate))
            written += len(items)
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return written
