"""The committee (or the lone 书记) by term: terms, their seats, and who held which post on a date (RULES.md §4).

A term is a 支部委员会 (3 to 7 members) or, below 7 正式党员, a 书记 alone (条例 第二十条); it runs 3 years
from its start unless the secretary enters another end (条例 第二十一条). Elections and vacancies, which
make and change the seats, are in elections.py and vacancies.py; the term findings in findings.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from db.dates import from_iso, iso
from db.errors import InputRefused, Problem
from db.members import counts_on
from db.rules import committee as rules

if TYPE_CHECKING:
    from db.connection import Ledger

ROLE_LABELS = {
    "secretary": "书记",
    "deputy": "副书记",
    "organization": "组织委员",
    "propaganda": "宣传委员",
    "discipline": "纪检委员",
    "member": "委员",
}
TERM_KIND_LABELS = {"committee": "支部委员会", "secretary": "不设支委会（书记）"}
COMMITTEE_THRESHOLD = 7  # 正式党员 at which a 支部委员会 is required (条例 第二十条)
TERM_YEARS = 3


@dataclass
class Seat:
    id: int | None = None
    member_id: int = 0
    role: str = "member"
    from_on: dt.date | None = None
    to_on: dt.date | None = None
    notes: str | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass
class Term:
    id: int | None = None
    kind: str = "committee"
    elected_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    approval_ref: str | None = None
    notes: str | None = None
    seats: list[Seat] = field(default_factory=list)

    def active_on(self, on: dt.date) -> bool:
        return (self.starts_on is None or self.starts_on <= on) and (
            self.ends_on is None or on <= self.ends_on
        )

    def seats_on(self, on: dt.date) -> list[Seat]:
        return [
            s
            for s in self.seats
            if (s.from_on is None or s.from_on <= on) and (s.to_on is None or on <= s.to_on)
        ]


def list_terms(ledger: Ledger) -> list[Term]:
    terms: dict[int, Term] = {}
    for r in ledger.query("SELECT * FROM committee_terms ORDER BY coalesce(starts_on, elected_on), id"):
        terms[r["id"]] = Term(
            r["id"],
            r["kind"],
            from_iso(r["elected_on"]),
            from_iso(r["starts_on"]),
            from_iso(r["ends_on"]),
            r["approval_ref"],
            r["notes"],
        )
    for r in ledger.query("SELECT * FROM committee_members ORDER BY term_id, id"):
        if r["term_id"] in terms:
            terms[r["term_id"]].seats.append(
                Seat(
                    r["id"],
                    r["member_id"],
                    r["role"],
                    from_iso(r["from_on"]),
                    from_iso(r["to_on"]),
                    r["notes"],
                )
            )
    return list(terms.values())


def term_on(ledger: Ledger, on: dt.date) -> Term | None:
    current = [t for t in list_terms(ledger) if t.active_on(on)]
    return current[-1] if current else None


def latest_term(ledger: Ledger) -> Term | None:
    terms = list_terms(ledger)
    return terms[-1] if terms else None


def secretary_on(ledger: Ledger, on: dt.date) -> int | None:
    t = term_on(ledger, on)
    if t is None:
        return None
    for s in t.seats_on(on):
        if s.role == "secretary":
            return s.member_id
    return None


def validate_term(t: Term) -> list[Problem]:
    problems: list[Problem] = []
    if t.kind not in TERM_KIND_LABELS:
        problems.append(Problem("届别类型不正确", column="类型"))
    if not t.starts_on:
        problems.append(Problem("请填写任期开始日期", column="任期开始"))
    if t.starts_on and t.ends_on and t.ends_on <= t.starts_on:
        problems.append(Problem("任期结束日期应晚于开始日期", column="任期结束"))
    if t.elected_on and t.starts_on and t.elected_on > t.starts_on:
        problems.append(Problem("选举日期不应晚于任期开始日期", column="选举日期"))
    secretaries = [s for s in t.seats if s.role == "secretary" and s.to_on is None]
    if len(secretaries) > 1:
        problems.append(Problem("同一届只能有一名在任书记", column="职务"))
    if t.kind == "secretary" and any(s.role not in ("secretary", "deputy") for s in t.seats):
        problems.append(Problem("不设支委会时只设书记（可设副书记）", column="职务"))
    if t.kind == "committee":
        n = len([s for s in t.seats if s.to_on is None])
        if n and not 3 <= n <= 7:
            problems.append(Problem(f"支部委员会一般由3至5人组成，最多不超过7人（现为{n}人）", column="委员"))
    seen: set[int] = set()
    for s in t.seats:
        if s.role not in ROLE_LABELS:
            problems.append(Problem("职务不正确", column="职务"))
        if s.member_id in seen and s.to_on is None:
            problems.append(Problem("同一人在同一届重复出现", column="委员"))
        seen.add(s.member_id)
    return problems


def default_ends_on(starts_on: dt.date | None) -> dt.date | None:
    """The end of a term whose end was not given: start + 3 years − 1 day (条例 第二十一条: 每届任期三年). The one
    rule for the GUI, `load` and every import (docs/guide-committee.md)."""
    return rules.term_end(starts_on) if starts_on else None


def save_term(ledger: Ledger, t: Term) -> int:
    """SaveTerm: the term and its seats; the end defaults to start + 3 years − 1 day (条例 第二十一条)."""
    if t.starts_on and not t.ends_on:
        t.ends_on = default_ends_on(t.starts_on)
    problems = validate_term(t)
    if problems:
        raise InputRefused(problems, "届次信息有误，未保存")
    params = (t.kind, iso(t.elected_on), iso(t.starts_on), iso(t.ends_on), t.approval_ref, t.notes)
    with ledger.operation("SaveTerm", "保存支委会届次") as op:
        if t.id is None:
            cur = ledger.conn.execute(
                "INSERT INTO committee_terms(kind, elected_on, starts_on, ends_on, approval_ref, notes) "
                "VALUES (?,?,?,?,?,?)",
                params,
            )
            t.id = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                "UPDATE committee_terms SET kind=?, elected_on=?, starts_on=?, ends_on=?, approval_ref=?, notes=? "
                "WHERE id=?",
                (*params, t.id),
            )
        keep = [s.id for s in t.seats if s.id is not None]
        marks = ",".join("?" for _ in keep) or "NULL"
        ledger.conn.execute(
            f"DELETE FROM committee_members WHERE term_id=? AND id NOT IN ({marks})", (t.id, *keep)
        )
        for s in t.seats:
            vals = (t.id, s.member_id, s.role, iso(s.from_on), iso(s.to_on), s.notes)
            if s.id is None:
                cur = ledger.conn.execute(
                    "INSERT INTO committee_members(term_id, member_id, role, from_on, to_on, notes) VALUES (?,?,?,?,?,?)",
                    vals,
                )
                s.id = int(cur.lastrowid or 0)
            else:
                ledger.conn.execute(
                    "UPDATE committee_members SET term_id=?, member_id=?, role=?, from_on=?, to_on=?, notes=? "
                    "WHERE id=?",
                    (*vals, s.id),
                )
        op.value = t.id
    return int(op.value)


def delete_term(ledger: Ledger, term_id: int) -> None:
    with ledger.operation("DeleteTerm", "删除支委会届次"):
        ledger.conn.execute("DELETE FROM committee_terms WHERE id=?", (term_id,))


def needs_committee(ledger: Ledger, on: dt.date) -> bool:
    """条例 第二十条: 7 or more 正式党员 require a 支部委员会."""
    return counts_on(ledger, on)["full"] >= COMMITTEE_THRESHOLD


def has_committee_on(ledger: Ledger, on: dt.date) -> bool:
    t = term_on(ledger, on)
    return t is not None and t.kind == "committee"
