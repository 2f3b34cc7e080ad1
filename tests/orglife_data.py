"""A small branch for the organisational-life tests: 正式党员, 预备党员, a committee, and meetings by kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

from db import branch, meetings, members
from db.connection import Ledger
from db.meetings import Attendance, Meeting
from db.members import Member

D = dt.date
PROB_JOINED = D(2025, 12, 1)
TERM_START = D(2024, 1, 1)


def add_members(
    ledger: Ledger, n_full: int, n_prob: int = 0, *, prob_joined: dt.date = PROB_JOINED
) -> list[int]:
    ids = []
    with ledger.operation("Seed", "测试数据"):
        for i in range(n_full):
            ids.append(
                members.insert(
                    ledger,
                    Member(
                        name=f"正式{i + 1}",
                        gender="male",
                        birth_date=D(1985, 1, 1),
                        joined_on=D(2010, 7, 1),
                        full_on=D(2011, 7, 1),
                    ),
                )
            )
        for i in range(n_prob):
            ids.append(
                members.insert(
                    ledger,
                    Member(
                        name=f"预备{i + 1}",
                        gender="female",
                        birth_date=D(1995, 1, 1),
                        category="probationary",
                        joined_on=prob_joined,
                    ),
                )
            )
    return ids


def add_committee(ledger: Ledger, member_ids: list[int], starts_on: dt.date = TERM_START) -> None:
    roles = ["secretary", "organization", "propaganda", "deputy", "discipline"]
    term = branch.Term(
        kind="committee",
        elected_on=starts_on,
        starts_on=starts_on,
        seats=[branch.Seat(member_id=m, role=roles[i]) for i, m in enumerate(member_ids)],
    )
    branch.save_term(ledger, term)


def add_meeting(
    ledger: Ledger,
    kinds: list[str],
    date: dt.date,
    *,
    start: str | None = None,
    end: str | None = None,
    absent: tuple[int, ...] = (),
    **kw: Any,
) -> int:
    m = Meeting(
        kinds=kinds, date=date, place="会议室", topic=kw.pop("topic", "学习"), start_time=start, end_time=end
    )
    exp = meetings.expected_attendance(ledger, date, kinds)
    m.host_id = exp[0].member_id if exp else None
    m.recorder_id = exp[1].member_id if len(exp) > 1 else m.host_id
    m.attendance = [
        Attendance(
            a.member_id,
            "absent" if a.member_id in absent else "present",
            "出差" if a.member_id in absent else None,
            a.category,
        )
        for a in exp
    ]
    for k, v in kw.items():
        setattr(m, k, v)
    return meetings.create_meeting(ledger, m)
