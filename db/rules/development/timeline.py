"""Dates derived from the steps: 预备期 start and end, the stage on a day, a person as of a date, the half-yearly evaluation windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from db.dates import add_months, add_years
from db.rules.development.model import Person

# ------------------------------------------------------------------------------------------ derived dates


def probation_start(p: Person) -> dt.date | None:
    """D20: 预备期 starts the day the 支部大会 passes the person."""
    return p.d("branch_vote")


def probation_end(p: Person) -> dt.date | None:
    """D20/D27: G + 1 year, moved by an extension. D28: 党龄 counts from this day on 转正."""
    g = probation_start(p)
    if g is None:
        return None
    end = add_years(g, 1)
    if p.extension is not None:
        end = add_months(end, p.extension.months)
    return end


def derive_stage(p: Person) -> str:
    if p.stopped_on is not None:
        return "stopped"
    if p.done("full_approved"):
        return "full"
    if p.done("branch_vote"):
        return "probationary"
    if p.done("candidate"):
        return "candidate"
    if p.done("activist"):
        return "activist"
    return "applicant"


def as_of_view(p: Person, as_of: dt.date) -> Person:
    """The record as it stood on a date: steps dated later are not yet there."""
    ext = p.extension if p.extension and p.extension.decided_on <= as_of else None
    return replace(
        p,
        steps={k: s for k, s in p.steps.items() if s.date <= as_of},
        evaluations=[d for d in p.evaluations if d <= as_of],
        probation_evaluations=[d for d in p.probation_evaluations if d <= as_of],
        extension=ext,
        stopped_on=p.stopped_on if p.stopped_on and p.stopped_on <= as_of else None,
    )


def evaluation_windows(j: dt.date, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    """D07: the half-year windows (J+6k, J+6(k+1)] that end on or before `until`."""
    out: list[tuple[dt.date, dt.date]] = []
    k = 0
    while True:
        start, end = add_months(j, 6 * k), add_months(j, 6 * (k + 1))
        if end > until:
            return out
        out.append((start, end))
        k += 1
