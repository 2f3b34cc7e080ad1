"""流动党员 (RULES-EXT.md §12; issue #18 item 3): SaveOuting and its contact log, L02/L03/L04 at their edges with
records on both sides of the as-of date, LD03 (left out of 应到有表决权), LD08 (党费 paid at the 流入地 counted
once), R03 quiet for a member away."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from db import dues, findings, meetings, mobility
from db.connection import Ledger
from db.errors import InputRefused
from db.mobility import Contact, Lost, Outing
from tests.orglife_data import add_members

D = dt.date


def codes(ledger: Ledger, on: dt.date, code: str) -> list[findings.Finding]:
    return [f for f in findings.check(ledger, on) if f.code == code]


def outing(ledger: Ledger, mid: int, left: dt.date, **kw: object) -> Outing:
    o = Outing(mid, left, "广东省深圳市南山区", **kw)  # type: ignore[arg-type]
    mobility.save_outing(ledger, o)
    return o


# ------------------------------------------------------------------------------------------ L02 (ZZ01)


@pytest.mark.parametrize(
    ("as_of", "fires"),
    [(D(2026, 9, 14), False), (D(2026, 9, 15), True), (D(2026, 9, 16), True)],
)
def test_l02_fixed_place_six_months_edge(ledger: Ledger, as_of: dt.date, fires: bool) -> None:
    mid = add_members(ledger, 1)[0]
    outing(ledger, mid, D(2026, 3, 15), fixed_place=True)
    assert bool(codes(ledger, as_of, "L02")) is fires


def test_l02_not_for_a_roving_member_nor_after_return(ledger: Ledger) -> None:
    a, b = add_members(ledger, 2)
    outing(ledger, a, D(2025, 1, 10))  # not at a fixed place
    o = outing(ledger, b, D(2025, 1, 10), fixed_place=True)
    assert [f.subject_id for f in codes(ledger, D(2025, 8, 1), "L02")] == [b]
    o.returned_on = D(2025, 7, 31)
    mobility.save_outing(ledger, o)
    assert codes(ledger, D(2025, 8, 1), "L02") == []
    assert [f.subject_id for f in codes(ledger, D(2025, 7, 30), "L02")] == [b]  # still away that day


# ------------------------------------------------------------------------------------------ L03 (LD01)


def test_l03_more_than_half_a_year_without_contact(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    o = outing(ledger, mid, D(2025, 12, 1))
    assert codes(ledger, D(2026, 6, 1), "L03") == []  # exactly half a year: not yet "more than"
    got = codes(ledger, D(2026, 6, 2), "L03")
    assert len(got) == 1 and "超过半年没有联系" in got[0].message and "没有联系记录" in got[0].message
    assert got[0].severity == "warning"
    assert got[0].area == "组织关系"
    # a contact logged before the as-of date resets the clock; one after it does not count yet
    assert o.id is not None
    mobility.save_contact(ledger, Contact(o.id, D(2026, 6, 10), "phone", "组织委员", "近况良好"))
    assert len(codes(ledger, D(2026, 6, 9), "L03")) == 1
    assert codes(ledger, D(2026, 6, 10), "L03") == []
    assert codes(ledger, D(2026, 12, 10), "L03") == []
    assert len(codes(ledger, D(2026, 12, 11), "L03")) == 1


def test_contact_before_leaving_or_in_the_future_is_refused(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    o = outing(ledger, mid, D(2026, 5, 1))
    assert o.id is not None
    with pytest.raises(InputRefused) as e:
        mobility.save_contact(ledger, Contact(o.id, D(2026, 4, 30)))
    assert "早于外出时间" in str(e.value.problems[0].message)
    with pytest.raises(InputRefused):
        mobility.save_contact(ledger, Contact(o.id, D(2026, 11, 23)))  # after today (2026-11-22)


def test_outing_validation_in_chinese(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    with pytest.raises(InputRefused) as e:
        mobility.save_outing(ledger, Outing(mid, D(2026, 5, 1), " ", returned_on=D(2026, 4, 1)))
    msgs = " ".join(p.message for p in e.value.problems)
    assert "外出地点" in msgs and "返回日期不能早于外出时间" in msgs
    outing(ledger, mid, D(2026, 5, 1))
    with pytest.raises(InputRefused) as e:
        outing(ledger, mid, D(2026, 6, 1))
    assert "时间重叠" in e.value.problems[0].message


# ------------------------------------------------------------------------------------------ L04 (LD11)


def test_l04_lost_six_months_is_a_review_prompt(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    x = Lost(mid, D(2026, 1, 15))
    mobility.save_lost(ledger, x)
    assert codes(ledger, D(2026, 7, 14), "L04") == []
    got = codes(ledger, D(2026, 7, 15), "L04")
    assert len(got) == 1 and got[0].severity == "reminder" and "不会自动处理" in got[0].message
    x.found_on = D(2026, 7, 10)
    mobility.save_lost(ledger, x)
    assert codes(ledger, D(2026, 7, 15), "L04") == []
    assert codes(ledger, D(2026, 7, 9), "L04") == []  # not yet six months then either
    # the member stays on the roster: nothing automatic
    from db import members

    assert members.get(ledger, mid).status == "active"


# ------------------------------------------------------------------------------------------ LD03


def test_member_away_with_vote_elsewhere_is_not_an_expected_voter(ledger: Ledger) -> None:
    ids = add_members(ledger, 5)
    outing(ledger, ids[4], D(2026, 3, 1), vote_elsewhere=True, returned_on=D(2026, 9, 1))
    during = meetings.expected_attendance(ledger, D(2026, 6, 1), ["assembly"])
    m = meetings.Meeting(kinds=["assembly"], date=D(2026, 6, 1), attendance=during)
    assert m.expected_voters == 4
    assert next(a for a in during if a.member_id == ids[4]).no_vote
    after = meetings.Meeting(
        kinds=["assembly"],
        date=D(2026, 9, 1),
        attendance=meetings.expected_attendance(ledger, D(2026, 9, 1), ["assembly"]),
    )
    assert after.expected_voters == 5  # back on the day of return
    # a member away without that decision keeps the vote (LD03: the vote stays with the 正式组织关系)
    outing(ledger, ids[3], D(2026, 3, 1))
    again = meetings.expected_attendance(ledger, D(2026, 6, 1), ["assembly"])
    assert sum(1 for a in again if a.can_vote) == 4


# ------------------------------------------------------------------------------------------ LD08


def _dues_member(ledger: Ledger) -> int:
    mid = add_members(ledger, 1)[0]
    dues.save_base(
        ledger,
        dues.BaseEntry(member_id=mid, year=2026, kind="employed", base=Decimal("4900.00")),
        on=D(2026, 1, 15),
    )
    return mid


def test_month_paid_at_the_host_branch_is_neither_owed_nor_payable_here(ledger: Ledger) -> None:
    mid = _dues_member(ledger)
    outing(ledger, mid, D(2026, 3, 1))
    mobility.set_dues_elsewhere(ledger, mid, ["2026-03", "2026-04"], "深圳市南山区某园区党委")
    book = dues.DuesBook(ledger)
    march = 2026 * 12 + 2
    assert book.due(mid, march) == 0 and book.opening(mid, march) == "elsewhere"
    assert book.due(mid, march + 2) == Decimal("49.00")  # May: owed here again
    with pytest.raises(InputRefused) as e:
        dues.record_payment(ledger, mid, ["2026-03"], D(2026, 5, 10))
    assert "流入地" in e.value.problems[0].message
    res = dues.record_month(ledger, "2026-04", D(2026, 5, 10))
    assert res.recorded == 0  # nobody owes April here
    with pytest.raises(InputRefused):
        dues.record_month(ledger, "2026-04", D(2026, 5, 10), amounts={mid: Decimal("49.00")})
    # no arrears for the months paid elsewhere
    dues.record_payment(ledger, mid, ["2026-01", "2026-02"], D(2026, 2, 10))
    for m in range(5, 11):
        dues.record_payment(ledger, mid, [f"2026-{m:02d}"], D(2026, m, 10))
    assert dues.DuesBook(ledger).current_streak(mid, D(2026, 11, 22))[0] == 0
    rows = {r.member_id: r for r in dues.year_rows(ledger, 2026, as_of=D(2026, 11, 22))}
    assert rows[mid].total_due == Decimal("49.00") * 10  # 12 months less the two paid elsewhere


def test_a_month_paid_here_cannot_be_marked_as_paid_elsewhere(ledger: Ledger) -> None:
    mid = _dues_member(ledger)
    outing(ledger, mid, D(2026, 3, 1))
    dues.record_payment(ledger, mid, ["2026-03"], D(2026, 3, 10))
    with pytest.raises(InputRefused) as e:
        mobility.set_dues_elsewhere(ledger, mid, ["2026-03"], "流入地")
    assert "已在本支部登记" in e.value.problems[0].message
    with pytest.raises(InputRefused) as e:
        mobility.set_dues_elsewhere(ledger, mid, ["2026-01"], "流入地")  # before leaving
    assert "没有外出记录" in e.value.problems[0].message
    mobility.set_dues_elsewhere(ledger, mid, ["2026-04"], "流入地")
    mobility.set_dues_elsewhere(ledger, mid, ["2026-04"], None, paid=False)
    assert mobility.list_elsewhere(ledger) == []


def test_r03_is_quiet_for_a_member_away(ledger: Ledger) -> None:
    a, b = add_members(ledger, 2)
    as_of = D(2026, 11, 22)
    r03 = {f.subject_id for f in codes(ledger, as_of, "R03")}
    assert {a, b} <= r03  # neither attended nor paid in the ledger
    outing(ledger, a, D(2026, 1, 5))
    assert a not in {f.subject_id for f in codes(ledger, as_of, "R03")}


def test_undo_of_an_outing(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    outing(ledger, mid, D(2026, 1, 5))
    assert len(mobility.list_outings(ledger)) == 1
    ledger.undo_last()
    assert mobility.list_outings(ledger) == []


def test_l04_from_the_lost_month_of_the_member_record(ledger: Ledger) -> None:
    from db import members

    mid = add_members(ledger, 1)[0]
    m = members.get(ledger, mid)
    m.lost_contact_since = D(2026, 3, 1)
    members.update(ledger, m, reason="测试")
    assert codes(ledger, D(2026, 8, 31), "L04") == []
    assert [f.subject_id for f in codes(ledger, D(2026, 9, 1), "L04")] == [mid]
    # a 失联 record kept in the 流动党员 tab takes precedence: found again
    mobility.save_lost(ledger, Lost(mid, D(2026, 3, 1), found_on=D(2026, 8, 1)))
    assert codes(ledger, D(2026, 9, 1), "L04") == []
