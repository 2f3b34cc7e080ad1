"""A 谈心谈话 record (RULES-EXT.md §9): when, who with whom, the kind (日常 / 提醒 / 六必谈 with its trigger),
the way, what was said and what follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.rules.orglife import TALK_KIND_LABELS, TALK_MODE_LABELS, TRIGGER_LABELS


@dataclass
class Talk:
    held_on: dt.date
    talker_id: int
    member_id: int
    kind: str = "routine"
    trigger: str | None = None
    mode: str = "in_person"
    topic: str | None = None
    suggestions: str | None = None
    follow_up: str | None = None
    id: int | None = None

    @property
    def kind_label(self) -> str:
        label = TALK_KIND_LABELS.get(self.kind, self.kind)
        if self.kind == "trigger" and self.trigger:
            label += f"（{TRIGGER_LABELS.get(self.trigger, self.trigger)}）"
        return label

    @property
    def mode_label(self) -> str:
        return TALK_MODE_LABELS.get(self.mode, self.mode)

    def involves(self, member_id: int) -> bool:
        return member_id in (self.talker_id, self.member_id)

    def other(self, member_id: int) -> int:
        return self.member_id if self.talker_id == member_id else self.talker_id
