"""书记项目 / 党建项目 (RULES-EXT.md §16.2, YQ05–YQ08; local practice): 立项 content, measurable targets for the
expected outcomes, milestones with due dates, progress notes with evidence, 结项. Pure: no SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KIND_LABELS = {"secretary": "书记项目", "party": "党建项目"}
# YQ08 (松江 党建项目化 "双融合/双落地"): tags offered, free text accepted (local practice).
TAG_SUGGESTIONS = ("创新创业", "科技攻关", "工匠培育", "品牌塑造", "专利突破", "转型升级")
# YQ07: the 立项 fields and the review words seen elsewhere (local practice).
FIELD_LABELS = {
    "background": "实施背景",
    "problem": "拟解决的问题",
    "measures": "内容措施",
    "schedule": "工作安排",
    "expected": "预期成效",
}
REVIEW_WORDS = "切口小、有难度、示范强、能落实"
LOCAL_NOTE = (
    "书记项目立项、节点和结项的做法来自园区和各地经验（吴江“书记项目”、松江党建项目化），是地方惯例，"
    "不是全国统一规定（RULES-EXT §16 YQ05–YQ08）。"
)

ACTIVE = "active"
CLOSED = "closed"
DRAFT = "draft"
STATUS_LABELS = {DRAFT: "未立项", ACTIVE: "实施中", CLOSED: "已结项"}


@dataclass
class Target:
    indicator: str
    expected: str | None = None
    actual: str | None = None
    met: bool | None = None
    seq: int = 1
    id: int | None = None


@dataclass
class Milestone:
    title: str
    due_on: dt.date
    done_on: dt.date | None = None
    notes: str | None = None
    id: int | None = None
    project_id: int | None = None


@dataclass
class Photo:
    id: int
    file_name: str
    mime: str | None
    caption: str | None
    thumbnail: bytes | None = None


@dataclass
class Progress:
    noted_on: dt.date
    text: str
    milestone_id: int | None = None
    meeting_id: int | None = None
    target_id: int | None = None
    figure: str | None = None
    id: int | None = None
    project_id: int | None = None
    photos: list[Photo] = field(default_factory=list)


@dataclass
class Project:
    year: int
    title: str
    kind: str = "secretary"
    owner_id: int | None = None
    goal: str | None = None
    tags: str | None = None
    background: str | None = None
    problem: str | None = None
    measures: str | None = None
    schedule: str | None = None
    expected: str | None = None
    approved_on: dt.date | None = None
    closed_on: dt.date | None = None
    outcome: str | None = None
    id: int | None = None
    targets: list[Target] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def status_on(self, day: dt.date) -> str:
        if self.closed_on is not None and self.closed_on <= day:
            return CLOSED
        if self.approved_on is not None and self.approved_on <= day:
            return ACTIVE
        return DRAFT

    def late_milestones(self, as_of: dt.date) -> list[Milestone]:
        """K02: milestones of a project under way whose due date has passed (the due day itself is still in
        time) and that were not done by `as_of`."""
        if self.status_on(as_of) != ACTIVE:
            return []
        return [m for m in self.milestones if milestone_late(m, as_of)]

    def targets_met(self) -> tuple[int, int]:
        """(met, judged) of the targets at 结项."""
        judged = [t for t in self.targets if t.met is not None]
        return sum(1 for t in judged if t.met), len(judged)


def milestone_late(m: Milestone, as_of: dt.date) -> bool:
    return as_of > m.due_on and (m.done_on is None or m.done_on > as_of)
