"""组织生活会 查摆问题 and 整改: SaveRectification, O07 at its edge (due yesterday vs today), as-of dates on both
sides of the closure, the handover list, the `rectifications` interchange section."""

from __future__ import annotations

import datetime as dt

import pytest

from db import findings, interchange, rectifications
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from db.rectifications import Rectification
from db.rules import orglife
from tests.orglife_data import add_meeting, add_members

D = dt.date


def found(ledger: Ledger, on: dt.date) -> list[findings.Finding]:
    return [f for f in findings.check(ledger, on) if f.code == "O07"]


@pytest.mark.parametrize(
    ("due", "closed", "as_of", "overdue"),
    [
        (D(2026, 11, 21), None, D(2026, 11, 22), True),  # due yesterday
        (D(2026, 11, 22), None, D(2026, 11, 22), False),  # due today
        (D(2026, 11, 21), D(2026, 11, 21), D(2026, 11, 22), False),  # closed on time
        (D(2026, 11, 21), D(2026, 11, 25), D(2026, 11, 22), True),  # closed later than as_of
        (None, None, D(2030, 1, 1), False),  # no due date
    ],
)
def test_overdue_rule(due: dt.date | None, closed: dt.date | None, as_of: dt.date, overdue: bool) -> None:
    assert orglife.rectification_overdue(due, closed, as_of) is overdue


def test_o07_due_yesterday_and_closure_as_of_both_sides(ledger: Ledger) -> None:
    (a,) = add_members(ledger, 1)
    life = add_meeting(ledger, ["assembly", "org_life"], D(2026, 1, 20))
    rid = rectifications.save_rectification(
        ledger,
        Rectification(D(2026, 1, 20), "理论学习不够系统", a, life, "制定个人学习计划", D(2026, 11, 21)),
    )
    rectifications.save_rectification(
        ledger, Rectification(D(2026, 1, 20), "谈心谈话覆盖不全", None, life, "支委分工包干", D(2026, 11, 22))
    )
    (f,) = found(ledger, D(2026, 11, 22))
    assert f.subject_type == "rectification" and f.subject_id == rid and f.subject_name == "正式1"
    assert f.due == D(2026, 11, 21) and f.severity == "warning"
    assert found(ledger, D(2026, 11, 21)) == []  # due today is not yet overdue
    assert sorted(x.subject_name for x in found(ledger, D(2026, 11, 23))) == ["支委会（班子）", "正式1"]
    r = rectifications.list_rectifications(ledger)[0]
    r.closed_on, r.evidence = D(2026, 11, 22), "学习笔记、计划表"
    rectifications.save_rectification(ledger, r)
    assert found(ledger, D(2026, 11, 22)) == []
    assert [x.subject_name for x in found(ledger, D(2026, 11, 21 + 2))] == ["支委会（班子）"]
    assert found(ledger, D(2026, 1, 19)) == []  # before it was found


def test_save_refuses_closure_without_evidence_and_a_non_org_life_meeting(ledger: Ledger) -> None:
    (a,) = add_members(ledger, 1)
    lecture = add_meeting(ledger, ["lecture"], D(2026, 1, 20))
    with pytest.raises(InputRefused, match="不是组织生活会"):
        rectifications.save_rectification(ledger, Rectification(D(2026, 1, 20), "问题", a, lecture))
    with pytest.raises(InputRefused, match="佐证"):
        rectifications.save_rectification(
            ledger, Rectification(D(2026, 1, 20), "问题", a, closed_on=D(2026, 3, 1))
        )
    with pytest.raises(InputRefused, match="早于查摆日期"):
        rectifications.save_rectification(
            ledger, Rectification(D(2026, 1, 20), "问题", a, due_on=D(2026, 1, 1))
        )
    assert rectifications.list_rectifications(ledger) == []


def test_handover_list_carries_open_ones(ledger: Ledger) -> None:
    (a,) = add_members(ledger, 1)
    rectifications.save_rectification(
        ledger,
        Rectification(D(2026, 1, 20), "发挥作用不明显", a, measure="认领示范岗", due_on=D(2026, 6, 30)),
    )
    items = rectifications.handover_items(ledger, D(2026, 11, 22))
    assert items == [
        {
            "title": "组织生活会查摆（正式1）：发挥作用不明显",
            "status_label": "未完成",
            "rectification": "认领示范岗",
            "due": D(2026, 6, 30),
        }
    ]


def test_interchange_round_trip(ledger: Ledger) -> None:
    (a,) = add_members(ledger, 1)
    life = add_meeting(ledger, ["org_life"], D(2026, 1, 20))
    rectifications.save_rectification(
        ledger, Rectification(D(2026, 1, 20), "问题一", a, life, "措施", D(2026, 3, 1), D(2026, 2, 1), "报告")
    )
    rectifications.save_rectification(ledger, Rectification(D(2026, 1, 20), "班子问题", None, life))
    doc = interchange.dump(ledger)
    assert [r["member_id"] for r in doc["rectifications"]] == [a, None]
    other = open_ledger(ledger.path.parent / "copy.sqlite", create=True)
    interchange.load(other, doc)
    assert interchange.dump(other)["rectifications"] == doc["rectifications"]
    other.close()
    del doc["rectifications"][0]["problem"]
    with pytest.raises(InputRefused, match=r"rectifications\[0\]"):
        interchange.load(ledger, doc, replace=True)
