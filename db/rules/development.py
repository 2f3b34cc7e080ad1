"""发展党员: the 25 steps and the checks D01–D29 of RULES.md §3, as pure functions over plain dataclasses.

Nothing here touches the ledger. `db.development` builds a `Person` from its records (with the roster facts the
checks need: what each 培养联系人/入党介绍人 was on the day they were chosen) and turns `Breach`es into findings.

Months are counted as the calendar does (db.dates.add_months: 31 January + 1 month = 28/29 February). "X before
Y" allows the same day unless RULES.md says otherwise (D03: 积极分子 strictly after the application).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from db.dates import add_months, add_years, fmt_zh

# ------------------------------------------------------------------------------------------ the 25 steps


@dataclass(frozen=True)
class StepDef:
    key: str
    no: int
    stage: int  # 1..5 (RULES.md §3.1 stages)
    title: str
    actor: str
    documents: str
    repeatable: bool = False


STEPS: tuple[StepDef, ...] = (
    StepDef("applied", 1, 1, "递交入党申请书", "申请人", "入党申请书"),
    StepDef("talked", 2, 1, "党组织派人谈话", "支部书记/副书记/组织委员", "谈话记录"),
    StepDef(
        "activist",
        3,
        2,
        "确定入党积极分子",
        "支委会（不设支委会的为支部大会）",
        "党员推荐或群团推优材料、支委会会议记录",
    ),
    StepDef("activist_filed", 4, 2, "报上级党委备案（积极分子）", "党支部", "入党积极分子备案表"),
    StepDef("contacts_assigned", 5, 2, "指定培养联系人", "党支部", "培养联系人登记（1–2名正式党员）"),
    StepDef(
        "evaluations",
        6,
        2,
        "培养教育考察（每半年一次）",
        "党支部、培养联系人",
        "培养考察登记表、思想汇报",
        repeatable=True,
    ),
    StepDef("candidate", 7, 3, "确定发展对象", "支委会", "支委会会议记录、党小组和联系人及党员群众意见"),
    StepDef("candidate_filed", 8, 3, "报上级党委备案（发展对象）", "党支部", "发展对象备案表"),
    StepDef("sponsors_assigned", 9, 3, "确定入党介绍人", "党支部", "入党介绍人登记（2名正式党员）"),
    StepDef("political_review", 10, 3, "政治审查", "党支部", "政治审查综合材料（结论性意见）"),
    StepDef("training", 11, 3, "集中培训", "基层党委或县级党委组织部门", "集中培训结业证书（≥3天或≥24学时）"),
    StepDef("committee_review", 12, 4, "支部委员会审查", "支委会", "支委会审查意见"),
    StepDef("pre_review", 13, 4, "上级党委预审", "具有审批权限的基层党委", "预审意见"),
    StepDef("volunteer_form", 14, 4, "填写入党志愿书", "发展对象（介绍人指导）", "入党志愿书（编号）"),
    StepDef("branch_vote", 15, 4, "支部大会讨论接收", "支部党员大会", "支部大会会议记录、表决票、书面意见"),
    StepDef("upper_talk", 16, 4, "上级党委派人谈话", "党委委员或组织员", "谈话记录"),
    StepDef("approved", 17, 4, "上级党委审批", "基层党委（党委会集体讨论）", "审批意见"),
    StepDef("approval_filed", 18, 4, "再上一级党委组织部门备案", "基层党委", "备案材料"),
    StepDef("assigned_to_group", 19, 5, "编入党支部和党小组", "党支部", "编组记录"),
    StepDef("oath", 20, 5, "入党宣誓", "基层党委或党支部", "入党宣誓记录"),
    StepDef(
        "probation_evaluations",
        21,
        5,
        "继续教育考察",
        "党支部",
        "预备党员考察登记表、思想汇报",
        repeatable=True,
    ),
    StepDef("full_application", 22, 5, "提出转正申请", "预备党员", "转正申请书"),
    StepDef("full_vote", 23, 5, "支部大会讨论转正", "支部党员大会", "支部大会会议记录、表决情况"),
    StepDef("full_approved", 24, 5, "上级党委审批转正", "基层党委", "转正审批意见"),
    StepDef("archived", 25, 5, "材料归档", "党支部/基层党委", "入党材料归档目录"),
)
STEP_KEYS: tuple[str, ...] = tuple(s.key for s in STEPS)
BY_KEY: dict[str, StepDef] = {s.key: s for s in STEPS}
REPEATABLE = frozenset(s.key for s in STEPS if s.repeatable)
STAGE_TITLES = {
    1: "申请入党",
    2: "入党积极分子的确定和培养教育",
    3: "发展对象的确定和考察",
    4: "预备党员的接收",
    5: "预备党员的教育考察和转正",
}

# What must be recorded before a step can be entered (entry order; the dates must not go backwards either).
PREREQS: dict[str, tuple[str, ...]] = {
    "applied": (),
    "talked": ("applied",),
    "activist": ("talked",),
    "activist_filed": ("activist",),
    "contacts_assigned": ("activist",),
    "evaluations": ("activist",),
    "candidate": ("activist_filed", "contacts_assigned"),
    "candidate_filed": ("candidate",),
    "sponsors_assigned": ("candidate",),
    "political_review": ("candidate",),
    "training": ("candidate",),
    "committee_review": ("candidate_filed", "sponsors_assigned", "political_review", "training"),
    "pre_review": ("committee_review",),
    "volunteer_form": ("pre_review",),
    "branch_vote": ("volunteer_form",),
    "upper_talk": ("branch_vote",),
    "approved": ("upper_talk",),
    "approval_filed": ("approved",),
    "assigned_to_group": ("approved",),
    "oath": ("approved",),
    "probation_evaluations": ("branch_vote",),
    "full_application": ("approved",),
    "full_vote": ("full_application",),
    "full_approved": ("full_vote",),
    "archived": ("full_approved",),
}

STAGES = ("applicant", "activist", "candidate", "probationary", "full", "stopped")
STAGE_LABELS = {
    "applicant": "申请人",
    "activist": "积极分子",
    "candidate": "发展对象",
    "probationary": "预备党员",
    "full": "已转正",
    "stopped": "终止",
}

# RULES.md §3.2 levels; CONTRACT.md §4 maps them to severities.
LEVELS: dict[str, str] = {
    "D01": "block",
    "D02": "violation",
    "D03": "block",
    "D04": "warning",
    "D05": "violation",
    "D06": "violation",
    "D07": "warning",
    "D08": "block",
    "D09": "violation",
    "D10": "block",
    "D11": "block",
    "D12": "block",
    "D13": "block",
    "D14": "warning",
    "D15": "block",
    "D16": "violation",
    "D17": "warning",
    "D18": "block",
    "D19": "reminder",
    "D20": "derived",
    "D21": "reminder",
    "D22": "block",
    "D23": "warning",
    "D24": "warning",
    "D25": "block",
    "D26": "violation",
    "D27": "block",
    "D28": "derived",
    "D29": "derived",
}
RULE_TITLES: dict[str, str] = {
    "D01": "申请时年满18岁",
    "D02": "收到申请书后1个月内谈话",
    "D03": "积极分子从已谈话的申请人中确定",
    "D04": "申请满规定月数后确定积极分子",
    "D05": "积极分子报上级党委备案",
    "D06": "1至2名正式党员作培养联系人",
    "D07": "每半年考察一次",
    "D08": "培养教育考察满1年确定发展对象",
    "D09": "发展对象报上级党委备案",
    "D10": "2名正式党员作入党介绍人",
    "D11": "政治审查结论合格",
    "D12": "集中培训不少于3天或24学时",
    "D13": "支委会审查、上级预审后再开支部大会",
    "D14": "3个月内离开本单位的一般不接收",
    "D15": "接收预备党员的支部大会到会和表决过半数",
    "D16": "审批前上级党委派人谈话",
    "D17": "支部大会后3个月内审批",
    "D18": "审批机关为党委",
    "D19": "审批后报再上一级组织部门备案",
    "D20": "预备期自支部大会通过之日起1年",
    "D21": "审批后入党宣誓",
    "D22": "预备期满后才讨论转正",
    "D23": "预备期满及时讨论转正",
    "D24": "转正前提出书面申请",
    "D25": "转正支部大会到会和表决过半数",
    "D26": "转正大会后3个月内审批",
    "D27": "延长预备期只能一次，6至12个月",
    "D28": "党龄自预备期满之日算起",
    "D29": "预备党员自支部大会通过之日起交纳党费、无表决权",
}


def severity_of(level: str) -> str:
    return {"block": "error", "violation": "error", "warning": "warning"}.get(level, "reminder")


# ------------------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class Practice:
    """Local practice (RULES.md PRACTICE/UNCONFIRMED items), from the branch settings."""

    activist_min_months: int = 3  # D04
    pre_review_months: int = 1  # 预审 within ~1 month of 支委会审查 (clock only)
    branch_vote_months: int = 1  # 支部大会 within ~1 month of 预审 (clock only)
    full_vote_grace_days: int = 0  # D23: days after expiry still counted as 及时
    full_application_days: int = 7  # 转正申请 ~1 week before expiry (clock only)
    probation_notice_days: int = 30  # D20 reminder this many days before expiry


@dataclass
class Step:
    key: str
    date: dt.date
    actor: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    override_codes: tuple[str, ...] = ()
    override_reason: str | None = None
    meeting_id: int | None = None


@dataclass(frozen=True)
class Standing:
    """A roster member as they stood on a date (for 联系人/介绍人): category None = not on the roster that day."""

    member_id: int
    name: str
    category: str | None
    sanctioned: bool = False  # 留党察看


@dataclass
class Extension:
    decided_on: dt.date
    months: int
    override_reason: str | None = None


@dataclass
class Person:
    name: str = ""
    birth_date: dt.date | None = None
    steps: dict[str, Step] = field(default_factory=dict)
    evaluations: list[dt.date] = field(default_factory=list)
    probation_evaluations: list[dt.date] = field(default_factory=list)
    extension: Extension | None = None
    leaving_on: dt.date | None = None
    stopped_on: dt.date | None = None
    contacts: list[Standing] = field(default_factory=list)  # as of contacts_assigned
    sponsors: list[Standing] = field(default_factory=list)  # as of sponsors_assigned
    # roster link (D28/D29)
    member_id: int | None = None
    member_joined_on: dt.date | None = None
    member_full_on: dt.date | None = None
    member_category: str | None = None

    def d(self, key: str) -> dt.date | None:
        s = self.steps.get(key)
        return s.date if s else None

    def done(self, key: str) -> bool:
        if key == "evaluations":
            return bool(self.evaluations)
        if key == "probation_evaluations":
            return bool(self.probation_evaluations)
        return key in self.steps


@dataclass(frozen=True)
class Breach:
    code: str
    severity: str
    message: str
    due: dt.date | None = None
    step: str | None = None
    overridden: str | None = None  # the reason, when the secretary passed a block rule explicitly

    @property
    def level(self) -> str:
        return LEVELS[self.code]


@dataclass(frozen=True)
class Vote:
    expected: int | None = None  # 应到会有表决权
    present: int | None = None  # 实到会有表决权
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    written: int | None = None  # 书面意见 in favour from absent voters, counted toward 赞成 (as db.meetings)

    @classmethod
    def of(cls, facts: dict[str, Any]) -> Vote:
        def num(k: str) -> int | None:
            v = facts.get(k)
            return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

        return cls(num("expected"), num("present"), num("yes"), num("no"), num("abstain"), num("written"))

    def problems(self) -> list[str]:
        """RULES.md §1.2 (as db.rules.meetings.judge_vote): 有表决权到会 strictly more than half of 应到会有表决权;
        赞成 plus the written opinions in favour (of absent voters) strictly more than half of 应到会有表决权."""
        if self.expected is None or self.present is None or self.yes is None:
            return ["未登记完整的表决情况（应到、实到有表决权人数和赞成票）"]
        out = []
        w = self.written or 0
        if self.present > self.expected:
            out.append(f"实到有表决权 {self.present} 人多于应到 {self.expected} 人")
        if self.present * 2 <= self.expected:
            out.append(f"到会有表决权党员 {self.present} 人，未超过应到会 {self.expected} 人的半数，会议无效")
        if (self.yes + w) * 2 <= self.expected:
            got = f"赞成 {self.yes} 票" + (f"（含书面意见 {w} 份共 {self.yes + w} 票）" if w else "")
            out.append(f"{got}，未超过应到会有表决权党员 {self.expected} 人的半数")
        cast = self.yes + (self.no or 0) + (self.abstain or 0)
        if cast > self.present:
            out.append(f"赞成、反对、弃权合计 {cast} 票，多于到会有表决权党员 {self.present} 人")
        if w > max(self.expected - self.present, 0):
            out.append(f"书面意见 {w} 份，多于未到会的有表决权党员 {max(self.expected - self.present, 0)} 人")
        return out

    @property
    def valid(self) -> bool:
        return not self.problems()


FAILING_CONCLUSIONS = ("不合格", "unqualified", "fail", "failed", "不通过", "不同意")


def conclusion_fails(conclusion: Any) -> bool:
    text = str(conclusion or "").strip().lower()
    return any(w in text for w in FAILING_CONCLUSIONS)


APPROVER_KINDS = {"party_committee": "党委", "general_branch": "党总支", "branch": "党支部", "other": "其他"}


def approver_kind(step: Step) -> str | None:
    """The kind of body that approved: the recorded kind, else guessed from the name (党总支 cannot approve, D18)."""
    kind = step.facts.get("approver_kind")
    if kind:
        return str(kind)
    name = step.actor or ""
    if "总支" in name:
        return "general_branch"
    if "党委" in name or "党组" in name or "工委" in name:
        return "party_committee"
    if "支部" in name:
        return "branch"
    return None


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


# ------------------------------------------------------------------------------------------ the checks


def checks(person: Person, as_of: dt.date, practice: Practice | None = None) -> list[Breach]:
    """Every D-rule breach in a person's record as of a date (RULES.md §3.2)."""
    pr = practice or Practice()
    p = as_of_view(person, as_of)
    out: list[Breach] = []
    a = p.d("applied")
    if a is None or p.stopped_on is not None:
        return out
    name = p.name

    def add(
        code: str, msg: str, due: dt.date | None = None, step: str | None = None, severity: str | None = None
    ) -> None:
        s = p.steps.get(step) if step else None
        reason = s.override_reason if s and code in s.override_codes else None
        if code == "D27" and p.extension is not None:
            reason = p.extension.override_reason
        out.append(Breach(code, severity or severity_of(LEVELS[code]), f"{name}：{msg}", due, step, reason))

    t, j, jr, f, fr = (
        p.d("talked"),
        p.d("activist"),
        p.d("activist_filed"),
        p.d("candidate"),
        p.d("candidate_filed"),
    )
    z, y, g, h, s = (
        p.d("political_review"),
        p.d("pre_review"),
        p.d("branch_vote"),
        p.d("upper_talk"),
        p.d("approved"),
    )
    q, r, u = p.d("full_application"), p.d("full_vote"), p.d("full_approved")

    # D01 年满18岁
    if p.birth_date is not None and a < add_years(p.birth_date, 18):
        add(
            "D01",
            f"递交申请书时（{fmt_zh(a)}）未满18岁（{fmt_zh(add_years(p.birth_date, 18))}满18岁）",
            step="applied",
        )
    # D02 谈话 within 1 month
    talk_due = add_months(a, 1)
    if t is None:
        if as_of > talk_due and j is None:
            add(
                "D02",
                f"收到入党申请书已超过1个月，尚未派人谈话（应在{fmt_zh(talk_due)}前）",
                talk_due,
                "talked",
            )
        elif j is not None:
            add("D02", "没有党组织派人谈话的记录", talk_due, "talked")
    elif t > talk_due:
        add("D02", f"谈话日期 {fmt_zh(t)} 超过收到申请书后1个月（{fmt_zh(talk_due)}）", talk_due, "talked")
    # D03 积极分子 from interviewed applicants
    if j is not None:
        if t is None or j < t:
            add(
                "D03",
                "确定为入党积极分子前没有谈话记录"
                if t is None
                else f"确定为入党积极分子（{fmt_zh(j)}）早于谈话（{fmt_zh(t)}）",
                step="activist",
            )
        if j <= a:
            add("D03", f"确定为入党积极分子（{fmt_zh(j)}）不晚于递交申请书（{fmt_zh(a)}）", step="activist")
        # D04 local minimum
        soon = add_months(a, pr.activist_min_months)
        if pr.activist_min_months and j < soon:
            add(
                "D04",
                f"递交申请书不满{pr.activist_min_months}个月即确定为入党积极分子（{fmt_zh(soon)}满）",
                soon,
                "activist",
            )
    # D05 积极分子备案 before F
    if f is not None and (jr is None or jr > f):
        add(
            "D05",
            "确定为发展对象前没有将入党积极分子报上级党委备案"
            if jr is None
            else f"积极分子备案（{fmt_zh(jr)}）晚于确定为发展对象（{fmt_zh(f)}）",
            step="activist_filed",
        )
    # D06 培养联系人
    if "contacts_assigned" in p.steps or f is not None:
        if "contacts_assigned" not in p.steps:
            add("D06", "没有指定培养联系人", step="contacts_assigned")
        else:
            bad = _standing_problems(p.contacts)
            if not 1 <= len(p.contacts) <= 2:
                add("D06", f"培养联系人应为1至2名，登记了{len(p.contacts)}名", step="contacts_assigned")
            if bad:
                add("D06", "培养联系人" + "；".join(bad), step="contacts_assigned")
    # D07 half-yearly 考察
    if j is not None:
        until = min(f, as_of) if f is not None else as_of
        for w_start, w_end in evaluation_windows(j, until):
            if w_end == as_of and f is None:
                continue  # the last day of the window is still open
            if not any(w_start < k <= w_end for k in p.evaluations):
                add("D07", f"{fmt_zh(w_start)}至{fmt_zh(w_end)}这半年没有培养考察记录", w_end, "evaluations")
    # D08 F ≥ J + 1 year
    if f is not None and j is not None and f < add_years(j, 1):
        add(
            "D08",
            f"确定为发展对象（{fmt_zh(f)}）时培养教育考察不满1年（{fmt_zh(add_years(j, 1))}满1年）",
            step="candidate",
        )
    # D09 发展对象备案 before G
    if g is not None and (fr is None or fr > g):
        add(
            "D09",
            "支部大会讨论前没有将发展对象报上级党委备案"
            if fr is None
            else f"发展对象备案（{fmt_zh(fr)}）晚于支部大会（{fmt_zh(g)}）",
            step="candidate_filed",
        )
    # D10 2 入党介绍人, 正式党员
    if "sponsors_assigned" in p.steps or g is not None:
        if "sponsors_assigned" not in p.steps:
            add("D10", "支部大会讨论前没有确定入党介绍人", step="sponsors_assigned")
        else:
            ids = {x.member_id for x in p.sponsors}
            if len(p.sponsors) != 2 or len(ids) != 2:
                add("D10", f"入党介绍人应为2名正式党员，登记了{len(ids)}名", step="sponsors_assigned")
            bad = _standing_problems(p.sponsors)
            if bad:
                add("D10", "入党介绍人" + "；".join(bad), step="sponsors_assigned")
    # D11 政审
    pol = p.steps.get("political_review")
    if pol is not None and conclusion_fails(pol.facts.get("conclusion")):
        add("D11", f"政治审查结论为“{pol.facts.get('conclusion')}”，不能继续发展", step="political_review")
    elif g is not None and (z is None or z > g):
        add(
            "D11",
            "支部大会讨论前没有形成政治审查结论"
            if z is None
            else f"政治审查结论（{fmt_zh(z)}）晚于支部大会（{fmt_zh(g)}）",
            step="political_review",
        )
    # D12 集中培训
    tr = p.steps.get("training")
    if tr is not None:
        msg = _training_problem(tr)
        if msg:
            add("D12", msg, step="training")
        elif g is not None and tr.date > g:
            add("D12", f"集中培训（{fmt_zh(tr.date)}结束）晚于支部大会（{fmt_zh(g)}）", step="training")
    elif g is not None:
        add("D12", "支部大会讨论前没有参加集中培训的记录", step="training")
    # D13 支委会审查 → 预审 → (志愿书) → G
    if g is not None:
        c = p.d("committee_review")
        vf = p.d("volunteer_form")
        if c is None:
            add("D13", "支部大会讨论前没有支部委员会审查记录", step="committee_review")
        if y is None:
            add("D13", "支部大会讨论前没有上级党委预审记录", step="pre_review")
        elif y > g:
            add("D13", f"上级党委预审（{fmt_zh(y)}）晚于支部大会（{fmt_zh(g)}）", step="pre_review")
        elif c is not None and c > y:
            add("D13", f"支委会审查（{fmt_zh(c)}）晚于上级党委预审（{fmt_zh(y)}）", step="committee_review")
        if vf is not None and y is not None and vf < y:
            add("D13", f"入党志愿书（{fmt_zh(vf)}）在预审（{fmt_zh(y)}）之前填写", step="volunteer_form")
        if vf is not None and vf > g:
            add("D13", f"入党志愿书（{fmt_zh(vf)}）晚于支部大会（{fmt_zh(g)}）", step="volunteer_form")
    elif (vf2 := p.d("volunteer_form")) is not None and (y is None or vf2 < y):
        add("D13", "入党志愿书在上级党委预审之前填写", step="volunteer_form")
    # D14 leaving the unit within 3 months after G
    if p.leaving_on is not None:
        ref = g or (as_of if y is not None else None)
        if ref is not None and ref <= p.leaving_on <= add_months(ref, 3):
            add(
                "D14",
                f"预计{fmt_zh(p.leaving_on)}离开本单位，在接收后3个月内，一般不应接收",
                p.leaving_on,
                "branch_vote",
            )
    # D15 接收 vote
    if g is not None:
        for msg in Vote.of(p.steps["branch_vote"].facts).problems():
            add("D15", f"接收预备党员的支部大会（{fmt_zh(g)}）{msg}", step="branch_vote")
    # D16 党委谈话 before S
    if s is not None and (h is None or h > s):
        add(
            "D16",
            "上级党委审批前没有派人谈话"
            if h is None
            else f"上级党委谈话（{fmt_zh(h)}）晚于审批（{fmt_zh(s)}）",
            step="upper_talk",
        )
    # D17 审批 within 3 (hard 6) months of G
    if g is not None:
        m3, m6 = add_months(g, 3), add_months(g, 6)
        if s is not None:
            if s > m6:
                add(
                    "D17",
                    f"上级党委审批（{fmt_zh(s)}）超过支部大会后6个月（{fmt_zh(m6)}）",
                    m6,
                    "approved",
                    "error",
                )
            elif s > m3:
                add(
                    "D17",
                    f"上级党委审批（{fmt_zh(s)}）超过支部大会后3个月（{fmt_zh(m3)}）",
                    m3,
                    "approved",
                    "warning",
                )
        elif as_of > m6:
            add("D17", f"支部大会已超过6个月（{fmt_zh(m6)}），上级党委仍未审批", m6, "approved", "error")
        elif as_of > m3:
            add("D17", f"支部大会已超过3个月（{fmt_zh(m3)}），上级党委仍未审批", m3, "approved", "warning")
    # D18 approver is a 党委
    for key in ("approved", "full_approved"):
        st = p.steps.get(key)
        kind = approver_kind(st) if st else None
        if st is not None and kind is not None and kind != "party_committee":
            add(
                "D18",
                f"{'审批' if key == 'approved' else '转正审批'}机关“{st.actor or APPROVER_KINDS.get(kind, kind)}”"
                f"不是党委（{APPROVER_KINDS.get(kind, kind)}无审批权）",
                step=key,
            )
    # D19 再上一级备案 after S
    if s is not None:
        af = p.d("approval_filed")
        if af is None:
            add("D19", "审批后尚未报再上一级党委组织部门备案", step="approval_filed")
        elif af < s:
            add("D19", f"备案（{fmt_zh(af)}）早于审批（{fmt_zh(s)}）", step="approval_filed")
    end = probation_end(p)
    # D20 预备期 (derived): expiry approaching
    if (
        end is not None
        and r is None
        and u is None
        and end - dt.timedelta(days=pr.probation_notice_days) <= as_of <= end
    ):
        add("D20", f"预备期将于{fmt_zh(end)}届满，请准备转正（转正申请、支部大会讨论）", end, "full_vote")
    # D21 宣誓 after S
    if s is not None:
        o = p.d("oath")
        if o is None:
            add("D21", "上级党委批准后尚未进行入党宣誓", step="oath")
        elif o < s:
            add("D21", f"入党宣誓（{fmt_zh(o)}）早于上级党委审批（{fmt_zh(s)}）", step="oath")
    # D22 no early 转正 meeting
    if r is not None and end is not None and r < end:
        add("D22", f"转正支部大会（{fmt_zh(r)}）早于预备期满（{fmt_zh(end)}）", end, "full_vote")
    # D23 转正 meeting held in time
    if end is not None and u is None:
        late = end + dt.timedelta(days=pr.full_vote_grace_days)
        if r is None and as_of > late:
            add("D23", f"预备期已于{fmt_zh(end)}届满，尚未召开支部大会讨论转正", end, "full_vote")
    if r is not None and end is not None:
        late = end + dt.timedelta(days=pr.full_vote_grace_days)
        if r > late and not str(p.steps["full_vote"].facts.get("delay_reason") or "").strip():
            add(
                "D23",
                f"转正支部大会（{fmt_zh(r)}）晚于预备期满（{fmt_zh(end)}），未说明推迟理由",
                end,
                "full_vote",
            )
    # D24 written application before R
    if r is not None and (q is None or q > r):
        add(
            "D24",
            "讨论转正前没有本人书面转正申请"
            if q is None
            else f"转正申请（{fmt_zh(q)}）晚于转正支部大会（{fmt_zh(r)}）",
            step="full_application",
        )
    # D25 转正 vote
    if r is not None:
        for msg in Vote.of(p.steps["full_vote"].facts).problems():
            add("D25", f"讨论转正的支部大会（{fmt_zh(r)}）{msg}", step="full_vote")
    # D26 转正审批 within 3 months of R
    if r is not None:
        due = add_months(r, 3)
        if u is not None and u > due:
            add(
                "D26",
                f"转正审批（{fmt_zh(u)}）超过转正支部大会后3个月（{fmt_zh(due)}）",
                due,
                "full_approved",
            )
        elif u is None and as_of > due:
            add("D26", f"转正支部大会已超过3个月（{fmt_zh(due)}），上级党委仍未审批", due, "full_approved")
    # D27 extension once, 6–12 months
    if p.extension is not None:
        msg = extension_problem(p, p.extension.decided_on, p.extension.months, existing=False)
        if msg:
            add("D27", msg)
    # D28 党龄 from the end of probation; D29 on the roster as 预备党员 from G
    if u is not None and end is not None and p.member_id is not None and p.member_full_on != end:
        add(
            "D28",
            f"名册上的转为正式党员日期（{fmt_zh(p.member_full_on) or '未填'}）应为预备期满之日{fmt_zh(end)}",
            end,
            "full_approved",
        )
    if g is not None:
        if p.member_id is None:
            add(
                "D29",
                f"支部大会已通过（{fmt_zh(g)}），但尚未列入党员名册；预备党员自该日起交纳党费",
                g,
                "branch_vote",
            )
        elif p.member_joined_on != g:
            add(
                "D29",
                f"名册上的加入党组织日期（{fmt_zh(p.member_joined_on) or '未填'}）应为支部大会通过之日"
                f"{fmt_zh(g)}（党费自该日起交纳）",
                g,
                "branch_vote",
            )
    return out


def _standing_problems(people: list[Standing]) -> list[str]:
    out = []
    for x in people:
        if x.category is None:
            out.append(f"{x.name}当日不在本支部党员名册中")
        elif x.category != "full":
            out.append(f"{x.name}当日是预备党员，不能担任")
        elif x.sanctioned:
            out.append(f"{x.name}正在留党察看期间，不能担任")
    return out


def _training_problem(step: Step) -> str | None:
    """D12: at least 3 days (counted inclusively) or at least 24 学时; unknown values are not a breach."""
    start, end, hours = step.facts.get("start"), step.facts.get("end"), step.facts.get("hours")
    days = None
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if end < start:
            return f"集中培训结束日期（{fmt_zh(end)}）早于开始日期（{fmt_zh(start)}）"
        days = (end - start).days + 1
    h = float(hours) if isinstance(hours, (int, float)) and not isinstance(hours, bool) else None
    if days is None and h is None:
        return None
    if (days is not None and days >= 3) or (h is not None and h >= 24):
        return None
    parts = []
    if days is not None:
        parts.append(f"{days}天")
    if h is not None:
        parts.append(f"{h:g}学时")
    return "集中培训" + "、".join(parts) + "，不足3天或24学时"


def extension_problem(p: Person, decided_on: dt.date, months: int, *, existing: bool) -> str | None:
    """D27: only once, 6 ≤ months ≤ 12, decided while a 预备党员 (after G, before the 转正 meeting)."""
    if existing:
        return "预备期已经延长过一次，只能延长一次"
    if not 6 <= months <= 12:
        return f"延长预备期{months}个月，应为6至12个月"
    g = probation_start(p)
    if g is None or decided_on < g:
        return "延长预备期须在支部大会接收为预备党员之后决定"
    return None


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
