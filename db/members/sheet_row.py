"""One row of a roster sheet -> a validated `Member`: the value vocabularies (性别, 人员类别, 党籍状态, 学历…),
the ID, dates in any style, yes/no columns, and the member rules of `members.validate`, with every problem put on
the sheet's own column. The reading of the sheet itself is db/sheets; the import flow is import_sheet.py."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from db import members
from db.dates import DateParseError, add_years, fmt_zh
from db.errors import Problem
from db.rules import idcard
from db.sheets import SheetRow, clean_name, date_from, name_problem, yes_no
from db.sheets.cells import id_number_from, is_number

DATE_KEYS = ("birth_date", "joined_on", "full_on", "status_changed_on", "lost_contact_since")
MONTH_HEADERS = {
    "出生年月",
    "失去联系日期",
    "失联日期",
    "失去联系时间",
}  # where a year and month is all that is asked

GENDERS = {"男": "male", "男性": "male", "女": "female", "女性": "female"}
CATEGORIES = {"正式党员": "full", "正式": "full", "预备党员": "probationary", "预备": "probationary"}
STATUSES = {
    "正常": "active",
    "在册": "active",
    "正常党籍": "active",
    "停止党籍": "suspended",
    "停止": "suspended",
    "已转出": "transferred_out",
    "转出": "transferred_out",
    "去世": "deceased",
    "死亡": "deceased",
    "已去世": "deceased",
    "出党": "left",
    "除名": "left",
    "出党/除名": "left",
    "开除党籍": "left",
}
EDUCATION = {
    "博士": "研究生（博士）",
    "博士研究生": "研究生（博士）",
    "研究生(博士)": "研究生（博士）",
    "硕士": "研究生（硕士）",
    "硕士研究生": "研究生（硕士）",
    "研究生(硕士)": "研究生（硕士）",
    "本科": "大学本科",
    "大本": "大学本科",
    "大专": "大学专科",
    "专科": "大学专科",
    "中专": "中等专科",
    "中技": "中等专科",
    "高中": "高中",
    "职高": "高中",
    "初中": "初中及以下",
    "小学": "初中及以下",
}


def _id_text(raw: Any, text: str) -> str:
    t = id_number_from(raw, text)
    return t if is_number(raw, text) else re.sub(r"\s+", "", text)


def _education(text: str) -> str:
    t = text.strip().replace("（", "(").replace("）", ")")
    return EDUCATION.get(t, text.strip())


def _occupation(text: str) -> str | None:
    t = text.strip()
    if not t:
        return None
    for code, label in members.OCCUPATION_LABELS.items():
        if t == label or t in label or label.startswith(t):
            return code
    return None


def member_from(
    rec: SheetRow, raw: dict[str, Any], fields: dict[str, str], today: dt.date
) -> tuple[members.Member | None, str | None, list[Problem], list[Problem]]:
    """One row -> a validated Member (None when a value cannot even be read), its 党小组 name, problems."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    bad: set[str] = set()  # items whose value could not be read

    def text(key: str) -> str:
        h = fields.get(key)
        return rec.values.get(h, "").strip() if h else ""

    def err(key: str, msg: str) -> None:
        bad.add(key)
        errors.append(Problem(msg, column=fields.get(key), value=text(key) or None))

    m = members.Member(name=clean_name(rec.name))
    why = name_problem(m.name, rec.name)
    if why:
        err("name", why)
    m.ethnicity = text("ethnicity") or None
    if m.ethnicity and len(m.ethnicity) <= 2 and not m.ethnicity.endswith("族") and m.ethnicity != "其他":
        m.ethnicity += "族"
    g = text("gender")
    if g:
        if g in GENDERS:
            m.gender = GENDERS[g]
        else:
            err("gender", f"性别“{g}”应为“男”或“女”")
    idh = fields.get("id_number")
    if idh and text("id_number"):
        try:
            m.id_number = _id_text(raw.get(idh), text("id_number"))
        except ValueError as e:
            err("id_number", str(e))
    dates: dict[str, dt.date | None] = {}
    month_only_birth = False
    for key in DATE_KEYS:
        h = fields.get(key)
        if not h or not text(key):
            continue
        month_ok = h in MONTH_HEADERS
        try:
            d = date_from(raw.get(h), text(key), month_ok)
        except DateParseError as e:
            err(key, str(e))
            continue
        if key == "birth_date" and month_ok and d is not None:
            month_only_birth = True
        dates[key] = d
    m.birth_date = dates.get("birth_date")
    m.joined_on = dates.get("joined_on")
    m.full_on = dates.get("full_on")
    m.status_changed_on = dates.get("status_changed_on")
    m.lost_contact_since = dates.get("lost_contact_since")
    if month_only_birth and m.birth_date and m.id_number:
        # 出生年月 gives only the month: agree with the ID by month, then take the exact day from the ID.
        try:
            info = idcard.parse(m.id_number, today)
        except ValueError:
            pass
        else:
            if (info.birth_date.year, info.birth_date.month) != (m.birth_date.year, m.birth_date.month):
                err(
                    "birth_date",
                    f"出生年月 {m.birth_date.year}年{m.birth_date.month}月 与公民身份号码"
                    f"（{fmt_zh(info.birth_date)}）不一致",
                )
            m.birth_date = None
    elif month_only_birth and m.birth_date:
        warnings.append(
            Problem(
                f"只有出生年月，按{m.birth_date.year}年{m.birth_date.month}月1日记录",
                column=fields.get("birth_date"),
            )
        )
    m.education = _education(text("education")) or None
    c = text("category")
    if c:
        if c in CATEGORIES:
            m.category = CATEGORIES[c]
        else:
            err("category", f"人员类别“{c}”应为“正式党员”或“预备党员”")
    elif m.full_on:
        m.category = "full"
    elif m.joined_on and add_years(m.joined_on, 1) > today:
        m.category = "probationary"
        warnings.append(Problem("人员类别未填，入党不满一年，按预备党员导入", column=fields.get("category")))
    else:
        m.category = "full"
        if fields.get("category"):
            warnings.append(Problem("人员类别未填，按正式党员导入", column=fields.get("category")))
    s = text("status")
    if s:
        if s in STATUSES:
            m.status = STATUSES[s]
        else:
            err("status", f"党籍状态“{s}”应为“正常”或“停止党籍”")
    m.job = text("job") or None
    m.post = text("post") or None
    occ = text("occupation")
    if occ:
        m.occupation = _occupation(occ)
        if m.occupation is None:
            warnings.append(
                Problem(f"职业“{occ}”不在党内统计的分类中，未导入此项", column=fields.get("occupation"))
            )
    phone = text("phone")
    m.phone = re.sub(r"\s+", "", phone) or None
    m.landline = text("landline") or None
    m.address = text("address") or None
    m.notes = text("notes") or None
    m.mobile_destination = text("mobile_destination") or None
    for key, attr in (("is_mobile", "is_mobile"), ("frontline", "frontline")):
        v = text(key)
        yn = yes_no(v)
        if yn is None:
            err(key, f"“{v}”应为“是”或“否”")
        else:
            setattr(m, attr, yn)
    lost = yes_no(text("lost_contact"))
    if lost is None:
        err("lost_contact", f"“{text('lost_contact')}”应为“是”或“否”")
    elif lost and not m.lost_contact_since and "lost_contact_since" not in bad:
        err(
            "lost_contact_since" if fields.get("lost_contact_since") else "lost_contact",
            "失联党员请填写失去联系日期（年月）",
        )
    elif not lost and m.lost_contact_since and fields.get("lost_contact"):
        warnings.append(
            Problem(
                "填了失去联系日期，但“是否为失联党员”为否，已按失联党员导入",
                column=fields.get("lost_contact"),
            )
        )
    group = text("group") or None

    if "id_number" in bad:
        m.id_number = None  # unreadable: validate the rest of the row without it
    res = members.validate(m, today=today)
    strict = {id(p) for p in res.errors}
    by_label = {v: k for k, v in members.FIELD_LABELS.items()}
    fallback = {
        "status_changed_on": "status",
        "gender": "id_number",
        "birth_date": "id_number",
        "lost_contact_since": "lost_contact",
    }
    for p in res.errors + res.warnings:
        key = by_label.get(p.column or "", "")
        col = fields.get(key) or fields.get(fallback.get(key, "")) or p.column
        if key in bad or (col and col in {fields.get(k) for k in bad}):
            continue  # the cell could not be read: that problem is already reported
        if key == "status_changed_on" and not fields.get(key):
            p.message += "（可在表中加一列“状态变更日期”）"
        p.column = col
        p.value = rec.values.get(col or "") or None
        if not any(e.column == p.column and e.message == p.message for e in errors):
            (errors if id(p) in strict else warnings).append(p)
    return (None if errors else m), group, errors, warnings
