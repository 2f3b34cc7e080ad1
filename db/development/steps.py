"""Recording the 25 steps: `preview_step` (what recording a step would do, shown live by the GUI),
`record_step` and `remove_step`, each one named operation.

`record_step` refuses a step whose prerequisites are not recorded or whose date goes backwards, and a step that
breaks a rule of level *block* unless an override reason is given (kept with the step, shown in findings); it
then runs the roster link (roster_link.py) in the same operation.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db import clock, members
from db.dates import fmt_zh, iso
from db.development.facts import meeting_facts, normalise_facts
from db.development.model import Applicant, StepEntry, StepRefused, _with_entry, _without
from db.development.person import person_of, practice
from db.development.roster_link import _roster_link, _sync_stage, _unlink_member
from db.development.store import get_applicant
from db.errors import InputRefused, Problem
from db.rules import development as rules
from db.rules.development import BY_KEY, REPEATABLE

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass(frozen=True)
class StepPreview:
    """What recording a step would do: refusals (order, dates, facts) and the rule breaches it brings."""

    clock: rules.Clock
    problems: tuple[Problem, ...]  # refusals that no override passes
    blockers: tuple[rules.Breach, ...]  # block rules broken: need an override reason
    breaches: tuple[rules.Breach, ...]  # every new breach (violations and warnings are recorded, not refused)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.blockers


def _dependents(key: str) -> list[str]:
    return [k for k, pre in rules.PREREQS.items() if key in pre]


def _key_of(b: rules.Breach) -> tuple[str, str]:
    return (b.code, b.message)


def preview_step(
    ledger: Ledger,
    a: Applicant,
    key: str,
    on: dt.date | None,
    *,
    facts: dict[str, Any] | None = None,
    actor: str | None = None,
    seq: int | None = None,
    today: dt.date | None = None,
) -> StepPreview:
    """Check a step before recording it (the GUI shows this live; record_step enforces it)."""
    today = today or clock.today()
    pr = practice(ledger)
    problems: list[Problem] = []
    if key not in BY_KEY:
        raise ValueError(key)
    base = _without(a, key, seq)
    p_before = person_of(ledger, base)
    c = rules.clock(p_before, key, pr)
    title = BY_KEY[key].title
    if a.stage == "stopped":
        problems.append(Problem(f"“{a.name}”的发展工作已终止，不能再登记步骤"))
    missing = rules.prerequisites_missing(p_before, key)
    if missing:
        problems.append(
            Problem(
                "请先登记前面的步骤：" + "、".join(f"{BY_KEY[k].no}.{BY_KEY[k].title}" for k in missing),
                column=title,
            )
        )
    if on is None:
        problems.append(Problem("请填写日期", column=title))
        return StepPreview(c, tuple(problems), (), ())
    if on > today:
        problems.append(Problem(f"日期 {fmt_zh(on)} 晚于今天，只能登记已经办理的步骤", column=title))
    for k in rules.PREREQS[key]:
        d = a.date_of(k)
        if d is not None and on < d:
            problems.append(
                Problem(f"日期 {fmt_zh(on)} 早于前一步“{BY_KEY[k].title}”（{fmt_zh(d)}）", column=title)
            )
    editing = key not in REPEATABLE and key in a.steps
    if editing:
        for k in _dependents(key):
            for e in a.entries(k):
                if e.date < on:
                    problems.append(
                        Problem(
                            f"后面的步骤“{BY_KEY[k].title}”已登记为{fmt_zh(e.date)}，早于新日期", column=title
                        )
                    )
    if key == "applied" and a.birth_date and on < a.birth_date:
        problems.append(Problem("申请日期早于出生日期", column=title))
    tidy, fact_problems = normalise_facts(ledger, key, facts)
    problems.extend(fact_problems)
    # the rules, before and after, as of the step's date
    entry = StepEntry(key, on, seq or 0, actor, tidy)
    after = _with_entry(base, entry)
    p_after = person_of(ledger, after)
    old = {_key_of(b) for b in rules.checks(p_before, on, pr)}
    new = [b for b in rules.checks(p_after, on, pr) if _key_of(b) not in old]
    # a step's own later-dated consequences (e.g. 审批 after 3 months) are judged on its date too
    blockers = tuple(b for b in new if b.level == "block")
    return StepPreview(c, tuple(problems), blockers, tuple(new))


def record_step(
    ledger: Ledger,
    applicant_id: int,
    key: str,
    on: dt.date | None = None,
    *,
    actor: str | None = None,
    facts: dict[str, Any] | None = None,
    meeting_id: int | None = None,
    override_reason: str | None = None,
    seq: int | None = None,
    today: dt.date | None = None,
) -> int:
    """RecordStep: enter (or correct) one step of a person, in order, with its facts; returns the step row id.

    Refused (InputRefused) when a prerequisite is missing, the date goes backwards or lies in the future, or a
    fact is wrong. A step that breaks a block rule raises StepRefused unless `override_reason` is given; the
    reason is kept with the step and shown with the finding. `meeting_id` links a meeting record (db.meetings):
    its date and votes fill what is not given.
    """
    a = get_applicant(ledger, applicant_id)
    facts = dict(facts or {})
    if meeting_id is not None:
        m_day, m_facts = meeting_facts(ledger, meeting_id, a.name, key)
        on = on or m_day
        if m_day is not None and on != m_day:
            raise InputRefused(
                [
                    Problem(
                        f"日期 {fmt_zh(on)} 与所选会议记录的日期 {fmt_zh(m_day)} 不一致",
                        column=BY_KEY[key].title,
                    )
                ]
            )
        for k, v in m_facts.items():
            facts.setdefault(k, v)
    if key in REPEATABLE and seq is None:
        seq = max([e.seq for e in a.entries(key)], default=0) + 1
    pv = preview_step(ledger, a, key, on, facts=facts, actor=actor, seq=seq, today=today)
    if pv.problems:
        raise InputRefused(list(pv.problems), f"“{a.name}”的“{BY_KEY[key].title}”未登记")
    reason = (override_reason or "").strip() or None
    if pv.blockers and reason is None:
        raise StepRefused(
            list(pv.blockers),
            f"“{a.name}”的“{BY_KEY[key].title}”不符合发展党员工作规定，未登记（如确有特殊情况，请说明理由后越过）",
        )
    assert on is not None
    tidy, _ = normalise_facts(ledger, key, facts)
    codes = ",".join(sorted({b.code for b in pv.blockers})) or None
    with ledger.operation("RecordStep", f"{a.name}：{BY_KEY[key].title}（{fmt_zh(on)}）") as op:
        row = ledger.query_one(
            "SELECT id FROM applicant_steps WHERE applicant_id=? AND step=? AND seq=?",
            (applicant_id, key, seq or 0),
        )
        params = (
            iso(on),
            (actor or "").strip() or None,
            json.dumps(tidy, ensure_ascii=False) if tidy else None,
            meeting_id,
            codes,
            reason if codes else None,
        )
        if row is None:
            cur = ledger.conn.execute(
                "INSERT INTO applicant_steps(applicant_id, step, seq, date, actor, facts, meeting_id, override_codes,"
                " override_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (applicant_id, key, seq or 0, *params),
            )
            step_id = int(cur.lastrowid or 0)
        else:
            step_id = int(row[0])
            ledger.conn.execute(
                "UPDATE applicant_steps SET date=?, actor=?, facts=?, meeting_id=?, override_codes=?, "
                "override_reason=? WHERE id=?",
                (*params, step_id),
            )
        a = get_applicant(ledger, applicant_id)
        _roster_link(ledger, a, key)
        _sync_stage(ledger, a)
        op.value = step_id
    return step_id


def remove_step(ledger: Ledger, applicant_id: int, key: str, seq: int = 0) -> None:
    """RemoveStep: take back the last step entered by mistake (not one that later steps rest on)."""
    a = get_applicant(ledger, applicant_id)
    later = [k for k in _dependents(key) if a.entries(k)]
    if key not in REPEATABLE and later:
        raise InputRefused(
            [Problem("后面的步骤已登记，不能删除这一步：" + "、".join(BY_KEY[k].title for k in later))]
        )
    with ledger.operation("RemoveStep", f"{a.name}：删除“{BY_KEY[key].title}”"):
        ledger.conn.execute(
            "DELETE FROM applicant_steps WHERE applicant_id=? AND step=? AND seq=?", (applicant_id, key, seq)
        )
        if key == "branch_vote" and a.member_id is not None:
            _unlink_member(ledger, a, "支部大会记录删除")
        if key == "full_approved" and a.member_id is not None:
            m = members.get(ledger, a.member_id)
            m.category, m.full_on = "probationary", None
            members.update(ledger, m, reason="撤回转正记录", changed_on=a.steps[key].date)
        _sync_stage(ledger, get_applicant(ledger, applicant_id))
