"""组织生活会 查摆问题 and 整改 (RULES.md §1.1 条例 第十七条: 会后整改): a member's — or the committee's — problem found,
the measure, the due date, and the closure with its evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Rectification:
    found_on: dt.date
    problem: str
    member_id: int | None = None  # None: 支委会（班子）
    meeting_id: int | None = None  # the 组织生活会
    measure: str | None = None
    due_on: dt.date | None = None
    closed_on: dt.date | None = None
    evidence: str | None = None
    id: int | None = None

    def open_on(self, day: dt.date) -> bool:
        """Found by `day` and not yet closed on it."""
        return self.found_on <= day and (self.closed_on is None or self.closed_on > day)
