"""The 建账步骤 (issue #15 §3): what a new ledger still needs before its 工作台 is true — 支部信息, 花名册,
支委会/书记, 起始日期, 党费基数和已交至, 发展党员, 历史记录（可选）— each ticked from the data, never by hand
(发展党员 and 历史记录 can be answered "没有" for a branch that has none: `skip_step`). The list is shown for a
ledger that has a start date (every ledger made with 新建支部 since issue #15) until the required steps are done.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db import clock
from db.opening.start import records_start

if TYPE_CHECKING:
    from db.connection import Ledger

SKIP_KEY = "setup_skipped"  # settings: the optional answers "没有" (a list of step keys)


@dataclass(frozen=True)
class SetupStep:
    key: str
    label: str
    done: bool
    hint: str  # what to do (or what was found)
    section: str  # the screen that does it
    area: str  # the findings area it settles (db.findings.AREAS), "" for none
    optional: bool = False
    skippable: bool = False


def skipped(ledger: Ledger) -> set[str]:
    row = ledger.query_one("SELECT value FROM settings WHERE key=?", (SKIP_KEY,))
    if row is None:
        return set()
    value = json.loads(row[0])
    return {str(v) for v in value} if isinstance(value, list) else set()


def skip_step(ledger: Ledger, key: str, skip: bool = True) -> None:
    """Answer "没有" for a skippable step (or take the answer back), as one operation."""
    keys = skipped(ledger)
    keys = keys | {key} if skip else keys - {key}
    from db.settings.store import set_value

    with ledger.operation("SkipSetupStep", "建账步骤：" + ("没有" if skip else "撤回“没有”")):
        set_value(ledger, SKIP_KEY, sorted(keys))


def setup_steps(ledger: Ledger, today: dt.date | None = None) -> list[SetupStep]:
    today = today or clock.today()
    skip = skipped(ledger)
    b = ledger.query_one("SELECT name, upper_org FROM branch WHERE id=1")
    branch_done = bool(b and b["name"] and b["upper_org"])
    from db import members

    roster = members.roster_on(ledger, today)
    ids = [r.id for r in roster]
    from db.committee.terms import list_terms

    term = next((t for t in reversed(list_terms(ledger)) if t.active_on(today)), None)
    start = records_start(ledger)
    # 党费: every member on the roster has this year's 核定 fixed, and 已交至 known (from paper or the ledger)
    based = {
        r[0]
        for r in ledger.query(
            "SELECT member_id FROM dues_bases WHERE year=? AND draft=0 AND amount IS NOT NULL", (today.year,)
        )
    }
    known = {
        r[0]
        for r in ledger.query(
            "SELECT member_id FROM member_openings WHERE dues_paid_through IS NOT NULL "
            "UNION SELECT member_id FROM dues_payments"
        )
    }
    no_base = [i for i in ids if i not in based]
    unknown = [i for i in ids if i not in known]
    dues_done = bool(ids) and not no_base and not unknown
    applicants = ledger.scalar("SELECT count(*) FROM applicants") or 0
    history = bool(
        start
        and (
            ledger.scalar("SELECT count(*) FROM meetings WHERE date < ?", (start.isoformat(),))
            or ledger.scalar("SELECT count(*) FROM dues_payments WHERE month < ?", (start.strftime("%Y-%m"),))
        )
    )
    return [
        SetupStep(
            "branch",
            "支部信息",
            branch_done,
            "已填写支部全称和上级党组织" if branch_done else "填写上级党组织、所在园区、成立日期和党小组",
            "branch",
            "",
        ),
        SetupStep(
            "roster",
            "花名册",
            bool(ids),
            f"在册党员 {len(ids)} 名" if ids else "从 Excel 花名册导入（表头顺序不限，导入前逐行检查）",
            "roster",
            "党员信息",
        ),
        SetupStep(
            "committee",
            "支委会/书记",
            term is not None,
            (
                f"现任{'支部委员会' if term.kind == 'committee' else '书记'}已登记"
                if term
                else "登记现任支委会或书记及任期"
            ),
            "branch",
            "组织建设",
        ),
        SetupStep(
            "start",
            "起始日期",
            start is not None,
            f"电子台账自{start.year}年{start.month}月{start.day}日起" if start else "设置电子台账起始日期",
            "settings",
            "",
        ),
        SetupStep(
            "dues",
            "党费基数和已交至",
            dues_done,
            "全部党员已核定本年基数、已交至已知"
            if dues_done
            else "；".join(
                p
                for p in (
                    f"{len(no_base)} 人未核定{today.year}年基数" if no_base else "",
                    f"{len(unknown)} 人未填党费已交至" if unknown else "",
                )
                if p
            )
            or "先导入花名册",
            "dues",
            "党费",
        ),
        SetupStep(
            "development",
            "发展党员",
            bool(applicants) or "development" in skip,
            f"已登记 {applicants} 人"
            if applicants
            else (
                "本支部目前没有" if "development" in skip else "登记入党申请人、积极分子、发展对象及已办步骤"
            ),
            "development",
            "发展党员",
            skippable=True,
        ),
        SetupStep(
            "history",
            "历史记录（可选）",
            history or "history" in skip,
            "已补录起始日期之前的记录"
            if history
            else ("不补录" if "history" in skip else "可补录起始日期之前的会议和党费，再把起始日期改早"),
            "meetings",
            "三会一课",
            optional=True,
            skippable=True,
        ),
    ]


def setup_open(ledger: Ledger, today: dt.date | None = None) -> bool:
    """Show the list: the ledger has a start date (made by 新建支部) and a required step is not done."""
    if records_start(ledger) is None:
        return False
    return any(not s.done and not s.optional for s in setup_steps(ledger, today))
