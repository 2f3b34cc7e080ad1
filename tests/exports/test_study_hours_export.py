"""`study-hours` 党员学习培训学时登记表 read back (xlsx, pdf)."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl

from db import study
from db.connection import Ledger
from db.study import StudyRecord
from exports import registry
from exports.registry import Params
from tests.orglife_data import add_committee, add_meeting, add_members

D = dt.date


def seeded(ledger: Ledger) -> list[int]:
    ids = add_members(ledger, 4)
    add_committee(ledger, ids[:3])
    add_meeting(ledger, ["lecture"], D(2025, 3, 5), start="14:00", end="16:00")
    study.save_record(
        ledger,
        StudyRecord(
            ids[0], D(2025, 6, 1), "区委党校书记轮训", Decimal(56), "central", "区委党校", "结业证书"
        ),
    )
    study.save_record(
        ledger, StudyRecord(ids[3], D(2025, 7, 1), "网络学院专题", Decimal("29.5"), "online", "干部网络学院")
    )
    study.set_exemption(ledger, ids[2], 2025, "身患重病")
    return ids


def test_xlsx_read_back(ledger: Ledger, tmp_path: Path) -> None:
    seeded(ledger)
    out = registry.export(ledger, "study-hours", Params(year=2025), "xlsx", tmp_path / "s.xlsx")
    rows = [list(r) for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    by = {r[1]: r for r in rows if r and isinstance(r[0], int)}
    assert (
        by["正式1"][2] == "书记/支委"
        and by["正式1"][3] == "56"
        and by["正式1"][8] == "58"
        and by["正式1"][9] == "达标"
    )
    assert by["正式4"][8] == "31.5" and by["正式4"][9] == "未达标" and "差0.5学时" in by["正式4"][10]
    assert by["正式3"][9] == "不作要求" and by["正式3"][10] == "身患重病"
    assert "本年无集中培训记录" in by["正式2"][10]
    flat = [str(c) for r in rows for c in r if c is not None]
    assert "区委党校书记轮训" in flat and "结业证书" in flat


def test_pdf_read_back(ledger: Ledger, tmp_path: Path) -> None:
    seeded(ledger)
    out = registry.export(ledger, "study-hours", Params(year=2025), "pdf", tmp_path / "s.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "党员学习培训学时登记表" in text and "31.5" in text and "网络学院专题" in text
