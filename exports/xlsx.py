"""Render a Report to .xlsx with openpyxl: one sheet, title rows, bordered tables, print set-up for A4."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from copy import copy
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from db.fileutil import atomic_path
from exports.report import (
    CutLine,
    Images,
    KeyValues,
    PageBreak,
    Paragraph,
    Progress,
    Report,
    Signatures,
    Table,
    cell_text,
    no_progress,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Column widths are in Excel's units (about one Latin digit of the default font); a Chinese character takes two.
MIN_WIDTH = 6.0
MAX_WIDTH = 40.0  # longer text wraps inside the cell instead of widening the sheet
PADDING = 2.0  # the cell's margins and the grid line: a number exactly as wide as its column shows as ####
FREEZE_MAX_ROW = 8  # freeze the first table's header only when it sits near the top of the sheet


@lru_cache(maxsize=8192)
def display_width(text: str) -> float:
    """How many Excel width units a line of text takes: East Asian wide and ambiguous characters (汉字, ，（）—…)
    count two, the rest one. Remembered per text: a report repeats its names, dates and 是/否 down a column."""
    if text.isascii():
        return float(len(text))
    return float(sum(2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1 for ch in text))


def shown_text(value: Any, kind: str = "text") -> str:
    """The text a cell shows with the number formats this writer sets (money #,##0.00, dates 2026年11月22日)."""
    if kind == "money" and value not in (None, ""):
        try:
            return f"{Decimal(str(value)):,.2f}"
        except Exception:  # noqa: BLE001 - odd text in a money column stays as written
            return str(value)
    return cell_text(value, kind)


def header_need(title: str) -> float:
    """A header cell wraps (it is centred, wrap_text on): a long title may take two lines, never more."""
    w = display_width(title) * 1.1  # bold
    if w <= 12:
        return w + PADDING
    return max(w / 2, 8) + PADDING + 1


def body_need(value: Any, kind: str) -> float:
    # most cells are text: remembered per text and kind (numbers and dates are cheap as they are)
    if type(value) is str:
        return _text_need(value, kind)
    return _body_need(value, kind)


@lru_cache(maxsize=8192)
def _text_need(value: str, kind: str) -> float:
    return _body_need(value, kind)


def _body_need(value: Any, kind: str) -> float:
    lines = shown_text(value, kind).split("\n")
    need = max(display_width(line) for line in lines) + PADDING
    if kind in ("money", "int", "date") or isinstance(value, (int, float, Decimal, dt.date)):
        return need  # numbers and dates never wrap: they must fit whole
    return min(need, MAX_WIDTH)


def safe_value(value: Any) -> Any:
    """Values for a cell: dates and numbers stay typed; text that could be read as a formula stays text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.date, int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _set(cell: Any, value: Any) -> None:
    v = safe_value(value)
    cell.value = v
    if isinstance(v, str) and v.startswith(FORMULA_START):
        cell.data_type = "s"  # written as text, never evaluated as a formula


def sheet_title(text: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, not starting or ending with '."""
    name = "".join("-" if ch in "[]:*?/\\" or ord(ch) < 32 else ch for ch in text or "")[:31].strip("'")
    return name or "Sheet1"


def guard_formulas(ws: Any) -> int:
    """The one guard: no cell of a workbook we write is ever a formula. Every string cell (titles, subtitles,
    headings, column titles and values alike) that starts with = + - @ or a tab/CR is stored as text with
    Excel's quote prefix, so it shows as typed and stays text even when the cell is edited. Returns how many
    cells it guarded."""
    n = 0
    # the cells that exist: iter_rows would make every empty cell of the sheet's rectangle first (and the file
    # would then carry an empty <row/> for each blank row)
    for cell in list(ws._cells.values()):
        v = cell._value
        if not isinstance(v, str):
            continue
        if cell.data_type == "f" or v.startswith(FORMULA_START):
            cell.data_type = "s"
            cell.quotePrefix = True
            n += 1
    return n


def write_xlsx(report: Report, path: Path, progress: Progress = no_progress) -> Path:
    """The report as a workbook: one sheet, A4, its title and table headers kept on screen and on every page.
    Python's cyclic collector is held off while it is built (db.ledger.collector_paused): the sheet's cells and
    their styles all stay until the save, and each collection their allocations set off walked them again, the
    more the larger the process's heap (the 1,000-member roster written after a package in the same process:
    0.41 → 0.27 s best of 3; alone in a fresh process, within the noise)."""
    from db.ledger import collector_paused

    with collector_paused():
        return _write_xlsx(report, path, progress)


def _write_xlsx(report: Report, path: Path, progress: Progress) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(report.sheet_name or report.title)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="F2E6E6")
    wrap = Alignment(wrap_text=True, vertical="center")
    widest = max([len(b.columns) for b in report.blocks if isinstance(b, Table)] + [4])
    ncols = max(widest, 4)
    # A cell's style is set once per kind of cell (header, key, value, heading, paragraph line, body cell of a
    # column…) and copied to the others of its kind: openpyxl's own way of copying a cell's style, without
    # building and hashing the same Font, Border, Fill and Alignment again for every cell.
    styles: dict[Any, Any] = {}

    def style(c: Any, key: Any, apply: Callable[[Any], None]) -> None:
        done = styles.get(key)
        if done is not None:
            c._style = copy(done)
        else:
            apply(c)
            styles[key] = copy(c._style)

    def head_style(c: Any) -> None:
        c.font = Font(bold=True)
        c.fill = head_fill
        c.border = border
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def heading_style(c: Any) -> None:
        c.font = Font(bold=True, size=12)

    def key_style(c: Any) -> None:
        c.font = Font(bold=True)
        c.border = border
        c.fill = head_fill

    def value_style(c: Any) -> None:
        c.border = border
        c.alignment = wrap

    def line_style(c: Any) -> None:
        c.alignment = Alignment(wrap_text=True, vertical="top")

    row = 1
    ws.cell(row=row, column=1, value=report.title).font = Font(size=16, bold=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    ws.row_dimensions[row].height = 26
    row += 1
    if report.subtitle:
        ws.cell(row=row, column=1, value=report.subtitle).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        row += 1
    row += 1
    col_widths: dict[int, float] = {}
    total_blocks = len(report.blocks)
    for bi, block in enumerate(report.blocks):
        progress(bi, total_blocks, report.title)
        if isinstance(block, Table):
            if block.heading:
                style(ws.cell(row=row, column=1, value=block.heading), "heading", heading_style)
                row += 1
            header_row = row
            for ci, col in enumerate(block.columns, start=1):
                style(ws.cell(row=row, column=ci, value=col.title), "head", head_style)
                col_widths[ci] = max(col_widths.get(ci, MIN_WIDTH), header_need(col.title))
            if ws.freeze_panes is None and header_row <= FREEZE_MAX_ROW:
                ws.freeze_panes = f"A{header_row + 1}"  # the title and the header stay on screen
            row += 1
            rows = block.rows + ([block.totals] if block.totals else [])
            # A body cell's style depends only on its column, its number format and whether it is the totals
            # row (per table: the next table's columns align otherwise).
            styled: dict[tuple[int, str, bool], Any] = {}
            last = len(rows) - 1
            cells = ws._cells
            for ri, values in enumerate(rows):
                is_total = block.totals is not None and ri == last
                factor = 1.1 if is_total else 1.0
                for ci, (col, value) in enumerate(zip(block.columns, values, strict=False), start=1):
                    # made and placed as ws.append makes them: ws.cell() looks each one up first (a tenth of
                    # the roster's time at 1,000 members)
                    c = cells[(row, ci)] = Cell(ws, row=row, column=ci)
                    fmt = ""
                    if col.kind == "money" and value not in (None, ""):
                        try:
                            _set(c, Decimal(str(value)))
                            fmt = "#,##0.00"
                        except Exception:  # noqa: BLE001 - keep odd text as text
                            _set(c, value)
                    elif isinstance(value, dt.date):
                        _set(c, value)
                        fmt = 'yyyy"年"m"月"d"日"'
                    else:
                        _set(c, value)
                    key = (ci, fmt, is_total)
                    done = styled.get(key)
                    if done is not None:
                        c._style = StyleArray(done)  # a copy, as copy() makes it, without its dispatch
                    else:
                        if fmt:
                            c.number_format = fmt
                        c.border = border
                        c.alignment = Alignment(
                            horizontal=col.align if col.align != "left" else None,
                            vertical="center",
                            wrap_text=True,
                        )
                        if is_total:
                            c.font = Font(bold=True)
                        styled[key] = copy(c._style)
                    if value not in (None, ""):
                        width = col_widths.get(ci, MIN_WIDTH)
                        # A text never needs more than two units a character: one that could not widen its
                        # column is not measured (outside money columns, where a number gains separators).
                        if (
                            type(value) is str
                            and col.kind != "money"
                            and (2 * len(value) + PADDING) * factor <= width
                        ):
                            continue
                        col_widths[ci] = max(width, body_need(value, col.kind) * factor)
                if block.min_row_height_mm and not is_total:
                    ws.row_dimensions[row].height = block.min_row_height_mm * 72 / 25.4
                row += 1
            ws._current_row = max(ws._current_row, row - 1)  # as ws.cell() would have left it
            if not block.rows:
                ws.cell(row=row, column=1, value=block.empty_text)
                row += 1
            if block.repeat_header and ws.print_title_rows is None:
                ws.print_title_rows = f"{header_row}:{header_row}"
            row += 1
        elif isinstance(block, KeyValues):
            if block.heading:
                style(ws.cell(row=row, column=1, value=block.heading), "heading", heading_style)
                row += 1
            per = max(1, block.columns)
            for i in range(0, len(block.pairs), per):
                for j, (k, v) in enumerate(block.pairs[i : i + per]):
                    kc = ws.cell(row=row, column=1 + 2 * j, value=k)
                    key_need = min(display_width(str(k)) * 1.1 + PADDING, MAX_WIDTH)
                    col_widths[1 + 2 * j] = max(col_widths.get(1 + 2 * j, MIN_WIDTH), key_need)
                    if v not in (None, ""):  # values wrap: they widen their column only so far
                        val_need = min(body_need(v, "date" if isinstance(v, dt.date) else "text"), 24)
                        col_widths[2 + 2 * j] = max(col_widths.get(2 + 2 * j, MIN_WIDTH), val_need)
                    style(kc, "key", key_style)
                    vc = ws.cell(row=row, column=2 + 2 * j)
                    _set(vc, cell_text(v) if isinstance(v, dt.date) else v)
                    style(vc, "value", value_style)
                row += 1
            row += 1
        elif isinstance(block, Paragraph):
            if block.heading:
                style(ws.cell(row=row, column=1, value=block.heading), "heading", heading_style)
                row += 1
            for line in (block.text or "").splitlines() or [""]:
                c = ws.cell(row=row, column=1)
                _set(c, line)
                style(c, "line", line_style)
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
                ws.row_dimensions[row].height = max(15, 15 * (1 + len(line) // max(20, ncols * 8)))
                row += 1
            row += 1
        elif isinstance(block, Images):
            if block.heading:
                style(ws.cell(row=row, column=1, value=block.heading), "heading", heading_style)
                row += 1
            for img in block.images:
                ws.cell(row=row, column=1, value=f"附件：{img.caption}")
                row += 1
            row += 1
        elif isinstance(block, Signatures):
            row += 1
            for j, label in enumerate(block.labels):
                ws.cell(row=row, column=1 + 3 * j, value=f"{label}（签字）：")
                if block.with_date:
                    ws.cell(row=row + 1, column=1 + 3 * j, value="日期：    年   月   日")
            row += 3
        elif isinstance(block, CutLine):
            ws.cell(row=row, column=1, value=f"- - - - - - - - {block.label} - - - - - - - -")
            row += 2
        elif isinstance(block, PageBreak):
            from openpyxl.worksheet.pagebreak import Break

            ws.row_breaks.append(Break(id=row - 1))
    if report.footer_note:
        ws.cell(row=row, column=1, value=report.footer_note).font = Font(italic=True, color="666666")
    for ci, w in col_widths.items():
        ws.column_dimensions[get_column_letter(ci)].width = round(w, 1)
    for ci in range(1, ncols + 1):
        if ci not in col_widths:
            ws.column_dimensions[get_column_letter(ci)].width = 16
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = report.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddHeader.center.text = report.title
    wb.properties.title = report.title
    wb.properties.creator = "支部台账"
    guard_formulas(ws)
    with atomic_path(path, what="报表（Excel）") as tmp:
        wb.save(tmp)
    progress(total_blocks, total_blocks, report.title)
    return path
