"""The data dictionary (字段表) of the park's own forms: every name a form template can use, in Chinese, with
its kind and meaning, and `build_context`, which fills it from the read models the standard templates use
(db.members.roster_on, db.meetings.year_summary / list_meetings, db.dues.year_rows / year_summary,
db.development, db.findings.check) — never a second set of queries.

A name is a dotted path: `支部.名称`, `统计.党员总数`, `会议.本期.主题党日.次数`. A *list* (党员, 会议.列表,
发展.名单, 党费.明细, 问题.列表) holds one row per record; `党员.姓名` in an Excel row makes that row repeat once per
member, and a Word template loops over it with `{%tr for 人 in 党员 %}`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from db.rules import idcard
from db.rules.meetings import KIND_LABELS, KINDS

if TYPE_CHECKING:
    from db.connection import Ledger
    from exports.registry import Params

TEXT, INT, DATE, MONEY, LIST = "文本", "整数", "日期", "金额", "列表"


@dataclass(frozen=True)
class Field:
    path: str  # "支部.名称"; a field of a list's row is "党员.姓名"
    kind: str
    description: str
    sensitive: str = ""  # "id_number" / "phone": masked in a masked fill

    @property
    def is_list(self) -> bool:
        return self.kind == LIST


def _meeting_counts(prefix: str, what: str) -> list[Field]:
    out = []
    for k in KINDS:
        label = KIND_LABELS[k]
        out.append(Field(f"{prefix}.{label}.次数", INT, f"{what}开过的{label}次数（截至统计日）"))
    return out


def _year_counts() -> list[Field]:
    out = []
    for k in KINDS:
        label = KIND_LABELS[k]
        out.append(Field(f"会议.本年.{label}.次数", INT, f"本年度已开{label}的应开期数（截至统计日）"))
        out.append(Field(f"会议.本年.{label}.应开", INT, f"本年度截至统计日应开{label}的期数"))
    return out


FIELDS: tuple[Field, ...] = (
    Field("支部.名称", TEXT, "支部全称"),
    Field("支部.上级党组织", TEXT, "上级党组织"),
    Field("支部.所在园区", TEXT, "所在园区"),
    Field("支部.所在单位", TEXT, "所在企业或单位"),
    Field("支部.成立日期", DATE, "支部成立日期"),
    Field("期间.年度", INT, "填报年度"),
    Field("期间.季度", INT, "填报季度（1–4；按年度填报时为空）"),
    Field("期间.名称", TEXT, "期间的说法，如“2026年第3季度”"),
    Field("期间.开始", DATE, "期间第一天"),
    Field("期间.结束", DATE, "期间最后一天"),
    Field("期间.统计日", DATE, "数据截至的日期（--as-of，默认期间末日或今天）"),
    Field("期间.填表日期", DATE, "填写的日期（今天）"),
    Field("统计.党员总数", INT, "统计日在册党员（含预备党员）"),
    Field("统计.正式党员", INT, "统计日正式党员人数"),
    Field("统计.预备党员", INT, "统计日预备党员人数"),
    Field("统计.女党员", INT, "统计日女党员人数"),
    Field("统计.少数民族党员", INT, "统计日少数民族党员人数"),
    Field("统计.大专及以上学历", INT, "统计日大专及以上学历党员人数"),
    Field("统计.党小组数", INT, "统计日的党小组个数"),
    Field("党员", LIST, "统计日在册党员，一人一行（按花名册顺序）"),
    Field("党员.序号", INT, "行号，从1起"),
    Field("党员.姓名", TEXT, "姓名"),
    Field("党员.性别", TEXT, "男 / 女"),
    Field("党员.民族", TEXT, "民族"),
    Field("党员.出生日期", DATE, "出生日期"),
    Field("党员.身份证号", TEXT, "公民身份号码（脱敏填写时只显示前3位和后4位）", "id_number"),
    Field("党员.学历", TEXT, "学历"),
    Field("党员.人员类别", TEXT, "统计日的正式党员 / 预备党员"),
    Field("党员.入党日期", DATE, "加入党组织日期"),
    Field("党员.转正日期", DATE, "转为正式党员日期"),
    Field("党员.工作岗位", TEXT, "工作单位及岗位"),
    Field("党员.党内职务", TEXT, "党内职务"),
    Field("党员.党小组", TEXT, "统计日所在党小组"),
    Field("党员.手机号", TEXT, "手机号（脱敏填写时隐去中间4位）", "phone"),
    *_meeting_counts("会议.本期", "期间内"),
    *_year_counts(),
    Field("会议.列表", LIST, "期间内（截至统计日）开过的会议，一次一行，按日期"),
    Field("会议.列表.序号", INT, "行号"),
    Field("会议.列表.日期", DATE, "开会日期"),
    Field("会议.列表.类型", TEXT, "会议类型（一次会议合开几种时用顿号分开）"),
    Field("会议.列表.主题", TEXT, "会议主题或党课题目"),
    Field("会议.列表.应到", INT, "应到人数"),
    Field("会议.列表.实到", INT, "实到人数"),
    Field("党费.本年应交", MONEY, "本年度截至统计日所在月的应交党费合计（元）"),
    Field("党费.本年实交", MONEY, "同期实交合计（元）"),
    Field("党费.本年上缴", MONEY, "本年度已上缴合计（元）"),
    Field("党费.欠交人数", INT, "本年度有已过月份未交足的党员人数"),
    Field("党费.明细", LIST, "本年度应交党费的党员，一人一行"),
    Field("党费.明细.序号", INT, "行号"),
    Field("党费.明细.姓名", TEXT, "姓名"),
    Field("党费.明细.月交纳额", MONEY, "现行核定的每月交纳额（元）"),
    Field("党费.明细.本年应交", MONEY, "本年12个月应交合计（元）"),
    Field("党费.明细.本年实交", MONEY, "本年实交合计（元，截至统计日）"),
    Field("发展.申请人", INT, "统计日处于入党申请人阶段的人数"),
    Field("发展.积极分子", INT, "统计日入党积极分子人数"),
    Field("发展.发展对象", INT, "统计日发展对象人数"),
    Field("发展.预备党员", INT, "统计日尚未转正的预备党员人数（发展流程中）"),
    Field("发展.本年接收预备党员", INT, "本年度支部大会接收的预备党员人数（截至统计日）"),
    Field("发展.本年转正", INT, "本年度批准转正的人数（截至统计日）"),
    Field("发展.名单", LIST, "在发展流程中的人（不含已终止），一人一行"),
    Field("发展.名单.序号", INT, "行号"),
    Field("发展.名单.姓名", TEXT, "姓名"),
    Field("发展.名单.性别", TEXT, "男 / 女"),
    Field("发展.名单.出生日期", DATE, "出生日期"),
    Field("发展.名单.身份证号", TEXT, "公民身份号码（脱敏填写时只显示前3位和后4位）", "id_number"),
    Field("发展.名单.学历", TEXT, "学历"),
    Field("发展.名单.阶段", TEXT, "统计日所处阶段：申请人 / 积极分子 / 发展对象 / 预备党员 / 已转正"),
    Field("发展.名单.申请日期", DATE, "递交入党申请书日期"),
    Field("问题.问题数", INT, "统计日的问题（红色）条数"),
    Field("问题.提醒数", INT, "统计日的提醒（橙色）条数"),
    Field("问题.待办数", INT, "统计日的待办（蓝色）条数"),
    Field("问题.列表", LIST, "统计日的问题、提醒和待办，一条一行"),
    Field("问题.列表.序号", INT, "行号"),
    Field("问题.列表.代码", TEXT, "检查代码，如 M01"),
    Field("问题.列表.类别", TEXT, "三会一课 / 党费 / 发展党员 / 组织建设 / 六个一 / 党员信息"),
    Field("问题.列表.级别", TEXT, "问题 / 提醒 / 待办"),
    Field("问题.列表.对象", TEXT, "涉及的人、会议或期间"),
    Field("问题.列表.说明", TEXT, "说明"),
)


class Dictionary:
    """One set of names a template may use: the branch's 字段表 (FIELDS) or the liaison's park 字段表
    (exports/forms/park.py). The engine checks a template against the dictionary it is filled with."""

    def __init__(self, name: str, fields: tuple[Field, ...]) -> None:
        self.name = name
        self.fields = fields
        self.by_path: dict[str, Field] = {f.path: f for f in fields}
        self.lists: tuple[str, ...] = tuple(f.path for f in fields if f.is_list)
        self._prefixes = {
            ".".join(f.path.split(".")[:i]) for f in fields for i in range(1, f.path.count(".") + 1)
        }

    def known(self, path: str) -> bool:
        return path in self.by_path or path in self._prefixes

    def list_of(self, path: str) -> str | None:
        """The list a field belongs to ("党员" for "党员.姓名"), or None for a field outside any list."""
        for lst in sorted(self.lists, key=len, reverse=True):
            if path.startswith(lst + "."):
                return lst
        return None


MAIN = Dictionary("字段表", FIELDS)
BY_PATH: dict[str, Field] = MAIN.by_path
LISTS: tuple[str, ...] = MAIN.lists


def list_of(path: str) -> str | None:
    """The list a field of the branch's 字段表 belongs to."""
    return MAIN.list_of(path)


def _mask(kind: str, value: str | None) -> str:
    if kind == "id_number":
        return idcard.mask(value)
    if kind == "phone":
        return idcard.mask_phone(value)
    return value or ""


def _set(tree: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = tree
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def _row(prefix: str, values: dict[str, Any], masked: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, v in values.items():
        f = BY_PATH[f"{prefix}.{name}"]
        out[name] = _mask(f.sensitive, v) if (masked and f.sensitive) else (v if v is not None else "")
    return out


def period_of(p: Params) -> tuple[int, int | None, dt.date, dt.date, dt.date]:
    """(year, quarter, first day, last day, as-of day) of a fill; the year defaults to the as-of day's."""
    from db import clock

    year = p.year or (p.as_of or clock.today()).year
    bounds = p.period_bounds() or (dt.date(year, 1, 1), dt.date(year, 12, 31))
    as_of = p.as_of or (bounds[1] if bounds[1] < clock.today() else clock.today())
    return year, p.quarter, bounds[0], bounds[1], as_of


def build_context(ledger: Ledger, p: Params) -> dict[str, Any]:
    """The dictionary of a fill: every field of FIELDS, as of the period's as-of day (records dated later are
    left out), personal fields masked when `p.masked`."""
    from db import branch, clock, development, dues, meetings, members
    from db.development.person import _RosterCache, person_of
    from db.development.summary import _stage_on
    from db.findings import SEVERITY_LABELS, check
    from db.rules.development import STAGE_LABELS
    from db.rules.meetings import KIND_SHORT

    year, quarter, start, end, as_of = period_of(p)
    ctx: dict[str, Any] = {}
    b = branch.get_branch(ledger)
    for name, v in (
        ("名称", b.name if b else ""),
        ("上级党组织", b.upper_org if b else ""),
        ("所在园区", b.park if b else ""),
        ("所在单位", b.enterprise if b else ""),
        ("成立日期", b.founded_on if b else ""),
    ):
        _set(ctx, f"支部.{name}", v or "")
    label = f"{year}年第{quarter}季度" if quarter else (p.period_label() or f"{year}年")
    ctx["期间"] = {
        "年度": year,
        "季度": quarter or "",
        "名称": label,
        "开始": start,
        "结束": end,
        "统计日": as_of,
        "填表日期": clock.today(),
    }

    roster = members.roster_on(ledger, as_of)
    groups = {g.id: g.name for g in branch.list_groups(ledger)}
    ctx["统计"] = {
        "党员总数": len(roster),
        "正式党员": sum(1 for r in roster if r.category == "full"),
        "预备党员": sum(1 for r in roster if r.category != "full"),
        "女党员": sum(1 for r in roster if r.member.gender == "female"),
        "少数民族党员": sum(
            1 for r in roster if r.member.ethnicity and r.member.ethnicity not in ("汉族", "汉")
        ),
        "大专及以上学历": sum(1 for r in roster if (r.member.education or "") in members.COLLEGE_OR_ABOVE),
        "党小组数": len(branch.groups_on(ledger, as_of)),
    }
    ctx["党员"] = [
        _row(
            "党员",
            {
                "序号": i,
                "姓名": r.member.name,
                "性别": r.member.gender_label,
                "民族": r.member.ethnicity,
                "出生日期": r.member.birth_date,
                "身份证号": r.member.id_number,
                "学历": r.member.education,
                "人员类别": members.CATEGORY_LABELS.get(r.category, r.category),
                "入党日期": r.member.joined_on,
                "转正日期": r.member.full_on if r.category == "full" else None,
                "工作岗位": r.member.job,
                "党内职务": r.member.post,
                "党小组": groups.get(r.group_id, "") if r.group_id else "",
                "手机号": r.member.phone,
            },
            p.masked,
        )
        for i, r in enumerate(roster, 1)
    ]

    held = [m for m in meetings.list_meetings(ledger, year) if start <= m.date <= min(end, as_of)]
    held.sort(key=lambda m: (m.date, m.id))
    period_counts = {KIND_LABELS[k]: {"次数": sum(1 for m in held if k in m.kinds)} for k in KINDS}
    summary = meetings.year_summary(ledger, year, min(as_of, dt.date(year, 12, 31)))
    year_counts = {
        KIND_LABELS[k]: {"次数": summary["held"].get(k, 0), "应开": summary["required"].get(k, 0)}
        for k in KINDS
    }
    ctx["会议"] = {
        "本期": period_counts,
        "本年": year_counts,
        "列表": [
            _row(
                "会议.列表",
                {
                    "序号": i,
                    "日期": m.date,
                    "类型": "、".join(KIND_SHORT[k] for k in KINDS if k in m.kinds),
                    "主题": m.topic,
                    "应到": m.expected,
                    "实到": m.present,
                },
                p.masked,
            )
            for i, m in enumerate(held, 1)
        ],
    }

    ys = dues.year_summary(ledger, year, as_of)
    rows = dues.year_rows(ledger, year, as_of=as_of)
    ctx["党费"] = {
        "本年应交": Decimal(ys["due"]),
        "本年实交": Decimal(ys["paid"]),
        "本年上缴": Decimal(ys["remitted"]),
        "欠交人数": ys["arrears_members"],
        "明细": [
            _row(
                "党费.明细",
                {
                    "序号": i,
                    "姓名": r.name,
                    "月交纳额": r.monthly_due,
                    "本年应交": r.total_due,
                    "本年实交": r.total_paid,
                },
                p.masked,
            )
            for i, r in enumerate(rows, 1)
        ],
    }

    dev = development.year_summary(ledger, year, as_of)
    by_stage = dev["by_stage"]
    names: list[dict[str, Any]] = []
    cache = _RosterCache(ledger)
    for a in development.list_applicants(ledger):
        stage = _stage_on(person_of(ledger, a, cache), as_of)
        if stage is None or stage == "stopped":
            continue
        names.append(
            _row(
                "发展.名单",
                {
                    "序号": len(names) + 1,
                    "姓名": a.name,
                    "性别": a.gender_label,
                    "出生日期": a.birth_date,
                    "身份证号": a.id_number,
                    "学历": a.education,
                    "阶段": STAGE_LABELS.get(stage, stage),
                    "申请日期": a.date_of("applied"),
                },
                p.masked,
            )
        )
    ctx["发展"] = {
        "申请人": by_stage.get("applicant", 0),
        "积极分子": by_stage.get("activist", 0),
        "发展对象": by_stage.get("candidate", 0),
        "预备党员": by_stage.get("probationary", 0),
        "本年接收预备党员": dev["admitted"],
        "本年转正": dev["converted"],
        "名单": names,
    }

    found = check(ledger, as_of)
    ctx["问题"] = {
        "问题数": sum(1 for f in found if f.severity == "error"),
        "提醒数": sum(1 for f in found if f.severity == "warning"),
        "待办数": sum(1 for f in found if f.severity == "reminder"),
        "列表": [
            _row(
                "问题.列表",
                {
                    "序号": i,
                    "代码": f.code,
                    "类别": f.area,
                    "级别": SEVERITY_LABELS[f.severity],
                    "对象": f.subject_name,
                    "说明": f.message,
                },
                p.masked,
            )
            for i, f in enumerate(found, 1)
        ],
    }
    return ctx
