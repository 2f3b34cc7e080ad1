"""The dues sections of the interchange document (CONTRACT.md §3): `dues_bases` (with each 核定's worksheet and
年薪制 month pay), `dues_payments` and `remittances`, dumped with their ids so that dump → load → dump gives the same
document. Loading checks each row (kind, approval reference, 农民 range, months and periods) and refuses the whole
section with located problems rather than write part of it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from db import settings
from db.dues.model import _opt_money
from db.dues.remittance import period_months
from db.dues.worksheet import Worksheet
from db.errors import InputRefused, Problem
from db.interchange import section
from db.rules import dues as rules
from db.rules.dues import BASE_KINDS, KIND_LABELS, DuesRuleError, money, money_text, month_index

if TYPE_CHECKING:
    from db.connection import Ledger


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
