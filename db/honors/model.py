"""奖惩 records (RULES-EXT.md §13.1, §13.3) and their pure rules: 表彰表扬 and the 纪念章 (`Award`, JG01–JG04),
纪律处分 (`Sanction`, JG15: 留党察看 takes away 表决权、选举权、被选举权 for its period) and 组织处置
(`Disposition`, JG10–JG13: 限期改正 6 months, never beyond 12; 5 years before re-admission after 劝退/除名)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.dates import add_months, add_years

AWARD_LABELS = {
    "excellent_member": "优秀共产党员",
    "excellent_worker": "优秀党务工作者",
    "praise": "表扬",
    "badge_50": "“光荣在党50年”纪念章",
    "other": "其他表彰",
}
LEVEL_LABELS = {"branch": "支部", "committee": "基层党委", "upper": "上级党委", "central": "党中央/省级"}
SANCTION_LABELS = {
    "warning": "警告",
    "serious_warning": "严重警告",
    "removal": "撤销党内职务",
    "probation": "留党察看",
    "expulsion": "开除党籍",
}
DISPOSITION_LABELS = {"correct": "限期改正", "persuade": "劝其退党", "remove": "除名"}

CORRECT_DEFAULT_MONTHS = 6  # JG11: 限期改正 generally 6 months
CORRECT_MAX_MONTHS = 12  # JG11: never beyond 1 year (block)
PROBATION_MAX_YEARS = 2  # JG15: 留党察看 1 or 2 years
READMISSION_BAR_YEARS = 5  # JG11 (劝退/除名), JG15 (开除党籍)
BADGE_YEARS = 50  # JG04
BADGE_CUTOFF = (7, 1)  # JG04: counted to 七一 of the year (yearly cut-off assumed 7月1日: UNCONFIRMED)
BADGE_LIST_FROM = (3, 1)  # JG04: "each spring" the list is drawn up — L06 shows from 1 March of that year


@dataclass
class Award:
    member_id: int
    kind: str
    awarded_on: dt.date
    title: str | None = None
    level: str = "branch"
    awarded_by: str | None = None
    doc_no: str | None = None
    notes: str | None = None
    id: int | None = None

    @property
    def label(self) -> str:
        base = AWARD_LABELS.get(self.kind, self.kind)
        return f"{base}（{self.title}）" if self.title and self.kind in ("praise", "other") else base


@dataclass
class Sanction:
    member_id: int
    kind: str
    decided_on: dt.date
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    decided_by: str | None = None
    doc_no: str | None = None
    sanction_reason: str | None = None
    notes: str | None = None
    id: int | None = None

    @property
    def label(self) -> str:
        return SANCTION_LABELS.get(self.kind, self.kind)

    @property
    def start(self) -> dt.date:
        return self.starts_on or self.decided_on


@dataclass
class Disposition:
    member_id: int
    kind: str
    filed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date | None = None
    closed_on: dt.date | None = None
    outcome: str | None = None
    disposition_reason: str | None = None
    notes: str | None = None
    id: int | None = None

    @property
    def label(self) -> str:
        return DISPOSITION_LABELS.get(self.kind, self.kind)


# ------------------------------------------------------------------------------------------ JG01


def award_refusal(kind: str, category: str | None) -> str | None:
    """JG01: 优秀共产党员 only for a 正式党员 (a 预备党员 nomination is refused)."""
    if kind == "excellent_member" and category != "full":
        return "“优秀共产党员”只能授予正式党员（表彰条例第十六条），该党员在授予日期不是正式党员"
    return None


# ------------------------------------------------------------------------------------------ JG04


def badge_year(full_on: dt.date) -> int:
    """The year whose 七一 first finds the member with 50 years' 党龄 counted from 转正 (JG04, RULES D28)."""
    cutoff = dt.date(full_on.year + BADGE_YEARS, *BADGE_CUTOFF)
    return cutoff.year if add_years(full_on, BADGE_YEARS) <= cutoff else cutoff.year + 1


def badge_eligible_on(full_on: dt.date) -> dt.date:
    """The day the member becomes eligible for the 纪念章: 七一 of `badge_year` (转正日期 ≤ (Y−50)-07-01)."""
    return dt.date(badge_year(full_on), *BADGE_CUTOFF)


def badge_eligible(full_on: dt.date | None, day: dt.date) -> bool:
    return full_on is not None and badge_eligible_on(full_on) <= day


def badge_listed(full_on: dt.date | None, day: dt.date) -> bool:
    """On the spring list (L06) on that day: eligible this year's 七一 (from 1 March) or earlier."""
    if full_on is None:
        return False
    y = badge_year(full_on)
    return day >= dt.date(y, *BADGE_LIST_FROM)


# ------------------------------------------------------------------------------------------ JG15


def probation_end_default(start: dt.date) -> dt.date:
    return add_years(start, 1)


def on_probation(s: Sanction, day: dt.date) -> bool:
    """JG15: 留党察看 from its start until the day before `ends_on` (rights back on the day it ends)."""
    if s.kind != "probation":
        return False
    end = s.ends_on or probation_end_default(s.start)
    return s.start <= day < end


def sanction_problems(s: Sanction) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if s.kind not in SANCTION_LABELS:
        out.append(("处分类型", f"处分类型“{s.kind}”无效"))
    if s.kind == "probation" and s.ends_on is not None:
        if s.ends_on <= s.start:
            out.append(("察看期满", "留党察看期满日期应晚于开始日期"))
        elif s.ends_on > add_years(s.start, PROBATION_MAX_YEARS):
            out.append(("察看期满", "留党察看期限最长2年（党章第四十条）"))
    return out


# ------------------------------------------------------------------------------------------ JG11


def correct_end(d: Disposition) -> dt.date:
    """The end of a 限期改正: as set, else the default 6 months."""
    return d.ends_on or add_months(d.starts_on, CORRECT_DEFAULT_MONTHS)


def correct_limit(d: Disposition) -> dt.date:
    return add_months(d.starts_on, CORRECT_MAX_MONTHS)


def disposition_problems(d: Disposition) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if d.kind not in DISPOSITION_LABELS:
        out.append(("处置方式", f"处置方式“{d.kind}”无效（只能是限期改正、劝其退党、除名）"))
    if d.filed_on and d.starts_on and d.filed_on > d.starts_on:
        out.append(("事前备案", "须先报基层党委事前备案，备案日期不能晚于开始日期（JG13）"))
    if d.kind == "correct" and d.ends_on is not None and d.starts_on is not None:
        if d.ends_on <= d.starts_on:
            out.append(("改正期限", "改正期限应晚于开始日期"))
        elif d.ends_on > correct_limit(d):
            out.append(("改正期限", "限期改正的期限最长不超过1年（一般为6个月）"))
    if d.closed_on and d.starts_on and d.closed_on < d.starts_on:
        out.append(("办结日期", "办结日期不能早于开始日期"))
    return out


def correct_overdue(d: Disposition, as_of: dt.date) -> bool:
    """L05: a 限期改正 not closed by `as_of` and past its term (or beyond 12 months)."""
    if d.kind != "correct" or d.starts_on > as_of:
        return False
    if d.closed_on is not None and d.closed_on <= as_of:
        return False
    return as_of > min(correct_end(d), correct_limit(d))


def readmission_barred_until(kind: str, on: dt.date) -> dt.date | None:
    """JG11/JG15: 劝退、除名、开除党籍 → no re-admission for 5 years from the decision."""
    if kind in ("persuade", "remove", "expulsion"):
        return add_years(on, READMISSION_BAR_YEARS)
    return None
