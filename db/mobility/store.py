"""Reading and writing 流动党员 records: SaveOuting, DeleteOuting, SaveContact, DeleteContact, SetDuesElsewhere
(LD08), SaveLost, DeleteLost — each validated, each one operation (audited, undoable)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from db import clock, rowops
from db import members as members_mod
from db.dates import fmt_zh
from db.errors import InputRefused, Problem
from db.mobility.model import KIND_LABELS, WAY_LABELS, Contact, ElsewhereMonth, Lost, Outing, vote_withheld

if TYPE_CHECKING:
    from db.connection import Ledger

OUTING_DATES = ("left_on", "returned_on", "card_issued_on", "card_valid_until")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _name(ledger: Ledger, member_id: int) -> str:
    return members_mod.names(ledger).get(member_id, f"党员#{member_id}")


# ------------------------------------------------------------------------------------------ reading


def list_outings(ledger: Ledger, *, member_id: int | None = None) -> list[Outing]:
    """Every 外出 record with its contact log, oldest first."""
    where, params = ("WHERE member_id=?", (member_id,)) if member_id is not None else ("", ())
    out = [
        rowops.from_row(Outing, r, OUTING_DATES, ("fixed_place", "vote_elsewhere"))
        for r in ledger.query(f"SELECT * FROM mobility_outings {where} ORDER BY left_on, id", params)
    ]
    by_id = {o.id: o for o in out}
    for r in ledger.query("SELECT * FROM mobility_contacts ORDER BY contacted_on, id"):
        o = by_id.get(r["outing_id"])
        if o is not None:
            o.contacts.append(rowops.from_row(Contact, r, ("contacted_on",)))
    return out


def away_on(ledger: Ledger, day: dt.date) -> list[Outing]:
    return [o for o in list_outings(ledger) if o.away_on(day)]


def vote_withheld_ids(ledger: Ledger, day: dt.date, outings: list[Outing] | None = None) -> dict[int, str]:
    """LD03: members left out of 应到有表决权 on that day, with the reason in words (`outings`: the records as
    `list_outings` gives them, when already read)."""
    return {
        o.member_id: f"外出流动（{o.destination}），经批准不计入应到有表决权"
        for o in (list_outings(ledger) if outings is None else outings)
        if vote_withheld(o, day)
    }


def list_elsewhere(ledger: Ledger, *, member_id: int | None = None) -> list[ElsewhereMonth]:
    where, params = ("WHERE member_id=?", (member_id,)) if member_id is not None else ("", ())
    return [
        rowops.from_row(ElsewhereMonth, r)
        for r in ledger.query(f"SELECT * FROM dues_elsewhere {where} ORDER BY member_id, month", params)
    ]


def list_lost(ledger: Ledger) -> list[Lost]:
    return [
        rowops.from_row(Lost, r, ("since", "found_on"))
        for r in ledger.query("SELECT * FROM mobility_lost ORDER BY since, id")
    ]


# ------------------------------------------------------------------------------------------ outings


def validate_outing(ledger: Ledger, o: Outing) -> list[Problem]:
    p: list[Problem] = []
    if o.member_id not in members_mod.names(ledger):
        p.append(Problem("请选择外出的党员", column="党员"))
    if o.left_on is None:
        return [*p, Problem("请填写外出时间", column="外出时间")]
    if o.left_on > clock.today():
        p.append(Problem(f"外出时间{fmt_zh(o.left_on)}在今天之后；请在外出后登记", column="外出时间"))
    if not (o.destination or "").strip():
        p.append(Problem("请填写外出地点（省、市、县）", column="外出地点"))
    if o.kind not in KIND_LABELS:
        p.append(Problem(f"外出类型“{o.kind}”无效", column="外出类型"))
    if o.returned_on and o.returned_on < o.left_on:
        p.append(Problem("返回日期不能早于外出时间", column="返回日期"))
    if o.card_valid_until and o.card_issued_on and o.card_valid_until < o.card_issued_on:
        p.append(Problem("活动证有效期不能早于发证日期", column="活动证有效期"))
    if o.card_issued_on and not (o.card_no or "").strip():
        p.append(Problem("填写了发证日期，请同时填写活动证编号（LD05 登记造册）", column="活动证编号"))
    for other in list_outings(ledger, member_id=o.member_id):
        if other.id == o.id:
            continue
        end = other.returned_on or dt.date.max
        mine_end = o.returned_on or dt.date.max
        if other.left_on < mine_end and o.left_on < end:
            p.append(
                Problem(
                    f"与{fmt_zh(other.left_on)}起的外出记录（{other.destination}）时间重叠", column="外出时间"
                )
            )
    return p


def save_outing(ledger: Ledger, o: Outing) -> int:
    """SaveOuting: a new 外出 record, changes, or the return."""
    problems = validate_outing(ledger, o)
    if problems:
        raise InputRefused(problems, "流动党员外出记录未保存")
    verb = "返回" if o.returned_on else "外出"
    return rowops.save(
        ledger,
        "mobility_outings",
        o,
        "SaveOuting",
        f"流动党员{verb}：{_name(ledger, o.member_id)} {o.destination}",
    )


def delete_outing(ledger: Ledger, outing_id: int) -> None:
    rowops.delete(ledger, "mobility_outings", outing_id, "DeleteOuting", "删除流动党员外出记录")


def save_contact(ledger: Ledger, c: Contact) -> int:
    """SaveContact: one entry of the 流出地's contact log (LD01)."""
    row = ledger.query_one("SELECT member_id, left_on FROM mobility_outings WHERE id=?", (c.outing_id,))
    p: list[Problem] = []
    if row is None:
        p.append(Problem("请先选择外出记录", column="外出记录"))
    elif c.contacted_on is None:
        p.append(Problem("请填写联系日期", column="联系日期"))
    else:
        if c.contacted_on > clock.today():
            p.append(Problem(f"联系日期{fmt_zh(c.contacted_on)}在今天之后", column="联系日期"))
        if c.contacted_on.isoformat() < row["left_on"]:
            p.append(Problem("联系日期早于外出时间", column="联系日期"))
    if c.way not in WAY_LABELS:
        p.append(Problem(f"联系方式“{c.way}”无效", column="方式"))
    if p:
        raise InputRefused(p, "联系记录未保存")
    assert row is not None
    label = f"联系流动党员：{_name(ledger, row['member_id'])} {fmt_zh(c.contacted_on)}"
    return rowops.save(ledger, "mobility_contacts", c, "SaveContact", label)


def delete_contact(ledger: Ledger, contact_id: int) -> None:
    rowops.delete(ledger, "mobility_contacts", contact_id, "DeleteContact", "删除联系记录")


# ------------------------------------------------------------------------------------------ LD08


def set_dues_elsewhere(
    ledger: Ledger, member_id: int, months: list[str], place: str | None, *, paid: bool = True
) -> None:
    """SetDuesElsewhere: mark months as paid at the 流入地 (LD08: each member-month in exactly one org), or
    unmark them (`paid=False`). A month already paid here is refused (it would be counted twice)."""
    p: list[Problem] = []
    for m in months:
        if not _MONTH.match(m or ""):
            p.append(Problem(f"月份“{m}”应写成 YYYY-MM", column="月份"))
    if member_id not in members_mod.names(ledger):
        p.append(Problem("请选择党员", column="党员"))
    if paid:
        outings = list_outings(ledger, member_id=member_id)
        for m in months:
            if not _MONTH.match(m or ""):
                continue
            here = ledger.query_one(
                "SELECT count(*) FROM dues_payments WHERE member_id=? AND month=?", (member_id, m)
            )
            if here and here[0]:
                p.append(
                    Problem(
                        f"{m}的党费已在本支部登记，不能再记为在流入地交纳（LD08：每月党费只在一处交纳）",
                        column="月份",
                    )
                )
            first = dt.date(int(m[:4]), int(m[5:7]), 1)
            last = dt.date(int(m[:4]) + (m[5:7] == "12"), int(m[5:7]) % 12 + 1, 1) - dt.timedelta(days=1)
            if not any(
                o.left_on <= last and (o.returned_on is None or o.returned_on > first) for o in outings
            ):
                p.append(Problem(f"{m}该党员没有外出记录，不能记为在流入地交纳", column="月份"))
    if p:
        raise InputRefused(p, "流入地交纳党费未登记")
    name = _name(ledger, member_id)
    label = f"{'登记' if paid else '取消'}在流入地交纳党费：{name} {'、'.join(months)}"
    with ledger.operation("SetDuesElsewhere", label):
        for m in months:
            if paid:
                ledger.conn.execute(
                    "INSERT INTO dues_elsewhere(member_id, month, place) VALUES (?,?,?) "
                    "ON CONFLICT(member_id, month) DO UPDATE SET place=excluded.place",
                    (member_id, m, (place or "").strip() or None),
                )
            else:
                ledger.conn.execute(
                    "DELETE FROM dues_elsewhere WHERE member_id=? AND month=?", (member_id, m)
                )


def elsewhere_months(ledger: Ledger) -> set[tuple[int, str]]:
    return {(int(r[0]), str(r[1])) for r in ledger.query("SELECT member_id, month FROM dues_elsewhere")}


# ------------------------------------------------------------------------------------------ LD11


def save_lost(ledger: Ledger, x: Lost) -> int:
    """SaveLost: a 失联 record (or the day the member was found)."""
    p: list[Problem] = []
    if x.member_id not in members_mod.names(ledger):
        p.append(Problem("请选择党员", column="党员"))
    if x.since is None:
        p.append(Problem("请填写失联起始日期（最后一次参加组织生活或交纳党费）", column="失联日期"))
    elif x.since > clock.today():
        p.append(Problem("失联日期在今天之后", column="失联日期"))
    elif x.found_on and x.found_on < x.since:
        p.append(Problem("恢复联系日期不能早于失联日期", column="恢复联系"))
    if p:
        raise InputRefused(p, "失联记录未保存")
    verb = "恢复联系" if x.found_on else "失联"
    return rowops.save(ledger, "mobility_lost", x, "SaveLost", f"{verb}：{_name(ledger, x.member_id)}")


def delete_lost(ledger: Ledger, lost_id: int) -> None:
    rowops.delete(ledger, "mobility_lost", lost_id, "DeleteLost", "删除失联记录")
