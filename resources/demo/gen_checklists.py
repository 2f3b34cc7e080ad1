"""Demo records of issue 6: last year's and this year's 六个一 self-check (mostly met, one gap with its 整改),
small generated evidence photos, and the election that produced the current committee."""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
from typing import Any

EVIDENCE = {
    "1": ("党员活动室设在行政楼三楼，按“六有”标准建设", "活动室照片；《党员活动室管理制度》"),
    "1.1": ("三楼党员活动室约40平方米，与公司会议室共用，可容纳全体党员", "活动室照片"),
    "1.2": ("配有会议桌椅40套、书柜2个、投影仪和电视", "固定资产登记表"),
    "1.3": ("门口挂“党员活动室”门牌，室内挂支部名牌", "门牌照片"),
    "1.4": ("正面墙悬挂党旗，陈列园区党委颁发的奖牌", "党旗照片"),
    "1.5": ("订阅《人民日报》《解放日报》《支部生活》，备有学习读本", "订阅单据"),
    "1.6": ("“三会一课”制度、入党誓词、党员权利义务上墙", "制度上墙照片"),
    "2": ("“星火研发先锋”品牌：党员攻关项目、技术讲堂", "品牌方案；项目清单"),
    "3": ("一楼大厅设企业展厅，展示发展历程和党建成果", "展厅照片"),
    "4": ("二楼走廊设党建宣传栏，每季度更新", "宣传栏照片"),
    "5": ("《星辰党建》电子简报，每季度一期", "简报存档"),
    "6": ("汇编《支部工作制度》，配备学习资料", "制度汇编"),
}
CAPTIONS = {
    "1.1": "活动室全景（示例图片）",
    "1.3": "门牌（示例图片）",
    "1.4": "室内党旗（示例图片）",
    "1.6": "制度上墙（示例图片）",
    "3": "企业展厅（示例图片）",
    "4": "二楼宣传栏（示例图片）",
}
COLORS = {
    "1.1": (196, 160, 120),
    "1.3": (150, 30, 30),
    "1.4": (200, 20, 20),
    "1.6": (230, 220, 200),
    "3": (90, 120, 160),
    "4": (120, 150, 90),
}


def _png(rng: random.Random, color: tuple[int, int, int], label: str) -> str:
    """A small picture standing in for a photo: a coloured room with a few shapes (no real people or places)."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (360, 240), color)
    d = ImageDraw.Draw(im)
    d.rectangle((0, 170, 360, 240), fill=tuple(max(0, c - 50) for c in color))
    for _ in range(4):
        x, y = rng.randrange(20, 300), rng.randrange(20, 120)
        d.rectangle(
            (x, y, x + rng.randrange(30, 60), y + rng.randrange(20, 40)),
            fill=(245, 240, 230),
            outline=(60, 60, 60),
        )
    d.rectangle((8, 8, 352, 232), outline=(255, 255, 255), width=3)
    d.text((14, 214), label, fill=(255, 255, 255))
    out = io.BytesIO()
    im.save(out, "PNG", optimize=True)
    return base64.b64encode(out.getvalue()).decode("ascii")


def _item(
    key: str, title: str, standard: str, checked: dt.date, status: str = "met", **extra: Any
) -> dict[str, Any]:
    ev, docs = EVIDENCE.get(key, ("", ""))
    return {
        "key": key,
        "title": title,
        "standard": standard,
        "met": status == "met",
        "status": status,
        "evidence": extra.pop("evidence", ev),
        "documents": docs,
        "checked_on": checked.isoformat(),
        "rectification": None,
        "rect_due": None,
        "rect_done": None,
        "photos": [],
        **extra,
    }


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    from db.checklists import DEFAULT_ITEMS, DEFAULT_NAME, DEFAULT_SOURCE

    today: dt.date = ctx["today"]
    entries = []
    photo_id = 1
    for year in (today.year - 1, today.year):
        checked = dt.date(year, 11, 12) if year < today.year else dt.date(year, 6, 26)
        items = []
        for top in DEFAULT_ITEMS:
            subs = []
            for sub in top.get("sub_items", []):
                s = _item(sub["key"], sub["title"], sub["standard"], checked)
                if year == today.year and sub["key"] == "1.5":
                    s.update(
                        status="partly",
                        met=False,
                        evidence="党报党刊已订阅，但2026年下半年的《支部生活》未续订，学习资料未更新",
                        rectification="续订《支部生活》，补充党的二十届三中全会学习资料",
                        rect_due=dt.date(year, 12, 31).isoformat(),
                    )
                subs.append(s)
            it = _item(top["key"], top["title"], top["standard"], checked, sub_items=subs)
            if year == today.year and top["key"] == "5":
                it.update(
                    status="not_met",
                    met=False,
                    evidence="简报自2026年第二季度起停刊，未按季度出刊",
                    rectification="由宣传委员负责恢复《星辰党建》电子简报，第四季度出一期",
                    rect_due=dt.date(year, 10, 31).isoformat(),
                )
            if year == today.year - 1 and top["key"] == "4":
                it.update(
                    rectification="宣传栏内容更新不及时，改为每季度第一周更新",
                    rect_due=dt.date(year, 12, 31).isoformat(),
                    rect_done=dt.date(year, 12, 5).isoformat(),
                )
            items.append(it)
        if year == today.year:
            for it in items:
                for target in [it, *it["sub_items"]]:
                    if target["key"] in COLORS:
                        target["photos"].append(
                            {
                                "id": photo_id,
                                "file_name": f"evidence-{target['key']}.png",
                                "mime": "image/png",
                                "caption": CAPTIONS[target["key"]],
                                "added_on": checked.isoformat(),
                                "data": _png(rng, COLORS[target["key"]], f"demo {target['key']}"),
                            }
                        )
                        photo_id += 1
        entries.append(
            {
                "year": year,
                "name": DEFAULT_NAME,
                "definition_year": today.year - 1,
                "source": DEFAULT_SOURCE,
                "notes": None,
                "items": items,
                "unlisted": [],
            }
        )
    doc["checklists"] = entries
    # the election that produced the current committee (term 2)
    term = next(t for t in doc["committee_terms"] if t["id"] == 2)
    full = [p for p in doc["members"] if p["category"] == "full"]
    expected = len(full) - 1
    present = expected - 2
    cands = []
    for i, seat in enumerate(term["members"]):
        cands.append(
            {
                "member_id": seat["member_id"],
                "votes_for": present - i % 3,
                "votes_against": 0,
                "abstain": i % 3,
                "elected": None,
                "role": seat["role"],
                "notes": None,
            }
        )
    elected_on = dt.date.fromisoformat(term["elected_on"])
    doc["elections"] = [
        {
            "id": 1,
            "kind": "general",
            "held_on": elected_on.isoformat(),
            "term_id": 2,
            "expected": expected,
            "present": present,
            "seats": len(cands),
            "method": "secret",
            "secretary_approved_on": (elected_on + dt.timedelta(days=14)).isoformat(),
            "secretary_approval_ref": term.get("approval_ref"),
            "members_filed_on": (elected_on + dt.timedelta(days=10)).isoformat(),
            "members_filing_ref": None,
            "notes": "支部党员大会选举产生第二届支部委员会；支委会选举书记、副书记",
            "candidates": cands,
        }
    ]
    doc["committee_vacancies"] = []
