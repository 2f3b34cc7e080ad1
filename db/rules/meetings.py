"""三会一课 rules as pure functions: quorum and pass (RULES.md §1.2), cadence periods and cell states (§1.1).

No ledger here: callers pass plain numbers and dates, so each rule has a table of tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.dates import month_end, quarter_bounds

KINDS = ("assembly", "committee", "group", "lecture", "theme_day", "org_life", "appraisal", "talk")
KIND_LABELS = {
    "assembly": "支部党员大会",
    "committee": "支部委员会",
    "group": "党小组会",
    "lecture": "党课",
    "theme_day": "主题党日",
    "org_life": "组织生活会",
    "appraisal": "民主评议党员",
    "talk": "谈心谈话",
}
KIND_SHORT = {
    "assembly": "党员大会",
    "committee": "支委会",
    "group": "党小组会",
    "lecture": "党课",
    "theme_day": "主题党日",
    "org_life": "组织生活会",
    "appraisal": "民主评议",
    "talk": "谈心谈话",
}
# Kinds whose meetings decide by vote (条例 第十一、十二条).
VOTING_KINDS = ("assembly", "committee")

# RULES.md §1.1: the fixed cadences; 党课 comes from the `lecture_cadence` setting.
CADENCE = {
    "assembly": "quarter",
    "committee": "month",
    "group": "month",
    "theme_day": "month",
    "org_life": "year",
    "appraisal": "year",
    "talk": "year",
}
# Finding code and severity of a missing past period (CONTRACT.md §4). 谈心谈话 has no code.
MISSING_CODE = {
    "assembly": ("M01", "error"),
    "committee": ("M02", "error"),
    "group": ("M03", "warning"),
    "lecture": ("M04", "warning"),
    "theme_day": ("M05", "warning"),
    "org_life": ("M06", "error"),
    "appraisal": ("M07", "error"),
}

STATUS_LABELS = {"present": "出席", "leave": "请假", "absent": "缺席", "observer": "列席"}
METHOD_LABELS = {
    "show_of_hands": "举手表决",
    "ballot": "无记名投票",
    "roll_call": "口头表决",
    "consensus": "一致同意（未逐一表决）",
}

# Cell states of the cadence grid.
HELD, MISSING, DUE, NOT_REQUIRED, FUTURE = "held", "missing", "due", "not_required", "future"
# a period that began before settings.records_start_on: kept on paper, not missing (issue #15)
PAPER = "paper"
STATE_LABELS = {
    HELD: "已开",
    MISSING: "缺",
    DUE: "待开",
    NOT_REQUIRED: "不要求",
    FUTURE: "",
    PAPER: "纸质台账",
}


def cadence_of(kind: str, lecture_cadence: str = "quarter") -> str:
    return lecture_cadence if kind == "lecture" else CADENCE[kind]


# ------------------------------------------------------------------------------------------ quorum and pass


def more_than_half(count: int, of: int) -> bool:
    """RULES.md §1.2: "半数以上" implemented strictly — exactly half is not enough."""
    return 2 * count > of


def votes_needed(expected_voters: int) -> int:
    """The smallest number of 赞成 (incl. counted written opinions) that passes: ⌊n/2⌋ + 1."""
    return expected_voters // 2 + 1


@dataclass(frozen=True)
class VoteVerdict:
    expected_voters: int  # 应到会有表决权 (the denominator, RULES.md §1.2)
    present_voters: int
    quorum: bool  # 有表决权的到会人数 > ½ 应到
    passed: bool  # 赞成 + 书面意见（赞成）> ½ 应到 (and quorum)
    needed: int  # 赞成 needed to pass
    problems: list[str] = field(default_factory=list)  # totals that do not add up

    @property
    def summary(self) -> str:
        q = "到会人数符合要求" if self.quorum else "到会的有表决权党员未超过应到人数的一半，会议不能表决"
        if not self.quorum:
            return q
        p = "通过" if self.passed else "未通过"
        return f"{q}；{p}（应到有表决权{self.expected_voters}人，至少需赞成{self.needed}票）"


def judge_vote(
    expected_voters: int,
    present_voters: int,
    yes: int | None,
    no: int | None = 0,
    abstain: int | None = 0,
    written: int | None = 0,
    absent_voters: int | None = None,
) -> VoteVerdict:
    """Quorum and pass per RULES.md §1.2 (条例 第十一条; 细则 第二十、二十一条).

    - quorum: 有表决权的到会人数 must exceed half of 应到会有表决权人数;
    - pass: 赞成 plus the written opinions in favour of absent voters must exceed half of 应到会有表决权人数
      (the denominator is the expected voters, never those present).
    """
    y, n, a, w = yes or 0, no or 0, abstain or 0, written or 0
    quorum = expected_voters > 0 and more_than_half(present_voters, expected_voters)
    passed = quorum and more_than_half(y + w, expected_voters)
    problems: list[str] = []
    if min(y, n, a, w) < 0:
        problems.append("票数不能为负数")
    if y + n + a > present_voters:
        problems.append(f"赞成、反对、弃权合计{y + n + a}票，多于到会有表决权党员{present_voters}人")
    if absent_voters is not None and w > absent_voters:
        problems.append(f"书面意见{w}份，多于未到会的有表决权党员{absent_voters}人")
    return VoteVerdict(
        expected_voters, present_voters, quorum, passed, votes_needed(expected_voters), problems
    )


# ------------------------------------------------------------------------------------------ cadence


@dataclass(frozen=True)
class Period:
    key: str  # "2026-07", "2026-Q3", "2026-H2", "2026"
    start: dt.date
    end: dt.date
    label: str  # 2026年7月, 2026年第3季度 …

    def contains(self, d: dt.date) -> bool:
        return self.start <= d <= self.end


def periods_of(year: int, cadence: str) -> list[Period]:
    if cadence == "month":
        return [
            Period(f"{year}-{m:02d}", dt.date(year, m, 1), month_end(dt.date(year, m, 1)), f"{year}年{m}月")
            for m in range(1, 13)
        ]
    if cadence == "quarter":
        out = []
        for q in range(1, 5):
            s, e = quarter_bounds(year, q)
            out.append(Period(f"{year}-Q{q}", s, e, f"{year}年第{q}季度"))
        return out
    if cadence == "half_year":
        return [
            Period(f"{year}-H1", dt.date(year, 1, 1), dt.date(year, 6, 30), f"{year}年上半年"),
            Period(f"{year}-H2", dt.date(year, 7, 1), dt.date(year, 12, 31), f"{year}年下半年"),
        ]
    if cadence == "year":
        return [Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")]
    raise ValueError(f"unknown cadence {cadence!r}")


def period_containing(d: dt.date, cadence: str) -> Period:
    return next(p for p in periods_of(d.year, cadence) if p.contains(d))


def cell_state(period: Period, required: bool, held: int, as_of: dt.date) -> str:
    """held / missing (a past period without the meeting) / due (the current period, M11) / not required /
    future. A meeting held counts even where not required."""
    if held:
        return HELD
    if not required:
        return NOT_REQUIRED
    if period.end < as_of:
        return MISSING
    if period.start <= as_of:
        return DUE
    return FUTURE


def group_required(created_on: dt.date | None, dissolved_on: dt.date | None, period: Period) -> bool:
    """A 党小组 owes a meeting in the months it existed for the whole month (a group created on 15 May owes
    one from June; a group dissolved on 20 May owes none for May)."""
    if created_on is not None and created_on > period.start:
        return False
    return dissolved_on is None or dissolved_on > period.end


def is_late(meeting_date: dt.date, entered_on: dt.date, late_entry_days: int) -> bool:
    """补记: entered more than `late_entry_days` after the meeting (M10)."""
    return (entered_on - meeting_date).days > late_entry_days
