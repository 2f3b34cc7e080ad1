"""The liaison's summary (issue 8): packages of different branches, one tampered, one incomplete, one
duplicate (the newer counts), an encrypted zip; the xlsx read back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import resources
from db import interchange
from db.connection import open_ledger
from exports import aggregate, package

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2026
NAMES = [
    "中共甲科技有限公司支部委员会",
    "中共乙智能制造有限公司支部委员会",
    "中共丙生物医药有限公司支部委员会",
    "中共丁软件有限公司支部委员会",
]


def make_ledger(path: Path, name: str, drop_members: int = 0):  # type: ignore[no-untyped-def]
    doc = json.loads(resources.demo_document().read_text(encoding="utf-8"))
    doc["branch"]["name"] = name
    for k in list(doc):
        if k not in (
            "format",
            "version",
            "exported_at",
            "settings",
            "branch",
            "party_groups",
            "members",
            "committee_terms",
        ):
            doc.pop(k)  # the roster is enough here; keeps this test apart from the areas' demo records
    if drop_members:
        keep = doc["members"][:-drop_members]
        ids = {m["id"] for m in keep}
        doc["members"] = keep
        for g in doc.get("party_groups") or []:
            if g.get("leader_id") not in ids:
                g["leader_id"] = None
        for t in doc.get("committee_terms") or []:
            t["members"] = [s for s in t.get("members") or [] if s.get("member_id") in ids]
    led = open_ledger(path, create=True)
    interchange.load(led, doc)
    return led


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    base = tmp_path_factory.mktemp("agg")
    out = base / "inbox"
    made: dict[str, Path] = {}
    for i, name in enumerate(NAMES):
        led = make_ledger(base / f"b{i}.sqlite", name, drop_members=i * 3)
        try:
            made[name] = package.build_package(
                led, YEAR, out / f"from{i}", profile="full" if i == 1 else "masked"
            )
            if i == 0:
                time.sleep(1.1)  # created_at has whole seconds: the duplicate is clearly newer
                made["dup"] = package.build_package(led, YEAR, out / "dup")
        finally:
            led.close()
    yield made


@pytest.fixture
def inbox(packages: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """Fresh copies in one folder (as the liaison collects them), the third tampered, the fourth incomplete."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    out: dict[str, Path] = {}
    for key, src in packages.items():
        dst = folder / (src.name + ("-重复" if key == "dup" else ""))
        shutil.copytree(src, dst)
        out[key] = dst
    data = out[NAMES[2]] / "data.json"
    data.write_bytes(data.read_bytes().replace(b'"members"', b'"Members"', 1))
    (next((out[NAMES[3]] / "报表").glob("*.pdf"))).unlink()
    return out


def test_aggregate_counts_whole_packages_only(inbox: dict[str, Path], tmp_path: Path) -> None:
    paths = [inbox[n] for n in NAMES] + [inbox["dup"]]
    result = aggregate.aggregate(paths, tmp_path / "汇总.xlsx")
    by_status = {r.source.name: r.status for r in result.rows}
    assert by_status[inbox[NAMES[2]].name] == "tampered"
    assert by_status[inbox[NAMES[3]].name] == "incomplete"
    assert by_status[inbox[NAMES[0]].name] == "superseded"
    assert by_status[inbox["dup"].name] == "ok"
    assert by_status[inbox[NAMES[1]].name] == "ok"
    counted = result.counted
    assert [r.branch for r in counted] == sorted([NAMES[0], NAMES[1]])
    dup = next(r for r in result.rows if r.source == inbox["dup"])
    assert "以本包为准" in dup.note
    old = next(r for r in result.rows if r.source == inbox[NAMES[0]])
    assert "较新的报送包" in old.note
    tampered = next(r for r in result.rows if r.source == inbox[NAMES[2]])
    assert tampered.members is None and "data.json" in tampered.note  # numbers of a changed package not shown
    incomplete = next(r for r in result.rows if r.source == inbox[NAMES[3]])
    assert "缺少" in incomplete.note
    t = result.totals()
    assert t["branches"] == 2
    assert t["members"] == sum(r.members or 0 for r in counted) == 35 + 32
    assert t["full"] + t["probationary"] == t["members"]
    text = result.describe()
    assert "计入 2 个支部" in text and "文件被改动" in text and "文件不全" in text
    doc = result.to_json()
    assert doc["counted"] == 2 and doc["packages"] == 5
    json.dumps(doc, ensure_ascii=False)


def test_aggregate_xlsx_and_pdf_read_back(inbox: dict[str, Path], tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    result = aggregate.aggregate([inbox[n] for n in NAMES] + [inbox["dup"]], tmp_path / "汇总.xlsx")
    ws = load_workbook(tmp_path / "汇总.xlsx").active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    flat = [str(c) for row in values for c in row if c is not None]
    assert "园区党支部报送情况汇总表" in flat
    header = next(row for row in values if row and "党支部" in row and "党员" in row)
    i_members = header.index("党员")
    rows = [r for r in values if r and r[1] in (NAMES[0], NAMES[1]) and isinstance(r[i_members], int)]
    assert len(rows) == 2
    total = next(r for r in values if r and isinstance(r[1], str) and r[1].startswith("合计"))
    assert total[i_members] == sum(r[i_members] for r in rows) == result.totals()["members"]
    assert any("未计入的报送包" in s for s in flat)
    assert any(s == "文件被改动，未计入" for s in flat)
    pdf = aggregate.write(result, tmp_path / "汇总.pdf")
    text = "".join(p.extract_text() or "" for p in PdfReader(pdf).pages).replace(" ", "")
    assert "园区党支部报送情况汇总表" in text and "合计" in text


def test_a_folder_of_packages_and_encrypted_zips(inbox: dict[str, Path], tmp_path: Path) -> None:
    zipped = package.zip_package(inbox[NAMES[1]], tmp_path / "乙.zip", password="口令123456")
    folder = tmp_path / "收件"
    folder.mkdir()
    shutil.move(str(zipped), folder / "乙.zip")
    shutil.copytree(inbox["dup"], folder / inbox["dup"].name)
    (folder / "说明.txt").write_text("不是报送包", encoding="utf-8")
    result = aggregate.collect([folder], password="口令123456")
    assert len(result.rows) == 2 and len(result.counted) == 2
    no_pw = aggregate.collect([folder])
    bad = next(r for r in no_pw.rows if r.source.suffix == ".zip")
    assert bad.status == "unreadable" and "密码" in bad.note
    per_file = aggregate.collect([folder], passwords={"乙.zip": "口令123456"})
    assert len(per_file.counted) == 2


def test_money_and_meetings_come_from_the_summary(tmp_path: Path) -> None:
    """row_from reads the manifest summary: money as Decimal, held meetings capped at the required count."""
    res = package.VerifyResult(
        tmp_path / "x",
        manifest={
            "branch": {"name": "中共测试支部"},
            "period": {"year": 2026},
            "profile": "masked",
            "created_at": "2026-11-22T10:00:00",
            "summary": {
                "members": {"total": 10, "full": 8, "probationary": 2},
                "meetings": {
                    "held": {"assembly": 5, "committee": 10},
                    "required": {"assembly": 4, "committee": 11},
                },
                "dues": {"due": "1200.50", "paid": "1100.00", "remitted": "900.00", "arrears_members": 1},
                "development": {"by_stage": {"activist": 2, "candidate": 1}, "admitted": 1, "converted": 0},
                "checklist": {"items": 6, "met": 5, "sub_items": 6, "sub_met": 6},
                "findings": {"error": 1, "warning": 2, "reminder": 3},
            },
            "files": [],
        },
    )
    row = aggregate.row_from(res)
    assert row.meetings_held == 4 + 10 and row.meetings_required == 15
    assert row.dues_due == Decimal("1200.50") and row.dues_remitted == Decimal("900.00")
    assert row.stage("activist") == 2 and row.stage("applicant") == 0
    assert row.checklist_met == 5 and row.findings["reminder"] == 3
    result = aggregate.AggregateResult([row, aggregate.row_from(res)])
    aggregate._pick_current(result.rows)
    assert result.totals()["members"] == 10  # the same branch and year twice: counted once
    assert result.totals()["dues_due"] == Decimal("1200.50")


def test_cli_aggregate(inbox: dict[str, Path], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    out = tmp_path / "park.xlsx"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "exports.cli",
            "aggregate",
            str(inbox[NAMES[1]]),
            str(inbox[NAMES[2]]),
            "--out",
            str(out),
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["counted"] == 1 and doc["packages"] == 2
    assert out.is_file()
