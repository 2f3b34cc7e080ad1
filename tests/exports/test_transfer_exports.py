"""`transfer-letter` (three parts, one number, cut lines, 大写, one A4 page; the 回执 of a letter received),
`transfer-register` (xlsx + pdf) and the `stats` 增减 table that adds up — read back and rendered."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from db import dues, members, transfers
from db.connection import Ledger
from db.members import Member
from db.transfers import Transfer
from exports import registry
from exports.registry import ParamError, Params
from tests.orglife_data import add_members

D = dt.date


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def sheet_rows(path: Path) -> list[list[str]]:
    ws = load_workbook(path).active
    return [[str(c) if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]


@pytest.fixture
def letter_ledger(ledger: Ledger) -> tuple[Ledger, int]:
    mid = members.add(
        ledger,
        Member(
            name="王晓红",
            id_number="11010519491231002X",
            ethnicity="汉族",
            joined_on=D(2010, 7, 1),
            full_on=D(2011, 7, 1),
        ),
    )
    add_members(ledger, 2)
    dues.save_base(
        ledger,
        dues.BaseEntry(member_id=mid, year=2026, kind="employed", base=Decimal("6000")),
        on=D(2026, 1, 15),
    )
    dues.record_payment(ledger, mid, [f"2026-{m:02d}" for m in range(1, 7)], D(2026, 6, 5))
    t = transfers.draft_out(ledger, mid, D(2026, 6, 15))
    t.to_org = "中共某某生物医药有限公司委员会"
    t.addressee = "中共某某开发区工作委员会组织部"
    t.handled_by = "李明"
    return ledger, transfers.transfer_out(ledger, t)


def test_letter_pdf_three_parts(letter_ledger: tuple[Ledger, int], tmp_path: Path) -> None:
    ledger, tid = letter_ledger
    pdf = registry.export(ledger, "transfer-letter", Params(transfer_id=tid), "pdf", tmp_path / "l.pdf")
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1  # the three parts on one A4 page
    w, h = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(w), round(h)) == (595, 842)
    text = pdf_text(pdf).replace(" ", "")
    assert text.count("第2026-001号") == 3  # 存根, 介绍信, 回执 share the number (ZZ05)
    for part in ("（存根）", "（回执）", "已转达我处", "沿此虚线剪开"):
        assert part in text
    assert (
        "党费已交到贰零贰陆年陆月" in text and "有效期叁拾天" in text
    )  # 大写 (ZZ05), from the ledger (ZZ08)
    assert "中共某某生物医药有限公司委员会" in text and "11010519491231002X" in text
    fonts = {
        str(f["/BaseFont"])
        for page in reader.pages
        for f in (page["/Resources"].get("/Font") or {}).values()  # type: ignore[union-attr]
        for f in [f.get_object()]
    }
    assert all("NotoSansSC" in f for f in fonts)  # Chinese in the embedded font only
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
        png = next(tmp_path.glob("page*.png"))
        assert png.stat().st_size > 20_000


def test_letter_needs_a_transfer(ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(ParamError, match="--transfer"):
        registry.export(ledger, "transfer-letter", Params(), "pdf", tmp_path / "x.pdf")
    with pytest.raises(ParamError, match="不存在"):
        registry.export(ledger, "transfer-letter", Params(transfer_id=99), "pdf", tmp_path / "x.pdf")


def test_receipt_of_a_letter_received(ledger: Ledger, tmp_path: Path) -> None:
    t = Transfer(
        "in",
        0,
        D(2026, 3, 10),
        letter_no="2026-017",
        from_org="中共某某大学计算机学院委员会",
        handled_by="李明",
    )
    tid = transfers.transfer_in(
        ledger,
        t,
        Member(
            name="赵新",
            gender="female",
            birth_date=D(2000, 5, 1),
            joined_on=D(2022, 6, 1),
            full_on=D(2023, 6, 1),
        ),
    )
    pdf = registry.export(ledger, "transfer-letter", Params(transfer_id=tid), "pdf", tmp_path / "r.pdf")
    text = pdf_text(pdf).replace(" ", "")
    assert "第2026-017号" in text and "赵新同志的党员组织关系已转达我处" in text
    assert "中共某某大学计算机学院委员会" in text and "（存根）" not in text


def test_register_xlsx_and_pdf(letter_ledger: tuple[Ledger, int], tmp_path: Path) -> None:
    ledger, tid = letter_ledger
    transfers.record_receipt(ledger, tid, D(2026, 7, 2), "张")
    x = registry.export(ledger, "transfer-register", Params(year=2026), "xlsx", tmp_path / "r.xlsx")
    rows = sheet_rows(x)
    row = next(r for r in rows if r and r[0] == "2026-001")
    assert row[1] == "王晓红" and "生物医药" in row[4] and row[5] == "2026-06"
    pdf = registry.export(ledger, "transfer-register", Params(year=2026), "pdf", tmp_path / "r.pdf")
    assert "介绍信存根登记簿" in pdf_text(pdf)
    other = registry.export(ledger, "transfer-register", Params(year=2025), "xlsx", tmp_path / "r5.xlsx")
    assert not any(r and r[0] == "2026-001" for r in sheet_rows(other))


def test_stats_changes_table_adds_up(letter_ledger: tuple[Ledger, int], tmp_path: Path) -> None:
    ledger, _tid = letter_ledger
    ids = [m.id for m in members.list_members(ledger) if m.status == "active"]
    members.change_status(ledger, ids[0], "deceased", D(2026, 8, 1), "病故")
    add_members(ledger, 0, 1, prob_joined=D(2026, 5, 1))
    x = registry.export(ledger, "stats", Params(year=2026), "xlsx", tmp_path / "s.xlsx")
    flat = {r[0].strip().replace("其中：", ""): r[1] for r in sheet_rows(x) if r and r[0]}
    start = int(flat["年初党员数（2025年12月31日）"])
    end = int(flat["年末党员数（2026年12月31日）"])
    inc, dec = int(flat["本年增加"]), int(flat["本年减少"])
    assert (start, inc, dec, end) == (3, 1, 2, 2)
    assert start + inc - dec == end == int(flat["党员总数"])
    assert flat["组织关系转出"] == "1" and flat["死亡"] == "1" and flat["发展党员（接收预备党员）"] == "1"


def test_masked_package_carries_no_personal_reason(letter_ledger: tuple[Ledger, int], tmp_path: Path) -> None:
    import json

    from exports import package

    ledger, tid = letter_ledger
    t = transfers.get_transfer(ledger, tid)
    t.reason = "随配偶迁居某某路88弄"
    t.notes = "本人电话另告"
    transfers.update_details(ledger, t)
    folder = package.build_package(ledger, 2026, tmp_path / "out", profile="masked")
    data = (folder / "data.json").read_text(encoding="utf-8")
    assert "某某路88弄" not in data and "配偶" not in data and "本人电话另告" not in data
    rows = json.loads(data)["transfers"]
    assert (
        rows[0]["reason"] is None and rows[0]["letter_seq"] == 1 and rows[0]["dues_paid_through"] == "2026-06"
    )
    full = package.build_package(ledger, 2026, tmp_path / "full", profile="full")
    assert "某某路88弄" in (full / "data.json").read_text(encoding="utf-8")
