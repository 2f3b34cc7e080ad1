"""The branch profile, 党小组, and the committee (or lone 书记) by term; RULES.md §4, findings T01–T05."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db.dates import add_years, fmt_zh, from_iso, iso
from db.errors import InputRefused, LedgerError, Problem
from db.findings import Finding, provider
from db.members import counts_on
from db.rules.committee import term_reminder_dates, term_stage

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
MAX_MEMBERS = 50
MIN_FULL = 3
TERM_YEARS = 3


@dataclass
class Branch:
    name: str = ""
    upper_org: str | None = None
    park: str | None = None
    founded_on: dt.date | None = None
    enterprise: str | None = None
    notes: str | None = None


@dataclass
class PartyGroup:
    id: int | None = None
    name: str = ""
    leader_id: int | None = None
    created_on: dt.date | None = None
    dissolved_on: dt.date | None = None
    notes: str | None = None

    def exists_on(self, on: dt.date) -> bool:
        return (self.created_on is None or self.created_on <= on) and (
            self.dissolved_on is None or self.dissolved_on > on
        )


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


# ------------------------------------------------------------------------------------------ branch


def get_branch(ledger: Ledger) -> Branch | None:
    row = ledger.query_one("SELECT * FROM branch WHERE id=1")
    if row is None:
        return None
    return Branch(
        row["name"],
        row["upper_org"],
        row["park"],
        from_iso(row["founded_on"]),
        row["enterprise"],
        row["notes"],
    )


def branch_name(ledger: Ledger) -> str:
    b = get_branch(ledger)
    return b.name if b else ""


def save_branch(ledger: Ledger, b: Branch) -> None:
    if not b.name.strip():
        raise InputRefused([Problem("支部全称不能为空", column="支部全称")])
    with ledger.operation("SaveBranch", "修改支部信息"):
        ledger.conn.execute(
            "INSERT INTO branch(id, name, upper_org, park, founded_on, enterprise, notes) "
            "VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, "
            "upper_org=excluded.upper_org, park=excluded.park, founded_on=excluded.founded_on, "
            "enterprise=excluded.enterprise, notes=excluded.notes",
            (b.name.strip(), b.upper_org, b.park, iso(b.founded_on), b.enterprise, b.notes),
        )


# ------------------------------------------------------------------------------------------ 党小组


def _group(row: sqlite3.Row) -> PartyGroup:
    return PartyGroup(
        row["id"],
        row["name"],
        row["leader_id"],
        from_iso(row["created_on"]),
        from_iso(row["dissolved_on"]),
        row["notes"],
    )


def list_groups(ledger: Ledger) -> list[PartyGroup]:
    return [_group(r) for r in ledger.query("SELECT * FROM party_groups ORDER BY id")]


def groups_on(ledger: Ledger, on: dt.date) -> list[PartyGroup]:
    return [g for g in list_groups(ledger) if g.exists_on(on)]


def save_group(ledger: Ledger, g: PartyGroup) -> int:
    if not g.name.strip():
        raise InputRefused([Problem("党小组名称不能为空", column="名称")])
    if g.created_on and g.dissolved_on and g.dissolved_on <= g.created_on:
        raise InputRefused([Problem("撤销日期应晚于成立日期", column="撤销日期")])
    params = (g.name.strip(), g.leader_id, iso(g.created_on), iso(g.dissolved_on), g.notes)
    with ledger.operation("SaveGroup", f"保存党小组 {g.name}") as op:
        if g.id is None:
            cur = ledger.conn.execute(
                "INSERT INTO party_groups(name, leader_id, created_on, dissolved_on, notes) VALUES (?,?,?,?,?)",
                params,
            )
            op.value = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                "UPDATE party_groups SET name=?, leader_id=?, created_on=?, dissolved_on=?, notes=? WHERE id=?",
                (*params, g.id),
            )
            op.value = g.id
    return int(op.value)


def delete_group(ledger: Ledger, group_id: int) -> None:
    n = ledger.scalar("SELECT count(*) FROM members WHERE group_id=?", (group_id,))
    if n:
        raise InputRefused([Problem(f"该党小组还有 {n} 名党员，请先调整他们的党小组，或填写撤销日期")])
    with ledger.operation("DeleteGroup", "删除党小组"):
        try:
            ledger.conn.execute("DELETE FROM party_groups WHERE id=?", (group_id,))
        except sqlite3.IntegrityError:
            raise InputRefused([Problem("该党小组已有会议记录，不能删除；请填写撤销日期")]) from None


# ------------------------------------------------------------------------------------------ terms


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


def save_term(ledger: Ledger, t: Term) -> int:
    """SaveTerm: the term and its seats; the end defaults to start + 3 years (条例 第二十一条)."""
    if t.starts_on and not t.ends_on:
        t.ends_on = add_years(t.starts_on, TERM_YEARS) - dt.timedelta(days=1)
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


# ------------------------------------------------------------------------------------------ findings


def term_reminder_thresholds(ends_on: dt.date) -> list[tuple[dt.date, str]]:
    """Reminder dates before a term ends (RULES.md §4: −6, −3, −1 months and the day itself)."""
    return [
        (when, label.replace("届满前", "").replace("届满", ""))
        for when, label in term_reminder_dates(ends_on)
    ]


def _general_election_after(ledger: Ledger, term: Term, as_of: dt.date) -> dt.date | None:
    """The date of a 换届选举 held by `as_of`, after `term` began, that did not elect `term` itself."""
    after = iso(term.starts_on or term.elected_on or dt.date.min)
    row = ledger.query_one(
        "SELECT max(held_on) FROM elections WHERE kind='general' AND held_on > ? AND held_on <= ? "
        "AND (term_id IS NULL OR term_id<>?)",
        (after, as_of.isoformat(), term.id or 0),
    )
    return from_iso(row[0]) if row and row[0] else None


def term_findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """T01 (reminders before the term ends), T02 (ended, no election), T03–T05 (size) as of a date."""
    out: list[Finding] = []
    b = get_branch(ledger)
    bname = b.name if b else "本支部"
    terms = list_terms(ledger)
    current = [t for t in terms if t.active_on(as_of)]
    started = [t for t in terms if t.starts_on is None or t.starts_on <= as_of]
    latest = max(started, key=lambda t: t.starts_on or dt.date.min) if started else None
    label = "支部委员会" if (latest and latest.kind == "committee") else "支部书记"
    if current:
        t = current[-1]
        label = "支部委员会" if t.kind == "committee" else "支部书记"
        later = [u for u in terms if u is not t and u.starts_on and t.starts_on and u.starts_on > t.starts_on]
        if t.ends_on and not later:
            stage = term_stage(t.ends_on, as_of)
            if stage.code != "none":
                elected = _general_election_after(ledger, t, as_of)
                msg = f"本届{label}任期将于{fmt_zh(t.ends_on)}届满（{stage.label}提醒）"
                msg += (
                    f"；已于{fmt_zh(elected)}进行换届选举，请录入新一届的任期和人员"
                    if elected
                    else "，请提前向上级党组织报告并做好换届准备"
                )
                if stage.code == "due_today":
                    msg = f"本届{label}任期今天（{fmt_zh(t.ends_on)}）届满，" + (
                        "请录入新一届的任期和人员" if elected else "请尽快召开党员大会进行换届选举"
                    )
                out.append(Finding("T01", "reminder", "committee", t.id, bname, msg, due=t.ends_on))
    elif (
        latest
        and latest.ends_on
        and latest.ends_on < as_of
        and not any(u.starts_on and u.starts_on > as_of for u in terms)
        and not _general_election_after(ledger, latest, as_of)
    ):
        stage = term_stage(latest.ends_on, as_of)
        msg = (
            f"本届{label}任期已于{fmt_zh(latest.ends_on)}届满，尚未记录换届选举（按期换届，延期须经上级批准）"
        )
        if stage.code == "overdue_hard":
            msg = (
                f"本届{label}任期已于{fmt_zh(latest.ends_on)}届满，超过1年仍未记录换届选举"
                f"（选举条例：延期换届一般不超过1年），请立即向上级党组织报告"
            )
        out.append(Finding("T02", "error", "committee", latest.id, bname, msg, due=latest.ends_on))
    counts = counts_on(ledger, as_of)
    lapsed_committee = any(f.code == "T02" for f in out) and latest is not None and latest.kind == "committee"
    if counts["full"] >= COMMITTEE_THRESHOLD and not has_committee_on(ledger, as_of) and not lapsed_committee:
        out.append(
            Finding(
                "T03",
                "error",
                "branch",
                1,
                bname,
                f"支部有正式党员{counts['full']}名（7名以上），应设立支部委员会，但没有在任的支委会记录",
            )
        )
    if counts["total"] and counts["full"] < MIN_FULL:
        out.append(
            Finding(
                "T04",
                "warning",
                "branch",
                1,
                bname,
                f"支部正式党员只有{counts['full']}名，不足3名（条例第四条：可与邻近单位成立联合党支部）",
            )
        )
    if counts["total"] > MAX_MEMBERS:
        out.append(
            Finding(
                "T05",
                "reminder",
                "branch",
                1,
                bname,
                f"支部党员{counts['total']}名，超过50名（条例：党支部党员人数一般不超过50人），可考虑设立党总支",
            )
        )
    return out


@provider("branch")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    return term_findings(ledger, as_of)


def require_branch(ledger: Ledger) -> Branch:
    b = get_branch(ledger)
    if b is None:
        raise LedgerError("台账中还没有支部信息，请先填写支部全称。")
    return b


def summary(ledger: Ledger, on: dt.date) -> dict[str, Any]:
    c = counts_on(ledger, on)
    return {"branch": branch_name(ledger), **c, "groups": len(groups_on(ledger, on))}
