"""Every body cell of an xlsx table carries its column's style — border, alignment, number format, bold totals —
also when the writer styles one cell per column and copies that style to the rest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from exports.report import Column, Report, Table
from exports.xlsx import write_xlsx


def test_body_cells_keep_their_column_style(tmp_path: Path) -> None:
    cols = [Column("姓名"), Column("金额", align="right", kind="money"), Column("日期", kind="date")]
    rows = [[f"党员{i}", Decimal(f"{i}.50"), dt.date(2026, 1, 1 + i)] for i in range(20)]
    rows[3][1] = "待定"  # odd text in a money column stays text, without the money format
    report = Report("测试", blocks=[Table(cols, rows, totals=["合计", Decimal("200.00"), None])])
    ws = load_workbook(write_xlsx(report, tmp_path / "t.xlsx")).active
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "姓名")
    for r in range(header + 1, header + 21):
        for c in (1, 2, 3):
            cell = ws.cell(r, c)
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", (r, c)
            assert cell.alignment.vertical == "center" and cell.alignment.wrap_text, (r, c)
            assert not cell.font.bold, (r, c)
        assert ws.cell(r, 2).alignment.horizontal == "right"
        assert ws.cell(r, 1).alignment.horizontal is None
        assert ws.cell(r, 3).number_format == 'yyyy"年"m"月"d"日"'
        money = ws.cell(r, 2)
        if r == header + 4:
            assert money.value == "待定" and money.number_format == "General"
        else:
            assert money.number_format == "#,##0.00" and isinstance(money.value, float)
    total = header + 21
    assert ws.cell(total, 1).value == "合计" and ws.cell(total, 1).font.bold and ws.cell(total, 2).font.bold
    assert ws.cell(total, 2).number_format == "#,##0.00"
