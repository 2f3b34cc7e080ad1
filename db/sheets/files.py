"""Getting the cells out of the file: every worksheet of an .xlsx (or the one table of a .csv) as rows of raw
values, with merged ranges filled from their top-left cell.

The `<dimension>` tag an exporter writes is never trusted (many write A1:J3 for a sheet of 500 rows): the
read-only worksheet's dimensions are reset so the rows and columns actually stored are read. Reading stops as
soon as a sheet holds more rows than any ledger sheet can (`row_cap`), so a 100,000-row file is refused at once
instead of being read whole. Malformed XML, a CSV field over 128 KB and an unclosed CSV quote are refused with
the row where reading stopped."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.sheets.cells import cell_text

CSV_FIELD_MAX = 128 * 1024
FILE_MAX = 50 * 1024 * 1024  # bytes on disk
SHEET_XML_MAX = 200 * 1024 * 1024  # bytes of one worksheet's XML once unzipped (a zip bomb stops here)
COLUMN_MAX = 200  # columns read per row; a ledger sheet has a few dozen


class SheetFileError(Exception):
    """The file cannot be read as a sheet. `str(e)` is a Chinese sentence; `row` where reading stopped."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


@dataclass
class Grid:
    """One worksheet: rows of raw values (row i is the sheet's row i + 1); `truncated` when reading stopped at
    the row cap, `stored_rows` how many rows were read before stopping."""

    title: str
    rows: list[list[Any]]
    truncated: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r1, c1, r2, c2), 0-based


def read_grids(path: Path, row_cap: int) -> Iterator[Grid]:
    """Each worksheet in turn (the active one first). Raises SheetFileError for a file that cannot be read."""
    name = path.name
    suffix = path.suffix.lower()
    if name.startswith("~$"):
        raise SheetFileError(
            f"“{name}”是 Excel 打开文件时生成的临时文件，不是要导入的表格。请选择不带“~$”的那个文件。"
        )
    if suffix in (".xls", ".et", ".wps"):
        raise SheetFileError(
            f"“{name}”是旧版 Excel（.xls）格式，无法直接读取。请在 Excel 中打开它，"
            "选择“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再导入新保存的 .xlsx 文件。"
        )
    if not path.exists():
        raise SheetFileError(f"找不到文件“{path}”。")
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise SheetFileError(f"“{name}”不是 Excel 工作簿（.xlsx）。请在 Excel 中另存为 .xlsx 后再导入。")
    try:
        if path.stat().st_size > FILE_MAX:
            raise SheetFileError(
                f"“{name}”有 {path.stat().st_size // (1024 * 1024)} MB，远大于一个支部的台账表格，"
                "请检查是否选错了文件。"
            )
        if suffix == ".csv":
            yield _read_csv(path, row_cap)
        else:
            yield from _read_xlsx(path, row_cap)
    except SheetFileError:
        raise
    except PermissionError:
        raise SheetFileError(
            f"无法读取“{name}”：文件可能正被 Excel 或其他程序以独占方式打开，或没有读取权限。请关闭该文件后再试。"
        ) from None
    except Exception:  # noqa: BLE001 - zip, XML and openpyxl errors of a damaged file, all alike to the user
        raise SheetFileError(
            f"“{name}”无法作为 Excel 工作簿读取（文件可能已损坏，或实际上不是 .xlsx 格式）。"
            "请在 Excel 中打开并另存为 .xlsx 后再试。"
        ) from None


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise SheetFileError(f"“{path.name}”的文字编码无法识别，请在 Excel 中另存为 .xlsx 后再导入。")


def _read_csv(path: Path, row_cap: int) -> Grid:
    text = _decode(path)
    old = csv.field_size_limit()
    csv.field_size_limit(CSV_FIELD_MAX)
    rows: list[list[Any]] = []
    filled = 0
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        while True:
            line = reader.line_num + 1  # where the next record starts
            try:
                rec = next(reader)
            except StopIteration:
                break
            rows.append(list(rec[:COLUMN_MAX]))
            if any(v.strip() for v in rec):
                filled += 1
                if filled > row_cap:
                    return Grid(path.stem, rows, truncated=True)
    except csv.Error as e:
        msg = str(e)
        if "field larger than field limit" in msg:
            raise SheetFileError(
                f"“{path.name}”第{line}行有一格超过 128 KB，不是台账表格的内容（可能选错了文件，"
                "或引号没有配对，把后面的内容都并进了这一格）。",
                row=line,
            ) from None
        if "unexpected end of data" in msg or "expected after" in msg or "EOF" in msg:
            raise SheetFileError(
                f'“{path.name}”第{line}行的引号（"）没有配对：从这里起，逗号和换行都会被当成同一格的内容。'
                "请在 Excel 中打开并另存为 .xlsx，或补上缺少的引号后再导入。",
                row=line,
            ) from None
        raise SheetFileError(f"“{path.name}”第{line}行无法按 CSV 格式读取（{msg}）。", row=line) from None
    finally:
        csv.field_size_limit(old)
    return Grid(path.stem, rows)


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")


def _col(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + (c - 64)
    return n - 1


def _merged_ranges(path: Path, sheet_path: str) -> list[tuple[int, int, int, int]]:
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(sheet_path.lstrip("/"))
        if info.file_size > SHEET_XML_MAX:
            raise SheetFileError(f"“{path.name}”的工作表解压后超过 200 MB，不是一个支部的台账表格。")
        data = z.read(info)
    out = []
    for m in _MERGE.finditer(data):
        c1, r1 = _col(m.group(1)), int(m.group(2)) - 1
        c2 = _col(m.group(3)) if m.group(3) else c1
        r2 = int(m.group(4)) - 1 if m.group(4) else r1
        out.append((r1, c1, r2, c2))
    return out


def _read_xlsx(path: Path, row_cap: int) -> Iterator[Grid]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = [wb.active, *[ws for ws in wb.worksheets if ws is not wb.active]]
        seen: set[str] = set()
        for ws in sheets:
            if ws is None or ws.title in seen or not hasattr(ws, "reset_dimensions"):
                continue
            seen.add(ws.title)
            ws.reset_dimensions()  # never trust <dimension>: read what is stored
            rows: list[list[Any]] = []
            filled = 0
            truncated = False
            try:
                for r in ws.iter_rows(values_only=True):
                    values = list(r[:COLUMN_MAX])
                    rows.append(values)
                    if any(v is not None and cell_text(v) for v in values):
                        filled += 1
                        if filled > row_cap:
                            truncated = True
                            break
            except SheetFileError:
                raise
            except Exception:  # noqa: BLE001 - a parse error inside the sheet's XML
                raise SheetFileError(
                    f"“{path.name}”的工作表“{ws.title}”在第{len(rows) + 1}行附近内容损坏（XML 格式错误），"
                    "无法读取。请在 Excel 中打开并另存为 .xlsx 后再试。",
                    row=len(rows) + 1,
                ) from None
            merged = _merged_ranges(path, ws._worksheet_path) if not truncated else []
            _fill_merged(rows, merged)
            yield Grid(ws.title, rows, truncated, merged)
    finally:
        wb.close()


def _fill_merged(rows: list[list[Any]], merged: list[tuple[int, int, int, int]]) -> None:
    """Give every cell of a merged range the value of its top-left cell (Excel stores it only there)."""
    for r1, c1, r2, c2 in merged:
        if r1 >= len(rows) or c2 - c1 > COLUMN_MAX:
            continue
        top = rows[r1][c1] if c1 < len(rows[r1]) else None
        if top is None:
            continue
        for i in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[i]
            for j in range(c1, min(c2, COLUMN_MAX - 1) + 1):
                while len(row) <= j:
                    row.append(None)
                if row[j] is None:
                    row[j] = top
