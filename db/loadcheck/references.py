"""Ids and references of an interchange document, checked by JSON path before anything is written: an id given
twice in a list, one member twice where a list holds each member once (an attendance list, a term's seats, an
election's candidates…), and every reference to a member, 党小组, term, meeting or election that the document
does not hold (`members[3].group_id`, not a table and row of the database)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from db.errors import Problem
from db.loadcheck.labels import MEMBER_ID_FIELDS, places
from db.loadcheck.values import json_path

# Lists whose elements carry an `id` unique within the list (a table's primary key).
ID_LISTS = (
    ("party_groups",),
    ("members",),
    ("committee_terms",),
    ("elections",),
    ("committee_vacancies",),
    ("meetings",),
    ("planned_meetings",),
    ("dues_bases",),
    ("dues_payments",),
    ("remittances",),
    ("applicants",),
    ("appraisals",),
    ("talks",),
    ("rectifications",),
    ("transfers",),
    ("honors",),
    ("posts",),
    ("plans",),
    ("scorecards",),
    ("guide_lists",),
    ("projects",),
)
# Ids unique across the whole document though they stand in nested lists (one table each).
NESTED_IDS = (
    ("meetings", "*", "attachments", "*", "id"),
    ("mobility", "outings", "*", "id"),
    ("mobility", "outings", "*", "contacts", "*", "id"),
    ("mobility", "lost", "*", "id"),
    ("discipline", "sanctions", "*", "id"),
    ("discipline", "dispositions", "*", "id"),
    ("care", "register", "*", "id"),
    ("care", "visits", "*", "id"),
    *[
        ("checklists", "*", *where, "photos", "*", "id")
        for where in (("items", "*"), ("items", "*", "sub_items", "*"), ("unlisted", "*"))
    ],
    ("guide_lists", "*", "items", "*", "id"),
    ("projects", "*", "targets", "*", "id"),
    ("projects", "*", "milestones", "*", "id"),
    ("projects", "*", "progress", "*", "id"),
    ("projects", "*", "progress", "*", "photos", "*", "id"),
)
# Lists that hold each member once (a UNIQUE (…, member_id) in the ledger, or a rule that says so).
ONCE_PER_MEMBER = (
    (("meetings", "*", "attendance"), "出席名单"),
    (("meetings", "*", "excluded"), "不计入应到名单"),
    (("meetings", "*", "makeups"), "补学名单"),
    (("elections", "*", "candidates"), "候选人名单"),
    (("appraisals", "*", "results"), "评议结果"),
)
# Lists of member ids that hold each member once (a 岗's 责任党员).
ONCE_PER_MEMBER_IDS = ((("posts", "*", "member_ids"), "责任党员名单"),)
# Where each kind of reference points.
REFS: list[tuple[tuple[str, ...], str]] = [
    *[(p, "members") for p in MEMBER_ID_FIELDS],
    *[
        (p, "meetings")
        for p in (
            ("appraisals", "*", "assembly_id"),
            ("appraisals", "*", "org_life_id"),
            ("appraisals", "*", "results", "*", "decision_id"),
            ("rectifications", "*", "meeting_id"),
            ("guide_lists", "*", "items", "*", "meeting_id"),
            ("projects", "*", "progress", "*", "meeting_id"),
        )
    ],
    *[
        (p, "party_groups")
        for p in (
            ("members", "*", "group_id"),
            ("meetings", "*", "group_id"),
            ("planned_meetings", "*", "group_id"),
            ("applicants", "*", "steps", "assigned_to_group", "group_id"),
        )
    ],
    (("elections", "*", "term_id"), "committee_terms"),
    (("committee_vacancies", "*", "term_id"), "committee_terms"),
    (("committee_vacancies", "*", "filled_by"), "elections"),
    (("guide_lists", "*", "items", "*", "plan_id"), "planned_meetings"),
]
TARGET_LABELS = {
    "members": "党员",
    "party_groups": "党小组",
    "committee_terms": "支委会届次",
    "elections": "选举",
    "meetings": "会议",
    "planned_meetings": "会议计划",
}
STEP_MEETING_REF = ("applicants", "*", "steps", "*", "meeting_id")


def _is_id(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _ids(doc: dict[str, Any], key: str) -> set[int]:
    value = doc.get(key)
    if not isinstance(value, list):
        return set()
    return {x["id"] for x in value if isinstance(x, dict) and _is_id(x.get("id"))}


def check(doc: Any) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        return problems
    for (key,) in ID_LISTS:
        first: dict[int, int] = {}
        for box, i, _path in places(doc, (key, "*")):
            x = box[i]
            if isinstance(x, dict) and _is_id(x.get("id")):
                if x["id"] in first:
                    problems.append(
                        Problem(f"id {x['id']} 与 {key}[{first[x['id']]}] 重复", column=f"{key}[{i}].id")
                    )
                else:
                    first[x["id"]] = int(i)
    for pattern in NESTED_IDS:
        seen: dict[int, str] = {}
        for box, key2, path in places(doc, pattern):
            v = box[key2]
            if _is_id(v):
                if v in seen:
                    problems.append(Problem(f"id {v} 与 {seen[v]} 重复", column=json_path(path)))
                else:
                    seen[v] = json_path(path[:-1])
    for pattern, label in ONCE_PER_MEMBER:
        for box, key2, path in places(doc, pattern):
            rows = box[key2]
            if not isinstance(rows, list):
                continue
            at: dict[int, int] = {}
            for j, row in enumerate(rows):
                if isinstance(row, dict) and _is_id(row.get("member_id")):
                    m = row["member_id"]
                    if m in at:
                        problems.append(
                            Problem(
                                f"党员 {m} 在{label}中出现了两次（另见第 {at[m] + 1} 条）",
                                column=json_path((*path, j, "member_id")),
                            )
                        )
                    else:
                        at[m] = j
    for pattern, label in ONCE_PER_MEMBER_IDS:
        for box, key2, path in places(doc, pattern):
            ids = box[key2]
            if not isinstance(ids, list):
                continue
            first_at: dict[int, int] = {}
            for j, m in enumerate(ids):
                if _is_id(m) and m in first_at:
                    problems.append(
                        Problem(
                            f"党员 {m} 在{label}中出现了两次（另见第 {first_at[m] + 1} 条）",
                            column=json_path((*path, j)),
                        )
                    )
                elif _is_id(m):
                    first_at[m] = j
    _once_per_seat(doc, problems)
    _unique_fields(doc, problems)
    known = {k: _ids(doc, k) for k in TARGET_LABELS}
    for pattern, target in REFS:
        for box, key2, path in places(doc, pattern):
            v = box[key2]
            if _is_id(v) and v not in known[target]:
                problems.append(
                    Problem(
                        f"引用的{TARGET_LABELS[target]} id {v} 在交换文件的 {target} 中不存在",
                        column=json_path(path),
                    )
                )
    for box, key2, path in places(doc, STEP_MEETING_REF):
        step = box[key2]
        v = step.get("meeting_id") if isinstance(step, dict) else None
        if _is_id(v) and v not in known["meetings"]:
            problems.append(
                Problem(
                    f"引用的会议 id {v} 在交换文件的 meetings 中不存在",
                    column=json_path((*path, "meeting_id")),
                )
            )
    _project_refs(doc, problems)
    _base64(doc, problems)
    _form_templates(doc, problems)
    return problems


def _form_templates(doc: dict[str, Any], problems: list[Problem]) -> None:
    """The park's stored forms: ids and (name, version) once each, a template's pack in the document, its file
    valid base64 of at most 20 MB whose SHA-256 is the one given."""
    import hashlib

    section = doc.get("form_templates")
    if not isinstance(section, dict):
        return
    pack_ids: set[int] = set()
    for key in ("packs", "templates"):
        rows = section.get(key)
        if not isinstance(rows, list):
            continue
        ids: dict[int, int] = {}
        versions: dict[tuple[Any, Any], int] = {}
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            at = f"form_templates.{key}[{i}]"
            if _is_id(row.get("id")):
                if row["id"] in ids:
                    problems.append(
                        Problem(f"id {row['id']} 与 {key}[{ids[row['id']]}] 重复", column=f"{at}.id")
                    )
                else:
                    ids[row["id"]] = i
            nv = (row.get("name"), row.get("version"))
            if isinstance(nv[0], str) and isinstance(nv[1], int):
                if nv in versions:
                    problems.append(
                        Problem(f"“{nv[0]}”第{nv[1]}版与 {key}[{versions[nv]}] 重复", column=f"{at}.version")
                    )
                else:
                    versions[nv] = i
        if key == "packs":
            pack_ids = set(ids)
    templates = section.get("templates")
    for i, row in enumerate(templates if isinstance(templates, list) else []):  # else the schema's to report
        if not isinstance(row, dict):
            continue
        at = f"form_templates.templates[{i}]"
        ref = row.get("pack_id")
        if _is_id(ref) and ref not in pack_ids:
            problems.append(
                Problem(
                    f"引用的表格包 id {ref} 在交换文件的 form_templates.packs 中不存在",
                    column=f"{at}.pack_id",
                )
            )
        data = row.get("data")
        if not isinstance(data, str):
            continue
        if len(data) * 3 // 4 > 20 * 1024 * 1024 + 3:
            problems.append(Problem("表格模板超过 20 MB", column=f"{at}.data"))
            continue
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            problems.append(Problem("模板数据不是有效的 base64", column=f"{at}.data"))
            continue
        if not raw:
            problems.append(Problem("模板数据是空的", column=f"{at}.data"))
        elif isinstance(row.get("sha256"), str) and hashlib.sha256(raw).hexdigest() != row["sha256"]:
            problems.append(Problem("模板数据与 sha256 不符（文件被改动过）", column=f"{at}.sha256"))


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _project_refs(doc: dict[str, Any], problems: list[Problem]) -> None:
    """A progress note's milestone and target are the same project's."""
    for box, i, path in places(doc, ("projects", "*")):
        p = box[i]
        if not isinstance(p, dict):
            continue
        own = {
            key: {x.get("id") for x in _list(p.get(key)) if isinstance(x, dict) and _is_id(x.get("id"))}
            for key in ("milestones", "targets")
        }
        for box2, j, path2 in places(p, ("progress", "*")):
            g = box2[j]
            if not isinstance(g, dict):
                continue
            for field, key, label in (
                ("milestone_id", "milestones", "节点"),
                ("target_id", "targets", "预期指标"),
            ):
                v = g.get(field)
                if _is_id(v) and v not in own[key]:
                    problems.append(
                        Problem(
                            f"引用的{label} id {v} 不在本项目的 {key} 中",
                            column=json_path((*path, *path2, field)),
                        )
                    )


def _once_per_seat(doc: dict[str, Any], problems: list[Problem]) -> None:
    """A term's seats: one member holds one post once (a later seat of the same post needs its own dates)."""
    for box, key, path in places(doc, ("committee_terms", "*", "members")):
        seats = box[key]
        if not isinstance(seats, list):
            continue
        at: dict[tuple[Any, ...], int] = {}
        for j, s in enumerate(seats):
            if not isinstance(s, dict):
                continue
            k = (s.get("member_id"), s.get("role"), s.get("from_on"), s.get("to_on"))
            if k in at:
                problems.append(
                    Problem(
                        f"与第 {at[k] + 1} 条任职完全相同（同一人、同一职务、同一起止日期）",
                        column=json_path((*path, j)),
                    )
                )
            else:
                at[k] = j


def _unique_fields(doc: dict[str, Any], problems: list[Problem]) -> None:
    """Values the ledger keeps unique: 公民身份号码, a 党费核定 per member/year/start month, a checklist per year."""
    seen: dict[Any, int] = {}
    for box, i, _ in places(doc, ("members", "*")):
        m = box[i]
        n = m.get("id_number") if isinstance(m, dict) else None
        if isinstance(n, str) and n.strip():
            if n in seen:
                problems.append(
                    Problem(f"公民身份号码与 members[{seen[n]}] 相同", column=f"members[{i}].id_number")
                )
            else:
                seen[n] = int(i)
    seen = {}
    for box, i, _ in places(doc, ("dues_bases", "*")):
        b = box[i]
        if isinstance(b, dict):
            k: Any = (b.get("member_id"), b.get("year"), b.get("valid_from") or "")
            if k in seen:
                problems.append(
                    Problem(
                        f"与 dues_bases[{seen[k]}] 重复：同一党员、同一年、同一起始月只能有一条党费核定",
                        column=f"dues_bases[{i}]",
                    )
                )
            else:
                seen[k] = int(i)
    seen = {}
    for box, i, _ in places(doc, ("checklists", "*")):
        c = box[i]
        if isinstance(c, dict):
            k2: Any = (c.get("year"), c.get("name") or "六个一")
            if k2 in seen:
                problems.append(
                    Problem(
                        f"与 checklists[{seen[k2]}] 重复：同一清单同一年只能有一条", column=f"checklists[{i}]"
                    )
                )
            else:
                seen[k2] = int(i)
            keys: dict[str, str] = {}
            for where in (("items", "*"), ("items", "*", "sub_items", "*"), ("unlisted", "*")):
                for b2, j, p2 in places(c, where):
                    it = b2[j]
                    key = it.get("key") if isinstance(it, dict) else None
                    if isinstance(key, str):
                        full = f"checklists[{i}].{json_path(p2)}"
                        if key in keys:
                            problems.append(
                                Problem(f"项目编号“{key[:20]}”与 {keys[key]} 重复", column=f"{full}.key")
                            )
                        else:
                            keys[key] = full
    for box, i, path in places(doc, ("dues_bases", "*", "month_bases")):
        rows = box[i]
        if isinstance(rows, list):
            months: dict[Any, int] = {}
            for j, r in enumerate(rows):
                mo = r.get("month") if isinstance(r, dict) else None
                if mo in months:
                    problems.append(
                        Problem(
                            f"月份 {mo} 与第 {months[mo] + 1} 条重复", column=json_path((*path, j, "month"))
                        )
                    )
                elif mo is not None:
                    months[mo] = j


def _base64(doc: dict[str, Any], problems: list[Problem]) -> None:
    """Attachments and photos: valid base64, within the attachment size limit of the document's settings."""
    settings = doc.get("settings")
    given = settings.get("attachment_max_mb") if isinstance(settings, dict) else None
    limit_mb: int = (
        given if isinstance(given, int) and not isinstance(given, bool) and 1 <= given <= 100 else 10
    )
    for pattern in (
        ("meetings", "*", "attachments", "*", "data"),
        ("projects", "*", "progress", "*", "photos", "*", "data"),
        *[
            ("checklists", "*", *where, "photos", "*", "data")
            for where in (("items", "*"), ("items", "*", "sub_items", "*"), ("unlisted", "*"))
        ],
    ):
        for box, key, path in places(doc, pattern):
            data = box[key]
            if not isinstance(data, str):
                continue
            if len(data) * 3 // 4 > limit_mb * 1024 * 1024 + 3:
                problems.append(
                    Problem(f"附件超过 {limit_mb} MB（设置“附件大小上限”）", column=json_path(path))
                )
                continue
            try:
                base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                problems.append(Problem("附件数据不是有效的 base64", column=json_path(path)))
