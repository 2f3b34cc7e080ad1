"""民主评议 per member (RULES-EXT.md §8): SaveAppraisal's blocks, O01–O03 at their edges, as-of dates, the
`appraisals` interchange section."""

from __future__ import annotations

import datetime as dt

import pytest

from db import appraisals, findings, interchange, settings
from db.appraisals import Appraisal, Result
from db.connection import Ledger
from db.errors import InputRefused
from db.rules import orglife
from tests.orglife_data import add_committee, add_meeting, add_members

D = dt.date


def found(ledger: Ledger, on: dt.date, code: str) -> list[findings.Finding]:
    return [f for f in findings.check(ledger, on) if f.code == code]


def year_with(ledger: Ledger, n_full: int, n_prob: int = 0) -> tuple[list[int], int, int]:
    ids = add_members(ledger, n_full, n_prob)
    add_committee(ledger, ids[:3])
    assembly = add_meeting(ledger, ["assembly", "appraisal", "org_life"], D(2025, 12, 10))
    committee = add_meeting(ledger, ["committee"], D(2025, 12, 12))
    return ids, assembly, committee


def graded(ids: list[int], grades: list[str], decision: int) -> list[Result]:
    return [Result(m, "rated", g, decision) for m, g in zip(ids, grades, strict=True)]


# ------------------------------------------------------------------------------------------ the pure rules


@pytest.mark.parametrize(
    ("excellent", "d", "over"),
    [
        (4, 12, False),
        (5, 12, True),
        (4, 13, False),
        (5, 14, True),
        (1, 3, False),
        (1, 2, True),
        (0, 0, False),
    ],
)
def test_mp06_one_third_exactly_is_allowed(excellent: int, d: int, over: bool) -> None:
    assert orglife.excellent_over(excellent, d) is over


@pytest.mark.parametrize(
    ("as_of", "level"),
    [
        (D(2025, 12, 9), None),
        (D(2025, 12, 10), "warning"),
        (D(2025, 12, 30), "warning"),
        (D(2025, 12, 31), "error"),
        (D(2026, 3, 1), "error"),
    ],
)
def test_mp01_levels_by_date(as_of: dt.date, level: str | None) -> None:
    assert orglife.appraisal_level(D(2025, 12, 10), as_of) == level
    assert orglife.appraisal_level(D(2025, 11, 20), D(2025, 11, 30)) == "reminder"


@pytest.mark.parametrize(
    ("category", "participation", "grade", "kinds", "blocked"),
    [
        ("full", "rated", "excellent", ("committee",), False),
        ("full", "rated", "qualified", ("assembly", "org_life"), False),
        ("full", "rated", None, None, False),
        ("full", "rated", "basic", None, True),  # MP03: no decision
        ("full", "rated", "basic", ("theme_day",), True),  # MP03: not a 支委会/党员大会
        ("probationary", "rated", "qualified", ("committee",), True),  # MP08
        ("probationary", "probationary", None, None, False),
        ("full", "elsewhere", "qualified", ("committee",), True),  # MP09: never twice
        ("full", "rated", "good", ("committee",), True),  # MP05 enum
    ],
)
def test_grade_blocks(
    category: str, participation: str, grade: str | None, kinds: tuple[str, ...] | None, blocked: bool
) -> None:
    problems = orglife.grade_problems(
        category=category, participation=participation, grade=grade, decision_kinds=kinds
    )
    assert bool(problems) is blocked


# ------------------------------------------------------------------------------------------ saving


def test_save_refuses_a_probationary_with_a_grade_and_a_grade_without_decision(ledger: Ledger) -> None:
    ids, assembly, committee = year_with(ledger, 3, 1)
    a = Appraisal(2025, D(2025, 12, 10), assembly_id=assembly)
    a.results = [
        Result(ids[0], "rated", "qualified", committee),
        Result(ids[3], "rated", "qualified", committee),
    ]
    with pytest.raises(InputRefused) as e:
        appraisals.save_appraisal(ledger, a)
    assert "预备党员" in str(e.value) and "预备1" in str(e.value)
    a.results = [Result(ids[0], "rated", "qualified", None)]
    with pytest.raises(InputRefused) as e:
        appraisals.save_appraisal(ledger, a)
    assert "评定意见" in str(e.value)
    a.results = [Result(ids[0], "elsewhere")]
    with pytest.raises(InputRefused, match="流入地党组织名称"):
        appraisals.save_appraisal(ledger, a)
    assert appraisals.get_appraisal(ledger, 2025) is None  # nothing half-written


def test_sheet_lists_the_roster_at_the_appraisal_date(ledger: Ledger) -> None:
    ids, assembly, committee = year_with(ledger, 3, 1)
    rows = appraisals.sheet(ledger, 2025)
    assert [r.name for r in rows] == ["正式1", "正式2", "正式3", "预备1"]
    assert rows[3].result.participation == "probationary" and rows[0].result.participation == "rated"


# ------------------------------------------------------------------------------------------ findings


def test_o01_full_member_without_grade_as_of_both_sides(ledger: Ledger) -> None:
    ids, assembly, committee = year_with(ledger, 4, 1)
    a = Appraisal(2025, D(2025, 12, 10), assembly_id=assembly, org_life_id=assembly)
    a.results = graded(ids[:2], ["excellent", "qualified"], committee) + [
        Result(ids[2], "elsewhere", place="苏州工业园区某流动党员党支部"),
        Result(ids[4], "probationary"),
    ]
    appraisals.save_appraisal(ledger, a)
    assert found(ledger, D(2025, 12, 9), "O01") == []  # before the 评议
    late = found(ledger, D(2025, 12, 31), "O01")
    assert [(f.subject_name, f.severity) for f in late] == [
        ("正式4", "error")
    ]  # elsewhere and 预备: nothing owed
    assert [f.severity for f in found(ledger, D(2025, 12, 15), "O01")] == ["warning"]


def test_o01_a_held_appraisal_meeting_without_results(ledger: Ledger) -> None:
    add_members(ledger, 2, 1)
    add_meeting(ledger, ["assembly", "appraisal"], D(2025, 12, 5))
    names = sorted(f.subject_name for f in found(ledger, D(2026, 1, 10), "O01"))
    assert names == ["正式1", "正式2"]


def test_o02_one_third_exactly_and_one_above(ledger: Ledger) -> None:
    ids, assembly, committee = year_with(ledger, 12)
    a = Appraisal(2025, D(2025, 12, 10), assembly_id=assembly)
    a.results = graded(ids, ["excellent"] * 4 + ["qualified"] * 8, committee)
    appraisals.save_appraisal(ledger, a)
    assert found(ledger, D(2025, 12, 20), "O02") == []
    a.results[4].grade = "excellent"
    appraisals.save_appraisal(ledger, a)
    (f,) = found(ledger, D(2025, 12, 20), "O02")
    assert "5人" in f.message and "12人" in f.message and "最多4人" in f.message
    settings.update(ledger, {"appraisal_excellent_cap": "none"})
    assert found(ledger, D(2025, 12, 20), "O02") == []


def test_o02_denominator_setting_counts_probationary(ledger: Ledger) -> None:
    ids, assembly, committee = year_with(ledger, 8, 1)  # 9 on the roster
    a = Appraisal(2025, D(2025, 12, 10), assembly_id=assembly)
    a.results = graded(ids[:8], ["excellent"] * 3 + ["qualified"] * 5, committee) + [
        Result(ids[8], "probationary")
    ]
    appraisals.save_appraisal(ledger, a)
    assert len(found(ledger, D(2025, 12, 20), "O02")) == 1  # 3 > floor(8/3)
    settings.update(ledger, {"appraisal_denominator": "all"})
    assert found(ledger, D(2025, 12, 20), "O02") == []  # 3 = 9/3


def test_o03_loaded_grade_of_a_probationary_and_without_decision(ledger: Ledger) -> None:
    ids, assembly, committee = year_with(ledger, 2, 1)
    a = Appraisal(2025, D(2025, 12, 10), assembly_id=assembly)
    a.results = [Result(ids[0], "rated", "qualified", None), Result(ids[2], "rated", "qualified", committee)]
    with ledger.operation("Test", "绕过校验写入"):
        from db.appraisals.store import write_appraisal

        write_appraisal(ledger, a)
    by = {f.subject_name: f for f in found(ledger, D(2025, 12, 20), "O03")}
    assert set(by) == {"正式1", "预备1"}
    assert "评定意见" in by["正式1"].message and "预备党员" in by["预备1"].message
    assert by["正式1"].severity == "error"


def test_interchange_round_trip(ledger: Ledger, tmp_path: object) -> None:
    from db.connection import open_ledger

    ids, assembly, committee = year_with(ledger, 3, 1)
    a = Appraisal(
        2025, D(2025, 12, 10), started_on=D(2025, 11, 20), assembly_id=assembly, plan="年度评议方案"
    )
    a.results = [
        Result(
            ids[0], "rated", "excellent", committee, self_review="自评", votes_excellent=3, votes_qualified=1
        ),
        Result(ids[1], "elsewhere", place="某流入地党支部"),
        Result(ids[2], "absent", reason="长期病休"),
        Result(ids[3], "probationary", feedback_on=D(2025, 12, 20)),
    ]
    appraisals.save_appraisal(ledger, a)
    doc = interchange.dump(ledger)
    assert doc["appraisals"][0]["results"][0]["grade"] == "excellent"
    other = open_ledger(ledger.path.parent / "copy.sqlite", create=True)  # type: ignore[attr-defined]
    interchange.load(other, doc)
    again = interchange.dump(other)
    assert again["appraisals"] == doc["appraisals"]
    other.close()


def test_interchange_refuses_a_bad_grade(ledger: Ledger) -> None:
    doc = interchange.dump(ledger)
    doc["appraisals"] = [
        {"id": 1, "year": 2025, "held_on": "2025-12-10", "results": [{"member_id": 1, "grade": "good"}]}
    ]
    with pytest.raises(InputRefused) as e:
        interchange.load(ledger, doc, replace=True)
    assert "appraisals[0].results[0].grade" in str(e.value)
