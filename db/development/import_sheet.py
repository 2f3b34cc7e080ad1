"""Bring in the 发展党员工作台账 a secretary keeps in Excel (issue #15 §2): one row per person, the step dates in
columns headed by the step names and their common variants (递交入党申请书时间, 确定为入党积极分子时间, 确定为发展对象时间,
接收为预备党员时间, 转正时间…). Read by the shared tolerant reader (db/sheets) into the 25-step model; each person is
checked as the 发展党员 screen checks one (personal fields, dates in the order of the steps, nothing in the future),
then the rule clocks (D01–D29) are run over the imported record and every breach is listed, so the secretary sees
before importing what the 工作台 will say. All rows or none, as one operation ("ImportApplicants").

A person the sheet shows as 接收为预备党员 must already be on the roster (import the 花名册 first): they are linked to
their roster entry by 公民身份号码 (or by a name found once), never entered a second time."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from db import clock, members
from db.dates import DateParseError, fmt_zh, iso
from db.development.model import Applicant, StepEntry, validate
from db.development.person import person_of, practice
from db.development.store import _params
from db.errors import Problem
from db.rules import development as rules
from db.rules.development import BY_KEY, PREREQS, STEP_KEYS
from db.sheets import SheetSpec, clean_name, date_from, name_problem, norm_header, read_table
from db.sheets.cells import id_number_from
from db.sheets.result import SheetImport

if TYPE_CHECKING:
    from db.connection import Ledger

PERSON_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "申请人姓名", "发展对象姓名"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "birth_date": ("出生日期", "出生年月"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "公民身份证号码", "身份证"),
    "education": ("学历", "文化程度"),
    "job": ("工作岗位", "职务", "工作单位及职务"),
    "phone": ("手机号", "联系电话", "手机号码", "手机"),
    "notes": ("备注",),
}
# step key -> header texts (without the trailing 时间/日期, which is taken off before matching)
STEP_HEADERS: dict[str, tuple[str, ...]] = {
    "applied": ("递交入党申请书", "提交入党申请书", "递交申请书", "入党申请", "申请入党", "递交入党申请"),
    "talked": ("党组织派人谈话", "谈话", "派人谈话"),
    "activist": (
        "确定为入党积极分子",
        "确定入党积极分子",
        "列为入党积极分子",
        "入党积极分子",
        "确定积极分子",
    ),
    "activist_filed": ("积极分子备案", "入党积极分子备案", "报上级党委备案（积极分子）"),
    "contacts_assigned": ("指定培养联系人", "确定培养联系人"),
    "candidate": ("确定为发展对象", "确定发展对象", "列为发展对象", "发展对象"),
    "candidate_filed": ("发展对象备案", "报上级党委备案（发展对象）"),
    "sponsors_assigned": ("确定入党介绍人", "确定介绍人"),
    "political_review": ("政治审查", "政审"),
    "training": ("集中培训", "短期集中培训", "培训"),
    "committee_review": ("支部委员会审查", "支委会审查"),
    "pre_review": ("上级党委预审", "预审"),
    "volunteer_form": ("填写入党志愿书", "填写志愿书"),
    "branch_vote": (
        "接收为预备党员",
        "支部大会讨论接收",
        "支部大会接收",
        "吸收为预备党员",
        "发展为预备党员",
        "支部大会讨论",
        "入党",
    ),
    "upper_talk": ("上级党委派人谈话", "上级党委谈话"),
    "approved": ("上级党委审批", "审批", "党委审批"),
    "oath": ("入党宣誓", "宣誓"),
    "full_application": ("提出转正申请", "转正申请", "递交转正申请"),
    "full_vote": ("支部大会讨论转正", "支部大会通过转正"),
    "full_approved": ("上级党委审批转正", "转正", "转为正式党员", "批准转正"),
}
_TAIL = re.compile(r"(时间|日期|年月日)$")
_PERSON = {norm_header(v): k for k, vs in PERSON_HEADERS.items() for v in vs}
_STEPS = {norm_header(v): f"step:{k}" for k, vs in STEP_HEADERS.items() for v in (*vs, BY_KEY[k].title)}


def _ancestors(key: str) -> set[str]:
    """Every step that must come before `key` (the prerequisites, transitively)."""
    out: set[str] = set()
    todo = list(PREREQS[key])
    while todo:
        k = todo.pop()
        if k not in out:
            out.add(k)
            todo.extend(PREREQS[k])
    return out


def _compare_with_roster(
    res: ApplicantsImport,
    row: int,
    m: members.Member,
    by_key: dict[str, StepEntry],
    step_cols: dict[str, str],
) -> None:
    """The sheet and the roster should tell the same story; where they do not, say so (the roster is kept)."""
    vote = by_key["branch_vote"].date
    if m.joined_on is not None and m.joined_on != vote:
        res.warnings.append(
            res.problem(
                f"花名册中{m.name}的加入党组织日期是{fmt_zh(m.joined_on)}，与表中接收为预备党员的日期"
                f"{fmt_zh(vote)}不一致（花名册不会被改动，请核对）",
                row,
                step_cols.get("branch_vote"),
            )
        )
    if "full_approved" in by_key and m.category != "full":
        res.warnings.append(
            res.problem(
                f"表中{m.name}已转正，但花名册中仍是预备党员（花名册不会被改动，请核对）",
                row,
                step_cols.get("full_approved"),
            )
        )


def _classify(text: str) -> str | None:
    if text in _PERSON:
        return _PERSON[text]
    return _STEPS.get(_TAIL.sub("", text))


APPLICANTS = SheetSpec(
    what="发展党员工作台账",
    classify=_classify,
    accepts=lambda keys: "name" in keys and any(k.startswith("step:") for k in keys),
    header_hint="表头行应含“姓名”，以及各步骤的日期列，如“递交入党申请书时间”“确定为入党积极分子时间”"
    "“确定为发展对象时间”“接收为预备党员时间”“转正时间”。",
    row_noun="人",
)
GENDERS = {"男": "male", "男性": "male", "女": "female", "女性": "female"}


@dataclass
class ApplicantsImport(SheetImport):
    people: list[tuple[Applicant, list[StepEntry]]] = field(default_factory=list, repr=False)
    findings: list[Problem] = field(default_factory=list)  # the rule breaches the imported records will show

    def to_json(self) -> dict[str, object]:
        doc = super().to_json()
        doc["findings"] = [p.to_json() for p in self.findings]
        return doc


def import_applicants(
    ledger: Ledger,
    path: Path | str,
    dry_run: bool = False,
    *,
    today: dt.date | None = None,
    overrides: Mapping[tuple[int, str], str] | None = None,
) -> ApplicantsImport:
    today = today or clock.today()
    res: ApplicantsImport = ApplicantsImport.of(
        read_table(path, APPLICANTS, overrides), kind="applicants", dry_run=dry_run
    )
    if res.errors:
        return res
    if not res.records:
        res.errors.append(res.problem("表头下面没有发展党员的数据行。", row=res.header_row))
        return res
    step_cols = {k[5:]: h for k, h in res.fields.items() if k.startswith("step:")}
    existing = {
        r[0]: r[1] for r in ledger.query("SELECT id_number, name FROM applicants WHERE id_number <> ''")
    }
    existing_names = {r[0] for r in ledger.query("SELECT name FROM applicants")}
    roster = [
        (r[0], r[1], (r[2] or "").upper()) for r in ledger.query("SELECT id, name, id_number FROM members")
    ]
    seen: dict[str, int] = {}
    pr = practice(ledger)
    labels = {v: k for k, v in members.FIELD_LABELS.items()}
    for rec in res.records:
        before = len(res.errors)

        def err(key: str, msg: str, row: int = rec.row) -> None:
            res.errors.append(res.problem(msg, row, res.fields.get(key) or step_cols.get(key[5:])))

        a = Applicant(name=clean_name(rec.name))
        why = name_problem(a.name, rec.name)
        if why:
            err("name", why)
        g = res.text(rec, "gender")
        if g:
            if g in GENDERS:
                a.gender = GENDERS[g]
            else:
                err("gender", f"性别“{g}”应为“男”或“女”")
        a.ethnicity = res.text(rec, "ethnicity") or None
        try:
            a.id_number = id_number_from(res.raw(rec, "id_number"), res.text(rec, "id_number")) or None
        except ValueError as bad_id:
            err("id_number", str(bad_id))
        a.education = res.text(rec, "education") or None
        a.job = res.text(rec, "job") or None
        a.phone = re.sub(r"\s+", "", res.text(rec, "phone")) or None
        a.notes = res.text(rec, "notes") or None
        if res.text(rec, "birth_date"):
            try:
                a.birth_date = date_from(
                    res.raw(rec, "birth_date"),
                    res.text(rec, "birth_date"),
                    res.fields["birth_date"] == "出生年月",
                )
            except DateParseError as bad_birth:
                err("birth_date", str(bad_birth))
        entries: list[StepEntry] = []
        for key in STEP_KEYS:
            h = step_cols.get(key)
            if not h:
                continue
            text = rec.values.get(h, "").strip()
            if not text:
                continue
            try:
                d = date_from(res.raw_rows[rec.row].get(h), text)
            except DateParseError as bad:
                err(f"step:{key}", str(bad))
                continue
            if d is None:
                continue
            if d > today:
                err(f"step:{key}", f"日期 {fmt_zh(d)} 晚于今天，只能登记已经办理的步骤")
                continue
            entries.append(StepEntry(key, d, 1 if key in rules.REPEATABLE else 0))
        if not entries:
            err("name", "这一行没有任何步骤的日期")
        by_key = {st.key: st for st in entries}
        for st in entries:
            for k in sorted(_ancestors(st.key), key=STEP_KEYS.index):
                prior = by_key.get(k)
                if prior is not None and st.date < prior.date:
                    err(
                        f"step:{st.key}",
                        f"“{BY_KEY[st.key].title}”（{fmt_zh(st.date)}）早于前面的步骤“{BY_KEY[k].title}”"
                        f"（{fmt_zh(prior.date)}）",
                    )
        for prob in validate(a, today=today):
            key = labels.get(prob.column or "", "")
            col = res.fields.get(key) or res.fields.get("id_number") or res.fields.get("name")
            res.errors.append(res.problem(prob.message, rec.row, col))
        if a.id_number:
            if a.id_number in existing:
                err("id_number", f"发展党员台账中已有此公民身份号码的“{existing[a.id_number]}”")
            if a.id_number in seen:
                err("id_number", f"与第{seen[a.id_number]}行的公民身份号码重复")
            seen[a.id_number] = rec.row
        elif a.name in existing_names:
            err("name", f"发展党员台账中已有“{a.name}”（本行无身份证号，无法判断是否同一人）")
        if "branch_vote" in by_key:
            match = [mid for mid, name, idn in roster if (a.id_number and idn == a.id_number)]
            if not match and not a.id_number:
                match = [mid for mid, name, _ in roster if name == a.name]
            if len(match) == 1:
                a.member_id = match[0]
                _compare_with_roster(res, rec.row, members.get(ledger, match[0]), by_key, step_cols)
            else:
                err(
                    "step:branch_vote",
                    f"已接收为预备党员，但花名册中{'有多名同名党员' if match else '没有此人'}："
                    "请先导入花名册（含公民身份号码），再导入发展党员台账",
                )
        if len(res.errors) > before:
            continue
        # the steps the sheet does not give, and the rule clocks over what it does
        wanted = set().union(*(_ancestors(e.key) for e in entries))
        missing = [k for k in STEP_KEYS if k in wanted and k not in by_key and k not in rules.REPEATABLE]
        if missing:
            res.warnings.append(
                res.problem(
                    "表中没有这些步骤的日期，导入后可在发展党员页补登："
                    + "、".join(f"{BY_KEY[k].no}.{BY_KEY[k].title}" for k in missing),
                    rec.row,
                    res.fields.get("name"),
                )
            )
        a.notes = "；".join(x for x in (a.notes, f"据《发展党员工作台账》导入（{res.file}）") if x)
        shaped = Applicant(**{**a.__dict__, "steps": {}, "evaluations": [], "probation_evaluations": []})
        for e in entries:
            if e.key in rules.REPEATABLE:
                shaped.entries(e.key).append(e)
            else:
                shaped.steps[e.key] = e
        shaped.stage = rules.derive_stage(person_of(ledger, shaped))
        for b in rules.checks(person_of(ledger, shaped), today, pr):
            if b.level in ("block", "violation"):
                res.findings.append(
                    res.problem(
                        f"{b.code} {rules.RULE_TITLES[b.code]}：{b.message}",
                        rec.row,
                        step_cols.get(b.step or ""),
                    )
                )
        res.people.append((shaped, entries))
    if res.errors or dry_run:
        return res
    with ledger.operation(
        "ImportApplicants", f"从 Excel 导入 {len(res.people)} 名发展党员（{res.file}）"
    ) as op:
        for a, entries in res.people:
            params = _params(a)
            cur = ledger.conn.execute(
                f"INSERT INTO applicants({', '.join(params)}) VALUES ({', '.join(':' + c for c in params)})",
                params,
            )
            aid = int(cur.lastrowid or 0)
            for e in entries:
                ledger.conn.execute(
                    "INSERT INTO applicant_steps(applicant_id, step, seq, date, actor, facts, meeting_id,"
                    " override_codes, override_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (aid, e.key, e.seq, iso(e.date), None, None, None, None, None),
                )
        op.value = len(res.people)
    res.imported = len(res.people)
    return res


__all__ = ["APPLICANTS", "ApplicantsImport", "import_applicants"]
