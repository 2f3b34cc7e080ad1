"""关怀 records (RULES-EXT.md §13.2) and their pure rules: the register of 困难党员、老党员、患病… (`CareEntry`, with
the 关怀豁免 flag of JG06) and the 走访慰问 (`Visit`, JG07/JG08); the 元旦春节 season of L07."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CATEGORY_LABELS = {
    "hardship": "生活困难党员",
    "elderly": "老党员",
    "ill": "患病党员",
    "disaster": "受灾党员",
    "other": "其他",
}
OCCASION_LABELS = {"spring": "元旦春节", "july1": "七一", "illness": "看望病患", "other": "其他"}
WAY_LABELS = {"visit": "走访", "money": "慰问金", "goods": "慰问品", "study": "送学上门"}
FUND_LABELS = {"upper": "上级下拨党费", "matching": "配套资金", "unit": "本单位", "other": "其他"}

# L07 (JG07): the 元旦春节 visits are made before 春节; a visit from 1 December of the year before to the end of
# February counts for that year's season (春节 falls between 21 January and 20 February). The reminder runs in
# the same window: from 1 December, until the end of February.
SEASON_START = (12, 1)
SEASON_CATEGORIES = ("hardship", "elderly")


@dataclass
class CareEntry:
    member_id: int
    category: str
    since: dt.date
    until: dt.date | None = None
    hardship_detail: str | None = None
    exempt: bool = False
    pairing: str | None = None
    notes: str | None = None
    id: int | None = None

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    def active_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.until is None or self.until >= day)

    def exempt_on(self, day: dt.date) -> bool:
        """JG06: 年老体弱、行动不便、身患重病 — 组织活动和学习教育不作硬性要求 while the entry is active."""
        return self.exempt and self.active_on(day)


@dataclass
class Visit:
    member_id: int
    visited_on: dt.date
    occasion: str = "spring"
    way: str = "visit"
    gift: str | None = None
    amount: str | None = None
    fund: str | None = None
    handled_by: str | None = None
    signed: bool = False
    notes: str | None = None
    id: int | None = None

    @property
    def occasion_label(self) -> str:
        return OCCASION_LABELS.get(self.occasion, self.occasion)


def season_of(day: dt.date) -> int | None:
    """The 春节 season a day falls in (December counts for the next year's), or None outside December–February."""
    if (day.month, day.day) >= SEASON_START:
        return day.year + 1
    if day.month <= 2:
        return day.year
    return None


def season_bounds(year: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year - 1, *SEASON_START)
    end = dt.date(year, 3, 1) - dt.timedelta(days=1)
    return start, end


def visited_in_season(visits: list[Visit], member_id: int, year: int, as_of: dt.date) -> bool:
    lo, hi = season_bounds(year)
    return any(
        v.member_id == member_id and v.occasion == "spring" and lo <= v.visited_on <= min(hi, as_of)
        for v in visits
    )
