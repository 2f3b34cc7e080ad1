"""`stats` 党内统计简表 — the branch's figures as of 31 December (RULES.md §6.6): totals, women, ethnic
minorities, education, age bands, occupation, 入党时间 bands, the year's development figures, and the 流动党员/奖惩/关怀 figures (stats_life.py)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import TYPE_CHECKING, Any

from db import branch, clock, members
from db.dates import age_on, fmt_zh
from exports.registry import Params, Template, register
from exports.report import Block, Column, KeyValues, Paragraph, Report, Signatures, Table
from exports.templates.stats_life import life_blocks

if TYPE_CHECKING:
    from db.connection import Ledger

AGE_BANDS: list[tuple[str, int, int]] = [
    ("30岁及以下", 0, 30),
    ("31至35岁", 31, 35),
    ("36至40岁", 36, 40),
    ("41至45岁", 41, 45),
    ("46至50岁", 46, 50),
    ("51至55岁", 51, 55),
    ("56至60岁", 56, 60),
    ("61岁及以上", 61, 200),
]
# 入党时间 as in the national 党内统计公报.
JOIN_BANDS: list[tuple[str, dt.date, dt.date]] = [
    ("新中国成立前", dt.date.min, dt.date(1949, 9, 30)),
    ("新中国成立后至党的十一届三中全会前", dt.date(1949, 10, 1), dt.date(1978, 12, 17)),
    ("党的十一届三中全会后至党的十八大前", dt.date(1978, 12, 18), dt.date(2012, 11, 7)),
    ("党的十八大以来", dt.date(2012, 11, 8), dt.date.max),
]
HAN = {"汉族", "汉"}
# Labels of the development figures (db.development.yearly_figures), in print order.
DEV_LABELS = [
    ("admitted", "发展党员（接收预备党员）"),
    ("women", "其中：女"),
    ("minorities", "少数民族"),
    ("ethnic_minorities", "少数民族"),
    ("age_35_under", "35岁及以下"),
    ("under_35", "35岁及以下"),
    ("young", "35岁及以下"),
    ("college", "大专及以上学历"),
    ("college_or_above", "大专及以上学历"),
    ("frontline", "生产工作一线"),
    ("converted", "预备党员转正"),
]


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "—"


def is_minority(ethnicity: str | None) -> bool:
    return bool(ethnicity) and ethnicity not in HAN


def development_block(ledger: Ledger, year: int) -> list[Block]:
    try:
        development = importlib.import_module("db.development")
        figures: dict[str, Any] = development.yearly_figures(ledger, year)
    except (ModuleNotFoundError, AttributeError):
        return [Paragraph("本程序尚未记录发展党员数据。", heading="五、发展党员")]
    rows: list[list[Any]] = []
    seen: set[str] = set()
    for key, label in DEV_LABELS:
        if key in figures and isinstance(figures[key], int) and label not in seen:
            seen.add(label)
            rows.append([label, figures[key]])
    for key, value in figures.items():
        if isinstance(value, dict):
            for code, n in value.items():
                rows.append(
                    [
                        f"按职业：{members.OCCUPATION_LABELS.get(str(code), str(code))}"
                        if "occupation" in key
                        else f"{key}：{code}",
                        n,
                    ]
                )
    return [
        Table(
            [Column("项目", 3.0), Column("人数", 1.0, "right", "int")], rows, heading=f"五、{year}年发展党员"
        )
    ]


def appraisal_block(ledger: Ledger, year: int) -> list[Block]:
    """六、民主评议党员情况 (年报表 第八表; RULES-EXT.md MP10): counts per 等次, no names."""
    try:
        appraisals = importlib.import_module("db.appraisals")
    except ModuleNotFoundError:
        return []
    a = appraisals.get_appraisal(ledger, year)
    if a is None:
        return [Paragraph(f"{year}年还没有登记民主评议结果。", heading="六、民主评议党员")]
    c = appraisals.grade_counts(a)
    rows: list[list[Any]] = [[appraisals.GRADE_LABELS[g], c[g]] for g in appraisals.GRADES]
    rows.append(["预备党员参加评议（不定等次）", c["probationary"]])
    rows.append(["在流入地党组织评议", c["elsewhere"]])
    return [
        Table(
            [Column("项目", 3.0), Column("人数", 1.0, "right", "int")],
            rows,
            heading=f"六、{year}年民主评议党员（{fmt_zh(a.held_on)}）",
        )
    ]


def changes_block(ledger: Ledger, year: int) -> list[Block]:
    """七、党员增减 (年报表; issue #18): 年初数, each kind of increase and decrease, 年末数, from the dated roster and the
    组织关系转接 records (db.transfers.year_changes), so that 年初数 + 增加 − 减少 = 年末数."""
    try:
        transfers = importlib.import_module("db.transfers")
    except ModuleNotFoundError:
        return []
    ch = transfers.year_changes(ledger, year)
    rows: list[list[Any]] = [[f"年初党员数（{year - 1}年12月31日）", ch.start]]
    rows.append(["本年增加", ch.increase])
    rows += [[f"　其中：{label}", ch.increases[k]] for k, label in transfers.INCREASE_LABELS.items()]
    rows.append(["本年减少", ch.decrease])
    rows += [[f"　其中：{label}", ch.decreases[k]] for k, label in transfers.DECREASE_LABELS.items()]
    rows.append([f"年末党员数（{year}年12月31日）", ch.end])
    return [
        Table(
            [Column("项目", 3.0), Column("人数", 1.0, "right", "int")],
            rows,
            heading=f"七、{year}年党员增减（年初数＋增加－减少＝年末数）",
        )
    ]


def build(ledger: Ledger, p: Params) -> Report:
    year = p.year or clock.today().year
    on = dt.date(year, 12, 31)
    roster = members.roster_on(ledger, on)
    total = len(roster)
    full = sum(1 for r in roster if r.category == "full")
    women = sum(1 for r in roster if r.member.gender == "female")
    minority = sum(1 for r in roster if is_minority(r.member.ethnicity))
    college = sum(1 for r in roster if (r.member.education or "") in members.COLLEGE_OR_ABOVE)
    blocks: list[Block] = [
        KeyValues(
            [
                ("党员总数", total),
                ("正式党员", full),
                ("预备党员", total - full),
                ("女党员", f"{women}（{pct(women, total)}）"),
                ("少数民族党员", f"{minority}（{pct(minority, total)}）"),
                ("大专及以上学历", f"{college}（{pct(college, total)}）"),
            ],
            columns=3,
            heading="一、基本情况",
        )
    ]
    cols = [Column("类别", 3.0), Column("人数", 1.0, "right", "int"), Column("占比", 1.0, "right")]
    ages: list[list[Any]] = []
    unknown_age = sum(1 for r in roster if r.member.birth_date is None)
    for label, lo, hi in AGE_BANDS:
        n = sum(1 for r in roster if r.member.birth_date and lo <= age_on(r.member.birth_date, on) <= hi)
        ages.append([label, n, pct(n, total)])
    if unknown_age:
        ages.append(["出生日期未填写", unknown_age, pct(unknown_age, total)])
    blocks.append(Table(cols, ages, heading="二、年龄（按12月31日计算）"))
    occ: list[list[Any]] = []
    for code, label in members.OCCUPATION_LABELS.items():
        n = sum(1 for r in roster if r.member.occupation == code)
        occ.append([label, n, pct(n, total)])
    missing = sum(1 for r in roster if r.member.occupation not in members.OCCUPATION_LABELS)
    if missing:
        occ.append(["职业未填写", missing, pct(missing, total)])
    blocks.append(Table(cols, occ, heading="三、职业"))
    joins: list[list[Any]] = []
    for jlabel, jlo, jhi in JOIN_BANDS:
        n = sum(1 for r in roster if r.member.joined_on and jlo <= r.member.joined_on <= jhi)
        joins.append([jlabel, n, pct(n, total)])
    no_join = sum(1 for r in roster if r.member.joined_on is None)
    if no_join:
        joins.append(["入党时间未填写", no_join, pct(no_join, total)])
    blocks.append(Table(cols, joins, heading="四、入党时间"))
    blocks.extend(development_block(ledger, year))
    blocks.extend(appraisal_block(ledger, year))
    blocks.extend(changes_block(ledger, year))
    blocks.extend(life_blocks(ledger, year))  # 流动党员, 奖惩 and 关怀 (exports/templates/stats_life.py)
    blocks.append(Signatures(["填报人", "支部书记"]))
    return Report(
        title=f"{year}年党内统计简表",
        subtitle=f"{branch.branch_name(ledger)}　　统计时点：{fmt_zh(on)}",
        blocks=blocks,
        footer_note="统计口径：截至12月31日在册党员（含预备党员）；年龄按当日周岁；学历“大专及以上”含大学专科、"
        "本科和研究生；入党时间分段同全国党内统计公报。正式报表以上级党委下发的党内统计表为准。",
        sheet_name="党内统计",
    )


register(
    Template(
        key="stats",
        title="党内统计简表",
        build=build,
        needs=("year",),
        accepts=("year",),
        period_note="党内统计以12月31日为统计时点，按年度编制",
        description="截至12月31日的党员总数、女党员、少数民族、学历、年龄段、职业、入党时间、本年发展党员数和党员增减（转入、转出、死亡、出党、停止党籍）",
    )
)
