"""Plain text (no markup) laid out in lines and drawn straight on the canvas, as exports/pdf.py's CJKParagraph
would lay it out: the same whitespace cleaning (runs of spaces become one, the ends trimmed), a newline a forced
break, every glyph its own unit and the Chinese line-breaking rules of exports/linebreak.py — without the markup
parser, the per-glyph fragments and the line objects a reportlab Paragraph builds for every cell and line.
"""

from __future__ import annotations

from exports.pdf import FONT, _glyph_width

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
