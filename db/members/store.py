"""党员花名册: the roster, its validation (RULES.md §7) and the roster as it stood on any date."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any

from db import clock
from db.dates import add_years, age_on, fmt_zh, from_iso, iso
from db.errors import InputRefused, Problem, ValidationResult
from db.findings import Finding, provider
from db.rules import idcard

if TYPE_CHECKING:
    from db.connection import Ledger

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


def _from_row(row: sqlite3.Row) -> Member:
    data: dict[str, Any] = dict(row)
    for k in DATE_FIELDS:
        data[k] = from_iso(data.get(k))
    for k in BOOL_FIELDS:
        data[k] = bool(data.get(k))
    values: dict[str, Any] = {k: data.get(k) for k in ["id", *COLUMNS]}
    return Member(**values)


def _to_params(m: Member) -> dict[str, Any]:
    d = asdict(m)
    for k in DATE_FIELDS:
        d[k] = iso(d[k])
    for k in BOOL_FIELDS:
        d[k] = 1 if d[k] else 0
    return d


# ------------------------------------------------------------------------------------------ reading


def get(ledger: Ledger, member_id: int) -> Member:
    row = ledger.query_one("SELECT * FROM members WHERE id=?", (member_id,))
    if row is None:
        raise KeyError(member_id)
    return _from_row(row)


def list_members(ledger: Ledger, *, include_inactive: bool = True) -> list[Member]:
    sql = "SELECT * FROM members"
    if not include_inactive:
        sql += " WHERE status='active'"
    sql += " ORDER BY CASE status WHEN 'active' THEN 0 ELSE 1 END, id"
    return [_from_row(r) for r in ledger.query(sql)]


def names(ledger: Ledger) -> dict[int, str]:
    return {r[0]: r[1] for r in ledger.query("SELECT id, name FROM members")}


def _history(ledger: Ledger) -> dict[tuple[int, str], list[tuple[str, str | None, str | None]]]:
    out: dict[tuple[int, str], list[tuple[str, str | None, str | None]]] = {}
    for r in ledger.query(
        "SELECT member_id, field, changed_on, from_value, to_value FROM member_history ORDER BY changed_on, id"
    ):
        out.setdefault((r[0], r[1]), []).append((r[2], r[3], r[4]))
    return out


def _value_on(current: Any, changes: list[tuple[str, str | None, str | None]], on: dt.date) -> Any:
    """The value a field had on a date, from its current value and dated changes."""
    day = on.isoformat()
    before = [c for c in changes if c[0] <= day]
    if before:
        return before[-1][2]
    if changes:
        return changes[0][1]
    return current


@dataclass(frozen=True)
class MemberOn:
    """A member as they stood on a date: in the branch, with that day's category and 党小组."""

    member: Member
    category: str
    group_id: int | None

    @property
    def id(self) -> int:
        assert self.member.id is not None
        return self.member.id

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def can_vote(self) -> bool:
        """Only 正式党员 vote (党章 第七条; RULES.md §1.2)."""
        return self.category == "full"


def category_on(
    m: Member, on: dt.date, history: list[tuple[str, str | None, str | None]] | None = None
) -> str:
    if m.full_on and m.full_on <= on:
        return "full"
    if m.joined_on and m.joined_on <= on and (m.full_on is None or m.full_on > on):
        if m.category == "full" and m.full_on is None:
            return "full"
        return "probationary"
    if history:
        return str(_value_on(m.category, history, on))
    return m.category


def in_branch_on(
    m: Member, on: dt.date, status_history: list[tuple[str, str | None, str | None]] | None = None
) -> bool:
    """Whether the member belonged to the branch (and was in good standing) on that date."""
    since = m.in_branch_since or m.joined_on
    if since and since > on:
        return False
    status = _value_on(m.status, status_history or [], on) if status_history else None
    if status is None:
        if m.status == "active" or m.status_changed_on and m.status_changed_on > on:
            status = "active"
        else:
            status = m.status
    return status == "active"


def roster_on(ledger: Ledger, on: dt.date, *, group_id: int | None = None) -> list[MemberOn]:
    """The roster as it stood on a date: members then in the branch (people who left later included)."""
    hist = _history(ledger)
    out: list[MemberOn] = []
    for m in list_members(ledger):
        assert m.id is not None
        if not in_branch_on(m, on, hist.get((m.id, "status"))):
            continue
        g = _value_on(m.group_id, hist.get((m.id, "group_id"), []), on)
        gid = int(g) if g not in (None, "") else None
        if group_id is not None and gid != group_id:
            continue
        out.append(MemberOn(m, category_on(m, on, hist.get((m.id, "category"))), gid))
    return out


def counts_on(ledger: Ledger, on: dt.date) -> dict[str, int]:
    roster = roster_on(ledger, on)
    full = sum(1 for r in roster if r.category == "full")
    return {"total": len(roster), "full": full, "probationary": len(roster) - full}


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


# ------------------------------------------------------------------------------------------ writing


def _check_unique_id(ledger: Ledger, m: Member) -> None:
    if not m.id_number:
        return
    row = ledger.query_one(
        "SELECT id, name FROM members WHERE id_number=? AND id<>?", (m.id_number, m.id or -1)
    )
    if row:
        raise InputRefused([Problem(f"公民身份号码与已有党员“{row[1]}”重复", column="公民身份号码")])


def insert(ledger: Ledger, m: Member, *, validate_first: bool = True, strict_id: bool = True) -> int:
    """Insert inside the current operation; returns the new id."""
    if validate_first:
        res = validate(m, strict_id=strict_id)
        if res.errors:
            raise InputRefused(res.errors, f"党员“{m.name or '（无姓名）'}”的信息有误，未保存")
    _check_unique_id(ledger, m)
    params = _to_params(m)
    cols = COLUMNS if m.id is None else ["id", *COLUMNS]
    cur = ledger.conn.execute(
        f"INSERT INTO members({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})", params
    )
    return int(cur.lastrowid or 0) if m.id is None else m.id


def add(ledger: Ledger, m: Member) -> int:
    """AddMember: one operation."""
    with ledger.operation("AddMember", f"新增党员 {m.name}") as op:
        op.value = insert(ledger, m)
    return int(op.value)


def update(
    ledger: Ledger, m: Member, *, reason: str | None = None, changed_on: dt.date | None = None
) -> None:
    """UpdateMember: status, category and 党小组 changes are kept in the dated history."""
    assert m.id is not None
    res = validate(m)
    if res.errors:
        raise InputRefused(res.errors, f"党员“{m.name}”的信息有误，未保存")
    old = get(ledger, m.id)
    with ledger.operation("UpdateMember", f"修改党员 {m.name}"):
        _check_unique_id(ledger, m)
        for field in ("status", "category", "group_id"):
            before, after = getattr(old, field), getattr(m, field)
            if before != after:
                when = (m.status_changed_on if field == "status" else None) or changed_on or clock.today()
                if field == "category" and after == "full" and m.full_on:
                    when = m.full_on
                ledger.conn.execute(
                    "INSERT INTO member_history(member_id, field, from_value, to_value, changed_on, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        m.id,
                        field,
                        None if before is None else str(before),
                        None if after is None else str(after),
                        when.isoformat(),
                        reason,
                    ),
                )
        params = _to_params(m)
        sets = ", ".join(f"{c}=:{c}" for c in COLUMNS)
        ledger.conn.execute(f"UPDATE members SET {sets} WHERE id=:id", params)


def change_status(ledger: Ledger, member_id: int, status: str, on: dt.date, reason: str) -> None:
    """转出, 去世, 出党/除名, 停止党籍 (or back to 在册): the member stays in past records."""
    m = get(ledger, member_id)
    if status not in STATUS_LABELS:
        raise InputRefused([Problem("党籍状态不正确", column="党籍状态")])
    m.status = status
    m.status_changed_on = on
    update(ledger, m, reason=reason, changed_on=on)


def delete(ledger: Ledger, member_id: int) -> None:
    """Remove a member entered by mistake. A member who really left is given a status instead."""
    m = get(ledger, member_id)
    with ledger.operation("DeleteMember", f"删除党员 {m.name}"):
        try:
            ledger.conn.execute("UPDATE party_groups SET leader_id=NULL WHERE leader_id=?", (member_id,))
            ledger.conn.execute("DELETE FROM members WHERE id=?", (member_id,))
        except sqlite3.IntegrityError:
            raise InputRefused(
                [
                    Problem(
                        f"“{m.name}”已出现在会议、党费或其他记录中，不能删除。如已离开支部，请改为“转出”等党籍状态。"
                    )
                ]
            ) from None


def history_of(ledger: Ledger, member_id: int) -> list[sqlite3.Row]:
    return ledger.query(
        "SELECT field, from_value, to_value, changed_on, reason FROM member_history WHERE member_id=? "
        "ORDER BY changed_on, id",
        (member_id,),
    )


# ------------------------------------------------------------------------------------------ findings


@provider("members")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """R01 invalid ID number, R02 gender/birth date disagreeing with it (active members)."""
    out: list[Finding] = []
    for m in list_members(ledger, include_inactive=False):
        if not m.id_number:
            continue
        try:
            info = idcard.parse(m.id_number, as_of)
        except ValueError as e:
            out.append(Finding("R01", "error", "member", m.id, m.name, f"{m.name}的公民身份号码无效：{e}"))
            continue
        wrong = []
        if m.gender and m.gender != info.gender:
            wrong.append("性别")
        if m.birth_date and m.birth_date != info.birth_date:
            wrong.append("出生日期")
        if wrong:
            out.append(
                Finding(
                    "R02",
                    "error",
                    "member",
                    m.id,
                    m.name,
                    f"{m.name}的{'和'.join(wrong)}与公民身份号码不一致，请核对",
                )
            )
    return out
