"""The 发展党员 rules D01–D29 (RULES.md §3.2) as pure functions: a table per rule with the day before, the day of
and the day after each limit; months counted as the calendar does (31 January + 1 month = 28/29 February)."""

from __future__ import annotations

import datetime as dt

import pytest

from db.rules import development as r
from db.rules.development import Extension, Person, Practice, Standing, Step

D = dt.date
ONE = dt.timedelta(days=1)
GOOD_VOTE = {"expected": 9, "present": 8, "yes": 8, "no": 0, "abstain": 0}


def codes(p: Person, as_of: dt.date, practice: Practice | None = None) -> set[str]:
    return {b.code for b in r.checks(p, as_of, practice)}


def breaches(p: Person, as_of: dt.date, code: str) -> list[r.Breach]:
    return [b for b in r.checks(p, as_of) if b.code == code]


def full_full(ids: tuple[int, ...] = (1, 2)) -> list[Standing]:
    return [Standing(i, f"党员{i}", "full") for i in ids]


G_DEFAULT = D(2023, 8, 1)


def clean(g: dt.date = G_DEFAULT) -> Person:
    """A clean path from application to 转正 (2022–2024): no finding at all."""
    s = {
        "applied": D(2022, 1, 10),
        "talked": D(2022, 2, 1),
        "activist": D(2022, 5, 1),
        "activist_filed": D(2022, 5, 10),
        "contacts_assigned": D(2022, 5, 10),
        "candidate": D(2023, 5, 1),
        "candidate_filed": D(2023, 5, 10),
        "sponsors_assigned": D(2023, 5, 10),
        "political_review": D(2023, 6, 1),
        "training": D(2023, 6, 3),
        "committee_review": D(2023, 7, 1),
        "pre_review": D(2023, 7, 15),
        "volunteer_form": D(2023, 7, 20),
        "branch_vote": g,
        "upper_talk": D(2023, 8, 20),
        "approved": D(2023, 9, 1),
        "approval_filed": D(2023, 9, 10),
        "assigned_to_group": D(2023, 9, 10),
        "oath": D(2023, 9, 20),
        "full_application": D(2024, 7, 20),
        "full_vote": D(2024, 8, 1),
        "full_approved": D(2024, 9, 1),
        "archived": D(2024, 10, 1),
    }
    facts = {
        "political_review": {"conclusion": "合格"},
        "training": {"start": D(2023, 6, 1), "end": D(2023, 6, 3), "hours": 24},
        "branch_vote": dict(GOOD_VOTE),
        "full_vote": dict(GOOD_VOTE),
        "approved": {"approver_kind": "party_committee"},
        "full_approved": {"approver_kind": "party_committee"},
    }
    return Person(
        name="张三",
        birth_date=D(1998, 3, 5),
        steps={k: Step(k, d, facts=facts.get(k, {})) for k, d in s.items()},
        evaluations=[D(2022, 11, 1), D(2023, 5, 1)],
        probation_evaluations=[D(2024, 2, 1)],
        contacts=full_full(),
        sponsors=full_full(),
        member_id=10,
        member_joined_on=g,
        member_full_on=r.add_years(g, 1),
        member_category="full",
    )


def upto(p: Person, last: str) -> Person:
    """The clean person with only the steps up to `last` (in §3.1 order)."""
    keep = r.STEP_KEYS[: r.STEP_KEYS.index(last) + 1]
    p.steps = {k: v for k, v in p.steps.items() if k in keep}
    if "branch_vote" not in keep:
        p.member_id = p.member_joined_on = p.member_full_on = None
        p.probation_evaluations = []
    if "evaluations" not in keep:
        p.evaluations = []
    if "full_approved" not in keep:
        p.member_full_on = None
    return p


def setdate(p: Person, key: str, d: dt.date, **facts: object) -> Person:
    old = p.steps.get(key)
    p.steps[key] = Step(key, d, facts={**(old.facts if old else {}), **facts})
    return p


# ------------------------------------------------------------------------------------------ the clean path


def test_clean_path_produces_no_finding_at_any_time() -> None:
    p = clean()
    for as_of in (
        D(2022, 1, 10),
        D(2022, 3, 1),
        D(2023, 1, 1),
        D(2023, 8, 1),
        D(2024, 1, 1),
        D(2024, 8, 1),
        D(2026, 11, 22),
    ):
        assert r.checks(p, as_of) == [], as_of
    assert r.derive_stage(p) == "full"
    assert r.next_step(p) is None


def test_step_table_is_the_25_steps_in_order() -> None:
    assert len(r.STEPS) == 25
    assert [s.no for s in r.STEPS] == list(range(1, 26))
    assert r.STEP_KEYS[0] == "applied" and r.STEP_KEYS[-1] == "archived"
    assert set(r.LEVELS) == {f"D{i:02d}" for i in range(1, 30)}


def test_month_arithmetic_is_the_calendars() -> None:
    assert r.add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert r.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert r.add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)


# ------------------------------------------------------------------------------------------ D01 年满18岁


@pytest.mark.parametrize(
    "applied,found",
    [
        (D(2016, 3, 4), True),  # day before the 18th birthday
        (D(2016, 3, 5), False),  # the birthday
        (D(2016, 3, 6), False),
    ],
)
def test_d01_eighteen_on_the_day_of_application(applied: dt.date, found: bool) -> None:
    p = Person(name="李四", birth_date=D(1998, 3, 5), steps={"applied": Step("applied", applied)})
    assert ("D01" in codes(p, applied)) is found
    if found:
        b = breaches(p, applied, "D01")[0]
        assert b.severity == "error" and b.level == "block"


def test_d01_born_on_29_february() -> None:
    p = Person(name="王五", birth_date=D(2004, 2, 29), steps={"applied": Step("applied", D(2022, 2, 27))})
    assert "D01" in codes(p, D(2022, 3, 1))
    p.steps["applied"] = Step("applied", D(2022, 2, 28))  # 18 years as the calendar counts: 28 February
    assert "D01" not in codes(p, D(2022, 3, 1))


# ------------------------------------------------------------------------------------------ D02 谈话 within 1 month


@pytest.mark.parametrize(
    "applied,talked,found",
    [
        (D(2023, 1, 31), D(2023, 2, 27), False),
        (D(2023, 1, 31), D(2023, 2, 28), False),  # 31 January + 1 month = 28 February
        (D(2023, 1, 31), D(2023, 3, 1), True),
        (D(2024, 1, 31), D(2024, 2, 29), False),  # leap year: 29 February
        (D(2024, 1, 31), D(2024, 3, 1), True),
        (D(2023, 3, 15), D(2023, 4, 14), False),
        (D(2023, 3, 15), D(2023, 4, 15), False),
        (D(2023, 3, 15), D(2023, 4, 16), True),
    ],
)
def test_d02_talk_within_one_month(applied: dt.date, talked: dt.date, found: bool) -> None:
    p = Person(
        name="甲",
        birth_date=D(1990, 1, 1),
        steps={"applied": Step("applied", applied), "talked": Step("talked", talked)},
    )
    assert ("D02" in codes(p, D(2025, 1, 1))) is found


@pytest.mark.parametrize(
    "as_of,found", [(D(2023, 2, 27), False), (D(2023, 2, 28), False), (D(2023, 3, 1), True)]
)
def test_d02_no_talk_yet_is_overdue_the_day_after_the_month(as_of: dt.date, found: bool) -> None:
    p = Person(name="甲", birth_date=D(1990, 1, 1), steps={"applied": Step("applied", D(2023, 1, 31))})
    assert ("D02" in codes(p, as_of)) is found
    if found:
        b = breaches(p, as_of, "D02")[0]
        assert b.due == D(2023, 2, 28) and b.severity == "error"


# ------------------------------------------------------------------------------------------ D03 / D04 积极分子


def _activist(applied: dt.date, talked: dt.date | None, activist: dt.date) -> Person:
    steps = {"applied": Step("applied", applied), "activist": Step("activist", activist)}
    if talked:
        steps["talked"] = Step("talked", talked)
    return Person(name="乙", birth_date=D(1990, 1, 1), steps=steps)


@pytest.mark.parametrize(
    "talked,activist,found",
    [
        (D(2023, 2, 1), D(2023, 1, 31), True),  # before the talk
        (D(2023, 2, 1), D(2023, 2, 1), False),  # the day of the talk (J ≥ T)
        (D(2023, 2, 1), D(2023, 2, 2), False),
        (None, D(2023, 6, 1), True),  # no talk at all
    ],
)
def test_d03_activist_only_after_the_talk(talked: dt.date | None, activist: dt.date, found: bool) -> None:
    p = _activist(D(2023, 1, 10), talked, activist)
    assert ("D03" in codes(p, D(2024, 1, 1), Practice(activist_min_months=0))) is found


def test_d03_activist_strictly_after_the_application() -> None:
    p = _activist(D(2023, 1, 10), D(2023, 1, 10), D(2023, 1, 10))
    assert "D03" in codes(p, D(2023, 1, 10), Practice(activist_min_months=0))
    p = _activist(D(2023, 1, 10), D(2023, 1, 10), D(2023, 1, 11))
    assert "D03" not in codes(p, D(2023, 1, 11), Practice(activist_min_months=0))


@pytest.mark.parametrize(
    "months,activist,found",
    [
        (3, D(2023, 4, 29), True),
        (3, D(2023, 4, 30), False),  # 31 January + 3 months = 30 April
        (3, D(2023, 5, 1), False),
        (6, D(2023, 7, 30), True),
        (6, D(2023, 7, 31), False),
        (0, D(2023, 2, 1), False),  # no local minimum
    ],
)
def test_d04_local_minimum_is_configurable(months: int, activist: dt.date, found: bool) -> None:
    p = _activist(D(2023, 1, 31), D(2023, 2, 1), activist)
    got = [b for b in r.checks(p, D(2024, 1, 1), Practice(activist_min_months=months)) if b.code == "D04"]
    assert bool(got) is found
    if got:
        assert got[0].severity == "warning"


# ------------------------------------------------------------------------------------------ D05–D09 (stage 2–3)


@pytest.mark.parametrize(
    "filed,found", [(D(2023, 4, 30), False), (D(2023, 5, 1), False), (D(2023, 5, 2), True), (None, True)]
)
def test_d05_activist_filed_before_candidate(filed: dt.date | None, found: bool) -> None:
    p = upto(clean(), "candidate")
    if filed is None:
        del p.steps["activist_filed"]
    else:
        setdate(p, "activist_filed", filed)
    assert ("D05" in codes(p, D(2023, 5, 1))) is found


@pytest.mark.parametrize(
    "contacts,found",
    [
        (full_full((1,)), False),
        (full_full((1, 2)), False),
        (full_full((1, 2, 3)), True),
        ([], True),
        ([Standing(1, "甲", "full"), Standing(2, "乙", "probationary")], True),
        ([Standing(1, "甲", None)], True),
    ],
)
def test_d06_one_or_two_full_members_as_contacts(contacts: list[Standing], found: bool) -> None:
    p = upto(clean(), "contacts_assigned")
    p.contacts = contacts
    assert ("D06" in codes(p, D(2022, 6, 1))) is found


def test_d06_missing_contacts_found_when_candidate() -> None:
    p = upto(clean(), "candidate")
    del p.steps["contacts_assigned"]
    p.contacts = []
    assert "D06" in codes(p, D(2023, 5, 1))


@pytest.mark.parametrize(
    "evaluation,as_of,found",
    [
        (D(2022, 11, 1), D(2022, 11, 1), False),  # first window (1 May – 1 November] ends today: still open
        (None, D(2022, 11, 1), False),
        (None, D(2022, 11, 2), True),  # the day after the window
        (D(2022, 11, 1), D(2022, 11, 2), False),  # on the window's last day counts
        (D(2022, 5, 1), D(2022, 11, 2), True),  # the day of J itself is not in the window
    ],
)
def test_d07_half_yearly_evaluation(evaluation: dt.date | None, as_of: dt.date, found: bool) -> None:
    p = upto(clean(), "contacts_assigned")
    p.evaluations = [evaluation] if evaluation else []
    got = [b for b in r.checks(p, as_of) if b.code == "D07"]
    assert bool(got) is found
    if got:
        assert got[0].due == D(2022, 11, 1) and got[0].severity == "warning"


def test_d07_windows_from_31_august() -> None:
    assert r.evaluation_windows(D(2023, 8, 31), D(2024, 8, 31)) == [
        (D(2023, 8, 31), D(2024, 2, 29)),
        (D(2024, 2, 29), D(2024, 8, 31)),
    ]


@pytest.mark.parametrize(
    "candidate,found", [(D(2023, 4, 30), True), (D(2023, 5, 1), False), (D(2023, 5, 2), False)]
)
def test_d08_one_year_before_candidate(candidate: dt.date, found: bool) -> None:
    p = upto(clean(), "candidate")
    p.evaluations = [D(2022, 11, 1), D(2023, 4, 30)]
    setdate(p, "candidate", candidate)
    assert ("D08" in codes(p, candidate)) is found


def test_d08_from_29_february() -> None:
    p = upto(clean(), "candidate")
    setdate(p, "activist", D(2024, 2, 29))
    setdate(p, "candidate", D(2025, 2, 27))
    assert "D08" in codes(p, D(2025, 3, 1))
    setdate(p, "candidate", D(2025, 2, 28))
    assert "D08" not in codes(p, D(2025, 3, 1))


@pytest.mark.parametrize(
    "filed,found", [(D(2023, 7, 31), False), (D(2023, 8, 1), False), (D(2023, 8, 2), True), (None, True)]
)
def test_d09_candidate_filed_before_the_branch_vote(filed: dt.date | None, found: bool) -> None:
    p = upto(clean(), "branch_vote")
    if filed is None:
        del p.steps["candidate_filed"]
    else:
        setdate(p, "candidate_filed", filed)
    assert ("D09" in codes(p, D(2023, 8, 1))) is found


# ------------------------------------------------------------------------------------------ D10–D15 (stage 3–4)


@pytest.mark.parametrize(
    "sponsors,found",
    [
        (full_full((1, 2)), False),
        (full_full((1,)), True),
        (full_full((1, 2, 3)), True),
        (
            [Standing(1, "甲", "full"), Standing(2, "乙", "probationary")],
            True,
        ),  # a 预备党员 cannot be 介绍人 (D29)
        ([Standing(1, "甲", "full"), Standing(2, "乙", "full", sanctioned=True)], True),
        ([Standing(1, "甲", "full"), Standing(1, "甲", "full")], True),
    ],
)
def test_d10_two_full_members_as_sponsors(sponsors: list[Standing], found: bool) -> None:
    p = upto(clean(), "sponsors_assigned")
    p.sponsors = sponsors
    got = [b for b in r.checks(p, D(2023, 5, 10)) if b.code == "D10"]
    assert bool(got) is found
    if got:
        assert got[0].severity == "error" and got[0].level == "block"


def test_d10_probationary_sponsor_named_in_the_message() -> None:
    p = upto(clean(), "sponsors_assigned")
    p.sponsors = [Standing(1, "甲", "full"), Standing(2, "刘预备", "probationary")]
    msg = breaches(p, D(2023, 5, 10), "D10")[0].message
    assert "刘预备" in msg and "预备党员" in msg


@pytest.mark.parametrize(
    "review,conclusion,found",
    [
        (D(2023, 7, 31), "合格", False),
        (D(2023, 8, 1), "合格", False),
        (D(2023, 8, 2), "合格", True),
        (D(2023, 6, 1), "不合格", True),
        (None, None, True),
    ],
)
def test_d11_political_review_before_g(review: dt.date | None, conclusion: str | None, found: bool) -> None:
    p = upto(clean(), "branch_vote")
    if review is None:
        del p.steps["political_review"]
    else:
        setdate(p, "political_review", review, conclusion=conclusion)
    assert ("D11" in codes(p, D(2023, 8, 1))) is found


@pytest.mark.parametrize(
    "start,end,hours,found",
    [
        (D(2023, 6, 1), D(2023, 6, 2), None, True),  # 2 days
        (D(2023, 6, 1), D(2023, 6, 3), None, False),  # 3 days
        (D(2023, 6, 1), D(2023, 6, 2), 23.5, True),
        (D(2023, 6, 1), D(2023, 6, 2), 24, False),  # 24 学时
        (None, None, 25, False),
        (None, None, 8, True),
    ],
)
def test_d12_training_three_days_or_24_hours(
    start: dt.date | None, end: dt.date | None, hours: float | None, found: bool
) -> None:
    p = upto(clean(), "training")
    p.steps["training"] = Step(
        "training", end or D(2023, 6, 3), facts={"start": start, "end": end, "hours": hours}
    )
    assert ("D12" in codes(p, D(2023, 7, 1))) is found


@pytest.mark.parametrize(
    "end,found", [(D(2023, 7, 31), False), (D(2023, 8, 1), False), (D(2023, 8, 2), True)]
)
def test_d12_training_completed_before_g(end: dt.date, found: bool) -> None:
    p = upto(clean(), "branch_vote")
    p.steps["training"] = Step("training", end, facts={"start": end - 2 * ONE, "end": end})
    assert ("D12" in codes(p, D(2023, 8, 1))) is found


def test_d12_no_training_at_g() -> None:
    p = upto(clean(), "branch_vote")
    del p.steps["training"]
    assert "D12" in codes(p, D(2023, 8, 1))


@pytest.mark.parametrize(
    "pre_review,found", [(D(2023, 7, 31), False), (D(2023, 8, 1), False), (D(2023, 8, 2), True), (None, True)]
)
def test_d13_pre_review_before_g(pre_review: dt.date | None, found: bool) -> None:
    p = upto(clean(), "branch_vote")
    setdate(p, "volunteer_form", D(2023, 7, 1))
    if pre_review is None:
        del p.steps["pre_review"]
    else:
        setdate(p, "pre_review", pre_review)
        setdate(p, "volunteer_form", pre_review)
    assert ("D13" in codes(p, D(2023, 8, 1))) is found


def test_d13_volunteer_form_only_after_pre_review() -> None:
    p = upto(clean(), "volunteer_form")
    setdate(p, "volunteer_form", D(2023, 7, 14))
    assert "D13" in codes(p, D(2023, 7, 20))
    setdate(p, "volunteer_form", D(2023, 7, 15))
    assert "D13" not in codes(p, D(2023, 7, 20))


@pytest.mark.parametrize(
    "leaving,found", [(D(2023, 10, 31), True), (D(2023, 11, 1), True), (D(2023, 11, 2), False)]
)
def test_d14_leaving_within_three_months(leaving: dt.date, found: bool) -> None:
    p = upto(clean(), "branch_vote")
    p.leaving_on = leaving
    got = [b for b in r.checks(p, D(2023, 8, 1)) if b.code == "D14"]
    assert bool(got) is found
    if got:
        assert got[0].severity == "warning"


@pytest.mark.parametrize(
    "vote,found",
    [
        ({"expected": 9, "present": 5, "yes": 5}, False),  # 5 of 9: more than half
        ({"expected": 10, "present": 5, "yes": 5}, True),  # exactly half present: no quorum
        ({"expected": 10, "present": 6, "yes": 5}, True),  # 5 of 10 in favour: not more than half
        ({"expected": 10, "present": 6, "yes": 5, "written": 1}, False),  # a written opinion in favour counts
        ({"expected": 10, "present": 6, "yes": 6, "no": 1}, True),  # more votes than present
        (
            {"expected": 10, "present": 4, "yes": 4, "written": 3},
            True,
        ),  # written opinions do not make a quorum
        ({"expected": 9}, True),  # counts not recorded
    ],
)
def test_d15_quorum_and_pass(vote: dict[str, int], found: bool) -> None:
    p = upto(clean(), "branch_vote")
    p.steps["branch_vote"] = Step("branch_vote", D(2023, 8, 1), facts=vote)
    got = [b for b in r.checks(p, D(2023, 8, 1)) if b.code == "D15"]
    assert bool(got) is found
    if got:
        assert got[0].severity == "error"


def test_d15_vote_without_quorum_message() -> None:
    p = upto(clean(), "branch_vote")
    p.steps["branch_vote"] = Step(
        "branch_vote", D(2023, 8, 1), facts={"expected": 12, "present": 6, "yes": 6}
    )
    msgs = " ".join(b.message for b in breaches(p, D(2023, 8, 1), "D15"))
    assert "未超过应到会 12 人的半数" in msgs


# ------------------------------------------------------------------------------------------ D16–D21 (stage 4–5)


@pytest.mark.parametrize(
    "talk,found", [(D(2023, 8, 31), False), (D(2023, 9, 1), False), (D(2023, 9, 2), True), (None, True)]
)
def test_d16_upper_talk_before_approval(talk: dt.date | None, found: bool) -> None:
    p = upto(clean(), "approved")
    if talk is None:
        del p.steps["upper_talk"]
    else:
        setdate(p, "upper_talk", talk)
    assert ("D16" in codes(p, D(2023, 9, 1))) is found


@pytest.mark.parametrize(
    "g,approved,severity",
    [
        (D(2023, 8, 1), D(2023, 10, 31), None),
        (D(2023, 8, 1), D(2023, 11, 1), None),  # at 3 months
        (D(2023, 8, 1), D(2023, 11, 2), "warning"),
        (D(2023, 8, 1), D(2024, 2, 1), "warning"),  # at 6 months
        (D(2023, 8, 1), D(2024, 2, 2), "error"),
        (D(2023, 11, 30), D(2024, 2, 29), None),  # 30 November + 3 months = 29 February (leap)
        (D(2023, 11, 30), D(2024, 3, 1), "warning"),
    ],
)
def test_d17_approval_at_3_and_6_months(g: dt.date, approved: dt.date, severity: str | None) -> None:
    p = upto(clean(g), "approved")
    setdate(p, "upper_talk", g)
    setdate(p, "approved", approved)
    p.member_joined_on = g
    got = breaches(p, approved, "D17")
    assert (got[0].severity if got else None) == severity


@pytest.mark.parametrize(
    "as_of,severity",
    [
        (D(2023, 11, 1), None),
        (D(2023, 11, 2), "warning"),
        (D(2024, 2, 1), "warning"),
        (D(2024, 2, 2), "error"),
    ],
)
def test_d17_approval_still_missing(as_of: dt.date, severity: str | None) -> None:
    p = upto(clean(), "upper_talk")
    got = breaches(p, as_of, "D17")
    assert (got[0].severity if got else None) == severity


@pytest.mark.parametrize(
    "actor,kind,found",
    [
        ("园区综合党委", None, False),
        ("园区党总支", None, True),
        ("x", "general_branch", True),
        ("x", "party_committee", False),
        (None, None, False),
    ],
)
def test_d18_approver_is_a_party_committee(actor: str | None, kind: str | None, found: bool) -> None:
    p = upto(clean(), "approved")
    p.steps["approved"] = Step(
        "approved", D(2023, 9, 1), actor=actor, facts={"approver_kind": kind} if kind else {}
    )
    assert ("D18" in codes(p, D(2023, 9, 1))) is found


def test_d19_and_d21_reminders_after_approval() -> None:
    p = upto(clean(), "approved")
    got = {b.code: b.severity for b in r.checks(p, D(2023, 9, 2))}
    assert got.get("D19") == "reminder" and got.get("D21") == "reminder"
    setdate(p, "approval_filed", D(2023, 9, 10))
    setdate(p, "oath", D(2023, 9, 20))
    assert not {"D19", "D21"} & codes(p, D(2023, 9, 30))


@pytest.mark.parametrize(
    "as_of,found",
    [(D(2024, 7, 1), False), (D(2024, 7, 2), True), (D(2024, 8, 1), True), (D(2024, 8, 2), False)],
)
def test_d20_probation_end_reminder(as_of: dt.date, found: bool) -> None:
    p = upto(clean(), "oath")
    got = breaches(p, as_of, "D20")
    assert bool(got) is found
    if got:
        assert got[0].due == D(2024, 8, 1) and got[0].severity == "reminder"


def test_d20_probation_from_29_february() -> None:
    p = upto(clean(D(2024, 2, 29)), "branch_vote")
    assert r.probation_start(p) == D(2024, 2, 29)
    assert r.probation_end(p) == D(2025, 2, 28)


# ------------------------------------------------------------------------------------------ D22–D26 (转正)


@pytest.mark.parametrize(
    "full_vote,found", [(D(2024, 7, 31), True), (D(2024, 8, 1), False), (D(2024, 8, 2), False)]
)
def test_d22_no_early_full_vote(full_vote: dt.date, found: bool) -> None:
    p = upto(clean(), "full_vote")
    setdate(p, "full_application", D(2024, 7, 20))
    setdate(p, "full_vote", full_vote)
    assert ("D22" in codes(p, full_vote)) is found


@pytest.mark.parametrize(
    "full_vote,reason,found",
    [(D(2024, 8, 1), None, False), (D(2024, 8, 2), None, True), (D(2024, 8, 2), "书记出差，延后一周", False)],
)
def test_d23_full_vote_in_time(full_vote: dt.date, reason: str | None, found: bool) -> None:
    p = upto(clean(), "full_vote")
    setdate(p, "full_vote", full_vote, delay_reason=reason)
    assert ("D23" in codes(p, full_vote)) is found


@pytest.mark.parametrize(
    "as_of,grace,found",
    [
        (D(2024, 8, 1), 0, False),
        (D(2024, 8, 2), 0, True),
        (D(2024, 8, 31), 30, False),
        (D(2024, 9, 1), 30, True),
    ],
)
def test_d23_full_vote_missing_after_expiry(as_of: dt.date, grace: int, found: bool) -> None:
    p = upto(clean(), "full_application")
    got = [b for b in r.checks(p, as_of, Practice(full_vote_grace_days=grace)) if b.code == "D23"]
    assert bool(got) is found


@pytest.mark.parametrize(
    "application,found",
    [(D(2024, 7, 31), False), (D(2024, 8, 1), False), (D(2024, 8, 2), True), (None, True)],
)
def test_d24_written_application_before_full_vote(application: dt.date | None, found: bool) -> None:
    p = upto(clean(), "full_vote")
    if application is None:
        del p.steps["full_application"]
    else:
        setdate(p, "full_application", application)
    assert ("D24" in codes(p, D(2024, 8, 2))) is found


@pytest.mark.parametrize(
    "vote,found",
    [
        ({"expected": 9, "present": 5, "yes": 5}, False),
        ({"expected": 10, "present": 5, "yes": 5}, True),
        ({"expected": 10, "present": 8, "yes": 4, "no": 4}, True),
    ],
)
def test_d25_full_vote_quorum_and_pass(vote: dict[str, int], found: bool) -> None:
    p = upto(clean(), "full_vote")
    p.steps["full_vote"] = Step("full_vote", D(2024, 8, 1), facts=vote)
    assert ("D25" in codes(p, D(2024, 8, 1))) is found


@pytest.mark.parametrize(
    "full_vote,approved,found",
    [
        (D(2024, 8, 1), D(2024, 10, 31), False),
        (D(2024, 8, 1), D(2024, 11, 1), False),
        (D(2024, 8, 1), D(2024, 11, 2), True),
        (D(2024, 8, 31), D(2024, 11, 30), False),
        (D(2024, 8, 31), D(2024, 12, 1), True),  # 31 Aug + 3 m = 30 Nov
    ],
)
def test_d26_full_approval_within_three_months(full_vote: dt.date, approved: dt.date, found: bool) -> None:
    p = upto(clean(), "full_approved")
    setdate(p, "full_vote", full_vote, delay_reason="推迟" if full_vote > D(2024, 8, 1) else None)
    setdate(p, "full_approved", approved)
    assert ("D26" in codes(p, approved)) is found


def test_d26_approval_missing() -> None:
    p = upto(clean(), "full_vote")
    assert "D26" not in codes(p, D(2024, 11, 1))
    assert "D26" in codes(p, D(2024, 11, 2))


# ------------------------------------------------------------------------------------------ D27 extension


@pytest.mark.parametrize("months,found", [(5, True), (6, False), (12, False), (13, True)])
def test_d27_extension_bounds(months: int, found: bool) -> None:
    p = upto(clean(), "oath")
    p.extension = Extension(D(2024, 8, 1), months)
    assert ("D27" in codes(p, D(2024, 8, 2))) is found
    assert (r.extension_problem(p, D(2024, 8, 1), months, existing=False) is not None) is found


def test_d27_only_once() -> None:
    p = upto(clean(), "oath")
    assert r.extension_problem(p, D(2024, 8, 1), 6, existing=True) is not None


def test_extension_moves_the_end_and_the_clocks() -> None:
    p = upto(clean(), "full_application")
    p.extension = Extension(D(2024, 8, 1), 6)
    assert r.probation_end(p) == D(2025, 2, 1)
    c = r.clock(p, "full_vote")
    assert c.earliest == D(2025, 2, 1)
    assert "D23" not in codes(p, D(2024, 12, 1))
    setdate(p, "full_vote", D(2024, 12, 1))
    assert "D22" in codes(p, D(2024, 12, 1))


def test_extension_from_31_august_by_six_months() -> None:
    p = upto(clean(D(2023, 8, 31)), "oath")
    p.extension = Extension(D(2024, 8, 31), 6)
    assert r.probation_end(p) == D(2025, 2, 28)


# ------------------------------------------------------------------------------------------ D28 / D29 roster link


def test_d28_full_on_is_the_end_of_probation() -> None:
    p = clean()
    assert "D28" not in codes(p, D(2024, 10, 1))
    p.member_full_on = D(2024, 9, 1)  # the approval date is wrong: 党龄 counts from the end of probation
    got = breaches(p, D(2024, 10, 1), "D28")
    assert got and got[0].severity == "reminder" and got[0].due == D(2024, 8, 1)


def test_d29_on_the_roster_from_g() -> None:
    p = upto(clean(), "branch_vote")
    assert "D29" not in codes(p, D(2023, 8, 2))
    p.member_joined_on = D(2023, 9, 1)
    assert "D29" in codes(p, D(2023, 9, 2))
    p.member_id = None
    assert breaches(p, D(2023, 8, 2), "D29")[0].severity == "reminder"


# ------------------------------------------------------------------------------------------ clocks and next step


def test_clocks_give_earliest_and_latest() -> None:
    p = upto(clean(), "applied")
    c = r.next_step(p)
    assert c is not None and c.key == "talked" and c.latest == D(2022, 2, 10)
    assert r.clock(p, "applied").earliest == D(2016, 3, 5)
    p = upto(clean(), "talked")
    c = r.next_step(p, Practice(activist_min_months=3))
    assert c is not None and c.key == "activist" and c.earliest == D(2022, 4, 10)
    p = upto(clean(), "contacts_assigned")
    p.evaluations = []
    c = r.next_step(p)
    assert c is not None and c.key == "evaluations" and c.latest == D(2022, 11, 1)
    p.evaluations = [D(2022, 11, 1), D(2023, 4, 20)]
    c = r.next_step(p)
    assert c is not None and c.key == "candidate" and c.earliest == D(2023, 5, 1)
    p = upto(clean(), "branch_vote")
    c = r.next_step(p)
    assert c is not None and c.key == "upper_talk" and c.latest == D(2023, 11, 1)
    p = upto(clean(), "full_vote")
    c = r.next_step(p)
    assert c is not None and c.key == "full_approved" and c.latest == D(2024, 11, 1)
    assert c.overdue(D(2024, 11, 2)) and not c.overdue(D(2024, 11, 1))


def test_prerequisites_keep_the_order() -> None:
    p = upto(clean(), "talked")
    assert r.prerequisites_missing(p, "candidate") == ["activist_filed", "contacts_assigned"]
    assert [c.key for c in r.open_steps(p)] == ["activist"]


def test_stopped_person_has_no_open_step_and_no_finding() -> None:
    p = upto(clean(), "applied")
    p.stopped_on = D(2022, 1, 20)
    assert r.open_steps(p) == [] and r.checks(p, D(2023, 1, 1)) == []
    assert r.derive_stage(p) == "stopped"


def test_stages() -> None:
    assert r.derive_stage(upto(clean(), "talked")) == "applicant"
    assert r.derive_stage(upto(clean(), "evaluations")) == "activist"
    assert r.derive_stage(upto(clean(), "volunteer_form")) == "candidate"
    assert r.derive_stage(upto(clean(), "full_vote")) == "probationary"
    assert r.derive_stage(clean()) == "full"


def test_findings_as_of_ignore_later_steps() -> None:
    p = clean()
    v = r.as_of_view(p, D(2023, 1, 1))
    assert r.derive_stage(v) == "activist" and "candidate" not in v.steps
