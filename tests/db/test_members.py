"""Roster rules (RULES.md §7.1 cross-field checks, §7.2 ID agreement) and the roster as it stood on a date."""

from __future__ import annotations

import datetime as dt

import pytest

from db import branch, members
from db.connection import Ledger
from db.errors import InputRefused
from db.members import Member
from tests.roster_data import make_id

TODAY = dt.date(2026, 11, 22)
BIRTH = dt.date(1990, 5, 1)
ID_M = make_id(BIRTH, "male")
ID_F = make_id(BIRTH, "female", seq=2)


def m(**kw: object) -> Member:
    base: dict[str, object] = dict(
        name="王明",
        id_number=ID_M,
        category="full",
        joined_on=dt.date(2015, 7, 1),
        full_on=dt.date(2016, 7, 1),
    )
    base.update(kw)
    return Member(**base)  # type: ignore[arg-type]


def columns(res: object) -> list[str | None]:
    return [p.column for p in res.errors]  # type: ignore[attr-defined]


# (case, member fields, columns with an error) — rule ids of RULES.md in the case name
CASES = [
    ("ok: full member", {}, []),
    (
        "§7.1 加入 on the 18th birthday is allowed",
        {"joined_on": dt.date(2008, 5, 1), "full_on": dt.date(2009, 5, 1)},
        [],
    ),
    (
        "§7.1 加入 the day before the 18th birthday",
        {"joined_on": dt.date(2008, 4, 30), "full_on": dt.date(2009, 4, 30)},
        ["加入党组织日期"],
    ),
    (
        "§7.1 预备党员 has no 转正日期",
        {"category": "probationary", "joined_on": dt.date(2026, 3, 1), "full_on": dt.date(2026, 9, 1)},
        ["转为正式党员日期", "转为正式党员日期"],
    ),
    (
        "§7.1 预备党员 without 转正日期 is fine",
        {"category": "probationary", "joined_on": dt.date(2026, 3, 1), "full_on": None},
        [],
    ),
    (
        "§7.1 预备党员 needs 加入日期",
        {"category": "probationary", "joined_on": None, "full_on": None},
        ["加入党组织日期"],
    ),
    ("§7.1 转正 before a year of probation", {"full_on": dt.date(2016, 6, 30)}, ["转为正式党员日期"]),
    ("§7.1 转正 before 加入", {"full_on": dt.date(2015, 6, 30)}, ["转为正式党员日期"]),
    ("§7.2 sex disagrees with the ID", {"gender": "female"}, ["性别"]),
    ("§7.2 birth date disagrees with the ID", {"birth_date": dt.date(1990, 5, 2)}, ["出生日期"]),
    ("§7.2 wrong checksum", {"id_number": ID_M[:-1] + ("0" if ID_M[-1] != "0" else "1")}, ["公民身份号码"]),
    ("name required", {"name": "  "}, ["姓名"]),
    ("left needs a date", {"status": "transferred_out"}, ["状态变更日期"]),
    ("date in the future", {"joined_on": dt.date(2027, 1, 1), "full_on": None}, ["加入党组织日期"]),
]


@pytest.mark.parametrize(("case", "fields", "expected"), CASES, ids=[c[0] for c in CASES])
def test_validation_table(case: str, fields: dict[str, object], expected: list[str]) -> None:
    res = members.validate(m(**fields), today=TODAY)
    assert sorted(c or "" for c in columns(res)) == sorted(expected), [str(p) for p in res.errors]


def test_validate_fills_sex_and_birth_from_the_id_and_normalises() -> None:
    x = m(id_number=ID_F.lower(), gender=None, birth_date=None, name=" 李芳 ")
    res = members.validate(x, today=TODAY)
    assert res.ok
    assert x.id_number == ID_F.upper()
    assert x.gender == "female" and x.birth_date == BIRTH and x.name == "李芳"


def test_fifteen_digit_number_is_stored_upgraded(ledger: Ledger) -> None:
    fifteen = "440524800101001"
    mid = members.add(
        ledger, m(id_number=fifteen, joined_on=dt.date(2005, 1, 1), full_on=dt.date(2006, 1, 1))
    )
    got = members.get(ledger, mid)
    assert (
        got.id_number is not None and len(got.id_number) == 18 and got.id_number.startswith("44052419800101")
    )


def test_late_full_on_is_a_warning_only() -> None:
    res = members.validate(m(full_on=dt.date(2016, 10, 1)), today=TODAY)
    assert res.ok and any("延长" in p.message for p in res.warnings)


def test_add_wrong_id_is_refused_and_nothing_written(ledger: Ledger) -> None:
    with pytest.raises(InputRefused, match="未保存"):
        members.add(ledger, m(id_number="110105194912310021"))
    assert members.list_members(ledger) == []


def test_duplicate_id_refused(ledger: Ledger) -> None:
    members.add(ledger, m())
    with pytest.raises(InputRefused, match="重复"):
        members.add(ledger, m(name="王明二"))


def test_roster_on_keeps_people_who_left_in_the_past(ledger: Ledger) -> None:
    a = members.add(ledger, m())
    b = members.add(ledger, m(name="李芳", id_number=ID_F))
    members.change_status(ledger, b, "transferred_out", dt.date(2026, 3, 10), "转往外地工作")
    feb = [r.name for r in members.roster_on(ledger, dt.date(2026, 2, 15))]
    apr = [r.name for r in members.roster_on(ledger, dt.date(2026, 4, 15))]
    assert feb == ["王明", "李芳"]
    assert apr == ["王明"]
    assert members.counts_on(ledger, dt.date(2026, 2, 15))["total"] == 2
    assert members.get(ledger, a).is_active


def test_roster_on_category_by_date(ledger: Ledger) -> None:
    members.add(ledger, m(category="probationary", joined_on=dt.date(2025, 12, 1), full_on=None))
    assert members.roster_on(ledger, dt.date(2025, 11, 30)) == []
    (r,) = members.roster_on(ledger, dt.date(2026, 1, 1))
    assert r.category == "probationary" and not r.can_vote


def test_status_history_is_kept_and_restored(ledger: Ledger) -> None:
    mid = members.add(ledger, m())
    members.change_status(ledger, mid, "suspended", dt.date(2026, 1, 5), "停止党籍")
    members.change_status(ledger, mid, "active", dt.date(2026, 6, 1), "恢复党籍")
    hist = [
        (h["from_value"], h["to_value"], h["changed_on"], h["reason"])
        for h in members.history_of(ledger, mid)
    ]
    assert hist == [
        ("active", "suspended", "2026-01-05", "停止党籍"),
        ("suspended", "active", "2026-06-01", "恢复党籍"),
    ]
    on = {
        d: bool(members.roster_on(ledger, d))
        for d in (dt.date(2025, 12, 31), dt.date(2026, 3, 1), dt.date(2026, 7, 1))
    }
    assert on == {dt.date(2025, 12, 31): True, dt.date(2026, 3, 1): False, dt.date(2026, 7, 1): True}


def test_group_change_is_dated(ledger: Ledger) -> None:
    g1 = branch.save_group(ledger, branch.PartyGroup(name="第一党小组"))
    g2 = branch.save_group(ledger, branch.PartyGroup(name="第二党小组"))
    mid = members.add(ledger, m(group_id=g1))
    x = members.get(ledger, mid)
    x.group_id = g2
    members.update(ledger, x, changed_on=dt.date(2026, 5, 1))
    assert [r.group_id for r in members.roster_on(ledger, dt.date(2026, 4, 1))] == [g1]
    assert [r.group_id for r in members.roster_on(ledger, dt.date(2026, 6, 1))] == [g2]


def test_delete_is_for_mistakes_and_undoable(ledger: Ledger) -> None:
    mid = members.add(ledger, m())
    members.delete(ledger, mid)
    assert members.list_members(ledger) == []
    ledger.undo_last()
    assert [x.name for x in members.list_members(ledger)] == ["王明"]
