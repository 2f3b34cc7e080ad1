"""Organisational life with its results as pure functions: 民主评议 等次 (RULES-EXT.md §8), 谈心谈话 (§9),
学时 (§10) and 整改 due dates. No ledger here: callers pass plain numbers and dates, so each rule has a table of
tests.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

# MP05: the four 等次, in order.
GRADES = ("excellent", "qualified", "basic", "unqualified")
GRADE_LABELS = {"excellent": "优秀", "qualified": "合格", "basic": "基本合格", "unqualified": "不合格"}

# MP08/MP09: how a member takes part in the year's 评议.
PARTICIPATION = ("rated", "probationary", "elsewhere", "absent")
PARTICIPATION_LABELS = {
    "rated": "参加评议",
    "probationary": "预备党员（参加、不定等次）",
    "elsewhere": "在流入地评议",
    "absent": "不参加",
}

# Meetings a 评定意见 may rest on (MP03): the 支委会, or the 党员大会 where there is none.
DECISION_KINDS = ("committee", "assembly")


def excellent_cap(denominator: int) -> int:
    """MP06: 优秀 一般不超过党员总数的1/3 — at most floor(D/3)."""
    return max(0, denominator) // 3


def excellent_over(excellent: int, denominator: int) -> bool:
    """MP06: more 优秀 than the share allows (exactly one third is allowed)."""
    return excellent > excellent_cap(denominator)


def appraisal_level(held_on: dt.date, as_of: dt.date) -> str | None:
    """MP01: severity of a missing 等次 once the 评议 was held — reminder in the year, warning from 12-01,
    error from 12-31 (and for every later day). None before the 评议 was held."""
    if as_of < held_on:
        return None
    year_end = dt.date(held_on.year, 12, 31)
    if as_of >= year_end:
        return "error"
    if as_of >= dt.date(held_on.year, 12, 1):
        return "warning"
    return "reminder"


def grade_problems(
    *, category: str, participation: str, grade: str | None, decision_kinds: tuple[str, ...] | None
) -> list[str]:
    """What blocks saving one member's 评议 result (MP03, MP05, MP08, MP09). `decision_kinds` are the kinds of
    the meeting the 等次 rests on (None: no meeting linked)."""
    out: list[str] = []
    if grade is not None and grade not in GRADES:
        out.append("等次只能是优秀、合格、基本合格、不合格")
        return out
    if grade is None:
        return out
    if category == "probationary" or participation == "probationary":
        out.append("预备党员参加民主评议，但不评定等次")
    if participation == "elsewhere":
        out.append("已在流入地党组织评议，本支部不再评定等次")
    if participation == "absent":
        out.append("不参加评议的党员不评定等次")
    if decision_kinds is None:
        out.append("评定等次须有支委会或党员大会的评定意见（请选择评定会议）")
    elif not set(decision_kinds) & set(DECISION_KINDS):
        out.append("评定意见只能由支委会或党员大会作出（所选会议不是支委会或党员大会）")
    return out


# --------------------------------------------------------------------------------------------- 谈心谈话

TALK_KINDS = ("routine", "reminder", "trigger")
TALK_KIND_LABELS = {"routine": "日常谈心", "reminder": "提醒谈话", "trigger": "六必谈"}
TALK_MODES = ("in_person", "phone", "online")
TALK_MODE_LABELS = {"in_person": "面对面", "phone": "电话", "online": "线上"}
# TX07 六必谈 triggers (LOCAL list [S78]); English codes, Chinese labels.
TRIGGERS = (
    "transfer_in",
    "job_change",
    "own_request",
    "honor",
    "hardship",
    "warning_signs",
    "discipline",
    "reconnected",
    "admitted",
    "full",
    "extended",
    "appraisal_feedback",
)
TRIGGER_LABELS = {
    "transfer_in": "组织关系转入",
    "job_change": "工作变动",
    "own_request": "本人要求",
    "honor": "受到表彰",
    "hardship": "家庭重大变故或困难",
    "warning_signs": "出现苗头性倾向性问题",
    "discipline": "受到处分",
    "reconnected": "失联党员重新纳入管理",
    "admitted": "批准为预备党员",
    "full": "转为正式党员",
    "extended": "延长预备期",
    "appraisal_feedback": "反馈民主评议结果",
}

# TX01: the three categories of talks, each owed at least once a year.
CATEGORIES = ("committee_committee", "committee_member", "member_member")
CATEGORY_LABELS = {
    "committee_committee": "支委之间",
    "committee_member": "支委与党员",
    "member_member": "党员之间",
}


def talk_category(a_on_committee: bool, b_on_committee: bool) -> str:
    """TX01: the category of a talk from whether each side held a committee seat on the day."""
    if a_on_committee and b_on_committee:
        return "committee_committee"
    if a_on_committee or b_on_committee:
        return "committee_member"
    return "member_member"


def in_talk_window(talk_on: dt.date, meeting_on: dt.date, window_days: int) -> bool:
    """TX05: a talk counts for a 组织生活会 when held within `window_days` before it, the meeting day included."""
    return meeting_on - dt.timedelta(days=window_days) <= talk_on <= meeting_on


def talk_check_level(year: int, as_of: dt.date) -> str | None:
    """TX01 (warning, Q4): a past year's missing talk is a warning; the current year's a reminder from 10-01."""
    if as_of > dt.date(year, 12, 31):
        return "warning"
    if as_of >= dt.date(year, 10, 1):
        return "reminder"
    return None


# --------------------------------------------------------------------------------------------- 学时

STUDY_FORMS = ("central", "collective", "online", "self")
STUDY_FORM_LABELS = {"central": "集中培训", "collective": "集体学习", "online": "网络培训", "self": "自学"}
MEMBER_TARGET = Decimal(32)  # XS01: 教育管理条例 第二十条, ≥32 学时 per calendar year
HALF = Decimal("0.5")


def to_hours(value: object) -> Decimal:
    """A 学时 figure as a Decimal with one place; refuses negatives and nonsense."""
    try:
        d = Decimal(str(value).strip())
    except Exception:
        raise ValueError(f"学时应为数字，如 4 或 1.5，实际是“{value}”") from None
    if not d.is_finite() or d < 0 or d > 1000:
        raise ValueError(f"学时应在 0 到 1000 之间，实际是“{value}”")
    return d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def meeting_hours(start: str | None, end: str | None, default: Decimal) -> Decimal:
    """XS06: 集体学习 counts 1 学时 per hour, rounded down to the half hour; without times, `default`."""
    try:
        h1, m1 = (int(x) for x in (start or "").split(":"))
        h2, m2 = (int(x) for x in (end or "").split(":"))
    except ValueError:
        return default
    minutes = (h2 * 60 + m2) - (h1 * 60 + m1)
    if minutes <= 0:
        return default
    return Decimal(math.floor(minutes / 30)) * HALF


def prorated_target(target: Decimal, months_in_branch: int) -> Decimal:
    """A member in the branch only part of the year owes the share of whole months, up to the half 学时."""
    months = max(0, min(12, months_in_branch))
    if months == 12:
        return target
    share = target * months / 12
    return (share / HALF).to_integral_value(rounding=ROUND_HALF_UP) * HALF


def study_level(year: int, total: Decimal, target: Decimal, as_of: dt.date) -> str | None:
    """XS01/XS03: a past year below target is a warning; from 10-01 of the year a member on course to miss it
    (hours so far, spread over the whole year, below target) gets a reminder."""
    if total >= target:
        return None
    year_end = dt.date(year, 12, 31)
    if as_of > year_end:
        return "warning"
    if as_of < dt.date(year, 10, 1):
        return None
    elapsed = (as_of - dt.date(year, 1, 1)).days + 1
    projected = total * Decimal(365) / Decimal(elapsed)
    return "reminder" if projected < target else None


# --------------------------------------------------------------------------------------------- 整改


def rectification_overdue(due_on: dt.date | None, closed_on: dt.date | None, as_of: dt.date) -> bool:
    """O07: open (not closed by `as_of`) and its due date has passed (due today is not yet overdue)."""
    if due_on is None or due_on >= as_of:
        return False
    return closed_on is None or closed_on > as_of
