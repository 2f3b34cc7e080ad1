"""`appraisal` 民主评议党员情况登记表 read back (xlsx, pdf), its masked form, and the masked package's counts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import openpyxl

from db import appraisals
from db.appraisals import Appraisal, Result
from db.connection import Ledger
from exports import registry
from exports.registry import Params
from tests.orglife_data import add_committee, add_meeting, add_members

D = dt.date


def seeded(ledger: Ledger) -> None:
    ids = add_members(ledger, 5, 1)
    add_committee(ledger, ids[:3])
    assembly = add_meeting(ledger, ["assembly", "appraisal", "org_life"], D(2025, 12, 10))
    committee = add_meeting(ledger, ["committee"], D(2025, 12, 12))
    a = Appraisal(2025, D(2025, 12, 10), assembly_id=assembly, org_life_id=assembly)
    a.results = [
        Result(ids[0], "rated", "excellent", committee, votes_excellent=4, votes_qualified=1),
        Result(ids[1], "rated", "qualified", committee),
        Result(ids[2], "rated", "basic", committee, follow_up="书记谈心，帮助改进"),
        Result(ids[3], "elsewhere", place="昆山某流动党员党支部"),
        Result(ids[4], "absent", reason="长期病休"),
        Result(ids[5], "probationary"),
    ]
    appraisals.save_appraisal(ledger, a)


def cells(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_xlsx_lists_every_member_with_grade_and_decision(ledger: Ledger, tmp_path: Path) -> None:
    seeded(ledger)
    out = registry.export(ledger, "appraisal", Params(year=2025), "xlsx", tmp_path / "a.xlsx")
    rows = cells(out)
    flat = [str(c) for r in rows for c in r if c is not None]
    assert any("2025年度民主评议党员情况登记表" in c for c in flat)
    by_name = {r[1]: r for r in rows if r and isinstance(r[0], int)}
    assert (
        by_name["正式1"][9] == "优秀" and "支委会" in str(by_name["正式1"][10]) and by_name["正式1"][5] == 4
    )
    assert by_name["预备1"][9] in (None, "") and "不定等次" in str(by_name["预备1"][4])
    assert "昆山某流动党员党支部" in str(by_name["正式4"][4])
    assert any(r[:2] == ["优秀", 1] for r in rows) and any(r[:2] == ["评定等次合计", 3] for r in rows)


def test_masked_shows_counts_only(ledger: Ledger, tmp_path: Path) -> None:
    seeded(ledger)
    out = registry.export(ledger, "appraisal", Params(year=2025, masked=True), "xlsx", tmp_path / "m.xlsx")
    flat = [str(c) for r in cells(out) for c in r if c is not None]
    assert not any("正式1" in c for c in flat)
    assert "基本合格" in flat


def test_pdf_reads_back(ledger: Ledger, tmp_path: Path) -> None:
    seeded(ledger)
    out = registry.export(ledger, "appraisal", Params(year=2025), "pdf", tmp_path / "a.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "民主评议党员情况登记表" in text and "正式1" in text and "基本合格" in text


def test_masked_package_carries_grade_counts(ledger: Ledger, tmp_path: Path) -> None:
    from db import interchange
    from exports.package.mask import masked_document

    seeded(ledger)
    doc = masked_document(interchange.dump(ledger))
    (a,) = doc["appraisals"]
    assert "results" not in a
    assert a["grade_counts"] == {
        "excellent": 1,
        "qualified": 1,
        "basic": 1,
        "unqualified": 0,
        "probationary": 1,
        "elsewhere": 1,
        "absent": 1,
        "ungraded": 0,
    }
    assert "正式1" not in json.dumps(doc["appraisals"], ensure_ascii=False)


def test_stats_carries_the_appraisal_counts(ledger: Ledger, tmp_path: Path) -> None:
    seeded(ledger)
    out = registry.export(ledger, "stats", Params(year=2025), "xlsx", tmp_path / "s.xlsx")
    rows = cells(out)
    assert any(r[0] and "六、2025年民主评议党员" in str(r[0]) for r in rows)
    assert any(r[:2] == ["基本合格", 1] for r in rows)
