"""关怀 (RULES-EXT.md §13.2; issue #18 item 5): the register and the visits, L07 at its edges (the 元旦春节 season
from 1 December to the end of February) with visits on both sides of the as-of date, and the 关怀豁免 flag that
silences the 学时 finding O06 and the 失联-type R03 (JG06)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from db import care, findings
from db.care import CareEntry, Visit
from db.care.model import season_of
from db.connection import Ledger
from db.errors import InputRefused
from tests.orglife_data import add_members

D = dt.date


def codes(ledger: Ledger, on: dt.date, code: str) -> list[findings.Finding]:
    return [
        f
        for f in findings.check(ledger, on)
        if f.code == code and (code != "O06" or f.period == str(on.year))
    ]


@pytest.mark.parametrize(
    ("day", "season"),
    [
        (D(2026, 11, 30), None),
        (D(2026, 12, 1), 2027),
        (D(2027, 2, 28), 2027),
        (D(2027, 3, 1), None),
        (D(2027, 1, 1), 2027),
    ],
)
def test_season_edges(day: dt.date, season: int | None) -> None:
    assert season_of(day) == season


def test_l07_no_spring_visit_for_a_registered_old_member(ledger: Ledger, frozen_today: Any) -> None:
    frozen_today(D(2027, 3, 10))
    old, poor, other = add_members(ledger, 3)
    care.save_entry(ledger, CareEntry(old, "elderly", D(2020, 1, 1)))
    care.save_entry(ledger, CareEntry(poor, "hardship", D(2026, 12, 5), hardship_detail="因病致困"))
    care.save_entry(ledger, CareEntry(other, "ill", D(2020, 1, 1)))  # 患病 only: not in L07
    assert codes(ledger, D(2026, 11, 30), "L07") == []  # before the season
    first = codes(ledger, D(2026, 12, 1), "L07")
    assert [f.subject_id for f in first] == [old]  # poor registered later (12-05)
    assert first[0].severity == "reminder" and "2027年元旦春节" in first[0].message
    assert {f.subject_id for f in codes(ledger, D(2026, 12, 5), "L07")} == {old, poor}
    # a visit in November belongs to no season; one on 1 December counts from that day
    care.save_visit(ledger, Visit(old, D(2026, 11, 30), "spring", "goods", gift="米、油"))
    care.save_visit(
        ledger, Visit(poor, D(2027, 1, 20), "spring", "money", amount="500", fund="upper", signed=True)
    )
    assert {f.subject_id for f in codes(ledger, D(2027, 1, 19), "L07")} == {old, poor}  # visit after as-of
    assert {f.subject_id for f in codes(ledger, D(2027, 1, 20), "L07")} == {old}
    care.save_visit(ledger, Visit(old, D(2026, 12, 1), "spring"))
    assert codes(ledger, D(2027, 1, 20), "L07") == []
    assert codes(ledger, D(2027, 3, 1), "L07") == []  # the season is over
    assert care.list_visits(ledger)[-1].amount == "500.00"


def test_visit_validation_in_chinese(ledger: Ledger) -> None:
    mid = add_members(ledger, 1)[0]
    with pytest.raises(InputRefused) as e:
        care.save_visit(ledger, Visit(mid, D(2026, 1, 5), "spring", "money", amount="-3"))
    assert "慰问金" in e.value.problems[0].message
    with pytest.raises(InputRefused) as e:
        care.save_visit(ledger, Visit(mid, D(2026, 11, 23)))
    assert "今天之后" in e.value.problems[0].message


def test_exemption_silences_study_and_r03(ledger: Ledger) -> None:
    a, b = add_members(ledger, 2)
    as_of = D(2026, 11, 22)  # after 1 October: O06 reminds those on course to miss 32 hours
    o06 = {f.subject_id for f in codes(ledger, as_of, "O06")}
    r03 = {f.subject_id for f in codes(ledger, as_of, "R03")}
    assert {a, b} <= o06 and {a, b} <= r03
    care.save_entry(ledger, CareEntry(a, "elderly", D(2026, 1, 1), exempt=True))
    care.save_entry(ledger, CareEntry(b, "elderly", D(2026, 1, 1), exempt=False))
    assert a not in {f.subject_id for f in codes(ledger, as_of, "O06")}
    assert a not in {f.subject_id for f in codes(ledger, as_of, "R03")}
    assert b in {f.subject_id for f in codes(ledger, as_of, "O06")}
    # the flag with an end: still exempt in 2026 for 学时, but R03 on a later day speaks again
    e = care.list_register(ledger, member_id=a)[0]
    e.until = D(2026, 6, 30)
    care.save_entry(ledger, e)
    assert a in {f.subject_id for f in codes(ledger, as_of, "R03")}
    assert a not in {f.subject_id for f in codes(ledger, as_of, "O06")}
    assert care.exempt_ids(ledger, D(2026, 6, 30)) and not care.exempt_ids(ledger, D(2026, 7, 1))
