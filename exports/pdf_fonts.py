"""The CJK font of the PDFs, registered with reportlab once per session: embedded, as subsets, in every PDF.

Fonts are registered twice in the app: QFontDatabase for the screen (desktop/), reportlab TTFont here for PDFs
(TrueType outlines only).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT = "NotoSansSC"
FONT_BOLD = "NotoSansSC-Bold"
_registered = False


def register_fonts() -> None:
    """Register the shipped TrueType CJK font with reportlab (embedded, subset, in every PDF)."""
    global _registered
    if _registered:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    import resources

    regular, bold = resources.font_regular(), resources.font_bold()
    if not regular.exists():
        raise FileNotFoundError(
            f"找不到中文字体 {regular}。开发环境请运行 make fonts（或 python -m resources.build_fonts）。"
        )
    pdfmetrics.registerFont(_mapped_font(FONT, regular))
    pdfmetrics.registerFont(_mapped_font(FONT_BOLD, bold if bold.exists() else regular))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    _registered = True


def _mapped_font(name: str, path: Path) -> Any:
    """reportlab's TTFont over a read-only map of the font file, its glyph table read a glyph at a time.

    reportlab reads the whole file into memory to register it (10 MB per font), and every subset it embeds in a
    PDF (256 characters each, a few per document) first copies the whole glyf table, nearly all of the file, to
    take a few hundred glyphs out of it. Mapped, registering reads only the tables it parses, and a subset reads
    only its own glyphs, from the page cache; the bytes embedded are the same (a test holds them equal)."""
    import mmap

    from reportlab.pdfbase.ttfonts import TTFont

    with open(path, "rb") as fh:
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)

    class Mapped:
        """The file object reportlab's parser takes: it keeps what read() answers as the font's bytes (an mmap
        answers bytes to a slice and an int to an index, as bytes do)."""

        name = str(path)

        def read(self) -> mmap.mmap:
            return data

    font = TTFont(name, Mapped())
    face = font.face
    start = int(face.get_table_pos("glyf")[0])
    table = face.get_table

    class Glyphs:
        """The glyf table as TTFontFile.makeSubset uses it: sliced once per glyph of the subset."""

        def __getitem__(self, part: slice) -> bytes:
            return data[start + part.start : start + part.stop]

    glyphs = Glyphs()
    face.get_table = lambda tag: glyphs if tag == "glyf" else table(tag)
    return font
