"""Validation of a meeting record: `validate` lists what refuses a save (nothing is written), `completeness`
what a complete record still lacks (M09; 定稿 refuses while any remain), and `_refuse_if_invalid` turns the
first into the InputRefused every write raises.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from db.errors import InputRefused, Problem
from db.meetings.model import ATTENDANCE_STATUSES, Meeting, kinds_needing_group
from db.meetings.tally import Tally, tally_of
from db.rules.meetings import KINDS, METHOD_LABELS

if TYPE_CHECKING:
    from db.connection import Ledger

_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def _check_time(t: str | None, label: str, problems: list[Problem]) -> str | None:
    if not t:
        return None
    m = _TIME.match(t.strip())
    if not m:
        problems.append(Problem(f"“{t}”不是时间，请写成 14:30", column=label))
        return t
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def validate(m: Meeting) -> list[Problem]:
    """Problems that refuse a save (nothing is written)."""
    p: list[Problem] = []
    if m.date is None:
        p.append(Problem("请填写会议日期", column="日期"))
    if not m.kinds:
        p.append(Problem("请至少选择一种会议类型", column="会议类型"))
    for k in m.kinds:
        if k not in KINDS:
            p.append(Problem(f"未知的会议类型“{k}”", column="会议类型"))
    if kinds_needing_group(m.kinds) and m.group_id is None:
        p.append(Problem("党小组会请选择党小组", column="党小组"))
    m.start_time = _check_time(m.start_time, "开始时间", p)
    m.end_time = _check_time(m.end_time, "结束时间", p)
    if (
        m.start_time
        and m.end_time
        and _TIME.match(m.start_time)
        and _TIME.match(m.end_time)
        and m.end_time <= m.start_time
    ):
        p.append(Problem("结束时间应晚于开始时间", column="结束时间"))
    seen: set[int] = set()
    for a in m.attendance:
        if a.status not in ATTENDANCE_STATUSES:
            p.append(Problem(f"出席情况“{a.status}”不正确", column="出席情况"))
        if a.member_id in seen:
            p.append(Problem(f"{a.name or a.member_id}在出席名单中重复", column="出席情况"))
        seen.add(a.member_id)
    for x in m.excluded:
        if x.member_id in seen:
            p.append(
                Problem(
                    f"{x.name or x.member_id}已列入“不计入应到人数”，不能同时在出席名单中",
                    column="不计入应到",
                )
            )
        if not (x.reason or "").strip():
            p.append(
                Problem(
                    f"{x.name or x.member_id}不计入应到人数，须写明原因（按中组部解释，须经上级党组织同意、党员大会通过）",
                    column="不计入应到",
                )
            )
    for i, d in enumerate(m.decisions, start=1):
        if not (d.text or "").strip():
            p.append(Problem(f"第{i}项决议没有内容", column="决议"))
        if d.method and d.method not in METHOD_LABELS:
            p.append(Problem(f"第{i}项决议的表决方式不正确", column="表决方式"))
        for label, v in (("赞成", d.yes), ("反对", d.no), ("弃权", d.abstain), ("书面意见", d.written)):
            if v is not None and v < 0:
                p.append(Problem(f"第{i}项决议的{label}票数不能为负数", column=label))
        if d.has_vote:
            for problem in m.verdict(d).problems:
                p.append(Problem(f"第{i}项决议：{problem}", column="表决"))
    for i, it in enumerate(m.agenda, start=1):
        if not (it.title or "").strip():
            p.append(Problem(f"第{i}个议题没有标题", column="议题"))
    return p


def completeness(
    ledger: Ledger | None, m: Meeting, expected_ids: set[int] | None = None, tally: Tally | None = None
) -> list[str]:
    """What a complete record still lacks (M09; 定稿 refuses while any remain). `tally`: the record's attendance
    as counted in SQLite (the findings read it so for many meetings); else counted from `m.attendance`."""
    t = tally if tally is not None else tally_of(m)
    out: list[str] = []
    if m.host_id is None and "talk" not in m.kinds:
        out.append("未填写主持人")
    if m.recorder_id is None and "talk" not in m.kinds:
        out.append("未填写记录人")
    if not t.rows:
        out.append("没有出席情况")
    away = {a.member_id for a in t.absentees}
    for role, who in (("主持人", m.host_id), ("记录人", m.recorder_id)):
        if who is not None and who in away:
            out.append(f"{role}{m.name_of(who)}在出席情况中登记为请假或缺席")
    no_reason = [a.name or m.name_of(a.member_id) for a in t.absentees if not (a.reason or "").strip()]
    if no_reason:
        out.append("缺席/请假未写原因：" + "、".join(no_reason))
    if expected_ids is not None:
        listed = t.listed | {x.member_id for x in m.excluded}
        missing = sorted(expected_ids - listed)
        if missing:
            out.append("出席情况与应到人数不符：" + "、".join(m.name_of(i) for i in missing) + " 未登记")
    if "lecture" in m.kinds and not (m.lecturer or "").strip():
        out.append("党课未填写授课人")
    for i, d in enumerate(m.decisions, start=1):
        if m.is_voting() and d.method != "consensus" and d.yes is None:
            out.append(f"第{i}项决议未填写表决票数")
    return out


def _refuse_if_invalid(m: Meeting) -> None:
    problems = validate(m)
    if problems:
        raise InputRefused(problems, "会议记录有误，未保存")
