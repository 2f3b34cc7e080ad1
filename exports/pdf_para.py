"""Plain text (no markup) laid out in lines and drawn straight on the canvas, as exports/pdf.py's CJKParagraph
would lay it out: the same whitespace cleaning (runs of spaces become one, the ends trimmed), a newline a forced
break, every glyph its own unit and the Chinese line-breaking rules of exports/linebreak.py — without the markup
parser, the per-glyph fragments and the line objects a reportlab Paragraph builds for every cell and line.
"""

from __future__ import annotations

from typing import Any

from exports.pdf import _glyph_width
from exports.pdf_fonts import FONT
from exports.pdf_table import TextRuns

_BREAK = "\x00"  # a newline while reportlab's cleaner runs (it would take a newline for a space)
_laid: dict[tuple[str, float, float, str], tuple[tuple[str, float], ...]] = {}


def para_lines(text: str, width: float, size: float, font: str = FONT) -> tuple[tuple[str, float], ...]:
    """The lines `text` takes in a column `width` points wide, each with its width (trailing spaces counted, as
    the Paragraph counts them when it centres or right-aligns a line). Kept per text and width."""
    key = (text, width, size, font)
    got = _laid.get(key)
    if got is not None:
        return got
    from reportlab.platypus.paragraph import cleanBlockQuotedText

    from exports import linebreak

    if len(_laid) > 50_000:
        _laid.clear()
    out: list[tuple[str, float]] = []
    clean = cleanBlockQuotedText(text.replace("\n", _BREAK)) if text else ""
    if clean:
        parts = clean.split(_BREAK)
        for i, part in enumerate(parts):
            if not part:
                if i < len(parts) - 1:  # a break after a break: an empty line; one ending the text: nothing
                    out.append(("", 0.0))
                continue
            glyphs = [_glyph_width(c, size, font) for c in part]
            total = sum(glyphs)
            if total <= width + linebreak.FUZZ:
                out.append((part, total))
                continue
            for ln in linebreak.break_lines(part, glyphs, [width]):
                out.append((part[ln.start : ln.end], ln.width))
    got = _laid[key] = tuple(out)
    return got


def plain_paragraph(text: str, style: Any) -> Any:
    """A Flowable for `text` in a ParagraphStyle's font, size, leading, colour, alignment and spacing, laid out
    and split between pages as exports/pdf.py's CJKParagraph is (no single line left at a page's foot)."""
    return _plain_class()(text, style)


_Plain: Any = None


def _plain_class() -> Any:
    """The Flowable class of `plain_paragraph`, made once (reportlab imported on first use, not with the module)."""
    global _Plain
    if _Plain is not None:
        return _Plain
    from reportlab.platypus import Flowable

    class Plain(Flowable):  # type: ignore[misc]
        def __init__(self, text: str, style: Any, part: tuple[tuple[str, float], ...] | None = None) -> None:
            super().__init__()
            self.text, self.style = text, style
            self.size, self.leading = float(style.fontSize), float(style.leading)
            self.align = {1: "center", 2: "right"}.get(style.alignment, "left")  # TA_CENTER, TA_RIGHT
            self.part = part  # the lines of a part split off, laid out already; None: the whole text
            self.lines: tuple[tuple[str, float], ...] = part or ()
            self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            if self.part is None:  # kept per text and width
                self.lines = para_lines(self.text, avail_w, self.size, self.style.fontName)
            self.width = avail_w
            self.height = len(self.lines) * self.leading
            return self.width, self.height

        def split(self, avail_w: float, avail_h: float) -> list[Any]:
            self.wrap(avail_w, avail_h)
            fit = int(avail_h / self.leading)
            if fit <= 1:
                return []  # an orphan, or no room at all: the whole paragraph goes on
            if len(self.lines) <= fit:
                return [self]
            return [
                Plain(self.text, self.style, self.lines[:fit]),
                Plain(self.text, self.style, self.lines[fit:]),
            ]

        def draw(self) -> None:
            canv, style, size, leading, align = self.canv, self.style, self.size, self.leading, self.align
            canv.saveState()
            canv.setFillColor(style.textColor)
            code = ["BT"]
            runs = TextRuns(canv, size, leading, code)
            y = self.height - size  # the first baseline, a font size below the top
            for line, w in self.lines:
                if line:
                    x = (
                        0.0
                        if align == "left"
                        else self.width - w
                        if align == "right"
                        else (self.width - w) / 2
                    )
                    runs.show(style.fontName, line, x, y)
                y -= leading
            code.append("ET")
            canv._code.append(" ".join(code))
            canv.restoreState()

    _Plain = Plain
    return Plain
