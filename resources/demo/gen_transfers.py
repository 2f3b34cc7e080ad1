"""Demo records of issue 18 (组织关系转接): the member who left last year with her letter and its 回执 back; a member
transferred out this October by a 同城 letter (10 days) whose 回执 has not come back (L01); a 预备党员 received from
a college last week, 回执 not yet sent, 六必谈 still to hold, 预备期 just over (D23: 转正 may be deferred ≤ 6 months).

Runs after the other areas (`extend` only): the member leaving this year is taken off the records dated from the
transfer (attendance, speeches, talks, 学时, dues months after it), so the other areas' demo records and their random
draws stay as they were.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

HANDLER_POST = "组织委员"
OUT_ON = dt.date(2026, 10, 9)  # 同城 letter, 10 days: valid until 19 Oct, 回执 due 19 Nov → L01 on 22 Nov
IN_ON = dt.date(2026, 11, 17)  # after the last meetings of 党小组 2


def _referenced_after(doc: dict[str, Any], mid: int, day: dt.date) -> bool:
    """Whether anything after `day` names the member in a role the transfer cannot simply drop."""
    for m in doc["meetings"]:
        if m["date"] >= day.isoformat() and mid in (m.get("host_id"), m.get("recorder_id")):
            return True
    for a in doc.get("applicants") or []:
        for step in (a.get("steps") or {}).values():
            if isinstance(step, dict) and mid in (step.get("member_ids") or []):
                return True
    if any(g.get("leader_id") == mid for g in doc["party_groups"]):
        return True
    if any(r.get("member_id") == mid for r in doc.get("rectifications") or []):
        return True
    return any(t["member_id"] == mid for t in (doc.get("study_hours") or {}).get("exemptions") or [])


def _leave(doc: dict[str, Any], mid: int, day: dt.date) -> None:
    """Take the member off the records dated on or after the transfer day (not on the roster then)."""
    iso = day.isoformat()
    for m in doc["meetings"]:
        if m["date"] < iso:
            continue
        for key in ("attendance", "excluded", "makeups"):
            if m.get(key):
                m[key] = [x for x in m[key] if x.get("member_id") != mid]
        for item in m.get("agenda") or []:
            item["speeches"] = [s for s in item.get("speeches") or [] if s.get("speaker_id") != mid]
    doc["talks"] = [
        t
        for t in doc.get("talks") or []
        if not (t["held_on"] >= iso and mid in (t["talker_id"], t["member_id"]))
    ]
    sh = doc.get("study_hours") or {}
    if sh.get("records"):
        sh["records"] = [r for r in sh["records"] if not (r["member_id"] == mid and r["held_on"] >= iso)]
    last_month = f"{day.year}-{day.month:02d}"
    doc["dues_payments"] = [
        p for p in doc.get("dues_payments") or [] if not (p["member_id"] == mid and p["month"] > last_month)
    ]


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    people = doc["members"]
    handler = next((p["name"] for p in people if p.get("post") == HANDLER_POST), people[0]["name"])
    branch = doc["branch"]["name"]
    out: list[dict[str, Any]] = []

    def letter(**kw: Any) -> None:
        row = {
            "id": len(out) + 1,
            "direction": "out",
            "member_id": None,
            "letter_year": None,
            "letter_seq": None,
            "letter_no": None,
            "issued_on": None,
            "transfer_on": None,
            "category": "full",
            "from_org": branch,
            "to_org": None,
            "addressee": None,
            "dues_paid_through": None,
            "valid_days": 30,
            "channel": "paper",
            "reason": None,
            "handled_by": handler,
            "receipt_on": None,
            "receipt_by": None,
            "admitted_on": None,
            "extension_months": None,
            "archive_checked": None,
            "notes": None,
        }
        row.update(kw)
        out.append(row)

    # 1. last year's transfer (the roster already has her as 已转出): letter 2025-001, 回执 back in July
    gone = next(p for p in people if p["status"] == "transferred_out")
    day = gone["status_changed_on"]
    letter(
        member_id=gone["id"],
        letter_year=int(day[:4]),
        letter_seq=1,
        issued_on=day,
        transfer_on=day,
        to_org="中共嘉兴市南湖区某某电子有限公司支部委员会（示例）",
        addressee="中共嘉兴市南湖区委组织部",
        dues_paid_through=day[:7],
        valid_days=30,
        reason="工作调动，组织关系转至原籍",
        receipt_on=(dt.date.fromisoformat(day) + dt.timedelta(days=25)).isoformat(),
        receipt_by="周某（对方经办人）",
    )
    # 2. this October: a member of 党小组 2 moves to a company in the same park without a letter coming back
    candidates = [
        p
        for p in people
        if p["status"] == "active"
        and p["category"] == "full"
        and p["group_id"] == 2
        and not p.get("post")
        and not p.get("is_mobile")
        and not _referenced_after(doc, p["id"], OUT_ON)
    ]
    leaver = candidates[len(candidates) // 2]
    _leave(doc, leaver["id"], OUT_ON)
    leaver["status"] = "transferred_out"
    leaver["status_changed_on"] = OUT_ON.isoformat()
    leaver.setdefault("history", []).append(
        {
            "field": "status",
            "from_value": "active",
            "to_value": "transferred_out",
            "changed_on": OUT_ON.isoformat(),
            "reason": "组织关系转出（介绍信第2026-001号，转往中共松江科技园区某某智能装备有限公司支部委员会（示例））",
        }
    )
    letter(
        member_id=leaver["id"],
        letter_year=OUT_ON.year,
        letter_seq=1,
        issued_on=OUT_ON.isoformat(),
        transfer_on=OUT_ON.isoformat(),
        to_org="中共松江科技园区某某智能装备有限公司支部委员会（示例）",
        addressee="中共松江科技园区综合党委",
        dues_paid_through="2026-10",
        valid_days=10,
        reason="到园区内另一家企业工作",
    )
    # 3. a 预备党员 received last week from a college (支部大会 接收 a year ago): 回执 still to send
    new_id = max(p["id"] for p in people) + 1
    people.append(
        {
            "id": new_id,
            "name": "罗嘉怡",
            "gender": "female",
            "ethnicity": "汉族",
            "birth_date": "2002-03-14",
            "id_number": None,
            "education": "大学本科",
            "category": "probationary",
            "joined_on": "2025-11-10",
            "full_on": None,
            "status": "active",
            "status_changed_on": None,
            "in_branch_since": IN_ON.isoformat(),
            "group_id": 2,
            "job": "研发工程师",
            "post": None,
            "occupation": "professional",
            "frontline": False,
            "phone": None,
            "landline": None,
            "address": None,
            "is_mobile": False,
            "mobile_destination": None,
            "lost_contact_since": None,
            "notes": "应届毕业生，组织关系由学校转入",
            "history": [],
        }
    )
    letter(
        direction="in",
        member_id=new_id,
        letter_no="2026-112",
        issued_on=(IN_ON - dt.timedelta(days=5)).isoformat(),
        transfer_on=IN_ON.isoformat(),
        category="probationary",
        from_org="中共华亭理工学院信息工程学院委员会（示例）",
        to_org=branch,
        dues_paid_through="2026-10",
        valid_days=30,
        admitted_on="2025-11-10",
        archive_checked="档案随人事关系转入，待核对入党志愿书",
        reason="应届毕业入职",
    )
    doc["transfers"] = out
