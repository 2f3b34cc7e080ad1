"""The 25 steps of RULES.md §3 (keys, titles, the rule each follows), the stages and severities."""

from __future__ import annotations

from dataclasses import dataclass

# ------------------------------------------------------------------------------------------ the 25 steps


@dataclass(frozen=True)
class StepDef:
    key: str
    no: int
    stage: int  # 1..5 (RULES.md §3.1 stages)
    title: str
    actor: str
    documents: str
    repeatable: bool = False


STEPS: tuple[StepDef, ...] = (
    StepDef("applied", 1, 1, "递交入党申请书", "申请人", "入党申请书"),
    StepDef("talked", 2, 1, "党组织派人谈话", "支部书记/副书记/组织委员", "谈话记录"),
    StepDef(
        "activist",
        3,
        2,
        "确定入党积极分子",
        "支委会（不设支委会的为支部大会）",
        "党员推荐或群团推优材料、支委会会议记录",
    ),
    StepDef("activist_filed", 4, 2, "报上级党委备案（积极分子）", "党支部", "入党积极分子备案表"),
    StepDef("contacts_assigned", 5, 2, "指定培养联系人", "党支部", "培养联系人登记（1–2名正式党员）"),
    StepDef(
        "evaluations",
        6,
        2,
        "培养教育考察（每半年一次）",
        "党支部、培养联系人",
        "培养考察登记表、思想汇报",
        repeatable=True,
    ),
    StepDef("candidate", 7, 3, "确定发展对象", "支委会", "支委会会议记录、党小组和联系人及党员群众意见"),
    StepDef("candidate_filed", 8, 3, "报上级党委备案（发展对象）", "党支部", "发展对象备案表"),
    StepDef("sponsors_assigned", 9, 3, "确定入党介绍人", "党支部", "入党介绍人登记（2名正式党员）"),
    StepDef("political_review", 10, 3, "政治审查", "党支部", "政治审查综合材料（结论性意见）"),
    StepDef("training", 11, 3, "集中培训", "基层党委或县级党委组织部门", "集中培训结业证书（≥3天或≥24学时）"),
    StepDef("committee_review", 12, 4, "支部委员会审查", "支委会", "支委会审查意见"),
    StepDef("pre_review", 13, 4, "上级党委预审", "具有审批权限的基层党委", "预审意见"),
    StepDef("volunteer_form", 14, 4, "填写入党志愿书", "发展对象（介绍人指导）", "入党志愿书（编号）"),
    StepDef("branch_vote", 15, 4, "支部大会讨论接收", "支部党员大会", "支部大会会议记录、表决票、书面意见"),
    StepDef("upper_talk", 16, 4, "上级党委派人谈话", "党委委员或组织员", "谈话记录"),
    StepDef("approved", 17, 4, "上级党委审批", "基层党委（党委会集体讨论）", "审批意见"),
    StepDef("approval_filed", 18, 4, "再上一级党委组织部门备案", "基层党委", "备案材料"),
    StepDef("assigned_to_group", 19, 5, "编入党支部和党小组", "党支部", "编组记录"),
    StepDef("oath", 20, 5, "入党宣誓", "基层党委或党支部", "入党宣誓记录"),
    StepDef(
        "probation_evaluations",
        21,
        5,
        "继续教育考察",
        "党支部",
        "预备党员考察登记表、思想汇报",
        repeatable=True,
    ),
    StepDef("full_application", 22, 5, "提出转正申请", "预备党员", "转正申请书"),
    StepDef("full_vote", 23, 5, "支部大会讨论转正", "支部党员大会", "支部大会会议记录、表决情况"),
    StepDef("full_approved", 24, 5, "上级党委审批转正", "基层党委", "转正审批意见"),
    StepDef("archived", 25, 5, "材料归档", "党支部/基层党委", "入党材料归档目录"),
)
STEP_KEYS: tuple[str, ...] = tuple(s.key for s in STEPS)
BY_KEY: dict[str, StepDef] = {s.key: s for s in STEPS}
REPEATABLE = frozenset(s.key for s in STEPS if s.repeatable)
STAGE_TITLES = {
    1: "申请入党",
    2: "入党积极分子的确定和培养教育",
    3: "发展对象的确定和考察",
    4: "预备党员的接收",
    5: "预备党员的教育考察和转正",
}

# What must be recorded before a step can be entered (entry order; the dates must not go backwards either).
PREREQS: dict[str, tuple[str, ...]] = {
    "applied": (),
    "talked": ("applied",),
    "activist": ("talked",),
    "activist_filed": ("activist",),
    "contacts_assigned": ("activist",),
    "evaluations": ("activist",),
    "candidate": ("activist_filed", "contacts_assigned"),
    "candidate_filed": ("candidate",),
    "sponsors_assigned": ("candidate",),
    "political_review": ("candidate",),
    "training": ("candidate",),
    "committee_review": ("candidate_filed", "sponsors_assigned", "political_review", "training"),
    "pre_review": ("committee_review",),
    "volunteer_form": ("pre_review",),
    "branch_vote": ("volunteer_form",),
    "upper_talk": ("branch_vote",),
    "approved": ("upper_talk",),
    "approval_filed": ("approved",),
    "assigned_to_group": ("approved",),
    "oath": ("approved",),
    "probation_evaluations": ("branch_vote",),
    "full_application": ("approved",),
    "full_vote": ("full_application",),
    "full_approved": ("full_vote",),
    "archived": ("full_approved",),
}

STAGES = ("applicant", "activist", "candidate", "probationary", "full", "stopped")
STAGE_LABELS = {
    "applicant": "申请人",
    "activist": "积极分子",
    "candidate": "发展对象",
    "probationary": "预备党员",
    "full": "已转正",
    "stopped": "终止",
}

# RULES.md §3.2 levels; CONTRACT.md §4 maps them to severities.
LEVELS: dict[str, str] = {
    "D01": "block",
    "D02": "violation",
    "D03": "block",
    "D04": "warning",
    "D05": "violation",
    "D06": "violation",
    "D07": "warning",
    "D08": "block",
    "D09": "violation",
    "D10": "block",
    "D11": "block",
    "D12": "block",
    "D13": "block",
    "D14": "warning",
    "D15": "block",
    "D16": "violation",
    "D17": "warning",
    "D18": "block",
    "D19": "reminder",
    "D20": "derived",
    "D21": "reminder",
    "D22": "block",
    "D23": "warning",
    "D24": "warning",
    "D25": "block",
    "D26": "violation",
    "D27": "block",
    "D28": "derived",
    "D29": "derived",
}
RULE_TITLES: dict[str, str] = {
    "D01": "申请时年满18岁",
    "D02": "收到申请书后1个月内谈话",
    "D03": "积极分子从已谈话的申请人中确定",
    "D04": "申请满规定月数后确定积极分子",
    "D05": "积极分子报上级党委备案",
    "D06": "1至2名正式党员作培养联系人",
    "D07": "每半年考察一次",
    "D08": "培养教育考察满1年确定发展对象",
    "D09": "发展对象报上级党委备案",
    "D10": "2名正式党员作入党介绍人",
    "D11": "政治审查结论合格",
    "D12": "集中培训不少于3天或24学时",
    "D13": "支委会审查、上级预审后再开支部大会",
    "D14": "3个月内离开本单位的一般不接收",
    "D15": "接收预备党员的支部大会到会和表决过半数",
    "D16": "审批前上级党委派人谈话",
    "D17": "支部大会后3个月内审批",
    "D18": "审批机关为党委",
    "D19": "审批后报再上一级组织部门备案",
    "D20": "预备期自支部大会通过之日起1年",
    "D21": "审批后入党宣誓",
    "D22": "预备期满后才讨论转正",
    "D23": "预备期满及时讨论转正",
    "D24": "转正前提出书面申请",
    "D25": "转正支部大会到会和表决过半数",
    "D26": "转正大会后3个月内审批",
    "D27": "延长预备期只能一次，6至12个月",
    "D28": "党龄自预备期满之日算起",
    "D29": "预备党员自支部大会通过之日起交纳党费、无表决权",
}


def severity_of(level: str) -> str:
    return {"block": "error", "violation": "error", "warning": "warning"}.get(level, "reminder")
