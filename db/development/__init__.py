"""发展党员 (RULES.md §3): applicants, the 25 steps as recorded (date, actor, facts), the roster link, findings
D01–D29 and the interchange section `applicants` (CONTRACT.md §3). This file is the package's public API:
callers import from `db.development` and never need to know which file below holds a name.

The rules are pure functions in db/rules/development.py; this package reads and writes the records, builds the
rules' `Person` with the roster facts they need, and runs every change as one named operation. One concern a file:

    model.py              Applicant, StepEntry, StepRefused, field lists, validate() of the personal fields
    facts.py              the facts a step carries: keys, normalise_facts(), meeting_facts() from a meeting record
    store.py              reads: list_applicants(), get_applicant(), applicant_choices(); row mapping
    person.py             person_of(): the rules' view with the roster facts; practice() settings
    pipeline.py           timeline(), next_step(), pending_steps(): the pipeline read model
    steps.py              preview_step(), record_step(), remove_step()
    roster_link.py        D20/D28/D29: on the roster at the 支部大会, 正式党员 at 转正; the stored stage
    applicants.py         Add/Update/Delete applicant, ExtendProbation, Stop, Resume
    findings_provider.py  findings D01–D29 (registered with db.findings)
    summary.py            year_summary(), yearly_figures() (党内统计)
    interchange.py        the `applicants` section (registered with db.interchange)
"""

from __future__ import annotations

from db.development.applicants import (
    add_applicant,
    delete_applicant,
    extend_probation,
    resume,
    stop,
    update_applicant,
)
from db.development.facts import (
    DECIDED_BY,
    FACT_KEYS,
    RECOMMENDED_VIA,
    VOTE_KEYS,
    fact_date,
    meeting_facts,
    normalise_facts,
)
from db.development.findings_provider import findings
from db.development.interchange import ACTOR_KEY, KEYS, dump_applicants, load_applicants
from db.development.model import (
    COLUMNS,
    DATE_COLS,
    PERSONAL,
    Applicant,
    StepEntry,
    StepRefused,
    age_at_application,
    eighteen_on,
    validate,
)
from db.development.person import person_of, practice
from db.development.pipeline import TimelineRow, next_step, pending_steps, timeline
from db.development.steps import StepPreview, preview_step, record_step, remove_step
from db.development.store import applicant_choices, get_applicant, list_applicants
from db.development.summary import year_summary, yearly_figures

__all__ = [
    "ACTOR_KEY",
    "COLUMNS",
    "DATE_COLS",
    "DECIDED_BY",
    "FACT_KEYS",
    "KEYS",
    "PERSONAL",
    "RECOMMENDED_VIA",
    "VOTE_KEYS",
    "Applicant",
    "StepEntry",
    "StepPreview",
    "StepRefused",
    "TimelineRow",
    "add_applicant",
    "age_at_application",
    "applicant_choices",
    "delete_applicant",
    "dump_applicants",
    "eighteen_on",
    "extend_probation",
    "fact_date",
    "findings",
    "get_applicant",
    "list_applicants",
    "load_applicants",
    "meeting_facts",
    "next_step",
    "normalise_facts",
    "pending_steps",
    "person_of",
    "practice",
    "preview_step",
    "record_step",
    "remove_step",
    "resume",
    "stop",
    "timeline",
    "update_applicant",
    "validate",
    "year_summary",
    "yearly_figures",
]
