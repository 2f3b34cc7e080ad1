"""Demo records of issue 18 (流动党员, 奖惩, 关怀), with the gaps a real branch has: the member working in 苏州 with
her 活动证, a regular contact log and three months of 党费 paid there; one at a fixed place in 深圳 for over a year
without transferring (L02) and not heard from since January (L03); one 失联 since spring (L04); an 优秀共产党员
and a 表扬; a 留党察看 from September (no vote for a year); a 限期改正 past its six months (L05); the 老党员 and a
困难党员 on the 关怀 register with last winter's and 七一 visits, none yet for the coming 春节 (L07 from December),
one with the 关怀豁免 flag."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any


def _active(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in doc["members"] if p["status"] == "active" and p.get("full_on")]


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    today: dt.date = ctx["today"]
    y = today.year
    people = _active(doc)
    mobile = next((p for p in people if p.get("is_mobile")), people[0])
    committee = {s["member_id"] for t in doc["committee_terms"] for s in t["members"]}
    others = [p for p in people if p["id"] != mobile["id"] and p["id"] not in committee]
    shenzhen, lost, probation, correct, excellent, praised = others[-6:]
    taken = {mobile["id"], *(p["id"] for p in others[-6:])}
    elderly = sorted(
        (p for p in people if p["id"] not in taken), key=lambda p: p.get("birth_date") or "9999"
    )[:4]

    def d(m: int, day: int, year: int = y) -> str:
        return dt.date(year, m, day).isoformat()

    paid_there = [f"{y}-03", f"{y}-04", f"{y}-05"]
    doc["dues_payments"] = [
        x for x in doc["dues_payments"] if not (x["member_id"] == mobile["id"] and x["month"] in paid_there)
    ]
    doc["mobility"] = {
        "outings": [
            {
                "id": 1,
                "member_id": mobile["id"],
                "left_on": d(2, 20),
                "returned_on": None,
                "destination": mobile.get("mobile_destination") or "江苏省苏州市工业园区",
                "employer": "苏州某半导体公司（项目驻场）",
                "kind": "business",
                "away_reason": "公司派驻客户现场，项目周期约一年",
                "fixed_place": False,
                "contact": "微信同手机",
                "host_branch": "苏州工业园区某企业联合党支部",
                "host_contact": "流入地组织委员",
                "card_no": "3205002026000031",
                "card_issued_on": d(2, 18),
                "card_valid_until": d(2, 17, y + 1),
                "vote_elsewhere": False,
                "notes": None,
                "contacts": [
                    {
                        "id": 1,
                        "contacted_on": d(3, 15),
                        "way": "phone",
                        "by_whom": "组织委员",
                        "log_note": "已到流入地报到，参加当地支部主题党日",
                    },
                    {
                        "id": 2,
                        "contacted_on": d(7, 1),
                        "way": "online",
                        "by_whom": "书记",
                        "log_note": "线上参加七一党课",
                    },
                    {
                        "id": 3,
                        "contacted_on": d(10, 28),
                        "way": "report",
                        "by_whom": "组织委员",
                        "log_note": "书面汇报思想工作情况",
                    },
                ],
            },
            {
                "id": 2,
                "member_id": shenzhen["id"],
                "left_on": d(9, 1, y - 1),
                "returned_on": None,
                "destination": "广东省深圳市南山区",
                "employer": "深圳某研发中心",
                "kind": "work",
                "away_reason": "调往深圳研发中心长期工作",
                "fixed_place": True,
                "contact": "电话联系",
                "host_branch": None,
                "host_contact": None,
                "card_no": None,
                "card_issued_on": None,
                "card_valid_until": None,
                "vote_elsewhere": False,
                "notes": "应办理组织关系转接，尚未提交",
                "contacts": [
                    {
                        "id": 4,
                        "contacted_on": d(11, 20, y - 1),
                        "way": "phone",
                        "by_whom": "组织委员",
                        "log_note": "已安顿，工作繁忙",
                    },
                    {
                        "id": 5,
                        "contacted_on": d(1, 10),
                        "way": "phone",
                        "by_whom": "书记",
                        "log_note": "提醒办理组织关系转接",
                    },
                ],
            },
        ],
        "dues_elsewhere": [
            {"member_id": mobile["id"], "month": m, "place": "苏州工业园区某企业联合党支部", "notes": None}
            for m in paid_there
        ],
        "lost": [
            {
                "id": 1,
                "member_id": lost["id"],
                "since": d(4, 8),
                "found_on": None,
                "notes": "电话停机，微信未回复",
            }
        ],
    }
    doc["honors"] = [
        {
            "id": 1,
            "member_id": excellent["id"],
            "kind": "excellent_member",
            "title": None,
            "level": "committee",
            "awarded_on": d(6, 28),
            "awarded_by": "园区党委",
            "doc_no": f"园党〔{y}〕18号",
            "notes": None,
        },
        {
            "id": 2,
            "member_id": praised["id"],
            "kind": "praise",
            "title": "芯片攻关项目表现突出",
            "level": "branch",
            "awarded_on": d(9, 13),
            "awarded_by": "本支部党员大会",
            "doc_no": None,
            "notes": None,
        },
    ]
    doc["discipline"] = {
        "sanctions": [
            {
                "id": 1,
                "member_id": probation["id"],
                "kind": "probation",
                "decided_on": d(9, 20),
                "starts_on": d(9, 20),
                "ends_on": d(9, 20, y + 1),
                "decided_by": "园区纪工委",
                "doc_no": f"园纪〔{y}〕3号",
                "sanction_reason": "违反廉洁纪律（演示数据）",
                "notes": None,
            },
        ],
        "dispositions": [
            {
                "id": 1,
                "member_id": correct["id"],
                "kind": "correct",
                "filed_on": d(2, 20),
                "starts_on": d(3, 2),
                "ends_on": None,
                "closed_on": None,
                "outcome": None,
                "disposition_reason": "无正当理由多次不参加组织生活（演示数据）",
                "notes": None,
            },
        ],
    }
    categories = ["elderly", "elderly", "elderly", "hardship"]
    register = []
    visits = []
    vid = 1
    for i, (p, cat) in enumerate(zip(elderly, categories, strict=True)):
        register.append(
            {
                "id": i + 1,
                "member_id": p["id"],
                "category": cat,
                "since": d(12, 1, y - 2),
                "until": None,
                "hardship_detail": "家属重病，医疗支出大（演示数据）" if cat == "hardship" else None,
                "exempt": i == 0,
                "pairing": "书记结对" if cat == "hardship" else None,
                "notes": "行动不便，送学上门" if i == 0 else None,
            }
        )
        if i < 3:  # last winter: three of four visited; 七一: the 老党员
            visits.append(
                {
                    "id": vid,
                    "member_id": p["id"],
                    "visited_on": d(1, 20 + i),
                    "occasion": "spring",
                    "way": "money" if cat == "hardship" else "goods",
                    "gift": "米、油",
                    "amount": "500.00" if cat == "hardship" else None,
                    "fund": "upper",
                    "handled_by": "组织委员",
                    "signed": True,
                    "notes": None,
                }
            )
            vid += 1
        if cat == "elderly":
            visits.append(
                {
                    "id": vid,
                    "member_id": p["id"],
                    "visited_on": d(6, 30),
                    "occasion": "july1",
                    "way": "visit",
                    "gift": "纪念品",
                    "amount": None,
                    "fund": "unit",
                    "handled_by": "书记",
                    "signed": True,
                    "notes": None,
                }
            )
            vid += 1
    doc["care"] = {"register": register, "visits": visits}
