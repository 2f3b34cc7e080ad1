"""Reading and writing 关怀: SaveCareEntry, DeleteCareEntry, SaveVisit, DeleteVisit; who is 关怀豁免 on a day
(read by the 学时 findings O06 and the 失联-type R03, JG06)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from db import clock, rowops
from db import members as members_mod
from db.care.model import CATEGORY_LABELS, FUND_LABELS, OCCASION_LABELS, WAY_LABELS, CareEntry, Visit
from db.dates import fmt_zh
from db.errors import InputRefused, Problem

if TYPE_CHECKING:
    from db.connection import Ledger


def _name(ledger: Ledger, member_id: int) -> str:
    return members_mod.names(ledger).get(member_id, f"党员#{member_id}")


def list_register(ledger: Ledger, *, member_id: int | None = None) -> list[CareEntry]:
    where, params = ("WHERE member_id=?", (member_id,)) if member_id is not None else ("", ())
    return [
        rowops.from_row(CareEntry, r, ("since", "until"), ("exempt",))
        for r in ledger.query(f"SELECT * FROM care_register {where} ORDER BY member_id, since, id", params)
    ]


def list_visits(ledger: Ledger, *, member_id: int | None = None, year: int | None = None) -> list[Visit]:
    where: list[str] = ["1=1"]
    params: list[object] = []
    if member_id is not None:
        where.append("member_id=?")
        params.append(member_id)
    if year is not None:
        where.append("visited_on BETWEEN ? AND ?")
        params += [f"{year}-01-01", f"{year}-12-31"]
    return [
        rowops.from_row(Visit, r, ("visited_on",), ("signed",))
        for r in ledger.query(
            f"SELECT * FROM care_visits WHERE {' AND '.join(where)} ORDER BY visited_on, id", params
        )
    ]


def exempt_ids(ledger: Ledger, day: dt.date) -> dict[int, str]:
    """JG06: members whose 组织活动和学习教育 are not required on that day (关怀豁免), with the reason in words."""
    return {e.member_id: f"关怀豁免（{e.category_label}）" for e in list_register(ledger) if e.exempt_on(day)}


def exempt_in_year(ledger: Ledger, year: int) -> dict[int, str]:
    """Members 关怀豁免 on any day of the year (the 学时 target of that year is not required)."""
    lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return {
        e.member_id: f"关怀豁免（{e.category_label}）"
        for e in list_register(ledger)
        if e.exempt and e.since <= hi and (e.until is None or e.until >= lo)
    }


def save_entry(ledger: Ledger, e: CareEntry) -> int:
    """SaveCareEntry: a member on the 关怀 register (困难党员/老党员…), with the 关怀豁免 flag."""
    p: list[Problem] = []
    if e.member_id not in members_mod.names(ledger):
        p.append(Problem("请选择党员", column="党员"))
    if e.category not in CATEGORY_LABELS:
        p.append(Problem(f"关怀类别“{e.category}”无效", column="类别"))
    if e.since is None:
        p.append(Problem("请填写登记日期", column="登记日期"))
    elif e.until and e.until < e.since:
        p.append(Problem("截止日期不能早于登记日期", column="截止日期"))
    if p:
        raise InputRefused(p, "关怀登记未保存")
    label = f"关怀登记：{_name(ledger, e.member_id)} {e.category_label}" + ("（豁免）" if e.exempt else "")
    return rowops.save(ledger, "care_register", e, "SaveCareEntry", label)


def delete_entry(ledger: Ledger, entry_id: int) -> None:
    rowops.delete(ledger, "care_register", entry_id, "DeleteCareEntry", "删除关怀登记")


def save_visit(ledger: Ledger, v: Visit) -> int:
    """SaveVisit: a 走访慰问 with what was given (JG07)."""
    p: list[Problem] = []
    if v.member_id not in members_mod.names(ledger):
        p.append(Problem("请选择慰问对象", column="对象"))
    if v.visited_on is None:
        p.append(Problem("请填写慰问日期", column="日期"))
    elif v.visited_on > clock.today():
        p.append(Problem(f"慰问日期{fmt_zh(v.visited_on)}在今天之后；请在慰问后登记", column="日期"))
    if v.occasion not in OCCASION_LABELS:
        p.append(Problem(f"慰问时节“{v.occasion}”无效", column="时节"))
    if v.way not in WAY_LABELS:
        p.append(Problem(f"慰问方式“{v.way}”无效", column="方式"))
    if v.fund is not None and v.fund not in FUND_LABELS:
        p.append(Problem(f"资金来源“{v.fund}”无效", column="资金来源"))
    if v.amount not in (None, ""):
        try:
            amt = Decimal(str(v.amount))
            if amt < 0 or amt != amt.quantize(Decimal("0.01")):
                raise InvalidOperation
            v.amount = f"{amt.quantize(Decimal('0.01'))}"
        except InvalidOperation:
            p.append(Problem(f"慰问金“{v.amount}”应为不小于0、最多两位小数的金额", column="慰问金"))
    if v.way == "money" and v.amount in (None, ""):
        p.append(Problem("慰问金方式请填写金额", column="慰问金"))
    if p:
        raise InputRefused(p, "慰问记录未保存")
    label = f"走访慰问：{_name(ledger, v.member_id)} {fmt_zh(v.visited_on)} {v.occasion_label}"
    return rowops.save(ledger, "care_visits", v, "SaveVisit", label)


def delete_visit(ledger: Ledger, visit_id: int) -> None:
    rowops.delete(ledger, "care_visits", visit_id, "DeleteVisit", "删除慰问记录")
