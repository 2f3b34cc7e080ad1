"""Reading and writing 主题党日指导清单: the year's list with its items and what became of them; SaveGuideList
(an import), PlanGuideItem (按清单安排: one planned 主题党日 with the theme and points), LinkGuideMeeting (the
主题党日 held for it), SetGuideDeviation (changed / skipped with the reason), DeleteGuideList."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import clock
from db.dates import fmt_zh, from_iso, iso, month_end
from db.errors import InputRefused, Problem
from db.guide_lists.model import DEVIATION_LABELS, GuideItem, GuideList

if TYPE_CHECKING:
    from db.connection import Ledger
    from db.meetings.model import Meeting

LIST_COLUMNS = ("year", "issuer", "title", "source", "imported_on")
ITEM_COLUMNS = (
    "list_id",
    "month",
    "seq",
    "theme",
    "points",
    "forms",
    "node",
    "plan_id",
    "meeting_id",
    "deviation",
    "reason",
)
PLAN_DAY = 15  # the day a plan defaults to (the secretary picks another)


def _blank(s: str | None) -> str | None:
    s = (s or "").strip()
    return s or None


def years(ledger: Ledger) -> list[int]:
    return [int(r[0]) for r in ledger.query("SELECT year FROM guide_lists ORDER BY year")]


def get_list(ledger: Ledger, year: int) -> GuideList | None:
    r = ledger.query_one("SELECT * FROM guide_lists WHERE year=?", (year,))
    if r is None:
        return None
    gl = GuideList(r["year"], [], r["issuer"], r["title"], r["source"], from_iso(r["imported_on"]), r["id"])
    rows = ledger.query(
        "SELECT i.*, p.date AS plan_date, m.date AS meeting_date, m.topic AS meeting_topic "
        "FROM guide_items i LEFT JOIN planned_meetings p ON p.id = i.plan_id "
        "LEFT JOIN meetings m ON m.id = i.meeting_id WHERE i.list_id=? ORDER BY i.month, i.seq",
        (gl.id,),
    )
    gl.items = [_item(x) for x in rows]
    return gl


def _item(r: Any) -> GuideItem:
    return GuideItem(
        r["month"],
        r["theme"],
        r["points"],
        r["forms"],
        r["node"],
        r["seq"],
        r["plan_id"],
        r["meeting_id"],
        r["deviation"],
        r["reason"],
        r["id"],
        r["list_id"],
        from_iso(r["plan_date"]),
        from_iso(r["meeting_date"]),
        r["meeting_topic"],
    )


def get_item(ledger: Ledger, item_id: int) -> tuple[int, GuideItem]:
    """(year, item)."""
    r = ledger.query_one(
        "SELECT year FROM guide_items i JOIN guide_lists l ON l.id=i.list_id WHERE i.id=?", (item_id,)
    )
    if r is None:
        raise InputRefused([Problem(f"清单项目 {item_id} 不存在")])
    gl = get_list(ledger, int(r[0]))
    assert gl is not None
    return gl.year, next(i for i in gl.items if i.id == item_id)


def item_for_meeting(ledger: Ledger, meeting_id: int) -> tuple[int, GuideItem] | None:
    r = ledger.query_one("SELECT id FROM guide_items WHERE meeting_id=?", (meeting_id,))
    return get_item(ledger, int(r[0])) if r else None


def label(year: int, it: GuideItem) -> str:
    return f"{year}年{it.month}月 {it.theme}"


# ------------------------------------------------------------------------------------------ the list


def save_list(ledger: Ledger, gl: GuideList, *, replace: bool = False) -> int:
    """SaveGuideList: the year's list as issued. A list already there is replaced only when asked; an item whose
    month and theme stay the same keeps its plan, meeting and reason."""
    problems: list[Problem] = []
    if not gl.items:
        problems.append(Problem("清单中没有任何项目"))
    for it in gl.items:
        if not 1 <= it.month <= 12:
            problems.append(Problem(f"月份 {it.month} 无效", column="月份"))
        if not (it.theme or "").strip():
            problems.append(Problem(f"{it.month}月的主题为空", column="主题"))
    old = get_list(ledger, gl.year)
    if old is not None and not replace:
        problems.append(Problem(f"{gl.year}年的主题党日指导清单已经导入；如上级下发了修订版，请选择“替换”"))
    if problems:
        raise InputRefused(problems, "指导清单未保存")
    kept = {(i.month, i.theme.strip()): i for i in (old.items if old else [])}
    verb = "替换" if old else "导入"
    with ledger.operation("SaveGuideList", f"{verb}{gl.year}年主题党日指导清单（{len(gl.items)}项）") as op:
        if old is not None:
            ledger.conn.execute("DELETE FROM guide_lists WHERE id=?", (old.id,))
        vals = {
            "year": gl.year,
            "issuer": _blank(gl.issuer),
            "title": _blank(gl.title),
            "source": _blank(gl.source),
            "imported_on": iso(gl.imported_on or clock.today()),
        }
        cur = ledger.conn.execute(
            f"INSERT INTO guide_lists ({', '.join(vals)}) VALUES ({', '.join('?' for _ in vals)})",
            list(vals.values()),
        )
        list_id = int(cur.lastrowid or 0)
        seqs: dict[int, int] = {}
        for it in sorted(gl.items, key=lambda i: (i.month, i.seq)):
            seqs[it.month] = seqs.get(it.month, 0) + 1
            before = kept.get((it.month, it.theme.strip()))
            row = {
                "list_id": list_id,
                "month": it.month,
                "seq": seqs[it.month],
                "theme": it.theme.strip(),
                "points": _blank(it.points),
                "forms": _blank(it.forms),
                "node": _blank(it.node),
                "plan_id": before.plan_id if before else it.plan_id,
                "meeting_id": before.meeting_id if before else it.meeting_id,
                "deviation": before.deviation if before else it.deviation,
                "reason": before.reason if before else it.reason,
            }
            ledger.conn.execute(
                f"INSERT INTO guide_items ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
        op.value = list_id
    gl.id = int(op.value)
    return gl.id


def delete_list(ledger: Ledger, year: int) -> None:
    with ledger.operation("DeleteGuideList", f"删除{year}年主题党日指导清单"):
        ledger.conn.execute("DELETE FROM guide_lists WHERE year=?", (year,))


# ------------------------------------------------------------------------------------------ one item


def default_plan_date(year: int, month: int, today: dt.date) -> dt.date:
    """The day a plan starts from: the 15th, or today when the month is already under way."""
    day = dt.date(year, month, PLAN_DAY)
    if day < today <= month_end(day):
        return today
    return day


def plan_item(ledger: Ledger, item_id: int, on: dt.date | None = None) -> int:
    """PlanGuideItem (按清单安排): one planned 主题党日 with the item's theme and points, linked to the item (an
    existing plan is moved to the new date). Returns the plan's id."""
    year, it = get_item(ledger, item_id)
    on = on or default_plan_date(year, it.month, clock.today())
    notes = "\n".join(x for x in (it.points, f"参考形式：{it.forms}" if it.forms else None) if x)
    with ledger.operation("PlanGuideItem", f"按清单安排主题党日：{fmt_zh(on)} {it.theme}") as op:
        vals = (on.isoformat(), "theme_day", it.theme, notes or None)
        exists = it.plan_id is not None and ledger.query_one(
            "SELECT 1 FROM planned_meetings WHERE id=?", (it.plan_id,)
        )
        if exists:
            ledger.conn.execute(
                "UPDATE planned_meetings SET date=?, kinds=?, topic=?, notes=? WHERE id=?",
                (*vals, it.plan_id),
            )
            op.value = it.plan_id
        else:
            cur = ledger.conn.execute(
                "INSERT INTO planned_meetings(date, kinds, topic, notes) VALUES (?,?,?,?)", vals
            )
            op.value = int(cur.lastrowid or 0)
            ledger.conn.execute("UPDATE guide_items SET plan_id=? WHERE id=?", (op.value, item_id))
    return int(op.value)


def meeting_for(ledger: Ledger, item_id: int) -> Meeting:
    """A new 主题党日 record for the item, not saved: the planned date, the theme, the points as its 议题, the
    attendance of that day (the meeting editor opens it; saving it and LinkGuideMeeting make it carried out)."""
    from db import branch
    from db.meetings import expected_attendance
    from db.meetings.model import AgendaItem, Meeting

    year, it = get_item(ledger, item_id)
    on = it.plan_date or default_plan_date(year, it.month, clock.today())
    m = Meeting(kinds=["theme_day"], date=on, topic=it.theme)
    m.agenda = [AgendaItem(it.theme, it.points)]
    m.attendance = expected_attendance(ledger, on, m.kinds, None)
    m.host_id = branch.secretary_on(ledger, on)
    return m


def link_meeting(ledger: Ledger, item_id: int, meeting_id: int | None) -> None:
    """LinkGuideMeeting: the 主题党日 held for this item (None takes the link away)."""
    year, it = get_item(ledger, item_id)
    if meeting_id is not None:
        r = ledger.query_one("SELECT date FROM meetings WHERE id=?", (meeting_id,))
        if r is None:
            raise InputRefused([Problem(f"会议 {meeting_id} 不存在", column="会议")])
        kinds = {
            x[0] for x in ledger.query("SELECT kind FROM meeting_kinds WHERE meeting_id=?", (meeting_id,))
        }
        if "theme_day" not in kinds:
            raise InputRefused([Problem("所选会议不是主题党日", column="会议")], "未关联")
        other = ledger.query_one(
            "SELECT id FROM guide_items WHERE meeting_id=? AND id<>?", (meeting_id, item_id)
        )
        if other is not None:
            oy, oit = get_item(ledger, int(other[0]))
            raise InputRefused(
                [Problem(f"这次主题党日已关联清单项目“{label(oy, oit)}”", column="会议")], "未关联"
            )
        text = f"清单项目已开展：{label(year, it)}（{fmt_zh(dt.date.fromisoformat(r[0]))}主题党日）"
    else:
        text = f"取消关联会议：{label(year, it)}"
    with ledger.operation("LinkGuideMeeting", text):
        ledger.conn.execute("UPDATE guide_items SET meeting_id=? WHERE id=?", (meeting_id, item_id))


def set_deviation(ledger: Ledger, item_id: int, deviation: str | None, reason: str | None) -> None:
    """SetGuideDeviation: 调整开展 (another theme or month) or 未开展, always with the reason; None clears it."""
    year, it = get_item(ledger, item_id)
    if deviation is not None:
        if deviation not in DEVIATION_LABELS:
            raise InputRefused([Problem(f"“{deviation}”无效", column="情况")])
        if not (reason or "").strip():
            raise InputRefused([Problem(f"{DEVIATION_LABELS[deviation]}须写明原因", column="原因")], "未保存")
        text = f"{DEVIATION_LABELS[deviation]}：{label(year, it)}"
    else:
        text = f"取消调整说明：{label(year, it)}"
    with ledger.operation("SetGuideDeviation", text):
        ledger.conn.execute(
            "UPDATE guide_items SET deviation=?, reason=? WHERE id=?",
            (deviation, _blank(reason) if deviation else None, item_id),
        )


def theme_days_in(ledger: Ledger, year: int, month: int) -> list[tuple[int, dt.date, str]]:
    """(id, date, topic) of the 主题党日 records of a month, to link one."""
    start = dt.date(year, month, 1)
    return [
        (int(r[0]), dt.date.fromisoformat(r[1]), r[2] or "")
        for r in ledger.query(
            "SELECT m.id, m.date, m.topic FROM meetings m JOIN meeting_kinds k ON k.meeting_id=m.id "
            "WHERE k.kind='theme_day' AND m.date BETWEEN ? AND ? ORDER BY m.date, m.id",
            (start.isoformat(), month_end(start).isoformat()),
        )
    ]


def year_summary(ledger: Ledger, year: int, *, as_of: dt.date | None = None) -> dict[str, int] | None:
    """For the hand-in package's manifest and the liaison's summary: the year's list by state as of a day
    (None when no list was imported for the year)."""
    from db.guide_lists.model import counts

    gl = get_list(ledger, year)
    if gl is None:
        return None
    c = counts(year, gl.items, as_of or clock.today())
    return {"items": len(gl.items), **c}
