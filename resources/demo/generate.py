"""Generate the fictional demo branch as an interchange document.

    python -m resources.demo.generate            # rewrites resources/demo/demo_branch.json
    generate(seed, members=60, years=10)         # bigger ledgers for the benchmark

Everything is invented: names are drawn from common characters, ID numbers carry valid check digits for
invented people, phone numbers are in an unassigned-looking pattern. Each area adds its records through
an `extend(doc, rng, ctx)` function in a module of this folder (gen_*.py), so the demo grows with the app.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "demo_branch.json"
AREA_MODULES = (
    "gen_meetings",
    "gen_dues",
    "gen_development",
    "gen_checklists",
    "gen_orglife",
    "gen_transfers",
    "gen_life",
    "gen_guide",
    "gen_park",
    "gen_forms",
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国晓东海燕宁波凯文斌佳琳雪梅浩然子轩思远雨欣一鸣嘉怡志强"
JOBS = [
    "研发工程师",
    "测试工程师",
    "产品经理",
    "项目经理",
    "财务主管",
    "人事专员",
    "销售经理",
    "生产主管",
    "质量工程师",
    "行政助理",
    "技术总监",
    "采购专员",
    "设备工程师",
    "工艺工程师",
    "数据分析师",
]
EDU = [
    "研究生（博士）",
    "研究生（硕士）",
    "研究生（硕士）",
    "大学本科",
    "大学本科",
    "大学本科",
    "大学本科",
    "大学专科",
]
ETHNIC = ["汉族"] * 12 + ["回族", "满族", "壮族", "蒙古族"]
AREA = ["310117", "310112", "320506", "330106", "340104", "410105", "420106", "510107"]


def id_number(rng: random.Random, birth: dt.date, gender: str) -> str:
    from db.rules.idcard import check_char

    seq = rng.randrange(0, 99)
    last = rng.choice([1, 3, 5, 7, 9] if gender == "male" else [0, 2, 4, 6, 8])
    first17 = f"{rng.choice(AREA)}{birth:%Y%m%d}{seq:02d}{last}"
    return first17 + check_char(first17)


def person_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
        if name not in used:
            used.add(name)
            return name


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def generate(
    seed: int = 20261122, members: int = 36, years: int = 4, today: dt.date | None = None
) -> dict[str, Any]:
    from db.dates import add_years

    rng = random.Random(seed)
    today = today or dt.date(2026, 11, 22)
    start_year = today.year - years + 1
    founded = dt.date(start_year - 2, 6, 18)
    used: set[str] = set()
    people: list[dict[str, Any]] = []
    for i in range(1, members + 1):
        gender = "female" if rng.random() < 0.42 else "male"
        birth = _date(rng, dt.date(1968, 1, 1), dt.date(2001, 12, 31))
        joined = _date(rng, add_years(birth, 19), min(today - dt.timedelta(days=400), add_years(birth, 40)))
        probationary = i > members - 3  # the last three are 预备党员 (joined this year)
        if probationary:
            joined = _date(rng, dt.date(today.year - 1, 12, 1), today - dt.timedelta(days=40))
        in_branch = max(joined, founded) if rng.random() < 0.6 else _date(rng, max(joined, founded), today)
        people.append(
            {
                "id": i,
                "name": person_name(rng, used),
                "gender": gender,
                "ethnicity": rng.choice(ETHNIC),
                "birth_date": birth.isoformat(),
                "id_number": id_number(rng, birth, gender),
                "education": rng.choice(EDU),
                "category": "probationary" if probationary else "full",
                "joined_on": joined.isoformat(),
                "full_on": None if probationary else add_years(joined, 1).isoformat(),
                "status": "active",
                "status_changed_on": None,
                "in_branch_since": in_branch.isoformat() if in_branch > joined else None,
                "group_id": 1 if i % 2 else 2,
                "job": rng.choice(JOBS),
                "post": None,
                "occupation": rng.choice(["professional"] * 5 + ["manager"] * 2 + ["worker"]),
                "frontline": rng.random() < 0.3,
                "phone": f"1{rng.choice('3589')}{rng.randrange(0, 10)}{rng.randrange(0, 10**8):08d}",
                "landline": None,
                "address": f"上海市松江区{rng.choice(['九亭镇', '泗泾镇', '车墩镇', '新桥镇', '洞泾镇'])}"
                f"{rng.choice(['涞寅路', '沪松公路', '九新公路', '新飞路'])}{rng.randrange(1, 999)}弄"
                f"{rng.randrange(1, 40)}号{rng.randrange(101, 1802)}室",
                "is_mobile": False,
                "mobile_destination": None,
                "lost_contact_since": None,
                "notes": None,
                "history": [],
            }
        )
    # one member transferred out last year, one mobile member
    gone = people[5]
    gone["status"] = "transferred_out"
    gone["status_changed_on"] = dt.date(today.year - 1, 6, 15).isoformat()
    gone["history"] = [
        {
            "field": "status",
            "from_value": "active",
            "to_value": "transferred_out",
            "changed_on": gone["status_changed_on"],
            "reason": "工作调动，组织关系转至原籍",
        }
    ]
    people[9]["is_mobile"] = True
    people[9]["mobile_destination"] = "江苏省苏州市工业园区"
    active_full = [p for p in people if p["status"] == "active" and p["category"] == "full"]
    roles = ["secretary", "deputy", "organization", "propaganda", "discipline"]
    committee = active_full[:5]
    for p, r in zip(committee, roles, strict=True):
        p["post"] = {
            "secretary": "支部书记",
            "deputy": "支部副书记",
            "organization": "组织委员",
            "propaganda": "宣传委员",
            "discipline": "纪检委员",
        }[r]
    term_start = dt.date(today.year - 2, 3, 20)
    doc: dict[str, Any] = {
        "format": "branch-ledger",
        "version": 1,
        "exported_at": f"{today.isoformat()}T09:00:00",
        "settings": {},
        "branch": {
            "name": "中共松江星辰智能科技有限公司支部委员会",
            "upper_org": "中共松江科技园区综合党委",
            "park": "G60科创走廊松江科技园",
            "founded_on": founded.isoformat(),
            "enterprise": "松江星辰智能科技有限公司（示例，虚构）",
            "notes": "本示例支部及其中的人员、号码均为虚构，仅供熟悉软件使用。",
        },
        "party_groups": [
            {
                "id": 1,
                "name": "研发党小组",
                "leader_id": active_full[6]["id"],
                "created_on": founded.isoformat(),
                "dissolved_on": None,
                "notes": None,
            },
            {
                "id": 2,
                "name": "综合党小组",
                "leader_id": active_full[7]["id"],
                "created_on": founded.isoformat(),
                "dissolved_on": None,
                "notes": None,
            },
        ],
        "members": people,
        "committee_terms": [
            {
                "id": 1,
                "kind": "committee",
                "elected_on": dt.date(term_start.year - 3, 3, 18).isoformat(),
                "starts_on": dt.date(term_start.year - 3, 3, 20).isoformat(),
                "ends_on": (term_start - dt.timedelta(days=1)).isoformat(),
                "approval_ref": "园区党委〔2021〕12号",
                "notes": None,
                "members": [
                    {"member_id": p["id"], "role": r, "from_on": None, "to_on": None, "notes": None}
                    for p, r in zip(active_full[2:7], roles, strict=True)
                ],
            },
            {
                "id": 2,
                "kind": "committee",
                "elected_on": dt.date(term_start.year, 3, 18).isoformat(),
                "starts_on": term_start.isoformat(),
                "ends_on": (add_years(term_start, 3) - dt.timedelta(days=1)).isoformat(),
                "approval_ref": "园区党委〔2024〕8号",
                "notes": None,
                "members": [
                    {"member_id": p["id"], "role": r, "from_on": None, "to_on": None, "notes": None}
                    for p, r in zip(committee, roles, strict=True)
                ],
            },
        ],
    }
    ctx = {"today": today, "start_year": start_year, "years": years, "founded": founded}
    modules = []
    for name in AREA_MODULES:
        try:
            modules.append(importlib.import_module(f"resources.demo.{name}"))
        except ModuleNotFoundError as e:
            if e.name != f"resources.demo.{name}":
                raise
    # People every area must see (the 预备党员 that 发展党员 admitted) are added first, with the area's own
    # random source, so the other areas' meetings and dues include them.
    for module in modules:
        if hasattr(module, "prepare"):
            module.prepare(doc, ctx)
    for module in modules:
        module.extend(doc, rng, ctx)
    return doc


def main() -> None:
    doc = generate()
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({len(doc['members'])} members)")


if __name__ == "__main__":
    main()
