"""Demo 发展党员 records: people at every stage, with the full 25-step history of the 预备党员 on the roster.

- `prepare` (before the other areas run, so their meetings and dues follow) dates two of the roster's 预备党员
  earlier: one whose probation ends next month (转正 to prepare), one whose probation was extended by 6 months.
- `extend` writes `applicants`: those two and the roster's other 预备党员 (linked to the 支部大会 records that
  admitted them where the meetings area made one), a 发展对象, an 积极分子 ready to become 发展对象, an applicant
  whose interview came late (D02), a new applicant, and one who withdrew. One approval is past 3 months (D17).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from db.dates import add_months

SEED = 5_2026
D = dt.date


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def prepare(doc: dict[str, Any], ctx: dict[str, Any]) -> None:
    """Before the other areas run: of the roster's 预备党员 (the last ones generated), the branch admitted one
    about 11 months ago (转正 due next month) and one 17 months ago whose probation was extended by 6 months.
    Only their 支部大会 dates move; the roster keeps its size, so the meetings (the 接收 vote on that day) and the
    dues (from that month) follow."""
    today: dt.date = ctx["today"]
    probationary = sorted(
        (p for p in doc["members"] if p["category"] == "probationary"), key=lambda p: p["id"]
    )
    for p, joined in zip(
        probationary, (add_months(today, -11) - dt.timedelta(days=6), add_months(today, -17)), strict=False
    ):
        p["joined_on"] = joined.isoformat()
        p["in_branch_since"] = None
        p["notes"] = "经本支部发展，支部大会通过接收为预备党员"


def _full_members_on(doc: dict[str, Any], on: dt.date) -> list[dict[str, Any]]:
    """正式党员 in the branch that day who are still in it today (safe choices for 联系人/介绍人)."""
    out = []
    for p in doc["members"]:
        since = p.get("in_branch_since") or p.get("joined_on")
        full_on = p.get("full_on")
        if (
            p["status"] == "active"
            and since
            and since <= on.isoformat()
            and full_on
            and full_on <= on.isoformat()
        ):
            out.append(p)
    return out


def _organiser(doc: dict[str, Any]) -> str:
    return next((p["name"] for p in doc["members"] if p.get("post") == "组织委员"), doc["members"][0]["name"])


def _vote_from_meeting(doc: dict[str, Any], name: str, day: dt.date) -> tuple[int | None, dict[str, Any]]:
    for m in doc.get("meetings", []):
        if m["date"] == day.isoformat() and name in (m.get("topic") or ""):
            voters = [a for a in m["attendance"] if a.get("category") == "full" and a["status"] != "observer"]
            excluded = {x["member_id"] for x in m.get("excluded") or []}
            voters = [a for a in voters if a["member_id"] not in excluded]
            d = next((x for x in m["decisions"] if name in x["text"] and x.get("yes") is not None), None)
            if d is None:
                continue
            return m["id"], {
                "expected": len(voters),
                "present": sum(1 for a in voters if a["status"] == "present"),
                "yes": d["yes"],
                "no": d.get("no") or 0,
                "abstain": d.get("abstain") or 0,
                "written": d.get("written") or 0,
            }
    return None, {}


def _plain_vote(doc: dict[str, Any], day: dt.date) -> dict[str, Any]:
    n = len(_full_members_on(doc, day))
    present = n - 2
    return {"expected": n, "present": present, "yes": present, "no": 0, "abstain": 0, "written": 1}


def _history(
    doc: dict[str, Any], r: random.Random, name: str, g: dt.date | None, *, until: str, upper: str
) -> dict[str, Any]:
    """Steps of a clean path, counted back from the 支部大会 day G (or forward from an application)."""
    a = add_months(g, -27) if g else None
    assert a is not None
    j = add_months(a, 4)
    f = add_months(j, 12) + dt.timedelta(days=10)
    full = [p["id"] for p in _full_members_on(doc, j)]
    contacts = r.sample(full, 2)
    steps: dict[str, Any] = {
        "applied": a.isoformat(),
        "talked": {"date": (a + dt.timedelta(days=15)).isoformat(), "by": _organiser(doc)},
        "activist": {
            "date": j.isoformat(),
            "recommended_via": r.choice(["party_members", "mass_org"]),
            "decided_by": "committee",
        },
        "activist_filed": (j + dt.timedelta(days=10)).isoformat(),
        "contacts_assigned": {"date": (j + dt.timedelta(days=5)).isoformat(), "member_ids": contacts},
        "evaluations": [
            (add_months(j, 6) - dt.timedelta(days=5)).isoformat(),
            (add_months(j, 12) - dt.timedelta(days=5)).isoformat(),
        ],
        "candidate": f.isoformat(),
        "candidate_filed": (f + dt.timedelta(days=7)).isoformat(),
        "sponsors_assigned": {"date": (f + dt.timedelta(days=7)).isoformat(), "member_ids": contacts},
        "political_review": {"date": (f + dt.timedelta(days=30)).isoformat(), "conclusion": "合格"},
        "training": {
            "date": (f + dt.timedelta(days=42)).isoformat(),
            "actor": "园区党校",
            "start": (f + dt.timedelta(days=40)).isoformat(),
            "end": (f + dt.timedelta(days=42)).isoformat(),
            "hours": 24,
        },
    }
    if g is None:
        return steps
    steps.update(
        {
            "committee_review": (g - dt.timedelta(days=35)).isoformat(),
            "pre_review": {"date": (g - dt.timedelta(days=25)).isoformat(), "actor": upper},
            "volunteer_form": {
                "date": (g - dt.timedelta(days=20)).isoformat(),
                "number": f"{g.year}{r.randrange(100, 999)}",
            },
        }
    )
    vote_meeting, vote = _vote_from_meeting(doc, name, g)
    steps["branch_vote"] = {"date": g.isoformat(), **(vote or _plain_vote(doc, g))}
    if vote_meeting is not None:
        steps["branch_vote"]["meeting_id"] = vote_meeting
    if until == "branch_vote":
        return steps
    steps["upper_talk"] = {"date": (g + dt.timedelta(days=16)).isoformat(), "by": "园区党委组织员"}
    if until == "upper_talk":
        return steps
    s = g + dt.timedelta(days=39)
    steps.update(
        {
            "approved": {"date": s.isoformat(), "actor": upper, "approver_kind": "party_committee"},
            "approval_filed": (s + dt.timedelta(days=8)).isoformat(),
            "assigned_to_group": (s + dt.timedelta(days=4)).isoformat(),
            "oath": (s + dt.timedelta(days=21)).isoformat(),
        }
    )
    evals = [add_months(g, 6 * k) - dt.timedelta(days=3) for k in (1, 2, 3)]
    steps["probation_evaluations"] = [d.isoformat() for d in evals if d <= D(2026, 11, 22) and d > s]
    if not steps["probation_evaluations"]:
        del steps["probation_evaluations"]
    return steps


def _first_date(v: Any) -> dt.date:
    if isinstance(v, list):
        return D.fromisoformat(v[0])
    return D.fromisoformat(v["date"] if isinstance(v, dict) else v)


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    from resources.demo.generate import id_number

    r = random.Random(SEED + 1)
    today: dt.date = ctx["today"]
    upper = doc["branch"].get("upper_org") or "上级党委"
    out: list[dict[str, Any]] = []
    by_name = {p["name"]: p for p in doc["members"]}

    def person(p: dict[str, Any]) -> dict[str, Any]:
        return {
            k: p.get(k)
            for k in (
                "name",
                "gender",
                "ethnicity",
                "birth_date",
                "id_number",
                "education",
                "job",
                "occupation",
                "frontline",
                "phone",
            )
        }

    def add(base: dict[str, Any], stage: str, steps: dict[str, Any], **extra: Any) -> None:
        out.append(
            {
                "id": len(out) + 1,
                **base,
                "leaving_on": None,
                "stage": stage,
                "member_id": None,
                "stopped_on": None,
                "stop_reason": None,
                "notes": None,
                "steps": steps,
                "extension": None,
                **extra,
            }
        )

    # the roster's 预备党员, each admitted by the branch
    probationary = [p for p in doc["members"] if p["category"] == "probationary" and p["status"] == "active"]
    for p in sorted(probationary, key=lambda x: x["joined_on"]):
        g = D.fromisoformat(p["joined_on"])
        # the latest admitted, more than 3 months ago: the approval is still awaited (D17 warning)
        latest = max(D.fromisoformat(x["joined_on"]) for x in probationary)
        pending = g == latest and add_months(g, 3) < today <= add_months(g, 6)
        steps = _history(doc, r, p["name"], g, until="upper_talk" if pending else "all", upper=upper)
        extension = None
        if add_months(g, 12) < today:  # probation would be over: this one was extended by 6 months
            decided = add_months(g, 12)
            extension = {
                "decided_on": decided.isoformat(),
                "months": 6,
                "approved_on": (decided + dt.timedelta(days=20)).isoformat(),
                "reason": "预备期内参加组织生活不够经常，需进一步教育考察",
                "override_reason": None,
            }
        add(person(p), "probationary", steps, member_id=p["id"], extension=extension)
        if pending:
            out[-1]["notes"] = "已报上级党委，尚未批复"
    # a 发展对象 (next: 支委会审查), an 积极分子 ready to be 发展对象, a late interview, a new applicant, a withdrawal
    names = iter(["韩思远", "邓雨欣", "苏一鸣", "叶晓东", "潘子轩"])
    used = set(by_name)

    def outsider(gender: str, birth: dt.date, edu: str, job: str) -> dict[str, Any]:
        name = next(names)
        assert name not in used
        return {
            "name": name,
            "gender": gender,
            "ethnicity": "汉族",
            "birth_date": birth.isoformat(),
            "id_number": id_number(r, birth, gender),
            "education": edu,
            "job": job,
            "occupation": "professional",
            "frontline": job.endswith("工程师"),
            "phone": f"1{r.choice('3589')}{r.randrange(0, 10)}{r.randrange(0, 10**8):08d}",
        }

    cand = {
        k: v
        for k, v in _history(doc, r, "", add_months(today, 5), until="", upper=upper).items()
        if _first_date(v) <= today
    }
    add(outsider("male", D(1997, 2, 14), "大学本科", "研发工程师"), "candidate", cand)

    a = add_months(today, -20)
    j = add_months(a, 4)
    full = [p["id"] for p in _full_members_on(doc, j)]
    add(
        outsider("female", D(2000, 9, 1), "研究生（硕士）", "测试工程师"),
        "activist",
        {
            "applied": a.isoformat(),
            "talked": {"date": (a + dt.timedelta(days=20)).isoformat(), "by": _organiser(doc)},
            "activist": {"date": j.isoformat(), "recommended_via": "mass_org", "decided_by": "committee"},
            "activist_filed": (j + dt.timedelta(days=12)).isoformat(),
            "contacts_assigned": {
                "date": (j + dt.timedelta(days=5)).isoformat(),
                "member_ids": r.sample(full, 1),
            },
            "evaluations": [
                (add_months(j, 6) - dt.timedelta(days=4)).isoformat(),
                (add_months(j, 12) - dt.timedelta(days=9)).isoformat(),
            ],
        },
    )
    late = D(today.year, 9, 8)
    add(
        outsider("male", D(1999, 12, 5), "大学本科", "工艺工程师"),
        "applicant",
        {
            "applied": late.isoformat(),
            "talked": {
                "date": (add_months(late, 1) + dt.timedelta(days=12)).isoformat(),
                "by": _organiser(doc),
            },
        },
    )
    add(
        outsider("female", D(2001, 3, 27), "大学本科", "人事专员"),
        "applicant",
        {
            "applied": (today - dt.timedelta(days=12)).isoformat(),
        },
    )
    w = add_months(today, -30)
    add(
        outsider("male", D(1994, 7, 19), "大学专科", "销售经理"),
        "stopped",
        {
            "applied": w.isoformat(),
            "talked": {"date": (w + dt.timedelta(days=14)).isoformat(), "by": _organiser(doc)},
        },
        stopped_on=add_months(w, 5).isoformat(),
        stop_reason="本人调离本单位，撤回入党申请",
    )
    doc["applicants"] = out
