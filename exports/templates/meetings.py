"""三会一课 templates (RULES.md §1.3, §6.3):

- `meeting-record` 会议记录: the 记录本 page of one meeting — header block, 议题, minutes per 议题, decisions
  and votes, attendance, amendments after 定稿, photos, signatures of 主持人 and 记录人;
- `sign-in` 签到表: every expected name with a column to sign, printed before the meeting;
- `meetings` 三会一课台账: the year's (or a quarter's) meetings, one line each, landscape.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import branch, clock, meetings
from db.dates import fmt_zh, quarter_bounds
from db.members import CATEGORY_LABELS
from db.rules import meetings as rules
from exports.registry import ParamError, Params, Template, register
from exports.report import Column, Image, Images, KeyValues, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger

CN_NUM = "一二三四五六七八九十"
SUMMARY_CHARS = 160


def _cn(i: int) -> str:
    if i <= 10:
        return CN_NUM[i - 1]
    if i < 20:
        return "十" + CN_NUM[i - 11]
    return str(i)


def _time_text(m: meetings.Meeting) -> str:
    t = fmt_zh(m.date)
    if m.start_time and m.end_time:
        t += f" {m.start_time}—{m.end_time}"
    elif m.start_time:
        t += f" {m.start_time}"
    return t


def _absent_text(m: meetings.Meeting) -> str:
    parts = [
        f"{a.name}（{a.status_label}：{a.reason}）" if a.reason else f"{a.name}（{a.status_label}）"
        for a in m.absentees
    ]
    return "、".join(parts) or "无"


def _observer_text(m: meetings.Meeting) -> str:
    names = [a.name for a in m.observers_list]
    if m.observers:
        names.append(m.observers)
    return "、".join(names) or "无"


def _vote_result(m: meetings.Meeting, d: meetings.Decision) -> str:
    if not d.has_vote:
        return "通过" if d.passed is not False else "未通过"
    v = m.verdict(d)
    if not v.quorum:
        return "到会人数不足"
    return "通过" if v.passed else "未通过"


def _group_name(ledger: Ledger, group_id: int | None) -> str:
    if group_id is None:
        return ""
    return next((g.name for g in branch.list_groups(ledger) if g.id == group_id), "")


def _require_meeting(ledger: Ledger, p: Params) -> meetings.Meeting:
    if p.meeting_id is None:
        raise ParamError("请指定会议（--meeting 会议编号）")
    try:
        m = meetings.get_meeting(ledger, p.meeting_id)
    except KeyError:
        raise ParamError(f"没有编号为 {p.meeting_id} 的会议记录") from None
    if m.is_paper:
        raise ParamError(
            f"编号为 {p.meeting_id} 的会议是{meetings.PAPER_LABEL}，台账中只有日期、类型和人数，"
            "不是完整的会议记录，不能导出为会议记录或签到表；请以纸质记录本为准"
        )
    return m


def _record_choices(ledger: Ledger) -> list[tuple[int, str]]:
    """The meetings that have a record to print: not those 补录（据纸质记录）, whose record is the paper one."""
    paper = {r.id for r in meetings.list_meetings(ledger) if r.paper}
    return [c for c in meetings.meeting_choices(ledger) if c[0] not in paper]


# ------------------------------------------------------------------------------------------ 会议记录


def build_record(ledger: Ledger, p: Params) -> Report:
    m = _require_meeting(ledger, p)
    late_days = int(ledger.setting("late_entry_days") or 30)
    header: list[tuple[str, object]] = [
        ("会议名称", m.title),
        ("会议类型", "、".join(rules.KIND_LABELS[k] for k in m.kinds)),
        ("时间", _time_text(m)),
        ("地点", m.place or ""),
        ("主持人", m.name_of(m.host_id)),
        ("记录人", m.name_of(m.recorder_id)),
        ("应到人数", f"{len(m.expected)}人（其中有表决权{m.expected_voters}人）"),
        ("实到人数", f"{len(m.present)}人（其中有表决权{m.present_voters}人）"),
        ("缺席人员及原因", _absent_text(m)),
        ("列席人员", _observer_text(m)),
    ]
    if m.group_id is not None:
        header.append(("党小组", _group_name(ledger, m.group_id)))
    if "lecture" in m.kinds:
        header.append(("授课人", m.lecturer or ""))
        header.append(("党课题目", m.lecture_title or ""))
    if m.excluded:
        header.append(("不计入应到", "、".join(f"{x.name}（{x.reason}）" for x in m.excluded)))
    state = f"{fmt_zh(m.finalized_on)}定稿" if m.finalized_on else "草稿（未定稿）"
    if m.late(late_days):
        state += f"；补记（{fmt_zh(m.entered_on)}录入）"
    header.append(("记录状态", state))
    if len(header) % 2:
        header.append(("", ""))
    blocks: list[object] = [KeyValues(header, columns=2)]
    if m.agenda:
        blocks.append(
            Paragraph(
                "\n\n".join(f"{i}. {it.title}" for i, it in enumerate(m.agenda, start=1)), heading="议题"
            )
        )
    if m.minutes:
        blocks.append(Paragraph(m.minutes, heading="会议内容"))
    for i, it in enumerate(m.agenda, start=1):
        parts = []
        if it.minutes:
            parts.append(it.minutes)
        for s in it.speeches:
            who = s.speaker_name or m.name_of(s.speaker_id)
            parts.append(f"{who}：{s.gist}")
        blocks.append(
            Paragraph("\n\n".join(parts) or "（未记录讨论情况）", heading=f"议题{_cn(i)}：{it.title}")
        )
    if m.decisions:
        rows = []
        for i, d in enumerate(m.decisions, start=1):
            vote = d.has_vote
            rows.append(
                [
                    i,
                    d.text,
                    d.method_label,
                    d.yes if vote else "",
                    d.no if vote else "",
                    d.abstain if vote else "",
                    d.written if vote else "",
                    _vote_result(m, d),
                ]
            )
        blocks.append(
            Table(
                [
                    Column("序号", 0.4, "center", "int"),
                    Column("决议/决定", 4.0),
                    Column("表决方式", 1.0, "center"),
                    Column("赞成", 0.5, "center", "int"),
                    Column("反对", 0.5, "center", "int"),
                    Column("弃权", 0.5, "center", "int"),
                    Column("书面意见", 0.6, "center", "int"),
                    Column("结果", 0.8, "center"),
                ],
                rows,
                heading="决议及表决情况",
                font_size=9,
            )
        )
        if m.is_voting():
            blocks.append(
                Paragraph(
                    f"应到会有表决权党员{m.expected_voters}人，到会有表决权党员{m.present_voters}人；"
                    f"决议须经赞成票（含书面意见）超过应到会有表决权党员的半数，即至少{rules.votes_needed(m.expected_voters)}票。"
                )
            )
    if m.leftover:
        blocks.append(Paragraph(m.leftover, heading="遗留问题"))
    blocks.append(Paragraph("散会。"))
    att_rows = [
        [i, a.name, CATEGORY_LABELS.get(a.category or "", ""), a.status_label, a.reason or ""]
        for i, a in enumerate(m.attendance, start=1)
    ]
    att_rows += [
        [len(att_rows) + j, x.name, "", "不计入应到", x.reason] for j, x in enumerate(m.excluded, start=1)
    ]
    blocks.append(
        Table(
            [
                Column("序号", 0.4, "center", "int"),
                Column("姓名", 1.0, "center"),
                Column("人员类别", 1.0, "center"),
                Column("出席情况", 1.0, "center"),
                Column("原因/说明", 3.0),
            ],
            att_rows,
            heading="出席情况",
            font_size=9,
        )
    )
    if m.amendments:
        blocks.append(
            Table(
                [
                    Column("更正日期", 1.0, "center", "date"),
                    Column("项目", 0.8, "center"),
                    Column("原记录", 2.4),
                    Column("更正为", 2.4),
                    Column("原因", 1.2),
                ],
                [
                    [a.amended_on, a.field_label, _clip(a.before), _clip(a.after), a.reason]
                    for a in m.amendments
                ],
                heading="定稿后的更正记录（原记录保留）",
                font_size=8,
            )
        )
    photos = []
    for a in m.attachments:
        if (a.mime or "").startswith("image/"):
            photos.append(Image(meetings.attachment_data(ledger, a.id), f"{a.kind_label}：{a.name}"))
    if photos:
        blocks.append(Images(photos, heading="附件"))
    blocks.append(Signatures(["主持人", "记录人"]))
    return Report(
        title="会议记录",
        subtitle=branch.branch_name(ledger),
        blocks=blocks,  # type: ignore[arg-type]
        sheet_name="会议记录",
        footer_note="应到、实到人数由出席名单计算；预备党员没有表决权；表决以应到会有表决权党员为基数（《支部工作条例》第十一条）。",
    )


def _clip(text: str | None, n: int = 300) -> str:
    t = text or ""
    return t if len(t) <= n else t[:n] + "……"


# ------------------------------------------------------------------------------------------ 签到表


def build_sign_in(ledger: Ledger, p: Params) -> Report:
    m = _require_meeting(ledger, p)
    assert m.date is not None
    admitted = meetings.admitted_on(ledger, m.date)  # admitted at this 支部大会: not yet members when it met
    people = [
        a for a in m.attendance if a.status != "observer" and a.member_id not in admitted
    ] or meetings.expected_attendance(ledger, m.date, m.kinds, m.group_id)
    rows: list[list[object]] = [
        [i, a.name, CATEGORY_LABELS.get(a.category or "", ""), "\u3000\n\u3000", ""]
        for i, a in enumerate(people, start=1)
    ]
    rows += [[len(rows) + j, "", "列席", "\u3000\n\u3000", ""] for j in range(1, 4)]
    header: list[tuple[str, object]] = [
        ("会议", m.title),
        ("时间", _time_text(m)),
        ("地点", m.place or ""),
        ("主持人", m.name_of(m.host_id)),
    ]
    return Report(
        title="签到表",
        subtitle=branch.branch_name(ledger),
        blocks=[
            KeyValues(header, columns=2),
            Table(
                [
                    Column("序号", 0.5, "center", "int"),
                    Column("姓名", 1.2, "center"),
                    Column("人员类别", 1.0, "center"),
                    Column("签名", 2.6, "center"),
                    Column("备注", 1.5),
                ],
                rows,
                font_size=11,
                min_row_height_mm=9,  # room for a handwritten signature
            ),
            Signatures(["主持人", "记录人"], with_date=False),
        ],
        sheet_name="签到表",
        footer_note=f"应到{len(people)}人。请本人签名；请假、缺席的由记录人在备注栏写明原因。",
    )


# ------------------------------------------------------------------------------------------ 台账


LEDGER_COLUMNS = [
    Column("序号", 0.35, "center", "int"),
    Column("会议类型", 0.8, "center"),
    Column("日期", 0.95, "center", "date"),
    Column("起止时间", 0.9, "center"),
    Column("地点", 0.7),
    Column("主持人/授课人", 0.7, "center"),
    Column("记录人", 0.5, "center"),
    Column("应到", 0.35, "center", "int"),
    Column("实到", 0.35, "center", "int"),
    Column("缺席人员及原因", 1.2),
    Column("列席", 0.6),
    Column("主题/议题", 1.3),
    Column("主要内容", 1.65),
    Column("决议及表决结果", 1.5),
    Column("附件", 0.55, "center"),
]


def _period(p: Params) -> tuple[dt.date, dt.date, str]:
    year = p.year or clock.today().year
    if p.quarter:
        s, e = quarter_bounds(year, p.quarter)
        return s, e, f"{year}年第{p.quarter}季度"
    if p.month:
        s = dt.date(year, p.month, 1)
        from db.dates import month_end

        return s, month_end(s), f"{year}年{p.month}月"
    return dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年"


def build_ledger(ledger: Ledger, p: Params) -> Report:
    start, end, label = _period(p)
    rows: list[list[object]] = []
    whole = meetings.meetings_between(ledger, start, end)  # one read for the period, not one per meeting
    for r in sorted(meetings.list_meetings(ledger, start.year), key=lambda r: (r.date, r.id)):
        if not start <= r.date <= end:
            continue
        m = whole[r.id]
        times = f"{m.start_time or ''}—{m.end_time or ''}" if m.start_time or m.end_time else ""
        host = m.name_of(m.host_id)
        if "lecture" in m.kinds and m.lecturer:
            host = f"{host}/{m.lecturer}" if host and host != m.lecturer else m.lecturer
        topics = m.topic or m.lecture_title or ""
        if m.agenda:
            topics += ("；" if topics else "") + "；".join(
                f"{i}.{it.title}" for i, it in enumerate(m.agenda, 1)
            )
        content = m.minutes or "；".join(it.minutes or "" for it in m.agenda if it.minutes)
        decisions = "；".join(
            f"{d.text}（"
            + (
                f"赞成{d.yes or 0}、反对{d.no or 0}、弃权{d.abstain or 0}"
                + (f"、书面{d.written}" if d.written else "")
                + "，"
                if d.has_vote
                else ""
            )
            + _vote_result(m, d)
            + "）"
            for d in m.decisions
        )
        att = m.attachments
        att_text = "、".join(sorted({a.kind_label for a in att})) if att else ""
        kinds = (
            m.kinds_label
            + ("（补记）" if r.late else "")
            + (f"（{meetings.PAPER_LABEL}）" if r.paper else "")
        )
        rows.append(
            [
                len(rows) + 1,
                kinds,
                m.date,
                times,
                m.place or "",
                host,
                m.name_of(m.recorder_id),
                r.expected if r.paper else len(m.expected),
                r.present if r.paper else len(m.present),
                _absent_text(m) if m.absentees else "",
                _observer_text(m) if m.observers_list or m.observers else "",
                topics,
                _clip(content, SUMMARY_CHARS),
                _clip(decisions, SUMMARY_CHARS),
                att_text,
            ]
        )
    summary = meetings.year_summary(ledger, start.year, min(end, clock.today()))
    parts = [
        f"{rules.KIND_SHORT[k]} {summary['held'][k]}/{summary['required'][k]}"
        for k in rules.KINDS
        if summary["required"][k]
    ]
    note = f"共 {len(rows)} 次会议。"
    if parts:
        note += "本年已开/应开（按期计）：" + "，".join(parts) + "。"
    return Report(
        title="三会一课台账",
        subtitle=f"{branch.branch_name(ledger)}　　{label}",
        orientation="landscape",
        blocks=[
            Table(LEDGER_COLUMNS, rows, font_size=7, empty_text="本期没有会议记录"),
            Signatures(["记录人", "支部书记"]),
        ],
        footer_note=note,
        sheet_name="三会一课台账",
    )


register(
    Template(
        key="meeting-record",
        title="会议记录",
        build=build_record,
        formats=("pdf", "xlsx", "docx"),  # Word: the record the secretary edits before it is signed
        needs=("meeting",),
        accepts=("meeting",),
        periodic=False,
        choices=_record_choices,
        period_note="它是一次会议的记录（用 --meeting 指定会议）",
        description="一次会议的记录本页：会议信息、议题、发言要点、决议及表决、出席情况、主持人和记录人签名",
    )
)

register(
    Template(
        key="sign-in",
        title="签到表",
        build=build_sign_in,
        needs=("meeting",),
        accepts=("meeting",),
        periodic=False,
        choices=_record_choices,
        period_note="它是一次会议的签到表（用 --meeting 指定会议）",
        description="会前打印：应到人员名单和签名栏",
    )
)

register(
    Template(
        key="meetings",
        title="三会一课台账",
        build=build_ledger,
        needs=("year",),
        accepts=("year", "quarter", "month"),
        description="全年（或一个季度、一个月）的会议一览：类型、时间、地点、主持人、应到实到、缺席及原因、主题、决议",
    )
)
