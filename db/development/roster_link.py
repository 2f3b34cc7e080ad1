"""The roster link (RULES.md D20, D28, D29), run inside the caller's operation: when the 支部大会 passes the
person (`branch_vote`), they are put on the roster as 预备党员 with 加入党组织日期 = that day (dues start,
预备期 starts); when the 转正 is approved (`full_approved`) they become 正式党员 from the end of the probation
(G + 1 year, moved by an extension), which is when their 党龄 starts; `assigned_to_group` puts them in the
chosen 党小组. Also the stage kept in the `applicants` row, derived from the recorded steps.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from db import clock, members
from db.development.model import Applicant
from db.development.person import person_of
from db.rules import development as rules

if TYPE_CHECKING:
    from db.connection import Ledger


def _unlink_member(ledger: Ledger, a: Applicant, reason: str) -> None:
    """Take the roster entry made at the 支部大会 back off (deleted when nothing else refers to it)."""
    assert a.member_id is not None
    mid = a.member_id
    ledger.conn.execute("UPDATE applicants SET member_id=NULL WHERE id=?", (a.id,))
    a.member_id = None
    try:
        ledger.conn.execute("SAVEPOINT unlink_member")
        ledger.conn.execute("DELETE FROM members WHERE id=?", (mid,))
        ledger.conn.execute("RELEASE unlink_member")
    except sqlite3.IntegrityError:
        ledger.conn.execute("ROLLBACK TO unlink_member")
        ledger.conn.execute("RELEASE unlink_member")
        ledger.conn.execute("UPDATE applicants SET member_id=? WHERE id=?", (mid, a.id))
        a.member_id = mid
        m = members.get(ledger, mid)
        if m.status == "active":
            members.change_status(ledger, mid, "left", clock.today(), reason)


def _sync_stage(ledger: Ledger, a: Applicant) -> None:
    stage = rules.derive_stage(person_of(ledger, a))
    if stage != a.stage:
        ledger.conn.execute("UPDATE applicants SET stage=? WHERE id=?", (stage, a.id))
        a.stage = stage


def _roster_link(ledger: Ledger, a: Applicant, key: str) -> None:
    """D20/D29 at the 支部大会, group at 编入党小组, D28 at 转正 approval (inside the caller's operation)."""
    if key == "branch_vote":
        g = a.steps["branch_vote"].date
        if a.member_id is None:
            m = members.Member(
                name=a.name,
                gender=a.gender,
                ethnicity=a.ethnicity,
                birth_date=a.birth_date,
                id_number=a.id_number,
                education=a.education,
                category="probationary",
                joined_on=g,
                job=a.job,
                occupation=a.occupation,
                frontline=a.frontline,
                phone=a.phone,
                notes="经本支部发展，支部大会通过接收为预备党员",
            )
            mid = members.insert(ledger, m)
            ledger.conn.execute("UPDATE applicants SET member_id=? WHERE id=?", (mid, a.id))
            a.member_id = mid
        else:
            m = members.get(ledger, a.member_id)
            if m.joined_on != g:
                m.joined_on = g
                members.update(ledger, m, reason="支部大会接收日期", changed_on=g)
    elif key == "assigned_to_group" and a.member_id is not None:
        gid = a.steps[key].facts.get("group_id")
        m = members.get(ledger, a.member_id)
        if gid is not None and m.group_id != gid:
            m.group_id = int(gid)
            members.update(ledger, m, reason="编入党小组", changed_on=a.steps[key].date)
    elif key == "full_approved" and a.member_id is not None:
        end = rules.probation_end(person_of(ledger, a))
        m = members.get(ledger, a.member_id)
        if m.category != "full" or m.full_on != end:
            m.category, m.full_on = "full", end
            members.update(ledger, m, reason="预备党员转正", changed_on=end)
