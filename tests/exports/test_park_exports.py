"""Issue #19 items 3–5 read back: `posts` 党员示范岗/责任区一览表 and `scorecard` 星级自评表 (xlsx, pdf), the 年度总结
as .docx (python-docx; 仿宋/黑体 named for Chinese Office/WPS through w:eastAsia) rendered by LibreOffice when
installed, and as .pdf; the 报送包 carries both templates."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

import resources
from db import interchange, plans
from db.connection import Ledger, open_ledger
from exports import plandoc, registry
from exports.registry import Params


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    led = open_ledger(tmp_path_factory.mktemp("park") / "demo.sqlite", create=True)
    interchange.load_file(led, resources.demo_document())
    return led


def flat(path: Path) -> str:
    """The PDF's text without spaces and line breaks (a narrow cell wraps its words)."""
    return "".join(pdf_text(path).split())


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_posts_xlsx_and_pdf(demo: Ledger, tmp_path: Path) -> None:
    out = registry.export(demo, "posts", Params(year=2025), "xlsx", tmp_path / "p.xlsx")
    rows = [list(r) for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    body = [r for r in rows if r and isinstance(r[0], int)]
    assert [r[2] for r in body] == ["研发中心党员示范岗", "生产车间党员责任区", "质量攻关党员突击队"]
    by = {r[2]: r for r in body}
    # the list of a past year stands on its last day: the 突击队 ended on 31 December, still held that day
    assert by["质量攻关党员突击队"][1] == "党员突击队" and by["质量攻关党员突击队"][9] == "在岗"
    assert by["质量攻关党员突击队"][8] == "2025-12-31" or str(by["质量攻关党员突击队"][8]).startswith(
        "2025-12-31"
    )
    assert by["研发中心党员示范岗"][9] == "在岗" and "、" in by["研发中心党员示范岗"][4]
    text = pdf_text(registry.export(demo, "posts", Params(year=2025), "pdf", tmp_path / "p.pdf"))
    assert "2025年度党员示范岗、责任区一览表" in text and "生产车间党员责任区" in text
    # 2026: the 先锋岗 of March 2026 joins, the 突击队 that ended in 2025 does not
    rows26 = [
        list(r)
        for r in openpyxl.load_workbook(
            registry.export(demo, "posts", Params(year=2026), "xlsx", tmp_path / "p26.xlsx")
        ).active.iter_rows(values_only=True)
    ]
    names26 = [r[2] for r in rows26 if r and isinstance(r[0], int)]
    assert "客户服务党员先锋岗" in names26 and "质量攻关党员突击队" not in names26


def test_scorecard_xlsx_and_pdf_say_the_scheme_is_an_example(demo: Ledger, tmp_path: Path) -> None:
    out = registry.export(demo, "scorecard", Params(year=2025), "xlsx", tmp_path / "s.xlsx")
    flat = [
        str(c)
        for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)
        for c in r
        if c is not None
    ]
    assert any("示例，非正式标准" in c for c in flat)
    assert "按期召开支部委员会" in flat and "失分" not in flat  # the column says 否, the screen says 失分
    assert "合计" in flat
    text = pdf_text(registry.export(demo, "scorecard", Params(year=2025), "pdf", tmp_path / "s.pdf"))
    assert "2025年度星级自评表" in text and "示例，非正式标准" in text and "党建工作特色品牌" in text


def test_scorecard_without_a_scheme_says_what_to_do(ledger: Ledger, tmp_path: Path) -> None:
    text = pdf_text(registry.export(ledger, "scorecard", Params(year=2025), "pdf", tmp_path / "s.pdf"))
    assert "还没有导入评分标准" in text


def test_summary_docx_opens_with_chinese_fonts_and_the_numbers(demo: Ledger, tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    p = plans.get_plan(demo, 2025, "summary")
    assert p is not None and p.frozen
    out = plandoc.write_docx(p, tmp_path / "总结.docx", "测试支部")
    doc = Document(str(out))
    paras = [x.text for x in doc.paragraphs]
    assert paras[0] == p.title and "定稿" in paras[1]
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    facts = [f for s in p.sections for f in s.facts]
    for f in facts:
        assert f.label in cells and f"{f.shown_value}{f.unit}" in cells
    assert any("8月因项目交付" in t for t in paras)  # the secretary's own words
    east = {
        r.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for par in doc.paragraphs for r in par.runs
    }
    assert {"仿宋", "黑体"} <= east
    assert doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_summary_docx_renders_in_libreoffice(demo: Ledger, tmp_path: Path) -> None:
    p = plans.get_plan(demo, 2025, "summary")
    assert p is not None
    out = plandoc.write_docx(p, tmp_path / "summary.docx", "测试支部")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    text = pdf_text(tmp_path / "summary.pdf")
    assert (tmp_path / "summary.pdf").stat().st_size > 10_000
    cjk = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip()
    if cjk:  # with a Chinese font on the machine, LibreOffice lays out the same words
        flat = text.replace(" ", "")
        assert "党员队伍" in flat and "三会一课和主题党日" in flat and p.title[:6] in flat


def test_summary_pdf_has_the_facts_and_the_text(demo: Ledger, tmp_path: Path) -> None:
    p = plans.get_plan(demo, 2025, "summary")
    assert p is not None
    text = pdf_text(plandoc.write_pdf(p, tmp_path / "s.pdf", "测试支部"))
    assert "年度工作总结" in text and "三会一课和主题党日" in text and "8月因项目交付" in text
    assert "已上缴上级党委" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "s.pdf")], capture_output=True, text=True).stdout
    assert "NotoSansSC" in fonts and " yes " in fonts  # embedded


def test_package_holds_posts_and_scorecard(demo: Ledger, tmp_path: Path) -> None:
    from exports import package

    folder = package.build_package(demo, 2025, tmp_path / "pkg")
    names = [p.name for p in folder.rglob("*") if p.is_file()]
    assert any("示范岗" in n and n.endswith(".pdf") for n in names), names
    assert any("星级自评" in n and n.endswith(".xlsx") for n in names), names


def test_masked_lists_leave_out_reasons_and_names_in_findings(ledger: Ledger, tmp_path: Path) -> None:
    import datetime as dt

    from db import posts, scorecards
    from db.posts import Post
    from tests.db.test_checklists import add_members

    ids = add_members(ledger, 2)
    posts.save_post(
        ledger,
        Post(
            "model",
            "示范岗",
            dt.date(2025, 3, 1),
            [ids[0]],
            ends_on=dt.date(2025, 6, 1),
            end_reason="家庭变故请辞",
        ),
    )
    sid = scorecards.save_scheme(ledger, scorecards.example_scheme(2025))
    scorecards.save_check(ledger, scorecards.Check(sid, 2025, "11", True, None, "私下说明的佐证"))
    plain = flat(registry.export(ledger, "posts", Params(year=2025), "pdf", tmp_path / "a.pdf"))
    masked = flat(registry.export(ledger, "posts", Params(year=2025, masked=True), "pdf", tmp_path / "b.pdf"))
    assert "家庭变故请辞" in plain and "家庭变故请辞" not in masked and "示范岗" in masked
    plain = flat(registry.export(ledger, "scorecard", Params(year=2025), "pdf", tmp_path / "c.pdf"))
    masked = flat(
        registry.export(ledger, "scorecard", Params(year=2025, masked=True), "pdf", tmp_path / "d.pdf")
    )
    assert "私下说明的佐证" in plain and "私下说明的佐证" not in masked


def test_manifest_summary_carries_the_self_assessment(demo: Ledger, tmp_path: Path) -> None:
    import json

    from db import scorecards
    from exports import package

    folder = package.build_package(demo, 2025, tmp_path / "pkg2")
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    sc = m["summary"]["scorecard"]
    s = scorecards.scheme_for(demo, 2025)
    assert s is not None and s.id is not None
    ys = scorecards.year_score(demo, s.id, 2025)
    assert sc["example"] is True and sc["total"] == str(ys.total) and sc["stars"] == ys.stars
    assert sc["gaps"] == [g.item.key for g in ys.gaps] and "2" in sc["gaps"]
