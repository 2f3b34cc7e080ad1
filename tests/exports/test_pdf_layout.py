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


def test_rows_for_signing_are_tall_enough_in_pdf_and_xlsx(tmp_path: Path) -> None:
    import openpyxl
    from pypdf import PdfReader

    from exports.xlsx import write_xlsx

    cols = [Column("序号", 0.5, "center", "int"), Column("姓名"), Column("签名", 2.6)]
    rows = [[i, f"党员{i}", ""] for i in range(1, 29)]
    plain = write_pdf(Report(title="签到表", blocks=[Table(cols, rows, font_size=11)]), tmp_path / "a.pdf")
    tall = Report(title="签到表", blocks=[Table(cols, rows, font_size=11, min_row_height_mm=9)])
    # 28 rows of 9 mm do not fit under the title of one portrait page; at the plain height they do.
    assert len(PdfReader(str(plain)).pages) == 1
    assert len(PdfReader(str(write_pdf(tall, tmp_path / "b.pdf"))).pages) == 2
    ws = openpyxl.load_workbook(write_xlsx(tall, tmp_path / "b.xlsx")).active
    body = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "党员1"][0]
    assert ws.row_dimensions[body].height >= 25  # points: 9 mm


def test_sign_in_sheet_leaves_room_to_sign(demo_ledger: object) -> None:
    from exports import registry

    mid = registry.get("sign-in").choices(demo_ledger)[0][0]  # type: ignore[misc, arg-type]
    report = registry.get("sign-in").build(demo_ledger, registry.Params(meeting_id=mid))  # type: ignore[arg-type]
    table = next(b for b in report.blocks if isinstance(b, Table))
    assert (table.min_row_height_mm or 0) >= 8


def test_dates_never_break_inside_a_number(tmp_path: Path) -> None:
    import datetime as dt

    d = dt.date(2026, 10, 31)
    roomy = Table(
        [
            Column("序号", 0.4, "center", "int"),
            Column("类别", 0.5, "center"),
            Column("方面", 0.8),
            Column("事项", 4.0),
            Column("期限", 1.0, "center", "date"),
        ],
        [[1, "提醒", "六个一", "长文字" * 30, d]],
    )
    out = write_pdf(Report(title="日期", blocks=[roomy]), tmp_path / "a.pdf")
    assert "2026年10月31日" in _pages(out)[0].replace("\n", "|")  # widened from the text column: one line
    # Eight number columns and no text column to take room from: the date gets two lines.
    cramped = Table(
        [Column("期限", 0.8, "center", "date")] + [Column(f"列{i}", 1, "center", "int") for i in range(8)],
        [[d, *range(8)]],
    )
    out = write_pdf(Report(title="日期", blocks=[cramped]), tmp_path / "b.pdf")
    text = _pages(out)[0]
    assert "31\n日" not in text and "10月31日" in text  # no room: broken after the year only


@pytest.mark.parametrize("n", range(28, 46))
def test_signatures_never_stand_alone_on_a_page(tmp_path: Path, n: int) -> None:
    """Whatever the table's length, the signatures share their page with the table's last rows (the roster's
    signatures once stood alone on page 3): the rows moved keep the header above them."""
    from exports.report import Signatures

    table = Table([Column("序号", 0.5, "center"), Column("姓名"), Column("说明", 3)], [])
    table.rows = [[i + 1, f"党员{i + 1}号", "一行说明文字"] for i in range(n)]
    report = Report(title="签字测试", blocks=[table, Signatures(["填表人", "支部书记"])])
    pages = _pages(write_pdf(report, tmp_path / "s.pdf"))
    sig = _page_of(pages, "填表人（签字）")
    assert f"党员{n}号" in pages[sig]
    assert "姓名" in pages[sig]  # under the header
    every = "".join(pages)
    assert all(every.count(f"党员{i}号") == 1 for i in range(1, n + 1))  # no row lost or doubled
