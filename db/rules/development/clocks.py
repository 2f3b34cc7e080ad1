"""The clocks: when each step may or must be done, what it still waits for, and the next step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.dates import add_months, add_years, fmt_zh
from db.rules.development.model import Person, Practice
from db.rules.development.steps import BY_KEY, PREREQS, REPEATABLE, STEPS
from db.rules.development.timeline import probation_end

# ------------------------------------------------------------------------------------------ the clocks


@dataclass(frozen=True)
class Clock:
    key: str
    earliest: dt.date | None
    latest: dt.date | None
    note: str = ""

    @property
    def title(self) -> str:
        return BY_KEY[self.key].title

    def overdue(self, as_of: dt.date) -> bool:
        return self.latest is not None and as_of > self.latest


def clock(p: Person, key: str, practice: Practice | None = None) -> Clock:
    """The earliest and latest date for a step, from the record so far (None = no limit known)."""
    pr = practice or Practice()
    pre = [p.d(k) for k in PREREQS[key]]
    if key == "evaluations":
        pre = [p.d("activist")]
    if key == "probation_evaluations":
        pre = [p.d("branch_vote")]
    known = [x for x in pre if x is not None]
    earliest = max(known) if known else None
    latest: dt.date | None = None
    note = ""
    a, j, g = p.d("applied"), p.d("activist"), p.d("branch_vote")
    end = probation_end(p)
    if key == "applied" and p.birth_date:
        earliest = add_years(p.birth_date, 18)
        note = "年满18岁（D01）"
    elif key == "talked" and a:
        latest = add_months(a, 1)
        note = "收到申请书后1个月内（D02）"
    elif key == "activist" and a:
        soon = add_months(a, pr.activist_min_months)
        earliest = max([x for x in (earliest, a + dt.timedelta(days=1), soon) if x is not None])
        note = f"谈话之后，申请满{pr.activist_min_months}个月（D03、D04）"
    elif key == "evaluations" and j:
        f = p.d("candidate")
        k = 0
        while True:
            start, w_end = add_months(j, 6 * k), add_months(j, 6 * (k + 1))
            if f is not None and w_end > f:
                break
            if not any(start < x <= w_end for x in p.evaluations):
                latest = w_end
                note = f"{fmt_zh(start)}至{fmt_zh(w_end)}的半年考察（D07）"
                break
            k += 1
            if k > 40:
                break
    elif key == "candidate" and j:
        earliest = max([x for x in (earliest, add_years(j, 1)) if x is not None])
        note = "培养教育考察满1年（D08）"
    elif key == "pre_review" and p.d("committee_review"):
        latest = add_months(p.d("committee_review"), pr.pre_review_months)  # type: ignore[arg-type]
        note = f"支委会审查后约{pr.pre_review_months}个月内（地方惯例）"
    elif key == "branch_vote" and p.d("pre_review"):
        latest = add_months(p.d("pre_review"), pr.branch_vote_months)  # type: ignore[arg-type]
        note = f"预审后约{pr.branch_vote_months}个月内（地方惯例）"
    elif key in ("upper_talk", "approved") and g:
        latest = add_months(g, 3)
        note = "支部大会后3个月内审批（D17）" if key == "approved" else "审批前（D16）"
    elif key == "full_application" and end:
        latest = end - dt.timedelta(days=pr.full_application_days)
        note = f"预备期满（{fmt_zh(end)}）前约{pr.full_application_days}天（D24）"
    elif key == "full_vote" and end:
        earliest = max([x for x in (earliest, end) if x is not None])
        latest = end + dt.timedelta(days=pr.full_vote_grace_days)
        note = "预备期满后及时讨论（D22、D23）"
    elif key == "full_approved" and p.d("full_vote"):
        latest = add_months(p.d("full_vote"), 3)  # type: ignore[arg-type]
        note = "转正大会后3个月内（D26）"
    return Clock(key, earliest, latest, note)


def prerequisites_missing(p: Person, key: str) -> list[str]:
    return [k for k in PREREQS[key] if not p.done(k)]


def open_steps(p: Person, practice: Practice | None = None) -> list[Clock]:
    """Steps that can be entered now (prerequisites recorded, not yet done), in the order of §3.1."""
    if p.stopped_on is not None:
        return []
    out = []
    for sd in STEPS:
        key = sd.key
        if prerequisites_missing(p, key):
            continue
        if key == "evaluations":
            if p.done("candidate"):
                continue
        elif key == "probation_evaluations":
            if p.done("full_vote"):
                continue
        elif p.done(key):
            continue
        out.append(clock(p, key, practice))
    return out


def next_step(p: Person, practice: Practice | None = None) -> Clock | None:
    """The step the secretary should see next: the first open step in order (考察 records only when one is due)."""
    steps = open_steps(p, practice)
    firm = [c for c in steps if c.key not in REPEATABLE]
    due_repeat = [c for c in steps if c.key in REPEATABLE and c.latest is not None]
    if firm and due_repeat and due_repeat[0].latest is not None:
        first = firm[0]
        if first.earliest is not None and due_repeat[0].latest < first.earliest:
            return due_repeat[0]
    if firm:
        return firm[0]
    return due_repeat[0] if due_repeat else None
