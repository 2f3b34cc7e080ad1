"""Reading and writing 谈心谈话 records: SaveTalk (validated), DeleteTalk, the year's list."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import clock, rows
from db import members as members_mod
from db.dates import fmt_zh, iso
from db.errors import InputRefused, Problem
from db.rules.orglife import TALK_KINDS, TALK_MODES, TRIGGERS
from db.talks.model import Talk

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = (
    "held_on",
    "talker_id",
    "member_id",
    "kind",
    "trigger",
    "mode",
    "topic",
    "suggestions",
    "follow_up",
)


def _talk(r: Any) -> Talk:
    return Talk(
        dt.date.fromisoformat(r["held_on"]),
        r["talker_id"],
        r["member_id"],
        r["kind"],
        r["trigger"],
        r["mode"],
        r["topic"],
        r["suggestions"],
        r["follow_up"],
        r["id"],
    )


def list_talks(
    ledger: Ledger, year: int | None = None, *, until: dt.date | None = None, member_id: int | None = None
) -> list[Talk]:
    """Talks, oldest first: of a year, up to a date (as-of views), of one member (either side)."""
    where, params = rows.dated("held_on", year, until)
    if member_id is not None:
        where.append("(talker_id=? OR member_id=?)")
        params += [member_id, member_id]
    return [
        _talk(r)
        for r in ledger.query(f"SELECT * FROM talks WHERE {' AND '.join(where)} ORDER BY held_on, id", params)
    ]


def get_talk(ledger: Ledger, talk_id: int) -> Talk:
    r = ledger.query_one("SELECT * FROM talks WHERE id=?", (talk_id,))
    if r is None:
        raise InputRefused([Problem(f"谈话记录 {talk_id} 不存在")])
    return _talk(r)


def validate(ledger: Ledger, t: Talk) -> list[Problem]:
    problems: list[Problem] = []
    if t.held_on is None:
        return [Problem("请填写谈话日期", column="日期")]
    if t.held_on > clock.today():
        problems.append(Problem(f"谈话日期{fmt_zh(t.held_on)}在今天之后；请在谈话后登记", column="日期"))
    people = {m.id: m for m in members_mod.list_members(ledger)}
    hist = members_mod._history(ledger)
    for key, label in (("talker_id", "谈话人"), ("member_id", "谈话对象")):
        mid = getattr(t, key)
        m = people.get(mid)
        if m is None:
            problems.append(Problem(f"请选择{label}", column=label))
        elif not members_mod.in_branch_on(m, t.held_on, hist.get((mid, "status"))):
            problems.append(Problem(f"{m.name}在{fmt_zh(t.held_on)}不在本支部", column=label))
    if t.talker_id == t.member_id:
        problems.append(Problem("谈话人和谈话对象不能是同一人", column="谈话对象"))
    if t.kind not in TALK_KINDS:
        problems.append(Problem(f"谈话类型“{t.kind}”无效", column="类型"))
    if t.kind == "trigger" and t.trigger not in TRIGGERS:
        problems.append(Problem("六必谈请选择谈话事由", column="事由"))
    if t.mode not in TALK_MODES:
        problems.append(Problem(f"谈话方式“{t.mode}”无效", column="方式"))
    return problems


def _params(t: Talk) -> dict[str, Any]:
    d = {k: getattr(t, k) for k in COLUMNS}
    d["held_on"] = iso(t.held_on)
    d["trigger"] = t.trigger if t.kind == "trigger" else None
    for k in ("topic", "suggestions", "follow_up"):
        d[k] = (d[k] or "").strip() or None
    return d


def save_talk(ledger: Ledger, t: Talk) -> int:
    """SaveTalk: a new talk, or changes to one."""
    problems = validate(ledger, t)
    if problems:
        raise InputRefused(problems, "谈心谈话记录未保存")
    names = members_mod.names(ledger)
    p = _params(t)
    label = f"谈心谈话 {fmt_zh(t.held_on)} {names.get(t.talker_id, '')}—{names.get(t.member_id, '')}"
    with ledger.operation("SaveTalk", label) as op:
        op.value = rows.write(ledger, "talks", p, t.id)
    t.id = int(op.value)
    return t.id


def delete_talk(ledger: Ledger, talk_id: int) -> None:
    with ledger.operation("DeleteTalk", "删除谈心谈话记录"):
        ledger.conn.execute("DELETE FROM talks WHERE id=?", (talk_id,))
