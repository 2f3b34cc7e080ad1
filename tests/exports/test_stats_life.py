"""The `stats` template's 流动党员 and 奖惩/关怀 figures as of 31 December (issue #18 item 6): read back from the xlsx
and the PDF, counts only (no names, no reasons)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from db import honors, mobility
from db.connection import Ledger
from exports import registry
from exports.registry import Params
from tests.db.test_life_interchange import SECRETS, fill

D = dt.date


def rows(path: Path) -> list[list[Any]]:
    wb = openpyxl.load_workbook(path)
    return [list(r) for ws in wb.worksheets for r in ws.iter_rows(values_only=True)]


def test_stats_life_figures_as_of_31_december(ledger: Ledger, tmp_path: Path) -> None:
    ids = fill(ledger)
    # an outing that ended before 31 December and one that starts after it: neither is away then
    mobility.save_outing(ledger, mobility.Outing(ids[4], D(2026, 2, 1), "上海市", returned_on=D(2026, 3, 1)))
    honors.save_award(ledger, honors.Award(ids[3], "praise", D(2025, 12, 31), title="年度表扬"))  # last year
    out = registry.export(ledger, "stats", Params(year=2026), "xlsx", tmp_path / "s.xlsx")
    got = {str(r[0]).strip(): r[1] for r in rows(out) if r and r[0]}
    assert got["外出流动党员（12月31日仍在外）"] == 1
    assert got["其中：持流动党员活动证"] == 1
    assert got["在固定地点满6个月、应转移组织关系"] == 1
    assert got["经批准不计入应到有表决权"] == 1
    assert got["失联党员"] == 1 and got["其中：失联6个月以上"] == 1
    assert got["2026年在流入地交纳党费（人·月）"] == 2
    assert got["受表彰表扬：优秀共产党员"] == 1 and got["受表彰表扬：表扬"] == 0
    assert got["受纪律处分：留党察看"] == 1 and got["12月31日处于留党察看期"] == 1
    assert got["组织处置：限期改正"] == 1
    assert got["在册生活困难党员"] == 1 and got["2026年慰问金合计（元）"] == "500.00"
    text = "\n".join(str(c) for r in rows(out) for c in r if c is not None)
    assert not any(s in text for s in SECRETS)
    assert "正式1" not in text  # no names
    pdf = registry.export(ledger, "stats", Params(year=2026), "pdf", tmp_path / "s.pdf")
    from pypdf import PdfReader

    ptext = "".join(p.extract_text() or "" for p in PdfReader(pdf).pages)
    assert "八、流动党员" in ptext and "表彰、处分与关怀" in ptext
    # the figures of 2025 (as of 2025-12-31): nobody away yet
    out25 = registry.export(ledger, "stats", Params(year=2025), "xlsx", tmp_path / "s25.xlsx")
    got25 = {str(r[0]).strip(): r[1] for r in rows(out25) if r and r[0]}
    assert got25["外出流动党员（12月31日仍在外）"] == 1  # left 2025-12-01
    assert got25["受表彰表扬：表扬"] == 1 and got25["12月31日处于留党察看期"] == 0
