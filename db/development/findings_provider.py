"""The findings D01–D29 (RULES.md §3.2) of the 发展党员 ledger, registered with db.findings: the pure checks of
db/rules/development.py run over every person in progress, as of a date.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.development.person import _RosterCache, person_of, practice
from db.development.store import list_applicants
from db.findings import Finding, provider
from db.rules import development as rules

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("development")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """D01–D29 (RULES.md §3.2) for every person in the 发展党员 ledger, as of a date."""
    out: list[Finding] = []
    pr = practice(ledger)
    cache = _RosterCache(ledger)
    for a in list_applicants(ledger):
        if a.stage == "stopped" and (a.stopped_on is None or a.stopped_on <= as_of):
            continue  # stopped by the day (one stopped later was still in progress then)
        for b in rules.checks(person_of(ledger, a, cache), as_of, pr):
            msg = b.message + (f"（已说明理由越过：{b.overridden}）" if b.overridden else "")
            out.append(Finding(b.code, b.severity, "applicant", a.id, a.name, msg, None, b.due))
    return out
