"""谈心谈话 (RULES-EXT.md §9): SaveTalk, the coverage matrix (TX01), O04/O05 at their edges, as-of dates, 六必谈
triggers, the `talks` interchange section."""

from __future__ import annotations

import datetime as dt

import pytest

from db import findings, interchange, settings, talks
from db.connection import Ledger, open_ledger
from db.errors import InputRefused
from db.rules import orglife
from db.talks import Talk
from tests.orglife_data import add_committee, add_meeting, add_members

D = dt.date


def found(ledger: Ledger, on: dt.date, code: str) -> list[findings.Finding]:
    return [f for f in findings.check(ledger, on) if f.code == code]


def branch5(ledger: Ledger) -> list[int]:
    """支委 正式1–3 (书记, 组织, 宣传), 党员 正式4, 正式5."""
    ids = add_members(ledger, 5)
    add_committee(ledger, ids[:3])
    return ids


def talk(ledger: Ledger, day: dt.date, a: int, b: int, **kw: object) -> int:
    return talks.save_talk(ledger, Talk(day, a, b, **kw))  # type: ignore[arg-type]


def full_coverage(ledger: Ledger, ids: list[int], day: dt.date) -> None:
    c1, c2, c3, m4, m5 = ids
    for a, b in ((c1, c2), (c1, c3), (c2, c3), (c1, m4), (c2, m5), (m4, m5)):
        talk(ledger, day, a, b)


# ------------------------------------------------------------------------------------------ pure rules


@pytest.mark.parametrize(
    ("talk_on", "counts"),
    [
        (D(2025, 11, 10), True),  # the meeting day itself
        (D(2025, 10, 11), True),  # the first day of a 30-day window
        (D(2025, 10, 10), False),  # the day before the window
        (D(2025, 11, 11), False),  # the day after the meeting
    ],
)
def test_tx05_window_edges(talk_on: dt.date, counts: bool) -> None:
    assert orglife.in_talk_window(talk_on, D(2025, 11, 10), 30) is counts


def test_categories() -> None:
    assert orglife.talk_category(True, True) == "committee_committee"
    assert orglife.talk_category(False, True) == "committee_member"
    assert orglife.talk_category(False, False) == "member_member"


# ------------------------------------------------------------------------------------------ saving


def test_save_refuses_self_talk_future_and_missing_trigger(ledger: Ledger) -> None:
    ids = branch5(ledger)
    with pytest.raises(InputRefused, match="同一人"):
        talk(ledger, D(2026, 3, 1), ids[0], ids[0])
    with pytest.raises(InputRefused, match="今天之后"):
        talk(ledger, D(2026, 11, 23), ids[0], ids[1])
    with pytest.raises(InputRefused, match="事由"):
        talk(ledger, D(2026, 3, 1), ids[0], ids[1], kind="trigger")
    assert talks.list_talks(ledger) == []


# ------------------------------------------------------------------------------------------ O04


def test_coverage_matrix_and_o04_per_category(ledger: Ledger) -> None:
    ids = branch5(ledger)
    c1, c2, c3, m4, m5 = ids
    talk(ledger, D(2025, 3, 1), c1, c2)
    talk(ledger, D(2025, 4, 1), c1, m4)
    rows = {r.name: r for r in talks.coverage(ledger, 2025)}
    assert rows["正式1"].on_committee and rows["正式1"].counts["committee_committee"] == 1
    assert rows["正式1"].cell("member_member") == "—"
    assert rows["正式3"].missing["committee_committee"] == ["正式1", "正式2"]
    assert rows["正式4"].missing == {"member_member": ["其他党员"]}
    assert set(rows["正式5"].missing) == {"committee_member", "member_member"}
    o4 = found(ledger, D(2026, 1, 2), "O04")
    assert {(f.subject_name, f.severity) for f in o4} >= {("正式3", "warning"), ("正式5", "warning")}
    assert len([f for f in o4 if f.subject_name == "正式5" and f.period == "2025"]) == 2
    full_coverage(ledger, ids, D(2025, 12, 31))
    assert [f for f in found(ledger, D(2026, 1, 2), "O04") if f.period == "2025"] == []


def test_o04_as_of_sees_only_talks_up_to_that_day(ledger: Ledger) -> None:
    ids = branch5(ledger)
    full_coverage(ledger, ids, D(2026, 10, 20))
    # before the talks (and from 10-01 only): reminders for the current year
    before = found(ledger, D(2026, 10, 19), "O04")
    assert before and all(
        f.severity == "reminder" and f.period == "2026" for f in before if f.period == "2026"
    )
    assert [f for f in found(ledger, D(2026, 10, 20), "O04") if f.period == "2026"] == []
    assert [f for f in found(ledger, D(2026, 9, 30), "O04") if f.period == "2026"] == []  # Q4 only


def test_every_pair_setting(ledger: Ledger) -> None:
    ids = branch5(ledger)
    full_coverage(ledger, ids, D(2025, 6, 1))
    assert [f for f in found(ledger, D(2026, 1, 2), "O04") if f.period == "2025"] == []
    settings.update(ledger, {"talk_rule": "every_pair"})
    rows = {r.name: r for r in talks.coverage(ledger, 2025)}
    assert rows["正式4"].missing == {"committee_member": ["正式2", "正式3"]}


def test_records_start_on_skips_earlier_years(ledger: Ledger) -> None:
    branch5(ledger)
    assert [f for f in found(ledger, D(2026, 1, 2), "O04") if f.period == "2025"]
    settings.update(ledger, {"records_start_on": "2026-01-01"})
    assert [f for f in found(ledger, D(2026, 1, 2), "O04") if f.period == "2025"] == []


# ------------------------------------------------------------------------------------------ O05


@pytest.mark.parametrize(
    ("talk_on", "o05"),
    [(D(2025, 11, 10), False), (D(2025, 10, 11), False), (D(2025, 10, 10), True), (D(2025, 11, 11), True)],
)
def test_o05_talk_on_the_last_day_of_the_window_and_the_day_after(
    ledger: Ledger, talk_on: dt.date, o05: bool
) -> None:
    ids = branch5(ledger)
    add_meeting(ledger, ["assembly", "org_life"], D(2025, 11, 10))
    talk(ledger, talk_on, ids[0], ids[3])
    got = found(ledger, D(2025, 12, 1), "O05")
    assert bool(got) is o05
    if o05:
        assert "30天" in got[0].message and got[0].subject_type == "meeting"


def test_o05_as_of_before_the_meeting_and_a_talk_meeting_counts(ledger: Ledger) -> None:
    branch5(ledger)
    add_meeting(ledger, ["assembly", "org_life"], D(2025, 11, 10))
    assert found(ledger, D(2025, 11, 9), "O05") == []  # not yet held
    assert len(found(ledger, D(2025, 11, 10), "O05")) == 1
    add_meeting(ledger, ["talk"], D(2025, 11, 3))
    assert found(ledger, D(2025, 11, 10), "O05") == []


# ------------------------------------------------------------------------------------------ triggers, interchange


def test_pending_trigger_until_talked(ledger: Ledger, frozen_today: object) -> None:
    ids = branch5(ledger)
    prob = add_members(ledger, 0, 1, prob_joined=D(2026, 10, 1))[0]
    pend = talks.pending_triggers(ledger, D(2026, 11, 22))
    assert [(p.member_id, p.trigger) for p in pend] == [(prob, "admitted")]
    talk(ledger, D(2026, 10, 8), ids[0], prob, kind="trigger", trigger="admitted")
    assert talks.pending_triggers(ledger, D(2026, 11, 22)) == []
    assert talks.pending_triggers(ledger, D(2026, 10, 7))[0].member_id == prob  # as of before the talk


def test_interchange_round_trip(ledger: Ledger) -> None:
    ids = branch5(ledger)
    talk(
        ledger,
        D(2025, 5, 1),
        ids[0],
        ids[3],
        kind="trigger",
        trigger="full",
        mode="phone",
        topic="转正后谈话",
    )
    talk(ledger, D(2025, 6, 1), ids[3], ids[4], follow_up="下月再谈")
    doc = interchange.dump(ledger)
    assert [t["trigger"] for t in doc["talks"]] == ["full", None]
    other = open_ledger(ledger.path.parent / "copy.sqlite", create=True)
    interchange.load(other, doc)
    assert interchange.dump(other)["talks"] == doc["talks"]
    other.close()
    doc["talks"][0]["mode"] = "letter"
    with pytest.raises(InputRefused, match=r"talks\[0\]\.mode"):
        interchange.load(ledger, doc, replace=True)
