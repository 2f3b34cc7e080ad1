"""The plain data every template produces, rendered by xlsx.py and pdf.py from the same blocks.

A `Report` is a title, a subtitle (branch and period), a page orientation and a list of blocks: tables,
key-value grids, paragraphs, images and signature lines. Templates build a Report; they never touch
openpyxl or reportlab themselves, so the Excel and the PDF always hold the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class ExportCancelled(Exception):
    pass


def no_progress(done: int, total: int, label: str) -> None:
    return None


def never() -> bool:
    return False


@dataclass
class Column:
    title: str
    width: float = 1.0  # relative width in the PDF; Excel width is derived from it
    align: str = "left"  # left | center | right
    kind: str = "text"  # text | date | money | int
    pdf: bool = True  # False: only in the workbook (e.g. the branch name the roster's 汇总表 repeats per row)


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Any]]
    heading: str | None = None
    totals: list[Any] | None = None  # a last row in bold
    empty_text: str = "（无）"
    font_size: float | None = None  # PDF only; default depends on column count
    repeat_header: bool = True
    min_row_height_mm: float | None = None  # body rows at least this tall (room to sign by hand)
    line_spacing: float | None = None  # PDF only: line height as a multiple of the font size (default 1.3)
    cell_padding: float = 2.0  # PDF only: points above and below the text of every cell


@dataclass
class KeyValues:
    pairs: list[tuple[str, Any]]
    columns: int = 2  # pairs per line
    heading: str | None = None


@dataclass
class Paragraph:
    text: str
    heading: str | None = None
    align: str = "left"  # left | right | center (PDF; a form's 落款 and date stand on the right)


@dataclass
class CutLine:
    """A dashed line across the page where a form is cut apart (the 存根/介绍信/回执 of a 介绍信), with a note."""

    label: str = "沿此虚线剪开"


@dataclass
class Image:
    data: bytes
    caption: str = ""
    max_width_mm: float = 60
    max_height_mm: float = 45


@dataclass
class Images:
    images: list[Image]
    heading: str | None = None


@dataclass
class Signatures:
    labels: list[str]  # e.g. ["主持人", "记录人"]; each gets a line and a date line
    with_date: bool = True


@dataclass
class PageBreak:
    pass


Block = Table | KeyValues | Paragraph | Images | Signatures | PageBreak | CutLine


@dataclass
class Report:
    title: str
    subtitle: str = ""
    orientation: str = "portrait"  # portrait | landscape
    blocks: list[Block] = field(default_factory=list)
    sheet_name: str | None = None
    footer_note: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


def cell_text(value: Any, kind: str = "text") -> str:
    """How a value reads on paper: dates as 2026年11月22日, money with two decimals and separators."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal) or kind == "money":
        try:
            return f"{Decimal(str(value)):,.2f}"
        except Exception:  # noqa: BLE001 - non-numeric text in a money column prints as is
            return str(value)
    return str(value)
