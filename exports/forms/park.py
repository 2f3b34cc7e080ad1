"""The liaison's park 字段表 (园区字段表): what a park-level template (the liaison's own report to the district)
can use, filled from many branches' verified hand-in packages (exports/aggregate.py) — one row per branch
(`各支部`), the park's totals (`合计`), the packages not counted (`未计入`). Same engine, sandbox and unknown-name
refusal as the branch forms; the numbers are the ones of the 联络员汇总 table (each package's manifest summary).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exports.forms.engine import FormError, Usage
from exports.forms.fields import DATE, INT, LIST, MONEY, TEXT, Dictionary, Field

if TYPE_CHECKING:
    from exports.aggregate import AggregateResult, BranchRow

# (name, kind, description, BranchRow attribute or callable name): the numbers of one branch; the totals use
# the same names under 合计.
_NUMBERS: tuple[tuple[str, str, str], ...] = (
    ("党员总数", INT, "在册党员（含预备党员）"),
    ("正式党员", INT, "正式党员人数"),
    ("预备党员", INT, "预备党员人数"),
    ("三会一课已开", INT, "三会一课已开期数（按应开计，超出不计）"),
    ("三会一课应开", INT, "三会一课应开期数"),
    ("党费应交", MONEY, "本年应交党费（元）"),
    ("党费实交", MONEY, "本年实交党费（元）"),
    ("党费上缴", MONEY, "本年已上缴党费（元）"),
    ("申请人", INT, "入党申请人人数"),
    ("积极分子", INT, "入党积极分子人数"),
    ("发展对象", INT, "发展对象人数"),
    ("发展预备党员", INT, "发展流程中尚未转正的预备党员人数"),
    ("本年发展", INT, "本年接收的预备党员人数"),
    ("六个一达标", INT, "“六个一”清单达标项数"),
    ("六个一项数", INT, "“六个一”清单项数"),
    ("问题数", INT, "问题（红色）条数"),
    ("提醒数", INT, "提醒（橙色）条数"),
    ("待办数", INT, "待办（蓝色）条数"),
)

PARK_FIELDS: tuple[Field, ...] = (
    Field("汇总.年度", TEXT, "报送包的年度（几个年度时用顿号分开）"),
    Field("汇总.支部数", INT, "计入的支部个数"),
    Field("汇总.报送包数", INT, "读取的报送包个数"),
    Field("汇总.未计入数", INT, "未计入的报送包个数（被改动、不全、无法读取或被较新的取代）"),
    Field("汇总.汇总日期", DATE, "汇总的日期（今天）"),
    Field("各支部", LIST, "计入的支部，一支部一行（按支部名称）"),
    Field("各支部.序号", INT, "行号，从1起"),
    Field("各支部.名称", TEXT, "党支部名称"),
    Field("各支部.上级党组织", TEXT, "上级党组织"),
    Field("各支部.年度", INT, "报送包的年度"),
    *(Field(f"各支部.{n}", k, d) for n, k, d in _NUMBERS),
    Field("各支部.报送日期", DATE, "报送包生成的日期"),
    Field("各支部.报送方式", TEXT, "脱敏版 / 完整版 / 交接版"),
    Field("各支部.说明", TEXT, "说明（如另有较早的报送包未计入）"),
    *(Field(f"合计.{n}", k, f"各支部{d}之和") for n, k, d in _NUMBERS),
    Field("未计入", LIST, "未计入的报送包，一个一行"),
    Field("未计入.序号", INT, "行号"),
    Field("未计入.名称", TEXT, "党支部名称（读不出时为文件名）"),
    Field("未计入.文件", TEXT, "报送包的文件或文件夹名"),
    Field("未计入.状态", TEXT, "已被较新的报送包取代 / 文件被改动 / 文件不全 / 无法读取"),
    Field("未计入.说明", TEXT, "哪里不对"),
)

PARK = Dictionary("园区字段表", PARK_FIELDS)

PROFILE_LABELS = {"masked": "脱敏版", "full": "完整版", "handover": "交接版"}


def _numbers(r: BranchRow) -> dict[str, Any]:
    return {
        "党员总数": r.members,
        "正式党员": r.full,
        "预备党员": r.probationary,
        "三会一课已开": r.meetings_held,
        "三会一课应开": r.meetings_required,
        "党费应交": r.dues_due,
        "党费实交": r.dues_paid,
        "党费上缴": r.dues_remitted,
        "申请人": r.stage("applicant"),
        "积极分子": r.stage("activist"),
        "发展对象": r.stage("candidate"),
        "发展预备党员": r.stage("probationary"),
        "本年发展": r.admitted,
        "六个一达标": r.checklist_met,
        "六个一项数": r.checklist_items,
        "问题数": r.findings.get("error", 0),
        "提醒数": r.findings.get("warning", 0),
        "待办数": r.findings.get("reminder", 0),
    }


def _blank(v: Any) -> Any:
    return "" if v is None else v


def park_context(result: AggregateResult) -> dict[str, Any]:
    """The park dictionary filled from an aggregate: every counted branch a row, totals, the rest listed."""
    from db import clock

    rows = sorted(result.counted, key=lambda r: r.branch)
    branches = []
    for i, r in enumerate(rows, 1):
        branches.append(
            {
                "序号": i,
                "名称": r.branch,
                "上级党组织": r.upper_org or "",
                "年度": _blank(r.year),
                **{k: _blank(v) for k, v in _numbers(r).items()},
                "报送日期": _blank(r.created_date),
                "报送方式": PROFILE_LABELS.get(r.profile or "", r.profile or ""),
                "说明": r.note,
            }
        )
    totals: dict[str, Any] = {}
    for name, kind, _d in _NUMBERS:
        vals = [v for v in (_numbers(r)[name] for r in rows) if v is not None]
        zero: Any = Decimal("0.00") if kind == MONEY else 0
        totals[name] = sum(vals, zero) if vals else ""
    other = [r for r in result.rows if not r.counted]
    return {
        "汇总": {
            "年度": "、".join(map(str, result.years)),
            "支部数": len(rows),
            "报送包数": len(result.rows),
            "未计入数": len(other),
            "汇总日期": clock.today(),
        },
        "各支部": branches,
        "合计": totals,
        "未计入": [
            {"序号": i, "名称": r.branch, "文件": r.source.name, "状态": r.status_label, "说明": r.note}
            for i, r in enumerate(other, 1)
        ],
    }


def inspect_park(template: Path) -> Usage:
    from exports import forms

    return forms.inspect(template, PARK)


def fill_park(result: AggregateResult, template: Path, out: Path) -> Any:
    """Fill a park template (.xlsx/.docx) from an aggregate into `out`; unknown names refused by cell."""
    from exports import forms

    if not result.counted:
        raise FormError([("报送包", "没有可计入的报送包，园区表格没有可填的数")], template.name)
    return forms.fill_context(template, out, park_context(result), PARK)
