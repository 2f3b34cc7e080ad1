"""核定: fixing each member's 党费 for a year (RULES.md §2.1). A `BaseEntry` is what the secretary fills in on the
base worksheet; `assess` gives the rule amount for it. The named operations: SaveDuesBase / ChangeDuesBase (a
mid-year change is a new row from a month, with a reason; the earlier rows stay as the history), 年初核定 in two
steps (CopyDuesBases copies last year's rows as drafts, FixDuesBases fixes the reviewed drafts), ConfirmDuesCap
for a rule amount above the cap (P04), DeleteDuesBase, and SetMonthPay for 年薪制 (the pay received in a month is
that month's base)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from db import clock, settings
from db.dates import iso
from db.dues.book import DuesBook
from db.dues.model import _refuse
from db.dues.reads import _member_name, get_base
from db.dues.worksheet import Worksheet
from db.rules import dues as rules
from db.rules.dues import BASE_KINDS, DuesAmount, DuesRuleError, money, money_text, month_index, month_zh

if TYPE_CHECKING:
    from db.connection import Ledger


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
