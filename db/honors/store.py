"""Reading and writing 奖惩: SaveAward (JG01 refused with the reason), SaveSanction (JG15), SaveDisposition
(JG10–JG13) and their deletes; who has no vote on a day because of 留党察看 (read by the meetings and elections)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import clock, rowops
from db import members as members_mod
from db.dates import fmt_zh
from db.errors import InputRefused, Problem
from db.honors.model import (
    AWARD_LABELS,
    LEVEL_LABELS,
    Award,
    Disposition,
    Sanction,
    award_refusal,
    disposition_problems,
    on_probation,
    readmission_barred_until,
    sanction_problems,
)

if TYPE_CHECKING:
    from db.connection import Ledger


def _name(ledger: Ledger, member_id: int) -> str:
    return members_mod.names(ledger).get(member_id, f"党员#{member_id}")


def list_awards(ledger: Ledger, *, member_id: int | None = None) -> list[Award]:
    where, params = ("WHERE member_id=?", (member_id,)) if member_id is not None else ("", ())
    return [
        rowops.from_row(Award, r, ("awarded_on",))
        for r in ledger.query(f"SELECT * FROM awards {where} ORDER BY awarded_on, id", params)
    ]


def list_sanctions(ledger: Ledger, *, member_id: int | None = None) -> list[Sanction]:
    where, params = ("WHERE member_id=?", (member_id,)) if member_id is not None else ("", ())
    return [
        rowops.from_row(Sanction, r, ("decided_on", "starts_on", "ends_on"))
        for r in ledger.query(f"SELECT * FROM sanctions {where} ORDER BY decided_on, id", params)
    ]


def list_dispositions(ledger: Ledger, *, member_id: int | None = None) -> list[Disposition]:
    where, params = ("WHERE member_id=?", (member_id,)) if member_id is not None else ("", ())
    return [
        rowops.from_row(Disposition, r, ("filed_on", "starts_on", "ends_on", "closed_on"))
        for r in ledger.query(f"SELECT * FROM dispositions {where} ORDER BY starts_on, id", params)
    ]


def probation_ids(ledger: Ledger, day: dt.date, sanctions: list[Sanction] | None = None) -> dict[int, str]:
    """JG15: members under 留党察看 on that day (no 表决权、选举权、被选举权), with the reason in words
    (`sanctions`: the records as `list_sanctions` gives them, when already read)."""
    out: dict[int, str] = {}
    for s in list_sanctions(ledger) if sanctions is None else sanctions:
        if on_probation(s, day) and s.decided_on <= day:
            out[s.member_id] = "留党察看期间，没有表决权、选举权和被选举权"
    return out


def barred_until(ledger: Ledger, member_id: int) -> dt.date | None:
    """The day until which a member's re-admission is barred (劝退/除名/开除党籍 + 5 years), if any."""
    ends = [
        readmission_barred_until(d.kind, d.closed_on or d.starts_on)
        for d in list_dispositions(ledger, member_id=member_id)
    ]
    ends += [
        readmission_barred_until(s.kind, s.decided_on) for s in list_sanctions(ledger, member_id=member_id)
    ]
    got = [e for e in ends if e is not None]
    return max(got) if got else None


def readmission_refusal(ledger: Ledger, id_number: str | None, day: dt.date) -> str | None:
    """JG11/JG15: a former member 劝退/除名/开除党籍 less than 5 years before `day` may not be admitted again: the
    reason in words for a new 入党申请人 with that 公民身份号码, else None."""
    if id_number is None or not id_number.strip():
        return None
    for r in ledger.query(
        "SELECT id, name FROM members WHERE upper(id_number)=?", (id_number.strip().upper(),)
    ):
        until = barred_until(ledger, int(r["id"]))
        if until is not None and day < until:
            return f"{r['name']}曾被劝退、除名或开除党籍，{fmt_zh(until)}前不得重新入党（处置办法：5年内不得重新入党）"
    return None


def _member_checks(ledger: Ledger, member_id: int, day: dt.date | None, what: str) -> list[Problem]:
    p: list[Problem] = []
    if member_id not in members_mod.names(ledger):
        p.append(Problem("请选择党员", column="党员"))
    if day is None:
        p.append(Problem(f"请填写{what}", column=what))
    elif day > clock.today():
        p.append(Problem(f"{what}{fmt_zh(day)}在今天之后", column=what))
    return p


# ------------------------------------------------------------------------------------------ awards


def validate_award(ledger: Ledger, a: Award) -> list[Problem]:
    p = _member_checks(ledger, a.member_id, a.awarded_on, "授予日期")
    if a.kind not in AWARD_LABELS:
        p.append(Problem(f"表彰类型“{a.kind}”无效", column="类型"))
    if a.level not in LEVEL_LABELS:
        p.append(Problem(f"表彰层级“{a.level}”无效", column="层级"))
    if a.kind in ("praise", "other") and not (a.title or "").strip():
        p.append(Problem("请填写表扬/表彰的名称", column="名称"))
    if not p:
        hist = members_mod._history(ledger).get((a.member_id, "category"))
        category = members_mod.category_on(members_mod.get(ledger, a.member_id), a.awarded_on, hist)
        why = award_refusal(a.kind, category)
        if why:
            p.append(Problem(f"{_name(ledger, a.member_id)}：{why}", column="类型"))
    return p


def save_award(ledger: Ledger, a: Award) -> int:
    """SaveAward: a 表彰/表扬 or a 纪念章 issued."""
    problems = validate_award(ledger, a)
    if problems:
        raise InputRefused(problems, "表彰记录未保存")
    return rowops.save(ledger, "awards", a, "SaveAward", f"表彰：{_name(ledger, a.member_id)} {a.label}")


def delete_award(ledger: Ledger, award_id: int) -> None:
    rowops.delete(ledger, "awards", award_id, "DeleteAward", "删除表彰记录")


# ------------------------------------------------------------------------------------------ sanctions


def save_sanction(ledger: Ledger, s: Sanction) -> int:
    """SaveSanction: a 纪律处分 as decided (recorded, not decided here)."""
    p = _member_checks(ledger, s.member_id, s.decided_on, "处分日期")
    if s.decided_on is not None:
        p += [Problem(msg, column=col) for col, msg in sanction_problems(s)]
    if p:
        raise InputRefused(p, "纪律处分记录未保存")
    return rowops.save(
        ledger, "sanctions", s, "SaveSanction", f"纪律处分：{_name(ledger, s.member_id)} {s.label}"
    )


def delete_sanction(ledger: Ledger, sanction_id: int) -> None:
    rowops.delete(ledger, "sanctions", sanction_id, "DeleteSanction", "删除纪律处分记录")


# ------------------------------------------------------------------------------------------ dispositions


def save_disposition(ledger: Ledger, d: Disposition) -> int:
    """SaveDisposition: a 组织处置 case with its 事前备案 and its clock."""
    p = _member_checks(ledger, d.member_id, d.starts_on, "开始日期")
    if d.filed_on is None:
        p.append(Problem("组织处置须先报基层党委事前备案，请填写备案日期（JG13）", column="事前备案"))
    if d.starts_on is not None and d.filed_on is not None:
        p += [Problem(msg, column=col) for col, msg in disposition_problems(d)]
    if d.closed_on and d.closed_on > clock.today():
        p.append(Problem("办结日期在今天之后", column="办结日期"))
    if d.kind in ("persuade", "remove") and d.member_id is not None:
        punished = [s for s in list_sanctions(ledger, member_id=d.member_id) if s.kind == "expulsion"]
        if punished:
            p.append(Problem("该党员已受开除党籍处分，不再作组织处置（JG10）", column="处置方式"))
    if p:
        raise InputRefused(p, "组织处置记录未保存")
    return rowops.save(
        ledger, "dispositions", d, "SaveDisposition", f"组织处置：{_name(ledger, d.member_id)} {d.label}"
    )


def delete_disposition(ledger: Ledger, disposition_id: int) -> None:
    rowops.delete(ledger, "dispositions", disposition_id, "DeleteDisposition", "删除组织处置记录")
