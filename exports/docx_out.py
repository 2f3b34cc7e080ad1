"""Word (.docx) output of a Report, for what a secretary edits before it goes out (the 会议记录, the 交接清单): the
same blocks as the PDF (exports/pdf.py) — title, subtitle, key/value blocks, tables with their totals,
paragraphs, pictures, signature lines, the footer note — through python-docx.

Fonts are named the way Chinese Office and WPS expect them: the East Asian font is set with w:eastAsia (a
plain `font.name` only changes the Latin font, and Word then shows 宋体 text in Calibri's fallback), 仿宋 for
body text, 宋体 for tables, 黑体 for the title and headings; Latin text in Times New Roman. A4, margins of an
office document, landscape when the report is.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from db.fileutil import atomic_path
from exports.report import (
    Images,
    KeyValues,
    PageBreak,
    Paragraph,
    Report,
    Signatures,
    Table,
    cell_text,
)

LATIN = "Times New Roman"
BODY = "仿宋"
TABLE = "宋体"
HEADING = "黑体"


def set_run_font(run: Any, name: str, latin: str = LATIN) -> None:
    """Set a run's fonts: Latin and East Asian (w:eastAsia), so Word/WPS show `name` for Chinese text."""
    run.font.name = latin
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), name)


def _style_font(style: Any, name: str, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = LATIN
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), name)


def set_fonts(doc: Any, body: str = BODY, size: float = 12) -> None:
    """Document defaults: body text in `body` (小四, 12 pt), headings in 黑体."""
    _style_font(doc.styles["Normal"], body, size)
    for name in ("Heading 1", "Heading 2", "Title"):
        try:
            st = doc.styles[name]
        except KeyError:
            continue
        _style_font(st, HEADING, None, False)
        st.font.color.rgb = None


def _run(p: Any, text: str, font: str, size: float, bold: bool = False) -> Any:
    r = p.add_run(text)
    set_run_font(r, font)
    r.font.size = Pt(size)
    r.bold = bold
    return r


def _heading(doc: Any, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(8)
    p.paragraph_format.space_after = Pt(4)
    p.paragraph_format.keep_with_next = True
    _run(p, text, HEADING, 14)


def _cell(cell: Any, text: str, *, bold: bool = False, align: str = "left", size: float = 10.5) -> None:
    cell.text = ""
    lines = text.split("\n") if text else [""]
    p = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            p = cell.add_paragraph()
        p.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }.get(align, WD_ALIGN_PARAGRAPH.LEFT)
        _run(p, line, TABLE, size, bold)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _widths(t: Any, widths: list[Any]) -> None:
    """Fixed column widths, in the grid (LibreOffice/WPS read w:gridCol) and in every cell (Word reads w:tcW)."""
    t.autofit = False
    for j, w in enumerate(widths):
        t.columns[j].width = w
    for row in t.rows:
        for j, cell in enumerate(row.cells):
            cell.width = widths[j]


def _table(doc: Any, block: Table, width_mm: float) -> None:
    if block.heading:
        _heading(doc, block.heading)
    cols = [c for c in block.columns if c.pdf]
    index = [i for i, c in enumerate(block.columns) if c.pdf]
    if not block.rows:
        p = doc.add_paragraph()
        _run(p, block.empty_text, BODY, 12)
        return
    size = 10.5 if len(cols) <= 6 else (9 if len(cols) <= 10 else 7.5)
    t = doc.add_table(rows=1, cols=len(cols))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    total_w = sum(c.width for c in cols) or 1
    mm = [width_mm * c.width / total_w for c in cols]
    short = [j for j, c in enumerate(cols) if c.kind == "date" and mm[j] < 26]  # 2026年12月31日 on one line
    if short and len(short) < len(cols):
        need = sum(26 - mm[j] for j in short)
        rest = [j for j in range(len(cols)) if j not in short]
        spare = sum(mm[j] for j in rest)
        for j in short:
            mm[j] = 26
        for j in rest:
            mm[j] -= need * mm[j] / spare
    widths = [Mm(w) for w in mm]
    for j, c in enumerate(cols):
        _cell(t.rows[0].cells[j], c.title, bold=True, align="center", size=size)
    if block.repeat_header:
        _repeat_header(t.rows[0])
    body = [(r, False) for r in block.rows] + ([(block.totals, True)] if block.totals else [])
    for values, bold in body:
        cells = t.add_row().cells
        for j, (i, c) in enumerate(zip(index, cols, strict=True)):
            v = values[i] if i < len(values) else None
            _cell(cells[j], cell_text(v, c.kind), bold=bold, align=c.align, size=size)
    _widths(t, widths)
    if block.min_row_height_mm:
        for row in list(t.rows)[1:]:
            row.height = Mm(block.min_row_height_mm)


def _key_values(doc: Any, block: KeyValues, width_mm: float) -> None:
    if block.heading:
        _heading(doc, block.heading)
    per = max(1, block.columns)
    rows = [block.pairs[i : i + per] for i in range(0, len(block.pairs), per)]
    t = doc.add_table(rows=len(rows), cols=per * 2)
    t.style = "Table Grid"
    label_w = Mm(width_mm * 0.36 / per)
    value_w = Mm(width_mm * 0.64 / per)
    for r, pairs in enumerate(rows):
        for k in range(per):
            label, value = pairs[k] if k < len(pairs) else ("", "")
            _cell(t.cell(r, 2 * k), str(label), bold=True, align="center")
            _cell(t.cell(r, 2 * k + 1), cell_text(value))
    _widths(t, [label_w, value_w] * per)


def _images(doc: Any, block: Images) -> None:
    if block.heading:
        _heading(doc, block.heading)
    for im in block.images:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        try:
            p.add_run().add_picture(io.BytesIO(im.data), width=Mm(im.max_width_mm))
        except Exception:  # noqa: BLE001 - a picture Word cannot take is named, not fatal
            _run(p, "（图片无法插入）", BODY, 10.5)
        if im.caption:
            c = doc.add_paragraph()
            c.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(c, im.caption, BODY, 10.5)


def _signatures(doc: Any, block: Signatures) -> None:
    doc.add_paragraph()
    for label in block.labels:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(10)
        text = f"{label}（签字）：＿＿＿＿＿＿＿＿"
        if block.with_date:
            text += "　　　　日期：＿＿＿＿年＿＿月＿＿日"
        _run(p, text, BODY, 12)


def build_docx(report: Report) -> Any:
    """The python-docx Document of a Report."""
    doc = Document()
    set_fonts(doc)
    section = doc.sections[0]
    landscape = report.orientation == "landscape"
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(20)
    width_mm = (297 if landscape else 210) - 40
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, report.title, HEADING, 18)
    if report.subtitle:
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(sub, report.subtitle, BODY, 12)
    for block in report.blocks:
        if isinstance(block, Table):
            _table(doc, block, width_mm)
        elif isinstance(block, KeyValues):
            _key_values(doc, block, width_mm)
        elif isinstance(block, Paragraph):
            if block.heading:
                _heading(doc, block.heading)
            for line in (block.text or "").split("\n"):
                if not line.strip():
                    continue  # the PDF's blank lines are paragraph spacing here
                p = doc.add_paragraph()
                p.paragraph_format.first_line_indent = Pt(24)
                p.paragraph_format.line_spacing = 1.5
                _run(p, line, BODY, 12)
        elif isinstance(block, Images):
            _images(doc, block)
        elif isinstance(block, Signatures):
            _signatures(doc, block)
        elif isinstance(block, PageBreak):
            doc.add_page_break()  # type: ignore[no-untyped-call]
    if report.footer_note:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, report.footer_note, BODY, 9)
    return doc


def write_docx(report: Report, path: Path) -> Path:
    """Write a Report as .docx (temporary name, then renamed)."""
    doc = build_docx(report)
    with atomic_path(Path(path)) as tmp:
        doc.save(str(tmp))
    return Path(path)
