"""The 字段表 as a workbook the secretary or liaison can hand round: the branch 字段表 (what a branch form can
use) and the 园区字段表 (what the liaison's park form can use), one sheet each, through the Report renderer."""

from __future__ import annotations

from pathlib import Path

from exports.forms.fields import FIELDS, Field
from exports.report import Column, Paragraph, Report, Table


def _rows(fields: tuple[Field, ...]) -> list[list[str]]:
    return [[f"{{{{ {f.path} }}}}", f.kind, "是" if f.sensitive else "", f.description] for f in fields]


COLUMNS = [
    Column("写法", 2.6),
    Column("类型", 0.6, "center"),
    Column("脱敏", 0.5, "center"),
    Column("说明", 4.0),
]


def fields_report(park: bool = False) -> Report:
    from exports.forms.park import PARK_FIELDS

    fields, title, note = (
        (
            PARK_FIELDS,
            "园区字段表",
            "联络员汇总填写园区表格时可用的名称：“各支部”一支部一行，“合计”为计入的支部之和。",
        )
        if park
        else (
            FIELDS,
            "字段表",
            "支部填写园区表格时可用的名称。“列表”中的字段所在的行按列表逐行重复；"
            "“脱敏”为“是”的字段在脱敏填写时只填部分隐去的值。详见 docs/forms.md。",
        )
    )
    return Report(
        title=f"园区表格{title}" if not park else title,
        subtitle=f"共 {len(fields)} 个名称",
        blocks=[Paragraph(note), Table(COLUMNS, _rows(fields))],
        sheet_name=title,
    )


def write_fields_xlsx(out: Path) -> Path:
    """The branch 字段表 and the 园区字段表 as one workbook (two sheets), written whole."""
    import io
    from copy import copy

    from openpyxl import load_workbook

    from db.fileutil import atomic_path
    from exports.xlsx import write_xlsx

    with atomic_path(out) as tmp:
        write_xlsx(fields_report(False), tmp)
        park_tmp = tmp.with_name(tmp.name + ".park.xlsx")
        try:
            write_xlsx(fields_report(True), park_tmp)
            main = load_workbook(tmp)
            park = load_workbook(park_tmp).active
            ws = main.create_sheet(park.title)
            for row in park.iter_rows():
                for c in row:
                    d = ws.cell(c.row, c.column, c.value)
                    if c.has_style:  # style objects, not indexes: the two workbooks have their own tables
                        d.font, d.border, d.fill = copy(c.font), copy(c.border), copy(c.fill)
                        d.alignment, d.number_format = copy(c.alignment), c.number_format
            for m in park.merged_cells.ranges:
                ws.merge_cells(str(m))
            for k, dim in park.column_dimensions.items():
                ws.column_dimensions[k].width = dim.width
            buf = io.BytesIO()
            main.save(buf)
        finally:
            park_tmp.unlink(missing_ok=True)
        tmp.write_bytes(buf.getvalue())
    return out
