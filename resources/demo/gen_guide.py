"""Demo records of issue 19 (items 1–2): the park committee's 主题党日指导清单 for this year, month by month — most
months carried out by the 主题党日 the branch held (linked), February changed with the reason, August missed
(no 主题党日 that month: K01), December planned (the 组织生活会 plan); and the secretary's 书记项目 with a
milestone past its due date (K02), progress notes with a meeting, a figure and a photo; last year's project
closed against its targets."""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
from typing import Any

FORMS = ["专题学习", "主题党课", "志愿服务", "红色寻访", "交流研讨", "主题微演讲", "岗位建功", "观影讨论"]
NODES = {
    1: "元旦",
    2: "春节",
    3: "学雷锋纪念日",
    4: "清明节",
    5: "五四青年节",
    6: "安全生产月",
    7: "建党节",
    8: "建军节",
    9: "全国科普日",
    10: "国庆节",
    11: "组织生活会前",
    12: "年度组织生活会",
}
# Months the list gives its own theme (the branch did something else, or nothing).
OWN = {
    2: ("新春走访慰问困难党员职工", "走访困难党员、老党员，送上节日慰问"),
    8: ("党员责任区安全隐患排查", "以党员责任区为单位排查车间和实验室安全隐患，结果在支部公示"),
}


def _photo() -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (96, 64), (176, 32, 32)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def _theme_day(doc: dict[str, Any], year: int, month: int) -> dict[str, Any] | None:
    for m in sorted(doc["meetings"], key=lambda m: m["date"]):
        if "theme_day" in m["kinds"] and m["date"][:7] == f"{year}-{month:02d}":
            return m
    return None


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    today: dt.date = ctx["today"]
    year = today.year
    plans = doc.setdefault("planned_meetings", [])
    items = []
    for month in range(1, 13):
        held = _theme_day(doc, year, month)
        item: dict[str, Any] = {
            "id": month,
            "month": month,
            "seq": 1,
            "points": None,
            "forms": FORMS[month % len(FORMS)],
            "node": NODES[month],
            "plan_id": None,
            "meeting_id": None,
            "deviation": None,
            "reason": None,
        }
        if month in OWN:
            item["theme"], item["points"] = OWN[month]
        elif held is not None:
            item["theme"] = held["topic"]
            item["points"] = f"围绕“{held['topic']}”组织党员集中学习、交流体会"
        else:
            item["theme"], item["points"] = (
                "年度组织生活会和民主评议党员",
                "对照检查、批评与自我批评、民主评议",
            )
        if month == 2:
            item["deviation"] = "changed"
            item["reason"] = "春节走访由公司工会在节前统一组织，本月改为参观红色教育基地"
            item["meeting_id"] = held["id"] if held else None
        elif month == 8:
            pass  # nothing held, nothing said: K01
        elif held is not None and dt.date.fromisoformat(held["date"]) <= today:
            item["meeting_id"] = held["id"]
        if month == 12:
            plan = next(
                (p for p in plans if "theme_day" in p["kinds"] and p["date"][:7] == f"{year}-12"), None
            )
            if plan is not None:
                item["theme"], item["plan_id"] = plan["topic"], plan["id"]
        items.append(item)
    doc["guide_lists"] = [
        {
            "id": 1,
            "year": year,
            "issuer": doc["branch"]["upper_org"],
            "title": f"{year}年度“两新”组织党组织主题党日指导清单",
            "source": f"{year}年主题党日指导清单.xlsx",
            "imported_on": f"{year}-01-06",
            "items": items,
        }
    ]
    secretary = next(
        s["member_id"] for s in doc["committee_terms"][-1]["members"] if s["role"] == "secretary"
    )
    meeting_mar = _theme_day(doc, year, 3)
    doc["projects"] = [
        {
            "id": 1,
            "year": year - 1,
            "kind": "secretary",
            "title": "“党员+骨干”双向培养计划",
            "owner_id": secretary,
            "goal": "研发骨干队伍稳定，关键岗位有党员",
            "tags": "工匠培育",
            "background": "研发骨干流动较快，党员在关键岗位占比不高。",
            "problem": "把党员培养成骨干、把骨干培养成党员的机制不健全。",
            "measures": "建立党员与骨干结对，骨干中的入党积极分子由支委联系培养。",
            "schedule": "一季度结对；二、三季度培养；四季度评估。",
            "expected": "结对10对，新确定入党积极分子2名。",
            "approved_on": f"{year - 1}-02-20",
            "closed_on": f"{year - 1}-12-20",
            "outcome": "结对11对，新确定入党积极分子2名，1名骨干递交入党申请书。",
            "targets": [
                {
                    "id": 1,
                    "seq": 1,
                    "indicator": "党员与骨干结对",
                    "expected": "10对",
                    "actual": "11对",
                    "met": True,
                },
                {
                    "id": 2,
                    "seq": 2,
                    "indicator": "新确定入党积极分子",
                    "expected": "2名",
                    "actual": "2名",
                    "met": True,
                },
            ],
            "milestones": [
                {
                    "id": 1,
                    "title": "完成结对",
                    "due_on": f"{year - 1}-03-31",
                    "done_on": f"{year - 1}-03-28",
                    "notes": None,
                },
                {
                    "id": 2,
                    "title": "年度评估",
                    "due_on": f"{year - 1}-12-15",
                    "done_on": f"{year - 1}-12-12",
                    "notes": None,
                },
            ],
            "progress": [],
        },
        {
            "id": 2,
            "year": year,
            "kind": "secretary",
            "title": "党员技术攻关突击队助力新一代控制器量产",
            "owner_id": secretary,
            "goal": "新一代控制器年内量产，一次良率达到95%",
            "tags": "科技攻关、工匠培育",
            "background": "新一代控制器试产阶段一次良率约88%，关键工序的技术骨干分散在三个部门。",
            "problem": "关键工序良率偏低；党员技术骨干的带头作用没有形成合力。",
            "measures": "组建党员技术攻关突击队，在关键工序设立党员示范岗；每月一次攻关例会，结合主题党日交流。",
            "schedule": "3月组建突击队；6月完成关键工序攻关；9月完成量产验收；12月总结结项。",
            "expected": "一次良率达到95%；培养技术骨干5名，其中发展对象1名。",
            "approved_on": f"{year}-02-26",
            "closed_on": None,
            "outcome": None,
            "targets": [
                {"id": 3, "seq": 1, "indicator": "一次良率", "expected": "95%", "actual": None, "met": None},
                {
                    "id": 4,
                    "seq": 2,
                    "indicator": "培养技术骨干",
                    "expected": "5名",
                    "actual": None,
                    "met": None,
                },
            ],
            "milestones": [
                {
                    "id": 3,
                    "title": "组建党员技术攻关突击队",
                    "due_on": f"{year}-03-31",
                    "done_on": f"{year}-03-19",
                    "notes": "12名党员",
                },
                {
                    "id": 4,
                    "title": "完成关键工序攻关",
                    "due_on": f"{year}-06-30",
                    "done_on": f"{year}-07-10",
                    "notes": None,
                },
                {
                    "id": 5,
                    "title": "量产验收",
                    "due_on": f"{year}-09-30",
                    "done_on": None,
                    "notes": "客户验收推迟",
                },
                {"id": 6, "title": "总结结项", "due_on": f"{year}-12-20", "done_on": None, "notes": None},
            ],
            "progress": [
                {
                    "id": 1,
                    "noted_on": f"{year}-03-19",
                    "text": "突击队成立，12名党员技术骨干到岗，在主题党日上举行授旗仪式。",
                    "milestone_id": 3,
                    "meeting_id": meeting_mar["id"] if meeting_mar else None,
                    "target_id": None,
                    "figure": None,
                    "photos": [
                        {
                            "id": 1,
                            "file_name": "授旗仪式.png",
                            "mime": "image/png",
                            "caption": "突击队授旗",
                            "data": _photo(),
                        }
                    ],
                },
                {
                    "id": 2,
                    "noted_on": f"{year}-07-10",
                    "text": "关键工序攻关完成，贴片工艺参数固化。",
                    "milestone_id": 4,
                    "meeting_id": None,
                    "target_id": 3,
                    "figure": "92%",
                    "photos": [],
                },
                {
                    "id": 3,
                    "noted_on": f"{year}-10-15",
                    "text": "客户验收推迟到12月；本月良率稳定在93%。",
                    "milestone_id": 5,
                    "meeting_id": None,
                    "target_id": 3,
                    "figure": "93%",
                    "photos": [],
                },
            ],
        },
    ]
