"""RULES.md §2.1–§2.3 as pure functions: the worked table row by row, every bracket edge ±0.01 元, rounding."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from db.rules import dues as r
from db.rules.dues import DuesRuleError, monthly_dues


# RULES.md §2.2 worked table (在职 unless noted): (kind, base, rate, amount shown, note)
@pytest.mark.parametrize(
    ("kind", "base", "rate", "computed", "proposed"),
    [
        ("employed", "2800.00", "0.005", "14.00", "14.00"),
        ("employed", "3000.00", "0.005", "15.00", "15.00"),  # boundary inclusive
        ("employed", "3000.01", "0.01", "30.00", "30.00"),  # cliff at the bracket edge (30.0001 → 30.00)
        ("employed", "4900.00", "0.01", "49.00", "49.00"),  # 12371 example
        ("employed", "5100.00", "0.015", "76.50", "76.50"),  # 12371 example
        ("employed", "10000.00", "0.015", "150.00", "150.00"),
        ("employed", "12000.00", "0.02", "240.00", "240.00"),
        ("employed", "60000.00", "0.02", "1200.00", "1000.00"),  # 2017通知: 一般不超过1000元
        ("annual_salary", "5000.00", "0.01", "50.00", "50.00"),  # 年薪 month, 12371 example
        ("annual_salary", "245000.00", "0.02", "4900.00", "1000.00"),  # 年薪 bonus month: flagged
        ("retired", "4500.00", "0.005", "22.50", "22.50"),
        ("retired", "6000.00", "0.01", "60.00", "60.00"),
    ],
)
def test_worked_table_rules_2_2(kind: str, base: str, rate: str, computed: str, proposed: str) -> None:
    a = monthly_dues(kind, D(base))
    assert a.rate == D(rate)
    assert a.computed == D(computed)
    assert a.proposed == D(proposed)
    assert a.above_cap == (D(computed) > D("1000.00"))
    assert str(a.computed) == computed  # two places, as the contract's strings


@pytest.mark.parametrize("kind", ["student", "unemployed"])
def test_worked_table_fixed_0_20(kind: str) -> None:
    a = monthly_dues(kind)
    assert a.rate is None and a.computed == D("0.20")


# Every bracket edge ±0.01 元, 在职 (RULES.md §2.2, upper bounds inclusive, 全额累进)
@pytest.mark.parametrize(
    ("base", "rate", "amount"),
    [
        ("2999.99", "0.005", "15.00"),  # 14.99995 → 15.00
        ("3000.00", "0.005", "15.00"),
        ("3000.01", "0.01", "30.00"),
        ("4999.99", "0.01", "50.00"),  # 49.9999 → 50.00
        ("5000.00", "0.01", "50.00"),
        ("5000.01", "0.015", "75.00"),  # 75.00015 → 75.00
        ("9999.99", "0.015", "150.00"),  # 149.99985 → 150.00
        ("10000.00", "0.015", "150.00"),
        ("10000.01", "0.02", "200.00"),  # 200.0002 → 200.00
    ],
)
def test_employed_bracket_edges(base: str, rate: str, amount: str) -> None:
    for kind in ("employed", "annual_salary", "irregular"):
        a = monthly_dues(kind, D(base))
        assert (a.rate, a.computed) == (D(rate), D(amount)), kind


# 离退休 brackets: ≤5000 → 0.5%, >5000 → 1%
@pytest.mark.parametrize(
    ("base", "rate", "amount"),
    [
        ("4999.99", "0.005", "25.00"),
        ("5000.00", "0.005", "25.00"),
        ("5000.01", "0.01", "50.00"),
        ("3000.01", "0.005", "15.00"),  # the 在职 edge is not a retiree edge
        ("10000.01", "0.01", "100.00"),
    ],
)
def test_retired_bracket_edges(base: str, rate: str, amount: str) -> None:
    a = monthly_dues("retired", D(base))
    assert (a.rate, a.computed) == (D(rate), D(amount))


def test_whole_base_at_one_rate_not_excess_progressive() -> None:
    # 全额累进: 5100 × 1.5% = 76.50, not 3000×0.5% + 2000×1% + 100×1.5% = 36.50
    assert monthly_dues("employed", D("5100")).computed == D("76.50")


@pytest.mark.parametrize(
    ("base", "cent", "jiao"),
    [
        ("2901.00", "14.51", "14.50"),  # 14.505 — exactly half a 分 rounds up
        ("2899.00", "14.50", "14.50"),  # 14.495 → 14.50 (half up)
        ("3001.50", "30.02", "30.00"),  # 30.015 → 30.02
        ("2990.00", "14.95", "15.00"),  # 14.95 — exactly half a 角 rounds up
        ("2970.00", "14.85", "14.90"),
        ("2810.00", "14.05", "14.10"),
    ],
)
def test_rounding_half_up_configurable(base: str, cent: str, jiao: str) -> None:
    assert monthly_dues("employed", D(base), "half_up_cent").computed == D(cent)
    assert monthly_dues("employed", D(base), "half_up_jiao").computed == D(jiao)
    assert str(monthly_dues("employed", D(base), "half_up_jiao").computed).count(".") == 1
    assert len(str(monthly_dues("employed", D(base), "half_up_jiao").computed).split(".")[1]) == 2


def test_cap_exactly_and_above() -> None:
    # 50000 × 2% = 1000.00: not above the cap; 50000.50 × 2% = 1000.01: above, P04
    assert not monthly_dues("employed", D("50000.00")).above_cap
    a = monthly_dues("employed", D("50000.50"))
    assert a.above_cap and a.computed == D("1000.01") and a.proposed == D("1000.00")
    # a branch whose cap setting differs
    assert monthly_dues("employed", D("60000"), cap=D("2000.00")).proposed == D("1200.00")
    # the confirmed amount lies between the cap and the rule amount
    assert r.cap_choice_ok(D("1000.00"), D("1200.00"), D("1000.00"))
    assert r.cap_choice_ok(D("1200.00"), D("1200.00"), D("1000.00"))
    assert not r.cap_choice_ok(D("999.99"), D("1200.00"), D("1000.00"))
    assert not r.cap_choice_ok(D("1200.01"), D("1200.00"), D("1000.00"))


def test_annual_salary_month_is_that_months_pay() -> None:
    # 年薪制: each month's own pay is the base (RULES.md §2.1, 党费规定 第三条)
    months = {"2026-01": "5000.00", "2026-06": "8000.00", "2026-12": "245000.00"}
    got = {m: monthly_dues("annual_salary", D(pay)).computed for m, pay in months.items()}
    assert got == {"2026-01": D("50.00"), "2026-06": D("120.00"), "2026-12": D("4900.00")}


def test_farmer_range_and_approvals() -> None:
    assert monthly_dues("farmer", chosen=D("0.20")).computed == D("0.20")
    assert monthly_dues("farmer", chosen=D("1.00")).computed == D("1.00")
    for bad in ("0.19", "1.01"):
        with pytest.raises(DuesRuleError, match="0.20–1.00"):
            monthly_dues("farmer", chosen=D(bad))
    with pytest.raises(DuesRuleError, match="批准"):
        monthly_dues("exempt")
    with pytest.raises(DuesRuleError, match="批准"):
        monthly_dues("reduced", chosen=D("5.00"))
    assert monthly_dues("exempt", approval_ref="园区党委〔2026〕3号").computed == D("0.00")
    assert monthly_dues("reduced", D("6000"), chosen=D("30.00"), approval_ref="批复").computed == D("30.00")
    with pytest.raises(DuesRuleError, match="不低于"):
        monthly_dues("reduced", D("6000"), chosen=D("90.00"), approval_ref="批复")


def test_base_worksheet_subtracts_tax_and_own_contributions() -> None:
    # RULES.md §2.1: Σ included items − 个税 − 个人社保/公积金/年金
    items = {
        "basic": D("6000"),
        "post": D("2500"),
        "skill": D("500"),
        "allowance": D("300"),
        "bonus": D("1200"),
    }
    deds = {
        "pension": D("840"),
        "medical": D("210"),
        "unemployment": D("52.50"),
        "housing_fund": D("735"),
        "annuity": D("0"),
        "income_tax": D("262.50"),
    }
    base = r.base_from_worksheet(items, deds)
    assert base == D("8400.00")
    assert monthly_dues("employed", base).computed == D("126.00")
    with pytest.raises(DuesRuleError, match="大于"):
        r.base_from_worksheet({"basic": D("100")}, {"income_tax": D("200")})


def test_money_never_float() -> None:
    with pytest.raises(TypeError):
        r.money(0.1)
    assert r.money("1,234.5") == D("1234.50")
    with pytest.raises(DuesRuleError):
        r.money("abc")


def test_rate_texts() -> None:
    assert r.rate_text(D("0.005")) == "0.005"
    assert r.rate_text(D("0.010")) == "0.01"
    assert r.rate_text(D("0.02")) == "0.02"
    assert r.rate_text(None) is None
    assert r.rate_percent(D("0.015")) == "1.5%"


@pytest.mark.parametrize(
    ("month", "paid", "ok"),
    [
        ("2026-01", "2026-07", True),  # 补交 6 months late: at the limit
        ("2025-12", "2026-07", False),  # 7 months: beyond
        ("2026-07", "2026-07", True),
        ("2027-01", "2026-07", True),  # 预交 6 months ahead: at the limit
        ("2027-02", "2026-07", False),  # 7 months ahead: beyond
    ],
)
def test_makeup_and_prepay_limits_rules_2_3(month: str, paid: str, ok: bool) -> None:
    problem = r.timing_problem(month, paid, 6, 6)
    assert (problem is None) == ok
    if not ok:
        assert "上限 6 个月" in (problem or "")
