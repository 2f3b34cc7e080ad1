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


def test_every_kind_of_cell_keeps_its_style_when_copied(tmp_path: Path) -> None:
    """Headers, headings, key-value keys and values and paragraph lines are styled once per kind and the style
    copied: each cell still carries its own, and a change to one (the formula guard's quote prefix) stays in it."""
    from exports.report import KeyValues, Paragraph

    kv = KeyValues(
        [("会议名称", "支部大会"), ("地点", "=HYPERLINK(1)"), ("主持人", "张三"), ("记录人", "李四")],
        columns=2,
    )
    report = Report(
        "测试",
        blocks=[
            kv,
            Table([Column("姓名"), Column("备注")], [["王五", "无"]], heading="第一表"),
            Paragraph("第一行\n第二行", heading="说明"),
            Table([Column("项目"), Column("数量", kind="int")], [["甲", 1]], heading="第二表"),
            KeyValues([("结论", "通过")], heading="表决结论"),
        ],
    )
    ws = load_workbook(write_xlsx(report, tmp_path / "t.xlsx")).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    for title in ("姓名", "备注", "项目", "数量"):
        c = cells[title]
        assert c.font.bold and c.fill.fgColor.rgb.endswith("F2E6E6") and c.border.top.style == "thin", title
        assert c.alignment.horizontal == "center" and c.alignment.wrap_text, title
    for heading in ("第一表", "说明", "第二表", "表决结论"):
        assert cells[heading].font.bold and cells[heading].font.size == 12, heading
    for key in ("会议名称", "地点", "主持人", "记录人", "结论"):
        c = cells[key]
        assert c.font.bold and c.fill.fgColor.rgb.endswith("F2E6E6") and c.border.left.style == "thin", key
    for value in ("支部大会", "=HYPERLINK(1)", "张三", "李四", "通过"):
        c = cells[value]
        assert not c.font.bold and c.border.right.style == "thin" and c.alignment.wrap_text, value
        assert c.data_type == "s"
        assert c.quotePrefix == (value == "=HYPERLINK(1)"), value
    for line in ("第一行", "第二行"):
        assert cells[line].alignment.vertical == "top" and cells[line].alignment.wrap_text, line
        assert cells[line].border.left.style is None
    assert cells["测试"].font.size == 16 and cells["测试"].alignment.horizontal == "center"


def test_display_width_remembered_equals_counted() -> None:
    """display_width is remembered per text and counts ASCII text by its length: the same as counting each
    character's East Asian width."""
    import random
    import unicodedata

    from exports.xlsx import display_width

    rng = random.Random(16)
    alphabet = "abcXYZ019 .,-:/()（）—…，。年月日党员支部·αé€\t"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        plain = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1 for ch in text)
        assert display_width(text) == display_width(text) == float(plain), text


def test_table_widths_are_the_widest_cell_measured(tmp_path: Path) -> None:
    """A text that could not widen its column is not measured: the widths are still those of every cell
    measured (header, body and the bold totals row), over random tables of Chinese, Latin and multi-line text."""
    import random

    from openpyxl.utils import get_column_letter

    from exports.xlsx import MIN_WIDTH, body_need, header_need

    rng = random.Random(4)
    pieces = ["党", "支部", "a", "Z9", "—", "（", "\n", "1", " ", "2026年"]
    for n in range(25):
        cols = [
            Column(f"列{i}" * rng.randint(1, 4), kind=rng.choice(["text", "text", "int"])) for i in range(4)
        ]
        rows: list[list[object]] = [
            ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in cols]
            for _ in range(rng.randint(0, 12))
        ]
        totals: list[object] | None = ["合计" * rng.randint(1, 9), "", None, "x" * 50] if n % 2 else None
        ws = load_workbook(
            write_xlsx(Report("宽度", blocks=[Table(cols, rows, totals=totals)]), tmp_path / "w.xlsx")
        ).active
        all_rows = rows + ([totals] if totals else [])
        for ci, col in enumerate(cols):
            want = max(MIN_WIDTH, header_need(col.title))
            for ri, r in enumerate(all_rows):
                if r[ci] not in (None, ""):
                    factor = 1.1 if totals and ri == len(all_rows) - 1 else 1.0
                    want = max(want, body_need(r[ci], col.kind) * factor)
            assert ws.column_dimensions[get_column_letter(ci + 1)].width == round(want, 1), (n, ci)
