"""Liberal where CONTRACT.md leaves a field open (issue #11 §4): before the schema is checked, every enumeration
also accepts the Chinese label the GUI shows (`举手表决`, `正式党员`, `出席`…) and becomes its code; a field that
holds a member id also accepts the member's name (when exactly one member has it), and a field that holds a
person's name (a 谈话人, a 授课人, a 收款人) also accepts a member id, which becomes that member's name.

What cannot be understood is left as it is, so that the schema refuses it with its JSON path; a name that
matches no member or several is refused here, with the path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from db.committee.elections import ELECTION_KIND_LABELS
from db.committee.terms import ROLE_LABELS, TERM_KIND_LABELS
from db.development.facts import RECOMMENDED_VIA
from db.dues.model import METHOD_LABELS as PAY_METHOD_LABELS
from db.errors import Problem
from db.loadcheck.values import json_path
from db.meetings.model import ATTACHMENT_KINDS
from db.members.model import CATEGORY_LABELS, GENDER_LABELS, OCCUPATION_LABELS
from db.members.model import STATUS_LABELS as MEMBER_STATUS_LABELS
from db.rules.development import APPROVER_KINDS, STAGE_LABELS
from db.rules.dues import KIND_LABELS as DUES_KIND_LABELS
from db.rules.meetings import KIND_LABELS as MEETING_KIND_LABELS
from db.rules.meetings import KIND_SHORT as MEETING_KIND_SHORT
from db.rules.meetings import METHOD_LABELS as DECISION_METHOD_LABELS
from db.rules.meetings import STATUS_LABELS as ATTENDANCE_LABELS

Path = tuple[str, ...]  # keys, with "*" for every element of a list


def _labels(*maps: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, str]:
    """label → code, from code → label maps (the first map's labels win) and extra synonyms."""
    out: dict[str, str] = {}
    for m in reversed(maps):
        out.update({label: code for code, label in m.items()})
    out.update(extra or {})
    return out


def _settings_labels() -> dict[str, dict[str, str]]:
    from db.settings.store import SPECS

    return {s.key: {label: code for code, label in s.choices} for s in SPECS if s.choices}


CHECK_STATUS = {"met": "达标", "not_met": "未达标", "partly": "部分达标"}
STEP_OBJECTS = ("approved", "full_approved")

# Every enumeration of the document: where it stands, and its labels.
ENUMS: list[tuple[Path, dict[str, str]]] = [
    (("members", "*", "gender"), _labels(GENDER_LABELS, extra={"男性": "male", "女性": "female"})),
    (("members", "*", "category"), _labels(CATEGORY_LABELS, extra={"正式": "full", "预备": "probationary"})),
    (
        ("members", "*", "status"),
        _labels(MEMBER_STATUS_LABELS, extra={"正常": "active", "转出": "transferred_out"}),
    ),
    (("members", "*", "occupation"), _labels(OCCUPATION_LABELS)),
    (("applicants", "*", "gender"), _labels(GENDER_LABELS, extra={"男性": "male", "女性": "female"})),
    (("applicants", "*", "occupation"), _labels(OCCUPATION_LABELS)),
    (
        ("applicants", "*", "stage"),
        _labels(STAGE_LABELS, extra={"入党申请人": "applicant", "入党积极分子": "activist"}),
    ),
    (
        ("applicants", "*", "steps", "activist", "recommended_via"),
        _labels(RECOMMENDED_VIA, extra={"群团推优": "mass_org"}),
    ),
    (
        ("applicants", "*", "steps", "activist", "decided_by"),
        {
            "支委会": "committee",
            "支部委员会": "committee",
            "支部大会": "assembly",
            "支部党员大会": "assembly",
        },
    ),
    *[(("applicants", "*", "steps", k, "approver_kind"), _labels(APPROVER_KINDS)) for k in STEP_OBJECTS],
    (
        ("committee_terms", "*", "kind"),
        _labels(TERM_KIND_LABELS, extra={"支委会": "committee", "书记": "secretary"}),
    ),
    (("committee_terms", "*", "members", "*", "role"), _labels(ROLE_LABELS)),
    (("elections", "*", "kind"), _labels(ELECTION_KIND_LABELS)),
    (("elections", "*", "method"), {"无记名投票": "secret"}),
    (("elections", "*", "candidates", "*", "role"), _labels(ROLE_LABELS)),
    (("committee_vacancies", "*", "role"), _labels(ROLE_LABELS)),
    (("meetings", "*", "kinds", "*"), _labels(MEETING_KIND_LABELS, MEETING_KIND_SHORT)),
    (("planned_meetings", "*", "kinds", "*"), _labels(MEETING_KIND_LABELS, MEETING_KIND_SHORT)),
    (
        ("meetings", "*", "decisions", "*", "method"),
        _labels(
            DECISION_METHOD_LABELS,
            extra={"举手": "show_of_hands", "口头": "roll_call", "一致同意": "consensus"},
        ),
    ),
    (("meetings", "*", "attendance", "*", "status"), _labels(ATTENDANCE_LABELS, extra={"到会": "present"})),
    (
        ("meetings", "*", "attendance", "*", "category"),
        _labels(CATEGORY_LABELS, extra={"正式": "full", "预备": "probationary"}),
    ),
    (("meetings", "*", "attachments", "*", "kind"), _labels(ATTACHMENT_KINDS, extra={"签到表": "sign_in"})),
    (("dues_bases", "*", "kind"), _labels(DUES_KIND_LABELS)),
    (("dues_payments", "*", "method"), _labels(PAY_METHOD_LABELS, extra={"银行": "bank", "转账": "bank"})),
    *[
        (("checklists", "*", *where, "status"), _labels(CHECK_STATUS))
        for where in (("items", "*"), ("items", "*", "sub_items", "*"), ("unlisted", "*"))
    ],
    (
        ("posts", "*", "kind"),
        {
            "党员先锋岗": "pioneer",
            "先锋岗": "pioneer",
            "党员示范岗": "model",
            "示范岗": "model",
            "党员责任区": "area",
            "责任区": "area",
            "党员突击队": "commando",
            "突击队": "commando",
        },
    ),
]

# Fields that hold a member id: a member's name is accepted too.
MEMBER_ID_FIELDS: list[Path] = [
    ("party_groups", "*", "leader_id"),
    ("committee_terms", "*", "members", "*", "member_id"),
    ("elections", "*", "candidates", "*", "member_id"),
    ("committee_vacancies", "*", "member_id"),
    ("meetings", "*", "host_id"),
    ("meetings", "*", "recorder_id"),
    ("meetings", "*", "agenda", "*", "speeches", "*", "speaker_id"),
    ("meetings", "*", "attendance", "*", "member_id"),
    ("meetings", "*", "excluded", "*", "member_id"),
    ("meetings", "*", "makeups", "*", "member_id"),
    ("dues_bases", "*", "member_id"),
    ("dues_payments", "*", "member_id"),
    ("applicants", "*", "member_id"),
    ("applicants", "*", "steps", "contacts_assigned", "member_ids", "*"),
    ("applicants", "*", "steps", "sponsors_assigned", "member_ids", "*"),
    ("appraisals", "*", "results", "*", "member_id"),
    ("talks", "*", "talker_id"),
    ("talks", "*", "member_id"),
    ("study_hours", "records", "*", "member_id"),
    ("study_hours", "exemptions", "*", "member_id"),
    ("rectifications", "*", "member_id"),
    ("transfers", "*", "member_id"),
    ("mobility", "outings", "*", "member_id"),
    ("mobility", "dues_elsewhere", "*", "member_id"),
    ("mobility", "lost", "*", "member_id"),
    ("honors", "*", "member_id"),
    ("discipline", "sanctions", "*", "member_id"),
    ("discipline", "dispositions", "*", "member_id"),
    ("care", "register", "*", "member_id"),
    ("care", "visits", "*", "member_id"),
    ("posts", "*", "member_ids", "*"),
    ("projects", "*", "owner_id"),
]

# Fields that hold a person's name (who may be from outside the branch): a member id is accepted too.
PERSON_NAME_FIELDS: list[Path] = [
    *[("applicants", "*", "steps", k, "by") for k in ("talked", "upper_talk")],
    *[("applicants", "*", "steps", k, "*", "by") for k in ("evaluations", "probation_evaluations")],
    ("meetings", "*", "lecturer"),
    ("meetings", "*", "agenda", "*", "speeches", "*", "speaker_name"),
    ("dues_payments", "*", "collector"),
]


def places(doc: Any, pattern: Path) -> Iterator[tuple[Any, str | int, tuple[str | int, ...]]]:
    """(container, key, JSON path) of every value at `pattern` that exists in the document."""
    level: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    for n, key in enumerate(pattern):
        last = n == len(pattern) - 1
        nxt: list[tuple[Any, tuple[str | int, ...]]] = []
        for value, path in level:
            if key == "*":
                if isinstance(value, list):
                    for i, v in enumerate(value):
                        if last:
                            yield value, i, (*path, i)
                        else:
                            nxt.append((v, (*path, i)))
            elif isinstance(value, dict) and key in value:
                if last:
                    yield value, key, (*path, key)
                else:
                    nxt.append((value[key], (*path, key)))
        level = nxt


def normalise(doc: Any) -> list[Problem]:
    """Turn labels into codes and names into ids (and ids into names) in place; problems for unknown names."""
    problems: list[Problem] = []
    for pattern, labels in ENUMS:
        for box, key, _path in places(doc, pattern):
            v = box[key]
            if isinstance(v, str) and v.strip() in labels:
                box[key] = labels[v.strip()]
    for key, labels in _settings_labels().items():
        box = doc.get("settings") if isinstance(doc, dict) else None
        if isinstance(box, dict) and isinstance(box.get(key), str) and box[key].strip() in labels:
            box[key] = labels[box[key].strip()]

    members = doc.get("members") if isinstance(doc, dict) else None
    members = [m for m in members if isinstance(m, dict)] if isinstance(members, list) else []
    by_name: dict[str, list[int]] = {}
    by_id: dict[int, str] = {}
    for m in members:
        mid, name = m.get("id"), m.get("name")
        if isinstance(mid, int) and not isinstance(mid, bool) and isinstance(name, str):
            by_name.setdefault(name.strip(), []).append(mid)
            by_id[mid] = name
    for pattern in MEMBER_ID_FIELDS:
        for box, key, path in places(doc, pattern):
            v = box[key]
            if not isinstance(v, str) or not v.strip():
                continue
            text = v.strip()
            if text.isascii() and text.isdigit() and len(text) <= 18:
                box[key] = int(text)
                continue
            ids = by_name.get(text, [])
            if len(ids) == 1:
                box[key] = ids[0]
            elif not ids:
                problems.append(
                    Problem(f"花名册（members）中没有名为“{text[:20]}”的党员", column=json_path(path))
                )
            else:
                problems.append(
                    Problem(
                        f"花名册中有 {len(ids)} 名党员叫“{text[:20]}”，请写党员的 id", column=json_path(path)
                    )
                )
    for pattern in PERSON_NAME_FIELDS:
        for box, key, path in places(doc, pattern):
            v = box[key]
            if isinstance(v, int) and not isinstance(v, bool):
                if v in by_id:
                    box[key] = by_id[v]
                else:
                    problems.append(
                        Problem(f"花名册（members）中没有 id 为 {v} 的党员", column=json_path(path))
                    )
    return problems
