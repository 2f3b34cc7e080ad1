"""The member record: the 党员 dataclass, its labels and choices, and its validation (RULES.md §7).

`validate` checks one `Member` without touching the ledger (ID checksum and agreement, 加入 after the 18th
birthday, 转正 only for 正式党员); the store (store.py), the interchange loader and the sheet import all call it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from db import clock
from db.dates import add_years, age_on, fmt_zh
from db.errors import Problem, ValidationResult
from db.rules import idcard

CATEGORY_LABELS = {"full": "正式党员", "probationary": "预备党员"}
STATUS_LABELS = {
    "active": "在册",
    "transferred_out": "已转出",
    "deceased": "去世",
    "left": "出党/除名",
    "suspended": "停止党籍",
}
GENDER_LABELS = {"male": "男", "female": "女"}
OCCUPATION_LABELS = {
    "worker": "工人（工勤技能人员）",
    "farmer": "农牧渔民",
    "professional": "企事业单位、社会组织专业技术人员",
    "manager": "企事业单位、社会组织管理人员",
    "official": "党政机关工作人员",
    "student": "学生",
    "retired": "离退休人员",
    "other": "其他职业人员",
}
ETHNICITY_CHOICES = (  # the common ones first; 其他 for the rest
    "汉族",
    "回族",
    "满族",
    "蒙古族",
    "壮族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "土家族",
    "朝鲜族",
    "其他",
)
EDUCATION_CHOICES = (
    "研究生（博士）",
    "研究生（硕士）",
    "大学本科",
    "大学专科",
    "中等专科",
    "高中",
    "初中及以下",
)
COLLEGE_OR_ABOVE = {
    "研究生（博士）",
    "研究生（硕士）",
    "研究生",
    "博士",
    "硕士",
    "大学本科",
    "本科",
    "大学专科",
    "大专",
}


@dataclass
class Member:
    id: int | None = None
    name: str = ""
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    education: str | None = None
    category: str = "full"
    joined_on: dt.date | None = None
    full_on: dt.date | None = None
    status: str = "active"
    status_changed_on: dt.date | None = None
    in_branch_since: dt.date | None = None
    group_id: int | None = None
    job: str | None = None
    post: str | None = None
    occupation: str | None = None
    frontline: bool = False
    phone: str | None = None
    landline: str | None = None
    address: str | None = None
    is_mobile: bool = False
    mobile_destination: str | None = None
    lost_contact_since: dt.date | None = None
    notes: str | None = None

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def gender_label(self) -> str:
        return GENDER_LABELS.get(self.gender or "", "")

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def masked_id(self) -> str:
        return idcard.mask(self.id_number)

    @property
    def masked_phone(self) -> str:
        return idcard.mask_phone(self.phone)

    def age(self, on: dt.date) -> int | None:
        return age_on(self.birth_date, on) if self.birth_date else None


DATE_FIELDS = {f.name for f in fields(Member) if "date" in str(f.type) and "dt.date" in str(f.type)}
BOOL_FIELDS = {"frontline", "is_mobile"}
COLUMNS = [f.name for f in fields(Member) if f.name != "id"]

FIELD_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "id_number": "公民身份号码",
    "education": "学历",
    "category": "人员类别",
    "joined_on": "加入党组织日期",
    "full_on": "转为正式党员日期",
    "status": "党籍状态",
    "status_changed_on": "状态变更日期",
    "in_branch_since": "转入本支部日期",
    "group_id": "党小组",
    "job": "工作岗位",
    "post": "党内职务",
    "occupation": "职业",
    "frontline": "生产工作一线",
    "phone": "手机号",
    "landline": "固定电话",
    "address": "家庭住址",
    "is_mobile": "是否为流动党员",
    "mobile_destination": "外出流向",
    "lost_contact_since": "失去联系日期",
    "notes": "备注",
}


# ------------------------------------------------------------------------------------------ validation


def validate(m: Member, *, today: dt.date | None = None, strict_id: bool = True) -> ValidationResult:
    """RULES.md §7: ID checksum and agreement, 加入 after the 18th birthday, 转正 only for 正式党员.

    Fills gender and birth date from a valid ID number when they are empty, and normalises the number
    (lower-case x, 15 digits upgraded). `strict_id=False` turns ID problems into warnings (used by `load`,
    where `check` reports them as R01/R02 instead).
    """
    today = today or clock.today()
    res = ValidationResult()

    def err(field: str, msg: str, *, strict: bool = True) -> None:
        (res.errors if strict else res.warnings).append(Problem(msg, column=FIELD_LABELS.get(field, field)))

    m.name = (m.name or "").strip()
    if not m.name:
        err("name", "姓名不能为空")
    if m.id_number:
        raw = m.id_number
        try:
            info = idcard.parse(raw, today)
        except ValueError as e:
            err("id_number", str(e), strict=strict_id)
        else:
            m.id_number = info.number
            if m.gender is None:
                m.gender = info.gender
            elif m.gender != info.gender:
                err(
                    "gender",
                    f"性别“{GENDER_LABELS[m.gender]}”与公民身份号码（{GENDER_LABELS[info.gender]}）不一致",
                    strict=strict_id,
                )
            if m.birth_date is None:
                m.birth_date = info.birth_date
            elif m.birth_date != info.birth_date:
                err(
                    "birth_date",
                    f"出生日期 {fmt_zh(m.birth_date)} 与公民身份号码（{fmt_zh(info.birth_date)}）不一致",
                    strict=strict_id,
                )
    if m.category not in CATEGORY_LABELS:
        err("category", "人员类别只能是“正式党员”或“预备党员”")
    if m.status not in STATUS_LABELS:
        err("status", "党籍状态不正确")
    for f in ("joined_on", "full_on", "birth_date", "status_changed_on", "in_branch_since"):
        d = getattr(m, f)
        if d and d > today:
            err(f, f"{FIELD_LABELS[f]} {fmt_zh(d)} 晚于今天")
    if m.birth_date and m.joined_on and m.joined_on < add_years(m.birth_date, 18):
        err(
            "joined_on",
            f"加入党组织日期 {fmt_zh(m.joined_on)} 早于年满18岁（{fmt_zh(add_years(m.birth_date, 18))}）",
        )
    if m.category == "probationary" and m.full_on:
        err("full_on", "预备党员不应有转为正式党员日期")
    if m.full_on and m.joined_on:
        if m.full_on < m.joined_on:
            err("full_on", "转为正式党员日期早于加入党组织日期")
        elif m.full_on < add_years(m.joined_on, 1):
            err(
                "full_on",
                f"转为正式党员日期 {fmt_zh(m.full_on)} 早于预备期满（{fmt_zh(add_years(m.joined_on, 1))}）",
            )
        elif m.full_on != add_years(m.joined_on, 1):
            res.warnings.append(
                Problem(
                    f"转为正式党员日期不是入党满一年之日（{fmt_zh(add_years(m.joined_on, 1))}），如延长了预备期请在备注中说明",
                    column=FIELD_LABELS["full_on"],
                )
            )
    if m.category == "probationary" and not m.joined_on:
        err("joined_on", "预备党员需要加入党组织日期（支部大会通过之日）")
    if m.status != "active" and not m.status_changed_on:
        err("status_changed_on", f"党籍状态为“{STATUS_LABELS.get(m.status, m.status)}”时需要填写变更日期")
    if m.phone:
        digits = "".join(ch for ch in m.phone if ch.isdigit())
        if not (len(digits) == 11 and digits.startswith("1")):
            res.warnings.append(Problem("手机号不是11位手机号码", column=FIELD_LABELS["phone"]))
    if m.is_mobile and not m.mobile_destination:
        res.warnings.append(Problem("流动党员请填写外出流向", column=FIELD_LABELS["mobile_destination"]))
    return res
