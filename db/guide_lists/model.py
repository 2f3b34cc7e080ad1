"""A year's 主题党日指导清单 (RULES-EXT.md §16.1, YQ01–YQ04; local practice) and what the branch did with each
month's item. Pure: the state of an item on a day and the K01 rule, with no SQL."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from db.dates import month_end

# What became of an item (the screen's words).
DONE = "done"  # a linked 主题党日 held by the day
CHANGED = "changed"  # carried out differently (another theme, another month), with the reason
SKIPPED = "skipped"  # not carried out, with the reason
PLANNED = "planned"  # 按清单安排: a planned meeting exists, not held yet
OPEN = "open"  # its month has not ended, nothing planned yet
MISSED = "missed"  # its month has ended with no 主题党日 linked and no reason (K01)
STATE_LABELS = {
    DONE: "已开展",
    CHANGED: "已调整",
    SKIPPED: "未开展（已说明）",
    PLANNED: "已安排",
    OPEN: "待安排",
    MISSED: "未开展",
}
DEVIATION_LABELS = {"changed": "调整开展", "skipped": "未开展"}
LOCAL_NOTE = (
    "主题党日指导清单由上级党委（园区）编制下发，按清单开展是本园区的做法（地方惯例，RULES-EXT §16 YQ02）。"
)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_MONTHS = {
    "正": 1,
    **{k: v for k, v in _CN_DIGITS.items()},
    "十一": 11,
    "十二": 12,
    "冬": 11,
    "腊": 12,
}
_YEAR_MONTH = re.compile(r"^(?:(\d{4})\s*[年\-./]\s*)?(\d{1,2})\s*月?(?:份)?$")
_CN_MONTH = re.compile(r"^(?:(\d{4})\s*年\s*)?([一二三四五六七八九十正冬腊]{1,3})\s*月(?:份)?$")


class MonthError(ValueError):
    pass


def parse_month(value: object) -> tuple[int | None, int]:
    """(year or None, month) from what a list's 月份 cell says: 1, "1月", "01", "一月", "十二月份", "2026年1月",
    "2026-01", or a date Excel stored for the month. Raises MonthError with a Chinese reason."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.year, value.month
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if 1 <= value <= 12:
            return None, value
        raise MonthError(f"“{value}”不是1—12月")
    text = re.sub(r"\s+", "", str(value or ""))
    if not text:
        raise MonthError("月份为空")
    m = _YEAR_MONTH.match(text)
    if m:
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise MonthError(f"“{text}”不是1—12月")
        return (int(m.group(1)) if m.group(1) else None), month
    m = _CN_MONTH.match(text)
    if m and m.group(2) in _CN_MONTHS:
        return (int(m.group(1)) if m.group(1) else None), _CN_MONTHS[m.group(2)]
    raise MonthError(f"“{text}”不是可识别的月份，请写成“1月”“一月”或“2026年1月”")


@dataclass
class GuideItem:
    month: int
    theme: str
    points: str | None = None
    forms: str | None = None
    node: str | None = None
    seq: int = 1
    plan_id: int | None = None
    meeting_id: int | None = None
    deviation: str | None = None
    reason: str | None = None
    id: int | None = None
    list_id: int | None = None
    # read alongside, never stored here
    plan_date: dt.date | None = None
    meeting_date: dt.date | None = None
    meeting_topic: str | None = None


@dataclass
class GuideList:
    year: int
    items: list[GuideItem] = field(default_factory=list)
    issuer: str | None = None
    title: str | None = None
    source: str | None = None
    imported_on: dt.date | None = None
    id: int | None = None

    def months(self) -> dict[int, list[GuideItem]]:
        out: dict[int, list[GuideItem]] = {m: [] for m in range(1, 13)}
        for it in sorted(self.items, key=lambda i: (i.month, i.seq)):
            out[it.month].append(it)
        return out


def month_over(year: int, month: int, as_of: dt.date) -> bool:
    """YQ01: a month's 主题党日 is owed within the month; from the next day on a month with none is past."""
    return as_of > month_end(dt.date(year, month, 1))


def item_state(year: int, item: GuideItem, as_of: dt.date) -> str:
    """What became of a list item as of a day (YQ02). A linked meeting counts once its date has come; a meeting
    dated after `as_of` is still only planned."""
    held = item.meeting_id is not None and item.meeting_date is not None and item.meeting_date <= as_of
    if item.deviation == "changed" and (held or (item.reason or "").strip()):
        return CHANGED
    if held:
        return DONE
    if item.deviation == "skipped" and (item.reason or "").strip():
        return SKIPPED
    if month_over(year, item.month, as_of):
        return MISSED
    if item.plan_id is not None or item.meeting_id is not None:
        return PLANNED
    return OPEN


def counts(year: int, items: list[GuideItem], as_of: dt.date) -> dict[str, int]:
    out = dict.fromkeys(STATE_LABELS, 0)
    for it in items:
        out[item_state(year, it, as_of)] += 1
    return out
