"""党费: the yearly 核定 per member, the monthly ledger, arrears and the remittance upward (RULES.md §2).

The amounts come from db/rules/dues.py; this module keeps the records and answers questions over them:
- a 核定 (`dues_bases` row) per member and year; a mid-year change is a new row from a month with a reason, so
  the history is the rows; 年初核定 copies last year's rows as drafts for review, then fixes them;
- 年薪制: the pay received in a month (`dues_month_bases`) overrides the regular base that month;
- the cap: when the rule amount is above `dues_cap`, the stored `amount` is what the secretary confirmed
  (suggested: the cap) and `cap_confirmed_on` says when; until then P04 asks, and the rule amount stays visible;
- a member owes for each month in which they belonged to the branch on at least one day (a 预备党员 from the
  month of the 支部大会, a member transferring out in June through June); no 核定 for a year → last year's carries
  on (P01 asks for this year's after 31 March);
- arrears: a month counts as unpaid when something was due and nothing was paid for it, once the month (for
  members paying quarterly with the branch's consent: the quarter) is over; streaks run across years.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from db import clock, settings
from db.dates import add_months, fmt_zh, iso
from db.dues.book import DuesBook
from db.dues.grid import (
    MonthCell,
    YearRow,
    member_history,
    paid_up_to,
    year_rows,
    year_summary,
)
from db.dues.model import (
    METHOD_LABELS,
    DuesBase,
    MonthBase,
    Payment,
    Remittance,
    _idx,
    _opt_money,
    _refuse,
    method_label,
)
from db.dues.reads import (
    _member_name,
    bases_of_member,
    bases_of_year,
    get_base,
    last_collector,
    last_payment,
    payments_of,
)
from db.dues.remittance import (
    PERIOD_KINDS,
    RemitRow,
    delete_remittance,
    list_remittances,
    period_due,
    period_label,
    period_months,
    period_of,
    period_year,
    remittance_rows,
    save_remittance,
)
from db.dues.report import (
    dues_report,
)
from db.dues.worksheet import (
    Worksheet,
)
from db.errors import InputRefused, Problem
from db.findings import Finding, provider
from db.interchange import section
from db.rules import dues as rules
from db.rules.dues import (
    BASE_KINDS,
    KIND_LABELS,
    ZERO,
    DuesAmount,
    DuesRuleError,
    money,
    money_text,
    month_index,
    month_key_of,
    month_zh,
)

if TYPE_CHECKING:
    from db.connection import Ledger

# The public API, as `db.dues` has always offered it: callers import these from `db.dues`, never from the files.
__all__ = [
    "METHOD_LABELS",
    "PERIOD_KINDS",
    "ARREARS_WARNING",
    "ARREARS_REVIEW",
    "method_label",
    "Worksheet",
    "MonthBase",
    "DuesBase",
    "Payment",
    "Remittance",
    "DuesBook",
    "bases_of_year",
    "bases_of_member",
    "get_base",
    "payments_of",
    "MonthCell",
    "YearRow",
    "year_rows",
    "dues_report",
    "paid_up_to",
    "last_payment",
    "last_collector",
    "year_summary",
    "member_history",
    "BaseEntry",
    "assess",
    "save_base",
    "copy_bases",
    "fix_bases",
    "confirm_cap",
    "delete_base",
    "set_month_pay",
    "MonthRecorded",
    "record_month",
    "record_payment",
    "record_quarter",
    "delete_payment",
    "period_months",
    "period_year",
    "period_label",
    "period_of",
    "period_due",
    "list_remittances",
    "RemitRow",
    "remittance_rows",
    "save_remittance",
    "delete_remittance",
    "findings",
    "BASE_KEYS",
    "PAYMENT_KEYS",
    "REMITTANCE_KEYS",
    "dump_bases",
    "load_bases",
    "dump_payments",
    "load_payments",
    "dump_remittances",
    "load_remittances",
]

ARREARS_WARNING = 3  # P02 (RULES.md §2.3)
ARREARS_REVIEW = 6  # P03: 党章 第九条 review flag, never an automatic action


# ------------------------------------------------------------------------------------------ records


# ------------------------------------------------------------------------------------------ the book


# ------------------------------------------------------------------------------------------ reading


# ------------------------------------------------------------------------------------------ 核定


@dataclass
class BaseEntry:
    """What the secretary fills in on the base worksheet for one member and year."""

    member_id: int
    year: int
    kind: str = "employed"
    base: Decimal | None = None
    worksheet: Worksheet | None = None
    chosen: Decimal | None = None  # 农民 (0.20–1.00) and 经批准少交
    approval_ref: str | None = None
    quarterly: bool = False
    confirmed_amount: Decimal | None = None  # the amount the secretary confirms when the rule amount > cap
    notes: str | None = None


def assess(ledger: Ledger, entry: BaseEntry) -> DuesAmount:
    """The amount the rules give for an entry (raises InputRefused with the reason)."""
    base = entry.base
    try:
        if entry.worksheet is not None and entry.kind in BASE_KINDS:
            base = entry.worksheet.base()
        return rules.monthly_dues(
            entry.kind,
            base,
            str(settings.get(ledger, "rounding")),
            chosen=entry.chosen,
            approval_ref=entry.approval_ref,
            cap=money(settings.get(ledger, "dues_cap")),
        )
    except DuesRuleError as e:
        raise _refuse(str(e)) from None


def _row_values(entry: BaseEntry, calc: DuesAmount, on: dt.date) -> dict[str, Any]:
    amount = calc.proposed
    confirmed = None
    if calc.above_cap and entry.confirmed_amount is not None:
        chosen = money(entry.confirmed_amount)
        if not rules.cap_choice_ok(chosen, calc.computed, calc.cap):
            raise _refuse(
                f"按规定计算为每月 {calc.computed} 元；确认的金额应在 {calc.cap} 元与 {calc.computed} 元之间"
            )
        amount, confirmed = chosen, on
    return {
        "kind": entry.kind,
        "base": money_text(
            calc.base if entry.kind in BASE_KINDS else (money(entry.base) if entry.base else None)
        ),
        "amount": money_text(amount),
        "approval_ref": (entry.approval_ref or "").strip() or None,
        "cap_confirmed_on": iso(confirmed),
        "quarterly": 1 if entry.quarterly else 0,
        "worksheet": json.dumps(entry.worksheet.to_json(), ensure_ascii=False)
        if entry.worksheet is not None and entry.kind in BASE_KINDS
        else None,
        "notes": entry.notes,
    }


def save_base(
    ledger: Ledger,
    entry: BaseEntry,
    *,
    valid_from: str | None = None,
    reason: str | None = None,
    on: dt.date | None = None,
) -> int:
    """SaveDuesBase: fix one member's 核定 for a year (from January, or from `valid_from` for a mid-year change,
    which needs a reason). Changing an already fixed 核定 also needs a reason; the reason is kept with the row and
    the earlier rows stay as the history. Returns the row id."""
    on = on or clock.today()
    name = _member_name(ledger, entry.member_id)
    reason = (reason or "").strip() or None
    if valid_from is not None:
        try:
            vf = month_index(valid_from)
        except ValueError:
            raise _refuse(f"“{valid_from}”不是年月（YYYY-MM）") from None
        if vf // 12 != entry.year:
            raise _refuse(f"调整起始月 {valid_from} 不在 {entry.year} 年内")
        if vf % 12 == 0 or not ledger.query_one(
            "SELECT 1 FROM dues_bases WHERE member_id=? AND year=? AND coalesce(valid_from, '')<? LIMIT 1",
            (entry.member_id, entry.year, valid_from),
        ):
            valid_from = (
                None  # the first 核定 of the year (e.g. a member who arrived mid-year) is the year's row
            )
        elif not reason:
            raise _refuse("年内调整党费基数须说明原因（2017通知：年初核定，年内一般不变动）", "调整原因")
    calc = assess(ledger, entry)
    values = _row_values(entry, calc, on)
    existing = ledger.query_one(
        "SELECT id, draft FROM dues_bases WHERE member_id=? AND year=? AND coalesce(valid_from, '')=?",
        (entry.member_id, entry.year, valid_from or ""),
    )
    label = (
        f"核定党费：{name} {entry.year}年"
        if valid_from is None
        else f"调整党费：{name} 自{month_zh(valid_from)}"
    )
    with ledger.operation("SaveDuesBase" if valid_from is None else "ChangeDuesBase", label) as op:
        if existing is not None:
            if not existing["draft"] and not reason:
                old = get_base(ledger, existing["id"])
                same = (
                    old.kind,
                    money_text(old.base),
                    money_text(old.amount),
                    old.approval_ref,
                    old.quarterly,
                ) == (
                    values["kind"],
                    values["base"],
                    values["amount"],
                    values["approval_ref"],
                    bool(values["quarterly"]),
                )
                if not same:
                    raise _refuse(f"{name}{entry.year}年的党费已核定，修改须说明原因", "调整原因")
            sets = ", ".join(f"{k}=?" for k in values)
            ledger.conn.execute(
                f"UPDATE dues_bases SET {sets}, draft=0, fixed_on=?, reason=coalesce(?, reason) WHERE id=?",
                [*values.values(), iso(on), reason, existing["id"]],
            )
            op.value = int(existing["id"])
        else:
            data = {
                "member_id": entry.member_id,
                "year": entry.year,
                "valid_from": valid_from,
                **values,
                "draft": 0,
                "fixed_on": iso(on),
                "reason": reason,
            }
            cols = list(data)
            cur = ledger.conn.execute(
                f"INSERT INTO dues_bases({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [data[c] for c in cols],
            )
            op.value = int(cur.lastrowid or 0)
    return int(op.value)


def copy_bases(ledger: Ledger, year: int) -> int:
    """CopyDuesBases (年初核定, step 1): each member in the branch in the year without a 核定 for it gets a draft copy
    of their latest earlier 核定 for review. Amounts are recomputed by the current rules; an amount above the cap
    must be confirmed again. Returns how many were copied."""
    book = DuesBook(ledger)
    rows: list[dict[str, Any]] = []
    for mid in book.member_ids_in_year(year):
        mine = book.people[mid].bases
        if any(b.year == year for b in mine):
            continue
        earlier = [b for b in mine if b.year < year]
        if not earlier:
            continue
        last = earlier[-1]
        calc = last.rule_amount(book.rounding, book.cap)
        amount = calc.proposed if calc is not None else last.amount
        rows.append(
            {
                "member_id": mid,
                "year": year,
                "valid_from": None,
                "kind": last.kind,
                "base": money_text(last.base),
                "amount": money_text(amount),
                "approval_ref": last.approval_ref,
                "cap_confirmed_on": None,
                "quarterly": 1 if last.quarterly else 0,
                "worksheet": json.dumps(last.worksheet.to_json(), ensure_ascii=False)
                if last.worksheet
                else None,
                "draft": 1,
                "fixed_on": None,
                "reason": None,
                "notes": last.notes,
            }
        )
    if not rows:
        return 0
    with ledger.operation("CopyDuesBases", f"年初核定：复制上年党费基数到{year}年") as op:
        for data in rows:
            cols = list(data)
            ledger.conn.execute(
                f"INSERT INTO dues_bases({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [data[c] for c in cols],
            )
        op.value = len(rows)
    return len(rows)


def fix_bases(ledger: Ledger, year: int, *, on: dt.date | None = None) -> int:
    """FixDuesBases (年初核定, step 2): the reviewed drafts of the year become the fixed 核定."""
    on = on or clock.today()
    n = int(ledger.scalar("SELECT count(*) FROM dues_bases WHERE year=? AND draft=1", (year,)))
    if not n:
        return 0
    with ledger.operation("FixDuesBases", f"确认{year}年党费核定（{n}人）") as op:
        ledger.conn.execute(
            "UPDATE dues_bases SET draft=0, fixed_on=? WHERE year=? AND draft=1", (iso(on), year)
        )
        op.value = n
    return n


def confirm_cap(ledger: Ledger, base_id: int, amount: Decimal, *, on: dt.date | None = None) -> None:
    """ConfirmDuesCap (P04): the secretary confirms the monthly amount for a rule amount above the cap."""
    on = on or clock.today()
    b = get_base(ledger, base_id)
    cap = money(settings.get(ledger, "dues_cap"))
    calc = b.rule_amount(str(settings.get(ledger, "rounding")), cap)
    if calc is None or not calc.above_cap:
        raise _refuse("该核定的金额未超过提示上限，无需确认")
    amount = money(amount)
    if not rules.cap_choice_ok(amount, calc.computed, cap):
        raise _refuse(
            f"按规定计算为每月 {calc.computed} 元；确认的金额应在 {cap} 元与 {calc.computed} 元之间"
        )
    with ledger.operation("ConfirmDuesCap", f"确认超过{cap}元的党费：{_member_name(ledger, b.member_id)}"):
        ledger.conn.execute(
            "UPDATE dues_bases SET amount=?, cap_confirmed_on=? WHERE id=?",
            (money_text(amount), iso(on), base_id),
        )


def delete_base(ledger: Ledger, base_id: int) -> None:
    b = get_base(ledger, base_id)
    with ledger.operation("DeleteDuesBase", f"删除党费核定：{_member_name(ledger, b.member_id)} {b.year}年"):
        ledger.conn.execute("DELETE FROM dues_bases WHERE id=?", (base_id,))


def set_month_pay(
    ledger: Ledger,
    member_id: int,
    month: str,
    pay: Decimal,
    *,
    confirmed_amount: Decimal | None = None,
    on: dt.date | None = None,
) -> int:
    """SetMonthPay: 年薪制 — the pay actually received in a month is that month's base (RULES.md §2.1)."""
    on = on or clock.today()
    book = DuesBook(ledger)
    i = month_index(month)
    name = _member_name(ledger, member_id)
    b = book.base_for(member_id, i) if member_id in book.people else None
    if b is None or b.year != i // 12 or b.kind != "annual_salary":
        raise _refuse(f"{name}在{month_zh(month)}没有“年薪制”的党费核定，请先核定{i // 12}年的党费")
    try:
        calc = rules.monthly_dues("annual_salary", money(pay), book.rounding, cap=book.cap)
    except DuesRuleError as e:
        raise _refuse(str(e)) from None
    amount, confirmed = calc.proposed, None
    if calc.above_cap and confirmed_amount is not None:
        chosen = money(confirmed_amount)
        if not rules.cap_choice_ok(chosen, calc.computed, calc.cap):
            raise _refuse(
                f"按规定计算为 {calc.computed} 元；确认的金额应在 {calc.cap} 元与 {calc.computed} 元之间"
            )
        amount, confirmed = chosen, on
    with ledger.operation("SetMonthPay", f"年薪制当月收入：{name} {month_zh(month)}") as op:
        ledger.conn.execute(
            "INSERT INTO dues_month_bases(base_id, month, base, amount, cap_confirmed_on) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(base_id, month) DO UPDATE SET base=excluded.base, amount=excluded.amount, "
            "cap_confirmed_on=excluded.cap_confirmed_on",
            (b.id, month, money_text(calc.base), money_text(amount), iso(confirmed)),
        )
        op.value = int(
            ledger.scalar("SELECT id FROM dues_month_bases WHERE base_id=? AND month=?", (b.id, month))
        )
    return int(op.value)


# ------------------------------------------------------------------------------------------ payments


@dataclass
class MonthRecorded:
    recorded: int = 0
    total: Decimal = ZERO
    already: list[str] = field(default_factory=list)  # names already recorded for the month
    unpaid: list[str] = field(default_factory=list)
    quarterly: list[str] = field(default_factory=list)  # quarterly payers left for their quarter

    def describe(self) -> str:
        parts = [f"已登记 {self.recorded} 人，共 {self.total:,.2f} 元"]
        if self.unpaid:
            parts.append("未交：" + "、".join(self.unpaid))
        if self.quarterly:
            parts.append("按季交纳（未计入）：" + "、".join(self.quarterly))
        if self.already:
            parts.append(f"此前已登记 {len(self.already)} 人")
        return "；".join(parts)


def _insert_payment(ledger: Ledger, p: Payment) -> int:
    cur = ledger.conn.execute(
        "INSERT INTO dues_payments(member_id, month, amount, paid_on, method, collector, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (p.member_id, p.month, money_text(p.amount), iso(p.paid_on), p.method, p.collector, p.notes),
    )
    return int(cur.lastrowid or 0)


def record_month(
    ledger: Ledger,
    month: str,
    paid_on: dt.date,
    *,
    method: str = "cash",
    collector: str | None = None,
    unpaid: Iterable[int] = (),
    amounts: Mapping[int, Decimal] | None = None,
) -> MonthRecorded:
    """RecordMonth — the one monthly action: everyone who owes for the month and has nothing recorded yet paid the
    standard amount on `paid_on`, except the members in `unpaid` (did not pay) and in `amounts` (paid another
    amount). Quarterly payers are left out unless they are in `amounts`. Refused whole if the 补交/预交 limits
    are passed."""
    amounts = dict(amounts or {})
    unpaid_set = set(unpaid)
    book = DuesBook(ledger)
    i = month_index(month)
    res = MonthRecorded()
    problems: list[Problem] = []
    todo: list[Payment] = []
    for mid, amt in amounts.items():
        if mid not in book.people or not book.belongs(mid, i):
            name = book.people[mid].name if mid in book.people else str(mid)
            problems.append(Problem(f"{name}在{month_zh(month)}不在本支部，不能登记党费"))
        elif money(amt) < 0:
            problems.append(Problem(f"{book.people[mid].name}的金额不能为负数"))
    timing = book.timing_problem(i, paid_on)
    if timing:
        problems.append(Problem(timing))
    for mid, person in book.people.items():
        if not book.belongs(mid, i):
            continue
        due = book.due(mid, i)
        if book.paid(mid, i) != 0:
            if due > 0 or mid in amounts:
                res.already.append(person.name)
            continue
        if mid in unpaid_set:
            res.unpaid.append(person.name)
            continue
        if mid in amounts:
            amt = money(amounts[mid])
            if amt == 0:
                res.unpaid.append(person.name)
                continue
        else:
            if due <= 0:
                continue
            b = book.base_for(mid, i)
            if b is not None and b.quarterly:
                res.quarterly.append(person.name)
                continue
            amt = due
        todo.append(Payment(None, mid, month, amt, paid_on, method, collector))
    if problems:
        raise InputRefused(problems, f"{month_zh(month)}党费未登记")
    with ledger.operation("RecordMonth", f"登记{month_zh(month)}党费（{len(todo)}人）") as op:
        for p in todo:
            _insert_payment(ledger, p)
            res.recorded += 1
            res.total += p.amount
        op.value = res
    return res


def record_payment(
    ledger: Ledger,
    member_id: int,
    months: Iterable[str],
    paid_on: dt.date,
    *,
    amount: Decimal | None = None,
    method: str = "cash",
    collector: str | None = None,
    notes: str | None = None,
) -> list[int]:
    """RecordPayment: one member pays for one or more months (补交 of past months, 预交 of coming ones).
    `amount` is per month; default: what is still owed for each month. Refused whole, with the reason, beyond
    the 补交/预交 limits (settings), for months the member was not in the branch, or for months already paid."""
    book = DuesBook(ledger)
    name = _member_name(ledger, member_id)
    problems: list[Problem] = []
    todo: list[Payment] = []
    keys = sorted(set(months))
    if not keys:
        raise _refuse("请选择要交纳的月份")
    for key in keys:
        i = month_index(key)
        if not book.belongs(member_id, i):
            problems.append(Problem(f"{name}在{month_zh(key)}不在本支部（或尚未成为预备党员），不需交纳"))
            continue
        timing = book.timing_problem(i, paid_on)
        if timing:
            problems.append(Problem(timing))
            continue
        owed = book.due(member_id, i) - book.paid(member_id, i)
        amt = money(amount) if amount is not None else owed
        if amt <= 0:
            problems.append(
                Problem(
                    f"{name}{month_zh(key)}的党费已交清"
                    if amount is None
                    else f"{month_zh(key)}的金额应大于0"
                )
            )
            continue
        todo.append(Payment(None, member_id, key, amt, paid_on, method, collector, notes))
    if problems:
        raise InputRefused(problems, f"{name}的党费未登记")
    span = month_zh(keys[0]) + (f"至{month_zh(keys[-1])}" if len(keys) > 1 else "")
    with ledger.operation("RecordPayment", f"登记党费：{name} {span}") as op:
        op.value = [_insert_payment(ledger, p) for p in todo]
    return list(op.value)


def record_quarter(
    ledger: Ledger,
    member_id: int,
    year: int,
    quarter: int,
    paid_on: dt.date,
    *,
    method: str = "cash",
    collector: str | None = None,
) -> list[int]:
    """Quarterly payment with the branch's consent (党费规定 第十二条): the three months of the quarter at once."""
    book = DuesBook(ledger)
    name = _member_name(ledger, member_id)
    months = [f"{year:04d}-{m:02d}" for m in range(3 * quarter - 2, 3 * quarter + 1)]
    b = book.base_for(member_id, month_index(months[0])) if member_id in book.people else None
    if b is None or not b.quarterly:
        raise _refuse(f"{name}未经支部同意按季度交纳党费（在党费核定中勾选“按季度交纳”）")
    owed = [
        m
        for m in months
        if book.belongs(member_id, month_index(m))
        and book.due(member_id, month_index(m)) > book.paid(member_id, month_index(m))
    ]
    if not owed:
        raise _refuse(f"{name}{year}年第{quarter}季度的党费已交清")
    return record_payment(
        ledger,
        member_id,
        owed,
        paid_on,
        method=method,
        collector=collector,
        notes=f"按季度交纳（{year}年第{quarter}季度）",
    )


def delete_payment(ledger: Ledger, payment_id: int) -> None:
    row = ledger.query_one("SELECT member_id, month FROM dues_payments WHERE id=?", (payment_id,))
    if row is None:
        raise KeyError(payment_id)
    with ledger.operation(
        "DeletePayment", f"删除党费记录：{_member_name(ledger, row[0])} {month_zh(row[1])}"
    ):
        ledger.conn.execute("DELETE FROM dues_payments WHERE id=?", (payment_id,))


# ------------------------------------------------------------------------------------------ remittance


# ------------------------------------------------------------------------------------------ findings


@provider("dues")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """P01 no 核定 for the year after 31 March; P02 3–5 months unpaid; P03 6+ (a review flag for the 支部大会,
    never an automatic action); P04 a rule amount above the cap not yet confirmed; P05 remittance overdue;
    R03 no 组织生活 attendance and no dues for more than 6 months."""
    book = DuesBook.shared(ledger)
    out: list[Finding] = []
    year = as_of.year
    now = _idx(as_of)
    for mid, person in book.people.items():
        if not book.belongs(mid, now):
            continue
        # P01
        fixed = [b for b in person.bases if b.year == year and not b.draft and b.amount is not None]
        if as_of > dt.date(year, 3, 31) and not fixed:
            drafts = any(b.year == year for b in person.bases)
            out.append(
                Finding(
                    "P01",
                    "warning",
                    "dues",
                    mid,
                    person.name,
                    f"{person.name}{year}年的党费基数"
                    + ("已复制待确认" if drafts else "尚未核定")
                    + "（年初核定，一般在第一季度完成）",
                    period=str(year),
                    due=dt.date(year, 3, 31),
                )
            )
        # P02 / P03
        streak, last = book.current_streak(mid, as_of)
        if streak >= ARREARS_WARNING:
            first = month_zh(month_key_of(last - streak + 1))
            lastm = month_zh(month_key_of(last))
            if streak >= ARREARS_REVIEW:
                out.append(
                    Finding(
                        "P03",
                        "error",
                        "dues",
                        mid,
                        person.name,
                        f"{person.name}已连续 {streak} 个月未交纳党费（{first}至{lastm}）。党章第九条：无正当理由"
                        "连续6个月不交纳党费，视为自行脱党——请核实有无正当理由，需要时提请支部大会研究"
                        "（本软件不会自动处理）",
                        period=month_key_of(last),
                    )
                )
            else:
                out.append(
                    Finding(
                        "P02",
                        "warning",
                        "dues",
                        mid,
                        person.name,
                        f"{person.name}已连续 {streak} 个月未交纳党费（{first}至{lastm}），请提醒并帮助其按时交纳",
                        period=month_key_of(last),
                    )
                )
    # P04: this year's 核定 and 年薪制 months above the cap, not confirmed
    for person in book.people.values():
        for b in person.bases:
            if b.year != year:
                continue
            calc = b.rule_amount(book.rounding, book.cap)
            if calc is not None and calc.above_cap and b.cap_confirmed_on is None:
                out.append(
                    Finding(
                        "P04",
                        "reminder",
                        "dues",
                        person.id,
                        person.name,
                        f"{person.name}按规定每月应交 {calc.computed:,.2f} 元，超过 {book.cap:,.0f} 元"
                        f"（2017通知：一般不超过1000元），请书记确认每月交纳金额",
                        period=str(year),
                    )
                )
            for mb in b.month_bases.values():
                mcalc = rules.monthly_dues("annual_salary", mb.base, book.rounding, cap=book.cap)
                if mcalc.above_cap and mb.cap_confirmed_on is None and month_index(mb.month) <= now:
                    out.append(
                        Finding(
                            "P04",
                            "reminder",
                            "dues",
                            person.id,
                            person.name,
                            f"{person.name}{month_zh(mb.month)}（年薪制）按当月收入应交 {mcalc.computed:,.2f} 元，"
                            f"超过 {book.cap:,.0f} 元，请书记确认当月交纳金额",
                            period=mb.month,
                        )
                    )
    # P05
    for y in range(year - 1, year + 1):
        for r in remittance_rows(ledger, y, as_of=as_of):
            if r.overdue:
                out.append(
                    Finding(
                        "P05",
                        "warning",
                        "remittance",
                        None,
                        r.label,
                        f"{r.label}收缴的党费 {r.collected:,.2f} 元应于{fmt_zh(r.due_on)}前上缴上级党委，尚无上缴记录",
                        period=r.period,
                        due=r.due_on,
                    )
                )
    out.extend(_r03(ledger, book, as_of))
    return out


def _r03(ledger: Ledger, book: DuesBook, as_of: dt.date) -> list[Finding]:
    """R03: no 组织生活 attendance and no dues for more than 6 months (possible 失联)."""
    try:
        from db import meetings

        attended: dict[int, dt.date] = meetings.last_attendance(ledger)
    except (ModuleNotFoundError, AttributeError):
        return []  # without the meeting records attendance is unknown: say nothing rather than guess
    paid = last_payment(ledger)
    limit = add_months(as_of, -6)
    out: list[Finding] = []
    for mid, person in book.people.items():
        if not book.belongs(mid, _idx(as_of)):
            continue
        since = min((a for a, _b in person.spans), default=None)
        if since is None or since >= limit:
            continue
        last_seen = max([d for d in (attended.get(mid), paid.get(mid)) if d is not None], default=None)
        if last_seen is None or last_seen < limit:
            when = f"最后一次为{fmt_zh(last_seen)}" if last_seen else "台账中没有记录"
            out.append(
                Finding(
                    "R03",
                    "warning",
                    "member",
                    mid,
                    person.name,
                    f"{person.name}超过6个月既未参加组织生活也未交纳党费（{when}），请尽快联系，核实是否失联",
                )
            )
    return out


# ------------------------------------------------------------------------------------------ interchange


BASE_KEYS = [
    "id",
    "member_id",
    "year",
    "kind",
    "base",
    "amount",
    "approval_ref",
    "valid_from",
    "reason",
    "cap_confirmed_on",
    "quarterly",
    "draft",
    "fixed_on",
    "worksheet",
    "month_bases",
    "notes",
]
PAYMENT_KEYS = ["id", "member_id", "month", "amount", "paid_on", "method", "collector", "notes"]
REMITTANCE_KEYS = ["id", "period", "amount", "paid_on", "reference", "notes"]


@section("dues_bases", order=60)
def dump_bases(ledger: Ledger) -> list[dict[str, Any]]:
    months: dict[int, list[dict[str, Any]]] = {}
    for r in ledger.query("SELECT * FROM dues_month_bases ORDER BY base_id, month"):
        months.setdefault(r["base_id"], []).append(
            {
                "month": r["month"],
                "base": r["base"],
                "amount": r["amount"],
                "cap_confirmed_on": r["cap_confirmed_on"],
                "notes": r["notes"],
            }
        )
    out = []
    for r in ledger.query("SELECT * FROM dues_bases ORDER BY year, member_id, coalesce(valid_from, ''), id"):
        out.append(
            {
                "id": r["id"],
                "member_id": r["member_id"],
                "year": r["year"],
                "kind": r["kind"],
                "base": r["base"],
                "amount": r["amount"],
                "approval_ref": r["approval_ref"],
                "valid_from": r["valid_from"],
                "reason": r["reason"],
                "cap_confirmed_on": r["cap_confirmed_on"],
                "quarterly": bool(r["quarterly"]),
                "draft": bool(r["draft"]),
                "fixed_on": r["fixed_on"],
                "worksheet": json.loads(r["worksheet"]) if r["worksheet"] else None,
                "month_bases": months.get(r["id"], []),
                "notes": r["notes"],
            }
        )
    return out


@dump_bases.loader  # type: ignore[attr-defined,untyped-decorator]
def load_bases(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    rounding = str(settings.get(ledger, "rounding"))
    cap = money(settings.get(ledger, "dues_cap"))
    problems: list[Problem] = []
    for n, raw in enumerate(value):
        where = f"dues_bases[{n}]"
        try:
            kind = raw["kind"]
            base = _opt_money(raw.get("base"))
            amount = _opt_money(raw.get("amount"))
            ws = Worksheet.from_json(raw.get("worksheet"))
            if ws is not None and base is None and kind in BASE_KINDS:
                base = ws.base()
            if amount is None and kind in BASE_KINDS and base is not None:
                amount = rules.monthly_dues(kind, base, rounding, cap=cap).proposed
            elif amount is None and kind in ("student", "unemployed", "exempt"):
                amount = rules.monthly_dues(kind, None, rounding, approval_ref="-", cap=cap).computed
            if kind in rules.APPROVAL_KINDS and not (raw.get("approval_ref") or "").strip():
                raise DuesRuleError(f"“{KIND_LABELS[kind]}”须有上级党委批准文号（approval_ref）")
            if kind == "farmer" and amount is not None and not rules.FARMER_MIN <= amount <= rules.FARMER_MAX:
                raise DuesRuleError(f"农民党员每月交纳 0.20–1.00 元，{amount} 元不在此范围内")
            if raw.get("valid_from"):
                vf = month_index(str(raw["valid_from"]))
                if vf // 12 != int(raw["year"]):
                    raise DuesRuleError(f"valid_from {raw['valid_from']} 不在 {raw['year']} 年内")
        except (DuesRuleError, ValueError, KeyError) as e:
            problems.append(Problem(str(e), column=where))
            continue
        data = {
            "member_id": raw["member_id"],
            "year": raw["year"],
            "valid_from": raw.get("valid_from"),
            "kind": kind,
            "base": money_text(base),
            "amount": money_text(amount),
            "approval_ref": raw.get("approval_ref"),
            "cap_confirmed_on": raw.get("cap_confirmed_on"),
            "quarterly": 1 if raw.get("quarterly") else 0,
            "worksheet": json.dumps(ws.to_json(), ensure_ascii=False) if ws else None,
            "draft": 1 if raw.get("draft") else 0,
            "fixed_on": raw.get("fixed_on"),
            "reason": raw.get("reason"),
            "notes": raw.get("notes"),
        }
        if raw.get("id") is not None:
            data = {"id": raw["id"], **data}
        cols = list(data)
        try:
            cur = ledger.conn.execute(
                f"INSERT INTO dues_bases({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [data[c] for c in cols],
            )
        except Exception as e:  # noqa: BLE001 - sqlite constraint texts are turned into a located problem
            problems.append(
                Problem(
                    f"重复或无效的党费核定（党员 {raw.get('member_id')}，{raw.get('year')}年）：{e}",
                    column=where,
                )
            )
            continue
        base_id = int(cur.lastrowid or 0)
        for mb in raw.get("month_bases") or []:
            try:
                pay = money(mb["base"])
                amt = _opt_money(mb.get("amount"))
                if amt is None:
                    amt = rules.monthly_dues("annual_salary", pay, rounding, cap=cap).proposed
            except (DuesRuleError, KeyError) as e:
                problems.append(Problem(str(e), column=f"{where}.month_bases"))
                continue
            ledger.conn.execute(
                "INSERT INTO dues_month_bases(base_id, month, base, amount, cap_confirmed_on, notes) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    base_id,
                    mb["month"],
                    money_text(pay),
                    money_text(amt),
                    mb.get("cap_confirmed_on"),
                    mb.get("notes"),
                ),
            )
    if problems:
        raise InputRefused(problems, "交换文件中的党费核定有误，未写入任何内容")


@section("dues_payments", order=61)
def dump_payments(ledger: Ledger) -> list[dict[str, Any]]:
    return [dict(r) for r in ledger.query(f"SELECT {', '.join(PAYMENT_KEYS)} FROM dues_payments ORDER BY id")]


@dump_payments.loader  # type: ignore[attr-defined,untyped-decorator]
def load_payments(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    problems: list[Problem] = []
    for n, raw in enumerate(value):
        try:
            month_index(str(raw["month"]))
            amount = money(raw["amount"])
        except (DuesRuleError, ValueError, KeyError) as e:
            problems.append(Problem(f"党费记录有误：{e}", column=f"dues_payments[{n}]"))
            continue
        data = {k: raw.get(k) for k in PAYMENT_KEYS if k != "id"}
        data["amount"] = money_text(amount)
        if raw.get("id") is not None:
            data = {"id": raw["id"], **data}
        cols = list(data)
        ledger.conn.execute(
            f"INSERT INTO dues_payments({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [data[c] for c in cols],
        )
    if problems:
        raise InputRefused(problems, "交换文件中的党费记录有误，未写入任何内容")


@section("remittances", order=62)
def dump_remittances(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        dict(r) for r in ledger.query(f"SELECT {', '.join(REMITTANCE_KEYS)} FROM remittances ORDER BY id")
    ]


@dump_remittances.loader  # type: ignore[attr-defined,untyped-decorator]
def load_remittances(ledger: Ledger, value: list[dict[str, Any]]) -> None:
    problems: list[Problem] = []
    for n, raw in enumerate(value):
        try:
            period = str(raw["period"]).strip().upper()
            period_months(period)
            amount = money(raw["amount"])
        except (DuesRuleError, KeyError) as e:
            problems.append(Problem(f"上缴记录有误：{e}", column=f"remittances[{n}]"))
            continue
        data = {k: raw.get(k) for k in REMITTANCE_KEYS if k != "id"}
        data["period"], data["amount"] = period, money_text(amount)
        if raw.get("id") is not None:
            data = {"id": raw["id"], **data}
        cols = list(data)
        ledger.conn.execute(
            f"INSERT INTO remittances({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [data[c] for c in cols],
        )
    if problems:
        raise InputRefused(problems, "交换文件中的上缴记录有误，未写入任何内容")
