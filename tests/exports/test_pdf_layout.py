"""The shared PDF renderer: a block's heading never ends a page alone, whatever comes before it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from exports.pdf import write_pdf
from exports.report import Column, Image, Images, KeyValues, Paragraph, Report, Table


def _png() -> bytes:
    from PIL import Image as PILImage

    buf = io.BytesIO()
    PILImage.new("RGB", (400, 300), (139, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


def _pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [(pg.extract_text() or "").replace(" ", "") for pg in PdfReader(str(path)).pages]


def _filler(n: int) -> Paragraph:
    return Paragraph("\n\n".join(f"填充第{i}行" for i in range(n)))


def _page_of(pages: list[str], text: str) -> int:
    return next(i for i, t in enumerate(pages) if text in t)


# A portrait page holds about 36 filler lines; these counts put the next block at every height near the bottom.
FILL = range(26, 40)


@pytest.mark.parametrize("kind", ["images", "table", "paragraph", "keyvalues"])
def test_heading_stays_with_what_follows(kind: str, tmp_path: Path) -> None:
    moved = 0
    for n in FILL:
        if kind == "images":
            block: object = Images(
                [Image(_png(), caption="图注甲"), Image(_png(), caption="图注乙")], heading="佐证照片"
            )
            first = "图注甲"
        elif kind == "table":
            block = Table(
                [Column("姓名"), Column("备注", 3)],
                [["行一甲", "说明"], ["行二乙", "说明"]],
                heading="佐证照片",
            )
            first = "行二乙"
        elif kind == "paragraph":
            block = Paragraph("正文第一段\n\n正文第二段", heading="佐证照片")
            first = "正文第一段"
        else:
            block = KeyValues([("会议", "支部大会"), ("地点", "活动室")], heading="佐证照片")
            first = "活动室"
        out = write_pdf(Report(title="版式", blocks=[_filler(n), block]), tmp_path / f"{kind}{n}.pdf")  # type: ignore[list-item]
        pages = _pages(out)
        assert _page_of(pages, "佐证照片") == _page_of(pages, first), f"{kind}: heading alone after {n} lines"
        moved += _page_of(pages, "佐证照片")
    assert moved  # some of the fills did push the block to page 2 (the test covers the page bottom)
