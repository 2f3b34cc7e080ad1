"""党费 rules as pure functions over Decimal (RULES.md §2.1–§2.2). Never float.

- §2.1 base: 税后 = Σ(included monthly wage items) − 个人所得税 − the member's own 社保/公积金/年金.
- §2.2 在职 (also 年薪制 and 收入不固定, on their month's base): ≤3000 → 0.5%, ≤5000 → 1%, ≤10000 → 1.5%,
  above → 2%; upper bounds inclusive; 全额累进 (the whole base at one rate).
- §2.2 离退休: ≤5000 → 0.5%, above → 1%.
- §2.2 农民 0.20–1.00 元 (chosen), 学生/下岗失业/低保 0.20 元; 少交/免交 only with an approval reference.
- §2.2 rounding is UNCONFIRMED: the `rounding` setting (default 到分，四舍五入).
- §2.2 the 1000 元 "一般不超过" cap: `above_cap` tells the caller to ask the secretary to confirm (P04);
  `proposed` is what is suggested (the cap); the rule amount `computed` is never hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
JIAO = Decimal("0.1")
DEFAULT_CAP = Decimal("1000.00")

KINDS = (
    "employed",
    "annual_salary",
    "irregular",
    "retired",
    "farmer",
    "student",
    "unemployed",
    "exempt",
    "reduced",
)
KIND_LABELS = {
    "employed": "在职",
    "annual_salary": "年薪制",
    "irregular": "收入不固定",
    "retired": "离退休",
    "farmer": "农民",
    "student": "学生",
    "unemployed": "下岗失业/低保",
    "exempt": "经批准免交",
    "reduced": "经批准少交",
}
# Kinds whose amount comes from a base and the brackets.
BASE_KINDS = ("employed", "annual_salary", "irregular", "retired")
# Kinds whose amount is fixed or chosen, not computed from a base.
FIXED_KINDS = ("farmer", "student", "unemployed", "exempt", "reduced")
APPROVAL_KINDS = ("exempt", "reduced")

# (upper bound inclusive or None for "above", rate) — RULES.md §2.2, 党费规定 第二条 / 第五条.
EMPLOYED_BRACKETS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("3000.00"), Decimal("0.005")),
    (Decimal("5000.00"), Decimal("0.01")),
    (Decimal("10000.00"), Decimal("0.015")),
    (None, Decimal("0.02")),
)
RETIRED_BRACKETS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("5000.00"), Decimal("0.005")),
    (None, Decimal("0.01")),
)
FARMER_MIN = Decimal("0.20")
FARMER_MAX = Decimal("1.00")
STUDENT_AMOUNT = Decimal("0.20")

ROUNDINGS = {"half_up_cent": CENT, "half_up_jiao": JIAO}

# The base worksheet (RULES.md §2.1, §6.2): the included monthly wage items and the deductions.
PAY_ITEMS = (
    ("basic", "基本工资"),
    ("post", "岗位工资"),
    ("skill", "技能工资"),
    ("allowance", "津贴补贴"),
    ("bonus", "定期普遍发放的奖金绩效"),
)
DEDUCTIONS = (
    ("pension", "养老保险"),
    ("medical", "医疗保险"),
    ("unemployment", "失业保险"),
    ("housing_fund", "住房公积金"),
    ("annuity", "企业（职业）年金"),
    ("income_tax", "个人所得税"),
)
PAY_ITEM_LABELS = dict(PAY_ITEMS)
DEDUCTION_LABELS = dict(DEDUCTIONS)


class DuesRuleError(ValueError):
    """An input the rules cannot accept; str() is a Chinese sentence for the secretary."""


def money(value: object) -> Decimal:
    """A money amount from text/int/Decimal (never float), to two places. Raises DuesRuleError."""
    if type(value) is str:  # the ledger's own text ('12.50'): straight to Decimal, read thousands of times
        try:
            d = Decimal(value)
        except InvalidOperation:
            d = None
        if d is not None and d.is_finite():
            return d.quantize(CENT, rounding=ROUND_HALF_UP)
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    if isinstance(value, Decimal):
        d = value
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace("元", "")
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise DuesRuleError(f"“{value}”不是金额") from None
    if not d.is_finite():
        raise DuesRuleError(f"“{value}”不是金额")
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value: Decimal | None) -> str | None:
    """The interchange form: "15.00"."""
    if value is None:
        return None
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP)}"


def round_dues(value: Decimal, rounding: str = "half_up_cent") -> Decimal:
    """Round a computed amount by the `rounding` setting; always returned with two places."""
    step = ROUNDINGS.get(rounding)
    if step is None:
        raise DuesRuleError(f"未知的取整方式“{rounding}”")
    return value.quantize(step, rounding=ROUND_HALF_UP).quantize(CENT)


def rate_for(kind: str, base: Decimal) -> Decimal:
    """The one rate for the whole base (全额累进). RULES.md §2.2; upper bounds inclusive."""
    if kind not in BASE_KINDS:
        raise DuesRuleError(f"“{KIND_LABELS.get(kind, kind)}”不按基数计算")
    if base < 0:
        raise DuesRuleError("计算基数不能为负数")
    brackets = RETIRED_BRACKETS if kind == "retired" else EMPLOYED_BRACKETS
    for upper, rate in brackets:
        if upper is None or base <= upper:
            return rate
    raise AssertionError("unreachable")  # pragma: no cover


def rate_text(rate: Decimal | None) -> str | None:
    """The contract form of a rate: a decimal fraction "0.005", or None for fixed amounts."""
    if rate is None:
        return None
    return format(rate.normalize(), "f")


def rate_percent(rate: Decimal | None) -> str:
    """0.005 → "0.5%" for people; None → "定额"."""
    if rate is None:
        return "定额"
    return format((rate * 100).normalize(), "f") + "%"


@dataclass(frozen=True)
class DuesAmount:
    """The monthly dues of one member by the rules."""

    kind: str
    base: Decimal | None
    rate: Decimal | None  # None for fixed amounts
    computed: Decimal  # the amount by the rule, rounded (never capped)
    cap: Decimal

    @property
    def above_cap(self) -> bool:
        """P04: above the 1000 元 "一般不超过" amount — the secretary must confirm what is paid."""
        return self.computed > self.cap

    @property
    def proposed(self) -> Decimal:
        """What the app suggests before the secretary confirms: the computed amount, at most the cap."""
        return min(self.computed, self.cap)


def monthly_dues(
    kind: str,
    base: Decimal | None = None,
    rounding: str = "half_up_cent",
    *,
    chosen: Decimal | None = None,
    approval_ref: str | None = None,
    cap: Decimal = DEFAULT_CAP,
) -> DuesAmount:
    """The monthly amount for one member (RULES.md §2.2).

    kind: CONTRACT.md dues kind. base: 税后 monthly base (for 年薪制: that month's pay; 收入不固定: the average
    monthly net income of the previous quarter; 离退休: the total pension). chosen: the amount for 农民
    (0.20–1.00) and 经批准少交. approval_ref: required for 少交/免交 (党费规定 第七条).
    """
    if kind not in KINDS:
        raise DuesRuleError(f"未知的党费类别“{kind}”")
    if kind in APPROVAL_KINDS and not (approval_ref or "").strip():
        raise DuesRuleError(f"“{KIND_LABELS[kind]}”须经党支部研究、上一级党委批准，请填写批准文号或依据")
    if kind in BASE_KINDS:
        if base is None:
            raise DuesRuleError(f"“{KIND_LABELS[kind]}”需要填写计算基数（税后月收入）")
        base = money(base)
        rate = rate_for(kind, base)
        return DuesAmount(kind, base, rate, round_dues(base * rate, rounding), cap)
    if kind == "farmer":
        if chosen is None:
            raise DuesRuleError("农民党员每月交纳 0.20–1.00 元，请填写选定的金额")
        amount = money(chosen)
        if not FARMER_MIN <= amount <= FARMER_MAX:
            raise DuesRuleError(f"农民党员每月交纳 0.20–1.00 元，{amount} 元不在此范围内")
        return DuesAmount(kind, None, None, amount, cap)
    if kind in ("student", "unemployed"):
        return DuesAmount(kind, None, None, STUDENT_AMOUNT, cap)
    if kind == "exempt":
        return DuesAmount(kind, None, None, ZERO, cap)
    # reduced: an approved amount, lower than the rule would give
    if chosen is None:
        raise DuesRuleError("经批准少交的党员，请填写批准的每月金额")
    amount = money(chosen)
    if amount < 0:
        raise DuesRuleError("金额不能为负数")
    base_amount = None
    if base is not None:
        base = money(base)
        base_amount = round_dues(base * rate_for("employed", base), rounding)
        if amount >= base_amount:
            raise DuesRuleError(f"少交金额 {amount} 元不低于按基数应交的 {base_amount} 元，请改为“在职”")
    return DuesAmount(kind, base, None, amount, cap)


def base_from_worksheet(items: Mapping[str, object], deductions: Mapping[str, object]) -> Decimal:
    """税后 base = Σ included monthly wage items − 个税 − the member's own 社保/公积金/年金 (RULES.md §2.1)."""
    total = sum((money(v) for v in items.values() if v not in (None, "")), ZERO)
    minus = sum((money(v) for v in deductions.values() if v not in (None, "")), ZERO)
    for key, v in list(items.items()) + list(deductions.items()):
        if v not in (None, "") and money(v) < 0:
            label = PAY_ITEM_LABELS.get(key) or DEDUCTION_LABELS.get(key) or key
            raise DuesRuleError(f"“{label}”不能为负数")
    base = total - minus
    if base < 0:
        raise DuesRuleError(f"扣除项合计 {minus} 元大于应计工资项目合计 {total} 元，请核对")
    return base


def cap_choice_ok(amount: Decimal, computed: Decimal, cap: Decimal) -> bool:
    """When the rule amount is above the cap, the confirmed amount lies between the cap and the rule amount
    (2017通知: 一般不超过1000元, more may be paid voluntarily)."""
    return min(cap, computed) <= amount <= computed


def month_index(key: str) -> int:
    """'2026-03' → a month number for arithmetic (year * 12 + month − 1)."""
    y, m = key.split("-")
    return int(y) * 12 + int(m) - 1


def month_key_of(index: int) -> str:
    y, m = divmod(index, 12)
    return f"{y:04d}-{m + 1:02d}"


def month_zh(key: str) -> str:
    y, m = key.split("-")
    return f"{int(y)}年{int(m)}月"


def timing_problem(month: str, paid_month: str, makeup_max: int, prepay_max: int) -> str | None:
    """RULES.md §2.3: 补交 of a past month at most `makeup_max` months late, 预交 at most `prepay_max` months ahead
    (settings makeup_max_months / prepay_max_months). `paid_month` is the month the money was handed over.
    Returns the Chinese refusal, or None when allowed."""
    lag = month_index(paid_month) - month_index(month)
    if lag > makeup_max:
        return (
            f"{month_zh(month)}的党费到{month_zh(paid_month)}才交，已晚 {lag} 个月，超过补交上限 {makeup_max} 个月"
            f"（党费规定第十二条；可在“设置”中调整补交上限）"
        )
    if -lag > prepay_max:
        return (
            f"{month_zh(paid_month)}预交{month_zh(month)}的党费，提前 {-lag} 个月，超过预交上限 {prepay_max} 个月"
            f"（可在“设置”中调整预交上限）"
        )
    return None
