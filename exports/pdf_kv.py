"""Key-value grids (会议时间、地点、主持人… beside their values) and signature lines drawn straight on the canvas: the
look of the reportlab Tables of wrapped Paragraphs the PDFs used (the same paddings, shading, grid and vertical
alignment), without a Paragraph, its markup parse and its line objects per cell, or a Table's per-cell styles.

Every cell is plain text laid out by exports/pdf_para.py (the Chinese line-breaking rules included). A row taller
than a page goes on over pages in parts, the shading and rules kept (a reportlab Table stopped the whole PDF on a
value longer than a page, such as the absentees of a meeting of hundreds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exports.pdf_fonts import FONT, FONT_BOLD
from exports.pdf_para import para_lines
from exports.pdf_table import GRID, HEAD_BG, TextRuns
from exports.report import KeyValues, Signatures, cell_text

Lines = tuple[tuple[str, float], ...]  # a cell's lines, each with its width
Piece = tuple[int, int, int]  # a row and the lines start:stop of its cells drawn on one page
KEY_MM = 26  # the key column's width
PAD_X = 6.0  # reportlab Table's default left and right cell padding


@dataclass
class CellGrid:
    """Rows of cells of laid-out text in columns: what a key-value grid and a row of signature lines both are."""

    widths: list[float]
    fonts: list[str]  # per column
    aligns: list[str]  # left | center per column
    shaded: list[bool]  # per column: the key columns' background
    rows: list[list[Lines]]
    size: float
    leading: float
    pad_top: float
    pad_bottom: float
    middle: bool  # cells centred vertically (else standing on the bottom padding)
    ruled: bool  # a grid around every cell
    page_h: float  # the frame's height: a row taller than this goes on over pages in parts

    def whole(self) -> list[Piece]:
        return [(r, 0, max((len(c) for c in row), default=0)) for r, row in enumerate(self.rows)]

    def height(self, piece: Piece) -> float:
        """Points the lines start:stop of a row take, its paddings included."""
        r, start, stop = piece
        lines = max((min(len(c), stop) - start for c in self.rows[r]), default=0)
        return max(0, lines) * self.leading + self.pad_top + self.pad_bottom


def key_values(block: KeyValues, width: float, page_h: float) -> Any:
    """The pairs, `block.columns` to a row, as a Flowable that splits between rows (and inside a row taller than
    a page's frame of `page_h` points)."""
    from reportlab.lib.units import mm

    size, leading = 10.0, 13.0  # pdf.py's cell style at 10 pt
    per = max(1, block.columns)
    key_w = KEY_MM * mm
    val_w = (width - per * key_w) / per
    rows: list[list[Lines]] = []
    for i in range(0, len(block.pairs), per):
        row: list[Lines] = []
        for k, v in block.pairs[i : i + per]:
            row += [
                para_lines(str(k), key_w - 2 * PAD_X, size, FONT_BOLD),
                para_lines(cell_text(v), val_w - 2 * PAD_X, size),
            ]
        rows.append(row + [()] * (2 * per - len(row)))
    grid = CellGrid(
        widths=[key_w, val_w] * per,
        fonts=[FONT_BOLD, FONT] * per,
        aligns=["center", "left"] * per,
        shaded=[True, False] * per,
        rows=rows,
        size=size,
        leading=leading,
        pad_top=3,
        pad_bottom=3,
        middle=True,
        ruled=True,
        page_h=page_h,
    )
    return grid_flowable(grid)


def signature_lines(block: Signatures, width: float) -> Any:
    """A line to sign on per label (and one for the date), up to three to a row, standing on the row's foot."""
    size, leading = 10.5, 16.0  # pdf.py's body style
    per = min(3, max(1, len(block.labels)))
    col_w = width / per
    cells: list[Lines] = []
    for label in block.labels:
        text = f"{label}（签字）：________________"
        if block.with_date:
            text += "\n\n日期：______年____月____日"
        cells.append(para_lines(text, col_w - 2 * PAD_X, size))
    rows = [cells[i : i + per] for i in range(0, len(cells), per)]
    grid = CellGrid(
        widths=[col_w] * per,
        fonts=[FONT] * per,
        aligns=["left"] * per,
        shaded=[False] * per,
        rows=[r + [()] * (per - len(r)) for r in rows],
        size=size,
        leading=leading,
        pad_top=10,
        pad_bottom=3,
        middle=False,
        ruled=False,
        page_h=float("inf"),
    )
    return grid_flowable(grid)


def grid_flowable(grid: CellGrid) -> Any:
    """A Flowable drawing `grid`, split between rows, and inside a row only where the row is taller than a page
    (a shorter row that does not fit goes to the next page whole, as in a reportlab Table)."""
    from reportlab.platypus import Flowable

    class Cells(Flowable):  # type: ignore[misc]
        def __init__(self, pieces: list[Piece]) -> None:
            super().__init__()
            self.hAlign = "CENTER"  # centred in the frame, where reportlab's Table stood
            self.pieces = pieces
            self.width = sum(grid.widths)
            self.height = sum(grid.height(p) for p in pieces)

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            return self.width, self.height

        def split(self, avail_w: float, avail_h: float) -> list[Any]:
            used = 0.0
            for i, piece in enumerate(self.pieces):
                h = grid.height(piece)
                if used + h <= avail_h + 1e-6:
                    used += h
                    continue
                r, start, stop = piece
                fit = int((avail_h - used - grid.pad_top - grid.pad_bottom + 1e-6) // grid.leading)
                if h > grid.page_h and fit >= 1:
                    head, tail = (r, start, start + fit), (r, start + fit, stop)
                    return [Cells([*self.pieces[:i], head]), Cells([tail, *self.pieces[i + 1 :]])]
                if i == 0:
                    return []  # not even one row fits here
                return [Cells(self.pieces[:i]), Cells(self.pieces[i:])]
            return []

        def draw(self) -> None:
            _draw(self.canv, grid, self.pieces, self.height)

    return Cells(grid.whole())


def _draw(canv: Any, grid: CellGrid, pieces: list[Piece], height: float) -> None:
    xs = [0.0]
    for w in grid.widths:
        xs.append(xs[-1] + w)
    tops = [height]
    for p in pieces:
        tops.append(tops[-1] - grid.height(p))
    canv.saveState()
    # backgrounds, the text over them, the grid over both (the order reportlab's Table draws in)
    shaded = [c for c, s in enumerate(grid.shaded) if s]
    if shaded:
        canv.setFillColorRGB(*HEAD_BG)
        for c in shaded:
            canv.rect(xs[c], tops[-1], grid.widths[c], height - tops[-1], stroke=0, fill=1)
    canv.setFillColorRGB(0, 0, 0)
    size, leading = grid.size, grid.leading
    code = ["BT"]
    runs = TextRuns(canv, size, leading, code)
    for k, (r, start, stop) in enumerate(pieces):
        bottom, row_h = tops[k + 1], tops[k] - tops[k + 1]
        for c, cell in enumerate(grid.rows[r]):
            lines = cell[start:stop]
            if not lines:
                continue
            h = len(lines) * leading
            # the Paragraph's foot: centred between the paddings, or on the bottom one
            foot = (
                bottom + (row_h + grid.pad_bottom - grid.pad_top - h) / 2
                if grid.middle
                else bottom + grid.pad_bottom
            )
            y = foot + h - size  # a Paragraph's first baseline: a font size below its top
            avail = grid.widths[c] - 2 * PAD_X
            for text, w in lines:
                if text:
                    x = xs[c] + PAD_X + ((avail - w) / 2 if grid.aligns[c] == "center" else 0.0)
                    runs.show(grid.fonts[c], text, x, y)
                y -= leading
    code.append("ET")
    canv._code.append(" ".join(code))
    if grid.ruled:
        canv.setStrokeColorRGB(*GRID)
        canv.setLineWidth(0.5)
        segments: list[tuple[float, float, float, float]] = [(0.0, y, xs[-1], y) for y in tops]
        segments += [(x, tops[-1], x, height) for x in xs]
        canv.lines(segments)
    canv.restoreState()
