"""Reading and writing 书记项目 / 党建项目: SaveProject (立项 content and targets), SaveMilestone, DeleteMilestone,
AddProjectProgress (with photos kept in the ledger file, db/media.py), DeleteProjectProgress, CloseProject
(结项 with each target's actual figure), DeleteProject."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import clock, media
from db import members as members_mod
from db.dates import fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem
from db.projects.model import KIND_LABELS, Milestone, Photo, Progress, Project, Target

if TYPE_CHECKING:
    from db.connection import Ledger

PROJECT_COLUMNS = (
    "year",
    "kind",
    "title",
    "owner_id",
    "goal",
    "tags",
    "background",
    "problem",
    "measures",
    "schedule",
    "expected",
    "approved_on",
    "closed_on",
    "outcome",
)


def _blank(s: str | None) -> str | None:
    s = (s or "").strip()
    return s or None


def _project(r: Any) -> Project:
    return Project(
        r["year"],
        r["title"],
        r["kind"],
        r["owner_id"],
        r["goal"],
        r["tags"],
        r["background"],
        r["problem"],
        r["measures"],
        r["schedule"],
        r["expected"],
        from_iso(r["approved_on"]),
        from_iso(r["closed_on"]),
        r["outcome"],
        r["id"],
    )


def list_projects(ledger: Ledger, year: int | None = None) -> list[Project]:
    """Projects with their targets, milestones and progress (photos without data), by year then id."""
    sql, params = "SELECT * FROM projects", ()
    if year is not None:
        sql, params = sql + " WHERE year=?", (year,)  # type: ignore[assignment]
    out = [_project(r) for r in ledger.query(sql + " ORDER BY year, id", params)]
    for p in out:
        _fill(ledger, p)
    return out


def get_project(ledger: Ledger, project_id: int) -> Project:
    r = ledger.query_one("SELECT * FROM projects WHERE id=?", (project_id,))
    if r is None:
        raise InputRefused([Problem(f"项目 {project_id} 不存在")])
    p = _project(r)
    _fill(ledger, p)
    return p


def _fill(ledger: Ledger, p: Project) -> None:
    p.targets = [
        Target(
            t["indicator"],
            t["expected"],
            t["actual"],
            None if t["met"] is None else bool(t["met"]),
            t["seq"],
            t["id"],
        )
        for t in ledger.query("SELECT * FROM project_targets WHERE project_id=? ORDER BY seq, id", (p.id,))
    ]
    p.milestones = [
        Milestone(
            m["title"], dt.date.fromisoformat(m["due_on"]), from_iso(m["done_on"]), m["notes"], m["id"], p.id
        )
        for m in ledger.query(
            "SELECT * FROM project_milestones WHERE project_id=? ORDER BY due_on, id", (p.id,)
        )
    ]
    photos: dict[int, list[Photo]] = {}
    for ph in ledger.query(
        "SELECT f.id, f.progress_id, f.file_name, f.mime, f.caption, f.thumbnail FROM project_photos f "
        "JOIN project_progress g ON g.id=f.progress_id WHERE g.project_id=? ORDER BY f.id",
        (p.id,),
    ):
        photos.setdefault(ph["progress_id"], []).append(
            Photo(ph["id"], ph["file_name"], ph["mime"], ph["caption"], ph["thumbnail"])
        )
    p.progress = [
        Progress(
            dt.date.fromisoformat(g["noted_on"]),
            g["text"],
            g["milestone_id"],
            g["meeting_id"],
            g["target_id"],
            g["figure"],
            g["id"],
            p.id,
            photos.get(g["id"], []),
        )
        for g in ledger.query(
            "SELECT * FROM project_progress WHERE project_id=? ORDER BY noted_on, id", (p.id,)
        )
    ]


def photo_data(ledger: Ledger, photo_id: int) -> bytes:
    r = ledger.query_one("SELECT data FROM project_photos WHERE id=?", (photo_id,))
    return bytes(r[0]) if r else b""


# ------------------------------------------------------------------------------------------ 立项


def validate(ledger: Ledger, p: Project) -> list[Problem]:
    out: list[Problem] = []
    if not (p.title or "").strip():
        out.append(Problem("请填写项目名称", column="项目名称"))
    if p.kind not in KIND_LABELS:
        out.append(Problem(f"项目类型“{p.kind}”无效", column="类型"))
    if not isinstance(p.year, int) or not 2000 <= p.year <= 2100:
        out.append(Problem("请选择年度", column="年度"))
    if p.owner_id is not None and p.owner_id not in members_mod.names(ledger):
        out.append(Problem(f"党员编号 {p.owner_id} 不存在", column="负责人"))
    for i, t in enumerate(p.targets, 1):
        if not (t.indicator or "").strip():
            out.append(Problem(f"第{i}项预期指标没有名称", column="预期成效指标"))
    if p.closed_on is not None:
        if p.approved_on is None:
            out.append(Problem("未立项的项目不能结项", column="结项日期"))
        elif p.closed_on < p.approved_on:
            out.append(Problem(f"结项日期早于立项日期{fmt_zh(p.approved_on)}", column="结项日期"))
        if p.closed_on > clock.today():
            out.append(Problem("结项日期在今天之后；结项后再登记", column="结项日期"))
        if not (p.outcome or "").strip():
            out.append(Problem("结项须写明取得的成效", column="结项总结"))
        for t in p.targets:
            if not (t.actual or "").strip():
                out.append(Problem(f"结项须填写“{t.indicator}”的实际完成情况", column="实际"))
    return out


def save_project(ledger: Ledger, p: Project) -> int:
    """SaveProject: 立项 content, owner, goal, targets (a target left out is removed); also 结项 (CloseProject
    is this with closed_on, outcome and the targets' actual figures)."""
    problems = validate(ledger, p)
    if problems:
        raise InputRefused(problems, "项目未保存")
    vals = {k: getattr(p, k) for k in PROJECT_COLUMNS}
    for k in ("goal", "tags", "background", "problem", "measures", "schedule", "expected", "outcome"):
        vals[k] = _blank(vals[k])
    vals["title"] = p.title.strip()
    vals["approved_on"], vals["closed_on"] = iso(p.approved_on), iso(p.closed_on)
    name = "CloseProject" if p.closed_on else "SaveProject"
    text = f"{'结项' if p.closed_on else '保存'}{p.kind_label}：{vals['title']}"
    with ledger.operation(name, text) as op:
        if p.id is None:
            cur = ledger.conn.execute(
                f"INSERT INTO projects ({', '.join(vals)}) VALUES ({', '.join('?' for _ in vals)})",
                list(vals.values()),
            )
            op.value = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                f"UPDATE projects SET {', '.join(f'{k}=?' for k in vals)} WHERE id=?", [*vals.values(), p.id]
            )
            op.value = p.id
        pid = int(op.value)
        keep = [t.id for t in p.targets if t.id is not None]
        ledger.conn.execute(
            f"DELETE FROM project_targets WHERE project_id=? AND id NOT IN ({', '.join('?' for _ in keep) or 'NULL'})",
            (pid, *keep),
        )
        for i, t in enumerate(p.targets, 1):
            row = (
                t.indicator.strip(),
                _blank(t.expected),
                _blank(t.actual),
                None if t.met is None else int(t.met),
                i,
            )
            if t.id is None:
                cur = ledger.conn.execute(
                    "INSERT INTO project_targets (indicator, expected, actual, met, seq, project_id) VALUES (?,?,?,?,?,?)",
                    (*row, pid),
                )
                t.id = int(cur.lastrowid or 0)
            else:
                ledger.conn.execute(
                    "UPDATE project_targets SET indicator=?, expected=?, actual=?, met=?, seq=? WHERE id=? AND project_id=?",
                    (*row, t.id, pid),
                )
    p.id = pid
    return pid


def close_project(
    ledger: Ledger,
    project_id: int,
    closed_on: dt.date,
    outcome: str,
    actuals: dict[int, tuple[str, bool | None]],
) -> None:
    """CloseProject: 结项 on a day with the outcome and, per target id, (actual, met)."""
    p = get_project(ledger, project_id)
    p.closed_on, p.outcome = closed_on, outcome
    for t in p.targets:
        if t.id in actuals:
            t.actual, t.met = actuals[t.id]
    save_project(ledger, p)


def delete_project(ledger: Ledger, project_id: int) -> None:
    p = get_project(ledger, project_id)
    with ledger.operation("DeleteProject", f"删除{p.kind_label}：{p.title}"):
        ledger.conn.execute("DELETE FROM projects WHERE id=?", (project_id,))


# ------------------------------------------------------------------------------------------ milestones


def save_milestone(ledger: Ledger, m: Milestone) -> int:
    """SaveMilestone: a 节点 with its due date; done_on when it was reached."""
    problems = []
    if not (m.title or "").strip():
        problems.append(Problem("请填写节点名称", column="节点"))
    if m.due_on is None:
        problems.append(Problem("请填写计划完成日期", column="计划完成"))
    if m.done_on is not None and m.done_on > clock.today():
        problems.append(Problem("完成日期在今天之后；完成后再登记", column="完成日期"))
    if m.project_id is None:
        problems.append(Problem("节点须属于一个项目"))
    if problems:
        raise InputRefused(problems, "项目节点未保存")
    p = get_project(ledger, int(m.project_id or 0))
    vals = (m.title.strip(), iso(m.due_on), iso(m.done_on), _blank(m.notes))
    verb = "节点完成" if m.done_on else "保存节点"
    with ledger.operation("SaveMilestone", f"{verb}：{p.title}—{m.title.strip()}") as op:
        if m.id is None:
            cur = ledger.conn.execute(
                "INSERT INTO project_milestones (title, due_on, done_on, notes, project_id) VALUES (?,?,?,?,?)",
                (*vals, m.project_id),
            )
            op.value = int(cur.lastrowid or 0)
        else:
            ledger.conn.execute(
                "UPDATE project_milestones SET title=?, due_on=?, done_on=?, notes=? WHERE id=?",
                (*vals, m.id),
            )
            op.value = m.id
    m.id = int(op.value)
    return m.id


def delete_milestone(ledger: Ledger, milestone_id: int) -> None:
    with ledger.operation("DeleteMilestone", "删除项目节点"):
        ledger.conn.execute("DELETE FROM project_milestones WHERE id=?", (milestone_id,))


# ------------------------------------------------------------------------------------------ progress


def add_progress(
    ledger: Ledger,
    g: Progress,
    photos: list[tuple[str, bytes, str | None]] | None = None,
    *,
    reached: bool = False,
) -> int:
    """AddProjectProgress: a dated note with its evidence — the milestone it is about (`reached`: marked done
    that day), a meeting, a figure for a target, photos (name, bytes, caption) kept in the ledger file."""
    problems = []
    if not (g.text or "").strip():
        problems.append(Problem("请填写进展情况", column="进展"))
    if g.noted_on is None or g.noted_on > clock.today():
        problems.append(Problem("进展日期不能在今天之后", column="日期"))
    if g.figure and g.target_id is None:
        problems.append(Problem("填写了数据，请选择它对应的预期指标", column="指标"))
    if (
        g.meeting_id is not None
        and ledger.query_one("SELECT 1 FROM meetings WHERE id=?", (g.meeting_id,)) is None
    ):
        problems.append(Problem(f"会议 {g.meeting_id} 不存在", column="会议"))
    limit = media.limit_mb(ledger)
    thumbs: list[tuple[str, bytes, str | None, bytes, str]] = []
    for name, data, caption in photos or []:
        if media.too_large(data, limit):
            problems.append(
                Problem(
                    f"“{name}”有 {media.size_mb(data):.1f} MB，超过附件上限 {limit} MB",
                    column="照片",
                    file=name,
                )
            )
            continue
        try:
            thumb, mime = media.make_thumbnail(data)
        except ValueError as e:
            problems.append(Problem(str(e), column="照片", file=name))
            continue
        thumbs.append((name, data, caption, thumb, mime))
    if problems:
        raise InputRefused(problems, "项目进展未保存")
    p = get_project(ledger, int(g.project_id or 0))
    with ledger.operation("AddProjectProgress", f"项目进展 {fmt_zh(g.noted_on)}：{p.title}") as op:
        cur = ledger.conn.execute(
            "INSERT INTO project_progress (project_id, noted_on, text, milestone_id, meeting_id, target_id, figure) "
            "VALUES (?,?,?,?,?,?,?)",
            (
                p.id,
                iso(g.noted_on),
                g.text.strip(),
                g.milestone_id,
                g.meeting_id,
                g.target_id,
                _blank(g.figure),
            ),
        )
        op.value = int(cur.lastrowid or 0)
        for name, data, caption, thumb, mime in thumbs:
            ledger.conn.execute(
                "INSERT INTO project_photos (progress_id, file_name, mime, caption, data, thumbnail) VALUES (?,?,?,?,?,?)",
                (op.value, name, mime, _blank(caption), data, thumb),
            )
        if g.milestone_id is not None and reached:
            ledger.conn.execute(
                "UPDATE project_milestones SET done_on=? WHERE id=? AND done_on IS NULL",
                (iso(g.noted_on), g.milestone_id),
            )
    g.id = int(op.value)
    return g.id


def delete_progress(ledger: Ledger, progress_id: int) -> None:
    with ledger.operation("DeleteProjectProgress", "删除项目进展"):
        ledger.conn.execute("DELETE FROM project_progress WHERE id=?", (progress_id,))


def owner_name(ledger: Ledger, p: Project) -> str:
    return members_mod.names(ledger).get(p.owner_id or 0, "") if p.owner_id else ""


def year_summary(ledger: Ledger, year: int, *, as_of: dt.date | None = None) -> dict[str, int]:
    """For the hand-in package's manifest and the liaison's summary: the year's projects, closed ones, milestones
    and late milestones as of a day."""
    day = as_of or clock.today()
    items = list_projects(ledger, year)
    return {
        "projects": len(items),
        "closed": sum(1 for p in items if p.closed_on and p.closed_on <= day),
        "milestones": sum(len(p.milestones) for p in items),
        "late_milestones": sum(len(p.late_milestones(day)) for p in items),
    }
