"""The applicant and its recorded steps as plain dataclasses, and the checks of an applicant's own fields.

`Applicant` holds the personal fields, the stage, the roster link (`member_id`), the 终止 and the one 延长预备期;
`StepEntry` is one recorded step of the 25 (date, actor, facts, linked meeting, override). `validate` checks the
personal fields as the roster does (db.members.validate). No SQL here: reading and writing live in store.py,
applicants.py and steps.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from db import clock, members
from db.dates import add_years, age_on
from db.errors import InputRefused, Problem
from db.rules import development as rules
from db.rules.development import BY_KEY, REPEATABLE, STAGE_LABELS

_PERSON = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "education",
    "job",
    "occupation",
    "frontline",
    "phone",
    "leaving_on",
)
_RECORD = ("stage", "member_id", "stopped_on", "stop_reason")
PERSONAL = (*_PERSON, "notes")


class StepRefused(InputRefused):
    """A step that breaks a block rule: `breaches` says which; pass `override_reason` to record it anyway."""

    def __init__(self, breaches: list[rules.Breach], summary: str) -> None:
        self.breaches = breaches
        super().__init__(
            [Problem(f"{b.code} {rules.RULE_TITLES[b.code]}：{b.message}") for b in breaches], summary
        )


@dataclass
class StepEntry:
    key: str
    date: dt.date
    seq: int = 0
    actor: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    meeting_id: int | None = None
    override_codes: tuple[str, ...] = ()
    override_reason: str | None = None
    id: int | None = None

    @property
    def title(self) -> str:
        return BY_KEY[self.key].title


@dataclass
class Applicant:
    id: int | None = None
    name: str = ""
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    education: str | None = None
    job: str | None = None
    occupation: str | None = None
    frontline: bool = False
    phone: str | None = None
    leaving_on: dt.date | None = None
    stage: str = "applicant"
    member_id: int | None = None
    stopped_on: dt.date | None = None
    stop_reason: str | None = None
    ext_decided_on: dt.date | None = None
    ext_months: int | None = None
    ext_approved_on: dt.date | None = None
    ext_reason: str | None = None
    ext_override: str | None = None
    notes: str | None = None
    steps: dict[str, StepEntry] = field(default_factory=dict)
    evaluations: list[StepEntry] = field(default_factory=list)
    probation_evaluations: list[StepEntry] = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def gender_label(self) -> str:
        return members.GENDER_LABELS.get(self.gender or "", "")

    @property
    def masked_id(self) -> str:
        from db.rules import idcard

        return idcard.mask(self.id_number)

    def date_of(self, key: str) -> dt.date | None:
        if key in REPEATABLE:
            entries = self.entries(key)
            return entries[-1].date if entries else None
        s = self.steps.get(key)
        return s.date if s else None

    def entries(self, key: str) -> list[StepEntry]:
        if key == "evaluations":
            return self.evaluations
        if key == "probation_evaluations":
            return self.probation_evaluations
        s = self.steps.get(key)
        return [s] if s else []


COLUMNS = [
    *_PERSON,
    *_RECORD,
    "ext_decided_on",
    "ext_months",
    "ext_approved_on",
    "ext_reason",
    "ext_override",
    "notes",
]
DATE_COLS = {"birth_date", "leaving_on", "stopped_on", "ext_decided_on", "ext_approved_on"}


# ------------------------------------------------------------------------------------------ validation


def _problem(field_name: str, msg: str) -> Problem:
    labels = {**members.FIELD_LABELS, "leaving_on": "预计离开本单位日期", "stop_reason": "终止原因"}
    return Problem(msg, column=labels.get(field_name, field_name))


def validate(a: Applicant, *, today: dt.date | None = None, strict_id: bool = True) -> list[Problem]:
    """Personal fields as on the roster (db.members.validate): name, ID number checksum and agreement."""
    today = today or clock.today()
    m = members.Member(
        name=a.name,
        gender=a.gender,
        birth_date=a.birth_date,
        id_number=a.id_number,
        education=a.education,
        ethnicity=a.ethnicity,
        phone=a.phone,
    )
    res = members.validate(m, today=today, strict_id=strict_id)
    problems = list(res.errors)
    a.name, a.gender, a.birth_date = m.name, m.gender, m.birth_date
    if strict_id:
        a.id_number = m.id_number
    if a.gender not in (None, "male", "female"):
        problems.append(_problem("gender", "性别只能是男或女"))
    if a.occupation is not None and a.occupation not in members.OCCUPATION_LABELS:
        problems.append(_problem("occupation", "职业不在党内统计的职业分类中"))
    if a.stage not in rules.STAGES:
        problems.append(_problem("stage", "阶段不正确"))
    return problems


# ------------------------------------------------------------------------------------------ entries


def _without(a: Applicant, key: str, seq: int | None) -> Applicant:
    """The applicant without one entry (the one being corrected), so its own old breaches count as new."""
    from dataclasses import replace

    b = replace(
        a,
        steps={k: v for k, v in a.steps.items() if k != key},
        evaluations=[e for e in a.evaluations if not (key == "evaluations" and e.seq == seq)],
        probation_evaluations=[
            e for e in a.probation_evaluations if not (key == "probation_evaluations" and e.seq == seq)
        ],
    )
    return b


def _with_entry(a: Applicant, e: StepEntry) -> Applicant:
    from dataclasses import replace

    b = replace(
        a,
        steps=dict(a.steps),
        evaluations=list(a.evaluations),
        probation_evaluations=list(a.probation_evaluations),
    )
    if e.key == "evaluations":
        b.evaluations = [x for x in b.evaluations if x.seq != e.seq or not e.seq] + [e]
    elif e.key == "probation_evaluations":
        b.probation_evaluations = [x for x in b.probation_evaluations if x.seq != e.seq or not e.seq] + [e]
    else:
        b.steps[e.key] = e
    return b


def age_at_application(a: Applicant) -> int | None:
    applied = a.date_of("applied")
    return age_on(a.birth_date, applied) if a.birth_date and applied else None


def eighteen_on(a: Applicant) -> dt.date | None:
    return add_years(a.birth_date, 18) if a.birth_date else None
