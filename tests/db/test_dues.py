"""党费 ledger (RULES.md §2.3): who owes which months, the monthly action, 补交/预交 limits, arrears streaks,
remittance, the `ledger dues --json` shape and the interchange round trip."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from db import dues, interchange, members
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from db.findings import check

D1 = dt.date


def add_member(
    ledger: Ledger,
    name: str,
    joined: dt.date,
    *,
    category: str = "full",
    in_branch_since: dt.date | None = None,
) -> int:
    m = members.Member(
        name=name,
        category=category,
        joined_on=joined,
        full_on=None if category == "probationary" else None,
        in_branch_since=in_branch_since,
    )
    return members.add(ledger, m)


def base(ledger: Ledger, mid: int, year: int, amount_base: str, kind: str = "employed", **kw: object) -> int:
    entry = dues.BaseEntry(member_id=mid, year=year, kind=kind, base=D(amount_base), **kw)  # type: ignore[arg-type]
    return dues.save_base(ledger, entry, on=D1(year, 1, 15))


def months_of(report: dict, mid: int) -> dict[str, tuple[str, str, int]]:
    m = next(x for x in report["members"] if x["member_id"] == mid)
    return {c["month"]: (c["due"], c["paid"], c["unpaid_streak"]) for c in m["months"]}


def test_probationary_member_owes_from_the_branch_meeting_month(ledger: Ledger) -> None:
    # RULES.md §2.3: 预备党员 pay from the 支部大会 date; PRACTICE: from that month
    mid = add_member(ledger, "新同志", D1(2025, 3, 18), category="probationary")
    base(ledger, mid, 2025, "5100.00")
    rep = dues.dues_report(ledger, 2025, as_of=D1(2026, 1, 5))
    months = months_of(rep, mid)
    assert months["2025-01"][0] == "0.00" and months["2025-02"][0] == "0.00"
    assert months["2025-03"][0] == "76.50"  # joined on the 18th: owes March
    assert months["2025-12"][0] == "76.50"
    row = rep["members"][0]
    assert row["total_due"] == "765.00"  # 10 months × 76.50
    assert row["rate"] == "0.015" and row["base"] == "5100.00" and row["monthly_due"] == "76.50"


def test_member_transferring_out_in_june_owes_january_to_june(ledger: Ledger) -> None:
    mid = add_member(ledger, "调走的", D1(2010, 5, 1))
    base(ledger, mid, 2025, "2800.00")
    members.change_status(ledger, mid, "transferred_out", D1(2025, 6, 15), "工作调动")
    rep = dues.dues_report(ledger, 2025, as_of=D1(2026, 1, 5))
    months = months_of(rep, mid)
    assert [months[f"2025-{m:02d}"][0] for m in range(1, 13)] == ["14.00"] * 6 + ["0.00"] * 6
    assert rep["members"][0]["total_due"] == "84.00"


def test_member_transferring_in_owes_from_arrival_month(ledger: Ledger) -> None:
    mid = add_member(ledger, "转来的", D1(2012, 7, 1), in_branch_since=D1(2025, 9, 3))
    base(ledger, mid, 2025, "3000.00")
    months = months_of(dues.dues_report(ledger, 2025, as_of=D1(2026, 1, 5)), mid)
    assert months["2025-08"][0] == "0.00" and months["2025-09"][0] == "15.00"


def test_record_month_one_action_with_exceptions(ledger: Ledger) -> None:
    ids = [add_member(ledger, f"党员{i}", D1(2015, 1, 1)) for i in range(5)]
    for mid in ids:
        base(ledger, mid, 2026, "4900.00")
    res = dues.record_month(
        ledger,
        "2026-03",
        D1(2026, 3, 12),
        collector="组织委员",
        unpaid=[ids[0]],
        amounts={ids[1]: D("100.00")},
    )
    assert res.recorded == 4 and res.unpaid == ["党员0"]
    assert res.total == D("49.00") * 3 + D("100.00")
    rep = months_of(dues.dues_report(ledger, 2026, as_of=D1(2026, 4, 1)), ids[1])
    assert rep["2026-03"] == ("49.00", "100.00", 0)
    # doing it again records nobody twice
    again = dues.record_month(ledger, "2026-03", D1(2026, 3, 20))
    assert again.recorded == 1  # only 党员0, who had not paid
    assert len(again.already) == 4
    # the operation is one undoable step
    ledger.undo_last()
    assert len(dues.payments_of(ledger, month="2026-03")) == 4


def test_makeup_and_prepay_at_and_beyond_limits(ledger: Ledger) -> None:
    mid = add_member(ledger, "补交者", D1(2015, 1, 1))
    base(ledger, mid, 2025, "3000.00")
    base(ledger, mid, 2026, "3000.00")
    paid_on = D1(2026, 7, 10)
    # 补交: January is 6 months before July — at the limit (default makeup_max_months = 6)
    dues.record_payment(ledger, mid, ["2026-01"], paid_on)
    # December 2025 is 7 months back — refused with the reason, nothing written
    with pytest.raises(InputRefused, match="超过补交上限 6 个月"):
        dues.record_payment(ledger, mid, ["2025-12", "2026-02"], paid_on)
    assert [p.month for p in dues.payments_of(ledger, mid)] == ["2026-01"]
    # 预交: January 2027 is 6 months ahead — at the limit; February 2027 beyond
    dues.record_payment(ledger, mid, ["2027-01"], paid_on)
    with pytest.raises(InputRefused, match="超过预交上限 6 个月"):
        dues.record_payment(ledger, mid, ["2027-02"], paid_on)
    # no 2027 核定 yet: the 2026 amount carries on
    assert dues.payments_of(ledger, mid, month="2027-01")[0].amount == D("15.00")
    # the limits are settings
    from db import settings

    settings.update(ledger, {"prepay_max_months": 7})
    dues.record_payment(ledger, mid, ["2027-02"], paid_on)
    # an already paid month is refused
    with pytest.raises(InputRefused, match="已交清"):
        dues.record_payment(ledger, mid, ["2026-01"], paid_on)


def test_quarterly_payment_needs_consent(ledger: Ledger) -> None:
    a = add_member(ledger, "按季", D1(2015, 1, 1))
    b = add_member(ledger, "按月", D1(2015, 1, 1))
    base(ledger, a, 2026, "5000.00", quarterly=True)
    base(ledger, b, 2026, "5000.00")
    ids = dues.record_quarter(ledger, a, 2026, 1, D1(2026, 3, 25))
    assert len(ids) == 3
    with pytest.raises(InputRefused, match="未经支部同意"):
        dues.record_quarter(ledger, b, 2026, 1, D1(2026, 3, 25))
    # the monthly action leaves quarterly payers alone
    res = dues.record_month(ledger, "2026-04", D1(2026, 4, 10))
    assert res.quarterly == ["按季"] and res.recorded == 1
    # a quarterly payer is not in arrears before the quarter is over
    rep = months_of(dues.dues_report(ledger, 2026, as_of=D1(2026, 6, 20)), a)
    assert rep["2026-04"][2] == 0 and rep["2026-05"][2] == 0


def test_streaks_across_a_year_boundary_and_findings(ledger: Ledger) -> None:
    mid = add_member(ledger, "欠交者", D1(2015, 1, 1))
    ok = add_member(ledger, "按时者", D1(2015, 1, 1))
    for y in (2025, 2026):
        base(ledger, mid, y, "3000.00")
        base(ledger, ok, y, "3000.00")
    for m in range(1, 11):
        dues.record_payment(ledger, mid, [f"2025-{m:02d}"], D1(2025, m, 10))
    for y, last in ((2025, 12), (2026, 3)):
        for m in range(1, last + 1):
            dues.record_payment(ledger, ok, [f"{y}-{m:02d}"], D1(y, m, 10))
    # unpaid: 2025-11, 2025-12, 2026-01, 2026-02, 2026-03 ...
    rep = months_of(dues.dues_report(ledger, 2026, as_of=D1(2026, 4, 2)), mid)
    assert rep["2026-01"][2] == 3 and rep["2026-03"][2] == 5
    assert rep["2026-04"][2] == 0  # April is not over yet
    rep25 = months_of(dues.dues_report(ledger, 2025, as_of=D1(2026, 4, 2)), mid)
    assert rep25["2025-10"][2] == 0 and rep25["2025-12"][2] == 2
    f = [x for x in check(ledger, D1(2026, 4, 2)) if x.code in ("P02", "P03")]
    assert [(x.code, x.subject_id, x.period) for x in f] == [("P02", mid, "2026-03")]
    assert "连续 5 个月" in f[0].message
    f = [x for x in check(ledger, D1(2026, 5, 2)) if x.code in ("P02", "P03")]
    assert [(x.code, x.severity) for x in f] == [("P03", "error")]
    assert "不会自动处理" in f[0].message
    # nothing automatic happened: the member is still on the roster
    assert members.get(ledger, mid).status == "active"
    # paid_up_to for the 介绍信
    assert dues.paid_up_to(ledger, mid) == "2025-10"
    assert dues.paid_up_to(ledger, ok) == "2026-03"
    assert dues.last_payment(ledger)[ok] == D1(2026, 3, 10)


def test_exempt_months_break_no_rule(ledger: Ledger) -> None:
    mid = add_member(ledger, "困难党员", D1(2015, 1, 1))
    dues.save_base(ledger, dues.BaseEntry(mid, 2026, "exempt", approval_ref="园区党委〔2026〕2号"))
    rep = months_of(dues.dues_report(ledger, 2026, as_of=D1(2026, 12, 31)), mid)
    assert all(v == ("0.00", "0.00", 0) for v in rep.values())
    with pytest.raises(InputRefused, match="批准"):
        dues.save_base(ledger, dues.BaseEntry(mid, 2025, "exempt"))


def test_p01_after_march_and_copy_then_fix(ledger: Ledger) -> None:
    mid = add_member(ledger, "甲", D1(2015, 1, 1))
    base(ledger, mid, 2025, "60000.00", confirmed_amount=D("1000.00"))
    codes = [f.code for f in check(ledger, D1(2026, 3, 31))]
    assert "P01" not in codes  # not before 31 March
    assert "P01" in [f.code for f in check(ledger, D1(2026, 4, 1))]
    assert dues.copy_bases(ledger, 2026) == 1
    drafts = dues.bases_of_year(ledger, 2026)
    assert drafts[0].draft and drafts[0].amount == D("1000.00") and drafts[0].cap_confirmed_on is None
    found = check(ledger, D1(2026, 4, 1))
    assert "P01" in [f.code for f in found]  # a copy awaiting review is not yet a 核定
    assert "P04" in [f.code for f in found]  # above the cap: confirm again for the new year
    assert dues.fix_bases(ledger, 2026, on=D1(2026, 2, 1)) == 1
    dues.confirm_cap(ledger, drafts[0].id or 0, D("1200.00"), on=D1(2026, 2, 1))
    codes = [f.code for f in check(ledger, D1(2026, 4, 1))]
    assert "P01" not in codes and "P04" not in codes
    assert dues.dues_report(ledger, 2026)["members"][0]["monthly_due"] == "1200.00"


def test_cap_needs_confirmation_and_is_shown(ledger: Ledger) -> None:
    mid = add_member(ledger, "高薪", D1(2015, 1, 1))
    bid = base(ledger, mid, 2026, "60000.00")
    b = dues.get_base(ledger, bid)
    assert b.amount == D("1000.00") and b.cap_confirmed_on is None
    p04 = [f for f in check(ledger, D1(2026, 5, 1)) if f.code == "P04"]
    assert len(p04) == 1 and "1,200.00" in p04[0].message
    with pytest.raises(InputRefused, match="之间"):
        dues.confirm_cap(ledger, bid, D("900.00"))


def test_annual_salary_month_pay(ledger: Ledger) -> None:
    mid = add_member(ledger, "年薪", D1(2015, 1, 1))
    base(ledger, mid, 2026, "5000.00", kind="annual_salary")
    dues.set_month_pay(ledger, mid, "2026-12", D("245000.00"))
    dues.set_month_pay(ledger, mid, "2026-06", D("8000.00"))
    rep = months_of(dues.dues_report(ledger, 2026, as_of=D1(2027, 1, 5)), mid)
    assert rep["2026-01"][0] == "50.00" and rep["2026-06"][0] == "120.00" and rep["2026-12"][0] == "1000.00"
    assert any(f.code == "P04" and f.period == "2026-12" for f in check(ledger, D1(2026, 12, 31)))
    other = add_member(ledger, "在职", D1(2015, 1, 1))
    base(ledger, other, 2026, "5000.00")
    with pytest.raises(InputRefused, match="年薪制"):
        dues.set_month_pay(ledger, other, "2026-03", D("9000"))


def test_mid_year_change_needs_reason_and_keeps_history(ledger: Ledger) -> None:
    mid = add_member(ledger, "涨薪", D1(2015, 1, 1))
    base(ledger, mid, 2026, "4900.00")
    entry = dues.BaseEntry(mid, 2026, "employed", base=D("5100.00"))
    with pytest.raises(InputRefused, match="原因"):
        dues.save_base(ledger, entry, valid_from="2026-07")
    with pytest.raises(InputRefused, match="原因"):
        dues.save_base(ledger, entry)  # changing the fixed January row also needs a reason
    dues.save_base(ledger, entry, valid_from="2026-07", reason="7月起岗位调整")
    hist = dues.bases_of_member(ledger, mid)
    assert [(h.valid_from, h.amount) for h in hist] == [(None, D("49.00")), ("2026-07", D("76.50"))]
    rep = months_of(dues.dues_report(ledger, 2026, as_of=D1(2027, 1, 5)), mid)
    assert rep["2026-06"][0] == "49.00" and rep["2026-07"][0] == "76.50"
    assert dues.dues_report(ledger, 2026)["members"][0]["total_due"] == str(D("49.00") * 6 + D("76.50") * 6)


def test_remittance_overdue_and_late(ledger: Ledger) -> None:
    mid = add_member(ledger, "甲", D1(2015, 1, 1))
    base(ledger, mid, 2026, "3000.00")
    for m in (1, 2, 3, 4):
        dues.record_payment(ledger, mid, [f"2026-{m:02d}"], D1(2026, m, 10))
    # quarterly by default, due on the 10th of the month after the quarter
    assert not [f for f in check(ledger, D1(2026, 4, 10)) if f.code == "P05"]
    p05 = [f for f in check(ledger, D1(2026, 4, 11)) if f.code == "P05"]
    assert [(f.period, f.due) for f in p05] == [("2026-Q1", D1(2026, 4, 10))]
    dues.save_remittance(
        ledger,
        dues.Remittance(period="2026-q1", amount=D("45.00"), paid_on=D1(2026, 4, 15), reference="回单 0415"),
    )
    assert not [f for f in check(ledger, D1(2026, 4, 20)) if f.code == "P05"]
    rows = dues.remittance_rows(ledger, 2026, as_of=D1(2026, 7, 11))
    q1 = rows[0]
    assert (q1.period, q1.collected, q1.remitted, q1.late, q1.overdue) == (
        "2026-Q1",
        D("45.00"),
        D("45.00"),
        True,
        False,
    )
    assert rows[1].period == "2026-Q2" and rows[1].overdue
    with pytest.raises(InputRefused, match="上缴期间"):
        dues.save_remittance(ledger, dues.Remittance(period="2026-Q5", amount=D("1.00")))
    summary = dues.year_summary(ledger, 2026)
    assert summary["remitted"] == "45.00" and summary["paid"] == "60.00"


def _built(ledger: Ledger) -> tuple[int, int]:
    a = add_member(ledger, "张三", D1(2015, 1, 1))
    b = add_member(ledger, "李四", D1(2025, 3, 18), category="probationary")
    ws = dues.Worksheet(
        items={"basic": D("6000"), "bonus": D("1000")},
        deductions={"income_tax": D("100"), "pension": D("480")},
    )
    dues.save_base(ledger, dues.BaseEntry(a, 2025, "employed", worksheet=ws), on=D1(2025, 1, 20))
    dues.save_base(ledger, dues.BaseEntry(b, 2025, "retired", base=D("4500")), on=D1(2025, 3, 20))
    dues.save_base(
        ledger,
        dues.BaseEntry(a, 2025, "employed", base=D("9000")),
        valid_from="2025-10",
        reason="岗位调整",
        on=D1(2025, 10, 1),
    )
    c = add_member(ledger, "王年薪", D1(2011, 1, 1))
    dues.save_base(ledger, dues.BaseEntry(c, 2025, "annual_salary", base=D("5000")), on=D1(2025, 1, 20))
    dues.set_month_pay(
        ledger, c, "2025-12", D("245000.00"), confirmed_amount=D("4900.00"), on=D1(2025, 12, 20)
    )
    dues.record_month(ledger, "2025-03", D1(2025, 3, 28), method="wechat", collector="王五")
    dues.save_remittance(
        ledger,
        dues.Remittance(period="2025-Q1", amount=D("118.20"), paid_on=D1(2025, 4, 8), reference="BK-1"),
    )
    return a, b


def test_ledger_dues_json_shape(ledger: Ledger, tmp_path: Path) -> None:
    a, b = _built(ledger)
    path = ledger.path
    ledger.close()
    out = subprocess.run(
        [sys.executable, "-m", "exports.cli", "--db", str(path), "dues", "--year", "2025", "--json"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"year", "members"} and doc["year"] == 2025
    first = doc["members"][0]
    assert set(first) == {
        "member_id",
        "name",
        "kind",
        "base",
        "rate",
        "monthly_due",
        "months",
        "total_due",
        "total_paid",
    }
    assert (first["member_id"], first["kind"], first["base"], first["rate"], first["monthly_due"]) == (
        a,
        "employed",
        "9000.00",
        "0.015",
        "135.00",
    )
    assert len(first["months"]) == 12
    assert set(first["months"][0]) == {"month", "due", "paid", "unpaid_streak"}
    # 6420 × 1.5% = 96.30 for Jan–Sep; 9000 × 1.5% = 135.00 from October
    assert first["months"][0] == {"month": "2025-01", "due": "96.30", "paid": "0.00", "unpaid_streak": 1}
    assert first["months"][2]["paid"] == "96.30"
    assert first["total_due"] == "1271.70" and first["total_paid"] == "96.30"
    second = doc["members"][1]
    assert (second["kind"], second["rate"], second["months"][1]["due"], second["months"][2]["due"]) == (
        "retired",
        "0.005",
        "0.00",
        "22.50",
    )
    for m in doc["members"]:
        for c in m["months"]:
            for k in ("due", "paid"):
                assert isinstance(c[k], str) and c[k].count(".") == 1 and len(c[k].split(".")[1]) == 2


def test_interchange_round_trip(ledger: Ledger, tmp_path: Path) -> None:
    _built(ledger)
    doc = interchange.dump(ledger)
    assert doc["dues_bases"][0]["worksheet"]["items"]["basic"] == "6000.00"
    assert doc["dues_payments"][0]["method"] == "wechat"
    assert doc["remittances"][0]["period"] == "2025-Q1"
    assert interchange.schema_problems(doc) == []
    other = open_ledger(tmp_path / "copy.sqlite", create=True)
    try:
        interchange.load(other, json.loads(json.dumps(doc)))
        again = interchange.dump(other)
        for k in ("dues_bases", "dues_payments", "remittances", "members"):
            assert again[k] == doc[k], k
        assert dues.dues_report(other, 2025, as_of=D1(2026, 1, 1)) == dues.dues_report(
            ledger, 2025, as_of=D1(2026, 1, 1)
        )
    finally:
        other.close()


def test_load_minimum_fields_computes_amounts(tmp_path: Path) -> None:
    doc = {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "外来支部"},
        "members": [
            {"id": 1, "name": "甲", "joined_on": "2010-01-01"},
            {"id": 2, "name": "乙", "joined_on": "2010-01-01"},
        ],
        "dues_bases": [
            {
                "member_id": 1,
                "year": 2026,
                "kind": "employed",
                "base": "5100.00",
                "amount": None,
                "approval_ref": None,
            },
            {
                "member_id": 2,
                "year": 2026,
                "kind": "student",
                "base": None,
                "amount": None,
                "approval_ref": None,
            },
        ],
        "dues_payments": [
            {
                "member_id": 1,
                "month": "2026-01",
                "amount": "76.50",
                "paid_on": "2026-01-09",
                "method": "现金",
                "collector": "丙",
            }
        ],
        "remittances": [{"period": "2026-Q1", "amount": "76.50", "paid_on": "2026-04-09", "reference": None}],
    }
    led = open_ledger(tmp_path / "min.sqlite", create=True)
    try:
        interchange.load(led, doc)
        rep = dues.dues_report(led, 2026, as_of=D1(2026, 3, 1))
        assert [m["monthly_due"] for m in rep["members"]] == ["76.50", "0.20"]
        assert rep["members"][0]["months"][0]["paid"] == "76.50"
        assert rep["members"][1]["rate"] is None
    finally:
        led.close()


def test_load_refuses_bad_dues_records(tmp_path: Path) -> None:
    doc = {
        "format": "branch-ledger",
        "version": 1,
        "branch": {"name": "外来支部"},
        "members": [{"id": 1, "name": "甲"}],
        "dues_bases": [
            {
                "member_id": 1,
                "year": 2026,
                "kind": "exempt",
                "base": None,
                "amount": None,
                "approval_ref": None,
            }
        ],
    }
    led = open_ledger(tmp_path / "bad.sqlite", create=True)
    try:
        with pytest.raises(InputRefused, match="批准"):
            interchange.load(led, doc)
        assert not led.scalar("SELECT count(*) FROM members")
        doc["dues_bases"][0]["kind"] = "rich"
        with pytest.raises(InputRefused, match="dues_bases"):
            interchange.load(led, doc)
    finally:
        led.close()
