"""Bring in the 三会一课 list a secretary keeps in Excel (issue #15 §2): 日期, 类型, 主题, 应到, 实到… one row per
meeting, read by the shared tolerant reader (db/sheets). Each row becomes a meeting record marked
补录（据纸质记录）(`source` 'paper'): attendance as counts (应到/实到) rather than names, counted for the cadence
(M01–M07 see the meeting held), never checked as a full record (M09/M10) and never exported as minutes or a
sign-in sheet. All rows or none, as one operation ("ImportMeetings")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from db import branch, clock
from db.dates import DateParseError, fmt_zh
from db.meetings.fulltext import _index_meeting
from db.meetings.model import PAPER_LABEL, Meeting, kinds_needing_group
from db.meetings.store import _meeting_params
from db.rules.meetings import KIND_LABELS, KIND_SHORT, KINDS
from db.sheets import SheetRow, SheetSpec, count_from, date_from, norm_header, read_table
from db.sheets.result import SheetImport

if TYPE_CHECKING:
    from db.connection import Ledger

HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "会议日期", "召开日期", "时间", "会议时间", "召开时间"),
    "kind": ("类型", "会议类型", "会议类别", "类别", "会议形式", "会议名称"),
    "topic": ("主题", "会议主题", "内容", "会议内容", "主要内容", "议题", "党课题目", "题目"),
    "expected": ("应到", "应到人数", "应到会人数", "应参加人数"),
    "present": ("实到", "实到人数", "实到会人数", "参加人数", "出席人数"),
    "place": ("地点", "会议地点"),
    "host": ("主持人",),
    "recorder": ("记录人",),
    "lecturer": ("授课人", "主讲人"),
    "group": ("党小组", "所在党小组"),
    "notes": ("备注",),
}
_LOOKUP = {norm_header(v): k for k, vs in HEADERS.items() for v in vs}
KIND_WORDS: dict[str, str] = {
    **{v: k for k, v in KIND_LABELS.items()},
    **{v: k for k, v in KIND_SHORT.items()},
    "支部大会": "assembly",
    "党员大会": "assembly",
    "支部党员大会": "assembly",
    "支委会": "committee",
    "支委会议": "committee",
    "支部委员会会议": "committee",
    "小组会": "group",
    "党小组会议": "group",
    "党课": "lecture",
    "讲党课": "lecture",
    "主题党日活动": "theme_day",
    "组织生活会": "org_life",
    "民主评议": "appraisal",
    "谈心谈话": "talk",
}
_SPLIT = re.compile(r"[、，,;；/＋+和及]|\s+")

MEETINGS = SheetSpec(
    what="三会一课记录",
    classify=lambda t: _LOOKUP.get(t),
    accepts=lambda keys: {"date", "kind"} <= keys,
    header_hint="表头行应含“日期”和“类型”（会议类型），以及“主题”“应到”“实到”等列名（顺序不限）。",
    row_noun="次会议",
)


def kinds_of(text: str) -> list[str] | None:
    """'支部党员大会、党课' -> ['assembly', 'lecture']; None when a part is not a meeting type."""
    t = text.strip()
    if t in KIND_WORDS:
        return [KIND_WORDS[t]]
    parts = [p for p in _SPLIT.split(t) if p]
    found = [KIND_WORDS.get(p) for p in parts]
    if not parts or any(k is None for k in found):
        return None
    return [k for k in KINDS if k in found]


@dataclass
class MeetingsImport(SheetImport):
    meetings: list[Meeting] = field(default_factory=list, repr=False)


def import_meetings(
    ledger: Ledger,
    path: Path | str,
    dry_run: bool = False,
    *,
    today: dt.date | None = None,
    overrides: Mapping[tuple[int, str], str] | None = None,
) -> MeetingsImport:
    today = today or clock.today()
    res: MeetingsImport = MeetingsImport.of(
        read_table(path, MEETINGS, overrides), kind="meetings", dry_run=dry_run
    )
    if res.errors:
        return res
    if not res.records:
        res.errors.append(res.problem("表头下面没有会议数据行。", row=res.header_row))
        return res
    groups = {g.name.strip(): g.id for g in branch.list_groups(ledger)}
    held = {
        (r[0], r[1], r[2])
        for r in ledger.query(
            "SELECT m.date, k.kind, m.group_id FROM meetings m JOIN meeting_kinds k ON k.meeting_id = m.id"
        )
    }
    seen: dict[tuple[str, str, int | None], int] = {}
    col = res.fields.get
    for rec in res.records:
        before = len(res.errors)

        def err(key: str, msg: str, rec: SheetRow = rec) -> None:
            res.errors.append(res.problem(msg, rec.row, col(key), value=res.text(rec, key) or None))

        m = Meeting(source="paper", entered_on=today)
        text = res.text(rec, "date")
        if not text:
            err("date", "会议日期不能为空")
        else:
            try:
                m.date = date_from(res.raw(rec, "date"), text)
            except DateParseError as e:
                err("date", str(e))
            else:
                if m.date is not None and m.date > today:
                    err(
                        "date",
                        f"日期 {fmt_zh(m.date)} 晚于今天：补录的只能是已经召开的会议（计划请在“会议计划”中登记）",
                    )
        kt = res.text(rec, "kind")
        kinds = kinds_of(kt) if kt else None
        if not kt:
            err("kind", "会议类型不能为空（如 支部党员大会、支委会、党小组会、党课、主题党日）")
        elif kinds is None:
            err(
                "kind",
                f"“{kt}”不是可识别的会议类型（支部党员大会、支委会、党小组会、党课、主题党日、组织生活会…）",
            )
        else:
            m.kinds = kinds
        gname = res.text(rec, "group")
        if gname:
            if gname in groups:
                m.group_id = groups[gname]
            else:
                err("group", f"台账中没有党小组“{gname}”，请先在“支部信息”中添加")
        elif kinds and kinds_needing_group(kinds):
            if len(groups) == 1:
                m.group_id = next(iter(groups.values()))
            else:
                err("group" if col("group") else "kind", "党小组会请注明是哪个党小组（加一列“党小组”）")
        for key, attr in (("expected", "expected_count"), ("present", "present_count")):
            t = res.text(rec, key)
            try:
                setattr(m, attr, count_from(res.raw(rec, key), t, 2000))
            except ValueError as e:
                err(key, str(e))
        if (
            m.expected_count is not None
            and m.present_count is not None
            and m.present_count > m.expected_count
        ):
            err("present", f"实到 {m.present_count} 人多于应到 {m.expected_count} 人")
        topic = res.text(rec, "topic") or None
        if kinds == ["lecture"]:
            m.lecture_title = topic
        else:
            m.topic = topic
        m.place = res.text(rec, "place") or None
        m.lecturer = res.text(rec, "lecturer") or None
        extra = [
            f"{label}：{res.text(rec, k)}"
            for k, label in (("host", "主持人"), ("recorder", "记录人"))
            if res.text(rec, k)
        ]
        m.notes = "；".join(
            [PAPER_LABEL, *extra, *([res.text(rec, "notes")] if res.text(rec, "notes") else [])]
        )
        if len(res.errors) > before or m.date is None:
            continue
        for k in m.kinds:
            held_key = (m.date.isoformat(), k, m.group_id)
            if held_key in held:
                err("date", f"台账中已有{fmt_zh(m.date)}的{KIND_SHORT[k]}记录")
            elif held_key in seen:
                err("date", f"与第{seen[held_key]}行是同一次{KIND_SHORT[k]}")
            else:
                seen[held_key] = rec.row
        if len(res.errors) == before:
            res.meetings.append(m)
    if res.errors or dry_run:
        return res
    with ledger.operation(
        "ImportMeetings", f"从 Excel 补录 {len(res.meetings)} 次会议（{PAPER_LABEL}，{res.file}）"
    ) as op:
        for m in res.meetings:
            params = _meeting_params(m) | {"entered_on": today.isoformat(), "finalized_on": None}
            cols = list(params)
            cur = ledger.conn.execute(
                f"INSERT INTO meetings({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [params[c] for c in cols],
            )
            mid = int(cur.lastrowid or 0)
            for k in m.kinds:
                ledger.conn.execute("INSERT INTO meeting_kinds(meeting_id, kind) VALUES (?, ?)", (mid, k))
            _index_meeting(ledger, mid)
        op.value = len(res.meetings)
    res.imported = len(res.meetings)
    return res


__all__ = ["MEETINGS", "MeetingsImport", "import_meetings", "kinds_of"]
