"""Plain paragraphs drawn on the canvas (exports/pdf_para.py plain_paragraph) are laid out, split between pages and
placed as the reportlab Paragraph they replace: the same report written both ways reads back the same page by
page, and renders the same where pdftoppm is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from exports import linebreak
from exports import pdf as pdf_module
from exports.pdf import write_pdf
from exports.report import Paragraph, Report

CLAUSE = "支部委员会应当认真落实“三会一课”制度，（一）按期召开支部党员大会；（二）按期召开支部委员会；"


def _pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [(pg.extract_text() or "").replace(" ", "") for pg in PdfReader(str(path)).pages]


def _paragraph(text: Any, style: Any) -> Any:
    """What exports/pdf.py drew plain text with before: reportlab's Paragraph with the project's CJK breaking."""
    return pdf_module.paragraph_class()(escape(str(text)).replace("\n", "<br/>"), style)


def _report(filler: int) -> Report:
    blocks = [
        Paragraph("\n\n".join(f"填充第{i}行" for i in range(filler))),
        Paragraph((CLAUSE * 3 + "\n") * 6 + "最后一行。", heading="会议内容"),
        Paragraph("中共某某支部委员会\n2026年11月22日", align="right"),
        Paragraph("居中的一行：" + CLAUSE, align="center"),
        Paragraph("  多个   空格  与\u3000全角空格\n\n\n空行之后  "),
    ]
    return Report("会议记录", "某某支部", blocks=blocks, footer_note="注：" + CLAUSE * 2)  # type: ignore[arg-type]


def _render(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out)], check=True)
    return sorted(out.parent.glob(out.name + "*.png"))


# A page holds about 36 filler lines: these counts put the long paragraph's split at every line of a page.
@pytest.mark.parametrize("filler", [0, 10, 22, 26, 28, 29, 30, 31, 32, 33, 34, 35])
def test_plain_paragraphs_equal_reportlabs(
    tmp_path: Path, filler: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _report(filler)
    drawn = write_pdf(report, tmp_path / "drawn.pdf")
    monkeypatch.setattr(pdf_module, "_p", _paragraph)
    flowed = write_pdf(report, tmp_path / "flowed.pdf")
    assert _pages(drawn) == _pages(flowed)  # the same lines on the same pages
    if shutil.which("pdftoppm") is None:
        return
    from PIL import Image, ImageChops

    a = _render(drawn, tmp_path / "a")
    b = _render(flowed, tmp_path / "b")
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        diff = ImageChops.difference(Image.open(x).convert("L"), Image.open(y).convert("L"))
        assert diff.point(lambda v: 255 if v > 48 else 0).histogram()[255] <= 4, x.name


def test_long_paragraph_goes_on_over_pages_without_loss(tmp_path: Path) -> None:
    text = "\n".join(f"第{i}条：" + CLAUSE for i in range(120))
    pages = _pages(write_pdf(Report("长段落", blocks=[Paragraph(text)]), tmp_path / "p.pdf"))
    assert len(pages) > 3
    every = "".join(p.replace("\n", "") for p in pages)
    at = [every.index(f"第{i}条：") for i in range(120)]
    assert at == sorted(at) and all(every.count(f"第{i}条：") == 1 for i in range(120))
    for page in pages:
        lines = [ln for ln in page.split("\n") if "第" in ln or "支部" in ln or "（" in ln]
        assert not linebreak.violations(lines)
        assert not any(ln.startswith(("，", "。", "；", "、", "）", "”")) for ln in lines)


def test_a_line_never_ends_with_an_opening_mark(tmp_path: Path) -> None:
    """Whatever the width, a line never ends with （ or “ and never starts with ，。；）” (GB/T 15834)."""
    from exports.pdf import register_fonts
    from exports.pdf_para import para_lines

    register_fonts()
    for width in range(40, 400, 7):
        lines = [t for t, _w in para_lines(CLAUSE * 4, float(width), 10.5)]
        assert not linebreak.violations(lines), width
        assert all(w <= width + 1e-6 for _t, w in para_lines(CLAUSE * 4, float(width), 10.5))
