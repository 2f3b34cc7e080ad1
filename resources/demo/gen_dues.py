"""Demo records of issue 4 (党费): a 核定 per member and year (this year with the base worksheet), most months paid
around the 10th, one member 4 months behind (P02), one 7 months behind (P03), a 年薪制 member with a bonus month,
one member above the 1000 元 line still to be confirmed (P04), and quarterly remittances with one paid late.

Uses its own random generator so that adding dues does not shift the other areas' demo records.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

SEED = 4_2026


def _d(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


def _spans(p: dict[str, Any]) -> tuple[dt.date, dt.date | None]:
    start = _d(p.get("in_branch_since")) or _d(p["joined_on"])
    assert start is not None
    end = _d(p.get("status_changed_on")) if p["status"] != "active" else None
    return start, end


def _belongs(p: dict[str, Any], y: int, m: int) -> bool:
    from db.dates import month_end

    start, end = _spans(p)
    first = dt.date(y, m, 1)
    return start <= month_end(first) and (end is None or end > first)


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    from db.rules import dues as rules

    r = random.Random(SEED)
    today: dt.date = ctx["today"]
    start_year: int = ctx["start_year"]
    people = doc["members"]
    collector = next((p["name"] for p in people if p.get("post") == "组织委员"), people[0]["name"])
    active = [p for p in people if p["status"] == "active" and p["category"] == "full"]
    settled = [p for p in active if _spans(p)[0].year < start_year]
    p02 = settled[-2]  # 4 months behind
    p03 = settled[-6]  # 7 months behind
    annual = active[1]  # 年薪制 (e.g. the deputy, a 技术总监)
    high = settled[-10]  # above the 1000 元 line this year, to be confirmed

    bases: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    bid = 0
    for p in people:
        start, end = _spans(p)
        pay = Decimal(r.randrange(38, 150) * 100)  # 税后 monthly pay at the first year
        for y in range(start_year, today.year + 1):
            if not any(_belongs(p, y, m) for m in range(1, 13)):
                continue
            pay = (pay * Decimal("1.04")).quantize(Decimal("100"))
            kind = "annual_salary" if p is annual else "employed"
            base = Decimal("52000.00") if (p is high and y == today.year) else pay
            if p is annual:
                base = Decimal("18000.00")
            worksheet = None
            if y == today.year:
                # 应计项目 and 扣除项目 that give exactly this 税后 base (RULES.md §2.1)
                tax = (base * Decimal("0.04")).quantize(Decimal("0.01"))
                fund = (base * Decimal("0.07")).quantize(Decimal("0.01"))
                pension = (base * Decimal("0.08")).quantize(Decimal("0.01"))
                medical = (base * Decimal("0.02")).quantize(Decimal("0.01"))
                unemployment = (base * Decimal("0.005")).quantize(Decimal("0.01"))
                gross = base + tax + fund + pension + medical + unemployment
                basic = (gross * Decimal("0.55")).quantize(Decimal("0.01"))
                post = (gross * Decimal("0.25")).quantize(Decimal("0.01"))
                allowance = (gross * Decimal("0.05")).quantize(Decimal("0.01"))
                bonus = gross - basic - post - allowance
                worksheet = {
                    "items": {
                        "basic": str(basic),
                        "post": str(post),
                        "allowance": str(allowance),
                        "bonus": str(bonus),
                    },
                    "deductions": {
                        "pension": str(pension),
                        "medical": str(medical),
                        "unemployment": str(unemployment),
                        "housing_fund": str(fund),
                        "income_tax": str(tax),
                    },
                }
            calc = rules.monthly_dues(kind, base)
            first_month = max(dt.date(y, 1, 1), dt.date(start.year, start.month, 1))
            fixed_on = max(dt.date(y, 1, r.randrange(10, 28)), first_month)
            bid += 1
            month_bases = []
            if p is annual:
                for m in (6, 12):
                    if dt.date(y, m, 1) < today:
                        bonus_pay = Decimal(r.choice([60000, 80000, 120000]))
                        mc = rules.monthly_dues("annual_salary", bonus_pay)
                        month_bases.append(
                            {
                                "month": f"{y}-{m:02d}",
                                "base": f"{bonus_pay:.2f}",
                                "amount": f"{mc.proposed:.2f}",
                                "cap_confirmed_on": f"{y}-{m:02d}-05" if mc.above_cap else None,
                                "notes": "绩效年薪兑现月",
                            }
                        )
            bases.append(
                {
                    "id": bid,
                    "member_id": p["id"],
                    "year": y,
                    "kind": kind,
                    "base": f"{base:.2f}",
                    "amount": f"{calc.proposed:.2f}",
                    "approval_ref": None,
                    "valid_from": None,
                    "reason": None,
                    "cap_confirmed_on": None,
                    "quarterly": False,
                    "draft": False,
                    "fixed_on": fixed_on.isoformat(),
                    "worksheet": worksheet,
                    "month_bases": month_bases,
                    "notes": None,
                }
            )
            amounts = {m: calc.proposed for m in range(1, 13)}
            for mb in month_bases:
                amounts[int(mb["month"][5:])] = Decimal(mb["amount"])
            for m in range(1, 13):
                if not _belongs(p, y, m):
                    continue
                paid_on = dt.date(y, m, r.randrange(8, 13))
                if r.random() < 0.04:  # now and then paid with next month's collection (补交)
                    paid_on = dt.date(y + (m == 12), m % 12 + 1, r.randrange(8, 13))
                if paid_on > today:
                    continue
                months_behind = (today.year - y) * 12 + today.month - m
                if p is p02 and 0 <= months_behind <= 4:
                    continue
                if p is p03 and 0 <= months_behind <= 7:
                    continue
                payments.append(
                    {
                        "id": len(payments) + 1,
                        "member_id": p["id"],
                        "month": f"{y}-{m:02d}",
                        "amount": f"{amounts[m]:.2f}",
                        "paid_on": paid_on.isoformat(),
                        "method": r.choice(["wechat", "wechat", "cash", "bank"]),
                        "collector": collector,
                        "notes": None,
                    }
                )
    # 上缴 quarterly: what was collected in the quarter, by the 10th of the next month; one paid late
    remittances: list[dict[str, Any]] = []
    late = (today.year - 1, 2)
    for y in range(start_year, today.year + 1):
        for q in range(1, 5):
            due = dt.date(y + (q == 4), (3 * q) % 12 + 1, 10)
            if due > today:
                continue
            got = sum(
                (
                    Decimal(pm["amount"])
                    for pm in payments
                    if dt.date.fromisoformat(pm["paid_on"]).year == y
                    and (dt.date.fromisoformat(pm["paid_on"]).month - 1) // 3 + 1 == q
                ),
                Decimal("0"),
            )
            if not got:
                continue
            paid_on = due - dt.timedelta(days=r.randrange(1, 6))
            if (y, q) == late:
                paid_on = due + dt.timedelta(days=16)
            remittances.append(
                {
                    "id": len(remittances) + 1,
                    "period": f"{y}-Q{q}",
                    "amount": f"{got:.2f}",
                    "paid_on": paid_on.isoformat(),
                    "reference": f"{paid_on:%Y%m%d}{r.randrange(100000, 999999)}",
                    "notes": "逾期上缴：经办人出差" if (y, q) == late else None,
                }
            )
    doc["dues_bases"] = bases
    doc["dues_payments"] = payments
    doc["remittances"] = remittances
