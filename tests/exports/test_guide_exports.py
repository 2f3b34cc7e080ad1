"""`guide-list` 指导清单执行情况 and `project` 书记项目项目书及进展表: built from a year with items held, changed,
missed and planned and a project with a late milestone; written, read back (openpyxl, PDF text), rendered; both
in the 报送包."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from db.connection import Ledger
from exports import registry
from exports.registry import Params
from tests.guide_data import seed_year


def rows_of(path: Path) -> list[list[str]]:
    ws = load_workbook(path).active
    return [[str(c) if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def render(pdf: Path, out: Path) -> list[Path]:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm not installed")
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out)], check=True)
    return sorted(out.parent.glob(out.name + "*.png"))


def test_guide_list_execution(ledger: Ledger, tmp_path: Path) -> None:
    seed_year(ledger, tmp_path)
    x = registry.export(ledger, "guide-list", Params(year=2026), "xlsx", tmp_path / "g.xlsx")
    rows = rows_of(x)
    header = next(r for r in rows if "内容要点" in r)
    assert header[:8] == ["月份", "主题", "内容要点", "参考形式", "时间节点", "执行情况", "开展日期", "说明"]
    by = {r[1]: r for r in rows if len(r) > 5 and r[0].endswith("月")}
    assert by["学习贯彻全会精神"][5] == "已开展" and by["学习贯彻全会精神"][6].startswith("2026")
    assert by["新春慰问送温暖"][5] == "已调整" and by["新春慰问送温暖"][7] == "春节假期调整为线上学习"
    assert by["爱国主义教育"][5] == "未开展"
    assert by["组织生活会准备"][5] == "已安排" and "2026年11月25日" in by["组织生活会准备"][7]
    p = registry.export(ledger, "guide-list", Params(year=2026), "pdf", tmp_path / "g.pdf")
    text = pdf_text(p)
    assert "2026年主题党日指导清单执行情况" in text and "地方惯例" in text and "巾帼建功" in text
    assert len(PdfReader(str(p)).pages[0].mediabox) == 4
    pages = render(p, tmp_path / "g")
    assert pages and pages[0].stat().st_size > 5000


def test_guide_list_of_a_year_without_one(ledger: Ledger, tmp_path: Path) -> None:
    p = registry.export(ledger, "guide-list", Params(year=2025), "pdf", tmp_path / "g.pdf")
    assert "没有导入上级党委下发的主题党日指导清单" in pdf_text(p)


def test_project_book_and_progress(ledger: Ledger, tmp_path: Path) -> None:
    seed_year(ledger, tmp_path)
    x = registry.export(ledger, "project", Params(year=2026), "xlsx", tmp_path / "p.xlsx")
    flat = "\n".join(" ".join(r) for r in rows_of(x))
    for word in (
        "党员技术攻关突击队助力新产品量产",
        "实施背景",
        "拟解决的问题",
        "内容措施",
        "工作安排",
        "预期成效",
        "新产品良率提升至95%",
    ):
        assert word in flat, word
    assert "逾期" in flat and "逾期完成" in flat and "照片1张" in flat and "培养技术骨干：2名" in flat
    p = registry.export(ledger, "project", Params(year=2026), "pdf", tmp_path / "p.pdf")
    reader = PdfReader(str(p))
    w, h = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1  # A4 portrait
    text = pdf_text(p)
    assert "书记项目项目书" in text and "进展表" in text and "量产验收" in text
    assert sum(len(pg.images) for pg in reader.pages) == 1
    pages = render(p, tmp_path / "p")
    assert len(pages) >= 2


def test_both_in_the_package(ledger: Ledger, tmp_path: Path) -> None:
    from exports import package

    seed_year(ledger, tmp_path)
    out = package.build_package(ledger, 2026, tmp_path / "pkg", profile="masked")
    names = [q.name for q in Path(out).rglob("*")]
    assert any("主题党日指导清单执行情况" in n for n in names)
    assert any("书记项目项目书及进展表" in n for n in names)


def test_the_liaison_sees_each_branchs_list_and_late_milestones(demo_ledger: Ledger, tmp_path: Path) -> None:
    import datetime as dt

    from exports import aggregate, package

    folder = package.build_package(demo_ledger, 2026, tmp_path / "pkg", as_of=dt.date(2026, 11, 22))
    result = aggregate.collect([Path(folder)])
    row = result.counted[0]
    # the demo: nine months held, February changed with its reason, August missed; one late milestone
    assert (row.guide_done, row.guide_due, row.late_milestones) == (10, 11, 1)
    assert row.to_json()["guide_done"] == 10
    out = aggregate.write(result, tmp_path / "汇总.pdf")
    text = pdf_text(out)
    assert "10/11" in text.replace("\n", "")
    assert render(out, tmp_path / "agg")
