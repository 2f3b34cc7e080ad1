"""工作计划 / 年度总结 / 书记述职提纲 as documents: .docx (python-docx; fonts named for Chinese Office/WPS —
仿宋 body, 黑体 headings, the east-asian font set through w:eastAsia) and .pdf (reportlab through exports/pdf.py,
the embedded CJK font, A4). Both carry the same content: per heading the facts taken from the records (label and
value, nothing added) and the secretary's own text. A draft is marked 草稿 on the page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.dates import fmt_zh
from exports.report import Column, Paragraph, Report, Table

if TYPE_CHECKING:
    from db.plans import Plan

BODY_FONT = "仿宋"
BODY_FONT_LATIN = "Times New Roman"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"


def _status(plan: Plan) -> str:
    if plan.finalized_on:
        return f"{fmt_zh(plan.finalized_on)}定稿"
    return f"草稿（数据取自{fmt_zh(plan.built_on)}的台账记录）"


def plan_report(plan: Plan, branch_name: str = "") -> Report:
    """The Report (for the PDF writer): per section a two-column table of facts and the secretary's text."""
    blocks: list[Any] = []
    for s in plan.sections:
        if s.facts:
            blocks.append(
                Table(
                    [Column("项目", 2.2), Column("台账记录", 3.4)],
                    [[f.label, f"{f.shown_value}{f.unit}"] for f in s.facts],
                    heading=s.heading,
                    font_size=9,
                )
            )
            if s.text:
                blocks.append(Paragraph(s.text))
        else:
            blocks.append(Paragraph(s.text or "（待填写）", heading=s.heading))
    return Report(
        title=plan.title,
        subtitle=f"{branch_name}　{_status(plan)}".strip(),
        blocks=blocks,
        footer_note="表中数字均取自台账记录（会议、党费、发展党员、清单、示范岗、自评和工作提醒），未作改动；文字由支部填写。",
        sheet_name=plan.kind_label,
    )


def write_pdf(plan: Plan, path: Path, branch_name: str = "") -> Path:
    from exports.pdf import write_pdf as _write

    return _write(plan_report(plan, branch_name), path)


def _set_font(run_or_style: Any, east: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = BODY_FONT_LATIN if east in (BODY_FONT, TABLE_FONT) else east
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    el = run_or_style.element
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east)


def write_docx(plan: Plan, path: Path, branch_name: str = "") -> Path:
    """The document as .docx, A4, written to a temporary name and renamed when whole."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from db.fileutil import atomic_path

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(30)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _set_font(normal, BODY_FONT, 14)
    normal.paragraph_format.line_spacing = Pt(26)
    for name, size in (("Heading 1", 16), ("Heading 2", 14)):
        st = doc.styles[name]
        _set_font(st, HEADING_FONT, size, bold=False)
        st.font.color.rgb = None
    t = doc.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(t.add_run(plan.title), HEADING_FONT, 20)
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(sub.add_run(f"{branch_name}　{_status(plan)}".strip()), BODY_FONT, 12)
    for s in plan.sections:
        h = doc.add_paragraph(style="Heading 1")
        _set_font(h.add_run(s.heading), HEADING_FONT, 16)
        if s.facts:
            table = doc.add_table(rows=1, cols=2)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ("项目", "台账记录"), strict=True):
                _set_font(cell.paragraphs[0].add_run(text), HEADING_FONT, 11)
            for f in s.facts:
                cells = table.add_row().cells
                _set_font(cells[0].paragraphs[0].add_run(f.label), TABLE_FONT, 10.5)
                _set_font(cells[1].paragraphs[0].add_run(f"{f.shown_value}{f.unit}"), TABLE_FONT, 10.5)
            for row in table.rows:
                row.cells[0].width, row.cells[1].width = Mm(62), Mm(94)
        for para in (s.text or ("" if s.facts else "（待填写）")).split("\n"):
            if para.strip():
                p = doc.add_paragraph()
                p.paragraph_format.first_line_indent = Pt(28)
                _set_font(p.add_run(para.strip()), BODY_FONT, 14)
    note = doc.add_paragraph()
    _set_font(
        note.add_run("注：表中数字均取自台账记录，未作改动；文字由支部填写。"),
        BODY_FONT,
        10.5,
    )
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path
