"""Demo 三会一课: four years of a mostly well-run branch — monthly 主题党日 and 支委会, 党小组会 per group,
quarterly 党员大会 and 党课 (often inside the 主题党日), the year-end 组织生活会 and 民主评议, 谈心谈话, the
接收预备党员 votes — with realistic gaps, a few 补记, absentees with 补学, one amendment and two photos."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import random
from typing import Any

THEMES = [
    "学习党的二十大精神",
    "学习《中国共产党支部工作条例（试行）》",
    "重温入党誓词",
    "学习习近平总书记重要讲话精神",
    "开展“我为群众办实事”志愿服务",
    "参观红色教育基地",
    "学习《中国共产党纪律处分条例》",
    "党史学习：遵义会议",
    "学习党的二十届三中全会精神",
    "研发攻关党员先锋岗交流",
    "安全生产月主题学习",
    "走进社区开展科普志愿服务",
    "学习新修订的《中国共产党章程》",
    "观看警示教育片",
    "“七一”重温入党初心",
    "学习新时代优秀共产党员先进事迹",
]
LECTURES = [
    "新质生产力与企业创新",
    "坚定理想信念　筑牢精神之基",
    "从党史中汲取奋进力量",
    "全面从严治党永远在路上",
    "做新时代合格党员",
    "中国式现代化的科技担当",
    "党的纪律建设",
    "发挥党员先锋模范作用",
]
COMMITTEE_ITEMS = [
    ("研究本月主题党日安排", "确定主题党日内容、时间和分工"),
    ("讨论党费收缴情况", "组织委员通报本月党费收缴情况，无欠缴"),
    ("研究入党积极分子培养工作", "听取培养联系人汇报，积极分子表现良好"),
    ("讨论党员先锋岗评选", "拟推荐研发党小组两名同志"),
    ("研究年度工作计划落实情况", "逐项对照年度计划，大部分按期完成"),
    ("研究志愿服务活动安排", "与社区党委对接，确定服务时间和人员"),
]
GROUP_TOPICS = [
    "学习讨论本月学习材料",
    "交流岗位建功情况",
    "讨论如何发挥党员先锋作用",
    "开展批评与自我批评",
    "学习先进典型事迹并交流体会",
    "讨论小组党员联系群众情况",
]
REASONS = [
    ("leave", "出差"),
    ("leave", "病假"),
    ("leave", "外出培训"),
    ("leave", "事假"),
    ("absent", "未请假，事后已说明"),
]
PLACES = ["公司党员活动室", "三楼会议室", "公司党员活动室", "线上（腾讯会议）+党员活动室"]


def _png(rng: random.Random, label_seed: int) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (160, 110), (238, 232, 225))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 159, 16), fill=(139, 0, 0))
    for i in range(6):
        x = 12 + i * 24
        h = 30 + (label_seed * 7 + i * 13) % 30
        d.ellipse((x, 95 - h - 12, x + 14, 95 - h + 2), fill=(90, 70, 60))
        d.rectangle((x - 2, 95 - h, x + 16, 100), fill=(40, 60, 110))
    out = io.BytesIO()
    im.save(out, format="PNG", optimize=True)
    return out.getvalue()


class _Roster:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.people = doc["members"]
        self.terms = doc.get("committee_terms", [])
        self.groups = doc.get("party_groups", [])

    def on(self, day: dt.date) -> list[tuple[int, str, int | None]]:
        """(id, category, group) of members in the branch on a day."""
        out = []
        for p in self.people:
            since = dt.date.fromisoformat(p.get("in_branch_since") or p["joined_on"])
            if since > day:
                continue
            if p["status"] != "active" and dt.date.fromisoformat(p["status_changed_on"]) <= day:
                continue
            full_on = p.get("full_on")
            cat = (
                "full"
                if full_on and dt.date.fromisoformat(full_on) <= day
                else ("probationary" if p["category"] == "probationary" or full_on else "full")
            )
            out.append((p["id"], cat, p.get("group_id")))
        return out

    def seats(self, day: dt.date) -> dict[str, int]:
        for t in self.terms:
            if dt.date.fromisoformat(t["starts_on"]) <= day <= dt.date.fromisoformat(t["ends_on"]):
                return {s["role"]: s["member_id"] for s in t["members"]}
        return {}


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    rng = random.Random(20261122 + 3)  # own stream: other areas' generators do not shift this one
    today: dt.date = ctx["today"]
    start_year: int = ctx["start_year"]
    roster = _Roster(doc)
    names = {p["id"]: p["name"] for p in doc["members"]}
    out: list[dict[str, Any]] = []
    next_id = [1]

    def attendance(
        day: dt.date,
        ids: list[tuple[int, str]],
        absent_rate: float = 0.08,
        observers: list[int] | None = None,
    ) -> list[dict[str, Any]]:
        rows = []
        for mid, cat in ids:
            status, reason = "present", None
            if rng.random() < absent_rate:
                status, reason = rng.choice(REASONS)
            rows.append({"member_id": mid, "status": status, "reason": reason, "category": cat})
        for mid in observers or []:
            if mid not in {r["member_id"] for r in rows}:
                rows.append({"member_id": mid, "status": "observer", "reason": "列席", "category": "full"})
        return rows

    def add(
        day: dt.date,
        kinds: list[str],
        topic: str,
        att: list[dict[str, Any]],
        host: int | None,
        recorder: int | None,
        **kw: Any,
    ) -> dict[str, Any]:
        for a in att:  # whoever chairs or keeps the record was there
            if a["member_id"] in (host, recorder) and a["status"] in ("leave", "absent"):
                a["status"], a["reason"] = "present", None
        there = {a["member_id"] for a in att if a["status"] in ("present", "observer")}
        for item in kw.get("agenda", []):  # only people who were there speak in the minutes
            item["speeches"] = [sp for sp in item.get("speeches", []) if sp["speaker_id"] in there]
        late = rng.random() < 0.025
        entered = day + dt.timedelta(days=rng.randrange(41, 75) if late else rng.randrange(0, 5))
        if entered > today:
            entered = today
        makeups = []
        for a in att:
            if a["status"] in ("leave", "absent"):
                done = day + dt.timedelta(days=rng.randrange(3, 20))
                ok = done < today and rng.random() < 0.85
                makeups.append(
                    {
                        "member_id": a["member_id"],
                        "done_on": done.isoformat() if ok else None,
                        "note": "自学会议材料并交流心得" if ok else None,
                    }
                )
        m: dict[str, Any] = {
            "id": next_id[0],
            "kinds": kinds,
            "date": day.isoformat(),
            "start_time": kw.pop("start_time", rng.choice(["14:00", "14:30", "15:00", "16:00"])),
            "end_time": None,
            "place": kw.pop("place", rng.choice(PLACES)),
            "host_id": host,
            "recorder_id": recorder,
            "group_id": kw.pop("group_id", None),
            "topic": topic,
            "lecturer": kw.pop("lecturer", None),
            "lecture_title": kw.pop("lecture_title", None),
            "minutes": kw.pop("minutes", None),
            "leftover": None,
            "observers": kw.pop("observers", None),
            "notes": None,
            "agenda": kw.pop("agenda", []),
            "decisions": kw.pop("decisions", []),
            "attendance": att,
            "excluded": [],
            "makeups": makeups,
            "amendments": [],
            "attachments": [],
            "entered_on": entered.isoformat(),
            "finalized_on": None,
        }
        h, mi = divmod(
            int(m["start_time"][:2]) * 60 + int(m["start_time"][3:]) + rng.choice([60, 90, 120]), 60
        )
        m["end_time"] = f"{h:02d}:{mi:02d}"
        if (today - day).days > 12:
            m["finalized_on"] = min(today, entered + dt.timedelta(days=rng.randrange(0, 4))).isoformat()
        next_id[0] += 1
        out.append(m)
        return m

    def speeches(ids: list[int], k: int) -> list[dict[str, Any]]:
        gists = [
            "结合岗位谈了学习体会，表示要在项目攻关中当好先锋",
            "建议把学习成果转化为具体工作举措",
            "提出要加强青年员工的思想引领",
            "谈了个人在服务群众方面的不足和改进打算",
            "建议支部多组织一线党员交流",
            "表示完全赞同，并愿意带头落实",
        ]
        pick = rng.sample(ids, min(k, len(ids)))
        return [{"speaker_id": i, "speaker_name": None, "gist": rng.choice(gists)} for i in pick]

    # 接收预备党员: the 支部大会 on the day each 预备党员 joined (in the demo window)
    joins = sorted(
        (dt.date.fromisoformat(p["joined_on"]), p["id"])
        for p in doc["members"]
        if dt.date.fromisoformat(p["joined_on"]).year >= start_year
        and dt.date.fromisoformat(p["joined_on"]) >= dt.date(start_year, 1, 1)
    )
    vote_days = {d: pid for d, pid in joins}

    for year in range(start_year, today.year + 1):
        for month in range(1, 13):
            first = dt.date(year, month, 1)
            if first > today:
                break
            seats = roster.seats(first)
            sec, org = seats.get("secretary"), seats.get("organization")
            q_end = month % 3 == 0
            q_mid = month % 3 == 2
            # 支委会, early in the month (one gap in August of last year)
            day = dt.date(year, month, rng.randrange(3, 8))
            if seats and day <= today and not (year == today.year - 1 and month == 8):
                ids = [
                    (seats[r], "full")
                    for r in ("secretary", "deputy", "organization", "propaganda", "discipline")
                    if r in seats
                ]
                title, gist = rng.choice(COMMITTEE_ITEMS)
                items = [{"title": title, "minutes": gist, "speeches": speeches([i for i, _ in ids], 2)}]
                decs = []
                if rng.random() < 0.25:
                    decs = [
                        {
                            "text": f"同意{title.replace('研究', '').replace('讨论', '')}方案",
                            "method": "show_of_hands",
                            "yes": len(ids),
                            "no": 0,
                            "abstain": 0,
                            "written": 0,
                            "passed": True,
                            "item": 1,
                        }
                    ]
                add(
                    day,
                    ["committee"],
                    title,
                    attendance(day, ids, 0.05),
                    sec,
                    org,
                    agenda=items,
                    decisions=decs,
                    place="三楼会议室",
                )
            # 主题党日 mid-month; in a quarter's middle month also the 党课, in its last month also the 党员大会
            day = dt.date(year, month, rng.randrange(12, 20))
            skip_theme = (year == today.year and month == 8) or (year == start_year and month == 2)
            if day <= today and not skip_theme:
                kinds = ["theme_day"]
                kw: dict[str, Any] = {}
                if q_mid:
                    kinds.append("lecture")
                    kw["lecturer"] = names.get(sec or 0, "支部书记")
                    kw["lecture_title"] = rng.choice(LECTURES)
                if q_end and not (year == today.year and month == 12):
                    kinds.append("assembly")
                topic = rng.choice(THEMES)
                att = attendance(day, [(i, c) for i, c, _g in roster.on(day)])
                items = [
                    {
                        "title": topic,
                        "minutes": "集中学习有关材料，党员结合工作交流发言",
                        "speeches": speeches([a["member_id"] for a in att if a["status"] == "present"], 3),
                    }
                ]
                decs = []
                if "assembly" in kinds:
                    items.append(
                        {
                            "title": "通报支部本季度工作和党费收缴情况",
                            "minutes": "书记通报，党员无异议",
                            "speeches": [],
                        }
                    )
                add(
                    day,
                    kinds,
                    topic,
                    att,
                    sec,
                    org,
                    agenda=items,
                    decisions=decs,
                    minutes="会前发布学习材料，会上集中学习、交流讨论。",
                    **kw,
                )
            # 党小组会 per group, late in the month (group 2 missed July this year)
            for g in roster.groups:
                day = dt.date(year, month, rng.randrange(20, 28))
                if day > today or (g["id"] == 2 and year == today.year and month == 7) or rng.random() < 0.03:
                    continue
                ids = [(i, c) for i, c, gg in roster.on(day) if gg == g["id"]]
                leader = g.get("leader_id")
                rec = next((i for i, _ in ids if i != leader), leader)
                topic = rng.choice(GROUP_TOPICS)
                add(
                    day,
                    ["group"],
                    topic,
                    attendance(day, ids, 0.1),
                    leader,
                    rec,
                    group_id=g["id"],
                    agenda=[
                        {
                            "title": topic,
                            "minutes": "小组成员逐一发言",
                            "speeches": speeches([i for i, _ in ids], 2),
                        }
                    ],
                    place="公司党员活动室",
                )
        # 谈心谈话 in September
        talk_day = dt.date(year, 9, 20)
        if talk_day <= today:
            seats = roster.seats(talk_day)
            if seats.get("secretary") and seats.get("deputy"):
                att = [
                    {
                        "member_id": seats["secretary"],
                        "status": "present",
                        "reason": None,
                        "category": "full",
                    },
                    {"member_id": seats["deputy"], "status": "present", "reason": None, "category": "full"},
                ]
                add(
                    talk_day,
                    ["talk"],
                    "支委之间谈心谈话",
                    att,
                    seats["secretary"],
                    seats["deputy"],
                    minutes="围绕履职情况、工作不足和改进方向坦诚交流。",
                )
        # year-end 组织生活会 + 民主评议 as a 党员大会 (this year's still to come)
        day = dt.date(year, 12, rng.randrange(18, 26))
        if day <= today:
            seats = roster.seats(day)
            att = attendance(day, [(i, c) for i, c, _g in roster.on(day)], 0.05)
            add(
                day,
                ["assembly", "org_life", "appraisal"],
                f"{year}年度组织生活会和民主评议党员",
                att,
                seats.get("secretary"),
                seats.get("organization"),
                agenda=[
                    {"title": "支委会对照检查", "minutes": "书记代表支委会作对照检查发言", "speeches": []},
                    {
                        "title": "党员个人自评和互评",
                        "minutes": "党员逐一发言，开展批评与自我批评",
                        "speeches": speeches([a["member_id"] for a in att if a["status"] == "present"], 4),
                    },
                    {"title": "民主测评", "minutes": "发放测评表，当场统计", "speeches": []},
                ],
                decisions=[
                    {
                        "text": f"{year}年度民主评议党员评定等次：优秀若干名，其余合格（预备党员不评等次）",
                        "method": "consensus",
                        "yes": None,
                        "no": None,
                        "abstain": None,
                        "written": None,
                        "passed": None,
                        "item": 3,
                    }
                ],
            )
    # 接收预备党员 votes at a 支部党员大会 on the day
    for day, pid in sorted(vote_days.items()):
        if day > today:
            continue
        seats = roster.seats(day)
        members_then = [(i, c) for i, c, _g in roster.on(day)]
        # the person admitted joins the roster that day but was not a member when the meeting sat: not in
        # its 应到 nor on its sign-in sheet (issue #14)
        att = [a for a in attendance(day, members_then, 0.06) if a["member_id"] != pid]
        voters = [a for a in att if a["category"] == "full"]
        present = [a for a in voters if a["status"] == "present"]
        absent_voters = len(voters) - len(present)
        written = min(absent_voters, 1) if absent_voters else 0
        no = 1 if len(present) > 12 and rng.random() < 0.5 else 0
        add(
            day,
            ["assembly"],
            f"讨论接收{names[pid]}同志为预备党员",
            att,
            seats.get("secretary"),
            seats.get("organization"),
            agenda=[
                {
                    "title": f"讨论接收{names[pid]}为中共预备党员",
                    "minutes": "发展对象汇报思想、工作情况；入党介绍人介绍情况；支委会报告审查情况；与会党员讨论",
                    "speeches": speeches([a["member_id"] for a in present], 3),
                }
            ],
            decisions=[
                {
                    "text": f"同意接收{names[pid]}同志为中共预备党员",
                    "method": "ballot",
                    "yes": len(present) - no,
                    "no": no,
                    "abstain": 0,
                    "written": written,
                    "passed": True,
                    "item": 1,
                }
            ],
        )
    out.sort(key=lambda m: (m["date"], m["id"]))
    # realistic imperfections: one record with a missing recorder, the latest two still drafts
    drafts = [m for m in out if m["finalized_on"] is None]
    if out:
        idx = max(i for i, m in enumerate(out) if m["date"] < f"{today.year}-10-01" and "group" in m["kinds"])
        out[idx]["recorder_id"] = None
        out[idx]["finalized_on"] = None
    # one amendment after 定稿, two photos and a scanned sign-in sheet
    final = [
        m
        for m in out
        if m["finalized_on"] and "assembly" in m["kinds"] and m["date"] >= f"{today.year}-01-01"
    ]
    if final:
        m = final[0]
        old_place = m["place"]
        m["place"] = "公司党员活动室（二楼）"
        m["amendments"].append(
            {
                "amended_on": (dt.date.fromisoformat(m["finalized_on"]) + dt.timedelta(days=6)).isoformat(),
                "field": "place",
                "before": old_place,
                "after": m["place"],
                "reason": "地点记录有误，按签到表更正",
            }
        )
        for k, (kind, name) in enumerate(
            [("photo", "会议现场.png"), ("sign_in", "签到表扫描件.png"), ("photo", "集体学习.png")]
        ):
            data = _png(rng, k)
            target = m if k < 2 else final[-1]
            target["attachments"].append(
                {
                    "id": k + 1,
                    "kind": kind,
                    "name": name,
                    "mime": "image/png",
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "added_on": target["date"],
                    "deleted_at": None,
                    "data": base64.b64encode(data).decode("ascii"),
                }
            )
    del drafts
    doc["meetings"] = out
    doc["planned_meetings"] = [
        {
            "id": 1,
            "date": dt.date(today.year, 12, 4).isoformat(),
            "kinds": ["committee"],
            "topic": "研究年度组织生活会方案",
            "group_id": None,
            "notes": None,
        },
        {
            "id": 2,
            "date": dt.date(today.year, 12, 18).isoformat(),
            "kinds": ["theme_day", "assembly", "org_life", "appraisal"],
            "topic": f"{today.year}年度组织生活会和民主评议党员",
            "group_id": None,
            "notes": "会前开展谈心谈话",
        },
    ]
