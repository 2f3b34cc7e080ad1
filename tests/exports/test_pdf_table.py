"""The PDF's plain tables drawn on the canvas (exports/pdf_table.py): the kept shortcuts answer as the plain
computations do, and a long table reads back whole, its header on every page."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

from exports import linebreak
from exports.pdf import FONT, FONT_BOLD, _glyph_width, cell_lines, register_fonts, wrap_plain, write_pdf
from exports.report import Column, Report, Signatures, Table

SAMPLES = [
    "",
    "正常",
    "研发工程师",
    "上海市松江区九亭镇某某路1234弄56号789室",
    "应到五人，实到四人（王五请假）。会议由支部书记主持，传达学习了上级文件精神。",
    "1,000.00元",
    "第一行\n第二行，长一些的说明文字",
    "2026年10月31日",
    "Latin words and 中文 mixed together",
]


def _plain_wrap(text: str, width: float, size: float, font: str) -> str:
    """wrap_plain without its shortcut for parts that fit: break_lines for every part."""
    out: list[str] = []
    for part in text.split("\n"):
        chars = list(part)
        if not chars:
            out.append("")
            continue
        found = linebreak.break_lines(chars, [_glyph_width(c, size, font) for c in chars], [width])
        out.extend(part[ln.start : ln.end].rstrip() for ln in found)
    return "\n".join(out)


def test_wrap_plain_equals_break_lines_for_every_part() -> None:
    register_fonts()
    rng = random.Random(16)
    texts = SAMPLES + [
        "".join(rng.choice("党员支部，。（）12ab ") for _ in range(rng.randint(1, 60))) for _ in range(200)
    ]
    for text in texts:
        for width in (8.0, 30.0, 57.5, 120.0, 400.0):
            for font in (FONT, FONT_BOLD):
                assert wrap_plain(text, width, 8, font) == _plain_wrap(text, width, 8, font), (text, width)


def test_cell_lines_kept_equals_computed() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    for text in SAMPLES:
        for width in (20.0, 45.0, 90.0, 300.0):
            fits = "\n" not in text and stringWidth(text, FONT, 9) + 6 <= width
            plain = (text,) if fits else tuple(_plain_wrap(text, width - 6, 9, FONT).split("\n"))
            assert cell_lines(text, width, 9) == plain  # first call: computed
            assert cell_lines(text, width, 9) == plain  # second: kept
            date_text = "2026年\n10月31日"
            instead = (text,) if fits else tuple(_plain_wrap(date_text, width - 6, 9, FONT).split("\n"))
            assert cell_lines(text, width, 9, instead=date_text) == instead


def _ops(code: str) -> list[str]:
    """The subset selections and the strings shown, in order."""
    import re

    return re.findall(r"/\S+\+\d+ [\d.]+ Tf|\((?:[^()\\]|\\.)*\) Tj", code)


def test_kept_runs_equal_reportlabs_text_object(tmp_path: Path) -> None:
    """The table's text operators for a string are the ones reportlab's own text object writes for it."""
    from reportlab.pdfgen import canvas

    from exports.pdf_table import TextRuns

    register_fonts()
    c = canvas.Canvas(str(tmp_path / "t.pdf"))
    for font in (FONT, FONT_BOLD):
        for text in [t for t in SAMPLES if t and "\n" not in t] * 2:  # twice: the second from what was kept
            code: list[str] = []
            TextRuns(c, 9, 11.7, code).show(font, text, 10, 20)
            t = c.beginText()
            t.setFont(font, 9, 11.7)
            t.setTextOrigin(10, 20)
            t._textOut(text)
            assert code[0] == "1 0 0 1 10 20 Tm"
            assert _ops(t.getCode()) and _ops(" ".join(code)) == _ops(t.getCode()), text


def test_long_table_reads_back_whole_with_the_header_on_every_page(tmp_path: Path) -> None:
    from pypdf import PdfReader

    cols = [
        Column("序号", 0.5, "center", "int"),
        Column("姓名"),
        Column("入党日期", 1.0, "center", "date"),
        Column("党费", 0.8, "right", "money"),
        Column("说明", 3),
    ]
    rows = [
        [
            i,
            f"党员{i}号",
            dt.date(2000 + i % 20, 1 + i % 12, 1 + i % 28),
            i * 1.5,
            "一段较长的说明文字，" * (i % 4),
        ]
        for i in range(1, 121)
    ]
    report = Report(
        title="长表", blocks=[Table(cols, rows, totals=["合计", "", "", 9075, ""]), Signatures(["填表人"])]
    )
    reader = PdfReader(str(write_pdf(report, tmp_path / "long.pdf")))
    pages = [(p.extract_text() or "").replace(" ", "") for p in reader.pages]
    assert len(pages) >= 3
    assert all("姓名" in p and "说明" in p for p in pages)  # the header repeated on every page
    every = "".join(pages)
    assert all(every.count(f"党员{i}号") == 1 for i in range(1, 121))
    assert "合计" in pages[-1] and "9,075.00" in pages[-1] and "填表人（签字）" in pages[-1]


def test_empty_table_prints_its_note(tmp_path: Path) -> None:
    from pypdf import PdfReader

    report = Report(
        title="空表", blocks=[Table([Column("姓名"), Column("说明", 3)], [], empty_text="（本年度无记录）")]
    )
    text = PdfReader(str(write_pdf(report, tmp_path / "empty.pdf"))).pages[0].extract_text() or ""
    assert "本年度无记录" in text.replace(" ", "") and "姓名" in text


def test_a_number_column_is_widened_to_keep_its_numbers_whole() -> None:
    """The roster's 序号 column is sized for two digits; a branch of a hundred members or more printed "98 / 9".
    Like a date, a number never breaks: the column takes the room it needs from the wrapping text columns."""
    from exports.pdf import _fit_dates

    register_fonts()
    block = Table(
        columns=[Column("序号", 0.4, "center", "int"), Column("家庭住址", 3.0), Column("备注", 2.0)],
        rows=[[i, "上海市松江区九亭镇某某路1234弄56号789室", ""] for i in range(1, 1001)],
    )
    size = 8.0
    widths = _fit_dates([16.0, 96.0, 64.0], block, size)
    assert widths[0] > 16.0
    assert abs(sum(widths) - 176.0) < 1e-6  # the table's width is unchanged: the text columns gave the room
    for n in (99, 100, 999, 1000):
        assert cell_lines(str(n), widths[0], size) == (str(n),)
    # a column of small numbers keeps its width
    small = Table(columns=block.columns, rows=[[i, "x", ""] for i in range(1, 10)])
    assert _fit_dates([16.0, 96.0, 64.0], small, size) == [16.0, 96.0, 64.0]


def test_a_row_taller_than_a_page_goes_on_over_pages(tmp_path: Path) -> None:
    """A 三会一课台账 row naming hundreds of absent members is taller than a page: reportlab's Table and the grid
    both stopped the whole PDF with a LayoutError (a 500-member branch could not print its year). The row goes
    on over pages in parts, the header above each, every name printed once and in order."""
    from pypdf import PdfReader

    names = "、".join(f"缺席{i:03d}号（请假：外出）" for i in range(1, 301))
    cols = [Column("序号", 0.5, "center", "int"), Column("会议", 1.5), Column("缺席人员及原因", 2)]
    rows = [[1, "支部党员大会", "无"], [2, "党小组会", names], [3, "党课", "无"]]
    report = Report(title="高行", blocks=[Table(cols, rows)])
    reader = PdfReader(str(write_pdf(report, tmp_path / "tall.pdf")))
    pages = [(p.extract_text() or "").replace(" ", "").replace("\n", "") for p in reader.pages]
    assert len(pages) >= 3
    assert all("序号" in p and "会议" in p for p in pages)  # the header above every part
    # a part goes on where the last stopped, once the page's foot and the repeated header are read past
    every = "".join(re.sub(r"第\d+页共\d+页高行|序号会议缺席人员及原因", "", p) for p in pages)
    found = [every.find(f"缺席{i:03d}号") for i in range(1, 301)]
    assert all(f >= 0 for f in found) and found == sorted(found)
    assert all(every.count(f"缺席{i:03d}号") == 1 for i in range(1, 301))
    assert "党课" in pages[-1]


def test_split_tall_rows_keeps_every_line_and_one_shade_per_row() -> None:
    from exports.pdf_table import split_tall_rows

    header = [("序号",), ("说明",)]
    rows = [header, [("1",), ("a",)], [("2",), tuple(f"第{i}行" for i in range(7))], [("3",), ("b", "c")]]
    out, bands = split_tall_rows(rows, 3)
    assert out[0] == header and bands[0] == 0
    assert [list(r[1]) for r in out[2:5]] == [
        ["第0行", "第1行", "第2行"],
        ["第3行", "第4行", "第5行"],
        ["第6行"],
    ]
    assert [r[0] for r in out[2:5]] == [("2",), ("",), ("",)]
    assert bands == [0, 1, 2, 2, 2, 3]
    assert split_tall_rows(rows, 7) == (rows, [0, 1, 2, 3])


def test_numbers_stay_whole_where_the_dates_cannot_have_their_room() -> None:
    """The roster cannot spare the room for its three date columns (they break after the year, by design), and
    that must not cost the 序号 its room: numbers are widened first, on their own."""
    from exports.pdf import _fit_dates

    register_fonts()
    cols = [
        Column("序号", 0.4, "center", "int"),
        Column("出生日期", 0.5, "center", "date"),
        Column("加入党组织日期", 0.5, "center", "date"),
        Column("转正日期", 0.5, "center", "date"),
        Column("家庭住址", 2.7),
    ]
    day = dt.date(1985, 12, 25)
    block = Table(cols, [[i, day, day, day, "上海市松江区九亭镇某某路"] for i in range(1, 251)])
    widths = _fit_dates([16.0, 20.0, 20.0, 20.0, 96.0], block, 8.0)
    assert widths[1:4] == [20.0, 20.0, 20.0]  # the dates could not have theirs
    assert widths[0] > 16.0 and cell_lines("250", widths[0], 8.0) == ("250",)
    assert abs(sum(widths) - 172.0) < 1e-6
