"""A designation (RULES-EXT.md §16.3): 党员先锋岗, 党员示范岗, 党员责任区 or 突击队, held by one or more members
from its 挂牌 day until it ends (到期) or is taken down early (摘牌, with the reason).

YQ09 (教育管理条例 第二十二条) names 示范岗 and 责任区; 先锋岗 and 突击队 are local (YQ10, YQ11). Review cycles,
scoring and whether a 预备党员 may hold a 岗 are local practice (YQ13) and not checked here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KINDS = ("pioneer", "model", "area", "commando")
KIND_LABELS = {
    "pioneer": "党员先锋岗",
    "model": "党员示范岗",
    "area": "党员责任区",
    "commando": "党员突击队",
}
STATE_LABELS = {"active": "在岗", "ended": "已到期", "removed": "已摘牌", "future": "未挂牌"}


@dataclass
class Post:
    kind: str
    name: str
    starts_on: dt.date
    member_ids: list[int] = field(default_factory=list)
    scope: str | None = None
    duty: str | None = None
    pledge: str | None = None
    ends_on: dt.date | None = None
    end_reason: str | None = None
    notes: str | None = None
    id: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def active_on(self, day: dt.date) -> bool:
        """Held on `day`: 挂牌 on or before it and not ended before it (the end day itself still counts)."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def in_year(self, year: int) -> bool:
        """Held on some day of `year`."""
        return self.starts_on <= dt.date(year, 12, 31) and (
            self.ends_on is None or self.ends_on >= dt.date(year, 1, 1)
        )

    def state_on(self, day: dt.date) -> str:
        if self.starts_on > day:
            return "future"
        if self.ends_on is not None and self.ends_on < day:
            return "removed" if self.end_reason else "ended"
        return "active"

    def state_label(self, day: dt.date) -> str:
        return STATE_LABELS[self.state_on(day)]

    def period_text(self) -> str:
        from db.dates import fmt_zh

        end = fmt_zh(self.ends_on) if self.ends_on else "至今"
        return f"{fmt_zh(self.starts_on)}—{end}"
