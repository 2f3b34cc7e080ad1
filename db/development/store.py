"""发展党员: applicants, the 25 steps as recorded (date, actor, facts), the roster link, findings D01–D29 and the
interchange section `applicants` (CONTRACT.md §3).

The rules are in db/rules/development.py (pure functions); this module reads and writes the records, builds the
rules' `Person` with the roster facts they need, and runs every change as one named operation:

- `record_step` refuses a step whose prerequisites are not recorded or whose date goes backwards, and a step that
  breaks a rule of level *block* unless an override reason is given (kept with the step, shown in findings).
- Roster link (RULES.md D20, D28, D29): when the 支部大会 passes the person (`branch_vote`), they are put on the
  roster as 预备党员 with 加入党组织日期 = that day (dues start, 预备期 starts) in the same operation; when the
  转正 is approved (`full_approved`) they become 正式党员 from the end of the probation (G + 1 year, moved by an
  extension), which is when their 党龄 starts. `assigned_to_group` puts them in the chosen 党小组.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db import clock, members
from db.dates import DateParseError, add_years, age_on, fmt_zh, from_iso, iso, parse_date
from db.errors import InputRefused, Problem
from db.findings import Finding, provider
from db.interchange import section
from db.rules import development as rules
from db.rules.development import BY_KEY, REPEATABLE, STAGE_LABELS, STEP_KEYS

if TYPE_CHECKING:
    from db.connection import Ledger

RECOMMENDED_VIA = {"party_members": "党员推荐", "mass_org": "群团组织推优"}
DECIDED_BY = {"committee": "支委会", "assembly": "支部党员大会"}
VOTE_KEYS = ("expected", "present", "yes", "no", "abstain", "written")
# Facts each step may carry (besides date and actor). Anything else in `facts` is kept as given.
FACT_KEYS: dict[str, tuple[str, ...]] = {
    "activist": ("recommended_via", "decided_by"),
    "contacts_assigned": ("member_ids",),
    "sponsors_assigned": ("member_ids",),
    "political_review": ("conclusion",),
    "training": ("start", "end", "hours"),
    "volunteer_form": ("number",),
    "branch_vote": VOTE_KEYS,
    "full_vote": (*VOTE_KEYS, "delay_reason"),
    "approved": ("approver_kind",),
    "full_approved": ("approver_kind",),
    "assigned_to_group": ("group_id",),
}
# In the interchange file the actor of these steps is called `by` (CONTRACT.md: `talked` (`by`)).
ACTOR_KEY = {"talked": "by", "upper_talk": "by", "evaluations": "by", "probation_evaluations": "by"}
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


# ------------------------------------------------------------------------------------------ reading


def _entry(r: sqlite3.Row) -> StepEntry:
    codes = tuple(c for c in (r["override_codes"] or "").split(",") if c)
    return StepEntry(
        r["step"],
        dt.date.fromisoformat(r["date"]),
        r["seq"],
        r["actor"],
        json.loads(r["facts"]) if r["facts"] else {},
        r["meeting_id"],
        codes,
        r["override_reason"],
        r["id"],
    )


def _applicant(r: sqlite3.Row, steps: list[StepEntry]) -> Applicant:
    data: dict[str, Any] = {k: r[k] for k in COLUMNS}
    for k in DATE_COLS:
        data[k] = from_iso(data[k])
    data["frontline"] = bool(data["frontline"])
    a = Applicant(id=r["id"], **data)
    for s in sorted(steps, key=lambda e: (e.key, e.seq)):
        if s.key == "evaluations":
            a.evaluations.append(s)
        elif s.key == "probation_evaluations":
            a.probation_evaluations.append(s)
        else:
            a.steps[s.key] = s
    return a


def list_applicants(ledger: Ledger, *, include_stopped: bool = True) -> list[Applicant]:
    by: dict[int, list[StepEntry]] = {}
    for r in ledger.query("SELECT * FROM applicant_steps ORDER BY applicant_id, step, seq"):
        by.setdefault(r["applicant_id"], []).append(_entry(r))
    out = [_applicant(r, by.get(r["id"], [])) for r in ledger.query("SELECT * FROM applicants ORDER BY id")]
    return out if include_stopped else [a for a in out if a.stage != "stopped"]


def get_applicant(ledger: Ledger, applicant_id: int) -> Applicant:
    r = ledger.query_one("SELECT * FROM applicants WHERE id=?", (applicant_id,))
    if r is None:
        raise KeyError(applicant_id)
    steps = [
        _entry(x) for x in ledger.query("SELECT * FROM applicant_steps WHERE applicant_id=?", (applicant_id,))
    ]
    return _applicant(r, steps)


def applicant_choices(ledger: Ledger) -> list[tuple[int, str]]:
    """(id, label) for the 纪实表 export and pickers: name, stage and application date."""
    out = []
    for a in list_applicants(ledger):
        assert a.id is not None
        applied = a.date_of("applied")
        out.append((a.id, f"{a.name}（{a.stage_label}" + (f"，{fmt_zh(applied)}申请）" if applied else "）")))
    return out


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

    def on(self, d: dt.date) -> dict[int, members.MemberOn]:
        if d not in self.by_date:
            self.by_date[d] = {m.id: m for m in members.roster_on(self.ledger, d)}
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


def fact_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.date):
        return v
    try:
        return parse_date(v) if v else None
    except DateParseError:
        return None


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


# ------------------------------------------------------------------------------------------ clocks and timeline


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


def _check_unique(ledger: Ledger, a: Applicant) -> None:
    if not a.id_number:
        return
    row = ledger.query_one(
        "SELECT name FROM applicants WHERE id_number=? AND id<>? AND stage<>'stopped'",
        (a.id_number, a.id or -1),
    )
    if row:
        raise InputRefused([_problem("id_number", f"公民身份号码与发展对象名单中的“{row[0]}”重复")])


def _params(a: Applicant) -> dict[str, Any]:
    d: dict[str, Any] = {k: getattr(a, k) for k in COLUMNS}
    for k in DATE_COLS:
        d[k] = iso(d[k])
    d["frontline"] = 1 if d["frontline"] else 0
    return d


# ------------------------------------------------------------------------------------------ writing


def add_applicant(
    ledger: Ledger,
    a: Applicant,
    applied_on: dt.date | None = None,
    *,
    override_reason: str | None = None,
    today: dt.date | None = None,
) -> int:
    """AddApplicant: a new person with, when given, the date of the written application (step 1, D01)."""
    problems = validate(a, today=today)
    if problems:
        raise InputRefused(problems, f"“{a.name or '（无姓名）'}”的信息有误，未保存")
    a.stage = "applicant"
    with ledger.operation("AddApplicant", f"新增入党申请人 {a.name}") as op:
        _check_unique(ledger, a)
        params = _params(a)
        cols = list(params)
        cur = ledger.conn.execute(
            f"INSERT INTO applicants({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})", params
        )
        a.id = int(cur.lastrowid or 0)
        if applied_on is not None:
            record_step(ledger, a.id, "applied", applied_on, override_reason=override_reason, today=today)
        op.value = a.id
    return a.id


def update_applicant(ledger: Ledger, a: Applicant, *, today: dt.date | None = None) -> None:
    """UpdateApplicant: personal fields (the steps are changed through record_step)."""
    assert a.id is not None
    problems = validate(a, today=today)
    if problems:
        raise InputRefused(problems, f"“{a.name}”的信息有误，未保存")
    with ledger.operation("UpdateApplicant", f"修改发展党员信息 {a.name}"):
        _check_unique(ledger, a)
        keys = [k for k in PERSONAL]
        params = _params(a)
        ledger.conn.execute(
            f"UPDATE applicants SET {', '.join(f'{k}=:{k}' for k in keys)} WHERE id=:id",
            {**{k: params[k] for k in keys}, "id": a.id},
        )
        if a.birth_date is not None and "applied" in a.steps:
            p = person_of(ledger, a)
            blocks = [b for b in rules.checks(p, a.steps["applied"].date) if b.code == "D01"]
            if blocks and "D01" not in a.steps["applied"].override_codes:
                raise StepRefused(blocks, "出生日期与申请日期不符合年满18岁的要求，未保存")


def delete_applicant(ledger: Ledger, applicant_id: int) -> None:
    a = get_applicant(ledger, applicant_id)
    if a.member_id is not None:
        raise InputRefused([Problem(f"“{a.name}”已列入党员名册，不能删除；如不再发展，请使用“终止”。")])
    with ledger.operation("DeleteApplicant", f"删除发展党员记录 {a.name}"):
        ledger.conn.execute("DELETE FROM applicants WHERE id=?", (applicant_id,))


def _int_or_none(v: Any, label: str, problems: list[Problem]) -> int | None:
    if v is None or v == "":
        return None
    try:
        n = int(v)
    except (TypeError, ValueError):
        problems.append(Problem(f"{label}应为整数", column=label))
        return None
    if n < 0:
        problems.append(Problem(f"{label}不能为负数", column=label))
    return n


def normalise_facts(
    ledger: Ledger | None, key: str, facts: dict[str, Any] | None
) -> tuple[dict[str, Any], list[Problem]]:
    """Check and tidy a step's facts; unknown extra keys are kept as given."""
    facts = {k: v for k, v in (facts or {}).items() if v is not None and v != ""}
    problems: list[Problem] = []
    if key in ("contacts_assigned", "sponsors_assigned"):
        label = "培养联系人" if key == "contacts_assigned" else "入党介绍人"
        ids = []
        for v in facts.get("member_ids") or []:
            try:
                ids.append(int(v))
            except (TypeError, ValueError):
                problems.append(Problem(f"{label}应从党员名册中选择", column=label))
        if len(set(ids)) != len(ids):
            problems.append(Problem(f"{label}有重复", column=label))
        if ledger is not None:
            known = members.names(ledger)
            for i in ids:
                if i not in known:
                    problems.append(Problem(f"{label}（编号 {i}）不在党员名册中", column=label))
        facts["member_ids"] = ids
    if key in ("branch_vote", "full_vote"):
        for k, label in zip(
            VOTE_KEYS,
            ("应到会有表决权人数", "实到会有表决权人数", "赞成", "反对", "弃权", "书面意见"),
            strict=True,
        ):
            n = _int_or_none(facts.get(k), label, problems)
            if n is None:
                facts.pop(k, None)
            else:
                facts[k] = n
    if key == "training":
        for k, label in (("start", "培训开始日期"), ("end", "培训结束日期")):
            if k in facts:
                try:
                    d = parse_date(facts[k])
                except DateParseError as e:
                    problems.append(Problem(str(e), column=label))
                else:
                    facts[k] = iso(d)
        if "hours" in facts:
            try:
                h = float(facts["hours"])
            except (TypeError, ValueError):
                problems.append(Problem("学时应为数字", column="学时"))
            else:
                facts["hours"] = int(h) if h == int(h) else h
    if key == "activist":
        if "recommended_via" in facts and facts["recommended_via"] not in RECOMMENDED_VIA:
            problems.append(Problem("推荐方式只能是党员推荐或群团组织推优", column="推荐方式"))
        if "decided_by" in facts and facts["decided_by"] not in DECIDED_BY:
            problems.append(Problem("确定方式只能是支委会或支部党员大会", column="确定方式"))
    if (
        key in ("approved", "full_approved")
        and "approver_kind" in facts
        and facts["approver_kind"] not in rules.APPROVER_KINDS
    ):
        problems.append(Problem("审批机关类别不正确", column="审批机关"))
    if key == "assigned_to_group" and "group_id" in facts:
        gid = _int_or_none(facts["group_id"], "党小组", problems)
        facts["group_id"] = gid
        if (
            gid is not None
            and ledger is not None
            and ledger.scalar("SELECT count(*) FROM party_groups WHERE id=?", (gid,)) == 0
        ):
            problems.append(Problem("所选党小组不存在", column="党小组"))
    if key == "volunteer_form" and "number" in facts:
        facts["number"] = str(facts["number"]).strip()
    if key == "political_review" and "conclusion" in facts:
        facts["conclusion"] = str(facts["conclusion"]).strip()
    return facts, problems


def meeting_facts(
    ledger: Ledger, meeting_id: int, person_name: str, key: str
) -> tuple[dt.date | None, dict[str, Any]]:
    """The date and (for votes) the counts of a meeting record (db.meetings), if that module is there.

    The decision about this person is the one whose text names them, else the only voted decision.
    """
    try:
        from db import meetings
    except ModuleNotFoundError:
        return None, {}
    try:
        m = meetings.get_meeting(ledger, meeting_id)
    except (KeyError, AttributeError, LookupError):
        raise InputRefused([Problem(f"会议记录（编号 {meeting_id}）不存在", column="会议记录")]) from None
    day = getattr(m, "date", None)
    if isinstance(day, str):
        day = from_iso(day)
    facts: dict[str, Any] = {}
    if key in ("branch_vote", "full_vote"):
        decisions = [d for d in getattr(m, "decisions", []) if getattr(d, "yes", None) is not None]
        named = [d for d in decisions if person_name and person_name in (getattr(d, "text", "") or "")]
        pick = named[0] if named else (decisions[0] if len(decisions) == 1 else None)
        try:
            facts["expected"] = int(m.expected_voters)
            facts["present"] = int(m.present_voters)
        except AttributeError:
            pass
        if pick is not None:
            for k in ("yes", "no", "abstain", "written"):
                v = getattr(pick, k, None)
                if v is not None:
                    facts[k] = int(v)
    return day if isinstance(day, dt.date) else None, facts


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


def _unlink_member(ledger: Ledger, a: Applicant, reason: str) -> None:
    """Take the roster entry made at the 支部大会 back off (deleted when nothing else refers to it)."""
    assert a.member_id is not None
    mid = a.member_id
    ledger.conn.execute("UPDATE applicants SET member_id=NULL WHERE id=?", (a.id,))
    a.member_id = None
    try:
        ledger.conn.execute("SAVEPOINT unlink_member")
        ledger.conn.execute("DELETE FROM members WHERE id=?", (mid,))
        ledger.conn.execute("RELEASE unlink_member")
    except sqlite3.IntegrityError:
        ledger.conn.execute("ROLLBACK TO unlink_member")
        ledger.conn.execute("RELEASE unlink_member")
        ledger.conn.execute("UPDATE applicants SET member_id=? WHERE id=?", (mid, a.id))
        a.member_id = mid
        m = members.get(ledger, mid)
        if m.status == "active":
            members.change_status(ledger, mid, "left", clock.today(), reason)


def _sync_stage(ledger: Ledger, a: Applicant) -> None:
    stage = rules.derive_stage(person_of(ledger, a))
    if stage != a.stage:
        ledger.conn.execute("UPDATE applicants SET stage=? WHERE id=?", (stage, a.id))
        a.stage = stage


def _roster_link(ledger: Ledger, a: Applicant, key: str) -> None:
    """D20/D29 at the 支部大会, group at 编入党小组, D28 at 转正 approval (inside the caller's operation)."""
    if key == "branch_vote":
        g = a.steps["branch_vote"].date
        if a.member_id is None:
            m = members.Member(
                name=a.name,
                gender=a.gender,
                ethnicity=a.ethnicity,
                birth_date=a.birth_date,
                id_number=a.id_number,
                education=a.education,
                category="probationary",
                joined_on=g,
                job=a.job,
                occupation=a.occupation,
                frontline=a.frontline,
                phone=a.phone,
                notes="经本支部发展，支部大会通过接收为预备党员",
            )
            mid = members.insert(ledger, m)
            ledger.conn.execute("UPDATE applicants SET member_id=? WHERE id=?", (mid, a.id))
            a.member_id = mid
        else:
            m = members.get(ledger, a.member_id)
            if m.joined_on != g:
                m.joined_on = g
                members.update(ledger, m, reason="支部大会接收日期", changed_on=g)
    elif key == "assigned_to_group" and a.member_id is not None:
        gid = a.steps[key].facts.get("group_id")
        m = members.get(ledger, a.member_id)
        if gid is not None and m.group_id != gid:
            m.group_id = int(gid)
            members.update(ledger, m, reason="编入党小组", changed_on=a.steps[key].date)
    elif key == "full_approved" and a.member_id is not None:
        end = rules.probation_end(person_of(ledger, a))
        m = members.get(ledger, a.member_id)
        if m.category != "full" or m.full_on != end:
            m.category, m.full_on = "full", end
            members.update(ledger, m, reason="预备党员转正", changed_on=end)


def extend_probation(
    ledger: Ledger,
    applicant_id: int,
    decided_on: dt.date,
    months: int,
    *,
    approved_on: dt.date | None = None,
    reason: str | None = None,
    override_reason: str | None = None,
    today: dt.date | None = None,
) -> None:
    """ExtendProbation (D27): once, 6–12 months, decided by the 支部大会 and approved above; moves the end date."""
    today = today or clock.today()
    a = get_applicant(ledger, applicant_id)
    if a.ext_decided_on is not None:
        raise InputRefused([Problem("预备期已经延长过一次，只能延长一次（D27）", column="延长预备期")])
    if "branch_vote" not in a.steps or "full_vote" in a.steps or a.stage == "stopped":
        raise InputRefused([Problem("只有尚未转正的预备党员才能延长预备期", column="延长预备期")])
    if decided_on > today or (approved_on is not None and approved_on > today):
        raise InputRefused([Problem("日期晚于今天", column="延长预备期")])
    msg = rules.extension_problem(person_of(ledger, a), decided_on, months, existing=False)
    why = (override_reason or "").strip() or None
    if msg and why is None:
        raise StepRefused([rules.Breach("D27", "error", f"{a.name}：{msg}")], "延长预备期不符合规定，未保存")
    with ledger.operation("ExtendProbation", f"{a.name}：延长预备期{months}个月"):
        ledger.conn.execute(
            "UPDATE applicants SET ext_decided_on=?, ext_months=?, ext_approved_on=?, ext_reason=?, ext_override=? "
            "WHERE id=?",
            (iso(decided_on), months, iso(approved_on), reason, why if msg else None, applicant_id),
        )


def stop(ledger: Ledger, applicant_id: int, on: dt.date, reason: str) -> None:
    """StopApplicant (终止): with a reason. A 预备党员 not approved is taken off the roster; one whose
    预备党员资格 is cancelled stays in past records with status 出党/除名 from that day."""
    a = get_applicant(ledger, applicant_id)
    if not (reason or "").strip():
        raise InputRefused([_problem("stop_reason", "请填写终止原因")])
    if a.stage == "stopped":
        raise InputRefused([Problem(f"“{a.name}”已经终止")])
    if a.stage == "full":
        raise InputRefused([Problem(f"“{a.name}”已转为正式党员，不能终止；党籍变化请在党员名册中办理")])
    with ledger.operation("StopApplicant", f"{a.name}：终止发展"):
        ledger.conn.execute(
            "UPDATE applicants SET stopped_on=?, stop_reason=?, stage='stopped' WHERE id=?",
            (iso(on), reason.strip(), applicant_id),
        )
        if a.member_id is not None:
            if "approved" not in a.steps:
                _unlink_member(ledger, a, reason.strip())
            else:
                members.change_status(ledger, a.member_id, "left", on, f"取消预备党员资格：{reason.strip()}")


def resume(ledger: Ledger, applicant_id: int) -> None:
    """ResumeApplicant: undo a 终止 entered by mistake (before anything else changed, prefer 撤销)."""
    a = get_applicant(ledger, applicant_id)
    with ledger.operation("ResumeApplicant", f"{a.name}：恢复发展"):
        ledger.conn.execute(
            "UPDATE applicants SET stopped_on=NULL, stop_reason=NULL WHERE id=?", (applicant_id,)
        )
        _sync_stage(ledger, get_applicant(ledger, applicant_id))


# ------------------------------------------------------------------------------------------ findings


@provider("development")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """D01–D29 (RULES.md §3.2) for every person in the 发展党员 ledger, as of a date."""
    out: list[Finding] = []
    pr = practice(ledger)
    cache = _RosterCache(ledger)
    for a in list_applicants(ledger, include_stopped=False):
        for b in rules.checks(person_of(ledger, a, cache), as_of, pr):
            msg = b.message + (f"（已说明理由越过：{b.overridden}）" if b.overridden else "")
            out.append(Finding(b.code, b.severity, "applicant", a.id, a.name, msg, None, b.due))
    return out


# ------------------------------------------------------------------------------------------ figures


def _stage_on(p: rules.Person, on: dt.date) -> str | None:
    v = rules.as_of_view(p, on)
    if v.d("applied") is None:
        return None
    return rules.derive_stage(v)


def year_summary(ledger: Ledger, year: int) -> dict[str, Any]:
    """{"by_stage": {stage: int} as of the year's end (or today), "admitted": 接收预备党员 in the year,
    "converted": 转正 (approved) in the year}."""
    on = min(dt.date(year, 12, 31), clock.today())
    by_stage = {s: 0 for s in rules.STAGES}
    admitted = converted = 0
    cache = _RosterCache(ledger)
    for a in list_applicants(ledger):
        p = person_of(ledger, a, cache)
        st = _stage_on(p, on)
        if st is not None:
            by_stage[st] += 1
        g, u = p.d("branch_vote"), p.d("full_approved")
        if g is not None and g.year == year:
            admitted += 1
        if u is not None and u.year == year:
            converted += 1
    return {"by_stage": by_stage, "admitted": admitted, "converted": converted}


def yearly_figures(ledger: Ledger, year: int) -> dict[str, Any]:
    """Development figures for 党内统计 (RULES.md §6.6): people admitted as 预备党员 (支部大会 passed) in the year.

    {"year", "admitted", "women", "minorities", "age_35_under" (age on the 支部大会 day), "college" (大专及以上),
     "frontline" (生产工作一线), "by_occupation": {code: int} (members.OCCUPATION_LABELS codes, "unknown" if
     not given), "converted" (转正 approved in the year), "applied", "activists", "candidates" (new in the year)}
    """
    out: dict[str, Any] = {
        "year": year,
        "admitted": 0,
        "women": 0,
        "minorities": 0,
        "age_35_under": 0,
        "college": 0,
        "frontline": 0,
        "by_occupation": {},
        "converted": 0,
        "applied": 0,
        "activists": 0,
        "candidates": 0,
    }
    occ: dict[str, int] = {}
    for a in list_applicants(ledger):

        def in_year(key: str, a: Applicant = a) -> bool:
            d = a.date_of(key)
            return d is not None and d.year == year

        out["applied"] += in_year("applied")
        out["activists"] += in_year("activist")
        out["candidates"] += in_year("candidate")
        out["converted"] += in_year("full_approved")
        g = a.date_of("branch_vote")
        if g is None or g.year != year:
            continue
        out["admitted"] += 1
        out["women"] += a.gender == "female"
        out["minorities"] += bool(a.ethnicity) and a.ethnicity not in ("汉族", "汉")
        out["age_35_under"] += a.birth_date is not None and age_on(a.birth_date, g) <= 35
        out["college"] += (a.education or "") in members.COLLEGE_OR_ABOVE
        out["frontline"] += bool(a.frontline)
        code = a.occupation or "unknown"
        occ[code] = occ.get(code, 0) + 1
    out["by_occupation"] = occ
    return out


# ------------------------------------------------------------------------------------------ interchange

KEYS = ["id", *_PERSON, *_RECORD, "notes"]


def _dump_entry(e: StepEntry) -> Any:
    extra: dict[str, Any] = {}
    if e.actor:
        extra[ACTOR_KEY.get(e.key, "actor")] = e.actor
    extra.update(e.facts)
    if e.meeting_id is not None:
        extra["meeting_id"] = e.meeting_id
    if e.override_codes:
        extra["override"] = {"codes": list(e.override_codes), "reason": e.override_reason}
    if not extra:
        return e.date.isoformat()
    return {"date": e.date.isoformat(), **extra}


@section("applicants", order=70)
def dump_applicants(ledger: Ledger) -> list[dict[str, Any]]:
    out = []
    for a in list_applicants(ledger):
        d: dict[str, Any] = {}
        for k in KEYS:
            v = getattr(a, k)
            d[k] = v.isoformat() if isinstance(v, dt.date) else v
        steps: dict[str, Any] = {}
        for key in STEP_KEYS:
            entries = a.entries(key)
            if not entries:
                continue
            steps[key] = [_dump_entry(e) for e in entries] if key in REPEATABLE else _dump_entry(entries[0])
        d["steps"] = steps
        d["extension"] = (
            None
            if a.ext_decided_on is None
            else {
                "decided_on": iso(a.ext_decided_on),
                "months": a.ext_months,
                "approved_on": iso(a.ext_approved_on),
                "reason": a.ext_reason,
                "override_reason": a.ext_override,
            }
        )
        out.append(d)
    return out


def _parse_entry(key: str, raw: Any, where: str, problems: list[Problem], seq: int = 0) -> StepEntry | None:
    obj = raw if isinstance(raw, dict) else {"date": raw}
    day_raw = obj.get("date")
    if day_raw is None and key == "training":
        day_raw = obj.get("end") or obj.get("start")
    try:
        day = parse_date(day_raw)
    except DateParseError as e:
        problems.append(Problem(str(e), column=where))
        return None
    if day is None:
        problems.append(Problem("缺少日期", column=where))
        return None
    actor_key = ACTOR_KEY.get(key, "actor")
    facts = {k: v for k, v in obj.items() if k not in ("date", actor_key, "meeting_id", "override")}
    if key in ("contacts_assigned", "sponsors_assigned") and facts.get("member_ids") is None:
        facts.pop("member_ids", None)
    override = obj.get("override") or {}
    codes = tuple(str(c) for c in override.get("codes") or [])
    return StepEntry(
        key, day, seq, obj.get(actor_key), facts, obj.get("meeting_id"), codes, override.get("reason")
    )


@dump_applicants.loader  # type: ignore[attr-defined,untyped-decorator]
def load_applicants(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    problems: list[Problem] = []
    rows: list[tuple[Applicant, list[StepEntry]]] = []
    for i, raw in enumerate(value):
        where = f"applicants[{i}]"
        data: dict[str, Any] = {k: raw.get(k) for k in KEYS if k != "id"}
        for k in ("birth_date", "leaving_on", "stopped_on"):
            data[k] = from_iso(data[k])
        data["frontline"] = bool(data["frontline"])
        a = Applicant(id=raw.get("id"), **data)
        a.stage = a.stage or "applicant"
        given_id, given_gender, given_birth = a.id_number, a.gender, a.birth_date
        for p in validate(a, strict_id=False):
            problems.append(Problem(f"{a.name or '（无姓名）'}：{p.message}", column=where))
        a.id_number, a.gender, a.birth_date = given_id, given_gender or a.gender, given_birth or a.birth_date
        ext = raw.get("extension")
        if ext:
            a.ext_decided_on, a.ext_months = from_iso(ext.get("decided_on")), ext.get("months")
            a.ext_approved_on, a.ext_reason = from_iso(ext.get("approved_on")), ext.get("reason")
            a.ext_override = ext.get("override_reason")
        entries: list[StepEntry] = []
        for key, v in (raw.get("steps") or {}).items():
            if v is None:
                continue
            if key in REPEATABLE:
                for n, item in enumerate(v, start=1):
                    e = _parse_entry(key, item, f"{where}.steps.{key}[{n - 1}]", problems, n)
                    if e:
                        entries.append(e)
            else:
                e = _parse_entry(key, v, f"{where}.steps.{key}", problems)
                if e:
                    entries.append(e)
        if raw.get("stage") is None:
            b = _applicant_like(a, entries)
            a.stage = rules.derive_stage(person_of(ledger, b))
        rows.append((a, entries))
    if problems:
        raise InputRefused(problems, "交换文件中的发展党员信息有误，未写入任何内容")
    for a, entries in rows:
        params = _params(a)
        cols = ["id", *params] if a.id is not None else list(params)
        params["id"] = a.id
        cur = ledger.conn.execute(
            f"INSERT INTO applicants({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})", params
        )
        aid = a.id if a.id is not None else int(cur.lastrowid or 0)
        for e in entries:
            ledger.conn.execute(
                "INSERT INTO applicant_steps(applicant_id, step, seq, date, actor, facts, meeting_id, override_codes,"
                " override_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    aid,
                    e.key,
                    e.seq,
                    iso(e.date),
                    e.actor,
                    json.dumps(e.facts, ensure_ascii=False) if e.facts else None,
                    e.meeting_id,
                    ",".join(e.override_codes) or None,
                    e.override_reason,
                ),
            )


def _applicant_like(a: Applicant, entries: list[StepEntry]) -> Applicant:
    from dataclasses import replace

    b = replace(a, steps={}, evaluations=[], probation_evaluations=[])
    for e in entries:
        b = _with_entry(b, e)
    return b


def age_at_application(a: Applicant) -> int | None:
    applied = a.date_of("applied")
    return age_on(a.birth_date, applied) if a.birth_date and applied else None


def eighteen_on(a: Applicant) -> dt.date | None:
    return add_years(a.birth_date, 18) if a.birth_date else None
