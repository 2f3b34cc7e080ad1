"""Workbooks read like the paper form in Excel and WPS (issue #14 §3): no ##### (every number and date fits its
column as displayed), columns sized from their content, the header rows frozen, the print set-up kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from exports import registry
from exports.report import Column, Report, Table
from exports.xlsx import PADDING, display_width, shown_text, write_xlsx


@pytest.mark.parametrize(
    ("text", "width"),
    [("", 0), ("123", 3), ("1,000.00", 8), ("党费", 4), ("2026年11月22日", 14), ("（无）", 6), ("—", 2)],
)
def test_display_width_counts_chinese_twice(text: str, width: int) -> None:
    assert display_width(text) == width


def test_shown_text_matches_the_number_formats() -> None:
    assert shown_text(Decimal("1000"), "money") == "1,000.00"
    assert shown_text(12345.6, "money") == "12,345.60"
    assert shown_text(dt.date(2026, 11, 22), "date") == "2026年11月22日"
    assert shown_text("未交", "money") == "未交"


def _shown(cell: Any) -> str:
    v = cell.value
    if isinstance(v, dt.datetime):
        v = v.date()
    if cell.number_format == "#,##0.00" and isinstance(v, (int, float)):
        return f"{v:,.2f}"
    if isinstance(v, dt.date):
        return shown_text(v, "date")
    return str(v)


def _check_sheet(ws: Any, key: str) -> int:
    """Every number and date (they never wrap) fits its column as displayed; returns how many were checked."""
    from openpyxl.utils import get_column_letter

    merged = {
        c
        for rng in ws.merged_cells.ranges
        for row in ws.iter_rows(
            min_row=rng.min_row, max_row=rng.max_row, min_col=rng.min_col, max_col=rng.max_col
        )
        for c in row
    }
    checked = 0
    for row in ws.iter_rows():
        for c in row:
            if c in merged or c.value is None:
                continue
            if isinstance(c.value, (int, float, dt.date)) and not isinstance(c.value, bool):
                width = ws.column_dimensions[get_column_letter(c.column)].width
                need = display_width(_shown(c)) + PADDING * 0.9
                assert need <= width, f"{key}: {c.coordinate} {_shown(c)!r} needs {need}, column is {width}"
                checked += 1
    return checked


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import resources
    from db import interchange
    from db.connection import open_ledger

    folder = tmp_path_factory.mktemp("xlsx")
    led = open_ledger(folder / "demo.sqlite", create=True)
    interchange.load_file(led, resources.demo_document())
    out = {}
    try:
        for t in registry.templates():
            if "xlsx" not in t.formats:  # a printed form (the 介绍信): PDF only
                continue
            p: dict[str, Any] = {"year": 2026}
            if "meeting" in t.needs and t.choices:
                p["meeting_id"] = t.choices(led)[0][0]
            if "applicant" in t.needs and t.choices:
                p["applicant_id"] = t.choices(led)[0][0]
            out[t.key] = registry.export(led, t.key, registry.Params(**p), "xlsx", folder / f"{t.key}.xlsx")
    finally:
        led.close()
    return out


def test_no_number_or_date_is_wider_than_its_column(workbooks: dict[str, Path]) -> None:
    import openpyxl

    total = 0
    for key, path in workbooks.items():
        total += _check_sheet(openpyxl.load_workbook(path).active, key)
    assert total > 500  # the demo's sheets hold many amounts and dates: the test looked at them


def test_dues_register_month_columns_hold_a_thousand_and_the_totals(workbooks: dict[str, Path]) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    ws = openpyxl.load_workbook(workbooks["dues"]).active
    header = next(r for r in ws.iter_rows() if r[0].value == "序号")
    months = [
        c for c in header if isinstance(c.value, str) and c.value.endswith("月") and c.value[:-1].isdigit()
    ]
    assert len(months) == 12
    for c in months:
        # 1,000.00 fits every month column that has money in it (the old sheet had 5.8 for all)
        width = ws.column_dimensions[get_column_letter(c.column)].width
        has_money = any(
            isinstance(ws.cell(row=r, column=c.column).value, (int, float))
            for r in range(c.row + 1, ws.max_row + 1)
        )
        if has_money:
            assert width >= display_width("1,000.00") + PADDING
    assert ws.freeze_panes == f"A{header[0].row + 1}"


def test_headers_frozen_and_print_setup_kept(workbooks: dict[str, Path]) -> None:
    import openpyxl

    for key in ("roster", "dues", "dues-base", "meetings", "development", "findings", "checklist"):
        ws = openpyxl.load_workbook(workbooks[key]).active
        header = next(
            r for r in ws.iter_rows() if r[0].value == "序号" or r[0].value in ("问题", "区域", "项目")
        )
        assert ws.freeze_panes == f"A{header[0].row + 1}", key
        assert ws.print_title_rows == f"${header[0].row}:${header[0].row}", key
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_widths_follow_content_not_a_fixed_guess(tmp_path: Path) -> None:
    rows = [
        [1, "张三", Decimal("12345678.90"), dt.date(2026, 11, 22), "短"],
        [2, "李四", None, None, "字" * 80],
    ]
    report = Report(
        "表",
        blocks=[
            Table(
                [
                    Column("序号", 0.3, "center", "int"),
                    Column("姓名", 3),
                    Column("金额", 0.3, "right", "money"),
                    Column("日期", 0.3, kind="date"),
                    Column("说明", 0.3),
                ],
                rows,
            )
        ],
    )
    import openpyxl

    ws = openpyxl.load_workbook(write_xlsx(report, tmp_path / "t.xlsx")).active
    w = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    assert w["B"] < 12  # a relative PDF width of 3 no longer makes a 30-wide name column
    assert w["C"] >= display_width("12,345,678.90") + PADDING
    assert w["D"] >= display_width("2026年11月22日") + PADDING
    assert w["E"] == 40  # long text wraps inside a capped column
    assert ws.freeze_panes == "A4"  # title, blank row, header
