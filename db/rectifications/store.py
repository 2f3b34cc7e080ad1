"""Reading and writing 整改: SaveRectification (validated), DeleteRectification, what is open on a day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import clock, rows
from db import members as members_mod
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem
from db.rectifications.model import Rectification

if TYPE_CHECKING:
    from db.connection import Ledger

COLUMNS = ("meeting_id", "member_id", "found_on", "problem", "measure", "due_on", "closed_on", "evidence")
COMMITTEE = "支委会（班子）"


def _rect(r: Any) -> Rectification:
    return Rectification(
        dt.date.fromisoformat(r["found_on"]),
        r["problem"],
        r["member_id"],
        r["meeting_id"],
        r["measure"],
        from_iso(r["due_on"]),
        from_iso(r["closed_on"]),
        r["evidence"],
        r["id"],
    )


def list_rectifications(
    ledger: Ledger, year: int | None = None, *, until: dt.date | None = None
) -> list[Rectification]:
    """整改 found in a year (or all), found on or before `until`; oldest first."""
    where, params = rows.dated("found_on", year, until)
    return [
        _rect(r)
        for r in ledger.query(
            f"SELECT * FROM rectifications WHERE {' AND '.join(where)} ORDER BY found_on, id", params
        )
    ]


def open_on(ledger: Ledger, day: dt.date) -> list[Rectification]:
    """Every 整改 found by `day` and not closed on it, whatever the year (they carry over until closed)."""
    return [r for r in list_rectifications(ledger, until=day) if r.open_on(day)]


def whose(ledger: Ledger, r: Rectification) -> str:
    if r.member_id is None:
        return COMMITTEE
    return members_mod.names(ledger).get(r.member_id, f"党员#{r.member_id}")


def validate(ledger: Ledger, r: Rectification) -> list[Problem]:
    out: list[Problem] = []
    if r.found_on is None:
        return [Problem("请填写查摆日期", column="查摆日期")]
    if not (r.problem or "").strip():
        out.append(Problem("请填写查摆出的问题", column="问题"))
    if r.member_id is not None and r.member_id not in members_mod.names(ledger):
        out.append(Problem(f"党员编号 {r.member_id} 不存在", column="对象"))
    if r.meeting_id is not None:
        kinds = [
            x[0] for x in ledger.query("SELECT kind FROM meeting_kinds WHERE meeting_id=?", (r.meeting_id,))
        ]
        if "org_life" not in kinds:
            out.append(Problem("所选会议不是组织生活会", column="组织生活会"))
    if r.due_on and r.due_on < r.found_on:
        out.append(Problem(f"整改时限{fmt_zh(r.due_on)}早于查摆日期{fmt_zh(r.found_on)}", column="整改时限"))
    if r.closed_on:
        if r.closed_on < r.found_on:
            out.append(Problem("整改完成日期不能早于查摆日期", column="完成日期"))
        if r.closed_on > clock.today():
            out.append(Problem("整改完成日期在今天之后；完成后再登记", column="完成日期"))
        if not (r.evidence or "").strip():
            out.append(Problem("整改完成须写明佐证（整改报告、制度文件、会议记录等）", column="佐证"))
    return out


def _params(r: Rectification) -> dict[str, Any]:
    return {
        "meeting_id": r.meeting_id,
        "member_id": r.member_id,
        "found_on": iso(r.found_on),
        "problem": r.problem.strip(),
        "measure": (r.measure or "").strip() or None,
        "due_on": iso(r.due_on),
        "closed_on": iso(r.closed_on),
        "evidence": (r.evidence or "").strip() or None,
    }


def save_rectification(ledger: Ledger, r: Rectification) -> int:
    """SaveRectification: a new 整改, changes, or its closure."""
    problems = validate(ledger, r)
    if problems:
        raise InputRefused(problems, "整改记录未保存")
    p = _params(r)
    verb = "整改完成" if r.closed_on else "整改"
    with ledger.operation("SaveRectification", f"{verb}：{whose(ledger, r)} {r.problem[:20]}") as op:
        op.value = rows.write(ledger, "rectifications", p, r.id)
    r.id = int(op.value)
    return r.id


def delete_rectification(ledger: Ledger, rect_id: int) -> None:
    with ledger.operation("DeleteRectification", "删除整改记录"):
        ledger.conn.execute("DELETE FROM rectifications WHERE id=?", (rect_id,))


def handover_items(ledger: Ledger, as_of: dt.date) -> list[dict[str, Any]]:
    """Open 整改 for the handover list (exports/handover.py reads the same keys as the 六个一 ones)."""
    return [
        {
            "title": f"组织生活会查摆（{whose(ledger, r)}）：{r.problem}",
            "status_label": "未完成",
            "rectification": r.measure or "（未填写整改措施）",
            "due": r.due_on,
        }
        for r in open_on(ledger, as_of)
    ]
