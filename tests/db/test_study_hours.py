"""学时 (RULES-EXT.md §10): meeting hours (XS04, XS06), targets (XS01, XS03), pro rata, exemptions, O06 at its
edges (31.5 vs 32), as-of dates, the sheet import, the `study_hours` interchange section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from db import findings, interchange, settings, study
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from db.rules import orglife
from db.study import StudyRecord
from tests.orglife_data import add_committee, add_meeting, add_members

D = dt.date
H = Decimal


def found(ledger: Ledger, on: dt.date, code: str = "O06") -> list[findings.Finding]:
    return [f for f in findings.check(ledger, on) if f.code == code]


def rec(ledger: Ledger, member_id: int, day: dt.date, hours: str, form: str = "central") -> int:
    return study.save_record(ledger, StudyRecord(member_id, day, "党校集中轮训", H(hours), form, "区委党校"))


# ------------------------------------------------------------------------------------------ pure rules


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("14:00", "16:00", "2"),
        ("14:00", "15:29", "1"),
        ("14:00", "15:30", "1.5"),
        (None, None, "2"),
        ("16:00", "14:00", "2"),
    ],
)
def test_xs06_meeting_hours(start: str | None, end: str | None, hours: str) -> None:
    assert orglife.meeting_hours(start, end, H(2)) == H(hours)


@pytest.mark.parametrize(
    ("total", "as_of", "level"),
    [
        ("31.5", D(2026, 1, 1), "warning"),
        ("32", D(2026, 1, 1), None),
        ("20", D(2025, 9, 30), None),  # before Q4: no reminder
        ("20", D(2025, 10, 1), "reminder"),  # 20 in 274 days → about 26.6 by year end
        ("26", D(2025, 10, 1), None),  # on course: 26 in 274 days → about 34.6
        ("31.5", D(2025, 12, 31), "reminder"),
    ],
)
def test_study_level(total: str, as_of: dt.date, level: str | None) -> None:
    assert orglife.study_level(2025, H(total), H(32), as_of) == level


@pytest.mark.parametrize(("months", "target"), [(12, "32"), (6, "16"), (1, "2.5"), (0, "0")])
def test_prorated_target(months: int, target: str) -> None:
    assert orglife.prorated_target(H(32), months) == H(target)


@pytest.mark.parametrize("bad", ["-1", "abc", "1001", "NaN"])
def test_hours_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="学时"):
        orglife.to_hours(bad)


# ------------------------------------------------------------------------------------------ totals and O06


def test_31_5_vs_32_hours(ledger: Ledger) -> None:
    a, b = add_members(ledger, 2)
    rec(ledger, a, D(2025, 5, 1), "31.5")
    rec(ledger, b, D(2025, 5, 1), "32")
    got = found(ledger, D(2026, 1, 5))
    assert [(f.subject_name, f.severity, f.period) for f in got] == [("正式1", "warning", "2025")]
    assert "31.5" in got[0].message and "32" in got[0].message


def test_meeting_hours_count_by_setting_and_attendance(ledger: Ledger) -> None:
    a, b = add_members(ledger, 2)
    add_meeting(ledger, ["lecture"], D(2025, 3, 5), start="14:00", end="16:00")
    add_meeting(ledger, ["theme_day"], D(2025, 4, 5), start="09:00", end="11:30", absent=(b,))
    add_meeting(ledger, ["assembly"], D(2025, 5, 5))
    rows = {r.name: r for r in study.member_years(ledger, 2025)}
    assert rows["正式1"].meeting_hours == H("4.5") and rows["正式2"].meeting_hours == H(2)
    settings.update(ledger, {"study_meeting_kinds": "lecture"})
    assert {r.name: r.meeting_hours for r in study.member_years(ledger, 2025)}["正式1"] == H(2)
    settings.update(ledger, {"study_meeting_kinds": "all_study"})
    assert {r.name: r.meeting_hours for r in study.member_years(ledger, 2025)}["正式1"] == H("6.5")


def test_committee_target_setting_and_exemption(ledger: Ledger) -> None:
    ids = add_members(ledger, 5)
    add_committee(ledger, ids[:3])
    for m in ids:
        rec(ledger, m, D(2025, 6, 1), "40")
    got = found(ledger, D(2026, 1, 5))
    assert sorted((f.subject_name, "56" in f.message) for f in got) == [
        ("正式1", True),
        ("正式2", True),
        ("正式3", True),
    ]
    settings.update(ledger, {"study_target_committee": 40})
    assert found(ledger, D(2026, 1, 5)) == []
    settings.update(ledger, {"study_target_committee": 56})
    study.set_exemption(ledger, ids[1], 2025, "身患重病，不作硬性要求")
    rows = {r.name: r for r in study.member_years(ledger, 2025)}
    assert rows["正式2"].met and rows["正式2"].exemption
    assert sorted(f.subject_name for f in found(ledger, D(2026, 1, 5))) == ["正式1", "正式3"]
    study.set_exemption(ledger, ids[1], 2025, None)
    assert len(found(ledger, D(2026, 1, 5))) == 3


def test_as_of_counts_only_hours_up_to_that_day(ledger: Ledger) -> None:
    (a,) = add_members(ledger, 1)
    study.set_exemption(ledger, a, 2025, "不在本测试范围")
    rec(ledger, a, D(2026, 3, 1), "24")
    rec(ledger, a, D(2026, 10, 20), "10")
    # 10-15: 24 hours in 288 days → about 30.4 by year end: reminder; on 10-20 the 10 more make 34
    assert [f.severity for f in found(ledger, D(2026, 10, 15))] == ["reminder"]
    assert found(ledger, D(2026, 10, 20)) == []
    assert found(ledger, D(2026, 9, 30)) == []


def test_member_joining_mid_year_owes_pro_rata(ledger: Ledger) -> None:
    (a,) = add_members(ledger, 0, 1, prob_joined=D(2025, 7, 1))
    rec(ledger, a, D(2025, 9, 1), "16")
    (row,) = study.member_years(ledger, 2025)
    assert row.target == H(16) and row.met
    assert found(ledger, D(2026, 1, 5)) == []


# ------------------------------------------------------------------------------------------ import, interchange


def sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "培训名称", "日期", "学时", "形式", "主办单位"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_import_sheet_all_or_nothing(ledger: Ledger, tmp_path: Path) -> None:
    add_members(ledger, 2)
    bad = sheet(
        tmp_path / "bad.xlsx",
        [
            [1, "正式1", "网络学院专题", dt.datetime(2025, 6, 1), 8, "网络培训", "干部网络学院"],
            [2, "王五", "党课", "2025-06-02", "x", "", ""],
        ],
    )
    with pytest.raises(InputRefused) as e:
        study.import_records(ledger, bad)
    msg = str(e.value)
    assert "bad.xlsx，第3行，“姓名”" in msg and "“学时”" in msg
    assert study.list_records(ledger) == []
    good = sheet(
        tmp_path / "good.xlsx",
        [
            [1, "正式1", "网络学院专题", dt.datetime(2025, 6, 1), 8, "网络培训", "干部网络学院"],
            [2, "正式2", "党校轮训", "2025-06-02", 16, "", ""],
        ],
    )
    assert study.import_records(ledger, good) == 2
    recs = study.list_records(ledger, 2025)
    assert [(r.form, r.hours) for r in recs] == [("online", H(8)), ("central", H(16))]


def test_interchange_round_trip(ledger: Ledger) -> None:
    a, b = add_members(ledger, 2)
    rec(ledger, a, D(2025, 6, 1), "31.5", "online")
    study.set_exemption(ledger, b, 2025, "年老体弱")
    doc = interchange.dump(ledger)
    assert doc["study_hours"]["records"][0]["hours"] == "31.5"
    other = open_ledger(ledger.path.parent / "copy.sqlite", create=True)
    interchange.load(other, doc)
    assert interchange.dump(other)["study_hours"] == doc["study_hours"]
    other.close()
    doc["study_hours"]["records"][0]["hours"] = "abc"
    with pytest.raises(InputRefused, match=r"study_hours\.records\[0\]\.hours"):
        interchange.load(ledger, doc, replace=True)
