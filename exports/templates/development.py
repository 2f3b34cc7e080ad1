"""`development` 发展党员工作台账 (everyone with the key dates, RULES.md §6.4) and `applicant-file` 发展党员纪实表
(one person, all 25 steps with dates, actors, facts and the documents each needs: 一人一档、一事一记)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from db import branch, clock, members
from db import development as dev
from db.dates import fmt_zh
from db.rules import development as rules
from exports.registry import ParamError, Params, Template, register
from exports.report import Block, Column, KeyValues, PageBreak, Paragraph, Report, Signatures, Table

if TYPE_CHECKING:
    from db.connection import Ledger


def _names(ledger: Ledger, ids: list[Any]) -> str:
    known = members.names(ledger)
    return "、".join(known.get(int(i), f"#{i}") for i in ids)


def _d(a: dev.Applicant, key: str) -> str:
    return fmt_zh(a.date_of(key))


def _vote(e: dev.StepEntry | None) -> str:
    if e is None:
        return ""
    f = e.facts
    parts = []
    if f.get("expected") is not None:
        parts.append(f"应到{f['expected']}")
    if f.get("present") is not None:
        parts.append(f"实到{f['present']}")
    if f.get("yes") is not None:
        parts.append(f"赞成{f['yes']}")
    if f.get("no") is not None:
        parts.append(f"反对{f['no']}")
    if f.get("abstain") is not None:
        parts.append(f"弃权{f['abstain']}")
    if f.get("written"):
        parts.append(f"书面意见{f['written']}")
    return "，".join(parts)


def facts_text(ledger: Ledger, e: dev.StepEntry) -> str:
    """A step's facts as a line of Chinese (for the 纪实表 and the timeline)."""
    f = e.facts
    k = e.key
    out: list[str] = []
    if k == "activist":
        if f.get("recommended_via"):
            out.append(dev.RECOMMENDED_VIA.get(f["recommended_via"], f["recommended_via"]))
        if f.get("decided_by"):
            out.append(f"{dev.DECIDED_BY.get(f['decided_by'], f['decided_by'])}确定")
    elif k in ("contacts_assigned", "sponsors_assigned"):
        out.append(_names(ledger, f.get("member_ids") or []))
    elif k == "political_review" and f.get("conclusion"):
        out.append(f"结论：{f['conclusion']}")
    elif k == "training":
        if f.get("start") or f.get("end"):
            s, t = dev.fact_date(f.get("start")), dev.fact_date(f.get("end"))
            out.append(f"{fmt_zh(s)}至{fmt_zh(t)}")
        if f.get("hours") is not None:
            out.append(f"{f['hours']}学时")
    elif k == "volunteer_form" and f.get("number"):
        out.append(f"志愿书编号 {f['number']}")
    elif k in ("branch_vote", "full_vote"):
        out.append(_vote(e))
        if f.get("delay_reason"):
            out.append(f"推迟理由：{f['delay_reason']}")
    elif k in ("approved", "full_approved") and f.get("approver_kind"):
        out.append(rules.APPROVER_KINDS.get(f["approver_kind"], f["approver_kind"]))
    elif k == "assigned_to_group" and f.get("group_id") is not None:
        groups = {g.id: g.name for g in branch.list_groups(ledger)}
        out.append(groups.get(f["group_id"], ""))
    if f.get("note"):
        out.append(str(f["note"]))
    if e.meeting_id is not None:
        out.append(f"见会议记录（编号 {e.meeting_id}）")
    if e.override_codes:
        out.append(f"越过 {'、'.join(e.override_codes)}，理由：{e.override_reason or ''}")
    return "；".join(x for x in out if x)


# ------------------------------------------------------------------------------------------ 发展党员工作台账

LEDGER_COLUMNS = [
    Column("序号", 0.35, "center", "int"),
    Column("姓名", 0.6, "center"),
    Column("性别", 0.3, "center"),
    Column("民族", 0.4, "center"),
    Column("出生日期", 0.8, "center"),
    Column("学历", 0.6, "center"),
    Column("工作岗位", 0.7),
    Column("申请时间", 0.8, "center"),
    Column("谈话时间／谈话人", 0.9, "center"),
    Column("确定积极分子／备案", 0.9, "center"),
    Column("培养联系人", 0.7, "center"),
    Column("半年考察", 0.8, "center"),
    Column("确定发展对象／备案", 0.9, "center"),
    Column("入党介绍人", 0.7, "center"),
    Column("政审结论", 0.8, "center"),
    Column("集中培训", 0.9, "center"),
    Column("预审", 0.8, "center"),
    Column("支部大会（入党时间）与票数", 1.1, "center"),
    Column("党委谈话", 0.8, "center"),
    Column("审批", 0.8, "center"),
    Column("宣誓", 0.8, "center"),
    Column("转正申请／大会／审批", 0.95, "center"),
    Column("转正时间", 0.8, "center"),
    Column("阶段", 0.55, "center"),
    Column("备注", 0.9),
]
# The 25 columns do not fit one A4 landscape table at a readable size (5.6 pt broke every date in two), so the
# 台账 prints as two tables of the same people: up to 积极分子, then from 发展对象 on. Indexes into LEDGER_COLUMNS.
LEDGER_PART_1 = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 23)
LEDGER_PART_2 = (0, 1, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24)
LEDGER_PART_WIDTHS = {
    0: 0.35,
    1: 0.6,
    2: 0.35,
    3: 0.45,
    4: 1.0,
    5: 0.75,
    6: 1.0,
    7: 1.0,
    8: 1.1,
    9: 1.1,
    10: 1.0,
    11: 1.0,
    12: 1.2,
    13: 0.9,
    14: 1.2,
    15: 1.3,
    16: 1.2,
    17: 1.3,
    18: 1.2,
    19: 1.2,
    20: 1.2,
    21: 1.2,
    22: 1.2,
    23: 0.6,
    24: 1.0,
}


def _part(indexes: tuple[int, ...], rows: list[list[Any]]) -> tuple[list[Column], list[list[Any]]]:
    cols = []
    for i in indexes:
        c = LEDGER_COLUMNS[i]
        cols.append(Column(c.title, LEDGER_PART_WIDTHS[i], c.align, c.kind))
    return cols, [[r[i] for i in indexes] for r in rows]


def _in_period(a: dev.Applicant, p: Params) -> bool:
    """People whose record was open at some time in the period: the year, or the quarter or month of it when
    one is given (all people when no year is given)."""
    applied = a.date_of("applied")
    bounds = p.period_bounds()
    if bounds is None:
        return True
    start, end = bounds
    if applied is not None and applied > end:
        return False
    if a.stopped_on is not None and a.stopped_on < start:
        return False
    done = a.date_of("archived") or a.date_of("full_approved")
    return not (done is not None and done < start)


def _as_it_stood(ledger: Ledger, a: dev.Applicant, on: dt.date) -> dev.Applicant:
    """The record as it stood on a past day: later steps not yet there, the stage of that day. A report
    "截至" a day shows nothing that happened after it."""
    if on >= clock.today():
        return a
    then = dataclasses.replace(
        a,
        steps={k: e for k, e in a.steps.items() if e.date <= on},
        evaluations=[e for e in a.evaluations if e.date <= on],
        probation_evaluations=[e for e in a.probation_evaluations if e.date <= on],
        stopped_on=a.stopped_on if a.stopped_on and a.stopped_on <= on else None,
        stop_reason=a.stop_reason if a.stopped_on and a.stopped_on <= on else None,
        ext_decided_on=a.ext_decided_on if a.ext_decided_on and a.ext_decided_on <= on else None,
    )
    then.stage = rules.derive_stage(dev.person_of(ledger, then))
    return then


def _pair(*parts: str) -> str:
    return "\n".join(x for x in parts if x)


def build_ledger(ledger: Ledger, p: Params) -> Report:
    on = p.as_of_date()
    bname = branch.branch_name(ledger)
    rows: list[list[Any]] = []
    stages: dict[str, int] = {}
    for a in dev.list_applicants(ledger):
        if not _in_period(a, p):
            continue
        a = _as_it_stood(ledger, a, on)
        stages[a.stage] = stages.get(a.stage, 0) + 1
        s = a.steps
        tr = s.get("training")
        tr_text = ""
        if tr is not None:
            start, end = dev.fact_date(tr.facts.get("start")), dev.fact_date(tr.facts.get("end"))
            tr_text = _pair(
                f"{fmt_zh(start)}至{fmt_zh(end)}" if start and end else fmt_zh(tr.date),
                f"{tr.facts['hours']}学时" if tr.facts.get("hours") is not None else "",
            )
        pol = s.get("political_review")
        g = s.get("branch_vote")
        end_on = rules.probation_end(dev.person_of(ledger, a)) if a.stage == "full" else None
        notes = [a.notes or ""]
        if a.ext_decided_on:
            notes.append(f"{fmt_zh(a.ext_decided_on)}延长预备期{a.ext_months}个月")
        if a.stopped_on:
            notes.append(f"{fmt_zh(a.stopped_on)}终止：{a.stop_reason or ''}")
        rows.append(
            [
                len(rows) + 1,
                a.name,
                a.gender_label,
                a.ethnicity or "",
                fmt_zh(a.birth_date),
                a.education or "",
                a.job or "",
                _d(a, "applied"),
                _pair(_d(a, "talked"), s["talked"].actor or "" if "talked" in s else ""),
                _pair(_d(a, "activist"), _d(a, "activist_filed")),
                _names(ledger, s["contacts_assigned"].facts.get("member_ids") or [])
                if "contacts_assigned" in s
                else "",
                "\n".join(fmt_zh(e.date) for e in a.evaluations),
                _pair(_d(a, "candidate"), _d(a, "candidate_filed")),
                _names(ledger, s["sponsors_assigned"].facts.get("member_ids") or [])
                if "sponsors_assigned" in s
                else "",
                _pair(_d(a, "political_review"), str(pol.facts.get("conclusion") or "") if pol else ""),
                tr_text,
                _d(a, "pre_review"),
                _pair(_d(a, "branch_vote"), _vote(g)),
                _d(a, "upper_talk"),
                _d(a, "approved"),
                _d(a, "oath"),
                _pair(_d(a, "full_application"), _d(a, "full_vote"), _d(a, "full_approved")),
                fmt_zh(end_on),
                a.stage_label,
                "；".join(x for x in notes if x),
            ]
        )
    summary = "，".join(f"{rules.STAGE_LABELS[k]} {stages[k]} 人" for k in rules.STAGES if stages.get(k))
    part_2: list[Block] = []
    if rows:
        part_2 = [
            PageBreak(),
            Table(*_part(LEDGER_PART_2, rows), heading="二、发展对象、预备党员阶段", font_size=7),
        ]
    return Report(
        title="发展党员工作台账",
        subtitle=f"{bname}　　{p.period_label() or '全部'}　　截至{fmt_zh(on)}",
        orientation="landscape",
        blocks=[
            Table(
                *_part(LEDGER_PART_1, rows),
                heading="一、基本情况，入党申请人、入党积极分子阶段",
                font_size=7.5,
                empty_text="（没有发展党员记录）",
            ),
            *part_2,
            Signatures(["填表人（组织委员）", "支部书记"]),
        ],
        footer_note=f"共 {len(rows)} 人"
        + (f"：{summary}。" if summary else "。")
        + "“转正时间”为预备期满之日，党龄从这一天算起。",
        sheet_name="发展党员工作台账",
    )


# ------------------------------------------------------------------------------------------ 纪实表

FILE_COLUMNS = [
    Column("序号", 0.35, "center", "int"),
    Column("步骤", 1.45),
    Column("日期", 0.95, "center"),
    Column("办理人／机关", 1.0, "center"),
    Column("情况", 1.9),
    Column("应有材料", 1.5),
    Column("期限", 1.2),
]


def build_file(ledger: Ledger, p: Params) -> Report:
    if p.applicant_id is None:
        raise ParamError("需要选择一名发展对象（--applicant）")
    try:
        a = dev.get_applicant(ledger, p.applicant_id)
    except KeyError:
        raise ParamError(f"没有编号为 {p.applicant_id} 的发展党员记录") from None
    on = p.as_of_date()
    bname = branch.branch_name(ledger)
    person = dev.person_of(ledger, a)
    end = rules.probation_end(person)
    pairs: list[tuple[str, Any]] = [
        ("姓名", a.name),
        ("性别", a.gender_label),
        ("民族", a.ethnicity or ""),
        ("出生日期", fmt_zh(a.birth_date)),
        *([] if p.masked else [("公民身份号码", a.id_number or "")]),
        ("学历", a.education or ""),
        ("工作岗位", a.job or ""),
        ("当前阶段", a.stage_label),
        ("入党时间（支部大会通过）", _d(a, "branch_vote")),
        ("预备期满（转正时间）", fmt_zh(end)),
    ]
    rows: list[list[Any]] = []
    for row in dev.timeline(ledger, a, on):
        sd = row.step
        limit = ""
        if row.clock is not None and row.status != "done":
            bits = []
            if row.clock.earliest:
                bits.append(f"最早 {fmt_zh(row.clock.earliest)}")
            if row.clock.latest:
                bits.append(f"最迟 {fmt_zh(row.clock.latest)}")
            limit = "；".join(bits)
        if row.breaches:
            limit = _pair(limit, "；".join(f"{b.code} {rules.RULE_TITLES[b.code]}" for b in row.breaches))
        if row.entries:
            for i, e in enumerate(row.entries):
                rows.append(
                    [
                        sd.no if i == 0 else "",
                        f"{sd.title}" + (f"（第{i + 1}次）" if sd.repeatable else ""),
                        fmt_zh(e.date),
                        e.actor or "",
                        facts_text(ledger, e),
                        sd.documents if i == 0 else "",
                        limit if i == 0 else "",
                    ]
                )
        else:
            state = {"open": "待办理", "waiting": "", "stopped": "已终止"}.get(row.status, "")
            rows.append([sd.no, sd.title, state, "", "", sd.documents, limit])
    blocks: list[Any] = [
        KeyValues(pairs, columns=2, heading="基本情况"),
        Table(FILE_COLUMNS, rows, heading="发展全过程纪实（5个阶段25个步骤）", font_size=7.2),
    ]
    extra = []
    if a.ext_decided_on:
        extra.append(
            f"{fmt_zh(a.ext_decided_on)}支部大会决定延长预备期{a.ext_months}个月"
            + (f"，{fmt_zh(a.ext_approved_on)}上级党委批准" if a.ext_approved_on else "")
            + (f"。理由：{a.ext_reason}" if a.ext_reason else "。")
        )
    if a.stopped_on:
        extra.append(f"{fmt_zh(a.stopped_on)}终止发展。原因：{a.stop_reason or ''}")
    found = [b for b in rules.checks(person, on, dev.practice(ledger))]
    if found:
        extra.append(
            "截至"
            + fmt_zh(on)
            + "的工作提醒：\n"
            + "\n".join(
                f"{b.code}（{rules.RULE_TITLES[b.code]}）{b.message.split('：', 1)[-1]}" for b in found
            )
        )
    if extra:
        blocks.append(Paragraph("\n\n".join(extra), heading="说明"))
    blocks.append(Signatures(["填表人（组织委员）", "支部书记"]))
    note = "一人一档、一事一记、一步一审；本表由支部书记或组织委员填写，长期保存。"
    if p.masked:
        note += "本表为脱敏版，不含身份证号。"
    return Report(
        title="发展党员纪实表",
        subtitle=f"{bname}　　{a.name}　　截至{fmt_zh(on)}",
        orientation="portrait",
        blocks=blocks,
        footer_note=note,
        sheet_name=f"纪实表-{a.name}"[:31],
    )


register(
    Template(
        key="development",
        title="发展党员工作台账",
        build=build_ledger,
        accepts=("year", "quarter", "month", "as_of"),
        description="全部入党申请人、积极分子、发展对象和预备党员的关键日期（5个阶段25个步骤）；"
        "给出年度（或其中一个季度、一个月）时，只列这期间办理过的人",
    )
)

register(
    Template(
        key="applicant-file",
        title="发展党员纪实表",
        build=build_file,
        needs=("applicant",),
        accepts=("applicant", "as_of"),
        periodic=False,
        period_note="它是一名发展对象的全程纪实（用 --applicant 指定，--as-of 指定截至日期）",
        description="一名发展对象的全程纪实：25个步骤的日期、办理人、情况和应有材料",
        sensitive=("公民身份号码",),
        choices=dev.applicant_choices,
    )
)
