"""Findings T01–T05 as of a date: the term running out, ended without an election, and the branch's size.

T01 reminds before the term ends (−6, −3, −1 months and the day, RULES.md §4), T02 reports a term ended with
no 换届选举 recorded, T03 a branch of 7 or more 正式党员 without a 支部委员会, T04 fewer than 3 正式党员,
T05 more than 50 members. The reminder dates and stages are the pure rules of db/rules/committee.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db.committee.terms import COMMITTEE_THRESHOLD, Term, has_committee_on, list_terms
from db.dates import fmt_zh, from_iso, iso
from db.findings import Finding, provider
from db.members import counts_on
from db.rules.committee import term_reminder_dates, term_stage

if TYPE_CHECKING:
    from db.connection import Ledger

MAX_MEMBERS = 50
MIN_FULL = 3


def term_reminder_thresholds(ends_on: dt.date) -> list[tuple[dt.date, str]]:
    """Reminder dates before a term ends (RULES.md §4: −6, −3, −1 months and the day itself)."""
    return [
        (when, label.replace("届满前", "").replace("届满", ""))
        for when, label in term_reminder_dates(ends_on)
    ]


def _general_election_after(ledger: Ledger, term: Term, as_of: dt.date) -> dt.date | None:
    """The date of a 换届选举 held by `as_of`, after `term` began, that did not elect `term` itself."""
    after = iso(term.starts_on or term.elected_on or dt.date.min)
    row = ledger.query_one(
        "SELECT max(held_on) FROM elections WHERE kind='general' AND held_on > ? AND held_on <= ? "
        "AND (term_id IS NULL OR term_id<>?)",
        (after, as_of.isoformat(), term.id or 0),
    )
    return from_iso(row[0]) if row and row[0] else None


def term_findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """T01 (reminders before the term ends), T02 (ended, no election), T03–T05 (size) as of a date."""
    from db.branch.profile import get_branch  # here, not on top: db.branch re-exports this package

    out: list[Finding] = []
    b = get_branch(ledger)
    bname = b.name if b else "本支部"
    terms = list_terms(ledger)
    current = [t for t in terms if t.active_on(as_of)]
    started = [t for t in terms if t.starts_on is None or t.starts_on <= as_of]
    latest = max(started, key=lambda t: t.starts_on or dt.date.min) if started else None
    label = "支部委员会" if (latest and latest.kind == "committee") else "支部书记"
    if current:
        t = current[-1]
        label = "支部委员会" if t.kind == "committee" else "支部书记"
        later = [u for u in terms if u is not t and u.starts_on and t.starts_on and u.starts_on > t.starts_on]
        if t.ends_on and not later:
            stage = term_stage(t.ends_on, as_of)
            if stage.code != "none":
                elected = _general_election_after(ledger, t, as_of)
                msg = f"本届{label}任期将于{fmt_zh(t.ends_on)}届满（{stage.label}提醒）"
                msg += (
                    f"；已于{fmt_zh(elected)}进行换届选举，请录入新一届的任期和人员"
                    if elected
                    else "，请提前向上级党组织报告并做好换届准备"
                )
                if stage.code == "due_today":
                    msg = f"本届{label}任期今天（{fmt_zh(t.ends_on)}）届满，" + (
                        "请录入新一届的任期和人员" if elected else "请尽快召开党员大会进行换届选举"
                    )
                out.append(Finding("T01", "reminder", "committee", t.id, bname, msg, due=t.ends_on))
    elif (
        latest
        and latest.ends_on
        and latest.ends_on < as_of
        # a term entered ahead (elected by the day, starting later) is the election; one elected later is not
        and not any(
            u.starts_on and u.starts_on > as_of and (u.elected_on or u.starts_on) <= as_of for u in terms
        )
        and not _general_election_after(ledger, latest, as_of)
    ):
        stage = term_stage(latest.ends_on, as_of)
        msg = (
            f"本届{label}任期已于{fmt_zh(latest.ends_on)}届满，尚未记录换届选举（按期换届，延期须经上级批准）"
        )
        if stage.code == "overdue_hard":
            msg = (
                f"本届{label}任期已于{fmt_zh(latest.ends_on)}届满，超过1年仍未记录换届选举"
                f"（选举条例：延期换届一般不超过1年），请立即向上级党组织报告"
            )
        out.append(Finding("T02", "error", "committee", latest.id, bname, msg, due=latest.ends_on))
    counts = counts_on(ledger, as_of)
    lapsed_committee = any(f.code == "T02" for f in out) and latest is not None and latest.kind == "committee"
    if counts["full"] >= COMMITTEE_THRESHOLD and not has_committee_on(ledger, as_of) and not lapsed_committee:
        out.append(
            Finding(
                "T03",
                "error",
                "branch",
                1,
                bname,
                f"支部有正式党员{counts['full']}名（7名以上），应设立支部委员会，但没有在任的支委会记录",
            )
        )
    if counts["total"] and counts["full"] < MIN_FULL:
        out.append(
            Finding(
                "T04",
                "warning",
                "branch",
                1,
                bname,
                f"支部正式党员只有{counts['full']}名，不足3名（条例第四条：可与邻近单位成立联合党支部）",
            )
        )
    if counts["total"] > MAX_MEMBERS:
        out.append(
            Finding(
                "T05",
                "reminder",
                "branch",
                1,
                bname,
                f"支部党员{counts['total']}名，超过50名（条例：党支部党员人数一般不超过50人），可考虑设立党总支",
            )
        )
    return out


@provider("committee")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    return term_findings(ledger, as_of)
