"""Demo records of issue 17: last year's 民主评议 with every member's 等次 (one result not yet entered, a 流动党员
rated where he works, the 预备党员 without 等次), 谈心谈话 with a few members never talked with, 学时 from the
党校 and the online platform (some short of 32, one exempted), and the 组织生活会 查摆问题 with their 整改 (one
overdue)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

TOPICS = [
    "交流近期工作和思想情况，听取对支部工作的意见",
    "谈研发项目攻关中的困难，鼓励发挥党员带头作用",
    "了解家庭和工作情况，提醒按时参加组织生活",
    "交流学习党的二十届三中全会精神的体会",
    "沟通党小组活动安排，征求改进组织生活的建议",
    "谈岗位职责和个人成长，互相提出改进意见",
]


def _d(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


def _on_roster(p: dict[str, Any], day: dt.date) -> bool:
    since = _d(p.get("in_branch_since")) or _d(p.get("joined_on"))
    if since is None or since > day:
        return False
    changed = _d(p.get("status_changed_on"))
    return p.get("status") == "active" or (changed is not None and changed > day)


def _category(p: dict[str, Any], day: dt.date) -> str:
    full = _d(p.get("full_on"))
    return "full" if full and full <= day else "probationary"


def _committee(doc: dict[str, Any], day: dt.date) -> list[int]:
    for t in doc["committee_terms"]:
        if _d(t["starts_on"]) <= day <= (_d(t["ends_on"]) or dt.date.max):  # type: ignore[operator]
            return [s["member_id"] for s in t["members"]]
    return []


def _meeting(
    doc: dict[str, Any], year: int, kind: str, after: dt.date | None = None
) -> dict[str, Any] | None:
    for m in sorted(doc["meetings"], key=lambda m: m["date"]):
        d = _d(m["date"])
        in_year = d is not None and (d.year == year if after is None else d >= after and d.year <= year + 1)
        if in_year and kind in m["kinds"]:
            return m
    return None


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    today: dt.date = ctx["today"]
    last = today.year - 1
    people = doc["members"]
    appraisal_meeting = _meeting(doc, last, "appraisal")
    doc["appraisals"] = []
    doc["rectifications"] = []
    if appraisal_meeting is not None:
        _appraisal(doc, rng, people, appraisal_meeting)
        _rectifications(doc, people, appraisal_meeting)
    doc["talks"] = _talks(doc, rng, people, today)
    doc["study_hours"] = _study(doc, rng, people, today)


def _appraisal(
    doc: dict[str, Any], rng: random.Random, people: list[dict[str, Any]], m: dict[str, Any]
) -> None:
    held = _d(m["date"])
    assert held is not None
    decision = _meeting(doc, held.year, "committee", after=held)
    present = sum(1 for a in m.get("attendance", []) if a["status"] == "present") or 20
    on = [p for p in people if _on_roster(p, held)]
    full = [p for p in on if _category(p, held) == "full" and not p.get("is_mobile")]
    cap = len(full) // 3
    excellent = {p["id"] for p in rng.sample(full[:-1], min(cap - 1, len(full) - 1))}
    basic = next(p["id"] for p in reversed(full[:-1]) if p["id"] not in excellent)
    missing = full[-1]["id"]  # a real gap: this member's result was never entered (O01)
    results = []
    for p in on:
        if p["id"] == missing:
            continue
        r: dict[str, Any] = {"member_id": p["id"]}
        if _category(p, held) == "probationary":
            r.update(participation="probationary", feedback_on=(held + dt.timedelta(days=18)).isoformat())
        elif p.get("is_mobile"):
            r.update(participation="elsewhere", place="中共苏州工业园区某科技公司流动党员党支部")
        else:
            grade = "excellent" if p["id"] in excellent else ("basic" if p["id"] == basic else "qualified")
            top = (
                rng.randrange(present // 2, present)
                if grade == "excellent"
                else rng.randrange(2, present // 3)
            )
            bad = 0 if grade != "basic" else rng.randrange(3, 6)
            basic_votes = rng.randrange(0, 3) + (rng.randrange(4, 8) if grade == "basic" else 0)
            r.update(
                participation="rated",
                grade=grade,
                decision_id=decision["id"] if decision else m["id"],
                votes_excellent=top,
                votes_qualified=max(0, present - top - basic_votes - bad),
                votes_basic=basic_votes,
                votes_unqualified=bad,
                self_review="对照党员标准，从学习、工作、作风等方面作自我评价",
                feedback_on=(held + dt.timedelta(days=18)).isoformat(),
                follow_up="书记谈心谈话，指出差距，帮助改进工作作风" if grade == "basic" else None,
            )
        results.append(r)
    doc["appraisals"].append(
        {
            "id": 1,
            "year": held.year,
            "started_on": dt.date(held.year, 12, 1).isoformat(),
            "held_on": held.isoformat(),
            "assembly_id": m["id"] if "assembly" in m["kinds"] else None,
            "org_life_id": m["id"] if "org_life" in m["kinds"] else None,
            "plan": f"{held.year}年度民主评议党员工作方案（与组织生活会合并召开）",
            "notes": None,
            "results": results,
        }
    )


def _talks(
    doc: dict[str, Any], rng: random.Random, people: list[dict[str, Any]], today: dt.date
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(day: dt.date, a: int, b: int, **kw: Any) -> None:
        out.append(
            {
                "id": len(out) + 1,
                "held_on": day.isoformat(),
                "talker_id": a,
                "member_id": b,
                "kind": kw.get("kind", "routine"),
                "trigger": kw.get("trigger"),
                "mode": kw.get("mode", rng.choice(["in_person"] * 4 + ["phone", "online"])),
                "topic": kw.get("topic", rng.choice(TOPICS)),
                "suggestions": None,
                "follow_up": kw.get("follow_up"),
            }
        )

    for year, share in ((today.year - 1, 0.94), (today.year, 0.8)):
        end = min(today - dt.timedelta(days=3), dt.date(year, 12, 17))
        window = (end - dt.timedelta(days=25), end)
        committee = _committee(doc, end)
        members = [p["id"] for p in people if _on_roster(p, end) and p["id"] not in committee]
        talked: list[tuple[dt.date, int, int]] = []
        pairs = [(a, b) for i, a in enumerate(committee) for b in committee[i + 1 :]]
        for a, b in pairs[:-1] if year < today.year else pairs[: len(pairs) * 2 // 3]:
            talked.append((dt.date(year, rng.randrange(3, 11), rng.randrange(1, 28)), a, b))
        for k, mid in enumerate(members):
            if rng.random() < share:
                day = (
                    window[0] + dt.timedelta(days=rng.randrange(0, 25))
                    if k % 3 == 0
                    else dt.date(year, rng.randrange(2, min(end.month, 11) + 1), rng.randrange(1, 28))
                )
                talked.append((min(day, end), committee[k % len(committee)], mid))
        for a, b in zip(members[::2], members[1::2], strict=False):
            if rng.random() < share:
                talked.append(
                    (dt.date(year, rng.randrange(2, min(end.month, 11) + 1), rng.randrange(1, 28)), a, b)
                )
        for day, a, b in sorted(talked):
            add(day, a, b)
    # 六必谈: the 预备党员 who became full members this year are talked with after 转正
    for p in people:
        full = _d(p.get("full_on"))
        if full and today.year == full.year and full <= today - dt.timedelta(days=10):
            add(
                full + dt.timedelta(days=5),
                _committee(doc, full)[0],
                p["id"],
                kind="trigger",
                trigger="full",
                mode="in_person",
                topic="转正后谈话：明确今后努力方向",
            )
    out.sort(key=lambda t: (t["held_on"], t["id"]))
    for i, t in enumerate(out, start=1):
        t["id"] = i
    return out


def _study(
    doc: dict[str, Any], rng: random.Random, people: list[dict[str, Any]], today: dt.date
) -> dict[str, Any]:
    records: list[dict[str, Any]] = []
    exemptions: list[dict[str, Any]] = []
    oldest = min((p for p in people if p["status"] == "active"), key=lambda p: p["birth_date"])
    for year in (today.year - 1, today.year):
        day_end = min(today, dt.date(year, 12, 31))
        committee = _committee(doc, day_end)
        exemptions.append(
            {"member_id": oldest["id"], "year": year, "reason": "年逾五旬、患慢性病，送学上门，不作硬性要求"}
        )
        on = [p for p in people if _on_roster(p, day_end) and p["id"] != oldest["id"]]
        for k, p in enumerate(on):
            if p["id"] in committee:
                records.append(
                    _rec(
                        len(records),
                        p["id"],
                        dt.date(year, 4, 16),
                        "区委党校基层党组织书记和委员轮训班",
                        "central",
                        "中共松江区委党校",
                        "40",
                        "结业证书",
                    )
                )
            short = k % 11 == 4  # a few members fall short (O06)
            hours = "8" if short else rng.choice(["18", "20", "20.5", "24"])
            if year == today.year and k % 7 == 3:
                continue  # no outside training entered yet this year: on course to miss (Q4 reminder)
            records.append(
                _rec(
                    len(records),
                    p["id"],
                    dt.date(year, rng.randrange(3, 10), rng.randrange(1, 28)),
                    "上海干部在线学习城专题学习",
                    "online",
                    "上海干部在线学习城",
                    hours,
                    "平台学时截图",
                )
            )
    return {"records": records, "exemptions": exemptions}


def _rec(
    n: int, member_id: int, day: dt.date, title: str, form: str, org: str, hours: str, evidence: str
) -> dict[str, Any]:
    return {
        "id": n + 1,
        "member_id": member_id,
        "held_on": day.isoformat(),
        "title": title,
        "form": form,
        "organizer": org,
        "hours": hours,
        "evidence": evidence,
    }


def _rectifications(doc: dict[str, Any], people: list[dict[str, Any]], m: dict[str, Any]) -> None:
    held = _d(m["date"])
    assert held is not None
    y = held.year + 1
    on = [p for p in people if _on_roster(p, held) and _category(p, held) == "full"]
    a, b = on[8]["id"], on[12]["id"]
    rows = [
        (
            a,
            "理论学习不够系统，学习笔记少",
            "制定个人学习计划，每月学习笔记不少于2篇",
            dt.date(y, 3, 31),
            dt.date(y, 3, 28),
            "个人学习计划、学习笔记",
        ),
        (
            b,
            "在研发攻关中发挥先锋模范作用不够明显",
            "认领党员先锋岗，牵头一个技术攻关小组",
            dt.date(y, 6, 30),
            None,
            None,
        ),
        (
            None,
            "谈心谈话覆盖不全，党员之间谈话少",
            "支委分片包干，每季度检查谈话记录",
            dt.date(y, 6, 30),
            dt.date(y, 6, 20),
            f"{y}年6月支委会会议记录",
        ),
        (None, "组织生活形式比较单一", "主题党日结合研发项目和志愿服务开展", dt.date(y, 12, 31), None, None),
    ]
    for i, (who, problem, measure, due, closed, evidence) in enumerate(rows, start=1):
        doc["rectifications"].append(
            {
                "id": i,
                "meeting_id": m["id"],
                "member_id": who,
                "found_on": held.isoformat(),
                "problem": problem,
                "measure": measure,
                "due_on": due.isoformat(),
                "closed_on": closed.isoformat() if closed else None,
                "evidence": evidence,
            }
        )
