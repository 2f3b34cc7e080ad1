"""Findings of 组织关系转接 (RULES-EXT.md §11): L01 (ZZ06) a 介绍信 whose 回执 is not back one month after the letter's
validity ended; D23 (ZZ13) for a transferred-in 预备党员 whose 转正 is still to be discussed after the deferral allowed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import members as members_mod
from db.dates import fmt_zh
from db.findings import Finding, provider
from db.transfers.model import full_vote_latest, probation_end, receipt_overdue
from db.transfers.store import list_transfers

if TYPE_CHECKING:
    from db.connection import Ledger


@provider("transfers")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    names = members_mod.names(ledger)
    out: list[Finding] = []
    for t in list_transfers(ledger, until=as_of):
        name = names.get(t.member_id, "")
        if receipt_overdue(t, as_of):
            out.append(
                Finding(
                    "L01",
                    "warning",
                    "transfer",
                    t.id,
                    name,
                    f"{name}的组织关系介绍信（第{t.number}号，{fmt_zh(t.issued_on or t.transfer_on)}开具，转往"
                    f"{t.to_org or '（未填）'}）有效期至{fmt_zh(t.valid_until)}，回执应在其后一个月内退回，至今未收到；"
                    "请与接收党组织联系",
                    due=t.receipt_due,
                )
            )
    out.extend(_probation(ledger, as_of, names))
    return out


def _probation(ledger: Ledger, as_of: dt.date, names: dict[int, str]) -> list[Finding]:
    """ZZ13 / D23: a 预备党员 received by transfer whose 预备期 has ended: a reminder while the 6 months of deferral
    run, a warning after them, until the 转正 is recorded (转为正式党员日期)."""
    out: list[Finding] = []
    with_applicant = {
        int(r[0]) for r in ledger.query("SELECT member_id FROM applicants WHERE member_id IS NOT NULL")
    }
    hist = members_mod._history(ledger)
    for t in list_transfers(ledger, direction="in", until=as_of):
        if t.category != "probationary" or t.member_id in with_applicant or t.transfer_on > as_of:
            continue
        end = probation_end(t.admitted_on, t.extension_months)
        latest = full_vote_latest(t.admitted_on, t.extension_months)
        if end is None or latest is None or as_of <= end:
            continue
        m = members_mod.get(ledger, t.member_id)
        if (m.full_on is not None and m.full_on <= as_of) or not members_mod.in_branch_on(
            m, as_of, hist.get((t.member_id, "status"))
        ):
            continue
        name = names.get(t.member_id, "")
        if as_of > latest:
            severity = "warning"
            text = (
                f"转入的预备党员{name}预备期已于{fmt_zh(end)}届满，可推迟讨论转正但最长6个月（至{fmt_zh(latest)}），"
                "现已超过，仍未登记转正；请召开支部党员大会讨论"
            )
        else:
            severity = "reminder"
            text = f"转入的预备党员{name}预备期已于{fmt_zh(end)}届满；转入后可推迟讨论转正，最迟{fmt_zh(latest)}前召开支部党员大会讨论"
        out.append(Finding("D23", severity, "member", t.member_id, name, text, due=latest))
    return out
