"""The 公示 headline does not count the current, not yet due, month as 未收 (issue #14 §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from db import dues
from db.connection import Ledger
from exports.registry import Params
from exports.report import Paragraph
from exports.templates.dues import _notice_headline, build_notice

Z = Decimal("0")


def test_headline_counts_only_ended_months_as_unpaid(demo_ledger: Ledger) -> None:
    today = dt.date(2026, 11, 22)  # the suite's today: November is running
    rows = dues.year_rows(demo_ledger, 2026, as_of=today)
    past_short = sum((c.short for r in rows for c in r.months if c.past), Z)
    november_due = sum((c.due for r in rows for c in r.months if c.month == "2026-11"), Z)
    november_paid = sum((c.paid for r in rows for c in r.months if c.month == "2026-11"), Z)
    assert not any(c.past for r in rows for c in r.months if c.month == "2026-11")
    assert november_due > november_paid  # some have not paid November yet: they are not in arrears for it
    report = build_notice(demo_ledger, Params(year=2026))
    head = report.blocks[0]
    assert isinstance(head, Paragraph)
    assert f"未收 {past_short:,.2f} 元" in head.text
    assert "11月尚未结束，当月党费不计入未收" in head.text
    # the old headline's reading (全年应收 less 已收) would have counted November and December as owed
    total_due = sum((r.total_due for r in rows), Z)
    total_paid = sum((r.total_paid for r in rows), Z)
    assert total_due - total_paid > past_short


def test_headline_of_a_closed_year_has_no_running_month(demo_ledger: Ledger) -> None:
    report = build_notice(demo_ledger, Params(year=2025))
    head = report.blocks[0]
    assert isinstance(head, Paragraph)
    assert "尚未结束" not in head.text and "已到期的月份应收" in head.text


def test_headline_table() -> None:
    d = Decimal
    # first month of the year still running: nothing is owed yet, nothing is 未收
    t = _notice_headline(2026, dt.date(2026, 1, 15), d("1200"), Z, Z, Z, Z)
    assert "未收 0.00 元" in t and "1月尚未结束" in t and "已到期" not in t
    # last day of a month: that month is still running
    t = _notice_headline(2026, dt.date(2026, 3, 31), d("1200"), d("200"), d("150"), d("50"), Z)
    assert "已到期的月份应收 200.00 元" in t and "未收 50.00 元" in t and "3月尚未结束" in t
    # paid ahead: said so, so that 已收 above 应收 reads right
    t = _notice_headline(2026, dt.date(2026, 3, 31), d("1200"), d("200"), d("300"), Z, Z)
    assert "已收含预交的党费" in t
    # the year is over: no running month
    t = _notice_headline(2025, dt.date(2026, 1, 1), d("1200"), d("1200"), d("1200"), Z, d("1200"))
    assert "尚未结束" not in t and "未收 0.00 元" in t
