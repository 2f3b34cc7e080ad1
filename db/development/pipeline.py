"""The read model of the pipeline: a person's 25 steps as a timeline (done, open with its clock, waiting),
the next step, and `pending_steps`, everyone in progress with their next step and its dates (for the
development section, its 纪实表 export and the handover list).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db import clock
from db.development.model import Applicant, StepEntry
from db.development.person import _RosterCache, person_of, practice
from db.development.store import list_applicants
from db.rules import development as rules
from db.rules.development import STAGE_LABELS

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass(frozen=True)
class TimelineRow:
    """One of the 25 steps of a person: done (with its entries), open (with its clock) or waiting."""

    step: rules.StepDef
    status: str  # done | open | waiting | stopped
    entries: tuple[StepEntry, ...]
    clock: rules.Clock | None
    breaches: tuple[rules.Breach, ...]

    @property
    def status_label(self) -> str:
        return {"done": "已完成", "open": "可办理", "waiting": "待前序步骤", "stopped": "已终止"}[self.status]


def timeline(ledger: Ledger, a: Applicant, as_of: dt.date | None = None) -> list[TimelineRow]:
    as_of = as_of or clock.today()
    p = person_of(ledger, a)
    pr = practice(ledger)
    found = rules.checks(p, as_of, pr)
    open_keys = {c.key: c for c in rules.open_steps(p, pr)}
    out = []
    for sd in rules.STEPS:
        entries = tuple(a.entries(sd.key))
        if sd.key in open_keys:
            status = "open"
        elif entries:
            status = "done"
        elif a.stopped_on is not None:
            status = "stopped"
        else:
            status = "waiting"
        c = open_keys.get(sd.key) or (rules.clock(p, sd.key, pr) if status == "waiting" else None)
        out.append(TimelineRow(sd, status, entries, c, tuple(b for b in found if b.step == sd.key)))
    return out


def next_step(ledger: Ledger, a: Applicant) -> rules.Clock | None:
    if a.stage == "stopped":
        return None
    return rules.next_step(person_of(ledger, a), practice(ledger))


def pending_steps(ledger: Ledger, as_of: dt.date) -> list[dict[str, Any]]:
    """For the handover list and the pipeline: each person in progress with the next step and its dates.

    Each dict: applicant_id, person (name), stage, stage_label, step (key), next_step (中文), earliest, due
    (datetime.date or None), overdue (bool). Ordered by due date (undated last), then name.
    """
    out = []
    pr = practice(ledger)
    cache = _RosterCache(ledger)
    for a in list_applicants(ledger, include_stopped=False):
        applied = a.date_of("applied")
        if applied is not None and applied > as_of:
            continue
        p = rules.as_of_view(person_of(ledger, a, cache), as_of)
        c = rules.next_step(p, pr)
        if c is None:
            continue
        out.append(
            {
                "applicant_id": a.id,
                "person": a.name,
                "stage": rules.derive_stage(p),
                "stage_label": STAGE_LABELS[rules.derive_stage(p)],
                "step": c.key,
                "next_step": c.title,
                "earliest": c.earliest,
                "due": c.latest,
                "overdue": c.overdue(as_of),
            }
        )
    out.sort(key=lambda d: (d["due"] or dt.date.max, d["person"]))
    return out
