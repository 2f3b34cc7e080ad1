"""Reading and writing designations: SavePost (validated), EndPost (摘牌), DeletePost."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import members as members_mod
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem
from db.posts.model import KIND_LABELS, KINDS, Post

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = ("kind", "name", "scope", "duty", "pledge", "starts_on", "ends_on", "end_reason", "notes")


def _post(r: Any, member_ids: list[int]) -> Post:
    return Post(
        r["kind"],
        r["name"],
        dt.date.fromisoformat(r["starts_on"]),
        member_ids,
        r["scope"],
        r["duty"],
        r["pledge"],
        from_iso(r["ends_on"]),
        r["end_reason"],
        r["notes"],
        r["id"],
    )


def _holders(ledger: Ledger) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for r in ledger.query("SELECT post_id, member_id FROM post_members ORDER BY post_id, position, id"):
        out.setdefault(r[0], []).append(r[1])
    return out


def list_posts(ledger: Ledger) -> list[Post]:
    """Every designation, by 挂牌 day (newest last)."""
    holders = _holders(ledger)
    return [
        _post(r, holders.get(r["id"], [])) for r in ledger.query("SELECT * FROM posts ORDER BY starts_on, id")
    ]


def posts_of_year(ledger: Ledger, year: int) -> list[Post]:
    """The designations held on some day of the year."""
    return [p for p in list_posts(ledger) if p.in_year(year)]


def posts_of_member(ledger: Ledger, member_id: int) -> list[Post]:
    return [p for p in list_posts(ledger) if member_id in p.member_ids]


def get_post(ledger: Ledger, post_id: int) -> Post:
    r = ledger.query_one("SELECT * FROM posts WHERE id=?", (post_id,))
    if r is None:
        raise InputRefused([Problem(f"示范岗记录 {post_id} 不存在")])
    return _post(r, _holders(ledger).get(post_id, []))


def validate(ledger: Ledger, p: Post) -> list[Problem]:
    problems: list[Problem] = []
    if p.kind not in KINDS:
        problems.append(Problem(f"类型“{p.kind}”无效，应为{'、'.join(KIND_LABELS.values())}", column="类型"))
    if not (p.name or "").strip():
        problems.append(Problem("请填写岗位或责任区名称", column="名称"))
    if p.starts_on is None:
        return [*problems, Problem("请填写挂牌日期", column="挂牌日期")]
    if p.ends_on is not None and p.ends_on < p.starts_on:
        problems.append(
            Problem(f"到期日期{fmt_zh(p.ends_on)}早于挂牌日期{fmt_zh(p.starts_on)}", column="到期日期")
        )
    if not p.member_ids:
        problems.append(Problem("请至少选择一名责任党员", column="责任党员"))
    if len(set(p.member_ids)) != len(p.member_ids):
        problems.append(Problem("同一名党员选了两次", column="责任党员"))
    people = {m.id: m for m in members_mod.list_members(ledger)}
    hist = members_mod._history(ledger)
    for mid in p.member_ids:
        m = people.get(mid)
        if m is None:
            problems.append(Problem(f"党员 {mid} 不在花名册中", column="责任党员"))
        elif not members_mod.in_branch_on(m, p.starts_on, hist.get((mid, "status"))):
            problems.append(Problem(f"{m.name}在{fmt_zh(p.starts_on)}不在本支部", column="责任党员"))
    return problems


def _params(p: Post) -> dict[str, Any]:
    d = {k: getattr(p, k) for k in COLUMNS}
    d["starts_on"], d["ends_on"] = iso(p.starts_on), iso(p.ends_on)
    for k in ("name", "scope", "duty", "pledge", "end_reason", "notes"):
        d[k] = (d[k] or "").strip() or None
    return d


def _write_holders(ledger: Ledger, post_id: int, member_ids: list[int]) -> None:
    ledger.conn.execute("DELETE FROM post_members WHERE post_id=?", (post_id,))
    for pos, mid in enumerate(member_ids):
        ledger.conn.execute(
            "INSERT INTO post_members (post_id, member_id, position) VALUES (?, ?, ?)", (post_id, mid, pos)
        )


def save_post(ledger: Ledger, p: Post) -> int:
    """SavePost: a new designation, or changes to one."""
    problems = validate(ledger, p)
    if problems:
        raise InputRefused(problems, "示范岗记录未保存")
    d = _params(p)
    with ledger.operation("SavePost", f"{p.kind_label}“{d['name']}”") as op:
        if p.id is None:
            cur = ledger.conn.execute(
                f"INSERT INTO posts ({', '.join(d)}) VALUES ({', '.join('?' for _ in d)})", list(d.values())
            )
            op.value = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                f"UPDATE posts SET {', '.join(f'{k}=?' for k in d)} WHERE id=?", [*d.values(), p.id]
            )
            op.value = p.id
        _write_holders(ledger, int(op.value), p.member_ids)
    p.id = int(op.value)
    return p.id


def end_post(ledger: Ledger, post_id: int, on: dt.date, reason: str | None) -> None:
    """EndPost (摘牌): the designation ends on `on`, with the reason when it is taken down early."""
    p = get_post(ledger, post_id)
    if on < p.starts_on:
        raise InputRefused(
            [Problem(f"摘牌日期{fmt_zh(on)}早于挂牌日期{fmt_zh(p.starts_on)}", column="摘牌日期")]
        )
    with ledger.operation("EndPost", f"摘牌：{p.kind_label}“{p.name}”"):
        ledger.conn.execute(
            "UPDATE posts SET ends_on=?, end_reason=? WHERE id=?",
            (iso(on), (reason or "").strip() or None, post_id),
        )


def delete_post(ledger: Ledger, post_id: int) -> None:
    with ledger.operation("DeletePost", "删除示范岗记录"):
        ledger.conn.execute("DELETE FROM posts WHERE id=?", (post_id,))
