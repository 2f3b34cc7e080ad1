"""The inputs of the checks: practice settings, a person's steps, the roster standing of the people named in them, extensions, votes, and the `Breach` a check returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from db.rules.development.steps import LEVELS

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
