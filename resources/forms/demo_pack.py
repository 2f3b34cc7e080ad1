"""The demo form pack (表格包) a fictional park liaison sends: three real-looking forms marked up with 字段表
names, and its manifest.

    python -m resources.forms.demo_pack      # rewrites resources/forms/星辰园区2026年报表.zip

党员基本情况登记表.xlsx  merged title and two-row header, one repeating member row, totals with a formula
                         over the repeated rows (re-ranged when filled), a merged signature row
季度工作报表.xlsx        the quarter's figures in a labelled grid and the quarter's meetings (a repeating row)
                         with =SUM over 实到
书记述职评议表.docx      a Word form: 黑体 title, 仿宋 body (w:eastAsia), a basic-information table, the
                         year's figures in a paragraph, a `{%tr for %}` table of the people in the process

The bytes are deterministic (fixed zip dates and document properties), so regenerating the demo branch does
not change it without reason. The demo branch installs this pack (resources/demo/gen_forms.py).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PACK_NAME = "星辰园区2026年报表"
OUT = HERE / f"{PACK_NAME}.zip"
FIXED = (2026, 1, 5, 9, 0, 0)

MANIFEST: dict[str, Any] = {
    "format": "branch-ledger-form-pack",
    "version": 1,
    "name": PACK_NAME,
    "issuer": "星辰科技园区党委",
    "forms": [
        {"file": "党员基本情况登记表.xlsx", "title": "党员基本情况登记表", "period": "year", "due_day": 15},
        {"file": "季度工作报表.xlsx", "title": "基层党组织季度工作报表", "period": "quarter", "due_day": 10},
        {
            "file": "书记述职评议表.docx",
            "title": "支部书记年度述职评议表",
            "period": "year",
            "due_day": 20,
            "profile": "masked",
        },
    ],
}


def _normalize(data: bytes) -> bytes:
    """The same bytes every time: fixed entry dates and document creation/modification times."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-05T09:00:00Z", body
                )
            zi = zipfile.ZipInfo(info.filename, FIXED)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def _xlsx_bytes(wb: Any) -> bytes:
    for ws in wb.worksheets:  # one page wide, as many pages long as the rows need
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.horizontalCentered = True
    buf = io.BytesIO()
    wb.save(buf)
    return _normalize(buf.getvalue())


def roster_form() -> bytes:
    """党员基本情况登记表: merged title, two-row header, a repeating member row, totals and signatures."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "党员基本情况"
    widths = {"A": 6, "B": 10, "C": 6, "D": 8, "E": 10, "F": 22, "G": 14, "H": 10, "I": 12, "J": 10}
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    ws["A1"] = "星辰科技园区党组织党员基本情况登记表"
    ws["A1"].font = Font(name="黑体", size=16)
    ws["A1"].alignment = center
    ws.merge_cells("A1:J1")
    ws.row_dimensions[1].height = 30
    ws["A2"] = "填报单位（盖章）：{{ 支部.名称 }}"
    ws.merge_cells("A2:F2")
    ws["G2"] = "统计截至：{{ 期间.统计日 }}"
    ws.merge_cells("G2:J2")
    heads = [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "公民身份号码",
        "学历",
        "人员类别",
        "入党时间",
        "党小组",
    ]
    for i, h in enumerate(heads, 1):
        c = ws.cell(3, i, h)
        c.font = Font(name="宋体", size=11, bold=True)
        c.alignment = center
        c.border = box
        ws.cell(4, i).border = box
        ws.merge_cells(start_row=3, end_row=4, start_column=i, end_column=i)  # a two-row header
    row = [
        "{{ 党员.序号 }}",
        "{{ 党员.姓名 }}",
        "{{ 党员.性别 }}",
        "{{ 党员.民族 }}",
        "{{ 党员.出生日期|年月 }}",
        "{{ 党员.身份证号 }}",
        "{{ 党员.学历 }}",
        "{{ 党员.人员类别 }}",
        "{{ 党员.入党日期|年月 }}",
        "{{ 党员.党小组 }}",
    ]
    for i, text in enumerate(row, 1):
        c = ws.cell(5, i, text)
        c.font = Font(name="宋体", size=10)
        c.alignment = center
        c.border = box
    ws.row_dimensions[5].height = 20
    ws["A6"] = "合计"
    ws.merge_cells("A6:B6")
    ws["C6"] = "=COUNTA(B5:B5)"  # re-ranged over the member rows when filled
    ws["D6"] = (
        "人，其中正式党员 {{ 统计.正式党员 }} 人、预备党员 {{ 统计.预备党员 }} 人，女党员 {{ 统计.女党员 }} 人"
    )
    ws.merge_cells("D6:J6")
    for i in range(1, 11):
        ws.cell(6, i).border = box
        ws.cell(6, i).font = Font(name="宋体", size=10, bold=i <= 3)
    ws["A8"] = "填表人：　　　　　　　审核人：　　　　　　　填表日期：{{ 期间.填表日期 }}"
    ws.merge_cells("A8:J8")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "3:4"
    return _xlsx_bytes(wb)


def quarterly_form() -> bytes:
    """基层党组织季度工作报表: a labelled grid of the quarter's figures and the quarter's meetings."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "季度报表"
    for col, w in {"A": 8, "B": 14, "C": 30, "D": 10, "E": 10, "F": 10}.items():
        ws.column_dimensions[col].width = w
    ws["A1"] = "{{ 期间.名称 }}基层党组织工作情况报表"
    ws["A1"].font = Font(name="黑体", size=16)
    ws["A1"].alignment = center
    ws.merge_cells("A1:F1")
    ws.row_dimensions[1].height = 30
    ws["A2"] = "填报单位：{{ 支部.名称 }}　　上级党组织：{{ 支部.上级党组织 }}"
    ws.merge_cells("A2:F2")
    grid = [
        ("组织概况", "党员总数", "{{ 统计.党员总数 }}", "其中预备党员", "{{ 统计.预备党员 }}"),
        ("组织概况", "女党员", "{{ 统计.女党员 }}", "党小组数", "{{ 统计.党小组数 }}"),
        (
            "组织生活",
            "支部党员大会（次）",
            "{{ 会议.本期.支部党员大会.次数 }}",
            "支委会（次）",
            "{{ 会议.本期.支部委员会.次数 }}",
        ),
        (
            "组织生活",
            "党小组会（次）",
            "{{ 会议.本期.党小组会.次数 }}",
            "党课（次）",
            "{{ 会议.本期.党课.次数 }}",
        ),
        (
            "组织生活",
            "主题党日（次）",
            "{{ 会议.本期.主题党日.次数 }}",
            "本年三会一课应开",
            "{{ 会议.本年.支部党员大会.应开 + 会议.本年.支部委员会.应开 + 会议.本年.党小组会.应开 + 会议.本年.党课.应开 }}",
        ),
        ("党费", "本年应交（元）", "{{ 党费.本年应交 }}", "本年实交（元）", "{{ 党费.本年实交 }}"),
        ("党费", "本年上缴（元）", "{{ 党费.本年上缴 }}", "欠交人数", "{{ 党费.欠交人数 }}"),
        ("发展党员", "入党积极分子", "{{ 发展.积极分子 }}", "发展对象", "{{ 发展.发展对象 }}"),
    ]
    r = 3
    for area, l1, v1, l2, v2 in grid:
        ws.cell(r, 1, area)
        ws.cell(r, 2, l1)
        ws.cell(r, 3, v1)
        ws.cell(r, 4, l2)
        ws.merge_cells(start_row=r, end_row=r, start_column=4, end_column=5)
        ws.cell(r, 6, v2)
        for c in range(1, 7):
            ws.cell(r, c).border = box
            ws.cell(r, c).alignment = center
            ws.cell(r, c).font = Font(name="宋体", size=10)
        r += 1
    for first, last in ((3, 4), (5, 7), (8, 9)):
        ws.merge_cells(start_row=first, end_row=last, start_column=1, end_column=1)
    r += 1
    ws.cell(r, 1, "本季度开展的组织生活").font = Font(name="黑体", size=12)
    ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=6)
    r += 1
    for i, h in enumerate(["序号", "日期", "主题", "类型", "应到", "实到"], 1):
        c = ws.cell(r, i, h)
        c.border = box
        c.alignment = center
        c.font = Font(name="宋体", size=10, bold=True)
    r += 1
    first_row = r
    for i, text in enumerate(
        [
            "{{ 会议.列表.序号 }}",
            "{{ 会议.列表.日期|日期 }}",
            "{{ 会议.列表.主题 }}",
            "{{ 会议.列表.类型 }}",
            "{{ 会议.列表.应到 }}",
            "{{ 会议.列表.实到 }}",
        ],
        1,
    ):
        c = ws.cell(r, i, text)
        c.border = box
        c.font = Font(name="宋体", size=10)
        c.alignment = Alignment(vertical="center", wrap_text=True, horizontal="left" if i == 3 else "center")
    r += 1
    ws.cell(r, 1, "合计")
    ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=4)
    ws.cell(r, 5, f"=SUM(E{first_row}:E{first_row})")
    ws.cell(r, 6, f"=SUM(F{first_row}:F{first_row})")
    for c in range(1, 7):
        ws.cell(r, c).border = box
        ws.cell(r, c).font = Font(name="宋体", size=10, bold=True)
        ws.cell(r, c).alignment = center
    ws.cell(r + 2, 1, "支部书记（签字）：　　　　　　　　报送日期：{{ 期间.填表日期 }}")
    ws.merge_cells(start_row=r + 2, end_row=r + 2, start_column=1, end_column=6)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return _xlsx_bytes(wb)


def _widths(table: Any, mm: list[float]) -> None:
    from docx.shared import Mm

    table.autofit = False
    for j, w in enumerate(mm):
        table.columns[j].width = Mm(w)
        for cell in table.columns[j].cells:
            cell.width = Mm(w)


def report_form() -> bytes:
    """支部书记年度述职评议表 (Word): 黑体 title, 仿宋 body, tables."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from exports.docx_out import set_fonts

    d = docx.Document()
    set_fonts(d)
    t = d.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = t.add_run("{{ 支部.名称 }}\n{{ 期间.年度 }}年度支部书记抓基层党建工作述职评议表")
    run.font.size = Pt(16)
    run.bold = True
    from exports.docx_out import set_run_font

    set_run_font(run, "黑体")
    info = d.add_table(rows=3, cols=4)
    info.style = "Table Grid"
    cells = [
        ("党组织名称", "{{ 支部.名称 }}", "上级党组织", "{{ 支部.上级党组织 }}"),
        ("党员总数", "{{ 统计.党员总数 }} 名", "其中预备党员", "{{ 统计.预备党员 }} 名"),
        ("党小组", "{{ 统计.党小组数 }} 个", "述职日期", "{{ 期间.填表日期 }}"),
    ]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            info.cell(r, c).text = text
    d.add_paragraph("")
    h = d.add_paragraph()
    set_run_font(h.add_run("一、履行基层党建工作责任情况"), "黑体")
    d.add_paragraph(
        "本年度（截至{{ 期间.统计日 }}）召开支部党员大会 {{ 会议.本年.支部党员大会.次数 }} 次"
        "（应开 {{ 会议.本年.支部党员大会.应开 }} 次），支部委员会 {{ 会议.本年.支部委员会.次数 }} 次，"
        "讲党课 {{ 会议.本年.党课.次数 }} 次，开展主题党日 {{ 会议.本年.主题党日.次数 }} 次。"
        "收缴党费 {{ 党费.本年实交 }} 元，已上缴 {{ 党费.本年上缴 }} 元。"
    )
    h = d.add_paragraph()
    set_run_font(h.add_run("二、发展党员工作情况"), "黑体")
    d.add_paragraph(
        "本年度接收预备党员 {{ 发展.本年接收预备党员 }} 名，按期转正 {{ 发展.本年转正 }} 名；"
        "现有入党积极分子 {{ 发展.积极分子 }} 名、发展对象 {{ 发展.发展对象 }} 名。名单如下："
    )
    lst = d.add_table(rows=4, cols=4)
    lst.style = "Table Grid"
    for c, text in enumerate(["序号", "姓名", "所处阶段", "递交申请书日期"]):
        lst.cell(0, c).text = text
    lst.cell(1, 0).text = "{%tr for 人 in 发展.名单 %}"
    for c, text in enumerate(["{{ 人.序号 }}", "{{ 人.姓名 }}", "{{ 人.阶段 }}", "{{ 人.申请日期 }}"]):
        lst.cell(2, c).text = text
    lst.cell(3, 0).text = "{%tr endfor %}"
    _widths(info, [30, 50, 30, 50])
    _widths(lst, [16, 40, 44, 60])
    h = d.add_paragraph()
    set_run_font(h.add_run("三、存在的问题"), "黑体")
    d.add_paragraph(
        "截至统计日，台账检查发现问题 {{ 问题.问题数 }} 条、提醒 {{ 问题.提醒数 }} 条（逐条整改情况另附）。"
    )
    h = d.add_paragraph()
    set_run_font(h.add_run("四、评议意见"), "黑体")
    d.add_paragraph("评议等次：□好　□较好　□一般　□差")
    d.add_paragraph("上级党组织（盖章）：　　　　　　　　　　　年　　月　　日")
    buf = io.BytesIO()
    d.save(buf)
    return _normalize(buf.getvalue())


def build() -> bytes:
    """The pack as zip bytes (deterministic)."""
    files = {
        "党员基本情况登记表.xlsx": roster_form(),
        "季度工作报表.xlsx": quarterly_form(),
        "书记述职评议表.docx": report_form(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zi = zipfile.ZipInfo("manifest.json", FIXED)
        zi.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(zi, json.dumps(MANIFEST, ensure_ascii=False, indent=2) + "\n")
        for name, data in files.items():
            zi = zipfile.ZipInfo(name, FIXED)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
    return out.getvalue()


def write(path: Path = OUT) -> Path:
    path.write_bytes(build())
    return path


if __name__ == "__main__":
    print(write())
