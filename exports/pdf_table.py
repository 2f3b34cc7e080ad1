"""A plain table drawn straight on the canvas: the look of the reportlab Table the PDFs used (grid, shaded header,
banded rows, cells centred vertically, the header repeated on every page) at a small part of its cost.

Every cell is plain text already broken into lines by the Chinese line-breaking rules (exports/pdf.py
wrap_plain), so a row's height is its tallest cell's line count times the leading plus the padding — the
same arithmetic reportlab's Table does for string cells, without its per-cell style objects, its row-height
pass over every cell on every split, or a text object and a font switch per cell. A page's text is one text
object, its grid a few long lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from exports.pdf_fonts import FONT, FONT_BOLD

GRID = (0x7F / 255, 0x7F / 255, 0x7F / 255)
HEAD_BG = (0xF2 / 255, 0xE6 / 255, 0xE6 / 255)
BAND_BG = (0xFA / 255, 0xFA / 255, 0xFA / 255)
TOTALS_BG = (0xEE / 255, 0xEE / 255, 0xEE / 255)
SIDE_PAD = 3.0  # points left and right of every cell's text


@dataclass
class Grid:
    """The whole table, shared by the parts it splits into: row 0 is the header, each cell a list of lines."""

    widths: list[float]
    aligns: list[str]  # left | center | right per column
    rows: list[list[Sequence[str]]]
    size: float
    leading: float
    head_pad: float  # points above and below the header's text
    body_pad: float  # points above and below a body row's text
    totals: bool = False  # the last row is the totals row
    span_first: bool = False  # the one body row spans every column (the empty table's note)
    repeat_header: bool = True
    bands: list[int] = field(default_factory=list)  # a row's shading turn, where a tall row goes on in parts
    heights: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self.heights = [
            max((len(c) for c in row), default=1) * self.leading
            + 2 * (self.head_pad if i == 0 else self.body_pad)
            for i, row in enumerate(self.rows)
        ]

    def height(self, body: range) -> float:
        """Points the header and the body rows `body` take."""
        return self.heights[0] + sum(self.heights[r] for r in body)


def split_tall_rows(
    rows: list[list[Sequence[str]]], max_lines: int
) -> tuple[list[list[Sequence[str]]], list[int]]:
    """Body rows (after the header, rows[0]) with more lines than a page holds, cut into parts of `max_lines`
    lines that follow each other (a 三会一课台账 row naming hundreds of attendees is taller than a page, and a row
    that fits on no page stopped the whole PDF); with each row's shading turn, so a row's parts keep one shade."""
    out: list[list[Sequence[str]]] = [rows[0]]
    bands = [0]
    for i, row in enumerate(rows[1:], start=1):
        tallest = max((len(c) for c in row), default=1)
        if tallest <= max_lines:
            out.append(row)
            bands.append(i)
            continue
        for start in range(0, tallest, max_lines):
            out.append([tuple(c[start : start + max_lines]) or ("",) for c in row])
            bands.append(i)
    return out, bands


def grid_table(grid: Grid, body: range | None = None) -> Any:
    """A Flowable drawing the header and the body rows `body` (all by default) of `grid`; it splits between
    rows, the header above each part."""
    from reportlab.platypus import Flowable

    class GridTable(Flowable):  # type: ignore[misc]
        def __init__(self, body: range) -> None:
            super().__init__()
            self.hAlign = "CENTER"  # centred in the frame, where reportlab's Table stood
            self.body = body
            self.width = sum(grid.widths)
            self.height = grid.height(body)

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            return self.width, self.height

        def split(self, avail_w: float, avail_h: float) -> list[Any]:
            used = grid.heights[0]
            end = self.body.start
            while end < self.body.stop and used + grid.heights[end] <= avail_h + 1e-6:
                used += grid.heights[end]
                end += 1
            if end == self.body.start or end == self.body.stop:
                return []  # not even one row fits under the header here (or everything does: no split)
            first = GridTable(range(self.body.start, end))
            rest = GridTable(range(end, self.body.stop))
            if not grid.repeat_header:
                rest.height -= grid.heights[0]
                rest.no_header = True
            return [first, rest]

        def draw(self) -> None:
            _draw(self.canv, grid, self.body, not getattr(self, "no_header", False), self.height)

    return GridTable(body if body is not None else range(1, len(grid.rows)))


_widths: dict[tuple[str, str, float], float] = {}


def _width(text: str, font: str, size: float) -> float:
    w = _widths.get((text, font, size))
    if w is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if len(_widths) > 50_000:
            _widths.clear()
        w = _widths[(text, font, size)] = float(stringWidth(text, font, size))
    return w


class TextRuns:
    """Text shown the way reportlab's text object shows a TrueType font (a string split into runs of the
    embedded subsets, each run's subset selected when it changes), with each string's runs kept for the document:
    a table repeats its values on every row, and a string's subset codes never change once assigned."""

    def __init__(self, canv: Any, size: float, leading: float, code: list[str]) -> None:
        from reportlab.lib.rl_accel import fp_str

        self.canv, self.doc, self.code, self.fp_str = canv, canv._doc, code, fp_str
        self.tf = f"{fp_str(size)} Tf {fp_str(leading)} TL"
        self.cache: dict[tuple[str, str], list[tuple[str, str]]] = canv.__dict__.setdefault("_grid_runs", {})
        self.current = ""

    def show(self, font_name: str, text: str, x: float, y: float) -> None:
        key = (font_name, text)
        found = self.cache.get(key)
        if found is None:
            from reportlab.pdfbase.pdfmetrics import getFont

            font = getFont(font_name)
            escape = self.canv._escape
            found = self.cache[key] = [
                (font.getSubsetInternalName(subset, self.doc), escape(chunk))
                for subset, chunk in font.splitString(text, self.doc)
            ]
        code = self.code
        code.append(f"1 0 0 1 {self.fp_str(x, y)} Tm")
        for name, chunk in found:
            if name != self.current:
                code.append(f"{name} {self.tf}")
                self.current = name
            code.append(f"({chunk}) Tj")


def _draw(canv: Any, grid: Grid, body: range, header: bool, height: float) -> None:
    rows = ([0] if header else []) + list(body)
    xs = [0.0]
    for w in grid.widths:
        xs.append(xs[-1] + w)
    right = xs[-1]
    tops = [height]
    for r in rows:
        tops.append(tops[-1] - grid.heights[r])
    last = len(grid.rows) - 1
    canv.saveState()
    # backgrounds first, the text over them, the grid over both (the order reportlab's Table draws in)
    for k, r in enumerate(rows):
        fill = (
            HEAD_BG
            if r == 0
            else TOTALS_BG
            if grid.totals and r == last
            else BAND_BG
            if (grid.bands[r] if grid.bands else r) % 2 == 0
            else None
        )
        if fill is not None:
            canv.setFillColorRGB(*fill)
            canv.rect(0, tops[k + 1], right, grid.heights[r], stroke=0, fill=1)
    canv.setFillColorRGB(0, 0, 0)
    size, leading = grid.size, grid.leading
    code = ["BT"]
    runs = TextRuns(canv, size, leading, code)
    for k, r in enumerate(rows):
        font = FONT_BOLD if r == 0 else FONT
        pad = grid.head_pad if r == 0 else grid.body_pad
        bottom, row_h = tops[k + 1], grid.heights[r]
        cells = grid.rows[r]
        spans = r != 0 and grid.span_first
        for c, lines in enumerate(cells):
            if not lines or (len(lines) == 1 and not lines[0]):
                continue
            align = "center" if r == 0 else "left" if spans else grid.aligns[c]
            x0 = xs[c]
            x1 = right if spans else xs[c + 1]
            # reportlab's string cell, VALIGN MIDDLE: the block of lines centred, first baseline a font size
            # below its top
            y = bottom + (pad + row_h - pad + len(lines) * leading) / 2 - size
            for line in lines:
                if line:
                    if align == "left":
                        x = x0 + SIDE_PAD
                    elif align == "right":
                        x = x1 - SIDE_PAD - _width(line, font, size)
                    else:
                        x = (x0 + x1) / 2 - _width(line, font, size) / 2
                    runs.show(font, line, x, y)
                y -= leading
            if spans:
                break
    code.append("ET")
    canv._code.append(" ".join(code))
    canv.setStrokeColorRGB(*GRID)
    canv.setLineWidth(0.5)
    bottom = tops[-1]
    segments: list[tuple[float, float, float, float]] = [(0.0, y, right, y) for y in tops]
    if grid.span_first:
        # the empty table's note spans its row: the column rules stop at the header
        segments += [(x, tops[1], x, height) for x in xs[1:-1]]
        segments += [(0, bottom, 0, height), (right, bottom, right, height)]
    else:
        segments += [(x, bottom, x, height) for x in xs]
    canv.lines(segments)
    canv.restoreState()
