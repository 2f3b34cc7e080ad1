"""Demo records of issue 19 items 3–5: four 示范岗/责任区 (one 突击队 that has ended), the example 星级 scheme
(示例，非正式标准) scored for last year with its gaps and one manual item checked, and last year's 年度总结 built
from the demo's own records, with a few lines in the secretary's words, finalised in January.

The 总结 is built by the app itself (db.plans over a scratch ledger loaded from the document so far), so every
number in it is the demo's."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path
from typing import Any

from resources.demo.gen_orglife import _on_roster

POSTS = [
    # kind, name, scope, duty, pledge, start, end, end_reason, how many holders
    (
        "model",
        "研发中心党员示范岗",
        "研发中心算法组",
        "关键技术攻关，带教新员工",
        "岗位建功、技术练兵，带头攻克核心算法难题",
        (-2, 7, 1),
        None,
        None,
        2,
    ),
    (
        "area",
        "生产车间党员责任区",
        "二号车间三条产线",
        "安全生产、质量把关",
        "亮身份、亮标准、亮承诺，责任区内零安全事故",
        (-1, 3, 1),
        None,
        None,
        2,
    ),
    (
        "commando",
        "质量攻关党员突击队",
        "客户投诉专项整改",
        "三个月内完成质量问题整改",
        "急难险重任务冲在前",
        (-1, 5, 10),
        (-1, 12, 31),
        None,
        3,
    ),
    (
        "pioneer",
        "客户服务党员先锋岗",
        "客服中心",
        "服务客户、解决问题",
        "服务亮承诺，客户投诉24小时内回应",
        (0, 3, 1),
        None,
        None,
        1,
    ),
]

SUMMARY_TEXT = {
    "meetings": "全年按计划开展组织生活，8月因项目交付集中未召开支委会，已在9月支委会上说明。",
    "posts": "示范岗、责任区在研发攻关和安全生产中发挥了作用，突击队完成客户投诉专项整改后撤销。",
    "next": "补齐支委会和党费上缴的短板；继续做好发展党员和示范岗工作。",
}


def _posts(doc: dict[str, Any], rng: random.Random, today: dt.date) -> list[dict[str, Any]]:
    out = []
    used: set[int] = set()
    for n, (kind, name, scope, duty, pledge, start, end, reason, k) in enumerate(POSTS, start=1):
        day = dt.date(today.year + start[0], start[1], start[2])
        ends = dt.date(today.year + end[0], end[1], end[2]) if end else None
        cands = [
            p["id"]
            for p in doc["members"]
            if _on_roster(p, day) and (ends is None or _on_roster(p, ends)) and p["id"] not in used
        ]
        holders = sorted(rng.sample(cands, k))
        used.update(holders)
        out.append(
            {
                "id": n,
                "kind": kind,
                "name": name,
                "scope": scope,
                "duty": duty,
                "pledge": pledge,
                "starts_on": day.isoformat(),
                "ends_on": ends.isoformat() if ends else None,
                "end_reason": reason,
                "notes": None,
                "member_ids": holders,
            }
        )
    return out


def extend(doc: dict[str, Any], rng: random.Random, ctx: dict[str, Any]) -> None:
    from db import clock, interchange, plans, scorecards
    from db.connection import open_ledger

    today: dt.date = ctx["today"]
    last = today.year - 1
    doc["posts"] = _posts(doc, rng, today)
    saved = getattr(clock, "_frozen", None)
    with tempfile.TemporaryDirectory() as tmp:
        led = open_ledger(Path(tmp) / "demo.sqlite", create=True)
        try:
            interchange.load(led, {k: v for k, v in doc.items()})
            clock._frozen = dt.date(today.year, 1, 20)  # the secretary wrote the 总结 in January
            sid = scorecards.save_scheme(led, scorecards.example_scheme(last))
            scorecards.save_check(
                led,
                scorecards.Check(
                    sid,
                    last,
                    "11",
                    True,
                    None,
                    "“星辰先锋”党建品牌方案、活动照片",
                    dt.date(today.year, 1, 15),
                ),
            )
            p = plans.build_draft(led, last, "summary")
            assert p.id is not None
            plans.save_text(led, p.id, SUMMARY_TEXT)
            plans.finalize_plan(led, p.id, dt.date(today.year, 1, 20))
            dumped = interchange.dump(led)
        finally:
            clock._frozen = saved
            led.close()
    doc["plans"] = dumped["plans"]
    doc["scorecards"] = dumped["scorecards"]
