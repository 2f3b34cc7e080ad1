"""The checks D01–D29 (RULES.md §3.2) over one person as of a date."""

from __future__ import annotations

import datetime as dt

from db.dates import add_months, add_years, fmt_zh
from db.rules.development.model import (
    APPROVER_KINDS,
    Breach,
    Person,
    Practice,
    Standing,
    Step,
    Vote,
    approver_kind,
    conclusion_fails,
)
from db.rules.development.steps import LEVELS, severity_of
from db.rules.development.timeline import as_of_view, evaluation_windows, probation_end, probation_start

# ------------------------------------------------------------------------------------------ the checks


def checks(person: Person, as_of: dt.date, practice: Practice | None = None) -> list[Breach]:
    """Every D-rule breach in a person's record as of a date (RULES.md §3.2)."""
    pr = practice or Practice()
    p = as_of_view(person, as_of)
    out: list[Breach] = []
    a = p.d("applied")
    if a is None or p.stopped_on is not None:
        return out
    name = p.name

    def add(
        code: str, msg: str, due: dt.date | None = None, step: str | None = None, severity: str | None = None
    ) -> None:
        s = p.steps.get(step) if step else None
        reason = s.override_reason if s and code in s.override_codes else None
        if code == "D27" and p.extension is not None:
            reason = p.extension.override_reason
        out.append(Breach(code, severity or severity_of(LEVELS[code]), f"{name}：{msg}", due, step, reason))

    t, j, jr, f, fr = (
        p.d("talked"),
        p.d("activist"),
        p.d("activist_filed"),
        p.d("candidate"),
        p.d("candidate_filed"),
    )
    z, y, g, h, s = (
        p.d("political_review"),
        p.d("pre_review"),
        p.d("branch_vote"),
        p.d("upper_talk"),
        p.d("approved"),
    )
    q, r, u = p.d("full_application"), p.d("full_vote"), p.d("full_approved")

    # D01 年满18岁
    if p.birth_date is not None and a < add_years(p.birth_date, 18):
        add(
            "D01",
            f"递交申请书时（{fmt_zh(a)}）未满18岁（{fmt_zh(add_years(p.birth_date, 18))}满18岁）",
            step="applied",
        )
    # D02 谈话 within 1 month
    talk_due = add_months(a, 1)
    if t is None:
        if as_of > talk_due and j is None:
            add(
                "D02",
                f"收到入党申请书已超过1个月，尚未派人谈话（应在{fmt_zh(talk_due)}前）",
                talk_due,
                "talked",
            )
        elif j is not None:
            add("D02", "没有党组织派人谈话的记录", talk_due, "talked")
    elif t > talk_due:
        add("D02", f"谈话日期 {fmt_zh(t)} 超过收到申请书后1个月（{fmt_zh(talk_due)}）", talk_due, "talked")
    # D03 积极分子 from interviewed applicants
    if j is not None:
        if t is None or j < t:
            add(
                "D03",
                "确定为入党积极分子前没有谈话记录"
                if t is None
                else f"确定为入党积极分子（{fmt_zh(j)}）早于谈话（{fmt_zh(t)}）",
                step="activist",
            )
        if j <= a:
            add("D03", f"确定为入党积极分子（{fmt_zh(j)}）不晚于递交申请书（{fmt_zh(a)}）", step="activist")
        # D04 local minimum
        soon = add_months(a, pr.activist_min_months)
        if pr.activist_min_months and j < soon:
            add(
                "D04",
                f"递交申请书不满{pr.activist_min_months}个月即确定为入党积极分子（{fmt_zh(soon)}满）",
                soon,
                "activist",
            )
    # D05 积极分子备案 before F
    if f is not None and (jr is None or jr > f):
        add(
            "D05",
            "确定为发展对象前没有将入党积极分子报上级党委备案"
            if jr is None
            else f"积极分子备案（{fmt_zh(jr)}）晚于确定为发展对象（{fmt_zh(f)}）",
            step="activist_filed",
        )
    # D06 培养联系人
    if "contacts_assigned" in p.steps or f is not None:
        if "contacts_assigned" not in p.steps:
            add("D06", "没有指定培养联系人", step="contacts_assigned")
        else:
            bad = _standing_problems(p.contacts)
            if not 1 <= len(p.contacts) <= 2:
                add("D06", f"培养联系人应为1至2名，登记了{len(p.contacts)}名", step="contacts_assigned")
            if bad:
                add("D06", "培养联系人" + "；".join(bad), step="contacts_assigned")
    # D07 half-yearly 考察
    if j is not None:
        until = min(f, as_of) if f is not None else as_of
        for w_start, w_end in evaluation_windows(j, until):
            if w_end == as_of and f is None:
                continue  # the last day of the window is still open
            if not any(w_start < k <= w_end for k in p.evaluations):
                add("D07", f"{fmt_zh(w_start)}至{fmt_zh(w_end)}这半年没有培养考察记录", w_end, "evaluations")
    # D08 F ≥ J + 1 year
    if f is not None and j is not None and f < add_years(j, 1):
        add(
            "D08",
            f"确定为发展对象（{fmt_zh(f)}）时培养教育考察不满1年（{fmt_zh(add_years(j, 1))}满1年）",
            step="candidate",
        )
    # D09 发展对象备案 before G
    if g is not None and (fr is None or fr > g):
        add(
            "D09",
            "支部大会讨论前没有将发展对象报上级党委备案"
            if fr is None
            else f"发展对象备案（{fmt_zh(fr)}）晚于支部大会（{fmt_zh(g)}）",
            step="candidate_filed",
        )
    # D10 2 入党介绍人, 正式党员
    if "sponsors_assigned" in p.steps or g is not None:
        if "sponsors_assigned" not in p.steps:
            add("D10", "支部大会讨论前没有确定入党介绍人", step="sponsors_assigned")
        else:
            ids = {x.member_id for x in p.sponsors}
            if len(p.sponsors) != 2 or len(ids) != 2:
                add("D10", f"入党介绍人应为2名正式党员，登记了{len(ids)}名", step="sponsors_assigned")
            bad = _standing_problems(p.sponsors)
            if bad:
                add("D10", "入党介绍人" + "；".join(bad), step="sponsors_assigned")
    # D11 政审
    pol = p.steps.get("political_review")
    if pol is not None and conclusion_fails(pol.facts.get("conclusion")):
        add("D11", f"政治审查结论为“{pol.facts.get('conclusion')}”，不能继续发展", step="political_review")
    elif g is not None and (z is None or z > g):
        add(
            "D11",
            "支部大会讨论前没有形成政治审查结论"
            if z is None
            else f"政治审查结论（{fmt_zh(z)}）晚于支部大会（{fmt_zh(g)}）",
            step="political_review",
        )
    # D12 集中培训
    tr = p.steps.get("training")
    if tr is not None:
        msg = _training_problem(tr)
        if msg:
            add("D12", msg, step="training")
        elif g is not None and tr.date > g:
            add("D12", f"集中培训（{fmt_zh(tr.date)}结束）晚于支部大会（{fmt_zh(g)}）", step="training")
    elif g is not None:
        add("D12", "支部大会讨论前没有参加集中培训的记录", step="training")
    # D13 支委会审查 → 预审 → (志愿书) → G
    if g is not None:
        c = p.d("committee_review")
        vf = p.d("volunteer_form")
        if c is None:
            add("D13", "支部大会讨论前没有支部委员会审查记录", step="committee_review")
        if y is None:
            add("D13", "支部大会讨论前没有上级党委预审记录", step="pre_review")
        elif y > g:
            add("D13", f"上级党委预审（{fmt_zh(y)}）晚于支部大会（{fmt_zh(g)}）", step="pre_review")
        elif c is not None and c > y:
            add("D13", f"支委会审查（{fmt_zh(c)}）晚于上级党委预审（{fmt_zh(y)}）", step="committee_review")
        if vf is not None and y is not None and vf < y:
            add("D13", f"入党志愿书（{fmt_zh(vf)}）在预审（{fmt_zh(y)}）之前填写", step="volunteer_form")
        if vf is not None and vf > g:
            add("D13", f"入党志愿书（{fmt_zh(vf)}）晚于支部大会（{fmt_zh(g)}）", step="volunteer_form")
    elif (vf2 := p.d("volunteer_form")) is not None and (y is None or vf2 < y):
        add("D13", "入党志愿书在上级党委预审之前填写", step="volunteer_form")
    # D14 leaving the unit within 3 months after G
    if p.leaving_on is not None:
        ref = g or (as_of if y is not None else None)
        if ref is not None and ref <= p.leaving_on <= add_months(ref, 3):
            add(
                "D14",
                f"预计{fmt_zh(p.leaving_on)}离开本单位，在接收后3个月内，一般不应接收",
                p.leaving_on,
                "branch_vote",
            )
    # D15 接收 vote
    if g is not None:
        for msg in Vote.of(p.steps["branch_vote"].facts).problems():
            add("D15", f"接收预备党员的支部大会（{fmt_zh(g)}）{msg}", step="branch_vote")
    # D16 党委谈话 before S
    if s is not None and (h is None or h > s):
        add(
            "D16",
            "上级党委审批前没有派人谈话"
            if h is None
            else f"上级党委谈话（{fmt_zh(h)}）晚于审批（{fmt_zh(s)}）",
            step="upper_talk",
        )
    # D17 审批 within 3 (hard 6) months of G
    if g is not None:
        m3, m6 = add_months(g, 3), add_months(g, 6)
        if s is not None:
            if s > m6:
                add(
                    "D17",
                    f"上级党委审批（{fmt_zh(s)}）超过支部大会后6个月（{fmt_zh(m6)}）",
                    m6,
                    "approved",
                    "error",
                )
            elif s > m3:
                add(
                    "D17",
                    f"上级党委审批（{fmt_zh(s)}）超过支部大会后3个月（{fmt_zh(m3)}）",
                    m3,
                    "approved",
                    "warning",
                )
        elif as_of > m6:
            add("D17", f"支部大会已超过6个月（{fmt_zh(m6)}），上级党委仍未审批", m6, "approved", "error")
        elif as_of > m3:
            add("D17", f"支部大会已超过3个月（{fmt_zh(m3)}），上级党委仍未审批", m3, "approved", "warning")
    # D18 approver is a 党委
    for key in ("approved", "full_approved"):
        st = p.steps.get(key)
        kind = approver_kind(st) if st else None
        if st is not None and kind is not None and kind != "party_committee":
            add(
                "D18",
                f"{'审批' if key == 'approved' else '转正审批'}机关“{st.actor or APPROVER_KINDS.get(kind, kind)}”"
                f"不是党委（{APPROVER_KINDS.get(kind, kind)}无审批权）",
                step=key,
            )
    # D19 再上一级备案 after S
    if s is not None:
        af = p.d("approval_filed")
        if af is None:
            add("D19", "审批后尚未报再上一级党委组织部门备案", step="approval_filed")
        elif af < s:
            add("D19", f"备案（{fmt_zh(af)}）早于审批（{fmt_zh(s)}）", step="approval_filed")
    end = probation_end(p)
    # D20 预备期 (derived): expiry approaching
    if (
        end is not None
        and r is None
        and u is None
        and end - dt.timedelta(days=pr.probation_notice_days) <= as_of <= end
    ):
        add("D20", f"预备期将于{fmt_zh(end)}届满，请准备转正（转正申请、支部大会讨论）", end, "full_vote")
    # D21 宣誓 after S
    if s is not None:
        o = p.d("oath")
        if o is None:
            add("D21", "上级党委批准后尚未进行入党宣誓", step="oath")
        elif o < s:
            add("D21", f"入党宣誓（{fmt_zh(o)}）早于上级党委审批（{fmt_zh(s)}）", step="oath")
    # D22 no early 转正 meeting
    if r is not None and end is not None and r < end:
        add("D22", f"转正支部大会（{fmt_zh(r)}）早于预备期满（{fmt_zh(end)}）", end, "full_vote")
    # D23 转正 meeting held in time
    if end is not None and u is None:
        late = end + dt.timedelta(days=pr.full_vote_grace_days)
        if r is None and as_of > late:
            add("D23", f"预备期已于{fmt_zh(end)}届满，尚未召开支部大会讨论转正", end, "full_vote")
    if r is not None and end is not None:
        late = end + dt.timedelta(days=pr.full_vote_grace_days)
        if r > late and not str(p.steps["full_vote"].facts.get("delay_reason") or "").strip():
            add(
                "D23",
                f"转正支部大会（{fmt_zh(r)}）晚于预备期满（{fmt_zh(end)}），未说明推迟理由",
                end,
                "full_vote",
            )
    # D24 written application before R
    if r is not None and (q is None or q > r):
        add(
            "D24",
            "讨论转正前没有本人书面转正申请"
            if q is None
            else f"转正申请（{fmt_zh(q)}）晚于转正支部大会（{fmt_zh(r)}）",
            step="full_application",
        )
    # D25 转正 vote
    if r is not None:
        for msg in Vote.of(p.steps["full_vote"].facts).problems():
            add("D25", f"讨论转正的支部大会（{fmt_zh(r)}）{msg}", step="full_vote")
    # D26 转正审批 within 3 months of R
    if r is not None:
        due = add_months(r, 3)
        if u is not None and u > due:
            add(
                "D26",
                f"转正审批（{fmt_zh(u)}）超过转正支部大会后3个月（{fmt_zh(due)}）",
                due,
                "full_approved",
            )
        elif u is None and as_of > due:
            add("D26", f"转正支部大会已超过3个月（{fmt_zh(due)}），上级党委仍未审批", due, "full_approved")
    # D27 extension once, 6–12 months
    if p.extension is not None:
        msg = extension_problem(p, p.extension.decided_on, p.extension.months, existing=False)
        if msg:
            add("D27", msg)
    # D28 党龄 from the end of probation; D29 on the roster as 预备党员 from G
    if u is not None and end is not None and p.member_id is not None and p.member_full_on != end:
        add(
            "D28",
            f"名册上的转为正式党员日期（{fmt_zh(p.member_full_on) or '未填'}）应为预备期满之日{fmt_zh(end)}",
            end,
            "full_approved",
        )
    if g is not None:
        if p.member_id is None:
            add(
                "D29",
                f"支部大会已通过（{fmt_zh(g)}），但尚未列入党员名册；预备党员自该日起交纳党费",
                g,
                "branch_vote",
            )
        elif p.member_joined_on != g:
            add(
                "D29",
                f"名册上的加入党组织日期（{fmt_zh(p.member_joined_on) or '未填'}）应为支部大会通过之日"
                f"{fmt_zh(g)}（党费自该日起交纳）",
                g,
                "branch_vote",
            )
    return out


def _standing_problems(people: list[Standing]) -> list[str]:
    out = []
    for x in people:
        if x.category is None:
            out.append(f"{x.name}当日不在本支部党员名册中")
        elif x.category != "full":
            out.append(f"{x.name}当日是预备党员，不能担任")
        elif x.sanctioned:
            out.append(f"{x.name}正在留党察看期间，不能担任")
    return out


def _training_problem(step: Step) -> str | None:
    """D12: at least 3 days (counted inclusively) or at least 24 学时; unknown values are not a breach."""
    start, end, hours = step.facts.get("start"), step.facts.get("end"), step.facts.get("hours")
    days = None
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if end < start:
            return f"集中培训结束日期（{fmt_zh(end)}）早于开始日期（{fmt_zh(start)}）"
        days = (end - start).days + 1
    h = float(hours) if isinstance(hours, (int, float)) and not isinstance(hours, bool) else None
    if days is None and h is None:
        return None
    if (days is not None and days >= 3) or (h is not None and h >= 24):
        return None
    parts = []
    if days is not None:
        parts.append(f"{days}天")
    if h is not None:
        parts.append(f"{h:g}学时")
    return "集中培训" + "、".join(parts) + "，不足3天或24学时"


def extension_problem(p: Person, decided_on: dt.date, months: int, *, existing: bool) -> str | None:
    """D27: only once, 6 ≤ months ≤ 12, decided while a 预备党员 (after G, before the 转正 meeting)."""
    if existing:
        return "预备期已经延长过一次，只能延长一次"
    if not 6 <= months <= 12:
        return f"延长预备期{months}个月，应为6至12个月"
    g = probation_start(p)
    if g is None or decided_on < g:
        return "延长预备期须在支部大会接收为预备党员之后决定"
    return None
