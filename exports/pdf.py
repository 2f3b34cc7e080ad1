"""Render a Report to PDF with reportlab: A4, the CJK font embedded, 第N页 共M页, nothing clipped.

reportlab's Platypus places the blocks on pages (its frames, KeepTogether and CondPageBreak keep a heading with
what follows it; a second layout keeps signatures off a page of their own), but what it places is mostly drawn
straight on the canvas, one text object per block, rather than by its Paragraph and Table flowables, which
cost several times the drawing itself:

- tables: exports/pdf_table.py, cells broken into lines by `cell_lines` (the Chinese line-breaking rules of
  exports/linebreak.py); long tables split between rows with the header repeated, a row taller than a page
  in parts;
- key-value grids (会议时间、地点、主持人…) and signature lines: exports/pdf_kv.py, the same paddings, shading and
  grid as the Tables of Paragraphs they replace; a value taller than a page goes on over pages;
- titles, headings, paragraphs, notes and captions: exports/pdf_para.py, plain text laid out as the
  CJKParagraph below lays it out (tests hold the two equal, line by line and pixel by pixel) and split
  between pages the same way;
- pictures: reportlab Image flowables, a small Table per row of pictures; cut lines: a Flowable of their own;
- the font: exports/pdf_fonts.py, registered over a map of the file, subsets read a glyph at a time.

`paragraph_class` (reportlab's Paragraph with the project's line breaking) is no longer used to draw: it is the
reference the canvas layouts are tested against, and the way to print text with markup should a block need it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from db.fileutil import atomic_path
from exports.pdf_fonts import FONT as FONT  # re-exported: the font names and their registration
from exports.pdf_fonts import FONT_BOLD as FONT_BOLD
from exports.pdf_fonts import register_fonts as register_fonts
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

ACCENT = "#8B0000"
# Every table's cells in the embedded font, empty ones too: a plain-string cell otherwise makes reportlab set
# its default Helvetica, which the PDF then references without embedding it.
FONT_CMD = ("FONTNAME", (0, 0), (-1, -1), FONT)


def _numbered_canvas(title: str, final: Callable[[], bool]) -> Any:
    """A canvas that numbers its pages when saved, and is not saved at all unless `final()`: a layout to be
    done again is never serialised (its fonts subset, its pages compressed) only to be overwritten."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):  # type: ignore[misc]
        """Two-pass page numbers: 第N页 共M页."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            if not final():
                return
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                w, _h = self._pagesize
                self.setFont(FONT, 8)
                self.setFillColorRGB(0.35, 0.35, 0.35)
                self.drawCentredString(w / 2, 10 * mm, f"第{self._pageNumber}页 共{total}页")
                self.drawRightString(w - 15 * mm, 10 * mm, title[:40])
                super().showPage()
            super().save()

    return NumberedCanvas


def _pdf_columns(block: Table) -> Table:
    """The table as printed: without the columns kept for the workbook only."""
    keep = [i for i, c in enumerate(block.columns) if c.pdf]
    if len(keep) == len(block.columns):
        return block
    return dataclasses.replace(
        block,
        columns=[block.columns[i] for i in keep],
        rows=[[r[i] if i < len(r) else "" for i in keep] for r in block.rows],
        totals=[block.totals[i] if i < len(block.totals) else "" for i in keep] if block.totals else None,
    )


@functools.lru_cache(maxsize=64)  # made once per size and spacing, shared by every report and never changed
def _styles(base_size: float, spacing: float = 1.3) -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    cell = ParagraphStyle(
        "cell", fontName=FONT, fontSize=base_size, leading=base_size * spacing, wordWrap="CJK"
    )
    return {
        "title": ParagraphStyle(
            "title",
            fontName=FONT_BOLD,
            fontSize=16,
            leading=22,
            alignment=TA_CENTER,
            spaceAfter=2,
            wordWrap="CJK",
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            fontName=FONT,
            fontSize=10,
            leading=14,
            alignment=TA_CENTER,
            textColor=HexColor("#444444"),
            spaceAfter=8,
            wordWrap="CJK",
        ),
        "heading": ParagraphStyle(
            "heading",
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=16,
            spaceBefore=6,
            spaceAfter=4,
            textColor=HexColor(ACCENT),
            wordWrap="CJK",
        ),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK"),
        "cell": cell,
        "cell_center": ParagraphStyle("cellc", parent=cell, alignment=TA_CENTER),
        "cell_right": ParagraphStyle("cellr", parent=cell, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=cell, fontName=FONT_BOLD, alignment=TA_CENTER),
        "note": ParagraphStyle(
            "note",
            fontName=FONT,
            fontSize=8.5,
            leading=12,
            textColor=HexColor("#555555"),
            wordWrap="CJK",
        ),
    }


_paragraph_class: Any = None


def paragraph_class() -> Any:
    """reportlab's Paragraph with the Chinese line-breaking rules of exports/linebreak.py in place of its own
    CJK wrapping (which lets ，；：？！ start a line and ignores what ends one)."""
    global _paragraph_class
    if _paragraph_class is not None:
        return _paragraph_class
    from reportlab.platypus import Paragraph as RLParagraph
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    from exports import linebreak

    class CJKParagraph(RLParagraph):  # type: ignore[misc]
        def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - reportlab API
            if not isinstance(maxWidths, (list, tuple)):
                maxWidths = [maxWidths]  # noqa: N806
            if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
                return self.blPara  # the second half of a paragraph split across pages: lines already made
            style = self.style
            self.height = 0
            units: list[Any] = []
            for f in self.frags:
                text = f.text if hasattr(f, "text") else ""
                if isinstance(text, bytes):
                    text = text.decode("utf8")
                if text:
                    units.extend(cjkU(t, f, "utf8") for t in text)
                else:
                    units.append(cjkU(text, f, "utf8"))
            if not units:
                return ParaLines(
                    kind=0,
                    fontSize=style.fontSize,
                    fontName=style.fontName,
                    textColor=style.textColor,
                    lines=[],
                    ascent=style.fontSize,
                    descent=-0.2 * style.fontSize,
                )
            auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
            calc_bounds = auto not in ("", "off")
            found = linebreak.break_lines(
                [str(u) for u in units],
                [float(u.width) for u in units],
                [float(w) for w in maxWidths],
                [hasattr(u.frag, "lineBreak") for u in units],
            )
            lines = []
            for k, ln in enumerate(found):
                max_w = float(maxWidths[min(k, len(maxWidths) - 1)])
                lines.append(
                    makeCJKParaLine(
                        units[ln.start : ln.end], max_w, ln.width, max_w - ln.width, ln.forced, calc_bounds
                    )
                )
            return ParaLines(kind=1, lines=lines)

    _paragraph_class = CJKParagraph
    return CJKParagraph


def _p(text: Any, style: Any) -> Any:
    """Plain text as a Flowable: drawn as the CJKParagraph would draw it (exports/pdf_para.py)."""
    from exports.pdf_para import plain_paragraph

    return plain_paragraph(str(text), style)


def _height(flowable: Any, width: float) -> float:
    _w, h = flowable.wrap(width, 10_000)
    return float(h) + float(flowable.getSpaceBefore()) + float(flowable.getSpaceAfter())


def _text_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, FONT, size))


_glyph_widths: dict[tuple[str, float, str], float] = {}


def _glyph_width(ch: str, size: float, font: str = FONT) -> float:
    w = _glyph_widths.get((ch, size, font))
    if w is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        w = _glyph_widths[(ch, size, font)] = float(stringWidth(ch, font, size))
    return w


def wrap_plain(text: str, width: float, size: float, font: str = FONT) -> str:
    """Plain text broken into lines of at most `width` points by the Chinese rules of exports/linebreak.py,
    joined with newlines: a table draws such a cell as strings in its own font and leading, the look of a
    wrapped Paragraph at a small part of its cost (no markup parsing, no per-glyph fragments)."""
    from exports import linebreak

    out: list[str] = []
    for part in text.split("\n"):
        chars = list(part)
        if not chars:
            out.append("")
            continue
        glyphs = [_glyph_width(c, size, font) for c in chars]
        if sum(glyphs) <= width + linebreak.FUZZ:
            out.append(part.rstrip())  # what break_lines answers for a part that fits: itself, one line
            continue
        found = linebreak.break_lines(chars, glyphs, [width])
        out.extend(part[ln.start : ln.end].rstrip() for ln in found)
    return "\n".join(out)


_cells: dict[tuple[str, float, float, str, str], tuple[str, ...]] = {}


def cell_lines(text: str, width: float, size: float, font: str = FONT, instead: str = "") -> tuple[str, ...]:
    """The lines `text` is drawn in, in a table cell `width` points wide (3 points of padding each side): itself
    if it fits on one line, else broken by the Chinese rules — or, given, `instead` broken so. Kept per text and
    width: a roster repeats its addresses, posts and dates on every row, and the answer depends on nothing else."""
    key = (text, width, size, font, instead)
    got = _cells.get(key)
    if got is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if len(_cells) > 50_000:
            _cells.clear()
        if "\n" not in text and stringWidth(text, font, size) + 6 <= width:
            got = (text,)
        else:
            got = tuple(wrap_plain(instead or text, width - 6, size, font).split("\n"))
        _cells[key] = got
    return got


def _fit_dates(widths: list[float], block: Table, size: float) -> list[float]:
    """Widen number columns so a 序号 stays whole (98 / 9 reads as two numbers), then date columns so
    2026年10月31日 stays on one line if the room allows (a table that cannot spare it breaks its dates after the
    year, by design: the roster), taking the room from the text columns, which wrap gracefully."""
    return _widen(_widen(widths, block, size, "int"), block, size, "date")


def _widen(widths: list[float], block: Table, size: float, kind: str) -> list[float]:
    need = list(widths)
    for i, col in enumerate(block.columns):
        if col.kind != kind:
            continue
        cls = dt.date if kind == "date" else int
        texts = {cell_text(r[i]) for r in block.rows if i < len(r) and isinstance(r[i], cls)}
        texts -= {"是", "否"}  # a bool is an int to isinstance
        if texts:
            need[i] = max(widths[i], max(_text_width(t, size) for t in texts) + 7)
    extra = sum(need) - sum(widths)
    # Wrapping text gives the room; centred columns hold codes (ID and phone numbers) that must stay whole.
    donors = [
        i for i, c in enumerate(block.columns) if c.kind == "text" and c.width >= 1.5 and c.align == "left"
    ]
    room = sum(widths[i] for i in donors)
    if extra <= 0 or not donors or extra > room * 0.25:
        return widths
    return [w * (1 - extra / room) if i in donors else need[i] for i, w in enumerate(widths)]


def _table_size(ncols: int) -> float:
    if ncols <= 6:
        return 10
    if ncols <= 10:
        return 9
    if ncols <= 16:
        return 8
    return 7


def _cut_line(label: str, width: float) -> Any:
    """A dashed line the width of the page with its note in the middle (where the parts of a form are cut)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable

    class _Cut(Flowable):  # type: ignore[misc]
        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            return width, 9 * mm

        def draw(self) -> None:
            c = self.canv
            y = 4.5 * mm
            size = 8
            text_w = _text_width(label, size) + 6
            mid = width / 2
            c.saveState()
            c.setStrokeColorRGB(0.3, 0.3, 0.3)
            c.setLineWidth(0.6)
            c.setDash(4, 3)
            c.line(0, y, mid - text_w / 2, y)
            c.line(mid + text_w / 2, y, width, y)
            c.setFont(FONT, size)
            c.setFillColorRGB(0.35, 0.35, 0.35)
            c.drawCentredString(mid, y - size / 3, label)
            c.restoreState()

    return _Cut()


def write_pdf(report: Report, path: Path, progress: Progress = no_progress) -> Path:
    """The report as a PDF on A4. A signature block never stands alone on the last page: if it would, the
    document is laid out again with the last rows of the table above it moved to that page, under the table's
    header, so the signatures sign rows (a second layout only in that case, and only the second is written)."""
    with atomic_path(path, what="报表（PDF）") as tmp:
        seen: dict[str, int] = {}
        _layout(report, tmp, progress, frozenset(), seen, final=lambda: not _orphans(seen))
        orphans = _orphans(seen)
        if orphans:
            _layout(report, tmp, no_progress, orphans, {})
    progress(len(report.blocks), len(report.blocks), report.title)
    return path


def _orphans(seen: dict[str, int]) -> frozenset[int]:
    """The Signatures blocks that landed on a page after the one their table above ended on."""
    return frozenset(
        int(k[4:]) for k in seen if k.startswith("sig:") and seen[k] > seen.get(f"end:{k[4:]}", seen[k])
    )


def _marker(key: str, seen: dict[str, int]) -> Any:
    """A flowable of no size that notes the page it lands on."""
    from reportlab.platypus import Flowable

    class Mark(Flowable):  # type: ignore[misc]
        def wrap(self, _w: float, _h: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            seen[key] = self.canv.getPageNumber()

    return Mark()


def _gap(height: float) -> Any:
    """Space below a table that shrinks to what is left of the page: a Spacer that did not fit under a table
    ending at the foot of a page started a page of its own, printed empty."""
    from reportlab.platypus import Flowable

    class Gap(Flowable):  # type: ignore[misc]
        def wrap(self, _w: float, avail_h: float) -> tuple[float, float]:
            self.height = max(0.0, min(height, avail_h - 1e-3))
            return 0, self.height

        def draw(self) -> None:
            pass

    return Gap()


def _layout(
    report: Report,
    tmp: Path,
    progress: Progress,
    tails: frozenset[int],
    seen: dict[str, int],
    final: Callable[[], bool] = lambda: True,
) -> Any:
    """Lay the report out into `tmp`. `tails`: indexes of Signatures blocks whose table above keeps its last
    rows with them, on a page of their own."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Image as RLImage
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Table as RLTable

    from exports.pdf_kv import key_values, signature_lines
    from exports.pdf_table import Grid, grid_table, split_tall_rows

    register_fonts()
    pagesize = landscape(A4) if report.orientation == "landscape" else A4
    margin = 14 * mm
    width = pagesize[0] - 2 * margin
    # the page's frame: margins of 14 and 16 mm, 6 points of padding above and below
    frame_h = pagesize[1] - 30 * mm - 12
    base = _styles(9)
    story: list[Any] = [_p(report.title, base["title"])]
    if report.subtitle:
        story.append(_p(report.subtitle, base["subtitle"]))
    total = len(report.blocks)
    for bi, block in enumerate(report.blocks):
        progress(bi, total, report.title)
        if isinstance(block, Table):
            tail = bi + 1 in tails and len(block.rows) > 3 and block.repeat_header
            block = _pdf_columns(block)
            size = block.font_size or _table_size(len(block.columns))
            st = _styles(size, block.line_spacing or 1.3)
            heading = _p(block.heading, st["heading"]) if block.heading else None
            weights = [max(0.3, c.width) for c in block.columns]
            scale = width / sum(weights)
            widths = _fit_dates([w * scale for w in weights], block, size)
            spacing = block.line_spacing or 1.3
            grid_cells: list[list[Sequence[str]]] = [
                [cell_lines(c.title, w, size, FONT_BOLD) for c, w in zip(block.columns, widths, strict=True)]
            ]
            all_rows = block.rows + ([block.totals] if block.totals else [])
            for values in all_rows:
                row_cells: list[Sequence[str]] = []
                for col, value in zip(block.columns, values, strict=False):
                    # A cell that fits as it is, or one broken into lines by the Chinese rules first; a date too
                    # narrow even after _fit_dates breaks after the year, never inside a number.
                    lines = cell_lines(
                        cell_text(value, col.kind),
                        widths[len(row_cells)],
                        size,
                        instead=f"{value.year}年\n{value.month}月{value.day}日"
                        if isinstance(value, dt.date)
                        else "",
                    )
                    row_cells.append(lines)
                row_cells += [("",)] * (len(block.columns) - len(row_cells))
                grid_cells.append(row_cells)
            if not block.rows:
                grid_cells.append([cell_lines(block.empty_text, width, size)])
            body_pad = block.cell_padding
            if block.min_row_height_mm:
                # Padding, not a fixed height: a cell with more text still grows instead of being clipped.
                body_pad = max(2.0, (block.min_row_height_mm * mm - size * spacing) / 2)
            # A row taller than a page goes on over pages in parts (the header above each).
            page_room = (
                pagesize[1] - 30 * mm - 12 - len(grid_cells[0]) * size * spacing - 2 * block.cell_padding
            )
            grid_cells, bands = split_tall_rows(
                grid_cells, max(1, int((page_room - 2 * body_pad - 4) // (size * spacing)))
            )
            grid_data = Grid(
                widths=widths,
                aligns=[c.align for c in block.columns],
                rows=grid_cells,
                size=size,
                leading=size * spacing,
                head_pad=block.cell_padding,
                body_pad=body_pad,
                totals=bool(block.totals),
                span_first=not block.rows,
                repeat_header=block.repeat_header,
                bands=bands,
            )
            cut = len(grid_cells) - 3 if tail else len(grid_cells)
            if heading is not None:
                # The heading goes to the next page with the table unless it has the header and two rows
                # under it on this one.
                first_h = grid_data.height(range(1, min(3, len(grid_cells))))
                story.append(CondPageBreak(_height(heading, width) + first_h + 2))
                story.append(heading)
            story.append(grid_table(grid_data, range(1, cut)))
            if tail:
                # The last rows go with the signatures below, under the header again (the same shading as in
                # one table: rows keep their places in it).
                story += [RLPageBreak(), grid_table(grid_data, range(cut, len(grid_cells)))]
            story.append(_marker(f"end:{bi + 1}", seen))
            story.append(_gap(4 * mm))
        elif isinstance(block, KeyValues):
            heading = _p(block.heading, _styles(10)["heading"]) if block.heading else None
            t = key_values(block, width, frame_h)
            story.append(KeepTogether([heading, t]) if heading is not None else t)
            story.append(Spacer(1, 4 * mm))
        elif isinstance(block, Paragraph):
            body = base["body"]
            if block.align in ("right", "center"):
                from reportlab.lib.enums import TA_CENTER, TA_RIGHT
                from reportlab.lib.styles import ParagraphStyle

                body = ParagraphStyle(
                    "body_" + block.align,
                    parent=body,
                    alignment=TA_RIGHT if block.align == "right" else TA_CENTER,
                )
            paras = [_p(para, body) for para in (block.text or "").split("\n\n")]
            if block.heading:
                # A heading never ends a page alone: it goes with the first paragraph.
                story.append(KeepTogether([_p(block.heading, base["heading"]), paras[0]]))
                story.append(Spacer(1, 2 * mm))
                paras = paras[1:]
            for para in paras:
                story.append(para)
                story.append(Spacer(1, 2 * mm))
        elif isinstance(block, Images):
            cells = []
            for img in block.images:
                try:
                    from reportlab.lib.utils import ImageReader

                    reader = ImageReader(io.BytesIO(img.data))
                    iw, ih = reader.getSize()
                    scale = min(img.max_width_mm * mm / iw, img.max_height_mm * mm / ih, 1.0)
                    flow = RLImage(io.BytesIO(img.data), width=iw * scale, height=ih * scale)
                except Exception:  # noqa: BLE001 - an unreadable picture is named, not fatal
                    flow = _p("（图片无法读取）", base["note"])
                cells.append([flow, _p(img.caption, base["note"])])
            per_row = max(1, int(width // (64 * mm)))
            # One small table per row of pictures, so a picture and its caption stay together and the
            # heading goes to the next page with the first row instead of ending a page alone.
            image_rows: list[Any] = []
            for i in range(0, len(cells), per_row):
                chunk = cells[i : i + per_row]
                pad = [""] * (per_row - len(chunk))
                image_rows.append(
                    RLTable(
                        [[c[0] for c in chunk] + pad, [c[1] for c in chunk] + pad],
                        colWidths=[width / per_row] * per_row,
                        style=TableStyle([FONT_CMD]),
                    )
                )
            heading = _p(block.heading, base["heading"]) if block.heading else None
            if heading is not None and image_rows:
                story.append(KeepTogether([heading, image_rows[0]]))
                story.extend(image_rows[1:])
            else:
                story.extend(([heading] if heading is not None else []) + image_rows)
        elif isinstance(block, Signatures):
            sig = signature_lines(block, width)
            story.append(KeepTogether([Spacer(1, 6 * mm), _marker(f"sig:{bi}", seen), sig]))
        elif isinstance(block, PageBreak):
            story.append(RLPageBreak())
        elif isinstance(block, CutLine):
            story.append(_cut_line(block.label, width))
    if report.footer_note:
        story.append(Spacer(1, 3 * mm))
        story.append(_p(report.footer_note, base["note"]))
    doc = SimpleDocTemplate(
        str(tmp),
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=report.title,
        author="支部台账",
        creator="支部台账",
        lang="zh-CN",
        # The canvas starts every page in this font: reportlab's default, Helvetica, would be referenced
        # without being embedded (archives want every font embedded: PDF/A-ready files).
        initialFontName=FONT,
    )
    doc.build(story, canvasmaker=_numbered_canvas(report.title, final))
