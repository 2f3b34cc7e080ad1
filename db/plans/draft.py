"""The facts of a year, taken from the ledger's existing read models (db.members, db.meetings, db.dues,
db.development, db.checklists, db.posts, db.scorecards, db.findings) — never a second set of queries — laid out
as the sections of a 年度总结, a 工作计划 for the next year, or a 书记述职 outline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import clock
from db.dates import fmt_zh
from db.plans.model import KIND_LABELS, Fact, Section
from db.rules.meetings import KIND_LABELS as MEETING_KIND_LABELS

if TYPE_CHECKING:
    from db.connection import Ledger

# The 三会一课 kinds a summary reports (谈心谈话 has its own records; it is not a meeting cadence here).
SUMMARY_KINDS = ("assembly", "committee", "group", "lecture", "theme_day", "org_life", "appraisal")


def as_of_for(year: int) -> dt.date:
    return min(dt.date(year, 12, 31), clock.today())


def members_section(ledger: Ledger, year: int, on: dt.date) -> Section:
    from db import members

    start = dt.date(year, 1, 1)
    a, b = members.counts_on(ledger, start), members.counts_on(ledger, on)
    before = {r.member.id: r.member.name for r in members.roster_on(ledger, start)}
    after = {r.member.id: r.member.name for r in members.roster_on(ledger, on)}
    came = [n for i, n in after.items() if i not in before]
    went = [n for i, n in before.items() if i not in after]
    src = "members.counts_on"
    facts = [
        Fact(f"{fmt_zh(start)}党员", str(a["total"]), f"{src}({start}).total", "名"),
        Fact(f"{fmt_zh(on)}党员", str(b["total"]), f"{src}({on}).total", "名"),
        Fact("其中正式党员", str(b["full"]), f"{src}({on}).full", "名"),
        Fact("其中预备党员", str(b["probationary"]), f"{src}({on}).probationary", "名"),
        Fact("本年新增（转入、接收）", str(len(came)), "members.roster_on 年末有、年初无", "名"),
        Fact("本年减少（转出、去世等）", str(len(went)), "members.roster_on 年初有、年末无", "名"),
    ]
    if came:
        facts.append(Fact("新增名单", "、".join(came), "members.roster_on"))
    if went:
        facts.append(Fact("减少名单", "、".join(went), "members.roster_on"))
    return Section("members", "党员队伍", facts)


def meetings_section(ledger: Ledger, year: int, on: dt.date) -> Section:
    from db import meetings

    s = meetings.year_summary(ledger, year, as_of=on)
    facts: list[Fact] = []
    for k in SUMMARY_KINDS:
        label = MEETING_KIND_LABELS[k]
        facts.append(
            Fact(
                f"{label} 应召开（按周期）",
                str(s["required"][k]),
                f"meetings.year_summary.required.{k}",
                "次",
            )
        )
        facts.append(
            Fact(f"{label} 已召开（按周期）", str(s["held"][k]), f"meetings.year_summary.held.{k}", "次")
        )
    rows = [r for r in meetings.list_meetings(ledger, year) if r.date <= on]
    facts.append(Fact("本年会议记录", str(len(rows)), "meetings.list_meetings", "条"))
    for r in sorted(rows, key=lambda r: (r.date, r.id)):
        facts.append(
            Fact(
                f"{fmt_zh(r.date)} {r.kinds_label}",
                f"{r.topic or '（未填主题）'}（应到{r.expected}人，实到{r.present}人）",
                f"meetings.list_meetings#{r.id}",
            )
        )
    return Section("meetings", "三会一课和主题党日", facts)


def dues_section(ledger: Ledger, year: int, on: dt.date) -> Section:
    from db import dues

    s = dues.year_summary(ledger, year, as_of=on)
    src = "dues.year_summary"
    return Section(
        "dues",
        "党费收缴和上缴",
        [
            Fact("应交党费", s["due"], f"{src}.due", "元"),
            Fact("已交党费", s["paid"], f"{src}.paid", "元"),
            Fact("已上缴上级党委", s["remitted"], f"{src}.remitted", "元"),
            Fact("有欠交月份的党员", str(s["arrears_members"]), f"{src}.arrears_members", "名"),
        ],
    )


def development_section(ledger: Ledger, year: int, on: dt.date) -> Section:
    from db import development
    from db.rules.development.steps import STAGE_LABELS

    s = development.year_summary(ledger, year, as_of=on)
    src = "development.year_summary"
    facts = [
        Fact(f"{fmt_zh(on)}{STAGE_LABELS[st]}", str(n), f"{src}.by_stage.{st}", "名")
        for st, n in s["by_stage"].items()
        if st in ("applicant", "activist", "candidate", "probationary")
    ]
    facts.append(Fact("本年接收预备党员", str(s["admitted"]), f"{src}.admitted", "名"))
    facts.append(Fact("本年预备党员转正", str(s["converted"]), f"{src}.converted", "名"))
    return Section("development", "发展党员", facts)


def checklist_section(ledger: Ledger, year: int, on: dt.date) -> Section:
    from db import checklists

    s = checklists.year_summary(ledger, year)
    src = "checklists.year_summary"
    facts = [
        Fact("清单项目", str(s["items"]), f"{src}.items", "项"),
        Fact("达标项目", str(s["met"]), f"{src}.met", "项"),
        Fact("子项目", str(s["sub_items"]), f"{src}.sub_items", "项"),
        Fact("达标子项目", str(s["sub_met"]), f"{src}.sub_met", "项"),
    ]
    for name in checklists.checklist_names(ledger, year):
        for row in checklists.year_rows(ledger, year, name):
            if row.result.status != "met":
                facts.append(
                    Fact(
                        f"未达标或未检查：{row.item.key} {row.item.title}",
                        row.result.status_label if row.result.status else "未检查",
                        f"checklists.year_rows#{name}/{row.item.key}",
                    )
                )
    return Section("checklist", "阵地建设（六个一）", facts)


def posts_section(ledger: Ledger, year: int, on: dt.date) -> Section:
    from db import members, posts

    names = members.names(ledger)
    ps = posts.posts_of_year(ledger, year)
    facts = [Fact("本年度设立的示范岗、责任区等", str(len(ps)), "posts.posts_of_year", "个")]
    for p in ps:
        facts.append(
            Fact(
                f"{p.kind_label} {p.name}",
                f"{'、'.join(names.get(i, '') for i in p.member_ids)}（{p.period_text()}）",
                f"posts.posts_of_year#{p.id}",
            )
        )
    return Section("posts", "党员示范岗、责任区", facts)


def projects_section(ledger: Ledger, year: int, on: dt.date) -> Section | None:
    """书记项目, when the ledger has them (another package, issue #19 item 2): its year summary if it offers one."""
    import importlib

    try:
        mod = importlib.import_module("db.projects")
    except ModuleNotFoundError:
        return None
    summary = getattr(mod, "year_summary", None)
    if summary is None:
        return None
    s = summary(ledger, year)
    if not isinstance(s, dict):
        return None
    facts = [
        Fact(str(k), str(v), f"projects.year_summary.{k}") for k, v in s.items() if isinstance(v, (int, str))
    ]
    return Section("projects", "书记项目", facts)


def scorecard_section(ledger: Ledger, year: int, on: dt.date) -> Section | None:
    from db import scorecards

    scheme = scorecards.scheme_for(ledger, year)
    if scheme is None or scheme.id is None:
        return None
    ys = scorecards.year_score(ledger, scheme.id, year, as_of=on)
    facts = [
        Fact(
            "评分标准",
            scheme.name + ("（示例，非正式标准）" if scheme.example else ""),
            "scorecards.scheme_for",
        ),
        Fact("自评得分", f"{ys.total}/{scheme.total_points}", "scorecards.year_score.total", "分"),
    ]
    if ys.stars is not None:
        facts.append(Fact("对应星级", str(ys.stars), "scorecards.year_score.stars", "星"))
    for g in ys.gaps:
        facts.append(
            Fact(
                f"失分项：{g.item.key} {g.item.title}",
                g.evidence.detail,
                f"scorecards.year_score#{g.item.key}",
            )
        )
    return Section("scorecard", "星级自评", facts)


def findings_section(ledger: Ledger, year: int, on: dt.date) -> Section:
    from db import findings

    found = [f for f in findings.check(ledger, on) if f.period is None or f.period.startswith(str(year))]
    sev = {"error": "需纠正的问题", "warning": "需注意的提醒", "reminder": "待办事项"}
    facts = [
        Fact(label, str(sum(1 for f in found if f.severity == code)), f"findings.check.{code}", "条")
        for code, label in sev.items()
    ]
    from db.rule_titles import TITLES, rule_title

    for f in found:
        if f.severity != "reminder":
            title = rule_title(f.code) if f.code in TITLES else f.area
            label = f"{title}（{f.subject_name}）" if f.subject_name else title
            facts.append(Fact(label, f.message, f"findings.check#{f.code}"))
    return Section("problems", "存在问题（工作提醒）", facts)


def required_section(ledger: Ledger, year: int) -> Section:
    """For a plan: how many meetings of each kind the year requires (the cadence rules of RULES.md §1.1)."""
    from db import meetings

    need = {k: 0 for k in SUMMARY_KINDS}
    for row in meetings.cadence_grid(ledger, year, dt.date(year, 1, 1)):
        if row.kind in need:
            need[row.kind] += sum(1 for c in row.cells if c.required)
    return Section(
        "cadence",
        "三会一课按周期应召开",
        [Fact(MEETING_KIND_LABELS[k], str(n), f"meetings.cadence_grid.{k}", "次") for k, n in need.items()],
    )


def build_sections(ledger: Ledger, year: int, kind: str) -> tuple[str, list[Section]]:
    """(title, sections) of a draft; facts only, the secretary's text empty."""
    from db import branch

    bname = branch.branch_name(ledger)
    if kind == "plan":
        last = year - 1
        on = as_of_for(last)
        secs = [
            required_section(ledger, year),
            members_section(ledger, last, on),
            posts_section(ledger, year, as_of_for(year)),
            checklist_section(ledger, last, on),
            findings_section(ledger, last, on),
        ]
        sc = scorecard_section(ledger, last, on)
        if sc:
            secs.append(sc)
        for s in secs[1:]:
            s.heading = f"{last}年{s.heading}" if s.key != "posts" else s.heading
        secs.append(Section("goals", "本年度工作目标和措施"))
        return f"{bname}{year}年{KIND_LABELS['plan']}", secs
    on = as_of_for(year)
    secs = [
        members_section(ledger, year, on),
        meetings_section(ledger, year, on),
        dues_section(ledger, year, on),
        development_section(ledger, year, on),
        checklist_section(ledger, year, on),
        posts_section(ledger, year, on),
    ]
    pj = projects_section(ledger, year, on)
    if pj:
        secs.append(pj)
    sc = scorecard_section(ledger, year, on)
    if sc:
        secs.append(sc)
    secs.append(findings_section(ledger, year, on))
    if kind == "report":
        headings = {
            "members": "一、基本情况",
            "meetings": "二、落实组织生活制度",
            "development": "三、发展党员",
            "dues": "四、党费收缴管理",
            "checklist": "五、阵地建设",
            "posts": "六、党员作用发挥",
            "projects": "七、书记项目",
            "scorecard": "八、星级自评",
            "problems": "九、存在问题",
        }
        order = list(headings)
        secs.sort(key=lambda s: order.index(s.key) if s.key in order else 99)
        for s in secs:
            s.heading = headings.get(s.key, s.heading)
        secs.append(Section("next", "十、下一步打算"))
        return f"{bname}书记{year}年度抓党建工作述职提纲", secs
    secs.append(Section("next", "下一年度工作打算"))
    return f"{bname}{year}年{KIND_LABELS['summary']}", secs
