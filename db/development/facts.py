"""The facts a step may carry besides its date and actor (votes, 联系人/介绍人, training, approver, group…):
the allowed keys and labels, `normalise_facts` that checks and tidies them, and `meeting_facts` that takes a
step's date and vote counts from a linked meeting record (db.meetings).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from db import members
from db.dates import DateParseError, from_iso, iso, parse_date
from db.errors import InputRefused, Problem
from db.rules import development as rules

if TYPE_CHECKING:
    from db.connection import Ledger


RECOMMENDED_VIA = {"party_members": "党员推荐", "mass_org": "群团组织推优"}
DECIDED_BY = {"committee": "支委会", "assembly": "支部党员大会"}
VOTE_KEYS = ("expected", "present", "yes", "no", "abstain", "written")
# Facts each step may carry (besides date and actor). Anything else in `facts` is kept as given.
FACT_KEYS: dict[str, tuple[str, ...]] = {
    "activist": ("recommended_via", "decided_by"),
    "contacts_assigned": ("member_ids",),
    "sponsors_assigned": ("member_ids",),
    "political_review": ("conclusion",),
    "training": ("start", "end", "hours"),
    "volunteer_form": ("number",),
    "branch_vote": VOTE_KEYS,
    "full_vote": (*VOTE_KEYS, "delay_reason"),
    "approved": ("approver_kind",),
    "full_approved": ("approver_kind",),
    "assigned_to_group": ("group_id",),
}


def fact_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.date):
        return v
    try:
        return parse_date(v) if v else None
    except DateParseError:
        return None


def _int_or_none(v: Any, label: str, problems: list[Problem]) -> int | None:
    if v is None or v == "":
        return None
    try:
        n = int(v)
    except (TypeError, ValueError):
        problems.append(Problem(f"{label}应为整数", column=label))
        return None
    if n < 0:
        problems.append(Problem(f"{label}不能为负数", column=label))
    return n


def normalise_facts(
    ledger: Ledger | None, key: str, facts: dict[str, Any] | None
) -> tuple[dict[str, Any], list[Problem]]:
    """Check and tidy a step's facts; unknown extra keys are kept as given."""
    facts = {k: v for k, v in (facts or {}).items() if v is not None and v != ""}
    problems: list[Problem] = []
    if key in ("contacts_assigned", "sponsors_assigned"):
        label = "培养联系人" if key == "contacts_assigned" else "入党介绍人"
        ids = []
        for v in facts.get("member_ids") or []:
            try:
                ids.append(int(v))
            except (TypeError, ValueError):
                problems.append(Problem(f"{label}应从党员名册中选择", column=label))
        if len(set(ids)) != len(ids):
            problems.append(Problem(f"{label}有重复", column=label))
        if ledger is not None:
            known = members.names(ledger)
            for i in ids:
                if i not in known:
                    problems.append(Problem(f"{label}（编号 {i}）不在党员名册中", column=label))
        facts["member_ids"] = ids
    if key in ("branch_vote", "full_vote"):
        for k, label in zip(
            VOTE_KEYS,
            ("应到会有表决权人数", "实到会有表决权人数", "赞成", "反对", "弃权", "书面意见"),
            strict=True,
        ):
            n = _int_or_none(facts.get(k), label, problems)
            if n is None:
                facts.pop(k, None)
            else:
                facts[k] = n
    if key == "training":
        for k, label in (("start", "培训开始日期"), ("end", "培训结束日期")):
            if k in facts:
                try:
                    d = parse_date(facts[k])
                except DateParseError as e:
                    problems.append(Problem(str(e), column=label))
                else:
                    facts[k] = iso(d)
        if "hours" in facts:
            try:
                h = float(facts["hours"])
            except (TypeError, ValueError):
                problems.append(Problem("学时应为数字", column="学时"))
            else:
                facts["hours"] = int(h) if h == int(h) else h
    if key == "activist":
        if "recommended_via" in facts and facts["recommended_via"] not in RECOMMENDED_VIA:
            problems.append(Problem("推荐方式只能是党员推荐或群团组织推优", column="推荐方式"))
        if "decided_by" in facts and facts["decided_by"] not in DECIDED_BY:
            problems.append(Problem("确定方式只能是支委会或支部党员大会", column="确定方式"))
    if (
        key in ("approved", "full_approved")
        and "approver_kind" in facts
        and facts["approver_kind"] not in rules.APPROVER_KINDS
    ):
        problems.append(Problem("审批机关类别不正确", column="审批机关"))
    if key == "assigned_to_group" and "group_id" in facts:
        gid = _int_or_none(facts["group_id"], "党小组", problems)
        facts["group_id"] = gid
        if (
            gid is not None
            and ledger is not None
            and ledger.scalar("SELECT count(*) FROM party_groups WHERE id=?", (gid,)) == 0
        ):
            problems.append(Problem("所选党小组不存在", column="党小组"))
    if key == "volunteer_form" and "number" in facts:
        facts["number"] = str(facts["number"]).strip()
    if key == "political_review" and "conclusion" in facts:
        facts["conclusion"] = str(facts["conclusion"]).strip()
    return facts, problems


def meeting_facts(
    ledger: Ledger, meeting_id: int, person_name: str, key: str
) -> tuple[dt.date | None, dict[str, Any]]:
    """The date and (for votes) the counts of a meeting record (db.meetings), if that module is there.

    The decision about this person is the one whose text names them, else the only voted decision.
    """
    try:
        from db import meetings
    except ModuleNotFoundError:
        return None, {}
    try:
        m = meetings.get_meeting(ledger, meeting_id)
    except (KeyError, AttributeError, LookupError):
        raise InputRefused([Problem(f"会议记录（编号 {meeting_id}）不存在", column="会议记录")]) from None
    day = getattr(m, "date", None)
    if isinstance(day, str):
        day = from_iso(day)
    facts: dict[str, Any] = {}
    if key in ("branch_vote", "full_vote"):
        decisions = [d for d in getattr(m, "decisions", []) if getattr(d, "yes", None) is not None]
        named = [d for d in decisions if person_name and person_name in (getattr(d, "text", "") or "")]
        pick = named[0] if named else (decisions[0] if len(decisions) == 1 else None)
        try:
            facts["expected"] = int(m.expected_voters)
            facts["present"] = int(m.present_voters)
        except AttributeError:
            pass
        if pick is not None:
            for k in ("yes", "no", "abstain", "written"):
                v = getattr(pick, k, None)
                if v is not None:
                    facts[k] = int(v)
    return day if isinstance(day, dt.date) else None, facts
