"""`checklist` 自查表, `stats` 党内统计简表, `findings` 问题清单: built, written, read back, and the PDF rendered."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from db import checklists, members
from db.connection import Ledger
from db.members import Member
from exports import registry
from exports.registry import Params

D = dt.date


def sheet_text(path: Path) -> list[list[str]]:
    ws = load_workbook(path).active
    return [[str(c) if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_checklist_xlsx_and_pdf_with_photos(demo_ledger: Ledger, tmp_path: Path) -> None:
    x = registry.export(demo_ledger, "checklist", Params(year=2026), "xlsx", tmp_path / "c.xlsx")
    rows = sheet_text(x)
    header = next(r for r in rows if "标准要求" in r)
    assert header[:7] == ["序号", "项目", "标准要求", "自查情况", "佐证材料", "是否达标", "整改措施"]
    by_key = {r[0]: r for r in rows if r and r[0] in ("1", "1.5", "5", "1.4")}
    assert by_key["1"][1] == "有一个“六有”标准化党员活动阵地" and by_key["1"][5] == "达标"
    assert by_key["1.5"][5] == "部分达标" and "期限：2026年12月31日" in by_key["1.5"][6]
    assert by_key["5"][5] == "未达标" and "简报" in by_key["5"][6]
    assert "照片1张" in by_key["1.4"][4]
    p = registry.export(demo_ledger, "checklist", Params(year=2026), "pdf", tmp_path / "c.pdf")
    text = pdf_text(p)
    assert (
        "2026年度“六个一”达标自查表" in text and "佐证照片" in text and "有一套党建工作制度和学习资料" in text
    )
    reader = PdfReader(str(p))
    images = sum(len(page.images) for page in reader.pages)
    assert images == len(checklists.photos(demo_ledger, 2026)) == 6
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(p), str(tmp_path / "page")], check=True
        )
        png = next(tmp_path.glob("page*.png"))
        assert png.stat().st_size > 5000  # a rendered page, not a blank one


def test_checklist_of_a_year_without_checks_lists_the_default(ledger: Ledger, tmp_path: Path) -> None:
    x = registry.export(ledger, "checklist", Params(year=2024), "xlsx", tmp_path / "c.xlsx")
    rows = sheet_text(x)
    assert sum(1 for r in rows if r and r[0] in {"1", "2", "3", "4", "5", "6"}) == 6
    assert any("未检查12项" in c for r in rows for c in r)


@pytest.fixture
def stats_ledger(ledger: Ledger) -> Ledger:
    people = [
        # name, gender, ethnicity, birth, education, occupation, joined
        (
            "甲",
            "female",
            "汉族",
            D(1996, 12, 31),
            "大学本科",
            "professional",
            D(2020, 1, 1),
        ),  # 30 on 2026-12-31
        ("乙", "male", "回族", D(1995, 12, 31), "大学专科", "worker", D(2016, 6, 1)),  # 31
        ("丙", "male", "汉族", D(1965, 12, 31), "高中", "retired", D(1990, 6, 1)),  # 61
        ("丁", "female", "壮族", D(1966, 1, 1), "研究生（硕士）", "manager", D(2012, 11, 8)),  # 60
    ]
    with ledger.operation("Seed", "测试"):
        for name, g, eth, birth, edu, occ, joined in people:
            members.insert(
                ledger,
                Member(
                    name=name,
                    gender=g,
                    ethnicity=eth,
                    birth_date=birth,
                    education=edu,
                    occupation=occ,
                    joined_on=joined,
                    full_on=joined.replace(year=joined.year + 1),
                ),
            )
        members.insert(
            ledger,
            Member(
                name="戊",
                gender="male",
                birth_date=D(1990, 1, 1),
                category="probationary",
                joined_on=D(2026, 5, 1),
            ),
        )
    return ledger


def test_stats_read_back(stats_ledger: Ledger, tmp_path: Path) -> None:
    x = registry.export(stats_ledger, "stats", Params(year=2026), "xlsx", tmp_path / "s.xlsx")
    rows = sheet_text(x)
    flat = {r[0]: r[1:] for r in rows if r and r[0]}
    text = " ".join(" ".join(r) for r in rows)
    assert "统计时点：2026年12月31日" in text
    assert "党员总数" in text and "5" in flat["党员总数"]
    assert flat["30岁及以下"][0] == "1" and flat["31至35岁"][0] == "1"
    assert flat["56至60岁"][0] == "1" and flat["61岁及以上"][0] == "1"
    assert flat["离退休人员"][0] == "1" and flat["职业未填写"][0] == "1"
    assert flat["党的十八大以来"][0] == "4"  # 2012-11-08 is the first day of the band
    assert flat["党的十一届三中全会后至党的十八大前"][0] == "1"
    assert "女党员" in text and "2（40.0%）" in text
    assert "少数民族党员" in text and "2（40.0%）" in text
    assert "3（60.0%）" in text  # 大专及以上: 本科, 专科, 硕士
    pdf = registry.export(stats_ledger, "stats", Params(year=2026), "pdf", tmp_path / "s.pdf")
    assert "党内统计简表" in pdf_text(pdf)


def test_findings_export_as_of_grouped(demo_ledger: Ledger, tmp_path: Path) -> None:
    x = registry.export(demo_ledger, "findings", Params(as_of=D(2026, 11, 22)), "xlsx", tmp_path / "f.xlsx")
    rows = sheet_text(x)
    text = " ".join(" ".join(r) for r in rows)
    assert "截至2026年11月22日" in text
    assert any(r[0].startswith("六个一（") for r in rows if r)
    assert any(r[0].startswith("组织建设（") for r in rows if r)
    codes = [r[6] for r in rows if len(r) > 6 and r[6] in ("C01", "C02", "T01")]
    assert set(codes) == {"C01", "C02", "T01"}
    pdf = registry.export(demo_ledger, "findings", Params(as_of=D(2026, 11, 22)), "pdf", tmp_path / "f.pdf")
    assert "工作提醒与问题清单" in pdf_text(pdf)
