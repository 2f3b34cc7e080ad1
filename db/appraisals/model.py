"""The year's 民主评议党员 and each member's part in it (RULES-EXT.md §8): records, labels, validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.rules.orglife import GRADE_LABELS, GRADES, PARTICIPATION, PARTICIPATION_LABELS

VOTE_KEYS = ("votes_excellent", "votes_qualified", "votes_basic", "votes_unqualified")

__all__ = [
    "GRADES",
    "GRADE_LABELS",
    "PARTICIPATION",
    "PARTICIPATION_LABELS",
    "VOTE_KEYS",
    "Appraisal",
    "Result",
]


@dataclass
class Result:
    """One member's 评议: how they took part, the 测评 votes, the 等次 and the meeting it rests on."""

    member_id: int
    participation: str = "rated"
    grade: str | None = None
    decision_id: int | None = None
    place: str | None = None
    reason: str | None = None
    self_review: str | None = None
    peer_review: str | None = None
    votes_excellent: int | None = None
    votes_qualified: int | None = None
    votes_basic: int | None = None
    votes_unqualified: int | None = None
    feedback_on: dt.date | None = None
    follow_up: str | None = None
    id: int | None = None

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS.get(self.grade or "", "")

    @property
    def participation_label(self) -> str:
        if self.participation == "elsewhere" and self.place:
            return f"在流入地评议（{self.place}）"
        return PARTICIPATION_LABELS.get(self.participation, self.participation)

    @property
    def settled(self) -> bool:
        """Nothing more is owed for this member: an 等次, or a recorded reason why there is none."""
        if self.participation == "rated":
            return self.grade is not None
        if self.participation == "elsewhere":
            return bool((self.place or "").strip())
        if self.participation == "absent":
            return bool((self.reason or "").strip())
        return True


@dataclass
class Appraisal:
    """The year's 评议 event (MP01, MP02, MP04)."""

    year: int
    held_on: dt.date
    started_on: dt.date | None = None
    assembly_id: int | None = None
    org_life_id: int | None = None
    plan: str | None = None
    notes: str | None = None
    results: list[Result] = field(default_factory=list)
    id: int | None = None

    def result_for(self, member_id: int) -> Result | None:
        for r in self.results:
            if r.member_id == member_id:
                return r
        return None
