"""Named operations on a person (each one transaction with an audit row): AddApplicant, UpdateApplicant,
DeleteApplicant, ExtendProbation (D27), StopApplicant (终止, taking a 预备党员 off the roster or marking them
出党) and ResumeApplicant. The steps themselves are recorded in steps.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import clock, members
from db.dates import iso
from db.development.model import PERSONAL, Applicant, StepRefused, _problem, validate
from db.development.person import person_of
from db.development.roster_link import _sync_stage, _unlink_member
from db.development.steps import record_step
from db.development.store import _check_unique, _params, get_applicant
from db.errors import InputRefused, Problem
from db.rules import development as rules

if TYPE_CHECKING:
    from db.connection import Ledger


def add_applicant(
    ledger: Ledger,
    a: Applicant,
    applied_on: dt.date | None = None,
    *,
    override_reason: str | None = None,
    today: dt.date | None = None,
) -> int:
    """AddApplicant: a new person with, when given, the date of the written application (step 1, D01)."""
    problems = validate(a, today=today)
    from db.honors.store import readmission_refusal  # JG11: 5 years after 劝退/除名 (db/honors)

    barred = readmission_refusal(ledger, a.id_number, applied_on or today or clock.today())
    if barred:
        problems.append(Problem(barred, column="公民身份号码"))
    if problems:
        raise InputRefused(problems, f"“{a.name or '（无姓名）'}”的信息有误，未保存")
    a.stage = "applicant"
    with ledger.operation("AddApplicant", f"新增入党申请人 {a.name}") as op:
        _check_unique(ledger, a)
        params = _params(a)
        cols = list(params)
        cur = ledger.conn.execute(
            f"INSERT INTO applicants({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})", params
        )
        a.id = int(cur.lastrowid or 0)
        if applied_on is not None:
            record_step(ledger, a.id, "applied", applied_on, override_reason=override_reason, today=today)
        op.value = a.id
    return a.id


def update_applicant(ledger: Ledger, a: Applicant, *, today: dt.date | None = None) -> None:
    """UpdateApplicant: personal fields (the steps are changed through record_step)."""
    assert a.id is not None
    problems = validate(a, today=today)
    if problems:
        raise InputRefused(problems, f"“{a.name}”的信息有误，未保存")
    with ledger.operation("UpdateApplicant", f"修改发展党员信息 {a.name}"):
        _check_unique(ledger, a)
        keys = [k for k in PERSONAL]
        params = _params(a)
        ledger.conn.execute(
            f"UPDATE applicants SET {', '.join(f'{k}=:{k}' for k in keys)} WHERE id=:id",
            {**{k: params[k] for k in keys}, "id": a.id},
        )
        if a.birth_date is not None and "applied" in a.steps:
            p = person_of(ledger, a)
            blocks = [b for b in rules.checks(p, a.steps["applied"].date) if b.code == "D01"]
            if blocks and "D01" not in a.steps["applied"].override_codes:
                raise StepRefused(blocks, "出生日期与申请日期不符合年满18岁的要求，未保存")


def delete_applicant(ledger: Ledger, applicant_id: int) -> None:
    a = get_applicant(ledger, applicant_id)
    if a.member_id is not None:
        raise InputRefused([Problem(f"“{a.name}”已列入党员名册，不能删除；如不再发展，请使用“终止”。")])
    with ledger.operation("DeleteApplicant", f"删除发展党员记录 {a.name}"):
        ledger.conn.execute("DELETE FROM applicants WHERE id=?", (applicant_id,))


def extend_probation(
    ledger: Ledger,
    applicant_id: int,
    decided_on: dt.date,
    months: int,
    *,
    approved_on: dt.date | None = None,
    reason: str | None = None,
    override_reason: str | None = None,
    today: dt.date | None = None,
) -> None:
    """ExtendProbation (D27): once, 6–12 months, decided by the 支部大会 and approved above; moves the end date."""
    today = today or clock.today()
    a = get_applicant(ledger, applicant_id)
    if a.ext_decided_on is not None:
        raise InputRefused([Problem("预备期已经延长过一次，只能延长一次（D27）", column="延长预备期")])
    if "branch_vote" not in a.steps or "full_vote" in a.steps or a.stage == "stopped":
        raise InputRefused([Problem("只有尚未转正的预备党员才能延长预备期", column="延长预备期")])
    if decided_on > today or (approved_on is not None and approved_on > today):
        raise InputRefused([Problem("日期晚于今天", column="延长预备期")])
    msg = rules.extension_problem(person_of(ledger, a), decided_on, months, existing=False)
    why = (override_reason or "").strip() or None
    if msg and why is None:
        raise StepRefused([rules.Breach("D27", "error", f"{a.name}：{msg}")], "延长预备期不符合规定，未保存")
    with ledger.operation("ExtendProbation", f"{a.name}：延长预备期{months}个月"):
        ledger.conn.execute(
            "UPDATE applicants SET ext_decided_on=?, ext_months=?, ext_approved_on=?, ext_reason=?, ext_override=? "
            "WHERE id=?",
            (iso(decided_on), months, iso(approved_on), reason, why if msg else None, applicant_id),
        )


def stop(ledger: Ledger, applicant_id: int, on: dt.date, reason: str) -> None:
    """StopApplicant (终止): with a reason. A 预备党员 not approved is taken off the roster; one whose
    预备党员资格 is cancelled stays in past records with status 出党/除名 from that day."""
    a = get_applicant(ledger, applicant_id)
    if not (reason or "").strip():
        raise InputRefused([_problem("stop_reason", "请填写终止原因")])
    if a.stage == "stopped":
        raise InputRefused([Problem(f"“{a.name}”已经终止")])
    if a.stage == "full":
        raise InputRefused([Problem(f"“{a.name}”已转为正式党员，不能终止；党籍变化请在党员名册中办理")])
    with ledger.operation("StopApplicant", f"{a.name}：终止发展"):
        ledger.conn.execute(
            "UPDATE applicants SET stopped_on=?, stop_reason=?, stage='stopped' WHERE id=?",
            (iso(on), reason.strip(), applicant_id),
        )
        if a.member_id is not None:
            if "approved" not in a.steps:
                _unlink_member(ledger, a, reason.strip())
            else:
                members.change_status(ledger, a.member_id, "left", on, f"取消预备党员资格：{reason.strip()}")


def resume(ledger: Ledger, applicant_id: int) -> None:
    """ResumeApplicant: undo a 终止 entered by mistake (before anything else changed, prefer 撤销)."""
    a = get_applicant(ledger, applicant_id)
    with ledger.operation("ResumeApplicant", f"{a.name}：恢复发展"):
        ledger.conn.execute(
            "UPDATE applicants SET stopped_on=NULL, stop_reason=NULL WHERE id=?", (applicant_id,)
        )
        _sync_stage(ledger, get_applicant(ledger, applicant_id))
