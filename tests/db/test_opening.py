"""Where the electronic ledger starts (settings.records_start_on) and the opening balances (issue #15 §1): before
the start nothing is missing — cadence periods show 纸质台账, dues months 期初, R03 and clocks whose evidence would
predate it are not findings — while 党费已交至 and the last 组织生活 known from paper make arrears and R03 start
from the truth. Boundaries: a period ending the day before the start, the start date itself, a month straddling
it; as-of dates on both sides; the interchange round trip."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from db import dues, interchange, opening, settings
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from db.findings import Finding, check
from db.meetings import cadence_grid
from db.rules import meetings as mrules
from tests.db.test_dues import add_member, base
from tests.db.test_meetings import build, member

D = dt.date
TODAY = D(2026, 11, 22)  # tests/conftest.py


def codes(led: Ledger, day: dt.date, code: str) -> list[Finding]:
    return [f for f in check(led, day) if f.code == code]


def cells(led: Ledger, kind: str, year: int = 2026, as_of: dt.date = TODAY) -> dict[str, str]:
    row = next(r for r in cadence_grid(led, year, as_of) if r.kind == kind)
    return {c.period.key: c.state for c in row.cells}


def two_members(tmp_path: Path, start: str | None, **kw: object) -> Ledger:
    s = {"records_start_on": start} if start else {}
    return build(tmp_path, [member(1, "张一"), member(2, "李二")], settings=s, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ the setting


def test_without_a_start_date_the_ledger_behaves_as_before(tmp_path: Path) -> None:
    led = two_members(tmp_path, None)
    assert opening.records_start(led) is None
    assert "records_start_on" not in interchange.dump(led)["settings"]
    m01 = {f.period for f in codes(led, TODAY, "M01")}
    assert {"2025-Q1", "2026-Q3"} <= m01  # every period of the checked years counts
    assert cells(led, "assembly")["2026-Q1"] == mrules.MISSING


def test_default_start_is_the_first_day_of_the_current_month() -> None:
    assert opening.default_start(D(2026, 11, 22)) == D(2026, 11, 1)
    assert opening.default_start(D(2026, 1, 1)) == D(2026, 1, 1)


def test_start_date_is_set_moved_earlier_and_cleared_as_one_undoable_operation(ledger: Ledger) -> None:
    opening.set_records_start(ledger, D(2026, 10, 1))
    assert opening.records_start(ledger) == D(2026, 10, 1)
    opening.set_records_start(ledger, D(2025, 1, 1))
    assert opening.records_start(ledger) == D(2025, 1, 1)
    ledger.undo_last()
    assert opening.records_start(ledger) == D(2026, 10, 1)
    opening.set_records_start(ledger, None)
    assert opening.records_start(ledger) is None
    with pytest.raises(InputRefused, match="不能晚于今天"):
        opening.set_records_start(ledger, TODAY + dt.timedelta(days=1))


# ------------------------------------------------------------------------------------------------ cadence


def test_a_quarter_ending_the_day_before_the_start_is_paper_the_one_starting_on_it_is_checked(
    tmp_path: Path,
) -> None:
    led = two_members(tmp_path, "2026-07-01")
    grid = cells(led, "assembly")
    assert grid["2026-Q2"] == mrules.PAPER  # ends 30 June, the day before the start
    assert grid["2026-Q3"] == mrules.MISSING  # begins on the start date itself
    assert grid["2026-Q4"] == mrules.DUE
    assert [f.period for f in codes(led, TODAY, "M01")] == ["2026-Q3"]
    months = cells(led, "theme_day")
    assert months["2026-06"] == mrules.PAPER and months["2026-07"] == mrules.MISSING
    assert cells(led, "org_life")["2026"] == mrules.PAPER  # the year began on paper
    assert not codes(led, TODAY, "M06") and not codes(led, TODAY, "M07")
    assert all(c == mrules.PAPER for c in cells(led, "assembly", 2025).values())
    assert mrules.STATE_LABELS[mrules.PAPER] == "纸质台账"


def test_a_month_straddling_the_start_is_paper(tmp_path: Path) -> None:
    led = two_members(tmp_path, "2026-07-15")
    months = cells(led, "theme_day")
    assert months["2026-07"] == mrules.PAPER and months["2026-08"] == mrules.MISSING
    assert sorted(f.period or "" for f in codes(led, TODAY, "M05"))[:1] == ["2026-08"]
    assert cells(led, "assembly")["2026-Q3"] == mrules.PAPER


def test_as_of_before_the_start_nothing_is_missing_and_after_it_the_periods_count(tmp_path: Path) -> None:
    led = two_members(tmp_path, "2026-07-01")
    before = [f for f in check(led, D(2026, 6, 30)) if f.code.startswith("M")]
    assert before == []
    assert [f.period for f in codes(led, D(2026, 10, 1), "M01")] == ["2026-Q3"]


def test_a_back_entered_meeting_before_the_start_is_held_and_not_a_late_entry(tmp_path: Path) -> None:
    att = [{"member_id": 1, "status": "present"}, {"member_id": 2, "status": "present"}]
    paper = {
        "id": 1,
        "kinds": ["assembly"],
        "date": "2026-05-10",
        "host_id": 1,
        "recorder_id": 2,
        "attendance": att,
        "entered_on": "2026-11-20",
    }
    late = {
        "id": 2,
        "kinds": ["assembly"],
        "date": "2026-07-10",
        "host_id": 1,
        "recorder_id": 2,
        "attendance": att,
        "entered_on": "2026-11-20",
    }
    led = two_members(tmp_path, "2026-07-01", meetings_=[paper, late])
    assert cells(led, "assembly")["2026-Q2"] == mrules.HELD
    assert [f.subject_id for f in codes(led, TODAY, "M10")] == [2]  # only the one held in the ledger era


# ------------------------------------------------------------------------------------------------ dues


def _payer(ledger: Ledger) -> int:
    mid = add_member(ledger, "王五", D(2015, 1, 1))
    base(ledger, mid, 2026, "3000.00")  # 15.00 a month
    return mid


def _states(ledger: Ledger, mid: int, as_of: dt.date = TODAY) -> dict[str, str | None]:
    row = next(r for r in dues.year_rows(ledger, 2026, as_of=as_of) if r.member_id == mid)
    return {c.month: c.opening for c in row.months}


def test_without_start_the_unpaid_year_is_arrears(ledger: Ledger) -> None:
    mid = _payer(ledger)
    assert [f.subject_id for f in codes(ledger, TODAY, "P03")] == [mid]


def test_dues_months_before_the_start_are_opening_not_unpaid(ledger: Ledger) -> None:
    mid = _payer(ledger)
    opening.set_records_start(ledger, D(2026, 10, 1))
    states = _states(ledger, mid)
    assert states["2026-09"] == "paper" and states["2026-10"] is None
    assert not codes(ledger, TODAY, "P03") and not codes(ledger, TODAY, "P02")
    streaks = {c.month: c.unpaid_streak for c in dues.year_rows(ledger, 2026)[0].months}
    assert streaks["2026-09"] == 0 and streaks["2026-10"] == 1  # the start month itself counts
    summary = dues.grid.year_summary(ledger, 2026)
    assert summary["due"] == "30.00" and summary["paid"] == "0.00"  # October and November only


def test_a_dues_month_straddling_the_start_is_opening(ledger: Ledger) -> None:
    mid = _payer(ledger)
    opening.set_records_start(ledger, D(2026, 10, 15))
    states = _states(ledger, mid)
    assert states["2026-10"] == "paper" and states["2026-11"] is None
    assert dues.year_rows(ledger, 2026)[0].streak == 0


def test_paid_through_from_paper_starts_arrears_from_the_truth(ledger: Ledger) -> None:
    mid = _payer(ledger)
    opening.set_records_start(ledger, D(2026, 10, 1))
    opening.save_openings(ledger, [opening.Opening(mid, dues_paid_through="2026-05")])
    states = _states(ledger, mid)
    assert states["2026-05"] == "paid" and states["2026-06"] is None  # June–September are real arrears
    p02 = codes(ledger, TODAY, "P02")
    assert [f.subject_id for f in p02] == [mid] and "5 个月" in p02[0].message  # June–October
    # as of a day before the start the paper's arrears are known too
    assert "4 个月" in codes(ledger, D(2026, 10, 31), "P02")[0].message  # June–September
    assert not codes(ledger, D(2026, 8, 31), "P02")  # June, July: two months
    opening.save_openings(ledger, [opening.Opening(mid, dues_paid_through="2026-12")])
    assert _states(ledger, mid)["2026-11"] == "paid"
    assert not codes(ledger, TODAY, "P02")
    assert dues.paid_up_to(ledger, mid) == "2026-12"


def test_paid_up_to_continues_from_paper_with_ledger_payments(ledger: Ledger) -> None:
    mid = _payer(ledger)
    opening.set_records_start(ledger, D(2026, 10, 1))
    opening.save_openings(ledger, [opening.Opening(mid, dues_paid_through="2026-09")])
    dues.record_payment(ledger, mid, ["2026-10"], D(2026, 10, 12))
    assert dues.paid_up_to(ledger, mid) == "2026-10"


# ------------------------------------------------------------------------------------------------ R03


def test_r03_window_reaching_before_the_start_is_unknown_without_opening_values(ledger: Ledger) -> None:
    mid = add_member(ledger, "赵六", D(2015, 1, 1))
    assert [f.subject_id for f in codes(ledger, TODAY, "R03")] == [mid]  # no start: as before
    opening.set_records_start(ledger, D(2026, 10, 1))
    assert not codes(ledger, TODAY, "R03")
    # the paper says: last 组织生活 in March, dues paid through February — a real gap
    opening.save_openings(
        ledger, [opening.Opening(mid, dues_paid_through="2026-02", last_org_life_on=D(2026, 3, 1))]
    )
    r03 = codes(ledger, TODAY, "R03")
    assert [f.subject_id for f in r03] == [mid] and "2026年3月1日" in r03[0].message
    opening.save_openings(
        ledger, [opening.Opening(mid, dues_paid_through="2026-02", last_org_life_on=D(2026, 9, 1))]
    )
    assert not codes(ledger, TODAY, "R03")


def test_r03_counts_once_the_whole_window_is_in_the_ledger(ledger: Ledger) -> None:
    mid = add_member(ledger, "钱七", D(2015, 1, 1))
    opening.set_records_start(ledger, D(2026, 5, 22))
    assert [f.subject_id for f in codes(ledger, TODAY, "R03")] == [mid]  # window starts on the start date
    assert not codes(ledger, D(2026, 5, 21), "R03")  # as of before the start


# ------------------------------------------------------------------------------------------------ other codes


def test_filter_drops_clocks_and_periods_that_ended_before_the_start(ledger: Ledger) -> None:
    opening.set_records_start(ledger, D(2026, 7, 1))
    items = [
        Finding("D17", "error", "applicant", 1, "甲", "x", None, D(2026, 6, 30)),
        Finding("D17", "error", "applicant", 2, "乙", "x", None, D(2026, 7, 1)),
        Finding("P05", "warning", "remittance", None, "2026年第二季度", "x", "2026-Q2", D(2026, 7, 10)),
        Finding("P05", "warning", "remittance", None, "2026年第一季度", "x", "2026-Q1", D(2026, 4, 10)),
        Finding("C01", "warning", "checklist_item", 3, "x", "x", "2025", None),
        Finding("C01", "warning", "checklist_item", 4, "x", "x", "2026", None),
        Finding("R01", "error", "member", 5, "x", "x"),
        Finding("P01", "warning", "dues", 6, "x", "x", "2026", D(2026, 3, 31)),
        Finding("P01", "warning", "dues", 7, "x", "x", "2025", D(2025, 3, 31)),
    ]
    kept = opening.filter_findings(ledger, TODAY, items)
    assert [(f.code, f.subject_id or f.subject_name) for f in kept] == [
        ("D17", 2),  # the Q2 remittance (due 10 July) is for dues collected on paper: dropped with the period
        ("C01", 4),
        ("R01", 5),
        ("P01", 6),
    ]
    assert opening.filter_findings(ledger, D(2026, 6, 30), items[-2:]) == []  # as of before the start
    assert opening.start.period_bounds("2026-H2") == (D(2026, 7, 1), D(2026, 12, 31))
    assert opening.start.period_bounds("2026-Q1") == (D(2026, 1, 1), D(2026, 3, 31))
    assert opening.start.period_bounds("nonsense") is None


# ------------------------------------------------------------------------------------------------ interchange


def test_round_trip_of_start_and_opening_balances(ledger: Ledger, tmp_path: Path) -> None:
    mid = _payer(ledger)
    opening.set_records_start(ledger, D(2026, 10, 1))
    opening.save_openings(
        ledger,
        [
            opening.Opening(
                mid, dues_paid_through="2026-08", last_org_life_on=D(2026, 9, 15), notes="据记录本"
            )
        ],
    )
    doc = interchange.dump(ledger)
    assert doc["settings"]["records_start_on"] == "2026-10-01"
    assert doc["opening_balances"] == [
        {
            "member_id": mid,
            "dues_paid_through": "2026-08",
            "last_org_life_on": "2026-09-15",
            "notes": "据记录本",
        }
    ]
    other = open_ledger(tmp_path / "copy.sqlite", create=True)
    interchange.load(other, json.loads(interchange.dumps(doc)))
    again = interchange.dump(other)
    doc.pop("exported_at"), again.pop("exported_at")
    assert again == doc
    assert [f.code for f in check(other, TODAY)] == [f.code for f in check(ledger, TODAY)]
    other.close()


@pytest.mark.parametrize(
    ("patch", "where"),
    [
        ({"opening_balances": [{"member_id": 1, "dues_paid_through": "2026-13"}]}, "opening_balances"),
        ({"opening_balances": [{"member_id": 9, "dues_paid_through": "2026-01"}]}, "opening_balances[0]"),
        ({"settings": {"records_start_on": "2026-02-30"}}, "records_start_on"),
    ],
)
def test_bad_opening_data_is_refused_with_where_and_nothing_written(
    tmp_path: Path, patch: dict[str, object], where: str
) -> None:
    doc = {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "中共测试支部"},
        "members": [{"id": 1, "name": "张一"}],
        **patch,
    }
    led = open_ledger(tmp_path / "bad.sqlite", create=True)
    with pytest.raises(InputRefused) as e:
        interchange.load(led, doc)
    assert any(where in (p.column or "") or where in str(p) for p in e.value.problems)
    assert interchange.is_empty(led)
    assert settings.get(led, "records_start_on") is None
    led.close()


def test_save_openings_refuses_a_bad_month_and_writes_nothing(ledger: Ledger) -> None:
    a = _payer(ledger)
    b = add_member(ledger, "孙八", D(2016, 1, 1))
    with pytest.raises(InputRefused) as e:
        opening.save_openings(
            ledger,
            [
                opening.Opening(a, dues_paid_through="2026-09"),
                opening.Opening(b, dues_paid_through="26年9月"),
            ],
        )
    assert "孙八" in e.value.problems[0].message and "YYYY-MM" in e.value.problems[0].message
    assert opening.list_openings(ledger) == []


def test_ledger_dues_json_marks_opening_months_and_check_respects_the_start(
    ledger: Ledger, tmp_path: Path
) -> None:
    import subprocess
    import sys

    mid = _payer(ledger)
    opening.set_records_start(ledger, D(2026, 10, 1))
    opening.save_openings(ledger, [opening.Opening(mid, dues_paid_through="2026-03")])
    months = {m["month"]: m for m in dues.dues_report(ledger, 2026)["members"][0]["months"]}
    assert months["2026-03"]["opening"] == "paid" and "opening" not in months["2026-04"]
    assert months["2026-04"]["unpaid_streak"] == 1
    path = ledger.path
    ledger.close()
    out = subprocess.run(
        [sys.executable, "-m", "exports.cli", "--db", str(path), "check", "--as-of", "2026-11-22", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    doc = json.loads(out.stdout)
    codes_ = sorted({f["code"] for f in doc["findings"]})
    assert "P03" in codes_  # April–October unpaid, known from paper: 7 months
    missing = [f for f in doc["findings"] if f["code"] in ("M01", "M02", "M03", "M04", "M05", "M06", "M07")]
    assert missing and all(f["period"] >= "2026-10" for f in missing)  # October on: the ledger's own months


def test_ledger_init_takes_the_start_date_and_refuses_a_future_one(tmp_path: Path) -> None:
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "exports.cli", *args], capture_output=True, text=True, check=False
        )

    path = tmp_path / "new.sqlite"
    ok = run("--db", str(path), "init", "--branch", "中共测试支部", "--records-start", "2026-11-01", "--json")
    assert ok.returncode == 0, ok.stderr
    doc = json.loads(run("--db", str(path), "dump").stdout)
    assert doc["settings"]["records_start_on"] == "2026-11-01"
    later = tmp_path / "later.sqlite"
    bad = run(
        "--db", str(later), "init", "--branch", "中共测试支部", "--records-start", "2026-12-01", "--json"
    )
    assert bad.returncode == 1 and "不能晚于今天" in json.loads(bad.stdout)["error"]["details"][0]["message"]
    assert not later.exists()


def test_the_monthly_collection_skips_a_month_paid_on_paper(ledger: Ledger) -> None:
    ahead = _payer(ledger)
    other = add_member(ledger, "周九", D(2016, 1, 1))
    base(ledger, other, 2026, "3000.00")
    opening.set_records_start(ledger, D(2026, 11, 1))
    opening.save_openings(
        ledger,
        [
            opening.Opening(ahead, dues_paid_through="2026-12"),
            opening.Opening(other, dues_paid_through="2026-10"),
        ],
    )
    res = dues.record_month(ledger, "2026-11", D(2026, 11, 20))
    assert res.already == ["王五"]
    paid = {r[0] for r in ledger.query("SELECT member_id FROM dues_payments WHERE month='2026-11'")}
    assert paid == {other}


def test_the_dues_register_shows_opening_months_and_no_arrears_for_them(
    ledger: Ledger, tmp_path: Path
) -> None:
    import openpyxl

    from exports.registry import Params, export

    a = _payer(ledger)
    b = add_member(ledger, "吴十", D(2016, 1, 1))
    base(ledger, b, 2026, "3000.00")
    opening.set_records_start(ledger, D(2026, 10, 1))
    opening.save_openings(ledger, [opening.Opening(a, dues_paid_through="2026-09")])
    out = tmp_path / "dues.xlsx"
    export(ledger, "dues", Params(year=2026, as_of=TODAY), "xlsx", out)
    ws = openpyxl.load_workbook(out).active
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r and r[1] in ("王五", "吴十")}
    head = next(r for r in ws.iter_rows(values_only=True) if r and "1月" in r)
    jan, sep, octo = head.index("1月"), head.index("9月"), head.index("10月")
    assert (
        rows["王五"][jan] == "期初已交" and rows["王五"][sep] == "期初已交" and rows["王五"][octo] == "未交"
    )
    assert rows["吴十"][sep] == "期初" and rows["吴十"][octo] == "未交"
    short = head.index("欠缴")
    assert rows["王五"][short] == 15 and rows["吴十"][short] == 15  # October only
    assert "交至2026年9月" in (rows["王五"][head.index("备注")] or "")


def _applicant_doc(start: str | None) -> dict[str, object]:
    steps = {
        "applied": "2025-01-05",
        "talked": "2025-01-20",
        "activist": "2025-03-01",
        "activist_filed": "2025-03-10",
        "candidate": "2026-03-15",
    }
    return {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "中共测试支部"},
        "members": [
            {"id": 1, "name": "甲", "category": "full", "joined_on": "2000-01-01", "full_on": "2001-01-01"}
        ],
        # from the paper 发展党员工作台账: the step dates; the 联系人 and the half-yearly 考察 not copied in
        "applicants": [{"id": 7, "name": "王某", "birth_date": "2000-05-01", "steps": steps}],
        "settings": {"records_start_on": start} if start else {},
    }


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (None, {"D06", "D07"}),  # no start: as before
        (
            "2026-11-01",
            set(),
        ),  # 联系人 due at the activist step (2025) and every 考察 window ended before the start
        ("2025-03-01", {"D06", "D07"}),  # the activist step on the start date itself: the ledger's own record
        ("2025-09-02", {"D07"}),  # activist before the start (D06 paper); the half-year 2 Sep–1 Mar counts
        ("2025-09-03", set()),  # …but not once it began before the start
    ],
)
def test_development_steps_whose_turn_came_before_the_start_are_paper(
    tmp_path: Path, start: str | None, expected: set[str]
) -> None:
    led = open_ledger(tmp_path / "dev.sqlite", create=True)
    interchange.load(led, _applicant_doc(start))
    found = [f for f in check(led, TODAY) if f.subject_type == "applicant"]
    assert {f.code for f in found} & {"D06", "D07"} == expected, [(f.code, f.due, f.message) for f in found]
    led.close()


def test_opening_balances_are_undone_in_one_step(ledger: Ledger) -> None:
    mid = _payer(ledger)
    opening.save_openings(
        ledger, [opening.Opening(mid, dues_paid_through="2026-09", last_org_life_on=D(2026, 9, 1))]
    )
    opening.save_openings(ledger, [opening.Opening(mid, dues_paid_through="2026-10")])
    assert opening.openings_by_member(ledger)[mid].last_org_life_on is None
    ledger.undo_last()
    assert opening.openings_by_member(ledger)[mid].dues_paid_through == "2026-09"
    ledger.undo_last()
    assert opening.list_openings(ledger) == []
