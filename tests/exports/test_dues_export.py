"""党费 templates read back (RULES.md §6.2): the 核定表 columns and amounts, the 收缴登记表 months and totals, the
公示 without ID numbers or incomes, and one PDF page looked at as a picture."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from db import dues, members
from db.connection import Ledger
from exports import registry
from exports.registry import Params


@pytest.fixture
def small(ledger: Ledger) -> Ledger:
    a = members.add(
        ledger,
        members.Member(
            name="张红", id_number="110101199003071233", joined_on=dt.date(2012, 5, 1), phone="13800001111"
        ),
    )
    b = members.add(
        ledger, members.Member(name="李明", joined_on=dt.date(2025, 3, 18), category="probationary")
    )
    ws = dues.Worksheet(
        items={"basic": D("4000"), "post": D("1500"), "bonus": D("600")},
        deductions={
            "pension": D("488"),
            "medical": D("122"),
            "housing_fund": D("427"),
            "income_tax": D("63"),
        },
    )
    dues.save_base(ledger, dues.BaseEntry(a, 2025, "employed", worksheet=ws), on=dt.date(2025, 1, 20))
    dues.save_base(ledger, dues.BaseEntry(b, 2025, "retired", base=D("4500")), on=dt.date(2025, 3, 20))
    for m in range(1, 13):
        dues.record_month(
            ledger, f"2025-{m:02d}", dt.date(2025, m, 10), collector="王五", unpaid=[b] if m >= 10 else []
        )
    return ledger


def cells(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def flat(rows: list[list[object]]) -> str:
    return "\n".join("|".join("" if v is None else str(v) for v in r) for r in rows)


def find_row(rows: list[list[object]], name: str) -> list[object]:
    return next(r for r in rows if name in [str(v) for v in r])


def test_dues_base_columns_and_amounts(small: Ledger, tmp_path: Path) -> None:
    out = registry.export(small, "dues-base", Params(year=2025), "xlsx", tmp_path / "base.xlsx")
    rows = cells(out)
    text = flat(rows)
    for title in (
        "月交纳党费数额核定表",
        "基本工资",
        "岗位工资",
        "技能工资",
        "津贴补贴",
        "养老保险",
        "住房公积金",
        "个人所得税",
        "税后工资总额",
        "交纳比例",
        "每月应交纳党费金额",
        "共交纳党费",
        "填报单位",
        "审核人",
        "填报人",
        "联系电话",
        "日期",
    ):
        assert title in text, title
    row = find_row(rows, "张红")
    # 4000 + 1500 + 600 − 488 − 122 − 427 − 63 = 5000.00 → 1% (upper bound inclusive) → 50.00 a month
    assert "5000" in "|".join(str(v) for v in row)
    assert "1%" in row and any(str(v) in ("50", "50.0", "50.00") for v in row)
    assert any(str(v) in ("600", "600.0", "600.00") for v in row)  # 全年应交 50 × 12
    li = find_row(rows, "李明")
    assert "0.5%" in li and any("离退休" in str(v) for v in li) and any("3月起交纳" in str(v) for v in li)


def test_dues_base_masked_has_no_income(small: Ledger, tmp_path: Path) -> None:
    out = registry.export(small, "dues-base", Params(year=2025, masked=True), "xlsx", tmp_path / "m.xlsx")
    rows = cells(out)
    values = [v for r in rows for v in r if v is not None]
    for header in ("基本工资", "个人所得税", "住房公积金", "税后工资总额（计算基数）"):
        assert header not in values, header
    numbers = {D(str(v)) for v in values if isinstance(v, (int, float))}
    assert not numbers & {D(x) for x in ("4000", "1500", "488", "122", "427", "63", "5000", "4500")}
    assert "每月应交纳党费金额" in values and "张红" in values


def test_register_months_totals_and_signature(small: Ledger, tmp_path: Path) -> None:
    out = registry.export(small, "dues", Params(year=2025), "xlsx", tmp_path / "reg.xlsx")
    rows = cells(out)
    text = flat(rows)
    assert "党费收缴登记表" in text and "1月" in text and "12月" in text and "收款人" in text
    li = find_row(rows, "李明")
    s = [str(v) for v in li]
    assert s.count("—") == 2  # January, February: not yet a member
    assert s.count("未交") == 3  # October–December
    # 李明 owes 10 × 22.50 = 225.00, paid 7 × 22.50 = 157.50, short 67.50
    assert any(v in ("225", "225.0", "225.00") for v in s) and any(v in ("157.5", "157.50") for v in s)
    assert any(v in ("67.5", "67.50") for v in s)
    total = find_row(rows, "合计")
    assert any(str(v) in ("757.5", "757.50") for v in total)  # 600 + 157.50 paid in the year


def test_notice_has_no_id_or_income(small: Ledger, tmp_path: Path) -> None:
    for fmt in ("xlsx", "pdf"):
        out = registry.export(small, "dues-notice", Params(year=2025), fmt, tmp_path / f"notice.{fmt}")
        if fmt == "xlsx":
            text = flat(cells(out))
        else:
            text = "\n".join(p.extract_text() or "" for p in PdfReader(str(out)).pages)
        assert "张红" in text and "李明" in text
        assert "党费收缴情况公示" in text.replace("\n", "")
        for secret in (
            "110101199003071233",
            "1234",
            "13800001111",
            "5000",
            "5,000",
            "4500",
            "4,500",
            "基本工资",
            "基数",
        ):
            assert secret not in text, (fmt, secret)


def test_pdf_page_renders(demo_ledger: Ledger, tmp_path: Path) -> None:
    pdf = registry.export(demo_ledger, "dues", Params(year=2026), "pdf", tmp_path / "reg.pdf")
    reader = PdfReader(str(pdf))
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = page.extract_text() or ""
    assert "党费收缴登记表" in text.replace("\n", "") or "党费收缴登记表" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
        )
        png = next(tmp_path.glob("p*.png"))
        from PIL import Image

        im = Image.open(png).convert("L")
        assert im.width > im.height
        dark = sum(im.histogram()[:128])
        assert dark > 2000  # text and grid were drawn
