"""The rules' view of an applicant (`rules.Person`, db/rules/development.py) with the roster facts the rules
need: the standing of its 联系人/介绍人 on each step's date and its own roster entry; and the branch's
practice settings (`practice`) the clocks are computed with.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import members
from db.development.facts import fact_date
from db.development.model import Applicant, StepEntry
from db.members.history import RosterIndex
from db.rules import development as rules

if TYPE_CHECKING:
    from db.connection import Ledger


def practice(ledger: Ledger) -> rules.Practice:
    from db import settings

    def num(key: str, default: int) -> int:
        try:
            return int(settings.get(ledger, key, default))
        except (TypeError, ValueError):
            return default

    d = rules.Practice()
    return rules.Practice(
        activist_min_months=num("activist_min_months", d.activist_min_months),
        pre_review_months=num("pre_review_months", d.pre_review_months),
        branch_vote_months=num("branch_vote_months", d.branch_vote_months),
        full_vote_grace_days=num("full_vote_grace_days", d.full_vote_grace_days),
    )


class _RosterCache:
    """roster_on per date, computed once per check."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.by_date: dict[dt.date, dict[int, members.MemberOn]] = {}
        self.names: dict[int, str] | None = None
        self.index: RosterIndex | None = None  # members and history, read on the first date asked (shared)

    def on(self, d: dt.date) -> dict[int, members.MemberOn]:
        if d not in self.by_date:
            if self.index is None:  # kept until an operation changes the members or their history
                self.index = self.ledger.memo_reads("members.roster_index", lambda: RosterIndex(self.ledger))
            self.by_date[d] = {m.id: m for m in self.index.on(d)}
        return self.by_date[d]

    def name(self, member_id: int) -> str:
        if self.names is None:
            self.names = members.names(self.ledger)
        return self.names.get(member_id, f"#{member_id}")


def _standings(cache: _RosterCache, s: StepEntry | None) -> list[rules.Standing]:
    if s is None:
        return []
    out = []
    roster = cache.on(s.date)
    for mid in s.facts.get("member_ids") or []:
        m = roster.get(int(mid))
        out.append(rules.Standing(int(mid), m.name if m else cache.name(int(mid)), m.category if m else None))
    return out


def _rule_step(s: StepEntry) -> rules.Step:
    facts = dict(s.facts)
    if s.key == "training":
        facts["start"], facts["end"] = fact_date(facts.get("start")), fact_date(facts.get("end"))
    return rules.Step(s.key, s.date, s.actor, facts, s.override_codes, s.override_reason, s.meeting_id)


def person_of(ledger: Ledger, a: Applicant, cache: _RosterCache | None = None) -> rules.Person:
    """The rules' view of an applicant, with the roster facts of its 联系人/介绍人 and its roster entry."""
    cache = cache or _RosterCache(ledger)
    p = rules.Person(
        name=a.name,
        birth_date=a.birth_date,
        steps={k: _rule_step(s) for k, s in a.steps.items()},
        evaluations=[e.date for e in a.evaluations],
        probation_evaluations=[e.date for e in a.probation_evaluations],
        extension=rules.Extension(a.ext_decided_on, a.ext_months, a.ext_override)
        if a.ext_decided_on is not None and a.ext_months is not None
        else None,
        leaving_on=a.leaving_on,
        stopped_on=a.stopped_on,
        contacts=_standings(cache, a.steps.get("contacts_assigned")),
        sponsors=_standings(cache, a.steps.get("sponsors_assigned")),
        member_id=a.member_id,
    )
    if a.member_id is not None:
        try:
            m = members.get(ledger, a.member_id)
        except KeyError:
            p.member_id = None
        else:
            p.member_joined_on, p.member_full_on, p.member_category = m.joined_on, m.full_on, m.category
    return p
