"""Key-value grids and signature lines drawn on the canvas (exports/pdf_kv.py), and the plain-text layout they use
(exports/pdf_para.py para_lines): read back from the PDF, and held equal to the Paragraph they replace."""

from __future__ import annotations

import random
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from exports import linebreak
from exports.pdf import FONT, FONT_BOLD, register_fonts, write_pdf
from exports.pdf_para import para_lines
from exports.report import KeyValues, Paragraph, Report, Signatures

LONG = "这是一段很长的说明文字，用来检验换行规则：逗号、句号。（括号）不会出现在行首或行尾；" * 4


def _pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [(pg.extract_text() or "").replace(" ", "") for pg in PdfReader(str(path)).pages]


def _paragraph_lines(text: str, width: float, size: float, font: str) -> list[str]:
    """The lines reportlab's Paragraph (with the project's CJK line breaking) makes of `text`."""
    from reportlab.lib.styles import ParagraphStyle

    from exports.pdf import paragraph_class

    style = ParagraphStyle("t", fontName=font, fontSize=size, leading=size * 1.3, wordWrap="CJK")
    para = paragraph_class()(escape(text).replace("\n", "<br/>"), style)
    para.wrap(width, 10_000)
    return ["".join(w.text for w in line.words) for line in para.blPara.lines]


SAMPLES = [
    "",
    " ",
    "会议",
    "a\n",
    "\nb",
    "行一\n \n行三",
    "  x  y ",
    "一\n\n\n二",
    "\u3000\u3000全角空格开头的正文",
    "2026年11月22日 14:30—16:00 在党员活动室（三楼）召开",
    "金额1,000.00元，编号ABC-2026-0001，网址example.org/path",
    LONG,
    "《中国共产党支部工作条例（试行）》" * 5,
    "……" * 30 + "——" * 30,
]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("width", [30.0, 75.0, 158.0, 480.0])
def test_para_lines_equal_the_paragraph(text: str, width: float) -> None:
    register_fonts()
    for font in (FONT, FONT_BOLD):
        got = [t for t, _w in para_lines(text, width, 10, font)]
        assert got == _paragraph_lines(text, width, 10, font)


def test_para_lines_equal_the_paragraph_on_random_text() -> None:
    register_fonts()
    rng = random.Random(16)
    alphabet = "党支部会议记录时间地点主持人，。、；：？！（）《》“”…—AB12 .,:;()"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        if rng.random() < 0.3:
            text = text.replace(" ", "\n", 2)
        width = rng.choice([25.0, 60.0, 140.0, 300.0])
        assert [t for t, _w in para_lines(text, width, 10.5, FONT)] == _paragraph_lines(
            text, width, 10.5, FONT
        )


def test_para_lines_keep_the_rules_and_the_width() -> None:
    register_fonts()
    lines = para_lines(LONG, 120, 10)
    assert len(lines) > 5
    assert not linebreak.violations([t for t, _w in lines])
    assert all(w <= 120 + 1e-6 for _t, w in lines)  # nothing runs past its column
    assert "".join(t for t, _w in lines) == LONG


def test_key_values_wrap_and_keep_every_character(tmp_path: Path) -> None:
    block = KeyValues(
        [("会议名称", "支部委员会"), ("地点", LONG), ("很长很长很长的标签名称", "值"), ("主持人", "张三")],
        heading="基本情况",
    )
    pages = _pages(write_pdf(Report("键值", blocks=[block]), tmp_path / "kv.pdf"))
    assert len(pages) == 1
    lines = [ln for ln in pages[0].split("\n") if ln]
    wrapped = [ln for ln in lines if ln and ln in LONG]
    assert len(wrapped) >= 5  # the value is wrapped in its column, not run off the page
    assert not linebreak.violations(wrapped)
    text = pages[0].replace("\n", "")
    assert LONG in text and "很长很长很长的标签名称" in text and "支部委员会" in text and "张三" in text
    assert text.index("基本情况") < text.index("会议名称")


@pytest.mark.parametrize("columns", [1, 2, 3])
def test_a_row_taller_than_a_page_goes_on_over_pages(tmp_path: Path, columns: int) -> None:
    """A value longer than a page (the absentees of a meeting of hundreds) is split between pages, every name
    kept once and in order; a reportlab Table stopped the whole PDF on it."""
    names = "、".join(f"党员{i}号（因公出差）" for i in range(600))
    pairs: list[tuple[str, object]] = [
        ("会议名称", "支部大会"),
        ("缺席人员及原因", names),
        ("地点", "活动室"),
    ]
    report = Report("超长", blocks=[KeyValues(pairs, columns=columns), Signatures(["主持人"])])
    pages = _pages(write_pdf(report, tmp_path / "tall.pdf"))
    assert len(pages) > 2
    # the page footers and the cells beside the tall one, which text extraction may slot in between its lines
    every = re.sub(
        r"第\d+页共\d+页超长|地点|活动室|缺席人员及原因", "", "".join(p.replace("\n", "") for p in pages)
    )
    at = [every.index(f"党员{i}号（") for i in range(600)]
    assert at == sorted(at)
    assert all(every.count(f"党员{i}号（") == 1 for i in range(600))
    assert "会议名称" in pages[0] and "党员0号" in pages[0]  # starts under the title, no page left empty
    assert "主持人（签字）" in pages[-1] and "党员599号" in "".join(pages[-2:]).replace("\n", "")


def test_rows_that_fit_move_whole_to_the_next_page(tmp_path: Path) -> None:
    filler = Paragraph("\n\n".join(f"填充第{i}行" for i in range(34)))
    block = KeyValues([("甲", "第一行\n第二行\n第三行\n第四行"), ("乙", "值")], columns=1)
    pages = _pages(write_pdf(Report("移页", blocks=[filler, block]), tmp_path / "m.pdf"))
    first = next(i for i, p in enumerate(pages) if "第一行" in p)
    assert all(w in pages[first] for w in ("第二行", "第三行", "第四行"))


def test_signatures_read_back(tmp_path: Path) -> None:
    labels = ["主持人", "记录人", "支部书记", "一个非常非常长的签字人称谓需要换行才能放下"]
    report = Report("签字", blocks=[Signatures(labels), Signatures(["监交人"], with_date=False)])
    text = _pages(write_pdf(report, tmp_path / "s.pdf"))[0]
    flat = text.replace("\n", "")
    for label in labels + ["监交人"]:
        assert f"{label}（签字）：" in flat
    assert flat.count("日期：______年____月____日") == 4  # the second block has no date line


def test_a_layout_done_again_is_written_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Signatures that would stand alone make write_pdf lay the document out again: only that second layout is
    serialised (fonts subset, pages compressed, the file written); the first is never saved."""
    from reportlab.pdfgen.canvas import Canvas

    from exports import pdf as pdf_module
    from exports.report import Column, Table

    saves: list[int] = []
    layouts: list[int] = []
    real_save, real_layout = Canvas.save, pdf_module._layout

    def save(self: Canvas) -> None:
        saves.append(1)
        real_save(self)

    def layout(*args: object, **kwargs: object) -> object:
        layouts.append(1)
        return real_layout(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Canvas, "save", save)
    monkeypatch.setattr(pdf_module, "_layout", layout)
    again = 0
    for n in range(28, 46):
        saves.clear()
        layouts.clear()
        table = Table([Column("序号", 0.5, "center"), Column("姓名"), Column("说明", 3)], [])
        table.rows = [[i + 1, f"党员{i + 1}号", "一行说明文字"] for i in range(n)]
        out = write_pdf(Report("签字测试", blocks=[table, Signatures(["填表人"])]), tmp_path / f"{n}.pdf")
        assert len(saves) == 1
        again += len(layouts) == 2
        pages = _pages(out)
        assert "填表人（签字）" in pages[-1] and f"党员{n}号" in pages[-1]
    assert again  # some lengths did need the second layout
