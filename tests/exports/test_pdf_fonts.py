"""The CJK font registered over a map of its file (exports/pdf_fonts.py): the subsets it embeds are byte for byte
those of reportlab's own TTFont, which reads the whole file and copies the glyph table for every subset."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from exports.pdf_fonts import FONT, FONT_BOLD, register_fonts


@pytest.mark.parametrize("name", [FONT, FONT_BOLD])
def test_mapped_subsets_equal_reportlabs(name: str) -> None:
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfbase.ttfonts import TTFont

    register_fonts()
    mapped = getFont(name).face
    plain = TTFont("plain-" + name, mapped.filename).face
    codes = sorted(plain.charToGlyph)
    rng = random.Random(16)
    subsets = [[ord(c) for c in "支部台账，。（）《》“”ABC123"], codes[:256], codes[-256:]]
    subsets += [rng.sample(codes, 256) for _ in range(6)]
    for subset in subsets:
        assert mapped.makeSubset(subset) == plain.makeSubset(subset)


def test_a_pdf_embeds_a_readable_font(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from exports.pdf import write_pdf
    from exports.report import KeyValues, Paragraph, Report

    text = "中国共产党支部工作条例（试行）第十一条：支部党员大会"
    out = write_pdf(Report("字体", blocks=[KeyValues([("条文", text)]), Paragraph(text)]), tmp_path / "f.pdf")
    page = PdfReader(str(out)).pages[0]
    assert page.extract_text().replace(" ", "").replace("\n", "").count(text) == 2
    fonts = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("NotoSansSC" in f for f in fonts)
    assert all(
        "/FontFile2" in f.get_object()["/FontDescriptor"] for f in page["/Resources"]["/Font"].values()
    )
