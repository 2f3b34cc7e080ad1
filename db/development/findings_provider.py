"""The findings D01–D29 (RULES.md §3.2) of the 发展党员 ledger, registered with db.findings: the pure checks of
db/rules/development.py run over every person in progress, as of a date. A step missing whose turn came before
the electronic ledger's start date is paper history, not a finding (issue #15).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.development.person import _RosterCache, person_of, practice
from db.development.store import list_applicants
from db.findings import Finding, provider
from db.opening.start import records_start
from db.rules import development as rules

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("development")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """D01–D29 (RULES.md §3.2) for every person in the 发展党员 ledger, as of a date."""
    out: list[Finding] = []
    pr = practice(ledger)
    cache = _RosterCache(ledger)
    start = records_start(ledger)
    for a in list_applicants(ledger):
        if a.stage == "stopped" and (a.stopped_on is None or a.stopped_on <= as_of):
            continue  # stopped by the day (one stopped later was still in progress then)
        person = person_of(ledger, a, cache)
        for b in rules.checks(person, as_of, pr):
            if start is not None and _paper_step(person, b, start):
                continue
            msg = b.message + (f"（已说明理由越过：{b.overridden}）" if b.overridden else "")
            out.append(Finding(b.code, b.severity, "applicant", a.id, a.name, msg, None, b.due))
    return out


def _paper_step(p: rules.Person, b: rules.Breach, start: dt.date) -> bool:
    """A step not recorded whose turn came before the electronic ledger started (settings.records_start_on): the
    steps it follows were all dated before the start, so its record would be in the paper 台账 — not a finding.
    (Deadlines are weighed by the common filter in db/opening/start.py.)"""
    if b.due is not None or b.step is None or p.done(b.step):
        return False
    before = [d for k in rules.PREREQS.get(b.step, ()) if (d := p.d(k)) is not None]
    return bool(before) and max(before) < start
