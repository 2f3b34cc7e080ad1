"""Reading and writing the year's 民主评议 (SaveAppraisal), the sheet the secretary fills in one sitting, and
the counts the statistics and the masked package use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db import members as members_mod
from db.appraisals.model import VOTE_KEYS, Appraisal, Result
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem
from db.rules.orglife import DECISION_KINDS, GRADE_LABELS, GRADES, PARTICIPATION, grade_problems

if TYPE_CHECKING:
    from db.connection import Ledger

RESULT_COLUMNS = (
    "member_id",
    "participation",
    "grade",
    "decision_id",
    "place",
    "reason",
    "self_review",
    "peer_review",
    *VOTE_KEYS,
    "feedback_on",
    "follow_up",
)


def _result(r: Any) -> Result:
    data = {k: r[k] for k in RESULT_COLUMNS}
    data["feedback_on"] = from_iso(data["feedback_on"])
    return Result(id=r["id"], **data)


def _appraisal(ledger: Ledger, r: Any) -> Appraisal:
    a = Appraisal(
        year=r["year"],
        held_on=dt.date.fromisoformat(r["held_on"]),
        started_on=from_iso(r["started_on"]),
        assembly_id=r["assembly_id"],
        org_life_id=r["org_life_id"],
        plan=r["plan"],
        notes=r["notes"],
        id=r["id"],
    )
    a.results = [
        _result(x)
        for x in ledger.query("SELECT * FROM appraisal_results WHERE appraisal_id=? ORDER BY id", (a.id,))
    ]
    return a


def get_appraisal(ledger: Ledger, year: int) -> Appraisal | None:
    r = ledger.query_one("SELECT * FROM appraisals WHERE year=?", (year,))
    return _appraisal(ledger, r) if r else None


def list_appraisals(ledger: Ledger) -> list[Appraisal]:
    return [_appraisal(ledger, r) for r in ledger.query("SELECT * FROM appraisals ORDER BY year")]


def meeting_kinds(ledger: Ledger, meeting_id: int) -> tuple[str, ...] | None:
    """The kinds of a meeting; None when there is no such meeting."""
    if not ledger.scalar("SELECT count(*) FROM meetings WHERE id=?", (meeting_id,)):
        return None
    return tuple(
        r[0] for r in ledger.query("SELECT kind FROM meeting_kinds WHERE meeting_id=?", (meeting_id,))
    )


def meeting_options(ledger: Ledger, year: int, kinds: tuple[str, ...]) -> list[tuple[int, str]]:
    """Meetings of the year (and the next January, when results are often decided) of these kinds."""
    rows = ledger.query(
        f"""SELECT m.id, m.date, m.topic, group_concat(k.kind) AS kinds FROM meetings m
            JOIN meeting_kinds k ON k.meeting_id=m.id
            WHERE m.date BETWEEN ? AND ? GROUP BY m.id
            HAVING sum(k.kind IN ({", ".join("?" for _ in kinds)})) > 0 ORDER BY m.date DESC, m.id DESC""",
        (f"{year}-01-01", f"{year + 1}-01-31", *kinds),
    )
    from db.rules.meetings import KIND_SHORT

    out = []
    for r in rows:
        names = "、".join(KIND_SHORT.get(k, k) for k in (r["kinds"] or "").split(","))
        label = f"{fmt_zh(dt.date.fromisoformat(r['date']))} {names}" + (
            f"：{r['topic']}" if r["topic"] else ""
        )
        out.append((int(r["id"]), label))
    return out


def decision_options(ledger: Ledger, year: int) -> list[tuple[int, str]]:
    return meeting_options(ledger, year, DECISION_KINDS)


# ------------------------------------------------------------------------------------------ validation


def validate(ledger: Ledger, a: Appraisal) -> list[Problem]:
    """What blocks saving (MP03, MP05, MP08, MP09); each problem names the member and the field."""
    problems: list[Problem] = []
    if a.held_on is None:
        problems.append(Problem("请填写评议（民主测评）日期", column="评议日期"))
        return problems
    if a.held_on.year != a.year:
        problems.append(Problem(f"评议日期{fmt_zh(a.held_on)}不在{a.year}年内", column="评议日期"))
    if a.started_on and a.started_on > a.held_on:
        problems.append(Problem("开展评议日期不能晚于民主测评日期", column="开展日期"))
    for key, label in (("assembly_id", "党员大会"), ("org_life_id", "组织生活会")):
        mid = getattr(a, key)
        if mid is not None and meeting_kinds(ledger, mid) is None:
            problems.append(Problem(f"所选{label}记录不存在", column=label))
    people = {m.id: m for m in members_mod.list_members(ledger)}
    hist = members_mod._history(ledger)
    seen: set[int] = set()
    for r in a.results:
        m = people.get(r.member_id)
        if m is None:
            problems.append(Problem(f"党员编号 {r.member_id} 不存在", column="党员"))
            continue
        where = m.name
        if r.member_id in seen:
            problems.append(Problem("同一党员只能有一条评议结果", column=where))
        seen.add(r.member_id)
        if r.participation not in PARTICIPATION:
            problems.append(Problem(f"参评情况“{r.participation}”无效", column=where))
            continue
        category = members_mod.category_on(m, a.held_on, hist.get((r.member_id, "category")))
        kinds = meeting_kinds(ledger, r.decision_id) if r.decision_id is not None else None
        for msg in grade_problems(
            category=category, participation=r.participation, grade=r.grade, decision_kinds=kinds
        ):
            problems.append(Problem(msg, column=where))
        if r.participation == "elsewhere" and not (r.place or "").strip():
            problems.append(Problem("在流入地评议的，请填写流入地党组织名称", column=where))
        if r.participation == "absent" and not (r.reason or "").strip():
            problems.append(Problem("不参加评议的，请写明原因", column=where))
        for k in VOTE_KEYS:
            v = getattr(r, k)
            if v is not None and (not isinstance(v, int) or v < 0):
                problems.append(Problem("测评票数应为不小于0的整数", column=where))
                break
    return problems


# ------------------------------------------------------------------------------------------ writing


def _header(a: Appraisal) -> dict[str, Any]:
    return {
        "year": a.year,
        "held_on": iso(a.held_on),
        "started_on": iso(a.started_on),
        "assembly_id": a.assembly_id,
        "org_life_id": a.org_life_id,
        "plan": (a.plan or "").strip() or None,
        "notes": (a.notes or "").strip() or None,
    }


def _result_params(r: Result) -> dict[str, Any]:
    d = {k: getattr(r, k) for k in RESULT_COLUMNS}
    d["feedback_on"] = iso(r.feedback_on)
    for k in ("place", "reason", "self_review", "peer_review", "follow_up"):
        d[k] = (d[k] or "").strip() or None
    return d


def write_appraisal(ledger: Ledger, a: Appraisal) -> int:
    """Write the header and every result (inside an operation); results of members no longer listed go."""
    head = _header(a)
    existing = ledger.scalar("SELECT id FROM appraisals WHERE year=?", (a.year,))
    if a.id is None and existing:
        a.id = int(existing)
    if a.id is None:
        cols = list(head)
        cur = ledger.conn.execute(
            f"INSERT INTO appraisals ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [head[c] for c in cols],
        )
        a.id = int(cur.lastrowid or 0)
    else:
        ledger.conn.execute(
            f"UPDATE appraisals SET {', '.join(f'{c}=?' for c in head)} WHERE id=?", [*head.values(), a.id]
        )
    keep = [r.member_id for r in a.results]
    ledger.conn.execute(
        f"DELETE FROM appraisal_results WHERE appraisal_id=? AND member_id NOT IN ({', '.join('?' for _ in keep)})",
        (a.id, *keep),
    )
    for r in a.results:
        p = _result_params(r)
        cols = list(p)
        ledger.conn.execute(
            f"INSERT INTO appraisal_results (appraisal_id, {', '.join(cols)}) VALUES (?, "
            f"{', '.join('?' for _ in cols)}) ON CONFLICT(appraisal_id, member_id) DO UPDATE SET "
            + ", ".join(f"{c}=excluded.{c}" for c in cols if c != "member_id"),
            [a.id, *p.values()],
        )
    return a.id


def save_appraisal(ledger: Ledger, a: Appraisal) -> int:
    """SaveAppraisal: the year's 评议 and every member's result, all or nothing."""
    problems = validate(ledger, a)
    if problems:
        raise InputRefused(problems, f"{a.year}年民主评议未保存")
    graded = sum(1 for r in a.results if r.grade)
    with ledger.operation("SaveAppraisal", f"保存{a.year}年民主评议（{graded}人评定等次）"):
        return write_appraisal(ledger, a)


def delete_appraisal(ledger: Ledger, year: int) -> None:
    with ledger.operation("DeleteAppraisal", f"删除{year}年民主评议"):
        ledger.conn.execute("DELETE FROM appraisals WHERE year=?", (year,))


# ------------------------------------------------------------------------------------------ the sheet


@dataclass
class SheetRow:
    """One line of the year's sheet: a member on the roster at the 评议 date, with their result so far."""

    member_id: int
    name: str
    category: str
    is_mobile: bool
    mobile_destination: str | None
    result: Result

    @property
    def category_label(self) -> str:
        return members_mod.CATEGORY_LABELS.get(self.category, self.category)


def sheet(ledger: Ledger, year: int, on: dt.date | None = None) -> list[SheetRow]:
    """Everyone on the roster at the 评议 date (or `on`, or the year end), with a result to fill: 预备党员 take
    part without an 等次 (MP08), a 流动党员 starts as rated here unless a result says otherwise (MP09)."""
    a = get_appraisal(ledger, year)
    day = on or (a.held_on if a else dt.date(year, 12, 31))
    out: list[SheetRow] = []
    listed: set[int] = set()
    for mo in members_mod.roster_on(ledger, day):
        r = a.result_for(mo.id) if a else None
        if r is None:
            r = Result(mo.id, "probationary" if mo.category == "probationary" else "rated")
        listed.add(mo.id)
        out.append(
            SheetRow(mo.id, mo.name, mo.category, mo.member.is_mobile, mo.member.mobile_destination, r)
        )
    if a:  # results of people no longer on the roster that day stay visible
        for r in a.results:
            if r.member_id not in listed:
                m = members_mod.get(ledger, r.member_id)
                out.append(SheetRow(r.member_id, m.name, m.category, m.is_mobile, m.mobile_destination, r))
    return out


def grade_counts(a: Appraisal | None) -> dict[str, int]:
    """Counts per 等次 and per way of taking part (the masked package and 年报表 第八表 carry only these)."""
    out = {g: 0 for g in GRADES}
    out.update({"probationary": 0, "elsewhere": 0, "absent": 0, "ungraded": 0})
    for r in a.results if a else []:
        if r.grade:
            out[r.grade] += 1
        elif r.participation in ("probationary", "elsewhere", "absent"):
            out[r.participation] += 1
        else:
            out["ungraded"] += 1
    return out


def member_results(ledger: Ledger, member_id: int) -> list[tuple[int, dt.date, str]]:
    """A person's 评议 history: (year, date, "优秀" / "预备党员（参加、不定等次）" …), oldest first."""
    out = []
    for r in ledger.query(
        "SELECT a.year, a.held_on, r.* FROM appraisal_results r JOIN appraisals a ON a.id=r.appraisal_id "
        "WHERE r.member_id=? ORDER BY a.year",
        (member_id,),
    ):
        res = _result(r)
        label = GRADE_LABELS[res.grade] if res.grade else res.participation_label
        out.append((int(r["year"]), dt.date.fromisoformat(r["held_on"]), label))
    return out


def grades_on(ledger: Ledger, on: dt.date) -> dict[int, str]:
    """Member id -> "2025年 优秀": the latest 等次 given in a 评议 held on or before `on` (the roster column)."""
    out: dict[int, str] = {}
    for r in ledger.query(
        "SELECT r.member_id, r.grade, a.year FROM appraisal_results r JOIN appraisals a ON a.id=r.appraisal_id "
        "WHERE a.held_on<=? AND r.grade IS NOT NULL ORDER BY a.year",
        (on.isoformat(),),
    ):
        out[int(r[0])] = f"{r[2]}年 {GRADE_LABELS[r[1]]}"
    return out


def suggest(ledger: Ledger, year: int) -> tuple[Appraisal, int | None] | None:
    """A new year's 评议 from the year's first 民主评议 meeting: its date, the 党员大会 and 组织生活会 it was
    (MP04), and the 评定会议 — the first 支委会 on or after it (to the next January), else that 党员大会."""
    r = ledger.query_one(
        "SELECT m.id, m.date, group_concat(k2.kind) AS kinds FROM meetings m "
        "JOIN meeting_kinds k ON k.meeting_id=m.id AND k.kind='appraisal' "
        "JOIN meeting_kinds k2 ON k2.meeting_id=m.id WHERE m.date BETWEEN ? AND ? "
        "GROUP BY m.id ORDER BY m.date, m.id LIMIT 1",
        (f"{year}-01-01", f"{year}-12-31"),
    )
    if r is None:
        return None
    kinds = (r["kinds"] or "").split(",")
    a = Appraisal(year, dt.date.fromisoformat(r["date"]))
    a.assembly_id = int(r["id"]) if "assembly" in kinds else None
    a.org_life_id = int(r["id"]) if "org_life" in kinds else None
    committee = ledger.scalar(
        "SELECT m.id FROM meetings m JOIN meeting_kinds k ON k.meeting_id=m.id AND k.kind='committee' "
        "WHERE m.date BETWEEN ? AND ? ORDER BY m.date, m.id LIMIT 1",
        (r["date"], f"{year + 1}-01-31"),
    )
    decision = int(committee) if committee else a.assembly_id
    return a, decision
