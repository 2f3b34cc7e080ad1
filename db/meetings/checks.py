"""The meetings findings provider (CONTRACT.md §4): M01–M07 (a past period without the meeting) and M11 (the
current period's meeting still to be held, naming a plan if there is one) read off the cadence grid; M08
(quorum and passing), M09 (an incomplete record) and M10 (补记) come from each meeting in the checked years.
(Named checks, not findings, so the submodule does not shadow the `findings` function the package exports.)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from db import members
from db.dates import fmt_zh, from_iso
from db.findings import Finding, provider
from db.meetings.attendance import RosterCache, _expected_ids
from db.meetings.cadence import _Context, _rows_for_year
from db.meetings.model import Meeting
from db.meetings.plans import list_plans
from db.meetings.store import read_meetings
from db.meetings.tally import Tally, read_tallies, tally_of
from db.meetings.validation import completeness
from db.rules import meetings as rules

if TYPE_CHECKING:
    from db.connection import Ledger


def _horizon(ledger: Ledger, as_of: dt.date) -> dt.date:
    """The first day whose periods are checked: `meeting_check_years` back, never before the branch was founded."""
    years = int(ledger.setting("meeting_check_years", 2) or 2)
    start = dt.date(as_of.year - years + 1, 1, 1)
    row = ledger.query_one("SELECT founded_on FROM branch WHERE id=1")
    founded = from_iso(row[0]) if row and row[0] else None
    return max(start, founded) if founded else start


@provider("meetings")
def findings(ledger: Ledger, as_of: dt.date) -> list[Finding]:
    """M01–M07 (a past period without the meeting), M08 (quorum/pass), M09 (incomplete record), M10 (补记),
    M11 (the current period's meeting still to be held), over the years given by `meeting_check_years`."""
    out: list[Finding] = []
    start = _horizon(ledger, as_of)
    ctx = _Context(ledger)
    plans = [p for p in list_plans(ledger) if p.date and p.date >= as_of]
    for year in range(start.year, as_of.year + 1):
        for row in _rows_for_year(ctx, year, as_of):
            code_sev = rules.MISSING_CODE.get(row.kind)
            if code_sev is None:
                continue
            code, sev = code_sev
            subject = ("party_group", row.group_id) if row.group_id is not None else ("period", None)
            name = row.label
            for c in row.cells:
                if c.period.end < start:
                    continue
                if c.state == rules.MISSING:
                    out.append(
                        Finding(
                            code,
                            sev,
                            subject[0],
                            subject[1],
                            name,
                            f"{c.period.label}没有{row.label}记录（依据《支部工作条例》）",
                            period=c.period.key,
                            due=c.period.end,
                        )
                    )
                elif c.state == rules.DUE:
                    plan = next(
                        (
                            p
                            for p in plans
                            if row.kind in p.kinds
                            and c.period.contains(p.date or as_of)
                            and (row.group_id is None or p.group_id in (None, row.group_id))
                        ),
                        None,
                    )
                    msg = f"{c.period.label}的{row.label}还没有召开，请在{fmt_zh(c.period.end)}前召开"
                    if plan and plan.date:
                        msg += (
                            f"（已计划于{fmt_zh(plan.date)}"
                            + (f"：{plan.topic}" if plan.topic else "")
                            + "）"
                        )
                    out.append(
                        Finding(
                            "M11",
                            "reminder",
                            subject[0],
                            subject[1],
                            name,
                            msg,
                            period=c.period.key,
                            due=c.period.end,
                        )
                    )
    late_days = int(ledger.setting("late_entry_days") or 30)
    names = members.names(ledger)  # read once for every meeting
    ids_sql = "SELECT id FROM meetings WHERE date BETWEEN ? AND ?"
    params = (start.isoformat(), as_of.isoformat())
    found = read_meetings(ledger, ids_sql, params, names, whole=False)
    # the attendance counted in SQLite: two years of a 500-member branch are some 34,000 rows
    tallies = read_tallies(ledger, {m.id: m.date for m in found if m.id is not None}, ids_sql, params, names)
    for m in found:
        assert m.id is not None
        tally = tallies.get(m.id) or tally_of(m)  # no attendance: the empty record's tally
        out.extend(_meeting_findings(ledger, m, late_days, ctx.roster, as_of, tally))
    return out


def _meeting_findings(
    ledger: Ledger,
    m: Meeting,
    late_days: int,
    cache: RosterCache | None = None,
    as_of: dt.date | None = None,
    tally: Tally | None = None,
) -> list[Finding]:
    """M08, M09 and M10 of one record; `tally`: its attendance as counted (else counted from the record)."""
    t = tally if tally is not None else tally_of(m)
    out: list[Finding] = []
    assert m.date is not None and m.id is not None
    if m.is_paper:
        return out  # 补录（据纸质记录）: the paper record is the record; it counts for cadence only
    name = f"{fmt_zh(m.date)} {m.kinds_label}"
    period = m.date.strftime("%Y-%m")
    voted = [d for d in m.decisions if d.has_vote]
    if m.is_voting() and voted:
        problems = []
        if not rules.more_than_half(t.present_voters, t.expected_voters):
            problems.append(f"到会有表决权党员{t.present_voters}人，未超过应到{t.expected_voters}人的一半")
        else:
            for i, d in enumerate(voted, start=1):
                v = t.verdict(d)
                if d.passed is not False and not v.passed:
                    problems.append(
                        f"决议{i}“{d.text[:20]}”记为通过，但赞成{(d.yes or 0) + (d.written or 0)}票"
                        f"（含书面意见）未超过应到有表决权{t.expected_voters}人的一半"
                    )
        if problems:
            out.append(
                Finding(
                    "M08",
                    "error",
                    "meeting",
                    m.id,
                    name,
                    f"{name}："
                    + "；".join(problems)
                    + "（《支部工作条例》：半数以上有表决权的党员到会方可进行表决，赞成票超过应到会有表决权党员的半数为通过）",
                    period=period,
                )
            )
    lacking = completeness(ledger, m, _expected_ids(ledger, m, cache), t)
    if lacking:
        out.append(
            Finding(
                "M09",
                "warning",
                "meeting",
                m.id,
                name,
                f"{name}的记录不完整：" + "；".join(lacking),
                period=period,
            )
        )
    # 补记 is a fact of the entry: not known before the day the record was entered
    if m.late(late_days) and m.entered_on is not None and (as_of is None or m.entered_on <= as_of):
        out.append(
            Finding(
                "M10",
                "reminder",
                "meeting",
                m.id,
                name,
                f"{m.kinds_label}于{fmt_zh(m.date)}召开，{fmt_zh(m.entered_on)}才录入（补记，超过{late_days}天）",
                period=period,
            )
        )
    return out
