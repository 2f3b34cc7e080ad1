"""`roster` 党员花名册 (RULES.md §6.1): read back from xlsx and pdf, masked variant, formula-looking text,
and page 1 rendered to PNG (landscape A4, CJK embedded)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from db import branch, members
from db.connection import Ledger
from exports import registry
from tests.roster_data import person

AS_OF = dt.date(2026, 11, 22)
ADDRESS = "上海市松江区九亭镇某某路1234弄56号789室"


def fill(ledger: Ledger, n: int = 40) -> list[dict[str, object]]:
    g = branch.save_group(ledger, branch.PartyGroup(name="第一党小组"))
    people = [person(i) for i in range(n)]
    with ledger.operation("AddMembers", "测试党员"):
        for i, d in enumerate(people):
            members.insert(
                ledger,
                members.Member(
                    name=str(d["name"]),
                    id_number=str(d["id"]),
                    joined_on=d["joined"],  # type: ignore[arg-type]
                    full_on=d["full"],
                    category="probationary" if d["full"] is None else "full",  # type: ignore[arg-type]
                    phone=str(d["phone"]),
                    address=ADDRESS,
                    landline="021-57001234",
                    ethnicity="汉族",
                    education="大学本科",
                    job="研发工程师",
                    group_id=g,
                    notes="=1+1" if i == 5 else None,
                ),
                validate_first=False,
            )
        left = members.insert(
            ledger,
            members.Member(name="离开者", joined_on=dt.date(2000, 1, 1), full_on=dt.date(2001, 1, 1)),
            validate_first=False,
        )
    members.change_status(ledger, left, "transferred_out", dt.date(2026, 3, 1), "转出")
    return people  # type: ignore[return-value]


def params(**kw: object) -> registry.Params:
    return registry.Params(year=2026, as_of=AS_OF, **kw)  # type: ignore[arg-type]


def test_xlsx_read_back(ledger: Ledger, tmp_path: Path) -> None:
    import openpyxl

    people = fill(ledger)
    out = registry.export(ledger, "roster", params(), "xlsx", tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(out).active
    cells = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    header_i = next(i for i, r in enumerate(cells) if r and r[0] == "序号")
    header = cells[header_i]
    assert list(header[:4]) == ["序号", "姓名", "所在党支部", "公民身份号码"]
    assert "家庭住址" in header and "是否为流动党员" in header
    body = [r for r in cells[header_i + 1 :] if isinstance(r[0], int)]
    assert len(body) == 40
    names = {r[1] for r in body}
    assert names == {p["name"] for p in people} and "离开者" not in names
    first = body[0]
    assert first[3] == people[0]["id"] and first[2] == "中共测试科技有限公司支部委员会"
    notes = body[5][header.index("备注")]
    assert notes == "=1+1"  # stays text, never a formula
    for r in ws.iter_rows():
        for c in r:
            assert c.data_type != "f"


def test_left_member_is_in_an_earlier_roster(ledger: Ledger, tmp_path: Path) -> None:
    import openpyxl

    fill(ledger, 3)
    out = registry.export(
        ledger, "roster", registry.Params(as_of=dt.date(2026, 2, 1)), "xlsx", tmp_path / "r.xlsx"
    )
    values = [c for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True) for c in r]
    assert "离开者" in values


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def test_pdf_contains_the_names_and_is_landscape(ledger: Ledger, tmp_path: Path) -> None:
    from pypdf import PdfReader

    people = fill(ledger)
    out = registry.export(ledger, "roster", params(), "pdf", tmp_path / "r.pdf")
    text = _pdf_text(out).replace(" ", "")
    for p in people:
        assert str(p["name"]) in text
    assert "党员花名册" in text and "共40名党员" in text
    page = PdfReader(str(out)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape A4
    assert str(people[0]["id"]) in text and "=1+1" in text
    fonts = {str(f) for pg in PdfReader(str(out)).pages for f in (pg["/Resources"]["/Font"] or {}).values()}
    assert fonts  # the CJK font is embedded (reportlab subsets TrueType)


def test_masked_pdf_and_xlsx_hold_no_full_id_phone_or_address(ledger: Ledger, tmp_path: Path) -> None:
    import openpyxl

    people = fill(ledger)
    pdf = registry.export(ledger, "roster", params(masked=True), "pdf", tmp_path / "m.pdf")
    xlsx = registry.export(ledger, "roster", params(masked=True), "xlsx", tmp_path / "m.xlsx")
    pdf_text = _pdf_text(pdf).replace(" ", "").replace("\n", "")
    xlsx_text = " ".join(
        str(c)
        for r in openpyxl.load_workbook(xlsx).active.iter_rows(values_only=True)
        for c in r
        if c is not None
    )
    for text in (pdf_text, xlsx_text):
        assert str(people[0]["name"]) in text
        for p in people:
            assert str(p["id"]) not in text
            assert str(p["phone"]) not in text
        assert "021-57001234" not in text and "九亭镇" not in text
        # The columns are left out, not half-masked: a masked ID's ends plus the birth date nearly give it away.
        assert "*" not in text and "公民身份号码" not in text and "手机号" not in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_page_one_renders(ledger: Ledger, tmp_path: Path) -> None:
    from PIL import Image

    fill(ledger)
    out = registry.export(ledger, "roster", params(), "pdf", tmp_path / "r.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True
    )
    png = next(tmp_path.glob("page*.png"))
    img = Image.open(png).convert("L")
    w, h = img.size
    assert w > h  # landscape
    # Ink in the table area, and the right margin stays blank (nothing runs off the page).
    assert img.crop((w // 10, h // 5, w * 9 // 10, h * 4 // 5)).getextrema()[0] < 100
    assert img.crop((w - 12, 0, w, h)).getextrema()[0] > 200
