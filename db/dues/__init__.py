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
from typing import TYPE_CHECKING, Any

from db import settings
from db.dates import add_months, fmt_zh
from db.dues.bases import (
    BaseEntry,
    assess,
    confirm_cap,
    copy_bases,
    delete_base,
    fix_bases,
    save_base,
    set_month_pay,
)
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
    method_label,
)
from db.dues.payments import MonthRecorded, delete_payment, record_month, record_payment, record_quarter
from db.dues.reads import bases_of_member, bases_of_year, get_base, last_collector, last_payment, payments_of
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


# ------------------------------------------------------------------------------------------ payments


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
