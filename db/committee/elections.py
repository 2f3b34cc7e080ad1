"""Elections of the committee: 换届选举 and 补选 with their candidates and votes, and their live verdict.

The verdict (quorum of 4/5, more than half of those present, the cut at the number of seats) comes from the
pure rules in db/rules/committee.py under the branch's `election_quorum` setting; a candidate's `elected`
as recorded overrides it (None = as the rule gives). RULES.md §4.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem
from db.interchange import insert_row
from db.rules import committee as rules

if TYPE_CHECKING:
    from db.connection import Ledger


ELECTION_KIND_LABELS = {"general": "换届选举", "by": "补选"}
QUORUM_LABELS = {rules.QUORUM_INCLUSIVE: "达到4/5即有效", rules.QUORUM_STRICT: "须超过4/5"}


@dataclass
class Candidate:
    member_id: int
    votes_for: int | None = None
    votes_against: int | None = None
    abstain: int | None = None
    elected: bool | None = None  # as recorded; None = as the rule gives
    role: str | None = None  # the post given after the election (书记 etc.)
    notes: str | None = None
    id: int | None = None


@dataclass
class Election:
    held_on: dt.date
    kind: str = "general"
    term_id: int | None = None
    expected: int | None = None
    present: int | None = None
    seats: int | None = None
    method: str = "secret"
    secretary_approved_on: dt.date | None = None
    secretary_approval_ref: str | None = None
    members_filed_on: dt.date | None = None
    members_filing_ref: str | None = None
    notes: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    id: int | None = None

    @property
    def kind_label(self) -> str:
        return ELECTION_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Verdict:
    """The live verdict of an election record under the branch's quorum setting."""

    quorum_known: bool
    quorum_ok: bool
    quorum_needed: int
    votes_needed: int
    elected: tuple[int, ...]  # member ids the rule elects
    tie: tuple[int, ...]
    problems: tuple[str, ...]
    mode: str

    def text(self) -> str:
        if not self.quorum_known:
            return "请填写应到和实到有选举权人数"
        head = (
            f"到会人数符合要求（至少{self.quorum_needed}人，{QUORUM_LABELS[self.mode]}）"
            if self.quorum_ok
            else f"到会人数不足（至少需要{self.quorum_needed}人），选举无效"
        )
        if self.quorum_ok:
            head += f"；赞成票须超过实到人数的一半，即至少{self.votes_needed}票"
        return head


def quorum_mode(ledger: Ledger) -> str:
    from db import settings

    mode = str(settings.get(ledger, "election_quorum") or rules.QUORUM_INCLUSIVE)
    return mode if mode in QUORUM_LABELS else rules.QUORUM_INCLUSIVE


def verdict(e: Election, mode: str = rules.QUORUM_INCLUSIVE) -> Verdict:
    if e.expected is None or e.present is None:
        return Verdict(False, False, 0, 0, (), (), (), mode)
    ballots = [rules.Ballot(c.member_id, c.votes_for or 0) for c in e.candidates if c.votes_for is not None]
    out = rules.election_outcome(ballots, e.expected, e.present, e.seats, mode)
    return Verdict(
        True,
        out.valid,
        rules.quorum_needed(e.expected, mode),
        rules.votes_needed(e.present),
        out.elected,
        out.tie_at_cut,
        out.problems,
        mode,
    )


def is_elected(c: Candidate, v: Verdict) -> bool:
    return c.elected if c.elected is not None else c.member_id in v.elected


def _election(ledger: Ledger, r: Any) -> Election:
    cands = [
        Candidate(
            c["member_id"],
            c["votes_for"],
            c["votes_against"],
            c["abstain"],
            None if c["elected"] is None else bool(c["elected"]),
            c["role"],
            c["notes"],
            c["id"],
        )
        for c in ledger.query(
            "SELECT * FROM election_candidates WHERE election_id=? ORDER BY position, id", (r["id"],)
        )
    ]
    return Election(
        from_iso(r["held_on"]) or dt.date.min,
        r["kind"],
        r["term_id"],
        r["expected"],
        r["present"],
        r["seats"],
        r["method"],
        from_iso(r["secretary_approved_on"]),
        r["secretary_approval_ref"],
        from_iso(r["members_filed_on"]),
        r["members_filing_ref"],
        r["notes"],
        cands,
        r["id"],
    )


def list_elections(ledger: Ledger) -> list[Election]:
    return [_election(ledger, r) for r in ledger.query("SELECT * FROM elections ORDER BY held_on, id")]


def get_election(ledger: Ledger, election_id: int) -> Election:
    r = ledger.query_one("SELECT * FROM elections WHERE id=?", (election_id,))
    if r is None:
        raise KeyError(election_id)
    return _election(ledger, r)


def validate_election(ledger: Ledger, e: Election) -> list[Problem]:
    from db.members import names, roster_on

    problems: list[Problem] = []
    if e.kind not in ELECTION_KIND_LABELS:
        problems.append(Problem("选举类型只能是换届选举或补选", column="类型"))
    for label, v in (("应到人数", e.expected), ("实到人数", e.present), ("应选名额", e.seats)):
        if v is not None and v < 0:
            problems.append(Problem(f"{label}不能为负数", column=label))
    if e.expected is not None and e.present is not None and e.present > e.expected:
        problems.append(Problem(f"实到人数{e.present}多于应到人数{e.expected}", column="实到人数"))
    if e.seats is not None and e.seats > rules.SEATS_MAX:
        problems.append(Problem(f"应选名额{e.seats}人超过支部委员会一般上限7人", column="应选名额"))
    who = names(ledger)
    voters = {m.id for m in roster_on(ledger, e.held_on) if m.can_vote} if e.held_on else set()
    withheld: dict[int, str] = {}
    if e.held_on:
        from db.honors.store import probation_ids  # 留党察看 (JG15): no 被选举权 for its period

        withheld = probation_ids(ledger, e.held_on)
    seen: set[int] = set()
    for c in e.candidates:
        n = who.get(c.member_id, f"编号{c.member_id}")
        if c.member_id not in who:
            problems.append(Problem(f"候选人{n}不在花名册中", column="候选人"))
        elif c.member_id not in voters:
            problems.append(
                Problem(f"{n}在选举日不是本支部正式党员，没有被选举权（党章第七条）", column="候选人")
            )
        elif c.member_id in withheld:
            problems.append(Problem(f"{n}：{withheld[c.member_id]}，不能作为候选人", column="候选人"))
        if c.member_id in seen:
            problems.append(Problem(f"候选人{n}重复", column="候选人"))
        seen.add(c.member_id)
        for label, v in (("赞成票", c.votes_for), ("反对票", c.votes_against), ("弃权票", c.abstain)):
            if v is not None and v < 0:
                problems.append(Problem(f"{n}的{label}不能为负数", column=label))
        total = sum(v or 0 for v in (c.votes_for, c.votes_against, c.abstain))
        if e.present is not None and total > e.present:
            problems.append(Problem(f"{n}的票数合计{total}多于实到人数{e.present}", column="赞成票"))
        if c.role is not None and c.role not in (
            "secretary",
            "deputy",
            "organization",
            "propaganda",
            "discipline",
            "member",
        ):
            problems.append(Problem(f"{n}的职务不正确", column="职务"))
    return problems


def save_election(ledger: Ledger, e: Election) -> int:
    """SaveElection: the record of a 换届选举 or 补选 with its candidates and votes."""
    problems = validate_election(ledger, e)
    if problems:
        raise InputRefused(problems, "选举记录有误，未保存")
    vals = {
        "kind": e.kind,
        "held_on": iso(e.held_on),
        "term_id": e.term_id,
        "expected": e.expected,
        "present": e.present,
        "seats": e.seats,
        "method": e.method or "secret",
        "secretary_approved_on": iso(e.secretary_approved_on),
        "secretary_approval_ref": e.secretary_approval_ref,
        "members_filed_on": iso(e.members_filed_on),
        "members_filing_ref": e.members_filing_ref,
        "notes": e.notes,
    }
    with ledger.operation("SaveElection", f"保存{fmt_zh(e.held_on)}{e.kind_label}记录") as op:
        if e.id is None:
            e.id = insert_row(ledger, "elections", vals)
        else:
            sets = ", ".join(f"{k}=?" for k in vals)
            ledger.conn.execute(f"UPDATE elections SET {sets} WHERE id=?", (*vals.values(), e.id))
            ledger.conn.execute("DELETE FROM election_candidates WHERE election_id=?", (e.id,))
        for pos, c in enumerate(e.candidates):
            c.id = insert_row(
                ledger,
                "election_candidates",
                {
                    "election_id": e.id,
                    "member_id": c.member_id,
                    "position": pos,
                    "votes_for": c.votes_for,
                    "votes_against": c.votes_against,
                    "abstain": c.abstain,
                    "elected": None if c.elected is None else int(c.elected),
                    "role": c.role,
                    "notes": c.notes,
                },
            )
        op.value = e.id
    return int(op.value)


def delete_election(ledger: Ledger, election_id: int) -> None:
    with ledger.operation("DeleteElection", "删除选举记录"):
        ledger.conn.execute("DELETE FROM elections WHERE id=?", (election_id,))
