"""Branch settings: local practice the party's rules leave open (RULES.md marks them PRACTICE/UNCONFIRMED)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.connection import Ledger


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    label: str
    help: str
    choices: tuple[tuple[Any, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    rule: str = ""  # the finding code it tunes: shown in the tooltip only, never in the text (issue #14)


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "lecture_cadence",
        "quarter",
        "党课频次",
        "支部工作条例未规定支部党课次数，多数地方要求每季度一次，默认每季度。",
        (("quarter", "每季度"), ("half_year", "每半年"), ("year", "每年")),
    ),
    SettingSpec(
        "late_entry_days",
        30,
        "补记天数",
        "会后超过此天数才录入的记录标为“补记”。",
        minimum=1,
        maximum=365,
        rule="M10",
    ),
    SettingSpec(
        "makeup_max_months",
        6,
        "补交上限（月）",
        "党费规定第十二条：补交一般不超过6个月。",
        minimum=0,
        maximum=24,
    ),
    SettingSpec(
        "prepay_max_months",
        6,
        "预交上限（月）",
        "预交党费的月数上限（各地做法不一，默认6个月）。",
        minimum=0,
        maximum=24,
    ),
    SettingSpec(
        "remittance_period",
        "quarter",
        "党费上缴周期",
        "向上级党委上缴党费的周期。",
        (("month", "每月"), ("quarter", "每季度"), ("half_year", "每半年")),
    ),
    SettingSpec(
        "remittance_due_day",
        10,
        "上缴截止日",
        "上缴期结束后次月的第几日前上缴（如季度末次月10日）。",
        minimum=1,
        maximum=28,
    ),
    SettingSpec(
        "rounding",
        "half_up_cent",
        "党费取整",
        "党费规定未明确取整方法，默认计算到分、四舍五入。",
        (("half_up_cent", "到分，四舍五入"), ("half_up_jiao", "到角，四舍五入")),
    ),
    SettingSpec(
        "dues_cap",
        "1000.00",
        "月党费提示上限",
        "2017通知：每月党费一般不超过1000元，超过时请书记确认。",
        rule="P04",
    ),
    SettingSpec(
        "publicity_working_days",
        5,
        "公示工作日",
        "发展对象、接收、转正前公示的工作日数（地方惯例5或7天）。",
        minimum=1,
        maximum=15,
    ),
    SettingSpec(
        "activist_min_months",
        3,
        "申请到积极分子最少月数",
        "递交申请书后至少多少个月才确定为积极分子（地方惯例3或6个月）。",
        minimum=0,
        maximum=24,
        rule="D04",
    ),
    SettingSpec(
        "election_quorum",
        "four_fifths_inclusive",
        "选举大会有效人数",
        "选举时有选举权的到会党员须超过应到会人数的五分之四；中组部解释“五分之四以上”含本数，默认恰好五分之四即有效。",
        (("four_fifths_inclusive", "达到4/5即有效（中组部解释）"), ("four_fifths_strict", "须超过4/5")),
    ),
    SettingSpec(
        "pre_review_months",
        1,
        "预审期限（月）",
        "发展党员：支委会审查后约几个月内完成上级党委预审（地方惯例约1个月，仅用于提示期限）。",
        minimum=1,
        maximum=12,
    ),
    SettingSpec(
        "branch_vote_months",
        1,
        "支部大会期限（月）",
        "发展党员：预审后约几个月内召开支部大会讨论接收（地方惯例约1个月，仅用于提示期限）。",
        minimum=1,
        maximum=12,
    ),
    SettingSpec(
        "full_vote_grace_days",
        0,
        "转正讨论宽限（天）",
        "预备期满后多少天内召开支部大会讨论转正仍算及时（细则要求及时讨论，默认0天）。",
        minimum=0,
        maximum=180,
        rule="D23",
    ),
    SettingSpec(
        "meeting_check_years",
        2,
        "三会一课检查年数",
        "工作台和检查报告核对几个年度的三会一课（2 = 今年和去年）；更早的缺开只在年度一览中显示。",
        minimum=1,
        maximum=10,
    ),
    SettingSpec(
        "lock_idle_minutes",
        10,
        "自动锁定（分钟）",
        "设有台账密码时，多少分钟没有操作就锁定台账、隐藏全部个人信息，需重新输入密码（也可随时按 Ctrl+L 锁定）。",
        minimum=1,
        maximum=240,
    ),
    SettingSpec(
        "attachment_max_mb",
        10,
        "附件大小上限（MB）",
        "每个附件（照片、扫描件）的大小上限。",
        minimum=1,
        maximum=100,
    ),
    # 组织生活 (RULES-EXT.md §8–§10): local practice and unconfirmed values, labelled as such on screen.
    SettingSpec(
        "appraisal_excellent_cap",
        "third",
        "民主评议优秀比例（地方惯例）",
        "共产党员网指导意见“优秀一般不超过党员总数的1/3”，超过时提醒；部分单位“不下指标、不定比例”。",
        (("third", "一般不超过1/3"), ("none", "不设比例")),
        rule="O02",
    ),
    SettingSpec(
        "appraisal_denominator",
        "rated",
        "优秀比例的分母（未确认）",
        "“党员总数”是否含不评定等次的预备党员未见明确规定，默认按参加评定等次的正式党员计算。",
        (("rated", "参加评定等次的正式党员"), ("all", "党员总数（含预备党员）")),
        rule="O02",
    ),
    SettingSpec(
        "talk_rule",
        "minimum",
        "谈心谈话覆盖口径（未确认）",
        "条例要求支委之间、支委和党员之间、党员和党员之间每年一般不少于1次，未说“两两之间”。"
        "默认每名党员至少与一名支委、一名其他党员谈过，支委两两之间都谈过；也可要求每名党员与每名支委都谈过。",
        (("minimum", "每类至少1次（支委两两之间）"), ("every_pair", "每名党员与每名支委")),
        rule="O04",
    ),
    SettingSpec(
        "talk_window_days",
        30,
        "组织生活会前谈心谈话天数（地方惯例）",
        "组织生活会前应开展谈心谈话；会前多少天内（含会议当天）的谈话算作会前谈话，未见全国统一规定。",
        minimum=1,
        maximum=120,
        rule="O05",
    ),
    SettingSpec(
        "study_target_committee",
        56,
        "书记、支委年度学时目标（2019规划数值，2026年未确认）",
        "2019—2023年规划要求基层党组织书记和班子成员每年不少于56学时（含至少1次集中培训）；"
        "2024—2028年规划的数值未能核实，默认沿用56，请按上级要求调整。党员一般不少于32学时（条例规定，不可调）。",
        minimum=32,
        maximum=200,
        rule="O06",
    ),
    SettingSpec(
        "study_meeting_kinds",
        "lecture_theme_day",
        "计入学时的支部活动（地方惯例）",
        "哪些支部活动作为集体学习计入学时，各上级党委规定不同；按出席记录、每小时1学时计。",
        (
            ("lecture_theme_day", "党课和主题党日"),
            ("lecture", "只计党课"),
            ("all_study", "党课、主题党日、党员大会、党小组会"),
        ),
        rule="O06",
    ),
    SettingSpec(
        "transfer_valid_days",
        30,
        "组织关系介绍信有效期（天，地方惯例）",
        "介绍信有效期各地不一：同城一般10天、异地30天，最长不超过3个月；网上转接常见30天（省内）或90天（跨省）。"
        "新开介绍信默认用此天数，可在每封信上修改。回执应在有效期满后一个月内退回。",
        minimum=1,
        maximum=90,
        rule="L01",
    ),
    SettingSpec(
        "study_default_meeting_hours",
        2,
        "未填起止时间的活动计学时（地方惯例）",
        "会议记录没有起止时间时，每次计入的学时数。",
        minimum=1,
        maximum=8,
        rule="O06",
    ),
    # 园区要求 (RULES-EXT.md §16): local practice of the park's upper committee, labelled as such on screen.
    SettingSpec(
        "guide_list_check",
        "on",
        "按主题党日指导清单提醒（地方惯例）",
        "上级党委（园区）下发主题党日指导清单时，月份结束后仍没有关联已开展的主题党日、也没有说明调整原因的清单项目，"
        "在工作台提醒。清单是园区的做法，不是全国统一规定；上级没有下发清单时可以关闭。",
        (("on", "提醒"), ("off", "不提醒")),
        rule="K01",
    ),
)
DEFAULTS: dict[str, Any] = {s.key: s.default for s in SPECS}
BY_KEY = {s.key: s for s in SPECS}


def get(ledger: Ledger, key: str, default: Any = None) -> Any:
    row = ledger.query_one("SELECT value FROM settings WHERE key=?", (key,))
    if row is not None:
        return json.loads(row[0])
    if key in DEFAULTS:
        return DEFAULTS[key]
    return default


def all_settings(ledger: Ledger) -> dict[str, Any]:
    out = dict(DEFAULTS)
    for key, value in ledger.query("SELECT key, value FROM settings"):
        out[key] = json.loads(value)
    return out


def validate(key: str, value: Any) -> Any:
    if key == "records_start_on":  # a date, not a spec'd setting: absent means "no start" (db/opening)
        from db.opening.start import validate_start

        return validate_start(value)
    spec = BY_KEY.get(key)
    if spec is None:
        return value
    if spec.choices and value not in [c for c, _ in spec.choices]:
        allowed = "、".join(label for _, label in spec.choices)
        raise ValueError(f"“{spec.label}”只能是：{allowed}")
    if spec.minimum is not None:
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"“{spec.label}”应为整数") from None
        if not spec.minimum <= value <= (spec.maximum or value):
            raise ValueError(f"“{spec.label}”应在 {spec.minimum} 到 {spec.maximum} 之间")
    return value


def set_value(ledger: Ledger, key: str, value: Any) -> None:
    """Write one setting (inside an operation)."""
    value = validate(key, value)
    ledger.conn.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        (key, json.dumps(value, ensure_ascii=False)),
    )


def update(ledger: Ledger, values: dict[str, Any]) -> None:
    with ledger.operation("UpdateSettings", "修改设置"):
        for k, v in values.items():
            set_value(ledger, k, v)
