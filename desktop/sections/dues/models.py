"""What the 党费 tables show, row by row and cell by cell: a member's line on the 核定 tab (state, colour, note),
the text, colour and tooltip of a month in the 收缴 grid, the state of a month in a member's history, and
the state and colour of a 上缴 period. The numbers themselves come from db.dues."""

from __future__ import annotations

from decimal import Decimal

from db import clock, dues
from db.rules.dues import month_zh
from desktop.style import ERROR_RED, OK_GREEN, WARN_AMBER

MONTH_TITLES = [f"{m}月" for m in range(1, 13)]


class BaseRow:
    """A member's line on the 核定 tab."""

    def __init__(
        self,
        row: dues.YearRow,
        base: dues.DuesBase | None,
        state: str,
        color: str | None,
        note: str,
        over_cap: bool,
    ) -> None:
        self.row = row
        self.name = row.name
        self.member_id = row.member_id
        self.base = base
        self.state = state
        self.state_color = color
        self.note = note
        self.over_cap = over_cap

    @classmethod
    def make(cls, r: dues.YearRow, year: int, rounding: str, cap: Decimal) -> BaseRow:
        b = r.base
        note = ""
        over = False
        if b is None:
            return cls(r, None, "未核定", ERROR_RED, "", False)
        if b.year != year:
            return cls(r, b, "沿用上年", WARN_AMBER, f"按{b.year}年核定计，请核定{year}年", False)
        if b.needs_cap_confirmation(rounding, cap):
            calc = b.rule_amount(rounding, cap)
            over = True
            note = f"按规定应交 {calc.computed:,.2f} 元，暂按 {b.amount:,.2f} 元" if calc and b.amount else ""
            state, color = "超过1000元待确认", ERROR_RED
        elif b.draft:
            state, color = "待确认（已复制）", WARN_AMBER
        else:
            state, color = "已核定", OK_GREEN
        if b.valid_from:
            note = (note + "；" if note else "") + f"{month_zh(b.valid_from)}起调整：{b.reason or ''}"
        if b.approval_ref:
            note = (note + "；" if note else "") + f"批准：{b.approval_ref}"
        if b.quarterly:
            note = (note + "；" if note else "") + "按季交纳"
        if b.kind == "annual_salary":
            note = (note + "；" if note else "") + "年薪制：兑现月按当月收入"
        return cls(r, b, state, color, note, over)


def _grid_text(c: dues.MonthCell) -> str:
    if not c.belongs:
        return "—"
    if c.paid:
        return f"{c.paid:,.2f}"
    if c.opening is not None:
        return OPENING_LABELS[c.opening]
    if c.past and c.due > 0:
        return "未交"
    return ""


# months settled on paper (issue #15): before the electronic ledger's start, or covered by 党费已交至
OPENING_LABELS = {"paper": "期初", "paid": "期初已交", "elsewhere": "流入地交"}
OPENING_TIPS = {
    "paper": "电子台账起始日期之前，记在纸质台账上（期初，不计未交）",
    "paid": "据纸质台账，党费已交至此月或以后（期初已交）",
    "elsewhere": "外出期间在流入地党组织交纳（凭流动党员活动证），不在本支部重复交纳",
}


def _grid_color(c: dues.MonthCell) -> str | None:
    if c.opening is not None and not c.paid:
        return None
    if c.belongs and c.past and c.paid < c.due:
        return ERROR_RED if c.unpaid_streak >= 3 or c.paid == 0 else WARN_AMBER
    if c.paid and c.paid >= c.due:
        return None
    return None


def _grid_tip(c: dues.MonthCell) -> str:
    if not c.belongs:
        return f"{month_zh(c.month)}：不在本支部"
    if c.opening is not None and not c.paid:
        return f"{month_zh(c.month)}：{OPENING_TIPS[c.opening]}"
    text = f"{month_zh(c.month)}：应交 {c.due:,.2f} 元，已交 {c.paid:,.2f} 元"
    if c.unpaid_streak:
        text += f"；已连续 {c.unpaid_streak} 个月未交"
    return text


def _streak_now(r: dues.YearRow) -> int:
    past = [c for c in r.months if c.past]
    return past[-1].unpaid_streak if past else 0


def _remit_state(r: dues.RemitRow) -> str:
    if r.overdue:
        return "逾期未缴"
    if r.late:
        return "逾期上缴"
    if r.records:
        return "已上缴" if r.remitted >= r.collected else "部分上缴"
    if r.due_on >= clock.today():
        return "未到期"
    return "无需上缴" if r.collected == 0 else "未上缴"


def _remit_color(r: dues.RemitRow) -> str | None:
    if r.overdue:
        return ERROR_RED
    if r.late or (r.records and r.remitted < r.collected):
        return WARN_AMBER
    return None


def _cell_state(c: dues.MonthCell) -> str:
    if not c.belongs:
        return "不在本支部"
    if c.opening is not None and not c.paid:
        return OPENING_LABELS[c.opening]
    if c.due == 0:
        return "无需交纳"
    if c.paid >= c.due:
        return "已交清"
    if c.paid > 0:
        return f"少交 {c.due - c.paid:,.2f}"
    if c.unpaid_streak:
        return f"未交（连续{c.unpaid_streak}个月）"
    return "未到期"
