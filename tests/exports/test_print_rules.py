"""Printed like the paper form (issue #14 §3): Chinese line breaking (避头尾) in every PDF, and every font a PDF
uses embedded in it (no Helvetica referenced unembedded: PDF/A-ready archives)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from exports import linebreak, registry
from exports.linebreak import CANNOT_END, CANNOT_START, break_allowed, break_lines, violations
from exports.pdf import FONT, _styles, _text_width, paragraph_class, register_fonts, wrap_plain, write_pdf
from exports.report import Column, KeyValues, Paragraph, Report, Signatures, Table


def _lines(text: str, per_line: int) -> list[str]:
    """Break `text` (each glyph 1 wide) into lines of at most `per_line` glyphs."""
    found = break_lines(list(text), [1.0] * len(text), [float(per_line)])
    return [text[ln.start : ln.end] for ln in found]


# --------------------------------------------------------------------------------------------- the rule table
@pytest.mark.parametrize(
    ("text", "per_line", "expected"),
    [
        # a comma that would start line 2 takes the glyph before it along
        ("应到五人，实到四人", 4, ["应到五", "人，实到", "四人"]),
        # the full-width marks reportlab let through: ，；：？！、。
        ("甲乙丙；丁戊", 3, ["甲乙", "丙；丁", "戊"]),
        ("甲乙丙：丁戊", 3, ["甲乙", "丙：丁", "戊"]),
        ("甲乙丙？丁戊", 3, ["甲乙", "丙？丁", "戊"]),
        ("甲乙丙！丁戊", 3, ["甲乙", "丙！丁", "戊"]),
        ("甲乙丙、丁戊", 3, ["甲乙", "丙、丁", "戊"]),
        ("甲乙丙。丁戊", 3, ["甲乙", "丙。丁", "戊"]),
        # two closing marks in a row go down together with the glyph before them
        ("甲乙丙）。丁", 4, ["甲乙", "丙）。丁"]),
        ("王五（请假）」好", 5, ["王五（请", "假）」好"]),
        # an opening mark never ends a line: it goes down with what it opens
        ("研究生（在读）", 4, ["研究生", "（在读）"]),
        ("通知「学习」", 3, ["通知", "「学", "习」"]),
        ("共交纳党费（全年应交）", 6, ["共交纳党费", "（全年应交）"]),
        # a number or a Latin word stays whole when there is another place to break
        ("截至2026年", 4, ["截至", "2026", "年"]),
        ("金额1,000.00元", 9, ["金额", "1,000.00元"]),
        # no legal break at all (a run longer than the line): it breaks where the width ends
        ("1234567890", 4, ["1234", "5678", "90"]),
        # boundary: exactly full lines need no moving
        ("甲乙丙丁", 2, ["甲乙", "丙丁"]),
        ("甲乙，丁", 3, ["甲乙，", "丁"]),
        # a mark hard against the start of a one-glyph line cannot move further: the line keeps it
        ("甲，，，乙", 1, ["甲", "，", "，", "，", "乙"]),
        # …… and —— are one mark each: never split, never at a line's start
        ("省略号……", 4, ["省略", "号……"]),
        ("破折号——说明", 4, ["破折", "号——说", "明"]),
    ],
)
def test_break_table(text: str, per_line: int, expected: list[str]) -> None:
    assert _lines(text, per_line) == expected
    if per_line > 1 and text != "1234567890":
        assert violations(expected) == []


@pytest.mark.parametrize("mark", sorted("，。、；：？！）」』》〉】〕”’…"))
def test_every_closing_mark_cannot_start(mark: str) -> None:
    assert mark in CANNOT_START
    assert not break_allowed("字", mark)
    assert _lines(f"一二三{mark}四", 3)[1][0] != mark


@pytest.mark.parametrize("mark", sorted("（「『《〈【〔“‘"))
def test_every_opening_mark_cannot_end(mark: str) -> None:
    assert mark in CANNOT_END
    assert not break_allowed(mark, "字")
    assert _lines(f"一二{mark}三四", 3)[0][-1] != mark


def test_forced_breaks_end_lines_and_widths_hold() -> None:
    text = "甲乙\n丙丁戊己"
    forced = [c == "\n" for c in text]
    widths = [0.0 if f else 1.0 for f in forced]
    found = break_lines(list(text), widths, [3.0], forced)
    assert [(ln.start, ln.end, ln.forced) for ln in found] == [(0, 3, True), (3, 6, False), (6, 7, False)]
    assert [ln.width for ln in found] == [2.0, 3.0, 1.0]
    # per-line maximum widths: the first line may be narrower (the last value repeats)
    found = break_lines(list("甲乙丙丁戊己"), [1.0] * 6, [2.0, 4.0])
    assert [ln.end - ln.start for ln in found] == [2, 4]


def test_violations_spot_bad_lines() -> None:
    assert violations(["甲乙", "，丙"]) == ["，丙"]
    assert violations(["甲（", "乙）"]) == ["甲（"]
    assert violations(["（甲）"]) == []


def test_reportlab_paragraph_follows_the_rule() -> None:
    """The paragraph class every PDF uses wraps by the table above, at real glyph widths."""
    register_fonts()
    style = _styles(9)["cell"]
    text = "会议记录（编号 189），赞成12，反对0，弃权0；见会议记录（编号 189）书面意见；最迟2026年12月31日"
    for width in range(30, 200, 7):
        para = paragraph_class()(text, style)
        para.wrap(width, 10_000)
        lines = ["".join(w.text for w in ln.words) for ln in para.blPara.lines]
        assert "".join(lines) == text
        assert violations(lines) == [], (width, lines)


def test_table_cells_wrap_by_the_rule_within_their_width() -> None:
    """Table cells are drawn as pre-broken strings: the same glyphs, every line within the cell, no rule
    broken, and an explicit newline still ends its line."""
    register_fonts()
    first, second = (
        "会议记录（编号189），赞成12，反对0，弃权0；见会议记录（编号189）书面意见",
        "最迟2026年12月31日",
    )
    for width in range(30, 200, 7):
        lines = wrap_plain(f"{first}\n{second}", width, 9).split("\n")
        joined = ["".join(lines[:k]) for k in range(len(lines) + 1)]
        assert first in joined, (width, lines)  # the newline ends a line
        assert "".join(lines) == first + second
        assert violations(lines) == [], (width, lines)
        for ln in lines:
            assert len(ln) == 1 or _text_width(ln, 9) <= width + 1e-6, (width, ln)


# ------------------------------------------------------------------------------------- every template, printed
def _choices(t: registry.Template, led: Any) -> dict[str, Any]:
    p: dict[str, Any] = {"year": 2026}
    if "meeting" in t.needs:
        assert t.choices is not None
        p["meeting_id"] = t.choices(led)[0][0]
    if "applicant" in t.needs:
        assert t.choices is not None
        p["applicant_id"] = t.choices(led)[0][0]
    if "transfer" in t.needs:
        assert t.choices is not None
        p["transfer_id"] = t.choices(led)[0][0]
    return p


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[list[str]]]]:
    """Every template of the demo branch as PDF, with the lines of every paragraph as they were broken."""
    import resources
    from db import interchange
    from db.connection import open_ledger
    from exports import pdf as pdf_module

    folder = tmp_path_factory.mktemp("print")
    led = open_ledger(folder / "demo.sqlite", create=True)
    interchange.load_file(led, resources.demo_document())
    out: dict[str, tuple[Path, list[list[str]]]] = {}
    real = linebreak.break_lines
    try:
        for t in registry.templates():
            seen: list[list[str]] = []

            def record(chars, widths, max_widths, forced=None):  # type: ignore[no-untyped-def]
                found = real(chars, widths, max_widths, forced)
                # lines that end at a rule break (not at an explicit line break) and what follows them
                texts = ["".join(chars[ln.start : ln.end]) for ln in found]
                for k in range(len(found) - 1):
                    if not found[k].forced:
                        seen.append([texts[k], texts[k + 1]])  # noqa: B023 - consumed in this loop turn
                return found

            linebreak.break_lines = record
            pdf_module._cells.clear()  # noqa: SLF001 - cells kept from earlier exports would never reach `record`
            path = folder / f"{t.key}.pdf"
            registry.export(led, t.key, registry.Params(**_choices(t, led)), "pdf", path)
            out[t.key] = (path, seen)
    finally:
        linebreak.break_lines = real
        led.close()
    return out


def test_no_printed_line_breaks_the_rule(printed: dict[str, tuple[Path, list[list[str]]]]) -> None:
    assert {"meetings", "applicant-file", "meeting-record", "roster"} <= set(printed)
    wrapped = 0
    for key, (_path, pairs) in printed.items():
        for first, second in pairs:
            wrapped += 1
            assert violations([first, second]) == [], (key, first, second)
    assert wrapped > 50  # the demo's PDFs do wrap: the test looked at real breaks


def _fonts_of(path: Path) -> list[dict[str, Any]]:
    from pypdf import PdfReader

    fonts: dict[int, dict[str, Any]] = {}
    for page in PdfReader(str(path)).pages:
        res = page.get("/Resources")
        res = res.get_object() if res is not None else {}
        for ref in (res.get("/Font") or {}).values():
            font = ref.get_object()
            fonts[id(font)] = font
    return list(fonts.values())


def _embedded(font: dict[str, Any]) -> bool:
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(d.get_object()) for d in font["/DescendantFonts"])
    desc = font.get("/FontDescriptor")
    if desc is None:
        return False
    desc = desc.get_object()
    return any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_every_pdf_embeds_every_font_it_uses(printed: dict[str, tuple[Path, list[list[str]]]]) -> None:
    for key, (path, _pairs) in printed.items():
        fonts = _fonts_of(path)
        assert fonts, key
        for font in fonts:
            name = str(font.get("/BaseFont"))
            assert _embedded(font), f"{key}: {name} is not embedded"
            assert FONT in name, f"{key}: {name}"
        raw = path.read_bytes()
        assert b"Helvetica" not in raw and b"Times-Roman" not in raw and b"Courier" not in raw, key


def test_a_table_with_empty_cells_and_signatures_embeds_its_font(tmp_path: Path) -> None:
    """Plain-string and empty cells once made reportlab fall back to Helvetica (issue #14)."""
    report = Report(
        "空格子",
        blocks=[
            Table([Column("甲"), Column("乙")], [["一", ""], ["", None]]),
            KeyValues([("键", ""), ("键二", "值")], columns=3),
            Paragraph("正文"),
            Signatures(["主持人"]),
        ],
    )
    path = write_pdf(report, tmp_path / "x.pdf")
    fonts = _fonts_of(path)
    assert fonts and all(_embedded(f) and FONT in str(f["/BaseFont"]) for f in fonts)
